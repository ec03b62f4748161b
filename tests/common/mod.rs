//! Shared test helpers: fixture walking and golden comparison with `BLESS=1`.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files directly inside `dir`, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Subdirectories of `dir`, sorted.
pub fn dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Records as pretty JSON, the form reader goldens are kept in.
pub fn to_pretty_json(records: &[bibconv::Record]) -> String {
    let mut s = serde_json::to_string_pretty(records).expect("records serialize");
    s.push('\n');
    s
}

/// Compares `actual` with the golden file at `path`; with `BLESS=1` rewrites the file
/// instead. A difference is added to `failures` with a line diff.
pub fn golden(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("BLESS").is_some() {
        fs::write(path, actual).expect("write golden");
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        failures.push(format!("{}:\n{}", path.display(), diff(&expected, actual)));
    }
}

/// A short line diff: lines only in `expected` start with `-`, lines only in `actual` `+`.
pub fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            i += 1;
            j += 1;
        } else if j < a.len() && !e[i..].contains(&a[j]) {
            out.push_str(&format!("+{}\n", a[j]));
            j += 1;
        } else if i < e.len() {
            out.push_str(&format!("-{}\n", e[i]));
            i += 1;
        } else {
            out.push_str(&format!("+{}\n", a[j]));
            j += 1;
        }
        if out.len() > 4000 {
            out.push_str("…\n");
            break;
        }
    }
    out
}

/// A scratch directory under the system's temporary directory, made empty, and removed when
/// dropped (a failing test's too, as the panic unwinds).
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    /// `bibconv-{suite}-{name}-{pid}`.
    pub fn new(suite: &str, name: &str) -> ScratchDir {
        let dir =
            std::env::temp_dir().join(format!("bibconv-{suite}-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch directory");
        ScratchDir(dir)
    }
}

impl std::ops::Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
