//! TeX escaping for the `.bib` writers, and TeX-to-Unicode decoding for the reader.
//!
//! - [`escape`]: text → TeX that compiles: `& % $ # _ { } ~ ^ \` escaped; with `ascii`, every
//!   non-ASCII character that has a LaTeX form is written as one (`ö` → `{\"o}`, `–` → `--`,
//!   `α` → `{$\alpha$}`); a character with none stays UTF-8 and is reported, never dropped.
//! - [`title`]: as [`escape`], and braces the words BibTeX styles must not lowercase:
//!   acronyms (`{NHS}`, `{GP}s`), mixed-case words (`{iPhone}`) and words the caller names.
//! - [`decode`]: a small TeX → Unicode decoder (accents, `\ss`, `\&`, `--`, braces) used when
//!   the `biblatex` crate rejects a field; loops only, no recursion.

use unicode_normalization::UnicodeNormalization;

use crate::blocks;

/// Accent commands and the combining marks they put on a letter.
const ACCENTS: &[(&str, char)] = &[
    ("`", '\u{300}'),
    ("'", '\u{301}'),
    ("^", '\u{302}'),
    ("~", '\u{303}'),
    ("=", '\u{304}'),
    ("u", '\u{306}'),
    (".", '\u{307}'),
    ("\"", '\u{308}'),
    ("r", '\u{30A}'),
    ("H", '\u{30B}'),
    ("v", '\u{30C}'),
    ("d", '\u{323}'),
    ("c", '\u{327}'),
    ("k", '\u{328}'),
    ("b", '\u{331}'),
];

/// Characters written by a command of their own (both directions), and in math for Greek.
const SYMBOLS: &[(char, &str)] = &[
    ('ß', "\\ss"),
    ('æ', "\\ae"),
    ('Æ', "\\AE"),
    ('œ', "\\oe"),
    ('Œ', "\\OE"),
    ('ø', "\\o"),
    ('Ø', "\\O"),
    ('å', "\\aa"),
    ('Å', "\\AA"),
    ('ł', "\\l"),
    ('Ł', "\\L"),
    ('ı', "\\i"),
    ('ȷ', "\\j"),
    ('¡', "\\textexclamdown"),
    ('¿', "\\textquestiondown"),
    ('§', "\\S"),
    ('¶', "\\P"),
    ('©', "\\copyright"),
    ('£', "\\pounds"),
    ('®', "\\textregistered"),
    ('™', "\\texttrademark"),
    ('°', "\\textdegree"),
    ('·', "\\textperiodcentered"),
    ('•', "\\textbullet"),
    ('†', "\\dag"),
    ('‡', "\\ddag"),
    ('…', "\\ldots"),
    ('‰', "\\textperthousand"),
    ('€', "\\texteuro"),
];

