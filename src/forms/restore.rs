//! The Restore form as plain data, and the pure functions that turn it into
//! the exact request (§5.2, §10), check the new resource's name before
//! anything is sent, and word the confirmation and the help of the advanced
//! fields. The screen only renders and edits this state.
//!
//! What the server does *not* check, this form does (§5.3: "Not validated
//! synchronously: the database name format"): a missing backup folder only
//! comes back as a 500 with a .NET stack trace, and a name that already
//! exists as a plain-text 400, so both are refused here, before the POST.
//!
//! Name rules, as the 3.x tools enforce them:
//! * the 3.x .NET client (`MultiDatabase.AssertValidName`, pinned by the
//!   3.x test `Raven.Tests.Bugs.TenantsName`, which rejects a name with
//!   spaces) allows only `A–Z a–z 0–9 _ - .`;
//! * the 3.x Studio (`viewmodels/resources/createDatabase.ts`,
//!   `viewmodels/filesystem/createFilesystem.ts`) adds: not blank; at most
//!   200 characters for a database, 260 − 30 = 230 for a file system; no
//!   leading or trailing dot; not a Windows device name (`CON`, `PRN`,
//!   `NUL`, `COM0–9`, `LPT0–9`, alone or before a dot); a database may not
//!   be called `System` (any case).
//!
//! This module applies all of them (and also refuses `AUX`, which Windows
//! reserves too, and `<system>` with its own message). `..` inside a name
//! is allowed, as in 3.x: the name is only ever one folder level
//! (`~/{name}`), and a leading dot is refused anyway.

use super::{json_of, PlannedRequest, Problem};
use crate::api::version::Generation;
use crate::api::wire3x::{DatabaseRestoreRequest, FilesystemRestoreRequest};

/// What is restored: a database (`POST /admin/restore`) or a RavenFS file
/// system (`POST /admin/fs/restore` or `/admin/fs-restore`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RestoreResource {
    #[default]
    Database,
    FileSystem,
}

impl RestoreResource {
    /// For sentences: `database` / `file system`.
    pub fn noun(self) -> &'static str {
        match self {
            RestoreResource::Database => "database",
            RestoreResource::FileSystem => "file system",
        }
    }

    /// Longest name the 3.x Studio accepts: 200 for a database, 260 − 30
    /// for a file system.
    pub fn max_name_len(self) -> usize {
        match self {
            RestoreResource::Database => 200,
            RestoreResource::FileSystem => 230,
        }
    }
}

/// The whole form, as typed. Text fields are kept verbatim (trimmed only
/// when the request is built).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RestoreForm {
    pub resource: RestoreResource,
    /// Server-side folder holding the backup (`BackupLocation`).
    pub backup_location: String,
    /// Name of the new database (`DatabaseName`) or file system
    /// (`FilesystemName`).
    pub name: String,
    /// Data folder of the new resource (`DatabaseLocation` /
    /// `FilesystemLocation`); empty = the server's default `~/{name}`.
    pub location: String,
    pub indexes_location: String,
    pub journals_location: String,
    /// Esent defragmentation (sent as `?defrag=` and as `Defrag`).
    pub defrag: bool,
    /// Seconds to wait for another restore, as typed; empty = do not wait.
    pub restore_start_timeout: String,
    /// Databases only (late 3.0 and 3.5).
    pub disable_replication_destinations: bool,
    /// Databases only (late 3.0 and 3.5).
    pub generate_new_database_id: bool,
}

/// Form fields that can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreField {
    BackupLocation,
    Name,
    Location,
    IndexesLocation,
    JournalsLocation,
    RestoreStartTimeout,
}

/// The optional ("advanced") fields of the restore form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdvancedField {
    /// `DatabaseLocation` (`FilesystemLocation` for a file system).
    DatabaseLocation,
    IndexesLocation,
    JournalsLocation,
    Defrag,
    RestoreStartTimeout,
    DisableReplicationDestinations,
    GenerateNewDatabaseId,
}

/// Whether the server version understands an advanced field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Every build of this version knows it.
    Always,
    /// Only late 3.0 builds know it (§5.2, §13; the exact build is unknown,
    /// §15.4). Shown, with [`Availability::note`], because the server's
    /// build number cannot tell: an earlier 3.0 ignores it silently.
    Late30Only,
}

impl Availability {
    /// The note shown next to the field, if any.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Availability::Always => None,
            Availability::Late30Only => Some(
                "Late 3.0 builds only: an earlier 3.0 server ignores this option without saying so.",
            ),
        }
    }
}

