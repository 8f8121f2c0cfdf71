//! `--format md`: a report a person reads, in the words of the genre.
//!
//! The title and the header (文号, 发文机关, 日期 …), then the outline:
//! each heading as a Markdown heading, each task as a paragraph that opens
//! with its marker in bold (`**四、1.** 优化企业发展环境……`), followed by a
//! list of its agencies by role (牵头单位, 责任单位, 配合单位), its deadline
//! (完成时限) and its targets (量化目标). With `--agency`, exactly the
//! tasks that name the agency, under the headings they belong to, each with
//! a first line `本单位：` saying how; then, in a closing section of their
//! own, the tasks that name only a group it may belong to (`经由群体`, for
//! a person to confirm).

use crate::formats::{Item, Source};
use std::collections::HashMap;
use std::io::{self, Write};
use zhengce::quantity::{Bound, Decimal, Modality};
use zhengce::{Agency, AgencyNames, Assignment, Node, NodeKind, Role, Span, Target};

/// Writes the report of one text.
pub fn write(
    out: &mut impl Write,
    source: &Source,
    items: &[Item],
    agency: Option<&str>,
    names: &AgencyNames,
) -> io::Result<()> {
    let document = &source.parsed.document;
    let meta = &document.metadata;
    let title = meta.title.as_ref().map_or(source.name, |t| t.text.as_str());
    writeln!(out, "# {}\n", inline(title))?;
    writeln!(out, "- 文件：{}", code(source.name))?;
    for (label, text) in [
        ("文号", &meta.doc_number),
        ("主送", &meta.addressees),
        ("发文机关", &meta.issuer),
    ] {
        if let Some(t) = text {
            writeln!(out, "- {label}：{}", inline(&t.text))?;
        }
    }
    if let Some(date) = &meta.date {
        writeln!(out, "- 日期：{}", inline(&date.text))?;
    }
    let (tasks, targets) = document
        .records()
        .fold((0, 0), |(n, t), r| (n + 1, t + r.targets.len()));
    writeln!(out, "- 任务 {tasks} 项，量化目标 {targets} 个")?;
    let kept = |group: bool| -> HashMap<Span, Option<&Assignment>> {
        items
            .iter()
            .filter(|i| matches!(i.assignment, Some(Assignment::Group { .. })) == group)
            .map(|i| (i.task.span, i.assignment.as_ref()))
            .collect()
    };
    let Some(agency) = agency else {
        let mut report = Report {
            out,
            kept: None,
            names,
            agency,
            depth: 0,
        };
        let mut path = Vec::new();
        for node in &document.nodes {
            report.node(node, 0, &mut path)?;
        }
        return Ok(());
    };
    // The list a department pins on its wall: exactly the tasks that name
    // it. Tasks that name only a group it may belong to follow, apart.
    let (named, via_group) = (kept(false), kept(true));
    let canonical = names.canonical(agency);
    let also = if canonical == zhengce::fold(agency) {
        String::new()
    } else {
        format!("（即{}）", inline(&canonical))
    };
    writeln!(
        out,
        "\n> 点名**{}**{also}的任务：{} 项。另有 {} 项任务点名的是它可能所属的群体，列在最后，是否包括本单位须人工确认。",
        inline(agency),
        named.len(),
        via_group.len(),
    )?;
    let mut report = Report {
        out,
        kept: Some(&named),
        names,
        agency: Some(agency),
        depth: 0,
    };
    let mut path = Vec::new();
    for node in &document.nodes {
        report.node(node, 0, &mut path)?;
    }
    if !via_group.is_empty() {
        writeln!(
            report.out,
            "\n---\n\n## 经由群体的任务（{} 项，是否包括本单位须人工确认）",
            via_group.len()
        )?;
        report.kept = Some(&via_group);
        report.depth = 1;
        for node in &document.nodes {
            report.node(node, 0, &mut path)?;
        }
    }
    Ok(())
}

struct Report<'a, W> {
    out: &'a mut W,
    /// With `--agency`: the tasks to show, by span, and how the agency
    /// answers for each.
    kept: Option<&'a HashMap<Span, Option<&'a Assignment>>>,
    names: &'a AgencyNames,
    agency: Option<&'a str>,
    /// Heading levels below the report's own: 1 in the closing section.
    depth: usize,
}

