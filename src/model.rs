//! The document model: plain data with serde derives.
//!
//! Every node carries a [`Span`] of byte offsets into the decoded text
//! (end-exclusive, on char boundaries). Strings are [`Str`]s, owned copies
//! of the source as written; nothing is rewritten except where a field says
//! so (an agency's `name` after shared-tail distribution, for instance).

pub use crate::quantity::Target;
use crate::span::{Span, Text};
use crate::string::Str;
use serde::{Deserialize, Serialize};

/// A parsed document: its header and its outline.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Document {
    /// Title, document number, addressees, issuer, date and notes, where
    /// the text has them.
    pub metadata: Metadata,
    /// The top level of the outline, in text order.
    pub nodes: Vec<Node>,
}

/// What the text says about itself, outside the outline.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Metadata {
    /// The title, such as `…关于印发…的通知`. A title written over two lines
    /// is joined; its span covers both.
    pub title: Option<Text>,
    /// The document number (发文字号), such as `浙政发〔2023〕6号`.
    pub doc_number: Option<Text>,
    /// The addressees (主送), such as `各市、县（市、区）人民政府：`.
    pub addressees: Option<Text>,
    /// The issuing body, as signed.
    pub issuer: Option<Text>,
    /// The date of issue, as signed.
    pub date: Option<DateText>,
    /// Notes such as `（此件公开发布）`.
    pub notes: Vec<Text>,
    /// Every other paragraph of the notice around the outline, in order.
    pub body: Vec<Text>,
    /// Key–value pairs from a web page's metadata block
    /// (`索引号`, `发布机构`, `文号`, `发布日期`), in order.
    pub fields: Vec<Field>,
    /// Lines that are not part of the document: page numbers, running
    /// heads, site navigation, footers, table rules.
    pub furniture: Vec<Furniture>,
}

/// A key–value pair from a metadata block.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Field {
    /// The key with spaces removed (`索引号`).
    pub key: Str,
    /// The value as written.
    pub value: Text,
    /// Where the key and value are.
    pub span: Span,
}

/// A line that is not part of the document.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Furniture {
    /// What it is.
    pub kind: FurnitureKind,
    /// The line as written.
    pub text: Str,
    /// Where it is.
    pub span: Span,
}

/// The kinds of lines that are not part of the document.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FurnitureKind {
    /// `— 3 —`, `- 3 -`, `第3页`.
    PageNumber,
    /// A line repeated at the head of every page.
    RunningHead,
    /// Site navigation: `设为首页`, `无障碍阅读`.
    Navigation,
    /// A site footer: copyright, ICP number, `主办单位`.
    Footer,
    /// A table's rule line: `|---|---|`.
    TableRule,
}

/// A date as written, with its parts where they could be read.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DateText {
    /// The date as written: `2023年2月10日` or `二〇二三年二月十日`.
    pub text: Str,
    /// Where it is.
    pub span: Span,
    /// The year.
    pub year: u32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month.
    pub day: u32,
}

/// What an outline node is.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NodeKind {
    /// A node with children and no responsibility of its own.
    Heading,
    /// A unit of work: an item that carries responsibility, an innermost
    /// item, or an unnumbered paragraph under a heading.
    Task,
    /// Text that is neither: a preamble or a title above the outline.
    Paragraph,
    /// The start of an attachment (`附件`); numbering starts afresh in it.
    Attachment,
    /// Responsibility with no task before it, as when a text starts
    /// mid-document. Kept so that nothing is lost; see the diagnostics.
    Orphan,
}

/// One node of the outline.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// The outline marker, when the node has one.
    pub marker: Option<Marker>,
    /// The node's own text after its marker, as written. When the text
    /// runs over several lines (a hard line break in text taken from a
    /// PDF, a table cell that wraps), it is the lines joined without their
    /// line breaks, and `segments` says where each piece is.
    pub text: Str,
    /// Where `text` is: from its first character to its last.
    pub text_span: Span,
    /// Where each piece of a text joined from several lines is, in order;
    /// empty when the text is one piece, `text_span`.
    pub segments: Vec<Span>,
    /// A short label the item opens with, before a colon:
    /// `简政提效：深化行政审批改革` has the label `简政提效`.
    // Boxed, as few nodes have one: a node without takes the room of a
    // pointer for it.
    pub label: Option<Box<Text>>,
    /// For a row of a table, every cell with its column's header, so that
    /// columns the parser does not interpret are kept too.
    pub cells: Vec<Cell>,
    /// The whole node: marker, text, responsibility lines and children.
    pub span: Span,
    /// The leader a heading names (`卢山副省长牵头重点工作`).
    // Boxed, as few nodes have one: a node without takes the room of a
    // pointer for it.
    pub leader: Option<Box<Leader>>,
    /// Who answers for the node, in text order.
    pub responsibilities: Vec<Responsibility>,
    /// The quantitative targets in the node's text.
    pub targets: Vec<Target>,
    /// The nodes under this one.
    pub children: Vec<Node>,
}

