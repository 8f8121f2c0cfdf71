//! Compact JSON, written as `serde_json::to_writer` writes it, with strings
//! escaped a word at a time.
//!
//! A callgrind profile of the converter on 1 MB put the JSONL output at
//! 31 % of its instructions, and serde_json's string escaping alone at
//! 21 %: serde_json looks every byte up in a table, one at a time, and the
//! model's strings are mostly Chinese (three bytes a character in UTF-8)
//! that never need escaping. This writer looks at eight bytes at once for
//! the next one to escape (`"`, `\`, a control byte) and copies the run
//! before it with one write; a short string (most keys) is looked at in
//! one word. On that 1 MB run the JSONL part went from 32.9 M to 20.8 M
//! instructions, the whole run from 99.2 M to 87.2 M. On x86_64 it looks
//! at sixteen bytes at once with SSE2, and a string of up to sixteen bytes
//! (most keys and agency names) at once without a call.
//!
//! It is a generic [`serde::Serializer`]: it knows nothing of the records,
//! so it never has to follow a change to the model. Everything else is
//! serde_json's compact format to the byte: integers by `itoa`, floats by
//! `zmij` (what serde_json 1.0.154 uses; `ryu` spells `1e300` without the
//! `+`), non-finite floats and `None` as `null`, unit variants as strings,
//! other variants as one-key objects, the same map keys and key errors.
//! `tests/convert_json.rs` checks it byte for byte against serde_json: every
//! record of every fixture, the whole model, and random strings and
//! `serde_json::Value` trees.

use serde::ser::{self, Impossible, Serialize};
use std::fmt::{self, Display};
use std::io;

/// Writes `value` as compact JSON into `out`, byte for byte what
/// `serde_json::to_writer` writes. A serialization error (a `Serialize`
/// implementation's own, a map key that is not a string) comes out as an
/// [`io::ErrorKind::InvalidData`] error, as serde_json's does when turned
/// into an `io::Error`.
pub fn to_writer<W: io::Write, T: Serialize + ?Sized>(out: W, value: &T) -> io::Result<()> {
    value
        .serialize(&mut Serializer { out })
        .map_err(|Error(e)| e)
}

/// The error of a serialization: a write's, or one made by
/// [`ser::Error::custom`].
#[derive(Debug)]
struct Error(io::Error);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Error {
        Error(io::Error::new(io::ErrorKind::InvalidData, msg.to_string()))
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Error {
        Error(e)
    }
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

type Result<T = ()> = std::result::Result<T, Error>;

// ---------------------------------------------------------------------------
// Strings

/// Eight copies of a byte.
const fn splat(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

/// The high bit of every byte of `x` (eight bytes, the first lowest) that
/// JSON escapes: `"`, `\` and the control bytes below 0x20, and no other.
fn escapes(x: u64) -> u64 {
    // Each byte on its own, without a carry into the next: its low seven
    // bits plus 0x60 reach the high bit unless they are below 0x20, and
    // plus 0x7f unless they are zero. A byte is below 0x20 when that sum
    // and the byte itself both have the high bit clear; it equals `"` or
    // `\` when it is zero once xored with it.
    const LOW: u64 = splat(0x7f);
    let below_0x20 = |x: u64| !(((x & LOW) + splat(0x60)) | x);
    let zero = |x: u64| !(((x & LOW) + LOW) | x);
    let quote = zero(x ^ splat(b'"'));
    let backslash = zero(x ^ splat(b'\\'));
    (below_0x20(x) | quote | backslash) & splat(0x80)
}

/// Whether JSON escapes `byte`, one at a time.
fn is_escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether any of fewer than eight bytes is escaped: their word is made
/// of two loads that overlap (every byte is in it, some twice) and spaces,
/// which are not escaped.
fn any_escaped(short: &[u8]) -> bool {
    let spaces = splat(b' ');
    let word = if let (Some(a), Some(b)) = (short.first_chunk::<4>(), short.last_chunk::<4>()) {
        u64::from(u32::from_le_bytes(*a)) | u64::from(u32::from_le_bytes(*b)) << 32
    } else if let (Some(a), Some(b)) = (short.first_chunk::<2>(), short.last_chunk::<2>()) {
        let (a, b) = (
            u64::from(u16::from_le_bytes(*a)),
            u64::from(u16::from_le_bytes(*b)),
        );
        spaces << 32 | b << 16 | a
    } else if let Some(&a) = short.first() {
        spaces << 8 | u64::from(a)
    } else {
        return false;
    };
    escapes(word) != 0
}

/// The index of the first byte of `bytes` from `from` that JSON escapes,
/// a word of eight bytes at a time: on every target.
#[inline(always)]
pub fn next_escape_swar(bytes: &[u8], from: usize) -> Option<usize> {
    let (chunks, tail) = bytes[from..].as_chunks::<8>();
    for (i, chunk) in chunks.iter().enumerate() {
        let mask = escapes(u64::from_le_bytes(*chunk));
        if mask != 0 {
            return Some(from + 8 * i + (mask.trailing_zeros() / 8) as usize);
        }
    }
    // The last bytes, fewer than eight: whether there is one at all, and
    // only then where.
    if !any_escaped(tail) {
        return None;
    }
    let at = from + 8 * chunks.len();
    tail.iter().position(|&b| is_escaped(b)).map(|i| at + i)
}

/// Sixteen bytes at a time with SSE2, which every x86_64 has.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set_epi64x, _mm_set1_epi8,
    };

