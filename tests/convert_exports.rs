//! The converter's exports as their readers see them: CSV tables parsed
//! back with the csv crate, the Markdown report read line by line, and
//! `--agency` checked against what the text itself says, not against the
//! library's query code.

mod converter;

use converter::{SEED, fixtures, ok, records, root, run, stderr};
use std::collections::BTreeSet;
use zhengce::TaskRecord;

/// Names the issue gives for one agency: `省经信厅` = `省经济和信息化厅`.
const JINGXIN: [&str; 2] = ["省经信厅", "省经济和信息化厅"];

/// Markdown escapes undone.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

/// A task as the report shows it.
#[derive(Debug)]
struct MdTask {
    /// `四、1.`
    label: String,
    text: String,
    /// The `本单位：` line, with `--agency`.
    how: Option<String>,
    /// Every `- 牵头单位/责任单位/配合单位：` list, names as shown.
    agencies: Vec<String>,
    /// The phrase of each target, as written in the text.
    targets: Vec<String>,
}

/// The tasks of a report: a paragraph opening with a bold marker, then
/// its list.
fn md_tasks(md: &str) -> Vec<MdTask> {
    let mut tasks: Vec<MdTask> = Vec::new();
    let mut in_targets = false;
    for line in md.lines() {
        if let Some(rest) = line.strip_prefix("**") {
            let (label, text) = rest.split_once("** ").expect("bold marker");
            tasks.push(MdTask {
                label: unescape(label),
                text: unescape(text),
                how: None,
                agencies: Vec::new(),
                targets: Vec::new(),
            });
            in_targets = false;
            continue;
        }
        let Some(task) = tasks.last_mut() else {
            continue;
        };
        if let Some(how) = line.strip_prefix("- 本单位：") {
            task.how = Some(how.to_owned());
        } else if line == "- 量化目标：" {
            in_targets = true;
        } else if in_targets && let Some(t) = line.strip_prefix("  - ") {
            // `phrase：value unit，bound…`: the phrase is up to the last
            // `：` before the value.
            let phrase = t.rsplit_once('：').expect("phrase：value").0;
            task.targets.push(unescape(phrase));
        } else if let Some(list) = ["- 牵头单位：", "- 责任单位：", "- 配合单位："]
            .iter()
            .find_map(|p| line.strip_prefix(p))
        {
            task.agencies.extend(
                list.split('、')
                    .map(|a| unescape(&a.replace("**", "")).to_owned()),
            );
        } else if line.is_empty() || line.starts_with('#') {
            in_targets = false;
        }
    }
    tasks
}

/// The tasks of the seed fragment read straight from its text: each
/// numbered line `N.text` with the agencies of the `责任单位:` line after
/// it, and the heading (`四、…`) it is under.
fn seed_tasks() -> Vec<(String, String, Vec<String>)> {
    let text = std::fs::read_to_string(root().join(SEED)).unwrap();
    let mut heading = String::new();
    let mut tasks: Vec<(String, String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if line.starts_with("四、") || line.starts_with("五、") {
            heading = line.chars().take(2).collect();
        } else if digits > 0 && line[digits..].starts_with('.') {
            let label = format!("{heading}{}", &line[..=digits]);
            tasks.push((label, line[digits + 1..].to_owned(), Vec::new()));
        } else if let Some(list) = line.strip_prefix("责任单位:")
            && let Some(task) = tasks.last_mut()
            && task.2.is_empty()
        {
            task.2 = list.split(['、', ',', '，']).map(str::to_owned).collect();
        }
    }
    tasks
}

