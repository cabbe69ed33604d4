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

/// Records how a remembered operation ended, and when this browser saw it.
pub fn set_outcome(op: &RememberedOperation, outcome: &str) {
    let mut all = list();
    remembered::set_outcome_at(&mut all, op, outcome, js_sys::Date::now());
    storage::set(storage::keys::OPERATIONS, &remembered::to_text(&all));
}
