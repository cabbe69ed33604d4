//! The Backup screen for RavenDB 4.x and later: the database's backup tasks
//! with their last and next runs and "back up now", and a one-time backup to
//! a folder on the server — with the one-time endpoint where the server has
//! it (4.2+), otherwise through a clearly labelled temporary task that the
//! dashboard creates only with the admin's consent and removes afterwards.

use super::{
    frame::NameField,
    v4_start::{Backup4State, How4, Start4},
};
use crate::{
    api::{
        poll::{Outcome, Phase},
        wire4x::OngoingTasks,
    },
    components::{
        error_view::ErrorView,
        field::TextField,
        flow::{lost_start_of, RunningPanel, StartErrorPanel},
        request_review::RequestReview,
    },
    forms::{
        backup4::{
            has_one_time_endpoint, one_time_plan, one_time_problems, OneTimeField,
            TEMPORARY_TASK_PLACEHOLDER,
        },
        fingerprint, PlannedRequest,
    },
    pages::screen_state,
    state::{
        connection::{connected_generation, Connection},
        databases::use_databases,
        drill::DrillRequest,
    },
};
use leptos::prelude::*;

/// The 4.x+ Backup screen's body, below the database (the frame's, with
/// the name `field`).
#[component]
pub fn Backup4Body(
    /// The name field's signals (the frame's); the database is read here.
    field: NameField,
) -> impl IntoView {
    let conn = expect_context::<Connection>();
    let state = screen_state(Backup4State::new);
    let databases = use_databases();
    let matched = databases.matching(field.value.into());
    let after = state.after.value();
    let tasks = LocalResource::new(move || {
        let client = conn.client();
        let db = matched.get();
        // Re-read when a run starts and when it has ended (and a temporary
        // task was removed), so the list and the last backup times are current.
        state.start.track();
        after.track();
        async move {
            let (client, db) = (client?, db?);
            Some(client.tasks4(&db).await)
        }
    });
    let generation = Memo::new(move |_| connected_generation());
    // "Verify by restoring" once the backup has succeeded and the server
    // said which folder it wrote.
    let verify = move || {
        after.with(|a| {
            let a = a.as_ref()?;
            Some(DrillRequest {
                folder: a.folder.clone()?,
                source_db: a.database.clone(),
            })
        })
    };
    let busy = move || state.start.busy();
    let problems = Memo::new(move |_| {
        state
            .folder
            .with(|folder| one_time_problems(folder, generation.get(), state.consent.get()))
    });
    let problem = move |field: OneTimeField| {
        move || {
            if !state.tried.get() {
                return None;
            }
            problems.with(|p| {
                p.iter()
                    .find(|p| p.field == field)
                    .map(|p| p.message.clone())
            })
        }
    };
    let plan = Memo::new(move |_| {
        let (Some(db), Some(g)) = (matched.get(), generation.get()) else {
            return Vec::new();
        };
        let folder = state.folder.with(|f| f.trim().to_string());
        if folder.is_empty() {
            return Vec::new();
        }
        one_time_plan(&db, &folder, g)
    });
    let needs_temporary_task = move || generation.get().is_some_and(|g| !has_one_time_endpoint(g));

    let start = move |how: How4| {
        let (Some(client), Some(generation), Some(database)) = (
            conn.client_untracked(),
            generation.get_untracked(),
            matched.get_untracked(),
        ) else {
            return;
        };
        state.start.start(Start4 {
            client,
            generation,
            database,
            how,
        });
    };
    let back_up_now = move |task_id: i64, task_name: String, full: bool| {
        start(How4::Now {
            task_id,
            task_name,
            full,
        })
    };
    let one_time = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.tried.set(true);
        if untrack(busy) || !problems.with_untracked(Vec::is_empty) {
            return;
        }
        start(How4::OneTime {
            folder: state.folder.with_untracked(|f| f.trim().to_string()),
        });
    };

    view! {
        <Show when=move || matched.with(Option::is_some)>
            <section class="panel" aria-labelledby="tasks-title">
                <h2 id="tasks-title">
                    {move || format!("Backup tasks of {}", matched.get().unwrap_or_default())}
                </h2>
                {move || match tasks.get().flatten() {
                    None => view! { <p>"Reading the database's tasks…"</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e /> }.into_any(),
                    Some(Ok(list)) => {
                        view! {
                            <TaskTable
                                list
                                busy=Signal::derive(busy)
                                back_up_now=Callback::new(move |(id, name, full)| back_up_now(
                                    id,
                                    name,
                                    full,
                                ))
                            />
                        }
                            .into_any()
                    }
                }}
            </section>

            <form class="panel" on:submit=one_time novalidate=true aria-labelledby="one-time-title">
                <h2 id="one-time-title">"One-time backup to a folder on the server"</h2>
                <TextField
                    id="backup4-folder"
                    label="Backup folder on the server"
                    hint="A path on the server's disk, not on this computer. RavenDB writes a new sub-folder (…ravendb-<database>-<node>-backup) there."
                    value=state.folder
                    on_input=Callback::new(move |v: String| state.folder.set(v))
                    error=Signal::derive(problem(OneTimeField::Folder))
                />
                <Show when=needs_temporary_task>
                    <div class="secrets-warning" role="note">
                        <p>
                            <strong>
                                {move || generation.get().map(|g| g.label()).unwrap_or_default()}
                            </strong>
                            {format!(
                                " has no one-time backup. The dashboard will create a temporary backup task on the server, named “{TEMPORARY_TASK_PLACEHOLDER}” (yearly schedule, local folder only), run it once, and delete it when the backup has ended.",
                            )}
                        </p>
                        <div class="choice">
                            <input
                                type="checkbox"
                                id="backup4-consent"
                                prop:checked=move || state.consent.get()
                                on:change:target=move |ev| state.consent.set(ev.target().checked())
                                aria-invalid=move || {
                                    problem(OneTimeField::Consent)().is_some().to_string()
                                }
                                aria-describedby="backup4-consent-error"
                            />
                            <label for="backup4-consent">
                                "Create the temporary backup task on the server"
                            </label>
                        </div>
                        <p id="backup4-consent-error" class="field-error">
                            {problem(OneTimeField::Consent)}
                        </p>
                    </div>
                </Show>
                {move || {
                    let steps = plan.get();
                    (!steps.is_empty())
                        .then(|| view! { <div class="review-steps">{review_steps(steps)}</div> })
                }}
                <div class="actions">
                    <button type="submit" disabled=busy>
                        {move || {
                            if state.start.pending() {
                                "Starting…"
                            } else {
                                "Start one-time backup"
                            }
                        }}
                    </button>
                </div>
            </form>
        </Show>

        {lost_start_of("backup4-lost-title", state.start)}
        {move || {
            state
                .start
                .error()
                .map(|error| {
                    view! {
                        <StartErrorPanel
                            id="backup4-error-title"
                            title="The server did not start the backup"
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
                    let watch = running.watch;
                    let ok = move || {
                        watch
                            .snapshot
                            .with(|s| matches!(s.phase, Phase::Finished(Outcome::Succeeded { .. })))
                    };
                    view! {
                        <RunningPanel
                            running
                            form_key=Signal::derive(move || matched.with(fingerprint))
                            verify=Signal::derive(verify)
                        />
                        <div role="status">
                            {move || {
                                after
                                    .get()
                                    .unwrap_or_default()
                                    .notes
                                    .into_iter()
                                    .map(|n| view! { <p>{n}</p> })
                                    .collect_view()
                            }}
                        </div>
                        <Show when=ok>
                            <p class="hint">"Use the backup folder above on the Restore screen."</p>
                        </Show>
                    }
                })
        }}
    }
}

