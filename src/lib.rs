//! Raven Backup Studio: a browser dashboard that starts RavenDB backups and
//! restores and follows them to the end.
//!
//! Pure logic (wire types, configuration, request building, the polling state
//! machine, the words the screens show) compiles on the host and is
//! unit-tested there; the browser UI exists only on wasm32.
//!
//! Dependencies point one way: `app` → `pages` → `components` → `state` →
//! `api`; `auth`, `forms`, `present`, `route`, `url`, `text` and `config` are pure
//! leaves that any of them may use.

pub mod api;
pub mod auth;
pub mod config;
pub mod drill;
pub mod forms;
pub mod present;
pub mod route;
pub mod state;
pub mod text;
pub mod url;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod hooks;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod storage;
