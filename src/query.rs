//! Questions people ask of a parsed document: which tasks does an agency
//! answer for, what are all the targets, which agencies appear and how
//! often. Agency names are compared through one editable alias table,
//! [`AgencyNames`]; the text as written is always kept beside the
//! canonical name.

use crate::model::{Agency, Document, Role, Target};
use crate::records::TaskRecord;
use crate::string::Str;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Abbreviations that vary between documents, canonical name first.
/// Extend it with [`AgencyNames::add`] or [`AgencyNames::extend_from_tsv`].
const ALIASES: &[(&str, &[&str])] = &[
    (
        "省发展改革委",
        &["省发改委", "省发展和改革委员会", "省发展改革委员会"],
    ),
    (
        "省经信厅",
        &["省经济和信息化厅", "省经济信息化厅", "省经信委"],
    ),
    ("省科技厅", &["省科学技术厅"]),
    ("省财政厅", &["省财政部门"]),
    (
        "省人力社保厅",
        &["省人力资源社会保障厅", "省人力资源和社会保障厅", "省人社厅"],
    ),
    ("省商务厅", &["省商务部门"]),
    ("省市场监管局", &["省市场监督管理局"]),
    ("省生态环境厅", &["省环保厅"]),
    ("省自然资源厅", &["省国土资源厅"]),
    ("省住房城乡建设厅", &["省住建厅", "省住房和城乡建设厅"]),
    ("省交通运输厅", &["省交通厅"]),
    ("省农业农村厅", &["省农业厅"]),
    ("省文化和旅游厅", &["省文旅厅"]),
    ("省卫生健康委", &["省卫健委", "省卫生健康委员会"]),
    ("省教育厅", &["省教委"]),
    (
        "省国资委",
        &["省政府国资委", "省人民政府国有资产监督管理委员会"],
    ),
    (
        "省地方金融监管局",
        &["省金融监管局", "省地方金融监督管理局"],
    ),
    ("省大数据局", &["省大数据发展管理局"]),
    ("省委网信办", &["省网信办"]),
    (
        "国家发展改革委",
        &["国家发改委", "发展改革委", "国家发展和改革委员会"],
    ),
    ("工业和信息化部", &["工信部", "工业信息化部"]),
    ("人力资源社会保障部", &["人社部", "人力资源和社会保障部"]),
    ("住房城乡建设部", &["住建部", "住房和城乡建设部"]),
    (
        "市场监管总局",
        &["国家市场监管总局", "国家市场监督管理总局"],
    ),
    ("人民银行", &["人行", "中国人民银行"]),
    ("税务总局", &["国家税务总局"]),
    ("银保监会", &["中国银保监会"]),
    ("证监会", &["中国证监会"]),
];

/// The alias table: written names (folded) to canonical names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyNames {
    canonical: BTreeMap<String, String>,
}

impl Default for AgencyNames {
    fn default() -> AgencyNames {
        AgencyNames::builtin()
    }
}

/// Folds the differences that never matter in a name: full- and
/// half-width brackets, letters and digits, and spaces.
pub fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            '[' | '［' => '【',
            ']' | '］' => '】',
            '\u{ff01}'..='\u{ff5e}' if !matches!(c, '（' | '）') => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

impl AgencyNames {
    /// The built-in table of common abbreviations.
    pub fn builtin() -> AgencyNames {
        let mut names = AgencyNames::empty();
        for (canonical, aliases) in ALIASES {
            for alias in *aliases {
                names.add(canonical, alias);
            }
        }
        names
    }

    /// A table that knows no aliases: names match only as written (after
    /// [`fold`]).
    pub fn empty() -> AgencyNames {
        AgencyNames {
            canonical: BTreeMap::new(),
        }
    }

    /// Declares `alias` another name of `canonical`.
    pub fn add(&mut self, canonical: &str, alias: &str) {
        self.canonical.insert(fold(alias), fold(canonical));
    }

