//! Stage 3a: responsibility statements and the agency lists inside them.
//!
//! Three forms reach this module: label lines (`责任单位：…`, handled by
//! [`from_labels`]), round brackets in a task's text (`（X牵头，Y按职责分工
//! 负责）`) and square brackets with labels (`[牵头单位:…;责任单位:…]`),
//! both found by [`responsibility_brackets`] among the groups
//! [`scan_brackets`] finds.

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::lines::{LabelKind, is_space, label_at_start, labels};
use crate::model::{Agency, Responsibility, ResponsibilityForm, Role};
use crate::outline::push_first_exact;
use crate::span::{Span, Text};
use crate::string::Str;

/// Which kind of bracket a character opens or closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BracketClass {
    /// `（）` and `()`, widths mixed freely.
    Round,
    /// `[]`, `【】`, `［］`.
    Square,
    /// `〔〕`, as in document numbers.
    Tortoise,
}

/// The class of bracket `c` opens, if it opens one. The scanners match the
/// bracket characters themselves; the tests check them against this.
#[cfg(test)]
fn opening(c: char) -> Option<BracketClass> {
    match c {
        '（' | '(' => Some(BracketClass::Round),
        '[' | '【' | '［' => Some(BracketClass::Square),
        '〔' => Some(BracketClass::Tortoise),
        _ => None,
    }
}

fn closing(c: char) -> Option<BracketClass> {
    match c {
        '）' | ')' => Some(BracketClass::Round),
        ']' | '】' | '］' => Some(BracketClass::Square),
        '〕' => Some(BracketClass::Tortoise),
        _ => None,
    }
}

/// A bracket character found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Bracket {
    class: BracketClass,
    /// Whether it opens a group (`（`) rather than closes one (`）`).
    opens: bool,
    /// Its length in bytes: 1 for `()[]`, 3 for the full-width ones.
    len: usize,
}

/// The bracket whose first byte is `bytes[i]`, if any.
///
/// Works on bytes, decoding nothing: in UTF-8 an ASCII byte and the lead
/// bytes `E3` and `EF` only ever start a character, so a match here is
/// always a whole character at a character boundary. The full-width
/// brackets are `EF BC 88/89` `（）`, `EF BC BB/BD` `［］`, and
/// `E3 80 90/91` `【】`, `E3 80 94/95` `〔〕`.
fn bracket_at(bytes: &[u8], i: usize) -> Option<Bracket> {
    let one = |class, opens| {
        Some(Bracket {
            class,
            opens,
            len: 1,
        })
    };
    let three = |class, opens| {
        Some(Bracket {
            class,
            opens,
            len: 3,
        })
    };
    match *bytes.get(i)? {
        b'(' => one(BracketClass::Round, true),
        b')' => one(BracketClass::Round, false),
        b'[' => one(BracketClass::Square, true),
        b']' => one(BracketClass::Square, false),
        lead @ (0xE3 | 0xEF) => match (lead, *bytes.get(i + 1)?, *bytes.get(i + 2)?) {
            (0xEF, 0xBC, 0x88) => three(BracketClass::Round, true),
            (0xEF, 0xBC, 0x89) => three(BracketClass::Round, false),
            (0xEF, 0xBC, 0xBB) => three(BracketClass::Square, true),
            (0xEF, 0xBC, 0xBD) => three(BracketClass::Square, false),
            (0xE3, 0x80, 0x90) => three(BracketClass::Square, true),
            (0xE3, 0x80, 0x91) => three(BracketClass::Square, false),
            (0xE3, 0x80, 0x94) => three(BracketClass::Tortoise, true),
            (0xE3, 0x80, 0x95) => three(BracketClass::Tortoise, false),
            _ => None,
        },
        _ => None,
    }
}

/// How many positions [`window_brackets`] tests at once.
const WINDOW: usize = 16;

/// The positions among the first [`WINDOW`] of `w` where a bracket may
/// start, as bits (bit `k` for position `k`; the two bytes after them are
/// there for a 3-byte bracket's tail). Every bracket's position is among
/// them; [`bracket_at`] tells which of them are brackets.
///
/// Written without branches or early exits so that the compiler turns it
/// into a few vector operations: most windows of a text hold no bracket,
/// and for them the answer is one test of the whole vector. The test is
/// looser than [`bracket_at`], to take fewer operations: a 1-byte bracket
/// is `a & 0xFE == 0x28` (`()`) or `a & 0xF9 == 0x59` (`[]`, with `Y_`),
/// and a 3-byte one starts with `E3` or `EF` and ends with one of
/// `88 89 BB BD` (`c & 0xFE == 0x88` or `c & 0xF9 == 0xB9`, with `B9 BF`)
/// or `90 91 94 95` (`c & 0xFA == 0x90`); its middle byte is not looked
/// at. Other punctuation passes only seldom (`０１４５`), and costs one
/// look with [`bracket_at`]. Only a window with a bracket has its hits
/// packed into bits, by [`pack_hits`].
fn window_brackets(w: &[u8; WINDOW + 2]) -> u32 {
    let mut hits = [0u8; WINDOW];
    for (k, hit) in hits.iter_mut().enumerate() {
        let (a, c) = (w[k], w[k + 2]);
        let ascii = ((a & 0xFE) == 0x28) | ((a & 0xF9) == 0x59);
        let lead = (a == 0xE3) | (a == 0xEF);
        let tail = ((c & 0xFE) == 0x88) | ((c & 0xF9) == 0xB9) | ((c & 0xFA) == 0x90);
        *hit = u8::from(ascii | (lead & tail));
    }
    if u128::from_ne_bytes(hits) == 0 {
        return 0;
    }
    let (low, high) = hits.split_at(WINDOW / 2);
    pack_hits(low) | (pack_hits(high) << 8)
}

