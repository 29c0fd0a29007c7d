//! One customer's story (issue 29, part 6), opened from any customer list: a modal dialog with
//! the customer's orders on a timeline, their state and stage by period, scores, tiers, CLV, the
//! playbook's action and their answers. The keyboard walks it: ← and → step to the previous and
//! next customer of the list it was opened from, Esc goes back to that list, and the "everyone
//! in …" buttons open the lists the customer belongs to.

use crate::core::analysis::lifecycle::Stage;
use crate::core::analysis::states::State;
use crate::core::report::attitude::Attitude;
use crate::core::report::profile::Profile;
use crate::core::report::segments::CustomerFilter;
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::{Lang, Texts};
use crate::ui::state::Tab;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A customer's id in a list, as a button that opens their story; `ids` are the list's ids in
/// its order (shared by its rows), `at` this customer's place.
pub fn customer_button(ctx: &AppContext, ids: &Rc<Vec<String>>, at: usize) -> Html {
    let id = ids.get(at).cloned().unwrap_or_default();
    let onclick = {
        let (ctx, ids) = (ctx.clone(), ids.clone());
        Callback::from(move |_: MouseEvent| ctx.open_profile(ids.clone(), at))
    };
    let label = ctx.state.lang.texts().pf_open.replace("{id}", &id);
    html! {
        <button type="button" class="link" {onclick} data-testid="open-profile" data-customer={id.clone()} aria-label={label}>{ id }</button>
    }
}

/// Moves focus back to the list's button of customer `id`, when it is on the page.
fn focus_list_button(id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(buttons) = doc.query_selector_all("[data-testid=open-profile]") else { return };
    for k in 0..buttons.length() {
        if let Some(el) = buttons.item(k).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            if el.get_attribute("data-customer").as_deref() == Some(id) {
                let _ = el.focus();
                return;
            }
        }
    }
}

#[component]
pub fn ProfileDialog() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let state = ctx.state.profile.clone();
    let dialog = use_node_ref();
    let open = state.is_open();
    {
        // Shown as a modal once it is in the page: the rest of the page is inert, focus stays in.
        let dialog = dialog.clone();
        use_effect_with(open, move |open| {
            if *open {
                if let Some(d) = dialog.cast::<web_sys::HtmlDialogElement>() {
                    if !d.open() {
                        let _ = d.show_modal();
                    }
                }
            }
        });
    }
    if !open {
        return html! {};
    }
    let lang = ctx.state.lang;
    let t = lang.texts();
    let (list, at) = (state.list.clone(), state.at);
    let step = {
        let (ctx, list) = (ctx.clone(), list.clone());
        move |to: usize| {
            let (ctx, list) = (ctx.clone(), list.clone());
            Callback::from(move |_: MouseEvent| ctx.open_profile(list.clone(), to))
        }
    };
    let close = {
        let (ctx, asked, dialog) = (ctx.clone(), state.asked().unwrap_or_default().to_string(), dialog.clone());
        Callback::from(move |()| {
            // Closed first: while the modal is open the page behind it is inert, and cannot take focus.
            if let Some(d) = dialog.cast::<web_sys::HtmlDialogElement>() {
                d.close();
            }
            focus_list_button(&asked);
            ctx.close_profile();
        })
    };
    let onkeydown = {
        let (ctx, list, close) = (ctx.clone(), list.clone(), close.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Arrows scroll a table or move in a field where they are pressed: only elsewhere do
            // they step through the list.
            let in_place = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| el.closest(".table-wrap, input, select, textarea").ok().flatten().is_some());
            match e.key().as_str() {
                "Escape" => {
                    // The dialog's own closing would leave the state open: close through the state.
                    e.prevent_default();
                    close.emit(());
                }
                "ArrowLeft" if !in_place && at > 0 => ctx.open_profile(list.clone(), at - 1),
                "ArrowRight" if !in_place && at + 1 < list.len() => ctx.open_profile(list.clone(), at + 1),
                _ => {}
            }
        })
    };
    let body = match (&state.shown, &state.error) {
        (_, Some(problem)) => {
            html! { <p class="error-text" role="alert" data-testid="profile-error">{ lang.problem(problem) }</p> }
        }
        (Some(p), None) => story(&ctx, p, lang, t, state.asked() != Some(p.customer.customer_id.as_str())),
        (None, None) => html! { <p class="muted">{ "…" }</p> },
    };
    let on_close_click = close.reform(|_: MouseEvent| ());
    html! {
        <dialog class="profile-dialog" ref={dialog} aria-labelledby="profile-title" {onkeydown} data-testid="profile">
            <div class="card-head">
                <h2 id="profile-title" tabindex="-1">{ format!("{} · {}", t.pf_title, state.asked().unwrap_or_default()) }</h2>
                <div class="pager">
                    <button class="button" disabled={at == 0} onclick={step(at.saturating_sub(1))} data-testid="profile-prev">{ t.prev }</button>
                    <span class="muted" data-testid="profile-place">{ format!("{} / {}", at + 1, list.len()) }</span>
                    <button class="button" disabled={at + 1 >= list.len()} onclick={step(at + 1)} data-testid="profile-next">{ t.next }</button>
                    <button class="button primary" onclick={on_close_click} data-testid="profile-close">{ t.pf_close }</button>
                </div>
            </div>
            <p class="hint">{ t.pf_keys }</p>
            { body }
        </dialog>
    }
}

