//! Documents: `GET/PUT/DELETE/HEAD /docs/{id}`, `GET /docs` (E16) and
//! `POST /queries` (E15).

use crate::app::Resource;
use crate::http::{self, Ctx, Reply, R};
use serde_json::{json, Map, Value};

pub fn docs(res: &Resource, ctx: &Ctx, id: &str) -> R {
    let m = ctx.method.as_str();
    if id.is_empty() {
        if m != "GET" && m != "HEAD" {
            return Ok(Reply::empty(404));
        }
        let start: usize = ctx.qget("start").and_then(|s| s.parse().ok()).unwrap_or(0);
        let page: usize = ctx
            .qget("pageSize")
            .and_then(|s| s.parse().ok())
            .unwrap_or(25)
            .min(1024);
        let all = res.store.all_by_etag_desc();
        let items: Vec<Value> = all
            .iter()
            .skip(start)
            .take(page)
            .map(|d| d.with_metadata())
            .collect();
        return Ok(Reply::json(200, Value::Array(items)));
    }
    match m {
        "GET" | "HEAD" => match res.store.get(id) {
            None => Err(Reply::empty(404)),
            Some(d) => {
                let mut r = Reply::json(200, d.data.clone())
                    .header("ETag", format!("\"{}\"", d.etag_text()));
                for (k, v) in &d.metadata {
                    if let Some(s) = v.as_str() {
                        r = r.header(k, s);
                    }
                }
                r = r.header("Last-Modified", d.last_modified.clone());
                r = r.header("Raven-Last-Modified", d.last_modified.clone());
                Ok(r)
            }
        },
        "PUT" => {
            let v: Value = serde_json::from_slice(&ctx.body)
                .map_err(|e| http::bad_json(&ctx.url, &e.to_string()))?;
            let Value::Object(mut obj) = v else {
                return Err(http::bad_json(&ctx.url, "Error reading RavenJObject from JsonReader. Current JsonReader item is not an object."));
            };
            let mut md = match obj.remove("@metadata") {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            };
            for h in ["Raven-Entity-Name", "Raven-Clr-Type"] {
                if let Some(v) = ctx.header(h) {
                    md.insert(h.into(), json!(v));
                }
            }
            for k in [
                "@id",
                "@etag",
                "Last-Modified",
                "Raven-Last-Modified",
                "Non-Authoritative-Information",
            ] {
                md.remove(k);
            }
            if let Some(expected) = ctx.header("if-none-match").or(ctx.header("if-match")) {
                let actual = res.store.get(id).map(|d| d.etag_text());
                let exp = expected.trim_matches('"');
                if actual.as_deref() != Some(exp) {
                    return Err(Reply::json(
                        409,
                        json!({"Url": ctx.url, "ActualETag": actual, "ExpectedETag": exp,
                        "Error": format!("PUT attempted on document '{id}' using a non current etag")}),
                    ));
                }
            }
            let d = res
                .store
                .put(id, Value::Object(obj), md)
                .map_err(|e| http::io_error(&ctx.url, &e, "Raven.Database.Actions.DocumentActions.Put(String key, Etag etag, RavenJObject document, RavenJObject metadata, TransactionInformation transactionInformation)"))?;
            Ok(Reply::json(
                201,
                json!({"Key": d.key, "ETag": d.etag_text()}),
            ))
        }
        "DELETE" => {
            res.store
                .delete(id)
                .map_err(|e| http::io_error(&ctx.url, &e, "Raven.Database.Actions.DocumentActions.Delete(String key, Etag etag, TransactionInformation transactionInformation)"))?;
            Ok(Reply::empty(204))
        }
        _ => Ok(Reply::empty(404)),
    }
}

pub fn queries(res: &Resource, ctx: &Ctx) -> R {
    let v: Value =
        serde_json::from_slice(&ctx.body).map_err(|e| http::bad_json(&ctx.url, &e.to_string()))?;
    let Some(ids) = v.as_array() else {
        return Err(http::bad_json(
            &ctx.url,
            "Error reading RavenJArray from JsonReader. Current JsonReader item is not an array.",
        ));
    };
    let v3 = ctx
        .header("raven-client-version")
        .is_some_and(|v| v.starts_with('3'));
    let mut results = Vec::new();
    for id in ids {
        let Some(id) = id.as_str() else {
            return Err(http::net_error(&ctx.url, "System.InvalidCastException", "Unable to cast object of type 'Raven.Json.Linq.RavenJObject' to type 'Raven.Json.Linq.RavenJValue'.", "Raven.Database.Server.Controllers.QueriesController.<QueriesPost>d__0.MoveNext()"));
        };
        match res.store.get(id) {
            Some(d) => results.push(d.with_metadata()),
            None if v3 => results.push(Value::Null),
            None => {}
        }
    }
    Ok(Reply::json(
        200,
        json!({"Results": results, "Includes": []}),
    ))
}
