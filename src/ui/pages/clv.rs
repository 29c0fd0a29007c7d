//! The CLV page: calibration/holdout settings, the three models' fits with standard errors, the
//! holdout validation (per frequency group and the tracking plot), and customers sorted by CLV,
//! P(alive) or expected purchases, with export. Runs in the worker step by step, with progress and
//! a cancel button.

use crate::core::clv::form::{ClvForm, ClvFormError};
use crate::core::clv::summary::Unit;
use crate::core::clv::{ClvReport, Fitted};
use crate::core::report::charts::unit_path;
use crate::core::values::{format_day, parse_iso_date};
use crate::protocol::{ClvSort, ClvStep, PAGE_SIZE};
use crate::ui::components::{chart_card::ChartCard, tables};
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::Lang;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The default split: calibration on the first half of the data, the second half held out.
fn default_dates(range: Option<(&str, &str)>) -> (String, String) {
    let Some((first, last)) = range.and_then(|(a, b)| Some((parse_iso_date(a).ok()?, parse_iso_date(b).ok()?))) else {
        return (String::new(), String::new());
    };
    (format_day(first + (last - first) / 2), format_day(last))
}

/// The settings the page opens with (and fits with on its own) for data from `range` (first and
/// last date): weeks, 12 months ahead, 1% a month.
pub fn default_form(range: Option<(&str, &str)>) -> ClvForm {
    let (calibration_end, holdout_end) = default_dates(range);
    ClvForm { calibration_end, holdout_end, unit: Unit::Week, horizon_months: "12".into(), discount_percent: "1".into() }
}

