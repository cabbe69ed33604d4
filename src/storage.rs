//! The only place that touches localStorage. It holds non-secret
//! preferences (server address, theme, an API key's name), remembered
//! operation ids and the restore drills' scratch names; a request body, a
//! document or a secret value is never written here.

/// localStorage keys, all under one prefix.
pub mod keys {
    pub const SERVER_URL: &str = "raven-backup-studio.server-url";
    pub const THEME: &str = "raven-backup-studio.theme";
    pub const OPERATIONS: &str = "raven-backup-studio.operations";
    /// Scratch databases of restore drills not deleted yet (names only).
    pub const DRILL_SCRATCH: &str = "raven-backup-studio.drill-scratch";
    /// When each backup folder was last verified (one sentence, no content).
    pub const DRILL_VERIFIED: &str = "raven-backup-studio.drill-verified";
    /// The name (never the secret) of the last API key that signed in.
    pub const API_KEY_NAME: &str = "raven-backup-studio.api-key-name";
    /// "on" when the admin asked to be notified when an operation ends.
    pub const NOTIFY_ON_END: &str = "raven-backup-studio.notify-on-end";
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a value; `None` when absent or when storage is unavailable
/// (private mode, disabled cookies).
pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Writes a value; returns false when storage is unavailable or full.
pub fn set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes a value.
pub fn remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}
