//! The fake-clock harness (quinn-proto's `tests/util.rs` idiom): a [`Sim`]
//! drives a [`Tracker`] the way the browser driver does, and the helpers
//! build the server's answers.

use crate::api::error::ApiError;
use crate::api::poll::*;
use crate::api::version::Generation;
use crate::api::wire::v3::{BackupMessage, BackupStatus, RestoreStatus, Severity};
use serde_json::json;

/// 2016-05-10T12:00:00Z, the watch start in every test.
pub(super) const T0: f64 = 1_462_881_600_000.0;

pub(super) const STARTED: &str = "2016-05-10T12:00:00.1000000Z";

pub(super) fn msg(text: &str) -> BackupMessage {
    BackupMessage {
        message: text.into(),
        details: None,
        timestamp: Some("2016-05-10T12:00:01.0000000Z".into()),
        severity: Severity::Informational,
    }
}

pub(super) fn err_msg(text: &str, details: &str) -> BackupMessage {
    BackupMessage {
        message: text.into(),
        details: Some(details.into()),
        timestamp: Some("2016-05-10T12:00:02.0000000Z".into()),
        severity: Severity::Error,
    }
}

pub(super) fn backup_doc(
    running: bool,
    success: Option<bool>,
    msgs: &[BackupMessage],
) -> PollResponse {
    PollResponse::Backup(BackupStatus {
        started: Some(STARTED.into()),
        completed: (!running).then(|| "2016-05-10T12:00:09.0000000Z".into()),
        is_running: running,
        success,
        messages: msgs.to_vec(),
    })
}

pub(super) fn restore_doc(v: serde_json::Value) -> PollResponse {
    PollResponse::Restore(RestoreStatus::from_value(&v).unwrap())
}

pub(super) fn op(v: serde_json::Value) -> PollResponse {
    PollResponse::Operation(serde_json::from_value(v).unwrap())
}

pub(super) fn op_running() -> PollResponse {
    op(json!({"Completed": false, "Faulted": false, "State": null}))
}

pub(super) fn op_done() -> PollResponse {
    op(json!({"Completed": true, "Faulted": false, "State": null}))
}

pub(super) fn server_500() -> ApiError {
    ApiError::ServerException {
        status: 500,
        first_line: "System.Exception: boom".into(),
        details: String::new(),
    }
}

pub(super) fn texts(t: &Tracker) -> Vec<&str> {
    t.log().lines().iter().map(|l| l.text.as_str()).collect()
}

/// Drives a tracker the way the browser driver does, with a fake clock,
/// and mirrors its picture from the reported changes alone, as the driver
/// does: every step checks the mirror against the tracker, so every test
/// also proves the changes are reported exactly.
pub(super) struct Sim {
    pub(super) t: Tracker,
    pub(super) now: f64,
    pub(super) requests: Vec<PollRequest>,
    pub(super) phases: Vec<Phase>,
    pub(super) delays: Vec<u32>,
    /// When each request was sent.
    pub(super) sent_at: Vec<f64>,
    /// How long each request takes (default 40 ms).
    pub(super) latency_ms: f64,
    /// What each answer changed.
    pub(super) changes: Vec<Changes>,
    /// The picture as a driver publishing only the changes has it.
    pub(super) shown: Snapshot,
    /// The log as a driver publishing only the changes has it.
    pub(super) shown_log: Log,
}

impl Sim {
    pub(super) fn new(what: Watched, id: Option<i64>, generation: Generation) -> Sim {
        Sim::with(
            WatchTarget::new(what, id, generation),
            PollConfig::default(),
        )
    }

    pub(super) fn with(target: WatchTarget, config: PollConfig) -> Sim {
        let t = Tracker::new(target, config, T0);
        Sim {
            shown: t.snapshot().clone(),
            shown_log: t.log().clone(),
            changes: Vec::new(),
            t,
            now: T0,
            requests: Vec::new(),
            phases: Vec::new(),
            delays: Vec::new(),
            sent_at: Vec::new(),
            latency_ms: 40.0,
        }
    }

    /// One request: asks the tracker (waiting first if it says so, as the
    /// driver does), answers it, sleeps.
    pub(super) fn step(&mut self, answer: Result<PollResponse, ApiError>) -> PollRequest {
        self.now += f64::from(self.t.wait_ms(self.now));
        let req = self
            .t
            .send_request(self.now)
            .expect("tracker wants a request");
        self.sent_at.push(self.now);
        self.now += self.latency_ms;
        let changes = self.t.observe(self.now, answer);
        self.publish(changes);
        self.requests.push(req.clone());
        self.phases.push(self.t.snapshot().phase.clone());
        let delay = self.t.next_delay_ms();
        self.delays.push(delay);
        self.now += f64::from(delay);
        req
    }

    /// Answers operation and document requests with the two closures
    /// until an outcome (or `max` requests).
    pub(super) fn run(
        &mut self,
        max: usize,
        mut on_op: impl FnMut(f64) -> Result<PollResponse, ApiError>,
        mut on_doc: impl FnMut(f64) -> Result<PollResponse, ApiError>,
    ) -> Outcome {
        for _ in 0..max {
            let Some(req) = self.t.next_request() else {
                break;
            };
            let elapsed = self.now - T0;
            let answer = match req {
                PollRequest::OperationStatus { .. } => on_op(elapsed),
                _ => on_doc(elapsed),
            };
            self.step(answer);
            if self.t.outcome().is_some() {
                break;
            }
        }
        self.t
            .outcome()
            .cloned()
            .expect("an outcome within the step budget")
    }

    pub(super) fn outcome(&self) -> Option<&Outcome> {
        self.t.outcome()
    }

    /// Applies `changes` to the mirror, then checks it shows what the
    /// tracker has (the counters aside: they are read, not published).
    pub(super) fn publish(&mut self, changes: Changes) {
        self.changes.push(changes);
        if changes.head {
            self.shown = self.t.snapshot().clone();
        }
        self.shown_log.catch_up(self.t.log(), changes.log);
        let now = self.t.snapshot();
        assert_eq!(
            (&self.shown.phase, &self.shown.progress),
            (&now.phase, &now.progress),
            "a head change went unreported: {changes:?}"
        );
        assert_eq!(&self.shown_log, self.t.log(), "{changes:?}");
    }
}

pub(super) fn northwind_backup() -> Watched {
    Watched::DatabaseBackup {
        database: Some("Northwind".into()),
    }
}

pub(super) fn new_northwind_restore() -> Watched {
    Watched::DatabaseRestore {
        database: "NewNorthwind".into(),
    }
}

/// The most requests sent in any window of `window_ms` (a window starting
/// at each send).
pub(super) fn most_in_window(sent_at: &[f64], window_ms: f64) -> usize {
    sent_at
        .iter()
        .map(|start| {
            sent_at
                .iter()
                .filter(|t| **t >= *start && **t < start + window_ms)
                .count()
        })
        .max()
        .unwrap_or(0)
}
