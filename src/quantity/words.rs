//! The word tables the target logic reads: bound words, modality words,
//! verbs, and the words around numbers that are not units. Each is one
//! table; to teach the parser a new word, add a row.

use super::{Bound, Modality};
use std::sync::LazyLock;

/// Which side of the number a bound word stands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    /// `超过200亿美元`, `不低于5%`.
    Before,
    /// `2500亿元以上`, `14.5%左右`; these win over the words before.
    After,
}

use Bound::{About, AtLeast, AtMost, MoreThan};
use Side::{After, Before};

/// Bound words, with the side of the number they stand on. Matched
/// longest first. (`控制在` alone is at most; `控制在5%左右` is about,
/// since the word after wins.)
pub(crate) static BOUNDS: &[(&str, Bound, Side)] = &[
    ("不低于", AtLeast, Before),
    ("不少于", AtLeast, Before),
    ("不小于", AtLeast, Before),
    ("至少", AtLeast, Before),
    ("超过", MoreThan, Before),
    ("超出", MoreThan, Before),
    ("突破", MoreThan, Before),
    ("高于", MoreThan, Before),
    ("多于", MoreThan, Before),
    ("大于", MoreThan, Before),
    ("超", MoreThan, Before),
    ("大约", About, Before),
    ("约为", About, Before),
    ("约", About, Before),
    ("将近", About, Before),
    ("接近", About, Before),
    ("近", About, Before),
    ("不超过", AtMost, Before),
    ("不高于", AtMost, Before),
    ("不多于", AtMost, Before),
    ("不大于", AtMost, Before),
    ("最多", AtMost, Before),
    ("低于", AtMost, Before),
    ("少于", AtMost, Before),
    ("控制在", AtMost, Before),
    ("压减至", AtMost, Before),
    ("及以上", AtLeast, After),
    ("以上", AtLeast, After),
    ("之上", AtLeast, After),
    ("及以下", AtMost, After),
    ("以下", AtMost, After),
    ("以内", AtMost, After),
    ("之内", AtMost, After),
    ("内", AtMost, After),
    ("左右", About, After),
    ("上下", About, After),
];

/// The rows of [`BOUNDS`] on one side.
fn side(side: Side) -> Vec<(&'static str, Bound)> {
    BOUNDS
        .iter()
        .filter(|r| r.2 == side)
        .map(|&(w, b, _)| (w, b))
        .collect()
}

/// Bound words written before a number.
pub(crate) static BOUND_BEFORE: LazyLock<Vec<(&str, Bound)>> = LazyLock::new(|| side(Before));

/// Bound words written after a quantity.
pub(crate) static BOUND_AFTER: LazyLock<Vec<(&str, Bound)>> = LazyLock::new(|| side(After));

/// The characters [`BOUND_AFTER`] words start with.
static BOUND_AFTER_FIRST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(BOUND_AFTER.iter().filter_map(|(w, _)| w.chars().next())));

/// The longest [`BOUND_AFTER`] word `text` starts with, and its length and
/// bound: the table is looked at only when the first character may start
/// one (after most quantities comes punctuation or a noun).
pub(crate) fn bound_after_at(text: &str) -> Option<(usize, Bound)> {
    let c = text.chars().next()?;
    if !BOUND_AFTER_FIRST.contains(c) {
        return None;
    }
    starts_with_any(text, &BOUND_AFTER)
}

/// Modality words. Each governs its clause up to the next `，` `；` `。` or
/// the next modality word.
pub(crate) static MODALITY: &[(&str, Modality)] = &[
    ("确保", Modality::Ensure),
    ("务必", Modality::Ensure),
    ("力争", Modality::Strive),
    ("努力", Modality::Strive),
    ("争取", Modality::Strive),
    ("力求", Modality::Strive),
];

/// [`MODALITY`] by first character, longest first.
static MODALITY_BY_FIRST: LazyLock<ByFirst<(&'static str, Modality)>> = LazyLock::new(|| {
    let mut map = ByFirst::new(
        MODALITY
            .iter()
            .filter_map(|&(w, m)| Some((w.chars().next()?, (w, m)))),
    );
    for rows in map.groups_mut() {
        rows.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    map
});

/// The second characters of [`MODALITY`] words (every word has two or
/// more).
static MODALITY_SECOND: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(MODALITY.iter().filter_map(|(w, _)| w.chars().nth(1))));

/// The longest [`MODALITY`] word `text` starts with, its length and
/// modality: only the words with its first character are tried, and only
/// when its second character is one that follows in a word. The first
/// characters (`务`, `力`, `确`) are common in other words (`任务`,
/// `能力`, `明确`), where the second test ends the lookup.
pub(crate) fn modality_at(text: &str) -> Option<(usize, Modality)> {
    let mut chars = text.chars();
    let c = chars.next()?;
    if !chars.next().is_some_and(|d| MODALITY_SECOND.contains(d)) {
        return None;
    }
    MODALITY_BY_FIRST
        .get(c)?
        .iter()
        .find(|(w, _)| text.starts_with(w))
        .map(|&(w, m)| (w.len(), m))
}

