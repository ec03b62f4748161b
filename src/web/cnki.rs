//! Reader for the CNKI-style field-labelled record page (Chinese labels: 作者, 机构, 摘要…).
//!
//! Reading happens in two stages:
//! 1. `sections` cuts the lines into the preamble (before the first label) and labelled
//!    sections: a label alone on a line (`作者`, `D O I`) owns the lines up to the next label;
//!    `label:value` (`被引:3`, `页码：49 / 56`, `【作者】 刘洋;`) carries its value inline;
//!    a bar of short pairs (`下载：1234  页码：1967-1973  页数：7`) is one section per pair.
//! 2. [`parse`] maps the preamble (journal header `中国卫生政策研究` / `2021年14卷06期` or
//!    `中国全科医学. 2022,25(16)`; the title, found just above an author line when there is
//!    one, so that navigation and index badges above it are left out; English title; author
//!    and institution lines) and each section onto a [`Record`] through `model` helpers; the
//!    相关论文 list becomes records of their own, marked with [`Record::related_to`].
//!
//! Language: the page does not state one (unless a `语种` label does), so it is inferred from
//! the script of the title (else the abstract): `zh` for Chinese, `en` for plain Latin text,
//! nothing otherwise. Related records get the same inference from their own titles.

use nom::{
    IResult, Parser,
    bytes::complete::take_till1,
    character::complete::{char, digit1, space0},
    combinator::{opt, verify},
    sequence::{delimited, preceded, terminated},
};

use super::labels::{Line, guess_language, lines};
use crate::model::{
    Date, Kind, Person, Record, clean_doi, clean_isbn, clean_issn, collapse_ws, is_han,
    normalize_pages,
};
use crate::{Diagnostic, Parsed};

/// What a label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    TimesCited,
    Downloads,
    Authors,
    Affiliations,
    Funding,
    Keywords,
    Doi,
    Clc,
    SubjectCode,
    Abstract,
    OtherAbstract,
    Pages,
    PageCount,
    Journal,
    Year,
    Volume,
    Issue,
    Date,
    OnlineDate,
    DocType,
    Language,
    Issn,
    Isbn,
    Cn,
    Publisher,
    /// The university that awarded a thesis (its publisher).
    DegreeGrantor,
    Place,
    Degree,
    Supervisor,
    EventTitle,
    EventDate,
    EventPlace,
    Organizer,
    Proceedings,
    OtherTitle,
    Album,
    Topic,
    /// A list of other papers; the `&str` names the relation in `extra`.
    Related(&'static str),
    /// Buttons and counters (`引用`, `收藏`).
    Noise,
}

/// Labels, written without spaces (`D O I` is looked up as `DOI`).
const LABELS: &[(&str, Field)] = &[
    ("被引", Field::TimesCited),
    ("被引频次", Field::TimesCited),
    ("被引次数", Field::TimesCited),
    ("下载", Field::Downloads),
    ("下载次数", Field::Downloads),
    ("作者", Field::Authors),
    ("作者信息", Field::Authors),
    ("机构", Field::Affiliations),
    ("作者单位", Field::Affiliations),
    ("单位", Field::Affiliations),
    ("作者机构", Field::Affiliations),
    ("基金", Field::Funding),
    ("基金资助", Field::Funding),
    ("基金项目", Field::Funding),
    ("关键词", Field::Keywords),
    ("关键字", Field::Keywords),
    ("英文关键词", Field::Keywords),
    ("DOI", Field::Doi),
    ("中图分类号", Field::Clc),
    ("分类号", Field::Clc),
    ("学科分类号", Field::SubjectCode),
    ("摘要", Field::Abstract),
    ("中文摘要", Field::Abstract),
    ("英文摘要", Field::OtherAbstract),
    ("页码", Field::Pages),
    ("页数", Field::PageCount),
    ("刊名", Field::Journal),
    ("期刊", Field::Journal),
    ("期刊名称", Field::Journal),
    ("来源", Field::Journal),
    ("文献来源", Field::Journal),
    ("出版物", Field::Journal),
    ("年", Field::Year),
    ("年份", Field::Year),
    ("出版年", Field::Year),
    ("出版年份", Field::Year),
    ("学位授予年度", Field::Year),
    ("卷", Field::Volume),
    ("卷号", Field::Volume),
    ("期", Field::Issue),
    ("期号", Field::Issue),
    ("出版日期", Field::Date),
    ("发表日期", Field::Date),
    ("发表时间", Field::Date),
    ("出版时间", Field::Date),
    ("网络首发时间", Field::OnlineDate),
    ("在线发表日期", Field::OnlineDate),
    ("在线出版日期", Field::OnlineDate),
    ("文献类型", Field::DocType),
    ("文献类别", Field::DocType),
    ("类型", Field::DocType),
    ("语种", Field::Language),
    ("语言", Field::Language),
    ("ISSN", Field::Issn),
    ("ISBN", Field::Isbn),
    ("CN", Field::Cn),
    ("国内统一刊号", Field::Cn),
    ("出版社", Field::Publisher),
    ("出版单位", Field::Publisher),
    ("出版者", Field::Publisher),
    ("学位授予单位", Field::DegreeGrantor),
    ("出版地", Field::Place),
    ("学位", Field::Degree),
    ("学位类型", Field::Degree),
    ("学位级别", Field::Degree),
    ("导师", Field::Supervisor),
    ("指导教师", Field::Supervisor),
    ("会议名称", Field::EventTitle),
    ("会议时间", Field::EventDate),
    ("会议日期", Field::EventDate),
    ("会议地点", Field::EventPlace),
    ("主办单位", Field::Organizer),
    ("会议录名称", Field::Proceedings),
    ("论文集名称", Field::Proceedings),
    ("英文标题", Field::OtherTitle),
    ("英文题名", Field::OtherTitle),
    ("英文篇名", Field::OtherTitle),
    ("专辑", Field::Album),
    ("专题", Field::Topic),
    ("相关论文", Field::Related("related")),
    ("相似文献", Field::Related("related")),
    ("相关文献", Field::Related("related")),
    ("参考文献", Field::Related("reference")),
    ("引证文献", Field::Related("citing")),
    // The English interface of the same site.
    ("Author", Field::Authors),
    ("Authors", Field::Authors),
    ("Institution", Field::Affiliations),
    ("Institutions", Field::Affiliations),
    ("Affiliation", Field::Affiliations),
    ("Affiliations", Field::Affiliations),
    ("Fund", Field::Funding),
    ("Funds", Field::Funding),
    ("Funding", Field::Funding),
    ("Keywords", Field::Keywords),
    ("Keyword", Field::Keywords),
    ("CLC", Field::Clc),
    ("CLCNumber", Field::Clc),
    ("ClassificationCode", Field::Clc),
    ("SubjectCode", Field::SubjectCode),
    ("Abstract", Field::Abstract),
    ("Pages", Field::Pages),
    ("Page", Field::Pages),
    ("PageCount", Field::PageCount),
    ("NumberofPages", Field::PageCount),
    ("TimesCited", Field::TimesCited),
    ("Cited", Field::TimesCited),
    ("Downloads", Field::Downloads),
    ("Download", Field::Downloads),
    ("Series", Field::Album),
    ("Subject", Field::Topic),
    ("OnlinePublicationDate", Field::OnlineDate),
    ("Size", Field::Noise),
    ("Favorites", Field::Noise),
    ("Journal", Field::Journal),
    ("Source", Field::Journal),
    ("Year", Field::Year),
    ("Volume", Field::Volume),
    ("Issue", Field::Issue),
    ("PublicationDate", Field::Date),
    ("OnlineDate", Field::OnlineDate),
    ("DocumentType", Field::DocType),
    ("Language", Field::Language),
    ("Publisher", Field::Publisher),
    ("Degree", Field::Degree),
    ("Supervisor", Field::Supervisor),
    ("Conference", Field::EventTitle),
    ("RelatedPapers", Field::Related("related")),
    ("RelatedArticles", Field::Related("related")),
    ("Cite", Field::Noise),
    ("Collect", Field::Noise),
    ("Favorite", Field::Noise),
    ("在线公开时间", Field::OnlineDate),
    ("发布时间", Field::OnlineDate),
    ("大小", Field::Noise),
    ("网络出版时间", Field::OnlineDate),
    // A snippet of the full text, not the abstract.
    ("正文快照", Field::Noise),
    ("引用", Field::Noise),
    ("收藏", Field::Noise),
    ("分享", Field::Noise),
    ("打印", Field::Noise),
    ("下载PDF", Field::Noise),
    ("在线阅读", Field::Noise),
];

/// Labels that only this layout uses; two of them on a page make it a CNKI-style page.
const MARKERS: &[&str] = &[
    "作者",
    "机构",
    "作者单位",
    "摘要",
    "关键词",
    "基金",
    "基金项目",
    "中图分类号",
    "分类号",
    "被引",
    "相关论文",
    "页码",
    "页数",
    "刊名",
    "文献来源",
    "学位授予单位",
    "会议名称",
];

