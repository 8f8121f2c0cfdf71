//! Recoverable problems found while parsing: each with a kind, a severity
//! and the span it concerns.

use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How much a diagnostic matters to someone reading the output.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; the model is still what the text says.
    Info,
    /// The text is irregular and the model may not be what the author meant.
    Warning,
    /// Part of the text could not be given a meaning; it is kept as plain text.
    Error,
}

/// A recoverable problem in the input, with where it is.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// What the problem is.
    #[serde(flatten)]
    pub kind: DiagnosticKind,
    /// How much it matters.
    pub severity: Severity,
    /// Where it is in the decoded text.
    pub span: Span,
}

impl Diagnostic {
    /// Makes a diagnostic with the kind's default severity.
    pub fn new(kind: DiagnosticKind, span: Span) -> Diagnostic {
        let severity = kind.severity();
        Diagnostic {
            kind,
            severity,
            span,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)
    }
}

/// The kinds of recoverable problems.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A responsibility line or bracket with no task before it to belong to
    /// (as when a text starts mid-document). It is kept as an orphan node.
    OrphanResponsibility,
    /// A numbered item whose number skips ahead of the one expected.
    NumberingGap {
        /// The number the sequence called for.
        expected: u32,
        /// The number written.
        found: u32,
    },
    /// A numbered item whose number was already used by a sibling.
    NumberingRepeat {
        /// The repeated number.
        number: u32,
    },
    /// A numbered item whose number goes back to a lower one without a new
    /// parent.
    NumberingBackwards {
        /// The number the sequence called for.
        expected: u32,
        /// The number written.
        found: u32,
    },
    /// An opening bracket with no closing one on its line, or a closing one
    /// with no opening one.
    UnbalancedBracket {
        /// The bracket as written.
        bracket: String,
    },
    /// The text ends inside an outline marker, such as `（三` or `12`.
    TruncatedMarker,
    /// The text ends inside a list of agencies or a bracket.
    TruncatedText,
    /// A responsibility label (`责任单位：`) with no agency after it.
    EmptyAgencyList,
    /// A heading's declared count (`财政政策（7项）`) differs from the number
    /// of numbered items under it.
    CountMismatch {
        /// The count written in the heading.
        declared: u32,
        /// The numbered items found.
        found: u32,
    },
    /// A number followed by a unit the unit lexicon does not know.
    UnknownUnit {
        /// The characters after the number, as written.
        unit: String,
    },
}

impl DiagnosticKind {
    /// The severity a diagnostic of this kind has.
    pub fn severity(&self) -> Severity {
        match self {
            DiagnosticKind::NumberingGap { .. }
            | DiagnosticKind::NumberingRepeat { .. }
            | DiagnosticKind::NumberingBackwards { .. }
            | DiagnosticKind::OrphanResponsibility
            | DiagnosticKind::UnbalancedBracket { .. }
            | DiagnosticKind::TruncatedMarker
            | DiagnosticKind::TruncatedText
            | DiagnosticKind::EmptyAgencyList
            | DiagnosticKind::CountMismatch { .. } => Severity::Warning,
            DiagnosticKind::UnknownUnit { .. } => Severity::Info,
        }
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiagnosticKind::OrphanResponsibility => {
                f.write_str("responsibility with no task before it")
            }
            DiagnosticKind::NumberingGap { expected, found } => {
                write!(f, "numbering skips: expected {expected}, but found {found}")
            }
            DiagnosticKind::NumberingRepeat { number } => {
                write!(f, "number {number} is used twice in a row")
            }
            DiagnosticKind::NumberingBackwards { expected, found } => {
                write!(
                    f,
                    "numbering goes backwards: expected {expected}, but found {found}"
                )
            }
            DiagnosticKind::UnbalancedBracket { bracket } => {
                write!(f, "bracket `{bracket}` has no partner")
            }
            DiagnosticKind::TruncatedMarker => f.write_str("text ends inside an outline marker"),
            DiagnosticKind::TruncatedText => f.write_str("text ends mid-item"),
            DiagnosticKind::EmptyAgencyList => {
                f.write_str("expected a list of agencies, but found nothing")
            }
            DiagnosticKind::CountMismatch { declared, found } => {
                write!(f, "heading declares {declared} items, but {found} follow")
            }
            DiagnosticKind::UnknownUnit { unit } => {
                write!(f, "number followed by unknown unit `{unit}`")
            }
        }
    }
}