/// The review of each request a one-time backup sends; two steps on
/// 4.0/4.1, each with its own heading and ids.
fn review_steps(steps: Vec<PlannedRequest>) -> AnyView {
    const TITLES: [(&str, &str); 2] = [
        ("review-step-1-title", "Review the request (step 1 of 2)"),
        ("review-step-2-title", "Review the request (step 2 of 2)"),
    ];
    if steps.len() != TITLES.len() {
        return steps
            .into_iter()
            .map(
                |req| view! { <RequestReview request=Signal::derive(move || Some(req.clone())) /> },
            )
            .collect_view()
            .into_any();
    }
    steps
        .into_iter()
        .zip(TITLES)
        .map(|(req, (title_id, title))| {
            view! { <RequestReview request=Signal::derive(move || Some(req.clone())) title_id title /> }
        })
        .collect_view()
        .into_any()
}

/// The database's backup tasks, each with "back up now".
#[component]
fn TaskTable(
    /// The database's ongoing tasks.
    list: OngoingTasks,
    /// While true, nothing can be started.
    busy: Signal<bool>,
    /// Runs a task now: its id, its name, and whether the backup is full.
    back_up_now: Callback<(i64, String, bool)>,
) -> impl IntoView {
    let backups: Vec<_> = list.backups().cloned().collect();
    if backups.is_empty() {
        return view! { <p>"This database has no backup task. Use the one-time backup below."</p> }
            .into_any();
    }
    view! {
        <table class="tasks">
            <caption class="visually-hidden">"Backup tasks"</caption>
            <thead>
                <tr>
                    <th scope="col">"Task"</th>
                    <th scope="col">"Destinations"</th>
                    <th scope="col">"Last full"</th>
                    <th scope="col">"Last incremental"</th>
                    <th scope="col">"Next run"</th>
                    <th scope="col">"Back up now"</th>
                </tr>
            </thead>
            <tbody>
                {backups
                    .into_iter()
                    .map(|t| {
                        let id = t.task_id;
                        let next = t
                            .next_backup
                            .as_ref()
                            .and_then(|n| n.date_time.clone())
                            .unwrap_or_else(|| "—".into());
                        view! {
                            <tr>
                                <th scope="row">
                                    {t.task_name.clone()}
                                    {(!t.is_enabled()).then_some(" (disabled)")}
                                </th>
                                <td>{t.backup_destinations.join(", ")}</td>
                                <td>
                                    {t.last_full_backup.clone().unwrap_or_else(|| "never".into())}
                                </td>
                                <td>
                                    {t
                                        .last_incremental_backup
                                        .clone()
                                        .unwrap_or_else(|| "never".into())}
                                </td>
                                <td>{next}</td>
                                <td class="row-actions">
                                    <button
                                        type="button"
                                        disabled=move || busy.get()
                                        on:click={
                                            let name = t.task_name.clone();
                                            move |_| back_up_now.run((id, name.clone(), true))
                                        }
                                        aria-label=format!("Full backup now with {}", t.task_name)
                                    >
                                        "Full"
                                    </button>
                                    " "
                                    <button
                                        type="button"
                                        class="secondary"
                                        disabled=move || busy.get()
                                        on:click={
                                            let name = t.task_name.clone();
                                            move |_| back_up_now.run((id, name.clone(), false))
                                        }
                                        aria-label=format!(
                                            "Incremental backup now with {}",
                                            t.task_name,
                                        )
                                    >
                                        "Incremental"
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
