//! First stage of the `.bib` reader: split the text into entries and fields, borrowing.
//!
//! Grammar, as BibTeX reads it:
//! - outside entries everything is a comment; an entry starts at `@`, an identifier, then
//!   `{` or `(`: `@article{key, title = {A {B} c}, year = 2019}`;
//! - a field value is pieces joined by `#`: `{braced}` (balanced braces), `"quoted"` (ends at a
//!   `"` outside braces, so `"a {"} b"` is one value), a number, or a macro name;
//! - `@string{name = value}` defines a macro, `@preamble{…}` and `@comment{…}` are skipped.
//!
//! Scanning is a loop with depth counters, never recursion, so 100 000 nested braces cost
//! nothing but time. A malformed entry is reported with the offset of the problem and
//! scanning resumes at the next line that starts with `@`.

use memchr::memchr;

/// One piece of a field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'s> {
    /// The inside of `{…}` or `"…"`, or a bare number, at a byte offset.
    Text(&'s str, usize),
    /// A macro name (`jan`, a `@string` name), at a byte offset.
    Macro(&'s str, usize),
}

/// `name = piece # piece …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField<'s> {
    /// The field name as written (case kept).
    pub name: &'s str,
    /// Byte offset of the name.
    pub offset: usize,
    /// The value's pieces, in order.
    pub value: Vec<Piece<'s>>,
}

/// A bibliography entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry<'s> {
    /// Byte offset of the `@`.
    pub offset: usize,
    /// Entry type as written (`Article`).
    pub kind: &'s str,
    /// Citation key (may be empty).
    pub key: &'s str,
    /// Fields, in order.
    pub fields: Vec<RawField<'s>>,
}

/// Something the scanner found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<'s> {
    /// A bibliography entry.
    Entry(RawEntry<'s>),
    /// The definitions of one `@string`.
    Strings(Vec<RawField<'s>>),
}

/// The scanner's result: items in input order, and problems as (offset, message).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawFile<'s> {
    /// Entries and `@string` definitions.
    pub items: Vec<Item<'s>>,
    /// Syntax errors: byte offset and a message naming what was expected.
    pub errors: Vec<(usize, String)>,
}

/// A syntax problem: where, and what was expected.
type Fail = (usize, String);

/// Splits `src` into entries and `@string` definitions.
pub fn scan(src: &str) -> RawFile<'_> {
    let mut file = RawFile::default();
    let bytes = src.as_bytes();
    let mut pos = 0;
    while let Some(at) = memchr(b'@', bytes.get(pos..).unwrap_or_default()).map(|i| pos + i) {
        let Some((ty, open)) = entry_head(src, at) else {
            pos = at + 1;
            continue;
        };
        let close = if bytes.get(open) == Some(&b'(') { b')' } else { b'}' };
        let mut s = Scanner { src, pos: open + 1 };
        let result = match ty.to_ascii_lowercase().as_str() {
            "comment" => match skip_balanced(src, open, close) {
                Some(end) => {
                    pos = end;
                    continue;
                }
                // An unclosed `@comment` skips only its own name.
                None => {
                    pos = open;
                    continue;
                }
            },
            "preamble" => s.value().and_then(|_| s.close(close, at)).map(|()| None),
            "string" => s.fields(close, at).map(|f| Some(Item::Strings(f))),
            _ => s.entry_body(close, at).map(|(key, fields)| {
                Some(Item::Entry(RawEntry { offset: at, kind: ty, key, fields }))
            }),
        };
        match result {
            Ok(item) => {
                file.items.extend(item);
                pos = s.pos;
            }
            // An entry commented out with `%` (biber's comments) that does not parse is skipped
            // silently; one that parses is kept, as BibTeX, which has no comments, reads it.
            Err(_) if commented_out(src, at) => pos = at + 1,
            Err((offset, message)) => {
                file.errors.push((offset, message));
                pos = next_line_at(src, at + 1);
            }
        }
    }
    file
}

/// At an `@`: the entry type and the offset of the opening delimiter, if this `@` starts an
/// entry (`@ article {`).
fn entry_head(src: &str, at: usize) -> Option<(&str, usize)> {
    let rest = src.get(at + 1..)?;
    let trimmed = rest.trim_start();
    let ws = rest.len() - trimmed.len();
    let name_len = trimmed.bytes().take_while(|&b| is_ident_byte(b)).count();
    if name_len == 0 {
        return None;
    }
    let name = trimmed.get(..name_len)?;
    let after = trimmed.get(name_len..)?;
    let after_trimmed = after.trim_start();
    let open = at + 1 + ws + name_len + (after.len() - after_trimmed.len());
    after_trimmed.starts_with(['{', '(']).then_some((name, open))
}

