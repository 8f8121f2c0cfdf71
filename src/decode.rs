//! Stage 0: bytes → text. UTF-8 with or without BOM, UTF-16 with a BOM,
//! GB18030 (and so GBK and GB2312) when the bytes are not UTF-8, Big5 when
//! GB18030 reads them into private-use characters; anything
//! that is not text is an [`Error`].

use crate::error::Error;
use serde::{Deserialize, Serialize};

/// The encoding the bytes were decoded from.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 after a byte order mark (removed from the text).
    Utf8Bom,
    /// UTF-16, little-endian, after a byte order mark.
    Utf16Le,
    /// UTF-16, big-endian, after a byte order mark.
    Utf16Be,
    /// GB18030, which includes GBK and GB2312.
    Gb18030,
    /// Big5 (traditional Chinese), when the bytes are not UTF-8 and read
    /// as GB18030 only into private-use characters.
    Big5,
}

/// Text decoded from bytes. Every span the parser gives is a byte offset
/// into `text`, not into the original bytes.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Decoded {
    /// The text, without a byte order mark.
    pub text: String,
    /// What it was decoded from.
    pub encoding: Encoding,
}

/// File signatures of formats that are not text, with what to call them.
const SIGNATURES: &[(&[u8], &str)] = &[
    (
        b"PK\x03\x04",
        "a ZIP archive (a .docx, .xlsx or .odt file?)",
    ),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"%PDF", "a PDF document"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an OLE compound file (a .doc or .xls file?)",
    ),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
];

/// Decodes `bytes` into text.
///
/// # Errors
///
/// [`Error::NotText`] for a known binary format, [`Error::Binary`] for
/// bytes with NUL or many control characters, [`Error::Undecodable`] when
/// the bytes are neither UTF-8 nor GB18030.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Error> {
    match sniff(bytes)? {
        Sniffed::Text(text, encoding) => checked(text, encoding),
        Sniffed::Plain { controls } => match utf8(bytes) {
            Ok(text) => plain(text.to_owned(), controls),
            Err(valid_up_to) => legacy(bytes, valid_up_to),
        },
    }
}

/// Decodes `bytes` into text like [`decode()`], reusing the buffer when
/// it already is UTF-8 without a byte order mark: a large file is then
/// not copied, and never held twice.
///
/// # Errors
///
/// As [`decode()`].
pub fn decode_vec(bytes: Vec<u8>) -> Result<Decoded, Error> {
    match sniff(&bytes)? {
        Sniffed::Text(text, encoding) => checked(text, encoding),
        Sniffed::Plain { controls } => {
            let valid_up_to = encoding_rs::Encoding::utf8_valid_up_to(&bytes);
            if valid_up_to < bytes.len() {
                return legacy(&bytes, valid_up_to);
            }
            // SAFETY: `utf8_valid_up_to` has just read every byte as UTF-8.
            // It is encoding_rs's validator, several times faster than
            // std's on Chinese text (std walks it a character at a
            // time), and what `decode` relies on too (see `utf8`); the
            // `valid_utf8_agrees_with_std` proptest holds the two to the
            // same answer. `String::from_utf8` would read the bytes again.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            plain(text, controls)
        }
    }
}

/// `bytes` as UTF-8 text, or how far they are UTF-8: encoding_rs's
/// validator, several times faster than `std::str::from_utf8` on text that
/// is mostly three-byte characters.
fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    match encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(std::borrow::Cow::Borrowed(text)) => Ok(text),
        // Valid UTF-8 is always borrowed; anything else is not UTF-8.
        _ => Err(encoding_rs::Encoding::utf8_valid_up_to(bytes)),
    }
}

/// What the first look at the bytes found.
enum Sniffed {
    /// Text behind a byte order mark, decoded.
    Text(String, Encoding),
    /// No byte order mark, no binary signature, no NUL: UTF-8 or a legacy
    /// encoding. `controls` is [`may_have_controls`] of the bytes, which
    /// as UTF-8 are the text's.
    Plain { controls: bool },
}

