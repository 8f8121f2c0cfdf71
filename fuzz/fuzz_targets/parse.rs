//! Arbitrary bytes: `parse_bytes` either refuses them or parses what they
//! decode to; the lossy UTF-8 reading parses too. Every parse keeps the
//! invariants of `tests/common/mod.rs` (spans, coverage, JSON round trip,
//! byte-identical second parse).

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok((decoded, parsed)) = zhengce::parse_bytes(data) {
        if let Err(e) = common::check_invariants(&decoded.text, &parsed) {
            panic!("{:?} ({:?}): {e}", decoded.text, decoded.encoding);
        }
    }
    let text = String::from_utf8_lossy(data);
    if let Err(e) = common::check_all(&text) {
        panic!("{text:?}: {e}");
    }
});