/// The advanced fields the form shows for this server and resource, in
/// display order, with how far the server understands each.
///
/// Decision for 3.0: `RestoreStartTimeout`, `DisableReplicationDestinations`
/// and `GenerateNewDatabaseId` are shown (a late 3.0 build honours them and
/// the build number cannot tell early from late), marked
/// [`Availability::Late30Only`]. File systems have no replication flags
/// (`FilesystemRestoreRequest`, §10), so those two are not listed for them.
/// A 4.x generation is answered like 3.5 (the screen does not drive 4.x).
pub fn fields_for(
    generation: &Generation,
    resource: RestoreResource,
) -> Vec<(AdvancedField, Availability)> {
    let late = if generation.restore_late_fields_always_known() {
        Availability::Always
    } else {
        Availability::Late30Only
    };
    let mut fields = vec![
        (AdvancedField::DatabaseLocation, Availability::Always),
        (AdvancedField::IndexesLocation, Availability::Always),
        (AdvancedField::JournalsLocation, Availability::Always),
        (AdvancedField::Defrag, Availability::Always),
        (AdvancedField::RestoreStartTimeout, late),
    ];
    if resource == RestoreResource::Database {
        fields.push((AdvancedField::DisableReplicationDestinations, late));
        fields.push((AdvancedField::GenerateNewDatabaseId, late));
    }
    fields
}

/// One line of plain help for an optional field (from §5.2, §5.4, §5.5).
pub fn advanced_field_help(field: AdvancedField) -> &'static str {
    match field {
        AdvancedField::DatabaseLocation => {
            "Folder on the server for the new data. Leave empty for the server's default: a folder named after it next to the other databases (~/<name>); a relative path is taken from there too."
        }
        AdvancedField::IndexesLocation => {
            "Folder on the server for the indexes. Leave empty to keep them in an Indexes folder inside the data folder."
        }
        AdvancedField::JournalsLocation => {
            "Folder on the server for the transaction journals (Voron) or logs (Esent). Leave empty to keep them with the data."
        }
        AdvancedField::Defrag => {
            "Esent only: defragment the restored data files after copying them. Slower; has no effect on Voron."
        }
        AdvancedField::RestoreStartTimeout => {
            "If another restore is already running, wait up to this many seconds for it to finish. Leave empty to fail at once."
        }
        AdvancedField::DisableReplicationDestinations => {
            "If the backup has replication, restore it with every replication destination disabled, so the copy does not start sending data to the original's servers."
        }
        AdvancedField::GenerateNewDatabaseId => {
            "Give the restored database a new database id, so it is not mistaken for the original by replication. Applied just after the restore reports Completed."
        }
    }
}

/// Windows device names, unusable as a folder name (alone or with an
/// extension).
fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        s if s.len() == 4 && (s.starts_with("COM") || s.starts_with("LPT")) => {
            s.as_bytes()[3].is_ascii_digit()
        }
        _ => false,
    }
}

fn allowed_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// How a character is named in a message.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "space".into(),
        '\t' => "tab".into(),
        c if c.is_whitespace() => "a blank".into(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("{c}"),
    }
}

fn validate_name(name: &str, resource: RestoreResource) -> Result<(), String> {
    let noun = resource.noun();
    if name.trim().is_empty() {
        return Err(format!(
            "Enter a name for the new {noun}. Use letters A-Z and a-z, digits 0-9, underscore (_), hyphen (-) and dot (.)."
        ));
    }
    if name.trim().eq_ignore_ascii_case("<system>") {
        return Err(format!(
            "<system> is the server's own system database and cannot be restored over HTTP. Enter a name for a new {noun}."
        ));
    }
    if resource == RestoreResource::Database && name.eq_ignore_ascii_case("system") {
        return Err(
            "The name \"System\" (in any letter case) is reserved for the server's system database. Choose another name."
                .into(),
        );
    }
    let len = name.chars().count();
    let max = resource.max_name_len();
    if len > max {
        return Err(format!(
            "The name is {len} characters long; a {noun} name can be at most {max} characters."
        ));
    }
    let mut bad: Vec<char> = Vec::new();
    for c in name.chars().filter(|c| !allowed_name_char(*c)) {
        if !bad.contains(&c) {
            bad.push(c);
        }
    }
    if !bad.is_empty() {
        let list: Vec<String> = bad.into_iter().map(describe_char).collect();
        return Err(format!(
            "The name contains {} that {} not allowed: {}. A {noun} name can use only letters A-Z and a-z, digits 0-9, underscore (_), hyphen (-) and dot (.).",
            if list.len() == 1 { "a character" } else { "characters" },
            if list.len() == 1 { "is" } else { "are" },
            list.join(", ")
        ));
    }
    if name.starts_with('.') {
        return Err(format!(
            "A {noun} name cannot start with a dot. Start it with a letter, a digit, _ or -."
        ));
    }
    if name.ends_with('.') {
        return Err(format!(
            "A {noun} name cannot end with a dot. End it with a letter, a digit, _ or -."
        ));
    }
    if is_device_name(name) {
        let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
        return Err(format!(
            "\"{stem}\" is a device name reserved by Windows, so it cannot name the {noun}'s folder (not even with an extension). Reserved: CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9."
        ));
    }
    Ok(())
}

