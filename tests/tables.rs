//! Tables turned into text (tab, Markdown and space-aligned): rows,
//! categories, wrapped cells, agencies with their roles, deadlines.

mod common;

use zhengce::{MarkerStyle, Node, NodeKind, Parsed, ResponsibilityForm, Role};

const TABS: &str = include_str!("../fixtures/b01_table-tabs.txt");
const MARKDOWN: &str = include_str!("../fixtures/b02_table-markdown.txt");
const SPACES: &str = include_str!("../fixtures/b03_table-spaces.txt");

/// Every node of the outline, depth first, in text order.
fn all(parsed: &Parsed) -> Vec<&Node> {
    fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
        out.push(n);
        n.children.iter().for_each(|c| walk(c, out));
    }
    let mut out = Vec::new();
    parsed.document.nodes.iter().for_each(|n| walk(n, &mut out));
    out
}

/// The rows of the tables: nodes numbered by a `序号` cell.
fn rows(parsed: &Parsed) -> Vec<&Node> {
    all(parsed)
        .into_iter()
        .filter(|n| {
            n.marker
                .as_ref()
                .is_some_and(|m| m.style == MarkerStyle::Row)
        })
        .collect()
}

fn roles(node: &Node) -> Vec<(&str, Role)> {
    node.agencies().map(|a| (a.name.as_str(), a.role)).collect()
}

fn cell<'a>(node: &'a Node, column: &str) -> Option<&'a str> {
    node.cells
        .iter()
        .find(|c| c.column == column)
        .map(|c| c.text.as_str())
}

#[test]
fn table_fixtures_keep_the_invariants() {
    for src in [TABS, MARKDOWN, SPACES] {
        let parsed = zhengce::parse(src);
        if let Err(e) = common::check_invariants(src, &parsed) {
            panic!("{e}");
        }
    }
}

#[test]
fn prose_is_never_a_table() {
    let prose = "一、优化营商环境  深化改革\n\
                 1.推进  重点项目建设。\n\
                 责任单位：省经信厅  省科技厅\n\
                 序号  工作任务  牵头单位\n\
                 \n\
                 上述工作任务由牵头单位负责，完成时限  另行通知。\n";
    for src in [
        prose,
        include_str!("../fixtures/R2_zhejiang-2025-zhengfu-gongzuo-baogao.txt"),
        include_str!("../fixtures/R4_jilin-2025-zhengfu-gongzuo-baogao.txt"),
        include_str!("../fixtures/00_zhejiang-2023-fengong-fragment.txt"),
    ] {
        let parsed = zhengce::parse(src);
        assert!(rows(&parsed).is_empty());
        assert!(all(&parsed).iter().all(|n| {
            n.cells.is_empty()
                && n.responsibilities
                    .iter()
                    .all(|r| r.form != ResponsibilityForm::Table)
        }));
    }
}

#[test]

