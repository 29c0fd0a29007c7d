//! The first rows of the file as read, with each mapped column's role above its name.

use super::summary::ReportProps;
use crate::ui::context::AppContext;
use yew::prelude::*;

#[component]
pub fn Preview(props: &ReportProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let r = &props.report;
    html! {
        <section class="card">
            <h2>{ lang.texts().preview_title }</h2>
            <div class="table-wrap" tabindex="0">
                <table class="preview" data-testid="preview">
                    <thead>
                        <tr>
                            { for r.columns.iter().map(|c| html! {
                                <th key={c.position} class={classes!(c.role.is_some().then_some("mapped"))}>
                                    <div class="role">{ c.role.map(|role| lang.role(role)).unwrap_or("") }</div>
                                    { c.name.clone() }
                                </th>
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for r.preview.iter().enumerate().map(|(i, row)| html! {
                            <tr key={i}>{ for row.iter().enumerate().map(|(j, cell)| html! { <td key={j}>{ cell.clone() }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
