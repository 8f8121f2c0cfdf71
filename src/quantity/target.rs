//! From the quantities of one task to its targets: which quantities end a
//! commitment (and which only describe a noun or name something), what
//! they measure, their verb, bound, modality and horizon year.
//!
//! A task is cut into clauses at `，` `；` `。` (and their half-width
//! forms). A clause may hold a `、` list of targets; an item of that list
//! ends right after a target's quantity and its bound word. A quantity is a
//! target only where it ends an item: `10亿元以上制造业重大项目611个` has
//! one target (611 个), since `10亿元以上` is followed by the noun it
//! describes.

use super::find::{self, Found, is_han};
use super::numeral::skip_gaps;
use super::unit::UnitKind;
use super::words::{
    BENEFICIARY_MARKS, BOUND_BEFORE_ENDINGS, CharSet, INDICATOR_TAILS, LIST_JOINERS, MODALITY,
    NOMINAL_VERBS, NOT_UNITS, Role, SUBJECT_LEAD_INS, SUBJECT_TAILS, VERB_ENDINGS, VERB_NOT_BEFORE,
    VERB_NOUN_TAILS, YEAR_AFTER, YEAR_BASELINE, YEAR_BEFORE, bound_after_at, modality_at,
    starts_joiner_word, starts_with_any, starts_with_word, verb_at, verb_starts,
};
use super::{Bound, Modality, Normalized, Target};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::span::Span;
use crate::string::Str;
use std::sync::LazyLock;

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

/// Ends a clause: modality and lists do not reach past these.
fn is_clause_end(text: &str, pos: usize) -> bool {
    char_at(text, pos).is_some_and(|c| clause_end_char(c, || char_at(text, pos + c.len_utf8())))
}

/// [`is_clause_end`] for a character `c` and what follows it: a point
/// ends a clause unless a digit follows (`5.5`).
fn clause_end_char(c: char, next: impl FnOnce() -> Option<char>) -> bool {
    match c {
        '，' | ',' | '；' | ';' | '。' | '！' | '？' | '!' | '?' | '：' | ':' | '\n' | '\r'
        | '（' | '）' | '(' | ')' => true,
        '.' | '．' => !next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Ends a sentence: a horizon year does not reach past these.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '\n' | '\r' | '；' | ';')
}

/// The quantity starting at `pos`, if any (`found` is in text order).
fn found_at(found: &[Found], pos: usize) -> Option<&Found> {
    let k = found.partition_point(|f| f.span.start < pos);
    found.get(k).filter(|f| f.span.start == pos)
}

/// How many of `sorted` are below `pos`: `sorted.partition_point(|&e| e <
/// pos)`, found by moving `cursor` (the count for an earlier position) on.
/// The quantities of a text come in order, so each step is short; a
/// position before the cursor's falls back to the binary search.
fn count_below(sorted: &[usize], pos: usize, cursor: &mut usize) -> usize {
    let mut k = (*cursor).min(sorted.len());
    if k > 0 && sorted[k - 1] >= pos {
        k = sorted.partition_point(|&e| e < pos);
    } else {
        while sorted.get(k).is_some_and(|&e| e < pos) {
            k += 1;
        }
    }
    *cursor = k;
    k
}

/// True when a quantity starts in `from..to`.
fn any_found_in(found: &[Found], from: usize, to: usize) -> bool {
    let k = found.partition_point(|f| f.span.start < from);
    found.get(k).is_some_and(|f| f.span.start < to)
}

/// True when `span` lies wholly in one of `ranges` (sorted by start), with
/// `reach[k]` the furthest end among `ranges[..=k]`: a binary search, not
/// a walk over every range.
fn inside(ranges: &[(usize, usize)], reach: &[usize], span: Span) -> bool {
    let k = ranges.partition_point(|&(s, _)| s <= span.start);
    k.checked_sub(1).is_some_and(|k| reach[k] >= span.end)
}

/// The characters [`LIST_JOINERS`] start with.
static JOINER_FIRST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(LIST_JOINERS.iter().filter_map(|w| w.chars().next())));

/// The offset after a list joiner at `pos` (`、`, `和`, `及` …), if any.
/// The word tables are looked at only when the character at `pos` starts
/// a joiner: after most quantities comes punctuation or a noun.
fn joiner_end(text: &str, pos: usize) -> Option<usize> {
    let rest = text.get(pos..)?;
    if !rest
        .chars()
        .next()
        .is_some_and(|c| JOINER_FIRST.contains(c))
        || starts_joiner_word(rest)
    {
        return None;
    }
    starts_with_word(rest, LIST_JOINERS).map(|w| pos + w.len())
}

/// The horizon years of a text: `(where it applies from, year)`.
fn horizons(text: &str, found: &[Found], out: &mut Vec<(usize, u32)>) {
    out.clear();
    for q in found {
        if q.kind != UnitKind::Date || !q.unit_is(text, "年") {
            continue;
        }
        let Some(year) = q
            .upper
            .unwrap_or(q.value)
            .to_integer()
            .and_then(|y| u32::try_from(y).ok())
        else {
            continue;
        };
        let before = text
            .get(..q.span.start)
            .unwrap_or("")
            .trim_end_matches(super::unit::is_gap);
        let after = text.get(q.span.end..).unwrap_or("");
        if YEAR_BASELINE.iter().any(|w| before.ends_with(w)) {
            continue;
        }
        let marked_before = YEAR_BEFORE.iter().any(|w| before.ends_with(w));
        let marked_after = YEAR_AFTER.iter().any(|w| after.starts_with(w));
        let clause_start = before.is_empty()
            || is_clause_end(
                before,
                before.len() - before.chars().next_back().map_or(0, char::len_utf8),
            );
        let leads = clause_start
            && !["的", "以来", "相比", "比"]
                .iter()
                .any(|w| after.starts_with(w));
        if marked_before || marked_after || leads {
            out.push((q.span.start, year));
        }
    }
}

/// The horizon in force at `pos`: the last one before it in its sentence.
fn year_at(horizons: &[(usize, u32)], marks: &Marks, pos: usize) -> Option<u32> {
    // Horizons are in text order: only the last one before `pos` can be
    // in its sentence.
    let k = horizons.partition_point(|&(from, _)| from < pos);
    let &(from, year) = horizons.get(k.checked_sub(1)?)?;
    (marks.sentence(from) == marks.sentence(pos)).then_some(year)
}

/// The characters [`Marks`] looks at: punctuation, quote marks, the
/// baseline marks of a subject, and the first characters of modality
/// words.
static MARK_CHARS: LazyLock<CharSet> = LazyLock::new(|| {
    CharSet::new(
        "，,；;。！？!?：:\n\r（）().．“”「」『』《》〈〉‘’\"将由从"
            .chars()
            .chain(MODALITY.iter().filter_map(|(w, _)| w.chars().next())),
    )
});

/// Where clauses, sentences, quotes and modality words are in a text,
/// computed once per text, in buffers of a [`Scratch`].
struct Marks<'s> {
    clause_ends: &'s mut Vec<usize>,
    sentence_ends: &'s mut Vec<usize>,
    /// Quoted and titled stretches (`“雄鹰”`, `《…》`): numbers there
    /// name something.
    quotes: &'s mut Vec<(usize, usize)>,
    /// `quote_reach[k]`: the furthest end of `quotes[..=k]`.
    quote_reach: &'s mut Vec<usize>,
    /// Modality words: where, how long, which.
    modalities: &'s mut Vec<(usize, usize, Modality)>,
    /// Where `将`, `由` and `从` are, for [`BaselineMarks::among`]: a few
    /// in a text, where a walk over each subject for them cost more.
    baseline: &'s mut Vec<usize>,
}