    /// A bit for every byte of `v` (the first lowest) that JSON escapes:
    /// `"`, `\` and the control bytes below 0x20.
    #[inline(always)]
    fn marked(v: __m128i) -> u32 {
        // SAFETY: SSE2, all these need, is part of every x86_64 (the
        // compiler enables it on all of them).
        unsafe {
            // A byte is below 0x20 when the larger of it and 0x1f is 0x1f
            // (unsigned: SSE2 compares signed bytes only, but for equality).
            let top = _mm_set1_epi8(0x1f);
            let below_0x20 = _mm_cmpeq_epi8(_mm_max_epu8(v, top), top);
            let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            let marked = _mm_or_si128(below_0x20, _mm_or_si128(quote, backslash));
            _mm_movemask_epi8(marked) as u32
        }
    }

    /// [`marked`] of sixteen bytes.
    #[inline(always)]
    pub fn escapes(chunk: &[u8; 16]) -> u32 {
        // SAFETY: SSE2 as above; `chunk` is sixteen bytes to read, and
        // `_mm_loadu_si128` reads sixteen at any alignment.
        marked(unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) })
    }

    /// Whether any byte of two words is escaped.
    #[inline(always)]
    pub fn any_escaped_in(a: u64, b: u64) -> bool {
        // SAFETY: SSE2 as above.
        marked(unsafe { _mm_set_epi64x(b as i64, a as i64) }) != 0
    }
}

/// Whether any of at most sixteen bytes is escaped: those of eight or
/// more as two words that overlap.
#[inline(always)]
fn any_escaped_short(short: &[u8]) -> bool {
    let (Some(a), Some(b)) = (short.first_chunk::<8>(), short.last_chunk::<8>()) else {
        return any_escaped(short);
    };
    let (a, b) = (u64::from_le_bytes(*a), u64::from_le_bytes(*b));
    #[cfg(target_arch = "x86_64")]
    return sse2::any_escaped_in(a, b);
    #[cfg(not(target_arch = "x86_64"))]
    return escapes(a) | escapes(b) != 0;
}

/// The index of the first byte of `bytes` from `from` that JSON escapes.
/// On x86_64, sixteen bytes at a time, and the last fewer than sixteen as
/// the end of the last sixteen; fewer than sixteen in all, as on any
/// target.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let Some(last) = rest.last_chunk::<16>() else {
        return next_escape_swar(bytes, from);
    };
    let (chunks, tail) = rest.as_chunks::<16>();
    for (i, chunk) in chunks.iter().enumerate() {
        let mask = sse2::escapes(chunk);
        if mask != 0 {
            return Some(from + 16 * i + mask.trailing_zeros() as usize);
        }
    }
    if tail.is_empty() {
        return None;
    }
    // The last sixteen bytes, the first of which were looked at already.
    let mask = sse2::escapes(last) >> (16 - tail.len());
    (mask != 0).then(|| from + 16 * chunks.len() + mask.trailing_zeros() as usize)
}

/// The index of the first byte of `bytes` from `from` that JSON escapes.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
pub fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    next_escape_swar(bytes, from)
}

/// Writes the escape of `byte`, one of those [`escapes`] marks, as
/// serde_json does: the short escapes JSON has, `\u00XX` with lowercase hex
/// digits for the other control bytes.
fn write_escape(out: &mut impl io::Write, byte: u8) -> io::Result<()> {
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let (high, low) = (HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]);
            return out.write_all(&[b'\\', b'u', b'0', b'0', high, low]);
        }
    };
    out.write_all(&[b'\\', short])
}

/// Writes `s` escaped, without the quotes: each run of bytes that need no
/// escape with one write.
#[inline]
fn write_escaped(out: &mut impl io::Write, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    // Keys and most short strings: nothing to escape, written without a
    // call.
    if bytes.len() <= 16 && !any_escaped_short(bytes) {
        return out.write_all(bytes);
    }
    write_escaped_runs(out, bytes)
}

