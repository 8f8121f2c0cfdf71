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
    /// Which of the rare characters that later stages search a text for
    /// the line may hold, as [`HOLDS_SHI`] and [`HOLDS_DI`] bits, noted by
    /// [`lines`] while it reads the line's bytes for its end. A clear bit
    /// is a promise that `raw` holds no such character, so that the search
    /// can be skipped; a set bit only says one may be there.
    pub holds: u8,
}

/// `是`, which every inline item marker `一是` ends with.
pub(crate) const HOLDS_SHI: u8 = 1;
/// `第`, which `列第一位为牵头单位` holds.
pub(crate) const HOLDS_DI: u8 = 2;
/// Every bit: what is known of a text that was not looked at.
pub(crate) const HOLDS_ANY: u8 = HOLDS_SHI | HOLDS_DI;

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
    // Most characters of these texts are CJK, above every Unicode space but
    // below the BOM: answer for them with one comparison.
    if c > '\u{3000}' {
        return c == '\u{feff}';
    }
    c.is_whitespace() || c == '\u{200b}'
}

/// The length of the [`is_space`] character at the start of `s`, or 0
/// when `s` starts with anything else or is empty. The usual cases, ASCII,
/// U+3000 and CJK, are told from the first bytes without decoding.
fn space_at_start(s: &str) -> usize {
    match s.as_bytes() {
        [] => 0,
        [b' ' | b'\t'..=b'\r', ..] => 1,
        [0xe3, 0x80, 0x80, ..] => 3,
        // Other ASCII, and the lead bytes of U+00C0–U+07FF, U+3001–U+EFFF
        // and past U+FFFF: no spaces there.
        [0x00..=0x7f | 0xc3..=0xdf | 0xe3..=0xee | 0xf0..=0xff, ..] => 0,
        _ => s
            .chars()
            .next()
            .filter(|&c| is_space(c))
            .map_or(0, char::len_utf8),
    }
}

/// The length of the [`is_space`] character at the end of `s`, or 0; the
/// mirror image of [`space_at_start`].
fn space_at_end(s: &str) -> usize {
    match s.as_bytes() {
        [] => 0,
        [.., b' ' | b'\t'..=b'\r'] => 1,
        [.., 0xe3, 0x80, 0x80] => 3,
        [.., 0x00..=0x7f] => 0,
        // A three-byte character from U+3001 to U+EFFF: not a space.
        [.., 0xe3..=0xee, 0x80..=0xbf, 0x80..=0xbf] => 0,
        _ => s
            .chars()
            .next_back()
            .filter(|&c| is_space(c))
            .map_or(0, char::len_utf8),
    }
}

/// Trims [`is_space`] characters off both ends of `s[span]` and returns the
/// narrower span.
pub(crate) fn trim_span(source: &str, span: Span) -> Span {
    let s = &source[span.range()];
    let mut start = 0;
    loop {
        let n = space_at_start(&s[start..]);
        if n == 0 {
            break;
        }
        start += n;
    }
    if start == s.len() {
        return Span::new(span.start, span.start);
    }
    let mut end = s.len();
    loop {
        let n = space_at_end(&s[start..end]);
        if n == 0 {
            break;
        }
        end -= n;
    }
    Span::new(span.start + start, span.start + end)
}

/// Whether `b` ends a line.
fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// How many positions [`block_facts`] tests at once.
const BLOCK: usize = 32;

/// Whether the first [`BLOCK`] positions of `w` hold a `\n` or `\r`; and
/// into `holds`, the bits of [`Line::holds`] for the characters that
/// start there (the two bytes after the block are there for a 3-byte
/// character's tail). A loop of plain compares, with no branches, that
/// the compiler turns into vector instructions. The search for the line's
/// end reads the bytes anyway, and these few more compares on them spare
/// the later stages a search of each text that holds none of the
/// characters.
///
/// `是` (`E6 98 AF`) and `第` (`E7 AC AC`) are told by their last two
/// bytes, which a few rare ideographs share (a bit set for nothing). The
/// brackets that `agency` looks for were tried too, and did not pay:
/// their test takes several times the compares, for characters that a
/// fifth of the lines hold, and cost more here than the bracket search it
/// spared.
fn block_facts(w: &[u8; BLOCK + 2], holds: &mut u8) -> bool {
    let mut breaks = 0u8;
    let mut shi = 0u8;
    let mut di = 0u8;
    for k in 0..BLOCK {
        let (a, b, c) = (w[k], w[k + 1], w[k + 2]);
        breaks |= u8::from(is_break(a));
        shi |= u8::from(b == 0x98) & u8::from(c == 0xAF);
        di |= u8::from(b == 0xAC) & u8::from(c == 0xAC);
    }
    *holds |= (shi * HOLDS_SHI) | (di * HOLDS_DI);
    breaks != 0
}

