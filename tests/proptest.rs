//! No input breaks the parser, and nothing it returns is inconsistent.
//!
//! Three generators, each checked with `common::check_all` (span
//! invariants, every non-blank character accounted for, JSON round trip,
//! a second parse giving byte-identical JSON):
//!
//! - arbitrary Unicode strings, and arbitrary bytes through `parse_bytes`;
//! - strings built from the genre's own alphabet: digits of both widths,
//!   Chinese numerals, outline markers, brackets of every width, `、，；：`,
//!   unit words, responsibility labels, agency names, line ends, and
//!   target phrases (`力争…增长5.5%以上`);
//! - the real texts in `fixtures/`, mutated: lines cut, swapped,
//!   duplicated and deleted, bytes deleted, windows taken out.
//!
//! Besides: with target extraction off the model differs only in its
//! targets; every corpus text, cut at its edges, keeps the invariants;
//! and eight threads parsing at once give the JSON one thread gives.
//! About 6 300 generated cases a run, some 30 s in a debug build.
//!
//! The seed is fixed so that a run is reproducible and CI stays green
//! between changes; to explore, set `PROPTEST_RNG_SEED` (any number) and
//! `PROPTEST_CASES` (cases per property), e.g.
//! `PROPTEST_RNG_SEED=$RANDOM PROPTEST_CASES=20000 cargo test --release --test proptest`.
//! A failure prints the minimal input: make it a plain test in
//! `tests/regressions.rs`.

mod common;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed};
use std::sync::LazyLock;

/// The configuration: `cases` unless `PROPTEST_CASES` says otherwise, a
/// fixed seed unless `PROPTEST_RNG_SEED` gives one, no persistence files
/// (failures become tests in `regressions.rs` instead).
fn config(cases: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x7a68_656e_6763_6535);
    }
    config.failure_persistence = None;
    config.max_shrink_iters = 2048;
    config
}

fn check(source: &str) -> Result<(), TestCaseError> {
    common::check_all(source)
        .map(drop)
        .map_err(TestCaseError::fail)
}

/// The corpus, decoded.
static CORPUS: LazyLock<Vec<(String, String)>> = LazyLock::new(common::corpus);

// ---- arbitrary input ----

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        check(&s)?;
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        // Bytes either decode or are refused; decoded text parses cleanly.
        if let Ok((decoded, parsed)) = zhengce::parse_bytes(&bytes) {
            prop_assert_eq!(&parsed, &zhengce::parse(&decoded.text));
            check(&decoded.text)?;
        }
        check(&String::from_utf8_lossy(&bytes))?;
    }
}

// ---- the genre's alphabet ----

