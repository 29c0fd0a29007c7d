//! The npm package's WebAssembly side: a [`Dataset`] opened from a file's bytes, and the commands
//! of `loyalty_lens::api` on it. Options come in and results go out as JSON text, so that a result
//! is byte for byte what the CLI prints (the same serialiser); `package/js/index.js` wraps this in
//! the package's typed API (objects, a `LoyaltyError` with a `code`, async CLV, the worker).
//! Failures are thrown as the JSON of an `ApiError`.

use loyalty_lens::api::options::{key, ActionsOptions, WinbackOptions};
use loyalty_lens::api::{self, ApiError, ClvOptions, CrossSellOptions, Filter, ReadOptions, Rules};
use loyalty_lens::core::clv::run::Run;
use loyalty_lens::core::clv::{by_code, ClvReport, ClvSort};
use loyalty_lens::core::export::ExportFormat;
use loyalty_lens::core::ingest::{ingest, Ingested, Stage};
use loyalty_lens::core::report::segments::{Segmentation, ValidSegmentationParams};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Talc in place of Rust's default WebAssembly allocator, as in the app's worker: a smaller module.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The error thrown to JavaScript: an `ApiError`'s JSON.
fn thrown(e: ApiError) -> JsValue {
    JsValue::from_str(
        &serde_json::to_string(&e).unwrap_or_else(|_| format!("{{\"code\":\"internal\",\"message\":{:?}}}", e.message)),
    )
}

/// Options as JSON (an empty text, `null` or `undefined` for the defaults).
fn parse<T: DeserializeOwned + Default>(json: &str, what: &str) -> Result<T, JsValue> {
    match json.trim() {
        "" | "null" | "undefined" => Ok(T::default()),
        text => serde_json::from_str(text).map_err(|e| thrown(ApiError::option(format!("{what}: {e}")))),
    }
}

fn json(value: &impl Serialize) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| thrown(ApiError::new("internal", e)))
}

fn stage(s: Stage) -> &'static str {
    match s {
        Stage::Workbook => "workbook",
        Stage::Decoding => "decoding",
        Stage::Parsing => "parsing",
    }
}

/// Reads a file: `bytes` its content, `name` its name (`.xlsx`, `.csv` … help the detection),
/// `options` the JSON of `ReadOptions`; `progress(stage, fraction)` is called as it goes.
#[wasm_bindgen]
pub fn open(bytes: &[u8], name: &str, options: &str, progress: Option<js_sys::Function>) -> Result<Dataset, JsValue> {
    let read: ReadOptions = parse(options, "options")?;
    let options = read.options(key).map_err(thrown)?;
    let mut report = |s: Stage, fraction: f64| {
        if let Some(f) = &progress {
            // A throwing progress callback must not stop the read.
            let _ = f.call2(&JsValue::NULL, &JsValue::from_str(stage(s)), &JsValue::from_f64(fraction));
        }
    };
    let ingested = ingest(bytes, name, &options, &mut report).map_err(|e| thrown(e.into()))?;
    Ok(Dataset { ingested, segmentation: None, clv: None, events: None })
}

/// A file read, and what was computed from it for the lists that page through it.
#[wasm_bindgen]
pub struct Dataset {
    ingested: Ingested,
    /// The segmentation of the last `segments` or `pyramid` call, with its rules (as given).
    segmentation: Option<(String, Segmentation)>,
    /// The last finished CLV run.
    clv: Option<ClvReport>,
    /// The engagement events file in use (`use_events`).
    events: Option<Ingested>,
}

impl Dataset {
    fn params(rules: &str) -> Result<ValidSegmentationParams, JsValue> {
        let rules: Rules = parse(rules, "rules")?;
        let params = rules.params(key).map_err(thrown)?;
        params.check().map_err(|e| thrown(e.into()))
    }

    /// The data and the segmentation under `rules`, computed unless it is the one kept.
    fn segmented(&mut self, rules: &str) -> Result<(&loyalty_lens::core::dataset::Dataset, &Segmentation), JsValue> {
        if self.segmentation.as_ref().is_none_or(|(r, _)| r != rules) {
            let params = Self::params(rules)?;
            let ds = &self.ingested.dataset;
            let clv = self.clv.as_ref().map(|r| by_code(r, &ds.customers));
            let events = self.events.as_ref().map(|e| &e.dataset);
            let seg = api::segmentation_with(ds, &params, clv.as_deref(), events).map_err(thrown)?;
            self.segmentation = Some((rules.to_string(), seg));
        }
        match &self.segmentation {
            Some((_, seg)) => Ok((&self.ingested.dataset, seg)),
            None => Err(thrown(ApiError::new("internal", "no segmentation"))),
        }
    }

