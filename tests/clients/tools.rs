//! Finding the real clients, running them with a time limit, and reporting their versions.
//!
//! A client that cannot be found is an error that names `scripts/install-clients.sh`: the
//! tests never skip silently.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What a finished process left behind.
#[derive(Debug)]
pub struct Output {
    /// Exit code (`None` when killed by a signal or the time limit).
    pub code: Option<i32>,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Output {
    /// Standard error's last lines, for a failure message.
    pub fn stderr_tail(&self, lines: usize) -> String {
        tail(&self.stderr, lines)
    }
}

/// The last `lines` lines of `text`, indented.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    all[start..].iter().map(|l| format!("    {l}\n")).collect()
}

/// How long one client process may take.
pub const TIME_LIMIT: Duration = Duration::from_secs(120);

/// Runs `cmd` (stdin closed) in `dir`, feeding `input` on stdin when given.
pub fn run(cmd: &mut Command, dir: &Path, input: Option<&[u8]>) -> Result<Output, String> {
    let shown = format!("{cmd:?}");
    cmd.current_dir(dir)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if let (Some(data), Some(mut stdin)) = (input, child.stdin.take()) {
        let data = data.to_vec();
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = stdin.write_all(&data);
        });
    }
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("waiting for {shown}: {e}")),
        }
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    match status {
        None => Err(format!("{shown} took longer than {}s and was killed", TIME_LIMIT.as_secs())),
        Some(status) => Ok(Output { code: status.code(), stdout, stderr }),
    }
}

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the clients are, or why one is missing.
#[derive(Debug)]
pub struct Clients {
    /// `pdflatex`, `bibtex`, `biber`, Debian's `pandoc` (2.x), `node`: found on `PATH`.
    pub on_path: Vec<(&'static str, Result<PathBuf, String>)>,
    /// The Python of `.venv` (or `$BIBCONV_PYTHON`) with rispy and bibtexparser.
    pub python: Result<PathBuf, String>,
    /// pandoc 3 shipped by pypandoc-binary (reads RIS).
    pub pandoc3: Result<PathBuf, String>,
    /// `node_modules/@citation-js/core` and the plugins.
    pub citation_js: Result<PathBuf, String>,
    /// `name  version` lines, for the report.
    pub versions: Vec<(String, String)>,
}

const INSTALL_HINT: &str = "run scripts/install-clients.sh";

/// Programs looked up on `PATH`.
const PROGRAMS: &[&str] = &["pdflatex", "bibtex", "biber", "pandoc", "node"];

fn which(name: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("`{name}` not found on PATH: {INSTALL_HINT}"))
}

fn first_line(cmd: &mut Command) -> String {
    match run(cmd, &root(), None) {
        Ok(out) => {
            let text = if out.stdout.trim().is_empty() { out.stderr } else { out.stdout };
            text.lines().next().unwrap_or("").trim().to_owned()
        }
        Err(e) => format!("(unknown: {e})"),
    }
}

/// Looks every client up once and asks each its version.
pub fn clients() -> &'static Clients {
    static CLIENTS: OnceLock<Clients> = OnceLock::new();
    CLIENTS.get_or_init(find_clients)
}

