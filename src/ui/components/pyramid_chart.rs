//! The loyalty pyramid as SVG: one band per tier, top first, heights proportional to customers or
//! revenue, figures inside each band; click a band for its customers.

use crate::core::analysis::pyramid::{bands, Pyramid};
use crate::ui::format;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PyramidChartProps {
    pub pyramid: Pyramid,
    /// Band heights by revenue instead of customers.
    #[prop_or_default]
    pub by_revenue: bool,
    /// Called with the index of the clicked tier.
    pub onselect: Callback<usize>,
}

const W: f64 = 560.0;
const H: f64 = 380.0;
/// Tier colours, top first; the ladder uses them too.
pub const COLOURS: [&str; 6] = ["#a8071a", "#d4380d", "#fa8c16", "#ffc069", "#ffe7ba", "#fff7e6"];

#[component]
pub fn PyramidChart(props: &PyramidChartProps) -> Html {
    let lang = use_context::<crate::ui::context::AppContext>().map_or(crate::ui::i18n::Lang::En, |c| c.state.lang);
    let p = &props.pyramid;
    let weights: Vec<f64> = p
        .tiers
        .iter()
        .map(|tier| match (props.by_revenue, tier.revenue) {
            (true, Some(revenue)) => revenue,
            _ => tier.customers as f64,
        })
        .collect();
    let shapes = bands(&weights, W, H, 0.16, 0.42);
    html! {
        <svg class="chart pyramid" viewBox={format!("0 0 {W} {H}")} role="group" aria-label={p.tiers.iter().map(|tier| format!("{}: {}", lang.tier_label(&tier.name), format::int(tier.customers as u64))).collect::<Vec<_>>().join(" · ")} data-testid="pyramid">
            { for p.tiers.iter().zip(&shapes).enumerate().map(|(k, (tier, band))| {
                let points = band.points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
                let nps = tier.nps.as_ref().map_or("—".to_string(), |n| format!("NPS {} ({}–{})", format::one_decimal(n.nps), format::one_decimal(n.ci95[0]), format::one_decimal(n.ci95[1])));
                let multiple = tier.multiple.map_or("—".to_string(), |m| format!("{m:.1}×"));
                // Without amounts a tier has no revenue share: its customers alone.
                let figures = match tier.revenue_share {
                    Some(share) => format!("{} · {:.1}% · {multiple}", format::int(tier.customers as u64), share * 100.0),
                    None => format::int(tier.customers as u64),
                };
                let light = k < 2;
                let onclick = props.onselect.reform(move |_: MouseEvent| k);
                let onkeydown = super::on_activate(props.onselect.reform(move |()| k));
                html! {
                    <g key={k} class="tier" {onclick} {onkeydown} tabindex="0" role="button" data-testid={format!("pyramid-tier-{k}")}>
                        <title>{ format!("{}: {figures} · {nps}", lang.tier_label(&tier.name)) }</title>
                        <polygon {points} fill={COLOURS[k.min(5)]} />
                        <text x={(W / 2.0).to_string()} y={(band.label_y - 10.0).to_string()} text-anchor="middle" class={classes!("tier-name", light.then_some("light"))}>
                            { lang.tier_label(&tier.name) }
                        </text>
                        <text x={(W / 2.0).to_string()} y={(band.label_y + 8.0).to_string()} text-anchor="middle" class={classes!("tier-figures", light.then_some("light"))}>
                            { figures }
                        </text>
                        <text x={(W / 2.0).to_string()} y={(band.label_y + 26.0).to_string()} text-anchor="middle" class={classes!("tier-figures", light.then_some("light"))}
                            data-testid={format!("pyramid-nps-{k}")}>
                            { nps }
                        </text>
                    </g>
                }
            }) }
        </svg>
    }
}
