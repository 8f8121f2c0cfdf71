//! Runs Microsoft Recognizers-Text's Chinese test specs (MIT; copies and
//! provenance in `tests/conformance/recognizers-text/`) through
//! [`find_quantities`] and checks values and spans.
//!
//! Kinds of case that policy text never needs, or where the spec's answer
//! is not a quantity reading, are excluded whole, each with its reason (see
//! `EXCLUSIONS_*`). Everything else counts, including cases the spec marks
//! as unsupported by some of its own implementations. Each file's pass
//! count is printed and must not fall below the floor recorded here.
//!
//! How a case is compared: the spec gives, per result, the span (`Start`,
//! `End`, inclusive, in characters) and the value. We take the quantities
//! of the kinds the model covers and compare the lists in order.
//! - Number: every quantity's numeral (`number_span`, `number`).
//! - Percent: percent and percentage-point quantities, whole span; the
//!   value in % (percentage points count as their number, as the spec does).
//! - Currency: currency quantities, whole span, normalized value and ISO code.
//! - Dimension: measure quantities, whole span, value in the spec's unit.

use serde_json::Value;
use std::path::PathBuf;
use zhengce::Span;
use zhengce::quantity::{Decimal, Kind, find_quantities};

/// One result the spec expects.
#[derive(Debug)]
struct Expected {
    start: usize,
    end: usize,
    value: Option<String>,
    unit: Option<String>,
    iso: Option<String>,
}

/// One result we give, in the same terms.
#[derive(Debug)]
struct Got {
    start: usize,
    end: usize,
    value: Decimal,
    /// Our base unit (Dimension) or currency code (Currency).
    tag: Option<String>,
}

struct Case {
    input: String,
    expected: Vec<Expected>,
    not_supported: String,
}

/// A kind of case left out, and why.
struct Exclusion {
    reason: &'static str,
    applies: fn(&Case) -> bool,
}

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/recognizers-text")
}

