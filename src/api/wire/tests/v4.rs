//! The 4.x bodies recorded against the genuine RavenDB 4.1.0 server, read
//! and written back.

use crate::api::error::{classify_http, ApiError};
use crate::api::version::Generation;
use crate::api::wire::common::{parse_database_list, BuildVersion};
use crate::api::wire::v4::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// The notes elide parts of long bodies with a bare `...` outside strings
/// (`,...}`, `, ... ,`, `{...}`, `[...]`, `, ... "Next"`). This drops
/// exactly those tokens and the commas they leave dangling, so the
/// recorded text, copied verbatim, becomes JSON. Strings are untouched.
fn unelide(text: &str) -> String {
    // Pass 1: drop `...` outside strings.
    let mut out = String::with_capacity(text.len());
    let (mut in_str, mut escaped) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !in_str && rest.starts_with("...") {
            rest = &rest[3..];
            continue;
        }
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    // Pass 2: outside strings, collapse runs of commas and drop commas
    // right after `{`/`[` or right before `}`/`]`.
    let mut fixed = String::with_capacity(out.len());
    let (mut in_str, mut escaped, mut pending_comma) = (false, false, false);
    for c in out.chars() {
        if in_str {
            fixed.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            ',' => pending_comma = true,
            c if c.is_whitespace() => {}
            c => {
                let last = fixed.trim_end().chars().last();
                if pending_comma
                    && !matches!(c, '}' | ']')
                    && !matches!(last, Some('{' | '[') | None)
                {
                    fixed.push(',');
                }
                pending_comma = false;
                if c == '"' {
                    in_str = true;
                }
                fixed.push(c);
            }
        }
    }
    fixed
}

/// Parses a recorded sample (elisions removed) as `T`.
fn recorded<T: DeserializeOwned>(text: &str) -> T {
    let json = unelide(text);
    serde_json::from_str::<Value>(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Parses `text` as `T`, writes it back and checks nothing changed.
fn roundtrip<T: DeserializeOwned + Serialize>(text: &str) -> T {
    super::roundtrip(text).0
}

#[test]
fn unelide_only_removes_elisions() {
    assert_eq!(unelide(r#"{"a":1,...}"#), r#"{"a":1}"#);
    assert_eq!(
        unelide(r#"{"a":{...},"b":[1, ... ,2], ... "c":[...]}"#),
        r#"{"a":{},"b":[1,2],"c":[]}"#
    );
    assert_eq!(
        unelide(r#"{"x":{...,"s":true,...}}"#),
        r#"{"x":{"s":true}}"#
    );
    assert_eq!(
        unelide(r#"{"a":"...","b":"x... \"...\" y"}"#),
        r#"{"a":"...","b":"x... \"...\" y"}"#
    );
}

#[test]
fn build_version_recorded() {
    // Read with the one version type of both generations.
    let v: BuildVersion = recorded(
        r#"{"BuildVersion":41001,"ProductVersion":"4.1","CommitHash":"86e8830","FullVersion":"4.1.0"}"#,
    );
    assert_eq!(v.build_version, "41001");
    assert_eq!(v.full_version.as_deref(), Some("4.1.0"));
    let v41 = Generation::V4Plus { major: 4, minor: 1 };
    assert_eq!(Generation::detect(&v), Ok(v41));
    let odd: BuildVersion =
        serde_json::from_value(json!({"BuildVersion": "42017", "ProductVersion": "4.2"})).unwrap();
    assert_eq!(odd.build_version, "42017");
    assert_eq!(
        Generation::detect(&odd),
        Ok(Generation::V4Plus { major: 4, minor: 2 })
    );
    let empty: BuildVersion = serde_json::from_str("{}").unwrap();
    assert!(Generation::detect(&empty).is_err());
}

#[test]
fn database_list_recorded() {
    // Read with the database-list reader of both generations.
    let list = parse_database_list(recorded::<Value>(
        r#"{"Databases":[{"Name":"Restored","Disabled":false,"TotalSize":{"HumaneSize":"40.19 MBytes","SizeInBytes":42139648},...,"BackupInfo":null,
  "DocumentsCount":1,...,"NodesTopology":{...},"ReplicationFactor":1,...},
  {"Name":"Test",...,"BackupInfo":{"LastBackup":"2026-11-27T17:45:41.5333614","IntervalUntilNextBackupInSec":29650.99},...}]}"#,
    ));
    let names: Vec<_> = list.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Restored", "Test"]);
    assert_eq!(list[0].disabled, Some(false));
    assert_eq!(list[1].disabled, None);
    // Lenient: odd items are skipped, null lists read as empty.
    let odd = parse_database_list(json!({"Databases": [7, {"Name": "A", "Disabled": "true"}]}));
    assert_eq!(odd.len(), 1);
    assert_eq!(odd[0].disabled, Some(true));
    assert!(parse_database_list(json!({"Databases": null})).is_empty());
}

const TASKS: &str = r#"{"OngoingTasksList":[{"TaskId":3,"TaskType":"Backup","ResponsibleNode":{"NodeTag":"A","NodeUrl":"http://127.0.0.1:8080","ResponsibleNode":null},
  "TaskState":"Enabled","TaskConnectionStatus":"Active","TaskName":"e2e-backup","Error":null,"BackupType":"Backup","BackupDestinations":["Local"],
  "LastFullBackup":"2026-11-27T17:45:41.5333614Z","LastIncrementalBackup":null,"OnGoingBackup":null,
  "NextBackup":{"TimeSpan":"08:14:03.5932045","DateTime":"2026-11-28T02:00:00.0000713Z","IsFull":true}}],"SubscriptionsCount":0}"#;

#[test]
fn ongoing_tasks_recorded() {
    let tasks: OngoingTasks = recorded(TASKS);
    assert_eq!(tasks.subscriptions_count, 0);
    let backups: Vec<_> = tasks.backups().collect();
    assert_eq!(backups.len(), 1);
    let t = backups[0];
    assert_eq!(t.task_id, 3);
    assert_eq!(t.task_name, "e2e-backup");
    assert!(t.is_enabled());
    assert_eq!(t.backup_type, Some(BackupType::Backup));
    assert_eq!(t.backup_destinations, vec!["Local"]);
    assert_eq!(t.responsible_node.as_ref().unwrap().node_tag, "A");
    assert_eq!(
        t.last_full_backup.as_deref(),
        Some("2026-11-27T17:45:41.5333614Z")
    );
    assert_eq!(t.last_incremental_backup, None);
    assert_eq!(t.on_going_backup, None);
    let next = t.next_backup.as_ref().unwrap();
    assert_eq!(next.time_span.as_deref(), Some("08:14:03.5932045"));
    assert_eq!(
        next.date_time.as_deref(),
        Some("2026-11-28T02:00:00.0000713Z")
    );
    assert!(next.is_full);
    assert_eq!(t.error, None);
}

#[test]
fn ongoing_tasks_under_the_6x_key() {
    // RavenDB 7.1.5 names the list `OngoingTasks` (recorded by the 7.1 e2e suite).
    let tasks: OngoingTasks = recorded(&TASKS.replace("OngoingTasksList", "OngoingTasks"));
    let backups: Vec<_> = tasks.backups().collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].task_name, "e2e-backup");
}

