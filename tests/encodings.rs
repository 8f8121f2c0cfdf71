//! The same text in every supported encoding and with either line end
//! gives the same model.
//!
//! Every corpus text is written out as UTF-8, UTF-8 with a BOM, GB18030,
//! and UTF-16LE/BE with a BOM, each with LF and with CRLF line ends. For
//! each: `decode` gives back exactly the text (so spans, which are byte
//! offsets into the decoded text, mean the same thing whatever the file's
//! bytes) and names the encoding; the parse keeps every invariant; all
//! encodings give one model; and the CRLF model is the LF model with its
//! spans moved past the extra `\r`s.

mod common;

use serde_json::Value;
use zhengce::{Encoding, Error};

/// The corpus, decoded, with LF line ends.
fn corpus() -> Vec<(String, String)> {
    common::corpus()
        .into_iter()
        .map(|(name, text)| (name, text.replace("\r\n", "\n")))
        .collect()
}

/// `text` in every supported encoding, with the encoding `decode` should
/// name.
fn encoded(text: &str) -> Vec<(Vec<u8>, Encoding)> {
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable, "GB18030 encodes every character");
    // ASCII-only GB18030 is also UTF-8, and UTF-8 is tried first.
    let gb_encoding = if text.is_ascii() {
        Encoding::Utf8
    } else {
        Encoding::Gb18030
    };
    let mut le = b"\xff\xfe".to_vec();
    let mut be = b"\xfe\xff".to_vec();
    for unit in text.encode_utf16() {
        le.extend_from_slice(&unit.to_le_bytes());
        be.extend_from_slice(&unit.to_be_bytes());
    }
    vec![
        (text.as_bytes().to_vec(), Encoding::Utf8),
        (bom, Encoding::Utf8Bom),
        (gb.into_owned(), gb_encoding),
        (le, Encoding::Utf16Le),
        (be, Encoding::Utf16Be),
    ]
}

/// The LF model as it would be for the CRLF text: every span moved right
/// by the number of line breaks before each end, and every `\n` in a
/// string written `\r\n`.
fn to_crlf(value: &mut Value, lf: &str) {
    // Line breaks before each offset.
    let mut breaks = Vec::with_capacity(lf.len() + 1);
    let mut n = 0;
    for b in lf.bytes() {
        breaks.push(n);
        if b == b'\n' {
            n += 1;
        }
    }
    breaks.push(n);
    fn span(v: &mut Value, breaks: &[usize]) {
        if let Value::Array(ends) = v
            && ends.len() == 2
        {
            for end in ends {
                let at = end.as_u64().expect("a span is two offsets") as usize;
                *end = Value::from((at + breaks[at]) as u64);
            }
        }
    }
    fn walk(v: &mut Value, breaks: &[usize]) {
        match v {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if key.ends_with("span") && !v.is_null() {
                        span(v, breaks);
                    } else if key == "segments" {
                        if let Value::Array(spans) = v {
                            spans.iter_mut().for_each(|s| span(s, breaks));
                        }
                    } else {
                        walk(v, breaks);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, breaks)),
            Value::String(s) if s.contains('\n') => *s = s.replace('\n', "\r\n"),
            _ => {}
        }
    }
    walk(value, &breaks);
}

#[test]
fn every_encoding_and_line_end_gives_the_same_model() {
    let mut failures = Vec::new();
    for (name, lf) in corpus() {
        let crlf = lf.replace('\n', "\r\n");
        let lf_model = common::check_all(&lf).unwrap_or_else(|e| panic!("{name}: {e}"));
        let crlf_model = common::check_all(&crlf).unwrap_or_else(|e| panic!("{name} CRLF: {e}"));
        for (text, ends) in [(&lf, "LF"), (&crlf, "CRLF")] {
            let model = if ends == "LF" { &lf_model } else { &crlf_model };
            for (bytes, encoding) in encoded(text) {
                let what = format!("{name} as {encoding:?} with {ends}");
                let (decoded, parsed) = match zhengce::parse_bytes(&bytes) {
                    Ok(ok) => ok,
                    Err(e) => {
                        failures.push(format!("{what}: {e}"));
                        continue;
                    }
                };
                if decoded.encoding != encoding {
                    failures.push(format!("{what}: decoded as {:?}", decoded.encoding));
                }
                if &decoded.text != text {
                    failures.push(format!("{what}: the decoded text differs"));
                    continue;
                }
                if &parsed != model {
                    failures.push(format!("{what}: the model differs"));
                }
            }
        }
        // CRLF changes offsets, nothing else.
        let mut expected = serde_json::to_value(&lf_model).unwrap();
        to_crlf(&mut expected, &lf);
        let got = serde_json::to_value(&crlf_model).unwrap();
        if got != expected {
            failures.push(format!(
                "{name}: the CRLF model is not the LF model with spans moved: {}",
                first_difference(&expected, &got, "")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Where two JSON values first differ, as a path.
fn first_difference(a: &Value, b: &Value, path: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if v != w => return first_difference(v, w, &format!("{path}.{k}")),
                    None => return format!("{path}.{k} missing"),
                    _ => {}
                }
            }
            format!("{path}: keys differ")
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, &format!("{path}[{i}]"));
                }
            }
            path.to_owned()
        }
        _ => format!("{path}: {a} ≠ {b}"),
    }
}

