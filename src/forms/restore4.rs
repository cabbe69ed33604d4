//! The RavenDB 4.x restore form (`POST /admin/restore/database`) as plain
//! data, and the pure function that turns it into the exact request. The
//! name rules and the "never onto an existing database" check are the same
//! as for 3.x; the encryption key is a secret (masked in the review, never
//! stored).

use super::restore::validate_database_name;
use super::{json_of, PlannedRequest, Problem};
use crate::api::wire4x::RestoreBackupConfiguration;

/// The form, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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

/// Builds `POST /admin/restore/database`, or says what must change first.
/// `existing` is the server's database list, when read.
pub fn build_restore4_request(
    form: &Restore4Form,
    existing: Option<&[String]>,
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
    if !key.is_empty() && !is_base64(key) {
        problems.push(Problem::new(
            Restore4Field::EncryptionKey,
            "The encryption key must be the base64 text RavenDB gave when the database was created.",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let config = RestoreBackupConfiguration {
        database_name: name.to_string(),
        backup_location: location.to_string(),
        last_file_name_to_restore: optional(&form.last_file_name),
        data_directory: optional(&form.data_directory),
        encryption_key: optional(key),
        disable_ongoing_tasks: form.disable_ongoing_tasks,
    };
    Ok(PlannedRequest::post(
        "/admin/restore/database".into(),
        json_of(&config),
    ))
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

fn is_base64(text: &str) -> bool {
    text.len().is_multiple_of(4)
        && text
            .trim_end_matches('=')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{mask_secrets, MASK};
    use serde_json::json;

    fn form() -> Restore4Form {
        Restore4Form {
            backup_location: " /backups/2026-11-27-17-45.ravendb-Test-A-backup ".into(),
            database_name: "Restored".into(),
            ..Restore4Form::default()
        }
    }

    #[test]
    fn the_minimal_request_is_the_recorded_one() {
        let req = build_restore4_request(&form(), Some(&["Test".into()])).unwrap();
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
            encryption_key: "c2VjcmV0LWtleS0xMjM0NTY=".into(),
            disable_ongoing_tasks: true,
            ..form()
        };
        let req = build_restore4_request(&f, None).unwrap();
        assert_eq!(
            req.body["LastFileNameToRestore"],
            json!("2026-11-27-17-45.ravendb-full-backup")
        );
        assert_eq!(req.body["DataDirectory"], json!("/data/Restored"));
        assert_eq!(req.body["EncryptionKey"], json!("c2VjcmV0LWtleS0xMjM0NTY="));
        assert_eq!(req.body["DisableOngoingTasks"], json!(true));
        let masked = mask_secrets(&req.body);
        assert_eq!(masked["EncryptionKey"], json!(MASK));
        assert!(!masked.to_string().contains("c2VjcmV0"));
    }

    #[test]
    fn problems_are_reported_together() {
        let f = Restore4Form {
            encryption_key: "not base64!".into(),
            ..Restore4Form::default()
        };
        let problems = build_restore4_request(&f, None).unwrap_err();
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
        let problems = build_restore4_request(&form(), Some(&["RESTORED".into()])).unwrap_err();
        assert_eq!(problems[0].field, Restore4Field::DatabaseName);
        assert!(problems[0].message.contains("\"RESTORED\" already exists"));
        let bad = Restore4Form {
            database_name: "<script>".into(),
            ..form()
        };
        assert!(build_restore4_request(&bad, None).is_err());
    }
}
