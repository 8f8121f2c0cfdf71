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
    let mut joined = String::new();
    let mut end = node.text_span.start;
    for &seg in node.text_segments() {
        check_span(source, seg, &what)?;
        check_inside(node.text_span, seg, &what)?;
        if seg.start < end {
            return Err(format!("{what}: text segments out of order"));
        }
        end = seg.end;
        joined.push_str(&source[seg.range()]);
        covered.push(seg);
    }
    if joined != node.text {
        return Err(format!(
            "{what}: text differs from the source at its segments"
        ));
    }
    for cell in &node.cells {
        let mut text = String::new();
        for &seg in &cell.segments {
            check_span(source, seg, &what)?;
            check_inside(node.span, seg, &format!("{what}: cell {}", cell.column))?;
            text.push_str(&source[seg.range()]);
            covered.push(seg);
        }
        if text != cell.text {
            return Err(format!(
                "{what}: cell {} differs from the source",
                cell.column
            ));
        }
    }
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
    for f in &m.fields {
        check_span(source, f.value.span, "metadata field")?;
        check_span(source, f.span, "metadata field")?;
        check_inside(f.span, f.value.span, "metadata field")?;
        covered.push(f.span);
    }
    for f in &m.furniture {
        check_span(source, f.span, "furniture")?;
        if source[f.span.range()] != f.text {
            return Err(format!("furniture {:?} differs from the source", f.text));
        }
        covered.push(f.span);
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
    // Pipes and box-drawing lines between table cells are layout, like
    // tabs and spaces.
    let is_space = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{feff}' | '\u{200b}' | '|' | '｜' | '\u{2500}'..='\u{257f}'
            )
    };
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

// ---- The reliability suite (tests/proptest.rs, tests/hostile.rs,
// tests/regressions.rs, tests/encodings.rs) checks every input with this. ----

/// Parses `source` and checks everything a parse of any input must keep:
/// [`check_invariants`], diagnostics in text order, a JSON round trip of
/// the model and of the task records (serialize → deserialize gives an
/// equal value), and a second parse giving byte-identical JSON (no hash
/// order or other state leaks into the output). Returns the parse.
pub fn check_all(source: &str) -> Result<Parsed, String> {
    let parsed = zhengce::parse(source);
    check_invariants(source, &parsed)?;
    let starts: Vec<(usize, usize)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.span.start, d.span.end))
        .collect();
    if !starts.is_sorted() {
        return Err("diagnostics are not in text order".to_owned());
    }
    // Taking the text, and freeing it before the targets, changes nothing.
    if zhengce::parse_owned(source.to_owned(), zhengce::Options::default()) != parsed {
        return Err("parse_owned differs from parse".to_owned());
    }
    let json = serde_json::to_string(&parsed).map_err(|e| format!("serialize: {e}"))?;
    let back: Parsed = serde_json::from_str(&json).map_err(|e| format!("deserialize: {e}"))?;
    if back != parsed {
        return Err("JSON round trip changed the model".to_owned());
    }
    let records = parsed.document.task_records();
    let records_json =
        serde_json::to_string(&records).map_err(|e| format!("serialize records: {e}"))?;
    let records_back: Vec<zhengce::TaskRecord> =
        serde_json::from_str(&records_json).map_err(|e| format!("deserialize records: {e}"))?;
    if records_back != records {
        return Err("JSON round trip changed the task records".to_owned());
    }
    if records.len() != parsed.document.tasks().len() {
        return Err(format!(
            "{} task records for {} task nodes",
            records.len(),
            parsed.document.tasks().len()
        ));
    }
    let again = serde_json::to_string(&zhengce::parse(source)).map_err(|e| e.to_string())?;
    if again != json {
        return Err("a second parse of the same text gave different JSON".to_owned());
    }
    Ok(parsed)
}

/// Runs `work` in a child process: the test binary run again for the one
/// test `name` (the test's path, as `cargo test` lists it). A stack
/// overflow aborts a process, not a thread; run this way it fails the one
/// test instead of killing the whole run. The child's stdout is returned.
pub fn isolated(name: &str, work: impl FnOnce()) -> String {
    const VAR: &str = "ZHENGCE_ISOLATED_TEST";
    if std::env::var(VAR).is_ok_and(|v| v == name) {
        work();
        return String::new();
    }
    let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([name, "--exact", "--include-ignored", "--nocapture"])
        .args(["--test-threads", "1"])
        .env(VAR, name)
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name} in a child process: {}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Parses `source` on a thread with a stack of `stack` bytes: a parse
/// that recurses as deep as its input is long overflows it.
pub fn parse_on_small_stack(source: String, stack: usize) -> Parsed {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || zhengce::parse(&source))
        .expect("thread spawns")
        .join()
        .expect("parse does not panic")
}

