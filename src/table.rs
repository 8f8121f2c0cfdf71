//! Tables turned into text: a header row of column names (`序号`, `重点工作`,
//! `工作任务`, `牵头单位`, `责任单位`, `完成时限` …), then one row a task,
//! the cells separated by tabs, by runs of spaces (ASCII or U+3000) or by
//! `|` (Markdown, and text exported from HTML; `│` of box-drawn tables too).
//!
//! [`find_tables`] finds them among the lines; [`build`] turns one into
//! nodes. What is a table:
//!
//! - A **header row**: two or more cells, at least two of them known column
//!   names and at least half of them known, one of them a task column or a
//!   responsibility column; every cell short and without sentence
//!   punctuation. The header also decides how cells are separated: `|` when
//!   it has two pipes, else tabs when it has a tab, else runs of two or more
//!   spaces (or a single U+3000, when that finds more column names). A
//!   prose line with two spaces in it is never a header. In a spaces table
//!   whose header is padded to its columns, a cell's position says its
//!   column; otherwise cells are taken in order.
//! - Then **rows**, at least one. A row starts with a number in the
//!   `序号` column (or, without one, with a full set of cells). A line
//!   whose `序号` cell is empty, a line that finishes a row cut short (a
//!   cell with a paragraph break, as Word writes it), and a line with no
//!   separator at all continue the row before. Rule lines (`|---|`,
//!   `+----+`, `├──┼──┤`) are furniture; so are page numbers and running
//!   heads the layout stage marked (skipped here). A merged row with only
//!   its first cell filled (`一、稳定经济增长`) is a heading inside the
//!   table, and so is an outline marker line followed by a row.
//! - The table **ends** at a blank line followed by anything but a row, at
//!   an outline marker or a responsibility label on a line of its own, at a
//!   note, an attachment, a date or a line ending in a colon, and at the
//!   header of another table.
//!
//! What a table becomes ([`build`]):
//!
//! - The header row is a [`NodeKind::Paragraph`] node whose text is the
//!   line and whose `cells` are the column names.
//! - Each row is a [`NodeKind::Task`] node: its marker is the `序号` cell
//!   ([`MarkerStyle::Row`]), its text the task cell (joined when it wraps,
//!   with `segments`), its `cells` every non-empty cell with its column's
//!   name, its responsibility one [`ResponsibilityForm::Table`] statement
//!   read from the lead, responsible, cooperating and deadline columns.
//! - A category column (`重点工作` beside a task column, `类别`, `领域` …)
//!   groups rows under [`NodeKind::Heading`] nodes; an empty category cell
//!   (a merged cell) keeps the row under the current heading.
//! - Rule lines are [`FurnitureKind::TableRule`] furniture, so that every
//!   character of the table is accounted for; the pipes between the cells
//!   of a `|` table are layout, like the tabs of a tab-separated one.

use crate::agency::parse_list;
use crate::diagnostic::Diagnostic;
use crate::lines::{
    Line, LineKind, chinese_small_number, digits_value, is_space, marker, trim_span,
};
use crate::model::{
    Agency, Cell, Furniture, FurnitureKind, Marker, MarkerStyle, Node, NodeKind, Responsibility,
    ResponsibilityForm, Role,
};
use crate::outline::{join, remap};
use crate::span::{Span, Text};
use crate::string::Str;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// A table found among the lines: `lines[start..end]`, indices into the
/// slice given to [`find_tables`]. It starts at its header row (or at a
/// rule line right above it) and ends after its last row or rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub start: usize,
    pub end: usize,
}

/// The nodes of one table, in text order, with its furniture and the
/// diagnostics found in its cells.
#[derive(Debug, Default)]
pub(crate) struct Built {
    pub nodes: Vec<Node>,
    pub furniture: Vec<Furniture>,
    pub diagnostics: Vec<Diagnostic>,
}

// ---- columns ----

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    /// `序号`, `编号`.
    Number,
    /// `类别`, `领域`: only ever a category.
    Category,
    /// `重点工作`, `主要任务`: the task, or the category when the table has
    /// a more specific task column too.
    Primary,
    /// `工作任务`, `具体任务`, `工作内容` ….
    Task,
    Lead,
    Responsible,
    Cooperating,
    Deadline,
    /// `工作目标`, `目标`: text that can stand for the task when there is
    /// no task column.
    Aux,
    /// `备注`, `责任领导`: kept, not interpreted.
    Meta,
    /// Anything else (kept, not interpreted).
    Other,
}

/// Column names as written in headers (spaces and a trailing bracket
/// removed), by what the column holds; names separated by spaces.
const COLUMN_NAMES: &[(Col, &str)] = &[
    (Col::Number, "序号 编号 序 No. NO. No no. 番号"),
    (
        Col::Category,
        concat!(
            "类别 领域 项目 工作类别 任务类别 重点领域 ",
            "工作领域 板块 工作板块 分类 类型 专项 项目类别 ",
            "方面",
        ),
    ),
    (
        Col::Primary,
        "重点工作 主要任务 重点任务 主要工作 工作重点 重点事项",
    ),
    (
        Col::Task,
        concat!(
            "工作任务 具体任务 工作内容 目标任务 任务内容 ",
            "具体工作 工作措施 具体措施 主要内容 任务 ",
            "工作事项 事项 重点工作任务 任务名称 主要措施 ",
            "重点工作内容 具体内容 任务措施 工作举措 主要举措 ",
            "具体工作任务 内容 目标任务及措施 工作任务及措施 ",
            "具体事项 任务事项 重点任务内容 改革任务 政策措施 ",
            "具体工作措施",
        ),
    ),
    (
        Col::Lead,
        concat!(
            "牵头单位 牵头部门 主办单位 主责单位 牵头 ",
            "牵头责任单位 牵头责任部门 主要责任单位 牵头落实单位",
        ),
    ),
    (
        Col::Responsible,
        concat!(
            "责任单位 责任部门 责任主体 落实单位 承办单位 ",
            "实施单位 具体责任单位 责任科室 责任处室 承担单位 ",
            "负责单位 责任单位及责任人",
        ),
    ),
    (
        Col::Cooperating,
        concat!(
            "配合单位 配合部门 参与单位 参与部门 协办单位 ",
            "协同单位 协作单位 配合 协助单位 协同部门 ",
            "协作部门 配合责任单位",
        ),
    ),
    (
        Col::Deadline,
        concat!(
            "完成时限 完成时间 时间节点 时限 时限要求 ",
            "完成期限 进度安排 时间安排 完成时间节点 时间进度 ",
            "进度要求 完成时限要求 时间要求 完成时序",
        ),
    ),
    (
        Col::Meta,
        concat!(
            "责任领导 牵头领导 分管领导 责任人 联系人 ",
            "备注 联系领导 牵头市领导 牵头区领导 牵头县领导 ",
            "分管市领导 分管区领导 分管县领导 领导 进展情况 ",
            "完成情况 工作进展",
        ),
    ),
    (
        Col::Aux,
        concat!(
            "工作目标 目标 预期目标 年度目标 目标值 考核指标 ",
            "指标 主要目标 预期成果 成果形式 完成标志 ",
            "工作标准 完成标准 主要指标 年度任务",
        ),
    ),
];

/// Every name of [`COLUMN_NAMES`] with what its column holds, sorted by
/// name for a binary search. A name listed under two kinds keeps the first
/// (a search of the list in order finds that one).
static COLUMN_INDEX: LazyLock<Vec<(&'static str, Col)>> = LazyLock::new(|| {
    let mut index: Vec<(&'static str, Col)> = COLUMN_NAMES
        .iter()
        .flat_map(|&(kind, names)| names.split(' ').map(move |name| (name, kind)))
        .collect();
    // A stable sort keeps a name's kinds in list order; dedup keeps the first.
    index.sort_by_key(|&(name, _)| name);
    index.dedup_by_key(|&mut (name, _)| name);
    index
});

fn column_kind(name: &str) -> Col {
    let ignored = |c: char| is_space(c) || matches!(c, '*' | '#' | '`');
    // Most names have nothing to remove: no copy then.
    let compact: Cow<'_, str> = if name.contains(ignored) {
        Cow::Owned(name.chars().filter(|&c| !ignored(c)).collect())
    } else {
        Cow::Borrowed(name)
    };
    // `责任单位（部门）`, `完成时限（2023年）`: the bracket does not change
    // what the column is.
    let base = match compact.find(['（', '(', '【', '[']) {
        Some(at) if at > 0 => &compact[..at],
        _ => &compact[..],
    };
    let kind = COLUMN_INDEX
        .binary_search_by_key(&base, |&(name, _)| name)
        .map_or(Col::Other, |at| COLUMN_INDEX[at].1);
    if kind != Col::Other || base.chars().count() > 10 {
        return kind;
    }
    // Variants not listed: `牵头区直单位`, `区级责任部门`, `计划完成时间`.
    if base.contains("领导") || base.ends_with("人") {
        Col::Meta
    } else if base.ends_with("单位") || base.ends_with("部门") {
        if base.contains("牵头") || base.contains("主办") {
            Col::Lead
        } else if base.contains("配合") || base.contains("参与") || base.contains('协') {
            Col::Cooperating
        } else if base.contains("责任") || base.contains("落实") {
            Col::Responsible
        } else {
            Col::Other
        }
    } else if base.ends_with("时限") || base.ends_with("完成时间") {
        Col::Deadline
    } else {
        Col::Other
    }
}

/// One column of a table.
#[derive(Clone, Debug)]
struct Column {
    /// The header as written.
    name: Str,
    kind: Col,
    /// The header says the first unit listed leads (`责任单位（列第一位的为
    /// 牵头单位）`).
    lead_first: bool,
    /// Display columns of the header cell (spaces tables).
    start: usize,
    end: usize,
}

/// How the cells of a line are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    Pipe,
    Tab,
    /// Runs of two or more spaces (or a tab).
    Spaces,
    /// As `Spaces`, and a single U+3000 too.
    SpacesLoose,
}

impl Sep {
    fn positional(self) -> bool {
        matches!(self, Sep::Spaces | Sep::SpacesLoose)
    }
}

/// A table's columns, read from its header row.
#[derive(Clone, Debug)]
struct Layout {
    sep: Sep,
    cols: Vec<Column>,
    num: Option<usize>,
    task: Option<usize>,
    cat: Option<usize>,
    has_lead: bool,
    /// Spaces tables: the column whose cell starts a row, and whether a
    /// responsibility cell must be there too.
    key: usize,
    key_needs_resp: bool,
    /// Spaces tables: display column where column `j + 1` begins.
    bounds: Vec<usize>,
    /// Spaces tables: the header is padded to its columns' widths, so that
    /// a cell's position says its column. A header whose cells are only
    /// two spaces apart says nothing; its rows are read in order.
    aligned: bool,
}

impl Layout {
    /// A layout with no columns: what text outside any table is read with.
    fn empty() -> Layout {
        Layout {
            sep: Sep::Tab,
            cols: Vec::new(),
            num: None,
            task: None,
            cat: None,
            has_lead: false,
            key: 0,
            key_needs_resp: false,
            bounds: Vec::new(),
            aligned: false,
        }
    }

    fn n(&self) -> usize {
        self.cols.len()
    }

    /// Whether `other` names the same columns: its non-empty header cells,
    /// spaces removed, are this one's. That is how a header repeated (a
    /// table over several pages) is known; compared as written, not kept
    /// as a copy of the names with their spaces removed (only the header
    /// lines met inside a table are compared, and only once).
    fn same_names(&self, other: &Layout) -> bool {
        // A column has an empty name exactly when its cell is empty: a
        // cell is trimmed of spaces, and empty when nothing is left.
        let mut a = self.cols.iter().filter(|c| !c.name.is_empty());
        let mut b = other.cols.iter().filter(|c| !c.name.is_empty());
        fn unspaced(c: &Column) -> impl Iterator<Item = char> + '_ {
            c.name.chars().filter(|&c| !is_space(c))
        }
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if unspaced(x).eq(unspaced(y)) => {}
                _ => return false,
            }
        }
    }

    /// The column a piece starting at display column `at` is under.
    fn col_at(&self, at: usize) -> usize {
        self.bounds.partition_point(|&b| b <= at)
    }

    fn is_resp(&self, col: usize) -> bool {
        self.cols.get(col).is_some_and(|c| {
            matches!(
                c.kind,
                Col::Lead | Col::Responsible | Col::Cooperating | Col::Deadline
            )
        })
    }
}

// ---- lines and cells ----

/// A line as the table reader sees it: the raw line (indentation and
/// trailing tabs included) and where its trimmed text is.
struct View<'a> {
    raw: &'a str,
    /// Byte range of the trimmed text in `raw`.
    text: (usize, usize),
    /// Offset of `raw` in the source.
    base: usize,
    kind: LineKind,
}

impl View<'_> {
    fn text(&self) -> &str {
        &self.raw[self.text.0..self.text.1]
    }

    fn blank(&self) -> bool {
        self.text.0 == self.text.1
    }

    fn at(&self, p: Piece) -> &str {
        &self.raw[p.s..p.e]
    }

    fn span(&self, p: Piece) -> Span {
        Span::new(self.base + p.s, self.base + p.e)
    }
}

/// Where the line is as written in `source`: the raw line, the byte range
/// of its trimmed text in it, and the raw line's offset in `source`. A
/// line whose spans do not fit `source` is taken as its own text.
fn exact_parts<'a>(source: &'a str, line: &Line<'a>) -> (&'a str, (usize, usize), usize) {
    if line.raw.contains(line.span)
        && let Some(raw) = source.get(line.raw.range())
    {
        let text = (
            line.span.start - line.raw.start,
            line.span.end - line.raw.start,
        );
        if raw.get(text.0..text.1).is_some() {
            return (raw, text, line.raw.start);
        }
    }
    (line.text, (0, line.text.len()), line.span.start)
}

/// The trimmed text of the line as written in `source`: the
/// [`View::text`] of its [`exact_view`], without making the view.
fn exact_text<'a>(source: &'a str, line: &Line<'a>) -> &'a str {
    let (raw, (s, e), _) = exact_parts(source, line);
    &raw[s..e]
}

