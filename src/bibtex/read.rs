//! BibTeX/BibLaTeX reader: [`raw`] entries → macros and `#` resolved → `crossref`
//! and `xdata` inherited → TeX decoded by the `biblatex` crate → [`Record`]s.
//!
//! ```text
//! @string{nhs = "National Health Service"}
//! @article{checkland2013, author = {Checkland, Kath and Coleman, Anna},
//!   title = {Primary care-led commissioning in the {NHS}}, journal = nhs # " Journal",
//!   year = 2013, month = jan, pages = {49--56}}
//! ```

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use biblatex::{Chunk, ChunksExt, RawBibliography};

use super::raw::{self, Item, Piece, RawEntry};
use super::{PROTECTED_EXTRA, TYPE_EXTRA, kind_from_type, month_number};
use crate::model::{clean_doi, clean_isbn, clean_issn, clean_pmid, collapse_ws, normalize_pages};
use crate::{Date, Diagnostic, Kind, Parsed, Person, Record};
use crate::{latex, swar};

/// Fields deeper than this many braces skip the crate (its command parser recurses).
const MAX_CRATE_DEPTH: usize = 32;

/// Parent fields a child never inherits through `crossref` or `xdata`.
const NOT_INHERITED: &[&str] = &[
    "crossref",
    "xref",
    "xdata",
    "ids",
    "entryset",
    "label",
    "shorthand",
    "sortkey",
    "options",
    "related",
    "relatedtype",
    "presort",
    "execute",
];

/// Fields the `biblatex` crate reads verbatim (no TeX decoding, `~` kept).
fn is_verbatim(name: &str) -> bool {
    matches!(
        name,
        "url" | "doi" | "file" | "pdf" | "eprint" | "uri" | "urlraw" | "verba" | "verbb" | "verbc"
    )
}

/// One field of an entry after macro expansion.
#[derive(Debug, Clone)]
struct Field {
    name: String,
    text: String,
    offset: usize,
}

/// An entry with its fields expanded.
#[derive(Debug, Clone)]
struct Expanded {
    offset: usize,
    ty: String,
    key: String,
    fields: Vec<Field>,
}

impl Expanded {
    fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A decoded field value: text, and what the source protected with braces.
#[derive(Debug, Clone, Default)]
struct Value {
    text: String,
    protected: Vec<String>,
    /// The crate's chunks, when it decoded the field (names are parsed from them).
    chunks: Option<biblatex::Chunks>,
}

/// Parses `.bib` text into records. Never fails: a malformed entry is an error diagnostic at
/// its byte offset and the other entries are still read; a duplicate key is a warning and
/// both entries are kept.
pub fn parse(src: &str) -> Parsed {
    let file = raw::scan(src);
    let mut diagnostics: Vec<Diagnostic> =
        file.errors.iter().map(|(offset, msg)| Diagnostic::error(*offset, msg.clone())).collect();

    // BibTeX's predefined month macros expand to month names.
    let mut macros: HashMap<String, String> = HashMap::new();
    for (i, name) in super::MONTH_MACROS.iter().enumerate() {
        macros.insert((*name).to_owned(), MONTH_NAMES[i].to_owned());
    }
    for item in &file.items {
        if let Item::Strings(defs) = item {
            for def in defs {
                let value = expand(&def.value, &macros, &mut diagnostics);
                macros.insert(def.name.to_lowercase(), value);
            }
        }
    }

    let mut entries: Vec<Expanded> = Vec::new();
    for item in &file.items {
        if let Item::Entry(entry) = item {
            entries.push(expand_entry(entry, &macros, &mut diagnostics));
        }
    }

    let mut seen: HashSet<String> = HashSet::new();
    for e in &entries {
        if !e.key.is_empty() && !seen.insert(e.key.to_lowercase()) {
            diagnostics.push(Diagnostic::warning(
                e.offset,
                format!(
                    "duplicate key `{}`; both entries kept, this one gets a new key on output",
                    e.key
                ),
            ));
        }
    }

    let inherited = inherit(entries, &mut diagnostics);
    let mut records = Vec::with_capacity(inherited.len());
    for entry in inherited {
        if entry.ty == "xdata" || entry.ty == "set" {
            continue;
        }
        records.push(to_record(&entry, &mut diagnostics));
    }
    diagnostics.sort_by_key(|d| d.offset);
    Parsed { records, diagnostics }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Concatenates the pieces of a value, expanding macros (case-insensitively, as BibTeX does).
/// An undefined macro is kept as its name, with a warning.
fn expand(
    pieces: &[Piece<'_>],
    macros: &HashMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t, _) => out.push_str(t),
            Piece::Macro(name, offset) => match macros.get(&name.to_lowercase()) {
                Some(v) => out.push_str(v),
                None => {
                    diags.push(Diagnostic::warning(
                        *offset,
                        format!("undefined macro `{name}`; its name is kept as text"),
                    ));
                    out.push_str(name);
                }
            },
        }
    }
    out
}

fn expand_entry(
    entry: &RawEntry<'_>,
    macros: &HashMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Expanded {
    let mut fields: Vec<Field> = Vec::with_capacity(entry.fields.len());
    for f in &entry.fields {
        let name = f.name.to_lowercase();
        let mut text = expand(&f.value, macros, diags);
        if matches!(name.as_str(), "author" | "editor" | "translator" | "bookauthor") {
            text = lowercase_and(&text);
        }
        if fields.iter().any(|g| g.name == name) {
            diags.push(Diagnostic::warning(
                f.offset,
                format!("duplicate field `{name}`; the first value is kept, this one goes to `{name}-duplicate`"),
            ));
            fields.push(Field { name: format!("{name}-duplicate"), text, offset: f.offset });
            continue;
        }
        fields.push(Field { name, text, offset: f.offset });
    }
    Expanded {
        offset: entry.offset,
        ty: entry.kind.to_lowercase(),
        key: entry.key.to_owned(),
        fields,
    }
}

/// `A AND B` → `A and B` outside braces: BibTeX splits names at `and` in any case, the crate
/// only at lowercase `and`.
fn lowercase_and(text: &str) -> String {
    if !text.contains(" AND ") && !text.contains(" And ") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if depth == 0 && (rest.starts_with(" AND ") || rest.starts_with(" And ")) {
            out.push_str(" and ");
            rest = rest.get(5..).unwrap_or_default();
            continue;
        }
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out
}

/// Copies the fields of `crossref` and `xdata` parents into their children, following chains
/// (a cycle stops at the first repeated entry). A book's `title` becomes a chapter's
/// `booktitle`, a periodical's `title` an article's `journaltitle` (biber's rules).
fn inherit(entries: Vec<Expanded>, diags: &mut Vec<Diagnostic>) -> Vec<Expanded> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_key.entry(e.key.to_lowercase()).or_insert(i);
    }
    // Only children are copied; every other entry is moved through as it is.
    let mut children: Vec<Option<Expanded>> = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        if entry.get("crossref").is_none() && entry.get("xdata").is_none() {
            children.push(None);
            continue;
        }
        let mut child = entry.clone();
        child.fields.retain(|f| f.name != "crossref" && f.name != "xdata");
        let mut visited: HashSet<usize> = HashSet::from([i]);
        // xdata: every listed entry, one level.
        if let Some(x) = entry.get("xdata") {
            for key in x.text.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                match by_key.get(&key.to_lowercase()) {
                    Some(&p) if visited.insert(p) => copy_missing(&mut child, &entries[p], false),
                    Some(_) => {}
                    None => diags.push(Diagnostic::warning(
                        x.offset,
                        format!("xdata entry `{key}` not found"),
                    )),
                }
            }
        }
        let mut current = entry;
        while let Some(parent_key) = current.get("crossref") {
            let key = parent_key.text.trim();
            match by_key.get(&key.to_lowercase()) {
                Some(&p) if visited.insert(p) => {
                    copy_missing(&mut child, &entries[p], true);
                    current = &entries[p];
                }
                Some(_) => break,
                None => {
                    diags.push(Diagnostic::warning(
                        parent_key.offset,
                        format!("crossref entry `{key}` not found; kept in `crossref`"),
                    ));
                    child.fields.push(Field {
                        name: "crossref".into(),
                        text: key.to_owned(),
                        offset: parent_key.offset,
                    });
                    break;
                }
            }
        }
        children.push(Some(child));
    }
    entries.into_iter().zip(children).map(|(entry, child)| child.unwrap_or(entry)).collect()
}

