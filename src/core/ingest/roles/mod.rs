//! Column roles: which column holds the customer id, the order date, the amount, and so on.
//!
//! A role is proposed from the header name first (common English and Chinese names), then from the
//! values for columns whose names say nothing (or headerless files). The user can change every
//! proposal; this module only guesses.

use crate::core::values::{self, DateOrder, DecimalMark};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

mod profile;
mod propose;
#[cfg(test)]
mod tests;

pub use self::profile::*;
pub use self::propose::*;

/// What a column means to the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CustomerId,
    Date,
    Amount,
    OrderId,
    Quantity,
    Channel,
    Category,
    MemberLevel,
    Score,
    Comment,
    /// The price of one unit on a line item: the amount is quantity × unit price when no total is
    /// mapped.
    UnitPrice,
    /// The order's status (paid, shipped, closed, refunded…): statuses that mean no sale are left out.
    OrderStatus,
    /// The amount refunded on the row's order, subtracted from its amount.
    RefundAmount,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Role::CustomerId,
        Role::Date,
        Role::Amount,
        Role::OrderId,
        Role::Quantity,
        Role::Channel,
        Role::Category,
        Role::MemberLevel,
        Role::Score,
        Role::Comment,
        Role::UnitPrice,
        Role::OrderStatus,
        Role::RefundAmount,
    ];

    /// The key used in JSON and on the command line (`--map customer_id=客户ID`).
    pub fn key(self) -> &'static str {
        match self {
            Role::CustomerId => "customer_id",
            Role::Date => "date",
            Role::Amount => "amount",
            Role::OrderId => "order_id",
            Role::Quantity => "quantity",
            Role::Channel => "channel",
            Role::Category => "category",
            Role::MemberLevel => "member_level",
            Role::Score => "score",
            Role::Comment => "comment",
            Role::UnitPrice => "unit_price",
            Role::OrderStatus => "order_status",
            Role::RefundAmount => "refund_amount",
        }
    }

    pub fn from_key(s: &str) -> Option<Role> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL.into_iter().find(|r| r.key() == s)
    }

    /// Normalised header names that mean this role exactly.
    fn names(self) -> &'static [&'static str] {
        match self {
            Role::CustomerId => &[
                "customerid",
                "customer",
                "custid",
                "customerno",
                "customernumber",
                "clientid",
                "client",
                "userid",
                "user",
                "memberid",
                "member",
                "buyerid",
                "buyer",
                "uid",
                "accountid",
                "客户id",
                "客户编号",
                "客户号",
                "客户",
                "会员id",
                "会员编号",
                "会员号",
                "会员卡号",
                "用户id",
                "用户编号",
                "用户",
                "顾客id",
                "顾客编号",
                "顾客",
                "买家id",
                "买家",
                "买家昵称",
                "买家会员名",
                "买家账号",
                "会员名",
                "customeremail",
                "email",
                "emailaddress",
                "邮箱",
                "id",
                "cust",
                "account",
                "手机号",
                "会员手机号",
                "买家手机号",
                "下单帐号",
                "下单账号",
                "用户账号",
            ],
            Role::Date => &[
                "date",
                "orderdate",
                "purchasedate",
                "transactiondate",
                "invoicedate",
                "orderdatetime",
                "ordertime",
                "purchasetime",
                "createdat",
                "created",
                "datetime",
                "time",
                "timestamp",
                "paiddate",
                "paidat",
                "日期",
                "下单时间",
                "下单日期",
                "订单日期",
                "订单时间",
                "购买日期",
                "购买时间",
                "交易日期",
                "交易时间",
                "支付时间",
                "付款时间",
                "成交时间",
                "消费日期",
                "消费时间",
                "创建时间",
                "时间",
                "调查日期",
                "填写时间",
                "提交时间",
            ],
            Role::Amount => &[
                "买家实际支付金额",
                "实际支付金额",
                "实付金额",
                "订单实付金额",
                "应付金额",
                "ordertotalamount",
                "totalcollected",
                "netsales",
                "amount",
                "revenue",
                "sales",
                "total",
                "totalamount",
                "ordertotal",
                "ordervalue",
                "value",
                "dollarvalue",
                "spend",
                "spent",
                "payment",
                "paid",
                "paidamount",
                "gmv",
                "accountspayable",
                "payable",
                "netamount",
                "金额",
                "消费金额",
                "订单金额",
                "支付金额",
                "付款金额",
                "实收金额",
                "成交金额",
                "交易金额",
                "销售额",
                "销售金额",
                "实付",
                "总金额",
                "订单总额",
                "应付",
                "grosssales",
            ],
            Role::OrderId => &[
                "orderid",
                "order",
                "orderno",
                "ordernumber",
                "transactionid",
                "transaction",
                "invoice",
                "invoiceno",
                "invoiceid",
                "receiptid",
                "订单号",
                "订单编号",
                "订单id",
                "交易号",
                "交易单号",
                "流水号",
                "单号",
            ],
            Role::Quantity => &[
                "quantity",
                "qty",
                "units",
                "count",
                "items",
                "numberofcds",
                "numberofitems",
                "数量",
                "购买数量",
                "件数",
                "商品数量",
            ],
            Role::Channel => &[
                "channel",
                "source",
                "saleschannel",
                "orderchannel",
                "platform",
                "store",
                "shop",
                "渠道",
                "来源",
                "销售渠道",
                "下单渠道",
                "平台",
                "门店",
                "店铺",
            ],
            Role::Category => &[
                "category",
                "productcategory",
                "product",
                "producttype",
                "categoryname",
                "品类",
                "类目",
                "商品类别",
                "产品类别",
                "分类",
                "商品品类",
                "品类名称",
                "商品分类",
                "产品线",
            ],
            Role::MemberLevel => &[
                "memberlevel",
                "membershiplevel",
                "membership",
                "tier",
                "level",
                "membertier",
                "vip",
                "viplevel",
                "会员等级",
                "等级",
                "会员级别",
                "会员类型",
            ],
            Role::Score => &[
                "score",
                "nps",
                "npsscore",
                "likelihoodtorecommend",
                "recommend",
                "recommendation",
                "rating",
                "评分",
                "推荐意愿",
                "推荐分",
                "推荐得分",
                "打分",
                "nps评分",
                "推荐度",
                "净推荐值",
            ],
            Role::Comment => &[
                "comment", "comments", "feedback", "review", "remark", "remarks", "verbatim", "text", "评论", "评价", "意见",
                "留言", "备注", "反馈", "建议",
            ],
            Role::UnitPrice => &[
                "unitprice",
                "price",
                "lineitemprice",
                "itemcost",
                "itemprice",
                "priceeach",
                "saleprice",
                "单价",
                "商品单价",
                "成交单价",
                "销售单价",
                "商品价格",
                "京东价",
                "价格",
            ],
            Role::OrderStatus => &[
                "orderstatus",
                "financialstatus",
                "paymentstatus",
                "status",
                "订单状态",
                "交易状态",
                "付款状态",
                "支付状态",
                "状态",
            ],
            Role::RefundAmount => {
                &["refundedamount", "refundamount", "refunded", "refund", "partialrefunds", "退款金额", "已退款金额", "退款"]
            }
        }
    }

    /// Fragments that, inside a longer header name, suggest this role (weaker than an exact name).
    fn fragments(self) -> &'static [&'static str] {
        match self {
            Role::CustomerId => {
                &["customer", "客户", "会员id", "会员编号", "用户id", "买家", "buyer", "userid", "memberid", "会员名"]
            }
            Role::Date => &["date", "日期", "时间"],
            Role::Amount => &["amount", "revenue", "金额", "销售额"],
            Role::OrderId => &["orderid", "order_id", "订单号", "订单编号"],
            Role::Quantity => &["quantity", "qty", "数量"],
            Role::Channel => &["channel", "渠道"],
            Role::Category => &["category", "品类", "类目"],
            Role::MemberLevel => &["level", "等级"],
            Role::Score => &["score", "recommend", "评分", "推荐"],
            Role::Comment => &["comment", "feedback", "评论", "评价"],
            Role::UnitPrice => &["unitprice", "单价"],
            Role::OrderStatus => &["status", "状态"],
            Role::RefundAmount => &["refund", "退款"],
        }
    }
}

