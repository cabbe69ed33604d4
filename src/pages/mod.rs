//! One module per screen, and the screens' own state, which lives at the
//! app level (provided once by the shell) so what was typed and what runs
//! survive navigation. It is memory only: secrets never reach storage.

mod backup;
mod not_found;
mod operations;
mod restore;

pub use backup::{Backup4State, BackupPage, BackupState};
pub use not_found::NotFoundPage;
pub use operations::OperationsPage;
pub use restore::{Restore4State, RestorePage, RestoreState};

use leptos::prelude::provide_context;

/// Provides every screen's state (call once, from the shell, after the
/// shared state).
pub fn provide_states() {
    provide_context(BackupState::new());
    provide_context(Backup4State::new());
    provide_context(RestoreState::new());
    provide_context(Restore4State::new());
}
