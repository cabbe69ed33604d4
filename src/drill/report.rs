//! The drill's report: one sentence that says whether the backup is
//! restorable (or exactly what failed, in the server's words), what became
//! of the scratch database, and the whole report as JSON for download
//! (ids and counts only: no document content, no secrets).

use super::compare::Tally;
use serde::Serialize;

/// How the drill ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum DrillResult {
    /// Nothing was restored: the drill could not start (no free name, the
    /// server refused the restore, the list of databases unreadable).
    NotStarted { reason: String },
    /// The restore ran and failed (the server's words).
    RestoreFailed { reason: String },
    /// Restored, but the server cannot open the restored copy (its words,
    /// cut to the reason). `key_stripped`: the reason is the Encryption
    /// bundle's missing `Raven/Encryption/Key`, i.e. the backup was taken
    /// with its secured settings stripped (docs/protocol/ravendb-3x.md §16.6).
    Unreadable { reason: String, key_stripped: bool },
    /// Restored, but the comparison could not be finished.
    CompareFailed { reason: String },
    /// Restored and compared.
    Compared { tally: Tally },
}

/// The Encryption bundle's reason, as 3.x words it.
const KEY_MISSING: &str = "The Raven/Encryption/Key setting must be set to an encryption key.";

const STRIPPED: &str = " The backup does not hold the database's encryption key: its secured settings were stripped when it was taken, so the restored copy cannot be decrypted.";

/// What to do about a backup without its encryption key.
const PUT_THE_KEY_BACK: &str = "What to do: before restoring this backup, put the database's encryption key (Raven/Encryption/Key, kept apart from the backups) back into the backup folder's Database.Document, under SecuredSettings; without the key its data cannot be read. Or take a backup that keeps the key, and guard that folder like the key.";

/// Server words cut after the Encryption bundle's first sentence (3.x
/// follows it with a random key it offers, and a stack); true when that
/// sentence is there.
fn key_offer_cut(words: &str) -> (String, bool) {
    match words.find(KEY_MISSING) {
        Some(at) => (words[..at + KEY_MISSING.len()].to_string(), true),
        None => (words.to_string(), false),
    }
}

/// Reads the server's answer to a request on the restored copy: `Some`
/// when it says the database cannot be opened (3.x: "Could not open
/// database named: …", 503). The reason keeps the server's first line and,
/// when the Encryption bundle is why, its first sentence (not the random
/// key 3.x offers after it, nor the stack trace).
pub fn unreadable_copy(server_words: &str) -> Option<DrillResult> {
    let text = server_words.trim();
    if !text.starts_with("Could not open database named:") {
        return None;
    }
    let first_line = text.lines().next().unwrap_or(text).trim().to_string();
    let key_stripped = text.contains(KEY_MISSING);
    let reason = if key_stripped {
        format!("{first_line}: {KEY_MISSING}")
    } else {
        // Whatever 3.x gave after its first line, cut to one line.
        let cause = text
            .split(" ---> ")
            .nth(1)
            .and_then(|rest| rest.lines().next())
            .map(|l| crate::api::error::strip_exception_type(l.trim()).to_string());
        match cause {
            Some(c) if !c.is_empty() => format!("{first_line}: {c}"),
            _ => first_line,
        }
    };
    Some(DrillResult::Unreadable {
        reason,
        key_stripped,
    })
}

/// What became of the scratch database.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "cleanup", rename_all = "kebab-case")]
pub enum Cleanup {
    /// Hard-deleted.
    Deleted,
    /// The server has no such database (the restore never created it).
    NothingToDelete,
    /// The delete failed (the server's words): it is still on the server.
    Failed { reason: String },
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillReport {
    pub source_database: String,
    pub backup_folder: String,
    pub scratch_database: String,
    /// When the drill started, ISO UTC.
    pub started: String,
    /// How long the restore took, when it ran to its end.
    pub restore_ms: Option<f64>,
    #[serde(flatten)]
    pub result: DrillResult,
    #[serde(flatten)]
    pub cleanup: Cleanup,
}

/// "3.8 s" (tenths, without float formatting: smaller).
fn seconds(ms: f64) -> String {
    let tenths = (ms.max(0.0) / 100.0).round() as u64;
    format!("{}.{} s", tenths / 10, tenths % 10)
}

impl DrillReport {
    /// True when restored, compared and nothing missing or different.
    pub fn restorable(&self) -> bool {
        matches!(&self.result, DrillResult::Compared { tally } if tally.restorable())
    }

