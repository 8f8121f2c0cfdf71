//! The document around the outline: title, document number, addressees,
//! notice body, issuer, date and notes, at the head and at the end.

use crate::lines::{Line, LineKind, chinese_small_number, digits_value};
use crate::model::{DateText, Field, Metadata};
use crate::span::{Span, Text};
use crate::string::Str;

/// Where the header and the end matter are, in line indices, and what they
/// say. Lines `outline_start..outline_end` are the outline's.
#[derive(Debug, Default)]
pub(crate) struct Split {
    pub metadata: Metadata,
    pub outline_start: usize,
    pub outline_end: usize,
}

// Document numbers (`浙政发〔2023〕6号`) were two regexes; the shape is a
// plain sequence, read by hand below, and compiling the regexes (their
// `\p{Han}` above all) cost more than all the lines they were run on. Unit
// tests check the readers against the regexes they replace:
//
// - at the start of a line, spaces allowed between the parts:
//   `^\p{Han}{1,14}[ \u3000]*[〔\[【(（［][ \u3000]*[0-9０-９]{4}[ \u3000]*[〕\]】)）］][ \u3000]*第?[ \u3000]*[0-9０-９]{1,5}[ \u3000]*号`
// - anywhere in a line, no spaces:
//   `\p{Han}{1,8}[〔\[【(（［][0-9０-９]{4}[〕\]】)）］]第?[0-9０-９]{1,5}号`

/// The characters of the Han script (the regex class `\p{Han}`, from the
/// Unicode tables of `regex-syntax`; a unit test checks every character).
const HAN: &[(char, char)] = &[
    ('\u{2e80}', '\u{2e99}'),
    ('\u{2e9b}', '\u{2ef3}'),
    ('\u{2f00}', '\u{2fd5}'),
    ('\u{3005}', '\u{3005}'),
    ('\u{3007}', '\u{3007}'),
    ('\u{3021}', '\u{3029}'),
    ('\u{3038}', '\u{303b}'),
    ('\u{3400}', '\u{4dbf}'),
    ('\u{4e00}', '\u{9fff}'),
    ('\u{f900}', '\u{fa6d}'),
    ('\u{fa70}', '\u{fad9}'),
    ('\u{16fe2}', '\u{16fe3}'),
    ('\u{16ff0}', '\u{16ff1}'),
    ('\u{20000}', '\u{2a6df}'),
    ('\u{2a700}', '\u{2b739}'),
    ('\u{2b740}', '\u{2b81d}'),
    ('\u{2b820}', '\u{2cea1}'),
    ('\u{2ceb0}', '\u{2ebe0}'),
    ('\u{2ebf0}', '\u{2ee5d}'),
    ('\u{2f800}', '\u{2fa1d}'),
    ('\u{30000}', '\u{3134a}'),
    ('\u{31350}', '\u{323af}'),
];

/// Whether `c` is of the Han script: the unified ideographs (nearly every
/// character of these texts) with one comparison, the rest from [`HAN`].
/// The outline's hand-written readers use it too.
pub(crate) fn is_han(c: char) -> bool {
    if ('\u{4e00}'..='\u{9fff}').contains(&c) {
        return true;
    }
    if c < '\u{2e80}' {
        return false;
    }
    let i = HAN.partition_point(|&(_, hi)| hi < c);
    HAN.get(i).is_some_and(|&(lo, _)| lo <= c)
}

/// The brackets around the year of a document number.
const OPENING: [char; 6] = ['〔', '[', '【', '(', '（', '［'];
const CLOSING: [char; 6] = ['〕', ']', '】', ')', '）', '］'];

/// The length of the part of a document number after the issuer's short
/// form at the start of `s`: `〔2023〕第6号`. With `spaced`, spaces and
/// U+3000 are allowed between its parts and before it.
///
/// Every part is told from the next by its first character (a bracket is
/// not a digit, 第 neither, and none is a space), and the runs of digits
/// must end where the regex's bounded repetitions would (a longer run has
/// a digit where the next part should start): there is one way to match,
/// and this reads it.
fn number_after_issuer(s: &str, spaced: bool) -> Option<usize> {
    fn spaces(s: &str, spaced: bool) -> &str {
        if spaced {
            s.trim_start_matches([' ', '\u{3000}'])
        } else {
            s
        }
    }
    let skip = |s| spaces(s, spaced);
    let rest = skip(s).strip_prefix(OPENING)?;
    let (_, rest) = take_run(skip(rest), is_any_digit, 4, 4)?;
    let rest = skip(skip(rest).strip_prefix(CLOSING)?);
    let rest = skip(rest.strip_prefix('第').unwrap_or(rest));
    let (_, rest) = take_run(rest, is_any_digit, 1, 5)?;
    let rest = skip(rest).strip_prefix('号')?;
    Some(s.len() - rest.len())
}

