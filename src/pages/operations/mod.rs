//! The Operations screen: what the server is running or finished recently
//! (`GET /operations`, refreshed while the screen is visible), cancel where
//! the server can (3.5 backups), and the operations this browser started,
//! each of which can be followed again to its end.

mod drills;
mod remembered;
mod server;

use crate::{
    api::{version::Generation, wire3x::OperationsListItem},
    components::error_view::ErrorView,
    hooks::use_interval,
    present::time::clock,
    state::connection::{connected_generation, Connection},
};
use drills::DrillsHere;
use leptos::prelude::*;
use remembered::StartedHere;
use server::{read_operations, ServerList, ServerPart, ServerTable};

/// How often the server's list is read while the screen is visible.
const REFRESH_MS: u32 = 2000;

/// The Operations screen.
#[component]
pub fn OperationsPage() -> impl IntoView {
    let conn = expect_context::<Connection>();
    let base = Memo::new(move |_| conn.client().map(|c| c.base().to_string()));
    let generation = Memo::new(move |_| connected_generation());
    let v4 = Memo::new(move |_| matches!(generation.get(), Some(Generation::V4Plus { .. })));

    let list = RwSignal::new(None::<ServerList>);
    let refresh = read_operations(conn, generation, list);
    // A first read once the server's version is known, and a fresh one
    // whenever the server address changes.
    Effect::new(move |_| {
        base.track();
        generation.track();
        untrack(refresh);
    });
    // Then every 2 s while the page is visible; stops with the screen.
    use_interval(REFRESH_MS, move || {
        if !document().hidden() {
            refresh();
        }
    });

    let current = Memo::new(move |_| {
        let base = base.get()?;
        list.with(|l| {
            l.as_ref()
                .filter(|l| server::same_server(&l.base, &base))
                .cloned()
        })
    });
    let items = Memo::new(move |_| {
        current.with(|c| c.as_ref().and_then(|c| c.items.clone()).unwrap_or_default())
    });
    let part = ServerPart::new(conn, list, items, generation);

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
            None if base.with(Option::is_none) => "Waiting for the server address…".to_string(),
            None => "Reading the server's operations…".to_string(),
            Some(ServerList {
                items: Some(items), ..
            }) => crate::present::operations::list_summary(items),
            Some(ServerList { error: Some(_), .. }) => {
                "The server's operations could not be read.".into()
            }
            Some(_) => "Reading the server's operations…".into(),
        })
    };

    view! {
        <h1>"Operations"</h1>
        <p class="lead">
            "Backups and restores running on the server, and the ones started from this browser."
        </p>

        <Show when=move || v4.get()>
            <p class="hint">
                "RavenDB 4.x and later keep operations per database; the operations started from this browser are below, and each database's backup tasks are on the Backup screen."
            </p>
        </Show>
        <Show when=move || !v4.get()>
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
                        {move || {
                            current
                                .with(|c| c.as_ref().and_then(|c| c.error.clone()))
                                .map(|e| view! { <ErrorView error=e /> })
                        }}
                    </div>
                    <button type="button" class="secondary" on:click=move |_| refresh()>
                        "Refresh now"
                    </button>
                </div>
                <ServerTable part base />
            </section>
        </Show>

        <StartedHere base generation />
        <DrillsHere base />
    }
}

/// The header row of an operations table: one column head per name, then
/// the actions column (named for screen readers only).
#[component]
fn ColumnHeads(
    /// The columns' names, in order.
    columns: &'static [&'static str],
) -> impl IntoView {
    view! {
        <thead>
            <tr>
                {columns.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}
                <th scope="col">
                    <span class="visually-hidden">"Actions"</span>
                </th>
            </tr>
        </thead>
    }
}

/// The list items of one server, newest first.
fn newest_first(mut items: Vec<OperationsListItem>) -> Vec<OperationsListItem> {
    items.sort_by_key(|i| std::cmp::Reverse(i.id));
    items
}
