//! Participation beyond purchases (issue 33, parts 2–3) on the Pyramid page: an engagement events
//! file (id, date, event type, points) chosen here, its rule editable (a weight per event type and
//! the half-life), what the file held, and the pyramid by engagement against the pyramid by
//! spend — who is engaged but not spending, who spends but is not engaged — each a list to open.

use crate::core::analysis::engagement::{parse_weights, weights_text, Engagement, EngagementParams};
use crate::core::analysis::pyramid::Participation;
use crate::core::report::segments::{CustomerFilter, SegmentationSummary};
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::Texts;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParticipationProps {
    pub summary: Rc<SegmentationSummary>,
}

#[component]
pub fn ParticipationSection(props: &ParticipationProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let onchange = {
        let ctx = ctx.clone();
        super::on_file_chosen(move |file| ctx.load_events(file))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.drop_events())
    };
    let answer = ctx.state.segments.events.clone();
    let body = match (&answer, &props.summary.engagement) {
        (None, _) => html! { <p class="hint">{ t.ev_hint }</p> },
        (Some(Err((file, problem))), _) => html! {
            <p class="error-text" role="alert" data-testid="events-error">{ format!("{file}: {}", ctx.state.lang.problem(problem)) }</p>
        },
        (Some(Ok(file)), Some(e)) => html! {
            <>
                { status(t, file, e) }
                <RuleForm engagement={e.clone()} />
                { types(t, e) }
                { match &props.summary.pyramid.participation {
                    Some(p) => versus(&ctx, t, p, &props.summary),
                    None => html! { <p class="attention-text" data-testid="versus-needs-amount">{ t.ev_versus_needs_amount }</p> },
                } }
            </>
        },
        // Read; the segmentation with it is on its way.
        (Some(Ok(_)), None) => html! {},
    };
    html! {
        <section class="card" data-testid="participation">
            <div class="card-head">
                <h2>{ t.ev_title }</h2>
                <div class="dropzone-actions">
                    { super::data_file_button(t.ev_choose, onchange, "events-input", false) }
                    if answer.is_some() {
                        <button class="button" onclick={remove} data-testid="events-remove">{ t.ev_remove }</button>
                    }
                </div>
            </div>
            { body }
        </section>
    }
}

