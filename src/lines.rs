//! Stage 1: split the text into lines and classify each one.
//!
//! This stage never fails: a line that is not an outline marker, a
//! responsibility label or blank is [`LineKind::Text`].

use crate::model::MarkerStyle;
use crate::span::Span;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while_m_n};
use nom::character::complete::{char, satisfy};
use nom::combinator::{map, map_opt, not, peek};
use nom::{IResult, Parser};
use regex::Regex;
use std::sync::LazyLock;

/// One line of the text, trimmed of surrounding whitespace.
#[derive(Clone, Debug)]
pub(crate) struct Line<'a> {
    /// The trimmed content.
    pub text: &'a str,
    /// Where the trimmed content is; for a blank line, an empty span at the
    /// line's start.
    pub span: Span,
    /// The whole line without its line break, leading and trailing
    /// whitespace included (tables and indentation need it).
    pub raw: Span,
    /// What the line is.
    pub kind: LineKind,
}

/// What a line is, as far as one line can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Nothing but whitespace.
    Blank,
    /// Starts with an outline marker. `len` is the marker's byte length.
    Marker {
        style: MarkerStyle,
        number: u32,
        len: usize,
    },
    /// Starts with a responsibility label such as `责任单位：`.
    Label,
    /// Anything else.
    Text,
    /// Not part of the document: a page number, a running head, site
    /// navigation (set by the layout stage).
    Furniture(crate::model::FurnitureKind),
}

/// Whitespace as it appears in these texts: ASCII, U+3000 ideographic
/// space, NBSP, BOM and zero-width space.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// Trims [`is_space`] characters off both ends of `s[span]` and returns the
/// narrower span.
pub(crate) fn trim_span(source: &str, span: Span) -> Span {
    let s = &source[span.range()];
    let start = span.start + (s.len() - s.trim_start_matches(is_space).len());
    let end = span.start + s.trim_end_matches(is_space).len();
    if start >= end {
        Span::new(span.start, span.start)
    } else {
        Span::new(start, end)
    }
}

/// Splits `source` into classified lines. `\n`, `\r\n` and a lone `\r`
/// each end a line.
pub(crate) fn lines(source: &str) -> Vec<Line<'_>> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start <= bytes.len() {
        let rel = bytes[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r');
        let end = rel.map_or(bytes.len(), |r| start + r);
        let raw = Span::new(start, end);
        let span = trim_span(source, raw);
        let text = &source[span.range()];
        out.push(Line {
            text,
            span,
            raw,
            kind: classify(text),
        });
        match rel {
            None => break,
            Some(_) => {
                start = end + 1;
                if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    start += 1;
                }
            }
        }
    }
    if out.len() > 1 && out.last().is_some_and(|l| l.kind == LineKind::Blank) {
        // The final newline does not open another line.
        out.pop();
    }
    out
}

fn classify(text: &str) -> LineKind {
    if text.is_empty() {
        return LineKind::Blank;
    }
    if label_at_start(text).is_some() {
        return LineKind::Label;
    }
    match marker(text) {
        Some((style, number, len)) => LineKind::Marker { style, number, len },
        None => LineKind::Text,
    }
}

/// A responsibility label and what it says about the agencies after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LabelKind {
    /// `牵头单位` and the like.
    Lead,
    /// `责任单位` and the like.
    Responsible,
    /// `配合单位`, `参与单位` and the like.
    Cooperating,
    /// `完成时限` and the like: a deadline, not agencies.
    Deadline,
}