fn fmt(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

fn model_row<P>(name: &str, fitted: &Fitted<P>, names: &[&str], values: &[f64], lang: Lang) -> Html {
    let se = fitted.se.clone().unwrap_or_default();
    html! {
        <tr>
            <td>{ name.to_string() }</td>
            <td>{ for names.iter().zip(values).enumerate().map(|(i, (n, v))| html! {
                <span class="param">{ format!("{n} = {}", fmt(*v)) }<span class="muted">{ se.get(i).map_or(String::new(), |s| format!(" (± {})", fmt(*s))) }</span></span>
            }) }</td>
            <td class="num">{ format!("{:.3}", fitted.log_likelihood) }</td>
            <td>{ if fitted.converged { lang.texts().clv_yes } else { lang.texts().clv_no } }<span class="muted">{ format!(" · {} it.", fitted.iterations) }</span></td>
        </tr>
    }
}

#[component]
pub fn ClvPage() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let tx = lang.texts();
    let range = ctx.state.ingest.report.as_ref().and_then(|r| r.totals.date_range.clone());
    let defaults = default_form(range.as_ref().map(|d| (d.first.as_str(), d.last.as_str())));
    let calibration = use_state(|| defaults.calibration_end.clone());
    let holdout = use_state(|| defaults.holdout_end.clone());
    let unit = use_state(|| defaults.unit);
    let horizon = use_state(|| defaults.horizon_months.clone());
    let discount = use_state(|| defaults.discount_percent.clone());
    let form_error = use_state(|| None::<ClvFormError>);
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let form = ClvForm {
        calibration_end: (*calibration).clone(),
        holdout_end: (*holdout).clone(),
        unit: *unit,
        horizon_months: (*horizon).clone(),
        discount_percent: (*discount).clone(),
    };
    {
        // A first visit fits the models with the settings shown (the defaults), when the file
        // allows it; the button runs them again with the user's.
        let (ctx, form) = (ctx.clone(), form.clone());
        let wants = ctx.state.clv.wants_auto_fit() && ctx.state.segments.summary.is_some();
        use_effect_with(wants, move |_| ctx.fit_clv_on_its_own(&form));
    }
    let run = {
        let (ctx, form, form_error) = (ctx.clone(), form.clone(), form_error.clone());
        Callback::from(move |_: MouseEvent| match form.to_params() {
            Ok(params) => {
                form_error.set(None);
                ctx.run_clv(params);
            }
            Err(e) => form_error.set(Some(e)),
        })
    };
    let cancel = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.cancel_clv())
    };
    let on_unit = {
        let unit = unit.clone();
        Callback::from(move |e: Event| {
            unit.set(if e.target_unchecked_into::<HtmlSelectElement>().value() == "day" { Unit::Day } else { Unit::Week })
        })
    };
    {
        // The roll-ups of each new run, and again under new segmentation rules.
        let generation = (
            ctx.state.clv.report.as_ref().map_or(0, |r| Rc::as_ptr(r) as usize),
            ctx.state.segments.summary.as_ref().map_or(0, |s| Rc::as_ptr(s) as usize),
        );
        let ctx = ctx.clone();
        use_effect_with(generation, move |(report, summary)| {
            if *report != 0 && *summary != 0 {
                ctx.clv_groups();
            }
        });
    }
    let running = ctx.state.clv.step;
    let code = ctx.state.ingest.report.as_ref().and_then(|r| r.currency.as_deref());
    let step_names = [tx.clv_summary, "BG/NBD", "Pareto/NBD", "Gamma-Gamma", tx.clv_predicting];
    html! {
        <>
            { crate::ui::components::guide::guide("clv", tx.g_clv_q, match ctx.state.clv.report.as_deref() {
                None => tx.g_clv_a.to_string(),
                Some(r) => {
                    let text = match r.total_clv {
                        Some(total) => tx.g_clv_a_fitted.replace("{total}", &format::money_compact(total, code, lang)).replace("{months}", &r.horizon_months.to_string()),
                        None => tx.g_clv_a_fitted_plain.to_string(),
                    };
                    text.replace("{customers}", &format::int(r.customers as u64))
                }
            }) }
            <section class="card">
                <h2>{ tx.clv_customer_lifetime_value_clv }</h2>
                <p class="hint">{ tx.clv_intro }</p>
                <div class="controls">
                    <label>{ tx.clv_calibration_end }<input type="date" value={(*calibration).clone()} onchange={text(&calibration)} data-testid="clv-calibration" /></label>
                    <label>{ tx.clv_holdout_end_optional }<input type="date" value={(*holdout).clone()} onchange={text(&holdout)} data-testid="clv-holdout" /></label>
                    <label>{ tx.clv_unit }
                        <select onchange={on_unit} data-testid="clv-unit">
                            <option value="week" selected={*unit == Unit::Week}>{ tx.clv_week }</option>
                            <option value="day" selected={*unit == Unit::Day}>{ tx.clv_day }</option>
                        </select>
                    </label>
                    <label>{ tx.clv_horizon_months }<input type="number" min="1" max="120" value={(*horizon).clone()} onchange={text(&horizon)} data-testid="clv-horizon" /></label>
                    <label>{ tx.clv_monthly_discount }<input type="number" min="0" step="0.1" value={(*discount).clone()} onchange={text(&discount)} data-testid="clv-discount" /></label>
                    if running.is_some() {
                        <button class="button" onclick={cancel} data-testid="clv-cancel">{ tx.clv_cancel }</button>
                    } else {
                        <button class="button primary" onclick={run} data-testid="clv-run">{ tx.clv_fit_the_models }</button>
                    }
                </div>
                if let Some(step) = running {
                    <ol class="steps" data-testid="clv-progress">
                        { for ClvStep::ALL.iter().zip(step_names).map(|(s, name)| {
                            let k = ClvStep::ALL.iter().position(|x| x == s).unwrap_or(0);
                            let now = ClvStep::ALL.iter().position(|x| *x == step).unwrap_or(0);
                            html! { <li class={classes!(if k < now { "done" } else if k == now { "current" } else { "todo" })}>{ name }</li> }
                        }) }
                    </ol>
                }
                if let Some(e) = (*form_error).as_ref().map(|e| lang.clv_form_error(e)).or_else(|| ctx.state.clv.error.as_ref().map(|p| lang.problem(p))) {
                    <p class="attention-text" role="alert" data-testid="clv-error">{ e }</p>
                }
                <p class="rule">{ "CLV = Σ_{i=1..H} E[M] · (E[X(i months)] − E[X(i−1 months)]) / (1 + d)^i; E[X] from BG/NBD, E[M] from Gamma-Gamma; 1 month = 365.25/12 days" }</p>
            </section>
            if let Some(report) = ctx.state.clv.report.clone() {
                <ClvResults {report} />
            }
            if let (Some(groups), Some(_)) = (ctx.state.clv.groups.clone(), ctx.state.clv.report.as_ref()) {
                <crate::ui::components::clv_groups::ClvGroupsSection {groups} {lang} />
            }
        </>
    }
}

