//! The RavenDB 3.x Backup screen: pick what to back up, where and how,
//! decide exactly which DatabaseDocument goes into the backup (with an
//! honest warning about the secrets it carries), review the exact request,
//! start it once, and follow it to its true end.

use super::{
    document::{DiscardQuestion, DocumentPanel},
    frame::{NameField, FORM3_ID},
    secrets::SecretsWarning,
    v3_state::{BackupStart, BackupState, StartBackup, TargetKind},
};
use crate::{
    api::{
        poll::{WatchTarget, Watched},
        wire3x::DatabaseDocument,
        ApiError,
    },
    components::{
        error_view::ErrorView,
        flow::{lost_start_of, ProblemList, RunningPanel, StartErrorPanel},
        focus_first_invalid,
        request_review::RequestReview,
    },
    forms::{
        backup::{
            build_backup_request, incremental_support, same_drive_warning, secrets_carried,
            BackupField, BackupTarget, IncrementalSupport,
        },
        document_origin::{foreign_document, foreign_document_problem, review_note},
        PlannedRequest, Problem,
    },
    pages::screen_state,
    state::{
        connection::{connected_generation, is_v3, Connection},
        databases::use_databases,
        drill::DrillRequest,
        operations::{Running, StartPost},
    },
};
use leptos::prelude::*;

