//! Where user-given locations may lead: inside their root textually and
//! after resolving symbolic links, with names Windows would accept, and (for
//! data folders) never a folder another database owns.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Lexically normalises `p` (no file-system access): removes `.` and resolves `..`.
/// Returns None when `..` climbs above the root.
pub fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Prefix(_) => return None,
            Component::RootDir => out.push("/"),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() || out.as_os_str().is_empty() {
                    return None;
                }
            }
            Component::Normal(n) => out.push(n),
        }
    }
    Some(out)
}

/// Resolves a user-supplied (possibly Windows-style) location against `root`.
/// `~/x` and `x` are relative to `root`; `/x` must already be inside `root`.
/// Returns None when the path is a drive path or escapes the root.
pub fn confine(root: &Path, user: &str) -> Option<PathBuf> {
    let s = user.replace('\\', "/");
    let b = s.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return None;
    }
    if s.contains('\0') {
        return None;
    }
    let joined = if let Some(rest) = s.strip_prefix("~/") {
        root.join(rest)
    } else if s == "~" {
        root.to_path_buf()
    } else if s.starts_with('/') {
        PathBuf::from(&s)
    } else {
        root.join(&s)
    };
    let n = normalize(&joined)?;
    if n.starts_with(root) {
        Some(n)
    } else {
        None
    }
}

/// The deepest existing ancestor of `p` with every symbolic link resolved,
/// followed by the components that do not exist yet. None when a link is
/// dangling or unreadable.
pub fn resolve(p: &Path) -> Option<PathBuf> {
    let mut existing = p.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        match fs::symlink_metadata(&existing) {
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                rest.push(existing.file_name()?.to_os_string());
                if !existing.pop() {
                    return None;
                }
            }
            Err(_) => return None,
        }
    }
    let mut out = fs::canonicalize(&existing).ok()?;
    for c in rest.iter().rev() {
        out.push(c);
    }
    Some(out)
}

/// Whether `p`, once symbolic links are resolved, is `root` or inside it
/// (`root` is canonical).
pub fn resolves_inside(root: &Path, p: &Path) -> bool {
    resolve(p).is_some_and(|r| r.starts_with(root))
}

/// [`confine`], then the same check on the resolved path: a symbolic link
/// inside the root may not lead out of it.
pub fn confine_resolved(root: &Path, user: &str) -> Option<PathBuf> {
    confine(root, user).filter(|p| resolves_inside(root, p))
}

/// Characters no folder name may hold: control characters (line breaks,
/// tabs: Windows refuses them) and what only disguises a name
/// (bidirectional overrides, zero-width characters, look-alike dots and
/// slashes). A name may not end in a dot or a space either (Windows drops
/// them, so two names would mean one folder). Other punctuation stays
/// allowed: it is plain text, and the dashboard's hostile-text tests use it.
pub fn has_illegal_chars(user: &str) -> bool {
    let disguised = |c: char| match c {
        c if c.is_control() => true,
        '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}' => true,
        '\u{2024}' | '\u{2025}' | '\u{2026}' | '\u{FE52}' | '\u{FF0E}' | '\u{FF61}'
        | '\u{3002}' => true,
        '\u{2044}' | '\u{2215}' | '\u{29F8}' | '\u{FF0F}' | '\u{FF3C}' | '\u{2216}'
        | '\u{29F5}' => true,
        _ => false,
    };
    user.chars().any(disguised)
        || user
            .split(['/', '\\'])
            .any(|seg| seg != "." && seg != ".." && (seg.ends_with('.') || seg.ends_with(' ')))
}

/// Case-insensitive path comparison (names are case-insensitive in RavenDB).
fn key(p: &Path) -> PathBuf {
    PathBuf::from(p.to_string_lossy().to_lowercase())
}

/// Whether the two paths name one folder (case-insensitively).
pub fn same(a: &Path, b: &Path) -> bool {
    key(a) == key(b)
}

/// Whether one of the two folders is the other or lies inside it.
pub fn overlap(a: &Path, b: &Path) -> bool {
    let (a, b) = (key(a), key(b));
    a.starts_with(&b) || b.starts_with(&a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confinement() {
        let r = Path::new("/srv/backups");
        assert_eq!(confine(r, "a\\b"), Some(PathBuf::from("/srv/backups/a/b")));
        assert_eq!(
            confine(r, "/srv/backups/x"),
            Some(PathBuf::from("/srv/backups/x"))
        );
        assert_eq!(confine(r, "../x"), None);
        assert_eq!(confine(r, "a/../../x"), None);
        assert_eq!(confine(r, "/etc"), None);
        assert_eq!(confine(r, "C:\\Backups"), None);
        assert_eq!(confine(r, "~/n"), Some(PathBuf::from("/srv/backups/n")));
    }

    #[test]
    fn illegal_characters() {
        for ok in [
            "a",
            "fine name-1.2",
            "~/x/y",
            "C:\\Backups\\x",
            "..\\x",
            "./a",
            "e2e/<script>alert(1)</script> <img src=x> \"quotes\" שלום 🦅😀",
        ] {
            assert!(!has_illegal_chars(ok), "{ok}");
        }
        for bad in [
            "a\nb",
            "a\u{202E}b",
            "\u{2024}\u{2024}/x",
            "dot./x",
            "sp /x",
            "a\u{FF0F}b",
        ] {
            assert!(has_illegal_chars(bad), "{bad:?}");
        }
    }

    #[test]
    fn overlapping_folders() {
        assert!(overlap(Path::new("/d/A"), Path::new("/d/a/x")));
        assert!(overlap(Path::new("/d/a/x"), Path::new("/d/A")));
        assert!(!overlap(Path::new("/d/A"), Path::new("/d/AB")));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_resolved() {
        let base = std::env::temp_dir().join(format!("devserver-paths-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(base.join("root")).unwrap();
        fs::create_dir_all(base.join("out")).unwrap();
        let root = fs::canonicalize(base.join("root")).unwrap();
        std::os::unix::fs::symlink(base.join("out"), root.join("link")).unwrap();
        std::os::unix::fs::symlink(base.join("nowhere"), root.join("dangling")).unwrap();
        assert!(resolves_inside(&root, &root.join("new/deeper")));
        assert!(!resolves_inside(&root, &root.join("link")));
        assert!(!resolves_inside(&root, &root.join("link/new")));
        assert!(!resolves_inside(&root, &root.join("dangling/x")));
        assert_eq!(confine_resolved(&root, "ok"), Some(root.join("ok")));
        assert_eq!(confine_resolved(&root, "link/x"), None);
        let _ = fs::remove_dir_all(&base);
    }
}
