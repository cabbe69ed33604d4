//! The key of an encrypted backup for "Verify by restoring" on RavenDB
//! 4.x and later: masked until revealed, kept in the page's memory only
//! (never stored, never in a URL, a log or a notification), and sent only
//! in the scratch restore's request (docs/protocol/ravendb-4x.md#drill-key).

use crate::components::field::SecretInput;
use leptos::prelude::*;

/// The key field with its reveal button. `key` and `shown` live in the
/// screen's memory-only state.
#[component]
pub fn DrillKeyInput(key: RwSignal<String>, shown: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="drill-key">"Backup encryption key (only for an encrypted backup)"</label>
            <SecretInput
                id="drill-key"
                value=Signal::derive(move || key.get())
                typed=true
                revealed=shown
                on_input=Callback::new(move |v: String| key.set(v))
                described_by="drill-key-hint"
            />
            <button
                type="button"
                class="secondary"
                aria-pressed=move || shown.get().to_string()
                on:click=move |_| shown.update(|v| *v = !*v)
            >
                {move || if shown.get() { "Hide the backup key" } else { "Reveal the backup key" }}
            </button>
            <p id="drill-key-hint" class="hint">
                "The base64 key the backup was encrypted with. Kept in this page's memory only, never stored; sent only in the verification's restore request."
            </p>
        </div>
    }
}