/// The line as written in `source`.
fn exact_view<'a>(source: &'a str, line: &Line<'a>) -> View<'a> {
    let (raw, text, base) = exact_parts(source, line);
    View {
        raw,
        text,
        base,
        kind: line.kind.clone(),
    }
}

/// One cell of one line: a byte range of the view's `raw` (empty for an
/// empty cell) and the display column it starts at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    s: usize,
    e: usize,
    col: usize,
}

impl Piece {
    fn is_empty(self) -> bool {
        self.s == self.e
    }
}

/// Characters that draw a table rather than say anything: the pipes and
/// box-drawing lines between cells. They need no node of their own.
#[cfg(test)]
fn is_layout(c: char) -> bool {
    is_pipe(c) || ('\u{2500}'..='\u{257f}').contains(&c)
}

fn is_pipe(c: char) -> bool {
    matches!(c, '|' | '｜' | '│' | '┃')
}

/// Display width in a monospaced rendering: CJK and full-width forms take
/// two columns.
fn width(c: char) -> usize {
    let u = c as u32;
    // The common cases first: ASCII and the like, and ideographs.
    if u < 0x1100 {
        return 1;
    }
    if (0x4E00..=0x9FFF).contains(&u) {
        return 2;
    }
    let wide = matches!(
        u,
        0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD
    );
    if wide { 2 } else { 1 }
}

/// Splits a line into cells. Tab tables split the raw line, so that
/// leading empty cells count; the others split the trimmed text. Pipe
/// tables lose the empty cells outside their outer pipes; spaces tables
/// have no empty cells at all.
///
/// Only the cells of spaces tables are placed by display column: the
/// pieces of tab and pipe tables have column 0.
fn split(v: &View<'_>, sep: Sep) -> Vec<Piece> {
    let mut pieces = Vec::new();
    split_into(v, sep, &mut pieces);
    pieces
}

/// [`split`] into `pieces` (emptied first): the reader splits every line
/// of a table into the one vector, kept from line to line.
fn split_into(v: &View<'_>, sep: Sep, pieces: &mut Vec<Piece>) {
    pieces.clear();
    let raw: &str = v.raw;
    match sep {
        Sep::Tab => cells_between(0, raw, raw.match_indices('\t'), pieces),
        Sep::Pipe => {
            let text = v.text();
            cells_between(
                v.text.0,
                text,
                text.match_indices(['|', '｜', '│', '┃']),
                pieces,
            );
            if text.ends_with(is_pipe) && pieces.last().is_some_and(|p| p.is_empty()) {
                pieces.pop();
            }
            if text.starts_with(is_pipe) && pieces.first().is_some_and(|p| p.is_empty()) {
                pieces.remove(0);
            }
        }
        Sep::Spaces | Sep::SpacesLoose => split_spaced(v, sep, pieces),
    }
}

/// The cells of `part` (at `base` in the view's raw line) between the
/// separators `seps` found in it, pushed onto `pieces`: each trimmed of
/// spaces, or, when it has nothing else, empty at the separator after it
/// (at the end for the last).
fn cells_between<'p>(
    base: usize,
    part: &'p str,
    seps: impl Iterator<Item = (usize, &'p str)>,
    pieces: &mut Vec<Piece>,
) {
    let mut from = 0;
    for (to, sep) in seps.chain(std::iter::once((part.len(), ""))) {
        let cell = part.get(from..to).unwrap_or_default();
        let body = cell.trim_start_matches(is_space);
        let s = to - body.len();
        let e = s + body.trim_end_matches(is_space).len();
        pieces.push(if s < e {
            Piece {
                s: base + s,
                e: base + e,
                col: 0,
            }
        } else {
            Piece {
                s: base + to,
                e: base + to,
                col: 0,
            }
        });
        from = to + sep.len();
    }
}

/// Spaces tables: cells are separated by runs of two or more spaces or a
/// tab (and, for [`Sep::SpacesLoose`], a single U+3000), and each is placed
/// by the display column it starts at; pushed onto `pieces`.
fn split_spaced(v: &View<'_>, sep: Sep, pieces: &mut Vec<Piece>) {
    let raw: &str = v.raw;
    let (lo, hi) = v.text;
    let loose = sep == Sep::SpacesLoose;
    let mut cur: Option<Piece> = None;
    // A run of spaces inside a cell: its length in chars, and whether it
    // has a tab or an ideographic space.
    let (mut run, mut run_tab, mut run_ideo) = (0usize, false, false);
    let mut col = 0usize;
    let mut at = 0;
    while let Some(&lead) = raw.as_bytes().get(at) {
        let i = at;
        // Most characters of most cells are ideographs from U+5000 to
        // U+9FFF (three bytes led by `E5` to `E9`): two columns wide, not
        // a space, taken without decoding them. Any other character is
        // decoded; `None` stands for an ideograph.
        let c = if (0xE5..=0xE9).contains(&lead) {
            at += 3;
            None
        } else {
            let Some(c) = raw.get(at..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            at += c.len_utf8();
            Some(c)
        };
        let w = match c {
            None => 2,
            Some('\t') => 8 - col % 8,
            Some(c) => width(c),
        };
        if i < lo || i >= hi {
            col += w;
            continue;
        }
        if let Some(c) = c.filter(|&c| is_space(c)) {
            if cur.is_some() {
                run += 1;
                run_tab |= c == '\t';
                run_ideo |= c == '\u{3000}';
            }
        } else {
            let cut = run >= 2 || run_tab || (loose && run_ideo);
            if cut && let Some(p) = cur.take() {
                pieces.push(p);
            }
            (run, run_tab, run_ideo) = (0, false, false);
            let piece_col = col;
            col += w;
            // The ideographs that follow in the text are more of this
            // piece: no run of spaces to cut at, nothing but the end and
            // the column to move on (what the loop would do for each).
            while at < hi
                && raw
                    .as_bytes()
                    .get(at)
                    .is_some_and(|b| (0xE5..=0xE9).contains(b))
            {
                at += 3;
                col += 2;
            }
            match &mut cur {
                Some(p) => p.e = at,
                None => {
                    cur = Some(Piece {
                        s: i,
                        e: at,
                        col: piece_col,
                    })
                }
            }
            continue;
        }
        col += w;
    }
    pieces.extend(cur);
}

/// A rule line: `|---|:---:|`, `+------+`, `├──┼──┤`, `————`.
fn is_rule(text: &str) -> bool {
    let mut dashes = 0;
    for c in text.chars() {
        match c {
            '-' | '=' | '─' | '━' | '═' | '—' | '－' | '＝' | '_' | '﹣' => dashes += 1,
            '|' | '｜' | '│' | '┃' | '║' | ':' | '：' | '+' | '＋' | '┌' | '┬' | '┐' | '├'
            | '┼' | '┤' | '└' | '┴' | '┘' | '┏' | '┳' | '┓' | '┣' | '╋' | '┫' | '┗' | '┻' | '┛'
            | '╔' | '╦' | '╗' | '╠' | '╬' | '╣' | '╚' | '╩' | '╝' | '┠' | '┨' | '┯' | '┷' | '┿'
            | '╂' => {}
            c if is_space(c) => {}
            _ => return false,
        }
    }
    dashes >= 3
}

/// Lines after a table that are not part of it: notes, attachments,
/// copy-to lines, notes in brackets, dates, lines ending in a colon.
static PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(?: (?:注|说明|备注|附注|附件|抄送|印发|来源|资料来源|数据来源)
              \s* [0-9０-９一二三四五六七八九十]* \s* [:：]
           | 附 \s* 件 \s* [0-9０-９一二三四五六七八九十]* $
           | 抄 \s* 送
           | [（(] (?:此件|本件)
           | [0-9０-９]{4} \s* 年 \s* [0-9０-９]{1,2} \s* 月 \s* [0-9０-９]{1,2} \s* 日 $ )
        | [:：]$",
    )
    .expect("prose regex is valid")
});

/// The number in a `序号` cell: `1`, `１`, `1.`, `（1）`, `一`, `十二`.
fn row_number(text: &str) -> Option<u32> {
    let t = text.trim_matches(|c: char| {
        is_space(c) || matches!(c, '.' | '．' | '、' | '（' | '）' | '(' | ')')
    });
    if t.is_empty() || t.chars().count() > 6 {
        return None;
    }
    if t.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return digits_value(t).filter(|&n| n > 0);
    }
    chinese_small_number(t)
}

/// A `序号` cell that starts a row: a number, or a short numbering such as
/// `1.2`, `3-1`.
fn starts_row(text: &str) -> bool {
    row_number(text).is_some()
        || (text.chars().count() <= 8
            && text
                .chars()
                .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
            && text.chars().all(|c| {
                c.is_ascii_digit()
                    || ('０'..='９').contains(&c)
                    || matches!(c, '.' | '．' | '-' | '－' | '—' | '、' | '_')
            }))
}

/// Marker styles that open a section of a table on a line of their own.
fn section_marker(kind: &LineKind) -> bool {
    matches!(
        kind,
        LineKind::Marker {
            style: MarkerStyle::ChineseComma
                | MarkerStyle::ParenChinese
                | MarkerStyle::Chapter
                | MarkerStyle::Section
                | MarkerStyle::Article,
            ..
        }
    )
}

// ---- the header ----

/// Whether `text` can be a header row at all, by tests every header
/// passes, cheapest first, so that the many lines that are not cost little
/// (most lines of most documents are not table headers, and the reader
/// asks it of every row of a table): a line of prose is mostly turned down
/// within its first twenty characters, a row at its first comma.
///
/// - its cells can be column names ([`cells_may_be_names`]);
/// - it has a separator: a tab, a pipe (`|`, `｜`, `│`, `┃`), an
///   ideographic space or two ASCII spaces in a row;
/// - it has two of the words one of which every header has, not
///   overlapping ([`hint_words`]).
///
/// [`header_layout`] starts with this test, so a line it turns down is
/// never a header: skipping such a line (and the work of making its view)
/// cannot lose a table.
fn may_be_header(text: &str) -> bool {
    cells_may_be_names(text)
        && (text.contains(['\t', '|', '｜', '│', '┃', '\u{3000}']) || text.contains("  "))
        && hint_words(text) >= 2
}

/// Whether the cells of `text` can be column names, whatever separates
/// them: `false` when `text` has a sentence mark (`。：:；;，`), a word of
/// more than 20 characters (a word: characters that are neither spaces nor
/// pipes, between two that are), or no space or pipe at all.
///
/// Why that is necessary: [`try_header`] turns down a header any of whose
/// cells has more than 20 characters or a sentence mark. Whatever the
/// separator, a cell only ends at a space ([`is_space`]: tabs, runs of
/// spaces, U+3000) or a pipe, and every character of the line that is
/// neither is in a cell (what [`split`] leaves out is spaces and the
/// separating pipes). So each word is inside one cell, which is at least as
/// long, and a sentence mark anywhere is in a cell. A line with no space or
/// pipe is one cell, and a header has two.
///
/// Ideographs (U+4000 to U+9FFF, three bytes led by `E4` to `E9`) are
/// neither spaces nor pipes nor marks: they are counted without decoding
/// them, the other characters are decoded and tested.
fn cells_may_be_names(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Characters in the current word; whether a space or pipe was seen.
    let mut word = 0;
    let mut parted = false;
    while let Some(&lead) = bytes.get(at) {
        if (0xE4..=0xE9).contains(&lead) {
            at += 3;
        } else {
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            at += c.len_utf8();
            if is_space(c) || is_pipe(c) {
                word = 0;
                parted = true;
                continue;
            }
            if matches!(c, '。' | '：' | ':' | '；' | ';' | '，') {
                return false;
            }
        }
        word += 1;
        if word > 20 {
            return false;
        }
    }
    parted
}

/// How many of the words one of which every header row has (`序号`,
/// `工作`, `单位`, `时限` …) `text` has, not overlapping, counted from the
/// left and at most 2: what
/// `序号|编号|工作|任务|单位|部门|时限|时间|节点|内容|领导|备注|措施|类别|领域|项目|事项|目标|要求|牵头|配合|责任|联系`
/// finds: every column name has one (`牵头`, `配合`, `责任人` and
/// `联系人` name columns with no other). Every word is two characters, so the leftmost match starts at
/// the first character that begins a word with the character after it,
/// and the next search starts after that word.
fn hint_words(text: &str) -> usize {
    let mut found = 0;
    let mut chars = text.chars();
    let mut prev = None;
    while let Some(c) = prev.take().or_else(|| chars.next()) {
        let Some(next) = chars.next() else {
            break;
        };
        let word = matches!(
            (c, next),
            ('序' | '编', '号')
                | ('工', '作')
                | ('任', '务')
                | ('单', '位')
                | ('部', '门')
                | ('时', '限' | '间')
                | ('节', '点')
                | ('内', '容')
                | ('领', '导' | '域')
                | ('备', '注')
                | ('措', '施')
                | ('类', '别')
                | ('项', '目')
                | ('事', '项')
                | ('目', '标')
                | ('要', '求')
                | ('牵', '头')
                | ('配', '合')
                | ('责', '任')
                | ('联', '系')
        );
        if word {
            found += 1;
            if found == 2 {
                break;
            }
        } else {
            // `next` may begin a word itself.
            prev = Some(next);
        }
    }
    found
}

/// The layout of `v` if it is a header row. `known` is the line already
/// split one way (the reader's rows), not split again that way.
fn header_layout(v: &View<'_>, known: Option<(Sep, &[Piece])>) -> Option<Layout> {
    let text = v.text();
    // A header separates its cells and names at least two columns.
    if !may_be_header(text) {
        return None;
    }
    let seps: &[Sep] = if text.chars().filter(|&c| is_pipe(c)).count() >= 2 {
        &[Sep::Pipe]
    } else if text.contains('\t') {
        &[Sep::Tab]
    } else if text.contains(is_space) {
        &[Sep::Spaces, Sep::SpacesLoose]
    } else {
        return None;
    };
    // Of the ways to split, the one that finds the most column names: a
    // single U+3000 between two names (`序号　工作任务`) separates them.
    let count_known = |l: &Layout| l.cols.iter().filter(|c| c.kind != Col::Other).count();
    let mut best: Option<Layout> = None;
    for &sep in seps {
        let split_here;
        let pieces = match known {
            Some((s, pieces)) if s == sep => pieces,
            _ => {
                split_here = split(v, sep);
                &split_here[..]
            }
        };
        if let Some(l) = try_header(v, sep, pieces)
            && best
                .as_ref()
                .is_none_or(|b| count_known(&l) > count_known(b))
        {
            best = Some(l);
        }
    }
    best
}