/// The buffers of one [`extract`] call, kept per thread between calls:
/// most tasks are short, and allocating and freeing a dozen small vectors
/// for each cost more than reading it. Every buffer is empty between
/// calls.
struct Scratch {
    found: Vec<Found>,
    clause_ends: Vec<usize>,
    sentence_ends: Vec<usize>,
    quotes: Vec<(usize, usize)>,
    quote_reach: Vec<usize>,
    modalities: Vec<(usize, usize, Modality)>,
    baseline: Vec<usize>,
    open: Vec<(char, usize)>,
    skip: Vec<(usize, usize)>,
    horizons: Vec<(usize, u32)>,
    /// [`bound_after`] of each quantity, in order.
    afters: Vec<(usize, Option<Bound>)>,
    /// The targets, as they are made: handed back in a vector of exactly
    /// their number, which the model keeps without a reallocation.
    targets: Vec<Target>,
    /// True while a call is using the buffers: a call that panicked left
    /// it set, and its buffers as they were, so the next call empties
    /// them first.
    in_use: bool,
}

impl Scratch {
    const EMPTY: Scratch = Scratch {
        found: Vec::new(),
        clause_ends: Vec::new(),
        sentence_ends: Vec::new(),
        quotes: Vec::new(),
        quote_reach: Vec::new(),
        modalities: Vec::new(),
        baseline: Vec::new(),
        open: Vec::new(),
        skip: Vec::new(),
        horizons: Vec::new(),
        afters: Vec::new(),
        targets: Vec::new(),
        in_use: false,
    };

    /// Empties every buffer; one grown past what a long task needs is
    /// dropped, so that one huge text does not leave its memory held.
    fn clear(&mut self) {
        fn reset<T>(v: &mut Vec<T>) {
            if v.capacity() > 4096 {
                *v = Vec::new();
            } else {
                v.clear();
            }
        }
        if self.found.capacity() > 256 {
            self.found = Vec::new();
        } else {
            self.found.clear();
        }
        reset(&mut self.clause_ends);
        reset(&mut self.sentence_ends);
        reset(&mut self.quotes);
        reset(&mut self.quote_reach);
        reset(&mut self.modalities);
        reset(&mut self.baseline);
        reset(&mut self.open);
        reset(&mut self.skip);
        reset(&mut self.horizons);
        reset(&mut self.afters);
        if self.targets.capacity() > 256 {
            self.targets = Vec::new();
        } else {
            self.targets.clear();
        }
    }
}

impl Default for Scratch {
    fn default() -> Scratch {
        Scratch::EMPTY
    }
}

thread_local! {
    /// This thread's [`Scratch`], borrowed for a call.
    static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new(Scratch::EMPTY) };
}

/// The walk [`extract`] makes over a text: its quantities, and where the
/// characters of [`MARK_CHARS`] are.
static WALK: LazyLock<find::Walk> = LazyLock::new(|| find::Walk::new(&MARK_CHARS));

/// The characters [`MODALITY`] words start with: only at these is the
/// table looked at.
static MODALITY_FIRST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(MODALITY.iter().filter_map(|(w, _)| w.chars().next())));

/// Pushes `x`, giving an empty `v` room for `size` (at least four) first:
/// one allocation where pushing alone would grow it step by step.
fn push_sized(v: &mut Vec<usize>, x: usize, size: usize) {
    if v.capacity() == 0 {
        *v = Vec::with_capacity(size.max(4));
    }
    v.push(x);
}

/// Builds the [`Marks`] of a text from its [`MARK_CHARS`] characters, fed
/// in text order during the walk that finds the quantities: no list of
/// offsets is kept in between.
struct MarkReader<'t, 's> {
    text: &'t str,
    marks: Marks<'s>,
    /// Quote marks opened and not yet closed: which, and where.
    open: &'s mut Vec<(char, usize)>,
    /// An ASCII `"` opened and not yet closed.
    ascii_open: Option<usize>,
    /// [`MODALITY_FIRST`], looked up once.
    modality_first: &'static CharSet,
}

impl<'t, 's> MarkReader<'t, 's> {
    /// A reader for `text`, noting into `marks` and keeping open quotes in
    /// `open`, all empty.
    fn new(
        text: &'t str,
        marks: Marks<'s>,
        open: &'s mut Vec<(char, usize)>,
    ) -> MarkReader<'t, 's> {
        MarkReader {
            text,
            marks,
            open,
            ascii_open: None,
            modality_first: &MODALITY_FIRST,
        }
    }

    /// Notes the [`MARK_CHARS`] character `u` at `i`: a quote mark, a
    /// clause or sentence end, or the first character of a modality word.
    ///
    /// `，` and `。`, most of the marks of a text, are noted here, inline
    /// in the walk: neither starts a modality word (which
    /// [`note_any`](Self::note_any) tests first), `，` ends a clause and `。`
    /// a sentence whatever follows.
    #[inline]
    fn note(&mut self, i: usize, u: u32) {
        const COMMA: u32 = '，' as u32;
        const FULL_STOP: u32 = '。' as u32;
        match u {
            COMMA => push_sized(self.marks.clause_ends, i, self.text.len() / 16),
            FULL_STOP => {
                push_sized(self.marks.clause_ends, i, self.text.len() / 16);
                push_sized(self.marks.sentence_ends, i, self.text.len() / 64);
            }
            _ => self.note_any(i, u),
        }
    }

    /// [`note`](Self::note) for any mark.
    #[inline(never)]
    fn note_any(&mut self, i: usize, u: u32) {
        let text = self.text;
        let marks = &mut self.marks;
        let Some(c) = char::from_u32(u) else { return };
        let end = i + c.len_utf8();
        let close = match c {
            '将' | '由' | '从' => {
                marks.baseline.push(i);
                return;
            }
            '“' | '「' | '『' | '《' | '〈' | '‘' => {
                self.open.push((c, i));
                return;
            }
            '”' => '“',
            '」' => '「',
            '』' => '『',
            '》' => '《',
            '〉' => '〈',
            '’' => '‘',
            '"' => {
                match self.ascii_open.take() {
                    Some(s) => marks.quotes.push((s, i + 1)),
                    None => self.ascii_open = Some(i),
                }
                return;
            }
            // No quote mark ends a clause or starts a modality word.
            _ => {
                if self.modality_first.contains_u32(u)
                    && let Some((len, modality)) = text.get(i..).and_then(modality_at)
                {
                    marks.modalities.push((i, len, modality));
                } else if clause_end_char(c, || char_at(text, end)) {
                    push_sized(marks.clause_ends, i, text.len() / 16);
                    // Every sentence end ends a clause.
                    if is_sentence_end(c) {
                        push_sized(marks.sentence_ends, i, text.len() / 64);
                    }
                }
                return;
            }
        };
        if let Some(k) = self.open.iter().rposition(|&(o, _)| o == close) {
            marks.quotes.push((self.open[k].1, end));
            self.open.truncate(k);
        }
    }

    /// The marks of the text, once every mark has been noted.
    fn finish(self) -> Marks<'s> {
        let marks = self.marks;
        marks.quotes.sort_unstable();
        let mut furthest = 0;
        marks.quote_reach.clear();
        marks.quote_reach.extend(marks.quotes.iter().map(|&(_, e)| {
            furthest = furthest.max(e);
            furthest
        }));
        marks
    }
}

impl Marks<'_> {
    /// The first clause end at or after `pos`, or the end of the text
    /// (`cursor` as for [`count_below`]).
    fn clause_end(&self, pos: usize, len: usize, cursor: &mut usize) -> usize {
        let k = count_below(self.clause_ends, pos, cursor);
        self.clause_ends.get(k).copied().unwrap_or(len)
    }

    /// The last clause end in `from..to` (`cursor` as for
    /// [`count_below`]).
    fn last_clause_end(&self, from: usize, to: usize, cursor: &mut usize) -> Option<usize> {
        let k = count_below(self.clause_ends, to, cursor);
        k.checked_sub(1)
            .map(|k| self.clause_ends[k])
            .filter(|&e| e >= from)
    }

    /// The last modality word wholly in `from..to`: where it is, its
    /// length and its modality.
    fn modality(&self, from: usize, to: usize) -> Option<(usize, usize, Modality)> {
        let k = self.modalities.partition_point(|&(at, _, _)| at < to);
        self.modalities[..k]
            .iter()
            .rev()
            .take_while(|&&(at, _, _)| at >= from)
            .find(|&&(at, len, _)| at + len <= to)
            .copied()
    }

    /// Which sentence `pos` is in.
    fn sentence(&self, pos: usize) -> usize {
        self.sentence_ends.partition_point(|&e| e < pos)
    }
}

