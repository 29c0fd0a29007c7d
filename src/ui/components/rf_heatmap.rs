//! The R × F heat map: customers per (R, F) score cell, coloured by count, with the cell's mean
//! monetary value; click a cell for its customers.

use crate::core::report::charts::{heat, heat_text_is_light};
use crate::core::report::segments::GridCell;
use crate::ui::format;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RfHeatmapProps {
    pub cells: Vec<GridCell>,
    pub bins: u8,
    pub onselect: Callback<(u8, u8)>,
}

const CELL: f64 = 64.0;
const AXIS: f64 = 28.0;

#[component]
pub fn RfHeatmap(props: &RfHeatmapProps) -> Html {
    let b = f64::from(props.bins);
    let max = props.cells.iter().map(|c| c.customers).max().unwrap_or(0).max(1) as f64;
    let size = AXIS + CELL * b;
    html! {
        <svg class="chart heatmap" viewBox={format!("0 0 {size} {size}")} role="group" aria-label={props.cells.iter().map(|c| format!("R{} F{}: {}", c.r, c.f, format::int(c.customers as u64))).collect::<Vec<_>>().join(" · ")} data-testid="rf-heatmap">
            { for props.cells.iter().map(|c| {
                // F grows to the right, R grows upwards.
                let x = AXIS + (f64::from(c.f) - 1.0) * CELL;
                let y = (b - f64::from(c.r)) * CELL;
                let t = c.customers as f64 / max;
                let (r, f) = (c.r, c.f);
                // The cell's mean spend where the file has amounts.
                let mean = c.mean_monetary.map(|m| format!(" · {}", format::money(m))).unwrap_or_default();
                let onclick = props.onselect.reform(move |_: MouseEvent| (r, f));
                let onkeydown = super::on_activate(props.onselect.reform(move |()| (r, f)));
                html! {
                    <g key={format!("{r}{f}")} class="cell" {onclick} {onkeydown} tabindex="0" role="button" data-testid={format!("cell-{r}-{f}")}>
                        <title>{ format!("R{r} F{f}: {}{mean}", format::int(c.customers as u64)) }</title>
                        <rect x={x.to_string()} y={y.to_string()} width={(CELL - 2.0).to_string()} height={(CELL - 2.0).to_string()} rx="4" fill={heat(t)} />
                        <text x={(x + CELL / 2.0 - 1.0).to_string()} y={(y + CELL / 2.0 - 4.0).to_string()} text-anchor="middle"
                            class={classes!("count", heat_text_is_light(t).then_some("light"))}>{ format::int(c.customers as u64) }</text>
                        if let Some(m) = c.mean_monetary {
                            <text x={(x + CELL / 2.0 - 1.0).to_string()} y={(y + CELL / 2.0 + 12.0).to_string()} text-anchor="middle"
                                class={classes!("sub", heat_text_is_light(t).then_some("light"))}>{ format!("{m:.0}") }</text>
                        }
                    </g>
                }
            }) }
            { for (1..=props.bins).map(|k| {
                let kf = f64::from(k);
                html! {
                    <g key={k}>
                        <text class="axis" x={(AXIS / 2.0).to_string()} y={((b - kf) * CELL + CELL / 2.0 + 4.0).to_string()} text-anchor="middle">{ format!("R{k}") }</text>
                        <text class="axis" x={(AXIS + (kf - 1.0) * CELL + CELL / 2.0).to_string()} y={(b * CELL + 18.0).to_string()} text-anchor="middle">{ format!("F{k}") }</text>
                    </g>
                }
            }) }
        </svg>
    }
}
