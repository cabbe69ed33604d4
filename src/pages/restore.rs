//! The Restore screen: every field of the restore request for the connected
//! server, validated before sending (the name checked against the server's
//! databases), a confirmation that names what will happen, the exact
//! request, one POST per click, and the restore followed to its true end.

use crate::{
    api::{
        client::Client,
        poll::{Outcome, Phase, PollConfig, WatchTarget, Watched},
        remembered::RememberedOperation,
        watch::{watch_operation, OperationWatch},
        ApiError,
    },
    app::Connection,
    components::{
        connection::{connected_generation, connected_is_v3, database_list},
        error_view::ErrorView,
        field::TextField,
        focus_first_invalid,
        operation_progress::OperationProgress,
        request_review::RequestReview,
    },
    forms::restore::{
        advanced_field_help, build_restore_request, confirmation_sentence, fields_for,
        AdvancedField, RestoreField, RestoreForm, RestoreResource,
    },
    operations_store,
    route::Route,
};
use leptos::prelude::*;

/// A restore being followed.
#[derive(Clone)]
pub struct RunningRestore {
    pub watch: OperationWatch,
    pub resource: RestoreResource,
    pub name: String,
}

/// The Restore screen's state, kept at the app level (memory only) so what
/// was typed survives navigation.
#[derive(Clone, Copy)]
pub struct RestoreState {
    pub form: RwSignal<RestoreForm>,
    pub tried: RwSignal<bool>,
    pub confirming: RwSignal<bool>,
    pub starting: RwSignal<bool>,
    pub start_error: RwSignal<Option<ApiError>>,
    pub running: RwSignal<Option<RunningRestore>>,
    owner: StoredValue<Owner>,
}

