//! The 3.x bodies of the protocol reference (§n), read and written back.

use super::roundtrip;
use crate::api::version::Generation;
use crate::api::wire::common::OperationRunState;
use crate::api::wire::v3::*;
use serde_json::{json, Value};

#[test]
fn seed_backup_request_round_trips() {
    let text = r#"{"BackupLocation":"c:\\temp\\backup\\Northwind\\","DatabaseDocument":{"SecuredSettings":{},"Settings":{},"Disabled":false,"Id":null}}"#;
    let (req, _) = roundtrip::<DatabaseBackupRequest>(text);
    assert_eq!(req.backup_location, "c:\\temp\\backup\\Northwind\\");
    let doc = req.database_document.expect("document");
    assert_eq!(doc.id, None);
    assert!(!doc.disabled);
}

#[test]
fn seed_restore_request_round_trips_as_the_early_subset() {
    let text = r#"{"DatabaseName":"NewNorthwind","BackupLocation":"c:\\temp\\backup\\Northwind\\","IndexesLocation":null,"RestoreStartTimeout":null,"DatabaseLocation":"~\\Databases\\NewNorthwind\\","Defrag":false,"JournalsLocation":null}"#;
    let (req, again) = roundtrip::<DatabaseRestoreRequest>(text);
    assert_eq!(req.database_name.as_deref(), Some("NewNorthwind"));
    assert_eq!(
        req.database_location.as_deref(),
        Some("~\\Databases\\NewNorthwind\\")
    );
    assert!(again.get("DisableReplicationDestinations").is_none());
    assert!(again.get("GenerateNewDatabaseId").is_none());
}

#[test]
fn restore_request_full_35_set_matches_the_worked_example() {
    // §5.6
    let example = json!({"BackupLocation":"C:\\Backups\\Northwind","DatabaseName":"Northwind2",
        "DatabaseLocation":null,"IndexesLocation":null,"JournalsLocation":null,
        "Defrag":false,"RestoreStartTimeout":null,
        "DisableReplicationDestinations":false,"GenerateNewDatabaseId":false});
    let req = DatabaseRestoreRequest {
        database_name: Some("Northwind2".into()),
        backup_location: "C:\\Backups\\Northwind".into(),
        ..Default::default()
    }
    .with_late_options(false, false);
    assert_eq!(serde_json::to_value(&req).unwrap(), example);
    let mut parsed: DatabaseRestoreRequest = serde_json::from_value(example).unwrap();
    assert_eq!(parsed, req);
    // 3.0 sends the late flags only when set: false ones give the early subset.
    Generation::V30.shape_restore_request(&mut parsed);
    let early = serde_json::to_value(parsed).unwrap();
    assert!(early.get("GenerateNewDatabaseId").is_none());
    assert_eq!(early["RestoreStartTimeout"], Value::Null);
}

#[test]
fn restore_request_ignores_the_obsolete_restore_location() {
    let req: DatabaseRestoreRequest = serde_json::from_value(json!({
        "BackupLocation": "C:\\b", "RestoreLocation": "C:\\b", "DatabaseName": "X"
    }))
    .unwrap();
    assert_eq!(req.backup_location, "C:\\b");
    assert!(serde_json::to_value(&req)
        .unwrap()
        .get("RestoreLocation")
        .is_none());
}

#[test]
fn database_document_keeps_unknown_fields_and_reads_the_admin_example() {
    // §9.2
    let text = r#"{"Id": "Northwind",
 "Settings": {"Raven/DataDir": "~\\Databases\\Northwind",
          "Raven/ActiveBundles": "Replication;Versioning"},
 "SecuredSettings": {"Raven/Encryption/Key": "<plain base64>"},
 "Disabled": false, "@metadata": {"@etag": "01"}}"#;
    let (doc, _) = roundtrip::<DatabaseDocument>(text);
    assert_eq!(doc.id.as_deref(), Some("Northwind"));
    assert_eq!(
        doc.settings["Raven/ActiveBundles"],
        "Replication;Versioning"
    );
    assert_eq!(
        doc.secured_settings["Raven/Encryption/Key"],
        "<plain base64>"
    );
    assert!(doc.extra.contains_key("@metadata"));
}

