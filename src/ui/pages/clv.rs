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
use crate::ui::components::chart_card::ChartCard;
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
            <td>{ if fitted.converged { lang.pick("是", "yes") } else { lang.pick("否", "no") } }<span class="muted">{ format!(" · {} it.", fitted.iterations) }</span></td>
        </tr>
    }
}

#[component]
pub fn ClvPage() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let p = |zh, en| lang.pick(zh, en);
    let range = ctx.state.ingest.report.as_ref().and_then(|r| r.totals.date_range.clone());
    let defaults = default_dates(range.as_ref().map(|d| (d.first.as_str(), d.last.as_str())));
    let calibration = use_state(|| defaults.0.clone());
    let holdout = use_state(|| defaults.1.clone());
    let unit = use_state(|| Unit::Week);
    let horizon = use_state(|| "12".to_string());
    let discount = use_state(|| "1".to_string());
    let form_error = use_state(|| None::<ClvFormError>);
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let run = {
        let (ctx, calibration, holdout, unit, horizon, discount, form_error) = (
            ctx.clone(),
            calibration.clone(),
            holdout.clone(),
            unit.clone(),
            horizon.clone(),
            discount.clone(),
            form_error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let form = ClvForm {
                calibration_end: (*calibration).clone(),
                holdout_end: (*holdout).clone(),
                unit: *unit,
                horizon_months: (*horizon).clone(),
                discount_percent: (*discount).clone(),
            };
            match form.to_params() {
                Ok(params) => {
                    form_error.set(None);
                    ctx.run_clv(params);
                }
                Err(e) => form_error.set(Some(e)),
            }
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
    let running = ctx.state.clv.step;
    let step_names = [p("汇总客户", "Summary"), "BG/NBD", "Pareto/NBD", "Gamma-Gamma", p("预测", "Predicting")];
    html! {
        <>
            <section class="card">
                <h2>{ p("客户终身价值 (CLV)", "Customer lifetime value (CLV)") }</h2>
                <p class="hint">{ p(
                    "用校准期的购买拟合 BG/NBD、Pareto/NBD 与 Gamma-Gamma 模型，预测每位客户是否仍活跃、未来购买次数与价值；设置观察期（holdout）可检验预测。",
                    "BG/NBD, Pareto/NBD and Gamma-Gamma are fitted to the purchases up to the calibration end; they predict whether each customer is still active, how often they will buy and what they are worth. A holdout period checks the predictions against what happened.") }</p>
                <div class="controls">
                    <label>{ p("校准期截止", "Calibration end") }<input type="date" value={(*calibration).clone()} onchange={text(&calibration)} data-testid="clv-calibration" /></label>
                    <label>{ p("观察期截止（可空）", "Holdout end (optional)") }<input type="date" value={(*holdout).clone()} onchange={text(&holdout)} data-testid="clv-holdout" /></label>
                    <label>{ p("时间单位", "Unit") }
                        <select onchange={on_unit} data-testid="clv-unit">
                            <option value="week" selected={*unit == Unit::Week}>{ p("周", "week") }</option>
                            <option value="day" selected={*unit == Unit::Day}>{ p("天", "day") }</option>
                        </select>
                    </label>
                    <label>{ p("预测期（月）", "Horizon (months)") }<input type="number" min="1" max="120" value={(*horizon).clone()} onchange={text(&horizon)} data-testid="clv-horizon" /></label>
                    <label>{ p("月贴现率 %", "Monthly discount %") }<input type="number" min="0" step="0.1" value={(*discount).clone()} onchange={text(&discount)} data-testid="clv-discount" /></label>
                    if running.is_some() {
                        <button class="button" onclick={cancel} data-testid="clv-cancel">{ p("取消", "Cancel") }</button>
                    } else {
                        <button class="button primary" onclick={run} data-testid="clv-run">{ p("拟合模型", "Fit the models") }</button>
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
        <svg class="chart fr-matrix" viewBox={format!("0 0 {w} {h}")} role="img" data-testid={testid}>
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
                { lang.pick("最近一次购买时间 t_x →（纵轴：重复购买次数）", "recency t_x → (rows: repeat purchases)") }
            </text>
        </svg>
    }
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
    let p = |zh, en| lang.pick(zh, en);
    let r = &props.report;
    let unit = if r.unit == Unit::Week { p("周", "weeks") } else { p("天", "days") };
    let card = |label: &str, value: String, id: &'static str| {
        html! { <div class="stat"><div class="stat-label">{ label.to_string() }</div><div class="stat-value" data-testid={id}>{ value }</div></div> }
    };
    let currency = ctx.state.ingest.report.as_ref().map(|r| format::currency_symbol(r.currency.as_deref())).unwrap_or_default();
    let bg = &r.bgnbd;
    let v = r.validation.as_ref();
    // Frequency groups: actual and expected holdout purchases per customer.
    let freq_chart = v.map(|v| {
        let max = v.by_frequency.iter().map(|g| g.actual.max(g.expected)).fold(0.0, f64::max).max(1e-9);
        let n = v.by_frequency.len().max(1) as f64;
        let slot = W / n;
        html! {
            <svg class="chart" viewBox={format!("0 -10 {W} {}", H + 40.0)} role="img" data-testid="clv-by-frequency">
                { for v.by_frequency.iter().enumerate().map(|(i, g)| {
                    let x = i as f64 * slot;
                    let ha = g.actual / max * H;
                    let he = g.expected / max * H;
                    let label = if i + 1 == v.by_frequency.len() && g.frequency >= 7 { format!("{}+", g.frequency) } else { g.frequency.to_string() };
                    html! {
                        <g key={i}>
                            <title>{ format!("x = {label}: {} · {} {:.2} · {} {:.2}", g.customers, p("实际", "actual"), g.actual, p("预测", "expected"), g.expected) }</title>
                            <rect class="actual" x={(x + slot * 0.15).to_string()} y={(H - ha).to_string()} width={(slot * 0.33).to_string()} height={ha.max(0.5).to_string()} />
                            <rect class="expected" x={(x + slot * 0.52).to_string()} y={(H - he).to_string()} width={(slot * 0.33).to_string()} height={he.max(0.5).to_string()} />
                            <text class="axis" x={(x + slot / 2.0).to_string()} y={(H + 16.0).to_string()} text-anchor="middle">{ label }</text>
                        </g>
                    }
                }) }
                <text class="axis" x="0" y={(H + 34.0).to_string()}>{ p("校准期重复购买次数 → 观察期人均购买（左：实际，右：预测）", "repeat purchases in calibration → holdout purchases per customer (left actual, right expected)") }</text>
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
            <svg class="chart" viewBox={format!("-10 -10 {} {}", W + 20.0, H + 40.0)} role="img" data-testid="clv-tracking">
                <path class="split" d={unit_path(&[(split, 0.0), (split, 1.0)], W, H)} />
                <path class="actual-line" d={unit_path(&actual, W, H)} />
                <path class="expected-line" d={unit_path(&expected, W, H)} />
                <text class="axis" x="0" y={(H + 18.0).to_string()}>{ p("第 1 周", "week 1") }</text>
                <text class="axis" x={W.to_string()} y={(H + 18.0).to_string()} text-anchor="end">{ format!("{} {last:.0}", p("第 … 周", "week")) }</text>
                <text class="axis" x={(split * W + 4.0).to_string()} y="4">{ p("观察期 →", "holdout →") }</text>
                <text class="axis" x="4" y="4">{ format!("{} {}", format::int(top as u64), p("次累计重复购买", "cumulative repeat purchases")) }</text>
            </svg>
        }
    });
    html! {
        <>
            <section class="card">
                <div class="stats">
                    { card(p("客户数", "Customers"), format::int(r.customers as u64), "clv-customers") }
                    { card(p("重复购买客户", "Repeat buyers"), format::int(r.repeat_buyers as u64), "clv-repeat") }
                    { card(&format!("{} ({} {})", p("总 CLV", "Total CLV"), r.horizon_months, p("个月", "months")), r.total_clv.map_or("—".into(), |t| format!("{currency}{}", format::money(t))), "clv-total") }
                    if let Some(v) = v {
                        { card(p("观察期总误差", "Holdout total error"), format!("{:+.1}%", v.total_error_percent), "clv-error-pct") }
                        { card(p("人均绝对误差", "MAE per customer"), format!("{:.3}", v.mae_per_customer), "clv-mae") }
                    }
                </div>
                <p class="rule">{ format!("{} {} · {} {} · {}: {}", p("校准期截止", "calibration end"), r.calibration_end,
                    p("观察期截止", "holdout end"), r.holdout_end.clone().unwrap_or_else(|| "—".into()), p("单位", "unit"), unit) }</p>
                <p class="hint" data-testid="clv-timings" data-ms={ctx.state.clv.timings.iter().map(|ms| format!("{ms:.2}")).collect::<Vec<_>>().join(",")}>{
                    ["summary", "BG/NBD", "Pareto/NBD", "Gamma-Gamma", "predictions"].iter().zip(&ctx.state.clv.timings)
                        .map(|(name, ms)| format!("{name} {ms:.0} ms")).collect::<Vec<_>>().join(" · ")
                }</p>
            </section>
            <section class="card">
                <h2>{ p("模型", "Models") }</h2>
                <div class="table-wrap full">
                    <table data-testid="clv-models">
                        <thead><tr><th>{ p("模型", "Model") }</th><th>{ p("参数（± 标准误）", "Parameters (± standard error)") }</th><th class="num">{ p("对数似然", "Log-likelihood") }</th><th>{ p("收敛", "Converged") }</th></tr></thead>
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
                        p("位重复购买客户的平均消费为零或负，未参与 Gamma-Gamma 拟合（其价值按总体均值估计）",
                          "repeat buyer(s) with zero or negative mean spend were left out of Gamma-Gamma (valued at the population mean)"),
                        g.left_out.iter().take(10).cloned().collect::<Vec<_>>().join(", "), if g.left_out.len() > 10 { ", …" } else { "" }) }</p>
                }
                if let Some(e) = &r.gamma_gamma_error { <p class="attention-text" data-testid="clv-spend-error">{ format!("Gamma-Gamma: {e}") }</p> }
                if let Some(c) = r.gamma_gamma.as_ref().and_then(|g| g.frequency_value_correlation) {
                    <p class={classes!(if c.abs() > 0.3 { "attention-text" } else { "hint" })} data-testid="clv-independence">
                        { format!("{} {c:.2} {}", p("购买频次与客单价的相关系数", "Correlation of purchase frequency and mean spend:"),
                            if c.abs() > 0.3 { p("——偏高，Gamma-Gamma 假设两者独立，价值预测需谨慎。", "— high: Gamma-Gamma assumes they are independent; treat value predictions with care.") }
                            else { p("——接近 0，符合 Gamma-Gamma 的独立性假设。", "— near 0, as Gamma-Gamma assumes.") }) }
                    </p>
                }
            </section>
            if v.is_some() {
                <div class="two-col">
                    <ChartCard title={p("观察期：按校准期频次对比", "Holdout by calibration frequency")} file="clv-holdout-by-frequency" testid="export-clv-frequency">
                        { freq_chart.unwrap_or_default() }
                    </ChartCard>
                    <ChartCard title={p("累计重复购买：实际 vs 预测", "Cumulative repeat purchases: actual vs expected")} file="clv-tracking" testid="export-clv-tracking">
                        { tracking_chart.unwrap_or_default() }
                    </ChartCard>
                </div>
            }
            <div class="two-col">
                <ChartCard title={p("活跃概率 P(alive)：频次 × 最近购买", "P(alive) by frequency and recency")} file="clv-p-alive-matrix" testid="export-clv-palive">
                    { fr_heatmap(&r.matrix, &r.matrix.p_alive, "clv-palive-matrix", &|v| format!("{:.1}%", v * 100.0), lang) }
                </ChartCard>
                <ChartCard title={p("下个月预测购买次数：频次 × 最近购买", "Expected purchases next month by frequency and recency")} file="clv-expected-matrix" testid="export-clv-expected">
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
    let p = |zh, en| lang.pick(zh, en);
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
    html! {
        <section class="card" data-testid="clv-list">
            <div class="card-head">
                <h2>{ p("客户预测", "Customer predictions") }<span class="badge" data-testid="clv-list-total">{ format::int(l.total as u64) }</span></h2>
                <div class="controls">
                    <label>{ p("排序", "Sort by") }
                        <select onchange={on_sort} data-testid="clv-sort">
                            <option value="clv" selected={l.sort == ClvSort::Clv}>{ "CLV" }</option>
                            <option value="p_alive" selected={l.sort == ClvSort::PAlive}>{ p("活跃概率", "P(alive)") }</option>
                            <option value="expected" selected={l.sort == ClvSort::ExpectedPurchases}>{ p("预测购买次数", "Expected purchases") }</option>
                        </select>
                    </label>
                    <span class="hint">{ format!("{}–{} / {}", l.offset + 1, end, format::int(l.total as u64)) }</span>
                    <button class="button" disabled={l.offset == 0} onclick={go(l.sort, l.offset.saturating_sub(PAGE_SIZE))}>{ ctx.state.lang.texts().prev }</button>
                    <button class="button" disabled={end >= l.total} onclick={go(l.sort, l.offset + PAGE_SIZE)}>{ ctx.state.lang.texts().next }</button>
                    <button class="button primary" onclick={export} data-testid="clv-export">{ p("导出 CSV", "Export CSV") }</button>
                </div>
            </div>
            <div class="table-wrap full">
                <table data-testid="clv-table">
                    <thead><tr>
                        <th>{ p("客户ID", "Customer") }</th><th class="num">{ p("重复购买", "Repeats") }</th><th class="num">{ p("最近购买", "Recency") }</th><th class="num">{ "T" }</th>
                        <th class="num">{ p("客单价", "Mean value") }</th><th class="num">{ p("活跃概率", "P(alive)") }</th><th class="num">{ p("预测购买", "Expected purchases") }</th>
                        <th class="num">{ p("预测客单价", "Expected value") }</th><th class="num">{ "CLV" }</th>
                    </tr></thead>
                    <tbody>
                        { for l.rows.iter().map(|c| html! {
                            <tr key={c.customer_id.clone()}>
                                <td>{ c.customer_id.clone() }</td>
                                <td class="num">{ c.frequency }</td>
                                <td class="num">{ format!("{:.1}", c.recency) }</td>
                                <td class="num">{ format!("{:.1}", c.t) }</td>
                                <td class="num">{ format::money(c.monetary_value) }</td>
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