fn find_clients() -> Clients {
    let root = root();
    let on_path: Vec<_> = PROGRAMS.iter().map(|&p| (p, which(p))).collect();
    let mut versions = Vec::new();
    for (name, found) in &on_path {
        if let Ok(path) = found {
            versions.push((name.to_string(), first_line(Command::new(path).arg("--version"))));
        }
    }
    if let Some(ver) = tex_file_version("biblatex.sty", "\\def\\abx@version{") {
        versions.push(("biblatex".into(), ver));
    }
    if let Some(ver) = tex_file_version("natbib.sty", "\\ProvidesPackage{natbib}") {
        versions.push(("natbib".into(), ver));
    }

    let python = std::env::var_os("BIBCONV_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".venv/bin/python"));
    let python = if python.is_file() {
        Ok(python)
    } else {
        Err(format!(
            "Python with rispy and bibtexparser not found at {}: {INSTALL_HINT}",
            python.display()
        ))
    };
    let mut pandoc3 = Err(format!("pandoc 3 from pypandoc-binary not found: {INSTALL_HINT}"));
    if let Ok(py) = &python {
        let script = "import importlib.metadata as m, os, pypandoc\n\
            print(os.path.join(os.path.dirname(pypandoc.__file__), 'files', 'pandoc'))\n\
            for n in ('pypandoc-binary', 'rispy', 'bibtexparser'): print(n, m.version(n))";
        match run(Command::new(py).args(["-c", script]), &root, None) {
            Ok(out) if out.code == Some(0) => {
                let mut lines = out.stdout.lines();
                let pandoc = PathBuf::from(lines.next().unwrap_or_default());
                if pandoc.is_file() {
                    versions.push((
                        "pandoc (pypandoc-binary)".into(),
                        first_line(Command::new(&pandoc).arg("--version")),
                    ));
                    pandoc3 = Ok(pandoc);
                }
                for line in lines {
                    if let Some((name, ver)) = line.split_once(' ') {
                        versions.push((format!("python {name}"), ver.to_owned()));
                    }
                }
            }
            Ok(out) => {
                pandoc3 = Err(format!(
                    "Python packages missing ({INSTALL_HINT}):\n{}",
                    out.stderr_tail(3)
                ))
            }
            Err(e) => pandoc3 = Err(format!("{e}: {INSTALL_HINT}")),
        }
    }
    let python = python.and_then(|py| match &pandoc3 {
        Ok(_) => Ok(py),
        Err(e) => Err(e.clone()),
    });

    let modules = root.join("node_modules/@citation-js");
    let mut citation_js = Ok(modules.clone());
    for plugin in ["core", "plugin-bibtex", "plugin-ris", "plugin-csl"] {
        let manifest = modules.join(plugin).join("package.json");
        match std::fs::read_to_string(&manifest) {
            Ok(text) => {
                let ver = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|v| v["version"].as_str().map(str::to_owned))
                    .unwrap_or_default();
                versions.push((format!("@citation-js/{plugin}"), ver));
            }
            Err(_) => {
                citation_js = Err(format!("{} missing: {INSTALL_HINT}", manifest.display()));
            }
        }
    }
    Clients { on_path, python, pandoc3, citation_js, versions }
}

/// The version a TeX file declares after `marker` (`3.18b`), found with kpsewhich.
fn tex_file_version(file: &str, marker: &str) -> Option<String> {
    let out = run(Command::new("kpsewhich").arg(file), &root(), None).ok()?;
    let text = std::fs::read_to_string(out.stdout.trim()).ok()?;
    let (_, rest) = text.split_once(marker)?;
    let rest = rest.trim_start_matches(|c: char| c == '{' || c == '[' || c.is_whitespace());
    let end = rest.find([']', '}'])?;
    Some(rest[..end].to_owned())
}

impl Clients {
    /// The path of a program found on `PATH`, or the install hint.
    pub fn program(&self, name: &str) -> Result<&Path, String> {
        self.on_path
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, found)| found.as_deref().map_err(Clone::clone))
            .unwrap_or_else(|| Err(format!("`{name}` is not a known client")))
    }

    /// Every missing client, one message each.
    pub fn missing(&self) -> Vec<String> {
        let mut out: Vec<String> =
            self.on_path.iter().filter_map(|(_, f)| f.as_ref().err().cloned()).collect();
        out.extend(self.python.as_ref().err().cloned());
        out.extend(self.citation_js.as_ref().err().cloned());
        out.sort();
        out.dedup();
        out
    }

    /// The version table.
    pub fn version_table(&self) -> String {
        self.versions.iter().map(|(n, v)| format!("  {n:<28} {v}\n")).collect()
    }
}