fn tab_table_rows_under_categories() {
    let parsed = zhengce::parse(TABS);
    let rows = rows(&parsed);
    assert_eq!(rows.len(), 10);
    let numbers: Vec<u32> = rows
        .iter()
        .map(|r| r.marker.as_ref().unwrap().number)
        .collect();
    assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
    assert!(rows.iter().all(|r| r.kind == NodeKind::Task));
    // The 重点工作 column groups the rows; its merged (empty) cells keep a
    // row under the heading above it.
    let headings: Vec<(&str, usize)> = all(&parsed)
        .into_iter()
        .filter(|n| n.kind == NodeKind::Heading && n.children.iter().any(|c| c.cells.len() > 1))
        .map(|n| (n.text.as_str(), n.children.len()))
        .collect();
    assert_eq!(
        headings,
        [
            ("稳住经济大盘", 4),
            ("建设创新强省", 3),
            ("增进民生福祉", 3)
        ]
    );
    // A task cell broken over lines is joined, each piece kept.
    assert_eq!(
        rows[2].text,
        "推动消费复苏回暖，打响“浙里来消费”品牌，力争社会消费品零售总额增长4.5%左右。"
    );
    assert_eq!(rows[2].segments.len(), 2);
    assert_eq!(
        rows[4].text,
        "部署实施省级重大科技项目400项以上，新增高新技术企业4000家、科技型中小企业8000家，新增高价值发明专利9000件。"
    );
    assert_eq!(rows[4].segments.len(), 3);
    // 列第一位的为牵头单位: the first unit of the 责任单位 column leads.
    assert_eq!(
        roles(rows[0]),
        [
            ("省发展改革委", Role::Lead),
            ("省经信厅", Role::Responsible),
            ("省统计局", Role::Responsible)
        ]
    );
    let r = &rows[0].responsibilities[0];
    assert_eq!(r.form, ResponsibilityForm::Table);
    assert_eq!(rows[0].deadline().unwrap().text, "2023年12月底前");
    assert_eq!(rows[9].deadline().unwrap().text, "持续推进");
    assert_eq!(cell(rows[0], "重点工作"), Some("稳住经济大盘"));
    assert_eq!(cell(rows[1], "重点工作"), None);
    assert_eq!(cell(rows[0], "序号"), Some("1"));
    assert!(!rows[0].targets.is_empty());
    // One JSONL record a row.
    let records = parsed.document.task_records();
    let numbered: Vec<_> = records.iter().filter(|r| r.number.is_some()).collect();
    assert_eq!(numbered.len(), 10);
    assert_eq!(numbered[5].agencies[0].alias.as_deref(), Some("省委人才办"));
}

#[test]

fn markdown_table_with_rule_row() {
    let parsed = zhengce::parse(MARKDOWN);
    let rows = rows(&parsed);
    assert_eq!(rows.len(), 8);
    assert!(parsed.document.metadata.furniture.iter().any(|f| {
        f.kind == zhengce::FurnitureKind::TableRule && f.text == "|:---:|---|---|---|---|:---:|"
    }));
    assert_eq!(
        rows[0].text,
        "全面实施市场准入负面清单管理，推动清单事项全部实现网上办理。"
    );
    assert_eq!(
        roles(rows[0]),
        [
            ("省发展改革委", Role::Lead),
            ("省商务厅", Role::Lead),
            ("省市场监管局", Role::Cooperating)
        ]
    );
    assert_eq!(
        roles(rows[1]),
        [
            ("省政府办公厅", Role::Lead),
            ("省级有关部门", Role::Cooperating),
            ("各设区市政府", Role::Cooperating)
        ]
    );
    // An empty 配合单位 cell.
    assert_eq!(roles(rows[6]), [("省发展改革委", Role::Lead)]);
    assert_eq!(rows[6].deadline().unwrap().text, "2024年10月底前");
    // 主要任务 is the category when 具体任务 is the task.
    let categories: Vec<&str> = all(&parsed)
        .into_iter()
        .filter(|n| n.kind == NodeKind::Heading && n.children.iter().any(|c| !c.cells.is_empty()))
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(
        categories,
        [
            "降低市场主体准入成本",
            "减轻市场主体经营负担",
            "降低市场主体办事成本"
        ]
    );
}

#[test]

fn space_aligned_table_with_remarks() {
    let parsed = zhengce::parse(SPACES);
    let rows = rows(&parsed);
    assert_eq!(rows.len(), 7);
    assert_eq!(
        rows[0].text,
        "地区生产总值增长6.5%以上，规上工业增加值增长8%。"
    );
    assert_eq!(rows[5].text, "改造老旧小区22个，惠及居民3200户。");
    assert_eq!(
        roles(rows[1]),
        [
            ("区发改局", Role::Lead),
            ("区经信局", Role::Cooperating),
            ("区自然资源和规划分局", Role::Cooperating)
        ]
    );
    assert_eq!(rows[0].deadline().unwrap().text, "2023年12月");
    assert_eq!(cell(rows[0], "备注"), Some("区长"));
    assert_eq!(cell(rows[4], "备注"), Some("常务副区长"));
    assert_eq!(cell(rows[3], "备注"), None);
    // The copy-to line after the table is not a row.
    assert!(rows.iter().all(|r| !r.text.contains("抄送")));
}