/// The document number at the start of `text` (`浙政发〔2023〕6号`, spaces
/// allowed between its parts), as the byte length of the match.
///
/// The issuer is the whole run of Han characters at the start: the part
/// after it starts with a space or a bracket, neither of them Han, so a
/// run longer than 14 characters cannot match.
fn doc_number(text: &str) -> Option<usize> {
    // Every document number has a 号: most lines are turned down here.
    if !text.contains('号') {
        return None;
    }
    let (issuer, rest) = take_run(text, is_han, 1, 14)?;
    Some(issuer.len() + number_after_issuer(rest, true)?)
}

/// The first document number anywhere in `text`, led by at most eight Han
/// characters and with no spaces (`文 号 蔡政办〔2023〕1号`): the byte range
/// of the match.
///
/// A match ends its run of Han characters (the bracket after is not Han),
/// so the runs are tried in order, each at its end; the match starts at
/// the run's start or eight characters before its end, whichever is later
/// (the leftmost start the regex would find).
fn doc_number_anywhere(text: &str) -> Option<(usize, usize)> {
    if !text.contains('号') {
        return None;
    }
    // Where the current run of Han characters starts, if in one.
    let mut run: Option<usize> = None;
    for (at, c) in text.char_indices() {
        if is_han(c) {
            run.get_or_insert(at);
            continue;
        }
        let Some(start) = run.take() else {
            continue;
        };
        if !OPENING.contains(&c) {
            continue;
        }
        if let Some(len) = text
            .get(at..)
            .and_then(|rest| number_after_issuer(rest, false))
        {
            // Eight characters back from the end of the run at most.
            let start = text[start..at]
                .char_indices()
                .rev()
                .nth(7)
                .map_or(start, |(k, _)| start + k);
            return Some((start, at + len));
        }
    }
    None
}

// The shapes below (dates, metadata keys, notes, title endings) were
// regexes; they are read by hand because they are plain sequences, and
// compiling the regexes cost more than all the lines they were run on.
// Unit tests check each one against the regex it replaces.

/// The length in characters and in bytes of the run of `class` characters
/// at the start of `s`.
fn run(s: &str, class: impl Fn(char) -> bool) -> (usize, usize) {
    s.chars()
        .take_while(|&c| class(c))
        .fold((0, 0), |(n, len), c| (n + 1, len + c.len_utf8()))
}

/// `s` after the run of its first characters in `class`, when that run is
/// `min..=max` characters long, and the run itself.
fn take_run(s: &str, class: impl Fn(char) -> bool, min: usize, max: usize) -> Option<(&str, &str)> {
    let (n, len) = run(s, class);
    (min..=max).contains(&n).then(|| s.split_at(len))
}

/// `s` after the Unicode white space at its start (regex `\s*`).
fn skip_white(s: &str) -> &str {
    s.trim_start_matches(char::is_whitespace)
}

/// A date line in the shape `Y 年 M 月 D 日` and nothing else: a year of
/// four `year` characters, a month and a day of one to `max` `number`
/// characters, white space allowed around 年, 月 and 日. Returns the three
/// numbers as written.
fn year_month_day(
    text: &str,
    year: fn(char) -> bool,
    number: fn(char) -> bool,
    max: usize,
) -> Option<[&str; 3]> {
    let (y, rest) = take_run(text, year, 4, 4)?;
    let rest = skip_white(skip_white(rest).strip_prefix('年')?);
    let (m, rest) = take_run(rest, number, 1, max)?;
    let rest = skip_white(skip_white(rest).strip_prefix('月')?);
    let (d, rest) = take_run(rest, number, 1, max)?;
    let rest = skip_white(rest).strip_prefix('日')?;
    rest.is_empty().then_some([y, m, d])
}

/// ASCII or full-width digits.
fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `2023年2月10日`, digits of either width.
fn date_arabic(text: &str) -> Option<[&str; 3]> {
    year_month_day(text, is_any_digit, is_any_digit, 2)
}

/// `2023-02-10`, `2023/2/10` or `2023.2.10`, ASCII digits.
fn date_iso(text: &str) -> Option<[&str; 3]> {
    const SEPARATORS: [char; 3] = ['-', '/', '.'];
    let (y, rest) = take_run(text, |c| c.is_ascii_digit(), 4, 4)?;
    let (m, rest) = take_run(rest.strip_prefix(SEPARATORS)?, |c| c.is_ascii_digit(), 1, 2)?;
    let (d, rest) = take_run(rest.strip_prefix(SEPARATORS)?, |c| c.is_ascii_digit(), 1, 2)?;
    rest.is_empty().then_some([y, m, d])
}

