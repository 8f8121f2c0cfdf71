//! Diagnostics on stderr: `FILE:LINE:COLUMN: severity: message`, or the
//! source line with a caret under the characters concerned.

use crate::Style;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use zhengce::{Diagnostic, Encoding, Parsed, Severity};

/// Where a diagnostic starts: its line (from 1), column in characters
/// (from 1), and the byte range of that line without its line break, with
/// the part of the line the pretty style shows.
#[derive(Clone, Default)]
struct Position {
    line: usize,
    column: usize,
    line_start: usize,
    line_end: usize,
    /// Bytes of the line from `shown_start`: all of a short line, a window
    /// around the span on a long one (see [`pretty`]); empty unless kept.
    shown: Vec<u8>,
    shown_start: usize,
}

/// The positions of `spans` (start and end) in the text `reader` reads,
/// in one pass over it, a line at a time, however many there are (a
/// position found from the text's start for each would make a file with
/// many diagnostics quadratic; so would counting each column from its
/// line's start). The part of each line the pretty style shows is kept
/// when `keep_lines`.
fn positions(
    mut reader: impl io::BufRead,
    spans: &[(usize, usize)],
    keep_lines: bool,
) -> io::Result<Vec<Position>> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| spans[i].0);
    let mut out = vec![Position::default(); spans.len()];
    let mut order = order.into_iter().peekable();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut raw = Vec::new();
    loop {
        raw.clear();
        let read = reader.read_until(b'\n', &mut raw)?;
        let broken = raw.last() == Some(&b'\n');
        let next = line_start + read;
        let mut end = read - usize::from(broken);
        if broken && end > 0 && raw[end - 1] == b'\r' {
            end -= 1;
        }
        // Columns are counted on from the previous offset in the line.
        let (mut counted, mut column) = (0usize, 1usize);
        // The line's offsets: those before its end, and on the last line
        // (no line break after it) those at its end or past the text.
        while let Some(&i) = order.peek() {
            let (at, to) = spans[i];
            if broken && at >= next {
                break;
            }
            let within = at.saturating_sub(line_start).min(read);
            column += chars(&raw[counted..within]);
            counted = within;
            let (from, until) = if !keep_lines {
                (0, 0)
            } else if end > 4 * WINDOW {
                // Wider than the window by a character's bytes on each
                // side, so that cutting at characters finds the same cut.
                let from = within.saturating_sub(WINDOW + 4);
                let until = to.saturating_sub(line_start).max(within) + WINDOW + 4;
                (from.min(end), until.min(end))
            } else {
                (0, end)
            };
            out[i] = Position {
                line,
                column,
                line_start,
                line_end: line_start + end,
                shown: raw[from..until].to_vec(),
                shown_start: line_start + from,
            };
            order.next();
        }
        if !broken || order.peek().is_none() {
            break;
        }
        line += 1;
        line_start = next;
    }
    Ok(out)
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

/// Writes the diagnostics in `style` to `out` (with colours when
/// `styled`), with positions in `text`, which reads the decoded text as
/// UTF-8 bytes.
pub fn render(
    out: &mut impl Write,
    style: Style,
    styled: bool,
    name: &str,
    text: impl io::BufRead,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    if style == Style::None || diagnostics.is_empty() {
        return Ok(());
    }
    let spans: Vec<(usize, usize)> = diagnostics
        .iter()
        .map(|d| (d.span.start, d.span.end))
        .collect();
    let positions = positions(text, &spans, style == Style::Pretty)?;
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for (d, p) in diagnostics.iter().zip(&positions) {
        match style {
            Style::Short => writeln!(out, "{}", short(name, d, p))?,
            // A blank line after each, as rustc does.
            Style::Pretty => writeln!(out, "{}\n", pretty(&renderer, name, d, p))?,
            Style::None => {}
        }
    }
    Ok(())
}

/// `FILE:LINE:COLUMN: severity: message`.
fn short(name: &str, d: &Diagnostic, p: &Position) -> String {
    format!(
        "{name}:{}:{}: {}: {d}",
        p.line,
        p.column,
        severity_word(d.severity)
    )
}

/// Bytes of a line shown around a diagnostic; longer lines are cut to a
/// window around it, so that each diagnostic costs the same however long
/// its line.
const WINDOW: usize = 160;

