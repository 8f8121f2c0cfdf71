//! The numeral grammar: Arabic and full-width digits (`2500`, `１２`,
//! `1,050,000`, `12.6`), Chinese numerals (`一百五十二`, `两千四百五`,
//! `一千零一`, `百亿`, financial `肆佰陆拾`, traditional `萬` `億`), mixed
//! forms (`1.2万亿`, `5000万`, `13万2`, `3万4000`), decimals with `点`,
//! fractions (`三分之一`, `3/5`, `三百五又三分之一`) and approximate
//! markers inside a numeral (`十余万`, `一千多万`, `二十几万`).
//!
//! Percentages (`百分之五`), units and signs are read by the finder.
//! Every step is checked arithmetic: a numeral too large to hold exactly is
//! not a numeral.

use super::Bound;
use super::decimal::Decimal;
use super::unit::is_gap;
use super::words::CharSet;
use std::sync::LazyLock;

/// A numeral found in the text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Numeral {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    /// The value, magnitude included (`5000万` is 50 000 000).
    pub value: Decimal,
    /// A myriad magnitude (`万`, `亿`, `万亿`) that ends the numeral after
    /// its digits: where it starts and what it multiplies by.
    pub magnitude: Option<(usize, Decimal)>,
    /// One Chinese character and nothing else (`一`, `十`, `两`).
    pub weak: bool,
    /// `余` `多` (more than) or `几` (about) inside the numeral.
    pub approx: Option<Bound>,
    /// Arabic digits only, no point, no grouping: the digit count.
    pub plain_digits: Option<usize>,
    /// A run of Chinese digits read one by one before `年` (`二〇二三`).
    pub digit_run: bool,
    /// A fraction (`分之`, `/`).
    pub fraction: bool,
    /// The first token is Arabic.
    pub arabic_led: bool,
    /// Where the last token starts, and its character, when it is a
    /// multiplier (`千`, `兆`): a unit may begin there instead (`12千米`).
    pub last_multiplier: Option<(usize, char)>,
}

/// What the grammar makes of the text at a position.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Parse {
    /// A numeral.
    Num(Numeral),
    /// Numeral characters that are not one numeral (`二三十`, `十四五`,
    /// `两两`): skip to the offset given.
    Skip(usize),
    /// No numeral here.
    None,
}

/// The value of an Arabic or full-width digit.
pub(crate) fn arabic_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        _ => None,
    }
}

/// The value of a Chinese digit (financial and traditional forms too).
pub(crate) fn chinese_digit(c: char) -> Option<u8> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '贰' | '貳' | '两' | '兩' | '倆' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn is_liang(c: char) -> bool {
    matches!(c, '两' | '兩' | '倆')
}

/// `十` `百` `千` and their financial forms.
pub(crate) fn small_multiplier(c: char) -> Option<u32> {
    match c {
        '十' | '拾' => Some(10),
        '百' | '佰' => Some(100),
        '千' | '仟' => Some(1000),
        _ => None,
    }
}

/// `万` `亿` `兆` as powers of ten.
pub(crate) fn big_multiplier(c: char) -> Option<u32> {
    match c {
        '万' | '萬' => Some(4),
        '亿' | '億' => Some(8),
        '兆' => Some(12),
        _ => None,
    }
}

/// True for any character a numeral can be made of.
///
/// A bitmap lookup: one test, where the `match` of
/// [`is_numeral_char_by_match`] branched its way through ranges of code
/// points that Han text mispredicts.
#[inline]
pub(crate) fn is_numeral_char(c: char) -> bool {
    NUMERAL_CHARS.contains(c)
}

/// The characters of [`is_numeral_char`].
static NUMERAL_CHARS: LazyLock<CharSet> = LazyLock::new(|| {
    CharSet::new(
        ('0'..='9')
            .chain('０'..='９')
            .chain(CHINESE_NUMERALS.chars()),
    )
});

/// [`is_numeral_char`] as it was, by a `match`.
#[cfg(test)]
fn is_numeral_char_by_match(c: char) -> bool {
    matches!(c,
        '0'..='9' | '０'..='９'
        | '零' | '〇' | '一' | '壹' | '二' | '贰' | '貳' | '两' | '兩' | '倆' | '三' | '叁' | '參'
        | '四' | '肆' | '五' | '伍' | '六' | '陆' | '陸' | '七' | '柒' | '八' | '捌' | '九' | '玖'
        | '十' | '拾' | '百' | '佰' | '千' | '仟' | '万' | '萬' | '亿' | '億' | '兆')
}

/// Every Chinese character [`is_numeral_char`] accepts, for the finder's
/// start regex.
pub(crate) const CHINESE_NUMERALS: &str =
    "零〇一壹二贰貳两兩倆三叁參四肆五伍六陆陸七柒八捌九玖十拾百佰千仟万萬亿億兆";

#[inline]
fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

/// The offset after any gaps at `pos`.
///
/// Inlined: nearly every call finds no gap, which one byte tells (gaps
/// start with a space, a tab, or the lead byte of U+3000 or U+00A0), and
/// the finder makes several calls per quantity.
///
/// The byte is looked up in [`GAP_LEADS`]: one test that is nearly always
/// false, where comparing it with the four bytes in turn mispredicts on
/// texts whose punctuation starts with 0xE3 (`、`, `。`). Past it, the
/// bytes of a gap are compared in place: a quantity is often followed by
/// `。` or `、`, which the walk of [`skip_gaps_from`] would decode to find
/// no gap.
#[inline]
pub(crate) fn skip_gaps(text: &str, pos: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(pos) {
        Some(&b) if GAP_LEADS[usize::from(b)] && starts_gap(&bytes[pos..]) => {
            skip_gaps_from(text, pos, limit)
        }
        _ => pos,
    }
}

/// True when `bytes` start with the encoding of a gap (see [`is_gap`]).
#[inline]
fn starts_gap(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [b' ' | b'\t', ..] | [0xE3, 0x80, 0x80, ..] | [0xC2, 0xA0, ..]
    )
}

