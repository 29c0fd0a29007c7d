//! What every component can reach: the state, and commands that change it and talk to the worker.
//! A component never builds a worker request itself: it calls a command (`load`, `segment`,
//! `run_clv`, `cancel_clv`, …), which dispatches what the page shows meanwhile and sends the request.

use super::bridge::Bridge;
use super::i18n::Lang;
use super::state::{next_load, Action, AppState, Tab};
use crate::core::clv::ClvParams;
use crate::core::export::ExportFormat;
use crate::core::ingest::{IngestError, IngestOptions, MAX_BROWSER_BYTES};
use crate::core::report::segments::{CustomerFilter, SegmentationParams};
use crate::protocol::{ClvSort, Request, Slot};
use std::rc::Rc;
use web_sys::File;
use yew::UseReducerHandle;

#[derive(Clone)]
pub struct AppContext {
    pub state: UseReducerHandle<AppState>,
    pub bridge: Rc<Option<Bridge>>,
}

impl PartialEq for AppContext {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && Rc::ptr_eq(&self.bridge, &other.bridge)
    }
}

impl AppContext {
    fn send(&self, request: Request, file: Option<&File>) {
        if let Some(bridge) = self.bridge.as_ref() {
            bridge.send(&request, file);
        }
    }

    /// Shows the pages in `lang`, and remembers the choice.
    pub fn set_lang(&self, lang: Lang) {
        lang.save();
        self.state.dispatch(Action::SetLang(lang));
    }

    pub fn set_tab(&self, tab: Tab) {
        self.state.dispatch(Action::SetTab(tab));
    }

    pub fn set_data_view(&self, slot: Slot) {
        self.state.dispatch(Action::SetDataView(slot));
    }

    pub fn dismiss_refusal(&self) {
        self.state.dispatch(Action::DismissRefusal);
    }

    /// Reads a file the user chose: into `slot`, or (None) wherever its content belongs. A file too
    /// big for the tab is refused here, before it is read.
    pub fn load(&self, file: &File, slot: Option<Slot>) {
        let size = file.size() as u64;
        if size > MAX_BROWSER_BYTES {
            let e = IngestError::TooLarge { bytes: size, limit: MAX_BROWSER_BYTES };
            self.state.dispatch(Action::Failed { message: e.to_string(), code: e.code().to_string() });
            return;
        }
        let load = next_load();
        self.state.dispatch(Action::Started { load, target: slot, name: file.name(), landing: Tab::Overview });
        self.send(Request::Load { load, name: file.name(), size, options: IngestOptions::default(), slot }, Some(file));
    }

    /// Reads the demo dataset.
    pub fn sample(&self) {
        let load = next_load();
        let target = Some(Slot::Transactions);
        self.state.dispatch(Action::Started { load, target, name: "sample".into(), landing: Tab::Overview });
        self.send(Request::Sample { load, customers: 20_000, seed: 42 }, None);
    }

    /// Reads a held file again with changed options.
    pub fn reparse(&self, options: IngestOptions, slot: Slot) {
        let report = match slot {
            Slot::Transactions => self.state.ingest.report.as_ref(),
            Slot::Survey => self.state.ingest.survey.as_ref(),
        };
        let name = report.map(|r| r.file.clone()).unwrap_or_default();
        let load = next_load();
        self.state.dispatch(Action::Started { load, target: Some(slot), name, landing: Tab::Data });
        self.send(Request::Reparse { load, options, slot }, None);
    }

    /// A callback that reads the file in `slot` again with the options it is given.
    pub fn on_reparse(&self, slot: Slot) -> yew::Callback<IngestOptions> {
        let ctx = self.clone();
        yew::Callback::from(move |options| ctx.reparse(options, slot))
    }

    pub fn drop_survey(&self) {
        self.state.dispatch(Action::DropSurvey);
        self.send(Request::DropSurvey, None);
    }

    /// Forgets every file and result.
    pub fn clear(&self) {
        self.send(Request::Clear, None);
    }

    /// Segments again with other rules.
    pub fn segment(&self, params: SegmentationParams) {
        self.send(Request::Segment { params }, None);
    }

    /// A callback that segments with the rules it is given.
    pub fn on_segment(&self) -> yew::Callback<SegmentationParams> {
        let ctx = self.clone();
        yew::Callback::from(move |params| ctx.segment(params))
    }

    /// A callback that lists every customer.
    pub fn on_all_customers(&self) -> yew::Callback<()> {
        let ctx = self.clone();
        yew::Callback::from(move |()| ctx.customers(CustomerFilter::All, 0))
    }

    /// The complaints to follow up.
    pub fn follow_up(&self, passives: bool) {
        self.send(Request::FollowUp { passives }, None);
    }

    /// The follow-up list as a file.
    pub fn export_follow_up(&self, passives: bool, file_name: String, format: ExportFormat) {
        self.send(Request::ExportFollowUp { passives, file_name, format }, None);
    }

    /// The last CLV run's predictions by group.
    pub fn clv_groups(&self) {
        self.send(Request::ClvGroups, None);
    }

    /// Gives every customer an action under `playbook`, and ranks the win-back candidates.
    pub fn actions(
        &self,
        playbook: crate::core::report::actions::Playbook,
        winback: crate::core::report::actions::WinbackParams,
    ) {
        self.send(Request::Actions { playbook, winback }, None);
    }