impl RestoreState {
    pub fn new() -> Self {
        RestoreState {
            form: RwSignal::new(RestoreForm::default()),
            tried: RwSignal::new(false),
            confirming: RwSignal::new(false),
            starting: RwSignal::new(false),
            start_error: RwSignal::new(None),
            running: RwSignal::new(None),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    /// Follows a restore (started here or found running) under the app's owner.
    fn follow(&self, client: Client, target: WatchTarget, resource: RestoreResource, name: String) {
        let watch = self
            .owner
            .get_value()
            .with(|| watch_operation(client, target, PollConfig::default()));
        self.running.set(Some(RunningRestore {
            watch,
            resource,
            name,
        }));
    }
}

impl Default for RestoreState {
    fn default() -> Self {
        Self::new()
    }
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

/// The name of the resource an "Another restore is in progress (resource
/// name = X)" refusal names.
fn other_restore_name(message: &str) -> Option<String> {
    let start = message.find("resource name = ")? + "resource name = ".len();
    let rest = &message[start..];
    let end = rest.find(')')?;
    Some(rest[..end].to_string()).filter(|n| !n.is_empty())
}

/// The Restore screen for the connected server's protocol generation.
#[component]
pub fn RestorePage() -> impl IntoView {
    let is_v4 = Memo::new(move |_| {
        matches!(
            connected_generation(),
            Some(crate::api::version::Generation::V4Plus { .. })
        )
    });
    move || {
        if is_v4.get() {
            view! { <super::restore4::Restore4Page/> }.into_any()
        } else {
            view! { <Restore3Page/> }.into_any()
        }
    }
}

/// The RavenDB 3.x Restore screen.
#[component]
fn Restore3Page() -> impl IntoView {
    let conn = expect_context::<Connection>();
    let state = expect_context::<RestoreState>();

    let databases = database_list(conn);
    let existing = Memo::new(move |_| match databases.get() {
        Some(Some(Ok(list))) => Some(list.into_iter().map(|d| d.name).collect::<Vec<_>>()),
        _ => None,
    });
    // A restore already running on the server (the lock document).
    let in_progress = LocalResource::new(move || {
        // A 3.x-only read: not before the server said it is 3.x.
        let client = conn.client().filter(|_| connected_is_v3());
        async move {
            match client {
                Some(c) => c.restore_in_progress().await.ok().flatten(),
                None => None,
            }
        }
    });
    let generation = Memo::new(move |_| connected_generation());
    let plan = Memo::new(move |_| {
        let form = state.form.get();
        let names = match form.resource {
            RestoreResource::Database => existing.get(),
            // No list of file systems in the 3.x API the dashboard uses.
            RestoreResource::FileSystem => None,
        };
        generation
            .get()
            .map(|g| build_restore_request(&form, &g, names.as_deref()))
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
    let busy = move || {
        state.starting.get()
            || state
                .running
                .with(|r| r.as_ref().is_some_and(|r| !r.watch.is_over()))
    };

    let ask_confirmation = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.tried.set(true);
        state.start_error.set(None);
        if matches!(plan.get_untracked(), Some(Ok(_))) {
            state.confirming.set(true);
        } else {
            focus_first_invalid();
        }
    };
    let start = move |_| {
        // One POST per click: the guard flips before anything else.
        if state.starting.get_untracked() || untrack(busy) {
            return;
        }
        let (Some(Ok(request)), Some(client), Some(generation)) = (
            plan.get_untracked(),
            conn.client_untracked(),
            generation.get_untracked(),
        ) else {
            return;
        };
        let form = state.form.get_untracked();
        let name = form.name.trim().to_string();
        state.starting.set(true);
        state.confirming.set(false);
        leptos::task::spawn_local(async move {
            let started_ms = js_sys::Date::now();
            match client.start_operation(&request.path, &request.body).await {
                Ok(started) => {
                    let watched = watched_for(form.resource, &name);
                    operations_store::remember(RememberedOperation::new(
                        &watched,
                        started.operation_id,
                        client.base(),
                        started_ms,
                    ));
                    let target = WatchTarget::new(watched, started.operation_id, generation);
                    state.follow(client, target, form.resource, name);
                    databases.refetch();
                }
                Err(e) => {
                    let _ = state.start_error.try_set(Some(e));
                }
            }
            let _ = state.starting.try_set(false);
        });
    };
    // Attach to a restore someone else started (from the lock document).
    let attach = move |name: String| {
        let (Some(client), Some(generation)) =
            (conn.client_untracked(), generation.get_untracked())
        else {
            return;
        };
        let mut target = WatchTarget::new(
            Watched::DatabaseRestore {
                database: name.clone(),
            },
            None,
            generation,
        );
        target.started_after_ms = Some(0.0);
        state.start_error.set(None);
        state.follow(client, target, RestoreResource::Database, name);
    };

    let text_field = move |id: &'static str,
                           label: &'static str,
                           hint: &'static str,
                           field: Option<RestoreField>,
                           get: fn(&RestoreForm) -> &String,
                           set: fn(&mut RestoreForm, String)| {
        view! {
            <TextField id label hint
                value=Signal::derive(move || get(&state.form.get()).clone())
                on_input=Callback::new(move |v: String| state.form.update(|f| set(f, v)))
                error=Signal::derive(move || field.and_then(|f| problem_for(f)()))/>
        }
    };

    view! {
        <h1>"Restore"</h1>
        <p class="lead">
            "Restore a backup folder on the server into a new database and follow it to the end. "
            "A restore never overwrites an existing database."
        </p>
        {move || in_progress.get().flatten().map(|lock| {
            let name = lock.resource.clone();
            view! {
                <section class="panel warning-panel" aria-labelledby="in-progress-title">
                    <h2 id="in-progress-title">"Another restore is in progress"</h2>
                    <p>{format!("The server is restoring “{}”. Only one restore runs at a time.", lock.resource)}</p>
                    <button type="button" on:click=move |_| attach(name.clone())>"Follow its live log"</button>
                </section>
            }
        })}
        <form class="restore-form" on:submit=ask_confirmation novalidate=true>
            <fieldset class="panel">
                <legend>"What to restore"</legend>
                <div class="radio-row">
                    {[(RestoreResource::Database, "A database"), (RestoreResource::FileSystem, "A file system")]
                        .into_iter()
                        .map(|(resource, label)| view! {
                            <label class="radio">
                                <input type="radio" name="restore-resource"
                                    prop:checked=move || state.form.get().resource == resource
                                    on:change=move |_| state.form.update(|f| f.resource = resource)/>
                                {label}
                            </label>
                        })
                        .collect_view()}
                </div>
                {text_field("restore-backup-location", "Backup folder on the server",
                    "The folder, on the server's disk, that holds the backup (the one given to the backup). Not a path on this computer.",
                    Some(RestoreField::BackupLocation), |f| &f.backup_location, |f, v| f.backup_location = v)}
                {move || {
                    let fs = state.form.get().resource == RestoreResource::FileSystem;
                    text_field("restore-name",
                        if fs { "New file system name" } else { "New database name" },
                        "Letters, digits, _ - and . only. It must not exist on the server yet: a restore always creates a new one.",
                        Some(RestoreField::Name), |f| &f.name, |f, v| f.name = v)
                }}
            </fieldset>
            <details class="panel advanced">
                <summary>"Advanced options"</summary>
                {move || generation.get().map(|g| {
                    let resource = state.form.get().resource;
                    fields_for(&g, resource).into_iter().map(|(field, availability)| {
                        let note = availability.note();
                        let help = advanced_field_help(field);
                        let fs = resource == RestoreResource::FileSystem;
                        let body = match field {
                            AdvancedField::DatabaseLocation => text_field("restore-location",
                                if fs { "File system location" } else { "Database location" }, help,
                                Some(RestoreField::Location), |f| &f.location, |f, v| f.location = v).into_any(),
                            AdvancedField::IndexesLocation => text_field("restore-indexes", "Indexes location", help,
                                Some(RestoreField::IndexesLocation), |f| &f.indexes_location, |f, v| f.indexes_location = v).into_any(),
                            AdvancedField::JournalsLocation => text_field("restore-journals", "Journals (logs) location", help,
                                Some(RestoreField::JournalsLocation), |f| &f.journals_location, |f, v| f.journals_location = v).into_any(),
                            AdvancedField::RestoreStartTimeout => text_field("restore-timeout", "Wait for another restore (seconds)", help,
                                Some(RestoreField::RestoreStartTimeout), |f| &f.restore_start_timeout, |f, v| f.restore_start_timeout = v).into_any(),
                            AdvancedField::Defrag => checkbox("restore-defrag", "Defragment after restore (Esent)", help,
                                state, |f| f.defrag, |f, v| f.defrag = v).into_any(),
                            AdvancedField::DisableReplicationDestinations => checkbox("restore-disable-replication",
                                "Disable replication destinations", help, state,
                                |f| f.disable_replication_destinations, |f, v| f.disable_replication_destinations = v).into_any(),
                            AdvancedField::GenerateNewDatabaseId => checkbox("restore-new-id", "Generate a new database id", help,
                                state, |f| f.generate_new_database_id, |f, v| f.generate_new_database_id = v).into_any(),
                        };
                        view! {
                            <div class="advanced-field">
                                {body}
                                {note.map(|n| view! { <p class="hint">{n}</p> })}
                            </div>
                        }
                    }).collect_view()
                })}
            </details>

            <RequestReview request=Signal::derive(move || plan.get().and_then(|p| p.ok()))/>

            {move || (state.tried.get() && matches!(plan.get(), Some(Err(_)))).then(|| view! {
                <div class="error-box" role="alert">
                    <p class="error-headline">"The restore cannot start yet:"</p>
                    <ul>
                        {plan.with(|p| match p {
                            Some(Err(problems)) => problems.iter().map(|p| view! { <li>{p.message.clone()}</li> }).collect_view().into_any(),
                            _ => ().into_any(),
                        })}
                    </ul>
                </div>
            })}
            <Show when=move || generation.get().is_none()>
                <p class="warning-text">"Not connected to a RavenDB server: see Server settings above."</p>
            </Show>
            <div class="actions">
                <button type="submit" disabled=move || busy() || generation.get().is_none()>
                    {move || if state.starting.get() { "Starting…" } else { "Restore…" }}
                </button>
            </div>
        </form>

        <Show when=move || state.confirming.get()>
            <section class="panel confirm" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
                <h2 id="confirm-title">"Confirm the restore"</h2>
                <p id="confirm-text">{move || format!("{}.", confirmation_sentence(&state.form.get()))}</p>
                <div class="actions">
                    <button type="button" on:click=start disabled=busy>"Yes, restore"</button>
                    <button type="button" class="secondary" on:click=move |_| state.confirming.set(false)>"Change something"</button>
                </div>
            </section>
        </Show>

        {move || state.start_error.get().map(|e| {
            let other = match &e {
                ApiError::Unavailable { message } => other_restore_name(message),
                _ => None,
            };
            view! {
                <section class="panel" aria-labelledby="restore-error-title">
                    <h2 id="restore-error-title">"The server did not start the restore"</h2>
                    {other.map(|name| view! {
                        <p><strong>{format!("Another restore (of “{name}”) is in progress on the server.")}</strong>
                           " Wait for it to finish, or follow it:"</p>
                        <button type="button" on:click=move |_| attach(name.clone())>"Follow the other restore's live log"</button>
                    })}
                    <ErrorView error=e/>
                </section>
            }
        })}

        {move || state.running.get().map(|r| {
            let name = r.name.clone();
            let watch = r.watch;
            let succeeded = move || watch.snapshot.with(|s| matches!(s.phase, Phase::Finished(Outcome::Succeeded { .. })));
            let noun = r.resource.noun();
            view! {
                <OperationProgress
                    watch=r.watch
                    noun="Restore"
                    subject=format!("{noun} {}", r.name)
                    success_note=Some(format!("The new {noun} {} is on the server.", r.name))
                    kill=None
                />
                <Show when=move || succeeded() && r.resource == RestoreResource::Database>
                    <p class="next-step">
                        <a href=Route::Backup { database: Some(name.clone()) }.href()>{format!("Back up {name} now")}</a>
                    </p>
                </Show>
            }
        })}
    }
}

fn checkbox(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    state: RestoreState,
    get: fn(&RestoreForm) -> bool,
    set: fn(&mut RestoreForm, bool),
) -> impl IntoView {
    let help_id = format!("{id}-help");
    view! {
        <div class="choice">
            <input type="checkbox" id=id aria-describedby=help_id.clone()
                prop:checked=move || get(&state.form.get())
                on:change:target=move |ev| state.form.update(|f| set(f, ev.target().checked()))/>
            <label for=id>{label}</label>
            <p id=help_id class="hint">{help}</p>
        </div>
    }
}
