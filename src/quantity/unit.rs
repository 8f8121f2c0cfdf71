//! The unit lexicon: one table, written form → base unit, factor and kind.
//!
//! To add a unit, add a row to [`UNITS`]. A myriad magnitude written before
//! a unit (`万`, `亿`, `万亿`: `12.6亿吨`, `3360万标箱`) is not listed here:
//! the numeral grammar reads it and it is moved into the unit as written.

use super::Kind;
use super::decimal::Decimal;
use super::words::{ByFirst, CharSet};
use crate::string::Str;
use std::sync::LazyLock;

/// What a quantity measures: [`Kind`] without allocation, for the unit
/// table and the finder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnitKind {
    Currency(&'static str),
    Count(&'static str),
    Percent,
    PercentagePoint,
    Mass,
    Area,
    Volume,
    Length,
    Energy,
    Power,
    Container,
    People,
    PersonTimes,
    Multiplier,
    Time,
    Data,
    Frequency,
    Concentration,
    /// A calendar year, month or day (not a unit kind of the table).
    Date,
    /// A bare fraction (not a unit kind of the table).
    Fraction,
    /// A bare number (not a unit kind of the table).
    Number,
}

impl UnitKind {
    /// The public kind.
    pub(crate) fn kind(self) -> Kind {
        match self {
            UnitKind::Currency(c) => Kind::Currency {
                currency: Str::from_static(c),
            },
            UnitKind::Count(c) => Kind::Count {
                classifier: Str::from_static(c),
            },
            UnitKind::Percent => Kind::Percent,
            UnitKind::PercentagePoint => Kind::PercentagePoint,
            UnitKind::Mass => Kind::Mass,
            UnitKind::Area => Kind::Area,
            UnitKind::Volume => Kind::Volume,
            UnitKind::Length => Kind::Length,
            UnitKind::Energy => Kind::Energy,
            UnitKind::Power => Kind::Power,
            UnitKind::Container => Kind::Container,
            UnitKind::People => Kind::People,
            UnitKind::PersonTimes => Kind::PersonTimes,
            UnitKind::Multiplier => Kind::Multiplier,
            UnitKind::Time => Kind::Time,
            UnitKind::Data => Kind::Data,
            UnitKind::Frequency => Kind::Frequency,
            UnitKind::Concentration => Kind::Concentration,
            UnitKind::Date => Kind::Date,
            UnitKind::Fraction => Kind::Fraction,
            UnitKind::Number => Kind::Number,
        }
    }

    /// True for measures that `半` can follow: `一吨半`, `两米半`, `三成半`.
    pub(crate) fn takes_half(self) -> bool {
        matches!(
            self,
            UnitKind::Mass
                | UnitKind::Area
                | UnitKind::Volume
                | UnitKind::Length
                | UnitKind::Time
                | UnitKind::Percent
        )
    }
}

/// One row of the lexicon.
#[derive(Debug)]
pub(crate) struct Unit {
    /// The unit as written (Latin forms match in any case).
    pub written: &'static str,
    /// The unit normalized values are expressed in.
    pub base: &'static str,
    /// How many `base` one `written` is, as numerator and denominator.
    pub factor: (i128, i128),
    /// What it measures.
    pub kind: UnitKind,
}

impl Unit {
    /// The factor to `base`.
    pub(crate) fn factor(&self) -> Decimal {
        Decimal::new(self.factor.0, self.factor.1).unwrap_or(Decimal::ONE)
    }

    fn latin(&self) -> bool {
        self.written.is_ascii()
    }
}

use UnitKind::*;

const fn u(written: &'static str, base: &'static str, kind: UnitKind) -> Unit {
    Unit {
        written,
        base,
        factor: (1, 1),
        kind,
    }
}

const fn uf(
    written: &'static str,
    base: &'static str,
    num: i128,
    den: i128,
    kind: UnitKind,
) -> Unit {
    Unit {
        written,
        base,
        factor: (num, den),
        kind,
    }
}

/// Every unit known, in no particular order (the longest match wins).
pub(crate) static UNITS: &[Unit] = &[
    // Currency: base is the currency's own unit.
    u("元", "元", Currency("CNY")),
    u("人民币", "元", Currency("CNY")),
    u("元人民币", "元", Currency("CNY")),
    u("人民币元", "元", Currency("CNY")),
    u("美元", "美元", Currency("USD")),
    u("美圆", "美元", Currency("USD")),
    u("美金", "美元", Currency("USD")),
    u("欧元", "欧元", Currency("EUR")),
    u("日元", "日元", Currency("JPY")),
    u("港元", "港元", Currency("HKD")),
    u("港币", "港元", Currency("HKD")),
    u("英镑", "英镑", Currency("GBP")),
    u("澳元", "澳元", Currency("AUD")),
    u("澳门元", "澳门元", Currency("MOP")),
    u("加元", "加元", Currency("CAD")),
    u("瑞士法郎", "瑞士法郎", Currency("CHF")),
    u("新台币", "新台币", Currency("TWD")),
    u("台币", "新台币", Currency("TWD")),
    u("卢布", "卢布", Currency("RUB")),
    u("韩元", "韩元", Currency("KRW")),
    u("新加坡元", "新加坡元", Currency("SGD")),
    u("泰铢", "泰铢", Currency("THB")),
    u("卢比", "卢比", Currency("INR")),
    u("奈拉", "奈拉", Currency("NGN")),
    u("比特币", "比特币", Currency("XBT")),
    // Counts, by classifier (traditional forms fold to simplified).
    u("家", "家", Count("家")),
    u("个", "个", Count("个")),
    u("個", "个", Count("个")),
    u("项", "项", Count("项")),
    u("項", "项", Count("项")),
    u("件", "件", Count("件")),
    u("名", "名", Count("名")),
    u("列", "列", Count("列")),
    u("所", "所", Count("所")),
    u("户", "户", Count("户")),
    u("戶", "户", Count("户")),
    u("套", "套", Count("套")),
    u("辆", "辆", Count("辆")),
    u("輛", "辆", Count("辆")),
    u("张", "张", Count("张")),
    u("張", "张", Count("张")),
    u("座", "座", Count("座")),
    u("台", "台", Count("台")),
    u("处", "处", Count("处")),
    u("處", "处", Count("处")),
    u("条", "条", Count("条")),
    u("條", "条", Count("条")),
    u("部", "部", Count("部")),
    u("只", "只", Count("只")),
    u("隻", "只", Count("只")),
    u("头", "头", Count("头")),
    u("艘", "艘", Count("艘")),
    u("架", "架", Count("架")),
    u("本", "本", Count("本")),
    u("篇", "篇", Count("篇")),
    u("场", "场", Count("场")),
    u("場", "场", Count("场")),
    u("次", "次", Count("次")),
    u("支", "支", Count("支")),
    u("份", "份", Count("份")),
    u("株", "株", Count("株")),
    u("棵", "棵", Count("棵")),
    u("宗", "宗", Count("宗")),
    u("块", "块", Count("块")),
    u("塊", "块", Count("块")),
    u("对", "对", Count("对")),
    u("對", "对", Count("对")),
    u("双", "双", Count("双")),
    u("雙", "双", Count("双")),
    u("位", "位", Count("位")),
    u("间", "间", Count("间")),
    u("間", "间", Count("间")),
    u("栋", "栋", Count("栋")),
    u("幢", "幢", Count("幢")),
    u("颗", "颗", Count("颗")),
    u("枚", "枚", Count("枚")),
    u("款", "款", Count("款")),
    u("种", "种", Count("种")),
    u("類", "类", Count("类")),
    u("类", "类", Count("类")),
    u("门", "门", Count("门")),
    u("根", "根", Count("根")),
    u("片", "片", Count("片")),
    u("层", "层", Count("层")),
    u("班", "班", Count("班")),
    u("趟", "趟", Count("趟")),
    u("册", "册", Count("册")),
    u("盏", "盏", Count("盏")),
    u("眼", "眼", Count("眼")),
    u("口", "口", Count("口")),
    u("例", "例", Count("例")),
    u("批次", "批次", Count("批次")),
    u("单", "单", Count("单")),
    u("笔", "笔", Count("笔")),
    // People.
    u("人", "人", People),
    u("人次", "人次", PersonTimes),
    // Percent and percentage points (个百分点 is not percent).
    u("%", "%", Percent),
    u("％", "%", Percent),
    uf("‰", "%", 1, 10, Percent),
    uf("‱", "%", 1, 100, Percent),
    uf("成", "%", 10, 1, Percent),
    u("个百分点", "个百分点", PercentagePoint),
    u("个百分點", "个百分点", PercentagePoint),
    u("個百分點", "个百分点", PercentagePoint),
    u("個百分点", "个百分点", PercentagePoint),
    u("百分点", "个百分点", PercentagePoint),
    u("百分點", "个百分点", PercentagePoint),
    // Mass.
    u("吨", "吨", Mass),
    u("噸", "吨", Mass),
    u("公斤", "公斤", Mass),
    u("千克", "公斤", Mass),
    u("kg", "公斤", Mass),
    u("克", "克", Mass),
    u("毫克", "毫克", Mass),
    u("微克", "微克", Mass),
    u("斤", "斤", Mass),
    u("两", "两", Mass),
    u("兩", "两", Mass),
    // Energy.
    u("吨标准煤", "吨标准煤", Energy),
    u("吨标煤", "吨标准煤", Energy),
    u("千瓦时", "千瓦时", Energy),
    u("千瓦·时", "千瓦时", Energy),
    u("kWh", "千瓦时", Energy),
    u("兆瓦时", "兆瓦时", Energy),
    u("千卡", "千卡", Energy),
    u("焦耳", "焦耳", Energy),
    // Power.
    u("千瓦", "千瓦", Power),
    u("kW", "千瓦", Power),
    u("兆瓦", "兆瓦", Power),
    u("MW", "兆瓦", Power),
    u("吉瓦", "吉瓦", Power),
    u("GW", "吉瓦", Power),
    u("瓦", "瓦", Power),
    u("千伏安", "千伏安", Power),
    // Area.
    u("亩", "亩", Area),
    u("畝", "亩", Area),
    u("公顷", "公顷", Area),
    u("平方公里", "平方公里", Area),
    u("平方千米", "平方公里", Area),
    u("km²", "平方公里", Area),
    u("平方米", "平方米", Area),
    u("平米", "平方米", Area),
    u("㎡", "平方米", Area),
    u("m²", "平方米", Area),
    // Volume.
    u("立方米", "立方米", Volume),
    u("立方", "立方米", Volume),
    u("m³", "立方米", Volume),
    u("㎥", "立方米", Volume),
    u("升", "升", Volume),
    u("毫升", "毫升", Volume),
    // Length.
    u("公里", "公里", Length),
    u("千米", "公里", Length),
    u("km", "公里", Length),
    u("米", "米", Length),
    u("m", "米", Length),
    u("厘米", "厘米", Length),
    u("公分", "厘米", Length),
    u("cm", "厘米", Length),
    u("毫米", "毫米", Length),
    u("mm", "毫米", Length),
    u("延米", "延米", Length),
    // Containers.
    u("标箱", "标箱", Container),
    u("标准箱", "标箱", Container),
    u("TEU", "标箱", Container),
    // Multipliers (翻…番 is read by the numeral grammar).
    u("倍", "倍", Multiplier),
    // Time. Calendar years, months and days are told apart from durations
    // by the finder.
    u("年", "年", Time),
    u("个月", "个月", Time),
    u("個月", "个月", Time),
    u("月", "月", Time),
    u("日", "日", Time),
    u("天", "天", Time),
    u("周", "周", Time),
    u("小时", "小时", Time),
    u("个小时", "小时", Time),
    u("分钟", "分钟", Time),
    u("秒", "秒", Time),
    u("个工作日", "工作日", Time),
    u("工作日", "工作日", Time),
    // Information and frequency.
    u("比特", "比特", Data),
    u("字节", "字节", Data),
    u("千字节", "千字节", Data),
    u("兆字节", "兆字节", Data),
    u("吉字节", "吉字节", Data),
    u("赫兹", "赫兹", Frequency),
    u("千赫兹", "千赫兹", Frequency),
    u("兆赫兹", "兆赫兹", Frequency),
    u("吉赫兹", "吉赫兹", Frequency),
    // Concentrations.
    u("微克/立方米", "微克/立方米", Concentration),
    u("毫克/立方米", "毫克/立方米", Concentration),
    u("毫克/升", "毫克/升", Concentration),
];

/// Currency signs written before the number, with their currency.
pub(crate) static CURRENCY_SIGNS: &[(&str, &str, &str)] = &[
    ("￥", "元", "CNY"),
    ("¥", "元", "CNY"),
    ("US$", "美元", "USD"),
    ("$", "美元", "USD"),
    ("＄", "美元", "USD"),
    ("€", "欧元", "EUR"),
    ("£", "英镑", "GBP"),
];

/// Smaller units that may follow a currency amount: `五元三毛`, `两美元又三美分`.
pub(crate) static SUBUNITS: &[(&str, &str, i128)] = &[
    ("元", "角", 10),
    ("元", "毛", 10),
    ("元", "分", 100),
    ("美元", "美分", 100),
    ("欧元", "欧分", 100),
    ("英镑", "便士", 100),
    ("日元", "日本銭", 100),
    ("日元", "钱", 100),
];

/// Rows by first character, longest first, each with whether it is Latin
/// ([`Unit::latin`], a pass over its bytes, found once here rather than
/// for each row tried).
static BY_FIRST: LazyLock<ByFirst<(&'static Unit, bool)>> = LazyLock::new(|| {
    let mut rows = Vec::new();
    for unit in UNITS {
        let mut chars = unit.written.chars();
        let Some(first) = chars.next() else { continue };
        if unit.latin() {
            rows.push((first.to_ascii_lowercase(), (unit, true)));
            rows.push((first.to_ascii_uppercase(), (unit, true)));
        } else {
            rows.push((first, (unit, false)));
        }
    }
    let mut map = ByFirst::new(rows);
    for rows in map.groups_mut() {
        rows.sort_by_key(|(u, _)| std::cmp::Reverse(u.written.chars().count()));
        rows.dedup_by_key(|(u, _)| u.written);
    }
    map
});

