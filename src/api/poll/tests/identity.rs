//! A wrong answer is not an answer (issue 18.3): what a server that does not
//! own the followed 4.x+ operation answers is "cannot see it from here",
//! never a failure, a success or an unexplained loss.

use super::sim::*;
use crate::api::error::ApiError;
use crate::api::poll::*;
use crate::api::version::Generation;
use serde_json::json;

const V71: Generation = Generation::V4Plus { major: 7, minor: 1 };

fn op4(value: serde_json::Value) -> Result<PollResponse, ApiError> {
    Ok(PollResponse::Operation4(
        serde_json::from_value(value).unwrap(),
    ))
}

fn restore() -> WatchTarget {
    WatchTarget::new(
        Watched::DatabaseRestore {
            database: "Copy".into(),
        },
        Some(1),
        V71,
    )
}

fn not_visible(s: &Sim) -> String {
    match s.outcome() {
        Some(Outcome::NotVisible { reason }) => reason.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_404_500_or_503_before_any_state_is_cannot_see_with_why() {
    let answers = [
        (
            Err(ApiError::NotFound {
                url: "u".into(),
                server_message: None,
            }),
            "404",
        ),
        (Ok(PollResponse::Missing), "404"),
        (
            Err(ApiError::ServerException {
                status: 500,
                first_line: "Database 'Shop' was not found".into(),
                details: String::new(),
            }),
            "500",
        ),
        (
            Err(ApiError::Unavailable {
                message: "The server is not set up".into(),
            }),
            "503",
        ),
    ];
    for (answer, code) in answers {
        let mut s = Sim::new(northwind_backup(), Some(1), V71);
        s.step(answer);
        let reason = not_visible(&s);
        assert!(reason.contains(code), "{reason}");
        assert!(reason.contains("operation 1"), "{reason}");
        assert!(
            reason.contains("another server or cluster node"),
            "{reason}"
        );
        assert_eq!(s.t.next_request(), None, "nothing more is asked");
    }
}

#[test]
fn once_a_state_was_read_the_old_rules_hold() {
    let mut s = Sim::new(northwind_backup(), Some(1), V71);
    s.step(op4(json!({"Status": "InProgress"})));
    s.step(Err(ApiError::ServerException {
        status: 500,
        first_line: "busy".into(),
        details: String::new(),
    }));
    assert!(matches!(s.t.snapshot().phase, Phase::Reconnecting { .. }));
    s.step(op4(json!({"Status": "Completed", "Result": {
        "$type": "Raven.Client.Documents.Operations.Backups.BackupResult, Raven.Client"}})));
    assert!(matches!(s.outcome(), Some(Outcome::Succeeded { .. })));
}

#[test]
fn the_state_of_an_operation_of_another_kind_is_rejected() {
    // A backup followed, a restore's state answered (the same id, the
    // other level or another node): never a success. The `$type` as
    // RavenDB 7.1.5 wrote it for a restore.
    let mut s = Sim::new(northwind_backup(), Some(1), V71);
    s.step(op4(json!({"Status": "Completed", "Result": {
        "$type": "Raven.Client.ServerWide.Operations.RestoreResult, Raven.Client",
        "Messages": ["Restored"]}})));
    let reason = not_visible(&s);
    assert!(reason.contains("state of a restore"), "{reason}");
    assert!(
        s.t.log().lines().is_empty(),
        "nothing of it is shown as ours"
    );
    // And the other way round, even after states of the right kind.
    let mut s = Sim::with(restore(), PollConfig::default());
    s.step(op4(json!({"Status": "InProgress", "Progress": {
        "$type": "Raven.Server.Documents.PeriodicBackup.Restore.RestoreProgress, Raven.Server"}})));
    assert!(s.outcome().is_none());
    s.step(op4(json!({"Status": "InProgress", "Progress": {
        "$type": "Raven.Server.Documents.PeriodicBackup.BackupProgress, Raven.Server"}})));
    assert!(not_visible(&s).contains("state of a backup"));
    // A state that does not say its kind (a fault, or no $type) is read.
    let mut s = Sim::new(northwind_backup(), Some(1), V71);
    s.step(op4(json!({"Status": "Faulted", "Result": {
        "$type": "Raven.Client.Documents.Operations.OperationExceptionResult, Raven.Client",
        "Message": "disk full", "Error": "x"}})));
    assert!(matches!(s.outcome(), Some(Outcome::Failed { .. })));
}

#[test]
fn on_3x_a_404_keeps_its_meaning() {
    let mut s = Sim::new(northwind_backup(), Some(1), Generation::V35);
    s.step(Ok(PollResponse::Missing));
    assert!(!matches!(s.outcome(), Some(Outcome::NotVisible { .. })));
}
