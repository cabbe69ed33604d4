//! The RavenDB 4.x-and-later core: one request, the operation state
//! (`GET [/databases/{db}]/operations/state?id=`), carries the progress
//! line, the result's log and the outcome. An id the server no longer
//! knows (404) is [`Outcome::Lost`].

use super::{Common, LogLine, LogSeverity, Outcome, PollRequest, PollResponse, Watched};
use crate::api::error::ApiError;
use crate::api::wire::v4::{OperationState, OperationStatus};

/// What the 4.x core remembers: which state to read.
#[derive(Debug, Clone)]
pub(super) struct Core4 {
    /// The request, `None` without an operation id.
    request: Option<PollRequest>,
}

impl Core4 {
    pub(super) fn new(target: &super::WatchTarget) -> Self {
        // Backups are database-level operations; restores server-level.
        let database = match &target.what {
            Watched::DatabaseBackup { database } => database.clone(),
            _ => None,
        };
        Core4 {
            request: target
                .operation_id
                .map(|id| PollRequest::Operation4 { database, id }),
        }
    }

    /// A target without an operation id cannot be followed: finished at
    /// once as lost.
    pub(super) fn check_target(&self, common: &mut Common) {
        if self.request.is_none() {
            common.finish(Outcome::Lost {
                reason:
                    "RavenDB 4.x and later are followed by operation id, and this one has none."
                        .into(),
            });
        }
    }

    pub(super) fn next_request(&self) -> Option<PollRequest> {
        self.request.clone()
    }

    /// An answer; returns whether anything changed, or the error to retry
    /// with when the answer is of the wrong kind.
    pub(super) fn observe(
        &mut self,
        common: &mut Common,
        req: &PollRequest,
        response: PollResponse,
    ) -> Result<bool, ApiError> {
        match response {
            PollResponse::Operation4(state) => Ok(on_operation(common, &state)),
            PollResponse::Missing => {
                common.finish(Outcome::Lost {
                    reason: "The server no longer knows this operation (it may have restarted). Check the database before relying on it.".into(),
                });
                Ok(true)
            }
            other => Err(other.wrong_kind(req)),
        }
    }

    /// After an answer: running with no change for too long is lost.
    pub(super) fn decide(&mut self, common: &mut Common, now_ms: f64) {
        if common.is_finished() {
            return;
        }
        if let Some(limit) = common.exceeded_running_limit(now_ms) {
            common.finish(Outcome::Lost {
                reason: format!(
                    "The server reported no change for {} minutes; the operation may be stuck.",
                    limit / 60_000
                ),
            });
        }
    }
}

/// A 4.x operation state: the progress line while running, the result's
/// log and the outcome at the end. Returns whether anything changed.
fn on_operation(common: &mut Common, state: &OperationState) -> bool {
    let mut changed = false;
    let mut add = |common: &mut Common, text: &str| {
        let text = text.trim();
        if !text.is_empty() && !common.log.contains_text(text) {
            common.push_line(LogLine::info(text));
            changed = true;
        }
    };
    if let Some(line) = state.progress_message() {
        add(common, line);
    }
    for line in state.messages() {
        add(common, line);
    }
    changed |= common.set_progress(state.progress_message());
    // The counts while running (docs/protocol/ravendb-4x.md#progress); kept
    // as last seen once the operation ends.
    if let Some(counts) = state.progress_counts() {
        if common.snap.counts != Some(counts) {
            common.snap.counts = Some(counts);
            common.changes.head = true;
            changed = true;
        }
    }
    let what = &common.target.what;
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
            common.finish(Outcome::Succeeded { summary });
            changed = true;
        }
        OperationStatus::Faulted => {
            let reason = state.failure_message().unwrap_or_else(|| {
                "The server reports the operation as faulted and gives no reason.".into()
            });
            let details = state.result.as_ref().and_then(|r| r.error.clone());
            common.push_line(LogLine {
                at: None,
                severity: LogSeverity::Error,
                text: reason.clone(),
                details: details.clone(),
            });
            common.finish(Outcome::Failed { reason, details });
            changed = true;
        }
        OperationStatus::Canceled => {
            // What a killed operation leaves on disk
            // (docs/protocol/ravendb-4x.md#kill).
            let reason = match what {
                Watched::DatabaseRestore { database } => format!(
                    "The server reports the restore as canceled. The database {database} was not created, but the data folder the restore was writing (by default Databases/{database} in the server's data folder) stays on the server's disk: delete it there to free the space."
                ),
                _ => "The server reports the backup as canceled. Its backup folder may be left behind, empty or partly written: delete it on the server's disk if you do not need it.".into(),
            };
            common.finish(Outcome::Canceled { reason });
            changed = true;
        }
    }
    changed
}