    /// One action's list (every customer with an action when `None`) as a file.
    pub fn export_actions(&self, action: Option<usize>, file_name: String, format: ExportFormat) {
        self.send(Request::ExportActions { action, file_name, format }, None);
    }

    /// The win-back candidates as a file.
    pub fn export_winback(&self, file_name: String, format: ExportFormat) {
        self.send(Request::ExportWinback { file_name, format }, None);
    }

    /// A callback that measures cross-purchase in sequence as it is asked.
    pub fn on_cross_sell(&self) -> yew::Callback<crate::core::analysis::cross_sell::CrossSellParams> {
        let ctx = self.clone();
        yew::Callback::from(move |params| ctx.send(Request::CrossSell { params }, None))
    }

    /// Reads a member or lead list (id, registration date, source) for the acquisition funnel.
    pub fn load_members(&self, file: &File) {
        self.send(Request::Members { name: file.name() }, Some(file));
    }

    pub fn drop_members(&self) {
        self.send(Request::DropMembers, None);
    }

    /// Reads an engagement events file (id, date, event type, points) and segments again with it.
    pub fn load_events(&self, file: &File) {
        self.send(Request::Events { name: file.name() }, Some(file));
    }

    pub fn drop_events(&self) {
        self.send(Request::DropEvents, None);
    }

    /// The funnel again, with two sources compared.
    pub fn funnel(&self, compare: Option<(String, String)>) {
        self.send(Request::Funnel { compare }, None);
    }

    /// The leads who never bought (or bought once) as a file.
    pub fn export_funnel_list(&self, once: bool, file_name: String, format: ExportFormat) {
        self.send(Request::ExportFunnelList { once, file_name, format }, None);
    }

    /// Opens the story of customer `at` of `list` (ids, the list it is opened from).
    pub fn open_profile(&self, list: Rc<Vec<String>>, at: usize) {
        let Some(customer_id) = list.get(at).cloned() else { return };
        let zh = self.state.lang == Lang::Zh;
        self.state.dispatch(Action::OpenProfile { list, at });
        self.send(Request::Profile { customer_id, zh }, None);
    }

    pub fn close_profile(&self) {
        self.state.dispatch(Action::CloseProfile);
    }

    /// A page of the customers passing `filter`.
    pub fn customers(&self, filter: CustomerFilter, offset: usize) {
        self.send(Request::Customers { filter, offset }, None);
    }

    /// The drill-down list's callbacks: paging and export go to the worker.
    pub fn on_list_page(&self) -> yew::Callback<(CustomerFilter, usize)> {
        let ctx = self.clone();
        yew::Callback::from(move |(filter, offset)| ctx.customers(filter, offset))
    }

    pub fn on_list_export(&self) -> yew::Callback<(CustomerFilter, String, ExportFormat)> {
        let ctx = self.clone();
        yew::Callback::from(move |(filter, file_name, format)| ctx.export_customers(filter, file_name, format))
    }

    /// The name of the transactions file shown, for the names of exports.
    pub fn file_name(&self) -> yew::AttrValue {
        self.state.ingest.report.as_ref().map(|r| yew::AttrValue::from(r.file.clone())).unwrap_or_default()
    }

    pub fn export_customers(&self, filter: CustomerFilter, file_name: String, format: ExportFormat) {
        self.send(Request::ExportCustomers { filter, file_name, format }, None);
    }

    pub fn export_rejected(&self, slot: Slot) {
        self.send(Request::ExportRejected { slot }, None);
    }

    pub fn run_clv(&self, params: ClvParams) {
        self.send(Request::Clv { params }, None);
    }

    /// The printed report: with the CLV models fitted first when the page would fit them on its
    /// own (the report then has its CLV section); the app prints once no fit is running.
    pub fn print_report(&self) {
        let range = self.state.ingest.report.as_ref().and_then(|r| r.totals.date_range.clone());
        self.fit_clv_on_its_own(&crate::ui::pages::clv::default_form(
            range.as_ref().map(|d| (d.first.as_str(), d.last.as_str())),
        ));
        self.state.dispatch(Action::Print(true));
    }

    /// The browser finished printing (or the user closed its dialog).
    pub fn printed(&self) {
        self.state.dispatch(Action::Print(false));
    }

    /// The one automatic CLV fit for this file (from the CLV page or the printed report), with
    /// `form`'s settings: when the file is segmented, nothing was fitted, runs or failed, and the
    /// settings are valid.
    pub fn fit_clv_on_its_own(&self, form: &crate::core::clv::form::ClvForm) {
        if !self.state.clv.wants_auto_fit() || self.state.segments.summary.is_none() {
            return;
        }
        if let Ok(params) = form.to_params() {
            self.state.dispatch(Action::ClvAutoStarted);
            self.run_clv(params);
        }
    }

    /// Stops the CLV run; what it still sends is dropped until the worker confirms.
    pub fn cancel_clv(&self) {
        self.state.dispatch(Action::ClvCancel);
        self.send(Request::ClvCancel, None);
    }

    pub fn clv_customers(&self, sort: ClvSort, offset: usize) {
        self.send(Request::ClvCustomers { sort, offset }, None);
    }

    pub fn export_clv(&self, file_name: String) {
        self.send(Request::ExportClv { file_name }, None);
    }

    /// Crashes the worker on purpose (`#crash-test=worker`).
    pub fn crash_worker(&self) {
        self.send(Request::Crash, None);
    }
}
