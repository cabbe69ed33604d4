//! The Backup form as plain data, and the pure functions that turn it into
//! the exact request, tell which secrets the backup would carry, and mask
//! them for the review. The screen only renders and edits this state.

use super::{json_of, parse_json_at, JsonError, PlannedRequest, Problem};
use crate::api::wire3x::{DatabaseBackupRequest, DatabaseDocument, FilesystemBackupRequest};
use crate::url::percent_encode;
use serde_json::Value;

/// What is backed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupTarget {
    /// The `<system>` database (`POST /admin/backup`).
    System,
    Database(String),
    FileSystem(String),
}

impl BackupTarget {
    /// The name shown to the user.
    pub fn display_name(&self) -> String {
        match self {
            BackupTarget::System => "<system>".into(),
            BackupTarget::Database(n) | BackupTarget::FileSystem(n) => n.clone(),
        }
    }
}

/// Which DatabaseDocument goes into the backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentChoice {
    /// Send `null`: the server loads the stored document, decrypts its
    /// secured settings and writes them into the backup.
    ServerStored,
    /// The stored document, loaded and edited here.
    EditStored,
    /// A document written here as raw JSON.
    WriteNew,
}

/// The admin's answer to the sensitive-data warning.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SecretsDecision {
    #[default]
    Undecided,
    /// "I understand": valid only for exactly these keys; a change in the
    /// set of secrets asks again.
    Acknowledged(Vec<String>),
    /// Send the document with SecuredSettings emptied.
    Strip,
}

/// The whole form.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupForm {
    pub target: Option<BackupTarget>,
    pub location: String,
    pub incremental: bool,
    pub choice: DocumentChoice,
    /// The JSON text of the document being edited (the raw editor's text;
    /// the structured editor writes here too). Never lost on a parse error.
    pub document_text: String,
    pub decision: SecretsDecision,
}

impl Default for BackupForm {
    fn default() -> Self {
        BackupForm {
            target: None,
            location: String::new(),
            incremental: false,
            choice: DocumentChoice::ServerStored,
            document_text: String::new(),
            decision: SecretsDecision::Undecided,
        }
    }
}

/// Which secrets the backup would carry in plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretsCarried {
    /// No secured settings go into the backup.
    None,
    /// Not known yet (the stored document has not been read).
    Unknown,
    /// These SecuredSettings keys, sorted.
    Keys(Vec<String>),
}

impl SecretsCarried {
    pub fn keys(&self) -> &[String] {
        match self {
            SecretsCarried::Keys(k) => k,
            _ => &[],
        }
    }
}

/// The setting that holds an encrypted database's key.
pub const ENCRYPTION_KEY: &str = "Raven/Encryption/Key";

/// The keys of a document's SecuredSettings that hold a value, sorted.
pub fn secret_keys(doc: &DatabaseDocument) -> Vec<String> {
    doc.secured_settings
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, _)| k.clone())
        .collect()
}

/// Parses the document editor's text into the document RavenDB would bind.
///
/// RavenDB 3.x binds a request's JSON with JSON.NET, which matches a
/// property by its exact name first and then ignoring case (ordinal), so
/// `securedSettings` or `SECUREDSETTINGS` is the database's SecuredSettings
/// (docs/protocol/ravendb-3x.md §2.4). Such a key is read as the property it binds to, so
/// the warning, the acknowledgment, the masking and the strip all see it; a
/// document with two keys that bind to one property is refused, since RavenDB
/// would merge them.
pub fn parse_document(text: &str) -> Result<DatabaseDocument, JsonError> {
    let mut value: Value = parse_json_at(text)?;
    let Value::Object(fields) = &mut value else {
        return Err(JsonError {
            line: 1,
            column: 1,
            message: "the DatabaseDocument must be a JSON object { … }".into(),
        });
    };
    // What the admin types is checked strictly, on the text itself so an
    // error keeps its position, and nothing is silently dropped (the wire
    // type reads leniently: a server's odd value must not be fatal).
    let checked: CheckedDocument = serde_json::from_str(text).map_err(JsonError::from)?;
    for (written, property) in checked.bound {
        if written != property {
            if let Some(v) = fields.remove(&written) {
                fields.insert(property.to_string(), v);
            }
        }
    }
    serde_json::from_value(value).map_err(JsonError::from)
}

