//! The document around the outline: title, document number, addressees,
//! notice body, issuer, date and notes, at the head and at the end.

use crate::lines::{Line, LineKind, chinese_small_number, digits_value};
use crate::model::{DateText, Field, Metadata};
use crate::span::{Span, Text};
use regex::Regex;
use std::sync::LazyLock;

/// Where the header and the end matter are, in line indices, and what they
/// say. Lines `outline_start..outline_end` are the outline's.
#[derive(Debug, Default)]
pub(crate) struct Split {
    pub metadata: Metadata,
    pub outline_start: usize,
    pub outline_end: usize,
}

/// `浙政发〔2023〕6号`, with any bracket style.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^
        \p{Han}{1,14} [\ \u{3000}]*
        [〔\[【(（［] [\ \u{3000}]* [0-9０-９]{4} [\ \u{3000}]* [〕\]】)）］]
        [\ \u{3000}]* 第? [\ \u{3000}]* [0-9０-９]{1,5} [\ \u{3000}]* 号",
    )
    .expect("doc number regex is valid")
});

/// A document number anywhere in a line, led by the issuer's short form.
static DOC_NUMBER_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \p{Han}{1,8}
        [〔\[【(（［] [0-9０-９]{4} [〕\]】)）］]
        第? [0-9０-９]{1,5} 号",
    )
    .expect("doc number regex is valid")
});

/// A line that is a date and nothing else.
static DATE_ARABIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9０-９]{4})\s*年\s*([0-9０-９]{1,2})\s*月\s*([0-9０-９]{1,2})\s*日$")
        .expect("date regex is valid")
});

static DATE_ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$").expect("date regex is valid")
});

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

static FIELD_KEY: LazyLock<Regex> = LazyLock::new(|| {
    let keys: Vec<String> = FIELD_KEYS
        .iter()
        .map(|k| {
            let chars: Vec<String> = k.chars().map(String::from).collect();
            chars.join(r"[ \t\u{3000}]*")
        })
        .collect();
    Regex::new(&format!(
        r"(?:^|[ \t\u{{3000}}])(?P<key>{})[ \t\u{{3000}}]*(?P<colon>[:：])?",
        keys.join("|")
    ))
    .expect("field regex is valid")
});

static DATE_CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日$",
    )
    .expect("date regex is valid")
});

static NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(](?:此件|本件|本文)[^）)]{1,10}[）)]$").expect("note regex is valid")
});

/// Words a title ends with.
static TITLE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:通知|意见|方案|办法|决定|规定|细则|报告|批复|函|清单|计划|要点|纲要|规划|措施|公告|通告)$",
    )
    .expect("title regex is valid")
});

const SENTENCE_PUNCTUATION: &[char] = &['，', '。', '；', '：', ',', ';', ':', '！', '？'];

/// Reads a date line.
pub(crate) fn date(text: &str, span: Span) -> Option<DateText> {
    // Most lines are not dates: say so before running a regex.
    if !(text.ends_with('日') || (text.len() <= 10 && text.contains(['-', '/', '.']))) {
        return None;
    }
    let (year, month, day) = if let Some(c) = DATE_ARABIC
        .captures(text)
        .or_else(|| DATE_ISO.captures(text))
    {
        (
            digits_value(&c[1])?,
            digits_value(&c[2])?,
            digits_value(&c[3])?,
        )
    } else if let Some(c) = DATE_CHINESE.captures(text) {
        let mut year = 0u32;
        for ch in c[1].chars() {
            let d = match ch {
                '〇' | '零' | '○' | 'Ｏ' => 0,
                other => chinese_small_number(&other.to_string())?,
            };
            year = year * 10 + d;
        }
        (
            year,
            chinese_small_number(&c[2])?,
            chinese_small_number(&c[3])?,
        )
    } else {
        return None;
    };
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| DateText {
        text: text.to_owned(),
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

fn is_title(text: &str) -> bool {
    text.contains("关于") && !text.contains(['：', ':']) && TITLE_END.is_match(text)
}

fn is_doc_number(text: &str) -> bool {
    text.contains('号') && DOC_NUMBER.is_match(text)
}

fn is_note(text: &str) -> bool {
    text.starts_with(['（', '(']) && NOTE.is_match(text)
}

fn text_of(line: &Line<'_>) -> Text {
    Text {
        text: line.text.to_owned(),
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
                    || NOTE.is_match(lines[end].text))
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
            let m = DOC_NUMBER_ANYWHERE.find(l.text)?;
            let at = l.span.start + m.start();
            Some(Text {
                text: m.as_str().to_owned(),
                span: Span::new(at, at + m.len()),
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
    let keys: Vec<regex::Captures<'_>> = FIELD_KEY.captures_iter(line.text).collect();
    let first = keys.first()?;
    if first.get(0)?.start() != 0 || (keys.len() < 2 && first.name("colon").is_none()) {
        return None;
    }
    if line.text.contains(['。', '，']) {
        return None;
    }
    let mut out = Vec::new();
    for (k, c) in keys.iter().enumerate() {
        let whole = c.get(0)?;
        let key = c.name("key")?;
        let value_end = keys
            .get(k + 1)
            .and_then(|next| next.get(0))
            .map_or(line.text.len(), |m| m.start());
        let raw = &line.text[whole.end()..value_end];
        let value = raw.trim_matches(|c: char| crate::lines::is_space(c));
        let value_start = line.span.start
            + whole.end()
            + (raw.len()
                - raw
                    .trim_start_matches(|c: char| crate::lines::is_space(c))
                    .len());
        let at = line.span.start;
        out.push(Field {
            key: key
                .as_str()
                .chars()
                .filter(|c| !crate::lines::is_space(*c))
                .collect(),
            value: Text {
                text: value.to_owned(),
                span: Span::new(value_start, value_start + value.len()),
            },
            span: Span::new(at + key.start(), value_start + value.len()),
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
        if next.is_some_and(|n| TITLE_END.is_match(n) && !n.contains(SENTENCE_PUNCTUATION)) {
            title_at.extend([i, i + 1]);
        }
    }
    if title_at.is_empty()
        && let Some(first) = content.first()
        && first.text.chars().count() <= 40
        && !first.text.contains(SENTENCE_PUNCTUATION)
        && !DOC_NUMBER.is_match(first.text)
        && date(first.text, first.span).is_none()
    {
        title_at.push(0);
    }
    if let (Some(&first), Some(&last)) = (title_at.first(), title_at.last()) {
        let text: String = title_at.iter().map(|&i| content[i].text).collect();
        meta.title = Some(Text {
            text,
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
        } else if NOTE.is_match(line.text) {
            meta.notes.push(text_of(line));
        } else if meta.doc_number.is_none()
            && let Some(m) = DOC_NUMBER.find(line.text)
        {
            let at = line.span.start;
            meta.doc_number = Some(Text {
                text: m.as_str().to_owned(),
                span: Span::new(at, at + m.end()),
            });
            let rest = line.text[m.end()..].trim();
            if !rest.is_empty() {
                let start = line.span.end - rest.len();
                meta.body.push(Text {
                    text: rest.to_owned(),
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
        .any(|&i| !NOTE.is_match(lines[i].text))
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
        }
    }
}
