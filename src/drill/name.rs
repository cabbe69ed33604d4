//! The scratch database's name: `<db>-verify-YYYYMMDD-HHMMSS`, obvious to
//! anyone who lists the server's databases, and free on the server (the
//! same case-insensitive rule as the restore form, `forms::restore`).

use crate::api::wire::time::format_iso_ms;
use crate::forms::restore::{taken_name, validate_database_name};

/// `<database>-verify-YYYYMMDD-HHMMSS` for the UTC time `now_ms`.
pub fn scratch_name(database: &str, now_ms: f64) -> Option<String> {
    let iso = format_iso_ms(now_ms)?;
    // "2026-11-29T16:02:00.0000000Z" -> "20261129-160200".
    let digits: String = iso.chars().take(19).filter(char::is_ascii_digit).collect();
    let (date, time) = (digits.get(0..8)?, digits.get(8..14)?);
    Some(format!("{}-verify-{date}-{time}", database.trim()))
}

/// A scratch name for `database` at `now_ms` that is not among `names`
/// (the server's databases, read right before): `-2`, `-3`… is added while
/// it is taken. Says why when no valid free name can be made.
pub fn free_scratch_name<'a>(
    database: &str,
    now_ms: f64,
    names: impl IntoIterator<Item = &'a str> + Clone,
) -> Result<String, String> {
    let base = scratch_name(database, now_ms)
        .ok_or_else(|| "The browser's clock gave no usable time.".to_string())?;
    for n in 1..=9 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        validate_database_name(&candidate).map_err(|why| {
            format!("No scratch database name can be made from “{database}”: {why}")
        })?;
        if taken_name(names.clone(), &candidate).is_none() {
            return Ok(candidate);
        }
    }
    Err(format!(
        "Every scratch name for “{database}” at this second is taken on the server ({base} and 8 more); try again in a second."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-29T16:02:00Z
    const AT: f64 = 1_795_968_120_000.0;

    #[test]
    fn the_name_says_what_and_when() {
        assert_eq!(
            scratch_name("Northwind", AT).as_deref(),
            Some("Northwind-verify-20261129-160200")
        );
    }

    #[test]
    fn a_taken_name_in_any_case_is_not_used() {
        let names = ["northwind-VERIFY-20261129-160200", "Other"];
        assert_eq!(
            free_scratch_name("Northwind", AT, names.iter().copied()).as_deref(),
            Ok("Northwind-verify-20261129-160200-2")
        );
        let free: [&str; 0] = [];
        assert_eq!(
            free_scratch_name("Northwind", AT, free.iter().copied()).as_deref(),
            Ok("Northwind-verify-20261129-160200")
        );
    }

    #[test]
    fn all_taken_or_invalid_says_why() {
        let taken: Vec<String> = (1..=9)
            .map(|n| {
                if n == 1 {
                    "Northwind-verify-20261129-160200".to_string()
                } else {
                    format!("Northwind-verify-20261129-160200-{n}")
                }
            })
            .collect();
        let err = free_scratch_name("Northwind", AT, taken.iter().map(String::as_str)).unwrap_err();
        assert!(err.contains("taken"), "{err}");
        let long = "x".repeat(300);
        let none: [&str; 0] = [];
        assert!(free_scratch_name(&long, AT, none.iter().copied()).is_err());
    }
}
