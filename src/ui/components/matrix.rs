//! A square or rectangular matrix of shares (0..1) as a heat-map table: transition probabilities,
//! cross-category shares.

use crate::core::report::charts::{heat, heat_text_is_light};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MatrixProps {
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    /// Shares, row by row.
    pub values: Vec<Vec<f64>>,
    /// Optional counts shown in each cell's tooltip.
    #[prop_or_default]
    pub counts: Option<Vec<Vec<usize>>>,
    pub testid: AttrValue,
    /// When given, cells are clickable and report (row, column).
    #[prop_or_default]
    pub onselect: Option<Callback<(usize, usize)>>,
}

/// Paints each cell's `data-heat` colour through the CSS object model: the page's
/// Content-Security-Policy forbids `style` attributes, not styles set from script.
fn paint(table: &NodeRef) {
    use wasm_bindgen::JsCast;
    let Some(table) = table.cast::<web_sys::Element>() else { return };
    let Ok(cells) = table.query_selector_all("td[data-heat]") else { return };
    for i in 0..cells.length() {
        if let Some(cell) = cells.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            if let Some(colour) = cell.get_attribute("data-heat") {
                let _ = cell.style().set_property("background", &colour);
            }
        }
    }
}

#[component]
pub fn MatrixHeatmap(props: &MatrixProps) -> Html {
    let table = use_node_ref();
    {
        let table = table.clone();
        use_effect(move || paint(&table));
    }
    html! {
        <div class="table-wrap full" tabindex="0">
            <table class="matrix" data-testid={props.testid.clone()} ref={table}>
                <thead><tr><th></th>{ for props.cols.iter().map(|c| html! { <th key={c.clone()}>{ c.clone() }</th> }) }</tr></thead>
                <tbody>
                    { for props.rows.iter().enumerate().map(|(i, r)| html! {
                        <tr key={r.clone()}>
                            <th scope="row">{ r.clone() }</th>
                            { for props.values.get(i).into_iter().flatten().enumerate().map(|(j, &v)| {
                                let count = props.counts.as_ref().and_then(|c| c.get(i)).and_then(|row| row.get(j)).copied();
                                let colour = heat(v);
                                let onclick = props.onselect.as_ref().map(|cb| cb.reform(move |_: MouseEvent| (i, j)));
                                let onkeydown = props.onselect.as_ref().map(|cb| super::on_activate(cb.reform(move |()| (i, j))));
                                let tabindex = onclick.is_some().then_some("0");
                                let clickable = onclick.is_some().then_some("clickable");
                                html! {
                                    <td key={j} data-heat={colour} {onclick} {onkeydown} {tabindex} data-testid={format!("{}-{i}-{j}", props.testid)}
                                        class={classes!("num", heat_text_is_light(v).then_some("light"), clickable)}
                                        title={count.map(|c| format!("{r} → {}: {c}", props.cols.get(j).cloned().unwrap_or_default()))}>
                                        { format!("{:.0}%", v * 100.0) }
                                    </td>
                                }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
