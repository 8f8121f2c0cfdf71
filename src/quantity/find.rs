//! The quantity finder: numerals (numeral.rs) joined to units (unit.rs),
//! with signs, percent words, ranges, and the rules that keep single
//! Chinese numerals inside words (`一流`, `四川`) out.

use super::decimal::Decimal;
use super::numeral::{self, Numeral, Parse, chinese_digit, is_numeral_char, skip_gaps};
use super::unit::{self, CURRENCY_SIGNS, SUBUNITS, Unit, UnitKind, is_gap};
use super::words::{CharSet, numeral_word_at};
use super::{Bound, Normalized, Quantity};
use crate::span::Span;
use crate::string::Str;
use regex::Regex;
use std::sync::LazyLock;

/// A quantity as the finder holds it: spans, exact values and `'static`
/// names, nothing allocated. [`Found::quantity`] makes the public
/// [`Quantity`]; the target logic works on these directly.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Found {
    /// The whole quantity.
    pub span: Span,
    /// The numeral, sign and magnitude included.
    pub number_span: Span,
    /// The numeral's value, magnitude included.
    pub number: Decimal,
    /// The value as written in the unit.
    pub value: Decimal,
    /// A range's upper end, in the unit.
    pub upper: Option<Decimal>,
    /// Where the unit is written (its magnitude included).
    pub unit: Option<Span>,
    /// The base unit.
    pub base: Option<&'static str>,
    /// The value in the base unit.
    pub normalized: Option<Decimal>,
    /// A range's upper end in the base unit.
    pub normalized_upper: Option<Decimal>,
    /// What it measures.
    pub kind: UnitKind,
    /// `余` `多` `几`, or a range.
    pub bound: Option<Bound>,
    /// One Chinese character for a numeral (`一`, `两`).
    pub weak: bool,
    /// Where the numeral ends (before any unit).
    pub numeral_end: usize,
}

impl Found {
    /// The unit as written, gaps taken out.
    pub(crate) fn unit_text(&self, text: &str) -> Option<Str> {
        self.unit.map(|u| ungapped(&text[u.range()]))
    }

    /// True when the unit is written exactly `written`.
    pub(crate) fn unit_is(&self, text: &str, written: &str) -> bool {
        self.unit.is_some_and(|u| &text[u.range()] == written)
    }

    /// The value in the base unit, as the public type.
    pub(crate) fn normalized(&self) -> Option<Normalized> {
        Some(Normalized {
            value: self.normalized?,
            unit: self.base.map(Str::from_static),
            upper: self.normalized_upper,
        })
    }

    /// The public quantity.
    pub(crate) fn quantity(&self, text: &str) -> Quantity {
        Quantity {
            text: Str::from(&text[self.span.range()]),
            span: self.span,
            number_span: self.number_span,
            number: self.number,
            value: self.value,
            upper: self.upper,
            unit: self.unit_text(text),
            normalized: self.normalized(),
            kind: self.kind.kind(),
            bound: self.bound,
        }
    }
}

/// URLs, whose digits and `%` are not quantities.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?: https?:// | www\. )   # scheme or host
        [\x21-\x7e]+              # printable ASCII up to a space or a Han character
        ",
    )
    .expect("URL regex is valid")
});

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

/// True when `c` is at `pos`: [`char_at`]`(text, pos) == Some(c)` by
/// comparing bytes, without decoding the character. (An encoding starts
/// with a byte that no character continues with, so a match is at a
/// character boundary.)
#[inline]
fn char_is(text: &str, pos: usize, c: char) -> bool {
    let mut buf = [0; 4];
    let want = c.encode_utf8(&mut buf).as_bytes();
    text.as_bytes()
        .get(pos..)
        .is_some_and(|rest| rest.starts_with(want))
}

/// A CJK ideograph (not punctuation).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Characters where a quantity may start: digits, Chinese numerals,
/// signs, currency signs, `翻`. Everything else is passed over without a
/// closer look.
static STARTS: LazyLock<CharSet> = LazyLock::new(|| {
    CharSet::new(
        ('0'..='9')
            .chain('０'..='９')
            .chain(numeral::CHINESE_NUMERALS.chars())
            .chain(".．-－负負翻￥¥$＄€£U".chars()),
    )
});

/// Words after a unit's character that make the two one word: `片区`,
/// `周年`, `台账`.
static UNIT_WORDS: &[(&str, char)] = &[
    ("片", '区'),
    ("周", '年'),
    ("周", '岁'),
    ("年", '级'),
    ("名", '单'),
    ("台", '账'),
    ("台", '阶'),
    ("门", '户'),
    ("门", '槛'),
    ("部", '署'),
    ("所", '有'),
    ("所", '在'),
    ("条", '例'),
    ("条", '件'),
    ("口", '岸'),
    ("口", '径'),
    ("场", '景'),
    ("场", '所'),
    ("场", '馆'),
    ("班", '列'),
    ("班", '子'),
    ("支", '持'),
    ("支", '撑'),
    ("支", '付'),
    ("对", '接'),
    ("对", '标'),
    ("对", '外'),
    ("对", '于'),
    ("对", '象'),
    ("位", '于'),
    ("处", '理'),
    ("处", '置'),
    ("次", '要'),
    ("次", '级'),
    ("次", '生'),
    ("元", '素'),
    ("元", '宇'),
    ("元", '旦'),
    ("本", '地'),
    ("本", '级'),
    ("本", '科'),
    ("间", '接'),
    ("头", '部'),
    ("套", '餐'),
    ("种", '植'),
    ("种", '业'),
    ("种", '子'),
    ("件", '事'),
    ("家", '庭'),
    ("户", '籍'),
    ("户", '外'),
    ("人", '民'),
    ("日", '常'),
    ("天", '然'),
    ("天", '地'),
    ("天", '下'),
    ("根", '本'),
    ("根", '据'),
    ("块", '状'),
    ("层", '级'),
    ("层", '次'),
    ("层", '面'),
    ("片", '面'),
    ("倍", '增'),
    ("只", '有'),
    ("只", '要'),
    ("成", '为'),
    ("成", '果'),
];

/// The characters after a unit that [`UNIT_WORDS`] lists: only after
/// these is the table looked at.
static UNIT_WORD_NEXT: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(UNIT_WORDS.iter().map(|&(_, c)| c)));

/// True when the unit `written` and the character `next` after it make one
/// word of [`UNIT_WORDS`].
fn unit_word(written: &str, next: char) -> bool {
    UNIT_WORD_NEXT.contains(next) && UNIT_WORDS.iter().any(|&(u, c)| c == next && u == written)
}

/// Characters after `成` that keep it a percentage: `九成以上`, `七成六`.
fn cheng_ok(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => {
            !is_han(c)
                || matches!(c, '以' | '左' | '半' | '多' | '的' | '上')
                || chinese_digit(c).is_some()
        }
    }
}

