//! Throughput over the corpus in `fixtures/`, in MB/s, measured against a
//! floor in the same run.
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
//! - `convert`: the converter's run end to end: read the text from a file,
//!   decode, parse, write the JSON lines to a file.
//!
//! Inputs: each corpus text, and the whole corpus concatenated and repeated
//! to 1 MB, 8 MB and 64 MB (`ZHENGCE_BENCH_BIG=0` skips the big ones).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use regex::Regex;
use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/ is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("fixture is readable");
            let decoded = zhengce::decode(&bytes).expect("fixture is text");
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, decoded.text)
        })
        .collect()
}

/// The whole corpus, repeated until it is at least `size` bytes.
fn repeated(texts: &[(String, String)], size: usize) -> String {
    let mut all = String::with_capacity(size + 64 * 1024);
    while all.len() < size {
        for (_, t) in texts {
            all.push_str(t);
            all.push('\n');
        }
    }
    all
}

fn floor(bytes: &[u8], numerals: &Regex) -> usize {
    let text = std::str::from_utf8(bytes).expect("valid UTF-8");
    let mut n = 0;
    for line in text.lines() {
        n += numerals.find_iter(line).count();
    }
    n
}

fn jsonl(text: &str, out: &mut Vec<u8>) {
    out.clear();
    let parsed = zhengce::parse(text);
    for record in parsed.document.records() {
        serde_json::to_writer(&mut *out, &record).expect("records serialize");
        out.push(b'\n');
    }
    out.flush().expect("vec flush");
}

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
        serde_json::to_writer(&mut out, &record).expect("records serialize");
        out.write_all(b"\n").expect("output is writable");
    }
    out.flush().expect("output is writable");
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let numerals = Regex::new(r"[0-9０-９.．零〇一二两三四五六七八九十百千万亿]+").unwrap();
    let mut inputs: Vec<(String, String)> = texts.clone();
    let big = std::env::var("ZHENGCE_BENCH_BIG").map_or(true, |v| v != "0");
    if big {
        for mb in [1, 8, 64] {
            inputs.push((format!("corpus-{mb}MB"), repeated(&texts, mb << 20)));
        }
    }
    let mut buffer = Vec::new();
    for (name, text) in &inputs {
        let mut group = c.benchmark_group(name.as_str());
        group.throughput(Throughput::Bytes(text.len() as u64));
        if text.len() > 4 << 20 {
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(20));
        }
        group.bench_function("floor", |b| {
            b.iter(|| floor(black_box(text.as_bytes()), &numerals))
        });
        group.bench_function("parse", |b| b.iter(|| zhengce::parse(black_box(text))));
        let outline_only = zhengce::Options::default().targets(false);
        group.bench_function("parse-no-targets", |b| {
            b.iter(|| zhengce::parse_with(black_box(text), outline_only))
        });
        group.bench_function("jsonl", |b| b.iter(|| jsonl(black_box(text), &mut buffer)));
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (input, output) = (dir.path().join("in.txt"), dir.path().join("out.jsonl"));
        std::fs::write(&input, text).expect("temporary input");
        group.bench_function("convert", |b| b.iter(|| convert(&input, &output)));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
