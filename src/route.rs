//! Hash routing (`#/backup?db=Northwind`). The fragment never reaches the
//! server, so deep links work from any sub-path of any static host with no
//! rewrite rule. (leptos_router 0.8 has no hash mode; path routing would need
//! every host to rewrite unknown paths to index.html and to know the base.)

use crate::url::{percent_decode, percent_encode};

/// One screen of the dashboard, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The Backup screen, optionally preselected on a database.
    Backup {
        database: Option<String>,
    },
    Restore,
    Operations,
    /// A hash that names no screen.
    NotFound(String),
}

impl Route {
    /// Reads a `location.hash` value (`""`, `"#"`, `"#/restore"`, ...).
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let path = path.trim_matches('/');
        match path.to_ascii_lowercase().as_str() {
            "" | "backup" => Route::Backup {
                database: query_param(query, "db"),
            },
            "restore" => Route::Restore,
            "operations" => Route::Operations,
            _ => Route::NotFound(path.to_string()),
        }
    }

    /// The `href` that opens this screen.
    pub fn href(&self) -> String {
        match self {
            Route::Backup { database: None } => "#/backup".into(),
            Route::Backup { database: Some(db) } => {
                format!("#/backup?db={}", percent_encode(db))
            }
            Route::Restore => "#/restore".into(),
            Route::Operations => "#/operations".into(),
            Route::NotFound(p) => format!("#/{}", percent_encode(p)),
        }
    }

    /// Which navigation entry this screen belongs to.
    pub fn nav(&self) -> Option<NavItem> {
        match self {
            Route::Backup { .. } => Some(NavItem::Backup),
            Route::Restore => Some(NavItem::Restore),
            Route::Operations => Some(NavItem::Operations),
            Route::NotFound(_) => None,
        }
    }
}

/// The entries of the main navigation, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavItem {
    Backup,
    Restore,
    Operations,
}

impl NavItem {
    pub const ALL: [NavItem; 3] = [NavItem::Backup, NavItem::Restore, NavItem::Operations];

    pub fn label(self) -> &'static str {
        match self {
            NavItem::Backup => "Backup",
            NavItem::Restore => "Restore",
            NavItem::Operations => "Operations",
        }
    }

    pub fn route(self) -> Route {
        match self {
            NavItem::Backup => Route::Backup { database: None },
            NavItem::Restore => Route::Restore,
            NavItem::Operations => Route::Operations,
        }
    }
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| percent_decode(v))
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_hash_is_backup() {
        assert_eq!(Route::from_hash(""), Route::Backup { database: None });
        assert_eq!(Route::from_hash("#"), Route::Backup { database: None });
        assert_eq!(Route::from_hash("#/"), Route::Backup { database: None });
    }

    #[test]
    fn screens_parse() {
        assert_eq!(Route::from_hash("#/restore"), Route::Restore);
        assert_eq!(Route::from_hash("#/Operations/"), Route::Operations);
        assert_eq!(Route::from_hash("#/nope"), Route::NotFound("nope".into()));
    }

    #[test]
    fn backup_preselection_round_trips_any_name() {
        for name in ["Northwind", "my db", "a&b=c", "<script>", "שלום", "🦀%"] {
            let route = Route::Backup {
                database: Some(name.into()),
            };
            assert_eq!(Route::from_hash(&route.href()), route, "{name}");
        }
    }

    #[test]
    fn broken_percent_escapes_do_not_panic() {
        assert_eq!(
            Route::from_hash("#/backup?db=a%2"),
            Route::Backup {
                database: Some("a%2".into())
            }
        );
        assert_eq!(
            Route::from_hash("#/backup?db=%zz"),
            Route::Backup {
                database: Some("%zz".into())
            }
        );
        assert_eq!(
            Route::from_hash("#/backup?db=%"),
            Route::Backup {
                database: Some("%".into())
            }
        );
    }

    #[test]
    fn nav_items_map_to_routes() {
        for item in NavItem::ALL {
            assert_eq!(item.route().nav(), Some(item));
            assert_eq!(Route::from_hash(&item.route().href()), item.route());
        }
    }
}
