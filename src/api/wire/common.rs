//! Wire types both protocol generations use: the server's version, the
//! database list and a normalized operation state.

use serde::Serialize;
use serde_json::Value;

/// A normalized operation state, whatever the version's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationRunState {
    /// Still running (or waiting to run).
    Running,
    /// Ran to completion.
    Succeeded,
    /// Failed.
    Faulted,
    /// Canceled.
    Canceled,
    /// The item does not say.
    Unknown,
}

/// One database of `GET /databases` (§9.1): a plain name, or the object of
/// `?getAdditionalData=true`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatabaseListEntry {
    /// Database name.
    pub name: String,
    /// Disabled flag (additional data only).
    pub disabled: Option<bool>,
    /// Indexing disabled (additional data only).
    pub indexing_disabled: Option<bool>,
    /// Clients rejected (additional data only).
    pub reject_clients_enabled: Option<bool>,
    /// 3.5: cluster-wide database.
    pub cluster_wide: Option<bool>,
    /// Active bundles (`Raven/ActiveBundles` split on `;`).
    pub bundles: Vec<String>,
    /// The caller administers this database.
    pub is_admin_current_tenant: Option<bool>,
    /// 3.5: loaded in memory.
    pub is_loaded: Option<bool>,
    /// 3.5: statistics, `null` when not loaded.
    pub stats: Option<Value>,
}

impl DatabaseListEntry {
    /// An entry that only has a name.
    pub fn named(name: impl Into<String>) -> Self {
        DatabaseListEntry {
            name: name.into(),
            ..Default::default()
        }
    }
}

/// Reads a `GET /databases` answer: an array of names, an array of
/// additional-data objects, or (4.x) `{"Databases":[…]}`. Items that are
/// neither a name nor an object with a `Name` are skipped.
pub fn parse_database_list(v: Value) -> Vec<DatabaseListEntry> {
    let items = match v {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("Databases") {
            Some(Value::Array(items)) => items,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|item| match item {
            Value::String(name) => Some(DatabaseListEntry::named(name)),
            item @ Value::Object(_) => super::from_value::<DatabaseListEntry>(&item)
                .ok()
                .filter(|e| !e.name.is_empty()),
            _ => None,
        })
        .collect()
}

/// `GET /build/version` (§9.3): `{"ProductVersion":"3.0.0 / 6dce79a",
/// "BuildVersion":"3260"}`; 4.x writes `BuildVersion` as a number and adds
/// `FullVersion` / `CommitHash`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BuildVersion {
    /// Product version text.
    pub product_version: String,
    /// Build number, as text (numbers are accepted).
    pub build_version: String,
    /// 4.x: full version (`4.1.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_version: Option<String>,
    /// 4.x: commit hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_hash: Option<String>,
}