/// A frequency × recency heat map: high frequency at the top, recency left to right; darker = more.
fn fr_heatmap(
    m: &crate::core::clv::FrMatrix,
    values: &[Vec<f64>],
    testid: &'static str,
    value: &dyn Fn(f64) -> String,
    lang: Lang,
) -> Html {
    let (rows, cols) = (m.frequencies.len(), m.recencies.len());
    let (cw, ch, left, bottom) = (36.0, 14.0, 34.0, 34.0);
    let max = values.iter().flatten().copied().fold(0.0, f64::max).max(1e-12);
    let (w, h) = (left + cw * cols as f64, ch * rows as f64 + bottom);
    html! {
        <svg class="chart fr-matrix" viewBox={format!("0 0 {w} {h}")} role="img" data-testid={testid}
            aria-label={m.frequencies.iter().enumerate().map(|(i, x)| {
                let row: Vec<String> = m.recencies.iter().enumerate().map(|(j, r)| format!("{r}: {}", value(values[i][j]))).collect();
                format!("x = {x}: {}", row.join(", "))
            }).collect::<Vec<_>>().join(" · ")}>
            { for m.frequencies.iter().enumerate().map(|(i, &x)| {
                let y = (rows - 1 - i) as f64 * ch;
                html! {
                    <g key={x}>
                        if x % 5 == 0 || i + 1 == rows {
                            <text class="axis" x={(left - 4.0).to_string()} y={(y + ch - 3.0).to_string()} text-anchor="end">{ x }</text>
                        }
                        { for m.recencies.iter().enumerate().map(|(j, &r)| {
                            let v = values[i][j];
                            html! {
                                <rect key={j} x={(left + j as f64 * cw).to_string()} y={y.to_string()} width={cw.to_string()} height={ch.to_string()}
                                    fill="#d4380d" fill-opacity={format!("{:.3}", 0.04 + 0.96 * v / max)}>
                                    <title>{ format!("x = {x}, t_x = {r:.1}: {}", value(v)) }</title>
                                </rect>
                            }
                        }) }
                    </g>
                }
            }) }
            <text class="axis" x={left.to_string()} y={(h - 18.0).to_string()}>{ "0" }</text>
            <text class="axis" x={w.to_string()} y={(h - 18.0).to_string()} text-anchor="end">{ format!("{:.0}", m.t) }</text>
            <text class="axis" x={(left + (w - left) / 2.0).to_string()} y={(h - 4.0).to_string()} text-anchor="middle">
                { lang.texts().clv_recency_t_x_rows_repeat_purchases }
            </text>
        </svg>
    }
}

/// A frequency × recency matrix as a table: a row per frequency, a column per recency.
fn fr_table(m: &crate::core::clv::FrMatrix, values: &[Vec<f64>], value: &dyn Fn(f64) -> String) -> Html {
    let heads: Vec<String> =
        std::iter::once("x \\ t_x".to_string()).chain(m.recencies.iter().map(|r| format!("{r:.1}"))).collect();
    let columns: Vec<(&str, bool)> = heads.iter().enumerate().map(|(i, h)| (h.as_str(), i > 0)).collect();
    let rows = m
        .frequencies
        .iter()
        .zip(values)
        .map(|(x, row)| std::iter::once(x.to_string()).chain(row.iter().map(|v| value(*v))).collect())
        .collect();
    tables::series(&columns, rows).html("chart-table")
}

