//! The loyalty KPIs period by period (repeat-customer share, returning-buyer share, dormant
//! reactivation) as lines on a 0–100% scale with a table, and the test of a change between any
//! two periods the user picks, with a verdict in words.

use crate::core::analysis::trends::{two_proportions, KpiPeriod, KpiTrends, ProportionTest, Share};
use crate::core::report::charts::unit_path;
use crate::ui::format;
use crate::ui::i18n::{Lang, Texts};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct KpiTrendProps {
    pub trends: KpiTrends,
    pub lang: Lang,
}

const W: f64 = 640.0;
const H: f64 = 180.0;
/// The periods drawn and listed: the most recent ones.
const SHOWN: usize = 24;

/// The KPIs of a period, in the order of the lines and columns.
fn shares(p: &KpiPeriod) -> [Share; 3] {
    [p.repeat_customers, p.returning_buyers, p.reactivation]
}

fn pct(share: Share) -> String {
    share.rate().map_or_else(|| "—".into(), |r| format!("{:.1}%", r * 100.0))
}

/// A change in words: its size in points, its interval and whether it is more than noise.
pub fn verdict(t: &Texts, test: Option<&ProportionTest>) -> String {
    let Some(test) = test else { return t.trend_untestable.to_string() };
    let points = test.difference * 100.0;
    let (lo, hi) = (test.ci95.0 * 100.0, test.ci95.1 * 100.0);
    let p = test.p_value.map_or_else(|| "—".into(), |p| if p < 0.001 { "< 0.001".into() } else { format!("{p:.3}") });
    let word = if test.significant { t.trend_significant } else { t.trend_not_significant };
    format!("{points:+.1} {} (95%: {lo:+.1} … {hi:+.1}; p {p}): {word}", t.points)
}

#[component]
pub fn KpiTrend(props: &KpiTrendProps) -> Html {
    let t = props.lang.texts();
    let all = &props.trends.periods;
    let recent = &all[all.len().saturating_sub(SHOWN)..];
    let n = recent.len();
    // The two periods compared: the last two until the user picks others (indices into `all`).
    let pick = use_state(|| None::<(usize, usize)>);
    let (a, b) = pick.unwrap_or((all.len().saturating_sub(2), all.len().saturating_sub(1)));
    if n == 0 {
        return html! {};
    }
    let x = |k: usize| if n <= 1 { 0.5 } else { k as f64 / (n - 1) as f64 };
    let names = [t.kpi_repeat_customers, t.kpi_returning_buyers, t.kpi_reactivation_period];
    let lines: Vec<String> = (0..3)
        .map(|j| {
            let points: Vec<(f64, f64)> =
                recent.iter().enumerate().filter_map(|(k, p)| shares(p)[j].rate().map(|r| (x(k), r))).collect();
            unit_path(&points, W, H)
        })
        .collect();
    let labels: Vec<String> = all.iter().map(|p| p.label.clone()).collect();
    let (pa, pb) = (&all[a], &all[b]);
    html! {
        <>
            <svg class="chart" viewBox={format!("-36 -6 {} {}", W + 46.0, H + 30.0)} role="img" aria-label={recent.iter().map(|p| {
                let rates: Vec<String> = (0..3).map(|j| shares(p)[j].rate().map_or_else(|| "—".into(), |r| format!("{} {:.1}%", names[j], r * 100.0))).collect();
                format!("{}: {}", p.label, rates.join(", "))
            }).collect::<Vec<_>>().join(" · ")} data-testid="kpi-trend">
                <title>{ t.trends_title }</title>
                { for [0.0, 0.5, 1.0].iter().map(|v| html! {
                    <text class="axis" x="-6" y={((1.0 - v) * H + 4.0).to_string()} text-anchor="end">{ format!("{:.0}%", v * 100.0) }</text>
                }) }
                <path class="zero" d={unit_path(&[(0.0, 0.0), (1.0, 0.0)], W, H)} />
                { for lines.iter().enumerate().map(|(j, d)| html! { <path key={j} class={format!("line series-{j}")} d={d.clone()} /> }) }
                <text class="axis" x="0" y={(H + 20.0).to_string()}>{ recent[0].label.clone() }</text>
                <text class="axis" x={W.to_string()} y={(H + 20.0).to_string()} text-anchor="end">{ recent[n - 1].label.clone() }</text>
            </svg>
            <ul class="legend">
                { for names.iter().enumerate().map(|(j, name)| html! { <li key={j} class={format!("series-{j}")}>{ *name }</li> }) }
            </ul>
            <div class="compare" data-testid="trend-compare">
                { crate::ui::components::compare::period_selects(t, &labels, &pick, (a, b), "trend") }
                <div class="table-wrap full" tabindex="0">
                <table>
                    <thead><tr><th></th><th class="num">{ pa.label.clone() }</th><th class="num">{ pb.label.clone() }</th><th>{ t.trend_change }</th></tr></thead>
                    <tbody>
                        { for names.iter().enumerate().map(|(j, name)| {
                            let (sa, sb) = (shares(pa)[j], shares(pb)[j]);
                            html! {
                                <tr key={j}>
                                    <th scope="row">{ *name }</th>
                                    <td class="num">{ pct(sa) }</td><td class="num">{ pct(sb) }</td>
                                    <td data-testid={format!("trend-verdict-{j}")}>{ verdict(t, two_proportions(sa, sb).as_ref()) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                </div>
            </div>
            <div class="table-wrap full" tabindex="0">
                <table data-testid="kpi-periods">
                    <thead><tr><th>{ t.period }</th>{ for names.iter().map(|n| html! { <th class="num">{ *n }</th> }) }</tr></thead>
                    <tbody>
                        { for recent.iter().map(|p| html! {
                            <tr key={p.label.clone()}>
                                <td>{ p.label.clone() }</td>
                                { for shares(p).iter().enumerate().map(|(j, s)| html! {
                                    <td class="num" key={j} title={format!("{} / {}", format::int(s.hits as u64), format::int(s.of as u64))}>{ pct(*s) }</td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}
