//! The worker's state and its answers, without the browser: the files read, the segmentation and
//! the CLV run, and what each [`Request`] gets back. It compiles natively, so every request is
//! tested here; the worker's shell (`shell.rs`, WebAssembly only) reads files with the browser's
//! APIs, hands what it read to [`Session::settle`], and posts what the session sends.
//!
//! Answers go out through a sink (`out`) as they are made, so that progress reaches the page while
//! a file is read; each answer about a load carries the load's number, passed in explicitly.

use crate::core::analysis::comments::Comment;
use crate::core::analysis::nps::Survey;
use crate::core::clv::{self, ClvError, ClvReport};
use crate::core::dataset::Labels;
use crate::core::export;
use crate::core::ingest::{ingest, IngestError, IngestOptions, Ingested};
use crate::core::report::nps_page::{self, NpsSummary};
use crate::core::report::segments::{segment_with, CustomerFilter, Segmentation, SegmentationParams, SegmentationSummary};
use crate::core::sample::write_sample;
use crate::protocol::{ClvSort, ProgressStage, Request, Response, Slot, PAGE_SIZE, REJECTED_SHOWN};

mod answers;
mod files;
#[cfg(test)]
mod tests;

use self::answers::csv_download;
pub use self::answers::{failure, rehearsal, retry_after, Refusal};

/// Where the answers go: posted to the page by the worker, collected by tests.
pub type Out<'o> = &'o mut dyn FnMut(Response);

/// What the session needs of the machine it runs on.
#[derive(Clone, Copy)]
pub struct Host {
    /// Milliseconds from a monotonic clock (`performance.now()` in a worker).
    pub now_ms: fn() -> f64,
    /// The memory the program holds, in megabytes, where it can be known (a worker's WebAssembly
    /// memory); reported with a load's timings.
    pub memory_mb: fn() -> Option<f64>,
}

impl Host {
    /// A native host: `Instant` for the clock (it panics on wasm32), no memory figure.
    pub fn native() -> Self {
        fn now_ms() -> f64 {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
        }
        Self { now_ms, memory_mb: || None }
    }
}

/// What the shell is to do after an answer: nothing, the next step of a CLV run (after the
/// messages waiting now, a cancel among them), or read a user's file again.
#[derive(Debug)]
pub enum Next<F> {
    Idle,
    ClvStep(u32),
    Read(ReadAgain<F>),
}

/// A user's file to read again with other options ([`Request::Reparse`]).
#[derive(Debug)]
pub struct ReadAgain<F> {
    pub load: u32,
    pub name: String,
    pub file: F,
    pub options: IngestOptions,
    pub slot: Slot,
}

/// A file held in a slot: where to read it again with other options, and what was read from it.
/// `F` is the handle of a user's file (a browser `File`); a generated file is kept as its bytes.
struct Held<F> {
    name: String,
    file: Option<F>,
    bytes: Vec<u8>,
    ingested: Option<Ingested>,
}

impl<F> Default for Held<F> {
    fn default() -> Self {
        Self { name: String::new(), file: None, bytes: Vec::new(), ingested: None }
    }
}

/// A file that failed, kept so that the user may fix the options (encoding, mapping) and read it
/// again.
pub struct Kept<F> {
    pub name: String,
    pub file: Option<F>,
    pub bytes: Vec<u8>,
}

/// A CLV run between its steps, and its number.
struct ClvJob {
    run: u32,
    steps: clv::run::Run,
    /// Milliseconds per finished step.
    timings: Vec<f64>,
}