/// Where a verb's subject stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A change or a level: the subject comes before the verb, whatever
    /// stands between verb and number (`补助标准提高到每人每年670元`).
    Level,
    /// An action: next to the number the subject comes before it
    /// (`各项贷款新增2.1万亿元`); away from it, the subject is its object
    /// (`新增智能工厂150家`), and the verb is shared along a `、` list.
    Action,
}

use Role::{Action, Level};

/// Verbs that tie a subject to its number, with where the subject stands.
/// Matched longest first.
pub(crate) static VERBS: &[(&str, Role)] = &[
    ("年均增长", Level),
    ("同比增长", Level),
    ("增长", Level),
    ("增长到", Level),
    ("增长至", Level),
    ("增加到", Level),
    ("增加至", Level),
    ("提高到", Level),
    ("提高至", Level),
    ("提升到", Level),
    ("提升至", Level),
    ("提至", Level),
    ("增至", Level),
    ("减至", Level),
    ("扩大到", Level),
    ("扩大至", Level),
    ("下降", Level),
    ("下降到", Level),
    ("下降至", Level),
    ("降低到", Level),
    ("降低至", Level),
    ("降至", Level),
    ("降到", Level),
    ("再降", Level),
    ("再降低", Level),
    ("达到", Level),
    ("达", Level),
    ("保持在", Level),
    ("稳定在", Level),
    ("控制在", Level),
    ("突破", Level),
    ("超过", Level),
    ("缩短至", Level),
    ("缩短到", Level),
    ("压缩至", Level),
    ("压缩到", Level),
    ("减负", Level),
    ("减税降费", Level),
    ("减税", Level),
    ("降费", Level),
    ("让利", Level),
    ("翻", Level),
    ("增加", Action),
    ("提高", Action),
    ("提升", Action),
    ("降低", Action),
    ("减少", Action),
    ("扩大", Action),
    ("缩短", Action),
    ("压缩", Action),
    ("压减", Action),
    ("新增", Action),
    ("完成", Action),
    ("实现", Action),
    ("新培育", Action),
    ("培育", Action),
    ("安排", Action),
    ("淘汰整治", Action),
    ("淘汰", Action),
    ("整治", Action),
    ("腾出", Action),
    ("新引进", Action),
    ("引进", Action),
    ("新引育", Action),
    ("引育", Action),
    ("开行", Action),
    ("部署实施", Action),
    ("实施", Action),
    ("取得", Action),
    ("组建", Action),
    ("新建", Action),
    ("建成", Action),
    ("建设", Action),
    ("新改造", Action),
    ("改造", Action),
    ("打造", Action),
    ("创建", Action),
    ("新认定", Action),
    ("认定", Action),
    ("招引", Action),
    ("吸引", Action),
    ("发放", Action),
    ("投入", Action),
    ("安置", Action),
    ("培训", Action),
    ("资助", Action),
    ("减免", Action),
    ("提供", Action),
    ("新开工", Action),
    ("开工", Action),
    ("竣工", Action),
    ("建立", Action),
    ("设立", Action),
    ("培养", Action),
    ("吸纳", Action),
    ("招聘", Action),
    ("招收", Action),
    ("扶持", Action),
    ("举办", Action),
    ("新开通", Action),
    ("开通", Action),
    ("撬动", Action),
    ("签约", Action),
    ("帮扶", Action),
    ("开展", Action),
    ("推出", Action),
    ("出台", Action),
    ("制定", Action),
    ("形成", Action),
    ("布局", Action),
    ("遴选", Action),
    ("评选", Action),
    ("设置", Action),
    ("配备", Action),
    ("纳入", Action),
    ("供应", Action),
    ("获得", Action),
    ("获批", Action),
    ("拉动", Action),
    ("惠及", Action),
    ("覆盖", Action),
    ("转化", Action),
    ("新登记", Action),
    ("登记", Action),
];

/// Rows of a word table grouped by first character: a binary search over
/// the characters instead of hashing, for lookups made at every position
/// of a text.
pub(crate) struct ByFirst<T> {
    keys: Vec<char>,
    rows: Vec<Vec<T>>,
    /// The keys of the Basic Multilingual Plane as a bitmap, 64 code
    /// points to a word, and for each word how many keys come before it:
    /// a key's group is found by counting bits, not by a binary search.
    /// Keys are sorted, so the BMP ones come first.
    bits: Box<[u64; 1024]>,
    before: Box<[u32; 1024]>,
}