/// Sorts ranges and merges overlapping ones, in place, for
/// [`last_verb`].
fn merge(ranges: &mut Vec<(usize, usize)>) {
    ranges.sort_unstable();
    // `ranges[..kept]` is the merged prefix: the range at `k` joins its
    // last range or becomes the next one.
    let mut kept: usize = 0;
    for k in 0..ranges.len() {
        let (s, e) = ranges[k];
        match kept.checked_sub(1).map(|l| &mut ranges[l]) {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => {
                ranges[kept] = (s, e);
                kept += 1;
            }
        }
    }
    ranges.truncate(kept);
}

/// Where a quantity's trailing bound word ends, and the bound.
fn bound_after(text: &str, end: usize) -> (usize, Option<Bound>) {
    let p = skip_gaps(text, end, text.len());
    match bound_after_at(&text[p..]) {
        // `内` alone only bounds a time: `3个工作日内`.
        Some((len, b)) => (p + len, Some(b)),
        None => (end, None),
    }
}

/// True when a quantity followed by `end` ends an item: nothing but a
/// clause end, a list joiner, or the end of the text comes next.
fn ends_item(text: &str, end: usize, clause_end: usize) -> bool {
    let p = skip_gaps(text, end, text.len());
    p >= clause_end
        || is_clause_end(text, p)
        || joiner_end(text, p).is_some()
        || char_at(text, p).is_none()
}

/// A verb found before a number.
#[derive(Clone, Copy, Debug)]
struct VerbHit {
    start: usize,
    end: usize,
    word: &'static str,
    role: Role,
}

/// The verb at `p` (reading no further than `to`), unless the characters
/// after it make it part of a noun (`增加值`, `达产`).
fn verb_here(text: &str, p: usize, to: usize) -> Option<VerbHit> {
    let (word, role) = verb_at(text.get(p..to)?)?;
    let end = p + word.len();
    if end < to
        && let Some(c) = char_at(text, end)
        // The character first: a cheap test that nearly always fails,
        // before the verbs are compared.
        && (VERB_NOUN_TAILS.contains(&c)
            || VERB_NOT_BEFORE
                .iter()
                .any(|&(w, next)| next == c && w == word))
    {
        return None;
    }
    Some(VerbHit {
        start: p,
        end,
        word,
        role,
    })
}

/// The verbs in `text[from..to]`, skipping `skip` ranges: the last one,
/// and the first of the run of verbs it ends (`新增建设用地`: 新增 governs
/// 建设用地).
fn last_verb(
    text: &str,
    from: usize,
    to: usize,
    skip: &[(usize, usize)],
) -> Option<(VerbHit, VerbHit)> {
    let mut last: Option<(VerbHit, VerbHit)> = None;
    // Only where a verb can start, past the skipped ranges and the verb
    // just found.
    let mut next = from;
    let mut k = skip.partition_point(|&(_, e)| e <= from);
    for p in verb_starts(text.get(from..to)?).map(|i| from + i) {
        if p < next {
            continue;
        }
        while skip.get(k).is_some_and(|&(_, e)| e <= p) {
            k += 1;
        }
        if let Some(&(s, e)) = skip.get(k)
            && s <= p
        {
            next = e;
            continue;
        }
        if let Some(hit) = verb_here(text, p, to) {
            let first = match last {
                Some((run, prev)) if prev.end == p => run,
                _ => hit,
            };
            last = Some((first, hit));
            next = hit.end;
        }
    }
    last
}

/// The first verb in `text[from..to]`: looked for only where a verb can
/// start, as [`last_verb`] does, not at every character.
fn first_verb(text: &str, from: usize, to: usize) -> Option<VerbHit> {
    match text.get(from..to) {
        Some(span) => verb_starts(span).find_map(|i| verb_here(text, from + i, to)),
        // Not a slice of `text`: the walk character by character copes.
        None => first_verb_by_chars(text, from, to),
    }
}

/// [`first_verb`] by trying every character: what it was, still used
/// where `from..to` is not a slice of `text`, and the tests' reference.
fn first_verb_by_chars(text: &str, from: usize, to: usize) -> Option<VerbHit> {
    let mut p = from;
    while p < to {
        if let Some(hit) = verb_here(text, p, to) {
            return Some(hit);
        }
        p += char_at(text, p).map_or(1, char::len_utf8);
    }
    None
}

/// The characters [`SUBJECT_LEAD_INS`] words start with: only at these is
/// the table looked at.
static LEAD_IN_FIRST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(SUBJECT_LEAD_INS.iter().filter_map(|w| w.chars().next())));

/// The characters [`SUBJECT_TAILS`] words end with: only a subject ending
/// in one is looked up in the table.
static SUBJECT_TAIL_LAST: LazyLock<CharSet> =
    LazyLock::new(|| CharSet::new(SUBJECT_TAILS.iter().filter_map(|w| w.chars().next_back())));

/// Where a subject's baseline marks are in `text[from..to]`, for
/// [`clean_subject`]: the last `将`; the last `由`; the last `从`, and the
/// last `从` before that `由`. Read from the marks' positions, which the
/// walk that finds the quantities notes ([`BaselineMarks::among`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct BaselineMarks {
    jiang: Option<usize>,
    you: Option<usize>,
    cong: Option<usize>,
    cong_before_you: Option<usize>,
}

impl BaselineMarks {
    /// The marks of `text[from..to]` (`from <= to`, both character
    /// boundaries), by a walk back over its characters: what
    /// [`clean_subject`] did, the tests' reference for
    /// [`among`](Self::among).
    #[cfg(test)]
    fn of(text: &str, from: usize, to: usize) -> BaselineMarks {
        let mut m = BaselineMarks::default();
        for (i, c) in text[from..to].char_indices().rev() {
            let at = Some(from + i);
            match c {
                '将' if m.jiang.is_none() => m.jiang = at,
                '由' if m.you.is_none() => m.you = at,
                '从' if m.cong.is_none() => {
                    m.cong = at;
                    if m.you.is_some() {
                        m.cong_before_you = at;
                    }
                }
                '从' if m.you.is_some() && m.cong_before_you.is_none() => m.cong_before_you = at,
                _ => {}
            }
        }
        m
    }

    /// [`of`](Self::of), from `baseline`, where every `将` `由` `从` of
    /// `text` is, in order: only the marks in `from..to` are looked at,
    /// not every character (`to` is a character boundary, so a mark that
    /// starts before it ends by it).
    fn among(text: &str, baseline: &[usize], from: usize, to: usize) -> BaselineMarks {
        let mut m = BaselineMarks::default();
        let k = baseline.partition_point(|&at| at < to);
        for &at in baseline[..k].iter().rev().take_while(|&&at| at >= from) {
            // The three are told apart by their lead bytes: 将 E5, 由 E7,
            // 从 E4. The arms are those of `of`.
            let found = Some(at);
            match text.as_bytes()[at] {
                0xE5 if m.jiang.is_none() => m.jiang = found,
                0xE7 if m.you.is_none() => m.you = found,
                0xE4 if m.cong.is_none() => {
                    m.cong = found;
                    if m.you.is_some() {
                        m.cong_before_you = found;
                    }
                }
                0xE4 if m.you.is_some() && m.cong_before_you.is_none() => {
                    m.cong_before_you = found;
                }
                _ => {}
            }
        }
        m
    }
}

