//! The converter example as a user runs it: formats, stdin, output files,
//! diagnostics, and every way it can fail, each with its exit code and a
//! one-line message naming the file. `cargo test` builds examples before
//! running tests.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod converter;

use converter::{SEED, converter, run, stderr};

const DIAGNOSTICS: &str = "fixtures/a02_diagnostics.txt";

/// A failure: `code`, nothing on stdout, and exactly one line on stderr,
/// `convert: NAME: …`, naming `name` and containing `problem`.
fn assert_fails(out: &Output, code: i32, name: &str, problem: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.ends_with('\n'), "{err:?}");
    assert!(err.starts_with(&format!("convert: {name}: ")), "{err}");
    assert!(err.contains(problem), "{err} lacks {problem:?}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The files in `dir`, hidden ones included.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The corpus repeated to at least `bytes` bytes, in a file of its own.
fn big_input(dir: &Path, bytes: usize) -> PathBuf {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).unwrap();
    let path = dir.join("big.txt");
    let mut f = std::fs::File::create(&path).unwrap();
    let mut written = 0;
    while written < bytes {
        f.write_all(text.as_bytes()).unwrap();
        written += text.len();
    }
    path
}

// ---- what it writes ----

#[test]
fn json_is_the_whole_model() {
    let out = run(&[SEED], None);
    assert!(out.status.success(), "{}", stderr(&out));
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
    let text = std::fs::read_to_string(SEED).unwrap();
    let records = zhengce::parse(&text).document.task_records();
    assert_eq!(lines.len(), records.len());
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
    for (line, record) in lines.iter().zip(&records) {
        let back: zhengce::TaskRecord = serde_json::from_str(line).unwrap();
        assert_eq!(&back, record);
    }
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
fn the_encoding_is_reported() {
    let out = run(&["-q", "fixtures/a04_utf16le-bom-crlf.txt"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["encoding"], "utf16_le");
    let out = run(&["-q", "fixtures/a03_gb18030-crlf.txt"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["encoding"], "gb18030");
}

/// The same input gives the same bytes from run to run (no hash order,
/// no time, no addresses in the output): each corpus text converted by
/// two processes, one writing stdout and one an output file.
#[test]
fn output_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for (i, path) in paths.iter().enumerate() {
        let p = path.to_str().unwrap();
        // JSON holds the whole model; JSONL is checked on a few texts.
        let formats: &[&str] = if i % 5 == 0 {
            &["json", "jsonl"]
        } else {
            &["json"]
        };
        for format in formats {
            let a = run(&["-q", "--format", format, p], None);
            assert!(a.status.success());
            let c = run(
                &["-q", "--format", format, "-o", file.to_str().unwrap(), p],
                None,
            );
            assert!(c.status.success(), "{}", stderr(&c));
            assert!(c.stdout.is_empty());
            assert!(
                std::fs::read(&file).unwrap() == a.stdout,
                "{p} {format}: two runs differ"
            );
        }
    }
}

// ---- --output ----

#[test]
fn output_file_is_written_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    let out = run(
        &["--format", "jsonl", "-o", file.to_str().unwrap(), SEED],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(files_in(dir.path()), ["out.jsonl"]);
    let lines = std::fs::read_to_string(&file).unwrap().lines().count();
    assert!(lines > 10, "{lines} records");
    // Overwriting keeps the file's permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let out = run(&["-q", "-o", file.to_str().unwrap(), SEED], None);
        assert!(out.status.success(), "{}", stderr(&out));
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert!(std::fs::read_to_string(&file).unwrap().starts_with('{'));
        assert_eq!(files_in(dir.path()), ["out.jsonl"]);
    }
}

#[test]
fn output_dash_is_stdout() {
    let out = run(&["-q", "-o", "-", "--format", "jsonl", SEED], None);
    assert!(out.status.success());
    assert!(!out.stdout.is_empty());
}

#[test]
fn unwritable_output_is_exit_5_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // In a directory that does not exist.
    let missing = dir.path().join("no/such/dir/out.json");
    let out = run(&["-q", "-o", missing.to_str().unwrap(), SEED], None);
    assert_fails(&out, 5, missing.to_str().unwrap(), "cannot write");
    // A directory.
    let d = dir.path().to_str().unwrap();
    let out = run(&["-q", "-o", d, SEED], None);
    assert_fails(&out, 5, d, "is a directory");
    // Where no one may create files, not even root.
    #[cfg(target_os = "linux")]
    {
        let out = run(&["-q", "-o", "/proc/zhengce-out.json", SEED], None);
        assert_fails(&out, 5, "/proc/zhengce-out.json", "cannot write");
    }
    // A read-only directory (root may write anyway: then it is skipped).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let root = std::fs::File::create(ro.join("probe")).is_ok();
        let _ = std::fs::remove_file(ro.join("probe"));
        if !root {
            let file = ro.join("out.json");
            let out = run(&["-q", "-o", file.to_str().unwrap(), SEED], None);
            assert_fails(&out, 5, file.to_str().unwrap(), "permission denied");
            assert!(files_in(&ro).is_empty());
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_eq!(files_in(dir.path()), ["ro"], "nothing left behind");
}

/// A device is written in place, never replaced by a renamed file.
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_device_is_written_in_place() {
    let out = run(&["-q", "-o", "/dev/null", SEED], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["-q", "-o", "/dev/full", SEED], None);
    assert_fails(&out, 5, "/dev/full", "no space left");
    use std::os::unix::fs::FileTypeExt;
    for dev in ["/dev/null", "/dev/full"] {
        let kind = std::fs::metadata(dev).unwrap().file_type();
        assert!(kind.is_char_device(), "{dev} is still a device");
    }
}

/// Standard output on a full disk: exit 5, named `<stdout>`.
#[cfg(target_os = "linux")]
#[test]
fn full_stdout_is_exit_5() {
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(converter())
        .args(["-q", SEED])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("convert: <stdout>: cannot write: no space left"));
    assert_eq!(stderr(&out).lines().count(), 1);
}