/// The labels, each with its kind. Spaces between the characters are
/// allowed when matching (`责 任 单 位` in text taken from PDFs).
const LABELS: &[(&str, LabelKind)] = &[
    ("牵头单位", LabelKind::Lead),
    ("牵头部门", LabelKind::Lead),
    ("主责单位", LabelKind::Lead),
    ("责任单位", LabelKind::Responsible),
    ("责任部门", LabelKind::Responsible),
    ("责任主体", LabelKind::Responsible),
    ("落实单位", LabelKind::Responsible),
    ("承办单位", LabelKind::Responsible),
    ("配合单位", LabelKind::Cooperating),
    ("配合部门", LabelKind::Cooperating),
    ("参与单位", LabelKind::Cooperating),
    ("参与部门", LabelKind::Cooperating),
    ("协办单位", LabelKind::Cooperating),
    ("协同单位", LabelKind::Cooperating),
    ("协作单位", LabelKind::Cooperating),
    ("完成时限", LabelKind::Deadline),
    ("完成时间", LabelKind::Deadline),
    ("时间节点", LabelKind::Deadline),
    ("时限要求", LabelKind::Deadline),
];

/// Any label followed by a colon, spaces allowed between its characters.
static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = LABELS
        .iter()
        .map(|(label, _)| {
            let chars: Vec<String> = label.chars().map(|c| c.to_string()).collect();
            format!("(?:{})", chars.join(r"[ \t\u{3000}]*"))
        })
        .collect();
    Regex::new(&format!(
        r"(?P<label>{})[ \t\u{{3000}}]*[:：]",
        alternatives.join("|")
    ))
    .expect("label regex is valid")
});

/// The kind of a label as matched (spaces removed before lookup).
pub(crate) fn label_kind(matched: &str) -> LabelKind {
    let compact: String = matched.chars().filter(|c| !is_space(*c)).collect();
    LABELS
        .iter()
        .find(|(label, _)| *label == compact)
        .map_or(LabelKind::Responsible, |(_, kind)| *kind)
}

/// A label found in a piece of text: its kind, the span of the label with
/// its colon, relative to the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LabelMatch {
    pub kind: LabelKind,
    pub start: usize,
    pub end: usize,
}

/// Every label in `text`, in order.
pub(crate) fn find_labels(text: &str) -> Vec<LabelMatch> {
    LABEL_RE
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let label = c.name("label")?;
            Some(LabelMatch {
                kind: label_kind(label.as_str()),
                start: whole.start(),
                end: whole.end(),
            })
        })
        .collect()
}

/// The label at the very start of `text`, if there is one (an opening
/// square bracket before it is allowed).
pub(crate) fn label_at_start(text: &str) -> Option<LabelMatch> {
    let lead = text.len() - text.trim_start_matches(['[', '【', '［']).len();
    // Every label starts with one of these: test it before the regex.
    let first = text[lead..].chars().next()?;
    if !LABELS.iter().any(|(label, _)| label.starts_with(first)) {
        return None;
    }
    let m = LABEL_RE.find(&text[lead..])?;
    if m.start() != 0 {
        return None;
    }
    find_labels(&text[lead..])
        .into_iter()
        .next()
        .map(|l| LabelMatch {
            start: l.start + lead,
            end: l.end + lead,
            ..l
        })
}

// ---- outline markers (nom) ----

type PResult<'a, T> = IResult<&'a str, T>;

fn is_chinese_digit(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
    )
}

/// The value of a small Chinese numeral such as 三, 十二, 二十三, 一百零五.
pub(crate) fn chinese_small_number(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    for c in s.chars() {
        let digit = match c {
            '〇' | '零' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        match (digit, c) {
            (Some(d), _) => {
                if current.is_some_and(|v| v != 0) {
                    return None; // two digits in a row: 二三 is not a number
                }
                current = Some(d);
            }
            (None, '十') => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            (None, '百') => {
                if total != 0 {
                    return None;
                }
                total += current.filter(|&v| v != 0)? * 100;
                current = None;
            }
            _ => return None,
        }
    }
    let value = total + current.unwrap_or(0);
    (value > 0).then_some(value)
}

fn chinese_number(input: &str) -> PResult<'_, u32> {
    map_opt(take_while_m_n(1, 6, is_chinese_digit), chinese_small_number).parse(input)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The value of ASCII or full-width digits.
pub(crate) fn digits_value(s: &str) -> Option<u32> {
    let mut value = 0u32;
    for c in s.chars() {
        let d = if c.is_ascii_digit() {
            c as u32 - '0' as u32
        } else if ('０'..='９').contains(&c) {
            c as u32 - '０' as u32
        } else {
            return None;
        };
        value = value.checked_mul(10)?.checked_add(d)?;
    }
    Some(value)
}

fn arabic_number(input: &str) -> PResult<'_, u32> {
    map_opt(take_while_m_n(1, 3, is_digit), digits_value).parse(input)
}