/// Cleans a subject: lead-in words, modality words, a leading horizon and
/// (when `strip_verb`: not for an object, `新增建设用地`) a leading verb
/// go; so do a trailing `的`, `分别` and the like, and edge punctuation.
///
/// Most subjects hold no baseline mark, start with no lead-in and end with
/// no tail word: the marks are looked up in `baseline`, where every
/// `将` `由` `从` of `text` is (noted during the walk that finds the
/// quantities), and the word tables are looked at only when the first (or last)
/// character may start (or end) one of their words.
fn clean_subject(
    text: &str,
    from: usize,
    to: usize,
    found: &[Found],
    baseline: &[usize],
    strip_verb: bool,
) -> (usize, usize) {
    let mut s = from;
    let mut e = to.max(from);
    let marks = BaselineMarks::among(text, baseline, s, e);
    // `将X由30%提高至50%`: X is the subject; 由30% is its baseline.
    if let Some(at) = marks.jiang
        && !text[at + 3..e].starts_with(['近', '来', '要', '于'])
    {
        s = at + 3;
    }
    // The last `由` after `s`, then the last `从` before where the subject
    // now ends.
    let mut cong = marks.cong;
    if let Some(at) = marks.you.filter(|&at| at >= s)
        && found_at(found, skip_gaps(text, at + 3, e)).is_some()
    {
        e = at;
        cong = marks.cong_before_you;
    }
    if let Some(at) = cong.filter(|&at| at >= s)
        && found_at(found, skip_gaps(text, at + 3, e)).is_some()
    {
        e = at;
    }
    strip_subject_edges(text, s, e, found, strip_verb)
}

/// The two loops of [`clean_subject`] that strip words from the start and
/// the end of `text[s..e]`.
fn strip_subject_edges(
    text: &str,
    mut s: usize,
    mut e: usize,
    found: &[Found],
    strip_verb: bool,
) -> (usize, usize) {
    let lead_in_first: &CharSet = &LEAD_IN_FIRST;
    let modality_first: &CharSet = &MODALITY_FIRST;
    loop {
        let before = s;
        s = skip_gaps(text, s, e);
        let rest = &text[s..e];
        let first = rest.chars().next();
        if let Some(c) = first
            && (matches!(c, '、' | '，' | ',' | '；' | ';' | '。' | '：' | ':') || c == '\u{feff}')
        {
            s += c.len_utf8();
        } else if let Some((len, _)) = first
            .filter(|&c| modality_first.contains(c))
            .and_then(|_| starts_with_any(rest, MODALITY))
        {
            s += len;
        } else if let Some(w) = first
            .filter(|&c| lead_in_first.contains(c))
            .and_then(|_| starts_with_word(rest, SUBJECT_LEAD_INS))
            .filter(|_| !starts_joiner_word(rest))
        {
            s += w.len();
        } else if strip_verb
            && let Some(v) =
                verb_here(text, s, e).filter(|v| v.end < e && !text[v.end..e].starts_with('的'))
        {
            s = v.end;
        } else if let Some(f) = found_at(found, s).filter(|f| f.kind == UnitKind::Date) {
            // `到2025年`: the horizon is not the subject. Found quantities
            // never overlap the one whose subject this is, so the date ends
            // by `e`; `min` keeps the slice in bounds if one ever did not.
            s = f.span.end.min(e);
            let r = &text[s..e];
            s += ["底前", "年底前", "底", "末", "前"]
                .iter()
                .find(|w| r.starts_with(**w))
                .map_or(0, |w| w.len());
        } else if matches!(first, Some('到' | '至'))
            && found_at(found, s + 3).is_some_and(|f| f.kind == UnitKind::Date)
        {
            s += 3;
        }
        if s == before {
            break;
        }
    }
    let tail_last: &CharSet = &SUBJECT_TAIL_LAST;
    loop {
        let t = &text[s..e];
        let mut trimmed =
            t.trim_end_matches(|c: char| super::unit::is_gap(c) || matches!(c, '、' | '的' | '各'));
        if let Some(last) = trimmed.chars().next_back()
            && tail_last.contains(last)
            && let Some(w) = SUBJECT_TAILS
                .iter()
                .find(|w| trimmed.ends_with(**w) && trimmed.len() > w.len())
        {
            trimmed = &trimmed[..trimmed.len() - w.len()];
        }
        if trimmed.len() == t.len() {
            break;
        }
        e = s + trimmed.len();
    }
    (s, e)
}

/// The subject a sentence carries on with (`X达3.9万亿元，增长9.5%`): the
/// subject of a target already made, read from it when needed rather than
/// copied for every target, or one held here (the whole list of a `各`
/// target, whose targets each have one part).
enum Carried {
    Target(usize),
    Held(Str),
}

/// The subject `carried` stands for.
fn carried_subject(carried: &Option<Carried>, targets: &[Target]) -> Option<Str> {
    match carried.as_ref()? {
        Carried::Target(k) => targets.get(*k)?.subject.clone(),
        Carried::Held(s) => Some(s.clone()),
    }
}

/// What a target left behind for the next item of its list.
struct Item {
    verb: Option<&'static str>,
    /// True when the item had a subject. It is then the `carried` subject
    /// of [`extract`]: both are set together, and a new sentence, which
    /// clears `carried`, starts a new clause, which clears the item.
    has_subject: bool,
    shared_verb: bool,
    /// After `分别`, the subjects the next items take in turn:
    /// `A、B分别增长5%、6%` leaves `[B]` after 5%.
    respective: Vec<Str>,
}

/// Gives the short items of a `分别` list the indicator the last item
/// ends with: `家电、新能源汽车零售额` → 家电零售额, 新能源汽车零售额.
/// An item that names its own indicator (`生产安全事故起数`) keeps it.
fn share_indicator_tail(parts: &mut [String]) {
    let Some((last, rest)) = parts.split_last_mut() else {
        return;
    };
    let Some(tail) = INDICATOR_TAILS
        .iter()
        .filter(|t| last.ends_with(**t) && last.len() > t.len())
        .max_by_key(|t| t.len())
    else {
        return;
    };
    for p in rest {
        let own = INDICATOR_TAILS.iter().any(|t| p.ends_with(t));
        if !own && p.chars().count() <= 4 {
            p.push_str(tail);
        }
    }
}

/// True when the subject in `from..to` ends with `分别` (`A、B分别`): its
/// list pairs, in order, with the list of quantities that follows.
fn ends_respectively(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to)
        .is_some_and(|t| t.trim_end_matches(super::unit::is_gap).ends_with("分别"))
}

/// The most subjects one `各` is distributed over.
const MAX_EACH: usize = 64;

/// The characters a subject is split at: [`LIST_JOINERS`], whose one
/// longer word, `以及`, ends with one of them (`及`), so that splitting at
/// each joiner in turn, as this once did, splits at exactly these.
const JOINER_CHARS: [char; 5] = ['、', '和', '及', '与', '并'];

/// Splits a subject at list joiners: `领军人才、优秀青年人才`. One pass
/// over the subject, where a pass for each joiner made a vector of
/// strings each.
fn split_subjects(subject: &str) -> Vec<Str> {
    subject
        .split(JOINER_CHARS)
        .filter(|p| !p.trim().is_empty())
        .map(Str::from)
        .collect()
}

/// What [`extract_with`] needs once a quantity may be a target: the
/// horizon years of the text; the ranges the verb search skips (quotes,
/// and every quantity with its bound words); and the bound word after each
/// quantity, where it ends.
fn prepare(
    text: &str,
    found: &[Found],
    quotes: &[(usize, usize)],
    skip: &mut Vec<(usize, usize)>,
    afters: &mut Vec<(usize, Option<Bound>)>,
    horizon_buffer: &mut Vec<(usize, u32)>,
) {
    horizons(text, found, horizon_buffer);
    skip.clear();
    skip.extend_from_slice(quotes);
    skip.reserve(found.len());
    afters.clear();
    afters.reserve(found.len());
    for q in found {
        let before = text.get(..q.span.start).unwrap_or("");
        let s = BOUND_BEFORE_ENDINGS
            .longest(before)
            .map_or(q.span.start, |(len, _)| q.span.start - len);
        let after = bound_after(text, q.span.end);
        afters.push(after);
        skip.push((s, after.0));
    }
    merge(skip);
}

/// The targets (and unknown-unit diagnostics) of one task's text.
pub(crate) fn extract(text: &str, offset: usize) -> (Vec<Target>, Vec<Diagnostic>) {
    // Borrowed in place, not moved in and out. While the thread is being
    // torn down (or were a call ever to reenter) a fresh one serves.
    SCRATCH
        .try_with(|cell| {
            let mut scratch = cell.try_borrow_mut().ok()?;
            // A call that panicked left its buffers as they were.
            if scratch.in_use {
                scratch.clear();
            }
            scratch.in_use = true;
            let out = extract_with(text, offset, &mut scratch);
            scratch.clear();
            scratch.in_use = false;
            Some(out)
        })
        .ok()
        .flatten()
        .unwrap_or_else(|| extract_with(text, offset, &mut Scratch::default()))
}

