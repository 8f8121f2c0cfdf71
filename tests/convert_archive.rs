//! The converter over an archive: directories walked in path order, files
//! parsed on several threads and written in a fixed order, a bad file
//! reported and skipped, `--glob`, and every format with several inputs.

mod converter;

use converter::{SEED, fixtures, ok, root, run, run_in, stderr};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A tree of `n` texts copied from the corpus into `dir`: some at the top,
/// some one or two directories down, plus a binary file named `.txt`, a
/// text that is not `.txt`, and an empty directory. Returns the `.txt`
/// files that convert, relative to `dir`, in path order.
fn tree(dir: &Path, n: usize) -> Vec<String> {
    let corpus = fixtures();
    let mut good = Vec::new();
    for i in 0..n {
        let sub = match i % 4 {
            0 => String::new(),
            1 => format!("d{}/", i % 3),
            2 => format!("d{}/e{}/", i % 3, i % 2),
            _ => format!("d{}/e{}/f/", i % 3, i % 2),
        };
        let source = &corpus[i % corpus.len()];
        let name = format!(
            "{sub}{i:04}-{}",
            source.file_name().unwrap().to_str().unwrap()
        );
        std::fs::create_dir_all(dir.join(&sub)).unwrap();
        std::fs::copy(source, dir.join(&name)).unwrap();
        good.push(name);
    }
    std::fs::create_dir_all(dir.join("d1/e1")).unwrap();
    std::fs::write(dir.join("d1/e1/0100-bad.txt"), b"%PDF-1.7\n\x00\x01binary").unwrap();
    std::fs::write(
        dir.join("d0/notes.md"),
        "1.不是txt文件。\n责任单位：省经信厅\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    // Path order, as the walk gives it: component by component.
    good.sort_by(|a, b| a.split('/').cmp(b.split('/')));
    good
}

/// The `file` of each JSONL line, in order, each once.
fn files_of(jsonl: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = v["file"].as_str().expect("every record names its file");
        if files.last().map(String::as_str) != Some(file) {
            files.push(file.to_owned());
        }
    }
    files
}

#[test]
fn a_tree_converts_in_path_order_and_skips_the_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = tree(dir.path(), 300);
    let out = run_in(dir.path(), &["-q", "--format", "jsonl", "."], None);
    assert_eq!(out.status.code(), Some(9), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "convert: ./d1/e1/0100-bad.txt: expected text, but found a PDF document",
            "convert: 1 of 301 inputs failed (reported above)",
        ]
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let files = files_of(&stdout);
    // Texts with no task give no line: compare with those that have one.
    let expected: Vec<String> = good
        .iter()
        .filter(|name| !converter::records(&dir.path().join(name)).is_empty())
        .map(|name| format!("./{name}"))
        .collect();
    assert_eq!(files, expected);
    assert!(files.len() > 250, "{} files with tasks", files.len());
    // Each line is the file's task record, with `file` first.
    let mut at = stdout.lines();
    for name in &good {
        for record in converter::records(&dir.path().join(name)) {
            let line = at.next().unwrap();
            let prefix = format!(
                "{{\"file\":{},",
                serde_json::to_string(&format!("./{name}")).unwrap()
            );
            assert!(line.starts_with(&prefix), "{line}");
            let plain = serde_json::to_string(&record).unwrap();
            assert_eq!(&line[prefix.len()..], &plain[1..], "{name}");
        }
    }
    assert!(at.next().is_none());
}

#[test]
fn the_output_is_the_same_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 200);
    // Diagnostics too, in the same order.
    let one = run_in(dir.path(), &["--jobs", "1", "--format", "jsonl", "."], None);
    let two = run_in(dir.path(), &["--jobs", "2", "--format", "jsonl", "."], None);
    let many = run_in(dir.path(), &["-j", "7", "--format", "jsonl", "."], None);
    let default = run_in(dir.path(), &["--format", "jsonl", "."], None);
    assert_eq!(one.status.code(), Some(9));
    assert!(!one.stdout.is_empty());
    assert!(
        stderr(&one).contains("warning: "),
        "diagnostics are printed"
    );
    for other in [&two, &many, &default] {
        assert_eq!(other.status.code(), Some(9));
        assert!(one.stdout == other.stdout, "stdout differs");
        assert_eq!(stderr(&one), stderr(other));
    }
    // No progress bar when stderr is not a terminal.
    assert!(!stderr(&one).contains('\r') && !stderr(&one).contains('\u{1b}'));
}

