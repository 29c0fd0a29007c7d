//! The analyses as commands: what `loyalty-lens inspect | rfm | segments | nps | pyramid | clv` prints
//! and what the npm package (`package/`) returns, built in one place so that the two give the same
//! numbers under the same keys. The options come as the CLI's flags do (`options`): the CLI reads
//! its flags into them, the package deserialises them from the page's objects.
//!
//! Every failure is an [`ApiError`]: a stable `code` (the same keys the app translates) and a
//! message in English.

pub mod options;

use crate::core::analysis::cohorts::Cohorts;
use crate::core::analysis::customers::Facts;
use crate::core::analysis::customers::{spilled_facts, threads, SPILL_GATHER_ROWS};
use crate::core::analysis::nps::{from_dataset, Survey};
use crate::core::analysis::pyramid::Pyramid;
use crate::core::analysis::rfm::{score_with, Rfm, RfmFacts, RfmParams};
use crate::core::dataset::{Dataset, Labels};
use crate::core::export::{self, ExportEncoding, ExportFormat};
use crate::core::ingest::{IngestError, SpilledRead};
use crate::core::report::nps_page::{summary as nps_summary, GroupNps};
use crate::core::report::segments::{
    scored, segment_with, CustomerFilter, CustomerRow, RfmRow, SegmentError, Segmentation, SegmentationSummary,
    ValidSegmentationParams,
};
use crate::core::values::{format_day, Day};
use serde::Serialize;
use std::collections::BTreeMap;

pub use self::options::{ClvOptions, CrossSellOptions, Filter, ReadOptions, Rules};

/// Why a command gave no result: `code` is stable (what a program branches on), `message` says what
/// to do, in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// The file's columns, when the caller may ask the user which one is the customer id
    /// (`no_customer_column`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

impl ApiError {
    pub fn new(code: &str, message: impl std::fmt::Display) -> Self {
        Self { code: code.into(), message: message.to_string(), columns: Vec::new() }
    }

    /// An option that cannot be used (a flag of the CLI, a key of the package's options).
    pub fn option(message: impl std::fmt::Display) -> Self {
        Self::new("bad_option", message)
    }
}

/// Builds `From<E> for ApiError` for the core's typed errors, each with its own `code()`.
macro_rules! coded {
    ($($t:ty),*) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                Self::new(e.code(), &e)
            }
        }
    )*};
}
coded!(
    crate::core::report::segments::SegmentError,
    crate::core::analysis::engagement::EngagementError,
    crate::core::report::rules::RulesError,
    crate::core::clv::ClvError,
    crate::core::clv::form::ClvParamsError,
    crate::core::analysis::pyramid::PyramidError,
    crate::core::analysis::cross_sell::CrossSellError,
    crate::core::report::actions::PlaybookError
);

impl From<crate::core::ingest::IngestError> for ApiError {
    fn from(e: crate::core::ingest::IngestError) -> Self {
        let columns = match &e {
            crate::core::ingest::IngestError::NoCustomerColumn { columns } => columns.clone(),
            _ => Vec::new(),
        };
        Self { columns, ..Self::new(e.code(), &e) }
    }
}

impl From<crate::core::analysis::nps::NpsError> for ApiError {
    fn from(e: crate::core::analysis::nps::NpsError) -> Self {
        Self::new("no_responses", e)
    }
}

/// `rfm`: every customer's RFM scores and segments, in the order of their first appearance in the
/// file; serialised as `rfm --format json` prints it, the rows made as they are written. Holds what
/// the rows need of each customer ([`RfmFacts`]), not their whole facts.
pub struct RfmReport<'a> {
    names: &'a Labels,
    as_of: Day,
    rows_after_as_of: usize,
    customers: Vec<RfmFacts>,
    rfm: Rfm,
    bins: u8,
}

impl RfmReport<'_> {
    /// The day recency is measured to.
    pub fn as_of(&self) -> String {
        format_day(self.as_of)
    }

    /// Rows dated after the as-of day, left out.
    pub fn rows_after_as_of(&self) -> usize {
        self.rows_after_as_of
    }

    /// Every customer's row.
    pub fn rows(&self) -> impl Iterator<Item = RfmRow<'_>> {
        self.customers.iter().enumerate().map(|(i, &c)| RfmRow::named(self.names, c, &self.rfm, i))
    }
}

