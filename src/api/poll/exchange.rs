//! The requests the tracker asks a driver to perform, and their answers.

use crate::api::error::ApiError;
use crate::api::wire::{v3, v4};

/// The one request the driver should perform next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollRequest {
    /// `GET /operation/status?id={id}` at the server **root** (restores and
    /// 3.5 backups register in the system database, §7.1). Answer:
    /// [`PollResponse::Operation`], or `Missing` / `ApiError::NotFound` on 404.
    OperationStatus {
        /// Operation id.
        id: i64,
    },
    /// `Raven/Backup/Status` of the database (`None` = system database),
    /// via `POST /databases/{db}/queries` or `GET …/docs/…` (§4.3). Answer:
    /// [`PollResponse::Backup`] or `Missing`.
    BackupStatusDoc {
        /// Database, `None` = `<system>`.
        database: Option<String>,
    },
    /// `GET /fs/{fs}/config?name=Raven/Backup/Status` (§10). Answer:
    /// [`PollResponse::Backup`] or `Missing`.
    FsBackupStatus {
        /// File system.
        fs: String,
    },
    /// `Raven/Restore/Status` in the system database (§6.1). Answer:
    /// [`PollResponse::Restore`] (read with `RestoreStatus::from_value`,
    /// which knows the wrapped quirk) or `Missing`.
    RestoreStatusDoc,
    /// `Raven/FileSystem/Restore/Status/{fs}` in the system database (§10).
    /// Answer: [`PollResponse::Restore`] or `Missing`.
    FsRestoreStatusDoc {
        /// File system.
        fs: String,
    },
    /// RavenDB 4.x and later: `GET /databases/{db}/operations/state?id=`
    /// (database-level operations: backups) or `GET /operations/state?id=`
    /// (`database: None`, server-level: restores). Answer:
    /// [`PollResponse::Operation4`], or `Missing` on 404.
    Operation4 {
        /// The database of a database-level operation.
        database: Option<String>,
        /// Operation id.
        id: i64,
    },
}

impl PollRequest {
    /// What is asked for, in words (for messages).
    pub(super) fn name(&self) -> &'static str {
        match self {
            PollRequest::OperationStatus { .. } => "the 3.x operation state",
            PollRequest::BackupStatusDoc { .. } | PollRequest::FsBackupStatus { .. } => {
                "the backup status document"
            }
            PollRequest::RestoreStatusDoc | PollRequest::FsRestoreStatusDoc { .. } => {
                "the restore status document"
            }
            PollRequest::Operation4 { .. } => "the 4.x operation state",
        }
    }
}

/// A successful answer to a [`PollRequest`].
#[derive(Debug, Clone, PartialEq)]
pub enum PollResponse {
    /// An operation state (§7.2).
    Operation(v3::OperationState),
    /// A backup status document (§4.1).
    Backup(v3::BackupStatus),
    /// A restore status document (§6.1).
    Restore(v3::RestoreStatus),
    /// A 4.x operation state.
    Operation4(v4::OperationState),
    /// 404, or `Results` empty / `[null]` (§4.3).
    Missing,
}

impl PollResponse {
    /// What was answered, in words (for messages).
    pub(super) fn name(&self) -> &'static str {
        match self {
            PollResponse::Operation(_) => "a 3.x operation state",
            PollResponse::Backup(_) => "a backup status document",
            PollResponse::Restore(_) => "a restore status document",
            PollResponse::Operation4(_) => "a 4.x operation state",
            PollResponse::Missing => "nothing",
        }
    }

    /// The error of an answer of the wrong kind: read as an unreadable
    /// answer (retried, bounded by `lost_after_ms`), never trusted.
    pub(super) fn wrong_kind(&self, req: &PollRequest) -> ApiError {
        ApiError::MalformedBody {
            detail: format!("{} came back for {}", self.name(), req.name()),
        }
    }
}
