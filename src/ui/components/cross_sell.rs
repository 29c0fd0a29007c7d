//! Cross-purchase in sequence: the anchor and target categories and the window chosen, the share
//! of anchor buyers who bought a target in time against its benchmark, its line by period of the
//! first anchor purchase with the benchmark drawn beside it, two periods compared, and the "bought
//! the anchor, no target yet" customers a click away (and from there exported).

use crate::core::analysis::cross_sell::{BenchmarkTest, CrossSell, CrossSellParams};
use crate::core::analysis::trends::{two_proportions, Share};
use crate::core::report::charts::unit_path;
use crate::core::report::segments::CustomerFilter;
use crate::ui::components::compare::{period_selects, text_field, Pick};
use crate::ui::components::kpi_trend::verdict;
use crate::ui::format;
use crate::ui::i18n::{Lang, Texts};
use crate::ui::state::Problem;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CrossSellProps {
    /// The categories to choose from, most buyers first.
    pub categories: Vec<String>,
    /// Changes whenever the segmentation does (its as-of date and period are the measurement's).
    pub generation: usize,
    pub result: Option<Result<Rc<CrossSell>, Problem>>,
    pub lang: Lang,
    /// The user asked for a measurement.
    pub onask: Callback<CrossSellParams>,
    /// The user asked for the anchor buyers with no target yet.
    pub onopen: Callback<CustomerFilter>,
}

const W: f64 = 640.0;
const H: f64 = 160.0;

fn pct(share: Share) -> String {
    share.rate().map_or_else(|| "—".into(), |r| format!("{:.1}%", r * 100.0))
}

/// The share against the benchmark, in words.
fn against(t: &Texts, test: &BenchmarkTest) -> String {
    let points = test.difference * 100.0;
    let p = test.p_value.map_or_else(|| "—".into(), |p| if p < 0.001 { "< 0.001".into() } else { format!("{p:.3}") });
    let word = if test.significant { t.cross_real } else { t.trend_not_significant };
    format!("{} {:.0}%: {points:+.1} {} (p {p}): {word}", t.cross_vs_benchmark, test.benchmark * 100.0, t.points)
}

/// The form's default: the category with the most buyers as the anchor, every other as a target.
fn defaults(categories: &[String]) -> CrossSellParams {
    CrossSellParams {
        anchor: categories.iter().take(1).cloned().collect(),
        targets: categories.iter().skip(1).cloned().collect(),
        ..CrossSellParams::default()
    }
}

