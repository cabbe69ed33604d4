//! Reads a database's documents through the server's document stream
//! (`GET /databases/{db}/streams/docs`, 3.x and 4.x+ alike:
//! `{"Results":[doc, doc, …]}`) one document at a time, so a drill of any
//! size holds one document and the fingerprints, never the whole answer
//! (docs/protocol/ravendb-3x.md §16.5). [`ResultsSplitter`] is the pure,
//! host-tested part: bytes in chunks of any size, split anywhere, in;
//! each complete document of `Results` out. The browser reader over the
//! fetch body's `ReadableStream` is in `reader` (wasm only).

use serde_json::Value;

/// The dashboard's longest wait for a stream's headers or its next chunk
/// (`compare::CompareLimits::stream_idle_ms`' default).
pub const IDLE_MS: u32 = 60_000;

/// Where the splitter is in the answer's outer object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outer {
    /// Before the opening `{`.
    Start,
    /// In the outer object, expecting a key (or `}`).
    Key,
    /// After a key, expecting `:`.
    Colon,
    /// Expecting a value (`Results`' array, or another value, skipped).
    Value,
    /// Skipping another key's value (its depth is `skip_depth`).
    Skipping,
    /// After a value, expecting `,` or `}`.
    AfterValue,
    /// In `Results`, between documents.
    InResults,
    /// In one document (its bytes are being kept).
    InDocument,
    /// After the closing `}`: only whitespace may follow.
    Done,
}

/// The most bytes of an outer key kept (keys are short: `Results`,
/// `NextPageStart`).
const KEY_LIMIT: usize = 64;

/// Where a scan of JSON text is with respect to strings: inside one or
/// not, and after a backslash in it. The one place the splitter reads
/// strings, for keys, skipped values and documents alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct StringScan {
    inside: bool,
    /// The previous string byte was a backslash.
    escaped: bool,
}

impl StringScan {
    #[inline(always)]
    fn inside(&self) -> bool {
        self.inside
    }

    /// The opening quote was read.
    #[inline(always)]
    fn open(&mut self) {
        self.inside = true;
        self.escaped = false;
    }

    /// Reads one byte inside the string; true when it was the closing
    /// quote (a quote after a backslash is not).
    #[inline(always)]
    fn closes(&mut self, b: u8) -> bool {
        if self.escaped {
            self.escaped = false;
        } else if b == b'\\' {
            self.escaped = true;
        } else if b == b'"' {
            self.inside = false;
            return true;
        }
        false
    }
}

/// Splits a streamed `{"Results":[…]}` answer into its documents.
#[derive(Debug, Clone)]
pub struct ResultsSplitter {
    outer: Outer,
    /// Strings (of a key, a skipped value or a document).
    string: StringScan,
    /// Nesting depth inside the current document or skipped value.
    depth: usize,
    /// Is the skipped value a bare scalar (number, true, null)?
    scalar: bool,
    /// The current outer key's bytes.
    key: Vec<u8>,
    /// The current document's bytes.
    document: Vec<u8>,
    saw_results: bool,
    /// Bytes read so far (for error positions).
    offset: u64,
    /// Documents given out so far.
    documents: u64,
}

impl Default for ResultsSplitter {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a stream could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// The bytes are not the `{"Results":[…]}` shape.
    Malformed { at_byte: u64, why: String },
    /// The stream ended before its closing `]}`.
    Truncated { documents: u64, bytes: u64 },
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Malformed { at_byte, why } => {
                write!(f, "the server's document stream is not readable at byte {at_byte}: {why}")
            }
            StreamError::Truncated { documents, bytes } => write!(
                f,
                "the server's document stream ended before its end, after {documents} documents ({bytes} bytes): the connection was cut or the server stopped sending"
            ),
        }
    }
}

/// How a stream stopped before its end (what the reader saw).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// Reading the next bytes failed (the browser's `reason`); `gone`:
    /// nothing answers at the server's address any more.
    Cut { gone: bool, reason: String },
    /// Nothing came for `idle_ms`, so the reading was stopped.
    Stalled { idle_ms: u32 },
    /// The answer ended without its closing `]}`.
    EndedEarly,
}

/// "60 s", "1.5 s".
fn seconds(ms: u32) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    }
}

