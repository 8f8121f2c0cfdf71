//! The converter's JSON writer (`examples/convert/json.rs`) against
//! serde_json, byte for byte: every record the converter writes from every
//! text in `fixtures/`, the whole model, every escape, the numbers, the
//! shapes of serde's data model and map keys, the errors; and random
//! strings and `serde_json::Value` trees (proptest).

mod common;
#[path = "../examples/convert/json.rs"]
mod json;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde::Serialize;
use serde::ser::{Error as _, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use zhengce::{AgencyNames, Assignment};

/// What the writer writes for `value`.
fn ours<T: Serialize + ?Sized>(value: &T) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    json::to_writer(&mut out, value)?;
    Ok(out)
}

/// Checks that the writer writes what serde_json writes for `value`.
#[track_caller]
fn same<T: Serialize + ?Sized>(value: &T, what: &str) {
    let theirs = serde_json::to_vec(value).expect("serde_json serializes it");
    let ours = ours(value).expect("the writer serializes it");
    if ours != theirs {
        panic!(
            "{what}: the writer differs from serde_json\n ours: {}\ntheirs: {}",
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }
}

/// The shape of a JSONL line in `examples/convert/formats.rs`: a record
/// with the file it is from and the agency's assignment.
#[derive(Serialize)]
struct Line<'a, T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(flatten)]
    task: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignment: Option<&'a Assignment>,
}

/// The shape of `--format json`'s document, written compact here.
#[derive(Serialize)]
struct Whole<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    encoding: zhengce::Encoding,
    document: &'a zhengce::Document,
    diagnostics: &'a [zhengce::Diagnostic],
}

#[test]
fn every_fixture_as_the_converter_writes_it() {
    let corpus = common::decoded_corpus();
    assert!(corpus.len() >= 20, "the corpus is in fixtures/");
    let names = AgencyNames::default();
    let (mut records, mut duties) = (0, 0);
    for (name, decoded) in &corpus {
        let parsed = zhengce::parse(&decoded.text);
        let document = &parsed.document;
        let file = Some(name.as_str());
        for (i, record) in document.records().enumerate() {
            same(&record, &format!("{name}: record {i}"));
            let line = Line {
                file,
                task: &record,
                assignment: None,
            };
            same(&line, &format!("{name}: record {i} with its file"));
            records += 1;
        }
        for (i, record) in document.task_records().iter().enumerate() {
            same(record, &format!("{name}: owned record {i}"));
        }
        // `--agency`: every agency the text names, and every group.
        let mut agencies: Vec<&str> = document
            .tasks()
            .iter()
            .flat_map(|t| t.agencies())
            .map(|a| a.name.as_str())
            .collect();
        agencies.sort_unstable();
        agencies.dedup();
        for agency in agencies {
            for duty in document.duties(agency, &names) {
                for file in [None, file] {
                    let line = Line {
                        file,
                        task: &duty.task,
                        assignment: Some(&duty.assignment),
                    };
                    same(&line, &format!("{name}: a duty of {agency}"));
                }
                duties += 1;
            }
        }
        same(&parsed, &format!("{name}: the whole parse"));
        same(document, &format!("{name}: the document"));
        let whole = Whole {
            file,
            encoding: decoded.encoding,
            document,
            diagnostics: &parsed.diagnostics,
        };
        same(&whole, &format!("{name}: --format json's shape"));
    }
    assert!(
        records > 250 && duties > 1000,
        "{records} records, {duties} duties"
    );
}

// ---- strings ----

#[test]
fn every_byte_below_0x80_alone_and_between_others() {
    for byte in 0u8..0x80 {
        let c = char::from(byte);
        same(&c.to_string(), &format!("{byte:#04x}"));
        same(
            &format!("部门{c}x{c}{c}负责"),
            &format!("{byte:#04x} inside"),
        );
        same(&c, &format!("{byte:#04x} as a char"));
    }
}

