//! The dashboard's half of the RavenDB 3.x API-key exchange, the pure part
//! (docs/protocol/ravendb-3x.md §11.3, §11.6): reading the `name/secret`
//! key and the `412` challenge, and building every text the browser's
//! WebCrypto works on or sends. The crypto itself is in `webcrypto`.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use std::fmt;

/// The largest answer body a 3.x server reads (§11.3 step 4).
pub const MAX_ANSWER_BYTES: usize = 1500;

/// An API key as the user types it, `name/secret`. The secret stays in
/// memory: it is never printed (`Debug` masks it) nor serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    name: String,
    secret: String,
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("name", &self.name)
            .field("secret", &"•••")
            .finish()
    }
}

/// Why a typed API key cannot be used, in words for the form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiKeyError {
    #[error("Enter the API key as name/secret, for example backup-admin/abc123 (the part before the first slash is the key's name).")]
    NoSlash,
    #[error("The API key has no name before the slash.")]
    NoName,
    #[error("The API key has no secret after the slash.")]
    NoSecret,
    #[error("An API key name cannot contain a comma or an equals sign.")]
    BadName,
    #[error("An API key name cannot contain a slash: type the part before the slash as the name, the rest as the secret.")]
    SlashInName,
}

impl ApiKey {
    /// Parses `name/secret`, cut at the first `/` (secrets may hold `/`).
    pub fn parse(text: &str) -> Result<ApiKey, ApiKeyError> {
        let (name, secret) = text.trim().split_once('/').ok_or(ApiKeyError::NoSlash)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiKeyError::NoName);
        }
        if secret.is_empty() {
            return Err(ApiKeyError::NoSecret);
        }
        // The inner text is `key=value` pairs joined by commas (§11.6).
        if name.contains(',') || name.contains('=') {
            return Err(ApiKeyError::BadName);
        }
        Ok(ApiKey {
            name: name.to_string(),
            secret: secret.to_string(),
        })
    }

    /// A key from its two parts as typed in two fields; the name may hold
    /// no `/` (the first slash of `name/secret` ends the name).
    pub fn new(name: &str, secret: &str) -> Result<ApiKey, ApiKeyError> {
        if name.contains('/') {
            return Err(ApiKeyError::SlashInName);
        }
        ApiKey::parse(&format!("{}/{secret}", name.trim()))
    }

    /// The key's name: safe to show and to remember.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What SHA-1 is taken of: `challenge;secret` (§11.3 step 3).
    pub fn response_input(&self, challenge: &Challenge) -> String {
        format!("{};{}", challenge.challenge, self.secret)
    }
}

/// The three values of a `412` API-key challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub exponent: String,
    pub modulus: String,
    pub challenge: String,
}

/// Why a challenge or an answer could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    #[error("The server asked for an API key but sent no challenge (no WWW-Authenticate header; a proxy may be hiding it).")]
    Missing,
    #[error("The server's API-key challenge could not be read: {0}")]
    Malformed(String),
    #[error("The encrypted API-key answer came out {0} bytes long; RavenDB reads at most 1500.")]
    TooLong(usize),
}

fn malformed(what: &str) -> ChallengeError {
    ChallengeError::Malformed(what.to_string())
}

/// Big-endian bytes of a base64 number, leading zero bytes dropped.
fn number_bytes(b64: &str, what: &str) -> Result<Vec<u8>, ChallengeError> {
    let bytes = STANDARD
        .decode(b64)
        .map_err(|_| malformed(&format!("the {what} is not base64")))?;
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    if start == bytes.len() {
        return Err(malformed(&format!("the {what} is empty")));
    }
    Ok(bytes[start..].to_vec())
}

impl Challenge {
    /// Reads `WWW-Authenticate: Raven  exponent=..,modulus=..,challenge=..`
    /// like the HTML5 Studio: pairs cut at their first `=`, each key being
    /// its trailing letters (which also drops the `Raven  ` prefix).
    pub fn parse(header: Option<&str>) -> Result<Challenge, ChallengeError> {
        let header = header
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .ok_or(ChallengeError::Missing)?;
        let (mut exponent, mut modulus, mut challenge) = (None, None, None);
        for part in header.split(',') {
            let Some((k, v)) = part.split_once('=') else {
                continue;
            };
            let key_start = k
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_alphabetic())
                .last()
                .map_or(k.len(), |(i, _)| i);
            let slot = match &k[key_start..] {
                "exponent" => &mut exponent,
                "modulus" => &mut modulus,
                "challenge" => &mut challenge,
                _ => continue,
            };
            *slot = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        }
        let c = Challenge {
            exponent: exponent.ok_or_else(|| malformed("no exponent"))?,
            modulus: modulus.ok_or_else(|| malformed("no modulus"))?,
            challenge: challenge.ok_or_else(|| malformed("no challenge"))?,
        };
        // Fail here, in words, rather than deep inside WebCrypto.
        c.jwk_n()?;
        c.jwk_e()?;
        Ok(c)
    }

    /// The modulus as a JWK `n` (base64url, no padding).
    pub fn jwk_n(&self) -> Result<String, ChallengeError> {
        Ok(URL_SAFE_NO_PAD.encode(number_bytes(&self.modulus, "modulus")?))
    }

    /// The exponent as a JWK `e` (base64url, no padding).
    pub fn jwk_e(&self) -> Result<String, ChallengeError> {
        Ok(URL_SAFE_NO_PAD.encode(number_bytes(&self.exponent, "exponent")?))
    }
}

