//! The server's half of the 3.x API-key exchange
//! (docs/protocol/ravendb-3x.md §11.3, §11.6): its RSA key, sealed
//! challenges, opening the client's encrypted answer, and signed tokens.

use super::{DbAccess, Principal};
use aes::Aes256;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use rand::{rngs::OsRng, RngCore};
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};
use std::sync::OnceLock;

type AesEnc = cbc::Encryptor<Aes256>;
type AesDec = cbc::Decryptor<Aes256>;

/// The size of .NET's default `RSACryptoServiceProvider` key (§11.6).
pub const RSA_BITS: usize = 1024;
/// Milliseconds from .NET's `DateTime.MinValue` (0001-01-01) to 1970-01-01.
pub const DOTNET_EPOCH_OFFSET_MS: u64 = 62_135_596_800_000;

const TIMESTAMP_KEY: &str = "ChallengeTimestamp";
const SALT_KEY: &str = "ChallengeSalt";

/// The server's keys: an RSA pair made on first use (the exchange is
/// rarely needed, and tests start many servers) and a symmetric key that
/// seals the challenges, so they need no server-side memory.
pub struct ServerKeys {
    rsa: OnceLock<Result<RsaPrivateKey, String>>,
    sym: [u8; 32],
}

impl Default for ServerKeys {
    fn default() -> Self {
        let mut sym = [0u8; 32];
        OsRng.fill_bytes(&mut sym);
        ServerKeys {
            rsa: OnceLock::new(),
            sym,
        }
    }
}

/// The signed part of a token, fields in the 3.x declaration order.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct AccessTokenBody<'a> {
    user_id: &'a str,
    authorized_databases: &'a [DbAccess],
    issued: f64,
}

/// Why a bearer token was refused (§11.3 step 5).
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Invalid,
    Expired,
}

