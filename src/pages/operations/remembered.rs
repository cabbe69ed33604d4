//! The operations started from this browser (remembered by id, never by
//! content), each under the server it ran on: those of the server in use
//! can be followed again to their end (on the cluster node that runs them);
//! those of other servers are listed apart, never followed here. The
//! outcome is remembered when it is known.

use super::ColumnHeads;
use crate::{
    api::{client::KillTarget, poll::WatchTarget, version::Generation},
    components::{drill::VerifyEntry, flow::RunningPanel, focus_by_id},
    present::{
        capitalized,
        operations::{kind_words, name_words, outcome_words},
        time::{ago, clock, date_time},
    },
    state::{
        connection::Connection,
        drill::DrillRequest,
        operations::{
            node::{route_to_node, NodeRoute},
            remembered::by_server,
            store, Follower, RememberedOperation, Running,
        },
    },
};
use leptos::prelude::*;

/// The columns of a table of remembered operations.
const REMEMBERED_COLUMNS: &[&str] = &[
    "Kind",
    "Name",
    "Operation id",
    "Node",
    "Started",
    "Last known outcome",
];

/// The remembered operations of the server in use, and the one followed.
#[component]
pub fn StartedHere(
    /// The server in use.
    base: Memo<Option<String>>,
    /// Its protocol generation, once known.
    generation: Memo<Option<Generation>>,
) -> impl IntoView {
    let conn = expect_context::<Connection>();
    // Watches created here belong to the page itself, so the panel that
    // shows one can be replaced without disposing it.
    let follower = Follower::new();
    let remembered_version = RwSignal::new(0u32);
    // Another tab remembered something: read the list again.
    let storage_listener = window_event_listener(leptos::ev::storage, move |_| {
        remembered_version.update(|n| *n += 1);
    });
    on_cleanup(move || storage_listener.remove());
    let all = Memo::new(move |_| {
        remembered_version.track();
        store::list()
    });
    let remembered = Memo::new(move |_| match base.get() {
        Some(b) => all.with(|l| l.iter().filter(|o| o.is_on(&b)).cloned().collect()),
        None => Vec::new(),
    });
    // Every other server's (and the unknown server's) entries, by server.
    let elsewhere = Memo::new(move |_| {
        let b = base.get().unwrap_or_default();
        all.with(|l| {
            let others: Vec<_> = l.iter().filter(|o| !o.is_on(&b)).cloned().collect();
            by_server(&others)
        })
    });
    let following = RwSignal::new(None::<Running>);
    // Bumped by every Follow: a route still being looked up for an
    // earlier click is dropped.
    let follow_count = StoredValue::new(0u32);

    let follow_on = move |entry: RememberedOperation,
                          client: crate::api::client::Client,
                          generation: Generation,
                          route: NodeRoute| {
        let Some(what) = entry.watched() else {
            return;
        };
        let mut target = WatchTarget::new(what.clone(), entry.operation_id, generation);
        target.started_after_ms = Some(entry.started_ms);
        target.ended_seen_ms = entry.ended_ms;
        let (watch, runs_on) = follower.follow_routed(client, target, &route);
        let kill = KillTarget::new(&runs_on, generation, &what, entry.operation_id)
            .filter(|_| !matches!(route, NodeRoute::CannotReach { .. }));
        // The outcome goes to storage, once.
        follower.on_end(watch, move |outcome| {
            store::set_outcome(&entry, &outcome_words(&outcome));
            let _ = remembered_version.try_update(|n| *n += 1);
        });
        following.set(Some(Running {
            watch,
            what,
            kill,
            success_note: None,
            form_key: None,
            focus: Default::default(),
            lost_answer: None,
            node: route.words(),
        }));
        // Bring the panel into view for keyboard and screen-reader users.
        focus_by_id("followed-operation");
    };
    let follow = move |entry: RememberedOperation| {
        let (Some(client), Some(generation), Some(_)) = (
            conn.client_untracked(),
            generation.get_untracked(),
            entry.watched(),
        ) else {
            return;
        };
        // Only on the server it ran on (the list shows no other's button).
        if !entry.is_on(client.base()) {
            return;
        }
        if let Some(previous) = following.get_untracked() {
            previous.watch.stopped.set(true);
        }
        follow_count.update_value(|n| *n += 1);
        let this_follow = follow_count.get_value();
        leptos::task::spawn_local(async move {
            let route = route_to_node(&client, generation, entry.node_tag.as_deref()).await;
            if follow_count.try_get_value() != Some(this_follow) {
                return; // another Follow since, or the screen is gone
            }
            follow_on(entry, client, generation, route);
        });
    };
    let follow = Callback::new(follow);

    view! {
        <section class="panel" aria-labelledby="ops-local-title">
            <h2 id="ops-local-title">"Started from this browser"</h2>
            <Show
                when=move || !remembered.with(Vec::is_empty)
                fallback=|| {
                    view! {
                        <p>"No operation was started from this browser on this server yet."</p>
                    }
                }
            >
                <table class="ops-table" aria-labelledby="ops-local-caption">
                    <caption id="ops-local-caption">
                        "Backups and restores started from this browser, newest first"
                    </caption>
                    <ColumnHeads columns=REMEMBERED_COLUMNS />
                    <tbody>
                        <For
                            each=move || remembered.get()
                            key=|o| (o.key(), o.started_ms.to_bits(), o.outcome.clone())
                            let:entry
                        >
                            <RememberedRow entry follow=Some(follow) generation />
                        </For>
                    </tbody>
                </table>
            </Show>
            <div id="followed-operation" tabindex="-1">
                {move || following.get().map(|running| view! { <RunningPanel running /> })}
            </div>
            <For
                each=move || elsewhere.get()
                key=|(server, entries)| {
                    let keys: Vec<_> = entries
                        .iter()
                        .map(|e| (e.key(), e.started_ms.to_bits(), e.outcome.clone()))
                        .collect();
                    (server.clone(), keys)
                }
                let:group
            >
                <OtherServer server=group.0 entries=group.1 generation />
            </For>
        </section>
    }
}

