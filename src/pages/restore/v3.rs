//! The RavenDB 3.x Restore screen: every field of the restore request for
//! the connected server, validated before sending (the name checked against
//! the server's databases), a confirmation that names what will happen, the
//! exact request, one POST per click, and the restore followed to its true
//! end.

use crate::{
    api::{
        poll::{WatchTarget, Watched},
        ApiError,
    },
    components::{
        drill::{take_drill_request, VerifyByRestoring},
        field::{Checkbox, TextField},
        flow::{lost_start_of, ConfirmPanel, ProblemList, RunningPanel, StartErrorPanel},
        focus_first_invalid,
        request_review::RequestReview,
    },
    forms::restore::{
        advanced_field_help, build_restore_request, confirmation_sentence, fields_for,
        other_restore_name, AdvancedField, RestoreField, RestoreForm, RestoreResource,
    },
    pages::screen_state,
    state::{
        connection::{connected_generation, is_v3, Connection},
        databases::use_databases,
        drill::use_drill,
        operations::{Follower, Running, StartPost, Starter},
    },
};
use leptos::prelude::*;

/// The Restore screen's state, kept at the app level (memory only) so what
/// was typed survives navigation; made when the screen is first shown
/// (src/pages/mod.rs, `screen_state`).
#[derive(Clone, Copy)]
pub struct RestoreState {
    pub form: RwSignal<RestoreForm>,
    pub tried: RwSignal<bool>,
    pub confirming: RwSignal<bool>,
    /// The start request and the restore it started (or the refusal).
    pub start: Starter<StartPost>,
    follower: Follower,
}

impl RestoreState {
    pub fn new() -> Self {
        let follower = Follower::new();
        let start = super::restore_starter(follower);
        RestoreState {
            form: RwSignal::new(RestoreForm::default()),
            tried: RwSignal::new(false),
            confirming: RwSignal::new(false),
            start,
            follower,
        }
    }
}

impl Default for RestoreState {
    fn default() -> Self {
        Self::new()
    }
}

fn success_note(resource: RestoreResource, name: &str) -> String {
    format!("The new {} {name} is on the server.", resource.noun())
}

fn watched_for(resource: RestoreResource, name: &str) -> Watched {
    match resource {
        RestoreResource::Database => Watched::DatabaseRestore {
            database: name.to_string(),
        },
        RestoreResource::FileSystem => Watched::FileSystemRestore {
            fs: name.to_string(),
        },
    }
}

