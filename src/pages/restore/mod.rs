//! The Restore screen, for the connected server's protocol generation: a
//! backup folder on the server restored into a new database (3.x: or file
//! system), validated, confirmed, reviewed, started once and followed to
//! its true end.

mod v3;
mod v4;

pub use v3::RestoreState;
pub use v4::Restore4State;

use crate::state::connection::is_v4;
use leptos::prelude::*;

/// The Restore screen for the connected server's protocol generation.
#[component]
pub fn RestorePage() -> impl IntoView {
    let v4 = Memo::new(move |_| is_v4());
    move || {
        if v4.get() {
            view! { <v4::Restore4Page/> }.into_any()
        } else {
            view! { <v3::Restore3Page/> }.into_any()
        }
    }
}