/// The remembered operations of a server not in use (or of an unknown
/// server): listed under it, never followed on the server in use, where
/// the same id names another operation.
#[component]
fn OtherServer(
    /// The normalised server URL; empty when not known.
    server: String,
    entries: Vec<RememberedOperation>,
    generation: Memo<Option<Generation>>,
) -> impl IntoView {
    let (title, hint) = if server.is_empty() {
        (
            "Server unknown".to_string(),
            "Remembered by an earlier version of this dashboard, which did not record the server: they cannot be followed, as the same operation id names other operations on other servers.",
        )
    } else {
        (
            format!("On {server}"),
            "Started on another server. To follow one, switch to that server under Server settings.",
        )
    };
    let caption = format!(
        "Started from this browser on {}",
        if server.is_empty() {
            "an unknown server"
        } else {
            &server
        }
    );
    view! {
        <h3>{title}</h3>
        <p class="hint">{hint}</p>
        <table class="ops-table" aria-label=caption.clone()>
            <caption class="visually-hidden">{caption.clone()}</caption>
            <ColumnHeads columns=REMEMBERED_COLUMNS />
            <tbody>
                {entries
                    .into_iter()
                    .map(|entry| view! { <RememberedRow entry follow=None generation /> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// One remembered operation with its "Follow" button.
#[component]
fn RememberedRow(
    /// The remembered operation.
    entry: RememberedOperation,
    /// Follows it again; `None`: not on the server in use.
    follow: Option<Callback<RememberedOperation>>,
    /// The server's generation (following needs it).
    generation: Memo<Option<Generation>>,
) -> impl IntoView {
    let kind = kind_words(&entry.kind);
    let name = name_words(&entry);
    let started = entry.started_ms;
    let label = format!("Follow {kind} of {name} (started {})", clock(started));
    let followable = entry.watched().is_some();
    let node = entry.node_tag.clone().unwrap_or_else(|| "—".into());
    let id_text = match entry.operation_id {
        Some(id) => id.to_string(),
        None => "none (3.0 backup)".into(),
    };
    let outcome = store::outcome_shown(&entry).unwrap_or_else(|| "not known yet".into());
    // "Verify by restoring" for a database backup that succeeded and whose
    // folder is known, on the server in use (any generation).
    let drill = match (&follow, &entry.name, &entry.folder) {
        (Some(_), Some(db), Some(folder))
            if entry.kind == "DatabaseBackup" && entry.outcome.as_deref() == Some("succeeded") =>
        {
            Some(DrillRequest {
                folder: folder.clone(),
                source_db: db.clone(),
            })
        }
        _ => None,
    };
    let entry = StoredValue::new(entry);
    view! {
        <tr>
            <td>{capitalized(&kind)}</td>
            <th scope="row">{name}</th>
            <td>{id_text}</td>
            <td>{node}</td>
            <td>
                {date_time(started)}
                {ago(started, js_sys::Date::now())
                    .map(|a| view! { <span class="hint">{format!(" ({a})")}</span> })}
            </td>
            <td>{outcome}</td>
            <td>
                {match (followable, follow) {
                    (true, Some(follow)) => {
                        view! {
                            <button
                                type="button"
                                class="secondary"
                                aria-label=label
                                disabled=move || generation.with(Option::is_none)
                                on:click=move |_| follow.run(entry.get_value())
                            >
                                "Follow"
                            </button>
                        }
                            .into_any()
                    }
                    (true, None) => {
                        view! { <span class="hint">"Not on the server in use"</span> }.into_any()
                    }
                    (false, _) => {
                        view! { <span class="hint">"Unknown kind: cannot be followed"</span> }
                            .into_any()
                    }
                }}
                {drill
                    .map(|request| {
                        view! {
                            " "
                            <VerifyEntry request=request.clone() />
                        }
                    })}
            </td>
        </tr>
    }
}
