//! Flat records: one per task, the shape of the converter's JSONL output.

use crate::model::{Agency, Document, Leader, Node, NodeKind, Target};
use crate::span::Span;
use serde::{Deserialize, Serialize};

/// One task with its context, flattened: the JSONL contract.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaskRecord {
    /// Markers of the enclosing headings as written, outermost first
    /// (`["一、", "（三）"]`); an attachment contributes its own text.
    pub path: Vec<String>,
    /// The task's own marker as written, or `None` for an unnumbered
    /// paragraph.
    pub number: Option<String>,
    /// The text of the nearest enclosing heading that names a leader.
    pub heading: Option<String>,
    /// The leader that heading names.
    pub leader: Option<Leader>,
    /// The task's text after its marker, as written.
    pub text: String,
    /// Where `text` is.
    pub span: Span,
    /// Every agency of the task, in text order.
    pub agencies: Vec<Agency>,
    /// The task's deadline text, if it gives one.
    pub deadline: Option<String>,
    /// The task's quantitative targets.
    pub targets: Vec<Target>,
}

/// One task with its context, borrowed from the [`Document`]: the same
/// fields as [`TaskRecord`], serialized to the same JSON, without copying
/// the task's text, agencies and targets. [`Document::records`] yields
/// them; the converter writes its JSONL from them.
///
/// ```
/// let parsed = zhengce::parse("1.新增企业20家。（责任单位：省经信厅）\n");
/// let record = parsed.document.records().next().unwrap();
/// assert_eq!(record.number, Some("1."));
/// assert_eq!(record.targets[0].subject.as_deref(), Some("企业"));
/// assert_eq!(
///     serde_json::to_string(&record).unwrap(),
///     serde_json::to_string(&record.to_owned()).unwrap(),
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TaskRecordRef<'a> {
    /// See [`TaskRecord::path`].
    pub path: Vec<&'a str>,
    /// See [`TaskRecord::number`].
    pub number: Option<&'a str>,
    /// See [`TaskRecord::heading`].
    pub heading: Option<&'a str>,
    /// See [`TaskRecord::leader`].
    pub leader: Option<&'a Leader>,
    /// See [`TaskRecord::text`].
    pub text: &'a str,
    /// See [`TaskRecord::span`].
    pub span: Span,
    /// See [`TaskRecord::agencies`].
    pub agencies: Vec<&'a Agency>,
    /// See [`TaskRecord::deadline`].
    pub deadline: Option<&'a str>,
    /// See [`TaskRecord::targets`].
    pub targets: &'a [Target],
}

impl TaskRecordRef<'_> {
    /// The owned record.
    pub fn to_owned(&self) -> TaskRecord {
        TaskRecord {
            path: self.path.iter().map(|p| (*p).to_owned()).collect(),
            number: self.number.map(str::to_owned),
            heading: self.heading.map(str::to_owned),
            leader: self.leader.cloned(),
            text: self.text.to_owned(),
            span: self.span,
            agencies: self.agencies.iter().map(|a| (*a).clone()).collect(),
            deadline: self.deadline.map(str::to_owned),
            targets: self.targets.to_vec(),
        }
    }
}

impl Document {
    /// Every task of the document as a flat record, in text order.
    /// [`Document::records`] gives the same without copying.
    pub fn task_records(&self) -> Vec<TaskRecord> {
        self.records().map(|r| r.to_owned()).collect()
    }

    /// Every task of the document as a record borrowed from it, in text
    /// order, one at a time: what a writer of large outputs wants.
    pub fn records(&self) -> Records<'_> {
        Records {
            stack: vec![Level {
                nodes: self.nodes.iter(),
                pushed: false,
                leader: None,
            }],
            path: Vec::new(),
        }
    }

    /// Every task node of the document, in text order, at any depth.
    pub fn tasks(&self) -> Vec<&Node> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
            if node.kind == NodeKind::Task {
                out.push(node);
            }
            for child in &node.children {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        for node in &self.nodes {
            walk(node, &mut out);
        }
        out
    }
}

/// The iterator of [`Document::records`]: a walk of the outline with an
/// explicit stack, so that depth costs no call stack.
#[derive(Clone, Debug)]
pub struct Records<'a> {
    stack: Vec<Level<'a>>,
    /// Markers of the open headings, outermost first.
    path: Vec<&'a str>,
}

/// One open level of the walk.
#[derive(Clone, Debug)]
struct Level<'a> {
    nodes: std::slice::Iter<'a, Node>,
    /// Whether entering this level pushed onto the path.
    pushed: bool,
    /// The nearest enclosing heading that names a leader.
    leader: Option<&'a Node>,
}

impl<'a> Iterator for Records<'a> {
    type Item = TaskRecordRef<'a>;

    fn next(&mut self) -> Option<TaskRecordRef<'a>> {
        loop {
            let level = self.stack.last_mut()?;
            let Some(node) = level.nodes.next() else {
                if self.stack.pop().is_some_and(|l| l.pushed) {
                    self.path.pop();
                }
                continue;
            };
            let leader = level.leader;
            let record = (node.kind == NodeKind::Task).then(|| TaskRecordRef {
                path: self.path.clone(),
                number: node.marker.as_ref().map(|m| m.text.as_str()),
                heading: leader.map(|h| h.text.as_str()),
                leader: leader.and_then(|h| h.leader.as_deref()),
                text: &node.text,
                span: node.text_span,
                agencies: node.agencies().collect(),
                deadline: node.deadline().map(|d| d.text.as_str()),
                targets: &node.targets,
            });
            if !node.children.is_empty() {
                // A heading's marker joins the path of what it holds; an
                // attachment contributes its own text.
                let pushed = match (&node.marker, node.kind) {
                    (Some(m), _) => Some(m.text.as_str()),
                    (None, NodeKind::Attachment) => Some(node.text.as_str()),
                    _ => None,
                };
                if let Some(p) = pushed {
                    self.path.push(p);
                }
                self.stack.push(Level {
                    nodes: node.children.iter(),
                    pushed: pushed.is_some(),
                    leader: if node.leader.is_some() {
                        Some(node)
                    } else {
                        leader
                    },
                });
            }
            if record.is_some() {
                return record;
            }
        }
    }
}