/// True when a `%` comes before `at` on its line (`% @manual{…}`: an entry commented out).
fn commented_out(src: &str, at: usize) -> bool {
    let bytes = src.as_bytes();
    let line_start = bytes.get(..at).and_then(|b| memchr::memrchr(b'\n', b)).map_or(0, |i| i + 1);
    bytes.get(line_start..at).is_some_and(|l| l.contains(&b'%'))
}

/// The offset after the delimiter closing the one at `open`, counting braces only.
fn skip_balanced(src: &str, open: usize, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &b) in src.as_bytes().iter().enumerate().skip(open + 1) {
        match b {
            b'{' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            _ if b == close && depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The offset of the next `@` that is the first non-blank character of a line, after `from`;
/// the end of the text if there is none.
fn next_line_at(src: &str, from: usize) -> usize {
    let bytes = src.as_bytes();
    let mut pos = from;
    while let Some(nl) = memchr(b'\n', bytes.get(pos..).unwrap_or_default()) {
        let line = nl + pos + 1;
        let indent = bytes
            .get(line..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r'))
            .count();
        if bytes.get(line + indent) == Some(&b'@') {
            return line + indent;
        }
        pos = line;
    }
    src.len()
}

/// Characters of identifiers (types, field names, macro names): BibTeX's rule, any printable
/// character but white space and `"#%'(),={}`; non-ASCII bytes are allowed.
fn is_ident_byte(b: u8) -> bool {
    !(b.is_ascii_whitespace()
        || b.is_ascii_control()
        || matches!(b, b'"' | b'#' | b'%' | b'\'' | b'(' | b')' | b',' | b'=' | b'{' | b'}' | b'@'))
}

struct Scanner<'s> {
    src: &'s str,
    pos: usize,
}

impl<'s> Scanner<'s> {
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    /// Skips white space and `%` comments up to the end of the line (tolerated between
    /// fields, as biber and the `biblatex` crate do).
    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.pos += 1;
            } else if b >= 0x80
                && let Some(c) = self.src.get(self.pos..).and_then(|r| r.chars().next())
                && c.is_whitespace()
            {
                // No-break and other Unicode spaces used as indentation.
                self.pos += c.len_utf8();
            } else if b == b'%' {
                let rest = self.src.as_bytes().get(self.pos..).unwrap_or_default();
                self.pos += memchr(b'\n', rest).unwrap_or(rest.len());
            } else {
                break;
            }
        }
    }

    fn fail<T>(&self, what: &str) -> Result<T, Fail> {
        let found = match self.peek() {
            None => "end of input".to_owned(),
            Some(_) => {
                let c = self.src.get(self.pos..).and_then(|r| r.chars().next()).unwrap_or('?');
                format!("`{c}`")
            }
        };
        Err((self.pos.min(self.src.len()), format!("expected {what}, found {found}")))
    }

    fn ident(&mut self, what: &str) -> Result<(&'s str, usize), Fail> {
        let start = self.pos;
        let rest = self.src.get(start..).unwrap_or_default();
        // Identifier bytes, stopping at Unicode white space (no-break spaces after a name).
        let len = rest
            .char_indices()
            .find(|&(_, c)| if c.is_ascii() { !is_ident_byte(c as u8) } else { c.is_whitespace() })
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return self.fail(what);
        }
        self.pos += len;
        Ok((rest.get(..len).unwrap_or_default(), start))
    }

    /// The entry's closing delimiter.
    fn close(&mut self, close: u8, entry: usize) -> Result<(), Fail> {
        self.skip_ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            Ok(())
        } else if self.peek().is_none() {
            Err((
                entry,
                format!("entry is not closed: expected `{}` before end of input", close as char),
            ))
        } else {
            self.fail(&format!("`{}` closing the entry", close as char))
        }
    }

    /// `key, fields…` up to the closing delimiter.
    fn entry_body(
        &mut self,
        close: u8,
        entry: usize,
    ) -> Result<(&'s str, Vec<RawField<'s>>), Fail> {
        self.skip_ws();
        let start = self.pos;
        let bytes = self.src.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if b == b',' || b == close || b.is_ascii_whitespace() || (close == b'}' && b == b'{') {
                break;
            }
            self.pos += 1;
        }
        let key = self.src.get(start..self.pos).unwrap_or_default();
        self.skip_ws();
        if self.peek() == Some(b'=') {
            // No key: what was read is the first field's name (EndNote exports this).
            self.pos = start;
            return Ok(("", self.fields(close, entry)?));
        }
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                let fields = self.fields(close, entry)?;
                Ok((key, fields))
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok((key, Vec::new()))
            }
            None => Err((
                entry,
                format!("entry is not closed: expected `{}` before end of input", close as char),
            )),
            _ => self.fail("`,` after the citation key"),
        }
    }

    /// `name = value, …` up to and including the closing delimiter; a trailing comma is fine.
    fn fields(&mut self, close: u8, entry: usize) -> Result<Vec<RawField<'s>>, Fail> {
        let mut fields = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                // A mismatched closer (`@book{…)`) is accepted, as citation-js and Zotero do.
                Some(b'}' | b')') => {
                    self.pos += 1;
                    return Ok(fields);
                }
                None => {
                    return Err((
                        entry,
                        format!(
                            "entry is not closed: expected `{}` before end of input",
                            close as char
                        ),
                    ));
                }
                _ => {}
            }
            if self.peek() == Some(b',') {
                // `, ,`: an empty field, tolerated.
                self.pos += 1;
                continue;
            }
            let (name, offset) = self.ident("a field name")?;
            self.skip_ws();
            if self.peek() != Some(b'=') {
                return self.fail(&format!("`=` after field name `{name}`"));
            }
            self.pos += 1;
            let value = self.value()?;
            fields.push(RawField { name, offset, value });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}' | b')') => {}
                None => {
                    return Err((
                        entry,
                        format!(
                            "entry is not closed: expected `{}` before end of input",
                            close as char
                        ),
                    ));
                }
                _ => {
                    return self
                        .fail(&format!("`,` or `{}` after the value of `{name}`", close as char));
                }
            }
        }
    }

    /// `piece # piece …`.
    fn value(&mut self) -> Result<Vec<Piece<'s>>, Fail> {
        let mut pieces = Vec::new();
        loop {
            self.skip_ws();
            pieces.push(self.piece()?);
            self.skip_ws();
            if self.peek() == Some(b'#') {
                self.pos += 1;
            } else {
                return Ok(pieces);
            }
        }
    }

    fn piece(&mut self) -> Result<Piece<'s>, Fail> {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        match self.peek() {
            Some(b'{') => {
                // Brace to brace (vector searches: values are long, braces few).
                let mut depth = 0usize;
                let mut i = start;
                while let Some(k) = bytes.get(i..).and_then(|b| memchr::memchr2(b'{', b'}', b)) {
                    i += k;
                    if bytes.get(i) == Some(&b'{') {
                        depth += 1;
                    } else {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            self.pos = i + 1;
                            let text = self.src.get(start + 1..i).unwrap_or_default();
                            return Ok(Piece::Text(text, start + 1));
                        }
                    }
                    i += 1;
                }
                // Unbalanced as BibTeX counts; try again skipping `\{` and `\}` (biber, the crate).
                let mut depth = 0usize;
                let mut escaped = false;
                for (i, &b) in bytes.iter().enumerate().skip(start) {
                    match b {
                        _ if escaped => escaped = false,
                        b'\\' => escaped = true,
                        b'{' => depth += 1,
                        b'}' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.pos = i + 1;
                                let text = self.src.get(start + 1..i).unwrap_or_default();
                                return Ok(Piece::Text(text, start + 1));
                            }
                        }
                        _ => {}
                    }
                }
                Err((start, "expected `}` closing this value, found end of input".to_owned()))
            }
            Some(b'"') => {
                let mut depth = 0usize;
                for (i, &b) in bytes.iter().enumerate().skip(start + 1) {
                    match b {
                        b'{' => depth += 1,
                        b'}' if depth > 0 => depth -= 1,
                        b'}' => {
                            return Err((
                                i,
                                "expected `\"` closing this value, found `}`".to_owned(),
                            ));
                        }
                        b'"' if depth == 0 => {
                            self.pos = i + 1;
                            let text = self.src.get(start + 1..i).unwrap_or_default();
                            return Ok(Piece::Text(text, start + 1));
                        }
                        _ => {}
                    }
                }
                Err((start, "expected `\"` closing this value, found end of input".to_owned()))
            }
            Some(b) if b.is_ascii_digit() => {
                let len = bytes.iter().skip(start).take_while(|b| b.is_ascii_digit()).count();
                self.pos += len;
                Ok(Piece::Text(self.src.get(start..start + len).unwrap_or_default(), start))
            }
            Some(_) => {
                let (name, offset) =
                    self.ident("a value: `{…}`, `\"…\"`, a number or a macro name")?;
                Ok(Piece::Macro(name, offset))
            }
            None => self.fail("a value"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(src: &str) -> Vec<RawEntry<'_>> {
        scan(src)
            .items
            .into_iter()
            .filter_map(|i| match i {
                Item::Entry(e) => Some(e),
                Item::Strings(_) => None,
            })
            .collect()
    }

    #[test]
    fn nested_braces_and_quotes() {
        let src = "@article{k, title = \"The {\"}omics{\"} {re{vol}ution}\", year = 2019,}";
        let e = &entries(src)[0];
        assert_eq!((e.kind, e.key), ("article", "k"));
        assert_eq!(e.fields.len(), 2);
        assert!(matches!(e.fields[0].value[0], Piece::Text("The {\"}omics{\"} {re{vol}ution}", _)));
        assert!(matches!(e.fields[1].value[0], Piece::Text("2019", _)));
    }

    #[test]
    fn comments_preamble_strings_and_parens() {
        let src = "junk @ text\n@comment{ @article{no, title={x}} }\n@preamble{ \"\\def\\x{y}\" }\n\
                   @string(me = \"M\" # {e})\n@Book(key2, author = me # \" and You\", note = \"a (b)\")\n";
        let file = scan(src);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.items.len(), 2);
        let e = &entries(src)[0];
        assert_eq!((e.kind, e.key, e.fields.len()), ("Book", "key2", 2));
        assert!(matches!(
            e.fields[0].value[..],
            [Piece::Macro("me", _), Piece::Text(" and You", _)]
        ));
    }

    #[test]
    fn bad_entry_in_the_middle_is_skipped() {
        let src = "@article{a, title={One}}\n@article{b, title={Two} year={x}}\n@book{c, title={Three}}\n";
        let file = scan(src);
        let keys: Vec<&str> = entries(src).iter().map(|e| e.key).collect();
        assert_eq!(keys, ["a", "c"]);
        assert_eq!(file.errors.len(), 1);
        let (offset, msg) = &file.errors[0];
        assert_eq!(src.get(*offset..*offset + 4), Some("year"));
        assert_eq!(msg, "expected `,` or `}` after the value of `title`, found `y`");
    }

    #[test]
    fn unterminated_entry_at_eof() {
        let src = "@article{a, title={One}}\n@article{b, title={Two}\n";
        let file = scan(src);
        assert_eq!(entries(src).len(), 1);
        assert_eq!(file.errors[0].0, src.find("@article{b").unwrap());
        assert!(file.errors[0].1.starts_with("entry is not closed"), "{:?}", file.errors);
        let src = "@article{b, title={Two";
        assert_eq!(scan(src).errors[0].0, src.find("{Two").unwrap());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let n = 100_000;
        let src = format!("@misc{{k, title={}{}}}\n", "{".repeat(n + 1), "}".repeat(n + 1));
        assert_eq!(entries(&src).len(), 1);
        let unbalanced = format!("@misc{{k, title={}}}", "{".repeat(n));
        assert_eq!(scan(&unbalanced).errors.len(), 1);
    }

    #[test]
    fn tolerated_irregularities() {
        // Commented-out entry, missing key, `, ,`, no-break space indentation.
        let src = "% @manual{x,\n%  title={t}\n% }\n@article{\n author = {A}, , title={T}}\n\
                   @book{b,\n\u{a0}\u{a0}title = {T}}\n@misc{c, author = {A}, year = 1}";
        let file = scan(src);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let e = entries(src);
        assert_eq!(e.iter().map(|e| e.key).collect::<Vec<_>>(), ["", "b", "c"]);
        assert_eq!(e[0].fields.len(), 2);
        assert_eq!(e[2].fields.len(), 2);
    }

    #[test]
    fn key_only_entry_and_odd_at_signs() {
        assert_eq!(entries("@misc{lonely}").len(), 1);
        assert_eq!(entries("email@example.com @ {x}").len(), 0);
        assert_eq!(entries("@").len(), 0);
        assert_eq!(entries("@misc{é, title = {ü}}")[0].key, "é");
    }
}