/// `二〇二三年二月十日`.
fn date_chinese(text: &str) -> Option<[&str; 3]> {
    year_month_day(text, is_year_digit, is_day_digit, 3)
}

/// A digit of a year written in Chinese: 〇 (or 零, ○, Ｏ) and 一 to 九.
fn is_year_digit(c: char) -> bool {
    matches!(
        c,
        '〇' | '零' | '○' | 'Ｏ' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
    )
}

/// A character of a month or a day written in Chinese: 一 to 九 and 十.
fn is_day_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Keys of a web page's metadata block, spaces allowed between their
/// characters (`索 引 号`).
const FIELD_KEYS: &[&str] = &[
    "索引号",
    "发布机构",
    "发文机关",
    "发文字号",
    "文号",
    "发布日期",
    "发文日期",
    "成文日期",
    "名称",
    "标题",
    "主题分类",
    "文件分类",
    "分类",
    "有效性",
    "所属机构",
    "主题词",
    "生效日期",
    "废止日期",
    "信息来源",
    "来源",
];

/// The spaces allowed inside a metadata key, around it and before its
/// colon.
fn is_key_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// Whether `c` is the first character of one of the [`FIELD_KEYS`]: a
/// quick test that rules out most positions before any key is tried. (A
/// unit test checks it against the table.)
fn starts_key(c: char) -> bool {
    matches!(
        c,
        '索' | '发'
            | '文'
            | '成'
            | '名'
            | '标'
            | '主'
            | '分'
            | '有'
            | '所'
            | '生'
            | '废'
            | '信'
            | '来'
    )
}

/// The metadata key at byte `at` of `text`, spaces allowed between its
/// characters: the key and where it ends. Keys are tried in table order
/// (only those that start with the character at `at`: the others fail on
/// their first character).
fn key_at(text: &str, at: usize) -> Option<(&'static str, usize)> {
    let first = text.get(at..)?.chars().next()?;
    if !starts_key(first) {
        return None;
    }
    FIELD_KEYS
        .iter()
        .filter(|key| key.starts_with(first))
        .find_map(|&key| {
            let mut pos = at;
            for (i, c) in key.chars().enumerate() {
                if i > 0 {
                    pos = text.len() - text[pos..].trim_start_matches(is_key_space).len();
                }
                if !text[pos..].starts_with(c) {
                    return None;
                }
                pos += c.len_utf8();
            }
            Some((key, pos))
        })
}

/// A metadata key found in a line.
#[derive(Debug, PartialEq, Eq)]
struct KeyMatch {
    /// Where the match starts: the key, or the space before it.
    start: usize,
    /// The key as listed in [`FIELD_KEYS`].
    key: &'static str,
    /// Where the key as written (spaces included) starts and ends.
    key_start: usize,
    key_end: usize,
    /// Where the match ends: after the spaces and colon that follow.
    end: usize,
    /// Whether a colon follows the key.
    colon: bool,
}

/// The metadata keys of `text`, in order and not overlapping: each at the
/// start of the text or after a space, with the spaces and the colon after
/// it. (The regex this replaces: `(?:^|[ \t\u3000])(?P<key>…)[ \t\u3000]*(?P<colon>[:：])?`.)
fn field_keys(text: &str) -> Vec<KeyMatch> {
    let mut out = Vec::new();
    let mut from = 0;
    for (at, c) in text.char_indices() {
        if at < from {
            continue;
        }
        // At the start of the text the key may start right there; anywhere
        // else (and at the start, failing that) after a space.
        let found = match (at == 0).then(|| key_at(text, 0)).flatten() {
            Some(k) => Some((0, k)),
            None if is_key_space(c) => {
                let key_start = at + c.len_utf8();
                key_at(text, key_start).map(|k| (key_start, k))
            }
            None => None,
        };
        let Some((key_start, (key, key_end))) = found else {
            continue;
        };
        let mut end = text.len() - text[key_end..].trim_start_matches(is_key_space).len();
        let colon = text[end..].starts_with([':', '：']);
        if colon {
            end += text[end..].chars().next().map_or(0, char::len_utf8);
        }
        out.push(KeyMatch {
            start: at,
            key,
            key_start,
            key_end,
            end,
            colon,
        });
        from = end;
    }
    out
}