    /// The one sentence: "Restorable: 300 of 300 documents equal, 0
    /// missing, 0 different, 2 changed since the backup; restore took
    /// 3.8 s", or what failed.
    pub fn sentence(&self) -> String {
        let took = self
            .restore_ms
            .map(|ms| format!("; restore took {}", seconds(ms)))
            .unwrap_or_default();
        match &self.result {
            DrillResult::NotStarted { reason } => {
                format!("Not verified: the restore did not start. {reason}")
            }
            DrillResult::RestoreFailed { reason } => {
                let (reason, key_stripped) = key_offer_cut(reason);
                let mut s =
                    format!("Not restorable: the restore failed{took}. The server said: {reason}");
                if key_stripped {
                    s.push_str(STRIPPED);
                }
                s
            }
            DrillResult::Unreadable { reason, key_stripped } => {
                let mut s = format!(
                    "Not restorable as it is: the backup was restored, but the server cannot open the restored copy, so not one document can be read{took}. The server said: {reason}"
                );
                if *key_stripped {
                    s.push_str(STRIPPED);
                }
                s
            }
            DrillResult::CompareFailed { reason } => format!(
                "Not verified: the backup was restored{took}, but the comparison could not be finished: {reason}"
            ),
            DrillResult::Compared { tally } => {
                let verdict = if tally.restorable() {
                    "Restorable"
                } else {
                    "Not restorable as it is"
                };
                let mut s = format!(
                    "{verdict}: {} of {} documents equal, {} missing, {} different, {} changed since the backup{took}",
                    tally.equal,
                    tally.judged(),
                    tally.missing,
                    tally.different,
                    tally.changed_since_backup
                );
                if let Some(n) = tally.sample_size {
                    s.push_str(&format!(
                        " (a random sample of {n} of the source's {} documents was compared; the restored copy has {})",
                        tally.source_documents, tally.restored_documents
                    ));
                }
                s
            }
        }
    }

