//! Reusable pieces of the UI.

pub mod connection;
pub mod error_view;
pub mod theme;
