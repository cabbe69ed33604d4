//! Signing in to a secured server. `oauth3` is the pure, host-tested half
//! of the RavenDB 3.x API-key exchange (docs/protocol/ravendb-3x.md §11.3);
//! `webcrypto` does its crypto on the browser's WebCrypto; `refusal` reads
//! a refused answer; `token` says when a token is renewed; `session` holds
//! the key and its token in memory and attaches them to requests.

pub mod oauth3;
pub mod refusal;
#[cfg(target_arch = "wasm32")]
pub mod session;
pub mod token;
#[cfg(target_arch = "wasm32")]
pub mod webcrypto;