/// Finds the unit at `pos`, applying the guards that keep words out.
fn unit_at(text: &str, pos: usize, numeral: &Numeral) -> Option<(&'static Unit, usize)> {
    let (unit, end) = unit::lookup(text, pos)?;
    let next = char_at(text, end);
    if let Some(n) = next
        && unit_word(unit.written, n)
    {
        return None;
    }
    match unit.written {
        // 两 is a unit only where it cannot be the numeral 两.
        "两" | "兩" if numeral.weak || next.is_some_and(is_han) => return None,
        "成" if !cheng_ok(next)
            || numeral.value > Decimal::from_int(10)
            || numeral.value.is_negative() =>
        {
            return None;
        }
        _ => {}
    }
    // `20个比特币`: a classifier before a currency.
    if unit.written == "个" {
        let p = skip_gaps(text, end, text.len());
        if let Some((cur, cend)) = unit::lookup(text, p)
            && matches!(cur.kind, UnitKind::Currency(_))
        {
            return Some((cur, cend));
        }
    }
    Some((unit, end))
}

/// True when neither neighbour of `start..end` is a Han character.
fn standalone_at(text: &str, start: usize, end: usize) -> bool {
    char_before(text, start).is_none_or(|c| !is_han(c))
        && char_at(text, end).is_none_or(|c| !is_han(c))
}

/// `written` with its gaps taken out.
fn ungapped(s: &str) -> Str {
    if s.contains(is_gap) {
        s.chars().filter(|&c| !is_gap(c)).collect()
    } else {
        Str::from(s)
    }
}

/// A quick test for the commonest case: a single Chinese numeral between
/// two Han characters that cannot continue it (`统一规划`, `进一步`,
/// `一流`), which the full grammar would reject anyway.
fn word_internal(text: &str, i: usize, c: char, before: Option<char>) -> bool {
    if numeral::arabic_digit(c).is_some() || !before.is_some_and(is_han) {
        return false;
    }
    let Some(next) = char_at(text, i + c.len_utf8()) else {
        return false;
    };
    is_han(next)
        && !is_numeral_char(next)
        && !matches!(
            next,
            '分' | '又' | '点' | '點' | '余' | '多' | '几' | '幾' | '番'
        )
        && !unit::starts_unit(next)
}

/// A sign at `pos`: `-`, `－`, or `负` where it cannot be part of a word
/// (`减负2500亿元` is not negative). Returns where the numeral starts.
fn sign_at(text: &str, pos: usize) -> Option<usize> {
    let c = char_at(text, pos)?;
    let after = pos + c.len_utf8();
    let next = char_at(text, after)?;
    let before = char_before(text, pos);
    match c {
        '-' | '－' => {
            let ok_next = numeral::arabic_digit(next).is_some()
                || (matches!(next, '.' | '．')
                    && char_at(text, after + 1)
                        .and_then(numeral::arabic_digit)
                        .is_some());
            let ok_before = before.is_none_or(|b| {
                !(b.is_ascii_alphanumeric()
                    || matches!(b, '-' | '－' | '.' | '．')
                    || is_numeral_char(b))
            });
            (ok_next && ok_before).then_some(after)
        }
        '负' | '負' => {
            let ok_before = before.is_none_or(|b| !is_han(b) || "为是到至达了和或于".contains(b));
            let ok_next = numeral::arabic_digit(next).is_some()
                || chinese_digit(next).is_some()
                || is_numeral_char(next);
            (ok_before && ok_next).then_some(after)
        }
        _ => None,
    }
}

/// True when a numeral at `start` is an outline marker (`四、`, `（三）`,
/// `1.` at the start of a line) rather than a quantity.
fn is_marker(text: &str, start: usize, numeral: &Numeral) -> bool {
    // Every marker ends in `、`, `.`, `．`, `）` or `)`: the first byte of
    // the next character rules out nearly every numeral.
    matches!(
        text.as_bytes().get(numeral.end),
        Some(b'.' | b')' | 0xE3 | 0xEF)
    ) && marker_by_chars(text, start, numeral)
}

/// [`is_marker`] by the characters around the numeral.
fn marker_by_chars(text: &str, start: usize, numeral: &Numeral) -> bool {
    let next = char_at(text, numeral.end);
    let before = char_before(text, start);
    if matches!(before, Some('（' | '(')) && matches!(next, Some('）' | ')')) {
        return true;
    }
    let marker_end = match next {
        Some('、') => true,
        Some('.' | '．') => {
            char_at(text, numeral.end + 1).is_none_or(|c| numeral::arabic_digit(c).is_none())
        }
        _ => false,
    };
    // Only spacing between the start of the line and the numeral.
    marker_end
        && text[..start]
            .chars()
            .rev()
            .take_while(|&c| c != '\n')
            .all(|c| is_gap(c) || c == '\u{feff}')
}

/// The extent of ASCII letters, digits and dots from `pos`: a code such as
/// `5G`, `G20`, `PM2.5` that holds no quantity.
fn code_end(text: &str, pos: usize) -> usize {
    let rest = text.get(pos..).unwrap_or("");
    let n = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    pos + n.max(rest.chars().next().map_or(1, char::len_utf8))
}

/// What the finder makes of a position.
enum Step {
    /// A quantity (held by the caller's vector: `Found` is large).
    Found,
    /// No quantity; go on from this offset.
    Skip(usize),
    /// No quantity here.
    None,
}

/// The letters a URL starts with (`http`, `www.`, in any case). The walk
/// stops at them too, so that a text is searched for URLs only once it is
/// seen to hold the start of one.
const URL_LEADS: [char; 4] = ['h', 'H', 'w', 'W'];

/// True when `rest` starts as a URL of [`URL`] may: `http` or `www.` in
/// any case. (Case folding maps no other character to these letters.)
fn may_start_url(rest: &str) -> bool {
    rest.get(..4)
        .is_some_and(|head| head.eq_ignore_ascii_case("http") || head.eq_ignore_ascii_case("www."))
}

/// The URLs of `text`, in order, in any case (`HTTP://`, `WWW.`): only
/// asked for once [`may_start_url`] has seen one may start.
fn url_spans(text: &str) -> Vec<(usize, usize)> {
    URL.find_iter(text).map(|m| (m.start(), m.end())).collect()
}

/// [`STARTS`] and [`URL_LEADS`]: what [`scan`] walks over.
static SCAN_WALK: LazyLock<CharSet> = LazyLock::new(|| STARTS.union(&CharSet::new(URL_LEADS)));

/// Finds the quantities in `text`, spans relative to it.
pub(crate) fn scan(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    scan_walking(text, &SCAN_WALK, &mut out, |_, _| {});
    out
}

/// A walk over a text that finds its quantities and, in the same pass,
/// where the characters of another set are: one walk instead of two.
pub(crate) struct Walk {
    /// The characters a quantity may start with, URL leads, and those of
    /// `also`.
    union: CharSet,
    also: &'static CharSet,
}

impl Walk {
    /// A walk that also notes the characters of `also`.
    pub(crate) fn new(also: &'static CharSet) -> Walk {
        Walk {
            union: SCAN_WALK.union(also),
            also,
        }
    }
}

