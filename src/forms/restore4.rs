//! The RavenDB 4.x+ restore form (`POST /admin/restore/database`) as plain
//! data, and the pure function that turns it into the exact request. The
//! name rules and the "never onto an existing database" check are the same
//! as for 3.x; the backup's encryption key is a secret (masked in the
//! review, never stored), asked for when the chosen restore point is
//! encrypted and sent where the server's version reads it
//! (docs/protocol/ravendb-4x.md#restore-key).

use super::backup_key::{check_key, key_placement, put_backup_key};
use super::restore::validate_database_name;
use super::{json_of, PlannedRequest, Problem};
use crate::api::version::Generation;
use crate::api::wire4x::{RestoreBackupConfiguration, RestorePoint};
use serde_json::Value;

/// The form, as typed. Its `Debug` never prints the key.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Restore4Form {
    /// Server-side backup folder (`…ravendb-<db>-<node>-backup`).
    pub backup_location: String,
    pub database_name: String,
    /// Restore up to this file of the folder; empty = all of it.
    pub last_file_name: String,
    /// Data folder of the new database; empty = the server's default.
    pub data_directory: String,
    /// The key of an encrypted backup (base64); empty = not encrypted.
    pub encryption_key: String,
    pub disable_ongoing_tasks: bool,
}

impl std::fmt::Debug for Restore4Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Restore4Form")
            .field("backup_location", &self.backup_location)
            .field("database_name", &self.database_name)
            .field("last_file_name", &self.last_file_name)
            .field("data_directory", &self.data_directory)
            .field(
                "encryption_key",
                &if self.encryption_key.is_empty() {
                    ""
                } else {
                    "(set)"
                },
            )
            .field("disable_ongoing_tasks", &self.disable_ongoing_tasks)
            .finish()
    }
}

/// Fields that can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restore4Field {
    BackupLocation,
    DatabaseName,
    EncryptionKey,
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The restore point a restore of `folder` up to `last_file` stops at,
/// among the points the server listed for that folder: the one named
/// `last_file`, or with none named, the newest point of `folder` (of the
/// whole list when none has that location).
pub fn chosen_point<'a>(
    points: &'a [RestorePoint],
    folder: &str,
    last_file: &str,
) -> Option<&'a RestorePoint> {
    let last = last_file.trim();
    if !last.is_empty() {
        return points.iter().find(|p| p.file_name == last);
    }
    let folder = folder.trim().trim_end_matches(['/', '\\']);
    let newest = |it: &mut dyn Iterator<Item = &'a RestorePoint>| {
        it.max_by(|a, b| a.date_time.cmp(&b.date_time))
    };
    newest(
        &mut points
            .iter()
            .filter(|p| p.location.trim_end_matches(['/', '\\']) == folder),
    )
    .or_else(|| newest(&mut points.iter()))
}

/// The file of a restore point as people read it (7.1 lists absolute paths).
fn file_label(point: &RestorePoint) -> &str {
    point
        .file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(&point.file_name)
}

