//! The background maintenance operations of RavenDB 3.x (its
//! MaintenanceActions): backup, restore and compact. Each validates its
//! request synchronously exactly as §3.4 / §5.3 / §8 say, then runs as a
//! tokio task that advances through visible steps, writing real files and
//! status documents.

pub mod backup;
pub mod compact;
pub mod folder;
pub mod restore;
pub mod stepper;