/// The offset of the first line break among the first 32 bytes of
/// `block`, eight at a time: in each word, a byte is a break when it is
/// equal to `\n` or `\r`, that is when the word with `\n` (or `\r`)
/// taken out of each byte has a zero byte there. `((x & 0x7f…) + 0x7f…) |
/// x` has the high bit of each byte set when that byte of `x` is not zero,
/// and no carry crosses bytes (`0x7f + 0x7f` is below `0x100`), so the
/// test is exact byte by byte.
fn first_break(block: &[u8; BLOCK + 2]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    const LOWS: u64 = !HIGHS;
    let zeros = |x: u64| !(((x & LOWS) + LOWS) | x) & HIGHS;
    let (words, _) = block.as_chunks::<8>();
    words.iter().enumerate().find_map(|(k, word)| {
        let w = u64::from_le_bytes(*word);
        let bits = zeros(w ^ (ONES * u64::from(b'\n'))) | zeros(w ^ (ONES * u64::from(b'\r')));
        (bits != 0).then(|| k * 8 + bits.trailing_zeros() as usize / 8)
    })
}

/// The offset of the first `\n` or `\r` in `bytes` at or after `from`, or
/// `bytes.len()` when there is none, and the [`Line::holds`] bits of the
/// bytes from `from` to there (and maybe of a few after it, which only
/// sets a bit that need not be).
///
/// Lines run to a few hundred bytes, so the search tests 32 bytes at a
/// time ([`block_facts`]) and looks for the break eight bytes at a time
/// only in the block that has it ([`first_break`]). The blocks that reach
/// past the end of `bytes` (the last one or two) are padded with zeros,
/// which are no break and start no character.
fn find_break(bytes: &[u8], from: usize) -> (usize, u8) {
    const LEN: usize = BLOCK + 2;
    let mut holds = 0;
    let mut at = from;
    let end = 'found: {
        while let Some(block) = bytes.get(at..).and_then(<[u8]>::first_chunk::<LEN>) {
            if block_facts(block, &mut holds)
                && let Some(k) = first_break(block)
            {
                break 'found at + k;
            }
            at += BLOCK;
        }
        while let Some(rest) = bytes.get(at..).filter(|rest| !rest.is_empty()) {
            let mut padded = [0u8; LEN];
            let n = rest.len().min(LEN);
            padded[..n].copy_from_slice(&rest[..n]);
            if block_facts(&padded, &mut holds)
                && let Some(k) = first_break(&padded)
            {
                break 'found at + k;
            }
            at += BLOCK;
        }
        bytes.len()
    };
    (end, holds)
}

/// How many lines [`lines`] cuts `bytes` into before it drops a final
/// empty line: one more than the number of line breaks (`\n`, `\r\n`, a
/// lone `\r`). Counting first lets the line vector be allocated once, at
/// its final size.
///
/// 64 bytes at a time, counting `\n` in an 8-bit counter and noting
/// whether there is any `\r` (a loop the compiler turns into vector
/// instructions; the last bytes are copied into a block of zeros); only a
/// text with a `\r` is counted again, byte by byte.
fn count_lines(bytes: &[u8]) -> usize {
    /// The `\n` of 64 bytes, and whether there is a `\r`.
    fn block(bytes: &[u8; 64]) -> (usize, bool) {
        let mut newlines = 0u8;
        let mut returns = 0u8;
        for &b in bytes {
            newlines += u8::from(b == b'\n');
            returns |= u8::from(b == b'\r');
        }
        (usize::from(newlines), returns != 0)
    }
    let (blocks, tail) = bytes.as_chunks::<64>();
    let mut last = [0u8; 64];
    last[..tail.len()].copy_from_slice(tail);
    let (mut newlines, mut returns) = block(&last);
    for b in blocks {
        let (n, r) = block(b);
        newlines += n;
        returns |= r;
    }
    if !returns {
        return 1 + newlines;
    }
    let mut breaks = 0;
    let mut i = 0;
    while i < bytes.len() {
        if is_break(bytes[i]) {
            breaks += 1;
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        }
        i += 1;
    }
    1 + breaks
}

