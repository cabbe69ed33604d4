//! ISO dates as RavenDB writes them.

use crate::api::wire::time::*;

#[test]
fn iso_dates() {
    let base = 1_462_881_600_000.0; // 2016-05-10T12:00:00Z
    assert_eq!(parse_iso_ms("2016-05-10T12:00:00Z"), Some(base));
    assert_eq!(parse_iso_ms("2016-05-10T12:00:00"), Some(base));
    assert_eq!(
        parse_iso_ms("2016-05-10T12:00:00.1234567Z"),
        Some(base + 123.4567)
    );
    assert_eq!(parse_iso_ms("2016-05-10T12:00:00.5Z"), Some(base + 500.0));
    assert_eq!(parse_iso_ms("2016-05-10T14:00:00+02:00"), Some(base));
    assert_eq!(parse_iso_ms("2016-05-10T10:30:00-0130"), Some(base));
    assert_eq!(parse_iso_ms("2016-05-10T13:00:00+01"), Some(base));
    assert_eq!(parse_iso_ms("2016-05-10"), Some(base - 12.0 * 3_600_000.0));
    assert_eq!(parse_iso_ms("1970-01-01T00:00:00Z"), Some(0.0));
    assert_eq!(
        parse_iso_ms("2000-02-29T00:00:00Z"),
        Some(951_782_400_000.0)
    );
    for bad in [
        "",
        "yesterday",
        "2016-13-01T00:00:00Z",
        "2015-02-29T00:00:00Z",
        "2016-05-10T25:00:00Z",
        "2016-05-10T12:00:00.Z",
        "2016-05-10T12:00:00Zjunk",
        "2016-05-10X12:00:00",
    ] {
        assert_eq!(parse_iso_ms(bad), None, "{bad}");
    }
}

#[test]
fn iso_times_are_written_as_ravendb_writes_them_and_read_back() {
    let base = 1_462_881_600_000.0; // 2016-05-10T12:00:00Z
    assert_eq!(
        format_iso_ms(base + 1234.9).as_deref(),
        Some("2016-05-10T12:00:01.2340000Z")
    );
    assert_eq!(
        format_iso_ms(951_868_799_000.0).as_deref(),
        Some("2000-02-29T23:59:59.0000000Z")
    );
    assert_eq!(format_iso_ms(f64::NAN), None);
    for ms in [0.0, base, base + 86_399_999.0, -1000.0, 4_102_444_800_000.0] {
        let text = format_iso_ms(ms).unwrap();
        assert_eq!(parse_iso_ms(&text), Some(ms), "{text}");
    }
}
