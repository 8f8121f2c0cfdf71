//! [`Decimal`]: an exact number, for values that must not be rounded.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::num::NonZeroI128;
use std::str::FromStr;

/// An exact number: an integer numerator over a positive denominator, kept
/// in lowest terms, with checked arithmetic (an overflow gives `None`, never
/// a wrong value or a panic).
///
/// Every number written in decimal notation (`12.6`, `1.2万亿`) is held
/// without rounding, and so is a fraction such as `三分之一` (1/3).
///
/// `Display` writes a terminating value in plain decimal notation
/// (`1260000000`, `0.0005`, `-2.5`) and any other fraction as `1/3`.
///
/// In JSON a value is a number written exactly: an integer that fits in
/// 64 bits, or a decimal whose shortest `f64` spelling is the exact value
/// (`12.6`, `0.0005`). Anything else (more than 64 bits, more digits than an
/// `f64` keeps, or a fraction like 1/3) is a string: `"1/3"`,
/// `"123456789012345678901234"`. Deserializing accepts numbers and strings,
/// so every value round-trips.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    num: i128,
    // Never zero: that is what lets `Option<Decimal>` take no more room
    // than a `Decimal` (its `None` is the zero denominator), and a target
    // holds two.
    den: NonZeroI128,
}

/// The greatest common divisor, by Euclid. Once both fit in 64 bits, as
/// the numbers of policy texts nearly always do, the steps go on in 64-bit
/// arithmetic: a 128-bit remainder is a library call many times dearer.
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        if let (Ok(x), Ok(y)) = (u64::try_from(a), u64::try_from(b)) {
            return u128::from(gcd64(x, y));
        }
        (a, b) = (b, a % b);
    }
    a
}

