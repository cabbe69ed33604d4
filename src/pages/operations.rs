//! The Operations screen: what the server is running or finished recently
//! (`GET /operations`, refreshed while the screen is visible), cancel where
//! the server can (3.5 backups), and the operations this browser started,
//! each of which can be followed again to its end.

use crate::{
    api::{
        client::Client,
        poll::{Outcome, Phase, PollConfig, WatchTarget},
        remembered::RememberedOperation,
        watch::{watch_operation, OperationWatch},
        wire3x::{parse_iso_ms, OperationRunState, OperationState, OperationsListItem},
        ApiError,
    },
    app::Connection,
    components::{
        connection::connected_generation, error_view::ErrorView,
        operation_progress::OperationProgress,
    },
    operations_store,
};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// How often the server's list is read while the screen is visible.
const REFRESH_MS: u64 = 2000;

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

/// A `TaskType` in words.
fn task_type_words(task_type: Option<&str>) -> String {
    match task_type {
        Some("BackupDatabase") => "Database backup".into(),
        Some("BackupFilesystem") => "File system backup".into(),
        Some("RestoreDatabase") => "Database restore".into(),
        Some("RestoreFilesystem") => "File system restore".into(),
        Some("CompactDatabase") => "Database compaction".into(),
        Some("CompactFilesystem") => "File system compaction".into(),
        Some("ExportDatabase") => "Database export".into(),
        Some("ImportDatabase") => "Database import".into(),
        Some("IndexDeleteOperation") => "Index deletion".into(),
        Some(other) if !other.trim().is_empty() => other.to_string(),
        _ => "Unknown kind".into(),
    }
}

fn run_state_words(state: OperationRunState) -> &'static str {
    match state {
        OperationRunState::Running => "Running",
        OperationRunState::Succeeded => "Succeeded",
        OperationRunState::Faulted => "Failed",
        OperationRunState::Canceled => "Canceled",
        OperationRunState::Unknown => "Unknown",
    }
}

/// The run state of an E7/E8 answer, in the same words.
fn answer_state(state: &OperationState) -> OperationRunState {
    if state.is_canceled() {
        OperationRunState::Canceled
    } else if state.faulted {
        OperationRunState::Faulted
    } else if state.completed {
        OperationRunState::Succeeded
    } else {
        OperationRunState::Running
    }
}

