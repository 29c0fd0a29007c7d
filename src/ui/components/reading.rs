//! How the file was read (format, encoding, delimiter, header, sheet, date order), each overridable.

use super::summary::RereadProps;
use crate::core::ingest::encoding::CHOICES;
use crate::core::ingest::table::Format;
use crate::core::ingest::IngestOptions;
use crate::core::values::DateOrder;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A select whose first option means "detect"; `on_pick` gets the chosen value or `None` for auto.
fn select(
    id: &'static str,
    current: Option<String>,
    options: Vec<(String, String)>,
    auto: &str,
    on_pick: Callback<Option<String>>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        on_pick.emit((!value.is_empty()).then_some(value));
    });
    let current = current.unwrap_or_default();
    html! {
        <select {onchange} data-testid={id}>
            <option value="" selected={current.is_empty()}>{ auto.to_string() }</option>
            { for options.into_iter().map(|(value, label)| {
                let selected = value == current;
                html! { <option key={value.clone()} {selected} {value}>{ label }</option> }
            }) }
        </select>
    }
}

#[component]
pub fn ReadingPanel(props: &RereadProps) -> Html {
    let t = props.lang.texts();
    let r = &props.report;
    let opts = (*props.options).clone();
    // Changing how the file is read invalidates column choices made for the old reading.
    let reread = |edit: fn(&mut IngestOptions, Option<String>)| {
        let (onreparse, opts) = (props.onreparse.clone(), opts.clone());
        Callback::from(move |value: Option<String>| {
            let mut o = opts.clone();
            edit(&mut o, value);
            o.map.clear();
            onreparse.emit(o);
        })
    };
    let detected = |s: &str| format!("{} ({})", t.auto, s);
    let workbook = matches!(r.format, Format::Xlsx | Format::Xls);
    html! {
        <section class="card">
            <h2>{ t.reading_title }</h2>
            <div class="reading">
                <label>
                    <span>{ t.format }</span>
                    <strong data-testid="format">{ r.format.key() }</strong>
                </label>
                if !workbook {
                    <label>
                        <span>{ t.encoding }</span>
                        { select("encoding", opts.encoding.clone(),
                            CHOICES.iter().map(|c| (c.to_string(), c.to_string())).collect(),
                            &detected(&r.encoding),
                            reread(|o, v| o.encoding = v)) }
                        <span class="sr-only" data-testid="encoding-detected">{ r.encoding.clone() }</span>
                    </label>
                    <label>
                        <span>{ t.delimiter }</span>
                        { select("delimiter", opts.format.map(|f| f.key().to_string()),
                            Format::TEXT.iter().map(|f| (f.key().to_string(), format!("{} ({})", f.key(), f.delimiter_label().unwrap_or("")))).collect(),
                            &detected(r.delimiter.as_deref().unwrap_or("")),
                            reread(|o, v| o.format = v.and_then(|v| Format::from_key(&v)))) }
                    </label>
                }
                if r.sheets.len() > 1 {
                    <label>
                        <span>{ t.sheet }</span>
                        { select("sheet", opts.sheet.clone(),
                            r.sheets.iter().map(|s| (s.name.clone(), if s.visible { s.name.clone() } else { format!("{} ({})", s.name, t.hidden) })).collect(),
                            &detected(r.sheet.as_deref().unwrap_or("")),
                            reread(|o, v| o.sheet = v)) }
                    </label>
                }
                <label>
                    <span>{ t.header }</span>
                    { select("header", opts.header.map(|h| h.to_string()),
                        vec![("true".into(), t.header_yes.into()), ("false".into(), t.header_no.into())],
                        &detected(if r.header { t.header_yes } else { t.header_no }),
                        reread(|o, v| o.header = v.map(|v| v == "true"))) }
                </label>
                if r.mapping.contains_key(&crate::core::ingest::roles::Role::Date) {
                    <label class={classes!(r.date_order_ambiguous.then_some("attention"))}>
                        <span>{ t.date_order }</span>
                        { select("date-order", opts.date_order.map(|d| d.key().to_string()),
                            vec![("dmy".into(), "DD/MM/YYYY".into()), ("mdy".into(), "MM/DD/YYYY".into()), ("ymd".into(), "YYYY-MM-DD".into())],
                            &detected(r.date_order.key()),
                            {
                                let (onreparse, opts) = (props.onreparse.clone(), opts.clone());
                                Callback::from(move |v: Option<String>| {
                                    let mut o = opts.clone();
                                    o.date_order = v.and_then(|v| DateOrder::from_key(&v));
                                    onreparse.emit(o);
                                })
                            }) }
                    </label>
                }
            </div>
            if r.date_order_ambiguous {
                <p class="attention-text" data-testid="date-order-ambiguous">{ t.date_order_ambiguous }</p>
            }
        </section>
    }
}
