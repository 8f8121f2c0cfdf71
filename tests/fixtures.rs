//! Snapshot tests: every text in `fixtures/` is parsed, checked against the
//! invariants and snapshotted as a review-friendly YAML outline.
//!
//! To add a text: drop it into `fixtures/` as `NAME.txt` (any encoding the
//! crate decodes), run `cargo insta test --review` (or `cargo test` and then
//! `cargo insta review`), and read the new snapshot line by line.

mod common;

use serde::Serialize;
use std::fs;
use zhengce::{Node, NodeKind, Parsed};

/// A node as a person reviews it: marker and text on one line, the rest
/// only where present.
#[derive(Serialize)]
struct ReviewNode {
    node: String,
    kind: NodeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    leader: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agencies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    targets: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<ReviewNode>,
}

#[derive(Serialize)]
struct Review {
    encoding: zhengce::Encoding,
    metadata: serde_json::Value,
    outline: Vec<ReviewNode>,
    diagnostics: Vec<String>,
}

fn review_node(node: &Node) -> ReviewNode {
    let marker = node.marker.as_ref().map_or("", |m| m.text.as_str());
    ReviewNode {
        node: format!("{marker}{}", node.text),
        kind: node.kind,
        label: node.label.as_ref().map(|l| l.text.to_string()),
        leader: node
            .leader
            .as_ref()
            .map(|l| format!("{} / {}", l.name.as_deref().unwrap_or("-"), l.title)),
        agencies: node
            .agencies()
            .map(|a| {
                let role = a.role.as_str();
                let mut s = format!("{} [{role}", a.name);
                if a.group {
                    s.push_str(", group");
                }
                if let Some(alias) = &a.alias {
                    s.push_str(&format!(", alias {alias}"));
                }
                s.push(']');
                s
            })
            .collect(),
        deadline: node.deadline().map(|d| d.text.to_string()),
        targets: node
            .targets
            .iter()
            .map(|t| {
                let mut v = serde_json::to_value(t).expect("targets serialize");
                if let Some(o) = v.as_object_mut() {
                    o.remove("span");
                }
                v
            })
            .collect(),
        children: node.children.iter().map(review_node).collect(),
    }
}

fn line_col(source: &str, at: usize) -> (usize, usize) {
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn review(source: &str, encoding: zhengce::Encoding, parsed: &Parsed) -> Review {
    let mut metadata =
        serde_json::to_value(&parsed.document.metadata).expect("metadata serializes");
    strip_spans(&mut metadata);
    Review {
        encoding,
        metadata,
        outline: parsed.document.nodes.iter().map(review_node).collect(),
        diagnostics: parsed
            .diagnostics
            .iter()
            .map(|d| {
                let (line, col) = line_col(source, d.span.start);
                format!("{line}:{col} {:?}: {d}", d.severity)
            })
            .collect(),
    }
}

fn strip_spans(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove("span");
            o.values_mut().for_each(strip_spans);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

#[test]
fn fixtures() {
    insta::glob!("../fixtures", "*.txt", |path| {
        let bytes = fs::read(path).expect("fixture is readable");
        let (decoded, parsed) = zhengce::parse_bytes(&bytes).expect("fixture is text");
        if let Err(e) = common::check_invariants(&decoded.text, &parsed) {
            panic!("{}: {e}", path.display());
        }
        let json = serde_json::to_string(&parsed).expect("serializes");
        let back: Parsed = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(
            back,
            parsed,
            "{}: JSON round trip changed the model",
            path.display()
        );
        insta::with_settings!({
            omit_expression => true,
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_yaml_snapshot!(review(&decoded.text, decoded.encoding, &parsed));
        });
    });
}