/// The fixtures stored in other encodings are read as such, and their
/// models are those of the same text in UTF-8 with LF line ends.
#[test]
fn stored_encodings_are_named() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for (file, encoding) in [
        ("a03_gb18030-crlf.txt", Encoding::Gb18030),
        ("a04_utf16le-bom-crlf.txt", Encoding::Utf16Le),
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let (decoded, parsed) = zhengce::parse_bytes(&bytes).unwrap();
        assert_eq!(decoded.encoding, encoding, "{file}");
        common::check_invariants(&decoded.text, &parsed).unwrap();
        let lf = decoded.text.replace("\r\n", "\n");
        let lf_parsed = zhengce::parse(&lf);
        let mut expected = serde_json::to_value(&lf_parsed).unwrap();
        if decoded.text.contains("\r\n") {
            to_crlf(&mut expected, &lf);
        }
        assert_eq!(serde_json::to_value(&parsed).unwrap(), expected, "{file}");
    }
}

/// Bytes that are not what they claim are refused, never read as some
/// other text.
#[test]
fn broken_encodings_are_errors() {
    let text = "一、总体要求\n1.新增企业20家。\n责任单位：省经信厅\n";
    // UTF-16 without a byte order mark.
    let units: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert!(matches!(
        zhengce::decode(&units),
        Err(Error::NotText { .. } | Error::Binary { .. })
    ));
    // UTF-16 with a BOM and an odd byte at the end, or a lone surrogate.
    let mut odd = b"\xff\xfe".to_vec();
    odd.extend_from_slice(&units);
    odd.push(b'x');
    assert!(zhengce::decode(&odd).is_err());
    let mut surrogate = b"\xff\xfe".to_vec();
    surrogate.extend_from_slice(&units);
    surrogate.extend_from_slice(&0xd800u16.to_le_bytes());
    assert!(zhengce::decode(&surrogate).is_err());
    // A UTF-8 BOM before GB18030 bytes.
    let mut lying = b"\xef\xbb\xbf".to_vec();
    lying.extend_from_slice(&encoding_rs::GB18030.encode(text).0);
    assert!(matches!(
        zhengce::decode(&lying),
        Err(Error::Undecodable { .. })
    ));
    // A GB18030 text cut inside its last character.
    let gb = encoding_rs::GB18030.encode(text).0.into_owned();
    let cut = &gb[..gb.len() - 2];
    assert!(
        zhengce::decode(cut).is_err() || zhengce::decode(cut).unwrap().text.starts_with("一、")
    );
    // UTF-8 with one line in GBK: not valid UTF-8, and the UTF-8 lines are
    // not valid GB18030.
    let mut mixed = "一、总体要求\n1.新增企业20家。\n".as_bytes().to_vec();
    mixed.extend_from_slice(&encoding_rs::GB18030.encode("责任单位：省经信厅\n").0);
    assert!(matches!(
        zhengce::decode(&mixed),
        Err(Error::Undecodable { .. })
    ));
    // Latin-1.
    assert!(matches!(
        zhengce::decode(b"caf\xe9 cr\xe8me \xff"),
        Err(Error::Undecodable { .. })
    ));
}

/// A BOM is not part of the text, wherever the text is parsed from: the
/// spans of a text with a BOM written as UTF-8 are those without it.
#[test]
fn a_byte_order_mark_is_not_text() {
    let text = "1.新增企业20家。\n责任单位：省经信厅\n";
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let (decoded, parsed) = zhengce::parse_bytes(&bom).unwrap();
    assert_eq!(decoded.text, text);
    assert_eq!(parsed, zhengce::parse(text));
    // A BOM left inside the text (a file concatenated from two) is
    // whitespace to the parser, and its spans step over it.
    let inner = format!("{text}\u{feff}2.新增企业30家。\n");
    common::check_all(&inner).unwrap();
}

/// Traditional Chinese in Big5 reads as itself, named Big5: the same
/// model as the text in UTF-8, with either line end.
#[test]
fn big5_reads_as_itself() {
    let lf = "一、總體要求\n\
              1.新增高新技術企業4000家。\n\
              責任單位：省科技廳、省經信廳\n\
              2.推進數字貿易（省商務廳牽頭，省委網信辦配合）。\n\
              二〇二三年二月十日\n";
    for text in [lf.to_owned(), lf.replace('\n', "\r\n")] {
        let (bytes, _, unmappable) = encoding_rs::BIG5.encode(&text);
        assert!(!unmappable, "the sample is all Big5");
        let (decoded, parsed) = zhengce::parse_bytes(&bytes).expect("Big5 is text");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, Encoding::Big5);
        assert_eq!(parsed, common::check_all(&text).unwrap());
    }
}