fn open_paren(input: &str) -> PResult<'_, char> {
    alt((char('（'), char('('))).parse(input)
}

fn close_paren(input: &str) -> PResult<'_, char> {
    alt((char('）'), char(')'))).parse(input)
}

fn not_digit_next(input: &str) -> PResult<'_, ()> {
    not(peek(satisfy(is_digit))).parse(input)
}

fn circled(input: &str) -> PResult<'_, u32> {
    map_opt(satisfy(|_| true), |c: char| match c {
        '\u{2460}'..='\u{2473}' => Some(c as u32 - 0x2460 + 1),
        '\u{3251}'..='\u{325f}' => Some(c as u32 - 0x3251 + 21),
        '\u{32b1}'..='\u{32bf}' => Some(c as u32 - 0x32b1 + 36),
        _ => None,
    })
    .parse(input)
}

fn ordinal(input: &str) -> PResult<'_, (MarkerStyle, u32)> {
    let (rest, _) = tag("第").parse(input)?;
    let (rest, n) = alt((chinese_number, arabic_number)).parse(rest)?;
    alt((
        map(char('章'), move |_| (MarkerStyle::Chapter, n)),
        map(char('节'), move |_| (MarkerStyle::Section, n)),
        map(char('条'), move |_| (MarkerStyle::Article, n)),
    ))
    .parse(rest)
}

fn marker_parser(input: &str) -> PResult<'_, (MarkerStyle, u32)> {
    alt((
        map((chinese_number, char('、')), |(n, _)| {
            (MarkerStyle::ChineseComma, n)
        }),
        map((open_paren, chinese_number, close_paren), |(_, n, _)| {
            (MarkerStyle::ParenChinese, n)
        }),
        map((open_paren, arabic_number, close_paren), |(_, n, _)| {
            (MarkerStyle::ParenArabic, n)
        }),
        map(
            (arabic_number, alt((char('.'), char('．'))), not_digit_next),
            |(n, _, _)| (MarkerStyle::ArabicDot, n),
        ),
        map((arabic_number, char('、')), |(n, _)| {
            (MarkerStyle::ArabicComma, n)
        }),
        map(circled, |n| (MarkerStyle::Circled, n)),
        ordinal,
        map((chinese_number, char('是')), |(n, _)| {
            (MarkerStyle::Inline, n)
        }),
    ))
    .parse(input)
}

/// The outline marker at the start of `text`: its style, number and byte
/// length.
pub(crate) fn marker(text: &str) -> Option<(MarkerStyle, u32, usize)> {
    let (rest, (style, number)) = marker_parser(text).ok()?;
    if number == 0 {
        return None;
    }
    if style == MarkerStyle::Inline && (rest.is_empty() || rest.contains("二是")) {
        // `一是…；二是…` on one line is a paragraph with inline items, not a
        // line-level marker.
        return None;
    }
    Some((style, number, text.len() - rest.len()))
}

