//! Raven Backup Studio: a browser dashboard that starts RavenDB backups and
//! restores and follows them to the end.
//!
//! Pure logic (wire types, configuration, request building, the polling state
//! machine) compiles on the host and is unit-tested there; the browser UI
//! exists only on wasm32.

pub mod api;
pub mod config;
pub mod forms;
pub mod route;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod operations_store;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod storage;
