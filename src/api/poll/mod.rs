//! Following a started backup or restore to its end: a pure state machine,
//! with no timers and no I/O (protocol: `docs/protocol/ravendb-3x.md`,
//! cited as §n).
//!
//! The driver (browser code) loops:
//!
//! ```text
//! let mut t = Tracker::new(target, PollConfig::default(), now());
//! loop {
//!     let wait = t.wait_ms(now());               // the rate bound, mostly 0
//!     if wait > 0 { sleep(wait).await; continue; }
//!     let Some(req) = t.send_request(now()) else { break }; // finished
//!     let result = perform(&req).await;          // one HTTP request
//!     let changes = t.observe(now(), result);    // the answer to it
//!     publish(&t, changes);                      // only what changed
//!     sleep(t.next_delay_ms()).await;
//! }
//! ```
//!
//! The tracker remembers the request in flight, so there is never more
//! than one, and an answer is always read as the answer to that request.
//! Polling stays light: the delay grows while nothing changes, and never
//! more than two requests go out in any second
//! ([`PollConfig::rate_window_ms`]), however fast the answers change.
//! Each answer reports what it changed ([`Changes`]: the head of the
//! [`Snapshot`], lines of the [`Log`]), so a driver publishes only that.
//! Pausing and "stop watching" live in the driver: to pause, stop looping;
//! to resume, call [`Tracker::resume`] first so the pause does not count as
//! server silence; to stop watching, drop the tracker (the server-side work
//! goes on).
//!
//! `now_ms` is wall-clock milliseconds since the Unix epoch (`Date.now()`):
//! it measures intervals and is also compared with the server's `Started`
//! timestamps (with a clock-skew allowance, [`PollConfig::clock_skew_ms`]).
//!
//! Each protocol generation has its own core, sharing the log ([`log`]) and
//! the reading of final words ([`verdict`]):
//! * [`v3`]: RavenDB 3.0 and 3.5, the operation state and the status
//!   documents, read in turn;
//! * [`v4`]: RavenDB 4.x and later, the operation state alone.
//!
//! Errors: [`ApiError::is_transient`] errors (and unreadable bodies) keep the
//! last good snapshot and switch to [`Phase::Reconnecting`]; more than
//! `lost_after_ms` of that → [`Outcome::Lost`]. A 404 is an answer
//! ("missing"), not an error. Any other error (401/403 refusals, CORS, a 400)
//! ends the watch at once as [`Outcome::Lost`] with the error's words: the
//! tracker cannot know the result, so it never calls that a failure of the
//! backup or restore itself. A sign-in refusal ([`ApiError::AuthRefused`],
//! what a token renewal could not fix) ends nothing: the watch shows it and
//! asks again at the longest delay until a sign-in fixes it.
//! [`ApiError::Aborted`] is ignored.

mod config;
mod exchange;
mod log;
mod picture;
mod target;
mod v3;
mod v4;
mod verdict;

#[cfg(test)]
mod tests;

pub use config::PollConfig;
pub use exchange::{PollRequest, PollResponse};
pub use log::{Log, LogDelta, LogLine, LogSeverity};
pub use picture::{Changes, Outcome, Phase, Snapshot};
pub use target::{WatchTarget, Watched};

use crate::api::error::ApiError;
use crate::api::version::Generation;
use crate::api::wire::time::format_iso_ms;

// ---------------------------------------------------------------------------
// The tracker
// ---------------------------------------------------------------------------

/// What both generations' cores read and write: the target, the limits and
/// the picture shown to people.
#[derive(Debug, Clone)]
struct Common {
    target: WatchTarget,
    config: PollConfig,
    snap: Snapshot,
    log: Log,
    /// What changed since the last report.
    changes: Changes,
    /// Last time anything changed (for `running_limit_ms`).
    last_change_ms: f64,
    /// When the answer being read arrived.
    read_at_ms: f64,
    /// How long the work took by the server's own clock, when its answer
    /// says (a 3.x backup status document's `Started` and `Completed`).
    server_elapsed_ms: Option<f64>,
}

impl Common {
    fn is_finished(&self) -> bool {
        matches!(self.snap.phase, Phase::Finished(_))
    }

