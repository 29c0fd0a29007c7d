//! The mapping screen: which column plays which role, editable.

use super::summary::ReportProps;
use crate::core::ingest::roles::Role;
use crate::core::ingest::{AmountFrom, ColumnRef, IngestOptions, MapOverride};
use crate::protocol::Slot;
use crate::ui::context::AppContext;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[component]
pub fn MappingPanel(props: &ReportProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let r = props.report.clone();
    let rows = Role::ALL.iter().map(|&role| {
        let current = r.mapping.get(&role).map(|m| m.column);
        let onchange = {
            let (ctx, r, slot) = (ctx.clone(), r.clone(), props.slot);
            Callback::from(move |e: Event| {
                let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                let chosen = value.parse::<usize>().ok();
                // Send the whole mapping as shown, with this role changed.
                let mut map: Vec<MapOverride> = Role::ALL
                    .iter()
                    .filter(|&&other| other != role)
                    .map(|&other| MapOverride {
                        role: other,
                        column: r.mapping.get(&other).map(|m| ColumnRef::Position(m.column)),
                    })
                    .collect();
                map.push(MapOverride { role, column: chosen.map(ColumnRef::Position) });
                let mut options = ctx.state.ingest.options_for(slot).clone();
                options.map = map;
                ctx.reparse(options, slot);
            })
        };
        let samples = current.and_then(|c| r.columns.get(c - 1)).map(|c| c.samples.join(" · ")).unwrap_or_default();
        let why = r.mapping.get(&role).map(|m| lang.why(&m.reason)).unwrap_or_default();
        html! {
            <tr key={role.key()}>
                <th scope="row">{ lang.role(role) }<span class="muted role-key">{ role.key() }</span></th>
                <td>
                    <select {onchange} data-testid={format!("map-{}", role.key())}>
                        <option value="" selected={current.is_none()}>{ t.not_mapped }</option>
                        { for r.columns.iter().map(|c| html! {
                            <option key={c.position} value={c.position.to_string()} selected={current == Some(c.position)}>
                                { format!("{}. {}", c.position, c.name) }
                            </option>
                        }) }
                    </select>
                </td>
                <td class="muted samples">{ samples }</td>
                <td class="muted why" data-testid={format!("why-{}", role.key())}>{ why }</td>
            </tr>
        }
    });
    // The user's choice stands where its columns are mapped; otherwise ingest falls back and the
    // select shows what was used.
    let on_amount_from = reparse_on_select(&ctx, props.slot, |options, value| options.amount_from = AmountFrom::from_key(&value));
    let on_currency =
        reparse_on_select(&ctx, props.slot, |options, value| options.currency = (!value.is_empty()).then_some(value));
    let chosen = ctx.state.ingest.options_for(props.slot).currency.clone();
    html! {
        <section class="card">
            <h2>{ t.mapping_title }</h2>
            <p class="hint">{ t.mapping_hint }</p>
            <div class="table-wrap full">
                <table class="mapping">
                    <thead><tr><th>{ t.role }</th><th>{ t.column }</th><th>{ t.samples }</th><th>{ lang.texts().mapping_why }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="amount-from">
                <label>
                    { lang.texts().mapping_how_the_amount_is_made }
                    <select onchange={on_amount_from} data-testid="amount-from">
                        { for AmountFrom::ALL.into_iter().map(|a| html! {
                            <option key={a.key()} value={a.key()} selected={r.amount_from == a}>{ lang.amount_from(a) }</option>
                        }) }
                    </select>
                </label>
                { " " }
                <label>
                    { lang.texts().mapping_currency }
                    <select onchange={on_currency} data-testid="currency">
                        <option value="" selected={chosen.is_none()}>
                            { format!("{} ({})", lang.texts().mapping_from_the_file, r.currency.as_deref().unwrap_or("—")) }
                        </option>
                        { for ["CNY", "USD", "EUR", "GBP", "HKD", "JPY"].into_iter().map(|c| html! {
                            <option key={c} value={c} selected={chosen.as_deref() == Some(c)}>{ c }</option>
                        }) }
                    </select>
                </label>
            </p>
        </section>
    }
}

/// A select's change: the file read again with its options as `set` changes them by the value chosen.
fn reparse_on_select(ctx: &AppContext, slot: Slot, set: fn(&mut IngestOptions, String)) -> Callback<Event> {
    let ctx = ctx.clone();
    Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        let mut options = ctx.state.ingest.options_for(slot).clone();
        set(&mut options, value);
        ctx.reparse(options, slot);
    })
}
