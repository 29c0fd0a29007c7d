//! Column roles: which column holds the customer id, the order date, the amount, and so on.
//!
//! A role is proposed from the header name first (common English and Chinese names), then from the
//! values for columns whose names say nothing (or headerless files). The user can change every
//! proposal; this module only guesses.

use crate::core::values::{self, DateOrder, DecimalMark};
use serde::{Deserialize, Serialize};
use std::collections::btree_map::Entry;
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
}

impl Role {
    pub const ALL: [Role; 10] = [
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
                "price",
                "gmv",
                "netamount",
                "金额",
                "实付金额",
                "消费金额",
                "订单金额",
                "支付金额",
                "付款金额",
                "实收金额",
                "成交金额",
                "交易金额",
                "销售额",
                "销售金额",
                "应付金额",
                "实付",
                "总金额",
                "订单总额",
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
        }
    }

    /// Fragments that, inside a longer header name, suggest this role (weaker than an exact name).
    fn fragments(self) -> &'static [&'static str] {
        match self {
            Role::CustomerId => &["customer", "客户", "会员id", "会员编号", "用户id"],
            Role::Date => &["date", "日期", "时间"],
            Role::Amount => &["amount", "revenue", "金额", "销售额"],
            Role::OrderId => &["orderid", "order_id", "订单号", "订单编号"],
            Role::Quantity => &["quantity", "qty", "数量"],
            Role::Channel => &["channel", "渠道"],
            Role::Category => &["category", "品类", "类目"],
            Role::MemberLevel => &["level", "等级"],
            Role::Score => &["score", "recommend", "评分", "推荐"],
            Role::Comment => &["comment", "feedback", "评论", "评价"],
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

/// The role a header name is exactly one of the names of (after normalising).
fn exact_role(name: &str) -> Option<Role> {
    exact_role_of(&normalise_name(name))
}

/// [`exact_role`] of a name already normalised.
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
    for &cell in cells {
        let c = cell.trim();
        if c.is_empty() {
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
        if let Ok(a) = values::parse_amount(c, mark) {
            p.numbers += 1;
            sum += a.value;
            p.max = p.max.max(a.value);
            let decimal_sep = if mark == DecimalMark::Comma { ',' } else { '.' };
            if c.contains(decimal_sep) {
                p.decimals += 1;
            } else {
                p.integers += 1;
            }
            if c.len() > 1 && c.starts_with('0') && c.bytes().all(|b| b.is_ascii_digit()) {
                p.leading_zeros += 1;
            }
        }
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

/// Proposes roles for columns: names first, then values for the roles still open.
pub fn propose(names: &[String], profiles: &[Profile]) -> Mapping {
    let mut mapping = Mapping::new();
    let mut taken = vec![false; profiles.len()];
    // Exact names, then fragments, each column and role used once.
    for exact in [true, false] {
        for (i, name) in names.iter().enumerate() {
            if taken[i] {
                continue;
            }
            let role = if exact { exact_role(name) } else { role_from_name(name) };
            if let Some(role) = role.filter(|r| !mapping.contains_key(r)) {
                mapping.insert(role, i);
                taken[i] = true;
            }
        }
    }
    let open = |taken: &[bool]| (0..profiles.len()).filter(|&i| !taken[i]).collect::<Vec<_>>();
    if let Entry::Vacant(slot) = mapping.entry(Role::Date) {
        if let Some(&i) = open(&taken)
            .iter()
            .filter(|&&i| profiles[i].date_share() >= 0.8)
            .max_by(|&&a, &&b| profiles[a].date_share().total_cmp(&profiles[b].date_share()).then(b.cmp(&a)))
        {
            slot.insert(i);
            taken[i] = true;
        }
    }
    if let Entry::Vacant(slot) = mapping.entry(Role::CustomerId) {
        // The first column of identifiers: text or whole numbers, mostly filled, not dates.
        if let Some(&i) = open(&taken).iter().find(|&&i| {
            let p = &profiles[i];
            p.non_empty > 0 && p.decimals * 10 <= p.non_empty && p.date_share() < 0.5
        }) {
            slot.insert(i);
            taken[i] = true;
        }
    }
    if let Entry::Vacant(slot) = mapping.entry(Role::Amount) {
        let numeric = |i: &usize| profiles[*i].number_share() >= 0.9 && profiles[*i].leading_zeros == 0;
        let candidates: Vec<usize> = open(&taken).into_iter().filter(numeric).collect();
        let with_decimals = candidates.iter().copied().filter(|&i| profiles[i].decimals * 3 >= profiles[i].non_empty);
        let pick = with_decimals
            .max_by(|&a, &b| profiles[a].mean.total_cmp(&profiles[b].mean))
            .or_else(|| candidates.iter().copied().max_by(|&a, &b| profiles[a].mean.total_cmp(&profiles[b].mean)));
        if let Some(i) = pick {
            slot.insert(i);
            taken[i] = true;
        }
    }
    if let Entry::Vacant(slot) = mapping.entry(Role::Quantity) {
        if let Some(i) = open(&taken).into_iter().find(|&i| {
            let p = &profiles[i];
            p.non_empty > 0 && p.integers == p.non_empty && p.leading_zeros == 0 && p.max <= 1000.0 && p.mean >= 1.0
        }) {
            slot.insert(i);
        }
    }
    mapping
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