#[derive(Properties, PartialEq)]
struct ClvResultsProps {
    report: Rc<ClvReport>,
}

const W: f64 = 600.0;
const H: f64 = 220.0;

#[component]
fn ClvResults(props: &ClvResultsProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let tx = lang.texts();
    let r = &props.report;
    let unit = if r.unit == Unit::Week { tx.clv_weeks } else { tx.clv_days };
    let card = |label: &str, value: Html, id: &'static str| {
        html! { <div class="stat"><div class="stat-label">{ label.to_string() }</div><div class="stat-value" data-testid={id}>{ value }</div></div> }
    };
    let code = ctx.state.ingest.report.as_ref().and_then(|r| r.currency.as_deref());
    let bg = &r.bgnbd;
    let v = r.validation.as_ref();
    // Frequency groups: actual and expected holdout purchases per customer.
    let freq_chart = v.map(|v| {
        let max = v.by_frequency.iter().map(|g| g.actual.max(g.expected)).fold(0.0, f64::max).max(1e-9);
        let n = v.by_frequency.len().max(1) as f64;
        let slot = W / n;
        html! {
            <svg class="chart" viewBox={format!("0 -10 {W} {}", H + 40.0)} role="img" data-testid="clv-by-frequency"
                aria-label={v.by_frequency.iter().map(|g| format!("x = {}: {} {:.2}, {} {:.2}", g.frequency, tx.clv_actual, g.actual, tx.clv_expected, g.expected)).collect::<Vec<_>>().join(" · ")}>
                { for v.by_frequency.iter().enumerate().map(|(i, g)| {
                    let x = i as f64 * slot;
                    let ha = g.actual / max * H;
                    let he = g.expected / max * H;
                    let label = if i + 1 == v.by_frequency.len() && g.frequency >= 7 { format!("{}+", g.frequency) } else { g.frequency.to_string() };
                    html! {
                        <g key={i}>
                            <title>{ format!("x = {label}: {} · {} {:.2} · {} {:.2}", g.customers, tx.clv_actual, g.actual, tx.clv_expected, g.expected) }</title>
                            <rect class="actual" x={(x + slot * 0.15).to_string()} y={(H - ha).to_string()} width={(slot * 0.33).to_string()} height={ha.max(0.5).to_string()} />
                            <rect class="expected" x={(x + slot * 0.52).to_string()} y={(H - he).to_string()} width={(slot * 0.33).to_string()} height={he.max(0.5).to_string()} />
                            <text class="axis" x={(x + slot / 2.0).to_string()} y={(H + 16.0).to_string()} text-anchor="middle">{ label }</text>
                        </g>
                    }
                }) }
                <text class="axis" x="0" y={(H + 34.0).to_string()}>{ tx.clv_repeat_purchases_in_calibration_hold }</text>
            </svg>
        }
    });
    let tracking_chart = v.filter(|v| !v.tracking.is_empty()).map(|v| {
        let last = v.tracking.last().map_or(1.0, |t| t.0.max(1.0));
        let top = v.tracking.iter().map(|t| t.1.max(t.2)).fold(0.0, f64::max).max(1e-9);
        let actual: Vec<(f64, f64)> = v.tracking.iter().map(|t| (t.0 / last, t.1 / top)).collect();
        let expected: Vec<(f64, f64)> = v.tracking.iter().map(|t| (t.0 / last, t.2 / top)).collect();
        let split = 1.0 - v.holdout_length * r.unit.days() / 7.0 / last;
        html! {
            <svg class="chart" viewBox={format!("-10 -10 {} {}", W + 20.0, H + 40.0)} role="img" data-testid="clv-tracking"
                aria-label={format!("{} / {}: {}", tx.clv_actual, tx.clv_expected, v.tracking.iter().map(|t| format!("{:.0}: {:.0} / {:.0}", t.0, t.1, t.2)).collect::<Vec<_>>().join(" · "))}>
                <path class="split" d={unit_path(&[(split, 0.0), (split, 1.0)], W, H)} />
                <path class="actual-line" d={unit_path(&actual, W, H)} />
                <path class="expected-line" d={unit_path(&expected, W, H)} />
                <text class="axis" x="0" y={(H + 18.0).to_string()}>{ tx.clv_week_1 }</text>
                <text class="axis" x={W.to_string()} y={(H + 18.0).to_string()} text-anchor="end">{ format!("{} {last:.0}", tx.clv_week_2) }</text>
                <text class="axis" x={(split * W + 4.0).to_string()} y="4">{ tx.clv_holdout }</text>
                <text class="axis" x="4" y="4">{ format!("{} {}", format::int(top as u64), tx.clv_cumulative_repeat_purchases) }</text>
            </svg>
        }
    });
    let freq_table = v.map(|v| {
        let rows = v
            .by_frequency
            .iter()
            .map(|g| {
                vec![
                    g.frequency.to_string(),
                    format::int(g.customers as u64),
                    format!("{:.2}", g.actual),
                    format!("{:.2}", g.expected),
                ]
            })
            .collect();
        tables::series(&[("x", false), (tx.clv_customers, true), (tx.clv_actual, true), (tx.clv_expected, true)], rows)
            .html("chart-table")
    });
    let tracking_table = v.map(|v| {
        let rows = v.tracking.iter().map(|t| vec![format!("{:.0}", t.0), format!("{:.0}", t.1), format!("{:.1}", t.2)]).collect();
        tables::series(&[(tx.clv_week, false), (tx.clv_actual, true), (tx.clv_expected, true)], rows).html("chart-table")
    });
    html! {
        <>
            <section class="card">
                <div class="stats">
                    { card(tx.clv_customers, html! { format::int(r.customers as u64) }, "clv-customers") }
                    { card(tx.clv_repeat_buyers, html! { format::int(r.repeat_buyers as u64) }, "clv-repeat") }
                    { card(&format!("{} ({} {})", tx.clv_total_clv, r.horizon_months, tx.clv_months), r.total_clv.map_or_else(|| html! { "—" }, |t| crate::ui::components::money_html(t, code, lang)), "clv-total") }
                    if let Some(v) = v {
                        { card(tx.clv_holdout_total_error, html! { format!("{:+.1}%", v.total_error_percent) }, "clv-error-pct") }
                        { card(tx.clv_mae_per_customer, html! { format!("{:.3}", v.mae_per_customer) }, "clv-mae") }
                    }
                </div>
                <p class="rule">{ format!("{} {} · {} {} · {}: {}", tx.clv_calibration_end_2, r.calibration_end,
                    tx.clv_holdout_end, r.holdout_end.clone().unwrap_or_else(|| "—".into()), tx.clv_unit_2, unit) }</p>
                <p class="hint" data-testid="clv-timings" data-runs={ctx.state.clv.runs.to_string()} data-ms={ctx.state.clv.timings.iter().map(|ms| format!("{ms:.2}")).collect::<Vec<_>>().join(",")}>{
                    ["summary", "BG/NBD", "Pareto/NBD", "Gamma-Gamma", "predictions"].iter().zip(&ctx.state.clv.timings)
                        .map(|(name, ms)| format!("{name} {ms:.0} ms")).collect::<Vec<_>>().join(" · ")
                }</p>
            </section>
            <section class="card">
                <h2>{ tx.clv_models }</h2>
                <div class="table-wrap full" tabindex="0">
                    <table data-testid="clv-models">
                        <thead><tr><th>{ tx.clv_model }</th><th>{ tx.clv_parameters_standard_error }</th><th class="num">{ tx.clv_log_likelihood }</th><th>{ tx.clv_converged }</th></tr></thead>
                        <tbody>
                            { model_row("BG/NBD", bg, &["r", "α", "a", "b"], &[bg.params.r, bg.params.alpha, bg.params.a, bg.params.b], lang) }
                            if let Some(pn) = &r.pareto_nbd {
                                { model_row("Pareto/NBD", pn, &["r", "α", "s", "β"], &[pn.params.r, pn.params.alpha, pn.params.s, pn.params.beta], lang) }
                            }
                            if let Some(g) = &r.gamma_gamma {
                                { model_row("Gamma-Gamma", &g.fitted, &["p", "q", "γ"], &[g.fitted.params.p, g.fitted.params.q, g.fitted.params.v], lang) }
                            }
                        </tbody>
                    </table>
                </div>
                if let Some(e) = &r.pareto_nbd_error { <p class="attention-text">{ format!("Pareto/NBD: {e}") }</p> }
                if let Some(g) = r.gamma_gamma.as_ref().filter(|g| !g.left_out.is_empty()) {
                    <p class="hint" data-testid="clv-left-out">{ format!("{} {}: {}{}", g.left_out.len(),
                        tx.clv_left_out,
                        g.left_out.iter().take(10).cloned().collect::<Vec<_>>().join(", "), if g.left_out.len() > 10 { ", …" } else { "" }) }</p>
                }
                if let Some(e) = &r.gamma_gamma_error {
                    if e == crate::core::clv::NO_AMOUNTS {
                        <p class="attention-text" data-testid="clv-needs-amount">{ tx.clv_needs_amount }</p>
                    } else {
                        <p class="attention-text" data-testid="clv-spend-error">{ format!("Gamma-Gamma: {e}") }</p>
                    }
                }
                if let Some(c) = r.gamma_gamma.as_ref().and_then(|g| g.frequency_value_correlation) {
                    <p class={classes!(if c.abs() > 0.3 { "attention-text" } else { "hint" })} data-testid="clv-independence">
                        { format!("{} {c:.2} {}", tx.clv_correlation_of_purchase_frequency_an,
                            if c.abs() > 0.3 { tx.clv_high_gamma_gamma_assumes_they_are_in }
                            else { tx.clv_near_0_as_gamma_gamma_assumes }) }
                    </p>
                }
            </section>
            if v.is_some() {
                <div class="two-col">
                    <ChartCard title={tx.clv_holdout_by_calibration_frequency} file="clv-holdout-by-frequency" testid="export-clv-frequency" table={freq_table}>
                        { freq_chart.unwrap_or_default() }
                    </ChartCard>
                    <ChartCard title={tx.clv_cumulative_repeat_purchases_actual_v} file="clv-tracking" testid="export-clv-tracking" table={tracking_table}>
                        { tracking_chart.unwrap_or_default() }
                    </ChartCard>
                </div>
            }
            <div class="two-col">
                <ChartCard title={tx.clv_p_alive_by_frequency_and_recency} file="clv-p-alive-matrix" testid="export-clv-palive" table={fr_table(&r.matrix, &r.matrix.p_alive, &|v| format!("{:.1}%", v * 100.0))}>
                    { fr_heatmap(&r.matrix, &r.matrix.p_alive, "clv-palive-matrix", &|v| format!("{:.1}%", v * 100.0), lang) }
                </ChartCard>
                <ChartCard title={tx.clv_expected_purchases_next_month_by_fre} file="clv-expected-matrix" testid="export-clv-expected" table={fr_table(&r.matrix, &r.matrix.expected, &|v| format!("{v:.3}"))}>
                    { fr_heatmap(&r.matrix, &r.matrix.expected, "clv-expected-matrix", &|v| format!("{v:.3}"), lang) }
                </ChartCard>
            </div>
            if let Some(list) = ctx.state.clv.list.clone() {
                <ClvCustomers {list} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ClvCustomersProps {
    list: Rc<crate::ui::state::clv::ClvList>,
}

#[component]
fn ClvCustomers(props: &ClvCustomersProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let tx = lang.texts();
    let l = &props.list;
    let go = |sort: ClvSort, offset: usize| {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.clv_customers(sort, offset))
    };
    let on_sort = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let sort = match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "p_alive" => ClvSort::PAlive,
                "expected" => ClvSort::ExpectedPurchases,
                _ => ClvSort::Clv,
            };
            ctx.clv_customers(sort, 0);
        })
    };
    let export = {
        let ctx = ctx.clone();
        let file = ctx.state.ingest.report.as_ref().map(|r| r.file.clone()).unwrap_or_default();
        Callback::from(move |_: MouseEvent| ctx.export_clv(format!("{file}.clv")))
    };
    let end = (l.offset + l.rows.len()).min(l.total);
    let ids: std::rc::Rc<Vec<String>> = std::rc::Rc::new(l.rows.iter().map(|c| c.customer_id.clone()).collect());
    html! {
        <section class="card" data-testid="clv-list">
            <div class="card-head">
                <h2>{ tx.clv_customer_predictions }<span class="badge" data-testid="clv-list-total">{ format::int(l.total as u64) }</span></h2>
                <div class="controls">
                    <label>{ tx.clv_sort_by }
                        <select onchange={on_sort} data-testid="clv-sort">
                            <option value="clv" selected={l.sort == ClvSort::Clv}>{ "CLV" }</option>
                            <option value="p_alive" selected={l.sort == ClvSort::PAlive}>{ tx.clv_p_alive }</option>
                            <option value="expected" selected={l.sort == ClvSort::ExpectedPurchases}>{ tx.clv_expected_purchases }</option>
                        </select>
                    </label>
                    <span class="hint">{ format!("{}–{} / {}", l.offset + 1, end, format::int(l.total as u64)) }</span>
                    <button class="button" disabled={l.offset == 0} onclick={go(l.sort, l.offset.saturating_sub(PAGE_SIZE))}>{ ctx.state.lang.texts().prev }</button>
                    <button class="button" disabled={end >= l.total} onclick={go(l.sort, l.offset + PAGE_SIZE)}>{ ctx.state.lang.texts().next }</button>
                    <button class="button primary" onclick={export} data-testid="clv-export">{ tx.clv_export_csv }</button>
                </div>
            </div>
            <div class="table-wrap full" tabindex="0">
                <table data-testid="clv-table">
                    <thead><tr>
                        <th>{ tx.clv_customer }</th><th class="num">{ tx.clv_repeats }</th><th class="num">{ tx.clv_recency }</th><th class="num">{ "T" }</th>
                        <th class="num">{ tx.clv_mean_value }</th><th class="num">{ tx.clv_p_alive }</th><th class="num">{ tx.clv_expected_purchases_2 }</th>
                        <th class="num">{ tx.clv_expected_value }</th><th class="num">{ "CLV" }</th>
                    </tr></thead>
                    <tbody>
                        { for l.rows.iter().enumerate().map(|(k, c)| html! {
                            <tr key={c.customer_id.clone()}>
                                <td>{ crate::ui::components::profile::customer_button(&ctx, &ids, k) }</td>
                                <td class="num">{ c.frequency }</td>
                                <td class="num">{ format!("{:.1}", c.recency) }</td>
                                <td class="num">{ format!("{:.1}", c.t) }</td>
                                <td class="num">{ c.monetary_value.map_or_else(|| "—".into(), format::money) }</td>
                                <td class="num">{ format!("{:.1}%", c.p_alive * 100.0) }</td>
                                <td class="num">{ format!("{:.2}", c.expected_purchases) }</td>
                                <td class="num">{ c.expected_value.map_or("—".into(), format::money) }</td>
                                <td class="num">{ c.clv.map_or("—".into(), format::money) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