/// Checks a database name against the RavenDB 3.x rules (see the module
/// documentation). The name is checked exactly as given: surrounding
/// blanks are refused like any other blank (the form trims before calling
/// this). The error is one plain sentence saying what is wrong and what is
/// allowed.
pub fn validate_database_name(name: &str) -> Result<(), String> {
    validate_name(name, RestoreResource::Database)
}

/// The same rules for a file system's name (longest 230 characters; the
/// name `System` is not reserved for file systems).
pub fn validate_filesystem_name(name: &str) -> Result<(), String> {
    validate_name(name, RestoreResource::FileSystem)
}

/// Longest wait accepted for `RestoreStartTimeout`: 24 hours.
pub const MAX_RESTORE_START_TIMEOUT: i32 = 86_400;

/// Reads the typed `RestoreStartTimeout`: empty (or blanks) = `None` (fail
/// at once if another restore runs), else a whole number of seconds from 1
/// to [`MAX_RESTORE_START_TIMEOUT`].
pub fn parse_restore_start_timeout(text: &str) -> Result<Option<i32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    const RANGE: &str = "Enter a whole number of seconds from 1 to 86400 (24 hours), or leave it empty to fail at once when another restore is running.";
    let digits = text.strip_prefix('+').unwrap_or(text);
    if let Some(rest) = digits.strip_prefix('-') {
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(format!("The wait cannot be negative (\"{text}\"). {RANGE}"));
        }
    }
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return match digits.parse::<i64>() {
            Ok(0) => Err(format!("A wait of 0 seconds does not wait. {RANGE}")),
            Ok(n) if n <= i64::from(MAX_RESTORE_START_TIMEOUT) => Ok(Some(n as i32)),
            _ => Err(format!("\"{text}\" seconds is too long. {RANGE}")),
        };
    }
    let decimal = digits.split_once(['.', ',']).is_some_and(|(a, b)| {
        !(a.is_empty() && b.is_empty())
            && a.chars().all(|c| c.is_ascii_digit())
            && b.chars().all(|c| c.is_ascii_digit())
    });
    if decimal {
        return Err(format!(
            "\"{text}\" is not a whole number: the server counts whole seconds. {RANGE}"
        ));
    }
    Err(format!("\"{text}\" is not a number of seconds. {RANGE}"))
}

/// Characters a Windows path can never hold (the 3.x Studio refused them
/// too), besides control characters.
const BAD_PATH_CHARS: [char; 6] = ['*', '?', '"', '<', '>', '|'];

/// Longest folder path .NET accepted (the Studio's limit as well).
const MAX_PATH_LEN: usize = 248;

/// Trims an optional path; `None` when empty. Reports a path Windows
/// cannot use.
fn optional_path(
    text: &str,
    label: &str,
    field: RestoreField,
    problems: &mut Vec<Problem<RestoreField>>,
) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(message) = path_problem(text, label) {
        problems.push(Problem::new(field, message));
    }
    Some(text.to_string())
}

fn path_problem(path: &str, label: &str) -> Option<String> {
    let len = path.chars().count();
    if len > MAX_PATH_LEN {
        return Some(format!(
            "The {label} is {len} characters long; the server accepts folder paths of at most {MAX_PATH_LEN} characters."
        ));
    }
    let mut bad: Vec<char> = Vec::new();
    for c in path
        .chars()
        .filter(|c| BAD_PATH_CHARS.contains(c) || c.is_control())
    {
        if !bad.contains(&c) {
            bad.push(c);
        }
    }
    if !bad.is_empty() {
        let list: Vec<String> = bad.into_iter().map(describe_char).collect();
        return Some(format!(
            "The {label} contains {}, which a Windows path cannot hold. Remove {}; the characters * ? \" < > | are never allowed in a path.",
            list.join(", "),
            if list.len() == 1 { "it" } else { "them" }
        ));
    }
    None
}

fn same_name(a: &str, b: &str) -> bool {
    // RavenDB compares resource names case-insensitively (.NET
    // OrdinalIgnoreCase upper-cases both sides).
    a.trim().to_uppercase() == b.trim().to_uppercase()
}

/// The server's name for `wanted`, if the list holds it in any case: the
/// check made again right before a restore's POST.
pub fn taken_name<'a>(names: impl IntoIterator<Item = &'a str>, wanted: &str) -> Option<&'a str> {
    names
        .into_iter()
        .find(|n| same_name(n, wanted))
        .map(str::trim)
}