/// [`write_escaped`] of any bytes.
fn write_escaped_runs(out: &mut impl io::Write, bytes: &[u8]) -> io::Result<()> {
    let mut start = 0;
    while let Some(i) = next_escape(bytes, start) {
        if i > start {
            out.write_all(&bytes[start..i])?;
        }
        write_escape(out, bytes[i])?;
        start = i + 1;
    }
    if start < bytes.len() {
        out.write_all(&bytes[start..])?;
    }
    Ok(())
}

/// Writes `s` as a JSON string.
fn write_str(out: &mut impl io::Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    write_escaped(out, s)?;
    out.write_all(b"\"")
}

// ---------------------------------------------------------------------------
// Numbers

fn write_int(out: &mut impl io::Write, n: impl itoa::Integer) -> io::Result<()> {
    out.write_all(itoa::Buffer::new().format(n).as_bytes())
}

/// A finite float, as serde_json's `write_f64` and `write_f32` spell it.
fn write_float(out: &mut impl io::Write, f: impl zmij::Float) -> io::Result<()> {
    out.write_all(zmij::Buffer::new().format_finite(f).as_bytes())
}

// ---------------------------------------------------------------------------
// The serializer

struct Serializer<W> {
    out: W,
}

impl<W: io::Write> Serializer<W> {
    /// An integer, as serde_json writes it.
    fn integer(&mut self, v: impl itoa::Integer) -> Result {
        Ok(write_int(&mut self.out, v)?)
    }

    /// `{"variant":`, the start of a variant with content.
    fn begin_variant(&mut self, variant: &str) -> Result {
        self.out.write_all(b"{")?;
        write_str(&mut self.out, variant)?;
        self.out.write_all(b":")?;
        Ok(())
    }
}

/// Where a sequence or a map is. As in serde_json, one known to be empty
/// is closed as soon as it is opened.
#[derive(PartialEq)]
enum State {
    Empty,
    First,
    Rest,
}

/// An array or object being written.
struct Compound<'a, W> {
    ser: &'a mut Serializer<W>,
    state: State,
}

impl<W: io::Write> Compound<'_, W> {
    /// The comma before every element but the first.
    fn separator(&mut self) -> Result {
        if self.state != State::First {
            self.ser.out.write_all(b",")?;
        }
        self.state = State::Rest;
        Ok(())
    }

    /// Closes the array or object with `close`, unless it was closed
    /// when opened.
    fn close(self, close: &[u8]) -> Result {
        if self.state != State::Empty {
            self.ser.out.write_all(close)?;
        }
        Ok(())
    }
}

/// The ten integer methods of a `Serializer`, each handing its value to
/// the serializer's own `integer`.
macro_rules! integer_methods {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method(self, v: $ty) -> Result {
            self.integer(v)
        }
    )*};
}

impl<'a, W: io::Write> ser::Serializer for &'a mut Serializer<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    fn serialize_bool(self, v: bool) -> Result {
        Ok(self.out.write_all(if v { b"true" } else { b"false" })?)
    }

    integer_methods! {
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128,
    }

    fn serialize_f32(self, v: f32) -> Result {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        Ok(write_float(&mut self.out, v)?)
    }

    fn serialize_f64(self, v: f64) -> Result {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        Ok(write_float(&mut self.out, v)?)
    }

    fn serialize_char(self, v: char) -> Result {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result {
        Ok(write_str(&mut self.out, v)?)
    }

    /// An array of numbers, as serde_json writes bytes.
    fn serialize_bytes(self, v: &[u8]) -> Result {
        self.out.write_all(b"[")?;
        for (i, byte) in v.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            write_int(&mut self.out, *byte)?;
        }
        Ok(self.out.write_all(b"]")?)
    }

    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        Ok(self.out.write_all(b"null")?)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.begin_variant(variant)?;
        value.serialize(&mut *self)?;
        Ok(self.out.write_all(b"}")?)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, W>> {
        self.out.write_all(b"[")?;
        let state = if len == Some(0) {
            self.out.write_all(b"]")?;
            State::Empty
        } else {
            State::First
        };
        Ok(Compound { ser: self, state })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>> {
        self.begin_variant(variant)?;
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, W>> {
        self.out.write_all(b"{")?;
        let state = if len == Some(0) {
            self.out.write_all(b"}")?;
            State::Empty
        } else {
            State::First
        };
        Ok(Compound { ser: self, state })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>> {
        self.begin_variant(variant)?;
        self.serialize_map(Some(len))
    }

    /// Escapes what `value` displays as it comes, without a `String`.
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result {
        struct Adapter<'a, W> {
            out: &'a mut W,
            error: Option<io::Error>,
        }
        impl<W: io::Write> fmt::Write for Adapter<'_, W> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                write_escaped(self.out, s).map_err(|e| {
                    self.error = Some(e);
                    fmt::Error
                })
            }
        }
        self.out.write_all(b"\"")?;
        let mut adapter = Adapter {
            out: &mut self.out,
            error: None,
        };
        if fmt::write(&mut adapter, format_args!("{value}")).is_err() {
            // serde_json panics when `Display` fails on its own.
            return Err(match adapter.error {
                Some(e) => Error(e),
                None => ser::Error::custom("a Display implementation returned an error"),
            });
        }
        Ok(self.out.write_all(b"\"")?)
    }
}