/// Finds the quantities in `text` as [`scan`] does, into `out` (a buffer
/// the caller reuses: it is cleared first), and hands `note` the offset and
/// code point of every character of `walk.also`, in text order.
pub(crate) fn scan_noting(
    text: &str,
    walk: &Walk,
    out: &mut Vec<Found>,
    mut note: impl FnMut(usize, u32),
) {
    out.clear();
    scan_walking(text, &walk.union, out, |i, u| {
        if walk.also.contains_u32(u) {
            note(i, u);
        }
    });
}

/// [`scan`] over the characters of `walk` (a superset of [`SCAN_WALK`]),
/// into `out`, which is empty: `other` sees every one of them (offset and
/// code point), what a quantity starts with or not.
fn scan_walking(
    text: &str,
    walk: &CharSet,
    out: &mut Vec<Found>,
    mut other: impl FnMut(usize, u32),
) {
    // No URL starts before the first URL lead that begins `http` or
    // `www.`: the URLs are looked for there, and most texts never are.
    let mut urls: Option<std::iter::Peekable<std::vec::IntoIter<(usize, usize)>>> = None;
    out.reserve(text.len() / 64);
    let mut next = 0;
    for (i, u) in walk.members(text) {
        other(i, u);
        if urls.is_none() && URL_LEADS.iter().any(|&c| c as u32 == u) && may_start_url(&text[i..]) {
            urls = Some(url_spans(text).into_iter().peekable());
        }
        if i < next || !STARTS.contains_u32(u) {
            continue;
        }
        if let Some(urls) = urls.as_mut() {
            while urls.peek().is_some_and(|&(_, e)| e <= i) {
                urls.next();
            }
            if let Some(&(s, e)) = urls.peek()
                && s <= i
            {
                next = e;
                continue;
            }
        }
        let Some(c) = char::from_u32(u) else {
            continue;
        };
        match at(text, i, c, out) {
            Step::Found => next = out.last().map_or(i + 1, |f| f.span.end),
            Step::Skip(e) => next = e,
            Step::None => {}
        }
    }
}

/// What the finder makes of `text` at `i`, where the walk found `c` (the
/// walk hands over the character it decoded).
fn at(text: &str, i: usize, c: char, out: &mut Vec<Found>) -> Step {
    let rest = &text[i..];
    let before = char_before(text, i);

    match c {
        '￥' | '¥' | '$' | '＄' | '€' | '£' | 'U' => {
            return match CURRENCY_SIGNS.iter().find(|(s, ..)| rest.starts_with(s)) {
                Some(&(sign, base, code)) => found(out, currency_sign(text, i, sign, base, code)),
                None => Step::None,
            };
        }
        '翻' => return found(out, doubling(text, i)),
        '百' | '佰' | '千' | '仟' | '万' | '萬' => match per_prefix(text, i) {
            Some(Ok(f)) => return found(out, Some(f)),
            Some(Err(e)) => return Step::Skip(e),
            None => {}
        },
        _ => {}
    }
    if word_internal(text, i, c, before) {
        return Step::None;
    }
    // Only a sign character can start a sign.
    let sign = match c {
        '-' | '－' | '负' | '負' => sign_at(text, i),
        _ => None,
    };
    let (neg, start, first) = match sign {
        Some(s) => match char_at(text, s) {
            Some(first) => (true, s, first),
            None => return Step::None,
        },
        None => (false, i, c),
    };
    let startable = numeral::arabic_digit(first).is_some()
        || chinese_digit(first).is_some()
        || numeral::small_multiplier(first).is_some()
        || (matches!(first, '万' | '萬') && matches!(char_at(text, start + 3), Some('亿' | '億')))
        || (matches!(first, '.' | '．')
            && !matches!(before, Some('.' | '．'))
            && before.is_none_or(|b| numeral::arabic_digit(b).is_none())
            && char_at(text, start + first.len_utf8())
                .and_then(numeral::arabic_digit)
                .is_some());
    if !startable {
        return Step::None;
    }
    if !neg && before.is_some_and(|b| b.is_ascii_alphanumeric()) {
        return Step::Skip(code_end(text, i));
    }
    // The numeral words all start with a Han numeral.
    if !c.is_ascii()
        && let Some(w) = numeral_word_at(rest)
    {
        return Step::Skip(i + w.len());
    }
    // Borrowed where it lies: a numeral is large.
    let parsed = numeral::parse(text, start, text.len());
    let n = match &parsed {
        Parse::Num(n) => n,
        Parse::Skip(e) => return Step::Skip(*e),
        Parse::None => return Step::None,
    };
    // `若干` is looked for only after its last character.
    let vague = matches!(before, Some('第' | '几' | '幾' | '数' | '數'))
        || (before == Some('干') && text[..i].ends_with("若干"));
    if vague || is_marker(text, start, n) {
        return Step::Skip(n.end);
    }
    match build(text, i, n, neg, out.len().checked_sub(1), true, out) {
        Some(()) => Step::Found,
        None => Step::None,
    }
}

/// Where `prev`, the quantity found before, ends if it is a month (`3月`):
/// all that [`date_or_duration`] asks of it.
fn month_end(text: &str, prev: Option<&Found>) -> Option<usize> {
    prev.filter(|p| p.kind == UnitKind::Date && p.unit_is(text, "月"))
        .map(|p| p.span.end)
}

