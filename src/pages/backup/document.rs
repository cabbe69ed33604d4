//! Which DatabaseDocument goes into a 3.x backup: the stored one (the
//! server reads it), the stored one loaded here and edited, or one written
//! here, with the editor.

use super::v3::BackupState;
use crate::{
    api::wire3x::DatabaseDocument,
    components::document_editor::DocumentEditor,
    forms::backup::{blank_document, document_text, DocumentChoice, SecretsDecision},
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
                state.form.update(|f| {
                    f.document_text = document_text(&blank_document(f.target.as_ref()))
                });
            }
            _ => {}
        }
    };
    // A stored document that arrives after "edit" was chosen fills an empty editor.
    Effect::new(move |_| {
        if stored.with(Option::is_some)
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
                {options.into_iter().map(|(option, label, help)| {
                    let id = format!("doc-choice-{option:?}");
                    let help_id = format!("{id}-help");
                    view! {
                        <div class="choice">
                            <input type="radio" name="doc-choice" id=id.clone()
                                aria-describedby=help_id.clone()
                                prop:checked=move || choice.get() == option
                                on:change=move |_| choose(option)/>
                            <label for=id>{label}</label>
                            <p id=help_id class="hint">{help}</p>
                        </div>
                    }
                }).collect_view()}
            </div>
            <Show when=move || choice.get() != DocumentChoice::ServerStored>
                <div class="actions">
                    <Show when=move || choice.get() == DocumentChoice::EditStored>
                        <button type="button" class="secondary"
                            disabled=move || stored.with(Option::is_none)
                            on:click=move |_| load_stored_into_editor(state, stored)>
                            "Reload the stored document (discards edits)"
                        </button>
                    </Show>
                </div>
                <DocumentEditor
                    text=Signal::from(Memo::new(move |_| state.form.with(|f| f.document_text.clone())))
                    set_text=Callback::new(move |t: String| state.form.update(|f| f.document_text = t))
                    invalid=Signal::derive(move || state.tried.get())
                />
            </Show>
        </fieldset>
    }
}

/// Puts the stored document into the editor.
fn load_stored_into_editor(state: BackupState, stored: Memo<Option<DatabaseDocument>>) {
    if let Some(doc) = stored.get_untracked() {
        state.form.update(|f| f.document_text = document_text(&doc));
    }
}
