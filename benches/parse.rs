//! Throughput of the library over the corpus in `fixtures/`, in MB/s,
//! measured against a floor in the same run, with the system allocator (the
//! one a program using the library gets unless it picks another).
//!
//! `cargo bench --bench parse` runs it; criterion reports each input's
//! throughput (`thrpt`). Groups:
//!
//! - `floor`: UTF-8 validation, splitting lines and one regex pass over
//!   every numeral run: the least any parser of these texts must do.
//! - `parse`: [`zhengce::parse`], outline, agencies and targets.
//! - `parse-no-targets`: the same without target extraction, to show
//!   what targets cost.
//! - `jsonl`: parse, then write every task record as JSON lines into a
//!   buffer, as the converter does.
//!
//! Inputs: each corpus text, and the whole corpus concatenated and repeated
//! to 1 MB, 8 MB and 64 MB (`ZHENGCE_BENCH_BIG=0` skips the big ones). The
//! converter's run end to end is `benches/convert.rs`.

mod common;
#[path = "../examples/convert/json.rs"]
mod json;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn jsonl(text: &str, out: &mut Vec<u8>) {
    out.clear();
    let parsed = zhengce::parse(text);
    for record in parsed.document.records() {
        json::to_writer(&mut *out, &record).expect("records serialize");
        out.push(b'\n');
    }
}

fn bench(c: &mut Criterion) {
    let mut buffer = Vec::new();
    for (name, text) in &common::inputs() {
        let mut group = common::group(c, name, text);
        group.bench_function("parse", |b| b.iter(|| zhengce::parse(black_box(text))));
        let outline_only = zhengce::Options::default().targets(false);
        group.bench_function("parse-no-targets", |b| {
            b.iter(|| zhengce::parse_with(black_box(text), outline_only))
        });
        group.bench_function("jsonl", |b| b.iter(|| jsonl(black_box(text), &mut buffer)));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
