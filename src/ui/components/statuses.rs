//! What reading left out and why, editable: the order statuses with their rows and amounts (a
//! status ticked is left out; the defaults are those that mean no sale), and the rows without a
//! customer id (guest orders), downloadable by line.

use super::summary::RereadProps;
use crate::ui::bridge::download_text;
use crate::ui::format;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[component]
pub fn StatusesPanel(props: &RereadProps) -> Html {
    let lang = props.lang;
    let r = props.report.clone();
    if r.statuses.is_empty() && r.guests.is_none() {
        return html! {};
    }
    let symbol = format::currency_symbol(r.currency.as_deref());
    let rows = r.statuses.iter().enumerate().map(|(i, s)| {
        let onchange = {
            let (onreparse, options_read, r, status) = (props.onreparse.clone(), props.options.clone(), r.clone(), s.status.clone());
            Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                // The whole list as shown, with this status changed: from then on the user's list.
                let mut left: Vec<String> =
                    r.statuses.iter().filter(|x| x.excluded && x.status != status).map(|x| x.status.clone()).collect();
                if on {
                    left.push(status.clone());
                }
                let mut options = (*options_read).clone();
                options.exclude_statuses = Some(left);
                onreparse.emit(options);
            })
        };
        let label = if s.status.is_empty() { lang.texts().statuses_empty.to_string() } else { s.status.clone() };
        html! {
            <tr key={i} class={classes!(s.excluded.then_some("excluded"))}>
                <td><label><input type="checkbox" checked={s.excluded} {onchange} data-testid={format!("status-{i}")} />{ " " }{ label }</label></td>
                <td class="num" data-testid={format!("status-rows-{i}")}>{ format::int(s.rows) }</td>
                <td class="num">{ format!("{symbol}{}", format::money(s.amount)) }</td>
            </tr>
        }
    });
    let guests = r.guests.as_ref().map(|g| {
        let (name, lines) = (r.file.clone(), r.guest_lines.clone());
        let download = Callback::from(move |_: MouseEvent| {
            let mut text = String::from("row\n");
            for line in &lines {
                text.push_str(&format!("{line}\n"));
            }
            download_text(&format!("{name}.guest-rows.csv"), &text, "text/csv;charset=utf-8");
        });
        // Their amount where the file has amounts (a visit log has none to add up).
        let amount = r.totals.revenue.map(|_| format!("{symbol}{}", format::money(g.revenue)));
        html! {
            <p class="guests" data-testid="guests">
                { match (lang, amount) {
                    (crate::ui::i18n::Lang::Zh, Some(a)) => format!("{} 行（{:.0}%，金额 {a}）没有客户ID：是游客订单，不计入客户分析。", format::int(g.rows), g.share * 100.0),
                    (crate::ui::i18n::Lang::Zh, None) => format!("{} 行（{:.0}%）没有客户ID：是游客订单，不计入客户分析。", format::int(g.rows), g.share * 100.0),
                    (crate::ui::i18n::Lang::En, Some(a)) => format!("{} lines ({:.0}%, {a}) have no customer id: guest orders, left out of the customer analyses.", format::int(g.rows), g.share * 100.0),
                    (crate::ui::i18n::Lang::En, None) => format!("{} lines ({:.0}%) have no customer id: guest orders, left out of the customer analyses.", format::int(g.rows), g.share * 100.0),
                } }
                { " " }
                <button class="link" onclick={download} data-testid="download-guests">{ lang.texts().statuses_download_their_lines }</button>
            </p>
        }
    });
    html! {
        <section class="card" data-testid="statuses">
            <h2>{ lang.texts().statuses_rows_left_out }</h2>
            if !r.statuses.is_empty() {
                <p class="hint">{ lang.texts().statuses_hint }</p>
                <div class="table-wrap" tabindex="0">
                    <table class="statuses">
                        <thead><tr>
                            <th>{ lang.texts().statuses_order_status_ticked_left_out }</th>
                            <th class="num">{ lang.texts().statuses_rows }</th>
                            <th class="num">{ lang.texts().statuses_amount }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            { for guests }
        </section>
    }
}
