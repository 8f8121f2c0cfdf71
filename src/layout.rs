//! Stage 1b: the page around the text. Marks lines that are not part of
//! the document (page numbers, running heads, site navigation, footers)
//! and measures whether the text was hard-wrapped (text taken from a PDF),
//! so that the outline stage can join a line that continues the one
//! before it.

use crate::lines::{Line, LineKind};
use crate::model::{Furniture, FurnitureKind};
use crate::string::Str;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};

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

/// How many positions [`footer_anchors`] tests at once.
const FOOTER_WINDOW: usize = 16;

/// The positions among the first [`FOOTER_WINDOW`] of `w` where a
/// character that every footer mark holds may start, as bytes 0 or 1 (the
/// two bytes after them are there for a 3-byte character's tail).
///
/// Every footer mark holds one of `C` (`ICP`, `Copyright`), `©`, `版`,
/// `网` (`网站标识码`, `公网安备`), `技`, `办` (`主办`, `承办`) and `联`:
/// [`footer_at`] reads the mark around each of them. Written without
/// branches so that the compiler turns it into a few vector operations:
/// most windows hold none of them. The five ideographs are told by their
/// last two bytes only, two compares fewer each: a few rare ideographs
/// share them and pass, and [`footer_at`], which compares all the bytes
/// of each mark, turns them down.
fn footer_anchors(w: &[u8; FOOTER_WINDOW + 2]) -> [u8; FOOTER_WINDOW] {
    let mut hits = [0u8; FOOTER_WINDOW];
    for (k, hit) in hits.iter_mut().enumerate() {
        let (a, b, c) = (w[k], w[k + 1], w[k + 2]);
        let tail = |x: [u8; 2]| (b == x[0]) & (c == x[1]);
        let any = (a == b'C')
            | ((a == 0xC2) & (b == 0xA9))
            | tail([0x89, 0x88])
            | tail([0xBD, 0x91])
            | tail([0x8A, 0x80])
            | tail([0x8A, 0x9E])
            | tail([0x81, 0x94]);
        *hit = u8::from(any);
    }
    hits
}

/// Whether a footer mark holds the character at byte `i` of `bytes`
/// (found by [`footer_anchors`]): the byte sequences of [`is_footer`]'s
/// marks. A mark starts with a lead byte or an ASCII byte, so a match of
/// its bytes starts at a character boundary and is a match of its text.
fn footer_at(bytes: &[u8], i: usize) -> bool {
    let rest = &bytes[i..];
    let before = |mark: &str| {
        i.checked_sub(mark.len())
            .is_some_and(|from| bytes[from..i] == *mark.as_bytes())
    };
    match rest.first() {
        Some(b'C') => {
            rest.starts_with(b"Copyright")
                || (before("I")
                    && (rest[1..].starts_with("P备".as_bytes())
                        || rest[1..].starts_with("P证".as_bytes())))
        }
        Some(0xC2) => rest.starts_with("©".as_bytes()),
        _ => {
            if rest.starts_with("版权所有".as_bytes())
                || rest.starts_with("网站标识码".as_bytes())
                || rest.starts_with("联系我们".as_bytes())
            {
                return true;
            }
            if rest.starts_with("网安备".as_bytes()) {
                return before("公");
            }
            if let Some(after) = rest.strip_prefix("技术支持".as_bytes()) {
                return starts_with_colon(after);
            }
            if rest.starts_with("办".as_bytes()) && (before("主") || before("承")) {
                // `(?:主办|承办)(?:单位)?[:：].*(?:承办|网站|维护)`: `.`
                // takes anything but a line feed.
                let after = &rest["办".len()..];
                let after = after.strip_prefix("单位".as_bytes()).unwrap_or(after);
                let Some(colon) = colon_len(after) else {
                    return false;
                };
                let tail = &after[colon..];
                let line = tail.split(|&b| b == b'\n').next().unwrap_or(tail);
                return ["承办", "网站", "维护"]
                    .iter()
                    .any(|w| line.windows(w.len()).any(|x| x == w.as_bytes()));
            }
            false
        }
    }
}

