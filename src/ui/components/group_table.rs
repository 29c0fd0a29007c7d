//! A table of customer groups (customers, shares, mean R/F/M); click a row for its customers.

use super::more::{more, use_shown};
use super::segment_bars::group_label;
use crate::core::analysis::groups::GroupStat;
use crate::ui::context::AppContext;
use crate::ui::format;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GroupTableProps {
    pub groups: Vec<GroupStat>,
    pub onselect: Callback<usize>,
    pub testid: AttrValue,
    /// Also show repurchase rate and average order value.
    #[prop_or_default]
    pub extra: bool,
}

#[component]
pub fn GroupTable(props: &GroupTableProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let shown = use_shown();
    // A file without amounts has no figure of money: those columns are left out, and said so.
    let money = props.groups.iter().all(|g| g.revenue.is_some());
    html! {
        <>
        <div class="table-wrap full" tabindex="0">
            <table class="groups" data-testid={props.testid.clone()}>
                <thead>
                    <tr>
                        <th>{ t.group }</th><th class="num">{ t.customers }</th><th class="num">{ t.customer_share }</th>
                        if money { <th class="num">{ t.revenue_share }</th> }
                        <th class="num">{ t.mean_r }</th><th class="num">{ t.mean_f }</th>
                        if money { <th class="num">{ t.mean_m }</th> }
                        if props.extra { <th class="num">{ t.repeat_rate }</th> }
                        if props.extra && money { <th class="num">{ t.aov }</th> }
                    </tr>
                </thead>
                <tbody>
                    { for props.groups.iter().take(*shown).enumerate().map(|(i, g)| {
                        let onclick = props.onselect.reform(move |_: MouseEvent| i);
                        let onkeydown = super::on_activate(props.onselect.reform(move |()| i));
                        html! {
                            <tr key={g.key.clone()} class="clickable" {onclick} {onkeydown} tabindex="0">
                                <td>{ group_label(lang, g) }</td>
                                <td class="num">{ format::int(g.customers as u64) }</td>
                                <td class="num">{ format!("{:.1}%", g.customer_share * 100.0) }</td>
                                if let Some(share) = g.revenue_share { <td class="num">{ format!("{:.1}%", share * 100.0) }</td> }
                                <td class="num">{ format!("{:.0}", g.mean_recency_days) }</td>
                                <td class="num">{ format!("{:.2}", g.mean_frequency) }</td>
                                if let Some(m) = g.mean_monetary { <td class="num">{ format::money(m) }</td> }
                                if props.extra { <td class="num">{ format!("{:.1}%", g.repurchase_rate * 100.0) }</td> }
                                if let (true, Some(aov)) = (props.extra, g.average_order_value) {
                                    <td class="num">{ format::money(aov) }</td>
                                }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
        if !money && !props.groups.is_empty() { <p class="hint" data-testid="money-left-out">{ t.money_left_out }</p> }
        { more(lang, props.groups.len(), &shown, &format!("{}-more", props.testid)) }
        </>
    }
}
