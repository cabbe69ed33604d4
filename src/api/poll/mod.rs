//! Following a started backup or restore to its end: a pure state machine,
//! with no timers and no I/O (protocol: `shared/protocol/ravendb-3x-backup-
//! restore.md`, cited as §n).
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
//!     t.observe(now(), result);                  // the answer to it
//!     sleep(t.next_delay_ms()).await;
//! }
//! ```
//!
//! The tracker remembers the request in flight, so there is never more
//! than one, and an answer is always read as the answer to that request.
//! Polling stays light: the delay grows while nothing changes, and never
//! more than two requests go out in any second
//! ([`PollConfig::rate_window_ms`]), however fast the answers change.
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
//! backup or restore itself. [`ApiError::Aborted`] is ignored.

mod log;
mod v3;
mod v4;
mod verdict;

#[cfg(test)]
mod tests;

pub use log::{Log, LogDelta, LogLine, LogSeverity};

use crate::api::error::ApiError;
use crate::api::version::Generation;
use crate::api::wire3x::{BackupStatus, OperationState, RestoreStatus};

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/// What is being followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watched {
    /// A database backup; `None` = the `<system>` database.
    DatabaseBackup {
        /// Database name, `None` for `<system>`.
        database: Option<String>,
    },
    /// A file-system backup.
    FileSystemBackup {
        /// File-system name.
        fs: String,
    },
    /// A database restore (into a new database).
    DatabaseRestore {
        /// Name of the new database.
        database: String,
    },
    /// A file-system restore.
    FileSystemRestore {
        /// Name of the new file system.
        fs: String,
    },
}

impl Watched {
    pub fn is_backup(&self) -> bool {
        matches!(
            self,
            Watched::DatabaseBackup { .. } | Watched::FileSystemBackup { .. }
        )
    }

    /// `backup` / `restore`.
    pub fn noun(&self) -> &'static str {
        if self.is_backup() {
            "backup"
        } else {
            "restore"
        }
    }

    /// `database Northwind`, `the system database`, `file system Files`.
    pub fn subject(&self) -> String {
        match self {
            Watched::DatabaseBackup { database: None } => "the system database".into(),
            Watched::DatabaseBackup { database: Some(db) } => format!("database {db}"),
            Watched::DatabaseRestore { database } => format!("database {database}"),
            Watched::FileSystemBackup { fs } | Watched::FileSystemRestore { fs } => {
                format!("file system {fs}")
            }
        }
    }
}

/// A started backup or restore to follow.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchTarget {
    /// What was started.
    pub what: Watched,
    /// The `OperationId` of the start answer (3.5 backups, all restores);
    /// `None` for a 3.0 backup (201, empty body).
    pub operation_id: Option<i64>,
    /// The server's protocol generation.
    pub generation: Generation,
    /// `Started` of the backup status document as read **before** the
    /// backup was started, if the screen read it: a document with exactly
    /// this `Started` belongs to the previous run and is ignored. Optional;
    /// older documents are also recognised by time (see
    /// [`PollConfig::clock_skew_ms`]).
    pub previous_run_started: Option<String>,
    /// When the followed work was started (epoch ms), if not at the watch
    /// start: a backup status document whose `Started` is older than this
    /// (less [`PollConfig::clock_skew_ms`]) belongs to a previous run.
    /// `None` = the `now_ms` given to [`Tracker::new`]. Set it when
    /// re-attaching to running work (after a page reload, say) with the
    /// start time stored alongside the operation id.
    pub started_after_ms: Option<f64>,
}

impl WatchTarget {
    /// A target without a known previous run.
    pub fn new(what: Watched, operation_id: Option<i64>, generation: Generation) -> Self {
        WatchTarget {
            what,
            operation_id,
            generation,
            previous_run_started: None,
            started_after_ms: None,
        }
    }
}

