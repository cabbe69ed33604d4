//! Reusable pieces of the UI.

pub mod connection;
pub mod document_editor;
pub mod error_view;
pub mod operation_progress;
pub mod theme;