impl<T> ByFirst<T> {
    /// Groups `rows` by the character `key` gives for each.
    pub(crate) fn new(rows: impl IntoIterator<Item = (char, T)>) -> ByFirst<T> {
        let mut pairs: Vec<(char, T)> = rows.into_iter().collect();
        pairs.sort_by_key(|(c, _)| *c);
        let mut out = ByFirst {
            keys: Vec::new(),
            rows: Vec::new(),
            bits: Box::new([0; 1024]),
            before: Box::new([0; 1024]),
        };
        for (c, row) in pairs {
            if out.keys.last() != Some(&c) {
                out.keys.push(c);
                out.rows.push(Vec::new());
            }
            if let Some(last) = out.rows.last_mut() {
                last.push(row);
            }
        }
        for &c in &out.keys {
            let u = c as usize;
            if let Some(word) = out.bits.get_mut(u >> 6) {
                *word |= 1 << (u & 63);
            }
        }
        let mut count = 0u32;
        for (before, word) in out.before.iter_mut().zip(out.bits.iter()) {
            *before = count;
            count += word.count_ones();
        }
        out
    }

    /// The rows starting with `c`.
    pub(crate) fn get(&self, c: char) -> Option<&[T]> {
        let u = c as usize;
        let k = match (self.bits.get(u >> 6), self.before.get(u >> 6)) {
            (Some(&word), Some(&before)) => {
                if (word >> (u & 63)) & 1 == 0 {
                    return None;
                }
                // The keys before `c`: those of earlier words, and the
                // bits below `c` in its own.
                let below = word & ((1u64 << (u & 63)) - 1);
                usize::try_from(before).ok()? + below.count_ones() as usize
            }
            _ => self.keys.binary_search(&c).ok()?,
        };
        self.rows.get(k).map(Vec::as_slice)
    }

    /// The characters, in order.
    pub(crate) fn keys(&self) -> &[char] {
        &self.keys
    }

    /// Every group, to sort or prune in place.
    pub(crate) fn groups_mut(&mut self) -> impl Iterator<Item = &mut Vec<T>> {
        self.rows.iter_mut()
    }
}

/// [`VERBS`] by first character, longest first: verbs are looked up at
/// every position before a number, so the lookup must be cheap.
static VERBS_BY_FIRST: LazyLock<ByFirst<(&'static str, Role)>> = LazyLock::new(|| {
    let mut map = ByFirst::new(
        VERBS
            .iter()
            .filter_map(|&(word, role)| Some((word.chars().next()?, (word, role)))),
    );
    for rows in map.groups_mut() {
        rows.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    map
});

/// The characters verbs start with.
static VERB_FIRST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(VERBS.iter().filter_map(|(w, _)| w.chars().next())));

/// Where a verb of [`VERBS`] may start in `text`: the offsets of the
/// characters verbs start with.
pub(crate) fn verb_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    VERB_FIRST.positions(text)
}

/// The second characters of [`VERBS`] words, and the first characters of
/// those that are one character (`达`, `翻`), which take any second.
static VERB_SECOND: LazyLock<(CharSet, CharSet)> = LazyLock::new(|| {
    let second = VERBS.iter().filter_map(|(w, _)| w.chars().nth(1));
    let single = VERBS
        .iter()
        .filter(|(w, _)| w.chars().count() == 1)
        .filter_map(|(w, _)| w.chars().next());
    (CharSet::new(second), CharSet::new(single))
});

/// The verb of [`VERBS`] that `text` starts with, longest first: only
/// where the first character starts a verb, and the second continues one
/// (or the first is a verb alone), is the table looked at.
pub(crate) fn verb_at(text: &str) -> Option<(&'static str, Role)> {
    let mut chars = text.chars();
    let c = chars.next()?;
    if !VERB_FIRST.contains(c) {
        return None;
    }
    let (second, single) = &*VERB_SECOND;
    if !single.contains(c) && !chars.next().is_some_and(|d| second.contains(d)) {
        return None;
    }
    VERBS_BY_FIRST
        .get(c)?
        .iter()
        .find(|(w, _)| text.starts_with(w))
        .copied()
}

/// A set of characters of the Basic Multilingual Plane, as a bitmap: a
/// membership test costs a shift and a mask, for the per-character scans.
pub(crate) struct CharSet {
    /// One bit per code point, 64 to a word: word `u >> 6`, bit `u & 63`.
    /// 8 KiB, which stay in the cache during a walk.
    bits: Box<[u64; 1024]>,
}

impl CharSet {
    /// The set of `chars` (those beyond U+FFFF are left out).
    pub(crate) fn new(chars: impl IntoIterator<Item = char>) -> CharSet {
        let mut bits = Box::new([0u64; 1024]);
        for c in chars {
            let u = c as usize;
            if let Some(word) = bits.get_mut(u >> 6) {
                *word |= 1 << (u & 63);
            }
        }
        CharSet { bits }
    }

    /// The characters of `self` and of `other`.
    pub(crate) fn union(&self, other: &CharSet) -> CharSet {
        let mut bits = self.bits.clone();
        for (w, o) in bits.iter_mut().zip(other.bits.iter()) {
            *w |= o;
        }
        CharSet { bits }
    }

