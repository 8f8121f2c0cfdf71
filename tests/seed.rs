//! What the core issue promises on the seed fragment, asserted item by item.

use zhengce::{DiagnosticKind, NodeKind, Role, TaskRecord};

const SEED: &str = include_str!("../fixtures/00_zhejiang-2023-fengong-fragment.txt");

fn records() -> Vec<TaskRecord> {
    zhengce::parse(SEED).document.task_records()
}

fn names(r: &TaskRecord) -> Vec<&str> {
    r.agencies.iter().map(|a| a.name.as_str()).collect()
}

fn task<'a>(records: &'a [TaskRecord], path: &str, number: &str) -> &'a TaskRecord {
    records
        .iter()
        .find(|r| r.path.join("") == path && r.number.as_deref() == Some(number))
        .unwrap_or_else(|| panic!("no task {path}{number}"))
}

#[test]
fn tasks_in_order() {
    let records = records();
    let ids: Vec<String> = records
        .iter()
        .map(|r| format!("{}{}", r.path.join(""), r.number.as_deref().unwrap_or("¶")))
        .collect();
    let mut expected = vec!["3.".to_owned()];
    expected.extend((1..=15).map(|n| format!("四、{n}.")));
    expected.push("五、¶".to_owned());
    assert_eq!(ids, expected);
}

#[test]
fn every_span_is_the_text() {
    for r in records() {
        assert_eq!(&SEED[r.span.range()], r.text);
        for a in &r.agencies {
            assert!(SEED[a.span.range()].contains(a.name.trim_end_matches("政府")));
        }
    }
}

#[test]
fn leader_headings_split_name_and_title() {
    let records = records();
    let t = task(&records, "四、", "1.");
    assert_eq!(t.heading.as_deref(), Some("卢山副省长牵头重点工作"));
    let leader = t.leader.as_ref().unwrap();
    assert_eq!(
        (leader.name.as_deref(), leader.title.as_str()),
        (Some("卢山"), "副省长")
    );
    let last = records.last().unwrap();
    assert_eq!(
        last.leader.as_ref().unwrap().name.as_deref(),
        Some("王成国")
    );
    assert!(last.agencies.is_empty());
}

#[test]
fn task_3_before_any_heading() {
    let records = records();
    let t = &records[0];
    assert!(t.path.is_empty() && t.heading.is_none());
    assert_eq!(
        names(t),
        [
            "省市场监管局",
            "省药监局",
            "省食品药品安全委员会其他成员单位"
        ]
    );
    assert_eq!(
        t.agencies.iter().map(|a| a.group).collect::<Vec<_>>(),
        [false, false, true]
    );
}

#[test]
fn four_1_ends_with_two_groups() {
    let records = records();
    let t = task(&records, "四、", "1.");
    let n = names(t);
    assert_eq!(
        n[n.len() - 2..],
        ["省减轻企业负担领导小组其他成员单位", "各设区市政府"]
    );
    assert!(t.agencies[n.len() - 2..].iter().all(|a| a.group));
    assert!(t.agencies[..n.len() - 2].iter().all(|a| !a.group));
    assert_eq!(n.len(), 10);
}

#[test]
fn four_11_ends_with_five_city_governments() {
    let records = records();
    let t = task(&records, "四、", "11.");
    let n = names(t);
    assert_eq!(
        n[n.len() - 6..],
        [
            "省海港集团",
            "杭州市政府",
            "宁波市政府",
            "金华市政府",
            "舟山市政府",
            "义乌市政府"
        ]
    );
}

#[test]
fn four_13_alias() {
    let records = records();
    let t = task(&records, "四、", "13.");
    let a = t.agencies.iter().find(|a| a.name == "省委组织部").unwrap();
    assert_eq!(a.alias.as_deref(), Some("省委人才办"));
    assert_eq!(&SEED[a.span.range()], "省委组织部(省委人才办)");
    assert!(t.agencies.iter().all(|a| a.role == Role::Responsible));
}

#[test]
fn unit_line_before_task_3_is_kept_with_a_diagnostic() {
    let parsed = zhengce::parse(SEED);
    let orphan = &parsed.document.nodes[0];
    assert_eq!(orphan.kind, NodeKind::Orphan);
    assert_eq!(orphan.agencies().count(), 14);
    assert_eq!(orphan.agencies().next().unwrap().name, "省市场监管局");
    let d = &parsed.diagnostics[0];
    assert_eq!(d.kind, DiagnosticKind::OrphanResponsibility);
    assert!(SEED[d.span.range()].starts_with("责任单位:省市场监管局"));
}