/// The layout of `v` split at `sep` into `pieces`, if it is a header row.
fn try_header(v: &View<'_>, sep: Sep, pieces: &[Piece]) -> Option<Layout> {
    let filled = pieces.iter().filter(|p| !p.is_empty()).count();
    if filled < 2 {
        return None;
    }
    // Every cell short and without sentence marks, tested before any is
    // named: most lines tried here are rows (the header repeated is looked
    // for on every row), turned down by a long cell.
    if pieces.iter().any(|&p| {
        let name = v.at(p);
        name.chars().count() > 20 || name.contains(['。', '：', ':', '；', ';', '，'])
    }) {
        return None;
    }
    // The columns, named only once the line is known to be a header: one
    // vector for the kinds and the columns both.
    let mut cols: Vec<Column> = pieces
        .iter()
        .map(|&p| Column {
            name: Str::new(),
            kind: if p.is_empty() {
                Col::Other
            } else {
                column_kind(v.at(p))
            },
            lead_first: false,
            start: p.col,
            end: p.col,
        })
        .collect();
    let known = cols.iter().filter(|c| c.kind != Col::Other).count();
    let central = cols.iter().any(|c| {
        matches!(
            c.kind,
            Col::Task | Col::Primary | Col::Lead | Col::Responsible | Col::Cooperating
        )
    });
    if known < 2 || known * 2 < filled || !central {
        return None;
    }
    for (col, &p) in cols.iter_mut().zip(pieces) {
        let name = v.at(p);
        let w: usize = name.chars().map(width).sum();
        col.name = Str::from(name);
        col.lead_first = name.contains("第一") && name.contains("牵头");
        col.end = p.col + w;
    }
    let first = |k: Col| cols.iter().position(|c| c.kind == k);
    let task = first(Col::Task)
        .or_else(|| {
            // Two primary columns (`重点工作`, `主要任务`): the second is the
            // task, the first the category.
            cols.iter().rposition(|c| c.kind == Col::Primary)
        })
        .or_else(|| first(Col::Aux));
    let cat = cols
        .iter()
        .enumerate()
        .position(|(j, c)| Some(j) != task && matches!(c.kind, Col::Category | Col::Primary));
    let num = first(Col::Number);
    let (key, key_needs_resp) = match (num, cols[0].kind) {
        (Some(n), _) => (n, false),
        (None, Col::Category) => (task.unwrap_or(0), true),
        (None, _) => (0, false),
    };
    let bounds = cols
        .windows(2)
        .map(|w| (w[0].end + w[1].start).div_ceil(2))
        .collect();
    let aligned = cols.windows(2).any(|w| w[1].start > w[0].end + 3);
    Some(Layout {
        sep,
        has_lead: cols.iter().any(|c| c.kind == Col::Lead),
        cols,
        num,
        task,
        cat,
        key,
        key_needs_resp,
        bounds,
        aligned,
    })
}

// ---- reading the rows ----

/// What one line of a table is.
#[derive(Clone, Debug)]
enum Step {
    /// The header row, or the header repeated.
    Header(Vec<Piece>),
    /// `|---|---|`.
    Rule,
    /// A row of a pipe table with every cell empty.
    Empty,
    /// A merged row that heads the rows after it: `一、稳定经济增长`.
    Section(Piece),
    /// A new row: its cells with their columns.
    Row(Vec<(usize, Piece)>),
    /// More of the row before.
    More(Vec<(usize, Piece)>),
}

/// The reader's state between lines.
#[derive(Clone, Copy, Debug, Default)]
struct State {
    blank: bool,
    has_row: bool,
    /// The column the last line of the row ended in.
    cur: usize,
    /// The row's last line stopped before the last column (tab and pipe
    /// tables): the next line finishes it.
    incomplete: bool,
    /// The line before was a rule: a line with no separator after it is
    /// not the table's.
    after_rule: bool,
    /// A row has been read since the header.
    rows_seen: bool,
    /// The table opened with a section row: an outline marker on a line of
    /// its own is a section of the table, not the document's next heading.
    sections: bool,
}

/// Cells in order, from column `from`; a cell past the last column goes
/// into the last one.
fn cellwise(layout: &Layout, pieces: &[Piece], from: usize) -> Vec<(usize, Piece)> {
    let last = layout.n().saturating_sub(1);
    pieces
        .iter()
        .enumerate()
        .map(|(i, &p)| ((from + i).min(last), p))
        .collect()
}

/// Spaces tables: each cell under the header cell it is aligned with; a
/// line with as many cells as the header takes them in order.
fn positional(layout: &Layout, pieces: &[Piece]) -> Vec<(usize, Piece)> {
    if pieces.len() == layout.n() || !layout.aligned {
        return cellwise(layout, pieces, 0);
    }
    let mut out = Vec::with_capacity(pieces.len());
    let mut last = 0;
    for &p in pieces {
        let c = layout.col_at(p.col).max(last);
        last = c;
        out.push((c, p));
    }
    out
}

/// Joins the pieces of one line that landed in the same column into one
/// (the spaces between them are the cell's own). In place: the cells only
/// ever get fewer, so the vector they came in holds the result.
fn merge_same(mut cells: Vec<(usize, Piece)>) -> Vec<(usize, Piece)> {
    // `cells[..kept]` are the merged cells so far.
    let mut kept = 0usize;
    for r in 0..cells.len() {
        let (c, p) = cells[r];
        match kept.checked_sub(1).map(|l| &mut cells[l]) {
            Some((lc, lp)) if *lc == c => {
                if lp.is_empty() {
                    *lp = p;
                } else if !p.is_empty() {
                    lp.e = p.e;
                }
            }
            _ => {
                cells[kept] = (c, p);
                kept += 1;
            }
        }
    }
    cells.truncate(kept);
    cells
}

/// Reads a table's lines from its header on. Each line's [`View`] is made
/// when it is looked at, and only the lines of a table (and the one after
/// it) are: a text of many lines with one small table makes a few views,
/// not one per line.
struct Reader<'v, 'a> {
    source: &'a str,
    lines: &'v [Line<'a>],
    layout: &'v Layout,
    /// One past the last line [`Reader::row_follows`] looked at: a table
    /// read among more lines than its own reads the same only if no line
    /// after its end was looked at (see [`Found::steps`]).
    looked: std::cell::Cell<usize>,
    /// The cells of the line being read (see [`Reader::step`]).
    pieces: std::cell::Cell<Vec<Piece>>,
}

impl<'a> Reader<'_, 'a> {
    /// Line `i` as the reader sees it.
    fn view(&self, i: usize) -> View<'a> {
        exact_view(self.source, &self.lines[i])
    }

    /// Reads the table whose header is line `h`: the line after its last
    /// line, and what each of its lines is.
    fn scan(&self, h: usize) -> (usize, Vec<(usize, Step)>) {
        let sep = self.layout.sep;
        let mut steps = vec![(h, Step::Header(split(&self.view(h), sep)))];
        let mut end = h + 1;
        let mut st = State::default();
        for i in h + 1..self.lines.len() {
            let v = &self.view(i);
            if v.blank() {
                st.blank = true;
                continue;
            }
            if matches!(v.kind, LineKind::Furniture(_)) {
                // A page number or running head between two pages of the
                // table: already accounted for by the layout stage.
                continue;
            }
            let looked = self.looked.get();
            let Some(step) = self.step(i, st) else {
                // The line is not the table's: what was looked at for it
                // does not change what the table's lines are.
                self.looked.set(looked);
                break;
            };
            match &step {
                Step::Header(_) | Step::Section(_) => {
                    st.sections |= matches!(step, Step::Section(_)) && !st.rows_seen;
                    st.has_row = false;
                    st.incomplete = false;
                }
                Step::Row(cells) | Step::More(cells) => {
                    let single = matches!(step, Step::More(_)) && cells.len() == 1;
                    if !single || st.incomplete {
                        let last = cells.last().map_or(st.cur, |&(c, _)| c);
                        st.cur = last;
                        st.incomplete = !sep.positional() && last + 1 < self.layout.n();
                    }
                    st.has_row = true;
                    st.rows_seen = true;
                }
                Step::Rule | Step::Empty => {}
            }
            st.blank = false;
            st.after_rule = matches!(step, Step::Rule);
            steps.push((i, step));
            end = i + 1;
        }
        (end, steps)
    }

    /// What line `i` is, or `None` when the table has ended before it.
    fn step(&self, i: usize, st: State) -> Option<Step> {
        let v = &self.view(i);
        if is_rule(v.text()) {
            return Some(Step::Rule);
        }
        if v.kind == LineKind::Label {
            return None;
        }
        // The line's cells go into the reader's vector, kept from line to
        // line: what the step keeps of them it copies.
        let mut pieces = self.pieces.take();
        split_into(v, self.layout.sep, &mut pieces);
        let step = self.step_cells(i, st, &pieces);
        self.pieces.replace(pieces);
        step
    }

    /// What line `i`, split into `pieces`, is (see [`Reader::step`]).
    fn step_cells(&self, i: usize, st: State, pieces: &[Piece]) -> Option<Step> {
        let v = &self.view(i);
        let layout = self.layout;
        let text = v.text();
        if pieces.iter().all(|p| p.is_empty()) {
            return (layout.sep == Sep::Pipe && !pieces.is_empty()).then_some(Step::Empty);
        }
        if let Some(other) = header_layout(v, Some((layout.sep, pieces))) {
            // The header again (a table over several pages), or another
            // table's, which ends this one.
            return other
                .same_names(layout)
                .then(|| Step::Header(pieces.to_vec()));
        }
        let single = if layout.sep.positional() {
            pieces.len() == 1
        } else {
            pieces.len() == 1 && !text.contains(['\t', '|', '｜', '│', '┃'])
        };
        if single {
            return self.single(i, st, pieces[0]);
        }
        if layout.sep.positional() {
            return self.spaced(v, st, pieces);
        }
        let n = layout.n();
        let k = pieces.len();
        // Only the first cell filled (a merged row)?
        let first_only = pieces.first().is_some_and(|p| !p.is_empty())
            && pieces.iter().skip(1).all(|p| p.is_empty());
        let num_text = layout
            .num
            .and_then(|c| pieces.get(c))
            .filter(|p| !p.is_empty())
            .map(|&p| v.at(p));
        let numbered = num_text.is_some_and(starts_row);
        if st.has_row && !st.blank && st.incomplete && !numbered && k <= n.saturating_sub(st.cur) {
            return Some(Step::More(merge_same(cellwise(layout, pieces, st.cur))));
        }
        // A merged row: only its first cell filled.
        if first_only
            && layout.cols[0].kind != Col::Category
            && ((layout.num == Some(0) && !numbered) || section_marker(&v.kind))
        {
            return Some(Step::Section(pieces[0]));
        }
        let row = || Some(Step::Row(merge_same(cellwise(layout, pieces, 0))));
        if layout.num.is_some() {
            if num_text.is_some() {
                if numbered || (!st.blank && k + 1 >= n) {
                    return row();
                }
                if st.has_row && !st.blank {
                    let from = layout.task.unwrap_or(st.cur);
                    return Some(Step::More(merge_same(cellwise(layout, pieces, from))));
                }
                return None;
            }
            if st.has_row && !st.blank {
                return Some(Step::More(merge_same(cellwise(layout, pieces, 0))));
            }
            return None;
        }
        if st.blank && k + 1 < n.max(3) {
            return None;
        }
        row()
    }

    /// A line with one cell and no separator.
    fn single(&self, i: usize, st: State, p: Piece) -> Option<Step> {
        let v = &self.view(i);
        let layout = self.layout;
        if st.has_row && !st.blank && !st.after_rule {
            if st.incomplete {
                return Some(Step::More(vec![(st.cur, p)]));
            }
            if layout.sep.positional() && layout.aligned {
                let col = layout.col_at(p.col);
                if col > 0 {
                    return Some(Step::More(vec![(col, p)]));
                }
            }
        }
        if section_marker(&v.kind) && (st.sections || !st.rows_seen) && self.row_follows(i + 1) {
            return Some(Step::Section(p));
        }
        if st.blank
            || st.after_rule
            || !st.has_row
            || matches!(v.kind, LineKind::Marker { .. })
            || PROSE.is_match(v.text())
        {
            return None;
        }
        let col = layout.task.unwrap_or(st.cur);
        Some(Step::More(vec![(col, p)]))
    }

    /// A line of a spaces table with two or more cells.
    fn spaced(&self, v: &View<'_>, st: State, pieces: &[Piece]) -> Option<Step> {
        let layout = self.layout;
        let cells = merge_same(positional(layout, pieces));
        let has = |col: usize| cells.iter().any(|&(c, _)| c == col);
        let keyed = has(layout.key)
            && (!layout.key_needs_resp || (0..layout.n()).any(|c| layout.is_resp(c) && has(c)));
        if keyed {
            if st.blank {
                let strong = match layout.num {
                    Some(c) => cells.iter().any(|&(cc, p)| cc == c && starts_row(v.at(p))),
                    None => cells.len() * 2 >= layout.n(),
                };
                if !strong {
                    return None;
                }
            }
            return Some(Step::Row(cells));
        }
        (st.has_row && !st.blank).then_some(Step::More(cells))
    }

    /// Whether the next non-blank line from `from` starts a row for sure:
    /// a number in the `序号` column, or (without one) most of the cells.
    fn row_follows(&self, from: usize) -> bool {
        let layout = self.layout;
        let Some((at, v)) = self.lines.get(from..).and_then(|rest| {
            rest.iter()
                .map(|l| exact_view(self.source, l))
                .enumerate()
                .find(|(_, v)| !v.blank() && !matches!(v.kind, LineKind::Furniture(_)))
        }) else {
            return false;
        };
        self.looked.set(self.looked.get().max(from + at + 1));
        if is_rule(v.text()) || v.kind == LineKind::Label {
            return false;
        }
        let pieces = split(&v, layout.sep);
        if pieces.iter().filter(|p| !p.is_empty()).count() < 2 {
            return false;
        }
        if layout.sep.positional() {
            let cells = merge_same(positional(layout, &pieces));
            return match layout.num {
                Some(c) => cells.iter().any(|&(cc, p)| cc == c && starts_row(v.at(p))),
                None => cells.len() * 2 >= layout.n(),
            };
        }
        match layout.num {
            Some(c) => pieces
                .get(c)
                .is_some_and(|&p| !p.is_empty() && starts_row(v.at(p))),
            None => pieces.len() + 1 >= layout.n().max(3),
        }
    }
}

