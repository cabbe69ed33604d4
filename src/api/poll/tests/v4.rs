//! RavenDB 4.x and later: the operation state alone.

use super::sim::*;
use crate::api::error::ApiError;
use crate::api::poll::*;
use crate::api::version::Generation;
use serde_json::json;

fn op4(value: serde_json::Value) -> Result<PollResponse, ApiError> {
    Ok(PollResponse::Operation4(
        serde_json::from_value(value).unwrap(),
    ))
}

const V41: Generation = Generation::V4Plus { major: 4, minor: 1 };

#[test]
fn ravendb_4_backup_is_followed_by_its_operation_state_to_success() {
    let mut s = Sim::new(northwind_backup(), Some(1), V41);
    assert_eq!(
        s.t.next_request(),
        Some(PollRequest::Operation4 {
            database: Some("Northwind".into()),
            id: 1
        })
    );
    s.step(op4(json!({"Status": "InProgress", "Progress": {"Message": "[17:45:41 INFO] Started task: 'e2e-backup'"}, "Result": null})));
    assert!(s.outcome().is_none());
    assert_eq!(s.t.log().lines().len(), 1);
    s.step(op4(json!({"Status": "Completed", "Progress": null, "Result": {
        "Messages": ["[17:45:41 INFO] Started task: 'e2e-backup'", "[17:45:41 INFO] Saving backup status"]}})));
    assert!(
        matches!(s.outcome(), Some(Outcome::Succeeded { summary }) if summary.contains("database Northwind"))
    );
    // Each line once, in order.
    let texts: Vec<_> = s.t.log().lines().iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "[17:45:41 INFO] Started task: 'e2e-backup'",
            "[17:45:41 INFO] Saving backup status"
        ]
    );
    assert_eq!(s.t.next_request(), None);
}

#[test]
fn ravendb_4_restore_polls_the_server_level_state_and_fails_with_the_message() {
    let target = WatchTarget::new(
        Watched::DatabaseRestore {
            database: "Copy".into(),
        },
        Some(4),
        V41,
    );
    let mut s = Sim::with(target, PollConfig::default());
    assert_eq!(
        s.t.next_request(),
        Some(PollRequest::Operation4 {
            database: None,
            id: 4
        })
    );
    s.step(op4(json!({"Status": "Faulted", "Result": {
        "$type": "Raven.Client.Documents.Operations.OperationExceptionResult, Raven.Client",
        "Type": "System.ArgumentException", "Message": "Backup location doesn't exist, path: /x",
        "Error": "System.ArgumentException: Backup location doesn't exist, path: /x\n   at Raven.Server...", "StatusCode": 500}})));
    match s.outcome() {
        Some(Outcome::Failed { reason, details }) => {
            assert_eq!(reason, "Backup location doesn't exist, path: /x");
            assert!(details
                .as_deref()
                .is_some_and(|d| d.contains("at Raven.Server")));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn ravendb_4_unknown_operation_or_missing_id_is_lost() {
    // A 404 before any state: not this server's operation (issue 18.3,
    // tests/identity.rs in poll/tests); after a state, the server forgot it.
    let mut s = Sim::new(northwind_backup(), Some(9), V41);
    s.step(op4(json!({"Status": "InProgress"})));
    s.step(Err(ApiError::NotFound {
        url: "u".into(),
        server_message: None,
    }));
    assert!(matches!(s.outcome(), Some(Outcome::Lost { .. })));
    let s = Sim::new(northwind_backup(), None, V41);
    assert!(matches!(s.outcome(), Some(Outcome::Lost { .. })));
    assert_eq!(s.t.next_request(), None);
}

#[test]
fn ravendb_4_transient_errors_reconnect_and_cancel_is_canceled() {
    let mut s = Sim::new(northwind_backup(), Some(2), V41);
    s.step(Err(ApiError::Unreachable { url: "u".into() }));
    assert!(matches!(s.t.snapshot().phase, Phase::Reconnecting { .. }));
    s.step(op4(json!({"Status": "Canceled"})));
    assert!(matches!(s.outcome(), Some(Outcome::Canceled { .. })));
}
