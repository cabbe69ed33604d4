//! "Verify by restoring" on the 3.x Restore screen (issue 17): the backup
//! folder typed above restored into a scratch database, compared with its
//! source and hard-deleted; the report with its JSON download; the scratch
//! databases an interrupted drill left, each with a one-click delete; and
//! when this browser last verified the folder.

use crate::{
    components::{field::TextField, flow::ConfirmPanel, operation_progress::offer_download},
    drill::{
        compare::{CompareLimits, Difference},
        kept::last_verified,
        name::scratch_name,
        report::Cleanup,
        run::{delete_scratch, run_drill, DrillPlan, Stage},
    },
    forms::restore::taken_name,
    present::time::date_time,
    route::Route,
    state::{
        connection::{connected_generation, Connection},
        databases::use_databases,
        drill::{use_drill, DrillRequest, DrillState},
    },
};
use leptos::prelude::*;

/// Differing ids shown on screen (the JSON has every one kept).
const SHOWN_IDS: usize = 20;

fn difference_words(d: Difference) -> &'static str {
    match d {
        Difference::Missing => "missing from the restored copy",
        Difference::Different => "different content",
        Difference::ChangedSinceBackup => "changed on the source since the backup",
        Difference::DeletedSinceBackup => "deleted on the source since the backup",
    }
}