/// Packs eight bytes, each 0 or 1, into the bits of a byte: bit `k` is
/// byte `k`. Multiplying by `0x0102_0408_1020_4080` adds byte `k`'s bit
/// (bit `8k`) shifted left by `56 - 7j` for each `j` in 0..8: for `j = k`
/// it lands on bit `56 + k`, and no other pair lands on bits 56–63 or on
/// the same bit as another pair (`8k - 7j` differs for each pair), so
/// there are no carries and the top byte is the packed bits.
fn pack_hits(hits: &[u8]) -> u32 {
    let mut eight = [0u8; 8];
    eight.copy_from_slice(hits);
    (u64::from_le_bytes(eight).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// Calls `each` with the brackets of `text` and their offsets, in order.
///
/// Tests [`WINDOW`] positions at a time, and looks at single positions
/// only where the window test found a bracket may be. The windows that
/// reach past the end of `text` (the last one or two) are padded with zero
/// bytes, which are no bracket and no tail of one.
fn for_each_bracket(text: &str, mut each: impl FnMut(usize, Bracket)) {
    const LEN: usize = WINDOW + 2;
    let bytes = text.as_bytes();
    let mut visit = |base: usize, mut bits: u32| {
        while bits != 0 {
            let at = base + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if let Some(b) = bracket_at(bytes, at) {
                each(at, b);
            }
        }
    };
    let mut base = 0;
    while let Some(w) = bytes.get(base..).and_then(<[u8]>::first_chunk::<LEN>) {
        let bits = window_brackets(w);
        if bits != 0 {
            visit(base, bits);
        }
        base += WINDOW;
    }
    while let Some(rest) = bytes.get(base..).filter(|rest| !rest.is_empty()) {
        let mut padded = [0u8; LEN];
        let n = rest.len().min(LEN);
        padded[..n].copy_from_slice(&rest[..n]);
        let bits = window_brackets(&padded);
        if bits != 0 {
            visit(base, bits);
        }
        base += WINDOW;
    }
}

/// A balanced bracket group at the top level of a text: offsets of the
/// opening and closing brackets, relative to the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Group {
    pub class: BracketClass,
    /// Offset of the opening bracket.
    pub open: usize,
    /// Offset just past the opening bracket.
    pub inner_start: usize,
    /// Offset of the closing bracket.
    pub inner_end: usize,
    /// Offset just past the closing bracket.
    pub close_end: usize,
}

/// The top-level bracket groups of `text`, plus the brackets that have no
/// partner (offset and length, relative to `text`). The parser reads the
/// groups one by one, with [`scan_brackets`]; the tests read them here.
#[cfg(test)]
pub(crate) fn bracket_groups(text: &str) -> (Vec<Group>, Vec<(usize, usize)>) {
    let mut groups = Vec::new();
    let unbalanced = scan_brackets(text, |g| groups.push(g));
    (groups, unbalanced)
}

/// Calls `each` with the top-level bracket groups of `text`, in order, and
/// returns the brackets that have no partner (offset and length, relative
/// to `text`, in order): `bracket_groups` without a vector of the groups,
/// for the callers that read each group once, or only the last one. The
/// vector returned is empty, and so allocates nothing, for a text whose
/// brackets all pair up.
pub(crate) fn scan_brackets(text: &str, mut each: impl FnMut(Group)) -> Vec<(usize, usize)> {
    let mut unbalanced = Vec::new();
    let mut stack = OpenBrackets::new();
    for_each_bracket(text, |i, b| {
        if b.opens {
            stack.push((b.class, i, b.len));
            return;
        }
        match stack.last() {
            Some((open_class, open, open_len)) if open_class == b.class => {
                stack.pop();
                if stack.is_empty() {
                    each(Group {
                        class: b.class,
                        open,
                        inner_start: open + open_len,
                        inner_end: i,
                        close_end: i + b.len,
                    });
                }
            }
            _ => unbalanced.push((i, b.len)),
        }
    });
    if !stack.is_empty() {
        unbalanced.extend(stack.iter().map(|(_, i, len)| (i, len)));
        unbalanced.sort_unstable();
    }
    unbalanced
}

/// How many open brackets [`OpenBrackets`] holds in place.
const NEAR: usize = 8;

/// The brackets opened and not yet closed while [`scan_brackets`] reads a
/// text, innermost last: class, offset and length. The first [`NEAR`] are
/// kept in place, any deeper in a vector, so that the usual text, nesting
/// one or two deep, allocates nothing, and a hostile one still nests as
/// deep as it likes.
struct OpenBrackets {
    near: [(BracketClass, usize, usize); NEAR],
    far: Vec<(BracketClass, usize, usize)>,
    len: usize,
}

impl OpenBrackets {
    fn new() -> OpenBrackets {
        OpenBrackets {
            near: [(BracketClass::Round, 0, 0); NEAR],
            far: Vec::new(),
            len: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn push(&mut self, open: (BracketClass, usize, usize)) {
        match self.near.get_mut(self.len) {
            Some(slot) => *slot = open,
            None => self.far.push(open),
        }
        self.len += 1;
    }

    /// The innermost open bracket.
    fn last(&self) -> Option<(BracketClass, usize, usize)> {
        if self.len > NEAR {
            self.far.last().copied()
        } else {
            self.near.get(self.len.checked_sub(1)?).copied()
        }
    }

    fn pop(&mut self) {
        if self.len > NEAR {
            self.far.pop();
        }
        self.len = self.len.saturating_sub(1);
    }

    /// The open brackets, outermost first.
    fn iter(&self) -> impl Iterator<Item = (BracketClass, usize, usize)> + '_ {
        self.near[..self.len.min(NEAR)]
            .iter()
            .chain(&self.far)
            .copied()
    }
}

/// Bits of what [`split_top`] tells about a piece: which of the characters
/// that the rest of the list reading looks for it holds. A bit that is
/// clear is a promise that the piece holds no such character, so that the
/// scan for it can be skipped; a set bit only says that one is there.
const HOLDS_BRACKET: u8 = 1;
/// `等`, which [`split_etc`] splits at.
const HOLDS_ETC: u8 = 2;
/// `及`, `和`, `与`, which [`split_joined`] splits at.
const HOLDS_JI: u8 = 4;
const HOLDS_HE: u8 = 8;
const HOLDS_YU: u8 = 16;
/// A character up to U+3000 or the BOM: every [`is_space`] character is
/// one of them, and ideographs are not, so that a name cut from a piece
/// without this bit needs no search for spaces.
const HOLDS_SPACE: u8 = 32;
/// `各`, `有`, `相`, `其`, `成`, `所` or `全`: the first characters of
/// the words [`names_a_group`] looks for.
const HOLDS_GROUP: u8 = 64;

/// Splits `text` at top-level occurrences of any of `separators`, outside
/// brackets, and calls `each` with each piece's offsets relative to
/// `text`, untrimmed, and the `HOLDS_` bits of the piece.
///
/// Every separator is one of `、，,；;/／`; one `match` per character
/// tells brackets, separators and the characters of the `HOLDS_` bits
/// apart, so the common character, none of them, costs a few compares.
fn split_top(text: &str, separators: &[char], mut each: impl FnMut(usize, usize, u8)) {
    let mut depth = 0usize;
    let mut start = 0;
    let mut holds = 0;
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '[' | '【' | '［' | '〔' => {
                depth += 1;
                holds |= HOLDS_BRACKET;
            }
            '）' | ')' | ']' | '】' | '］' | '〕' => {
                depth = depth.saturating_sub(1);
                holds |= HOLDS_BRACKET;
            }
            '等' => holds |= HOLDS_ETC,
            '及' => holds |= HOLDS_JI,
            '和' => holds |= HOLDS_HE,
            '与' => holds |= HOLDS_YU,
            '各' | '有' | '相' | '其' | '成' | '所' | '全' => holds |= HOLDS_GROUP,
            '、' | '，' | ',' | '；' | ';' | '/' | '／'
                if depth == 0 && separators.contains(&c) =>
            {
                each(start, i, holds);
                start = i + c.len_utf8();
                holds = 0;
            }
            // After the separators, which `,;/` that do not split reach.
            '\0'..='\u{3000}' | '\u{feff}' => holds |= HOLDS_SPACE,
            _ => {}
        }
    }
    each(start, text.len(), holds);
}

/// Whether `s` starts with a character sure to be neither whitespace nor
/// punctuation: a character of U+4000–U+9FFF (lead byte `E4`–`E9`), the
/// CJK ideographs that most of these texts are.
fn leads_with_ideograph(s: &[u8]) -> bool {
    matches!(s.first(), Some(0xE4..=0xE9))
}

/// Whether `s` ends with a character of U+4000–U+9FFF: its last three
/// bytes are one character with a lead byte `E4`–`E9` (a lead byte is
/// never a continuation byte, so three bytes from the end it starts the
/// last character, which has three bytes).
fn trails_with_ideograph(s: &[u8]) -> bool {
    s.len() >= 3 && matches!(s[s.len() - 3], 0xE4..=0xE9)
}

/// Narrows `start..end` of `text` by trimming whitespace and the given
/// characters off both ends.
///
/// Every `junk` character is punctuation, outside U+4000–U+9FFF, and so
/// is every space: an end that is an ideograph needs no trimming, which
/// is the usual case and is told from its bytes.
fn trim_in(text: &str, start: usize, end: usize, junk: &[char]) -> (usize, usize) {
    let s = &text[start..end];
    let f = |c: char| is_space(c) || junk.contains(&c);
    let left = if leads_with_ideograph(s.as_bytes()) {
        0
    } else {
        s.len() - s.trim_start_matches(f).len()
    };
    let right = if trails_with_ideograph(s.as_bytes()) {
        s.len()
    } else {
        s.trim_end_matches(f).len()
    };
    if left >= right {
        (start, start)
    } else {
        (start + left, start + right)
    }
}

const LIST_SEPARATORS: &[char] = &['、', '，', ',', '；', ';', '/', '／'];
const CLAUSE_SEPARATORS: &[char] = &['，', ',', '；', ';'];
const EDGE_JUNK: &[char] = &['。', '，', ',', '；', ';', '、', '：', ':', '.'];

/// Whether `name` ends the way the name of an agency or other body does:
/// `委员会 委 厅 局 办 部 院 署 会 行 室 处 所 中心 集团 公司 大学 学院 学校
/// 政府 队 站 社 庭 团 馆 台 司 组 专班 单位 部门 机构 街道 乡镇 园区 开发区
/// 新区 地区 各地 海关 联 协会 小组 指挥部 办事处 企业 局( 局（ 省 市 县 区
/// 镇 乡 州 盟 旗`.
///
/// Most of these endings are one of the single characters; the others are
/// told by their last two characters. A test of the last characters, where
/// a regular expression cost a search per name.
fn ends_like_agency(name: &str) -> bool {
    let mut rev = name.chars().rev();
    let Some(last) = rev.next() else {
        return false;
    };
    let before = rev.next();
    match last {
        '委' | '厅' | '局' | '办' | '部' | '院' | '署' | '会' | '行' | '室' | '处' | '所'
        | '队' | '站' | '社' | '庭' | '团' | '馆' | '台' | '司' | '组' | '联' | '省' | '市'
        | '县' | '区' | '镇' | '乡' | '州' | '盟' | '旗' => true,
        '心' => before == Some('中'),
        '学' => before == Some('大'),
        '校' => before == Some('学'),
        '府' => before == Some('政'),
        '班' => before == Some('专'),
        '位' => before == Some('单'),
        '门' => before == Some('部'),
        '构' => before == Some('机'),
        '道' => before == Some('街'),
        '地' => before == Some('各'),
        '关' => before == Some('海'),
        '业' => before == Some('企'),
        '(' | '（' => before == Some('局'),
        _ => false,
    }
}

/// Whether `name` refers to a set of bodies rather than one body: it
/// contains `各`, `有关`, `相关`, `其他`, `其它`, `成员单位`, `所属` or
/// `全体`.
///
/// One walk over the characters, told by their lead bytes and never
/// decoded: each word starts with a character whose lead byte is `E5`
/// (`各其全`), `E6` (`有成所`) or `E7` (`相`), and only there are the
/// words' bytes compared.
fn names_a_group(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut i = 0;
    while let Some(rest) = bytes.get(i..)
        && let Some(&lead) = rest.first()
    {
        let is = |word: &str| rest.starts_with(word.as_bytes());
        let found = match lead {
            0xE5 => is("各") || is("其他") || is("其它") || is("全体"),
            0xE6 => is("有关") || is("成员单位") || is("所属"),
            0xE7 => is("相关"),
            _ => false,
        };
        if found {
            return true;
        }
        i += char_width(lead);
    }
    false
}