    /// True when `c` is in the set.
    pub(crate) fn contains(&self, c: char) -> bool {
        self.contains_u32(c as u32)
    }

    /// True when the code point `u` is in the set.
    pub(crate) fn contains_u32(&self, u: u32) -> bool {
        let u = u as usize;
        self.bits
            .get(u >> 6)
            .is_some_and(|w| (w >> (u & 63)) & 1 == 1)
    }

    /// The offsets of the characters of `text` in the set, in order. A
    /// plain byte loop, cheaper than decoding every `char`: a three-byte
    /// character's bit is found from its bytes as they stand.
    pub(crate) fn positions<'t>(&'t self, text: &'t str) -> impl Iterator<Item = usize> + 't {
        self.members(text).map(|(at, _)| at)
    }

    /// The characters of `text` in the set, in order: each one's offset
    /// and code point, so that a caller can test it against other sets
    /// without decoding it again.
    pub(crate) fn members<'t>(&'t self, text: &'t str) -> Members<'t> {
        Members {
            set: self,
            bytes: text.as_bytes(),
            i: 0,
        }
    }
}

/// The iterator of [`CharSet::members`]: a named type whose `next` can be
/// inlined into the walk that drives it, so that each member found costs
/// no call.
pub(crate) struct Members<'t> {
    set: &'t CharSet,
    /// The text, which is UTF-8: a lead byte is followed by its
    /// continuation bytes, so the indexing in `next` stays in bounds.
    bytes: &'t [u8],
    /// Where the walk goes on.
    i: usize,
}

impl Iterator for Members<'_> {
    type Item = (usize, u32);

    #[inline]
    fn next(&mut self) -> Option<(usize, u32)> {
        let bytes = self.bytes;
        let set = self.set;
        'walk: while let Some(&b) = bytes.get(self.i) {
            let at = self.i;
            // The code point's block of 64 and its place in it.
            let (block, low, len) = match b {
                0x00..=0x7F => (usize::from(b >> 6), b & 0x3F, 1),
                0xC0..=0xDF => (usize::from(b & 0x1F), bytes[at + 1] & 0x3F, 2),
                0xE0..=0xEF => {
                    // Three-byte characters (Han, CJK punctuation) are
                    // most of a text: a run of them is passed over in this
                    // tighter loop, which finds each one's word of `bits`
                    // from its first two bytes as they stand: `(lead -
                    // 0xE0) << 6 | (second - 0x80)`, the second byte being
                    // a continuation byte. In UTF-8 this index is below
                    // 1024 exactly when `lead` leads a three-byte
                    // character: below 0xE0 the subtraction wraps around
                    // (after a two-byte lead comes a continuation byte,
                    // below 0xC0), from 0xF0 it passes 1023. Any other
                    // character so ends the run. (A prefilter on the block of 64 would
                    // add a branch that texts mispredict: the blocks of
                    // `一`, `二` and of CJK punctuation hold many common
                    // characters.)
                    let mut rest = &bytes[at..];
                    while let [lead, second, third, ..] = *rest {
                        let block = ((usize::from(lead) << 6) + usize::from(second))
                            .wrapping_sub((0xE0 << 6) + 0x80);
                        let Some(&word) = set.bits.get(block) else {
                            break;
                        };
                        let low = third & 0x3F;
                        if (word >> low) & 1 == 1 {
                            self.i = bytes.len() - rest.len() + 3;
                            // Both parts are below 2^10 and 2^6: a BMP
                            // code point.
                            return Some((
                                bytes.len() - rest.len(),
                                ((block as u32) << 6) | u32::from(low),
                            ));
                        }
                        rest = &rest[3..];
                    }
                    self.i = bytes.len() - rest.len();
                    continue 'walk;
                }
                // Beyond the Basic Multilingual Plane: never a member.
                _ => {
                    self.i += 4;
                    continue;
                }
            };
            self.i = at + len;
            if (set.bits[block] >> low) & 1 == 1 {
                // Both parts are below 2^10 and 2^6: a BMP code point.
                return Some((at, ((block as u32) << 6) | u32::from(low)));
            }
        }
        None
    }
}

/// Verbs that are part of a word when this character follows:
/// `达产`, `达标`, `建设项目`.
pub(crate) static VERB_NOT_BEFORE: &[(&str, char)] = &[
    ("达", '产'),
    ("达", '标'),
    ("达", '成'),
    ("建设", '性'),
    ("建设", '项'),
];

/// Characters after a verb that make it part of a noun: `增加值`, `增长率`.
pub(crate) static VERB_NOUN_TAILS: &[char] = &['值', '率', '量', '额', '点', '期'];

/// Words stripped from the start of a subject: modality words are stripped
/// too, and so is a leading verb; these are the adverbs and lead-in verbs
/// that come before an indicator (`带动制造业投资增长12%`).
pub(crate) static SUBJECT_LEAD_INS: &[&str] = &[
    "带动",
    "推动",
    "推进",
    "促进",
    "实现",
    "使",
    "让",
    "持续",
    "全力",
    "大力",
    "加快",
    "积极",
    "进一步",
    "全年",
    "今年",
    "年内",
    "当年",
    "预计",
    "累计",
    "和",
    "及时",
    "及",
    "以及",
    "并",
    "同时",
    "其中",
    "将",
];

