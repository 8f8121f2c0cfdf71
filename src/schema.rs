//! JSON Schemas of the output, for programs in other languages (cargo
//! feature `schema`). The files in `schema/` of the repository are these,
//! written out by `cargo test --features schema`, and checked against the
//! real output of every fixture.

use crate::{Diagnostic, Document, Encoding, TaskRecord};
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
