//! Where customers come from (issue 33, part 4) on the Lifecycle page: a member or lead list
//! (id, registration date, source) joined to the orders, as a funnel per source and per
//! registration period, any two sources compared, and the leads to activate exported.

use crate::core::analysis::funnel::{Funnel, Stage};
use crate::core::export::ExportFormat;
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::Texts;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

fn rate(s: &Stage, second: bool) -> String {
    let (share, ci) = if second { (s.second_order, s.second_order_ci95) } else { (s.first_order, s.first_order_ci95) };
    match (share.rate(), ci) {
        (Some(r), Some((lo, hi))) => {
            format!("{:.1}% ({:.1}–{:.1}) · {}/{}", r * 100.0, lo * 100.0, hi * 100.0, share.hits, share.of)
        }
        _ => "—".into(),
    }
}

/// The funnel's rows as a table (`key` names the first column).
fn table(t: &Texts, stages: &[Stage], key: &str, testid: &str, no_source: &str) -> Html {
    // Once the CLV models have run: what each lead is predicted to be worth.
    let predicted = stages.iter().any(|s| s.predicted_value_per_lead.is_some());
    html! {
        <div class="table-wrap full" tabindex="0" role="region" aria-label={key.to_string()}>
            <table data-testid={testid.to_string()}>
                <thead><tr>
                    <th>{ key }</th><th class="num">{ t.fn_leads }</th><th class="num">{ t.fn_first }</th><th class="num">{ t.fn_second }</th>
                    <th class="num">{ t.fn_days }</th><th class="num">{ t.fn_per_lead }</th>
                    if predicted { <th class="num">{ t.fn_predicted_per_lead }</th> }
                    <th class="num">{ t.fn_already }</th>
                </tr></thead>
                <tbody>
                    { for stages.iter().map(|s| html! {
                        <tr key={s.key.clone()}>
                            <td>{ if s.key.is_empty() { no_source.to_string() } else { s.key.clone() } }</td>
                            <td class="num">{ format::int(s.leads as u64) }</td>
                            <td class="num">{ rate(s, false) }</td>
                            <td class="num">{ rate(s, true) }</td>
                            <td class="num">{ s.median_days_to_first_order.map_or_else(|| "—".into(), |d| format!("{d:.1}")) }</td>
                            <td class="num">{ s.revenue_per_lead.map_or_else(|| "—".into(), format::money) }</td>
                            if predicted { <td class="num">{ s.predicted_value_per_lead.map_or_else(|| "—".into(), format::money) }</td> }
                            <td class="num">{ format::int(s.already_customers as u64) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn FunnelSection() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let format = use_state(ExportFormat::default);
    let onchange = {
        let ctx = ctx.clone();
        super::on_file_chosen(move |file| ctx.load_members(file))
    };
    let answer = ctx.state.segments.funnel.clone();
    {
        // A new funnel compares its two biggest sources until the user picks others.
        let ctx = ctx.clone();
        use_effect_with(answer.clone(), move |answer| {
            if let Some(a) = answer.as_deref().filter(|a| a.compare.is_none()) {
                let named: Vec<&String> =
                    a.funnel.iter().flat_map(|f| &f.by_source).map(|s| &s.key).filter(|k| !k.is_empty()).collect();
                if let [x, y, ..] = named.as_slice() {
                    ctx.funnel(Some(((*x).clone(), (*y).clone())));
                }
            }
        });
    }
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.drop_members())
    };
    let body = match answer.as_deref() {
        None => html! { <p class="hint">{ t.fn_choose }</p> },
        Some(a) => match (&a.funnel, &a.error) {
            (_, Some(problem)) => {
                html! { <p class="error-text" role="alert" data-testid="funnel-error">{ ctx.state.lang.problem(problem) }</p> }
            }
            (Some(f), None) => funnel_view(&ctx, t, &a.file, f, a.compare.as_ref(), *format, &format),
            (None, None) => html! {},
        },
    };
    html! {
        <section class="card" data-testid="funnel">
            <div class="card-head">
                <h2>{ t.fn_title }</h2>
                <div class="dropzone-actions">
                    { super::data_file_button(t.fn_choose, onchange, "members-input", false) }
                    if answer.is_some() {
                        <button class="button" onclick={remove} data-testid="members-remove">{ t.fn_remove }</button>
                    }
                </div>
            </div>
            { body }
        </section>
    }
}

fn funnel_view(
    ctx: &AppContext,
    t: &Texts,
    file: &str,
    f: &Funnel,
    compare: Option<&(String, String, Option<crate::core::analysis::trends::ProportionTest>)>,
    format: ExportFormat,
    format_state: &UseStateHandle<ExportFormat>,
) -> Html {
    let status = t
        .fn_status
        .replace("{file}", file)
        .replace("{members}", &format::int(f.members as u64))
        .replace("{later}", &format::int(f.registered_after_as_of as u64));
    let sources: Vec<String> = f.by_source.iter().map(|s| s.key.clone()).filter(|k| !k.is_empty()).collect();
    // The two sources compared: the last answer's, or the two with the most leads.
    let (a, b) = compare
        .map(|(a, b, _)| (a.clone(), b.clone()))
        .unwrap_or_else(|| (sources.first().cloned().unwrap_or_default(), sources.get(1).cloned().unwrap_or_default()));
    let pick = |first: bool| {
        let (ctx, a, b) = (ctx.clone(), a.clone(), b.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let (x, y) = if first { (v, b.clone()) } else { (a.clone(), v) };
            ctx.funnel(Some((x, y)));
        })
    };
    let select = |first: bool, chosen: &str, testid: &str| {
        html! {
            <select onchange={pick(first)} data-testid={testid.to_string()} aria-label={t.fn_source}>
                { for sources.iter().map(|s| html! { <option value={s.clone()} selected={s == chosen}>{ s.clone() }</option> }) }
            </select>
        }
    };
    // Everyone first, then each source.
    let total = Stage { key: t.fn_all.to_string(), ..f.total.clone() };
    let rows: Vec<Stage> = std::iter::once(total).chain(f.by_source.iter().cloned()).collect();
    let verdict = compare.map(|(_, _, test)| crate::ui::components::kpi_trend::verdict(t, test.as_ref()));
    let export = |once: bool| {
        let ctx = ctx.clone();
        let file_name = format!("{}.{}", ctx.file_name(), if once { "bought-once" } else { "never-bought" });
        Callback::from(move |_: MouseEvent| ctx.export_funnel_list(once, file_name.clone(), format))
    };
    html! { <>
        <p data-testid="funnel-status">{ status }</p>
        <p class="rule">{ t.fn_rule.replace("{as_of}", &f.as_of) }</p>
        { table(t, &rows, t.fn_source, "funnel-sources", t.fn_no_source) }
        if sources.len() >= 2 {
            <div class="pager">
                <span>{ t.fn_compare }</span>
                { select(true, &a, "funnel-compare-a") }
                <span>{ t.fn_against }</span>
                { select(false, &b, "funnel-compare-b") }
            </div>
            if let Some(v) = verdict { <p data-testid="funnel-verdict">{ format!("{b} − {a}: {v}") }</p> }
        }
        <h3>{ t.fn_by_cohort }</h3>
        { table(t, &f.by_cohort, t.fn_cohort, "funnel-cohorts", t.fn_no_source) }
        <div class="pager">
            { crate::ui::components::compare::format_select(format_state, "funnel-format") }
            <button class="button" onclick={export(false)} data-testid="funnel-export-never">{ format!("{} · {}", t.export, t.fn_never) }</button>
            <button class="button" onclick={export(true)} data-testid="funnel-export-once">{ format!("{} · {}", t.export, t.fn_once) }</button>
        </div>
    </> }
}