#[component]
pub fn CrossSellSection(props: &CrossSellProps) -> Html {
    let t = props.lang.texts();
    let form = {
        let categories = props.categories.clone();
        use_state(move || defaults(&categories))
    };
    // The window and benchmark as typed (checked when applied).
    let within = use_state(|| form.within_days.to_string());
    let benchmark = use_state(|| form.benchmark.map_or_else(String::new, |b| format!("{}", b * 100.0)));
    let pick = use_state(|| None::<(usize, usize)>);
    {
        // Measured again whenever the segmentation changes, with the form as it was last applied.
        let (onask, form) = (props.onask.clone(), form.clone());
        use_effect_with(props.generation, move |_| {
            if !form.anchor.is_empty() && !form.targets.is_empty() {
                onask.emit((*form).clone());
            }
        });
    }
    if props.categories.len() < 2 {
        return html! {};
    }
    let toggle = |side: usize, name: String| {
        let form = form.clone();
        Callback::from(move |_: Event| {
            let mut f = (*form).clone();
            let (list, other) = if side == 0 { (&mut f.anchor, &mut f.targets) } else { (&mut f.targets, &mut f.anchor) };
            if let Some(k) = list.iter().position(|n| *n == name) {
                list.remove(k);
            } else {
                list.push(name.clone());
                other.retain(|n| *n != name);
            }
            form.set(f);
        })
    };
    let boxes = |side: usize, chosen: &[String], id: &'static str| {
        html! {
            <div class="checks" data-testid={id}>
                { for props.categories.iter().map(|name| html! {
                    <label key={name.clone()}>
                        <input type="checkbox" checked={chosen.contains(name)} onchange={toggle(side, name.clone())} />
                        { name.clone() }
                    </label>
                }) }
            </div>
        }
    };
    let apply = {
        let (form, within, benchmark, onask) = (form.clone(), within.clone(), benchmark.clone(), props.onask.clone());
        Callback::from(move |_: MouseEvent| {
            let mut f = (*form).clone();
            // What does not read as a number is sent as -1, which the worker refuses with a reason.
            f.within_days = within.trim().parse().unwrap_or(-1);
            f.benchmark = match benchmark.trim() {
                "" => None,
                b => Some(b.parse::<f64>().map_or(-1.0, |x| x / 100.0)),
            };
            form.set(f.clone());
            onask.emit(f);
        })
    };
    let same_day = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let mut f = (*form).clone();
            f.same_day = e.target_unchecked_into::<HtmlInputElement>().checked();
            form.set(f);
        })
    };
    let result = match &props.result {
        None => html! {},
        Some(Err(problem)) => {
            html! { <p class="attention-text" role="alert" data-testid="cross-error">{ props.lang.problem(problem) }</p> }
        }
        Some(Ok(x)) => results(props, t, x, &pick),
    };
    html! {
        <section class="card" data-testid="cross-sell">
            <h2>{ t.cross_title }</h2>
            <div class="cross-choose">
                <fieldset><legend>{ t.cross_anchor }</legend>{ boxes(0, &form.anchor, "cross-anchor") }</fieldset>
                <fieldset><legend>{ t.cross_targets }</legend>{ boxes(1, &form.targets, "cross-targets") }</fieldset>
            </div>
            <div class="controls">
                { text_field(t.cross_within, "cross-within", &within) }
                <label><input type="checkbox" checked={form.same_day} onchange={same_day} data-testid="cross-same-day" />{ t.cross_same_day }</label>
                { text_field(t.cross_benchmark, "cross-benchmark", &benchmark) }
                <button class="button primary" onclick={apply} data-testid="cross-apply">{ t.apply }</button>
            </div>
            { result }
        </section>
    }
}

