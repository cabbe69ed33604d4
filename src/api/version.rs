//! The protocol generation of a server, read from `GET /build/version`
//! (§9.3), and every 3.0-vs-3.5 difference the client needs (§13), so that
//! screens and the client never branch on the version themselves.

use crate::api::error::ApiError;
use crate::api::wire::common::BuildVersion;
use crate::api::wire::v3::DatabaseRestoreRequest;
use thiserror::Error;

/// Which wire protocol a server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generation {
    /// RavenDB 3.0 (builds 3xxx).
    V30,
    /// RavenDB 3.5 (builds 35xxx).
    V35,
    /// RavenDB 4.0 or newer: a different API (see
    /// `shared/notes/real-ravendb-4.1.md`); recognised so it can be named,
    /// not driven. [`Generation::is_supported`] is false.
    V4Plus {
        /// Major version (4, 5, 6, …).
        major: u32,
        /// Minor version.
        minor: u32,
    },
}

/// Why a `/build/version` answer gave no usable generation.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VersionError {
    /// Neither version field reads as a RavenDB version.
    #[error("its version answer (ProductVersion {product:?}, BuildVersion {build:?}) is not a RavenDB version")]
    NotRavenDb {
        /// `ProductVersion` as received.
        product: String,
        /// `BuildVersion` as received.
        build: String,
    },
    /// RavenDB older than 3.0 (1.x, 2.x), whose admin API differs.
    #[error("it reports RavenDB {version}, and this dashboard needs RavenDB 3.0 or newer")]
    TooOld {
        /// The version read, `major.minor`.
        version: String,
    },
}

impl VersionError {
    /// The client's error for this, for the server at `url`.
    pub fn into_api_error(self, url: &str) -> ApiError {
        ApiError::NotRavenDb {
            url: url.to_string(),
            detail: self.to_string(),
        }
    }
}

/// Leading `major.minor` of a product version such as `3.0.0 / 6dce79a`,
/// `3.5.4 / abc`, `4.1`, `5.4.112-nightly`, `v3.5`.
fn parse_product(text: &str) -> Option<(u32, u32)> {
    let text = text.trim();
    let text = text
        .strip_prefix('v')
        .or_else(|| text.strip_prefix('V'))
        .unwrap_or(text);
    let head = text.split([' ', '/', '-', '+']).next()?;
    let mut parts = head.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = match parts.next() {
        Some(m) => m.parse().ok()?,
        None => return None,
    };
    Some((major, minor))
}

/// `major.minor` from a build number: 3.0 builds are 3xxx, 3.5 builds
/// 35xxx (§9.3), and from 4.0 on the number is `MMmbb…` (41001 = 4.1,
/// 54112 = 5.4).
fn parse_build(text: &str) -> Option<(u32, u32)> {
    let n: u32 = text.trim().parse().ok()?;
    match n {
        3000..=3999 => Some((3, 0)),
        35_000..=39_999 => Some((3, 5)),
        40_000..=999_999 => Some((n / 10_000, (n / 1000) % 10)),
        _ => None,
    }
}

impl Generation {
    /// The generation of a server from its `/build/version` answer: the
    /// product version first, the build number as fallback.
    pub fn from_build(v: &BuildVersion) -> Result<Self, VersionError> {
        Self::from_strings(&v.product_version, &v.build_version)
    }

    /// Like [`Generation::from_build`], with the error as the detail text of
    /// [`ApiError::NotRavenDb`] (the shape `api::client` uses).
    pub fn detect(v: &BuildVersion) -> Result<Self, String> {
        Self::from_build(v).map_err(|e| e.to_string())
    }

    /// The generation from the two version fields.
    pub fn from_strings(product: &str, build: &str) -> Result<Self, VersionError> {
        let (major, minor) = parse_product(product)
            .or_else(|| {
                // 4.x also sends FullVersion, but product/build suffice.
                parse_build(build)
            })
            .ok_or_else(|| VersionError::NotRavenDb {
                product: product.to_string(),
                build: build.to_string(),
            })?;
        match (major, minor) {
            (0, _) | (100.., _) => Err(VersionError::NotRavenDb {
                product: product.to_string(),
                build: build.to_string(),
            }),
            (1 | 2, _) => Err(VersionError::TooOld {
                version: format!("{major}.{minor}"),
            }),
            (3, 0..=4) => Ok(Generation::V30),
            (3, _) => Ok(Generation::V35),
            _ => Ok(Generation::V4Plus { major, minor }),
        }
    }