#[test]
fn each_escape_as_json_writes_it() {
    let cases = [
        ("", r#""""#),
        ("\"", r#""\"""#),
        ("\\", r#""\\""#),
        ("\u{8}", r#""\b""#),
        ("\u{c}", r#""\f""#),
        ("\n", r#""\n""#),
        ("\r", r#""\r""#),
        ("\t", r#""\t""#),
        ("\u{0}", r#""\u0000""#),
        ("\u{b}", r#""\u000b""#),
        ("\u{1b}", r#""\u001b""#),
        ("\u{1f}", r#""\u001f""#),
        ("\u{7f}", "\"\u{7f}\""),
        ("/", r#""/""#),
        ("中\"文", r#""中\"文""#),
        ("😀\\", r#""😀\\""#),
        ("\u{2028}", "\"\u{2028}\""),
    ];
    for (s, expected) in cases {
        let got = ours(s).unwrap();
        assert_eq!(String::from_utf8(got).unwrap(), expected, "{s:?}");
        same(s, &format!("{s:?}"));
    }
}

#[test]
fn escapes_at_every_offset_and_in_long_runs() {
    for special in [
        '"', '\\', '\n', '\u{1}', '\u{1f}', '\u{7f}', ' ', '中', '😀',
    ] {
        for before in 0..20 {
            for after in 0..20 {
                let s = format!("{}{special}{}", "a".repeat(before), "中".repeat(after));
                same(&s, &format!("{special:?} after {before}"));
            }
        }
        same(
            &special.to_string().repeat(40),
            &format!("{special:?} 40 times"),
        );
    }
}

/// Bytes to escape followed by the bytes one above them (`#`, `]`, a
/// space), which a word-at-a-time test that borrows from one byte to the
/// next would take for escapes too (proptest found one such bug).
#[test]
fn bytes_just_above_escapes() {
    for (escaped, above) in [('"', '#'), ('\\', ']'), ('\u{1f}', ' '), ('\0', '\u{1}')] {
        for n in 1..20 {
            for m in 0..20 {
                let s = format!(
                    "{}{}",
                    escaped.to_string().repeat(n),
                    above.to_string().repeat(m)
                );
                same(&s, &format!("{n} {escaped:?}, {m} {above:?}"));
            }
        }
    }
}

/// The index of the first byte from `from` to escape, a byte at a time.
fn next_escape_simply(bytes: &[u8], from: usize) -> Option<usize> {
    let is_escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    bytes[from..]
        .iter()
        .position(|&b| is_escaped(b))
        .map(|i| from + i)
}

/// The search for the next byte to escape (sixteen bytes at a time on
/// x86_64, eight on any target) against a byte at a time: every byte at
/// every position of texts of up to 34 bytes, among ASCII or among bytes
/// of Chinese characters, looked at from the start and from offsets on
/// either side of a word's and a vector's end.
#[test]
fn next_escape_finds_what_a_byte_loop_finds() {
    for filler in [b'a', 0xe4] {
        for len in 0..=34 {
            let mut bytes = vec![filler; len];
            for at in 0..len {
                for byte in 0..=u8::MAX {
                    bytes[at] = byte;
                    for from in [0, 1, 3, 7, 8, 9, 15, 16, 17] {
                        if from > len {
                            break;
                        }
                        let simply = next_escape_simply(&bytes, from);
                        assert_eq!(json::next_escape(&bytes, from), simply, "{bytes:?} {from}");
                        assert_eq!(
                            json::next_escape_swar(&bytes, from),
                            simply,
                            "{bytes:?} {from}"
                        );
                    }
                }
                bytes[at] = filler;
            }
        }
    }
}

/// A struct of the given field names, each with the value 1.
struct Fields(Vec<&'static str>);

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = s.serialize_struct("Fields", self.0.len())?;
        for &key in &self.0 {
            fields.serialize_field(key, &1)?;
        }
        fields.end()
    }
}

/// Field names of every length up to 20 (a field's `,"key":` is written
/// in one piece for those of four to sixteen bytes), with and without a
/// byte to escape at every position, first and not first.
#[test]
fn field_names_of_every_length_and_escape() {
    for len in 0..=20 {
        let plain: &'static str = "k".repeat(len).leak();
        let chinese: &'static str = "中".repeat(len / 3).leak();
        same(&Fields(vec![plain]), &format!("{len} bytes"));
        same(
            &Fields(vec![plain, chinese, plain]),
            &format!("{len} bytes, three"),
        );
        for at in 0..len {
            for byte in ['"', '\\', '\n', '\u{1f}', '#', ' '] {
                let mut key = "k".repeat(len);
                key.replace_range(at..=at, &byte.to_string());
                let key: &'static str = key.leak();
                same(&Fields(vec![key]), &format!("{key:?}"));
                same(&Fields(vec![plain, key]), &format!("{key:?} second"));
            }
        }
    }
}

/// A value that writes itself with `collect_str`, as `Decimal` does for a
/// number it cannot write otherwise, in pieces.
struct Displayed<'a>(&'a str);

impl fmt::Display for Displayed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in self.0.split_inclusive(['"', '中']) {
            f.write_str(piece)?;
        }
        Ok(())
    }
}

impl Serialize for Displayed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[test]
fn collect_str_escapes_as_serialize_str() {
    for s in ["", "1/3", "a\"b中c\\d\n", "中中\u{1}中"] {
        same(&Displayed(s), s);
        let mut map = BTreeMap::new();
        map.insert(Displayed(s).to_string(), 1);
        same(&map, s);
    }
}

// ---- numbers ----

#[test]
fn numbers_as_serde_json_writes_them() {
    same(&[i64::MIN, -1, 0, 1, i64::MAX], "i64");
    same(&[0, u64::MAX], "u64");
    same(
        &(i8::MIN, i16::MIN, i32::MIN, u8::MAX, u16::MAX, u32::MAX),
        "small",
    );
    same(&(i128::MIN, i128::MAX, u128::MAX), "128 bits");
    let floats = [
        0.0,
        -0.0,
        0.1,
        0.3,
        1.0,
        -1.5,
        100.0,
        1e15,
        1e16,
        1e17,
        1e21,
        1e22,
        1e300,
        -1e300,
        1.5e-7,
        1e-5,
        5e-324,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
        u64::MAX as f64,
        i64::MIN as f64,
        123_456_789.123_456_79,
    ];
    for f in floats {
        same(&f, &format!("{f:e}"));
        same(&(f as f32), &format!("{f:e} as f32"));
    }
}

#[test]
fn non_finite_floats_are_null() {
    for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(ours(&f).unwrap(), b"null");
        assert_eq!(ours(&(f as f32)).unwrap(), b"null");
        same(&f, "f64");
        same(&(f as f32), "f32");
        same(&vec![Some(f), None], "in an array");
    }
}

// ---- shapes ----

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(String);

#[derive(Serialize)]
struct Tuple(i32, &'static str);

#[derive(Serialize)]
enum Variants {
    Unit,
    Newtype(u8),
    Tuple(i32, String),
    EmptyTuple(),
    Struct { a: Option<i32>, b: Vec<u8> },
    EmptyStruct {},
}

#[derive(Serialize)]
#[serde(tag = "kind")]
enum Internally {
    One { x: i32 },
    Two(BTreeMap<String, i32>),
}

#[derive(Serialize)]
#[serde(tag = "t", content = "c")]
enum Adjacently {
    One(String),
}

#[derive(Serialize)]
#[serde(untagged)]
enum Untagged {
    A(i32),
    B { s: &'static str },
}

#[derive(Serialize)]
struct Flat {
    before: i32,
    #[serde(flatten)]
    inner: Internally,
    #[serde(flatten)]
    map: BTreeMap<String, Value>,
}

/// Bytes, serialized as bytes (serde serializes `Vec<u8>` as a sequence).
struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

#[test]
fn every_shape_of_the_data_model() {
    same(&(), "unit");
    same(&Unit, "unit struct");
    same(&Newtype("中\"".into()), "newtype struct");
    same(&Tuple(-3, "x"), "tuple struct");
    same(&(1, "a", 'c', true, false, None::<i32>, Some(2)), "tuple");
    same(&Variants::Unit, "unit variant");
    same(&Variants::Newtype(7), "newtype variant");
    same(&Variants::Tuple(1, "二".into()), "tuple variant");
    same(&Variants::EmptyTuple(), "empty tuple variant");
    same(
        &Variants::Struct {
            a: None,
            b: vec![1, 2],
        },
        "struct variant",
    );
    same(&Variants::EmptyStruct {}, "empty struct variant");
    same(&Internally::One { x: 1 }, "internally tagged");
    same(
        &Internally::Two(BTreeMap::from([("k".into(), 2)])),
        "internally tagged map",
    );
    same(&Adjacently::One("x".into()), "adjacently tagged");
    same(&[Untagged::A(1), Untagged::B { s: "s" }], "untagged");
    same(
        &Flat {
            before: 0,
            inner: Internally::One { x: 5 },
            map: BTreeMap::from([("z".into(), Value::Null)]),
        },
        "flattened",
    );
    same(&Bytes(b""), "no bytes");
    same(&Bytes(b"\x00\x7f\xff"), "bytes");
    same(&Vec::<i32>::new(), "empty array");
    same(&BTreeMap::<String, i32>::new(), "empty object");
    same(&vec![vec![Vec::<()>::new()]], "nested empty arrays");
}

#[test]
fn map_keys_as_serde_json_writes_them() {
    same(&BTreeMap::from([(1i8, 1), (-2, 2)]), "i8 keys");
    same(&BTreeMap::from([(u64::MAX, 1)]), "u64 keys");
    same(&BTreeMap::from([(i128::MIN, 1)]), "i128 keys");
    same(&BTreeMap::from([(true, 1), (false, 0)]), "bool keys");
    same(&BTreeMap::from([('"', 1), ('中', 2)]), "char keys");
    same(&BTreeMap::from([(Some("k"), 1)]), "optional keys");
    same(&BTreeMap::from([("a\"\n", 1)]), "escaped keys");
    same(&Entries(&[(Newtype("n".into()), 1)]), "newtype keys");
    same(
        &BTreeMap::from([(zhengce::Role::Lead, 1), (zhengce::Role::Cooperating, 2)]),
        "unit variant keys",
    );
    let floats: Vec<(f64, i32)> = vec![(1.5, 1), (-0.0, 2), (1e300, 3)];
    same(&Entries(&floats), "float keys");
}

/// A map of these entries, of keys no standard map takes (floats,
/// variants).
struct Entries<'a, K, V>(&'a [(K, V)]);

impl<K: Serialize, V: Serialize> Serialize for Entries<'_, K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

// ---- errors ----

/// Checks that the writer refuses `value` with `message`, as serde_json
/// does, and that the error is an `io::Error` of the same kind as
/// serde_json's turned into one.
#[track_caller]
fn refused<T: Serialize + ?Sized>(value: &T, message: &str) {
    let ours = ours(value).expect_err("the writer refuses it");
    let theirs = io::Error::from(serde_json::to_vec(value).expect_err("serde_json refuses it"));
    assert_eq!(ours.kind(), io::ErrorKind::InvalidData, "{message}");
    assert_eq!(ours.kind(), theirs.kind(), "{message}");
    assert_eq!(ours.to_string(), message);
    assert_eq!(ours.to_string(), theirs.to_string());
}

/// A value whose `Serialize` fails halfway.
struct Fails;

impl Serialize for Fails {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(None)?;
        seq.serialize_element("before")?;
        Err(S::Error::custom("cannot serialize this"))
    }
}

#[test]
fn errors_come_out_as_serde_json_s_do() {
    refused(&Fails, "cannot serialize this");
    refused(&vec![Fails], "cannot serialize this");
    refused(&BTreeMap::from([(vec![1], 1)]), "key must be a string");
    refused(&BTreeMap::from([((), 1)]), "key must be a string");
    refused(&BTreeMap::from([(None::<&str>, 1)]), "key must be a string");
    refused(
        &Entries(&[(Variants::Newtype(1), 1)]),
        "key must be a string",
    );
    refused(
        &Entries(&[(f64::NAN, 1)]),
        "float key must be finite (got NaN or +/-inf)",
    );
}

/// A writer that takes `room` bytes, then fails.
struct Full {
    room: usize,
}

impl Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "full"));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failing_writer_s_error_comes_back() {
    let value = (
        "中文\"字符串\"",
        vec![1.5, 2.0],
        BTreeMap::from([("k", Some(Displayed("1/3")))]),
    );
    let length = ours(&value).unwrap().len();
    for room in 0..length {
        let e = json::to_writer(Full { room }, &value).expect_err("the writer is full");
        assert_eq!(e.kind(), io::ErrorKind::StorageFull, "room for {room}");
    }
    json::to_writer(Full { room: length }, &value).expect("there is room");
}

// ---- random strings and values ----

fn config() -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 2000;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x6a73_6f6e_6573_6361);
    }
    config.failure_persistence = None;
    config
}

/// A character of every kind the escaper tells apart: control bytes,
/// the short escapes, `"`, `\`, DEL, ASCII, and characters of two, three
/// and four bytes.
fn any_kind_of_char() -> impl Strategy<Value = char> {
    prop_oneof![
        (0u8..0x20).prop_map(char::from),
        Just('"'),
        Just('\\'),
        Just('\u{7f}'),
        (0x20u8..0x7f).prop_map(char::from),
        Just('é'),
        Just('中'),
        Just('（'),
        Just('😀'),
        any::<char>(),
    ]
}

/// Runs of such characters, some longer than a word.
fn escapable_string() -> impl Strategy<Value = String> {
    (
        0usize..8,
        prop::collection::vec((any_kind_of_char(), 1usize..12), 0..24),
    )
        .prop_map(|(offset, runs)| {
            let mut s = "a".repeat(offset);
            for (c, n) in runs {
                s.extend(std::iter::repeat_n(c, n));
            }
            s
        })
}

fn any_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec![
            1e300,
            -0.0,
            0.0,
            0.1,
            u64::MAX as f64,
            i64::MIN as f64,
            5e-324,
            f64::MAX,
            1e16,
            1.5e-7
        ])
        .prop_map(Value::from),
        prop::sample::select(vec![u64::MAX, 0, i64::MAX as u64]).prop_map(Value::from),
        Just(Value::from(i64::MIN)),
    ]
}

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any_number(),
        escapable_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((escapable_string(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn strings_with_every_kind_of_byte(s in escapable_string()) {
        let theirs = serde_json::to_vec(&s).unwrap();
        prop_assert_eq!(ours(&s).unwrap(), theirs.clone());
        prop_assert_eq!(ours(&Displayed(&s)).unwrap(), theirs);
    }

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        prop_assert_eq!(ours(&s).unwrap(), serde_json::to_vec(&s).unwrap());
    }

    #[test]
    fn next_escape_of_random_bytes(
        bytes in prop::collection::vec(
            prop_oneof![1 => Just(b'"'), 1 => Just(b'\\'), 1 => 0u8..0x20, 20 => 0x20u8..=0xff],
            0..80,
        ),
        from in 0usize..80,
    ) {
        let from = from.min(bytes.len());
        let simply = next_escape_simply(&bytes, from);
        prop_assert_eq!(json::next_escape(&bytes, from), simply);
        prop_assert_eq!(json::next_escape_swar(&bytes, from), simply);
    }

    #[test]
    fn value_trees(value in any_value()) {
        prop_assert_eq!(ours(&value).unwrap(), serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn floats(f in any::<f64>(), g in any::<f32>()) {
        prop_assert_eq!(ours(&f).unwrap(), serde_json::to_vec(&f).unwrap());
        prop_assert_eq!(ours(&g).unwrap(), serde_json::to_vec(&g).unwrap());
    }
}