    fn follow_up_of(
        &mut self,
        options: &str,
        rules: &str,
        survey: Option<&loyalty_lens::core::dataset::Dataset>,
    ) -> Result<String, JsValue> {
        let options: FollowUpOptions = parse(options, "options")?;
        let predicted = self.predicted();
        let (ds, seg) = self.segmented(rules)?;
        json(&api::follow_up(ds, seg, survey, predicted.as_ref(), options.passives).map_err(thrown)?)
    }

    fn profile_of(
        &mut self,
        id: &str,
        options: &str,
        rules: &str,
        survey: Option<&loyalty_lens::core::dataset::Dataset>,
    ) -> Result<String, JsValue> {
        let options: ProfileOptions = parse(options, "options")?;
        let playbook =
            ActionsOptions { playbook: options.playbook, lang: options.lang, action: None }.playbook().map_err(thrown)?;
        self.segmented(rules)?;
        let (Some((_, seg)), ds) = (&self.segmentation, &self.ingested.dataset) else {
            return Err(thrown(ApiError::new("internal", "no segmentation")));
        };
        let answers = api::answers(ds, survey);
        json(&api::profile(ds, seg, id, answers.as_ref(), self.clv.as_ref(), Some(&playbook)).map_err(thrown)?)
    }

    /// The data and the segmentation kept, or one under the default rules.
    fn kept(&mut self) -> Result<(&loyalty_lens::core::dataset::Dataset, &Segmentation), JsValue> {
        let rules = self.segmentation.as_ref().map_or_else(String::new, |(r, _)| r.clone());
        self.segmented(&rules)
    }
}

#[wasm_bindgen]
impl Dataset {
    /// What was understood of the file: `inspect`'s JSON.
    pub fn inspect(&self) -> Result<String, JsValue> {
        json(&self.ingested.report)
    }

    /// `rfm --format json` under `rules` (the JSON of `Rules`; only the RFM ones count).
    pub fn rfm(&self, rules: &str) -> Result<String, JsValue> {
        let params = Self::params(rules)?;
        json(&api::rfm(&self.ingested.dataset, params.as_of, &params.rfm).map_err(thrown)?)
    }

    /// Reads an engagement events file (`--events`: customer id, date, event type, points) and
    /// scores every later segmentation with it.
    pub fn use_events(&mut self, bytes: &[u8], name: &str) -> Result<(), JsValue> {
        self.events = Some(api::read_events(bytes, name).map_err(thrown)?);
        self.segmentation = None;
        Ok(())
    }

    /// Forgets the events file.
    pub fn drop_events(&mut self) {
        self.events = None;
        self.segmentation = None;
    }

    /// `segments` under `rules`; the segmentation is kept for `customers` and `export`.
    pub fn segments(&mut self, rules: &str) -> Result<String, JsValue> {
        json(&self.segmented(rules)?.1.summary())
    }

    /// `pyramid` under `rules` (ranked by CLV once `clv` has run, when `measure` is `clv`).
    pub fn pyramid(&mut self, rules: &str) -> Result<String, JsValue> {
        json(&self.segmented(rules)?.1.pyramid)
    }

    /// `cohorts --format json` under `rules` (their period and as-of date count).
    pub fn cohorts(&self, rules: &str) -> Result<String, JsValue> {
        let params = Self::params(rules)?;
        json(&api::cohorts(&self.ingested.dataset, &params).map_err(thrown)?)
    }

    /// `cross-sell` under `rules` (their as-of date and period count): `options` the JSON of
    /// `CrossSellOptions`. The segmentation is kept, as by `segments`.
    pub fn cross_sell(&mut self, options: &str, rules: &str) -> Result<String, JsValue> {
        let options: CrossSellOptions = parse(options, "options")?;
        let params = options.params(key).map_err(thrown)?;
        let (ds, seg) = self.segmented(rules)?;
        json(&api::cross_sell(ds, seg, &params).map_err(thrown)?)
    }

    /// The predictions of the last `clv` run by customer code.
    fn predicted(&self) -> Option<loyalty_lens::core::report::actions::ClvByCode> {
        let customers = &self.ingested.dataset.customers;
        self.clv.as_ref().map(|r| loyalty_lens::core::report::actions::clv_by_code(&r.rows, customers))
    }

    /// `actions --format json` under `rules`: `options` the JSON of `ActionsOptions`; CLV and
    /// P(alive) from the last `clv` run.
    pub fn actions(&mut self, options: &str, rules: &str) -> Result<String, JsValue> {
        let options: ActionsOptions = parse(options, "options")?;
        let predicted = self.predicted();
        let (_, seg) = self.segmented(rules)?;
        json(&api::actions(seg, &options, predicted.as_ref()).map_err(thrown)?)
    }

