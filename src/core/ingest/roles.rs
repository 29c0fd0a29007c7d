//! Column roles: which column holds the customer id, the order date, the amount, and so on.
//!
//! A role is proposed from the header name first (common English and Chinese names), then from the
//! values for columns whose names say nothing (or headerless files). The user can change every
//! proposal; this module only guesses.

use crate::core::values::{self, DateOrder, DecimalMark};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

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

/// What the first rows of a column look like.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub non_empty: usize,
    /// Cells that parse as dates without being plain numbers (so ids and amounts are not dates).
    pub dates: usize,
    pub numbers: usize,
    pub integers: usize,
    /// Numbers written with a decimal part.
    pub decimals: usize,
    /// Integers written with a leading zero (`00042`): identifiers, not quantities.
    pub leading_zeros: usize,
    pub distinct: usize,
    pub mean: f64,
    pub max: f64,
    /// Whole numbers each one more than the cell above: a row number, not a measure.
    pub sequential: usize,
    /// Whole numbers of 11 digits (a Chinese mobile number) or of one width of 6 digits or more
    /// (phone numbers, account numbers): never an amount.
    pub phone_like: usize,
    /// Whole numbers below 1,000 in size: quantities, scores, small codes.
    pub small_integers: usize,
    /// Cells that could be an account key: one token (no inner spaces) of ASCII letters, digits and
    /// `@._-` with at least one digit or an `@`, at most 64 characters.
    pub key_like: usize,
    /// Cells that are order numbers as shops write them: `#1001`.
    pub hash_numbers: usize,
}

impl Profile {
    fn share(&self, n: usize) -> f64 {
        if self.non_empty == 0 {
            0.0
        } else {
            n as f64 / self.non_empty as f64
        }
    }
    pub fn date_share(&self) -> f64 {
        self.share(self.dates)
    }
    pub fn number_share(&self) -> f64 {
        self.share(self.numbers)
    }
}

/// Profiles column `col` over some rows.
pub fn profile(cells: &[&str]) -> Profile {
    let mut p = Profile::default();
    let mut seen = HashSet::new();
    let mut sum = 0.0;
    let mark = values::detect_decimal_mark(cells.iter().copied());
    let (mut previous, mut width): (Option<f64>, Option<usize>) = (None, None);
    let mut one_width = true;
    for &cell in cells {
        let c = cell.trim();
        if c.is_empty() || values::is_missing(c) {
            continue;
        }
        p.non_empty += 1;
        seen.insert(c);
        let plain_number = c.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        let eight_digits = c.len() == 8 && c.bytes().all(|b| b.is_ascii_digit());
        if (!plain_number || eight_digits || c.matches(['-', '.']).count() >= 2) && values::parse_date(c, DateOrder::Dmy).is_ok()
        {
            p.dates += 1;
        }
        let digits_only = c.bytes().all(|b| b.is_ascii_digit());
        if digits_only {
            one_width &= *width.get_or_insert(c.len()) == c.len();
            if c.len() == 11 {
                p.phone_like += 1;
            }
        } else {
            one_width = false;
        }
        if c.len() <= 64
            && c.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'_' | b'-'))
            && c.bytes().any(|b| b.is_ascii_digit() || b == b'@')
        {
            p.key_like += 1;
        }
        if c.strip_prefix('#').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
            p.hash_numbers += 1;
        }
        if let Ok(a) = values::parse_amount(c, mark) {
            p.numbers += 1;
            sum += a.value;
            p.max = p.max.max(a.value);
            let decimal_sep = if mark == DecimalMark::Comma { ',' } else { '.' };
            if c.contains(decimal_sep) {
                p.decimals += 1;
            } else {
                p.integers += 1;
                if a.value.abs() < 1000.0 {
                    p.small_integers += 1;
                }
                if previous.is_some_and(|v| a.value == v + 1.0) {
                    p.sequential += 1;
                }
            }
            previous = Some(a.value);
            if c.len() > 1 && c.starts_with('0') && digits_only {
                p.leading_zeros += 1;
            }
        } else {
            previous = None;
        }
    }
    if one_width && width.is_some_and(|w| w >= 6) && p.non_empty > 1 {
        p.phone_like = p.non_empty;
    }
    p.distinct = seen.len();
    p.mean = if p.numbers > 0 { sum / p.numbers as f64 } else { 0.0 };
    p
}

