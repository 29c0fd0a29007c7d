//! The data page: how a file was read, the mapping, rejected rows and a preview; with a survey file
//! beside the transactions, a switch between the two.

use crate::core::ingest::Report;
use crate::protocol::Slot;
use crate::ui::components::{
    mapping::MappingPanel, preview::Preview, reading::ReadingPanel, rejected::RejectedPanel, statuses::StatusesPanel,
    summary::Summary, upload::SurveyUpload,
};
use crate::ui::context::AppContext;
use std::rc::Rc;
use yew::prelude::*;

#[component]
pub fn DataPage() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let (tx, survey) = (ctx.state.ingest.report.clone(), ctx.state.ingest.survey.clone());
    let view = match (&tx, &survey, ctx.state.ingest.data_view) {
        (Some(_), Some(_), v) => v,
        (None, Some(_), _) => Slot::Survey,
        _ => Slot::Transactions,
    };
    let shown: Option<Rc<Report>> = if view == Slot::Survey { survey.clone() } else { tx.clone() };
    let pick = |slot: Slot| {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.set_data_view(slot))
    };
    let lang = ctx.state.lang;
    let options = Rc::new(ctx.state.ingest.options_for(view).clone());
    let onreparse = ctx.on_reparse(view);
    html! {
        <>
            if tx.is_some() || survey.is_some() {
                { crate::ui::components::guide::guide("data", t.g_data_q, t.g_data_a.to_string()) }
            }
            if tx.is_some() && survey.is_some() {
                <div class="lang data-switch" role="group">
                    <button class={classes!((view == Slot::Transactions).then_some("active"))} onclick={pick(Slot::Transactions)} data-testid="data-transactions">{ t.data_transactions }</button>
                    <button class={classes!((view == Slot::Survey).then_some("active"))} onclick={pick(Slot::Survey)} data-testid="data-survey">{ t.data_survey }</button>
                </div>
            }
            if let Some(report) = shown {
                <Summary report={report.clone()} slot={view} />
                <ReadingPanel report={report.clone()} options={options.clone()} lang={lang} onreparse={onreparse.clone()} />
                <MappingPanel report={report.clone()} options={options.clone()} lang={lang} onreparse={onreparse.clone()} />
                <StatusesPanel report={report.clone()} options={options.clone()} {lang} {onreparse} />
                <RejectedPanel report={report.clone()} lang={ctx.state.lang} ondownload={{ let ctx = ctx.clone(); Callback::from(move |()| ctx.export_rejected(view)) }} />
                <Preview report={report} slot={view} />
            }
            if tx.is_some() {
                <SurveyUpload />
            }
        </>
    }
}