/// The length in bytes of the UTF-8 character whose first byte is
/// `lead`. Stepping through a `str` by it from a character boundary
/// lands on each boundary in turn.
fn char_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        // `F0`–`F7`; a continuation byte is never at a boundary.
        _ => 4,
    }
}

/// Verbs that end a clause in a bracket and give its agencies a role:
/// `X牵头`, `Y按职责分工负责`.
const ROLE_VERBS: &[&str] = &[
    "牵头",
    "牵头负责",
    "牵头落实",
    "牵头推进",
    "负责",
    "负责落实",
    "负责推进",
    "落实",
    "配合",
    "配合落实",
    "参与",
    "协助",
    "协同",
];

/// Words that may stand before a role verb and belong with it.
const ROLE_ADVERBS: &[&str] = &[
    "按照职责分工",
    "按职责分工",
    "按照职责",
    "按职责",
    "按职能",
    "各自",
    "分别",
    "共同",
    "具体",
];

/// The role verb `clause` ends with, and where the clause's role words
/// start (the verb, or an adverb of [`ROLE_ADVERBS`] before it).
///
/// Of the verbs the clause ends with, the one whose role words start
/// first wins, as a leftmost match of `(adverb)?verb$` would have it:
/// `牵头负责` over `负责`, `按职责分工负责` over `负责`. The role words
/// at a given start are one verb at most (no adverb starts like a verb,
/// none ends like one), so the verb is never ambiguous.
fn role_verb(clause: &str) -> Option<(usize, &'static str)> {
    ends_with_role(clause, ROLE_VERBS, ROLE_ADVERBS)
}

/// The word of `verbs` that `clause` ends with, and where the words saying
/// the role start: the word, or a word of `before` just before it. Of the
/// words the clause ends with, the one whose role words start first wins
/// (the first in `verbs` on a tie), as a leftmost match of
/// `(before)?verb$` would have it. Shared by bracket clauses and table
/// cells, which differ in their word lists.
pub(crate) fn ends_with_role(
    clause: &str,
    verbs: &[&'static str],
    before: &[&str],
) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for &verb in verbs {
        let Some(rest) = clause.strip_suffix(verb) else {
            continue;
        };
        let start = before
            .iter()
            .filter_map(|word| rest.strip_suffix(word))
            .map(str::len)
            .min()
            .unwrap_or(rest.len());
        if best.is_none_or(|(at, _)| start < at) {
            best = Some((start, verb));
        }
    }
    best
}

/// Whether `text` holds one of the words every role verb starts with
/// (`牵头 负责 落实 配合 参与 协助 协同`): without one, no clause of it
/// ends with a role verb. One walk over the characters.
fn mentions_role_verb(text: &str) -> bool {
    let mut prev = ' ';
    text.chars().any(|c| {
        let found = matches!(
            (prev, c),
            ('牵', '头')
                | ('负', '责')
                | ('落', '实')
                | ('配', '合')
                | ('参', '与')
                | ('协', '助' | '同')
        );
        prev = c;
        found
    })
}

/// Whether bracket contents are a deadline rather than an alias: they
/// hold a digit (ASCII or full-width), `年`, `月`, `季度`, `长期`,
/// `持续`, or `前` after something (`底前`, `节前`): a name may begin with
/// `前` (`前海管理局`), a deadline does not.
fn looks_like_deadline(inner: &str) -> bool {
    inner.char_indices().any(|(i, c)| {
        let rest = &inner[i + c.len_utf8()..];
        match c {
            '0'..='9' | '０'..='９' | '年' | '月' => true,
            '前' => i > 0,
            '季' => rest.starts_with('度'),
            '长' => rest.starts_with('期'),
            '持' => rest.starts_with('续'),
            _ => false,
        }
    })
}

/// Tails that a list of bare places shares: `杭州市、宁波市及义乌市政府`.
const SHARED_TAILS: &[&str] = &["人民政府", "政府", "管委会", "党委", "办事处"];

