//! Actions: the playbook (an editable table, loaded from and saved to a file the user keeps; nothing
//! is stored in the browser), what each action holds and is worth with its campaign list to
//! export, and the win-back priorities. The worker assigns and ranks; this page edits and shows.

use crate::core::export::ExportFormat;
use crate::core::report::actions::{Actions, Playbook, Winback, WinbackParams, PLAYBOOK_COLUMNS};
use crate::core::report::segments::SegmentationSummary;
use crate::ui::components::compare::text_field;
use crate::ui::context::AppContext;
use crate::ui::format;
use crate::ui::i18n::{Lang, Texts};
use crate::ui::state::Problem;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ActionsPageProps {
    pub summary: Rc<SegmentationSummary>,
}

/// A playbook row as typed, in [`PLAYBOOK_COLUMNS`] order (the response rate in percent).
type RowText = [String; 7];

fn rows_of(p: &Playbook, lang: Lang) -> Vec<RowText> {
    // Names in the page's language (the playbook reads them back either way); stages by key in
    // English, as the CLI's playbook writes them.
    let keys = rows_as_csv(p);
    p.rows
        .iter()
        .zip(keys)
        .map(|(r, mut row)| {
            if lang == Lang::Zh {
                row[1] = r.stages.iter().map(|s| s.zh()).collect::<Vec<_>>().join("|");
            }
            row[0] = r.segments.iter().map(|s| lang.segment_label(s)).collect::<Vec<_>>().join("|");
            row[2] = r.pyramid.iter().map(|s| lang.tier_label(s)).collect::<Vec<_>>().join("|");
            row
        })
        .collect()
}

/// The playbook's rows as its CSV writes them, the rate as a percentage (as people type it).
fn rows_as_csv(p: &Playbook) -> Vec<RowText> {
    let csv = p.to_csv();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    reader
        .records()
        .flatten()
        .map(|r| {
            let mut row: RowText = Default::default();
            for (k, cell) in row.iter_mut().enumerate() {
                *cell = r.get(k).unwrap_or("").to_string();
            }
            if let Ok(rate) = row[6].parse::<f64>() {
                row[6] = format!("{}%", (rate * 1000.0).round() / 10.0);
            }
            row
        })
        .collect()
}