/// The length of the `:` or `：` that `bytes` starts with.
fn colon_len(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(b":") {
        Some(1)
    } else if bytes.starts_with("：".as_bytes()) {
        Some("：".len())
    } else {
        None
    }
}

/// Whether `bytes` starts with `:` or `：`.
fn starts_with_colon(bytes: &[u8]) -> bool {
    colon_len(bytes).is_some()
}

/// Whether `text` holds a mark of a site footer: a copyright line, a
/// registration number, the site's owner and maintainer, a contact link.
///
/// Replaces the regex
/// `版权所有|ICP备|ICP证|网站标识码|公网安备|Copyright|©|技术支持[:：]|(?:主办|承办)(?:单位)?[:：].*(?:承办|网站|维护)|联系我们`
/// (kept as the tests' reference): each of its choices holds one of seven
/// characters, looked for [`FOOTER_WINDOW`] positions at a time, and only
/// where one is does [`footer_at`] read the choices that hold it. The
/// regex cost more than 600 instructions and 9 mispredicted branches per
/// line. The windows that reach past the end of `text` are padded with
/// zero bytes, which start no mark.
fn is_footer(text: &str) -> bool {
    const LEN: usize = FOOTER_WINDOW + 2;
    let bytes = text.as_bytes();
    let mut base = 0;
    while base < bytes.len() {
        let mut padded = [0u8; LEN];
        let w = match bytes.get(base..).and_then(<[u8]>::first_chunk::<LEN>) {
            Some(w) => w,
            None => {
                let rest = &bytes[base..];
                padded[..rest.len()].copy_from_slice(rest);
                &padded
            }
        };
        let hits = footer_anchors(w);
        if u128::from_ne_bytes(hits) != 0 {
            for (k, &hit) in hits.iter().enumerate() {
                if hit != 0 && base + k < bytes.len() && footer_at(bytes, base + k) {
                    return true;
                }
            }
        }
        base += FOOTER_WINDOW;
    }
    false
}

/// The longest of the [`NAVIGATION`] words, in bytes (a unit test checks
/// it against the table).
const LONGEST_NAVIGATION: usize = "无障碍阅读".len();

/// Whether `c` separates the items of a navigation line.
fn separates_navigation(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '|' | '｜' | '·' | '•' | '-' | '>' | '＞' | '/' | '【' | '】' | '[' | ']' | '：' | ':'
        )
}

/// A line of site navigation: a breadcrumb, or nothing but
/// [`NAVIGATION`] words between separators.
///
/// Items are checked as they are found, so a line of prose is given up at
/// its first item, and as soon as that item grows longer than any
/// navigation word: prose costs a few characters, not a pass over the line.
fn is_navigation(text: &str) -> bool {
    if text.starts_with("当前位置")
        || text.starts_with("您现在的位置")
        || text.starts_with("您的位置")
    {
        return true;
    }
    let mut items = 0;
    let mut start = 0;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if !separates_navigation(c) {
            if i - start >= LONGEST_NAVIGATION {
                return false;
            }
            continue;
        }
        if i > start {
            if !NAVIGATION.contains(&&text[start..i]) {
                return false;
            }
            items += 1;
        }
        start = i + c.len_utf8();
    }
    items > 0
}

/// The dashes around a page number (`— 3 —`).
fn is_dash(c: char) -> bool {
    matches!(c, '—' | '-' | '–' | '－' | '―' | '─')
}

/// ASCII or full-width digits.
fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `s` after the run of `class` characters at its start, when that run is
/// one to four characters long.
fn number(s: &str, class: fn(char) -> bool) -> Option<&str> {
    let (n, len) = s
        .chars()
        .take_while(|&c| class(c))
        .fold((0, 0), |(n, len), c| (n + 1, len + c.len_utf8()));
    (1..=4).contains(&n).then(|| &s[len..])
}

/// `s` after the white space at its start (regex `\s*`).
fn white(s: &str) -> &str {
    s.trim_start_matches(char::is_whitespace)
}