impl Serialize for RfmReport<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        /// The rows, serialised as a list while they are made.
        struct Rows<'r, 'a>(&'r RfmReport<'a>);
        impl Serialize for Rows<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.rows())
            }
        }
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("RfmReport", 8)?;
        out.serialize_field("as_of", &self.as_of())?;
        out.serialize_field("bins", &self.bins)?;
        out.serialize_field("customers", &self.customers.len())?;
        out.serialize_field("rows_after_as_of", &self.rows_after_as_of)?;
        // The means the 8-class model compares against.
        out.serialize_field("mean_recency_days", &self.rfm.mean_recency)?;
        out.serialize_field("mean_frequency", &self.rfm.mean_frequency)?;
        out.serialize_field("mean_monetary", &self.rfm.mean_monetary)?;
        out.serialize_field("rows", &Rows(self))?;
        out.end()
    }
}

/// Scores every customer of `ds` (`params` checked by the caller).
///
/// # Errors
/// What the segmentation's facts and scoring refuse (no dates, no amounts, bad thresholds …).
pub fn rfm<'a>(ds: &'a Dataset, as_of: Option<Day>, params: &RfmParams) -> Result<RfmReport<'a>, ApiError> {
    let (facts, rfm) = scored(ds, as_of, params)?;
    let customers = facts.customers.iter().map(RfmFacts::from).collect();
    Ok(RfmReport {
        names: &ds.customers,
        as_of: facts.as_of,
        rows_after_as_of: facts.rows_after_as_of,
        customers,
        rfm,
        bins: params.bins,
    })
}

/// [`rfm`] of a file read with its rows put aside ([`crate::core::ingest::ingest_spilled`]): the
/// same report, each customer's facts computed a bucket of customers at a time and only what the
/// rows need of them kept.
///
/// # Errors
/// As [`rfm`], and `scratch_failed` when the rows put aside cannot be read back.
pub fn rfm_spilled<'a>(read: &'a mut SpilledRead, as_of: Option<Day>, params: &RfmParams) -> Result<RfmReport<'a>, ApiError> {
    let SpilledRead { dataset, spill, .. } = read;
    let (found, customers) = spilled_facts(dataset, spill, as_of, SPILL_GATHER_ROWS, threads(), &|f, _, _| RfmFacts::from(&f))
        .map_err(|e| ApiError::from(IngestError::Scratch(e.to_string())))?
        .map_err(SegmentError::from)?;
    let rfm = score_with(&customers, params, found.amounts).map_err(SegmentError::from)?;
    Ok(RfmReport {
        names: &dataset.customers,
        as_of: found.as_of,
        rows_after_as_of: found.rows_after_as_of,
        customers,
        rfm,
        bins: params.bins,
    })
}

/// The whole segmentation of `ds` (with its own score column as the survey, when it has one) and,
/// when given, the predicted CLV of each customer code for a pyramid ranked by CLV.
///
/// # Errors
/// What the segmentation refuses.
pub fn segmentation(ds: &Dataset, params: &ValidSegmentationParams, clv: Option<&[f64]>) -> Result<Segmentation, ApiError> {
    segmentation_with(ds, params, clv, None)
}

/// [`segmentation`] with an events file (see [`read_events`]): each customer's engagement score
/// and the pyramid of participation.
///
/// # Errors
/// What the segmentation refuses.
pub fn segmentation_with(
    ds: &Dataset,
    params: &ValidSegmentationParams,
    clv: Option<&[f64]>,
    events: Option<&Dataset>,
) -> Result<Segmentation, ApiError> {
    let inline = ds.score.is_some().then(|| Survey::inline(ds));
    Ok(segment_with(ds, inline.as_ref(), clv, events, params)?)
}

/// Names (normalised, in part) of an events file's event-type column and of its points column.
const EVENT_TYPE_NAMES: [&str; 12] =
    ["eventtype", "event", "type", "action", "activity", "interaction", "事件", "类型", "行为", "互动", "活动", "参与"];
const POINTS_NAMES: [&str; 7] = ["points", "point", "积分", "分值", "weight", "权重", "分数"];