/// The first file is far bigger than the rest: on two threads it finishes
/// last, and its records still come first.
#[test]
fn a_slow_first_file_is_still_written_first() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(root().join(SEED)).unwrap();
    std::fs::write(dir.path().join("000-big.txt"), seed.repeat(80)).unwrap();
    for i in 1..40 {
        std::fs::write(dir.path().join(format!("{i:03}-small.txt")), &seed).unwrap();
    }
    let out = ok(run_in(
        dir.path(),
        &["-q", "--jobs", "2", "--format", "jsonl", "."],
        None,
    ));
    let files = files_of(&out);
    assert_eq!(files.len(), 40);
    assert_eq!(files[0], "./000-big.txt");
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn glob_picks_the_files_of_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let good = tree(dir.path(), 40);
    let names = |args: &[&str]| -> BTreeSet<String> {
        let out = run_in(dir.path(), args, None);
        files_of(&String::from_utf8(out.stdout).unwrap())
            .into_iter()
            .collect()
    };
    // A pattern without `/` matches the file name, at any depth.
    let md = names(&["-q", "--format", "jsonl", "--glob", "*.md", "."]);
    assert_eq!(md, BTreeSet::from(["./d0/notes.md".to_owned()]));
    // One with `/` matches the path below the directory; `*` stays in
    // one directory, `**` crosses them.
    let top = names(&["-q", "--format", "jsonl", "--glob", "d2/*.txt", "."]);
    assert!(!top.is_empty());
    assert!(
        top.iter()
            .all(|f| f.starts_with("./d2/") && f.matches('/').count() == 2),
        "{top:?}"
    );
    let deep = names(&["-q", "--format", "jsonl", "--glob", "d2/**/*.txt", "."]);
    let expected: BTreeSet<String> = good
        .iter()
        .filter(|n| n.starts_with("d2/"))
        .filter(|n| !converter::records(&dir.path().join(n)).is_empty())
        .map(|n| format!("./{n}"))
        .collect();
    assert_eq!(deep, expected);
    // Several patterns: either.
    let both = names(&[
        "-q", "--format", "jsonl", "--glob", "*.md", "--glob", "d2/*.txt", ".",
    ]);
    assert_eq!(both.len(), top.len() + 1);
    // A file named on the command line is read whatever the pattern.
    let named = names(&[
        "-q",
        "--format",
        "jsonl",
        "--glob",
        "*.md",
        "d0/notes.md",
        "empty",
    ]);
    assert_eq!(named, BTreeSet::from(["d0/notes.md".to_owned()]));
    // Nothing matches: exit 10, one line.
    let out = run_in(dir.path(), &["--glob", "*.docx", "."], None);
    assert_eq!(out.status.code(), Some(10));
    assert_eq!(stderr(&out), "convert: .: no file matches *.docx\n");
    assert!(out.stdout.is_empty());
    // A pattern that is not one: a bad argument.
    let out = run_in(dir.path(), &["--glob", "a[", "."], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn several_files_in_the_order_given_with_failures_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"caf\xe9 \xff\n").unwrap();
    let bad = bad.to_str().unwrap();
    let args = [
        "-q",
        "--format",
        "jsonl",
        "fixtures/a03_gb18030-crlf.txt",
        "no/such.txt",
        bad,
        SEED,
    ];
    let undecodable = undecodable_message(bad);
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(9));
    assert_eq!(
        stderr(&out),
        format!(
            "convert: no/such.txt: cannot read: no such file or directory\n\
             convert: {bad}: {undecodable}\n\
             convert: 2 of 4 inputs failed (reported above)\n"
        )
    );
    let files = files_of(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(files, ["fixtures/a03_gb18030-crlf.txt", SEED]);
}

/// What the single-file converter says of an undecodable file.
fn undecodable_message(path: &str) -> String {
    let out = run(&[path], None);
    assert_eq!(out.status.code(), Some(8));
    stderr(&out)
        .trim_end()
        .strip_prefix(&format!("convert: {path}: "))
        .unwrap()
        .to_owned()
}