/// True when some unit starts with `c`.
pub(crate) fn starts_unit(c: char) -> bool {
    UNIT_FIRST.contains(c)
}

/// The characters units start with (Latin ones in both cases).
static UNIT_FIRST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(BY_FIRST.keys().iter().copied()));

/// Spacing that may sit inside a number or a unit (text from PDFs spaces
/// letters apart): ASCII space, tab, ideographic space, no-break space.
pub(crate) fn is_gap(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{a0}')
}

/// Matches `written` at the start of `rest`; Han forms may have gaps
/// between their characters, Latin forms match in any case and must end a
/// word. Returns the length matched. The first `known` bytes of `rest`
/// are known to be those of `written` (a Han row's first character, which
/// [`lookup`] found its rows by) and are not compared again.
fn match_rest(rest: &str, written: &str, latin: bool, known: usize) -> Option<usize> {
    if latin {
        let n = written.len();
        let head = rest.get(..n)?;
        if !head.eq_ignore_ascii_case(written) {
            return None;
        }
        // Case matters only between milli and mega: `mW` is not `MW`.
        if written.starts_with(['M', 'G']) && head.as_bytes()[0].is_ascii_lowercase() {
            return None;
        }
        let next = rest[n..].chars().next();
        if next.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        return Some(n);
    }
    // Most units are written whole: compare bytes, and walk the text
    // character by character only where a gap stands at the first
    // difference (the first character of a Han unit is never spaced off).
    let (r, w) = (rest.as_bytes(), written.as_bytes());
    let mut common = known;
    while let (Some(a), Some(b)) = (r.get(common), w.get(common))
        && a == b
    {
        common += 1;
    }
    if common == w.len() {
        return Some(common);
    }
    let mut k = common;
    while !written.is_char_boundary(k) {
        k -= 1;
    }
    // `rest` and `written` agree up to `k`, a boundary of both.
    let gap_next = rest.get(k..).map(|r| r.starts_with(is_gap));
    if k == 0 || gap_next == Some(false) {
        return None;
    }
    spaced_match(rest, written)
}