/// [`extract`], in the buffers of `scratch` (all empty).
fn extract_with(
    text: &str,
    offset: usize,
    scratch: &mut Scratch,
) -> (Vec<Target>, Vec<Diagnostic>) {
    let Scratch {
        found,
        clause_ends,
        sentence_ends,
        quotes,
        quote_reach,
        modalities,
        baseline,
        open,
        skip,
        horizons: horizon_buffer,
        afters,
        targets,
        in_use: _,
    } = scratch;
    let marks = Marks {
        clause_ends,
        sentence_ends,
        quotes,
        quote_reach,
        modalities,
        baseline,
    };
    let mut reader = MarkReader::new(text, marks, open);
    find::scan_noting(text, &WALK, found, |i, u| reader.note(i, u));
    let found: &[Found] = found;
    if found.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let marks = reader.finish();
    let mut diagnostics = Vec::new();
    let quotes: &[(usize, usize)] = marks.quotes;
    // The horizons, the skipped ranges and the bound words after the
    // quantities, made when the first quantity that may be a target is
    // reached: a third of the texts with quantities hold only years,
    // dates and bare numbers, which need none of them.
    let mut prepared = false;

    let mut clause_start = 0;
    let mut item_start = 0;
    // The item before, in this clause.
    let mut previous: Option<Item> = None;
    // The last subject, in this sentence: `X达3.9万亿元，增长9.5%`.
    let mut carried: Option<Carried> = None;
    // Where the clause ends before and after the quantity are in
    // `marks.clause_ends`, and the sentences of a clause's start and end in
    // `marks.sentence_ends` ([`Marks::sentence`]), moved on from one
    // quantity to the next.
    let (mut before_cursor, mut after_cursor) = (0, 0);
    let (mut start_sentence, mut end_sentence) = (0, 0);
    for (k, q) in found.iter().enumerate() {
        // Move the clause and item on to this quantity's clause.
        let lo = item_start.min(q.span.start);
        if let Some(at) = marks.last_clause_end(lo, q.span.start, &mut before_cursor) {
            if count_below(marks.sentence_ends, clause_start, &mut start_sentence)
                != count_below(marks.sentence_ends, at + 1, &mut end_sentence)
            {
                carried = None;
            }
            clause_start = at + char_at(text, at).map_or(1, char::len_utf8);
            item_start = clause_start;
            previous = None;
        }
        let clause_end = marks.clause_end(q.span.end, text.len(), &mut after_cursor);
        let in_quotes = inside(quotes, marks.quote_reach, q.span);

        if q.kind == UnitKind::Number {
            if let Some(d) = unknown_unit(text, q, clause_end, in_quotes) {
                diagnostics.push(Diagnostic::new(d.0, d.1.shift(offset)));
            }
            continue;
        }
        if q.kind == UnitKind::Date || in_quotes {
            continue;
        }
        if !prepared {
            prepare(text, found, quotes, skip, afters, horizon_buffer);
            prepared = true;
        }
        let skip: &[(usize, usize)] = skip;
        let horizons: &[(usize, u32)] = horizon_buffer;
        let Some(&(after_end, after)) = afters.get(k) else {
            continue;
        };
        // Either the quantity ends its item (`新增企业20家`), or a counted
        // noun follows it (`新增6个“一件事”`, `开展不少于100个示范工程`).
        let counted = if ends_item(text, after_end, clause_end) {
            None
        } else {
            match counted_noun(
                text,
                q,
                after_end,
                clause_end,
                found,
                item_start,
                previous.as_ref(),
            ) {
                Some(c) => Some(c),
                None => continue,
            }
        };
        let phrase_end = counted.as_ref().map_or(after_end, |c| c.end);

        // Before the number: 各, a bound word, the verb and the subject.
        let mut p = q.span.start;
        while let Some(c) = char_before(text, p).filter(|&c| super::unit::is_gap(c)) {
            p -= c.len_utf8();
        }
        p = p.max(item_start);
        let mut each = false;
        let mut before_bound = None;
        for _ in 0..2 {
            let head = &text[item_start..p];
            if head.ends_with('各') {
                each = true;
                p -= '各'.len_utf8();
            } else if let Some((len, b)) = BOUND_BEFORE_ENDINGS.longest(head) {
                let word = &head[head.len() - len..];
                if before_bound.is_some() || (word == "近" && q.kind == UnitKind::Time) {
                    break;
                }
                before_bound = Some((p - len, b, word));
                p -= len;
            }
        }
        let prefix_end = p;
        let modality_word = marks.modality(clause_start, q.span.start);
        let mut modality = modality_word.map(|(_, _, m)| m);

        // The verb: a bound word that is one (`突破`), else the last verb
        // before the number. Next to the number, the subject comes before
        // it (`规上工业增加值增长5.5%`); away from it, the subject is its
        // object (`新增智能工厂150家`).
        let adjacent = |end: usize| skip_gaps(text, end, prefix_end) >= prefix_end;
        let bound_verb = before_bound.and_then(|(s, _, w)| verb_here(text, s, s + w.len()));
        let hit = match bound_verb {
            Some(v) => Some((v, v)),
            None => last_verb(text, item_start, prefix_end, skip),
        };
        let (mut verb, subject_range, mut shared_verb, next_to_number) = match (hit, &counted) {
            (_, Some(c)) => {
                let verb = match hit {
                    Some((_, last)) if adjacent(last.end) => Some(last.word),
                    _ => previous.as_ref().and_then(|p| p.verb),
                };
                (verb, (c.noun_start, c.end), true, false)
            }
            (Some((_, last)), None) if last.role == Role::Level || adjacent(last.end) => {
                (Some(last.word), (item_start, last.start), false, true)
            }
            (Some((first, _)), None) => (Some(first.word), (first.end, prefix_end), true, false),
            // `翻一番`: the quantity holds its verb.
            (None, None) if text[q.span.range()].starts_with('翻') => {
                (Some("翻"), (item_start, prefix_end), false, true)
            }
            (None, None) => match &previous {
                Some(prev) if prev.shared_verb => {
                    (prev.verb, (item_start, prefix_end), true, false)
                }
                _ => (None, (item_start, prefix_end), false, false),
            },
        };
        // `争取设备更新资金95亿元`: with no verb after it, 争取 is the verb
        // (to obtain), not a modality (`争取实现…`).
        if verb.is_none_or(|v| v == "争取")
            && let Some((at, len, _)) = modality_word
            && &text[at..at + len] == "争取"
        {
            verb = Some("争取");
            modality = None;
            shared_verb = true;
        }
        let verb_adjacent = hit.is_some_and(|(_, last)| adjacent(last.end));
        let (ss, se) = clean_subject(
            text,
            subject_range.0,
            subject_range.1,
            found,
            marks.baseline,
            next_to_number || !shared_verb,
        );
        let mut subject = (se > ss).then(|| Str::from(&text[ss..se]));
        // `A、B分别增长5%、6%`: A takes 5%, B the next item's 6%.
        let mut respective = Vec::new();
        if let Some(s) = &subject
            && !each
            && ends_respectively(text, subject_range.0, subject_range.1)
        {
            // Only a `、` list: in `城镇和农村居民人均可支配收入` the two
            // share a tail that splitting at 和 would cut off.
            let mut parts: Vec<String> = s.split('、').map(str::to_owned).collect();
            share_indicator_tail(&mut parts);
            if (2..=MAX_EACH).contains(&parts.len()) && parts.iter().all(|p| p.chars().count() >= 2)
            {
                let mut parts = parts.into_iter();
                subject = parts.next().map(Str::from);
                respective = parts.map(Str::from).collect();
            }
        }
        let beneficiary = subject
            .as_deref()
            .is_some_and(|s| BENEFICIARY_MARKS.iter().any(|b| s.starts_with(b)));
        let nominal = verb.is_some_and(|v| NOMINAL_VERBS.contains(&v));
        if next_to_number && nominal && (beneficiary || subject.is_none()) {
            // `为市场主体减负2500亿元`: the verb names the indicator.
            subject = verb.map(Str::from_static);
        }
        if subject.is_none() {
            if let Some(prev) = &previous {
                // `A、B分别增长5%、6%`: an empty item takes the next subject
                // of a `分别` list; otherwise it repeats the one before
                // (`增长5%、6%`).
                match prev.respective.split_first() {
                    Some((next, rest)) => {
                        subject = Some(next.clone());
                        respective = rest.to_vec();
                    }
                    None if prev.has_subject => subject = carried_subject(&carried, targets),
                    None => {}
                }
                if verb.is_none() {
                    verb = prev.verb;
                }
            } else if next_to_number {
                // `…达3.9万亿元，增长9.5%`: the clause goes on about the
                // subject before.
                subject = carried_subject(&carried, targets);
            }
        }
        if subject.is_none() && verb.is_none() {
            // `（7项）`: a count with nothing it counts is no commitment.
            continue;
        }
        if q.weak && !verb_adjacent {
            // `过去一年`, `关键一年`: a lone Chinese numeral commits only
            // right after its verb (`新增两家`).
            continue;
        }
        if char_before(text, q.span.start) == Some('前')
            && (q.unit_is(text, "位") || q.unit_is(text, "名"))
        {
            // `居全国前5位`: a rank.
            continue;
        }

        let bound = if q.bound == Some(Bound::Range) {
            Bound::Range
        } else {
            after
                .or(before_bound.map(|(_, b, _)| b))
                .or(q.bound)
                .unwrap_or(Bound::Exact)
        };
        let phrase_start = {
            let mut s = item_start;
            loop {
                let t = skip_gaps(text, s, q.span.start);
                let t = joiner_end(text, t)
                    .filter(|&e| e <= q.span.start)
                    .unwrap_or(t);
                if t == s {
                    break;
                }
                s = t;
            }
            s
        };
        let span = Span::new(phrase_start, phrase_end);
        let normalized = q.normalized().unwrap_or(Normalized {
            value: q.value,
            unit: None,
            upper: q.upper,
        });
        let target = Target {
            text: Str::from(&text[span.range()]),
            span: span.shift(offset),
            value: q.value,
            unit: q.unit_text(text),
            normalized,
            kind: q.kind.kind(),
            bound,
            upper: q.upper,
            modality,
            verb: verb.map(Str::from_static),
            subject: None,
            each,
            year: year_at(horizons, &marks, q.span.start),
        };
        // `各` gives one target per subject; past `MAX_EACH` subjects (no
        // real list is that long) the list stays one target, `each` still
        // set, so that output grows linearly with the input. The last
        // target is the one built here, the others copies of it.
        let has_subject = subject.is_some();
        let parts = match (&subject, each) {
            (Some(s), true) => Some(split_subjects(s)).filter(|p| p.len() <= MAX_EACH),
            _ => None,
        };
        match parts {
            Some(mut parts) => {
                if let Some(last) = parts.pop() {
                    for part in parts {
                        targets.push(Target {
                            subject: Some(part),
                            ..target.clone()
                        });
                    }
                    targets.push(Target {
                        subject: Some(last),
                        ..target
                    });
                }
            }
            None => {
                if has_subject {
                    carried = Some(Carried::Target(targets.len()));
                }
                // Pushed as it is and given its subject in the vector: a
                // target is large, and a struct update would copy it once
                // more.
                targets.push(target);
                if let Some(t) = targets.last_mut() {
                    t.subject = subject.take();
                }
            }
        }
        // Still here: the subject of a `各` list, split among its targets.
        if let Some(s) = subject {
            carried = Some(Carried::Held(s));
        }
        previous = Some(Item {
            verb,
            has_subject,
            shared_verb,
            respective,
        });
        item_start =
            joiner_end(text, skip_gaps(text, phrase_end, text.len())).unwrap_or(phrase_end);
    }
    // Exactly as many as there are: most tasks hold one or two targets,
    // and the spare room of a grown vector would be a third of the model.
    let mut out = Vec::with_capacity(targets.len());
    out.append(targets);
    (out, diagnostics)
}

