//! 3.0 and 3.5 restores: the operation state, the restore status document
//! and its quirks.

use super::sim::*;
use crate::api::poll::*;
use crate::api::version::Generation;
use crate::api::wire::time::parse_iso_ms;
use serde_json::json;

fn faulted_35_restore_op() -> PollResponse {
    op(
        json!({"Exception": {"ClassName": "System.InvalidOperationException",
              "Message": "Cannot restore when the Database.Document file is missing in the backup folder: C:\\b",
              "StackTraceString": "   at Raven.Database.Actions..."},
              "Completed": true, "Faulted": true, "Canceled": false, "State": {}}),
    )
}

#[test]
fn v35_failed_restore_with_empty_state_fails_with_the_documents_words() {
    let mut s = Sim::new(new_northwind_restore(), Some(3), Generation::V35);
    assert_eq!(
        s.step(Ok(op_running())),
        PollRequest::OperationStatus { id: 3 }
    );
    assert_eq!(
        s.step(Ok(PollResponse::Missing)),
        PollRequest::RestoreStatusDoc
    );
    assert_eq!(
        s.t.snapshot().phase,
        Phase::Running,
        "a missing document at first is normal"
    );
    s.step(Ok(faulted_35_restore_op()));
    assert!(s.outcome().is_none());
    s.step(Ok(restore_doc(json!({"State": "Faulted", "Messages": [
        "Unable to restore database Cannot restore when the Database.Document file is missing in the backup folder: C:\\b"
    ]}))));
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Failed {
            reason: "Unable to restore database Cannot restore when the Database.Document file is missing in the backup folder: C:\\b".into(),
            details: None
        })
    );
}

#[test]
fn v35_failed_restore_with_empty_state_and_no_document_uses_the_exception() {
    let mut s = Sim::new(new_northwind_restore(), Some(3), Generation::V35);
    s.step(Ok(op_running()));
    let mut first = true;
    let out = s.run(
        500,
        |_| {
            let r = if first {
                Ok(faulted_35_restore_op())
            } else {
                unreachable!()
            };
            first = false;
            r
        },
        |_| Ok(PollResponse::Missing),
    );
    assert_eq!(
        out,
        Outcome::Failed {
            reason: "Cannot restore when the Database.Document file is missing in the backup folder: C:\\b".into(),
            details: Some("   at Raven.Database.Actions...".into())
        }
    );
}

#[test]
fn v30_faulted_restore_state_error() {
    let mut s = Sim::new(new_northwind_restore(), Some(3), Generation::V30);
    s.step(Ok(op(
        json!({"Completed": true, "Faulted": true, "State": {"Error": "Access denied"}}),
    )));
    let out = s.run(500, |_| unreachable!(), |_| Ok(PollResponse::Missing));
    assert_eq!(
        out,
        Outcome::Failed {
            reason: "Access denied".into(),
            details: None
        }
    );
}

#[test]
fn restore_success_waits_briefly_for_the_operation_and_a_late_fault_wins() {
    let completed =
        json!({"State": "Completed", "Messages": ["Copying x", "The new database was created"]});
    // Operation ends fine: success, naming the database.
    let mut s = Sim::new(new_northwind_restore(), Some(3), Generation::V35);
    s.step(Ok(op_running()));
    s.step(Ok(restore_doc(completed.clone())));
    assert!(s.outcome().is_none());
    assert_eq!(
        s.step(Ok(op_done())),
        PollRequest::OperationStatus { id: 3 }
    );
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Succeeded {
            summary: "Database NewNorthwind was restored.".into()
        })
    );
    // A later step faults after the document said Completed (§5.5 step 4).
    let mut s = Sim::new(new_northwind_restore(), Some(3), Generation::V30);
    s.step(Ok(op_running()));
    s.step(Ok(restore_doc(completed.clone())));
    s.step(Ok(op(
        json!({"Completed": true, "Faulted": true, "State": {"Error": "id clash"}}),
    )));
    assert!(matches!(s.outcome(), Some(Outcome::Failed { reason, .. })
        if reason.contains("later step") && reason.contains("id clash")));
    // The operation keeps running: success after settle_ms, bounded.
    let mut s = Sim::new(new_northwind_restore(), Some(3), Generation::V35);
    let out = s.run(
        500,
        |_| Ok(op_running()),
        |_| Ok(restore_doc(completed.clone())),
    );
    assert!(out.is_success());
}

