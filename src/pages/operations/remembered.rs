//! The operations started from this browser (remembered by id, never by
//! content), each of which can be followed again to its end; the outcome
//! is remembered when it is known.

use crate::{
    api::{client::KillTarget, poll::WatchTarget, version::Generation},
    components::{flow::RunningPanel, focus_by_id},
    present::{
        capitalized,
        operations::{kind_words, name_words, outcome_words, same_server},
        time::{ago, clock, date_time},
    },
    state::{
        connection::Connection,
        operations::{store, Follower, RememberedOperation, Running},
    },
};
use leptos::prelude::*;

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
    let remembered = Memo::new(move |_| {
        remembered_version.track();
        match base.get() {
            Some(b) => store::list()
                .into_iter()
                .filter(|o| same_server(&o.server, &b))
                .collect::<Vec<_>>(),
            None => Vec::new(),
        }
    });
    let following = RwSignal::new(None::<Running>);

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
        let kill = KillTarget::new(&client, generation, &what, entry.operation_id);
        let watch = follower.follow(client, target);
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
        }));
        // Bring the panel into view for keyboard and screen-reader users.
        focus_by_id("followed-operation");
    };
    let follow = Callback::new(follow);

    view! {
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
                {move || following.get().map(|running| view! { <RunningPanel running/> })}
            </div>
        </section>
    }
}

/// One remembered operation with its "Follow" button.
#[component]
fn RememberedRow(
    /// The remembered operation.
    entry: RememberedOperation,
    /// Follows it again.
    follow: Callback<RememberedOperation>,
    /// The server's generation (following needs it).
    generation: Memo<Option<Generation>>,
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
                            disabled=move || generation.with(Option::is_none)
                            on:click=move |_| follow.run(entry.get_value())
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