/// Finds the tables among `lines`: a header row, then at least one row.
/// Regions do not overlap and come in text order.
#[cfg(test)]
pub(crate) fn find_tables<'a>(source: &'a str, lines: &[Line<'a>]) -> Vec<Region> {
    find(source, lines).map(|t| t.region).collect()
}

/// A table [`find`] found: its region, and its header row (an index into
/// the lines given to [`find`]) with the layout read from it, which
/// [`build_found`] takes rather than read the header again.
#[cfg_attr(test, derive(Clone))]
pub(crate) struct Found {
    pub region: Region,
    header: usize,
    layout: Layout,
    /// What each line of the table is, as [`find`] read it (indices into
    /// the lines given to [`find`]), for [`build_found`] not to read the
    /// table a second time. `None` when reading it looked at a line past
    /// its end ([`Reader::row_follows`] after a section row): the table
    /// read on its own lines, as [`build`] reads it, might then end
    /// sooner, so [`build_found`] reads it again on those.
    steps: Option<Vec<(usize, Step)>>,
}

/// The tables among `lines`, as [`find_tables`] finds them, each with its
/// header row and layout: one at a time, so that only the table being
/// built holds its lines' steps.
pub(crate) fn find<'a>(source: &'a str, lines: &[Line<'a>]) -> impl Iterator<Item = Found> {
    let mut i = 0;
    // Where the last table found ends.
    let mut floor = 0;
    std::iter::from_fn(move || {
        while i < lines.len() {
            if !may_be_header(exact_text(source, &lines[i])) {
                i += 1;
                continue;
            }
            let Some(layout) = header_layout(&exact_view(source, &lines[i]), None) else {
                i += 1;
                continue;
            };
            let reader = Reader {
                source,
                lines,
                layout: &layout,
                looked: Default::default(),
                pieces: Default::default(),
            };
            let (end, steps) = reader.scan(i);
            let looked = reader.looked.get();
            let h = i;
            // Lines a header-only scan went over cannot start a table either.
            i = end.max(i + 1);
            if steps.iter().any(|(_, s)| matches!(s, Step::Row(_))) {
                let start = if h > floor && is_rule(exact_text(source, &lines[h - 1])) {
                    h - 1
                } else {
                    h
                };
                floor = end;
                return Some(Found {
                    region: Region { start, end },
                    header: h,
                    layout,
                    steps: (looked <= end).then_some(steps),
                });
            }
        }
        None
    })
}

// ---- building the nodes ----

/// Role words at the end of a clause inside a cell: `省发展改革委牵头`,
/// `省经信厅、省科技厅配合`, `按职责分工负责`.
const ROLE_VERBS: [&str; 12] = [
    "牵头负责",
    "牵头落实",
    "牵头推进",
    "牵头",
    "负责落实",
    "负责推进",
    "负责",
    "配合落实",
    "配合",
    "参与",
    "协助",
    "协同",
];

/// Words that can come before a role word, and belong to it.
const ROLE_PREFIXES: [&str; 6] = [
    "按照职责分工",
    "按职责分工",
    "按职责",
    "分别",
    "共同",
    "具体",
];

/// The role word `clause` ends with, and where the words saying the role
/// start (a prefix of [`ROLE_PREFIXES`] before it, if any): what
/// `(?:按照?职责分工|按职责|分别|共同|具体)?(?P<verb>牵头(?:负责|落实|推进)?|负责(?:落实|推进)?|配合(?:落实)?|参与|协助|协同)$`
/// finds, written out. Every match ends where the clause does, so the
/// leftmost is the longest; and a clause ends in at most one way with a
/// given start (no role word starts like a prefix, and no two prefixes end
/// alike), so the longest says which role word it is.
fn role_end(clause: &str) -> Option<(usize, &str)> {
    // The last characters of the role words: most clauses are lists of
    // units, which end in none of them.
    if !clause.ends_with(['头', '责', '实', '进', '合', '与', '助', '同']) {
        return None;
    }
    crate::agency::ends_with_role(clause, &ROLE_VERBS, &ROLE_PREFIXES)
}

/// Text joined from pieces: the text, the span from first to last piece,
/// and the pieces when there are several.
fn joined(source: &str, spans: &[Span]) -> (Str, Span, Vec<Span>) {
    let text = join(source, spans);
    let cover = match (spans.first(), spans.last()) {
        (Some(a), Some(b)) => a.cover(*b),
        _ => Span::default(),
    };
    let segments = if spans.len() > 1 {
        spans.to_vec()
    } else {
        Vec::new()
    };
    (text, cover, segments)
}

/// The text of the pieces `spans`, one after the other, borrowed from
/// `source` when there is only one (most cells fit on one line): for text
/// that is read and dropped.
fn joined_cow<'s>(source: &'s str, spans: &[Span]) -> Cow<'s, str> {
    match spans {
        [one] => Cow::Borrowed(&source[one.range()]),
        _ => Cow::Owned(join(source, spans).into()),
    }
}

/// Splits `text` at `，,；;` outside brackets: byte ranges, untrimmed,
/// one at a time (a cell is read through twice, and its clauses are never
/// kept: no vector of them).
#[derive(Clone)]
struct Clauses<'t> {
    text: &'t str,
    chars: std::str::CharIndices<'t>,
    depth: usize,
    /// Where the next clause starts; `None` once the last was given.
    from: Option<usize>,
}

fn clauses(text: &str) -> Clauses<'_> {
    Clauses {
        text,
        chars: text.char_indices(),
        depth: 0,
        from: Some(0),
    }
}

impl Iterator for Clauses<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let from = self.from?;
        for (i, c) in self.chars.by_ref() {
            match c {
                '（' | '(' | '[' | '【' | '［' => self.depth += 1,
                '）' | ')' | ']' | '】' | '］' => self.depth = self.depth.saturating_sub(1),
                '，' | ',' | '；' | ';' if self.depth == 0 => {
                    self.from = Some(i + c.len_utf8());
                    return Some((from, i));
                }
                _ => {}
            }
        }
        self.from = None;
        Some((from, self.text.len()))
    }
}

/// The role a clause of a cell gives its list of agencies, in a column
/// whose role is `role`: the list's end in the clause (where its role
/// words start) and its role, or `None` when the clause ends in no role
/// word (the whole clause is a list in the column's role).
fn clause_role(piece: &str, role: Role) -> Option<(usize, Role)> {
    let trimmed = piece.trim_end_matches(|c: char| is_space(c) || c == '。');
    let (start, verb) = role_end(trimmed)?;
    let clause_role = if verb.starts_with("牵头") {
        Role::Lead
    } else if verb.starts_with("负责") {
        role
    } else {
        Role::Cooperating
    };
    Some((start, clause_role))
}

/// The agencies of a responsibility cell written at `spans` (one span a
/// line), in the role its column gives, unless a clause says otherwise
/// (`省发展改革委牵头，省经信厅配合`); and a deadline written in brackets
/// inside the list.
///
/// The cell's text is borrowed when it is one line; its clauses are walked
/// twice (is there a role word at all, then the lists) rather than
/// collected; and the agencies of the first list are taken as they come.
fn parse_cell(source: &str, spans: &[Span], role: Role) -> (Vec<Agency>, Option<Text>) {
    let text = joined_cow(source, spans);
    let text: &str = &text;
    let mut agencies: Vec<Agency> = Vec::new();
    let mut deadline = None;
    let mut list = |span: Span, role: Role| {
        let (mut found, d) = parse_list(text, span, role);
        for a in &mut found {
            a.span = remap(spans, a.span);
        }
        if agencies.is_empty() {
            agencies = found;
        } else {
            agencies.append(&mut found);
        }
        if deadline.is_none() {
            deadline = d.map(|d| Text {
                text: d.text,
                span: remap(spans, d.span),
            });
        }
    };
    if clauses(text).any(|(s, e)| clause_role(&text[s..e], role).is_some()) {
        for (s, e) in clauses(text) {
            match clause_role(&text[s..e], role) {
                Some((start, clause_role)) => list(Span::new(s, s + start), clause_role),
                None => list(Span::new(s, e), role),
            }
        }
    } else {
        list(Span::new(0, text.len()), role);
    }
    (agencies, deadline)
}

/// A heading's marker as [`Builder::heading_parts`] finds it: its style,
/// number and span.
type HeadingMarker = (MarkerStyle, u32, Span);

/// A heading under construction: a section row, or a category.
struct Heading {
    marker: Option<Marker>,
    text: Str,
    text_span: Span,
    segments: Vec<Span>,
    cells: Vec<Cell>,
    /// The category as compared between rows, spaces removed.
    key: String,
    children: Vec<Node>,
}

impl Heading {
    fn finish(self) -> Node {
        let mut span = self.text_span;
        if let Some(m) = &self.marker {
            span = span.cover(m.span);
        }
        for seg in self.cells.iter().flat_map(|c| &c.segments) {
            span = span.cover(*seg);
        }
        for c in &self.children {
            span = span.cover(c.span);
        }
        Node {
            kind: NodeKind::Heading,
            marker: self.marker,
            text: self.text,
            text_span: self.text_span,
            segments: self.segments,
            label: None,
            cells: self.cells,
            span,
            leader: None,
            responsibilities: Vec::new(),
            targets: Vec::new(),
            children: self.children,
        }
    }
}

/// A node with nothing but its text.
fn plain(kind: NodeKind, text: Str, text_span: Span) -> Node {
    Node {
        kind,
        marker: None,
        text,
        text_span,
        segments: Vec::new(),
        label: None,
        cells: Vec::new(),
        span: text_span,
        leader: None,
        responsibilities: Vec::new(),
        targets: Vec::new(),
        children: Vec::new(),
    }
}

struct Builder<'s, 'l> {
    source: &'s str,
    layout: &'l Layout,
    lead_first: bool,
    out: Built,
    top: Vec<Node>,
    section: Option<Heading>,
    category: Option<Heading>,
    /// The row being read: its pieces, column by column. The vectors are
    /// the builder's, kept from row to row (emptied, not dropped), so that
    /// a row's pieces cost no allocation once the first rows have grown
    /// them; what the model keeps of them is copied out at its length.
    row: Vec<Vec<Span>>,
    /// A row is being read (`row` holds it).
    row_open: bool,
}

impl<'s, 'l> Builder<'s, 'l> {
    /// A builder with nothing read yet.
    fn new(source: &'s str, layout: &'l Layout, lead_first: bool) -> Self {
        Builder {
            source,
            layout,
            lead_first,
            out: Built::default(),
            top: Vec::new(),
            section: None,
            category: None,
            row: Vec::new(),
            row_open: false,
        }
    }

    fn push(&mut self, node: Node) {
        if let Some(c) = &mut self.category {
            c.children.push(node);
        } else if let Some(s) = &mut self.section {
            s.children.push(node);
        } else {
            self.top.push(node);
        }
    }

    fn close_category(&mut self) {
        if let Some(c) = self.category.take() {
            let node = c.finish();
            match &mut self.section {
                Some(s) => s.children.push(node),
                None => self.top.push(node),
            }
        }
    }

    fn close_section(&mut self) {
        self.close_category();
        if let Some(s) = self.section.take() {
            self.top.push(s.finish());
        }
    }

    fn furniture(&mut self, span: Span) {
        self.out.furniture.push(Furniture {
            kind: FurnitureKind::TableRule,
            text: Str::from(&self.source[span.range()]),
            span,
        });
    }

    /// A line outside the table proper that `build` was given.
    fn loose(&mut self, v: &View<'_>) {
        if v.blank() || matches!(v.kind, LineKind::Furniture(_)) {
            return;
        }
        let span = Span::new(v.base + v.text.0, v.base + v.text.1);
        if is_rule(v.text()) {
            self.furniture(span);
        } else {
            self.close_section();
            self.top
                .push(plain(NodeKind::Paragraph, Str::from(v.text()), span));
        }
    }

