//! Large inputs in pieces: a line-format file (RIS, MEDLINE) is read in chunks cut at record
//! boundaries, so memory stays flat however large the file; each chunk (and any whole text)
//! is cut again into pieces that are parsed on all cores, results kept in input order.
//!
//! Cutting never changes what a reader sees of a record: a RIS piece ends just after an
//! `ER  -` line, a MEDLINE piece just before a `PMID-` line that follows a blank line. Text
//! of formats without such a boundary (and odd inputs, such as a file with only `\r` line
//! ends) simply stays in one piece.

use std::io::{self, Read};

use memchr::memmem;
use rayon::prelude::*;

use std::ops::Range;

use crate::csl_json::read::read_items;
pub use crate::csl_json::scan::Marks;
use crate::csl_json::scan::{JsonScan, items_at, part_items};
use crate::{Diagnostic, Error, InputFormat, Parsed};

/// Bytes read per chunk when streaming a file.
pub const CHUNK_SIZE: usize = 1 << 20;

/// Pieces of a chunk parsed in parallel are about this large.
const PIECE_SIZE: usize = 64 << 10;

/// True for the formats whose records can be cut apart without parsing: RIS and MEDLINE.
pub fn streamable(format: InputFormat) -> bool {
    matches!(format, InputFormat::Ris | InputFormat::Nbib | InputFormat::CslJson)
}

/// True when `text` can be streamed as `format`: CSL-JSON only when it is a top-level array
/// (a wrapper object or a single item is read whole).
pub fn streamable_text(format: InputFormat, text: &[u8]) -> bool {
    match format {
        InputFormat::CslJson => is_json_array(text),
        other => streamable(other),
    }
}

fn is_json_array(text: &[u8]) -> bool {
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
    text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

/// The offset just past the last complete record of `format` in `bytes`, where a chunk may
/// end; `None` when there is no such place (or the format has no cheap boundary).
pub fn last_record_boundary(format: InputFormat, bytes: &[u8]) -> Option<usize> {
    match format {
        InputFormat::Ris => memmem::rfind_iter(bytes, b"\nER").find_map(|at| ris_end(bytes, at)),
        InputFormat::Nbib => {
            memmem::rfind_iter(bytes, b"\nPMID").find_map(|at| medline_start(bytes, at))
        }
        _ => None,
    }
}

/// The first record boundary at or after `from`, for cutting a text into pieces.
fn next_record_boundary(format: InputFormat, bytes: &[u8], from: usize) -> Option<usize> {
    let tail = bytes.get(from..)?;
    let found = match format {
        InputFormat::Ris => {
            memmem::find_iter(tail, b"\nER").find_map(|at| ris_end(bytes, from + at))
        }
        InputFormat::Nbib => {
            memmem::find_iter(tail, b"\nPMID").find_map(|at| medline_start(bytes, from + at))
        }
        _ => None,
    };
    found.filter(|&end| end < bytes.len())
}

/// `nl` is the `\n` before `ER`: when that line is an end-of-record line (`ER  -`, nothing
/// but blanks after the dash), the offset just past its line end.
fn ris_end(bytes: &[u8], nl: usize) -> Option<usize> {
    let rest = bytes.get(nl + 3..)?;
    let spaces = rest.iter().take_while(|&&b| b == b' ').count();
    if rest.get(spaces) != Some(&b'-') {
        return None;
    }
    let after = &rest[spaces + 1..];
    let line_end = memchr::memchr(b'\n', after)?;
    if !after[..line_end].iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
        return None;
    }
    Some(nl + 3 + spaces + 1 + line_end + 1)
}

/// `nl` is the `\n` before `PMID`: when that line is a `PMID-` tag line and the line before
/// it is blank, the offset of the `PMID` line.
fn medline_start(bytes: &[u8], nl: usize) -> Option<usize> {
    let rest = bytes.get(nl + 5..)?;
    let spaces = rest.iter().take_while(|&&b| b == b' ').count();
    if rest.get(spaces) != Some(&b'-') {
        return None;
    }
    let before = &bytes[..nl];
    let line_start = memchr::memrchr(b'\n', before)? + 1;
    if !before[line_start..].iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
        return None;
    }
    Some(nl + 1)
}

/// A run of whole records read from an input.
#[derive(Debug)]
pub struct Chunk {
    /// The bytes, ending at a record boundary (or at the end of the input).
    pub bytes: Vec<u8>,
    /// Where the chunk stands in the input.
    pub place: Place,
    /// CSL-JSON: where the chunk reader found the item commas and the closing bracket in
    /// `bytes`, so that reading the chunk as it is need not scan it again.
    pub marks: Option<Marks>,
}

