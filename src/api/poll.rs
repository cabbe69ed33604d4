//! Following a started backup or restore to its end: a pure state machine,
//! with no timers and no I/O (protocol: `docs/protocol/ravendb-3x.md`,
//! cited as §n).
//!
//! The driver (browser code) loops:
//!
//! ```text
//! let mut t = Tracker::new(target, PollConfig::default(), now());
//! while t.outcome().is_none() {
//!     let Some(req) = t.next_request() else { break };
//!     let result = perform(&req).await;      // one HTTP request
//!     t.observe(now(), &req, result);
//!     sleep(t.next_delay_ms()).await;
//! }
//! ```
//!
//! so there is never more than one request in flight. Pausing and "stop
//! watching" live in the driver: to pause, stop looping; to resume, call
//! [`Tracker::resume`] first so the pause does not count as server silence;
//! to stop watching, drop the tracker (the server-side work goes on).
//!
//! `now_ms` is wall-clock milliseconds since the Unix epoch (`Date.now()`):
//! it measures intervals and is also compared with the server's `Started`
//! timestamps (with a clock-skew allowance, [`PollConfig::clock_skew_ms`]).
//!
//! How each kind is followed:
//! * **3.0 database / file-system backup** (no operation id, §3.5): only the
//!   backup status document (§4, §10). Finished when `IsRunning` is false;
//!   success = `Success` when present (3.5) else "no `Severity: Error`
//!   message" (3.0, §4.1); failure reason = the last Error message (+ its
//!   `Details`).
//! * **3.5 backup** (operation id in the system database's list, §3.5,
//!   §7.1): requests **alternate** between `/operation/status` and the
//!   status document, one at a time. The document decides success (it must
//!   say `IsRunning: false` and `Success: true` for this run: never a false
//!   success); the operation state gives progress, early failure and
//!   cancellation. Once the operation has ended, only the document is read,
//!   for at most [`PollConfig::settle_ms`].
//! * **Restores** (operation id + `Raven/Restore/Status` or
//!   `Raven/FileSystem/Restore/Status/{fs}`, §5.5, §6.1, §10): same
//!   alternation. A missing document at first is normal (it is deleted at
//!   start). `State` Completed → success, Faulted → failure with the last
//!   message; without `State` (early 3.0) the last message decides; the
//!   wrapped `{"restoreStatus":…}` form → failure with its message.
//! * An operation id that answers 404 (§7.2, §7.5) is "gone": the document is
//!   consulted; if it shows no end and no progress within `settle_ms` (or is
//!   missing, after the operation had been seen running) the result is
//!   [`Outcome::Lost`].
//!
//! Errors: [`ApiError::is_transient`] errors (and unreadable bodies) keep the
//! last good snapshot and switch to [`Phase::Reconnecting`]; more than
//! `lost_after_ms` of that → [`Outcome::Lost`]. A 404 is an answer
//! ("missing"), not an error. Any other error (401/403 refusals, CORS, a 400)
//! ends the watch at once as [`Outcome::Lost`] with the error's words: the
//! tracker cannot know the result, so it never calls that a failure of the
//! backup or restore itself. [`ApiError::Aborted`] is ignored.