/// The datasets of a page and what was computed from them.
pub struct Session<F> {
    host: Host,
    transactions: Held<F>,
    survey: Held<F>,
    segmentation: Option<Segmentation>,
    /// The rules last asked for (kept while there are no transactions to apply them to).
    params: SegmentationParams,
    /// The CLV run in progress, and the last finished one with its list order.
    clv_job: Option<ClvJob>,
    clv: Option<ClvReport>,
    clv_list: Option<(ClvSort, Vec<usize>)>,
    /// Numbers CLV runs, so that a step of a cancelled or replaced run stops.
    clv_runs: u32,
    /// The sorted customers of the list last shown, so that paging does not sort again.
    list: Option<(CustomerFilter, Vec<usize>)>,
    /// The survey comments last sent to the page ([`Response::Comments`]), which it keeps.
    comments_sent: Option<Vec<Comment>>,
    /// The last actions and win-back priorities computed, for their exports (dropped with the
    /// segmentation they came from).
    actions: Option<(crate::core::report::actions::Actions, crate::core::report::actions::Winback)>,
    /// The member or lead list (its name and what was read), and the sources compared last.
    members: Option<(String, Ingested)>,
    /// The engagement events file, by name.
    events: Option<(String, Ingested)>,
    compare: Option<(String, String)>,
}

/// An action list or the win-back list as a download, or why it could not be made.
fn actions_download(
    file: Result<Vec<u8>, crate::api::ApiError>,
    file_name: &str,
    format: crate::core::export::ExportFormat,
) -> Response {
    match file {
        Ok(bytes) => {
            Response::Download { file_name: format!("{file_name}.{}", format.extension()), mime: format.mime().into(), bytes }
        }
        Err(e) => Response::ActionsFailed { message: e.message, code: e.code },
    }
}

impl<F> Session<F> {
    pub fn new(host: Host) -> Self {
        Self {
            host,
            transactions: Held::default(),
            survey: Held::default(),
            segmentation: None,
            params: SegmentationParams::default(),
            clv_job: None,
            clv: None,
            clv_list: None,
            clv_runs: 0,
            list: None,
            comments_sent: None,
            actions: None,
            members: None,
            events: None,
            compare: None,
        }
    }

    fn held(&mut self, slot: Slot) -> &mut Held<F> {
        match slot {
            Slot::Transactions => &mut self.transactions,
            Slot::Survey => &mut self.survey,
        }
    }

    /// The transactions read, if any.
    pub fn transactions(&self) -> Option<&Ingested> {
        self.transactions.ingested.as_ref()
    }

