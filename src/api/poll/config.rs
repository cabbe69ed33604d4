//! Timing and limits of a watch.

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
