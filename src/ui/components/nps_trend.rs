//! NPS by month or quarter: the line with its 95% interval as a band, a plain verdict on the last
//! change, and the test of the change between any two periods the user picks (before and after a
//! campaign, say).

use crate::core::analysis::nps::{compare, Counts, Nps};
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
    // NPS on an axis scaled to the intervals (and 0) mapped to 0..1, the band from the intervals.
    let n = s.trend.len();
    let x = |k: usize| if n <= 1 { 0.5 } else { k as f64 / (n - 1) as f64 };
    let (lo, hi) = crate::core::report::charts::axis_range(s.trend.iter().flat_map(|g| g.nps.ci95), 10.0, (-100.0, 100.0));
    let y = |v: f64| (v - lo) / (hi - lo);
    // The axis's ends and its zero line, once each (0 may be an end).
    let mut ticks = vec![hi, 0.0, lo];
    ticks.dedup();
    let line: Vec<(f64, f64)> = s.trend.iter().enumerate().map(|(k, g)| (x(k), y(g.nps.nps))).collect();
    let mut band: Vec<(f64, f64)> = s.trend.iter().enumerate().map(|(k, g)| (x(k), y(g.nps.ci95[1]))).collect();
    band.extend(s.trend.iter().enumerate().rev().map(|(k, g)| (x(k), y(g.nps.ci95[0]))));
    // The two periods compared: the last two until the user picks others.
    let pick = use_state(|| None::<(usize, usize)>);
    let (a, b) = pick.unwrap_or((n.saturating_sub(2), n.saturating_sub(1)));
    let counts = |g: &Nps| Counts { promoters: g.promoters, passives: g.passives, detractors: g.detractors };
    let labels: Vec<String> = s.trend.iter().map(|g| g.key.clone()).collect();
    let chosen = match (s.trend.get(a), s.trend.get(b)) {
        (Some(pa), Some(pb)) if n >= 2 => compare(counts(&pa.nps), counts(&pb.nps)).ok().map(|c| {
            let p = c.p_value.map_or_else(|| "—".into(), |p| if p < 0.001 { "< 0.001".into() } else { format!("{p:.3}") });
            let word = if c.significant { t.trend_significant } else { t.trend_not_significant };
            format!("{} {:.1} → {} {:.1}: {:+.1} (p {p}): {word}", pa.key, pa.nps.nps, pb.key, pb.nps.nps, c.difference)
        }),
        _ => None,
    };
    html! {
        <>
            if n > 0 {
                <svg class="chart" viewBox={format!("-30 -6 {} {}", TREND_W + 40.0, TREND_H + 30.0)} role="img" aria-label={format!("NPS: {}", s.trend.iter().map(|g| format!("{} {:.1}", g.key, g.nps.nps)).collect::<Vec<_>>().join(" · "))} data-testid="nps-trend">
                    <path class="zero" d={unit_path(&[(0.0, y(0.0)), (1.0, y(0.0))], TREND_W, TREND_H)} />
                    <path class="band" d={format!("{}Z", unit_path(&band, TREND_W, TREND_H))} />
                    <path class="line" d={unit_path(&line, TREND_W, TREND_H)} />
                    { for s.trend.iter().enumerate().map(|(k, g)| html! {
                        <circle key={k} class="dot" cx={(x(k) * TREND_W).to_string()} cy={((1.0 - y(g.nps.nps)) * TREND_H).to_string()} r="3">
                            <title>{ format!("{}: NPS {:.1} ({:.1} – {:.1}), n = {}", g.key, g.nps.nps, g.nps.ci95[0], g.nps.ci95[1], g.nps.responses) }</title>
                        </circle>
                    }) }
                    { for ticks.iter().map(|&v| html! {
                        <text class="axis" x="-6" y={((1.0 - y(v)) * TREND_H + 4.0).to_string()} text-anchor="end">{ format!("{v:.0}").replace('-', "−") }</text>
                    }) }
                    <text class="axis" x="0" y={(TREND_H + 20.0).to_string()}>{ s.trend.first().map(|g| g.key.clone()).unwrap_or_default() }</text>
                    <text class="axis" x={TREND_W.to_string()} y={(TREND_H + 20.0).to_string()} text-anchor="end">{ s.trend.last().map(|g| g.key.clone()).unwrap_or_default() }</text>
                </svg>
            }
            if let Some(verdict) = chosen {
                <div class="compare" data-testid="nps-compare">
                    { crate::ui::components::compare::period_selects(t, &labels, &pick, (a, b), "nps") }
                    <p data-testid="nps-compare-verdict">{ verdict }</p>
                </div>
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