/// The DatabaseDocument properties RavenDB binds, by their .NET names.
const DOCUMENT_PROPERTIES: [&str; 4] = ["Id", "Settings", "SecuredSettings", "Disabled"];

/// Whether two names are equal ignoring case as .NET's ordinal ignore-case
/// comparison does (each character upper-cased on its own, so `ſ` is `S`
/// and `ı` is `I`).
pub fn same_name_ignoring_case(a: &str, b: &str) -> bool {
    fn upper(c: char) -> char {
        let mut u = c.to_uppercase();
        match (u.next(), u.next()) {
            (Some(one), None) => one,
            _ => c,
        }
    }
    a.chars().count() == b.chars().count()
        && a.chars().zip(b.chars()).all(|(x, y)| upper(x) == upper(y))
}

/// The keys of a document's top-level object that RavenDB binds to one of
/// its properties, each with that property, after checking their types.
struct CheckedDocument {
    bound: Vec<(String, &'static str)>,
}

impl<'de> serde::Deserialize<'de> for CheckedDocument {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(CheckedDocument { bound: Vec::new() })
    }
}

impl<'de> serde::de::Visitor<'de> for CheckedDocument {
    type Value = CheckedDocument;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a DatabaseDocument object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<Self, A::Error> {
        use serde::de::{Error, IgnoredAny};
        type StringMap = Option<std::collections::BTreeMap<String, String>>;
        while let Some(key) = map.next_key::<String>()? {
            let Some(property) = DOCUMENT_PROPERTIES
                .into_iter()
                .find(|p| same_name_ignoring_case(&key, p))
            else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if let Some((first, _)) = self.bound.iter().find(|(_, p)| *p == property) {
                let both = if *first == key {
                    format!("\"{key}\" appears twice")
                } else {
                    format!("it has both \"{first}\" and \"{key}\"")
                };
                return Err(A::Error::custom(format!(
                    "{both}: RavenDB reads these names without regard to case, so it would \
                     merge them into one {property}. Keep only one"
                )));
            }
            match property {
                "Id" => {
                    map.next_value::<Option<String>>()?;
                }
                "Disabled" => {
                    map.next_value::<Option<bool>>()?;
                }
                _ => {
                    map.next_value::<StringMap>()?;
                }
            }
            self.bound.push((key, property));
        }
        Ok(self)
    }
}

/// The editor text of a document (indented JSON, as the server stores it).
pub fn document_text(doc: &DatabaseDocument) -> String {
    serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".into())
}

/// A new document to start from when writing one by hand.
pub fn blank_document(target: Option<&BackupTarget>) -> DatabaseDocument {
    DatabaseDocument {
        id: target.map(BackupTarget::display_name),
        ..DatabaseDocument::default()
    }
}

/// Which secrets the backup carries, given the form and (when read) the
/// stored document. Stripping empties them.
pub fn secrets_carried(form: &BackupForm, stored: Option<&DatabaseDocument>) -> SecretsCarried {
    if form.decision == SecretsDecision::Strip {
        return SecretsCarried::None;
    }
    let keys = match (&form.target, form.choice) {
        // The server substitutes an empty document for <system> (§3.3).
        (Some(BackupTarget::System), DocumentChoice::ServerStored) => return SecretsCarried::None,
        (_, DocumentChoice::ServerStored) => match stored {
            Some(doc) => secret_keys(doc),
            None => return SecretsCarried::Unknown,
        },
        (_, _) => match parse_document(&form.document_text) {
            Ok(doc) => secret_keys(&doc),
            // Nothing can be sent until the JSON is fixed.
            Err(_) => return SecretsCarried::Unknown,
        },
    };
    if keys.is_empty() {
        SecretsCarried::None
    } else {
        SecretsCarried::Keys(keys)
    }
}

/// Whether the admin's decision covers the secrets the backup carries.
pub fn secrets_settled(form: &BackupForm, carried: &SecretsCarried) -> bool {
    match carried {
        SecretsCarried::None => true,
        SecretsCarried::Unknown => false,
        SecretsCarried::Keys(keys) => match &form.decision {
            SecretsDecision::Acknowledged(acked) => acked == keys,
            SecretsDecision::Strip => true,
            SecretsDecision::Undecided => false,
        },
    }
}

