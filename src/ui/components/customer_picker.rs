//! Asks which column is the customer id when a file has none that can be taken for one (an order
//! report without a buyer column): the file is read again with the column chosen, never with a
//! guess.

use crate::core::ingest::roles::Role;
use crate::core::ingest::{ColumnRef, IngestOptions, MapOverride};
use crate::protocol::Slot;
use crate::ui::context::AppContext;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CustomerPickerProps {
    /// The file's columns, in order.
    pub columns: Rc<Vec<String>>,
}

#[component]
pub fn CustomerPicker(props: &CustomerPickerProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let onchange = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(position) = value.parse::<usize>() {
                let map = vec![MapOverride { role: Role::CustomerId, column: Some(ColumnRef::Position(position)) }];
                ctx.reparse(IngestOptions { map, ..IngestOptions::default() }, Slot::Transactions);
            }
        })
    };
    html! {
        <div class="pick-customer">
            <p class="hint">{ lang.texts().picker_hint }</p>
            <label>
                { lang.texts().picker_the_customer_id_is_in }
                <select {onchange} data-testid="pick-customer">
                    <option value="" selected=true>{ lang.texts().picker_choose_a_column }</option>
                    { for props.columns.iter().enumerate().map(|(i, name)| html! {
                        <option key={i} value={(i + 1).to_string()}>{ format!("{}. {name}", i + 1) }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}