#[test]
fn single_task_recorded_and_lenient_variants() {
    // GET /databases/Test/task?key=3&type=Backup -> the single element.
    let whole: Value = serde_json::from_str(TASKS).unwrap();
    let one: OngoingTask = serde_json::from_value(whole["OngoingTasksList"][0].clone()).unwrap();
    assert_eq!(one.task_id, 3);
    assert!(one.is_backup() && one.is_enabled());
    // A disabled task (recorded with smoke.sh's server) and unknown values.
    let disabled: OngoingTask = serde_json::from_value(json!({
        "TaskId": 3, "TaskType": "Backup", "TaskState": "Disabled",
        "TaskConnectionStatus": "NotActive", "BackupType": "Cloud",
        "BackupDestinations": null, "NextBackup": null, "OnGoingBackup":
        {"StartTime": "2026-11-27T19:20:33Z", "IsFull": true, "RunningBackupTaskId": 4}
    }))
    .unwrap();
    assert!(!disabled.is_enabled());
    assert_eq!(
        disabled.backup_type,
        Some(BackupType::Other("Cloud".into()))
    );
    assert!(disabled.backup_destinations.is_empty());
    assert_eq!(disabled.next_backup, None);
    assert_eq!(
        disabled.on_going_backup.unwrap().running_backup_task_id,
        Some(4)
    );
    let repl: OngoingTask =
        serde_json::from_value(json!({"TaskId": 5, "TaskType": "Replication"})).unwrap();
    assert!(!repl.is_backup());
    assert_eq!(repl.backup_type, None);
}

