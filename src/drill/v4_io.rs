//! The drill's browser call on RavenDB 4.x and later: the hard delete of
//! the scratch database, waited for until the server no longer knows it
//! (docs/protocol/ravendb-4x.md#drill-delete).

use super::v4::{delete_body, read_delete_answer, GONE_LOOK_EVERY_MS, GONE_WAIT_MS};
use crate::api::{client::Client, http, ApiError};
use crate::present::error::in_one_line;
use gloo_net::http::Method;

/// Each request's own time limit.
const TIMEOUT_MS: u32 = 30_000;

/// True while `GET /databases` lists the database (case-insensitively,
/// as RavenDB names compare). Read from the list rather than from
/// `GET /admin/databases?name=`, whose 404 for a missing database every
/// browser prints on its console as a failed load.
async fn exists(client: &Client, name: &str) -> Result<bool, ApiError> {
    let list = client.list_databases().await?;
    Ok(crate::forms::restore::taken_name(list.iter().map(|d| d.name.as_str()), name).is_some())
}

/// Hard-deletes `name` (`DELETE /admin/databases`) and waits until the
/// server no longer has it. `Ok(false)`: there was no such database (4.1
/// accepts a delete of an unknown name, so this is asked first). The
/// error is in the server's words where it gave some.
pub async fn hard_delete(client: &Client, name: &str) -> Result<bool, String> {
    let words = |e: ApiError| in_one_line(&e);
    if !exists(client, name).await.map_err(words)? {
        return Ok(false);
    }
    let url = format!("{}/admin/databases", client.base());
    let raw = http::send(
        Method::DELETE,
        &url,
        Some(delete_body(name).to_string()),
        TIMEOUT_MS,
    )
    .await
    .map_err(words)?;
    read_delete_answer(&raw.body)?;
    let since = js_sys::Date::now();
    loop {
        if !exists(client, name).await.map_err(words)? {
            return Ok(true);
        }
        if js_sys::Date::now() - since > GONE_WAIT_MS {
            return Err(format!(
                "the server accepted the delete of {name} but still had it {} s later.",
                GONE_WAIT_MS / 1000.0
            ));
        }
        gloo_timers::future::TimeoutFuture::new(GONE_LOOK_EVERY_MS).await;
    }
}
