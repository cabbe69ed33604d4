//! Moments and durations in words: a local clock time, a local date and
//! time, "12 s ago", "3 min 05 s". The browser supplies the time zone
//! offset; everything else is pure.

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// The civil date (year, month 1-12, day 1-31) of a day count since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Local milliseconds of an epoch-ms time, given the browser's
/// `Date.getTimezoneOffset()` (minutes to add to local time to get UTC).
fn local_ms(ms: f64, offset_minutes: i32) -> Option<i64> {
    ms.is_finite()
        .then(|| ms.floor() as i64 - i64::from(offset_minutes) * 60_000)
}

/// Local `hh:mm:ss` of an epoch-ms time; `—` for no time.
pub fn clock_text(ms: f64, offset_minutes: i32) -> String {
    let Some(local) = local_ms(ms, offset_minutes) else {
        return "—".into();
    };
    let secs = local.rem_euclid(DAY_MS) / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// Local `yyyy-mm-dd hh:mm:ss` of an epoch-ms time; `—` for no time.
pub fn date_time_text(ms: f64, offset_minutes: i32) -> String {
    let Some(local) = local_ms(ms, offset_minutes) else {
        return "—".into();
    };
    let (y, m, d) = civil_from_days(local.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02} {}", clock_text(ms, offset_minutes))
}

/// "12 s ago", "3 min ago", "2 h ago", "3 days ago"; nothing for a time in
/// the future (the server's clock is ahead of this browser's).
pub fn ago(then_ms: f64, now_ms: f64) -> Option<String> {
    let secs = ((now_ms - then_ms) / 1000.0).floor();
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    let secs = secs as u64;
    Some(if secs < 60 {
        format!("{secs} s ago")
    } else if secs < 3600 {
        format!("{} min ago", secs / 60)
    } else if secs < 48 * 3600 {
        format!("{} h ago", secs / 3600)
    } else {
        format!("{} days ago", secs / 86_400)
    })
}

/// "4.2 s", "3 min 05 s", "2 h 07 min".
pub fn format_duration(ms: f64) -> String {
    let secs = (ms.max(0.0) / 1000.0).floor() as u64;
    if secs < 60 {
        format!("{:.1} s", ms.max(0.0) / 1000.0)
    } else if secs < 3600 {
        format!("{} min {:02} s", secs / 60, secs % 60)
    } else {
        format!("{} h {:02} min", secs / 3600, (secs % 3600) / 60)
    }
}

/// The server's ISO time as `HH:MM:SS` (as the server wrote it), or
/// nothing.
pub fn short_time(at: Option<&str>) -> String {
    at.and_then(|s| s.split('T').nth(1))
        .map(|t| t.chars().take(8).collect::<String>())
        .unwrap_or_default()
}

/// The browser's time zone offset at `ms` (see [`clock_text`]).
#[cfg(target_arch = "wasm32")]
pub fn offset_minutes(ms: f64) -> i32 {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_timezone_offset() as i32
}

/// Local `hh:mm:ss` in this browser's time zone.
#[cfg(target_arch = "wasm32")]
pub fn clock(ms: f64) -> String {
    clock_text(ms, offset_minutes(ms))
}

/// Local `yyyy-mm-dd hh:mm:ss` in this browser's time zone.
#[cfg(target_arch = "wasm32")]
pub fn date_time(ms: f64) -> String {
    date_time_text(ms, offset_minutes(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2023-11-14 22:13:20 UTC.
    const T: f64 = 1_700_000_000_000.0;

    #[test]
    fn clock_and_date_in_utc_and_in_other_zones() {
        assert_eq!(clock_text(0.0, 0), "00:00:00");
        assert_eq!(date_time_text(T, 0), "2023-11-14 22:13:20");
        // UTC+1 (the browser says -60): an hour later, the next day at
        // midnight.
        assert_eq!(date_time_text(T, -60), "2023-11-14 23:13:20");
        assert_eq!(date_time_text(T + 3_600_000.0, -60), "2023-11-15 00:13:20");
        // UTC-5 across the year's first midnight.
        assert_eq!(
            date_time_text(1_704_067_200_000.0, 300),
            "2023-12-31 19:00:00"
        );
        assert_eq!(date_time_text(951_782_400_000.0, 0), "2000-02-29 00:00:00");
        assert_eq!(date_time_text(-1000.0, 0), "1969-12-31 23:59:59");
        assert_eq!(clock_text(f64::NAN, 0), "—");
        assert_eq!(date_time_text(f64::INFINITY, 0), "—");
    }

    #[test]
    fn ages_in_seconds_minutes_hours_and_days() {
        assert_eq!(ago(T, T + 12_900.0).as_deref(), Some("12 s ago"));
        assert_eq!(ago(T, T + 59_999.0).as_deref(), Some("59 s ago"));
        assert_eq!(ago(T, T + 60_000.0).as_deref(), Some("1 min ago"));
        assert_eq!(ago(T, T + 3.0 * 3_600_000.0).as_deref(), Some("3 h ago"));
        assert_eq!(ago(T, T + 47.9 * 3_600_000.0).as_deref(), Some("47 h ago"));
        assert_eq!(
            ago(T, T + 3.0 * 86_400_000.0).as_deref(),
            Some("3 days ago")
        );
        assert_eq!(ago(T + 1000.0, T), None, "a time in the future");
        assert_eq!(ago(f64::NAN, T), None);
    }

    #[test]
    fn durations() {
        assert_eq!(format_duration(0.0), "0.0 s");
        assert_eq!(format_duration(4200.0), "4.2 s");
        assert_eq!(format_duration(-5.0), "0.0 s");
        assert_eq!(format_duration(185_000.0), "3 min 05 s");
        assert_eq!(format_duration(7_620_000.0), "2 h 07 min");
    }

    #[test]
    fn server_times_are_cut_to_the_clock() {
        assert_eq!(short_time(Some("2026-11-27T17:45:03.1234567Z")), "17:45:03");
        assert_eq!(short_time(Some("no time here")), "");
        assert_eq!(short_time(None), "");
    }
}