/// Whether the first row is a header: some cell names a role, or some column holds numbers or dates
/// below a first cell that is neither.
pub fn looks_like_header(first: &[String], below: &[Vec<String>]) -> bool {
    if first.iter().any(|c| role_from_name(c).is_some()) {
        return true;
    }
    if below.is_empty() {
        return first.iter().all(|c| !c.trim().is_empty() && values::parse_amount(c, DecimalMark::Dot).is_err());
    }
    let mut typed_below = 0;
    for (i, head) in first.iter().enumerate() {
        let cells: Vec<&str> = below.iter().filter_map(|r| r.get(i).map(String::as_str)).collect();
        let p = profile(&cells);
        let head_is_value =
            values::parse_amount(head, DecimalMark::Dot).is_ok() || values::parse_date(head, DateOrder::Dmy).is_ok();
        if head_is_value && (p.number_share() > 0.8 || p.date_share() > 0.8) {
            return false;
        }
        if !head.trim().is_empty() && !head_is_value && (p.number_share() > 0.8 || p.date_share() > 0.8) {
            typed_below += 1;
        }
    }
    typed_below > 0
}

/// A proposed or chosen mapping: role → 0-based column index.
pub type Mapping = BTreeMap<Role, usize>;

/// Why a role was given to a column, shown next to the proposal so that a wrong guess is easy to
/// spot. In JSON `{"header": {"name": "买家昵称"}}`, `{"values": {…}}` or `"chosen"` (externally
/// tagged, as [`crate::core::ingest::tally::Notice`] is, for the page's size).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The header names the role (`买家昵称` is a customer id).
    Header { name: String },
    /// Part of the header names the role (`Lineitem quantity`).
    HeaderPart { name: String, part: String },
    /// The values look like the role: `distinct` different values over `rows` filled cells.
    Values { kind: ValueKind, distinct: usize, rows: usize },
    /// Chosen by the user.
    Chosen,
}

/// What the values of a column looked like when a role was proposed from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Dates,
    Ids,
    Amounts,
    Quantities,
    OrderNumbers,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Header { name } => write!(f, "from the header {name}"),
            Reason::HeaderPart { name, part } => write!(f, "from the header {name} (“{part}”)"),
            Reason::Values { kind, distinct, rows } => {
                let what = match kind {
                    ValueKind::Dates => "dates",
                    ValueKind::Ids => "ids",
                    ValueKind::Amounts => "amounts",
                    ValueKind::Quantities => "whole numbers",
                    ValueKind::OrderNumbers => "order numbers",
                };
                write!(f, "from the values: {distinct} distinct {what} over {rows} rows")
            }
            Reason::Chosen => write!(f, "chosen"),
        }
    }
}

/// Words that make a header something no analysis role is: a phone number, an address, a
/// person's name, an email, a table, a member of staff, a product code, a fee. Such a column never
/// gets a role from its values or from part of its name (a customer id may still come from a
/// header such as 客户电话 or Billing Email that also names the customer).
const VETO_WORDS: &[&str] = &[
    "phone",
    "mobile",
    "tel",
    "telephone",
    "cell",
    "cellphone",
    "fax",
    "address",
    "addr",
    "street",
    "province",
    "city",
    "country",
    "district",
    "region",
    "zip",
    "zipcode",
    "postcode",
    "postal",
    "name",
    "firstname",
    "lastname",
    "email",
    "mail",
    "table",
    "cashier",
    "employee",
    "emp",
    "staff",
    "operator",
    "clerk",
    "courier",
    "tracking",
    "sku",
    "barcode",
    "ean",
    "upc",
    "isbn",
    "stock",
    "ip",
    "discount",
    "shipping",
    "tax",
    "taxes",
    "fee",
    "fees",
    "tip",
    "commission",
    "points",
    "cost",
    "subtotal",
];
const VETO_PARTS: &[&str] = &[
    "电话",
    "手机",
    "联系",
    "地址",
    "省",
    "市",
    "区",
    "县",
    "街道",
    "邮编",
    "邮政",
    "姓名",
    "名字",
    "收货人",
    "收件人",
    "邮箱",
    "桌",
    "台号",
    "收银",
    "员工",
    "店员",
    "导购",
    "操作员",
    "快递",
    "运单",
    "物流",
    "条码",
    "货号",
    "优惠",
    "折扣",
    "运费",
    "邮费",
    "税",
    "佣金",
    "积分",
    "服务费",
    "红包",
    "抵扣",
];
/// Words and parts that make a header a person or account key even when it also names a phone or
/// an email (`客户电话`, `Customer Email`, `买家手机号`).
const KEY_WORDS: &[&str] = &["customer", "client", "member", "buyer", "user", "account", "cust"];
const KEY_PARTS: &[&str] = &["客户", "会员", "买家", "用户", "顾客", "昵称", "手机号"];
/// Words of a header that make a column an identifier or a code, never an amount or a quantity.
const ID_WORDS: &[&str] = &["id", "no", "number", "code", "num", "uid", "key", "ref", "reference"];
const ID_PARTS: &[&str] = &["编号", "号", "码", "id"];