/// Writing fails halfway (the file size limit is reached): exit 5, the
/// previous output untouched, no temporary file left.
#[cfg(target_os = "linux")]
#[test]
fn failure_halfway_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path(), 400_000);
    let file = dir.path().join("out.json");
    std::fs::write(&file, "previous output\n").unwrap();
    // Ignore SIGXFSZ so that the write fails with EFBIG instead of killing
    // the process; an ignored signal stays ignored across exec.
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec '{}' -q -o '{}' '{}'",
        converter().display(),
        file.display(),
        input.display()
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    assert_fails(&out, 5, file.to_str().unwrap(), "cannot write");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous output\n");
    assert_eq!(files_in(dir.path()), ["big.txt", "out.json"]);
}

/// A failure before writing leaves an existing output file as it was.
#[test]
fn failed_input_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    std::fs::write(&file, "previous output\n").unwrap();
    let out = run(&["-o", file.to_str().unwrap(), "no/such/file.txt"], None);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous output\n");
    assert_eq!(files_in(dir.path()), ["out.json"]);
}

// ---- a closed pipe ----

/// The reader takes one line and closes the pipe: the converter stops
/// quietly with 0, as `convert … | head -1` expects.
#[test]
fn closed_pipe_is_quiet_success() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path(), 1_000_000);
    let mut child = Command::new(converter())
        .args(["-q", "--format", "jsonl", input.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with('{'), "{line}");
    drop(reader);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn shell_pipe_into_head_is_quiet_success() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path(), 1_000_000);
    let script = format!(
        "set -o pipefail; '{}' -q --format jsonl '{}' | head -1 >/dev/null",
        converter().display(),
        input.display()
    );
    let out = Command::new("bash").args(["-c", &script]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

// ---- input that cannot be converted ----

#[test]
fn missing_file_is_exit_3_with_the_name() {
    let out = run(&["no/such/file.txt"], None);
    assert_fails(&out, 3, "no/such/file.txt", "no such file");
}

/// A directory used to be exit 6; it is now read as an archive (see
/// tests/convert_archive.rs).
#[test]
fn directory_is_an_archive() {
    let out = run(&["-q", "fixtures"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().is_some_and(|a| a.len() > 10));
}

/// The converter run as user `nobody` (for tests of permissions, which
/// root does not have to ask for), when `setpriv` can do it.
#[cfg(target_os = "linux")]
fn as_nobody(args: &[&str]) -> Option<Output> {
    let run = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(converter())
            .args(args)
            .output()
            .ok()
    };
    // setpriv missing, not allowed, or the binary out of nobody's reach.
    run(&["--version"]).filter(|o| o.status.success())?;
    run(args)
}

/// A file that cannot be read: without permission (as root, who may read
/// anything, through `setpriv` as user nobody), and with an I/O error.
#[test]
fn unreadable_file_is_exit_7_or_3() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret.txt");
        std::fs::write(&file, "1.任务。\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
        let name = file.to_str().unwrap();
        if std::fs::read(&file).is_err() {
            assert_fails(&run(&[name], None), 7, name, "permission denied");
        }
        #[cfg(target_os = "linux")]
        if let Some(out) = as_nobody(&[name]) {
            assert_fails(&out, 7, name, "permission denied");
        }
    }
    // Reading /proc/self/mem from its start fails, even for root.
    #[cfg(target_os = "linux")]
    {
        let out = run(&["/proc/self/mem"], None);
        assert_fails(&out, 3, "/proc/self/mem", "cannot read");
    }
}

