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

thread_local! {
    /// How operations ended, with the server's words, as this tab saw them
    /// (memory only: storage keeps the kind of ending, see
    /// [`remembered::set_outcome`]).
    static OUTCOME_WORDS: std::cell::RefCell<std::collections::HashMap<super::identity::OperationKey, String>> =
        Default::default();
}

/// Records how a remembered operation ended, and when this browser saw it.
pub fn set_outcome(op: &RememberedOperation, outcome: &str) {
    OUTCOME_WORDS.with(|w| w.borrow_mut().insert(op.key(), outcome.to_string()));
    let mut all = list();
    remembered::set_outcome_at(&mut all, op, outcome, js_sys::Date::now());
    storage::set(storage::keys::OPERATIONS, &remembered::to_text(&all));
}

/// How a remembered operation ended, in the server's words when this tab
/// saw the end, otherwise as stored.
pub fn outcome_shown(op: &RememberedOperation) -> Option<String> {
    OUTCOME_WORDS
        .with(|w| w.borrow().get(&op.key()).cloned())
        .or_else(|| op.outcome.clone())
}
