//! Converts policy texts into JSON, JSONL, CSV tables or a Markdown
//! report.
//!
//! ```text
//! cargo run --example convert -- FILE                    # whole model as JSON
//! cargo run --example convert -- --format jsonl FILE     # one task per line
//! cargo run --example convert -- --format csv FILE       # task–agency table
//! cargo run --example convert -- --format csv --table targets --bom FILE
//! cargo run --example convert -- --format md FILE        # a report to read
//! cargo run --example convert -- --agency 省经信厅 --format md FILE
//! cargo run --example convert -- -o OUT.json FILE        # write OUT.json
//! cat FILE | cargo run --example convert -- -            # read stdin
//! cargo run --example convert -- --diagnostics=pretty FILE
//! cargo run --release --example convert -- --format jsonl DIR > out.jsonl
//! ```
//!
//! `--format csv` writes one of two tables, chosen with `--table`:
//! `duties` (the default; one row per task and agency, with its role) or
//! `targets` (one row per target, every field); `--bom` starts it with a
//! UTF-8 byte order mark, for Excel. `--agency NAME` limits any format to
//! the tasks that agency answers for, named (through the alias table:
//! `省经济和信息化厅` finds `省经信厅`) or through a group it may belong to,
//! marked as such. README.md describes every format.
//!
//! Several inputs, or a directory, make an archive run (`archive.rs`):
//! directories are read recursively for files matching `--glob` (`*.txt`),
//! parsed on `--jobs N` threads and written in path order, JSONL records
//! and JSON objects naming their `file`; a progress bar shows on stderr
//! when it is a terminal. A file that fails is reported and skipped.
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
//! | 6 | no longer given: a directory is read as an archive |
//! | 7 | the input could not be read: permission denied |
//! | 8 | the input is text in an encoding other than UTF-8, UTF-16 with a BOM or GB18030 (undecodable bytes) |
//! | 9 | an archive run where some inputs failed (each reported; the output holds the rest) |
//! | 10 | an archive run with no file to read (nothing matches `--glob`) |

// A parse builds tens of thousands of small strings and vectors per MB of
// text. Under mimalloc the converter is 3-7 % faster on one file and
// 10-20 % on an archive, where the system allocator's threads contend, for
// a few MB more at the peak (README, Benchmarks). The converter's benchmark,
// `benches/convert.rs`, runs under it too. Built without transparent huge
// pages (`no_thp`): with them a small input's peak memory nearly doubles.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod archive;
mod diagnostics;
mod formats;
mod json;
mod output;
mod report;
mod table;

