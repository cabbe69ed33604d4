//! The comparison of a restored scratch database with its source, fed one
//! document at a time (streamed: no document is kept, only its id, a
//! SHA-256 fingerprint of its content and its `Last-Modified` or 4.x+
//! `@last-modified`). Memory is
//! bounded: above `full_limit` source documents only a uniform random
//! sample (reservoir sampling) of `sample_size` ids is kept and compared,
//! and the report says so (docs/protocol/ravendb-3x.md §16).

use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// A SHA-256 digest of a document's canonical content.
pub type Fingerprint = [u8; 32];

/// Metadata that differs between a document and its restored copy by
/// nature (ids, etags, times), left out of the fingerprint.
const VOLATILE_METADATA: [&str; 4] = [
    "Last-Modified",
    "Raven-Last-Modified",
    "Non-Authoritative-Information",
    "Temp-Index-Score",
];

/// True for the server's own documents (`Raven/…`: backup status, hilo,
/// indexes' bookkeeping), which are not data and are not compared.
pub fn is_server_document(id: &str) -> bool {
    id.get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("raven/"))
}

/// One document as a `GET /databases/{db}/docs` page lists it, made ready
/// to fingerprint: its id, the canonical bytes of its content (properties
/// and non-volatile metadata, keys sorted) and its `Last-Modified`.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentText {
    pub id: String,
    pub canonical: String,
    pub last_modified: Option<String>,
}

/// Reads one listed document; `None` when it carries no `@metadata.@id`.
/// The canonical text is serde_json's: its maps keep keys sorted (the
/// crate's `preserve_order` feature is off; a host test guards it), so the
/// same content gives the same bytes whatever order the server wrote.
pub fn document_text(doc: &Value) -> Option<DocumentText> {
    owned_text(doc.clone())
}

/// [`document_text`] of a document the caller gives up (no copy).
fn owned_text(doc: Value) -> Option<DocumentText> {
    let Value::Object(mut content) = doc else {
        return None;
    };
    let metadata = content.get_mut("@metadata")?.as_object_mut()?;
    let id = metadata.get("@id")?.as_str()?.to_string();
    let last_modified = metadata
        .get("Last-Modified")
        .or_else(|| metadata.get("Raven-Last-Modified"))
        .or_else(|| metadata.get("@last-modified"))
        .and_then(Value::as_str)
        .map(str::to_string);
    metadata.retain(|k, _| !k.starts_with('@') && !VOLATILE_METADATA.contains(&k.as_str()));
    Some(DocumentText {
        id,
        canonical: Value::Object(content).to_string(),
        last_modified,
    })
}

/// The SHA-256 of a document's canonical text.
pub fn fingerprint(text: &DocumentText) -> Fingerprint {
    use sha2::Digest;
    sha2::Sha256::digest(text.canonical.as_bytes()).into()
}

/// Reads, fingerprints and forgets one listed document: only its id,
/// fingerprint and time remain. `None` when it has no `@metadata.@id`.
pub fn print_of(doc: Value) -> Option<DocumentPrint> {
    Some(print_of_text(owned_text(doc)?))
}

/// The print of a document's text (3.x's, or 4.x's from `drill::v4`).
pub fn print_of_text(text: DocumentText) -> DocumentPrint {
    DocumentPrint {
        modified_ms: text
            .last_modified
            .as_deref()
            .and_then(crate::api::wire::time::parse_iso_ms),
        fingerprint: fingerprint(&text),
        id: text.id,
    }
}

/// One fingerprinted document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentPrint {
    pub id: String,
    pub fingerprint: Fingerprint,
    /// `Last-Modified`, epoch ms, when the server gave a readable one.
    pub modified_ms: Option<f64>,
}

/// How much to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CompareLimits {
    /// Up to this many source documents, every one is compared.
    pub full_limit: usize,
    /// Above it, a random sample of this many.
    pub sample_size: usize,
    /// At most this many differing ids are kept for the report.
    pub listed_ids: usize,
    /// The longest wait for a document stream's headers or next bytes
    /// before the reading is stopped (`stream::reader`).
    pub stream_idle_ms: u32,
}

