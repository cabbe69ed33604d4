//! `GET /databases/{db}/streams/docs` (and `/streams/docs` on the system
//! database), as 3.0 and 3.5's StreamsController answer it: every
//! document in one chunked answer, `{"Results":[doc\r\n,doc\r\n…],
//! "NextPageStart":n}` (docs/protocol/ravendb-3x.md §16.5).

use crate::app::Resource;
use crate::http::{self, Ctx, Reply, R};
use crate::store::Doc;
use bytes::Bytes;

/// 3.x writes through a 64 KB buffered stream: each flush is a chunk.
const CHUNK: usize = 64 * 1024;

/// The stream's content type (`application/json; charset=utf-8`).
pub const STREAM_CT: &str = "application/json; charset=utf-8";

/// A 3.x etag (`01000000-0000-0001-0000-00000000002A`) as the devserver's
/// number; `None` when it is not 32 hex digits.
fn parse_etag(text: &str) -> Option<u64> {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 {
        return None;
    }
    let n = u128::from_str_radix(&hex, 16).ok()?;
    Some((n & 0xFFFF_FFFF_FFFF) as u64)
}

/// 3.x's `matches`: `|`-separated patterns with `*` and `?`, compared
/// case-insensitively with the part of the id after `startsWith`.
fn wildcard(pattern: &[char], text: &[char]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some('*'), _) => {
            wildcard(&pattern[1..], text) || (!text.is_empty() && wildcard(pattern, &text[1..]))
        }
        (Some('?'), Some(_)) => wildcard(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p.eq_ignore_ascii_case(t) => wildcard(&pattern[1..], &text[1..]),
        _ => false,
    }
}

fn matches_any(patterns: &str, rest: &str) -> bool {
    let text: Vec<char> = rest.chars().collect();
    patterns
        .split('|')
        .filter(|p| !p.is_empty())
        .any(|p| wildcard(&p.chars().collect::<Vec<_>>(), &text))
}

/// The documents the query asks for, in 3.x's order: newest first from
/// `start` (no etag), or after `etag` oldest first, or by id with
/// `startsWith` (and `matches`, `skipAfter`).
fn select(res: &Resource, ctx: &Ctx) -> Result<Vec<Doc>, Reply> {
    let start: usize = ctx
        .qget("start")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0)
        .max(0) as usize;
    // No `pageSize`: no limit (int.MaxValue); a negative one: none.
    let page: usize = match ctx.qget("pageSize").filter(|s| !s.is_empty()) {
        None => usize::MAX,
        Some(s) => s.parse::<i64>().unwrap_or(25).max(0) as usize,
    };
    let etag = match ctx.qget("etag").filter(|s| !s.is_empty()) {
        None => None,
        Some(t) => Some(parse_etag(t).ok_or_else(|| {
            http::net_error(
                &ctx.url,
                "System.ArgumentException",
                &format!("Could not parse etag: {t}"),
                "Raven.Abstractions.Data.Etag.Parse(String str)",
            )
        })?),
    };
    let starts_with = ctx.qget("startsWith").filter(|s| !s.is_empty());
    let docs = res.store.all_by_etag_desc();
    Ok(match starts_with {
        Some(prefix) => {
            let lower = prefix.to_lowercase();
            let skip_after = ctx.qget("skipAfter").map(str::to_lowercase);
            let patterns = ctx.qget("matches").filter(|s| !s.is_empty());
            let mut by_id: Vec<Doc> = docs
                .into_iter()
                .filter(|d| d.key.to_lowercase().starts_with(&lower))
                .filter(|d| {
                    skip_after
                        .as_ref()
                        .is_none_or(|s| d.key.to_lowercase().as_str() > s.as_str())
                })
                .filter(|d| {
                    patterns.is_none_or(|p| matches_any(p, d.key.get(prefix.len()..).unwrap_or("")))
                })
                .collect();
            by_id.sort_by_key(|d| d.key.to_lowercase());
            by_id.into_iter().skip(start).take(page).collect()
        }
        None => match etag {
            Some(after) => {
                let mut v: Vec<Doc> = docs.into_iter().filter(|d| d.etag > after).collect();
                v.reverse();
                v.into_iter().take(page).collect()
            }
            None => docs.into_iter().skip(start).take(page).collect(),
        },
    })
}

/// The answer's bytes, cut into chunks of at most [`CHUNK`] bytes the way
/// a buffered writer flushes them.
pub fn stream_bytes(docs: &[Doc]) -> Vec<Bytes> {
    let mut chunks = Vec::new();
    let mut buf: Vec<u8> = b"{\"Results\":[".to_vec();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend(serde_json::to_vec(&d.with_metadata()).unwrap_or_default());
        buf.extend(b"\r\n");
        while buf.len() >= CHUNK {
            let rest = buf.split_off(CHUNK);
            chunks.push(Bytes::from(std::mem::replace(&mut buf, rest)));
        }
    }
    // `NextPageStart` is only advanced by a `startsWith` read that skipped
    // documents; the devserver skips none.
    buf.extend(b"],\"NextPageStart\":0}");
    chunks.push(Bytes::from(buf));
    chunks
}

pub fn docs(res: &Resource, ctx: &Ctx) -> R {
    if ctx.method == "HEAD" {
        return Ok(Reply::empty(200));
    }
    let docs = select(res, ctx)?;
    Ok(Reply::chunked(200, STREAM_CT, stream_bytes(&docs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_and_wildcards() {
        assert_eq!(parse_etag("01000000-0000-0001-0000-00000000002A"), Some(42));
        assert_eq!(parse_etag("nonsense"), None);
        assert!(matches_any("1*|2?", "17"));
        assert!(matches_any("1*|2?", "23"));
        assert!(!matches_any("1*|2?", "234"));
        assert!(matches_any("*", ""));
    }
}