fn copy_missing(child: &mut Expanded, parent: &Expanded, crossref: bool) {
    let child_in_book = child.ty.starts_with("in")
        || matches!(child.ty.as_str(), "bookinbook" | "suppbook" | "suppcollection");
    let parent_book = matches!(
        parent.ty.as_str(),
        "book"
            | "mvbook"
            | "collection"
            | "mvcollection"
            | "proceedings"
            | "mvproceedings"
            | "reference"
            | "mvreference"
    );
    for f in &parent.fields {
        if NOT_INHERITED.contains(&f.name.as_str()) {
            continue;
        }
        let name = match f.name.as_str() {
            "title" | "subtitle" | "titleaddon" | "shorttitle"
                if crossref && child_in_book && parent_book =>
            {
                match f.name.as_str() {
                    "title" => "booktitle",
                    "subtitle" => "booksubtitle",
                    "titleaddon" => "booktitleaddon",
                    _ => continue,
                }
            }
            "title" | "subtitle" | "shorttitle" if crossref && parent.ty == "periodical" => {
                match f.name.as_str() {
                    "title" => "journaltitle",
                    "subtitle" => "journalsubtitle",
                    _ => continue,
                }
            }
            "title" | "subtitle" | "shorttitle" if crossref => continue,
            n => n,
        };
        let has = child.fields.iter().any(|g| g.name == name)
            || (name == "journaltitle" && child.get("journal").is_some())
            || (name == "journal" && child.get("journaltitle").is_some());
        if !has {
            child.fields.push(Field {
                name: name.to_owned(),
                text: f.text.clone(),
                offset: f.offset,
            });
        }
    }
}

/// The deepest brace nesting in `text`.
fn brace_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    for i in memchr::memchr2_iter(b'{', b'}', bytes) {
        if bytes.get(i) == Some(&b'{') {
            depth += 1;
            max = max.max(depth);
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    max
}

/// Runs the crate's resolve stage over `fields` (already expanded: no macros left).
fn crate_chunks(fields: &[&Field]) -> Result<Vec<biblatex::Chunks>, biblatex::ParseError> {
    use biblatex::{Pair, RawChunk, Spanned};
    let texts: Vec<Cow<'_, str>> = fields
        .iter()
        .map(|f| {
            let text = dotless_accents(&f.text);
            let text = match latex::decode_symbol_groups(&text) {
                Cow::Owned(t) => Cow::Owned(t),
                Cow::Borrowed(_) => text,
            };
            // A date's `~` is EDTF's "approximate", not a tie.
            if is_verbatim(&f.name) || f.name.ends_with("date") {
                text
            } else if text.contains("\\-") {
                // `\-` (a hyphenation point) would take a following `{C}` as its argument.
                Cow::Owned(ties_to_spaces(&text.replace("\\-", "")).into_owned())
            } else {
                match ties_to_spaces(&text) {
                    Cow::Owned(t) => Cow::Owned(t),
                    Cow::Borrowed(_) => text,
                }
            }
        })
        .collect();
    // Fields that link entries are resolved by `inherit`, never by the crate: given to it
    // under their own names, `crossref = k` would point the one-entry bibliography (key `k`)
    // at itself, and the crate recurses until the stack overflows (found by cargo fuzz).
    let names: Vec<String> = fields
        .iter()
        .map(|f| match f.name.as_str() {
            "crossref" | "xdata" | "xref" | "set" | "entryset" | "related" => {
                format!("bibconv-{}", f.name)
            }
            name => name.to_owned(),
        })
        .collect();
    let pairs = names
        .iter()
        .zip(&texts)
        .map(|(name, text)| {
            let chunk = Spanned::new(RawChunk::Normal(text), 0..text.len());
            Pair::new(Spanned::new(name.as_str(), 0..0), Spanned::new(vec![chunk], 0..text.len()))
        })
        .collect();
    let entry = biblatex::RawEntry {
        key: Spanned::new("k", 0..0),
        kind: Spanned::new("misc", 0..0),
        fields: pairs,
    };
    let raw = RawBibliography {
        preamble: String::new(),
        entries: vec![Spanned::new(entry, 0..0)],
        abbreviations: Vec::new(),
    };
    let bib = biblatex::Bibliography::from_raw(raw)?;
    let mut entry = bib.into_iter().next();
    // Moved out, except where a later field of the same name still needs the value.
    Ok(names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let e = entry.as_mut();
            let chunks = if names.get(i + 1..).is_some_and(|rest| rest.contains(name)) {
                e.and_then(|e| e.fields.get(name).cloned())
            } else {
                e.and_then(|e| e.fields.remove(name))
            };
            chunks.unwrap_or_default()
        })
        .collect())
}

/// Whether [`plain_chunks`] must look at byte `j` of `bytes` on its own: a hyphen, a control
/// character, a non-ASCII byte, or a space before more white space.
fn stops_run(bytes: &[u8], j: usize) -> bool {
    match bytes.get(j) {
        Some(b'-' | 0..b' ' | 0x80..) => true,
        Some(b' ') => bytes.get(j + 1).is_some_and(|&n| n <= b' '),
        _ => false,
    }
}