/// Splits `source` into classified lines. `\n`, `\r\n` and a lone `\r`
/// each end a line.
pub(crate) fn lines(source: &str) -> Vec<Line<'_>> {
    let bytes = source.as_bytes();
    let mut out = Vec::with_capacity(count_lines(bytes));
    let mut start = 0;
    loop {
        let (end, holds) = find_break(bytes, start);
        let raw = Span::new(start, end);
        let span = trim_span(source, raw);
        let text = &source[span.range()];
        out.push(Line {
            text,
            span,
            raw,
            kind: classify(text),
            holds,
        });
        if end == bytes.len() {
            break;
        }
        start = end + 1;
        if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            start += 1;
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

/// Whether `c` is the first character of one of the [`LABELS`]: a quick
/// test that rules out almost every position before any label is tried.
/// (A unit test checks it against the table.)
fn starts_label(c: char) -> bool {
    matches!(
        c,
        '牵' | '主' | '责' | '落' | '承' | '配' | '参' | '协' | '完' | '时'
    )
}

/// The spaces allowed between the characters of a label and before its
/// colon.
fn is_label_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// `text[at..]` without the label spaces at its start.
fn skip_label_spaces(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    at + (rest.len() - rest.trim_start_matches(is_label_space).len())
}

/// The label, with its colon, that starts at byte `at` of `text` (a char
/// boundary), if one does: any of the [`LABELS`] with spaces allowed
/// between its characters, then spaces, then `:` or `：`. Labels are tried
/// in table order and the first that matches wins.
fn label_here(text: &str, at: usize) -> Option<LabelMatch> {
    let first = text[at..].chars().next()?;
    if !starts_label(first) {
        return None;
    }
    let after_first = at + first.len_utf8();
    LABELS
        .iter()
        .filter(|(label, _)| label.starts_with(first))
        .find_map(|&(label, kind)| {
            let mut pos = after_first;
            for c in label.chars().skip(1) {
                pos = skip_label_spaces(text, pos);
                if !text[pos..].starts_with(c) {
                    return None;
                }
                pos += c.len_utf8();
            }
            pos = skip_label_spaces(text, pos);
            let colon = text[pos..]
                .chars()
                .next()
                .filter(|&c| c == ':' || c == '：')?;
            Some(LabelMatch {
                kind,
                start: at,
                end: pos + colon.len_utf8(),
            })
        })
}

/// A label found in a piece of text: its kind, the span of the label with
/// its colon, relative to the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LabelMatch {
    pub kind: LabelKind,
    pub start: usize,
    pub end: usize,
}

/// Every label in `text`, in order, none overlapping: the search goes on
/// after the colon of each label found.
#[cfg(test)]
pub(crate) fn find_labels(text: &str) -> Vec<LabelMatch> {
    labels(text).collect()
}

/// The labels of `text`, as `find_labels` lists them, found as the
/// caller asks for them (it reads each once, and the one after it), with
/// no vector of them.
///
/// A hand-written scan rather than a regex: almost every character is
/// ruled out by [`starts_label`], and there is no regex to compile.
pub(crate) fn labels(text: &str) -> impl Iterator<Item = LabelMatch> + '_ {
    // Where the next label may start: after the colon of the last one.
    let mut from = 0;
    text.char_indices().filter_map(move |(at, c)| {
        if at >= from
            && starts_label(c)
            && let Some(found) = label_here(text, at)
        {
            from = found.end;
            Some(found)
        } else {
            None
        }
    })
}

