//! Long lists of groups a page at a time: a column with tens of thousands of labels (product names
//! mapped as the channel or the member level, say) would otherwise put that many rows in the page
//! at once and hold the main thread for a minute.

use crate::ui::format;
use crate::ui::i18n::Lang;
use yew::prelude::*;

/// Rows shown at first, and added by each "show more".
pub const PAGE: usize = 50;

/// How many rows of a list are shown; starts at [`PAGE`].
#[hook]
pub fn use_shown() -> UseStateHandle<usize> {
    use_state(|| PAGE)
}

/// Under a list of `total` rows cut at `shown`: how many are shown and a button for the next page;
/// nothing when all are shown.
pub fn more(lang: Lang, total: usize, shown: &UseStateHandle<usize>, testid: &str) -> Html {
    let now = (**shown).min(total);
    if now >= total {
        return html! {};
    }
    let onclick = {
        let shown = shown.clone();
        move |_: MouseEvent| shown.set(now + PAGE)
    };
    let (of, button) = if lang == Lang::Zh {
        (format!("显示前 {} 个，共 {} 个", format::int(now as u64), format::int(total as u64)), format!("再显示 {PAGE} 个"))
    } else {
        (format!("First {} of {} shown", format::int(now as u64), format::int(total as u64)), format!("Show {PAGE} more"))
    };
    html! {
        <p class="hint more" data-testid={testid.to_string()}>
            { of }{ " " }<button class="button" {onclick}>{ button }</button>
        </p>
    }
}