/// A counted noun after a count: where the noun starts and the item ends.
struct Counted {
    noun_start: usize,
    end: usize,
}

/// `新增6个“一件事”`, `开展不少于100个多式联运示范工程`: a count right after
/// its verb (a bound word may come between), or first in a list item after
/// one that had a verb, then the noun it counts up to the end of the item,
/// with no other quantity in it and no verb but a last, nominal one
/// (`示范工程建设`).
fn counted_noun(
    text: &str,
    q: &Found,
    after_end: usize,
    clause_end: usize,
    found: &[Found],
    item_start: usize,
    previous: Option<&Item>,
) -> Option<Counted> {
    if !matches!(q.kind, UnitKind::Count(_) | UnitKind::People) {
        return None;
    }
    let head = text
        .get(item_start..q.span.start)?
        .trim_end_matches(super::unit::is_gap);
    let head = match BOUND_BEFORE_ENDINGS.longest(head) {
        Some((len, _)) => &head[..head.len() - len],
        None => head,
    };
    let verb_before = VERB_ENDINGS.longest(head).is_some();
    let continues_list = head.trim_matches(super::unit::is_gap).is_empty()
        && previous.is_some_and(|p| p.verb.is_some());
    if !verb_before && !continues_list {
        return None;
    }
    let stop = text[after_end..clause_end]
        .find('、')
        .map_or(clause_end, |i| after_end + i);
    if any_found_in(found, after_end, stop) {
        return None;
    }
    let noun = text[after_end..stop].trim_end_matches(super::unit::is_gap);
    let end = after_end + noun.len();
    if !noun.chars().any(is_han) || noun.chars().count() > 20 {
        return None;
    }
    if first_verb(text, after_end, end).is_some_and(|v| v.end < end) {
        return None;
    }
    Some(Counted {
        noun_start: after_end,
        end,
    })
}

/// A number with no unit that looks meant as a target: Arabic (or a long
/// Chinese numeral), then one to three Han characters that end the item
/// and are not an obvious non-unit (`年`, `大`, `强` …).
fn unknown_unit(
    text: &str,
    f: &Found,
    clause_end: usize,
    in_quotes: bool,
) -> Option<(DiagnosticKind, Span)> {
    let q = f;
    if in_quotes || f.weak || q.upper.is_some() {
        return None;
    }
    let start = f.numeral_end;
    let first = char_at(text, start)?;
    if !is_han(first) || NOT_UNITS.contains(&first) {
        return None;
    }
    let mut end = start;
    for _ in 0..3 {
        match char_at(text, end) {
            Some(c) if is_han(c) && !(end > start && NOT_UNITS.contains(&c)) => end += c.len_utf8(),
            _ => break,
        }
    }
    let (after, _) = bound_after(text, end);
    if !ends_item(text, after, clause_end) {
        return None;
    }
    let unit = text[start..end].to_owned();
    Some((
        DiagnosticKind::UnknownUnit { unit },
        Span::new(q.span.start, end),
    ))
}

#[cfg(test)]
mod tests {
    use super::{
        Found, LIST_JOINERS, MODALITY, MODALITY_FIRST, SUBJECT_LEAD_INS, SUBJECT_TAILS, UnitKind,
        clause_end_char, clean_subject, found_at, is_sentence_end, merge, skip_gaps,
        starts_joiner_word, starts_with_any, starts_with_word, verb_here,
    };
    use crate::quantity::find;

    /// The marks [`MarkReader::note`](super::MarkReader::note) notes
    /// inline are what its general path makes of them.
    #[test]
    fn inline_marks_are_plain_ends() {
        for c in ['，', '。'] {
            assert!(!MODALITY_FIRST.contains(c), "{c}");
            assert!(clause_end_char(c, || None) && clause_end_char(c, || Some('5')));
        }
        assert!(!is_sentence_end('，'));
        assert!(is_sentence_end('。'));
    }

