//! Parse throughput over the corpus in `fixtures/`, in MB/s.
//!
//! `cargo bench --bench parse` runs it; criterion reports each input's
//! throughput (`thrpt`). Each corpus text is one input, and `corpus-all`
//! is every corpus text concatenated.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut texts = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/ is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        let decoded = zhengce::decode(&bytes).expect("fixture is text");
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        texts.push((name, decoded.text));
    }
    texts
}

fn bench_parse(c: &mut Criterion) {
    let texts = corpus();
    let mut group = c.benchmark_group("parse");
    for (name, text) in &texts {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name.as_str(), |b| {
            b.iter(|| zhengce::parse(black_box(text)))
        });
    }
    let all: String = texts.iter().map(|(_, t)| format!("{t}\n")).collect();
    group.throughput(Throughput::Bytes(all.len() as u64));
    group.bench_function("corpus-all", |b| b.iter(|| zhengce::parse(black_box(&all))));
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
