//! ABC / Pareto: the Lorenz curve, the Gini coefficient, the top-20% share and the A/B/C table.

use super::group_table::GroupTable;
use crate::core::report::charts::unit_path;
use crate::core::report::segments::SegmentationSummary;
use crate::ui::context::AppContext;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AbcProps {
    pub summary: Rc<SegmentationSummary>,
    pub onselect: Callback<usize>,
}

const SIZE: f64 = 240.0;

#[component]
pub fn AbcPanel(props: &AbcProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let s = &props.summary;
    let rule = format!("A < {:.0}% · B < {:.0}% · C", s.abc_cuts.a * 100.0, (s.abc_cuts.a + s.abc_cuts.b) * 100.0);
    // ABC ranks by revenue: a file without amounts gets the reason in place of the card's figures.
    let (Some(abc), Some(gini), Some(top20), Some(lorenz)) = (&s.abc, s.gini, s.top20_share, &s.lorenz) else {
        return html! {
            <section class="card">
                <h2>{ t.abc_title }</h2>
                <p class="attention-text" data-testid="abc-needs-amount">{ t.abc_needs_amount }</p>
            </section>
        };
    };
    html! {
        <section class="card">
            <h2>{ t.abc_title }</h2>
            <p class="rule">{ rule }</p>
            <div class="two-col">
                <div>
                    <div class="stats">
                        <div class="stat"><div class="stat-label">{ t.gini }</div><div class="stat-value" data-testid="gini">{ format!("{:.3}", gini) }</div></div>
                        <div class="stat"><div class="stat-label">{ t.top20 }</div><div class="stat-value" data-testid="top20">{ format!("{:.1}%", top20 * 100.0) }</div></div>
                    </div>
                    <GroupTable groups={abc.clone()} onselect={props.onselect.clone()} testid="abc-table" />
                </div>
                <figure class="lorenz">
                    <svg class="chart" viewBox={format!("-30 -10 {} {}", SIZE + 40.0, SIZE + 40.0)} role="img" aria-label={format!("{}: {} {:.1}% · {} {:.3}", t.lorenz, t.top20, top20 * 100.0, t.gini, gini)} data-testid="lorenz">
                        <rect x="0" y="0" width={SIZE.to_string()} height={SIZE.to_string()} class="frame" />
                        <path d={unit_path(&[(0.0, 0.0), (1.0, 1.0)], SIZE, SIZE)} class="diagonal" />
                        <path d={unit_path(lorenz, SIZE, SIZE)} class="curve" />
                        <text x="0" y={(SIZE + 18.0).to_string()} class="axis">{ "0%" }</text>
                        <text x={SIZE.to_string()} y={(SIZE + 18.0).to_string()} class="axis" text-anchor="end">{ "100%" }</text>
                    </svg>
                    <figcaption class="hint">{ t.lorenz }</figcaption>
                </figure>
            </div>
        </section>
    }
}
