//! The drill on RavenDB 4.x and later: the restore request into the
//! scratch database (with the backup's key, if any), the `{"Results":[…]}`
//! document pages and what of a document a restore keeps, and the hard
//! delete and its answer (docs/protocol/ravendb-4x.md#drill). Pure and
//! host-tested; the browser calls are in `v4_io`.

use super::compare::DocumentText;
use crate::api::version::Generation;
use crate::api::wire4x::RestorePoint;
use crate::forms::backup_key::{check_key, key_placement, put_backup_key};
use crate::forms::restore4::chosen_point;
use crate::forms::PlannedRequest;
use serde_json::{json, Map, Value};

/// Metadata a restore gives anew (the change vector carries the new
/// database's id) or that only says where the document is: left out of
/// the fingerprint. `@last-modified` is kept by the restore and read as
/// the document's time (docs/protocol/ravendb-4x.md#drill-documents).
const VOLATILE_METADATA: [&str; 4] = ["@change-vector", "@id", "@last-modified", "@index-score"];

/// What the admin chose to restore.
#[derive(Clone, Default, PartialEq)]
pub struct RestoreChoice {
    /// The backup folder on the server (`…-backup`).
    pub folder: String,
    /// Restore up to this file of the folder (a restore point); empty = all.
    pub last_file: String,
    /// The key of an encrypted backup (base64); empty = not encrypted.
    /// Memory only: never stored, never in a URL, never printed.
    pub key: String,
    /// The chosen restore point is a snapshot (the server's restore points
    /// say so, see [`point_is_snapshot`]): on 4.2 and later its key is the
    /// database's key, not a backup key.
    pub snapshot: bool,
}

impl std::fmt::Debug for RestoreChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RestoreChoice")
            .field("folder", &self.folder)
            .field("last_file", &self.last_file)
            .field("key", &if self.key.is_empty() { "" } else { "(set)" })
            .field("snapshot", &self.snapshot)
            .finish()
    }
}

/// Whether the restore of `folder` up to `last_file` stops at a snapshot,
/// by the restore points the server listed for the folder (the same point
/// the Restore form reads, `forms::restore4::chosen_point`). A point the
/// list does not have is taken for a backup: the server then refuses the
/// restore in its own words (docs/protocol/ravendb-4x.md#restore-key).
pub fn point_is_snapshot(points: &[RestorePoint], folder: &str, last_file: &str) -> bool {
    chosen_point(points, folder, last_file).is_some_and(|p| p.is_snapshot_restore)
}

/// `POST /admin/restore/database` into the scratch database `scratch`:
/// the backup's ongoing tasks disabled (a scratch copy must not run the
/// source's backups), and the key, when given, where the server's version
/// reads it for the chosen point's kind (`forms::backup_key`: from 4.2
/// `BackupEncryptionSettings` for a backup, `EncryptionKey` with
/// `UseDatabaseKey` for a snapshot; `EncryptionKey` on 4.0 and 4.1)
/// (docs/protocol/ravendb-4x.md#restore-key).
pub fn restore_request(
    generation: &Generation,
    choice: &RestoreChoice,
    scratch: &str,
) -> Result<PlannedRequest, String> {
    let folder = choice.folder.trim();
    if folder.is_empty() {
        return Err("Enter the backup folder above first.".into());
    }
    let key = choice.key.trim();
    if !key.is_empty() {
        check_key(key)?;
    }
    let mut body = Map::new();
    body.insert("DatabaseName".into(), json!(scratch));
    body.insert("BackupLocation".into(), json!(folder));
    let last = choice.last_file.trim();
    if !last.is_empty() {
        body.insert("LastFileNameToRestore".into(), json!(last));
    }
    body.insert("DisableOngoingTasks".into(), json!(true));
    if !key.is_empty() {
        put_backup_key(&mut body, key_placement(generation, choice.snapshot), key);
    }
    Ok(PlannedRequest::post(
        "/admin/restore/database".into(),
        Value::Object(body),
    ))
}

/// One 4.x document made ready to fingerprint: its `@id`, its content and
/// its metadata except what a restore gives anew (the change vector), and
/// its `@last-modified`, which a restore keeps. `None` without an `@id`.
pub fn document_text(doc: &Value) -> Option<DocumentText> {
    let mut content = doc.as_object()?.clone();
    let metadata = content.get_mut("@metadata")?.as_object_mut()?;
    let id = metadata.get("@id")?.as_str()?.to_string();
    let last_modified = metadata
        .get("@last-modified")
        .and_then(Value::as_str)
        .map(str::to_string);
    metadata.retain(|k, _| !VOLATILE_METADATA.contains(&k.as_str()));
    Some(DocumentText {
        id,
        canonical: Value::Object(content).to_string(),
        last_modified,
    })
}

/// `DELETE /admin/databases`: the body that hard-deletes one database
/// (its data folder too).
pub fn delete_body(name: &str) -> Value {
    json!({"DatabaseNames": [name], "HardDelete": true})
}

/// The answer to the delete, `{"RaftCommandIndex":8,"PendingDeletes":[]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteAnswer {
    /// The cluster command that removes the database; `-1` when the
    /// server (7.1) found nothing to delete.
    pub raft_index: i64,
}