/// Where a text stands in its input: byte offset, first or last part, and (CSL-JSON) how
/// many array items come before it. A CSL-JSON chunk after the first starts at the comma
/// before its first item, and only the last holds the closing `]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Byte offset of the text in the input.
    pub offset: u64,
    /// True for the part that starts the input.
    pub first: bool,
    /// True for the part that ends the input.
    pub last: bool,
    /// CSL-JSON: items of the top-level array before this part.
    pub items_before: usize,
}

impl Place {
    /// A whole input.
    pub const WHOLE: Place = Place { offset: 0, first: true, last: true, items_before: 0 };
}

/// Reads an input in chunks of about [`CHUNK_SIZE`] bytes that end at record boundaries.
#[derive(Debug)]
pub struct ChunkReader<R> {
    reader: R,
    format: InputFormat,
    chunk_size: usize,
    /// Bytes read but not handed out yet.
    pending: Vec<u8>,
    offset: u64,
    eof: bool,
    /// CSL-JSON: the scanner, how far into `pending` it has read, the item commas it found
    /// there, and the item commas handed out before.
    json: JsonScan,
    scanned: usize,
    commas: Vec<usize>,
    commas_before: usize,
    /// CSL-JSON: where the top-level array closes in `pending`, once found.
    close: Option<usize>,
}

impl<R: Read> ChunkReader<R> {
    /// Chunks of `format` records from `prefix` (bytes already read from the input, for
    /// detection) followed by the rest of `reader`.
    pub fn new(reader: R, format: InputFormat, chunk_size: usize, prefix: Vec<u8>) -> Self {
        ChunkReader {
            reader,
            format,
            chunk_size: chunk_size.max(1),
            pending: prefix,
            offset: 0,
            eof: false,
            json: JsonScan::default(),
            scanned: 0,
            commas: Vec::new(),
            commas_before: 0,
            close: None,
        }
    }

    /// True when the whole input has been read (though not necessarily handed out).
    pub fn at_eof(&self) -> bool {
        self.eof
    }

    /// Reads until at least `want` bytes are pending or the input ends.
    pub fn fill(&mut self, want: usize) -> io::Result<()> {
        while !self.eof && self.pending.len() < want {
            let need = (want - self.pending.len()) as u64;
            let got = (&mut self.reader).take(need).read_to_end(&mut self.pending)?;
            if got == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }

    /// The bytes read so far and not handed out.
    pub fn pending(&self) -> &[u8] {
        &self.pending
    }

    /// Everything left of the input, in one buffer.
    ///
    /// # Errors
    /// Errors of the reader.
    pub fn read_rest(mut self) -> io::Result<Vec<u8>> {
        if !self.eof {
            self.reader.read_to_end(&mut self.pending)?;
        }
        Ok(self.pending)
    }

    /// The next chunk, or `None` at the end of the input.
    ///
    /// # Errors
    /// Errors of the reader.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        let mut want = self.chunk_size;
        let cut = loop {
            self.fill(want)?;
            if self.eof {
                if self.format == InputFormat::CslJson {
                    self.scan_json();
                }
                break self.pending.len();
            }
            if let Some(cut) = self.last_boundary() {
                break cut;
            }
            // A record longer than a chunk: read twice as much and search again (doubling
            // keeps the rescans linear overall).
            want = self.pending.len().saturating_mul(2);
        };
        if cut == 0 {
            return Ok(None);
        }
        let rest = self.pending.get(cut..).map(<[u8]>::to_vec).unwrap_or_default();
        let mut bytes = std::mem::replace(&mut self.pending, rest);
        bytes.truncate(cut);
        // Keep the next read buffer at its working size without reallocating as it grows.
        self.pending.reserve(self.chunk_size);
        let first = self.offset == 0;
        let items_before = if first { 0 } else { self.commas_before + 1 };
        let mut marks = None;
        if self.format == InputFormat::CslJson {
            let handed = self.commas.iter().take_while(|&&c| c < cut).count();
            self.commas_before += handed;
            let commas: Vec<usize> = self.commas.drain(..handed).collect();
            self.commas.iter_mut().for_each(|c| *c -= cut);
            self.scanned -= cut.min(self.scanned);
            let close = self.close.filter(|&c| c < cut);
            self.close = self.close.and_then(|c| c.checked_sub(cut));
            marks = Some(Marks { commas, close });
        }
        let place = Place {
            offset: self.offset,
            first,
            last: self.eof && self.pending.is_empty(),
            items_before,
        };
        self.offset += cut as u64;
        Ok(Some(Chunk { bytes, place, marks }))
    }

