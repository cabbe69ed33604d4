//! The Backup screen: pick what to back up, where and how, decide exactly
//! which DatabaseDocument goes into the backup (with an honest warning about
//! the secrets it carries), review the exact request, start it once, and
//! follow it to its true end.

use crate::{
    api::{
        client::Client,
        poll::{PollConfig, WatchTarget, Watched},
        remembered::RememberedOperation,
        watch::{watch_operation, OperationWatch},
        wire3x::DatabaseDocument,
        ApiError,
    },
    app::Connection,
    components::{
        connection::{connected_generation, connected_is_v3, database_list},
        document_editor::DocumentEditor,
        error_view::ErrorView,
        focus_first_invalid,
        operation_progress::OperationProgress,
        request_review::RequestReview,
    },
    forms::backup::{
        blank_document, build_backup_request, document_text, incremental_support,
        same_drive_warning, secrets_carried, strip_loses_encryption_key, BackupField, BackupForm,
        BackupTarget, DocumentChoice, IncrementalSupport, SecretsCarried, SecretsDecision,
        ENCRYPTION_KEY,
    },
    operations_store,
};
use leptos::prelude::*;

/// What kind of resource is backed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Database,
    System,
    FileSystem,
}

/// A backup that was started and is being followed.
#[derive(Clone)]
pub struct RunningBackup {
    pub watch: OperationWatch,
    pub subject: String,
    pub location: String,
    pub kill: Option<(Client, i64)>,
}

/// The Backup screen's state. It lives at the app level so what the user
/// typed survives navigation; it is memory only (secrets never reach
/// storage).
#[derive(Clone, Copy)]
pub struct BackupState {
    pub kind: RwSignal<TargetKind>,
    pub name: RwSignal<String>,
    pub form: RwSignal<BackupForm>,
    pub running: RwSignal<Option<RunningBackup>>,
    pub start_error: RwSignal<Option<ApiError>>,
    pub starting: RwSignal<bool>,
    /// Set after the first attempt to start: problems are shown from then on.
    pub tried: RwSignal<bool>,
    /// The app-level owner: watches belong to it, so they outlive the
    /// screen (navigation) and the progress panel that shows them.
    owner: StoredValue<Owner>,
}