use crate::api::error::{split_exception_text, strip_exception_type, ApiError};
use crate::api::version::Generation;
use crate::api::wire3x::{
    format_iso_ms, parse_iso_ms, BackupMessage, BackupStatus, OperationState, RestoreState,
    RestoreStatus, Severity,
};

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

    /// The request that reads this kind's status document.
    fn doc_request(&self) -> PollRequest {
        match self {
            Watched::DatabaseBackup { database } => PollRequest::BackupStatusDoc {
                database: database.clone(),
            },
            Watched::FileSystemBackup { fs } => PollRequest::FsBackupStatus { fs: fs.clone() },
            Watched::DatabaseRestore { .. } => PollRequest::RestoreStatusDoc,
            Watched::FileSystemRestore { fs } => PollRequest::FsRestoreStatusDoc { fs: fs.clone() },
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

/// (Placed here so the enum above stays the 3.x list.)
impl PollRequest {
    /// True for the 4.x operation-state request.
    pub fn is_v4(&self) -> bool {
        matches!(self, PollRequest::Operation4 { .. })
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

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogSeverity {
    /// Progress.
    Info,
    /// A problem the server reported.
    Error,
}

/// One line of the log shown to people.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// When it happened, as an ISO UTC time: the server's timestamp where
    /// it gives one (3.x backup messages), else when this tracker first
    /// read the line (restore messages and 4.x results carry none).
    pub at: Option<String>,
    /// Info or Error.
    pub severity: LogSeverity,
    /// The text.
    pub text: String,
    /// Exception text, if any.
    pub details: Option<String>,
}

/// Everything a screen shows about the followed work.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Where the tracker is (carries the outcome once finished).
    pub phase: Phase,
    /// The server's messages, in order, each once.
    pub log: Vec<LogLine>,
    /// Oldest lines dropped to keep the log at `max_log_lines`.
    pub dropped_lines: usize,
    /// The latest progress line.
    pub progress: Option<String>,
    /// When the watch started (`now_ms` of [`Tracker::new`]).
    pub started_ms: f64,
    /// Time since then, as of the last observation.
    pub elapsed_ms: f64,
    /// Answers observed (good or bad).
    pub requests: u32,
    /// Transient failures observed.
    pub transient_errors: u32,
}

// ---------------------------------------------------------------------------
// Internal state
// ---------------------------------------------------------------------------

/// How the operation ended, per `/operation/status`.
#[derive(Debug, Clone, PartialEq)]
enum OpEnd {
    Ok,
    Faulted {
        reason: Option<String>,
        details: Option<String>,
    },
    Canceled,
}

#[derive(Debug, Clone, Default)]
struct OpTrack {
    /// Some answer said the operation is still running.
    seen_running: bool,
    /// The last state read.
    last: Option<OperationState>,
    /// How and when (now_ms, document reads so far) it ended.
    end: Option<(OpEnd, f64, u32)>,
    /// When (now_ms, document reads so far) it answered 404.
    gone: Option<(f64, u32)>,
}

/// What the status document's final word is.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    Succeeded,
    Failed {
        reason: String,
        details: Option<String>,
    },
    Canceled {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum DocState {
    /// Not read yet.
    Unknown,
    /// 404 / empty, or only a previous run's document.
    Missing,
    /// This run, not finished.
    Running,
    /// This run, finished (since now_ms).
    Final(Verdict, f64),
}

#[derive(Debug, Clone)]
struct DocTrack {
    state: DocState,
    /// Good answers to document requests.
    reads: u32,
    /// Backup messages of this run seen so far.
    backup_msgs: Vec<BackupMessage>,
    /// Restore messages of this run seen so far.
    restore_msgs: Vec<String>,
    /// `Started` of the run being followed, once seen.
    run_started: Option<String>,
    /// `Started` of a previous run's document that was ignored.
    old_run: Option<String>,
    /// Since when the document has been missing (or only old).
    missing_since: Option<f64>,
    /// Last time the document showed something new.
    last_change_ms: f64,
    /// A restore document whose `State` still says Running but whose last
    /// message reads like an end (used once the operation has ended).
    text_verdict: Option<Verdict>,
}

/// The operation-following state machine. See the module documentation.
#[derive(Debug, Clone)]
pub struct Tracker {
    target: WatchTarget,
    config: PollConfig,
    snap: Snapshot,
    delay_ms: u32,
    /// Last time anything changed (for `running_limit_ms`).
    last_change_ms: f64,
    /// Last observation time (for `resume`).
    last_seen_ms: f64,
    /// The next request (when both are needed) is the document's.
    doc_turn: bool,
    op: OpTrack,
    doc: DocTrack,
}

/// Append-only merge of a re-written message list: returns the index from
/// which `incoming` is new and whether it diverged from what was known
/// (a new list), or `None` if it is a stale, shorter copy.
fn merge_list<T: PartialEq + Clone>(known: &mut Vec<T>, incoming: &[T]) -> Option<(usize, bool)> {
    let common = known
        .iter()
        .zip(incoming)
        .take_while(|(a, b)| a == b)
        .count();
    if common == known.len() {
        known.extend_from_slice(&incoming[common..]);
        Some((common, false))
    } else if common == incoming.len() {
        None
    } else {
        *known = incoming.to_vec();
        Some((common, true))
    }
}

/// Reason and details from a possibly multi-line exception text.
fn reason_and_details(text: &str) -> (String, Option<String>) {
    let (first, rest) = split_exception_text(text);
    let reason = strip_exception_type(&first).to_string();
    (reason, Some(rest).filter(|r| !r.trim().is_empty()))
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn contains_ci(text: &str, needle: &str) -> bool {
    text.to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// A restore message that reports a failure (§5.5 message table).
fn is_restore_error_line(text: &str) -> bool {
    let t = text.trim_start();
    starts_with_ci(t, "Error:")
        || starts_with_ci(t, "Unable to restore")
        || starts_with_ci(t, "Restore Operation: Failure")
        || contains_ci(t, "Restore Canceled")
}

/// The failure words of a restore log: the last `Unable to restore …`
/// line, else the last error line, else the last line (§5.5).
fn restore_failure(messages: &[String]) -> Verdict {
    let pick = messages
        .iter()
        .rev()
        .find(|m| starts_with_ci(m.trim_start(), "Unable to restore"))
        .or_else(|| {
            messages
                .iter()
                .rev()
                .find(|m| is_restore_error_line(m) && !contains_ci(m, "Restore Canceled"))
        })
        .or_else(|| messages.iter().rev().find(|m| is_restore_error_line(m)))
        .or(messages.last());
    match pick {
        Some(text) => {
            let (reason, details) = reason_and_details(text);
            Verdict::Failed { reason, details }
        }
        None => Verdict::Failed {
            reason: "The restore failed; the server gave no reason.".into(),
            details: None,
        },
    }
}

/// The end a restore log's last message announces, if any (early 3.0
/// documents without `State`, §6.1).
fn restore_text_verdict(messages: &[String]) -> Option<Verdict> {
    let last = messages.last()?;
    if contains_ci(last, "The new database was created")
        || contains_ci(last, "The new filesystem was created")
    {
        Some(Verdict::Succeeded)
    } else if is_restore_error_line(last) {
        Some(restore_failure(messages))
    } else {
        None
    }
}

/// The final word of a finished backup status document (§4.1, §3.6).
fn backup_verdict(status: &BackupStatus) -> Verdict {
    let last_err = status.last_error();
    if status.success == Some(true) {
        return Verdict::Succeeded;
    }
    if let Some(err) = last_err {
        if contains_ci(&err.message, "backup was canceled") {
            return Verdict::Canceled {
                reason: err.message.clone(),
            };
        }
    }
    match (status.success, last_err) {
        (None, None) => Verdict::Succeeded,
        (_, Some(err)) => Verdict::Failed {
            reason: err.message.clone(),
            details: err.details.clone().filter(|d| !d.trim().is_empty()),
        },
        (Some(_), None) => Verdict::Failed {
            reason: "The backup ended without success; the server gave no reason.".into(),
            details: None,
        },
    }
}

impl Tracker {
    /// Starts following `target` at `now_ms` (epoch milliseconds).
    /// A target on a generation this dashboard does not drive (4.x) is
    /// finished at once as [`Outcome::Lost`].
    pub fn new(target: WatchTarget, config: PollConfig, now_ms: f64) -> Self {
        let first = config.first_delay_ms;
        let mut tracker = Tracker {
            snap: Snapshot {
                phase: Phase::Starting,
                log: Vec::new(),
                dropped_lines: 0,
                progress: None,
                started_ms: now_ms,
                elapsed_ms: 0.0,
                requests: 0,
                transient_errors: 0,
            },
            delay_ms: first,
            last_change_ms: now_ms,
            last_seen_ms: now_ms,
            doc_turn: target.operation_id.is_none(),
            op: OpTrack::default(),
            doc: DocTrack {
                state: DocState::Unknown,
                reads: 0,
                backup_msgs: Vec::new(),
                restore_msgs: Vec::new(),
                run_started: None,
                old_run: None,
                missing_since: None,
                last_change_ms: now_ms,
                text_verdict: None,
            },
            target,
            config,
        };
        let generation = tracker.target.generation;
        if tracker.is_v4() {
            if tracker.target.operation_id.is_none() {
                tracker.finish(Outcome::Lost {
                    reason:
                        "RavenDB 4.x and later are followed by operation id, and this one has none."
                            .into(),
                });
            }
        } else if !generation.is_supported() {
            tracker.finish(Outcome::Lost {
                reason: format!(
                    "This dashboard follows RavenDB 3.0, 3.5 and 4.x operations; the server is {}.",
                    generation.label()
                ),
            });
        }
        tracker
    }

    /// The request to perform next; `None` once finished.
    pub fn next_request(&self) -> Option<PollRequest> {
        if self.outcome().is_some() {
            return None;
        }
        if self.is_v4() {
            // 4.x: the operation state carries the log and the outcome.
            let database = match &self.target.what {
                Watched::DatabaseBackup { database } => database.clone(),
                _ => None,
            };
            return self
                .target
                .operation_id
                .map(|id| PollRequest::Operation4 { database, id });
        }
        let op_live = self.op_live();
        let doc_needed = !matches!(self.doc.state, DocState::Final(..));
        let use_op = match (op_live, doc_needed) {
            (true, true) => !self.doc_turn,
            (true, false) => true,
            (false, _) => false,
        };
        match (use_op, self.target.operation_id) {
            (true, Some(id)) => Some(PollRequest::OperationStatus { id }),
            _ => Some(self.target.what.doc_request()),
        }
    }

    /// How long to wait before the next request (0 once finished).
    pub fn next_delay_ms(&self) -> u32 {
        if self.outcome().is_some() {
            0
        } else {
            self.delay_ms
        }
    }

    /// The current picture.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snap
    }

    /// The final outcome, once there is one. There is only ever one.
    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.snap.phase {
            Phase::Finished(outcome) => Some(outcome),
            _ => None,
        }
    }

    /// The target being followed.
    pub fn target(&self) -> &WatchTarget {
        &self.target
    }

    /// Call before polling again after the driver paused (tab hidden, user
    /// pause): the paused time is not counted as server silence, and the
    /// delay restarts at `first_delay_ms`.
    pub fn resume(&mut self, now_ms: f64) {
        let shift = (now_ms - self.last_seen_ms).max(0.0);
        self.last_seen_ms = now_ms;
        self.last_change_ms += shift;
        self.doc.last_change_ms += shift;
        if let Some(t) = self.doc.missing_since.as_mut() {
            *t += shift;
        }
        if let Some((_, t, _)) = self.op.end.as_mut() {
            *t += shift;
        }
        if let Some((t, _)) = self.op.gone.as_mut() {
            *t += shift;
        }
        if let DocState::Final(_, t) = &mut self.doc.state {
            *t += shift;
        }
        if let Phase::Reconnecting { since_ms, .. } = &mut self.snap.phase {
            *since_ms += shift;
        }
        self.delay_ms = self.config.first_delay_ms;
    }

    /// Feeds the answer to `req` (the value [`Tracker::next_request`]
    /// returned), received at `now_ms`. Does nothing once finished.
    pub fn observe(
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
        self.snap.requests = self.snap.requests.saturating_add(1);
        self.snap.elapsed_ms = now_ms - self.snap.started_ms;
        self.last_seen_ms = now_ms;
        let is_op = matches!(req, PollRequest::OperationStatus { .. });
        self.doc_turn = is_op;

        let response = match result {
            Ok(r) => r,
            Err(ApiError::NotFound { .. }) => PollResponse::Missing,
            Err(err) => return self.on_error(now_ms, err),
        };
        if req.is_v4() {
            let changed = match response {
                PollResponse::Operation4(state) => self.on_operation4(&state),
                PollResponse::Missing => {
                    self.finish(Outcome::Lost {
                        reason: "The server no longer knows this operation (it may have restarted). Check the database before relying on it.".into(),
                    });
                    true
                }
                other => {
                    let detail = format!("unexpected answer {other:?} to {req:?}");
                    return self.on_error(now_ms, ApiError::MalformedBody { detail });
                }
            };
            if !matches!(self.snap.phase, Phase::Finished(_)) {
                self.snap.phase = Phase::Running;
            }
            if changed {
                self.last_change_ms = now_ms;
                self.delay_ms = self.config.first_delay_ms;
            } else {
                self.grow_delay();
                self.check_running_limit(now_ms);
            }
            return;
        }
        let changed = match (is_op, response) {
            (true, PollResponse::Operation(state)) => self.on_operation(now_ms, state),
            (true, PollResponse::Missing) => self.on_operation_missing(now_ms),
            (false, PollResponse::Backup(status)) if self.target.what.is_backup() => {
                self.on_backup_doc(now_ms, &status)
            }
            (false, PollResponse::Restore(status)) if !self.target.what.is_backup() => {
                self.on_restore_doc(now_ms, &status)
            }
            (false, PollResponse::Missing) => self.on_doc_missing(now_ms),
            (_, other) => {
                // The driver answered with the wrong kind: treat it as an
                // unreadable answer (retried, bounded by lost_after_ms).
                let detail = format!("unexpected answer {other:?} to {req:?}");
                return self.on_error(now_ms, ApiError::MalformedBody { detail });
            }
        };
        if !matches!(self.snap.phase, Phase::Finished(_)) {
            self.snap.phase = Phase::Running;
        }
        if changed {
            self.last_change_ms = now_ms;
            self.delay_ms = self.config.first_delay_ms;
        } else {
            self.grow_delay();
        }
        self.decide(now_ms);
    }

    // -- helpers ----------------------------------------------------------

    fn is_v4(&self) -> bool {
        matches!(self.target.generation, Generation::V4Plus { .. })
    }

    /// A 4.x operation state: the progress line while running, the result's
    /// log and the outcome at the end. Returns whether anything changed.
    fn on_operation4(&mut self, state: &crate::api::wire4x::OperationState) -> bool {
        use crate::api::wire4x::OperationStatus;
        let mut changed = false;
        let mut add = |tracker: &mut Self, text: &str, severity: LogSeverity| {
            let text = text.trim();
            if !text.is_empty() && !tracker.snap.log.iter().any(|l| l.text == text) {
                tracker.push_line(LogLine {
                    at: None,
                    severity,
                    text: text.to_string(),
                    details: None,
                });
                changed = true;
            }
        };
        if let Some(line) = state.progress_message() {
            add(self, line, LogSeverity::Info);
        }
        for line in state.messages() {
            add(self, line, LogSeverity::Info);
        }
        changed |= self.set_progress(state.progress_message());
        let what = &self.target.what;
        match &state.status {
            OperationStatus::InProgress | OperationStatus::Other(_) => {}
            OperationStatus::Completed => {
                let summary = format!(
                    "{} of {} completed.",
                    if what.is_backup() {
                        "Backup"
                    } else {
                        "Restore"
                    },
                    what.subject()
                );
                self.finish(Outcome::Succeeded { summary });
                changed = true;
            }
            OperationStatus::Faulted => {
                let reason = state.failure_message().unwrap_or_else(|| {
                    "The server reports the operation as faulted and gives no reason.".into()
                });
                let details = state.result.as_ref().and_then(|r| r.error.clone());
                self.push_line(LogLine {
                    at: None,
                    severity: LogSeverity::Error,
                    text: reason.clone(),
                    details: details.clone(),
                });
                self.finish(Outcome::Failed { reason, details });
                changed = true;
            }
            OperationStatus::Canceled => {
                self.finish(Outcome::Canceled {
                    reason: "The server reports the operation as canceled.".into(),
                });
                changed = true;
            }
        }
        changed
    }

    /// Running with no change for longer than the limit: lost.
    fn check_running_limit(&mut self, now_ms: f64) {
        if let Some(limit) = self.config.running_limit_ms {
            if now_ms - self.last_change_ms > f64::from(limit) {
                self.finish(Outcome::Lost {
                    reason: format!(
                        "The server reported no change for {} minutes; the operation may be stuck.",
                        limit / 60_000
                    ),
                });
            }
        }
    }

    fn op_live(&self) -> bool {
        self.target.operation_id.is_some() && self.op.end.is_none() && self.op.gone.is_none()
    }

    fn grow_delay(&mut self) {
        let grown = (f64::from(self.delay_ms) * self.config.backoff_factor).ceil();
        let max = f64::from(self.config.max_delay_ms.max(self.config.first_delay_ms));
        self.delay_ms = grown.min(max).max(f64::from(self.config.first_delay_ms)) as u32;
    }

    fn finish(&mut self, outcome: Outcome) {
        if self.outcome().is_none() {
            self.snap.phase = Phase::Finished(outcome);
        }
    }

    fn push_line(&mut self, mut line: LogLine) {
        // A line the server gave no time (restore messages, 4.x results)
        // gets the time it was read, in the server's format (UTC).
        if line.at.is_none() {
            line.at = format_iso_ms(self.last_seen_ms);
        }
        self.snap.log.push(line);
        let max = self.config.max_log_lines.max(1);
        if self.snap.log.len() > max {
            let excess = self.snap.log.len() - max;
            self.snap.log.drain(..excess);
            self.snap.dropped_lines += excess;
        }
    }

    fn new_list_notice(&mut self) {
        self.push_line(LogLine {
            at: None,
            severity: LogSeverity::Info,
            text:
                "The server started its message list over; the lines below are from the new list."
                    .into(),
            details: None,
        });
    }

    fn set_progress(&mut self, text: Option<&str>) -> bool {
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        if text.is_some() && self.snap.progress.as_deref() != text {
            self.snap.progress = text.map(str::to_string);
            true
        } else {
            false
        }
    }

    fn set_doc_state(&mut self, now_ms: f64, state: DocState) -> bool {
        let same_kind = std::mem::discriminant(&self.doc.state) == std::mem::discriminant(&state);
        if same_kind {
            return false;
        }
        // A final word is kept with its first time.
        self.doc.state = match state {
            DocState::Final(v, _) => DocState::Final(v, now_ms),
            other => other,
        };
        true
    }

    // -- errors -----------------------------------------------------------

    fn on_error(&mut self, now_ms: f64, err: ApiError) {
        let retryable = err.is_transient() || matches!(err, ApiError::MalformedBody { .. });
        if !retryable {
            let noun = self.target.what.noun();
            return self.finish(Outcome::Lost {
                reason: format!(
                    "Stopped following the {noun}: {} It may still be running on the server.",
                    err.user_message()
                ),
            });
        }
        self.snap.transient_errors = self.snap.transient_errors.saturating_add(1);
        let since_ms = match &self.snap.phase {
            Phase::Reconnecting { since_ms, .. } => *since_ms,
            _ => now_ms,
        };
        if now_ms - since_ms > f64::from(self.config.lost_after_ms) {
            let secs = ((now_ms - since_ms) / 1000.0).round();
            let noun = self.target.what.noun();
            return self.finish(Outcome::Lost {
                reason: format!(
                    "The server has not answered properly for {secs} s ({}). The {noun} may still be running on the server.",
                    err.user_message()
                ),
            });
        }
        self.snap.phase = Phase::Reconnecting {
            since_ms,
            last_error: err,
        };
        self.grow_delay();
    }

    // -- operation answers ------------------------------------------------

    fn on_operation(&mut self, now_ms: f64, state: OperationState) -> bool {
        let mut changed = self.op.last.as_ref() != Some(&state);
        self.op.gone = None;
        changed |= self.set_progress(state.progress());
        if self.op.end.is_none() {
            let end = if state.faulted {
                let (reason, details) = match state.state_error() {
                    Some(e) => {
                        let (reason, details) = reason_and_details(e);
                        (Some(reason), details.or_else(|| state.exception_details()))
                    }
                    None => match state.exception_message() {
                        Some(m) => {
                            let (reason, details) = reason_and_details(&m);
                            (Some(reason), details.or_else(|| state.exception_details()))
                        }
                        None => (None, state.exception_details()),
                    },
                };
                Some(OpEnd::Faulted { reason, details })
            } else if state.is_canceled() {
                Some(OpEnd::Canceled)
            } else if state.completed {
                Some(OpEnd::Ok)
            } else {
                self.op.seen_running = true;
                None
            };
            if let Some(end) = end {
                self.op.end = Some((end, now_ms, self.doc.reads));
                changed = true;
            }
        }
        self.op.last = Some(state);
        changed
    }

    fn on_operation_missing(&mut self, now_ms: f64) -> bool {
        if self.op.gone.is_none() && self.op.end.is_none() {
            self.op.gone = Some((now_ms, self.doc.reads));
            return true;
        }
        false
    }

    // -- document answers -------------------------------------------------

    fn on_doc_missing(&mut self, now_ms: f64) -> bool {
        self.doc.reads += 1;
        if self.doc.missing_since.is_none() {
            self.doc.missing_since = Some(now_ms);
        }
        // A final word already read stays (a later 404 is a clean-up).
        if matches!(self.doc.state, DocState::Final(..)) {
            return false;
        }
        self.set_doc_state(now_ms, DocState::Missing);
        false
    }

    /// Is this backup status document from an earlier run?
    fn is_old_run(&self, status: &BackupStatus) -> bool {
        let Some(started) = status.started.as_deref() else {
            return false;
        };
        if let Some(run) = &self.doc.run_started {
            return started != run;
        }
        if self.target.previous_run_started.as_deref() == Some(started) {
            return true;
        }
        match parse_iso_ms(started) {
            Some(ms) => {
                let start = self.target.started_after_ms.unwrap_or(self.snap.started_ms);
                ms < start - f64::from(self.config.clock_skew_ms)
            }
            None => false,
        }
    }

    fn on_backup_doc(&mut self, now_ms: f64, status: &BackupStatus) -> bool {
        if self.is_old_run(status) {
            self.doc.old_run = status.started.clone();
            return self.on_doc_missing(now_ms);
        }
        self.doc.reads += 1;
        self.doc.missing_since = None;
        let first_sight = self.doc.run_started.is_none();
        if first_sight {
            self.doc.run_started = status.started.clone();
        }
        let mut changed = first_sight;
        if let Some((from, diverged)) = merge_list(&mut self.doc.backup_msgs, &status.messages) {
            if diverged {
                self.new_list_notice();
            }
            for m in &status.messages[from..] {
                self.push_line(LogLine {
                    at: m.timestamp.clone(),
                    severity: if m.severity == Severity::Error {
                        LogSeverity::Error
                    } else {
                        LogSeverity::Info
                    },
                    text: m.message.clone(),
                    details: m.details.clone().filter(|d| !d.trim().is_empty()),
                });
            }
            if from < status.messages.len() {
                changed = true;
                let progress = status.messages.last().map(|m| m.message.as_str());
                if self.op.last.as_ref().and_then(|s| s.progress()).is_none() {
                    self.set_progress(progress);
                }
            }
        }
        let state = if status.is_running {
            DocState::Running
        } else {
            DocState::Final(backup_verdict(status), now_ms)
        };
        changed |= self.set_doc_state(now_ms, state);
        if changed {
            self.doc.last_change_ms = now_ms;
        }
        changed
    }

    fn on_restore_doc(&mut self, now_ms: f64, status: &RestoreStatus) -> bool {
        self.doc.reads += 1;
        self.doc.missing_since = None;
        let mut changed = false;
        if let Some((from, diverged)) = merge_list(&mut self.doc.restore_msgs, &status.messages) {
            if diverged {
                self.new_list_notice();
            }
            for m in &status.messages[from..] {
                let (text, details) = match split_exception_text(m) {
                    (first, rest) if !rest.trim().is_empty() => (first, Some(rest)),
                    _ => (m.clone(), None),
                };
                self.push_line(LogLine {
                    at: None,
                    severity: if is_restore_error_line(m) {
                        LogSeverity::Error
                    } else {
                        LogSeverity::Info
                    },
                    text,
                    details,
                });
            }
            if from < status.messages.len() {
                changed = true;
                let last = status.messages.last().map(|m| {
                    let (first, _) = split_exception_text(m);
                    first
                });
                self.set_progress(last.as_deref());
            }
        }
        let messages = &status.messages;
        self.doc.text_verdict = None;
        let state = if status.wrapped {
            // §5.3 step 4: the wrapper is written by a failed start whose
            // State stays "Running" forever; its message is the reason.
            DocState::Final(restore_failure(messages), now_ms)
        } else {
            match &status.state {
                Some(RestoreState::Completed) => DocState::Final(Verdict::Succeeded, now_ms),
                Some(RestoreState::Faulted) => DocState::Final(restore_failure(messages), now_ms),
                None => match restore_text_verdict(messages) {
                    Some(v) => DocState::Final(v, now_ms),
                    None => DocState::Running,
                },
                Some(_) => {
                    self.doc.text_verdict = restore_text_verdict(messages);
                    DocState::Running
                }
            }
        };
        changed |= self.set_doc_state(now_ms, state);
        if changed {
            self.doc.last_change_ms = now_ms;
        }
        changed
    }

    // -- the decision -----------------------------------------------------

    fn success_summary(&self) -> String {
        let what = &self.target.what;
        if what.is_backup() {
            format!("Backup of {} completed.", what.subject())
        } else {
            let subject = what.subject();
            let mut chars = subject.chars();
            let capitalized = match chars.next() {
                Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
                None => subject,
            };
            format!("{capitalized} was restored.")
        }
    }

    fn canceled_reason(&self) -> String {
        format!("The {} was canceled.", self.target.what.noun())
    }

    /// The failure words of an operation that faulted without giving any.
    fn op_failure(&self, reason: &Option<String>, details: &Option<String>) -> Outcome {
        let fallback = || {
            // The document's own last error words, if it has some.
            if self.target.what.is_backup() {
                self.doc
                    .backup_msgs
                    .iter()
                    .rev()
                    .find(|m| m.severity == Severity::Error)
                    .map(|m| (m.message.clone(), m.details.clone()))
            } else {
                match restore_failure(&self.doc.restore_msgs) {
                    Verdict::Failed { reason, details } if !self.doc.restore_msgs.is_empty() => {
                        Some((reason, details))
                    }
                    _ => None,
                }
            }
        };
        match reason {
            Some(r) => Outcome::Failed {
                reason: r.clone(),
                details: details.clone(),
            },
            None => match fallback() {
                Some((reason, d)) => Outcome::Failed {
                    reason,
                    details: d.or_else(|| details.clone()),
                },
                None => Outcome::Failed {
                    reason: format!(
                        "The {} failed; the server gave no reason.",
                        self.target.what.noun()
                    ),
                    details: details.clone(),
                },
            },
        }
    }

    fn verdict_outcome(&self, verdict: &Verdict) -> Outcome {
        match verdict {
            Verdict::Succeeded => Outcome::Succeeded {
                summary: self.success_summary(),
            },
            Verdict::Failed { reason, details } => Outcome::Failed {
                reason: reason.clone(),
                details: details.clone(),
            },
            Verdict::Canceled { reason } => Outcome::Canceled {
                reason: reason.clone(),
            },
        }
    }

    fn decide(&mut self, now_ms: f64) {
        if self.outcome().is_some() {
            return;
        }
        let settle = f64::from(self.config.settle_ms);
        let noun = self.target.what.noun();
        let is_restore = !self.target.what.is_backup();

        // 1. The document's final word.
        if let DocState::Final(verdict, final_at) = &self.doc.state {
            let outcome = match (verdict, &self.op.end) {
                (_, Some((OpEnd::Canceled, ..))) if *verdict != Verdict::Succeeded => {
                    Outcome::Canceled {
                        reason: self.canceled_reason(),
                    }
                }
                (Verdict::Succeeded, Some((OpEnd::Faulted { reason, details }, ..))) => {
                    // The restore's document says Completed before its last
                    // steps run (§5.5 step 4); a later fault still fails it.
                    match self.op_failure(reason, details) {
                        Outcome::Failed { reason, details } if is_restore => Outcome::Failed {
                            reason: format!(
                                "The {} was created, but a later step of the restore failed: {reason}",
                                self.target.what.subject()
                            ),
                            details,
                        },
                        other => other,
                    }
                }
                (Verdict::Succeeded, None)
                    if is_restore && self.op_live() && now_ms - final_at < settle =>
                {
                    // Wait (briefly) for the operation to end too.
                    return;
                }
                (v, _) => self.verdict_outcome(v),
            };
            return self.finish(outcome);
        }

        // 2. The operation has ended; the document has not said so (yet).
        if let Some((end, end_at, reads_at_end)) = &self.op.end {
            if is_restore {
                if let Some(v) = &self.doc.text_verdict {
                    let outcome = match (v, end) {
                        (Verdict::Succeeded, OpEnd::Ok) => self.verdict_outcome(v),
                        (Verdict::Succeeded, OpEnd::Faulted { reason, details }) => {
                            self.op_failure(reason, details)
                        }
                        (Verdict::Succeeded, OpEnd::Canceled) => Outcome::Canceled {
                            reason: self.canceled_reason(),
                        },
                        (failed, _) => self.verdict_outcome(failed),
                    };
                    return self.finish(outcome);
                }
            }
            if now_ms - end_at >= settle && self.doc.reads > *reads_at_end {
                let outcome = match end {
                    OpEnd::Ok => Outcome::Lost {
                        reason: format!(
                            "The server says the {noun} operation ended, but its status document never confirmed the result{}.",
                            self.old_run_note()
                        ),
                    },
                    OpEnd::Faulted { reason, details } => self.op_failure(reason, details),
                    OpEnd::Canceled => Outcome::Canceled {
                        reason: self.canceled_reason(),
                    },
                };
                return self.finish(outcome);
            }
            return;
        }

        // 3. The operation id vanished (404).
        if let Some((gone_at, reads_at_gone)) = self.op.gone {
            let read_since = self.doc.reads > reads_at_gone;
            let doc_changed_since = self.doc.last_change_ms > gone_at;
            let restart = || {
                Outcome::Lost {
                reason: format!(
                    "The server no longer knows this {noun} operation — it may have restarted. Its status document shows no end{}.",
                    self.old_run_note()
                ),
            }
            };
            if read_since && self.doc.state == DocState::Missing && self.op.seen_running {
                return self.finish(restart());
            }
            if !doc_changed_since && now_ms - gone_at >= settle && read_since {
                return self.finish(restart());
            }
        }

        // 4. The document is the only source and it is missing.
        if !self.op_live() {
            if let Some(since) = self.doc.missing_since {
                if self.doc.state == DocState::Missing
                    && now_ms - since > f64::from(self.config.lost_after_ms)
                {
                    return self.finish(Outcome::Lost {
                        reason: format!(
                            "The server shows no status for this {noun}{}.",
                            self.old_run_note()
                        ),
                    });
                }
            }
        }

        // 5. Running forever without any change.
        if let Some(limit) = self.config.running_limit_ms {
            if now_ms - self.last_change_ms > f64::from(limit) {
                let minutes = (f64::from(limit) / 60_000.0).round();
                self.finish(Outcome::Lost {
                    reason: format!(
                        "The server has reported no progress for over {minutes} min while still saying the {noun} is running. It may be stuck (a backup that failed before it started keeps saying it is running until the database restarts)."
                    ),
                });
            }
        }
    }

    fn old_run_note(&self) -> String {
        match &self.doc.old_run {
            Some(started) => {
                format!(" (only an earlier run's status, started {started}, was found)")
            }
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// 2016-05-10T12:00:00Z, the watch start in every test.
    const T0: f64 = 1_462_881_600_000.0;
    const STARTED: &str = "2016-05-10T12:00:00.1000000Z";

    fn msg(text: &str) -> BackupMessage {
        BackupMessage {
            message: text.into(),
            details: None,
            timestamp: Some("2016-05-10T12:00:01.0000000Z".into()),
            severity: Severity::Informational,
        }
    }

    fn err_msg(text: &str, details: &str) -> BackupMessage {
        BackupMessage {
            message: text.into(),
            details: Some(details.into()),
            timestamp: Some("2016-05-10T12:00:02.0000000Z".into()),
            severity: Severity::Error,
        }
    }

    fn backup_doc(running: bool, success: Option<bool>, msgs: &[BackupMessage]) -> PollResponse {
        PollResponse::Backup(BackupStatus {
            started: Some(STARTED.into()),
            completed: (!running).then(|| "2016-05-10T12:00:09.0000000Z".into()),
            is_running: running,
            success,
            messages: msgs.to_vec(),
        })
    }

    fn restore_doc(v: serde_json::Value) -> PollResponse {
        PollResponse::Restore(RestoreStatus::from_value(&v).unwrap())
    }

    fn op(v: serde_json::Value) -> PollResponse {
        PollResponse::Operation(serde_json::from_value(v).unwrap())
    }

    fn op_running() -> PollResponse {
        op(json!({"Completed": false, "Faulted": false, "State": null}))
    }

    fn op_done() -> PollResponse {
        op(json!({"Completed": true, "Faulted": false, "State": null}))
    }

    fn server_500() -> ApiError {
        ApiError::ServerException {
            status: 500,
            first_line: "System.Exception: boom".into(),
            details: String::new(),
        }
    }

    fn texts(t: &Tracker) -> Vec<&str> {
        t.snapshot().log.iter().map(|l| l.text.as_str()).collect()
    }

    /// Drives a tracker the way the browser driver does, with a fake clock.
    struct Sim {
        t: Tracker,
        now: f64,
        requests: Vec<PollRequest>,
        phases: Vec<Phase>,
        delays: Vec<u32>,
    }

    impl Sim {
        fn new(what: Watched, id: Option<i64>, generation: Generation) -> Sim {
            Sim::with(
                WatchTarget::new(what, id, generation),
                PollConfig::default(),
            )
        }

        fn with(target: WatchTarget, config: PollConfig) -> Sim {
            Sim {
                t: Tracker::new(target, config, T0),
                now: T0,
                requests: Vec::new(),
                phases: Vec::new(),
                delays: Vec::new(),
            }
        }

        /// One request: asks the tracker, answers it, sleeps.
        fn step(&mut self, answer: Result<PollResponse, ApiError>) -> PollRequest {
            let req = self.t.next_request().expect("tracker wants a request");
            self.now += 40.0; // request latency
            self.t.observe(self.now, &req, answer);
            self.requests.push(req.clone());
            self.phases.push(self.t.snapshot().phase.clone());
            let delay = self.t.next_delay_ms();
            self.delays.push(delay);
            self.now += f64::from(delay);
            req
        }

        /// Answers operation and document requests with the two closures
        /// until an outcome (or `max` requests).
        fn run(
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

        fn outcome(&self) -> Option<&Outcome> {
            self.t.outcome()
        }
    }

    fn northwind_backup() -> Watched {
        Watched::DatabaseBackup {
            database: Some("Northwind".into()),
        }
    }

    fn new_northwind_restore() -> Watched {
        Watched::DatabaseRestore {
            database: "NewNorthwind".into(),
        }
    }

    #[test]
    fn v30_backup_success_follows_the_status_document() {
        let mut s = Sim::new(northwind_backup(), None, Generation::V30);
        let (m1, m2, m3) = (
            msg("Started backup process."),
            msg("Backing up indexes.."),
            msg("Done"),
        );
        s.step(Ok(backup_doc(true, None, std::slice::from_ref(&m1))));
        assert_eq!(s.t.snapshot().phase, Phase::Running);
        s.step(Ok(backup_doc(true, None, &[m1.clone(), m2.clone()])));
        assert_eq!(
            s.t.snapshot().progress.as_deref(),
            Some("Backing up indexes..")
        );
        assert!(s.outcome().is_none());
        s.step(Ok(backup_doc(false, None, &[m1, m2, m3])));
        assert_eq!(
            s.outcome(),
            Some(&Outcome::Succeeded {
                summary: "Backup of database Northwind completed.".into()
            })
        );
        assert!(s.requests.iter().all(|r| *r
            == PollRequest::BackupStatusDoc {
                database: Some("Northwind".into())
            }));
        assert_eq!(
            texts(&s.t),
            ["Started backup process.", "Backing up indexes..", "Done"]
        );
        assert_eq!(
            s.t.snapshot().log[0].at.as_deref(),
            Some("2016-05-10T12:00:01.0000000Z")
        );
        assert_eq!(s.t.next_request(), None);
    }

    #[test]
    fn v30_backup_failure_is_the_last_error_message() {
        let mut s = Sim::new(
            Watched::DatabaseBackup { database: None },
            None,
            Generation::V30,
        );
        s.step(Ok(backup_doc(true, None, &[msg("Started")])));
        let e = err_msg(
            "Failed to complete backup because: disk full",
            "System.IO.IOException: disk full\r\n at x",
        );
        s.step(Ok(backup_doc(false, None, &[msg("Started"), e])));
        assert_eq!(
            s.outcome(),
            Some(&Outcome::Failed {
                reason: "Failed to complete backup because: disk full".into(),
                details: Some("System.IO.IOException: disk full\r\n at x".into())
            })
        );
        assert_eq!(
            s.requests[0],
            PollRequest::BackupStatusDoc { database: None }
        );
        assert_eq!(s.t.snapshot().log[1].severity, LogSeverity::Error);
    }

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
        let log = &s.t.snapshot().log;
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

    #[test]
    fn restore_success_waits_briefly_for_the_operation_and_a_late_fault_wins() {
        let completed = json!({"State": "Completed", "Messages": ["Copying x", "The new database was created"]});
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
        s.step(Ok(restore_doc(json!({"State": "Completed", "Messages": ["Copying x", "The new database was created"]}))));
        assert!(s.outcome().unwrap().is_success());
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
    fn messages_are_deduplicated_in_order() {
        let mut s = Sim::new(northwind_backup(), None, Generation::V30);
        let (a, b, c, x) = (msg("a"), msg("b"), msg("c"), msg("x"));
        s.step(Ok(backup_doc(true, None, std::slice::from_ref(&a))));
        s.step(Ok(backup_doc(true, None, &[a.clone(), b.clone()])));
        s.step(Ok(backup_doc(true, None, &[a.clone(), b.clone()])));
        s.step(Ok(backup_doc(
            true,
            None,
            &[a.clone(), b.clone(), c.clone()],
        )));
        assert_eq!(texts(&s.t), ["a", "b", "c"]);
        // A stale, shorter copy adds nothing.
        s.step(Ok(backup_doc(true, None, std::slice::from_ref(&a))));
        assert_eq!(texts(&s.t), ["a", "b", "c"]);
        // A diverging list is a new list: noted, and only its new part added.
        s.step(Ok(backup_doc(true, None, &[a.clone(), x.clone()])));
        let log = texts(&s.t);
        assert_eq!(log.len(), 5);
        assert!(log[3].contains("started its message list over"));
        assert_eq!(log[4], "x");
        // Same for restore documents (plain strings).
        let mut r = Sim::new(new_northwind_restore(), None, Generation::V35);
        r.step(Ok(restore_doc(
            json!({"State": "Running", "Messages": ["1"]}),
        )));
        r.step(Ok(restore_doc(
            json!({"State": "Running", "Messages": ["1", "2"]}),
        )));
        r.step(Ok(restore_doc(
            json!({"State": "Running", "Messages": ["1", "2", "3"]}),
        )));
        assert_eq!(texts(&r.t), ["1", "2", "3"]);
        assert_eq!(r.t.snapshot().progress.as_deref(), Some("3"));
    }

    #[test]
    fn the_log_is_capped_and_counts_dropped_lines() {
        let config = PollConfig {
            max_log_lines: 3,
            ..PollConfig::default()
        };
        let mut s = Sim::with(
            WatchTarget::new(northwind_backup(), None, Generation::V30),
            config,
        );
        let all: Vec<_> = (0..7).map(|i| msg(&format!("m{i}"))).collect();
        s.step(Ok(backup_doc(true, None, &all[..5])));
        assert_eq!(texts(&s.t), ["m2", "m3", "m4"]);
        assert_eq!(s.t.snapshot().dropped_lines, 2);
        s.step(Ok(backup_doc(true, None, &all)));
        assert_eq!(texts(&s.t), ["m4", "m5", "m6"]);
        assert_eq!(s.t.snapshot().dropped_lines, 4);
        assert_eq!(PollConfig::default().max_log_lines, 5000);
    }

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
    fn an_old_status_document_from_a_previous_run_is_ignored() {
        let old = PollResponse::Backup(BackupStatus {
            started: Some("2016-05-10T11:00:00.0000000Z".into()),
            completed: Some("2016-05-10T11:05:00.0000000Z".into()),
            is_running: false,
            success: None,
            messages: vec![msg("old run")],
        });
        let mut s = Sim::new(northwind_backup(), None, Generation::V30);
        s.step(Ok(old.clone()));
        s.step(Ok(old.clone()));
        assert!(
            s.outcome().is_none(),
            "a finished old run is not our success"
        );
        assert!(s.t.snapshot().log.is_empty());
        s.step(Ok(backup_doc(true, None, &[msg("new run")])));
        s.step(Ok(old.clone())); // a stale read in between
        s.step(Ok(backup_doc(false, None, &[msg("new run")])));
        assert!(s.outcome().unwrap().is_success());
        assert_eq!(texts(&s.t), ["new run"]);

        // Only the old run ever shows: lost, saying so.
        let mut s = Sim::new(northwind_backup(), None, Generation::V30);
        let out = s.run(500, |_| unreachable!(), |_| Ok(old.clone()));
        assert!(
            matches!(&out, Outcome::Lost { reason } if reason.contains("earlier run")),
            "{out:?}"
        );

        // The screen's record of the previous Started catches a recent old run.
        let mut target = WatchTarget::new(northwind_backup(), None, Generation::V30);
        target.previous_run_started = Some(STARTED.into());
        let mut s = Sim::with(target, PollConfig::default());
        s.step(Ok(backup_doc(false, None, &[msg("previous")])));
        assert!(s.outcome().is_none());

        // Re-attaching after a reload: the run started an hour before the
        // watch, and that is said, so its document is followed.
        let mut target = WatchTarget::new(northwind_backup(), None, Generation::V30);
        target.started_after_ms = Some(T0 - 3_600_000.0);
        let mut s = Sim::with(target, PollConfig::default());
        s.step(Ok(old));
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
            .snapshot()
            .log
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
    fn file_system_kinds_use_their_status_locations() {
        let mut s = Sim::new(
            Watched::FileSystemBackup { fs: "Files".into() },
            None,
            Generation::V30,
        );
        assert_eq!(
            s.step(Ok(backup_doc(false, None, &[msg("ok")]))),
            PollRequest::FsBackupStatus { fs: "Files".into() }
        );
        assert_eq!(
            s.outcome(),
            Some(&Outcome::Succeeded {
                summary: "Backup of file system Files completed.".into()
            })
        );
        let mut s = Sim::new(
            Watched::FileSystemRestore {
                fs: "Files2".into(),
            },
            Some(4),
            Generation::V35,
        );
        s.step(Ok(op_running()));
        assert_eq!(
            s.step(Ok(restore_doc(
                json!({"State": "Completed", "Messages": ["The new filesystem was created"]})
            ))),
            PollRequest::FsRestoreStatusDoc {
                fs: "Files2".into()
            }
        );
        s.step(Ok(op_done()));
        assert_eq!(
            s.outcome(),
            Some(&Outcome::Succeeded {
                summary: "File system Files2 was restored.".into()
            })
        );
        let mut s = Sim::new(
            Watched::FileSystemRestore { fs: "F".into() },
            None,
            Generation::V35,
        );
        s.step(Ok(restore_doc(
            json!({"State": "Faulted", "Messages": ["Unable to restore filesystem boom"]}),
        )));
        assert!(
            matches!(s.outcome(), Some(Outcome::Failed { reason, .. }) if reason == "Unable to restore filesystem boom")
        );
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

    fn op4(value: serde_json::Value) -> Result<PollResponse, ApiError> {
        Ok(PollResponse::Operation4(
            serde_json::from_value(value).unwrap(),
        ))
    }

    const V41: Generation = Generation::V4Plus { major: 4, minor: 1 };

    #[test]
    fn ravendb_4_backup_is_followed_by_its_operation_state_to_success() {
        let mut s = Sim::new(northwind_backup(), Some(1), V41);
        assert_eq!(
            s.t.next_request(),
            Some(PollRequest::Operation4 {
                database: Some("Northwind".into()),
                id: 1
            })
        );
        s.step(op4(json!({"Status": "InProgress", "Progress": {"Message": "[17:45:41 INFO] Started task: 'e2e-backup'"}, "Result": null})));
        assert!(s.outcome().is_none());
        assert_eq!(s.t.snapshot().log.len(), 1);
        s.step(op4(json!({"Status": "Completed", "Progress": null, "Result": {
            "Messages": ["[17:45:41 INFO] Started task: 'e2e-backup'", "[17:45:41 INFO] Saving backup status"]}})));
        assert!(
            matches!(s.outcome(), Some(Outcome::Succeeded { summary }) if summary.contains("database Northwind"))
        );
        // Each line once, in order.
        let texts: Vec<_> = s.t.snapshot().log.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "[17:45:41 INFO] Started task: 'e2e-backup'",
                "[17:45:41 INFO] Saving backup status"
            ]
        );
        assert_eq!(s.t.next_request(), None);
    }

    #[test]
    fn ravendb_4_restore_polls_the_server_level_state_and_fails_with_the_message() {
        let target = WatchTarget::new(
            Watched::DatabaseRestore {
                database: "Copy".into(),
            },
            Some(4),
            V41,
        );
        let mut s = Sim::with(target, PollConfig::default());
        assert_eq!(
            s.t.next_request(),
            Some(PollRequest::Operation4 {
                database: None,
                id: 4
            })
        );
        s.step(op4(json!({"Status": "Faulted", "Result": {
            "$type": "Raven.Client.Documents.Operations.OperationExceptionResult, Raven.Client",
            "Type": "System.ArgumentException", "Message": "Backup location doesn't exist, path: /x",
            "Error": "System.ArgumentException: Backup location doesn't exist, path: /x\n   at Raven.Server...", "StatusCode": 500}})));
        match s.outcome() {
            Some(Outcome::Failed { reason, details }) => {
                assert_eq!(reason, "Backup location doesn't exist, path: /x");
                assert!(details
                    .as_deref()
                    .is_some_and(|d| d.contains("at Raven.Server")));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ravendb_4_unknown_operation_or_missing_id_is_lost() {
        let mut s = Sim::new(northwind_backup(), Some(9), V41);
        s.step(Err(ApiError::NotFound {
            url: "u".into(),
            server_message: None,
        }));
        assert!(matches!(s.outcome(), Some(Outcome::Lost { .. })));
        let s = Sim::new(northwind_backup(), None, V41);
        assert!(matches!(s.outcome(), Some(Outcome::Lost { .. })));
        assert_eq!(s.t.next_request(), None);
    }

    #[test]
    fn ravendb_4_transient_errors_reconnect_and_cancel_is_canceled() {
        let mut s = Sim::new(northwind_backup(), Some(2), V41);
        s.step(Err(ApiError::Unreachable { url: "u".into() }));
        assert!(matches!(s.t.snapshot().phase, Phase::Reconnecting { .. }));
        s.step(op4(json!({"Status": "Canceled"})));
        assert!(matches!(s.outcome(), Some(Outcome::Canceled { .. })));
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
}
