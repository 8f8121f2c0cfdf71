//! Parses the corpus in a loop: a target for profilers.
//!
//! ```text
//! valgrind --tool=callgrind target/release/examples/profile_parse [ROUNDS] [FILTER] [--no-targets] [--concat]
//! ```
//!
//! `FILTER` keeps the fixtures whose name contains it; `--no-targets`
//! parses without target extraction, to see what targets cost; `--concat`
//! parses the fixtures joined into one text, as the benchmark's big inputs
//! are made.

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let no_targets = args.iter().any(|a| a == "--no-targets");
    let concat = args.iter().any(|a| a == "--concat");
    args.retain(|a| a != "--no-targets" && a != "--concat");
    let rounds: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(3);
    let filter = args.get(1).cloned().unwrap_or_default();

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut texts = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).expect("readable");
        texts.push(zhengce::decode(&bytes).expect("text").text);
    }
    if concat {
        let mut all = String::new();
        for t in &texts {
            all.push_str(t);
            all.push('\n');
        }
        texts = vec![all];
    }
    let options = zhengce::Options::default().targets(!no_targets);
    let mut tasks = 0;
    for _ in 0..rounds {
        for t in &texts {
            tasks += zhengce::parse_with(t, options).document.tasks().len();
        }
    }
    println!("{tasks}");
}
