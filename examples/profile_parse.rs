//! Parses the corpus in a loop: a target for profilers
//! (`valgrind --tool=callgrind target/release/examples/profile_parse`).

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut texts = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).expect("readable");
        texts.push(zhengce::decode(&bytes).expect("text").text);
    }
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let mut tasks = 0;
    for _ in 0..rounds {
        for t in &texts {
            tasks += zhengce::parse(t).document.tasks().len();
        }
    }
    println!("{tasks}");
}
