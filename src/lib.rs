//! `zhengce` (政策) turns the raw text of a Chinese government
//! *division of responsibilities* (重点工作责任分工, 任务分工方案) into a typed
//! model: the header, an outline of headings and tasks, the agencies that
//! answer for each task, and the quantitative targets each task sets. Every
//! piece carries a byte [`Span`] into the decoded text.
//!
//! ```
//! let text = "四、卢山副省长牵头重点工作\n\
//!             5.新增智能工厂和数字化车间150家。\n\
//!             责任单位:省经信厅、省发展改革委\n";
//! let parsed = zhengce::parse(text);
//! let records = parsed.document.task_records();
//! assert_eq!(records.len(), 1);
//! assert_eq!(records[0].path, ["四、"]);
//! assert_eq!(records[0].leader.as_ref().unwrap().title, "副省长");
//! let names: Vec<_> = records[0].agencies.iter().map(|a| a.name.as_str()).collect();
//! assert_eq!(names, ["省经信厅", "省发展改革委"]);
//! ```
//!
//! # The model
//!
//! ```text
//! Parsed
//! ├── document: Document
//! │   ├── metadata: Metadata      title, document number, issuer, date, furniture
//! │   ├── nodes: Vec<Node>        the outline, nested
//! │   │   └── Node                kind (heading, task, paragraph, attachment…),
//! │   │       │                   marker, text, span, leader (牵头领导),
//! │   │       ├── responsibilities: Vec<Responsibility>
//! │   │       │   └── agencies: Vec<Agency>   name, role, alias, group
//! │   │       ├── targets: Vec<Target>        value, unit, normalized, kind,
//! │   │       │                               bound, modality, verb, subject
//! │   │       └── children: Vec<Node>
//! │   └── end_matter
//! └── diagnostics: Vec<Diagnostic>   what was odd, with a span
//! ```
//!
//! Everything is plain serde data: `serde_json::to_string(&parsed.document)`
//! is the converter's JSON.
//!
//! # Three common tasks
//!
//! **Parse a file**, whatever its encoding (UTF-8, UTF-16 with a BOM,
//! GB18030, Big5); a `.docx` or a PDF is a typed [`Error`], never a panic:
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bytes = std::fs::read("fixtures/00_zhejiang-2023-fengong-fragment.txt")?;
//! let (decoded, parsed) = zhengce::parse_bytes(&bytes)?;
//! println!("{} ({:?})", parsed.document.metadata.title.as_ref().map_or("", |t| &t.text), decoded.encoding);
//! for d in &parsed.diagnostics {
//!     eprintln!("{}..{}: {}", d.span.start, d.span.end, d.kind);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! **List an agency's duties**: every task that names it, under any name
//! the alias table knows (`省经信厅` = `省经济和信息化厅`), and, marked as
//! such, every task that names a group it may belong to:
//!
//! ```
//! use zhengce::{AgencyNames, Assignment};
//! let text = "1.新增企业20家。（责任单位：省经济和信息化厅、省商务厅）\n\
//!             2.培育园区5个。（责任单位：省商务厅、有关部门）\n";
//! let document = zhengce::parse(text).document;
//! let duties = document.duties("省经信厅", &AgencyNames::builtin());
//! assert_eq!(duties.len(), 2);
//! assert!(matches!(duties[0].assignment, Assignment::Named { .. }));
//! assert!(matches!(duties[1].assignment, Assignment::Group { .. }));
//! assert_eq!(duties[0].task.number.as_deref(), Some("1."));
//! ```
//!
//! **Export the targets**, each with the task it belongs to; values are
//! exact ([`quantity::Decimal`]), and JSON writes them exactly:
//!
//! ```
//! let document = zhengce::parse("1.力争粮食产量达到12.6亿吨。\n").document;
//! let targets = document.target_records();
//! let t = &targets[0].target;
//! assert_eq!(t.normalized.value.to_string(), "1260000000");
//! assert_eq!(t.normalized.unit.as_deref(), Some("吨"));
//! let line = serde_json::to_string(&targets[0]).unwrap();
//! assert!(line.contains(r#""value":1260000000,"#));
//! ```
//!
//! # Stages
//!
//! Each stage lives in its own module and can be tested alone:
//!
//! 0. **decode** (`decode`): bytes → text. UTF-8 with or without BOM,
//!    UTF-16 with a BOM, GB18030/GBK otherwise; a `.docx`, a PDF or an image
//!    is an [`Error`]. [`decode()`], [`decode_vec`] (a buffer decoded in
//!    place when it is UTF-8) and [`parse_bytes`].
//! 1. **lines** (`lines`): text → classified lines (outline marker,
//!    responsibility label, text, blank). Never fails. The marker grammar is
//!    written with nom.
//! 2. **header** (`header`) and **outline** (`outline`): classified lines →
//!    [`Metadata`] and the tree of [`Node`]s. Nesting follows the order in
//!    which marker styles appear, not a fixed table.
//! 3. **facts**: a node's text → its [`Responsibility`] statements and
//!    [`Agency`] lists (`agency`), and its quantitative [`Target`]s
//!    (`quantity`).
//!
//! Problems that do not stop parsing (a numbering gap, an unbalanced
//! bracket, a unit line with no task) are [`Diagnostic`]s with a span and
//! a [`Severity`]. [`parse`] never fails and never panics.
//!
//! The flat, one-record-per-task view the converter writes as JSONL is
//! [`Document::task_records`].