#[test]
fn database_document_tolerates_missing_and_odd_fields() {
    let doc: DatabaseDocument =
        serde_json::from_value(json!({"Settings": {"A": null, "B": 3}, "SecuredSettings": null}))
            .unwrap();
    assert_eq!(doc.id, None);
    assert_eq!(doc.settings["A"], "");
    assert_eq!(doc.settings["B"], "3");
    assert!(doc.secured_settings.is_empty());
}

#[test]
fn backup_request_with_no_document_writes_null() {
    // §3.8
    let req = DatabaseBackupRequest {
        backup_location: "C:\\Backups\\Northwind".into(),
        database_document: None,
    };
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        json!({"BackupLocation":"C:\\Backups\\Northwind","DatabaseDocument":null})
    );
    let fs = FilesystemBackupRequest {
        backup_location: "C:\\b".into(),
        file_system_document: None,
    };
    assert_eq!(
        serde_json::to_value(&fs).unwrap(),
        json!({"BackupLocation":"C:\\b","FileSystemDocument":null})
    );
}

#[test]
fn filesystem_restore_request_fields() {
    let req = FilesystemRestoreRequest {
        filesystem_name: Some("Files2".into()),
        backup_location: "C:\\b".into(),
        ..Default::default()
    };
    let v = serde_json::to_value(&req).unwrap();
    assert_eq!(
        v,
        json!({"FilesystemName":"Files2","BackupLocation":"C:\\b","FilesystemLocation":null,
               "IndexesLocation":null,"JournalsLocation":null,"Defrag":false,
               "RestoreStartTimeout":null})
    );
    let back: FilesystemRestoreRequest = serde_json::from_value(v).unwrap();
    assert_eq!(back, req);
}

#[test]
fn backup_status_35_example() {
    // §4.1
    let text = r#"{
  "Started": "2016-05-10T12:00:00.1234567Z",
  "Completed": null,
  "IsRunning": true,
  "Success": false,
  "Messages": [
{"Message": "Started backup process. Backing up data to directory = 'C:\\Backups\\Northwind'",
 "Details": null, "Timestamp": "2016-05-10T12:00:00.2000000Z", "Severity": "Informational"},
{"Message": "Backing up indexes..", "Details": null,
 "Timestamp": "2016-05-10T12:00:00.3000000Z", "Severity": "Informational"}
  ]
}"#;
    let (status, _) = roundtrip::<BackupStatus>(text);
    assert!(status.is_running);
    assert_eq!(status.success, Some(false));
    assert_eq!(status.messages.len(), 2);
    assert_eq!(status.messages[1].message, "Backing up indexes..");
    assert!(status.last_error().is_none());
}

#[test]
fn backup_status_early_30_without_success_and_details() {
    let status: BackupStatus = serde_json::from_value(json!({
        "Started": "2014-01-01T00:00:00.0000000Z", "Completed": "2014-01-01T00:00:01.0000000Z",
        "IsRunning": false,
        "Messages": [{"Message": "Failed to complete backup because: disk full",
                      "Timestamp": "2014-01-01T00:00:01.0000000Z", "Severity": "Error"},
                     {"Message": "odd", "Severity": "Verbose"}],
        "@metadata": {"@id": "Raven/Backup/Status"}
    }))
    .unwrap();
    assert_eq!(status.success, None);
    assert_eq!(status.messages[0].details, None);
    assert_eq!(
        status.messages[1].severity,
        Severity::Other("Verbose".into())
    );
    assert_eq!(
        status.last_error().unwrap().message,
        "Failed to complete backup because: disk full"
    );
    // No Success field is written back for 3.0.
    assert!(serde_json::to_value(&status)
        .unwrap()
        .get("Success")
        .is_none());
}

#[test]
fn severity_tolerates_numbers_and_null() {
    let m: Vec<BackupMessage> = serde_json::from_value(json!([
        {"Message": "a", "Severity": 1}, {"Message": "b", "Severity": null}, {"Message": "c"}
    ]))
    .unwrap();
    assert_eq!(m[0].severity, Severity::Error);
    assert_eq!(m[1].severity, Severity::Informational);
    assert_eq!(m[2].severity, Severity::Informational);
    assert_eq!(
        serde_json::to_value(&Severity::Error).unwrap(),
        json!("Error")
    );
}