/// A diagnostic as annotate-snippets renders it: the message, where it is,
/// the source line and a caret under the characters it concerns (only its
/// first line, for a span over several).
fn pretty(renderer: &Renderer, name: &str, d: &Diagnostic, p: &Position) -> String {
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
    // `shown` holds the line from `shown_start`, wide enough for the cut.
    let base = p.shown_start;
    let (from, to) = if long {
        (
            base + floor_char(&p.shown, start.saturating_sub(WINDOW).max(base) - base),
            base + ceil_char(&p.shown, (end + WINDOW).min(p.line_end).max(base) - base)
                .max(end.max(base) - base),
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
    // The window is cut at characters of a text read as UTF-8, so it is
    // UTF-8, unless the file changed since it was parsed: then the short
    // form is all that can be said.
    let Some(Ok(window)) = p.shown.get(from - base..to - base).map(std::str::from_utf8) else {
        return short(name, d, p);
    };
    // Control characters would move the caret: each becomes a space.
    shown.extend(window.chars().map(|c| {
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

/// Whether `at` starts a character of UTF-8 `text` (or is its end).
fn is_char_start(text: &[u8], at: usize) -> bool {
    text.get(at).is_none_or(|&b| b & 0xc0 != 0x80)
}

fn floor_char(text: &[u8], mut at: usize) -> usize {
    while at > 0 && !is_char_start(text, at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &[u8], mut at: usize) -> usize {
    while at < text.len() && !is_char_start(text, at) {
        at += 1;
    }
    at
}

/// An input parsed with [`zhengce::parse_owned`]: the parser freed the
/// text once the outline was made, so that the text and the whole model
/// never take room together. What the diagnostics need to find their
/// positions again is kept.
pub struct Parse {
    pub parsed: Parsed,
    /// What the text was decoded from.
    pub encoding: Encoding,
    /// The text, for standard input, which cannot be read again; `None`
    /// for a file.
    pub kept: Option<String>,
    /// The decoded text's length in bytes.
    pub len: usize,
}

impl Parse {
    /// Parses `decoded`, read from `path`; the text is kept only when it
    /// cannot be read again (standard input).
    pub fn new(decoded: zhengce::Decoded, from_stdin: bool) -> Parse {
        let zhengce::Decoded { text, encoding, .. } = decoded;
        let len = text.len();
        if from_stdin {
            let parsed = zhengce::parse(&text);
            return Parse {
                parsed,
                encoding,
                kept: Some(text),
                len,
            };
        }
        Parse {
            parsed: zhengce::parse_owned(text, zhengce::Options::default()),
            encoding,
            kept: None,
            len,
        }
    }

    /// Writes the diagnostics as [`render`] does, with the text kept or,
    /// for a file, read again. A file that can no longer be read, or that
    /// changed length since, gets each diagnostic's byte offset instead of
    /// its line and column.
    pub fn render(
        &self,
        out: &mut impl Write,
        style: Style,
        styled: bool,
        name: &str,
        path: &Path,
    ) -> io::Result<()> {
        let diagnostics = &self.parsed.diagnostics;
        if style == Style::None || diagnostics.is_empty() {
            return Ok(());
        }
        if let Some(text) = &self.kept {
            return render(out, style, styled, name, text.as_bytes(), diagnostics);
        }
        match reread(path, self.encoding, self.len) {
            Some(Again::Stream(reader)) => render(out, style, styled, name, reader, diagnostics),
            Some(Again::Decoded(text)) => {
                render(out, style, styled, name, text.as_bytes(), diagnostics)
            }
            None => {
                for d in diagnostics {
                    writeln!(
                        out,
                        "{name}: byte {}: {}: {d} (the file changed while it was converted)",
                        d.span.start,
                        severity_word(d.severity)
                    )?;
                }
                Ok(())
            }
        }
    }

    /// Prints the diagnostics on stderr, styled when stderr is a terminal.
    /// Errors writing to stderr are ignored: the output is what matters.
    pub fn report(&self, style: Style, name: &str, path: &Path) {
        if style == Style::None || self.parsed.diagnostics.is_empty() {
            return;
        }
        let stderr = io::stderr();
        let styled = stderr.is_terminal();
        let mut err = io::BufWriter::new(stderr.lock());
        let _ = self
            .render(&mut err, style, styled, name, path)
            .and_then(|()| err.flush());
    }
}

/// A file's decoded text, read again.
enum Again {
    /// UTF-8, read a piece at a time, past a byte order mark.
    Stream(io::BufReader<std::fs::File>),
    /// Any other encoding, decoded whole.
    Decoded(String),
}

/// The decoded text of `path` read again, as it was decoded the first time
/// (`encoding`, `len` bytes); `None` when it can no longer be read or has
/// another length. UTF-8 is read as it goes, never held whole, and not
/// validated again: positions count bytes, and a line shown is checked
/// when it is cut.
fn reread(path: &Path, encoding: Encoding, len: usize) -> Option<Again> {
    let bom = match encoding {
        Encoding::Utf8 => 0,
        Encoding::Utf8Bom => 3,
        _ => {
            let text = zhengce::decode_vec(std::fs::read(path).ok()?).ok()?.text;
            return (text.len() == len).then_some(Again::Decoded(text));
        }
    };
    let mut file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    if usize::try_from(size).ok()? != len + bom {
        return None;
    }
    io::Read::read_exact(&mut file, &mut [0u8; 3][..bom]).ok()?;
    Some(Again::Stream(io::BufReader::with_capacity(1 << 16, file)))
}