    /// Sets the outcome; the first one stays.
    fn finish(&mut self, outcome: Outcome) {
        if !self.is_finished() {
            self.set_phase(Phase::Finished(outcome));
        }
    }

    fn set_phase(&mut self, phase: Phase) {
        if self.snap.phase != phase {
            self.snap.phase = phase;
            self.changes.head = true;
        }
    }

    fn push_line(&mut self, mut line: LogLine) {
        // A line the server gave no time (restore messages, 4.x results)
        // gets the time it was read, in the server's format (UTC).
        if line.at.is_none() {
            line.at = format_iso_ms(self.read_at_ms);
        }
        let max = self.config.max_log_lines;
        self.log.push(line, max, &mut self.changes.log);
    }

    /// Sets the progress line if `text` is a new, non-empty one.
    fn set_progress(&mut self, text: Option<&str>) -> bool {
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        if text.is_some() && self.snap.progress.as_deref() != text {
            self.snap.progress = text.map(str::to_string);
            self.changes.head = true;
            true
        } else {
            false
        }
    }

    /// `running_limit_ms`, once nothing has changed for longer than that
    /// (the work may be stuck).
    fn exceeded_running_limit(&self, now_ms: f64) -> Option<u32> {
        let limit = self.config.running_limit_ms?;
        (now_ms - self.last_change_ms > f64::from(limit)).then_some(limit)
    }
}

/// One core per protocol generation.
#[derive(Debug, Clone)]
enum Core {
    V3(Box<v3::Core3>),
    V4(v4::Core4),
}

/// The operation-following state machine. See the module documentation.
#[derive(Debug, Clone)]
pub struct Tracker {
    common: Common,
    core: Core,
    delay_ms: u32,
    /// Last observation time (for `resume`).
    last_seen_ms: f64,
    /// The request sent and not answered yet.
    in_flight: Option<PollRequest>,
    /// When the last two requests were sent (the older first).
    sends: [Option<f64>; 2],
    /// Whether a state of the operation was read (4.x+): before that, a
    /// 404/500/503 says the server asked does not own it.
    seen_state: bool,
}

impl Tracker {
    /// Starts following `target` at `now_ms` (epoch milliseconds). The
    /// picture's start ([`Snapshot::started_ms`]) is the work's own start
    /// when the target knows it ([`WatchTarget::started_after_ms`], say
    /// when re-attaching after a reload), else `now_ms`: durations count
    /// from the start of the work, not of the watch.
    pub fn new(target: WatchTarget, config: PollConfig, now_ms: f64) -> Self {
        let started_ms = target
            .started_after_ms
            .filter(|t| t.is_finite() && *t > 0.0 && *t <= now_ms)
            .unwrap_or(now_ms);
        let core = match target.generation {
            Generation::V4Plus { .. } => Core::V4(v4::Core4::new(&target)),
            Generation::V30 | Generation::V35 => {
                Core::V3(Box::new(v3::Core3::new(&target, now_ms)))
            }
        };
        let mut tracker = Tracker {
            delay_ms: config.first_delay_ms,
            last_seen_ms: now_ms,
            in_flight: None,
            sends: [None, None],
            seen_state: false,
            common: Common {
                snap: Snapshot {
                    phase: Phase::Starting,
                    progress: None,
                    counts: None,
                    started_ms,
                    elapsed_ms: now_ms - started_ms,
                    requests: 0,
                    transient_errors: 0,
                },
                log: Log::default(),
                changes: Changes::default(),
                last_change_ms: now_ms,
                read_at_ms: now_ms,
                server_elapsed_ms: None,
                target,
                config,
            },
            core,
        };
        if let Core::V4(core) = &tracker.core {
            core.check_target(&mut tracker.common);
        }
        // The first picture is read whole; changes count from here.
        tracker.common.changes = Changes::default();
        tracker
    }

    /// The request [`Tracker::send_request`] sends next, without sending
    /// it; `None` once finished and while a request is in flight.
    pub fn next_request(&self) -> Option<PollRequest> {
        if self.outcome().is_some() || self.in_flight.is_some() {
            return None;
        }
        match &self.core {
            Core::V3(core) => Some(core.next_request(&self.common)),
            Core::V4(core) => core.next_request(),
        }
    }