/// Builds `POST /admin/restore/database`, or says what must change first.
/// `existing` is the server's database list, when read; `point` the
/// chosen restore point, when the server listed the folder's points.
pub fn build_restore4_request(
    form: &Restore4Form,
    existing: Option<&[String]>,
    generation: &Generation,
    point: Option<&RestorePoint>,
) -> Result<PlannedRequest, Vec<Problem<Restore4Field>>> {
    let mut problems = Vec::new();
    let location = form.backup_location.trim();
    if location.is_empty() {
        problems.push(Problem::new(
            Restore4Field::BackupLocation,
            "Enter the backup folder: the path, on the server, of the folder the backup task wrote (it ends in -backup).",
        ));
    }
    let name = form.database_name.trim();
    if let Err(message) = validate_database_name(name) {
        problems.push(Problem::new(Restore4Field::DatabaseName, message));
    } else if let Some(taken) = existing
        .and_then(|names| super::restore::taken_name(names.iter().map(String::as_str), name))
    {
        problems.push(Problem::new(
            Restore4Field::DatabaseName,
            format!("A database named \"{taken}\" already exists on the server. Choose another name; a restore always creates a new database."),
        ));
    }
    let key = form.encryption_key.trim();
    let encrypted = point.filter(|p| p.is_encrypted);
    if key.is_empty() {
        if let Some(p) = encrypted {
            problems.push(Problem::new(
                Restore4Field::EncryptionKey,
                format!(
                    "The backup {} is encrypted (the server's restore points say so): enter its encryption key. It is the key shown when its backup task was set up, or, for a backup encrypted with its database's key, that database's encryption key.",
                    file_label(p)
                ),
            ));
        }
    } else if let Err(words) = check_key(key) {
        problems.push(Problem::new(Restore4Field::EncryptionKey, words));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let config = RestoreBackupConfiguration {
        database_name: name.to_string(),
        backup_location: location.to_string(),
        last_file_name_to_restore: optional(&form.last_file_name),
        data_directory: optional(&form.data_directory),
        encryption_key: None,
        disable_ongoing_tasks: form.disable_ongoing_tasks,
    };
    let mut body = json_of(&config);
    if let (false, Value::Object(map)) = (key.is_empty(), &mut body) {
        let snapshot = point.is_some_and(|p| p.is_snapshot_restore);
        put_backup_key(map, key_placement(generation, snapshot), key);
    }
    Ok(PlannedRequest::post("/admin/restore/database".into(), body))
}

/// The sentence the admin confirms: `Restore backup at /b/x-backup into a
/// new database Copy at the server's default folder.` Values are shown
/// trimmed, as they are sent; it ends with exactly one full stop.
pub fn confirmation_sentence(form: &Restore4Form) -> String {
    let at = match form.data_directory.trim() {
        "" => "the server's default folder",
        dir => dir,
    };
    format!(
        "Restore backup at {} into a new database {} at {at}.",
        form.backup_location.trim(),
        form.database_name.trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{mask_secrets, MASK};
    use serde_json::json;

    const KEY: &str = "OI7Vll7DroXdUORtc6Uo64wdAk1W0Db9ExXXgcg5IUs=";

    fn v(major: u32, minor: u32) -> Generation {
        Generation::V4Plus { major, minor }
    }

    fn form() -> Restore4Form {
        Restore4Form {
            backup_location: " /backups/2026-11-27-17-45.ravendb-Test-A-backup ".into(),
            database_name: "Restored".into(),
            ..Restore4Form::default()
        }
    }

    /// A restore point as 7.1 lists it (absolute file name).
    fn point(file: &str, at: &str, encrypted: bool) -> RestorePoint {
        RestorePoint {
            date_time: Some(at.into()),
            location: "/backups/2026-11-27-17-45.ravendb-Test-A-backup".into(),
            file_name: format!("/backups/2026-11-27-17-45.ravendb-Test-A-backup/{file}"),
            is_encrypted: encrypted,
            ..RestorePoint::default()
        }
    }

    #[test]
    fn the_minimal_request_is_the_recorded_one() {
        let req = build_restore4_request(&form(), Some(&["Test".into()]), &v(4, 1), None).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/admin/restore/database");
        assert_eq!(
            req.body,
            json!({"DatabaseName": "Restored", "BackupLocation": "/backups/2026-11-27-17-45.ravendb-Test-A-backup"})
        );
    }

    #[test]
    fn every_field_maps_and_the_key_is_masked_in_the_review() {
        let f = Restore4Form {
            last_file_name: "2026-11-27-17-45.ravendb-full-backup".into(),
            data_directory: "/data/Restored".into(),
            encryption_key: KEY.into(),
            disable_ongoing_tasks: true,
            ..form()
        };
        let req = build_restore4_request(&f, None, &v(4, 1), None).unwrap();
        assert_eq!(
            req.body["LastFileNameToRestore"],
            json!("2026-11-27-17-45.ravendb-full-backup")
        );
        assert_eq!(req.body["DataDirectory"], json!("/data/Restored"));
        assert_eq!(req.body["EncryptionKey"], json!(KEY));
        assert_eq!(req.body["DisableOngoingTasks"], json!(true));
        let masked = mask_secrets(&req.body);
        assert_eq!(masked["EncryptionKey"], json!(MASK));
        assert!(!masked.to_string().contains(KEY));
        let printed = format!("{f:?}");
        assert!(!printed.contains(KEY), "{printed}");
        assert!(printed.contains("(set)"));
    }

    #[test]
    fn the_key_goes_where_each_version_reads_it() {
        let f = Restore4Form {
            encryption_key: format!(" {KEY} "),
            ..form()
        };
        // 4.0 and 4.1: EncryptionKey, their only key member.
        for g in [v(4, 0), v(4, 1)] {
            let body = build_restore4_request(&f, None, &g, None).unwrap().body;
            assert_eq!(body["EncryptionKey"], json!(KEY), "{g:?}");
            assert!(body.get("BackupEncryptionSettings").is_none());
        }
        // 4.2 and later: the backup's key in BackupEncryptionSettings, and
        // never as EncryptionKey (the new database's own key there).
        let encrypted = point(
            "2026-11-27-17-45.ravendb-encrypted-full-backup",
            "2026-11-27T17:45:00",
            true,
        );
        for g in [v(4, 2), v(5, 4), v(6, 2), v(7, 1)] {
            for p in [None, Some(&encrypted)] {
                let req = build_restore4_request(&f, None, &g, p).unwrap();
                assert_eq!(
                    req.body["BackupEncryptionSettings"],
                    json!({"EncryptionMode": "UseProvidedKey", "Key": KEY}),
                    "{g:?}"
                );
                assert!(req.body.get("EncryptionKey").is_none(), "{g:?}");
                let masked = mask_secrets(&req.body);
                assert_eq!(masked["BackupEncryptionSettings"]["Key"], json!(MASK));
                assert_eq!(
                    masked["BackupEncryptionSettings"]["EncryptionMode"],
                    json!("UseProvidedKey")
                );
                assert!(!masked.to_string().contains(KEY));
            }
        }
        // An encrypted snapshot: its database's key, as EncryptionKey.
        let snapshot = RestorePoint {
            is_snapshot_restore: true,
            ..point(
                "2026-11-27-17-45.ravendb-encrypted-snapshot",
                "2026-11-27T17:45:00",
                true,
            )
        };
        let body = build_restore4_request(&f, None, &v(7, 1), Some(&snapshot))
            .unwrap()
            .body;
        assert_eq!(body["EncryptionKey"], json!(KEY));
        assert_eq!(
            body["BackupEncryptionSettings"],
            json!({"EncryptionMode": "UseDatabaseKey"})
        );
    }

    #[test]
    fn an_encrypted_restore_point_asks_for_its_key_before_anything_is_sent() {
        let encrypted = point(
            "2026-11-27-17-45.ravendb-encrypted-full-backup",
            "2026-11-27T17:45:00",
            true,
        );
        for g in [v(4, 1), v(7, 1)] {
            let problems = build_restore4_request(&form(), None, &g, Some(&encrypted)).unwrap_err();
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].field, Restore4Field::EncryptionKey);
            assert_eq!(
                problems[0].message,
                "The backup 2026-11-27-17-45.ravendb-encrypted-full-backup is encrypted (the server's restore points say so): enter its encryption key. It is the key shown when its backup task was set up, or, for a backup encrypted with its database's key, that database's encryption key."
            );
        }
        // A plain point, or points not listed: no key needed.
        let plain = point(
            "2026-11-27-17-45.ravendb-full-backup",
            "2026-11-27T17:45:00",
            false,
        );
        assert!(build_restore4_request(&form(), None, &v(7, 1), Some(&plain)).is_ok());
        assert!(build_restore4_request(&form(), None, &v(7, 1), None).is_ok());
        // A key that is not a RavenDB key is refused, without repeating it.
        let f = Restore4Form {
            encryption_key: "c2VjcmV0LWtleS0xMjM0NTY=".into(),
            ..form()
        };
        let problems = build_restore4_request(&f, None, &v(7, 1), Some(&encrypted)).unwrap_err();
        assert_eq!(problems[0].field, Restore4Field::EncryptionKey);
        assert!(problems[0].message.contains("44 characters of base64"));
        assert!(!problems[0].message.contains("c2VjcmV0"));
    }

    #[test]
    fn the_chosen_point_is_the_named_file_or_the_folders_newest() {
        let folder = "/backups/2026-11-27-17-45.ravendb-Test-A-backup/";
        let full = point(
            "2026-11-27-17-45.ravendb-full-backup",
            "2026-11-27T17:45:00",
            false,
        );
        let incr = point(
            "2026-11-27-18-45.ravendb-incremental-backup",
            "2026-11-27T18:45:00",
            true,
        );
        let other = RestorePoint {
            location: "/backups/other-backup".into(),
            ..point(
                "2026-11-28-10-00.ravendb-full-backup",
                "2026-11-28T10:00:00",
                false,
            )
        };
        let points = [full.clone(), incr.clone(), other.clone()];
        assert_eq!(chosen_point(&points, folder, ""), Some(&incr));
        assert_eq!(chosen_point(&points, folder, &full.file_name), Some(&full));
        assert_eq!(chosen_point(&points, folder, "nope"), None);
        assert_eq!(chosen_point(&points, "/elsewhere", ""), Some(&other));
        assert_eq!(chosen_point(&[], folder, ""), None);
    }

    #[test]
    fn problems_are_reported_together() {
        let f = Restore4Form {
            encryption_key: "not base64!".into(),
            ..Restore4Form::default()
        };
        let problems = build_restore4_request(&f, None, &v(7, 1), None).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                Restore4Field::BackupLocation,
                Restore4Field::DatabaseName,
                Restore4Field::EncryptionKey
            ]
        );
    }

    #[test]
    fn the_confirmation_names_the_folder_the_name_and_where() {
        assert_eq!(
            confirmation_sentence(&form()),
            "Restore backup at /backups/2026-11-27-17-45.ravendb-Test-A-backup into a new database Restored at the server's default folder."
        );
        let f = Restore4Form {
            data_directory: " /data/Restored ".into(),
            ..form()
        };
        assert!(confirmation_sentence(&f).ends_with(" at /data/Restored."));
        assert!(!confirmation_sentence(&f).ends_with(".."));
    }

    #[test]
    fn an_existing_name_is_refused_whatever_its_case() {
        let problems = build_restore4_request(&form(), Some(&["RESTORED".into()]), &v(7, 1), None)
            .unwrap_err();
        assert_eq!(problems[0].field, Restore4Field::DatabaseName);
        assert!(problems[0].message.contains("\"RESTORED\" already exists"));
        let bad = Restore4Form {
            database_name: "<script>".into(),
            ..form()
        };
        assert!(build_restore4_request(&bad, None, &v(7, 1), None).is_err());
    }
}
