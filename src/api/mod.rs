//! Everything that talks to a RavenDB server: wire types per protocol
//! generation, the one typed client, its error type and the polling engine.

pub mod error;
pub mod poll;
pub mod version;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod http;
#[cfg(target_arch = "wasm32")]
pub mod watch;

pub use error::ApiError;

/// The 3.x wire types and those both generations share, under the path the
/// screens import.
pub mod wire3x {
    pub use super::wire::common::*;
    pub use super::wire::time::parse_iso_ms;
    pub use super::wire::v3::*;
}

/// The 4.x wire types, under the path the screens import.
pub mod wire4x {
    pub use super::wire::v4::*;
}
