//! The RavenDB 3.0 / 3.5 core: the operation state and the status
//! document, read in turn, and the decision between them.
//!
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
//!   for at most [`PollConfig::settle_ms`](super::PollConfig::settle_ms).
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

use super::log::merge_list;
use super::verdict::{
    backup_verdict, is_restore_error_line, reason_and_details, restore_failure,
    restore_text_verdict, verdict_outcome, Verdict,
};
use super::{
    Common, LogLine, LogSeverity, Outcome, PollRequest, PollResponse, WatchTarget, Watched,
};
use crate::api::error::{split_exception_text, ApiError};
use crate::api::wire::time::parse_iso_ms;
use crate::api::wire::v3::{
    BackupMessage, BackupStatus, OperationState, RestoreState, RestoreStatus, Severity,
};

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

/// What the 3.x core remembers about the operation and the document.
#[derive(Debug, Clone)]
pub(super) struct Core3 {
    /// The next request (when both are needed) is the document's.
    doc_turn: bool,
    op: OpTrack,
    doc: DocTrack,
}

/// The request that reads this kind's status document.
fn doc_request(what: &Watched) -> PollRequest {
    match what {
        Watched::DatabaseBackup { database } => PollRequest::BackupStatusDoc {
            database: database.clone(),
        },
        Watched::FileSystemBackup { fs } => PollRequest::FsBackupStatus { fs: fs.clone() },
        Watched::DatabaseRestore { .. } => PollRequest::RestoreStatusDoc,
        Watched::FileSystemRestore { fs } => PollRequest::FsRestoreStatusDoc { fs: fs.clone() },
    }
}

impl Core3 {
    pub(super) fn new(target: &WatchTarget, now_ms: f64) -> Self {
        Core3 {
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
        }
    }

    /// The operation id while it may still tell something.
    fn op_live(&self, target: &WatchTarget) -> bool {
        target.operation_id.is_some() && self.op.end.is_none() && self.op.gone.is_none()
    }

    /// The operation state and the document in turn while both are needed.
    pub(super) fn next_request(&self, common: &Common) -> PollRequest {
        let target = &common.target;
        let doc_needed = !matches!(self.doc.state, DocState::Final(..));
        let use_op = match (self.op_live(target), doc_needed) {
            (true, true) => !self.doc_turn,
            (true, false) => true,
            (false, _) => false,
        };
        match (use_op, target.operation_id) {
            (true, Some(id)) => PollRequest::OperationStatus { id },
            _ => doc_request(&target.what),
        }
    }

    /// Any answer to `req` (good or bad) passes the turn to the other source.
    pub(super) fn answered(&mut self, req: &PollRequest) {
        self.doc_turn = matches!(req, PollRequest::OperationStatus { .. });
    }

    /// Moves every remembered time by `shift` (a pause of the driver).
    pub(super) fn shift_times(&mut self, shift: f64) {
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
    }

