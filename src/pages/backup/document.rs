//! Which DatabaseDocument goes into a 3.x backup: the stored one (the
//! server reads it), the stored one loaded here and edited, or one written
//! here, with the editor; and the question asked when the target changes
//! under an edited document.

use super::v3_state::BackupState;
use crate::{
    api::wire3x::DatabaseDocument,
    components::document_editor::DocumentEditor,
    forms::{
        backup::{blank_document, document_text, BackupTarget, DocumentChoice, SecretsDecision},
        document_origin::{target_words, DocumentOrigin},
    },
};
use leptos::prelude::*;

/// Which DatabaseDocument goes into the backup, and its editor.
#[component]
pub fn DocumentPanel(
    /// The screen's state.
    state: BackupState,
    /// The chosen database's stored document, once read.
    stored: Memo<Option<DatabaseDocument>>,
) -> impl IntoView {
    let choice = Memo::new(move |_| state.form.with(|f| f.choice));
    let choose = move |choice: DocumentChoice| {
        state.form.update(|f| {
            f.choice = choice;
            // A decision about secrets is about one document: ask again.
            f.decision = SecretsDecision::Undecided;
        });
        match choice {
            DocumentChoice::EditStored => load_stored_into_editor(state, stored),
            DocumentChoice::WriteNew
                if state
                    .form
                    .with_untracked(|f| f.document_text.trim().is_empty()) =>
            {
                let target = state.form.with_untracked(|f| f.target.clone());
                let text = document_text(&blank_document(target.as_ref()));
                state
                    .origin
                    .set(Some(DocumentOrigin::written(target, &text)));
                state.form.update(|f| f.document_text = text);
            }
            _ => {}
        }
    };
    // A stored document that arrives after "edit" was chosen (or after the
    // former target's document was dropped) fills an empty editor.
    Effect::new(move |_| {
        if stored.with(Option::is_some)
            && state.origin.with(Option::is_none)
            && state.form.with_untracked(|f| {
                f.choice == DocumentChoice::EditStored && f.document_text.trim().is_empty()
            })
        {
            load_stored_into_editor(state, stored);
        }
    });
    let options = [
        (DocumentChoice::ServerStored, "Let the server use the stored document",
         "Sends DatabaseDocument: null. The server reads the database's stored document, decrypts its secured settings and writes them into the backup."),
        (DocumentChoice::EditStored, "Load the stored document and edit it",
         "Reads the document from the server (GET /admin/databases/{name}) so you can change what goes into this backup."),
        (DocumentChoice::WriteNew, "Write a document as JSON",
         "Start from an empty document and write exactly what the backup should hold."),
    ];
    view! {
        <fieldset class="panel">
            <legend>"DatabaseDocument stored in the backup"</legend>
            <p class="hint">
                "The backup folder gets a file " <code>"Database.Document"</code>
                " with the database's configuration; a restore uses it to create the database. "
                <strong>"Editing here never changes the database on the server"</strong>
                ": it only shapes what goes into this backup."
            </p>
            <div class="choice-list">
                {options
                    .into_iter()
                    .map(|(option, label, help)| {
                        let id = format!("doc-choice-{option:?}");
                        let help_id = format!("{id}-help");
                        view! {
                            <div class="choice">
                                <input
                                    type="radio"
                                    name="doc-choice"
                                    id=id.clone()
                                    aria-describedby=help_id.clone()
                                    prop:checked=move || choice.get() == option
                                    on:change=move |_| choose(option)
                                />
                                <label for=id>{label}</label>
                                <p id=help_id class="hint">
                                    {help}
                                </p>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <Show when=move || choice.get() != DocumentChoice::ServerStored>
                <div class="actions">
                    <Show when=move || choice.get() == DocumentChoice::EditStored>
                        <button
                            type="button"
                            class="secondary"
                            disabled=move || stored.with(Option::is_none)
                            on:click=move |_| load_stored_into_editor(state, stored)
                        >
                            "Reload the stored document (discards edits)"
                        </button>
                    </Show>
                </div>
                <DocumentEditor
                    text=Signal::from(
                        Memo::new(move |_| state.form.with(|f| f.document_text.clone())),
                    )
                    set_text=Callback::new(move |t: String| {
                        state.form.update(|f| f.document_text = t)
                    })
                    invalid=Signal::derive(move || state.tried.get())
                />
            </Show>
        </fieldset>
    }
}

/// Puts the chosen database's stored document into the editor.
fn load_stored_into_editor(state: BackupState, stored: Memo<Option<DatabaseDocument>>) {
    if let Some(doc) = stored.get_untracked() {
        let text = document_text(&doc);
        let target = state.form.with_untracked(|f| f.target.clone());
        state
            .origin
            .set(Some(DocumentOrigin::loaded(target, &text)));
        state.form.update(|f| f.document_text = text);
    }
}

/// Asked when the target changed under an edited document of another
/// target: discard the edits, or go back to that target. Until then the
/// document is not sent.
#[component]
pub fn DiscardQuestion(
    /// The screen's state.
    state: BackupState,
    /// The target the editor's document belongs to, when it is not the
    /// chosen one.
    foreign: Memo<Option<Option<BackupTarget>>>,
) -> impl IntoView {
    let words = move || {
        let from = foreign.get().flatten();
        let to = state.form.with(|f| f.target.clone());
        (target_words(from.as_ref()), target_words(to.as_ref()))
    };
    view! {
        <Show when=move || foreign.with(Option::is_some)>
            <section
                class="panel confirm"
                role="alertdialog"
                aria-labelledby="discard-doc-title"
                aria-describedby="discard-doc-text"
            >
                <h2 id="discard-doc-title">
                    {move || format!("Discard the edited document of {}?", words().0)}
                </h2>
                <p id="discard-doc-text">
                    {move || {
                        let (from, to) = words();
                        format!(
                            "The editor holds the DatabaseDocument of {from}, with your edits, but the backup is now of {to}. It is never sent with {to}'s backup: discard it (your edits are lost) to use {to}'s own, or go back to {from}.",
                        )
                    }}
                </p>
                <div class="actions">
                    <button type="button" class="danger" on:click=move |_| state.discard_document()>
                        {move || format!("Discard it and use {}", words().1)}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| state.go_back_to_document()
                    >
                        {move || format!("Go back to {}", words().0)}
                    </button>
                </div>
            </section>
        </Show>
    }
}
