//! When a 3.x sign-in token is renewed before it runs out: it lives 30
//! minutes from its issue (docs/protocol/ravendb-3x.md §11.3 step 5), and
//! a fresh one is fetched a margin before that, so a watched backup or
//! restore never meets an expired token in the normal case. A server that
//! expires tokens sooner is handled by the retry on its `401 invalid_token`.

/// A 3.x token's lifetime (§11.3 step 5).
pub const TOKEN_LIFETIME_MS: f64 = 30.0 * 60.0 * 1000.0;

/// How long before the end of the lifetime a new token is fetched.
pub const RENEW_MARGIN_MS: f64 = 5.0 * 60.0 * 1000.0;

/// True when a token obtained at `obtained_ms` should be renewed before
/// the next request sent at `now_ms` (both epoch milliseconds). A clock
/// that went backwards renews too: the age cannot be trusted then.
pub fn renewal_due(obtained_ms: f64, now_ms: f64) -> bool {
    let age = now_ms - obtained_ms;
    !(0.0..TOKEN_LIFETIME_MS - RENEW_MARGIN_MS).contains(&age)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: f64 = 60_000.0;

    #[test]
    fn a_token_is_renewed_five_minutes_before_its_thirty_run_out() {
        let t0 = 1_700_000_000_000.0;
        assert!(!renewal_due(t0, t0));
        assert!(!renewal_due(t0, t0 + 24.0 * MIN));
        assert!(!renewal_due(t0, t0 + 25.0 * MIN - 1.0));
        assert!(renewal_due(t0, t0 + 25.0 * MIN));
        assert!(renewal_due(t0, t0 + 31.0 * MIN));
    }

    #[test]
    fn a_clock_that_went_back_renews() {
        let t0 = 1_700_000_000_000.0;
        assert!(renewal_due(t0, t0 - 1.0));
        assert!(renewal_due(t0, f64::NAN));
    }
}