/// The English words of a header, lower-cased: split at anything not a letter or digit, and where
/// a lower-case letter meets a capital (`UnitPrice` → unit, price).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut last_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && last_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            last_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            word.push(c.to_ascii_lowercase());
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            last_lower = false;
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Whether a header has any of the words or parts.
fn names_any(name: &str, words_of: &[String], wanted: &[&str], parts: &[&str]) -> bool {
    words_of.iter().any(|w| wanted.contains(&w.as_str())) || parts.iter().any(|p| name.contains(p))
}

/// Whether a header names something no role is (see [`VETO_WORDS`]).
pub fn vetoed(name: &str) -> bool {
    let w = words(name);
    let lower = name.to_lowercase();
    names_any(&lower, &w, VETO_WORDS, VETO_PARTS)
}

/// Ways to reach a person: a column of them may be the customer's key when its header says whose
/// they are (`买家手机号`, `Customer Email`).
const CONTACT_WORDS: &[&str] = &["phone", "mobile", "tel", "telephone", "cell", "cellphone", "email", "mail"];
const CONTACT_PARTS: &[&str] = &["电话", "手机", "联系", "邮箱"];

/// Whether a header is vetoed for anything but being a contact (see [`CONTACT_WORDS`]).
fn vetoed_beyond_contact(name: &str) -> bool {
    let w: Vec<String> = words(name).into_iter().filter(|x| !CONTACT_WORDS.contains(&x.as_str())).collect();
    let mut rest = name.to_lowercase();
    for part in CONTACT_PARTS {
        rest = rest.replace(part, " ");
    }
    names_any(&rest, &w, VETO_WORDS, VETO_PARTS)
}

/// Whether a header names a person or account key.
fn names_key(name: &str) -> bool {
    let lower = name.to_lowercase();
    names_any(&lower, &words(name), KEY_WORDS, KEY_PARTS)
}

/// Whether a header names an identifier or code.
fn names_id(name: &str) -> bool {
    let lower = name.to_lowercase();
    names_any(&lower, &words(name), ID_WORDS, ID_PARTS)
}

/// Roles whose values are numbers: proposed from part of a header only over numbers.
fn numeric(role: Role) -> bool {
    matches!(role, Role::Amount | Role::Quantity | Role::UnitPrice | Role::RefundAmount | Role::Score)
}

/// A proposal: the mapping and why each role went where it did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Proposal {
    pub mapping: Mapping,
    pub reasons: BTreeMap<Role, Reason>,
}

/// Proposes roles for columns: names first, then values for the roles still open.
pub fn propose(names: &[String], profiles: &[Profile]) -> Mapping {
    propose_with_reasons(names, profiles).mapping
}