/// Characters written in math mode.
const MATH: &[(char, &str)] = &[
    ('α', "\\alpha"),
    ('β', "\\beta"),
    ('γ', "\\gamma"),
    ('δ', "\\delta"),
    ('ε', "\\epsilon"),
    ('ζ', "\\zeta"),
    ('η', "\\eta"),
    ('θ', "\\theta"),
    ('ι', "\\iota"),
    ('κ', "\\kappa"),
    ('λ', "\\lambda"),
    ('μ', "\\mu"),
    ('µ', "\\mu"),
    ('ν', "\\nu"),
    ('ξ', "\\xi"),
    ('π', "\\pi"),
    ('ρ', "\\rho"),
    ('σ', "\\sigma"),
    ('ς', "\\varsigma"),
    ('τ', "\\tau"),
    ('υ', "\\upsilon"),
    ('φ', "\\phi"),
    ('χ', "\\chi"),
    ('ψ', "\\psi"),
    ('ω', "\\omega"),
    ('Γ', "\\Gamma"),
    ('Δ', "\\Delta"),
    ('Θ', "\\Theta"),
    ('Λ', "\\Lambda"),
    ('Ξ', "\\Xi"),
    ('Π', "\\Pi"),
    ('Σ', "\\Sigma"),
    ('Υ', "\\Upsilon"),
    ('Φ', "\\Phi"),
    ('Ψ', "\\Psi"),
    ('Ω', "\\Omega"),
    ('×', "\\times"),
    ('±', "\\pm"),
    ('÷', "\\div"),
    ('≤', "\\leq"),
    ('≥', "\\geq"),
    ('≠', "\\neq"),
    ('≈', "\\approx"),
    ('∞', "\\infty"),
    ('→', "\\rightarrow"),
    ('←', "\\leftarrow"),
    ('↔', "\\leftrightarrow"),
    ('²', "^2"),
    ('³', "^3"),
    ('¹', "^1"),
    ('⁰', "^0"),
    ('⁴', "^4"),
    ('⁵', "^5"),
    ('⁶', "^6"),
    ('⁷', "^7"),
    ('⁸', "^8"),
    ('⁹', "^9"),
    ('⁺', "^+"),
    ('⁻', "^-"),
    ('₀', "_0"),
    ('₁', "_1"),
    ('₂', "_2"),
    ('₃', "_3"),
    ('₄', "_4"),
    ('₅', "_5"),
    ('₆', "_6"),
    ('₇', "_7"),
    ('₈', "_8"),
    ('₉', "_9"),
    ('∼', "\\sim"),
    ('−', "-"),
    ('∝', "\\propto"),
    ('√', "\\surd"),
    ('∙', "\\bullet"),
    ('∘', "\\circ"),
    ('⋅', "\\cdot"),
    ('≃', "\\simeq"),
    ('≡', "\\equiv"),
    ('∑', "\\sum"),
    ('∫', "\\int"),
    ('∂', "\\partial"),
    ('∇', "\\nabla"),
    ('∈', "\\in"),
    ('∩', "\\cap"),
    ('∪', "\\cup"),
    ('ϕ', "\\phi"),
    ('ϵ', "\\epsilon"),
    ('⟨', "\\langle"),
    ('⟩', "\\rangle"),
    ('′', "\\prime"),
];

/// Text-mode ASCII spellings of typographic punctuation.
const PUNCT: &[(char, &str)] = &[
    ('–', "--"),
    ('—', "---"),
    ('‘', "`"),
    ('’', "'"),
    ('“', "``"),
    ('”', "''"),
    ('\u{a0}', "~"),
    ('‐', "-"),
    ('‑', "-"),
    // Ligatures are written as their letters.
    ('ﬁ', "fi"),
    ('ﬂ', "fl"),
    ('ﬀ', "ff"),
    ('ﬃ', "ffi"),
    ('ﬄ', "ffl"),
];