/// Reads an engagement events file: customer id, date, event type (论坛发帖, 内测 …) and
/// optionally points. The customer id and the date are found as in any file; the event type is
/// the column named as one (`event_type`, `事件类型`, `行为` …) — failing that, the text column
/// the reader took for a category, channel or comment — and the points the column named as
/// points (`积分`, `points`, `weight`). The type is read as the file's category and the points'
/// cells as its comments (text by row, so that a blank cell counts the event once rather than
/// rejecting the row): [`crate::core::analysis::engagement::engagement`] reads them so.
///
/// # Errors
/// What reading refuses; `events_no_type` without an event-type column, `no_dates` without dates.
pub fn read_events(bytes: &[u8], name: &str) -> Result<crate::core::ingest::Ingested, ApiError> {
    use crate::core::ingest::roles::{normalise_name, Role};
    use crate::core::ingest::{ColumnRef, IngestOptions, MapOverride};
    let first = crate::core::ingest::ingest(bytes, name, &IngestOptions::default(), &mut |_, _| {})?;
    let columns = &first.report.columns;
    let taken = |c: &crate::core::ingest::Column| matches!(c.role, Some(Role::CustomerId | Role::Date));
    let named = |names: &[&str], c: &crate::core::ingest::Column| {
        let n = normalise_name(&c.name);
        names.iter().any(|x| n.contains(x))
    };
    let points = columns.iter().find(|c| !taken(c) && named(&POINTS_NAMES, c));
    let kind = columns
        .iter()
        .find(|c| !taken(c) && Some(c.position) != points.map(|p| p.position) && named(&EVENT_TYPE_NAMES, c))
        .or_else(|| {
            columns.iter().find(|c| {
                matches!(c.role, Some(Role::Category | Role::Channel | Role::Comment))
                    && Some(c.position) != points.map(|p| p.position)
            })
        })
        .ok_or_else(|| {
            let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
            ApiError::new(
                "events_no_type",
                format!(
                    "the events file needs an event-type column (论坛发帖, 内测, 推荐好友 …) named as one (event, type, 事件, 类型, 行为); columns: {}",
                    names.join(", ")
                ),
            )
        })?;
    if first.dataset.day.is_none() {
        return Err(ApiError::new("no_dates", "the events file needs a date column"));
    }
    // Only the id, the date, the type and the points are read: every other role is unmapped.
    let at = |role: Role, c: Option<&crate::core::ingest::Column>| MapOverride {
        role,
        column: c.map(|c| ColumnRef::Position(c.position)),
    };
    let map = Role::ALL
        .into_iter()
        .filter(|r| !matches!(r, Role::CustomerId | Role::Date | Role::Category | Role::Comment))
        .map(|r| at(r, None))
        .chain([at(Role::Category, Some(kind)), at(Role::Comment, points)])
        .collect();
    Ok(crate::core::ingest::ingest(bytes, name, &IngestOptions { map, ..IngestOptions::default() }, &mut |_, _| {})?)
}

/// `segments`: the summary of [`segmentation`].
///
/// # Errors
/// What the segmentation refuses.
pub fn segments(ds: &Dataset, params: &ValidSegmentationParams) -> Result<SegmentationSummary, ApiError> {
    Ok(segmentation(ds, params, None)?.summary())
}

/// `pyramid`: the loyalty pyramid of [`segmentation`] (its rules in `params.pyramid`).
///
/// # Errors
/// What the segmentation refuses (a pyramid by CLV without `clv` among them).
pub fn pyramid(ds: &Dataset, params: &ValidSegmentationParams, clv: Option<&[f64]>) -> Result<Pyramid, ApiError> {
    Ok(segmentation(ds, params, clv)?.pyramid)
}

/// `cohorts`: the cohort triangle of `ds` by the rules' period, up to their as-of date.
///
/// # Errors
/// What computing the customers' facts refuses (no dates, no rows). Without amounts the
/// triangle's revenue is `null`.
pub fn cohorts(ds: &Dataset, params: &ValidSegmentationParams) -> Result<Cohorts, ApiError> {
    use crate::core::analysis::customers::facts;
    use crate::core::report::segments::SegmentError;
    let facts = facts(ds, params.as_of).map_err(SegmentError::from)?;
    Ok(crate::core::analysis::cohorts::cohorts(ds, &facts, params.states.period))
}