/// What an indicator's name ends with, shared by the items of a `分别`
/// list (`家电、新能源汽车零售额`).
pub(crate) static INDICATOR_TAILS: &[&str] = &[
    "零售额",
    "销售额",
    "营业额",
    "进出口额",
    "总额",
    "增加值",
    "产值",
    "产量",
    "收入",
    "人数",
    "人次",
    "起数",
    "标准",
    "规模",
    "投资",
    "比重",
    "占比",
    "面积",
    "总量",
];

/// Words stripped from the end of a subject: `收入分别增长` → 收入.
pub(crate) static SUBJECT_TAILS: &[&str] = &[
    "分别", "在", "预计", "同比", "年均", "累计", "均", "再", "全部", "共", "合计", "总计",
];

/// Verbs that name an indicator themselves: with no subject of their own,
/// or only a beneficiary (`为市场主体减负`), the verb is the subject.
pub(crate) static NOMINAL_VERBS: &[&str] = &["减负", "减税降费", "减税", "降费", "让利"];

/// A subject that starts with one of these names who benefits, not what is
/// counted (`为市场主体减负`); the verb itself then names the indicator.
pub(crate) static BENEFICIARY_MARKS: &[&str] = &["为", "向", "给", "帮助", "替"];

/// Words joining the items of a list of targets: `、` `和` `及` …
pub(crate) static LIST_JOINERS: &[&str] = &["、", "和", "及", "以及", "与", "并"];

/// Words that start with a joiner or lead-in character but are words of
/// their own: `和美乡村`, `并购重组`, `并网装机`.
pub(crate) static JOINER_WORDS: &[&str] = &["和美", "和谐", "和平", "并购", "并网", "并联", "与会"];

/// True when `text` starts with one of [`JOINER_WORDS`].
pub(crate) fn starts_joiner_word(text: &str) -> bool {
    JOINER_WORDS.iter().any(|w| text.starts_with(w))
}

/// Characters that may directly follow a number without being a unit, so
/// a number followed by one of them gets no unknown-unit diagnostic:
/// years, dates, ordinals, ranks and parts of names.
pub(crate) static NOT_UNITS: &[char] = &[
    '年', '月', '日', '号', '號', '大', '期', '强', '是', '届', '点', '时', '岁', '级', '星', '型',
    '线', '路', '代', '版', '轮', '季', '环', '区', '省', '市', '县', '城', '都', '圈', '带', '网',
    '化', '维', '方', '横', '纵', '中', '上', '下', '前', '后', '内', '外', '余', '多', '几', '来',
    '里', '的', '之', '楼', '室', '院', '字', '章', '节', '批', '世', '纪', '朝', '道', '关', '局',
    '厅', '同', '比', '较', '至', '到', '和', '或', '及', '与', '以', '为', '即', '并', '且', '万',
    '亿', '千', '百', '十', '分', '半', '折', '度', '平', '立', '公', '标',
];

/// The characters [`NUMERAL_WORDS`] start with.
static NUMERAL_WORD_FIRST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(NUMERAL_WORDS.iter().filter_map(|w| w.chars().next())));

/// [`NUMERAL_WORDS`] by first character, in table order.
static NUMERAL_WORDS_BY_FIRST: LazyLock<ByFirst<&'static str>> = LazyLock::new(|| {
    ByFirst::new(
        NUMERAL_WORDS
            .iter()
            .filter_map(|&w| Some((w.chars().next()?, w))),
    )
});

/// The second characters of [`NUMERAL_WORDS`] (every word has two or
/// more).
static NUMERAL_WORD_SECOND: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(NUMERAL_WORDS.iter().filter_map(|w| w.chars().nth(1))));

/// The first word of [`NUMERAL_WORDS`] (in table order) that `text` starts
/// with: only the words with its first character are tried, and only when
/// its second character is one that follows in a word.
pub(crate) fn numeral_word_at(text: &str) -> Option<&'static str> {
    let mut chars = text.chars();
    let c = chars.next()?;
    if !NUMERAL_WORD_FIRST.contains(c)
        || !chars
            .next()
            .is_some_and(|d| NUMERAL_WORD_SECOND.contains(d))
    {
        return None;
    }
    // Every word is of three-byte characters: its second character's
    // bytes are compared before the whole word, which rules out most of
    // the many words of `一`.
    let second = text.as_bytes().get(3..6);
    NUMERAL_WORDS_BY_FIRST
        .get(c)?
        .iter()
        .find(|w| w.as_bytes().get(3..6) == second && text.starts_with(**w))
        .copied()
}

