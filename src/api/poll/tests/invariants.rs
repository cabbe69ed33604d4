//! What always holds: one outcome, one request in flight, an answer read
//! only as the answer to that request, no trust in a wrong kind of answer.

use super::sim::*;
use crate::api::poll::*;
use crate::api::version::Generation;
use serde_json::json;

#[test]
fn there_is_never_more_than_one_outcome() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.step(Ok(backup_doc(false, None, &[msg("ok")])));
    let first = s.outcome().cloned().unwrap();
    assert!(first.is_success());
    assert_eq!(s.t.next_request(), None);
    assert_eq!(s.t.send_request(s.now), None);
    assert_eq!(s.t.in_flight(), None);
    assert_eq!(s.t.next_delay_ms(), 0);
    let requests = s.t.snapshot().requests;
    s.t.observe(s.now, Ok(backup_doc(false, None, &[err_msg("late", "")])));
    s.t.observe(s.now, Err(server_500()));
    s.t.observe(s.now + 1e9, Ok(PollResponse::Missing));
    assert_eq!(s.outcome(), Some(&first));
    assert_eq!(s.t.snapshot().requests, requests);
    assert_eq!(texts(&s.t), ["ok"]);
}

#[test]
fn a_wrong_kind_of_answer_is_retried_not_trusted() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.step(Ok(restore_doc(
        json!({"State": "Completed", "Messages": []}),
    )));
    assert!(s.outcome().is_none());
    match &s.t.snapshot().phase {
        Phase::Reconnecting { last_error, .. } => assert_eq!(
            last_error.to_string(),
            "The server's answer could not be read: a restore status document came back for the backup status document"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn there_is_never_more_than_one_request_in_flight() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    let first = s.t.send_request(s.now).unwrap();
    assert_eq!(first, PollRequest::OperationStatus { id: 7 });
    assert_eq!(s.t.in_flight(), Some(&first));
    // Asking again before the answer sends nothing.
    assert_eq!(s.t.send_request(s.now + 5_000.0), None);
    assert_eq!(s.t.next_request(), None);
    s.t.observe(s.now + 40.0, Ok(op_running()));
    assert_eq!(s.t.in_flight(), None);
    assert_eq!(s.t.snapshot().requests, 1);
    // The answer went to the operation request: the document is next.
    assert!(matches!(
        s.t.send_request(s.now + 10_000.0),
        Some(PollRequest::BackupStatusDoc { .. })
    ));
}

#[test]
fn an_answer_without_a_request_in_flight_is_ignored() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.t.observe(s.now, Ok(backup_doc(false, None, &[msg("not asked")])));
    assert_eq!(s.t.snapshot().requests, 0);
    assert_eq!(s.t.snapshot().phase, Phase::Starting);
    assert!(texts(&s.t).is_empty());
    // An aborted request is forgotten: the next one can go.
    assert!(s.t.send_request(s.now).is_some());
    s.t.observe(s.now, Err(crate::api::error::ApiError::Aborted));
    assert_eq!(s.t.in_flight(), None);
    assert_eq!(s.t.snapshot().requests, 0);
    assert!(s.t.next_request().is_some());
}
