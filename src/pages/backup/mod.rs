//! The Backup screen, for the connected server's protocol generation: 3.x
//! sends one POST carrying the DatabaseDocument of the admin's choice; 4.x
//! runs the database's backup tasks or a one-time backup.

mod document;
mod secrets;
mod v3;
mod v3_state;
mod v4;
mod v4_start;

pub use v3_state::BackupState;
pub use v4_start::Backup4State;

use crate::state::connection::is_v4;
use leptos::prelude::*;

/// The Backup screen for the connected server's protocol generation.
#[component]
pub fn BackupPage(
    /// A database to preselect (from `#/backup?db=`).
    preselect: Option<String>,
) -> impl IntoView {
    let v4 = Memo::new(move |_| is_v4());
    move || {
        let preselect = preselect.clone();
        if v4.get() {
            view! { <v4::Backup4Page preselect /> }.into_any()
        } else {
            view! { <v3::Backup3Page preselect /> }.into_any()
        }
    }
}
