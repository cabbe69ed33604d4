//! Dates as RavenDB writes them (§2.4): ISO-8601 text to milliseconds.

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

/// Reads exactly `n` ASCII digits at `*pos`.
fn take_digits(b: &[u8], pos: &mut usize, n: usize) -> Option<u32> {
    let digits = b.get(*pos..*pos + n)?;
    let mut value = 0u32;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(c - b'0');
    }
    *pos += n;
    Some(value)
}

/// The civil date (year, month, day) of a day count since 1970-01-01
/// (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// An epoch-ms time as RavenDB writes its UTC times
/// (`2016-05-10T12:00:00.1230000Z`, 7 fractional digits); `None` for a
/// time that is not finite. [`parse_iso_ms`] reads it back.
pub fn format_iso_ms(ms: f64) -> Option<String> {
    if !ms.is_finite() {
        return None;
    }
    let ms = ms.floor() as i64;
    let (y, mo, d) = civil_from_days(ms.div_euclid(86_400_000));
    let of_day = ms.rem_euclid(86_400_000);
    let (secs, millis) = (of_day / 1000, of_day % 1000);
    Some(format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}0000Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    ))
}

/// Milliseconds since the Unix epoch of an ISO-8601 date-time as RavenDB
/// writes it (`2016-05-10T12:00:00.1234567Z`, §2.4): 0 to 7 (or more)
/// fractional digits, a `Z`, a `±HH:MM` / `±HHMM` / `±HH` offset, or no
/// zone (read as UTC). A date alone means midnight UTC. `None` if the text
/// is not such a date.
pub fn parse_iso_ms(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let mut pos = 0;
    let year = i64::from(take_digits(b, &mut pos, 4)?);
    if b.get(pos) != Some(&b'-') {
        return None;
    }
    pos += 1;
    let month = take_digits(b, &mut pos, 2)?;
    if b.get(pos) != Some(&b'-') {
        return None;
    }
    pos += 1;
    let day = take_digits(b, &mut pos, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) as f64 * 86_400_000.0;
    if pos == b.len() {
        return Some(ms);
    }
    if !matches!(b[pos], b'T' | b't' | b' ') {
        return None;
    }
    pos += 1;
    let hour = take_digits(b, &mut pos, 2)?;
    if b.get(pos) != Some(&b':') {
        return None;
    }
    pos += 1;
    let minute = take_digits(b, &mut pos, 2)?;
    let mut second = 0;
    if b.get(pos) == Some(&b':') {
        pos += 1;
        second = take_digits(b, &mut pos, 2)?;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    ms += f64::from(hour * 3_600_000 + minute * 60_000 + second * 1000);
    if matches!(b.get(pos), Some(b'.' | b',')) {
        pos += 1;
        let start = pos;
        let mut scale = 100.0;
        while let Some(c) = b.get(pos).filter(|c| c.is_ascii_digit()) {
            ms += f64::from(c - b'0') * scale;
            scale /= 10.0;
            pos += 1;
        }
        if pos == start {
            return None;
        }
    }
    match b.get(pos) {
        None => Some(ms),
        Some(b'Z' | b'z') if pos + 1 == b.len() => Some(ms),
        Some(&sign @ (b'+' | b'-')) => {
            pos += 1;
            let oh = take_digits(b, &mut pos, 2)?;
            if b.get(pos) == Some(&b':') {
                pos += 1;
            }
            let om = if pos < b.len() {
                take_digits(b, &mut pos, 2)?
            } else {
                0
            };
            if pos != b.len() || oh > 23 || om > 59 {
                return None;
            }
            let offset = f64::from(oh * 3_600_000 + om * 60_000);
            Some(if sign == b'+' {
                ms - offset
            } else {
                ms + offset
            })
        }
        _ => None,
    }
}
