//! Who an operation is: operation ids are numbered per server (and per
//! database for database-level ones) and, on 4.x and later, an operation
//! lives on one cluster node (docs/protocol/ravendb-4x.md#operation-ids).
//! So an operation is known by its normalised server URL, its level and
//! database, its id and its node tag, never by its id alone (issue 18).

/// A server root URL in one spelling, so that two spellings of the same
/// server compare equal: the scheme and host in lower case, a default port
/// (`:80` for http, `:443` for https) left out, no trailing slash. The path
/// is kept as typed (a proxy's sub-path is case-sensitive). Text that is not
/// an http(s) URL is only trimmed.
pub fn normalise_server(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let mut authority = authority.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => Some(":80"),
        "https" => Some(":443"),
        _ => None,
    };
    if let Some(port) = default_port {
        if let Some(stripped) = authority.strip_suffix(port) {
            authority = stripped.to_string();
        }
    }
    format!("{scheme}://{authority}{path}")
}

/// True when two server URLs name the same server (see [`normalise_server`]).
/// An unknown server (empty) is the same as no other.
pub fn same_server(a: &str, b: &str) -> bool {
    let (a, b) = (normalise_server(a), normalise_server(b));
    !a.is_empty() && a == b
}

/// The origin (`scheme://host[:port]`) of a URL, normalised; `None` for text
/// that is not an http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let normal = normalise_server(url);
    let (scheme, rest) = normal.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split('/').next().filter(|a| !a.is_empty())?;
    Some(format!("{scheme}://{authority}"))
}

/// Where an operation's id is numbered: per database (4.x+ backups) or per
/// server (restores, 3.x operations).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Numbered by the server (restores, every 3.x operation).
    Server,
    /// Numbered by this database (lower case: RavenDB compares names
    /// without regard to case).
    Database(String),
}

/// The identity of an operation: two operations with equal keys are the
/// same operation; equal ids on two servers, two databases or two nodes are
/// not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperationKey {
    /// The normalised server URL; empty when not known.
    pub server: String,
    /// Backup or restore, of a database or a file system.
    pub kind: String,
    /// Where the id is numbered.
    pub scope: Scope,
    /// The subject's name, lower case (`None`: the system database).
    pub name: Option<String>,
    /// The server's operation id (`None`: a 3.0 backup, which has none).
    pub id: Option<i64>,
    /// The cluster node that runs it (4.x+), upper case.
    pub node_tag: Option<String>,
}

impl OperationKey {
    /// The key of an operation of `kind` on `name`, started on `server`.
    /// `database_level`: its id is numbered by the database (4.x+ backups).
    pub fn new(
        server: &str,
        kind: &str,
        name: Option<&str>,
        database_level: bool,
        id: Option<i64>,
        node_tag: Option<&str>,
    ) -> Self {
        let name = name.map(str::to_lowercase);
        let scope = match (&name, database_level) {
            (Some(db), true) => Scope::Database(db.clone()),
            _ => Scope::Server,
        };
        OperationKey {
            server: normalise_server(server),
            kind: kind.to_string(),
            scope,
            name,
            id,
            node_tag: node_tag
                .map(|t| t.trim().to_ascii_uppercase())
                .filter(|t| !t.is_empty()),
        }
    }

    /// True when the server it ran on is not known (an entry remembered by
    /// a version that did not record it).
    pub fn server_unknown(&self) -> bool {
        self.server.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_server_are_one_server() {
        for (a, b) in [
            ("http://a:8080/", "http://a:8080"),
            (
                "HTTP://Raven.Example.COM:8080",
                "http://raven.example.com:8080",
            ),
            ("http://a:80", "http://a"),
            ("https://a:443/", "https://a"),
            (" http://a:8080 ", "http://a:8080"),
            ("https://proxy/ops/raven/", "https://PROXY/ops/raven"),
        ] {
            assert!(same_server(a, b), "{a} vs {b}");
            assert_eq!(normalise_server(a), normalise_server(b));
        }
        for (a, b) in [
            ("http://a:8080", "http://a:8081"),
            ("http://a:8080", "https://a:8080"),
            ("http://a:8080", "http://b:8080"),
            ("http://a:443", "https://a"),
            ("https://proxy/Ops", "https://proxy/ops"),
            ("", ""),
        ] {
            assert!(!same_server(a, b), "{a} vs {b}");
        }
        assert_eq!(normalise_server("http://h:80/x/"), "http://h/x");
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("HTTPS://Proxy.example:443/ops/raven/").as_deref(),
            Some("https://proxy.example")
        );
        assert_eq!(
            origin_of("http://10.0.0.2:8080").as_deref(),
            Some("http://10.0.0.2:8080")
        );
        assert_eq!(origin_of("/relative"), None);
        assert_eq!(origin_of("ftp://x"), None);
        assert_eq!(origin_of("http://"), None);
    }

    #[test]
    fn equal_ids_on_two_servers_databases_or_nodes_are_two_operations() {
        let key = |server, db, id, node| {
            OperationKey::new(server, "DatabaseBackup", Some(db), true, Some(id), node)
        };
        let one = key("http://a:8080", "Shop", 1, Some("A"));
        assert_eq!(one, key("HTTP://A:8080/", "shop", 1, Some("a")));
        assert_ne!(one, key("http://b:8080", "Shop", 1, Some("A")));
        assert_ne!(one, key("http://a:8080", "Orders", 1, Some("A")));
        assert_ne!(one, key("http://a:8080", "Shop", 2, Some("A")));
        assert_ne!(one, key("http://a:8080", "Shop", 1, Some("B")));
        // A restore's id is numbered by the server: restore 1 and backup 1
        // are two operations.
        let restore = OperationKey::new(
            "http://a:8080",
            "DatabaseRestore",
            Some("Shop"),
            false,
            Some(1),
            Some("A"),
        );
        assert_eq!(restore.scope, Scope::Server);
        assert_ne!(one, restore);
        assert!(OperationKey::new("", "DatabaseBackup", None, true, None, None).server_unknown());
        assert_eq!(
            OperationKey::new("http://a", "DatabaseBackup", None, true, None, Some(" ")).node_tag,
            None
        );
    }
}