/// Writes `text` as TeX into `out`. With `ascii`, non-ASCII characters become LaTeX
/// commands where one exists; characters with none are kept and pushed to `unmapped`.
pub fn escape_into(text: &str, ascii: bool, out: &mut String, unmapped: &mut Vec<char>) {
    let mut chars = text.chars();
    loop {
        // Runs of characters written as they are are copied whole.
        let rest = chars.as_str();
        let run = plain_run(rest.as_bytes(), ascii);
        if run > 0 {
            let (plain, after) = rest.split_at_checked(run).unwrap_or((rest, ""));
            out.push_str(plain);
            chars = after.chars();
        }
        let Some(c) = chars.next() else { break };
        let next = chars.clone().next();
        match c {
            '\\' => out.push_str("{\\textbackslash}"),
            // `\{` would count as a brace for BibTeX's balance check; the command form does not.
            '{' => out.push_str("{\\textbraceleft}"),
            '}' => out.push_str("{\\textbraceright}"),
            '~' => out.push_str("{\\textasciitilde}"),
            '^' => out.push_str("{\\textasciicircum}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            // A literal `--` must not become an en dash: break the TeX ligature.
            '-' if next == Some('-') => out.push_str("-{}"),
            '\n' | '\r' | '\t' if out.ends_with(' ') => {}
            '\n' | '\r' | '\t' => out.push(' '),
            // A letter followed by a combining accent with no precomposed form (`x̣`).
            c if ascii
                && c.is_ascii_alphabetic()
                && next.is_some_and(|m| ACCENTS.iter().any(|(_, a)| *a == m)) =>
            {
                let mut marks = String::new();
                while let Some(m) = chars.clone().next() {
                    if !ACCENTS.iter().any(|(_, a)| *a == m) {
                        break;
                    }
                    marks.push(m);
                    chars.next();
                }
                let decomposed = format!("{c}{marks}");
                if !escape_sequence(&decomposed, out) {
                    out.push_str(&decomposed);
                }
            }
            c if c.is_ascii() || !ascii => out.push(c),
            c => {
                if !escape_char(c, out) {
                    out.push(c);
                    if !unmapped.contains(&c) {
                        unmapped.push(c);
                    }
                }
            }
        }
    }
}

/// How many leading bytes of `text` [`escape_into`] copies unchanged: up to the first byte
/// that [`stops`] a run; with `ascii`, also not the letter right before a non-ASCII
/// character (it may carry a combining accent). Always ends at a character boundary.
fn plain_run(text: &[u8], ascii: bool) -> usize {
    let run = if ascii { first_stop::<true>(text) } else { first_stop::<false>(text) };
    let before_non_ascii = ascii && text.get(run).is_some_and(|b| !b.is_ascii());
    if before_non_ascii && run > 0 && text.get(run - 1).is_some_and(u8::is_ascii_alphabetic) {
        run - 1
    } else {
        run
    }
}

/// True when byte `b`, followed by `next` (0 at the end), ends a plain run: a TeX special,
/// a line break or tab, the first `-` of `--`; with `ASCII`, a non-ASCII byte.
fn stops<const ASCII: bool>(b: u8, next: u8) -> bool {
    SPECIAL[usize::from(b)] && (b != b'-' || next == b'-') || ASCII && b >= 0x80
}

/// The index of the first byte that [`stops`] a run, or the length of `text`. Blocks are
/// first tested for a byte that may stop a run (a superset: any control byte, `#$%&`,
/// `\\]^_`, `{|}~`, `--`). Abstracts make this the writers' busiest loop.
fn first_stop<const ASCII: bool>(text: &[u8]) -> usize {
    let maybe = |b: u8, next: u8| {
        (b < 0x20)
            | (b.wrapping_sub(b'#') < 4)
            | (b.wrapping_sub(b'\\') < 4)
            | (b.wrapping_sub(b'{') < 4)
            | ((b == b'-') & (next == b'-'))
            | (ASCII & (b >= 0x80))
    };
    let exact = |_, b, next| stops::<ASCII>(b, next);
    blocks::find(text, 0, maybe, exact).unwrap_or(text.len())
}

/// The ASCII bytes [`escape_into`] cannot copy as they are, as a lookup table.
const fn escape_table() -> [bool; 256] {
    let mut table = [false; 256];
    let special = b"\\{}~^&%$#_-\n\r\t";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
}

/// The bytes that [`stops`] a run (`-` only before another).
const SPECIAL: [bool; 256] = escape_table();

/// [`escape_into`] into a new string.
pub fn escape(text: &str, ascii: bool, unmapped: &mut Vec<char>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(text, ascii, &mut out, unmapped);
    out
}

/// The LaTeX form of one non-ASCII character, appended to `out`; false when there is none.
fn escape_char(c: char, out: &mut String) -> bool {
    if let Some((_, s)) = PUNCT.iter().find(|(p, _)| *p == c) {
        out.push_str(s);
        return true;
    }
    if let Some((_, s)) = SYMBOLS.iter().find(|(p, _)| *p == c) {
        out.push('{');
        out.push_str(s);
        out.push('}');
        return true;
    }
    if let Some((_, s)) = MATH.iter().find(|(p, _)| *p == c) {
        out.push_str("{$");
        out.push_str(s);
        out.push_str("$}");
        return true;
    }
    // Only a Latin letter with accents has a form (most characters are not: skip the copy).
    if !std::iter::once(c).nfd().next().is_some_and(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let decomposed: String = std::iter::once(c).nfd().collect();
    escape_sequence(&decomposed, out)
}

/// A Latin letter and its combining accents, decomposed, as LaTeX: `ǘ` → `{\'{\"{u}}}`.
fn escape_sequence(decomposed: &str, out: &mut String) -> bool {
    let mut parts = decomposed.chars();
    let Some(base) = parts.next() else { return false };
    let marks: Vec<char> = parts.collect();
    if !base.is_ascii_alphabetic() || marks.is_empty() {
        return false;
    }
    let mut commands = Vec::new();
    for m in &marks {
        match ACCENTS.iter().find(|(_, mark)| mark == m) {
            Some((cmd, _)) => commands.push(*cmd),
            None => return false,
        }
    }
    // The plain letter, not the dotless `\i`: biber decodes `{\'\i}` to a dotless i plus a
    // combining accent, which pdflatex rejects (seen with biber 2.18); LaTeX since 2018
    // places `\'i` correctly.
    let mut inner = base.to_string();
    if let [cmd] = commands.as_slice() {
        // Letter accents take a braced argument (`{\\c{c}}`, `{\\v{\\i}}`), symbol accents
        // the letter itself (`{\\"o}`).
        inner = if cmd.chars().all(|c| c.is_ascii_alphabetic()) {
            format!("{{\\{cmd}{{{inner}}}}}")
        } else {
            format!("{{\\{cmd}{inner}}}")
        };
    } else {
        for cmd in &commands {
            inner = format!("\\{cmd}{{{inner}}}");
        }
        inner = format!("{{{inner}}}");
    }
    out.push_str(&inner);
    true
}

/// True for a word BibTeX styles must not lowercase: two or more capitals (`NHS`, `GPs`,
/// `COVID-19`) or a capital after a lowercase letter (`iPhone`, `McDonald`).
fn needs_protection(word: &str) -> bool {
    let mut capitals = 0;
    let mut prev_lower = false;
    for c in word.chars() {
        if c.is_uppercase() {
            capitals += 1;
            if prev_lower {
                return true;
            }
        }
        prev_lower = c.is_lowercase();
    }
    capitals >= 2
}

/// Writes a title: escaped as [`escape`], with every word that needs protection (an acronym,
/// a mixed-case word) and every occurrence of a `protected` phrase wrapped in braces.
pub fn title(text: &str, protected: &[&str], ascii: bool, unmapped: &mut Vec<char>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while !rest.is_empty() {
        // A source-protected phrase starting here.
        if let Some(p) = protected.iter().find(|p| !p.is_empty() && rest.starts_with(**p)) {
            let boundary = !out.ends_with(|c: char| c.is_alphanumeric());
            let after_ok = rest
                .get(p.len()..)
                .and_then(|r| r.chars().next())
                .is_none_or(|c| !c.is_alphanumeric());
            if boundary && after_ok {
                out.push('{');
                escape_into(p, ascii, &mut out, unmapped);
                out.push('}');
                rest = rest.get(p.len()..).unwrap_or_default();
                continue;
            }
        }
        // Words end at white space, `-` and `/`, so `Jones-Smith` stays unbraced and
        // `COVID-19` becomes `{COVID}-19`.
        let word_len = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || matches!(c, '-' | '/' | '–' | '—'))
            .map_or(rest.len(), |(i, _)| {
                if i == 0 { rest.chars().next().map_or(1, char::len_utf8) } else { i }
            });
        let (word, tail) = rest.split_at(word_len);
        if word.starts_with('-') && out.ends_with('-') {
            // A literal `--` must not become an en dash: break the TeX ligature.
            out.push_str("{}");
        }
        if needs_protection(word) {
            // Brace from the first letter to the last capital: `{GP}s`, `({NHS})`, `{iPhone}`.
            let first = word.find(char::is_alphabetic).unwrap_or(0);
            let last = word
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_uppercase())
                .map_or(word.len(), |(i, c)| i + c.len_utf8());
            let last = if word.get(last..).is_some_and(|t| t.chars().all(char::is_lowercase))
                && has_inner_capital(word)
            {
                word.len()
            } else {
                last
            };
            let (head, body, end) = (
                word.get(..first).unwrap_or_default(),
                word.get(first..last.max(first)).unwrap_or_default(),
                word.get(last.max(first)..).unwrap_or_default(),
            );
            escape_into(head, ascii, &mut out, unmapped);
            out.push('{');
            escape_into(body, ascii, &mut out, unmapped);
            out.push('}');
            escape_into(end, ascii, &mut out, unmapped);
        } else {
            escape_into(word, ascii, &mut out, unmapped);
        }
        rest = tail;
    }
    out
}