/// Turns the form into the exact request, or lists everything that must
/// change first (every problem at once, in field order).
///
/// `existing` is the server's list of names of the same kind (databases for
/// a database restore, file systems for a file-system restore), when read;
/// a name found there (any letter case) is refused before the POST, since a
/// restore always creates a new resource (§5.3 step 6).
///
/// Database: `POST /admin/restore?defrag={bool}` with a
/// [`DatabaseRestoreRequest`] shaped by
/// [`Generation::shape_restore_request`] (3.0 sends the late flags only
/// when set). The query overrides the body's `Defrag` on the server, so
/// both carry the same value. File system: `POST` to
/// [`Generation::fs_restore_path`] with a [`FilesystemRestoreRequest`]
/// (the two replication flags of the form do not apply and are not sent).
pub fn build_restore_request(
    form: &RestoreForm,
    generation: &Generation,
    existing: Option<&[String]>,
) -> Result<PlannedRequest, Vec<Problem<RestoreField>>> {
    let mut problems = Vec::new();
    let noun = form.resource.noun();

    let backup_location = form.backup_location.trim();
    if backup_location.is_empty() {
        problems.push(Problem::new(
            RestoreField::BackupLocation,
            "Enter the backup folder: the path, on the server, of the folder that holds the backup, for example C:\\Backups\\Northwind.",
        ));
    } else if let Some(message) = path_problem(backup_location, "backup folder") {
        problems.push(Problem::new(RestoreField::BackupLocation, message));
    }

    let name = form.name.trim();
    if let Err(message) = validate_name(name, form.resource) {
        problems.push(Problem::new(RestoreField::Name, message));
    } else if let Some(taken) = existing
        .unwrap_or_default()
        .iter()
        .find(|n| same_name(n, name))
    {
        let also = if taken.trim() == name {
            String::new()
        } else {
            format!(" (as \"{}\")", taken.trim())
        };
        problems.push(Problem::new(
            RestoreField::Name,
            format!(
                "A {noun} named \"{name}\" already exists on the server{also}. Choose another name; a restore always creates a new {noun}."
            ),
        ));
    }

    let location = optional_path(
        &form.location,
        &format!("{noun} folder"),
        RestoreField::Location,
        &mut problems,
    );
    let indexes_location = optional_path(
        &form.indexes_location,
        "indexes folder",
        RestoreField::IndexesLocation,
        &mut problems,
    );
    let journals_location = optional_path(
        &form.journals_location,
        "journals folder",
        RestoreField::JournalsLocation,
        &mut problems,
    );
    let timeout = match parse_restore_start_timeout(&form.restore_start_timeout) {
        Ok(t) => t,
        Err(message) => {
            problems.push(Problem::new(RestoreField::RestoreStartTimeout, message));
            None
        }
    };

    if !problems.is_empty() {
        return Err(problems);
    }

    let (path, body) = match form.resource {
        RestoreResource::Database => {
            let mut req = DatabaseRestoreRequest {
                database_name: Some(name.to_string()),
                backup_location: backup_location.to_string(),
                indexes_location,
                restore_start_timeout: timeout,
                database_location: location,
                defrag: form.defrag,
                journals_location,
                ..Default::default()
            }
            .with_late_options(
                form.disable_replication_destinations,
                form.generate_new_database_id,
            );
            generation.shape_restore_request(&mut req);
            (
                format!("/admin/restore?defrag={}", form.defrag),
                json_of(&req),
            )
        }
        RestoreResource::FileSystem => (
            generation.fs_restore_path().to_string(),
            json_of(&FilesystemRestoreRequest {
                filesystem_name: Some(name.to_string()),
                backup_location: backup_location.to_string(),
                filesystem_location: location,
                indexes_location,
                journals_location,
                defrag: form.defrag,
                restore_start_timeout: timeout,
            }),
        ),
    };
    Ok(PlannedRequest::post(path, body))
}

/// The sentence the admin confirms:
/// `Restore backup at C:\B into a new database Northwind2 at D:\Data\N2.`;
/// without a location, `… at the server's default folder (~/Northwind2).`
/// (§5.4). Values are shown trimmed, as they are sent.
pub fn confirmation_sentence(form: &RestoreForm) -> String {
    let noun = form.resource.noun();
    let name = match form.name.trim() {
        "" => "(no name yet)",
        n => n,
    };
    let backup = match form.backup_location.trim() {
        "" => "(no folder yet)",
        b => b,
    };
    let location = match form.location.trim() {
        "" => format!("the server's default folder (~/{name})"),
        l => l.to_string(),
    };
    format!("Restore backup at {backup} into a new {noun} {name} at {location}.")
}