/// Builds the quantity for numeral `n` (sign, if any, at `span_start`):
/// unit, `半`, compound currency, date or duration, and a range when
/// `ranges` is set. `prev` is where the quantity before is in `out`.
///
/// The quantity is made in place, pushed onto `out` (and taken off again
/// if it fails): a [`Found`] is large, and returning it by value copied it
/// twice more on its way into the vector.
fn build(
    text: &str,
    span_start: usize,
    n: &Numeral,
    neg: bool,
    prev: Option<usize>,
    ranges: bool,
    out: &mut Vec<Found>,
) -> Option<()> {
    // The numeral is borrowed, not moved in: it is large, and only
    // `12千米` reads a shorter one.
    let shorter;
    let mut n = n;
    let len = text.len();
    let mut u_at = skip_gaps(text, n.end, len);
    let mut bound = n.approx;
    // `200多家`, `1000余个`.
    if char_is(text, u_at, '余') || char_is(text, u_at, '多') {
        let p = skip_gaps(text, u_at + 3, len);
        if unit_at(text, p, n).is_some() {
            bound = Some(Bound::MoreThan);
            u_at = p;
        }
    }
    // `12千米`, `1兆瓦`: the multiplier starts the unit.
    if let Some((lm, ch)) = n.last_multiplier
        && (ch == '兆' || n.arabic_led)
        && unit::lookup(text, lm).is_some_and(|(u, _)| u.written.starts_with(ch))
    {
        shorter = numeral::parse(text, n.start, lm);
        if let Parse::Num(shorter) = &shorter
            && shorter.end == lm
        {
            n = shorter;
            u_at = lm;
        }
    }
    let mut unit = unit_at(text, u_at, n);
    let mut number = n.value;
    if neg {
        number = number.checked_neg()?;
    }
    if let Some((u, _)) = unit
        && n.weak
        && n.value.is_zero()
        && !matches!(u.kind, UnitKind::Percent)
    {
        unit = None;
    }
    // A lone financial numeral (`陆`, `伍`, `拾`) is a word: 登陆, 队伍, 收拾.
    if n.weak
        && char_at(text, n.start).is_some_and(|c| "壹贰貳叁參肆伍陆陸柒捌玖拾佰仟".contains(c))
        && !standalone_at(text, span_start, n.end)
    {
        return None;
    }
    if unit.is_none() {
        if n.weak && !standalone_at(text, span_start, n.end) {
            return None;
        }
        // `5G`, `3D`: a code, not a number.
        // An ASCII letter is one byte, and no other character's first
        // byte is one.
        if text
            .as_bytes()
            .get(n.end)
            .is_some_and(u8::is_ascii_alphabetic)
        {
            return None;
        }
    }

    let k = out.len();
    out.push(Found {
        span: Span::new(span_start, n.end),
        number_span: Span::new(span_start, n.end),
        number,
        value: number,
        upper: None,
        unit: None,
        base: None,
        normalized: None,
        normalized_upper: None,
        kind: if n.fraction {
            UnitKind::Fraction
        } else {
            UnitKind::Number
        },
        bound,
        weak: n.weak,
        numeral_end: n.end,
    });
    let done = (|| {
        let mut found_unit = None;
        if let Some((u, u_end)) = unit {
            // Only a day asks for the quantity before.
            let month_end = if u.written == "日" {
                month_end(text, prev.and_then(|p| out.get(p)))
            } else {
                None
            };
            let f = out.get_mut(k)?;
            let (value, written_start) = match n.magnitude {
                Some((ms, m)) => (number.checked_div(m)?, ms),
                None => (number, u_at),
            };
            f.value = value;
            f.unit = Some(Span::new(written_start, u_end));
            f.base = Some(u.base);
            // Most units are their own base: no product to take.
            f.normalized = Some(if u.factor == (1, 1) {
                number
            } else {
                number.checked_mul(u.factor())?
            });
            f.kind = u.kind;
            f.span.end = u_end;
            found_unit = Some(u);
            extras(text, f, u, n)?;
            date_or_duration(f, u, n, month_end);
        }
        if ranges {
            range(text, out, k, n, found_unit, prev);
        }
        let f = out.get_mut(k)?;
        if f.kind == UnitKind::Currency("CNY") {
            // `人民币  50元`
            let mut p = f.span.start;
            while let Some(c) = char_before(text, p).filter(|&c| is_gap(c)) {
                p -= c.len_utf8();
            }
            if text[..p].ends_with("人民币")
                && f.unit.is_some_and(|u| !text[u.range()].contains("人民币"))
            {
                f.span.start = p - "人民币".len();
            }
        }
        Some(())
    })();
    if done.is_none() {
        out.truncate(k);
    }
    done
}

/// `一吨半`, `七成六`, `五元三毛`: what may follow a unit.
fn extras(text: &str, f: &mut Found, u: &Unit, n: &Numeral) -> Option<()> {
    let len = text.len();
    let end = f.span.end;
    let norm_factor = u.factor();
    let add = |f: &mut Found, extra: Decimal| -> Option<()> {
        let scale = f.value.checked_div(f.number).unwrap_or(Decimal::ONE);
        f.value = f.value.checked_add(extra)?;
        f.number = f.number.checked_add(extra.checked_div(scale)?)?;
        f.normalized = Some(f.number.checked_mul(norm_factor)?);
        Some(())
    };
    // 半 after a measure: `一吨半`, `三成半`.
    if u.kind.takes_half()
        && n.magnitude.is_none()
        && f.value.is_integer()
        && char_is(text, end, '半')
        && !matches!(
            char_at(text, end + 3),
            Some('导' | '岛' | '径' | '数' | '价' | '年' | '月' | '天' | '日')
        )
    {
        add(f, Decimal::new(1, 2)?)?;
        f.span.end = end + 3;
        return Some(());
    }
    // `七成 六`: tenths of 成.
    if u.written == "成" && f.value.is_integer() {
        let p = skip_gaps(text, end, len);
        if let Some(c) = char_at(text, p)
            && let Some(d) = chinese_digit(c).or_else(|| numeral::arabic_digit(c))
            && char_at(text, p + c.len_utf8()).is_none_or(|c| !is_numeral_char(c) && !is_han(c))
        {
            add(f, Decimal::new(i128::from(d), 10)?)?;
            f.span.end = p + c.len_utf8();
        }
        return Some(());
    }
    // `五元三毛`, `两美元又三美分`, `50元6角三分`.
    if n.magnitude.is_none() && matches!(u.kind, UnitKind::Currency(_)) {
        let mut p = end;
        for _ in 0..2 {
            let mut s = skip_gaps(text, p, len);
            if let Some('又' | '零') = char_at(text, s) {
                s = skip_gaps(text, s + 3, len);
            }
            let Parse::Num(small) = numeral::parse(text, s, len) else {
                break;
            };
            if !small.value.is_integer() || small.value >= Decimal::from_int(100) {
                break;
            }
            let s2 = skip_gaps(text, small.end, len);
            let Some(&(_, sub, div)) = SUBUNITS
                .iter()
                .find(|(base, sub, _)| *base == u.written && text[s2..].starts_with(sub))
            else {
                break;
            };
            let e = s2 + sub.len();
            if char_at(text, e).is_some_and(|c| is_han(c) && !is_numeral_char(c)) {
                break;
            }
            add(f, small.value.checked_div(Decimal::from_int(div))?)?;
            f.span.end = e;
            p = e;
        }
    }
    Some(())
}

/// Years, months and days of the calendar are dates; other times are
/// durations. A day is one only right after a month: `month_end` is where
/// the quantity before ends if it is one.
fn date_or_duration(f: &mut Found, u: &Unit, n: &Numeral, month_end: Option<usize>) {
    let int = f.value.to_integer();
    let date = match u.written {
        "年" => {
            n.digit_run
                || (n.plain_digits == Some(4) && int.is_some_and(|y| (1000..3000).contains(&y)))
        }
        "月" => int.is_some_and(|m| (1..=12).contains(&m)),
        "日" => int.is_some_and(|d| (1..=31).contains(&d)) && month_end == Some(n.start),
        _ => false,
    };
    if date {
        f.kind = UnitKind::Date;
        f.normalized = None;
        f.base = None;
    }
}

const RANGE_SEPARATORS: &[&str] = &["——", "—", "–", "-", "－", "~", "～", "〜", "到", "至"];

/// The characters [`RANGE_SEPARATORS`] start with.
static RANGE_FIRST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(RANGE_SEPARATORS.iter().filter_map(|s| s.chars().next())));