    /// `actions`' campaign list as rows (its `action`, or every customer with an action).
    pub fn action_list(&mut self, options: &str, rules: &str) -> Result<String, JsValue> {
        let options: ActionsOptions = parse(options, "options")?;
        let predicted = self.predicted();
        let (ds, seg) = self.segmented(rules)?;
        let actions = api::actions(seg, &options, predicted.as_ref()).map_err(thrown)?;
        json(&api::action_rows(ds, seg, &actions, &options, predicted.as_ref(), key).map_err(thrown)?)
    }

    /// `actions`' campaign list as a file: `csv` (UTF-8 with a BOM), `csv_gbk` or `xlsx`.
    pub fn export_actions(&mut self, options: &str, rules: &str, format: &str) -> Result<Vec<u8>, JsValue> {
        use loyalty_lens::core::export::{action_csv, action_xlsx, encode, ExportEncoding};
        let options: ActionsOptions = parse(options, "options")?;
        let predicted = self.predicted();
        let (ds, seg) = self.segmented(rules)?;
        let actions = api::actions(seg, &options, predicted.as_ref()).map_err(thrown)?;
        let rows = api::action_rows(ds, seg, &actions, &options, predicted.as_ref(), key).map_err(thrown)?;
        match format {
            "csv" | "csv_utf8" => Ok(encode(&action_csv(&rows), ExportEncoding::Utf8Bom).0),
            "csv_gbk" => Ok(encode(&action_csv(&rows), ExportEncoding::Gbk).0),
            "xlsx" => action_xlsx(&rows).map_err(|e| thrown(ApiError::new("export_failed", e))),
            other => Err(thrown(ApiError::option(format!("format '{other}': csv, csv_gbk or xlsx")))),
        }
    }

    /// `clv-groups`: the last `clv` run's predictions rolled up by group under `rules`.
    pub fn clv_groups(&mut self, rules: &str) -> Result<String, JsValue> {
        let Some(predicted) = self.predicted() else {
            return Err(thrown(ApiError::new("no_clv", "there is no CLV result: run clv first")));
        };
        let (ds, seg) = self.segmented(rules)?;
        json(&loyalty_lens::core::report::clv_groups::clv_groups(ds, seg, &predicted))
    }

    /// `winback --format json` under `rules`: `options` the JSON of `WinbackOptions`; CLV and
    /// P(alive) from the last `clv` run.
    pub fn winback(&mut self, options: &str, rules: &str) -> Result<String, JsValue> {
        let options: WinbackOptions = parse(options, "options")?;
        let predicted = self.predicted();
        let (ds, seg) = self.segmented(rules)?;
        json(&loyalty_lens::core::report::actions::winback(ds, seg, predicted.as_ref(), options.params()))
    }

    /// `follow-up` as rows: `options` the JSON of `{ passives }`; the answers are the dataset's own
    /// score column, values by the last `clv` run's CLV.
    pub fn follow_up(&mut self, options: &str, rules: &str) -> Result<String, JsValue> {
        self.follow_up_of(options, rules, None)
    }

    /// `follow-up --transactions`: the answers of `survey` joined to this dataset's customers.
    pub fn follow_up_joined(&mut self, options: &str, rules: &str, survey: &Dataset) -> Result<String, JsValue> {
        self.follow_up_of(options, rules, Some(&survey.ingested.dataset))
    }

    /// `profile`: the story of the customer with id `id`, with the action of `options`' playbook
    /// (`{ playbook, lang }`, the built-in one by default), the last `clv` run's prediction and
    /// the dataset's own answers.
    pub fn profile(&mut self, id: &str, options: &str, rules: &str) -> Result<String, JsValue> {
        self.profile_of(id, options, rules, None)
    }

    /// `profile --survey`: with the answers of `survey` joined by customer id.
    pub fn profile_joined(&mut self, id: &str, options: &str, rules: &str, survey: &Dataset) -> Result<String, JsValue> {
        self.profile_of(id, options, rules, Some(&survey.ingested.dataset))
    }

    /// `funnel`: the acquisition funnel of the member list `members` against these orders under
    /// `rules` (their as-of date and period); `options` the JSON of `{ compare: [a, b] }`.
    pub fn funnel(&self, members: &Dataset, options: &str, rules: &str) -> Result<String, JsValue> {
        let options: FunnelOptions = parse(options, "options")?;
        let params = Self::params(rules)?;
        let ds = &self.ingested.dataset;
        // Once `clv` has run: the predicted value per lead.
        let clv = self.clv.as_ref().map(|r| by_code(r, &ds.customers));
        let compare = options.compare.as_deref();
        json(&api::funnel(ds, &members.ingested.dataset, &params, compare, clv.as_deref()).map_err(thrown)?)
    }

    /// The funnel's activation lists as rows: the members who registered and `never` bought, or
    /// bought `once`.
    pub fn funnel_list(&self, members: &Dataset, which: &str, rules: &str) -> Result<String, JsValue> {
        let params = Self::params(rules)?;
        json(&api::funnel_list(&self.ingested.dataset, &members.ingested.dataset, &params, which).map_err(thrown)?)
    }

