//! Browser test of the RavenDB 3.x API-key exchange
//! (docs/protocol/ravendb-3x.md §11.3): headless Chromium's WebCrypto
//! answers the real challenge of a devserver that allows no anonymous
//! access and knows one API key (started by scripts/test.sh with
//! `--anonymous-access None --api-key ...`).
#![cfg(target_arch = "wasm32")]

use gloo_net::http::{Request, Response};
use raven_backup_studio::auth::oauth3::{classify, ApiKey, Challenge, ExchangeReply};
use raven_backup_studio::auth::webcrypto::answer_challenge;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn server() -> String {
    let url = option_env!("DEVSERVER_AUTH_URL");
    url.expect("DEVSERVER_AUTH_URL is not set at build time: run the browser tests with `make test`, which starts the devservers")
        .to_string()
}

fn typed_key() -> String {
    let key = option_env!("DEVSERVER_AUTH_API_KEY");
    key.expect(
        "DEVSERVER_AUTH_API_KEY is not set at build time: run the browser tests with `make test`",
    )
    .to_string()
}

async fn post_api_key(url: &str, body: &str) -> Response {
    Request::post(url)
        .header("grant_type", "client_credentials")
        .body(body.to_string())
        .unwrap()
        .send()
        .await
        .unwrap()
}

async fn exchange_reply(resp: Response) -> ExchangeReply {
    let status = resp.status();
    let header = resp.headers().get("WWW-Authenticate");
    let body = resp.text().await.unwrap_or_default();
    classify(status, header.as_deref(), &body)
}

/// Step 1: a request with `Has-Api-Key` and no token gets the `412` and,
/// readable cross-origin, where the token endpoint is.
async fn oauth_source(base: &str) -> String {
    let r = Request::get(&format!("{base}/databases"))
        .header("Has-Api-Key", "True")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 412);
    r.headers()
        .get("OAuth-Source")
        .expect("OAuth-Source is exposed to scripts")
}

/// Steps 2–3: a challenge, answered by WebCrypto.
async fn answer_with(source: &str, key: &ApiKey) -> ExchangeReply {
    let first = exchange_reply(post_api_key(source, "").await).await;
    let ExchangeReply::Challenge(challenge) = first else {
        panic!("expected a challenge, got {first:?}");
    };
    let body = answer_challenge(&challenge, key).await.unwrap();
    exchange_reply(post_api_key(source, &body).await).await
}

#[wasm_bindgen_test]
async fn webcrypto_answers_the_real_challenge() {
    let base = server();
    let source = oauth_source(&base).await;
    assert!(source.ends_with("/OAuth/API-Key"), "{source}");
    let key = ApiKey::parse(&typed_key()).unwrap();

    let reply = answer_with(&source, &key).await;
    let ExchangeReply::Token(bearer) = reply else {
        panic!("expected a token, got {reply:?}");
    };
    assert!(!bearer.contains('\n'));

    // The token opens the locked server.
    let who = Request::get(&format!("{base}/debug/user-info"))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(who.status(), 200);
    let v: serde_json::Value = who.json().await.unwrap();
    assert_eq!(v["User"], key.name());
    assert_eq!(v["IsAdminGlobal"], true);
    let list = Request::get(&format!("{base}/databases"))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
}

#[wasm_bindgen_test]
async fn wrong_secret_and_unknown_key_are_told_apart() {
    let base = server();
    let source = oauth_source(&base).await;
    let typed = typed_key();
    let name = ApiKey::parse(&typed).unwrap().name().to_string();

    let wrong = ApiKey::parse(&format!("{name}/not-the-secret")).unwrap();
    assert_eq!(
        answer_with(&source, &wrong).await,
        ExchangeReply::WrongSecret
    );

    let unknown = ApiKey::parse("nobody-has-this-key/whatever").unwrap();
    assert_eq!(
        answer_with(&source, &unknown).await,
        ExchangeReply::UnknownKey
    );
}

#[wasm_bindgen_test]
async fn a_foreign_challenge_is_answered_with_a_new_one() {
    let source = oauth_source(&server()).await;
    let key = ApiKey::parse(&typed_key()).unwrap();
    let first = exchange_reply(post_api_key(&source, "").await).await;
    let ExchangeReply::Challenge(real) = first else {
        panic!("expected a challenge, got {first:?}");
    };
    // Same server key, a challenge this server never made.
    let forged = Challenge {
        challenge: "bm90IGEgY2hhbGxlbmdlIG9mIHRoaXMgc2VydmVy".into(),
        ..real
    };
    let body = answer_challenge(&forged, &key).await.unwrap();
    let reply = exchange_reply(post_api_key(&source, &body).await).await;
    assert!(matches!(reply, ExchangeReply::Challenge(_)), "{reply:?}");
}