impl Default for CompareLimits {
    fn default() -> Self {
        CompareLimits {
            full_limit: 100_000,
            sample_size: 10_000,
            listed_ids: 1_000,
            stream_idle_ms: super::stream::IDLE_MS,
        }
    }
}

/// Why a document is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Difference {
    /// On the source, not in the restored copy, and not created since.
    Missing,
    /// In both, with different content, and not changed since.
    Different,
    /// Modified (or created) on the source after the backup started.
    ChangedSinceBackup,
    /// In the restored copy, no longer on the source (deleted since).
    DeletedSinceBackup,
}

/// A listed document id and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Differing {
    pub id: String,
    pub difference: Difference,
}

/// What the comparison found.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Tally {
    /// Documents read on each side (the server's own `Raven/…` excluded).
    pub source_documents: u64,
    pub restored_documents: u64,
    /// Restored documents compared (all, or the sample's size).
    pub compared: u64,
    pub equal: u64,
    pub missing: u64,
    pub different: u64,
    /// Changed, created or deleted on the source since the backup.
    pub changed_since_backup: u64,
    /// `Some(n)`: a random sample of n restored documents was compared.
    pub sample_size: Option<u64>,
    /// The newest `Last-Modified` in the restored copy (ISO): the backup
    /// holds nothing newer, so a source document modified after it was
    /// changed since the backup. `None`: the copy gave no times.
    pub newest_in_backup: Option<String>,
    /// The first differing ids (bounded by `CompareLimits::listed_ids`).
    pub listed: Vec<Differing>,
    /// How many more differed than are listed.
    pub not_listed: u64,
}

impl Tally {
    /// Documents whose restored copy could be judged (not changed since):
    /// `equal + missing + different`.
    pub fn judged(&self) -> u64 {
        self.equal + self.missing + self.different
    }

    /// True when nothing is missing or different.
    pub fn restorable(&self) -> bool {
        self.missing == 0 && self.different == 0
    }
}

struct Kept {
    fingerprint: Fingerprint,
    seen_on_source: bool,
}

/// The comparison in progress: every document of the restored copy first
/// ([`Comparison::add_restored`]), then every source document
/// ([`Comparison::add_source`]), then [`Comparison::finish`]. The copy
/// comes first because its newest `Last-Modified` is the line after which
/// a source document was changed since the backup (a backup holds every
/// document as it was when the backup started, with its time).
pub struct Comparison {
    limits: CompareLimits,
    newest_in_backup_ms: Option<f64>,
    /// The restored documents kept (all, or the sample).
    kept: HashMap<String, Kept>,
    /// The sample's ids, in reservoir order (only once sampling).
    reservoir: Option<Vec<String>>,
    tally: Tally,
}

impl Default for Comparison {
    fn default() -> Self {
        Self::new(CompareLimits::default())
    }
}

impl Comparison {
    pub fn new(limits: CompareLimits) -> Self {
        Comparison {
            limits,
            newest_in_backup_ms: None,
            kept: HashMap::new(),
            reservoir: None,
            tally: Tally::default(),
        }
    }

    /// True once more restored documents were read than are compared.
    pub fn sampling(&self) -> bool {
        self.reservoir.is_some()
    }

    fn changed_since(&self, modified_ms: Option<f64>) -> bool {
        matches!((self.newest_in_backup_ms, modified_ms), (Some(b), Some(m)) if m > b)
    }

    fn list(&mut self, id: String, difference: Difference) {
        if self.tally.listed.len() < self.limits.listed_ids {
            self.tally.listed.push(Differing { id, difference });
        } else {
            self.tally.not_listed += 1;
        }
    }

