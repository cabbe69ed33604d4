//! One module per screen.

mod backup;
mod not_found;
mod operations;
mod restore;

pub use backup::{BackupPage, BackupState};
pub use not_found::NotFoundPage;
pub use operations::OperationsPage;
pub use restore::{RestorePage, RestoreState};