/// One cell of a table row.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cell {
    /// The header of the cell's column, as written (`牵头单位`).
    pub column: Str,
    /// The cell's text; a cell that wraps onto following lines is joined.
    pub text: Str,
    /// Where each line of the cell is.
    pub segments: Vec<Span>,
}

impl Node {
    /// Where each piece of the node's text is: `segments`, or `text_span`
    /// alone.
    pub fn text_segments(&self) -> &[Span] {
        if self.segments.is_empty() {
            std::slice::from_ref(&self.text_span)
        } else {
            &self.segments
        }
    }

    /// Every agency named by the node's responsibilities, in text order.
    pub fn agencies(&self) -> impl Iterator<Item = &Agency> {
        self.responsibilities.iter().flat_map(|r| r.agencies.iter())
    }

    /// The first deadline any of the node's responsibilities gives.
    pub fn deadline(&self) -> Option<&Text> {
        self.responsibilities
            .iter()
            .find_map(|r| r.deadline.as_ref())
    }
}

/// An outline marker as written (`四、`, `（三）`, `1.`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Marker {
    /// The marker as written.
    pub text: Str,
    /// Its style.
    pub style: MarkerStyle,
    /// Its number.
    pub number: u32,
    /// Where it is.
    pub span: Span,
}

/// The styles of outline markers. Which style nests in which is decided by
/// the order in which they appear in a document, not by this list.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MarkerStyle {
    /// `一、`
    ChineseComma,
    /// `（一）` or `(一)`
    ParenChinese,
    /// `1.` or `1．`
    ArabicDot,
    /// `1、`
    ArabicComma,
    /// `（1）` or `(1)`
    ParenArabic,
    /// `①`
    Circled,
    /// `第一章`
    Chapter,
    /// `第一节`
    Section,
    /// `第一条`
    Article,
    /// `一是`, `二是` inside a paragraph.
    Inline,
    /// The number cell (`序号`) of a table row.
    Row,
}

/// The official a heading names as leading its block.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Leader {
    /// The person's name (`卢山`); absent when the heading names only a
    /// post (`常务副省长`).
    pub name: Option<Str>,
    /// The post (`副省长`).
    pub title: Str,
    /// Where the name and post are.
    pub span: Span,
}

/// How a responsibility is written.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ResponsibilityForm {
    /// A line of its own: `责任单位：…`.
    Line,
    /// Round brackets in the task text: `（X牵头，Y按职责分工负责）`.
    Bracket,
    /// Square brackets with labels: `[牵头单位:…;责任单位:…]`.
    SquareBracket,
    /// Columns of a table (`牵头单位`, `责任单位`, `完成时限`).
    Table,
}

/// One statement of who answers for a node.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Responsibility {
    /// How it is written.
    pub form: ResponsibilityForm,
    /// Where the whole statement is (the line, or the bracket with its
    /// brackets).
    pub span: Span,
    /// The agencies, in text order.
    pub agencies: Vec<Agency>,
    /// Deadline text, such as `6月底前出台相关政策，年内持续推进`.
    pub deadline: Option<Text>,
}

/// The part an agency plays in a task.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// Leads (牵头).
    Lead,
    /// Answers for it (责任单位, 按职责分工负责).
    Responsible,
    /// Takes part (配合, 参与).
    Cooperating,
}

impl Role {
    /// The role's name as JSON writes it: `lead`, `responsible`,
    /// `cooperating`.
    ///
    /// ```
    /// assert_eq!(zhengce::Role::Cooperating.as_str(), "cooperating");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Responsible => "responsible",
            Role::Cooperating => "cooperating",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One agency in a list.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Agency {
    /// The agency's name: as written, less a trailing 等 and its alias,
    /// with a shared tail distributed (`杭州市、…及义乌市政府` gives
    /// `杭州市政府`).
    pub name: Str,
    /// The name in brackets after it (`省委组织部(省委人才办)` gives
    /// `省委人才办`).
    pub alias: Option<Str>,
    /// Its part in the task.
    pub role: Role,
    /// True for a reference to a set of bodies rather than one body:
    /// `各设区市政府`, `有关部门`, `…其他成员单位`.
    pub group: bool,
    /// Where the item is as written.
    pub span: Span,
}