/// The RavenDB 3.x Restore screen.
#[component]
pub fn Restore3Page() -> impl IntoView {
    let conn = expect_context::<Connection>();
    let state = screen_state(RestoreState::new);
    let databases = use_databases();
    // "Verify by restoring" asked for from a finished backup: its folder
    // goes into the form, the drill's confirmation opens below.
    take_drill_request(use_drill(), |folder| {
        state.form.update(|f| {
            f.resource = RestoreResource::Database;
            f.backup_location = folder;
        })
    });
    // A restore already running on the server (the lock document).
    let in_progress = LocalResource::new(move || {
        // A 3.x-only read: not before the server said it is 3.x.
        let client = conn.client().filter(|_| is_v3());
        async move {
            match client {
                Some(c) => c.restore_in_progress().await.ok().flatten(),
                None => None,
            }
        }
    });
    let generation = Memo::new(move |_| connected_generation());
    let resource = Memo::new(move |_| state.form.with(|f| f.resource));
    let plan = Memo::new(move |_| {
        let g = generation.get()?;
        // No list of file systems in the 3.x API the dashboard uses.
        let names = match resource.get() {
            RestoreResource::Database => databases.names.get(),
            RestoreResource::FileSystem => None,
        };
        Some(
            state
                .form
                .with(|f| build_restore_request(f, &g, names.as_deref())),
        )
    });
    let problem_for = move |field: RestoreField| {
        move || {
            if !state.tried.get() {
                return None;
            }
            plan.with(|p| match p {
                Some(Err(problems)) => problems
                    .iter()
                    .find(|p| p.field == field)
                    .map(|p| p.message.clone()),
                _ => None,
            })
        }
    };
    let busy = move || state.start.busy();
    // What the form would send now (see `Running::form_key`).
    let form_key = move || {
        plan.with(|p| match p {
            Some(Ok(request)) => request.fingerprint(),
            _ => 0,
        })
    };

    let ask_confirmation = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.tried.set(true);
        state.start.dismiss_error();
        if plan.with_untracked(|p| matches!(p, Some(Ok(_)))) {
            state.confirming.set(true);
        } else {
            focus_first_invalid();
        }
    };
    let start = move || {
        let (Some(Ok(request)), Some(client), Some(generation)) = (
            plan.get_untracked(),
            conn.client_untracked(),
            generation.get_untracked(),
        ) else {
            return;
        };
        let (resource, name) = state
            .form
            .with_untracked(|f| (f.resource, f.name.trim().to_string()));
        if state.start.start(StartPost {
            client,
            generation,
            what: watched_for(resource, &name),
            request,
            success_note: success_note(resource, &name),
        }) {
            state.confirming.set(false);
        }
    };
    // Attach to a restore someone else started (from the lock document).
    let attach = move |name: String| {
        let (Some(client), Some(generation)) =
            (conn.client_untracked(), generation.get_untracked())
        else {
            return;
        };
        let what = Watched::DatabaseRestore {
            database: name.clone(),
        };
        let mut target = WatchTarget::new(what.clone(), None, generation);
        target.started_after_ms = Some(0.0);
        state.start.attach(Running {
            watch: state.follower.follow(client, target),
            what,
            kill: None,
            success_note: Some(success_note(RestoreResource::Database, &name)),
            form_key: Some(untrack(form_key)),
            focus: Default::default(),
            lost_answer: None,
            node: None,
        });
    };

    let text_field = move |id: &'static str,
                           label: Signal<&'static str>,
                           hint: &'static str,
                           field: Option<RestoreField>,
                           get: fn(&RestoreForm) -> &String,
                           set: fn(&mut RestoreForm, String)| {
        let value = Memo::new(move |_| state.form.with(|f| get(f).clone()));
        view! {
            <TextField
                id
                label
                hint
                value
                on_input=Callback::new(move |v: String| state.form.update(|f| set(f, v)))
                error=Signal::derive(move || field.and_then(|f| problem_for(f)()))
            />
        }
    };
    let checkbox = move |id: &'static str,
                         label: &'static str,
                         help: &'static str,
                         get: fn(&RestoreForm) -> bool,
                         set: fn(&mut RestoreForm, bool)| {
        let checked = Memo::new(move |_| state.form.with(get));
        view! {
            <Checkbox
                id
                label
                help
                checked
                on_change=Callback::new(move |on: bool| state.form.update(|f| set(f, on)))
            />
        }
    };
    let fs = move || resource.get() == RestoreResource::FileSystem;

    view! {
        <h1>"Restore"</h1>
        <p class="lead">
            "Restore a backup folder on the server into a new database and follow it to the end. "
            "A restore never overwrites an existing database."
        </p>
        {move || {
            in_progress
                .get()
                .flatten()
                .map(|lock| {
                    let name = lock.resource.clone();
                    view! {
                        <section class="panel warning-panel" aria-labelledby="in-progress-title">
                            <h2 id="in-progress-title">"Another restore is in progress"</h2>
                            <p>
                                {format!(
                                    "The server is restoring “{}”. Only one restore runs at a time.",
                                    lock.resource,
                                )}
                            </p>
                            <button type="button" on:click=move |_| attach(name.clone())>
                                "Follow its live log"
                            </button>
                        </section>
                    }
                })
        }}
        <form class="restore-form" on:submit=ask_confirmation novalidate=true>
            <fieldset class="panel">
                <legend>"What to restore"</legend>
                <div class="radio-row">
                    {[
                        (RestoreResource::Database, "A database"),
                        (RestoreResource::FileSystem, "A file system"),
                    ]
                        .into_iter()
                        .map(|(option, label)| {
                            view! {
                                <label class="radio">
                                    <input
                                        type="radio"
                                        name="restore-resource"
                                        prop:checked=move || resource.get() == option
                                        on:change=move |_| {
                                            state.form.update(|f| f.resource = option)
                                        }
                                    />
                                    {label}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                {text_field(
                    "restore-backup-location",
                    "Backup folder on the server".into(),
                    "The folder, on the server's disk, that holds the backup (the one given to the backup). Not a path on this computer.",
                    Some(RestoreField::BackupLocation),
                    |f| &f.backup_location,
                    |f, v| f.backup_location = v,
                )}
                {text_field(
                    "restore-name",
                    Signal::derive(move || {
                        if fs() { "New file system name" } else { "New database name" }
                    }),
                    "Letters, digits, _ - and . only. It must not exist on the server yet: a restore always creates a new one.",
                    Some(RestoreField::Name),
                    |f| &f.name,
                    |f, v| f.name = v,
                )}
            </fieldset>
            <details class="panel advanced">
                <summary>"Advanced options"</summary>
                {move || {
                    generation
                        .get()
                        .map(|g| {
                            let resource = resource.get();
                            let fs = resource == RestoreResource::FileSystem;
                            fields_for(&g, resource)
                                .into_iter()
                                .map(|(field, availability)| {
                                    let note = availability.note();
                                    let help = advanced_field_help(field);
                                    let body = match field {
                                        AdvancedField::DatabaseLocation => {
                                            text_field(
                                                    "restore-location",
                                                    (if fs {
                                                        "File system location"
                                                    } else {
                                                        "Database location"
                                                    })
                                                        .into(),
                                                    help,
                                                    Some(RestoreField::Location),
                                                    |f| &f.location,
                                                    |f, v| f.location = v,
                                                )
                                                .into_any()
                                        }
                                        AdvancedField::IndexesLocation => {
                                            text_field(
                                                    "restore-indexes",
                                                    "Indexes location".into(),
                                                    help,
                                                    Some(RestoreField::IndexesLocation),
                                                    |f| &f.indexes_location,
                                                    |f, v| f.indexes_location = v,
                                                )
                                                .into_any()
                                        }
                                        AdvancedField::JournalsLocation => {
                                            text_field(
                                                    "restore-journals",
                                                    "Journals (logs) location".into(),
                                                    help,
                                                    Some(RestoreField::JournalsLocation),
                                                    |f| &f.journals_location,
                                                    |f, v| f.journals_location = v,
                                                )
                                                .into_any()
                                        }
                                        AdvancedField::RestoreStartTimeout => {
                                            text_field(
                                                    "restore-timeout",
                                                    "Wait for another restore (seconds)".into(),
                                                    help,
                                                    Some(RestoreField::RestoreStartTimeout),
                                                    |f| &f.restore_start_timeout,
                                                    |f, v| f.restore_start_timeout = v,
                                                )
                                                .into_any()
                                        }
                                        AdvancedField::Defrag => {
                                            checkbox(
                                                    "restore-defrag",
                                                    "Defragment after restore (Esent)",
                                                    help,
                                                    |f| f.defrag,
                                                    |f, v| f.defrag = v,
                                                )
                                                .into_any()
                                        }
                                        AdvancedField::DisableReplicationDestinations => {
                                            checkbox(
                                                    "restore-disable-replication",
                                                    "Disable replication destinations",
                                                    help,
                                                    |f| f.disable_replication_destinations,
                                                    |f, v| f.disable_replication_destinations = v,
                                                )
                                                .into_any()
                                        }
                                        AdvancedField::GenerateNewDatabaseId => {
                                            checkbox(
                                                    "restore-new-id",
                                                    "Generate a new database id",
                                                    help,
                                                    |f| f.generate_new_database_id,
                                                    |f, v| f.generate_new_database_id = v,
                                                )
                                                .into_any()
                                        }
                                    };
                                    view! {
                                        <div class="advanced-field">
                                            {body} {note.map(|n| view! { <p class="hint">{n}</p> })}
                                        </div>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </details>

            <RequestReview request=Signal::derive(move || plan.get().and_then(|p| p.ok())) />

            <ProblemList
                title="The restore cannot start yet:"
                problems=Signal::derive(move || {
                    if !state.tried.get() {
                        return Vec::new();
                    }
                    plan.with(|p| match p {
                        Some(Err(problems)) => problems.iter().map(|p| p.message.clone()).collect(),
                        _ => Vec::new(),
                    })
                })
            />
            <Show when=move || generation.with(Option::is_none)>
                <p class="warning-text">
                    "Not connected to a RavenDB server: see Server settings above."
                </p>
            </Show>
            <div class="actions">
                <button type="submit" disabled=move || busy() || generation.with(Option::is_none)>
                    {move || if state.start.pending() { "Starting…" } else { "Restore…" }}
                </button>
            </div>
        </form>

        <Show when=move || state.confirming.get()>
            <ConfirmPanel
                id="confirm"
                title="Confirm the restore"
                sentence=Signal::derive(move || state.form.with(confirmation_sentence))
                yes="Yes, restore"
                no="Change something"
                on_yes=Callback::new(move |_| start())
                on_no=Callback::new(move |_| state.confirming.set(false))
                busy=Signal::derive(busy)
            />
        </Show>

        {lost_start_of("restore-lost-title", state.start)}
        {move || {
            state
                .start
                .error()
                .map(|error| {
                    let other = match &error {
                        ApiError::Unavailable { message } => other_restore_name(message),
                        _ => None,
                    };
                    view! {
                        <StartErrorPanel
                            id="restore-error-title"
                            title="The server did not start the restore"
                            error
                        >
                            {other
                                .map(|name| {
                                    view! {
                                        <p>
                                            <strong>
                                                {format!(
                                                    "Another restore (of “{name}”) is in progress on the server.",
                                                )}
                                            </strong>
                                            " Wait for it to finish, or follow it:"
                                        </p>
                                        <button
                                            type="button"
                                            on:click=move |_| attach(name.clone())
                                        >
                                            "Follow the other restore's live log"
                                        </button>
                                    }
                                })}
                        </StartErrorPanel>
                    }
                })
        }}

        {move || {
            state
                .start
                .running()
                .map(|running| view! { <RunningPanel running form_key=Signal::derive(form_key) /> })
        }}

        <Show when=move || !fs()>
            <VerifyByRestoring folder=Signal::derive(move || {
                state.form.with(|f| f.backup_location.clone())
            }) />
        </Show>
    }
}
