//! The rules panel: every segmentation rule, editable, with the rule in words and a recalculate
//! button. Shared by the segments and lifecycle pages.

use crate::core::report::rules::{RulesError, RulesForm};
use crate::core::report::segments::{SegmentationParams, SegmentationSummary};
use crate::ui::i18n::Lang;
use crate::ui::state::Problem;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RulesProps {
    pub summary: Rc<SegmentationSummary>,
    /// The rules the summary used, and why the last ones asked for were refused.
    pub params: SegmentationParams,
    pub error: Option<Problem>,
    pub lang: Lang,
    /// Segment with these rules.
    pub onapply: Callback<SegmentationParams>,
    /// List every customer.
    pub onall: Callback<()>,
}

#[component]
pub fn RulesPanel(props: &RulesProps) -> Html {
    let t = props.lang.texts();
    let params = props.params.clone();
    let as_of = crate::core::values::parse_date(&props.summary.as_of, crate::core::values::DateOrder::Ymd).ok();
    let form = use_state(|| RulesForm::from_params(&params, as_of));
    let local_error = use_state(|| None::<RulesError>);
    {
        // New results (from any page) reset the form to the rules they used.
        let (form, local_error, params) = (form.clone(), local_error.clone(), params.clone());
        use_effect_with(props.summary.clone(), move |_| {
            form.set(RulesForm::from_params(&params, as_of));
            local_error.set(None);
        });
    }
    let input = |label: &str, id: &'static str, value: String, edit: fn(&mut RulesForm, String)| {
        let form = form.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut f = (*form).clone();
            edit(&mut f, e.target_unchecked_into::<HtmlInputElement>().value());
            form.set(f);
        });
        html! { <label>{ label.to_string() }<input {value} {oninput} data-testid={id} /></label> }
    };
    let choice = |label: &str,
                  id: &'static str,
                  current: &str,
                  options: Vec<(&'static str, &str)>,
                  edit: fn(&mut RulesForm, String)| {
        let form = form.clone();
        let onchange = Callback::from(move |e: Event| {
            let mut f = (*form).clone();
            edit(&mut f, e.target_unchecked_into::<web_sys::HtmlSelectElement>().value());
            form.set(f);
        });
        html! {
            <label>{ label.to_string() }
                <select {onchange} data-testid={id}>
                    { for options.into_iter().map(|(v, l)| html! { <option key={v} value={v} selected={v == current}>{ l.to_string() }</option> }) }
                </select>
            </label>
        }
    };
    let apply = {
        let (onapply, form, local_error, params) = (props.onapply.clone(), form.clone(), local_error.clone(), params.clone());
        Callback::from(move |_: MouseEvent| match form.to_params(&params) {
            Ok(params) => {
                local_error.set(None);
                onapply.emit(params);
            }
            Err(e) => local_error.set(Some(e)),
        })
    };
    let all = props.onall.reform(|_: MouseEvent| ());
    let f = &*form;
    let bins: Vec<(&'static str, &str)> = ["2", "3", "4", "5", "6", "7", "8", "9", "10"].iter().map(|b| (*b, *b)).collect();
    let lang = props.lang;
    let error = (*local_error).as_ref().map(|e| lang.rules_error(e)).or_else(|| props.error.as_ref().map(|p| lang.problem(p)));
    html! {
        <section class="card" data-testid="rules">
            <h2>{ t.seg_rules }</h2>
            <div class="controls">
                <label>{ t.as_of }
                    <input type="date" value={f.as_of.clone()} data-testid="as-of"
                        oninput={{ let form = form.clone(); move |e: InputEvent| { let mut x = (*form).clone(); x.as_of = e.target_unchecked_into::<HtmlInputElement>().value(); form.set(x); } }} />
                </label>
                { choice(t.bins, "bins", &f.bins, bins, |f, v| f.bins = v) }
                <button class="button primary" onclick={apply} data-testid="recalculate">{ t.apply }</button>
                <button class="button" onclick={all} data-testid="all-customers">{ t.all_customers }</button>
            </div>
            <details>
                <summary>{ t.more_rules }</summary>
                <div class="rules-grid">
                    { input(t.r_thresholds, "r-thresholds", f.r_thresholds.clone(), |f, v| f.r_thresholds = v) }
                    { input(t.f_thresholds, "f-thresholds", f.f_thresholds.clone(), |f, v| f.f_thresholds = v) }
                    { input(t.m_thresholds, "m-thresholds", f.m_thresholds.clone(), |f, v| f.m_thresholds = v) }
                    { input(t.abc_a, "abc-a", f.abc_a.clone(), |f, v| f.abc_a = v) }
                    { input(t.abc_b, "abc-b", f.abc_b.clone(), |f, v| f.abc_b = v) }
                    { choice(t.tier_mode, "tier-mode", &f.tier_mode, vec![("share", t.tier_by_share), ("amount", t.tier_by_amount)], |f, v| f.tier_mode = v) }
                    { input("钻石", "tier-1", f.tiers[0].clone(), |f, v| f.tiers[0] = v) }
                    { input("金卡", "tier-2", f.tiers[1].clone(), |f, v| f.tiers[1] = v) }
                    { input("银卡", "tier-3", f.tiers[2].clone(), |f, v| f.tiers[2] = v) }
                    { input(t.window_days, "window-days", f.window_days.clone(), |f, v| f.window_days = v) }
                    { input(t.rise, "rise", f.rise.clone(), |f, v| f.rise = v) }
                    { input(t.fall, "fall", f.fall.clone(), |f, v| f.fall = v) }
                    { input(t.stable_orders, "stable-orders", f.stable_orders.clone(), |f, v| f.stable_orders = v) }
                    { input(t.stable_spend, "stable-spend", f.stable_spend.clone(), |f, v| f.stable_spend = v) }
                    { choice(t.period_label, "period", &f.period, vec![("month", t.month), ("quarter", t.quarter)], |f, v| f.period = v) }
                    { input(t.churn_days, "churn-days", f.churn_days.clone(), |f, v| f.churn_days = v) }
                    { input(t.dormant_days, "dormant-days", f.dormant_days.clone(), |f, v| f.dormant_days = v) }
                </div>
                <label class="segment-map">{ t.segment_map }
                    <textarea rows="11" value={f.segments.clone()} data-testid="segment-map"
                        oninput={{ let form = form.clone(); move |e: InputEvent| {
                            let mut x = (*form).clone();
                            x.segments = e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value();
                            form.set(x);
                        } }} />
                </label>
            </details>
            if let Some(message) = error {
                <p class="attention-text" role="alert" data-testid="rules-error">{ message }</p>
            }
            <p class="rule" data-testid="rule">
                { if props.lang == Lang::Zh { props.summary.rules_zh.rfm.clone() } else { props.summary.rule.clone() } }
            </p>
            if props.summary.rows_after_as_of > 0 {
                <p class="hint">{ format!("{}{}", t.rows_after_as_of, props.summary.rows_after_as_of) }</p>
            }
        </section>
    }
}