/// The bytes a gap starts with: a space, a tab, and the lead bytes of
/// U+3000 and U+00A0.
static GAP_LEADS: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[0xE3] = true;
    t[0xC2] = true;
    t
};

/// [`skip_gaps`] where the byte at `pos` may start a gap.
#[inline(never)]
fn skip_gaps_from(text: &str, pos: usize, limit: usize) -> usize {
    let mut p = pos;
    while let Some(c) = char_at(text, p) {
        if p >= limit || !is_gap(c) {
            break;
        }
        p += c.len_utf8();
    }
    p.min(limit.max(pos))
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    /// Arabic digits: value, and whether it is one digit with no point.
    Arabic(Decimal, bool),
    Digit(u8, bool),
    Ji,
    Small(u32),
    Big(u32),
    Point,
    Approx,
}

/// Reads Arabic digits at `pos`: grouping commas, a decimal point unless
/// the number is one piece of a dotted sequence (`2023.2.10`).
fn arabic_at(text: &str, pos: usize, limit: usize) -> Option<(Decimal, usize, Option<usize>)> {
    let in_dotted = {
        let before = text.get(..pos).unwrap_or("");
        let mut rev = before.chars().rev();
        matches!(rev.next(), Some('.' | '．')) && rev.next().and_then(arabic_digit).is_some()
    };
    let mut p = pos;
    let mut mantissa: i128 = 0;
    let mut int_digits = 0usize;
    let mut full_width = false;
    let mut grouped = false;
    let mut scale = 0u32;
    let push = |m: i128, d: u8| m.checked_mul(10)?.checked_add(i128::from(d));
    while let Some(c) = char_at(text, p) {
        if p >= limit {
            break;
        }
        if let Some(d) = arabic_digit(c) {
            full_width |= c as u32 > 0x7f;
            mantissa = push(mantissa, d)?;
            int_digits += 1;
            p += c.len_utf8();
            continue;
        }
        // Grouping: `,` (or `，` between full-width digits) then exactly three digits.
        if (c == ',' || (c == '，' && full_width)) && int_digits > 0 && (grouped || int_digits <= 3)
        {
            let after = p + c.len_utf8();
            let group: Vec<(usize, char)> = text
                .get(after..limit.max(after))
                .unwrap_or("")
                .char_indices()
                .take(4)
                .collect();
            let three =
                group.len() >= 3 && group[..3].iter().all(|&(_, g)| arabic_digit(g).is_some());
            let fourth = group
                .get(3)
                .is_some_and(|&(_, g)| arabic_digit(g).is_some());
            let width_ok = c == ','
                || group[..3.min(group.len())]
                    .iter()
                    .all(|&(_, g)| g as u32 > 0x7f);
            if three && !fourth && width_ok {
                for &(_, g) in &group[..3] {
                    mantissa = push(mantissa, arabic_digit(g)?)?;
                }
                int_digits += 3;
                grouped = true;
                p = after + group[..3].iter().map(|&(_, g)| g.len_utf8()).sum::<usize>();
                continue;
            }
        }
        break;
    }
    // A leading point (`.5`) is read by the caller passing `pos` at the point.
    let mut frac_digits = 0u32;
    if let Some(c @ ('.' | '．')) = char_at(text, p)
        && !in_dotted
        && p < limit
    {
        let after = p + c.len_utf8();
        let mut q = after;
        let mut m = mantissa;
        while let Some(d) = char_at(text, q)
            .filter(|_| q < limit)
            .and_then(arabic_digit)
        {
            m = push(m, d)?;
            frac_digits += 1;
            q += char_at(text, q).map_or(1, char::len_utf8);
        }
        // `2222.2222.22222` is a dotted sequence: keep only the first piece.
        let dotted = matches!(char_at(text, q), Some('.' | '．'))
            && char_at(text, q + 1).and_then(arabic_digit).is_some();
        if frac_digits > 0 && !dotted {
            mantissa = m;
            scale = frac_digits;
            p = q;
        } else {
            frac_digits = 0;
        }
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    let value = Decimal::from_int(mantissa).checked_div(Decimal::pow10(scale)?)?;
    let plain = (!grouped && frac_digits == 0).then_some(int_digits);
    Some((value, p, plain))
}

/// Reads a leading-point decimal such as `.5`.
fn point_decimal_at(text: &str, pos: usize, limit: usize) -> Option<(Decimal, usize)> {
    let c = char_at(text, pos)?;
    if !matches!(c, '.' | '．') {
        return None;
    }
    let after = pos + c.len_utf8();
    char_at(text, after).and_then(arabic_digit)?;
    let mut q = after;
    let mut m: i128 = 0;
    let mut n = 0u32;
    while let Some(d) = char_at(text, q)
        .filter(|_| q < limit)
        .and_then(arabic_digit)
    {
        m = m.checked_mul(10)?.checked_add(i128::from(d))?;
        n += 1;
        q += char_at(text, q).map_or(1, char::len_utf8);
    }
    Some((Decimal::from_int(m).checked_div(Decimal::pow10(n)?)?, q))
}

/// The token at `pos`, and where it ends.
fn token_at(text: &str, pos: usize, limit: usize) -> Option<(Tok, usize, Option<usize>)> {
    if pos >= limit {
        return None;
    }
    let c = char_at(text, pos)?;
    let end = pos + c.len_utf8();
    if arabic_digit(c).is_some() {
        let (v, e, plain) = arabic_at(text, pos, limit)?;
        let single = plain == Some(1);
        return Some((Tok::Arabic(v, single), e, plain));
    }
    let tok = if let Some(d) = chinese_digit(c) {
        Tok::Digit(d, is_liang(c))
    } else if let Some(m) = small_multiplier(c) {
        Tok::Small(m)
    } else if let Some(e) = big_multiplier(c) {
        Tok::Big(e)
    } else {
        match c {
            '点' | '點' => Tok::Point,
            '余' | '多' => Tok::Approx,
            '几' | '幾' => Tok::Ji,
            _ => return None,
        }
    };
    Some((tok, end, None))
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Prev {
    Start,
    Arabic,
    Digit,
    Zero,
    Small,
    Big,
    Fraction,
    Approx,
}

struct Pending {
    value: Decimal,
    single: bool,
    liang: bool,
    start: usize,
    after_multiplier: bool,
}

/// Reads Chinese decimal digits after `点`: at least one.
fn chinese_fraction(text: &str, pos: usize, limit: usize) -> Option<(Decimal, usize)> {
    let mut q = skip_gaps(text, pos, limit);
    let mut m: i128 = 0;
    let mut n = 0u32;
    let mut end = pos;
    while let Some(c) = char_at(text, q).filter(|_| q < limit) {
        let Some(d) = chinese_digit(c).filter(|_| !is_liang(c)) else {
            break;
        };
        m = m.checked_mul(10)?.checked_add(i128::from(d))?;
        n += 1;
        end = q + c.len_utf8();
        q = skip_gaps(text, end, limit);
    }
    if n == 0 {
        return None;
    }
    Some((Decimal::from_int(m).checked_div(Decimal::pow10(n)?)?, end))
}

/// Parses an integer-or-decimal numeral at `start` (no sign, no fraction).
fn parse_simple(text: &str, start: usize, limit: usize) -> Parse {
    let mut total = Decimal::ZERO;
    let mut section = Decimal::ZERO;
    let mut pending: Option<Pending> = None;
    let mut last_small: Option<u32> = None;
    let mut last_mult: Option<Decimal> = None;
    let mut last_big: Option<u32> = None;
    let mut prev = Prev::Start;
    let mut zero = false;
    let mut decimal_done = false;
    let mut closed = false;
    let mut approx = None;
    let mut big_run: Option<(usize, u32)> = None;
    let mut last_multiplier = None;
    let mut tokens = 0usize;
    let mut chars = 0usize;
    let mut arabic_led = false;
    let mut plain_digits = None;
    let mut has_value = false;
    let mut pos = start;

    // `.5`: a leading point.
    if let Some((v, e)) = point_decimal_at(text, start, limit) {
        return Parse::Num(Numeral {
            start,
            end: e,
            value: v,
            magnitude: None,
            weak: false,
            approx: None,
            plain_digits: None,
            digit_run: false,
            fraction: false,
            arabic_led: true,
            last_multiplier: None,
        });
    }
    // `万亿` with no digit before it: one 万亿.
    let implicit_wan = matches!(char_at(text, start), Some('万' | '萬'))
        && matches!(char_at(text, start + '万'.len_utf8()), Some('亿' | '億'));
    if implicit_wan {
        pending = Some(Pending {
            value: Decimal::ONE,
            single: false,
            liang: false,
            start,
            after_multiplier: false,
        });
        has_value = true;
    }

    loop {
        let at = skip_gaps(text, pos, limit);
        let Some((tok, tok_end, plain)) = token_at(text, at, limit) else {
            break;
        };
        let gapped = at != pos;
        if gapped {
            // Gaps only between Chinese tokens, or before a multiplier, or
            // after a multiplier.
            let ok = match tok {
                Tok::Arabic(..) => matches!(prev, Prev::Small | Prev::Big),
                Tok::Digit(..) | Tok::Ji => {
                    !matches!(prev, Prev::Arabic | Prev::Digit | Prev::Fraction)
                }
                Tok::Small(_) | Tok::Big(_) | Tok::Point | Tok::Approx => prev != Prev::Start,
            };
            if !ok {
                break;
            }
        }
        match tok {
            Tok::Arabic(v, single) => {
                if pending.is_some()
                    || matches!(prev, Prev::Digit | Prev::Fraction)
                    || decimal_done
                    || closed
                {
                    break;
                }
                if prev == Prev::Start {
                    arabic_led = true;
                    plain_digits = plain;
                } else {
                    plain_digits = None;
                }
                let after_multiplier = matches!(prev, Prev::Small | Prev::Big);
                pending = Some(Pending {
                    value: v,
                    single,
                    liang: false,
                    start: at,
                    after_multiplier,
                });
                prev = Prev::Arabic;
                has_value = true;
            }
            Tok::Digit(0, _) => {
                match prev {
                    Prev::Digit | Prev::Zero if tokens > 0 => return digit_run(text, start, limit),
                    Prev::Arabic | Prev::Fraction => break,
                    _ => {}
                }
                if decimal_done || closed {
                    break;
                }
                zero = true;
                prev = Prev::Zero;
                has_value = true;
            }
            Tok::Digit(d, liang) => {
                if prev == Prev::Digit {
                    if liang {
                        break;
                    }
                    return digit_run(text, start, limit);
                }
                if prev == Prev::Zero && tokens == 1 && !liang {
                    // `〇一`: digits read one by one.
                    return digit_run(text, start, limit);
                }
                if matches!(prev, Prev::Arabic | Prev::Fraction)
                    || pending.is_some()
                    || decimal_done
                    || closed
                {
                    break;
                }
                let after_multiplier = matches!(prev, Prev::Small | Prev::Big);
                pending = Some(Pending {
                    value: Decimal::from_int(i128::from(d)),
                    single: true,
                    liang,
                    start: at,
                    after_multiplier,
                });
                prev = Prev::Digit;
                has_value = true;
            }
            Tok::Ji => {
                // A placeholder digit after 十 or 零: `二十几万`, `一百零几万`.
                let ok = (prev == Prev::Small && last_small == Some(10)) || prev == Prev::Zero;
                if !ok || pending.is_some() {
                    break;
                }
                pending = Some(Pending {
                    value: Decimal::ZERO,
                    single: false,
                    liang: false,
                    start: at,
                    after_multiplier: false,
                });
                approx = Some(Bound::About);
                prev = Prev::Digit;
            }
            Tok::Small(m) => {
                if decimal_done || closed {
                    break;
                }
                if last_small.is_some_and(|ls| m >= ls) {
                    break;
                }
                let n = match &pending {
                    Some(p) => p.value,
                    None => {
                        let implicit = match m {
                            10 => matches!(prev, Prev::Start | Prev::Zero | Prev::Big),
                            _ => prev == Prev::Start,
                        };
                        if !implicit {
                            break;
                        }
                        Decimal::ONE
                    }
                };
                let Some(next) = n
                    .checked_mul(Decimal::from_int(i128::from(m)))
                    .and_then(|v| section.checked_add(v))
                else {
                    return Parse::None;
                };
                section = next;
                pending = None;
                last_small = Some(m);
                last_mult = Some(Decimal::from_int(i128::from(m)));
                zero = false;
                prev = Prev::Small;
                has_value = true;
                plain_digits = None;
            }
            Tok::Big(e) => {
                if closed {
                    break;
                }
                let Some(mult) = Decimal::pow10(e) else {
                    return Parse::None;
                };
                if prev == Prev::Big {
                    let Some(t) = total.checked_mul(mult) else {
                        return Parse::None;
                    };
                    total = t;
                } else {
                    let v = match pending.take() {
                        Some(p) => section.checked_add(p.value),
                        None => Some(section),
                    };
                    let Some(v) = v else { return Parse::None };
                    if !has_value {
                        break;
                    }
                    let next = if last_big.is_none_or(|lb| e >= lb) {
                        total.checked_add(v).and_then(|t| t.checked_mul(mult))
                    } else {
                        v.checked_mul(mult).and_then(|v| total.checked_add(v))
                    };
                    let Some(next) = next else { return Parse::None };
                    total = next;
                }
                big_run = match (prev, big_run) {
                    (Prev::Big, Some((s, x))) => Some((s, x + e)),
                    _ => Some((at, e)),
                };
                section = Decimal::ZERO;
                last_small = None;
                last_mult = Some(mult);
                last_big = Some(e);
                zero = false;
                if decimal_done {
                    closed = true;
                }
                prev = Prev::Big;
                plain_digits = None;
            }
            Tok::Point => {
                if decimal_done
                    || closed
                    || !matches!(prev, Prev::Digit | Prev::Small | Prev::Big | Prev::Zero)
                {
                    break;
                }
                let Some((frac, frac_end)) = chinese_fraction(text, tok_end, limit) else {
                    break;
                };
                let whole = match pending.take() {
                    Some(p) => elliptic(&p, last_mult, zero),
                    None => Some(Decimal::ZERO),
                };
                let Some(v) = whole.and_then(|w| w.checked_add(frac)) else {
                    return Parse::None;
                };
                // The point closes the section: everything so far is the
                // integer part.
                let Some(int) = section.checked_add(v) else {
                    return Parse::None;
                };
                section = Decimal::ZERO;
                pending = Some(Pending {
                    value: int,
                    single: false,
                    liang: false,
                    start: at,
                    after_multiplier: false,
                });
                last_small = Some(1);
                decimal_done = true;
                prev = Prev::Fraction;
                tokens += 1;
                chars += 2;
                pos = frac_end;
                continue;
            }
            Tok::Approx => {
                // Only inside a numeral, before a magnitude: `十余万`, `一千多万`.
                let next_at = skip_gaps(text, tok_end, limit);
                if !matches!(token_at(text, next_at, limit), Some((Tok::Big(_), _, _)))
                    || prev == Prev::Start
                {
                    break;
                }
                approx = Some(Bound::MoreThan);
                prev = Prev::Approx;
                pos = tok_end;
                tokens += 1;
                chars += 1;
                continue;
            }
        }
        last_multiplier = match tok {
            Tok::Small(1000) => Some((at, '千')),
            Tok::Big(12) => Some((at, '兆')),
            _ => None,
        };
        if !matches!(tok, Tok::Big(_)) {
            big_run = None;
        }
        tokens += 1;
        chars += 1;
        pos = tok_end;
    }

    if tokens == 0 || !has_value {
        return Parse::None;
    }
    let mut end = pos;
    let mut tail = match &pending {
        Some(p) => {
            if p.liang && p.after_multiplier {
                // `两万两`: a trailing 两 after a multiplier is the unit 两.
                end = p.start;
                while end > start && char_before(text, end).is_some_and(is_gap) {
                    end -= char_before(text, end).map_or(1, char::len_utf8);
                }
                chars -= 1;
                Some(Decimal::ZERO)
            } else {
                elliptic(p, last_mult, zero)
            }
        }
        None => Some(Decimal::ZERO),
    };
    if pending
        .as_ref()
        .is_some_and(|p| p.liang && p.after_multiplier)
    {
        last_multiplier = None;
        big_run = None;
    }
    let Some(value) = tail
        .take()
        .and_then(|t| section.checked_add(t))
        .and_then(|s| total.checked_add(s))
    else {
        return Parse::None;
    };
    let magnitude = big_run
        .filter(|&(s, _)| s > start)
        .and_then(|(s, e)| Some((s, Decimal::pow10(e)?)));
    Parse::Num(Numeral {
        start,
        end,
        value,
        magnitude,
        weak: chars == 1 && !arabic_led && !implicit_wan,
        approx,
        plain_digits,
        digit_run: false,
        fraction: false,
        arabic_led,
        last_multiplier,
    })
}

/// The value of a trailing digit: `一万三` is 13 000 (the digit counts in
/// the unit below the last multiplier) unless a `零` came between.
fn elliptic(p: &Pending, last_mult: Option<Decimal>, zero: bool) -> Option<Decimal> {
    match last_mult {
        Some(m) if p.single && p.after_multiplier && !zero => {
            p.value.checked_mul(m)?.checked_div(Decimal::from_int(10))
        }
        _ => Some(p.value),
    }
}

/// Chinese digits side by side: a year read digit by digit before `年`
/// (`二〇二三年`), or an approximate or name-like run (`二三十`, `十四五`)
/// that is skipped.
fn digit_run(text: &str, start: usize, limit: usize) -> Parse {
    let mut p = start;
    let mut digits: i128 = 0;
    let mut all_digits = true;
    let mut n = 0;
    while let Some(c) = char_at(text, p).filter(|_| p < limit) {
        if let Some(d) = chinese_digit(c) {
            digits = digits.saturating_mul(10).saturating_add(i128::from(d));
            n += 1;
        } else if small_multiplier(c).is_some() || big_multiplier(c).is_some() {
            all_digits = false;
        } else {
            break;
        }
        p += c.len_utf8();
    }
    if all_digits && n == 4 && char_at(text, p) == Some('年') {
        return Parse::Num(Numeral {
            start,
            end: p,
            value: Decimal::from_int(digits),
            magnitude: None,
            weak: false,
            approx: None,
            plain_digits: Some(4),
            digit_run: true,
            fraction: false,
            arabic_led: false,
            last_multiplier: None,
        });
    }
    Parse::Skip(p.max(start + 1))
}

/// Skips gaps, then `word` (its characters may be spaced), returning the end.
fn word_at(text: &str, pos: usize, limit: usize, word: &[char]) -> Option<usize> {
    let mut p = skip_gaps(text, pos, limit);
    for (i, &w) in word.iter().enumerate() {
        if i > 0 {
            p = skip_gaps(text, p, limit);
        }
        if p >= limit || char_at(text, p)? != w {
            return None;
        }
        p += w.len_utf8();
    }
    Some(p)
}

/// A `负` or `-` sign at `pos` before a numeral, and where it ends.
fn inner_sign(text: &str, pos: usize, limit: usize) -> (bool, usize) {
    let p = skip_gaps(text, pos, limit);
    match char_at(text, p) {
        Some(c @ ('负' | '負' | '-' | '－')) if p < limit => (true, p + c.len_utf8()),
        _ => (false, pos),
    }
}

/// `X分之Y` after the denominator `den`: the fraction and its end.
fn fraction_after(text: &str, den: &Numeral, limit: usize) -> Option<(Decimal, usize)> {
    let after = word_at(text, den.end, limit, &['分', '之'])?;
    let (neg, p) = inner_sign(text, after, limit);
    let p = skip_gaps(text, p, limit);
    let Parse::Num(num) = parse_simple(text, p, limit) else {
        return None;
    };
    let mut v = num.value;
    if neg {
        v = v.checked_neg()?;
    }
    Some((v.checked_div(den.value)?, num.end))
}

/// `a/b` with Arabic integers, not part of a date such as `2023/2/10`.
fn slash_after(text: &str, num: &Numeral, limit: usize) -> Option<(Decimal, usize)> {
    num.plain_digits?;
    if matches!(char_before(text, num.start), Some('/' | '／')) {
        return None;
    }
    let c = char_at(text, num.end)?;
    if !matches!(c, '/' | '／') || num.end >= limit {
        return None;
    }
    let p = num.end + c.len_utf8();
    let Parse::Num(den) = parse_simple(text, p, limit) else {
        return None;
    };
    den.plain_digits?;
    if matches!(char_at(text, den.end), Some('/' | '／')) {
        return None;
    }
    Some((num.value.checked_div(den.value)?, den.end))
}

/// Parses a numeral at `start`, reading no further than `limit`: a simple
/// numeral, a fraction (`三分之一`, `3/5`), or a whole number and a
/// fraction (`三百五又三分之一`, `1 3/5`).
///
/// Inlined, so that a numeral of a shortcut reaches the caller without
/// being copied into a [`Parse`] and out again.
#[inline]
pub(crate) fn parse(text: &str, start: usize, limit: usize) -> Parse {
    let limit = limit.min(text.len());
    match plain_integer(text, start, limit).or_else(|| single_digit(text, start, limit)) {
        Some(n) => Parse::Num(n),
        None => parse_grammar(text, start, limit),
    }
}

/// The other common numeral read without the grammar: one Chinese digit
/// from `一` to `九` (or `两`) that nothing after it continues (`一个`,
/// `两年`, `三项`), which the grammar reads to a weak numeral of that
/// value: a single digit token, then no token (no digit, multiplier, `点`,
/// `余` or `几` and no gap before one), and no fraction (`分之`, `又`;
/// `/` follows only Arabic digits). [`may_continue_digits`] rules out all
/// of these and a little more, which the grammar then reads.
fn single_digit(text: &str, start: usize, limit: usize) -> Option<Numeral> {
    if start >= limit {
        return None;
    }
    let c = char_at(text, start)?;
    let value = chinese_digit(c).filter(|&d| d > 0)?;
    let end = start + c.len_utf8();
    if end < limit && char_at(text, end).is_none_or(may_continue_digits) {
        return None;
    }
    Some(Numeral {
        start,
        end,
        value: Decimal::from_int(i128::from(value)),
        magnitude: None,
        weak: true,
        approx: None,
        plain_digits: None,
        digit_run: false,
        fraction: false,
        arabic_led: false,
        last_multiplier: None,
    })
}

/// True for a character after ASCII digits that the grammar might read on
/// with: another digit or numeral, grouping, a point, a gap, `点`, `余`,
/// `几`, a fraction (`分之`, `/`, `又`).
///
/// One bitmap lookup: asked after nearly every numeral, where the tests
/// of [`may_continue_digits_by_match`] one after the other cost a call
/// and a dozen comparisons.
#[inline]
fn may_continue_digits(c: char) -> bool {
    MAY_CONTINUE_DIGITS.contains(c)
}

/// The characters of [`may_continue_digits`], all in the Basic
/// Multilingual Plane.
static MAY_CONTINUE_DIGITS: LazyLock<CharSet> = LazyLock::new(|| {
    CharSet::new(
        ('0'..='9')
            .chain('０'..='９')
            .chain(CHINESE_NUMERALS.chars())
            .chain([' ', '\t', '\u{3000}', '\u{a0}'])
            .chain(",，.．点點余多几幾分/／又".chars()),
    )
});

/// [`may_continue_digits`] as it was, by tests: the reference its
/// bitmap is checked against.
#[cfg(test)]
fn may_continue_digits_by_match(c: char) -> bool {
    is_numeral_char(c)
        || is_gap(c)
        || matches!(
            c,
            ',' | '，'
                | '.'
                | '．'
                | '点'
                | '點'
                | '余'
                | '多'
                | '几'
                | '幾'
                | '分'
                | '/'
                | '／'
                | '又'
        )
}

/// The commonest numerals, read without the grammar: a run of ASCII
/// digits (`2025年`, `50个`), a decimal with ASCII digits (`5.5%`), either
/// with one myriad magnitude (`2500亿元`, `1.2万吨`), that nothing after it
/// can continue (see [`may_continue_digits`]). `None` sends the numeral to
/// the grammar, which reads such a numeral to the same [`Numeral`]:
///
/// - digits: [`arabic_at`] reads them, and a point with ASCII digits after
///   it unless the number is one piece of a dotted sequence (`2023.2.10`,
///   `2222.2222.22`); those cases go to the grammar.
/// - `万` or `亿` after them is the grammar's magnitude: the digits times
///   10⁴ or 10⁸, `magnitude` where it is written, no digit count.
/// - after the last character nothing the grammar (or the fraction forms
///   of [`parse_grammar`]) reads on with, unless the limit comes first.
fn plain_integer(text: &str, start: usize, limit: usize) -> Option<Numeral> {
    let digits = text.as_bytes().get(start..limit)?;
    let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    // Eighteen digits fit any integer type; longer runs are rare.
    if n == 0 || n > 18 {
        return None;
    }
    // At most eighteen digits, here and with a fraction: a 64-bit fold,
    // cheaper than a 128-bit one.
    let fold = |v: u64, b: &u8| v * 10 + u64::from(b - b'0');
    let mut mantissa = digits[..n].iter().fold(0u64, fold);
    let mut end = start + n;
    let mut value = Decimal::from_int(i128::from(mantissa));
    let mut plain_digits = Some(n);
    if digits.get(n) == Some(&b'.') {
        let frac = digits[n + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        // `2023.2.10`: the grammar reads a dotted sequence its own way.
        let before = text.get(..start).unwrap_or("");
        let mut rev = before.chars().rev();
        let in_dotted =
            matches!(rev.next(), Some('.' | '．')) && rev.next().and_then(arabic_digit).is_some();
        if frac == 0 || n + frac > 18 || in_dotted {
            return None;
        }
        mantissa = digits[n + 1..n + 1 + frac].iter().fold(mantissa, fold);
        let scale = u32::try_from(frac).ok()?;
        // In lowest terms, as the grammar's division gives it.
        value = Decimal::new(i128::from(mantissa), Decimal::pow10(scale)?.numerator())?;
        end += 1 + frac;
        plain_digits = None;
    }
    // `2222.2222.22`, `12.5.`: a point after the number, read past the
    // limit as the grammar does.
    if matches!(text.as_bytes().get(end), Some(b'.')) || text[end..].starts_with('．') {
        return None;
    }
    let mut magnitude = None;
    if end < limit {
        let exp = if text[end..].starts_with('万') {
            4
        } else if text[end..].starts_with('亿') {
            8
        } else {
            0
        };
        if exp > 0 {
            let mult = Decimal::pow10(exp)?;
            magnitude = Some((end, mult));
            value = value.checked_mul(mult)?;
            end += '万'.len_utf8();
            plain_digits = None;
        }
    }
    if end < limit && char_at(text, end).is_none_or(may_continue_digits) {
        return None;
    }
    Some(Numeral {
        start,
        end,
        value,
        magnitude,
        weak: false,
        approx: None,
        plain_digits,
        digit_run: false,
        fraction: false,
        arabic_led: true,
        last_multiplier: None,
    })
}

/// [`parse`] by the full grammar.
fn parse_grammar(text: &str, start: usize, limit: usize) -> Parse {
    let first = match parse_simple(text, start, limit) {
        Parse::Num(n) => n,
        other => return other,
    };
    // X分之Y
    if let Some((v, end)) = fraction_after(text, &first, limit) {
        return Parse::Num(Numeral {
            end,
            value: v,
            fraction: true,
            weak: false,
            magnitude: None,
            plain_digits: None,
            last_multiplier: None,
            ..first
        });
    }
    if let Some((v, end)) = slash_after(text, &first, limit) {
        return Parse::Num(Numeral {
            end,
            value: v,
            fraction: true,
            weak: false,
            magnitude: None,
            plain_digits: None,
            last_multiplier: None,
            ..first
        });
    }
    // A whole number and a fraction.
    let joined = if let Some(p) = word_at(text, first.end, limit, &['又']) {
        Some(skip_gaps(text, p, limit))
    } else if first.plain_digits.is_some() {
        let p = skip_gaps(text, first.end, limit);
        (p > first.end).then_some(p)
    } else {
        None
    };
    if let Some(p) = joined
        && let Parse::Num(second) = parse_simple(text, p, limit)
    {
        let frac =
            fraction_after(text, &second, limit).or_else(|| slash_after(text, &second, limit));
        if let Some((f, end)) = frac
            && let Some(v) = first.value.checked_add(f)
        {
            return Parse::Num(Numeral {
                end,
                value: v,
                fraction: true,
                weak: false,
                magnitude: None,
                plain_digits: None,
                last_multiplier: None,
                ..first
            });
        }
    }
    Parse::Num(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<(String, String)> {
        match parse(s, 0, s.len()) {
            Parse::Num(n) => Some((n.value.to_string(), s[n.start..n.end].to_owned())),
            _ => None,
        }
    }

    fn val(s: &str) -> String {
        num(s).map(|(v, _)| v).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn arabic() {
        assert_eq!(val("2500"), "2500");
        assert_eq!(val("12.6"), "12.6");
        assert_eq!(val("１２"), "12");
        assert_eq!(val("２．２"), "2.2");
        assert_eq!(val("1,050,000,000"), "1050000000");
        assert_eq!(val("４，５６５"), "4565");
        assert_eq!(num("1, 234").unwrap().1, "1");
        assert_eq!(val(".5"), "0.5");
        assert_eq!(val("4.800"), "4.8");
        assert_eq!(num("2222.2222.22").unwrap().1, "2222");
    }

    #[test]
    fn chinese() {
        for (s, v) in [
            ("一百", "100"),
            ("两千", "2000"),
            ("百亿", "10000000000"),
            ("一千五百", "1500"),
            ("一百五十二", "152"),
            ("两千四百五", "2450"),
            ("一千零一", "1001"),
            ("一百零一万一千", "1011000"),
            ("五亿零六", "500000006"),
            ("七十八万五佰零六", "780506"),
            ("肆佰陸拾", "460"),
            ("倆千两百贰拾二", "2222"),
            ("十五", "15"),
            ("十", "10"),
            ("九百九", "990"),
            ("一万三", "13000"),
            ("一万零二百五十", "10250"),
            ("九百万零四百", "9000400"),
            ("四万万", "400000000"),
            ("五兆六十二亿四万五千二", "5006200045200"),
            ("一万五千亿", "1500000000000"),
            ("一百零十万", "1100000"),
            ("一万零十二", "10012"),
            ("零十", "10"),
            ("百三", "130"),
            ("千三", "1300"),
            ("十 余 万", "100000"),
            ("一千多万", "10000000"),
            ("二十几万", "200000"),
            ("一百零几万", "1000000"),
            ("一百 五 十 二", "152"),
            ("三千 八百 九十六 万 四千 九百 六十五", "38964965"),
            ("四百亿点零五零", "40000000000.05"),
            ("两千三点一", "2300.1"),
            ("零点五", "0.5"),
            ("十点二三三", "10.233"),
            ("二十 億", "2000000000"),
            ("万亿", "1000000000000"),
        ] {
            assert_eq!(val(s), v, "{s}");
        }
    }

    #[test]
    fn mixed() {
        for (s, v) in [
            ("1.2万亿", "1200000000000"),
            ("4.78万亿", "4780000000000"),
            ("5000万", "50000000"),
            ("13万2", "132000"),
            ("3万4000", "34000"),
            ("25万6千", "256000"),
            ("5万4千6百", "54600"),
            ("1千零20", "1020"),
            ("2千零30万", "20300000"),
            ("1,100.9亿", "110090000000"),
            ("10万万", "1000000000"),
            ("1000  万", "10000000"),
            ("7 万5 千4 百", "75400"),
            ("500余万", "5000000"),
            ("１１.92亿", "1192000000"),
        ] {
            assert_eq!(val(s), v, "{s}");
        }
    }

    #[test]
    fn fractions() {
        assert_eq!(val("三分之一"), "1/3");
        assert_eq!(val("五分之一"), "0.2");
        assert_eq!(val("一百分之五十五点五七九"), "0.55579");
        assert_eq!(val("四千二分之三"), "1/1400");
        assert_eq!(val("3/5"), "0.6");
        assert_eq!(val("-3/2"), "none");
        assert_eq!(val("1 3/5"), "1.6");
        assert_eq!(val("３分之一百五十七"), "157/3");
        assert_eq!(val("三百五又三分之一"), "1051/3");
        assert_eq!(val("3又一千分之23"), "3.023");
        assert_eq!(val("五 分之 一"), "0.2");
        assert_eq!(val("一百万又五十万分之二十五"), "1000000.00005");
        assert_eq!(num("2023/2/10").unwrap().1, "2023");
    }

    #[test]
    fn not_numerals() {
        assert_eq!(val("万"), "none");
        assert_eq!(val("万万"), "none");
        assert!(matches!(parse("二三十", 0, 9), Parse::Skip(9)));
        assert!(matches!(parse("十四五", 0, 9), Parse::Skip(9)));
        assert!(matches!(
            parse("两两", 0, 6),
            Parse::Skip(_) | Parse::Num(_)
        ));
        assert_eq!(num("二〇二三年").unwrap().0, "2023");
        assert_eq!(num("两百点两").unwrap().1, "两百");
        assert_eq!(num("一百千瓦").unwrap().1, "一百");
        assert_eq!(num("三千两百两").unwrap().1, "三千两百");
        assert_eq!(num("两万两").unwrap().1, "两万");
        assert_eq!(val(&"9".repeat(60)), "none");
        assert_eq!(val(&"九".repeat(60)), "none");
    }

    #[test]
    fn magnitude_and_weak() {
        let Parse::Num(n) = parse("2500亿元", 0, 12) else {
            panic!()
        };
        assert_eq!(
            n.magnitude.map(|(s, m)| (s, m.to_string())),
            Some((4, "100000000".into()))
        );
        let Parse::Num(n) = parse("一", 0, 3) else {
            panic!()
        };
        assert!(n.weak);
        let Parse::Num(n) = parse("1.2万亿元", 0, 14) else {
            panic!()
        };
        assert_eq!(n.magnitude.unwrap().1.to_string(), "1000000000000");
    }
}

#[cfg(test)]
mod char_tests {
    use super::*;

    /// The digit-run shortcut gives what the grammar gives, after every
    /// character of the Basic Multilingual Plane and at every limit.
    #[test]
    fn plain_integers_match_the_grammar() {
        let mut tried = 0;
        for c in '\0'..='\u{ffff}' {
            for head in [
                "7",
                "2025",
                "007",
                "123456789012345678",
                "5.5",
                "12.600",
                "0.05",
                "2500亿",
                "3万",
                "1.2万",
                "99999999999999999.9亿",
                "7.",
                "8万",
            ] {
                let text = format!("{head}{c}三分之一");
                for limit in [head.len(), head.len() + c.len_utf8(), text.len()] {
                    if let Some(n) = plain_integer(&text, 0, limit) {
                        tried += 1;
                        assert_eq!(Parse::Num(n), parse_grammar(&text, 0, limit), "{text:?}");
                    }
                }
            }
        }
        assert!(tried > 300_000, "{tried}");
        for text in [
            "1234567890123456789年",
            "12",
            "x12",
            "",
            "1.5.3",
            "2023.2.10日",
            "5.5．5",
            "1.2万亿",
            "3万 5",
            "9万万",
            "1.",
            "2．5",
            "1234567890.123456789",
            "4.5亿元",
            "1.2.3万",
        ] {
            for start in 0..text.len() {
                for limit in start..=text.len() {
                    if text.is_char_boundary(start)
                        && text.is_char_boundary(limit)
                        && let Some(n) = plain_integer(text, start, limit)
                    {
                        assert_eq!(
                            Parse::Num(n),
                            parse_grammar(text, start, limit),
                            "{text:?} {start} {limit}"
                        );
                    }
                }
            }
        }
    }

    /// The single-digit shortcut agrees with the grammar before every
    /// character of the Basic Multilingual Plane, at every limit.
    #[test]
    fn single_digits_match_the_grammar() {
        let mut tried = 0;
        for c in '\0'..='\u{ffff}' {
            for head in ["一", "两", "九", "壹", "陆", "零", "十", "三"] {
                for tail in ["", "分之一", "三", " 万"] {
                    let text = format!("{head}{c}{tail}");
                    for limit in [head.len(), head.len() + c.len_utf8(), text.len()] {
                        if let Some(n) = single_digit(&text, 0, limit) {
                            tried += 1;
                            assert_eq!(Parse::Num(n), parse_grammar(&text, 0, limit), "{text:?}");
                        }
                    }
                }
            }
        }
        assert!(tried > 1_000_000, "{tried}");
        assert!(single_digit("一个", 0, 6).is_some_and(|n| n.weak && n.end == 3));
        assert_eq!(single_digit("零个", 0, 6), None);
        assert_eq!(single_digit("一十", 0, 6), None);
        assert_eq!(single_digit("一 万", 0, 7), None);
        assert_eq!(single_digit("一", 3, 3), None);
    }

    /// The shortcut agrees with the grammar at every start and limit of
    /// every fixture text holding an Arabic digit near a magnitude.
    #[test]
    fn plain_numerals_match_the_grammar_on_the_fixtures() {
        let mut tried = 0;
        for text in crate::testing::fixture_texts() {
            for (start, _) in text.char_indices() {
                for limit in [text.len(), (start + 12).min(text.len())] {
                    if text.is_char_boundary(limit)
                        && let Some(n) = plain_integer(&text, start, limit)
                    {
                        tried += 1;
                        assert_eq!(Parse::Num(n), parse_grammar(&text, start, limit));
                    }
                    if text.is_char_boundary(limit)
                        && let Some(n) = single_digit(&text, start, limit)
                    {
                        tried += 1;
                        assert_eq!(Parse::Num(n), parse_grammar(&text, start, limit));
                    }
                }
            }
        }
        assert!(tried > 1000, "{tried}");
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn plain_numerals_match_the_grammar(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "0", "1", "5", "9", "１", ".", "．", "万", "亿", "萬", "億", "千", "兆",
                "分", "之", "又", "/", ",", "，", " ", "\u{3000}", "点", "余", "多", "几",
                "年", "元", "%", "一", "两", "a", "、", "三", "零", "十", "个", "陆", "〇",
            ]),
            0..14,
        )) {
            let text = s.concat();
            for (start, _) in text.char_indices() {
                for (limit, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    if let Some(n) = plain_integer(&text, start, limit) {
                        proptest::prop_assert_eq!(
                            Parse::Num(n),
                            parse_grammar(&text, start, limit)
                        );
                    }
                    if let Some(n) = single_digit(&text, start, limit) {
                        proptest::prop_assert_eq!(
                            Parse::Num(n),
                            parse_grammar(&text, start, limit)
                        );
                    }
                }
            }
        }
    }

    /// The byte tests of [`skip_gaps`] find a gap exactly where
    /// [`is_gap`] does, and it skips what the walk of [`skip_gaps_from`]
    /// skips, whatever character is at the position.
    #[test]
    fn gap_bytes_match_the_walk() {
        for c in '\0'..=char::MAX {
            let text = format!("{c}\u{3000} 。x");
            assert_eq!(starts_gap(text.as_bytes()), is_gap(c), "{c:?}");
            let len = text.len();
            for limit in [0, c.len_utf8(), len] {
                assert_eq!(
                    skip_gaps(&text, 0, limit),
                    skip_gaps_from(&text, 0, limit),
                    "{c:?} {limit}"
                );
            }
        }
        let text = " \t\u{3000}\u{a0}、。a\u{3001} \u{3000}";
        for (pos, _) in text.char_indices() {
            for limit in 0..=text.len() {
                assert_eq!(
                    skip_gaps(text, pos, limit),
                    skip_gaps_from(text, pos, limit),
                    "{pos} {limit}"
                );
            }
        }
    }

    /// The bitmap of [`may_continue_digits`] holds exactly the characters
    /// its tests accept (the gaps of [`is_gap`] included).
    #[test]
    fn may_continue_digits_matches_its_tests() {
        for c in '\0'..=char::MAX {
            assert_eq!(
                may_continue_digits(c),
                may_continue_digits_by_match(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn numeral_chars_agree() {
        for c in '\0'..=char::MAX {
            assert_eq!(is_numeral_char(c), is_numeral_char_by_match(c), "{c}");
        }
        for c in ('\0'..='\u{ffff}').filter(|c| !c.is_control()) {
            let by_parts = arabic_digit(c).is_some()
                || chinese_digit(c).is_some()
                || small_multiplier(c).is_some()
                || big_multiplier(c).is_some();
            assert_eq!(is_numeral_char(c), by_parts, "{c}");
            let listed =
                c.is_ascii_digit() || ('０'..='９').contains(&c) || CHINESE_NUMERALS.contains(c);
            assert_eq!(is_numeral_char(c), listed, "{c}");
        }
    }
}
