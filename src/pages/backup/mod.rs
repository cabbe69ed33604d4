//! The Backup screen, for the connected server's protocol generation: 3.x
//! sends one POST carrying the DatabaseDocument of the admin's choice; 4.x
//! runs the database's backup tasks or a one-time backup.
//!
//! Only one generation's body is ever used against a server, so in the
//! release build each is in its own wasm file, fetched once the server said
//! which generation it is (docs/size.md, "The split"). The frame (the
//! heading, the lead and the database name field with its suggestions) is
//! in the main wasm: the database list never waits for a file.

mod document;
mod frame;
mod secrets;
mod v3;
mod v3_state;
mod v4;
mod v4_start;

pub(super) use v3_state::BackupStart;
pub(super) use v4_start::Backup4State;

use v3_state::BackupState;

use crate::{
    api::version::Generation, components::chunk::ChunkFailed, state::connection::ServerStatus,
};
use frame::{Frame3, Frame4, NameField, NAME3_ID, NAME4_ID};
use leptos::prelude::*;

/// The 4.x+ Backup screen's database name, at the app level: the frame's
/// field (in the main wasm) shows it at once.
#[derive(Clone, Copy)]
struct Backup4Name(RwSignal<String>);

/// Provides what the frame shows at once, at the app level (the rest of
/// the screen's state is made by its body: src/pages/mod.rs).
pub(super) fn provide_frame_states() {
    provide_context(BackupState::new());
    provide_context(Backup4Name(RwSignal::new(String::new())));
}

/// Which body the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// The server check has not ended: no body is fetched yet (a 4.x
    /// server's first visit would otherwise fetch the 3.x one as well).
    Checking,
    /// RavenDB 3.x, or the server could not be checked (as before the
    /// split: the 3.x screen sends its 3.x-only reads only once `is_v3()`).
    V3,
    /// RavenDB 4.x or later.
    V4,
}

/// The body for the server check as it stands (tracked).
fn body_for_server() -> Body {
    let Some(status) = use_context::<ServerStatus>() else {
        return Body::V3;
    };
    status.with(|s| match s {
        Some(Some(Ok(info))) if matches!(info.generation, Generation::V4Plus { .. }) => Body::V4,
        Some(Some(_)) => Body::V3,
        _ => Body::Checking,
    })
}

/// The Backup screen for the connected server's protocol generation.
#[component]
pub fn BackupPage(
    /// A database to preselect (from `#/backup?db=`).
    preselect: Option<String>,
) -> impl IntoView {
    let body = Memo::new(move |_| body_for_server());
    // Until the server says it is 3.x, the frame is the 4.x+ one (no 3.x
    // choice flashes by on a modern server, and no rebuild when it answers).
    let v3 = Memo::new(move |_| body.get() == Body::V3);
    let state3 = expect_context::<BackupState>();
    let field3 = NameField {
        value: state3.name,
        error: RwSignal::new(None),
    };
    let field4 = NameField {
        value: expect_context::<Backup4Name>().0,
        error: RwSignal::new(None),
    };
    // The frame for the generation: a name typed in the other generation's
    // field (while the server was being checked) is kept, and so is the focus.
    view! {
        <h1>"Backup"</h1>
        {move || {
            let preselect = preselect.clone();
            let (from, to) = if v3.get() { (field4, field3) } else { (field3, field4) };
            let typed = from.value.get_untracked();
            if to.value.with_untracked(String::is_empty) && !typed.is_empty() {
                if v3.get_untracked() {
                    state3.set_target(v3_state::TargetKind::Database, typed);
                } else {
                    to.value.set(typed);
                }
            }
            let (had_focus, field_id) = if v3.get_untracked() {
                (NAME4_ID, NAME3_ID)
            } else {
                (NAME3_ID, NAME4_ID)
            };
            if crate::components::has_focus(had_focus) {
                crate::components::focus_field_at_end(field_id);
            }
            if v3.get_untracked() {
                view! { <Frame3 preselect field=field3 /> }.into_any()
            } else {
                view! { <Frame4 preselect field=field4 /> }.into_any()
            }
        }}
        {move || match body.get() {
            Body::Checking => {
                view! { <p class="hint">"Asking the server which RavenDB it runs…"</p> }
                    .into_any()
            }
            Body::V3 => crate::lazy_view!(backup3_body(field3)),
            Body::V4 => crate::lazy_view!(backup4_body(field4)),
        }}
    }
}

// Each generation's body in its own wasm file in the release build
// (src/components/chunk.rs).

/// The 3.x body: the form below the name, the document, secrets, the start.
#[cfg_attr(
    lazy_split,
    leptos::wasm_split::wasm_split(backup3, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn backup3_body(field: NameField) -> Result<AnyView, ChunkFailed> {
    Ok(view! { <v3::Backup3Body field /> }.into_any())
}

/// The 4.x+ body: the database's tasks, the one-time backup, the start.
#[cfg_attr(
    lazy_split,
    leptos::wasm_split::wasm_split(backup4, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn backup4_body(field: NameField) -> Result<AnyView, ChunkFailed> {
    Ok(view! { <v4::Backup4Body field /> }.into_any())
}