#[test]
fn periodic_backup_configuration_round_trips() {
    let cfg: PeriodicBackupConfiguration = roundtrip(
        r#"{"Name":"e2e-backup","BackupType":"Backup","FullBackupFrequency":"0 2 * * *","IncrementalBackupFrequency":null,"Disabled":false,
  "LocalSettings":{"Disabled":false,"FolderPath":"<work>/backups"}}"#,
    );
    assert_eq!(cfg.task_id, None);
    assert_eq!(cfg.local_settings.unwrap().folder_path, "<work>/backups");
    let tmp = PeriodicBackupConfiguration::temporary_local("studio-once", "/srv/b");
    assert_eq!(
        serde_json::to_value(&tmp).unwrap(),
        json!({"Name":"studio-once","BackupType":"Backup","FullBackupFrequency":"0 0 1 1 *",
               "IncrementalBackupFrequency":null,"Disabled":false,
               "LocalSettings":{"Disabled":false,"FolderPath":"/srv/b"}})
    );
    // From a DatabaseRecord: the id and other destinations survive.
    let stored: PeriodicBackupConfiguration = roundtrip(
        r#"{"TaskId":3,"Name":"x","BackupType":"Snapshot","FullBackupFrequency":null,"IncrementalBackupFrequency":"*/5 * * * *","Disabled":true,"LocalSettings":null,"S3Settings":{"Disabled":true},"MentorNode":null}"#,
    );
    assert_eq!(stored.task_id, Some(3));
    assert_eq!(stored.backup_type, BackupType::Snapshot);
    assert!(stored.extra.contains_key("S3Settings"));
}

