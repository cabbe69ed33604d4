//! The sensitive-data warning of a 3.x backup: impossible to miss, and only
//! when true. It names every secret the backup would carry in plain text and
//! blocks sending until the admin acknowledges them or strips them.

use super::v3_state::BackupState;
use crate::{
    api::wire3x::DatabaseDocument,
    forms::backup::{
        names_encryption_key, strip_loses_encryption_key, DocumentChoice, SecretsCarried,
        SecretsDecision,
    },
    present::plural,
};
use leptos::prelude::*;

/// The warning, the acknowledgment and the strip choice.
#[component]
pub fn SecretsWarning(
    /// The screen's state.
    state: BackupState,
    /// The secrets the backup would carry.
    carried: Memo<SecretsCarried>,
    /// The chosen database's stored document, once read.
    stored: Memo<Option<DatabaseDocument>>,
    /// True while the chosen database's stored document is being read.
    checking: Signal<bool>,
) -> impl IntoView {
    let decision = Memo::new(move |_| state.form.with(|f| f.decision.clone()));
    let choice = Memo::new(move |_| state.form.with(|f| f.choice));
    let stripping = move || decision.with(|d| *d == SecretsDecision::Strip);
    view! {
        {move || match carried.get() {
            SecretsCarried::Keys(keys) => {
                let count = keys.len();
                let plural = plural(count);
                let has_encryption_key = names_encryption_key(&keys);
                let acknowledged = move || {
                    decision
                        .with(|d| matches!(d, SecretsDecision::Acknowledged(a) if a.len() == count))
                };
                let keys_for_ack = keys.clone();
                Some(
                    view! {
                        <section
                            class="secrets-warning"
                            role="alert"
                            aria-labelledby="secrets-title"
                        >
                            <h2 id="secrets-title">
                                {format!(
                                    "This backup will contain {count} secret{plural} in plain text",
                                )}
                            </h2>
                            <p>
                                "The server decrypts the database's secured settings and writes them, unencrypted, into "
                                <code>"Database.Document"</code> " in the backup folder:"
                            </p>
                            <ul class="secret-keys">
                                {keys
                                    .into_iter()
                                    .map(|k| {
                                        view! {
                                            <li>
                                                <code>{k}</code>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <p>"Anyone who can read the backup folder can read these values."</p>
                            {has_encryption_key
                                .then(|| {
                                    view! {
                                        <p>
                                            <strong>
                                                "Raven/Encryption/Key is the database's encryption key:"
                                            </strong>
                                            " with it in the backup, the backup can be read without knowing the key."
                                        </p>
                                    }
                                })}
                            <div class="choice">
                                <input
                                    type="checkbox"
                                    id="secrets-ack"
                                    prop:checked=acknowledged
                                    on:change:target=move |ev| {
                                        let on = ev.target().checked();
                                        let keys = keys_for_ack.clone();
                                        state
                                            .form
                                            .update(|f| {
                                                f.decision = if on {
                                                    SecretsDecision::Acknowledged(keys)
                                                } else {
                                                    SecretsDecision::Undecided
                                                };
                                            });
                                    }
                                />
                                <label for="secrets-ack">
                                    {format!(
                                        "I understand: {count} secret{plural} will be written in plain text into this backup",
                                    )}
                                </label>
                            </div>
                            <div class="actions">
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| {
                                        state.form.update(|f| f.decision = SecretsDecision::Strip)
                                    }
                                >
                                    "Strip secured settings from this backup"
                                </button>
                            </div>
                        </section>
                    }
                        .into_any(),
                )
            }
            SecretsCarried::Unknown if choice.get() == DocumentChoice::ServerStored
                && checking.get() => {
                Some(
                    view! {
                        <p class="hint">
                            "Checking the stored document for secured settings before anything can be sent…"
                        </p>
                    }
                        .into_any(),
                )
            }
            _ => None,
        }}
        <Show when=stripping>
            <section class="panel strip-note" aria-labelledby="strip-title">
                <h2 id="strip-title">"Secured settings will be stripped"</h2>
                <p>
                    "The backup's DatabaseDocument is sent with an empty SecuredSettings; no secret is written into the backup."
                </p>
                {move || {
                    stored
                        .with(|doc| {
                            state.form.with(|f| strip_loses_encryption_key(f, doc.as_ref()))
                        })
                        .then(|| {
                            view! {
                                <p class="warning-text" role="alert">
                                    <strong>"This database is encrypted."</strong>
                                    " Without Raven/Encryption/Key the backup cannot be restored: keep the key somewhere safe, and add it to the backup's Database.Document before restoring."
                                </p>
                            }
                        })
                }}
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| state.form.update(|f| f.decision = SecretsDecision::Undecided)
                >
                    "Keep the secured settings after all"
                </button>
            </section>
        </Show>
    }
}