/// `OAuthHelper.ParseDictionary`: comma-separated `key=value` pairs, each
/// cut at its first `=` (base64 values hold `=`).
pub fn parse_pairs(s: &str) -> Vec<(String, String)> {
    s.split(',')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

pub fn pair<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// `base64(SHA1(UTF8(challenge + ";" + secret)))`, what a client answers.
pub fn challenge_response(challenge: &str, secret: &str) -> String {
    B64.encode(Sha1::digest(format!("{challenge};{secret}").as_bytes()))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    OsRng.fill_bytes(&mut b);
    b
}

impl ServerKeys {
    fn rsa(&self) -> Result<&RsaPrivateKey, String> {
        self.rsa
            .get_or_init(|| RsaPrivateKey::new(&mut OsRng, RSA_BITS).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// `(exponent, modulus)`, each base64 of its big-endian bytes.
    pub fn public_b64(&self) -> Result<(String, String), String> {
        let k = self.rsa()?;
        Ok((
            B64.encode(k.e().to_bytes_be()),
            B64.encode(k.n().to_bytes_be()),
        ))
    }

    /// A fresh opaque challenge: the time it was made and a salt, sealed
    /// with AES-256-CBC under the server's own key (`base64(iv ‖ cipher)`).
    pub fn seal_challenge(&self, now_ms: u64) -> String {
        let salt = B64.encode(random_bytes::<16>());
        let plain = format!("{TIMESTAMP_KEY}={now_ms},{SALT_KEY}={salt}");
        let iv = random_bytes::<16>();
        let ct = AesEnc::new(&self.sym.into(), &iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plain.as_bytes());
        let mut out = iv.to_vec();
        out.extend_from_slice(&ct);
        B64.encode(out)
    }

    /// The time a challenge of this server was made, or `None` when it is
    /// not one of ours.
    pub fn open_challenge(&self, challenge: &str) -> Option<u64> {
        let raw = B64.decode(challenge).ok()?;
        if raw.len() < 32 {
            return None;
        }
        let (iv, ct) = raw.split_at(16);
        let plain = AesDec::new_from_slices(&self.sym, iv)
            .ok()?
            .decrypt_padded_vec_mut::<Pkcs7>(ct)
            .ok()?;
        let text = String::from_utf8(plain).ok()?;
        pair(&parse_pairs(&text), TIMESTAMP_KEY)?.parse().ok()
    }

    /// Opens the client's `data`: `base64(RSA-OAEP(key ‖ iv) ‖ AES-256-CBC(text))`,
    /// the RSA part as long as the modulus.
    pub fn open_client_data(&self, data: &str) -> Option<String> {
        let k = self.rsa().ok()?;
        let raw = B64.decode(data).ok()?;
        let rsa_len = k.size();
        if raw.len() <= rsa_len {
            return None;
        }
        let (rsa_part, aes_part) = raw.split_at(rsa_len);
        let key_iv = k.decrypt(Oaep::new::<Sha1>(), rsa_part).ok()?;
        if key_iv.len() != 48 {
            return None;
        }
        let (key, iv) = key_iv.split_at(32);
        let plain = AesDec::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded_vec_mut::<Pkcs7>(aes_part)
            .ok()?;
        String::from_utf8(plain).ok()
    }

    /// The token answer: `{"Body":"<AccessTokenBody JSON>","Signature":"<b64 RSA-SHA1>"}`,
    /// indented like the 3.x server writes it (clients remove the line breaks).
    pub fn issue_token(&self, user: &str, dbs: &[DbAccess], now_ms: u64) -> Result<String, String> {
        let body = serde_json::to_string(&AccessTokenBody {
            user_id: user,
            authorized_databases: dbs,
            issued: (now_ms + DOTNET_EPOCH_OFFSET_MS) as f64,
        })
        .map_err(|e| e.to_string())?;
        let sig = self
            .rsa()?
            .sign(Pkcs1v15Sign::new::<Sha1>(), &Sha1::digest(body.as_bytes()))
            .map_err(|e| e.to_string())?;
        serde_json::to_string_pretty(&json!({"Body": body, "Signature": B64.encode(sig)}))
            .map_err(|e| e.to_string())
    }

    /// Checks an `Authorization: Bearer` value: signed by this server, then
    /// not older than `lifetime_ms`.
    pub fn check_token(
        &self,
        bearer: &str,
        now_ms: u64,
        lifetime_ms: u64,
    ) -> Result<Principal, TokenError> {
        let token: Value = serde_json::from_str(bearer).map_err(|_| TokenError::Invalid)?;
        let body = token
            .get("Body")
            .and_then(Value::as_str)
            .ok_or(TokenError::Invalid)?;
        let sig = token
            .get("Signature")
            .and_then(Value::as_str)
            .and_then(|s| B64.decode(s).ok())
            .ok_or(TokenError::Invalid)?;
        let k = self.rsa().map_err(|_| TokenError::Invalid)?;
        k.to_public_key()
            .verify(
                Pkcs1v15Sign::new::<Sha1>(),
                &Sha1::digest(body.as_bytes()),
                &sig,
            )
            .map_err(|_| TokenError::Invalid)?;
        let b: Value = serde_json::from_str(body).map_err(|_| TokenError::Invalid)?;
        let issued = b
            .get("Issued")
            .and_then(Value::as_f64)
            .ok_or(TokenError::Invalid)?;
        let now = (now_ms + DOTNET_EPOCH_OFFSET_MS) as f64;
        if now - issued > lifetime_ms as f64 {
            return Err(TokenError::Expired);
        }
        let user = b
            .get("UserId")
            .and_then(Value::as_str)
            .ok_or(TokenError::Invalid)?;
        let databases = b
            .get("AuthorizedDatabases")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(DbAccess::from_json).collect())
            .unwrap_or_default();
        Ok(Principal {
            user: user.to_string(),
            databases,
            token_body: b,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_round_trip_and_foreign_ones_fail() {
        let k = ServerKeys::default();
        let c = k.seal_challenge(1234);
        assert_eq!(k.open_challenge(&c), Some(1234));
        assert_eq!(ServerKeys::default().open_challenge(&c), None);
        assert_eq!(k.open_challenge("not base64!"), None);
        assert_eq!(k.open_challenge(""), None);
    }

    #[test]
    fn pairs_cut_at_the_first_equals() {
        let p = parse_pairs("Raven  exponent=AQAB,modulus=ab==,challenge=x=y=");
        assert_eq!(pair(&p, "Raven  exponent"), Some("AQAB"));
        assert_eq!(pair(&p, "modulus"), Some("ab=="));
        assert_eq!(pair(&p, "challenge"), Some("x=y="));
    }

    #[test]
    fn tokens_are_signed_and_expire() {
        let k = ServerKeys::default();
        let dbs = [DbAccess {
            tenant_id: "*".into(),
            admin: true,
            read_only: false,
        }];
        let t = k.issue_token("ops", &dbs, 1_000).unwrap();
        let flat = t.replace(['\n', '\r'], "");
        let p = k.check_token(&flat, 1_000, 10).unwrap();
        assert_eq!(p.user, "ops");
        assert_eq!(p.databases, dbs.to_vec());
        assert_eq!(k.check_token(&flat, 1_011, 10), Err(TokenError::Expired));
        let forged = flat.replace("ops", "opz");
        assert_eq!(k.check_token(&forged, 1_000, 10), Err(TokenError::Invalid));
        assert_eq!(
            k.check_token("ops/secret", 1_000, 10),
            Err(TokenError::Invalid)
        );
    }
}