/// The measurement: cards, the line by period with the benchmark, two periods compared, the table.
fn results(props: &CrossSellProps, t: &Texts, x: &CrossSell, pick: &Pick) -> Html {
    let p = &x.params;
    let same = if p.same_day { t.cross_same_counts } else { t.cross_same_excluded };
    let rule = t.cross_rule.replace("{days}", &p.within_days.to_string()).replace("{same}", same);
    // Periods whose every anchor buyer has been seen for the whole window; the last ones are not.
    let complete: Vec<usize> = (0..x.periods.len())
        .filter(|&k| x.periods[k].converted.of > 0 && x.periods[k].converted.of == x.periods[k].anchor_buyers)
        .collect();
    let n = x.periods.len();
    let xk = |k: usize| if n <= 1 { 0.5 } else { k as f64 / (n - 1) as f64 };
    let line: Vec<(f64, f64)> = complete.iter().filter_map(|&k| x.periods[k].converted.rate().map(|r| (xk(k), r))).collect();
    let (a, b) =
        pick.unwrap_or((complete.len().checked_sub(2).map_or(0, |i| complete[i]), complete.last().copied().unwrap_or(0)));
    let labels: Vec<String> = x.periods.iter().map(|p| p.label.clone()).collect();
    let open = {
        let filter = CustomerFilter::NotYet { anchor: p.anchor.clone(), targets: p.targets.clone() };
        props.onopen.reform(move |_: MouseEvent| filter.clone())
    };
    let ci = x.ci95.map_or_else(String::new, |(lo, hi)| format!("95%: {:.1}% … {:.1}%", lo * 100.0, hi * 100.0));
    let counted = t
        .cross_counted
        .replace("{eligible}", &format::int(x.converted.of as u64))
        .replace("{recent}", &format::int(x.too_recent as u64));
    let (pa, pb) = (x.periods.get(a), x.periods.get(b));
    html! {
        <>
            <p class="rule">{ rule }</p>
            <div class="stats">
                <div class="stat">
                    <div class="stat-label">{ t.cross_share }</div>
                    <div class="stat-value" data-testid="cross-share">{ pct(x.converted) }</div>
                    <div class="hint">{ ci }</div>
                    <div class="hint">{ counted }</div>
                </div>
                <div class="stat">
                    <div class="stat-label">{ t.cross_vs_benchmark }</div>
                    <div class="stat-value">{ x.test.as_ref().map_or_else(|| "—".into(), |b| format!("{:.0}%", b.benchmark * 100.0)) }</div>
                    if let Some(test) = &x.test { <div class="hint" data-testid="cross-verdict">{ against(t, test) }</div> }
                </div>
                <div class="stat">
                    <div class="stat-label">{ t.cross_median }</div>
                    <div class="stat-value" data-testid="cross-median">{ x.median_days.map_or_else(|| "—".into(), |d| format!("{d:.0}")) }</div>
                </div>
                <div class="stat">
                    <div class="stat-label">{ t.cross_not_yet }</div>
                    <div class="stat-value" data-testid="cross-not-yet">{ format::int(x.not_yet as u64) }</div>
                    <button class="button" onclick={open} data-testid="cross-open">{ t.cross_open }</button>
                </div>
            </div>
            if !line.is_empty() {
                <svg class="chart" viewBox={format!("-36 -6 {} {}", W + 46.0, H + 30.0)} role="img" data-testid="cross-chart">
                    <title>{ t.cross_title }</title>
                    { for [0.0, 0.5, 1.0].iter().map(|v| html! {
                        <text class="axis" x="-6" y={((1.0 - v) * H + 4.0).to_string()} text-anchor="end">{ format!("{:.0}%", v * 100.0) }</text>
                    }) }
                    <path class="zero" d={unit_path(&[(0.0, 0.0), (1.0, 0.0)], W, H)} />
                    if let Some(b) = p.benchmark { <path class="line benchmark" d={unit_path(&[(0.0, b), (1.0, b)], W, H)} /> }
                    <path class="line series-0" d={unit_path(&line, W, H)} />
                    <text class="axis" x="0" y={(H + 20.0).to_string()}>{ x.periods[0].label.clone() }</text>
                    <text class="axis" x={W.to_string()} y={(H + 20.0).to_string()} text-anchor="end">{ x.periods[n - 1].label.clone() }</text>
                </svg>
                <ul class="legend">
                    <li class="series-0">{ t.cross_share }</li>
                    if let Some(b) = p.benchmark { <li class="benchmark-key">{ format!("{} {:.0}%", t.cross_vs_benchmark, b * 100.0) }</li> }
                </ul>
            }
            if let (Some(pa), Some(pb)) = (pa, pb) {
                <div class="compare" data-testid="cross-compare">
                    { period_selects(t, &labels, pick, (a, b), "cross") }
                    <p data-testid="cross-compare-verdict">{ format!("{} {} → {} {}: {}", pa.label, pct(pa.converted), pb.label, pct(pb.converted), verdict(t, two_proportions(pa.converted, pb.converted).as_ref())) }</p>
                </div>
            }
            <div class="table-wrap full" tabindex="0">
                <table data-testid="cross-periods">
                    <thead><tr><th>{ t.period }</th><th class="num">{ t.cross_anchor_buyers }</th><th class="num">{ t.cross_share }</th></tr></thead>
                    <tbody>
                        { for x.periods.iter().rev().filter(|r| r.anchor_buyers > 0).take(24).map(|r| html! {
                            <tr key={r.label.clone()}>
                                <td>{ r.label.clone() }{ if r.converted.of < r.anchor_buyers { format!(" ({})", t.cross_partial) } else { String::new() } }</td>
                                <td class="num">{ format::int(r.anchor_buyers as u64) }</td>
                                <td class="num" title={format!("{} / {}", format::int(r.converted.hits as u64), format::int(r.converted.of as u64))}>{ pct(r.converted) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}