/// Whether a date column's name says it holds registrations (a member or lead list's dates), not
/// purchases: 注册日期, 入会时间, 开卡日期, `signup_date`, `registered_at`, `Join Date`, `lead date`.
pub fn is_registration_date(name: &str) -> bool {
    const FRAGMENTS: [&str; 12] =
        ["注册", "入会", "开卡", "加入", "线索", "留资", "regist", "signup", "signedup", "join", "membersince", "lead"];
    let name = normalise_name(name);
    FRAGMENTS.iter().any(|f| name.contains(f))
}

/// Lower-cases and drops spaces, underscores, hyphens and dots, so `Customer ID`, `customer_id` and
/// `CUSTOMER-ID` compare equal.
pub fn normalise_name(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '(' | ')' | '（' | '）' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The role a header name, already normalised, is exactly one of the names of.
fn exact_role_of(n: &str) -> Option<Role> {
    if n.is_empty() {
        return None;
    }
    // The names are written normalised (a test checks): compared as they are, not normalised again
    // for every column (a file with tens of thousands of columns took seconds on that alone).
    Role::ALL.into_iter().find(|r| r.names().contains(&n))
}

/// The role a header name states, if it states one.
pub fn role_from_name(name: &str) -> Option<Role> {
    let n = normalise_name(name);
    if n.is_empty() {
        return None;
    }
    if let Some(r) = exact_role_of(&n) {
        return Some(r);
    }
    let lower = name.to_lowercase();
    Role::ALL.into_iter().find(|r| r.fragments().iter().any(|f| n.contains(f) || lower.contains(f)))
}