    /// An answer; returns whether anything changed, or the error to retry
    /// with when the answer is of the wrong kind.
    pub(super) fn observe(
        &mut self,
        common: &mut Common,
        now_ms: f64,
        req: &PollRequest,
        response: PollResponse,
    ) -> Result<bool, ApiError> {
        let is_op = matches!(req, PollRequest::OperationStatus { .. });
        let is_backup = common.target.what.is_backup();
        Ok(match (is_op, response) {
            (true, PollResponse::Operation(state)) => self.on_operation(common, now_ms, state),
            (true, PollResponse::Missing) => self.on_operation_missing(now_ms),
            (false, PollResponse::Backup(status)) if is_backup => {
                self.on_backup_doc(common, now_ms, &status)
            }
            (false, PollResponse::Restore(status)) if !is_backup => {
                self.on_restore_doc(common, now_ms, &status)
            }
            (false, PollResponse::Missing) => self.on_doc_missing(now_ms),
            (_, other) => return Err(other.wrong_kind(req)),
        })
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

    // -- operation answers ------------------------------------------------

    fn on_operation(&mut self, common: &mut Common, now_ms: f64, state: OperationState) -> bool {
        let mut changed = self.op.last.as_ref() != Some(&state);
        self.op.gone = None;
        changed |= common.set_progress(state.progress());
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
    fn is_old_run(&self, common: &Common, status: &BackupStatus) -> bool {
        let Some(started) = status.started.as_deref() else {
            return false;
        };
        if let Some(run) = &self.doc.run_started {
            return started != run;
        }
        let target = &common.target;
        if target.previous_run_started.as_deref() == Some(started) {
            return true;
        }
        match parse_iso_ms(started) {
            Some(ms) => {
                let start = target.started_after_ms.unwrap_or(common.snap.started_ms);
                ms < start - f64::from(common.config.clock_skew_ms)
            }
            None => false,
        }
    }

    fn on_backup_doc(&mut self, common: &mut Common, now_ms: f64, status: &BackupStatus) -> bool {
        if self.is_old_run(common, status) {
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
                common.push_line(LogLine::new_list_notice());
            }
            for m in &status.messages[from..] {
                common.push_line(LogLine {
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
                    common.set_progress(progress);
                }
            }
        }
        let state = if status.is_running {
            DocState::Running
        } else {
            // The server's own start and end: the run's true duration.
            let ms = |t: &Option<String>| t.as_deref().and_then(parse_iso_ms);
            if let (Some(start), Some(end)) = (ms(&status.started), ms(&status.completed)) {
                common.server_elapsed_ms = Some(end - start).filter(|d| *d >= 0.0);
            }
            DocState::Final(backup_verdict(status), now_ms)
        };
        changed |= self.set_doc_state(now_ms, state);
        if changed {
            self.doc.last_change_ms = now_ms;
        }
        changed
    }

    fn on_restore_doc(&mut self, common: &mut Common, now_ms: f64, status: &RestoreStatus) -> bool {
        self.doc.reads += 1;
        self.doc.missing_since = None;
        let mut changed = false;
        if let Some((from, diverged)) = merge_list(&mut self.doc.restore_msgs, &status.messages) {
            if diverged {
                common.push_line(LogLine::new_list_notice());
            }
            for m in &status.messages[from..] {
                let (text, details) = match split_exception_text(m) {
                    (first, rest) if !rest.trim().is_empty() => (first, Some(rest)),
                    _ => (m.clone(), None),
                };
                common.push_line(LogLine {
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
                common.set_progress(last.as_deref());
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

    /// The failure words of an operation that faulted without giving any.
    fn op_failure(
        &self,
        what: &Watched,
        reason: &Option<String>,
        details: &Option<String>,
    ) -> Outcome {
        let fallback = || {
            // The document's own last error words, if it has some.
            if what.is_backup() {
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
                    reason: format!("The {} failed; the server gave no reason.", what.noun()),
                    details: details.clone(),
                },
            },
        }
    }

    /// After an answer: is there an outcome yet?
    pub(super) fn decide(&mut self, common: &mut Common, now_ms: f64) {
        if common.is_finished() {
            return;
        }
        if let Some(outcome) = self.outcome(common, now_ms) {
            common.finish(outcome);
        }
    }

    fn outcome(&self, common: &Common, now_ms: f64) -> Option<Outcome> {
        let what = &common.target.what;
        let settle = f64::from(common.config.settle_ms);
        let noun = what.noun();
        let is_restore = !what.is_backup();
        let canceled = || Outcome::Canceled {
            reason: format!("The {noun} was canceled."),
        };

        // 1. The document's final word.
        if let DocState::Final(verdict, final_at) = &self.doc.state {
            return match (verdict, &self.op.end) {
                (_, Some((OpEnd::Canceled, ..))) if *verdict != Verdict::Succeeded => {
                    Some(canceled())
                }
                (Verdict::Succeeded, Some((OpEnd::Faulted { reason, details }, ..))) => {
                    // The restore's document says Completed before its last
                    // steps run (§5.5 step 4); a later fault still fails it.
                    Some(match self.op_failure(what, reason, details) {
                        Outcome::Failed { reason, details } if is_restore => Outcome::Failed {
                            reason: format!(
                                "The {} was created, but a later step of the restore failed: {reason}",
                                what.subject()
                            ),
                            details,
                        },
                        other => other,
                    })
                }
                (Verdict::Succeeded, None)
                    if is_restore && self.op_live(&common.target) && now_ms - final_at < settle =>
                {
                    // Wait (briefly) for the operation to end too.
                    None
                }
                (v, _) => Some(verdict_outcome(what, v)),
            };
        }

        // 2. The operation has ended; the document has not said so (yet).
        if let Some((end, end_at, reads_at_end)) = &self.op.end {
            if is_restore {
                if let Some(v) = &self.doc.text_verdict {
                    return Some(match (v, end) {
                        (Verdict::Succeeded, OpEnd::Ok) => verdict_outcome(what, v),
                        (Verdict::Succeeded, OpEnd::Faulted { reason, details }) => {
                            self.op_failure(what, reason, details)
                        }
                        (Verdict::Succeeded, OpEnd::Canceled) => canceled(),
                        (failed, _) => verdict_outcome(what, failed),
                    });
                }
            }
            if now_ms - end_at >= settle && self.doc.reads > *reads_at_end {
                return Some(match end {
                    OpEnd::Ok => Outcome::Lost {
                        reason: format!(
                            "The server says the {noun} operation ended, but its status document never confirmed the result{}.",
                            self.old_run_note()
                        ),
                    },
                    OpEnd::Faulted { reason, details } => self.op_failure(what, reason, details),
                    OpEnd::Canceled => canceled(),
                });
            }
            return None;
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
                return Some(restart());
            }
            if !doc_changed_since && now_ms - gone_at >= settle && read_since {
                return Some(restart());
            }
        }

        // 4. The document is the only source and it is missing.
        if !self.op_live(&common.target) {
            if let Some(since) = self.doc.missing_since {
                if self.doc.state == DocState::Missing
                    && now_ms - since > f64::from(common.config.lost_after_ms)
                {
                    return Some(Outcome::Lost {
                        reason: format!(
                            "The server shows no status for this {noun}{}.",
                            self.old_run_note()
                        ),
                    });
                }
            }
        }

        // 5. Running forever without any change.
        let limit = common.exceeded_running_limit(now_ms)?;
        let minutes = (u64::from(limit) + 30_000) / 60_000;
        Some(Outcome::Lost {
            reason: format!(
                "The server has reported no progress for over {minutes} min while still saying the {noun} is running. It may be stuck (a backup that failed before it started keeps saying it is running until the database restarts)."
            ),
        })
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
