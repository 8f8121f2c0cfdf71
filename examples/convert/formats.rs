//! The output formats: what each writes for one converted text, and what
//! goes before, between and after the texts when there are several.

use crate::{Format, Table, json, report, table};
use serde::Serialize;
use std::io::{self, Write};
use zhengce::{AgencyNames, Assignment, Diagnostic, Encoding, Parsed, TaskRecord};

/// What to write, the same for every input.
pub struct Render<'a> {
    pub format: Format,
    /// The CSV table.
    pub table: Table,
    /// A UTF-8 byte order mark before a CSV table.
    pub bom: bool,
    /// Only the tasks this agency answers for.
    pub agency: Option<&'a str>,
    /// How agency names are compared.
    pub names: &'a AgencyNames,
    /// Several inputs: JSON is an array, records name their file.
    pub archive: bool,
}

/// One converted text.
pub struct Source<'a> {
    /// The input as named in messages (`<stdin>` for standard input).
    pub name: &'a str,
    /// What the text was decoded from.
    pub encoding: Encoding,
    pub parsed: &'a Parsed,
}

/// A task to write, with how the agency of `--agency` answers for it.
pub struct Item {
    pub task: TaskRecord,
    pub assignment: Option<Assignment>,
}

impl Render<'_> {
    /// The tasks of `parsed` to write: all of them, or with `--agency`
    /// those the agency answers for, in text order. JSON and JSONL
    /// without `--agency` write from the model itself and need none.
    pub fn items(&self, parsed: &Parsed) -> Vec<Item> {
        match self.agency {
            None if matches!(self.format, Format::Json | Format::Jsonl) => Vec::new(),
            None => parsed
                .document
                .task_records()
                .into_iter()
                .map(|task| Item {
                    task,
                    assignment: None,
                })
                .collect(),
            Some(agency) => parsed
                .document
                .duties(agency, self.names)
                .into_iter()
                .map(|d| Item {
                    task: d.task,
                    assignment: Some(d.assignment),
                })
                .collect(),
        }
    }

    /// What comes before the first text: a CSV table's byte order mark
    /// and header, the `[` of a JSON array.
    pub fn prologue(&self, out: &mut impl Write) -> io::Result<()> {
        match self.format {
            Format::Csv => {
                if self.bom {
                    out.write_all("\u{feff}".as_bytes())?;
                }
                table::header(out, self.table)
            }
            Format::Json if self.archive => out.write_all(b"["),
            _ => Ok(()),
        }
    }

    /// What comes before text number `index` (from 0).
    pub fn separator(&self, out: &mut impl Write, index: usize) -> io::Result<()> {
        match self.format {
            Format::Json if self.archive => out.write_all(if index == 0 { b"\n" } else { b",\n" }),
            Format::Md if index > 0 => out.write_all(b"\n---\n\n"),
            _ => Ok(()),
        }
    }

    /// What comes after the last text, of `count` written.
    pub fn epilogue(&self, out: &mut impl Write, count: usize) -> io::Result<()> {
        match self.format {
            Format::Json if self.archive => {
                out.write_all(if count == 0 { b"]\n" } else { b"\n]\n" })
            }
            _ => Ok(()),
        }
    }

    /// Whether a text is left out of the output altogether: in a Markdown
    /// report of several texts, those where the agency has no task.
    pub fn skips(&self, items: &[Item]) -> bool {
        self.format == Format::Md && self.archive && self.agency.is_some() && items.is_empty()
    }

    /// Writes one text.
    pub fn body(&self, out: &mut impl Write, source: &Source, items: &[Item]) -> io::Result<()> {
        let file = self.archive.then_some(source.name);
        match self.format {
            Format::Json => self.json(out, file, source, items),
            // Without --agency, straight from the model: records borrowed
            // from it, serialized as they come.
            Format::Jsonl if self.agency.is_none() => {
                for task in source.parsed.document.records() {
                    match file {
                        None => json::to_writer(&mut *out, &task)?,
                        Some(_) => json::to_writer(
                            &mut *out,
                            &Line {
                                file,
                                task: &task,
                                assignment: None,
                            },
                        )?,
                    }
                    out.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Jsonl => {
                for item in items {
                    json::to_writer(
                        &mut *out,
                        &Line {
                            file,
                            task: &item.task,
                            assignment: item.assignment.as_ref(),
                        },
                    )?;
                    out.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Csv => table::rows(out, self.table, source.name, items, self.names),
            Format::Md => report::write(out, source, items, self.agency, self.names),
        }
    }

    fn json(
        &self,
        out: &mut impl Write,
        file: Option<&str>,
        source: &Source,
        items: &[Item],
    ) -> io::Result<()> {
        let Source {
            encoding, parsed, ..
        } = source;
        match self.agency {
            None => serde_json::to_writer_pretty(
                &mut *out,
                &Whole {
                    file,
                    encoding: *encoding,
                    document: &parsed.document,
                    diagnostics: &parsed.diagnostics,
                },
            )?,
            Some(agency) => serde_json::to_writer_pretty(
                &mut *out,
                &Duties {
                    file,
                    encoding: *encoding,
                    agency,
                    canonical: self.names.canonical(agency),
                    metadata: &parsed.document.metadata,
                    duties: items
                        .iter()
                        .map(|item| Line {
                            file: None,
                            task: &item.task,
                            assignment: item.assignment.as_ref(),
                        })
                        .collect(),
                    diagnostics: &parsed.diagnostics,
                },
            )?,
        }
        if !self.archive {
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// `--format json`: the whole model.
#[derive(Serialize)]
struct Whole<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    encoding: zhengce::Encoding,
    document: &'a zhengce::Document,
    diagnostics: &'a [Diagnostic],
}

/// `--format json --agency NAME`: the header and the agency's tasks.
#[derive(Serialize)]
struct Duties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    encoding: zhengce::Encoding,
    agency: &'a str,
    canonical: String,
    metadata: &'a zhengce::Metadata,
    duties: Vec<Line<'a, TaskRecord>>,
    diagnostics: &'a [Diagnostic],
}

/// A task record with the file it is from (several inputs) and how the
/// agency of `--agency` answers for it.
#[derive(Serialize)]
struct Line<'a, T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(flatten)]
    task: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignment: Option<&'a Assignment>,
}
