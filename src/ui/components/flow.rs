//! The transition flow diagram: this period's states on the left, next period's on the right, bands
//! as thick as the number of customers moving. Geometry from `core::report::charts::flow`.

use crate::core::report::charts::flow;
use crate::ui::format;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FlowProps {
    pub labels: Vec<String>,
    pub counts: Vec<Vec<usize>>,
}

/// One colour per state, in `State::ALL` order.
const COLOURS: [&str; 6] = ["#1677ff", "#13c2c2", "#d4380d", "#722ed1", "#faad14", "#8c8c8c"];
const W: f64 = 520.0;
const H: f64 = 300.0;
const NODE: f64 = 12.0;
const LABEL: f64 = 80.0;

#[component]
pub fn TransitionFlow(props: &FlowProps) -> Html {
    let (left, right) = (LABEL + NODE, W - LABEL - NODE);
    let (lnodes, rnodes, links) = flow(&props.counts, left, right, H, 8.0);
    let colour = |i: usize| COLOURS[i % COLOURS.len()];
    let label = |i: usize| props.labels.get(i).cloned().unwrap_or_default();
    html! {
        <svg class="chart flow" viewBox={format!("0 0 {W} {}", H + 4.0)} role="img" aria-label={props.counts.iter().enumerate().flat_map(|(i, row)| {
            row.iter().enumerate().filter(|(_, &n)| n > 0).map(move |(j, n)| (i, j, *n))
        }).map(|(i, j, n)| format!("{} → {}: {n}", label(i), label(j))).collect::<Vec<_>>().join(" · ")} data-testid="transition-flow">
            { for links.iter().map(|k| html! {
                <path key={format!("{}-{}", k.from, k.to)} d={k.path.clone()} fill={colour(k.from)} class="band">
                    <title>{ format!("{} → {}: {}", label(k.from), label(k.to), format::int(k.count as u64)) }</title>
                </path>
            }) }
            { for lnodes.iter().enumerate().filter(|(_, n)| n.h > 0.0).map(|(i, n)| html! {
                <g key={format!("l{i}")}>
                    <rect x={LABEL.to_string()} y={n.y.to_string()} width={NODE.to_string()} height={n.h.to_string()} fill={colour(i)} />
                    <text x={(LABEL - 6.0).to_string()} y={(n.y + n.h / 2.0 + 4.0).to_string()} text-anchor="end" class="axis">{ label(i) }</text>
                </g>
            }) }
            { for rnodes.iter().enumerate().filter(|(_, n)| n.h > 0.0).map(|(j, n)| html! {
                <g key={format!("r{j}")}>
                    <rect x={right.to_string()} y={n.y.to_string()} width={NODE.to_string()} height={n.h.to_string()} fill={colour(j)} />
                    <text x={(right + NODE + 6.0).to_string()} y={(n.y + n.h / 2.0 + 4.0).to_string()} class="axis">{ label(j) }</text>
                </g>
            }) }
        </svg>
    }
}