/// [`gcd`] in 64 bits.
fn gcd64(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The denominator of an integer.
const UNIT: NonZeroI128 = NonZeroI128::new(1).unwrap();

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal { num: 0, den: UNIT };
    /// One.
    pub const ONE: Decimal = Decimal { num: 1, den: UNIT };

    /// The integer `n`.
    pub const fn from_int(n: i128) -> Decimal {
        Decimal { num: n, den: UNIT }
    }

    /// `num / den` in lowest terms; `None` when `den` is zero or the value
    /// does not fit.
    pub fn new(num: i128, den: i128) -> Option<Decimal> {
        if den == 1 {
            return Some(Decimal::from_int(num));
        }
        if den == 0 {
            return None;
        }
        let g = gcd(num.unsigned_abs(), den.unsigned_abs());
        // `g` divides both, so it fits in i128 unless both are i128::MIN.
        let g = i128::try_from(g).ok()?;
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        Some(Decimal {
            num,
            den: NonZeroI128::new(den)?,
        })
    }

    /// `10^exp`, or `None` when it does not fit.
    pub fn pow10(exp: u32) -> Option<Decimal> {
        10i128.checked_pow(exp).map(Decimal::from_int)
    }

    /// The numerator, in lowest terms (carries the sign).
    pub const fn numerator(self) -> i128 {
        self.num
    }

    /// The denominator, in lowest terms (always positive).
    pub const fn denominator(self) -> i128 {
        self.den.get()
    }

    /// [`Decimal::denominator`], for the arithmetic.
    const fn den(self) -> i128 {
        self.den.get()
    }

    /// True when the value is a whole number.
    pub const fn is_integer(self) -> bool {
        self.den() == 1
    }

    /// True when the value is zero.
    pub const fn is_zero(self) -> bool {
        self.num == 0
    }

    /// True when the value is below zero.
    pub const fn is_negative(self) -> bool {
        self.num < 0
    }

    /// The value as an integer, when it is one.
    pub fn to_integer(self) -> Option<i128> {
        self.is_integer().then_some(self.num)
    }

    /// The nearest `f64` (approximate; for display or comparison only).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den() as f64
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        if self.den() == 1 && other.den() == 1 {
            return Some(Decimal::from_int(self.num.checked_add(other.num)?));
        }
        if self.den() == other.den() {
            return Decimal::new(self.num.checked_add(other.num)?, self.den());
        }
        let g = i128::try_from(gcd(self.den().unsigned_abs(), other.den().unsigned_abs())).ok()?;
        let den = (self.den() / g).checked_mul(other.den())?;
        let a = self.num.checked_mul(other.den() / g)?;
        let b = other.num.checked_mul(self.den() / g)?;
        Decimal::new(a.checked_add(b)?, den)
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        self.checked_add(other.checked_neg()?)
    }

    /// `self × other`, or `None` on overflow.
    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        if self.den() == 1 && other.den() == 1 {
            // Two integers of 64 bits, as nearly all are, multiply in one
            // widening step that cannot overflow: a checked 128-bit product
            // is a library call.
            if let (Ok(a), Ok(b)) = (i64::try_from(self.num), i64::try_from(other.num)) {
                return Some(Decimal::from_int(i128::from(a) * i128::from(b)));
            }
            return Some(Decimal::from_int(self.num.checked_mul(other.num)?));
        }
        // Cross-reduce first so that exact products of large values still fit.
        let g1 = i128::try_from(gcd(self.num.unsigned_abs(), other.den().unsigned_abs())).ok()?;
        let g2 = i128::try_from(gcd(other.num.unsigned_abs(), self.den().unsigned_abs())).ok()?;
        let (g1, g2) = (g1.max(1), g2.max(1));
        let num = (self.num / g1).checked_mul(other.num / g2)?;
        let den = (self.den() / g2).checked_mul(other.den() / g1)?;
        Decimal::new(num, den)
    }

    /// `self ÷ other`, or `None` when `other` is zero or on overflow.
    ///
    /// An integer divided by an integer that divides it (`5000万` back to
    /// 5000: a magnitude taken off) is one integer division: the quotient
    /// is the value in lowest terms that the general path, with its
    /// reductions, would give. `i128::MIN` as divisor, whose reciprocal
    /// does not fit, and a quotient that overflows take the general path.
    pub fn checked_div(self, other: Decimal) -> Option<Decimal> {
        if other.num == 0 {
            return None;
        }
        if self.den() == 1
            && other.den() == 1
            && other.num != i128::MIN
            && let Some(q) = self.num.checked_div(other.num)
            && q.checked_mul(other.num) == Some(self.num)
        {
            return Some(Decimal::from_int(q));
        }
        self.checked_mul(Decimal::new(other.den(), other.num)?)
    }

    /// `-self`, or `None` on overflow.
    pub fn checked_neg(self) -> Option<Decimal> {
        Some(Decimal {
            num: self.num.checked_neg()?,
            den: self.den,
        })
    }

    /// `2^exp`, or `None` when it does not fit.
    pub fn pow2(exp: u32) -> Option<Decimal> {
        2i128.checked_pow(exp).map(Decimal::from_int)
    }

    /// The value as a plain decimal string when it terminates (its
    /// denominator has no prime factor but 2 and 5), else `None`.
    fn decimal_string(self) -> Option<String> {
        let mut den = self.den();
        let (mut twos, mut fives) = (0u32, 0u32);
        while den % 2 == 0 {
            den /= 2;
            twos += 1;
        }
        while den % 5 == 0 {
            den /= 5;
            fives += 1;
        }
        if den != 1 {
            return None;
        }
        let scale = twos.max(fives);
        // num / den = num × (10^scale / den) / 10^scale
        let factor = 10i128.checked_pow(scale)? / self.den();
        let scaled = self.num.checked_mul(factor)?;
        let digits = scaled.unsigned_abs().to_string();
        let scale = scale as usize;
        let mut out = String::with_capacity(digits.len() + scale + 3);
        if scaled < 0 {
            out.push('-');
        }
        if scale == 0 {
            out.push_str(&digits);
        } else if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(&digits);
        }
        Some(out)
    }

    /// Parses an ASCII decimal: optional sign, digits with an optional
    /// fractional part, optional exponent (`5E-06`); or a fraction `n/d`.
    /// `None` when the text is not one or the value does not fit.
    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        if let Some((n, d)) = s.split_once('/') {
            let n = Decimal::parse(n)?;
            let d = Decimal::parse(d)?;
            return n.checked_div(d);
        }
        let (neg, body) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (mantissa, exp) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
            None => (body, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut num: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            if !b.is_ascii_digit() {
                return None;
            }
            num = num.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        if neg {
            num = -num;
        }
        let scale = i32::try_from(frac.len()).ok()?.checked_sub(exp)?;
        let value = Decimal::from_int(num);
        if scale >= 0 {
            value.checked_div(Decimal::pow10(scale.unsigned_abs())?)
        } else {
            value.checked_mul(Decimal::pow10(scale.unsigned_abs())?)
        }
    }
}

impl Default for Decimal {
    fn default() -> Decimal {
        Decimal::ZERO
    }
}

