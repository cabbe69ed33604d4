//! Which database the DatabaseDocument in the Backup form belongs to, so a
//! change of target never carries one database's document (and its
//! secrets) into another's backup: an unedited document is dropped at
//! once, an edited one only after the admin says so, and nothing can be
//! sent while the editor holds another target's document.

use super::{
    backup::{BackupTarget, DocumentChoice},
    fingerprint,
};

/// Where the editor's document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentOrigin {
    /// The target it was loaded or written for (`None`: no target yet).
    pub target: Option<BackupTarget>,
    /// Loaded from the server (the stored document) rather than written
    /// here.
    pub loaded: bool,
    /// The fingerprint of the text as loaded or written: any other text is
    /// an edit. No second copy of the text (and its secrets) is kept.
    pristine: u64,
}

impl DocumentOrigin {
    /// The stored document of `target`, as loaded into the editor.
    pub fn loaded(target: Option<BackupTarget>, text: &str) -> Self {
        DocumentOrigin {
            target,
            loaded: true,
            pristine: fingerprint(&text),
        }
    }

    /// A blank document written into the editor for `target`.
    pub fn written(target: Option<BackupTarget>, text: &str) -> Self {
        DocumentOrigin {
            target,
            loaded: false,
            pristine: fingerprint(&text),
        }
    }

    /// True when `text` differs from what was loaded or written.
    pub fn is_edited(&self, text: &str) -> bool {
        fingerprint(&text) != self.pristine
    }
}

/// What a change of target does to the document in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnTargetChange {
    /// The editor is empty, or its document belongs to the new target.
    Keep,
    /// Not edited: dropped at once (the new target's own is loaded or
    /// written instead).
    Discard,
    /// Edited: the admin is asked before the edits are thrown away, and
    /// nothing can be sent meanwhile.
    Ask,
}

/// What becomes of the editor's `text` (from `origin`) when the target is
/// now `target`.
pub fn on_target_change(
    text: &str,
    origin: Option<&DocumentOrigin>,
    target: Option<&BackupTarget>,
) -> OnTargetChange {
    if text.trim().is_empty() {
        return OnTargetChange::Keep;
    }
    match origin {
        Some(o) if o.target.as_ref() == target => OnTargetChange::Keep,
        Some(o) if !o.is_edited(text) => OnTargetChange::Discard,
        // Edited, or of unknown origin: ask.
        _ => OnTargetChange::Ask,
    }
}

/// The target the editor's document belongs to, when that is not the
/// chosen target (the admin has not yet said what to do with it).
pub fn foreign_document(
    text: &str,
    origin: Option<&DocumentOrigin>,
    target: Option<&BackupTarget>,
) -> Option<Option<BackupTarget>> {
    match on_target_change(text, origin, target) {
        OnTargetChange::Keep => None,
        _ => Some(origin.and_then(|o| o.target.clone())),
    }
}

/// A target in words: `database Payroll`, `file system Files`, `the system
/// database`, or `no target`.
pub fn target_words(target: Option<&BackupTarget>) -> String {
    match target {
        Some(BackupTarget::Database(n)) => format!("database {n}"),
        Some(BackupTarget::FileSystem(n)) => format!("file system {n}"),
        Some(BackupTarget::System) => "the system database".into(),
        None => "no target".into(),
    }
}

/// The problem that blocks sending while the editor holds the document of
/// another target.
pub fn foreign_document_problem(from: Option<&BackupTarget>, to: Option<&BackupTarget>) -> String {
    format!(
        "The document in the editor belongs to {}, not to {}: keep it by going back to {0}, or discard it.",
        target_words(from),
        target_words(to)
    )
}