/// A note such as `（此件公开发布）`: a bracketed line that starts with
/// 此件, 本件 or 本文 and holds one to ten characters after them.
fn is_note_text(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['（', '(']) else {
        return false;
    };
    let Some(rest) = ["此件", "本件", "本文"]
        .iter()
        .find_map(|start| rest.strip_prefix(start))
    else {
        return false;
    };
    let Some(body) = rest.strip_suffix(['）', ')']) else {
        return false;
    };
    body.len() <= 40 && (1..=10).contains(&body.chars().count()) && !body.contains(['）', ')'])
}

/// Words a title ends with.
const TITLE_ENDS: &[&str] = &[
    "通知", "意见", "方案", "办法", "决定", "规定", "细则", "报告", "批复", "函", "清单", "计划",
    "要点", "纲要", "规划", "措施", "公告", "通告",
];

/// Whether `text` ends with one of the [`TITLE_ENDS`].
///
/// The last character is tested first: it rules out most lines before the
/// words are compared. (A unit test checks it against the table.)
fn ends_like_title(text: &str) -> bool {
    let last = text.chars().next_back();
    last.is_some_and(ends_title_word) && TITLE_ENDS.iter().any(|end| text.ends_with(end))
}

/// Whether `c` is the last character of one of the [`TITLE_ENDS`].
fn ends_title_word(c: char) -> bool {
    matches!(
        c,
        '知' | '见'
            | '案'
            | '法'
            | '定'
            | '则'
            | '告'
            | '复'
            | '函'
            | '单'
            | '划'
            | '点'
            | '要'
            | '施'
    )
}

const SENTENCE_PUNCTUATION: &[char] = &['，', '。', '；', '：', ',', ';', ':', '！', '？'];

/// Reads a date line.
pub(crate) fn date(text: &str, span: Span) -> Option<DateText> {
    // Most lines are not dates: say so before running a regex.
    if !(text.ends_with('日') || (text.len() <= 10 && text.contains(['-', '/', '.']))) {
        return None;
    }
    let (year, month, day) = if let Some([y, m, d]) = date_arabic(text).or_else(|| date_iso(text)) {
        (digits_value(y)?, digits_value(m)?, digits_value(d)?)
    } else if let Some([y, m, d]) = date_chinese(text) {
        let mut year = 0u32;
        for ch in y.chars() {
            let d = match ch {
                '〇' | '零' | '○' | 'Ｏ' => 0,
                other => chinese_small_number(other.encode_utf8(&mut [0; 4]))?,
            };
            year = year * 10 + d;
        }
        (year, chinese_small_number(m)?, chinese_small_number(d)?)
    } else {
        return None;
    };
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| DateText {
        text: Str::from(text),
        span,
        year,
        month,
        day,
    })
}

fn is_addressees(text: &str) -> bool {
    (text.ends_with('：') || text.ends_with(':'))
        && text.chars().count() <= 120
        && (text.contains(['、', '，', ','])
            || text.starts_with('各')
            || text.ends_with("单位：")
            || text.ends_with("单位:"))
}

/// A title: 关于 in it, no colon, a title's last word. (The last word is
/// tested first: it is the quickest to rule out.)
fn is_title(text: &str) -> bool {
    ends_like_title(text) && text.contains("关于") && !text.contains(['：', ':'])
}

fn is_doc_number(text: &str) -> bool {
    doc_number(text).is_some()
}

fn is_note(text: &str) -> bool {
    text.starts_with(['（', '(']) && is_note_text(text)
}

fn text_of(line: &Line<'_>) -> Text {
    Text {
        text: Str::from(line.text),
        span: line.span,
    }
}

