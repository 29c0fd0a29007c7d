//! The line each page opens with: the one question it answers, in bold, and the one action the
//! data suggests (issue 31: guidance for a first-time user).

use yew::prelude::*;

/// `question` and `action` for page `page` (its test id is `guide-<page>`).
pub fn guide(page: &str, question: &str, action: String) -> Html {
    html! {
        <p class="guide" data-testid={format!("guide-{page}")}><strong>{ question.to_string() }</strong>{ " " }{ action }</p>
    }
}
