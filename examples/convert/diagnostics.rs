//! Diagnostics on stderr: `FILE:LINE:COLUMN: severity: message`, or the
//! source line with a caret under the characters concerned.

use crate::Style;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use std::io::{self, IsTerminal, Write};
use zhengce::{Diagnostic, Severity};

/// Where a diagnostic starts: its line (from 1), column in characters
/// (from 1), and the byte range of that line without its line break.
#[derive(Clone, Copy)]
struct Position {
    line: usize,
    column: usize,
    line_start: usize,
    line_end: usize,
}

/// The positions of `offsets` in `text`, in one pass over the text
/// however many there are (a position found from the text's start for
/// each would make a file with many diagnostics quadratic).
fn positions(text: &str, offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![
        Position {
            line: 1,
            column: 1,
            line_start: 0,
            line_end: 0,
        };
        offsets.len()
    ];
    let bytes = text.as_bytes();
    let (mut at, mut line, mut line_start, mut column) = (0usize, 1usize, 0usize, 1usize);
    // The end of the current line, found once per line.
    let mut line_end: Option<usize> = None;
    for i in order {
        let target = offsets[i].min(text.len());
        if at < target {
            // Counted in bulk, not byte by byte: the loops below have no
            // early exit, so they vectorise.
            let gap = &bytes[at..target];
            let breaks = gap.iter().filter(|&&b| b == b'\n').count();
            if breaks > 0 {
                line += breaks;
                line_start = at + gap.iter().rposition(|&b| b == b'\n').map_or(0, |k| k + 1);
                column = 1 + chars(&bytes[line_start..target]);
                line_end = None;
            } else {
                column += chars(gap);
            }
            at = target;
        }
        let end = *line_end.get_or_insert_with(|| {
            let end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |e| line_start + e);
            if end > line_start && text[..end].ends_with('\r') {
                end - 1
            } else {
                end
            }
        });
        out[i] = Position {
            line,
            column,
            line_start,
            line_end: end,
        };
    }
    out
}

/// The characters of UTF-8 `bytes`: the bytes that are not continuation
/// bytes.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// Prints the diagnostics in `style` on stderr, styled when stderr is a
/// terminal. Errors writing to stderr are ignored: the output is what
/// matters.
pub fn report(style: Style, name: &str, text: &str, diagnostics: &[Diagnostic]) {
    if style == Style::None || diagnostics.is_empty() {
        return;
    }
    let stderr = io::stderr();
    let styled = stderr.is_terminal();
    let mut err = io::BufWriter::new(stderr.lock());
    let _ = render(&mut err, style, styled, name, text, diagnostics).and_then(|()| err.flush());
}

/// Writes the diagnostics in `style` to `out` (with colours when
/// `styled`): what [`report`] prints, for a caller that prints it later.
pub fn render(
    out: &mut impl Write,
    style: Style,
    styled: bool,
    name: &str,
    text: &str,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    if style == Style::None || diagnostics.is_empty() {
        return Ok(());
    }
    let offsets: Vec<usize> = diagnostics.iter().map(|d| d.span.start).collect();
    let positions = positions(text, &offsets);
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for (d, p) in diagnostics.iter().zip(&positions) {
        match style {
            Style::Short => writeln!(
                out,
                "{name}:{}:{}: {}: {d}",
                p.line,
                p.column,
                severity_word(d.severity)
            )?,
            // A blank line after each, as rustc does.
            Style::Pretty => writeln!(out, "{}\n", pretty(&renderer, name, text, d, p))?,
            Style::None => {}
        }
    }
    Ok(())
}

/// Bytes of a line shown around a diagnostic; longer lines are cut to a
/// window around it, so that each diagnostic costs the same however long
/// its line.
const WINDOW: usize = 160;

/// A diagnostic as annotate-snippets renders it: the message, where it is,
/// the source line and a caret under the characters it concerns (only its
/// first line, for a span over several).
fn pretty(renderer: &Renderer, name: &str, text: &str, d: &Diagnostic, p: &Position) -> String {
    let level = match d.severity {
        Severity::Info => Level::INFO,
        Severity::Warning => Level::WARNING,
        Severity::Error => Level::ERROR,
    };
    let start = d.span.start.clamp(p.line_start, p.line_end);
    let end = d.span.end.clamp(start, p.line_end);
    // The window: the whole line when short, else up to WINDOW bytes on
    // each side of the span, cut at characters.
    let long = p.line_end - p.line_start > 4 * WINDOW;
    let (from, to) = if long {
        (
            floor_char(text, start.saturating_sub(WINDOW).max(p.line_start)),
            ceil_char(text, (end + WINDOW).min(p.line_end)).max(end),
        )
    } else {
        (p.line_start, p.line_end)
    };
    let end = end.min(to);
    let mut shown = String::with_capacity(to - from + 8);
    let mut shift = 0;
    if from > p.line_start {
        shown.push('…');
        shift = '…'.len_utf8();
    }
    // Control characters would move the caret: each becomes a space.
    shown.extend(text[from..to].chars().map(|c| {
        if c.is_ascii_control() && c != '\t' {
            ' '
        } else {
            c
        }
    }));
    if to < p.line_end {
        shown.push('…');
    }
    let message = d.to_string();
    let annotation = AnnotationKind::Primary.span(start - from + shift..end - from + shift);
    let snippet = Snippet::source(shown.as_str()).line_start(p.line);
    if !long {
        let report = &[level
            .primary_title(message.as_str())
            .element(snippet.path(name).annotation(annotation))];
        return renderer.render(report);
    }
    // The location annotate-snippets would give counts from the window's
    // start: give the real one instead.
    let report = &[level
        .primary_title(message.as_str())
        .element(snippet.annotation(annotation))];
    let rendered = renderer.render(report);
    let gutter = p.line.to_string().len();
    let location = format!("{}--> {name}:{}:{}", " ".repeat(gutter), p.line, p.column);
    match rendered.split_once('\n') {
        Some((title, rest)) => format!("{title}\n{location}\n{rest}"),
        None => format!("{rendered}\n{location}"),
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