    /// Every mark noted, by the inline path and the general one alike,
    /// gives the marks a plain walk over the characters gives.
    #[test]
    fn noted_marks_match_a_char_walk() {
        use super::{MARK_CHARS, MarkReader, Marks};
        let text = "力争，确保。“五”，《十》（一）；。\n2.5，a.b将由从";
        let mut v: [Vec<usize>; 4] = Default::default();
        let (mut quotes, mut modalities, mut open) = (Vec::new(), Vec::new(), Vec::new());
        let [clause_ends, sentence_ends, quote_reach, baseline] = &mut v;
        let marks = Marks {
            clause_ends,
            sentence_ends,
            quotes: &mut quotes,
            quote_reach,
            modalities: &mut modalities,
            baseline,
        };
        let mut reader = MarkReader::new(text, marks, &mut open);
        for (i, c) in text.char_indices().filter(|&(_, c)| MARK_CHARS.contains(c)) {
            reader.note(i, c as u32);
        }
        let marks = reader.finish();
        let expected_clauses: Vec<usize> = text
            .char_indices()
            .filter(|&(i, c)| {
                !MODALITY_FIRST.contains(c)
                    && clause_end_char(c, || text[i + c.len_utf8()..].chars().next())
            })
            .map(|(i, _)| i)
            .collect();
        let expected_sentences: Vec<usize> = text
            .char_indices()
            .filter(|&(_, c)| is_sentence_end(c))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(*marks.clause_ends, expected_clauses);
        assert_eq!(*marks.sentence_ends, expected_sentences);
        assert_eq!(marks.quotes.len(), 2);
        assert_eq!(marks.modalities.len(), 2);
        assert_eq!(*marks.baseline, baseline_of(text));
        assert_eq!(marks.baseline.len(), 3);
    }

    /// Where `将` `由` `从` are in `text`, by a walk over its characters.
    fn baseline_of(text: &str) -> Vec<usize> {
        text.char_indices()
            .filter(|&(_, c)| matches!(c, '将' | '由' | '从'))
            .map(|(i, _)| i)
            .collect()
    }

    /// Every character boundary of `text`, its end included.
    fn boundaries(text: &str) -> Vec<usize> {
        text.char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect()
    }

    /// [`BaselineMarks::among`](super::BaselineMarks::among) and the walk
    /// it replaces, on every range of character boundaries of `text`.
    fn check_baseline_marks(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        use super::BaselineMarks;
        let baseline = baseline_of(text);
        let bounds = boundaries(text);
        for &from in &bounds {
            for &to in bounds.iter().filter(|&&to| to >= from) {
                proptest::prop_assert_eq!(
                    BaselineMarks::among(text, &baseline, from, to),
                    BaselineMarks::of(text, from, to),
                    "{:?} {} {}",
                    text,
                    from,
                    to
                );
            }
        }
        Ok(())
    }

