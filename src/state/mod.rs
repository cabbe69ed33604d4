//! Shared state, in one home: the connection to the server, the server's
//! databases, the operations this browser started and the restore drill.
//! The shell provides it once; components and pages read it from context.
//! Nothing here imports a component, a page or the shell.

pub mod attention;
#[cfg(target_arch = "wasm32")]
pub mod auth;
#[cfg(target_arch = "wasm32")]
pub mod connection;
#[cfg(target_arch = "wasm32")]
pub mod databases;
#[cfg(target_arch = "wasm32")]
pub mod drill;
pub mod operations;

/// Provides the shared state as context (call once, from the shell); see
/// [`connection::ConfigRead`] for what the result says.
#[cfg(target_arch = "wasm32")]
pub fn provide() -> connection::ConfigRead {
    let (connection, config_read) = connection::provide_connection();
    auth::provide_auth(connection, databases::provide_databases(connection));
    let drill = drill::DrillState::new();
    // The drill's stages and verdict in the tab title and notification.
    attention::follow_drill(drill.source(), drill.stage(), drill.report());
    leptos::prelude::provide_context(drill);
    config_read
}