    /// `(major, minor)`.
    pub fn major_minor(&self) -> (u32, u32) {
        match *self {
            Generation::V30 => (3, 0),
            Generation::V35 => (3, 5),
            Generation::V4Plus { major, minor } => (major, minor),
        }
    }

    /// For people: `RavenDB 3.5`.
    pub fn label(&self) -> String {
        let (major, minor) = self.major_minor();
        format!("RavenDB {major}.{minor}")
    }

    /// True for the versions this dashboard drives (3.0 and 3.5). The other
    /// methods describe the 3.x protocol; for 4.x their answers mean
    /// nothing.
    pub fn is_supported(&self) -> bool {
        matches!(self, Generation::V30 | Generation::V35)
    }

    /// Backups answer `{"OperationId":n}` (3.5) rather than an empty body
    /// (3.0) (§3.5, §13).
    pub fn backup_returns_operation_id(&self) -> bool {
        !matches!(self, Generation::V30)
    }

    /// Success status of a started (database or file-system) backup:
    /// 3.0 `201`, 3.5 `202` (§3.5).
    pub fn backup_ok_status(&self) -> u16 {
        match self {
            Generation::V30 => 201,
            _ => 202,
        }
    }

    /// Success status of a started restore: 3.0 `200`, 3.5 `202`; both
    /// with `{"OperationId":n}` (§5.3 step 11).
    pub fn restore_ok_status(&self) -> u16 {
        match self {
            Generation::V30 => 200,
            _ => 202,
        }
    }

    /// Success status of a started compaction: 3.0 `200`, 3.5 `202` (§8).
    pub fn compact_ok_status(&self) -> u16 {
        self.restore_ok_status()
    }

    /// A running **backup** can be canceled with `GET /operation/kill?id=`
    /// (3.5 only, §7.3). Restores and compactions can never be canceled
    /// (the kill is a no-op for them), whatever the version.
    pub fn supports_kill(&self) -> bool {
        matches!(self, Generation::V35)
    }