    /// Answers `request`. Loading a user's file and crashing on purpose are the shell's: they
    /// reach here only as [`Session::begin_load`], [`Session::settle`] and [`Session::failed`].
    pub fn handle(&mut self, request: Request, out: Out) -> Next<F> {
        match request {
            Request::Load { load, slot, .. } => {
                self.fail(load, "internal error: a file to load must come with its handle", slot.unwrap_or_default(), out)
            }
            Request::Crash => {}
            Request::Sample { load, customers, seed } => {
                self.send(Response::Progress { load, stage: ProgressStage::Generating, fraction: 0.0 }, out);
                let mut bytes = Vec::new();
                if let Err(e) = write_sample(customers, seed, &mut bytes) {
                    self.fail(load, &format!("could not generate the sample: {e}"), Slot::Transactions, out);
                } else {
                    let name = crate::protocol::sample_file_name(customers, seed);
                    self.read_bytes(load, name, bytes, IngestOptions::default(), Some(Slot::Transactions), out);
                }
            }
            Request::Reparse { load, options, slot } => {
                let held = std::mem::take(self.held(slot));
                match held.file {
                    Some(file) => return Next::Read(ReadAgain { load, name: held.name, file, options, slot }),
                    None if !held.bytes.is_empty() => self.read_bytes(load, held.name, held.bytes, options, Some(slot), out),
                    None => self.fail(load, "there is no file to read again: choose a file", Slot::Transactions, out),
                }
            }
            Request::ExportRejected { slot } => {
                let held = self.held(slot);
                match &held.ingested {
                    Some(i) => {
                        let csv = export::rejections_csv(&i.report.rejected);
                        let file_name = format!("{}.rejected.csv", held.name);
                        self.send(csv_download(file_name, &csv), out);
                    }
                    None => self.fail(0, "there is nothing to export: choose a file", Slot::Transactions, out),
                }
            }
            Request::DropSurvey => {
                self.survey = Held::default();
                self.refresh(out);
            }
            Request::Segment { params } if self.transactions.ingested.is_none() => {
                self.params = params;
                self.refresh(out);
            }
            Request::Segment { params } => {
                match self.segment(&params) {
                    Ok((summary, nps)) => self.send(Response::Segmented { summary: Box::new(summary), params, nps }, out),
                    Err(e) => self.send(e.segment_failed(), out),
                }
                // Another as-of date or period: the funnel under them.
                self.send_funnel(out);
            }
            Request::Customers { filter, offset } => match self.customers(&filter, offset) {
                Some((total, rows)) => self.send(Response::Customers { filter, offset, total, rows }, out),
                None => self.send(Refusal::NoSegmentation.segment_failed(), out),
            },
            Request::ExportCustomers { filter, file_name, format } => {
                let file = self.segmentation.as_ref().zip(self.transactions.ingested.as_ref()).map(|(seg, i)| {
                    let members = self.members.as_ref().map(|(_, m)| &m.dataset);
                    crate::api::export(&i.dataset, seg, &filter, format, members)
                });
                let response = match file {
                    Some(Ok(bytes)) => Response::Download {
                        file_name: format!("{file_name}.{}", format.extension()),
                        mime: format.mime().into(),
                        bytes,
                    },
                    Some(Err(e)) => Refusal::Export(e.message).segment_failed(),
                    None => Refusal::NoSegmentation.segment_failed(),
                };
                self.send(response, out);
            }
            Request::FollowUp { passives } => {
                let mut rows = self.follow_up(passives);
                let total = rows.len();
                rows.truncate(crate::protocol::WINBACK_SHOWN);
                self.send(Response::FollowUp { passives, rows, total }, out);
            }
            Request::ExportFollowUp { passives, file_name, format } => {
                use crate::core::export::{encode, follow_up_csv, follow_up_xlsx, ExportEncoding, ExportFormat};
                let rows = self.follow_up(passives);
                let file = match format {
                    ExportFormat::CsvUtf8 => Ok(encode(&follow_up_csv(&rows), ExportEncoding::Utf8Bom).0),
                    ExportFormat::CsvGbk => Ok(encode(&follow_up_csv(&rows), ExportEncoding::Gbk).0),
                    ExportFormat::Xlsx => follow_up_xlsx(&rows).map_err(|e| crate::api::ApiError::new("export_failed", e)),
                };
                self.send(actions_download(file, &file_name, format), out);
            }
            Request::ClvGroups => {
                let groups = match (self.transactions.ingested.as_ref(), self.segmentation.as_ref()) {
                    (Some(i), Some(seg)) => self
                        .clv_by_code(&i.dataset)
                        .map(|p| Box::new(crate::core::report::clv_groups::clv_groups(&i.dataset, seg, &p))),
                    _ => None,
                };
                self.send(Response::ClvGroups { groups }, out);
            }
            Request::Members { .. } => {
                self.fail(0, "internal error: a member list must come with its file", Slot::Transactions, out)
            }
            Request::Events { .. } => {
                self.fail(0, "internal error: an events file must come with its file", Slot::Transactions, out)
            }
            Request::DropEvents => {
                self.events = None;
                // A pyramid by engagement has nothing to rank by any more: back to the default.
                if self.params.pyramid.measure == crate::core::analysis::pyramid::Measure::Engagement {
                    self.params.pyramid.measure = crate::core::analysis::pyramid::Measure::default();
                }
                self.send(Response::Events { file: String::new(), error: None }, out);
                self.refresh(out);
            }
            Request::DropMembers => {
                self.members = None;
                self.compare = None;
                self.send(Response::MembersDropped, out);
            }
            Request::Funnel { compare } => {
                self.compare = compare;
                self.send_funnel(out);
            }
            Request::ExportFunnelList { once, file_name, format } => {
                let file = self.export_funnel_list(once, format);
                self.send(actions_download(file, &file_name, format), out);
            }
            Request::Profile { customer_id, zh } => {
                let answer = match self.profile(&customer_id, zh) {
                    Ok(profile) => Response::Profile { profile: Box::new(profile) },
                    Err(e) => Response::ProfileFailed { customer_id, message: e.message, code: e.code },
                };
                self.send(answer, out);
            }
            Request::Actions { playbook, winback } => {
                let answer = match self.actions(&playbook, winback) {
                    Ok((actions, winback)) => Response::Actions { actions: Box::new(actions), winback: Box::new(winback) },
                    Err(e) => Response::ActionsFailed { message: e.message, code: e.code },
                };
                self.send(answer, out);
            }
            Request::ExportActions { action, file_name, format } => {
                let file = self.export_actions(action, format);
                self.send(actions_download(file, &file_name, format), out);
            }
            Request::ExportWinback { file_name, format } => {
                let file = self.export_winback(format);
                self.send(actions_download(file, &file_name, format), out);
            }
            Request::CrossSell { params } => {
                let answer = match (self.transactions.ingested.as_ref(), self.segmentation.as_ref()) {
                    (Some(i), Some(seg)) => match crate::api::cross_sell(&i.dataset, seg, &params) {
                        Ok(result) => Response::CrossSell { result: Box::new(result) },
                        Err(e) => Response::CrossSellFailed { message: e.message, code: e.code },
                    },
                    _ => {
                        let refusal = Refusal::NoSegmentation;
                        Response::CrossSellFailed { message: refusal.to_string(), code: refusal.code().into() }
                    }
                };
                self.send(answer, out);
            }
            Request::Clv { params } => {
                self.clv_runs += 1;
                let run = self.clv_runs;
                let params = match params.check() {
                    Ok(valid) => valid,
                    Err(e) => {
                        self.clv_job = None;
                        self.send(Refusal::ClvParams(e).clv_failed(), out);
                        return Next::Idle;
                    }
                };
                self.clv_job = Some(ClvJob { run, steps: clv::run::Run::new(params), timings: Vec::new() });
                return Next::ClvStep(run);
            }
            Request::ClvCancel => {
                self.clv_job = None;
                self.send(Response::ClvCancelled, out);
            }
            Request::ClvCustomers { sort, offset } => match self.clv_page(sort, offset) {
                Some((total, rows)) => self.send(Response::ClvCustomers { sort, offset, total, rows }, out),
                None => self.send(Refusal::NoClv.clv_failed(), out),
            },
            Request::ExportClv { file_name } => {
                let response = match self.clv.as_ref().map(|r| export::clv_csv(&r.rows)) {
                    Some(Ok(csv)) => csv_download(format!("{file_name}.csv"), &csv),
                    Some(Err(message)) => Refusal::Export(message).clv_failed(),
                    None => Refusal::NoClv.clv_failed(),
                };
                self.send(response, out);
            }
            Request::Clear => {
                *self = Self::new(self.host);
                // The page forgets its comments on `Cleared`.
                self.send(Response::Cleared, out);
            }
        }
        Next::Idle
    }

