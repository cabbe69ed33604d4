//! The 3.x Backup screen's state: what the admin chose and typed, kept at
//! the app level (memory only) so it survives navigation, and the rules for
//! what a change of target does to the document in the editor.

use crate::{
    forms::{
        backup::{
            blank_document, document_text, BackupForm, BackupTarget, DocumentChoice,
            SecretsDecision,
        },
        document_origin::{on_target_change, DocumentOrigin, OnTargetChange},
    },
    state::operations::{post_and_follow, Follower, StartPost, Starter},
};
use leptos::prelude::*;

/// What kind of resource is backed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Database,
    System,
    FileSystem,
}

/// One click on "Start backup": the POST, and what it backs up.
#[derive(Clone)]
pub struct StartBackup {
    pub(super) post: StartPost,
    pub(super) target: BackupTarget,
}

/// The Backup screen's state. It lives at the app level so what the user
/// typed survives navigation; it is memory only (secrets never reach
/// storage). The frame (in the main wasm) shows and sets the kind and the
/// name, so it is made at start; the start is [`BackupStart`].
#[derive(Clone, Copy)]
pub struct BackupState {
    pub kind: RwSignal<TargetKind>,
    pub name: RwSignal<String>,
    /// The form; its `target` follows `kind` and `name`.
    pub form: RwSignal<BackupForm>,
    /// Where the editor's document came from (which target, loaded or
    /// written, and whether it was edited since).
    pub origin: RwSignal<Option<DocumentOrigin>>,
    /// Set after the first attempt to start: problems are shown from then on.
    pub tried: RwSignal<bool>,
}

/// The 3.x Backup screen's start, at the app level (a backup is followed
/// whatever screen is shown); made when the body is first shown
/// (src/pages/mod.rs, `screen_state`).
#[derive(Clone, Copy)]
pub struct BackupStart {
    /// The start request and the backup it started (or the refusal).
    pub start: Starter<StartBackup>,
    pub(super) follower: Follower,
}

impl BackupStart {
    pub fn new() -> Self {
        let follower = Follower::new();
        let start = Starter::new(move |input: &StartBackup| {
            let StartBackup { post, target } = input.clone();
            async move {
                // The previous run's status, so it is never taken for this one.
                let client = &post.client;
                let previous = match &target {
                    BackupTarget::System => client.backup_status(None).await,
                    BackupTarget::Database(n) => client.backup_status(Some(n)).await,
                    BackupTarget::FileSystem(n) => client.fs_backup_status(n).await,
                }
                .ok()
                .flatten()
                .and_then(|s| s.started);
                post_and_follow(follower, post, previous).await
            }
        });
        BackupStart { start, follower }
    }
}

impl BackupState {
    pub fn new() -> Self {
        BackupState {
            kind: RwSignal::new(TargetKind::Database),
            name: RwSignal::new(String::new()),
            form: RwSignal::new(BackupForm::default()),
            origin: RwSignal::new(None),
            tried: RwSignal::new(false),
        }
    }

    /// Chooses what to back up (the form's target follows). A change of
    /// target drops the acknowledgment of secrets and an unedited document
    /// of the former target; an edited one waits for the admin's answer
    /// (see [`Self::discard_document`], [`Self::go_back_to_document`]).
    pub fn set_target(&self, kind: TargetKind, name: String) {
        self.kind.set(kind);
        self.name.set(name);
        let target = untrack(|| self.target());
        let change = self.form.with_untracked(|f| {
            self.origin
                .with_untracked(|o| on_target_change(&f.document_text, o.as_ref(), target.as_ref()))
        });
        self.form.update(|f| {
            if f.target != target {
                // A decision about secrets is about one document of one
                // target: ask again.
                f.decision = SecretsDecision::Undecided;
            }
            f.target = target;
        });
        match change {
            OnTargetChange::Discard => self.discard_document(),
            // An empty editor belongs to no one: the new target's document
            // may fill it.
            OnTargetChange::Keep
                if self
                    .form
                    .with_untracked(|f| f.document_text.trim().is_empty()) =>
            {
                self.origin.set(None)
            }
            _ => {}
        }
    }

    /// Drops the editor's document: "write" gets a blank one for the chosen
    /// target, "load" gets the chosen database's stored one when it arrives.
    pub fn discard_document(&self) {
        let (target, choice) = self.form.with_untracked(|f| (f.target.clone(), f.choice));
        let text = (choice == DocumentChoice::WriteNew)
            .then(|| document_text(&blank_document(target.as_ref())));
        self.origin
            .set(text.as_ref().map(|t| DocumentOrigin::written(target, t)));
        self.form.update(|f| {
            f.document_text = text.unwrap_or_default();
            f.decision = SecretsDecision::Undecided;
        });
    }

    /// Chooses again the target the editor's document belongs to.
    pub fn go_back_to_document(&self) {
        let Some(target) = self
            .origin
            .with_untracked(|o| o.as_ref().map(|o| o.target.clone()))
        else {
            return;
        };
        let (kind, name) = match target {
            Some(BackupTarget::Database(n)) => (TargetKind::Database, n),
            Some(BackupTarget::FileSystem(n)) => (TargetKind::FileSystem, n),
            Some(BackupTarget::System) => (TargetKind::System, self.name.get_untracked()),
            None => (self.kind.get_untracked(), String::new()),
        };
        self.set_target(kind, name);
    }

    /// The target as chosen (tracked).
    pub fn target(&self) -> Option<BackupTarget> {
        let name = self.name.with(|n| n.trim().to_string());
        match self.kind.get() {
            TargetKind::System => Some(BackupTarget::System),
            _ if name.is_empty() => None,
            TargetKind::Database => Some(BackupTarget::Database(name)),
            TargetKind::FileSystem => Some(BackupTarget::FileSystem(name)),
        }
    }
}

impl Default for BackupState {
    fn default() -> Self {
        Self::new()
    }
}

impl Default for BackupStart {
    fn default() -> Self {
        Self::new()
    }
}
