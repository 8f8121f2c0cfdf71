//! Stage 2: classified lines → the outline tree of headings and tasks.
//!
//! Nesting follows the order in which marker styles first appear: a style
//! seen before is a sibling of its earlier occurrence (closing everything
//! opened after it); a new style opens a level under the current one. The
//! stack holds at most one open node per style, so depth is bounded by the
//! number of styles, however hostile the input.

use crate::agency;
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::lines::{Line, LineKind};
use crate::model::{
    Leader, Marker, MarkerStyle, Node, NodeKind, Responsibility, ResponsibilityForm,
};
use crate::quantity;
use crate::span::Span;
use regex::Regex;
use std::sync::LazyLock;

/// What opened a level of the outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Style(MarkerStyle),
    /// An unnumbered line naming a leader (`王浩省长`).
    Leader,
    /// `附件`: everything restarts under it.
    Attachment,
}

/// A node under construction; `children` index the arena.
#[derive(Debug)]
struct Draft {
    kind: Option<NodeKind>,
    marker: Option<Marker>,
    text_span: Span,
    leader: Option<Leader>,
    responsibilities: Vec<Responsibility>,
    children: Vec<usize>,
    /// The last number of each style among the children.
    last_numbers: Vec<(MarkerStyle, u32)>,
}

impl Draft {
    fn new(text_span: Span) -> Draft {
        Draft {
            kind: None,
            marker: None,
            text_span,
            leader: None,
            responsibilities: Vec::new(),
            children: Vec::new(),
            last_numbers: Vec::new(),
        }
    }
}

static LEADER: LazyLock<Regex> = LazyLock::new(|| {
    let titles = "常务副省长|副省长|省长|常务副市长|副市长|市长|常务副区长|副区长|区长|\
                  常务副县长|副县长|县长|副秘书长|秘书长|副主席|主席|副主任|主任|\
                  副书记|书记|副总理|总理|国务委员";
    Regex::new(&format!(
        r"^(?:(?P<post>{titles})|(?P<name>\p{{Han}}{{2,4}}?)(?P<title>{titles}))(?:同志)?(?:牵头|负责|分管)?的?(?:重点)?(?:工作|任务)?$"
    ))
    .expect("leader regex is valid")
});

static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*(?:[:：].{0,60})?$")
        .expect("attachment regex is valid")
});

/// The leader a heading's text names, if the whole text is `name + post`.
fn leader(text: &str, at: usize) -> Option<Leader> {
    let c = LEADER.captures(text)?;
    let (name, title, end) = match (c.name("post"), c.name("name"), c.name("title")) {
        (Some(post), _, _) => (None, post.as_str(), post.end()),
        (None, Some(name), Some(title)) => {
            (Some(name.as_str().to_owned()), title.as_str(), title.end())
        }
        _ => return None,
    };
    Some(Leader {
        name,
        title: title.to_owned(),
        span: Span::new(at, at + end),
    })
}

/// Builds the outline from `lines`, which lie in `source`.
pub(crate) struct Builder<'s> {
    source: &'s str,
    arena: Vec<Draft>,
    stack: Vec<(Level, usize)>,
    last: Option<usize>,
    global_last: Vec<(MarkerStyle, u32)>,
    lead_first: bool,
    pub diagnostics: Vec<Diagnostic>,
}

const ROOT: usize = 0;