    /// A new file for `slot` is about to be read: a new transaction file replaces the old one, freed
    /// now, before reading (a survey is small).
    pub fn begin_load(&mut self, slot: Slot) {
        if slot == Slot::Transactions {
            self.transactions = Held::default();
            self.segmentation = None;
            self.list = None;
        }
    }

    /// Reads generated `bytes` into `slot` (or the slot its content asks for), then refreshes the
    /// pages; the bytes are kept to read again with other options.
    fn read_bytes(&mut self, load: u32, name: String, bytes: Vec<u8>, options: IngestOptions, slot: Option<Slot>, out: Out) {
        let started = (self.host.now_ms)();
        let result = ingest(&bytes, &name, &options, &mut |stage, fraction| {
            out(Response::Progress { load, stage: stage.into(), fraction });
        });
        match result {
            Ok(ingested) => {
                let stages = vec![("parse".to_string(), (self.host.now_ms)() - started)];
                self.settle(load, Kept { name, file: None, bytes }, ingested, options, slot, stages, out);
            }
            Err(e) => {
                let keep = retry_after(&e).then_some(Kept { name, file: None, bytes });
                self.failed(load, keep, &e, slot, out);
            }
        }
    }

    /// Holds what was read in `slot` (or the slot its content asks for: a file with scores and no
    /// amounts is a survey), tells the pages, segments, and sends the time of each stage (`stages`,
    /// to which segmenting is added). Returns the slot.
    #[allow(clippy::too_many_arguments)]
    pub fn settle(
        &mut self,
        load: u32,
        source: Kept<F>,
        ingested: Ingested,
        options: IngestOptions,
        slot: Option<Slot>,
        mut stages: Vec<(String, f64)>,
        out: Out,
    ) -> Slot {
        let ds = &ingested.dataset;
        let slot = slot.unwrap_or(if ds.is_survey() { Slot::Survey } else { Slot::Transactions });
        let mut report = ingested.report.clone();
        report.rejected.truncate(REJECTED_SHOWN);
        *self.held(slot) = Held { name: source.name, file: source.file, bytes: source.bytes, ingested: Some(ingested) };
        if slot == Slot::Transactions {
            self.segmentation = None;
            self.list = None;
            self.clv_job = None;
            self.clv = None;
            self.clv_list = None;
            // Rules start afresh for new transactions (an as-of date of the old file would not fit).
            self.params = SegmentationParams { nps_latest: self.params.nps_latest, ..SegmentationParams::default() };
        }
        let parsed = (self.host.now_ms)();
        self.send(Response::Loaded { load, report: Box::new(report), options, slot }, out);
        // Segment with the rules in use right away, so the pages are ready when the user opens them.
        self.refresh(out);
        stages.push(("segment".into(), (self.host.now_ms)() - parsed));
        if let Some(mb) = (self.host.memory_mb)() {
            stages.push(("wasm-mb".into(), mb));
        }
        self.send(Response::Timings { stages }, out);
        slot
    }