impl<W: Write> Report<'_, W> {
    /// Whether `node` is shown in full: everything, or with `--agency`
    /// the agency's tasks.
    fn keeps(&self, node: &Node) -> bool {
        match self.kept {
            None => true,
            Some(kept) => node.kind == NodeKind::Task && kept.contains_key(&node.text_span),
        }
    }

    /// Whether `node` or anything under it is shown.
    fn shows(&self, node: &Node) -> bool {
        self.kept.is_none() || self.keeps(node) || node.children.iter().any(|c| self.shows(c))
    }

    fn node(&mut self, node: &Node, depth: usize, path: &mut Vec<String>) -> io::Result<()> {
        if !self.shows(node) {
            return Ok(());
        }
        let marker = node.marker.as_ref().map_or("", |m| m.text.as_str());
        let whole = self.kept.is_none();
        match node.kind {
            NodeKind::Task if self.keeps(node) => self.task(node, path)?,
            NodeKind::Orphan if whole => self.orphan(node)?,
            NodeKind::Paragraph if whole => {
                writeln!(self.out, "\n{}{}", inline(marker), inline(&node.text))?;
            }
            // A heading, or with `--agency` a node shown only for the tasks
            // under it.
            _ => {
                let level = "#".repeat((depth + self.depth + 2).min(6));
                writeln!(
                    self.out,
                    "\n{level} {}{}",
                    inline(marker),
                    inline(&node.text)
                )?;
            }
        }
        let pushed = match (&node.marker, node.kind) {
            (Some(m), _) => Some(String::from(&m.text)),
            (None, NodeKind::Attachment) => Some(String::from(&node.text)),
            _ => None,
        };
        let has = pushed.is_some();
        path.extend(pushed);
        for child in &node.children {
            self.node(child, depth + 1, path)?;
        }
        if has {
            path.pop();
        }
        Ok(())
    }

    fn task(&mut self, node: &Node, path: &[String]) -> io::Result<()> {
        let marker = node.marker.as_ref().map_or("", |m| m.text.as_str());
        let label = format!("{}{marker}", path.concat());
        if label.is_empty() {
            writeln!(self.out, "\n{}\n", inline(&node.text))?;
        } else {
            writeln!(
                self.out,
                "\n**{}** {}\n",
                inline(&label),
                inline(&node.text)
            )?;
        }
        if let Some(Some(assignment)) = self.kept.and_then(|k| k.get(&node.text_span)) {
            let line = match assignment {
                Assignment::Named { role, written } => {
                    format!("{}（点名：{}）", role_label(*role), inline(written))
                }
                Assignment::Group { role, group } => format!(
                    "经由群体“{}”（{}；是否包括本单位须人工确认）",
                    inline(group),
                    role_label(*role)
                ),
                other => role_label(other.role()).to_owned(),
            };
            writeln!(self.out, "- 本单位：{line}")?;
        }
        self.agencies(node)?;
        if let Some(deadline) = node.deadline() {
            writeln!(self.out, "- 完成时限：{}", inline(&deadline.text))?;
        }
        if !node.targets.is_empty() {
            writeln!(self.out, "- 量化目标：")?;
            for t in &node.targets {
                writeln!(self.out, "  - {}", target(t))?;
            }
        }
        Ok(())
    }

    fn orphan(&mut self, node: &Node) -> io::Result<()> {
        writeln!(self.out, "\n*（前面没有任务的责任单位）*\n")?;
        self.agencies(node)
    }

    /// The agencies of `node` by role, as written; with `--agency`, the
    /// agency's own name in bold.
    fn agencies(&mut self, node: &Node) -> io::Result<()> {
        for role in [Role::Lead, Role::Responsible, Role::Cooperating] {
            let list: Vec<String> = node
                .agencies()
                .filter(|a| a.role == role)
                .map(|a| self.agency_name(a))
                .collect();
            if !list.is_empty() {
                writeln!(self.out, "- {}：{}", role_label(role), list.join("、"))?;
            }
        }
        Ok(())
    }

    fn agency_name(&self, a: &Agency) -> String {
        let mut name = inline(&a.name);
        if let Some(alias) = &a.alias {
            name = format!("{name}（{}）", inline(alias));
        }
        match self.agency {
            Some(wanted) if !a.group && self.names.same(&a.name, wanted) => format!("**{name}**"),
            _ => name,
        }
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Lead => "牵头单位",
        Role::Responsible => "责任单位",
        Role::Cooperating => "配合单位",
        _ => "相关单位",
    }
}

/// A target on one line: the phrase as written, then what was read from
/// it: `力争实际使用外资突破200亿美元：200 亿美元，超过，力争（= 20000000000 美元）`.
fn target(t: &Target) -> String {
    let mut s = format!(
        "{}：{}",
        inline(&t.text),
        amount(t.value, t.upper, t.unit.as_deref())
    );
    let bound = match t.bound {
        Bound::Exact | Bound::Range => None,
        Bound::AtLeast => Some("不低于"),
        Bound::MoreThan => Some("超过"),
        Bound::About => Some("左右"),
        Bound::AtMost => Some("不超过"),
        _ => None,
    };
    let modality = t.modality.and_then(|m| match m {
        Modality::Ensure => Some("确保"),
        Modality::Strive => Some("力争"),
        _ => None,
    });
    for word in [bound, modality].into_iter().flatten() {
        s.push('，');
        s.push_str(word);
    }
    if let Some(year) = t.year {
        s.push_str(&format!("，到{year}年"));
    }
    let n = &t.normalized;
    if n.value != t.value || n.unit != t.unit {
        s.push_str(&format!(
            "（= {}）",
            amount(n.value, n.upper, n.unit.as_deref())
        ));
    }
    s
}

/// `5.5 %`, `3–5 %`, `1/3`.
fn amount(value: Decimal, upper: Option<Decimal>, unit: Option<&str>) -> String {
    let mut s = value.to_string();
    if let Some(upper) = upper {
        s.push_str(&format!("–{upper}"));
    }
    if let Some(unit) = unit.filter(|u| !u.is_empty()) {
        s.push(' ');
        s.push_str(&inline(unit));
    }
    s
}

/// A code span (`` `name` ``), or escaped text when the name holds a
/// backtick.
fn code(text: &str) -> String {
    if text.contains('`') || text.contains(['\n', '\r']) {
        inline(text)
    } else {
        format!("`{text}`")
    }
}

/// Text for one line of Markdown: line breaks become spaces, and the
/// characters Markdown would read as markup are escaped.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