/// What happened to a stream that stopped after `documents` documents
/// (`bytes` bytes), and what the admin can do next: a half-read stream is
/// never a verdict on the backup.
pub fn stopped_words(how: &Stopped, documents: u64, bytes: u64) -> String {
    let after = format!("after {documents} documents ({bytes} bytes)");
    let again = "verify again; if it happens again, look at the server's log and at any proxy between this browser and the server (a proxy's time or size limit can cut a long answer).";
    let (what, next) = match how {
        Stopped::Cut { gone: true, reason } => (
            format!("the connection broke {after}, before the end of the server's document stream ({reason}), and the server no longer answers at its address."),
            "check that the server is running, then verify again.",
        ),
        Stopped::Cut { gone: false, reason } => (
            format!("the connection broke {after}, before the end of the server's document stream ({reason}); the server still answers, so the server or a proxy on the way cut the answer."),
            again,
        ),
        Stopped::Stalled { idle_ms } => (
            format!("the server stopped sending its document stream {after} and sent nothing for {}, so the reading was stopped.", seconds(*idle_ms)),
            "verify again when the server is less busy; if it stops again, look at the server's log and at any proxy between this browser and the server.",
        ),
        Stopped::EndedEarly => (
            format!("the server's document stream ended before its end, {after}."),
            again,
        ),
    };
    format!("{what} The documents after that point were not compared, so this is no verdict on the backup. What to do: {next}")
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl ResultsSplitter {
    pub fn new() -> Self {
        ResultsSplitter {
            outer: Outer::Start,
            string: StringScan::default(),
            depth: 0,
            scalar: false,
            key: Vec::new(),
            document: Vec::new(),
            saw_results: false,
            offset: 0,
            documents: 0,
        }
    }

    /// Documents given out so far.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.offset
    }

    fn malformed(&self, why: impl Into<String>) -> StreamError {
        StreamError::Malformed {
            at_byte: self.offset,
            why: why.into(),
        }
    }

    /// Feeds the next chunk; gives each document completed by it, parsed.
    /// A chunk may end anywhere (inside a string, an escape or a UTF-8
    /// character): the bytes wait for the next chunk.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<Value>, StreamError> {
        let mut out = Vec::new();
        for &b in chunk {
            self.step(b, &mut out)?;
            self.offset += 1;
        }
        Ok(out)
    }

    /// Says the stream ended: an error unless the answer was complete.
    pub fn finish(&self) -> Result<u64, StreamError> {
        match self.outer {
            Outer::Done if self.saw_results => Ok(self.documents),
            Outer::Done => Err(self.malformed("the answer has no \"Results\" list")),
            _ => Err(StreamError::Truncated {
                documents: self.documents,
                bytes: self.offset,
            }),
        }
    }

    /// Tracks strings and nesting; true when `b` closed the value at
    /// depth 0.
    fn nest(&mut self, b: u8) -> bool {
        if self.string.inside() {
            self.string.closes(b);
            return false;
        }
        match b {
            b'"' => self.string.open(),
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                return self.depth == 0;
            }
            _ => {}
        }
        false
    }

    fn step(&mut self, b: u8, out: &mut Vec<Value>) -> Result<(), StreamError> {
        match self.outer {
            Outer::Start => match b {
                b'{' => self.outer = Outer::Key,
                _ if is_space(b) => {}
                _ => return Err(self.malformed("the answer is not a JSON object")),
            },
            Outer::Key => {
                if self.string.inside() {
                    if self.string.closes(b) {
                        self.outer = Outer::Colon;
                        return Ok(());
                    }
                    if self.key.len() < KEY_LIMIT {
                        self.key.push(b);
                    }
                    return Ok(());
                }
                match b {
                    b'"' => {
                        self.key.clear();
                        self.string.open();
                    }
                    b'}' => self.outer = Outer::Done,
                    _ if is_space(b) => {}
                    _ => return Err(self.malformed("expected a property name")),
                }
            }
            Outer::Colon => match b {
                b':' => self.outer = Outer::Value,
                _ if is_space(b) => {}
                _ => return Err(self.malformed("expected ':'")),
            },
            Outer::Value => match b {
                _ if is_space(b) => {}
                b'[' if self.key == b"Results" => {
                    if self.saw_results {
                        return Err(self.malformed("\"Results\" appears twice"));
                    }
                    self.saw_results = true;
                    self.outer = Outer::InResults;
                }
                _ if self.key == b"Results" => {
                    return Err(self.malformed("\"Results\" is not a list"))
                }
                b',' | b'}' | b']' | b':' => return Err(self.malformed("expected a value")),
                _ => {
                    self.outer = Outer::Skipping;
                    self.depth = 0;
                    self.scalar = !matches!(b, b'"' | b'{' | b'[');
                    if !self.scalar && self.nest(b) {
                        self.outer = Outer::AfterValue;
                    }
                }
            },
            Outer::Skipping => {
                if self.scalar {
                    if is_space(b) || b == b',' || b == b'}' {
                        self.outer = Outer::AfterValue;
                        return self.step(b, out);
                    }
                    return Ok(());
                }
                let was_string = self.string.inside();
                let closed = self.nest(b);
                // A string value ends with its closing quote at depth 0.
                if closed || (self.depth == 0 && was_string && !self.string.inside()) {
                    self.outer = Outer::AfterValue;
                }
            }
            Outer::AfterValue => match b {
                b',' => self.outer = Outer::Key,
                b'}' => self.outer = Outer::Done,
                _ if is_space(b) => {}
                _ => return Err(self.malformed("expected ',' or '}'")),
            },
            Outer::InResults => match b {
                b'{' => {
                    self.document.clear();
                    self.document.push(b);
                    self.depth = 1;
                    self.outer = Outer::InDocument;
                }
                b']' => self.outer = Outer::AfterValue,
                b',' => {}
                _ if is_space(b) => {}
                _ => {
                    return Err(self.malformed("\"Results\" holds something that is not a document"))
                }
            },
            Outer::InDocument => {
                self.document.push(b);
                if self.nest(b) {
                    let document = std::mem::take(&mut self.document);
                    let value = serde_json::from_slice::<Value>(&document).map_err(|e| {
                        self.malformed(format!(
                            "document {} is not valid JSON ({e})",
                            self.documents + 1
                        ))
                    })?;
                    self.documents += 1;
                    out.push(value);
                    self.outer = Outer::InResults;
                }
            }
            Outer::Done => {
                if !is_space(b) {
                    return Err(self.malformed("more follows the answer's end"));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "stream/tests.rs"]
mod tests;

#[cfg(target_arch = "wasm32")]
#[path = "stream/reader.rs"]
pub mod reader;
