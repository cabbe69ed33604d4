//! RavenDB 3.5 backups: the operation state and the status document in
//! turn, and an operation id that vanishes.

use super::sim::*;
use crate::api::error::ApiError;
use crate::api::poll::*;
use crate::api::version::Generation;
use serde_json::json;

#[test]
fn v35_backup_alternates_and_succeeds_only_when_the_document_says_success() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    let running = op(
        json!({"Completed": false, "Faulted": false, "Canceled": false,
        "State": {"Progress": "Backing up indexes.."}, "Exception": null}),
    );
    let done = op(
        json!({"Completed": true, "Faulted": false, "Canceled": false,
        "State": {"Progress": null}, "Exception": null}),
    );
    assert_eq!(s.step(Ok(running)), PollRequest::OperationStatus { id: 7 });
    assert_eq!(
        s.t.snapshot().progress.as_deref(),
        Some("Backing up indexes..")
    );
    let r = s.step(Ok(backup_doc(true, Some(false), &[msg("Started")])));
    assert!(matches!(r, PollRequest::BackupStatusDoc { .. }));
    assert_eq!(s.step(Ok(done)), PollRequest::OperationStatus { id: 7 });
    // The operation is over but the document still runs: no success yet,
    // and only the document is read from now on.
    assert!(s.outcome().is_none());
    s.step(Ok(backup_doc(
        true,
        Some(false),
        &[msg("Started"), msg("Finishing")],
    )));
    assert!(s.outcome().is_none());
    assert!(matches!(
        s.t.next_request(),
        Some(PollRequest::BackupStatusDoc { .. })
    ));
    s.step(Ok(backup_doc(
        false,
        Some(true),
        &[msg("Started"), msg("Finishing")],
    )));
    assert!(matches!(s.outcome(), Some(Outcome::Succeeded { .. })));
    assert_eq!(texts(&s.t), ["Started", "Finishing"]);
}

#[test]
fn v35_backup_completed_but_document_says_no_success_is_a_failure() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    s.step(Ok(op_done()));
    let e = err_msg("Failed to complete backup because: access denied", "trace");
    s.step(Ok(backup_doc(false, Some(false), &[msg("Started"), e])));
    assert!(matches!(s.outcome(), Some(Outcome::Failed { reason, .. })
        if reason == "Failed to complete backup because: access denied"));
}

#[test]
fn v35_backup_completed_but_never_confirmed_is_lost_not_success() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    let out = s.run(
        200,
        |_| Ok(op_done()),
        |_| Ok(backup_doc(true, Some(false), &[msg("x")])),
    );
    assert!(
        matches!(&out, Outcome::Lost { reason } if reason.contains("never confirmed")),
        "{out:?}"
    );
    assert!(s.now - T0 >= 15_000.0);
}

#[test]
fn v35_backup_faulted_operation_fails_with_state_error() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    s.step(Ok(op_running()));
    s.step(Ok(backup_doc(true, Some(false), &[msg("Started")])));
    s.step(Ok(op(
        json!({"Completed": true, "Faulted": true, "Canceled": false,
        "State": {"Progress": null, "Error": "Failed to complete backup because: no space"},
        "Exception": null}),
    )));
    assert!(s.outcome().is_none(), "waits for the document's last lines");
    // The document is unreadable for a while: the operation's words win.
    let out = s.run(200, |_| unreachable!(), |_| Ok(PollResponse::Missing));
    assert_eq!(
        out,
        Outcome::Failed {
            reason: "Failed to complete backup because: no space".into(),
            details: None
        }
    );
}

#[test]
fn v35_backup_canceled() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    s.step(Ok(op(
        json!({"Completed": true, "Faulted": false, "Canceled": true,
        "State": {"Progress": null, "Error": null}, "Exception": null}),
    )));
    s.step(Ok(backup_doc(
        false,
        Some(false),
        &[msg("Started"), err_msg("Backup was canceled", "")],
    )));
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Canceled {
            reason: "The backup was canceled.".into()
        })
    );
    // Without the operation, the document's words alone say canceled.
    let mut s = Sim::new(northwind_backup(), None, Generation::V35);
    s.step(Ok(backup_doc(
        false,
        Some(false),
        &[err_msg("Backup was canceled", "")],
    )));
    assert!(matches!(s.outcome(), Some(Outcome::Canceled { .. })));
}

#[test]
fn operation_id_vanishing_after_a_restart_is_lost() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    s.step(Ok(op_running()));
    s.step(Ok(backup_doc(true, Some(false), &[msg("Started")])));
    s.step(Err(ApiError::NotFound {
        url: "http://x/operation/status?id=7".into(),
        server_message: None,
    }));
    assert!(s.outcome().is_none(), "the document is consulted first");
    s.step(Ok(PollResponse::Missing));
    assert!(
        matches!(s.outcome(), Some(Outcome::Lost { reason }) if reason.contains("may have restarted"))
    );
    assert_eq!(texts(&s.t), ["Started"], "the last good log is kept");
}

#[test]
fn operation_id_vanishing_with_a_stale_running_document_is_lost_after_settle() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    s.step(Ok(op_running()));
    let doc = || Ok(backup_doc(true, Some(false), &[msg("Started")]));
    s.step(doc());
    s.step(Ok(PollResponse::Missing));
    let out = s.run(500, |_| unreachable!(), |_| doc());
    assert!(matches!(&out, Outcome::Lost { reason } if reason.contains("no longer knows")));
    assert!(s.now - T0 >= 15_000.0 && s.now - T0 < 25_000.0);
}

#[test]
fn operation_unknown_at_the_first_request_falls_back_to_the_document() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    s.step(Ok(PollResponse::Missing));
    assert!(s.outcome().is_none());
    assert!(matches!(
        s.step(Ok(backup_doc(true, Some(false), &[msg("a")]))),
        PollRequest::BackupStatusDoc { .. }
    ));
    s.step(Ok(backup_doc(true, Some(false), &[msg("a"), msg("b")])));
    // Following the document for longer than settle_ms is fine while it moves.
    let mut n = 2;
    let out = s.run(
        500,
        |_| unreachable!(),
        |elapsed| {
            n += 1;
            let msgs: Vec<_> = (0..n).map(|i| msg(&format!("m{i}"))).collect();
            Ok(backup_doc(
                elapsed < 40_000.0,
                Some(elapsed >= 40_000.0),
                &msgs,
            ))
        },
    );
    assert!(out.is_success());
}
