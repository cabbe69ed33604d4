//! Authentication over HTTP (docs/protocol/ravendb-3x.md §11): who a
//! request comes from (single-use token, OAuth bearer token or anonymous),
//! every refusal with its exact body and headers, `POST /OAuth/API-Key`
//! (E21) and `GET /singleAuthToken` (E22).

use crate::app::App;
use crate::auth::crypto::{challenge_response, pair, parse_pairs, TokenError};
use crate::auth::{api_key_doc_id, enabled_key, Principal, SYSTEM_TENANT};
use crate::config::Anonymous;
use crate::http::{self, Ctx, Reply, JSON_CT};
use crate::util;
use serde_json::json;

/// The 3.x limit on an API-key request body.
const MAX_OAUTH_BODY: usize = 1500;
const EXPOSE: &str = "WWW-Authenticate, OAuth-Source";

/// Where this server's token endpoint is, as the request reached it.
fn oauth_source(app: &App, ctx: &Ctx) -> String {
    let host = ctx
        .header("host")
        .map(str::to_string)
        .or_else(|| app.bound.get().map(|a| a.to_string()))
        .unwrap_or_default();
    format!("http://{host}/OAuth/API-Key")
}

/// Does `Raven/AnonymousAccess` let this request through without a user?
pub fn anonymous_allows(app: &App, is_read: bool) -> bool {
    match app.cfg.anonymous {
        Anonymous::Admin => true,
        Anonymous::Get => is_read,
        Anonymous::None => false,
    }
}

/// A bearer-token refusal: empty body, `WWW-Authenticate: Bearer ...`.
fn bearer_challenge(app: &App, ctx: &Ctx, status: u16, error: &str, description: &str) -> Reply {
    Reply::empty(status)
        .header(
            "WWW-Authenticate",
            format!(
                "Bearer realm=\"Raven\", error=\"{error}\",error_description=\"{description}\""
            ),
        )
        .header("OAuth-Source", oauth_source(app, ctx))
        .header("Access-Control-Expose-Headers", EXPOSE)
}

/// The request's authentication stage (§11.1 steps 3–5): `Ok(Some)` an
/// authenticated caller, `Ok(None)` anonymous access, `Err` the refusal.
/// `tenant` is the resource the URL names (`<system>` at the root);
/// `ignore_db` skips the per-database check (the URLs every caller may use).
pub fn authenticate(
    app: &App,
    ctx: &Ctx,
    tenant: &str,
    is_read: bool,
    is_admin_route: bool,
    ignore_db: bool,
) -> Result<Option<Principal>, Reply> {
    let now = util::epoch_ms();
    let single = ctx
        .header("single-use-auth-token")
        .or_else(|| ctx.qget("singleUseAuthToken"))
        .filter(|t| !t.is_empty());
    if let Some(t) = single {
        return app
            .single_use
            .redeem(t, tenant, now, app.cfg.single_use_token_ms)
            .map_err(|e| Reply::json(403, json!({ "Error": e })));
    }
    let allow_anonymous = anonymous_allows(app, is_read);
    let has_api_key = ctx
        .header("has-api-key")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let bearer = ctx
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(str::trim);
    if has_api_key || bearer.is_some() {
        let Some(token) = bearer.filter(|b| !b.is_empty()) else {
            if allow_anonymous {
                return Ok(None);
            }
            let status = if has_api_key { 412 } else { 401 };
            return Err(bearer_challenge(
                app,
                ctx,
                status,
                "invalid_request",
                "The access token is required",
            ));
        };
        let principal = match app
            .oauth_keys
            .check_token(token, now, app.cfg.token_lifetime_ms)
        {
            Ok(p) => p,
            Err(_) if allow_anonymous => return Ok(None),
            Err(TokenError::Invalid) => {
                return Err(bearer_challenge(
                    app,
                    ctx,
                    401,
                    "invalid_token",
                    "The access token is invalid",
                ))
            }
            Err(TokenError::Expired) => {
                return Err(bearer_challenge(
                    app,
                    ctx,
                    401,
                    "invalid_token",
                    "The access token is expired",
                ))
            }
        };
        let write = !is_read;
        if !ignore_db && !principal.can_access(tenant, write) {
            if allow_anonymous {
                return Ok(None);
            }
            let description = if write {
                format!("Not authorized for read/write access for tenant {tenant}")
            } else {
                format!("Not authorized for tenant {tenant}")
            };
            return Err(bearer_challenge(
                app,
                ctx,
                403,
                "insufficient_scope",
                &description,
            ));
        }
        return Ok(Some(principal));
    }
    // Windows authentication: nobody here can negotiate it.
    if allow_anonymous {
        return Ok(None);
    }
    if is_admin_route {
        return Err(http::admin_only(&ctx.path, true));
    }
    Err(Reply::empty(401)
        .header("Raven-Required-Auth", "Windows")
        .header("OAuth-Source", oauth_source(app, ctx)))
}

