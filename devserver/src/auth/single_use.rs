//! Single-use tokens (docs/protocol/ravendb-3x.md §11.4): handed out by
//! `GET /singleAuthToken`, good once, for one resource, for a short time.

use super::Principal;
use rand::{rngs::OsRng, RngCore};
use std::collections::HashMap;
use std::sync::Mutex;

struct Issued {
    /// `None` when an anonymous caller asked (anonymous access allowed it).
    principal: Option<Principal>,
    resource: String,
    created_ms: u64,
}

#[derive(Default)]
pub struct SingleUseTokens {
    tokens: Mutex<HashMap<String, Issued>>,
}

/// A random GUID-shaped token from the operating system's generator.
fn random_guid() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl SingleUseTokens {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Issued>> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn issue(
        &self,
        principal: Option<Principal>,
        resource: &str,
        now_ms: u64,
        lifetime_ms: u64,
    ) -> String {
        let token = random_guid();
        let mut m = self.lock();
        // Forget the ones nobody used (bounded memory).
        m.retain(|_, t| now_ms.saturating_sub(t.created_ms) <= lifetime_ms);
        m.insert(
            token.clone(),
            Issued {
                principal,
                resource: resource.to_string(),
                created_ms: now_ms,
            },
        );
        token
    }

    /// Uses a token up (it is gone whatever the outcome) and returns who it
    /// stands for, or the exact §11.4 refusal text.
    pub fn redeem(
        &self,
        token: &str,
        resource: &str,
        now_ms: u64,
        lifetime_ms: u64,
    ) -> Result<Option<Principal>, String> {
        let Some(t) = self.lock().remove(token) else {
            return Err("Unknown single use token, maybe it was already used?".into());
        };
        if !t.resource.eq_ignore_ascii_case(resource) {
            return Err("This single use token cannot be used for this resource!".into());
        }
        let age = now_ms.saturating_sub(t.created_ms);
        if age > lifetime_ms {
            return Err(format!(
                "This single use token has expired after {} seconds",
                age / 1000
            ));
        }
        Ok(t.principal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_for_one_resource_within_the_lifetime() {
        let s = SingleUseTokens::default();
        let t = s.issue(None, "Northwind", 0, 100);
        assert_eq!(t.len(), 36);
        assert_eq!(s.redeem(&t, "northwind", 50, 100), Ok(None));
        assert!(s
            .redeem(&t, "Northwind", 50, 100)
            .unwrap_err()
            .starts_with("Unknown single use token"));
        let t = s.issue(None, "Northwind", 0, 100);
        assert!(s
            .redeem(&t, "Orders", 0, 100)
            .unwrap_err()
            .contains("this resource"));
        let t = s.issue(None, "Northwind", 0, 100);
        assert_eq!(
            s.redeem(&t, "Northwind", 2_500, 100).unwrap_err(),
            "This single use token has expired after 2 seconds"
        );
    }
}