/// True when `text` looks like an outline marker cut off before its end:
/// `（三`, `(12`, or a bare `12` / `十二` standing alone.
pub(crate) fn is_cut_marker(text: &str) -> bool {
    let body = text.trim_start_matches(['（', '(']);
    let opened = body.len() != text.len();
    !body.is_empty()
        && body.chars().count() <= 4
        && (body.chars().all(is_digit) || (opened && body.chars().all(is_chinese_digit)))
        && (opened || body.chars().all(is_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert_eq!(marker("四、卢山"), Some((MarkerStyle::ChineseComma, 4, 6)));
        assert_eq!(
            marker("（三）扩大"),
            Some((MarkerStyle::ParenChinese, 3, 9))
        );
        assert_eq!(
            marker("(二十三)x"),
            Some((MarkerStyle::ParenChinese, 23, 11))
        );
        assert_eq!(marker("12.推动"), Some((MarkerStyle::ArabicDot, 12, 3)));
        assert_eq!(marker("1．进一步"), Some((MarkerStyle::ArabicDot, 1, 4)));
        assert_eq!(marker("12、推动"), Some((MarkerStyle::ArabicComma, 12, 5)));
        assert_eq!(marker("（1）a"), Some((MarkerStyle::ParenArabic, 1, 7)));
        assert_eq!(marker("(10)a"), Some((MarkerStyle::ParenArabic, 10, 4)));
        assert_eq!(marker("①a"), Some((MarkerStyle::Circled, 1, 3)));
        assert_eq!(marker("⑳a"), Some((MarkerStyle::Circled, 20, 3)));
        assert_eq!(marker("第十二条 a"), Some((MarkerStyle::Article, 12, 12)));
        assert_eq!(marker("第3章"), Some((MarkerStyle::Chapter, 3, 7)));
        assert_eq!(marker("１２．x"), Some((MarkerStyle::ArabicDot, 12, 9)));
    }

    #[test]
    fn not_markers() {
        assert_eq!(marker("1.2万亿元"), None);
        assert_eq!(marker("2023年"), None);
        assert_eq!(marker("一是加强"), Some((MarkerStyle::Inline, 1, 6)));
        assert_eq!(marker("一是加强；二是推进"), None);
        assert_eq!(marker("（此件公开发布）"), None);
        assert_eq!(marker("二三、"), None);
        assert_eq!(marker("0.x"), None);
        assert_eq!(marker("1234.x"), None);
    }

    #[test]
    fn chinese_numbers() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十三", 23),
            ("一百", 100),
            ("一百零五", 105),
            ("一百二十", 120),
        ] {
            assert_eq!(chinese_small_number(s), Some(n), "{s}");
        }
        assert_eq!(chinese_small_number("二三"), None);
        assert_eq!(chinese_small_number("零"), None);
    }

    #[test]
    fn labels() {
        let l = label_at_start("责任单位:省经信厅").unwrap();
        assert_eq!(l.kind, LabelKind::Responsible);
        assert_eq!(l.end, "责任单位:".len());
        assert_eq!(
            label_at_start("责 任 单 位：x").unwrap().kind,
            LabelKind::Responsible
        );
        assert_eq!(
            label_at_start("[牵头单位:区卫健局").unwrap().kind,
            LabelKind::Lead
        );
        assert!(label_at_start("各责任单位要高度重视").is_none());
        assert_eq!(find_labels("牵头单位:a;责任单位:b").len(), 2);
    }

    #[test]
    fn line_splitting() {
        let src = "一、甲\r\n\u{3000}\u{3000}1.乙\r丙\n";
        let ls = lines(src);
        assert_eq!(ls.len(), 3);
        assert_eq!(ls[0].text, "一、甲");
        assert_eq!(ls[1].text, "1.乙");
        assert_eq!(ls[2].text, "丙");
        for l in &ls {
            assert_eq!(&src[l.span.range()], l.text);
        }
    }

    #[test]
    fn cut_markers() {
        assert!(is_cut_marker("（三"));
        assert!(is_cut_marker("12"));
        assert!(is_cut_marker("(1"));
        assert!(!is_cut_marker("三"));
        assert!(!is_cut_marker("（三）"));
        assert!(!is_cut_marker("2023年"));
    }
}
