//! Converts policy texts into JSON or JSONL.
//!
//! ```text
//! cargo run --example convert -- FILE                    # whole model as JSON
//! cargo run --example convert -- --format jsonl FILE     # one task per line
//! cargo run --example convert -- -o OUT.json FILE        # write OUT.json
//! cat FILE | cargo run --example convert -- -            # read stdin
//! cargo run --example convert -- --diagnostics=pretty FILE
//! ```
//!
//! Diagnostics go to stderr: `--diagnostics=short` (the default) as
//! `FILE:LINE:COLUMN: severity: message`, `pretty` with the source line and
//! a caret under the characters concerned, `none` (or `--quiet`) not at
//! all. Columns count characters, from 1.
//!
//! `--output FILE` writes a temporary file beside FILE and renames it into
//! place only when everything is written: FILE is never left half written,
//! and a failed run leaves no temporary file behind.
//!
//! Every failure is one line on stderr, `convert: NAME: problem`, and an
//! exit code of its own:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (diagnostics may have been printed); also when the reader of standard output closes it early (`convert … \| head -1`) |
//! | 2 | bad arguments |
//! | 3 | the input could not be read: no such file, or an I/O error |
//! | 4 | the input is not text: a .docx, a PDF, an image, binary data |
//! | 5 | the output could not be written |
//! | 6 | the input is a directory |
//! | 7 | the input could not be read: permission denied |
//! | 8 | the input is text in an encoding other than UTF-8, UTF-16 with a BOM or GB18030 (undecodable bytes) |

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use clap::{Parser, ValueEnum};
use std::fs::{self, File};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zhengce::{Decoded, Diagnostic, Parsed, Severity};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// The whole model as one JSON document.
    Json,
    /// One JSON object per task (the JSONL contract in README.md).
    Jsonl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Style {
    /// `FILE:LINE:COLUMN: severity: message`, one line each.
    Short,
    /// The message, the source line and a caret under the characters.
    Pretty,
    /// No diagnostics.
    None,
}

/// Turn Chinese policy texts (责任分工) into JSON.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The text to read; `-` reads standard input.
    file: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write to FILE (atomically: written whole or not at all) instead of
    /// standard output; `-` is standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// How to print diagnostics on stderr.
    #[arg(long, value_enum, value_name = "STYLE", default_value_t = Style::Short)]
    diagnostics: Style,
    /// Do not print diagnostics (the same as `--diagnostics=none`).
    #[arg(long, short)]
    quiet: bool,
}

/// Exit codes; see the table at the top.
mod exit {
    pub const CANNOT_READ: u8 = 3;
    pub const NOT_TEXT: u8 = 4;
    pub const CANNOT_WRITE: u8 = 5;
    pub const IS_DIRECTORY: u8 = 6;
    pub const NO_PERMISSION: u8 = 7;
    pub const UNDECODABLE: u8 = 8;
}

/// A failure: the exit code it gives and its one-line message.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn new(code: u8, name: &str, problem: impl std::fmt::Display) -> Failure {
        // One line, whatever the problem's text holds.
        let problem = problem.to_string().replace(['\n', '\r'], " ");
        Failure {
            code,
            message: format!("{name}: {problem}"),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let _ = writeln!(io::stderr(), "convert: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn is_std(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn run(args: &Args) -> Result<(), Failure> {
    let name = if is_std(&args.file) {
        "<stdin>".to_owned()
    } else {
        args.file.display().to_string()
    };
    let bytes = read_input(&args.file, &name)?;
    let decoded = zhengce::decode(&bytes).map_err(|e| {
        let code = match e {
            zhengce::Error::Undecodable { .. } => exit::UNDECODABLE,
            _ => exit::NOT_TEXT,
        };
        Failure::new(code, &name, e)
    })?;
    drop(bytes);
    let parsed = zhengce::parse(&decoded.text);
    let style = if args.quiet {
        Style::None
    } else {
        args.diagnostics
    };
    report(style, &name, &decoded.text, &parsed.diagnostics);
    match args.output.as_deref() {
        Some(path) if !is_std(path) => write_file(path, args.format, &decoded, &parsed),
        _ => write_stdout(args.format, &decoded, &parsed),
    }
}

fn read_input(path: &Path, name: &str) -> Result<Vec<u8>, Failure> {
    if is_std(path) {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::new(exit::CANNOT_READ, name, cannot("read", &e)))?;
        return Ok(bytes);
    }
    if fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(Failure::new(
            exit::IS_DIRECTORY,
            name,
            "is a directory, not a file",
        ));
    }
    fs::read(path).map_err(|e| {
        let code = match e.kind() {
            io::ErrorKind::PermissionDenied => exit::NO_PERMISSION,
            io::ErrorKind::IsADirectory => exit::IS_DIRECTORY,
            _ => exit::CANNOT_READ,
        };
        Failure::new(code, name, cannot("read", &e))
    })
}