/// Output where the user may not write: exit 5, nothing left behind.
#[cfg(target_os = "linux")]
#[test]
fn output_without_permission_is_exit_5() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Readable and searchable by all, writable by its owner only.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "1.新增企业20家。\n").unwrap();
    let out_file = dir.path().join("out.json");
    let name = out_file.to_str().unwrap();
    if let Some(out) = as_nobody(&["-q", "-o", name, input.to_str().unwrap()]) {
        assert_fails(&out, 5, name, "permission denied");
        assert_eq!(files_in(dir.path()), ["in.txt"]);
    }
}

#[test]
fn binary_input_is_exit_4() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        ("a.pdf", b"%PDF-1.7\n\x00\x01binary", "PDF"),
        ("a.docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00", ".docx"),
        ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        ("a.bin", b"\x01\x02\x03\x04\x05\x06\x07\x08abc", "binary"),
        ("nul.txt", "1.任务\u{0}。\n".as_bytes(), "binary"),
    ];
    for (name, bytes, what) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run(&[path.to_str().unwrap()], None);
        assert_fails(&out, 4, path.to_str().unwrap(), what);
    }
    let out = run(&["-"], Some(b"%PDF-1.7\n\x00\x01binary"));
    assert_fails(&out, 4, "<stdin>", "PDF");
}

#[test]
fn wrong_encoding_is_exit_8() {
    let dir = tempfile::tempdir().unwrap();
    // Latin-1: 0xFF is neither UTF-8 nor GB18030.
    let path = dir.path().join("latin1.txt");
    std::fs::write(&path, b"caf\xe9 cr\xe8me br\xfbl\xe9e \xff\n").unwrap();
    let out = run(&[path.to_str().unwrap()], None);
    assert_fails(&out, 8, path.to_str().unwrap(), "undecodable");
    // UTF-8 with a byte order mark that breaks off mid-character.
    let path = dir.path().join("cut.txt");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(&"任务".as_bytes()[..4]);
    std::fs::write(&path, bytes).unwrap();
    let out = run(&[path.to_str().unwrap()], None);
    assert_fails(&out, 8, path.to_str().unwrap(), "undecodable");
}

