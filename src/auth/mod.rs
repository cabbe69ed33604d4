//! Signing in to a secured server. `oauth3` is the pure, host-tested half
//! of the RavenDB 3.x API-key exchange (docs/protocol/ravendb-3x.md §11.3);
//! `webcrypto` does its crypto on the browser's WebCrypto.

pub mod oauth3;
#[cfg(target_arch = "wasm32")]
pub mod webcrypto;
