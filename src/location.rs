//! Byte offsets to 1-based line and column numbers.

use std::fmt;

/// Where in an input something is. Line and column are 1-based; the column counts
/// characters, not bytes, because inputs contain CJK text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The start offset of every line of a text, built once, so that each lookup is a binary
/// search. A lone `\r` (old Mac line ending) ends a line as `\n` and `\r\n` do.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(pos) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + pos;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
            i = next;
            if i >= bytes.len() {
                break;
            }
        }
        LineIndex { starts }
    }

    /// The location of byte `offset` in `text` (the text this index was built from). An
    /// offset past the end or inside a character is clamped, never a panic.
    pub fn locate(&self, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1].min(offset);
        let column = text
            .get(start..offset)
            .map_or_else(|| text.as_bytes()[start..offset].len(), |s| s.chars().count());
        Location {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "ab\r\n作者x\rz\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.locate(text, 0), Location { line: 1, column: 1 });
        assert_eq!(idx.locate(text, 4), Location { line: 2, column: 1 });
        // `x` follows two 3-byte characters: column 3.
        assert_eq!(idx.locate(text, 10), Location { line: 2, column: 3 });
        assert_eq!(idx.locate(text, 12), Location { line: 3, column: 1 });
        assert_eq!(idx.locate(text, 999).line, 4);
        // Inside a multi-byte character: clamped, no panic.
        let _ = idx.locate(text, 5);
    }
}
