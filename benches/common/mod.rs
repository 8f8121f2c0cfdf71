//! What both benchmarks share: the corpus, the big inputs made from it, and
//! the scan floor every group is compared with.

use criterion::{BenchmarkGroup, Criterion, Throughput, measurement::WallTime};
use regex::Regex;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// Every fixture's name and decoded text, in name order.
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

/// The inputs: each corpus text, then the whole corpus repeated to 1, 8
/// and 64 MB (`ZHENGCE_BENCH_BIG=0` leaves those out).
pub fn inputs() -> Vec<(String, String)> {
    let texts = corpus();
    let mut inputs = texts.clone();
    if std::env::var("ZHENGCE_BENCH_BIG").map_or(true, |v| v != "0") {
        for mb in [1, 8, 64] {
            inputs.push((format!("corpus-{mb}MB"), repeated(&texts, mb << 20)));
        }
    }
    inputs
}

/// The scan floor: UTF-8 validation, splitting lines and one regex pass
/// over every numeral run, the least any parser of these texts must do.
fn floor(bytes: &[u8], numerals: &Regex) -> usize {
    let text = std::str::from_utf8(bytes).expect("valid UTF-8");
    let mut n = 0;
    for line in text.lines() {
        n += numerals.find_iter(line).count();
    }
    n
}

/// A group for one input, measured in bytes per second, with the floor
/// measured first: a ratio is only read between groups of the same run.
pub fn group<'c>(c: &'c mut Criterion, name: &str, text: &str) -> BenchmarkGroup<'c, WallTime> {
    let numerals = Regex::new(r"[0-9０-９.．零〇一二两三四五六七八九十百千万亿]+").unwrap();
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(text.len() as u64));
    if text.len() > 4 << 20 {
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(20));
    }
    group.bench_function("floor", |b| {
        b.iter(|| floor(black_box(text.as_bytes()), &numerals))
    });
    group
}
