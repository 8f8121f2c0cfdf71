//! JSON Schemas of the output, for programs in other languages (cargo
//! feature `schema`). The files in `schema/` of the repository are these,
//! written out by `cargo test --features schema`, and checked against the
//! real output of every fixture.

use crate::{Assignment, Diagnostic, Document, Encoding, Metadata, TaskRecord};
use schemars::{JsonSchema, Schema, schema_for};

/// The converter's JSON output: the whole model.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct Output {
    /// The encoding the input was decoded from.
    encoding: Encoding,
    /// The document.
    document: Document,
    /// Recoverable problems, in text order.
    diagnostics: Vec<Diagnostic>,
}

/// The schema of the converter's JSON output (`--format json`):
/// `{encoding, document, diagnostics}`.
pub fn document() -> Schema {
    schema_for!(Output)
}

/// The schema of one line of the converter's JSONL output
/// (`--format jsonl`): a [`TaskRecord`].
pub fn task_record() -> Schema {
    schema_for!(TaskRecord)
}

/// The converter's JSON output with `--agency NAME`: the header and the
/// tasks the agency answers for.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct AgencyOutput {
    /// The encoding the input was decoded from.
    encoding: Encoding,
    /// The agency as given.
    agency: String,
    /// Its canonical name, which aliases and short forms are matched by.
    canonical: String,
    /// The document's header.
    metadata: Metadata,
    /// The tasks it answers for, in text order.
    duties: Vec<AgencyRecord>,
    /// Recoverable problems, in text order.
    diagnostics: Vec<Diagnostic>,
}

/// A task the agency of `--agency` answers for, and how.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct AgencyRecord {
    #[serde(flatten)]
    task: TaskRecord,
    /// How the agency answers for the task: named, or through a group.
    assignment: Assignment,
}

/// The schema of the converter's JSON output with `--agency NAME`
/// (`--format json --agency NAME`): `{encoding, agency, canonical,
/// metadata, duties, diagnostics}`, each duty a task record with its
/// `assignment`.
pub fn agency() -> Schema {
    schema_for!(AgencyOutput)
}

/// The schema of one line of the converter's JSONL output with
/// `--agency NAME`: a [`TaskRecord`] with its `assignment`.
pub fn agency_record() -> Schema {
    schema_for!(AgencyRecord)
}