/// The panel. `folder` is the Restore form's backup folder.
#[component]
pub fn VerifyByRestoring(
    /// The backup folder on the server, as typed on the Restore form.
    #[prop(into)]
    folder: Signal<String>,
    /// 4.x and later: the restore point chosen (empty = the latest).
    #[prop(optional, into)]
    last_file: Option<Signal<String>>,
    /// 4.x and later: the key of an encrypted backup (memory only) and
    /// whether it is revealed; its field is shown in the panel.
    #[prop(optional)]
    key: Option<(RwSignal<String>, RwSignal<bool>)>,
) -> impl IntoView {
    let drill = use_drill();
    let conn = expect_context::<Connection>();
    let databases = use_databases();
    let server = move || conn.client().map(|c| c.base().to_string());
    let generation_now = Memo::new(move |_| connected_generation());
    let problem = Memo::new(move |_| {
        let folder = folder.get();
        let source = drill.source().get();
        if folder.trim().is_empty() {
            return Some(
                "Enter the backup folder above (Backup folder on the server) first.".to_string(),
            );
        }
        if source.trim().is_empty() {
            return Some("Enter the database the backup was taken from: the restored copy is compared with it.".to_string());
        }
        let names = databases.names.get()?;
        match taken_name(names.iter().map(String::as_str), &source) {
            Some(_) => None,
            None => Some(format!(
                "There is no database named “{}” on the server to compare with.",
                source.trim()
            )),
        }
    });
    let shown_problem = Signal::derive(move || {
        if drill.tried().get() {
            problem.get()
        } else {
            None
        }
    });
    let ask = move |_| {
        if problem.get_untracked().is_none() && !drill.running() {
            drill.confirm_at(js_sys::Date::now());
        } else {
            drill.mark_tried();
        }
    };
    let sentence = move || {
        let at = drill.confirming().get().unwrap_or_default();
        let source = drill.source().get().trim().to_string();
        let scratch = scratch_name(&source, at).unwrap_or_default();
        let cost = if generation_now.get().is_some_and(|g| g.major_minor().0 >= 4) {
            crate::drill::v4::cost_sentence()
        } else {
            "RavenDB 3.x does not say a backup's size before a restore: the server needs about as much free disk as the backup folder holds while the check runs."
        };
        format!(
            "Restore the backup at {} into a new scratch database {scratch}, compare every document with {source}, then hard-delete {scratch}, whatever the result. {cost}",
            folder.get().trim()
        )
    };
    let go = move || {
        let Some(at_ms) = drill.confirming().get_untracked() else {
            return;
        };
        let (Some(client), Some(generation)) = (conn.client_untracked(), connected_generation())
        else {
            return;
        };
        if drill.running() {
            return;
        }
        drill.close_confirmation();
        let source = drill.source().with_untracked(|s| {
            taken_name(
                databases
                    .names
                    .get_untracked()
                    .unwrap_or_default()
                    .iter()
                    .map(String::as_str),
                s,
            )
            .map(str::to_string)
            .unwrap_or_else(|| s.trim().to_string())
        });
        let plan = DrillPlan {
            client,
            generation,
            source: source.clone(),
            folder: folder.get_untracked().trim().to_string(),
            last_file: last_file.map(|s| s.get_untracked()).unwrap_or_default(),
            key: crate::drill::run::BackupKey(
                key.map(|(k, _)| k.get_untracked()).unwrap_or_default(),
            ),
            at_ms,
            limits: CompareLimits::default(),
        };
        drill.set_stage(Stage::Restoring {
            scratch: scratch_name(&source, at_ms).unwrap_or_default(),
        });
        leptos::task::spawn_local(async move {
            let report = run_drill(drill.follower(), plan, move |s| drill.set_stage(s)).await;
            drill.finish(report);
            databases.refetch();
        });
    };
    let last = move || {
        let server = server()?;
        let folder = folder.get();
        drill
            .verified()
            .with(|list| last_verified(list, &server, &folder).cloned())
    };

    view! {
        <section class="panel drill" aria-labelledby="drill-title">
            <h2 id="drill-title">"Verify a backup by restoring it"</h2>
            <p>
                "Restores the backup folder above into a scratch database, compares every document with the database it was taken from, then hard-deletes the scratch database. Nothing else on the server is changed."
            </p>
            {move || {
                last()
                    .map(|v| {
                        view! {
                            <p class="drill-last">
                                {format!(
                                    "Last verified in this browser: {}. {}",
                                    date_time(v.at_ms),
                                    v.sentence,
                                )}
                            </p>
                        }
                    })
            }}
            <TextField
                id="drill-source"
                label="Database the backup was taken from"
                hint="The restored copy is compared with this database."
                value=drill.source()
                on_input=Callback::new(move |v: String| drill.set_source(v))
                error=shown_problem
            />
            {key
                .map(|(key, shown)| {
                    view! { <crate::components::drill_key::DrillKeyInput key shown /> }
                })}
            <div class="actions">
                <button type="button" on:click=ask disabled=move || drill.running()>
                    "Verify by restoring…"
                </button>
            </div>
        </section>
        {move || {
            drill
                .confirming()
                .with(Option::is_some)
                .then(|| {
                    view! {
                        <ConfirmPanel
                            id="drill-confirm"
                            title="Confirm the verification"
                            sentence=Signal::derive(sentence)
                            yes="Yes, verify"
                            no="Cancel"
                            on_yes=Callback::new(move |_| go())
                            on_no=Callback::new(move |_| drill.close_confirmation())
                            busy=Signal::derive(move || drill.running())
                        />
                    }
                })
        }}
        <LeftScratchDatabases />
        {move || {
            drill
                .running()
                .then(|| {
                    view! {
                        <section class="panel" aria-labelledby="drill-progress-title">
                            <h2 id="drill-progress-title">"Verification running"</h2>
                            <p aria-live="polite">{move || drill.stage_words()}</p>
                        </section>
                    }
                })
        }}
        {move || {
            drill
                .report()
                .get()
                .map(|report| {
                    let listed: Vec<(String, Difference)> = match &report.result {
                        crate::drill::report::DrillResult::Compared { tally } => {
                            tally
                                .listed
                                .iter()
                                .take(SHOWN_IDS)
                                .map(|d| (d.id.clone(), d.difference))
                                .collect()
                        }
                        _ => Vec::new(),
                    };
                    let class = if report.restorable() {
                        "panel drill-ok"
                    } else {
                        "panel drill-failed"
                    };
                    let json = report.to_json();
                    let file = report.file_name();
                    view! {
                        <section class=class aria-labelledby="drill-result-title" tabindex="-1">
                            <h2 id="drill-result-title">"Verification result"</h2>
                            <p class="drill-sentence" aria-live="polite">
                                {report.sentence()}
                            </p>
                            {report
                                .notes()
                                .into_iter()
                                .map(|n| view! { <p class="hint">{n}</p> })
                                .collect_view()}
                            <p>{report.cleanup_sentence()}</p>
                            {(!listed.is_empty())
                                .then(|| {
                                    view! {
                                        <h3 id="drill-differing-title">"Documents that differ"</h3>
                                        <ul aria-labelledby="drill-differing-title">
                                            {listed
                                                .into_iter()
                                                .map(|(id, d)| {
                                                    view! {
                                                        <li>
                                                            <code>{id}</code>
                                                            {format!(": {}", difference_words(d))}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                            <div class="actions">
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| offer_download(
                                        &file,
                                        "application/json",
                                        &json,
                                    )
                                >
                                    "Download the report (JSON)"
                                </button>
                            </div>
                        </section>
                    }
                })
        }}
    }
}

/// The scratch databases an interrupted drill left on the server in use
/// (this browser remembers each name before the restore is asked for),
/// each with a one-click hard delete; nothing when there are none.
#[component]
pub fn LeftScratchDatabases() -> impl IntoView {
    let drill = use_drill();
    let conn = expect_context::<Connection>();
    let databases = use_databases();
    let delete_left = move |name: String| {
        let Some(client) = conn.client_untracked() else {
            return;
        };
        let generation = connected_generation();
        leptos::task::spawn_local(async move {
            let cleanup = delete_scratch(&client, generation, &name).await;
            let words = match cleanup {
                Cleanup::Deleted => format!("{name} was hard-deleted."),
                Cleanup::NothingToDelete => {
                    format!("{name} is not on the server (any more); it is forgotten.")
                }
                Cleanup::Failed { reason } => format!("{name} could not be deleted: {reason}"),
            };
            drill.deleted(words);
            databases.refetch();
        });
    };
    let left_here = move || {
        let server = conn.client().map(|c| c.base().to_string());
        drill.pending().with(|list| {
            list.iter()
                .filter(|p| Some(&p.server) == server.as_ref())
                // The running drill's own scratch database is not "left".
                .filter(|p| {
                    drill.stage().with(|s| match s {
                        Some(Stage::Restoring { scratch })
                        | Some(Stage::Comparing { scratch, .. })
                        | Some(Stage::Deleting { scratch }) => scratch != &p.name,
                        None => true,
                    })
                })
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
        })
    };
    move || {
        (!left_here().is_empty() || drill.delete_words().with(Option::is_some)).then(|| {
            view! {
                <section class="panel warning-panel" aria-labelledby="drill-left-title">
                    <h2 id="drill-left-title">"Scratch databases left by a verification"</h2>
                    <p>
                        "A verification was interrupted (the tab was closed or reloaded) before it deleted its scratch database:"
                    </p>
                    <ul>
                        {move || {
                            left_here()
                                .into_iter()
                                .map(|name| {
                                    let label = format!("Delete {name}");
                                    let n = name.clone();
                                    view! {
                                        <li>
                                            <span class="drill-scratch-name">{name.clone()}</span>
                                            " "
                                            <button
                                                type="button"
                                                class="danger"
                                                on:click=move |_| delete_left(n.clone())
                                            >
                                                {label}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <p aria-live="polite">{move || drill.delete_words().get()}</p>
                </section>
            }
        })
    }
}

/// "Verify by restoring…" for a finished backup: asks for the drill of
/// `request` and takes the admin to the Restore screen, where the drill is
/// filled in and its confirmation shown. Nothing is sent before the admin
/// agrees there.
#[component]
pub fn VerifyEntry(
    /// The backup to verify.
    request: DrillRequest,
) -> impl IntoView {
    let drill = use_drill();
    // The visible words first (the name contains what is seen).
    let label = format!(
        "Verify by restoring… the backup of {} at {}",
        request.source_db, request.folder
    );
    let request = StoredValue::new(request);
    view! {
        <button
            type="button"
            class="secondary"
            aria-label=label
            on:click=move |_| {
                drill.ask(request.get_value());
                let _ = window().location().set_hash(&Route::Restore.href());
            }
        >
            "Verify by restoring…"
        </button>
    }
}

/// Takes a drill asked for from another screen (see [`VerifyEntry`]):
/// `fill_folder` puts its folder into the screen's form, the source is
/// filled in and the confirmation opens (focused). Sends nothing. Call once
/// when the Restore screen shows.
pub fn take_drill_request(drill: DrillState, fill_folder: impl FnOnce(String)) {
    let Some(request) = drill.take_request() else {
        return;
    };
    fill_folder(request.folder);
    drill.set_source(request.source_db);
    drill.confirm_at(js_sys::Date::now());
    focus_heading("drill-confirm-title");
}

/// Focuses a heading (made focusable) and brings it into view, once
/// rendered.
fn focus_heading(id: &'static str) {
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        if let Some(heading) = document().get_element_by_id(id) {
            let _ = heading.set_attribute("tabindex", "-1");
            heading.scroll_into_view();
            crate::components::focus(heading);
        }
    });
}
