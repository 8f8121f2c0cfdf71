//! The one fatal error: bytes that are not a text at all.

/// Why bytes could not be read as a text. Once there is text, parsing
/// never fails; problems inside a text are [`Diagnostic`](crate::Diagnostic)s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are a known binary format.
    #[error("expected text, but found {found}")]
    NotText {
        /// What the bytes are.
        found: &'static str,
    },
    /// The bytes hold NUL or too many control characters to be text.
    #[error("expected text, but found binary data (first at byte {offset})")]
    Binary {
        /// Offset of the first offending byte.
        offset: usize,
    },
    /// The bytes are neither UTF-8 nor GB18030.
    #[error("expected UTF-8 or GB18030 text, but found undecodable bytes at byte {offset}")]
    Undecodable {
        /// Offset where UTF-8 decoding stopped.
        offset: usize,
    },
}