/// True when a lowercase letter comes before a capital (`iPhone`): the whole word is braced.
fn has_inner_capital(word: &str) -> bool {
    let mut prev_lower = false;
    for c in word.chars() {
        if c.is_uppercase() && prev_lower {
            return true;
        }
        prev_lower = c.is_lowercase();
    }
    false
}

/// True when every capital of `phrase` would be braced by [`title`] on its own.
pub fn auto_protected(phrase: &str) -> bool {
    phrase.split_whitespace().all(|w| needs_protection(w) || !w.chars().any(char::is_uppercase))
}

/// Replaces the braced symbol commands [`escape`] writes (`{\\textdegree}`, `{\\ss}`,
/// `{$\\alpha$}`) by their characters, for readers whose TeX decoder does not know them all.
pub fn decode_symbol_groups(text: &str) -> std::borrow::Cow<'_, str> {
    if !has_symbol_group(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.to_owned();
    for (c, cmd) in SYMBOLS {
        out = out.replace(&format!("{{{cmd}}}"), &c.to_string());
    }
    for (c, cmd) in MATH {
        out = out.replace(&format!("{{${cmd}$}}"), &c.to_string());
    }
    std::borrow::Cow::Owned(out)
}

/// True when a `{\\cmd}` or `{$\\cmd$}` group of [`SYMBOLS`] or [`MATH`] starts somewhere in
/// `text` (an accent group such as `{\\"o}` is none).
fn has_symbol_group(text: &str) -> bool {
    text.match_indices('{').any(|(i, _)| {
        let rest = text.get(i + 1..).unwrap_or_default();
        if let Some(math) = rest.strip_prefix('$') {
            MATH.iter().any(|(_, cmd)| math.strip_prefix(cmd).is_some_and(|r| r.starts_with("$}")))
        } else {
            rest.starts_with('\\')
                && SYMBOLS
                    .iter()
                    .any(|(_, cmd)| rest.strip_prefix(cmd).is_some_and(|r| r.starts_with('}')))
        }
    })
}