#[test]
fn restore_status_example_and_early_30() {
    // §6.1
    let s: RestoreStatus = serde_json::from_str(
        r#"{"State": "Running", "Messages": ["Copying C:\\...\\Indexes\\1\\segments.gen", "..."]}"#,
    )
    .unwrap();
    assert_eq!(s.state, Some(RestoreState::Running));
    assert_eq!(s.messages.len(), 2);
    assert!(!s.wrapped);
    let early: RestoreStatus =
        serde_json::from_value(json!({"Messages": ["The new database was created"]})).unwrap();
    assert_eq!(early.state, None);
    let empty: RestoreStatus =
        serde_json::from_value(json!({"State": "", "Messages": null})).unwrap();
    assert_eq!(empty.state, None);
    assert!(empty.messages.is_empty());
    let v = serde_json::to_value(&early).unwrap();
    assert_eq!(v, json!({"Messages": ["The new database was created"]}));
    let faulted: RestoreStatus =
        serde_json::from_value(json!({"State": "Faulted", "Messages": []})).unwrap();
    assert_eq!(faulted.state, Some(RestoreState::Faulted));
}

#[test]
fn restore_status_wrapped_quirk_is_recognised() {
    // §5.3 step 4
    let text = "Database.Document file is invalid - database name was not found and not supplied in the request (Id property is missing or null). This is probably a bug - should never happen.";
    let v = json!({"restoreStatus": {"State": "Running", "Messages": [text]}});
    let s = RestoreStatus::from_value(&v).unwrap();
    assert!(s.wrapped);
    assert_eq!(s.state, Some(RestoreState::Running));
    assert_eq!(s.messages, vec![text.to_string()]);
    let via_serde: RestoreStatus = serde_json::from_value(v).unwrap();
    assert_eq!(via_serde, s);
    assert!(RestoreStatus::from_value(&json!([1])).is_err());
}