#[test]
fn agency_md_lists_exactly_the_tasks_that_name_it() {
    let tasks = seed_tasks();
    assert_eq!(tasks.len(), 16, "the seed has 3. and 四、1.–15.");
    let named: BTreeSet<&str> = tasks
        .iter()
        .filter(|(_, _, agencies)| agencies.iter().any(|a| JINGXIN.contains(&a.as_str())))
        .map(|(label, _, _)| label.as_str())
        .collect();
    // Tasks that do not name it but name a group of departments
    // (`…其他成员单位`) it may belong to.
    let via_group: BTreeSet<&str> = tasks
        .iter()
        .filter(|(label, _, agencies)| {
            !named.contains(label.as_str())
                && agencies
                    .iter()
                    .any(|a| a.ends_with("单位") || a.contains("部门"))
        })
        .map(|(label, _, _)| label.as_str())
        .collect();
    assert_eq!(named.len(), 13, "{named:?}");
    assert_eq!(via_group.len(), 3, "{via_group:?}");

    // The targets of each task, from the converter's own JSONL (the
    // model, not the query).
    let jsonl = ok(run(&["-q", "--format", "jsonl", SEED], None));
    let all: Vec<TaskRecord> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    for agency in JINGXIN {
        let md = ok(run(
            &["-q", "--agency", agency, "--format", "md", SEED],
            None,
        ));
        // The wall list is exactly the tasks that name it; the tasks that
        // name only a group come after it, apart.
        let (wall, apart) = md
            .split_once("\n---\n")
            .expect("a closing section for the group tasks");
        let wall_labels: BTreeSet<String> = md_tasks(wall).into_iter().map(|t| t.label).collect();
        let apart_labels: BTreeSet<String> = md_tasks(apart).into_iter().map(|t| t.label).collect();
        assert_eq!(
            wall_labels
                .iter()
                .map(String::as_str)
                .collect::<BTreeSet<_>>(),
            named,
            "{agency}: the wall list\n{md}"
        );
        assert_eq!(
            apart_labels
                .iter()
                .map(String::as_str)
                .collect::<BTreeSet<_>>(),
            via_group,
            "{agency}: the group tasks\n{md}"
        );
        let shown = md_tasks(&md);
        let labels: BTreeSet<&str> = shown.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(shown.len(), labels.len(), "each task once");
        let shown_named: BTreeSet<&str> = shown
            .iter()
            .filter(|t| t.how.as_deref().unwrap().contains("点名"))
            .map(|t| t.label.as_str())
            .collect();
        let shown_group: BTreeSet<&str> = shown
            .iter()
            .filter(|t| t.how.as_deref().unwrap().starts_with("经由群体"))
            .map(|t| t.label.as_str())
            .collect();
        assert_eq!(shown_named, named, "{agency}: named tasks\n{md}");
        assert_eq!(shown_group, via_group, "{agency}: group tasks\n{md}");
        assert_eq!(shown.len(), named.len() + via_group.len());
        for task in &shown {
            let (_, text, _) = tasks.iter().find(|t| t.0 == task.label).unwrap();
            assert_eq!(&task.text, text, "{}", task.label);
            let lists_it = task.agencies.iter().any(|a| JINGXIN.contains(&a.as_str()));
            assert_eq!(
                lists_it,
                named.contains(task.label.as_str()),
                "{}",
                task.label
            );
            let record = all.iter().find(|r| &r.text == text).unwrap();
            let targets: Vec<&str> = record.targets.iter().map(|t| t.text.as_str()).collect();
            assert_eq!(task.targets, targets, "{}: targets", task.label);
        }
        assert!(
            md.contains("力争规上工业增加值增长5.5%：5.5 %，力争"),
            "{md}"
        );
        assert!(
            md.contains("的任务：13 项。另有 3 项任务点名的是它可能所属的群体"),
            "{md}"
        );
        // The agency's own name stands out in the lists.
        assert!(md.contains("**省经信厅**、省发展改革委、省科技厅"), "{md}");
    }
}