/// How many leading bytes of `bytes` [`plain_chunks`] copies as they are: up to the first
/// byte that [`stops_run`]. Eight bytes at a time: a word with no byte that may stop the run
/// is skipped whole (abstracts make this the reader's busiest loop).
fn plain_run(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(x) = bytes.get(i..).and_then(swar::word) {
        // Marked (at worst with more marks above the first, checked one by one): control
        // characters, hyphens, non-ASCII bytes, and two white-space bytes in a row (or one
        // at the end of the word).
        let blank = swar::below(x, 0x21);
        let maybe = swar::below(x, 0x20)
            | swar::equal(x, b'-')
            | (x & swar::HIGH)
            | (blank & (blank >> 8))
            | (blank >> 56 << 56);
        if maybe == 0 {
            i += 8;
            continue;
        }
        if let Some(j) = (i..i + 8).find(|&j| stops_run(bytes, j)) {
            return j;
        }
        i += 8;
    }
    (i..bytes.len()).find(|&j| stops_run(bytes, j)).unwrap_or(bytes.len())
}

/// What the crate makes of a value with no TeX in it (see [`plain_value`]): one normal chunk
/// with each run of white space as one space, and `--`/`---` as en and em dashes (a longer
/// run of hyphens is read three at a time).
fn plain_chunks(text: &str) -> biblatex::Chunks {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Copy the run that needs no change in one go (most of an abstract): it ends at a
        // hyphen, a control character, a space before more white space, or a non-ASCII
        // character.
        let tail = bytes.get(i..).unwrap_or_default();
        let run = i + plain_run(tail);
        out.push_str(text.get(i..run).unwrap_or_default());
        i = run;
        let next_char = |i: usize| text.get(i..).and_then(|t| t.chars().next());
        let Some(c) = next_char(i) else { break };
        i += c.len_utf8();
        if c.is_whitespace() {
            // A space copied just before (` ` then a no-break space) is part of this run.
            if !out.ends_with(' ') {
                out.push(' ');
            }
            while let Some(n) = next_char(i).filter(|n| n.is_whitespace()) {
                i += n.len_utf8();
            }
        } else if c == '-' {
            let mut hyphens = 1;
            while hyphens < 3 && bytes.get(i) == Some(&b'-') {
                hyphens += 1;
                i += 1;
            }
            out.push(match hyphens {
                1 => '-',
                2 => '–',
                _ => '—',
            });
        } else {
            out.push(c);
        }
    }
    vec![biblatex::Spanned::new(Chunk::Normal(out), 0..text.len())]
}

/// What the crate makes of a field with no TeX in it but escaped specials (`\%`, `\&`, `\_`,
/// `\#`, `\$`): the crate would only unescape them, collapse white space and read dashes
/// ([`plain_chunks`]); with inline math or brace groups as well, [`tex_value`]. `None` for
/// any other TeX (`~`, commands) and for the fields the crate resolves (`crossref`, `xdata`).
fn plain_value(f: &Field) -> Option<biblatex::Chunks> {
    if matches!(f.name.as_str(), "crossref" | "xdata") {
        return None;
    }
    // Vector searches: this looks at every byte of every field.
    let bytes = f.text.as_bytes();
    if memchr::memchr(b'~', bytes).is_some() {
        return None;
    }
    if memchr::memchr3(b'{', b'}', b'$', bytes).is_some() {
        return tex_value(f);
    }
    if memchr::memchr(b'\\', bytes).is_none() {
        return Some(plain_chunks(&f.text));
    }
    let mut unescaped = String::with_capacity(f.text.len());
    let (mut copied, mut from) = (0, 0);
    while let Some(k) = bytes.get(from..).and_then(|b| memchr::memchr2(b'\\', b'$', b)) {
        let at = from + k;
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(b'\\'), Some(b'%' | b'&' | b'_' | b'#' | b'$')) => {
                unescaped.push_str(f.text.get(copied..at)?);
                copied = at + 1;
                from = at + 2;
            }
            // Math, or another command.
            _ => return None,
        }
    }
    unescaped.push_str(f.text.get(copied..)?);
    let mut chunks = plain_chunks(&unescaped);
    for c in &mut chunks {
        c.span = 0..f.text.len();
    }
    Some(chunks)
}

/// The first `\\`, `$`, `{` or `}` in `bytes` (vector searches: abstracts are long).
fn next_tex(bytes: &[u8]) -> Option<usize> {
    let first = memchr::memchr3(b'\\', b'$', b'{', bytes);
    let before = bytes.get(..first.unwrap_or(bytes.len())).unwrap_or_default();
    memchr::memchr(b'}', before).or(first)
}

/// Where [`tex_value`] is in a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Segment {
    Text,
    Math,
    Group,
}

/// [`plain_value`] for a value with inline math (`$…$`) or brace groups (`{DNA}`) besides
/// escaped specials: what the crate makes of it. Text before each math or group is a normal
/// chunk (the first even when empty; between two groups even when empty), math is kept as
/// written, a group is a verbatim chunk read like text, and text after the last one is a
/// normal chunk when there is any. `None` for what has not been checked against the crate:
/// nested groups, math in a group or a group in math, TeX in a group, backslashes in math
/// other than commands, empty math, nothing between a math and its neighbour (`$$`), an
/// unclosed `$` or `{`, a stray `}`; and for verbatim and date fields.
fn tex_value(f: &Field) -> Option<biblatex::Chunks> {
    use biblatex::Spanned;
    if is_verbatim(&f.name) || f.name.ends_with("date") {
        return None;
    }
    let text = f.text.as_str();
    let bytes = text.as_bytes();
    let mut chunks: biblatex::Chunks = Vec::new();
    // Text of the current text or group segment with its escapes undone.
    let mut unescaped = String::new();
    let (mut start, mut from, mut at_seg) = (0, 0, Segment::Text);
    let mut last = None;
    let read = |unescaped: &mut String| -> Option<Chunk> {
        let chunk = plain_chunks(unescaped).pop()?.v;
        unescaped.clear();
        Some(chunk)
    };
    while let Some(k) = bytes.get(from..).and_then(next_tex) {
        let at = from + k;
        let (byte, next) = (bytes.get(at).copied(), bytes.get(at + 1).copied());
        match (at_seg, byte) {
            // A command in math stays as it is.
            (Segment::Math, Some(b'\\')) if next.is_some_and(|c| c.is_ascii_alphabetic()) => {
                from = at + 2;
            }
            (Segment::Text, Some(b'\\'))
                if matches!(next, Some(b'%' | b'&' | b'_' | b'#' | b'$')) =>
            {
                unescaped.push_str(text.get(from..at)?);
                unescaped.push_str(text.get(at + 1..at + 2)?);
                from = at + 2;
            }
            (Segment::Text, Some(open @ (b'$' | b'{'))) => {
                let opens = if open == b'$' { Segment::Math } else { Segment::Group };
                let first = chunks.is_empty();
                let between_groups = last == Some(Segment::Group) && opens == Segment::Group;
                if at > start || first || between_groups {
                    unescaped.push_str(text.get(from..at)?);
                    let chunk = read(&mut unescaped)?;
                    chunks.push(Spanned::new(chunk, start..at));
                } else {
                    return None;
                }
                at_seg = opens;
                start = at + 1;
                from = start;
            }
            (Segment::Math, Some(b'$')) if at > start => {
                chunks.push(Spanned::new(Chunk::Math(text.get(start..at)?.to_owned()), start..at));
                last = Some(Segment::Math);
                at_seg = Segment::Text;
                start = at + 1;
                from = start;
            }
            (Segment::Group, Some(b'}')) => {
                unescaped.push_str(text.get(from..at)?);
                let chunk = match read(&mut unescaped)? {
                    Chunk::Normal(s) => Chunk::Verbatim(s),
                    other => other,
                };
                chunks.push(Spanned::new(chunk, start..at));
                last = Some(Segment::Group);
                at_seg = Segment::Text;
                start = at + 1;
                from = start;
            }
            _ => return None,
        }
    }
    if at_seg != Segment::Text {
        return None;
    }
    if start < text.len() {
        unescaped.push_str(text.get(from..)?);
        let chunk = read(&mut unescaped)?;
        chunks.push(Spanned::new(chunk, start..text.len()));
    }
    Some(chunks)
}