use clap::{CommandFactory, Parser, ValueEnum};
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The whole model as one JSON document.
    Json,
    /// One JSON object per task (the JSONL contract in README.md).
    Jsonl,
    /// A table for a spreadsheet: see `--table`.
    Csv,
    /// A Markdown report: header, headings, tasks with agencies and targets.
    Md,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Table {
    /// One row per task and agency, with the agency's role.
    Duties,
    /// One row per target, with every field of it.
    Targets,
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

/// Turn Chinese policy texts (责任分工) into JSON, CSV or Markdown.
#[derive(Debug, Parser)]
#[command(name = "convert", version, about)]
struct Args {
    /// The texts to read: files, and directories read recursively (see
    /// `--glob`); `-` reads standard input. One file is converted alone;
    /// several inputs, or a directory, make an archive run (README.md).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Which files of a directory to read: a pattern without `/` matches
    /// the file name, one with `/` the path below the directory. May be
    /// given more than once. Files named on the command line are always
    /// read.
    #[arg(long, value_name = "PATTERN", default_value = "*.txt")]
    glob: Vec<String>,
    /// Threads that parse at once, in an archive run (default: one per
    /// core).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The table `--format csv` writes.
    #[arg(long, value_enum, default_value_t = Table::Duties)]
    table: Table,
    /// Start a CSV table with a UTF-8 byte order mark, so that Excel reads
    /// it as UTF-8.
    #[arg(long)]
    bom: bool,
    /// Only the tasks NAME answers for: named in any role (through the
    /// alias table), or through a group it may belong to, marked as such.
    #[arg(long, value_name = "NAME")]
    agency: Option<String>,
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
pub(crate) mod exit {
    pub const CANNOT_READ: u8 = 3;
    pub const NOT_TEXT: u8 = 4;
    pub const CANNOT_WRITE: u8 = 5;
    pub const IS_DIRECTORY: u8 = 6;
    pub const NO_PERMISSION: u8 = 7;
    pub const UNDECODABLE: u8 = 8;
    pub const FAILED: u8 = 9;
    pub const NOTHING: u8 = 10;
}

/// A failure: the exit code it gives and its one-line message.
pub(crate) struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    pub(crate) fn new(code: u8, name: &str, problem: impl std::fmt::Display) -> Failure {
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
    check(&args);
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let _ = writeln!(io::stderr(), "convert: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// Exits with a usage error (2) for options that do not go together.
fn check(args: &Args) {
    let wrong = if args.bom && args.format != Format::Csv {
        Some("--bom goes with --format csv only")
    } else if args.table != Table::Duties && args.format != Format::Csv {
        Some("--table goes with --format csv only")
    } else {
        None
    };
    if let Some(message) = wrong {
        Args::command()
            .error(clap::error::ErrorKind::ArgumentConflict, message)
            .exit();
    }
}

pub(crate) fn is_std(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn run(args: &Args) -> Result<(), Failure> {
    let style = if args.quiet {
        Style::None
    } else {
        args.diagnostics
    };
    let names = zhengce::AgencyNames::builtin();
    let archive = args.inputs.len() > 1 || args.inputs.iter().any(|p| p.is_dir());
    let render = formats::Render {
        format: args.format,
        table: args.table,
        bom: args.bom,
        agency: args.agency.as_deref(),
        names: &names,
        archive,
    };
    if archive {
        run_archive(args, &render, style)
    } else {
        run_one(args, &args.inputs[0], &render, style)
    }
}

/// One file: converted and written as it is read.
fn run_one(
    args: &Args,
    input: &Path,
    render: &formats::Render,
    style: Style,
) -> Result<(), Failure> {
    let name = if is_std(input) {
        "<stdin>".to_owned()
    } else {
        input.display().to_string()
    };
    let bytes = read_input(input, &name)?;
    let decoded = decode(bytes, &name)?;
    let mut parse = diagnostics::Parse::new(decoded, is_std(input));
    let parsed = &parse.parsed;
    let source = formats::Source {
        name: &name,
        encoding: parse.encoding,
        parsed,
    };
    let items = render.items(parsed);
    let body = |out: &mut output::Out| {
        render.prologue(out)?;
        render.separator(out, 0)?;
        render.body(out, &source, &items)?;
        render.epilogue(out, 1)
    };
    let written = write_output(args, body);
    drop(items);
    // The diagnostics come after the output: a file's text is read again
    // for their positions (see `diagnostics::Parse`), and the model is
    // freed first so that the two do not take room together.
    let document = std::mem::take(&mut parse.parsed.document);
    if parse.parsed.diagnostics.is_empty() || style == Style::None {
        // The process ends right after this: freeing the model node by
        // node would only delay the exit (2% of a large file's run), so
        // the operating system takes it back whole.
        std::mem::forget(document);
    } else {
        drop(document);
    }
    parse.report(style, &name, input);
    written
}

/// Several inputs: listed, converted on `--jobs` threads, written in
/// order; a file that fails is reported and skipped.
fn run_archive(args: &Args, render: &formats::Render, style: Style) -> Result<(), Failure> {
    let filter = match archive::Filter::new(&args.glob) {
        Ok(f) => f,
        Err(e) => Args::command()
            .error(
                clap::error::ErrorKind::ValueValidation,
                format!("--glob: {e}"),
            )
            .exit(),
    };
    let entries = archive::list(&args.inputs, &filter);
    if entries.is_empty() {
        let dirs: Vec<String> = args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(Failure::new(
            exit::NOTHING,
            &dirs.join(", "),
            format!("no file matches {}", args.glob.join(" or ")),
        ));
    }
    let jobs = match args.jobs {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let mut summary = None;
    write_output(args, |out| {
        summary = Some(archive::write(out, &entries, render, style, jobs)?);
        Ok(())
    })?;
    match summary {
        Some(s) if s.failed > 0 => Err(Failure {
            code: exit::FAILED,
            message: format!(
                "{} of {} inputs failed (reported above)",
                s.failed, s.inputs
            ),
        }),
        _ => Ok(()),
    }
}

/// Writes to `--output` or standard output.
fn write_output(
    args: &Args,
    body: impl FnOnce(&mut output::Out) -> io::Result<()>,
) -> Result<(), Failure> {
    match args.output.as_deref() {
        Some(path) if !is_std(path) => output::to_file(path, body),
        _ => output::to_stdout(body),
    }
}

/// Decodes the bytes of input `name`, in place when they are UTF-8.
pub(crate) fn decode(bytes: Vec<u8>, name: &str) -> Result<zhengce::Decoded, Failure> {
    zhengce::decode_vec(bytes).map_err(|e| {
        let code = match e {
            zhengce::Error::Undecodable { .. } => exit::UNDECODABLE,
            _ => exit::NOT_TEXT,
        };
        Failure::new(code, name, e)
    })
}

pub(crate) fn read_input(path: &Path, name: &str) -> Result<Vec<u8>, Failure> {
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
pub(crate) fn cannot(what: &str, e: &io::Error) -> String {
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
