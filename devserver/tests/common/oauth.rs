//! The client side of the 3.x API-key exchange (docs/protocol/ravendb-3x.md
//! §11.3), written from the protocol alone: it only sees what travels over
//! HTTP, like the HTML5 Studio or a .NET client would.
#![allow(dead_code)]

use super::{Resp, Server};
use aes::Aes256;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use cbc::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
use rand::{rngs::OsRng, RngCore};
use rsa::{BigUint, Oaep, RsaPublicKey};
use sha1::{Digest, Sha1};

/// The three values of a `412` API-key challenge.
#[derive(Clone, Debug)]
pub struct Challenge {
    pub exponent: String,
    pub modulus: String,
    pub challenge: String,
}

/// Reads `WWW-Authenticate: Raven  exponent=..,modulus=..,challenge=..` the
/// way the Studio does: pairs cut at the first `=`, the key being the
/// trailing letters (which also drops the `Raven  ` prefix).
pub fn parse_challenge(header: &str) -> Challenge {
    let mut exponent = None;
    let mut modulus = None;
    let mut challenge = None;
    for part in header.split(',') {
        let (k, v) = part.split_once('=').expect("key=value");
        let key: String = k
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        match key.as_str() {
            "exponent" => exponent = Some(v.to_string()),
            "modulus" => modulus = Some(v.to_string()),
            "challenge" => challenge = Some(v.to_string()),
            other => panic!("unexpected challenge key {other:?} in {header:?}"),
        }
    }
    Challenge {
        exponent: exponent.expect("exponent"),
        modulus: modulus.expect("modulus"),
        challenge: challenge.expect("challenge"),
    }
}

pub const GRANT: (&str, &str) = ("grant_type", "client_credentials");

pub fn post_api_key(s: &Server, body: &str) -> Resp {
    s.req_h("POST", "/OAuth/API-Key", Some(body), &[GRANT])
}

/// Step 2: ask for a challenge (empty body); asserts the `412` and its headers.
pub fn get_challenge(s: &Server) -> Challenge {
    let r = post_api_key(s, "");
    assert_eq!(r.status, 412, "body {}", r.text());
    assert!(r.body.is_empty());
    assert_eq!(
        r.header("Access-Control-Expose-Headers"),
        Some("WWW-Authenticate, OAuth-Source")
    );
    let h = r.header("WWW-Authenticate").expect("WWW-Authenticate");
    assert!(h.starts_with("Raven  exponent="), "{h}");
    parse_challenge(h)
}

/// Step 3: `exponent=..,modulus=..,data=base64(RSA-OAEP(key‖iv) ‖ AES-256-CBC(inner))`.
pub fn answer(c: &Challenge, name: &str, secret: &str) -> String {
    let response = B64.encode(Sha1::digest(format!("{};{secret}", c.challenge).as_bytes()));
    let inner = format!(
        "api key name={name},challenge={},response={response}",
        c.challenge
    );
    let mut key = [0u8; 32];
    let mut iv = [0u8; 16];
    OsRng.fill_bytes(&mut key);
    OsRng.fill_bytes(&mut iv);
    let n = BigUint::from_bytes_be(&B64.decode(&c.modulus).unwrap());
    let e = BigUint::from_bytes_be(&B64.decode(&c.exponent).unwrap());
    let public = RsaPublicKey::new(n, e).unwrap();
    let mut key_iv = key.to_vec();
    key_iv.extend_from_slice(&iv);
    let mut data = public
        .encrypt(&mut OsRng, Oaep::new::<Sha1>(), &key_iv)
        .unwrap();
    data.extend(
        cbc::Encryptor::<Aes256>::new(&key.into(), &iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(inner.as_bytes()),
    );
    format!(
        "exponent={},modulus={},data={}",
        c.exponent,
        c.modulus,
        B64.encode(data)
    )
}

/// The whole exchange; returns the `Authorization` header value
/// (`Bearer <the token body, line breaks removed>`).
pub fn sign_in(s: &Server, name: &str, secret: &str) -> String {
    let c = get_challenge(s);
    let r = post_api_key(s, &answer(&c, name, secret));
    assert_eq!(r.status, 200, "body {}", r.text());
    format!("Bearer {}", r.text().replace(['\r', '\n'], ""))
}