/// `\"\i` and `\'{\i}` → `\"{i}`: the crate takes the backslash of `\i` as the accent's
/// argument; and `\o{}` → `\o `.
fn dotless_accents(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\i")
        && !text.contains("\\j")
        && !text.contains("\\o{}")
        && !text.contains("\\O{}")
    {
        return std::borrow::Cow::Borrowed(text);
    }
    // `\o{}` is ø, but the crate reads `{}` as the argument of the slash accent.
    let mut out = text.replace("\\o{}", "\\o ").replace("\\O{}", "\\O ");
    for accent in ['"', '\'', '`', '^', '~', '=', '.'] {
        for letter in ['i', 'j'] {
            out = out
                .replace(&format!("\\{accent}\\{letter} "), &format!("\\{accent}{{{letter}}}"))
                .replace(&format!("\\{accent}{{\\{letter}}}"), &format!("\\{accent}{{{letter}}}"))
                .replace(&format!("\\{accent}\\{letter}"), &format!("\\{accent}{{{letter}}}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Decodes every field of an entry, through the crate where it accepts the field.
fn decode_fields(entry: &Expanded, diags: &mut Vec<Diagnostic>) -> Vec<(String, Value, usize)> {
    let mut chunks: HashMap<&str, biblatex::Chunks> = HashMap::new();
    // Plain values (most numbers, identifiers, keywords, abstracts) skip the crate; a name
    // given twice keeps the crate's rules for repeats.
    let mut eligible: Vec<&Field> = Vec::with_capacity(entry.fields.len());
    for f in &entry.fields {
        let once = entry.fields.iter().filter(|g| g.name == f.name).count() == 1;
        if let Some(plain) = once.then(|| plain_value(f)).flatten() {
            chunks.insert(f.name.as_str(), plain);
        } else if brace_depth(&f.text) <= MAX_CRATE_DEPTH {
            eligible.push(f);
        }
    }
    match crate_chunks(&eligible) {
        Ok(all) => {
            for (f, c) in eligible.iter().zip(all) {
                chunks.insert(f.name.as_str(), c);
            }
        }
        // One field at a time, to find the ones the crate rejects.
        Err(_) => {
            for f in &eligible {
                match crate_chunks(&[f]) {
                    Ok(mut c) => {
                        chunks.insert(f.name.as_str(), c.pop().unwrap_or_default());
                    }
                    Err(e) => diags.push(Diagnostic::warning(
                        f.offset,
                        format!("field `{}`: {}; decoded without full TeX support", f.name, e.kind),
                    )),
                }
            }
        }
    }
    entry
        .fields
        .iter()
        .map(|f| {
            let value = match chunks.remove(f.name.as_str()) {
                Some(c) => value_from_chunks(&f.name, &f.text, c),
                None if is_verbatim(&f.name) => {
                    Value { text: collapse_ws(&unescape_url(&f.text)), ..Value::default() }
                }
                None => Value { text: collapse_ws(&latex::decode(&f.text)), ..Value::default() },
            };
            (f.name.clone(), value, f.offset)
        })
        .collect()
}

fn value_from_chunks(name: &str, source: &str, chunks: biblatex::Chunks) -> Value {
    let verbatim = is_verbatim(name);
    let mut text = String::new();
    let mut protected = Vec::new();
    for c in &chunks {
        match &c.v {
            Chunk::Normal(s) => text.push_str(s),
            Chunk::Verbatim(s) => {
                // `{\"o}` is a special character, not case protection.
                let special = source.get(c.span.start..).is_some_and(|r| r.starts_with('\\'));
                if !special && !verbatim && s.chars().any(char::is_uppercase) {
                    protected.push(collapse_ws(&tidy(s)));
                }
                text.push_str(s);
            }
            Chunk::Math(m) => {
                let decoded = scripts(&latex::decode(m));
                if decoded.contains(['\\', '^', '_']) {
                    text.push('$');
                    text.push_str(m);
                    text.push('$');
                } else {
                    text.push_str(&decoded);
                }
            }
        }
    }
    let text = if verbatim { unescape_url(&text) } else { tidy(&text) };
    Value { text: collapse_ws(&text), protected, chunks: Some(chunks) }
}

/// Digits after `^` or `_` in decoded math as Unicode super- and subscripts (`_2` → `₂`).
fn scripts(math: &str) -> String {
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    let mut out = String::with_capacity(math.len());
    let mut chars = math.chars().peekable();
    while let Some(c) = chars.next() {
        let table = match c {
            '^' => &SUP,
            '_' => &SUB,
            c => {
                out.push(c);
                continue;
            }
        };
        match chars.peek().and_then(|d| d.to_digit(10)) {
            Some(_) => {
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    out.push(table[d as usize]);
                    chars.next();
                }
            }
            None => out.push(c),
        }
    }
    out
}

/// A tie `~` (not `\~`) is a space.
fn ties_to_spaces(text: &str) -> Cow<'_, str> {
    if !text.contains('~') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut prev = ' ';
    for c in text.chars() {
        out.push(if c == '~' && prev != '\\' { ' ' } else { c });
        prev = c;
    }
    Cow::Owned(out)
}

/// `\%`, `\#`, `\_`, `\&` in a URL or DOI are TeX escapes (hyperref reads them so); the
/// URL has the bare character.
fn unescape_url(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    text.replace("\\%", "%").replace("\\#", "#").replace("\\_", "_").replace("\\&", "&")
}

/// Removes what the crate leaves of commands it does not know (`\emph{x}` → `x`).
fn tidy(text: &str) -> String {
    let has_command =
        text.as_bytes().windows(2).any(|w| w[0] == b'\\' && w[1].is_ascii_alphabetic());
    if has_command { latex::decode(text) } else { text.to_owned() }
}

/// Splits a decoded keyword list at `;` when it has one, else at `,`.
fn split_list(text: &str) -> Vec<String> {
    let sep = if text.contains(';') { ';' } else { ',' };
    text.split(sep).map(collapse_ws).filter(|s| !s.is_empty()).collect()
}

/// Names from a decoded field: the crate's parse of its chunks, or our own splitter.
fn names(value: &Value) -> Vec<Person> {
    let mut out = Vec::new();
    // The crate reads any name with `=` in the extended format (`family=Smith, given=J`);
    // a name that merely contains `=` is read by our own splitter instead.
    let extended = value.text.contains('=') && {
        let compact = value.text.to_lowercase().replace(' ', "");
        ["family=", "given=", "prefix=", "suffix="].iter().any(|k| compact.contains(k))
    };
    if let Some(chunks) = value.chunks.as_ref().filter(|_| extended || !value.text.contains('='))
        && let Ok(people) = chunks.parse::<Vec<biblatex::Person>>()
    {
        // A name given whole in braces (`{World Health Organization}`) is an organisation.
        for p in people {
            let family = collapse_ws(&tidy(&p.name));
            let given = collapse_ws(&tidy(&p.given_name));
            let prefix = collapse_ws(&tidy(&p.prefix));
            let mut suffix = collapse_ws(&tidy(&p.suffix));
            let mut given = given;
            // `May, Keith, and …`: a stray comma makes the given name a "Jr" part.
            if given.is_empty() && !suffix.is_empty() && !is_suffix(&suffix) {
                given = std::mem::take(&mut suffix);
            }
            if given.is_empty() && prefix.is_empty() && suffix.is_empty() && family.contains(' ') {
                out.push(Person::literal(&family));
            } else if family == "others" && given.is_empty() {
                out.push(Person::literal("others"));
            } else if !family.is_empty() || !given.is_empty() {
                let opt = |s: String| (!s.is_empty()).then_some(s);
                out.push(Person {
                    family: opt(family),
                    given: opt(given),
                    particle: opt(prefix),
                    suffix: opt(suffix),
                    ..Person::default()
                });
            }
        }
        return out;
    }
    for name in split_and(&value.text) {
        let p = Person::parse(&name);
        if !p.is_empty() {
            out.push(p);
        }
    }
    out
}

/// `Jr`, `Sr.`, `III`: words that are a name's suffix.
fn is_suffix(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    matches!(
        w.as_str(),
        "jr" | "sr"
            | "jnr"
            | "snr"
            | "ii"
            | "iii"
            | "iv"
            | "v"
            | "vi"
            | "2nd"
            | "3rd"
            | "jun"
            | "sen"
    )
}

/// Splits at the word `and` (any case).
fn split_and(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        if word.eq_ignore_ascii_case("and") {
            out.push(current.join(" "));
            current.clear();
        } else {
            current.push(word);
        }
    }
    out.push(current.join(" "));
    out.retain(|s| !s.is_empty());
    out
}

fn to_record(entry: &Expanded, diags: &mut Vec<Diagnostic>) -> Record {
    let (kind, default_genre) = match kind_from_type(&entry.ty) {
        Some(k) => k,
        None => (Kind::Document, None),
    };
    let mut rec = Record::new(kind);
    if kind == Kind::Document && entry.ty != "misc" {
        rec.push_extra(TYPE_EXTRA, &entry.ty);
    }
    if !entry.key.is_empty() {
        rec.key = Some(entry.key.clone());
    }
    let fields = decode_fields(entry, diags);
    let get = |name: &str| fields.iter().find(|(n, _, _)| n == name).map(|(_, v, _)| v);
    let text = |name: &str| get(name).map(|v| v.text.as_str()).filter(|t| !t.is_empty());
    let is_article = matches!(rec.kind, Kind::ArticleJournal);
    // Which fields were read (by name: every field of a taken name counts).
    let mut used = vec![false; fields.len()];
    let mut take = |name: &'static str| {
        for ((n, _, _), u) in fields.iter().zip(used.iter_mut()) {
            *u |= n == name;
        }
        text(name)
    };

    // Type refinements.
    if let Some(sub) = take("entrysubtype") {
        match (is_article, sub.to_lowercase().as_str()) {
            (true, "magazine") => rec.kind = Kind::ArticleMagazine,
            (true, "newspaper") => rec.kind = Kind::ArticleNewspaper,
            _ => rec.push_extra("entrysubtype", sub),
        }
    }

    // Persons.
    for (name, slot) in [("author", 0), ("editor", 1), ("translator", 2), ("bookauthor", 3)] {
        let _ = take(name);
        if let Some(v) = get(name) {
            let people = names(v);
            match slot {
                0 => rec.author = people,
                1 => rec.editor = people,
                2 => rec.translator = people,
                _ => rec.container_author = people,
            }
        }
    }

    // Titles.
    if let Some(t) = take("title") {
        let mut title = t.to_owned();
        if let Some(sub) = take("subtitle") {
            title = join_subtitle(&title, sub);
        }
        rec.title = Some(title);
        if let Some(v) = get("title") {
            for p in &v.protected {
                if !latex::auto_protected(p) {
                    rec.push_extra(PROTECTED_EXTRA, p);
                }
            }
        }
    }
    Record::set(&mut rec.title_short, take("shorttitle").unwrap_or_default());
    Record::set(&mut rec.original_title, take("origtitle").unwrap_or_default());

    // Container.
    let journal = take("journaltitle").or(take("journal"));
    let booktitle = take("booktitle");
    let container = match (journal, booktitle) {
        (Some(j), Some(b)) => {
            rec.push_extra("booktitle", b);
            Some(j)
        }
        (j, b) => j.or(b),
    };
    if let Some(c) = container {
        let sub = take("journalsubtitle").or(take("booksubtitle"));
        rec.container_title = Some(match sub {
            Some(s) => join_subtitle(c, s),
            None => c.to_owned(),
        });
    } else if let Some(m) = take("maintitle") {
        rec.container_title = Some(m.to_owned());
    }
    Record::set(&mut rec.container_title_short, take("shortjournal").unwrap_or_default());
    Record::set(&mut rec.collection_title, take("series").unwrap_or_default());

    // Numbers.
    Record::set(&mut rec.volume, take("volume").unwrap_or_default());
    let number = take("number");
    let issue = take("issue");
    match (
        is_article || rec.kind == Kind::ArticleMagazine || rec.kind == Kind::ArticleNewspaper,
        number,
        issue,
    ) {
        (true, Some(n), Some(i)) => {
            Record::set(&mut rec.issue, n);
            rec.push_extra("issue", i);
        }
        (true, n, i) => Record::set(&mut rec.issue, n.or(i).unwrap_or_default()),
        (false, n, i) => {
            if let Some(n) = n {
                let book_like =
                    matches!(rec.kind, Kind::Book | Kind::Chapter | Kind::PaperConference);
                if book_like && rec.collection_title.is_some() {
                    Record::set(&mut rec.collection_number, n);
                } else {
                    Record::set(&mut rec.number, n);
                }
            }
            Record::set(&mut rec.issue, i.unwrap_or_default());
        }
    }
    if let Some(p) = take("pages") {
        rec.page = Some(normalize_pages(p));
    }
    if let Some(eid) = take("eid") {
        if rec.page.is_none() {
            rec.page = Some(eid.to_owned());
        } else {
            rec.push_extra("eid", eid);
        }
    }
    Record::set(&mut rec.number_of_pages, take("pagetotal").unwrap_or_default());
    Record::set(&mut rec.number_of_volumes, take("volumes").unwrap_or_default());
    Record::set(&mut rec.edition, take("edition").unwrap_or_default());
    Record::set(&mut rec.chapter_number, take("chapter").unwrap_or_default());

    // Publication.
    Record::set(&mut rec.publisher, take("publisher").unwrap_or_default());
    Record::set(&mut rec.publisher_place, take("location").or(take("address")).unwrap_or_default());
    if let Some(a) = take("address")
        && rec.publisher_place.as_deref() != Some(a)
    {
        rec.push_extra("address", a);
    }
    let site = rec.kind == Kind::Webpage && rec.container_title.is_none();
    if site && let Some(s) = take("organization") {
        rec.container_title = Some(s.to_owned());
    }
    for name in ["school", "institution", "organization"] {
        if site && name == "organization" {
            continue;
        }
        if let Some(v) = take(name) {
            if rec.publisher.is_none() {
                rec.publisher = Some(v.to_owned());
            } else if rec.publisher.as_deref() != Some(v) {
                rec.push_extra(name, v);
            }
        }
    }
    if let Some(h) = take("howpublished") {
        match url_in(h) {
            Some(u) if rec.url.is_none() && text("url").is_none() => rec.url = Some(u),
            // The writer's place for a website or other container of a `misc`/`online` entry.
            None if rec.container_title.is_none()
                && matches!(rec.kind, Kind::Document | Kind::Webpage) =>
            {
                rec.container_title = Some(h.to_owned());
            }
            _ => rec.push_extra("howpublished", h),
        }
    }
    Record::set(&mut rec.event_title, take("eventtitle").unwrap_or_default());
    Record::set(&mut rec.event_place, take("venue").unwrap_or_default());
    // BibLaTeX's localisation keys for thesis and report types.
    match take("type") {
        Some("phdthesis") => rec.genre = Some("PhD thesis".to_owned()),
        Some("mathesis" | "mastersthesis") => rec.genre = Some("Master's thesis".to_owned()),
        Some("techreport") if rec.kind == Kind::Report => {}
        Some(t) => rec.genre = Some(t.to_owned()),
        None => rec.genre = default_genre.map(str::to_owned),
    }
    Record::set(&mut rec.status, take("pubstate").unwrap_or_default());

    // Dates.
    rec.issued = issued(
        take("date"),
        take("year"),
        take("month"),
        take("day"),
        diags,
        entry.offset,
        &mut rec,
    );
    rec.accessed = take("urldate").and_then(parse_edtf);
    rec.original_date = take("origdate").and_then(parse_edtf);
    rec.event_date = take("eventdate").and_then(parse_edtf);

    // Identifiers.
    if let Some(d) = take("doi") {
        match clean_doi(d) {
            Some(doi) => rec.doi = Some(doi),
            None => rec.push_extra("doi", d),
        }
    }
    for (name, is_isbn) in [("isbn", true), ("issn", false)] {
        if let Some(v) = take(name) {
            for part in v.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
                let clean = if is_isbn { clean_isbn(part) } else { clean_issn(part) };
                match (clean, is_isbn) {
                    (Some(c), true) => rec.isbn.push(c),
                    (Some(c), false) => rec.issn.push(c),
                    (None, _) => rec.push_extra(name, part),
                }
            }
        }
    }
    if let Some(u) = take("url") {
        rec.url = Some(url_in(u).unwrap_or_else(|| u.to_owned()));
    }
    let eprinttype = take("eprinttype").or(take("archiveprefix")).map(str::to_lowercase);
    if let Some(e) = take("eprint") {
        match eprinttype.as_deref() {
            Some("pubmed" | "pmid") => match clean_pmid(e) {
                Some(p) => rec.pmid = Some(p),
                None => rec.push_extra("eprint", e),
            },
            Some("pmc" | "pmcid") => rec.pmcid = Some(e.to_owned()),
            Some("arxiv") => rec.push_extra("arxiv", e),
            Some(other) => {
                rec.push_extra("eprint", e);
                rec.push_extra("eprinttype", other);
            }
            None => rec.push_extra("eprint", e),
        }
    } else if let Some(t) = &eprinttype {
        rec.push_extra("eprinttype", t);
    }
    for name in ["eprintclass", "primaryclass"] {
        if let Some(v) = take(name) {
            rec.push_extra("eprintclass", v);
        }
    }
    if let Some(p) = take("pmid")
        && rec.pmid.is_none()
    {
        rec.pmid = clean_pmid(p);
    }
    Record::set(&mut rec.pmcid, take("pmcid").unwrap_or_default());

    // Content.
    Record::set(&mut rec.abstract_text, take("abstract").unwrap_or_default());
    if let Some(k) = take("keywords").or(take("keyword")) {
        rec.keyword = split_list(k);
    }
    let langid = take("langid");
    match (take("language"), langid) {
        (Some(l), Some(id)) => {
            rec.language = Some(l.to_owned());
            rec.push_extra("langid", id);
        }
        (l, id) => Record::set(&mut rec.language, l.or(id).unwrap_or_default()),
    }
    Record::set(&mut rec.note, take("note").unwrap_or_default());

    // Everything else is kept under its own name.
    for ((name, value, _), used) in fields.iter().zip(&used) {
        if !used && !value.text.is_empty() {
            rec.push_extra(name, &value.text);
        }
    }
    rec
}

