//! The NPS page: the score with its interval, the score distribution, the trend with interval bands
//! and a plain verdict on the last change, and NPS by channel, RFM segment, lifecycle stage and tier.

use crate::core::charts::{bar_lengths, unit_path};
use crate::core::nps::{GroupNps, Interval, Nps, NpsSummary};
use crate::ui::app::AppContext;
use crate::ui::format;
use crate::ui::i18n::{Lang, Texts};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NpsPageProps {
    pub summary: Rc<NpsSummary>,
}

fn interval_text(t: &Texts, n: &Nps) -> String {
    let label = if n.interval == Interval::Wald { t.ci_wald } else { t.ci_adjusted };
    format!("{label}: {} – {}", format::one_decimal(n.ci95[0]), format::one_decimal(n.ci95[1]))
}

fn table(lang: Lang, title: &str, groups: &[GroupNps], testid: &'static str) -> Html {
    let t = lang.texts();
    if groups.is_empty() {
        return html! {};
    }
    html! {
        <section class="card">
            <h2>{ title.to_string() }</h2>
            <div class="table-wrap full">
                <table data-testid={testid}>
                    <thead><tr><th>{ t.group }</th><th class="num">{ t.responses_label }</th><th class="num">{ "NPS" }</th><th class="num">{ t.interval }</th></tr></thead>
                    <tbody>
                        { for groups.iter().map(|g| html! {
                            <tr key={g.key.clone()}>
                                <td>{ if lang == Lang::Zh { g.zh.clone().unwrap_or_else(|| g.key.clone()) } else { g.key.clone() } }</td>
                                <td class="num">{ format::int(g.nps.responses as u64) }</td>
                                <td class="num">{ format::one_decimal(g.nps.nps) }</td>
                                <td class="num">{ format!("{} – {}", format::one_decimal(g.nps.ci95[0]), format::one_decimal(g.nps.ci95[1])) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

const TREND_W: f64 = 640.0;
const TREND_H: f64 = 200.0;

#[component]
pub fn NpsPage(props: &NpsPageProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let s = &props.summary;
    let o = &s.overall;
    let share = |k: usize| if o.responses == 0 { 0.0 } else { k as f64 / o.responses as f64 * 100.0 };
    let dist: Vec<f64> = s.distribution.iter().map(|&c| c as f64).collect();
    let heights = bar_lengths(&dist, 150.0);
    // Trend: NPS on −100..100 mapped to 0..1, the band from the intervals.
    let n = s.trend.len();
    let x = |k: usize| if n <= 1 { 0.5 } else { k as f64 / (n - 1) as f64 };
    let y = |v: f64| (v + 100.0) / 200.0;
    let line: Vec<(f64, f64)> = s.trend.iter().enumerate().map(|(k, g)| (x(k), y(g.nps.nps))).collect();
    let mut band: Vec<(f64, f64)> = s.trend.iter().enumerate().map(|(k, g)| (x(k), y(g.nps.ci95[1]))).collect();
    band.extend(s.trend.iter().enumerate().rev().map(|(k, g)| (x(k), y(g.nps.ci95[0]))));
    html! {
        <>
            <section class="card">
                <h2>{ t.nps_title }</h2>
                <div class="stats">
                    <div class="stat"><div class="stat-label">{ "NPS" }</div><div class="stat-value" data-testid="nps-value">{ format::one_decimal(o.nps) }</div>
                        <div class="hint" data-testid="nps-interval">{ interval_text(t, o) }</div></div>
                    <div class="stat"><div class="stat-label">{ t.responses_label }</div><div class="stat-value" data-testid="nps-responses">{ format::int(o.responses as u64) }</div></div>
                    <div class="stat"><div class="stat-label">{ t.promoters }</div><div class="stat-value">{ format!("{:.1}%", share(o.promoters)) }</div></div>
                    <div class="stat"><div class="stat-label">{ t.passives }</div><div class="stat-value">{ format!("{:.1}%", share(o.passives)) }</div></div>
                    <div class="stat"><div class="stat-label">{ t.detractors }</div><div class="stat-value">{ format!("{:.1}%", share(o.detractors)) }</div></div>
                </div>
                <p class="rule">{ "NPS = %promoters − %detractors; SE = 100 · sqrt((p + d − (p − d)²) / n); 95% = NPS ± 1.96 SE (adjusted Wald: n + 3, ¾ added to promoters and detractors, below 100 answers)" }</p>
            </section>
            <div class="two-col">
                <section class="card">
                    <h2>{ t.distribution_title }</h2>
                    <svg class="chart" viewBox="0 0 440 190" role="img" data-testid="nps-distribution">
                        { for heights.iter().enumerate().map(|(score, &h)| {
                            let class = match score { 9..=10 => "promoter", 7..=8 => "passive", _ => "detractor" };
                            let xpos = 10.0 + score as f64 * 39.0;
                            html! {
                                <g key={score}>
                                    <title>{ format!("{score}: {}", format::int(s.distribution[score] as u64)) }</title>
                                    <rect class={class} x={xpos.to_string()} y={(160.0 - h).to_string()} width="30" height={h.max(0.5).to_string()} rx="2" />
                                    <text class="axis" x={(xpos + 15.0).to_string()} y="178" text-anchor="middle">{ score }</text>
                                </g>
                            }
                        }) }
                    </svg>
                </section>
                <section class="card">
                    <h2>{ t.trend_title }</h2>
                    if n > 0 {
                        <svg class="chart" viewBox={format!("-30 -6 {} {}", TREND_W + 40.0, TREND_H + 30.0)} role="img" data-testid="nps-trend">
                            <path class="zero" d={unit_path(&[(0.0, 0.5), (1.0, 0.5)], TREND_W, TREND_H)} />
                            <path class="band" d={format!("{}Z", unit_path(&band, TREND_W, TREND_H))} />
                            <path class="line" d={unit_path(&line, TREND_W, TREND_H)} />
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
                </section>
            </div>
            <div class="two-col">
                { table(lang, t.by_channel_title, &s.by_channel, "nps-by-channel") }
                { table(lang, t.by_tier_title, &s.by_tier, "nps-by-tier") }
                { table(lang, t.by_segment_title, &s.by_segment, "nps-by-segment") }
                { table(lang, t.by_stage_title, &s.by_stage, "nps-by-stage") }
            </div>
        </>
    }
}