#[test]
fn md_report_shows_every_task_under_its_heading() {
    let md = ok(run(&["-q", "--format", "md", SEED], None));
    let records = records(&root().join(SEED));
    let shown = md_tasks(&md);
    assert_eq!(shown.len(), records.len(), "{md}");
    for (task, record) in shown.iter().zip(&records) {
        let label = format!(
            "{}{}",
            record.path.concat(),
            record.number.as_deref().unwrap_or("")
        );
        assert_eq!(task.label, label);
        assert_eq!(task.text, record.text);
        assert!(task.how.is_none(), "no 本单位 line without --agency");
        let targets: Vec<&str> = record.targets.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(task.targets, targets);
        let agencies: Vec<String> = record
            .agencies
            .iter()
            .map(|a| match &a.alias {
                Some(alias) => format!("{}（{alias}）", a.name),
                None => a.name.to_string(),
            })
            .collect();
        let mut shown = task.agencies.clone();
        shown.sort();
        let mut expected = agencies.clone();
        expected.sort();
        assert_eq!(shown, expected, "{label}");
    }
    assert!(md.starts_with("# "), "a title first");
    assert!(md.contains("\n## 四、卢山副省长牵头重点工作\n"), "{md}");
    assert!(md.contains("- 任务 17 项，量化目标 "), "{md}");
    // The responsibility before any task is kept, as in the model.
    assert!(md.contains("*（前面没有任务的责任单位）*"), "{md}");
}

#[test]
fn md_escapes_what_markdown_would_read_as_markup() {
    let text = "一、重点*工作*\n1.推进_数字_化`改革`，[试点]<一>#1|2。\n责任单位：省经信厅\n";
    let md = ok(run(&["-q", "--format", "md", "-"], Some(text.as_bytes())));
    assert!(md.contains("## 一、重点\\*工作\\*\n"), "{md}");
    assert!(
        md.contains("**一、1.** 推进\\_数字\\_化\\`改革\\`，\\[试点\\]\\<一\\>\\#1\\|2。"),
        "{md}"
    );
}

#[test]
fn md_reports_every_corpus_text() {
    for path in fixtures() {
        let p = path.to_str().unwrap();
        let md = ok(run(&["-q", "--format", "md", p], None));
        let records = records(&path);
        assert_eq!(md_tasks(&md).len(), records.len(), "{p}");
    }
}

// ---- CSV ----

const DUTIES: [&str; 10] = [
    "file",
    "path",
    "number",
    "task",
    "agency",
    "canonical",
    "role",
    "group",
    "alias",
    "deadline",
];

const TARGETS: [&str; 22] = [
    "file",
    "path",
    "number",
    "task",
    "text",
    "span_start",
    "span_end",
    "value",
    "unit",
    "normalized_value",
    "normalized_unit",
    "normalized_upper",
    "kind",
    "currency",
    "classifier",
    "bound",
    "upper",
    "modality",
    "verb",
    "subject",
    "each",
    "year",
];

/// A CSV table parsed back: its header and rows.
fn table(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader.records().map(|r| r.unwrap()).collect();
    (header, rows)
}

/// The CSV table `table_name` the converter writes for the file at `path`.
fn csv(path: &str, table_name: &str) -> String {
    ok(run(
        &["-q", "--format", "csv", "--table", table_name, path],
        None,
    ))
}

/// Fields `range` of a row.
fn cols(row: &csv::StringRecord, range: std::ops::Range<usize>) -> Vec<&str> {
    row.iter().skip(range.start).take(range.len()).collect()
}

fn role(role: zhengce::Role) -> &'static str {
    match role {
        zhengce::Role::Lead => "lead",
        zhengce::Role::Responsible => "responsible",
        zhengce::Role::Cooperating => "cooperating",
        other => panic!("a role this test does not know: {other:?}"),
    }
}

