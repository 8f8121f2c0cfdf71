//! [`Str`], the model's string.

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::convert::Infallible;
use std::ffi::OsStr;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::path::Path;
use std::rc::Rc;
use std::str::FromStr;
use std::sync::Arc;

/// A string of the model: an agency's name, a unit, a marker, a node's
/// text. It reads as a [`str`] (it derefs to one, compares and orders with
/// `str`, `&str`, `String` and `Cow<str>`, hashes as its `str` so that a
/// `HashMap<Str, _>` is looked up with a `&str`, prints and serializes as
/// a plain string) and converts from and into `String` (`.to_string()` or
/// `String::from`), `Box<str>`, `Arc<str>` and `Rc<str>`.
///
/// Most strings of these texts are short: an agency's name (`省经信厅`), a
/// unit (`万吨`), a verb, a marker (`（三）`). A string of up to 24 bytes
/// (eight Chinese characters) is kept inline, without a heap allocation,
/// on 64-bit targets (on 32-bit ones, up to 12 bytes); a longer one is
/// kept on the heap like a `String`. A parse makes about
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
/// assert_eq!(String::from(&name), "省经信厅");
/// assert_eq!(serde_json::to_string(&name).unwrap(), r#""省经信厅""#);
///
/// // A map of names is looked up with a `&str`; a map keyed by `String`
/// // with the name's `as_str()`.
/// let mut tasks = std::collections::HashMap::new();
/// tasks.insert(name.clone(), 3);
/// assert_eq!(tasks.get("省经信厅"), Some(&3));
/// let by_string: std::collections::HashMap<String, u32> = [(name.to_string(), 3)].into();
/// assert_eq!(by_string.get(name.as_str()), Some(&3));
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

    /// A string from a `&'static str`, without allocating: a short one is
    /// copied inline, a longer one borrowed.
    pub const fn from_static(s: &'static str) -> Str {
        Str(CompactString::const_new(s))
    }

    /// An empty string with room for `n` bytes, allocated only when `n` is
    /// too long to be inline.
    pub fn with_capacity(n: usize) -> Str {
        Str(CompactString::with_capacity(n))
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

    /// Appends `c`.
    pub fn push(&mut self, c: char) {
        self.0.push(c);
    }

    /// The `String`, reusing the heap buffer of a long string.
    pub fn into_string(self) -> String {
        self.0.into_string()
    }

    /// Whether the string is kept on the heap (too long to be inline)
    /// rather than inline or borrowed from a static.
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

impl AsRef<[u8]> for Str {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<OsStr> for Str {
    fn as_ref(&self) -> &OsStr {
        OsStr::new(self.as_str())
    }
}

impl AsRef<Path> for Str {
    fn as_ref(&self) -> &Path {
        Path::new(self.as_str())
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

macro_rules! compare_with {
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

        impl PartialOrd<$other> for Str {
            fn partial_cmp(&self, other: &$other) -> Option<Ordering> {
                Some(self.as_str().cmp(&other[..]))
            }
        }

        impl PartialOrd<Str> for $other {
            fn partial_cmp(&self, other: &Str) -> Option<Ordering> {
                Some(self[..].cmp(other.as_str()))
            }
        }
    )*};
}

compare_with!(str, &str, String, &String, Cow<'_, str>);

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

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Str {
        Str(CompactString::from(s))
    }
}

impl From<char> for Str {
    fn from(c: char) -> Str {
        Str::from(&*c.encode_utf8(&mut [0; 4]))
    }
}

impl FromStr for Str {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Str, Infallible> {
        Ok(Str::from(s))
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
        s.into_string()
    }
}

impl From<&Str> for String {
    fn from(s: &Str) -> String {
        s.as_str().to_owned()
    }
}

impl From<Str> for Box<str> {
    fn from(s: Str) -> Box<str> {
        s.into_string().into_boxed_str()
    }
}

impl From<Str> for Arc<str> {
    fn from(s: Str) -> Arc<str> {
        Arc::from(s.as_str())
    }
}

impl From<Str> for Rc<str> {
    fn from(s: Str) -> Rc<str> {
        Rc::from(s.as_str())
    }
}

impl fmt::Write for Str {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

impl Extend<char> for Str {
    fn extend<I: IntoIterator<Item = char>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl<'a> Extend<&'a str> for Str {
    fn extend<I: IntoIterator<Item = &'a str>>(&mut self, iter: I) {
        self.0.extend(iter);
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

            // As `String` does: formats that hand strings over as bytes
            // (through serde's buffered, untagged or flattened paths).
            fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Str, E> {
                match std::str::from_utf8(b) {
                    Ok(s) => Ok(Str::from(s)),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(b), &self)),
                }
            }

            fn visit_byte_buf<E: serde::de::Error>(self, b: Vec<u8>) -> Result<Str, E> {
                match String::from_utf8(b) {
                    Ok(s) => Ok(Str::from(s)),
                    Err(e) => Err(E::invalid_value(
                        serde::de::Unexpected::Bytes(e.as_bytes()),
                        &self,
                    )),
                }
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

    /// On 64-bit targets: a `String`'s size is the inline room.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn short_strings_are_inline_and_long_ones_on_the_heap() {
        // Eight Chinese characters are 24 bytes: the longest inline.
        assert!(!Str::from("各设区市人民政府").is_heap_allocated());
        assert!(Str::from("各设区市人民政府等").is_heap_allocated());
        assert!(!Str::from(String::from("省经信厅")).is_heap_allocated());
        assert!(!Str::from_static("一二三四五六七八九十").is_heap_allocated());
        assert!(!Str::with_capacity(24).is_heap_allocated());
        assert!(Str::with_capacity(25).is_heap_allocated());
        assert_eq!(std::mem::size_of::<Option<Str>>(), 24);
    }

    #[test]
    fn grows_like_a_string() {
        let mut s = Str::with_capacity(6);
        s.push_str("省经");
        s.push('信');
        s.extend(['厅', '、']);
        s.extend(["省发展", "改革委"]);
        std::fmt::Write::write_fmt(&mut s, format_args!("{}", 2)).unwrap();
        assert_eq!(s, "省经信厅、省发展改革委2");
        assert!(s.is_heap_allocated() || cfg!(target_pointer_width = "32"));
        assert_eq!(s.clone().into_string(), "省经信厅、省发展改革委2");
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
    fn compares_and_converts_with_the_other_strings() {
        let s = Str::from("万吨");
        let string = String::from("万吨");
        let cow: Cow<'_, str> = Cow::Borrowed("万吨");
        assert_eq!(s, string);
        assert_eq!(string, s);
        assert_eq!(s, &string);
        assert_eq!(&string, s);
        assert_eq!(s, cow);
        assert_eq!(cow, s);
        assert!(s < *"亿吨");
        assert!(s < "亿吨");
        assert!("万" < s);
        let wan = String::from("万");
        assert!(s > wan);
        assert_eq!(s.partial_cmp(&cow), Some(Ordering::Equal));
        assert_eq!(String::from(&s), "万吨");
        assert_eq!(Box::<str>::from(s.clone()), Box::from("万吨"));
        assert_eq!(Arc::<str>::from(s.clone()), Arc::from("万吨"));
        assert_eq!(Rc::<str>::from(s.clone()), Rc::from("万吨"));
        assert_eq!(Str::from(Box::<str>::from("万吨")), s);
        assert_eq!(Str::from('万'), "万");
        assert_eq!("万吨".parse::<Str>(), Ok(s.clone()));
        assert_eq!(AsRef::<[u8]>::as_ref(&s), "万吨".as_bytes());
        assert_eq!(AsRef::<Path>::as_ref(&s), Path::new("万吨"));
        assert_eq!(AsRef::<OsStr>::as_ref(&s), OsStr::new("万吨"));
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
        // Bytes, as `String` takes them.
        use serde::de::IntoDeserializer;
        use serde::de::value::{BytesDeserializer, Error};
        let bytes = BytesDeserializer::<Error>::new("省厅".as_bytes());
        assert_eq!(Str::deserialize(bytes).unwrap(), "省厅");
        let buf: serde::de::value::BytesDeserializer<'_, Error> = b"\xff"[..].into_deserializer();
        assert!(Str::deserialize(buf).is_err());
    }
}
