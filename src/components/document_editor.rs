//! The DatabaseDocument editor: a structured view (Id, Disabled, Settings
//! and SecuredSettings as key/value tables, secrets masked until revealed
//! one by one) and a raw JSON view, both editing one JSON text, so they are
//! always in sync. Invalid JSON shows line and column and is never lost.

use crate::{
    api::wire3x::DatabaseDocument,
    components::field::SecretInput,
    forms::backup::{document_text, parse_document},
};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Structured,
    Raw,
}

/// What the editor shows: the fields, the raw JSON, or the notice that
/// stands in for raw JSON holding secrets until the admin asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Structured,
    Raw,
    RawLocked,
}

/// Which of the two key/value tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Settings,
    Secured,
}

impl Table {
    fn map(self, doc: &mut DatabaseDocument) -> &mut std::collections::BTreeMap<String, String> {
        match self {
            Table::Settings => &mut doc.settings,
            Table::Secured => &mut doc.secured_settings,
        }
    }
    fn get(self, doc: &DatabaseDocument) -> &std::collections::BTreeMap<String, String> {
        match self {
            Table::Settings => &doc.settings,
            Table::Secured => &doc.secured_settings,
        }
    }
    fn label(self) -> &'static str {
        match self {
            Table::Settings => "Settings",
            Table::Secured => "SecuredSettings",
        }
    }
    fn id(self) -> &'static str {
        match self {
            Table::Settings => "settings",
            Table::Secured => "secured",
        }
    }
}