#[test]
fn every_format_with_several_inputs() {
    let inputs = [
        "fixtures/a01_brackets-roles-deadlines.txt",
        "fixtures/a03_gb18030-crlf.txt",
        SEED,
    ];
    let with = |extra: &[&'static str]| {
        let mut args = vec!["-q"];
        args.extend_from_slice(extra);
        args.extend(inputs);
        ok(run(&args, None))
    };
    // JSON: an array, one element per file, each the single-file object
    // with `file` first.
    let json: serde_json::Value = serde_json::from_str(&with(&[])).unwrap();
    let array = json.as_array().unwrap();
    assert_eq!(array.len(), 3);
    for (element, input) in array.iter().zip(inputs) {
        let single: serde_json::Value =
            serde_json::from_str(&ok(run(&["-q", input], None))).unwrap();
        let mut element = element.clone();
        assert_eq!(element["file"], input);
        element.as_object_mut().unwrap().remove("file");
        assert_eq!(element, single);
    }
    // CSV: one header, the BOM once, every file's rows.
    let csv_out = with(&["--format", "csv", "--bom"]);
    assert_eq!(csv_out.matches('\u{feff}').count(), 1);
    assert_eq!(csv_out.matches("file,path,number").count(), 1);
    let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
    let files: BTreeSet<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert_eq!(files, inputs.iter().map(|s| s.to_string()).collect());
    // Markdown: one report per file, separated by a rule.
    let md = with(&["--format", "md"]);
    assert_eq!(md.matches("\n---\n").count(), 2);
    for input in inputs {
        assert!(md.contains(&format!("- 文件：`{input}`")), "{input}");
    }
    // With --agency, a Markdown report leaves out the files where the
    // agency has nothing; JSON keeps one element per file.
    let md = with(&["--format", "md", "--agency", "杭州市政府"]);
    let reports = md.matches("- 文件：").count();
    assert_eq!(reports, 2, "{md}");
    assert!(!md.contains("a03_gb18030"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&with(&["--agency", "杭州市政府"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert!(json[0]["duties"].is_array() && json[0]["file"].is_string());
}

/// Archive JSONL lines still validate against the shipped schema of a
/// task record: `file` and `assignment` are additions.
#[test]
fn archive_records_keep_the_jsonl_contract() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/task-record.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for extra in [&[][..], &["--agency", "省经信厅"]] {
        let mut args = vec!["-q", "--format", "jsonl"];
        args.extend_from_slice(extra);
        args.push("fixtures");
        let out = ok(run(&args, None));
        for line in out.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(validator.is_valid(&v), "{line}");
            assert!(v["file"].is_string());
        }
    }
}

#[test]
fn output_file_holds_the_whole_archive() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    let stdout = ok(run(&["-q", "--format", "jsonl", "fixtures"], None));
    let out = run(
        &[
            "-q",
            "--format",
            "jsonl",
            "-o",
            file.to_str().unwrap(),
            "fixtures",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    let names: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(names, [file], "no temporary file left");
}

/// The reader closes the pipe after one line: quiet success, as with one
/// file, with the threads still at work stopped by the exit.
#[cfg(unix)]
#[test]
fn closed_pipe_is_quiet_success() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), 200);
    let script = format!(
        "set -o pipefail; cd '{}' && '{}' -q --format jsonl . | head -1 >/dev/null",
        dir.path().display(),
        converter::converter().display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .output()
        .unwrap();
    // The bad file may or may not have been reached before the pipe
    // closed: 0, or 9 with its line.
    let err = stderr(&out);
    match out.status.code() {
        Some(0) => assert!(err.is_empty(), "{err}"),
        Some(9) => assert!(err.contains("0100-bad.txt"), "{err}"),
        other => panic!("exit {other:?}: {err}"),
    }
}

/// A file reached twice, named twice, named and inside a directory given
/// too, or linked to, is converted once, where it first comes: its
/// records are not written twice.
#[test]
fn a_file_reached_twice_is_converted_once() {
    let dir = tempfile::tempdir().unwrap();
    let good = tree(dir.path(), 6);
    let first = dir.path().join(&good[0]);
    let first = first.to_str().unwrap();
    let top = dir.path().to_str().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&good[1], dir.path().join("zz-link.txt")).unwrap();
    let out = run(&["-q", "--format", "jsonl", first, top, first], None);
    assert_eq!(out.status.code(), Some(9), "the bad file in the tree");
    let files = files_of(&String::from_utf8(out.stdout).unwrap());
    // The file named first comes first; the tree gives the rest, without
    // it again; the link names a file already listed.
    let mut expected = vec![first.to_owned()];
    expected.extend(
        good[1..]
            .iter()
            .map(|g| dir.path().join(g).to_str().unwrap().to_owned()),
    );
    assert_eq!(files, expected);
    let unique: BTreeSet<&String> = files.iter().collect();
    assert_eq!(unique.len(), files.len());
}