/// The story itself; `stale` while the next customer's is on its way.
fn story(ctx: &AppContext, p: &Profile, lang: Lang, t: &Texts, stale: bool) -> Html {
    let c = &p.customer;
    let fact = |name: &str, value: String, key: &'static str| {
        html! { <div class="fact"><dt>{ name.to_string() }</dt><dd data-testid={format!("pf-{key}")}>{ value }</dd></div> }
    };
    let dash = || "—".to_string();
    // A file without amounts has no figure of money in the story: those columns are left out.
    let money = p.average_order_value.is_some();
    let stage = Stage::ALL.into_iter().find(|s| s.zh() == c.stage);
    let state = State::ALL.into_iter().find(|s| s.en() == c.state);
    let (clv_facts, clv_hint) = match &p.clv {
        Some(v) => (
            html! { <>
                { fact(t.pf_p_alive, format!("{:.0}%", v.p_alive * 100.0), "p-alive") }
                { fact(&t.pf_expected.replace("{months}", &v.horizon_months.to_string()), format!("{:.2}", v.expected_purchases), "expected") }
                { fact("CLV", v.clv.map_or_else(dash, format::money), "clv") }
            </> },
            html! {},
        ),
        None => (html! {}, html! { <p class="hint" data-testid="pf-no-clv">{ t.pf_no_clv }</p> }),
    };
    let action = p.action.as_ref().map_or_else(dash, |a| {
        if a.channel.is_empty() {
            a.action.clone()
        } else {
            format!("{} · {}", a.action, a.channel)
        }
    });
    // The lists the customer belongs to, each a button to open it.
    let summary = ctx.state.segments.summary.clone();
    let segment_index = summary.as_ref().and_then(|s| s.segments.iter().position(|g| g.key == c.segment));
    let open_list = |filter: CustomerFilter, tab: Tab| {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            ctx.close_profile();
            ctx.set_tab(tab);
            ctx.customers(filter.clone(), 0);
        })
    };
    let lists = html! {
        <div class="pager profile-lists">
            if let Some(k) = segment_index {
                <button class="button" onclick={open_list(CustomerFilter::Segment(k), Tab::Segments)} data-testid="pf-list-segment">
                    { t.pf_everyone_in.replace("{name}", &lang.segment_label(&c.segment)) }
                </button>
            }
            if let Some(s) = stage {
                <button class="button" onclick={open_list(CustomerFilter::Stage(s), Tab::Lifecycle)} data-testid="pf-list-stage">
                    { t.pf_everyone_in.replace("{name}", lang.stage_name(s)) }
                </button>
            }
            if let Some(s) = state {
                <button class="button" onclick={open_list(CustomerFilter::State(s), Tab::Lifecycle)} data-testid="pf-list-state">
                    { t.pf_everyone_in.replace("{name}", lang.state_name(s)) }
                </button>
            }
        </div>
    };
    html! {
        <div class={classes!("profile-body", stale.then_some("stale"))} data-testid="profile-body" data-customer={c.customer_id.clone()}>
            <dl class="profile-facts">
                { fact(t.segment, format!("{} · {}", lang.segment_label(&c.segment), lang.class_label(&c.cn_segment)), "segment") }
                { fact("R · F · M", format!("{} · {} · {}", c.r, c.f, c.m.map_or_else(dash, |m| m.to_string())), "rfm") }
                { fact(t.pf_stage, lang.stage_label(&c.stage), "stage") }
                { fact(t.pf_state, lang.state_label(&c.state), "state") }
                // Empty without amounts (tiers by spend, ABC by revenue): what they need instead.
                { fact(t.pf_tier, if c.tier.is_empty() { t.needs_amount.to_string() } else { c.tier.clone() }, "tier") }
                { fact(t.pf_pyramid, p.pyramid.as_deref().map_or_else(dash, |n| lang.tier_label(n)), "pyramid") }
                { fact(t.abc_class, if c.abc.is_empty() { t.needs_amount.to_string() } else { c.abc.clone() }, "abc") }
                { fact(t.pf_first_order, p.first_order.clone(), "first") }
                { fact(t.pf_last_purchase, format!("{} ({} {})", p.last_order, c.recency_days, t.pf_days_ago), "last") }
                { fact(t.pf_orders, c.frequency.to_string(), "orders") }
                { fact(t.pf_spend, c.monetary.map_or_else(|| t.needs_amount.to_string(), format::money), "spend") }
                { fact(t.pf_aov, p.average_order_value.map_or_else(|| t.needs_amount.to_string(), format::money), "aov") }
                { fact(t.pf_spend_12m, p.spend_12_months.map_or_else(|| t.needs_amount.to_string(), format::money), "spend-12m") }
                { fact(t.pf_first_channel, p.first_channel.clone().unwrap_or_else(dash), "first-channel") }
                if let Some(e) = &p.engagement {
                    { fact(t.engagement_score, format!("{:.2}", e.score), "engagement") }
                    { fact(t.pf_events, if e.by_type.is_empty() { dash() } else {
                        e.by_type.iter().map(|(name, n)| format!("{name} ×{n}")).collect::<Vec<_>>().join(" · ")
                    }, "events") }
                    { fact(t.pf_last_event, e.last_event.clone().unwrap_or_else(dash), "last-event") }
                }
                { fact(t.pf_categories, if p.categories.is_empty() { dash() } else { p.categories.join("、") }, "categories") }
                { clv_facts }
                { fact(t.pf_action, action, "action") }
            </dl>
            { clv_hint }
            { lists }
            <h3>{ t.pf_timeline }</h3>
            { timeline_chart(p, t) }
            <div class="table-wrap" tabindex="0" role="region" aria-label={t.pf_timeline}>
                <table data-testid="pf-orders">
                    <thead><tr><th>{ t.pf_date }</th>if money { <th class="num">{ t.pf_amount }</th> }<th>{ t.pf_categories }</th><th>{ t.pf_channels }</th><th class="num">{ t.pf_rows }</th></tr></thead>
                    <tbody>
                        { for p.timeline.iter().map(|e| html! {
                            <tr class={classes!(e.returned.then_some("returned"))}>
                                <td>{ e.date.clone() }{ if e.returned { format!(" ({})", t.pf_return) } else { String::new() } }</td>
                                if let Some(amount) = e.amount { <td class="num">{ format::money(amount) }</td> }
                                <td>{ e.categories.join("、") }</td><td>{ e.channels.join("、") }</td><td class="num">{ e.rows }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if p.rows_after_as_of > 0 {
                <p class="hint">{ t.pf_after_as_of.replace("{n}", &p.rows_after_as_of.to_string()).replace("{as_of}", &p.as_of) }</p>
            }
            <h3>{ t.pf_periods }</h3>
            <div class="table-wrap" tabindex="0" role="region" aria-label={t.pf_periods}>
                <table data-testid="pf-periods">
                    <thead><tr><th>{ t.pf_period }</th><th class="num">{ t.pf_orders }</th>if money { <th class="num">{ t.pf_amount }</th> }<th>{ t.pf_state_short }</th><th>{ t.pf_stage }</th></tr></thead>
                    <tbody>
                        { for p.periods.iter().rev().map(|s| html! {
                            <tr>
                                <td>{ s.period.clone() }</td><td class="num">{ s.orders }</td>if let Some(spend) = s.spend { <td class="num">{ format::money(spend) }</td> }
                                <td class={format!("state-{:?}", s.state).to_lowercase()}>{ lang.state_name(s.state) }</td>
                                <td>{ s.stage.map_or("—", |x| lang.stage_name(x)) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h3>{ t.pf_answers }</h3>
            if p.answers.is_empty() {
                <p class="muted" data-testid="pf-no-answers">{ t.pf_no_answers }</p>
            } else {
                <ul class="profile-answers" data-testid="pf-answers">
                    { for p.answers.iter().map(|a| html! {
                        <li>
                            <strong>{ a.score }</strong>{ format!(" · {} · {}", a.date.clone().unwrap_or_else(dash), match a.category {
                                Attitude::Promoter => t.promoters, Attitude::Passive => t.passives, Attitude::Detractor => t.detractors,
                            }) }
                            if let Some(comment) = &a.comment { <span class="comment">{ format!(" — {comment}") }</span> }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// The orders (above the line) and returns (below it) by date, from the first order to the as-of
/// date; a bar's height is its amount.
fn timeline_chart(p: &Profile, t: &Texts) -> Html {
    const W: f64 = 720.0;
    const H: f64 = 150.0;
    // The baseline: orders above it, returns (usually smaller) below.
    const BASE: f64 = 110.0;
    let span = p.timeline.iter().map(|e| e.days_before_as_of).max().unwrap_or(0).max(1) as f64;
    // Without amounts every order is drawn at one height: when, not how much.
    let top = p.timeline.iter().map(|e| e.amount.map_or(1.0, f64::abs)).fold(0.0, f64::max);
    let x = |days: i32| 30.0 + (W - 60.0) * (1.0 - days as f64 / span);
    let height = |amount: f64| if top > 0.0 { (amount.abs() / top * (BASE - 10.0)).max(2.0) } else { 2.0 };
    let orders = p.timeline.iter().filter(|e| !e.returned).count();
    let returns = p.timeline.len() - orders;
    let desc = t
        .pf_timeline_desc
        .replace("{orders}", &orders.to_string())
        .replace("{returns}", &returns.to_string())
        .replace("{first}", &p.first_order)
        .replace("{as_of}", &p.as_of);
    html! {
        <svg class="chart profile-timeline" viewBox={format!("0 0 {W} {H}")} role="img" aria-labelledby="pf-chart-title pf-chart-desc" data-testid="pf-timeline">
            <title id="pf-chart-title">{ t.pf_timeline }</title>
            <desc id="pf-chart-desc">{ desc }</desc>
            <line x1="30" x2={(W - 30.0).to_string()} y1={BASE.to_string()} y2={BASE.to_string()} class="pt-axis" />
            { for p.timeline.iter().map(|e| {
                let h = height(e.amount.unwrap_or(top)).min(if e.returned { H - BASE - 16.0 } else { BASE - 4.0 });
                let y = if e.returned { BASE } else { BASE - h };
                html! {
                    <rect x={format!("{:.1}", x(e.days_before_as_of) - 3.0)} y={format!("{y:.1}")} width="6" height={format!("{h:.1}")}
                        class={if e.returned { "pt-bar returned" } else { "pt-bar" }}>
                        <title>{ match e.amount { Some(a) => format!("{} · {}", e.date, format::money(a)), None => e.date.clone() } }</title>
                    </rect>
                }
            }) }
            <text x="30" y={(H - 2.0).to_string()} class="pt-tick">{ p.first_order.clone() }</text>
            <text x={(W - 30.0).to_string()} y={(H - 2.0).to_string()} class="pt-tick" text-anchor="end">{ p.as_of.clone() }</text>
        </svg>
    }
}