impl From<i64> for Decimal {
    fn from(n: i64) -> Decimal {
        Decimal::from_int(i128::from(n))
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (
            self.num.checked_mul(other.den()),
            other.num.checked_mul(self.den()),
        ) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decimal_string() {
            Some(s) => f.write_str(&s),
            None => write!(f, "{}/{}", self.num, self.den()),
        }
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The error of [`Decimal::from_str`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseDecimalError;

impl fmt::Display for ParseDecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a decimal number or a fraction")
    }
}

impl std::error::Error for ParseDecimalError {}

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    fn from_str(s: &str) -> Result<Decimal, ParseDecimalError> {
        Decimal::parse(s).ok_or(ParseDecimalError)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.den() == 1 {
            if let Ok(n) = i64::try_from(self.num) {
                return serializer.serialize_i64(n);
            }
            if let Ok(n) = u64::try_from(self.num) {
                return serializer.serialize_u64(n);
            }
        } else if let Some(s) = self.decimal_string() {
            // `{}` of an f64 is its shortest round-trip spelling: when that
            // equals the exact string, the f64 stands for exactly this value.
            if let Ok(f) = s.parse::<f64>()
                && f.is_finite()
                && f.to_string() == s
            {
                return serializer.serialize_f64(f);
            }
            return serializer.serialize_str(&s);
        }
        serializer.collect_str(self)
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a string holding a decimal or a fraction")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from_int(i128::from(v)))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        Ok(Decimal::from_int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        i128::try_from(v)
            .map(Decimal::from_int)
            .map_err(|_| E::custom("number too large"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !v.is_finite() {
            return Err(E::custom("expected a finite number"));
        }
        // The shortest spelling is the value the writer meant.
        Decimal::parse(&v.to_string()).ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        Decimal::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Decimal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact number: a JSON number written exactly, or, when no finite decimal writes it (1/3) or it exceeds 64 bits, a string such as \"1/3\".",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?(/[0-9]+)?$" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn an_absent_value_takes_no_room() {
        assert_eq!(
            std::mem::size_of::<Option<Decimal>>(),
            std::mem::size_of::<Decimal>()
        );
        // The zero denominator is refused, not stored.
        assert_eq!(Decimal::new(1, 0), None);
        assert_eq!(Decimal::new(3, -6).map(Decimal::denominator), Some(2));
    }

    #[test]
    fn exact_products() {
        let v = d("12.6").checked_mul(Decimal::pow10(8).unwrap()).unwrap();
        assert_eq!(v.to_string(), "1260000000");
        assert_eq!(v, Decimal::from_int(1_260_000_000));
        let v = d("1.2").checked_mul(Decimal::pow10(12).unwrap()).unwrap();
        assert_eq!(v.to_string(), "1200000000000");
        assert_eq!(d("0.1").checked_add(d("0.2")).unwrap(), d("0.3"));
    }

    #[test]
    fn display() {
        assert_eq!(d("4.800").to_string(), "4.8");
        assert_eq!(d("-0.5").to_string(), "-0.5");
        assert_eq!(d(".23456000").to_string(), "0.23456");
        assert_eq!(d("5E-06").to_string(), "0.000005");
        assert_eq!(d("1/3").to_string(), "1/3");
        assert_eq!(d("2/4").to_string(), "0.5");
        assert_eq!(Decimal::new(-7, 3).unwrap().to_string(), "-7/3");
    }

    #[test]
    fn overflow_is_none() {
        assert!(Decimal::parse(&"9".repeat(60)).is_none());
        let big = Decimal::from_int(i128::MAX);
        assert!(big.checked_mul(Decimal::from_int(10)).is_none());
        assert!(big.checked_add(Decimal::ONE).is_none());
        assert!(Decimal::new(1, 0).is_none());
        assert!(Decimal::from_int(i128::MIN).checked_neg().is_none());
        assert!(Decimal::pow10(40).is_none());
    }

    /// The general division of `checked_div`, without its integer path.
    fn div_by_reciprocal(a: Decimal, b: Decimal) -> Option<Decimal> {
        if b.num == 0 {
            return None;
        }
        a.checked_mul(Decimal::new(b.den(), b.num)?)
    }

    /// Euclid in 128 bits throughout, as [`gcd`] was.
    fn gcd128(mut a: u128, mut b: u128) -> u128 {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    }

    #[test]
    fn gcd_matches_128_bit_euclid() {
        let edges = [
            0,
            1,
            2,
            6,
            10,
            u128::from(u64::MAX),
            u128::from(u64::MAX) + 1,
            u128::from(u64::MAX) * 3,
            u128::MAX,
            1 << 100,
            10u128.pow(30),
            10u128.pow(18),
        ];
        for &a in &edges {
            for &b in &edges {
                assert_eq!(gcd(a, b), gcd128(a, b), "{a} {b}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn gcd_matches_euclid(
            a in proptest::prelude::any::<u128>(),
            b in proptest::prelude::any::<u128>(),
            x in proptest::prelude::any::<u64>(),
            k in 0u32..70,
        ) {
            for (p, q) in [(a, b), (a, u128::from(x)), (u128::from(x) << k, b >> k)] {
                proptest::prop_assert_eq!(gcd(p, q), gcd128(p, q));
            }
        }
    }

    #[test]
    fn integer_division_matches_the_general_path() {
        let edges = [
            0,
            1,
            -1,
            2,
            -2,
            3,
            10,
            10_000,
            100_000_000,
            -10_000,
            12_345_678,
            i128::MAX,
            i128::MIN,
            i128::MIN + 1,
            i128::MAX / 10,
        ];
        for &a in &edges {
            for &b in &edges {
                let (a, b) = (Decimal::from_int(a), Decimal::from_int(b));
                assert_eq!(a.checked_div(b), div_by_reciprocal(a, b), "{a:?} {b:?}");
            }
        }
        assert_eq!(d("0.5").checked_div(d("0.25")), Some(Decimal::from_int(2)));
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn division_matches_the_general_path(
            a in proptest::prelude::any::<i128>(),
            b in proptest::prelude::any::<i128>(),
            small in -1_000_000i128..1_000_000,
            den in 1i128..1000,
            mag in 0u32..30,
        ) {
            let ints = [
                (Decimal::from_int(a), Decimal::from_int(b)),
                (Decimal::from_int(small), Decimal::from_int(den)),
                (Decimal::from_int(small * 10i128.pow(mag % 20)), Decimal::pow10(mag).unwrap()),
                (Decimal::from_int(a), Decimal::from_int(small)),
            ];
            for (x, y) in ints {
                proptest::prop_assert_eq!(x.checked_div(y), div_by_reciprocal(x, y));
            }
            if let Some(f) = Decimal::new(small, den) {
                let y = Decimal::from_int(b);
                proptest::prop_assert_eq!(f.checked_div(y), div_by_reciprocal(f, y));
                proptest::prop_assert_eq!(y.checked_div(f), div_by_reciprocal(y, f));
            }
        }
    }

    /// The integer product before its 64-bit shortcut: one checked
    /// 128-bit multiplication.
    fn mul_in_128_bits(a: Decimal, b: Decimal) -> Option<Decimal> {
        Some(Decimal::from_int(a.num.checked_mul(b.num)?))
    }

    #[test]
    fn integer_products_match_128_bit_multiplication() {
        let edges = [
            0,
            1,
            -1,
            10_000,
            i128::from(i64::MAX),
            i128::from(i64::MIN),
            i128::from(i64::MAX) + 1,
            i128::from(i64::MIN) - 1,
            i128::MAX,
            i128::MIN,
            i128::MAX / 3,
        ];
        for &a in &edges {
            for &b in &edges {
                let (x, y) = (Decimal::from_int(a), Decimal::from_int(b));
                assert_eq!(x.checked_mul(y), mul_in_128_bits(x, y), "{a} {b}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn integer_products_match_128_bit_multiplication_everywhere(
            a in proptest::prelude::any::<i128>(),
            b in proptest::prelude::any::<i128>(),
            small in proptest::prelude::any::<i64>(),
        ) {
            for (p, q) in [(a, b), (a, i128::from(small)), (i128::from(small), b >> 64), (a >> 64, b >> 64)] {
                let (x, y) = (Decimal::from_int(p), Decimal::from_int(q));
                proptest::prop_assert_eq!(x.checked_mul(y), mul_in_128_bits(x, y));
            }
        }
    }

    #[test]
    fn ordering() {
        assert!(d("5") < d("6"));
        assert!(d("1/3") < d("0.34"));
        assert!(d("-2") < d("1/1000"));
    }

    #[test]
    fn json_is_exact_and_round_trips() {
        for (s, json) in [
            ("1260000000", "1260000000"),
            ("250000000000", "250000000000"),
            ("12.6", "12.6"),
            ("0.0005", "0.0005"),
            ("-3.9", "-3.9"),
            ("1/3", "\"1/3\""),
            ("123456789012345678901234", "\"123456789012345678901234\""),
            ("0.12345678901234567891", "\"0.12345678901234567891\""),
        ] {
            let v = d(s);
            let out = serde_json::to_string(&v).unwrap();
            assert_eq!(out, json, "{s}");
            let back: Decimal = serde_json::from_str(&out).unwrap();
            assert_eq!(back, v, "{s}");
        }
        let v: Decimal = serde_json::from_str("1e-7").unwrap();
        assert_eq!(v.to_string(), "0.0000001");
    }
}