/// `Title: Subtitle`, the CSL convention (CSL has no subtitle variable).
fn join_subtitle(title: &str, sub: &str) -> String {
    if title.ends_with(['?', '!', ':', '.']) {
        format!("{title} {sub}")
    } else {
        format!("{title}: {sub}")
    }
}

/// A URL in a field (`\url{…}` already decoded to its text, or a bare `http…`).
fn url_in(text: &str) -> Option<String> {
    let t = text.trim();
    let start = t.find("http://").or_else(|| t.find("https://")).or_else(|| t.find("ftp://"))?;
    let url = t.get(start..)?.split_whitespace().next()?;
    Some(url.trim_end_matches(['}', '.', ',']).to_owned())
}

/// A BibLaTeX date (EDTF level 1 as biblatex reads it): `2019-04-05`, `2019-04/2019-06`,
/// a season `1994-21`…`1994-24`, approximate or uncertain `2019~`, `2019?`, `2019%`.
fn parse_edtf(text: &str) -> Option<Date> {
    let t = text.trim();
    // A time of day (`2004-04-05T14:34:00`) is more than a bibliography needs.
    let t = match t.split_once('T') {
        Some((day, _))
            if day.len() == 10 && day.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            day
        }
        _ => t,
    };
    // A year before 1 (`-0876`, astronomical numbering).
    if let Some(rest) = t.strip_prefix('-')
        && rest.len() >= 4
        && rest.bytes().take(4).all(|b| b.is_ascii_digit())
        && !rest.contains('/')
    {
        let mut d = parse_edtf(rest)?;
        d.year = d.year.map(|y| -y);
        return Some(d);
    }
    let bare = t.trim_end_matches(['~', '?', '%']);
    let circa = bare.len() != t.len();
    let season = bare.split_once('-').filter(|(y, s)| {
        y.len() == 4
            && y.bytes().all(|b| b.is_ascii_digit())
            && matches!(*s, "21" | "22" | "23" | "24")
    });
    let mut date = match season {
        Some((y, s)) => Date {
            year: y.parse().ok(),
            season: s.parse::<u8>().ok().map(|s| s - 20),
            ..Date::default()
        },
        None => Date::parse(bare)?,
    };
    date.circa |= circa;
    Some(date)
}

