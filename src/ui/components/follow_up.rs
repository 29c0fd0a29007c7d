//! The complaints to follow up (投诉闭环) on the NPS page: detractors (and passives, when asked)
//! with their comment, every score they gave and their value, the most valuable first; the whole
//! list exported.

use crate::core::export::ExportFormat;
use crate::ui::components::profile::customer_button;
use crate::ui::context::AppContext;
use crate::ui::format;
use std::rc::Rc;
use yew::prelude::*;

#[component]
pub fn FollowUpSection() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let passives = use_state(|| false);
    let format = use_state(ExportFormat::default);
    {
        // Asked again under new rules or a new survey (a new segmentation), and when passives change.
        let generation = (ctx.state.segments.summary.as_ref().map_or(0, |s| Rc::as_ptr(s) as usize), *passives);
        let ctx = ctx.clone();
        use_effect_with(generation, move |(summary, passives)| {
            if *summary != 0 {
                ctx.follow_up(*passives);
            }
        });
    }
    let Some(list) = ctx.state.segments.follow_up.clone() else { return html! {} };
    let toggle = {
        let passives = passives.clone();
        Callback::from(move |_: Event| passives.set(!*passives))
    };
    let export = {
        let (ctx, passives, format) = (ctx.clone(), *passives, *format);
        let file_name = format!("{}.follow-up", ctx.file_name());
        Callback::from(move |_: MouseEvent| ctx.export_follow_up(passives, file_name.clone(), format))
    };
    let (_, rows, total) = &*list;
    let ids: Rc<Vec<String>> = Rc::new(rows.iter().map(|r| r.customer_id.clone()).collect());
    html! {
        <section class="card" data-testid="follow-up">
            <div class="card-head">
                <h2>{ t.fu_title }<span class="badge" data-testid="follow-up-total">{ format::int(*total as u64) }</span></h2>
                <div class="pager">
                    { crate::ui::components::compare::format_select(&format, "follow-up-format") }
                    <button class="button primary" onclick={export} data-testid="follow-up-export">{ t.export }</button>
                </div>
            </div>
            <p class="rule">{ t.fu_rule }</p>
            <label class="check">
                <input type="checkbox" checked={*passives} onchange={toggle} data-testid="follow-up-passives" />
                { t.fu_passives }
            </label>
            <div class="table-wrap full" tabindex="0">
                <table data-testid="follow-up-table">
                    <caption class="muted">{ format!("{} / {}", format::int(rows.len() as u64), format::int(*total as u64)) }</caption>
                    <thead><tr><th>{ "ID" }</th><th class="num">{ t.fu_score }</th><th>{ t.fu_answered }</th><th>{ t.fu_comment }</th>
                        <th>{ t.fu_history }</th><th>{ t.segment }</th><th>{ t.stages_title }</th><th class="num">{ t.monetary }</th><th class="num">{ "CLV" }</th></tr></thead>
                    <tbody>
                        { for rows.iter().enumerate().map(|(k, r)| html! {
                            <tr key={r.customer_id.clone()}>
                                <td>{ customer_button(&ctx, &ids, k) }</td><td class="num">{ r.score }</td><td>{ r.answered.clone() }</td>
                                <td>{ r.comment.clone() }</td><td class="muted">{ r.history.clone() }</td>
                                <td>{ lang.segment_label(&r.segment) }</td><td>{ lang.stage_label(&r.stage) }</td>
                                <td class="num">{ r.spend.map_or_else(|| "—".into(), format::money) }</td>
                                <td class="num">{ r.clv.map_or_else(|| "—".into(), format::money) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
