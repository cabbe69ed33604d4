//! Labelled form controls wired the accessible way: a one-line text field
//! with its hint and error (`aria-invalid` while the error shows,
//! `aria-describedby` naming the hint and the error), a checkbox with its
//! line of help, a secret's input with one fixed mask, and a secret's whole
//! field (label, masked input, reveal button, hint and error).

use crate::forms::MASK;
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
    /// The `autocomplete` hint ("username"); "off" when not given.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = format!("{hint_id} {error_id}");
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            <input
                id=id
                type="text"
                autocomplete=autocomplete.unwrap_or("off")
                spellcheck="false"
                // The text it is built with, at once: tachys sets the `value`
                // property in a microtask, so without it a field built anew
                // (the sign-in form back after a sign-out) shows nothing
                // until then (tests/signin.rs). `prop:value` follows edits.
                value=value.get_untracked()
                prop:value=move || value.get()
                on:input:target=move |ev| on_input.run(ev.target().value())
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described
            />
            <p id=hint_id class="hint">
                {hint}
            </p>
            <p id=error_id class="field-error">
                {move || error.get()}
            </p>
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
            <input
                type="checkbox"
                id=id
                aria-describedby=help_id.clone()
                prop:checked=move || checked.get()
                on:change:target=move |ev| on_change.run(ev.target().checked())
            />
            <label for=id>{label}</label>
            <p id=help_id class="hint">
                {help}
            </p>
        </div>
    }
}

/// A secret's value (a secured setting, an encryption key): masked with one
/// fixed mask ([`MASK`]) whatever its length, so the mask tells nothing
/// about the secret; in plain text once revealed. A masked value is not
/// put into the page at all: it is edited once revealed, or, for a value
/// the admin types (`typed`), typed over while the field has focus (a
/// password field then: the admin's own keystrokes show as dots).
#[component]
pub fn SecretInput(
    /// The input's id, when a `<label for>` names it.
    #[prop(optional, into)]
    id: Option<String>,
    /// The accessible name, when no `<label>` names it.
    #[prop(optional, into)]
    aria_label: Option<String>,
    /// The secret.
    #[prop(into)]
    value: Signal<String>,
    /// Receives every edit.
    on_input: Callback<String>,
    /// Shown in plain text.
    #[prop(into)]
    revealed: Signal<bool>,
    /// The admin types this value: it can be typed over while focused.
    #[prop(optional)]
    typed: bool,
    /// The ids of the hint and error, if any.
    #[prop(optional, into)]
    described_by: Option<String>,
    /// Marked invalid.
    #[prop(optional, into)]
    invalid: MaybeProp<bool>,
) -> impl IntoView {
    let focused = RwSignal::new(false);
    let masked = Memo::new(move |_| {
        let shown = revealed.get() || (typed && focused.get());
        !shown && !value.with(String::is_empty)
    });
    view! {
        <input
            id=id
            aria-label=aria_label
            autocomplete="off"
            spellcheck="false"
            type=move || if revealed.get() { "text" } else { "password" }
            readonly=move || masked.get()
            prop:value=move || if masked.get() { MASK.to_string() } else { value.get() }
            on:focus=move |_| focused.set(true)
            on:blur=move |_| focused.set(false)
            on:input:target=move |ev| {
                if !masked.get_untracked() {
                    on_input.run(ev.target().value());
                }
            }
            aria-invalid=move || invalid.get().unwrap_or(false).to_string()
            aria-describedby=described_by
        />
    }
}

/// A secret the admin types, as one labelled field: its [`SecretInput`]
/// (masked unless revealed, typed over while focused), a button that
/// reveals or hides it, one line of help and its error (`aria-invalid`
/// while the error shows, `aria-describedby` naming the hint and the error).
#[component]
pub fn SecretField(
    /// The input's id (the hint and error ids derive from it).
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// One line of help under the field.
    hint: &'static str,
    /// What the reveal button reveals ("the secret", "the key").
    what: &'static str,
    /// The secret.
    #[prop(into)]
    value: Signal<String>,
    /// Receives every edit.
    on_input: Callback<String>,
    /// Shown in plain text (the reveal button flips it).
    revealed: RwSignal<bool>,
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
            <SecretInput
                id=id
                value=value
                typed=true
                revealed=revealed
                on_input=on_input
                invalid=Signal::derive(move || error.with(Option::is_some))
                described_by=described
            />
            <button
                type="button"
                class="secondary"
                aria-pressed=move || revealed.get().to_string()
                on:click=move |_| revealed.update(|v| *v = !*v)
            >
                {move || {
                    if revealed.get() { format!("Hide {what}") } else { format!("Reveal {what}") }
                }}
            </button>
            <p id=hint_id class="hint">
                {hint}
            </p>
            <p id=error_id class="field-error">
                {move || error.get()}
            </p>
        </div>
    }
}
