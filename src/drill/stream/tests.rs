use super::*;
use serde_json::json;

/// A 3.5-shaped answer: documents followed by CRLF, a heartbeat, and
/// `NextPageStart` after the list.
fn answer35() -> String {
    concat!(
        "{\"Results\":[",
        r#"{"Name":"Quote \" and brace } and [ bracket","Nested":{"a":[1,2,{"b":"\\"}]},"@metadata":{"@id":"orders/1","Last-Modified":"2026-11-29T16:00:00.0000000Z"}}"#,
        "\r\n,",
        r#"{"Name":"Zürich € 𝄞 日本","Escapes":"\\\" \u00e9 \n","@metadata":{"@id":"orders/2"}}"#,
        "\r\n\r\n",
        "],\"NextPageStart\":0}"
    )
    .to_string()
}

fn expected35() -> Vec<Value> {
    vec![
        json!({"Name":"Quote \" and brace } and [ bracket","Nested":{"a":[1,2,{"b":"\\"}]},"@metadata":{"@id":"orders/1","Last-Modified":"2026-11-29T16:00:00.0000000Z"}}),
        json!({"Name":"Zürich € 𝄞 日本","Escapes":"\\\" é \n","@metadata":{"@id":"orders/2"}}),
    ]
}

fn split(chunks: &[&[u8]]) -> Result<Vec<Value>, StreamError> {
    let mut s = ResultsSplitter::new();
    let mut docs = Vec::new();
    for c in chunks {
        docs.extend(s.feed(c)?);
    }
    s.finish()?;
    Ok(docs)
}

#[test]
fn whole_answer_in_one_chunk() {
    let text = answer35();
    assert_eq!(split(&[text.as_bytes()]).unwrap(), expected35());
}

#[test]
fn split_at_every_byte_boundary_pair() {
    let text = answer35();
    let bytes = text.as_bytes();
    // Every single split point (inside strings, escapes, UTF-8 characters)…
    for i in 0..=bytes.len() {
        let (a, b) = bytes.split_at(i);
        assert_eq!(split(&[a, b]).unwrap(), expected35(), "split at {i}");
    }
    // …and every pair of split points.
    for i in 0..=bytes.len() {
        for j in i..=bytes.len() {
            let docs = split(&[&bytes[..i], &bytes[i..j], &bytes[j..]]).unwrap();
            assert_eq!(docs.len(), 2, "split at {i} and {j}");
        }
    }
}

#[test]
fn one_byte_at_a_time() {
    let text = answer35();
    let chunks: Vec<&[u8]> = text.as_bytes().chunks(1).collect();
    assert_eq!(split(&chunks).unwrap(), expected35());
}

#[test]
fn a_4x_answer_and_an_empty_list() {
    let four = r#"{"Results":[{"Name":"x","@metadata":{"@id":"users/1-A","@change-vector":"A:1-abc","@collection":"Users","@flags":"HasRevisions","@last-modified":"2026-11-29T16:00:00.0000000Z"}}]}"#;
    let docs = split(&[four.as_bytes()]).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["@metadata"]["@id"], "users/1-A");
    assert!(split(&[b" { \"Results\" : [ ] } \r\n"]).unwrap().is_empty());
    // Other properties, before or after, of any shape, are skipped.
    let other = br#"{"Took":12,"Info":{"a":["]",{"b":"}"}]},"Note":"a \"q\" }","Results":[{"@metadata":{"@id":"a"}}],"NextPageStart":-1,"Done":true}"#;
    assert_eq!(split(&[other]).unwrap().len(), 1);
}

