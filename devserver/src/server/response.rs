//! Turning a handler's `Reply` into the hyper response: content type,
//! RavenDB headers, CORS, and a body that a fault may hold back or cut.

use super::cors::cors_headers;
use crate::app::App;
use crate::config::Protocol;
use crate::faults::{BodyFault, Hold};
use crate::http::{BodyKind, Reply, JSON_CT, TEXT_CT};
use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::Response;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// How long the bytes before a cut are given to leave before the
/// connection is closed.
const CUT_LINGER: Duration = Duration::from_millis(100);

/// A response body sent in one piece (or a streamed answer's chunks), as a
/// fault may spoil it: held back at a byte for a while or for good after
/// the status line and headers went out (`stallBodyMs`,
/// `stallBodyAfterBytes`: a server or proxy that stalls the body), or cut
/// at a byte, the connection closed (`cutBodyAfterBytes`).
pub struct ReplyBody {
    /// The pieces still to send (one, or a streamed answer's chunks).
    data: std::collections::VecDeque<Bytes>,
    /// A streamed answer: no length is known up front (chunked encoding).
    streamed: bool,
    /// The body's length (for the `Content-Length` of an answer that is
    /// not streamed, even when a cut keeps it short of it).
    length: u64,
    /// Bytes sent so far.
    sent: u64,
    /// The hold still to come, and its timer once it started.
    hold: Option<Hold>,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    cut_at: Option<u64>,
}

impl ReplyBody {
    fn new(data: Vec<Bytes>, streamed: bool, fault: BodyFault) -> ReplyBody {
        let data: std::collections::VecDeque<Bytes> =
            data.into_iter().filter(|d| !d.is_empty()).collect();
        ReplyBody {
            length: data.iter().map(|d| d.len() as u64).sum(),
            data,
            streamed,
            sent: 0,
            hold: fault.hold,
            timer: None,
            cut_at: fault.cut_at,
        }
    }
}

impl hyper::body::Body for ReplyBody {
    type Data = Bytes;
    type Error = Dropped;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Dropped>>> {
        let this = &mut *self;
        if let Some(hold) = this.hold.filter(|h| this.sent >= h.at) {
            let Some(ms) = hold.ms else {
                // For good: nothing more is sent; hyper ends the
                // connection (and drops this body) when the client closes.
                return Poll::Pending;
            };
            let timer = this
                .timer
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(Duration::from_millis(ms))));
            if timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.hold = None;
            this.timer = None;
        }
        if this.cut_at.is_some_and(|at| this.sent >= at) && !this.data.is_empty() {
            // hyper drops what it has not written yet when a body fails,
            // so the bytes before the cut get a moment to leave first.
            let linger = this
                .timer
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(CUT_LINGER)));
            if linger.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            // hyper closes the connection: no last chunk, or short of the length.
            return Poll::Ready(Some(Err(Dropped)));
        }
        let Some(mut piece) = this.data.pop_front() else {
            return Poll::Ready(None);
        };
        // Send only up to the next byte where a hold or a cut begins.
        let next_stop = [this.hold.map(|h| h.at), this.cut_at]
            .into_iter()
            .flatten()
            .filter(|at| *at > this.sent)
            .min();
        if let Some(stop) = next_stop {
            let room = (stop - this.sent) as usize;
            if piece.len() > room {
                this.data.push_front(piece.split_off(room));
            }
        }
        this.sent += piece.len() as u64;
        Poll::Ready(Some(Ok(hyper::body::Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.hold.is_none() && self.data.is_empty()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        if self.streamed {
            return hyper::body::SizeHint::default();
        }
        hyper::body::SizeHint::with_exact(self.length.saturating_sub(self.sent))
    }
}

/// Returned by the service to make hyper close the connection with no response.
#[derive(Debug)]
pub struct Dropped;
impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}
impl std::error::Error for Dropped {}

pub fn build_version(app: &App) -> (&'static str, &'static str) {
    match app.cfg.protocol {
        Protocol::V30 => ("3.0.0 / 6dce79a", "30185"),
        Protocol::V35 => ("3.5.10 / 2ba8d8e", "35288"),
    }
}

pub fn finish(
    app: &App,
    req_headers: &HeaderMap,
    method: &str,
    reply: Reply,
    started: Instant,
    body_fault: BodyFault,
) -> Response<ReplyBody> {
    let streamed = matches!(reply.body, BodyKind::Chunked { .. });
    let (ct, pieces): (Option<String>, Vec<Bytes>) = match reply.body {
        BodyKind::Json(v) => (
            Some(JSON_CT.into()),
            vec![Bytes::from(serde_json::to_vec(&v).unwrap_or_default())],
        ),
        BodyKind::Empty => (Some(JSON_CT.into()), Vec::new()),
        BodyKind::Text(s) => (Some(TEXT_CT.into()), vec![Bytes::from(s)]),
        BodyKind::Raw {
            content_type,
            bytes,
        } => (content_type, vec![bytes]),
        BodyKind::Chunked {
            content_type,
            chunks,
        } => (Some(content_type), chunks),
    };
    let body = if method == "HEAD" { Vec::new() } else { pieces };
    let mut resp = Response::new(ReplyBody::new(body, streamed, body_fault));
    *resp.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    if let Some(ct) = ct {
        if let Ok(v) = HeaderValue::from_str(&ct) {
            h.insert(hyper::header::CONTENT_TYPE, v);
        }
    }
    let mut extra = reply.headers;
    extra.push(("Raven-Server-Build".into(), build_version(app).1.into()));
    extra.push((
        "Temp-Request-Time".into(),
        started.elapsed().as_millis().to_string(),
    ));
    extra.extend(cors_headers(app, req_headers, method == "OPTIONS"));
    for (k, v) in extra {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            h.append(k, v);
        }
    }
    resp
}
