//! File-system content: `GET /fs/{fs}/config` (E18) and the raw files
//! extra (`PUT/GET/DELETE /fs/{fs}/files/{name}`).

use crate::app::Resource;
use crate::http::{self, Ctx, Reply, R};
use crate::store;
use serde_json::{json, Map, Value};

pub fn fs_config(res: &Resource, ctx: &Ctx) -> R {
    let Some(cfg) = &res.config else {
        return Ok(Reply::empty(404));
    };
    match ctx.qget("name") {
        Some(name) => match cfg.get(name) {
            Some(d) => Ok(Reply::json(200, d.data)),
            None => Err(Reply::empty(404)),
        },
        None => Ok(Reply::json(
            200,
            json!(cfg
                .snapshot()
                .iter()
                .map(|d| d.key.clone())
                .collect::<Vec<_>>()),
        )),
    }
}

pub fn fs_files(res: &Resource, ctx: &Ctx, name: &str) -> R {
    use base64::Engine;
    match ctx.method.as_str() {
        "GET" | "HEAD" if name.is_empty() => {
            let files: Vec<Value> = res.store.snapshot().iter()
                .map(|d| json!({"Name": d.key, "TotalSize": d.data["Size"], "LastModified": d.last_modified}))
                .collect();
            Ok(Reply::json(200, Value::Array(files)))
        }
        "GET" | "HEAD" => match res.store.get(name) {
            Some(d) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(d.data["Content"].as_str().unwrap_or(""))
                    .unwrap_or_default();
                Ok(
                    Reply::raw(200, Some("application/octet-stream".into()), bytes)
                        .header("ETag", format!("\"{}\"", d.etag_text())),
                )
            }
            None => Err(Reply::empty(404)),
        },
        "PUT" if !name.is_empty() => {
            let d = res
                .store
                .put(name, store::file_value(&ctx.body), Map::new())
                .map_err(|e| http::io_error(&ctx.url, &e, "Raven.Database.FileSystem.Controllers.FilesController.<Put>d__0.MoveNext()"))?;
            Ok(Reply::empty(201).header("ETag", format!("\"{}\"", d.etag_text())))
        }
        "DELETE" if !name.is_empty() => {
            let _ = res.store.delete(name);
            Ok(Reply::empty(204))
        }
        _ => Ok(Reply::empty(404)),
    }
}