/// The publication date from `date`, or `year` + `month` + `day`.
fn issued(
    date: Option<&str>,
    year: Option<&str>,
    month: Option<&str>,
    day: Option<&str>,
    diags: &mut Vec<Diagnostic>,
    offset: usize,
    rec: &mut Record,
) -> Option<Date> {
    if let Some(d) = date.and_then(parse_edtf) {
        if let Some(y) = year
            && d.year != y.trim().parse::<i32>().ok()
        {
            rec.push_extra("year", y);
        }
        return Some(d);
    }
    let y = year?;
    let mut d = Date::parse(y)?;
    if d.year.is_none() {
        return Some(d);
    }
    if let Some(m) = month {
        match month_number(m) {
            Some(n) if d.month.is_none() => d.month = Some(n),
            _ => match Date::parse(&format!("{m} {y}")) {
                Some(full) if full.year.is_some() && d.month.is_none() => d = full,
                _ => {
                    diags.push(Diagnostic::warning(
                        offset,
                        format!("month `{m}` not understood; kept in `month`"),
                    ));
                    rec.push_extra("month", m);
                }
            },
        }
    }
    if let Some(dd) = day {
        match dd.trim().parse::<u8>() {
            Ok(n) if (1..=31).contains(&n) && d.month.is_some() => d.day = Some(n),
            _ => rec.push_extra("day", dd),
        }
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain values skip the crate: what we make of them must be what the crate makes.
    fn plain_agrees_with_the_crate(text: &str) {
        let field = Field { name: "title".into(), text: text.into(), offset: 0 };
        let Some(ours) = plain_value(&field) else { return };
        let theirs = crate_chunks(&[&field]).map(|mut c| c.pop().unwrap_or_default());
        let shape = |chunks: &biblatex::Chunks| -> Vec<String> {
            chunks.iter().map(|c| format!("{:?} {:?}", c.v, c.span)).collect()
        };
        if let Ok(theirs) = theirs {
            assert_eq!(shape(&ours), shape(&theirs), "{text:?}");
        }
    }

    #[test]
    fn plain_values_read_as_the_crate_reads_them() {
        for text in [
            "a  b",
            "a \u{a0}b",
            " a ",
            "a\u{a0} \tb",
            "x--y",
            "x---y",
            "x----y",
            "- a -",
            "a\n\nb",
            "18% of 1,000",
            "NF-kB",
            "a \u{3000} b",
            "é--ü",
            "a -- b",
            "18\\% of",
            "R\\&D",
            "a\\_b \\#1 \\$5",
            "\\%--x",
            "x \\& -- y",
            "\\&",
            "a\\%",
        ] {
            plain_agrees_with_the_crate(text);
        }
    }

    #[test]
    fn inline_math_reads_as_the_crate_reads_it_without_the_crate() {
        let read = [
            "a NF-$\\kappa$B  b",
            "x $a  b$ y",
            "$x$",
            "a $x$--b",
            "a $\\alpha$, $\\beta$ -- c",
            "18\\% $p<0.05$",
            "a$x$b",
            "a $ x $ b",
            "$a--b$ \\$5",
            "$x$ ",
        ];
        skips_the_crate(
            "abstract",
            &read,
            &["$$x$$", "$a$$b$", "$x", "$\\'e$", "$x$ \\kappa", "$x^{2}$"],
        );
        let url = Field { name: "url".into(), text: "a$x$".into(), offset: 0 };
        assert!(plain_value(&url).is_none());
    }

    #[test]
    fn plain_run_stops_where_the_definition_says() {
        let bytes: &[u8] = b" -\t\n\r!Aa\x80\xc3\xa9";
        for len in 0..20 {
            for at in 0..len {
                for &b in bytes {
                    for &after in bytes {
                        let mut text = vec![b'a'; len];
                        text[at] = b;
                        if at + 1 < len {
                            text[at + 1] = after;
                        }
                        let expected =
                            (0..text.len()).find(|&j| stops_run(&text, j)).unwrap_or(text.len());
                        assert_eq!(plain_run(&text), expected, "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn brace_groups_read_as_the_crate_reads_them_without_the_crate() {
        let read = [
            "Quantitative {COVID-19} vaccination {API:} a  study",
            "{DNA}",
            "a {b  c} d",
            "{}",
            "a{}b",
            "{a}{b}",
            "x {--} y",
            "a -- {b}",
            "{ a }",
            "a\n{b}",
            "{a} $x$ {b}",
            "R\\&D in the {UK}",
        ];
        skips_the_crate(
            "title",
            &read,
            &[
                "{a{b}}", "{a", "a}", "{$x$}", "{a\\%b}", "{\\&}", "{\\'e}", "{a}$x$", "$x${a}",
                "{a~b}",
            ],
        );
    }

    /// The `read` values of field `name` skip the crate and read as it reads them; the
    /// `left` ones are left to it.
    fn skips_the_crate(name: &str, read: &[&str], left: &[&str]) {
        let field = |text: &str| Field { name: name.into(), text: text.into(), offset: 0 };
        for text in read {
            assert!(plain_value(&field(text)).is_some(), "{text:?}");
            plain_agrees_with_the_crate(text);
        }
        for text in left {
            assert!(plain_value(&field(text)).is_none(), "{text:?}");
        }
    }

    /// Texts of up to eleven pieces, each matching `pattern`.
    fn pieces(pattern: &'static str) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(pattern, 0..12).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #[test]
        fn plain_values_read_as_the_crate_reads_them_always(
            text in "[a-z \\-\t\n\u{a0}\u{3000}é,.%&]{0,40}"
        ) {
            plain_agrees_with_the_crate(&text);
        }

        #[test]
        fn inline_math_reads_as_the_crate_reads_it(
            text in pieces(concat!(
                "[a-z \\-\n\u{a0}é]{0,6}|\\\\[%&_#$]",
                "|\\$|\\$[a-z <>^\\-]{1,5}\\$|\\$\\\\kappa\\$|\\\\beta",
            ))
        ) {
            plain_agrees_with_the_crate(&text);
        }

        #[test]
        fn brace_groups_read_as_the_crate_reads_them(
            text in pieces(concat!(
                "[a-zA-Z \\-\n\u{a0}é:]{0,6}|\\\\[%&_#$]",
                "|\\{|\\}|\\{[a-zA-Z0-9 \\-:]{0,5}\\}|\\$[a-z<]{1,3}\\$",
            ))
        ) {
            plain_agrees_with_the_crate(&text);
        }

        #[test]
        fn escaped_specials_read_as_the_crate_reads_them(
            text in pieces("[a-z \\-\n\u{a0}é]{0,6}|\\\\[%&_#$]")
        ) {
            plain_agrees_with_the_crate(&text);
        }
    }

    fn one(src: &str) -> Record {
        let p = parse(src);
        assert_eq!(p.records.len(), 1, "{:?}", p.diagnostics);
        p.records.into_iter().next().unwrap()
    }

    #[test]
    fn crate_alone_loses_fields_after_quote_in_braces() {
        // GUIDE §6: the crate ends `"…"` at the `"` inside braces and drops the rest.
        let src =
            "@article{k, title = \"The {\"}omics{\"} revolution\", journal = {J}, year = 2019}";
        let crate_entry =
            biblatex::Bibliography::parse(src).ok().and_then(|b| b.into_iter().next());
        assert!(crate_entry.is_some_and(|e| e.get("journal").is_none()));
        let rec = one(src);
        assert_eq!(rec.title.as_deref(), Some("The \"omics\" revolution"));
        assert_eq!(rec.container_title.as_deref(), Some("J"));
        assert_eq!(rec.year(), Some(2019));
    }

    #[test]
    fn fuzz_crossref_to_an_undefined_macro_does_not_recurse() {
        // cargo fuzz (bibtex target): `crossref = k` (an undefined macro) made the crate's
        // one-entry bibliography, keyed `k`, its own parent: stack overflow.
        for src in
            ["@book{a,\n  crossref = k,\n}\n", "@book{k, crossref = {k}}", "@misc{x, xdata = k}"]
        {
            let parsed = parse(src);
            assert_eq!(parsed.records.len(), 1, "{src}");
        }
        let fuzzed = include_str!("../../fuzz/regressions/bibtex-crossref-self.bib");
        assert_eq!(parse(fuzzed).records.len(), 3);
    }

    #[test]
    fn names_with_particles_suffixes_and_organisations() {
        let rec = one(
            "@book{k, author = {van der Berg, Jan and King, Jr, Martin and {World Health Organization} and others}}",
        );
        let a = &rec.author;
        assert_eq!(
            (a[0].particle.as_deref(), a[0].family.as_deref()),
            (Some("van der"), Some("Berg"))
        );
        assert_eq!((a[1].suffix.as_deref(), a[1].given.as_deref()), (Some("Jr"), Some("Martin")));
        assert_eq!(a[2].literal.as_deref(), Some("World Health Organization"));
        assert_eq!(a[3].literal.as_deref(), Some("others"));
    }

    #[test]
    fn crossref_cycle_terminates() {
        let p = parse(
            "@inbook{a, crossref = {b}, title = {A}}\n@book{b, crossref = {a}, title = {B}}\n@misc{c, crossref={c}}",
        );
        assert_eq!(p.records.len(), 3);
        assert_eq!(p.records[0].container_title.as_deref(), Some("B"));
    }

    #[test]
    fn deep_braces_no_overflow() {
        let n = 100_000;
        let src = format!(
            "@misc{{k, title = {{{}\\emph{{x}}{}}}}}",
            "{\\emph".repeat(0) + &"{".repeat(n),
            "}".repeat(n)
        );
        let p = parse(&src);
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].title.as_deref(), Some("x"));
    }

    #[test]
    fn diagnostics_point_at_the_problem() {
        let src = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/read/bibtex/syntax_error_middle.bib"
        ))
        .unwrap();
        let p = parse(&src);
        assert_eq!(p.records.len(), 2);
        let [d] = p.diagnostics.as_slice() else { panic!("{:?}", p.diagnostics) };
        assert_eq!(d.severity, crate::Severity::Error);
        assert_eq!(src.get(d.offset..d.offset + 4), Some("year"));
        assert_eq!(d.message, "expected `,` or `}` after the value of `title`, found `y`");

        let dup = parse("@misc{a, title={x}}\n@misc{A, title={y}}");
        assert_eq!(dup.records.len(), 2);
        assert_eq!(dup.diagnostics[0].severity, crate::Severity::Warning);
        assert!(dup.diagnostics[0].message.starts_with("duplicate key `A`"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// No panic on arbitrary text, nor on text made of BibTeX's structural characters.
        #[test]
        fn never_panics(s in "\\PC*", t in "[@{}()\"#%,=a-z0-9 \\\\'`^~$_\n-]{0,200}") {
            let _ = parse(&s);
            let _ = parse(&t);
            let _ = parse(&format!("@article{{k, title = {{{t}}}, author = \"{t}\"}}"));
        }
    }

    #[test]
    fn crate_quirks_worked_around() {
        let rec = one(
            r#"@misc{k, author = {H\o{}iland-J{\o}rgensen, Toke and Ma{\"\i}t{\'e}, A}, title = {pre\-{C}olumbian}}"#,
        );
        assert_eq!(rec.author[0].family.as_deref(), Some("Høiland-Jørgensen"));
        assert_eq!(rec.author[1].family.as_deref(), Some("Maïté"));
        assert_eq!(rec.title.as_deref(), Some("preColumbian"));
    }

    #[test]
    fn edtf_dates() {
        let edtf = |s: &str| parse_edtf(s).and_then(|d| d.to_edtf());
        assert_eq!(edtf("1994-21").as_deref(), Some("1994-21"));
        assert_eq!(edtf("2019~").as_deref(), Some("2019~"));
        assert_eq!(edtf("2019-04/2019-06").as_deref(), Some("2019-04/2019-06"));
        assert_eq!(parse_edtf("-0343-02").and_then(|d| d.year), Some(-343));
        assert_eq!(edtf("2004-04-05T14:34:00").as_deref(), Some("2004-04-05"));
    }

    #[test]
    fn month_and_day() {
        let rec = one("@article{k, year = 2019, month = apr, day = 5}");
        assert_eq!(rec.issued.and_then(|d| d.to_edtf()).as_deref(), Some("2019-04-05"));
    }
}
