//! Small helpers: .NET-style dates, GUIDs, percent decoding,
//! and the reversible "protection" of SecuredSettings at rest.

use base64::Engine;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 -> (year, month, day). Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i64 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

struct Parts {
    y: i64,
    mo: u32,
    d: u32,
    h: u64,
    mi: u64,
    s: u64,
    ticks: u32,
}

fn parts(t: SystemTime) -> Parts {
    let dur = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = dur.as_secs();
    let (y, mo, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    Parts {
        y,
        mo,
        d,
        h: rem / 3600,
        mi: (rem % 3600) / 60,
        s: rem % 60,
        ticks: dur.subsec_nanos() / 100,
    }
}

/// `2016-05-10T12:00:00.1234567Z` (7 fractional digits, UTC).
pub fn iso(t: SystemTime) -> String {
    let p = parts(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        p.y, p.mo, p.d, p.h, p.mi, p.s, p.ticks
    )
}

pub fn now_iso() -> String {
    iso(SystemTime::now())
}

/// `Inc yyyy-MM-dd HH-mm-ss` folder name (UTC).
pub fn inc_folder_name(t: SystemTime) -> String {
    let p = parts(t);
    format!(
        "Inc {:04}-{:02}-{:02} {:02}-{:02}-{:02}",
        p.y, p.mo, p.d, p.h, p.mi, p.s
    )
}

/// RFC 1123 date for `Last-Modified` headers.
pub fn http_date(t: SystemTime) -> String {
    let p = parts(t);
    let days = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(p.mo as usize).saturating_sub(1) % 12];
    format!(
        "{wd}, {:02} {mon} {:04} {:02}:{:02}:{:02} GMT",
        p.d, p.y, p.h, p.mi, p.s
    )
}

pub fn epoch_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

static GUID_COUNTER: AtomicU64 = AtomicU64::new(0);

pub(crate) fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(GUID_COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// A random (version-4 shaped) GUID string.
pub fn new_guid() -> String {
    let a = random_u64();
    let b = random_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// Percent-decoding of one URL component (`+` is kept as is in paths).
pub fn percent_decode(s: &str, plus_as_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a query string into decoded (name, value) pairs.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// Encodes a string so it can be a single file name (lower-cased by the caller
/// when case-insensitivity is wanted). Long names are shortened with a hash.
pub fn file_name_for(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.len() > 180 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        let mut cut = 150;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out = format!("{}~{h:016x}", &out[..cut]);
    }
    out
}

const PROTECT_PREFIX: &str = "devserver-protected-v1:";
const PROTECT_KEY: &[u8] = b"RavenDB-3.x-devserver-not-a-real-secret";

/// Reversible, clearly-not-plain-text encoding of a secured setting at rest
/// (XOR with a fixed key, base64, prefix). NOT security: it only mirrors the
/// fact that RavenDB stores SecuredSettings in a non-plain form.
pub fn protect(plain: &str) -> String {
    let x: Vec<u8> = plain
        .bytes()
        .enumerate()
        .map(|(i, b)| b ^ PROTECT_KEY[i % PROTECT_KEY.len()])
        .collect();
    format!(
        "{PROTECT_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(x)
    )
}

/// Inverse of [`protect`]; values without the prefix are returned unchanged.
pub fn unprotect(stored: &str) -> String {
    let Some(b64) = stored.strip_prefix(PROTECT_PREFIX) else {
        return stored.to_string();
    };
    match base64::engine::general_purpose::STANDARD.decode(b64) {
        Ok(x) => {
            let plain: Vec<u8> = x
                .iter()
                .enumerate()
                .map(|(i, b)| b ^ PROTECT_KEY[i % PROTECT_KEY.len()])
                .collect();
            String::from_utf8_lossy(&plain).into_owned()
        }
        Err(_) => stored.to_string(),
    }
}

/// ASCII lower case (routes and names are matched case-insensitively).
pub fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// RavenDB 3.x database-name rule (letters, digits, `_`, `-`, `.`).
pub fn valid_resource_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates() {
        let t = UNIX_EPOCH + Duration::new(1_462_881_600, 123_456_789);
        assert_eq!(iso(t), "2016-05-10T12:00:00.1234567Z");
        assert_eq!(inc_folder_name(t), "Inc 2016-05-10 12-00-00");
        assert_eq!(http_date(t), "Tue, 10 May 2016 12:00:00 GMT");
    }

    #[test]
    fn protection_round_trips() {
        let p = protect("secret key");
        assert!(p.starts_with(PROTECT_PREFIX));
        assert!(!p.contains("secret"));
        assert_eq!(unprotect(&p), "secret key");
    }

    #[test]
    fn percent() {
        assert_eq!(
            percent_decode("Raven%2FBackup%2fStatus", false),
            "Raven/Backup/Status"
        );
        assert_eq!(percent_decode("a%zz%", false), "a%zz%");
        assert_eq!(file_name_for("raven/backup"), "raven%2Fbackup");
    }
}