    /// Reads lines of `canonical<TAB>alias<TAB>alias…`; blank lines and
    /// lines starting with `#` are skipped.
    pub fn extend_from_tsv(&mut self, tsv: &str) {
        for line in tsv.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cells = line.split('\t').map(str::trim).filter(|c| !c.is_empty());
            if let Some(canonical) = cells.next() {
                for alias in cells {
                    self.add(canonical, alias);
                }
            }
        }
    }

    /// The canonical form of a name.
    pub fn canonical(&self, name: &str) -> String {
        let folded = fold(name);
        self.canonical.get(&folded).cloned().unwrap_or(folded)
    }

    /// Whether two names denote the same agency.
    pub fn same(&self, a: &str, b: &str) -> bool {
        self.canonical(a) == self.canonical(b)
    }
}

/// How an agency comes to answer for a task.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "via", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Assignment {
    /// The task names the agency.
    Named {
        /// Its role.
        role: Role,
        /// The name as written in the task.
        written: Str,
    },
    /// The task names a group the agency may belong to (`有关部门`,
    /// `各设区市政府`); whether it does is for a person to judge.
    Group {
        /// Its role.
        role: Role,
        /// The group as written.
        group: Str,
    },
}

impl Assignment {
    /// The role the task gives, whichever way the agency is assigned.
    pub fn role(&self) -> Role {
        match self {
            Assignment::Named { role, .. } | Assignment::Group { role, .. } => *role,
        }
    }

    /// The group the task names, when the agency is assigned through one.
    pub fn group(&self) -> Option<&str> {
        match self {
            Assignment::Group { group, .. } => Some(group),
            Assignment::Named { .. } => None,
        }
    }
}

/// One task an agency answers for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Duty {
    /// How the agency is assigned.
    pub assignment: Assignment,
    /// The task.
    pub task: TaskRecord,
}

/// A target with the task it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TargetRecord {
    /// Markers of the enclosing headings, outermost first.
    pub path: Vec<String>,
    /// The task's own marker.
    pub number: Option<String>,
    /// The task's text.
    pub task: String,
    /// The target.
    pub target: Target,
}

/// An agency of a document with how often it appears.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgencyCount {
    /// The canonical name.
    pub name: Str,
    /// Every way the document writes it.
    pub written: Vec<Str>,
    /// True for references to a set of bodies.
    pub group: bool,
    /// Tasks naming it, by role.
    pub lead: usize,
    /// Tasks naming it as responsible.
    pub responsible: usize,
    /// Tasks naming it as cooperating.
    pub cooperating: usize,
    /// Tasks naming it in any role.
    pub tasks: usize,
}

/// Whether `agency` may belong to `group`: governments to groups of
/// governments (`各设区市政府`, `各地区`), other bodies to groups of
/// departments and members (`有关部门`, `…成员单位`).
fn may_belong(agency: &str, group: &Agency) -> bool {
    let is_government = agency.ends_with("政府") || agency.ends_with("管委会");
    let g = group.name.as_str();
    let of_governments = g.ends_with("政府")
        || g.ends_with("地区")
        || g.ends_with("各地")
        || g.ends_with("管委会")
        || g.ends_with('市')
        || g.ends_with('县')
        || g.ends_with("区")
        || g.ends_with("街道");
    let of_departments = g.contains("部门") || g.contains("单位") || g.contains("机构");
    (is_government && of_governments) || (!is_government && of_departments)
}

impl Document {
    /// Every task `agency` answers for, in text order: those that name it
    /// (in any of the ways `names` knows), and, marked as such, those
    /// that name a group it may belong to.
    pub fn duties(&self, agency: &str, names: &AgencyNames) -> Vec<Duty> {
        let wanted = names.canonical(agency);
        let mut out = Vec::new();
        for task in self.task_records() {
            let named = task
                .agencies
                .iter()
                .find(|a| !a.group && names.canonical(&a.name) == wanted)
                .map(|a| Assignment::Named {
                    role: a.role,
                    written: a.name.clone(),
                });
            let assignment = named.or_else(|| {
                task.agencies
                    .iter()
                    .find(|a| a.group && may_belong(&wanted, a))
                    .map(|a| Assignment::Group {
                        role: a.role,
                        group: a.name.clone(),
                    })
            });
            if let Some(assignment) = assignment {
                out.push(Duty { assignment, task });
            }
        }
        out
    }

