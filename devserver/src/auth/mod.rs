//! RavenDB 3.x API keys and the callers they authenticate: the
//! `Raven/ApiKeys/{name}` documents, the `--api-key` flag that seeds them,
//! and who may read, write or administer which database
//! (docs/protocol/ravendb-3x.md §11.3, §11.6).

pub mod crypto;
pub mod single_use;

use serde_json::{json, Value};

/// The tenant id of the system database in API keys and tokens.
pub const SYSTEM_TENANT: &str = "<system>";

/// One `AuthorizedDatabases` entry of an API key or a token.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbAccess {
    pub tenant_id: String,
    pub admin: bool,
    pub read_only: bool,
}

impl DbAccess {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    fn from_json(v: &Value) -> Option<DbAccess> {
        Some(DbAccess {
            tenant_id: v.get("TenantId")?.as_str()?.to_string(),
            admin: v.get("Admin").and_then(Value::as_bool).unwrap_or(false),
            read_only: v.get("ReadOnly").and_then(Value::as_bool).unwrap_or(false),
        })
    }
}

/// An API key as `--api-key name/secret=db1:admin,*:read` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeySpec {
    pub name: String,
    pub secret: String,
    pub databases: Vec<DbAccess>,
}

impl ApiKeySpec {
    /// Parses `name/secret=db:access[,db:access...]`; access is `admin`,
    /// `rw` (read and write) or `read`; `db` is a database name, `*` or
    /// `<system>`.
    pub fn parse(v: &str) -> Result<ApiKeySpec, String> {
        let usage = "--api-key must look like NAME/SECRET=DB:ACCESS[,DB:ACCESS...] \
                     (ACCESS is admin, rw or read; DB is a name, * or <system>)";
        let (key, dbs) = v.split_once('=').ok_or(usage)?;
        let (name, secret) = key.split_once('/').ok_or(usage)?;
        if name.is_empty() || secret.is_empty() || name.contains(',') || name.contains('=') {
            return Err(usage.into());
        }
        let mut databases = Vec::new();
        for part in dbs.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (db, access) = part.rsplit_once(':').ok_or(usage)?;
            let (admin, read_only) = match access.to_ascii_lowercase().as_str() {
                "admin" => (true, false),
                "rw" | "readwrite" => (false, false),
                "read" | "readonly" => (false, true),
                _ => return Err(usage.into()),
            };
            if db.is_empty() {
                return Err(usage.into());
            }
            databases.push(DbAccess {
                tenant_id: db.to_string(),
                admin,
                read_only,
            });
        }
        if databases.is_empty() {
            return Err(usage.into());
        }
        Ok(ApiKeySpec {
            name: name.to_string(),
            secret: secret.to_string(),
            databases,
        })
    }

    /// The system-database document 3.x keeps for the key.
    pub fn document(&self) -> Value {
        json!({
            "Name": self.name,
            "Secret": self.secret,
            "Enabled": true,
            "Databases": self.databases.iter().map(DbAccess::to_json).collect::<Vec<_>>(),
        })
    }
}

pub fn api_key_doc_id(name: &str) -> String {
    format!("Raven/ApiKeys/{name}")
}

/// An enabled key read from its document: `(secret, databases)`; `None` for
/// a missing, disabled or unreadable document ("Unknown API Key").
pub fn enabled_key(doc: &Value) -> Option<(String, Vec<DbAccess>)> {
    if doc.get("Enabled").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let secret = doc.get("Secret")?.as_str()?.to_string();
    let dbs = doc
        .get("Databases")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(DbAccess::from_json).collect())
        .unwrap_or_default();
    Some((secret, dbs))
}

/// A caller authenticated by an OAuth token (or a single-use token it got).
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    pub user: String,
    pub databases: Vec<DbAccess>,
    /// The token's `AccessTokenBody`, shown by `/debug/user-info`.
    pub token_body: Value,
}

impl Principal {
    /// The entry that rules `tenant`: the system database needs its own
    /// `<system>` entry; another database takes its own entry, else `*`.
    pub fn entry(&self, tenant: &str) -> Option<&DbAccess> {
        if tenant == SYSTEM_TENANT {
            return self.databases.iter().find(|d| d.tenant_id == SYSTEM_TENANT);
        }
        self.databases
            .iter()
            .find(|d| d.tenant_id.eq_ignore_ascii_case(tenant))
            .or_else(|| self.databases.iter().find(|d| d.tenant_id == "*"))
    }

    pub fn can_access(&self, tenant: &str, write: bool) -> bool {
        self.entry(tenant).is_some_and(|d| !(write && d.read_only))
    }

    pub fn is_admin_of(&self, tenant: &str) -> bool {
        self.entry(tenant).is_some_and(|d| d.admin)
    }

    pub fn is_global_admin(&self) -> bool {
        self.is_admin_of(SYSTEM_TENANT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_flag() {
        let k = ApiKeySpec::parse("ops/s3cret=Northwind:admin,*:read,<system>:rw").unwrap();
        assert_eq!(k.name, "ops");
        assert_eq!(k.secret, "s3cret");
        assert_eq!(k.databases.len(), 3);
        assert!(k.databases[0].admin && !k.databases[0].read_only);
        assert!(!k.databases[1].admin && k.databases[1].read_only);
        assert_eq!(k.databases[2].tenant_id, "<system>");
        for bad in [
            "ops/s",
            "ops=db:admin",
            "/s=db:admin",
            "ops/s=db",
            "ops/s=db:owner",
            "ops/s=",
        ] {
            assert!(ApiKeySpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn access_rules() {
        let k = ApiKeySpec::parse("k/s=Northwind:admin,*:read").unwrap();
        let p = Principal {
            user: k.name,
            databases: k.databases,
            token_body: Value::Null,
        };
        assert!(p.is_admin_of("northwind"));
        assert!(p.can_access("Orders", false));
        assert!(!p.can_access("Orders", true));
        assert!(!p.is_admin_of("Orders"));
        assert!(
            !p.can_access(SYSTEM_TENANT, false),
            "* does not cover <system>"
        );
        assert!(!p.is_global_admin());
    }

    #[test]
    fn disabled_keys_are_unknown() {
        let mut d = ApiKeySpec::parse("k/s=*:admin").unwrap().document();
        assert!(enabled_key(&d).is_some());
        d["Enabled"] = json!(false);
        assert!(enabled_key(&d).is_none());
    }
}