    /// Route of the file-system restore (§10, E19).
    pub fn fs_restore_path(&self) -> &'static str {
        match self {
            Generation::V30 => "/admin/fs/restore",
            _ => "/admin/fs-restore",
        }
    }

    /// Route of the file-system compaction (§8).
    pub fn fs_compact_path(&self) -> &'static str {
        match self {
            Generation::V30 => "/admin/fs/compact",
            _ => "/admin/fs-compact",
        }
    }

    /// `BackupStatus.Success` exists (3.5). In 3.0 success is "no message
    /// with Severity Error" (§4.1).
    pub fn has_backup_success_flag(&self) -> bool {
        !matches!(self, Generation::V30)
    }

    /// Every `BackupMessage` has `Details` (3.5; only late 3.0 builds).
    pub fn backup_message_always_has_details(&self) -> bool {
        !matches!(self, Generation::V30)
    }

    /// `RestoreStatus.State` is always written (3.5). Early 3.0 builds wrote
    /// only `Messages`, so the end must be read from the last message
    /// (§6.1); the poller does that for every version.
    pub fn restore_status_always_has_state(&self) -> bool {
        !matches!(self, Generation::V30)
    }

    /// Operation states carry `Canceled` and `Exception` (3.5, §7.2).
    pub fn operation_state_has_canceled(&self) -> bool {
        !matches!(self, Generation::V30)
    }

    /// A failed or canceled backup leaves a `Backup.Failure` file in its
    /// folder, which blocks later backups to it and restores from it (3.5).
    pub fn has_backup_failure_marker(&self) -> bool {
        matches!(self, Generation::V35)
    }

    /// The server checks write access to the backup folder first (3.5).
    pub fn checks_backup_write_access(&self) -> bool {
        matches!(self, Generation::V35)
    }

    /// `GET /operations` items use `Description`/`Status`/`Completed`…
    /// (3.5) rather than `Payload`/`TaskStatus` (3.0). `wire::v3::
    /// OperationsListItem` reads both; this is for labels only.
    pub fn operations_list_has_description(&self) -> bool {
        !matches!(self, Generation::V30)
    }

    /// `DisableReplicationDestinations` / `GenerateNewDatabaseId` are always
    /// understood (3.5). For 3.0 they exist only in late builds: send them
    /// only when the user asked for them (see
    /// [`Generation::shape_restore_request`]).
    pub fn restore_late_fields_always_known(&self) -> bool {
        !matches!(self, Generation::V30)
    }

    /// Applies the version's restore-request shape: on 3.5 both late flags
    /// are always sent (`false` when unset); on 3.0 they are sent only when
    /// `true` (an early 3.0 server ignores them; a `false` would be the
    /// default anyway), so a plain request stays the early-3.0 subset.
    pub fn shape_restore_request(&self, req: &mut DatabaseRestoreRequest) {
        if self.restore_late_fields_always_known() {
            req.disable_replication_destinations =
                Some(req.disable_replication_destinations.unwrap_or(false));
            req.generate_new_database_id = Some(req.generate_new_database_id.unwrap_or(false));
        } else {
            req.disable_replication_destinations =
                req.disable_replication_destinations.filter(|b| *b);
            req.generate_new_database_id = req.generate_new_database_id.filter(|b| *b);
        }
    }

    /// All CORS headers come on every response (3.0); 3.5 sends only
    /// `Access-Control-Allow-Origin` outside pre-flights, so credentialed
    /// cross-origin requests fail there (§11.5).
    pub fn cors_headers_on_every_response(&self) -> bool {
        matches!(self, Generation::V30)
    }

    /// A finished operation stays queryable at least this long (3.5: one
    /// minute from creation; 3.0: until the next idle pass, about a
    /// minute, §7.5). After that `/operation/status` answers 404 and the
    /// status document is the only record.
    pub fn finished_operation_retention_ms(&self) -> u32 {
        60_000
    }

    /// What to say in `Raven-Client-Version` so that `POST /queries` answers
    /// `[null]` rather than `[]` for a missing document (§4.3). Optional:
    /// the poller reads both; a custom header costs a CORS pre-flight.
    pub fn client_version_header(&self) -> &'static str {
        match self {
            Generation::V30 => "3.0.0",
            _ => "3.5.0",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bv(product: &str, build: &str) -> BuildVersion {
        BuildVersion {
            product_version: product.into(),
            build_version: build.into(),
            ..Default::default()
        }
    }

    #[test]
    fn product_versions() {
        let cases = [
            ("3.0.0 / 6dce79a", "3260", Generation::V30),
            ("3.0.3800 / 1fb8a7c", "3800", Generation::V30),
            ("3.5.4 / abc", "35215", Generation::V35),
            ("3.5", "", Generation::V35),
            ("4.1", "41001", Generation::V4Plus { major: 4, minor: 1 }),
            ("4.1.0", "", Generation::V4Plus { major: 4, minor: 1 }),
            (
                "5.4.112-nightly-20240101",
                "54112",
                Generation::V4Plus { major: 5, minor: 4 },
            ),
        ];
        for (product, build, expected) in cases {
            assert_eq!(
                Generation::from_build(&bv(product, build)),
                Ok(expected),
                "{product}"
            );
        }
    }

    #[test]
    fn build_number_fallback() {
        let cases = [
            ("3260", Generation::V30),
            ("35215", Generation::V35),
            ("40015", Generation::V4Plus { major: 4, minor: 0 }),
            ("41001", Generation::V4Plus { major: 4, minor: 1 }),
            ("54112", Generation::V4Plus { major: 5, minor: 4 }),
        ];
        for (build, expected) in cases {
            assert_eq!(Generation::from_strings("", build), Ok(expected), "{build}");
            assert_eq!(
                Generation::from_strings("custom build", build),
                Ok(expected)
            );
        }
    }

    #[test]
    fn unknown_is_an_error_not_a_panic() {
        for (product, build) in [("", ""), ("nginx", "x"), ("hello", "12"), ("0.1", "")] {
            let err = Generation::from_strings(product, build).unwrap_err();
            assert!(matches!(err, VersionError::NotRavenDb { .. }), "{product}");
            assert!(err.to_string().contains("not a RavenDB version"));
        }
        let old = Generation::from_strings("2.5.2956", "2956").unwrap_err();
        assert_eq!(
            old,
            VersionError::TooOld {
                version: "2.5".into()
            }
        );
        match old.into_api_error("http://x") {
            ApiError::NotRavenDb { url, detail } => {
                assert_eq!(url, "http://x");
                assert!(detail.contains("RavenDB 2.5"));
            }
            other => panic!("{other:?}"),
        }
        assert!(Generation::detect(&bv("nope", ""))
            .unwrap_err()
            .contains("nope"));
        assert_eq!(Generation::detect(&bv("3.5.4", "")), Ok(Generation::V35));
    }

    #[test]
    fn labels_and_support() {
        assert_eq!(Generation::V30.label(), "RavenDB 3.0");
        assert_eq!(Generation::V35.label(), "RavenDB 3.5");
        let v41 = Generation::V4Plus { major: 4, minor: 1 };
        assert_eq!(v41.label(), "RavenDB 4.1");
        assert!(Generation::V30.is_supported() && Generation::V35.is_supported());
        assert!(!v41.is_supported());
    }

    #[test]
    fn status_codes() {
        assert!(!Generation::V30.backup_returns_operation_id());
        assert!(Generation::V35.backup_returns_operation_id());
        assert_eq!(Generation::V30.backup_ok_status(), 201);
        assert_eq!(Generation::V35.backup_ok_status(), 202);
        assert_eq!(Generation::V30.restore_ok_status(), 200);
        assert_eq!(Generation::V35.restore_ok_status(), 202);
        assert_eq!(Generation::V30.compact_ok_status(), 200);
        assert_eq!(Generation::V35.compact_ok_status(), 202);
    }

    #[test]
    fn routes() {
        assert_eq!(Generation::V30.fs_restore_path(), "/admin/fs/restore");
        assert_eq!(Generation::V35.fs_restore_path(), "/admin/fs-restore");
        assert_eq!(Generation::V30.fs_compact_path(), "/admin/fs/compact");
        assert_eq!(Generation::V35.fs_compact_path(), "/admin/fs-compact");
    }

    #[test]
    fn feature_flags() {
        let (v30, v35) = (Generation::V30, Generation::V35);
        assert!(!v30.supports_kill() && v35.supports_kill());
        assert!(!v30.has_backup_success_flag() && v35.has_backup_success_flag());
        assert!(
            !v30.backup_message_always_has_details() && v35.backup_message_always_has_details()
        );
        assert!(!v30.restore_status_always_has_state() && v35.restore_status_always_has_state());
        assert!(!v30.operation_state_has_canceled() && v35.operation_state_has_canceled());
        assert!(!v30.has_backup_failure_marker() && v35.has_backup_failure_marker());
        assert!(!v30.checks_backup_write_access() && v35.checks_backup_write_access());
        assert!(!v30.operations_list_has_description() && v35.operations_list_has_description());
        assert!(v30.cors_headers_on_every_response() && !v35.cors_headers_on_every_response());
        assert_eq!(v30.client_version_header(), "3.0.0");
        assert_eq!(v35.client_version_header(), "3.5.0");
        assert_eq!(v35.finished_operation_retention_ms(), 60_000);
    }

    #[test]
    fn restore_request_shape_per_version() {
        let plain = DatabaseRestoreRequest {
            backup_location: "C:\\b".into(),
            ..Default::default()
        };
        let mut r30 = plain.clone();
        Generation::V30.shape_restore_request(&mut r30);
        assert_eq!(r30.disable_replication_destinations, None);
        assert_eq!(r30.generate_new_database_id, None);
        let mut r30_set = plain.clone().with_late_options(true, false);
        Generation::V30.shape_restore_request(&mut r30_set);
        assert_eq!(r30_set.disable_replication_destinations, Some(true));
        assert_eq!(r30_set.generate_new_database_id, None);
        let mut r35 = plain;
        Generation::V35.shape_restore_request(&mut r35);
        assert_eq!(r35.disable_replication_destinations, Some(false));
        assert_eq!(r35.generate_new_database_id, Some(false));
    }
}
