//! Stage 1b: the page around the text. Marks lines that are not part of
//! the document (page numbers, running heads, site navigation, footers)
//! and measures whether the text was hard-wrapped (text taken from a PDF),
//! so that the outline stage can join a line that continues the one
//! before it.

use crate::lines::{Line, LineKind};
use crate::model::{Furniture, FurnitureKind};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            [—\-–－―─]+ \s* [0-9０-９]{1,4} \s* [—\-–－―─]+
          | 第 \s* [0-9０-９]{1,4} \s* 页 (?: \s* [,，/]? \s* 共 \s* [0-9０-９]{1,4} \s* 页 )?
          | [0-9０-９]{1,4} \s* / \s* [0-9０-９]{1,4}
          | (?i:page) \s* [0-9]{1,4} (?: \s* (?i:of) \s* [0-9]{1,4} )?
        )$",
    )
    .expect("page number regex is valid")
});

/// Words of site navigation, each a whole item of a navigation line.
const NAVIGATION: &[&str] = &[
    "设为首页",
    "加入收藏",
    "无障碍阅读",
    "无障碍",
    "长者版",
    "关怀版",
    "适老版",
    "繁體",
    "繁体",
    "简体",
    "English",
    "网站地图",
    "登录",
    "注册",
    "首页",
    "打印本页",
    "打印",
    "关闭窗口",
    "关闭",
    "分享到",
    "扫一扫",
    "返回顶部",
    "收藏",
    "搜索",
    "字号",
    "大",
    "中",
    "小",
    "字体",
    "默认",
    "返回",
    "上一篇",
    "下一篇",
    "我要纠错",
    "手机版",
    "微信",
    "微博",
];

static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"版权所有|ICP备|ICP证|网站标识码|公网安备|Copyright|©|技术支持[:：]|(?:主办|承办)(?:单位)?[:：].*(?:承办|网站|维护)|联系我们",
    )
    .expect("footer regex is valid")
});

fn is_navigation(text: &str) -> bool {
    if text.starts_with("当前位置")
        || text.starts_with("您现在的位置")
        || text.starts_with("您的位置")
    {
        return true;
    }
    let items: Vec<&str> = text
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '|' | '｜'
                        | '·'
                        | '•'
                        | '-'
                        | '>'
                        | '＞'
                        | '/'
                        | '【'
                        | '】'
                        | '['
                        | ']'
                        | '：'
                        | ':'
                )
        })
        .filter(|s| !s.is_empty())
        .collect();
    !items.is_empty() && items.iter().all(|item| NAVIGATION.contains(item))
}

/// Marks furniture lines in place (their kind becomes
/// [`LineKind::Furniture`]) and returns them.
pub(crate) fn mark_furniture(lines: &mut [Line<'_>]) -> Vec<Furniture> {
    let last_content = lines.iter().rposition(|l| l.kind != LineKind::Blank);
    let mut out = Vec::new();
    let mut page_numbers = 0;
    for (i, line) in lines.iter_mut().enumerate() {
        if line.kind == LineKind::Blank {
            continue;
        }
        let short = line.text.len() <= 48;
        let kind = if (short && PAGE_NUMBER.is_match(line.text))
            || (line.text.len() <= 3
                && line.text.chars().all(|c| c.is_ascii_digit())
                && Some(i) != last_content)
        {
            page_numbers += 1;
            FurnitureKind::PageNumber
        } else if !matches!(line.kind, LineKind::Text | LineKind::Label) {
            continue;
        } else if line.text.len() <= 360 && FOOTER.is_match(line.text) {
            FurnitureKind::Footer
        } else if line.kind != LineKind::Text {
            continue;
        } else if line.text.len() <= 240 && is_navigation(line.text) {
            FurnitureKind::Navigation
        } else {
            continue;
        };
        line.kind = LineKind::Furniture(kind);
    }
    // Running heads: short lines repeated on every page. An occurrence
    // before the first page number stays (it is often the title on the
    // first page); the rest are furniture.
    if page_numbers >= 2 {
        let first_page_end = lines
            .iter()
            .position(|l| l.kind == LineKind::Furniture(FurnitureKind::PageNumber))
            .unwrap_or(0);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for line in lines.iter() {
            if line.kind == LineKind::Text && line.text.chars().count() <= 40 {
                *seen.entry(line.text).or_default() += 1;
            }
        }
        for (i, line) in lines.iter_mut().enumerate() {
            if line.kind == LineKind::Text
                && i > first_page_end
                && seen.get(line.text).is_some_and(|&n| n >= 2)
                && !line.text.ends_with('。')
            {
                line.kind = LineKind::Furniture(FurnitureKind::RunningHead);
            }
        }
    }
    for line in lines.iter() {
        if let LineKind::Furniture(kind) = line.kind {
            out.push(Furniture {
                kind,
                text: line.text.to_owned(),
                span: line.span,
            });
        }
    }
    out
}

/// Display width: two columns for CJK and full-width characters.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

/// How a hard-wrapped text was wrapped.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Wrap {
    /// The usual width of a full line, in columns.
    width: usize,
    /// Whether paragraphs start indented.
    indented: bool,
}

