//! Rejected rows: the first 100 on screen, all as a CSV download.

use super::summary::ReportProps;
use crate::ui::context::AppContext;
use crate::ui::format;
use yew::prelude::*;

#[component]
pub fn RejectedPanel(props: &ReportProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let r = &props.report;
    let download = {
        let (ctx, slot) = (ctx.clone(), props.slot);
        Callback::from(move |_: MouseEvent| ctx.export_rejected(slot))
    };
    html! {
        <section class="card" data-testid="rejected">
            <div class="card-head">
                <h2>{ t.rejected_title }<span class="badge" data-testid="rejected-count">{ format::int(r.rows_rejected) }</span></h2>
                if r.rows_rejected > 0 {
                    <button class="button" onclick={download} data-testid="download-rejected">{ t.download_csv }</button>
                }
            </div>
            if r.rows_rejected == 0 {
                <p class="ok">{ t.rejected_none }</p>
            } else {
                if r.rows_rejected > r.rejected.len() as u64 { <p class="hint">{ t.rejected_shown }</p> }
                <div class="table-wrap">
                    <table>
                        <thead><tr><th>{ t.row }</th><th>{ t.column }</th><th>{ t.value }</th><th>{ t.reason }</th></tr></thead>
                        <tbody>
                            { for r.rejected.iter().enumerate().map(|(i, x)| html! {
                                <tr key={i}>
                                    <td class="num">{ x.row }</td>
                                    <td>{ x.column.clone() }</td>
                                    <td><code>{ x.value.clone() }</code></td>
                                    <td title={x.reason.clone()}>{ lang.reason(&x.code).map_or_else(|| x.reason.clone(), str::to_string) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