/// The first of [`RANGE_SEPARATORS`] that `rest` starts with: the table is
/// looked at only when the first character may start one.
fn range_separator(rest: &str) -> Option<&'static str> {
    let c = rest.chars().next()?;
    if !RANGE_FIRST.contains(c) {
        return None;
    }
    RANGE_SEPARATORS
        .iter()
        .find(|s| rest.starts_with(**s))
        .copied()
}

/// A range: `5%—6%`, `3%～5%`, `5-6%`, `1到2个`, `5—10万元`, made of
/// `out[k]`, the quantity just built (numeral `n`, unit `u`). The upper
/// end is built after it in `out`, read, and taken off again; `prev` is
/// where the quantity before is in `out`, for [`build`].
fn range(
    text: &str,
    out: &mut Vec<Found>,
    k: usize,
    n: &Numeral,
    u: Option<&'static Unit>,
    prev: Option<usize>,
) {
    let len = text.len();
    let Some(end) = out.get(k).map(|f| f.span.end) else {
        return;
    };
    let p = skip_gaps(text, end, len);
    let Some(sep) = range_separator(&text[p..]) else {
        return;
    };
    if sep == "-" && !n.arabic_led {
        return;
    }
    let s = skip_gaps(text, p + sep.len(), len);
    if !char_at(text, s).is_some_and(is_numeral_char) {
        return;
    }
    let Parse::Num(n2) = numeral::parse(text, s, len) else {
        return;
    };
    if sep == "-" && !n2.arabic_led {
        return;
    }
    if build(text, s, &n2, false, prev, false, out).is_none() {
        return;
    }
    let second = out.get(k + 1).copied();
    out.truncate(k + 1);
    let (Some(second), Some(f)) = (second, out.get_mut(k)) else {
        return;
    };
    let Some(u2) = second.unit else {
        return;
    };
    let lower = match (f.unit, u) {
        (Some(u1), Some(_)) if text[u1.range()] == text[u2.range()] => f.value,
        (None, None) if f.kind == UnitKind::Number => {
            // `5—10万元`: the lower end is written in the upper end's unit,
            // its magnitude included unless it wrote its own.
            match n.magnitude {
                Some(_) => match second
                    .number
                    .checked_div(second.value)
                    .and_then(|m| f.number.checked_div(m))
                {
                    Some(v) => v,
                    None => return,
                },
                None => f.number,
            }
        }
        _ => return,
    };
    if lower >= second.value {
        return;
    }
    let lower_norm = match second.normalized {
        Some(norm2) => match norm2
            .checked_div(second.value)
            .and_then(|r| lower.checked_mul(r))
        {
            Some(v) => Some(v),
            None => return,
        },
        None => None,
    };
    f.value = lower;
    f.upper = Some(second.value);
    f.unit = Some(u2);
    f.base = second.base;
    f.kind = second.kind;
    f.normalized = lower_norm;
    f.normalized_upper = second.normalized;
    f.bound = Some(Bound::Range);
    f.span.end = second.span.end;
}

/// `$20`, `￥300`: a currency sign before the number.
fn currency_sign(
    text: &str,
    i: usize,
    sign: &str,
    base: &'static str,
    code: &'static str,
) -> Option<Found> {
    let p = skip_gaps(text, i + sign.len(), text.len());
    if char_at(text, p).is_none_or(|c| numeral::arabic_digit(c).is_none()) {
        return None;
    }
    let Parse::Num(n) = numeral::parse(text, p, text.len()) else {
        return None;
    };
    Some(Found {
        span: Span::new(i, n.end),
        number_span: Span::new(n.start, n.end),
        number: n.value,
        value: n.value,
        upper: None,
        unit: Some(Span::new(i, i + sign.len())),
        base: Some(base),
        normalized: Some(n.value),
        normalized_upper: None,
        kind: UnitKind::Currency(code),
        bound: None,
        weak: false,
        numeral_end: n.end,
    })
}

/// `翻一番` (2 倍), `翻两番` (4 倍), `翻番`.
fn doubling(text: &str, i: usize) -> Option<Found> {
    let p = i + '翻'.len_utf8();
    let (value, number_span, end) = if char_at(text, p) == Some('番') {
        (Decimal::ONE, Span::new(p, p + 3), p + 3)
    } else {
        let Parse::Num(n) = numeral::parse(text, p, text.len()) else {
            return None;
        };
        if char_at(text, n.end) != Some('番') {
            return None;
        }
        (n.value, Span::new(n.start, n.end), n.end + 3)
    };
    let times = value
        .to_integer()
        .and_then(|v| u32::try_from(v).ok())
        .filter(|v| (1..=10).contains(v))
        .and_then(Decimal::pow2)?;
    Some(Found {
        span: Span::new(i, end),
        number_span,
        number: value,
        value,
        upper: None,
        unit: Some(Span::new(end - 3, end)),
        base: Some("倍"),
        normalized: Some(times),
        normalized_upper: None,
        kind: UnitKind::Multiplier,
        bound: None,
        weak: false,
        numeral_end: number_span.end,
    })
}

/// `百分之五`, `千分之2.4`, `万分之三`, `百万分之五`: a per-something
/// prefix, then the numeral.
fn per_prefix(text: &str, i: usize) -> Option<Result<Found, usize>> {
    let len = text.len();
    let mut p = i;
    let mut per = Decimal::ONE;
    let mut n = 0;
    while let Some(c) = char_at(text, p) {
        let m = match c {
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            '万' | '萬' => 10000,
            _ => break,
        };
        per = per.checked_mul(Decimal::from_int(m))?;
        n += 1;
        p = skip_gaps(text, p + c.len_utf8(), len);
        if n > 3 {
            return None;
        }
    }
    if n == 0 || char_before(text, i).is_some_and(is_numeral_char) || char_at(text, p) != Some('分')
    {
        return None;
    }
    let after_fen = skip_gaps(text, p + 3, len);
    if char_at(text, after_fen) != Some('之') {
        return None;
    }
    let unit = Span::new(i, after_fen + 3);
    let mut s = skip_gaps(text, unit.end, len);
    let neg = matches!(char_at(text, s), Some('负' | '負' | '-' | '－'));
    if neg {
        s += char_at(text, s).map_or(1, char::len_utf8);
    }
    let num = match numeral::parse(text, s, len) {
        Parse::Num(num) => num,
        Parse::Skip(e) => return Some(Err(e)),
        Parse::None => return None,
    };
    let mut value = num.value;
    if neg {
        value = value.checked_neg()?;
    }
    let normalized = value
        .checked_mul(Decimal::from_int(100))?
        .checked_div(per)?;
    Some(Ok(Found {
        span: Span::new(i, num.end),
        number_span: Span::new(num.start, num.end),
        number: value,
        value,
        upper: None,
        unit: Some(unit),
        base: Some("%"),
        normalized: Some(normalized),
        normalized_upper: None,
        kind: UnitKind::Percent,
        bound: None,
        weak: false,
        numeral_end: num.end,
    }))
}