/// Byte order marks, signatures of binary formats and NUL bytes: all that
/// decides the encoding before the bytes are read as UTF-8.
fn sniff(bytes: &[u8]) -> Result<Sniffed, Error> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return match utf8(rest) {
            Ok(text) => Ok(Sniffed::Text(text.to_owned(), Encoding::Utf8Bom)),
            Err(valid_up_to) => Err(Error::Undecodable {
                offset: 3 + valid_up_to,
            }),
        };
    }
    for (bom, encoding, ours) in [
        (&b"\xff\xfe"[..], encoding_rs::UTF_16LE, Encoding::Utf16Le),
        (&b"\xfe\xff"[..], encoding_rs::UTF_16BE, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match encoding.decode_without_bom_handling_and_without_replacement(rest) {
                Some(text) => Ok(Sniffed::Text(text.into_owned(), ours)),
                None => Err(Error::Undecodable { offset: 2 }),
            };
        }
    }
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(Error::NotText { found: what });
    }
    // NUL is one of the bytes `may_have_controls` looks for, so that one
    // pass over the bytes, which most texts need anyway, tells the common
    // case (no NUL, no control character) from the rest.
    let controls = may_have_controls(bytes);
    if controls && let Some(offset) = bytes.iter().position(|&b| b == 0) {
        let nuls = bytes.iter().take(4096).filter(|&&b| b == 0).count();
        let sample = bytes.len().min(4096);
        return Err(if nuls * 4 >= sample && sample >= 4 {
            Error::NotText {
                found: "UTF-16 without a byte order mark, or other binary data",
            }
        } else {
            Error::Binary { offset }
        });
    }
    Ok(Sniffed::Plain { controls })
}

/// Bytes that are not UTF-8 (they are up to `valid_up_to`): GB18030, else
/// Big5, else an error at the first byte UTF-8 could not read.
fn legacy(bytes: &[u8], valid_up_to: usize) -> Result<Decoded, Error> {
    let gb = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes);
    if let Some(text) = &gb
        && !misdecoded(text)
    {
        return checked(text.clone().into_owned(), Encoding::Gb18030);
    }
    // Big5 bytes are mostly valid GB18030 too, but decode into
    // private-use characters: try Big5 before settling for that.
    let big5 = encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(bytes);
    match (big5, gb) {
        (Some(text), _) if !misdecoded(&text) => checked(text.into_owned(), Encoding::Big5),
        _ => Err(Error::Undecodable {
            offset: valid_up_to,
        }),
    }
}

/// Whether text decoded from a legacy encoding looks like the wrong one:
/// more than one in fifty of its non-ASCII characters in the private-use
/// area, where no real Chinese text has them.
fn misdecoded(text: &str) -> bool {
    let mut wide = 0usize;
    let mut private = 0usize;
    for c in text.chars() {
        if !c.is_ascii() {
            wide += 1;
            if ('\u{e000}'..='\u{f8ff}').contains(&c) {
                private += 1;
            }
        }
    }
    private * 50 > wide
}

/// UTF-8 text without a byte order mark: [`checked`] when its bytes may
/// hold a control character, as `sniff` found.
fn plain(text: String, controls: bool) -> Result<Decoded, Error> {
    if controls {
        checked(text, Encoding::Utf8)
    } else {
        Ok(Decoded {
            text,
            encoding: Encoding::Utf8,
        })
    }
}

/// Rejects decoded text that is mostly control characters.
fn checked(text: String, encoding: Encoding) -> Result<Decoded, Error> {
    if !may_have_controls(text.as_bytes()) {
        return Ok(Decoded { text, encoding });
    }
    let mut controls = 0usize;
    let mut total = 0usize;
    let mut first = None;
    for (i, c) in text.char_indices() {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}' | '\u{b}') {
            controls += 1;
            first.get_or_insert(i);
        }
    }
    if let Some(offset) = first
        && controls * 20 > total
    {
        return Err(Error::Binary { offset });
    }
    Ok(Decoded { text, encoding })
}

