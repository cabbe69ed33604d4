//! The Restore screen for RavenDB 4.x and later: every field of 4.1's
//! restore configuration, the restore points of a folder where the server
//! lists them, the same validation, confirmation and review as 3.x, and the
//! restore followed to its true end. The encryption key is a secret: masked
//! on screen and in the review, kept in memory only.

use crate::{
    api::{
        client::Client,
        poll::{Outcome, Phase, PollConfig, WatchTarget, Watched},
        remembered::RememberedOperation,
        watch::{watch_operation, OperationWatch},
        wire4x::RestorePoints,
        ApiError,
    },
    app::Connection,
    components::{
        connection::{connected_generation, database_list},
        error_view::ErrorView,
        field::TextField,
        focus_first_invalid,
        operation_progress::OperationProgress,
        request_review::RequestReview,
    },
    forms::restore4::{build_restore4_request, Restore4Field, Restore4Form},
    operations_store,
    route::Route,
};
use leptos::prelude::*;

/// The screen's state, at the app level (memory only: the key never
/// reaches storage).
#[derive(Clone, Copy)]
pub struct Restore4State {
    pub form: RwSignal<Restore4Form>,
    pub tried: RwSignal<bool>,
    pub confirming: RwSignal<bool>,
    pub starting: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    pub running: RwSignal<Option<(OperationWatch, String)>>,
    pub points: RwSignal<Option<Result<RestorePoints, ApiError>>>,
    pub show_key: RwSignal<bool>,
    owner: StoredValue<Owner>,
}

impl Restore4State {
    pub fn new() -> Self {
        Restore4State {
            form: RwSignal::new(Restore4Form::default()),
            tried: RwSignal::new(false),
            confirming: RwSignal::new(false),
            starting: RwSignal::new(false),
            error: RwSignal::new(None),
            running: RwSignal::new(None),
            points: RwSignal::new(None),
            show_key: RwSignal::new(false),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }
}

impl Default for Restore4State {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn Restore4Page() -> impl IntoView {
    let conn = expect_context::<Connection>();
    let state = expect_context::<Restore4State>();
    let databases = database_list(conn);
    let existing = Memo::new(move |_| match databases.get() {
        Some(Some(Ok(list))) => Some(list.into_iter().map(|d| d.name).collect::<Vec<_>>()),
        _ => None,
    });
    let generation = Memo::new(move |_| connected_generation());
    let plan =
        Memo::new(move |_| build_restore4_request(&state.form.get(), existing.get().as_deref()));
    let problem_for = move |field: Restore4Field| {
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
                .with(|r| r.as_ref().is_some_and(|(w, _)| !w.is_over()))
    };

    let list_points = move |_| {
        let Some(client) = conn.client_untracked() else {
            return;
        };
        let folder = state
            .form
            .get_untracked()
            .backup_location
            .trim()
            .to_string();
        if folder.is_empty() {
            state.tried.set(true);
            return;
        }
        leptos::task::spawn_local(async move {
            let result = client.restore_points4(&folder).await;
            let _ = state.points.try_set(Some(result));
        });
    };
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.tried.set(true);
        state.error.set(None);
        if plan.with_untracked(|p| p.is_ok()) {
            state.confirming.set(true);
        } else {
            focus_first_invalid();
        }
    };
    let start = move |_| {
        if state.starting.get_untracked() || untrack(busy) {
            return;
        }
        let (Ok(request), Some(client), Some(g)) = (
            plan.get_untracked(),
            conn.client_untracked(),
            generation.get_untracked(),
        ) else {
            return;
        };
        let name = state.form.get_untracked().database_name.trim().to_string();
        state.starting.set(true);
        state.confirming.set(false);
        leptos::task::spawn_local(async move {
            let started_ms = js_sys::Date::now();
            match client.start_operation(&request.path, &request.body).await {
                Ok(started) => {
                    let watched = Watched::DatabaseRestore {
                        database: name.clone(),
                    };
                    operations_store::remember(RememberedOperation::new(
                        &watched,
                        started.operation_id,
                        client.base(),
                        started_ms,
                    ));
                    follow(
                        state,
                        client,
                        WatchTarget::new(watched, started.operation_id, g),
                        name,
                    );
                    databases.refetch();
                }
                Err(e) => {
                    let _ = state.error.try_set(Some(e));
                }
            }
            let _ = state.starting.try_set(false);
        });
    };

    let field = move |id: &'static str,
                      label: &'static str,
                      hint: &'static str,
                      problem: Option<Restore4Field>,
                      get: fn(&Restore4Form) -> &String,
                      set: fn(&mut Restore4Form, String)| {
        view! {
            <TextField id label hint
                value=Signal::derive(move || get(&state.form.get()).clone())
                on_input=Callback::new(move |v: String| state.form.update(|f| set(f, v)))
                error=Signal::derive(move || problem.and_then(|f| problem_for(f)()))/>
        }
    };