impl<W: io::Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.separator()?;
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result {
        self.close(b"]")
    }
}

impl<W: io::Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result {
        self.close(b"]")
    }
}

impl<W: io::Write> ser::SerializeTupleStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result {
        self.close(b"]")
    }
}

impl<W: io::Write> ser::SerializeTupleVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }

    /// Closes the array, then the object around it.
    fn end(self) -> Result {
        let ser = &mut *self.ser;
        if self.state != State::Empty {
            ser.out.write_all(b"]")?;
        }
        Ok(ser.out.write_all(b"}")?)
    }
}

impl<W: io::Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.separator()?;
        key.serialize(MapKeySerializer {
            ser: &mut *self.ser,
        })
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.ser.out.write_all(b":")?;
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result {
        self.close(b"}")
    }
}

/// `,"key":` for a key of four to sixteen bytes with nothing to escape,
/// and its length, to write with one call; the key copied as two
/// overlapping pieces.
#[inline(always)]
fn field_start(key: &[u8]) -> Option<([u8; 20], usize)> {
    let len = key.len();
    let mut line = [0; 20];
    if let (Some(a), Some(b)) = (key.first_chunk::<8>(), key.last_chunk::<8>()) {
        if len > 16 || any_escaped_short(key) {
            return None;
        }
        line[2..10].copy_from_slice(a);
        line[len - 6..len + 2].copy_from_slice(b);
    } else if let (Some(a), Some(b)) = (key.first_chunk::<4>(), key.last_chunk::<4>()) {
        if any_escaped(key) {
            return None;
        }
        line[2..6].copy_from_slice(a);
        line[len - 2..len + 2].copy_from_slice(b);
    } else {
        return None;
    }
    line[..2].copy_from_slice(b",\"");
    line[len + 2..len + 4].copy_from_slice(b"\":");
    Some((line, len + 4))
}

impl<W: io::Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    /// A field, as a map entry with a string key: `,"key":` in one write
    /// when the key is short and has nothing to escape. Inlined into the
    /// derived `Serialize`, where the key is a constant: the check and the
    /// copy of the key fold away, and the write is of constant bytes.
    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        let out = &mut self.ser.out;
        let first = self.state == State::First;
        self.state = State::Rest;
        if let Some((line, len)) = field_start(key.as_bytes()) {
            out.write_all(&line[usize::from(first)..len])?;
        } else {
            out.write_all(if first { b"\"" } else { b",\"" })?;
            write_escaped(out, key)?;
            out.write_all(b"\":")?;
        }
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result {
        self.close(b"}")
    }
}

impl<W: io::Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        ser::SerializeStruct::serialize_field(self, key, value)
    }

    /// Closes the fields' object, then the one around it.
    fn end(self) -> Result {
        let ser = &mut *self.ser;
        if self.state != State::Empty {
            ser.out.write_all(b"}")?;
        }
        Ok(ser.out.write_all(b"}")?)
    }
}

/// A map key: a string as it is; a number, a `bool` or a `char` quoted as
/// a string; anything else an error, as in serde_json.
struct MapKeySerializer<'a, W> {
    ser: &'a mut Serializer<W>,
}

impl<W: io::Write> MapKeySerializer<'_, W> {
    /// An integer key, quoted as serde_json quotes it.
    fn integer(self, v: impl itoa::Integer) -> Result {
        self.quoted(|out| write_int(out, v))
    }

    /// A key written as its value would be, between quotes.
    fn quoted(self, write: impl FnOnce(&mut W) -> io::Result<()>) -> Result {
        let out = &mut self.ser.out;
        out.write_all(b"\"")?;
        write(out)?;
        Ok(out.write_all(b"\"")?)
    }
}

impl<W: io::Write> ser::Serializer for MapKeySerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result {
        self.ser.serialize_str(v)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result {
        self.ser.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }

    fn serialize_bool(self, v: bool) -> Result {
        self.quoted(|out| out.write_all(if v { b"true" } else { b"false" }))
    }

    integer_methods! {
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128,
    }

    fn serialize_f32(self, v: f32) -> Result {
        if !v.is_finite() {
            return Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(|out| write_float(out, v))
    }

    fn serialize_f64(self, v: f64) -> Result {
        if !v.is_finite() {
            return Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(|out| write_float(out, v))
    }

    fn serialize_char(self, v: char) -> Result {
        self.ser.serialize_char(v)
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>> {
        Err(key_must_be_a_string())
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result {
        self.ser.collect_str(value)
    }
}