/// Decodes TeX to Unicode: accents (`{\"o}`, `\'e`, `\c{c}`), letters (`\ss`, `\o`),
/// escapes (`\&`, `\%`, `\_`), `--`/`---`, `~` as a space; braces are dropped and unknown
/// commands keep their argument (`\emph{x}` → `x`).
pub fn decode(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len());
    // Combining marks waiting for their base letter, with the brace depth they were opened at.
    let mut pending: Vec<char> = Vec::new();
    let mut chars = tex.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                match chars.peek() {
                    Some(&n) if n.is_ascii_alphabetic() => {
                        while let Some(&n) = chars.peek() {
                            if !n.is_ascii_alphabetic() {
                                break;
                            }
                            name.push(n);
                            chars.next();
                        }
                        // A control word swallows the spaces after it.
                        while chars.peek() == Some(&' ') {
                            chars.next();
                        }
                    }
                    Some(&n) => {
                        name.push(n);
                        chars.next();
                    }
                    None => {
                        out.push('\\');
                        continue;
                    }
                }
                if matches!(name.as_str(), "begin" | "end") && chars.peek() == Some(&'{') {
                    // `\begin{it}…\end{it}`: the environment's name is not text.
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                    continue;
                }
                if let Some((_, mark)) = ACCENTS.iter().find(|(cmd, _)| *cmd == name) {
                    pending.push(*mark);
                } else if let Some((ch, _)) =
                    SYMBOLS.iter().find(|(_, cmd)| cmd.get(1..) == Some(name.as_str()))
                {
                    push_base(&mut out, *ch, &mut pending);
                } else if let Some((ch, _)) = MATH
                    .iter()
                    .find(|(_, cmd)| cmd.starts_with('\\') && cmd.get(1..) == Some(name.as_str()))
                {
                    push_base(&mut out, *ch, &mut pending);
                } else {
                    match name.as_str() {
                        "&" | "%" | "$" | "#" | "_" | "{" | "}" | " " => out.push_str(&name),
                        "textbackslash" => out.push('\\'),
                        "textbraceleft" => out.push('{'),
                        "textbraceright" => out.push('}'),
                        "textasciitilde" => out.push('~'),
                        "textasciicircum" => out.push('^'),
                        "textendash" => out.push('–'),
                        "textemdash" => out.push('—'),
                        "-" | "/" | "," => {}
                        // Formatting and unknown commands: keep what they apply to.
                        _ => {}
                    }
                }
            }
            '{' | '}' | '$' => {}
            '~' => out.push(' '),
            '-' => {
                let mut n = 1;
                while chars.peek() == Some(&'-') && n < 3 {
                    chars.next();
                    n += 1;
                }
                out.push_str(match n {
                    1 => "-",
                    2 => "–",
                    _ => "—",
                });
            }
            '`' if chars.peek() == Some(&'`') => {
                chars.next();
                out.push('“');
            }
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('”');
            }
            c => push_base(&mut out, c, &mut pending),
        }
    }
    out
}

