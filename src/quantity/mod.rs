//! Stage 3b: quantities and targets.
//!
//! Two layers:
//!
//! - **Quantities** ([`find_quantities`]): every number in a text with its
//!   unit, wherever it is: `2500亿元`, `5.5%`, `百分之五`, `三分之一`,
//!   `120万吨标准煤`, `3%～5%`, `2023年`. This layer stands on its own for
//!   users who need only numbers and units.
//! - **Targets** ([`find_targets`], and the per-task extraction the outline
//!   stage runs): the quantities a task commits to, with what they measure
//!   (`力争规上工业增加值增长5.5%` → subject 规上工业增加值, verb 增长,
//!   5.5 %, strive). Thresholds that describe a noun (`10亿元以上制造业重大项目`),
//!   parts of names (`世界500强`, `“十四五”`), years and dates are not
//!   targets.
//!
//! Values are exact ([`Decimal`]): `12.6亿吨` normalizes to exactly
//! 1 260 000 000 吨. The unit lexicon (`unit.rs`) and the bound, modality
//! and verb words (`words.rs`) are one table each.

mod decimal;
mod find;
mod numeral;
mod target;
mod unit;
mod words;

pub use decimal::{Decimal, ParseDecimalError};

use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::string::Str;
use serde::{Deserialize, Serialize};

/// What a quantity measures.
///
/// In JSON this is the `kind` field of the enclosing object, in snake case
/// (`"kind": "percentage_point"`). Two kinds carry one more field beside
/// it: a currency its ISO 4217 code (`"kind": "currency", "currency":
/// "CNY"`; `XBT` for bitcoin), a count its classifier (`"kind": "count",
/// "classifier": "家"`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Kind {
    /// Money: `亿元`, `亿美元`, `￥300`.
    Currency {
        /// ISO 4217 code: `CNY`, `USD`, …
        currency: Str,
    },
    /// Things counted with a classifier: `家 个 项 件 名 列 所 户 套 辆 张` ….
    Count {
        /// The classifier, in its simplified form.
        classifier: Str,
    },
    /// Percent: `%`, `百分之`, `千分之` (normalized to %), `成` (tenths).
    Percent,
    /// Percentage points: `个百分点`. Not percent.
    PercentagePoint,
    /// Mass: `吨`, `公斤`.
    Mass,
    /// Area: `亩`, `公顷`, `平方公里`.
    Area,
    /// Volume: `立方米`, `升`.
    Volume,
    /// Length: `公里`, `米`.
    Length,
    /// Energy: `吨标准煤`, `千瓦时`.
    Energy,
    /// Power: `千瓦`, `兆瓦`.
    Power,
    /// Containers: `标箱` (TEU).
    Container,
    /// People: `人`.
    People,
    /// Person-times: `人次`.
    PersonTimes,
    /// A multiple: `两倍`, `翻一番` (normalized to 倍: `翻一番` is 2 倍).
    Multiplier,
    /// A duration: `3年`, `6个月`, `5个工作日`.
    Time,
    /// A calendar year, month or day: `2025年`, `6月`. Never a target.
    Date,
    /// Information: `字节`, `比特`.
    Data,
    /// Frequency: `赫兹`.
    Frequency,
    /// Concentration: `微克/立方米`.
    Concentration,
    /// A fraction with no unit: `三分之一`.
    Fraction,
    /// A number with no unit.
    Number,
}

/// How a target's number bounds the true value.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Bound {
    /// The value exactly: no bound word.
    Exact,
    /// At least: `以上`, `不低于`, `不少于`.
    AtLeast,
    /// More than: `超过`, `超`, `突破`, and `余` `多` after a number.
    MoreThan,
    /// About: `左右`, `约`, `近`.
    About,
    /// At most: `以内`, `以下`, `不超过`, `控制在…`.
    AtMost,
    /// A range from the value to `upper`: `5%—6%`, `3%～5%`, `1到2个`.
    Range,
}

/// How firmly a target is promised.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Modality {
    /// `确保`.
    Ensure,
    /// `力争`, `努力`, `争取`.
    Strive,
}

/// A value in its base unit: the unit without its myriad magnitude, with
/// synonyms folded (`12.6亿吨` → 1260000000 吨; `5万亩` → 50000 亩;
/// `千米` → 公里; `百分之`, `千分之`, `成` → %; `翻一番` → 2 倍).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Normalized {
    /// The exact value.
    pub value: Decimal,
    /// The base unit; null for a bare fraction.
    pub unit: Option<Str>,
    /// The upper end of a range, in the same unit. Left out of JSON when
    /// there is no range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<Decimal>,
}