/// `cannot read: no such file`, without the `(os error 2)`.
fn cannot(what: &str, e: &io::Error) -> String {
    let why = match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        io::ErrorKind::StorageFull => "no space left on the device".to_owned(),
        io::ErrorKind::ReadOnlyFilesystem => "read-only file system".to_owned(),
        _ => e.to_string(),
    };
    format!("cannot {what}: {why}")
}

fn write_stdout(format: Format, decoded: &Decoded, parsed: &Parsed) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match write_output(&mut out, format, decoded, parsed).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`convert … | head -1`) is the reader's choice.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::new(
            exit::CANNOT_WRITE,
            "<stdout>",
            cannot("write", &e),
        )),
    }
}

/// Writes `path` through a temporary file beside it, renamed into place
/// only when complete. A path that is not a regular file (`/dev/null`, a
/// named pipe, a terminal) is written directly: renaming over it would
/// replace the device.
fn write_file(
    path: &Path,
    format: Format,
    decoded: &Decoded,
    parsed: &Parsed,
) -> Result<(), Failure> {
    let name = path.display().to_string();
    let fail = |e: io::Error| Failure::new(exit::CANNOT_WRITE, &name, cannot("write", &e));
    let target = match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(Failure::new(
                exit::CANNOT_WRITE,
                &name,
                "cannot write: is a directory",
            ));
        }
        Ok(m) if !m.is_file() => {
            let file = File::options().write(true).open(path).map_err(fail)?;
            let mut out = io::BufWriter::with_capacity(1 << 16, file);
            return write_output(&mut out, format, decoded, parsed)
                .and_then(|()| out.flush())
                .map_err(fail);
        }
        // Through a symbolic link to the file it names, which keeps its
        // permissions.
        Ok(m) => Some((fs::canonicalize(path).map_err(fail)?, m.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail(e)),
    };
    let (target, permissions) = match target {
        Some((t, p)) => (t, Some(p)),
        None => (path.to_path_buf(), None),
    };
    let temp = TempFile::beside(&target).map_err(fail)?;
    let mut out = io::BufWriter::with_capacity(1 << 16, &temp.file);
    write_output(&mut out, format, decoded, parsed)
        .and_then(|()| out.flush())
        .map_err(fail)?;
    drop(out);
    if let Some(p) = permissions {
        temp.file.set_permissions(p).map_err(fail)?;
    }
    temp.file.sync_all().map_err(fail)?;
    temp.persist(&target).map_err(fail)
}

/// A file that is removed when dropped, unless persisted.
struct TempFile {
    file: File,
    path: PathBuf,
    keep: bool,
}

impl TempFile {
    /// Creates `.NAME.PID.N.tmp` in the directory of `target`.
    fn beside(target: &Path) -> io::Result<TempFile> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let stem = target
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy());
        let mut attempt = 0u32;
        loop {
            let path = dir.join(format!(".{stem}.{}.{attempt}.tmp", std::process::id()));
            match File::options().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(TempFile {
                        file,
                        path,
                        keep: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn persist(mut self, target: &Path) -> io::Result<()> {
        fs::rename(&self.path, target)?;
        self.keep = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn write_output(
    out: &mut impl Write,
    format: Format,
    decoded: &Decoded,
    parsed: &Parsed,
) -> io::Result<()> {
    match format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Output<'a> {
                encoding: zhengce::Encoding,
                document: &'a zhengce::Document,
                diagnostics: &'a [Diagnostic],
            }
            let output = Output {
                encoding: decoded.encoding,
                document: &parsed.document,
                diagnostics: &parsed.diagnostics,
            };
            serde_json::to_writer_pretty(&mut *out, &output)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for record in parsed.document.records() {
                serde_json::to_writer(&mut *out, &record)?;
                writeln!(out)?;
            }
            Ok(())
        }
    }
}

// ---- diagnostics ----

/// Where a diagnostic starts: its line (from 1), column in characters
/// (from 1), and the byte range of that line without its line break.
#[derive(Clone, Copy)]
struct Position {
    line: usize,
    column: usize,
    line_start: usize,
    line_end: usize,
}

/// The positions of `offsets` in `text`, in one pass over the text
/// however many there are (a position found from the text's start for
/// each would make a file with many diagnostics quadratic).
fn positions(text: &str, offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![
        Position {
            line: 1,
            column: 1,
            line_start: 0,
            line_end: 0,
        };
        offsets.len()
    ];
    let bytes = text.as_bytes();
    let (mut at, mut line, mut line_start, mut column) = (0usize, 1usize, 0usize, 1usize);
    // The end of the current line, found once per line.
    let mut line_end: Option<usize> = None;
    for i in order {
        let target = offsets[i].min(text.len());
        while at < target {
            if bytes[at] == b'\n' {
                line += 1;
                line_start = at + 1;
                column = 1;
                line_end = None;
            } else if !is_continuation(bytes[at]) {
                column += 1;
            }
            at += 1;
        }
        let end = *line_end.get_or_insert_with(|| {
            let end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |e| line_start + e);
            if end > line_start && text[..end].ends_with('\r') {
                end - 1
            } else {
                end
            }
        });
        out[i] = Position {
            line,
            column,
            line_start,
            line_end: end,
        };
    }
    out
}