/// A page number line: what the regex
/// `^(?:[—\-–－―─]+\s*N\s*[—\-–－―─]+|第\s*N\s*页(?:\s*[,，/]?\s*共\s*N\s*页)?|N\s*/\s*N|(?i:page)\s*[0-9]{1,4}(?:\s*(?i:of)\s*[0-9]{1,4})?)$`
/// matches, `N` standing for `[0-9０-９]{1,4}`; read by hand, as
/// compiling the regex cost more than all the lines it read. (A unit test
/// checks it against the regex.)
///
/// The first character (a dash, 第, a digit, `p`) says which shape to
/// read, and each shape is a sequence of parts that start with characters
/// the part before cannot hold (dashes, white space, digits, 页 and 共 are
/// apart), so there is one way to read it. A run of more than four digits
/// is no match: the regex would have to go on with a fifth digit where
/// white space, a dash, `/` or 页 must come.
fn is_page_number(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let read = || -> Option<&str> {
        match first {
            c if is_dash(c) => {
                let rest = white(number(
                    white(text.trim_start_matches(is_dash)),
                    is_any_digit,
                )?);
                rest.starts_with(is_dash)
                    .then(|| rest.trim_start_matches(is_dash))
            }
            '第' => {
                let rest = white(text.strip_prefix('第')?);
                let rest = white(number(rest, is_any_digit)?).strip_prefix('页')?;
                if rest.is_empty() {
                    return Some(rest);
                }
                let rest = white(rest);
                let rest = white(rest.strip_prefix([',', '，', '/']).unwrap_or(rest));
                let rest = white(rest.strip_prefix('共')?);
                white(number(rest, is_any_digit)?).strip_prefix('页')
            }
            c if is_any_digit(c) => {
                let rest = white(number(text, is_any_digit)?).strip_prefix('/')?;
                number(white(rest), is_any_digit)
            }
            'p' | 'P' => {
                let (word, rest) = text.split_at_checked(4)?;
                if !word.eq_ignore_ascii_case("page") {
                    return None;
                }
                let rest = number(white(rest), |c| c.is_ascii_digit())?;
                if rest.is_empty() {
                    return Some(rest);
                }
                let (word, rest) = white(rest).split_at_checked(2)?;
                if !word.eq_ignore_ascii_case("of") {
                    return None;
                }
                number(white(rest), |c| c.is_ascii_digit())
            }
            _ => None,
        }
    };
    read().is_some_and(str::is_empty)
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
        let kind = if (short && is_page_number(line.text))
            || (line.text.len() <= 3
                && line.text.chars().all(|c| c.is_ascii_digit())
                && Some(i) != last_content)
        {
            page_numbers += 1;
            FurnitureKind::PageNumber
        } else if !matches!(line.kind, LineKind::Text | LineKind::Label) {
            continue;
        } else if line.text.len() <= 360 && is_footer(line.text) {
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
        let mut seen: HashMap<&str, usize, LineHasherBuilder> =
            HashMap::with_hasher(LineHasherBuilder::new());
        for line in lines.iter() {
            // At most 40 characters: 40 bytes surely are, more than 160
            // surely are not (a character takes one to four bytes).
            let len = line.text.len();
            if line.kind == LineKind::Text
                && (len <= 40 || (len <= 160 && line.text.chars().count() <= 40))
            {
                *seen.entry(line.text).or_default() += 1;
            }
        }
        for (i, line) in lines.iter_mut().enumerate() {
            // Only texts of 160 bytes at most were counted: a longer one
            // is not looked up (and hashed) at all.
            if line.kind == LineKind::Text
                && i > first_page_end
                && line.text.len() <= 160
                && !line.text.ends_with('。')
                && seen.get(line.text).is_some_and(|&n| n >= 2)
            {
                line.kind = LineKind::Furniture(FurnitureKind::RunningHead);
            }
        }
    }
    for line in lines.iter() {
        if let LineKind::Furniture(kind) = line.kind {
            out.push(Furniture {
                kind,
                text: Str::from(line.text),
                span: line.span,
            });
        }
    }
    out
}

