//! The files users download: a list of customers (CSV or XLSX), every customer's CLV predictions,
//! the rows a file had rejected. Each takes what its stage computed and writes it, every field from
//! a user's file guarded against formula injection.

use crate::core::clv::CustomerClv;
use crate::core::export::csv::{guard_csv, neutralise};
use crate::core::export::xlsx::{
    xlsx,
    Cell::{Number, Text},
};
use crate::core::ingest::Rejection;
use crate::core::report::actions::{ActionRow, WinbackRow, ACTION_COLUMNS};
use crate::core::report::follow_up::{FollowUpRow, FOLLOW_UP_COLUMNS};
use crate::core::report::segments::{CustomerRow, CUSTOMER_COLUMNS};

/// `rows` as CSV under `header` (written once, explicitly, so that an empty list still has it),
/// every field guarded against formula injection ([`neutralise`]): names and comments come from
/// users' files.
fn guarded_csv<T: serde::Serialize>(header: &[&str], rows: &[T]) -> String {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.serialize(r);
    }
    guard_csv(&String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default())
}

/// Customer rows as CSV with a header (`customer_id,recency_days,…,cn_segment,abc,tier,stage,state`),
/// guarded against formula injection ([`neutralise`]).
pub fn customers_csv(rows: &[CustomerRow]) -> String {
    guarded_csv(&customer_columns(rows), rows)
}

/// [`CUSTOMER_COLUMNS`], then `engagement_score` and `source` when the rows have them (an events
/// file, a member list given).
fn customer_columns(rows: &[CustomerRow]) -> Vec<&'static str> {
    let first = rows.first();
    extra_columns(
        &CUSTOMER_COLUMNS,
        first.is_some_and(|r| r.engagement_score.is_some()),
        first.is_some_and(|r| r.source.is_some()),
    )
}