#[test]
fn restore_in_progress() {
    let (r, _) = roundtrip::<RestoreInProgress>(r#"{"Resource": "Northwind2"}"#);
    assert_eq!(r.resource, "Northwind2");
}

#[test]
fn operation_state_30_shapes() {
    // §7.2, 3.0
    let running: OperationState =
        serde_json::from_str(r#"{"Completed": false, "Faulted": false, "State": null}"#).unwrap();
    assert!(!running.is_terminal());
    assert_eq!(running.canceled, None);
    assert_eq!(running.state, None);
    let done: OperationState =
        serde_json::from_str(r#"{"Completed": true,  "Faulted": false, "State": null}"#).unwrap();
    assert!(done.is_terminal() && !done.faulted);
    let failed: OperationState = serde_json::from_str(
        r#"{"Completed": true,  "Faulted": true,  "State": {"Error": "<inner exception message>"}}"#,
    )
    .unwrap();
    assert_eq!(failed.state_error(), Some("<inner exception message>"));
    assert_eq!(failed.exception_message(), None);
    let v = serde_json::to_value(&running).unwrap();
    assert_eq!(
        v,
        json!({"Completed": false, "Faulted": false, "State": null})
    );
}

#[test]
fn operation_state_35_restore_shapes() {
    // §7.2, 3.5 restore
    let running: OperationState = serde_json::from_str(
        r#"{"Exception": null, "Completed": false, "Faulted": false, "Canceled": false, "State": null}"#,
    )
    .unwrap();
    assert_eq!(running.canceled, Some(false));
    assert!(!running.is_terminal());
    let failed: OperationState = serde_json::from_value(json!({
        "Exception": {"ClassName": "System.IO.DirectoryNotFoundException",
                      "Message": "Could not find a part of the path 'C:\\x'.",
                      "StackTraceString": "   at System.IO..."},
        "Completed": true, "Faulted": true, "Canceled": false, "State": {}
    }))
    .unwrap();
    assert_eq!(failed.state, Some(OperationStateDetail::default()));
    assert_eq!(failed.state_error(), None);
    assert_eq!(
        failed.exception_message().as_deref(),
        Some("Could not find a part of the path 'C:\\x'.")
    );
    assert_eq!(
        failed.exception_details().as_deref(),
        Some("   at System.IO...")
    );
    let as_string: OperationState =
        serde_json::from_value(json!({"Completed": true, "Faulted": true, "Exception": "boom"}))
            .unwrap();
    assert_eq!(as_string.exception_message().as_deref(), Some("boom"));
    let opaque: OperationState =
        serde_json::from_value(json!({"Completed": true, "Faulted": true, "Exception": 42}))
            .unwrap();
    assert_eq!(opaque.exception_message(), None);
}

#[test]
fn operation_state_35_backup_shapes() {
    // §7.2, 3.5 backup
    let running: OperationState = serde_json::from_str(
        r#"{"Completed": false, "Faulted": false, "Canceled": false,
 "State": {"Progress": "Backing up indexes.."}, "Exception": null}"#,
    )
    .unwrap();
    assert_eq!(running.progress(), Some("Backing up indexes.."));
    let ok: OperationState = serde_json::from_value(json!({"Completed": true, "Faulted": false,
        "Canceled": false, "State": {"Progress": null}, "Exception": null}))
    .unwrap();
    assert!(ok.is_terminal() && ok.progress().is_none());
    let failed: OperationState = serde_json::from_value(json!({"Completed": true, "Faulted": true,
        "Canceled": false, "State": {"Progress": null, "Error": "Failed to complete backup because: x"},
        "Exception": null}))
    .unwrap();
    assert_eq!(
        failed.state_error(),
        Some("Failed to complete backup because: x")
    );
    let canceled: OperationState =
        serde_json::from_value(json!({"Completed": true, "Faulted": false,
        "Canceled": true, "State": {"Progress": null, "Error": null}, "Exception": null}))
        .unwrap();
    assert!(canceled.is_canceled());
    let odd: OperationState =
        serde_json::from_value(json!({"Completed": "true", "State": "weird", "Extra": 1})).unwrap();
    assert!(odd.completed);
    assert_eq!(odd.state.unwrap().extra["Value"], json!("weird"));
}

#[test]
fn operations_list_items_both_shapes() {
    // §7.4
    let v30: OperationsListItem = serde_json::from_str(
        r#"{"Id": 3, "Payload": "Restoring database Northwind2 from C:\\Backups\\Northwind",
 "TaskType": "RestoreDatabase", "StartTime": "2016-05-10T12:00:00.0000000Z",
 "TaskStatus": "Running", "Exception": null}"#,
    )
    .unwrap();
    assert_eq!(v30.id, 3);
    assert_eq!(
        v30.description(),
        Some("Restoring database Northwind2 from C:\\Backups\\Northwind")
    );
    assert_eq!(v30.run_state(), OperationRunState::Running);
    let v35: OperationsListItem = serde_json::from_str(
        r#"{"Id": 7, "TaskType": "BackupDatabase", "Description": "Backup to: C:\\Backups\\Northwind",
 "StartTime": "2016-05-10T12:00:00.0000000Z",
 "Status": {"Progress": "Backing up indexes.."},
 "Completed": false, "Faulted": false, "Canceled": false,
 "Exception": null, "Killable": true}"#,
    )
    .unwrap();
    assert_eq!(v35.description(), Some("Backup to: C:\\Backups\\Northwind"));
    assert_eq!(v35.progress().as_deref(), Some("Backing up indexes.."));
    assert_eq!(v35.run_state(), OperationRunState::Running);
    assert_eq!(v35.killable, Some(true));
    let states = [
        (
            json!({"Id":1,"TaskStatus":"RanToCompletion"}),
            OperationRunState::Succeeded,
        ),
        (
            json!({"Id":1,"TaskStatus":"Faulted"}),
            OperationRunState::Faulted,
        ),
        (
            json!({"Id":1,"TaskStatus":"Canceled"}),
            OperationRunState::Canceled,
        ),
        (
            json!({"Id":1,"TaskStatus":"WaitingForActivation"}),
            OperationRunState::Running,
        ),
        (json!({"Id":1}), OperationRunState::Unknown),
        (
            json!({"Id":1,"Completed":true,"Faulted":false}),
            OperationRunState::Succeeded,
        ),
        (
            json!({"Id":1,"Completed":true,"Faulted":true}),
            OperationRunState::Faulted,
        ),
        (
            json!({"Id":1,"Completed":true,"Canceled":true}),
            OperationRunState::Canceled,
        ),
    ];
    for (v, expected) in states {
        let item: OperationsListItem = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(item.run_state(), expected, "{v}");
    }
}

#[test]
fn operation_id_response() {
    let (r, _) = roundtrip::<OperationIdResponse>(r#"{"OperationId":7}"#);
    assert_eq!(r.operation_id, 7);
}
