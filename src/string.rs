//! [`Str`], the model's string.

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// A string of the model: an agency's name, a unit, a marker, a node's
/// text. It reads as a [`str`] (it derefs to one, compares with `&str` and
/// `String`, prints and serializes as a plain string) and converts from and
/// into `String`.
///
/// Most strings of these texts are short: an agency's name (`省经信厅`), a
/// unit (`万吨`), a verb, a marker (`（三）`). A string of up to 24 bytes
/// (eight Chinese characters) is kept inline, without a heap allocation;
/// a longer one is kept on the heap like a `String`. A parse makes about
/// 22,000 strings and vectors per MB of text, and more than half are that
/// short: kept inline, they cost neither the allocation nor the free, and
/// the model is read with fewer cache misses.
///
/// The representation is private (today a [`compact_str`] string), so it
/// can change without changing this type.
///
/// ```
/// use zhengce::Str;
///
/// let name = Str::from("省经信厅");
/// assert_eq!(name, "省经信厅");
/// assert_eq!(name.chars().count(), 4);
/// assert_eq!(String::from(name.clone()), "省经信厅");
/// assert_eq!(serde_json::to_string(&name).unwrap(), r#""省经信厅""#);
/// ```
///
/// [`compact_str`]: https://docs.rs/compact_str
#[derive(Clone, Default)]
pub struct Str(CompactString);

impl Str {
    /// An empty string.
    pub const fn new() -> Str {
        Str(CompactString::const_new(""))
    }

    /// A string from a `&'static str`, without copying it.
    pub const fn from_static(s: &'static str) -> Str {
        Str(CompactString::const_new(s))
    }

    /// The string as a `&str`.
    #[inline]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Appends `s`.
    pub fn push_str(&mut self, s: &str) {
        self.0.push_str(s);
    }

    /// Whether the string is kept on the heap (longer than 24 bytes) rather
    /// than inline or borrowed from a static.
    pub fn is_heap_allocated(&self) -> bool {
        self.0.is_heap_allocated()
    }
}

impl Deref for Str {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

// Equality, order and hash are those of the `str`, as `Borrow<str>` needs.
impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Str) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

macro_rules! eq_with {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for Str {
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == &other[..]
            }
        }

        impl PartialEq<Str> for $other {
            fn eq(&self, other: &Str) -> bool {
                &self[..] == other.as_str()
            }
        }
    )*};
}

eq_with!(str, &str, String);

impl From<&str> for Str {
    #[inline]
    fn from(s: &str) -> Str {
        Str(CompactString::new(s))
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Str {
        Str::from(s.as_str())
    }
}

/// Takes the `String`'s buffer when the string is too long to be inline.
impl From<String> for Str {
    #[inline]
    fn from(s: String) -> Str {
        Str(CompactString::from(s))
    }
}

impl From<Cow<'_, str>> for Str {
    fn from(s: Cow<'_, str>) -> Str {
        match s {
            Cow::Borrowed(s) => Str::from(s),
            Cow::Owned(s) => Str::from(s),
        }
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.0.into_string()
    }
}

impl FromIterator<char> for Str {
    fn from_iter<I: IntoIterator<Item = char>>(iter: I) -> Str {
        Str(CompactString::from_iter(iter))
    }
}

impl<'a> FromIterator<&'a str> for Str {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Str {
        Str(CompactString::from_iter(iter))
    }
}

impl Serialize for Str {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Str, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Str;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Str, E> {
                Ok(Str::from(s))
            }

            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Str, E> {
                Ok(Str::from(s))
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Str {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn short_strings_are_inline_and_long_ones_on_the_heap() {
        // Eight Chinese characters are 24 bytes: the longest inline.
        assert!(!Str::from("各设区市人民政府").is_heap_allocated());
        assert!(Str::from("各设区市人民政府等").is_heap_allocated());
        assert!(!Str::from(String::from("省经信厅")).is_heap_allocated());
        assert!(!Str::from_static("一二三四五六七八九十").is_heap_allocated());
    }

    #[test]
    fn reads_and_compares_as_its_str() {
        for s in [
            "",
            "万吨",
            "各设区市人民政府",
            "各设区市人民政府等单位按职责分工负责",
        ] {
            let owned = Str::from(s);
            assert_eq!(owned, s);
            assert_eq!(s, owned);
            assert_eq!(owned, String::from(s));
            assert_eq!(owned.as_str(), s);
            assert_eq!(owned.len(), s.len());
            assert_eq!(String::from(owned.clone()), s);
            assert_eq!(Str::from(String::from(s)), owned);
            assert_eq!(owned.to_string(), s);
            assert_eq!(format!("{owned:?}"), format!("{s:?}"));
            assert_eq!(s.chars().collect::<Str>(), owned);
        }
        assert_eq!(Str::from("一").cmp(&Str::from("丁")), Ordering::Less);
        assert_eq!(Str::from("乙").cmp(&Str::from("甲")), "乙".cmp("甲"));
        assert_eq!(Str::new(), "");
    }

    #[test]
    fn hashes_as_its_str() {
        let set: HashSet<Str> = ["省经信厅", "省发展改革委"]
            .into_iter()
            .map(Str::from)
            .collect();
        assert!(set.contains("省经信厅"));
        assert!(!set.contains("省财政厅"));
    }

    #[test]
    fn serializes_as_a_string() {
        let s = Str::from("省经信厅");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#""省经信厅""#);
        assert_eq!(serde_json::from_str::<Str>(&json).unwrap(), s);
        let escaped: Str = serde_json::from_str(r#""a\"b""#).unwrap();
        assert_eq!(escaped, "a\"b");
        assert!(serde_json::from_str::<Str>("1").is_err());
    }
}
