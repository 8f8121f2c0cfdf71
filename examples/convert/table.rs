//! `--format csv`: tidy tables for a spreadsheet, written with the csv
//! crate (a field with a comma, a quote or a line break is quoted).
//!
//! - `duties`: one row per task and agency, with the agency's role; a task
//!   that names no agency has one row with the agency columns empty. With
//!   `--agency`, one row per task the agency answers for: the agency as the
//!   task names it, or the group it may belong to (`group` is `true`).
//! - `targets`: one row per target, every field of it.
//!
//! Numbers are written exactly, as the model's `Decimal` writes them
//! (`1260000000`, `12.6`, `1/3`); `true`/`false` for flags; an empty field
//! for a value the text does not give. A text field a spreadsheet would run
//! as a formula gets an apostrophe in front ([`cell`]).

use crate::Table;
use crate::formats::Item;
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};
use zhengce::quantity::Decimal;
use zhengce::{Agency, AgencyNames, Assignment, Role, TaskRecord};

const DUTIES: &[&str] = &[
    "file",
    "path",
    "number",
    "task",
    "agency",
    "canonical",
    "role",
    "group",
    "alias",
    "deadline",
];

const TARGETS: &[&str] = &[
    "file",
    "path",
    "number",
    "task",
    "text",
    "span_start",
    "span_end",
    "value",
    "unit",
    "normalized_value",
    "normalized_unit",
    "normalized_upper",
    "kind",
    "currency",
    "classifier",
    "bound",
    "upper",
    "modality",
    "verb",
    "subject",
    "each",
    "year",
];

/// The column names of `table`.
pub fn columns(table: Table) -> &'static [&'static str] {
    match table {
        Table::Duties => DUTIES,
        Table::Targets => TARGETS,
    }
}

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out)
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes the header row of `table`.
pub fn header(out: &mut impl Write, table: Table) -> io::Result<()> {
    let mut w = writer(out);
    w.write_record(columns(table)).map_err(csv_error)?;
    w.flush()
}

/// Writes the rows of `table` for the tasks of one text.
pub fn rows(
    out: &mut impl Write,
    table: Table,
    file: &str,
    items: &[Item],
    names: &AgencyNames,
) -> io::Result<()> {
    let mut w = writer(out);
    for item in items {
        let task = &item.task;
        let path = task.path.concat();
        let number = task.number.as_deref().unwrap_or("");
        let head = [file, &path, number, &task.text];
        match table {
            Table::Duties => {
                let deadline = task.deadline.clone().unwrap_or_default();
                for agency in duty_agencies(item) {
                    let [name, canonical, role, group, alias] = match agency {
                        None => Default::default(),
                        Some(a) => [
                            String::from(&a.name),
                            names.canonical(&a.name),
                            role(a.role).to_owned(),
                            a.group.to_string(),
                            a.alias.as_deref().unwrap_or_default().to_owned(),
                        ],
                    };
                    let row = [&name, &canonical, &role, &group, &alias, &deadline];
                    record(&mut w, head.iter().copied().chain(row.map(String::as_str)))?;
                }
            }
            Table::Targets => {
                for t in &task.targets {
                    let kind = kind_fields(&t.kind);
                    let row = [
                        String::from(&t.text),
                        t.span.start.to_string(),
                        t.span.end.to_string(),
                        t.value.to_string(),
                        t.unit.as_deref().unwrap_or_default().to_owned(),
                        t.normalized.value.to_string(),
                        t.normalized.unit.as_deref().unwrap_or_default().to_owned(),
                        opt_decimal(t.normalized.upper),
                        kind.kind,
                        kind.currency,
                        kind.classifier,
                        snake(&t.bound),
                        opt_decimal(t.upper),
                        t.modality.as_ref().map(snake).unwrap_or_default(),
                        t.verb.as_deref().unwrap_or_default().to_owned(),
                        t.subject.as_deref().unwrap_or_default().to_owned(),
                        t.each.to_string(),
                        t.year.map(|y| y.to_string()).unwrap_or_default(),
                    ];
                    record(
                        &mut w,
                        head.iter().copied().chain(row.iter().map(String::as_str)),
                    )?;
                }
            }
        }
    }
    w.flush()
}

/// Writes one row, each field through [`cell`].
fn record<'f, W: Write>(
    w: &mut csv::Writer<W>,
    fields: impl IntoIterator<Item = &'f str>,
) -> io::Result<()> {
    for field in fields {
        w.write_field(cell(field).as_bytes()).map_err(csv_error)?;
    }
    w.write_record(None::<&[u8]>).map_err(csv_error)
}

/// A field as written: one that a spreadsheet would read as a formula
/// (its first character `=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets an apostrophe in front, as OWASP advises for CSV files, so that a
/// cell of a policy text cannot run anything when the table is opened. A
/// plain number (`-2.5`, `+3%`, `-1/3`) is left as it is.
fn cell(field: &str) -> Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = field.strip_prefix(['+', '-']).is_some_and(|rest| {
        let digits = rest.strip_suffix('%').unwrap_or(rest);
        digits.starts_with(|c: char| c.is_ascii_digit())
            && digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '/')
    });
    if risky && !number {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// The agencies of a task that get a row: every one, or with `--agency`
/// the one through which the agency answers for it; `None` for a task
/// with no agency.
fn duty_agencies(item: &Item) -> Vec<Option<&Agency>> {
    let task: &TaskRecord = &item.task;
    match &item.assignment {
        None if task.agencies.is_empty() => vec![None],
        None => task.agencies.iter().map(Some).collect(),
        Some(assignment) => {
            let role = assignment.role();
            let (wanted, group) = match assignment {
                Assignment::Named { written, .. } => (written.as_str(), false),
                Assignment::Group { group, .. } => (group.as_str(), true),
                // A way of assignment this converter does not know yet:
                // the task's row stands without an agency.
                _ => return vec![None],
            };
            task.agencies
                .iter()
                .find(|a| a.name == wanted && a.role == role && a.group == group)
                .into_iter()
                .map(Some)
                .collect()
        }
    }
}

pub fn role(role: Role) -> &'static str {
    role.as_str()
}

fn opt_decimal(d: Option<Decimal>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The name serde gives a unit variant (`at_least`, `strive`).
fn snake<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

struct KindFields {
    kind: String,
    currency: String,
    classifier: String,
}

/// A target's kind and the field a currency or a count carries, as the
/// JSON output has them (the kind enum grows: serde names it).
fn kind_fields(kind: &zhengce::quantity::Kind) -> KindFields {
    let value = serde_json::to_value(kind).unwrap_or_default();
    let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
    KindFields {
        kind: field("kind"),
        currency: field("currency"),
        classifier: field("classifier"),
    }
}