/// Builds the [`LineHasher`]s of the running heads' count of lines.
///
/// The count hashes every short line of the text once and looks most of
/// them up again; SipHash, the standard map's hasher, cost more than the
/// rest of [`mark_furniture`] on a text with page numbers. The seed is
/// taken from a [`RandomState`] (one SipHash per map), so that a hostile
/// text cannot be written to make its lines collide.
#[derive(Clone, Copy)]
struct LineHasherBuilder {
    seed: u64,
}

impl LineHasherBuilder {
    fn new() -> Self {
        LineHasherBuilder {
            seed: RandomState::new().hash_one(0x5eed_u64) | 1,
        }
    }
}

impl BuildHasher for LineHasherBuilder {
    type Hasher = LineHasher;

    fn build_hasher(&self) -> LineHasher {
        LineHasher { state: self.seed }
    }
}

/// A hasher for short texts: eight bytes at a time, each word mixed in by
/// a folded multiply (the high and low halves of a 128-bit product, xored),
/// which takes a few instructions per word where SipHash takes dozens.
struct LineHasher {
    state: u64,
}

/// An odd constant with its bits spread (the fractional bits of π).
const LINE_HASH_MULTIPLIER: u64 = 0x243f_6a88_85a3_08d3;

/// The high and low halves of `a × b`, xored.
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

impl Hasher for LineHasher {
    fn write(&mut self, bytes: &[u8]) {
        let (words, tail) = bytes.as_chunks::<8>();
        let mut state = self.state;
        for word in words {
            state = folded_multiply(state ^ u64::from_le_bytes(*word), LINE_HASH_MULTIPLIER);
        }
        // The tail is padded with zeros; the length, mixed in too, tells
        // `ab` from `ab\0`.
        let mut last = [0u8; 8];
        last[..tail.len()].copy_from_slice(tail);
        state = folded_multiply(
            state ^ u64::from_le_bytes(last),
            LINE_HASH_MULTIPLIER ^ ((bytes.len() as u64) << 1),
        );
        self.state = state;
    }

    fn finish(&self) -> u64 {
        folded_multiply(self.state, LINE_HASH_MULTIPLIER.rotate_left(32))
    }
}