/// True when stripping would make an encrypted database's backup
/// unrestorable without the key kept elsewhere.
/// Whether one of the carried secrets' names is `Raven/Encryption/Key`, in
/// any case: RavenDB binds it whatever its case.
pub fn names_encryption_key(keys: &[String]) -> bool {
    keys.iter()
        .any(|k| same_name_ignoring_case(k, ENCRYPTION_KEY))
}

pub fn strip_loses_encryption_key(form: &BackupForm, stored: Option<&DatabaseDocument>) -> bool {
    let doc = match form.choice {
        DocumentChoice::ServerStored => stored.cloned(),
        _ => parse_document(&form.document_text).ok(),
    };
    // RavenDB's SecuredSettings dictionary ignores case too.
    doc.is_some_and(|d| {
        d.secured_settings
            .iter()
            .any(|(k, v)| same_name_ignoring_case(k, ENCRYPTION_KEY) && !v.is_empty())
    })
}

/// Form fields that can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupField {
    Target,
    Location,
    Document,
    Secrets,
}

/// Turns the form into the exact request, or says what must change first.
/// `stored` is the stored document as read from the server, when read.
pub fn build_backup_request(
    form: &BackupForm,
    stored: Option<&DatabaseDocument>,
) -> Result<PlannedRequest, Vec<Problem<BackupField>>> {
    let mut problems = Vec::new();
    let location = form.location.trim();
    if location.is_empty() {
        problems.push(Problem::new(
            BackupField::Location,
            "Enter the backup folder: a path on the server, for example C:\\Backups\\Northwind.",
        ));
    }
    let target = match &form.target {
        Some(BackupTarget::Database(n)) | Some(BackupTarget::FileSystem(n))
            if n.trim().is_empty() =>
        {
            problems.push(Problem::new(BackupField::Target, "Choose what to back up."));
            None
        }
        Some(t) => Some(t.clone()),
        None => {
            problems.push(Problem::new(BackupField::Target, "Choose what to back up."));
            None
        }
    };

    // The document that goes into the backup (None = let the server load it).
    let mut document: Option<DatabaseDocument> = match form.choice {
        DocumentChoice::ServerStored => None,
        DocumentChoice::EditStored | DocumentChoice::WriteNew => {
            match parse_document(&form.document_text) {
                Ok(doc) => Some(doc),
                Err(e) => {
                    problems.push(Problem::new(
                    BackupField::Document,
                    format!("The DatabaseDocument is not valid JSON: {e}. Fix it to continue; your text is kept."),
                ));
                    None
                }
            }
        }
    };
    if form.decision == SecretsDecision::Strip {
        if form.choice == DocumentChoice::ServerStored {
            match stored {
                // Strip needs a document to send instead of null.
                Some(doc) => {
                    let mut doc = doc.clone();
                    if doc.id.is_none() {
                        doc.id = target.as_ref().map(BackupTarget::display_name);
                    }
                    document = Some(doc);
                }
                None => problems.push(Problem::new(
                    BackupField::Secrets,
                    "The stored document has not been read yet, so its secured settings cannot be stripped. Wait for it or choose another option.",
                )),
            }
        }
        if let Some(doc) = document.as_mut() {
            doc.secured_settings.clear();
        }
    }
    let carried = secrets_carried(form, stored);
    if !secrets_settled(form, &carried)
        && !problems.iter().any(|p| p.field == BackupField::Document)
    {
        let message = match &carried {
            SecretsCarried::Unknown => {
                "The stored document has not been read yet, so it is not known which secrets it holds.".to_string()
            }
            SecretsCarried::Keys(keys) => format!(
                "Acknowledge that {} secured setting{} will be written in plain text, or strip them.",
                keys.len(),
                if keys.len() == 1 { "" } else { "s" }
            ),
            SecretsCarried::None => String::new(),
        };
        problems.push(Problem::new(BackupField::Secrets, message));
    }

    let Some(target) = target else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let query = format!("?incremental={}", form.incremental);
    let (path, body) = match &target {
        BackupTarget::System => (
            format!("/admin/backup{query}"),
            json_of(&DatabaseBackupRequest {
                backup_location: location.to_string(),
                database_document: document,
            }),
        ),
        BackupTarget::Database(name) => (
            format!(
                "/databases/{}/admin/backup{query}",
                percent_encode(name.trim())
            ),
            json_of(&DatabaseBackupRequest {
                backup_location: location.to_string(),
                database_document: document,
            }),
        ),
        BackupTarget::FileSystem(name) => (
            format!("/fs/{}/admin/backup{query}", percent_encode(name.trim())),
            json_of(&FilesystemBackupRequest {
                backup_location: location.to_string(),
                file_system_document: document,
            }),
        ),
    };
    Ok(PlannedRequest::post(path, body))
}