    /// Every target of the document with its task, in text order.
    pub fn target_records(&self) -> Vec<TargetRecord> {
        self.task_records()
            .into_iter()
            .flat_map(|task| {
                let TaskRecord {
                    path,
                    number,
                    text,
                    targets,
                    ..
                } = task;
                targets.into_iter().map(move |target| TargetRecord {
                    path: path.clone(),
                    number: number.clone(),
                    task: text.clone(),
                    target,
                })
            })
            .collect()
    }

    /// Every agency of the document with counts, by canonical name.
    pub fn agency_counts(&self, names: &AgencyNames) -> Vec<AgencyCount> {
        let mut counts: BTreeMap<String, AgencyCount> = BTreeMap::new();
        for task in self.task_records() {
            let mut seen: Vec<String> = Vec::new();
            for a in &task.agencies {
                let name = names.canonical(&a.name);
                let entry = counts.entry(name.clone()).or_insert_with(|| AgencyCount {
                    name: Str::from(name.as_str()),
                    written: Vec::new(),
                    group: a.group,
                    lead: 0,
                    responsible: 0,
                    cooperating: 0,
                    tasks: 0,
                });
                if !entry.written.contains(&a.name) {
                    entry.written.push(a.name.clone());
                }
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name);
                entry.tasks += 1;
                match a.role {
                    Role::Lead => entry.lead += 1,
                    Role::Responsible => entry.responsible += 1,
                    Role::Cooperating => entry.cooperating += 1,
                }
            }
        }
        counts.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "一、工作\n\
        1.任务甲。\n责任单位：省经信厅、省发改委\n\
        2.任务乙新增企业20家。\n责任单位：省经济和信息化厅\n\
        3.任务丙。\n责任单位：省财政厅，有关部门\n\
        4.任务丁。\n责任单位：杭州市、宁波市政府，各设区市政府\n";

    #[test]
    fn aliases_and_widths_fold() {
        let names = AgencyNames::builtin();
        assert!(names.same("省发改委", "省发展改革委"));
        assert!(names.same("省经信厅", "省经济和信息化厅"));
        assert!(names.same("省委组织部(省委人才办)", "省委组织部（省委人才办）"));
        assert!(!names.same("省经信厅", "省商务厅"));
        let mut names = AgencyNames::empty();
        names.extend_from_tsv("# canonical\taliases\n省大数据局\t省数据局\n");
        assert!(names.same("省数据局", "省大数据局"));
    }

    #[test]
    fn duties_by_name_alias_and_group() {
        let doc = crate::parse(TEXT).document;
        let names = AgencyNames::builtin();
        let duties = doc.duties("省经信厅", &names);
        let numbers: Vec<_> = duties
            .iter()
            .map(|d| d.task.number.clone().unwrap())
            .collect();
        assert_eq!(numbers, ["1.", "2.", "3."]);
        assert!(
            matches!(duties[2].assignment, Assignment::Group { ref group, .. } if group == "有关部门")
        );
        let city = doc.duties("温州市政府", &names);
        assert_eq!(city.len(), 1);
        assert!(matches!(city[0].assignment, Assignment::Group { .. }));
        let hz = doc.duties("杭州市政府", &names);
        assert!(matches!(hz[0].assignment, Assignment::Named { .. }));
    }

    #[test]
    fn counts_and_targets() {
        let doc = crate::parse(TEXT).document;
        let counts = doc.agency_counts(&AgencyNames::builtin());
        let jx = counts.iter().find(|c| c.name == "省经信厅").unwrap();
        assert_eq!(jx.tasks, 2);
        assert_eq!(jx.written, ["省经信厅", "省经济和信息化厅"]);
        let targets = doc.target_records();
        assert!(targets.iter().all(|t| t.path == ["一、"]));
        assert!(targets.iter().any(|t| t.number.as_deref() == Some("2.")));
    }
}
