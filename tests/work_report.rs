//! Work reports (政府工作报告): the review of the past year states results,
//! the plan for the year ahead commits to targets.

use zhengce::{Node, NodeKind};

fn targets_under(node: &Node) -> usize {
    node.targets.len() + node.children.iter().map(targets_under).sum::<usize>()
}

fn numbers_under(node: &Node) -> usize {
    let own = zhengce::quantity::find_quantities(&node.text).len();
    own + node.children.iter().map(numbers_under).sum::<usize>()
}

#[test]
fn the_review_has_results_and_no_targets() {
    let text = "一、2024年工作回顾\n\
                过去一年，全省生产总值增长5.5%，新增企业2万家。\n\
                二、2025年工作安排\n\
                （一）力争全省生产总值增长5%左右，新增企业2万家以上。\n";
    let document = zhengce::parse(text).document;
    let [review, plan] = &document.nodes[..] else {
        panic!("two sections: {:#?}", document.nodes);
    };
    assert_eq!(review.kind, NodeKind::Heading);
    assert_eq!(targets_under(review), 0, "{review:#?}");
    assert!(
        numbers_under(review) >= 2,
        "the numbers are still there to read"
    );
    assert_eq!(targets_under(plan), 2, "{plan:#?}");
}

#[test]
fn only_a_review_heading_turns_targets_off() {
    // A heading that mentions the past year without being its review.
    let text = "一、巩固过去一年工作成果\n1.新增企业20家。\n";
    let document = zhengce::parse(text).document;
    assert_eq!(targets_under(&document.nodes[0]), 1);
}

#[test]
fn the_closing_address_is_not_a_task_of_the_last_section() {
    let text = "一、2025年工作安排\n\
                （一）扩大有效投资。\n\
                1.新增企业20家。\n\
                各位代表，我们要再接再厉。\n\
                2.新增园区5个。\n\
                各位代表！重任在肩，唯有奋斗。\n\
                让我们更加紧密地团结起来！\n";
    let document = zhengce::parse(text).document;
    let tasks: Vec<&str> = document.tasks().iter().map(|t| t.text.as_str()).collect();
    // A 各位代表 paragraph with numbered items after it stays a task.
    assert!(tasks.contains(&"各位代表，我们要再接再厉。"), "{tasks:?}");
    // The closing address, and what follows it, are root paragraphs.
    let roots: Vec<(&str, NodeKind)> = document
        .nodes
        .iter()
        .map(|n| (n.text.as_str(), n.kind))
        .collect();
    assert_eq!(
        roots[1..],
        [
            ("各位代表！重任在肩，唯有奋斗。", NodeKind::Paragraph),
            ("让我们更加紧密地团结起来！", NodeKind::Paragraph),
        ],
        "{roots:?}"
    );
    assert!(document.nodes[0].span.end <= document.nodes[1].span.start);
}