#[test]
fn bad_arguments_are_exit_2() {
    for args in [
        &["--format", "xml", SEED][..],
        &["--diagnostics", "loud", SEED],
        &[],
        &["--no-such-flag", SEED],
    ] {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
}

// ---- diagnostics ----

#[test]
fn diagnostics_short_is_the_default() {
    let out = run(&[DIAGNOSTICS], None);
    assert!(out.status.success());
    let err = stderr(&out);
    let text = std::fs::read_to_string(DIAGNOSTICS).unwrap();
    let parsed = zhengce::parse(&text);
    assert_eq!(err.lines().count(), parsed.diagnostics.len(), "{err}");
    for (line, d) in err.lines().zip(&parsed.diagnostics) {
        let before = &text[..d.span.start];
        let l = before.matches('\n').count() + 1;
        let c = before.rsplit('\n').next().unwrap().chars().count() + 1;
        let severity = format!("{:?}", d.severity).to_lowercase();
        assert_eq!(line, format!("{DIAGNOSTICS}:{l}:{c}: {severity}: {d}"));
    }
    let explicit = run(&["--diagnostics=short", DIAGNOSTICS], None);
    assert_eq!(explicit.stderr, out.stderr);
}

#[test]
fn diagnostics_none_and_quiet_print_nothing() {
    for flag in ["--diagnostics=none", "--quiet", "-q"] {
        let out = run(&[flag, DIAGNOSTICS], None);
        assert!(out.status.success());
        assert!(out.stderr.is_empty(), "{flag}: {}", stderr(&out));
        assert!(!out.stdout.is_empty());
    }
}

/// Display width: two columns for the wide characters of these texts.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115f
            | 0x2e80..=0x303e
            | 0x3041..=0x33ff
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xa000..=0xa4cf
            | 0xac00..=0xd7a3
            | 0xf900..=0xfaff
            | 0xfe30..=0xfe4f
            | 0xff00..=0xff60
            | 0xffe0..=0xffe6 => 2,
            _ => 1,
        })
        .sum()
}

/// For every diagnostic, the pretty form shows `--> FILE:LINE:COLUMN`,
/// the source line, and carets under exactly the characters of its span,
/// counted in display columns (a Chinese character is two).
fn check_pretty(name: &str, text: &str, stderr: &str) {
    let parsed = zhengce::parse(text);
    // Each diagnostic is a block, with a blank line after it.
    let blocks: Vec<&str> = stderr
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .collect();
    assert_eq!(blocks.len(), parsed.diagnostics.len(), "{stderr}");
    for (block, d) in blocks.iter().zip(&parsed.diagnostics) {
        let lines: Vec<&str> = block.lines().collect();
        let severity = format!("{:?}", d.severity).to_lowercase();
        assert_eq!(lines[0], format!("{severity}: {d}"), "{block}");
        let before = &text[..d.span.start];
        let l = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let c = text[line_start..d.span.start].chars().count() + 1;
        assert!(
            lines[1].trim_start() == format!("--> {name}:{l}:{c}"),
            "{block}"
        );
        // The source line: `L | text`; the carets: `  | ^^^`.
        let source = lines
            .iter()
            .find(|s| s.starts_with(&format!("{l} |")))
            .unwrap_or_else(|| panic!("no source line in {block}"));
        let carets = lines
            .iter()
            .find(|s| s.contains('^'))
            .unwrap_or_else(|| panic!("no caret in {block}"));
        let gutter = format!("{l} | ").len();
        let shown = &source[gutter.min(source.len())..];
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |e| line_start + e);
        let full_line = text[line_start..line_end].trim_end_matches('\r');
        if shown == full_line {
            let caret_col = width(&carets[gutter..carets.find('^').unwrap()]);
            let expected_col = width(&text[line_start..d.span.start]);
            assert_eq!(caret_col, expected_col, "caret column in\n{block}");
            let end = d.span.end.min(line_start + full_line.len());
            let expected_len = width(&text[d.span.start..end]).max(1);
            assert_eq!(
                carets.matches('^').count(),
                expected_len,
                "caret width in\n{block}"
            );
        }
    }
}

#[test]
fn diagnostics_pretty_point_at_the_characters() {
    let out = run(&["--diagnostics=pretty", DIAGNOSTICS], None);
    assert!(out.status.success());
    let text = std::fs::read_to_string(DIAGNOSTICS).unwrap();
    check_pretty(DIAGNOSTICS, &text, &stderr(&out));
    // Plain text when stderr is not a terminal: no escape codes.
    assert!(!stderr(&out).contains('\u{1b}'));
    // Every corpus text.
    for entry in std::fs::read_dir("fixtures").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let p = path.to_str().unwrap();
        let out = run(&["--diagnostics=pretty", p], None);
        assert!(out.status.success());
        let bytes = std::fs::read(&path).unwrap();
        let text = zhengce::decode(&bytes).unwrap().text;
        check_pretty(p, &text, &stderr(&out));
    }
}

