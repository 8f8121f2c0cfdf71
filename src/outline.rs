//! Stage 2: classified lines → the outline tree of headings and tasks.
//!
//! Nesting follows the order in which marker styles first appear: a style
//! seen before is a sibling of its earlier occurrence (closing everything
//! opened after it); a new style opens a level under the current one. The
//! stack holds at most one open node per style, so depth is bounded by the
//! number of styles, however hostile the input.

use crate::agency;
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::layout::Wrap;
use crate::lines::{HOLDS_ANY, HOLDS_SHI, Line, LineKind};
use crate::model::{
    Leader, Marker, MarkerStyle, Node, NodeKind, Responsibility, ResponsibilityForm,
};
use crate::quantity;
use crate::span::Span;
use crate::string::Str;
use std::borrow::Cow;

/// What opened a level of the outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Style(MarkerStyle),
    /// An unnumbered line naming a leader (`王浩省长`).
    Leader,
    /// `附件`: everything restarts under it.
    Attachment,
}

/// A node under construction. Its children are linked through the arena
/// by id: `first_child`, then each one's `next_sibling`, rather than
/// listed in a vector of their own, which every draft with a child would
/// allocate and grow. The root, id 0, is no one's child or sibling, so 0
/// stands for none.
#[derive(Debug)]
struct Draft {
    kind: Option<NodeKind>,
    marker: Option<Marker>,
    text_span: Span,
    leader: Option<Box<Leader>>,
    /// Responsibility written on lines of its own after the text.
    responsibilities: Vec<Responsibility>,
    /// Responsibility brackets inside the text.
    brackets: Vec<Responsibility>,
    /// Whether `brackets` must be read again: the text grew by a joined
    /// line since (read once, at the end, to keep joining linear).
    brackets_stale: bool,
    /// The brackets without a partner in the text (offset and length in
    /// the text), found when `brackets` was read, so that the diagnostics
    /// need not scan the text again; `None` when not read, or stale.
    unbalanced: Option<Vec<(usize, usize)>>,
    /// The [`Line::holds`] bits of the lines of the text, or'd together:
    /// which searches of it may find something. [`HOLDS_ANY`] for a text
    /// not from lines.
    holds: u8,
    /// Whether the text reads as a full paragraph rather than a heading:
    /// a `。` inside it, or more than 80 characters. Kept up to date as
    /// lines are joined.
    full: bool,
    /// Characters of the text so far.
    chars: usize,
    /// Whether the text so far ends with `。` or `；`.
    ends_with_stop: bool,
    /// The first and last of its children, 0 for none.
    first_child: usize,
    last_child: usize,
    /// How many children it has.
    child_count: usize,
    /// The siblings after and before it, 0 for none.
    next_sibling: usize,
    prev_sibling: usize,
    /// The last number of each style among the children.
    last_numbers: LastNumbers,
    /// Pieces of a text joined over line breaks; empty for one piece.
    segments: Vec<Span>,
    /// A node built elsewhere (a table row), taken as it is. Boxed: a
    /// `Node` is several times the size of the rest of a draft, and only
    /// table rows have one, so every other draft would carry its room
    /// through the arena's pushes and moves.
    built: Option<Box<Node>>,
}

impl Draft {
    fn new(text_span: Span) -> Draft {
        Draft {
            kind: None,
            marker: None,
            text_span,
            leader: None,
            responsibilities: Vec::new(),
            brackets: Vec::new(),
            brackets_stale: false,
            unbalanced: None,
            holds: HOLDS_ANY,
            full: false,
            chars: 0,
            ends_with_stop: false,
            first_child: NONE,
            last_child: NONE,
            child_count: 0,
            next_sibling: NONE,
            prev_sibling: NONE,
            last_numbers: LastNumbers::default(),
            segments: Vec::new(),
            built: None,
        }
    }
}

impl Draft {
    /// Takes `text` (the piece of the node's text at the end so far) into
    /// `full` and `chars`.
    ///
    /// `chars` only matters until the text is full, which it stays: the
    /// characters are counted only while it is not, and not at all when
    /// the bytes alone tell that the text goes past 80 (a character takes
    /// four bytes at most).
    fn grow(&mut self, text: &str, first: bool) {
        let body = text.trim_end_matches(['。', '；', ';']);
        let after_stop = !first && self.ends_with_stop;
        self.ends_with_stop = body.len() != text.len();
        // The cheap tests first: the search for an inner `。` is the one
        // that reads the text. `holds3` rather than `contains`, whose
        // search stops at every `82` byte, the last of `。` and of one
        // ideograph in 64.
        if self.full || after_stop || self.chars + text.len().div_ceil(4) > 80 || holds3(body, '。')
        {
            self.full = true;
            return;
        }
        self.chars += text.chars().count();
        self.full = self.chars > 80;
    }
}

/// How many drafts [`Arena`] keeps in one allocation: the bits of
/// [`Chunk::taken`].
const CHUNK: usize = 32;
const _: () = assert!(CHUNK <= u32::BITS as usize);

/// The drafts, by id, in chunks of [`CHUNK`]: one allocation for each
/// chunk rather than a box for each draft, and still no room held for
/// drafts already made into nodes. [`Builder::finish`] takes the drafts in
/// about the order of their ids (a child is added after its parent and
/// before its parent's next sibling), and a chunk is freed as soon as all
/// its drafts are taken: the drafts and the nodes made of them never take
/// their full room at the same time, which one vector of drafts, freed at
/// the end, would.
#[derive(Debug)]
struct Arena {
    chunks: Vec<Chunk>,
    len: usize,
}

/// [`CHUNK`] drafts of an [`Arena`], or fewer in the last one.
#[derive(Debug)]
struct Chunk {
    /// The drafts; emptied, and its room freed, once all are taken.
    drafts: Vec<Draft>,
    /// Which of `drafts` have been taken, one bit each ([`CHUNK`] is 32):
    /// a draft taken twice is refused, so it cannot free the chunk while
    /// others are still in it.
    taken: u32,
}

impl Arena {
    /// An arena holding `root` as draft 0.
    fn new(root: Draft) -> Arena {
        let mut arena = Arena::empty();
        arena.push(root);
        arena
    }

    /// An arena with no drafts, and no room.
    fn empty() -> Arena {
        Arena {
            chunks: Vec::new(),
            len: 0,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    /// Adds `draft` as the draft with the next id.
    fn push(&mut self, draft: Draft) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Chunk {
                drafts: Vec::with_capacity(CHUNK),
                taken: 0,
            });
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.drafts.push(draft);
        }
        self.len += 1;
    }

    /// Takes draft `id` out, leaving an empty draft in its place; frees its
    /// chunk when that was the chunk's last draft still there. `None` when
    /// there is no such draft, it was taken already, or its chunk is freed.
    fn take(&mut self, id: usize) -> Option<Draft> {
        let chunk = self.chunks.get_mut(id / CHUNK)?;
        let bit = 1u32 << (id % CHUNK);
        if chunk.taken & bit != 0 {
            return None;
        }
        let slot = chunk.drafts.get_mut(id % CHUNK)?;
        let draft = std::mem::replace(slot, Draft::new(Span::default()));
        chunk.taken |= bit;
        if chunk.taken.count_ones() as usize >= chunk.drafts.len() {
            chunk.drafts = Vec::new();
        }
        Some(draft)
    }

    /// Draft `id`, if it is there.
    fn get(&self, id: usize) -> Option<&Draft> {
        self.chunks.get(id / CHUNK)?.drafts.get(id % CHUNK)
    }
}

impl std::ops::Index<usize> for Arena {
    type Output = Draft;

    fn index(&self, id: usize) -> &Draft {
        &self.chunks[id / CHUNK].drafts[id % CHUNK]
    }
}

impl std::ops::IndexMut<usize> for Arena {
    fn index_mut(&mut self, id: usize) -> &mut Draft {
        &mut self.chunks[id / CHUNK].drafts[id % CHUNK]
    }
}

/// What the previous content line went into, for a line that continues it.
#[derive(Clone, Copy, Debug)]
enum Tail {
    None,
    /// The text of a node.
    Text(usize),
    /// A responsibility label line; its lines and the node they belong to
    /// are in `Builder::label_segments` and `Builder::label_target`.
    Label,
}

