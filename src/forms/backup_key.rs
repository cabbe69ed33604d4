//! Where the key of an encrypted backup goes in a 4.x+ restore request,
//! by server version and kind of backup: the one place the Restore form
//! and the drill both use (docs/protocol/ravendb-4x.md#restore-key).

use crate::api::version::Generation;
use base64::Engine as _;
use serde_json::{json, Map, Value};

/// The member(s) of `POST /admin/restore/database` that carry the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlacement {
    /// 4.0 and 4.1: `EncryptionKey`, their only key member (the key of the
    /// encrypted database whose snapshot is restored; the new database is
    /// encrypted with it).
    EncryptionKey,
    /// 4.2 and later, a backup (not a snapshot):
    /// `BackupEncryptionSettings: {EncryptionMode: "UseProvidedKey", Key}`.
    /// `EncryptionKey` there is the key of the *new* database, another
    /// thing, and is not sent.
    ProvidedKey,
    /// 4.2 and later, a snapshot: its files are the encrypted database's
    /// own, so the key is that database's key, `EncryptionKey`, with
    /// `BackupEncryptionSettings: {EncryptionMode: "UseDatabaseKey"}`.
    SnapshotDatabaseKey,
}

/// True for 4.0 and 4.1, whose restore configuration has no
/// `BackupEncryptionSettings`.
fn before_4_2(generation: &Generation) -> bool {
    generation.major_minor() < (4, 2)
}

/// Where the backup's key goes on this server for this kind of backup.
pub fn key_placement(generation: &Generation, snapshot: bool) -> KeyPlacement {
    if before_4_2(generation) {
        KeyPlacement::EncryptionKey
    } else if snapshot {
        KeyPlacement::SnapshotDatabaseKey
    } else {
        KeyPlacement::ProvidedKey
    }
}

/// True when where the key goes depends on whether the restore point is
/// a snapshot (4.2 and later): a caller that does not know it yet (the
/// drill) asks the server's restore points first.
pub fn placement_needs_snapshot_flag(generation: &Generation) -> bool {
    !before_4_2(generation)
}

/// Puts a (checked, non-empty) backup key into the restore body where the
/// server reads it.
pub fn put_backup_key(body: &mut Map<String, Value>, placement: KeyPlacement, key: &str) {
    match placement {
        KeyPlacement::EncryptionKey => {
            body.insert("EncryptionKey".into(), json!(key));
        }
        KeyPlacement::ProvidedKey => {
            body.insert(
                "BackupEncryptionSettings".into(),
                json!({"EncryptionMode": "UseProvidedKey", "Key": key}),
            );
        }
        KeyPlacement::SnapshotDatabaseKey => {
            body.insert("EncryptionKey".into(), json!(key));
            body.insert(
                "BackupEncryptionSettings".into(),
                json!({"EncryptionMode": "UseDatabaseKey"}),
            );
        }
    }
}

/// What is wrong with a key as typed (trimmed), in words for the admin;
/// the key itself is never part of them. RavenDB's keys are 256 bits,
/// written as 44 characters of base64.
pub fn check_key(key: &str) -> Result<(), &'static str> {
    match base64::engine::general_purpose::STANDARD.decode(key) {
        Ok(bytes) if bytes.len() == 32 => Ok(()),
        _ => Err("The encryption key must be the 256-bit key RavenDB showed, written as 44 characters of base64 (letters, digits, + and /, ending in =)."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "OI7Vll7DroXdUORtc6Uo64wdAk1W0Db9ExXXgcg5IUs=";

    fn v(major: u32, minor: u32) -> Generation {
        Generation::V4Plus { major, minor }
    }

    fn body_with(generation: &Generation, snapshot: bool) -> Value {
        let mut body = Map::new();
        put_backup_key(&mut body, key_placement(generation, snapshot), KEY);
        Value::Object(body)
    }

    #[test]
    fn four_zero_and_four_one_read_the_key_as_encryption_key() {
        for g in [v(4, 0), v(4, 1)] {
            for snapshot in [false, true] {
                assert_eq!(key_placement(&g, snapshot), KeyPlacement::EncryptionKey);
                assert_eq!(body_with(&g, snapshot), json!({"EncryptionKey": KEY}));
            }
        }
    }

    #[test]
    fn from_four_two_a_backups_key_is_a_provided_backup_key_never_the_new_databases() {
        for g in [v(4, 2), v(5, 4), v(6, 2), v(7, 1)] {
            assert_eq!(key_placement(&g, false), KeyPlacement::ProvidedKey);
            let body = body_with(&g, false);
            assert_eq!(
                body,
                json!({"BackupEncryptionSettings": {"EncryptionMode": "UseProvidedKey", "Key": KEY}})
            );
            assert!(body.get("EncryptionKey").is_none(), "{g:?}");
        }
    }

    #[test]
    fn from_four_two_a_snapshots_key_is_its_databases_key() {
        for g in [v(4, 2), v(5, 4), v(7, 1)] {
            assert_eq!(key_placement(&g, true), KeyPlacement::SnapshotDatabaseKey);
            assert_eq!(
                body_with(&g, true),
                json!({"EncryptionKey": KEY,
                       "BackupEncryptionSettings": {"EncryptionMode": "UseDatabaseKey"}})
            );
        }
    }

    #[test]
    fn only_from_four_two_does_the_snapshot_flag_decide_the_placement() {
        for g in [v(4, 0), v(4, 1)] {
            assert!(!placement_needs_snapshot_flag(&g), "{g:?}");
            assert_eq!(key_placement(&g, true), key_placement(&g, false));
        }
        for g in [v(4, 2), v(5, 4), v(6, 2), v(7, 1)] {
            assert!(placement_needs_snapshot_flag(&g), "{g:?}");
            assert_ne!(key_placement(&g, true), key_placement(&g, false));
        }
    }

    #[test]
    fn a_key_is_44_characters_of_base64_for_256_bits() {
        assert_eq!(check_key(KEY), Ok(()));
        // 16 bytes, valid base64 but not a RavenDB key.
        assert!(check_key("c2VjcmV0LWtleS0xMjM0NTY=").is_err());
        for bad in [
            "",
            "not base64!",
            "OI7Vll7DroXdUORtc6Uo64wdAk1W0Db9ExXXgcg5IUs",
        ] {
            let words = check_key(bad).unwrap_err();
            assert!(words.contains("44 characters of base64"), "{words}");
        }
    }
}
