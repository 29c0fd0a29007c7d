//! Survey comments by category (promoters, passives, detractors) with each category's frequent
//! terms; filter by category and by text (click a term to filter by it).

use crate::core::analysis::comments::category;
use crate::core::report::nps_page::NpsSummary;
use crate::ui::context::AppContext;
use crate::ui::format;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CommentsPanelProps {
    pub summary: Rc<NpsSummary>,
}

/// Rows listed at once; the filter narrows them.
const LISTED: usize = 100;
const CLASSES: [&str; 3] = ["promoter", "passive", "detractor"];

#[component]
pub fn CommentsPanel(props: &CommentsPanelProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let c = &props.summary.comments;
    let picked = use_state(|| None::<usize>);
    let query = use_state(String::new);
    let names = [t.promoters, t.passives, t.detractors];
    let q = query.trim().to_lowercase();
    let matching: Vec<_> = c
        .shown
        .iter()
        .filter(|x| picked.is_none_or(|k| category(x.score) == k))
        .filter(|x| q.is_empty() || x.text.to_lowercase().contains(&q))
        .collect();
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let pick = |k: Option<usize>| {
        let picked = picked.clone();
        Callback::from(move |_: MouseEvent| picked.set(k))
    };
    let search = |term: String| {
        let query = query.clone();
        Callback::from(move |_: MouseEvent| query.set(term.clone()))
    };
    html! {
        <section class="card" data-testid="comments">
            <div class="card-head">
                <h2>{ t.comments_title }<span class="badge">{ format::int(c.total as u64) }</span></h2>
            </div>
            if c.total == 0 {
                <p class="hint">{ t.no_comments }</p>
            } else {
                <div class="three-col">
                    { for (0..3).map(|k| html! {
                        <div key={k} class={classes!("terms", CLASSES[k])} data-testid={format!("terms-{k}")}>
                            <h3>{ format!("{} · {}", names[k], format::int(c.by_category[k] as u64)) }</h3>
                            <p class="hint">{ t.comments_terms }</p>
                            <div class="chips">
                                { for c.terms[k].iter().map(|term| html! {
                                    <button key={term.term.clone()} class="chip" onclick={search(term.term.clone())} title={format!("{} × {}", term.term, term.comments)}>
                                        { term.term.clone() }<span class="chip-count">{ term.comments }</span>
                                    </button>
                                }) }
                            </div>
                        </div>
                    }) }
                </div>
                <div class="controls">
                    <div class="lang" role="group">
                        <button class={classes!(picked.is_none().then_some("active"))} onclick={pick(None)}>{ t.comments_all }</button>
                        { for (0..3).map(|k| html! {
                            <button key={k} class={classes!((*picked == Some(k)).then_some("active"))} onclick={pick(Some(k))} data-testid={format!("comments-cat-{k}")}>{ names[k] }</button>
                        }) }
                    </div>
                    <input type="search" placeholder={t.comments_filter} value={(*query).clone()} {oninput} data-testid="comments-filter" />
                    <span class="hint" data-testid="comments-count">{ format!("{} / {}", format::int(matching.len() as u64), format::int(c.total as u64)) }</span>
                </div>
                <div class="table-wrap full comments-list" tabindex="0">
                    <table data-testid="comments-table">
                        <tbody>
                            { for matching.iter().take(LISTED).enumerate().map(|(i, x)| html! {
                                <tr key={i}>
                                    <td class={classes!("num", "score", CLASSES[category(x.score)])}>{ x.score }</td>
                                    <td>{ x.text.clone() }</td>
                                    <td class="muted">{ x.customer.clone().unwrap_or_default() }</td>
                                    <td class="muted">{ x.date.clone().unwrap_or_default() }</td>
                                    <td class="muted">{ x.channel.clone().unwrap_or_default() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
