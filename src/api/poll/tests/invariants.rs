//! What always holds: one outcome, no trust in a wrong kind of answer.

use super::sim::*;
use crate::api::poll::*;
use crate::api::version::Generation;
use serde_json::json;

#[test]
fn there_is_never_more_than_one_outcome() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    let req = s.step(Ok(backup_doc(false, None, &[msg("ok")])));
    let first = s.outcome().cloned().unwrap();
    assert!(first.is_success());
    assert_eq!(s.t.next_request(), None);
    assert_eq!(s.t.next_delay_ms(), 0);
    let requests = s.t.snapshot().requests;
    s.t.observe(
        s.now,
        &req,
        Ok(backup_doc(false, None, &[err_msg("late", "")])),
    );
    s.t.observe(s.now, &req, Err(server_500()));
    s.t.observe(s.now + 1e9, &req, Ok(PollResponse::Missing));
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
    assert!(matches!(s.t.snapshot().phase, Phase::Reconnecting { .. }));
}