    /// The last place in `pending` where a chunk may end.
    fn last_boundary(&mut self) -> Option<usize> {
        if self.format != InputFormat::CslJson {
            return last_record_boundary(self.format, &self.pending);
        }
        self.scan_json();
        // A CSL-JSON chunk ends before an item comma; the next starts with it.
        self.commas.last().copied().filter(|&c| c > 0)
    }

    /// Scans what is pending and not scanned yet for item commas and the closing bracket.
    fn scan_json(&mut self) {
        let (commas, scanned) = (&mut self.commas, self.scanned);
        if self.close.is_none() {
            let rest = self.pending.get(scanned..).unwrap_or_default();
            let close = self.json.scan(rest, |i| commas.push(scanned + i));
            self.close = close.map(|c| scanned + c);
        }
        self.scanned = self.pending.len();
    }
}

/// Reads `text` as `format` like [`crate::read`], parsing pieces of it on all cores when the
/// format can be cut at record boundaries. Diagnostics point into `text`, as with `read`.
///
/// # Errors
/// As [`crate::read`].
pub fn read_parallel(text: &str, format: InputFormat) -> Result<Parsed, Error> {
    read_part(text, format, Place::WHOLE)
}

/// Reads `text`, a part of an input standing at `place` (a chunk), like [`read_parallel`].
/// Diagnostics point into `text`.
///
/// # Errors
/// As [`crate::read`], for this part.
pub fn read_part(text: &str, format: InputFormat, place: Place) -> Result<Parsed, Error> {
    read_marked_part(text, format, place, None)
}

/// [`read_part`] for a CSL-JSON chunk whose item commas and closing bracket are known
/// ([`Chunk::marks`], valid only for the chunk's bytes as they were read).
///
/// # Errors
/// As [`crate::read`], for this part.
pub fn read_marked_part(
    text: &str,
    format: InputFormat,
    place: Place,
    marks: Option<&Marks>,
) -> Result<Parsed, Error> {
    read_marked_pieces(text, format, place, marks, &|parsed| parsed).map(concat)
}

/// [`read_marked_part`], each piece read handed to `then` on the thread that read it (to
/// format its records while they are in that core's cache, say); the results in input
/// order. A piece's diagnostics point into `text`, as [`read_marked_part`]'s do.
///
/// # Errors
/// As [`crate::read`], for this part: the first piece's error in input order.
pub fn read_marked_pieces<T: Send>(
    text: &str,
    format: InputFormat,
    place: Place,
    marks: Option<&Marks>,
    then: &(impl Fn(Parsed) -> T + Sync),
) -> Result<Vec<T>, Error> {
    if format == InputFormat::CslJson {
        return read_json_part(text, place, marks, then);
    }
    if matches!(format, InputFormat::Bibtex | InputFormat::Biblatex) && place == Place::WHOLE {
        let parsed = read_bibtex_pieces(text, format).unwrap_or_else(|| bibtex_whole(text));
        return Ok(vec![then(parsed)]);
    }
    let pieces = pieces(text, format);
    if pieces.len() <= 1 {
        return crate::read(text, format).map(|parsed| vec![then(parsed)]);
    }
    let parsed: Vec<Result<T, Error>> = pieces
        .par_iter()
        .map(|&(start, end)| {
            let piece = text.get(start..end).unwrap_or_default();
            let mut parsed = crate::read(piece, format).map_err(|e| shift_error(e, start))?;
            shift_diagnostics(&mut parsed.diagnostics, start);
            Ok(then(parsed))
        })
        .collect();
    parsed.into_iter().collect()
}