/// Place names that stand for a body only with a tail after them.
fn is_bare_place(name: &str) -> bool {
    let Some(last) = name.chars().last() else {
        return false;
    };
    name.chars().count() >= 2
        && matches!(
            last,
            '市' | '县' | '区' | '省' | '州' | '盟' | '旗' | '镇' | '乡'
        )
        && ![
            "开发区",
            "新区",
            "园区",
            "示范区",
            "试验区",
            "各地区",
            "地区",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        && !names_a_group(name)
}

fn looks_like_agency(name: &str) -> bool {
    !name.is_empty() && (ends_like_agency(name) || names_a_group(name))
}

/// Parses an agency list written at `span` of `source`, such as
/// `省经信厅、省发展改革委,省减轻企业负担领导小组其他成员单位`.
/// Returns the agencies and a deadline written in brackets inside the
/// list, if any.
pub(crate) fn parse_list(source: &str, span: Span, role: Role) -> (Vec<Agency>, Option<Text>) {
    let text = &source[span.range()];
    let base = span.start;
    let mut items: Vec<Agency> = Vec::with_capacity(pieces_at_most(text));
    let mut deadline = None;
    split_top(text, LIST_SEPARATORS, |s, e, holds| {
        let (s, e) = trim_in(text, s, e, EDGE_JUNK);
        if s == e {
            return;
        }
        if holds & (HOLDS_ETC | HOLDS_JI | HOLDS_HE | HOLDS_YU) == 0 {
            // Nothing to split at: the piece, trimmed already, is one
            // agency (trimming again would change nothing).
            items.extend(agency(text, s, e, base, role, &mut deadline, holds));
            return;
        }
        let mut take = |s: usize, e: usize| {
            let (s, e) = trim_in(text, s, e, EDGE_JUNK);
            if s != e
                && let Some(agency) = agency(text, s, e, base, role, &mut deadline, holds)
            {
                items.push(agency);
            }
        };
        split_etc(text, s, e, holds, &mut |s, e| {
            split_joined(text, s, e, holds, &mut take);
        });
    });
    distribute_tails(&mut items);
    // Kept in the model: no spare room (a no-op when the bound was met).
    items.shrink_to_fit();
    (items, deadline)
}

/// One more than the list separators in `text`, or more: the number of
/// pieces [`split_top`] cuts it into, at most, and so, when no `等` or
/// joiner splits a piece, of the agencies [`parse_list`] finds. Each
/// separator (`、，,；;/／`) is an ASCII `,;/` or starts with the byte
/// `E3` or `EF`; counting those bytes takes one vectorised pass, and for a
/// plain list (`省经信厅、省财政厅`) it is exact, which spares the list
/// its growing and shrinking.
fn pieces_at_most(text: &str) -> usize {
    // Counted in bytes, at most 255 at a time, so that the compiler keeps
    // sixteen counts in one vector.
    let separators = text.as_bytes().chunks(255).map(|chunk| {
        let n = chunk.iter().fold(0u8, |n, &b| {
            n + u8::from((b == b',') | (b == b';') | (b == b'/') | (b == 0xE3) | (b == 0xEF))
        });
        usize::from(n)
    });
    1 + separators.sum::<usize>()
}

/// Splits `X等Y` into `X` and `Y`, and drops a trailing `等`: calls `each`
/// with the non-empty pieces of `start..end`, in order. `holds` are the
/// `HOLDS_` bits of a text around `start..end`: without [`HOLDS_ETC`]
/// there is no `等` to look for.
fn split_etc(text: &str, start: usize, end: usize, holds: u8, each: &mut dyn FnMut(usize, usize)) {
    if holds & HOLDS_ETC == 0 {
        if start < end {
            each(start, end);
        }
        return;
    }
    let piece = &text[start..end];
    let mut from = start;
    let mut prev: Option<char> = None;
    for (i, c) in piece.char_indices() {
        if c == '等'
            && !matches!(
                prev,
                Some('高' | '平' | '同' | '初' | '中' | '对' | '相' | '均')
            )
        {
            if from < start + i {
                each(from, start + i);
            }
            from = start + i + c.len_utf8();
        }
        prev = Some(c);
    }
    if from < end {
        each(from, end);
    }
}

/// Splits `A及B`, `A和B`, `A与B` where both sides are bodies of their own;
/// `工业和信息化部` stays whole. `及` binds loosest, so it is tried first:
/// `相关部门和单位及各地区` is `相关部门和单位` and `各地区`. Calls `each`
/// with the pieces, in order. `holds` are the `HOLDS_` bits of a text
/// around `start..end`: a joiner whose bit is clear is not looked for.
fn split_joined(
    text: &str,
    start: usize,
    end: usize,
    holds: u8,
    each: &mut dyn FnMut(usize, usize),
) {
    let mut by_yu = |s: usize, e: usize| {
        if holds & HOLDS_YU != 0 {
            split_at_joiner(text, s, e, '与', &mut *each);
        } else {
            each(s, e);
        }
    };
    let mut by_he = |s: usize, e: usize| {
        if holds & HOLDS_HE != 0 {
            split_at_joiner(text, s, e, '和', &mut by_yu);
        } else {
            by_yu(s, e);
        }
    };
    if holds & HOLDS_JI != 0 {
        split_at_joiner(text, start, end, '及', &mut by_he);
    } else {
        by_he(start, end);
    }
}

/// Splits `start..end` of `text` at each `joiner` with a body on both
/// sides, and calls `each` with the pieces, in order (the whole of
/// `start..end` when there is no such joiner).
fn split_at_joiner(
    text: &str,
    start: usize,
    end: usize,
    joiner: char,
    each: &mut dyn FnMut(usize, usize),
) {
    let piece = &text[start..end];
    let width = joiner.len_utf8();
    let mut joints = piece.match_indices(joiner).map(|(i, _)| i).peekable();
    let mut item = 0;
    while let Some(at) = joints.next() {
        // The left side is tested on its last characters, the right one
        // up to the next joiner, so that a list with many joiners takes
        // linear time.
        let left = &piece[item..at];
        let next = joints.peek().copied().unwrap_or(piece.len());
        let right = &piece[at + width..next];
        let left_ok = left.chars().nth(1).is_some() && ends_like_agency(left);
        let right_ok = right.chars().nth(2).is_some() && looks_like_agency(right);
        if left_ok && right_ok {
            each(start + item, start + at);
            item = at + width;
        }
    }
    each(start + item, end);
}

/// A role written in brackets after a name: `（牵头）`, `（牵头单位）`,
/// `（配合）`.
fn bracketed_role(inner: &str) -> Option<Role> {
    match inner {
        "牵头" | "牵头单位" | "牵头部门" | "总牵头" => Some(Role::Lead),
        "配合" | "配合单位" | "配合部门" | "参与" | "协同" => Some(Role::Cooperating),
        "负责" | "责任单位" => Some(Role::Responsible),
        _ => None,
    }
}

fn agency(
    text: &str,
    start: usize,
    end: usize,
    base: usize,
    mut role: Role,
    deadline: &mut Option<Text>,
    holds: u8,
) -> Option<Agency> {
    let written = &text[start..end];
    let mut name_end = end;
    let mut alias = None;
    // Without a bracket, there are no groups and none unbalanced. Only the
    // last group is read.
    let mut last_group = None;
    let mut unbalanced = if holds & HOLDS_BRACKET != 0 {
        scan_brackets(written, |g| last_group = Some(g))
    } else {
        Vec::new()
    };
    if let Some(last) = last_group
        && last.close_end == written.len()
        && last.open > 0
    {
        let inner = &written[last.inner_start..last.inner_end];
        let inner_trimmed = inner.trim_matches(is_space);
        if looks_like_deadline(inner_trimmed) {
            if deadline.is_none() {
                let (ds, de) = trim_in(text, start + last.inner_start, start + last.inner_end, &[]);
                *deadline = Some(Text {
                    text: Str::from(&text[ds..de]),
                    span: Span::new(base + ds, base + de),
                });
            }
        } else if let Some(r) = bracketed_role(inner_trimmed) {
            // `省经信厅（牵头）`: the bracket gives the role, not a name.
            role = r;
        } else if !inner_trimmed.is_empty() {
            alias = Some(Str::from(inner_trimmed));
        }
        name_end = start + last.open;
    }
    let mut name = &text[start..name_end];
    if alias.is_none() {
        if name_end != end {
            // The name is shorter than the text scanned: scan it again.
            unbalanced = scan_brackets(name, |_| {});
        }
        if let Some(&(at, len)) = unbalanced.first()
            && at > 0
        {
            // `省商务厅（省口岸办` cut off, or a stray `）`: the name stops
            // at the bracket (the diagnostic is the parser's), the rest is
            // alias.
            let rest = name[at + len..].trim_matches(|c| is_space(c) || closing(c).is_some());
            if !rest.is_empty() {
                alias = Some(Str::from(rest));
            }
            name = &name[..at];
        }
    }
    // Spaces inside a name are layout (`省 发 改 委` from a PDF, a list
    // wrapped over two lines), never part of it. The name is part of the
    // piece `holds` tells about: without its `HOLDS_SPACE`, the usual case,
    // the name holds no space and is not searched for one.
    let name = trim_name(name);
    let name: Str = if holds & HOLDS_SPACE != 0 && name.contains(is_space) {
        name.chars().filter(|&c| !is_space(c)).collect()
    } else {
        Str::from(name)
    };
    if name.is_empty() {
        return None;
    }
    Some(Agency {
        // A name of a piece without `HOLDS_GROUP` holds none of the words'
        // first characters.
        group: holds & HOLDS_GROUP != 0 && names_a_group(&name),
        name,
        alias,
        role,
        span: Span::new(base + start, base + end),
    })
}

/// `name` less the spaces at both its ends, then less `由` and `请` at its
/// start and `等` at its end, as `trim_matches(is_space)`,
/// `trim_start_matches(['由', '请'])` and `trim_end_matches('等')` would
/// have it. Ends that are ideographs hold no space: the usual name needs
/// no space trimming, and the rest is a byte compare at each end.
fn trim_name(name: &str) -> &str {
    let bytes = name.as_bytes();
    let mut name = if leads_with_ideograph(bytes) && trails_with_ideograph(bytes) {
        name
    } else {
        name.trim_matches(is_space)
    };
    while let Some(rest) = name.strip_prefix('由').or_else(|| name.strip_prefix('请')) {
        name = rest;
    }
    while let Some(rest) = name.strip_suffix('等') {
        name = rest;
    }
    name
}

/// Moves the items of `more` to the end of `list`. An empty `list` takes
/// `more` whole, room and all: `append` would copy it into a new vector
/// with room for at least four.
fn append_or_take<T>(list: &mut Vec<T>, mut more: Vec<T>) {
    if list.is_empty() {
        *list = more;
    } else {
        list.append(&mut more);
    }
}

/// Gives each bare place before a `市政府`-style item the same tail.
fn distribute_tails(items: &mut [Agency]) {
    for i in 0..items.len() {
        let Some((place, tail)) = SHARED_TAILS.iter().find_map(|tail| {
            let place = items[i].name.strip_suffix(tail)?;
            Some((place, *tail))
        }) else {
            continue;
        };
        if !is_bare_place(place) || items[i].alias.is_some() {
            continue;
        }
        let mut j = i;
        while j > 0 && is_bare_place(&items[j - 1].name) && items[j - 1].alias.is_none() {
            j -= 1;
            items[j].name.push_str(tail);
        }
    }
}

/// Reads a label line (`责任单位:…`, or several labels on one line) at
/// `span` of `source`.
pub(crate) fn from_labels(
    source: &str,
    span: Span,
    form: ResponsibilityForm,
    lead_first: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Responsibility {
    let text = &source[span.range()];
    let mut labels = labels(text).peekable();
    let mut agencies = Vec::new();
    let mut deadline: Option<Text> = None;
    while let Some(label) = labels.next() {
        let list_end = labels.peek().map_or(text.len(), |next| next.start);
        let (s, e) = trim_in(
            text,
            label.end,
            list_end,
            &['；', ';', ']', '】', '］', '。'],
        );
        let list_span = Span::new(span.start + s, span.start + e);
        if s == e {
            let kind = if span.end == source.trim_end_matches(is_space).len() {
                DiagnosticKind::TruncatedText
            } else {
                DiagnosticKind::EmptyAgencyList
            };
            diagnostics.push(Diagnostic::new(
                kind,
                Span::new(span.start + label.start, span.start + label.end),
            ));
            continue;
        }
        let role = match label.kind {
            LabelKind::Lead => Role::Lead,
            LabelKind::Responsible => Role::Responsible,
            LabelKind::Cooperating => Role::Cooperating,
            LabelKind::Deadline => {
                if deadline.is_none() {
                    deadline = Some(Text::from_source(source, list_span));
                }
                continue;
            }
        };
        let (mut list, list_deadline) = parse_list(source, list_span, role);
        if lead_first
            && role == Role::Responsible
            && let Some(first) = list.first_mut()
        {
            first.role = Role::Lead;
        }
        append_or_take(&mut agencies, list);
        if deadline.is_none() {
            deadline = list_deadline;
        }
    }
    Responsibility {
        form,
        span,
        agencies,
        deadline,
    }
}

/// Finds the responsibility brackets in a task's text at `span` of
/// `source`.
#[cfg(test)]
pub(crate) fn from_brackets(source: &str, span: Span) -> Vec<Responsibility> {
    let (groups, _) = bracket_groups(&source[span.range()]);
    from_groups(source, span, &groups)
}

/// The responsibility brackets among `groups`, the top-level bracket
/// groups of the text at `span` of `source` (from [`bracket_groups`]).
/// The parser uses [`responsibility_brackets`], which scans the text once
/// and keeps no vector of groups; this is its reference in the tests.
#[cfg(test)]
pub(crate) fn from_groups(source: &str, span: Span, groups: &[Group]) -> Vec<Responsibility> {
    let mut out = Vec::new();
    for &g in groups {
        if let Some(r) = from_group(source, span, g) {
            push_first_exact(&mut out, r);
        }
    }
    out
}

/// The responsibility brackets of the text at `span` of `source`, and the
/// brackets in it without a partner (offset and length in the text): what
/// `from_groups` finds among the groups `bracket_groups` finds, in one
/// scan of the text and without a vector of the groups.
pub(crate) fn responsibility_brackets(
    source: &str,
    span: Span,
) -> (Vec<Responsibility>, Vec<(usize, usize)>) {
    let mut found = Vec::new();
    let unbalanced = scan_brackets(&source[span.range()], |g| {
        if let Some(r) = from_group(source, span, g) {
            push_first_exact(&mut found, r);
        }
    });
    (found, unbalanced)
}

/// The responsibility bracket `g` is, if it is one: `g` is a top-level
/// bracket group of the text at `span` of `source` (from
/// [`scan_brackets`]). What `from_groups` finds, one group at a time.
pub(crate) fn from_group(source: &str, span: Span, g: Group) -> Option<Responsibility> {
    let whole = Span::new(span.start + g.open, span.start + g.close_end);
    let inner = Span::new(span.start + g.inner_start, span.start + g.inner_end);
    let inner_text = &source[inner.range()];
    if label_at_start(inner_text.trim_start_matches(is_space)).is_some() {
        let form = match g.class {
            BracketClass::Round => ResponsibilityForm::Bracket,
            _ => ResponsibilityForm::SquareBracket,
        };
        let mut ignored = Vec::new();
        let mut r = from_labels(source, inner, form, false, &mut ignored);
        r.span = whole;
        Some(r)
    } else if g.class == BracketClass::Round && mentions_role_verb(inner_text) {
        role_clauses(source, inner, whole)
    } else {
        None
    }
}

/// Reads `X牵头，Y、Z等按职责分工负责，6月底前出台相关政策` inside a bracket.
fn role_clauses(source: &str, inner: Span, whole: Span) -> Option<Responsibility> {
    let text = &source[inner.range()];
    let mut agencies = Vec::new();
    let mut pending: Vec<(usize, usize)> = Vec::new();
    let mut deadline_from: Option<usize> = None;
    let mut any_role = false;
    // Each clause is read as `split_top` finds it, not collected first.
    split_top(text, CLAUSE_SEPARATORS, |s, e, _| {
        let (s, e) = trim_in(text, s, e, EDGE_JUNK);
        if s == e {
            return;
        }
        let clause = &text[s..e];
        let Some((verb_start, verb)) = role_verb(clause) else {
            if any_role {
                deadline_from.get_or_insert(s);
            } else {
                pending.push((s, e));
            }
            return;
        };
        let list_end = s + verb_start;
        let list = Span::new(inner.start + s, inner.start + list_end);
        let role = if verb.starts_with("牵头") {
            Role::Lead
        } else if verb.starts_with("负责") || verb == "落实" {
            Role::Responsible
        } else {
            Role::Cooperating
        };
        let (found, _) = parse_list(source, list, role);
        if found.is_empty() || !found.iter().all(|a| looks_like_agency(&a.name)) {
            if any_role {
                deadline_from.get_or_insert(s);
            }
            return;
        }
        for (ps, pe) in pending.drain(..) {
            let pspan = Span::new(inner.start + ps, inner.start + pe);
            let (prev, _) = parse_list(source, pspan, role);
            if prev.iter().all(|a| looks_like_agency(&a.name)) {
                append_or_take(&mut agencies, prev);
            }
        }
        any_role = true;
        append_or_take(&mut agencies, found);
    });
    if !any_role {
        return None;
    }
    let deadline = deadline_from.map(|from| {
        let (s, e) = trim_in(text, from, text.len(), EDGE_JUNK);
        Text::from_source(source, Span::new(inner.start + s, inner.start + e))
    });
    Some(Responsibility {
        form: ResponsibilityForm::Bracket,
        span: whole,
        agencies,
        deadline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The regular expressions the hand-written tests replace, as they
    /// were: each test must agree with its expression on every text.
    const AGENCY_END: &str = r"(?x)
        (?: 委员会|委|厅|局|办|部|院|署|会|行|室|处|所|中心|集团|公司|大学|学院|学校
          | 政府|队|站|社|庭|团|馆|台|司|组|专班|单位|部门|机构|街道|乡镇|园区|开发区
          | 新区|地区|各地|海关|联|协会|小组|指挥部|办事处|企业|局(?:\(|（)?
          | 省|市|县|区|镇|乡|州|盟|旗)$";
    const GROUP_RE: &str = r"各|有关|相关|其他|其它|成员单位|所属|全体";
    const ROLE_VERB: &str = r"(?x)
        (?: 按照?职责分工 | 按照?职责 | 按职能 | 各自 | 分别 | 共同 | 具体 )?
        (?P<verb> 牵头(?:负责|落实|推进)? | 负责(?:落实|推进)? | 落实 | 配合(?:落实)?
                | 参与 | 协助 | 协同 )
        $";
    const DEADLINE_LIKE: &str = r"(?s)[0-9０-９]|年|月|季度|.前|长期|持续";

    /// Texts built from the pieces the expressions look for, cut and
    /// combined every way up to three pieces, with other text around.
    fn word_mixes() -> Vec<String> {
        let mut words: Vec<String> = [AGENCY_END, GROUP_RE, ROLE_VERB, DEADLINE_LIKE]
            .iter()
            .flat_map(|re| re.split(|c: char| !is_han_or_digit(c)))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let cut: Vec<String> = words
            .iter()
            .filter(|w| w.chars().count() > 1)
            .flat_map(|w| {
                let first: String = w.chars().take(1).collect();
                let rest: String = w.chars().skip(1).collect();
                [first, rest]
            })
            .collect();
        words.extend(cut);
        words.extend(
            [
                "", "省", "照", "按", "(", "（", "）", "x", "1", "９", "中", "职责", "🙂",
            ]
            .map(str::to_owned),
        );
        words.sort();
        words.dedup();
        let mut texts = Vec::new();
        for a in &words {
            for b in &words {
                texts.push(format!("{a}{b}"));
                for c in ["", "省", "牵头", "局", "分工", "按照职责", "各"] {
                    texts.push(format!("{c}{a}{b}"));
                    texts.push(format!("{a}{c}{b}"));
                }
            }
        }
        texts
    }

    fn is_han_or_digit(c: char) -> bool {
        c > '\u{2000}' || c.is_ascii_digit() || c == '('
    }

    #[test]
    fn hand_written_tests_agree_with_the_expressions() {
        let agency_end = Regex::new(AGENCY_END).unwrap();
        let group = Regex::new(GROUP_RE).unwrap();
        let role = Regex::new(ROLE_VERB).unwrap();
        let deadline = Regex::new(DEADLINE_LIKE).unwrap();
        let texts = word_mixes();
        assert!(texts.len() > 10_000);
        for t in &texts {
            assert_eq!(ends_like_agency(t), agency_end.is_match(t), "{t}");
            assert_eq!(names_a_group(t), group.is_match(t), "{t}");
            assert_eq!(looks_like_deadline(t), deadline.is_match(t), "{t}");
            let expected = role.captures(t).map(|c| {
                let start = c.get(0).unwrap().start();
                (start, c.name("verb").unwrap().as_str())
            });
            assert_eq!(role_verb(t), expected, "{t}");
            if expected.is_some() {
                assert!(mentions_role_verb(t), "{t}");
            }
        }
    }

    /// The brackets of `text` by a plain `char` walk, as the byte scan
    /// must find them.
    fn char_walk(text: &str) -> Vec<(usize, char)> {
        text.char_indices()
            .filter(|&(_, c)| opening(c).is_some() || closing(c).is_some())
            .collect()
    }

    /// The bracket found at an offset, as a `char`, with the class and
    /// direction `opening`/`closing` give it.
    fn scanned(text: &str) -> Vec<(usize, char)> {
        let mut found = Vec::new();
        for_each_bracket(text, |at, b| found.push((at, b)));
        found
            .into_iter()
            .map(|(at, b)| {
                let c = text[at..].chars().next().unwrap();
                assert_eq!(b.len, c.len_utf8());
                let class = if b.opens { opening(c) } else { closing(c) };
                assert_eq!(class, Some(b.class), "{c}");
                (at, c)
            })
            .collect()
    }

    /// The window test passes every bracket [`bracket_at`] finds, at every
    /// position of the window.
    #[test]
    fn window_test_passes_every_bracket() {
        for a in 0..=255u8 {
            for b in [0x00, 0x80, 0xBC, 0x9C, a] {
                for c in 0..=255u8 {
                    let bytes = [a, b, c];
                    if bracket_at(&bytes, 0).is_none() {
                        continue;
                    }
                    for k in 0..WINDOW {
                        let mut w = [b'x'; WINDOW + 2];
                        w[k..k + 3].copy_from_slice(&bytes[..(WINDOW + 2 - k).min(3)]);
                        assert!(window_brackets(&w) & (1 << k) != 0, "{bytes:x?} at {k}");
                    }
                }
            }
        }
    }

    /// [`pieces_at_most`] bounds the pieces of every text.
    #[test]
    fn pieces_at_most_is_a_bound() {
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                let mut pieces = 0;
                split_top(line, LIST_SEPARATORS, |_, _, _| pieces += 1);
                assert!(pieces <= pieces_at_most(line), "{line}");
            }
        }
        assert_eq!(pieces_at_most("省经信厅、省财政厅,省科技厅"), 3);
    }

    #[test]
    fn char_width_is_the_encoded_length() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let encoded = c.encode_utf8(&mut buf);
            assert_eq!(char_width(encoded.as_bytes()[0]), c.len_utf8(), "{c:?}");
        }
    }

    /// [`pack_hits`] packs every pattern of eight hits.
    #[test]
    fn pack_hits_packs_every_pattern() {
        for bits in 0..=255u32 {
            let hits: Vec<u8> = (0..8).map(|k| u8::from(bits & (1 << k) != 0)).collect();
            assert_eq!(pack_hits(&hits), bits);
        }
    }

    /// The byte scan finds the brackets a `char` walk finds, and nothing
    /// else, beside punctuation that shares their lead bytes, wherever
    /// they fall against the scan's windows.
    #[test]
    fn brackets_match_a_char_walk() {
        let text = "a(b)，【c】。〔d〕（e）［f］[g]、ü🙂「h」";
        assert_eq!(scanned(text), char_walk(text));
        assert_eq!(char_walk(text).len(), 12);
        let pieces = [
            "（", "）", "(", ")", "[", "]", "【", "】", "［", "］", "〔", "〕", "，", "。", "、",
            "「", "」", "：", "Ｙ", "＿", "〖", "〗", "〘", "a", "中", "ü", "🙂", "Y", "_", "〈",
            "〉", "０", "１", "４", "５", "９", "＼", "\\", "^", "｛", "Z", "\0",
        ];
        for (k, first) in pieces.iter().enumerate() {
            for second in &pieces[k..] {
                for pad in 0..40 {
                    let text = format!(
                        "{}{first}{}{second}中",
                        "x".repeat(pad),
                        "文".repeat(pad % 7)
                    );
                    assert_eq!(scanned(&text), char_walk(&text), "{text}");
                }
            }
        }
    }

    fn names(list: &str) -> Vec<(String, Option<String>, bool)> {
        let (agencies, _) = parse_list(list, Span::new(0, list.len()), Role::Responsible);
        for a in &agencies {
            assert!(list.is_char_boundary(a.span.start) && list.is_char_boundary(a.span.end));
        }
        agencies
            .into_iter()
            .map(|a| (a.name.into(), a.alias.map(String::from), a.group))
            .collect()
    }

    fn plain(list: &str) -> Vec<String> {
        names(list).into_iter().map(|(n, _, _)| n).collect()
    }

    /// `省经信厅（牵头）` names 省经信厅 as lead; the bracket is no alias.
    #[test]
    fn bracketed_role_is_a_role() {
        let list = "省经信厅（牵头）、省发展改革委、省商务厅（配合）、省委人才办（省委组织部）";
        let (agencies, _) = parse_list(list, Span::new(0, list.len()), Role::Responsible);
        let got: Vec<_> = agencies
            .iter()
            .map(|a| (a.name.as_str(), a.alias.as_deref(), a.role))
            .collect();
        assert_eq!(
            got,
            [
                ("省经信厅", None, Role::Lead),
                ("省发展改革委", None, Role::Responsible),
                ("省商务厅", None, Role::Cooperating),
                ("省委人才办", Some("省委组织部"), Role::Responsible),
            ]
        );
    }

    #[test]
    fn splits_on_every_separator() {
        assert_eq!(
            plain("省经信厅、省发展改革委,省科技厅；省财政厅"),
            ["省经信厅", "省发展改革委", "省科技厅", "省财政厅"]
        );
    }

    #[test]
    fn an_alias_may_begin_with_qian() {
        assert_eq!(
            names("深圳市前海管理局（前海管委会）、市发展改革委")[0],
            ("深圳市前海管理局".into(), Some("前海管委会".into()), false)
        );
        assert!(looks_like_deadline("6月底前"));
        assert!(looks_like_deadline("春节前完成"));
        assert!(!looks_like_deadline("前海管委会"));
    }

    #[test]
    fn alias_in_brackets() {
        assert_eq!(
            names("省教育厅、省委组织部(省委人才办)、省委编办")[1],
            ("省委组织部".into(), Some("省委人才办".into()), false)
        );
        assert_eq!(
            names("省委组织部（省委人才办（省人才工作领导小组办公室））")[0],
            (
                "省委组织部".into(),
                Some("省委人才办（省人才工作领导小组办公室）".into()),
                false
            )
        );
    }

    #[test]
    fn groups_are_marked() {
        let got = names("省税务局,省减轻企业负担领导小组其他成员单位,各设区市政府");
        assert_eq!(
            got.iter().map(|g| g.2).collect::<Vec<_>>(),
            [false, true, true]
        );
        assert!(names("有关部门")[0].2);
        assert!(names("国务院各部门")[0].2);
    }

    #[test]
    fn shared_tail_distributes() {
        assert_eq!(
            plain("省海港集团,杭州市、宁波市、金华市、舟山市及义乌市政府"),
            [
                "省海港集团",
                "杭州市政府",
                "宁波市政府",
                "金华市政府",
                "舟山市政府",
                "义乌市政府"
            ]
        );
    }

    #[test]
    fn he_inside_a_name_is_kept_and_deng_dropped() {
        assert_eq!(
            plain("工业和信息化部、省文化和旅游厅、财政部、商务部等"),
            ["工业和信息化部", "省文化和旅游厅", "财政部", "商务部"]
        );
        assert_eq!(
            plain("工业和信息化部等国务院相关部门及各地区"),
            ["工业和信息化部", "国务院相关部门", "各地区"]
        );
        assert_eq!(plain("相关部门和单位"), ["相关部门和单位"]);
    }

    #[test]
    fn bracket_roles_and_deadline() {
        let src = "推进建设（省发展改革委牵头，省经信厅、省科技厅等按职责分工负责，6月底前出台相关政策，年内持续推进）。";
        let rs = from_brackets(src, Span::new(0, src.len()));
        assert_eq!(rs.len(), 1);
        let r = &rs[0];
        let got: Vec<_> = r
            .agencies
            .iter()
            .map(|a| (a.name.as_str(), a.role))
            .collect();
        assert_eq!(
            got,
            [
                ("省发展改革委", Role::Lead),
                ("省经信厅", Role::Responsible),
                ("省科技厅", Role::Responsible)
            ]
        );
        assert_eq!(
            r.deadline.as_ref().unwrap().text,
            "6月底前出台相关政策，年内持续推进"
        );
        assert_eq!(
            &src[r.span.range()],
            "（省发展改革委牵头，省经信厅、省科技厅等按职责分工负责，6月底前出台相关政策，年内持续推进）"
        );
    }

    #[test]
    fn ordinary_brackets_are_not_responsibility() {
        for src in [
            "到2025年（含）",
            "各市、县（市、区）人民政府",
            "（本文有删减）",
            "（7项）",
        ] {
            assert!(
                from_brackets(src, Span::new(0, src.len())).is_empty(),
                "{src}"
            );
        }
    }

    #[test]
    fn square_brackets_with_labels() {
        let src = "巩固成果。[牵头单位:区卫健局、区创文办;责任单位:区疫情防控指挥部成员单位、各街办(新区)]";
        let rs = from_brackets(src, Span::new(0, src.len()));
        assert_eq!(rs.len(), 1);
        let got: Vec<_> = rs[0]
            .agencies
            .iter()
            .map(|a| (a.name.as_str(), a.role))
            .collect();
        assert_eq!(
            got,
            [
                ("区卫健局", Role::Lead),
                ("区创文办", Role::Lead),
                ("区疫情防控指挥部成员单位", Role::Responsible),
                ("各街办", Role::Responsible)
            ]
        );
        assert_eq!(rs[0].form, ResponsibilityForm::SquareBracket);
    }

    #[test]
    fn unbalanced_brackets_are_reported() {
        let (_, bad) = bracket_groups("a（b（c）");
        assert_eq!(bad, vec![(1, 3)]);
        let (_, bad) = bracket_groups("a）b");
        assert_eq!(bad, vec![(1, 3)]);
    }

    /// The list reading as it was before the `HOLDS_` bits and the byte
    /// tests, kept to check the fast paths against: each function here is
    /// the one it replaced, word for word but for the names of its callees.
    mod reference {
        use super::super::{
            EDGE_JUNK, LIST_SEPARATORS, bracketed_role, closing, distribute_tails,
            ends_like_agency, looks_like_deadline, opening,
        };
        use crate::lines::is_space;
        use crate::model::{Agency, Role};
        use crate::span::{Span, Text};
        use crate::string::Str;

        /// Top-level bracket groups by a plain `char` walk: `(open,
        /// inner_start, inner_end, close_end)` and the unbalanced brackets.
        #[allow(clippy::type_complexity)]
        pub(super) fn bracket_groups(
            text: &str,
        ) -> (Vec<(usize, usize, usize, usize)>, Vec<(usize, usize)>) {
            let mut groups = Vec::new();
            let mut unbalanced = Vec::new();
            let mut stack: Vec<(super::BracketClass, usize, usize)> = Vec::new();
            for (i, c) in text.char_indices() {
                let len = c.len_utf8();
                if let Some(class) = opening(c) {
                    stack.push((class, i, len));
                    continue;
                }
                let Some(class) = closing(c) else {
                    continue;
                };
                match stack.last() {
                    Some(&(open_class, open, open_len)) if open_class == class => {
                        stack.pop();
                        if stack.is_empty() {
                            groups.push((open, open + open_len, i, i + len));
                        }
                    }
                    _ => unbalanced.push((i, len)),
                }
            }
            unbalanced.extend(stack.iter().map(|&(_, i, len)| (i, len)));
            unbalanced.sort_unstable();
            (groups, unbalanced)
        }

        pub(super) fn split_top(text: &str, separators: &[char]) -> Vec<(usize, usize)> {
            let mut pieces = Vec::new();
            let mut depth = 0usize;
            let mut start = 0;
            for (i, c) in text.char_indices() {
                if opening(c).is_some() {
                    depth += 1;
                } else if closing(c).is_some() {
                    depth = depth.saturating_sub(1);
                } else if depth == 0 && separators.contains(&c) {
                    pieces.push((start, i));
                    start = i + c.len_utf8();
                }
            }
            pieces.push((start, text.len()));
            pieces
        }

        pub(super) fn trim_in(
            text: &str,
            start: usize,
            end: usize,
            junk: &[char],
        ) -> (usize, usize) {
            let s = &text[start..end];
            let f = |c: char| is_space(c) || junk.contains(&c);
            let left = s.len() - s.trim_start_matches(f).len();
            let right = s.trim_end_matches(f).len();
            if left >= right {
                (start, start)
            } else {
                (start + left, start + right)
            }
        }

        pub(super) fn names_a_group(name: &str) -> bool {
            name.char_indices().any(|(i, c)| {
                let rest = &name[i + c.len_utf8()..];
                match c {
                    '各' => true,
                    '有' | '相' => rest.starts_with('关'),
                    '其' => rest.starts_with(['他', '它']),
                    '成' => rest.starts_with("员单位"),
                    '所' => rest.starts_with('属'),
                    '全' => rest.starts_with('体'),
                    _ => false,
                }
            })
        }

        fn looks_like_agency(name: &str) -> bool {
            !name.is_empty() && (ends_like_agency(name) || names_a_group(name))
        }

        pub(super) fn parse_list(
            source: &str,
            span: Span,
            role: Role,
        ) -> (Vec<Agency>, Option<Text>) {
            let text = &source[span.range()];
            let base = span.start;
            let mut items: Vec<Agency> = Vec::new();
            let mut deadline = None;
            let mut take = |s: usize, e: usize| {
                let (s, e) = trim_in(text, s, e, EDGE_JUNK);
                if s != e
                    && let Some(agency) = agency(text, s, e, base, role, &mut deadline)
                {
                    items.push(agency);
                }
            };
            for (s, e) in split_top(text, LIST_SEPARATORS) {
                let (s, e) = trim_in(text, s, e, EDGE_JUNK);
                if s == e {
                    continue;
                }
                split_etc(text, s, e, &mut |s, e| split_joined(text, s, e, &mut take));
            }
            distribute_tails(&mut items);
            (items, deadline)
        }

        fn split_etc(text: &str, start: usize, end: usize, each: &mut dyn FnMut(usize, usize)) {
            let piece = &text[start..end];
            let mut from = start;
            let mut prev: Option<char> = None;
            for (i, c) in piece.char_indices() {
                if c == '等'
                    && !matches!(
                        prev,
                        Some('高' | '平' | '同' | '初' | '中' | '对' | '相' | '均')
                    )
                {
                    if from < start + i {
                        each(from, start + i);
                    }
                    from = start + i + c.len_utf8();
                }
                prev = Some(c);
            }
            if from < end {
                each(from, end);
            }
        }

        fn split_joined(text: &str, start: usize, end: usize, each: &mut dyn FnMut(usize, usize)) {
            split_at_joiner(text, start, end, '及', &mut |s, e| {
                split_at_joiner(text, s, e, '和', &mut |s, e| {
                    split_at_joiner(text, s, e, '与', &mut *each);
                });
            });
        }

        fn split_at_joiner(
            text: &str,
            start: usize,
            end: usize,
            joiner: char,
            each: &mut dyn FnMut(usize, usize),
        ) {
            let piece = &text[start..end];
            let width = joiner.len_utf8();
            let mut joints = piece.match_indices(joiner).map(|(i, _)| i).peekable();
            let mut item = 0;
            while let Some(at) = joints.next() {
                let left = &piece[item..at];
                let next = joints.peek().copied().unwrap_or(piece.len());
                let right = &piece[at + width..next];
                let left_ok = left.chars().nth(1).is_some() && ends_like_agency(left);
                let right_ok = right.chars().nth(2).is_some() && looks_like_agency(right);
                if left_ok && right_ok {
                    each(start + item, start + at);
                    item = at + width;
                }
            }
            each(start + item, end);
        }

        fn agency(
            text: &str,
            start: usize,
            end: usize,
            base: usize,
            mut role: Role,
            deadline: &mut Option<Text>,
        ) -> Option<Agency> {
            let written = &text[start..end];
            let mut name_end = end;
            let mut alias = None;
            let (groups, mut unbalanced) = bracket_groups(written);
            if let Some(&(open, inner_start, inner_end, close_end)) = groups.last()
                && close_end == written.len()
                && open > 0
            {
                let inner = &written[inner_start..inner_end];
                let inner_trimmed = inner.trim_matches(is_space);
                if looks_like_deadline(inner_trimmed) {
                    if deadline.is_none() {
                        let (ds, de) = trim_in(text, start + inner_start, start + inner_end, &[]);
                        *deadline = Some(Text {
                            text: Str::from(&text[ds..de]),
                            span: Span::new(base + ds, base + de),
                        });
                    }
                } else if let Some(r) = bracketed_role(inner_trimmed) {
                    role = r;
                } else if !inner_trimmed.is_empty() {
                    alias = Some(Str::from(inner_trimmed));
                }
                name_end = start + open;
            }
            let mut name = &text[start..name_end];
            if alias.is_none() {
                if name_end != end {
                    unbalanced = bracket_groups(name).1;
                }
                if let Some(&(at, len)) = unbalanced.first()
                    && at > 0
                {
                    let rest =
                        name[at + len..].trim_matches(|c| is_space(c) || closing(c).is_some());
                    if !rest.is_empty() {
                        alias = Some(Str::from(rest));
                    }
                    name = &name[..at];
                }
            }
            let name = name
                .trim_matches(is_space)
                .trim_start_matches(['由', '请'])
                .trim_end_matches('等');
            let name: Str = if name.contains(is_space) {
                name.chars().filter(|&c| !is_space(c)).collect()
            } else {
                Str::from(name)
            };
            if name.is_empty() {
                return None;
            }
            Some(Agency {
                group: names_a_group(&name),
                name,
                alias,
                role,
                span: Span::new(base + start, base + end),
            })
        }

        /// The responsibility brackets of the text at `span` of `source`,
        /// as they were found before the brackets were scanned one group
        /// at a time: the groups of [`bracket_groups`] first, then each
        /// read by the old loop, with the old `role_clauses`, which
        /// collected its clauses before reading them.
        pub(super) fn responsibility_brackets(
            source: &str,
            span: crate::span::Span,
        ) -> Vec<crate::model::Responsibility> {
            use crate::model::ResponsibilityForm;
            let text = &source[span.range()];
            let mut out = Vec::new();
            for (open, inner_start, inner_end, close_end) in bracket_groups(text).0 {
                let class = text[open..].chars().next().and_then(opening);
                let whole = Span::new(span.start + open, span.start + close_end);
                let inner = Span::new(span.start + inner_start, span.start + inner_end);
                let inner_text = &source[inner.range()];
                if crate::lines::label_at_start(inner_text.trim_start_matches(is_space)).is_some() {
                    let form = match class {
                        Some(super::BracketClass::Round) => ResponsibilityForm::Bracket,
                        _ => ResponsibilityForm::SquareBracket,
                    };
                    let mut ignored = Vec::new();
                    let mut r = super::super::from_labels(source, inner, form, false, &mut ignored);
                    r.span = whole;
                    out.push(r);
                } else if class == Some(super::BracketClass::Round)
                    && super::super::mentions_role_verb(inner_text)
                    && let Some(r) = role_clauses(source, inner, whole)
                {
                    out.push(r);
                }
            }
            out
        }

        fn role_clauses(
            source: &str,
            inner: Span,
            whole: Span,
        ) -> Option<crate::model::Responsibility> {
            use super::super::{CLAUSE_SEPARATORS, looks_like_agency, parse_list, role_verb};
            let text = &source[inner.range()];
            let clauses = split_top(text, CLAUSE_SEPARATORS);
            let mut agencies = Vec::new();
            let mut pending: Vec<(usize, usize)> = Vec::new();
            let mut deadline_from: Option<usize> = None;
            let mut any_role = false;
            for (s, e) in clauses {
                let (s, e) = trim_in(text, s, e, EDGE_JUNK);
                if s == e {
                    continue;
                }
                let clause = &text[s..e];
                let Some((verb_start, verb)) = role_verb(clause) else {
                    if any_role {
                        deadline_from.get_or_insert(s);
                    } else {
                        pending.push((s, e));
                    }
                    continue;
                };
                let list_end = s + verb_start;
                let list = Span::new(inner.start + s, inner.start + list_end);
                let role = if verb.starts_with("牵头") {
                    Role::Lead
                } else if verb.starts_with("负责") || verb == "落实" {
                    Role::Responsible
                } else {
                    Role::Cooperating
                };
                let (found, _) = parse_list(source, list, role);
                if found.is_empty() || !found.iter().all(|a| looks_like_agency(&a.name)) {
                    if any_role {
                        deadline_from.get_or_insert(s);
                    }
                    continue;
                }
                for (ps, pe) in pending.drain(..) {
                    let pspan = Span::new(inner.start + ps, inner.start + pe);
                    let (prev, _) = parse_list(source, pspan, role);
                    if prev.iter().all(|a| looks_like_agency(&a.name)) {
                        agencies.extend(prev);
                    }
                }
                any_role = true;
                agencies.extend(found);
            }
            if !any_role {
                return None;
            }
            let deadline = deadline_from.map(|from| {
                let (s, e) = trim_in(text, from, text.len(), EDGE_JUNK);
                Text::from_source(source, Span::new(inner.start + s, inner.start + e))
            });
            Some(crate::model::Responsibility {
                form: crate::model::ResponsibilityForm::Bracket,
                span: whole,
                agencies,
                deadline,
            })
        }
    }

    /// The pieces [`split_top`] gives, with its `HOLDS_` bits checked
    /// against the piece: a clear bit must mean the character is absent.
    fn new_split_top(text: &str, separators: &[char]) -> Vec<(usize, usize)> {
        let mut pieces = Vec::new();
        split_top(text, separators, |s, e, holds| {
            let piece = &text[s..e];
            let absent = |bit: u8, chars: &[char]| holds & bit != 0 || !piece.contains(chars);
            assert!(absent(HOLDS_ETC, &['等']), "{piece}");
            assert!(absent(HOLDS_JI, &['及']), "{piece}");
            assert!(absent(HOLDS_HE, &['和']), "{piece}");
            assert!(absent(HOLDS_YU, &['与']), "{piece}");
            assert!(holds & HOLDS_GROUP != 0 || !names_a_group(piece), "{piece}");
            assert!(
                holds & HOLDS_SPACE != 0 || !piece.contains(is_space),
                "{piece}"
            );
            assert!(
                holds & HOLDS_BRACKET != 0
                    || !piece.contains(|c| opening(c).is_some() || closing(c).is_some()),
                "{piece}"
            );
            pieces.push((s, e));
        });
        pieces
    }

    /// Checks every fast path of the list reading against [`reference`]
    /// on `text`.
    fn check_list_against_reference(text: &str) {
        for separators in [LIST_SEPARATORS, CLAUSE_SEPARATORS] {
            assert_eq!(
                new_split_top(text, separators),
                reference::split_top(text, separators),
                "{text}"
            );
        }
        let ends: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for junk in [EDGE_JUNK, &[], &['；', ';', ']', '】', '］', '。']] {
            for &s in ends.iter().take(4) {
                for &e in ends.iter().rev().take(4).filter(|&&e| e >= s) {
                    assert_eq!(
                        trim_in(text, s, e, junk),
                        reference::trim_in(text, s, e, junk),
                        "{text} {s} {e}"
                    );
                }
            }
        }
        assert_eq!(
            names_a_group(text),
            reference::names_a_group(text),
            "{text}"
        );
        let (groups, unbalanced) = bracket_groups(text);
        let groups: Vec<_> = groups
            .iter()
            .map(|g| (g.open, g.inner_start, g.inner_end, g.close_end))
            .collect();
        assert_eq!(
            (groups, unbalanced),
            reference::bracket_groups(text),
            "{text}"
        );
        let span = Span::new(0, text.len());
        let (found, unbalanced) = responsibility_brackets(text, span);
        assert_eq!(found, from_brackets(text, span), "{text}");
        assert_eq!(
            found,
            reference::responsibility_brackets(text, span),
            "{text}"
        );
        assert_eq!(unbalanced, reference::bracket_groups(text).1, "{text}");
        for role in [Role::Lead, Role::Responsible] {
            assert_eq!(
                parse_list(text, span, role),
                reference::parse_list(text, span, role),
                "{text}"
            );
        }
    }

    /// Every space, in every place of a piece, sets the piece's
    /// [`HOLDS_SPACE`] in [`split_top`]; a piece of ideographs does not.
    #[test]
    fn split_top_sees_every_space() {
        let holds = |text: &str| {
            let mut all = 0;
            split_top(text, LIST_SEPARATORS, |_, _, holds| all |= holds);
            all
        };
        let spaces: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| is_space(c))
            .collect();
        assert!(spaces.len() > 20);
        for c in spaces {
            for text in [c.to_string(), format!("省{c}厅"), format!("ab{c}")] {
                assert_ne!(holds(&text) & HOLDS_SPACE, 0, "{c:?}");
            }
        }
        assert_eq!(holds("省发展改革委、省财政厅") & HOLDS_SPACE, 0);
    }

    #[test]
    fn trim_name_agrees_with_the_trims() {
        let pieces = [
            "由", "请", "等", " ", "\u{3000}", "省", "厅", "a", "🙂", "由省", "等等",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        let name = format!("{a}{b}{c}{d}");
                        let expected = name
                            .trim_matches(is_space)
                            .trim_start_matches(['由', '请'])
                            .trim_end_matches('等');
                        assert_eq!(trim_name(&name), expected, "{name}");
                    }
                }
            }
        }
    }

    /// Every line of every fixture, and each line cut after its first
    /// colon the way a label line is, read as an agency list.
    #[test]
    fn list_reading_agrees_with_the_reference_on_the_fixtures() {
        let mut lines = 0;
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                check_list_against_reference(line);
                if let Some((_, list)) = line.split_once(['：', ':']) {
                    check_list_against_reference(list);
                }
                lines += 1;
            }
        }
        assert!(lines > 500);
    }

    #[test]
    fn list_reading_agrees_with_the_reference_on_edge_cases() {
        for text in [
            "",
            "、",
            "等",
            "省经信厅等",
            "由省经信厅",
            "请 省 发 改 委",
            "省经信厅（牵头）、省商务厅（省口岸办",
            "省商务厅）、省财政厅",
            "省委组织部（省委人才办（省人才工作领导小组办公室））",
            "a（1（2（3（4（5（6（7（8（9（10）9）8）7）6）5）4）3）2）1）",
            "a（1（2（3（4（5（6（7（8（9（10）9]8）7）6）5）4）3）2）1",
            "a（1（2（3（4（5（6（7（8（9（10（11",
            "a）1）2）3）4）5）6）7）8）9）10）11",
            "杭州市、宁波市及义乌市政府",
            "工业和信息化部等国务院相关部门及各地区",
            "省发展改革委与省财政厅和省科技厅及各市政府",
            "省经信厅（2025年底前）",
            "，省经信厅。",
            "\u{3000}省经信厅\u{a0}",
            "[省经信厅]、【省财政厅】〔省科技厅〕",
            "省经信厅,省财政厅;省科技厅/省商务厅／省教育厅",
            "🙂厅",
            "ü局、é委",
            // Role clauses in a bracket: a list before the first role
            // verb waits for it; after a role, a clause without one is
            // the deadline.
            "推进改革（省经信厅、省商务厅，省财政厅牵头，2025年底前完成）",
            "推进改革（省经信厅，省发展改革委牵头，各市政府按职责分工负责）",
            "推进改革（加快推进，省财政厅负责）",
            "推进改革（省财政厅落实；持续推进）",
            "推进改革（有关工作，各地配合）",
        ] {
            check_list_against_reference(text);
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn list_reading_agrees_with_the_reference(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "省", "市", "县", "区", "局", "厅", "委", "办", "政府", "人民政府", "管委会",
                "各", "有关", "相关", "部门", "其他", "其它", "成员单位", "所属", "全体", "单位",
                "、", "，", ",", "；", ";", "/", "／", "。", "：", ":", ".",
                "等", "及", "和", "与", "高", "平", "相",
                "（", "）", "(", ")", "[", "]", "【", "】", "［", "］", "〔", "〕",
                "牵头", "配合", "负责", "6月底前", "年", "前",
                " ", "\u{3000}", "\u{a0}", "\t", "\u{200b}", "\u{feff}",
                "由", "请", "x", "1", "🙂", "ü", "中心", "企业",
                "牵", "头", "负", "责", "落", "实", "配", "合", "参", "协", "助", "同",
            ]),
            0..24,
        )) {
            check_list_against_reference(&s.concat());
        }
    }
}
