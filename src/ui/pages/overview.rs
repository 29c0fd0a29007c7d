//! The overview: one dashboard after upload, and the page that prints as a report. The files read,
//! the headline KPIs (customers, revenue, repurchase rate, NPS with its interval, revenue share of
//! the top 20%, dormant reactivation), the loyalty pyramid, the segment bars, the NPS trend, and the
//! rules used.

use crate::core::analysis::nps::Interval;
use crate::core::analysis::pyramid::tiers_text;
use crate::core::report::segments::CustomerFilter;
use crate::ui::components::{
    chart_card::ChartCard, nps_trend::NpsTrend, pyramid_chart::PyramidChart, segment_bars::SegmentBars, summary::Summary, tables,
    upload::SurveyUpload,
};
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::Lang;
use crate::ui::state::Tab;
use yew::prelude::*;

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

#[component]
pub fn OverviewPage() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let zh = lang == Lang::Zh;
    let t = lang.texts();
    let state = &ctx.state;
    let seg = state.segments.summary.clone();
    let nps = state.nps.summary.clone();
    // A click opens the page the chart comes from, with the clicked group's customers.
    let open = |tab: Tab| {
        let ctx = ctx.clone();
        Callback::from(move |filter: CustomerFilter| {
            ctx.set_tab(tab);
            ctx.customers(filter, 0);
        })
    };
    let print = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.print_report())
    };
    let card = |label: &str, value: String, hint: Option<String>, id: &'static str| {
        html! {
            <div class="stat">
                <div class="stat-label">{ label.to_string() }</div>
                // "needs an amount column" is a reason, not a figure: set smaller.
                <div class={classes!("stat-value", (value == t.needs_amount).then_some("na"))} data-testid={id}>{ value }</div>
                if let Some(h) = hint { <div class="hint">{ h }</div> }
            </div>
        }
    };
    let code = state.ingest.report.as_ref().and_then(|r| r.currency.as_deref());
    let nps_card = nps.as_ref().map(|n| {
        let o = &n.overall;
        let label = if o.interval == Interval::Wald { t.ci_wald } else { t.ci_adjusted };
        let half = (o.ci95[1] - o.ci95[0]) / 2.0;
        (
            format!("{} ± {:.1}", format::one_decimal(o.nps), half),
            format!("{label}: {} – {}", format::one_decimal(o.ci95[0]), format::one_decimal(o.ci95[1])),
        )
    });
    html! {
        <>
            <div class="report-actions no-print">
                <button class="button" onclick={print} data-testid="print">{ t.print_report }</button>
            </div>
            <h1 class="print-only report-title">{ t.overview_title }</h1>
            if let Some(s) = &seg {
                { crate::ui::components::guide::guide("overview", t.g_overview_q, {
                    let lapsed = s.states.current.iter().find(|g| g.key == "Lapsed").map_or(0, |g| g.customers);
                    t.g_overview_a.replace("{repeat}", &pct(s.kpis.repurchase_rate)).replace("{lapsed}", &format::int(lapsed as u64))
                }) }
            }
            if let Some(report) = state.ingest.report.clone() {
                <Summary {report} />
            }
            if let Some(survey) = state.ingest.survey.clone() {
                <p class="muted" data-testid="overview-survey">{ t.survey_status(&survey.file, survey.totals.responses, nps.as_ref().and_then(|n| n.matched), nps.as_ref().map_or(0, |n| n.anonymous)) }</p>
            }
            // Nothing to show when no row could be read and there is no survey (the error below says why).
            if seg.is_some() || nps_card.is_some() {
            <section class="card" data-testid="kpis">
                <div class="stats">
                    if let Some(s) = &seg {
                        { card(t.customers, format::int(s.customers as u64), None, "ov-customers") }
                        // Compact on the card (1.71 亿 / 170.9 M), exact beneath it.
                        // A file without amounts says what the figure needs, in its place.
                        { match s.revenue {
                            Some(revenue) => card(t.revenue, format::money_compact(revenue, code, state.lang), (revenue.abs() >= 1e6).then(|| format::money_exact(revenue, code)), "ov-revenue"),
                            None => card(t.revenue, t.needs_amount.to_string(), None, "ov-revenue"),
                        } }
                        { card(t.kpi_repurchase, pct(s.kpis.repurchase_rate), None, "ov-repurchase") }
                    }
                    if let Some((value, hint)) = nps_card {
                        { card("NPS", value, Some(hint), "ov-nps") }
                    }
                    if let Some(s) = &seg {
                        { card(t.top20, s.top20_share.map_or_else(|| t.needs_amount.to_string(), pct), None, "ov-top20") }
                        // The last complete period's, with which period it is.
                        if let Some((label, rate)) = s.kpi_trends.latest_period().and_then(|p| p.reactivation.rate().map(|r| (p.label.clone(), r))) {
                            { card(t.kpi_reactivation, pct(rate), Some(label), "ov-reactivation") }
                        }
                    }
                </div>
                if let Some(s) = &seg {
                    <p class="rule">{ format!("{} {}", t.as_of, s.as_of) }</p>
                    if s.revenue.is_none() {
                        <p class="attention-text" data-testid="no-amounts">{ t.no_amounts_banner }</p>
                    }
                }
            </section>
            }
            if let Some(message) = state.segments.error.clone() {
                <section class="card error" data-testid="segment-error"><h2>{ t.seg_unavailable }</h2><p>{ state.lang.problem(&message) }</p></section>
            }
            if let Some(s) = seg.clone() {
                <div class="two-col">
                    <ChartCard title={t.pyramid_title} file="loyalty-pyramid" testid="ov-export-pyramid" table={tables::tiers(t, lang, &s.pyramid).html("chart-table")}>
                        <PyramidChart pyramid={s.pyramid.clone()} onselect={open(Tab::Pyramid).reform(CustomerFilter::Pyramid)} />
                    </ChartCard>
                    <ChartCard title={t.segments_title} file="rfm-segments" testid="ov-export-segments" table={tables::groups(t, lang, &s.segments).html("chart-table")}>
                        <SegmentBars groups={s.segments.clone()} onselect={open(Tab::Segments).reform(CustomerFilter::Segment)} />
                    </ChartCard>
                </div>
            }
            <div class="two-col">
                if let Some(n) = nps.clone() {
                    <ChartCard title={t.trend_title} file="nps-trend" testid="ov-export-trend" table={tables::nps_trend(t, &n).html("chart-table")}>
                        <NpsTrend summary={n} />
                    </ChartCard>
                } else {
                    <SurveyUpload />
                }
                if let Some(s) = seg {
                    <section class="card rules-used" data-testid="rules-used">
                        <h2>{ t.overview_rules }</h2>
                        <ul class="rule-list">
                            <li>{ format!("RFM: {}", if zh { s.rules_zh.rfm.clone() } else { s.rule.clone() }) }</li>
                            <li>{ format!("{}: {}", t.tiers_title, if zh { s.rules_zh.tiers.clone() } else { s.tier_rule.clone() }) }</li>
                            <li>{ format!("{}: {}", t.stages_title, if zh { s.rules_zh.stages.clone() } else { s.stage_rule.clone() }) }</li>
                            <li>{ format!("{}: {}", t.states_title, if zh { s.rules_zh.states.clone() } else { s.states.rule.clone() }) }</li>
                            <li>{ format!("{}: {}", t.pyramid_title, tiers_text(&state.segments.params.pyramid.tiers).replace('\n', " / ")) }</li>
                            <li>{ t.kpi_rules }</li>
                        </ul>
                    </section>
                }
            </div>
        </>
    }
}