    /// Notes on how to read the result (printed under the sentence).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        match &self.result {
            DrillResult::Unreadable { key_stripped, .. } => notes.push(if *key_stripped {
                PUT_THE_KEY_BACK.to_string()
            } else {
                "The backup folder is unchanged.".to_string()
            }),
            DrillResult::RestoreFailed { reason } if key_offer_cut(reason).1 => {
                notes.push(PUT_THE_KEY_BACK.to_string())
            }
            _ => {}
        }
        if let DrillResult::Compared { tally } = &self.result {
            if tally.sample_size.is_none() && tally.source_documents != tally.restored_documents {
                notes.push(format!(
                    "The source has {} documents now, the restored copy {}.",
                    tally.source_documents, tally.restored_documents
                ));
            }
            match &tally.newest_in_backup {
                Some(at) => notes.push(format!("The backup's newest change is from {at}: a source document modified after it counts as changed since the backup.")),
                None => notes.push("The restored copy gave no modification times, so no difference could be put down to a change made since.".to_string()),
            }
            if tally.not_listed > 0 {
                notes.push(format!(
                    "{} more differing documents are not listed.",
                    tally.not_listed
                ));
            }
            notes.push(
                "The server's own documents (ids starting with Raven/) are not compared."
                    .to_string(),
            );
        }
        notes
    }

    /// What became of the scratch database, in one sentence.
    pub fn cleanup_sentence(&self) -> String {
        let name = &self.scratch_database;
        match &self.cleanup {
            Cleanup::Deleted => format!("The scratch database {name} was hard-deleted."),
            Cleanup::NothingToDelete => {
                format!("The scratch database {name} was never created; nothing was left behind.")
            }
            Cleanup::Failed { reason } => format!(
                "The scratch database {name} could not be deleted and is still on the server: {reason} Delete it from the Restore screen."
            ),
        }
    }

    /// The whole report as JSON text (for the download).
    pub fn to_json(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(o) = value.as_object_mut() {
            o.insert("sentence".into(), self.sentence().into());
            o.insert("scratchDatabaseFate".into(), self.cleanup_sentence().into());
        }
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    /// The download's file name.
    pub fn file_name(&self) -> String {
        format!("{}-report.json", self.scratch_database)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::compare::{Difference, Differing};

    fn report(result: DrillResult, cleanup: Cleanup) -> DrillReport {
        DrillReport {
            source_database: "Northwind".into(),
            backup_folder: "C:\\Backups\\Northwind".into(),
            scratch_database: "Northwind-verify-20261129-160200".into(),
            started: "2026-11-29T16:02:00.0000000Z".into(),
            restore_ms: Some(3_800.0),
            result,
            cleanup,
        }
    }

    #[test]
    fn a_good_drill_reads_as_the_issue_says() {
        let tally = Tally {
            source_documents: 302,
            restored_documents: 300,
            compared: 302,
            equal: 300,
            changed_since_backup: 2,
            newest_in_backup: Some("2026-11-29T16:00:00.0000000Z".into()),
            ..Tally::default()
        };
        let r = report(DrillResult::Compared { tally }, Cleanup::Deleted);
        assert!(r.restorable());
        assert_eq!(
            r.sentence(),
            "Restorable: 300 of 300 documents equal, 0 missing, 0 different, 2 changed since the backup; restore took 3.8 s"
        );
        assert_eq!(
            r.cleanup_sentence(),
            "The scratch database Northwind-verify-20261129-160200 was hard-deleted."
        );
    }

    #[test]
    fn a_sample_says_it_was_one_and_how_large() {
        let tally = Tally {
            source_documents: 250_000,
            restored_documents: 250_000,
            compared: 10_000,
            equal: 9_999,
            different: 1,
            sample_size: Some(10_000),
            listed: vec![Differing {
                id: "orders/7".into(),
                difference: Difference::Different,
            }],
            ..Tally::default()
        };
        let r = report(DrillResult::Compared { tally }, Cleanup::Deleted);
        assert!(!r.restorable());
        let s = r.sentence();
        assert!(
            s.starts_with(
                "Not restorable as it is: 9999 of 10000 documents equal, 0 missing, 1 different"
            ),
            "{s}"
        );
        assert!(
            s.contains("a random sample of 10000 of the source's 250000 documents"),
            "{s}"
        );
    }

    #[test]
    fn a_failed_restore_is_in_the_servers_words() {
        let r = report(
            DrillResult::RestoreFailed {
                reason: "Injected: the target disk is read-only".into(),
            },
            Cleanup::Failed {
                reason: "Access is denied.".into(),
            },
        );
        assert_eq!(
            r.sentence(),
            "Not restorable: the restore failed; restore took 3.8 s. The server said: Injected: the target disk is read-only"
        );
        assert!(r
            .cleanup_sentence()
            .contains("still on the server: Access is denied."));
    }

    #[test]
    fn a_stripped_encrypted_backup_is_unreadable_and_says_why() {
        let words = "Could not open database named: Payroll-verify-1\r\nSystem.AggregateException: One or more errors occurred. ---> System.Configuration.ConfigurationErrorsException: The Raven/Encryption/Key setting must be set to an encryption key. The key should be in base 64, and should be at least 8 bytes long. You may use EncryptionSettings.GenerateRandomEncryptionKey() to generate a key.\nIf you'd like, here's a key that was randomly generated:\n<add key=\"Raven/Encryption/Key\" value=\"c2VjcmV0c2VjcmV0\" />\r\n   --- End of inner exception stack trace ---";
        let result = unreadable_copy(words).unwrap();
        assert_eq!(
            result,
            DrillResult::Unreadable {
                reason: "Could not open database named: Payroll-verify-1: The Raven/Encryption/Key setting must be set to an encryption key.".into(),
                key_stripped: true
            }
        );
        let r = report(result, Cleanup::Deleted);
        assert!(!r.restorable());
        let s = r.sentence();
        assert!(s.starts_with("Not restorable as it is: the backup was restored, but the server cannot open the restored copy, so not one document can be read; restore took 3.8 s. The server said: Could not open database named: Payroll-verify-1: The Raven/Encryption/Key"), "{s}");
        assert!(s.contains("its secured settings were stripped when it was taken, so the restored copy cannot be decrypted."), "{s}");
        assert!(!s.contains("c2VjcmV0"), "no key text: {s}");
        assert!(!r.to_json().contains("c2VjcmV0"));
        assert!(r.notes()[0].contains("back into the backup folder's Database.Document"));
        // Another reason to be unable to open: the cause's first line.
        let other = unreadable_copy("Could not open database named: X\r\nSystem.AggregateException: One or more errors occurred. ---> System.IO.IOException: The disk is full\r\n   at Foo()").unwrap();
        assert_eq!(
            other,
            DrillResult::Unreadable {
                reason: "Could not open database named: X: The disk is full".into(),
                key_stripped: false
            }
        );
        assert!(unreadable_copy("Could not find a database named: X").is_none());
        // With a new database id 3.x opens the copy during the restore,
        // which then fails with the bundle's words: cut and explained too.
        let r = report(
            DrillResult::RestoreFailed {
                reason: "Unable to restore database The Raven/Encryption/Key setting must be set to an encryption key. The key should be in base 64.\n<add key=\"Raven/Encryption/Key\" value=\"c2VjcmV0c2VjcmV0\" />".into(),
            },
            Cleanup::Deleted,
        );
        let s = r.sentence();
        assert!(s.ends_with("The server said: Unable to restore database The Raven/Encryption/Key setting must be set to an encryption key. The backup does not hold the database's encryption key: its secured settings were stripped when it was taken, so the restored copy cannot be decrypted."), "{s}");
        assert!(r.notes()[0].starts_with("What to do:"));
    }

    #[test]
    fn the_json_has_counts_and_ids_only() {
        let tally = Tally {
            source_documents: 2,
            restored_documents: 1,
            compared: 2,
            equal: 1,
            missing: 1,
            listed: vec![Differing {
                id: "orders/1".into(),
                difference: Difference::Missing,
            }],
            ..Tally::default()
        };
        let r = report(DrillResult::Compared { tally }, Cleanup::Deleted);
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["result"], "compared");
        assert_eq!(json["cleanup"], "deleted");
        assert_eq!(json["tally"]["missing"], 1);
        assert_eq!(json["tally"]["listed"][0]["id"], "orders/1");
        assert_eq!(json["tally"]["listed"][0]["difference"], "missing");
        assert!(json["sentence"]
            .as_str()
            .unwrap()
            .starts_with("Not restorable as it is: 1 of 2"));
        assert_eq!(
            r.file_name(),
            "Northwind-verify-20261129-160200-report.json"
        );
    }
}
