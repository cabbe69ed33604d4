//! The Restore screen for RavenDB 4.x and later: every field of 4.1's
//! restore configuration, the restore points of a folder where the server
//! lists them, the same validation, confirmation and review as 3.x, and the
//! restore followed to its true end. The backup's encryption key is a
//! secret: masked on screen and in the review, kept in memory only; asked
//! for when the chosen restore point is encrypted, and sent where the
//! server's version reads it (docs/protocol/ravendb-4x.md#restore-key).
//! Below the form,
//! "Verify by restoring" (issue 17) for the typed folder and the chosen
//! restore point, with its own backup key (docs/protocol/ravendb-4x.md#drill).

use crate::{
    api::{client::Client, poll::Watched, version::Generation, wire4x::RestorePoints, ApiError},
    components::{
        drill::{take_drill_request, VerifyByRestoring},
        error_view::ErrorView,
        field::{Checkbox, SecretField, TextField},
        flow::{lost_start_of, ConfirmPanel, ProblemList, RunningPanel, StartErrorPanel},
        focus_first_invalid,
        request_review::RequestReview,
    },
    forms::{
        restore4::{
            build_restore4_request, chosen_point, confirmation_sentence, Restore4Field,
            Restore4Form,
        },
        PlannedRequest,
    },
    pages::screen_state,
    state::{
        connection::{connected_generation, Connection},
        databases::use_databases,
        drill::use_drill,
        operations::{Follower, StartPost, Starter},
    },
};
use leptos::prelude::*;

/// The screen's state, at the app level (memory only: the key never
/// reaches storage); made when the screen is first shown
/// (src/pages/mod.rs, `screen_state`).
#[derive(Clone, Copy)]
pub struct Restore4State {
    pub form: RwSignal<Restore4Form>,
    pub tried: RwSignal<bool>,
    pub confirming: RwSignal<bool>,
    /// The start request and the restore it started (or the refusal).
    pub start: Starter<StartPost>,
    /// The restore points of the folder, as the server listed them.
    pub points: Action<(Client, Generation, String), Result<RestorePoints, ApiError>>,
    /// The folder (trimmed) the restore points were listed for: they say
    /// whether the backup is encrypted only while the form names it.
    pub points_folder: RwSignal<String>,
    pub show_key: RwSignal<bool>,
    /// The drill's backup key (memory only) and whether it is revealed.
    pub drill_key: RwSignal<String>,
    pub show_drill_key: RwSignal<bool>,
}

