//! A card holding a chart, with buttons to save the chart as SVG or PNG and, where the chart has
//! one, a toggle to its numbers as a table (its text alternative).

use crate::ui::chart_export::{download_png, download_svg};
use crate::ui::context::AppContext;
use web_sys::Element;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartCardProps {
    pub title: AttrValue,
    /// The saved file's name, without extension.
    pub file: AttrValue,
    /// Prefix of the buttons' test ids: `{testid}-svg`, `{testid}-png`.
    pub testid: AttrValue,
    #[prop_or_default]
    pub children: Html,
    /// Extra controls shown in the card head, before the export buttons.
    #[prop_or_default]
    pub controls: Html,
    /// The chart's numbers as a table, shown in place of the chart by the "Table" toggle
    /// (`{testid}-table`).
    #[prop_or_default]
    pub table: Option<Html>,
}

#[component]
pub fn ChartCard(props: &ChartCardProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let body = use_node_ref();
    let as_table = use_state(|| false);
    let toggle = {
        let as_table = as_table.clone();
        Callback::from(move |_: MouseEvent| as_table.set(!*as_table))
    };
    let showing_table = *as_table && props.table.is_some();
    let save = |png: bool| {
        let (body, file) = (body.clone(), props.file.to_string());
        Callback::from(move |_: MouseEvent| {
            let svg = body.cast::<Element>().and_then(|b| b.query_selector("svg").ok().flatten());
            if let Some(svg) = svg {
                if png {
                    download_png(&svg, &file);
                } else {
                    download_svg(&svg, &file);
                }
            }
        })
    };
    html! {
        <section class="card chart-card">
            <div class="card-head">
                <h2>{ props.title.clone() }</h2>
                <div class="card-actions">
                    { props.controls.clone() }
                    if props.table.is_some() {
                        <button class={classes!("button", "small", "no-print", showing_table.then_some("active"))} aria-pressed={showing_table.to_string()}
                            title={t.chart_as_table_hint} onclick={toggle} data-testid={format!("{}-table", props.testid)}>{ t.chart_as_table }</button>
                    }
                    <span class="export-buttons no-print" role="group" aria-label={t.chart_export}>
                        <button class="button small" onclick={save(false)} data-testid={format!("{}-svg", props.testid)} title={t.chart_export}>{ "SVG" }</button>
                        <button class="button small" onclick={save(true)} data-testid={format!("{}-png", props.testid)} title={t.chart_export}>{ "PNG" }</button>
                    </span>
                </div>
            </div>
            if showing_table {
                <div class="table-wrap full" tabindex="0" data-testid={format!("{}-table-view", props.testid)}>{ props.table.clone().unwrap_or_default() }</div>
            }
            // Kept (hidden) under the table, so that SVG and PNG still save the chart.
            <div ref={body} hidden={showing_table}>{ props.children.clone() }</div>
        </section>
    }
}