/// Labels of the English interface that only this layout uses; three of them, one from
/// [`ENGLISH_KEY_MARKERS`], make an English CNKI-style page.
const ENGLISH_MARKERS: &[&str] = &[
    "CLC",
    "CLCNumber",
    "ClassificationCode",
    "SubjectCode",
    "RelatedPapers",
    "PageCount",
    "TimesCited",
    "Fund",
    "Funds",
    "Institution",
    "Affiliations",
    "Author",
    "Authors",
    "Keywords",
];

/// English labels no other layout we read uses.
const ENGLISH_KEY_MARKERS: &[&str] =
    &["CLC", "CLCNumber", "ClassificationCode", "SubjectCode", "RelatedPapers", "PageCount"];

/// The label a line starts with, and the value that follows it on the same line.
///
/// A label is a whole line (`作者`, `D O I`, `摘要：`) or the part before the first colon
/// (`被引:3`, `页码：49 / 56`); spaces inside the label are ignored.
fn label(line: &str) -> Option<(Field, &str)> {
    let line = line.trim();
    // `【作者】 刘洋; 上官婉清;`: the label in lenticular brackets, the value after them.
    if let Some(inner) = line.strip_prefix('【')
        && let Some((name, value)) = inner.split_once('】')
    {
        let key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        let value = value.trim().trim_start_matches([':', '：']).trim();
        return LABELS.iter().find(|(l, _)| key.eq_ignore_ascii_case(l)).map(|&(_, f)| (f, value));
    }
    let (name, value) = match line.find([':', '：']) {
        Some(i) => {
            let name = line.get(..i)?;
            let value = line.get(i..)?.trim_start_matches([':', '：']);
            (name, value.trim())
        }
        None => (line, ""),
    };
    if name.chars().count() > 24 && !(value.is_empty() && name.starts_with("D")) {
        return None;
    }
    let key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let key = key.trim_start_matches(['【', '[']).trim_end_matches(['】', ']']);
    // `D O I 10.1177/…`: the DOI on the label's line without a colon.
    if value.is_empty() && key.strip_prefix("DOI").is_some_and(|d| d.starts_with("10.")) {
        let at = line.find("10.").unwrap_or(line.len());
        return Some((Field::Doi, line.get(at..).unwrap_or("")));
    }
    LABELS.iter().find(|(l, _)| key.eq_ignore_ascii_case(l)).map(|&(_, f)| (f, value))
}

/// True when the text looks like a CNKI-style labelled record: at least two of this
/// layout's labels, each starting a line.
pub fn matches(src: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut english: Vec<&str> = Vec::new();
    for line in src.lines().take(400) {
        let line = line.trim();
        let name = match line.strip_prefix('【').and_then(|l| l.split_once('】')) {
            Some((name, _)) => name,
            None => line.split([':', '：']).next().unwrap_or(line),
        };
        if name.chars().count() > 20 {
            continue;
        }
        let key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(m) = MARKERS.iter().find(|m| **m == key)
            && !seen.contains(m)
        {
            seen.push(m);
        }
        if let Some(m) = ENGLISH_MARKERS.iter().find(|m| m.eq_ignore_ascii_case(&key))
            && !english.contains(m)
        {
            english.push(m);
        }
        let english_page =
            english.len() >= 3 && english.iter().any(|m| ENGLISH_KEY_MARKERS.contains(m));
        if seen.len() >= 2 || english_page {
            return true;
        }
    }
    false
}

/// A line holding several short `label：value` pairs (`下载：1234  页码：1967-1973  页数：7`,
/// `Download: 356  Page: 10-16`): each pair, or `None` when the line is not shaped so.
///
/// A pair starts at a word that is a one-word label followed by its colon; values must be
/// short, so that prose with a colon in it is never cut up.
fn label_run(line: &str) -> Option<Vec<(Field, &str)>> {
    let line = line.trim();
    let mut starts = Vec::new();
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        let space = c.is_whitespace();
        if prev_space && !space {
            let word = line.get(i..)?.split(char::is_whitespace).next().unwrap_or("");
            let is_label = word.find([':', '：']).is_some_and(|colon| {
                colon > 0 && word.get(..colon).is_some_and(|name| label(name).is_some())
            });
            if is_label {
                starts.push(i);
            }
        }
        prev_space = space;
    }
    if starts.len() < 2 || starts.first() != Some(&0) {
        return None;
    }
    starts.push(line.len());
    let pairs: Vec<(Field, &str)> =
        starts.windows(2).filter_map(|w| line.get(w[0]..w[1])).filter_map(label).collect();
    let short = pairs.iter().all(|(_, v)| v.chars().count() <= 40);
    (pairs.len() + 1 == starts.len() && short).then_some(pairs)
}

/// A labelled section: its label, the label line, the value given inline, and the lines up
/// to the next label.
struct Section<'a> {
    field: Field,
    at: usize,
    inline: &'a str,
    lines: Vec<Line<'a>>,
}

impl<'a> Section<'a> {
    /// The inline value and the following non-blank lines, trimmed, with their offsets.
    fn values(&self) -> Vec<(usize, &'a str)> {
        let mut out = Vec::new();
        if !self.inline.is_empty() {
            out.push((self.at, self.inline));
        }
        out.extend(
            self.lines.iter().filter(|l| !is_noise(l.text)).map(|l| (l.offset, l.trimmed())),
        );
        out
    }

    /// All values joined with one space.
    fn joined(&self) -> String {
        collapse_ws(&self.values().iter().map(|(_, v)| *v).collect::<Vec<_>>().join(" "))
    }
}

/// Splits the lines into the preamble and the labelled sections.
fn sections<'a>(all: &[Line<'a>]) -> (Vec<Line<'a>>, Vec<Section<'a>>) {
    let mut preamble = Vec::new();
    let mut out: Vec<Section<'a>> = Vec::new();
    for line in all {
        // Inside a related list only another label alone on its line ends the list.
        let in_related = matches!(out.last(), Some(s) if matches!(s.field, Field::Related(_)));
        // An abstract paragraph may open with `Source: …` or `Subject: …`: such English
        // labels with an inline value do not interrupt an abstract (`Keywords: …` does).
        let in_abstract = matches!(out.last(), Some(s) if s.field == Field::Abstract);
        if let Some(pairs) = label_run(line.text).filter(|_| !in_related) {
            for (field, inline) in pairs {
                out.push(Section { field, at: line.offset, inline, lines: Vec::new() });
            }
            continue;
        }
        match label(line.text) {
            Some((field, inline))
                if in_abstract
                    && !inline.is_empty()
                    && opens_paragraph(field)
                    && !line.text.chars().any(is_han) =>
            {
                if let Some(section) = out.last_mut() {
                    section.lines.push(*line);
                }
            }
            Some((field, inline)) if !in_related || inline.is_empty() => {
                out.push(Section { field, at: line.offset, inline, lines: Vec::new() });
            }
            _ => match out.last_mut() {
                Some(section) => section.lines.push(*line),
                None => preamble.push(*line),
            },
        }
    }
    (preamble, out)
}

/// Buttons and links of the site's pages, in both interfaces.
const BUTTONS: &[&str] = &[
    "首页",
    "学术期刊",
    "网络首发",
    "手机阅读",
    "CAJ下载",
    "PDF下载",
    "HTML阅读",
    "AI辅助阅读",
    "在线阅读",
    "展开更多",
    "更多",
    "收起",
    "记笔记",
    "中国知网",
    "Online First",
    "Show more",
    "Read online",
    "Mobile reading",
];

/// Index badges shown next to a journal's name (`北大核心 CSCD`, glued or spaced).
const BADGES: &[&str] = &[
    "北大核心",
    "CSCD",
    "CSSCI",
    "AMI",
    "SCI",
    "EI",
    "CA",
    "JST",
    "Scopus",
    "统计源期刊",
    "科技核心",
    "WJCI",
    "中文核心期刊",
    "CSTPCD",
];

/// True for a line made only of index badges.
fn is_badge_line(text: &str) -> bool {
    let mut rest: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        // Longest badge first, so that `CSCD` is not read as `CS…`.
        let Some(badge) = BADGES.iter().filter(|b| rest.starts_with(**b)).max_by_key(|b| b.len())
        else {
            return false;
        };
        rest = rest.get(badge.len()..).unwrap_or("").to_owned();
    }
    true
}

/// Labels whose English word can open a paragraph of an abstract (`Source: interviews…`,
/// `Subject: 40 patients…`, `Language: …`), rather than follow it.
fn opens_paragraph(field: Field) -> bool {
    matches!(
        field,
        Field::Journal
            | Field::Topic
            | Field::Album
            | Field::Language
            | Field::DocType
            | Field::Year
            | Field::EventTitle
    )
}

/// True for lines that carry nothing: a lone `|`, bullets, `共 36 条`, buttons, badges.
fn is_noise(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || BUTTONS.contains(&t)
        || is_badge_line(t)
        || t.chars().all(|c| matches!(c, '|' | '•' | '·' | '-' | '—' | '/'))
        || (t.starts_with('共') && t.ends_with('条'))
        || t.strip_prefix("Total").is_some_and(|n| {
            let n = n.trim_start_matches([':', ' ']);
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        })
}

