//! Test-only control state (`--enable-control`): injected faults and
//! operation failures, outages, the request log and received bodies.

use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::time::Instant;

#[derive(Clone, Debug)]
pub struct FailSpec {
    pub at_step: u32,
    pub error: String,
}

#[derive(Clone, Debug)]
pub struct Fault {
    pub method: Option<String>,
    pub path_prefix: String,
    pub remaining: u64,
    pub status: Option<u16>,
    pub body: String,
    pub content_type: Option<String>,
    pub delay_ms: u64,
    pub drop: bool,
    /// Hold the body back this long after the status line and headers.
    pub stall_body_ms: u64,
    /// Handle the request normally first, then replace (or drop) its answer.
    pub after_handling: bool,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct LogEntry {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    #[serde(rename = "startedMs")]
    pub started_ms: u64,
    #[serde(rename = "finishedMs")]
    pub finished_ms: u64,
}

#[derive(Default)]
pub struct Control {
    pub faults: Vec<Fault>,
    pub fail_next: HashMap<String, FailSpec>,
    pub outage_until: Option<Instant>,
    pub log: VecDeque<LogEntry>,
    pub received: VecDeque<(String, Value)>,
}
