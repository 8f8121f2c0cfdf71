//! The converter's run end to end, in MB/s, measured against the same
//! floor as `benches/parse.rs` in the same run.
//!
//! The converter (`examples/convert`) is a program, and like many
//! command-line programs that build many small objects, it picks its
//! allocator: mimalloc. This benchmark is a program of its own with the
//! same allocator, so that it measures what the converter does. Groups:
//!
//! - `floor`: as in `benches/parse.rs`.
//! - `convert`: read the text from a file, `decode_vec`, parse, write every
//!   task record as JSON lines to a file.
//! - `parse-mimalloc`: [`zhengce::parse`] alone under the converter's
//!   allocator, to compare with `parse` in `benches/parse.rs`.
//!
//! Inputs are those of `benches/parse.rs`; each input's group is named
//! `converter-` and the input's name.

mod common;
#[path = "../examples/convert/json.rs"]
mod json;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Write;
use std::path::Path;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The converter's run on one file, end to end: read the file, decode it
/// in place, parse, write every task record as JSON lines to a file.
fn convert(input: &Path, output: &Path) {
    let bytes = std::fs::read(input).expect("input is readable");
    let decoded = zhengce::decode_vec(bytes).expect("input is text");
    // As the converter does for a file: the text is freed once the outline
    // is made (its diagnostics read the file again, and are not measured).
    let parsed = zhengce::parse_owned(decoded.text, zhengce::Options::default());
    let file = std::fs::File::create(output).expect("output is writable");
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    for record in parsed.document.records() {
        json::to_writer(&mut out, &record).expect("records serialize");
        out.write_all(b"\n").expect("output is writable");
    }
    out.flush().expect("output is writable");
}

fn bench(c: &mut Criterion) {
    for (name, text) in &common::inputs() {
        // Named apart from `benches/parse.rs`'s groups, whose floor criterion
        // would otherwise take for this one's last run.
        let mut group = common::group(c, &format!("converter-{name}"), text);
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (input, output) = (dir.path().join("in.txt"), dir.path().join("out.jsonl"));
        std::fs::write(&input, text).expect("temporary input");
        group.bench_function("convert", |b| b.iter(|| convert(&input, &output)));
        group.bench_function("parse-mimalloc", |b| {
            b.iter(|| zhengce::parse(black_box(text)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