/// `欧阳志远1 司马晓东2 王小明1,2`: Chinese names on one line separated by spaces, each
/// with its affiliation numbers; `None` when the line is not shaped so.
fn space_separated_names(line: &str) -> Option<Vec<&str>> {
    if line.contains(['[', ';', '；']) {
        return None;
    }
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let name_like = |t: &&str| {
        let name = t.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, ',' | '*'));
        let n = name.chars().count();
        (2..=4).contains(&n) && name.chars().all(is_han)
    };
    (tokens.len() >= 2 && tokens.iter().all(name_like)).then_some(tokens)
}

/// `ZHANG Wei1  OUYANG Hong2  LI Xiaoming1,2`: romanised names on one line (the English
/// interface), separated by runs of spaces, each ending in its affiliation numbers (which
/// tell the line from a title); `None` when the line is not shaped so.
fn spaced_latin_names(line: &str) -> Option<Vec<&str>> {
    if line.contains([';', '；', '[']) || line.chars().any(is_han) {
        return None;
    }
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev_space = false;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let space = c.is_whitespace();
        // A run of two or more spaces (no-break spaces too) ends a name.
        let next_space = chars.get(k + 1).is_some_and(|(_, n)| n.is_whitespace());
        if space && (prev_space || next_space) {
            if let Some(s) = start.take() {
                tokens.push(line.get(s..i)?);
            }
        } else if start.is_none() && !space {
            start = Some(i);
        }
        prev_space = space;
    }
    if let Some(s) = start {
        tokens.push(line.get(s..)?);
    }
    let name_like = |t: &&str| {
        let name = t.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, ',' | '*'));
        let words: Vec<&str> = name.split_whitespace().collect();
        name.len() < t.len()
            && (2..=4).contains(&words.len())
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.'))
            })
    };
    (!tokens.is_empty() && tokens.iter().all(name_like)).then_some(tokens)
}

/// One Chinese name alone on its line (`李晓明`, `上官婉清1`): two to four Han characters,
/// maybe with affiliation numbers. Only trusted right under the title.
fn single_name(line: &str) -> bool {
    let name = line.trim().trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, ',' | '*'));
    (2..=4).contains(&name.chars().count()) && name.chars().all(is_han) && !BUTTONS.contains(&name)
}

/// A romanised Chinese name as CNKI's English pages print it: the family name in capitals
/// (`ZHANG Wei`, `OUYANG Xiao Hong`); `None` when no word alone is in capitals.
fn pinyin_person(name: &str) -> Option<Person> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let caps = |w: &str| w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '-');
    let (family, given) = match words.as_slice() {
        [first, rest @ ..] if caps(first) && !rest.is_empty() && !rest.iter().all(|w| caps(w)) => {
            (*first, rest.join(" "))
        }
        [rest @ .., last] if caps(last) && !rest.is_empty() && !rest.iter().all(|w| caps(w)) => {
            (*last, rest.join(" "))
        }
        _ => return None,
    };
    Some(Person::from_parts(family, &given))
}

/// `1.北京大学公共卫生学院 2.清华大学医院管理研究院`: several numbered affiliations on one
/// line, split before each ` n.`.
fn split_numbered(line: &str) -> Vec<&str> {
    let mut cuts = vec![0];
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !c.is_whitespace() {
            continue;
        }
        let digits = chars[k + 1..].iter().take_while(|(_, d)| d.is_ascii_digit()).count();
        let after = chars.get(k + 1 + digits).map(|&(_, c)| c);
        if digits > 0 && matches!(after, Some('.' | '．' | '、')) {
            cuts.push(i);
        }
    }
    cuts.push(line.len());
    cuts.windows(2).filter_map(|w| line.get(w[0]..w[1])).map(str::trim).collect()
}

/// Year, volume and issue as printed in a journal header.
type IssueParts<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

/// `2021年14卷06期`, `2021年06期`, `2021年第6期`: year, volume, issue.
fn issue_line(s: &str) -> IResult<&str, IssueParts<'_>> {
    let year = verify(terminated(digit1, char('年')), |y: &str| y.len() == 4);
    let volume = terminated(take_till1(|c| c == '卷' || c == '期' || c == ' '), char('卷'));
    let issue =
        preceded(opt(char('第')), terminated(take_till1(|c| c == '期' || c == ' '), char('期')));
    verify((year, opt(volume), opt(issue)), |(_, v, i)| v.is_some() || i.is_some()).parse(s)
}

/// `2022,25(16)`, `2022 ,25 (16)`, `2021(06)`: year, volume, issue as the kcms pages print
/// them after the journal's name.
fn comma_issue_line(s: &str) -> IResult<&str, IssueParts<'_>> {
    let year = verify(digit1, |y: &str| y.len() == 4);
    let volume = preceded((char(','), space0), take_till1(|c: char| c == '(' || c.is_whitespace()));
    let issue = delimited(char('('), take_till1(|c| c == ')'), char(')'));
    let (rest, (year, _, volume, _, issue)) =
        (year, space0, opt(volume), space0, opt(issue)).parse(s)?;
    if volume.is_none() && issue.is_none() {
        return Err(nom::Err::Error(nom::error::Error::new(s, nom::error::ErrorKind::Verify)));
    }
    Ok((rest, (year, volume, issue)))
}

/// A journal header `中国卫生政策研究 2021年14卷06期`, `中国全科医学. 2022,25(16)`,
/// `《中国卫生政策研究》2021年06期` or a bare `2021年14卷06期`: the journal's name (maybe
/// empty), and the issue part.
fn journal_header(s: &str) -> Option<(&str, IssueParts<'_>)> {
    let s = s.trim();
    for (i, c) in s.char_indices() {
        let starts_number = c.is_ascii_digit()
            && s.get(..i).is_none_or(|p| !p.ends_with(|c: char| c.is_ascii_digit()));
        if !starts_number {
            continue;
        }
        let rest = s.get(i..)?;
        let before = s.get(..i)?.trim();
        // `Journal. 2022,25(16)`: only after a name that ends in a period (or none), so
        // that a title ending in `2019(3)` is not taken for a header.
        let comma_form = || {
            comma_issue_line(rest)
                .ok()
                .filter(|_| before.is_empty() || before.ends_with(['.', '．', '》', ',', '，']))
        };
        if let Some((tail, parts)) = issue_line(rest).ok().or_else(comma_form)
            && tail.trim().is_empty()
        {
            let journal = before.trim_end_matches(['.', '．', ',', '，']).trim();
            let journal = journal.trim_start_matches('《').trim_end_matches('》').trim();
            return Some((journal, parts));
        }
    }
    None
}

/// An issue as printed without leading zeros or `第…期` (`(01)` is issue 1).
fn clean_number(s: &str) -> Option<String> {
    let s = collapse_ws(s);
    let s = s.trim_start_matches('第').trim_end_matches(['期', '卷']).trim();
    let s = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let t = s.trim_start_matches('0');
        if t.is_empty() { "0" } else { t }
    } else {
        s
    };
    (!s.is_empty()).then(|| s.to_owned())
}

/// An author entry with its affiliation numbers: `Hammond, Jonathan [1 ]`, `欧阳志远 [1,3 ]`,
/// `王小明1,2`, `李华*`.
fn author_entry(entry: &str) -> (String, Vec<u32>) {
    let mut name = entry.trim().trim_end_matches(['*', '＊']).trim_end();
    let mut numbers = Vec::new();
    let numbers_in = |s: &str, out: &mut Vec<u32>| {
        out.extend(
            s.split(|c: char| matches!(c, ',' | '，' | '、') || c.is_whitespace())
                .filter_map(|n| n.trim().parse::<u32>().ok()),
        );
    };
    // Bracketed numbers at the end, possibly several groups: `[1 ][2 ]`.
    while let Some(inner) = name.strip_suffix(']') {
        let Some(open) = inner.rfind('[') else { break };
        let Some(group) = inner.get(open + 1..) else { break };
        if !group
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, ',' | '，' | '、'))
        {
            break;
        }
        let mut found = Vec::new();
        numbers_in(group, &mut found);
        found.append(&mut numbers);
        numbers = found;
        name = inner.get(..open).unwrap_or("").trim_end().trim_end_matches(['*', '＊']);
    }
    // Superscripts that lost their formatting: `王小明1,2`, `ZHANG Wei1,2`.
    if numbers.is_empty() && name.chars().any(|c| is_han(c) || c.is_alphabetic()) {
        let digits_from =
            name.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, ',' | '，'));
        if digits_from.len() < name.len() {
            numbers_in(name.get(digits_from.len()..).unwrap_or(""), &mut numbers);
            name = digits_from;
        }
    }
    (collapse_ws(name.trim_end_matches(['*', '＊'])), numbers)
}

/// An affiliation line and its number: `[1] Univ Manchester…`, `1. 北京大学…`, `(2) …`.
fn affiliation_entry(line: &str) -> (Option<u32>, &str) {
    let t = line.trim();
    let (number, rest) = if let Some(r) = t.strip_prefix(['[', '(', '（']) {
        match r.find([']', ')', '）']) {
            Some(i) => (r.get(..i).and_then(|n| n.trim().parse().ok()), r.get(i + 1..)),
            None => (None, None),
        }
    } else {
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        match t.get(digits..) {
            Some(r) if digits > 0 && r.starts_with(['.', '、', ' ', '．']) => {
                (t.get(..digits).and_then(|n| n.parse().ok()), r.get(1..).or(Some(r)))
            }
            _ => (None, None),
        }
    };
    match (number, rest) {
        (Some(n), Some(r)) => (Some(n), r.trim()),
        _ => (None, t),
    }
}