    /// Reports a file that could not be read; `keep` holds it when the user may fix the options
    /// and read it again.
    pub fn failed(&mut self, load: u32, keep: Option<Kept<F>>, e: &IngestError, slot: Option<Slot>, out: Out) {
        let slot = slot.unwrap_or_default();
        *self.held(slot) = match keep {
            Some(k) => Held { name: k.name, file: k.file, bytes: k.bytes, ingested: None },
            None => Held::default(),
        };
        if slot == Slot::Transactions {
            self.segmentation = None;
            self.list = None;
        }
        self.send(failure(load, e, slot), out);
    }

    /// Reports a failure that is not about a file's content (`load` 0 for a request that is no load).
    pub fn fail(&self, load: u32, message: &str, slot: Slot, out: Out) {
        out(Response::Failed { load, message: message.into(), code: String::new(), slot, columns: Vec::new() });
    }

    /// The survey answers: the survey file joined to the transactions, or else the transactions'
    /// own score column.
    fn answers(&self) -> Option<Survey<'_>> {
        let tx = self.transactions.ingested.as_ref().map(|i| &i.dataset);
        let survey = self.survey.ingested.as_ref().map(|s| &s.dataset);
        match (survey, tx) {
            (survey, Some(tx)) => crate::api::answers(tx, survey),
            (Some(survey), None) => Some(Survey::joined(survey, &Labels::default())),
            (None, None) => None,
        }
    }

    /// The NPS page without a segmentation, from whatever answers there are.
    fn nps_alone(&self, params: &SegmentationParams) -> Option<Box<NpsSummary>> {
        self.answers().and_then(|a| nps_page::summary(&a, None, params.states.period, params.nps_latest).ok()).map(Box::new)
    }

    /// Segments the transactions (with the survey's answers for the pyramid) and builds the NPS page.
    ///
    /// # Errors
    /// [`Refusal::NoData`] without transactions, else the segmentation's own error.
    pub fn segment(&mut self, params: &SegmentationParams) -> Result<(SegmentationSummary, Option<Box<NpsSummary>>), Refusal> {
        self.params = params.clone();
        let dataset = &self.transactions.ingested.as_ref().ok_or(Refusal::NoData)?.dataset;
        let answers = self.answers();
        let clv = self.clv.as_ref().map(|r| clv::by_code(r, &dataset.customers));
        let valid = params.clone().check()?;
        let events = self.events.as_ref().map(|(_, e)| &e.dataset);
        let seg = segment_with(dataset, answers.as_ref(), clv.as_deref(), events, &valid)?;
        let nps = answers
            .and_then(|a| nps_page::summary(&a, Some(&seg), seg.params.states.period, seg.params.nps_latest).ok())
            .map(Box::new);
        let summary = seg.summary();
        self.segmentation = Some(seg);
        self.list = None;
        self.actions = None;
        Ok((summary, nps))
    }

    /// Sends what the pages show after a file changed: the segmentation with NPS, or NPS alone.
    fn refresh(&mut self, out: Out) {
        let params = self.params.clone();
        if self.transactions.ingested.is_none() {
            let nps = self.nps_alone(&params);
            return self.send(Response::Nps { nps }, out);
        }
        match self.segment(&params) {
            Ok((summary, nps)) => self.send(Response::Segmented { summary: Box::new(summary), params, nps }, out),
            Err(e) => {
                self.segmentation = None;
                self.send(e.segment_failed(), out);
                let nps = self.nps_alone(&params);
                self.send(Response::Nps { nps }, out);
            }
        }
        // The member list stays for new transactions: its funnel against them.
        self.send_funnel(out);
    }

    /// A page of the customers passing `filter` (their number, and the rows), sorted once per filter.
    fn customers(
        &mut self,
        filter: &CustomerFilter,
        offset: usize,
    ) -> Option<(usize, Vec<crate::core::report::segments::CustomerRow>)> {
        let (ingested, seg) = (self.transactions.ingested.as_ref()?, self.segmentation.as_ref()?);
        if self.list.as_ref().is_none_or(|(f, _)| f != filter) {
            self.list = Some((filter.clone(), seg.order(&ingested.dataset, filter)));
        }
        let order = &self.list.as_ref()?.1;
        let rows = order.iter().skip(offset).take(PAGE_SIZE).map(|&i| seg.row(&ingested.dataset, i)).collect();
        Some((order.len(), rows))
    }

    /// The follow-up list (empty without answers or a segmentation).
    fn follow_up(&self, passives: bool) -> Vec<crate::core::report::follow_up::FollowUpRow> {
        let (Some(ingested), Some(seg), Some(survey)) =
            (self.transactions.ingested.as_ref(), self.segmentation.as_ref(), self.answers())
        else {
            return Vec::new();
        };
        let clv = self.clv_by_code(&ingested.dataset);
        crate::core::report::follow_up::follow_up(&ingested.dataset, seg, &survey, clv.as_ref(), passives)
    }

    /// The predictions of the last CLV run by customer code, when there is one.
    fn clv_by_code(&self, ds: &crate::core::dataset::Dataset) -> Option<crate::core::report::actions::ClvByCode> {
        self.clv.as_ref().map(|r| crate::core::report::actions::clv_by_code(&r.rows, &ds.customers))
    }

    /// The story of the customer with id `id`, with their answers, the last CLV run's prediction
    /// and the action of the playbook last applied (the built-in one before any).
    fn profile(&self, id: &str, zh: bool) -> Result<crate::core::report::profile::Profile, crate::api::ApiError> {
        let (Some(ingested), Some(seg)) = (self.transactions.ingested.as_ref(), self.segmentation.as_ref()) else {
            return Err(crate::api::ApiError::new(Refusal::NoSegmentation.code(), Refusal::NoSegmentation));
        };
        let built_in;
        let playbook = match &self.actions {
            Some((actions, _)) => &actions.playbook,
            None => {
                built_in = crate::core::report::actions::Playbook::default_in(zh);
                &built_in
            }
        };
        let survey = self.answers();
        crate::api::profile(&ingested.dataset, seg, id, survey.as_ref(), self.clv.as_ref(), Some(playbook))
    }

    /// Every customer's action under `playbook` and the win-back priorities (kept for the
    /// exports); the page gets the first [`crate::protocol::WINBACK_SHOWN`] candidates.
    fn actions(
        &mut self,
        playbook: &crate::core::report::actions::Playbook,
        params: crate::core::report::actions::WinbackParams,
    ) -> Result<(crate::core::report::actions::Actions, crate::core::report::actions::Winback), crate::api::ApiError> {
        use crate::core::report::actions::{assign, winback};
        let no_segmentation = || crate::api::ApiError::new(Refusal::NoSegmentation.code(), Refusal::NoSegmentation);
        let (ingested, seg) = (self.transactions.ingested.as_ref(), self.segmentation.as_ref());
        let (Some(ingested), Some(seg)) = (ingested, seg) else { return Err(no_segmentation()) };
        let clv = self.clv_by_code(&ingested.dataset);
        let actions = assign(seg, playbook, clv.as_ref())?;
        let w = winback(&ingested.dataset, seg, clv.as_ref(), params);
        let mut shown = w.clone();
        shown.rows.truncate(crate::protocol::WINBACK_SHOWN);
        self.actions = Some((actions.clone(), w));
        Ok((actions, shown))
    }

    /// One action's customers (all with an action when `None`) as a file.
    fn export_actions(
        &self,
        action: Option<usize>,
        format: crate::core::export::ExportFormat,
    ) -> Result<Vec<u8>, crate::api::ApiError> {
        use crate::core::export::{action_csv, action_xlsx, encode, ExportEncoding};
        let (Some(ingested), Some(seg), Some((actions, _))) =
            (self.transactions.ingested.as_ref(), self.segmentation.as_ref(), self.actions.as_ref())
        else {
            return Err(crate::api::ApiError::new(Refusal::NoSegmentation.code(), Refusal::NoSegmentation));
        };
        let ds = &ingested.dataset;
        let clv = self.clv_by_code(ds);
        let answers = self.answers().map(|s| crate::core::report::actions::answers_by_code(&s, ds.customers.len()));
        let mut rows = crate::core::report::actions::rows(ds, seg, actions, action, clv.as_ref(), answers.as_ref());
        // With a member list, each customer's source: whom to reach through which channel.
        if let Some((_, members)) = &self.members {
            let source = crate::api::source_by_id(ds, &members.dataset);
            for r in &mut rows {
                r.source = Some(source(&r.customer_id));
            }
        }
        match format {
            crate::core::export::ExportFormat::CsvUtf8 => Ok(encode(&action_csv(&rows), ExportEncoding::Utf8Bom).0),
            crate::core::export::ExportFormat::CsvGbk => Ok(encode(&action_csv(&rows), ExportEncoding::Gbk).0),
            crate::core::export::ExportFormat::Xlsx => {
                action_xlsx(&rows).map_err(|e| crate::api::ApiError::new("export_failed", e))
            }
        }
    }

    /// The win-back candidates as a file (CSV; a workbook of the same columns).
    fn export_winback(&self, format: crate::core::export::ExportFormat) -> Result<Vec<u8>, crate::api::ApiError> {
        use crate::core::export::{encode, winback_csv, winback_xlsx, ExportEncoding, ExportFormat};
        let Some((_, w)) = self.actions.as_ref() else {
            return Err(crate::api::ApiError::new(Refusal::NoSegmentation.code(), Refusal::NoSegmentation));
        };
        match format {
            ExportFormat::CsvUtf8 => Ok(encode(&winback_csv(&w.rows), ExportEncoding::Utf8Bom).0),
            ExportFormat::CsvGbk => Ok(encode(&winback_csv(&w.rows), ExportEncoding::Gbk).0),
            ExportFormat::Xlsx => winback_xlsx(&w.rows).map_err(|e| crate::api::ApiError::new("export_failed", e)),
        }
    }

    /// A page of the CLV list sorted by `sort`, sorted once per order.
    fn clv_page(&mut self, sort: ClvSort, offset: usize) -> Option<(usize, Vec<clv::CustomerClv>)> {
        let report = self.clv.as_ref()?;
        if self.clv_list.as_ref().is_none_or(|(s, _)| *s != sort) {
            self.clv_list = Some((sort, sort.order(report)));
        }
        let order = &self.clv_list.as_ref()?.1;
        Some((order.len(), order.iter().skip(offset).take(PAGE_SIZE).map(|&i| report.rows[i].clone()).collect()))
    }

    /// One step of CLV run `run`: the summary, one model fit, or the predictions. A step of a run
    /// that was cancelled or replaced does nothing.
    pub fn clv_step(&mut self, run: u32, out: Out) -> Next<F> {
        let started = (self.host.now_ms)();
        let more = self.clv_advance(run, started, out);
        if !more {
            return Next::Idle;
        }
        let now = (self.host.now_ms)();
        match self.clv_job.as_mut().filter(|j| j.run == run) {
            Some(job) => {
                job.timings.push(now - started);
                Next::ClvStep(run)
            }
            None => Next::Idle,
        }
    }

    /// Runs the next step of `run`; whether another is due.
    fn clv_advance(&mut self, run: u32, started: f64, out: Out) -> bool {
        let Some(job) = self.clv_job.as_mut().filter(|j| j.run == run) else { return false };
        let Some(ds) = self.transactions.ingested.as_ref().map(|i| &i.dataset) else {
            self.clv_job = None;
            out(Refusal::ClvNoTransactions.clv_failed());
            return false;
        };
        out(Response::ClvProgress { step: job.steps.next() });
        let report = match job.steps.advance(ds) {
            Ok(Some(report)) => report,
            Ok(None) => return true,
            Err(e) => return self.stop_clv(e, out),
        };
        let Some(job) = self.clv_job.take() else { return false };
        let order = ClvSort::Clv.order(&report);
        let top = order.iter().take(PAGE_SIZE).map(|&i| report.rows[i].clone()).collect();
        let mut timings = job.timings;
        timings.push((self.host.now_ms)() - started);
        out(Response::ClvDone { report: Box::new(report.clone()), top, timings });
        self.clv_list = Some((ClvSort::Clv, order));
        self.clv = Some(report);
        // The member list's funnel again, now with the predicted value per lead.
        self.send_funnel(out);
        false
    }

    /// Ends the CLV run in progress on a step that failed; no step is due after it.
    fn stop_clv(&mut self, e: ClvError, out: Out) -> bool {
        out(Refusal::Clv(e).clv_failed());
        self.clv_job = None;
        false
    }

    /// Sends `response`. NPS summaries go without their comments list, whichever answer carries
    /// them: the page has it already, or gets it now (sent first, as [`Response::Comments`], when it
    /// differs from the one sent last).
    fn send(&mut self, mut response: Response, out: Out) {
        if let Response::Segmented { nps: Some(summary), .. } | Response::Nps { nps: Some(summary) } = &mut response {
            let shown = std::mem::take(&mut summary.comments.shown);
            if self.comments_sent.as_ref() != Some(&shown) {
                out(Response::Comments { shown: shown.clone() });
                self.comments_sent = Some(shown);
            }
        }
        out(response);
    }
}
