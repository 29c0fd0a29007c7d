//! Predicted CLV by group on the CLV page: one dimension at a time (pyramid tier, RFM segment,
//! lifecycle stage, first-purchase channel, membership tier), each group's share of CLV beside its
//! share of customers, and the top tier's CLV multiple with its interval.

use crate::core::report::clv_groups::{ClvGroups, GroupClv, RESAMPLES};
use crate::ui::format;
use crate::ui::i18n::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClvGroupsProps {
    pub groups: Rc<ClvGroups>,
    pub lang: Lang,
}

#[component]
pub fn ClvGroupsSection(props: &ClvGroupsProps) -> Html {
    let t = props.lang.texts();
    let g = &props.groups;
    let dimension = use_state(|| 0usize);
    let dimensions: Vec<(&'static str, &Vec<GroupClv>)> = [
        (t.pyramid_title, &g.by_pyramid),
        (t.segment, &g.by_segment),
        (t.stages_title, &g.by_stage),
        (t.clv_first_channel, &g.by_channel),
        (t.tiers_title, &g.by_tier),
    ]
    .into_iter()
    .filter(|(_, groups)| !groups.is_empty())
    .collect();
    let k = (*dimension).min(dimensions.len().saturating_sub(1));
    let Some((_, shown)) = dimensions.get(k) else { return html! {} };
    let name = |x: &GroupClv| match (&x.zh, props.lang) {
        (Some(zh), Lang::Zh) => zh.clone(),
        _ => x.key.clone(),
    };
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    html! {
        <section class="card" data-testid="clv-groups">
            <div class="card-head">
                <h2>{ t.clv_groups_title }</h2>
                <div class="lang">
                    { for dimensions.iter().enumerate().map(|(i, (label, _))| {
                        let d = dimension.clone();
                        html! { <button class={classes!((i == k).then_some("active"))} aria-pressed={(i == k).to_string()} onclick={move |_| d.set(i)} data-testid={format!("clv-groups-{i}")}>{ *label }</button> }
                    }) }
                </div>
            </div>
            if let Some(m) = &g.multiple {
                <p class="stat-line" data-testid="clv-multiple">{
                    t.clv_multiple.replace("{top}", &m.top).replace("{base}", &m.base).replace("{value}", &format!("{:.1}", m.value))
                        .replace("{interval}", &m.ci95.map_or_else(|| "—".into(), |(lo, hi)| format!("{lo:.1}× … {hi:.1}×")))
                        .replace("{resamples}", &RESAMPLES.to_string())
                }</p>
            }
            <div class="table-wrap full" tabindex="0">
                <table data-testid="clv-groups-table">
                    <thead><tr><th></th><th class="num">{ t.customers }</th><th class="num">{ t.clv_groups_customer_share }</th>
                        <th class="num">{ "CLV" }</th><th class="num">{ t.clv_groups_clv_share }</th><th class="num">{ t.clv_groups_mean }</th></tr></thead>
                    <tbody>
                        { for shown.iter().map(|x| html! {
                            <tr key={x.key.clone()}>
                                <th scope="row">{ name(x) }</th>
                                <td class="num">{ format::int(x.customers as u64) }</td>
                                <td class="num">{ pct(x.customer_share) }</td>
                                <td class="num">{ format::money(x.clv) }</td>
                                <td class="num">{ pct(x.clv_share) }</td>
                                <td class="num">{ x.mean.map_or_else(|| "—".into(), format::money) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
