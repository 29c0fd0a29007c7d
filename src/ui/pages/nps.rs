//! The NPS page: the score with its interval, the score distribution, the trend with interval bands
//! and a plain verdict on the last change, NPS by pyramid tier, channel, RFM segment, lifecycle stage
//! and membership tier, and the comments with their frequent terms.

use crate::core::analysis::nps::{Interval, Nps};
use crate::core::report::charts::bar_lengths;
use crate::core::report::nps_page::{GroupNps, NpsSummary};
use crate::ui::components::more::{more, use_shown};
use crate::ui::components::{chart_card::ChartCard, comments::CommentsPanel, nps_trend::NpsTrend, upload::SurveyUpload};
use crate::ui::context::AppContext;
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

fn table(lang: Lang, title: &str, groups: &[GroupNps], testid: &'static str, shown: &UseStateHandle<usize>) -> Html {
    let t = lang.texts();
    if groups.is_empty() {
        return html! {};
    }
    html! {
        <section class="card">
            <h2>{ title.to_string() }</h2>
            <div class="table-wrap full" tabindex="0">
                <table data-testid={testid}>
                    <thead><tr><th>{ t.group }</th><th class="num">{ t.responses_label }</th><th class="num">{ "NPS" }</th><th class="num">{ t.interval }</th></tr></thead>
                    <tbody>
                        { for groups.iter().take(**shown).map(|g| html! {
                            <tr key={g.key.clone()}>
                                // Pyramid tiers' default names are bilingual: the page's half.
                                <td>{ lang.tier_label(&if lang == Lang::Zh { g.zh.clone().unwrap_or_else(|| g.key.clone()) } else { g.key.clone() }) }</td>
                                <td class="num">{ format::int(g.nps.responses as u64) }</td>
                                <td class="num">{ format::one_decimal(g.nps.nps) }</td>
                                <td class="num">{ format!("{} – {}", format::one_decimal(g.nps.ci95[0]), format::one_decimal(g.nps.ci95[1])) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            { more(lang, groups.len(), shown, &format!("{testid}-more")) }
        </section>
    }
}

/// Behaviour × attitude: the grid (a cell opens its customers), the four named quadrants, and
/// whether promoters and detractors bought again after answering.
fn loyalty_matrix(
    t: &Texts,
    m: &crate::core::report::attitude::LoyaltyMatrix,
    open: &Callback<crate::core::report::segments::CustomerFilter>,
) -> Html {
    use crate::core::report::attitude::{Attitude, Behaviour};
    use crate::core::report::segments::CustomerFilter;
    use crate::ui::components::matrix::MatrixHeatmap;
    let rows: Vec<String> = [t.beh_loyal, t.beh_repeat, t.beh_new, t.beh_lapsed].iter().map(|s| s.to_string()).collect();
    let cols: Vec<String> = [t.promoters, t.passives, t.detractors].iter().map(|s| s.to_string()).collect();
    let values: Vec<Vec<f64>> =
        m.cells.iter().map(|r| r.iter().map(|c| c.customers as f64 / m.answered.max(1) as f64).collect()).collect();
    let counts: Vec<Vec<usize>> = m.cells.iter().map(|r| r.iter().map(|c| c.customers).collect()).collect();
    let quadrant = |label: &str, c: &crate::core::report::attitude::Cell, id: &'static str| {
        html! {
            <div class="stat">
                <div class="stat-label">{ label.to_string() }</div>
                <div class="stat-value" data-testid={id}>{ format::int(c.customers as u64) }</div>
                <div class="hint">{ c.revenue.map_or_else(|| t.needs_amount.to_string(), format::money) }</div>
            </div>
        }
    };
    let pct = |s: crate::core::analysis::trends::Share| s.rate().map_or_else(|| "—".into(), |r| format!("{:.1}%", r * 100.0));
    let after = format!(
        "{} {} ({}/{}) · {} {} ({}/{}): {}",
        t.promoters,
        pct(m.promoters_bought_after),
        m.promoters_bought_after.hits,
        m.promoters_bought_after.of,
        t.detractors,
        pct(m.detractors_bought_after),
        m.detractors_bought_after.hits,
        m.detractors_bought_after.of,
        crate::ui::components::kpi_trend::verdict(t, m.test.as_ref())
    );
    html! {
        <section class="card" data-testid="loyalty-matrix">
            <h2>{ t.lm_title }</h2>
            <p class="rule">{ t.lm_rule }</p>
            <div class="stats">
                { quadrant(t.lm_true, &m.true_loyalty, "lm-true") }
                { quadrant(t.lm_latent, &m.latent, "lm-latent") }
                { quadrant(t.lm_spurious, &m.spurious, "lm-spurious") }
                { quadrant(t.lm_none, &m.no_loyalty, "lm-none") }
            </div>
            <MatrixHeatmap {rows} {cols} {values} counts={Some(counts)} testid="lm-grid"
                onselect={Some(open.reform(|(b, a): (usize, usize)| CustomerFilter::Attitude { behaviour: Behaviour::ALL[b.min(3)], attitude: Attitude::ALL[a.min(2)] }))} />
            <p class="hint" data-testid="lm-after">{ format!("{}: {after}", t.lm_after) }</p>
        </section>
    }
}

#[component]
pub fn NpsPage(props: &NpsPageProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let s = &props.summary;
    // How many rows each breakdown shows (pyramid, channel, tier, segment, stage).
    let shown = [use_shown(), use_shown(), use_shown(), use_shown(), use_shown()];
    let o = &s.overall;
    let guide = t.g_nps_a.replace("{n}", &format::int(o.detractors as u64)).replace("{total}", &format::int(o.responses as u64));
    let share = |k: usize| if o.responses == 0 { 0.0 } else { k as f64 / o.responses as f64 * 100.0 };
    let dist: Vec<f64> = s.distribution.iter().map(|&c| c as f64).collect();
    let heights = bar_lengths(&dist, 150.0);
    let open = {
        let ctx = ctx.clone();
        Callback::from(move |filter| ctx.customers(filter, 0))
    };
    let toggle_latest = {
        let (ctx, latest) = (ctx.clone(), s.latest_only);
        Callback::from(move |_: Event| {
            let mut params = ctx.state.segments.params.clone();
            params.nps_latest = !latest;
            ctx.segment(params);
        })
    };
    html! {
        <>
            { crate::ui::components::guide::guide("nps", t.g_nps_q, guide) }
            <SurveyUpload />
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
                <label class="check">
                    <input type="checkbox" checked={s.latest_only} onchange={toggle_latest} data-testid="nps-latest" />
                    { t.nps_latest }
                </label>
                <p class="rule">{ t.nps_rule }</p>
            </section>
            <div class="two-col">
                <ChartCard title={t.distribution_title} file="nps-distribution" testid="export-distribution" table={crate::ui::components::tables::distribution(t, &s.distribution).html("chart-table")}>
                    <svg class="chart" viewBox="0 0 440 190" role="img" data-testid="nps-distribution"
                        aria-label={format!("{}: {}", t.distribution_title, s.distribution.iter().enumerate().map(|(k, n)| format!("{k}: {}", format::int(*n as u64))).collect::<Vec<_>>().join(" · "))}>
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
                </ChartCard>
                <ChartCard title={t.trend_title} file="nps-trend" testid="export-trend" table={crate::ui::components::tables::nps_trend(t, s).html("chart-table")}>
                    <NpsTrend summary={props.summary.clone()} />
                </ChartCard>
            </div>
            <div class="two-col">
                { table(lang, t.by_pyramid_title, &s.by_pyramid, "nps-by-pyramid", &shown[0]) }
                { table(lang, t.by_channel_title, &s.by_channel, "nps-by-channel", &shown[1]) }
                { table(lang, t.by_tier_title, &s.by_tier, "nps-by-tier", &shown[2]) }
                { table(lang, t.by_segment_title, &s.by_segment, "nps-by-segment", &shown[3]) }
                { table(lang, t.by_stage_title, &s.by_stage, "nps-by-stage", &shown[4]) }
            </div>
            if let Some(m) = ctx.state.segments.summary.as_ref().and_then(|s| s.loyalty_matrix.as_ref()) {
                { loyalty_matrix(t, m, &open) }
            }
            if let Some(list) = ctx.state.segments.list.clone() {
                <crate::ui::components::customer_list::CustomerListPanel {list} summary={ctx.state.segments.summary.clone()} file={ctx.file_name()} lang={ctx.state.lang} onpage={ctx.on_list_page()} onexport={ctx.on_list_export()} />
            }
            <CommentsPanel summary={props.summary.clone()} />
            <crate::ui::components::follow_up::FollowUpSection />
        </>
    }
}