/// CSL-JSON: the items of a top-level array (or of a part of one) read where they are, in
/// pieces of about [`PIECE_SIZE`] bytes on all cores. Item numbers in messages count from
/// the start of the input.
fn read_json_part<T: Send>(
    text: &str,
    place: Place,
    marks: Option<&Marks>,
    then: &(impl Fn(Parsed) -> T + Sync),
) -> Result<Vec<T>, Error> {
    if place.first && !is_json_array(text.as_bytes()) {
        return crate::read(text, InputFormat::CslJson).map(|parsed| vec![then(parsed)]);
    }
    let bom = if place.first && text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let spans = match marks {
        Some(marks) if bom == 0 => items_at(text, place.first, place.last, marks),
        _ => text.get(bom..).and_then(|t| part_items(t, place.first, place.last)),
    };
    let Some(spans) = spans else {
        return read_json_copies(text, place, then);
    };
    let spans: Vec<Range<usize>> = spans.into_iter().map(|r| r.start + bom..r.end + bom).collect();
    let mut pieces = Vec::with_capacity(text.len() / PIECE_SIZE + 1);
    let mut from = 0;
    for (i, span) in spans.iter().enumerate() {
        if spans.get(from).is_some_and(|f| span.end - f.start >= PIECE_SIZE) {
            pieces.push(from..i + 1);
            from = i + 1;
        }
    }
    if from < spans.len() {
        pieces.push(from..spans.len());
    }
    let parsed: Vec<Option<T>> = pieces
        .par_iter()
        .map(|piece| {
            let spans = spans.get(piece.clone()).unwrap_or_default().iter().cloned();
            read_items(text, spans, place.items_before + piece.start).map(then)
        })
        .collect();
    match parsed.into_iter().collect::<Option<Vec<T>>>() {
        Some(parsed) => Ok(parsed),
        // An item that is not JSON: read the pieces as arrays of their own, which says where.
        None => read_json_copies(text, place, then),
    }
}

/// [`read_json_part`] for text that is not JSON: the part cut into pieces at item commas,
/// each piece made an array of its own (its leading comma becomes `[`, a `]` closes it)
/// and read as a whole text, so that errors say where the JSON breaks.
fn read_json_copies<T: Send>(
    text: &str,
    place: Place,
    then: &(impl Fn(Parsed) -> T + Sync),
) -> Result<Vec<T>, Error> {
    let mut scan = if place.first { JsonScan::default() } else { JsonScan::inside_array() };
    // (start, end, items before the piece)
    let mut pieces = Vec::new();
    let (mut start, mut base, mut seen) = (0, place.items_before, 0);
    scan.scan(text.as_bytes(), |i| {
        if i > 0 && i - start >= PIECE_SIZE {
            pieces.push((start, i, base));
            start = i;
            // `seen` item commas precede this one; the first part's first item has none.
            base = place.items_before + seen + usize::from(place.first);
        }
        seen += 1;
    });
    if pieces.is_empty() && place.first && place.last {
        return crate::read(text, InputFormat::CslJson).map(|parsed| vec![then(parsed)]);
    }
    pieces.push((start, text.len(), base));
    let parsed: Vec<Result<T, Error>> = pieces
        .par_iter()
        .map(|&(start, end, items_before)| {
            let slice = text.get(start..end).unwrap_or_default();
            let mut piece = String::with_capacity(slice.len() + 1);
            match slice.strip_prefix(',') {
                // Same length: offsets in the piece are offsets in the slice.
                Some(rest) => {
                    piece.push('[');
                    piece.push_str(rest);
                }
                None => piece.push_str(slice),
            }
            if !(place.last && end == text.len()) {
                piece.push(']');
            }
            let mut parsed =
                crate::read(&piece, InputFormat::CslJson).map_err(|e| shift_error(e, start))?;
            shift_diagnostics(&mut parsed.diagnostics, start);
            for d in &mut parsed.diagnostics {
                renumber_item(&mut d.message, items_before);
            }
            Ok(then(parsed))
        })
        .collect();
    parsed.into_iter().collect()
}
/// The BibTeX reader on a whole text.
fn bibtex_whole(text: &str) -> Parsed {
    crate::bibtex::read::parse(text)
}

/// BibTeX pieces are about this large (each re-reads the `@string` header).
const BIBTEX_PIECE_SIZE: usize = 1 << 20;

/// A `.bib` text cut into pieces that read as the whole text does, so that they can be
/// parsed on all cores, and (in batches) written before the next are parsed.
///
/// Entries are cut at a line-start `@` outside braces; every piece after the first is read
/// behind the file's header (the `@string`, `@preamble` and `@comment` blocks before the
/// first entry), whose diagnostics only the first piece reports. There is no plan (read the
/// text whole instead) when the text is small, has a `@string` after the first entry, a
/// `crossref`, `xdata` or `@set` (entries that reach across the file), or a key twice.
#[derive(Debug)]
pub struct BibtexPieces<'t> {
    text: &'t str,
    format: InputFormat,
    header_end: usize,
    /// Piece `i` is `bounds[i]..bounds[i + 1]`.
    bounds: Vec<usize>,
}