#[test]
fn a_truncated_stream_is_an_error_not_a_short_count() {
    let text = answer35();
    let bytes = text.as_bytes();
    // Cut anywhere before the final `}`: never a silent success.
    let end = bytes.iter().rposition(|&b| b == b'}').unwrap();
    for cut in 0..end {
        let mut s = ResultsSplitter::new();
        let _ = s.feed(&bytes[..cut]);
        match s.finish() {
            Err(StreamError::Truncated { documents, bytes }) => {
                assert!(documents <= 2);
                assert_eq!(bytes, cut as u64);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    let mut s = ResultsSplitter::new();
    let docs = s.feed(&bytes[..bytes.len() - 1]).unwrap();
    assert_eq!(docs.len(), 2);
    let e = s.finish().unwrap_err();
    assert!(
        e.to_string()
            .contains("ended before its end, after 2 documents"),
        "{e}"
    );
}

#[test]
fn malformed_answers_say_where() {
    let cases: [(&[u8], &str); 6] = [
        (b"[1,2]", "not a JSON object"),
        (b"{\"Results\":{}}", "\"Results\" is not a list"),
        (b"{\"Results\":[1]}", "not a document"),
        (
            b"{\"Results\":[{\"a\":tru}]}",
            "document 1 is not valid JSON",
        ),
        (b"{\"Results\":[]} x", "more follows"),
        (b"{\"Other\":[]}", "no \"Results\""),
    ];
    for (bytes, words) in cases {
        let mut s = ResultsSplitter::new();
        let e = s
            .feed(bytes)
            .and_then(|_| s.finish().map(|_| Vec::<Value>::new()));
        let e = e.unwrap_err().to_string();
        assert!(e.contains(words), "{}: {e}", String::from_utf8_lossy(bytes));
    }
    let mut s = ResultsSplitter::new();
    let e = s.feed(b"{\"Results\":[{\"a\":tru}]}").unwrap_err();
    assert!(
        matches!(e, StreamError::Malformed { at_byte: 20, .. }),
        "{e:?}"
    );
}

#[test]
fn memory_holds_one_document_at_a_time() {
    let mut s = ResultsSplitter::new();
    s.feed(b"{\"Results\":[").unwrap();
    let doc = format!(
        r#"{{"Body":"{}","@metadata":{{"@id":"d"}}}},"#,
        "x".repeat(10_000)
    );
    for _ in 0..100 {
        let docs = s.feed(doc.as_bytes()).unwrap();
        assert_eq!(docs.len(), 1);
        assert!(s.document.capacity() <= 2 * doc.len());
    }
    s.feed(b"]}").unwrap();
    assert_eq!(s.finish().unwrap(), 100);
}

#[test]
fn string_scan_ends_a_string_at_its_closing_quote_only() {
    let mut scan = StringScan::default();
    assert!(!scan.inside());
    scan.open();
    // `a\"b\\` then the closing quote: the escaped quote and the escaped
    // backslash do not end it.
    for &b in br#"a\"b\\"# {
        assert!(!scan.closes(b));
        assert!(scan.inside());
    }
    assert!(scan.closes(b'"'));
    assert!(!scan.inside());
    // A string ending right after a backslash pair, then a fresh one.
    scan.open();
    assert!(!scan.closes(b'\\'));
    assert!(!scan.closes(b'\\'));
    assert!(scan.closes(b'"'));
    scan.open();
    assert!(!scan.closes(b'\\'));
    assert!(!scan.closes(b'"'), "an escaped quote");
    assert!(scan.inside());
}

#[test]
fn escapes_in_outer_keys_and_skipped_strings_split_anywhere() {
    // Keys with an escaped quote and a trailing escaped backslash, a key
    // that only looks like `Results` before its escape, and skipped
    // strings and lists holding quotes, brackets and backslashes.
    let text = concat!(
        r#"{"We\"ird\\":"}\\","x\\":[{"Results":[1]},"]\""],"Results\"":"no","#,
        r#""Results":[{"a":"\\\"}","@metadata":{"@id":"a"}}],"Tail\\\"":"\"\\"}"#
    );
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() {
        for j in i..=bytes.len() {
            let docs = split(&[&bytes[..i], &bytes[i..j], &bytes[j..]])
                .unwrap_or_else(|e| panic!("split at {i} and {j}: {e}"));
            assert_eq!(docs, vec![json!({"a":"\\\"}","@metadata":{"@id":"a"}})]);
        }
    }
}

#[test]
fn a_stream_that_stopped_says_what_happened_and_what_to_do_next() {
    let cut = |gone| Stopped::Cut {
        gone,
        reason: "network error".into(),
    };
    let answered = stopped_words(&cut(false), 57, 70_000);
    assert!(
        answered.starts_with("the connection broke after 57 documents (70000 bytes), before the end of the server's document stream (network error); the server still answers"),
        "{answered}"
    );
    let gone = stopped_words(&cut(true), 3, 900);
    assert!(
        gone.contains("the server no longer answers at its address.")
            && gone.ends_with("What to do: check that the server is running, then verify again."),
        "{gone}"
    );
    let stalled = stopped_words(&Stopped::Stalled { idle_ms: 60_000 }, 0, 12);
    assert!(
        stalled.starts_with("the server stopped sending its document stream after 0 documents (12 bytes) and sent nothing for 60 s, so the reading was stopped."),
        "{stalled}"
    );
    assert!(
        stopped_words(&Stopped::Stalled { idle_ms: 1500 }, 1, 2).contains("nothing for 1.5 s"),
        "tenths of a second"
    );
    let early = stopped_words(&Stopped::EndedEarly, 2, 40);
    // Every one: never a verdict, and a next step.
    for words in [&answered, &gone, &stalled, &early] {
        assert!(
            words.contains("The documents after that point were not compared, so this is no verdict on the backup. What to do: "),
            "{words}"
        );
        assert!(!words.contains("Restorable"), "{words}");
    }
    assert!(early.contains("verify again; if it happens again, look at the server's log"));
}