/// `response = base64(SHA-1 digest)`.
pub fn response_from_digest(sha1: &[u8]) -> String {
    STANDARD.encode(sha1)
}

/// The text encrypted for the server (§11.3 step 3).
pub fn inner_text(key: &ApiKey, challenge: &Challenge, response: &str) -> String {
    format!(
        "api key name={},challenge={},response={response}",
        key.name, challenge.challenge
    )
}

/// The answer body `exponent=..,modulus=..,data=base64(rsaPart ‖ aesPart)`.
pub fn answer_body(
    challenge: &Challenge,
    rsa_part: &[u8],
    aes_part: &[u8],
) -> Result<String, ChallengeError> {
    let mut data = Vec::with_capacity(rsa_part.len() + aes_part.len());
    data.extend_from_slice(rsa_part);
    data.extend_from_slice(aes_part);
    let body = format!(
        "exponent={},modulus={},data={}",
        challenge.exponent,
        challenge.modulus,
        STANDARD.encode(data)
    );
    if body.len() > MAX_ANSWER_BYTES {
        return Err(ChallengeError::TooLong(body.len()));
    }
    Ok(body)
}

/// `Authorization` value for a token answer: the whole body, line breaks
/// removed (§11.3 step 5).
pub fn bearer(token_body: &str) -> String {
    let flat: String = token_body
        .chars()
        .filter(|c| *c != '\r' && *c != '\n')
        .collect();
    format!("Bearer {}", flat.trim())
}

/// What an answer to `POST /OAuth/API-Key` means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExchangeReply {
    /// `200`: the `Authorization` header value to send from now on.
    Token(String),
    /// `412`: (another) challenge to answer: the first step, or the last
    /// answer was stale or unreadable.
    Challenge(Challenge),
    /// `401` `Invalid challenge response`: the secret is wrong.
    WrongSecret,
    /// `401` `Unknown API Key`: no such key, or it is disabled.
    UnknownKey,
    /// Anything else, with the server's own words.
    Refused { status: u16, message: String },
}

