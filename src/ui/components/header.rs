//! The top bar: name, language switch, the privacy promise and "clear data".

use crate::ui::context::AppContext;
use crate::ui::i18n::Lang;
use yew::prelude::*;

#[component]
pub fn Header() -> Html {
    let ctx = use_context::<AppContext>().expect("AppContext is provided by App"); // invariant: App provides it
    let lang = ctx.state.lang;
    let t = lang.texts();
    let set_lang = |l: Lang| {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.set_lang(l))
    };
    let clear = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.clear())
    };
    html! {
        <header class="topbar">
            <div class="container topbar-inner">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{ "◆" }</span>
                    <span class="name">{ "客户洞察" }</span>
                    <span class="name-en">{ "loyalty-lens" }</span>
                    <span class="tagline">{ t.tagline }</span>
                </div>
                <div class="actions">
                    if ctx.state.ingest.report.is_some() {
                        <button class="ghost" onclick={clear} data-testid="clear">{ t.clear_data }</button>
                    }
                    <div class="lang" role="group" aria-label="language">
                        <button class={classes!((lang == Lang::Zh).then_some("active"))} onclick={set_lang(Lang::Zh)} data-testid="lang-zh">{ "中文" }</button>
                        <button class={classes!((lang == Lang::En).then_some("active"))} onclick={set_lang(Lang::En)} data-testid="lang-en">{ "EN" }</button>
                    </div>
                </div>
            </div>
            <div class="privacy" data-testid="privacy"><div class="container">{ t.privacy }</div></div>
        </header>
    }
}
