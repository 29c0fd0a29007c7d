//! Messages between the UI (main thread) and the worker that holds the dataset.
//!
//! Requests carry options, never data rows; responses carry summaries (the [`Report`]), never row
//! dumps. The file itself crosses once, as a `File` handle posted beside a [`Request::Load`]: the
//! worker reads its bytes (the main thread never copies them) and keeps them to re-read with other
//! options.

use crate::core::analysis::comments::Comment;
use crate::core::analysis::cross_sell::{CrossSell, CrossSellParams};
use crate::core::clv::{ClvParams, ClvReport, CustomerClv};
use crate::core::export::ExportFormat;
use crate::core::ingest::{IngestOptions, Report, Stage};
use crate::core::report::actions::{Actions, Playbook, Winback, WinbackParams};
use crate::core::report::nps_page::NpsSummary;
use crate::core::report::segments::{
    decodes, summary_parts, CustomerFilter, CustomerRow, DecodePart, SegmentationParams, SegmentationSummary,
};
use serde::{Deserialize, Serialize};

/// How many rejected rows a report sent to the UI lists; all are downloadable.
pub const REJECTED_SHOWN: usize = 100;
/// Customers per page of a drill-down list.
/// Win-back candidates sent to the page (the export has them all).
pub const WINBACK_SHOWN: usize = 100;

pub const PAGE_SIZE: usize = 100;

/// Which of the two files a message is about: the transactions (purchases) or a survey file of
/// its own (NPS answers joined to the transactions by customer id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    #[default]
    Transactions,
    Survey,
}

/// UI → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Read the `File` posted with this message, into `slot`; without one, a file with scores and
    /// no amounts is a survey and anything else is transactions.
    Load {
        /// The page's number for this load ([`Loads`]), echoed in its answers.
        load: u32,
        name: String,
        size: u64,
        options: IngestOptions,
        slot: Option<Slot>,
    },
    /// Generate the demo dataset and read it.
    Sample {
        load: u32,
        customers: usize,
        seed: u64,
    },
    /// Read the file held by the worker again with other options (mapping, encoding, …).
    Reparse {
        load: u32,
        options: IngestOptions,
        slot: Slot,
    },
    /// All rejected rows of a file as CSV, for download.
    ExportRejected {
        slot: Slot,
    },
    /// Forget the survey file; NPS comes from the transactions' own score column again, if any.
    DropSurvey,
    /// Segment the loaded customers (RFM, named segments, Chinese classes, ABC).
    Segment {
        params: SegmentationParams,
    },
    /// A page of the customers passing a filter, highest monetary value first.
    Customers {
        filter: CustomerFilter,
        offset: usize,
    },
    /// All customers passing a filter as CSV, for download.
    ExportCustomers {
        filter: CustomerFilter,
        file_name: String,
        format: ExportFormat,
    },
    /// Cross-purchase in sequence under the segmentation's as-of date and period.
    CrossSell {
        params: CrossSellParams,
    },
    /// The last CLV run's predictions rolled up by group under the segmentation.
    ClvGroups,
    /// Read the member or lead list posted with this message (id, registration date, source) and
    /// answer with the acquisition funnel; it stays, as a survey does, for the next transactions.
    Members {
        name: String,
    },
    /// Forget the member list.
    DropMembers,
    /// Read the engagement events file posted with this message (id, date, event type, points)
    /// and segment again with it: each customer's engagement score, the pyramid of participation.
    /// It stays, as a survey does, for the next transactions.
    Events {
        name: String,
    },
    /// Forget the events file.
    DropEvents,
    /// The funnel again, with two sources' first-order conversion compared.
    Funnel {
        compare: Option<(String, String)>,
    },
    /// The leads who never bought (`once`: bought once) as a file.
    ExportFunnelList {
        once: bool,
        file_name: String,
        format: ExportFormat,
    },
    /// One customer's story: the profile of the customer with this id, with the action of the
    /// playbook last applied (the built-in one, in Chinese with `zh`, before any).
    Profile {
        customer_id: String,
        zh: bool,
    },
    /// The complaints to follow up (detractors, and passives when asked), the most valuable first.
    FollowUp {
        passives: bool,
    },
    /// That list as a file.
    ExportFollowUp {
        passives: bool,
        file_name: String,
        format: ExportFormat,
    },
    /// Every customer's action under `playbook`, and the win-back priorities.
    Actions {
        playbook: Playbook,
        winback: WinbackParams,
    },
    /// One action's customers (every customer with an action when `None`) as a file.
    ExportActions {
        action: Option<usize>,
        file_name: String,
        format: ExportFormat,
    },
    /// The win-back candidates as a file.
    ExportWinback {
        file_name: String,
        format: ExportFormat,
    },
    /// Fit the CLV models (in steps, with progress; a new request or [`Request::ClvCancel`] stops
    /// the one running between steps).
    Clv {
        params: ClvParams,
    },
    ClvCancel,
    /// A page of the CLV customer list, sorted by `sort` (highest first).
    ClvCustomers {
        sort: ClvSort,
        offset: usize,
    },
    /// Every customer's CLV predictions as CSV (UTF-8 with BOM).
    ExportClv {
        file_name: String,
    },
    /// Drop everything the worker holds.
    Clear,
    /// Panic on purpose: how the browser tests check that a crashed worker is replaced and the app
    /// stays usable. The UI sends it only when the page is opened as `#crash-test=worker`.
    Crash,
}