/// The rows as the playbook's CSV.
fn csv_of(rows: &[RowText]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(PLAYBOOK_COLUMNS);
    for r in rows {
        let _ = w.write_record(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[component]
pub fn ActionsPage(props: &ActionsPageProps) -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let rows = use_state(|| rows_of(&Playbook::default_in(lang == Lang::Zh), lang));
    let dormant = use_state(|| WinbackParams::default().dormant_days.to_string());
    let floor = use_state(String::new);
    let local_error = use_state(|| None::<Problem>);
    let format = use_state(ExportFormat::default);
    // The playbook and win-back settings as typed, checked; the error in words otherwise.
    let read = {
        let (rows, dormant, floor) = (rows.clone(), dormant.clone(), floor.clone());
        move || -> Result<(Playbook, WinbackParams), Problem> {
            let playbook =
                Playbook::parse(&csv_of(&rows)).map_err(|e| Problem { code: e.code().into(), message: e.to_string() })?;
            // The page's own fields, named in its language.
            let field = |label: &str, text: &str| Problem { code: String::new(), message: format!("{label}: '{text}'") };
            let dormant_days =
                dormant.trim().parse::<i32>().ok().filter(|d| *d >= 1).ok_or_else(|| field(t.wb_dormant, &dormant))?;
            let floor = match floor.trim() {
                "" => None,
                f => Some(f.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| field(t.wb_floor, f))?),
            };
            Ok((playbook, WinbackParams { dormant_days, floor }))
        }
    };
    let apply = {
        let (ctx, read, local_error) = (ctx.clone(), read.clone(), local_error.clone());
        Callback::from(move |_: ()| match read() {
            Ok((playbook, winback)) => {
                local_error.set(None);
                ctx.actions(playbook, winback);
            }
            Err(message) => local_error.set(Some(message)),
        })
    };
    {
        // Assigned again whenever the segmentation or the CLV predictions change.
        let generation =
            (Rc::as_ptr(&props.summary) as usize, ctx.state.clv.report.as_ref().map_or(0, |r| Rc::as_ptr(r) as usize));
        let apply = apply.clone();
        use_effect_with(generation, move |_| apply.emit(()));
    }
    let edit = |k: usize, column: usize| {
        let rows = rows.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*rows).clone();
            if let Some(row) = next.get_mut(k) {
                row[column] = e.target_unchecked_into::<HtmlInputElement>().value();
            }
            rows.set(next);
        })
    };
    let remove = |k: usize| {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.remove(k);
            rows.set(next);
        })
    };
    let add = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.push(Default::default());
            rows.set(next);
        })
    };
    let reset = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| rows.set(rows_of(&Playbook::default_in(lang == Lang::Zh), lang)))
    };
    let save = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            crate::ui::bridge::download_text("playbook.csv", &csv_of(&rows), "text/csv;charset=utf-8")
        })
    };
    let load = {
        let (rows, local_error) = (rows.clone(), local_error.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let (rows, local_error) = (rows.clone(), local_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text =
                    wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
                match Playbook::parse(&text) {
                    Ok(p) => {
                        rows.set(rows_of(&p, lang));
                        local_error.set(None);
                    }
                    Err(e) => local_error.set(Some(Problem { code: e.code().into(), message: e.to_string() })),
                }
            });
        })
    };
    let s = &props.summary;
    let names = t
        .pb_names
        .replace("{segments}", &s.segments.iter().map(|g| lang.segment_label(&g.key)).collect::<Vec<_>>().join(", "))
        .replace("{tiers}", &s.pyramid.tiers.iter().map(|g| lang.tier_label(&g.name)).collect::<Vec<_>>().join(", "));
    let headers = [t.pb_segment, t.pb_stage, t.pb_pyramid, t.pb_action, t.pb_channel, t.pb_priority, t.pb_rate];
    let error = (*local_error).as_ref().or(ctx.state.segments.actions_error.as_ref()).map(|p| lang.problem(p));
    html! {
        <>
            { crate::ui::components::guide::guide("actions", t.g_actions_q, t.g_actions_a.to_string()) }
            <section class="card" data-testid="playbook">
                <h2>{ t.pb_title }</h2>
                <p class="rule">{ t.pb_rule }</p>
                <div class="table-wrap full" tabindex="0">
                    <table class="playbook">
                        <thead><tr>{ for headers.iter().map(|h| html! { <th>{ *h }</th> }) }<th></th></tr></thead>
                        <tbody>
                            { for rows.iter().enumerate().map(|(k, row)| html! {
                                <tr key={k}>
                                    { for row.iter().enumerate().map(|(c, cell)| html! {
                                        <td><input type="text" value={cell.clone()} aria-label={format!("{} {}", headers[c], k + 1)}
                                            data-testid={format!("pb-{k}-{c}")} oninput={edit(k, c)} /></td>
                                    }) }
                                    <td><button class="button" onclick={remove(k)} aria-label={format!("{} {}", t.pb_remove, k + 1)}>{ "×" }</button></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="hint">{ names }</p>
                <div class="controls">
                    <button class="button" onclick={add} data-testid="pb-add">{ t.pb_add }</button>
                    <button class="button" onclick={reset}>{ t.pb_default }</button>
                    <label class="button">{ t.pb_load }
                        <input type="file" class="visually-hidden" accept=".csv,.json,text/csv,application/json" onchange={load} data-testid="pb-load" />
                    </label>
                    <button class="button" onclick={save} data-testid="pb-save">{ t.pb_save }</button>
                    { text_field(t.wb_dormant, "wb-dormant", &dormant) }
                    { text_field(t.wb_floor, "wb-floor", &floor) }
                    <button class="button primary" onclick={apply.reform(|_: MouseEvent| ())} data-testid="pb-apply">{ t.apply }</button>
                </div>
                if let Some(message) = error {
                    <p class="attention-text" role="alert" data-testid="actions-error">{ message }</p>
                }
            </section>
            if let Some(answer) = &ctx.state.segments.actions {
                { summary_section(t, &answer.0, &ctx, &format) }
                { winback_section(t, &answer.1, &ctx, *format) }
            }
        </>
    }
}

/// Each action's customers, revenue, predicted CLV and expected revenue, with its list's export.
fn summary_section(t: &Texts, a: &Actions, ctx: &AppContext, format: &UseStateHandle<ExportFormat>) -> Html {
    let file = ctx.file_name();
    let export = |action: Option<usize>, name: &str| {
        let (ctx, format) = (ctx.clone(), **format);
        let file_name = format!("{file}.actions.{}", name.replace([' ', '/', '\'', ':'], "-"));
        Callback::from(move |_: MouseEvent| ctx.export_actions(action, file_name.clone(), format))
    };
    let has_clv = a.stats.iter().any(|s| s.clv.is_some());
    html! {
        <section class="card" data-testid="actions">
            <div class="card-head">
                <h2>{ t.act_title }</h2>
                <div class="pager">
                    { crate::ui::components::compare::format_select(format, "actions-format") }
                    <button class="button primary" onclick={export(None, "all")} data-testid="actions-export-all">{ t.act_export_all }</button>
                </div>
            </div>
            if a.unmatched > 0 {
                <p class="attention-text">{ t.act_unmatched.replace("{n}", &format::int(a.unmatched as u64)) }</p>
            }
            <div class="table-wrap full" tabindex="0">
                <table data-testid="actions-table">
                    <thead><tr>
                        <th>{ t.pb_action }</th><th>{ t.pb_channel }</th><th class="num">{ t.pb_priority }</th><th class="num">{ t.customers }</th>
                        <th class="num">{ t.act_revenue }</th>
                        if has_clv { <th class="num">{ t.act_clv }</th> }
                        <th class="num">{ t.pb_rate }</th><th class="num">{ t.act_expected }</th><th></th>
                    </tr></thead>
                    <tbody>
                        { for a.stats.iter().enumerate().filter(|(_, s)| s.customers > 0).map(|(k, s)| html! {
                            <tr key={k}>
                                <td>{ s.action.clone() }</td><td>{ s.channel.clone() }</td><td class="num">{ s.priority }</td>
                                <td class="num" data-testid={format!("action-customers-{k}")}>{ format::int(s.customers as u64) }</td>
                                <td class="num">{ s.revenue.map_or_else(|| t.needs_amount.to_string(), format::money) }</td>
                                if has_clv { <td class="num">{ s.clv.map_or_else(|| "—".into(), format::money) }</td> }
                                <td class="num">{ format!("{:.1}%", s.response_rate * 100.0) }</td>
                                <td class="num">{ s.expected_revenue.map_or_else(|| t.needs_amount.to_string(), format::money) }</td>
                                <td><button class="button" onclick={export(Some(k), &s.action)} data-testid={format!("action-export-{k}")}>{ t.export }</button></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The win-back priorities: both sides of the floor, and the candidates by value at risk.
fn winback_section(t: &Texts, w: &Winback, ctx: &AppContext, format: ExportFormat) -> Html {
    let export = {
        let ctx = ctx.clone();
        let file_name = format!("{}.winback", ctx.file_name());
        Callback::from(move |_: MouseEvent| ctx.export_winback(file_name.clone(), format))
    };
    let basis = if w.with_clv { t.wb_basis_clv } else { t.wb_basis_spend };
    let (lang, code) = (ctx.state.lang, ctx.state.ingest.report.as_ref().and_then(|r| r.currency.as_deref()));
    let rule = t.wb_rule.replace("{days}", &w.params.dormant_days.to_string()).replace("{basis}", basis);
    let total = w.invest_customers + w.let_go_customers;
    let ids: std::rc::Rc<Vec<String>> = std::rc::Rc::new(w.rows.iter().map(|r| r.customer_id.clone()).collect());
    // No value at risk without amounts: the reason in place of the priorities.
    if !w.notes.is_empty() {
        return html! {
            <section class="card" data-testid="winback">
                <h2>{ t.wb_title }</h2>
                <p class="attention-text" data-testid="wb-needs-amount">{ t.wb_needs_amount }</p>
            </section>
        };
    }
    html! {
        <section class="card" data-testid="winback">
            <div class="card-head">
                <h2>{ t.wb_title }</h2>
                <button class="button primary" onclick={export} data-testid="winback-export">{ t.export }</button>
            </div>
            <p class="rule">{ rule }</p>
            <div class="stats">
                <div class="stat">
                    <div class="stat-label">{ t.wb_invest }</div>
                    <div class="stat-value" data-testid="wb-invest">{ format::int(w.invest_customers as u64) }</div>
                    <div class="hint">{ crate::ui::components::money_html(w.invest_value, code, lang) }{ format!(" {}", t.wb_value) }</div>
                </div>
                <div class="stat">
                    <div class="stat-label">{ t.wb_let_go }</div>
                    <div class="stat-value" data-testid="wb-let-go">{ format::int(w.let_go_customers as u64) }</div>
                    <div class="hint">{ crate::ui::components::money_html(w.let_go_value, code, lang) }{ format!(" {}", t.wb_value) }</div>
                </div>
                <div class="stat">
                    <div class="stat-label">{ t.wb_floor_used }</div>
                    <div class="stat-value" data-testid="wb-floor-used">{ crate::ui::components::money_html(w.floor, code, lang) }</div>
                </div>
            </div>
            <div class="table-wrap full" tabindex="0">
                <table data-testid="winback-table">
                    <caption class="muted">{ format!("{} / {}", format::int(w.rows.len() as u64), format::int(total as u64)) }</caption>
                    <thead><tr><th>{ "ID" }</th><th>{ t.stages_title }</th><th class="num">{ t.recency }</th><th class="num">{ t.wb_spend_12m }</th>
                        <th class="num">{ "CLV" }</th><th class="num">{ "P(alive)" }</th><th class="num">{ t.wb_value }</th><th></th></tr></thead>
                    <tbody>
                        { for w.rows.iter().enumerate().map(|(k, r)| html! {
                            <tr key={r.customer_id.clone()}>
                                <td>{ crate::ui::components::profile::customer_button(ctx, &ids, k) }</td><td>{ r.stage.clone() }</td><td class="num">{ r.recency_days }</td>
                                <td class="num">{ format::money(r.spend_12_months) }</td>
                                <td class="num">{ r.clv.map_or_else(|| "—".into(), format::money) }</td>
                                <td class="num">{ r.p_alive.map_or_else(|| "—".into(), |p| format!("{:.1}%", p * 100.0)) }</td>
                                <td class="num">{ format::money(r.value_at_risk) }</td>
                                <td>{ if r.invest { t.wb_invest } else { t.wb_let_go } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
