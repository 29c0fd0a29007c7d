//! The printed report (issue 31): an A4 document with a cover, the headline KPIs with their
//! definitions, the pyramid, the segments, the lifecycle, NPS and CLV. Rendered only while the
//! user prints (so that the pages' own charts keep unique test ids), and shown only in print.
//! Every chart sits beside a table of the same numbers, so nothing is read from colour alone and
//! the report stays whole in greyscale.

use super::segment_bars::SegmentBars;
use super::tables::{self, pct};
use super::{nps_trend::NpsTrend, pyramid_chart::PyramidChart};
use crate::ui::context::AppContext;
use crate::ui::format;
use yew::prelude::*;

/// NPS with its 95% interval: `-26.2 (-32.2 – -20.3)`.
fn nps_with_interval(o: &crate::core::analysis::nps::Nps) -> String {
    format!("{} ({} – {})", format::one_decimal(o.nps), format::one_decimal(o.ci95[0]), format::one_decimal(o.ci95[1]))
}

/// A section of the report: its heading (the PDF's outline entry) and body.
fn section(id: &'static str, title: &str, body: Html) -> Html {
    html! {
        <section class="report-section" data-testid={format!("report-{id}")}>
            <h2>{ title.to_string() }</h2>
            { body }
        </section>
    }
}