/// Classifies an answer of the token endpoint from its status, its
/// `WWW-Authenticate` header and its body text.
pub fn classify(status: u16, www_authenticate: Option<&str>, body: &str) -> ExchangeReply {
    let description = || -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(body).ok()?;
        v.get("error_description")?.as_str().map(str::to_string)
    };
    match status {
        200 if !body.trim().is_empty() => ExchangeReply::Token(bearer(body)),
        412 => match Challenge::parse(www_authenticate) {
            Ok(c) => ExchangeReply::Challenge(c),
            Err(e) => ExchangeReply::Refused {
                status,
                message: e.to_string(),
            },
        },
        401 => match description().as_deref() {
            Some("Invalid challenge response") => ExchangeReply::WrongSecret,
            Some("Unknown API Key") => ExchangeReply::UnknownKey,
            Some(d) => ExchangeReply::Refused {
                status,
                message: d.to_string(),
            },
            None => ExchangeReply::Refused {
                status,
                message: body.trim().to_string(),
            },
        },
        _ => ExchangeReply::Refused {
            status,
            message: description().unwrap_or_else(|| body.trim().to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real 412 header from the devserver (1024-bit key), shortened modulus.
    const HEADER: &str = "Raven  exponent=AQAB,modulus=AMPq/w==,challenge=c2VhbGVk+/=";

    #[test]
    fn api_key_is_cut_at_the_first_slash_and_never_printed() {
        let k = ApiKey::parse("  backup-admin/s3cr/et  ").unwrap();
        assert_eq!(k.name(), "backup-admin");
        let shown = format!("{k:?}");
        assert!(!shown.contains("s3cr"), "{shown}");
        let c = Challenge::parse(Some(HEADER)).unwrap();
        assert_eq!(k.response_input(&c), "c2VhbGVk+/=;s3cr/et");
        assert_eq!(ApiKey::parse("nokey"), Err(ApiKeyError::NoSlash));
        assert_eq!(ApiKey::parse("/secret"), Err(ApiKeyError::NoName));
        assert_eq!(ApiKey::parse("name/"), Err(ApiKeyError::NoSecret));
        assert_eq!(ApiKey::parse("a,b/secret"), Err(ApiKeyError::BadName));
    }

    #[test]
    fn api_key_from_two_fields() {
        let k = ApiKey::new(" ops ", "se/cret").unwrap();
        assert_eq!(k.name(), "ops");
        assert_eq!(ApiKey::new("a/b", "s"), Err(ApiKeyError::SlashInName));
        assert_eq!(ApiKey::new("", "s"), Err(ApiKeyError::NoName));
        assert_eq!(ApiKey::new("ops", ""), Err(ApiKeyError::NoSecret));
    }

    #[test]
    fn challenge_header_like_the_studio_reads_it() {
        let c = Challenge::parse(Some(HEADER)).unwrap();
        assert_eq!(c.exponent, "AQAB");
        assert_eq!(c.modulus, "AMPq/w==");
        assert_eq!(c.challenge, "c2VhbGVk+/=");
        // JWK numbers: base64url without padding, leading zero dropped.
        assert_eq!(c.jwk_e().unwrap(), "AQAB");
        assert_eq!(c.jwk_n().unwrap(), "w-r_");
        // Order does not matter; spaces after commas are tolerated.
        let c2 =
            Challenge::parse(Some("Raven  challenge=x=, modulus=AMPq/w==, exponent=AQAB")).unwrap();
        assert_eq!(c2.challenge, "x=");
        assert_eq!(c2.modulus, "AMPq/w==");
    }

    #[test]
    fn bad_challenges_say_what_is_wrong() {
        assert_eq!(Challenge::parse(None), Err(ChallengeError::Missing));
        assert_eq!(Challenge::parse(Some("  ")), Err(ChallengeError::Missing));
        let e = Challenge::parse(Some("Raven  exponent=AQAB,challenge=x")).unwrap_err();
        assert_eq!(e, malformed("no modulus"));
        let e = Challenge::parse(Some("Raven  exponent=AQAB,modulus=***,challenge=x")).unwrap_err();
        assert_eq!(e, malformed("the modulus is not base64"));
        let e = Challenge::parse(Some("Raven  exponent=AA==,modulus=AMPq/w==,challenge=x"))
            .unwrap_err();
        assert_eq!(e, malformed("the exponent is empty"));
        assert!(e
            .to_string()
            .starts_with("The server's API-key challenge could not be read"));
    }

    #[test]
    fn response_inner_text_and_body() {
        // SHA-1("abc") in base64: a known answer.
        let digest = [
            0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e, 0x25, 0x71, 0x78, 0x50,
            0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d,
        ];
        assert_eq!(
            response_from_digest(&digest),
            "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
        );
        let k = ApiKey::parse("ops/secret").unwrap();
        let c = Challenge::parse(Some(HEADER)).unwrap();
        assert_eq!(
            inner_text(&k, &c, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="),
            "api key name=ops,challenge=c2VhbGVk+/=,response=qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
        );
        let body = answer_body(&c, &[1, 2, 3], &[4, 5, 6]).unwrap();
        assert_eq!(body, "exponent=AQAB,modulus=AMPq/w==,data=AQIDBAUG");
        // A 1024-bit RSA part plus a long AES part still fits; far more does not.
        assert!(answer_body(&c, &[0; 128], &[0; 112]).is_ok());
        assert!(matches!(
            answer_body(&c, &[0; 128], &[0; 1200]),
            Err(ChallengeError::TooLong(_))
        ));
    }

    #[test]
    fn replies_are_classified_in_the_servers_words() {
        let token = "{\r\n  \"Body\": \"{}\",\r\n  \"Signature\": \"c2ln\"\r\n}";
        assert_eq!(
            classify(200, None, token),
            ExchangeReply::Token("Bearer {  \"Body\": \"{}\",  \"Signature\": \"c2ln\"}".into())
        );
        assert!(matches!(
            classify(412, Some(HEADER), ""),
            ExchangeReply::Challenge(_)
        ));
        assert!(matches!(
            classify(412, None, ""),
            ExchangeReply::Refused { status: 412, .. }
        ));
        let wrong =
            r#"{"error":"unauthorized_client","error_description":"Invalid challenge response"}"#;
        assert_eq!(classify(401, None, wrong), ExchangeReply::WrongSecret);
        let unknown = r#"{"error":"unauthorized_client","error_description":"Unknown API Key"}"#;
        assert_eq!(classify(401, None, unknown), ExchangeReply::UnknownKey);
        let big = r#"{"error":"invalid_request","error_description":"Content length should not be over 1500 bytes"}"#;
        assert_eq!(
            classify(400, None, big),
            ExchangeReply::Refused {
                status: 400,
                message: "Content length should not be over 1500 bytes".into()
            }
        );
        assert_eq!(
            classify(502, None, "Bad Gateway"),
            ExchangeReply::Refused {
                status: 502,
                message: "Bad Gateway".into()
            }
        );
    }
}