impl Restore4State {
    pub fn new() -> Self {
        let start = super::restore_starter(Follower::new());
        let points = Action::new_local(
            |(client, generation, folder): &(Client, Generation, String)| {
                let (client, generation, folder) = (client.clone(), *generation, folder.clone());
                async move { client.restore_points4(generation, &folder).await }
            },
        );
        Restore4State {
            form: RwSignal::new(Restore4Form::default()),
            tried: RwSignal::new(false),
            confirming: RwSignal::new(false),
            start,
            points,
            points_folder: RwSignal::new(String::new()),
            show_key: RwSignal::new(false),
            drill_key: RwSignal::new(String::new()),
            show_drill_key: RwSignal::new(false),
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
    let state = screen_state(Restore4State::new);
    let databases = use_databases();
    // "Verify by restoring" asked for from a finished backup: its folder
    // (the backup's own, latest restore point) goes into the form, the
    // drill's confirmation opens below.
    take_drill_request(use_drill(), |folder| {
        state.form.update(|f| {
            f.backup_location = folder;
            f.last_file_name.clear();
        })
    });
    let generation = Memo::new(move |_| connected_generation());
    let points = state.points.value();
    let plan = Memo::new(move |_| {
        let Some(generation) = generation.get() else {
            return Err(Vec::new());
        };
        databases.names.with(|names| {
            state.form.with(|f| {
                let folder = f.backup_location.trim();
                points.with(|listed| {
                    let point = match listed {
                        Some(Ok(p)) if state.points_folder.with(|pf| pf == folder) => {
                            chosen_point(&p.list, folder, &f.last_file_name)
                        }
                        _ => None,
                    };
                    build_restore4_request(f, names.as_deref(), &generation, point)
                })
            })
        })
    });
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
    let busy = move || state.start.busy();

    let list_points = move |_| {
        let (Some(client), Some(generation)) =
            (conn.client_untracked(), generation.get_untracked())
        else {
            return;
        };
        let folder = state
            .form
            .with_untracked(|f| f.backup_location.trim().to_string());
        if folder.is_empty() {
            state.tried.set(true);
            return;
        }
        state.points_folder.set(folder.clone());
        state.points.dispatch_local((client, generation, folder));
    };
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.tried.set(true);
        state.start.dismiss_error();
        if plan.with_untracked(|p| p.is_ok()) {
            state.confirming.set(true);
        } else {
            focus_first_invalid();
        }
    };
    let start = move || {
        let (Ok(request), Some(client), Some(generation)) = (
            plan.get_untracked(),
            conn.client_untracked(),
            generation.get_untracked(),
        ) else {
            return;
        };
        let name = state
            .form
            .with_untracked(|f| f.database_name.trim().to_string());
        if state.start.start(StartPost {
            client,
            generation,
            what: Watched::DatabaseRestore {
                database: name.clone(),
            },
            request,
            success_note: format!("The new database {name} is on the server."),
        }) {
            state.confirming.set(false);
        }
    };

    let field = move |id: &'static str,
                      label: &'static str,
                      hint: &'static str,
                      problem: Option<Restore4Field>,
                      get: fn(&Restore4Form) -> &String,
                      set: fn(&mut Restore4Form, String)| {
        let value = Memo::new(move |_| state.form.with(|f| get(f).clone()));
        view! {
            <TextField
                id
                label
                hint
                value
                on_input=Callback::new(move |v: String| state.form.update(|f| set(f, v)))
                error=Signal::derive(move || problem.and_then(|f| problem_for(f)()))
            />
        }
    };
    let key = Memo::new(move |_| state.form.with(|f| f.encryption_key.clone()));
    // What the key is depends on the version (docs/protocol/ravendb-4x.md#restore-key).
    let key_hint = match generation.get_untracked().map(|g| g.major_minor()) {
        Some(v) if v < (4, 2) => {
            "Only for an encrypted backup: the base64 key of the encrypted database it was taken from (the new database is encrypted with it; the server must use HTTPS). Kept in this page's memory only, never stored."
        }
        _ => {
            "Only for an encrypted backup: the base64 key it was encrypted with (List restore points says which are encrypted). Kept in this page's memory only, never stored."
        }
    };
    let disable_tasks = Memo::new(move |_| state.form.with(|f| f.disable_ongoing_tasks));

    view! {
        <h1>"Restore"</h1>
        <p class="lead">
            {move || {
                generation
                    .get()
                    .map(|g| {
                        format!(
                            "Restore a backup folder on the {} server into a new database and follow it to the end. A restore never overwrites an existing database.",
                            g.label(),
                        )
                    })
            }}
        </p>
        <form class="panel" on:submit=ask novalidate=true>
            {field(
                "restore4-location",
                "Backup folder on the server",
                "The folder the backup task wrote, on the server's disk (it ends in -backup).",
                Some(Restore4Field::BackupLocation),
                |f| &f.backup_location,
                |f, v| f.backup_location = v,
            )}
            <div class="actions">
                <button type="button" class="secondary" on:click=list_points>
                    "List restore points"
                </button>
            </div>
            {move || {
                points
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(points) if points.list.is_empty() => {
                            view! { <p>"The server found no backup files in that folder."</p> }
                                .into_any()
                        }
                        Ok(points) => {
                            view! {
                                <label for="restore4-point">"Restore up to"</label>
                                <select
                                    id="restore4-point"
                                    on:change:target=move |ev| {
                                        state
                                            .form
                                            .update(|f| f.last_file_name = ev.target().value())
                                    }
                                >
                                    <option value="">
                                        "Everything in the folder (the latest point)"
                                    </option>
                                    {points
                                        .list
                                        .into_iter()
                                        .map(|p| {
                                            let file = p.file_name.clone();
                                            let label = format!(
                                                "{} — {}{}",
                                                p.date_time.clone().unwrap_or_default(),
                                                file,
                                                match (p.is_incremental, p.is_encrypted) {
                                                    (true, false) => " (incremental)",
                                                    (true, true) => " (incremental, encrypted)",
                                                    (false, false) => " (full)",
                                                    (false, true) => " (full, encrypted)",
                                                },
                                            );
                                            view! { <option value=file>{label}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            }
                                .into_any()
                        }
                    })
            }}
            <SecretField
                id="restore4-key"
                label="Encryption key of the backup"
                hint=key_hint
                what="the key"
                value=key
                on_input=Callback::new(move |v: String| state.form.update(|f| f.encryption_key = v))
                revealed=state.show_key
                error=Signal::derive(problem_for(Restore4Field::EncryptionKey))
            />
            {field(
                "restore4-name",
                "New database name",
                "Letters, digits, _ - and . only. It must not exist on the server yet.",
                Some(Restore4Field::DatabaseName),
                |f| &f.database_name,
                |f, v| f.database_name = v,
            )}
            <details>
                <summary>"Advanced options"</summary>
                {field(
                    "restore4-data-dir",
                    "Data directory",
                    "Folder on the server for the new database's data. Leave empty for the server's default (Databases/<name> under its data folder).",
                    None,
                    |f| &f.data_directory,
                    |f, v| f.data_directory = v,
                )}
                {field(
                    "restore4-last-file",
                    "Last file to restore",
                    "Restore the folder's files up to and including this one (a name from the restore points). Leave empty for all.",
                    None,
                    |f| &f.last_file_name,
                    |f, v| f.last_file_name = v,
                )}
                <Checkbox
                    id="restore4-disable-tasks"
                    label="Disable ongoing tasks"
                    help="Restore the database with its backup, replication and ETL tasks disabled, so the copy does not act like the original."
                    checked=disable_tasks
                    on_change=Callback::new(move |on: bool| {
                        state.form.update(|f| f.disable_ongoing_tasks = on)
                    })
                />
            </details>
            <RequestReview request=Signal::derive(move || plan.get().ok()) />
            <ProblemList
                title="The restore cannot start yet:"
                problems=Signal::derive(move || {
                    if !state.tried.get() {
                        return Vec::new();
                    }
                    plan.with(|p| match p {
                        Err(problems) => problems.iter().map(|p| p.message.clone()).collect(),
                        Ok(_) => Vec::new(),
                    })
                })
            />
            <div class="actions">
                <button type="submit" disabled=busy>
                    {move || if state.start.pending() { "Starting…" } else { "Restore…" }}
                </button>
            </div>
        </form>
        <Show when=move || state.confirming.get()>
            <ConfirmPanel
                id="confirm4"
                title="Confirm the restore"
                sentence=Signal::derive(move || state.form.with(confirmation_sentence))
                yes="Yes, restore"
                no="Change something"
                on_yes=Callback::new(move |_| start())
                on_no=Callback::new(move |_| state.confirming.set(false))
                busy=Signal::derive(busy)
            />
        </Show>
        {lost_start_of("restore4-lost-title", state.start)}
        {move || {
            state
                .start
                .error()
                .map(|error| {
                    view! {
                        <StartErrorPanel
                            id="restore4-error-title"
                            title="The server did not start the restore"
                            error
                        />
                    }
                })
        }}
        {move || {
            state
                .start
                .running()
                .map(|running| {
                    view! {
                        <RunningPanel
                            running
                            form_key=Signal::derive(move || {
                                plan.with(|p| {
                                    p.as_ref().map(PlannedRequest::fingerprint).unwrap_or(0)
                                })
                            })
                        />
                    }
                })
        }}
        <VerifyByRestoring
            folder=Signal::derive(move || state.form.with(|f| f.backup_location.clone()))
            last_file=Signal::derive(move || state.form.with(|f| f.last_file_name.clone()))
            key=(state.drill_key, state.show_drill_key)
        />
    }
}