/// The one request the driver should perform next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollRequest {
    /// `GET /operation/status?id={id}` at the server **root** (restores and
    /// 3.5 backups register in the system database, §7.1). Answer:
    /// [`PollResponse::Operation`], or `Missing` / `ApiError::NotFound` on 404.
    OperationStatus {
        /// Operation id.
        id: i64,
    },
    /// `Raven/Backup/Status` of the database (`None` = system database),
    /// via `POST /databases/{db}/queries` or `GET …/docs/…` (§4.3). Answer:
    /// [`PollResponse::Backup`] or `Missing`.
    BackupStatusDoc {
        /// Database, `None` = `<system>`.
        database: Option<String>,
    },
    /// `GET /fs/{fs}/config?name=Raven/Backup/Status` (§10). Answer:
    /// [`PollResponse::Backup`] or `Missing`.
    FsBackupStatus {
        /// File system.
        fs: String,
    },
    /// `Raven/Restore/Status` in the system database (§6.1). Answer:
    /// [`PollResponse::Restore`] (read with `RestoreStatus::from_value`,
    /// which knows the wrapped quirk) or `Missing`.
    RestoreStatusDoc,
    /// `Raven/FileSystem/Restore/Status/{fs}` in the system database (§10).
    /// Answer: [`PollResponse::Restore`] or `Missing`.
    FsRestoreStatusDoc {
        /// File system.
        fs: String,
    },
    /// RavenDB 4.x and later: `GET /databases/{db}/operations/state?id=`
    /// (database-level operations: backups) or `GET /operations/state?id=`
    /// (`database: None`, server-level: restores). Answer:
    /// [`PollResponse::Operation4`], or `Missing` on 404.
    Operation4 {
        /// The database of a database-level operation.
        database: Option<String>,
        /// Operation id.
        id: i64,
    },
}

impl PollRequest {
    /// What is asked for, in words (for messages).
    fn name(&self) -> &'static str {
        match self {
            PollRequest::OperationStatus { .. } => "the 3.x operation state",
            PollRequest::BackupStatusDoc { .. } | PollRequest::FsBackupStatus { .. } => {
                "the backup status document"
            }
            PollRequest::RestoreStatusDoc | PollRequest::FsRestoreStatusDoc { .. } => {
                "the restore status document"
            }
            PollRequest::Operation4 { .. } => "the 4.x operation state",
        }
    }
}

/// A successful answer to a [`PollRequest`].
#[derive(Debug, Clone, PartialEq)]
pub enum PollResponse {
    /// An operation state (§7.2).
    Operation(OperationState),
    /// A backup status document (§4.1).
    Backup(BackupStatus),
    /// A restore status document (§6.1).
    Restore(RestoreStatus),
    /// A 4.x operation state.
    Operation4(crate::api::wire4x::OperationState),
    /// 404, or `Results` empty / `[null]` (§4.3).
    Missing,
}

impl PollResponse {
    /// What was answered, in words (for messages).
    fn name(&self) -> &'static str {
        match self {
            PollResponse::Operation(_) => "a 3.x operation state",
            PollResponse::Backup(_) => "a backup status document",
            PollResponse::Restore(_) => "a restore status document",
            PollResponse::Operation4(_) => "a 4.x operation state",
            PollResponse::Missing => "nothing",
        }
    }

    /// The error of an answer of the wrong kind: read as an unreadable
    /// answer (retried, bounded by `lost_after_ms`), never trusted.
    fn wrong_kind(&self, req: &PollRequest) -> ApiError {
        ApiError::MalformedBody {
            detail: format!("{} came back for {}", self.name(), req.name()),
        }
    }
}

