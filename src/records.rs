//! Flat records: one per task, the shape of the converter's JSONL output.

use crate::model::{Agency, Document, Leader, Node, NodeKind, Target};
use crate::span::Span;
use serde::{Deserialize, Serialize};

/// One task with its context, flattened: the JSONL contract.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

impl Document {
    /// Every task of the document as a flat record, in text order.
    pub fn task_records(&self) -> Vec<TaskRecord> {
        let mut out = Vec::new();
        let mut path = Vec::new();
        for node in &self.nodes {
            collect(node, &mut path, None, &mut out);
        }
        out
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

fn collect<'a>(
    node: &'a Node,
    path: &mut Vec<String>,
    leader: Option<&'a Node>,
    out: &mut Vec<TaskRecord>,
) {
    if node.kind == NodeKind::Task {
        out.push(TaskRecord {
            path: path.clone(),
            number: node.marker.as_ref().map(|m| m.text.clone()),
            heading: leader.map(|h| h.text.clone()),
            leader: leader.and_then(|h| h.leader.clone()),
            text: node.text.clone(),
            span: node.text_span,
            agencies: node.agencies().cloned().collect(),
            deadline: node.deadline().map(|d| d.text.clone()),
            targets: node.targets.clone(),
        });
    }
    if node.children.is_empty() {
        return;
    }
    let pushed = match (&node.marker, node.kind) {
        (Some(m), _) => Some(m.text.clone()),
        (None, NodeKind::Attachment) => Some(node.text.clone()),
        _ => None,
    };
    let has = pushed.is_some();
    if let Some(p) = pushed {
        path.push(p);
    }
    let leader = if node.leader.is_some() {
        Some(node)
    } else {
        leader
    };
    for child in &node.children {
        collect(child, path, leader, out);
    }
    if has {
        path.pop();
    }
}