/// The posts a leader may hold, in the order the leader pattern (see
/// `reference::LEADER` in the tests) tries them: a longer post before
/// the shorter one it ends with (`常务副省长` before `副省长` before `省长`).
const POSTS: [&str; 23] = [
    "常务副省长",
    "副省长",
    "省长",
    "常务副市长",
    "副市长",
    "市长",
    "常务副区长",
    "副区长",
    "区长",
    "常务副县长",
    "副县长",
    "县长",
    "副秘书长",
    "秘书长",
    "副主席",
    "主席",
    "副主任",
    "主任",
    "副书记",
    "书记",
    "副总理",
    "总理",
    "国务委员",
];

/// Whether `s` is nothing but the words that may follow a leader's post:
/// `(?:同志)?(?:牵头|负责|分管)?的?(?:重点)?(?:工作|任务)?`. Each word
/// starts with a character no later word starts with, so taking each
/// one that is there is the only way to read `s`.
fn only_post_words(s: &str) -> bool {
    let s = s.strip_prefix("同志").unwrap_or(s);
    let s = ["牵头", "负责", "分管"]
        .iter()
        .find_map(|w| s.strip_prefix(w))
        .unwrap_or(s);
    let s = s.strip_prefix('的').unwrap_or(s);
    let s = s.strip_prefix("重点").unwrap_or(s);
    let s = ["工作", "任务"]
        .iter()
        .find_map(|w| s.strip_prefix(w))
        .unwrap_or(s);
    s.is_empty()
}

/// The first of [`POSTS`] that `s` starts with and that only
/// [`only_post_words`] follow.
fn post_at(s: &str) -> Option<&'static str> {
    POSTS
        .iter()
        .copied()
        .find(|p| s.strip_prefix(p).is_some_and(only_post_words))
}

/// Whether `text` is a line `附件` (`附件2`, `附 件：名单`): what the regex
/// `^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*(?:[:：].{0,60})?$`
/// matches, read by hand (compiling the regex cost more than all the
/// lines it read; a unit test checks the two agree). White space, the
/// numerals and the colons are apart, so each run is read whole, once.
fn is_attachment(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('附') else {
        return false;
    };
    let Some(rest) = rest
        .trim_start_matches(char::is_whitespace)
        .strip_prefix('件')
    else {
        return false;
    };
    let rest = rest
        .trim_start_matches(char::is_whitespace)
        .trim_start_matches(|c| {
            matches!(
                c,
                '0'..='9'
                    | '０'..='９'
                    | '一'
                    | '二'
                    | '三'
                    | '四'
                    | '五'
                    | '六'
                    | '七'
                    | '八'
                    | '九'
                    | '十'
            )
        })
        .trim_start_matches(char::is_whitespace);
    match rest.strip_prefix([':', '：']) {
        // `.` is any character but a line feed.
        Some(tail) => !tail.contains('\n') && tail.chars().nth(60).is_none(),
        None => rest.is_empty(),
    }
}

/// The longest text [`leader`] matches, in bytes: a name of four Han
/// characters (four bytes each at most), the longest post (`常务副省长`,
/// 15 bytes), `同志`, `牵头`, `的`, `重点` and `工作` (27 bytes).
const LEADER_MAX_LEN: usize = 16 + 15 + 27;

/// Whether `text` ends with a character a [`leader`] match can end with:
/// the last character of a post (`长 席 任 记 理 员`) or of a word after it
/// (`同志 牵头 负责 分管 的 重点 工作 任务`).
fn ends_like_leader(text: &str) -> bool {
    matches!(
        text.chars().next_back(),
        Some(
            '长' | '席'
                | '任'
                | '记'
                | '理'
                | '员'
                | '志'
                | '头'
                | '责'
                | '管'
                | '的'
                | '点'
                | '作'
                | '务'
        )
    )
}

/// The leader a heading's text names, if the whole text is a post
/// ([`POSTS`]), or a name of two to four Han characters and a post, and
/// then only the words [`only_post_words`] takes: what the regex
/// `^(?:(?P<post>POSTS)|(?P<name>\p{Han}{2,4}?)(?P<title>POSTS))(?:同志)?(?:牵头|负责|分管)?的?(?:重点)?(?:工作|任务)?$`
/// captures, read by hand in the order the regex tries its choices: a
/// bare post first, then the shortest name. Texts too long or with the
/// wrong last character are turned away first: most headings name no
/// leader.
fn leader(text: &str, at: usize) -> Option<Leader> {
    if text.len() > LEADER_MAX_LEN || !ends_like_leader(text) {
        return None;
    }
    if let Some(post) = post_at(text) {
        return Some(Leader {
            name: None,
            title: Str::from(post),
            span: Span::new(at, at + post.len()),
        });
    }
    for (k, (i, c)) in text.char_indices().take(4).enumerate() {
        if !crate::header::is_han(c) {
            return None;
        }
        let name_end = i + c.len_utf8();
        if k == 0 {
            continue;
        }
        if let Some(post) = post_at(&text[name_end..]) {
            return Some(Leader {
                name: Some(Str::from(&text[..name_end])),
                title: Str::from(post),
                span: Span::new(at, at + name_end + post.len()),
            });
        }
    }
    None
}

/// Whether `text` holds the character of three UTF-8 bytes `c` (`是`,
/// `。`): what `text.contains(c)` tells, faster for the texts that do not.
///
/// `contains` looks for the last byte of `c` and checks the bytes before
/// each it finds; but that byte ends one character in 64 of the
/// ideographs, and each of those is a call and a guess. Here 32 positions
/// are tested at a time for all three bytes, in a loop of plain compares
/// that the compiler turns into vector instructions, and a window with a
/// hit ends the search. A lead byte only ever starts a character, so the
/// three bytes at any offset are `c` itself. The last window is padded
/// with zeros, which no character of three bytes starts with.
fn holds3(text: &str, c: char) -> bool {
    const W: usize = 32;
    let mut encoded = [0u8; 4];
    let [a, b, z] = *c.encode_utf8(&mut encoded).as_bytes() else {
        return text.contains(c);
    };
    let window = |w: &[u8; W + 2]| {
        let mut any = 0u8;
        for k in 0..W {
            any |= u8::from(w[k] == a) & u8::from(w[k + 1] == b) & u8::from(w[k + 2] == z);
        }
        any != 0
    };
    let bytes = text.as_bytes();
    let mut base = 0;
    while let Some(w) = bytes.get(base..).and_then(<[u8]>::first_chunk::<{ W + 2 }>) {
        if window(w) {
            return true;
        }
        base += W;
    }
    let rest = bytes.get(base..).unwrap_or_default();
    if rest.len() < 3 {
        return false;
    }
    let mut padded = [0u8; W + 2];
    padded[..rest.len()].copy_from_slice(rest);
    window(&padded)
}

/// Builds the outline from `lines`, which lie in `source`.
pub(crate) struct Builder<'s> {
    source: &'s str,
    /// Every draft, by id; the root is 0.
    arena: Arena,
    stack: Vec<(Level, usize)>,
    last: Option<usize>,
    global_last: LastNumbers,
    lead_first: bool,
    wrap: Option<Wrap>,
    previous: Option<Line<'s>>,
    tail: Tail,
    label_segments: Vec<Span>,
    label_stale: bool,
    /// The node and responsibility index `label_segments` belong to.
    label_target: Option<(usize, usize)>,
    at_page_break: bool,
    pub diagnostics: Vec<Diagnostic>,
}

const ROOT: usize = 0;

/// No draft, in the links between drafts: the root is no one's child.
const NONE: usize = ROOT;

