//! Lifecycle and KPIs: membership tiers, the four lifecycle stages, customer states with their
//! transition matrix and projection, per-period repurchase and reactivation, channels and categories.

use crate::core::analysis::lifecycle::Stage;
use crate::core::analysis::states::State;
use crate::core::report::segments::{CustomerFilter, SegmentationSummary};
use crate::ui::components::{
    cross_sell::CrossSellSection,
    customer_list::CustomerListPanel,
    flow::TransitionFlow,
    group_table::GroupTable,
    kpi_trend::{verdict, KpiTrend},
    matrix::MatrixHeatmap,
    more::{more, use_shown},
    rules::RulesPanel,
    segment_bars::SegmentBars,
};
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LifecyclePageProps {
    pub summary: Rc<SegmentationSummary>,
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A stage's name in the page's language: the four-stage model's, or the alternative names the
/// same literature uses (获取期, 成长期, 成熟期, 衰退期) when the user chose them.
fn stage_name(st: Stage, lang: Lang, alternative: bool) -> String {
    if !alternative {
        return lang.stage_name(st).to_string();
    }
    let (zh, en) = st.alternative();
    if lang == Lang::Zh { zh } else { en }.to_string()
}

#[component]
pub fn LifecyclePage(props: &LifecyclePageProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let s = props.summary.clone();
    let zh = lang == Lang::Zh;
    let k = &s.kpis;
    let decline = s.stages.iter().find(|g| g.key == Stage::Decline.en()).map_or(0, |g| g.customers);
    let last_only = use_state(|| false);
    let channels_shown = use_shown();
    let open = {
        let ctx = ctx.clone();
        Callback::from(move |filter: CustomerFilter| ctx.customers(filter, 0))
    };
    let state_names: Vec<String> = State::ALL.iter().map(|&st| lang.state_name(st).to_string()).collect();
    let (values, counts) = if *last_only {
        (s.states.last_probabilities.clone(), s.states.last_transitions.clone())
    } else {
        (s.states.probabilities.clone(), s.states.transitions.clone())
    };
    let card = |label: &str, value: String, hint: Option<String>, id: &'static str| {
        html! {
            <div class="stat">
                <div class="stat-label">{ label.to_string() }</div>
                // "needs an amount column" is a reason, not a figure: set smaller.
                <div class={classes!("stat-value", (value == t.needs_amount).then_some("na"))} data-testid={id}>{ value }</div>
                if let Some(hint) = hint { <div class="hint" data-testid={format!("{id}-change")}>{ hint }</div> }
            </div>
        }
    };
    // The last complete period against the one before, in words.
    let latest = s.kpi_trends.latest.as_ref();
    let change = |test: Option<&crate::core::analysis::trends::ProportionTest>| {
        latest.map(|l| {
            format!("{}: {}", t.latest_vs.replace("{label}", &l.label).replace("{previous}", &l.previous), verdict(t, test))
        })
    };
    let latest_reactivation = s.kpi_trends.latest_period().and_then(|p| p.reactivation.rate()).map_or_else(|| "—".into(), pct);
    let recent: Vec<_> = s.states.periods.iter().rev().take(12).rev().collect();
    let cohort_view = use_state(|| CohortView::Active);
    let chain_last = use_state(|| false);
    let alternative = use_state(|| false);
    // The stages' groups under the chosen names (the bars show `zh` on a Chinese page, else `key`).
    let stage_groups: Vec<crate::core::analysis::groups::GroupStat> = s
        .stages
        .iter()
        .zip(Stage::ALL)
        .map(|(g, st)| crate::core::analysis::groups::GroupStat {
            key: stage_name(st, Lang::En, *alternative),
            zh: Some(stage_name(st, Lang::Zh, *alternative)),
            ..g.clone()
        })
        .collect();
    let names_toggle = |value: bool, label: &'static str, id: &'static str| {
        let handle = alternative.clone();
        html! { <button class={classes!((*alternative == value).then_some("active"))} aria-pressed={(*alternative == value).to_string()} onclick={move |_| handle.set(value)} data-testid={id}>{ label }</button> }
    };
    html! {
        <>
            { crate::ui::components::guide::guide("lifecycle", t.g_lifecycle_q, t.g_lifecycle_a.replace("{n}", &format::int(decline as u64))) }
            <RulesPanel summary={s.clone()} params={ctx.state.segments.params.clone()} error={ctx.state.segments.error.clone()} lang={ctx.state.lang} onapply={ctx.on_segment()} onall={ctx.on_all_customers()} />
            <section class="card">
                <div class="stats">
                    { card(t.kpi_repurchase, pct(k.repurchase_rate), change(latest.and_then(|l| l.repeat_customers.as_ref())), "kpi-repurchase") }
                    { card(t.kpi_reactivation, latest_reactivation, change(latest.and_then(|l| l.reactivation.as_ref())), "kpi-reactivation") }
                    { card(t.kpi_cross, k.cross_category_rate.map_or("—".into(), pct), None, "kpi-cross") }
                    { card(t.kpi_top5, match (k.top5_multiple, s.revenue) {
                        (Some(m), _) => format!("{m:.1}×"),
                        (None, None) => t.needs_amount.to_string(),
                        (None, Some(_)) => "—".into(),
                    }, None, "kpi-top5") }
                </div>
                <p class="rule">{ t.kpi_rules.replace("{dormant}", &s.kpi_trends.dormant_days.to_string()) }</p>
            </section>
            if let Some(list) = ctx.state.segments.list.clone() {
                <CustomerListPanel {list} summary={ctx.state.segments.summary.clone()} file={ctx.file_name()} lang={ctx.state.lang} onpage={ctx.on_list_page()} onexport={ctx.on_list_export()} />
            }
            <div class="two-col">
                <section class="card">
                    <h2>{ t.tiers_title }</h2>
                    <p class="rule">{ if zh { s.rules_zh.tiers.clone() } else { s.tier_rule.clone() } }</p>
                    if let Some(tiers) = s.tiers.clone() {
                        <SegmentBars groups={tiers.clone()} onselect={open.reform(CustomerFilter::Tier)} />
                        <GroupTable groups={tiers} testid="tier-table" extra=true onselect={open.reform(CustomerFilter::Tier)} />
                    } else {
                        <p class="attention-text" data-testid="tiers-need-amount">{ t.tiers_need_amount }</p>
                    }
                </section>
                <section class="card" data-testid="stages">
                    <div class="card-head">
                        <h2>{ t.stages_title }</h2>
                        <div class="lang">
                            { names_toggle(false, t.stage_names_classic, "stage-names-classic") }
                            { names_toggle(true, t.stage_names_alternative, "stage-names-alternative") }
                        </div>
                    </div>
                    <p class="rule">{ if zh { s.rules_zh.stages.clone() } else { s.stage_rule.clone() } }</p>
                    <SegmentBars groups={stage_groups} onselect={open.reform(|i: usize| CustomerFilter::Stage(Stage::ALL[i.min(4)]))} />
                </section>
            </div>
            <section class="card">
                <h2>{ t.states_title }</h2>
                <p class="rule">{ if zh { s.rules_zh.states.clone() } else { s.states.rule.clone() } }</p>
                <GroupTable groups={s.states.current.clone()} testid="state-table" onselect={open.reform(|i: usize| CustomerFilter::State(State::ALL[i.min(5)]))} />
            </section>
            <div class="two-col">
                <section class="card">
                    <div class="card-head">
                        <h2>{ t.transitions_title }</h2>
                        <div class="lang">
                            <button class={classes!((!*last_only).then_some("active"))} onclick={{ let l = last_only.clone(); move |_| l.set(false) }}>{ t.whole_history }</button>
                            <button class={classes!((*last_only).then_some("active"))} onclick={{ let l = last_only.clone(); move |_| l.set(true) }} data-testid="last-transition">{ t.last_transition }</button>
                        </div>
                    </div>
                    <MatrixHeatmap rows={state_names.clone()} cols={state_names.clone()} values={values} counts={Some(counts.clone())} testid="transition-matrix"
                        onselect={(*last_only).then(|| open.reform(|(i, j): (usize, usize)| CustomerFilter::Moved { from: State::ALL[i.min(5)], to: State::ALL[j.min(5)] }))} />
                    <TransitionFlow labels={state_names.clone()} {counts} />
                </section>
                <section class="card">
                    <h2>{ t.projection_title }</h2>
                    <MatrixHeatmap
                        rows={(1..=s.states.projection.len()).map(|h| format!("+{h} {}", t.ahead)).collect::<Vec<_>>()}
                        cols={state_names.clone()} values={s.states.projection.clone()} testid="projection" />
                </section>
            </div>
            <section class="card" data-testid="trends">
                <h2>{ t.trends_title }</h2>
                <p class="rule">{ t.trends_rule.replace("{dormant}", &s.kpi_trends.dormant_days.to_string()) }</p>
                <KpiTrend trends={s.kpi_trends.clone()} {lang} />
            </section>
            { chain_section(&s, lang, *alternative, &chain_last, &open) }
            <CrossSellSection key={s.kpis.categories.join("\u{1f}")} categories={s.kpis.categories.clone()}
                generation={Rc::as_ptr(&s) as usize} result={ctx.state.segments.cross_sell.clone()} {lang}
                onask={ctx.on_cross_sell()} onopen={open.clone()} />
            <crate::ui::components::funnel::FunnelSection />
            { cohort_section(&s, lang, *cohort_view, &cohort_view, &open) }
            <section class="card">
                <h2>{ t.periods_title }</h2>
                <div class="table-wrap full" tabindex="0">
                    <table data-testid="periods">
                        <thead><tr><th>{ t.period }</th>{ for state_names.iter().map(|n| html! { <th class="num" key={n.clone()}>{ n.clone() }</th> }) }
                            <th class="num">{ t.kpi_returning_buyers }</th><th class="num">{ t.reactivation }</th></tr></thead>
                        <tbody>
                            { for recent.iter().map(|p| html! {
                                <tr key={p.label.clone()}>
                                    <td>{ p.label.clone() }</td>
                                    { for p.mix.iter().enumerate().map(|(j, n)| html! { <td class="num" key={j}>{ format::int(*n as u64) }</td> }) }
                                    <td class="num">{ pct(p.repurchase_rate) }</td><td class="num">{ pct(p.reactivation_rate) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </section>
            <div class="two-col">
                if !k.channels.is_empty() {
                    <section class="card">
                        <h2>{ t.channels_title }</h2>
                        <div class="table-wrap full" tabindex="0">
                            <table data-testid="channels">
                                <thead><tr><th>{ t.channel }</th><th class="num">{ t.customers }</th><th class="num">{ t.repeat_rate }</th><th class="num">{ t.revenue_per_customer }</th></tr></thead>
                                <tbody>
                                    { for k.channels.iter().take(*channels_shown).map(|c| html! {
                                        <tr key={c.channel.clone()}>
                                            <td>{ c.channel.clone() }</td><td class="num">{ format::int(c.customers as u64) }</td>
                                            <td class="num">{ pct(c.repeat_rate) }</td><td class="num">{ c.revenue_per_customer.map_or_else(|| t.needs_amount.to_string(), format::money) }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                        { more(lang, k.channels.len(), &channels_shown, "channels-more") }
                    </section>
                }
                if !k.categories.is_empty() {
                    <section class="card">
                        <h2>{ t.category_matrix_title }</h2>
                        if k.categories_total > k.categories.len() {
                            <p class="hint" data-testid="category-matrix-top">{ if zh {
                                format!("购买客户最多的 {} 个品类（共 {} 个；跨品类购买率计入全部品类）", k.categories.len(), format::int(k.categories_total as u64))
                            } else {
                                format!("The {} categories with the most buyers (of {}; the cross-category rate counts them all)", k.categories.len(), format::int(k.categories_total as u64))
                            } }</p>
                        }
                        <MatrixHeatmap rows={k.categories.clone()} cols={k.categories.clone()} values={k.category_matrix.clone()} testid="category-matrix" />
                    </section>
                }
            </div>
        </>
    }
}

/// What the cohort triangle shows.
#[derive(Clone, Copy, PartialEq)]
enum CohortView {
    Active,
    Revenue,
    Repeat,
}

/// The cohort triangle (cohorts without customers left out), one view at a time; a cell opens the
/// customers of its cohort who bought in its period.
fn cohort_section(
    s: &SegmentationSummary,
    lang: Lang,
    view: CohortView,
    set: &UseStateHandle<CohortView>,
    open: &Callback<CustomerFilter>,
) -> Html {
    let t = lang.texts();
    let c = &s.cohorts;
    let shown: Vec<_> = c.cohorts.iter().filter(|c| c.customers > 0).collect();
    if shown.is_empty() {
        return html! {};
    }
    let width = shown.iter().map(|c| c.active.len()).max().unwrap_or(0);
    let values: Vec<Vec<f64>> = shown
        .iter()
        .map(|c| {
            (0..c.active.len())
                .map(|k| match view {
                    CohortView::Active => c.retention(k),
                    CohortView::Revenue => c.revenue_retained(k),
                    CohortView::Repeat => c.repeat_share(k),
                })
                .map(|x| x.unwrap_or(0.0))
                .collect()
        })
        .collect();
    let counts: Vec<Vec<usize>> =
        shown.iter().map(|c| if view == CohortView::Repeat { c.repeat.clone() } else { c.active.clone() }).collect();
    let rows: Vec<String> = shown.iter().map(|c| format!("{} ({})", c.label, format::int(c.customers as u64))).collect();
    let cols: Vec<String> = (0..width).map(|k| format!("+{k}")).collect();
    let periods: Vec<i32> = shown.iter().map(|c| c.period).collect();
    let period_word = if c.period == crate::core::analysis::states::Period::Quarter { t.quarter_word } else { t.month_word };
    let button = |v: CohortView, label: &'static str, id: &'static str| {
        let set = set.clone();
        html! { <button class={classes!((view == v).then_some("active"))} aria-pressed={(view == v).to_string()} onclick={move |_| set.set(v)} data-testid={id}>{ label }</button> }
    };
    html! {
        <section class="card" data-testid="cohorts">
            <div class="card-head">
                <h2>{ t.cohorts_title }</h2>
                <div class="lang">
                    { button(CohortView::Active, t.cohort_retention, "cohort-active") }
                    // Revenue retained needs amounts: without them the view is not offered.
                    if c.cohorts.iter().all(|c| c.revenue.is_some()) {
                        { button(CohortView::Revenue, t.cohort_revenue, "cohort-revenue") }
                    }
                    { button(CohortView::Repeat, t.cohort_repeat, "cohort-repeat") }
                </div>
            </div>
            <p class="rule">{ t.cohorts_rule.replace("{period}", period_word) }</p>
            if view == CohortView::Repeat { { repeat_curves(&shown, t) } }
            <MatrixHeatmap {rows} {cols} {values} counts={Some(counts)} testid="cohort-matrix"
                onselect={Some(open.reform(move |(i, k): (usize, usize)| CustomerFilter::Cohort { period: periods[i], k: Some(k) }))} />
            if !c.last_complete {
                <p class="hint">{ t.cohort_partial }</p>
            }
            if c.left_out > 0 {
                <p class="hint">{ format!("{} {}", format::int(c.left_out as u64), t.cohort_left_out) }</p>
            }
        </section>
    }
}

/// The cumulative repurchase curves of the most recent cohorts (up to 8 with two periods or
/// more): the share who had ordered twice by each period since the first, on an axis up to the
/// highest share (rounded up to 10 points), older cohorts paler.
fn repeat_curves(shown: &[&crate::core::analysis::cohorts::Cohort], t: &crate::ui::i18n::Texts) -> Html {
    use crate::core::report::charts::{heat, unit_path};
    const W: f64 = 640.0;
    const H: f64 = 160.0;
    let mut recent: Vec<_> = shown.iter().rev().filter(|c| c.active.len() >= 2).take(8).collect();
    recent.reverse();
    let width = recent.iter().map(|c| c.active.len()).max().unwrap_or(0);
    if recent.is_empty() || width < 2 {
        return html! {};
    }
    let shares = |c: &crate::core::analysis::cohorts::Cohort| -> Vec<f64> {
        (0..c.active.len()).map(|k| c.repeat_share(k).unwrap_or(0.0)).collect()
    };
    let highest = recent.iter().flat_map(|c| shares(c)).fold(0.0_f64, f64::max);
    let top = ((highest * 10.0).ceil() / 10.0).max(0.1);
    let colour = |i: usize| heat(0.35 + 0.65 * i as f64 / (recent.len() - 1).max(1) as f64);
    html! {
        <>
            <svg class="chart" viewBox={format!("-36 -6 {} {}", W + 46.0, H + 30.0)} role="img" data-testid="cohort-curves">
                <title>{ t.cohort_repeat }</title>
                { for [0.0, 0.5, 1.0].iter().map(|v| html! {
                    <text class="axis" x="-6" y={((1.0 - v) * H + 4.0).to_string()} text-anchor="end">{ format!("{:.0}%", v * top * 100.0) }</text>
                }) }
                <path class="zero" d={unit_path(&[(0.0, 0.0), (1.0, 0.0)], W, H)} />
                { for recent.iter().enumerate().map(|(i, c)| {
                    let points: Vec<(f64, f64)> = shares(c).iter().enumerate().map(|(k, s)| (k as f64 / (width - 1) as f64, s / top)).collect();
                    html! { <path key={c.label.clone()} class="line" stroke={colour(i)} d={unit_path(&points, W, H)}><title>{ c.label.clone() }</title></path> }
                }) }
                <text class="axis" x="0" y={(H + 20.0).to_string()}>{ "+0" }</text>
                <text class="axis" x={W.to_string()} y={(H + 20.0).to_string()} text-anchor="end">{ format!("+{}", width - 1) }</text>
            </svg>
            // Colours as SVG attributes: the page's CSP allows no inline style.
            <ul class="legend swatches">
                { for recent.iter().enumerate().map(|(i, c)| html! {
                    <li key={c.label.clone()}><svg width="16" height="4" aria-hidden="true"><rect width="16" height="4" fill={colour(i)} /></svg>{ c.label.clone() }</li>
                }) }
            </ul>
        </>
    }
}

/// The stage chain: the transition matrix (whole history or the last move, whose cells open their
/// customers), its flow, the expected periods until 终止 and the projection.
fn chain_section(
    s: &SegmentationSummary,
    lang: Lang,
    alternative: bool,
    last: &UseStateHandle<bool>,
    open: &Callback<CustomerFilter>,
) -> Html {
    let t = lang.texts();
    let c = &s.stage_chain;
    if c.periods.len() < 2 {
        return html! {};
    }
    let names: Vec<String> = Stage::ALL.iter().map(|&st| stage_name(st, lang, alternative)).collect();
    let rows = |m: &[[f64; 5]; 5]| m.iter().map(|r| r.to_vec()).collect::<Vec<_>>();
    let counts = |m: &[[usize; 5]; 5]| m.iter().map(|r| r.to_vec()).collect::<Vec<_>>();
    let (values, moved) = if **last {
        (rows(&c.last_probabilities), counts(&c.last_transitions))
    } else {
        (rows(&c.probabilities), counts(&c.transitions))
    };
    let period_word = if c.period == crate::core::analysis::states::Period::Quarter { t.quarter_word } else { t.month_word };
    let toggle = |value: bool, label: &'static str, id: &'static str| {
        let handle = last.clone();
        html! { <button class={classes!((**last == value).then_some("active"))} aria-pressed={(**last == value).to_string()} onclick={move |_| handle.set(value)} data-testid={id}>{ label }</button> }
    };
    html! {
        <section class="card" data-testid="stage-chain">
            <div class="card-head">
                <h2>{ t.chain_title.replace("{period}", period_word) }</h2>
                <div class="lang">
                    { toggle(false, t.whole_history, "chain-whole") }
                    { toggle(true, t.last_transition, "chain-last") }
                </div>
            </div>
            <p class="rule">{ t.chain_rule.replace("{period}", period_word).replace("{churn}", &c.churn_days.to_string()) }</p>
            <div class="two-col">
                <div>
                    <MatrixHeatmap rows={names.clone()} cols={names.clone()} {values} counts={Some(moved.clone())} testid="chain-matrix"
                        onselect={(**last).then(|| open.reform(|(i, j): (usize, usize)| CustomerFilter::StageMoved { from: Stage::ALL[i.min(4)], to: Stage::ALL[j.min(4)] }))} />
                    <div class="table-wrap full" tabindex="0">
                    <table data-testid="chain-expected">
                        <thead><tr><th>{ t.chain_expected }</th>{ for names.iter().take(4).map(|n| html! { <th class="num">{ n.clone() }</th> }) }</tr></thead>
                        <tbody><tr><td></td>{ for c.expected_periods_to_end.iter().map(|e| html! {
                            <td class="num">{ e.map_or_else(|| t.chain_never.to_string(), |v| format!("{v:.1}")) }</td>
                        }) }</tr></tbody>
                    </table>
                    </div>
                </div>
                <div>
                    <TransitionFlow labels={names.clone()} counts={moved} />
                    <MatrixHeatmap
                        rows={(1..=c.projection.len()).map(|h| format!("+{h} {}", t.ahead)).collect::<Vec<_>>()}
                        cols={names.clone()} values={c.projection.iter().map(|r| r.to_vec()).collect::<Vec<_>>()} testid="chain-projection" />
                </div>
            </div>
        </section>
    }
}
