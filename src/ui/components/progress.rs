//! The progress bar shown while the worker reads a file.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub name: AttrValue,
    pub label: AttrValue,
    /// 0..1 within the stage.
    pub fraction: f64,
}

#[component]
pub fn ProgressBar(props: &ProgressProps) -> Html {
    let percent = (props.fraction.clamp(0.0, 1.0) * 100.0).round();
    html! {
        <section class="card progress" data-testid="progress" aria-busy="true">
            <div class="progress-label"><span>{ &props.label }</span><span class="muted">{ &props.name }</span></div>
            <div class="progress-track" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent.to_string()}>
                // An SVG bar: its width is an attribute, so the page needs no inline styles (CSP).
                <svg class="progress-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
                    <rect class="progress-fill" width={percent.to_string()} height="1" />
                </svg>
            </div>
        </section>
    }
}
