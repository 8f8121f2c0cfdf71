//! The output formats.

use crate::Format;
use std::io::{self, Write};
use zhengce::{Decoded, Diagnostic, Parsed};

/// Writes one converted text in `format`.
pub fn write(
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
            for record in parsed.document.task_records() {
                serde_json::to_writer(&mut *out, &record)?;
                writeln!(out)?;
            }
            Ok(())
        }
    }
}