/// Splits a `;`-separated list (either semicolon), dropping empty pieces.
fn split_list(s: &str) -> Vec<String> {
    s.split([';', '；']).map(collapse_ws).filter(|p| !p.is_empty()).collect()
}

/// Kind from a document-type value (`期刊`, `博士学位论文`, `会议论文`…).
fn kind_from_type(value: &str) -> Option<Kind> {
    let v = value.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| v.contains(w));
    Some(if has(&["学位论文", "硕士", "博士", "thesis", "dissertation"]) {
        Kind::Thesis
    } else if has(&["会议", "conference", "proceedings"]) {
        Kind::PaperConference
    } else if has(&["报纸", "newspaper"]) {
        Kind::ArticleNewspaper
    } else if has(&["专利", "patent"]) {
        Kind::Patent
    } else if has(&["标准", "standard"]) {
        Kind::Standard
    } else if has(&["图书", "专著", "book"]) {
        Kind::Book
    } else if has(&["报告", "report"]) {
        Kind::Report
    } else if has(&["期刊", "journal", "article"]) {
        Kind::ArticleJournal
    } else {
        return None;
    })
}

/// Language code from a `语种` value; other values are kept as printed.
fn language_code(value: &str) -> String {
    match value.trim().to_lowercase().as_str() {
        "中文" | "汉语" | "chinese" | "zh" => "zh".into(),
        "英文" | "英语" | "english" | "en" => "en".into(),
        "日文" | "日语" | "japanese" => "ja".into(),
        "德文" | "德语" | "german" => "de".into(),
        "法文" | "法语" | "french" => "fr".into(),
        "俄文" | "俄语" | "russian" => "ru".into(),
        _ => collapse_ws(value),
    }
}

/// Parses a CNKI-style page: the page's own record, then its related papers.
pub fn parse(src: &str) -> Parsed {
    let all = lines(src);
    let (preamble, sections) = sections(&all);
    let mut diagnostics = Vec::new();
    let mut rec = Record::new(Kind::ArticleJournal);
    let mut authors: Vec<(Person, Vec<u32>)> = Vec::new();
    let mut affiliations: Vec<(Option<u32>, String)> = Vec::new();
    read_preamble(&preamble, &mut rec, &mut authors, &mut affiliations, &mut diagnostics);

    let mut explicit_kind = None;
    let mut related = Vec::new();
    let mut event = false;
    for section in &sections {
        let value = if is_single_value(section.field) {
            section.values().first().map(|(_, v)| collapse_ws(v)).unwrap_or_default()
        } else {
            section.joined()
        };
        match section.field {
            Field::TimesCited => rec.push_extra("times-cited", &value),
            Field::Downloads => rec.push_extra("downloads", &value),
            Field::Authors => {
                let values = section.values();
                let inverted =
                    values.iter().any(|(_, v)| v.contains(',') && !v.chars().any(is_han));
                for (_, line) in values {
                    push_authors(line, &mut authors, inverted);
                }
            }
            Field::Affiliations => {
                let values: Vec<&str> = section.values().iter().map(|(_, v)| *v).collect();
                push_affiliations(&values, &mut affiliations);
            }
            Field::Funding => rec.push_extra("funding", &split_list(&value).join("; ")),
            Field::Keywords => {
                let joined: Vec<&str> = section.values().iter().map(|(_, v)| *v).collect();
                for k in split_list(&joined.join(";")) {
                    if !rec.keyword.contains(&k) {
                        rec.keyword.push(k);
                    }
                }
            }
            Field::Doi => match clean_doi(&value) {
                Some(doi) => rec.doi = Some(doi),
                None if value.is_empty() => {}
                None => {
                    diagnostics.push(Diagnostic::warning(section.at, "DOI not recognised"));
                    rec.push_extra("doi", &value);
                }
            },
            Field::Clc => rec.push_extra("clc", &split_list(&value).join("; ")),
            Field::SubjectCode => rec.push_extra("subject-code", &split_list(&value).join("; ")),
            Field::Abstract | Field::OtherAbstract => {
                let paragraphs: Vec<String> =
                    section.values().iter().map(|(_, v)| collapse_ws(v)).collect();
                let text = paragraphs.join("\n\n");
                if text.is_empty() {
                } else if rec.abstract_text.is_none() && section.field == Field::Abstract {
                    rec.abstract_text = Some(text);
                } else {
                    rec.push_extra("original-abstract", &text);
                }
            }
            Field::Pages => {
                // `Page: 10-16  Pages: 7`: a bare number after the range is the page count.
                let count = rec.page.is_some() && value.bytes().all(|b| b.is_ascii_digit());
                if count && rec.number_of_pages.is_none() {
                    Record::set(&mut rec.number_of_pages, &value);
                } else if !value.is_empty() {
                    rec.page = Some(normalize_pages(&value));
                }
            }
            Field::PageCount => Record::set(&mut rec.number_of_pages, &value),
            Field::Journal => read_source(&value, &mut rec),
            Field::Year => {
                if rec.issued.is_none() {
                    rec.issued = Date::parse(value.trim_end_matches('年'));
                }
            }
            Field::Volume => rec.volume = clean_number(&value).or(rec.volume.take()),
            Field::Issue => rec.issue = clean_number(&value).or(rec.issue.take()),
            Field::Date => rec.issued = date_value(&value).or(rec.issued.take()),
            Field::OnlineDate => rec.available_date = date_value(&value),
            Field::DocType => match kind_from_type(&value) {
                Some(kind) => explicit_kind = Some(kind),
                None => rec.push_extra("type", &value),
            },
            Field::Language => {
                if !value.is_empty() {
                    rec.language = Some(language_code(&value));
                }
            }
            Field::Issn => rec.issn.extend(value.split([';', ',']).filter_map(clean_issn)),
            Field::Isbn => rec.isbn.extend(value.split([';', ',']).filter_map(clean_isbn)),
            Field::Cn => rec.push_extra("cn", &value),
            Field::Publisher => Record::set(&mut rec.publisher, &value),
            Field::DegreeGrantor => {
                Record::set(&mut rec.publisher, &value);
                explicit_kind.get_or_insert(Kind::Thesis);
            }
            Field::Place => Record::set(&mut rec.publisher_place, &value),
            Field::Degree => {
                Record::set(&mut rec.genre, &value);
                explicit_kind.get_or_insert(Kind::Thesis);
            }
            Field::Supervisor => rec.push_extra("supervisor", &value),
            Field::EventTitle => {
                Record::set(&mut rec.event_title, &value);
                event = true;
            }
            Field::EventDate => rec.event_date = date_value(&value),
            Field::EventPlace => Record::set(&mut rec.event_place, &value),
            Field::Organizer => rec.push_extra("organizer", &value),
            Field::Proceedings => {
                Record::set(&mut rec.container_title, &value);
                event = true;
            }
            Field::OtherTitle => Record::set(&mut rec.original_title, &value),
            Field::Album => rec.push_extra("album", &value),
            Field::Topic => rec.push_extra("topic", &value),
            Field::Related(relation) => related.push((relation, section)),
            Field::Noise => {}
        }
        // Single-value labels own no further lines; anything more is unplaced.
        if is_single_value(section.field) {
            // A button label (`引用`) owns no line; a label of no bibliographic value
            // (`大小：1465K`, `正文快照：…`) owns its inline value.
            let owned = if section.field == Field::Noise {
                usize::from(!section.inline.is_empty())
            } else {
                1
            };
            for (offset, text) in section.values().iter().skip(owned) {
                let msg = format!("line not placed: {}", excerpt(text));
                diagnostics.push(Diagnostic::warning(*offset, msg));
            }
        }
    }
    if let Some(kind) = explicit_kind {
        rec.kind = kind;
    } else if event {
        rec.kind = Kind::PaperConference;
    }
    link_affiliations(&mut rec, authors, affiliations);
    if rec.language.is_none() {
        let text = rec.title.as_deref().or(rec.abstract_text.as_deref()).unwrap_or("");
        rec.language = guess_language(text).map(str::to_owned);
    }

    let page_title = rec.title.clone().unwrap_or_default();
    let mut records = vec![rec];
    for (relation, section) in related {
        records.extend(read_related(section, relation, &page_title, &mut diagnostics));
    }
    Parsed { records, diagnostics }
}

/// A date value, read without a time of day or a note after it (`2022-02-15 10:33:21`,
/// `2022-02-15（网络首发）`).
fn date_value(value: &str) -> Option<Date> {
    let whole = Date::parse(value);
    if whole.as_ref().is_some_and(Date::has_parts) {
        return whole;
    }
    let day = value.split(|c: char| c.is_whitespace() || matches!(c, '(' | '（')).next()?;
    Date::parse(day).filter(Date::has_parts).or(whole)
}

/// Labels whose value is one line; further lines in their section are not theirs.
fn is_single_value(field: Field) -> bool {
    matches!(
        field,
        Field::TimesCited
            | Field::Downloads
            | Field::Doi
            | Field::Pages
            | Field::PageCount
            | Field::Year
            | Field::Volume
            | Field::Issue
            | Field::Date
            | Field::OnlineDate
            | Field::Language
            | Field::Noise
    )
}

