//! Proposing a role for every column: header names first (with the words that veto a name, such
//! as a phone number for a customer id), then the values of columns whose names say nothing, each
//! with the reason shown beside it.

use super::*;

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
pub(super) const VETO_WORDS: &[&str] = &[
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
pub(super) const VETO_PARTS: &[&str] = &[
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
pub(super) const KEY_WORDS: &[&str] = &["customer", "client", "member", "buyer", "user", "account", "cust"];
pub(super) const KEY_PARTS: &[&str] = &["客户", "会员", "买家", "用户", "顾客", "昵称", "手机号"];
/// Words of a header that make a column an identifier or a code, never an amount or a quantity.
pub(super) const ID_WORDS: &[&str] = &["id", "no", "number", "code", "num", "uid", "key", "ref", "reference"];
pub(super) const ID_PARTS: &[&str] = &["编号", "号", "码", "id"];

/// The English words of a header, lower-cased: split at anything not a letter or digit, and where
/// a lower-case letter meets a capital (`UnitPrice` → unit, price).
pub(super) fn words(name: &str) -> Vec<String> {
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
pub(super) fn names_any(name: &str, words_of: &[String], wanted: &[&str], parts: &[&str]) -> bool {
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
pub(super) const CONTACT_WORDS: &[&str] = &["phone", "mobile", "tel", "telephone", "cell", "cellphone", "email", "mail"];
pub(super) const CONTACT_PARTS: &[&str] = &["电话", "手机", "联系", "邮箱"];

/// Whether a header is vetoed for anything but being a contact (see [`CONTACT_WORDS`]).
pub(super) fn vetoed_beyond_contact(name: &str) -> bool {
    let w: Vec<String> = words(name).into_iter().filter(|x| !CONTACT_WORDS.contains(&x.as_str())).collect();
    let mut rest = name.to_lowercase();
    for part in CONTACT_PARTS {
        rest = rest.replace(part, " ");
    }
    names_any(&rest, &w, VETO_WORDS, VETO_PARTS)
}

/// Whether a header names a person or account key.
pub(super) fn names_key(name: &str) -> bool {
    let lower = name.to_lowercase();
    names_any(&lower, &words(name), KEY_WORDS, KEY_PARTS)
}

/// Whether a header names an identifier or code.
pub(super) fn names_id(name: &str) -> bool {
    let lower = name.to_lowercase();
    names_any(&lower, &words(name), ID_WORDS, ID_PARTS)
}

/// Roles whose values are numbers: proposed from part of a header only over numbers.
pub(super) fn numeric(role: Role) -> bool {
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
