//! Every bug the reliability suite (proptest, fuzzing, hostile input,
//! encodings) found, as a plain test with the smallest input that shows
//! it.
//!
//! A bug not yet fixed is `#[ignore = "bug: …"]`, so that CI stays green;
//! run them with `cargo test --release --test regressions -- --ignored`
//! (the timing tests are meant for a release build; in a debug build they
//! are slower but still pass once fixed). When a bug is fixed, remove its
//! `ignore`: the test then guards the fix.
//!
//! Timing tests compare the time for an input of size n with one of size
//! 8n: linear code takes about 8 times as long, quadratic code 64 (the
//! factor is larger than `tests/hostile.rs`'s 4 so that a quadratic term
//! shows over a slow linear one in a debug build too). They use
//! `common::assert_linear`, which retries before failing.

mod common;

/// Growth from n to 8n: linear is about 8, quadratic 64.
const FACTOR: usize = 8;
const LIMIT: f64 = 20.0;

// ---- superlinear time ----

/// `header::split` looked, for every date line before the first label,
/// through every line after it for an outline marker: quadratic in the
/// number of date lines when there is no marker after them. Found by
/// `tests/hostile.rs`; fixed in 9828040.
#[test]
fn many_date_lines_take_linear_time() {
    common::assert_linear(
        "date lines",
        &|n| "2023年2月10日\n".repeat(n),
        4_000,
        FACTOR,
        LIMIT,
    );
}

/// `agency::split_at_joiner` counted and searched the rest of an item for
/// every `和`, `及` or `与` in it: quadratic in the length of an item with
/// many joiners. Fixed in 9828040.
#[test]
fn many_joiners_in_one_agency_item_take_linear_time() {
    common::assert_linear(
        "和 in one item",
        &|n| format!("1.任务。\n责任单位：{}省厅\n", "经信和".repeat(n)),
        8_000,
        FACTOR,
        LIMIT,
    );
}

/// … and recursed once per split, so that one task with 10 000 agencies
/// joined by `和` overflowed the stack: about 3 000 overflowed a 1 MiB
/// stack in a debug build, 100 000 the main thread's 8 MiB in a release
/// build. A stack overflow aborts the process; the test runs in a child.
/// Fixed in 9828040.
#[test]
fn agencies_joined_by_he_do_not_overflow_the_stack() {
    common::isolated("agencies_joined_by_he_do_not_overflow_the_stack", || {
        let text = format!(
            "1.任务。\n责任单位：{}\n",
            vec!["省经信厅"; 10_000].join("和")
        );
        let parsed = common::parse_on_small_stack(text, 1 << 20);
        let agencies: usize = parsed
            .document
            .tasks()
            .iter()
            .map(|t| t.agencies().count())
            .sum();
        assert_eq!(agencies, 10_000);
    });
}

/// `outline::Builder::takes_paragraphs` scanned the text of the open item
/// (for `。` and its length) for every unnumbered paragraph after it:
/// time grew with the item's length times the number of paragraphs.
/// Fixed in 9828040.
#[test]
fn paragraphs_after_a_long_item_take_linear_time() {
    common::assert_linear(
        "paragraphs after a long item",
        &|n| {
            format!(
                "一、{}\n{}",
                "推进经济高质量发展".repeat(n),
                "段落。\n".repeat(n)
            )
        },
        500,
        FACTOR,
        LIMIT,
    );
}

/// Lines of prose of the same width (text hard-wrapped by a PDF
/// converter) were joined into one paragraph in quadratic time. Fixed in
/// 9828040.
#[test]
fn hard_wrapped_lines_take_linear_time() {
    common::assert_linear(
        "hard-wrapped prose",
        &|n| "推进经济高质量发展推进经济高质量发展\n".repeat(n),
        250,
        FACTOR,
        LIMIT,
    );
    common::assert_linear(
        "a hard-wrapped task",
        &|n| format!("1.{}", "推进经济高质量发展推进经济高质量发展\n".repeat(n)),
        250,
        FACTOR,
        LIMIT,
    );
}

/// A table whose columns are separated by tabs took quadratic time in
/// its number of rows. Fixed in 9828040.
#[test]
fn tab_tables_take_linear_time() {
    common::assert_linear(
        "tab table",
        &|n| {
            (1..=n)
                .map(|i| format!("{i}\t任务\t省经信厅\t省财政厅\t年底前\n"))
                .collect()
        },
        250,
        FACTOR,
        LIMIT,
    );
}

/// A list of subjects sharing one number with `各` (`A、B、C各5名`): time
/// grew faster than the square of the list's length. Fixed in 9828040.
#[test]
fn long_each_lists_take_linear_time() {
    common::assert_linear(
        "各 list",
        &|n| format!("1.{}各5名\n", "人才、".repeat(n)),
        500,
        FACTOR,
        LIMIT,
    );
}

// ---- encodings ----

/// Big5 text (traditional Chinese, as from Taiwan or Hong Kong) is valid
/// GB18030 byte for byte, and was decoded as GB18030 into nonsense with
/// private-use characters, without an error or a diagnostic: the text was
/// silently lost. Found by `tests/encodings.rs`; fixed in 9828040 (read
/// as Big5).
#[test]
fn big5_is_not_read_as_gb18030() {
    let text = "一、總體要求\n1.新增企業20家。\n責任單位：省經信廳、省財政廳\n";
    let (bytes, _, _) = encoding_rs::BIG5.encode(text);
    match zhengce::decode(&bytes) {
        Err(_) => {}
        Ok(decoded) => assert_eq!(
            decoded.text, text,
            "decoded as {:?} into nonsense",
            decoded.encoding
        ),
    }
}