#![deny(missing_docs)]

mod agency;
mod decode;
mod diagnostic;
mod error;
mod header;
mod layout;
mod lines;
mod model;
mod outline;
pub mod quantity;
mod query;
mod records;
#[cfg(feature = "schema")]
pub mod schema;
mod span;
mod string;
mod table;

pub use decode::{Decoded, Encoding, decode, decode_vec};
pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use error::Error;
pub use model::{
    Agency, Cell, DateText, Document, Field, Furniture, FurnitureKind, Leader, Marker, MarkerStyle,
    Metadata, Node, NodeKind, Responsibility, ResponsibilityForm, Role, Target,
};
pub use query::{AgencyCount, AgencyNames, Assignment, Duty, TargetRecord, fold};
pub use records::{Records, TaskRecord, TaskRecordRef};
pub use span::{Span, Text};
pub use string::Str;

use serde::{Deserialize, Serialize};

/// A parsed document and the problems found on the way.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// The document.
    pub document: Document,
    /// Recoverable problems, in text order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether the text of `lines` states the convention that the first
/// agency listed leads: what the regex
/// `(?:列|排)(?:在)?第一位的?(?:为|是)牵头单位` matches, read by hand
/// (a unit test checks the two agree). The regex cost more to compile and
/// to run over the whole text than a search of each line for `第一位`: a
/// match holds no white space and no line break, so it lies inside one
/// line's text, and most lines, and most texts, have no `第一位`. Nor
/// need a line be searched whose [`lines::Line::holds`] says it holds no
/// `第`, which most do not.
fn lead_first(lines: &[lines::Line<'_>]) -> bool {
    const FIRST: &str = "第一位";
    lines.iter().any(|line| {
        let text = line.text;
        line.holds & lines::HOLDS_DI != 0
            && text.len() >= FIRST.len()
            && text.contains(FIRST)
            && text.match_indices(FIRST).any(|(at, _)| {
                let before = &text[..at];
                let before = before.strip_suffix('在').unwrap_or(before);
                let after = &text[at + FIRST.len()..];
                let after = after.strip_prefix('的').unwrap_or(after);
                before.ends_with(['列', '排'])
                    && after
                        .strip_prefix(['为', '是'])
                        .is_some_and(|a| a.starts_with("牵头单位"))
            })
    })
}

/// What [`parse_with`] does beyond the outline and the agencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Extract quantitative targets (on by default). Off, every task's
    /// `targets` is empty and parsing is faster.
    pub targets: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { targets: true }
    }
}

impl Options {
    /// The default options with target extraction set to `on`.
    pub fn targets(self, on: bool) -> Options {
        Options { targets: on }
    }
}

/// Parses a text. Never fails: whatever the text, the result is a document
/// (possibly empty) plus diagnostics.
pub fn parse(source: &str) -> Parsed {
    parse_with(source, Options::default())
}

/// Parses a text with the given options; see [`parse`].
///
/// ```
/// let fast = zhengce::parse_with("1.新增企业20家。\n", zhengce::Options::default().targets(false));
/// assert!(fast.document.tasks()[0].targets.is_empty());
/// ```
pub fn parse_with(source: &str, options: Options) -> Parsed {
    complete(outline_of(source), options)
}

/// Parses a text it takes, with the given options; see [`parse`].
///
/// The result is the same as [`parse_with`]'s, but the text is freed as
/// soon as the outline is made, before the targets, which the model
/// reads from its own copies of each node's text. The peak of a parse is
/// then the larger of the text with the outline and the whole model,
/// rather than the two together: on the corpus repeated to 64 MB, the
/// converter's peak fell from 4.3 to 3.7 times the text.
///
/// ```
/// let text = String::from("1.新增企业20家。\n");
/// let parsed = zhengce::parse_owned(text, zhengce::Options::default());
/// assert_eq!(parsed.document.tasks()[0].targets[0].value.to_string(), "20");
/// ```
pub fn parse_owned(source: String, options: Options) -> Parsed {
    let outline = outline_of(&source);
    drop(source);
    complete(outline, options)
}

