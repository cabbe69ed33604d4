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
fn a_sign_in_refusal_ends_nothing_and_the_watch_goes_on_after_sign_in() {
    use crate::auth::refusal::AuthRefusal;
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.step(Ok(backup_doc(true, None, &[msg("a")])));
    let scope = ApiError::AuthRefused {
        status: 403,
        refusal: AuthRefusal::InsufficientScope {
            database: "Northwind".into(),
            write: false,
        },
    };
    // Far longer than `lost_after_ms`: still not lost, nor failed.
    for _ in 0..100 {
        s.step(Err(scope.clone()));
    }
    assert!(s.now - T0 > f64::from(PollConfig::default().lost_after_ms));
    assert_eq!(s.outcome(), None);
    assert!(matches!(&s.t.snapshot().phase,
        Phase::Reconnecting { last_error, .. } if *last_error == scope));
    assert_eq!(
        *s.delays.last().unwrap(),
        PollConfig::default().max_delay_ms
    );
    assert_eq!(texts(&s.t), ["a"], "the last known state is kept");
    // Signed in again: the watch carries on to the server's verdict.
    s.step(Ok(backup_doc(false, Some(true), &[msg("a"), msg("done")])));
    assert!(
        matches!(s.outcome(), Some(Outcome::Succeeded { .. })),
        "{:?}",
        s.outcome()
    );
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

/// Follows `target` for `steps` requests, answering each with `answer`
/// (the step number and the request), pausing and resuming before every
/// `resume_every`-th request; returns the send times.
fn send_times(
    target: WatchTarget,
    latency_ms: f64,
    steps: usize,
    resume_every: Option<usize>,
    mut answer: impl FnMut(usize, &PollRequest) -> Result<PollResponse, ApiError>,
) -> Vec<f64> {
    let mut s = Sim::with(target, PollConfig::default());
    s.latency_ms = latency_ms;
    for i in 0..steps {
        if resume_every.is_some_and(|n| i % n == n - 1) {
            // A short pause (the tab hidden for a moment), then at once.
            s.now += 10.0;
            s.t.resume(s.now);
        }
        let Some(req) = s.t.next_request() else {
            break;
        };
        let reply = answer(i, &req);
        s.step(reply);
    }
    s.sent_at
}

/// Answers in which something changes every time: a new progress line,
/// one more message.
fn always_news(i: usize, req: &PollRequest) -> Result<PollResponse, ApiError> {
    let line = format!("step {i}");
    Ok(match req {
        PollRequest::OperationStatus { .. } => op(
            serde_json::json!({"Completed": false, "Faulted": false, "State": {"Progress": line}}),
        ),
        PollRequest::Operation4 { .. } => PollResponse::Operation4(
            serde_json::from_value(
                serde_json::json!({"Status": "InProgress", "Progress": {"Message": line}}),
            )
            .unwrap(),
        ),
        PollRequest::RestoreStatusDoc | PollRequest::FsRestoreStatusDoc { .. } => {
            let messages: Vec<String> = (0..=i).map(|n| format!("line {n}")).collect();
            restore_doc(serde_json::json!({"State": "Running", "Messages": messages}))
        }
        _ => {
            let messages: Vec<_> = (0..=i).map(|n| msg(&format!("line {n}"))).collect();
            backup_doc(true, Some(false), &messages)
        }
    })
}

#[test]
fn never_more_than_two_requests_in_any_second() {
    let v41 = Generation::V4Plus { major: 4, minor: 1 };
    let targets = [
        WatchTarget::new(northwind_backup(), None, Generation::V30),
        WatchTarget::new(northwind_backup(), Some(7), Generation::V35),
        WatchTarget::new(new_northwind_restore(), Some(3), Generation::V35),
        WatchTarget::new(northwind_backup(), Some(1), v41),
    ];
    for target in targets {
        for latency in [0.0, 1.0, 40.0, 400.0, 1500.0] {
            for resume_every in [None, Some(1), Some(3)] {
                let sent = send_times(target.clone(), latency, 60, resume_every, always_news);
                assert_eq!(sent.len(), 60);
                assert!(
                    most_in_window(&sent, 1000.0) <= 2,
                    "{:?} latency {latency} resume {resume_every:?}: {sent:?}",
                    target.generation
                );
            }
        }
    }
    // Errors and recovery, mixed answers: the same bound.
    let mut seed = 7_u32;
    let mut mixed = |i: usize, req: &PollRequest| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        match (seed >> 16) % 4 {
            0 => Err(server_500()),
            1 => Err(ApiError::Timeout {
                url: "u".into(),
                after_ms: 5000,
            }),
            _ => always_news(i, req),
        }
    };
    let target = WatchTarget::new(northwind_backup(), Some(7), Generation::V35);
    let sent = send_times(target, 0.0, 200, Some(5), &mut mixed);
    assert_eq!(sent.len(), 200);
    assert!(most_in_window(&sent, 1000.0) <= 2, "{sent:?}");
}

#[test]
fn the_bound_does_not_slow_a_quiet_start_or_a_slow_server() {
    // After the first answer, the second request still goes after the
    // first delay (250 ms + 40 ms latency).
    let target = WatchTarget::new(northwind_backup(), Some(7), Generation::V35);
    let sent = send_times(target.clone(), 40.0, 3, None, always_news);
    assert_eq!(sent[1] - sent[0], 290.0);
    // The third waits for the second to be a second after the first.
    assert_eq!(sent[2] - sent[0], 1000.0);
    // A server slower than the bound is not slowed further.
    let sent = send_times(target, 1500.0, 4, None, always_news);
    assert!(sent.windows(2).all(|w| w[1] - w[0] == 1750.0), "{sent:?}");
}

#[test]
fn a_clock_set_back_never_means_a_long_wait() {
    let mut s = Sim::new(northwind_backup(), Some(7), Generation::V35);
    s.step(Ok(op_running()));
    s.step(Ok(backup_doc(true, Some(false), &[msg("a")])));
    assert!(s.t.wait_ms(s.now - 1.0) > 0);
    // The wall clock jumps back an hour: no hour-long wait.
    s.now -= 3_600_000.0;
    assert_eq!(s.t.wait_ms(s.now), 0);
    assert!(s.t.send_request(s.now).is_some());
}
