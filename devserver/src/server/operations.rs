//! Long-running operations over HTTP: `operation/status|kill` (E7/E8) and
//! the `operations` list (E9).

use crate::app::{lock, App};
use crate::http::{Ctx, Reply, R};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

pub fn operation(app: &App, ctx: &Ctx, scope: &str, kill: bool) -> R {
    let Some(id) = ctx.qget("id").and_then(|s| s.trim().parse::<i64>().ok()) else {
        return Err(Reply::json(
            400,
            json!({"Error": "Query string variable id must be a valid int64"}),
        ));
    };
    let mut ops = lock(&app.ops);
    let Some(op) = u64::try_from(id).ok().and_then(|id| ops.get_mut(scope, id)) else {
        return Err(Reply::empty(404));
    };
    if kill && !op.state.completed {
        op.cancel.store(true, Ordering::SeqCst);
    }
    Ok(Reply::json(200, op.state_json(app.cfg.protocol)))
}

/// E9: the operations of one database (or the system database).
pub fn list(app: &App, scope: &str) -> R {
    let p = app.cfg.protocol;
    let items: Vec<Value> = lock(&app.ops)
        .list(scope)
        .iter()
        .map(|o| o.list_item(p))
        .collect();
    Ok(Reply::json(200, Value::Array(items)))
}
