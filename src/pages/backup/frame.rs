//! The part of the Backup screen that is in the main wasm (docs/size.md,
//! "The split"): the lead and the database name field with the server's
//! databases as suggestions, for each generation, so that the list is shown
//! without waiting for the generation's body (its own wasm file).

use super::v3_state::{BackupState, TargetKind};
use crate::{
    components::flow::DatabaseNameField,
    state::{connection::connected_generation, databases::use_databases},
};
use leptos::prelude::*;

/// The database name field's signals, owned by the frame and passed into
/// the generation's body, which reads and writes them as its form's own.
#[derive(Clone, Copy)]
pub struct NameField {
    /// The name as typed: the generation's screen state's own signal
    /// (app-level, so it survives navigation).
    pub value: RwSignal<String>,
    /// The body's error for the field (a refused start), `None` until it
    /// says one; the frame adds what it can tell by itself.
    pub error: RwSignal<Option<String>>,
}

/// The id of the 3.x form, which the field outside it belongs to (Enter in
/// the field starts the backup, as in the form).
pub const FORM3_ID: &str = "backup-form";

/// The ids of the 3.x and the 4.x+ name fields.
pub const NAME3_ID: &str = "backup-name";
pub const NAME4_ID: &str = "backup4-name";

/// The 3.x frame: the lead, and what to back up (the kind and the name).
#[component]
pub fn Frame3(
    /// A database to preselect (from `#/backup?db=`).
    preselect: Option<String>,
    /// The name field's signals.
    field: NameField,
) -> impl IntoView {
    let state = expect_context::<BackupState>();
    let databases = use_databases();
    if let Some(db) = preselect {
        state.set_target(TargetKind::Database, db);
    }
    let kind = Memo::new(move |_| state.kind.get());
    let name_hint = move || match kind.get() {
        TargetKind::FileSystem => "The name of the file system on the server.".to_string(),
        _ => match (databases.count(), databases.error()) {
            (Some(n), _) => format!("Type to choose among the {n} databases on the server."),
            (_, Some(e)) => format!(
                "The list of databases could not be read: {}",
                crate::present::error::in_one_line(&e)
            ),
            _ => "Reading the list of databases…".to_string(),
        },
    };
    let name_error = move || {
        field.error.get().or_else(|| {
            let name = field.value.with(|n| n.trim().to_string());
            let known = databases
                .names
                .with(|n| n.as_ref().map(|n| n.contains(&name)))?;
            (kind.get() == TargetKind::Database && !name.is_empty() && !known)
                .then(|| format!("There is no database named “{name}” on the server."))
        })
    };
    view! {
        <p class="lead">
            "Start a backup on the server and follow it to the end. Nothing is sent until you press "
            <strong>"Start backup"</strong> "."
        </p>
        <fieldset class="panel" form=FORM3_ID>
            <legend>"What to back up"</legend>
            <div class="radio-row" role="radiogroup" aria-label="Kind of resource">
                {[
                    (TargetKind::Database, "A database"),
                    (TargetKind::System, "The system database"),
                    (TargetKind::FileSystem, "A file system"),
                ]
                    .into_iter()
                    .map(|(k, label)| {
                        view! {
                            <label class="radio">
                                <input
                                    type="radio"
                                    name="backup-kind"
                                    form=FORM3_ID
                                    prop:checked=move || kind.get() == k
                                    on:change=move |_| {
                                        state.set_target(k, state.name.get_untracked())
                                    }
                                />
                                {label}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <Show
                when=move || kind.get() != TargetKind::System
                fallback=|| {
                    view! {
                        <p class="hint">
                            "The system database holds the server's own documents (database records, API keys). It is backed up with POST /admin/backup."
                        </p>
                    }
                }
            >
                <DatabaseNameField
                    id=NAME3_ID
                    form=FORM3_ID
                    label=Signal::derive(move || {
                        if kind.get() == TargetKind::Database { "Database" } else { "File system" }
                    })
                    value=field.value
                    on_input=Callback::new(move |v: String| {
                        state.set_target(kind.get_untracked(), v)
                    })
                    suggest=Signal::derive(move || kind.get() == TargetKind::Database)
                    hint=Signal::derive(name_hint)
                    error=Signal::derive(name_error)
                />
            </Show>
        </fieldset>
    }
}

/// The 4.x+ frame: the lead and the database. Also the frame while the
/// server is being checked (the lead then says what the screen is for).
#[component]
pub fn Frame4(
    /// A database to preselect (from `#/backup?db=`).
    preselect: Option<String>,
    /// The name field's signals.
    field: NameField,
) -> impl IntoView {
    let databases = use_databases();
    if let Some(db) = preselect {
        field.value.set(db);
    }
    let matched = databases.matching(field.value.into());
    let generation = Memo::new(move |_| connected_generation());
    view! {
        <p class="lead">
            {move || match generation.get() {
                Some(g) => {
                    format!(
                        "{} keeps backups as tasks of each database. Run one of them now, or make a one-time backup to a folder on the server.",
                        g.label(),
                    )
                }
                None => "Start a backup on the server and follow it to the end.".to_string(),
            }}
        </p>
        <div class="panel">
            <DatabaseNameField
                id=NAME4_ID
                label="Database"
                value=field.value
                on_input=Callback::new(move |v: String| field.value.set(v))
                suggest=true
                hint=Signal::derive(move || match (
                    databases.error(),
                    databases.count(),
                    matched.get(),
                ) {
                    (Some(e), _, _) => {
                        format!(
                            "The list of databases could not be read: {}",
                            crate::present::error::in_one_line(&e),
                        )
                    }
                    (_, Some(n), None) => {
                        format!("Type to choose among the {n} databases on the server.")
                    }
                    (_, _, Some(db)) => format!("Database {db} on the server."),
                    _ => "Reading the list of databases…".to_string(),
                })
                error=Signal::derive(move || field.error.get())
            />
        </div>
    }
}