/// Words that contain numerals but are not quantities. The finder skips
/// them whole.
pub(crate) static NUMERAL_WORDS: &[&str] = &[
    "千家万户",
    "千方百计",
    "千军万马",
    "千头万绪",
    "千差万别",
    "千变万化",
    "千亿级",
    "万亿级",
    "百亿级",
    "一家一户",
    "一成不变",
    "五位一体",
    "一次性",
    "一条龙",
    "一揽子",
    "一盘棋",
    "一张网",
    "一张图",
    "一件事",
    "一网通办",
    "一网统管",
    "一站式",
    "一体化",
    "一把手",
    "一窗受理",
    "三位一体",
    "两个确保",
    "两个维护",
    "四个意识",
    "四个自信",
    "四个全面",
    "十四五",
    "十三五",
    "十五五",
];

/// Horizon markers written before a year: `到2025年`.
pub(crate) static YEAR_BEFORE: &[&str] = &["到", "至", "截至", "截止", "截止到", "于", "在"];

/// Horizon markers written after a year: `2025年底前`.
pub(crate) static YEAR_AFTER: &[&str] = &["底", "末", "前", "内", "年底", "年末"];

/// Words before a year that make it a baseline, not a horizon: `比2020年`.
pub(crate) static YEAR_BASELINE: &[&str] = &["比", "较", "与", "同", "自", "从"];