    /// `nps`: `options` the JSON of `{ latest }`.
    pub fn nps(&self, options: &str) -> Result<String, JsValue> {
        let options: NpsOptions = parse(options, "options")?;
        json(&api::nps(&self.ingested.dataset, options.latest, None).map_err(thrown)?)
    }

    /// `nps --transactions`: these answers joined to `transactions` by customer id.
    pub fn nps_joined(&self, options: &str, transactions: &Dataset) -> Result<String, JsValue> {
        let options: NpsOptions = parse(options, "options")?;
        let tx = Some(&transactions.ingested.dataset);
        json(&api::nps(&self.ingested.dataset, options.latest, tx).map_err(thrown)?)
    }

    /// A page of the customers passing `filter` (the JSON of `Filter`) in the last segmentation
    /// (default rules if none ran): `{ total, offset, rows }`.
    pub fn customers(&mut self, filter: &str, offset: usize, limit: usize) -> Result<String, JsValue> {
        let filter: Filter = parse(filter, "filter")?;
        let (ds, seg) = self.kept()?;
        let filter = filter.resolve(ds, seg).map_err(thrown)?;
        json(&api::customers(ds, seg, &filter, offset, limit))
    }

    /// Every customer passing `filter` as a file: `csv` (UTF-8 with a BOM), `csv_gbk` or `xlsx`.
    pub fn export(&mut self, filter: &str, format: &str) -> Result<Vec<u8>, JsValue> {
        let format = match format {
            "csv" | "csv_utf8" => ExportFormat::CsvUtf8,
            "csv_gbk" => ExportFormat::CsvGbk,
            "xlsx" => ExportFormat::Xlsx,
            other => return Err(thrown(ApiError::option(format!("format '{other}': csv, csv_gbk or xlsx")))),
        };
        let filter: Filter = parse(filter, "filter")?;
        let (ds, seg) = self.kept()?;
        let filter = filter.resolve(ds, seg).map_err(thrown)?;
        api::export(ds, seg, &filter, format, None).map_err(thrown)
    }

    /// A page of the last CLV run's customers, highest `sort` first (`clv`, `p_alive` or
    /// `expected_purchases`): `{ total, offset, rows }`.
    pub fn clv_customers(&self, sort: &str, offset: usize, limit: usize) -> Result<String, JsValue> {
        let Some(report) = &self.clv else {
            return Err(thrown(ApiError::new("no_clv", "there is no CLV result: run clv first")));
        };
        let sort: ClvSort = serde_json::from_value(sort.into())
            .map_err(|_| thrown(ApiError::option(format!("sort '{sort}': clv, p_alive or expected_purchases"))))?;
        let order = sort.order(report);
        let rows: Vec<_> = order.iter().skip(offset).take(limit).map(|&i| &report.rows[i]).collect();
        json(&serde_json::json!({ "total": order.len(), "offset": offset, "rows": rows }))
    }

    /// Rows the file had, accepted and rejected, and customers: for a quick look without JSON.
    pub fn rows(&self) -> usize {
        self.ingested.dataset.rows()
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct NpsOptions {
    latest: bool,
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FunnelOptions {
    compare: Option<Vec<String>>,
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FollowUpOptions {
    passives: bool,
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ProfileOptions {
    playbook: Option<loyalty_lens::api::options::PlaybookGiven>,
    lang: Option<String>,
}

/// A CLV analysis run step by step on a dataset, so that the caller can show progress and stop
/// between steps.
#[wasm_bindgen]
pub struct ClvRun {
    run: Run,
}

#[wasm_bindgen]
impl ClvRun {
    /// A run with `options` (the JSON of `ClvOptions`).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<ClvRun, JsValue> {
        let options: ClvOptions = parse(options, "options")?;
        Ok(Self { run: Run::new(options.params(key).map_err(thrown)?) })
    }

    /// The step `advance` does next: `summary`, `bg_nbd`, `pareto_nbd`, `gamma_gamma`, `predicting`.
    pub fn next(&self) -> String {
        serde_json::to_value(self.run.next()).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
    }

    /// Does the next step on `dataset`; after the last, the `clv` JSON (the dataset keeps the
    /// per-customer predictions for `clv_customers` and a pyramid by CLV).
    pub fn advance(&mut self, dataset: &mut Dataset) -> Result<Option<String>, JsValue> {
        let Some(report) = self.run.advance(&dataset.ingested.dataset).map_err(|e| thrown(e.into()))? else {
            return Ok(None);
        };
        let out = json(&report)?;
        dataset.clv = Some(report);
        // A pyramid by CLV is ranked again with these predictions.
        dataset.segmentation = None;
        Ok(Some(out))
    }
}