#[test]
fn csv_duties_is_one_row_per_task_and_agency() {
    let names = zhengce::AgencyNames::builtin();
    for path in fixtures() {
        let p = path.to_str().unwrap();
        let out = run(&["-q", "--format", "csv", p], None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let (header, rows) = table(&out.stdout);
        assert_eq!(header, DUTIES);
        let mut expected = Vec::new();
        for r in records(&path) {
            let head = [
                p.to_owned(),
                r.path.concat(),
                r.number.clone().unwrap_or_default(),
                r.text.clone(),
            ];
            let deadline = r.deadline.clone().unwrap_or_default();
            if r.agencies.is_empty() {
                let mut row = head.to_vec();
                row.extend(["", "", "", "", ""].map(String::from));
                row.push(deadline.clone());
                expected.push(row);
            }
            for a in &r.agencies {
                let mut row = head.to_vec();
                row.extend([
                    a.name.to_string(),
                    names.canonical(&a.name),
                    role(a.role).to_owned(),
                    a.group.to_string(),
                    a.alias.as_deref().unwrap_or_default().to_owned(),
                    deadline.clone(),
                ]);
                expected.push(row);
            }
        }
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows, expected, "{p}");
    }
    // A comma in a field is quoted, not a column break.
    let out = ok(run(&["-q", "--format", "csv", SEED], None));
    assert!(
        out.contains(",\"优化企业发展环境,及时足额落实"),
        "the task text is quoted"
    );
    // Alias folding: the canonical column.
    let out = ok(run(
        &["-q", "--format", "csv", "-"],
        Some("1.甲。\n责任单位：省经济和信息化厅、省委组织部(省委人才办)\n".as_bytes()),
    ));
    let (_, rows) = table(out.as_bytes());
    assert_eq!(cols(&rows[0], 4..6), ["省经济和信息化厅", "省经信厅"]);
    assert_eq!(
        cols(&rows[1], 4..9),
        [
            "省委组织部",
            "省委组织部",
            "responsible",
            "false",
            "省委人才办"
        ]
    );
}

#[test]
fn csv_targets_has_every_field_written_exactly() {
    let mut total = 0;
    for path in fixtures() {
        let p = path.to_str().unwrap();
        let out = run(&["-q", "--format", "csv", "--table", "targets", p], None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let (header, rows) = table(&out.stdout);
        assert_eq!(header, TARGETS);
        let records = records(&path);
        let targets: Vec<(&TaskRecord, &zhengce::Target)> = records
            .iter()
            .flat_map(|r| r.targets.iter().map(move |t| (r, t)))
            .collect();
        assert_eq!(rows.len(), targets.len(), "{p}");
        for (row, (record, t)) in rows.iter().zip(&targets) {
            let json = serde_json::to_value(t).unwrap();
            let s = |v: &serde_json::Value| match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let expected = [
                p.to_owned(),
                record.path.concat(),
                record.number.clone().unwrap_or_default(),
                record.text.clone(),
                t.text.to_string(),
                t.span.start.to_string(),
                t.span.end.to_string(),
                t.value.to_string(),
                s(&json["unit"]),
                t.normalized.value.to_string(),
                s(&json["normalized"]["unit"]),
                t.normalized
                    .upper
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
                s(&json["kind"]),
                s(&json["currency"]),
                s(&json["classifier"]),
                s(&json["bound"]),
                t.upper.map(|u| u.to_string()).unwrap_or_default(),
                s(&json["modality"]),
                s(&json["verb"]),
                s(&json["subject"]),
                s(&json["each"]),
                s(&json["year"]),
            ];
            assert_eq!(row.iter().collect::<Vec<_>>(), expected, "{p}");
        }
        total += rows.len();
    }
    assert!(total > 100, "{total} targets");
    // Exact decimals, never through f64.
    let out = ok(run(
        &["-q", "--format", "csv", "--table", "targets", SEED],
        None,
    ));
    let (_, rows) = table(out.as_bytes());
    let port = rows
        .iter()
        .find(|r| r[4].ends_with("货物吞吐量12.6亿吨"))
        .unwrap();
    assert_eq!(cols(port, 7..11), ["12.6", "亿吨", "1260000000", "吨"]);
    let out = ok(run(
        &["-q", "--format", "csv", "--table", "targets", "-"],
        Some("1.完成投资0.1亿元，力争能耗下降三分之一，增长3%～5%。\n".as_bytes()),
    ));
    let (_, rows) = table(out.as_bytes());
    assert_eq!(cols(&rows[0], 7..11), ["0.1", "亿元", "10000000", "元"]);
    // A fraction no decimal writes is `1/3`; a range has its upper end.
    assert_eq!(
        cols(&rows[1], 7..13),
        ["1/3", "", "1/3", "", "", "fraction"]
    );
    assert_eq!(
        cols(&rows[2], 7..17),
        ["3", "%", "3", "%", "5", "percent", "", "", "range", "5"]
    );
}

#[test]
fn csv_quotes_quotes_commas_and_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    // A file name with a line break, a comma and a quote: the `file`
    // column.
    let path = dir.path().join("a\nb,\"c\".txt");
    std::fs::write(
        &path,
        "1.推进\"放管服\"改革,新增企业20家。\n责任单位：省经信厅\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    for table_name in ["duties", "targets"] {
        let raw = csv(p, table_name);
        assert!(
            raw.contains("\"推进\"\"放管服\"\"改革,新增企业20家。\""),
            "{raw}"
        );
        assert!(
            raw.contains(&format!("\"{}\"", p.replace('"', "\"\""))),
            "{raw}"
        );
        let (_, rows) = table(raw.as_bytes());
        assert_eq!(rows.len(), 1, "{raw}");
        assert_eq!(&rows[0][0], p);
        assert_eq!(&rows[0][3], "推进\"放管服\"改革,新增企业20家。");
    }
}