/// A word table grouped by last character, longest word first: the
/// longest row a text ends with costs one binary search and a few
/// comparisons, not a pass over the table. Words are unique.
pub(crate) struct Suffixes<T> {
    by_last: ByFirst<(&'static str, T)>,
    /// The last characters of the words: a text ending in any other is
    /// passed over without the binary search (most text before a number
    /// ends in none).
    last: CharSet,
}

impl<T: Copy> Suffixes<T> {
    /// The rows of `table`.
    pub(crate) fn new(table: &[(&'static str, T)]) -> Suffixes<T> {
        let mut by_last = ByFirst::new(
            table
                .iter()
                .filter_map(|&(w, v)| Some((w.chars().next_back()?, (w, v)))),
        );
        for group in by_last.groups_mut() {
            group.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        let last = CharSet::new(by_last.keys().iter().copied());
        Suffixes { by_last, last }
    }

    /// The longest row that `text` ends with, and its length.
    pub(crate) fn longest(&self, text: &str) -> Option<(usize, T)> {
        let last = text.chars().next_back()?;
        // The set holds the Basic Multilingual Plane only.
        if u32::from(last) <= 0xFFFF && !self.last.contains(last) {
            return None;
        }
        self.by_last
            .get(last)?
            .iter()
            .find(|(w, _)| text.ends_with(w))
            .map(|&(w, v)| (w.len(), v))
    }
}

/// [`BOUND_BEFORE`] by last character.
pub(crate) static BOUND_BEFORE_ENDINGS: LazyLock<Suffixes<Bound>> =
    LazyLock::new(|| Suffixes::new(&BOUND_BEFORE));

/// [`VERBS`] by last character.
pub(crate) static VERB_ENDINGS: LazyLock<Suffixes<Role>> = LazyLock::new(|| Suffixes::new(VERBS));

/// The longest row of `table` that `text` starts with, and its length.
pub(crate) fn starts_with_any<'t, T: Copy>(
    text: &str,
    table: &'t [(&'t str, T)],
) -> Option<(usize, T)> {
    let head = text.as_bytes().get(..2)?;
    table
        .iter()
        .filter(|(w, _)| w.as_bytes().get(..2) == Some(head) && text.starts_with(w))
        .max_by_key(|(w, _)| w.len())
        .map(|(w, v)| (w.len(), *v))
}

/// The longest word of `words` that `text` starts with.
pub(crate) fn starts_with_word<'t>(text: &str, words: &[&'t str]) -> Option<&'t str> {
    let head = text.as_bytes().get(..2)?;
    words
        .iter()
        .filter(|w| w.as_bytes().get(..2) == Some(head) && text.starts_with(**w))
        .max_by_key(|w| w.len())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::{
        BOUND_AFTER, BOUND_BEFORE, Bound, ByFirst, CharSet, MODALITY, NUMERAL_WORDS, Suffixes,
        VERBS, VERBS_BY_FIRST, bound_after_at, modality_at, numeral_word_at, starts_with_any,
        verb_at,
    };

    /// The byte loop finds exactly what decoding every `char` finds, on
    /// text mixing one-, two-, three- and four-byte characters, members in
    /// blocks with other members and alone in theirs.
    /// `Suffixes` finds what a pass over the table finds: the longest
    /// word a text ends with; the tables have no word twice.
    #[test]
    fn suffixes_find_the_longest_ending() {
        for table in [
            &BOUND_BEFORE[..],
            VERBS
                .iter()
                .map(|&(w, _)| (w, Bound::Exact))
                .collect::<Vec<_>>()
                .as_slice(),
        ] {
            let mut words: Vec<&str> = table.iter().map(|(w, _)| *w).collect();
            words.sort_unstable();
            let n = words.len();
            words.dedup();
            assert_eq!(words.len(), n, "a word twice");
            let index = Suffixes::new(table);
            for (w, _) in table {
                for text in [
                    w.to_string(),
                    format!("力争{w}"),
                    format!("{w}了"),
                    String::new(),
                ] {
                    let naive = table
                        .iter()
                        .filter(|(x, _)| text.ends_with(x))
                        .map(|(x, _)| x.len())
                        .max();
                    assert_eq!(index.longest(&text).map(|(len, _)| len), naive, "{text}");
                }
            }
        }
    }

    /// The first-character index and the second-character test find the
    /// longest modality word, as a pass over the table does, whatever
    /// character of the Basic Multilingual Plane follows a first one.
    #[test]
    fn modality_by_first_character() {
        assert!(MODALITY.iter().all(|(w, _)| w.chars().count() >= 2));
        for (w, _) in MODALITY {
            let first = w.chars().next().unwrap_or_default();
            for c in '\0'..='\u{ffff}' {
                let text = format!("{first}{c}");
                assert_eq!(
                    modality_at(&text),
                    starts_with_any(&text, MODALITY),
                    "{text}"
                );
            }
        }
        for (w, _) in MODALITY {
            for text in [
                w.to_string(),
                format!("{w}实现"),
                format!("实{w}"),
                "力".into(),
                String::new(),
            ] {
                assert_eq!(
                    modality_at(&text),
                    starts_with_any(&text, MODALITY),
                    "{text}"
                );
            }
        }
    }

    /// The first-character test leaves the table's answer unchanged.
    #[test]
    fn bound_after_by_first_character() {
        for (w, _) in BOUND_AFTER.iter() {
            for text in [
                w.to_string(),
                format!("{w}的"),
                format!("的{w}"),
                "以".into(),
                String::new(),
            ] {
                assert_eq!(
                    bound_after_at(&text),
                    starts_with_any(&text, &BOUND_AFTER),
                    "{text}"
                );
            }
        }
    }

    /// The first-character index finds the word a pass over the table
    /// finds.
    #[test]
    fn numeral_words_by_first_character() {
        let naive = |t: &str| NUMERAL_WORDS.iter().find(|w| t.starts_with(**w)).copied();
        for w in NUMERAL_WORDS {
            let cut: String = w.chars().take(w.chars().count() - 1).collect();
            for text in [
                w.to_string(),
                format!("{w}了"),
                format!("了{w}"),
                cut.clone(),
                format!("{cut}五"),
            ] {
                assert_eq!(numeral_word_at(&text), naive(&text), "{text}");
            }
        }
        assert_eq!(numeral_word_at(""), None);
        assert_eq!(numeral_word_at("一"), None);
        // The second-character test reads bytes 3 to 6 of each word.
        assert!(
            NUMERAL_WORDS
                .iter()
                .all(|w| w.chars().count() >= 2 && w.chars().all(|c| c.len_utf8() == 3))
        );
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        /// The byte walk, with its lead-byte table, finds what decoding
        /// every `char` finds, on text of every width of character: runs
        /// of three-byte characters in blocks with members and without,
        /// cut by one-, two- and four-byte ones.
        #[test]
        fn members_match_a_char_walk(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "0", ",", "é", "ž", "ȳ", "一", "丁", "万", "的", "是", "（", "，",
                "。", "确", "保", "\u{e000}", "\u{fff0}", "\u{800}", "🙂", "😀", "\n",
            ]),
            0..30,
        )) {
            let text = s.concat();
            let set = CharSet::new("0,；。é确ž一万亿（\u{fff0}".chars());
            let naive: Vec<(usize, u32)> = text
                .char_indices()
                .filter(|&(_, c)| set.contains(c))
                .map(|(i, c)| (i, c as u32))
                .collect();
            proptest::prop_assert_eq!(set.members(&text).collect::<Vec<_>>(), naive);
        }
    }

    /// The character filters of [`verb_at`] and [`numeral_word_at`] keep
    /// what a pass over their tables finds, after every character of the
    /// Basic Multilingual Plane.
    #[test]
    fn word_filters_match_a_pass() {
        let verb = |t: &str| {
            VERBS
                .iter()
                .filter(|(w, _)| t.starts_with(w))
                .max_by_key(|(w, _)| w.len())
                .copied()
        };
        let numeral = |t: &str| NUMERAL_WORDS.iter().find(|w| t.starts_with(**w)).copied();
        assert!(NUMERAL_WORDS.iter().all(|w| w.chars().count() >= 2));
        let firsts: Vec<char> = VERBS
            .iter()
            .map(|(w, _)| w)
            .chain(NUMERAL_WORDS)
            .filter_map(|w| w.chars().next())
            .collect();
        for c in ('\0'..='\u{ffff}').step_by(7).chain(['值', '长', '到']) {
            for f in &firsts {
                let text = format!("{f}{c}");
                assert_eq!(verb_at(&text), verb(&text), "{text}");
                assert_eq!(numeral_word_at(&text), numeral(&text), "{text}");
            }
        }
        for (w, _) in VERBS {
            for text in [
                w.to_string(),
                format!("{w}值"),
                format!("{w}的"),
                format!("x{w}"),
            ] {
                assert_eq!(verb_at(&text), verb(&text), "{text}");
            }
        }
        for w in NUMERAL_WORDS {
            for text in [w.to_string(), format!("{w}了")] {
                assert_eq!(numeral_word_at(&text), numeral(&text), "{text}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        /// As [`word_filters_match_a_pass`], on text of verb, numeral and
        /// other characters.
        #[test]
        fn word_filters_match_a_pass_on_the_alphabet(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "增", "长", "达", "到", "新", "建", "设", "翻", "一", "千", "家", "万", "户",
                "十", "四", "五", "体", "化", "提", "高", "至", "的", "a", "，",
            ]),
            0..6,
        )) {
            let text = s.concat();
            let verb = VERBS
                .iter()
                .filter(|(w, _)| text.starts_with(w))
                .max_by_key(|(w, _)| w.len())
                .copied();
            proptest::prop_assert_eq!(verb_at(&text), verb);
            let numeral = NUMERAL_WORDS.iter().find(|w| text.starts_with(**w)).copied();
            proptest::prop_assert_eq!(numeral_word_at(&text), numeral);
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        /// The last-character filter of `Suffixes` keeps what a pass over
        /// the table finds.
        #[test]
        fn suffixes_match_a_pass(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "不", "低", "于", "超", "过", "近", "约", "为", "控", "制", "在", "增", "长",
                "的", "a", "🙂", "，",
            ]),
            0..6,
        )) {
            let text = s.concat();
            let naive = BOUND_BEFORE
                .iter()
                .filter(|(w, _)| text.ends_with(w))
                .map(|&(w, b)| (w.len(), b))
                .max_by_key(|&(len, _)| len);
            proptest::prop_assert_eq!(super::BOUND_BEFORE_ENDINGS.longest(&text), naive);
        }
    }

    /// The counted-bits lookup of `ByFirst` finds the group a binary search
    /// over the keys finds, for every character, keys beyond the Basic
    /// Multilingual Plane too.
    #[test]
    fn by_first_matches_a_binary_search() {
        let keys = "a0一丁万确保的🙂😀\u{ffff}\u{3f}\u{40}".chars();
        let map = ByFirst::new(keys.clone().map(|c| (c, c)).chain([('一', 'x')]));
        let check = |c: char| {
            let expected = map.keys.binary_search(&c).ok().map(|k| &map.rows[k][..]);
            assert_eq!(map.get(c), expected, "{c:?}");
        };
        for c in ('\0'..='\u{ffff}').chain(['🙂', '😀', '😁', '\u{10ffff}']) {
            check(c);
        }
        assert_eq!(map.get('一'), Some(&['一', 'x'][..]));
        for &k in VERBS_BY_FIRST.keys() {
            assert_eq!(
                VERBS_BY_FIRST.get(k).map(|r| r[0].0.chars().next()),
                Some(Some(k))
            );
        }
    }

    #[test]
    fn positions_match_a_char_walk() {
        let members = "0,；。é确ž一万亿（".chars();
        let set = CharSet::new(members);
        let text = "a0b,c；d。é确保ž一🙂万（x）亿ȳ丁1，2😀三é0的是的一丁丁的是（是的是";
        let expected: Vec<usize> = text
            .char_indices()
            .filter(|&(_, c)| set.contains(c))
            .map(|(i, _)| i)
            .collect();
        let found: Vec<usize> = set.positions(text).collect();
        assert_eq!(found, expected);
        assert!(found.len() >= 12, "the text holds members: {found:?}");
        assert_eq!(set.positions("").count(), 0);
        assert_eq!(set.positions("🙂🙂丁").count(), 0);
        let chars: Vec<(usize, u32)> = text
            .char_indices()
            .filter(|&(_, c)| set.contains(c))
            .map(|(i, c)| (i, c as u32))
            .collect();
        assert_eq!(set.members(text).collect::<Vec<_>>(), chars);
        // From every start: runs of three-byte characters end at every
        // kind of character and at the end of the text.
        for (k, _) in text.char_indices() {
            let t = &text[k..];
            let naive: Vec<(usize, u32)> = t
                .char_indices()
                .filter(|&(_, c)| set.contains(c))
                .map(|(i, c)| (i, c as u32))
                .collect();
            assert_eq!(set.members(t).collect::<Vec<_>>(), naive, "{t}");
        }
        let other = CharSet::new("🙂x丁".chars());
        let both = set.union(&other);
        for c in text.chars() {
            assert_eq!(
                both.contains(c),
                set.contains(c) || other.contains(c),
                "{c}"
            );
        }
    }
}