/// Finds the header and the end matter among `lines`.
pub(crate) fn split(lines: &[Line<'_>]) -> Split {
    let structural = |l: &Line<'_>| matches!(l.kind, LineKind::Marker { .. } | LineKind::Label);
    let first_structural = lines.iter().position(structural).unwrap_or(lines.len());

    // A date standing alone before any responsibility label, with outline
    // after it, closes a notice: everything up to it is the header.
    let first_label = lines
        .iter()
        .position(|l| l.kind == LineKind::Label)
        .unwrap_or(lines.len());
    let last_structural = lines.iter().rposition(structural);
    let notice_date = lines[..first_label]
        .iter()
        .enumerate()
        .take_while(|&(i, _)| last_structural.is_some_and(|last| i < last))
        .find(|(_, l)| date(l.text, l.span).is_some())
        .map(|(i, _)| i);

    let mut split = Split {
        outline_end: lines.len(),
        ..Split::default()
    };
    let header_end = match notice_date {
        Some(d) => {
            let mut end = d + 1;
            while end < lines.len()
                && (matches!(lines[end].kind, LineKind::Blank | LineKind::Furniture(_))
                    || is_note_text(lines[end].text))
            {
                end += 1;
            }
            end
        }
        None => lines[..first_structural]
            .iter()
            .rposition(|l| {
                is_title(l.text)
                    || is_doc_number(l.text)
                    || is_addressees(l.text)
                    || is_note(l.text)
            })
            .map_or(0, |i| i + 1),
    };
    split.outline_start = header_end;
    read_header(&lines[..header_end], &mut split.metadata);
    read_end_matter(lines, &mut split);
    split
}

fn read_header(lines: &[Line<'_>], meta: &mut Metadata) {
    read_header_lines(lines, meta);
    apply_fields(meta);
    if meta.doc_number.is_none() {
        // A web page's metadata block (`文 号 蔡政办〔2023〕1号`) carries it
        // mid-line; the line itself stays in the body.
        meta.doc_number = lines.iter().find_map(|l| {
            let (start, end) = doc_number_anywhere(l.text)?;
            let at = l.span.start + start;
            Some(Text {
                text: Str::from(&l.text[start..end]),
                span: Span::new(at, at + (end - start)),
            })
        });
    }
}

/// The key–value pairs of a metadata line (`索 引 号: 000014349/2020-105482
/// 发布日期: 2020-06-28`): a key at the start, and a colon after it or a
/// second key.
fn fields(line: &Line<'_>) -> Option<Vec<Field>> {
    let first = line.text.chars().next()?;
    if !FIELD_KEYS.iter().any(|k| k.starts_with(first)) {
        return None;
    }
    let keys = field_keys(line.text);
    let first = keys.first()?;
    if first.start != 0 || (keys.len() < 2 && !first.colon) {
        return None;
    }
    if line.text.contains(['。', '，']) {
        return None;
    }
    let mut out = Vec::new();
    for (k, m) in keys.iter().enumerate() {
        let value_end = keys.get(k + 1).map_or(line.text.len(), |next| next.start);
        let raw = &line.text[m.end..value_end];
        let value = raw.trim_matches(|c: char| crate::lines::is_space(c));
        let value_start = line.span.start
            + m.end
            + (raw.len()
                - raw
                    .trim_start_matches(|c: char| crate::lines::is_space(c))
                    .len());
        let at = line.span.start;
        out.push(Field {
            key: Str::from(m.key),
            value: Text {
                text: Str::from(value),
                span: Span::new(value_start, value_start + value.len()),
            },
            span: Span::new(at + m.key_start, value_start + value.len()),
        });
    }
    Some(out)
}

/// Fills empty metadata from a page's metadata block.
fn apply_fields(meta: &mut Metadata) {
    let value = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            meta.fields
                .iter()
                .find(|f| f.key == *k && !f.value.text.is_empty())
                .map(|f| f.value.clone())
        })
    };
    let doc_number = value(&["文号", "发文字号"]);
    let issuer = value(&["发文机关", "发布机构"]);
    let title = value(&["标题", "名称"]);
    let date_text = value(&["成文日期", "发文日期", "发布日期"]);
    if meta.doc_number.is_none() {
        meta.doc_number = doc_number;
    }
    if meta.issuer.is_none() {
        meta.issuer = issuer;
    }
    if meta.title.is_none() {
        meta.title = title;
    }
    if meta.date.is_none() {
        meta.date = date_text.and_then(|t| date(&t.text, t.span));
    }
}