fn is_continuation(b: u8) -> bool {
    b & 0xc0 == 0x80
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// Prints the diagnostics in `style`. Errors writing to stderr are
/// ignored: the output is what matters.
fn report(style: Style, name: &str, text: &str, diagnostics: &[Diagnostic]) {
    if style == Style::None || diagnostics.is_empty() {
        return;
    }
    let offsets: Vec<usize> = diagnostics.iter().map(|d| d.span.start).collect();
    let positions = positions(text, &offsets);
    let stderr = io::stderr();
    let mut err = io::BufWriter::new(stderr.lock());
    let renderer = if io::stderr().is_terminal() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for (d, p) in diagnostics.iter().zip(&positions) {
        let result = match style {
            Style::Short => writeln!(
                err,
                "{name}:{}:{}: {}: {d}",
                p.line,
                p.column,
                severity_word(d.severity)
            ),
            // A blank line after each, as rustc does.
            Style::Pretty => writeln!(err, "{}\n", pretty(&renderer, name, text, d, p)),
            Style::None => Ok(()),
        };
        if result.is_err() {
            return;
        }
    }
    let _ = err.flush();
}

/// Bytes of a line shown around a diagnostic; longer lines are cut to a
/// window around it, so that each diagnostic costs the same however long
/// its line.
const WINDOW: usize = 160;

/// A diagnostic as annotate-snippets renders it: the message, where it is,
/// the source line and a caret under the characters it concerns (only its
/// first line, for a span over several).
fn pretty(renderer: &Renderer, name: &str, text: &str, d: &Diagnostic, p: &Position) -> String {
    let level = match d.severity {
        Severity::Info => Level::INFO,
        Severity::Warning => Level::WARNING,
        Severity::Error => Level::ERROR,
    };
    let start = d.span.start.clamp(p.line_start, p.line_end);
    let end = d.span.end.clamp(start, p.line_end);
    // The window: the whole line when short, else up to WINDOW bytes on
    // each side of the span, cut at characters.
    let long = p.line_end - p.line_start > 4 * WINDOW;
    let (from, to) = if long {
        (
            floor_char(text, start.saturating_sub(WINDOW).max(p.line_start)),
            ceil_char(text, (end + WINDOW).min(p.line_end)).max(end),
        )
    } else {
        (p.line_start, p.line_end)
    };
    let end = end.min(to);
    let mut shown = String::with_capacity(to - from + 8);
    let mut shift = 0;
    if from > p.line_start {
        shown.push('…');
        shift = '…'.len_utf8();
    }
    // Control characters would move the caret: each becomes a space.
    shown.extend(text[from..to].chars().map(|c| {
        if c.is_ascii_control() && c != '\t' {
            ' '
        } else {
            c
        }
    }));
    if to < p.line_end {
        shown.push('…');
    }
    let message = d.to_string();
    let annotation = AnnotationKind::Primary.span(start - from + shift..end - from + shift);
    let snippet = Snippet::source(shown.as_str()).line_start(p.line);
    if !long {
        let report = &[level
            .primary_title(message.as_str())
            .element(snippet.path(name).annotation(annotation))];
        return renderer.render(report);
    }
    // The location annotate-snippets would give counts from the window's
    // start: give the real one instead.
    let report = &[level
        .primary_title(message.as_str())
        .element(snippet.annotation(annotation))];
    let rendered = renderer.render(report);
    let gutter = p.line.to_string().len();
    let location = format!("{}--> {name}:{}:{}", " ".repeat(gutter), p.line, p.column);
    match rendered.split_once('\n') {
        Some((title, rest)) => format!("{title}\n{location}\n{rest}"),
        None => format!("{rendered}\n{location}"),
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
