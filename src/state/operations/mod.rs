//! The operations this browser started: the pure remembered-operation model
//! (host-tested), its localStorage adapter, and "start, remember, follow"
//! written once for every screen.

#[cfg(target_arch = "wasm32")]
mod follow;
pub mod identity;
pub mod lost;
pub mod node;
pub mod remembered;
#[cfg(target_arch = "wasm32")]
pub mod store;

#[cfg(target_arch = "wasm32")]
pub use follow::{
    post_and_follow, start_and_follow, FocusOnce, Follower, Running, StartPost, Starter,
};
#[cfg(target_arch = "wasm32")]
pub use lost::{LostStart, StartFailure};
pub use remembered::RememberedOperation;
