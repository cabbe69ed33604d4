//! The restore drills of this browser on the server in use: when each
//! backup folder was last verified (kept in this browser: folder, time and
//! the report's sentence, never document content) and the scratch
//! databases an interrupted drill left, each with a one-click delete.

use crate::{
    components::drill::LeftScratchDatabases, drill::kept::LastVerified, present::time::date_time,
    state::drill::use_drill,
};
use leptos::prelude::*;

/// The drills' part of the Operations screen.
#[component]
pub fn DrillsHere(
    /// The server in use.
    base: Memo<Option<String>>,
) -> impl IntoView {
    let drill = use_drill();
    // Another tab verified something: read the list again.
    let storage_listener = window_event_listener(leptos::ev::storage, move |_| {
        drill.reread_kept();
    });
    on_cleanup(move || storage_listener.remove());
    let here = Memo::new(move |_| {
        let Some(base) = base.get() else {
            return Vec::new();
        };
        drill.verified().with(|list| {
            list.iter()
                .filter(|v| v.server == base)
                .cloned()
                .collect::<Vec<LastVerified>>()
        })
    });
    view! {
        <section class="panel" aria-labelledby="ops-verified-title">
            <h2 id="ops-verified-title">"Verified by restoring"</h2>
            <Show
                when=move || !here.with(Vec::is_empty)
                fallback=|| {
                    view! {
                        <p>
                            "No backup of this server was verified from this browser yet. A finished database backup offers “Verify by restoring…” (3.x)."
                        </p>
                    }
                }
            >
                <ul class="drill-verified" aria-label="Last verification of each backup folder">
                    <For
                        each=move || here.get()
                        key=|v| (v.folder.clone(), v.at_ms.to_bits())
                        let:v
                    >
                        <li>
                            <code class="drill-folder">{v.folder.clone()}</code>
                            <span>
                                {format!(": last verified {}. {}", date_time(v.at_ms), v.sentence)}
                            </span>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
        <LeftScratchDatabases />
    }
}
