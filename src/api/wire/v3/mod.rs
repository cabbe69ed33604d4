//! Serde wire types of the RavenDB 3.0 / 3.5 backup and restore protocol
//! (`docs/protocol/ravendb-3x.md`, cited as §n).
//!
//! Field names are PascalCase exactly as the server writes them (§2.4).
//! Reading is lenient everywhere: unknown fields are ignored (or kept, for
//! documents we send back), missing optional fields default, `null` where a
//! list or a flag is expected reads as empty / false, and enums tolerate
//! values we do not know. Dates stay strings (seven fractional digits,
//! §2.4); [`parse_iso_ms`](super::time::parse_iso_ms) turns them into
//! milliseconds when needed.

mod operations;
mod status;

pub use operations::*;
pub use status::*;

use super::lenient::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------
// Database / file-system documents and backup requests (§3.2, §9.2, §10)
// ---------------------------------------------------------------------------

/// The configuration document of a database (§9.2): `GET /admin/databases/{db}`
/// returns it with **decrypted** secured settings. Unknown fields are kept in
/// `extra` so that sending it back (in a backup request) loses nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatabaseDocument {
    /// Short name of the database; `null` in stored form and allowed in a
    /// backup request.
    pub id: Option<String>,
    /// Plain settings (`Raven/DataDir`, `Raven/ActiveBundles`, …).
    pub settings: BTreeMap<String, String>,
    /// Secured settings; plain text when read through the admin endpoint.
    /// They end up in the backup in plain text (§3.3 security note).
    pub secured_settings: BTreeMap<String, String>,
    /// Whether the database is disabled.
    pub disabled: bool,
    /// Every other field, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A file system's configuration document has the same shape (§10).
pub type FileSystemDocument = DatabaseDocument;

/// Body of `POST /databases/{db}/admin/backup` and `POST /admin/backup`
/// (§3.2). `DatabaseDocument` is always written, as `null` when `None`
/// (the server then loads and decrypts the stored document, §3.3).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatabaseBackupRequest {
    /// Server-side destination folder.
    #[serde(default, deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// The document stored in the backup as `Database.Document`.
    #[serde(default)]
    pub database_document: Option<DatabaseDocument>,
}

/// Body of `POST /fs/{fs}/admin/backup` (§10). `FileSystemDocument` is
/// always written, as `null` when `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FilesystemBackupRequest {
    /// Server-side destination folder.
    #[serde(default, deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// The file system's document, or `None` to let the server load it.
    #[serde(default)]
    pub file_system_document: Option<FileSystemDocument>,
}

// ---------------------------------------------------------------------------
// Restore requests (§5.2, §10)
// ---------------------------------------------------------------------------

/// Body of `POST /admin/restore` (§5.2): every 3.0 and 3.5 field except the
/// obsolete `RestoreLocation` alias (ignored when read).
///
/// `DisableReplicationDestinations` and `GenerateNewDatabaseId` exist only in
/// late 3.0 and 3.5: they are `Option`s and are **left out** of the JSON when
/// `None`, which gives the early-3.0 subset. Use
/// [`DatabaseRestoreRequest::with_late_options`] (or
/// `version::Generation::shape_restore_request`) to fill them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatabaseRestoreRequest {
    /// Name of the new database; `None` = the `Id` of the backup's
    /// `Database.Document`.
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub database_name: Option<String>,
    /// Folder holding the backup (server-side path).
    #[serde(default, deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// Index folder; `None` = `<DatabaseLocation>/Indexes`.
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub indexes_location: Option<String>,
    /// Seconds to wait for another restore to finish; `None` = fail at once
    /// with 503 (§5.3 step 9).
    #[serde(default)]
    pub restore_start_timeout: Option<i32>,
    /// Data folder of the new database; `None` = `~/{name}` (§5.4).
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub database_location: Option<String>,
    /// Esent defragmentation (the `defrag` query parameter overrides it).
    #[serde(default, deserialize_with = "lenient_bool")]
    pub defrag: bool,
    /// Voron journals / Esent logs folder.
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub journals_location: Option<String>,
    /// Late 3.0 and 3.5: restore with replication destinations disabled.
    /// Omitted from the JSON when `None`.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    #[serde(default)]
    pub disable_replication_destinations: Option<bool>,
    /// Late 3.0 and 3.5: give the restored database a new id.
    /// Omitted from the JSON when `None`.
    #[serde(
        deserialize_with = "lenient_opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    #[serde(default)]
    pub generate_new_database_id: Option<bool>,
}

impl DatabaseRestoreRequest {
    /// Sets the two late fields (late 3.0 and 3.5), so they are sent.
    pub fn with_late_options(
        mut self,
        disable_replication_destinations: bool,
        generate_new_database_id: bool,
    ) -> Self {
        self.disable_replication_destinations = Some(disable_replication_destinations);
        self.generate_new_database_id = Some(generate_new_database_id);
        self
    }
}

/// Body of the file-system restore (§10): the common restore fields plus
/// `FilesystemName` and `FilesystemLocation`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FilesystemRestoreRequest {
    /// Name of the new file system; `None` = from `Filesystem.Document`.
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub filesystem_name: Option<String>,
    /// Folder holding the backup (server-side path).
    #[serde(default, deserialize_with = "lenient_string")]
    pub backup_location: String,
    /// Data folder of the new file system.
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub filesystem_location: Option<String>,
    /// Index folder.
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub indexes_location: Option<String>,
    /// Journals / logs folder.
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub journals_location: Option<String>,
    /// Esent defragmentation.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub defrag: bool,
    /// Seconds to wait for another restore to finish.
    #[serde(default)]
    pub restore_start_timeout: Option<i32>,
}
