//! Bytes to text: UTF-8 (with or without BOM), UTF-16 (with or without BOM), and the
//! legacy fallbacks Windows-1252 (Latin text) and GB18030 (Chinese exports).

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::Error;

/// Decoded text and the encoding it was read as.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text, without a byte order mark.
    pub text: Cow<'a, str>,
    /// The encoding's name (`UTF-8`, `UTF-16LE`, `windows-1252`, `gb18030`).
    pub encoding: &'static str,
    /// True when the encoding was guessed rather than marked or valid UTF-8.
    pub guessed: bool,
}

/// Decodes `bytes`, in `label`'s encoding when given (a WHATWG label such as `latin1`,
/// `utf-16le`, `gbk`), otherwise detected: a BOM, else UTF-16 by its NUL pattern, else UTF-8
/// when valid, else a JabRef `% Encoding:` header, else GB18030 when the text reads as
/// Chinese, else Windows-1252.
///
/// # Errors
/// [`Error::Decode`] for an unknown label, or for bytes that are not valid in the
/// requested encoding.
pub fn decode<'a>(bytes: &'a [u8], label: Option<&str>) -> Result<Decoded<'a>, Error> {
    if let Some(label) = label {
        let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| Error::Decode {
            encoding: label.to_owned(),
            message: "unknown encoding name".into(),
        })?;
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(Error::Decode {
                encoding: enc.name().into(),
                message: "the bytes are not valid in this encoding".into(),
            });
        }
        return Ok(Decoded { text, encoding: enc.name(), guessed: false });
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded { text, encoding: enc.name(), guessed: false });
    }
    if let Some(enc) = sniff_utf16(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return Ok(Decoded { text, encoding: enc.name(), guessed: true });
    }
    // The check every input goes through: simdutf8 validates several times faster than std.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded { text: Cow::Borrowed(text), encoding: UTF_8.name(), guessed: false });
    }
    // JabRef writes `% Encoding: windows-1252` at the top of a .bib: trust it when the bytes
    // decode cleanly in that encoding.
    if let Some(enc) = declared_encoding(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return Ok(Decoded { text, encoding: enc.name(), guessed: false });
        }
    }
    let (gb, gb_errors) = GB18030.decode_without_bom_handling(bytes);
    if !gb_errors && reads_as_chinese(&gb) {
        return Ok(Decoded { text: gb, encoding: GB18030.name(), guessed: true });
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok(Decoded { text, encoding: WINDOWS_1252.name(), guessed: true })
}

/// The encoding named by a `% Encoding: NAME` line in the first 512 bytes, if any.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let at = memchr::memmem::find(head, b"Encoding:")?;
    let rest = &head[at + b"Encoding:".len()..];
    let name: Vec<u8> = rest
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        .copied()
        .collect();
    Encoding::for_label(&name)
}

/// UTF-16 without BOM: ASCII text has a NUL in every other byte.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nuls = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nuls * 10 > pairs * 7 && even_nuls * 10 < pairs {
        Some(UTF_16LE)
    } else if even_nuls * 10 > pairs * 7 && odd_nuls * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when `text` reads as Chinese: at least three CJK characters, some of them adjacent
/// (a Latin text misread as GB18030 yields lone ideographs between ASCII letters), and most
/// non-ASCII characters CJK.
fn reads_as_chinese(text: &str) -> bool {
    let (mut cjk, mut other, mut run, mut longest_run) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        if crate::model::is_cjk(c) {
            cjk += 1;
            run += 1;
            longest_run = longest_run.max(run);
        } else {
            run = 0;
            if !c.is_ascii() {
                other += 1;
            }
        }
    }
    cjk >= 3 && longest_run >= 2 && cjk >= other * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        assert_eq!(decode(b"\xef\xbb\xbfabc", None).unwrap().text, "abc");
        let utf16le: Vec<u8> = "TY  - JOUR".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode(&utf16le, None).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("TY  - JOUR", "UTF-16LE"));
        let d = decode(b"Caf\xe9 cr\xe8me", None).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("Café crème", "windows-1252"));
        let (gb, _, _) = GB18030.encode("作者：欧阳志远 摘要");
        let d = decode(&gb, None).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("作者：欧阳志远 摘要", "gb18030"));
        assert!(decode(b"x", Some("no-such-encoding")).is_err());
        assert_eq!(decode(b"\xe9", Some("latin1")).unwrap().text, "é");
    }
}
