//! The Backup screen for RavenDB 4.x and later: the database's backup tasks
//! with their last and next runs and "back up now", and a one-time backup to
//! a folder on the server — with the one-time endpoint where the server has
//! it (4.2+), otherwise through a clearly labelled temporary task that the
//! dashboard creates only with the admin's consent and removes afterwards.

use crate::{
    api::{
        client::Client,
        poll::{Outcome, Phase, PollConfig, WatchTarget, Watched},
        remembered::RememberedOperation,
        version::Generation,
        watch::{watch_operation, OperationWatch},
        wire4x::PeriodicBackupConfiguration,
        ApiError,
    },
    app::Connection,
    components::{
        connection::{connected_generation, database_list},
        error_view::ErrorView,
        field::TextField,
        operation_progress::OperationProgress,
        request_review::RequestReview,
    },
    forms::{json_of, PlannedRequest},
    operations_store,
    route::percent_encode,
};
use leptos::prelude::*;

/// A 4.x backup being followed, and what to do when it ends.
#[derive(Clone)]
pub struct Running4 {
    pub watch: OperationWatch,
    pub database: String,
    pub task_id: i64,
    /// The temporary task to remove once the backup has ended.
    pub temporary: bool,
}

/// The screen's state, at the app level (memory only).
#[derive(Clone, Copy)]
pub struct Backup4State {
    pub name: RwSignal<String>,
    pub folder: RwSignal<String>,
    pub consent: RwSignal<bool>,
    pub tried: RwSignal<bool>,
    pub starting: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    pub running: RwSignal<Option<Running4>>,
    /// What became of the backup folder and the temporary task.
    pub after: RwSignal<Vec<String>>,
    owner: StoredValue<Owner>,
}