/// The first 60 characters of a line, for messages.
fn excerpt(text: &str) -> String {
    let t: String = text.chars().take(60).collect();
    if t.len() < text.len() { format!("{t}…") } else { t }
}

/// Authors, Chinese or `Family, Given`, with their affiliation numbers; one per line, or
/// several on a line separated by `;` or by spaces (Chinese names, romanised names with
/// their numbers). `inverted`: the list writes persons `Family, Given`, so a Latin name
/// without a comma is a group (`Skill Mix Res Grp`), unless it is a romanised Chinese name
/// with its family name in capitals.
fn push_authors(line: &str, authors: &mut Vec<(Person, Vec<u32>)>, inverted: bool) {
    let entries = space_separated_names(line)
        .or_else(|| spaced_latin_names(line))
        .unwrap_or_else(|| line.split([';', '；']).collect());
    for entry in entries.into_iter().filter(|e| !e.trim().is_empty()) {
        let (name, numbers) = author_entry(entry);
        let latin = !name.contains(',') && !name.chars().any(is_han);
        let person = match pinyin_person(&name).filter(|_| latin) {
            Some(person) => person,
            None if latin && inverted => Person::literal(&name),
            None => Person::parse(&name),
        };
        if !person.is_empty() {
            authors.push((person, numbers));
        }
    }
}

/// Affiliation lines: `[1] …`, `1.… 2.…` on one line, or one unnumbered `A;B` line.
fn push_affiliations(lines: &[&str], affiliations: &mut Vec<(Option<u32>, String)>) {
    let values: Vec<&str> = lines.iter().flat_map(|v| split_numbered(v)).collect();
    for line in &values {
        let (number, text) = affiliation_entry(line);
        // One unnumbered line listing several institutions: `A;B`.
        if number.is_none() && values.len() == 1 && text.contains([';', '；']) {
            affiliations.extend(split_list(text).into_iter().map(|a| (None, a)));
        } else if !text.is_empty() {
            affiliations.push((number, collapse_ws(text)));
        }
    }
}

/// Title, English title, journal header, and the unlabelled author and affiliation lines
/// some pages show under the title (`欧阳志远1 司马晓东2`, `1.北京大学… 2.清华大学…`).
fn read_preamble(
    preamble: &[Line<'_>],
    rec: &mut Record,
    authors: &mut Vec<(Person, Vec<u32>)>,
    affiliations: &mut Vec<(Option<u32>, String)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut rest: Vec<(usize, &str)> =
        preamble.iter().filter(|l| !is_noise(l.text)).map(|l| (l.offset, l.trimmed())).collect();
    // The journal header: `中国卫生政策研究` then `2021年14卷06期` (or both on one line).
    let header = rest.iter().enumerate().find_map(|(i, (_, t))| Some((i, journal_header(t)?)));
    // Where the lines after the journal header start.
    let mut after_header = 0;
    if let Some((i, (journal, (year, volume, issue)))) = header {
        rec.issued = Date::parse(year);
        rec.volume = volume.and_then(clean_number);
        rec.issue = issue.and_then(clean_number);
        if !journal.is_empty() {
            Record::set(&mut rec.container_title, journal);
            rest.remove(i);
            after_header = i;
        } else if i > 0 {
            Record::set(&mut rec.container_title, rest[i - 1].1);
            rest.drain(i - 1..=i);
            after_header = i - 1;
        } else {
            rest.remove(i);
        }
    }
    // The title: the line just above an author line (`欧阳志远1 司马晓东2`, or above the
    // English title there), else the first line after the journal header. Lines above it
    // are the site's chrome (navigation, index badges).
    let is_names = |t: &str| space_separated_names(t).is_some() || spaced_latin_names(t).is_some();
    let title_at = match rest.iter().position(|(_, t)| is_names(t)) {
        Some(a)
            if a >= 2
                && !rest[a - 1].1.chars().any(is_han)
                && rest[a - 2].1.chars().any(is_han) =>
        {
            a - 2
        }
        Some(a) if a >= 1 => a - 1,
        _ => after_header.min(rest.len()),
    };
    let (chrome, rest) = rest.split_at(title_at);
    for (offset, text) in chrome {
        let msg = format!("line above the title not placed: {}", excerpt(text));
        diagnostics.push(Diagnostic::warning(*offset, msg));
    }
    let mut rest = rest.iter().copied();
    if let Some((_, title)) = rest.next() {
        Record::set(&mut rec.title, title);
    }
    let title_zh = rec.title.as_deref().is_some_and(|t| t.chars().any(is_han));
    // What the previous line was: the title (or English title), an author line, other.
    let mut after_title = true;
    let mut after_authors = false;
    for (offset, text) in rest {
        let (was_title, was_authors) = (after_title, after_authors);
        (after_title, after_authors) = (false, false);
        // A Chinese title is followed by its English title.
        if title_zh && rec.original_title.is_none() && !text.chars().any(is_han) {
            Record::set(&mut rec.original_title, text);
            after_title = true;
        } else if authors.is_empty() && (is_names(text) || was_title && single_name(text)) {
            push_authors(text, authors, false);
            after_authors = true;
        } else if !authors.is_empty() && affiliation_entry(text).0.is_some() {
            push_affiliations(&[text], affiliations);
        } else if was_authors && affiliations.is_empty() {
            // The institution line right under the authors (a thesis page: the university).
            push_affiliations(&[text], affiliations);
        } else {
            let msg = format!("line not placed: {}", excerpt(text));
            diagnostics.push(Diagnostic::warning(offset, msg));
        }
    }
}

/// A `刊名`/`来源` value: a plain journal name, `中国卫生政策研究 2021年06期`, or a
/// GB/T-style source `中国卫生政策研究, 2021, 14(06): 1-8`.
fn read_source(value: &str, rec: &mut Record) {
    if let Some((journal, (year, volume, issue))) = journal_header(value) {
        Record::set(&mut rec.container_title, journal);
        rec.issued = rec.issued.take().or_else(|| Date::parse(year));
        rec.volume = rec.volume.take().or_else(|| volume.and_then(clean_number));
        rec.issue = rec.issue.take().or_else(|| issue.and_then(clean_number));
        return;
    }
    let mut source = Record::new(rec.kind);
    if read_gbt_tail(value, Kind::ArticleJournal, &mut source) && source.issued.is_some() {
        rec.container_title = source.container_title.or(rec.container_title.take());
        rec.issued = rec.issued.take().or(source.issued);
        rec.volume = rec.volume.take().or(source.volume);
        rec.issue = rec.issue.take().or(source.issue);
        rec.page = rec.page.take().or(source.page);
    } else {
        Record::set(&mut rec.container_title, value);
    }
}

/// Gives each author the affiliations their bracket numbers point at; affiliations no
/// author points at are kept in `extra`.
fn link_affiliations(
    rec: &mut Record,
    authors: Vec<(Person, Vec<u32>)>,
    affiliations: Vec<(Option<u32>, String)>,
) {
    let any_numbers = authors.iter().any(|(_, n)| !n.is_empty());
    let numbered: Vec<(u32, &str)> = affiliations
        .iter()
        .enumerate()
        .map(|(i, (n, a))| (n.unwrap_or(i as u32 + 1), a.as_str()))
        .collect();
    let mut used = vec![false; affiliations.len()];
    for (mut person, numbers) in authors {
        if any_numbers {
            for n in numbers {
                if let Some(i) = numbered.iter().position(|(m, _)| *m == n) {
                    person.affiliation.push(numbered[i].1.to_owned());
                    used[i] = true;
                }
            }
        } else if affiliations.len() == 1 {
            // One institution and no numbers: it is every author's.
            person.affiliation.push(affiliations[0].1.clone());
            used[0] = true;
        }
        rec.author.push(person);
    }
    for (i, (_, a)) in affiliations.iter().enumerate() {
        if !used[i] {
            rec.push_extra("affiliation", a);
        }
    }
}

/// GB/T 7714 type codes and the kinds they stand for.
const TYPE_CODES: &[(&str, Kind)] = &[
    ("J", Kind::ArticleJournal),
    ("M", Kind::Book),
    ("C", Kind::PaperConference),
    ("D", Kind::Thesis),
    ("R", Kind::Report),
    ("N", Kind::ArticleNewspaper),
    ("P", Kind::Patent),
    ("S", Kind::Standard),
    ("A", Kind::Chapter),
    ("G", Kind::Book),
    ("Z", Kind::Document),
    ("DB", Kind::Dataset),
    ("CP", Kind::Software),
    ("EB", Kind::Webpage),
];

/// The kind a type code names: `J`, `EB/OL`, `J/OL`, `DB/OL`.
fn kind_from_code(code: &str) -> Option<Kind> {
    let base = code.split('/').next().unwrap_or(code);
    TYPE_CODES.iter().find(|(c, _)| *c == base).map(|&(_, k)| k)
}

/// Finds a GB/T type code `[J]` in a line: the text before it, the code, the text after.
fn split_type_code(line: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    while let Some(i) = line.get(from..)?.find('[') {
        let open = from + i;
        let after = line.get(open + 1..)?;
        if let Some(close) = after.find(']') {
            let code = after.get(..close)?;
            if kind_from_code(code).is_some()
                && code.chars().all(|c| c.is_ascii_uppercase() || c == '/')
            {
                return Some((line.get(..open)?, code, after.get(close + 1..)?));
            }
        }
        from = open + 1;
    }
    None
}

/// `• [3] Title`: the item number and the text after it.
fn related_item_start(line: &str) -> Option<(u32, &str)> {
    let t = line.trim_start().trim_start_matches(['•', '·', '●', '◆', '*', '-']).trim_start();
    let inner = t.strip_prefix('[')?;
    let close = inner.find(']')?;
    let n = inner.get(..close)?.trim().parse().ok()?;
    Some((n, inner.get(close + 1..)?.trim()))
}

/// True when a line reads as one person's name (`Checkland, Kath`, `Bevan, G`, `欧阳志远`).
fn looks_like_name(text: &str) -> bool {
    let t = text.trim();
    if t.chars().any(is_han) {
        let n = t.chars().filter(|c| !c.is_whitespace()).count();
        return n <= 6 && t.chars().all(|c| is_han(c) || c == '·' || c.is_whitespace());
    }
    match t.split_once(',') {
        Some((family, given)) => {
            let words = |s: &str| s.split_whitespace().count();
            !given.contains(',') && (1..=4).contains(&words(family)) && words(given) <= 4
        }
        None => false,
    }
}

/// The 相关论文 list: `• [n] Title`, author lines, then the `[J]. …` source line.
fn read_related(
    section: &Section<'_>,
    relation: &str,
    page_title: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let mut current: Option<(Record, bool)> = None; // (record, source line seen)
    let finish = |current: &mut Option<(Record, bool)>, out: &mut Vec<Record>| {
        if let Some((mut rec, _)) = current.take() {
            rec.language = rec.title.as_deref().and_then(guess_language).map(str::to_owned);
            if relation != "related" {
                rec.push_extra("relation", relation);
            }
            out.push(rec);
        }
    };
    for line in &section.lines {
        let text = line.trimmed();
        if is_noise(text) {
            continue;
        }
        if let Some((_, rest)) = related_item_start(text) {
            finish(&mut current, &mut out);
            let mut rec = Record::new(Kind::Document);
            rec.related_to = Some(page_title.to_owned());
            let seen = read_related_title(rest, line.offset, &mut rec, diagnostics);
            current = Some((rec, seen));
            continue;
        }
        let Some((rec, seen)) = current.as_mut() else {
            let msg = format!("line not placed: {}", excerpt(text));
            diagnostics.push(Diagnostic::warning(line.offset, msg));
            continue;
        };
        if let Some((before, code, tail)) = split_type_code(text).filter(|_| !*seen) {
            if !before.trim().is_empty() {
                // Title continued on the source line: `…title[J]. JOURNAL, 2017…`.
                let title = format!("{} {}", rec.title.as_deref().unwrap_or(""), before);
                Record::set(&mut rec.title, &title);
            }
            apply_source(code, tail, rec, line.offset, diagnostics);
            *seen = true;
        } else if !*seen && looks_like_name(text) {
            for entry in text.split([';', '；']) {
                let person = Person::parse(entry);
                if !person.is_empty() {
                    rec.author.push(person);
                }
            }
        } else if !*seen && rec.author.is_empty() {
            // The title wrapped onto a second line.
            let title = format!("{} {}", rec.title.as_deref().unwrap_or(""), text);
            Record::set(&mut rec.title, &title);
        } else {
            let msg = format!("line not placed: {}", excerpt(text));
            diagnostics.push(Diagnostic::warning(line.offset, msg));
        }
    }
    finish(&mut current, &mut out);
    out
}

/// The text after `[n]`: a title, or a whole GB/T reference on one line
/// (`张三, 李四. 标题[J]. 期刊, 2020, 1(2): 3-4.`, `李华,欧阳明.标题[J].期刊,2020…`).
/// Returns true when the source part was on this line.
fn read_related_title(
    text: &str,
    offset: usize,
    rec: &mut Record,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let Some((before, code, tail)) = split_type_code(text) else {
        Record::set(&mut rec.title, text);
        return false;
    };
    let mut title = before.trim();
    if let Some((names, rest)) = split_author_prefix(title) {
        for name in names.split([',', '，']).map(str::trim).filter(|n| !n.is_empty()) {
            if matches!(name.to_lowercase().as_str(), "et al" | "等" | "et al.") {
                rec.push_extra("author-list", "et al.");
                continue;
            }
            let person = if name.chars().any(is_han) && name.chars().count() > 6 {
                Person::literal(name)
            } else if name.chars().any(is_han) {
                Person::parse(name)
            } else {
                Person::parse_initials_last(name)
            };
            rec.author.push(person);
        }
        title = rest;
    }
    Record::set(&mut rec.title, title);
    apply_source(code, tail, rec, offset, diagnostics);
    true
}

/// Splits `张三, 李四. 标题` (or `Regmi K., Mudyarabikwa O. A systematic review`) at the
/// period that ends a list of short names: the names and the title.
fn split_author_prefix(text: &str) -> Option<(&str, &str)> {
    // GB/T writes names as `张三` or `MCDERMOTT I` / `Regmi K`: family name then initials.
    let name_like = |n: &str| {
        let n = n.trim();
        if matches!(n.to_lowercase().as_str(), "et al" | "et al." | "等") {
            return true;
        }
        if n.chars().any(is_han) {
            // Up to six characters a person, longer an organisation (`国家卫生健康委员会`).
            return (2..=20).contains(&n.chars().count())
                && n.chars().all(|c| is_han(c) || c == '·');
        }
        let words: Vec<&str> = n.split_whitespace().collect();
        let capital = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
        (2..=4).contains(&words.len())
            && words.iter().all(capital)
            && words.last().is_some_and(|w| {
                w.chars().count() <= 4
                    && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '-')
            })
    };
    for (i, c) in text.char_indices().filter(|(_, c)| matches!(c, '.' | '．')) {
        let names = text.get(..i)?;
        let rest = text.get(i + c.len_utf8()..)?.trim();
        if rest.is_empty() || rest.starts_with([',', '，']) {
            continue;
        }
        if names.split([',', '，']).all(name_like) {
            return Some((names, rest));
        }
        // Once the text before the period is no longer a list of names, nothing later is.
        if names.split([',', '，']).next_back().is_some_and(|n| !name_like(n)) {
            return None;
        }
    }
    None
}