/// Timing and limits.
#[derive(Debug, Clone, PartialEq)]
pub struct PollConfig {
    /// Delay after an answer that changed something (default 250 ms).
    pub first_delay_ms: u32,
    /// Longest delay between requests (default 3000 ms).
    pub max_delay_ms: u32,
    /// Growth of the delay per answer that changed nothing (default 1.5).
    pub backoff_factor: f64,
    /// Unreachable (transient errors only) for longer than this → Lost
    /// (default 60 s). Also: the status document that is the only source
    /// (no live operation id) missing for longer than this → Lost.
    pub lost_after_ms: u32,
    /// Still running with no change at all for longer than this → Lost
    /// (default 30 min); `None` = never.
    pub running_limit_ms: Option<u32>,
    /// After the operation has ended (or vanished), how long to keep reading
    /// the status document for its final word (default 15 s).
    pub settle_ms: u32,
    /// Allowed difference between the browser's and the server's clocks when
    /// telling an old backup status document from this run's (default
    /// 2 min): a document whose `Started` is older than the watch start by
    /// more than this belongs to a previous run.
    pub clock_skew_ms: u32,
    /// Most log lines kept; older ones are dropped and counted (default 5000).
    pub max_log_lines: usize,
    /// No more than two requests are sent in any window this long, however
    /// fast the answers change (default 1000 ms: at most two a second).
    /// This wins over `max_delay_ms`.
    pub rate_window_ms: u32,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            first_delay_ms: 250,
            max_delay_ms: 3000,
            backoff_factor: 1.5,
            lost_after_ms: 60_000,
            running_limit_ms: Some(30 * 60 * 1000),
            settle_ms: 15_000,
            clock_skew_ms: 120_000,
            max_log_lines: 5000,
            rate_window_ms: 1000,
        }
    }
}

/// How the followed work ended, as far as the server told us.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It worked.
    Succeeded {
        /// One sentence for people.
        summary: String,
    },
    /// The server says it failed.
    Failed {
        /// The server's words (first line).
        reason: String,
        /// Longer text (exception / stack trace), if any.
        details: Option<String>,
    },
    /// It was canceled.
    Canceled {
        /// What the server said.
        reason: String,
    },
    /// We cannot tell how it ended (server unreachable, restarted, stuck,
    /// refused to answer).
    Lost {
        /// Why, in words.
        reason: String,
    },
}

impl Outcome {
    /// True for [`Outcome::Succeeded`].
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Succeeded { .. })
    }
}

/// Where the tracker is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// No answer yet.
    Starting,
    /// Answers are coming.
    Running,
    /// The last request(s) failed transiently; retrying. The snapshot still
    /// shows the last good state.
    Reconnecting {
        /// When the first failure of this streak happened.
        since_ms: f64,
        /// The latest failure.
        last_error: ApiError,
    },
    /// Done; nothing more will be requested.
    Finished(Outcome),
}

/// What a screen shows about the followed work, but the log ([`Log`]):
/// small, so a driver may copy it.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Where the tracker is (carries the outcome once finished).
    pub phase: Phase,
    /// The latest progress line.
    pub progress: Option<String>,
    /// When the watch started (`now_ms` of [`Tracker::new`]).
    pub started_ms: f64,
    /// Time since then, as of the last observation. Like the two counters
    /// below, refreshed by every answer without counting as a change
    /// ([`Changes::head`]).
    pub elapsed_ms: f64,
    /// Answers observed (good or bad).
    pub requests: u32,
    /// Transient failures observed.
    pub transient_errors: u32,
}

/// What an observation changed, so a driver publishes only that (quinn's
/// "poll for events" idea): the head of the [`Snapshot`], lines of the
/// [`Log`], or nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// The phase (with the outcome) or the progress line changed.
    pub head: bool,
    /// How the log changed.
    pub log: LogDelta,
}

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

    fn push_line(&mut self, line: LogLine) {
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
}

impl Tracker {
    /// Starts following `target` at `now_ms` (epoch milliseconds).
    pub fn new(target: WatchTarget, config: PollConfig, now_ms: f64) -> Self {
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
            common: Common {
                snap: Snapshot {
                    phase: Phase::Starting,
                    progress: None,
                    started_ms: now_ms,
                    elapsed_ms: 0.0,
                    requests: 0,
                    transient_errors: 0,
                },
                log: Log::default(),
                changes: Changes::default(),
                last_change_ms: now_ms,
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

    /// The request [`Tracker::send_request`] would send now, without
    /// sending it; `None` once finished and while a request is in flight.
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
    pub fn in_flight(&self) -> Option<&PollRequest> {
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

    /// The target being followed.
    pub fn target(&self) -> &WatchTarget {
        &self.common.target
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
        if let Core::V3(core) = &mut self.core {
            core.answered(req);
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