impl Backup4State {
    pub fn new() -> Self {
        Backup4State {
            name: RwSignal::new(String::new()),
            folder: RwSignal::new(String::new()),
            consent: RwSignal::new(false),
            tried: RwSignal::new(false),
            starting: RwSignal::new(false),
            error: RwSignal::new(None),
            running: RwSignal::new(None),
            after: RwSignal::new(Vec::new()),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }
}

impl Default for Backup4State {
    fn default() -> Self {
        Self::new()
    }
}

/// 4.2 and later have `POST /databases/{db}/admin/backup` (one-time).
fn has_one_time_endpoint(generation: Generation) -> bool {
    generation.major_minor() >= (4, 2)
}

/// The name of the temporary task, so an admin who sees it knows its origin.
fn temporary_task_name() -> String {
    let now = js_sys::Date::new_0().to_iso_string();
    format!("Raven Backup Studio one-time backup {}", String::from(now))
}

/// The request(s) a one-time backup sends, for the review.
fn one_time_plan(database: &str, folder: &str, generation: Generation) -> Vec<PlannedRequest> {
    let db = percent_encode(database);
    if has_one_time_endpoint(generation) {
        vec![PlannedRequest::post(
            format!("/databases/{db}/admin/backup"),
            serde_json::json!({"BackupType": "Backup", "LocalSettings": {"Disabled": false, "FolderPath": folder}}),
        )]
    } else {
        let config = PeriodicBackupConfiguration::temporary_local(
            "Raven Backup Studio one-time backup <time>",
            folder,
        );
        vec![
            PlannedRequest::post(
                format!("/databases/{db}/admin/periodic-backup"),
                json_of(&config),
            ),
            PlannedRequest::post(
                format!(
                    "/databases/{db}/admin/backup/database?taskId=<new task id>&isFullBackup=true"
                ),
                serde_json::Value::Null,
            ),
        ]
    }
}

impl Backup4State {
    fn follow(
        &self,
        client: Client,
        generation: Generation,
        database: String,
        task_id: i64,
        op: i64,
        temporary: bool,
    ) {
        let watched = Watched::DatabaseBackup {
            database: Some(database.clone()),
        };
        operations_store::remember(RememberedOperation::new(
            &watched,
            Some(op),
            client.base(),
            js_sys::Date::now(),
        ));
        let target = WatchTarget::new(watched, Some(op), generation);
        let watch = self
            .owner
            .get_value()
            .with(|| watch_operation(client.clone(), target, PollConfig::default()));
        self.after.set(Vec::new());
        self.running.set(Some(Running4 {
            watch,
            database: database.clone(),
            task_id,
            temporary,
        }));
        // When it ends: say where the backup is, and remove a temporary task.
        let state = *self;
        self.owner.get_value().with(|| {
            Effect::new(move |done: Option<bool>| {
                if done == Some(true) {
                    return true;
                }
                let finished = watch.snapshot.with(|s| matches!(s.phase, Phase::Finished(_)));
                if finished {
                    let client = client.clone();
                    let database = database.clone();
                    leptos::task::spawn_local(async move {
                        let mut notes = Vec::new();
                        if let Ok(status) = client.backup_status4(&database, task_id).await {
                            if let Some(dir) = status.status.as_ref().and_then(|s| s.backup_directory()) {
                                notes.push(format!("The backup folder on the server is {dir}"));
                            }
                        }
                        if temporary {
                            notes.push(match client.delete_backup_task4(&database, task_id).await {
                                Ok(()) => format!("The temporary backup task (id {task_id}) was removed from the server."),
                                Err(e) => format!(
                                    "The temporary backup task (id {task_id}) could not be removed: {}. Remove it in the server's Studio.",
                                    e.user_message()
                                ),
                            });
                        }
                        let _ = state.after.try_set(notes);
                    });
                }
                finished
            });
        });
    }
}

#[component]
pub fn Backup4Page(
    /// A database to preselect (from `#/backup?db=`).
    preselect: Option<String>,
) -> impl IntoView {
    let conn = expect_context::<Connection>();
    let state = expect_context::<Backup4State>();
    if let Some(db) = preselect {
        state.name.set(db);
    }
    let databases = database_list(conn);
    let names = Memo::new(move |_| match databases.get() {
        Some(Some(Ok(list))) => Some(list.into_iter().map(|d| d.name).collect::<Vec<_>>()),
        _ => None,
    });
    let matched = Memo::new(move |_| {
        let name = state.name.get().trim().to_string();
        names.get().and_then(|n| n.into_iter().find(|x| *x == name))
    });
    let tasks = LocalResource::new(move || {
        let client = conn.client();
        let db = matched.get();
        // Re-read when a run starts and when it has ended (and a temporary
        // task was removed), so the list and the last backup times are current.
        state.after.track();
        async move {
            let (client, db) = (client?, db?);
            Some(client.tasks4(&db).await)
        }
    });
    let generation = Memo::new(move |_| connected_generation());
    let busy = move || {
        state.starting.get()
            || state
                .running
                .with(|r| r.as_ref().is_some_and(|r| !r.watch.is_over()))
    };
    let folder_problem = move || {
        (state.tried.get() && state.folder.get().trim().is_empty()).then_some(
            "Enter a folder on the server for the backup, for example /var/backups/ravendb.",
        )
    };
    let consent_problem = move || {
        let needs = generation.get().is_some_and(|g| !has_one_time_endpoint(g));
        (state.tried.get() && needs && !state.consent.get()).then_some(
            "Agree to the temporary task first (or use one of the database's own tasks above).",
        )
    };
    let plan = Memo::new(move |_| {
        let (Some(db), Some(g)) = (matched.get(), generation.get()) else {
            return Vec::new();
        };
        let folder = state.folder.get().trim().to_string();
        if folder.is_empty() {
            return Vec::new();
        }
        one_time_plan(&db, &folder, g)
    });

    let back_up_now = move |task_id: i64, full: bool| {
        if state.starting.get_untracked() || untrack(busy) {
            return;
        }
        let (Some(client), Some(g), Some(db)) = (
            conn.client_untracked(),
            generation.get_untracked(),
            matched.get_untracked(),
        ) else {
            return;
        };
        state.starting.set(true);
        state.error.set(None);
        leptos::task::spawn_local(async move {
            match client.backup_now4(&db, task_id, full).await {
                Ok(op) => state.follow(client, g, db, task_id, op, false),
                Err(e) => {
                    let _ = state.error.try_set(Some(e));
                }
            }
            let _ = state.starting.try_set(false);
        });
    };
    let one_time = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.tried.set(true);
        if state.starting.get_untracked()
            || untrack(busy)
            || folder_problem().is_some()
            || consent_problem().is_some()
        {
            return;
        }
        let (Some(client), Some(g), Some(db)) = (
            conn.client_untracked(),
            generation.get_untracked(),
            matched.get_untracked(),
        ) else {
            return;
        };
        let folder = state.folder.get_untracked().trim().to_string();
        state.starting.set(true);
        state.error.set(None);
        leptos::task::spawn_local(async move {
            let result = if has_one_time_endpoint(g) {
                let body = serde_json::json!({"BackupType": "Backup", "LocalSettings": {"Disabled": false, "FolderPath": folder}});
                client
                    .start_operation(
                        &format!("/databases/{}/admin/backup", percent_encode(&db)),
                        &body,
                    )
                    .await
                    .and_then(|s| {
                        s.operation_id.map(|op| (0, op, false)).ok_or_else(|| {
                            ApiError::MalformedBody {
                                detail: "the server gave no operation id".into(),
                            }
                        })
                    })
            } else {
                let config =
                    PeriodicBackupConfiguration::temporary_local(temporary_task_name(), folder);
                match client.create_backup_task4(&db, &config).await {
                    Ok(created) => match client.backup_now4(&db, created.task_id, true).await {
                        Ok(op) => Ok((created.task_id, op, true)),
                        Err(e) => {
                            // Do not leave the task behind when it could not run.
                            let _ = client.delete_backup_task4(&db, created.task_id).await;
                            Err(e)
                        }
                    },
                    Err(e) => Err(e),
                }
            };
            match result {
                Ok((task_id, op, temporary)) => state.follow(client, g, db, task_id, op, temporary),
                Err(e) => {
                    let _ = state.error.try_set(Some(e));
                }
            }
            let _ = state.starting.try_set(false);
        });
    };

