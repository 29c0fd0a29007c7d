//! A card holding a chart, with buttons to save the chart as SVG or PNG.

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
}

#[component]
pub fn ChartCard(props: &ChartCardProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let body = use_node_ref();
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
                    <span class="export-buttons no-print" role="group" aria-label={t.chart_export}>
                        <button class="button small" onclick={save(false)} data-testid={format!("{}-svg", props.testid)} title={t.chart_export}>{ "SVG" }</button>
                        <button class="button small" onclick={save(true)} data-testid={format!("{}-png", props.testid)} title={t.chart_export}>{ "PNG" }</button>
                    </span>
                </div>
            </div>
            <div ref={body}>{ props.children.clone() }</div>
        </section>
    }
}
