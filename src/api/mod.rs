//! Everything that talks to a RavenDB server: wire types per protocol
//! generation, the one typed client, its error type and the polling engine.

pub mod error;
mod lenient;
pub mod poll;
pub mod version;
pub mod wire3x;
pub mod wire4x;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod http;
#[cfg(target_arch = "wasm32")]
pub mod watch;

pub use error::ApiError;