/// `Exception.Message` of a list item (or the exception when it is text).
fn exception_message(item: &OperationsListItem) -> Option<String> {
    match item.exception.as_ref()? {
        serde_json::Value::Object(map) => map
            .get("Message")
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string),
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// A remembered kind in words ("database backup").
fn kind_words(kind: &str) -> String {
    match kind {
        "DatabaseBackup" => "database backup".into(),
        "FileSystemBackup" => "file system backup".into(),
        "DatabaseRestore" => "database restore".into(),
        "FileSystemRestore" => "file system restore".into(),
        other => other.to_string(),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A remembered entry's name in words.
fn name_words(op: &RememberedOperation) -> String {
    match (&op.name, op.kind.as_str()) {
        (None, "DatabaseBackup") => "the system database".into(),
        (None, _) => "(no name)".into(),
        (Some(n), _) => n.clone(),
    }
}

/// How an outcome is remembered.
fn outcome_words(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Succeeded { .. } => "succeeded".into(),
        Outcome::Failed { reason, .. } => format!("failed: {reason}"),
        Outcome::Canceled { .. } => "canceled".into(),
        Outcome::Lost { .. } => "lost".into(),
    }
}

/// Local `hh:mm:ss` of an epoch-ms time.
fn clock(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:02}:{:02}:{:02}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// Local `yyyy-mm-dd hh:mm:ss` of an epoch-ms time.
fn date_time(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        clock(ms)
    )
}

/// "12 s ago", "3 min ago", "2 h ago"; nothing for a time in the future
/// (the server's clock is ahead of this browser's).
fn ago(then_ms: f64, now_ms: f64) -> Option<String> {
    let secs = ((now_ms - then_ms) / 1000.0).floor();
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    let secs = secs as u64;
    Some(if secs < 60 {
        format!("{secs} s ago")
    } else if secs < 3600 {
        format!("{} min ago", secs / 60)
    } else if secs < 48 * 3600 {
        format!("{} h ago", secs / 3600)
    } else {
        format!("{} days ago", secs / 86_400)
    })
}

fn same_server(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/// The last answer of `GET /operations`, for one server.
#[derive(Clone, PartialEq)]
struct ServerList {
    base: String,
    /// The last good list, newest first.
    items: Option<Vec<OperationsListItem>>,
    /// When the last good list arrived (browser clock).
    updated_ms: Option<f64>,
    /// The last request's error, if it failed (the last good list stays).
    error: Option<ApiError>,
}

/// What became of a cancel request.
#[derive(Clone)]
struct KillReport {
    base: String,
    asked_ms: f64,
    /// `None` while the request is out.
    answer: Option<Result<OperationState, ApiError>>,
}

/// A remembered operation followed again.
#[derive(Clone)]
struct Followed {
    entry: RememberedOperation,
    watch: OperationWatch,
    noun: &'static str,
    subject: String,
    kill: Option<(Client, i64)>,
    /// Set once the outcome went to storage.
    recorded: StoredValue<bool>,
}

#[derive(Clone, Copy)]
struct ServerPart {
    conn: Connection,
    list: RwSignal<Option<ServerList>>,
    items: Memo<Vec<OperationsListItem>>,
    confirming: RwSignal<Option<i64>>,
    kills: RwSignal<BTreeMap<i64, KillReport>>,
    can_kill: Signal<bool>,
}

/// The Operations screen.
#[component]
pub fn OperationsPage() -> impl IntoView {
    let conn = expect_context::<Connection>();
    // Watches created from event handlers belong to the page itself, so the
    // panel that shows one can be replaced without disposing it.
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    let base = Memo::new(move |_| conn.client().map(|c| c.base().to_string()));
    let generation = Memo::new(move |_| connected_generation());

    let list = RwSignal::new(None::<ServerList>);
    let in_flight = StoredValue::new(false);
    let again = StoredValue::new(false);

    // One request at a time: a refresh asked while one is out runs right
    // after it.
    let refresh = move || {
        if in_flight.try_get_value() != Some(false) {
            let _ = again.try_set_value(true);
            return;
        }
        in_flight.set_value(true);
        leptos::task::spawn_local(async move {
            loop {
                let _ = again.try_set_value(false);
                let Some(client) = conn.client_untracked() else {
                    break;
                };
                // RavenDB 4.x and later keep operations per database: the
                // server-wide 3.x list does not exist there.
                if matches!(
                    untrack(connected_generation),
                    Some(crate::api::version::Generation::V4Plus { .. })
                ) {
                    break;
                }
                let result = client.operations().await;
                if in_flight.try_get_value().is_none() {
                    return; // the screen is gone
                }
                let base = client.base().to_string();
                let still_current = conn
                    .client_untracked()
                    .is_some_and(|c| same_server(c.base(), &base));
                if still_current {
                    list.update(|l| {
                        let mut next = match l.take() {
                            Some(old) if same_server(&old.base, &base) => old,
                            _ => ServerList {
                                base: base.clone(),
                                items: None,
                                updated_ms: None,
                                error: None,
                            },
                        };
                        match result {
                            Ok(mut items) => {
                                items.sort_by_key(|i| std::cmp::Reverse(i.id));
                                next.items = Some(items);
                                next.updated_ms = Some(js_sys::Date::now());
                                next.error = None;
                            }
                            Err(e) => next.error = Some(e),
                        }
                        *l = Some(next);
                    });
                }
                if again.try_get_value() != Some(true) {
                    break;
                }
            }
            let _ = in_flight.try_set_value(false);
        });
    };

    // A first read, and a fresh one whenever the server address changes.
    Effect::new(move |_| {
        base.track();
        untrack(refresh);
    });
    // Then every 2 s while the page is visible; stops with the screen.
    let ticker = set_interval_with_handle(
        move || {
            if !document().hidden() {
                refresh();
            }
        },
        std::time::Duration::from_millis(REFRESH_MS),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = ticker {
            t.clear();
        }
    });

    let current = Memo::new(move |_| {
        let base = base.get()?;
        list.with(|l| l.as_ref().filter(|l| same_server(&l.base, &base)).cloned())
    });
    let items = Memo::new(move |_| {
        current.with(|c| c.as_ref().and_then(|c| c.items.clone()).unwrap_or_default())
    });
    let part = ServerPart {
        conn,
        list,
        items,
        confirming: RwSignal::new(None),
        kills: RwSignal::new(BTreeMap::new()),
        can_kill: Signal::derive(move || generation.get().is_some_and(|g| g.supports_kill())),
    };

    // The status line: the time of the last good read (shown, but not
    // announced: it changes every 2 s) and what the list holds.
    let status_time = move || {
        current.with(|c| {
            c.as_ref()
                .and_then(|c| c.updated_ms)
                .map(|at| format!("Updated {}", clock(at)))
        })
    };
    let status_text = move || {
        current.with(|c| match c {
            None if base.get().is_none() => "Waiting for the server address…".to_string(),
            None => "Reading the server's operations…".to_string(),
            Some(ServerList {
                items: Some(items), ..
            }) => {
                let running = items
                    .iter()
                    .filter(|i| i.run_state() == OperationRunState::Running)
                    .count();
                let n = items.len();
                format!(
                    ": {n} operation{}, {running} running.",
                    if n == 1 { "" } else { "s" }
                )
            }
            Some(ServerList { error: Some(_), .. }) => {
                "The server's operations could not be read.".into()
            }
            Some(_) => "Reading the server's operations…".into(),
        })
    };

    // ----- Started from this browser -----
    let remembered_version = RwSignal::new(0u32);
    // Another tab remembered something: read the list again.
    let storage_listener = window_event_listener(leptos::ev::storage, move |_| {
        remembered_version.update(|n| *n += 1);
    });
    on_cleanup(move || storage_listener.remove());
    let remembered = Memo::new(move |_| {
        remembered_version.track();
        match base.get() {
            Some(b) => operations_store::list()
                .into_iter()
                .filter(|o| same_server(&o.server, &b))
                .collect::<Vec<_>>(),
            None => Vec::new(),
        }
    });
    let following = RwSignal::new(None::<Followed>);

    let follow = move |entry: RememberedOperation| {
        let (Some(client), Some(generation), Some(what)) = (
            conn.client_untracked(),
            generation.get_untracked(),
            entry.watched(),
        ) else {
            return;
        };
        if let Some(previous) = following.get_untracked() {
            previous.watch.stopped.set(true);
        }
        let mut target = WatchTarget::new(what.clone(), entry.operation_id, generation);
        target.started_after_ms = Some(entry.started_ms);
        let kill = entry
            .operation_id
            .filter(|_| generation.supports_kill() && what.is_backup())
            .map(|id| (client.clone(), id));
        let (watch, recorded) = owner.get_value().with(|| {
            (
                watch_operation(client, target, PollConfig::default()),
                StoredValue::new(false),
            )
        });
        following.set(Some(Followed {
            noun: if what.is_backup() {
                "Backup"
            } else {
                "Restore"
            },
            subject: what.subject(),
            entry,
            watch,
            kill,
            recorded,
        }));
        // Bring the panel into view for keyboard and screen-reader users.
        leptos::task::spawn_local(async {
            leptos::task::tick().await;
            if let Some(el) = document().get_element_by_id("followed-operation") {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    };

    // The outcome of a followed operation goes to storage, once.
    Effect::new(move |_| {
        let Some(f) = following.get() else {
            return;
        };
        let outcome = f.watch.snapshot.with(|s| match &s.phase {
            Phase::Finished(o) => Some(o.clone()),
            _ => None,
        });
        if let Some(outcome) = outcome {
            if f.recorded.try_get_value() == Some(false) {
                f.recorded.set_value(true);
                operations_store::set_outcome(&f.entry, &outcome_words(&outcome));
                remembered_version.update(|n| *n += 1);
            }
        }
    });

    view! {
        <h1>"Operations"</h1>
        <p class="lead">"Backups and restores running on the server, and the ones started from this browser."</p>

        <Show when=move || matches!(generation.get(), Some(crate::api::version::Generation::V4Plus { .. }))>
            <p class="hint">"RavenDB 4.x and later keep operations per database; the operations started from this browser are below, and each database's backup tasks are on the Backup screen."</p>
        </Show>
        <Show when=move || !matches!(generation.get(), Some(crate::api::version::Generation::V4Plus { .. }))>
        <section class="panel" aria-labelledby="ops-server-title">
            <h2 id="ops-server-title">"Operations on the server"</h2>
            <p class="hint">
                "Restores, and backups on RavenDB 3.5, are listed here whoever started them. "
                "A RavenDB 3.0 backup is not an operation: follow it from the Backup screen."
            </p>
            <div class="ops-toolbar">
                <div class="ops-status" role="status" aria-live="polite" aria-atomic="false">
                    <p>
                        <span aria-live="off">{status_time}</span>
                        {status_text}
                    </p>
                    {move || current.with(|c| c.as_ref().and_then(|c| c.error.clone())).map(|e| view! {
                        <ErrorView error=e/>
                    })}
                </div>
                <button type="button" class="secondary" on:click=move |_| refresh()>
                    "Refresh now"
                </button>
            </div>
            <ServerTable part base/>
        </section>
        </Show>

        <section class="panel" aria-labelledby="ops-local-title">
            <h2 id="ops-local-title">"Started from this browser"</h2>
            <Show
                when=move || !remembered.with(Vec::is_empty)
                fallback=|| view! {
                    <p>"No operation was started from this browser on this server yet."</p>
                }
            >
                <table class="ops-table" aria-labelledby="ops-local-caption">
                    <caption id="ops-local-caption">"Backups and restores started from this browser, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Operation id"</th>
                            <th scope="col">"Started"</th>
                            <th scope="col">"Last known outcome"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || remembered.get()
                            key=|o| (o.kind.clone(), o.name.clone(), o.started_ms.to_bits(), o.outcome.clone())
                            let:entry
                        >
                            <RememberedRow entry follow generation/>
                        </For>
                    </tbody>
                </table>
            </Show>
            <div id="followed-operation" tabindex="-1">
                {move || following.get().map(|f| view! {
                    <OperationProgress
                        watch=f.watch
                        noun=f.noun
                        subject=f.subject.clone()
                        success_note=None
                        kill=f.kill.clone()
                    />
                })}
            </div>
        </section>
    }
}

/// One remembered operation with its "Follow" button.
#[component]
fn RememberedRow(
    entry: RememberedOperation,
    follow: impl Fn(RememberedOperation) + Copy + Send + Sync + 'static,
    generation: Memo<Option<crate::api::version::Generation>>,
) -> impl IntoView {
    let kind = kind_words(&entry.kind);
    let name = name_words(&entry);
    let started = entry.started_ms;
    let label = format!("Follow {kind} of {name} (started {})", clock(started));
    let followable = entry.watched().is_some();
    let id_text = match entry.operation_id {
        Some(id) => id.to_string(),
        None => "none (3.0 backup)".into(),
    };
    let outcome = entry
        .outcome
        .clone()
        .unwrap_or_else(|| "not known yet".into());
    let entry = StoredValue::new(entry);
    view! {
        <tr>
            <td>{capitalized(&kind)}</td>
            <th scope="row">{name}</th>
            <td>{id_text}</td>
            <td>
                {date_time(started)}
                {ago(started, js_sys::Date::now()).map(|a| view! { <span class="hint">{format!(" ({a})")}</span> })}
            </td>
            <td>{outcome}</td>
            <td>
                {if followable {
                    view! {
                        <button
                            type="button"
                            class="secondary"
                            aria-label=label
                            disabled=move || generation.get().is_none()
                            on:click=move |_| follow(entry.get_value())
                        >
                            "Follow"
                        </button>
                    }
                    .into_any()
                } else {
                    view! { <span class="hint">"Unknown kind: cannot be followed"</span> }.into_any()
                }}
            </td>
        </tr>
    }
}

/// The table of `GET /operations`.
#[component]
fn ServerTable(part: ServerPart, base: Memo<Option<String>>) -> impl IntoView {
    let ids = Memo::new(move |_| {
        part.items
            .with(|items| items.iter().map(|i| i.id).collect::<Vec<_>>())
    });
    let loaded = move || {
        part.list.with(|l| {
            l.as_ref().is_some_and(|l| {
                l.items.is_some() && base.get().is_some_and(|b| same_server(&l.base, &b))
            })
        })
    };
    let updated_ms = move || {
        part.list
            .with(|l| l.as_ref().and_then(|l| l.updated_ms))
            .unwrap_or_else(js_sys::Date::now)
    };
    view! {
        <Show when=loaded>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=|| view! {
                    <p class="ops-empty">
                        "No operations on the server right now (3.x forgets finished ones after about a minute)."
                    </p>
                }
            >
                <table class="ops-table" aria-labelledby="ops-server-caption">
                    <caption id="ops-server-caption">"Operations on the server, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Id"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Description"</th>
                            <th scope="col">"Started"</th>
                            <th scope="col">"State"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || ids.get() key=|id| *id let:id>
                            <ServerRow id part base updated_ms/>
                        </For>
                    </tbody>
                </table>
            </Show>
        </Show>
    }
}

/// One row of the server's list, with cancel where possible.
#[component]
fn ServerRow(
    id: i64,
    part: ServerPart,
    base: Memo<Option<String>>,
    updated_ms: impl Fn() -> f64 + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let item = Memo::new(move |_| {
        part.items
            .with(|items| items.iter().find(|i| i.id == id).cloned())
    });
    let state = move || item.with(|i| i.as_ref().map(OperationsListItem::run_state));
    let killable = move || {
        part.can_kill.get()
            && item.with(|i| {
                i.as_ref().is_some_and(|i| {
                    i.killable == Some(true) && i.run_state() == OperationRunState::Running
                })
            })
    };
    let kind =
        move || item.with(|i| task_type_words(i.as_ref().and_then(|i| i.task_type.as_deref())));
    let description = move || {
        item.with(|i| {
            i.as_ref()
                .and_then(|i| i.description())
                .filter(|d| !d.trim().is_empty())
                .unwrap_or("(none)")
                .to_string()
        })
    };
    let started = move || {
        item.with(|i| {
            let Some(raw) = i.as_ref().and_then(|i| i.start_time.clone()) else {
                return "(not given)".to_string();
            };
            match parse_iso_ms(&raw).and_then(|ms| ago(ms, updated_ms())) {
                Some(a) => format!("{raw} ({a})"),
                None => raw,
            }
        })
    };
    let state_text = move || {
        item.with(|i| {
            let Some(i) = i.as_ref() else {
                return String::new();
            };
            let mut text = run_state_words(i.run_state()).to_string();
            if let Some(p) = i.progress().filter(|p| !p.trim().is_empty()) {
                text.push_str(": ");
                text.push_str(&p);
            }
            if i.run_state() == OperationRunState::Faulted {
                if let Some(m) = exception_message(i) {
                    text.push_str(": ");
                    text.push_str(&m);
                }
            }
            text
        })
    };

    let confirming = move || part.confirming.get() == Some(id) && killable();
    let cancel_id = format!("ops-cancel-{id}");
    let question_id = format!("ops-cancel-question-{id}");
    let report_id = format!("ops-cancel-report-{id}");
    let focus = |el_id: String| {
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            if let Some(el) = document().get_element_by_id(&el_id) {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    };
    let no_id = format!("ops-cancel-no-{id}");
    let open = {
        let no_id = no_id.clone();
        move |_| {
            part.confirming.set(Some(id));
            focus(no_id.clone());
        }
    };
    let close = {
        let cancel_id = cancel_id.clone();
        move || {
            part.confirming.set(None);
            focus(cancel_id.clone());
        }
    };
    let kill = {
        let report_id = report_id.clone();
        move |_| {
            part.confirming.set(None);
            let (Some(client), Some(b)) = (part.conn.client_untracked(), base.get_untracked())
            else {
                return;
            };
            let already_out = part
                .kills
                .with_untracked(|k| k.get(&id).is_some_and(|r| r.answer.is_none()));
            if already_out {
                return;
            }
            part.kills.update(|k| {
                k.insert(
                    id,
                    KillReport {
                        base: b.clone(),
                        asked_ms: js_sys::Date::now(),
                        answer: None,
                    },
                );
            });
            focus(report_id.clone());
            leptos::task::spawn_local(async move {
                let answer = client.kill_operation(id).await;
                let _ = part.kills.try_update(|k| {
                    if let Some(r) = k.get_mut(&id) {
                        r.answer = Some(answer);
                    }
                });
            });
        }
    };
    let report = move || {
        let current_base = base.get()?;
        let r = part.kills.with(|k| k.get(&id).cloned())?;
        if !same_server(&r.base, &current_base) {
            return None;
        }
        Some(match r.answer {
            None => view! { <span>"Asking the server to cancel…"</span> }.into_any(),
            Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
            Some(Ok(answer)) => {
                // What the server says now: the list read after the answer,
                // else the answer itself.
                let fresh = part
                    .list
                    .with(|l| l.as_ref().and_then(|l| l.updated_ms))
                    .is_some_and(|at| at > r.asked_ms);
                let now =
                    if fresh { state() } else { None }.unwrap_or_else(|| answer_state(&answer));
                let text = match now {
                    OperationRunState::Running => {
                        "The server reports: still running. It may take a moment to stop; this list is read again every 2 seconds.".to_string()
                    }
                    OperationRunState::Canceled => "The server reports: canceled.".to_string(),
                    OperationRunState::Succeeded => {
                        "The server reports: it had already finished (succeeded).".to_string()
                    }
                    OperationRunState::Faulted => "The server reports: failed.".to_string(),
                    OperationRunState::Unknown => "The server reports: state unknown.".to_string(),
                };
                view! { <span>{text}</span> }.into_any()
            }
        })
    };

    view! {
        <tr>
            <th scope="row">{id}</th>
            <td>
                {kind}
                {move || item.with(|i| i.as_ref().and_then(|i| i.task_type.clone())).map(|t| view! {
                    <br/><code class="hint">{t}</code>
                })}
            </td>
            <td class="ops-description">{description}</td>
            <td>{started}</td>
            <td>{state_text}</td>
            <td class="ops-actions">
                <Show when=killable>
                    <button
                        type="button"
                        class="danger"
                        id=cancel_id.clone()
                        aria-label=format!("Cancel operation {id}")
                        aria-expanded=move || confirming().to_string()
                        on:click=open.clone()
                    >
                        "Cancel"
                    </button>
                </Show>
                <Show when=confirming>
                    <div
                        class="confirm"
                        role="alertdialog"
                        aria-labelledby=question_id.clone()
                        on:keydown={
                            let close = close.clone();
                            move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Escape" {
                                    close();
                                }
                            }
                        }
                    >
                        <p id=question_id.clone()>
                            {move || format!(
                                "Cancel operation {id} ({}: {})? The server stops it; a canceled backup folder cannot be used.",
                                kind().to_lowercase(),
                                description()
                            )}
                        </p>
                        <div class="actions">
                            <button type="button" class="danger" on:click=kill.clone()>"Yes, cancel it"</button>
                            <button type="button" class="secondary" id=no_id.clone()
                                on:click={
                                    let close = close.clone();
                                    move |_| close()
                                }>
                                "No"
                            </button>
                        </div>
                    </div>
                </Show>
                <div id=report_id.clone() class="ops-report" role="status" tabindex="-1">{report}</div>
            </td>
        </tr>
    }
}
