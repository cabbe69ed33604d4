//! A labelled one-line text field with its hint and its error message,
//! wired the accessible way: `aria-invalid` while the error shows, and
//! `aria-describedby` naming the hint and the error.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's id (the hint and error ids derive from it).
    id: &'static str,
    /// The visible label.
    label: &'static str,
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
            <label for=id>{label}</label>
            <input id=id type="text" autocomplete="off" spellcheck="false"
                prop:value=move || value.get()
                on:input:target=move |ev| on_input.run(ev.target().value())
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described/>
            <p id=hint_id class="hint">{hint}</p>
            <p id=error_id class="field-error">{move || error.get()}</p>
        </div>
    }
}