    /// The request to perform now, remembered as in flight until
    /// [`Tracker::observe`] gets its answer. `None` once finished, while a
    /// request is in flight (there is never more than one) and while
    /// [`Tracker::wait_ms`] is not 0 (never more than two requests in any
    /// [`PollConfig::rate_window_ms`]).
    pub fn send_request(&mut self, now_ms: f64) -> Option<PollRequest> {
        if self.wait_ms(now_ms) > 0 {
            return None;
        }
        let req = self.next_request()?;
        self.in_flight = Some(req.clone());
        self.sends = [self.sends[1], Some(now_ms)];
        Some(req)
    }

    /// How long from `now_ms` until [`Tracker::send_request`] may send:
    /// 0 unless the request before the last one was sent less than
    /// [`PollConfig::rate_window_ms`] ago. [`Tracker::next_delay_ms`]
    /// already counts it in; a driver that sends at once (after
    /// [`Tracker::resume`]) waits this long first.
    pub fn wait_ms(&self, now_ms: f64) -> u32 {
        match self.sends[0] {
            // (A clock set back, with the older send "in the future", is
            // not a reason to wait.)
            Some(older) if older <= now_ms => {
                let allowed_at = older + f64::from(self.common.config.rate_window_ms);
                (allowed_at - now_ms).ceil().max(0.0) as u32
            }
            _ => 0,
        }
    }

    /// The request in flight, if any.
    #[cfg(test)]
    fn in_flight(&self) -> Option<&PollRequest> {
        self.in_flight.as_ref()
    }

    /// How long to wait before the next request (0 once finished).
    pub fn next_delay_ms(&self) -> u32 {
        if self.outcome().is_some() {
            0
        } else {
            self.delay_ms
        }
    }

    /// The current picture, but the log.
    pub fn snapshot(&self) -> &Snapshot {
        &self.common.snap
    }

    /// The log.
    pub fn log(&self) -> &Log {
        &self.common.log
    }

