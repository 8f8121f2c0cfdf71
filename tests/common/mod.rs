//! Checks shared by the test files: the structural invariants every parse
//! must keep, whatever the input.

#![allow(dead_code)]

use zhengce::{Node, Parsed, Span};

/// Every span of the parse, with what it belongs to.
fn check_span(source: &str, span: Span, what: &str) -> Result<(), String> {
    if span.start > span.end || span.end > source.len() {
        return Err(format!("{what}: span {span:?} outside 0..{}", source.len()));
    }
    if !source.is_char_boundary(span.start) || !source.is_char_boundary(span.end) {
        return Err(format!("{what}: span {span:?} not on char boundaries"));
    }
    Ok(())
}

fn check_inside(outer: Span, inner: Span, what: &str) -> Result<(), String> {
    if outer.contains(inner) {
        Ok(())
    } else {
        Err(format!("{what}: {inner:?} not inside {outer:?}"))
    }
}

fn check_node(source: &str, node: &Node, covered: &mut Vec<Span>) -> Result<(), String> {
    let what = format!(
        "node {:?} at {:?}",
        node.text.chars().take(12).collect::<String>(),
        node.span
    );
    check_span(source, node.span, &what)?;
    check_span(source, node.text_span, &what)?;
    check_inside(node.span, node.text_span, &what)?;
    if source[node.text_span.range()] != node.text {
        return Err(format!("{what}: text differs from the source at its span"));
    }
    covered.push(node.text_span);
    if let Some(m) = &node.marker {
        check_span(source, m.span, &what)?;
        check_inside(node.span, m.span, &what)?;
        if source[m.span.range()] != m.text {
            return Err(format!("{what}: marker differs from the source"));
        }
        covered.push(m.span);
    }
    if let Some(l) = &node.leader {
        check_span(source, l.span, &what)?;
        check_inside(node.span, l.span, &what)?;
    }
    for r in &node.responsibilities {
        check_span(source, r.span, &what)?;
        check_inside(node.span, r.span, &what)?;
        covered.push(r.span);
        for a in &r.agencies {
            check_span(source, a.span, &what)?;
            check_inside(r.span, a.span, &format!("{what}: agency {}", a.name))?;
        }
        if let Some(d) = &r.deadline {
            check_span(source, d.span, &what)?;
            check_inside(r.span, d.span, &what)?;
        }
    }
    for t in &node.targets {
        check_span(source, t.span, &what)?;
        check_inside(
            node.text_span,
            t.span,
            &format!("{what}: target {}", t.text),
        )?;
    }
    check_siblings(node.children.iter().map(|c| c.span), &what)?;
    for child in &node.children {
        check_inside(node.span, child.span, &what)?;
        check_node(source, child, covered)?;
    }
    Ok(())
}

fn check_siblings(spans: impl Iterator<Item = Span>, what: &str) -> Result<(), String> {
    let mut end = 0;
    for s in spans {
        if s.start < end {
            return Err(format!("{what}: children out of order at {s:?}"));
        }
        end = s.end;
    }
    Ok(())
}

/// Checks every invariant of a parse of `source`:
/// spans inside the input and on char boundaries, children inside parents,
/// siblings in order, text equal to the source at its span, and every
/// non-blank line covered by some node, metadata field or diagnostic.
pub fn check_invariants(source: &str, parsed: &Parsed) -> Result<(), String> {
    let mut covered = Vec::new();
    let doc = &parsed.document;
    check_siblings(doc.nodes.iter().map(|n| n.span), "top level")?;
    for node in &doc.nodes {
        check_node(source, node, &mut covered)?;
    }
    let m = &doc.metadata;
    let texts = m
        .title
        .iter()
        .chain(&m.doc_number)
        .chain(&m.addressees)
        .chain(&m.issuer)
        .chain(&m.notes)
        .chain(&m.body);
    for t in texts {
        check_span(source, t.span, "metadata")?;
        covered.push(t.span);
    }
    for t in m
        .doc_number
        .iter()
        .chain(&m.addressees)
        .chain(&m.issuer)
        .chain(&m.notes)
        .chain(&m.body)
    {
        if source[t.span.range()] != t.text {
            return Err(format!("metadata {:?} differs from the source", t.text));
        }
    }
    if let Some(d) = &m.date {
        check_span(source, d.span, "date")?;
        covered.push(d.span);
    }
    for d in &parsed.diagnostics {
        check_span(source, d.span, &format!("diagnostic {d}"))?;
        covered.push(d.span);
    }
    check_lines_covered(source, covered)
}

fn check_lines_covered(source: &str, mut covered: Vec<Span>) -> Result<(), String> {
    covered.sort();
    let mut merged: Vec<Span> = Vec::new();
    for s in covered {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let is_space = |c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}';
    for (i, c) in source.char_indices() {
        if is_space(c) {
            continue;
        }
        let at = merged.partition_point(|s| s.end <= i);
        if merged.get(at).is_none_or(|s| s.start > i) {
            let line = source[..i].matches('\n').count() + 1;
            let context: String = source[i..].chars().take(20).collect();
            return Err(format!("line {line}: text not accounted for: {context:?}"));
        }
    }
    Ok(())
}
