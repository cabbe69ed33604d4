//! The 4.x bodies recorded against the genuine RavenDB 4.1.0 server, read
//! and written back.

use crate::api::wire::common::OperationRunState;
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
    let v: BuildVersion4 = roundtrip(
        r#"{"BuildVersion":41001,"ProductVersion":"4.1","CommitHash":"86e8830","FullVersion":"4.1.0"}"#,
    );
    assert_eq!(v.build_version, 41001);
    assert_eq!(v.major_minor(), Some((4, 1)));
    assert!(v.needs_temporary_backup_task());
    let odd: BuildVersion4 =
        serde_json::from_value(json!({"BuildVersion": "42017", "ProductVersion": "4.2"})).unwrap();
    assert_eq!(odd.build_version, 42017);
    assert_eq!(odd.major_minor(), Some((4, 2)));
    assert!(!odd.needs_temporary_backup_task());
    let empty: BuildVersion4 = serde_json::from_str("{}").unwrap();
    assert_eq!(empty.major_minor(), None);
}

#[test]
fn database_list_recorded() {
    let list: DatabaseList = recorded(
        r#"{"Databases":[{"Name":"Restored","Disabled":false,"TotalSize":{"HumaneSize":"40.19 MBytes","SizeInBytes":42139648},...,"BackupInfo":null,
  "DocumentsCount":1,...,"NodesTopology":{...},"ReplicationFactor":1,...},
  {"Name":"Test",...,"BackupInfo":{"LastBackup":"2026-11-27T17:45:41.5333614","IntervalUntilNextBackupInSec":29650.99},...}]}"#,
    );
    assert_eq!(list.names(), vec!["Restored", "Test"]);
    let restored = list.get("restored").unwrap();
    assert_eq!(
        restored.total_size.as_ref().unwrap().size_in_bytes,
        42139648
    );
    assert_eq!(restored.backup_info, None);
    assert_eq!(restored.documents_count, Some(1));
    assert_eq!(restored.replication_factor, Some(1));
    let test = list.get("Test").unwrap();
    let info = test.backup_info.as_ref().unwrap();
    assert_eq!(
        info.last_backup.as_deref(),
        Some("2026-11-27T17:45:41.5333614")
    );
    assert_eq!(info.interval_until_next_backup_in_sec, Some(29650.99));
    // Lenient: odd items are skipped, null lists read as empty.
    let odd: DatabaseList =
        serde_json::from_value(json!({"Databases": [7, {"Name": "A", "Disabled": "true"}]}))
            .unwrap();
    assert_eq!(odd.databases.len(), 1);
    assert!(odd.databases[0].disabled);
    let none: DatabaseList = serde_json::from_value(json!({"Databases": null})).unwrap();
    assert!(none.databases.is_empty());
}

#[test]
fn database_record_recorded() {
    let rec: DatabaseRecordSummary = recorded(
        r#"{"DatabaseName":"Restored","Disabled":false,"Encrypted":false,...,"PeriodicBackups":[],...,"Etag":6}"#,
    );
    assert_eq!(rec.database_name, "Restored");
    assert!(!rec.encrypted);
    assert!(rec.periodic_backups.is_empty());
    assert_eq!(rec.etag, Some(6));
}

