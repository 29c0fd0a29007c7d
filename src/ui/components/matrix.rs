//! A square or rectangular matrix of shares (0..1) as a heat-map table: transition probabilities,
//! cross-category shares.

use crate::core::charts::{heat, heat_text_is_light};
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

#[component]
pub fn MatrixHeatmap(props: &MatrixProps) -> Html {
    html! {
        <div class="table-wrap full">
            <table class="matrix" data-testid={props.testid.clone()}>
                <thead><tr><th></th>{ for props.cols.iter().map(|c| html! { <th key={c.clone()}>{ c.clone() }</th> }) }</tr></thead>
                <tbody>
                    { for props.rows.iter().enumerate().map(|(i, r)| html! {
                        <tr key={r.clone()}>
                            <th scope="row">{ r.clone() }</th>
                            { for props.values.get(i).into_iter().flatten().enumerate().map(|(j, &v)| {
                                let count = props.counts.as_ref().and_then(|c| c.get(i)).and_then(|row| row.get(j)).copied();
                                let style = format!("background:{}", heat(v));
                                let onclick = props.onselect.as_ref().map(|cb| cb.reform(move |_: MouseEvent| (i, j)));
                                let clickable = onclick.is_some().then_some("clickable");
                                html! {
                                    <td key={j} {style} {onclick} data-testid={format!("{}-{i}-{j}", props.testid)}
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