/// Whether an incremental backup is allowed by the database's settings
/// (§3.4 steps 6 and 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncrementalSupport {
    Allowed,
    /// Not allowed; the setting that must change.
    NotAllowed(String),
    /// The settings are not known.
    Unknown,
}

/// Reads the storage engine's incremental-backup setting.
pub fn incremental_support(doc: Option<&DatabaseDocument>) -> IncrementalSupport {
    let Some(doc) = doc else {
        return IncrementalSupport::Unknown;
    };
    let setting = |k: &str| doc.settings.get(k).map(|v| v.trim().to_ascii_lowercase());
    let engine = setting("Raven/StorageTypeName").unwrap_or_default();
    if engine == "esent" {
        if setting("Raven/Esent/CircularLog").as_deref() == Some("false") {
            IncrementalSupport::Allowed
        } else {
            IncrementalSupport::NotAllowed("Raven/Esent/CircularLog must be false".into())
        }
    } else if setting("Raven/Voron/AllowIncrementalBackups").as_deref() == Some("true") {
        IncrementalSupport::Allowed
    } else {
        IncrementalSupport::NotAllowed("Raven/Voron/AllowIncrementalBackups must be true".into())
    }
}

/// The drive letter of a Windows path (`C:\x` → `C`), if it has one.
fn drive_letter(path: &str) -> Option<char> {
    let mut chars = path.trim().chars();
    let letter = chars.next()?;
    (letter.is_ascii_alphabetic() && chars.next() == Some(':')).then(|| letter.to_ascii_uppercase())
}

/// Warns, as the 3.x Studio did, when the backup folder is on the same
/// drive as the database's data (a disk failure would take both).
pub fn same_drive_warning(location: &str, doc: Option<&DatabaseDocument>) -> Option<String> {
    let data_dir = doc?.settings.get("Raven/DataDir")?;
    let (a, b) = (drive_letter(location)?, drive_letter(data_dir)?);
    (a == b).then(|| {
        format!(
            "The backup folder is on drive {a}:, the same drive as the database's data ({data_dir}). \
             If that drive fails, the backup is lost with the database; prefer another drive."
        )
    })
}

#[cfg(test)]
mod tests {
    /// "This is the encryption key" is said of the key in any case.
    #[test]
    fn the_encryption_key_is_named_in_any_case() {
        let keys = |k: &str| vec!["Raven/AWSSecretKey".to_string(), k.to_string()];
        assert!(names_encryption_key(&keys("Raven/Encryption/Key")));
        assert!(names_encryption_key(&keys("raven/encryption/key")));
        assert!(names_encryption_key(&keys("RAVEN/ENCRYPTION/KEY")));
        assert!(!names_encryption_key(&keys("Raven/Encryption/Algorithm")));
    }

    use super::*;
    use crate::forms::{curl_command, mask_secrets, MASK};
    use serde_json::json;

    fn payroll() -> DatabaseDocument {
        serde_json::from_value(json!({
            "Id": "Payroll",
            "Settings": {"Raven/ActiveBundles": "Encryption", "Raven/DataDir": "C:\\Data\\Payroll",
                         "Raven/StorageTypeName": "voron"},
            "SecuredSettings": {"Raven/Encryption/Key": "c2VjcmV0LWtleQ==", "Raven/AWSSecretKey": "aws-xyz",
                                "Raven/Empty": ""},
            "Disabled": false
        }))
        .unwrap()
    }

    fn northwind() -> DatabaseDocument {
        serde_json::from_value(json!({
            "Id": "Northwind",
            "Settings": {"Raven/Voron/AllowIncrementalBackups": "true", "Raven/DataDir": "~/Northwind"},
            "SecuredSettings": {},
            "Disabled": false
        }))
        .unwrap()
    }