impl<'s> Builder<'s> {
    pub(crate) fn new(source: &'s str, lead_first: bool) -> Builder<'s> {
        Builder {
            source,
            arena: vec![Draft::new(Span::default())],
            stack: Vec::new(),
            last: None,
            global_last: Vec::new(),
            lead_first,
            diagnostics: Vec::new(),
        }
    }

    fn parent(&self) -> usize {
        self.stack.last().map_or(ROOT, |&(_, i)| i)
    }

    fn add(&mut self, parent: usize, draft: Draft) -> usize {
        let id = self.arena.len();
        self.arena.push(draft);
        self.arena[parent].children.push(id);
        self.last = Some(id);
        id
    }

    /// Takes one line of the outline.
    pub(crate) fn line(&mut self, line: &Line<'_>) {
        match line.kind {
            LineKind::Blank => {}
            LineKind::Label => self.label(line),
            LineKind::Marker { style, number, len } => self.marked(line, style, number, len),
            LineKind::Text => self.text(line),
        }
    }

    fn label(&mut self, line: &Line<'_>) {
        let r = agency::from_labels(
            self.source,
            line.span,
            ResponsibilityForm::Line,
            self.lead_first,
            &mut self.diagnostics,
        );
        self.attach(vec![r], line.span);
    }

    /// Gives responsibility written on its own line to the node before it,
    /// or to a new orphan node when there is none.
    fn attach(&mut self, mut responsibilities: Vec<Responsibility>, span: Span) {
        let target = match self.last {
            Some(id) => id,
            None => {
                self.diagnostics
                    .push(Diagnostic::new(DiagnosticKind::OrphanResponsibility, span));
                let mut draft = Draft::new(Span::new(span.start, span.start));
                draft.kind = Some(NodeKind::Orphan);
                let parent = self.parent();
                self.add(parent, draft)
            }
        };
        self.arena[target]
            .responsibilities
            .append(&mut responsibilities);
    }

    fn marked(&mut self, line: &Line<'_>, style: MarkerStyle, number: u32, len: usize) {
        if let Some(pos) = self
            .stack
            .iter()
            .position(|&(l, _)| l == Level::Style(style))
        {
            self.stack.truncate(pos);
        } else if number > 1 {
            // A style seen for the first time, not starting at 1: the text
            // began deeper than this level (a fragment). Close the levels
            // that are usually inner to this style rather than nest under
            // them.
            while let Some(&(Level::Style(open), _)) = self.stack.last() {
                if usual_rank(open) <= usual_rank(style) {
                    break;
                }
                self.stack.pop();
            }
        }
        let parent = self.parent();
        let marker_span = Span::new(line.span.start, line.span.start + len);
        self.check_number(parent, style, number, marker_span);
        let text_span =
            crate::lines::trim_span(self.source, Span::new(marker_span.end, line.span.end));
        let text = &self.source[text_span.range()];
        let mut draft = Draft::new(text_span);
        draft.marker = Some(Marker {
            text: self.source[marker_span.range()].to_owned(),
            style,
            number,
            span: marker_span,
        });
        draft.leader = leader(text, text_span.start);
        draft.responsibilities = agency::from_brackets(self.source, text_span);
        let id = self.add(parent, draft);
        self.stack.push((Level::Style(style), id));
    }

    fn text(&mut self, line: &Line<'_>) {
        if ATTACHMENT.is_match(line.text) {
            self.stack.clear();
            self.global_last.clear();
            let mut draft = Draft::new(line.span);
            draft.kind = Some(NodeKind::Attachment);
            let id = self.add(ROOT, draft);
            self.stack.push((Level::Attachment, id));
            return;
        }
        if let Some(l) = leader(line.text, line.span.start) {
            if let Some(pos) = self.stack.iter().position(|&(l, _)| l == Level::Leader) {
                self.stack.truncate(pos);
            }
            let mut draft = Draft::new(line.span);
            draft.leader = Some(l);
            let parent = self.parent();
            let id = self.add(parent, draft);
            self.stack.push((Level::Leader, id));
            return;
        }
        let responsibilities = agency::from_brackets(self.source, line.span);
        if let [only] = responsibilities.as_slice()
            && only.span == line.span
        {
            // A bracket standing alone on its line, `（X牵头，Y配合）`,
            // answers for the task before it, like a label line.
            self.attach(responsibilities, line.span);
            return;
        }
        let mut draft = Draft::new(line.span);
        draft.responsibilities = responsibilities;
        if crate::lines::is_cut_marker(line.text) {
            // `（二` at the end of a cut-off text: kept, but not a task.
            draft.kind = Some(NodeKind::Paragraph);
        }
        // An unnumbered paragraph belongs to the nearest open node that
        // can take one; see `takes_paragraphs`.
        while !self.stack.is_empty() && !self.takes_paragraphs(self.stack.len() - 1) {
            self.stack.pop();
        }
        let parent = self.parent();
        self.add(parent, draft);
    }

    /// Whether the open node at `depth` of the stack takes a following
    /// unnumbered paragraph as its child. A node with its own
    /// responsibility is a finished task and does not. Nor does a node
    /// that reads as a full paragraph (several sentences, or long) when
    /// the sibling before it took no children: the two are one run of
    /// items, and the paragraph after the run belongs to their parent.
    fn takes_paragraphs(&self, depth: usize) -> bool {
        let (level, id) = self.stack[depth];
        if !matches!(level, Level::Style(_)) {
            return true;
        }
        let draft = &self.arena[id];
        if !draft.responsibilities.is_empty() {
            return false;
        }
        let text = self.source[draft.text_span.range()].trim_end_matches(['。', '；', ';']);
        if !text.contains('。') && text.chars().count() <= 80 {
            return true;
        }
        let parent = depth.checked_sub(1).map_or(ROOT, |d| self.stack[d].1);
        let siblings = &self.arena[parent].children;
        let before = siblings
            .iter()
            .rposition(|&c| c == id)
            .and_then(|at| at.checked_sub(1))
            .map(|at| siblings[at]);
        match before {
            Some(prev) => {
                let prev = &self.arena[prev];
                !prev.children.is_empty() || prev.marker.is_none()
            }
            None => true,
        }
    }

    fn check_number(&mut self, parent: usize, style: MarkerStyle, number: u32, span: Span) {
        let previous = self.arena[parent]
            .last_numbers
            .iter()
            .find(|(s, _)| *s == style)
            .map(|&(_, n)| n);
        let global = self
            .global_last
            .iter()
            .find(|(s, _)| *s == style)
            .map(|&(_, n)| n);
        let kind = match previous {
            Some(prev) if number == prev + 1 => None,
            Some(prev) if number == prev => Some(DiagnosticKind::NumberingRepeat { number }),
            Some(prev) if number > prev => Some(DiagnosticKind::NumberingGap {
                expected: prev + 1,
                found: number,
            }),
            Some(prev) => Some(DiagnosticKind::NumberingBackwards {
                expected: prev + 1,
                found: number,
            }),
            // The first of its style here: 1, or running on from the last
            // one anywhere (numbering straight through across sections).
            None if number == 1 || global.is_some_and(|g| number == g + 1) => None,
            None => Some(DiagnosticKind::NumberingGap {
                expected: 1,
                found: number,
            }),
        };
        if let Some(kind) = kind {
            self.diagnostics.push(Diagnostic::new(kind, span));
        }
        set(&mut self.arena[parent].last_numbers, style, number);
        set(&mut self.global_last, style, number);
    }

    /// Finishes the tree: decides each node's kind, computes spans and
    /// extracts targets.
    pub(crate) fn finish(mut self) -> (Vec<Node>, Vec<Diagnostic>) {
        let roots = std::mem::take(&mut self.arena[ROOT].children);
        let nodes = roots.into_iter().map(|id| self.node(id, None)).collect();
        (nodes, self.diagnostics)
    }

    fn node(&mut self, id: usize, parent_marked: Option<bool>) -> Node {
        let draft = std::mem::replace(&mut self.arena[id], Draft::new(Span::default()));
        let marked = draft.marker.is_some() || draft.leader.is_some();
        let children: Vec<Node> = draft
            .children
            .iter()
            .map(|&child| self.node(child, Some(marked)))
            .collect();
        let kind = draft.kind.unwrap_or(if !draft.responsibilities.is_empty() {
            NodeKind::Task
        } else if !children.is_empty() || draft.leader.is_some() {
            NodeKind::Heading
        } else if draft.marker.is_some() || parent_marked == Some(true) {
            NodeKind::Task
        } else {
            NodeKind::Paragraph
        });
        let mut span = draft.text_span;
        if let Some(m) = &draft.marker {
            span = span.cover(m.span);
        }
        for r in &draft.responsibilities {
            span = span.cover(r.span);
        }
        for c in &children {
            span = span.cover(c.span);
        }
        let targets = if kind == NodeKind::Task {
            let (targets, mut diagnostics) = quantity::extract_targets(
                &self.source[draft.text_span.range()],
                draft.text_span.start,
            );
            self.diagnostics.append(&mut diagnostics);
            targets
        } else {
            Vec::new()
        };
        Node {
            kind,
            marker: draft.marker,
            text: self.source[draft.text_span.range()].to_owned(),
            text_span: draft.text_span,
            span,
            leader: draft.leader,
            responsibilities: draft.responsibilities,
            targets,
            children,
        }
    }
}

/// How deep a style usually sits: used only to place a style that first
/// appears mid-sequence, never to override the order of appearance.
fn usual_rank(style: MarkerStyle) -> u8 {
    match style {
        MarkerStyle::Chapter => 0,
        MarkerStyle::Section => 1,
        MarkerStyle::Article | MarkerStyle::ChineseComma => 2,
        MarkerStyle::ParenChinese => 3,
        MarkerStyle::ArabicDot | MarkerStyle::ArabicComma => 4,
        MarkerStyle::ParenArabic => 5,
        MarkerStyle::Circled => 6,
    }
}

fn set(list: &mut Vec<(MarkerStyle, u32)>, style: MarkerStyle, number: u32) {
    match list.iter_mut().find(|(s, _)| *s == style) {
        Some(entry) => entry.1 = number,
        None => list.push((style, number)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaders() {
        let l = leader("卢山副省长牵头重点工作", 0).unwrap();
        assert_eq!(
            (l.name.as_deref(), l.title.as_str()),
            (Some("卢山"), "副省长")
        );
        let l = leader("王浩省长", 0).unwrap();
        assert_eq!(
            (l.name.as_deref(), l.title.as_str()),
            (Some("王浩"), "省长")
        );
        let l = leader("王成国副省长牵头重点工作", 0).unwrap();
        assert_eq!(l.name.as_deref(), Some("王成国"));
        let l = leader("常务副省长", 0).unwrap();
        assert_eq!((l.name, l.title.as_str()), (None, "常务副省长"));
        assert!(leader("秘书长", 0).is_some());
        assert!(leader("优化企业发展环境", 0).is_none());
        assert!(leader("财政政策（7项）", 0).is_none());
    }
}