/// Pushes `f`, if any, and says what was found.
#[inline(always)]
fn found(out: &mut Vec<Found>, f: Option<Found>) -> Step {
    match f {
        Some(f) => {
            out.push(f);
            Step::Found
        }
        None => Step::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{Kind, find_quantities};

    fn q(text: &str) -> Vec<(String, String, Option<String>)> {
        find_quantities(text)
            .into_iter()
            .map(|q| (q.text.into(), q.value.to_string(), q.unit.map(String::from)))
            .collect()
    }

    fn one(text: &str) -> Quantity {
        let mut v = find_quantities(text);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        v.remove(0)
    }

    /// The indexed lookups find what a pass over their tables finds.
    #[test]
    fn indexed_tables_match_a_pass() {
        for &(u, c) in UNIT_WORDS {
            for next in [c, '区', '了', 'x'] {
                let naive = UNIT_WORDS.iter().any(|&(w, n)| n == next && w == u);
                assert_eq!(unit_word(u, next), naive, "{u}{next}");
            }
        }
        for sep in RANGE_SEPARATORS {
            for text in [sep.to_string(), format!("{sep}5"), format!("了{sep}")] {
                let naive = RANGE_SEPARATORS
                    .iter()
                    .find(|s| text.starts_with(**s))
                    .copied();
                assert_eq!(range_separator(&text), naive, "{text}");
            }
        }
        assert_eq!(range_separator(""), None);
    }

    /// The first-byte test of [`is_marker`] keeps every marker
    /// [`marker_by_chars`] finds, whatever character follows the numeral.
    #[test]
    fn marker_byte_test_keeps_every_marker() {
        let mut markers = 0;
        for c in '\0'..='\u{ffff}' {
            for (head, numeral) in [
                ("", "四"),
                ("（", "三"),
                ("(", "12"),
                (" ", "1"),
                ("x", "二"),
            ] {
                let text = format!("{head}{numeral}{c}5");
                let start = head.len();
                let n = Numeral {
                    start,
                    end: start + numeral.len(),
                    value: Decimal::ONE,
                    magnitude: None,
                    weak: false,
                    approx: None,
                    plain_digits: None,
                    digit_run: false,
                    fraction: false,
                    arabic_led: false,
                    last_multiplier: None,
                };
                let slow = marker_by_chars(&text, start, &n);
                markers += usize::from(slow);
                assert_eq!(is_marker(&text, start, &n), slow, "{text:?}");
            }
        }
        assert!(markers >= 6, "{markers}");
    }

    #[test]
    fn units_and_magnitudes() {
        let x = one("减负2500亿元以上");
        assert_eq!(
            (x.value.to_string(), x.unit.as_deref()),
            ("2500".into(), Some("亿元"))
        );
        assert_eq!(x.normalized.unwrap().value.to_string(), "250000000000");
        let x = one("集装箱吞吐量3360万标箱");
        assert_eq!(x.normalized.as_ref().unwrap().value.to_string(), "33600000");
        assert_eq!(x.kind, Kind::Container);
        let x = one("用能120万吨标准煤");
        assert_eq!(x.unit.as_deref(), Some("万吨标准煤"));
        assert_eq!(x.normalized.as_ref().unwrap().value.to_string(), "1200000");
        assert_eq!(x.kind, Kind::Energy);
        let x = one("一千五百万元");
        assert_eq!(
            (x.value.to_string(), x.unit.as_deref()),
            ("1500".into(), Some("万元"))
        );
        let x = one("1.2万亿元");
        assert_eq!(x.normalized.unwrap().value.to_string(), "1200000000000");
        let x = one("增长5个百分点");
        assert_eq!(x.kind, Kind::PercentagePoint);
    }

    #[test]
    fn percents() {
        let x = one("百分之五");
        assert_eq!((x.value.to_string(), x.kind), ("5".into(), Kind::Percent));
        let x = one("千分之２．４");
        assert_eq!(x.normalized.unwrap().value.to_string(), "0.24");
        let x = one("九成以上");
        assert_eq!(x.normalized.unwrap().value.to_string(), "90");
        assert!(find_quantities("一成不变").is_empty());
        assert!(find_quantities("建成为").is_empty());
    }

    #[test]
    fn ranges() {
        for (s, lo, hi) in [
            ("5%—6%", "5", "6"),
            ("3%～5%", "3", "5"),
            ("5-6%", "5", "6"),
            ("1到2个", "1", "2"),
            ("5—10万元", "5", "10"),
        ] {
            let x = one(s);
            assert_eq!(
                (x.value.to_string(), x.upper.map(|u| u.to_string())),
                (lo.into(), Some(hi.into())),
                "{s}"
            );
            assert_eq!(x.bound, Some(Bound::Range));
        }
        let x = one("5—10万元");
        assert_eq!(x.normalized.unwrap().value.to_string(), "50000");
    }

    #[test]
    fn words_with_numerals_are_not_quantities() {
        for s in [
            "一流学科",
            "四川",
            "统一",
            "一中心四平台一网格",
            "四治融合",
            "三源治理",
            "双倍增",
            "多报合一",
            "零售",
            "千方百计",
            "千团万企",
            "“十四五”",
            "5G基站",
            "PM2.5",
            "零部件",
            "进一步",
            "第一",
            "四大片区",
            "二期",
        ] {
            assert!(
                find_quantities(s)
                    .iter()
                    .all(|q| q.kind == Kind::Number || q.unit.is_none()),
                "{s}: {:?}",
                q(s)
            );
        }
        assert!(q("一流学科").is_empty());
        assert!(q("“十四五”").is_empty());
        assert!(q("5G基站").is_empty());
        assert!(q("四、卢山副省长").is_empty());
    }

    #[test]
    fn signs() {
        assert_eq!(one("减负2500亿元").value.to_string(), "2500");
        assert_eq!(one("负3.9%").value.to_string(), "-3.9");
        assert_eq!(one("-22.2%").value.to_string(), "-22.2");
    }

    #[test]
    fn dates_and_durations() {
        let v = find_quantities("到2025年，用3年时间，6月底前，二〇二三年二月十日");
        let kinds: Vec<_> = v
            .iter()
            .map(|q| (q.text.as_str(), q.kind.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("2025年", Kind::Date),
                ("3年", Kind::Time),
                ("6月", Kind::Date),
                ("二〇二三年", Kind::Date),
                ("二月", Kind::Date),
                ("十日", Kind::Date),
            ]
        );
    }

    #[test]
    fn misc() {
        let x = one("翻一番");
        assert_eq!(x.normalized.unwrap().value.to_string(), "2");
        let x = one("两倍");
        assert_eq!(
            (x.value.to_string(), x.kind),
            ("2".into(), Kind::Multiplier)
        );
        let x = one("三分之一");
        assert_eq!(
            (x.value.to_string(), x.kind),
            ("1/3".into(), Kind::Fraction)
        );
        let x = one("五元三毛");
        assert_eq!(x.value.to_string(), "5.3");
        let x = one("一吨半");
        assert_eq!(x.value.to_string(), "1.5");
        let x = one("12千米");
        assert_eq!(
            (x.value.to_string(), x.unit.as_deref()),
            ("12".into(), Some("千米"))
        );
        let x = one("200多家");
        assert_eq!(x.bound, Some(Bound::MoreThan));
        assert_eq!(
            one("$20").kind,
            Kind::Currency {
                currency: "USD".into()
            }
        );
    }

    /// The finder as it was, building each quantity by value and handing
    /// it back through `at` (with the quantity before borrowed, not
    /// looked up by index): the tests' reference for the in-place build.
    mod reference {
        use super::super::*;

        fn scan_walking_reference(
            text: &str,
            walk: &CharSet,
            out: &mut Vec<Found>,
            mut other: impl FnMut(usize, u32),
        ) {
            // No URL starts before the first URL lead that begins `http` or
            // `www.`: the URLs are looked for there, and most texts never are.
            let mut urls: Option<std::iter::Peekable<std::vec::IntoIter<(usize, usize)>>> = None;
            out.reserve(text.len() / 64);
            let mut next = 0;
            for (i, u) in walk.members(text) {
                other(i, u);
                if urls.is_none()
                    && URL_LEADS.iter().any(|&c| c as u32 == u)
                    && may_start_url(&text[i..])
                {
                    urls = Some(url_spans(text).into_iter().peekable());
                }
                if i < next || !STARTS.contains_u32(u) {
                    continue;
                }
                if let Some(urls) = urls.as_mut() {
                    while urls.peek().is_some_and(|&(_, e)| e <= i) {
                        urls.next();
                    }
                    if let Some(&(s, e)) = urls.peek()
                        && s <= i
                    {
                        next = e;
                        continue;
                    }
                }
                let Some(c) = char::from_u32(u) else {
                    continue;
                };
                match at_reference(text, i, c, out) {
                    Step::Found => next = out.last().map_or(i + 1, |f| f.span.end),
                    Step::Skip(e) => next = e,
                    Step::None => {}
                }
            }
        }

        fn at_reference(text: &str, i: usize, c: char, out: &mut Vec<Found>) -> Step {
            let rest = &text[i..];
            let before = char_before(text, i);

            match c {
                '￥' | '¥' | '$' | '＄' | '€' | '£' | 'U' => {
                    return match CURRENCY_SIGNS.iter().find(|(s, ..)| rest.starts_with(s)) {
                        Some(&(sign, base, code)) => {
                            found(out, currency_sign(text, i, sign, base, code))
                        }
                        None => Step::None,
                    };
                }
                '翻' => return found(out, doubling(text, i)),
                '百' | '佰' | '千' | '仟' | '万' | '萬' => match per_prefix(text, i) {
                    Some(Ok(f)) => return found(out, Some(f)),
                    Some(Err(e)) => return Step::Skip(e),
                    None => {}
                },
                _ => {}
            }
            if word_internal(text, i, c, before) {
                return Step::None;
            }
            // Only a sign character can start a sign.
            let sign = match c {
                '-' | '－' | '负' | '負' => sign_at(text, i),
                _ => None,
            };
            let (neg, start, first) = match sign {
                Some(s) => match char_at(text, s) {
                    Some(first) => (true, s, first),
                    None => return Step::None,
                },
                None => (false, i, c),
            };
            let startable = numeral::arabic_digit(first).is_some()
                || chinese_digit(first).is_some()
                || numeral::small_multiplier(first).is_some()
                || (matches!(first, '万' | '萬')
                    && matches!(char_at(text, start + 3), Some('亿' | '億')))
                || (matches!(first, '.' | '．')
                    && !matches!(before, Some('.' | '．'))
                    && before.is_none_or(|b| numeral::arabic_digit(b).is_none())
                    && char_at(text, start + first.len_utf8())
                        .and_then(numeral::arabic_digit)
                        .is_some());
            if !startable {
                return Step::None;
            }
            if !neg && before.is_some_and(|b| b.is_ascii_alphanumeric()) {
                return Step::Skip(code_end(text, i));
            }
            // The numeral words all start with a Han numeral.
            if !c.is_ascii()
                && let Some(w) = numeral_word_at(rest)
            {
                return Step::Skip(i + w.len());
            }
            // Borrowed where it lies: a numeral is large.
            let parsed = numeral::parse(text, start, text.len());
            let n = match &parsed {
                Parse::Num(n) => n,
                Parse::Skip(e) => return Step::Skip(*e),
                Parse::None => return Step::None,
            };
            let vague = matches!(before, Some('第' | '几' | '幾' | '数' | '數'))
                || text[..i].ends_with("若干");
            if vague || is_marker(text, start, n) {
                return Step::Skip(n.end);
            }
            let f = build_reference(text, i, n, neg, out.last(), true);
            found(out, f)
        }

        fn build_reference(
            text: &str,
            span_start: usize,
            n: &Numeral,
            neg: bool,
            prev: Option<&Found>,
            ranges: bool,
        ) -> Option<Found> {
            // The numeral is borrowed, not moved in: it is large, and only
            // `12千米` reads a shorter one.
            let shorter;
            let mut n = n;
            let len = text.len();
            let mut u_at = skip_gaps(text, n.end, len);
            let mut bound = n.approx;
            // `200多家`, `1000余个`.
            if let Some('余' | '多') = char_at(text, u_at) {
                let p = skip_gaps(text, u_at + 3, len);
                if unit_at(text, p, n).is_some() {
                    bound = Some(Bound::MoreThan);
                    u_at = p;
                }
            }
            // `12千米`, `1兆瓦`: the multiplier starts the unit.
            if let Some((lm, ch)) = n.last_multiplier
                && (ch == '兆' || n.arabic_led)
                && unit::lookup(text, lm).is_some_and(|(u, _)| u.written.starts_with(ch))
            {
                shorter = numeral::parse(text, n.start, lm);
                if let Parse::Num(shorter) = &shorter
                    && shorter.end == lm
                {
                    n = shorter;
                    u_at = lm;
                }
            }
            let mut unit = unit_at(text, u_at, n);
            let mut number = n.value;
            if neg {
                number = number.checked_neg()?;
            }
            if let Some((u, _)) = unit
                && n.weak
                && n.value.is_zero()
                && !matches!(u.kind, UnitKind::Percent)
            {
                unit = None;
            }
            // A lone financial numeral (`陆`, `伍`, `拾`) is a word: 登陆, 队伍, 收拾.
            if n.weak
                && char_at(text, n.start)
                    .is_some_and(|c| "壹贰貳叁參肆伍陆陸柒捌玖拾佰仟".contains(c))
                && !standalone_at(text, span_start, n.end)
            {
                return None;
            }
            if unit.is_none() {
                if n.weak && !standalone_at(text, span_start, n.end) {
                    return None;
                }
                // `5G`, `3D`: a code, not a number.
                if char_at(text, n.end).is_some_and(|c| c.is_ascii_alphabetic()) {
                    return None;
                }
            }

            let mut f = Found {
                span: Span::new(span_start, n.end),
                number_span: Span::new(span_start, n.end),
                number,
                value: number,
                upper: None,
                unit: None,
                base: None,
                normalized: None,
                normalized_upper: None,
                kind: if n.fraction {
                    UnitKind::Fraction
                } else {
                    UnitKind::Number
                },
                bound,
                weak: n.weak,
                numeral_end: n.end,
            };
            let mut found_unit = None;
            if let Some((u, u_end)) = unit {
                let (value, written_start) = match n.magnitude {
                    Some((ms, m)) => (number.checked_div(m)?, ms),
                    None => (number, u_at),
                };
                f.value = value;
                f.unit = Some(Span::new(written_start, u_end));
                f.base = Some(u.base);
                // Most units are their own base: no product to take.
                f.normalized = Some(if u.factor == (1, 1) {
                    number
                } else {
                    number.checked_mul(u.factor())?
                });
                f.kind = u.kind;
                f.span.end = u_end;
                found_unit = Some(u);
                extras(text, &mut f, u, n)?;
                date_or_duration_reference(text, &mut f, u, n, prev);
            }
            if ranges {
                range_reference(text, &mut f, n, found_unit, prev);
            }
            if f.kind == UnitKind::Currency("CNY") {
                // `人民币  50元`
                let mut p = f.span.start;
                while let Some(c) = char_before(text, p).filter(|&c| is_gap(c)) {
                    p -= c.len_utf8();
                }
                if text[..p].ends_with("人民币")
                    && f.unit.is_some_and(|u| !text[u.range()].contains("人民币"))
                {
                    f.span.start = p - "人民币".len();
                }
            }
            Some(f)
        }

        fn date_or_duration_reference(
            text: &str,
            f: &mut Found,
            u: &Unit,
            n: &Numeral,
            prev: Option<&Found>,
        ) {
            let int = f.value.to_integer();
            let date = match u.written {
                "年" => {
                    n.digit_run
                        || (n.plain_digits == Some(4)
                            && int.is_some_and(|y| (1000..3000).contains(&y)))
                }
                "月" => int.is_some_and(|m| (1..=12).contains(&m)),
                "日" => {
                    int.is_some_and(|d| (1..=31).contains(&d))
                        && prev.is_some_and(|p| {
                            p.kind == UnitKind::Date
                                && p.unit_is(text, "月")
                                && p.span.end == n.start
                        })
                }
                _ => false,
            };
            if date {
                f.kind = UnitKind::Date;
                f.normalized = None;
                f.base = None;
            }
        }

        fn range_reference(
            text: &str,
            f: &mut Found,
            n: &Numeral,
            u: Option<&'static Unit>,
            prev: Option<&Found>,
        ) {
            let len = text.len();
            let p = skip_gaps(text, f.span.end, len);
            let Some(sep) = range_separator(&text[p..]) else {
                return;
            };
            if sep == "-" && !n.arabic_led {
                return;
            }
            let s = skip_gaps(text, p + sep.len(), len);
            if !char_at(text, s).is_some_and(is_numeral_char) {
                return;
            }
            let Parse::Num(n2) = numeral::parse(text, s, len) else {
                return;
            };
            if sep == "-" && !n2.arabic_led {
                return;
            }
            let Some(second) = build_reference(text, s, &n2, false, prev, false) else {
                return;
            };
            let Some(u2) = second.unit else {
                return;
            };
            let lower = match (f.unit, u) {
                (Some(u1), Some(_)) if text[u1.range()] == text[u2.range()] => f.value,
                (None, None) if f.kind == UnitKind::Number => {
                    // `5—10万元`: the lower end is written in the upper end's unit,
                    // its magnitude included unless it wrote its own.
                    match n.magnitude {
                        Some(_) => match second
                            .number
                            .checked_div(second.value)
                            .and_then(|m| f.number.checked_div(m))
                        {
                            Some(v) => v,
                            None => return,
                        },
                        None => f.number,
                    }
                }
                _ => return,
            };
            if lower >= second.value {
                return;
            }
            let lower_norm = match second.normalized {
                Some(norm2) => match norm2
                    .checked_div(second.value)
                    .and_then(|r| lower.checked_mul(r))
                {
                    Some(v) => Some(v),
                    None => return,
                },
                None => None,
            };
            f.value = lower;
            f.upper = Some(second.value);
            f.unit = Some(u2);
            f.base = second.base;
            f.kind = second.kind;
            f.normalized = lower_norm;
            f.normalized_upper = second.normalized;
            f.bound = Some(Bound::Range);
            f.span.end = second.span.end;
        }

        /// [`scan`](super::super::scan) with the reference finder.
        pub(super) fn scan_reference(text: &str) -> Vec<Found> {
            let mut out = Vec::new();
            scan_walking_reference(text, &SCAN_WALK, &mut out, |_, _| {});
            out
        }
    }

    /// The quantities of `text` by [`scan`] and by the reference finder,
    /// as text (a [`Found`] has no equality).
    fn both(text: &str) -> (String, String) {
        (
            format!("{:?}", scan(text)),
            format!("{:?}", reference::scan_reference(text)),
        )
    }

    #[test]
    fn in_place_build_matches_the_reference_on_edge_cases() {
        for text in [
            "3月5日",
            "3月 5日",
            "5日",
            "2024年3月5日至6日",
            "5%—6%",
            "5-6%",
            "5—10万元",
            "1到2个",
            "3%～5%",
            "人民币 50元",
            "人民币50元至60元",
            "一吨半",
            "七成六",
            "五元三毛",
            "50元6角三分",
            "12千米",
            "1兆瓦",
            "200多家",
            "1000余个",
            "20个比特币",
            "5到",
            "5到x",
            "3月5-6日",
            "3月5日到6日",
            "负5%至5%",
            "1e999999999999999999999999999999元至2元",
            "99999999999999999999999999999999999999亿元到1元",
            "第5",
            "5G",
            "两",
            "一二三四五",
            "",
            "元",
            "至5元",
        ] {
            let (a, b) = both(text);
            assert_eq!(a, b, "{text}");
        }
        for text in crate::testing::fixture_texts() {
            let (a, b) = both(&text);
            assert!(a == b, "a fixture's quantities differ");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn in_place_build_matches_the_reference(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "3", "5", "12", "2024", "0", ".", "5.5", "一", "两", "五", "十", "百", "万",
                "亿", "年", "月", "日", "元", "万元", "亿元", "%", "个", "家", "吨", "半", "成",
                "六", "毛", "角", "分", "至", "到", "—", "-", "～", "多", "余", "人民币", " ",
                "\u{3000}", "，", "。", "千米", "兆瓦", "比特币", "美元", "又", "负", "翻", "番",
                "第", "倍", "G", "a", "的", "$", "百分之", "千", "兆", "若干", "干", "若",
            ]),
            0..16,
        )) {
            let text = s.concat();
            let (a, b) = both(&text);
            proptest::prop_assert_eq!(a, b);
        }
    }
}