/// The name of the resource an "Another restore is in progress (resource
/// name = X)" refusal names.
pub fn other_restore_name(message: &str) -> Option<String> {
    let start = message.find("resource name = ")? + "resource name = ".len();
    let rest = &message[start..];
    let end = rest.find(')')?;
    Some(rest[..end].to_string()).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use serde_json::Value;

    fn db_form() -> RestoreForm {
        RestoreForm {
            backup_location: "C:\\Backups\\Northwind".into(),
            name: "Northwind2".into(),
            ..RestoreForm::default()
        }
    }

    fn fs_form() -> RestoreForm {
        RestoreForm {
            resource: RestoreResource::FileSystem,
            backup_location: "C:\\Backups\\Files".into(),
            name: "Files2".into(),
            ..RestoreForm::default()
        }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn problems_of(form: &RestoreForm) -> Vec<Problem<RestoreField>> {
        build_restore_request(form, &Generation::V35, None).unwrap_err()
    }

    fn only_problem(form: &RestoreForm, field: RestoreField) -> String {
        let problems = problems_of(form);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, field);
        problems[0].message.clone()
    }

    // --- database mapping -------------------------------------------------

    #[test]
    fn v35_plain_form_is_the_worked_example() {
        // §5.6
        let req = build_restore_request(&db_form(), &Generation::V35, None).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/admin/restore?defrag=false");
        assert_eq!(
            req.body,
            json!({"BackupLocation":"C:\\Backups\\Northwind","DatabaseName":"Northwind2",
                   "DatabaseLocation":null,"IndexesLocation":null,"JournalsLocation":null,
                   "Defrag":false,"RestoreStartTimeout":null,
                   "DisableReplicationDestinations":false,"GenerateNewDatabaseId":false})
        );
    }

    #[test]
    fn v30_with_both_late_flags_false_sends_the_early_subset() {
        let req = build_restore_request(&db_form(), &Generation::V30, None).unwrap();
        assert_eq!(req.path, "/admin/restore?defrag=false");
        assert_eq!(
            req.body,
            json!({"BackupLocation":"C:\\Backups\\Northwind","DatabaseName":"Northwind2",
                   "DatabaseLocation":null,"IndexesLocation":null,"JournalsLocation":null,
                   "Defrag":false,"RestoreStartTimeout":null})
        );
    }

    #[test]
    fn v30_sends_only_the_late_flags_that_are_set() {
        let mut f = db_form();
        f.generate_new_database_id = true;
        let req = build_restore_request(&f, &Generation::V30, None).unwrap();
        assert_eq!(req.body["GenerateNewDatabaseId"], json!(true));
        assert!(req.body.get("DisableReplicationDestinations").is_none());
        f.disable_replication_destinations = true;
        let req = build_restore_request(&f, &Generation::V30, None).unwrap();
        assert_eq!(req.body["DisableReplicationDestinations"], json!(true));
    }

    #[test]
    fn every_field_is_mapped_trimmed_and_defrag_is_in_query_and_body() {
        let f = RestoreForm {
            resource: RestoreResource::Database,
            backup_location: "  D:\\Backups\\Orders\\ ".into(),
            name: " Orders-2016.restored ".into(),
            location: " E:\\Data\\Orders2 ".into(),
            indexes_location: "F:\\Indexes\\Orders2".into(),
            journals_location: "\tG:\\Journals\\Orders2".into(),
            defrag: true,
            restore_start_timeout: " 120 ".into(),
            disable_replication_destinations: true,
            generate_new_database_id: false,
        };
        for generation in [Generation::V30, Generation::V35] {
            let req = build_restore_request(&f, &generation, None).unwrap();
            assert_eq!(req.path, "/admin/restore?defrag=true");
            let mut expected = json!({"BackupLocation":"D:\\Backups\\Orders\\",
                "DatabaseName":"Orders-2016.restored",
                "DatabaseLocation":"E:\\Data\\Orders2","IndexesLocation":"F:\\Indexes\\Orders2",
                "JournalsLocation":"G:\\Journals\\Orders2","Defrag":true,"RestoreStartTimeout":120,
                "DisableReplicationDestinations":true});
            if generation == Generation::V35 {
                expected["GenerateNewDatabaseId"] = json!(false);
            }
            assert_eq!(req.body, expected, "{generation:?}");
        }
    }

    #[test]
    fn blank_optional_paths_are_null() {
        let mut f = db_form();
        f.location = "   ".into();
        f.indexes_location = "\t".into();
        f.journals_location = " ".into();
        f.restore_start_timeout = "  ".into();
        let req = build_restore_request(&f, &Generation::V35, None).unwrap();
        for key in [
            "DatabaseLocation",
            "IndexesLocation",
            "JournalsLocation",
            "RestoreStartTimeout",
        ] {
            assert_eq!(req.body[key], Value::Null, "{key}");
        }
    }

    // --- file-system mapping ----------------------------------------------

    #[test]
    fn file_system_restore_per_version() {
        let mut f = fs_form();
        f.location = "D:\\FS\\Files2".into();
        f.defrag = true;
        f.restore_start_timeout = "30".into();
        // The database-only flags never reach a file-system request.
        f.disable_replication_destinations = true;
        f.generate_new_database_id = true;
        let expected = json!({"FilesystemName":"Files2","BackupLocation":"C:\\Backups\\Files",
            "FilesystemLocation":"D:\\FS\\Files2","IndexesLocation":null,"JournalsLocation":null,
            "Defrag":true,"RestoreStartTimeout":30});
        let r30 = build_restore_request(&f, &Generation::V30, None).unwrap();
        assert_eq!(
            (r30.method, r30.path.as_str()),
            ("POST", "/admin/fs/restore")
        );
        assert_eq!(r30.body, expected);
        let r35 = build_restore_request(&f, &Generation::V35, None).unwrap();
        assert_eq!(r35.path, "/admin/fs-restore");
        assert_eq!(r35.body, expected);
    }

    #[test]
    fn file_system_name_rules_and_existing_file_systems() {
        let mut f = fs_form();
        f.name = "System".into(); // reserved for databases only
        assert!(build_restore_request(&f, &Generation::V35, None).is_ok());
        f.name = "x".repeat(230);
        assert!(build_restore_request(&f, &Generation::V35, None).is_ok());
        f.name = "x".repeat(231);
        let m = only_problem(&f, RestoreField::Name);
        assert!(m.contains("at most 230"), "{m}");
        f.name = "files2".into();
        let existing = names(&["FILES2"]);
        let p = build_restore_request(&f, &Generation::V30, Some(existing.as_slice())).unwrap_err();
        assert!(
            p[0].message
                .starts_with("A file system named \"files2\" already exists"),
            "{}",
            p[0].message
        );
        assert!(p[0].message.ends_with("creates a new file system."));
        assert!(validate_filesystem_name("Media files").is_err());
    }

    // --- required fields, many problems -----------------------------------

    #[test]
    fn required_fields() {
        let mut f = db_form();
        f.backup_location = "  ".into();
        let m = only_problem(&f, RestoreField::BackupLocation);
        assert!(m.contains("backup folder"), "{m}");
        let mut f = db_form();
        f.name = " ".into();
        let m = only_problem(&f, RestoreField::Name);
        assert!(m.starts_with("Enter a name for the new database."), "{m}");
    }

    #[test]
    fn every_problem_is_reported_at_once_in_field_order() {
        let f = RestoreForm {
            backup_location: String::new(),
            name: "bad name".into(),
            location: "D:\\Data\\a|b".into(),
            indexes_location: "D:\\Idx?".into(),
            journals_location: format!("D:\\{}", "j".repeat(250)),
            restore_start_timeout: "soon".into(),
            ..RestoreForm::default()
        };
        let fields: Vec<_> = problems_of(&f).iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                RestoreField::BackupLocation,
                RestoreField::Name,
                RestoreField::Location,
                RestoreField::IndexesLocation,
                RestoreField::JournalsLocation,
                RestoreField::RestoreStartTimeout,
            ]
        );
        let default = problems_of(&RestoreForm::default());
        assert_eq!(default.len(), 2, "{default:?}");
    }

    #[test]
    fn paths_windows_cannot_hold_are_refused() {
        let mut f = db_form();
        f.location = "D:\\Data\\<new>".into();
        let m = only_problem(&f, RestoreField::Location);
        assert!(m.contains("database folder contains <, >"), "{m}");
        let mut f = db_form();
        f.backup_location = "C:\\Backups\\*".into();
        let m = only_problem(&f, RestoreField::BackupLocation);
        assert!(m.contains("*"), "{m}");
        // Relative and UNC paths are fine (§5.4).
        let mut f = db_form();
        f.location = "Databases\\N2".into();
        f.indexes_location = "\\\\nas\\share\\idx".into();
        assert!(build_restore_request(&f, &Generation::V35, None).is_ok());
    }

    // --- existing names ----------------------------------------------------

    #[test]
    fn a_taken_name_is_found_in_any_case_and_spacing() {
        let list = ["Northwind", " orders ", "Ünïcode"];
        assert_eq!(taken_name(list, "NORTHWIND"), Some("Northwind"));
        assert_eq!(taken_name(list, "Orders"), Some("orders"));
        assert_eq!(taken_name(list, "ünïcode"), Some("Ünïcode"));
        assert_eq!(taken_name(list, "Northwind2"), None);
        assert_eq!(taken_name([], "Northwind"), None);
    }

    #[test]
    fn an_existing_name_is_refused_case_insensitively() {
        let existing = names(&["Northwind", "northwind2 ", "Orders"]);
        let mut f = db_form();
        f.name = "NorthWind2".into();
        let p = build_restore_request(&f, &Generation::V35, Some(existing.as_slice())).unwrap_err();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field, RestoreField::Name);
        assert_eq!(
            p[0].message,
            "A database named \"NorthWind2\" already exists on the server (as \"northwind2\"). Choose another name; a restore always creates a new database."
        );
        f.name = "Orders".into();
        let p = build_restore_request(&f, &Generation::V30, Some(existing.as_slice())).unwrap_err();
        assert_eq!(
            p[0].message,
            "A database named \"Orders\" already exists on the server. Choose another name; a restore always creates a new database."
        );
        f.name = "Northwind3".into();
        assert!(build_restore_request(&f, &Generation::V35, Some(existing.as_slice())).is_ok());
        // An unread list checks nothing; an empty list finds nothing.
        f.name = "Orders".into();
        assert!(build_restore_request(&f, &Generation::V35, None).is_ok());
        assert!(build_restore_request(&f, &Generation::V35, Some(&[][..])).is_ok());
    }

    // --- name rules --------------------------------------------------------

    #[test]
    fn valid_names() {
        for name in [
            "Northwind",
            "a",
            "Orders_2016-03.bak",
            "x.y",
            "a..b",
            "CONSOLE",
            "COM10",
            "LPT",
            "Systems",
            "_",
            "-x-",
        ] {
            assert_eq!(validate_database_name(name), Ok(()), "{name}");
        }
        assert_eq!(validate_database_name(&"n".repeat(200)), Ok(()));
    }

    #[test]
    fn empty_and_blank_names() {
        for name in ["", "   ", "\t"] {
            let e = validate_database_name(name).unwrap_err();
            assert!(e.starts_with("Enter a name for the new database."), "{e}");
        }
    }

    #[test]
    fn too_long_names() {
        let e = validate_database_name(&"n".repeat(201)).unwrap_err();
        assert_eq!(
            e,
            "The name is 201 characters long; a database name can be at most 200 characters."
        );
    }

    #[test]
    fn spaces_quotes_and_markup_are_refused_clearly() {
        let e = validate_database_name("My Database").unwrap_err();
        assert_eq!(
            e,
            "The name contains a character that is not allowed: space. A database name can use only letters A-Z and a-z, digits 0-9, underscore (_), hyphen (-) and dot (.)."
        );
        let e = validate_database_name("Bob's \"db\"").unwrap_err();
        assert!(
            e.starts_with("The name contains characters that are not allowed: ', space, \". "),
            "{e}"
        );
        let e = validate_database_name("<script>alert(1)</script>").unwrap_err();
        assert!(e.contains("not allowed: <, >, (, ), /."), "{e}");
        for name in [
            "a/b", "a\\b", "a:b", "a*b", "a?b", "a|b", "é", "日本", "a\u{7}b",
        ] {
            let e = validate_database_name(name).unwrap_err();
            assert!(e.contains("not allowed"), "{name}: {e}");
            assert!(e.contains("letters A-Z and a-z"), "{name}: {e}");
        }
        let e = validate_database_name("a\u{7}b").unwrap_err();
        assert!(e.contains("control character U+0007"), "{e}");
        // Surrounding blanks are refused when checked as given …
        assert!(validate_database_name(" Northwind").is_err());
        // … while the form trims them.
        let mut f = db_form();
        f.name = " Northwind2\t".into();
        assert!(build_restore_request(&f, &Generation::V35, None).is_ok());
    }

    #[test]
    fn dots_at_the_ends_are_refused() {
        let e = validate_database_name(".hidden").unwrap_err();
        assert!(
            e.starts_with("A database name cannot start with a dot."),
            "{e}"
        );
        let e = validate_database_name("..").unwrap_err();
        assert!(e.contains("cannot start with a dot"), "{e}");
        let e = validate_database_name("Northwind.").unwrap_err();
        assert!(
            e.starts_with("A database name cannot end with a dot."),
            "{e}"
        );
    }

    #[test]
    fn reserved_names_are_refused() {
        let e = validate_database_name("<system>").unwrap_err();
        assert!(
            e.starts_with("<system> is the server's own system database"),
            "{e}"
        );
        assert!(validate_database_name("<SYSTEM>").is_err());
        for name in ["System", "system", "SYSTEM", "sYsTeM"] {
            let e = validate_database_name(name).unwrap_err();
            assert!(
                e.contains("reserved for the server's system database"),
                "{e}"
            );
        }
        for name in [
            "CON", "con", "PRN", "AUX", "NUL", "nul.txt", "COM1", "com9", "COM0", "LPT1",
            "lpt9.db", "Aux.x.y",
        ] {
            let e = validate_database_name(name).unwrap_err();
            assert!(e.contains("device name reserved by Windows"), "{name}: {e}");
            assert!(
                e.contains("CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9"),
                "{e}"
            );
        }
        assert!(validate_database_name("nul.txt")
            .unwrap_err()
            .starts_with("\"NUL\" is a device name"));
        let mut f = db_form();
        f.name = "<system>".into();
        let m = only_problem(&f, RestoreField::Name);
        assert!(m.contains("cannot be restored over HTTP"), "{m}");
    }

    // --- timeout -----------------------------------------------------------

    #[test]
    fn timeout_parsing() {
        assert_eq!(parse_restore_start_timeout(""), Ok(None));
        assert_eq!(parse_restore_start_timeout("  "), Ok(None));
        assert_eq!(parse_restore_start_timeout("1"), Ok(Some(1)));
        assert_eq!(parse_restore_start_timeout(" 60 "), Ok(Some(60)));
        assert_eq!(parse_restore_start_timeout("+5"), Ok(Some(5)));
        assert_eq!(parse_restore_start_timeout("007"), Ok(Some(7)));
        assert_eq!(parse_restore_start_timeout("86400"), Ok(Some(86_400)));
        let cases = [
            ("0", "does not wait"),
            ("86401", "too long"),
            ("99999999999999999999999", "too long"),
            ("-5", "cannot be negative"),
            ("-0.5", "cannot be negative"),
            ("1.5", "not a whole number"),
            ("2,5", "not a whole number"),
            ("10.", "not a whole number"),
            (".5", "not a whole number"),
            ("ten", "not a number of seconds"),
            ("10s", "not a number of seconds"),
            ("1e3", "not a number of seconds"),
            ("-", "not a number of seconds"),
            ("+", "not a number of seconds"),
            ("1 000", "not a number of seconds"),
        ];
        for (text, expected) in cases {
            let e = parse_restore_start_timeout(text).unwrap_err();
            assert!(e.contains(expected), "{text}: {e}");
            assert!(e.contains("from 1 to 86400"), "{text}: {e}");
        }
        let mut f = db_form();
        f.restore_start_timeout = "1.5".into();
        let m = only_problem(&f, RestoreField::RestoreStartTimeout);
        assert!(m.starts_with("\"1.5\" is not a whole number"), "{m}");
    }

    // --- confirmation, help, fields ---------------------------------------

    #[test]
    fn confirmation_sentence_with_and_without_a_location() {
        let mut f = db_form();
        assert_eq!(
            confirmation_sentence(&f),
            "Restore backup at C:\\Backups\\Northwind into a new database Northwind2 at the server's default folder (~/Northwind2)."
        );
        f.location = " D:\\Data\\Northwind2 ".into();
        assert_eq!(
            confirmation_sentence(&f),
            "Restore backup at C:\\Backups\\Northwind into a new database Northwind2 at D:\\Data\\Northwind2."
        );
        assert_eq!(
            confirmation_sentence(&fs_form()),
            "Restore backup at C:\\Backups\\Files into a new file system Files2 at the server's default folder (~/Files2)."
        );
        let blank = confirmation_sentence(&RestoreForm::default());
        assert!(
            blank.contains("(no folder yet)") && blank.contains("(no name yet)"),
            "{blank}"
        );
    }

    #[test]
    fn fields_shown_per_version_and_resource() {
        let late = [
            AdvancedField::RestoreStartTimeout,
            AdvancedField::DisableReplicationDestinations,
            AdvancedField::GenerateNewDatabaseId,
        ];
        let v35 = fields_for(&Generation::V35, RestoreResource::Database);
        assert_eq!(v35.len(), 7);
        assert!(v35.iter().all(|(_, a)| *a == Availability::Always));
        let v30 = fields_for(&Generation::V30, RestoreResource::Database);
        assert_eq!(v30.len(), 7);
        for (field, availability) in &v30 {
            let expected = if late.contains(field) {
                Availability::Late30Only
            } else {
                Availability::Always
            };
            assert_eq!(*availability, expected, "{field:?}");
        }
        assert!(Availability::Late30Only
            .note()
            .unwrap()
            .contains("Late 3.0"));
        assert_eq!(Availability::Always.note(), None);
        let fs = fields_for(&Generation::V30, RestoreResource::FileSystem);
        assert!(fs.iter().all(|(f, _)| !matches!(
            f,
            AdvancedField::DisableReplicationDestinations | AdvancedField::GenerateNewDatabaseId
        )));
        assert!(fs.contains(&(AdvancedField::RestoreStartTimeout, Availability::Late30Only)));
    }

    #[test]
    fn every_advanced_field_has_one_line_of_help() {
        for (field, _) in fields_for(&Generation::V35, RestoreResource::Database) {
            let help = advanced_field_help(field);
            assert!(!help.is_empty() && !help.contains('\n'), "{field:?}");
            assert!(help.ends_with('.'), "{field:?}");
        }
        assert!(advanced_field_help(AdvancedField::Defrag).starts_with("Esent only"));
        assert!(advanced_field_help(AdvancedField::DatabaseLocation).contains("~/<name>"));
    }

    #[test]
    fn the_other_restore_is_named_from_the_refusal() {
        assert_eq!(
            other_restore_name("Another restore is in progress (resource name = FirstRestore)")
                .as_deref(),
            Some("FirstRestore")
        );
        assert_eq!(
            other_restore_name("Another restore is in progress (resource name = )"),
            None
        );
        assert_eq!(other_restore_name("resource name = unterminated"), None);
        assert_eq!(other_restore_name("Something else"), None);
    }
}
