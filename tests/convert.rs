//! The converter example as a user runs it: formats, stdin, errors and
//! exit codes. `cargo test` builds examples before running tests.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn converter() -> PathBuf {
    let mut path = std::env::current_exe().expect("test binary path");
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.join("examples")
        .join(format!("convert{}", std::env::consts::EXE_SUFFIX))
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(converter())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the convert example is built by cargo test");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default())
        .expect("write stdin");
    drop(input);
    child.wait_with_output().expect("converter runs")
}

const SEED: &str = "fixtures/00_zhejiang-2023-fengong-fragment.txt";

#[test]
fn json_is_the_whole_model() {
    let out = run(&[SEED], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["encoding"], "utf8");
    let parsed: zhengce::Parsed = serde_json::from_value(serde_json::json!({
        "document": v["document"],
        "diagnostics": v["diagnostics"],
    }))
    .expect("the JSON reads back into the model");
    let text = std::fs::read_to_string(SEED).unwrap();
    assert_eq!(parsed, zhengce::parse(&text));
}

#[test]
fn jsonl_is_one_task_per_line() {
    let out = run(&["--format", "jsonl", SEED], None);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 17);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    for key in [
        "path", "number", "heading", "leader", "text", "span", "agencies", "deadline", "targets",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["number"], "3.");
    let agency = &first["agencies"][0];
    for key in ["name", "alias", "role", "group", "span"] {
        assert!(agency.get(key).is_some(), "agency missing {key}");
    }
    let last: serde_json::Value = serde_json::from_str(lines[16]).unwrap();
    assert_eq!(last["number"], serde_json::Value::Null);
    assert_eq!(last["path"], serde_json::json!(["五、"]));
    // Diagnostics go to stderr with a position.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(":1:1: warning: responsibility with no task before it"),
        "{stderr}"
    );
}

#[test]
fn dash_reads_stdin() {
    let out = run(
        &["--format", "jsonl", "-"],
        Some("1.新增企业20家。\n责任单位：省经信厅\n".as_bytes()),
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["agencies"][0]["name"], "省经信厅");
}

#[test]
fn missing_file_is_exit_3_with_the_name() {
    let out = run(&["no/such/file.txt"], None);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no/such/file.txt"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn binary_input_is_exit_4() {
    let out = run(&["-"], Some(b"%PDF-1.7\n\x00\x01binary"));
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("PDF"), "{stderr}");
}

#[test]
fn bad_arguments_are_exit_2() {
    let out = run(&["--format", "xml", SEED], None);
    assert_eq!(out.status.code(), Some(2));
}