/// The rules' facts of the orders `ds`, for the funnel of the member file `members`.
fn funnel_facts(ds: &Dataset, members: &Dataset, params: &ValidSegmentationParams) -> Result<Facts, ApiError> {
    if members.day.is_none() {
        return Err(ApiError::option("the member file has no date column: map the registration date"));
    }
    Ok(crate::core::analysis::customers::facts(ds, params.as_of).map_err(crate::core::report::segments::SegmentError::from)?)
}

/// `funnel`: the acquisition funnel of the member file `members` against the orders of `ds` (the
/// rules' as-of date and period), with `compare`'s two sources' first-order conversion tested
/// (`comparison`); with `clv` (predicted CLV by customer code), the predicted value per lead.
///
/// # Errors
/// What computing the orders' facts refuses; `bad_option` for a source to compare that the member
/// file does not have, or a member file without dates.
pub fn funnel(
    ds: &Dataset,
    members: &Dataset,
    params: &ValidSegmentationParams,
    compare: Option<&[String]>,
    clv: Option<&[f64]>,
) -> Result<serde_json::Value, ApiError> {
    use crate::core::analysis::funnel;
    let facts = funnel_facts(ds, members, params)?;
    let f = funnel::funnel(members, ds, &facts, params.states.period, clv);
    let mut value = serde_json::to_value(&f).map_err(|e| ApiError::new("internal", e))?;
    if let Some([a, b]) = compare {
        for k in [a, b] {
            if !f.by_source.iter().any(|s| &s.key == k) {
                let names: Vec<&str> = f.by_source.iter().map(|s| s.key.as_str()).collect();
                return Err(ApiError::option(format!(
                    "there is no source '{k}' in the member file (sources: {})",
                    names.join(", ")
                )));
            }
        }
        value["comparison"] = serde_json::json!({ "a": a, "b": b, "first_order": funnel::compare(&f, a, b) });
    }
    Ok(value)
}

/// `funnel --list`: the members (leads: not customers before registering) who `never` bought
/// after registering, or bought `once`, in the member file's order.
///
/// # Errors
/// As [`funnel`]; `bad_option` for another list.
pub fn funnel_list(
    ds: &Dataset,
    members: &Dataset,
    params: &ValidSegmentationParams,
    which: &str,
) -> Result<Vec<crate::core::analysis::funnel::MemberRow>, ApiError> {
    let orders = match which {
        "never" => 0,
        "once" => 1,
        other => return Err(ApiError::option(format!("list '{other}': never or once"))),
    };
    let facts = funnel_facts(ds, members, params)?;
    Ok(crate::core::analysis::funnel::member_rows(members, ds, &facts, orders))
}

/// `cross-sell`: cross-purchase from the anchor to the target categories, up to the
/// segmentation's as-of date and by its period.
///
/// # Errors
/// The cross-sell codes: `no_category`, `unknown_category`, `cross_sell_nothing_chosen`,
/// `cross_sell_both`, `cross_sell_params`.
pub fn cross_sell(
    ds: &Dataset,
    seg: &Segmentation,
    params: &crate::core::analysis::cross_sell::CrossSellParams,
) -> Result<crate::core::analysis::cross_sell::CrossSell, ApiError> {
    Ok(crate::core::analysis::cross_sell::cross_sell(ds, seg.facts.as_of, seg.params.states.period, params)?)
}

/// Each customer code's predicted CLV and P(alive) from a CLV run on the whole history (default
/// CLV options: calibration to the last purchase, no holdout), for the action lists and win-back.
///
/// # Errors
/// What the CLV models refuse (no repeat purchases, too few customers …).
pub fn clv_by_code(ds: &Dataset) -> Result<crate::core::report::actions::ClvByCode, ApiError> {
    let report = clv_whole_history(ds)?;
    Ok(crate::core::report::actions::clv_by_code(&report.rows, &ds.customers))
}

/// The CLV run of [`clv_by_code`]: default CLV options on the whole history.
///
/// # Errors
/// What the CLV models refuse.
pub fn clv_whole_history(ds: &Dataset) -> Result<crate::core::clv::ClvReport, ApiError> {
    let params = ClvOptions::default().params(options::key)?;
    Ok(crate::core::clv::analyse(ds, &params)?)
}

