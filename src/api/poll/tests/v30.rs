//! RavenDB 3.0 backups, followed by their status document alone, and the
//! status locations of every kind.

use super::sim::*;
use crate::api::poll::*;
use crate::api::version::Generation;
use crate::api::wire::v3::BackupStatus;
use serde_json::json;

#[test]
fn v30_backup_success_follows_the_status_document() {
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    let (m1, m2, m3) = (
        msg("Started backup process."),
        msg("Backing up indexes.."),
        msg("Done"),
    );
    s.step(Ok(backup_doc(true, None, std::slice::from_ref(&m1))));
    assert_eq!(s.t.snapshot().phase, Phase::Running);
    s.step(Ok(backup_doc(true, None, &[m1.clone(), m2.clone()])));
    assert_eq!(
        s.t.snapshot().progress.as_deref(),
        Some("Backing up indexes..")
    );
    assert!(s.outcome().is_none());
    s.step(Ok(backup_doc(false, None, &[m1, m2, m3])));
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Succeeded {
            summary: "Backup of database Northwind completed.".into()
        })
    );
    assert!(s.requests.iter().all(|r| *r
        == PollRequest::BackupStatusDoc {
            database: Some("Northwind".into())
        }));
    assert_eq!(
        texts(&s.t),
        ["Started backup process.", "Backing up indexes..", "Done"]
    );
    assert_eq!(
        s.t.log().lines()[0].at.as_deref(),
        Some("2016-05-10T12:00:01.0000000Z")
    );
    assert_eq!(s.t.next_request(), None);
}

#[test]
fn v30_backup_failure_is_the_last_error_message() {
    let mut s = Sim::new(
        Watched::DatabaseBackup { database: None },
        None,
        Generation::V30,
    );
    s.step(Ok(backup_doc(true, None, &[msg("Started")])));
    let e = err_msg(
        "Failed to complete backup because: disk full",
        "System.IO.IOException: disk full\r\n at x",
    );
    s.step(Ok(backup_doc(false, None, &[msg("Started"), e])));
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Failed {
            reason: "Failed to complete backup because: disk full".into(),
            details: Some("System.IO.IOException: disk full\r\n at x".into())
        })
    );
    assert_eq!(
        s.requests[0],
        PollRequest::BackupStatusDoc { database: None }
    );
    assert_eq!(s.t.log().lines()[1].severity, LogSeverity::Error);
}

#[test]
fn an_old_status_document_from_a_previous_run_is_ignored() {
    let old = PollResponse::Backup(BackupStatus {
        started: Some("2016-05-10T11:00:00.0000000Z".into()),
        completed: Some("2016-05-10T11:05:00.0000000Z".into()),
        is_running: false,
        success: None,
        messages: vec![msg("old run")],
    });
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    s.step(Ok(old.clone()));
    s.step(Ok(old.clone()));
    assert!(
        s.outcome().is_none(),
        "a finished old run is not our success"
    );
    assert!(s.t.log().is_empty());
    s.step(Ok(backup_doc(true, None, &[msg("new run")])));
    s.step(Ok(old.clone())); // a stale read in between
    s.step(Ok(backup_doc(false, None, &[msg("new run")])));
    assert!(s.outcome().unwrap().is_success());
    assert_eq!(texts(&s.t), ["new run"]);

    // Only the old run ever shows: lost, saying so.
    let mut s = Sim::new(northwind_backup(), None, Generation::V30);
    let out = s.run(500, |_| unreachable!(), |_| Ok(old.clone()));
    assert!(
        matches!(&out, Outcome::Lost { reason } if reason.contains("earlier run")),
        "{out:?}"
    );

    // The screen's record of the previous Started catches a recent old run.
    let mut target = WatchTarget::new(northwind_backup(), None, Generation::V30);
    target.previous_run_started = Some(STARTED.into());
    let mut s = Sim::with(target, PollConfig::default());
    s.step(Ok(backup_doc(false, None, &[msg("previous")])));
    assert!(s.outcome().is_none());

    // Re-attaching after a reload: the run started an hour before the
    // watch, and that is said, so its document is followed.
    let mut target = WatchTarget::new(northwind_backup(), None, Generation::V30);
    target.started_after_ms = Some(T0 - 3_600_000.0);
    let mut s = Sim::with(target, PollConfig::default());
    s.step(Ok(old));
    assert!(s.outcome().unwrap().is_success());
}

#[test]
fn file_system_kinds_use_their_status_locations() {
    let mut s = Sim::new(
        Watched::FileSystemBackup { fs: "Files".into() },
        None,
        Generation::V30,
    );
    assert_eq!(
        s.step(Ok(backup_doc(false, None, &[msg("ok")]))),
        PollRequest::FsBackupStatus { fs: "Files".into() }
    );
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Succeeded {
            summary: "Backup of file system Files completed.".into()
        })
    );
    let mut s = Sim::new(
        Watched::FileSystemRestore {
            fs: "Files2".into(),
        },
        Some(4),
        Generation::V35,
    );
    s.step(Ok(op_running()));
    assert_eq!(
        s.step(Ok(restore_doc(
            json!({"State": "Completed", "Messages": ["The new filesystem was created"]})
        ))),
        PollRequest::FsRestoreStatusDoc {
            fs: "Files2".into()
        }
    );
    s.step(Ok(op_done()));
    assert_eq!(
        s.outcome(),
        Some(&Outcome::Succeeded {
            summary: "File system Files2 was restored.".into()
        })
    );
    let mut s = Sim::new(
        Watched::FileSystemRestore { fs: "F".into() },
        None,
        Generation::V35,
    );
    s.step(Ok(restore_doc(
        json!({"State": "Faulted", "Messages": ["Unable to restore filesystem boom"]}),
    )));
    assert!(
        matches!(s.outcome(), Some(Outcome::Failed { reason, .. }) if reason == "Unable to restore filesystem boom")
    );
}