    /// One document of the restored copy. `random` gives numbers in
    /// [0, 1) (the browser's `Math.random`), used once the copy is larger
    /// than `full_limit`. A document read twice counts once.
    pub fn add_restored(&mut self, print: DocumentPrint, random: &mut impl FnMut() -> f64) {
        // Every document, the server's own too, was in the backup.
        if let Some(m) = print.modified_ms {
            if self.newest_in_backup_ms.is_none_or(|n| m > n) {
                self.newest_in_backup_ms = Some(m);
            }
        }
        if is_server_document(&print.id) {
            return;
        }
        let kept = Kept {
            fingerprint: print.fingerprint,
            seen_on_source: false,
        };
        if let Some(reservoir) = self.reservoir.as_mut() {
            if self.kept.contains_key(&print.id) {
                return;
            }
            self.tally.restored_documents += 1;
            // Algorithm R: the n-th document replaces a random kept one
            // with probability k/n.
            let n = self.tally.restored_documents as f64;
            let j = (random() * n).floor() as usize;
            if let Some(slot) = reservoir.get_mut(j) {
                let old = std::mem::replace(slot, print.id.clone());
                self.kept.remove(&old);
                self.kept.insert(print.id, kept);
            }
            return;
        }
        if self.kept.insert(print.id, kept).is_none() {
            self.tally.restored_documents += 1;
        }
        if self.kept.len() > self.limits.full_limit {
            self.start_sampling(random);
        }
    }

    /// Keeps a uniform random `sample_size` of what is kept (a partial
    /// Fisher–Yates shuffle), and samples from then on.
    fn start_sampling(&mut self, random: &mut impl FnMut() -> f64) {
        let mut ids: Vec<String> = self.kept.keys().cloned().collect();
        let k = self.limits.sample_size.min(ids.len());
        for i in 0..k {
            let span = ids.len() - i;
            let j = i + ((random() * span as f64).floor() as usize).min(span - 1);
            ids.swap(i, j);
        }
        for id in ids.drain(k..) {
            self.kept.remove(&id);
        }
        self.reservoir = Some(ids);
    }

    /// One source document (after the whole copy). A document read twice
    /// (the list shifted while paged) counts once.
    pub fn add_source(&mut self, print: DocumentPrint) {
        if is_server_document(&print.id) {
            return;
        }
        let changed = self.changed_since(print.modified_ms);
        let sampling = self.sampling();
        let Some(kept) = self.kept.get_mut(&print.id) else {
            self.tally.source_documents += 1;
            // In a sample, an id not drawn says nothing.
            if sampling {
                return;
            }
            if changed {
                // Created since the backup.
                self.tally.changed_since_backup += 1;
                self.list(print.id, Difference::ChangedSinceBackup);
            } else {
                self.tally.missing += 1;
                self.list(print.id, Difference::Missing);
            }
            return;
        };
        if kept.seen_on_source {
            return;
        }
        self.tally.source_documents += 1;
        kept.seen_on_source = true;
        if kept.fingerprint == print.fingerprint {
            self.tally.equal += 1;
        } else if changed {
            self.tally.changed_since_backup += 1;
            self.list(print.id, Difference::ChangedSinceBackup);
        } else {
            self.tally.different += 1;
            self.list(print.id, Difference::Different);
        }
    }

    /// The restored documents no longer on the source were deleted there
    /// since the backup.
    pub fn finish(mut self) -> Tally {
        let unseen: Vec<String> = self
            .kept
            .iter()
            .filter(|(_, k)| !k.seen_on_source)
            .map(|(id, _)| id.clone())
            .collect();
        for id in unseen {
            self.tally.changed_since_backup += 1;
            self.list(id, Difference::DeletedSinceBackup);
        }
        self.tally.compared = self.kept.len() as u64;
        self.tally.sample_size = self.reservoir.as_ref().map(|r| r.len() as u64);
        self.tally.newest_in_backup = self
            .newest_in_backup_ms
            .and_then(crate::api::wire::time::format_iso_ms);
        self.tally
    }
}

#[cfg(test)]
#[path = "compare/tests.rs"]
mod tests;