/// `actions --format json`: every customer of `seg` given the action of the options' playbook,
/// with each action's totals (predicted CLV from `clv` when given).
///
/// # Errors
/// The playbook's errors: `playbook_line`, `playbook_unknown_segment` … (with the line to fix).
pub fn actions(
    seg: &Segmentation,
    options: &options::ActionsOptions,
    clv: Option<&crate::core::report::actions::ClvByCode>,
) -> Result<crate::core::report::actions::Actions, ApiError> {
    Ok(crate::core::report::actions::assign(seg, &options.playbook()?, clv)?)
}

/// `actions`: the campaign list of the options' `action` (every customer with an action when none
/// is named), with each customer's latest answer when the file has scores.
///
/// # Errors
/// `bad_option` for an action the playbook does not have.
pub fn action_rows(
    ds: &Dataset,
    seg: &Segmentation,
    actions: &crate::core::report::actions::Actions,
    options: &options::ActionsOptions,
    clv: Option<&crate::core::report::actions::ClvByCode>,
    name: options::Naming,
) -> Result<Vec<crate::core::report::actions::ActionRow>, ApiError> {
    let only = options.action(&actions.playbook, name)?;
    let survey = ds.score.is_some().then(|| Survey::inline(ds));
    let answers = survey.as_ref().map(|s| crate::core::report::actions::answers_by_code(s, ds.customers.len()));
    Ok(crate::core::report::actions::rows(ds, seg, actions, only, clv, answers.as_ref()))
}

/// The answers of `survey` joined to `ds`'s customers by id, or `ds`'s own score column without
/// one (`None` when it has none).
pub fn answers<'a>(ds: &'a Dataset, survey: Option<&'a Dataset>) -> Option<Survey<'a>> {
    match survey {
        Some(answers) => Some(Survey::joined(answers, &ds.customers)),
        None => ds.score.is_some().then(|| Survey::inline(ds)),
    }
}

/// `follow-up`: the customers of `seg` whose latest answer (in `survey`, else `ds`'s own score
/// column) is a detractor's (or a passive's, with `passives`), the most valuable first.
///
/// # Errors
/// `no_responses` when there are no answers.
pub fn follow_up(
    ds: &Dataset,
    seg: &Segmentation,
    survey: Option<&Dataset>,
    clv: Option<&crate::core::report::actions::ClvByCode>,
    passives: bool,
) -> Result<Vec<crate::core::report::follow_up::FollowUpRow>, ApiError> {
    let answers = answers(ds, survey)
        .filter(|s| s.answers.score.is_some())
        .ok_or_else(|| ApiError::new("no_responses", "there are no survey answers (scores 0–10): map a score column"))?;
    Ok(crate::core::report::follow_up::follow_up(ds, seg, &answers, clv, passives))
}

/// `profile`: the story of the customer with id `id` in `seg` — their orders on a timeline, their
/// state and stage by period, scores and tiers — with their answers in `survey`, their prediction
/// in the CLV run `clv` and their action under `playbook`, when given.
///
/// # Errors
/// `unknown_customer` when no customer with that id has a purchase on or before the as-of date;
/// the playbook's errors when it names what `seg` does not have.
pub fn profile(
    ds: &Dataset,
    seg: &Segmentation,
    id: &str,
    survey: Option<&Survey>,
    clv: Option<&crate::core::clv::ClvReport>,
    playbook: Option<&crate::core::report::actions::Playbook>,
) -> Result<crate::core::report::profile::Profile, ApiError> {
    use crate::core::report::profile::{profile, ProfileAction};
    let i = seg.index_of(ds, id).ok_or_else(|| {
        let as_of = format_day(seg.facts.as_of);
        // An id typed without its leading zeros or in another case is an easy slip: name the ids
        // it could have meant, never take one for it.
        let loose = |s: &str| s.trim().trim_start_matches('0').to_lowercase();
        let wanted = loose(id);
        let near: Vec<&str> = ds.customers.iter().filter(|n| loose(n) == wanted && !wanted.is_empty()).take(3).collect();
        let hint = if near.is_empty() { String::new() } else { format!(" (did you mean '{}'?)", near.join("', '")) };
        ApiError::new("unknown_customer", format!("no customer with the id '{}' bought on or before {as_of}{hint}", id.trim()))
    })?;
    let clv = clv.and_then(|r| r.rows.iter().find(|row| row.customer_id == id.trim()).map(|row| (row, r.horizon_months)));
    if let Some(p) = playbook {
        p.check(seg)?;
    }
    let action = playbook.and_then(|p| p.row_for(seg, i).map(|k| &p.rows[k])).map(|row| ProfileAction {
        action: row.action.clone(),
        channel: row.channel.clone(),
        priority: row.priority,
    });
    Ok(profile(ds, seg, i, survey, clv, action))
}