impl<'t> BibtexPieces<'t> {
    /// The plan for `text`, if it can be cut.
    pub fn new(text: &'t str, format: InputFormat) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() < 2 * BIBTEX_PIECE_SIZE {
            return None;
        }
        // The entry starts and the whole-text checks below are independent scans of 200 MB
        // for a large file, made while the workers would otherwise wait: both cores.
        let (starts, reaches_across) = rayon::join(
            || bibtex_entry_starts(bytes),
            || {
                [&b"crossref"[..], b"xdata", b"@set"]
                    .par_iter()
                    .any(|needle| contains_ci(bytes, needle))
            },
        );
        if reaches_across {
            return None;
        }
        let entry_type = |at: usize| -> Vec<u8> {
            let name = bytes.get(at + 1..).unwrap_or_default();
            name.iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .map(u8::to_ascii_lowercase)
                .collect()
        };
        let is_entry =
            |at: usize| !matches!(entry_type(at).as_slice(), b"string" | b"preamble" | b"comment");
        let first = starts.iter().position(|&at| is_entry(at))?;
        let header_end = starts[first];
        let rest = &bytes[header_end..];
        if contains_ci(rest, b"@string") {
            return None;
        }
        // Keys as 64-bit hashes: two keys that collide only send the text down the whole
        // path, which is always right.
        let mut keys = std::collections::HashSet::with_capacity(starts.len());
        for &at in &starts[first..] {
            if is_entry(at) && !keys.insert(entry_key_hash(bytes, at)) {
                return None;
            }
        }
        let mut bounds = vec![0];
        let mut last = header_end;
        for &at in &starts[first..] {
            if at - last >= BIBTEX_PIECE_SIZE {
                bounds.push(at);
                last = at;
            }
        }
        bounds.push(bytes.len());
        (bounds.len() > 2).then_some(BibtexPieces { text, format, header_end, bounds })
    }

    /// How many pieces there are.
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    /// True when there is no piece (never: a plan has at least two).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where piece `i` ends in the text.
    pub fn end_of(&self, i: usize) -> usize {
        self.bounds.get(i + 1).copied().unwrap_or(self.text.len())
    }

    /// Reads pieces `range` on all cores; diagnostics point into the whole text.
    pub fn read(&self, range: std::ops::Range<usize>) -> Parsed {
        concat(self.read_then(range, &|parsed| parsed))
    }

    /// [`BibtexPieces::read`], each piece read handed to `then` on the thread that read it;
    /// the results in input order.
    pub fn read_then<T: Send>(
        &self,
        range: std::ops::Range<usize>,
        then: &(impl Fn(Parsed) -> T + Sync),
    ) -> Vec<T> {
        let header = self.text.get(..self.header_end).unwrap_or_default();
        range
            .into_par_iter()
            .map(|i| {
                let (start, end) = (self.bounds[i], self.end_of(i));
                let body = self.text.get(start..end).unwrap_or_default();
                if start == 0 {
                    return then(crate::read(body, self.format).unwrap_or_default());
                }
                let mut piece = String::with_capacity(header.len() + body.len());
                piece.push_str(header);
                piece.push_str(body);
                let mut parsed = crate::read(&piece, self.format).unwrap_or_default();
                // The header's own diagnostics come with the first piece.
                parsed.diagnostics.retain(|d| d.offset >= self.header_end);
                for d in &mut parsed.diagnostics {
                    d.offset = d.offset - self.header_end + start;
                }
                then(parsed)
            })
            .collect()
    }
}

/// BibTeX in parallel pieces ([`BibtexPieces`]), all at once. `None` (read whole instead)
/// when there is no plan, or when a piece reports an error: its recovery might have
/// depended on what lies beyond a cut.
fn read_bibtex_pieces(text: &str, format: InputFormat) -> Option<Parsed> {
    let plan = BibtexPieces::new(text, format)?;
    let parsed = plan.read(0..plan.len());
    (!parsed.skipped_anything()).then_some(parsed)
}

/// Offsets of the `@`s that start a line outside braces: where entries start.
fn bibtex_entry_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    if bytes.first() == Some(&b'@') {
        starts.push(0);
    }
    let mut depth = 0usize;
    for i in memchr::memchr3_iter(b'{', b'}', b'\n', bytes) {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && bytes.get(i + 1) == Some(&b'@') => starts.push(i + 1),
            _ => {}
        }
    }
    starts
}

/// A hash (FNV-1a) of the key of the entry at `at`, without making the key.
fn entry_key_hash(bytes: &[u8], at: usize) -> u64 {
    key_bytes(bytes, at)
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// The bytes of the key of the entry at `at` (`@article{Key,`), lowercased as BibTeX
/// compares keys.
fn key_bytes(bytes: &[u8], at: usize) -> impl Iterator<Item = u8> + '_ {
    let rest = bytes.get(at + 1..).unwrap_or_default();
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_alphabetic()).count()..];
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let rest = rest.get(1..).unwrap_or_default();
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    rest.iter()
        .take_while(|b| !matches!(b, b',' | b'}' | b')' | b' ' | b'\t' | b'\r' | b'\n'))
        .map(u8::to_ascii_lowercase)
}