#[test]
fn task_created_recorded() {
    let created: TaskCreated = roundtrip(r#"{"RaftCommandIndex":3,"TaskId":3}"#);
    assert_eq!(created.task_id, 3);
    let deleted: TaskCreated =
        serde_json::from_str(r#"{"TaskId":3,"RaftCommandIndex":3}"#).unwrap();
    assert_eq!(deleted, created);
}

#[test]
fn periodic_backup_status_recorded() {
    let r: PeriodicBackupStatusResponse = recorded(
        r#"{"Status":{"TaskId":3,"BackupType":"Backup","IsFull":true,"NodeTag":"A","LastFullBackup":"2026-11-27T17:45:41.5333614Z","LastIncrementalBackup":null,
  "LocalBackup":{"LastFullBackup":"...","FullBackupDurationInMs":98,"Exception":null,
                 "BackupDirectory":"<work>/backups/2026-11-27-17-45.ravendb-Test-A-backup","TempFolderUsed":false},
  "UploadToS3":{...,"Skipped":true},"UploadToGlacier":{...},"UploadToAzure":{...},"LastEtag":1,
  "FolderName":"2026-11-27-17-45.ravendb-Test-A-backup","DurationInMs":105,"Version":1,"Error":null,"LastOperationId":1}}"#,
    );
    let s = r.status.unwrap();
    assert_eq!(s.task_id, 3);
    assert!(s.is_full);
    assert_eq!(
        s.backup_directory(),
        Some("<work>/backups/2026-11-27-17-45.ravendb-Test-A-backup")
    );
    assert_eq!(
        s.local_backup.as_ref().unwrap().full_backup_duration_in_ms,
        Some(98)
    );
    assert_eq!(
        s.folder_name.as_deref(),
        Some("2026-11-27-17-45.ravendb-Test-A-backup")
    );
    assert_eq!(s.duration_in_ms, Some(105));
    assert_eq!(s.last_operation_id, Some(1));
    assert_eq!(s.error, None);
    // Recorded with smoke.sh: a task that never ran.
    let none: PeriodicBackupStatusResponse = serde_json::from_str(r#"{"Status":null}"#).unwrap();
    assert_eq!(none.status, None);
    let failed: PeriodicBackupStatus = serde_json::from_value(
        json!({"Error": {"Exception": "disk full", "At": "2026-11-27T17:45:41Z"},
               "LocalBackup": {"Exception": "local"}}),
    )
    .unwrap();
    assert_eq!(failed.error.as_ref().unwrap()["Exception"], "disk full");
    let local = failed.local_backup.as_ref().unwrap();
    assert_eq!(local.exception.as_deref(), Some("local"));
    assert_eq!(failed.backup_directory(), None);
}

#[test]
fn operation_id_responses_recorded() {
    let backup: OperationIdResponse = roundtrip(r#"{"ResponsibleNode":"A","OperationId":1}"#);
    assert_eq!(backup.responsible_node.as_deref(), Some("A"));
    assert_eq!(backup.operation_id, 1);
    let restore: OperationIdResponse = roundtrip(r#"{"OperationId":1}"#);
    assert_eq!(restore.responsible_node, None);
}

#[test]
fn backup_operation_state_recorded() {
    let st: OperationState = recorded(
        r#"{"$type":"Raven.Client.Documents.Operations.OperationState, Raven.Client","Progress":null,
  "Result":{"$type":"Raven.Server.Documents.PeriodicBackup.BackupResult, Raven.Server",
    "Documents":{"Processed":true,"Skipped":false,"ReadCount":1,"ErroredCount":0,"LastEtag":1,...},
    "Messages":["[17:45:41 INFO] Started task: 'e2e-backup'", ... ,"[17:45:41 INFO] Saving backup status"],
    "Elapsed":"00:00:00.1811504", ... "S3Backup":{...,"Skipped":true,...}, ...},
  "Status":"Completed"}"#,
    );
    assert_eq!(st.status, OperationStatus::Completed);
    assert_eq!(st.progress, None);
    assert_eq!(
        st.messages(),
        [
            "[17:45:41 INFO] Started task: 'e2e-backup'",
            "[17:45:41 INFO] Saving backup status"
        ]
    );
    let result = st.result.as_ref().unwrap();
    assert_eq!(result.elapsed.as_deref(), Some("00:00:00.1811504"));
    assert_eq!(result.documents.as_ref().unwrap().read_count, 1);
    assert!(!result.is_exception());
    assert_eq!(st.failure_message(), None);
}

#[test]
fn restore_operation_state_recorded() {
    let st: OperationState = recorded(
        r#"{"$type":"Raven.Client.Documents.Operations.OperationState, Raven.Client","Progress":null,
  "Result":{"$type":"Raven.Server.Documents.PeriodicBackup.Restore.RestoreResult, Raven.Server",
    "Documents":{"Processed":true,"ReadCount":1,...},"Messages":[...],"Elapsed":"00:00:00.6532463",
    "DataDirectory":"<work>/data/Databases/Restored","JournalStoragePath":"...",
    "SnapshotRestore":{"Processed":true,"Skipped":true,...}},
  "Status":"Completed"}"#,
    );
    assert_eq!(st.status, OperationStatus::Completed);
    let r = st.result.as_ref().unwrap();
    assert_eq!(
        r.data_directory.as_deref(),
        Some("<work>/data/Databases/Restored")
    );
    assert_eq!(r.elapsed.as_deref(), Some("00:00:00.6532463"));
    assert!(st.messages().is_empty());
}

#[test]
fn in_progress_and_faulted_states_recorded_with_smoke() {
    // Recorded with scripts/ravendb4/smoke.sh (4.1.0), shortened.
    let running: OperationState = serde_json::from_str(
        r#"{"$type":"Raven.Client.Documents.Operations.OperationState, Raven.Client","Progress":{"$type":"Raven.Server.Documents.PeriodicBackup.BackupProgress, Raven.Server","Documents":{"Processed":true,"Skipped":false,"ReadCount":3,"ErroredCount":0,"LastEtag":3,"Attachments":{"Processed":true,"Skipped":false,"ReadCount":0,"ErroredCount":0},"SkippedCount":0},"Message":"[19:21:38 INFO] Saving backup status","Messages":null,"Elapsed":null},"Result":null,"Status":"InProgress"}"#,
    )
    .unwrap();
    assert_eq!(running.status, OperationStatus::InProgress);
    assert_eq!(
        running.progress_message(),
        Some("[19:21:38 INFO] Saving backup status")
    );
    assert_eq!(
        running
            .progress
            .as_ref()
            .unwrap()
            .documents
            .as_ref()
            .unwrap()
            .read_count,
        3
    );
    let faulted: OperationState = serde_json::from_str(
        r#"{"$type":"Raven.Client.Documents.Operations.OperationState, Raven.Client","Progress":null,"Result":{"$type":"Raven.Client.Documents.Operations.OperationExceptionResult, Raven.Client","Type":"System.InvalidOperationException","Message":"Cannot open database because RavenDB was unable create file lock on: /proc/nope/R2/db.lock","Error":"System.InvalidOperationException: Cannot open database because RavenDB was unable create file lock on: /proc/nope/R2/db.lock ---> System.IO.DirectoryNotFoundException: Could not find a part of the path '/proc/nope/R2'.\n   at System.IO.FileSystem.CreateDirectory(String fullPath)","StatusCode":500},"Status":"Faulted"}"#,
    )
    .unwrap();
    assert_eq!(faulted.status, OperationStatus::Faulted);
    assert_eq!(
        faulted.failure_message().as_deref(),
        Some("Cannot open database because RavenDB was unable create file lock on: /proc/nope/R2/db.lock")
    );
    let r = faulted.result.as_ref().unwrap();
    assert!(r.is_exception());
    assert!(r
        .error
        .as_deref()
        .unwrap()
        .contains("DirectoryNotFoundException"));
    assert_eq!(
        r.exception_type.as_deref(),
        Some("System.InvalidOperationException")
    );
    assert_eq!(r.status_code, Some(500));
    // Without Message, the first line of Error is used.
    let bare: OperationState = serde_json::from_value(
        json!({"Status": "Faulted", "Result": {"Error": "System.X: boom\n   at y"}}),
    )
    .unwrap();
    assert_eq!(bare.failure_message().as_deref(), Some("System.X: boom"));
    // Canceled, numeric and unknown statuses.
    for (v, want) in [
        (json!("Canceled"), OperationStatus::Canceled),
        (json!(1), OperationStatus::Completed),
        (json!("completed"), OperationStatus::Completed),
        (json!("Paused"), OperationStatus::Other("Paused".into())),
        (json!(null), OperationStatus::Other(String::new())),
    ] {
        let st: OperationState = serde_json::from_value(json!({"Status": v})).unwrap();
        assert_eq!(st.status, want, "{v}");
    }
    let missing: OperationState = serde_json::from_str("{}").unwrap();
    assert_eq!(missing.status, OperationStatus::InProgress);
    assert_eq!(
        serde_json::to_value(&OperationStatus::Faulted).unwrap(),
        json!("Faulted")
    );
}

#[test]
fn restore_configuration_round_trips() {
    let req: RestoreBackupConfiguration = roundtrip(
        r#"{"DatabaseName":"Restored","BackupLocation":"<work>/backups/2026-11-27-17-45.ravendb-Test-A-backup"}"#,
    );
    assert_eq!(req.database_name, "Restored");
    assert_eq!(req.encryption_key, None);
    let full = RestoreBackupConfiguration {
        database_name: "R1".into(),
        backup_location: "/b/x".into(),
        last_file_name_to_restore: Some("2026-11-27-19-20.ravendb-full-backup".into()),
        data_directory: Some("/d/R1".into()),
        encryption_key: Some("OI7Vll7DroXdUORtc6Uo64wdAk1W0Db9ExXXgcg5IUs=".into()),
        disable_ongoing_tasks: true,
    };
    let v = serde_json::to_value(&full).unwrap();
    assert_eq!(
        v,
        json!({"DatabaseName":"R1","BackupLocation":"/b/x",
               "LastFileNameToRestore":"2026-11-27-19-20.ravendb-full-backup",
               "DataDirectory":"/d/R1",
               "EncryptionKey":"OI7Vll7DroXdUORtc6Uo64wdAk1W0Db9ExXXgcg5IUs=",
               "DisableOngoingTasks":true})
    );
    assert_eq!(
        serde_json::from_value::<RestoreBackupConfiguration>(v).unwrap(),
        full
    );
    // EncryptionKey (and the other optional fields) are never sent as null.
    let plain = RestoreBackupConfiguration {
        database_name: "R".into(),
        backup_location: "/b".into(),
        ..Default::default()
    };
    let text = serde_json::to_string(&plain).unwrap();
    assert_eq!(text, r#"{"DatabaseName":"R","BackupLocation":"/b"}"#);
    assert!(!text.contains("SkipIndexes"));
}

#[test]
fn restore_points_recorded_with_smoke() {
    // Recorded with smoke.sh against 4.1.0; the notes do not show this endpoint.
    let points: RestorePoints = roundtrip(
        r#"{"List":[{"DateTime":"2026-11-27T19:20:00.0000000","Location":"/tmp/r4probe/backups/2026-11-27-19-20.ravendb-Test-A-backup","FileName":"2026-11-27-19-20.ravendb-full-backup","IsSnapshotRestore":false,"IsEncrypted":false,"IsIncremental":false,"FilesToRestore":1,"DatabaseName":"Test","NodeTag":"A"}]}"#,
    );
    let p = &points.list[0];
    assert_eq!(p.database_name.as_deref(), Some("Test"));
    // A restore that stops at this point, as the 4.x restore form sends it.
    let stop_here = RestoreBackupConfiguration {
        database_name: "Copy".into(),
        backup_location: p.location.clone(),
        last_file_name_to_restore: Some(p.file_name.clone()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(stop_here).unwrap(),
        json!({"DatabaseName":"Copy",
               "BackupLocation":"/tmp/r4probe/backups/2026-11-27-19-20.ravendb-Test-A-backup",
               "LastFileNameToRestore":"2026-11-27-19-20.ravendb-full-backup"})
    );
}

#[test]
fn error_bodies_recorded() {
    // The recorded 4.x error bodies, read by the client's classifier: the
    // server's readable Message is what people see.
    let json = Some("application/json; charset=utf-8");
    let words = |status: u16, text: &str| {
        let e = classify_http(status, json, &unelide(text), "http://x/");
        e.server_message().map(str::to_string)
    };
    assert_eq!(
        words(
            400,
            r#"{"Type":"Raven.Client.Exceptions.Routing.RouteNotFoundException","Message":"There is no handler for path: POST /databases/Test/admin/backup",...}"#
        )
        .as_deref(),
        Some("There is no handler for path: POST /databases/Test/admin/backup")
    );
    assert_eq!(
        words(
            400,
            r#"{"Type":"Raven.Client.Exceptions.Routing.RouteNotFoundException","Message":"There is no handler for path: OPTIONS /admin/databases?name=X",...}"#
        )
        .as_deref(),
        Some("There is no handler for path: OPTIONS /admin/databases?name=X")
    );
    assert_eq!(
        words(
            500,
            r#"{"Type":"System.InvalidOperationException","Message":"Backup task id: 999 doesn't exist",...}"#
        )
        .as_deref(),
        Some("Backup task id: 999 doesn't exist")
    );
    assert_eq!(
        words(
            500,
            r#"{"Type":"Raven.Client.Exceptions.Database.DatabaseDoesNotExistException","Message":"Database 'Test' does not exist.",...}"#
        )
        .as_deref(),
        Some("Database 'Test' does not exist.")
    );
    // With the full exception text in Error: the Message is the words, the
    // whole text the details.
    let full = r#"{"Url":"/admin/restore/points","Type":"System.InvalidOperationException","Message":"Path '/tmp/nonexist' doesn't exist","Error":"System.InvalidOperationException: Path '/tmp/nonexist' doesn't exist\n   at Raven.Server.Web.System.AdminDatabasesHandler.GetRestorePoints()"}"#;
    match classify_http(500, json, full, "http://x/admin/restore/points") {
        ApiError::ServerException {
            first_line,
            details,
            ..
        } => {
            assert_eq!(first_line, "Path '/tmp/nonexist' doesn't exist");
            assert!(details.contains("at Raven.Server.Web.System.AdminDatabasesHandler"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn restore_points_are_asked_in_the_shape_of_the_servers_version() {
    let (path, body) = restore_points_request(4, 1, "/srv/bk");
    assert_eq!(path, "/admin/restore/points");
    assert_eq!(body, serde_json::json!({"Path": "/srv/bk"}));
    assert_eq!(restore_points_request(4, 0, "x").0, "/admin/restore/points");
    for (major, minor) in [(4, 2), (5, 4), (6, 2), (7, 1)] {
        let (path, body) = restore_points_request(major, minor, "/srv/bk");
        assert_eq!(path, "/admin/restore/points?type=Local");
        assert_eq!(body, serde_json::json!({"FolderPath": "/srv/bk"}));
    }
}

// ---- Modern servers (7.1.5, recorded in docs/protocol/ravendb-4x.md) ----

#[test]
fn modern_tasks_list_is_read_under_its_new_key() {
    let tasks: OngoingTasks = recorded(
        r#"{"@metadata":{"DateTime":"2026-11-29T15:33:46Z","WebUrl":"http://127.0.0.1:18471","NodeTag":"A"},
     "OngoingTasks":[{"TaskId":5,"TaskType":"Backup","ResponsibleNode":{"NodeTag":"A","NodeUrl":"http://127.0.0.1:18471","ResponsibleNode":null},
      "TaskState":"Enabled","TaskConnectionStatus":"Active","TaskName":"nightly","MentorNode":null,"PinToMentorNode":false,"Error":null,
      "BackupType":"Backup","BackupDestinations":["Local"],"LastFullBackup":null,"LastIncrementalBackup":null,"OnGoingBackup":null,
      "NextBackup":{"TimeSpan":"10:26:13.6003792","DateTime":"2026-11-30T02:00:00Z","IsFull":true,"OriginalBackupTime":null},"RetentionPolicy":null,
      "IsEncrypted":false,"LastExecutingNodeTag":"A","FullBackupFrequency":"0 2 * * *","IncrementalBackupFrequency":null,
      "BackupUploadMode":"Default","HasCloudBackup":false}],"SubscriptionsCount":0,"PullReplications":[]}"#,
    );
    let backups: Vec<_> = tasks.backups().collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].task_id, 5);
    assert_eq!(backups[0].task_name, "nightly");
    assert!(backups[0].is_enabled());
    // An empty modern list reads as empty, not as an error.
    let none: OngoingTasks = recorded(
        r#"{"@metadata":{},"OngoingTasks":[],"SubscriptionsCount":0,"PullReplications":[]}"#,
    );
    assert_eq!(none.backups().count(), 0);
}

#[test]
fn modern_start_answers_carry_the_node_tag() {
    let one_time: OperationIdResponse = roundtrip(r#"{"OperationId":1,"OperationNodeTag":"A"}"#);
    assert_eq!(one_time.operation_id, 1);
    assert_eq!(one_time.node_tag(), Some("A"));
    let task_run: OperationIdResponse = roundtrip(r#"{"ResponsibleNode":"B","OperationId":2}"#);
    assert_eq!(task_run.node_tag(), Some("B"));
    let old_restore: OperationIdResponse = roundtrip(r#"{"OperationId":1}"#);
    assert_eq!(old_restore.node_tag(), None);
    let blank: OperationIdResponse = recorded(r#"{"OperationId":1,"OperationNodeTag":"  "}"#);
    assert_eq!(blank.node_tag(), None);
}

#[test]
fn modern_backup_result_names_its_folder_relative_to_the_folder_path() {
    let st: OperationState = recorded(
        r#"{"$type":"Raven.Client.Documents.Operations.OperationState, Raven.Client","Progress":null,
      "Result":{"$type":"Raven.Client.Documents.Operations.Backups.BackupResult, Raven.Client",
        "Documents":{"Processed":true,"ReadCount":3,"SizeInBytes":219,"LastEtag":3},
        "Messages":["[15:33:06 INFO] Started task: 'One Time Backup #1'","[15:33:06 INFO] Started a full backup"],
        "Elapsed":"00:00:00.2371703","SnapshotBackup":{"Skipped":true},"S3Backup":{"Skipped":true},
        "LocalBackup":{"LastFullBackup":null,"Exception":null,"BackupDirectory":"2026-11-29-15-33-06.ravendb-Shop-A-backup",
                       "FileName":"2026-11-29-15-33-06.ravendb-full-backup","TempFolderUsed":false}},
      "Status":"Completed"}"#,
    );
    assert_eq!(st.status, OperationStatus::Completed);
    let result = st.result.as_ref().unwrap();
    assert!(!result.is_exception());
    assert_eq!(
        result.backup_directory(),
        Some("2026-11-29-15-33-06.ravendb-Shop-A-backup")
    );
    assert_eq!(
        backup_folder("/srv/bk/", result.backup_directory().unwrap()),
        "/srv/bk/2026-11-29-15-33-06.ravendb-Shop-A-backup"
    );
    // Windows folders keep their separator; an absolute directory is kept.
    assert_eq!(backup_folder(r"D:\bk", "x-backup"), r"D:\bk\x-backup");
    assert_eq!(backup_folder("/srv/bk", "/elsewhere/x"), "/elsewhere/x");
    assert_eq!(backup_folder("", "x"), "x");
    // 4.1's result has no LocalBackup.
    let old: OperationResult = recorded(r#"{"Messages":[],"Elapsed":"00:00:00.1"}"#);
    assert_eq!(old.backup_directory(), None);
}

#[test]
fn modern_progress_gives_counts_and_files() {
    let backup: OperationState = recorded(
        r#"{"$type":"Raven.Client.Documents.Operations.OperationState, Raven.Client",
      "Progress":{"$type":"Raven.Client.Documents.Operations.Backups.BackupProgress, Raven.Client","DatabaseRecord":{},
        "Documents":{"StartTime":"2026-11-29T15:36:11Z","Processed":false,"ReadCount":34499,"SizeInBytes":34801235,"LastEtag":34499},
        "Message":"[15:36:11 INFO] Started processing Documents.","SnapshotBackup":{},"S3Backup":{}},
      "Result":null,"Status":"InProgress"}"#,
    );
    assert_eq!(
        backup.progress_counts(),
        Some(ProgressCounts {
            documents: Some(34499),
            files: None
        })
    );
    assert_eq!(
        backup.progress_message(),
        Some("[15:36:11 INFO] Started processing Documents.")
    );
    let restore: OperationState = recorded(
        r#"{"Progress":{"$type":"Raven.Client.ServerWide.Operations.RestoreProgress, Raven.Client","DatabaseRecord":{},"Documents":{},
        "Message":null,"SnapshotRestore":{},"Files":{"CurrentFileName":null,"CurrentFile":0,"FileCount":1}},"Result":null,"Status":"InProgress"}"#,
    );
    assert_eq!(
        restore.progress_counts(),
        Some(ProgressCounts {
            documents: None,
            files: Some((0, 1))
        })
    );
    // A current file past the count is clamped; nothing counted is None.
    let odd: OperationState =
        recorded(r#"{"Progress":{"Files":{"CurrentFile":5,"FileCount":2}},"Status":"InProgress"}"#);
    assert_eq!(odd.progress_counts().unwrap().files, Some((2, 2)));
    let none: OperationState = recorded(r#"{"Progress":{"Message":"x"},"Status":"InProgress"}"#);
    assert_eq!(none.progress_counts(), None);
}

#[test]
fn failures_are_told_by_their_members_not_their_type_name() {
    // A faulted restore (7.1: an existing name) without any `$type`.
    let st: OperationState = recorded(
        r#"{"Result":{"Type":"System.ArgumentException","Message":"Cannot restore data to an existing database named ShopRestored",
        "StatusCode":500},"Status":"Faulted"}"#,
    );
    assert_eq!(
        st.failure_message().as_deref(),
        Some("Cannot restore data to an existing database named ShopRestored")
    );
    // A `$type` that names an exception does not make a result a failure.
    let ok: OperationResult =
        recorded(r#"{"$type":"Some.OperationExceptionResult, X","Messages":["done"]}"#);
    assert!(!ok.is_exception());
}

#[test]
fn an_unknown_task_408_reads_in_plain_words() {
    let err = classify_http(
        408,
        Some("application/json; charset=utf-8"),
        r#"{"Type":"System.TimeoutException","Message":"Waited for 00:00:15 but didn't get an index notification for 999. This is likely because the node is not the leader."}"#,
        "http://x/databases/Shop/admin/backup/database?taskId=999&isFullBackup=true",
    );
    let err = backup_now_error(err, 999);
    let text = err.user_message();
    assert!(text.contains("no backup task with id 999"), "{text}");
    assert!(text.contains("Waited for 00:00:15"), "{text}");
    // Other errors pass unchanged.
    let other = ApiError::Unreachable { url: "u".into() };
    assert_eq!(backup_now_error(other.clone(), 1), other);
}

#[test]
fn a_lost_backup_start_is_found_in_the_operations_list() {
    let ops: DatabaseOperations = recorded(
        r#"{"Results":[
      {"Id":1,"Description":{"Description":"Full backup task: 'nightly'","TaskType":"DatabaseBackup","StartTime":"2026-11-29T15:00:00.0000000Z","EndTime":"2026-11-29T15:00:01Z","DetailedDescription":null},"Killable":true,"State":{}},
      {"Id":2,"Description":{"Description":"Full backup task: 'nightly'","TaskType":"DatabaseBackup","StartTime":"2026-11-29T16:00:00.0000000Z","EndTime":null,"DetailedDescription":null},"Killable":true,"State":{}},
      {"Id":3,"Description":{"Description":"Manual backup for database: Shop","TaskType":"DatabaseBackup","StartTime":"2026-11-29T16:00:05Z"},"Killable":true,"State":{}},
      {"Id":4,"Description":{"Description":"Full backup task: 'other'","TaskType":"DatabaseBackup","StartTime":"2026-11-29T16:00:06Z"},"Killable":true,"State":{}},
      {"Id":5,"Description":{"Description":"Full backup task: 'nightly'","TaskType":"DatabaseBackup","StartTime":null},"Killable":true,"State":{}}]}"#,
    );
    let since = crate::api::wire::time::parse_iso_ms("2026-11-29T15:30:00Z").unwrap();
    // A task run: the newest of that task since the POST (not the older run, not another task).
    assert_eq!(ops.backup_started_since(Some("nightly"), since), Some(2));
    // A one-time backup: any backup since the POST, the newest.
    assert_eq!(ops.backup_started_since(None, since), Some(4));
    // Nothing since: nothing found.
    let later = crate::api::wire::time::parse_iso_ms("2026-11-29T17:00:00Z").unwrap();
    assert_eq!(ops.backup_started_since(Some("nightly"), later), None);
    assert_eq!(
        DatabaseOperations::default().backup_started_since(None, 0.0),
        None
    );
}