/// A parse up to its targets: everything that needs the source text.
struct Outline {
    metadata: Metadata,
    nodes: Vec<Node>,
    diagnostics: Vec<Diagnostic>,
}

/// Fills the targets from the nodes' own texts, when `options` asks for
/// them, and puts the diagnostics in text order.
fn complete(outline: Outline, options: Options) -> Parsed {
    let Outline {
        metadata,
        mut nodes,
        mut diagnostics,
    } = outline;
    if options.targets {
        outline::fill_targets(&mut nodes, &mut diagnostics);
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Parsed {
        document: Document { metadata, nodes },
        diagnostics,
    }
}

/// The metadata, the outline with its agencies, and their diagnostics.
fn outline_of(source: &str) -> Outline {
    let mut lines = lines::lines(source);
    let furniture = layout::mark_furniture(&mut lines);
    let wrap = layout::wrap(source, &lines);
    let mut split = header::split(&lines);
    split.metadata.furniture = furniture;
    let lead_first = lead_first(&lines);
    let mut builder = outline::Builder::new(source, lead_first, wrap);
    let body = &lines[split.outline_start..split.outline_end];
    let mut table_diagnostics = Vec::new();
    let mut at = 0;
    for found in table::find(source, body) {
        let region = found.region;
        for line in &body[at..region.start] {
            builder.line(line);
        }
        let built = table::build_found(source, body, found, lead_first);
        builder.built(built.nodes);
        split.metadata.furniture.extend(built.furniture);
        table_diagnostics.extend(built.diagnostics);
        at = region.end;
    }
    for line in &body[at..] {
        builder.line(line);
    }
    // The header and end are outside the outline, which checks its own
    // brackets.
    let mut outside_diagnostics = Vec::new();
    let outside = lines[..split.outline_start]
        .iter()
        .chain(&lines[split.outline_end..]);
    for line in outside {
        let unbalanced = agency::scan_brackets(line.text, |_| {});
        outside_diagnostics.extend(unbalanced.into_iter().map(|(at, len)| {
            let start = line.span.start + at;
            Diagnostic::new(
                DiagnosticKind::UnbalancedBracket {
                    bracket: source[start..start + len].to_owned(),
                },
                Span::new(start, start + len),
            )
        }));
    }
    let ending = Ending::of(&lines[split.outline_start..split.outline_end]);
    // The lines are done with: freed before the builder makes the nodes,
    // so that the two never take room at the same time.
    drop(lines);
    let (mut nodes, mut diagnostics) = builder.finish();
    outline::lift_closing_address(&mut nodes);
    diagnostics.append(&mut table_diagnostics);
    diagnostics.append(&mut outside_diagnostics);
    split.metadata.furniture.sort_by_key(|f| f.span.start);
    ending.check(&nodes, &mut diagnostics);
    Outline {
        metadata: split.metadata,
        nodes,
        diagnostics,
    }
}

/// How the outline's text ends, read from its lines before they are freed:
/// what [`Ending::check`] needs to say whether the text was cut off.
enum Ending {
    /// Nothing looks cut.
    Whole,
    /// The text stops inside a marker (`（三`) or on a bare marker.
    Marker(Span),
    /// The last line is a responsibility label line: cut when it ends in a
    /// one-character agency, which only the nodes tell.
    Label(Span),
    /// The text stops mid-item: the last line does not close where most of
    /// the document's items do.
    Unclosed(Span),
}

impl Ending {
    fn of(lines: &[lines::Line<'_>]) -> Ending {
        let content = |l: &&lines::Line<'_>| {
            !matches!(
                l.kind,
                lines::LineKind::Blank | lines::LineKind::Furniture(_)
            )
        };
        let Some(last) = lines.iter().rev().find(content) else {
            return Ending::Whole;
        };
        let bare_marker =
            matches!(last.kind, lines::LineKind::Marker { len, .. } if len == last.text.len());
        if bare_marker || lines::is_cut_marker(last.text) {
            return Ending::Marker(last.span);
        }
        if last.kind == lines::LineKind::Label {
            return Ending::Label(last.span);
        }
        // Text that stops without closing punctuation where the rest of the
        // document's items close theirs.
        let closes = |t: &str| {
            t.ends_with([
                '。', '！', '？', '；', ';', '）', ')', '】', ']', '”', '」', '…', '.', '!', '?',
            ])
        };
        // Most texts end closed: the count over every line is only made for
        // one that does not.
        if !matches!(
            last.kind,
            lines::LineKind::Marker { .. } | lines::LineKind::Text
        ) || closes(last.text)
        {
            return Ending::Whole;
        }
        // Twenty characters or more: eighty bytes surely are (a character
        // takes four at most), and fewer are counted.
        let (mut items, mut closed) = (0usize, 0usize);
        for l in lines {
            if matches!(
                l.kind,
                lines::LineKind::Marker { .. } | lines::LineKind::Text
            ) && (l.text.len() >= 80 || l.text.chars().count() >= 20)
            {
                items += 1;
                closed += usize::from(closes(l.text));
            }
        }
        if items >= 3 && closed * 10 >= items * 6 {
            Ending::Unclosed(last.span)
        } else {
            Ending::Whole
        }
    }

    /// Says so when the text stops inside a marker or mid-item.
    fn check(self, nodes: &[Node], diagnostics: &mut Vec<Diagnostic>) {
        match self {
            Ending::Whole => {}
            Ending::Marker(span) => {
                diagnostics.push(Diagnostic::new(DiagnosticKind::TruncatedMarker, span));
            }
            Ending::Unclosed(span) => {
                diagnostics.push(Diagnostic::new(DiagnosticKind::TruncatedText, span));
            }
            // A list that ends in a one-character agency (`责任单位:区`) was
            // cut.
            Ending::Label(span) => {
                let mut node = nodes.last();
                while let Some(n) = node.and_then(|n| n.children.last()) {
                    node = Some(n);
                }
                if let Some(agency) = nodes
                    .last()
                    .into_iter()
                    .chain(node)
                    .flat_map(|n| n.agencies())
                    .filter(|a| span.contains(a.span))
                    .last()
                    && agency.name.chars().count() <= 1
                {
                    diagnostics.push(Diagnostic::new(DiagnosticKind::TruncatedText, agency.span));
                }
            }
        }
    }
}

/// Decodes bytes (see [`decode()`]) and parses the text.
///
/// # Errors
///
/// When the bytes are not text: see [`Error`].
pub fn parse_bytes(bytes: &[u8]) -> Result<(Decoded, Parsed), Error> {
    let decoded = decode(bytes)?;
    let parsed = parse(&decoded.text);
    Ok((decoded, parsed))
}

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use regex::Regex;
    use std::sync::LazyLock;

    /// The regex `lead_first` replaces.
    static LEAD_FIRST: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:列|排)(?:在)?第一位的?(?:为|是)牵头单位").unwrap());

    fn check_lead_first(text: &str) {
        assert_eq!(
            super::lead_first(&crate::lines::lines(text)),
            LEAD_FIRST.is_match(text),
            "{text:?}"
        );
    }

    #[test]
    fn lead_first_agrees_with_the_regex() {
        for text in [
            "",
            "列第一位为牵头单位",
            "排在第一位的是牵头单位",
            "列在在第一位为牵头单位",
            "列第一位的的为牵头单位",
            "列第一位为牵头",
            "第一位为牵头单位",
            "排第一位是牵头单位。列第一位",
            "第一位第一位，列第一位是牵头单位",
            "列\n第一位为牵头单位",
            "列第一位为牵头单位\n",
            "  列第一位为牵头单位  ",
            "列第一位为\r牵头单位",
        ] {
            check_lead_first(text);
        }
        for text in crate::testing::fixture_texts() {
            check_lead_first(&text);
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn lead_first_agrees_with_the_regex_on_the_alphabet(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "列", "排", "在", "第一位", "第", "一", "位", "的", "为", "是", "牵头单位",
                "牵头", "单位", "，", "a", "\n", "\r\n", " ", "\u{3000}", "\u{2028}", "\r",
            ]),
            0..16,
        )) {
            check_lead_first(&s.concat());
        }
    }
}

/// Inputs the modules' unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    /// The proptest configuration of the differential tests, which check a
    /// fast path against the code or regex it replaces: 3,000 cases from a
    /// fixed seed, so that a run is repeatable, and no failure files.
    pub(crate) fn differential() -> proptest::test_runner::Config {
        proptest::test_runner::Config {
            cases: 3000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(7),
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        }
    }

    /// The decoded text of every fixture in `fixtures/` (those that decode).
    pub(crate) fn fixture_texts() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("fixtures/ is readable")
            .map(|e| e.expect("a fixture entry").path())
            .collect();
        paths.sort();
        paths
            .iter()
            .filter_map(|p| crate::decode(&std::fs::read(p).expect("fixture")).ok())
            .map(|d| d.text)
            .collect()
    }
}