/// A text field that a spreadsheet would run as a formula is written with
/// an apostrophe in front; numbers and other fields are written as they
/// are.
#[test]
fn csv_guards_fields_a_spreadsheet_would_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formula.txt");
    std::fs::write(
        &path,
        "1.=HYPERLINK(\"http://x.cn\")新增企业20家。\n责任单位：省经信厅\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    for table_name in ["duties", "targets"] {
        let raw = csv(p, table_name);
        let (_, rows) = table(raw.as_bytes());
        assert_eq!(rows.len(), 1, "{raw}");
        assert_eq!(
            &rows[0][3], "'=HYPERLINK(\"http://x.cn\")新增企业20家。",
            "{raw}"
        );
        assert!(rows[0].iter().all(|f| !f.starts_with('=')), "{raw}");
    }
    let raw = csv(p, "targets");
    let (header, rows) = table(raw.as_bytes());
    let value = header.iter().position(|h| h == "value").unwrap();
    assert_eq!(&rows[0][value], "20");
}

#[test]
fn bom_only_when_asked() {
    for table_name in ["duties", "targets"] {
        let plain = run(
            &["-q", "--format", "csv", "--table", table_name, SEED],
            None,
        );
        let bom = run(
            &[
                "-q", "--format", "csv", "--table", table_name, "--bom", SEED,
            ],
            None,
        );
        assert!(!plain.stdout.starts_with(b"\xef\xbb\xbf"));
        assert!(bom.stdout.starts_with(b"\xef\xbb\xbf"));
        assert_eq!(
            &bom.stdout[3..],
            &plain.stdout[..],
            "the BOM and nothing else"
        );
        assert_eq!(table(&bom.stdout), table(&plain.stdout));
    }
}

