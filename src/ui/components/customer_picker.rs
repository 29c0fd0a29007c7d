//! Asks which column is the customer id when a file has none that can be taken for one (an order
//! report without a buyer column): the file is read again with the column chosen, never with a
//! guess.

use crate::core::ingest::roles::Role;
use crate::core::ingest::{ColumnRef, IngestOptions, MapOverride};
use crate::ui::i18n::Lang;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CustomerPickerProps {
    /// The file's columns, in order.
    pub columns: Rc<Vec<String>>,
    pub lang: Lang,
    /// Read the transactions again with these options (the chosen column as the customer id).
    pub onreparse: Callback<IngestOptions>,
}

#[component]
pub fn CustomerPicker(props: &CustomerPickerProps) -> Html {
    let lang = props.lang;
    let onchange = {
        let onreparse = props.onreparse.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(position) = value.parse::<usize>() {
                let map = vec![MapOverride { role: Role::CustomerId, column: Some(ColumnRef::Position(position)) }];
                onreparse.emit(IngestOptions { map, ..IngestOptions::default() });
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
