//! The Encryption bundle's check when a database opens: a database whose
//! `Raven/ActiveBundles` names `Encryption` needs `Raven/Encryption/Key`
//! (a setting or a secured setting). Without it 3.x cannot open the
//! database, and every request to it answers 503 with the reason; a backup
//! whose secured settings were stripped restores into exactly that
//! (docs/protocol/ravendb-3x.md §16.6).

use crate::app::{App, Kind};
use crate::util;
use base64::Engine;
use serde_json::{Map, Value};

fn setting<'a>(map: Option<&'a Map<String, Value>>, key: &str) -> Option<&'a str> {
    map?.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.as_str())
}

/// True when `Raven/ActiveBundles` (`;`-separated) names `Encryption`.
pub fn encryption_active(settings: Option<&Map<String, Value>>) -> bool {
    setting(settings, "Raven/ActiveBundles").is_some_and(|b| {
        b.split(';')
            .any(|n| n.trim().eq_ignore_ascii_case("Encryption"))
    })
}

/// A fresh random 256-bit key in base 64, as 3.x's message offers one.
fn random_key() -> String {
    let bytes: Vec<u8> = (0..4)
        .flat_map(|_| util::random_u64().to_le_bytes())
        .collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The Encryption bundle's exception message for a missing key.
pub fn missing_key_message() -> String {
    format!(
        "The Raven/Encryption/Key setting must be set to an encryption key. The key should be in base 64, and should be at least 8 bytes long. You may use EncryptionSettings.GenerateRandomEncryptionKey() to generate a key.\nIf you'd like, here's a key that was randomly generated:\n<add key=\"Raven/Encryption/Key\" value=\"{}\" />",
        random_key()
    )
}

/// What 3.5 answers for a request to `name` when its Encryption bundle
/// has no key: the landlord's words around the exception's text.
pub fn missing_key_error(name: &str) -> String {
    format!(
        "Could not open database named: {name}\r\nSystem.AggregateException: One or more errors occurred. ---> System.Configuration.ConfigurationErrorsException: {}\r\n   --- End of inner exception stack trace ---",
        missing_key_message()
    )
}

impl App {
    /// The exception message of opening the database `name`, or `None`
    /// when it opens.
    pub fn open_exception(&self, name: &str) -> Option<String> {
        self.open_failure(name).map(|_| missing_key_message())
    }

    /// Why the database `name` cannot be opened, or `None`.
    pub fn open_failure(&self, name: &str) -> Option<String> {
        let doc = self.registry_doc(Kind::Db, name)?;
        let settings = doc.data.get("Settings").and_then(Value::as_object);
        if !encryption_active(settings) {
            return None;
        }
        let secured = doc.data.get("SecuredSettings").and_then(Value::as_object);
        let key = setting(secured, "Raven/Encryption/Key")
            .map(util::unprotect)
            .or_else(|| setting(settings, "Raven/Encryption/Key").map(str::to_string));
        match key {
            Some(k) if !k.trim().is_empty() => None,
            _ => Some(missing_key_error(name)),
        }
    }
}