/// What the file held: its events, those scored, and those left out and why.
fn status(t: &Texts, file: &str, e: &Engagement) -> Html {
    let n = |x: usize| format::int(x as u64);
    let line = t
        .ev_status
        .replace("{file}", file)
        .replace("{events}", &n(e.events))
        .replace("{matched}", &n(e.matched))
        .replace("{customers}", &n(e.customers));
    html! {
        <>
            <p data-testid="events-status">{ line }</p>
            if e.unknown_events > 0 {
                <p class="attention-text" data-testid="events-unknown">{ t
                    .ev_unknown
                    .replace("{events}", &n(e.unknown_events))
                    .replace("{ids}", &n(e.unknown_customers))
                    .replace("{examples}", &e.unknown_examples.join(", ")) }</p>
            }
            if e.after_as_of > 0 {
                <p class="hint" data-testid="events-after">{ t.ev_after.replace("{events}", &n(e.after_as_of)).replace("{as_of}", &e.as_of) }</p>
            }
            if e.bad_points > 0 {
                <p class="hint" data-testid="events-bad-points">{ t.ev_bad_points.replace("{cells}", &n(e.bad_points)) }</p>
            }
            <p class="rule" data-testid="events-formula">{ t.ev_formula.replace("{as_of}", &e.as_of).replace("{half_life}", &e.half_life_days.to_string()) }</p>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct RuleFormProps {
    engagement: Engagement,
}

/// The weights per type (every type of the file, with its weight now) and the half-life; applying
/// them segments again.
#[component]
fn RuleForm(props: &RuleFormProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let e = &props.engagement;
    let current = || weights_text(&e.types.iter().map(|x| (x.name.clone(), x.weight)).collect::<Vec<_>>());
    let weights = use_state(current);
    let half_life = use_state(|| e.half_life_days.to_string());
    let error = use_state(|| None::<String>);
    {
        let (weights, half_life, text, days) = (weights.clone(), half_life.clone(), current(), e.half_life_days);
        use_effect_with(e.clone(), move |_| {
            weights.set(text);
            half_life.set(days.to_string());
        });
    }
    let apply = {
        let (ctx, weights, half_life, error) = (ctx.clone(), weights.clone(), half_life.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let lang = ctx.state.lang;
            let days = half_life.trim().parse::<f64>().unwrap_or(f64::NAN);
            let rule = parse_weights(&weights).map(|weights| EngagementParams { weights, half_life_days: days });
            match rule.and_then(|r| r.check().map(|_| r)) {
                Ok(rule) => {
                    let mut params = ctx.state.segments.params.clone();
                    params.engagement = rule;
                    error.set(None);
                    ctx.segment(params);
                }
                Err(e) => {
                    error.set(Some(lang.problem(&crate::ui::state::Problem { code: e.code().into(), message: e.to_string() })))
                }
            }
        })
    };
    html! {
        <div class="controls pyramid-controls">
            <label class="segment-map">{ t.ev_weights }
                <textarea rows={e.types.len().clamp(3, 8).to_string()} value={(*weights).clone()} data-testid="events-weights"
                    oninput={{ let w = weights.clone(); move |ev: InputEvent| w.set(ev.target_unchecked_into::<HtmlTextAreaElement>().value()) }} />
            </label>
            <label>{ t.ev_half_life }
                <input type="number" min="1" step="1" value={(*half_life).clone()} data-testid="events-half-life"
                    oninput={{ let h = half_life.clone(); move |ev: InputEvent| h.set(ev.target_unchecked_into::<HtmlInputElement>().value()) }} />
            </label>
            <button class="button primary" onclick={apply} data-testid="events-apply">{ t.apply }</button>
            if let Some(message) = (*error).clone() {
                <p class="attention-text" role="alert" data-testid="events-rule-error">{ message }</p>
            }
        </div>
    }
}

/// The event types: weight, events and customers.
fn types(t: &Texts, e: &Engagement) -> Html {
    html! {
        <div class="table-wrap full" tabindex="0" role="region" aria-label={t.ev_type}>
            <table data-testid="events-types">
                <thead><tr><th>{ t.ev_type }</th><th class="num">{ t.ev_weight }</th><th class="num">{ t.ev_events }</th><th class="num">{ t.customers }</th></tr></thead>
                <tbody>
                    { for e.types.iter().map(|x| html! {
                        <tr key={x.name.clone()}>
                            <td>{ x.name.clone() }</td><td class="num">{ x.weight }</td>
                            <td class="num">{ format::int(x.events as u64) }</td><td class="num">{ format::int(x.customers as u64) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The pyramid by engagement against the pyramid by spend: the cross table and the three groups
/// a CRM team acts on, each opening its customers.
fn versus(ctx: &AppContext, t: &Texts, p: &Participation, s: &SegmentationSummary) -> Html {
    let names: Vec<String> = s.pyramid.tiers.iter().map(|x| ctx.state.lang.tier_label(&x.name)).collect();
    let bottom = names.len().saturating_sub(1);
    let open = |engagement: usize, spend: usize| {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.customers(CustomerFilter::Participation { engagement, spend }, 0))
    };
    let code = ctx.state.ingest.report.as_ref().and_then(|r| r.currency.as_deref());
    let group = |label: &str, cell: &crate::core::analysis::pyramid::Cell, e: usize, sp: usize, id: &'static str| {
        html! {
            <div class="stat">
                <div class="stat-label">{ label.to_string() }</div>
                <div class="stat-value"><button class="link" onclick={open(e, sp)} data-testid={id}>{ format::int(cell.customers as u64) }</button></div>
                <div class="hint">{ crate::ui::components::money_html(cell.revenue, code, ctx.state.lang) }{ format!(" {}", t.ev_spent) }</div>
            </div>
        }
    };
    html! {
        <>
            <h3>{ t.ev_versus_title }</h3>
            <p class="hint">{ t.ev_versus_hint }</p>
            <div class="stats">
                { group(t.ev_both_top, &p.both_top, 0, 0, "versus-both-top") }
                { group(t.ev_engaged_not_spending, &p.engaged_not_spending, 0, bottom, "versus-engaged") }
                { group(t.ev_spending_not_engaged, &p.spending_not_engaged, bottom, 0, "versus-spending") }
            </div>
            <div class="table-wrap full" tabindex="0" role="region" aria-label={t.ev_versus_title}>
                <table data-testid="versus-matrix">
                    <thead><tr>
                        <th>{ format!("{} ↓ · {} →", t.ev_by_engagement, t.ev_by_spend) }</th>
                        { for names.iter().map(|n| html! { <th class="num">{ n.clone() }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for p.cells.iter().enumerate().map(|(e, row)| html! {
                            <tr key={e}>
                                <th scope="row">{ names.get(e).cloned().unwrap_or_default() }</th>
                                { for row.iter().enumerate().map(|(sp, c)| html! {
                                    <td class="num"><button class="link" onclick={open(e, sp)} data-testid={format!("versus-{e}-{sp}")}>{ format::int(c.customers as u64) }</button></td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}