const WRAP_TOLERANCE: usize = 4;

/// Whether the text was hard-wrapped at a fixed width (as text taken out
/// of a PDF is), and at which width.
pub(crate) fn wrap(source: &str, lines: &[Line<'_>]) -> Option<Wrap> {
    let widths: Vec<usize> = lines
        .iter()
        .filter(|l| {
            matches!(
                l.kind,
                LineKind::Text | LineKind::Marker { .. } | LineKind::Label
            )
        })
        .map(|l| width(&source[l.raw.range()]))
        .filter(|&w| w >= 30)
        .collect();
    if widths.len() < 6 {
        return None;
    }
    let mut widths = widths;
    widths.sort_unstable();
    // The width with the most lines in the band just below it.
    let (best, in_band) = widths
        .iter()
        .map(|&w| {
            let lo = widths.partition_point(|&x| x + WRAP_TOLERANCE < w);
            let hi = widths.partition_point(|&x| x <= w);
            (w, hi - lo)
        })
        .max_by_key(|&(w, band)| (band, w))?;
    // A wrapped text has most long lines at the wrap width, and none much
    // longer.
    let longer = widths.iter().filter(|&&x| x > best + 2).count();
    if in_band * 2 < widths.len() || longer * 10 > widths.len() {
        return None;
    }
    let text_lines: Vec<&Line<'_>> = lines.iter().filter(|l| l.kind != LineKind::Blank).collect();
    let indented = text_lines
        .iter()
        .filter(|l| l.span.start > l.raw.start)
        .count();
    Some(Wrap {
        width: best,
        indented: indented * 5 >= text_lines.len(),
    })
}

impl Wrap {
    /// Whether `line` continues `previous` (the content line before it).
    pub(crate) fn continues(&self, source: &str, previous: &Line<'_>, line: &Line<'_>) -> bool {
        if line.kind != LineKind::Text {
            return false;
        }
        let full = width(&source[previous.raw.range()]) + WRAP_TOLERANCE >= self.width;
        if !full {
            return false;
        }
        if self.indented {
            line.span.start == line.raw.start
        } else {
            !previous.text.ends_with(['。', '！', '？', '；', '：'])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::lines;

    #[test]
    fn page_numbers_navigation_and_footers() {
        let text = "- 设为首页\n首页 | 无障碍 | 长者版\n— 3 —\n- 12 -\n第3页 共10页\n正文。\n版权所有：某市人民政府 网站标识码1234\n";
        let mut ls = lines(text);
        let f = mark_furniture(&mut ls);
        let kinds: Vec<FurnitureKind> = f.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FurnitureKind::Navigation,
                FurnitureKind::Navigation,
                FurnitureKind::PageNumber,
                FurnitureKind::PageNumber,
                FurnitureKind::PageNumber,
                FurnitureKind::Footer
            ]
        );
    }

    #[test]
    fn prose_is_not_furniture() {
        let text = "一、总体要求\n1.新增企业20家。\n首页设计要美观。\n2023\n";
        let mut ls = lines(text);
        assert!(mark_furniture(&mut ls).is_empty());
    }
}
