//! devserver: a faithful reference server for the RavenDB 3.x (3.0 and 3.5)
//! backup/restore admin HTTP protocol, with real on-disk data, real backup
//! folders and real restores. A test and demo tool, not a database.
//!
//! See `README.md` for flags, control endpoints and on-disk layout.

pub mod app;
pub mod auth;
pub mod config;
pub mod demo;
pub mod encryption;
pub mod faults;
pub mod http;
pub mod maintenance;
pub mod ops;
pub mod paths;
pub mod registry;
pub mod server;
pub mod startup;
pub mod store;
pub mod util;