    /// A heading written at the pieces `spans`: its marker (`一、`) at the
    /// start of the first piece, if any, and the pieces of its text, which
    /// are what is left of the first piece after the marker (unless that
    /// is nothing and more pieces follow) and the others.
    fn heading_parts<'r>(
        &self,
        spans: &'r [Span],
    ) -> (Option<HeadingMarker>, Option<Span>, &'r [Span]) {
        let Some((&first, others)) = spans.split_first() else {
            return (None, None, spans);
        };
        let text = &self.source[first.range()];
        if let Some((style, number, len)) = marker(text)
            && len < text.len()
        {
            let span = Span::new(first.start, first.start + len);
            let rest = trim_span(self.source, Span::new(span.end, first.end));
            let lead = (!rest.is_empty() || others.is_empty()).then_some(rest);
            return (Some((style, number, span)), lead, others);
        }
        (None, Some(first), others)
    }

    fn heading(&self, spans: &[Span]) -> Heading {
        let (mark, lead, others) = self.heading_parts(spans);
        let mark = mark.map(|(style, number, span)| Marker {
            text: Str::from(&self.source[span.range()]),
            style,
            number,
            span,
        });
        let spans: Vec<Span> = lead.into_iter().chain(others.iter().copied()).collect();
        let text = join(self.source, &spans);
        let text_span = match (spans.first(), spans.last()) {
            (Some(a), Some(b)) => a.cover(*b),
            _ => Span::default(),
        };
        // The key is at most the text: allocated once, not grown.
        let mut key = String::with_capacity(text.len());
        key.extend(text.chars().filter(|&c| !is_space(c)));
        Heading {
            key,
            marker: mark,
            text,
            text_span,
            // The pieces when there are several: the vector just made, at
            // its length.
            segments: if spans.len() > 1 { spans } else { Vec::new() },
            cells: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Whether the heading written at `spans` has the key `key`: what
    /// `self.heading(spans).key == key` says, without making the heading
    /// (a category cell most often repeats the category of the row
    /// before).
    fn heading_key_is(&self, spans: &[Span], key: &str) -> bool {
        let (_, lead, others) = self.heading_parts(spans);
        lead.into_iter()
            .chain(others.iter().copied())
            .flat_map(|s| self.source[s.range()].chars())
            .filter(|&c| !is_space(c))
            .eq(key.chars())
    }

    fn step(&mut self, v: &View<'_>, step: Step) {
        match step {
            Step::Header(pieces) => {
                self.flush_row();
                let span = Span::new(v.base + v.text.0, v.base + v.text.1);
                let mut node = plain(NodeKind::Paragraph, Str::from(v.text()), span);
                node.cells = pieces
                    .iter()
                    .filter(|p| !p.is_empty())
                    .map(|&p| Cell {
                        column: Str::from(v.at(p)),
                        text: Str::from(v.at(p)),
                        segments: vec![v.span(p)],
                    })
                    .collect();
                self.push(node);
            }
            Step::Rule => {
                self.furniture(Span::new(v.base + v.text.0, v.base + v.text.1));
            }
            Step::Empty => {}
            Step::Section(p) => {
                self.flush_row();
                self.close_section();
                self.section = Some(self.heading(&[v.span(p)]));
            }
            Step::Row(cells) => {
                self.flush_row();
                self.add(v, &cells);
            }
            Step::More(cells) => self.add(v, &cells),
        }
    }

    fn add(&mut self, v: &View<'_>, cells: &[(usize, Piece)]) {
        if !self.row_open {
            // Every column's vector is there and empty (`flush_row` empties
            // them): a new row only needs them the first time.
            self.row.resize_with(self.layout.n(), Vec::new);
            self.row_open = true;
        }
        let row = &mut self.row;
        for &(c, p) in cells {
            if !p.is_empty()
                && let Some(cell) = row.get_mut(c)
            {
                cell.push(v.span(p));
            }
        }
    }

    /// Ends the row being read, if any: its node, or the cells of its
    /// category heading. The row's vectors are emptied and kept for the
    /// next row.
    fn flush_row(&mut self) {
        if !self.row_open {
            return;
        }
        self.row_open = false;
        let mut row = std::mem::take(&mut self.row);
        self.finish_row(&row);
        for spans in &mut row {
            spans.clear();
        }
        self.row = row;
    }

    /// The node of the row `row` (or the cells it adds to its category's
    /// heading).
    fn finish_row(&mut self, row: &[Vec<Span>]) {
        let layout = self.layout;
        let filled = row.iter().filter(|spans| !spans.is_empty()).count();
        if filled == 0 {
            return;
        }
        // The model keeps the cells: sized exactly, their texts allocated
        // once at their length.
        let mut cells: Vec<Cell> = Vec::with_capacity(filled);
        for (j, spans) in row.iter().enumerate() {
            if !spans.is_empty() {
                cells.push(Cell {
                    column: layout.cols[j].name.clone(),
                    text: Str::from(joined_cow(self.source, spans)),
                    segments: spans.clone(),
                });
            }
        }
        let number = layout.num.and_then(|c| row[c].first()).and_then(|&span| {
            let text = &self.source[span.range()];
            row_number(text).map(|number| Marker {
                text: Str::from(text),
                style: MarkerStyle::Row,
                number,
                span,
            })
        });
        if let Some(c) = layout.cat
            && !row[c].is_empty()
        {
            let same =
                (self.category.as_ref()).is_some_and(|h| self.heading_key_is(&row[c], &h.key));
            if !same {
                let heading = self.heading(&row[c]);
                self.close_category();
                self.category = Some(heading);
            }
            let only_category = row
                .iter()
                .enumerate()
                .all(|(j, spans)| spans.is_empty() || j == c || Some(j) == layout.num);
            if only_category && let Some(h) = &mut self.category {
                // A row that only names the category (a merged row): the
                // heading keeps its cells, and its number if it has none.
                if h.marker.is_none() {
                    h.marker = number;
                }
                h.cells.extend(cells);
                return;
            }
        }
        let node = self.row_node(row, cells, number);
        self.push(node);
    }

    fn row_node(&mut self, row: &[Vec<Span>], cells: Vec<Cell>, number: Option<Marker>) -> Node {
        let source = self.source;
        let layout = self.layout;
        let first = row
            .iter()
            .flatten()
            .map(|s| s.start)
            .min()
            .unwrap_or_default();
        let task: &[Span] = layout.task.map_or(&[], |c| row[c].as_slice());
        let (text, text_span, segments) = if task.is_empty() {
            (Str::new(), Span::new(first, first), Vec::new())
        } else {
            joined(source, task)
        };
        let mut node = plain(NodeKind::Task, text, text_span);
        node.segments = segments;
        // One statement: a vector of its length (extending an empty one
        // from an `Option` reserves room for four).
        if let Some(r) = self.responsibility(row) {
            node.responsibilities = vec![r];
        }
        let mut span = node.text_span;
        if let Some(m) = &number {
            span = span.cover(m.span);
        }
        for seg in cells.iter().flat_map(|c| &c.segments) {
            span = span.cover(*seg);
        }
        for r in &node.responsibilities {
            span = span.cover(r.span);
        }
        node.span = span;
        node.marker = number;
        node.cells = cells;
        node
    }

    /// The row's responsibility: its lead, responsible and cooperating
    /// cells, and its deadline cell.
    fn responsibility(&self, row: &[Vec<Span>]) -> Option<Responsibility> {
        let source = self.source;
        let layout = self.layout;
        let mut agencies = Vec::new();
        let mut deadline: Option<Text> = None;
        let mut from_list: Option<Text> = None;
        let mut span: Option<Span> = None;
        let mut first_responsible = true;
        for (j, col) in layout.cols.iter().enumerate() {
            let spans = &row[j];
            if spans.is_empty() {
                continue;
            }
            let role = match col.kind {
                Col::Lead => Role::Lead,
                Col::Responsible => Role::Responsible,
                Col::Cooperating => Role::Cooperating,
                Col::Deadline => {
                    let (text, cover, _) = joined(source, spans);
                    span = Some(span.map_or(cover, |s| s.cover(cover)));
                    deadline.get_or_insert(Text { text, span: cover });
                    continue;
                }
                _ => continue,
            };
            let (mut list, d) = parse_cell(source, spans, role);
            if col.kind == Col::Responsible {
                if first_responsible
                    && (col.lead_first || (self.lead_first && !layout.has_lead))
                    && let Some(a) = list.first_mut()
                    && a.role == Role::Responsible
                {
                    a.role = Role::Lead;
                }
                first_responsible = false;
            }
            agencies.append(&mut list);
            if from_list.is_none() {
                from_list = d;
            }
            for s in spans {
                span = Some(span.map_or(*s, |c| c.cover(*s)));
            }
        }
        Some(Responsibility {
            form: ResponsibilityForm::Table,
            span: span?,
            agencies,
            deadline: deadline.or(from_list),
        })
    }
}

/// Builds the nodes of one table: `lines` are the region [`find_tables`]
/// found (lines outside the table proper, if any, become paragraphs).
/// `lead_first` is the document's convention that the first unit listed
/// leads; it applies to a `责任单位` column when there is no lead column.
#[cfg(test)]
pub(crate) fn build(source: &str, lines: &[Line<'_>], lead_first: bool) -> Built {
    let found = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| header_layout(&exact_view(source, l), None).map(|l| (i, l)));
    build_lines(source, lines, lead_first, found, None)
}

/// Builds the table `found` among `lines` (the lines given to [`find`]):
/// what [`build`] makes of `lines[found.region.start..found.region.end]`,
/// without looking for its header again.
///
/// [`build`] takes the first line of the region whose layout
/// [`header_layout`] reads as its header: the header [`find`] found, as
/// the line before it, when in the region, is a rule, which has none of
/// the words [`may_be_header`] asks for (a unit test checks the two agree
/// on every table of the fixtures).
pub(crate) fn build_found(
    source: &str,
    lines: &[Line<'_>],
    found: Found,
    lead_first: bool,
) -> Built {
    let Found {
        region,
        header,
        layout,
        steps,
    } = found;
    let lines = &lines[region.start..region.end];
    // The steps `find` read, made indices into the region's lines (every
    // one is in it: a table ends after its last step).
    let steps = steps.map(|mut steps| {
        for (i, _) in &mut steps {
            *i -= region.start;
        }
        steps
    });
    build_lines(
        source,
        lines,
        lead_first,
        Some((header - region.start, layout)),
        steps,
    )
}

/// Builds a table from its lines and its header, if any: an index into
/// `lines` and its layout; and what each of its lines is, when they have
/// been read already (else they are read here).
fn build_lines(
    source: &str,
    lines: &[Line<'_>],
    lead_first: bool,
    found: Option<(usize, Layout)>,
    read: Option<Vec<(usize, Step)>>,
) -> Built {
    let empty = Layout::empty();
    let layout = found.as_ref().map_or(&empty, |(_, l)| l);
    let mut b = Builder::new(source, layout, lead_first);
    let (h, end, steps) = match (&found, read) {
        // Read up to the region's end: nothing of it is left to be loose.
        (Some((h, _)), Some(steps)) => (*h, lines.len(), steps),
        (Some((h, layout)), None) => {
            let reader = Reader {
                source,
                lines,
                layout,
                looked: Default::default(),
                pieces: Default::default(),
            };
            let (end, steps) = reader.scan(*h);
            (*h, end, steps)
        }
        (None, _) => (lines.len(), lines.len(), Vec::new()),
    };
    for l in &lines[..h] {
        b.loose(&exact_view(source, l));
    }
    for (i, step) in steps {
        b.step(&exact_view(source, &lines[i]), step);
    }
    b.flush_row();
    b.close_section();
    for l in &lines[end..] {
        b.loose(&exact_view(source, l));
    }
    let mut out = b.out;
    out.nodes = b.top;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::lines;

    const B01: &str = include_str!("../fixtures/b01_table-tabs.txt");
    const B02: &str = include_str!("../fixtures/b02_table-markdown.txt");
    const B03: &str = include_str!("../fixtures/b03_table-spaces.txt");

    /// The one table of `source`, built.
    fn table(source: &str, lead_first: bool) -> (Region, Built) {
        let ls = lines(source);
        let regions = find_tables(source, &ls);
        assert_eq!(regions.len(), 1, "{regions:?}");
        let r = regions[0];
        let mut built = build(source, &ls[r.start..r.end], lead_first);
        // Targets are the parser's later pass; fill them as it does.
        crate::outline::fill_targets(&mut built.nodes, &mut built.diagnostics);
        check(source, &ls[r.start..r.end], &built);
        (r, built)
    }

    /// `build_found`, which takes the header `find` found, builds every
    /// table of the fixtures (and of each fixture's lines after a rule
    /// line put above every header) as `build` does, which looks for it.
    #[test]
    fn build_found_agrees_with_build() {
        let mut tables = 0;
        for text in crate::testing::fixture_texts() {
            let ruled: String = text
                .lines()
                .flat_map(|l| {
                    let rule = may_be_header(l.trim()).then_some("|---|---|\n");
                    rule.into_iter().chain([l, "\n"])
                })
                .collect();
            for source in [&text, &ruled] {
                let ls = lines(source);
                for found in find(source, &ls) {
                    let r = found.region;
                    let slow = build(source, &ls[r.start..r.end], true);
                    assert_eq!(found_both_ways(source, &ls, found), format!("{slow:?}"));
                    tables += 1;
                }
            }
        }
        assert!(tables >= 6, "{tables}");
    }

    /// What `build_found` makes of `found`, checked to be the same with
    /// the steps `find` read as with the table read again on its lines.
    fn found_both_ways(source: &str, ls: &[Line<'_>], found: Found) -> String {
        let again = Found {
            steps: None,
            ..found.clone()
        };
        let fast = format!("{:?}", build_found(source, ls, found, true));
        let slow = format!("{:?}", build_found(source, ls, again, true));
        assert_eq!(fast, slow, "{source:?}");
        fast
    }

    #[test]
    fn steps_are_read_again_when_the_table_looked_past_its_end() {
        // The second section row looks ahead for a row: the next line
        // numbers one, yet it is another table's header, which ends this
        // table before it. Read on its own lines, the table has no line
        // after the section row to look at, and ends before it.
        let source = "序号\t工作任务\t牵头单位\n一、稳定增长\n1\t加快建设\t省科技厅\n二、深化改革\n\n1\t牵头单位\t责任单位\n";
        let ls = lines(source);
        let found: Vec<Found> = find(source, &ls).collect();
        assert!(found.iter().any(|f| f.steps.is_none()));
        assert!(!found.is_empty());
        for f in found {
            let r = f.region;
            let slow = build(source, &ls[r.start..r.end], true);
            assert_eq!(found_both_ways(source, &ls, f), format!("{slow:?}"));
        }
        // A table that looked at no line past its end keeps its steps.
        let source = "序号\t工作任务\t牵头单位\n1\t加快建设\t省科技厅\n2\t推进改革\t省发展改革委\n\n附件：\n";
        let ls = lines(source);
        let found: Vec<Found> = find(source, &ls).collect();
        assert_eq!(found.len(), 1);
        assert!(found[0].steps.is_some());
    }

    fn rows(nodes: &[Node]) -> Vec<&Node> {
        fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
            if n.kind == NodeKind::Task {
                out.push(n);
            }
            n.children.iter().for_each(|c| walk(c, out));
        }
        let mut out = Vec::new();
        nodes.iter().for_each(|n| walk(n, &mut out));
        out
    }

    /// The invariants: spans on char boundaries, text equal to the source
    /// at its pieces, children inside parents, siblings in order, and every
    /// character of the table's lines covered.
    fn check(source: &str, ls: &[Line<'_>], built: &Built) {
        let mut covered: Vec<Span> = Vec::new();
        fn ok(source: &str, s: Span) {
            assert!(s.start <= s.end && s.end <= source.len(), "{s:?}");
            assert!(source.is_char_boundary(s.start) && source.is_char_boundary(s.end));
        }
        fn node(source: &str, n: &Node, covered: &mut Vec<Span>) {
            ok(source, n.span);
            assert!(n.span.contains(n.text_span), "{n:?}");
            let text: String = n
                .text_segments()
                .iter()
                .map(|s| &source[s.range()])
                .collect();
            assert_eq!(text, n.text);
            for s in n.text_segments() {
                assert!(n.text_span.contains(*s));
                covered.push(*s);
            }
            for c in &n.cells {
                let text: String = c.segments.iter().map(|s| &source[s.range()]).collect();
                assert_eq!(text, c.text);
                for s in &c.segments {
                    assert!(n.span.contains(*s), "cell {} of {:?}", c.column, n.text);
                    covered.push(*s);
                }
            }
            if let Some(m) = &n.marker {
                assert_eq!(source[m.span.range()], m.text);
                assert!(n.span.contains(m.span));
                covered.push(m.span);
            }
            for r in &n.responsibilities {
                assert!(n.span.contains(r.span));
                covered.push(r.span);
                for a in &r.agencies {
                    ok(source, a.span);
                    assert!(r.span.contains(a.span), "{}", a.name);
                }
                if let Some(d) = &r.deadline {
                    assert!(r.span.contains(d.span));
                }
            }
            for t in &n.targets {
                assert!(n.text_span.contains(t.span));
            }
            let mut end = 0;
            for c in &n.children {
                assert!(n.span.contains(c.span), "{:?} in {:?}", c.text, n.text);
                assert!(c.span.start >= end, "children overlap at {:?}", c.text);
                end = c.span.end;
                node(source, c, covered);
            }
        }
        let mut end = 0;
        for n in &built.nodes {
            assert!(n.span.start >= end, "nodes overlap at {:?}", n.text);
            end = n.span.end;
            node(source, n, &mut covered);
        }
        for f in &built.furniture {
            assert_eq!(source[f.span.range()], f.text);
            covered.push(f.span);
        }
        for l in ls {
            for (i, c) in source[l.span.range()].char_indices() {
                let at = l.span.start + i;
                if !is_space(c) && !is_layout(c) {
                    assert!(
                        covered.iter().any(|s| s.start <= at && at < s.end),
                        "not covered: {:?} in {:?}",
                        c,
                        l.text
                    );
                }
            }
        }
    }

    fn texts<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Vec<&'a str> {
        nodes.into_iter().map(|n| n.text.as_str()).collect()
    }

    fn roles(node: &Node) -> Vec<(&str, Role)> {
        node.agencies().map(|a| (a.name.as_str(), a.role)).collect()
    }

    #[test]
    fn finds_the_fixture_tables() {
        for (src, start, end) in [(B01, 9, 23), (B02, 2, 12), (B03, 6, 19)] {
            let (r, _) = table(src, false);
            assert_eq!((r.start, r.end), (start, end));
        }
    }

    #[test]
    fn tab_table_rows_categories_and_wrapped_cells() {
        let (_, b) = table(B01, true);
        assert_eq!(b.nodes.len(), 4);
        let header = &b.nodes[0];
        assert_eq!(header.kind, NodeKind::Paragraph);
        assert_eq!(
            header
                .cells
                .iter()
                .map(|c| c.column.as_str())
                .collect::<Vec<_>>(),
            ["序号", "重点工作", "工作任务", "责任单位", "完成时限"]
        );
        assert_eq!(
            texts(&b.nodes[1..]),
            ["稳住经济大盘", "建设创新强省", "增进民生福祉"]
        );
        assert!(b.nodes[1..].iter().all(|n| n.kind == NodeKind::Heading));
        assert_eq!(
            b.nodes[1..]
                .iter()
                .map(|n| n.children.len())
                .collect::<Vec<_>>(),
            [4, 3, 3]
        );
        let rows = rows(&b.nodes);
        assert_eq!(rows.len(), 10);
        for (i, row) in rows.iter().enumerate() {
            let m = row.marker.as_ref().unwrap();
            assert_eq!((m.style, m.number), (MarkerStyle::Row, i as u32 + 1));
            assert_eq!(row.responsibilities.len(), 1);
            assert_eq!(row.responsibilities[0].form, ResponsibilityForm::Table);
        }
        // A cell with a paragraph break, as Word writes it: the rest of the
        // row on the next line.
        assert_eq!(
            rows[2].text,
            "推动消费复苏回暖，打响“浙里来消费”品牌，力争社会消费品零售总额增长4.5%左右。"
        );
        assert_eq!(rows[2].segments.len(), 2);
        assert_eq!(rows[4].segments.len(), 3);
        assert!(rows[4].text.ends_with("新增高价值发明专利9000件。"));
        let last = rows[4].targets.last().unwrap();
        assert!(rows[4].segments[2].contains(last.span));
        assert_eq!(rows[0].segments, []);
        assert!(!rows[0].targets.is_empty());
        // 列第一位的为牵头单位.
        assert_eq!(
            roles(rows[0]),
            [
                ("省发展改革委", Role::Lead),
                ("省经信厅", Role::Responsible),
                ("省统计局", Role::Responsible)
            ]
        );
        assert_eq!(rows[0].deadline().unwrap().text, "2023年12月底前");
        assert_eq!(rows[2].deadline().unwrap().text, "持续推进");
        assert!(rows[2].agencies().any(|a| a.group));
        // Every cell is kept; a merged category cell is empty and left out.
        let columns = |n: &Node| n.cells.iter().map(|c| c.column.clone()).collect::<Vec<_>>();
        assert_eq!(
            columns(rows[0]),
            ["序号", "重点工作", "工作任务", "责任单位", "完成时限"]
        );
        assert_eq!(
            columns(rows[1]),
            ["序号", "工作任务", "责任单位", "完成时限"]
        );
        assert_eq!(rows[2].cells[1].segments.len(), 2);
        let (_, plain) = table(B01, false);
        assert_eq!(
            rows_of(&plain)[0].agencies().next().unwrap().role,
            Role::Responsible
        );
    }

    fn rows_of(b: &Built) -> Vec<&Node> {
        rows(&b.nodes)
    }

    #[test]
    fn markdown_table_rules_pipes_and_empty_cells() {
        let (_, b) = table(B02, false);
        let rows = rows_of(&b);
        assert_eq!(rows.len(), 8);
        assert_eq!(
            texts(&b.nodes[1..]),
            [
                "降低市场主体准入成本",
                "减轻市场主体经营负担",
                "降低市场主体办事成本"
            ]
        );
        assert_eq!(b.furniture.len(), 1);
        assert_eq!(b.furniture[0].text, "|:---:|---|---|---|---|:---:|");
        assert_eq!(b.furniture[0].kind, FurnitureKind::TableRule);
        assert_eq!(
            roles(rows[0]),
            [
                ("省发展改革委", Role::Lead),
                ("省商务厅", Role::Lead),
                ("省市场监管局", Role::Cooperating)
            ]
        );
        // An empty cooperating cell: only the lead.
        assert_eq!(roles(rows[6]), [("省发展改革委", Role::Lead)]);
        assert_eq!(rows[6].deadline().unwrap().text, "2024年10月底前");
        assert_eq!(
            rows[5].text,
            "实现95%税费服务事项“网上办”，推行跨省异地电子缴税。"
        );
        assert_eq!(rows[5].cells.len(), 6);
        assert_eq!(rows[5].cells[1].column, "主要任务");
    }

    #[test]
    fn spaces_table_aligned_columns() {
        let (_, b) = table(B03, false);
        let rows = rows_of(&b);
        assert_eq!(rows.len(), 7);
        assert!(b.nodes[1..].iter().all(|n| n.kind == NodeKind::Task));
        assert_eq!(
            rows[0].text,
            "地区生产总值增长6.5%以上，规上工业增加值增长8%。"
        );
        assert_eq!(rows[2].text, "新增规上工业企业15家、高新技术企业10家。");
        // An agency name wrapped onto the next line.
        let a = rows[1].agencies().last().unwrap();
        assert_eq!(
            (a.name.as_str(), a.role),
            ("区自然资源和规划分局", Role::Cooperating)
        );
        assert!(B03[a.span.range()].starts_with("区自然资源和"));
        assert!(B03[a.span.range()].ends_with("规划分局"));
        assert_eq!(rows[0].agencies().next().unwrap().role, Role::Lead);
        assert_eq!(rows[6].deadline().unwrap().text, "2023年9月");
        let remark = |n: &Node| {
            n.cells
                .iter()
                .find(|c| c.column == "备注")
                .map(|c| c.text.clone())
        };
        assert_eq!(remark(rows[0]).as_deref(), Some("区长"));
        assert_eq!(remark(rows[4]).as_deref(), Some("常务副区长"));
        assert_eq!(remark(rows[1]), None);
    }

    #[test]
    fn prose_is_not_a_table() {
        for src in [
            include_str!("../fixtures/00_zhejiang-2023-fengong-fragment.txt"),
            include_str!("../fixtures/03_guobanfa-2022-30-yingshang-huanjing.txt"),
            include_str!("../fixtures/04_guofa-2022-12-wenzhu-jingji-yilanzi.txt"),
            include_str!("../fixtures/05_anshan-lishanqu-2023-fengong-fangan.txt"),
            include_str!("../fixtures/06_wuhan-caidianqu-2023-mubiao-renwu-fenjie.txt"),
            include_str!("../fixtures/08_huangshi-xialuqu-2020-zhongdian-gongzuo-zeren-fenjie.txt"),
            include_str!(
                "../fixtures/10_shanghai-jiaotongwei-2026-yingshang-huanjing-xingdong.txt"
            ),
            include_str!("../fixtures/R2_zhejiang-2025-zhengfu-gongzuo-baogao.txt"),
            include_str!("../fixtures/R4_jilin-2025-zhengfu-gongzuo-baogao.txt"),
            include_str!("../fixtures/a01_brackets-roles-deadlines.txt"),
            include_str!("../fixtures/a02_diagnostics.txt"),
            "一、优化营商环境  深化改革\n1.推进  建设。\n责任单位：省经信厅  省科技厅\n",
            "工作任务  牵头单位\n",
            "序号  工作任务  牵头单位\n\n上述工作任务由牵头单位负责。\n",
            "今年的重点工作  责任单位要落实  完成时限不变\n1  2  3\n",
            "首页 | 政务公开 | 政策文件 | 重点工作\n",
        ] {
            assert_eq!(
                find_tables(src, &lines(src)),
                [],
                "{}",
                &src[..src.len().min(60)]
            );
        }
    }

    #[test]
    fn merged_rows_head_sections() {
        let src = "序号\t工作任务\t牵头单位\t配合单位\n\
                   一、稳定经济增长\t\t\t\n\
                   1\t新增规上工业企业500家。\t市经信局\t市统计局\n\
                   2\t完成固定资产投资1200亿元。\t市发改委\t\n\
                   二、保障改善民生\n\
                   3\t城镇新增就业5万人。\t市人社局\t市财政局\n\
                   \n\
                   三、下一步工作\n";
        let (r, b) = table(src, false);
        assert_eq!(r.end, 6);
        assert_eq!(
            texts(&b.nodes),
            [src.lines().next().unwrap(), "稳定经济增长", "保障改善民生"]
        );
        let m = b.nodes[1].marker.as_ref().unwrap();
        assert_eq!(
            (m.text.as_str(), m.style),
            ("一、", MarkerStyle::ChineseComma)
        );
        assert_eq!(b.nodes[1].children.len(), 2);
        assert_eq!(b.nodes[2].children.len(), 1);
        assert_eq!(roles(&b.nodes[1].children[1]), [("市发改委", Role::Lead)]);
        // Merged rows pasted without their tabs: marker lines of their own.
        let src = "序号\t工作任务\t牵头单位\n\
                   一、稳定经济增长\n\
                   1\t新增规上工业企业500家。\t市经信局\n\
                   二、保障改善民生\n\
                   2\t城镇新增就业5万人。\t市人社局\n";
        let (r, b) = table(src, false);
        assert_eq!(r.end, 5);
        assert_eq!(texts(&b.nodes[1..]), ["稳定经济增长", "保障改善民生"]);
        assert!(b.nodes[1..].iter().all(|n| n.children.len() == 1));
    }

    #[test]
    fn roles_written_in_a_cell() {
        let src = "序号\t工作任务\t责任单位\t完成时限\n\
                   1\t推进城市更新。\t市发改委牵头，市住建局、市财政局按职责分工负责，各区配合\t2023年底前\n\
                   2\t办好民生实事。\t市委组织部(市委人才办)、市人社局（6月底前）\t\n";
        let (_, b) = table(src, false);
        let rows = rows_of(&b);
        assert_eq!(
            roles(rows[0]),
            [
                ("市发改委", Role::Lead),
                ("市住建局", Role::Responsible),
                ("市财政局", Role::Responsible),
                ("各区", Role::Cooperating)
            ]
        );
        let first = rows[1].agencies().next().unwrap();
        assert_eq!(first.alias.as_deref(), Some("市委人才办"));
        // A deadline in brackets inside the list, when there is no
        // deadline cell.
        assert_eq!(rows[1].deadline().unwrap().text, "6月底前");
    }

    #[test]
    fn header_says_first_listed_leads() {
        let src = "编号\t主要任务\t责任单位（列第一位的为牵头单位）\n\
                   １\t推进数字政府建设。\t市大数据局、市政务服务中心\n";
        let (_, b) = table(src, false);
        let rows = rows_of(&b);
        assert_eq!(rows[0].marker.as_ref().unwrap().number, 1);
        assert_eq!(
            roles(rows[0]),
            [
                ("市大数据局", Role::Lead),
                ("市政务服务中心", Role::Responsible)
            ]
        );
    }

    #[test]
    fn box_drawn_table_with_wrapped_cells() {
        let src = "┌──┬────────┬──────┐\n\
                   │序号│具体任务        │责任单位      │\n\
                   ├──┼────────┼──────┤\n\
                   │1 │新建5G基站3000个│市经信局      │\n\
                   │  │，实现全覆盖。  │              │\n\
                   ├──┼────────┼──────┤\n\
                   │2 │新增绿地50公顷。│市园林局、市住│\n\
                   │  │                │建局          │\n\
                   └──┴────────┴──────┘\n\
                   以上任务请于年底前完成。\n";
        let (r, b) = table(src, false);
        assert_eq!((r.start, r.end), (0, 9));
        let rows = rows_of(&b);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text, "新建5G基站3000个，实现全覆盖。");
        assert_eq!(
            rows[1]
                .agencies()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>(),
            ["市园林局", "市住建局"]
        );
        assert_eq!(
            b.furniture.iter().filter(|f| f.text.contains('─')).count(),
            4
        );
    }

    #[test]
    fn repeated_header_and_leading_empty_cells() {
        // Excel: the category column first, its merged cells empty.
        let src = "重点工作\t序号\t工作任务\t牵头单位\t完成时间\n\
                   扩大有效投资\t1\t新开工重大项目80个。\t市发改委\t2023年12月\n\
                   \t2\t新增专项债券100亿元。\t市财政局\t2023年9月\n\
                   重点工作\t序号\t工作任务\t牵头单位\t完成时间\n\
                   \t3\t建成充电桩2000个。\t市城管局\t2023年12月\n";
        let (_, b) = table(src, false);
        assert_eq!(b.nodes.len(), 2);
        let heading = &b.nodes[1];
        assert_eq!(heading.text, "扩大有效投资");
        assert_eq!(
            heading.children.iter().map(|c| c.kind).collect::<Vec<_>>(),
            [
                NodeKind::Task,
                NodeKind::Task,
                NodeKind::Paragraph,
                NodeKind::Task
            ]
        );
        assert_eq!(heading.children[3].marker.as_ref().unwrap().number, 3);
    }

    #[test]
    fn tables_without_numbers_end_at_blank_lines() {
        let src = "工作内容  牵头部门  配合部门\n\
                   推进老旧小区改造。  区住建局  区财政局\n\
                   建设口袋公园12个。  区城管局\n\
                   \n\
                   各部门要按照分工抓好落实。\n";
        let (r, b) = table(src, false);
        assert_eq!((r.start, r.end), (0, 3));
        let rows = rows_of(&b);
        assert_eq!(
            texts(rows.iter().copied()),
            ["推进老旧小区改造。", "建设口袋公园12个。"]
        );
        assert!(rows.iter().all(|r| r.marker.is_none()));
        assert_eq!(roles(rows[1]), [("区城管局", Role::Lead)]);
    }

    #[test]
    fn tables_end_at_markers_notes_and_labels() {
        // The document's next heading, even with a row after it: the table
        // did not open with a section.
        let src = "序号\t工作任务\t牵头单位\n1\t推进项目建设。\t市发改委\n二、强化保障\n2\t办好实事。\t市民政局\n";
        assert_eq!(find_tables(src, &lines(src)), [Region { start: 0, end: 2 }]);
        for tail in [
            "二、强化保障措施",
            "注：完成时限为年底前。",
            "责任单位：市发改委",
            "2023年3月1日",
            "附件2",
        ] {
            let src = format!("序号\t工作任务\t责任单位\n1\t推进项目建设。\t市发改委\n{tail}\n");
            let ls = lines(&src);
            assert_eq!(
                find_tables(&src, &ls),
                [Region { start: 0, end: 2 }],
                "{tail}"
            );
        }
        // A line with no separator in the middle of a table continues the
        // task cell.
        let src = "序号\t工作任务\t责任单位\n1\t推进项目建设，\t市发改委\n力争投资增长10%。\n2\t办好实事。\t市民政局\n";
        let (r, b) = table(src, false);
        assert_eq!(r.end, 4);
        assert_eq!(rows_of(&b)[0].text, "推进项目建设，力争投资增长10%。");
    }

    #[test]
    fn page_furniture_inside_a_table() {
        let src = "序号\t工作任务\t牵头单位\r\n\
                   1\t推进项目建设，\r\n\
                   \r\n\
                   - 2 -\r\n\
                   \r\n\
                   2\t办好民生实事。\t市民政局\r\n";
        let mut ls = lines(src);
        ls[3].kind = LineKind::Furniture(FurnitureKind::PageNumber);
        let regions = find_tables(src, &ls);
        assert_eq!(regions, [Region { start: 0, end: 6 }]);
        let b = build(src, &ls, false);
        let rows = rows_of(&b);
        assert_eq!(
            texts(rows.iter().copied()),
            ["推进项目建设，", "办好民生实事。"]
        );
        assert!(b.nodes.iter().all(|n| !n.text.contains("- 2 -")));
        assert!(b.furniture.is_empty());
    }

    #[test]
    fn two_tables_among_outline_text() {
        let src = "一、经济发展\n\
                   序号  工作任务  牵头单位\n\
                   1  新增规上企业100家。  市经信局\n\
                   2  外贸出口增长5%。  市商务局\n\
                   二、民生保障\n\
                   编号\t目标任务\t责任部门\t时间节点\n\
                   1\t新增就业3万人。\t市人社局\t12月底\n\
                   三、工作要求\n\
                   各单位要加强协调配合。\n";
        let ls = lines(src);
        assert_eq!(
            find_tables(src, &ls),
            [Region { start: 1, end: 4 }, Region { start: 5, end: 7 }]
        );
        let mut b = build(src, &ls[5..7], false);
        crate::outline::fill_targets(&mut b.nodes, &mut b.diagnostics);
        let row = rows_of(&b)[0];
        assert_eq!(roles(row), [("市人社局", Role::Responsible)]);
        assert_eq!(row.deadline().unwrap().text, "12月底");
        assert_eq!(row.targets.len(), 1);
    }

    #[test]
    fn hostile_input_never_panics() {
        let alphabet = [
            "序号",
            "工作任务",
            "牵头单位",
            "责任单位",
            "完成时限",
            "重点工作",
            "|",
            "｜",
            "│",
            "\t",
            "  ",
            "\u{3000}",
            " ",
            "\n",
            "\r\n",
            "---",
            "1",
            "一、",
            "（",
            "）",
            "、",
            "，",
            "市发改委",
            "牵头",
            "配合",
            "é",
            "😀",
            "\u{200b}",
            ":",
            "：",
            "┼",
            "",
        ];
        let mut seed = 0x2545_f491_u64;
        for _ in 0..3000 {
            let mut src = String::new();
            let len = (seed % 60) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                src.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let ls = lines(&src);
            for found in find(&src, &ls) {
                let r = found.region;
                let slow = build(&src, &ls[r.start..r.end], true);
                assert_eq!(found_both_ways(&src, &ls, found), format!("{slow:?}"));
            }
            let regions = find_tables(&src, &ls);
            let mut end = 0;
            for r in regions {
                assert!(r.start >= end && r.start < r.end && r.end <= ls.len());
                end = r.end;
                let built = build(&src, &ls[r.start..r.end], seed.is_multiple_of(2));
                check(&src, &ls[r.start..r.end], &built);
            }
            // Whatever lines it is given.
            let built = build(&src, &ls, false);
            check(&src, &ls, &built);
        }
    }

    #[test]
    fn long_tables_are_read_in_one_pass() {
        let mut src = String::from("序号\t重点工作\t工作任务\t牵头单位\t配合单位\t完成时限\n");
        for i in 1..=20_000 {
            let cat = if i % 50 == 1 {
                format!("领域{}", i / 50)
            } else {
                String::new()
            };
            src.push_str(&format!(
                "{i}\t{cat}\t新增高新技术企业{i}家，\n研发投入增长8%。\t市科技局\t市财政局、市统计局\t2023年底\n"
            ));
        }
        let start = std::time::Instant::now();
        let ls = lines(&src);
        let regions = find_tables(&src, &ls);
        assert_eq!(
            regions,
            [Region {
                start: 0,
                end: ls.len()
            }]
        );
        let built = build(&src, &ls, false);
        assert_eq!(rows_of(&built).len(), 20_000);
        assert_eq!(built.nodes.len(), 401);
        assert!(start.elapsed().as_secs() < 20);
    }

    /// `role_end` finds what the regex it stands for finds: where the
    /// match starts, and the role word.
    #[test]
    fn role_end_finds_as_the_regex_does() {
        let re = Regex::new(
            r"(?x)
            (?: 按照?职责分工 | 按职责 | 分别 | 共同 | 具体 )?
            (?P<verb> 牵头(?:负责|落实|推进)? | 负责(?:落实|推进)? | 配合(?:落实)? | 参与 | 协助 | 协同 )
            $",
        )
        .unwrap();
        let heads = [
            "",
            "省发展改革委",
            "照",
            "按",
            "职责分工",
            "按照",
            "分工",
            "牵",
            "牵头",
            "负责",
            "配合",
        ];
        let mut middles: Vec<&str> = vec!["", "照", "按照职责"];
        middles.extend(ROLE_PREFIXES);
        let mut tails: Vec<&str> = vec!["", "落实", "推进", "头", "责", "单位", "负责。"];
        tails.extend(ROLE_VERBS);
        for head in heads {
            for middle in &middles {
                for tail in &tails {
                    for end in ["", "负责", "牵头", "落实"] {
                        let clause = format!("{head}{middle}{tail}{end}");
                        let want = re
                            .captures(&clause)
                            .map(|c| (c.get(0).unwrap().start(), c.name("verb").unwrap().as_str()));
                        assert_eq!(role_end(&clause), want, "{clause:?}");
                    }
                }
            }
        }
    }

    /// A header whose only hint besides `序号` is a role column is a
    /// header: `序号 | 牵头 | 配合`.
    #[test]
    fn role_columns_make_a_header() {
        let text = "序号 | 工作任务 | 牵头 | 配合\n1 | 推进数字化改革 | 省发展改革委 | 省经信厅\n";
        let short = "序号 | 牵头 | 配合\n1 | 省发展改革委 | 省经信厅\n";
        for t in [text, short] {
            let parsed = crate::parse(t);
            let rows: Vec<&crate::Node> = parsed.document.tasks();
            assert_eq!(rows.len(), 1, "{t}: {:#?}", parsed.document.nodes);
            let agencies: Vec<(&str, crate::Role)> = rows[0]
                .agencies()
                .map(|a| (a.name.as_str(), a.role))
                .collect();
            assert_eq!(
                agencies,
                [
                    ("省发展改革委", crate::Role::Lead),
                    ("省经信厅", crate::Role::Cooperating)
                ],
                "{t}"
            );
        }
    }

    /// `hint_words` counts what the regex it stands for finds.
    #[test]
    fn hint_words_count_as_the_regex_does() {
        let re = Regex::new(
            "序号|编号|工作|任务|单位|部门|时限|时间|节点|内容|领导|备注|措施|类别|领域|项目|事项|目标|要求|牵头|配合|责任|联系",
        )
        .unwrap();
        for text in [
            "",
            "序",
            "序号",
            "序号\t工作任务",
            "事项目标",
            "项目标",
            "时时间",
            "工工作",
            "领领域导",
            "a序号b",
            "序 号\t工 作",
            "重点工作\t牵头单位",
            "１\t推进工作\t省发展改革委",
            "任务事项目标要求",
            "编号编号",
            "号序号",
        ] {
            let want = re.find_iter(text).take(2).count();
            assert_eq!(hint_words(text), want, "{text:?}");
        }
    }

    /// `cells_may_be_names` turns down only lines one of whose cells
    /// `try_header` turns down, whatever the separator.
    #[test]
    fn cells_test_is_necessary() {
        let fits = |name: &str| {
            name.chars().count() <= 20 && !name.contains(['。', '：', ':', '；', ';', '，'])
        };
        let long = "一二三四五六七八九十一二三四五六七八九十";
        for text in [
            "序号\t工作任务",
            "序号|工作任务|牵头单位",
            "|序号|工作任务|",
            "序号  工作任务",
            "序号\u{3000}工作任务",
            "序号\u{a0}\u{a0}工作任务",
            "序号\u{feff}工作任务",
            long,
            &format!("{long}\t序号"),
            &format!("{long}一\t序号"),
            &format!("{long}a\t序号"),
            "序号：\t工作任务",
            "序号\t工作任务：",
            "任务，\t单位",
            "",
            "a",
            "𠀀𠀀\t序号",
            "序号\t工作任务\t推进，落实",
            &format!("序号\t{long}"),
            &format!("序号\t{long}一"),
            &format!("序号 | {long}一 |"),
            &format!("序号  {long} 一"),
            "序号\t工作|任务\t牵头单位",
            "1\t加快建设\t省科技厅\t2023年",
            "\u{4dc0}\t序号",
        ] {
            let v = View {
                raw: text,
                text: (0, text.len()),
                base: 0,
                kind: LineKind::Text,
            };
            for sep in [Sep::Pipe, Sep::Tab, Sep::Spaces, Sep::SpacesLoose] {
                let pieces = split(&v, sep);
                let possible = pieces.iter().filter(|p| !p.is_empty()).count() >= 2
                    && pieces.iter().all(|&p| fits(v.at(p)));
                assert!(
                    cells_may_be_names(text) || !possible,
                    "{text:?} turned down, yet its cells fit with {sep:?}"
                );
            }
        }
    }

    /// `split_spaced` as first written: every character through the loop,
    /// without the run of ideographs taken at once.
    fn split_spaced_reference(v: &View<'_>, sep: Sep) -> Vec<Piece> {
        let raw: &str = v.raw;
        let (lo, hi) = v.text;
        let loose = sep == Sep::SpacesLoose;
        let mut pieces = Vec::new();
        let mut cur: Option<Piece> = None;
        let (mut run, mut run_tab, mut run_ideo) = (0usize, false, false);
        let mut col = 0usize;
        for (i, c) in raw.char_indices() {
            let at = i + c.len_utf8();
            let w = if c == '\t' { 8 - col % 8 } else { width(c) };
            if i < lo || i >= hi {
                col += w;
                continue;
            }
            if is_space(c) {
                if cur.is_some() {
                    run += 1;
                    run_tab |= c == '\t';
                    run_ideo |= c == '\u{3000}';
                }
            } else {
                let cut = run >= 2 || run_tab || (loose && run_ideo);
                if cut && let Some(p) = cur.take() {
                    pieces.push(p);
                }
                (run, run_tab, run_ideo) = (0, false, false);
                match &mut cur {
                    Some(p) => p.e = at,
                    None => cur = Some(Piece { s: i, e: at, col }),
                }
            }
            col += w;
        }
        pieces.extend(cur);
        pieces
    }

    fn check_split_spaced(raw: &str) {
        let text = trim_span(raw, Span::new(0, raw.len()));
        let v = View {
            raw,
            text: (text.start, text.end),
            base: 0,
            kind: LineKind::Text,
        };
        for sep in [Sep::Spaces, Sep::SpacesLoose] {
            assert_eq!(
                split(&v, sep),
                split_spaced_reference(&v, sep),
                "{raw:?} {sep:?}"
            );
        }
        // Into a vector that held another line's cells, every way.
        for sep in [Sep::Pipe, Sep::Tab, Sep::Spaces, Sep::SpacesLoose] {
            let mut used = vec![Piece { s: 1, e: 2, col: 3 }; 3];
            split_into(&v, sep, &mut used);
            assert_eq!(used, split(&v, sep), "{raw:?} {sep:?}");
        }
    }

    #[test]
    fn split_spaced_agrees_on_the_fixtures() {
        for text in crate::testing::fixture_texts() {
            for line in text.lines() {
                check_split_spaced(line);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn split_spaced_agrees_on_the_alphabet(s in proptest::collection::vec(
            proptest::sample::select(vec![
                "序", "号", "工作", "任务", "一", "鿿", "\u{4e00}", "\u{5000}", "\u{4fff}",
                "㐀", "가", "ｱ", "Ａ", "a", "1", " ", "  ", "\t", "\u{3000}", "\u{a0}", "|",
                "é", "😀", "，", "。",
            ]),
            0..30,
        )) {
            check_split_spaced(&s.concat());
        }
    }

    /// `merge_same` as first written: into a second vector.
    fn merge_same_reference(mut cells: Vec<(usize, Piece)>) -> Vec<(usize, Piece)> {
        let mut out: Vec<(usize, Piece)> = Vec::with_capacity(cells.len());
        for (c, p) in cells.drain(..) {
            match out.last_mut() {
                Some((lc, lp)) if *lc == c => {
                    if lp.is_empty() {
                        *lp = p;
                    } else if !p.is_empty() {
                        lp.e = p.e;
                    }
                }
                _ => out.push((c, p)),
            }
        }
        out
    }

    // `clauses` and `parse_cell` as first written: the clauses and the
    // lists collected, the cell's text always copied.
    /// Splits `text` at `，,；;` outside brackets: byte ranges, untrimmed.
    fn clauses_reference(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut from = 0;
        for (i, c) in text.char_indices() {
            match c {
                '（' | '(' | '[' | '【' | '［' => depth += 1,
                '）' | ')' | ']' | '】' | '］' => depth = depth.saturating_sub(1),
                '，' | ',' | '；' | ';' if depth == 0 => {
                    out.push((from, i));
                    from = i + c.len_utf8();
                }
                _ => {}
            }
        }
        out.push((from, text.len()));
        out
    }

    /// The agencies of a responsibility cell written at `spans` (one span a
    /// line), in the role its column gives, unless a clause says otherwise
    /// (`省发展改革委牵头，省经信厅配合`); and a deadline written in brackets
    /// inside the list.
    fn parse_cell_reference(
        source: &str,
        spans: &[Span],
        role: Role,
    ) -> (Vec<Agency>, Option<Text>) {
        let text: String = spans.iter().map(|s| &source[s.range()]).collect();
        let mut lists: Vec<(Span, Role)> = Vec::new();
        let mut any_verb = false;
        for (s, e) in clauses_reference(&text) {
            let piece = &text[s..e];
            let trimmed = piece.trim_end_matches(|c: char| is_space(c) || c == '。');
            match role_end(trimmed) {
                Some((start, verb)) => {
                    any_verb = true;
                    let clause_role = if verb.starts_with("牵头") {
                        Role::Lead
                    } else if verb.starts_with("负责") {
                        role
                    } else {
                        Role::Cooperating
                    };
                    let list_end = s + start;
                    lists.push((Span::new(s, list_end), clause_role));
                }
                None => lists.push((Span::new(s, e), role)),
            }
        }
        if !any_verb {
            lists = vec![(Span::new(0, text.len()), role)];
        }
        let mut agencies = Vec::new();
        let mut deadline = None;
        for (span, role) in lists {
            let (found, d) = parse_list(&text, span, role);
            agencies.extend(found.into_iter().map(|mut a| {
                a.span = remap(spans, a.span);
                a
            }));
            if deadline.is_none() {
                deadline = d.map(|d| Text {
                    text: d.text,
                    span: remap(spans, d.span),
                });
            }
        }
        (agencies, deadline)
    }

    /// A source holding `pieces` one a line, as a cell written over several
    /// lines, and the span of each.
    fn cell_source(pieces: &[String]) -> (String, Vec<Span>) {
        let mut source = String::from("序号\t");
        let mut spans = Vec::new();
        for p in pieces {
            spans.push(Span::new(source.len(), source.len() + p.len()));
            source.push_str(p);
            source.push('\n');
        }
        (source, spans)
    }

    fn check_parse_cell(pieces: &[String]) {
        let (source, spans) = cell_source(pieces);
        for role in [Role::Lead, Role::Responsible, Role::Cooperating] {
            assert_eq!(
                parse_cell(&source, &spans, role),
                parse_cell_reference(&source, &spans, role),
                "{pieces:?} {role:?}"
            );
        }
        let text: String = pieces.concat();
        assert_eq!(
            clauses(&text).collect::<Vec<_>>(),
            clauses_reference(&text),
            "{text:?}"
        );
    }

    #[test]
    fn parse_cell_agrees_on_edge_cases() {
        for cell in [
            "",
            "，",
            "；;,",
            "省发展改革委",
            "省发展改革委牵头，省经信厅、省科技厅配合",
            "省发展改革委（省能源局）牵头；各设区市政府负责",
            "按职责分工负责",
            "省财政厅，省税务局（2023年底前）",
            "（省委，省政府）牵头，",
            "省商务厅牵头。 ",
            "省科技厅负责，省教育厅参与，省人社厅协助，各市协同",
            "】】省交通厅，（（省水利厅",
        ] {
            check_parse_cell(&[cell.to_owned()]);
            let cut = cell.char_indices().nth(3).map_or(cell.len(), |(i, _)| i);
            check_parse_cell(&[cell[..cut].to_owned(), cell[cut..].to_owned()]);
        }
        check_parse_cell(&[]);
    }

    /// A layout's names as they were first kept: its non-empty header
    /// cells with spaces removed.
    fn names_reference(v: &View<'_>, pieces: &[Piece]) -> Vec<String> {
        pieces
            .iter()
            .filter(|p| !p.is_empty())
            .map(|&p| v.at(p).chars().filter(|&c| !is_space(c)).collect())
            .collect()
    }

    /// Every header layout of `lines` (as `header_layout` reads one, at
    /// each way to split), with its names as first kept.
    fn layouts_of(text: &str) -> Vec<(Layout, Vec<String>)> {
        let mut out = Vec::new();
        for raw in text.lines() {
            let t = trim_span(raw, Span::new(0, raw.len()));
            let v = View {
                raw,
                text: (t.start, t.end),
                base: 0,
                kind: LineKind::Text,
            };
            for sep in [Sep::Pipe, Sep::Tab, Sep::Spaces, Sep::SpacesLoose] {
                let pieces = split(&v, sep);
                if let Some(l) = try_header(&v, sep, &pieces) {
                    out.push((l, names_reference(&v, &pieces)));
                }
            }
        }
        out
    }

    fn check_same_names(layouts: &[(Layout, Vec<String>)]) {
        for (a, na) in layouts {
            for (b, nb) in layouts {
                assert_eq!(a.same_names(b), na == nb, "{na:?} {nb:?}");
            }
        }
    }

    #[test]
    fn same_names_agrees_on_the_fixtures() {
        let mut all = Vec::new();
        for text in crate::testing::fixture_texts() {
            all.extend(layouts_of(&text));
        }
        // Spaces inside the names, and a header with one name less.
        all.extend(layouts_of(
            "序号\t工作 任务\t牵头单位\n序 号\t工作任务\t牵头\u{3000}单位\n序号\t工作任务\n\
             序号\t\t工作任务\t牵头单位\n工作任务\t序号\t牵头单位\n",
        ));
        assert!(all.len() >= 10, "{}", all.len());
        check_same_names(&all);
    }

    /// `Builder::heading` as first written: the pieces copied and edited,
    /// then joined; its marker, text, text span, segments and key.
    fn heading_reference(
        source: &str,
        spans: &[Span],
    ) -> (Option<Marker>, Str, Span, Vec<Span>, String) {
        let mut spans = spans.to_vec();
        let mut mark = None;
        if let Some(&first) = spans.first() {
            let text = &source[first.range()];
            if let Some((style, number, len)) = marker(text)
                && len < text.len()
            {
                let span = Span::new(first.start, first.start + len);
                mark = Some(Marker {
                    text: Str::from(&source[span.range()]),
                    style,
                    number,
                    span,
                });
                let rest = trim_span(source, Span::new(span.end, first.end));
                if rest.is_empty() && spans.len() > 1 {
                    spans.remove(0);
                } else {
                    spans[0] = rest;
                }
            }
        }
        let (text, text_span, segments) = joined(source, &spans);
        let key = text.chars().filter(|&c| !is_space(c)).collect();
        (mark, text, text_span, segments, key)
    }

    /// `heading` and `heading_key_is` on a cell of `pieces` (one a line)
    /// against the reference, with the keys of `keys` and its own.
    fn check_heading(pieces: &[String], keys: &[&str]) {
        let (source, spans) = cell_source(pieces);
        let layout = Layout::empty();
        let b = Builder::new(&source, &layout, false);
        let h = b.heading(&spans);
        let (marker, text, text_span, segments, key) = heading_reference(&source, &spans);
        assert_eq!(h.marker, marker, "{pieces:?}");
        assert_eq!(h.text, text, "{pieces:?}");
        assert_eq!(h.text_span, text_span, "{pieces:?}");
        assert_eq!(h.segments, segments, "{pieces:?}");
        assert_eq!(h.key, key, "{pieces:?}");
        for k in keys.iter().copied().chain([key.as_str()]) {
            assert_eq!(b.heading_key_is(&spans, k), key == k, "{pieces:?} {k:?}");
        }
    }

    #[test]
    fn heading_agrees_on_edge_cases() {
        let keys = [
            "",
            "稳定经济增长",
            "一、稳定经济增长",
            "稳定经济",
            "稳定经济增长。",
        ];
        for cell in [
            &[][..],
            &[""],
            &["一、"],
            &["一、", "稳定经济增长"],
            &["一、 ", "稳定 经济", "增长"],
            &["一、稳定经济增长"],
            &["（一）稳定 经济增长"],
            &["稳定经济增长"],
            &["1.", "稳定经济增长"],
            &["稳定经济", "增长"],
        ] {
            let cell: Vec<String> = cell.iter().map(|s| s.to_string()).collect();
            check_heading(&cell, &keys);
        }
    }

    #[test]
    fn merge_same_agrees_on_edge_cases() {
        let p = |s, e| Piece { s, e, col: 0 };
        for cells in [
            vec![],
            vec![(0, p(0, 0))],
            vec![(0, p(0, 0)), (0, p(1, 3))],
            vec![(0, p(0, 2)), (0, p(3, 3)), (0, p(4, 6)), (1, p(7, 8))],
            vec![(2, p(0, 2)), (2, p(3, 5)), (1, p(6, 6)), (1, p(7, 7))],
        ] {
            assert_eq!(merge_same(cells.clone()), merge_same_reference(cells));
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::differential())]

        #[test]
        fn parse_cell_agrees_on_the_alphabet(pieces in proptest::collection::vec(
            proptest::strategy::Strategy::prop_map(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "省发展改革委", "省经信厅", "各设区市政府", "牵头", "负责", "配合", "参与",
                        "协助", "协同", "落实", "推进", "按职责分工", "分别", "共同", "、", "，",
                        ",", "；", ";", "（", "）", "(", ")", "【", "】", "[", "]", "［", "］",
                        "。", " ", "\u{3000}", "2023年底前", "等", "及", "和", "a",
                    ]),
                    0..12,
                ),
                |v: Vec<&str>| v.concat(),
            ),
            0..4,
        )) {
            check_parse_cell(&pieces);
        }

        #[test]
        fn same_names_agrees_on_the_alphabet(lines in proptest::collection::vec(
            proptest::collection::vec(
                proptest::sample::select(vec![
                    "序号", "工作任务", "牵头单位", "责任单位", "重点工作", "备注", "序", "号",
                    "\t", " ", "  ", "\u{3000}", "|", "\u{200b}", "a",
                ]),
                0..10,
            ),
            0..6,
        )) {
            let text: String = lines.iter().map(|l| l.concat() + "\n").collect();
            check_same_names(&layouts_of(&text));
        }

        #[test]
        fn heading_agrees_on_the_alphabet(pieces in proptest::collection::vec(
            proptest::strategy::Strategy::prop_map(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "一、", "二、", "（一）", "1.", "1、", "第一", "稳定", "经济", "增长",
                        " ", "\u{3000}", "\t", "。", "\u{200b}", "a",
                    ]),
                    0..6,
                ),
                |v: Vec<&str>| v.concat(),
            ),
            0..4,
        ), keys in proptest::collection::vec(
            proptest::strategy::Strategy::prop_map(
                proptest::collection::vec(
                    proptest::sample::select(vec!["一、", "稳定", "经济", "增长", "。", "a"]),
                    0..4,
                ),
                |v: Vec<&str>| v.concat(),
            ),
            0..3,
        )) {
            let keys: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
            check_heading(&pieces, &keys);
        }

        #[test]
        fn merge_same_agrees_on_random_cells(cells in proptest::collection::vec(
            (0usize..4, 0usize..6, 0usize..3),
            0..12,
        )) {
            let cells: Vec<(usize, Piece)> = cells
                .into_iter()
                .map(|(c, s, len)| (c, Piece { s, e: s + len, col: 0 }))
                .collect();
            proptest::prop_assert_eq!(merge_same(cells.clone()), merge_same_reference(cells));
        }
    }
}