#[test]
fn delete_databases_request_round_trips() {
    let req: DeleteDatabasesRequest =
        roundtrip(r#"{"DatabaseNames":["Restored"],"HardDelete":true}"#);
    assert_eq!(req.database_names, vec!["Restored"]);
    assert!(req.hard_delete);
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
        t.last_backup(),
        Some(("2026-11-27T17:45:41.5333614Z", true))
    );
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
fn single_task_recorded_and_lenient_variants() {
    // GET /databases/Test/task?key=3&type=Backup -> the single element.
    let whole: Value = serde_json::from_str(TASKS).unwrap();
    let one: OngoingTask = serde_json::from_value(whole["OngoingTasksList"][0].clone()).unwrap();
    assert_eq!(one.task_id, 3);
    let later = OngoingTask {
        last_incremental_backup: Some("2026-11-28T02:00:00Z".into()),
        ..one.clone()
    };
    assert_eq!(later.last_backup(), Some(("2026-11-28T02:00:00Z", false)));
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
    assert_eq!(s.error_text(), None);
    // Recorded with smoke.sh: a task that never ran.
    let none: PeriodicBackupStatusResponse = serde_json::from_str(r#"{"Status":null}"#).unwrap();
    assert_eq!(none.status, None);
    let failed: PeriodicBackupStatus = serde_json::from_value(
        json!({"Error": {"Exception": "disk full", "At": "2026-11-27T17:45:41Z"},
               "LocalBackup": {"Exception": "local"}}),
    )
    .unwrap();
    assert_eq!(failed.error_text().as_deref(), Some("disk full"));
    let local: PeriodicBackupStatus =
        serde_json::from_value(json!({"Error": null, "LocalBackup": {"Exception": "local"}}))
            .unwrap();
    assert_eq!(local.error_text().as_deref(), Some("local"));
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
    assert!(st.is_terminal());
    assert_eq!(st.run_state(), OperationRunState::Succeeded);
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
    assert!(!running.is_terminal());
    assert_eq!(running.run_state(), OperationRunState::Running);
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
    assert_eq!(faulted.run_state(), OperationRunState::Faulted);
    assert_eq!(
        faulted.failure_message().as_deref(),
        Some("Cannot open database because RavenDB was unable create file lock on: /proc/nope/R2/db.lock")
    );
    assert!(faulted
        .failure_details()
        .unwrap()
        .contains("DirectoryNotFoundException"));
    let r = faulted.result.as_ref().unwrap();
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
        (json!("Canceled"), OperationRunState::Canceled),
        (json!(1), OperationRunState::Succeeded),
        (json!("completed"), OperationRunState::Succeeded),
        (json!("Paused"), OperationRunState::Unknown),
        (json!(null), OperationRunState::Unknown),
    ] {
        let st: OperationState = serde_json::from_value(json!({"Status": v})).unwrap();
        assert_eq!(st.run_state(), want, "{v}");
    }
    let missing: OperationState = serde_json::from_str("{}").unwrap();
    assert_eq!(missing.status, OperationStatus::InProgress);
    assert_eq!(
        serde_json::to_value(&OperationStatus::Faulted).unwrap(),
        json!("Faulted")
    );
}

#[test]
fn operations_list_recorded() {
    let list: OperationList = recorded(
        r#"{"Results":[{"Id":1,"Description":{"Description":"Full backup task: 'e2e-backup'","TaskType":"DatabaseBackup","StartTime":"...","EndTime":"...",
  "DetailedDescription":null},"Killable":true,"State":{...}}]}"#,
    );
    let op = &list.results[0];
    assert_eq!(op.id, 1);
    assert!(op.killable);
    let d = op.description.as_ref().unwrap();
    assert_eq!(
        d.description.as_deref(),
        Some("Full backup task: 'e2e-backup'")
    );
    assert_eq!(d.task_type.as_deref(), Some("DatabaseBackup"));
    // `{...}` stands for the same OperationState; `{}` reads as InProgress.
    assert_eq!(
        op.state.as_ref().unwrap().status,
        OperationStatus::InProgress
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
    let req: RestorePointsRequest = roundtrip(r#"{"Path":"/tmp/r4probe/backups"}"#);
    assert_eq!(req.path, "/tmp/r4probe/backups");
    let points: RestorePoints = roundtrip(
        r#"{"List":[{"DateTime":"2026-11-27T19:20:00.0000000","Location":"/tmp/r4probe/backups/2026-11-27-19-20.ravendb-Test-A-backup","FileName":"2026-11-27-19-20.ravendb-full-backup","IsSnapshotRestore":false,"IsEncrypted":false,"IsIncremental":false,"FilesToRestore":1,"DatabaseName":"Test","NodeTag":"A"}]}"#,
    );
    let p = &points.list[0];
    assert_eq!(p.database_name.as_deref(), Some("Test"));
    assert_eq!(
        serde_json::to_value(p.restore_request("Copy")).unwrap(),
        json!({"DatabaseName":"Copy",
               "BackupLocation":"/tmp/r4probe/backups/2026-11-27-19-20.ravendb-Test-A-backup",
               "LastFileNameToRestore":"2026-11-27-19-20.ravendb-full-backup"})
    );
}

#[test]
fn error_bodies_recorded() {
    let route: ErrorBody4 = recorded(
        r#"{"Type":"Raven.Client.Exceptions.Routing.RouteNotFoundException","Message":"There is no handler for path: POST /databases/Test/admin/backup",...}"#,
    );
    assert!(route.is_route_not_found());
    assert_eq!(
        route.message.as_deref(),
        Some("There is no handler for path: POST /databases/Test/admin/backup")
    );
    let options: ErrorBody4 = recorded(
        r#"{"Type":"Raven.Client.Exceptions.Routing.RouteNotFoundException","Message":"There is no handler for path: OPTIONS /admin/databases?name=X",...}"#,
    );
    assert!(options.is_route_not_found());
    let task: ErrorBody4 = recorded(
        r#"{"Type":"System.InvalidOperationException","Message":"Backup task id: 999 doesn't exist",...}"#,
    );
    assert_eq!(task.short_type(), Some("InvalidOperationException"));
    let missing: ErrorBody4 = recorded(
        r#"{"Type":"Raven.Client.Exceptions.Database.DatabaseDoesNotExistException","Message":"Database 'Test' does not exist.",...}"#,
    );
    assert!(missing.is_database_missing());
    let full: ErrorBody4 = roundtrip(
        r#"{"Url":"/admin/restore/points","Type":"System.InvalidOperationException","Message":"Path '/tmp/nonexist' doesn't exist","Error":"System.InvalidOperationException: Path '/tmp/nonexist' doesn't exist\n   at Raven.Server.Web.System.AdminDatabasesHandler.GetRestorePoints()"}"#,
    );
    assert_eq!(full.url.as_deref(), Some("/admin/restore/points"));
    // The classifier of error.rs reads the same body.
    let e = crate::api::error::classify_http(
        500,
        Some("application/json; charset=utf-8"),
        &serde_json::to_string(&full).unwrap(),
        "http://x/admin/restore/points",
    );
    assert_eq!(
        e.server_message(),
        Some("Path '/tmp/nonexist' doesn't exist")
    );
}

#[test]
fn other_recorded_bodies_parse_as_json() {
    // The rest of the recorded JSON: requests and answers outside the
    // backup/restore types, checked for shape only.
    for text in [
        r#"{"DatabaseName":"Test","Settings":{},"Disabled":false}"#,
        r#"{"RaftCommandIndex":2,"Name":"Test","Topology":{"Members":["A"],"Promotables":[],"Rehabs":[],"Stamp":{"Index":-1,"Term":1,"LeadersTicks":1021},
  "PromotablesStatus":{},"DemotionReasons":{},"DynamicNodesDistribution":false,"ReplicationFactor":1,"DatabaseTopologyIdBase64":"C/Ezkl0AckGi+GRZoB0ppQ"},
  "NodesAddedTo":["http://127.0.0.1:8080"]}"#,
        r#"{"Name":"Alice","Age":30,"@metadata":{"@collection":"Users"}}"#,
        r#"{"Id":"users/1","ChangeVector":"A:1-gsg06vdgS06wnWT/nIbkpQ"}"#,
        r#"{"Results":[{"Name":"Alice","Age":30,"@metadata":{"@collection":"Users","@change-vector":"A:1-gsg06vdgS06wnWT/nIbkpQ","@id":"users/1",
  "@last-modified":"2026-11-27T17:45:34.4950061Z"}}],"Includes":{}}"#,
        r#"{"Results":[{"Name":"Alice","Age":30,"@metadata":{"@collection":"Users","@change-vector":"A:1-vYEyB0wnlkS25QLhkdb5mg","@id":"users/1",
  "@last-modified":"2026-11-27T17:45:34.4950061Z"}}],"Includes":{}}"#,
        r#"{"RaftCommandIndex":8,"PendingDeletes":[]}"#,
    ] {
        let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert!(v.is_object());
    }
}