/// `columns`, then `engagement_score` and `source` when the rows have them.
fn extra_columns(columns: &[&'static str], engagement: bool, source: bool) -> Vec<&'static str> {
    let mut out = columns.to_vec();
    out.extend(engagement.then_some("engagement_score"));
    out.extend(source.then_some("source"));
    out
}

/// [`ACTION_COLUMNS`], then `engagement_score` and `source` when the rows have them.
fn action_columns(rows: &[ActionRow]) -> Vec<&'static str> {
    let first = rows.first();
    extra_columns(&ACTION_COLUMNS, first.is_some_and(|r| r.engagement_score.is_some()), first.is_some_and(|r| r.source.is_some()))
}

/// Customer rows as an XLSX workbook with the columns of [`customers_csv`]; numbers stay numbers.
///
/// # Errors
/// What the workbook writer reports.
pub fn customers_xlsx(rows: &[CustomerRow]) -> Result<Vec<u8>, String> {
    // Each row's cells are made as the writer takes it, not all at once.
    let cells = rows.iter().map(|r| {
        vec![
            Text(r.customer_id.clone()),
            Number(f64::from(r.recency_days)),
            Number(f64::from(r.frequency)),
            r.monetary.map_or_else(|| Text(String::new()), Number),
            Number(f64::from(r.r)),
            Number(f64::from(r.f)),
            r.m.map_or_else(|| Text(String::new()), |m| Number(f64::from(m))),
            Text(r.segment.clone()),
            Text(r.cn_segment.clone()),
            Text(r.abc.clone()),
            Text(r.tier.clone()),
            Text(r.stage.clone()),
            Text(r.state.clone()),
        ]
        .into_iter()
        .chain(r.engagement_score.map(Number))
        .chain(r.source.clone().map(Text))
        .collect::<Vec<_>>()
    });
    xlsx("customers", &customer_columns(rows), cells)
}

/// The funnel's activation list as CSV with a header
/// (`member_id,registered,source,orders_after,first_order_after`), guarded against formula
/// injection ([`neutralise`]).
pub fn member_csv(rows: &[crate::core::analysis::funnel::MemberRow]) -> String {
    guarded_csv(&MEMBER_COLUMNS, rows)
}

/// The funnel's activation list as an XLSX workbook with the columns of [`member_csv`].
///
/// # Errors
/// What the workbook writer reports.
pub fn member_xlsx(rows: &[crate::core::analysis::funnel::MemberRow]) -> Result<Vec<u8>, String> {
    let cells = rows.iter().map(|r| {
        vec![
            Text(r.member_id.clone()),
            Text(r.registered.clone()),
            Text(r.source.clone()),
            Number(r.orders_after as f64),
            Text(r.first_order_after.clone()),
        ]
    });
    xlsx("members", &MEMBER_COLUMNS, cells)
}

/// The columns of [`member_csv`].
pub const MEMBER_COLUMNS: [&str; 5] = ["member_id", "registered", "source", "orders_after", "first_order_after"];

/// An action list as CSV with a header ([`ACTION_COLUMNS`]), guarded against formula injection
/// ([`neutralise`]): comments and names come from users' files.
pub fn action_csv(rows: &[ActionRow]) -> String {
    guarded_csv(&action_columns(rows), rows)
}

/// An action list as an XLSX workbook with the columns of [`action_csv`]; numbers stay numbers,
/// missing ones empty.
///
/// # Errors
/// What the workbook writer reports.
pub fn action_xlsx(rows: &[ActionRow]) -> Result<Vec<u8>, String> {
    let maybe = |v: Option<f64>| v.map_or_else(|| Text(String::new()), Number);
    let cells = rows.iter().map(|r| {
        vec![
            Text(r.customer_id.clone()),
            Text(r.action.clone()),
            Text(r.channel.clone()),
            Number(f64::from(r.priority)),
            Text(r.segment.clone()),
            Number(f64::from(r.r)),
            Number(f64::from(r.f)),
            maybe(r.m.map(f64::from)),
            Text(r.pyramid_tier.clone()),
            Text(r.stage.clone()),
            Text(r.state.clone()),
            Text(r.last_order.clone()),
            Number(f64::from(r.orders)),
            maybe(r.spend),
            maybe(r.clv),
            maybe(r.p_alive),
            maybe(r.nps_score.map(f64::from)),
            Text(r.nps_comment.clone()),
        ]
        .into_iter()
        .chain(r.engagement_score.map(Number))
        .chain(r.source.clone().map(Text))
        .collect::<Vec<_>>()
    });
    xlsx("actions", &action_columns(rows), cells)
}

/// The follow-up list as CSV with a header ([`FOLLOW_UP_COLUMNS`]), guarded against formula
/// injection: comments come from users' files.
pub fn follow_up_csv(rows: &[FollowUpRow]) -> String {
    guarded_csv(&FOLLOW_UP_COLUMNS, rows)
}

/// The follow-up list as an XLSX workbook with the columns of [`follow_up_csv`].
///
/// # Errors
/// What the workbook writer reports.
pub fn follow_up_xlsx(rows: &[FollowUpRow]) -> Result<Vec<u8>, String> {
    let cells = rows.iter().map(|r| {
        vec![
            Text(r.customer_id.clone()),
            Number(f64::from(r.score)),
            Text(r.category.clone()),
            Text(r.answered.clone()),
            Text(r.comment.clone()),
            Text(r.history.clone()),
            Text(r.segment.clone()),
            Text(r.stage.clone()),
            Text(r.last_order.clone()),
            Number(f64::from(r.orders)),
            r.spend.map_or_else(|| Text(String::new()), Number),
            r.clv.map_or_else(|| Text(String::new()), Number),
        ]
    });
    xlsx("follow-up", &FOLLOW_UP_COLUMNS, cells)
}

/// Win-back candidates as CSV (`customer_id,stage,recency_days,spend_12_months,clv,p_alive,
/// value_at_risk,invest`), guarded against formula injection.
pub fn winback_csv(rows: &[WinbackRow]) -> String {
    guarded_csv(&WINBACK_COLUMNS, rows)
}

/// Win-back candidates as an XLSX workbook with the columns of [`winback_csv`].
///
/// # Errors
/// What the workbook writer reports.
pub fn winback_xlsx(rows: &[WinbackRow]) -> Result<Vec<u8>, String> {
    let maybe = |v: Option<f64>| v.map_or_else(|| Text(String::new()), Number);
    let cells = rows.iter().map(|r| {
        vec![
            Text(r.customer_id.clone()),
            Text(r.stage.clone()),
            Number(f64::from(r.recency_days)),
            Number(r.spend_12_months),
            maybe(r.clv),
            maybe(r.p_alive),
            Number(r.value_at_risk),
            Text(r.invest.to_string()),
        ]
    });
    xlsx("winback", &WINBACK_COLUMNS, cells)
}

/// The columns of [`winback_csv`].
pub const WINBACK_COLUMNS: [&str; 8] =
    ["customer_id", "stage", "recency_days", "spend_12_months", "clv", "p_alive", "value_at_risk", "invest"];

/// Every customer's predictions as CSV (`customer_id,frequency,recency,T,monetary_value,p_alive,
/// expected_purchases,expected_value,clv,holdout_actual,holdout_expected`), ids written as text and
/// guarded against formula injection ([`neutralise`]).
///
/// # Errors
/// A message if a row cannot be written.
pub fn clv_csv(rows: &[CustomerClv]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map(|t| guard_csv(&t)).map_err(|e| e.to_string())
}

/// Rejections as CSV (`row,column,value,reason,code`), for download; the rejected values come
/// straight from the file, so every field is guarded against formula injection.
pub fn rejections_csv(rejected: &[Rejection]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["row", "column", "value", "reason", "code"]);
    for r in rejected {
        let row = r.row.to_string();
        let _ = w.write_record([row.as_str(), &r.column, &r.value, &r.reason, &r.code].map(|f| neutralise(f).into_owned()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