/// How parse time grows with the input: `make(n)` and `make(factor * n)`
/// are parsed and timed, each on a thread with a 1 MiB stack. A linear
/// parser takes about `factor` times as long on the larger one; a
/// quadratic one `factor²` times.
#[derive(Clone, Copy, Debug)]
pub struct Growth {
    /// Bytes of `make(n)`.
    pub bytes: usize,
    /// How much larger the larger input is.
    pub factor: usize,
    /// Seconds for `make(n)` (the best of two runs).
    pub small: f64,
    /// Seconds for `make(factor * n)`.
    pub large: f64,
}

impl Growth {
    /// `large / small`, with `small` taken as at least a millisecond so
    /// that timer noise on tiny inputs does not count.
    pub fn ratio(&self) -> f64 {
        self.large / self.small.max(1e-3)
    }
}

/// Seconds to parse `source`, on a thread with a 1 MiB stack (so that
/// every timed parse also shows that recursion is bounded).
fn time_parse(source: &str) -> f64 {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn_scoped(s, || {
                let start = std::time::Instant::now();
                let parsed = zhengce::parse(source);
                let elapsed = start.elapsed().as_secs_f64();
                drop(std::hint::black_box(parsed));
                elapsed
            })
            .expect("thread spawns")
            .join()
            .expect("parse does not panic")
    })
}

/// Measures [`Growth`] from `n` to `factor * n`, up to eight times
/// while the ratio stays above `limit`, and returns the best measurement.
/// A busy machine (the tests run in parallel, on shared cores) slows some
/// runs, not all of them; each side is the fastest of three. Quadratic
/// work fails every attempt, however quiet the machine.
pub fn growth(make: &dyn Fn(usize) -> String, n: usize, factor: usize, limit: f64) -> Growth {
    let small_text = make(n);
    let large_text = make(factor * n);
    time_parse(&small_text); // warm up: regexes, allocator
    let fastest = |text: &str| {
        (0..3)
            .map(|_| time_parse(text))
            .fold(f64::INFINITY, f64::min)
    };
    let mut best: Option<Growth> = None;
    for _ in 0..8 {
        let small = fastest(&small_text);
        let large = fastest(&large_text);
        let g = Growth {
            bytes: small_text.len(),
            factor,
            small,
            large,
        };
        if best.is_none_or(|b| g.ratio() < b.ratio()) {
            best = Some(g);
        }
        if g.ratio() <= limit {
            break;
        }
    }
    best.expect("measured")
}

/// Panics unless parse time grows at most `limit` times from `make(n)` to
/// `make(factor * n)`: linear growth is about `factor`, quadratic
/// `factor²`.
pub fn assert_linear(
    name: &str,
    make: &dyn Fn(usize) -> String,
    n: usize,
    factor: usize,
    limit: f64,
) -> Growth {
    let g = growth(make, n, factor, limit);
    assert!(
        g.ratio() <= limit,
        "{name}: parse time grows {:.1}× from {} to {} times the bytes ({:.3}s → {:.3}s); \
         linear is about {factor}×",
        g.ratio(),
        g.bytes,
        factor,
        g.small,
        g.large
    );
    g
}

/// Every text in `fixtures/`, decoded, with its file name, in name order.
pub fn corpus() -> Vec<(String, String)> {
    decoded_corpus()
        .into_iter()
        .map(|(name, decoded)| (name, decoded.text))
        .collect()
}

/// Every text in `fixtures/` as [`zhengce::decode`] gives it (text and
/// encoding), with its file name, in name order.
pub fn decoded_corpus() -> Vec<(String, zhengce::Decoded)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/ is readable")
        .map(|e| e.expect("fixtures/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("fixture is readable");
            let decoded = zhengce::decode(&bytes).expect("fixture is text");
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                decoded,
            )
        })
        .collect()
}