impl<'s> Builder<'s> {
    pub(crate) fn new(source: &'s str, lead_first: bool, wrap: Option<Wrap>) -> Builder<'s> {
        Builder {
            source,
            arena: Arena::new(Draft::new(Span::default())),
            stack: Vec::new(),
            last: None,
            global_last: LastNumbers::default(),
            lead_first,
            wrap,
            previous: None,
            tail: Tail::None,
            label_segments: Vec::new(),
            label_stale: false,
            label_target: None,
            at_page_break: false,
            diagnostics: Vec::new(),
        }
    }

    fn parent(&self) -> usize {
        self.stack.last().map_or(ROOT, |&(_, i)| i)
    }

    /// Puts `draft` in the arena as the last child of `parent`.
    fn add(&mut self, parent: usize, mut draft: Draft) -> usize {
        let id = self.arena.len();
        let before = self.arena[parent].last_child;
        draft.prev_sibling = before;
        if before == NONE {
            self.arena[parent].first_child = id;
        } else {
            self.arena[before].next_sibling = id;
        }
        let p = &mut self.arena[parent];
        p.last_child = id;
        p.child_count += 1;
        self.arena.push(draft);
        self.last = Some(id);
        id
    }

    /// Takes one line of the outline.
    pub(crate) fn line(&mut self, line: &Line<'s>) {
        match line.kind {
            // A blank line ends a paragraph, unless it only frames a page
            // break: a page number or running head between two lines does
            // not break a sentence that runs on over the page.
            LineKind::Blank => {
                if !self.at_page_break {
                    self.tail = Tail::None;
                }
                return;
            }
            LineKind::Furniture(_) => {
                self.at_page_break = true;
                return;
            }
            LineKind::Label => {
                self.flush_label();
                self.label(line);
            }
            LineKind::Marker { style, number, len } => {
                self.flush_label();
                self.marked(line, style, number, len);
            }
            LineKind::Text => {
                let continues = match (&self.wrap, &self.previous) {
                    (Some(wrap), Some(previous)) => wrap.continues(self.source, previous, line),
                    _ => false,
                };
                if !(continues && self.continue_with(line)) {
                    self.flush_label();
                    self.text(line);
                }
            }
        }
        self.previous = Some(line.clone());
        self.at_page_break = false;
    }

    /// Nodes built elsewhere (the rows of a table), put under the current
    /// heading.
    pub(crate) fn built(&mut self, nodes: Vec<Node>) {
        self.flush_label();
        let parent = self.parent();
        for node in nodes {
            let mut draft = Draft::new(node.text_span);
            draft.built = Some(Box::new(node));
            self.add(parent, draft);
        }
        self.last = None;
        self.tail = Tail::None;
        self.previous = None;
    }

    /// Joins a line that continues the previous one (a hard line break).
    fn continue_with(&mut self, line: &Line<'_>) -> bool {
        match self.tail {
            Tail::None => false,
            Tail::Text(id) => {
                let source = self.source;
                let draft = &mut self.arena[id];
                if draft.segments.is_empty() {
                    draft.segments.push(draft.text_span);
                }
                draft.segments.push(line.span);
                draft.text_span = draft.text_span.cover(line.span);
                draft.brackets_stale = true;
                draft.unbalanced = None;
                draft.holds |= line.holds;
                draft.grow(&source[line.span.range()], false);
                true
            }
            Tail::Label => {
                self.label_segments.push(line.span);
                self.label_stale = true;
                true
            }
        }
    }

    /// Reads a label list joined over several lines again, once it is
    /// complete.
    fn flush_label(&mut self) {
        if !self.label_stale {
            return;
        }
        self.label_stale = false;
        let Some((id, index)) = self.label_target else {
            return;
        };
        let segments = &self.label_segments;
        let joined = join(self.source, segments);
        let mut r = agency::from_labels(
            &joined,
            Span::new(0, joined.len()),
            ResponsibilityForm::Line,
            self.lead_first,
            &mut Vec::new(),
        );
        remap_responsibility(segments, &mut r);
        if let Some(slot) = self.arena[id].responsibilities.get_mut(index) {
            *slot = r;
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
        let text = &self.source[line.span.range()];
        let unbalanced = agency::scan_brackets(text, |_| {});
        self.check_brackets(text, &[line.span], unbalanced);
        let id = self.attach(r, line.span);
        let index = self.arena[id].responsibilities.len() - 1;
        self.tail = Tail::Label;
        // The buffer is kept from one label to the next.
        self.label_segments.clear();
        self.label_segments.push(line.span);
        self.label_target = Some((id, index));
    }

    /// Gives responsibility written on its own line to the node before it,
    /// or to a new orphan node when there is none.
    fn attach(&mut self, responsibility: Responsibility, span: Span) -> usize {
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
        push_first_exact(&mut self.arena[target].responsibilities, responsibility);
        target
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
            text: Str::from(&self.source[marker_span.range()]),
            style,
            number,
            span: marker_span,
        });
        draft.leader = leader(text, text_span.start).map(Box::new);
        draft.holds = line.holds;
        let (brackets, unbalanced) = agency::responsibility_brackets(self.source, text_span);
        draft.brackets = brackets;
        draft.unbalanced = Some(unbalanced);
        draft.grow(text, true);
        let id = self.add(parent, draft);
        self.stack.push((Level::Style(style), id));
        self.tail = Tail::Text(id);
    }

    fn text(&mut self, line: &Line<'_>) {
        if is_attachment(line.text) {
            self.stack.clear();
            self.global_last.clear();
            let mut draft = Draft::new(line.span);
            draft.holds = line.holds;
            draft.kind = Some(NodeKind::Attachment);
            let id = self.add(ROOT, draft);
            self.stack.push((Level::Attachment, id));
            self.tail = Tail::None;
            return;
        }
        if let Some(l) = leader(line.text, line.span.start) {
            if let Some(pos) = self.stack.iter().position(|&(l, _)| l == Level::Leader) {
                self.stack.truncate(pos);
            }
            let mut draft = Draft::new(line.span);
            draft.holds = line.holds;
            draft.leader = Some(Box::new(l));
            let parent = self.parent();
            let id = self.add(parent, draft);
            self.stack.push((Level::Leader, id));
            self.tail = Tail::None;
            return;
        }
        let (mut responsibilities, unbalanced) =
            agency::responsibility_brackets(self.source, line.span);
        if let [only] = responsibilities.as_slice()
            && only.span == line.span
            && let Some(only) = responsibilities.pop()
        {
            // A bracket standing alone on its line, `（X牵头，Y配合）`,
            // answers for the task before it, like a label line.
            self.attach(only, line.span);
            self.tail = Tail::None;
            return;
        }
        let mut draft = Draft::new(line.span);
        draft.holds = line.holds;
        draft.brackets = responsibilities;
        draft.unbalanced = Some(unbalanced);
        draft.grow(line.text, true);
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
        let id = self.add(parent, draft);
        self.tail = Tail::Text(id);
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
        if !draft.responsibilities.is_empty() || !draft.brackets.is_empty() {
            return false;
        }
        if !draft.full {
            return true;
        }
        // The node below it on the stack is its parent (each node is pushed
        // right after it is added under the top of the stack), so the
        // sibling before it is the one the links give.
        match draft.prev_sibling {
            NONE => true,
            prev => {
                let prev = &self.arena[prev];
                prev.first_child != NONE || prev.marker.is_none()
            }
        }
    }

    fn check_number(&mut self, parent: usize, style: MarkerStyle, number: u32, span: Span) {
        let previous = self.arena[parent].last_numbers.get(style);
        let global = self.global_last.get(style);
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
        self.arena[parent].last_numbers.set(style, number);
        self.global_last.set(style, number);
    }

    /// Finishes the tree: decides each node's kind, computes spans and
    /// extracts targets.
    pub(crate) fn finish(mut self) -> (Vec<Node>, Vec<Diagnostic>) {
        self.flush_label();
        let mut drafts = std::mem::replace(&mut self.arena, Arena::empty());
        let root = drafts
            .take(ROOT)
            .unwrap_or_else(|| Draft::new(Span::default()));
        let nodes = self.children(&mut drafts, root.first_child, root.child_count, None);
        (nodes, self.diagnostics)
    }

    /// The nodes of the `count` drafts linked from `first` on, in a vector
    /// of their exact number; `marked` is passed on to each as its
    /// parent's.
    fn children(
        &mut self,
        drafts: &mut Arena,
        first: usize,
        count: usize,
        marked: Option<bool>,
    ) -> Vec<Node> {
        let mut children = Vec::with_capacity(count);
        let mut child = first;
        while child != NONE {
            // Read before the child's draft is taken.
            let next = drafts.get(child).map_or(NONE, |d| d.next_sibling);
            children.push(self.node(drafts, child, marked));
            child = next;
        }
        children
    }

