//! Rejected rows: the first 100 on screen, all as a CSV download.

use crate::core::ingest::Report;
use crate::ui::format;
use crate::ui::i18n::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RejectedProps {
    pub report: Rc<Report>,
    pub lang: Lang,
    /// The user asked for every rejected row as a file.
    pub ondownload: Callback<()>,
}

#[component]
pub fn RejectedPanel(props: &RejectedProps) -> Html {
    let lang = props.lang;
    let t = lang.texts();
    let r = &props.report;
    let download = props.ondownload.reform(|_: MouseEvent| ());
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
                <div class="table-wrap" tabindex="0">
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