    /// The final outcome, once there is one. There is only ever one.
    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.common.snap.phase {
            Phase::Finished(outcome) => Some(outcome),
            _ => None,
        }
    }

    /// Call before polling again after the driver paused (tab hidden, user
    /// pause): the paused time is not counted as server silence, and the
    /// delay restarts at `first_delay_ms`.
    pub fn resume(&mut self, now_ms: f64) {
        let shift = (now_ms - self.last_seen_ms).max(0.0);
        self.last_seen_ms = now_ms;
        self.common.last_change_ms += shift;
        if let Core::V3(core) = &mut self.core {
            core.shift_times(shift);
        }
        if let Phase::Reconnecting { since_ms, .. } = &mut self.common.snap.phase {
            *since_ms += shift;
            self.common.changes.head = true;
        }
        self.delay_ms = self.common.config.first_delay_ms;
    }

    /// Feeds the answer to the request in flight, received at `now_ms`,
    /// and reports what changed since the last report (nothing when no
    /// request is in flight or once finished; an aborted request is
    /// forgotten without counting).
    pub fn observe(&mut self, now_ms: f64, result: Result<PollResponse, ApiError>) -> Changes {
        if let Some(req) = self.in_flight.take() {
            self.read_answer(now_ms, &req, result);
            // The delay also keeps to the rate bound (and grows from there).
            self.delay_ms = self.delay_ms.max(self.wait_ms(now_ms));
        }
        std::mem::take(&mut self.common.changes)
    }

    fn read_answer(
        &mut self,
        now_ms: f64,
        req: &PollRequest,
        result: Result<PollResponse, ApiError>,
    ) {
        if self.outcome().is_some() {
            return;
        }
        if matches!(result, Err(ApiError::Aborted)) {
            return;
        }
        let snap = &mut self.common.snap;
        snap.requests = snap.requests.saturating_add(1);
        snap.elapsed_ms = now_ms - snap.started_ms;
        self.last_seen_ms = now_ms;
        self.common.read_at_ms = now_ms;
        if let Core::V3(core) = &mut self.core {
            core.answered(req);
        }

        if let Core::V4(_) = self.core {
            let target = &self.common.target;
            let foreign = verdict::not_this_operation(
                &target.what,
                target.operation_id,
                self.seen_state,
                &result,
            );
            if let Some(reason) = foreign {
                return self.common.finish(Outcome::NotVisible { reason });
            }
            self.seen_state |= matches!(result, Ok(PollResponse::Operation4(_)));
        }
        let response = match result {
            Ok(r) => r,
            Err(ApiError::NotFound { .. }) => PollResponse::Missing,
            Err(err) => return self.on_error(now_ms, err),
        };
        let changed = match &mut self.core {
            Core::V3(core) => core.observe(&mut self.common, now_ms, req, response),
            Core::V4(core) => core.observe(&mut self.common, req, response),
        };
        let changed = match changed {
            Ok(changed) => changed,
            Err(err) => return self.on_error(now_ms, err),
        };
        if !self.common.is_finished() {
            self.common.set_phase(Phase::Running);
        }
        if changed {
            self.common.last_change_ms = now_ms;
            self.delay_ms = self.common.config.first_delay_ms;
        } else {
            self.grow_delay();
        }
        match &mut self.core {
            Core::V3(core) => core.decide(&mut self.common, now_ms),
            Core::V4(core) => core.decide(&mut self.common, now_ms),
        }
        if self.common.is_finished() {
            self.settle_duration(now_ms);
        }
    }

    /// The duration of finished work: by the server's clock when it said,
    /// else to when this browser first saw it end (followed again later),
    /// else to now.
    fn settle_duration(&mut self, now_ms: f64) {
        let common = &mut self.common;
        let started = common.snap.started_ms;
        let seen_end = common
            .target
            .ended_seen_ms
            .filter(|end| *end >= started && *end <= now_ms)
            .map(|end| end - started);
        if let Some(elapsed) = common.server_elapsed_ms.or(seen_end) {
            common.snap.elapsed_ms = elapsed.max(0.0);
        }
    }

    fn grow_delay(&mut self) {
        let config = &self.common.config;
        let grown = (f64::from(self.delay_ms) * config.backoff_factor).ceil();
        let max = f64::from(config.max_delay_ms.max(config.first_delay_ms));
        self.delay_ms = grown.min(max).max(f64::from(config.first_delay_ms)) as u32;
    }

    /// A failed request: retried while it may be passing (bounded by
    /// `lost_after_ms`), else the end of the watch.
    fn on_error(&mut self, now_ms: f64, err: ApiError) {
        let retryable = err.is_transient() || matches!(err, ApiError::MalformedBody { .. });
        let common = &mut self.common;
        let noun = common.target.what.noun();
        if err.is_auth_refusal() {
            // A sign-in refusal says nothing of the work: keep the last
            // state, show the refusal and ask again slowly until a sign-in
            // fixes it (docs/protocol/ravendb-3x.md §11.3).
            common.set_phase(Phase::Reconnecting {
                since_ms: now_ms,
                last_error: err,
            });
            self.delay_ms = common.config.max_delay_ms.max(common.config.first_delay_ms);
            return;
        }
        if !retryable {
            return common.finish(Outcome::Lost {
                reason: format!(
                    "Stopped following the {noun}: {} It may still be running on the server.",
                    err.user_message()
                ),
            });
        }
        common.snap.transient_errors = common.snap.transient_errors.saturating_add(1);
        let since_ms = match &common.snap.phase {
            Phase::Reconnecting { since_ms, .. } => *since_ms,
            _ => now_ms,
        };
        if now_ms - since_ms > f64::from(common.config.lost_after_ms) {
            let secs = ((now_ms - since_ms) / 1000.0).round() as u64;
            return common.finish(Outcome::Lost {
                reason: format!(
                    "The server has not answered properly for {secs} s ({}). The {noun} may still be running on the server.",
                    err.user_message()
                ),
            });
        }
        common.set_phase(Phase::Reconnecting {
            since_ms,
            last_error: err,
        });
        self.grow_delay();
    }
}
