//! Horizontal SVG bars: customers per segment, with revenue share; click a bar for its customers.

use super::more::{more, use_shown};
use crate::core::analysis::groups::GroupStat;
use crate::core::report::charts::bar_lengths;
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SegmentBarsProps {
    pub groups: Vec<GroupStat>,
    /// Called with the index of the clicked group.
    pub onselect: Callback<usize>,
}

/// The label of a group in the current language.
pub fn group_label(lang: Lang, g: &GroupStat) -> String {
    match (lang, &g.zh) {
        (Lang::Zh, Some(zh)) => zh.clone(),
        _ => g.key.clone(),
    }
}

const ROW: f64 = 30.0;
const LABEL: f64 = 130.0;
const BAR: f64 = 330.0;

#[component]
pub fn SegmentBars(props: &SegmentBarsProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let shown = use_shown();
    let groups = &props.groups[..props.groups.len().min(*shown)];
    // Bar lengths against the largest group of all, shown or not.
    let counts: Vec<f64> = props.groups.iter().map(|g| g.customers as f64).collect();
    let lengths = bar_lengths(&counts, BAR);
    let height = ROW * groups.len() as f64 + 4.0;
    html! {
        <>
        <div class="chart-scroll" tabindex="0">
        <svg class="chart bars" viewBox={format!("0 0 640 {height}")} role="group" aria-label={props.groups.iter().map(|g| format!("{}: {}", group_label(lang, g), format::int(g.customers as u64))).collect::<Vec<_>>().join(" · ")} data-testid="segment-bars">
            { for groups.iter().zip(lengths).enumerate().map(|(i, (g, len))| {
                let y = i as f64 * ROW;
                let onclick = props.onselect.reform(move |_: MouseEvent| i);
                let onkeydown = super::on_activate(props.onselect.reform(move |()| i));
                // The revenue share where the file has amounts; the customers alone where not.
                let revenue_share = g.revenue_share.map(|s| format!(" · {:.1}%", s * 100.0)).unwrap_or_default();
                let title = format!("{}: {} · {:.1}%{revenue_share}", g.key, format::int(g.customers as u64), g.customer_share * 100.0);
                html! {
                    <g key={g.key.clone()} class="bar" {onclick} {onkeydown} tabindex="0" role="button" data-testid={format!("segment-bar-{i}")}>
                        <title>{ title }</title>
                        <rect class="hit" x="0" y={y.to_string()} width="640" height={ROW.to_string()} />
                        <text x={(LABEL - 8.0).to_string()} y={(y + 19.0).to_string()} text-anchor="end" class="label">{ group_label(lang, g) }</text>
                        <rect class="fill" x={LABEL.to_string()} y={(y + 6.0).to_string()} width={len.max(1.0).to_string()} height={(ROW - 12.0).to_string()} rx="3" />
                        <text x={(LABEL + len + 6.0).to_string()} y={(y + 19.0).to_string()} class="value">
                            { format!("{}{revenue_share}", format::int(g.customers as u64)) }
                        </text>
                    </g>
                }
            }) }
        </svg>
        </div>
        { more(lang, props.groups.len(), &shown, "segment-bars-more") }
        </>
    }
}
