//! The examples beside the converter, run as a user runs them.

use std::path::PathBuf;
use std::process::Command;

fn example(name: &str) -> PathBuf {
    let mut path = std::env::current_exe().expect("test binary path");
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn agency_duties_lists_exactly_the_tasks_that_name_the_agency() {
    let out = Command::new(example("agency_duties"))
        .args([
            "fixtures/00_zhejiang-2023-fengong-fragment.txt",
            "省经济和信息化厅",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the example is built by cargo test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    // 四/1–8, 10, 11, 13–15 name 省经信厅 (through the alias table).
    let named: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("  四、"))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        named,
        [
            "四、1.",
            "四、2.",
            "四、3.",
            "四、4.",
            "四、5.",
            "四、6.",
            "四、7.",
            "四、8.",
            "四、10.",
            "四、11.",
            "四、13.",
            "四、14.",
            "四、15."
        ]
    );
    assert!(stdout.contains("target: 力争规上工业增加值增长5.5%"));
    // Three more name a group it may belong to, marked with `?`.
    let via: Vec<&str> = stdout.lines().filter(|l| l.starts_with('?')).collect();
    assert_eq!(via.len(), 3, "{via:?}");
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .starts_with("省经济和信息化厅: 16 tasks")
    );
}

#[test]
fn agency_duties_without_arguments_is_a_usage_error() {
    let out = Command::new(example("agency_duties")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The profiler's target parses the fixtures it is given, round after
/// round, with or without targets, and prints how many tasks it saw.
#[test]
fn profile_parse_counts_the_tasks_it_parses() {
    let seed = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/00_zhejiang-2023-fengong-fragment.txt"),
    )
    .unwrap();
    let tasks = zhengce::parse(&seed).document.tasks().len();
    assert!(tasks > 10);
    for args in [
        &["3", "00_zhejiang"][..],
        &["3", "00_zhejiang", "--no-targets"],
    ] {
        let out = Command::new(example("profile_parse"))
            .args(args)
            .output()
            .expect("the example is built by cargo test");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            (3 * tasks).to_string(),
            "{args:?}"
        );
    }
}
