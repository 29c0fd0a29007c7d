//! The loyalty pyramid: tiers drawn as a true pyramid (band heights proportional to customers or
//! revenue, figures inside each band), the loyalty ladder beside it, and click-through to each
//! tier's customers. Geometry from `core::analysis::pyramid::bands`.

use crate::core::analysis::pyramid::{parse_tiers, tiers_text, Measure, PyramidError, PyramidParams};
use crate::core::report::charts::bar_lengths;
use crate::core::report::segments::{CustomerFilter, SegmentationSummary};
use crate::ui::components::chart_card::ChartCard;
use crate::ui::components::customer_list::CustomerListPanel;
use crate::ui::components::pyramid_chart::{PyramidChart, COLOURS};
use crate::ui::context::AppContext;
use crate::ui::format;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PyramidPageProps {
    pub summary: Rc<SegmentationSummary>,
}

#[component]
pub fn PyramidPage(props: &PyramidPageProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let t = ctx.state.lang.texts();
    let p = &props.summary.pyramid;
    let by_revenue = use_state(|| false);
    let open = {
        let ctx = ctx.clone();
        Callback::from(move |k: usize| ctx.customers(CustomerFilter::Pyramid(k), 0))
    };
    let ladder_labels = [t.ladder_customer, t.ladder_repeat, t.ladder_loyal, t.ladder_advocate];
    // The ranking measure and the tiers, editable; "recalculate" re-runs the segmentation with them.
    let params = ctx.state.segments.params.pyramid.clone();
    let measure = use_state(|| params.measure);
    let tiers_draft = use_state(|| tiers_text(&params.tiers));
    let error = use_state(|| None::<PyramidError>);
    {
        let (measure, tiers, error, params) = (measure.clone(), tiers_draft.clone(), error.clone(), params.clone());
        use_effect_with(props.summary.clone(), move |_| {
            measure.set(params.measure);
            tiers.set(tiers_text(&params.tiers));
            error.set(None);
        });
    }
    let apply = {
        let (ctx, measure, tiers, error) = (ctx.clone(), measure.clone(), tiers_draft.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let next = parse_tiers(&tiers).map(|tiers| PyramidParams { measure: *measure, tiers });
            match next.and_then(|p| p.check().map(|_| p)) {
                Ok(pyramid) => {
                    let mut params = ctx.state.segments.params.clone();
                    params.pyramid = pyramid;
                    error.set(None);
                    ctx.segment(params);
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let on_measure = {
        let measure = measure.clone();
        Callback::from(move |e: Event| {
            measure.set(match e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().as_str() {
                "total_spend" => Measure::TotalSpend,
                "spend_12m" => Measure::Spend12Months,
                "clv" => Measure::Clv,
                "engagement" => Measure::Engagement,
                _ => Measure::RfmComposite,
            })
        })
    };
    let on_tiers = {
        let tiers = tiers_draft.clone();
        Callback::from(move |e: InputEvent| tiers.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))
    };
    let ladder: Vec<f64> = p.ladder.iter().map(|&n| n as f64).collect();
    let ladder_len = bar_lengths(&ladder, 300.0);
    let guide = match p.tiers.first() {
        Some(top) => match top.multiple {
            Some(m) => t.g_pyramid_a.replace("{n}", &format::int(top.customers as u64)).replace("{m}", &format!("{m:.1}")),
            None => t.g_pyramid_a_plain.replace("{n}", &format::int(top.customers as u64)),
        },
        None => String::new(),
    };
    html! {
        <>
            { crate::ui::components::guide::guide("pyramid", t.g_pyramid_q, guide) }
            if let Some(list) = ctx.state.segments.list.clone() {
                <CustomerListPanel {list} summary={ctx.state.segments.summary.clone()} file={ctx.file_name()} lang={ctx.state.lang} onpage={ctx.on_list_page()} onexport={ctx.on_list_export()} />
            }
            <ChartCard title={t.pyramid_title} file="loyalty-pyramid" testid="export-pyramid" controls={html! {
                <div class="lang" role="group" aria-label={t.size_by}>
                        <button class={classes!((!*by_revenue).then_some("active"))} onclick={{ let b = by_revenue.clone(); move |_| b.set(false) }}>{ t.by_customers }</button>
                        <button class={classes!((*by_revenue).then_some("active"))} onclick={{ let b = by_revenue.clone(); move |_| b.set(true) }} data-testid="pyramid-by-revenue">{ t.by_revenue }</button>
                    </div>
            }}>
                <p class="rule">{ if p.measure == Measure::Engagement { t.pyramid_rule_engagement } else { t.pyramid_rule } }</p>
                <div class="controls pyramid-controls">
                    <label>{ t.rank_by }
                        <select onchange={on_measure} data-testid="pyramid-measure">
                            <option value="rfm" selected={*measure == Measure::RfmComposite}>{ t.rfm_composite }</option>
                            <option value="total_spend" selected={*measure == Measure::TotalSpend}>{ t.total_spend }</option>
                            <option value="spend_12m" selected={*measure == Measure::Spend12Months}>{ t.spend_12m }</option>
                            <option value="clv" selected={*measure == Measure::Clv} disabled={ctx.state.clv.report.is_none()}>{ ctx.state.lang.texts().pyramid_predicted_clv_fit_on_the_clv_page_fi }</option>
                            <option value="engagement" selected={*measure == Measure::Engagement} disabled={props.summary.engagement.is_none()}>{ t.engagement_measure }</option>
                        </select>
                    </label>
                    <label class="segment-map">{ t.pyramid_tiers }
                        <textarea rows="3" value={(*tiers_draft).clone()} oninput={on_tiers} data-testid="pyramid-tiers" />
                    </label>
                    <button class="button primary" onclick={apply} data-testid="pyramid-apply">{ t.apply }</button>
                </div>
                if let Some(e) = (*error).as_ref() {
                    <p class="attention-text" role="alert" data-testid="pyramid-error">{ ctx.state.lang.pyramid_error(e) }</p>
                }
                <div class="two-col pyramid-row">
                    <PyramidChart pyramid={p.clone()} by_revenue={*by_revenue} onselect={open.clone()} />
                    <div>
                        <h3>{ t.ladder_title }</h3>
                        <svg class="chart" viewBox="0 0 480 150" role="img" aria-label={ladder_labels.iter().zip(p.ladder).map(|(l, n)| format!("{l}: {}", format::int(n as u64))).collect::<Vec<_>>().join(" · ")} data-testid="ladder">
                            { for ladder_len.iter().enumerate().map(|(k, &len)| {
                                let y = k as f64 * 36.0;
                                let share = if p.ladder[0] == 0 { 0.0 } else { p.ladder[k] as f64 / p.ladder[0] as f64 * 100.0 };
                                html! {
                                    <g key={k}>
                                        <rect x={(k as f64 * 12.0).to_string()} y={y.to_string()} width={len.max(1.0).to_string()} height="26" rx="3" fill={COLOURS[(3 - k).min(5)]} />
                                        <text x={(k as f64 * 12.0 + len + 8.0).to_string()} y={(y + 17.0).to_string()} class="axis">
                                            { format!("{} {} ({share:.1}%)", ladder_labels[k], format::int(p.ladder[k] as u64)) }
                                        </text>
                                    </g>
                                }
                            }) }
                        </svg>
                    </div>
                </div>
                // The tiers' figures below the chart, the card's full width: no column is cut off.
                <div class="table-wrap full" tabindex="0">
                    <table data-testid="pyramid-table">
                        <thead><tr><th>{ t.group }</th><th class="num">{ t.customers }</th><th class="num">{ t.revenue_share }</th>
                            <th class="num">{ t.orders_per_customer }</th><th class="num">{ t.repeat_rate }</th><th class="num">{ t.multiple }</th><th class="num">{ "NPS" }</th></tr></thead>
                        <tbody>
                            { for p.tiers.iter().enumerate().map(|(k, tier)| html! {
                                <tr key={k} class="clickable" onclick={open.reform(move |_: MouseEvent| k)} onkeydown={crate::ui::components::on_activate(open.reform(move |()| k))} tabindex="0">
                                    <td>{ ctx.state.lang.tier_label(&tier.name) }</td>
                                    <td class="num">{ format::int(tier.customers as u64) }</td>
                                    <td class="num">{ tier.revenue_share.map_or_else(|| t.needs_amount.to_string(), |s| format!("{:.1}%", s * 100.0)) }</td>
                                    <td class="num">{ format!("{:.2}", tier.orders_per_customer) }</td>
                                    <td class="num">{ format!("{:.1}%", tier.repurchase_rate * 100.0) }</td>
                                    <td class="num" data-testid={format!("multiple-{k}")}>{ tier.multiple.map_or("—".to_string(), |m| format!("{m:.1}×")) }</td>
                                    <td class="num">{ tier.nps.as_ref().map_or("—".to_string(), |n| format::one_decimal(n.nps)) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </ChartCard>
            <crate::ui::components::participation::ParticipationSection summary={props.summary.clone()} />
        </>
    }
}
