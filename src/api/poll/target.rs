//! What is followed: the kind of work and where it runs.

use crate::api::version::Generation;

/// What is being followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watched {
    /// A database backup; `None` = the `<system>` database.
    DatabaseBackup {
        /// Database name, `None` for `<system>`.
        database: Option<String>,
    },
    /// A file-system backup.
    FileSystemBackup {
        /// File-system name.
        fs: String,
    },
    /// A database restore (into a new database).
    DatabaseRestore {
        /// Name of the new database.
        database: String,
    },
    /// A file-system restore.
    FileSystemRestore {
        /// Name of the new file system.
        fs: String,
    },
}

impl Watched {
    pub fn is_backup(&self) -> bool {
        matches!(
            self,
            Watched::DatabaseBackup { .. } | Watched::FileSystemBackup { .. }
        )
    }

    /// `backup` / `restore`.
    pub fn noun(&self) -> &'static str {
        if self.is_backup() {
            "backup"
        } else {
            "restore"
        }
    }

    /// `database Northwind`, `the system database`, `file system Files`.
    pub fn subject(&self) -> String {
        match self {
            Watched::DatabaseBackup { database: None } => "the system database".into(),
            Watched::DatabaseBackup { database: Some(db) } => format!("database {db}"),
            Watched::DatabaseRestore { database } => format!("database {database}"),
            Watched::FileSystemBackup { fs } | Watched::FileSystemRestore { fs } => {
                format!("file system {fs}")
            }
        }
    }
}

/// A started backup or restore to follow.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchTarget {
    /// What was started.
    pub what: Watched,
    /// The `OperationId` of the start answer (3.5 backups, all restores);
    /// `None` for a 3.0 backup (201, empty body).
    pub operation_id: Option<i64>,
    /// The server's protocol generation.
    pub generation: Generation,
    /// `Started` of the backup status document as read **before** the
    /// backup was started, if the screen read it: a document with exactly
    /// this `Started` belongs to the previous run and is ignored. Optional;
    /// older documents are also recognised by time (see
    /// [`PollConfig::clock_skew_ms`]).
    pub previous_run_started: Option<String>,
    /// When the followed work was started (epoch ms), if not at the watch
    /// start: a backup status document whose `Started` is older than this
    /// (less [`PollConfig::clock_skew_ms`]) belongs to a previous run.
    /// `None` = the `now_ms` given to [`Tracker::new`]. Set it when
    /// re-attaching to running work (after a page reload, say) with the
    /// start time stored alongside the operation id.
    pub started_after_ms: Option<f64>,
    /// When this browser already saw the followed work end (epoch ms), if
    /// it did: followed again, its duration is counted from its start to
    /// then, not to the re-attach (issue 11 item 6).
    pub ended_seen_ms: Option<f64>,
}

impl WatchTarget {
    /// A target without a known previous run.
    pub fn new(what: Watched, operation_id: Option<i64>, generation: Generation) -> Self {
        WatchTarget {
            what,
            operation_id,
            generation,
            previous_run_started: None,
            started_after_ms: None,
            ended_seen_ms: None,
        }
    }
}