    view! {
        <h1>"Backup"</h1>
        <p class="lead">
            {move || generation.get().map(|g| format!("{} keeps backups as tasks of each database. Run one of them now, or make a one-time backup to a folder on the server.", g.label()))}
        </p>
        <div class="panel">
            <label for="backup4-name">"Database"</label>
            <input id="backup4-name" type="text" autocomplete="off" spellcheck="false" list="backup4-db-list"
                prop:value=move || state.name.get()
                on:input:target=move |ev| state.name.set(ev.target().value())
                aria-describedby="backup4-name-hint"/>
            <datalist id="backup4-db-list">
                {move || names.get().unwrap_or_default().into_iter().map(|n| view! { <option value=n.clone()></option> }).collect_view()}
            </datalist>
            <p id="backup4-name-hint" class="hint">
                {move || match (databases.get(), matched.get()) {
                    (Some(Some(Err(e))), _) => format!("The list of databases could not be read: {}", e.user_message()),
                    (Some(Some(Ok(list))), None) => format!("Type to choose among the {} databases on the server.", list.len()),
                    (_, Some(db)) => format!("Database {db} on the server."),
                    _ => "Reading the list of databases…".to_string(),
                }}
            </p>
        </div>

        <Show when=move || matched.get().is_some()>
            <section class="panel" aria-labelledby="tasks-title">
                <h2 id="tasks-title">{move || format!("Backup tasks of {}", matched.get().unwrap_or_default())}</h2>
                {move || match tasks.get().flatten() {
                    None => view! { <p>"Reading the database's tasks…"</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                    Some(Ok(list)) => {
                        let backups: Vec<_> = list.backups().cloned().collect();
                        if backups.is_empty() {
                            view! { <p>"This database has no backup task. Use the one-time backup below."</p> }.into_any()
                        } else {
                            view! {
                                <table class="tasks">
                                    <caption class="visually-hidden">"Backup tasks"</caption>
                                    <thead><tr>
                                        <th scope="col">"Task"</th><th scope="col">"Destinations"</th>
                                        <th scope="col">"Last full"</th><th scope="col">"Last incremental"</th>
                                        <th scope="col">"Next run"</th><th scope="col">"Back up now"</th>
                                    </tr></thead>
                                    <tbody>
                                        {backups.into_iter().map(|t| {
                                            let id = t.task_id;
                                            let name = t.task_name.clone();
                                            let next = t.next_backup.as_ref().and_then(|n| n.date_time.clone()).unwrap_or_else(|| "—".into());
                                            view! {
                                                <tr>
                                                    <th scope="row">{t.task_name.clone()} {(!t.is_enabled()).then_some(" (disabled)")}</th>
                                                    <td>{t.backup_destinations.join(", ")}</td>
                                                    <td>{t.last_full_backup.clone().unwrap_or_else(|| "never".into())}</td>
                                                    <td>{t.last_incremental_backup.clone().unwrap_or_else(|| "never".into())}</td>
                                                    <td>{next}</td>
                                                    <td class="row-actions">
                                                        <button type="button" disabled=busy on:click=move |_| back_up_now(id, true)
                                                            aria-label=format!("Full backup now with {name}")>"Full"</button>
                                                        " "
                                                        <button type="button" class="secondary" disabled=busy on:click=move |_| back_up_now(id, false)
                                                            aria-label=format!("Incremental backup now with {}", t.task_name)>"Incremental"</button>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }
                    }
                }}
            </section>

            <form class="panel" on:submit=one_time novalidate=true aria-labelledby="one-time-title">
                <h2 id="one-time-title">"One-time backup to a folder on the server"</h2>
                <TextField id="backup4-folder" label="Backup folder on the server"
                    hint="A path on the server's disk, not on this computer. RavenDB writes a new sub-folder (…ravendb-<database>-<node>-backup) there."
                    value=state.folder
                    on_input=Callback::new(move |v: String| state.folder.set(v))
                    error=Signal::derive(move || folder_problem().map(String::from))/>
                <Show when=move || generation.get().is_some_and(|g| !has_one_time_endpoint(g))>
                    <div class="secrets-warning" role="note">
                        <p>
                            <strong>{move || generation.get().map(|g| g.label()).unwrap_or_default()}</strong>
                            " has no one-time backup. The dashboard will create a temporary backup task on the server, named “Raven Backup Studio one-time backup <time>” (yearly schedule, local folder only), run it once, and delete it when the backup has ended."
                        </p>
                        <div class="choice">
                            <input type="checkbox" id="backup4-consent"
                                prop:checked=move || state.consent.get()
                                on:change:target=move |ev| state.consent.set(ev.target().checked())
                                aria-invalid=move || consent_problem().is_some().to_string()
                                aria-describedby="backup4-consent-error"/>
                            <label for="backup4-consent">"Create the temporary backup task on the server"</label>
                        </div>
                        <p id="backup4-consent-error" class="field-error">{consent_problem}</p>
                    </div>
                </Show>
                {move || {
                    let steps = plan.get();
                    (!steps.is_empty()).then(|| view! {
                        <div class="review-steps">
                            {steps.into_iter().map(|req| view! { <RequestReview request=Signal::derive(move || Some(req.clone()))/> }).collect_view()}
                        </div>
                    })
                }}
                <div class="actions">
                    <button type="submit" disabled=busy>{move || if state.starting.get() { "Starting…" } else { "Start one-time backup" }}</button>
                </div>
            </form>
        </Show>

        {move || state.error.get().map(|e| view! {
            <section class="panel" aria-labelledby="backup4-error-title">
                <h2 id="backup4-error-title">"The server did not start the backup"</h2>
                <ErrorView error=e/>
            </section>
        })}

        {move || state.running.get().map(|r| {
            let watch = r.watch;
            let ok = move || watch.snapshot.with(|s| matches!(s.phase, Phase::Finished(Outcome::Succeeded { .. })));
            view! {
                <OperationProgress watch=r.watch noun="Backup" subject=format!("database {}", r.database)
                    success_note=None kill=None/>
                <div role="status">
                    {move || state.after.get().into_iter().map(|n| view! { <p>{n}</p> }).collect_view()}
                </div>
                <Show when=ok><p class="hint">"Use the backup folder above on the Restore screen."</p></Show>
            }
        })}
    }
}