/// Applies a type code and the GB/T source text after it to a related record.
fn apply_source(
    code: &str,
    tail: &str,
    rec: &mut Record,
    offset: usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    rec.kind = kind_from_code(code).unwrap_or(Kind::Document);
    if rec.kind == Kind::Document {
        rec.push_extra("type-code", code);
    }
    if !read_gbt_tail(tail, rec.kind, rec) {
        let msg = format!("source not understood: {}", excerpt(tail));
        diagnostics.push(Diagnostic::warning(offset, msg));
        rec.push_extra("source", &collapse_ws(tail.trim_start_matches(['.', ' '])));
    }
}

/// Reads the GB/T 7714 text after the type code into `rec`:
/// - journal-like: `. JOURNAL, 2017, 22 (01) : 4 - 11`, `. BMJ OPEN, 2013, 3 (12):`,
///   `. PUBLIC HEALTH, 2020, 186 : 271 - 282`, `. 期刊, 2021(06): 1-8`;
/// - book-like: `. 北京: 人民卫生出版社, 2015: 12-20` (place: publisher, year: pages);
/// - proceedings: `//会议录. 北京: 出版社, 2015: 1-5`;
/// - online: `. (2020-05-01)[2021-01-01]. https://…`.
///
/// Returns false when nothing could be read.
fn read_gbt_tail(tail: &str, kind: Kind, rec: &mut Record) -> bool {
    let tail = collapse_ws(tail);
    let mut tail = tail.trim_start_matches(['.', ' ', '．']).trim_end_matches(['.', ' ']);
    if tail.is_empty() {
        return true;
    }
    if let Some(url_at) = tail.find("http") {
        Record::set(&mut rec.url, tail.get(url_at..).unwrap_or(""));
        tail = tail.get(..url_at).unwrap_or("").trim_end_matches(['.', ' ']);
    }
    if let Some(rest) = tail.strip_prefix("//") {
        // Proceedings: `//Book title. Place: Publisher, Year: pages`.
        let (book, rest) = rest.split_once(". ").unwrap_or((rest, ""));
        Record::set(&mut rec.container_title, book);
        return read_place_publisher(rest, rec) || rec.container_title.is_some();
    }
    // Online dates: `(2020-05-01)[2021-01-01]`.
    if kind == Kind::Webpage || tail.starts_with('(') {
        let mut read = false;
        if let Some(inner) = bracketed(tail, '(', ')') {
            rec.issued = Date::parse(inner);
            read = true;
        }
        if let Some(inner) = bracketed(tail, '[', ']') {
            rec.accessed = Date::parse(inner);
            read = true;
        }
        let before = tail.split(['(', '[']).next().unwrap_or("").trim_end_matches([',', ' ']);
        Record::set(&mut rec.publisher, before);
        return read || rec.url.is_some() || rec.publisher.is_some();
    }
    let first = tail.split(',').next().unwrap_or(tail);
    if first.contains([':', '：']) && matches!(kind, Kind::Book | Kind::Thesis | Kind::Report)
        || matches!(kind, Kind::Standard | Kind::Chapter) && first.contains([':', '：'])
    {
        return read_place_publisher(tail, rec);
    }
    if kind == Kind::Patent {
        let (number, date) = tail.split_once([',', '.']).unwrap_or((tail, ""));
        Record::set(&mut rec.number, number);
        rec.issued = Date::parse(date);
        return true;
    }
    let Some((name, year, after)) = split_at_year(tail) else {
        return false;
    };
    let name = name.trim().trim_end_matches(',').trim();
    match kind {
        Kind::Book | Kind::Thesis | Kind::Report | Kind::Standard => {
            Record::set(&mut rec.publisher, name)
        }
        _ => Record::set(&mut rec.container_title, name),
    }
    rec.issued = Date::parse(year);
    read_volume_issue_pages(after, kind, rec);
    true
}