/// `nps`: the Net Promoter Score of `answers`' score column with its interval, overall and by
/// channel; with `transactions`, the answers joined to them by customer id under `joined` (NPS by
/// RFM segment, lifecycle stage, membership tier and pyramid tier, default rules).
///
/// # Errors
/// No score column, or a transaction file that cannot be segmented.
pub fn nps(answers: &Dataset, latest: bool, transactions: Option<&Dataset>) -> Result<serde_json::Value, ApiError> {
    let report = from_dataset(answers, latest)?;
    let mut json = serde_json::to_value(&report).map_err(|e| ApiError::new("internal", e))?;
    if let Some(tx) = transactions {
        let survey = Survey::joined(answers, &tx.customers);
        let params = crate::core::report::segments::SegmentationParams::default().check()?;
        let seg = segment_with(tx, Some(&survey), None, None, &params)?;
        let s = nps_summary(&survey, Some(&seg), params.states.period, latest)?;
        let by = |groups: &[GroupNps]| groups.iter().map(|g| (g.key.clone(), g.nps.clone())).collect::<BTreeMap<_, _>>();
        json["joined"] = serde_json::json!({
            "matched": s.matched,
            "by_segment": by(&s.by_segment),
            "by_stage": by(&s.by_stage),
            "by_tier": by(&s.by_tier),
            "by_pyramid": by(&s.by_pyramid),
        });
    }
    Ok(json)
}

/// A page of a customer list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomersPage {
    /// Customers passing the filter.
    pub total: usize,
    pub offset: usize,
    /// At most the page's limit of them, highest monetary value first (ties by customer id).
    pub rows: Vec<CustomerRow>,
}

/// The customers of `seg` passing `filter`, from `offset`, at most `limit`.
pub fn customers(ds: &Dataset, seg: &Segmentation, filter: &CustomerFilter, offset: usize, limit: usize) -> CustomersPage {
    let order = seg.order(ds, filter);
    let rows = order.iter().skip(offset).take(limit).map(|&i| seg.row(ds, i)).collect();
    CustomersPage { total: order.len(), offset, rows }
}

/// Each customer's acquisition source in the member list `members`, by the customer's id in `ds`
/// (empty for one the list does not name): the customer exports' `source` column.
pub fn source_by_id<'a>(ds: &'a Dataset, members: &Dataset) -> impl Fn(&str) -> String + 'a {
    let by_code = crate::core::analysis::funnel::sources(members, ds);
    move |id| ds.customers.code(id).and_then(|c| by_code.get(c as usize).cloned()).unwrap_or_default()
}

/// The customers of `seg` passing `filter` as a file: CSV (UTF-8 with a BOM, or GBK) or XLSX;
/// with a member list, each customer's source in it.
///
/// # Errors
/// `export_failed` when the file cannot be written.
pub fn export(
    ds: &Dataset,
    seg: &Segmentation,
    filter: &CustomerFilter,
    format: ExportFormat,
    members: Option<&Dataset>,
) -> Result<Vec<u8>, ApiError> {
    let mut rows = seg.rows(ds, filter);
    if let Some(members) = members {
        let source = source_by_id(ds, members);
        for r in &mut rows {
            r.source = Some(source(&r.customer_id));
        }
    }
    match format {
        ExportFormat::CsvUtf8 => Ok(export::encode(&export::customers_csv(&rows), ExportEncoding::Utf8Bom).0),
        ExportFormat::CsvGbk => Ok(export::encode(&export::customers_csv(&rows), ExportEncoding::Gbk).0),
        ExportFormat::Xlsx => export::customers_xlsx(&rows).map_err(|e| ApiError::new("export_failed", e)),
    }
}

#[cfg(test)]
mod tests;