    fn form(target: BackupTarget, choice: DocumentChoice) -> BackupForm {
        BackupForm {
            target: Some(target),
            location: "C:\\Backups\\X".into(),
            choice,
            ..BackupForm::default()
        }
    }

    #[test]
    fn server_stored_without_secrets_sends_null_document() {
        let f = form(
            BackupTarget::Database("Northwind".into()),
            DocumentChoice::ServerStored,
        );
        let req = build_backup_request(&f, Some(&northwind())).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(
            req.path,
            "/databases/Northwind/admin/backup?incremental=false"
        );
        assert_eq!(
            req.body,
            json!({"BackupLocation": "C:\\Backups\\X", "DatabaseDocument": null})
        );
    }

    #[test]
    fn system_database_goes_to_the_root_route() {
        let mut f = form(BackupTarget::System, DocumentChoice::ServerStored);
        f.incremental = true;
        let req = build_backup_request(&f, None).unwrap();
        assert_eq!(req.path, "/admin/backup?incremental=true");
        assert_eq!(secrets_carried(&f, None), SecretsCarried::None);
    }

    #[test]
    fn file_system_uses_its_route_and_field_name() {
        let f = form(
            BackupTarget::FileSystem("Media files".into()),
            DocumentChoice::ServerStored,
        );
        let req = build_backup_request(&f, Some(&northwind())).unwrap();
        assert_eq!(req.path, "/fs/Media%20files/admin/backup?incremental=false");
        assert_eq!(
            req.body,
            json!({"BackupLocation": "C:\\Backups\\X", "FileSystemDocument": null})
        );
    }

    #[test]
    fn server_stored_with_secrets_is_blocked_until_acknowledged() {
        let mut f = form(
            BackupTarget::Database("Payroll".into()),
            DocumentChoice::ServerStored,
        );
        let stored = payroll();
        let carried = secrets_carried(&f, Some(&stored));
        // Empty values are not secrets; keys are sorted.
        assert_eq!(
            carried,
            SecretsCarried::Keys(vec![
                "Raven/AWSSecretKey".into(),
                "Raven/Encryption/Key".into()
            ])
        );
        let problems = build_backup_request(&f, Some(&stored)).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, BackupField::Secrets);
        assert!(
            problems[0].message.contains("2 secured settings"),
            "{}",
            problems[0].message
        );

