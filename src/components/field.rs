//! Labelled form controls wired the accessible way: a one-line text field
//! with its hint and error (`aria-invalid` while the error shows,
//! `aria-describedby` naming the hint and the error), and a checkbox with
//! its line of help.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's id (the hint and error ids derive from it).
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// One line of help under the field.
    hint: &'static str,
    /// The current text.
    #[prop(into)]
    value: Signal<String>,
    /// Receives every edit.
    on_input: Callback<String>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = format!("{hint_id} {error_id}");
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            <input id=id type="text" autocomplete="off" spellcheck="false"
                prop:value=move || value.get()
                on:input:target=move |ev| on_input.run(ev.target().value())
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described/>
            <p id=hint_id class="hint">{hint}</p>
            <p id=error_id class="field-error">{move || error.get()}</p>
        </div>
    }
}

/// A checkbox, its label and one line of help.
#[component]
pub fn Checkbox(
    /// The input's id (the help id derives from it).
    id: &'static str,
    /// The visible label: what ticking it chooses.
    label: &'static str,
    /// One line of help under it.
    help: &'static str,
    /// Whether it is ticked.
    #[prop(into)]
    checked: Signal<bool>,
    /// Receives every change.
    on_change: Callback<bool>,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    view! {
        <div class="choice">
            <input type="checkbox" id=id aria-describedby=help_id.clone()
                prop:checked=move || checked.get()
                on:change:target=move |ev| on_change.run(ev.target().checked())/>
            <label for=id>{label}</label>
            <p id=help_id class="hint">{help}</p>
        </div>
    }
}
