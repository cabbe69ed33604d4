//! The RavenDB 4.x one-time backup as plain data: which requests it sends
//! (the one-time endpoint on 4.2+, else a temporary task run once and
//! deleted), their exact bodies, and what the form still needs. The screen
//! only renders and edits this state.

use super::{json_of, PlannedRequest, Problem};
use crate::{
    api::version::Generation, api::wire4x::PeriodicBackupConfiguration, url::percent_encode,
};
use serde_json::{json, Value};

/// The name of the temporary task, as shown before it exists.
pub const TEMPORARY_TASK_PLACEHOLDER: &str = "Raven Backup Studio one-time backup <time>";

/// 4.2 and later have `POST /databases/{db}/admin/backup` (one-time).
pub fn has_one_time_endpoint(generation: Generation) -> bool {
    generation.major_minor() >= (4, 2)
}

/// The name of the temporary task, so an admin who sees it in the server's
/// Studio knows where it came from. `now_iso` is the creation time.
pub fn temporary_task_name(now_iso: &str) -> String {
    format!("Raven Backup Studio one-time backup {now_iso}")
}

/// The body of the 4.2+ one-time backup to `folder`.
pub fn one_time_body(folder: &str) -> Value {
    json!({"BackupType": "Backup", "LocalSettings": {"Disabled": false, "FolderPath": folder}})
}

/// The path of the 4.2+ one-time backup of `database`.
pub fn one_time_path(database: &str) -> String {
    format!("/databases/{}/admin/backup", percent_encode(database))
}

/// The request(s) a one-time backup sends, for the review: one POST on
/// 4.2+, else the temporary task's creation and its run (whose task id the
/// server gives only when the task exists).
pub fn one_time_plan(database: &str, folder: &str, generation: Generation) -> Vec<PlannedRequest> {
    if has_one_time_endpoint(generation) {
        return vec![PlannedRequest::post(
            one_time_path(database),
            one_time_body(folder),
        )];
    }
    let db = percent_encode(database);
    let config = PeriodicBackupConfiguration::temporary_local(TEMPORARY_TASK_PLACEHOLDER, folder);
    vec![
        PlannedRequest::post(
            format!("/databases/{db}/admin/periodic-backup"),
            json_of(&config),
        ),
        PlannedRequest::post(
            format!("/databases/{db}/admin/backup/database?taskId=<new task id>&isFullBackup=true"),
            Value::Null,
        ),
    ]
}

/// Fields of the one-time backup form that can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneTimeField {
    Folder,
    Consent,
}

/// What must change before a one-time backup can start: a folder, and on
/// 4.0/4.1 the admin's consent to the temporary task.
pub fn one_time_problems(
    folder: &str,
    generation: Option<Generation>,
    consent: bool,
) -> Vec<Problem<OneTimeField>> {
    let mut problems = Vec::new();
    if folder.trim().is_empty() {
        problems.push(Problem::new(
            OneTimeField::Folder,
            "Enter a folder on the server for the backup, for example /var/backups/ravendb.",
        ));
    }
    let needs_consent = generation.is_some_and(|g| !has_one_time_endpoint(g));
    if needs_consent && !consent {
        problems.push(Problem::new(
            OneTimeField::Consent,
            "Agree to the temporary task first (or use one of the database's own tasks above).",
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const V41: Generation = Generation::V4Plus { major: 4, minor: 1 };
    const V42: Generation = Generation::V4Plus { major: 4, minor: 2 };

    #[test]
    fn on_42_and_later_one_post_to_the_one_time_endpoint() {
        let plan = one_time_plan("My Shop", "/var/backups", V42);
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].method, "POST");
        assert_eq!(plan[0].path, "/databases/My%20Shop/admin/backup");
        assert_eq!(
            plan[0].body,
            json!({"BackupType": "Backup", "LocalSettings": {"Disabled": false, "FolderPath": "/var/backups"}})
        );
        assert_eq!(plan[0].body, one_time_body("/var/backups"));
        assert_eq!(plan[0].path, one_time_path("My Shop"));
        assert!(has_one_time_endpoint(Generation::V4Plus {
            major: 5,
            minor: 0
        }));
    }

    #[test]
    fn on_40_and_41_a_temporary_task_then_its_run() {
        let plan = one_time_plan("Shop", "/var/backups", V41);
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[0].path, "/databases/Shop/admin/periodic-backup");
        assert_eq!(plan[0].body["Name"], json!(TEMPORARY_TASK_PLACEHOLDER));
        assert_eq!(
            plan[0].body["LocalSettings"]["FolderPath"],
            json!("/var/backups")
        );
        assert_eq!(plan[0].body["LocalSettings"]["Disabled"], json!(false));
        assert_eq!(
            plan[1].path,
            "/databases/Shop/admin/backup/database?taskId=<new task id>&isFullBackup=true"
        );
        assert!(plan[1].body.is_null());
        assert!(!has_one_time_endpoint(Generation::V4Plus {
            major: 4,
            minor: 0
        }));
        assert_eq!(
            temporary_task_name("2026-11-27T17:45:03.000Z"),
            "Raven Backup Studio one-time backup 2026-11-27T17:45:03.000Z"
        );
    }

    #[test]
    fn a_folder_and_on_41_consent_are_needed() {
        let fields = |folder, g, consent| {
            one_time_problems(folder, g, consent)
                .into_iter()
                .map(|p| p.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(" ", Some(V41), false),
            [OneTimeField::Folder, OneTimeField::Consent]
        );
        assert_eq!(fields("/b", Some(V41), true), []);
        assert_eq!(fields("/b", Some(V42), false), [], "4.2 needs no consent");
        assert_eq!(fields("", None, false), [OneTimeField::Folder]);
        let problems = one_time_problems("", Some(V41), false);
        assert!(problems[0]
            .message
            .starts_with("Enter a folder on the server"));
        assert!(problems[1]
            .message
            .starts_with("Agree to the temporary task first"));
    }
}
