//! Stage 3b: quantities and targets. Placeholder for the targets work
//! (issue 3): the types and signatures below are the contract the outline
//! stage calls.

use crate::diagnostic::Diagnostic;
use crate::span::Span;
use serde::{Deserialize, Serialize};

/// A quantitative target a task commits to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The whole phrase as written.
    pub text: String,
    /// Where the phrase is in the decoded text.
    pub span: Span,
}

/// Finds the targets in one task's text. `offset` is where `text` starts in
/// the decoded document; every span returned is absolute.
pub(crate) fn extract_targets(text: &str, offset: usize) -> (Vec<Target>, Vec<Diagnostic>) {
    let _ = (text, offset);
    (Vec::new(), Vec::new())
}