/// Pieces the texts of the genre are made of. Each generated string is a
/// sequence of these, so that markers, labels, brackets and numbers meet
/// in every combination. (`fuzz/fuzz_targets/genre.rs` has a copy.)
#[rustfmt::skip]
const PIECES: &[&str] = &[
    // line ends and spaces
    "\n", "\n", "\n", "\r\n", "\r", "\n\n", " ", "\u{3000}", "\t", "\u{feff}", "\u{200b}",
    // digits and numerals
    "0", "1", "2", "3", "9", "12", "100", "2023", "2025", "１", "２", "１２", "0.5", "5.5", "1.2",
    "一", "二", "三", "十", "十二", "二十三", "百", "一百零五", "千", "万", "亿", "〇", "零", "两",
    "半", "几", "余", "多", "第",
    // outline markers of every style
    "一、", "二、", "十、", "（一）", "（二）", "(三)", "(十二)", "1.", "2.", "12.", "1．", "１．",
    "1、", "2、", "（1）", "(2)", "（１２）", "①", "②", "⑳", "第一章", "第二节", "第三条",
    "一是", "二是", "附件", "附件1", "附件：",
    // brackets of every width, alone
    "（", "）", "(", ")", "[", "]", "【", "】", "［", "］", "〔", "〕", "「", "」", "“", "”", "《",
    "》", "<", ">",
    // punctuation
    "、", "，", "；", "：", ",", ";", ":", "。", ".", "．", "%", "％", "—", "－", "-", "～", "~",
    "/", "／", "…", "！", "？", "|",
    // units and quantity words
    "亿元", "万元", "元", "亿美元", "家", "个", "项", "个百分点", "吨", "万吨", "亩", "公里",
    "标箱", "人次", "名", "倍", "番", "分之", "百分之", "年", "月", "日", "季度", "以上", "以下",
    "左右", "不低于", "不超过", "超过", "突破", "约", "近", "到", "至",
    // responsibility labels and roles
    "责任单位", "责任单位：", "责任单位:", "牵头单位：", "配合单位：", "完成时限：", "责 任 单 位：",
    "牵头", "负责", "配合", "参与", "按职责分工负责", "等", "及", "和", "与",
    // agencies and places
    "省经信厅", "省发展改革委", "市政府", "杭州市", "宁波市", "政府", "各设区市政府", "有关部门",
    "其他成员单位", "省委组织部", "省委人才办",
    // task words, leaders, header pieces, page furniture, tables
    "新增", "增长", "力争", "确保", "完成", "实现", "推进", "加快", "年底前", "6月底前",
    "卢山副省长牵头重点工作", "省长", "常务副省长", "关于印发", "的通知", "浙政发〔2023〕6号",
    "各市、县（市、区）人民政府：", "2023年2月10日", "二〇二三年二月十日", "（此件公开发布）",
    "浙江省人民政府", "— 3 —", "索引号", "文号", "|---|---|", "序号",
    // a little of anything else
    "a", "Z", "5G", "PM2.5", "\u{0}", "\u{7f}", "é", "😀",
];

/// Line heads: a marker, a label, or nothing.
#[rustfmt::skip]
const HEADS: &[&str] = &[
    "", "一、", "二、", "（一）", "（二）", "1.", "2.", "3.", "1、", "（1）", "①", "责任单位：",
    "牵头单位:", "第一条", "附件",
];

/// The parts of a target phrase, in order.
#[rustfmt::skip]
const TARGET_PARTS: [&[&str]; 6] = [
    &["", "力争", "确保", "努力", "到2025年，", "全年", "各"],
    &["", "规上工业增加值", "企业", "领军人才、优秀青年人才", "数字经济核心产业增加值"],
    &["", "增长", "新增", "完成", "突破", "达到", "控制在", "提高至", "下降"],
    &["", "%", "％", "亿元", "家", "个", "项", "个百分点", "万吨", "亩", "公里", "倍", "名", "年", "月"],
    &["", "以上", "以下", "左右", "以内"],
    &["", "。", "，", "；", "、"],
];

/// Numbers as the genre writes them, beside plain integers and decimals.
#[rustfmt::skip]
const NUMBERS: &[&str] = &[
    "一", "两", "十", "十二", "一百", "三千", "1.2万", "2500亿", "１５", "百分之五", "三分之一",
    "5%—6%", "3～5", "1到2", "10余", "200多", "一番",
];

fn genre_text(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max_pieces)
        .prop_map(|pieces| pieces.concat())
}

/// A quantitative target as the genre writes one: modality, subject,
/// verb, number, unit, bound (`力争规上工业增加值增长5.5%以上`), any part
/// possibly missing.
fn target_phrase() -> impl Strategy<Value = String> {
    use prop::sample::select;
    let number = prop_oneof![
        (0u64..100_000).prop_map(|n| n.to_string()),
        (0u32..1000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b}")),
        select(NUMBERS).prop_map(str::to_owned),
    ];
    let [m, s, v, u, b, e] = TARGET_PARTS;
    (
        select(m),
        select(s),
        select(v),
        number,
        select(u),
        select(b),
        select(e),
    )
        .prop_map(|(m, s, v, n, u, b, e)| format!("{m}{s}{v}{n}{u}{b}{e}"))
}

