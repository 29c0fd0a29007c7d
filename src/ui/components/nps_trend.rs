//! NPS by month or quarter: the line with its 95% interval as a band, and a plain verdict on the
//! last change.

use crate::core::report::charts::unit_path;
use crate::core::report::nps_page::NpsSummary;
use crate::ui::context::AppContext;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NpsTrendProps {
    pub summary: Rc<NpsSummary>,
}

const TREND_W: f64 = 640.0;
const TREND_H: f64 = 200.0;

#[component]
pub fn NpsTrend(props: &NpsTrendProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let s = &props.summary;
    // NPS on −100..100 mapped to 0..1, the band from the intervals.
    let n = s.trend.len();
    let x = |k: usize| if n <= 1 { 0.5 } else { k as f64 / (n - 1) as f64 };
    let y = |v: f64| (v + 100.0) / 200.0;
    let line: Vec<(f64, f64)> = s.trend.iter().enumerate().map(|(k, g)| (x(k), y(g.nps.nps))).collect();
    let mut band: Vec<(f64, f64)> = s.trend.iter().enumerate().map(|(k, g)| (x(k), y(g.nps.ci95[1]))).collect();
    band.extend(s.trend.iter().enumerate().rev().map(|(k, g)| (x(k), y(g.nps.ci95[0]))));
    html! {
        <>
            if n > 0 {
                <svg class="chart" viewBox={format!("-30 -6 {} {}", TREND_W + 40.0, TREND_H + 30.0)} role="img" data-testid="nps-trend">
                    <path class="zero" d={unit_path(&[(0.0, 0.5), (1.0, 0.5)], TREND_W, TREND_H)} />
                    <path class="band" d={format!("{}Z", unit_path(&band, TREND_W, TREND_H))} />
                    <path class="line" d={unit_path(&line, TREND_W, TREND_H)} />
                    { for s.trend.iter().enumerate().map(|(k, g)| html! {
                        <circle key={k} class="dot" cx={(x(k) * TREND_W).to_string()} cy={((1.0 - y(g.nps.nps)) * TREND_H).to_string()} r="3">
                            <title>{ format!("{}: NPS {:.1} ({:.1} – {:.1}), n = {}", g.key, g.nps.nps, g.nps.ci95[0], g.nps.ci95[1], g.nps.responses) }</title>
                        </circle>
                    }) }
                    <text class="axis" x="-6" y="4" text-anchor="end">{ "100" }</text>
                    <text class="axis" x="-6" y={(TREND_H / 2.0 + 4.0).to_string()} text-anchor="end">{ "0" }</text>
                    <text class="axis" x="-6" y={(TREND_H + 4.0).to_string()} text-anchor="end">{ "−100" }</text>
                    <text class="axis" x="0" y={(TREND_H + 20.0).to_string()}>{ s.trend.first().map(|g| g.key.clone()).unwrap_or_default() }</text>
                    <text class="axis" x={TREND_W.to_string()} y={(TREND_H + 20.0).to_string()} text-anchor="end">{ s.trend.last().map(|g| g.key.clone()).unwrap_or_default() }</text>
                </svg>
            }
            if let Some(c) = &s.last_change {
                <p class={classes!(if c.significant { "attention-text" } else { "hint" })} data-testid="nps-change">
                    { format!("{} ({:+.1}; {})", if c.significant { t.change_significant } else { t.change_not_significant }, c.difference,
                        c.p_value.map_or("—".to_string(), |p| format!("p = {p:.3}"))) }
                </p>
            }
        </>
    }
}
