//! Delays, reconnecting, refusals, pauses and the running limit.

use super::sim::*;
use crate::api::error::ApiError;
use crate::api::poll::*;
use crate::api::version::Generation;

#[test]
fn the_delay_grows_when_nothing_changes_resets_on_change_and_stays_under_max() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    assert_eq!(s.t.next_delay_ms(), 250);
    s.step(Ok(backup_doc(true, None, &[msg("a")])));
    assert_eq!(s.delays[0], 250, "a change keeps the first delay");
    for _ in 0..12 {
        s.step(Ok(backup_doc(true, None, &[msg("a")])));
    }
    let quiet = &s.delays[1..];
    assert!(quiet.windows(2).all(|w| w[0] <= w[1]), "{quiet:?}");
    assert!(quiet[0] > 250 && quiet[1] > quiet[0]);
    assert_eq!(*quiet.last().unwrap(), 3000);
    assert!(s.delays.iter().all(|d| *d <= 3000));
    s.step(Ok(backup_doc(true, None, &[msg("a"), msg("b")])));
    assert_eq!(*s.delays.last().unwrap(), 250);
    // Reconnecting backs off too, up to the max.
    for _ in 0..12 {
        s.step(Err(ApiError::Timeout {
            url: "u".into(),
            after_ms: 5000,
        }));
    }
    assert_eq!(*s.delays.last().unwrap(), 3000);
}

#[test]
fn five_transient_errors_then_success_reconnects_and_keeps_the_log() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.step(Ok(backup_doc(true, None, &[msg("a"), msg("b")])));
    for i in 0..5 {
        s.step(Err(server_500()));
        match &s.t.snapshot().phase {
            Phase::Reconnecting { last_error, .. } => assert_eq!(*last_error, server_500()),
            other => panic!("step {i}: {other:?}"),
        }
        assert_eq!(texts(&s.t), ["a", "b"]);
    }
    assert_eq!(s.t.snapshot().transient_errors, 5);
    s.step(Ok(backup_doc(true, None, &[msg("a"), msg("b"), msg("c")])));
    assert_eq!(s.t.snapshot().phase, Phase::Running);
    s.step(Ok(backup_doc(false, None, &[msg("a"), msg("b"), msg("c")])));
    assert!(s.outcome().unwrap().is_success());
    assert_eq!(texts(&s.t), ["a", "b", "c"]);
    assert_eq!(s.t.snapshot().requests, 8);
}

#[test]
fn unreachable_for_longer_than_lost_after_is_lost() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.step(Ok(backup_doc(true, None, &[msg("a")])));
    let started_failing = s.now;
    let out = s.run(
        500,
        |_| unreachable!(),
        |_| {
            Err(ApiError::Unreachable {
                url: "http://x".into(),
            })
        },
    );
    assert!(
        matches!(&out, Outcome::Lost { reason } if reason.contains("did not answer")),
        "{out:?}"
    );
    assert!(s.now - started_failing > 60_000.0);
    assert!(s.delays.iter().all(|d| *d <= 3000));
    assert_eq!(texts(&s.t), ["a"]);
}

#[test]
fn refusal_while_polling_ends_the_watch_with_the_errors_words() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.step(Err(ApiError::NotAdmin {
        status: 401,
        server_message: None,
    }));
    assert!(matches!(s.outcome(), Some(Outcome::Lost { reason })
        if reason.contains("administrator rights") && reason.contains("may still be running")));
}

#[test]
fn aborted_requests_are_ignored() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.step(Err(ApiError::Aborted));
    assert_eq!(s.t.snapshot().phase, Phase::Starting);
    assert_eq!(s.t.snapshot().requests, 0);
}

#[test]
fn a_document_that_stays_running_without_change_is_lost_after_the_running_limit() {
    let config = PollConfig {
        running_limit_ms: Some(120_000),
        ..PollConfig::default()
    };
    let mut s = Sim::with(
        WatchTarget::new(northwind_backup(), None, Generation::V30),
        config,
    );
    let out = s.run(
        1000,
        |_| unreachable!(),
        |_| Ok(backup_doc(true, None, &[msg("Started")])),
    );
    assert!(
        matches!(&out, Outcome::Lost { reason } if reason.contains("no progress")),
        "{out:?}"
    );
    assert!(s.now - T0 > 120_000.0 && s.now - T0 < 130_000.0);
    // The default limit is half an hour.
    assert_eq!(PollConfig::default().running_limit_ms, Some(1_800_000));
}

#[test]
fn resume_does_not_count_a_pause_as_silence() {
    let config = PollConfig {
        running_limit_ms: Some(60_000),
        ..PollConfig::default()
    };
    let mut s = Sim::with(
        WatchTarget::new(northwind_backup(), None, Generation::V30),
        config,
    );
    s.step(Ok(backup_doc(true, None, &[msg("a")])));
    s.now += 10.0 * 60_000.0; // paused for ten minutes
    s.t.resume(s.now);
    assert_eq!(s.t.next_delay_ms(), 250);
    s.step(Ok(backup_doc(true, None, &[msg("a")])));
    assert!(s.outcome().is_none());
    assert!(s.t.snapshot().elapsed_ms > 600_000.0);
}