    #[test]
    fn baseline_marks_match_the_walk_on_edge_cases() {
        for text in [
            "",
            "将",
            "由从",
            "从由从由将从",
            "将A由30%从5%由B从",
            "从从由由将将",
            "将规上工业增加值由30%提高至50%",
        ] {
            check_baseline_marks(text).unwrap();
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn baseline_marks_match_the_walk(s in proptest::collection::vec(
            proptest::sample::select(vec!["将", "由", "从", "a", "值", "30%", "🙂", "，"]),
            0..12,
        )) {
            check_baseline_marks(&s.concat())?;
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        /// [`count_below`](super::count_below), from any cursor, is the
        /// binary search it replaces.
        #[test]
        fn count_below_is_the_binary_search(
            mut sorted in proptest::collection::vec(0usize..60, 0..12),
            positions in proptest::collection::vec(0usize..70, 0..12),
            cursor in 0usize..16,
        ) {
            sorted.sort_unstable();
            let mut cursor = cursor;
            for pos in positions {
                let k = super::count_below(&sorted, pos, &mut cursor);
                proptest::prop_assert_eq!(k, sorted.partition_point(|&e| e < pos));
                proptest::prop_assert_eq!(cursor, k);
            }
        }
    }

    /// The merge of [`merge`] as it was, into a new vector.
    fn merge_by_copy(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
        ranges.sort_unstable();
        let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (s, e) in ranges {
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        out
    }

    #[test]
    fn merge_in_place_matches_a_copy() {
        for ranges in [
            vec![],
            vec![(3, 5)],
            vec![(5, 9), (1, 3), (3, 4), (8, 12), (20, 21), (0, 0), (21, 21)],
            vec![(1, 10), (2, 3), (4, 5), (10, 11)],
        ] {
            let mut v = ranges.clone();
            merge(&mut v);
            assert_eq!(v, merge_by_copy(ranges));
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn merge_matches_a_copy(ranges in proptest::collection::vec((0usize..40, 0usize..12), 0..20)) {
            let ranges: Vec<(usize, usize)> = ranges.into_iter().map(|(s, l)| (s, s + l)).collect();
            let mut v = ranges.clone();
            merge(&mut v);
            proptest::prop_assert_eq!(v, merge_by_copy(ranges));
        }
    }

    /// [`MarkReader::note`](super::MarkReader::note) tests for a sentence
    /// end only at clause ends.
    #[test]
    fn every_sentence_end_ends_a_clause() {
        for c in '\0'..='\u{ffff}' {
            if is_sentence_end(c) {
                assert!(clause_end_char(c, || None), "{c:?}");
                assert!(clause_end_char(c, || Some('5')), "{c:?}");
            }
        }
    }

    /// [`clean_subject`](super::clean_subject) as it was: a search for
    /// each baseline mark, and every word table tried at every step.
    fn clean_subject_reference(
        text: &str,
        from: usize,
        to: usize,
        found: &[Found],
        strip_verb: bool,
    ) -> (usize, usize) {
        let mut s = from;
        let mut e = to.max(from);
        // `将X由30%提高至50%`: X is the subject; 由30% is its baseline.
        if let Some(i) = text[s..e].rfind('将')
            && !text[s + i + 3..e].starts_with(['近', '来', '要', '于'])
        {
            s += i + 3;
        }
        for mark in ['由', '从'] {
            if let Some(i) = text[s..e].rfind(mark)
                && found_at(found, skip_gaps(text, s + i + 3, e)).is_some()
            {
                e = s + i;
            }
        }
        loop {
            let before = s;
            s = skip_gaps(text, s, e);
            let rest = &text[s..e];
            if let Some(c) = rest.chars().next()
                && (matches!(c, '、' | '，' | ',' | '；' | ';' | '。' | '：' | ':')
                    || c == '\u{feff}')
            {
                s += c.len_utf8();
            } else if let Some((len, _)) = starts_with_any(rest, MODALITY) {
                s += len;
            } else if let Some(w) =
                starts_with_word(rest, SUBJECT_LEAD_INS).filter(|_| !starts_joiner_word(rest))
            {
                s += w.len();
            } else if let Some(v) = verb_here(text, s, e)
                .filter(|v| strip_verb && v.end < e && !text[v.end..e].starts_with('的'))
            {
                s = v.end;
            } else if let Some(f) = found_at(found, s).filter(|f| f.kind == UnitKind::Date) {
                // `到2025年`: the horizon is not the subject.
                s = f.span.end;
                let r = &text[s..e];
                s += ["底前", "年底前", "底", "末", "前"]
                    .iter()
                    .find(|w| r.starts_with(**w))
                    .map_or(0, |w| w.len());
            } else if ["到", "至"].iter().any(|w| rest.starts_with(w))
                && found_at(found, s + 3).is_some_and(|f| f.kind == UnitKind::Date)
            {
                s += 3;
            }
            if s == before {
                break;
            }
        }
        loop {
            let t = &text[s..e];
            let mut trimmed = t.trim_end_matches(|c: char| {
                crate::quantity::unit::is_gap(c) || matches!(c, '、' | '的' | '各')
            });
            if let Some(w) = SUBJECT_TAILS
                .iter()
                .find(|w| trimmed.ends_with(**w) && trimmed.len() > w.len())
            {
                trimmed = &trimmed[..trimmed.len() - w.len()];
            }
            if trimmed.len() == t.len() {
                break;
            }
            e = s + trimmed.len();
        }
        (s, e)
    }

    /// [`clean_subject`] and [`clean_subject_reference`] on every range of
    /// `text` whose ends are character boundaries, with and without
    /// stripping a verb.
    ///
    /// A subject never ends inside a quantity or where a date starts (its
    /// callers end it at a verb, a bound word, a list joiner, or the
    /// quantity it is the subject of, never a date): both versions slice
    /// out of range there, so those ends are left out.
    fn check_clean_subject(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let found = find::scan(text);
        let baseline = baseline_of(text);
        let bounds = boundaries(text);
        let can_end = |e: usize| {
            !found.iter().any(|f| {
                (f.span.start < e && e < f.span.end)
                    || (f.span.start == e && f.kind == UnitKind::Date)
            })
        };
        for &from in &bounds {
            for &to in bounds.iter().filter(|&&to| can_end(to.max(from))) {
                for strip_verb in [false, true] {
                    proptest::prop_assert_eq!(
                        clean_subject(text, from, to, &found, &baseline, strip_verb),
                        clean_subject_reference(text, from, to, &found, strip_verb),
                        "{:?} {} {} {}",
                        text,
                        from,
                        to,
                        strip_verb
                    );
                }
            }
        }
        Ok(())
    }

    #[test]
    fn clean_subject_matches_the_reference_on_edge_cases() {
        for text in [
            "",
            "将",
            "将近",
            "将规上工业增加值由30%提高至50%",
            "将规上工业增加值由30%提高至将",
            "从2020年的",
            "从A由30%从5%",
            "由从30%",
            "从由30%",
            "由 30%从 5%由",
            "力争到2025年底前带动制造业投资、的",
            "其中和美乡村分别",
            "：确保实现新增建设用地的各",
            "\u{feff}到2025年，全年累计合计",
            "和及以及并同时预计同比年均再",
            "将于由30%从2020年从3%",
        ] {
            check_clean_subject(text).unwrap();
        }
    }

    /// The characters [`clean_subject`] finds its marks and words by.
    fn subject_pieces() -> Vec<&'static str> {
        vec![
            "将", "由", "从", "近", "来", "要", "于", "30", "5%", "2025年", "年", "底前", "底",
            "到", "至", "力争", "确保", "争", "带动", "和", "和美", "以及", "及", "并", "新增",
            "增长", "建设", "用地", "的", "各", "、", "，", "：", " ", "\u{3000}", "分别", "同比",
            "累计", "在", "再", "指标", "\u{feff}", "a",
        ]
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn clean_subject_matches_the_reference(s in proptest::collection::vec(
            proptest::sample::select(subject_pieces()),
            0..10,
        )) {
            check_clean_subject(&s.concat())?;
        }
    }

    /// The thread's buffers are left empty after a call.
    #[test]
    fn buffers_are_left_empty() {
        for text in [
            "力争规上工业增加值增长5.5%。",
            "新增智能工厂150家、数字化车间300个，培育领军企业10家、专精特新企业200家，实现产值3000亿元。",
            "没有数字的任务。",
        ] {
            let (targets, _) = super::extract(text, 0);
            assert_eq!(targets.is_empty(), text.starts_with('没'), "{text}");
            super::SCRATCH.with(|cell| {
                let scratch = cell.borrow();
                assert!(!scratch.in_use && scratch.found.is_empty() && scratch.skip.is_empty());
            });
        }
    }

    /// [`joiner_end`](super::joiner_end) as it was: both tables tried at
    /// every position.
    fn joiner_end_reference(text: &str, pos: usize) -> Option<usize> {
        let rest = text.get(pos..)?;
        if starts_joiner_word(rest) {
            return None;
        }
        starts_with_word(rest, LIST_JOINERS).map(|w| pos + w.len())
    }

    #[test]
    fn joiner_end_matches_the_reference() {
        for text in [
            "、和及以及与并和美和谐并购与会以",
            "a和b及c以及d与e并f、",
            "",
            "以",
            "和",
        ] {
            for pos in 0..=text.len() + 1 {
                assert_eq!(
                    super::joiner_end(text, pos),
                    joiner_end_reference(text, pos),
                    "{text:?} {pos}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn joiner_ends_match_the_reference(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "、", "和", "及", "以", "以及", "与", "并", "美", "谐", "购", "会", "a", " ", "5",
            ]),
            0..8,
        )) {
            let text = s.concat();
            for pos in 0..=text.len() {
                proptest::prop_assert_eq!(
                    super::joiner_end(&text, pos),
                    joiner_end_reference(&text, pos)
                );
            }
        }
    }

    /// [`split_subjects`](super::split_subjects) as it was: a split at
    /// each joiner in turn.
    fn split_subjects_reference(subject: &str) -> Vec<String> {
        let mut parts = vec![subject.to_owned()];
        for j in LIST_JOINERS {
            parts = parts
                .iter()
                .flat_map(|p| p.split(j).map(str::to_owned).collect::<Vec<_>>())
                .collect();
        }
        parts.retain(|p| !p.trim().is_empty());
        parts
    }

    /// [`JOINER_CHARS`](super::JOINER_CHARS) are the one-character
    /// joiners, and each longer joiner holds one listed before it.
    #[test]
    fn joiner_chars_are_the_joiners() {
        let singles: Vec<char> = LIST_JOINERS
            .iter()
            .filter(|w| w.chars().count() == 1)
            .filter_map(|w| w.chars().next())
            .collect();
        assert_eq!(singles, super::JOINER_CHARS);
        for (k, w) in LIST_JOINERS.iter().enumerate() {
            if w.chars().count() > 1 {
                assert!(
                    LIST_JOINERS[..k]
                        .iter()
                        .any(|j| j.chars().count() == 1 && w.contains(j)),
                    "{w}"
                );
            }
        }
    }

    #[test]
    fn split_subjects_matches_the_reference_on_edge_cases() {
        for s in [
            "",
            "领军人才、优秀青年人才",
            "A以及B",
            "以及",
            "A和B及C与D并E、F",
            " 、 和",
            "以及以及及以",
        ] {
            assert_eq!(
                super::split_subjects(s),
                split_subjects_reference(s),
                "{s:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn split_subjects_matches_the_reference(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "、", "和", "及", "以", "以及", "与", "并", "人才", " ", "\u{3000}", "a",
            ]),
            0..10,
        )) {
            let s = s.concat();
            proptest::prop_assert_eq!(super::split_subjects(&s), split_subjects_reference(&s));
        }
    }

    /// A verb hit as plain values, to compare.
    fn hit_key(hit: Option<super::VerbHit>) -> Option<(usize, usize, &'static str)> {
        hit.map(|h| (h.start, h.end, h.word))
    }

    #[test]
    fn first_verb_matches_the_walk_by_chars_on_edge_cases() {
        for (text, from, to) in [
            ("新增企业20家", 0, 18),
            ("企业新增20家", 0, 18),
            ("企业新增20家", 1, 18),
            ("企业新增20家", 0, 10),
            ("增长", 0, 3),
            ("增长值", 0, 9),
            ("达到", 0, 6),
            ("", 0, 0),
            ("a新增", 0, 7),
            ("a新增", 1, 7),
            ("🙂新增", 0, 10),
            ("新增", 3, 1),
            ("新增", 0, 99),
        ] {
            assert_eq!(
                hit_key(super::first_verb(text, from, to)),
                hit_key(super::first_verb_by_chars(text, from, to)),
                "{text:?} {from}..{to}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn first_verb_matches_the_walk_by_chars(
            s in proptest::collection::vec(
                proptest::sample::select(vec![
                    "新增", "增长", "增长到", "提高", "达", "达到", "达产", "增加值", "值", "翻",
                    "番", "累计", "完成", "企业", "a", "5", "%", "，", " ", "🙂", "的",
                ]),
                0..10,
            ),
            from in 0usize..40,
            to in 0usize..40,
        ) {
            let text = s.concat();
            proptest::prop_assert_eq!(
                hit_key(super::first_verb(&text, from, to)),
                hit_key(super::first_verb_by_chars(&text, from, to))
            );
        }
    }
}