/// What the request review says about the DatabaseDocument it carries.
pub fn review_note(
    choice: DocumentChoice,
    target: Option<&BackupTarget>,
    origin: Option<&DocumentOrigin>,
    text: &str,
) -> Option<String> {
    let target = target?;
    Some(match choice {
        DocumentChoice::ServerStored => match target {
            BackupTarget::System => {
                "DatabaseDocument: null; the server writes an empty document for the system database."
                    .to_string()
            }
            t => format!(
                "DatabaseDocument: null; the server uses the stored document of {} (from the server, not from this page).",
                target_words(Some(t))
            ),
        },
        _ => match origin {
            Some(o) if o.loaded => format!(
                "DatabaseDocument: the stored document of {}, loaded from the server{}.",
                target_words(o.target.as_ref()),
                if o.is_edited(text) { " and edited here" } else { "" }
            ),
            Some(o) => format!(
                "DatabaseDocument: written here for {}{}.",
                target_words(o.target.as_ref()),
                if o.is_edited(text) { " and edited" } else { "" }
            ),
            None => format!(
                "DatabaseDocument: written here for {}.",
                target_words(Some(target))
            ),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(name: &str) -> Option<BackupTarget> {
        Some(BackupTarget::Database(name.into()))
    }

    #[test]
    fn an_unedited_document_of_another_target_is_dropped_at_once() {
        let text = "{\"Id\":\"Payroll\"}";
        let origin = DocumentOrigin::loaded(db("Payroll"), text);
        assert_eq!(
            on_target_change(text, Some(&origin), db("Payroll").as_ref()),
            OnTargetChange::Keep
        );
        assert_eq!(
            on_target_change(text, Some(&origin), db("Northwind").as_ref()),
            OnTargetChange::Discard
        );
        assert_eq!(
            on_target_change(text, Some(&origin), None),
            OnTargetChange::Discard
        );
        let fs = Some(BackupTarget::FileSystem("Payroll".into()));
        assert_eq!(
            on_target_change(text, Some(&origin), fs.as_ref()),
            OnTargetChange::Discard,
            "a change of kind is a change of target"
        );
    }

    #[test]
    fn an_edited_document_asks_first_and_blocks_sending() {
        let origin = DocumentOrigin::loaded(db("Payroll"), "{\"Id\":\"Payroll\"}");
        let edited = "{\"Id\":\"Payroll\",\"Disabled\":true}";
        assert!(origin.is_edited(edited));
        assert_eq!(
            on_target_change(edited, Some(&origin), db("Northwind").as_ref()),
            OnTargetChange::Ask
        );
        assert_eq!(
            foreign_document(edited, Some(&origin), db("Northwind").as_ref()),
            Some(db("Payroll"))
        );
        assert_eq!(
            foreign_document(edited, Some(&origin), db("Payroll").as_ref()),
            None
        );
        assert_eq!(
            foreign_document_problem(db("Payroll").as_ref(), db("Northwind").as_ref()),
            "The document in the editor belongs to database Payroll, not to database Northwind: keep it by going back to database Payroll, or discard it."
        );
        // A document of unknown origin is never sent to a target unasked.
        assert_eq!(
            on_target_change("{}", None, db("Northwind").as_ref()),
            OnTargetChange::Ask
        );
        // An empty editor has nothing to lose.
        assert_eq!(
            on_target_change("  ", None, db("Northwind").as_ref()),
            OnTargetChange::Keep
        );
    }

    #[test]
    fn the_review_says_where_the_document_came_from() {
        let text = "{\"Id\":\"Payroll\"}";
        let loaded = DocumentOrigin::loaded(db("Payroll"), text);
        let note = |choice, origin: Option<&DocumentOrigin>, text| {
            review_note(choice, db("Payroll").as_ref(), origin, text).unwrap()
        };
        assert_eq!(
            note(DocumentChoice::EditStored, Some(&loaded), text),
            "DatabaseDocument: the stored document of database Payroll, loaded from the server."
        );
        assert_eq!(
            note(DocumentChoice::EditStored, Some(&loaded), "{}"),
            "DatabaseDocument: the stored document of database Payroll, loaded from the server and edited here."
        );
        let written = DocumentOrigin::written(db("Payroll"), text);
        assert_eq!(
            note(DocumentChoice::WriteNew, Some(&written), text),
            "DatabaseDocument: written here for database Payroll."
        );
        assert!(note(DocumentChoice::ServerStored, None, "")
            .contains("the stored document of database Payroll"));
        assert!(review_note(
            DocumentChoice::ServerStored,
            Some(&BackupTarget::System),
            None,
            ""
        )
        .unwrap()
        .contains("system database"));
        assert_eq!(
            review_note(DocumentChoice::EditStored, None, Some(&loaded), text),
            None
        );
        assert_eq!(target_words(None), "no target");
        assert_eq!(
            target_words(Some(&BackupTarget::FileSystem("Files".into()))),
            "file system Files"
        );
    }
}