    /// Makes the node of draft `id` and those of its children, taking their
    /// drafts out of `drafts` (an empty draft is left in each place) and
    /// freeing what each holds once its node is made.
    fn node(&mut self, drafts: &mut Arena, id: usize, parent_marked: Option<bool>) -> Node {
        // Every id is the child of exactly one draft, so its draft is still
        // there; were it not, an empty draft gives an empty paragraph.
        let mut draft = drafts
            .take(id)
            .unwrap_or_else(|| Draft::new(Span::default()));
        if let Some(node) = draft.built.take() {
            return *node;
        }
        let marked = draft.marker.is_some() || draft.leader.is_some();
        // A text of one piece has no segments of its own: borrow its span
        // rather than allocate a Vec for it.
        let one = [draft.text_span];
        let joined = std::mem::take(&mut draft.segments);
        let segments: &[Span] = if joined.is_empty() { &one } else { &joined };
        let text = join(self.source, segments);
        let unbalanced = match draft.unbalanced.take() {
            Some(unbalanced) if !draft.brackets_stale => unbalanced,
            _ if draft.brackets_stale => {
                let (brackets, unbalanced) = brackets_in(&text, segments);
                draft.brackets = brackets;
                unbalanced
            }
            _ => agency::scan_brackets(&text, |_| {}),
        };
        // The brackets first, then the lines; either is taken whole when
        // the other is empty (appending to an empty vector allocates anew).
        let mut responsibilities = std::mem::take(&mut draft.brackets);
        if responsibilities.is_empty() {
            responsibilities = std::mem::take(&mut draft.responsibilities);
        } else {
            responsibilities.append(&mut draft.responsibilities);
        }
        // Kept in the model: no spare room.
        responsibilities.shrink_to_fit();
        draft.responsibilities = responsibilities;
        self.check_brackets(&text, segments, unbalanced);
        // No search of a text whose lines hold no `是`, which every item
        // marker ends with: most do not.
        let mut inline = if draft.holds & HOLDS_SHI == 0 {
            Vec::new()
        } else {
            self.inline_items(&text, segments, draft.child_count)
        };
        let mut children =
            self.children(drafts, draft.first_child, draft.child_count, Some(marked));
        self.check_count(&text, segments, &children);
        // The inline items come first; without any, the children are
        // already in a Vec of their exact size.
        let children = if inline.is_empty() {
            children
        } else {
            inline.append(&mut children);
            inline
        };
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
        let label = label(&text, segments[0]);
        Node {
            kind,
            marker: draft.marker,
            text,
            text_span: draft.text_span,
            segments: if joined.len() > 1 { joined } else { Vec::new() },
            label: label.map(Box::new),
            cells: Vec::new(),
            span,
            leader: draft.leader,
            responsibilities: draft.responsibilities,
            targets: Vec::new(),
            children,
        }
    }

    /// Reports the brackets without a partner in a node's text (offsets
    /// and lengths in `text`, from [`agency::scan_brackets`]).
    fn check_brackets(&mut self, text: &str, segments: &[Span], unbalanced: Vec<(usize, usize)>) {
        for (at, len) in unbalanced {
            let span = remap(segments, Span::new(at, at + len));
            self.diagnostics.push(Diagnostic::new(
                DiagnosticKind::UnbalancedBracket {
                    bracket: text[at..at + len].to_owned(),
                },
                span,
            ));
        }
    }

    /// Checks a heading's declared count (`财政政策（7项）`) against its
    /// numbered children.
    fn check_count(&mut self, text: &str, segments: &[Span], children: &[Node]) {
        // A count ends the text with its closing bracket: test that first.
        if !text.ends_with(['）', ')']) {
            return;
        }
        let Some((open, written)) = count_at_end(text) else {
            return;
        };
        let declared = crate::lines::digits_value(written)
            .or_else(|| crate::lines::chinese_small_number(written));
        let found = children.iter().filter(|c| c.marker.is_some()).count();
        if let Some(declared) = declared
            && found > 0
            && declared as usize != found
        {
            self.diagnostics.push(Diagnostic::new(
                DiagnosticKind::CountMismatch {
                    declared,
                    found: u32::try_from(found).unwrap_or(u32::MAX),
                },
                remap(segments, Span::new(open, text.len())),
            ));
        }
    }

    /// The inline items `一是…；二是…；三是…` of a paragraph, as child
    /// nodes with their own spans and targets, in a vector with room for
    /// `room` more: the node's other children, which follow them.
    fn inline_items(&mut self, text: &str, segments: &[Span], room: usize) -> Vec<Node> {
        // Every item marker ends with `是`: most texts have none.
        if !holds3(text, '是') {
            return Vec::new();
        }
        let mut markers: Vec<(usize, usize, u32)> = Vec::new();
        for (start, end) in inline_numerals(text) {
            let Some(number) = crate::lines::chinese_small_number(&text[start..end]) else {
                continue;
            };
            if number as usize != markers.len() + 1 {
                if markers.len() >= 2 {
                    break;
                }
                markers.clear();
                if number != 1 {
                    continue;
                }
            }
            markers.push((start, end + '是'.len_utf8(), number));
        }
        if markers.len() < 2 {
            return Vec::new();
        }
        let mut items = Vec::with_capacity(markers.len() + room);
        for (k, &(start, end, number)) in markers.iter().enumerate() {
            let stop = markers.get(k + 1).map_or(text.len(), |m| m.0);
            let marker_span = remap(segments, Span::new(start, end));
            let body = remap(segments, Span::new(end, stop));
            let pieces = clip(segments, body.start, body.end);
            let pieces: Vec<Span> = pieces
                .into_iter()
                .map(|p| crate::lines::trim_span(self.source, p))
                .filter(|p| !p.is_empty())
                .collect();
            let text_span = match (pieces.first(), pieces.last()) {
                (Some(first), Some(last)) => first.cover(*last),
                _ => Span::new(marker_span.end, marker_span.end),
            };
            let item_text = join(self.source, &pieces);
            items.push(Node {
                kind: NodeKind::Task,
                marker: Some(Marker {
                    text: Str::from(&self.source[marker_span.range()]),
                    style: MarkerStyle::Inline,
                    number,
                    span: marker_span,
                }),
                label: None,
                text: item_text,
                text_span,
                segments: if pieces.len() > 1 { pieces } else { Vec::new() },
                cells: Vec::new(),
                span: marker_span.cover(text_span),
                leader: None,
                responsibilities: Vec::new(),
                targets: Vec::new(),
                children: Vec::new(),
            });
        }
        items
    }
}

/// Whether `c` is one of the numerals `一` to `十`.
fn is_small_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// The numerals of the inline items `一是`, `二是` at the start of a
/// clause, as offsets in `text`, in order: what the regex
/// `(?:^|[。；;，,：:！？\s])([一二三四五六七八九十]{1,3})是` captures in
/// its group, match after match, read by hand (a unit test checks the
/// two agree).
///
/// Each `是` is looked at once: the numerals right before it must be a
/// run of one to three, after the start of the text or one of the marks.
/// No two such matches overlap (a match ends with its `是`, which is no
/// mark and no numeral), so they are the ones the regex finds.
fn inline_numerals(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    text.match_indices('是').filter_map(move |(shi, _)| {
        let before = &text[..shi];
        let head = before.trim_end_matches(is_small_numeral);
        // Every numeral takes three bytes.
        let run = shi - head.len();
        let after_mark = head.chars().next_back().is_none_or(|c| {
            matches!(c, '。' | '；' | ';' | '，' | ',' | '：' | ':' | '！' | '？')
                || c.is_whitespace()
        });
        ((1..=9).contains(&run) && after_mark).then_some((head.len(), shi))
    })
}

