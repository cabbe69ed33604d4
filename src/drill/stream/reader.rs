//! The thin browser reader of a document stream: one
//! `GET /databases/{db}/streams/docs` through `api::http::open` (the
//! signed-in key's token, renewed once, the status checked, and the
//! sign-in and connection states told, as for every request), its body
//! read chunk by chunk from the `ReadableStream` into a
//! [`ResultsSplitter`], each document handed on and dropped. A stream
//! that stops sending for its idle limit ([`IDLE_MS`] in the dashboard) is
//! cut and reported, as is one whose connection broke: what happened and
//! what to do, never a short count; leaving the page (dropping the future)
//! aborts the fetch.

use super::{stopped_words, ResultsSplitter, Stopped, StreamError};
use crate::api::{http, ApiError};
use gloo_net::http::Method;
use serde_json::Value;
use wasm_bindgen::JsCast;

pub use super::IDLE_MS;

/// Why reading stopped.
#[derive(Debug, Clone)]
pub enum ReadError {
    /// The server refused or failed the request (its words).
    Api(ApiError),
    /// The answer's bytes stopped or were not the stream's shape.
    Stream(String),
    /// The caller stopped (its own reason).
    Stopped(String),
}

/// Reads every document of `database`'s stream, handing each to `each`
/// (which may stop the read with its reason), waiting at most `idle_ms`
/// for the headers and for each next chunk. Gives the number read; a
/// stream that ends before its closing `]}`, breaks or stalls is an
/// error, never a short count.
pub async fn read_documents(
    base: &str,
    database: &str,
    idle_ms: u32,
    mut each: impl FnMut(Value) -> Result<(), String>,
) -> Result<u64, ReadError> {
    let url = format!(
        "{}/databases/{}/streams/docs",
        base.trim_end_matches('/'),
        crate::url::percent_encode(database)
    );
    let mut answer = http::open(Method::GET, &url, None, idle_ms)
        .await
        .map_err(ReadError::Api)?;
    let body = answer
        .body()
        .ok_or_else(|| ReadError::Stream("the server's answer has no body.".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| ReadError::Stream("this browser cannot read an answer as a stream.".into()))?;
    let mut splitter = ResultsSplitter::new();
    loop {
        let chunk = match http::within(wasm_bindgen_futures::JsFuture::from(reader.read()), idle_ms)
            .await
        {
            Some(Ok(chunk)) => chunk,
            Some(Err(e)) => {
                // Gone, or only this answer cut: the connection state learns which.
                let gone = answer.broke().await;
                let reason = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .or_else(|| e.as_string())
                    .unwrap_or_else(|| "no reason given".into());
                let how = Stopped::Cut { gone, reason };
                return Err(stopped(&how, &splitter));
            }
            None => {
                // Aborted now; the connection state hears "too slow".
                answer.stalled(idle_ms);
                return Err(stopped(&Stopped::Stalled { idle_ms }, &splitter));
            }
        };
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let bytes = js_sys::Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
            .map(|a| a.to_vec())
            .unwrap_or_default();
        let documents = splitter
            .feed(&bytes)
            .map_err(|e| ReadError::Stream(e.to_string()))?;
        drop(bytes);
        for document in documents {
            each(document).map_err(ReadError::Stopped)?;
        }
    }
    splitter.finish().map_err(|e| match e {
        StreamError::Truncated { .. } => stopped(&Stopped::EndedEarly, &splitter),
        malformed => ReadError::Stream(malformed.to_string()),
    })
}

/// A stream that stopped before its end, in words.
fn stopped(how: &Stopped, splitter: &ResultsSplitter) -> ReadError {
    ReadError::Stream(stopped_words(how, splitter.documents(), splitter.bytes()))
}
