//! Converts policy texts into JSON or JSONL.
//!
//! ```text
//! cargo run --example convert -- FILE                 # whole model as JSON
//! cargo run --example convert -- --format jsonl FILE  # one task per line
//! cat FILE | cargo run --example convert -- -         # read stdin
//! ```
//!
//! Diagnostics go to stderr as `FILE:LINE:COLUMN: severity: message`.
//! Exit codes: 0 success; 2 bad arguments; 3 the input could not be read;
//! 4 the input is not text; 5 the output could not be written.

use clap::{Parser, ValueEnum};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use zhengce::{Decoded, Parsed};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// The whole model as one JSON document.
    Json,
    /// One JSON object per task (the JSONL contract in README.md).
    Jsonl,
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
    /// Do not print diagnostics on stderr.
    #[arg(long, short)]
    quiet: bool,
}

/// A failure, with the exit code it gives.
struct Failure {
    code: u8,
    message: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("convert: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(args: &Args) -> Result<(), Failure> {
    let name = args.file.display().to_string();
    let bytes = read_input(&args.file).map_err(|e| Failure {
        code: 3,
        message: format!("{name}: cannot read: {e}"),
    })?;
    let decoded = zhengce::decode(&bytes).map_err(|e| Failure {
        code: 4,
        message: format!("{name}: {e}"),
    })?;
    let parsed = zhengce::parse(&decoded.text);
    if !args.quiet {
        report(&name, &decoded.text, &parsed);
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    write_output(&mut out, args.format, &decoded, &parsed)
        .and_then(|()| out.flush())
        .or_else(|e| {
            // A closed pipe (`convert … | head -1`) is the reader's choice.
            if e.kind() == io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(e)
            }
        })
        .map_err(|e| Failure {
            code: 5,
            message: format!("cannot write output: {e}"),
        })
}

fn read_input(path: &PathBuf) -> io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(path)
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
            let value = serde_json::json!({
                "encoding": decoded.encoding,
                "document": parsed.document,
                "diagnostics": parsed.diagnostics,
            });
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for record in parsed.document.task_records() {
                serde_json::to_writer(&mut *out, &record)?;
                writeln!(out)?;
            }
            Ok(())
        }
    }
}

/// Prints each diagnostic as `FILE:LINE:COLUMN: severity: message`.
fn report(name: &str, text: &str, parsed: &Parsed) {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    for d in &parsed.diagnostics {
        let before = &text[..d.span.start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let severity = format!("{:?}", d.severity).to_lowercase();
        let _ = writeln!(err, "{name}:{line}:{column}: {severity}: {d}");
    }
}
