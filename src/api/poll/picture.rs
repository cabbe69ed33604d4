//! What a watch shows: the phase with the outcome, the progress line and the
//! counters, and what each answer changed.

use super::LogDelta;
use crate::api::error::ApiError;

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
    /// The server asked cannot show this operation: it is not the one that
    /// runs it (another server or cluster node, or one that restarted), so
    /// its answer says nothing of how the operation went.
    NotVisible {
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

/// What a screen shows about the followed work, but the log ([`Log`](super::Log)):
/// small, so a driver may copy it.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Where the tracker is (carries the outcome once finished).
    pub phase: Phase,
    /// The latest progress line.
    pub progress: Option<String>,
    /// When the watch started (`now_ms` of [`Tracker::new`](super::Tracker::new)).
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
/// [`Log`](super::Log), or nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// The phase (with the outcome) or the progress line changed.
    pub head: bool,
    /// How the log changed.
    pub log: LogDelta,
}