#[test]
fn options_for_csv_alone_are_bad_arguments_elsewhere() {
    for args in [
        &["--bom", SEED][..],
        &["--bom", "--format", "md", SEED],
        &["--table", "targets", "--format", "jsonl", SEED],
        &["--format", "csv", "--table", "tasks", SEED],
    ] {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

// ---- --agency in every format ----

/// `path + number` of each record.
fn labels<'a>(records: impl IntoIterator<Item = &'a TaskRecord>) -> Vec<String> {
    records
        .into_iter()
        .map(|r| format!("{}{}", r.path.concat(), r.number.as_deref().unwrap_or("")))
        .collect()
}

#[test]
fn agency_limits_every_format_to_the_same_tasks() {
    let args = |format: &'static str| {
        vec![
            "-q",
            "--agency",
            "省经济和信息化厅",
            "--format",
            format,
            SEED,
        ]
    };
    let jsonl = ok(run(&args("jsonl"), None));
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tasks: Vec<TaskRecord> = lines
        .iter()
        .map(|v| serde_json::from_value(v.clone()).unwrap())
        .collect();
    let expected = labels(&tasks);
    assert_eq!(expected.len(), 16);
    // Every record is a task record plus how the agency answers for it.
    for (line, task) in lines.iter().zip(&tasks) {
        let named = task
            .agencies
            .iter()
            .find(|a| JINGXIN.contains(&a.name.as_str()));
        match line["assignment"]["via"].as_str().unwrap() {
            "named" => {
                assert_eq!(line["assignment"]["written"], named.unwrap().name.as_str());
                assert_eq!(line["assignment"]["role"], role(named.unwrap().role));
            }
            "group" => {
                assert!(named.is_none());
                let group = line["assignment"]["group"].as_str().unwrap();
                assert!(task.agencies.iter().any(|a| a.group && a.name == group));
            }
            other => panic!("via {other}"),
        }
        assert!(line.get("file").is_none(), "one input: no file field");
    }
    // JSON: the same records under `duties`.
    let json: serde_json::Value = serde_json::from_str(&ok(run(&args("json"), None))).unwrap();
    assert_eq!(json["agency"], "省经济和信息化厅");
    assert_eq!(json["canonical"], "省经信厅");
    assert_eq!(json["duties"].as_array().unwrap(), &lines);
    assert!(json["metadata"].is_object() && json["diagnostics"].is_array());
    // CSV duties: one row per task, the agency as the task names it.
    let out = ok(run(&args("csv"), None));
    let (_, rows) = table(out.as_bytes());
    let csv_labels: Vec<String> = rows.iter().map(|r| format!("{}{}", &r[1], &r[2])).collect();
    assert_eq!(csv_labels, expected);
    for row in &rows {
        assert!(&row[5] == "省经信厅" || &row[7] == "true", "{row:?}");
    }
    // CSV targets: the targets of those tasks.
    let mut with = args("csv");
    with.extend(["--table", "targets"]);
    let (_, rows) = table(ok(run(&with, None)).as_bytes());
    let expected_targets: Vec<&str> = tasks
        .iter()
        .flat_map(|t| t.targets.iter().map(|t| t.text.as_str()))
        .collect();
    let got: Vec<&str> = rows.iter().map(|r| &r[4]).collect();
    assert_eq!(got, expected_targets);
    // Markdown: the same tasks, those that name the agency first, then
    // those that name a group it may belong to.
    let md = ok(run(&args("md"), None));
    let md_labels: Vec<String> = md_tasks(&md).into_iter().map(|t| t.label).collect();
    let (named, via_group): (Vec<&TaskRecord>, Vec<&TaskRecord>) = tasks.iter().partition(|t| {
        t.agencies
            .iter()
            .any(|a| JINGXIN.contains(&a.name.as_str()))
    });
    let label =
        |t: &&TaskRecord| format!("{}{}", t.path.concat(), t.number.as_deref().unwrap_or(""));
    let md_expected: Vec<String> = named.iter().chain(&via_group).map(label).collect();
    assert_eq!(md_labels, md_expected);
    assert_eq!(md_labels.len(), expected.len());
}

#[test]
fn an_agency_with_no_task_gives_empty_output() {
    let text = "1.新增企业20家。\n责任单位：省财政厅\n".as_bytes();
    let args = |format| ["-q", "--agency", "省经信厅", "--format", format, "-"];
    assert_eq!(ok(run(&args("jsonl"), Some(text))), "");
    let csv = ok(run(&args("csv"), Some(text)));
    assert_eq!(csv.lines().count(), 1, "the header alone");
    let md = ok(run(&args("md"), Some(text)));
    assert!(md.contains("的任务：0 项"), "{md}");
    assert!(md_tasks(&md).is_empty());
}
