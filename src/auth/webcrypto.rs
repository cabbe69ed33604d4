//! The crypto of the 3.x API-key answer on the browser's own WebCrypto
//! (docs/protocol/ravendb-3x.md §11.3, §11.6): SHA-1, RSA-OAEP (SHA-1)
//! imported from the challenge's modulus and exponent as a JWK, and
//! AES-256-CBC under a fresh random key. No crypto is written here.

use super::oauth3::{answer_body, inner_text, response_from_digest, ApiKey, Challenge};
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesCbcParams, CryptoKey, RsaOaepParams, SubtleCrypto};

/// Why the browser could not build the answer (its own words included).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("This browser offers no WebCrypto here (it needs a secure page: https, or http on localhost).")]
    Unavailable,
    #[error("The browser's WebCrypto refused to {step}: {message}")]
    Failed { step: &'static str, message: String },
    #[error("{0}")]
    Answer(#[from] super::oauth3::ChallengeError),
}

fn failed(step: &'static str) -> impl Fn(JsValue) -> CryptoError {
    move |e: JsValue| CryptoError::Failed {
        step,
        message: e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "no reason given".into()),
    }
}

async fn await_bytes(
    p: Result<js_sys::Promise, JsValue>,
    step: &'static str,
) -> Result<Vec<u8>, CryptoError> {
    let buf = JsFuture::from(p.map_err(failed(step))?)
        .await
        .map_err(failed(step))?;
    let buf: ArrayBuffer = buf.dyn_into().map_err(failed(step))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

async fn await_key(
    p: Result<js_sys::Promise, JsValue>,
    step: &'static str,
) -> Result<CryptoKey, CryptoError> {
    JsFuture::from(p.map_err(failed(step))?)
        .await
        .map_err(failed(step))?
        .dyn_into()
        .map_err(failed(step))
}

fn object(pairs: &[(&str, JsValue)]) -> Result<Object, CryptoError> {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).map_err(failed("build a key description"))?;
    }
    Ok(o)
}

fn crypto() -> Result<web_sys::Crypto, CryptoError> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or(CryptoError::Unavailable)
}

/// Builds the body that answers `challenge` with `key`:
/// `exponent=..,modulus=..,data=base64(RSA-OAEP(aesKey ‖ iv) ‖ AES-CBC(inner))`.
pub async fn answer_challenge(challenge: &Challenge, key: &ApiKey) -> Result<String, CryptoError> {
    let crypto = crypto()?;
    let subtle: SubtleCrypto = crypto.subtle();

    // response = base64(SHA-1(challenge;secret))
    let mut input = key.response_input(challenge).into_bytes();
    let digest = await_bytes(
        subtle.digest_with_str_and_u8_array("SHA-1", &input),
        "hash the challenge",
    )
    .await;
    input.fill(0);
    let response = response_from_digest(&digest?);
    let mut inner = inner_text(key, challenge, &response).into_bytes();

    // A fresh AES-256 key and IV: 48 random bytes.
    let mut key_iv = [0u8; 48];
    crypto
        .get_random_values_with_u8_array(&mut key_iv)
        .map_err(failed("draw random bytes"))?;

    // RSA-OAEP (SHA-1) public key from the challenge, as a JWK.
    let jwk = object(&[
        ("kty", "RSA".into()),
        ("n", challenge.jwk_n()?.into()),
        ("e", challenge.jwk_e()?.into()),
        ("alg", "RSA-OAEP".into()),
        ("ext", true.into()),
    ])?;
    let rsa_alg = object(&[("name", "RSA-OAEP".into()), ("hash", "SHA-1".into())])?;
    let encrypt_only = Array::of1(&"encrypt".into());
    let rsa_key = await_key(
        subtle.import_key_with_object("jwk", &jwk, &rsa_alg, false, &encrypt_only),
        "import the server's RSA key",
    )
    .await?;
    let rsa_part = await_bytes(
        subtle.encrypt_with_object_and_u8_array(&RsaOaepParams::new("RSA-OAEP"), &rsa_key, &key_iv),
        "encrypt with RSA-OAEP",
    )
    .await?;

    // AES-256-CBC (PKCS#7 padding is WebCrypto's) of the inner text.
    let (aes_raw, iv) = key_iv.split_at(32);
    let aes_key = await_key(
        subtle.import_key_with_str(
            "raw",
            &Uint8Array::from(aes_raw),
            "AES-CBC",
            false,
            &encrypt_only,
        ),
        "import the AES key",
    )
    .await?;
    let params = AesCbcParams::new_with_u8_array("AES-CBC", &Uint8Array::from(iv));
    let aes_part = await_bytes(
        subtle.encrypt_with_object_and_u8_array(&params, &aes_key, &inner),
        "encrypt with AES-CBC",
    )
    .await;
    inner.fill(0);
    key_iv.fill(0);
    Ok(answer_body(challenge, &rsa_part, &aes_part?)?)
}