/// Pushes `c` with the pending combining marks composed onto it.
fn push_base(out: &mut String, c: char, pending: &mut Vec<char>) {
    if pending.is_empty() || c.is_whitespace() {
        out.push(c);
        return;
    }
    let base = match c {
        'ı' => 'i',
        'ȷ' => 'j',
        c => c,
    };
    let composed: String = std::iter::once(base).chain(pending.drain(..).rev()).nfc().collect();
    out.push_str(&composed);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block scan stops where the byte definition ([`stops`]) does, for every byte at
    /// every place of texts of lengths around the block size, and for `--` at every place.
    #[test]
    fn plain_run_matches_the_definition() {
        let reference = |text: &[u8], ascii: bool| {
            let next = |i: usize| text.get(i + 1).copied().unwrap_or(0);
            let stop = |i: usize, b: u8| {
                if ascii { stops::<true>(b, next(i)) } else { stops::<false>(b, next(i)) }
            };
            let run = text.iter().enumerate().position(|(i, &b)| stop(i, b)).unwrap_or(text.len());
            let letter_before = run > 0 && text[run - 1].is_ascii_alphabetic();
            if ascii && text.get(run).is_some_and(|b| !b.is_ascii()) && letter_before {
                run - 1
            } else {
                run
            }
        };
        for ascii in [false, true] {
            for len in (1..20).chain(30..36).chain(62..68) {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut text = vec![b'a'; len];
                        text[at] = b;
                        assert_eq!(
                            plain_run(&text, ascii),
                            reference(&text, ascii),
                            "{ascii} {len} {at} {b}"
                        );
                    }
                    let mut dashes = vec![b'a'; len + 1];
                    dashes[at] = b'-';
                    dashes[at + 1] = b'-';
                    assert_eq!(plain_run(&dashes, ascii), at, "{ascii} {len} {at} --");
                    dashes[at + 1] = b' ';
                    assert_eq!(plain_run(&dashes, ascii), len + 1, "{ascii} {len} {at} -");
                }
            }
        }
        // The definition itself: specials stop, a lone `-` does not, `--` does.
        assert_eq!(plain_run(b"ab&c", false), 2);
        assert_eq!(plain_run(b"a-b", false), 3);
        assert_eq!(plain_run(b"a--b", false), 1);
        assert_eq!(plain_run("aé".as_bytes(), false), 3);
        assert_eq!(plain_run("ab é".as_bytes(), true), 3);
        assert_eq!(plain_run("abé".as_bytes(), true), 1);
    }

    macro_rules! cases {
        ($f:ident: $($name:ident: $input:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!($f($input), $expected, "{:?}", $input);
            }
        )*};
    }

    fn utf8(s: &str) -> String {
        escape(s, false, &mut Vec::new())
    }

    fn ascii(s: &str) -> String {
        escape(s, true, &mut Vec::new())
    }

    fn t(s: &str) -> String {
        title(s, &[], false, &mut Vec::new())
    }

    cases! { t:
        title_double_hyphen: "Pre--post" => "Pre-{}-post";
    }

    cases! { utf8:
        escape_specials: "A & B 50% $5 #1 a_b" => "A \\& B 50\\% \\$5 \\#1 a\\_b";
        escape_braces_and_backslash: "{x} \\y" => "{\\textbraceleft}x{\\textbraceright} {\\textbackslash}y";
        escape_tilde_caret: "~^" => "{\\textasciitilde}{\\textasciicircum}";
        literal_double_hyphen: "a--b" => "a-{}-b";
        utf8_kept: "Müller – 欧阳" => "Müller – 欧阳";
    }

    cases! { ascii:
        ascii_umlaut: "Müller" => "M{\\\"u}ller";
        ascii_acute_i: "Martí" => "Mart{\\'i}";
        ascii_cedilla: "Françoise" => "Fran{\\c{c}}oise";
        ascii_caron: "Dvořák" => "Dvo{\\v{r}}{\\'a}k";
        ascii_ring_aa: "Ångström" => "{\\AA}ngstr{\\\"o}m";
        ascii_ss: "Straße" => "Stra{\\ss}e";
        ascii_ligature: "Œuvre" => "{\\OE}uvre";
        ascii_dashes_quotes: "a–b — “q” ‘s’" => "a--b --- ``q'' `s'";
        ascii_greek: "NF-κB" => "NF-{$\\kappa$}B";
        ascii_subscript: "Cu₂O" => "Cu{$_2$}O";
        ascii_double_accent: "ǘ" => "{\\'{\\\"{u}}}";
    }

    #[test]
    fn ascii_combining_without_precomposed_form() {
        assert_eq!(ascii("x\u{323}"), "{\\d{x}}");
    }

    #[test]
    fn symbol_groups_decode() {
        assert_eq!(decode_symbol_groups("25{\\textdegree} C {$\\alpha$}"), "25° C α");
    }

    #[test]
    fn ascii_never_drops() {
        let mut unmapped = Vec::new();
        assert_eq!(escape("王 x ŋ", true, &mut unmapped), "王 x ŋ");
        assert_eq!(unmapped, ['王', 'ŋ']);
    }

    cases! { t:
        title_acronym: "The NHS and GPs in England" => "The {NHS} and {GP}s in England";
        title_mixed_case: "Using an iPhone app" => "Using an {iPhone} app";
        title_parenthesised: "Care (NHS) today" => "Care ({NHS}) today";
        title_plain_words: "Primary care-led commissioning" => "Primary care-led commissioning";
        title_number_acronym: "COVID-19 in the UK" => "{COVID}-19 in the {UK}";
        title_hyphenated_names: "Jones-Smith and NF-κB" => "Jones-Smith and {NF}-{κB}";
        title_escapes_inside: "R&D at AT&T" => "{R\\&D} at {AT\\&T}";
    }

    #[test]
    fn title_with_source_protection() {
        let got = title("Einstein and Bose on Einsteinium", &["Einstein"], false, &mut Vec::new());
        assert_eq!(got, "{Einstein} and Bose on Einsteinium");
        assert!(auto_protected("NASA"));
        assert!(!auto_protected("Einstein"));
    }

    cases! { decode:
        decode_braced_umlaut: "M{\\\"u}ller" => "Müller";
        decode_bare_acute: "Caf\\'e" => "Café";
        decode_letter_accent: "Fran\\c{c}ois \\v{S}koda" => "François Škoda";
        decode_dotless: "Mart{\\'\\i}n" => "Martín";
        decode_ss_and_escapes: "Stra\\ss e \\& \\%" => "Straße & %";
        decode_dashes: "pp. 1--2 --- done" => "pp. 1–2 — done";
        decode_tie_and_braces: "A~{NASA} study" => "A NASA study";
        decode_unknown_command: "\\emph{Big} \\textbf{bold}" => "Big bold";
        decode_quotes: "``q''" => "“q”";
        decode_greek: "$\\alpha$-helix" => "α-helix";
        decode_trailing_backslash: "a\\" => "a\\";
        decode_environment: "a\\begin{it}b\\end{it}c" => "abc";
        decode_soft_hyphen: "hy\\-phen" => "hyphen";
    }
}