/// True when `haystack` contains `needle` (lowercase ASCII) in any letter case.
fn contains_ci(haystack: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else { return true };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), haystack).any(|at| {
        haystack.get(at..at + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// `item N…` (the CSL-JSON reader's messages count items from 1 in the text it was given)
/// becomes `item N+by…`.
fn renumber_item(message: &mut String, by: usize) {
    let Some(rest) = message.strip_prefix("item ") else { return };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let Ok(n) = rest[..digits].parse::<usize>() else { return };
    if by > 0 {
        *message = format!("item {}{}", n + by, &rest[digits..]);
    }
}

fn concat(parsed: Vec<Parsed>) -> Parsed {
    let mut all = Parsed::default();
    all.records.reserve_exact(parsed.iter().map(|p| p.records.len()).sum());
    for piece in parsed {
        all.records.extend(piece.records);
        all.diagnostics.extend(piece.diagnostics);
    }
    all
}

/// Detects the format of `text` and reads it like [`read_parallel`].
///
/// # Errors
/// As [`crate::read_auto`].
pub fn read_auto_parallel(text: &str) -> Result<(InputFormat, Parsed), Error> {
    let format = crate::detect(text).ok_or(Error::UnknownFormat { tried: crate::detect::TRIED })?;
    read_parallel(text, format).map(|parsed| (format, parsed))
}

fn shift_error(err: Error, by: usize) -> Error {
    match err {
        Error::Parse { format, offset, message } => {
            Error::Parse { format, offset: offset + by, message }
        }
        other => other,
    }
}

/// `text` cut into `(start, end)` pieces of about [`PIECE_SIZE`] at record boundaries. A
/// tail of blanks stays with the piece before it, so no piece is empty of records.
fn pieces(text: &str, format: InputFormat) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::with_capacity(bytes.len() / PIECE_SIZE + 1);
    let mut start = 0;
    if streamable(format) {
        while start + PIECE_SIZE < bytes.len() {
            let Some(end) = next_record_boundary(format, bytes, start + PIECE_SIZE) else {
                break;
            };
            if bytes[end..].iter().all(u8::is_ascii_whitespace) {
                break;
            }
            pieces.push((start, end));
            start = end;
        }
    }
    pieces.push((start, bytes.len()));
    pieces
}

/// How many line breaks `text` has, counting `\r\n`, `\n` and a lone `\r` as one each, as
/// [`crate::LineIndex`] does.
pub fn count_line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    let newlines = count_byte(bytes, b'\n');
    if memchr::memchr(b'\r', bytes).is_none() {
        return newlines;
    }
    let returns = count_byte(bytes, b'\r');
    let crlf = memmem::find_iter(bytes, b"\r\n").count();
    newlines + returns - crlf
}

/// How many times `byte` occurs in `bytes`. Counted in blocks of 255 with a byte-wide sum,
/// which the compiler turns into wide vector compares (four times the lanes of a `usize`
/// count).
fn count_byte(bytes: &[u8], byte: u8) -> usize {
    bytes
        .chunks(255)
        .map(|block| usize::from(block.iter().map(|&b| u8::from(b == byte)).sum::<u8>()))
        .sum()
}

/// Moves diagnostics of a chunk's text to the positions they have in the whole input.
pub fn shift_diagnostics(diagnostics: &mut [Diagnostic], by: usize) {
    for d in diagnostics {
        d.offset += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RIS: &str = "TY  - JOUR\nTI  - One\nER  - \n\nTY  - BOOK\nTI  - Two\nER  -\r\n\nTY  - JOUR\nTI  - Three\nER  - \n";

    #[test]
    fn ris_boundaries() {
        let b = RIS.as_bytes();
        let cut = last_record_boundary(InputFormat::Ris, b).unwrap();
        assert_eq!(cut, b.len());
        let cut = last_record_boundary(InputFormat::Ris, &b[..b.len() - 3]).unwrap();
        assert!(RIS[..cut].ends_with("ER  -\r\n"));
        // An `ER` that is not an end line is no boundary.
        assert_eq!(last_record_boundary(InputFormat::Ris, b"TY  - JOUR\nERx - a\nTI  - b\n"), None);
        assert_eq!(last_record_boundary(InputFormat::Ris, b"TY  - X\nER  - y\n"), None);
    }

    #[test]
    fn medline_boundaries() {
        let text = "PMID- 1\nTI  - a\n\nPMID- 2\nTI  - b\n  \r\nPMID - 3\nTI  - c\nPMID- 4\n";
        let cut = last_record_boundary(InputFormat::Nbib, text.as_bytes()).unwrap();
        assert!(text[cut..].starts_with("PMID - 3"));
        assert_eq!(last_record_boundary(InputFormat::Nbib, b"PMID- 1\nTI  - a\nPMID- 2\n"), None);
    }

    #[test]
    fn chunks_end_at_boundaries_and_cover_the_input() {
        let text = RIS.repeat(50);
        let mut reader = ChunkReader::new(text.as_bytes(), InputFormat::Ris, 100, Vec::new());
        let mut joined = Vec::new();
        let mut count = 0;
        while let Some(chunk) = reader.next_chunk().unwrap() {
            assert_eq!(chunk.place.offset as usize, joined.len());
            assert!(chunk.bytes.ends_with(b"\n"));
            joined.extend_from_slice(&chunk.bytes);
            count += 1;
        }
        assert_eq!(joined, text.as_bytes());
        assert!(count > 10);
        // A prefix already read is part of the first chunk.
        let (head, tail) = text.as_bytes().split_at(7);
        let mut reader = ChunkReader::new(tail, InputFormat::Ris, 1 << 20, head.to_vec());
        assert_eq!(reader.next_chunk().unwrap().unwrap().bytes, text.as_bytes());
        assert!(reader.next_chunk().unwrap().is_none());
    }

    #[test]
    fn pieces_cover_the_text_with_no_blank_tail() {
        let text = format!("{}\n\n  \n", RIS.repeat(40_000));
        let p = pieces(&text, InputFormat::Ris);
        assert!(p.len() > 4);
        assert_eq!(p[0].0, 0);
        assert_eq!(p.last().unwrap().1, text.len());
        for w in p.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            assert!(text[w[1].0..].starts_with("\nTY") || text[w[1].0..].starts_with("TY"));
        }
        assert_eq!(pieces("{}", InputFormat::CslJson), vec![(0, 2)]);
    }

    fn csl_items(n: usize) -> String {
        let items: Vec<String> = (0..n)
            .map(|i| {
                if i % 1001 == 7 {
                    // Not an object: an error naming the item by its number.
                    return "42".to_owned();
                }
                format!(
                    "  {{\"id\": \"i{i}\", \"type\": \"article-journal\", \"title\": \"T {i}, with [brackets], {{braces}} and \\\"quotes\\\"\", \"author\": [{{\"family\": \"Müller\", \"given\": \"J\"}}], \"note\": \"{}\"}}",
                    "x".repeat(300)
                )
            })
            .collect();
        format!("\u{feff}[\n{}\n]\n", items.join(",\n"))
    }

    #[test]
    fn csl_json_pieces_read_as_the_whole_text() {
        let text = csl_items(5000);
        let whole = crate::read(&text, InputFormat::CslJson).unwrap();
        assert!(whole.diagnostics.iter().any(|d| d.message.starts_with("item 4012")));
        assert_eq!(read_parallel(&text, InputFormat::CslJson).unwrap(), whole);
        // Invalid JSON fails whole, as it does unsplit.
        let broken = text.replace("\"i4500\"", "\"i4500");
        assert!(read_parallel(&broken, InputFormat::CslJson).is_err());
        // Not an array: read unsplit.
        assert_eq!(
            read_parallel("{\"items\": []}", InputFormat::CslJson).unwrap(),
            Parsed::default()
        );
    }

    #[test]
    fn csl_json_chunks_read_as_the_whole_text() {
        let with_bom = csl_items(5000);
        let without = with_bom.trim_start_matches('\u{feff}').to_owned();
        for text in [with_bom, without] {
            let whole = crate::read(&text, InputFormat::CslJson).unwrap();
            let mut reader =
                ChunkReader::new(text.as_bytes(), InputFormat::CslJson, 100_000, Vec::new());
            let mut all = Parsed::default();
            let mut chunks = 0;
            while let Some(chunk) = reader.next_chunk().unwrap() {
                let part = std::str::from_utf8(&chunk.bytes).unwrap();
                assert_eq!(chunk.place.first, chunks == 0);
                assert_eq!(part.starts_with(','), chunks > 0);
                // The chunk reader's marks give the spans a scan gives (but after a BOM).
                let marks = chunk.marks.as_ref().unwrap();
                let (first, last) = (chunk.place.first, chunk.place.last);
                if !part.starts_with('\u{feff}') {
                    let spans = items_at(part, first, last, marks);
                    assert!(spans.is_some());
                    assert_eq!(spans, part_items(part, first, last));
                }
                let place = chunk.place;
                let marked = read_marked_part(part, InputFormat::CslJson, place, Some(marks));
                let mut parsed = read_part(part, InputFormat::CslJson, place).unwrap();
                assert_eq!(marked.unwrap(), parsed);
                shift_diagnostics(&mut parsed.diagnostics, chunk.place.offset as usize);
                all.records.extend(parsed.records);
                all.diagnostics.extend(parsed.diagnostics);
                chunks += 1;
            }
            assert!(chunks > 10);
            assert_eq!(all, whole);
        }
    }

    /// A text that is not JSON fails in chunks where it fails whole.
    #[test]
    fn csl_json_chunks_fail_where_the_whole_text_fails() {
        let good = csl_items(3000);
        let at = good.match_indices(",\n").nth(1500).unwrap().0;
        for bad in [format!("{},{}", &good[..at], &good[at..]), good.replace("\u{feff}[\n", "[,")] {
            let Err(whole) = crate::read(&bad, InputFormat::CslJson) else { panic!("read") };
            let mut reader =
                ChunkReader::new(bad.as_bytes(), InputFormat::CslJson, 100_000, Vec::new());
            let mut failed = None;
            while let Some(chunk) = reader.next_chunk().unwrap() {
                let part = std::str::from_utf8(&chunk.bytes).unwrap();
                let marks = chunk.marks.as_ref();
                if let Err(e) = read_marked_part(part, InputFormat::CslJson, chunk.place, marks) {
                    failed = Some(e.offset().unwrap() + chunk.place.offset as usize);
                    break;
                }
            }
            assert_eq!(failed, whole.offset(), "{whole}");
        }
    }

    fn bib_text(n: usize) -> String {
        let mut text = String::from(
            "% header comment\n@string{jhsrp = \"J Health Serv Res \\& Policy\"}\n@preamble{\"\\newcommand{\\noop}[1]{}\"}\n\n",
        );
        for i in 0..n {
            let journal = if i % 3 == 0 { "jhsrp" } else { "{The Lancet}" };
            let undefined = if i % 1000 == 999 { " # undefinedmacro" } else { "" };
            text.push_str(&format!(
                "@article{{key{i},\n  author = {{M{{\\\"u}}ller, J{i} and {{World Health Organization}}}},\n  title = {{On {{HIV}} and R\\&D, part {i}}},\n  journal = {journal}{undefined},\n  year = {},\n  month = mar,\n  abstract = {{{}\n@notanentry inside braces}}\n}}\n\n",
                1990 + i % 30,
                "Interviews were analysed thematically across eight sites. ".repeat(6)
            ));
        }
        text
    }

    #[test]
    fn bibtex_pieces_read_as_the_whole_text() {
        let text = bib_text(4000);
        let whole = crate::read(&text, InputFormat::Bibtex).unwrap();
        assert!(whole.diagnostics.iter().any(|d| d.severity == crate::Severity::Warning));
        let pieces = read_bibtex_pieces(&text, InputFormat::Bibtex).expect("cut into pieces");
        assert_eq!(pieces, whole);
        // A duplicate key across pieces, or a crossref: read whole.
        let dup = format!("{text}@misc{{KEY1, title = {{again}}}}\n");
        assert!(read_bibtex_pieces(&dup, InputFormat::Bibtex).is_none());
        assert_eq!(
            read_parallel(&dup, InputFormat::Bibtex).unwrap(),
            crate::read(&dup, InputFormat::Bibtex).unwrap()
        );
        let late_string = format!("{text}@STRING{{x = \"y\"}}\n");
        assert!(read_bibtex_pieces(&late_string, InputFormat::Bibtex).is_none());
        assert!(
            read_bibtex_pieces(
                &text.replace("month = mar", "CrossRef = {key1}"),
                InputFormat::Bibtex
            )
            .is_none()
        );
        // A stray brace in a comment hides every cut: read whole, as before.
        let stray = text.replacen("% header comment", "% header comment {", 1);
        assert!(read_bibtex_pieces(&stray, InputFormat::Bibtex).is_none());
    }

    #[test]
    fn line_breaks_as_line_index_counts_them() {
        for text in ["", "a", "a\n", "a\r\nb\rc\n\n", "\r\r\n\n"] {
            let idx = crate::LineIndex::new(text);
            assert_eq!(
                count_line_breaks(text) + 1,
                idx.locate(text, text.len()).line as usize,
                "{text:?}"
            );
        }
    }
}