/// Display width: two columns for CJK and full-width characters (from
/// U+1100 on), one for the others.
///
/// Counted from the bytes: one column for each byte that starts a
/// character, one more for each lead byte from `0xe2` (U+2000) on. Lead
/// byte `0xe1` (U+1000 to U+1FFF) is the one that does not tell which side
/// of U+1100 a character is on; a text with one is counted character by
/// character.
///
/// The bytes are counted 64 at a time, in a loop of plain comparisons
/// that the compiler turns into vector instructions; the last bytes are
/// copied into a block of zeros, and the zeros (one column each) are taken
/// off again.
fn width(s: &str) -> usize {
    /// The columns of 64 bytes (at most 128), and whether one is `0xe1`.
    fn block(bytes: &[u8; 64]) -> (usize, bool) {
        let mut count = 0u8;
        let mut e1 = 0u8;
        for &b in bytes {
            count = count
                .wrapping_add(u8::from((b as i8) >= -0x40))
                .wrapping_add(u8::from(b >= 0xe2));
            e1 |= u8::from(b == 0xe1);
        }
        (usize::from(count), e1 != 0)
    }
    let (blocks, tail) = s.as_bytes().as_chunks::<64>();
    let mut last = [0u8; 64];
    last[..tail.len()].copy_from_slice(tail);
    let (mut columns, mut e1) = block(&last);
    columns -= 64 - tail.len();
    for b in blocks {
        let (c, e) = block(b);
        columns += c;
        e1 |= e;
    }
    if !e1 {
        return columns;
    }
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
    let (best, in_band) = widest_band(&widths);
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

/// The width with the most lines in the band just below it (from
/// [`WRAP_TOLERANCE`] columns under it up to it), the widest of those
/// that tie, and how many lines are in its band; `widths` is sorted, and
/// not empty.
///
/// Both ends of the band only move up as the width does, so each is moved
/// along the widths once, rather than found by a search for each width
/// (which took most of [`wrap`] on a text of many lines).
fn widest_band(widths: &[usize]) -> (usize, usize) {
    let (mut lo, mut hi) = (0, 0);
    let mut best = (0, 0);
    for &w in widths {
        // Neither passes the width's own place: `w` is in its band.
        while widths[lo] + WRAP_TOLERANCE < w {
            lo += 1;
        }
        while widths.get(hi).is_some_and(|&x| x <= w) {
            hi += 1;
        }
        best = best.max((hi - lo, w));
    }
    (best.1, best.0)
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
    use regex::Regex;
    use std::sync::LazyLock;

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

    /// The running heads' map counts the lines of the fixtures as the
    /// standard map does, and tells apart texts that differ only by
    /// trailing zero bytes or in their last word.
    #[test]
    fn line_hasher_counts_as_the_standard_map() {
        let build = LineHasherBuilder::new();
        assert_ne!(build.hash_one("ab"), build.hash_one("ab\0"));
        assert_ne!(build.hash_one("12345678a"), build.hash_one("12345678b"));
        assert_eq!(
            build.hash_one("某市人民政府"),
            build.hash_one("某市人民政府")
        );
        for text in crate::testing::fixture_texts() {
            let mut fast: HashMap<&str, usize, LineHasherBuilder> =
                HashMap::with_hasher(LineHasherBuilder::new());
            let mut standard: HashMap<&str, usize> = HashMap::new();
            for line in text.lines() {
                *fast.entry(line).or_default() += 1;
                *standard.entry(line).or_default() += 1;
            }
            assert_eq!(fast.len(), standard.len());
            assert!(standard.iter().all(|(k, n)| fast.get(k) == Some(n)));
        }
    }

    #[test]
    fn longest_navigation_word() {
        assert_eq!(
            NAVIGATION.iter().map(|w| w.len()).max(),
            Some(LONGEST_NAVIGATION)
        );
    }

    /// `is_navigation` as first written: split, collect, check every item.
    fn is_navigation_reference(text: &str) -> bool {
        if text.starts_with("当前位置")
            || text.starts_with("您现在的位置")
            || text.starts_with("您的位置")
        {
            return true;
        }
        let items: Vec<&str> = text
            .split(separates_navigation)
            .filter(|s| !s.is_empty())
            .collect();
        !items.is_empty() && items.iter().all(|item| NAVIGATION.contains(item))
    }

    /// The footer regex `is_footer` replaces.
    static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"版权所有|ICP备|ICP证|网站标识码|公网安备|Copyright|©|技术支持[:：]|(?:主办|承办)(?:单位)?[:：].*(?:承办|网站|维护)|联系我们",
        )
        .expect("footer regex is valid")
    });

    /// The page number regex `is_page_number` replaces.
    static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?x)^(?:
                [—\-–－―─]+ \s* [0-9０-９]{1,4} \s* [—\-–－―─]+
              | 第 \s* [0-9０-９]{1,4} \s* 页 (?: \s* [,，/]? \s* 共 \s* [0-9０-９]{1,4} \s* 页 )?
              | [0-9０-９]{1,4} \s* / \s* [0-9０-９]{1,4}
              | (?i:page) \s* [0-9]{1,4} (?: \s* (?i:of) \s* [0-9]{1,4} )?
            )$",
        )
        .unwrap()
    });

    #[test]
    fn page_numbers_as_the_regex_finds_them() {
        for s in [
            "— 3 —",
            "- 12 -",
            "-12-",
            "—3",
            "3—",
            "— 12345 —",
            "— ３ —－",
            "第3页",
            "第 3 页",
            "第3页 共10页",
            "第3页，共10页",
            "第3页/共10页",
            "第3页 / 共 10 页",
            "第3页共10页",
            "第3页 ",
            "第3页 共",
            "第12345页",
            "3/10",
            "３ / １０",
            "12345/1",
            "1/",
            "/1",
            "page 3",
            "Page3",
            "PAGE 3 of 10",
            "page 3 OF 10",
            "page ３",
            "page",
            "pag",
            "p",
            "page 3 of",
            "page 3 o 10",
            "pageé",
            "页",
            "第",
            "—",
            "3",
            "",
        ] {
            check_against_references(s);
        }
    }

    #[test]
    fn footers_as_the_regex_finds_them() {
        for s in [
            "主办单位：某市人民政府 网站维护：某中心",
            "主办：某市 承办",
            "承办：承办",
            "承办:网站",
            "主办单位:维护",
            "主办：某市\n网站",
            "主办单位网站",
            "主办单位；网站",
            "办：网站",
            "主 办：网站",
            "京ICP备12345号",
            "ICP证",
            "ICP",
            "ICPx备",
            "CP备",
            "Copyright 2023",
            "Copyrigh",
            "© 2023",
            "技术支持：某公司",
            "技术支持:",
            "技术支持",
            "公网安备",
            "网安备",
            "网站标识码",
            "网站标识",
            "联系我们",
            "联系",
            "版权所有",
            "版权",
            "一二三四五六七八九十一二三四五六七版权所有",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七版",
            "abcdefghijklmnoC",
            "abcdefghijklmnopC",
            "abcdefghijklmnopqrsC",
            "",
        ] {
            check_against_references(s);
        }
    }

    fn width_reference(s: &str) -> usize {
        s.chars()
            .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
            .sum()
    }

    fn check_against_references(s: &str) {
        assert_eq!(width(s), width_reference(s), "width {s:?}");
        assert_eq!(
            is_navigation(s),
            is_navigation_reference(s),
            "navigation {s:?}"
        );
        assert_eq!(
            is_page_number(s),
            PAGE_NUMBER.is_match(s),
            "page number {s:?}"
        );
        assert_eq!(is_footer(s), FOOTER.is_match(s), "footer {s:?}");
    }

    #[test]
    fn fast_paths_agree_on_the_fixtures() {
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                check_against_references(line);
                check_against_references(line.trim());
            }
            check_against_references(&text);
        }
    }

    /// The band [`widest_band`] finds, found by a search for each width.
    fn widest_band_reference(widths: &[usize]) -> Option<(usize, usize)> {
        widths
            .iter()
            .map(|&w| {
                let lo = widths.partition_point(|&x| x + WRAP_TOLERANCE < w);
                let hi = widths.partition_point(|&x| x <= w);
                (w, hi - lo)
            })
            .max_by_key(|&(w, band)| (band, w))
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn widest_band_agrees_with_the_search(mut widths in proptest::collection::vec(
            0usize..60,
            1..40,
        )) {
            widths.sort_unstable();
            proptest::prop_assert_eq!(Some(widest_band(&widths)), widest_band_reference(&widths));
        }

        #[test]
        fn fast_paths_agree_on_the_alphabet(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "设为首页", "首页", "无障碍阅读", "无障碍", "English", "大", "中", "小",
                "打印", "关闭窗口", "当前位置", "您的位置", " ", "\u{3000}", "|", "｜",
                "·", ">", "/", "【", "】", "[", "]", ":", "：", "-", "—", "第", "页",
                "共", "1", "23", "０", "９", "page", "Page", "of", "正文", "a", "é",
                "ᄀ", "ပ", "\u{1100}", "\u{10ff}", "😀", "©", "。", "\t",
                "–", "－", "―", "─", "45", "12345", "P", "PAGE", "OF", "of ", "\u{a0}",
                "\u{2003}", "，", ",", "ſ", "\u{212a}", "pa", "ge",
                "版权所有", "版权", "所有", "ICP", "IC", "I", "C", "P", "备", "证",
                "网站标识码", "网站", "公网安备", "公", "网", "安备", "Copyright", "Copy",
                "技术支持", "技", "主办", "承办", "主", "承", "办", "单位", "维护",
                "联系我们", "联系", "\n", "\u{a9}", "\u{c2}",
                // The last two bytes of `版网技办联` after other lead bytes.
                "\u{5248}", "\u{6f51}", "\u{5280}", "\u{629e}", "\u{5054}", "\u{f248}",
            ]),
            0..30,
        )) {
            check_against_references(&s.concat());
        }
    }
}