#[test]
fn restore_operation_done_but_document_still_running_is_bounded() {
    let mut s = Sim::new(new_northwind_restore(), Some(3), Generation::V35);
    let running = json!({"State": "Running", "Messages": ["Copying x"]});
    let out = s.run(500, |_| Ok(op_done()), |_| Ok(restore_doc(running.clone())));
    assert!(matches!(out, Outcome::Lost { .. }), "{out:?}");
    assert!(s.now - T0 < 20_000.0);
    // ...but the document finishing within the window gives success.
    let mut s = Sim::new(new_northwind_restore(), Some(3), Generation::V35);
    s.step(Ok(op_done()));
    s.step(Ok(restore_doc(running)));
    s.step(Ok(restore_doc(
        json!({"State": "Completed", "Messages": ["Copying x", "The new database was created"]}),
    )));
    assert!(s.outcome().unwrap().is_success());
}

#[test]
fn early_30_restore_without_state_reads_the_last_message() {
    let mut s = Sim::new(new_northwind_restore(), Some(2), Generation::V30);
    s.step(Ok(op_running()));
    s.step(Ok(PollResponse::Missing));
    s.step(Ok(op_running()));
    s.step(Ok(restore_doc(
        json!({"Messages": ["Copying C:\\x\\Indexes\\1\\segments.gen"]}),
    )));
    assert!(s.outcome().is_none());
    s.step(Ok(op_running()));
    s.step(Ok(restore_doc(json!({"Messages": ["Copying C:\\x\\Indexes\\1\\segments.gen", "The new database was created"]}))));
    s.step(Ok(op_done()));
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Succeeded {
            summary: "Database NewNorthwind was restored.".into()
        })
    );

    let mut s = Sim::new(new_northwind_restore(), Some(2), Generation::V30);
    s.step(Ok(op_running()));
    s.step(Ok(restore_doc(json!({"Messages": [
        "Error: C:\\b doesn't look like a valid backup", "Error: Restore Canceled"]}))));
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Failed {
            reason: "Error: C:\\b doesn't look like a valid backup".into(),
            details: None
        })
    );
    assert!(s
        .t
        .log()
        .lines()
        .iter()
        .all(|l| l.severity == LogSeverity::Error));

    let mut s = Sim::new(new_northwind_restore(), None, Generation::V30);
    s.step(Ok(restore_doc(
        json!({"Messages": ["Unable to restore database Access denied"]}),
    )));
    assert!(
        matches!(s.outcome(), Some(Outcome::Failed { reason, .. }) if reason == "Unable to restore database Access denied")
    );
}

#[test]
fn restore_state_running_with_a_final_message_ends_once_the_operation_ends() {
    let mut s = Sim::new(new_northwind_restore(), Some(2), Generation::V35);
    s.step(Ok(op_running()));
    s.step(Ok(restore_doc(json!({"State": "Running", "Messages": ["Error: Database location directory is not empty. Point to non-existing or empty directory.", "Error: Restore Canceled"]}))));
    assert!(s.outcome().is_none());
    s.step(Ok(op_done()));
    assert!(
        matches!(s.outcome(), Some(Outcome::Failed { reason, .. }) if reason.contains("not empty"))
    );
}

#[test]
fn the_wrapped_restore_status_quirk_fails_with_its_message() {
    let text = "Database.Document file is invalid - database name was not found and not supplied in the request (Id property is missing or null). This is probably a bug - should never happen.";
    let mut s = Sim::new(new_northwind_restore(), None, Generation::V35);
    s.step(Ok(restore_doc(
        json!({"restoreStatus": {"State": "Running", "Messages": [text]}}),
    )));
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Failed {
            reason: text.into(),
            details: None
        })
    );
    assert_eq!(texts(&s.t), [text]);
}

/// Issue 11 item 12: restore messages carry no time; each line gets
/// the time it was read, in the format of the backup lines.
#[test]
fn restore_lines_get_the_time_they_were_read_as_backup_lines_have_theirs() {
    let mut s = Sim::new(
        Watched::DatabaseRestore {
            database: "Copy".into(),
        },
        Some(3),
        Generation::V35,
    );
    s.step(Ok(op_running()));
    s.step(Ok(restore_doc(
        json!({"State": "Running", "Messages": ["Copying a"]}),
    )));
    let first_read = s.now - f64::from(*s.delays.last().unwrap());
    s.step(Ok(op_running()));
    s.step(Ok(restore_doc(
        json!({"State": "Running", "Messages": ["Copying a", "Copying b"]}),
    )));
    let log = s.t.log().lines();
    assert_eq!(log.len(), 2);
    let at: Vec<f64> = log
        .iter()
        .map(|l| parse_iso_ms(l.at.as_deref().expect("a time")).unwrap())
        .collect();
    assert_eq!(at[0], first_read, "{:?}", log[0].at);
    assert!(at[1] > at[0]);
    // The backup lines' format: 7 fractional digits, UTC.
    let text = log[0].at.as_deref().unwrap();
    assert_eq!(text.len(), "2016-05-10T12:00:01.0000000Z".len(), "{text}");
    assert!(text.ends_with('Z'), "{text}");
}