/// The admin gate (§2.6) after authentication: anonymous access that
/// allows it, a server administrator, or an administrator of `tenant`.
pub fn admin_gate(
    app: &App,
    ctx: &Ctx,
    who: Option<&Principal>,
    tenant: &str,
    is_read: bool,
) -> Result<(), Reply> {
    if anonymous_allows(app, is_read) {
        return Ok(());
    }
    match who {
        None => Err(http::admin_only(&ctx.path, true)),
        Some(p) if p.is_global_admin() || p.is_admin_of(tenant) => Ok(()),
        Some(_) => Err(http::admin_only(&ctx.path, false)),
    }
}

/// A `412` API-key challenge: `WWW-Authenticate: Raven  exponent=..,modulus=..,challenge=..`.
fn key_challenge(app: &App) -> Reply {
    let (exponent, modulus) = match app.oauth_keys.public_b64() {
        Ok(k) => k,
        Err(e) => {
            return http::net_error(
                "/OAuth/API-Key",
                "System.Security.Cryptography.CryptographicException",
                &e,
                "Raven.Database.Server.Security.OAuth.OAuthServerHelper..cctor()",
            )
        }
    };
    let challenge = app.oauth_keys.seal_challenge(util::epoch_ms());
    Reply::empty(412)
        .header(
            "WWW-Authenticate",
            format!("Raven  exponent={exponent},modulus={modulus},challenge={challenge}"),
        )
        .header("Access-Control-Expose-Headers", EXPOSE)
}

fn unauthorized_client(description: &str) -> Reply {
    Reply::json(
        401,
        json!({"error": "unauthorized_client", "error_description": description}),
    )
}

/// E21: `POST /OAuth/API-Key`, both steps of the exchange (§11.3 steps 2–4).
pub fn api_key(app: &App, ctx: &Ctx) -> Reply {
    if ctx.body.len() > MAX_OAUTH_BODY {
        return Reply::json(
            400,
            json!({"error": "invalid_request", "error_description": format!("Content length should not be over {MAX_OAUTH_BODY} bytes")}),
        );
    }
    if ctx.header("grant_type").map(str::trim) != Some("client_credentials") {
        return Reply::json(
            400,
            json!({"error": "unsupported_grant_type", "error_description": "Only supported grant_type is client_credentials"}),
        );
    }
    if ctx.body.is_empty() {
        return key_challenge(app);
    }
    let Ok(text) = std::str::from_utf8(&ctx.body) else {
        return key_challenge(app);
    };
    let outer = parse_pairs(text);
    let Ok((exponent, modulus)) = app.oauth_keys.public_b64() else {
        return key_challenge(app);
    };
    if pair(&outer, "exponent") != Some(exponent.as_str())
        || pair(&outer, "modulus") != Some(modulus.as_str())
    {
        return key_challenge(app);
    }
    let Some(inner) = pair(&outer, "data").and_then(|d| app.oauth_keys.open_client_data(d)) else {
        return key_challenge(app);
    };
    let inner = parse_pairs(&inner);
    let (Some(name), Some(challenge), Some(response)) = (
        pair(&inner, "api key name"),
        pair(&inner, "challenge"),
        pair(&inner, "response"),
    ) else {
        return key_challenge(app);
    };
    let now = util::epoch_ms();
    match app.oauth_keys.open_challenge(challenge) {
        Some(made) if made <= now && now - made <= app.cfg.challenge_max_age_ms => {}
        _ => return key_challenge(app),
    }
    let Some((secret, databases)) = app
        .system
        .store
        .get(&api_key_doc_id(name))
        .and_then(|d| enabled_key(&d.data))
    else {
        return unauthorized_client("Unknown API Key");
    };
    if response != challenge_response(challenge, &secret) {
        return unauthorized_client("Invalid challenge response");
    }
    match app.oauth_keys.issue_token(name, &databases, now) {
        Ok(token) => Reply::raw(200, Some(JSON_CT.into()), token),
        Err(e) => http::net_error(
            "/OAuth/API-Key",
            "System.Security.Cryptography.CryptographicException",
            &e,
            "Raven.Abstractions.OAuth.AccessToken.Create()",
        ),
    }
}

/// E22: `GET /singleAuthToken` (§11.4), for the resource the URL names.
pub fn single_auth_token(app: &App, ctx: &Ctx, who: Option<Principal>, tenant: &str) -> Reply {
    let check_admin = http::parse_bool(ctx.qget("CheckIfMachineAdmin")).unwrap_or(false);
    if check_admin
        && tenant == SYSTEM_TENANT
        && app.cfg.anonymous != Anonymous::Admin
        && !who.as_ref().is_some_and(Principal::is_global_admin)
    {
        return Reply::json(401, json!({"Reason": "User is null or not authenticated"}));
    }
    let token = app
        .single_use
        .issue(who, tenant, util::epoch_ms(), app.cfg.single_use_token_ms);
    Reply::json(200, json!({ "Token": token })).header("Cache-Control", "no-cache")
}