/// What the CLV customer list is sorted by.
pub use crate::core::clv::ClvSort;

/// The steps of a CLV run, for its progress line.
pub use crate::core::clv::run::ClvStep;

/// Decodes one part of an answer in a function of its own. Derived, the decoder of [`Response`]
/// held every variant's parts inlined in one function of some 84,000 instructions, which the
/// browser compiles the first time any answer arrives: a 111 ms task on the page's thread at
/// start-up. Apart, each part is compiled when its first answer comes. The call goes through a
/// pointer the optimisers cannot see through: wasm-opt inlines a function called from one place
/// whatever its size, `#[inline(never)]` or not.
fn apart<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    let decode: fn(D) -> Result<T, D::Error> = std::hint::black_box(T::deserialize);
    decode(d)
}

/// A list of many short texts carried as one JSON text. Decoded part by part from the message,
/// 1,000 comments were 4,000 strings each copied out of the message on its own: 20–50 ms of the
/// page's thread in one task at start-up. As one text the copy is one, and the parsing is in
/// WebAssembly.
mod one_text {
    use serde::{de::Error as _, ser::Error as _, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::to_string(value).map_err(S::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}

/// The parts of a [`Response::Segmented`] answer, each with its decoder, by the answer's field and
/// the field within it: the summary's parts ([`summary_parts`]), its rules and its NPS page. The
/// page decodes them one a task before it decodes the first such answer whole (`ui::bridge`).
pub fn segmented_parts<'de, D: serde::Deserializer<'de>>() -> Vec<(&'static str, Option<&'static str>, DecodePart<D>)> {
    let summary = summary_parts::<D>().into_iter().map(|(name, decode)| ("summary", Some(name), decode));
    summary
        .chain([
            ("params", None, decodes::<D, SegmentationParams> as DecodePart<D>),
            ("nps", None, decodes::<D, Option<Box<NpsSummary>>>),
        ])
        .collect()
}

/// Worker → UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker has started and can take requests.
    Ready,
    /// How far a load has got (0..1 within the stage).
    Progress {
        /// The number of the load this is about, as the request gave it.
        load: u32,
        stage: ProgressStage,
        fraction: f64,
    },
    /// The file was read; `report.rejected` holds at most [`REJECTED_SHOWN`] rows.
    Loaded {
        load: u32,
        #[serde(deserialize_with = "apart")]
        report: Box<Report>,
        #[serde(deserialize_with = "apart")]
        options: IngestOptions,
        slot: Slot,
    },
    /// The file cannot be used; the message says why and what to do (in English; `code` is a stable
    /// key the UI translates, empty for internal errors).
    Failed {
        /// The load that failed; 0 for a request that is not a load.
        load: u32,
        message: String,
        code: String,
        /// The file that failed: a survey failing leaves the transactions as they were.
        slot: Slot,
        /// The file's columns, when the page may ask which is the customer id.
        #[serde(default)]
        columns: Vec<String>,
    },
    /// The NPS page when there is no segmentation to carry it (a survey file without transactions,
    /// or after the survey was dropped).
    Nps {
        #[serde(deserialize_with = "apart")]
        nps: Option<Box<NpsSummary>>,
    },
    /// The survey comments the NPS page lists (an NPS summary's `comments.shown`), sent before a
    /// `Nps` or `Segmented` answer whenever they differ from the ones sent last: those answers come
    /// with `comments.shown` empty, and the page puts these back. With 1,000 comments they were
    /// 115 KB of a 155 KB `Segmented` answer, decoded again on the page's thread after every
    /// segmentation.
    Comments {
        #[serde(with = "one_text")]
        shown: Vec<Comment>,
    },
    /// The segmentation pages' numbers; `nps` is present when the file has survey answers.
    Segmented {
        #[serde(deserialize_with = "apart")]
        summary: Box<SegmentationSummary>,
        #[serde(deserialize_with = "apart")]
        params: SegmentationParams,
        #[serde(deserialize_with = "apart")]
        nps: Option<Box<NpsSummary>>,
    },
    /// Segmentation is not possible (no dates or amounts mapped, bad parameters); the file stays loaded.
    SegmentFailed {
        message: String,
        /// A stable key the page translates (`no_dates`, `rfm_bins`, `no_segmentation`, …).
        #[serde(default)]
        code: String,
    },
    /// A page of a customer list.
    Customers {
        filter: CustomerFilter,
        offset: usize,
        total: usize,
        #[serde(deserialize_with = "apart")]
        rows: Vec<CustomerRow>,
    },
    /// A file to download: a customer list (CSV with a UTF-8 BOM, GBK CSV, or XLSX), every
    /// customer's CLV predictions, or the rows a file had rejected (CSV with a UTF-8 BOM).
    Download {
        file_name: String,
        mime: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    Cleared,
    /// A CLV run has reached `step`.
    ClvProgress {
        step: ClvStep,
    },
    /// The CLV run finished (the report's per-customer rows stay in the worker; `top` is the first
    /// page by CLV).
    ClvDone {
        #[serde(deserialize_with = "apart")]
        report: Box<ClvReport>,
        #[serde(deserialize_with = "apart")]
        top: Vec<CustomerClv>,
        /// Milliseconds each step took, in [`ClvStep::ALL`] order.
        timings: Vec<f64>,
    },
    ClvFailed {
        message: String,
        /// A stable key the page translates (`clv_no_repeat`, `no_clv`, …).
        #[serde(default)]
        code: String,
    },
    ClvCancelled,
    /// An answer a load of the worker's warm-up file gave (progress, loaded, comments, segmented,
    /// timings), for the page to render once out of sight: the first file's overview is then not
    /// the first time that code runs (see `ui::rehearsal`). Sent after the warm-up, one answer a
    /// message (each is decoded in a task of its own); `last` on the last.
    Rehearsal {
        #[serde(deserialize_with = "apart")]
        response: Box<Response>,
        last: bool,
    },
    /// How long the last load took in the worker, stage by stage, in milliseconds (read the file,
    /// parse and validate it, segment it), for `make bench` and the curious; a file read in parts
    /// adds `readers`, a count (the worker and its helpers).
    Timings {
        stages: Vec<(String, f64)>,
    },
    /// A page of the CLV customer list.
    ClvCustomers {
        sort: ClvSort,
        offset: usize,
        total: usize,
        #[serde(deserialize_with = "apart")]
        rows: Vec<CustomerClv>,
    },
    /// Cross-purchase in sequence, as asked.
    CrossSell {
        #[serde(deserialize_with = "apart")]
        result: Box<CrossSell>,
    },
    /// The first [`WINBACK_SHOWN`] customers to follow up, and how many there are.
    FollowUp {
        passives: bool,
        #[serde(deserialize_with = "apart")]
        rows: Vec<crate::core::report::follow_up::FollowUpRow>,
        total: usize,
    },
    /// The acquisition funnel of the member list `file` against the transactions, with the
    /// comparison asked for; or why there is none (`error`: code and English message).
    Funnel {
        file: String,
        #[serde(deserialize_with = "apart")]
        funnel: Option<Box<crate::core::analysis::funnel::Funnel>>,
        compare: Option<(String, String, Option<crate::core::analysis::trends::ProportionTest>)>,
        error: Option<(String, String)>,
    },
    /// The member list was dropped.
    MembersDropped,
    /// The events file `file` was read (`error`: code and English message when it was not), or
    /// dropped (`file` empty); the segmentation that follows carries its engagement.
    Events {
        file: String,
        error: Option<(String, String)>,
    },
    /// One customer's story, as asked.
    Profile {
        #[serde(deserialize_with = "apart")]
        profile: Box<crate::core::report::profile::Profile>,
    },
    /// No story for this id: no customer with it, or nothing segmented.
    ProfileFailed {
        customer_id: String,
        message: String,
        code: String,
    },
    /// Predicted CLV by group; `None` without a CLV run or a segmentation.
    ClvGroups {
        #[serde(deserialize_with = "apart")]
        groups: Option<Box<crate::core::report::clv_groups::ClvGroups>>,
    },
    /// The actions' totals, and the win-back priorities with their first [`WINBACK_SHOWN`] rows.
    Actions {
        #[serde(deserialize_with = "apart")]
        actions: Box<Actions>,
        #[serde(deserialize_with = "apart")]
        winback: Box<Winback>,
    },
    /// The playbook cannot be applied (a name the segmentation does not have …).
    ActionsFailed {
        message: String,
        code: String,
    },
    /// Cross-purchase cannot be measured as asked (no category column, a name not in the file …).
    CrossSellFailed {
        message: String,
        code: String,
    },
}

/// Stages of a load, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStage {
    Reading,
    Generating,
    /// Reading a workbook's cells (`.xlsx`).
    Workbook,
    Decoding,
    Parsing,
}

impl From<Stage> for ProgressStage {
    fn from(s: Stage) -> Self {
        match s {
            Stage::Workbook => Self::Workbook,
            Stage::Decoding => Self::Decoding,
            Stage::Parsing => Self::Parsing,
        }
    }
}

/// A load the page has sent and not yet seen answered.
#[derive(Debug, Clone, PartialEq)]
pub struct SentLoad {
    pub load: u32,
    /// The slot asked for; `None` when the worker decides from the file's content.
    pub target: Option<Slot>,
    /// The file's name, for the progress line.
    pub name: String,
}

/// The page's bookkeeping of the loads it sent, so that each answer is shown only when no later
/// file replaces it.
///
/// Answers do not always come in the order the loads were sent (a big file waits for the
/// helper's half while a small survey chosen meanwhile is read), and a file chosen without a slot
/// goes where its content says. An answer for a slot is therefore held back while a later load
/// that may land in the same slot is unanswered: dropped if that load lands there, shown (in the
/// order sent) if it lands elsewhere or fails to be read at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Loads<A> {
    sent: Vec<SentLoad>,
    /// Answers held back: (load, slot it went into, answer).
    held: Vec<(u32, Slot, A)>,
}

