//! The server's own list of operations (`GET /operations`, 3.x): read one
//! request at a time, shown as a table, with cancel (and its confirmation
//! and report) where the server can cancel.

use super::{newest_first, ColumnHeads};
use crate::{
    api::{
        client::Client,
        version::Generation,
        wire3x::{OperationRunState, OperationState, OperationsListItem},
        ApiError,
    },
    components::{error_view::ErrorView, focus_by_id},
    present::operations::{
        answer_state, item_description, item_started_text, item_state_text, kill_report_text,
        task_type_words,
    },
    state::connection::Connection,
};
use leptos::prelude::*;
use std::collections::BTreeMap;

pub use crate::present::operations::same_server;

/// The last answer of `GET /operations`, for one server.
#[derive(Clone, PartialEq)]
pub struct ServerList {
    pub base: String,
    /// The last good list, newest first.
    pub items: Option<Vec<OperationsListItem>>,
    /// When the last good list arrived (browser clock).
    pub updated_ms: Option<f64>,
    /// The last request's error, if it failed (the last good list stays).
    pub error: Option<ApiError>,
}

/// What became of a cancel request.
#[derive(Clone)]
struct KillReport {
    base: String,
    asked_ms: f64,
    /// `None` while the request is out.
    answer: Option<Result<OperationState, ApiError>>,
}

/// Reads the server's list into `list`, one request at a time: a read asked
/// for while one is out runs right after it. Returns the "read now"
/// function.
pub fn read_operations(
    conn: Connection,
    generation: Memo<Option<Generation>>,
    list: RwSignal<Option<ServerList>>,
) -> impl Fn() + Copy + 'static {
    let again = StoredValue::new(false);
    let read = Action::new_local(move |_: &()| async move {
        loop {
            let _ = again.try_set_value(false);
            let Some(client) = conn.client_untracked() else {
                break;
            };
            // RavenDB 4.x and later keep operations per database: the
            // server-wide 3.x list does not exist there (they answer it
            // 400). Read only once the server is known to be 3.x.
            if !matches!(
                generation.try_get_untracked().flatten(),
                Some(Generation::V30 | Generation::V35)
            ) {
                break;
            }
            let result = client.operations().await;
            let base = client.base().to_string();
            let still_current = conn
                .client_untracked()
                .is_some_and(|c| same_server(c.base(), &base));
            if still_current && list.try_update(|l| merge(l, base, result)).is_none() {
                return; // the screen is gone
            }
            if again.try_get_value() != Some(true) {
                break;
            }
        }
    });
    let pending = read.pending();
    move || {
        if pending.try_get_untracked() != Some(false) {
            let _ = again.try_set_value(true);
            return;
        }
        read.dispatch_local(());
    }
}

/// Puts a fresh answer into the list: a good one replaces the items, a
/// failure keeps the last good items beside the error.
fn merge(
    list: &mut Option<ServerList>,
    base: String,
    result: Result<Vec<OperationsListItem>, ApiError>,
) {
    let mut next = match list.take() {
        Some(old) if same_server(&old.base, &base) => old,
        _ => ServerList {
            base,
            items: None,
            updated_ms: None,
            error: None,
        },
    };
    match result {
        Ok(items) => {
            next.items = Some(newest_first(items));
            next.updated_ms = Some(js_sys::Date::now());
            next.error = None;
        }
        Err(e) => next.error = Some(e),
    }
    *list = Some(next);
}

/// What the table and its rows share.
#[derive(Clone, Copy)]
pub struct ServerPart {
    conn: Connection,
    list: RwSignal<Option<ServerList>>,
    items: Memo<Vec<OperationsListItem>>,
    confirming: RwSignal<Option<i64>>,
    kills: RwSignal<BTreeMap<i64, KillReport>>,
    kill: Action<(Client, i64), ()>,
    can_kill: Signal<bool>,
}

impl ServerPart {
    pub fn new(
        conn: Connection,
        list: RwSignal<Option<ServerList>>,
        items: Memo<Vec<OperationsListItem>>,
        generation: Memo<Option<Generation>>,
    ) -> Self {
        let kills = RwSignal::new(BTreeMap::<i64, KillReport>::new());
        let kill = Action::new_local(move |(client, id): &(Client, i64)| {
            let (client, id) = (client.clone(), *id);
            async move {
                let answer = client.kill_operation(id).await;
                let _ = kills.try_update(|k| {
                    if let Some(r) = k.get_mut(&id) {
                        r.answer = Some(answer);
                    }
                });
            }
        });
        ServerPart {
            conn,
            list,
            items,
            confirming: RwSignal::new(None),
            kills,
            kill,
            can_kill: Signal::derive(move || generation.get().is_some_and(|g| g.supports_kill())),
        }
    }
}