        f.decision = SecretsDecision::Acknowledged(carried.keys().to_vec());
        let req = build_backup_request(&f, Some(&stored)).unwrap();
        assert_eq!(req.body["DatabaseDocument"], Value::Null);
    }

    #[test]
    fn unknown_stored_document_blocks_a_null_send() {
        let f = form(
            BackupTarget::Database("Payroll".into()),
            DocumentChoice::ServerStored,
        );
        assert_eq!(secrets_carried(&f, None), SecretsCarried::Unknown);
        let problems = build_backup_request(&f, None).unwrap_err();
        assert_eq!(problems[0].field, BackupField::Secrets);
    }

    #[test]
    fn acknowledgment_is_for_exactly_the_keys_seen() {
        let mut f = form(
            BackupTarget::Database("Payroll".into()),
            DocumentChoice::EditStored,
        );
        let mut doc = payroll();
        f.document_text = document_text(&doc);
        let keys = secrets_carried(&f, None).keys().to_vec();
        f.decision = SecretsDecision::Acknowledged(keys);
        assert!(build_backup_request(&f, None).is_ok());
        // A secret added after the acknowledgment asks again.
        doc.secured_settings
            .insert("Raven/AzureStorageKey".into(), "azure".into());
        f.document_text = document_text(&doc);
        assert!(!secrets_settled(&f, &secrets_carried(&f, None)));
        assert!(build_backup_request(&f, None).is_err());
    }

    #[test]
    fn strip_sends_the_stored_document_with_empty_secured_settings() {
        let mut f = form(
            BackupTarget::Database("Payroll".into()),
            DocumentChoice::ServerStored,
        );
        f.decision = SecretsDecision::Strip;
        let stored = payroll();
        assert_eq!(secrets_carried(&f, Some(&stored)), SecretsCarried::None);
        assert!(strip_loses_encryption_key(&f, Some(&stored)));
        let req = build_backup_request(&f, Some(&stored)).unwrap();
        assert_eq!(req.body["DatabaseDocument"]["SecuredSettings"], json!({}));
        assert_eq!(req.body["DatabaseDocument"]["Id"], json!("Payroll"));
        assert_eq!(
            req.body["DatabaseDocument"]["Settings"]["Raven/ActiveBundles"],
            json!("Encryption")
        );
        // Without the stored document there is nothing to strip.
        assert!(build_backup_request(&f, None).is_err());
    }

    #[test]
    fn strip_applies_to_an_edited_document_too() {
        let mut f = form(
            BackupTarget::Database("Payroll".into()),
            DocumentChoice::EditStored,
        );
        f.document_text = document_text(&payroll());
        f.decision = SecretsDecision::Strip;
        let req = build_backup_request(&f, None).unwrap();
        assert_eq!(req.body["DatabaseDocument"]["SecuredSettings"], json!({}));
    }

    #[test]
    fn edited_document_is_sent_verbatim_with_unknown_fields() {
        let mut f = form(
            BackupTarget::Database("Northwind".into()),
            DocumentChoice::WriteNew,
        );
        f.document_text = r#"{"Id": null, "Settings": {"A": "1"}, "SecuredSettings": {}, "Disabled": true, "Custom": [1]}"#.into();
        let req = build_backup_request(&f, None).unwrap();
        assert_eq!(
            req.body["DatabaseDocument"],
            json!({"Id": null, "Settings": {"A": "1"}, "SecuredSettings": {}, "Disabled": true, "Custom": [1]})
        );
    }

    #[test]
    fn invalid_json_blocks_and_reports_line_and_column() {
        let mut f = form(
            BackupTarget::Database("Northwind".into()),
            DocumentChoice::WriteNew,
        );
        f.document_text = "{\n  \"Id\": \"x\",\n  \"Settings\": {,}\n}".into();
        let problems = build_backup_request(&f, None).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, BackupField::Document);
        assert!(
            problems[0].message.contains("line 3, column 16"),
            "{}",
            problems[0].message
        );
        // The text is untouched.
        assert!(f.document_text.contains("{,}"));
        let err = parse_document(&f.document_text).unwrap_err();
        assert_eq!((err.line, err.column), (3, 16));
    }

    #[test]
    fn wrong_types_and_non_objects_are_document_errors() {
        assert!(parse_document("[]").is_err());
        assert!(parse_document("\"x\"").is_err());
        let err = parse_document("{\"Settings\": [1, 2]}").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("expected a map"), "{}", err.message);
        let err = parse_document("{\n\"SecuredSettings\": {\"k\": 5}}").unwrap_err();
        assert_eq!(err.line, 2);
        let err = parse_document("{\"Disabled\": \"yes\"}").unwrap_err();
        assert!(err.message.contains("boolean"), "{}", err.message);
    }

    #[test]
    fn missing_fields_are_reported_together() {
        let f = BackupForm::default();
        let problems = build_backup_request(&f, None).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert!(fields.contains(&BackupField::Location));
        assert!(fields.contains(&BackupField::Target));
        let f = BackupForm {
            target: Some(BackupTarget::Database("  ".into())),
            location: "   ".into(),
            ..BackupForm::default()
        };
        assert_eq!(build_backup_request(&f, None).unwrap_err().len(), 2 + 1);
    }

    #[test]
    fn database_names_are_escaped_in_the_path() {
        let f = form(
            BackupTarget::Database("a/b?c#d e".into()),
            DocumentChoice::WriteNew,
        );
        let f = BackupForm {
            document_text: "{}".into(),
            ..f
        };
        let req = build_backup_request(&f, None).unwrap();
        assert_eq!(
            req.path,
            "/databases/a%2Fb%3Fc%23d%20e/admin/backup?incremental=false"
        );
    }

    #[test]
    fn masking_hides_every_secret_value_and_nothing_else() {
        let body = json!({"BackupLocation": "x", "DatabaseDocument": payroll()});
        let masked = mask_secrets(&body);
        let text = masked.to_string();
        assert!(!text.contains("c2VjcmV0LWtleQ=="));
        assert!(!text.contains("aws-xyz"));
        assert_eq!(
            masked["DatabaseDocument"]["SecuredSettings"]["Raven/AWSSecretKey"],
            json!(MASK)
        );
        assert_eq!(
            masked["DatabaseDocument"]["SecuredSettings"]["Raven/Empty"],
            json!("")
        );
        assert_eq!(
            masked["DatabaseDocument"]["Settings"],
            body["DatabaseDocument"]["Settings"]
        );
        assert_eq!(masked["BackupLocation"], json!("x"));
    }

    #[test]
    fn curl_for_an_empty_body_sends_none() {
        assert_eq!(
            curl_command("http://h", "POST", "/databases/D/admin/backup/database?taskId=3&isFullBackup=true", &Value::Null),
            "curl -X POST 'http://h/databases/D/admin/backup/database?taskId=3&isFullBackup=true' -H 'Content-Length: 0'"
        );
    }

    #[test]
    fn curl_quotes_safely() {
        let cmd = curl_command(
            "http://h:8080/",
            "POST",
            "/admin/backup?incremental=false",
            &json!({"BackupLocation": "it's"}),
        );
        assert_eq!(
            cmd,
            "curl -X POST 'http://h:8080/admin/backup?incremental=false' -H 'Content-Type: application/json; charset=utf-8' --data-binary '{\"BackupLocation\":\"it'\\''s\"}'"
        );
    }

    /// The issue's reproduction: RavenDB binds `securedSettings` (any case)
    /// to SecuredSettings, so every guard must see it.
    const CASE_VARIANTS: [&str; 5] = [
        "securedSettings",
        "SECUREDSETTINGS",
        "securedsettings",
        "SecuredsettingS",
        // .NET's ordinal ignore-case upper-cases ſ to S and ı to I.
        "ſecuredSettıngs",
    ];

    fn case_variant_form(key: &str) -> BackupForm {
        let mut f = form(
            BackupTarget::Database("Payroll".into()),
            DocumentChoice::WriteNew,
        );
        f.document_text = format!(
            r#"{{"Id":"Payroll","{key}":{{"Raven/Encryption/Key":"s3cr3t-X","Raven/Empty":""}}}}"#
        );
        f
    }

    #[test]
    fn case_variant_secured_settings_are_warned_about_and_acknowledged() {
        for key in CASE_VARIANTS {
            let mut f = case_variant_form(key);
            let carried = secrets_carried(&f, None);
            assert_eq!(
                carried,
                SecretsCarried::Keys(vec![ENCRYPTION_KEY.into()]),
                "{key}"
            );
            let problems = build_backup_request(&f, None).unwrap_err();
            assert_eq!(problems.len(), 1, "{key}: {problems:?}");
            assert_eq!(problems[0].field, BackupField::Secrets, "{key}");
            f.decision = SecretsDecision::Acknowledged(carried.keys().to_vec());
            let req = build_backup_request(&f, None).unwrap();
            // The review and copy-as-curl show the body masked.
            let masked = mask_secrets(&req.body);
            let curl = curl_command("http://h", req.method, &req.path, &masked);
            assert!(!masked.to_string().contains("s3cr3t-X"), "{key}: {masked}");
            assert!(!curl.contains("s3cr3t-X"), "{key}: {curl}");
            // What is sent is what RavenDB binds: one SecuredSettings.
            let doc = req.body["DatabaseDocument"].as_object().unwrap();
            let bound: Vec<_> = doc
                .keys()
                .filter(|k| k.to_lowercase().contains("ecuredsett"))
                .collect();
            assert_eq!(bound, ["SecuredSettings"], "{key}");
            assert_eq!(
                doc["SecuredSettings"][ENCRYPTION_KEY],
                json!("s3cr3t-X"),
                "{key}: acknowledged, the secret goes"
            );
        }
    }

    #[test]
    fn case_variant_secured_settings_are_stripped() {
        for key in CASE_VARIANTS {
            let mut f = case_variant_form(key);
            f.decision = SecretsDecision::Strip;
            assert!(strip_loses_encryption_key(&f, None), "{key}");
            let req = build_backup_request(&f, None).unwrap();
            assert!(
                !req.body.to_string().contains("s3cr3t-X"),
                "{key}: {}",
                req.body
            );
            assert_eq!(
                req.body["DatabaseDocument"]["SecuredSettings"],
                json!({}),
                "{key}"
            );
        }
    }

    #[test]
    fn the_encryption_key_is_found_whatever_its_case() {
        // RavenDB's SecuredSettings dictionary ignores case too.
        let mut f = form(
            BackupTarget::Database("Payroll".into()),
            DocumentChoice::WriteNew,
        );
        f.document_text = r#"{"SecuredSettings":{"raven/encryption/KEY":"k"}}"#.into();
        f.decision = SecretsDecision::Strip;
        assert!(strip_loses_encryption_key(&f, None));
    }

    #[test]
    fn two_secured_settings_differing_only_in_case_are_refused() {
        let text = "{\n  \"SecuredSettings\": {},\n  \"securedSettings\": {\"Raven/AWSSecretKey\": \"aws\"}\n}";
        let err = parse_document(text).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(
            err.message
                .contains("\"SecuredSettings\" and \"securedSettings\"")
                && err.message.contains("without regard to case"),
            "{err}"
        );
        let mut f = form(
            BackupTarget::Database("Payroll".into()),
            DocumentChoice::WriteNew,
        );
        f.document_text = text.into();
        f.decision = SecretsDecision::Strip;
        let problems = build_backup_request(&f, None).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, BackupField::Document);
        assert!(problems[0].message.contains("without regard to case"));
        assert_eq!(secrets_carried(&f, None), SecretsCarried::None);
        f.decision = SecretsDecision::Undecided;
        assert_eq!(secrets_carried(&f, None), SecretsCarried::Unknown);
        // The same name twice is refused too (RavenDB would merge them).
        let err = parse_document(r#"{"SecuredSettings": {}, "SecuredSettings": {"k": "v"}}"#)
            .unwrap_err();
        assert!(err.message.contains("twice"), "{err}");
    }

    #[test]
    fn other_properties_bind_whatever_their_case_too() {
        let doc = parse_document(
            r#"{"id": "P", "SETTINGS": {"Raven/DataDir": "C:\\P"}, "disabled": true, "Custom": 1}"#,
        )
        .unwrap();
        assert_eq!(doc.id.as_deref(), Some("P"));
        assert_eq!(doc.settings["Raven/DataDir"], "C:\\P");
        assert!(doc.disabled);
        assert_eq!(doc.extra.keys().collect::<Vec<_>>(), ["Custom"]);
        let err = parse_document(r#"{"Settings": {}, "settings": {}}"#).unwrap_err();
        assert!(err.message.contains("without regard to case"), "{err}");
        let err = parse_document(r#"{"disabled": "yes"}"#).unwrap_err();
        assert!(err.message.contains("boolean"), "{err}");
    }

    #[test]
    fn incremental_requirements_by_engine() {
        assert_eq!(
            incremental_support(Some(&northwind())),
            IncrementalSupport::Allowed
        );
        assert!(
            matches!(incremental_support(Some(&payroll())), IncrementalSupport::NotAllowed(s) if s.contains("AllowIncrementalBackups"))
        );
        let mut esent = DatabaseDocument::default();
        esent
            .settings
            .insert("Raven/StorageTypeName".into(), "esent".into());
        assert!(
            matches!(incremental_support(Some(&esent)), IncrementalSupport::NotAllowed(s) if s.contains("CircularLog"))
        );
        esent
            .settings
            .insert("Raven/Esent/CircularLog".into(), "False".into());
        assert_eq!(
            incremental_support(Some(&esent)),
            IncrementalSupport::Allowed
        );
        assert_eq!(incremental_support(None), IncrementalSupport::Unknown);
    }

    #[test]
    fn same_drive_warning_only_when_it_can_be_told() {
        assert!(same_drive_warning("c:\\Backups", Some(&payroll())).is_some());
        assert!(same_drive_warning("D:\\Backups", Some(&payroll())).is_none());
        assert!(same_drive_warning("backups/x", Some(&payroll())).is_none());
        assert!(same_drive_warning("C:\\B", Some(&northwind())).is_none());
        assert!(same_drive_warning("C:\\B", None).is_none());
    }
}