/// On a very long line, the pretty form shows a window around the span
/// and still gives the true column.
#[test]
fn diagnostics_pretty_on_a_long_line() {
    let text = format!(
        "1.{}（{}\n",
        "推进发展".repeat(2000),
        "加快建设".repeat(2000)
    );
    let out = run(&["--diagnostics=pretty", "-"], Some(text.as_bytes()));
    assert!(out.status.success());
    let err = stderr(&out);
    let col = 2 + 8000 + 1;
    assert!(err.contains(&format!("--> <stdin>:1:{col}")), "{err}");
    assert!(err.lines().all(|l| l.chars().count() < 400), "{err}");
    let carets = err.lines().find(|l| l.contains('^')).unwrap();
    let source = err.lines().find(|l| l.starts_with("1 |")).unwrap();
    let at = source.find('（').unwrap();
    assert_eq!(
        width(&carets[..carets.find('^').unwrap()]),
        width(&source[..at])
    );
}

/// Many diagnostics on one long line: the converter stays linear (a
/// position found from the start of the text for each diagnostic, or a
/// whole line rendered for each, is quadratic: minutes here).
#[test]
fn many_diagnostics_stay_fast() {
    let time = |style: &str, n: usize| {
        let text = "（".repeat(n);
        let start = std::time::Instant::now();
        let out = run(&["--diagnostics", style, "-"], Some(text.as_bytes()));
        let secs = start.elapsed().as_secs_f64();
        assert!(out.status.success());
        assert!(stderr(&out).contains(&format!("<stdin>:1:{n}")), "{style}");
        secs
    };
    let short = time("short", 100_000);
    assert!(short < 30.0, "short: {short:.1}s for 100 000 diagnostics");
    // Rendering with annotate-snippets is slow in a debug build: compare
    // 2 000 and 8 000 diagnostics instead.
    let (small, large) = (time("pretty", 2_000), time("pretty", 8_000));
    assert!(
        large < 10.0 * small.max(0.05),
        "pretty: {small:.2}s for 2 000 diagnostics, {large:.2}s for 8 000"
    );
}

/// A file's text is freed once its outline is made, and read again, a
/// line at a time, for the positions of its diagnostics; standard input
/// keeps its text. Both give the same diagnostics, in both styles, on
/// every fixture (UTF-8 with and without a byte order mark, UTF-16,
/// GB18030, CRLF) and on a file with a long line, which the pretty style
/// cuts to a window.
#[test]
fn diagnostics_read_again_match_the_kept_text() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.txt");
    let bom = dir.path().join("bom.txt");
    let a02 = std::fs::read("fixtures/a02_diagnostics.txt").unwrap();
    let mut text = "前言".repeat(400).into_bytes();
    text.extend_from_slice("（未闭合".as_bytes());
    text.extend_from_slice("文字".repeat(400).as_bytes());
    text.push(b'\n');
    text.extend_from_slice(&a02);
    text.extend_from_slice("1.最后一项没有".as_bytes());
    std::fs::write(&long, &text).unwrap();
    std::fs::write(&bom, [&b"\xef\xbb\xbf"[..], &a02].concat()).unwrap();
    let mut files = converter::fixtures();
    files.push(long);
    files.push(bom);
    let mut compared = 0;
    for path in &files {
        let name = path.to_str().unwrap();
        let bytes = std::fs::read(path).unwrap();
        for style in ["--diagnostics=short", "--diagnostics=pretty"] {
            let from_file = run(&["--format", "jsonl", style, name], None);
            let from_stdin = run(&["--format", "jsonl", style, "-"], Some(&bytes));
            assert_eq!(from_file.stdout, from_stdin.stdout, "{name}");
            let file_err = stderr(&from_file);
            assert_eq!(
                file_err.replace(name, "<stdin>"),
                stderr(&from_stdin),
                "{name} {style}"
            );
            compared += usize::from(!file_err.is_empty());
        }
    }
    assert!(compared >= 10, "only {compared} runs had diagnostics");
}
