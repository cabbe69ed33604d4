//! One module per screen.

mod backup;
mod backup4;
mod not_found;
mod operations;
mod restore;
mod restore4;

pub use backup::{BackupPage, BackupState};
pub use backup4::Backup4State;
pub use not_found::NotFoundPage;
pub use operations::OperationsPage;
pub use restore::{RestorePage, RestoreState};
pub use restore4::Restore4State;