fn success_note(location: &str) -> String {
    format!("The backup is in {} on the server.", location.trim())
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

/// The stored document of the chosen database, as read from the server.
pub type StoredResource = LocalResource<Option<(String, Result<DatabaseDocument, ApiError>)>>;

/// The RavenDB 3.x Backup screen's body, below what to back up (the
/// frame's, with the name `field`).
#[component]
pub fn Backup3Body(
    /// The name field's signals (the frame's): its error is set here.
    field: NameField,
) -> impl IntoView {
    let conn = expect_context::<Connection>();
    let state = expect_context::<BackupState>();
    let BackupStart {
        start: starter,
        follower,
    } = screen_state(BackupStart::new);
    let databases = use_databases();
    let kind = Memo::new(move |_| state.kind.get());
    // The chosen database, once it names one that exists.
    let named = databases.matching(field.value.into());
    let matched_database = Memo::new(move |_| {
        (kind.get() == TargetKind::Database)
            .then(|| named.get())
            .flatten()
    });
    let stored: StoredResource = LocalResource::new(move || {
        let client = conn.client();
        let name = matched_database.get();
        // A 3.x-only read: not before the server said it is 3.x.
        let v3 = is_v3();
        async move {
            let (client, name) = (client.filter(|_| v3)?, name?);
            let result = client
                .database_document(&name)
                .await
                .map(|(doc, _etag)| doc);
            Some((name, result))
        }
    });
    // The stored document of the chosen database (never the one of a
    // database chosen before), named after it when it has no Id.
    let stored_doc = Memo::new(move |_| {
        let wanted = matched_database.get();
        stored.with(|s| match s {
            Some(Some((name, Ok(doc)))) if wanted.as_ref() == Some(name) => {
                let mut doc = doc.clone();
                if doc.id.is_none() {
                    doc.id = Some(name.clone());
                }
                Some(doc)
            }
            _ => None,
        })
    });

    let carried = Memo::new(move |_| {
        stored_doc.with(|stored| state.form.with(|f| secrets_carried(f, stored.as_ref())))
    });
    // The target whose document the editor holds, when it is not the chosen
    // one: nothing is sent until the admin says what becomes of it.
    let foreign = Memo::new(move |_| {
        state.form.with(|f| {
            state
                .origin
                .with(|o| foreign_document(&f.document_text, o.as_ref(), f.target.as_ref()))
        })
    });
    let plan = Memo::new(move |_| {
        let plan = stored_doc.with(|stored| {
            state
                .form
                .with(|f| build_backup_request(f, stored.as_ref()))
        });
        let Some(from) = foreign.get() else {
            return plan;
        };
        let to = state.form.with(|f| f.target.clone());
        let problem = Problem::new(
            BackupField::Document,
            foreign_document_problem(from.as_ref(), to.as_ref()),
        );
        Err(match plan {
            Ok(_) => vec![problem],
            Err(mut problems) => {
                problems.insert(0, problem);
                problems
            }
        })
    });
    let note = Memo::new(move |_| {
        state.form.with(|f| {
            state
                .origin
                .with(|o| review_note(f.choice, f.target.as_ref(), o.as_ref(), &f.document_text))
        })
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
    let location = Memo::new(move |_| state.form.with(|f| f.location.clone()));
    let incremental = Memo::new(move |_| state.form.with(|f| f.incremental));
    let busy = move || starter.busy();
    // What the form would send now (see `Running::form_key`).
    let form_key = move || plan.with(|p| p.as_ref().map(PlannedRequest::fingerprint).unwrap_or(0));

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if untrack(|| starter.busy()) {
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
            starter.fail(ApiError::Unreachable {
                url: conn
                    .server_url_untracked()
                    .map(|(u, _)| u)
                    .unwrap_or_default(),
            });
            return;
        };
        let Some(target) = state.form.with_untracked(|f| f.target.clone()) else {
            return;
        };
        starter.start(StartBackup {
            post: StartPost {
                client,
                generation,
                what: watched_of(&target),
                request,
                success_note: success_note(&location.get_untracked()),
            },
            target,
        });
    };

    // "Verify by restoring" once a database backup has succeeded (shown
    // only while the form still holds the run's folder).
    let verify = move || {
        let Watched::DatabaseBackup {
            database: Some(source_db),
        } = starter.running()?.what
        else {
            return None;
        };
        let folder = location.get().trim().to_string();
        (!folder.is_empty()).then_some(DrillRequest { folder, source_db })
    };

    let attach_to_running = move |_| {
        let (Some(client), Some(generation)) =
            (conn.client_untracked(), untrack(connected_generation))
        else {
            return;
        };
        let Some(target) = state.form.with_untracked(|f| f.target.clone()) else {
            return;
        };
        let what = watched_of(&target);
        let mut watch_target = WatchTarget::new(what.clone(), None, generation);
        // The running backup began before now: accept its status document.
        watch_target.started_after_ms = Some(0.0);
        starter.attach(Running {
            watch: follower.follow(client, watch_target),
            what,
            kill: None,
            success_note: Some(success_note(&location.get_untracked())),
            form_key: Some(untrack(form_key)),
            focus: Default::default(),
            lost_answer: None,
            node: None,
        });
    };

    // The field's error for a refused start, shown by the frame.
    Effect::new(move |_| field.error.set(problem_for(BackupField::Target)()));
    on_cleanup(move || {
        field.error.try_set(None);
    });

    view! {
        <form id=FORM3_ID class="backup-form" on:submit=start novalidate=true>
            {move || {
                stored
                    .with(|s| match s {
                        Some(
                            Some((name, Err(e))),
                        ) if matched_database.with(|m| m.as_ref() == Some(name)) => {
                            Some(
                                view! {
                                    <div>
                                        <p>
                                            {format!(
                                                "The stored document of {name} could not be read:",
                                            )}
                                        </p>
                                        <ErrorView error=e.clone() />
                                    </div>
                                },
                            )
                        }
                        _ => None,
                    })
            }}

            <DiscardQuestion state foreign />

            <fieldset class="panel">
                <legend>"Where"</legend>
                <label for="backup-location">"Backup folder on the server"</label>
                <input
                    id="backup-location"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="C:\\Backups\\Northwind"
                    prop:value=move || location.get()
                    on:input:target=move |ev| {
                        state.form.update(|f| f.location = ev.target().value())
                    }
                    aria-invalid=move || problem_for(BackupField::Location)().is_some().to_string()
                    aria-describedby="backup-location-hint backup-location-error backup-location-warning"
                />
                <p id="backup-location-hint" class="hint">
                    "A path on the server's disk, not on this computer. The server writes the backup there."
                </p>
                <p id="backup-location-error" class="field-error">
                    {problem_for(BackupField::Location)}
                </p>
                <p id="backup-location-warning" class="warning-text">
                    {move || {
                        stored_doc
                            .with(|doc| location.with(|l| same_drive_warning(l, doc.as_ref())))
                    }}
                </p>
            </fieldset>

            <fieldset class="panel">
                <legend>"Full or incremental"</legend>
                <div class="radio-row">
                    <label class="radio">
                        <input
                            type="radio"
                            name="backup-incremental"
                            prop:checked=move || !incremental.get()
                            on:change=move |_| state.form.update(|f| f.incremental = false)
                        />
                        "Full backup"
                    </label>
                    <label class="radio">
                        <input
                            type="radio"
                            name="backup-incremental"
                            prop:checked=move || incremental.get()
                            on:change=move |_| state.form.update(|f| f.incremental = true)
                        />
                        "Incremental backup"
                    </label>
                </div>
                <p class="hint">
                    "A full backup needs an empty or new folder. An incremental backup adds what changed to a folder that already holds this database's backups; it needs "
                    <code>"Raven/Voron/AllowIncrementalBackups=true"</code> " (Voron) or "
                    <code>"Raven/Esent/CircularLog=false"</code>
                    " (Esent) in the database's settings."
                </p>
                {move || {
                    incremental
                        .get()
                        .then(|| {
                            stored_doc
                                .with(|doc| match incremental_support(doc.as_ref()) {
                                    IncrementalSupport::NotAllowed(setting) => {
                                        Some(
                                            view! {
                                                <p class="warning-text">
                                                    {format!(
                                                        "This database's settings do not allow incremental backups ({setting}); the server will refuse.",
                                                    )}
                                                </p>
                                            },
                                        )
                                    }
                                    _ => None,
                                })
                        })
                }}
            </fieldset>

            <Show when=move || kind.get() != TargetKind::System>
                <DocumentPanel state stored=stored_doc />
            </Show>

            <SecretsWarning
                state
                carried
                stored=stored_doc
                checking=Signal::derive(move || {
                    matched_database
                        .with(|m| {
                            m.is_some()
                                && stored
                                    .with(|s| {
                                        !matches!(
                                            s,
                                            Some(Some((name, _)))
                                            if m.as_ref() == Some(name)
                                        )
                                    })
                        })
                })
            />

            <RequestReview request=Signal::derive(move || plan.get().ok()) note />

            <ProblemList
                title="The backup cannot start yet:"
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
                    {move || if starter.pending() { "Starting…" } else { "Start backup" }}
                </button>
            </div>
        </form>

        {lost_start_of("start-lost-title", starter)}
        {move || {
            starter
                .error()
                .map(|e| {
                    let already_running = e
                        .server_message()
                        .is_some_and(|m| m.contains("Backup is already running"));
                    view! {
                        <StartErrorPanel
                            id="start-error-title"
                            title="The server did not start the backup"
                            error=e
                        >
                            {already_running
                                .then(|| {
                                    view! {
                                        <p>
                                            <strong>
                                                "A backup of this database is already running on the server."
                                            </strong>
                                            " Only one backup of a database can run at a time. You can follow the running one:"
                                        </p>
                                        <button type="button" on:click=attach_to_running>
                                            "Attach to the running backup"
                                        </button>
                                    }
                                })}
                        </StartErrorPanel>
                    }
                })
        }}

        {move || {
            starter
                .running()
                .map(|running| {
                    view! {
                        <RunningPanel
                            running
                            form_key=Signal::derive(form_key)
                            verify=Signal::derive(verify)
                        />
                    }
                })
        }}
    }
}