/// Reads the delete's answer; says so when it is not the known shape.
pub fn read_delete_answer(text: &str) -> Result<DeleteAnswer, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("the server's answer to the delete is not JSON ({e}).",))?;
    let raft_index = v
        .get("RaftCommandIndex")
        .and_then(Value::as_i64)
        .ok_or("the server's answer to the delete has no RaftCommandIndex.")?;
    Ok(DeleteAnswer { raft_index })
}

/// How long to wait, after the delete was accepted, for the database to be
/// gone from `GET /admin/databases?name=`, and how often to look.
pub const GONE_WAIT_MS: f64 = 60_000.0;
pub const GONE_LOOK_EVERY_MS: u32 = 250;

/// What a drill costs a 4.x+ server, for the confirmation.
pub fn cost_sentence() -> &'static str {
    "RavenDB 4.x and later do not say a backup's size before a restore (its restore points list files, not sizes): while the check runs the server needs free disk for a full copy of the database (about what the source takes now; even an empty RavenDB database takes a few tens of MB), and the restore and reading every document of both databases use its CPU and disk."
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v41() -> Generation {
        Generation::V4Plus { major: 4, minor: 1 }
    }
    fn v71() -> Generation {
        Generation::V4Plus { major: 7, minor: 1 }
    }

    fn choice(key: &str) -> RestoreChoice {
        RestoreChoice {
            folder: " /b/2026-11-30-02-47-55.ravendb-S-A-backup ".into(),
            last_file: String::new(),
            key: key.into(),
            snapshot: false,
        }
    }

    /// Restore points as 7.1.5 lists them (absolute file names): a plain
    /// full backup and, later in the same folder, a snapshot.
    fn points() -> Vec<RestorePoint> {
        let folder = "/b/2026-11-30-02-47-55.ravendb-S-A-backup";
        let point = |file: &str, at: &str, snapshot: bool| RestorePoint {
            date_time: Some(at.into()),
            location: folder.into(),
            file_name: format!("{folder}/{file}"),
            is_snapshot_restore: snapshot,
            is_encrypted: true,
            files_to_restore: 1,
            ..RestorePoint::default()
        };
        vec![
            point(
                "2026-11-30-02-47-55.ravendb-encrypted-full-backup",
                "2026-11-30T02:47:55.0000000",
                false,
            ),
            point(
                "2026-11-30-03-10-00.ravendb-encrypted-snapshot",
                "2026-11-30T03:10:00.0000000",
                true,
            ),
        ]
    }

    #[test]
    fn the_chosen_points_snapshot_flag_comes_from_the_servers_list() {
        let list = points();
        let folder = " /b/2026-11-30-02-47-55.ravendb-S-A-backup/ ";
        // No point named: the newest of the folder, here the snapshot.
        assert!(point_is_snapshot(&list, folder, ""));
        assert!(point_is_snapshot(&list, folder, &list[1].file_name));
        assert!(!point_is_snapshot(&list, folder, &list[0].file_name));
        // A point the list does not have, or no list: a backup.
        assert!(!point_is_snapshot(
            &list,
            folder,
            "elsewhere.ravendb-snapshot"
        ));
        assert!(!point_is_snapshot(&[], folder, ""));
    }

    #[test]
    fn a_snapshots_key_goes_as_its_databases_key_from_four_two() {
        let key = "OI7Vll7DroXdUORtc6Uo64wdAk1W0Db9ExXXgcg5IUs=";
        let list = points();
        let mut at_snapshot = choice(key);
        at_snapshot.last_file = list[1].file_name.clone();
        at_snapshot.snapshot =
            point_is_snapshot(&list, &at_snapshot.folder, &at_snapshot.last_file);
        let modern = restore_request(&v71(), &at_snapshot, "S-verify").unwrap();
        assert_eq!(modern.body["EncryptionKey"], key);
        assert_eq!(
            modern.body["BackupEncryptionSettings"],
            json!({"EncryptionMode": "UseDatabaseKey"})
        );
        // 4.1 has one key member whatever the point.
        let old = restore_request(&v41(), &at_snapshot, "S-verify").unwrap();
        assert_eq!(old.body["EncryptionKey"], key);
        assert!(old.body.get("BackupEncryptionSettings").is_none());
        // The flag is printed, the key never.
        let printed = format!("{at_snapshot:?}");
        assert!(
            printed.contains("snapshot: true") && !printed.contains(key),
            "{printed}"
        );
    }

    #[test]
    fn the_restore_into_the_scratch_database_disables_its_tasks() {
        let req = restore_request(&v71(), &choice(""), "S-verify-20261130-024800").unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/admin/restore/database");
        assert_eq!(
            req.body,
            json!({"DatabaseName": "S-verify-20261130-024800",
                   "BackupLocation": "/b/2026-11-30-02-47-55.ravendb-S-A-backup",
                   "DisableOngoingTasks": true})
        );
        let mut at_point = choice("");
        at_point.last_file = "2026-11-30-02-47-55.ravendb-full-backup".into();
        let req = restore_request(&v41(), &at_point, "S-verify").unwrap();
        assert_eq!(
            req.body["LastFileNameToRestore"],
            "2026-11-30-02-47-55.ravendb-full-backup"
        );
        assert!(restore_request(&v71(), &RestoreChoice::default(), "S-verify").is_err());
    }

    #[test]
    fn the_key_goes_where_the_version_reads_it_and_is_never_printed() {
        let key = "OI7Vll7DroXdUORtc6Uo64wdAk1W0Db9ExXXgcg5IUs=";
        let modern = restore_request(&v71(), &choice(key), "S-verify").unwrap();
        assert_eq!(
            modern.body["BackupEncryptionSettings"],
            json!({"EncryptionMode": "UseProvidedKey", "Key": key})
        );
        assert!(modern.body.get("EncryptionKey").is_none());
        let old = restore_request(&v41(), &choice(key), "S-verify").unwrap();
        assert_eq!(old.body["EncryptionKey"], key);
        assert!(old.body.get("BackupEncryptionSettings").is_none());
        let printed = format!("{:?}", choice(key));
        assert!(!printed.contains(key), "{printed}");
        assert!(printed.contains("(set)"));
        let err = restore_request(&v71(), &choice("not base64!"), "S").unwrap_err();
        assert!(err.contains("base64"), "{err}");
        assert!(restore_request(&v71(), &choice("c2VjcmV0LWtleS0xMjM0NTY="), "S").is_err());
        assert!(!err.contains("not base64!"));
    }

    #[test]
    fn a_restored_copy_differs_only_in_its_change_vector() {
        // Recorded on 7.1.5: users/2 in the source and in its restored copy.
        let source: Value = serde_json::from_str(r#"{"Name":"B","@metadata":{"@collection":"Users","Custom":"meta","@change-vector":"A:2-hUccqw95sEmnYOAHkqtPhw","@id":"users/2","@last-modified":"2026-11-30T02:47:47.1445188Z"}}"#).unwrap();
        let restored: Value = serde_json::from_str(r#"{"@metadata":{"@last-modified":"2026-11-30T02:47:47.1445188Z","@collection":"Users","@id":"users/2","@change-vector":"A:3-I2DXgav1lUOXozGQZWY+dA","Custom":"meta"},"Name":"B"}"#).unwrap();
        let (a, b) = (
            document_text(&source).unwrap(),
            document_text(&restored).unwrap(),
        );
        assert_eq!(a, b);
        assert_eq!(a.id, "users/2");
        assert_eq!(
            a.last_modified.as_deref(),
            Some("2026-11-30T02:47:47.1445188Z")
        );
        assert!(a.canonical.contains("\"@collection\":\"Users\""));
        assert!(!a.canonical.contains("change-vector"));
        // Content, user metadata and the collection all count.
        for changed in [
            r#"{"Name":"b","@metadata":{"@collection":"Users","Custom":"meta","@id":"users/2"}}"#,
            r#"{"Name":"B","@metadata":{"@collection":"Users","Custom":"other","@id":"users/2"}}"#,
            r#"{"Name":"B","@metadata":{"@collection":"People","Custom":"meta","@id":"users/2"}}"#,
        ] {
            let v: Value = serde_json::from_str(changed).unwrap();
            assert_ne!(
                document_text(&v).unwrap().canonical,
                a.canonical,
                "{changed}"
            );
        }
        assert!(document_text(&json!({"Name": "no metadata"})).is_none());
    }

    #[test]
    fn a_streamed_4x_answer_gives_its_documents_text() {
        // A 4.x `streams/docs` answer's shape, read by the shared splitter.
        let body = r#"{"Results":[{"Name":"nocollection","@metadata":{"@change-vector":"A:3-hUccqw95sEmnYOAHkqtPhw","@id":"plain","@last-modified":"2026-11-30T02:47:47.1609539Z"}}]}"#;
        let mut splitter = crate::drill::stream::ResultsSplitter::new();
        let docs = splitter.feed(body.as_bytes()).unwrap();
        assert_eq!(splitter.finish(), Ok(1));
        assert_eq!(docs.len(), 1);
        let text = document_text(&docs[0]).unwrap();
        assert_eq!(text.id, "plain");
        assert!(!text.canonical.contains("change-vector"));
    }

    #[test]
    fn the_delete_and_its_answer() {
        assert_eq!(
            delete_body("S-verify-20261130-024800"),
            json!({"DatabaseNames": ["S-verify-20261130-024800"], "HardDelete": true})
        );
        // Recorded on 4.1.0 and 7.1.5.
        assert_eq!(
            read_delete_answer(r#"{"RaftCommandIndex":8,"PendingDeletes":[]}"#),
            Ok(DeleteAnswer { raft_index: 8 })
        );
        assert_eq!(
            read_delete_answer(r#"{"RaftCommandIndex":-1,"PendingDeletes":[]}"#),
            Ok(DeleteAnswer { raft_index: -1 })
        );
        assert!(read_delete_answer("").is_err());
        assert!(read_delete_answer(r#"{"PendingDeletes":[]}"#).is_err());
    }
}
