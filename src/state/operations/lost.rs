//! A start whose answer was lost (a time-out, a proxy's 502/504, a 2xx
//! whose body could not be read) may have started the operation: it is
//! said as "unknown whether it started", looked for on the server, and
//! followed when found. Never taken for "did not start" (issue 11 item 4).

use crate::api::{poll::Watched, ApiError};

/// Whether a start that failed with `error` may nevertheless have started
/// the operation: the server may have received and handled the POST.
pub fn is_lost_answer(error: &ApiError) -> bool {
    match error {
        ApiError::Timeout { .. } | ApiError::Unreachable { .. } => true,
        // A proxy's "the server did not answer me (in time)".
        ApiError::ServerException { status, .. } | ApiError::Http { status, .. } => {
            matches!(status, 502 | 504)
        }
        // A success whose body was unreadable: the server did start.
        ApiError::MalformedBody { .. } => true,
        _ => false,
    }
}

/// Whether an entry of the 3.x operations list (`TaskType`, description)
/// is the restore of `what` (the server describes it as "Restoring
/// database {name} from {folder}", names without regard to case).
pub fn is_restore_of(what: &Watched, task_type: Option<&str>, description: Option<&str>) -> bool {
    let (kind, name) = match what {
        Watched::DatabaseRestore { database } => ("database", database),
        Watched::FileSystemRestore { fs } => ("filesystem", fs),
        _ => return false,
    };
    let restore_task = task_type.is_some_and(|t| t.to_ascii_lowercase().contains("restore"));
    let prefix = format!("restoring {kind} {} from ", name.to_lowercase());
    restore_task && description.is_some_and(|d| d.to_lowercase().starts_with(&prefix))
}