/// A count at the end of a heading, `（7项）`: the offset of its opening
/// bracket and the number as written. What the regex
/// `[（(]([0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:项|条)(?:措施|任务|举措)?[）)]$`
/// finds, read by hand from the end (a unit test checks the two agree):
/// each part ends with characters the part before it cannot hold, so the
/// text has one way to end in a count.
fn count_at_end(text: &str) -> Option<(usize, &str)> {
    let rest = text.strip_suffix(['）', ')'])?;
    let rest = ["措施", "任务", "举措"]
        .iter()
        .find_map(|w| rest.strip_suffix(w))
        .unwrap_or(rest);
    let rest = rest
        .strip_suffix(['项', '条'])?
        .trim_end_matches(char::is_whitespace);
    fn digit(c: char) -> bool {
        c.is_ascii_digit() || ('０'..='９').contains(&c)
    }
    let class: fn(char) -> bool = match rest.chars().next_back()? {
        c if digit(c) => digit,
        c if is_small_numeral(c) => is_small_numeral,
        _ => return None,
    };
    let head = rest.trim_end_matches(class);
    let written = &rest[head.len()..];
    if written.chars().nth(3).is_some() {
        return None;
    }
    let open = head.strip_suffix(['（', '('])?;
    Some((open.len(), written))
}

/// A short label before a colon: `简政提效：`.
fn label(text: &str, first: Span) -> Option<crate::span::Text> {
    label_before(text, first, first_colon(text)?)
}

/// The label of `text` whose colon is at byte `colon` (a colon's offset in
/// `text`), if the head before it reads as one.
fn label_before(text: &str, first: Span, colon: usize) -> Option<crate::span::Text> {
    let head = &text[..colon];
    let chars = head.chars().count();
    // Read only when the cheap tests pass; a `match` on each character
    // rather than a search of a string of them for it.
    let plain = || {
        head.chars().all(|c| {
            !crate::lines::is_space(c)
                && !matches!(
                    c,
                    '，' | '。'
                        | '；'
                        | '、'
                        | ','
                        | '.'
                        | ';'
                        | '（'
                        | '）'
                        | '('
                        | ')'
                        | '《'
                        | '》'
                        | '“'
                        | '”'
                        | '"'
                )
        })
    };
    let rest = text[colon..].chars().nth(1);
    (colon <= first.len()
        && (2..=8).contains(&chars)
        && plain()
        && rest.is_some()
        && !head.ends_with(['为', '是'])
        && !head.ends_with("如下")
        && !head.ends_with("包括"))
    .then(|| crate::span::Text {
        text: Str::from(head),
        span: Span::new(first.start, first.start + colon),
    })
}

/// The offset of the first colon (`：` or `:`) of `text`, if it starts
/// within the first 33 bytes: the label [`label`] looks for is 8
/// characters at most, so its colon is at most the 9th character, which
/// starts at byte 32 at the latest (and a first colon further on makes a
/// head too long for a label). Read from the bytes, without decoding:
/// `:` and the lead byte `EF` of `：` only ever start a character.
///
/// Tests all 33 positions at once, without branches, so that the compiler
/// makes a few vector operations of it (a loop that stopped at the first
/// colon took a compare and a branch per byte): the first 35 bytes are
/// copied into a block of zeros (the two after the 33rd hold the tail of
/// a `：` that starts there), and the first position that holds a colon
/// is read off 16 at a time.
fn first_colon(text: &str) -> Option<usize> {
    const SCAN: usize = 33;
    const HITS: usize = 48;
    let bytes = text.as_bytes();
    let mut w = [0u8; HITS + 2];
    let n = bytes.len().min(SCAN + 2);
    w[..n].copy_from_slice(&bytes[..n]);
    let mut hits = [0u8; HITS];
    for (k, hit) in hits.iter_mut().enumerate() {
        let colon = (w[k] == b':') | ((w[k] == 0xEF) & (w[k + 1] == 0xBC) & (w[k + 2] == 0x9A));
        *hit = u8::from(colon & (k < SCAN));
    }
    let (chunks, _) = hits.as_chunks::<16>();
    chunks.iter().enumerate().find_map(|(c, chunk)| {
        let v = u128::from_le_bytes(*chunk);
        (v != 0).then(|| c * 16 + (v.trailing_zeros() / 8) as usize)
    })
}

/// The parts of `segments` that lie in `start..end`.
fn clip(segments: &[Span], start: usize, end: usize) -> Vec<Span> {
    segments
        .iter()
        .filter_map(|s| {
            let a = s.start.max(start);
            let b = s.end.min(end);
            (a < b).then(|| Span::new(a, b))
        })
        .collect()
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
        MarkerStyle::Inline | MarkerStyle::Row => 7,
    }
}

/// Pushes `item` onto `list`, making room for exactly one when `list` has
/// none: most lists kept in the model hold one item, and a first push would
/// make room for four, which the model then gives back with a second
/// allocation. Later pushes grow as usual, so that many stay linear.
pub(crate) fn push_first_exact<T>(list: &mut Vec<T>, item: T) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
    list.push(item);
}

/// The last number of each marker style seen, in the order the styles
/// came: what a `Vec<(MarkerStyle, u32)>` searched from its start would
/// hold, with its first entry in place. Nearly every parent numbers its
/// children in one style, and then allocates nothing. The others are in a
/// boxed slice, grown by one for each new style (there are a few styles
/// only), so that a draft carries no more room than a vector would take.
#[derive(Clone, Debug, Default)]
struct LastNumbers {
    first: Option<(MarkerStyle, u32)>,
    more: Box<[(MarkerStyle, u32)]>,
}

impl LastNumbers {
    /// The last number of `style`, if one was set.
    fn get(&self, style: MarkerStyle) -> Option<u32> {
        match self.first {
            Some((s, n)) if s == style => Some(n),
            Some(_) => self.more.iter().find(|(s, _)| *s == style).map(|&(_, n)| n),
            None => None,
        }
    }

    /// Makes `number` the last number of `style`.
    fn set(&mut self, style: MarkerStyle, number: u32) {
        match &mut self.first {
            Some((s, n)) if *s == style => *n = number,
            Some(_) => match self.more.iter_mut().find(|(s, _)| *s == style) {
                Some(entry) => entry.1 = number,
                None => {
                    let mut more = std::mem::take(&mut self.more).into_vec();
                    more.push((style, number));
                    self.more = more.into_boxed_slice();
                }
            },
            None => self.first = Some((style, number)),
        }
    }

    fn clear(&mut self) {
        self.first = None;
        self.more = Box::default();
    }
}

/// Fills the targets of every task under `nodes`. A task with inline
/// items (`一是…二是…`) keeps the targets of its text before them; the
/// items carry their own.
///
/// In a work report, the review of the past year (`一、2024年工作回顾`)
/// states results, not commitments: tasks under such a heading get no
/// targets (`quantity::find_quantities` still reads their numbers).
///
/// Only the nodes are read, not the source: a node's `text` is its
/// segments' text joined, so the text of any first part of its segments is
/// a first part of `text`.
pub(crate) fn fill_targets(nodes: &mut [Node], diagnostics: &mut Vec<Diagnostic>) {
    for node in nodes {
        if node.kind == NodeKind::Heading && is_review(&node.text) {
            continue;
        }
        if node.kind == NodeKind::Task && !node.text.is_empty() {
            let inline_start = node
                .children
                .iter()
                .find(|c| {
                    c.marker
                        .as_ref()
                        .is_some_and(|m| m.style == MarkerStyle::Inline)
                })
                .and_then(|c| c.marker.as_ref())
                .map(|m| m.span.start)
                .filter(|&at| node.text_span.contains(Span::new(at, at)));
            let own = match inline_start {
                Some(end) => Cow::Owned(clip(node.text_segments(), node.text_span.start, end)),
                None => Cow::Borrowed(node.text_segments()),
            };
            let len: usize = own.iter().map(|s| s.len()).sum();
            // Segments end on character boundaries, so their lengths add up
            // to one in `text`; `get` would only miss if a node broke the
            // model's rule that its text is its segments joined.
            debug_assert!(node.text.is_char_boundary(len.min(node.text.len())));
            if let Some(text) = node.text.get(..len)
                && !own.is_empty()
            {
                // The targets come in a vector of exactly their number:
                // no spare room to give back.
                let (targets, mut found) = targets_in(text, &own);
                node.targets = targets;
                diagnostics.append(&mut found);
            }
        }
        fill_targets(&mut node.children, diagnostics);
    }
}