/// The editor. `text` is the document's JSON; every edit calls `set_text`.
#[component]
pub fn DocumentEditor(
    /// The document's JSON text.
    text: Signal<String>,
    /// Receives the edited text.
    set_text: Callback<String>,
    /// When true, a JSON error is marked invalid (after a send attempt).
    invalid: Signal<bool>,
) -> impl IntoView {
    let view_mode = RwSignal::new(View::Structured);
    let raw_unlocked = RwSignal::new(false);
    let parsed = Memo::new(move |_| parse_document(&text.get()));
    let has_secrets = move || {
        parsed.with(|p| match p {
            Ok(doc) => doc.secured_settings.values().any(|v| !v.is_empty()),
            // Unknown: treat as possibly secret (the text is already shown).
            Err(_) => false,
        })
    };
    let edit = move |f: &dyn Fn(&mut DatabaseDocument)| {
        if let Ok(mut doc) = parsed.get_untracked() {
            f(&mut doc);
            set_text.run(document_text(&doc));
        }
    };
    let json_error = move || parsed.with(|p| p.as_ref().err().map(|e| e.to_string()));
    // A memo: typing re-renders nothing unless the panel changes, so the
    // textarea keeps the admin's text (and caret) as they type a secret.
    let panel = Memo::new(move |_| match view_mode.get() {
        View::Raw if has_secrets() && !raw_unlocked.get() => Panel::RawLocked,
        View::Raw => Panel::Raw,
        View::Structured => Panel::Structured,
    });

    view! {
        <div class="doc-editor">
            <div class="radio-row" role="radiogroup" aria-label="Edit the document as">
                <label class="radio">
                    <input
                        type="radio"
                        name="doc-view"
                        prop:checked=move || view_mode.get() == View::Structured
                        on:change=move |_| view_mode.set(View::Structured)
                    />
                    "Fields and tables"
                </label>
                <label class="radio">
                    <input
                        type="radio"
                        name="doc-view"
                        prop:checked=move || view_mode.get() == View::Raw
                        on:change=move |_| view_mode.set(View::Raw)
                    />
                    "Raw JSON"
                </label>
            </div>
            {move || match panel.get() {
                Panel::RawLocked => {
                    view! {
                        <div class="panel">
                            <p>"The raw JSON shows the secured settings' values in plain text."</p>
                            <button
                                type="button"
                                class="secondary"
                                on:click=move |_| raw_unlocked.set(true)
                            >
                                "Show the raw JSON, secrets included"
                            </button>
                        </div>
                    }
                        .into_any()
                }
                Panel::Raw => {
                    view! {
                        <label for="doc-json">"DatabaseDocument (JSON)"</label>
                        // It can hold decrypted secrets: no spellcheck service, no autofill.
                        <textarea
                            id="doc-json"
                            rows="16"
                            spellcheck="false"
                            autocomplete="off"
                            prop:value=move || text.get()
                            on:input:target=move |ev| {
                                raw_unlocked.set(true);
                                set_text.run(ev.target().value())
                            }
                            aria-invalid=move || {
                                (invalid.get() && json_error().is_some()).to_string()
                            }
                            aria-describedby="doc-json-error"
                        ></textarea>
                        <p id="doc-json-error" class="field-error">
                            {move || {
                                json_error()
                                    .map(|e| {
                                        format!(
                                            "Invalid JSON at {e}. Your text is kept; fix it to continue.",
                                        )
                                    })
                            }}
                        </p>
                    }
                        .into_any()
                }
                Panel::Structured => view! { <StructuredEditor parsed edit /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn StructuredEditor(
    parsed: Memo<Result<DatabaseDocument, crate::forms::JsonError>>,
    edit: impl Fn(&dyn Fn(&mut DatabaseDocument)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        {move || {
            parsed
                .with(|p| {
                    p.as_ref()
                        .err()
                        .map(|e| {
                            view! {
                                <p class="field-error" role="alert">
                                    {format!(
                                        "The JSON has an error at {e}. Fix it in the Raw JSON view; the fields below show the last valid document.",
                                    )}
                                </p>
                            }
                        })
                })
        }}
        <Show when=move || parsed.with(|p| p.is_ok())>
            <div class="field-row">
                <div>
                    <label for="doc-id">"Id"</label>
                    <input
                        id="doc-id"
                        type="text"
                        spellcheck="false"
                        prop:value=move || {
                            parsed
                                .with(|p| {
                                    p.as_ref().ok().and_then(|d| d.id.clone()).unwrap_or_default()
                                })
                        }
                        on:change:target=move |ev| {
                            let v = ev.target().value();
                            edit(&|d| d.id = (!v.trim().is_empty()).then(|| v.clone()));
                        }
                    />
                    <p class="hint">"Empty means null: the server names it after the database."</p>
                </div>
                <label class="radio">
                    <input
                        type="checkbox"
                        prop:checked=move || parsed.with(|p| p.as_ref().is_ok_and(|d| d.disabled))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            edit(&|d| d.disabled = on);
                        }
                    />
                    "Start a database restored from this backup disabled"
                </label>
            </div>
            <KeyValueTable parsed edit table=Table::Settings />
            <KeyValueTable parsed edit table=Table::Secured />
        </Show>
    }
}

#[component]
fn KeyValueTable(
    parsed: Memo<Result<DatabaseDocument, crate::forms::JsonError>>,
    edit: impl Fn(&dyn Fn(&mut DatabaseDocument)) + Copy + Send + Sync + 'static,
    table: Table,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let descending = RwSignal::new(false);
    let revealed = RwSignal::new(BTreeSet::<String>::new());
    let new_key = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::new());
    let add_error = RwSignal::new(None::<String>);
    let secret = table == Table::Secured;
    let keys = move || {
        let f = filter.get().to_lowercase();
        let mut keys: Vec<String> = parsed.with(|p| match p {
            Ok(doc) => table
                .get(doc)
                .keys()
                .filter(|k| k.to_lowercase().contains(&f))
                .cloned()
                .collect(),
            Err(_) => Vec::new(),
        });
        if descending.get() {
            keys.reverse();
        }
        keys
    };
    let value_of = move |key: &str| {
        parsed.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|d| table.get(d).get(key).cloned())
                .unwrap_or_default()
        })
    };
    let add = move |_| {
        let key = new_key.get().trim().to_string();
        if key.is_empty() {
            add_error.set(Some("Enter the setting's name.".into()));
            return;
        }
        if parsed.with_untracked(|p| p.as_ref().is_ok_and(|d| table.get(d).contains_key(&key))) {
            add_error.set(Some(format!(
                "“{key}” is already in the table; edit it there."
            )));
            return;
        }
        let value = new_value.get();
        edit(&|d| {
            table.map(d).insert(key.clone(), value.clone());
        });
        add_error.set(None);
        new_key.set(String::new());
        new_value.set(String::new());
    };
    let title_id = format!("{}-title", table.id());
    let labelledby = title_id.clone();
    let filter_id = format!("{}-filter", table.id());
    let new_key_id = format!("{}-new-key", table.id());
    let new_value_id = format!("{}-new-value", table.id());
    let add_error_id = format!("{}-add-error", table.id());
    view! {
        <section class="kv" aria-labelledby=labelledby>
            <h3 id=title_id>
                {table.label()}
                {secret
                    .then(|| {
                        view! {
                            <span class="hint">
                                " (values masked until revealed; reveal one to change it)"
                            </span>
                        }
                    })}
            </h3>
            <div class="kv-tools">
                <label for=filter_id.clone()>{format!("Filter {}", table.label())}</label>
                <input
                    id=filter_id
                    type="search"
                    prop:value=move || filter.get()
                    on:input:target=move |ev| filter.set(ev.target().value())
                />
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| descending.update(|d| *d = !*d)
                    aria-label=move || {
                        format!(
                            "Sort {} {}",
                            table.label(),
                            if descending.get() { "A to Z" } else { "Z to A" },
                        )
                    }
                >
                    {move || if descending.get() { "Sorted Z→A" } else { "Sorted A→Z" }}
                </button>
            </div>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <For each=keys key=|k| k.clone() let:key>
                        {
                            let key_for_value = key.clone();
                            let key_for_input = key.clone();
                            let key_for_reveal = key.clone();
                            let key_for_reveal2 = key.clone();
                            let key_for_rename = key.clone();
                            let key_for_remove = key.clone();
                            let is_revealed = move || {
                                revealed.with(|r| r.contains(&key_for_reveal))
                            };
                            view! {
                                <tr>
                                    <td>
                                        <input
                                            type="text"
                                            spellcheck="false"
                                            aria-label=format!("Name of {key}")
                                            prop:value=key.clone()
                                            on:change:target=move |ev| {
                                                let new_name = ev.target().value().trim().to_string();
                                                let old = key_for_rename.clone();
                                                if new_name.is_empty() || new_name == old {
                                                    return;
                                                }
                                                edit(
                                                    &|d| {
                                                        let map = table.map(d);
                                                        if let Some(v) = map.remove(&old) {
                                                            map.insert(new_name.clone(), v);
                                                        }
                                                    },
                                                );
                                            }
                                        />
                                    </td>
                                    <td>
                                        {
                                            let value = Signal::derive(move || value_of(
                                                &key_for_value,
                                            ));
                                            let on_input = Callback::new(move |v: String| {
                                                let k = key_for_input.clone();
                                                edit(
                                                    &|d| {
                                                        table.map(d).insert(k.clone(), v.clone());
                                                    },
                                                );
                                            });
                                            let label = format!("Value of {key}");
                                            if secret {
                                                // One fixed mask, whatever the secret's length.
                                                view! {
                                                    <SecretInput
                                                        aria_label=label
                                                        value
                                                        on_input
                                                        revealed=Signal::derive(is_revealed)
                                                    />
                                                }
                                                    .into_any()
                                            } else {
                                                view! {
                                                    <input
                                                        type="text"
                                                        spellcheck="false"
                                                        autocomplete="off"
                                                        aria-label=label
                                                        prop:value=move || value.get()
                                                        on:input:target=move |ev| on_input.run(ev.target().value())
                                                    />
                                                }
                                                    .into_any()
                                            }
                                        }
                                    </td>
                                    <td class="row-actions">
                                        {secret
                                            .then(|| {
                                                let k = key_for_reveal2.clone();
                                                let k2 = k.clone();
                                                let shown = Memo::new(move |_| {
                                                    revealed.with(|r| r.contains(&k2))
                                                });
                                                view! {
                                                    <button
                                                        type="button"
                                                        class="secondary"
                                                        aria-pressed=move || shown.get().to_string()
                                                        aria-label=format!("Reveal the value of {k}")
                                                        on:click=move |_| {
                                                            revealed
                                                                .update(|r| {
                                                                    if !r.remove(&k) {
                                                                        r.insert(k.clone());
                                                                    }
                                                                })
                                                        }
                                                    >
                                                        {move || if shown.get() { "Hide" } else { "Reveal" }}
                                                    </button>
                                                }
                                            })}
                                        <button
                                            type="button"
                                            class="secondary"
                                            aria-label=format!("Remove {key}")
                                            on:click=move |_| {
                                                let k = key_for_remove.clone();
                                                edit(
                                                    &|d| {
                                                        table.map(d).remove(&k);
                                                    },
                                                );
                                            }
                                        >
                                            "Remove"
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <Show when=move || parsed.with(|p| p.as_ref().is_ok_and(|d| table.get(d).is_empty()))>
                <p class="hint">{format!("No {} yet.", table.label())}</p>
            </Show>
            <div class="kv-add">
                <div>
                    <label for=new_key_id
                        .clone()>
                        {format!("New {} name", if secret { "secured setting" } else { "setting" })}
                    </label>
                    <input
                        id=new_key_id
                        type="text"
                        spellcheck="false"
                        prop:value=move || new_key.get()
                        on:input:target=move |ev| new_key.set(ev.target().value())
                        aria-invalid=move || add_error.get().is_some().to_string()
                        aria-describedby=add_error_id.clone()
                    />
                </div>
                <div>
                    <label for=new_value_id.clone()>"Value"</label>
                    {if secret {
                        view! {
                            <SecretInput
                                id=new_value_id
                                value=new_value
                                typed=true
                                revealed=false
                                on_input=Callback::new(move |v: String| new_value.set(v))
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <input
                                id=new_value_id
                                type="text"
                                autocomplete="off"
                                spellcheck="false"
                                prop:value=move || new_value.get()
                                on:input:target=move |ev| new_value.set(ev.target().value())
                            />
                        }
                            .into_any()
                    }}
                </div>
                <button type="button" class="secondary" on:click=add>
                    {format!("Add {}", if secret { "secured setting" } else { "setting" })}
                </button>
            </div>
            <p id=add_error_id class="field-error">
                {move || add_error.get()}
            </p>
        </section>
    }
}