impl<A> Default for Loads<A> {
    fn default() -> Self {
        Self { sent: Vec::new(), held: Vec::new() }
    }
}

impl<A> Loads<A> {
    /// Notes a load sent; `load` numbers increase.
    pub fn send(&mut self, load: u32, target: Option<Slot>, name: String) {
        self.sent.push(SentLoad { load, target, name });
    }

    /// The load `load`, while it is unanswered.
    pub fn sent(&self, load: u32) -> Option<&SentLoad> {
        self.sent.iter().find(|s| s.load == load)
    }

    /// The load sent last of those unanswered.
    pub fn latest(&self) -> Option<&SentLoad> {
        self.sent.last()
    }

    /// The answer to load `load`, which went into `slot` (`None`: it was replaced before it was
    /// read, and has nothing to show). Returns the answers to show now, in the order their loads
    /// were sent; an answer to a load that is not pending (already answered, or from before the
    /// worker restarted) returns nothing.
    pub fn answer(&mut self, load: u32, slot: Option<Slot>, answer: A) -> Vec<A> {
        let Some(at) = self.sent.iter().position(|s| s.load == load) else { return Vec::new() };
        self.sent.remove(at);
        if let Some(slot) = slot {
            // What an earlier load put in this slot is replaced by this one.
            self.held.retain(|&(held, into, _)| !(into == slot && held < load));
            let at = self.held.partition_point(|&(held, _, _)| held < load);
            self.held.insert(at, (load, slot, answer));
        }
        let sent = &self.sent;
        let may_replace = |held: u32, slot: Slot| sent.iter().any(|s| s.load > held && s.target.is_none_or(|t| t == slot));
        let (wait, show): (Vec<_>, Vec<_>) = self.held.drain(..).partition(|&(held, slot, _)| may_replace(held, slot));
        self.held = wait;
        show.into_iter().map(|(_, _, answer)| answer).collect()
    }
}

