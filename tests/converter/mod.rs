//! Running the converter example as a user does, for the converter's test
//! files (`mod converter;`).

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The seed fragment of the corpus.
pub const SEED: &str = "fixtures/00_zhejiang-2023-fengong-fragment.txt";

/// The converter binary, which `cargo test` builds before the tests.
pub fn converter() -> PathBuf {
    let mut path = std::env::current_exe().expect("test binary path");
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.join("examples")
        .join(format!("convert{}", std::env::consts::EXE_SUFFIX))
}

/// The repository, where the tests run the converter.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the converter in the repository with `args`, feeding `stdin`.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    run_in(root(), args, stdin)
}

/// Runs the converter in `dir`.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(converter())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the convert example is built by cargo test");
    let mut input = child.stdin.take().expect("stdin");
    // The converter may exit before reading stdin.
    let _ = input.write_all(stdin.unwrap_or_default());
    drop(input);
    child.wait_with_output().expect("converter runs")
}

/// Standard output of a run that must succeed, as text.
pub fn ok(out: Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The corpus texts, `fixtures/*.txt`, sorted.
pub fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .expect("fixtures/ is readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
}

/// The library's records of a text, for comparing with what the
/// converter wrote.
pub fn records(path: &Path) -> Vec<zhengce::TaskRecord> {
    let bytes = std::fs::read(path).expect("readable");
    let (_, parsed) = zhengce::parse_bytes(&bytes).expect("text");
    parsed.document.task_records()
}