/// Lifts a work report's closing address out of the last section: the
/// unnumbered paragraphs that end the outline from the first one opening
/// with `各位代表` (`各位代表！重任在肩，唯有奋斗。…`) speak to the whole
/// congress, so they become root paragraphs, not tasks of the last
/// heading. A `各位代表` paragraph followed by any numbered item stays
/// where it is.
pub(crate) fn lift_closing_address(nodes: &mut Vec<Node>) {
    // Down the chain of last children: at each level, the unnumbered
    // paragraphs that end it, and the first of them that opens with 各位代表.
    let mut chain = Vec::new();
    let mut cut = None;
    let mut level: &[Node] = nodes;
    while let Some(last) = level.last().filter(|n| !n.children.is_empty()) {
        if chain.len() >= 64 {
            return;
        }
        chain.push(level.len() - 1);
        level = &last.children;
        let trailing = level
            .iter()
            .rev()
            .take_while(|n| n.marker.is_none() && n.children.is_empty())
            .count();
        let first = level.len() - trailing;
        if let Some(k) = level[first..]
            .iter()
            .position(|n| n.text.starts_with("各位代表"))
        {
            cut = Some(first + k);
            break;
        }
    }
    let Some(cut) = cut else { return };
    let lifted = shorten(nodes, &chain, cut);
    for mut node in lifted {
        node.kind = NodeKind::Paragraph;
        node.targets.clear();
        nodes.push(node);
    }
}

/// Removes the children from `cut` on of the node `chain` leads to, and
/// ends that node and each above it where what they keep ends.
fn shorten(nodes: &mut [Node], chain: &[usize], cut: usize) -> Vec<Node> {
    let Some((&first, rest)) = chain.split_first() else {
        return Vec::new();
    };
    let node = &mut nodes[first];
    let lifted = if rest.is_empty() {
        node.children.split_off(cut)
    } else {
        shorten(&mut node.children, rest, cut)
    };
    let end = node
        .children
        .last()
        .map_or(node.text_span.end, |c| c.span.end)
        .max(node.text_span.end);
    node.span = Span::new(node.span.start, end.min(node.span.end));
    lifted
}

/// A heading over the review of past work: `2024年工作回顾`,
/// `过去五年工作回顾`, `过去一年工作回顾`.
fn is_review(heading: &str) -> bool {
    let h = heading.trim_end_matches(['。', '：', ':', ' ', '\u{3000}']);
    h.ends_with("工作回顾") || h.ends_with("工作总结") || h == "过去一年" || h == "过去五年"
}

/// The targets of `text`, the text of `segments` joined (one segment, or
/// the lines of a text joined over line breaks), with spans in the source.
pub(crate) fn targets_in(
    text: &str,
    segments: &[Span],
) -> (Vec<crate::model::Target>, Vec<Diagnostic>) {
    if let [one] = segments {
        return quantity::extract_targets(text, one.start);
    }
    let (mut targets, mut diagnostics) = quantity::extract_targets(text, 0);
    for t in &mut targets {
        t.span = remap(segments, t.span);
    }
    for d in &mut diagnostics {
        d.span = remap(segments, d.span);
    }
    (targets, diagnostics)
}

/// The responsibility brackets of `text`, written in `segments` of the
/// source, with spans in the source, and the brackets without a partner
/// (offset and length in `text`).
fn brackets_in(text: &str, segments: &[Span]) -> (Vec<Responsibility>, Vec<(usize, usize)>) {
    let (mut found, unbalanced) = agency::responsibility_brackets(text, Span::new(0, text.len()));
    for r in &mut found {
        remap_responsibility(segments, r);
    }
    (found, unbalanced)
}

/// The text written in `segments` of `source`, joined, in a string of
/// exactly its length (inline when it is short): a string the model keeps
/// (a node's or a cell's text, a row's task).
pub(crate) fn join(source: &str, segments: &[Span]) -> Str {
    let mut text = Str::with_capacity(segments.iter().map(|s| s.len()).sum());
    for s in segments {
        text.push_str(&source[s.range()]);
    }
    text
}

/// Maps the spans of a responsibility read from joined segments back onto
/// the source.
fn remap_responsibility(segments: &[Span], r: &mut Responsibility) {
    r.span = remap(segments, r.span);
    for a in &mut r.agencies {
        a.span = remap(segments, a.span);
    }
    if let Some(d) = &mut r.deadline {
        d.span = remap(segments, d.span);
    }
}