#[component]
pub fn Report() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let state = &ctx.state;
    let lang = state.lang;
    let t = lang.texts();
    let zh = lang == crate::ui::i18n::Lang::Zh;
    let Some(s) = state.segments.summary.clone() else {
        return html! {};
    };
    let code = state.ingest.report.as_ref().and_then(|r| r.currency.as_deref());
    let exact = |v: f64| format::money_exact(v, code);
    let file = state.ingest.report.as_ref().map(|r| r.file.clone()).unwrap_or_default();
    let range =
        state.ingest.report.as_ref().and_then(|r| r.totals.date_range.as_ref()).map(|d| format!("{} – {}", d.first, d.last));
    // Today in the user's time zone.
    let now = js_sys::Date::new_0();
    let today = format!("{}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date());
    let nps = state.nps.summary.clone();
    let noop = Callback::from(|_: usize| ());

    // The headline KPIs, each with its definition.
    let mut kpis: Vec<(String, String, String)> =
        vec![(t.customers.into(), format::int(s.customers as u64), t.def_customers.into())];
    kpis.push(match s.revenue {
        Some(r) => (t.revenue.into(), exact(r), t.def_revenue.into()),
        None => (t.revenue.into(), t.needs_amount.into(), t.def_revenue.into()),
    });
    kpis.push((t.kpi_repurchase.into(), pct(s.kpis.repurchase_rate), t.def_repurchase.into()));
    if let Some(top) = s.top20_share {
        kpis.push((t.top20.into(), pct(top), t.def_top20.into()));
    }
    if let Some(g) = s.gini {
        kpis.push((t.gini.into(), format!("{g:.3}"), t.def_gini.into()));
    }
    if let Some((label, rate)) = s.kpi_trends.latest_period().and_then(|p| p.reactivation.rate().map(|r| (p.label.clone(), r))) {
        kpis.push((
            format!("{} ({label})", t.kpi_reactivation),
            pct(rate),
            t.def_reactivation.replace("{dormant}", &s.kpi_trends.dormant_days.to_string()),
        ));
    }
    if let Some(n) = &nps {
        let o = &n.overall;
        kpis.push(("NPS".into(), nps_with_interval(o), t.def_nps.into()));
    }

    let pyramid = &s.pyramid;
    let clv = state.clv.report.clone();
    html! {
        <div class="report" data-testid="report">
            <section class="report-cover" data-testid="report-cover">
                <p class="report-brand">{ "客户洞察 · loyalty-lens" }</p>
                <h1>{ t.overview_title }</h1>
                <dl>
                    <dt>{ t.report_file }</dt><dd>{ file }</dd>
                    if let Some(range) = range { <dt>{ t.date_range }</dt><dd>{ range }</dd> }
                    <dt>{ t.as_of }</dt><dd>{ s.as_of.clone() }</dd>
                    <dt>{ t.customers }</dt><dd>{ format::int(s.customers as u64) }</dd>
                    <dt>{ t.report_generated }</dt><dd>{ today }</dd>
                </dl>
                <p class="report-privacy">{ t.report_privacy }</p>
                <ol class="report-contents">
                    <li>{ t.report_kpis }</li><li>{ t.pyramid_title }</li><li>{ t.segments_title }</li>
                    <li>{ t.tab_lifecycle }</li><li>{ "NPS" }</li><li>{ "CLV" }</li>
                </ol>
            </section>
            { section("kpis", t.report_kpis, html! {
                <>
                <table class="report-table kpi-defs">
                    <thead><tr><th>{ t.report_measure }</th><th class="num">{ t.report_value }</th><th>{ t.report_definition }</th></tr></thead>
                    <tbody>
                        { for kpis.into_iter().map(|(name, value, def)| html! { <tr><td>{ name }</td><td class="num">{ value }</td><td class="def">{ def }</td></tr> }) }
                    </tbody>
                </table>
                if s.revenue.is_none() { <p class="rule">{ t.no_amounts_banner }</p> }
                </>
            }) }
            { section("pyramid", t.pyramid_title, html! {
                <>
                <div class="report-chart"><PyramidChart pyramid={pyramid.clone()} onselect={noop.clone()} /></div>
                { tables::tiers(t, lang, pyramid).html("report-table") }
                </>
            }) }
            { section("segments", t.segments_title, html! {
                <>
                <p class="rule">{ if zh { s.rules_zh.rfm.clone() } else { s.rule.clone() } }</p>
                <div class="report-chart"><SegmentBars groups={s.segments.clone()} onselect={noop.clone()} /></div>
                { tables::groups(t, lang, &s.segments).html("report-table") }
                </>
            }) }
            { section("lifecycle", t.tab_lifecycle, html! {
                <>
                <h3>{ t.stages_title }</h3>
                <p class="rule">{ if zh { s.rules_zh.stages.clone() } else { s.stage_rule.clone() } }</p>
                { tables::groups(t, lang, &s.stages).html("report-table") }
                <h3>{ t.states_title }</h3>
                { tables::groups(t, lang, &s.states.current).html("report-table") }
                </>
            }) }
            { section("nps", "NPS", match nps {
                Some(n) => {
                    let o = &n.overall;
                    let share = |k: usize| pct(k as f64 / o.responses.max(1) as f64);
                    html! {
                        <>
                        <table class="report-table">
                            <thead><tr><th>{ "NPS" }</th><th class="num">{ t.responses_label }</th><th class="num">{ t.promoters }</th><th class="num">{ t.passives }</th><th class="num">{ t.detractors }</th></tr></thead>
                            <tbody><tr>
                                <td>{ nps_with_interval(o) }</td>
                                <td class="num">{ format::int(o.responses as u64) }</td>
                                <td class="num">{ share(o.promoters) }</td><td class="num">{ share(o.passives) }</td><td class="num">{ share(o.detractors) }</td>
                            </tr></tbody>
                        </table>
                        if n.trend.len() > 1 {
                            <h3>{ t.trend_title }</h3>
                            <div class="report-chart"><NpsTrend summary={n.clone()} /></div>
                            { tables::nps_trend(t, &n).html("report-table") }
                        }
                        </>
                    }
                }
                None => html! { <p>{ t.report_no_survey }</p> },
            }) }
            { section("clv", "CLV", match &clv {
                Some(r) => html! {
                    <>
                    <table class="report-table kpi-defs">
                        <tbody>
                            <tr><td>{ t.clv_customers }</td><td class="num">{ format::int(r.customers as u64) }</td><td class="def">{ t.report_clv_calibration.replace("{date}", &r.calibration_end) }</td></tr>
                            <tr><td>{ t.clv_repeat_buyers }</td><td class="num">{ format::int(r.repeat_buyers as u64) }</td><td class="def">{ t.def_repeat_buyers }</td></tr>
                            <tr>
                                <td>{ format!("{} ({} {})", t.clv_total_clv, r.horizon_months, t.clv_months) }</td>
                                <td class="num">{ r.total_clv.map_or_else(|| t.needs_amount.to_string(), exact) }</td>
                                <td class="def">{ t.def_clv.replace("{discount}", &format!("{:.1}", r.discount_monthly * 100.0)) }</td>
                            </tr>
                            if let Some(v) = &r.validation {
                                <tr><td>{ t.clv_holdout_total_error }</td><td class="num">{ format!("{:+.1}%", v.total_error_percent) }</td><td class="def">{ t.def_holdout_error }</td></tr>
                            }
                            <tr>
                                <td>{ "BG/NBD" }</td>
                                <td class="num">{ format!("r {:.3} · α {:.3} · a {:.3} · b {:.3}", r.bgnbd.params.r, r.bgnbd.params.alpha, r.bgnbd.params.a, r.bgnbd.params.b) }</td>
                                <td class="def">{ t.def_bgnbd }</td>
                            </tr>
                        </tbody>
                    </table>
                    </>
                },
                None => html! { <p>{ state.clv.error.as_ref().map_or_else(|| t.report_clv_not_fitted.to_string(), |p| lang.problem(p)) }</p> },
            }) }
        </div>
    }
}