/// Lines shaped like the genre's: a marker or label, then pieces and
/// targets.
fn genre_lines() -> impl Strategy<Value = String> {
    let body = prop::collection::vec(prop_oneof![3 => genre_text(6), 1 => target_phrase()], 0..4)
        .prop_map(|parts| parts.concat());
    let line =
        (prop::sample::select(HEADS), body).prop_map(|(head, body)| format!("{head}{body}\n"));
    prop::collection::vec(line, 0..24).prop_map(|lines| lines.concat())
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn genre_alphabet(s in genre_text(80)) {
        check(&s)?;
    }

    #[test]
    fn genre_shaped_lines(s in genre_lines()) {
        check(&s)?;
    }
}

/// With target extraction off, the model is the same less its targets
/// (and the diagnostics target extraction gives, about units).
fn check_targets_off(source: &str) -> Result<(), TestCaseError> {
    fn strip(nodes: &mut [zhengce::Node]) {
        for n in nodes {
            n.targets.clear();
            strip(&mut n.children);
        }
    }
    let mut full = zhengce::parse(source);
    let fast = zhengce::parse_with(source, zhengce::Options::default().targets(false));
    common::check_invariants(source, &fast).map_err(TestCaseError::fail)?;
    prop_assert!(fast.document.tasks().iter().all(|t| t.targets.is_empty()));
    strip(&mut full.document.nodes);
    full.diagnostics
        .retain(|d| !matches!(d.kind, zhengce::DiagnosticKind::UnknownUnit { .. }));
    prop_assert!(
        full.document == fast.document,
        "targets off changed more than the targets"
    );
    prop_assert!(
        full.diagnostics == fast.diagnostics,
        "targets off changed diagnostics other than unknown units"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn targets_off_changes_only_targets(s in genre_lines()) {
        check_targets_off(&s)?;
    }
}

// ---- the corpus, mutated ----

/// One change to a text, with positions that adapt to its size.
#[derive(Clone, Debug)]
enum Mutation {
    /// Cut a line at a character: keep what is before.
    CutLine(Index, Index),
    /// Swap two lines.
    Swap(Index, Index),
    /// Duplicate a line in place.
    Duplicate(Index),
    /// Delete a line.
    DeleteLine(Index),
    /// Insert one of the genre's pieces into a line.
    Insert(Index, Index, &'static str),
    /// Join a line with the next one.
    Join(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(l, c)| Mutation::CutLine(l, c)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        any::<Index>().prop_map(Mutation::Duplicate),
        any::<Index>().prop_map(Mutation::DeleteLine),
        (any::<Index>(), any::<Index>(), prop::sample::select(PIECES))
            .prop_map(|(l, c, p)| Mutation::Insert(l, c, p)),
        any::<Index>().prop_map(Mutation::Join),
    ]
}

fn char_boundary(line: &str, at: Index) -> usize {
    let bounds: Vec<usize> = line
        .char_indices()
        .map(|(i, _)| i)
        .chain([line.len()])
        .collect();
    bounds[at.index(bounds.len())]
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    for m in mutations {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match m {
            Mutation::CutLine(l, c) => {
                let line = &mut lines[l.index(n)];
                let at = char_boundary(line, *c);
                line.truncate(at);
            }
            Mutation::Swap(a, b) => lines.swap(a.index(n), b.index(n)),
            Mutation::Duplicate(l) => {
                let i = l.index(n);
                let copy = lines[i].clone();
                lines.insert(i, copy);
            }
            Mutation::DeleteLine(l) => {
                lines.remove(l.index(n));
            }
            Mutation::Insert(l, c, piece) => {
                let line = &mut lines[l.index(n)];
                let at = char_boundary(line, *c);
                line.insert_str(at, piece);
            }
            Mutation::Join(l) => {
                let i = l.index(n);
                if i + 1 < n {
                    let next = lines.remove(i + 1);
                    let line = &mut lines[i];
                    while line.ends_with(['\n', '\r']) {
                        line.pop();
                    }
                    line.push_str(&next);
                }
            }
        }
    }
    lines.concat()
}

/// A corpus text, or a window of its lines (smaller inputs shrink and run
/// faster; whole texts keep header and end matter together).
fn corpus_text() -> impl Strategy<Value = String> {
    (0..CORPUS.len(), any::<bool>(), any::<Index>(), 1usize..60).prop_map(
        |(i, whole, start, len)| {
            let text = &CORPUS[i].1;
            if whole {
                return text.clone();
            }
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let start = start.index(lines.len().max(1));
            lines[start.min(lines.len())..(start + len).min(lines.len())].concat()
        },
    )
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn corpus_lines_mutated(
        text in corpus_text(),
        mutations in prop::collection::vec(mutation(), 0..12),
    ) {
        check(&apply(&text, &mutations))?;
    }

    #[test]
    fn corpus_bytes_deleted(
        text in corpus_text(),
        cuts in prop::collection::vec((any::<Index>(), 1usize..8), 1..6),
    ) {
        // Deleting bytes breaks characters: the bytes may then be GB18030,
        // undecodable or (rarely) still UTF-8. Whatever `decode` makes of
        // them parses cleanly, and so does the lossy UTF-8 reading.
        let mut bytes = text.into_bytes();
        for (at, len) in cuts {
            if bytes.is_empty() {
                break;
            }
            let at = at.index(bytes.len());
            let end = (at + len).min(bytes.len());
            bytes.drain(at..end);
        }
        if let Ok((decoded, parsed)) = zhengce::parse_bytes(&bytes) {
            common::check_invariants(&decoded.text, &parsed).map_err(TestCaseError::fail)?;
        }
        check(&String::from_utf8_lossy(&bytes))?;
    }
}

/// Every corpus text as a whole, once, with CRLF line ends, and with the
/// first and last lines cut at every few characters: the edges where a
/// scraped excerpt starts and stops.
#[test]
fn corpus_texts_and_their_edges() {
    for (name, text) in CORPUS.iter() {
        if let Err(e) = common::check_all(text) {
            panic!("{name}: {e}");
        }
        if let Err(e) = check_targets_off(text) {
            panic!("{name}: {e}");
        }
        let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
        if let Err(e) = common::check_all(&crlf) {
            panic!("{name} with CRLF: {e}");
        }
        let head: Vec<usize> = text.char_indices().map(|(i, _)| i).take(200).collect();
        for &at in head.iter().step_by(23) {
            if let Err(e) = common::check_all(&text[at..]) {
                panic!("{name} from byte {at}: {e}");
            }
        }
        let tail: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .rev()
            .take(200)
            .collect();
        for &at in tail.iter().step_by(23) {
            if let Err(e) = common::check_all(&text[..at]) {
                panic!("{name} up to byte {at}: {e}");
            }
        }
    }
}

/// Output does not depend on the thread that parses, nor on how many
/// parse at once: every corpus text parsed on eight threads at the same
/// time gives the JSON it gives here.
#[test]
fn output_is_independent_of_threads() {
    let expected: Vec<String> = CORPUS
        .iter()
        .map(|(_, t)| serde_json::to_string(&zhengce::parse(t)).unwrap())
        .collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|k| {
                s.spawn(move || {
                    // Each thread walks the corpus from a different start.
                    let n = CORPUS.len();
                    (0..n)
                        .map(|i| (i + k) % n)
                        .map(|i| {
                            let json = serde_json::to_string(&zhengce::parse(&CORPUS[i].1));
                            (i, json.unwrap())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, json) in h.join().expect("no thread panics") {
                assert!(
                    json == expected[i],
                    "{}: output differs on another thread",
                    CORPUS[i].0
                );
            }
        }
    });
}