/// The label at the very start of `text`, if there is one (an opening
/// square bracket before it is allowed).
pub(crate) fn label_at_start(text: &str) -> Option<LabelMatch> {
    // Most lines start with none of the brackets: tell them from the first
    // byte (`[`, or the lead byte of `【` or `［`) without decoding.
    let lead = match text.as_bytes().first() {
        Some(b'[' | 0xE3 | 0xEF) => text.len() - text.trim_start_matches(['[', '【', '［']).len(),
        _ => 0,
    };
    label_here(text, lead)
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

/// The number a circled digit stands for: ① is 1, ㊿ is 50.
fn circled_value(c: char) -> Option<u32> {
    match c {
        '\u{2460}'..='\u{2473}' => Some(c as u32 - 0x2460 + 1),
        '\u{3251}'..='\u{325f}' => Some(c as u32 - 0x3251 + 21),
        '\u{32b1}'..='\u{32bf}' => Some(c as u32 - 0x32b1 + 36),
        _ => None,
    }
}

fn circled(input: &str) -> PResult<'_, u32> {
    map_opt(satisfy(|_| true), circled_value).parse(input)
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

/// The marker grammar. A marker starts with a Chinese numeral, a bracket,
/// a digit, a circled number or 第, and each kind of first character has
/// its own branches: only those are tried, in order. (Most lines start with
/// none of these and fail at once.)
fn marker_parser(input: &str) -> PResult<'_, (MarkerStyle, u32)> {
    match input.chars().next() {
        Some(c) if is_chinese_digit(c) => alt((
            map((chinese_number, char('、')), |(n, _)| {
                (MarkerStyle::ChineseComma, n)
            }),
            map((chinese_number, char('是')), |(n, _)| {
                (MarkerStyle::Inline, n)
            }),
        ))
        .parse(input),
        Some('（' | '(') => alt((
            map((open_paren, chinese_number, close_paren), |(_, n, _)| {
                (MarkerStyle::ParenChinese, n)
            }),
            map((open_paren, arabic_number, close_paren), |(_, n, _)| {
                (MarkerStyle::ParenArabic, n)
            }),
        ))
        .parse(input),
        Some(c) if is_digit(c) => alt((
            map(
                (arabic_number, alt((char('.'), char('．'))), not_digit_next),
                |(n, _, _)| (MarkerStyle::ArabicDot, n),
            ),
            map((arabic_number, char('、')), |(n, _)| {
                (MarkerStyle::ArabicComma, n)
            }),
        ))
        .parse(input),
        Some('第') => ordinal(input),
        _ => map(circled, |n| (MarkerStyle::Circled, n)).parse(input),
    }
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
        && body.len() <= 16 // four characters at most: no need to count a long line
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

    // ---- the fast paths against the plain implementations they replace ----

    /// `is_space` as first written.
    fn is_space_reference(c: char) -> bool {
        c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
    }

    /// `trim_span` as first written.
    fn trim_span_reference(source: &str, span: Span) -> Span {
        let s = &source[span.range()];
        let start = span.start + (s.len() - s.trim_start_matches(is_space_reference).len());
        let end = span.start + s.trim_end_matches(is_space_reference).len();
        if start >= end {
            Span::new(span.start, span.start)
        } else {
            Span::new(start, end)
        }
    }

    /// The raw spans of the lines as first split: byte by byte.
    fn raw_spans_reference(source: &str) -> Vec<Span> {
        let bytes = source.as_bytes();
        let mut out = Vec::new();
        let mut start = 0;
        while start <= bytes.len() {
            let rel = bytes[start..]
                .iter()
                .position(|&b| b == b'\n' || b == b'\r');
            let end = rel.map_or(bytes.len(), |r| start + r);
            out.push(Span::new(start, end));
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
        out
    }

    /// The label regex the hand-written matcher replaces.
    static LABEL_RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        let alternatives: Vec<String> = LABELS
            .iter()
            .map(|(label, _)| {
                let chars: Vec<String> = label.chars().map(|c| c.to_string()).collect();
                format!("(?:{})", chars.join(r"[ \t\u{3000}]*"))
            })
            .collect();
        regex::Regex::new(&format!(
            r"(?P<label>{})[ \t\u{{3000}}]*[:：]",
            alternatives.join("|")
        ))
        .unwrap()
    });

    /// `find_labels` as first written, with the regex: (kind, start, end).
    fn find_labels_reference(text: &str) -> Vec<(LabelKind, usize, usize)> {
        LABEL_RE
            .captures_iter(text)
            .map(|c| {
                let whole = c.get(0).unwrap();
                let compact: String = c["label"].chars().filter(|c| !is_space(*c)).collect();
                let kind = LABELS.iter().find(|(l, _)| *l == compact).unwrap().1;
                (kind, whole.start(), whole.end())
            })
            .collect()
    }

    /// `label_at_start` as first written, with the regex.
    fn label_at_start_reference(text: &str) -> Option<(LabelKind, usize, usize)> {
        let lead = text.len() - text.trim_start_matches(['[', '【', '［']).len();
        let m = LABEL_RE.find(&text[lead..])?;
        if m.start() != 0 {
            return None;
        }
        find_labels_reference(&text[lead..])
            .into_iter()
            .next()
            .map(|(kind, start, end)| (kind, start + lead, end + lead))
    }

    /// The marker grammar as first written: one `alt` over every branch.
    fn marker_parser_reference(input: &str) -> PResult<'_, (MarkerStyle, u32)> {
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

    #[test]
    fn is_space_as_defined() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(is_space(c), is_space_reference(c), "{:?}", c);
        }
    }

    #[test]
    fn label_first_characters() {
        for (label, _) in LABELS {
            assert!(starts_label(label.chars().next().unwrap()), "{label}");
        }
        for c in ['各', '单', '位', '[', ' ', 'a'] {
            assert!(!LABELS.iter().any(|(l, _)| l.starts_with(c)) && !starts_label(c));
        }
    }

    /// Every line of every fixture, and some cuts of them.
    fn fixture_lines() -> Vec<String> {
        let mut out = Vec::new();
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                out.push(line.to_owned());
                let cut: String = line.chars().skip(2).collect();
                out.push(cut);
            }
            out.push(text);
        }
        out
    }

    /// Checks every fast path on one string against its reference.
    fn check_against_references(s: &str) {
        let found: Vec<_> = find_labels(s)
            .iter()
            .map(|l| (l.kind, l.start, l.end))
            .collect();
        assert_eq!(found, find_labels_reference(s), "find_labels {s:?}");
        assert_eq!(
            label_at_start(s).map(|l| (l.kind, l.start, l.end)),
            label_at_start_reference(s),
            "label_at_start {s:?}"
        );
        assert_eq!(
            marker_parser(s).ok(),
            marker_parser_reference(s).ok(),
            "marker {s:?}"
        );
        let whole = Span::new(0, s.len());
        assert_eq!(
            trim_span(s, whole),
            trim_span_reference(s, whole),
            "trim {s:?}"
        );
        let mut raw = raw_spans_reference(s);
        assert_eq!(count_lines(s.as_bytes()), raw.len(), "count {s:?}");
        let ls = lines(s);
        if raw.len() > 1
            && raw
                .last()
                .is_some_and(|r| trim_span_reference(s, *r).is_empty())
        {
            raw.pop();
        }
        let got: Vec<Span> = ls.iter().map(|l| l.raw).collect();
        assert_eq!(got, raw, "lines {s:?}");
        for l in &ls {
            assert_eq!(l.span, trim_span_reference(s, l.raw), "line span {s:?}");
            check_holds(&s[l.raw.range()], l.holds);
        }
    }

    /// Checks that `holds`, a line's [`Line::holds`], promises nothing
    /// false of its bytes `raw`: a clear bit, no such character.
    fn check_holds(raw: &str, holds: u8) {
        if raw.contains('是') {
            assert_ne!(holds & HOLDS_SHI, 0, "shi {raw:?}");
        }
        if raw.contains('第') {
            assert_ne!(holds & HOLDS_DI, 0, "di {raw:?}");
        }
    }

    #[test]
    fn fast_paths_agree_on_the_fixtures() {
        for s in fixture_lines() {
            check_against_references(&s);
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn first_break_is_the_first_position(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![
                    b'\n', b'\r', 0x8a, 0x8d, 0x0b, 0x0c, 0x0e, 0x09, 0x00, 0xff, b'a', 0xe4,
                ]),
                32,
            )
        ) {
            // The two bytes after the block are no breaks, nor read.
            let mut block = [b'\n'; BLOCK + 2];
            block[..BLOCK].copy_from_slice(&bytes);
            proptest::prop_assert_eq!(
                first_break(&block),
                bytes.iter().position(|&b| is_break(b))
            );
            proptest::prop_assert_eq!(
                block_facts(&block, &mut 0),
                bytes.iter().any(|&b| is_break(b))
            );
        }

        #[test]
        fn fast_paths_agree_on_the_alphabet(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "责", "任", "单", "位", "牵", "头", "部", "门", "主", "体", "配", "合",
                "协", "办", "同", "完", "成", "时", "限", "间", "节", "点", "要", "求",
                "参", "与", "落", "实", "承", ":", "：", "[", "【", "［", " ", "\t",
                "\u{3000}", "\u{a0}", "\u{feff}", "\u{200b}", "\u{2003}", "\u{85}",
                "\u{1680}", "\n", "\r", "\r\n", "一", "二", "三", "十", "百", "零",
                "〇", "两", "是", "、", "（", "）", "(", ")", "1", "2", "0", "１", "９",
                ".", "．", "第", "章", "条", "①", "⑳", "㉑", "㊿", "。", "a", "é",
                "😀", "ᄀ", "\u{b}", "\u{c}", "〔", "〕", "】", "］", "昰", "\u{e698}",
            ]),
            0..40,
        )) {
            check_against_references(&s.concat());
        }
    }
}