impl BackupState {
    pub fn new() -> Self {
        BackupState {
            kind: RwSignal::new(TargetKind::Database),
            name: RwSignal::new(String::new()),
            form: RwSignal::new(BackupForm::default()),
            running: RwSignal::new(None),
            start_error: RwSignal::new(None),
            starting: RwSignal::new(false),
            tried: RwSignal::new(false),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    /// The target as chosen (tracked).
    fn target(&self) -> Option<BackupTarget> {
        let name = self.name.get().trim().to_string();
        match self.kind.get() {
            TargetKind::System => Some(BackupTarget::System),
            _ if name.is_empty() => None,
            TargetKind::Database => Some(BackupTarget::Database(name)),
            TargetKind::FileSystem => Some(BackupTarget::FileSystem(name)),
        }
    }
}

impl Default for BackupState {
    fn default() -> Self {
        Self::new()
    }
}

/// The stored document of the chosen database, as read from the server.
type StoredResource = LocalResource<Option<(String, Result<DatabaseDocument, ApiError>)>>;

fn stored_doc(stored: &StoredResource) -> Option<DatabaseDocument> {
    match stored.get() {
        Some(Some((_, Ok(doc)))) => Some(doc),
        _ => None,
    }
}

/// The Backup screen for the connected server's protocol generation.
#[component]
pub fn BackupPage(
    /// A database to preselect (from `#/backup?db=`).
    preselect: Option<String>,
) -> impl IntoView {
    let is_v4 = Memo::new(move |_| {
        matches!(
            connected_generation(),
            Some(crate::api::version::Generation::V4Plus { .. })
        )
    });
    move || {
        let preselect = preselect.clone();
        if is_v4.get() {
            view! { <super::backup4::Backup4Page preselect/> }.into_any()
        } else {
            view! { <Backup3Page preselect/> }.into_any()
        }
    }
}

/// The RavenDB 3.x Backup screen.
#[component]
fn Backup3Page(
    /// A database to preselect (from `#/backup?db=`).
    preselect: Option<String>,
) -> impl IntoView {
    let conn = expect_context::<Connection>();
    let state = expect_context::<BackupState>();
    if let Some(db) = preselect {
        state.kind.set(TargetKind::Database);
        state.name.set(db);
    }

    let databases = database_list(conn);
    let database_names = Memo::new(move |_| match databases.get() {
        Some(Some(Ok(list))) => Some(list.into_iter().map(|d| d.name).collect::<Vec<_>>()),
        _ => None,
    });
    // The chosen database, once it names one that exists (one read, not one
    // per keystroke).
    let matched_database = Memo::new(move |_| {
        if state.kind.get() != TargetKind::Database {
            return None;
        }
        let name = state.name.get().trim().to_string();
        database_names
            .get()
            .and_then(|names| names.into_iter().find(|n| *n == name))
    });
    let stored: StoredResource = LocalResource::new(move || {
        let client = conn.client();
        let name = matched_database.get();
        // A 3.x-only read: not before the server said it is 3.x.
        let v3 = connected_is_v3();
        async move {
            let (client, name) = (client.filter(|_| v3)?, name?);
            let result = client
                .database_document(&name)
                .await
                .map(|(doc, _etag)| doc);
            Some((name, result))
        }
    });

    let full_form = Memo::new(move |_| {
        let mut form = state.form.get();
        form.target = state.target();
        form
    });
    let carried = Memo::new(move |_| {
        let stored = stored_doc(&stored);
        secrets_carried(&full_form.get(), stored.as_ref())
    });
    let plan = Memo::new(move |_| {
        let stored = stored_doc(&stored);
        build_backup_request(&full_form.get(), stored.as_ref())
    });
    let problem_for = move |field: BackupField| {
        move || {
            if !state.tried.get() {
                return None;
            }
            plan.with(|p| match p {
                Err(problems) => problems
                    .iter()
                    .find(|p| p.field == field)
                    .map(|p| p.message.clone()),
                Ok(_) => None,
            })
        }
    };
    let busy = move || {
        state.starting.get()
            || state
                .running
                .with(|r| r.as_ref().is_some_and(|r| !r.watch.is_over()))
    };

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // One POST per click: the guard flips before anything else runs.
        if state.starting.get_untracked() || busy() {
            return;
        }
        state.tried.set(true);
        let Ok(request) = plan.get_untracked() else {
            focus_first_invalid();
            return;
        };
        let (Some(client), Some(generation)) =
            (conn.client_untracked(), untrack(connected_generation))
        else {
            state.start_error.set(Some(ApiError::Unreachable {
                url: conn
                    .server_url_untracked()
                    .map(|(u, _)| u)
                    .unwrap_or_default(),
            }));
            return;
        };
        let form = full_form.get_untracked();
        let Some(target) = form.target.clone() else {
            return;
        };
        state.starting.set(true);
        state.start_error.set(None);
        leptos::task::spawn_local(async move {
            let watched = watched_of(&target);
            // The previous run's status, so it is never taken for this one.
            let previous = match &target {
                BackupTarget::System => client.backup_status(None).await,
                BackupTarget::Database(n) => client.backup_status(Some(n)).await,
                BackupTarget::FileSystem(n) => client.fs_backup_status(n).await,
            }
            .ok()
            .flatten()
            .and_then(|s| s.started);
            let started_ms = js_sys::Date::now();
            match client.start_operation(&request.path, &request.body).await {
                Ok(started) => {
                    let mut watch_target =
                        WatchTarget::new(watched.clone(), started.operation_id, generation);
                    watch_target.previous_run_started = previous;
                    let remembered = RememberedOperation::new(
                        &watched,
                        started.operation_id,
                        client.base(),
                        started_ms,
                    );
                    operations_store::remember(remembered);
                    let kill = started
                        .operation_id
                        .filter(|_| generation.supports_kill())
                        .map(|id| (client.clone(), id));
                    let watch = state
                        .owner
                        .get_value()
                        .with(|| watch_operation(client, watch_target, PollConfig::default()));
                    let _ = state.running.try_set(Some(RunningBackup {
                        watch,
                        subject: watched_of(&target).subject(),
                        location: form.location.trim().to_string(),
                        kill,
                    }));
                }
                Err(e) => {
                    let _ = state.start_error.try_set(Some(e));
                }
            }
            let _ = state.starting.try_set(false);
        });
    };

    let attach_to_running = move |_| {
        let (Some(client), Some(generation)) =
            (conn.client_untracked(), untrack(connected_generation))
        else {
            return;
        };
        let Some(target) = full_form.get_untracked().target else {
            return;
        };
        let watched = watched_of(&target);
        let mut watch_target = WatchTarget::new(watched, None, generation);
        // The running backup began before now: accept its status document.
        watch_target.started_after_ms = Some(0.0);
        let watch = state
            .owner
            .get_value()
            .with(|| watch_operation(client, watch_target, PollConfig::default()));
        state.start_error.set(None);
        state.running.set(Some(RunningBackup {
            watch,
            subject: watched_of(&target).subject(),
            location: state.form.get_untracked().location.trim().to_string(),
            kill: None,
        }));
    };

    view! {
        <h1>"Backup"</h1>
        <p class="lead">
            "Start a backup on the server and follow it to the end. Nothing is sent until you press "
            <strong>"Start backup"</strong> "."
        </p>
        <form class="backup-form" on:submit=start novalidate=true>
            <fieldset class="panel">
                <legend>"What to back up"</legend>
                <div class="radio-row" role="radiogroup" aria-label="Kind of resource">
                    {[(TargetKind::Database, "A database"), (TargetKind::System, "The system database"), (TargetKind::FileSystem, "A file system")]
                        .into_iter()
                        .map(|(kind, label)| view! {
                            <label class="radio">
                                <input type="radio" name="backup-kind"
                                    prop:checked=move || state.kind.get() == kind
                                    on:change=move |_| state.kind.set(kind)/>
                                {label}
                            </label>
                        })
                        .collect_view()}
                </div>
                <Show when=move || state.kind.get() != TargetKind::System
                    fallback=|| view! { <p class="hint">"The system database holds the server's own documents (database records, API keys). It is backed up with POST /admin/backup."</p> }>
                    <label for="backup-name">
                        {move || if state.kind.get() == TargetKind::Database { "Database" } else { "File system" }}
                    </label>
                    <input id="backup-name" type="text" autocomplete="off" spellcheck="false"
                        list=move || (state.kind.get() == TargetKind::Database).then_some("backup-db-list")
                        prop:value=move || state.name.get()
                        on:input:target=move |ev| state.name.set(ev.target().value())
                        aria-invalid=move || problem_for(BackupField::Target)().is_some().to_string()
                        aria-describedby="backup-name-hint backup-name-error"/>
                    <datalist id="backup-db-list">
                        {move || database_names.get().unwrap_or_default().into_iter()
                            .map(|n| view! { <option value=n.clone()></option> }).collect_view()}
                    </datalist>
                    <p id="backup-name-hint" class="hint">
                        {move || match (state.kind.get(), databases.get()) {
                            (TargetKind::FileSystem, _) => "The name of the file system on the server.".to_string(),
                            (_, Some(Some(Ok(list)))) => format!("Type to choose among the {} databases on the server.", list.len()),
                            (_, Some(Some(Err(e)))) => format!("The list of databases could not be read: {}", e.user_message()),
                            _ => "Reading the list of databases…".to_string(),
                        }}
                    </p>
                    <p id="backup-name-error" class="field-error">
                        {move || problem_for(BackupField::Target)().or_else(|| {
                            let name = state.name.get();
                            let known = database_names.get()?;
                            (state.kind.get() == TargetKind::Database && !name.trim().is_empty() && !known.iter().any(|n| n == name.trim()))
                                .then(|| format!("There is no database named “{}” on the server.", name.trim()))
                        })}
                    </p>
                </Show>
                {move || match stored.get() {
                    Some(Some((name, Err(e)))) => Some(view! {
                        <div>
                            <p>{format!("The stored document of {name} could not be read:")}</p>
                            <ErrorView error=e/>
                        </div>
                    }),
                    _ => None,
                }}
            </fieldset>

            <fieldset class="panel">
                <legend>"Where"</legend>
                <label for="backup-location">"Backup folder on the server"</label>
                <input id="backup-location" type="text" autocomplete="off" spellcheck="false"
                    placeholder="C:\\Backups\\Northwind"
                    prop:value=move || state.form.get().location
                    on:input:target=move |ev| state.form.update(|f| f.location = ev.target().value())
                    aria-invalid=move || problem_for(BackupField::Location)().is_some().to_string()
                    aria-describedby="backup-location-hint backup-location-error backup-location-warning"/>
                <p id="backup-location-hint" class="hint">
                    "A path on the server's disk, not on this computer. The server writes the backup there."
                </p>
                <p id="backup-location-error" class="field-error">{problem_for(BackupField::Location)}</p>
                <p id="backup-location-warning" class="warning-text">
                    {move || same_drive_warning(&state.form.get().location, stored_doc(&stored).as_ref())}
                </p>
            </fieldset>

            <fieldset class="panel">
                <legend>"Full or incremental"</legend>
                <div class="radio-row">
                    <label class="radio">
                        <input type="radio" name="backup-incremental"
                            prop:checked=move || !state.form.get().incremental
                            on:change=move |_| state.form.update(|f| f.incremental = false)/>
                        "Full backup"
                    </label>
                    <label class="radio">
                        <input type="radio" name="backup-incremental"
                            prop:checked=move || state.form.get().incremental
                            on:change=move |_| state.form.update(|f| f.incremental = true)/>
                        "Incremental backup"
                    </label>
                </div>
                <p class="hint">
                    "A full backup needs an empty or new folder. An incremental backup adds what changed to a folder that already holds this database's backups; it needs "
                    <code>"Raven/Voron/AllowIncrementalBackups=true"</code> " (Voron) or "
                    <code>"Raven/Esent/CircularLog=false"</code> " (Esent) in the database's settings."
                </p>
                {move || (state.form.get().incremental).then(|| match incremental_support(stored_doc(&stored).as_ref()) {
                    IncrementalSupport::NotAllowed(setting) => Some(view! {
                        <p class="warning-text">{format!("This database's settings do not allow incremental backups ({setting}); the server will refuse.")}</p>
                    }),
                    _ => None,
                })}
            </fieldset>

            <Show when=move || state.kind.get() != TargetKind::System>
                <DocumentPanel state stored=stored/>
            </Show>

            <SecretsWarning state carried stored
                checking=Signal::derive(move || matched_database.get().is_some() && stored.get().flatten().is_none())/>

            <RequestReview request=Signal::derive(move || plan.get().ok())/>

            {move || (state.tried.get() && plan.with(|p| p.is_err())).then(|| view! {
                <div class="error-box" role="alert">
                    <p class="error-headline">"The backup cannot start yet:"</p>
                    <ul>
                        {plan.with(|p| match p {
                            Err(problems) => problems.iter().map(|p| view! { <li>{p.message.clone()}</li> }).collect_view().into_any(),
                            Ok(_) => ().into_any(),
                        })}
                    </ul>
                </div>
            })}
            <div class="actions">
                <button type="submit" disabled=busy>
                    {move || if state.starting.get() { "Starting…" } else { "Start backup" }}
                </button>
            </div>
        </form>

        {move || state.start_error.get().map(|e| {
            let already_running = e.server_message().is_some_and(|m| m.contains("Backup is already running"));
            view! {
                <section class="panel" aria-labelledby="start-error-title">
                    <h2 id="start-error-title">"The server did not start the backup"</h2>
                    {already_running.then(|| view! {
                        <p><strong>"A backup of this database is already running on the server."</strong>
                           " Only one backup of a database can run at a time. You can follow the running one:"</p>
                        <button type="button" on:click=attach_to_running>"Attach to the running backup"</button>
                    })}
                    <ErrorView error=e/>
                </section>
            }
        })}

        {move || state.running.get().map(|r| view! {
            <OperationProgress
                watch=r.watch
                noun="Backup"
                subject=r.subject.clone()
                success_note=Some(format!("The backup is in {} on the server.", r.location))
                kill=r.kill.clone()
            />
        })}
    }
}

/// Which DatabaseDocument goes into the backup, and its editor.
#[component]
fn DocumentPanel(state: BackupState, stored: StoredResource) -> impl IntoView {
    let choose = move |choice: DocumentChoice| {
        state.form.update(|f| {
            f.choice = choice;
            // A decision about secrets is about one document: ask again.
            f.decision = SecretsDecision::Undecided;
        });
        match choice {
            DocumentChoice::EditStored => load_stored_into_editor(state, &stored),
            DocumentChoice::WriteNew
                if state
                    .form
                    .with_untracked(|f| f.document_text.trim().is_empty()) =>
            {
                let target = state.target_untracked();
                state
                    .form
                    .update(|f| f.document_text = document_text(&blank_document(target.as_ref())));
            }
            _ => {}
        }
    };
    // A stored document that arrives after "edit" was chosen fills an empty editor.
    Effect::new(move |_| {
        if stored_doc(&stored).is_some()
            && state.form.with_untracked(|f| {
                f.choice == DocumentChoice::EditStored && f.document_text.trim().is_empty()
            })
        {
            load_stored_into_editor(state, &stored);
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
                {options.into_iter().map(|(choice, label, help)| {
                    let id = format!("doc-choice-{choice:?}");
                    let help_id = format!("{id}-help");
                    view! {
                        <div class="choice">
                            <input type="radio" name="doc-choice" id=id.clone()
                                aria-describedby=help_id.clone()
                                prop:checked=move || state.form.get().choice == choice
                                on:change=move |_| choose(choice)/>
                            <label for=id>{label}</label>
                            <p id=help_id class="hint">{help}</p>
                        </div>
                    }
                }).collect_view()}
            </div>
            <Show when=move || state.form.get().choice != DocumentChoice::ServerStored>
                <div class="actions">
                    <Show when=move || state.form.get().choice == DocumentChoice::EditStored>
                        <button type="button" class="secondary"
                            disabled=move || stored_doc(&stored).is_none()
                            on:click=move |_| load_stored_into_editor(state, &stored)>
                            "Reload the stored document (discards edits)"
                        </button>
                    </Show>
                </div>
                <DocumentEditor
                    text=Signal::derive(move || state.form.get().document_text)
                    set_text=Callback::new(move |t: String| state.form.update(|f| f.document_text = t))
                    invalid=Signal::derive(move || state.tried.get())
                />
            </Show>
        </fieldset>
    }
}

fn load_stored_into_editor(state: BackupState, stored: &StoredResource) {
    if let Some(Some((name, Ok(mut doc)))) = stored.get_untracked() {
        if doc.id.is_none() {
            doc.id = Some(name);
        }
        state.form.update(|f| f.document_text = document_text(&doc));
    }
}

/// What the polling engine follows for a backup of `target`.
fn watched_of(target: &BackupTarget) -> Watched {
    match target {
        BackupTarget::System => Watched::DatabaseBackup { database: None },
        BackupTarget::Database(n) => Watched::DatabaseBackup {
            database: Some(n.clone()),
        },
        BackupTarget::FileSystem(n) => Watched::FileSystemBackup { fs: n.clone() },
    }
}

impl BackupState {
    fn target_untracked(&self) -> Option<BackupTarget> {
        untrack(|| self.target())
    }
}

/// The sensitive-data warning: impossible to miss, and only when true.
#[component]
fn SecretsWarning(
    state: BackupState,
    carried: Memo<SecretsCarried>,
    stored: StoredResource,
    /// True while the chosen database's stored document is being read.
    checking: Signal<bool>,
) -> impl IntoView {
    let stripping = move || state.form.get().decision == SecretsDecision::Strip;
    view! {
        {move || match carried.get() {
            SecretsCarried::Keys(keys) => {
                let count = keys.len();
                let plural = if count == 1 { "" } else { "s" };
                let has_encryption_key = keys.iter().any(|k| k == ENCRYPTION_KEY);
                let acknowledged = move || matches!(&state.form.get().decision, SecretsDecision::Acknowledged(a) if a.len() == count);
                let keys_for_ack = keys.clone();
                Some(view! {
                    <section class="secrets-warning" role="alert" aria-labelledby="secrets-title">
                        <h2 id="secrets-title">{format!("This backup will contain {count} secret{plural} in plain text")}</h2>
                        <p>
                            "The server decrypts the database's secured settings and writes them, unencrypted, into "
                            <code>"Database.Document"</code> " in the backup folder:"
                        </p>
                        <ul class="secret-keys">
                            {keys.iter().map(|k| view! { <li><code>{k.clone()}</code></li> }).collect_view()}
                        </ul>
                        <p>"Anyone who can read the backup folder can read these values."</p>
                        {has_encryption_key.then(|| view! {
                            <p><strong>"Raven/Encryption/Key is the database's encryption key:"</strong>
                               " with it in the backup, the backup can be read without knowing the key."</p>
                        })}
                        <div class="choice">
                            <input type="checkbox" id="secrets-ack"
                                prop:checked=acknowledged
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    let keys = keys_for_ack.clone();
                                    state.form.update(|f| f.decision = if on { SecretsDecision::Acknowledged(keys) } else { SecretsDecision::Undecided });
                                }/>
                            <label for="secrets-ack">
                                {format!("I understand: {count} secret{plural} will be written in plain text into this backup")}
                            </label>
                        </div>
                        <div class="actions">
                            <button type="button" class="secondary"
                                on:click=move |_| state.form.update(|f| f.decision = SecretsDecision::Strip)>
                                "Strip secured settings from this backup"
                            </button>
                        </div>
                    </section>
                }.into_any())
            }
            SecretsCarried::Unknown if state.form.get().choice == DocumentChoice::ServerStored && checking.get() => Some(view! {
                <p class="hint">"Checking the stored document for secured settings before anything can be sent…"</p>
            }.into_any()),
            _ => None,
        }}
        <Show when=stripping>
            <section class="panel strip-note" aria-labelledby="strip-title">
                <h2 id="strip-title">"Secured settings will be stripped"</h2>
                <p>"The backup's DatabaseDocument is sent with an empty SecuredSettings; no secret is written into the backup."</p>
                {move || strip_loses_encryption_key(&state.form.get(), stored_doc(&stored).as_ref()).then(|| view! {
                    <p class="warning-text" role="alert">
                        <strong>"This database is encrypted."</strong>
                        " Without Raven/Encryption/Key the backup cannot be restored: keep the key somewhere safe, and add it to the backup's Database.Document before restoring."
                    </p>
                })}
                <button type="button" class="secondary"
                    on:click=move |_| state.form.update(|f| f.decision = SecretsDecision::Undecided)>
                    "Keep the secured settings after all"
                </button>
            </section>
        </Show>
    }
}