#[cfg(target_arch = "wasm32")]
pub use browser::*;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::is_restore_of;
    use crate::api::{
        client::Client,
        poll::{PollConfig, WatchTarget, Watched},
        version::Generation,
        wire3x::parse_iso_ms,
        ApiError,
    };

    /// How a start failed: the server's refusal, or an answer that was lost
    /// (then [`StartFailure::lost`] says what is known).
    #[derive(Clone, Debug)]
    pub struct StartFailure {
        pub error: ApiError,
        pub lost: Option<LostStart>,
    }

    impl From<ApiError> for StartFailure {
        fn from(error: ApiError) -> Self {
            StartFailure { error, lost: None }
        }
    }

    /// What is known of a start whose answer was lost and that was not
    /// found on the server.
    #[derive(Clone, Debug)]
    pub struct LostStart {
        /// What was started (maybe).
        pub what: Watched,
        /// The last look on the server: `Ok` = nothing found, `Err` = the
        /// server could not be asked; `None` = this version cannot look.
        pub looked: Option<Result<(), ApiError>>,
        /// When it last looked (epoch ms).
        pub looked_ms: f64,
        /// How to look again, when it can.
        pub search: Option<Search>,
        /// Anything more the admin must know (a task kept, say).
        pub note: Option<String>,
    }

    /// Everything needed to look for (and follow) a start on a 3.x server.
    #[derive(Clone, Debug)]
    pub struct Search {
        pub client: Client,
        pub generation: Generation,
        pub what: Watched,
        /// When the POST was sent (epoch ms, this browser's clock).
        pub sent_ms: f64,
        /// `Started` of the backup status document before the POST.
        pub previous_run_started: Option<String>,
        /// Shown on success (see `Running::success_note`).
        pub success_note: Option<String>,
        /// The form's fingerprint (see `Running::form_key`).
        pub form_key: Option<u64>,
    }

    /// What looking on the server found.
    pub enum Found {
        /// The operation, to follow with this target.
        Target(WatchTarget),
        Nothing,
    }

    impl Search {
        /// Looks on the server for what the lost start may have started:
        /// the backup status document (a run newer than the one before the
        /// POST), or the operations list (a restore of that name started
        /// since the POST).
        pub async fn run(&self) -> Result<Found, ApiError> {
            let skew = f64::from(PollConfig::default().clock_skew_ms);
            let since = self.sent_ms - skew;
            let mut target = WatchTarget::new(self.what.clone(), None, self.generation);
            target.previous_run_started = self.previous_run_started.clone();
            target.started_after_ms = Some(self.sent_ms);
            match &self.what {
                Watched::DatabaseBackup { database } => {
                    let status = self.client.backup_status(database.as_deref()).await?;
                    Ok(self.backup_found(status.and_then(|s| s.started), since, target))
                }
                Watched::FileSystemBackup { fs } => {
                    let status = self.client.fs_backup_status(fs).await?;
                    Ok(self.backup_found(status.and_then(|s| s.started), since, target))
                }
                Watched::DatabaseRestore { .. } | Watched::FileSystemRestore { .. } => {
                    let newest = self
                        .client
                        .operations()
                        .await?
                        .into_iter()
                        .filter(|op| {
                            is_restore_of(&self.what, op.task_type.as_deref(), op.description())
                        })
                        .filter(|op| {
                            op.start_time
                                .as_deref()
                                .and_then(parse_iso_ms)
                                .is_none_or(|t| t >= since)
                        })
                        .max_by_key(|op| op.id);
                    Ok(match newest {
                        Some(op) => {
                            target.operation_id = Some(op.id);
                            Found::Target(target)
                        }
                        None => Found::Nothing,
                    })
                }
            }
        }

        /// A backup status document started after the POST (and not the
        /// run before it) is the lost start's.
        fn backup_found(&self, started: Option<String>, since: f64, target: WatchTarget) -> Found {
            let ours = started.as_deref().is_some_and(|s| {
                Some(s) != self.previous_run_started.as_deref()
                    && parse_iso_ms(s).is_none_or(|t| t >= since)
            });
            if ours {
                Found::Target(target)
            } else {
                Found::Nothing
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_answers_are_those_after_which_the_server_may_have_started() {
        let lost = [
            ApiError::Timeout {
                url: "u".into(),
                after_ms: 15_000,
            },
            ApiError::Unreachable { url: "u".into() },
            ApiError::Http {
                status: 504,
                body: String::new(),
            },
            ApiError::ServerException {
                status: 502,
                first_line: "Bad Gateway".into(),
                details: String::new(),
            },
            ApiError::MalformedBody {
                detail: "expected JSON".into(),
            },
        ];
        for e in &lost {
            assert!(is_lost_answer(e), "{e:?}");
        }
        let refused = [
            ApiError::BadRequest {
                message: "no".into(),
            },
            ApiError::Unavailable {
                message: "Another restore is in progress".into(),
            },
            ApiError::ServerException {
                status: 500,
                first_line: "System.IO.IOException: disk full".into(),
                details: String::new(),
            },
            ApiError::NotAdmin {
                status: 401,
                server_message: None,
            },
        ];
        for e in &refused {
            assert!(!is_lost_answer(e), "{e:?}");
        }
    }

    #[test]
    fn a_restore_is_recognised_in_the_operations_list_by_its_description() {
        let what = Watched::DatabaseRestore {
            database: "Copy".into(),
        };
        let d = |s: &'static str| Some(s);
        assert!(is_restore_of(
            &what,
            d("RestoreDatabase"),
            d("Restoring database Copy from C:\\b")
        ));
        assert!(is_restore_of(
            &what,
            d("RestoreDatabase"),
            d("Restoring database copy from x")
        ));
        assert!(!is_restore_of(
            &what,
            d("RestoreDatabase"),
            d("Restoring database Copy2 from x")
        ));
        assert!(!is_restore_of(
            &what,
            d("BackupDatabase"),
            d("Restoring database Copy from x")
        ));
        let fs = Watched::FileSystemRestore { fs: "Files".into() };
        assert!(is_restore_of(
            &fs,
            d("RestoreFilesystem"),
            d("Restoring filesystem Files from x")
        ));
    }
}