/// The worker's name as the page starts it: it carries the page's `navigator.hardwareConcurrency`
/// (`loyalty-lens cores=8`), which decides how many helper workers read big files. A worker's own
/// navigator says the same in a real browser; the page's is the one a test can emulate.
pub fn worker_name(cores: f64) -> String {
    format!("{WORKER_NAME} cores={cores}")
}

/// The cores a worker's name carries (see [`worker_name`]).
pub fn cores_in_worker_name(name: &str) -> Option<usize> {
    let cores: f64 = name.strip_prefix(WORKER_NAME)?.trim().strip_prefix("cores=")?.parse().ok()?;
    (cores.is_finite() && cores >= 1.0).then_some(cores as usize)
}

const WORKER_NAME: &str = "loyalty-lens";

/// The file name the generated sample data is read under.
pub fn sample_file_name(customers: usize, seed: u64) -> String {
    format!("sample-{customers}-customers-seed-{seed}.csv")
}

/// Whether `name` is the generated sample data's (the first-run tour shows on it).
pub fn is_sample_file(name: &str) -> bool {
    name.strip_prefix("sample-").and_then(|rest| rest.strip_suffix(".csv")).is_some_and(|rest| rest.contains("-customers-seed-"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::ingest;

    #[test]
    fn the_workers_name_carries_the_pages_cores() {
        assert_eq!(cores_in_worker_name(&worker_name(8.0)), Some(8));
        assert_eq!(cores_in_worker_name(&worker_name(1.0)), Some(1));
        // A browser that hides its cores (0, NaN) or any other name: none, the worker asks its own.
        for name in
            [worker_name(0.0), worker_name(f64::NAN), "loyalty-lens-helper".into(), String::new(), "loyalty-lens cores=x".into()]
        {
            assert_eq!(cores_in_worker_name(&name), None, "{name}");
        }
    }

    /// Sends loads numbered from 1 with these targets.
    fn sent(targets: &[Option<Slot>]) -> Loads<&'static str> {
        let mut loads = Loads::default();
        for (i, &target) in targets.iter().enumerate() {
            loads.send(i as u32 + 1, target, format!("file {}", i + 1));
        }
        loads
    }

    const T: Option<Slot> = Some(Slot::Transactions);
    const S: Option<Slot> = Some(Slot::Survey);

    #[test]
    fn an_answer_with_nothing_after_it_is_shown_at_once() {
        let mut loads = sent(&[None]);
        assert_eq!(loads.latest().map(|s| s.name.as_str()), Some("file 1"));
        assert_eq!(loads.answer(1, T, "a"), vec!["a"]);
        assert_eq!(loads.latest(), None);
        // Answered once: a second answer (or one from before a restart) is not shown.
        assert_eq!(loads.answer(1, T, "again"), Vec::<&str>::new());
        assert_eq!(loads.answer(7, T, "unknown"), Vec::<&str>::new());
    }

    #[test]
    fn a_later_file_for_the_same_slot_replaces_an_earlier_one() {
        let mut loads = sent(&[T, T]);
        assert_eq!(loads.answer(1, T, "first"), Vec::<&str>::new());
        assert_eq!(loads.answer(2, T, "second"), vec!["second"]);
        // The same when the slot was left to the content, and the second lands where the first did.
        let mut loads = sent(&[None, None]);
        assert_eq!(loads.answer(1, T, "first"), Vec::<&str>::new());
        assert_eq!(loads.answer(2, T, "second"), vec!["second"]);
    }

    #[test]
    fn a_survey_chosen_while_the_transactions_are_read_does_not_hide_them() {
        // Answered in order.
        let mut loads = sent(&[None, S]);
        assert_eq!(loads.answer(1, T, "transactions"), vec!["transactions"]);
        assert_eq!(loads.answer(2, Some(Slot::Survey), "survey"), vec!["survey"]);
        // The survey first (the transactions wait for the helper's half).
        let mut loads = sent(&[None, S]);
        assert_eq!(loads.answer(2, Some(Slot::Survey), "survey"), vec!["survey"]);
        assert_eq!(loads.answer(1, T, "transactions"), vec!["transactions"]);
    }

    #[test]
    fn an_answer_waits_for_a_later_file_that_may_land_in_its_slot() {
        // The second file, dropped without a slot, turns out to be a survey: both are shown, in order.
        let mut loads = sent(&[None, None]);
        assert_eq!(loads.answer(1, T, "transactions"), Vec::<&str>::new());
        assert_eq!(loads.answer(2, Some(Slot::Survey), "survey"), vec!["transactions", "survey"]);
        // It was replaced before it was read: the first is shown then.
        let mut loads = sent(&[None, None]);
        assert_eq!(loads.answer(1, T, "transactions"), Vec::<&str>::new());
        assert_eq!(loads.answer(2, None, "replaced"), vec!["transactions"]);
    }

    #[test]
    fn a_replaced_load_shows_nothing_and_the_rest_go_on() {
        let mut loads = sent(&[T, S, T]);
        assert_eq!(loads.answer(1, None, "replaced"), Vec::<&str>::new());
        assert_eq!(loads.sent(1), None);
        assert_eq!(loads.sent(2).map(|s| s.target), Some(S));
        assert_eq!(loads.answer(3, T, "third"), vec!["third"]);
        assert_eq!(loads.answer(2, Some(Slot::Survey), "survey"), vec!["survey"]);
    }

    #[test]
    fn held_answers_of_both_slots_come_out_in_the_order_sent() {
        let mut loads = sent(&[None, S, None]);
        assert_eq!(loads.answer(2, Some(Slot::Survey), "survey"), Vec::<&str>::new());
        assert_eq!(loads.answer(1, T, "transactions"), Vec::<&str>::new());
        // The third fails to be read: it says so in the transactions' slot, replacing the first.
        assert_eq!(loads.answer(3, T, "failed"), vec!["survey", "failed"]);
    }

    #[test]
    fn a_loaded_report_survives_the_trip_to_the_ui() {
        let text = "客户ID,下单时间,实付金额,评分\n00042,2024-03-05,¥12,9\n,2024-03-06,1,\n";
        let report = ingest(text.as_bytes(), "t.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().report;
        let sent = Response::Loaded { load: 1, report: Box::new(report), options: IngestOptions::default(), slot: Slot::Survey };
        let json = serde_json::to_string(&sent).unwrap();
        let received: Response = serde_json::from_str(&json).unwrap();
        assert_eq!(received, sent);
    }

    #[test]
    fn comments_survive_the_trip_to_the_ui_as_one_text() {
        let comment = |score, text: &str, customer: Option<&str>| Comment {
            score,
            text: text.into(),
            customer: customer.map(Into::into),
            date: Some("2024-03-05".into()),
            channel: None,
        };
        let sent = Response::Comments {
            shown: vec![
                comment(9, "物流很快，\"包装\"好\n下次还买", Some("00042")),
                comment(0, "", None),
                comment(7, "ok 👍", Some("a,b")),
            ],
        };
        let json = serde_json::to_value(&sent).unwrap();
        // The list is one string in the message, not an array of objects.
        assert!(json["Comments"]["shown"].is_string(), "{json}");
        let received: Response = serde_json::from_value(json).unwrap();
        assert_eq!(received, sent);
        let broken = serde_json::json!({ "Comments": { "shown": "[{\"score\": 9" } });
        assert!(serde_json::from_value::<Response>(broken).is_err());
    }

    #[test]
    fn requests_survive_the_trip_to_the_worker() {
        let options = IngestOptions {
            map: vec![crate::core::ingest::MapOverride::parse("amount=3").unwrap()],
            encoding: Some("GBK".into()),
            ..Default::default()
        };
        for sent in [
            Request::Reparse { load: 2, options, slot: Slot::Survey },
            Request::Sample { load: 3, customers: 10, seed: 1 },
            Request::ExportRejected { slot: Slot::Transactions },
            Request::DropSurvey,
        ] {
            let json = serde_json::to_string(&sent).unwrap();
            assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), sent);
        }
    }

    #[test]
    fn the_sample_file_is_known_by_its_name() {
        assert!(super::is_sample_file(&super::sample_file_name(20_000, 42)));
        assert!(!super::is_sample_file("sample.csv") && !super::is_sample_file("orders-20000-customers-seed-1.csv"));
    }
}
