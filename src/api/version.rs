//! The protocol generation of a server, read from `GET /build/version`
//! (§9.3), and the 3.0-vs-3.5 differences the client needs (§13), so that
//! screens and the client never branch on the version numbers themselves.

use crate::api::poll::Watched;
use crate::api::wire::common::BuildVersion;
use crate::api::wire::v3::DatabaseRestoreRequest;
use crate::url::percent_encode;
use thiserror::Error;

/// Which wire protocol a server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generation {
    /// RavenDB 3.0 (builds 3xxx).
    V30,
    /// RavenDB 3.5 (builds 35xxx).
    V35,
    /// RavenDB 4.0 or newer: a different API (see
    /// `docs/protocol/ravendb-4x.md`), driven by its own screens and
    /// followed by operation id (`api::poll::v4`).
    V4Plus {
        /// Major version (4, 5, 6, …).
        major: u32,
        /// Minor version.
        minor: u32,
    },
}

/// Where a running operation is canceled, by generation and kind
/// (3.5: `GET /operation/kill?id=`, §7.3; 4.x and later:
/// docs/protocol/ravendb-4x.md#kill).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KillRoute {
    /// 3.5 backups: `GET /operation/kill?id=` answers the state after it.
    V35,
    /// 4.x+ backups, database-level: `POST /databases/{db}/operations/kill?id=`.
    Database(String),
    /// 4.x+ restores, server-level: `POST /admin/operations/kill?id=`.
    Server,
}

impl Generation {
    /// The cancel route for `what` on this server, `None` where the server
    /// cannot cancel it (3.0; 3.x restores, whose kill is a no-op; file
    /// systems; a 4.x backup of no named database).
    pub fn kill_route(&self, what: &Watched) -> Option<KillRoute> {
        match (*self, what) {
            (Generation::V35, w) if w.is_backup() => Some(KillRoute::V35),
            (Generation::V4Plus { .. }, Watched::DatabaseBackup { database: Some(db) }) => {
                Some(KillRoute::Database(db.clone()))
            }
            (Generation::V4Plus { .. }, Watched::DatabaseRestore { .. }) => Some(KillRoute::Server),
            _ => None,
        }
    }
}

impl KillRoute {
    /// The kill request's method (`GET` or `POST`) and path for operation `id`.
    pub fn request(&self, id: i64) -> (&'static str, String) {
        match self {
            KillRoute::V35 => ("GET", format!("/operation/kill?id={id}")),
            KillRoute::Database(db) => (
                "POST",
                format!("/databases/{}/operations/kill?id={id}", percent_encode(db)),
            ),
            KillRoute::Server => ("POST", format!("/admin/operations/kill?id={id}")),
        }
    }
}

/// What the server said to a cancel request.
#[derive(Debug, Clone, PartialEq)]
pub enum KillAnswer {
    /// 3.5: the operation's state right after the kill.
    V35(crate::api::wire::v3::OperationState),
    /// 4.x+: accepted (204); the state right after, when it could be read.
    /// The operation may report `InProgress` once before `Canceled`
    /// (docs/protocol/ravendb-4x.md#kill): the followed state says the end.
    V4(Option<crate::api::wire::v4::OperationState>),
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
    fn kill_routes_by_generation_and_kind() {
        use crate::api::poll::Watched;
        let backup = Watched::DatabaseBackup {
            database: Some("My DB".into()),
        };
        let system_backup = Watched::DatabaseBackup { database: None };
        let restore = Watched::DatabaseRestore {
            database: "Copy".into(),
        };
        let v71 = Generation::V4Plus { major: 7, minor: 1 };
        let v41 = Generation::V4Plus { major: 4, minor: 1 };
        let route = v71.kill_route(&backup).unwrap();
        assert_eq!(
            route.request(3),
            (
                "POST",
                "/databases/My%20DB/operations/kill?id=3".to_string()
            )
        );
        assert_eq!(
            v41.kill_route(&restore).unwrap().request(7),
            ("POST", "/admin/operations/kill?id=7".to_string())
        );
        assert_eq!(v71.kill_route(&system_backup), None);
        assert_eq!(
            Generation::V35.kill_route(&backup).unwrap().request(2),
            ("GET", "/operation/kill?id=2".to_string())
        );
        assert_eq!(Generation::V35.kill_route(&restore), None);
        assert_eq!(Generation::V30.kill_route(&backup), None);
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
        assert!(old.to_string().contains("RavenDB 2.5"));
        assert!(Generation::detect(&bv("nope", ""))
            .unwrap_err()
            .contains("nope"));
        assert_eq!(Generation::detect(&bv("3.5.4", "")), Ok(Generation::V35));
    }

    #[test]
    fn labels_kill_and_routes() {
        assert_eq!(Generation::V30.label(), "RavenDB 3.0");
        assert_eq!(Generation::V35.label(), "RavenDB 3.5");
        let v41 = Generation::V4Plus { major: 4, minor: 1 };
        assert_eq!(v41.label(), "RavenDB 4.1");
        assert_eq!(v41.major_minor(), (4, 1));
        let (v30, v35) = (Generation::V30, Generation::V35);
        assert!(!v30.supports_kill() && v35.supports_kill());
        assert_eq!(v30.fs_restore_path(), "/admin/fs/restore");
        assert_eq!(v35.fs_restore_path(), "/admin/fs-restore");
        assert!(!v30.restore_late_fields_always_known());
        assert!(v35.restore_late_fields_always_known());
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