/// [`propose`], with the reason for each role.
///
/// Header names are ranked: an exact name before part of a name, and among exact names the more
/// specific first (`实付金额` before `总金额`, `customer_id` before `id`). Values only fill roles no
/// header named, and only from columns whose header names nothing else (see [`vetoed`]). A customer
/// id comes only from a header that names a person or account, or from values that are account
/// keys; a file with neither gets no customer id (and ingest asks for one) rather than the
/// nearest column.
pub fn propose_with_reasons(names: &[String], profiles: &[Profile]) -> Proposal {
    let mut out = Proposal::default();
    let mut taken = vec![false; profiles.len()];
    let empty = Profile::default();
    let prof = |i: usize| profiles.get(i).unwrap_or(&empty);
    let headerless = names.iter().all(|n| n.trim().is_empty());
    // (rank, role order, column, role, reason): the smallest is given first.
    let mut candidates: Vec<((u8, usize), usize, Role, Reason)> = Vec::new();
    // Columns whose header names something: a role (exactly or in part, as `role_from_name`
    // finds it) or something no role is. Values never give them a role.
    let mut spoken_for = vec![false; profiles.len()];
    for (i, name) in names.iter().enumerate() {
        let n = normalise_name(name);
        if n.is_empty() {
            continue;
        }
        let veto = vetoed(name);
        let mut names_a_role = false;
        for role in Role::ALL {
            if let Some(k) = role.names().iter().position(|x| *x == n) {
                names_a_role = true;
                candidates.push(((0, k), i, role, Reason::Header { name: name.trim().to_string() }));
            }
        }
        let lower = name.to_lowercase();
        for role in Role::ALL {
            let Some(part) = role.fragments().iter().find(|f| n.contains(*f) || lower.contains(*f)) else { continue };
            names_a_role = true;
            if veto && !(role == Role::CustomerId && names_key(name) && !vetoed_beyond_contact(name)) {
                continue;
            }
            let p = prof(i);
            if numeric(role) && p.non_empty > 0 && p.number_share() < 0.5 {
                continue;
            }
            if role == Role::Date && p.non_empty > 0 && p.date_share() < 0.5 {
                continue;
            }
            let reason = Reason::HeaderPart { name: name.trim().to_string(), part: (*part).to_string() };
            candidates.push(((1, 0), i, role, reason));
        }
        if let Some(slot) = spoken_for.get_mut(i) {
            *slot = veto || names_a_role;
        }
    }
    candidates.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    for (_, i, role, reason) in candidates {
        if taken[i] || out.mapping.contains_key(&role) {
            continue;
        }
        out.mapping.insert(role, i);
        out.reasons.insert(role, reason);
        taken[i] = true;
    }
    // Values, for the roles no header named, from columns whose headers name nothing.
    let open: Vec<usize> = (0..profiles.len()).filter(|&i| !taken[i] && !spoken_for[i]).collect();
    let named = |i: usize| names.get(i).map_or("", String::as_str);
    let by_values = |kind: ValueKind, i: usize| Reason::Values { kind, distinct: prof(i).distinct, rows: prof(i).non_empty };
    let give = |out: &mut Proposal, taken: &mut Vec<bool>, role: Role, i: usize, kind: ValueKind| {
        out.mapping.insert(role, i);
        out.reasons.insert(role, by_values(kind, i));
        taken[i] = true;
    };
    if !out.mapping.contains_key(&Role::OrderId) {
        // Shop order numbers (`#1001`), even under a header such as Shopify's `Name`.
        let shop = (0..profiles.len())
            .find(|&i| !taken[i] && prof(i).non_empty > 0 && prof(i).hash_numbers * 10 >= prof(i).non_empty * 9);
        if let Some(i) = shop {
            give(&mut out, &mut taken, Role::OrderId, i, ValueKind::OrderNumbers);
        }
    }
    if !out.mapping.contains_key(&Role::Date) {
        if let Some(&i) = open
            .iter()
            .filter(|&&i| !taken[i] && prof(i).date_share() >= 0.8)
            .max_by(|&&a, &&b| prof(a).date_share().total_cmp(&prof(b).date_share()).then(b.cmp(&a)))
        {
            give(&mut out, &mut taken, Role::Date, i, ValueKind::Dates);
        }
    }
    if !out.mapping.contains_key(&Role::CustomerId) {
        // Identifiers: mostly filled, not decimals, not dates, not row numbers. In a file with a
        // header, only account keys that repeat (a customer has several rows) and are not small
        // numbers; without one, the first column of identifiers (as the CDNOW files are).
        let pick = open.iter().copied().find(|&i| {
            let p = prof(i);
            let ids = p.non_empty > 0
                && p.decimals * 10 <= p.non_empty
                && p.date_share() < 0.5
                && p.sequential * 10 < p.non_empty * 9
                && p.phone_like * 2 < p.non_empty;
            let keys = p.key_like * 10 >= p.non_empty * 9
                && p.distinct >= 2
                && p.distinct < p.non_empty
                && p.small_integers * 2 < p.non_empty;
            !taken[i] && ids && (headerless || keys)
        });
        if let Some(i) = pick {
            give(&mut out, &mut taken, Role::CustomerId, i, ValueKind::Ids);
        }
    }
    // Numbers that are not identifiers, phone numbers or row numbers, under headers that do not
    // name an identifier.
    let measure = |i: usize| {
        let p = prof(i);
        p.leading_zeros == 0 && p.phone_like * 10 < p.non_empty && p.sequential * 2 < p.non_empty && !names_id(named(i))
    };
    // With a unit price named, the amount is made from it, not guessed from another column.
    if !out.mapping.contains_key(&Role::Amount) && !out.mapping.contains_key(&Role::UnitPrice) {
        let numeric = |i: &usize| !taken[*i] && prof(*i).number_share() >= 0.9 && measure(*i);
        let candidates: Vec<usize> = open.iter().copied().filter(numeric).collect();
        let with_decimals = candidates.iter().copied().filter(|&i| prof(i).decimals * 3 >= prof(i).non_empty);
        // Under a header that names nothing, only money-like numbers (with cents) are guessed to
        // be amounts: a column of small whole numbers is a rating or a count as often as not.
        let pick = with_decimals.max_by(|&a, &b| prof(a).mean.total_cmp(&prof(b).mean)).or_else(|| {
            headerless.then(|| candidates.iter().copied().max_by(|&a, &b| prof(a).mean.total_cmp(&prof(b).mean))).flatten()
        });
        if let Some(i) = pick {
            give(&mut out, &mut taken, Role::Amount, i, ValueKind::Amounts);
        }
    }
    if headerless && !out.mapping.contains_key(&Role::Quantity) {
        if let Some(i) = open.iter().copied().find(|&i| {
            let p = prof(i);
            !taken[i] && p.non_empty > 0 && p.integers == p.non_empty && measure(i) && p.max <= 1000.0 && p.mean >= 1.0
        }) {
            give(&mut out, &mut taken, Role::Quantity, i, ValueKind::Quantities);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn english_and_chinese_header_names_are_recognised() {
        let cases = [
            ("客户ID", Role::CustomerId),
            ("会员ID", Role::CustomerId),
            ("用户ID", Role::CustomerId),
            ("Customer ID", Role::CustomerId),
            ("customer_id", Role::CustomerId),
            ("下单时间", Role::Date),
            ("订单日期", Role::Date),
            ("日期", Role::Date),
            ("order_date", Role::Date),
            ("金额", Role::Amount),
            ("实付金额", Role::Amount),
            ("消费金额", Role::Amount),
            ("Revenue", Role::Amount),
            ("dollar_value", Role::Amount),
            ("订单号", Role::OrderId),
            ("number_of_cds", Role::Quantity),
            ("渠道", Role::Channel),
            ("来源", Role::Channel),
            ("品类", Role::Category),
            ("会员等级", Role::MemberLevel),
            ("评分", Role::Score),
            ("推荐意愿", Role::Score),
            ("Likelihood to recommend", Role::Score),
            ("评论", Role::Comment),
        ];
        for (name, want) in cases {
            assert_eq!(role_from_name(name), Some(want), "{name}");
        }
        assert_eq!(role_from_name("colour"), None);
    }

    /// Profiles of `rows` filled cells for each column, from (header, values).
    fn proposed(columns: &[(&str, &[&str])]) -> Proposal {
        let names: Vec<String> = columns.iter().map(|(n, _)| n.to_string()).collect();
        let profiles: Vec<Profile> = columns.iter().map(|(_, v)| profile(v)).collect();
        propose_with_reasons(&names, &profiles)
    }

    #[test]
    fn an_address_a_phone_or_a_name_never_becomes_a_customer_id_or_an_amount() {
        let phones: &[&str] = &["13812345678", "13987654321", "13812345678", "15011112222"];
        let places: &[&str] = &["浙江省", "广东省", "浙江省", "北京"];
        let money: &[&str] = &["12.50", "99.00", "12.50", "7.25"];
        let dates: &[&str] = &["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"];
        for vetoed in ["收货地址", "Shipping Province", "phone", "联系手机", "Billing Name", "city", "邮编", "桌号", "cashier"]
        {
            for values in [phones, places] {
                let p = proposed(&[(vetoed, values), ("下单时间", dates), ("实付金额", money)]);
                assert_eq!(p.mapping.get(&Role::CustomerId), None, "{vetoed} {values:?}");
            }
            let p = proposed(&[("客户ID", places), (vetoed, phones), ("下单时间", dates)]);
            assert_eq!(p.mapping.get(&Role::Amount), None, "{vetoed}");
        }
        // Phone numbers are never an amount, whatever their header.
        let p = proposed(&[("客户ID", places), ("x", phones), ("下单时间", dates)]);
        assert_eq!(p.mapping.get(&Role::Amount), None);
        // A buyer's phone number is a key by its header, and says so.
        let p = proposed(&[("买家手机号", phones), ("下单时间", dates), ("实付金额", money)]);
        assert_eq!(p.mapping.get(&Role::CustomerId), Some(&0));
        assert_eq!(p.reasons[&Role::CustomerId].to_string(), "from the header 买家手机号");
    }

    #[test]
    fn a_column_named_id_beats_an_unnamed_column_of_row_numbers() {
        let rows: &[&str] = &["1", "2", "3", "4", "5", "6"];
        let ids: &[&str] = &["R7", "R9", "R7", "R3", "R9", "R1"];
        let scores: &[&str] = &["9", "NA", "3", "10", "7", "NA"];
        let p = proposed(&[("", rows), ("id", ids), ("recommend", scores)]);
        assert_eq!(p.mapping.get(&Role::CustomerId), Some(&1));
        assert_eq!(p.mapping.get(&Role::Score), Some(&2));
        // Row numbers are no customer even where nothing else is.
        let p = proposed(&[("", rows), ("recommend", scores)]);
        assert_eq!(p.mapping.get(&Role::CustomerId), None);
    }

    #[test]
    fn values_make_a_customer_id_only_when_they_are_account_keys() {
        let keys: &[&str] = &["u1001", "u1002", "u1001", "u1003", "u1002", "u1004"];
        let titles: &[&str] = &["小米手环", "红米手机", "小米手环", "小米手环", "电视", "电视"];
        let p = proposed(&[("备用字段", keys), ("商品", titles)]);
        assert_eq!(p.mapping.get(&Role::CustomerId), Some(&0));
        assert_eq!(p.reasons[&Role::CustomerId].to_string(), "from the values: 4 distinct ids over 6 rows");
        let p = proposed(&[("商品标题", titles)]);
        assert_eq!(p.mapping.get(&Role::CustomerId), None, "repeated product titles are no customers");
    }

    #[test]
    fn role_names_are_written_normalised() {
        for role in Role::ALL {
            for name in role.names() {
                assert_eq!(normalise_name(name), *name, "{role:?}");
            }
        }
    }

    #[test]
    fn a_header_is_recognised_by_names_or_by_types() {
        let below = vec![s(&["00004", "0001", "19970101", "2", "29.33"]), s(&["00004", "0001", "19970118", "2", "29.73"])];
        assert!(!looks_like_header(&s(&["00021", "0002", "19970101", "3", "63.34"]), &below));
        assert!(looks_like_header(&s(&["cust", "seq", "when", "n", "spend"]), &below));
        assert!(looks_like_header(&s(&["customer_id", "date", "number_of_cds", "dollar_value"]), &[]));
    }

    #[test]
    fn headerless_cdnow_sample_columns_are_proposed_from_values() {
        let rows = [
            ["00004", "0001", "19970101", "2", "29.33"],
            ["00004", "0001", "19970118", "2", "29.73"],
            ["00021", "0002", "19970101", "3", "63.34"],
            ["00050", "0003", "19970101", "1", "11.77"],
        ];
        let profiles: Vec<Profile> = (0..5).map(|c| profile(&rows.iter().map(|r| r[c]).collect::<Vec<_>>())).collect();
        let names = vec![String::new(); 5];
        let m = propose(&names, &profiles);
        assert_eq!(m.get(&Role::CustomerId), Some(&0));
        assert_eq!(m.get(&Role::Date), Some(&2));
        assert_eq!(m.get(&Role::Quantity), Some(&3));
        assert_eq!(m.get(&Role::Amount), Some(&4));
    }

    #[test]
    fn names_win_over_values_and_each_column_gets_one_role() {
        let names = s(&["订单号", "客户ID", "下单时间", "实付金额", "渠道"]);
        let profiles = vec![Profile::default(); 5];
        let m = propose(&names, &profiles);
        assert_eq!(m.get(&Role::OrderId), Some(&0));
        assert_eq!(m.get(&Role::CustomerId), Some(&1));
        assert_eq!(m.get(&Role::Date), Some(&2));
        assert_eq!(m.get(&Role::Amount), Some(&3));
        assert_eq!(m.get(&Role::Channel), Some(&4));
    }
}
