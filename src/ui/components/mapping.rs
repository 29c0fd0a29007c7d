//! The mapping screen: which column plays which role, editable.

use super::summary::RereadProps;
use crate::core::ingest::roles::Role;
use crate::core::ingest::{AmountFrom, ColumnRef, IngestOptions, MapOverride};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[component]
pub fn MappingPanel(props: &RereadProps) -> Html {
    let lang = props.lang;
    let t = lang.texts();
    let r = props.report.clone();
    let rows = Role::ALL.iter().map(|&role| {
        let current = r.mapping.get(&role).map(|m| m.column);
        let onchange = {
            let (onreparse, options_read, r) = (props.onreparse.clone(), props.options.clone(), r.clone());
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
                let mut options = (*options_read).clone();
                options.map = map;
                onreparse.emit(options);
            })
        };
        let samples = current.and_then(|c| r.columns.get(c - 1)).map(|c| c.samples.join(" · ")).unwrap_or_default();
        let why = r.mapping.get(&role).map(|m| lang.why(&m.reason)).unwrap_or_default();
        html! {
            <tr key={role.key()}>
                <th scope="row">{ lang.role(role) }<span class="muted role-key">{ role.key() }</span></th>
                <td>
                    <select {onchange} aria-label={lang.role(role)} data-testid={format!("map-{}", role.key())}>
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
    let on_amount_from = reparse_on_select(props, |options, value| options.amount_from = AmountFrom::from_key(&value));
    let on_currency = reparse_on_select(props, |options, value| options.currency = (!value.is_empty()).then_some(value));
    let chosen = props.options.currency.clone();
    html! {
        <section class="card">
            <h2>{ t.mapping_title }</h2>
            <p class="hint">{ t.mapping_hint }</p>
            <div class="table-wrap full" tabindex="0">
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
fn reparse_on_select(props: &RereadProps, set: fn(&mut IngestOptions, String)) -> Callback<Event> {
    let (onreparse, options_read) = (props.onreparse.clone(), props.options.clone());
    Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        let mut options = (*options_read).clone();
        set(&mut options, value);
        onreparse.emit(options);
    })
}
