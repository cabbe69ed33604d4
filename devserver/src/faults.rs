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
    /// Hold the body back this long after the status line and headers
    /// (or after `stall_body_after_bytes` of it).
    pub stall_body_ms: u64,
    /// Send this many bytes of the body, then stop sending: for
    /// `stall_body_ms` if set, else for as long as the client waits.
    pub stall_body_after_bytes: Option<u64>,
    /// Send this many bytes of the body, then close the connection (a
    /// chunked body without its last chunk, or short of its length).
    pub cut_body_after_bytes: Option<u64>,
    /// Handle the request normally first, then replace (or drop) its answer.
    pub after_handling: bool,
}

impl Fault {
    /// What the fault does to the body of the answer it is applied to.
    pub fn body_fault(&self) -> BodyFault {
        let hold = match (self.stall_body_after_bytes, self.stall_body_ms) {
            (None, 0) => None,
            (None, ms) => Some(Hold {
                at: 0,
                ms: Some(ms),
            }),
            (Some(at), 0) => Some(Hold { at, ms: None }),
            (Some(at), ms) => Some(Hold { at, ms: Some(ms) }),
        };
        BodyFault {
            hold,
            cut_at: self.cut_body_after_bytes,
        }
    }
}

/// Where a body stops coming for a while (`ms`) or for good (`None`: the
/// connection stays open, nothing more is sent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hold {
    pub at: u64,
    pub ms: Option<u64>,
}

/// A fault's effect on an answer's body: held back at a byte, or cut
/// (the connection closed) at a byte. The default does nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BodyFault {
    pub hold: Option<Hold>,
    pub cut_at: Option<u64>,
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