/// [`match_rest`] as it was, at `pos` of `text`, comparing every byte:
/// the reference the tests check it against. Returns the end offset.
#[cfg(test)]
fn match_written(text: &str, pos: usize, written: &str, latin: bool) -> Option<usize> {
    let rest = text.get(pos..)?;
    if latin {
        let n = written.len();
        let head = rest.get(..n)?;
        if !head.eq_ignore_ascii_case(written) {
            return None;
        }
        // Case matters only between milli and mega: `mW` is not `MW`.
        if written.starts_with(['M', 'G']) && head.as_bytes()[0].is_ascii_lowercase() {
            return None;
        }
        let next = rest[n..].chars().next();
        if next.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        return Some(pos + n);
    }
    // Most units are written whole: compare bytes, and walk the text
    // character by character only where a gap stands at the first
    // difference (the first character of a Han unit is never spaced off).
    let common = rest
        .bytes()
        .zip(written.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    if common == written.len() {
        return Some(pos + common);
    }
    let mut k = common;
    while !written.is_char_boundary(k) {
        k -= 1;
    }
    // `rest` and `written` agree up to `k`, a boundary of both.
    let gap_next = rest.get(k..).map(|r| r.starts_with(is_gap));
    if k == 0 || gap_next == Some(false) {
        return None;
    }
    spaced_match(rest, written).map(|end| pos + end)
}

/// Matches Han `written` at the start of `rest`, with gaps allowed between
/// its characters: the length matched.
fn spaced_match(rest: &str, written: &str) -> Option<usize> {
    let mut it = rest.char_indices().peekable();
    let mut end = 0;
    for (i, want) in written.chars().enumerate() {
        if i > 0 {
            while it.peek().is_some_and(|&(_, c)| is_gap(c)) {
                it.next();
            }
        }
        let (at, c) = it.next()?;
        if c != want {
            return None;
        }
        end = at + c.len_utf8();
    }
    Some(end)
}

/// The longest unit written at `pos`, and where it ends.
pub(crate) fn lookup(text: &str, pos: usize) -> Option<(&'static Unit, usize)> {
    let rest = text.get(pos..)?;
    let first = rest.chars().next()?;
    if !UNIT_FIRST.contains(first) {
        return None;
    }
    let rows = BY_FIRST.get(first)?;
    // A Han row starts with `first` itself; a Latin one in either case.
    let known = first.len_utf8();
    rows.iter().find_map(|&(unit, latin)| {
        match_rest(rest, unit.written, latin, if latin { 0 } else { known })
            .map(|n| (unit, pos + n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`lookup`] as it was, finding whether a row is Latin for each row
    /// tried: the table built in place here.
    fn lookup_reference(text: &str, pos: usize) -> Option<(&'static Unit, usize)> {
        let first = text.get(pos..)?.chars().next()?;
        let mut rows: Vec<&'static Unit> = UNITS
            .iter()
            .filter(|u| {
                let c = u.written.chars().next();
                if u.latin() {
                    c.is_some_and(|c| c.eq_ignore_ascii_case(&first))
                } else {
                    c == Some(first)
                }
            })
            .collect();
        rows.sort_by_key(|u| std::cmp::Reverse(u.written.chars().count()));
        rows.dedup_by_key(|u| u.written);
        rows.iter().find_map(|unit| {
            match_written(text, pos, unit.written, unit.latin()).map(|end| (*unit, end))
        })
    }

    #[test]
    fn lookup_matches_the_reference() {
        let key = |r: Option<(&'static Unit, usize)>| r.map(|(u, e)| (u.written, u.base, e));
        let mut found = 0;
        for unit in UNITS {
            let w = unit.written;
            let spaced: String = w.chars().flat_map(|c| [c, ' ']).collect();
            let cut: String = w
                .chars()
                .take(w.chars().count().saturating_sub(1))
                .collect();
            for text in [
                w.to_string(),
                format!("{w}以上"),
                format!("5{w}"),
                w.to_uppercase(),
                w.to_lowercase(),
                spaced,
                format!("{cut}x"),
                format!("{w}a"),
            ] {
                for (pos, _) in text.char_indices() {
                    found += usize::from(lookup(&text, pos).is_some());
                    assert_eq!(
                        key(lookup(&text, pos)),
                        key(lookup_reference(&text, pos)),
                        "{text:?} {pos}"
                    );
                }
            }
        }
        assert!(found > UNITS.len(), "{found}");
    }

    #[test]
    fn longest_match_wins() {
        let (u, end) = lookup("吨标准煤、", 0).unwrap();
        assert_eq!((u.written, end), ("吨标准煤", "吨标准煤".len()));
        let (u, _) = lookup("个百分点", 0).unwrap();
        assert_eq!(u.kind, UnitKind::PercentagePoint);
        let (u, _) = lookup("个月", 0).unwrap();
        assert_eq!(u.kind, UnitKind::Time);
        let (u, _) = lookup("个企业", 0).unwrap();
        assert_eq!(u.kind, UnitKind::Count("个"));
    }

    #[test]
    fn gaps_and_latin() {
        let text = "个 百 分 点";
        assert_eq!(lookup(text, 0).unwrap().1, text.len());
        assert_eq!(lookup("CM高", 0).unwrap().0.base, "厘米");
        assert!(lookup("mx", 0).is_none());
        assert!(lookup("mW", 0).is_none());
    }

    /// The byte comparison matches what the character walk matches, with
    /// and without gaps, whole, cut short and followed by other text.
    #[test]
    fn whole_units_match_as_spaced_ones_do() {
        for unit in UNITS.iter().filter(|u| !u.latin()) {
            let w = unit.written;
            assert!(!w.contains(is_gap), "{w}");
            let chars: Vec<char> = w.chars().collect();
            let spaced: String = chars.iter().flat_map(|&c| [c, ' ']).collect();
            let ideographic: String = chars.iter().flat_map(|&c| [c, '\u{3000}']).collect();
            let cut: String = chars[..chars.len() - 1].iter().collect();
            let swapped: String = chars.iter().rev().collect();
            for text in [
                w.to_string(),
                format!("{w}以上"),
                spaced.clone(),
                spaced.trim_end().to_string(),
                ideographic,
                format!(" {w}"),
                cut.clone(),
                format!("{cut} 的"),
                format!("{cut}的"),
                swapped,
            ] {
                for pos in [0, 1] {
                    let Some(rest) = text.get(pos..) else {
                        continue;
                    };
                    assert_eq!(
                        match_written(&text, pos, w, false),
                        spaced_match(rest, w).map(|e| pos + e),
                        "{text:?} {w}"
                    );
                }
            }
        }
    }

    #[test]
    fn no_duplicate_rows() {
        let mut seen = std::collections::HashSet::new();
        for unit in UNITS {
            assert!(seen.insert(unit.written), "{} twice", unit.written);
            assert!(unit.factor().denominator() > 0);
        }
    }
}