/// A number with its unit, found anywhere in a text.
///
/// JSON: `{text, span, number_span, number, value, upper, unit,
/// normalized, kind, …, bound}`, with `kind` as described at [`Kind`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Quantity {
    /// The quantity as written: sign, number, unit, and a range's upper end.
    pub text: Str,
    /// Where it is.
    pub span: Span,
    /// Where the numeral is (a `万`/`亿` magnitude included).
    pub number_span: Span,
    /// The numeral's value, magnitude included (`5000万元` → 50000000).
    pub number: Decimal,
    /// The value as written in `unit` (`5000万元` → 5000).
    pub value: Decimal,
    /// The upper end of a range, in `unit`.
    pub upper: Option<Decimal>,
    /// The unit as written, with its magnitude (`亿元`, `万标箱`, `%`,
    /// `百分之`, `个百分点`); null for a bare number.
    pub unit: Option<Str>,
    /// The value in the base unit; null for a bare number or a date.
    pub normalized: Option<Normalized>,
    /// What it measures.
    #[serde(flatten)]
    pub kind: Kind,
    /// A bound written inside the quantity: `十余万`, `200多家` (more than),
    /// `二十几万` (about), or a range.
    pub bound: Option<Bound>,
}

/// A quantitative target a task commits to.
///
/// JSON, one object per target:
///
/// ```json
/// {"text": "力争实际使用外资突破200亿美元", "span": [120, 162],
///  "value": 200, "unit": "亿美元",
///  "normalized": {"value": 20000000000, "unit": "美元"},
///  "kind": "currency", "currency": "USD",
///  "bound": "more_than", "upper": null, "modality": "strive",
///  "verb": "突破", "subject": "实际使用外资", "each": false, "year": null}
/// ```
///
/// `kind` is flattened from [`Kind`]: `currency` and count's `classifier`
/// appear only for those kinds. `normalized.upper` appears only for ranges.
/// Numbers are exact (see [`Decimal`]).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Target {
    /// The whole phrase as written, from its clause or list item to the
    /// bound word after the number (or to the noun counted, as in
    /// `新增6个“一件事”`).
    pub text: Str,
    /// Where the phrase is in the decoded text.
    pub span: Span,
    /// The value as written in `unit`.
    pub value: Decimal,
    /// The unit as written, with its magnitude (`亿元`, `万标箱`, `%`);
    /// null for a bare fraction.
    pub unit: Option<Str>,
    /// The exact value in the base unit.
    pub normalized: Normalized,
    /// What the number measures.
    #[serde(flatten)]
    pub kind: Kind,
    /// How the number bounds the value.
    pub bound: Bound,
    /// The upper end of a range (`bound` is `range`), in `unit`.
    pub upper: Option<Decimal>,
    /// `确保` (ensure) or `力争`/`努力` (strive), for the clause the target
    /// is in.
    pub modality: Option<Modality>,
    /// The verb tying subject and number: `增长`, `新增`, `完成`, `突破`,
    /// `保持在`, `淘汰整治` …; shared along a `、` list.
    pub verb: Option<Str>,
    /// What the number measures (`规上工业增加值`), without the modality
    /// word, the verb or the number.
    pub subject: Option<Str>,
    /// True when `各` gives the number to each of several subjects
    /// (`领军人才、优秀青年人才各500名`): there is one target per subject.
    pub each: bool,
    /// The horizon year, when the text gives one (`到2025年`).
    pub year: Option<u32>,
}

/// Finds every quantity in a text, in text order, with spans relative to
/// `text`: numbers with their units, bare numbers, percentages, fractions,
/// ranges, years and dates.
///
/// Single Chinese numerals stand alone only where they cannot be part of a
/// word: `一流`, `四川`, `统一` hold no quantity, but `十个` and `“五”` do.
/// Ordinals (`第三`), outline markers (`四、`), numerals inside words
/// (`千方百计`, `“十四五”`) and numbers glued to Latin letters (`5G`,
/// `PM2.5`) are skipped.
///
/// ```
/// use zhengce::quantity::{find_quantities, Kind};
/// let qs = find_quantities("宁波舟山港货物吞吐量12.6亿吨");
/// assert_eq!(qs[0].text, "12.6亿吨");
/// assert_eq!(qs[0].unit.as_deref(), Some("亿吨"));
/// assert_eq!(qs[0].normalized.as_ref().unwrap().value.to_string(), "1260000000");
/// assert_eq!(qs[0].kind, Kind::Mass);
/// ```
pub fn find_quantities(text: &str) -> Vec<Quantity> {
    find::scan(text).iter().map(|f| f.quantity(text)).collect()
}

/// Finds the targets in any text, treating it as one task: spans are
/// relative to `text`. Diagnostics are for numbers followed by a unit the
/// lexicon does not know.
///
/// ```
/// use zhengce::quantity::{find_targets, Bound, Modality};
/// let (targets, _) = find_targets("力争规上工业增加值增长5.5%。");
/// assert_eq!(targets[0].subject.as_deref(), Some("规上工业增加值"));
/// assert_eq!(targets[0].verb.as_deref(), Some("增长"));
/// assert_eq!(targets[0].value.to_string(), "5.5");
/// assert_eq!(targets[0].modality, Some(Modality::Strive));
/// assert_eq!(targets[0].bound, Bound::Exact);
/// ```
pub fn find_targets(text: &str) -> (Vec<Target>, Vec<Diagnostic>) {
    target::extract(text, 0)
}

/// Finds the targets in one task's text. `offset` is where `text` starts in
/// the decoded document; every span returned is absolute.
pub(crate) fn extract_targets(text: &str, offset: usize) -> (Vec<Target>, Vec<Diagnostic>) {
    target::extract(text, offset)
}

#[cfg(test)]
mod tests;