fn load(rel: &str) -> Vec<Case> {
    let path = spec_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "conformance spec {} is missing or unreadable: {e}",
            path.display()
        )
    });
    let json: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases = json
        .as_array()
        .unwrap_or_else(|| panic!("{}: expected an array", path.display()));
    assert!(!cases.is_empty(), "{} has no cases", path.display());
    cases
        .iter()
        .map(|c| Case {
            input: c["Input"].as_str().expect("Input is a string").to_owned(),
            not_supported: c
                .get("NotSupported")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            expected: c["Results"]
                .as_array()
                .expect("Results is an array")
                .iter()
                .map(|r| {
                    let res = &r["Resolution"];
                    let s = |k: &str| res.get(k).and_then(Value::as_str).map(str::to_owned);
                    Expected {
                        start: r["Start"].as_u64().expect("Start") as usize,
                        end: r["End"].as_u64().expect("End") as usize,
                        value: s("value"),
                        unit: s("unit"),
                        iso: s("isoCurrency"),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Character index of byte offset `b` in `text`.
fn chars(text: &str, b: usize) -> usize {
    text[..b].chars().count()
}

/// Equal values: exactly, or, when the spec wrote a rounded value (15
/// significant digits or an exponent), to within rounding.
fn same_value(got: Decimal, want: &str) -> bool {
    let want = want.trim_end_matches('%');
    if Decimal::parse(want) == Some(got) {
        return true;
    }
    let digits = want.chars().filter(char::is_ascii_digit).count();
    let rounded = digits >= 15 || want.contains(['E', 'e']);
    let Ok(w) = want.parse::<f64>() else {
        return false;
    };
    rounded && (got.to_f64() - w).abs() <= 1e-12 * w.abs().max(1.0)
}

/// A spec unit name as our base unit and the factor to it.
fn spec_unit(name: &str) -> Option<(&'static str, i128, i128)> {
    Some(match name {
        "Mu" => ("亩", 1, 1),
        "Kilogram" => ("公斤", 1, 1),
        "Gram" => ("克", 1, 1),
        "Microgram" => ("微克", 1, 1),
        "Ton" => ("吨", 1, 1),
        "Jin" => ("斤", 1, 1),
        "Liang" => ("两", 1, 1),
        "Meter" => ("米", 1, 1),
        "Kilometer" => ("公里", 1, 1),
        "Centimeter" => ("厘米", 1, 1),
        "Bit" => ("比特", 1, 1),
        "Kilobit" => ("比特", 1000, 1),
        "Kilobyte" => ("字节", 1000, 1),
        "Megabyte" => ("兆字节", 1, 1),
        "Hertz" => ("赫兹", 1, 1),
        "Megahertz" => ("兆赫兹", 1, 1),
        "Kilowatt" => ("千瓦", 1, 1),
        "Kilocalorie" => ("千卡", 1, 1),
        _ => return None,
    })
}

fn matches(got: &[Got], want: &[Expected], dimension: bool) -> bool {
    if got.len() != want.len() {
        return false;
    }
    got.iter().zip(want).all(|(g, w)| {
        let span = g.start == w.start && g.end == w.end;
        let value = match (&w.value, dimension) {
            (Some(v), false) => same_value(g.value, v),
            (Some(v), true) => match w.unit.as_deref().and_then(spec_unit) {
                Some((base, num, den)) => {
                    let scaled = Decimal::parse(v)
                        .and_then(|d| d.checked_mul(Decimal::new(num, den)?))
                        .map(|d| d.to_string());
                    g.tag.as_deref() == Some(base)
                        && scaled.is_some_and(|s| same_value(g.value, &s))
                }
                None => false,
            },
            (None, _) => false,
        };
        let iso = w.iso.is_none() || dimension || w.iso == g.tag;
        span && value && iso
    })
}

struct Report {
    passed: usize,
    included: usize,
    python_passed: usize,
    python_included: usize,
    excluded: Vec<(&'static str, usize)>,
}

fn run(
    rel: &str,
    exclusions: &[Exclusion],
    dimension: bool,
    actual: fn(&str) -> Vec<Got>,
) -> Report {
    let cases = load(rel);
    let mut report = Report {
        passed: 0,
        included: 0,
        python_passed: 0,
        python_included: 0,
        excluded: exclusions.iter().map(|e| (e.reason, 0)).collect(),
    };
    let mut failures = Vec::new();
    for case in &cases {
        if let Some(k) = exclusions.iter().position(|e| (e.applies)(case)) {
            report.excluded[k].1 += 1;
            continue;
        }
        let got = actual(&case.input);
        let ok = matches(&got, &case.expected, dimension);
        let python = !case.not_supported.contains("python");
        report.included += 1;
        report.python_included += usize::from(python);
        if ok {
            report.passed += 1;
            report.python_passed += usize::from(python);
        } else {
            failures.push(format!(
                "    {:?}\n      want {:?}\n      got  {:?}",
                case.input, case.expected, got
            ));
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "{rel}: passed {}/{} included cases ({:.1}%); on the cases Recognizers-Text's Python release runs: {}/{} ({:.1}%)",
        report.passed,
        report.included,
        pct(report.passed, report.included),
        report.python_passed,
        report.python_included,
        pct(report.python_passed, report.python_included),
    );
    for (reason, n) in &report.excluded {
        println!("  excluded {n}: {reason}");
    }
    if !failures.is_empty() {
        println!("  failing:\n{}", failures.join("\n"));
    }
    report
}

fn got(text: &str, span: Span, value: Decimal, tag: Option<String>) -> Got {
    Got {
        start: chars(text, span.start),
        end: chars(text, span.end).saturating_sub(1),
        value,
        tag,
    }
}

fn has_numeral_before(input: &str, word: char) -> bool {
    let v: Vec<char> = input.chars().collect();
    v.windows(2).any(|w| {
        w[1] == word
            && (w[0].is_ascii_digit()
                || "零一二三四五六七八九十百千万两壹贰叁肆伍陆柒捌玖拾佰仟萬兩".contains(w[0]))
    })
}

fn latin_suffix(input: &str) -> bool {
    let v: Vec<char> = input.chars().filter(|c| *c != ' ').collect();
    v.windows(2).enumerate().any(|(i, w)| {
        let digit = w[0].is_ascii_digit() || ('０'..='９').contains(&w[0]);
        let letter = matches!(w[1], 'k' | 'K' | 'Ｋ' | 'M');
        digit && letter && v.get(i + 2).is_none_or(|c| !c.is_ascii_alphabetic())
    })
}

fn scientific(input: &str) -> bool {
    let v: Vec<char> = input.chars().collect();
    input.contains('^')
        || v.windows(2).any(|w| {
            (w[0].is_ascii_digit() || ('０'..='９').contains(&w[0]) || w[0] == '.')
                && matches!(w[1], 'e' | 'E')
        })
}

const EXCLUSIONS_NUMBER: &[Exclusion] = &[
    Exclusion {
        reason: "scientific and power notation (2e5, 2^5, 1.1^+23): not written in policy text, and the spec's values are rounded floats",
        applies: |c| scientific(&c.input),
    },
    Exclusion {
        reason: "Latin magnitude suffixes k/M (40k, -2.5 M): not used in Chinese policy text, where k and M are unit letters (kW, MW)",
        applies: |c| latin_suffix(&c.input),
    },
    Exclusion {
        reason: "打 as 'dozen' (一打, 五十打): in policy text 打 is the verb of 打造, 打好, 打赢",
        applies: |c| has_numeral_before(&c.input, '打'),
    },
    Exclusion {
        reason: "ordinals after 第 (第零十刃): positions, not quantities; Recognizers-Text has a separate ordinal model",
        applies: |c| c.input.contains('第'),
    },
];

const EXCLUSIONS_PERCENT: &[Exclusion] = &[
    Exclusion {
        reason: "discounts with 折 (九折, 打对折, 三八折): retail notation, not used for policy targets",
        applies: |c| c.input.contains('折'),
    },
    Exclusion {
        reason: "Latin magnitude suffixes k/K (百分之15Ｋ, 12k个百分点): not used in Chinese policy text",
        applies: |c| latin_suffix(&c.input),
    },
];

const EXCLUSIONS_CURRENCY: &[Exclusion] = &[Exclusion {
    reason: "currency names with no amount (人民币 美元): not quantities",
    applies: |c| c.expected.iter().any(|e| e.value.is_none()),
}];

const EXCLUSIONS_DIMENSION: &[Exclusion] = &[];

fn number_results(input: &str) -> Vec<Got> {
    find_quantities(input)
        .iter()
        .map(|q| got(input, q.number_span, q.number, None))
        .collect()
}

fn percent_results(input: &str) -> Vec<Got> {
    find_quantities(input)
        .iter()
        .filter_map(|q| match q.kind {
            Kind::Percent | Kind::PercentagePoint => {
                Some(got(input, q.span, q.normalized.as_ref()?.value, None))
            }
            _ => None,
        })
        .collect()
}

fn currency_results(input: &str) -> Vec<Got> {
    find_quantities(input)
        .iter()
        .filter_map(|q| match &q.kind {
            Kind::Currency { currency } => Some(got(
                input,
                q.span,
                q.normalized.as_ref()?.value,
                Some(currency.to_string()),
            )),
            _ => None,
        })
        .collect()
}

fn dimension_results(input: &str) -> Vec<Got> {
    find_quantities(input)
        .iter()
        .filter(|q| {
            matches!(
                q.kind,
                Kind::Mass
                    | Kind::Area
                    | Kind::Volume
                    | Kind::Length
                    | Kind::Energy
                    | Kind::Power
                    | Kind::Container
                    | Kind::Data
                    | Kind::Frequency
                    | Kind::Concentration
            )
        })
        .filter_map(|q| {
            let n = q.normalized.as_ref()?;
            Some(got(
                input,
                q.span,
                n.value,
                n.unit.clone().map(String::from),
            ))
        })
        .collect()
}

/// Fails when a file's pass count falls below its floor, or below
/// Recognizers-Text's own Python rate on the cases it runs.
fn check(report: &Report, floor: usize, python_rate: f64) {
    assert!(
        report.passed >= floor,
        "regression: {} passed, floor is {floor}",
        report.passed
    );
    let rate = report.python_passed as f64 / report.python_included.max(1) as f64;
    assert!(
        rate > python_rate,
        "rate {rate:.3} does not beat Recognizers-Text's {python_rate:.3}"
    );
}

#[test]
fn number_model() {
    let r = run(
        "Number/Chinese/NumberModel.json",
        EXCLUSIONS_NUMBER,
        false,
        number_results,
    );
    check(&r, 326, 332.0 / 359.0);
}

#[test]
fn percent_model() {
    let r = run(
        "Number/Chinese/PercentModel.json",
        EXCLUSIONS_PERCENT,
        false,
        percent_results,
    );
    check(&r, 119, 139.0 / 152.0);
}

#[test]
fn currency_model() {
    let r = run(
        "NumberWithUnit/Chinese/CurrencyModel.json",
        EXCLUSIONS_CURRENCY,
        false,
        currency_results,
    );
    check(&r, 32, 27.0 / 29.0);
}

#[test]
fn dimension_model() {
    let r = run(
        "NumberWithUnit/Chinese/DimensionModel.json",
        EXCLUSIONS_DIMENSION,
        true,
        dimension_results,
    );
    check(&r, 34, 0.0);
}
