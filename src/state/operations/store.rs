//! The remembered operations of this browser, in localStorage (ids and
//! names only; see `remembered`), shared by every tab.

use super::remembered::{self, RememberedOperation};
use crate::storage;

/// The remembered operations, newest first.
pub fn list() -> Vec<RememberedOperation> {
    remembered::parse_list(storage::get(storage::keys::OPERATIONS).as_deref())
}

/// Remembers a started operation.
pub fn remember(op: RememberedOperation) {
    let mut all = list();
    remembered::remember(&mut all, op);
    storage::set(storage::keys::OPERATIONS, &remembered::to_text(&all));
}

/// Records the backup folder of the start of `what` just sent at
/// `since_ms` (see [`remembered::set_folder`]).
pub fn set_folder(server: &str, what: &crate::api::poll::Watched, since_ms: f64, folder: &str) {
    let mut all = list();
    remembered::set_folder(&mut all, server, what, since_ms, folder);
    storage::set(storage::keys::OPERATIONS, &remembered::to_text(&all));
}

/// Records how a remembered operation ended, and when this browser saw it.
pub fn set_outcome(op: &RememberedOperation, outcome: &str) {
    let mut all = list();
    remembered::set_outcome_at(&mut all, op, outcome, js_sys::Date::now());
    storage::set(storage::keys::OPERATIONS, &remembered::to_text(&all));
}