/// Maps a span in the concatenation of `segments` back onto the source.
pub(crate) fn remap(segments: &[Span], local: Span) -> Span {
    let mut start = None;
    let mut end = None;
    let mut at = 0;
    for seg in segments {
        let len = seg.len();
        if start.is_none() && local.start < at + len {
            start = Some(seg.start + (local.start - at));
        }
        if end.is_none() && local.end <= at + len {
            end = Some(seg.start + (local.end - at));
        }
        at += len;
    }
    let last = segments.last().map_or(0, |s| s.end);
    let start = start.unwrap_or(last);
    Span::new(start, end.unwrap_or(last).max(start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;
    use std::sync::LazyLock;

    /// The regular expressions the hand-written readers replace.
    static LEADER: LazyLock<Regex> = LazyLock::new(|| {
        let titles = "常务副省长|副省长|省长|常务副市长|副市长|市长|常务副区长|副区长|区长|\
                      常务副县长|副县长|县长|副秘书长|秘书长|副主席|主席|副主任|主任|\
                      副书记|书记|副总理|总理|国务委员";
        Regex::new(&format!(
            r"^(?:(?P<post>{titles})|(?P<name>\p{{Han}}{{2,4}}?)(?P<title>{titles}))(?:同志)?(?:牵头|负责|分管)?的?(?:重点)?(?:工作|任务)?$"
        ))
        .unwrap()
    });
    static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*(?:[:：].{0,60})?$").unwrap()
    });
    static INLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[。；;，,：:！？\s])([一二三四五六七八九十]{1,3})是").unwrap()
    });
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"[（(]([0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:项|条)(?:措施|任务|举措)?[）)]$",
        )
        .unwrap()
    });

    /// The leader the regex finds, as `leader` gives it.
    fn leader_reference(text: &str, at: usize) -> Option<Leader> {
        let c = LEADER.captures(text)?;
        let (name, title, end) = match (c.name("post"), c.name("name"), c.name("title")) {
            (Some(post), _, _) => (None, post.as_str(), post.end()),
            (None, Some(name), Some(title)) => {
                (Some(Str::from(name.as_str())), title.as_str(), title.end())
            }
            _ => return None,
        };
        Some(Leader {
            name,
            title: Str::from(title),
            span: Span::new(at, at + end),
        })
    }

    #[test]
    fn holds3_is_contains_on_edge_cases() {
        let long = "一".repeat(40);
        for text in [
            String::new(),
            "是".to_owned(),
            "是".repeat(20),
            "ab".to_owned(),
            format!("{long}是"),
            format!("{long}a是"),
            format!("是{long}"),
            format!("{}是{}", "a".repeat(31), long),
            format!("{}是", "a".repeat(32)),
            format!("{}是", "a".repeat(33)),
            format!("{}是", "a".repeat(64)),
            format!("{long}。{long}"),
            "\u{662f}".to_owned(),
        ] {
            for c in ['是', '。', 'a', 'é', '𠀀'] {
                assert_eq!(holds3(&text, c), text.contains(c), "{text:?} {c:?}");
            }
        }
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                assert_eq!(holds3(line, '是'), line.contains('是'));
                assert_eq!(holds3(line, '。'), line.contains('。'));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn holds3_is_contains(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "是", "。", "一", "a", "é", "𠀀", "\u{e698}", "\u{98af}", "昰", "ab", "\u{3002}",
                "逾", "\u{66af}",
            ]),
            0..80,
        )) {
            let text = s.concat();
            proptest::prop_assert_eq!(holds3(&text, '是'), text.contains('是'));
            proptest::prop_assert_eq!(holds3(&text, '。'), text.contains('。'));
        }
    }

    /// `label` as it was, looking for the colon among the first nine
    /// characters, decoded (what follows the colon is `label`'s own).
    fn label_reference(text: &str, first: Span) -> Option<crate::span::Text> {
        let nine = text.char_indices().nth(9).map_or(text.len(), |(i, _)| i);
        let colon = text[..nine].find(['：', ':'])?;
        label_before(text, first, colon)
    }

    /// `first_colon` as it was: a byte loop that stops at the first colon.
    fn first_colon_reference(text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        bytes
            .iter()
            .take(33)
            .enumerate()
            .find(|&(i, &b)| {
                b == b':' || (b == 0xEF && bytes.get(i + 1..i + 3) == Some(&[0xBC, 0x9A]))
            })
            .map(|(i, _)| i)
    }

    fn check_label(text: &str) {
        assert_eq!(first_colon(text), first_colon_reference(text), "{text:?}");
        for first in [Span::new(0, text.len()), Span::new(5, 5 + text.len() / 2)] {
            assert_eq!(
                label(text, first),
                label_reference(text, first),
                "{text:?} {first:?}"
            );
        }
    }

    #[test]
    fn label_agrees_with_the_reference_on_the_fixtures() {
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                check_label(line);
                check_label(line.trim());
            }
        }
        for text in [
            "简政提效：推进",
            "一二三四五六七八：推进",
            "一二三四五六七八九：推进",
            "𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇：推进",
            "𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈：推进",
            "abcdefgh:x",
            "abcdefghi:x",
            "：：",
            "ab：",
            "\u{ff1a}",
            "ab\u{ef}",
            "abcdefghijklmnopqrstuvwxyzabcdef:",
            "abcdefghijklmnopqrstuvwxyzabcdefg:",
            "abcdefghijklmnopqrstuvwxyzabcdef：",
            "abcdefghijklmnopqrstuvwxyzabcdefg：",
            "abcdefghijklmnopqrstuvwxyzabcde：",
            "abcdefghijklmno:",
            "abcdefghijklmnop:",
            "abcdefghijklmnopqrstuvwxyzabcde:",
            "",
            ":",
        ] {
            check_label(text);
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn label_agrees_with_the_reference(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "一", "a", "𠀀", "é", "：", ":", " ", "，", "为", "是", "如下", "包括", "\u{ff1b}",
                "\u{ef00}", "ab", "简政",
            ]),
            0..16,
        )) {
            check_label(&s.concat());
        }
    }

    /// `Draft::grow` as it was, counting every piece's characters.
    fn grow_reference(draft: &mut Draft, text: &str, first: bool) {
        let body = text.trim_end_matches(['。', '；', ';']);
        let inner_stop = body.contains('。') || (!first && draft.ends_with_stop);
        draft.chars += text.chars().count();
        draft.full = draft.full || inner_stop || draft.chars > 80;
        draft.ends_with_stop = body.len() != text.len();
    }

    /// Grows two drafts by `pieces`, one with `grow` and one with the
    /// reference, and checks that they agree on all that is read of them
    /// (`chars` is read only while the text is not full).
    fn check_grow(pieces: &[&str]) {
        let mut fast = Draft::new(Span::default());
        let mut slow = Draft::new(Span::default());
        for (k, piece) in pieces.iter().enumerate() {
            fast.grow(piece, k == 0);
            grow_reference(&mut slow, piece, k == 0);
            assert_eq!(fast.full, slow.full, "{pieces:?}");
            assert_eq!(fast.ends_with_stop, slow.ends_with_stop, "{pieces:?}");
            if !fast.full {
                assert_eq!(fast.chars, slow.chars, "{pieces:?}");
            }
        }
    }

    #[test]
    fn grow_agrees_with_the_reference_on_edge_cases() {
        let eighty = "一".repeat(80);
        let twenty = "𠀀".repeat(20);
        let sixty_one = "a".repeat(61);
        check_grow(&[&eighty]);
        check_grow(&[&eighty, "a"]);
        check_grow(&[&twenty, &sixty_one]);
        check_grow(&[&twenty, &sixty_one[..60]]);
        check_grow(&[&"a".repeat(81)]);
        check_grow(&[&"a".repeat(320)]);
        check_grow(&["推进。", "落实"]);
        check_grow(&["推进；", "落实。"]);
        check_grow(&["", "", "a"]);
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn grow_agrees_with_the_reference(pieces in proptest::collection::vec(
            proptest::collection::vec(
                proptest::sample::select(vec![
                    "一", "a", "𠀀", "é", "。", "；", ";", "一二三四五六七八九十", "abcdefghij",
                ]),
                0..40,
            ),
            1..6,
        )) {
            let pieces: Vec<String> = pieces.iter().map(|p| p.concat()).collect();
            let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
            check_grow(&pieces);
        }
    }

    /// Checks every hand-written reader against its regex on `text`.
    fn check_readers(text: &str) {
        assert_eq!(
            leader(text, 3),
            leader_reference(text, 3),
            "leader {text:?}"
        );
        assert_eq!(
            is_attachment(text),
            ATTACHMENT.is_match(text),
            "attachment {text:?}"
        );
        let inline: Vec<(usize, usize)> = INLINE
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| (m.start(), m.end()))
            .collect();
        assert_eq!(
            inline_numerals(text).collect::<Vec<_>>(),
            inline,
            "inline {text:?}"
        );
        let count = COUNT
            .captures(text)
            .map(|c| (c.get(0).unwrap().start(), c.get(1).unwrap().as_str()));
        assert_eq!(count_at_end(text), count, "count {text:?}");
    }

    #[test]
    fn readers_agree_with_the_regexes_on_edge_cases() {
        for text in [
            "",
            "附件",
            "附件1",
            "附 件 ２ ：名单",
            "附件：",
            "附件:一二三",
            "附件十二",
            "附件1 2",
            "附件1：a\nb",
            "附件：一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
            "附件：一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
            "附\u{3000}件",
            "附表",
            "卢山副省长牵头重点工作",
            "王浩省长",
            "常务副省长",
            "省长省长",
            "王常务副省长",
            "欧阳成国副省长同志负责的重点任务",
            "王成国副省长牵头的重点工作任务",
            "王a副省长",
            "王 副省长",
            "一二三四五副省长",
            "𠀀𠀁副省长",
            "一是加强，二是推进；三是落实",
            "一是二是",
            "十一是，十二是",
            "一二三四是，一是",
            " 一是。二是",
            "，一是",
            "是",
            "财政政策（7项）",
            "财政政策(１２项措施)",
            "财政政策（十二条举措）",
            "财政政策（1234项）",
            "财政政策（十二 项）",
            "财政政策（1二项）",
            "财政政策（项）",
            "（（7项）",
            "7项）",
            "（7项任务）)",
            "（7项任务",
        ] {
            check_readers(text);
        }
    }

    #[test]
    fn readers_agree_with_the_regexes_on_the_fixtures() {
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                check_readers(line);
                check_readers(line.trim());
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn readers_agree_with_the_regexes(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "附", "件", "附件", " ", "\u{3000}", "\t", "\n", "1", "２", "一", "二", "十",
                "：", ":", "名单", "王", "欧阳", "成国", "𠀀", "a", "副", "常务", "省长",
                "市长", "主任", "秘书长", "国务委员", "同志", "牵头", "负责", "的", "重点",
                "工作", "任务", "是", "。", "；", ";", "，", ",", "！", "？", "（", "(",
                "）", ")", "项", "条", "措施", "举措", "12", "1234", "々", "〇",
            ]),
            0..14,
        )) {
            check_readers(&s.concat());
        }
    }

    /// Found by the reliability suite: a label list wrapped onto a second
    /// line, then a blank line, lost the second line.
    #[test]
    fn wrapped_label_survives_a_blank_line() {
        // Lines 40 columns wide: the text is hard-wrapped at 40.
        let mut text = String::from("1.推进数字经济发展，新建基站三千个，培育\n");
        for _ in 0..6 {
            text.push_str("省级以上工业互联网平台五个，智能工厂十家\n");
        }
        text.push_str("责任单位：市大数据局、市工业和信息化局、\n");
        text.push_str("市商务局\n\n附录\n");
        let parsed = crate::parse(&text);
        let names: Vec<String> = parsed
            .document
            .tasks()
            .iter()
            .flat_map(|t| t.agencies().map(|a| a.name.to_string()))
            .collect();
        assert_eq!(names, ["市大数据局", "市工业和信息化局", "市商务局"]);
    }

    /// The tests `leader` makes before its regex turn away no text the
    /// regex matches: every post, with and without a name (of two to four
    /// characters, four-byte ones too), and every choice of the words after.
    #[test]
    fn leader_prechecks_keep_every_match() {
        let posts = [
            "常务副省长",
            "副省长",
            "省长",
            "市长",
            "区长",
            "县长",
            "副秘书长",
            "秘书长",
            "副主席",
            "主席",
            "主任",
            "书记",
            "总理",
            "国务委员",
        ];
        let names = ["", "王浩", "王成国", "欧阳成国", "𠀀𠀁𠀂𠀃"];
        let mut texts = 0;
        for post in posts {
            for name in names {
                for comrade in ["", "同志"] {
                    for verb in ["", "牵头", "负责", "分管"] {
                        for de in ["", "的"] {
                            for key in ["", "重点"] {
                                for work in ["", "工作", "任务"] {
                                    let text =
                                        format!("{name}{post}{comrade}{verb}{de}{key}{work}");
                                    let matched = LEADER.is_match(&text);
                                    assert!(matched, "{text}");
                                    assert!(text.len() <= LEADER_MAX_LEN, "{text}");
                                    assert!(ends_like_leader(&text), "{text}");
                                    assert!(leader(&text, 0).is_some(), "{text}");
                                    texts += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(texts, 14 * 5 * 2 * 4 * 2 * 2 * 3);
    }

    /// A label is 2 to 8 characters before the first colon, which the
    /// search looks for among the first 9 characters only.
    #[test]
    fn label_lengths() {
        let at = |t: &str| label(t, Span::new(0, t.len())).map(|l| l.text);
        assert_eq!(at("简政提效：推进改革").as_deref(), Some("简政提效"));
        assert_eq!(
            at("一二三四五六七八：推进").as_deref(),
            Some("一二三四五六七八")
        );
        assert_eq!(at("一二三四五六七八九：推进"), None);
        assert_eq!(at("一二三四五六七八九十，到2025年：推进"), None);
        assert_eq!(at("一:推进"), None);
        assert_eq!(at("ab:c").as_deref(), Some("ab"));
        assert_eq!(at("简政提效："), None);
    }

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

    /// Drafts come back by id across chunks; a chunk's room is freed once
    /// all its drafts are taken, and a draft taken twice, or never made,
    /// is `None` rather than a panic.
    #[test]
    fn arena_takes_and_frees_chunks() {
        let n = 2 * CHUNK + 3;
        let mut arena = Arena::new(Draft::new(Span::new(0, 0)));
        for id in 1..n {
            arena.push(Draft::new(Span::new(id, id + 1)));
        }
        assert_eq!(arena.len(), n);
        assert_eq!(arena.chunks.len(), 3);
        assert_eq!(arena[CHUNK + 1].text_span, Span::new(CHUNK + 1, CHUNK + 2));
        for id in 0..CHUNK - 1 {
            assert_eq!(arena.take(id).map(|d| d.text_span.start), Some(id));
        }
        // Taken twice: refused, and the chunk still holds its last draft.
        assert!(arena.take(5).is_none());
        assert!(arena.chunks[0].drafts.capacity() > 0);
        assert_eq!(
            arena.take(CHUNK - 1).map(|d| d.text_span.start),
            Some(CHUNK - 1)
        );
        assert_eq!(arena.chunks[0].drafts.capacity(), 0);
        assert!(arena.take(3).is_none());
        assert!(arena.get(3).is_none());
        assert!(arena.take(n).is_none());
        // The last chunk, not full, is freed with its last draft.
        for id in 2 * CHUNK..n {
            assert!(arena.take(id).is_some());
        }
        assert_eq!(arena.chunks[2].drafts.capacity(), 0);
        assert_eq!(arena.get(CHUNK).map(|d| d.text_span.start), Some(CHUNK));
    }

    /// The children links keep the order in which the children were
    /// added, and the sibling before each.
    #[test]
    fn children_are_linked_in_order() {
        let source = "一、甲\n（一）乙\n（二）丙\n二、丁\n";
        let mut b = Builder::new(source, false, None);
        for line in &crate::lines::lines(source) {
            b.line(line);
        }
        let ids = |b: &Builder<'_>, parent: usize| {
            let mut out = Vec::new();
            let mut c = b.arena[parent].first_child;
            while c != NONE {
                out.push(c);
                c = b.arena[c].next_sibling;
            }
            out
        };
        assert_eq!(ids(&b, ROOT), [1, 4]);
        assert_eq!(ids(&b, 1), [2, 3]);
        assert_eq!(b.arena[ROOT].child_count, 2);
        assert_eq!(b.arena[3].prev_sibling, 2);
        assert_eq!(b.arena[2].prev_sibling, NONE);
        assert_eq!(b.arena[4].prev_sibling, 1);
        let (nodes, _) = b.finish();
        let texts: Vec<_> = nodes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["甲", "丁"]);
        let texts: Vec<_> = nodes[0].children.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["乙", "丙"]);
        assert_eq!(nodes[0].children.capacity(), 2);
    }

    /// A paragraph after a run of full items (long, several sentences)
    /// belongs to their parent, not to the last item; after short items,
    /// or when the item before took children of its own, the last item
    /// takes it.
    #[test]
    fn a_paragraph_after_a_run_of_full_items_goes_to_their_parent() {
        let long = "推进制造业高质量发展，加快建设现代化产业体系。".repeat(4);
        assert!(long.chars().count() > 80);
        let children = |source: &str| -> Vec<(String, usize)> {
            let parsed = crate::parse(source);
            let section = &parsed.document.nodes[0];
            section
                .children
                .iter()
                .map(|n| (n.text.chars().take(4).collect(), n.children.len()))
                .collect()
        };
        let run = format!("一、总体要求\n1.{long}\n2.{long}\n另起一段说明。\n");
        assert_eq!(
            children(&run),
            [
                ("推进制造".into(), 0),
                ("推进制造".into(), 0),
                ("另起一段".into(), 0)
            ]
        );
        let short = "一、总体要求\n1.推进制造业发展\n2.加快产业升级\n另起一段说明。\n";
        assert_eq!(
            children(short),
            [("推进制造".into(), 0), ("加快产业".into(), 1)]
        );
        let nested = format!("一、总体要求\n1.{long}\n（1）细则\n2.{long}\n另起一段说明。\n");
        assert_eq!(
            children(&nested),
            [("推进制造".into(), 1), ("推进制造".into(), 1)]
        );
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        /// `LastNumbers` answers as the vector it replaced, searched from
        /// its start and pushed to for a new style, whatever the order of
        /// the styles set, asked for and cleared.
        #[test]
        fn last_numbers_agree_with_a_vector(ops in proptest::collection::vec(
            (0u8..4, 0usize..5, 0u32..4),
            0..40,
        )) {
            let styles = [
                MarkerStyle::ChineseComma,
                MarkerStyle::ParenChinese,
                MarkerStyle::ArabicDot,
                MarkerStyle::Circled,
                MarkerStyle::Chapter,
            ];
            let mut reference: Vec<(MarkerStyle, u32)> = Vec::new();
            let mut numbers = LastNumbers::default();
            for (op, style, number) in ops {
                let style = styles[style];
                match op {
                    0 | 1 => {
                        match reference.iter_mut().find(|(s, _)| *s == style) {
                            Some(entry) => entry.1 = number,
                            None => reference.push((style, number)),
                        }
                        numbers.set(style, number);
                    }
                    2 => {
                        reference.clear();
                        numbers.clear();
                    }
                    _ => {}
                }
                for s in styles {
                    let expected = reference.iter().find(|(r, _)| *r == s).map(|&(_, n)| n);
                    proptest::prop_assert_eq!(numbers.get(s), expected);
                }
            }
        }
    }
}