/// The table of `GET /operations`.
#[component]
pub fn ServerTable(
    /// What the rows share.
    part: ServerPart,
    /// The server in use.
    base: Memo<Option<String>>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        part.items
            .with(|items| items.iter().map(|i| i.id).collect::<Vec<_>>())
    });
    let loaded = move || {
        part.list.with(|l| {
            l.as_ref().is_some_and(|l| {
                l.items.is_some()
                    && base.with(|b| b.as_ref().is_some_and(|b| same_server(&l.base, b)))
            })
        })
    };
    let updated_ms = Signal::derive(move || {
        part.list
            .with(|l| l.as_ref().and_then(|l| l.updated_ms))
            .unwrap_or_else(js_sys::Date::now)
    });
    view! {
        <Show when=loaded>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=|| {
                    view! {
                        <p class="ops-empty">
                            "No operations on the server right now (3.x forgets finished ones after about a minute)."
                        </p>
                    }
                }
            >
                <table class="ops-table" aria-labelledby="ops-server-caption">
                    <caption id="ops-server-caption">
                        "Operations on the server, newest first"
                    </caption>
                    <ColumnHeads columns=&["Id", "Kind", "Description", "Started", "State"] />
                    <tbody>
                        <For each=move || ids.get() key=|id| *id let:id>
                            <ServerRow id part base updated_ms />
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
    /// The operation's id.
    id: i64,
    /// What the rows share.
    part: ServerPart,
    /// The server in use.
    base: Memo<Option<String>>,
    /// When the list was read (ages are counted to then).
    updated_ms: Signal<f64>,
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
                .map(item_description)
                .unwrap_or_else(|| "(none)".into())
        })
    };
    let started = move || {
        let now = updated_ms.get();
        item.with(|i| {
            i.as_ref()
                .map(|i| item_started_text(i, now))
                .unwrap_or_else(|| "(not given)".into())
        })
    };
    let state_text = move || item.with(|i| i.as_ref().map(item_state_text).unwrap_or_default());

    let confirming = move || part.confirming.get() == Some(id) && killable();
    let cancel_id = format!("ops-cancel-{id}");
    let question_id = format!("ops-cancel-question-{id}");
    let report_id = format!("ops-cancel-report-{id}");
    let no_id = format!("ops-cancel-no-{id}");
    let open = {
        let no_id = no_id.clone();
        move |_| {
            part.confirming.set(Some(id));
            focus_by_id(no_id.clone());
        }
    };
    let close = {
        let cancel_id = cancel_id.clone();
        move || {
            part.confirming.set(None);
            focus_by_id(cancel_id.clone());
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
                        base: b,
                        asked_ms: js_sys::Date::now(),
                        answer: None,
                    },
                );
            });
            focus_by_id(report_id.clone());
            part.kill.dispatch_local((client, id));
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
            Some(Err(e)) => view! { <ErrorView error=e /> }.into_any(),
            Some(Ok(answer)) => {
                // What the server says now: the list read after the answer,
                // else the answer itself.
                let fresh = part
                    .list
                    .with(|l| l.as_ref().and_then(|l| l.updated_ms))
                    .is_some_and(|at| at > r.asked_ms);
                let now =
                    if fresh { state() } else { None }.unwrap_or_else(|| answer_state(&answer));
                view! { <span>{kill_report_text(now)}</span> }.into_any()
            }
        })
    };

    view! {
        <tr>
            <th scope="row">{id}</th>
            <td>
                {kind}
                {move || {
                    item.with(|i| i.as_ref().and_then(|i| i.task_type.clone()))
                        .map(|t| {
                            view! {
                                <br />
                                <code class="hint">{t}</code>
                            }
                        })
                }}
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
                        <p id=question_id
                            .clone()>
                            {move || {
                                format!(
                                    "Cancel operation {id} ({}: {})? The server stops it; a canceled backup folder cannot be used.",
                                    kind().to_lowercase(),
                                    description(),
                                )
                            }}
                        </p>
                        <div class="actions">
                            <button type="button" class="danger" on:click=kill.clone()>
                                "Yes, cancel it"
                            </button>
                            <button
                                type="button"
                                class="secondary"
                                id=no_id.clone()
                                on:click={
                                    let close = close.clone();
                                    move |_| close()
                                }
                            >
                                "No"
                            </button>
                        </div>
                    </div>
                </Show>
                <div id=report_id.clone() class="ops-report" role="status" tabindex="-1">
                    {report}
                </div>
            </td>
        </tr>
    }
}