fn read_header_lines(lines: &[Line<'_>], meta: &mut Metadata) {
    let mut content: Vec<&Line<'_>> = Vec::new();
    for line in lines {
        if matches!(line.kind, LineKind::Blank | LineKind::Furniture(_)) {
            continue;
        }
        match fields(line) {
            Some(mut found) => meta.fields.append(&mut found),
            None => content.push(line),
        }
    }
    let date_at = content.iter().rposition(|l| date(l.text, l.span).is_some());
    let issuer_at = date_at.and_then(|d| d.checked_sub(1)).filter(|&i| {
        let t = content[i].text;
        t.chars().count() <= 30 && !t.contains(SENTENCE_PUNCTUATION) && !is_title(t)
    });
    let mut title_at: Vec<usize> = Vec::new();
    if let Some(i) = content.iter().position(|l| is_title(l.text)) {
        title_at.push(i);
    } else if let Some(i) = content.iter().position(|l| l.text.contains("关于")) {
        let next = content.get(i + 1).map(|l| l.text);
        if next.is_some_and(|n| ends_like_title(n) && !n.contains(SENTENCE_PUNCTUATION)) {
            title_at.extend([i, i + 1]);
        }
    }
    if title_at.is_empty()
        && let Some(first) = content.first()
        && first.text.chars().count() <= 40
        && !first.text.contains(SENTENCE_PUNCTUATION)
        && doc_number(first.text).is_none()
        && date(first.text, first.span).is_none()
    {
        title_at.push(0);
    }
    if let (Some(&first), Some(&last)) = (title_at.first(), title_at.last()) {
        let text: String = title_at.iter().map(|&i| content[i].text).collect();
        meta.title = Some(Text {
            text: text.into(),
            span: content[first].span.cover(content[last].span),
        });
    }
    for (i, line) in content.iter().enumerate() {
        if title_at.contains(&i) {
            continue;
        }
        if Some(i) == date_at {
            meta.date = date(line.text, line.span);
        } else if Some(i) == issuer_at {
            meta.issuer = Some(text_of(line));
        } else if is_note_text(line.text) {
            meta.notes.push(text_of(line));
        } else if meta.doc_number.is_none()
            && let Some(end) = doc_number(line.text)
        {
            let at = line.span.start;
            meta.doc_number = Some(Text {
                text: Str::from(&line.text[..end]),
                span: Span::new(at, at + end),
            });
            let rest = line.text[end..].trim();
            if !rest.is_empty() {
                let start = line.span.end - rest.len();
                meta.body.push(Text {
                    text: Str::from(rest),
                    span: Span::new(start, line.span.end),
                });
            }
        } else if meta.addressees.is_none() && is_addressees(line.text) {
            meta.addressees = Some(text_of(line));
        } else {
            meta.body.push(text_of(line));
        }
    }
}

/// Issuer, date and notes after the outline.
fn read_end_matter(lines: &[Line<'_>], split: &mut Split) {
    let mut tail: Vec<usize> = Vec::new();
    let mut i = lines.len();
    while i > split.outline_start && tail.len() < 4 {
        i -= 1;
        if !matches!(lines[i].kind, LineKind::Blank | LineKind::Furniture(_)) {
            tail.push(i);
        }
    }
    // `tail` holds the last few content lines, last first.
    let Some(date_pos) = tail
        .iter()
        .position(|&i| date(lines[i].text, lines[i].span).is_some())
    else {
        return;
    };
    if tail[..date_pos]
        .iter()
        .any(|&i| !is_note_text(lines[i].text))
    {
        return;
    }
    let date_line = &lines[tail[date_pos]];
    let mut first = tail[date_pos];
    let meta = &mut split.metadata;
    let issuer = tail.get(date_pos + 1).map(|&i| &lines[i]).filter(|l| {
        l.kind == LineKind::Text
            && l.text.chars().count() <= 30
            && !l.text.contains(SENTENCE_PUNCTUATION)
    });
    if let Some(issuer) = issuer {
        first = tail[date_pos + 1];
        if meta.issuer.is_none() {
            meta.issuer = Some(text_of(issuer));
        } else {
            meta.body.push(text_of(issuer));
        }
    }
    if meta.date.is_none() {
        meta.date = date(date_line.text, date_line.span);
    } else {
        meta.body.push(text_of(date_line));
    }
    for &i in tail[..date_pos].iter().rev() {
        meta.notes.push(text_of(&lines[i]));
    }
    split.outline_end = first;
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;
    use std::sync::LazyLock;

    #[test]
    fn first_and_last_characters_of_the_tables() {
        for key in FIELD_KEYS {
            assert!(starts_key(key.chars().next().unwrap()), "{key}");
        }
        for end in TITLE_ENDS {
            assert!(ends_title_word(end.chars().next_back().unwrap()), "{end}");
        }
        // No character more than the tables need.
        let firsts: std::collections::HashSet<char> =
            FIELD_KEYS.iter().filter_map(|k| k.chars().next()).collect();
        let lasts: std::collections::HashSet<char> = TITLE_ENDS
            .iter()
            .filter_map(|k| k.chars().next_back())
            .collect();
        let all: Vec<char> = (0..=0x10ffff).filter_map(char::from_u32).collect();
        assert_eq!(all.iter().filter(|&&c| starts_key(c)).count(), firsts.len());
        assert_eq!(
            all.iter().filter(|&&c| ends_title_word(c)).count(),
            lasts.len()
        );
    }

    #[test]
    fn dates() {
        let d = date("2023年2月10日", Span::new(0, 1)).unwrap();
        assert_eq!((d.year, d.month, d.day), (2023, 2, 10));
        let d = date("二〇二三年二月十日", Span::new(0, 1)).unwrap();
        assert_eq!((d.year, d.month, d.day), (2023, 2, 10));
        let d = date("二〇二三年十二月三十一日", Span::new(0, 1)).unwrap();
        assert_eq!((d.year, d.month, d.day), (2023, 12, 31));
        assert!(date("2023年13月1日", Span::new(0, 1)).is_none());
        assert!(date("2023年2月10日在会上", Span::new(0, 1)).is_none());
    }

    #[test]
    fn doc_numbers_in_every_bracket() {
        for s in [
            "浙政发〔2023〕6号",
            "国发[2022]12号",
            "鞍立政发【2023】2号",
            "蔡政办（2023）1号",
            "菏政办字 〔2023〕 5号",
        ] {
            assert!(DOC_NUMBER.is_match(s), "{s}");
            assert_eq!(doc_number(s), Some(s.len()), "{s}");
        }
    }

    // ---- the hand-written readers against the regexes they replace ----

    fn re(pattern: &str) -> Regex {
        Regex::new(pattern).unwrap()
    }

    /// The document number regexes the readers replace.
    static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?x)^
            \p{Han}{1,14} [\ \u{3000}]*
            [〔\[【(（［] [\ \u{3000}]* [0-9０-９]{4} [\ \u{3000}]* [〕\]】)）］]
            [\ \u{3000}]* 第? [\ \u{3000}]* [0-9０-９]{1,5} [\ \u{3000}]* 号")
    });
    static DOC_NUMBER_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?x)
            \p{Han}{1,8}
            [〔\[【(（［] [0-9０-９]{4} [〕\]】)）］]
            第? [0-9０-９]{1,5} 号")
    });

    /// `is_han` against `\p{Han}`, over every character: the runs of Han
    /// characters the regex finds in a text of all of them, in order, are
    /// the runs `is_han` finds.
    #[test]
    fn han_is_the_regex_class() {
        let all: String = (0..=0x10ffff).filter_map(char::from_u32).collect();
        let expected: Vec<(usize, usize)> = re(r"\p{Han}+")
            .find_iter(&all)
            .map(|m| (m.start(), m.end()))
            .collect();
        let mut found = Vec::new();
        let mut run: Option<usize> = None;
        for (at, c) in all.char_indices().chain([(all.len(), 'a')]) {
            match (is_han(c), run) {
                (true, None) => run = Some(at),
                (false, Some(start)) => {
                    found.push((start, at));
                    run = None;
                }
                _ => {}
            }
        }
        assert_eq!(found, expected);
    }

    static DATE_ARABIC: LazyLock<Regex> = LazyLock::new(|| {
        re(r"^([0-9０-９]{4})\s*年\s*([0-9０-９]{1,2})\s*月\s*([0-9０-９]{1,2})\s*日$")
    });
    static DATE_ISO: LazyLock<Regex> =
        LazyLock::new(|| re(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$"));
    static DATE_CHINESE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日$",
        )
    });
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| re(r"^[（(](?:此件|本件|本文)[^）)]{1,10}[）)]$"));
    static TITLE_END: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:通知|意见|方案|办法|决定|规定|细则|报告|批复|函|清单|计划|要点|纲要|规划|措施|公告|通告)$",
        )
    });
    static FIELD_KEY: LazyLock<Regex> = LazyLock::new(|| {
        let keys: Vec<String> = FIELD_KEYS
            .iter()
            .map(|k| {
                let chars: Vec<String> = k.chars().map(String::from).collect();
                chars.join(r"[ \t\u{3000}]*")
            })
            .collect();
        re(&format!(
            r"(?:^|[ \t\u{{3000}}])(?P<key>{})[ \t\u{{3000}}]*(?P<colon>[:：])?",
            keys.join("|")
        ))
    });

    fn groups(re: &Regex, text: &str) -> Option<[String; 3]> {
        let c = re.captures(text)?;
        Some([c[1].to_owned(), c[2].to_owned(), c[3].to_owned()])
    }

    fn owned(found: Option<[&str; 3]>) -> Option<[String; 3]> {
        found.map(|g| g.map(str::to_owned))
    }

    fn field_keys_reference(text: &str) -> Vec<KeyMatch> {
        FIELD_KEY
            .captures_iter(text)
            .map(|c| {
                let whole = c.get(0).unwrap();
                let key = c.name("key").unwrap();
                let compact: String = key.as_str().chars().filter(|c| !is_key_space(*c)).collect();
                KeyMatch {
                    start: whole.start(),
                    key: FIELD_KEYS.iter().find(|k| **k == compact).unwrap(),
                    key_start: key.start(),
                    key_end: key.end(),
                    end: whole.end(),
                    colon: c.name("colon").is_some(),
                }
            })
            .collect()
    }

    fn check_against_references(text: &str) {
        assert_eq!(
            owned(date_arabic(text)),
            groups(&DATE_ARABIC, text),
            "{text:?}"
        );
        assert_eq!(owned(date_iso(text)), groups(&DATE_ISO, text), "{text:?}");
        assert_eq!(
            owned(date_chinese(text)),
            groups(&DATE_CHINESE, text),
            "{text:?}"
        );
        assert_eq!(is_note_text(text), NOTE.is_match(text), "{text:?}");
        assert_eq!(ends_like_title(text), TITLE_END.is_match(text), "{text:?}");
        assert_eq!(field_keys(text), field_keys_reference(text), "{text:?}");
        assert_eq!(
            doc_number(text),
            DOC_NUMBER.find(text).map(|m| m.end()),
            "{text:?}"
        );
        assert_eq!(
            doc_number_anywhere(text),
            DOC_NUMBER_ANYWHERE.find(text).map(|m| (m.start(), m.end())),
            "{text:?}"
        );
    }

    #[test]
    fn white_space_is_regex_white_space() {
        let white = re(r"^\s$");
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(
                c.is_whitespace(),
                white.is_match(c.encode_utf8(&mut [0; 4]))
            );
        }
    }

    #[test]
    fn readers_agree_on_the_fixtures() {
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                check_against_references(line);
                check_against_references(line.trim());
            }
        }
        for text in [
            "2023年2月10日",
            "２０２３ 年 ２ 月 １０ 日",
            "2023年123月1日",
            "20233年1月1日",
            "2023-2-10",
            "2023.12.31",
            "2023/1/123",
            "二〇二三年十二月三十一日",
            "二〇二三年 十二月三十一日 ",
            "（此件公开发布）",
            "(本文有删减)",
            "（此件）",
            "（此件一二三四五六七八九十）",
            "（此件一二三四五六七八九十一）",
            "（此件公开）发布）",
            "索 引 号: 000014349/2020-105482 发布日期: 2020-06-28",
            "文号 发布日期：2020",
            "\u{3000}文号：蔡政办〔2023〕1号",
            "主题分类 主题词",
            "浙政发〔2023〕6号",
            "浙政发 〔 2023 〕 第 6 号 关于",
            "一二三四五六七八九十一二三四〔2023〕6号",
            "一二三四五六七八九十一二三四五〔2023〕6号",
            "文 号 蔡政办〔2023〕1号",
            "文号：一二三四五六七八九十〔2023〕123456号 浙政发[2023]1号",
            "国发（2022）12号。国发〔20221〕1号",
            "〇〇〔２０２２〕第１２号",
            "㐀丽\u{2e9a}〔2022〕1号",
        ] {
            check_against_references(text);
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn readers_agree_on_the_alphabet(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "2", "0", "1", "２", "０", "年", "月", "日", " ", "\u{3000}", "\t", "\u{a0}",
                "-", "/", ".", "〇", "零", "○", "Ｏ", "一", "二", "十", "九", "（", "(", "）",
                ")", "此件", "本文", "公开", "索", "引", "号", "文", "发", "布", "日期", "主题",
                "分类", "词", "来源", "信息", ":", "：", "通知", "函", "关于", "x", "。",
                "〔", "〕", "[", "]", "【", "】", "［", "］", "第", "浙政发", "国", "々",
                "\u{2e9a}", "\u{2e80}", "\u{20000}", "\u{2fa1d}", "①",
            ]),
            0..24,
        )) {
            check_against_references(&s.concat());
        }

        #[test]
        fn dates_agree_near_their_shape(
            year in "[0-9２〇零一十]{3,5}",
            month in "[0-9１二十]{0,4}",
            day in "[0-9９三十x]{0,4}",
            white in "[ \u{3000}]{0,2}",
            separators in proptest::sample::select(vec![
                ["年", "月", "日"], ["-", "-", ""], ["/", ".", ""], ["年", "-", "日"],
            ]),
        ) {
            let [a, b, c] = separators;
            check_against_references(&format!("{year}{white}{a}{white}{month}{b}{day}{white}{c}"));
            check_against_references(&format!("{year}{a}{month}{b}{day}{c}"));
        }

        #[test]
        fn doc_numbers_agree_near_their_shape(
            before in "[文号： a]{0,3}",
            issuer in "[浙政发办一々〇\u{2e9a}a]{0,16}",
            open in "[〔\\[【(（［〈]",
            year in "[0-9２]{3,5}",
            close in "[〕\\]】)）］〉]",
            ordinal in "第?",
            number in "[0-9６]{0,6}",
            white in "[ \u{3000}]{0,2}",
            after in "号?[号。 ]?",
        ) {
            check_against_references(&format!(
                "{before}{issuer}{open}{year}{close}{ordinal}{number}{after}"
            ));
            check_against_references(&format!(
                "{before}{issuer}{white}{open}{white}{year}{white}{close}{white}{ordinal}{white}{number}{white}{after}"
            ));
        }
    }
}