/// The text between the first `open` and the next `close`.
fn bracketed(s: &str, open: char, close: char) -> Option<&str> {
    let (_, rest) = s.split_once(open)?;
    let (inner, _) = rest.split_once(close)?;
    Some(inner.trim())
}

/// `Place: Publisher, Year: pages` (books, theses, reports).
fn read_place_publisher(s: &str, rec: &mut Record) -> bool {
    let (head, year, after) = match split_at_year(s) {
        Some(parts) => parts,
        None => (s, "", ""),
    };
    let head = head.trim().trim_end_matches(',').trim();
    match head.split_once([':', '：']) {
        Some((place, publisher)) => {
            Record::set(&mut rec.publisher_place, place);
            Record::set(&mut rec.publisher, publisher);
        }
        None => Record::set(&mut rec.publisher, head),
    }
    rec.issued = Date::parse(year);
    let pages = after.trim().trim_start_matches([':', '：', ' ']);
    if !pages.is_empty() {
        rec.page = Some(normalize_pages(pages));
    }
    !head.is_empty() || !year.is_empty()
}

/// Splits `NAME, 2017, rest` (or `NAME, 2021(06): 1-8`, `NAME, 2020-05-01(005)`) at the
/// first comma followed by a four-digit year: the name, the date text, and what follows it.
fn split_at_year(s: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    while let Some(i) = s.get(from..)?.find([',', '，']) {
        let comma = from + i;
        let comma_len = s.get(comma..)?.chars().next()?.len_utf8();
        let rest = s.get(comma + comma_len..)?.trim_start();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 4 {
            let date_len = rest
                .bytes()
                .take_while(|b| b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.'))
                .count();
            let date = rest.get(..date_len)?.trim_end_matches(['.', '-', '/']);
            let after = rest.get(date.len()..)?;
            return Some((s.get(..comma)?, date, after));
        }
        from = comma + comma_len;
    }
    None
}

/// What follows the year: `, 22 (01) : 4 - 11`, `, 3 (12):`, `, 186 : 271 - 282`,
/// `, 334 (7583): : 22 - 24`, `(06): 1-8` (no volume), `(005)` (a newspaper's page).
fn read_volume_issue_pages(s: &str, kind: Kind, rec: &mut Record) {
    let s = s.trim_start_matches([',', '，', ' ']);
    let (volume, rest) = match s.find(['(', '（', ':', '：']) {
        Some(i) => (s.get(..i).unwrap_or(""), s.get(i..).unwrap_or("")),
        None => (s, ""),
    };
    rec.volume = clean_number(volume);
    let mut rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix(['(', '（']) {
        let close = r.find([')', '）']).unwrap_or(r.len());
        let issue = r.get(..close).unwrap_or("");
        if kind == Kind::ArticleNewspaper {
            rec.page = clean_number(issue);
        } else {
            rec.issue = clean_number(issue);
        }
        rest = r.get(close..).unwrap_or("").trim_start_matches([')', '）']);
    }
    let pages = rest.trim_start_matches([':', '：', ' ']).trim();
    if !pages.is_empty() {
        rec.page = Some(normalize_pages(pages));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (source text after the type code, container, year, volume, issue, pages)
    type Case = (&'static str, &'static str, i32, Opt, Opt, Opt);
    type Opt = Option<&'static str>;

    const SOURCES: &[Case] = &[
        (
            ". JOURNAL OF HEALTH SERVICES RESEARCH & POLICY, 2017, 22 (01) : 4 - 11",
            "JOURNAL OF HEALTH SERVICES RESEARCH & POLICY",
            2017,
            Some("22"),
            Some("1"),
            Some("4-11"),
        ),
        (". BMJ OPEN, 2013, 3 (12):", "BMJ OPEN", 2013, Some("3"), Some("12"), None),
        (
            ". BRITISH MEDICAL JOURNAL, 2007, 334 (7583): : 22 - 24",
            "BRITISH MEDICAL JOURNAL",
            2007,
            Some("334"),
            Some("7583"),
            Some("22-24"),
        ),
        (
            ". PUBLIC HEALTH, 2020, 186 : 271 - 282",
            "PUBLIC HEALTH",
            2020,
            Some("186"),
            None,
            Some("271-282"),
        ),
        (
            ". BMJ-BRITISH MEDICAL JOURNAL, 2006, 332 (7538): : 419 - 422B",
            "BMJ-BRITISH MEDICAL JOURNAL",
            2006,
            Some("332"),
            Some("7538"),
            Some("419-422B"),
        ),
        (
            ". 中国卫生政策研究, 2021, 14(06): 1-8.",
            "中国卫生政策研究",
            2021,
            Some("14"),
            Some("6"),
            Some("1-8"),
        ),
        (
            ". 中国全科医学, 2020(12): 1500-1505",
            "中国全科医学",
            2020,
            None,
            Some("12"),
            Some("1500-1505"),
        ),
    ];

    #[test]
    fn gbt_journal_sources() {
        for &(tail, container, year, volume, issue, pages) in SOURCES {
            let mut rec = Record::new(Kind::ArticleJournal);
            assert!(read_gbt_tail(tail, Kind::ArticleJournal, &mut rec), "{tail}");
            assert_eq!(rec.container_title.as_deref(), Some(container), "{tail}");
            assert_eq!(rec.year(), Some(year), "{tail}");
            assert_eq!(rec.volume.as_deref(), volume, "{tail}");
            assert_eq!(rec.issue.as_deref(), issue, "{tail}");
            assert_eq!(rec.page.as_deref(), pages, "{tail}");
        }
    }

    #[test]
    fn gbt_book_and_online_sources() {
        let mut rec = Record::new(Kind::Book);
        assert!(read_gbt_tail(". 北京: 人民卫生出版社, 2015: 12-20", Kind::Book, &mut rec));
        assert_eq!(rec.publisher_place.as_deref(), Some("北京"));
        assert_eq!(rec.publisher.as_deref(), Some("人民卫生出版社"));
        assert_eq!(rec.year(), Some(2015));
        assert_eq!(rec.page.as_deref(), Some("12-20"));

        let mut rec = Record::new(Kind::Thesis);
        assert!(read_gbt_tail(". 北京大学, 2019", Kind::Thesis, &mut rec));
        assert_eq!(rec.publisher.as_deref(), Some("北京大学"));

        let mut rec = Record::new(Kind::Webpage);
        let tail = ". (2020-05-01)[2021-01-02]. https://www.nhc.gov.cn/a.html";
        assert!(read_gbt_tail(tail, Kind::Webpage, &mut rec));
        assert_eq!(rec.url.as_deref(), Some("https://www.nhc.gov.cn/a.html"));
        assert_eq!(rec.issued.and_then(|d| d.to_edtf()).as_deref(), Some("2020-05-01"));
        assert_eq!(rec.accessed.and_then(|d| d.to_edtf()).as_deref(), Some("2021-01-02"));

        let mut rec = Record::new(Kind::PaperConference);
        assert!(read_gbt_tail("//第十届全国会议论文集. 北京: 学会, 2018: 5-9", rec.kind, &mut rec));
        assert_eq!(rec.container_title.as_deref(), Some("第十届全国会议论文集"));
        assert_eq!(rec.page.as_deref(), Some("5-9"));
    }

    #[test]
    fn labels() {
        assert_eq!(label("D O I"), Some((Field::Doi, "")));
        assert_eq!(label("被引:3"), Some((Field::TimesCited, "3")));
        assert_eq!(label("页码：49 / 56"), Some((Field::Pages, "49 / 56")));
        assert_eq!(label("摘要："), Some((Field::Abstract, "")));
        assert_eq!(label("Objectives The Health and Social Care Act"), None);
        assert_eq!(label("Enacting policy: the governing assemblage"), None);
        assert_eq!(
            label("D O I 10.1177/1355819617739039"),
            Some((Field::Doi, "10.1177/1355819617739039"))
        );
        assert_eq!(label("Classification Code: R197"), Some((Field::Clc, "R197")));
    }

    #[test]
    fn author_entries() {
        assert_eq!(author_entry("Hammond, Jonathan [1 ]"), ("Hammond, Jonathan".into(), vec![1]));
        assert_eq!(author_entry("欧阳志远 [1,3 ]"), ("欧阳志远".into(), vec![1, 3]));
        assert_eq!(author_entry("王小明 [1 ][2 ]"), ("王小明".into(), vec![1, 2]));
        assert_eq!(author_entry("王小明1,2"), ("王小明".into(), vec![1, 2]));
        assert_eq!(author_entry("李华*"), ("李华".into(), vec![]));
        assert_eq!(author_entry("Bevan, G"), ("Bevan, G".into(), vec![]));
        // Copies keep no-break spaces inside the brackets.
        assert_eq!(
            author_entry("Spooner, Sharon\u{a0}[2\u{a0},3\u{a0}]"),
            ("Spooner, Sharon".into(), vec![2, 3])
        );
        assert_eq!(author_entry("ZHANG Wei1,2"), ("ZHANG Wei".into(), vec![1, 2]));
    }

    #[test]
    fn english_abstract_ends_at_keywords() {
        let page = "A title\nAuthors\nRoe, Ann\nAbstract\nBackground text.\nSource: interviews were analysed.\nKeywords: care; policy\nCLC\nR19\n";
        let rec = &parse(page).records[0];
        assert_eq!(
            rec.abstract_text.as_deref(),
            Some("Background text.\n\nSource: interviews were analysed.")
        );
        assert_eq!(rec.keyword, ["care", "policy"]);
    }

    #[test]
    fn one_line_lists() {
        assert_eq!(
            space_separated_names("欧阳志远1 司马晓东2 王小明1,2"),
            Some(vec!["欧阳志远1", "司马晓东2", "王小明1,2"])
        );
        assert_eq!(space_separated_names("欧阳志远 [1 ]"), None);
        assert_eq!(space_separated_names("Hammond, Jonathan"), None);
        assert_eq!(
            split_numbered("1.北京大学公共卫生学院 2.清华大学医院管理研究院"),
            vec!["1.北京大学公共卫生学院", "2.清华大学医院管理研究院"]
        );
        assert_eq!(
            split_numbered("[1] Univ Manchester, Oxford Rd"),
            vec!["[1] Univ Manchester, Oxford Rd"]
        );
    }

    #[test]
    fn affiliation_entries() {
        assert_eq!(affiliation_entry("[1] Univ Manchester"), (Some(1), "Univ Manchester"));
        assert_eq!(affiliation_entry("2. 北京大学公共卫生学院"), (Some(2), "北京大学公共卫生学院"));
        assert_eq!(affiliation_entry("(3)清华大学"), (Some(3), "清华大学"));
        assert_eq!(affiliation_entry("北京大学"), (None, "北京大学"));
    }

    #[test]
    fn journal_headers() {
        assert_eq!(journal_header("2021年14卷06期"), Some(("", ("2021", Some("14"), Some("06")))));
        assert_eq!(
            journal_header("中国卫生政策研究 2021年第6期"),
            Some(("中国卫生政策研究", ("2021", None, Some("6"))))
        );
        assert_eq!(journal_header("2021年"), None);
        assert_eq!(journal_header("成立于2021年的机构"), None);
        assert_eq!(
            journal_header("中国全科医学. 2022,25(16)"),
            Some(("中国全科医学", ("2022", Some("25"), Some("16"))))
        );
        assert_eq!(
            journal_header("Chinese Journal of Health Policy . 2021 ,14 (06)"),
            Some(("Chinese Journal of Health Policy", ("2021", Some("14"), Some("06"))))
        );
        assert_eq!(
            journal_header("《中国卫生政策研究》2021年06期"),
            Some(("中国卫生政策研究", ("2021", None, Some("06"))))
        );
        // A title that ends in a year and a number is not a header.
        assert_eq!(journal_header("Outcomes of the reform 2019(3)"), None);
    }

    #[test]
    fn page_bars_and_bracket_labels() {
        let run = label_run("下载：1234  页码：1967-1973  页数：7  大小：1465K").unwrap();
        let fields: Vec<Field> = run.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, [Field::Downloads, Field::Pages, Field::PageCount, Field::Noise]);
        assert_eq!(run[1].1, "1967-1973");
        assert_eq!(
            label_run("Download:\u{a0}356\u{a0}\u{a0}Page:\u{a0}10-16").map(|r| r.len()),
            Some(2)
        );
        // Prose with colons is not a bar.
        assert_eq!(label_run("Objective: to compare groups. Methods: a survey"), None);
        assert_eq!(label_run("页码:49 / 56"), None);
        assert_eq!(label("【作者】 刘洋;  上官婉清;"), Some((Field::Authors, "刘洋;  上官婉清;")));
        assert_eq!(label("【DOI】 10.1/x"), Some((Field::Doi, "10.1/x")));
        assert!(matches("【作者】 刘洋;\n【摘要】 目的……\n"));
        assert!(is_badge_line("北大核心CSCD") && is_badge_line("北大核心 CSSCI"));
        assert!(!is_badge_line("CA125 检测"));
        let d = date_value("2022-02-15 10:33:21").unwrap();
        assert_eq!((d.year, d.month, d.day), (Some(2022), Some(2), Some(15)));
    }

    #[test]
    fn romanised_names() {
        assert_eq!(
            spaced_latin_names("ZHANG Wei1\u{a0}\u{a0}LI Xiaoming1,2"),
            Some(vec!["ZHANG Wei1", "LI Xiaoming1,2"])
        );
        // A title has no affiliation numbers.
        assert_eq!(spaced_latin_names("Effect of contract services"), None);
        let p = pinyin_person("OUYANG Hong").unwrap();
        assert_eq!((p.family.as_deref(), p.given.as_deref()), (Some("OUYANG"), Some("Hong")));
        let p = pinyin_person("Hong OUYANG").unwrap();
        assert_eq!(p.family.as_deref(), Some("OUYANG"));
        assert!(pinyin_person("Skill Mix Res Grp").is_none());
        assert!(pinyin_person("WHO").is_none());
        assert!(single_name("李晓明") && single_name("上官婉清1"));
        assert!(!single_name("首都医科大学") && !single_name("手机阅读"));
    }

    #[test]
    fn author_prefixes() {
        assert_eq!(
            split_author_prefix("李华,欧阳明.家庭医生签约服务"),
            Some(("李华,欧阳明", "家庭医生签约服务"))
        );
        assert_eq!(
            split_author_prefix("Regmi K., Mudyarabikwa O. A systematic review"),
            Some(("Regmi K., Mudyarabikwa O", "A systematic review"))
        );
        assert_eq!(
            split_author_prefix("MCDERMOTT I, CHECKLAND K, et al. Engaging GPs"),
            Some(("MCDERMOTT I, CHECKLAND K, et al", "Engaging GPs"))
        );
        assert_eq!(split_author_prefix("Health policy. A new look at NHS commissioning"), None);
        assert_eq!(split_author_prefix("Targets in the U.S. NHS? A review"), None);
        assert_eq!(
            split_author_prefix("A systematic review of the factors affecting policy"),
            None
        );
    }

    #[test]
    fn one_line_references() {
        let mut rec = Record::default();
        let line = "李华,欧阳明.家庭医生签约服务的影响[J].中国全科医学,2020,23(12):1500-1505.";
        assert!(read_related_title(line, 0, &mut rec, &mut Vec::new()));
        assert_eq!(rec.title.as_deref(), Some("家庭医生签约服务的影响"));
        assert_eq!(rec.author.len(), 2);
        assert_eq!(rec.author[1].family.as_deref(), Some("欧阳"));
        assert_eq!(rec.container_title.as_deref(), Some("中国全科医学"));
        assert_eq!(rec.page.as_deref(), Some("1500-1505"));
    }

    #[test]
    fn type_codes() {
        assert_eq!(split_type_code("[J]. BMJ OPEN, 2013"), Some(("", "J", ". BMJ OPEN, 2013")));
        assert_eq!(split_type_code("标题[EB/OL]. (2020)"), Some(("标题", "EB/OL", ". (2020)")));
        assert_eq!(split_type_code("Hammond, Jonathan [1 ]"), None);
    }

    #[test]
    fn detection() {
        assert!(matches("Title\n作者\nA, B [1 ]\n机构\n[1] X\n"));
        assert!(matches("题名\n作者：张三\n摘要：本文\n"));
        assert!(!matches("TY  - JOUR\nER  - \n"));
        assert!(!matches(
            "1.\nBMJ Open ; 6(1): e1, 2016.\nArticle in English | MEDLINE | ID: mdl-1\n"
        ));
        assert!(!matches("作者 is a word\nsome text"));
        assert!(matches("Title\nAuthors\nA, B\nKeywords\nx;\nCLC\nR19\n"));
        assert!(!matches("Title\nAbstract\ntext\nKeywords\nx\nCitation\n"));
    }
}

#[cfg(test)]
mod seed_tests {
    /// Every prefix of the seed (cut at character boundaries) parses without panicking.
    #[test]
    fn truncated_seed_never_panics() {
        let seed = include_str!("../../seeds/000_03074430344a2eb4.txt");
        for (i, _) in seed.char_indices().step_by(11) {
            let _ = super::parse(&seed[..i]);
        }
    }

    #[test]
    fn seed_page_places_every_line() {
        let parsed = super::parse(include_str!("../../seeds/000_03074430344a2eb4.txt"));
        assert_eq!(parsed.diagnostics, vec![]);
        assert_eq!(parsed.records.len(), 11);
    }
}