/// Whether UTF-8 `bytes` may hold a control character other than the line
/// and page breaks and tabs: a C0 byte outside `\t`..=`\r` (NUL among
/// them), DEL, or the lead byte `C2` of the C1 controls (U+0080..U+009F;
/// it also leads U+00A0..U+00BF, which only costs the exact count). Folded
/// without an early exit over blocks of 64 bytes, so the compiler can
/// vectorise it: most texts have none, and pay a fraction of a decoding
/// walk.
fn may_have_controls(bytes: &[u8]) -> bool {
    // `0x0E..0x20` as one compare: below 0x0E the subtraction wraps round
    // to 0xF2 and up.
    let control = |b: u8| (b < b'\t') | (b.wrapping_sub(0x0E) < 0x12) | (b == 0x7F) | (b == 0xC2);
    let (blocks, tail) = bytes.as_chunks::<64>();
    blocks
        .iter()
        .any(|block| block.iter().fold(false, |any, &b| any | control(b)))
        || tail.iter().any(|&b| control(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "四、卢山副省长牵头重点工作\r\n1.新增智能工厂150家。\r\n";

    #[test]
    fn every_encoding_gives_the_same_text() {
        let utf8 = SAMPLE.as_bytes().to_vec();
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let (gb, _, _) = encoding_rs::GB18030.encode(SAMPLE);
        let mut le = b"\xff\xfe".to_vec();
        let mut be = b"\xfe\xff".to_vec();
        for unit in SAMPLE.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        for (bytes, encoding) in [
            (utf8, Encoding::Utf8),
            (bom, Encoding::Utf8Bom),
            (gb.into_owned(), Encoding::Gb18030),
            (le, Encoding::Utf16Le),
            (be, Encoding::Utf16Be),
        ] {
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, SAMPLE);
            assert_eq!(d.encoding, encoding);
            assert_eq!(decode_vec(bytes).unwrap(), d);
        }
    }

    #[test]
    fn decode_vec_fails_as_decode_does() {
        for bytes in [
            &b"PK\x03\x04\x14\x00"[..],
            b"abc\x00def",
            b"ok\xff",
            &[0x01, 0x02, 0x03, 0x04, 0x05, b'a'],
            b"\xef\xbb\xbfok\xff",
        ] {
            assert_eq!(
                decode_vec(bytes.to_vec()).unwrap_err().to_string(),
                decode(bytes).unwrap_err().to_string()
            );
        }
    }

    /// The quick test for control characters never misses one the exact
    /// count would find: every control character of the BMP's first 256
    /// code points, alone and among CJK text, at every place in a block.
    #[test]
    fn control_prefilter_misses_nothing() {
        for u in 0u32..=0xFF {
            let c = char::from_u32(u).unwrap();
            let counted = c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}' | '\u{b}');
            for at in [0, 1, 63, 64, 65] {
                let mut text = "政".repeat(at / 3) + &"a".repeat(at % 3);
                text.push(c);
                text.push('策');
                if counted {
                    assert!(may_have_controls(text.as_bytes()), "U+{u:04X} at {at}");
                }
            }
        }
        assert!(!may_have_controls(
            "四、新增智能工厂150家。\r\n\t".as_bytes()
        ));
        // Mostly controls: still rejected through the exact count.
        let mut bin = vec![b'a'];
        bin.extend_from_slice(&[0x01; 40]);
        assert!(matches!(decode_vec(bin), Err(Error::Binary { offset: 1 })));
    }

    #[test]
    fn binary_formats_are_named() {
        let e = decode(b"PK\x03\x04\x14\x00\x06\x00").unwrap_err();
        assert!(e.to_string().contains(".docx"), "{e}");
        let e = decode(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3").unwrap_err();
        assert!(e.to_string().contains("PDF"), "{e}");
        let e = decode(b"\x89PNG\r\n\x1a\n\x00\x00").unwrap_err();
        assert!(e.to_string().contains("PNG"), "{e}");
        assert!(matches!(
            decode(b"abc\x00def"),
            Err(Error::Binary { offset: 3 })
        ));
        let e = decode(&[0x01, 0x02, 0x03, 0x04, 0x05, b'a']).unwrap_err();
        assert!(matches!(e, Error::Binary { .. }), "{e}");
    }

    #[test]
    fn undecodable_bytes_are_an_error() {
        // 0xFF is neither UTF-8 nor GB18030.
        assert!(matches!(
            decode(b"ok\xff"),
            Err(Error::Undecodable { offset: 2 })
        ));
    }

    #[test]
    fn empty_input_is_empty_text() {
        assert_eq!(decode(b"").unwrap().text, "");
    }

    /// Valid UTF-8 text with bytes cut, swapped or broken in: most cases
    /// are near-UTF-8, where a validator's edge cases are.
    fn near_utf8() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        (
            "[a-z0-9 一二三万亿，。、（）\u{80}-\u{7ff}\u{fff0}-\u{ffff}🙂]{0,40}",
            proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
        )
            .prop_map(|(text, edits)| {
                let mut bytes = text.into_bytes();
                for (at, byte) in edits {
                    if !bytes.is_empty() {
                        let at = at.index(bytes.len());
                        bytes[at] = byte;
                    }
                }
                bytes
            })
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        /// `decode` and `decode_vec` trust encoding_rs's validator (the
        /// latter to skip std's); it must answer as std does, valid or not
        /// and where it stops.
        #[test]
        fn valid_utf8_agrees_with_std(bytes in near_utf8()) {
            let std = std::str::from_utf8(&bytes);
            proptest::prop_assert_eq!(
                encoding_rs::Encoding::utf8_valid_up_to(&bytes),
                std.map_or_else(|e| e.valid_up_to(), str::len)
            );
            proptest::prop_assert_eq!(utf8(&bytes).ok(), std.ok());
            // And the two entry points decode alike, valid or not.
            proptest::prop_assert_eq!(decode_vec(bytes.clone()), decode(&bytes));
        }
    }
}