    view! {
        <h1>"Restore"</h1>
        <p class="lead">
            {move || generation.get().map(|g| format!("Restore a backup folder on the {} server into a new database and follow it to the end. A restore never overwrites an existing database.", g.label()))}
        </p>
        <form class="panel" on:submit=ask novalidate=true>
            {field("restore4-location", "Backup folder on the server",
                "The folder the backup task wrote, on the server's disk (it ends in -backup).",
                Some(Restore4Field::BackupLocation), |f| &f.backup_location, |f, v| f.backup_location = v)}
            <div class="actions">
                <button type="button" class="secondary" on:click=list_points>"List restore points"</button>
            </div>
            {move || state.points.get().map(|r| match r {
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(points) if points.list.is_empty() => view! { <p>"The server found no backup files in that folder."</p> }.into_any(),
                Ok(points) => view! {
                    <label for="restore4-point">"Restore up to"</label>
                    <select id="restore4-point"
                        on:change:target=move |ev| state.form.update(|f| f.last_file_name = ev.target().value())>
                        <option value="">"Everything in the folder (the latest point)"</option>
                        {points.list.into_iter().map(|p| {
                            let file = p.file_name.clone();
                            let label = format!("{} — {}{}", p.date_time.clone().unwrap_or_default(), file,
                                if p.is_incremental { " (incremental)" } else { " (full)" });
                            view! { <option value=file>{label}</option> }
                        }).collect_view()}
                    </select>
                }.into_any(),
            })}
            {field("restore4-name", "New database name",
                "Letters, digits, _ - and . only. It must not exist on the server yet.",
                Some(Restore4Field::DatabaseName), |f| &f.database_name, |f, v| f.database_name = v)}
            <details>
                <summary>"Advanced options"</summary>
                {field("restore4-data-dir", "Data directory",
                    "Folder on the server for the new database's data. Leave empty for the server's default (Databases/<name> under its data folder).",
                    None, |f| &f.data_directory, |f, v| f.data_directory = v)}
                {field("restore4-last-file", "Last file to restore",
                    "Restore the folder's files up to and including this one (a name from the restore points). Leave empty for all.",
                    None, |f| &f.last_file_name, |f, v| f.last_file_name = v)}
                <div class="field">
                    <label for="restore4-key">"Encryption key"</label>
                    <input id="restore4-key" autocomplete="off" spellcheck="false"
                        type=move || if state.show_key.get() { "text" } else { "password" }
                        prop:value=move || state.form.get().encryption_key
                        on:input:target=move |ev| state.form.update(|f| f.encryption_key = ev.target().value())
                        aria-invalid=move || problem_for(Restore4Field::EncryptionKey)().is_some().to_string()
                        aria-describedby="restore4-key-hint restore4-key-error"/>
                    <button type="button" class="secondary" aria-pressed=move || state.show_key.get().to_string()
                        on:click=move |_| state.show_key.update(|v| *v = !*v)>
                        {move || if state.show_key.get() { "Hide the key" } else { "Reveal the key" }}
                    </button>
                    <p id="restore4-key-hint" class="hint">"Only for a backup of an encrypted database (base64). Kept in this page's memory only, never stored."</p>
                    <p id="restore4-key-error" class="field-error">{problem_for(Restore4Field::EncryptionKey)}</p>
                </div>
                <div class="choice">
                    <input type="checkbox" id="restore4-disable-tasks" aria-describedby="restore4-disable-tasks-help"
                        prop:checked=move || state.form.get().disable_ongoing_tasks
                        on:change:target=move |ev| state.form.update(|f| f.disable_ongoing_tasks = ev.target().checked())/>
                    <label for="restore4-disable-tasks">"Disable ongoing tasks"</label>
                    <p id="restore4-disable-tasks-help" class="hint">"Restore the database with its backup, replication and ETL tasks disabled, so the copy does not act like the original."</p>
                </div>
            </details>
            <RequestReview request=Signal::derive(move || plan.get().ok())/>
            {move || (state.tried.get() && plan.with(|p| p.is_err())).then(|| view! {
                <div class="error-box" role="alert">
                    <p class="error-headline">"The restore cannot start yet:"</p>
                    <ul>{plan.with(|p| match p {
                        Err(problems) => problems.iter().map(|p| view! { <li>{p.message.clone()}</li> }).collect_view().into_any(),
                        Ok(_) => ().into_any(),
                    })}</ul>
                </div>
            })}
            <div class="actions">
                <button type="submit" disabled=busy>{move || if state.starting.get() { "Starting…" } else { "Restore…" }}</button>
            </div>
        </form>
        <Show when=move || state.confirming.get()>
            <section class="panel confirm" role="alertdialog" aria-labelledby="confirm4-title" aria-describedby="confirm4-text">
                <h2 id="confirm4-title">"Confirm the restore"</h2>
                <p id="confirm4-text">{move || {
                    let f = state.form.get();
                    let at = if f.data_directory.trim().is_empty() { "the server's default folder".to_string() } else { f.data_directory.trim().to_string() };
                    format!("Restore backup at {} into a new database {} at {at}.", f.backup_location.trim(), f.database_name.trim())
                }}</p>
                <div class="actions">
                    <button type="button" on:click=start disabled=busy>"Yes, restore"</button>
                    <button type="button" class="secondary" on:click=move |_| state.confirming.set(false)>"Change something"</button>
                </div>
            </section>
        </Show>
        {move || state.error.get().map(|e| view! {
            <section class="panel" aria-labelledby="restore4-error-title">
                <h2 id="restore4-error-title">"The server did not start the restore"</h2>
                <ErrorView error=e/>
            </section>
        })}
        {move || state.running.get().map(|(watch, name)| {
            let ok = move || watch.snapshot.with(|s| matches!(s.phase, Phase::Finished(Outcome::Succeeded { .. })));
            let link_name = name.clone();
            view! {
                <OperationProgress watch noun="Restore" subject=format!("database {name}")
                    success_note=Some(format!("The new database {name} is on the server.")) kill=None/>
                <Show when=ok>
                    <p class="next-step"><a href=Route::Backup { database: Some(link_name.clone()) }.href()>{format!("Back up {link_name} now")}</a></p>
                </Show>
            }
        })}
    }
}

fn follow(state: Restore4State, client: Client, target: WatchTarget, name: String) {
    let watch = state
        .owner
        .get_value()
        .with(|| watch_operation(client, target, PollConfig::default()));
    state.running.set(Some((watch, name)));
}
