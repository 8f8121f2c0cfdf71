//! Targets of the seed fragment (`corpus/00_zhejiang-2023-fengong-fragment.txt`,
//! tasks 四/1–四/15 and 五), non-targets, JSON shape and round trips, and
//! robustness.

use super::*;
use crate::diagnostic::DiagnosticKind;
use proptest::prelude::*;

/// A target in one line: `value unit → normalized base | kind bound
/// modality | verb | subject | each`.
fn line(t: &Target) -> String {
    let kind = match &t.kind {
        Kind::Currency { currency } => format!("currency:{currency}"),
        Kind::Count { classifier } => format!("count:{classifier}"),
        k => format!("{k:?}").to_lowercase(),
    };
    let upper = t.upper.map(|u| format!("-{u}")).unwrap_or_default();
    format!(
        "{}{upper} {} → {} {} | {kind} {:?} {:?} | {} | {}{}",
        t.value,
        t.unit.as_deref().unwrap_or("-"),
        t.normalized.value,
        t.normalized.unit.as_deref().unwrap_or("-"),
        t.bound,
        t.modality,
        t.verb.as_deref().unwrap_or("-"),
        t.subject.as_deref().unwrap_or("-"),
        if t.each { " | each" } else { "" },
    )
    .replace("Some(", "")
    .replace(')', "")
}

fn targets(text: &str) -> Vec<String> {
    let (targets, _) = extract_targets(text, 0);
    for t in &targets {
        assert_eq!(&text[t.span.range()], t.text, "span and text agree");
    }
    targets.iter().map(line).collect()
}

#[track_caller]
fn check(text: &str, want: &[&str]) {
    assert_eq!(targets(text), want, "{text}");
}

#[test]
fn seed_1_burden() {
    check(
        "优化企业发展环境,及时足额落实国家和我省降本减负惠企政策,力争全年为市场主体减负2500亿元以上;努力实现经信、财政、商务、税务、市场监管等企业年报“多报合一”。",
        &["2500 亿元 → 250000000000 元 | currency:CNY AtLeast Strive | 减负 | 减负"],
    );
}

#[test]
fn seed_2_threshold_is_not_a_target() {
    check(
        "加快推进重大产业项目建设,安排投资10亿元以上制造业重大项目611个,完成年度投资1750亿元,带动制造业投资增长12%、高新技术产业投资增长15%以上。",
        &[
            "611 个 → 611 个 | count:个 Exact None | 安排 | 投资10亿元以上制造业重大项目",
            "1750 亿元 → 175000000000 元 | currency:CNY Exact None | 完成 | 年度投资",
            "12 % → 12 % | percent Exact None | 增长 | 制造业投资",
            "15 % → 15 % | percent AtLeast None | 增长 | 高新技术产业投资",
        ],
    );
}

#[test]
fn seed_3_to_5() {
    check(
        "全力稳住工业经济基本盘,持续巩固工业经济回升向好态势,力争规上工业增加值增长5.5%。",
        &["5.5 % → 5.5 % | percent Exact Strive | 增长 | 规上工业增加值"],
    );
    check(
        "大力推进数字产业化和产业数字化,培育超百亿元数字企业40家,力争数字经济核心产业增加值增长10%。",
        &[
            "40 家 → 40 家 | count:家 Exact None | 培育 | 超百亿元数字企业",
            "10 % → 10 % | percent Exact Strive | 增长 | 数字经济核心产业增加值",
        ],
    );
    check(
        "新增智能工厂和数字化车间150家。",
        &["150 家 → 150 家 | count:家 Exact None | 新增 | 智能工厂和数字化车间"],
    );
}

#[test]
fn seed_6_shared_verb_and_magnitudes() {
    check(
        "坚定不移推进“腾笼换鸟、凤凰涅槃”,淘汰整治高耗低效企业5000家,腾出用地5万亩、用能120万吨标准煤。",
        &[
            "5000 家 → 5000 家 | count:家 Exact None | 淘汰整治 | 高耗低效企业",
            "5 万亩 → 50000 亩 | area Exact None | 腾出 | 用地",
            "120 万吨标准煤 → 1200000 吨标准煤 | energy Exact None | 腾出 | 用能",
        ],
    );
}

#[test]
fn seed_7_list_shares_verb_and_names_keep_numbers() {
    check(
        "培育壮大企业梯队,实施新一轮“雄鹰”“雏鹰”行动,新增“雄鹰”企业20家、世界500强企业1家、境内外上市公司50家、专精特新“小巨人”企业100家、单项冠军企业20家。",
        &[
            "20 家 → 20 家 | count:家 Exact None | 新增 | “雄鹰”企业",
            "1 家 → 1 家 | count:家 Exact None | 新增 | 世界500强企业",
            "50 家 → 50 家 | count:家 Exact None | 新增 | 境内外上市公司",
            "100 家 → 100 家 | count:家 Exact None | 新增 | 专精特新“小巨人”企业",
            "20 家 → 20 家 | count:家 Exact None | 新增 | 单项冠军企业",
        ],
    );
}

#[test]
fn seed_8_and_9() {
    check(
        "推动服务业和制造业融合发展,培育省级服务型制造企业60家以上,新增省级工业设计中心、创意设计园区50家以上。",
        &[
            "60 家 → 60 家 | count:家 AtLeast None | 培育 | 省级服务型制造企业",
            "50 家 → 50 家 | count:家 AtLeast None | 新增 | 省级工业设计中心、创意设计园区",
        ],
    );
    check(
        "千方百计推动外贸平稳增长,持续推进“浙货行天下”,精心组织千团万企“走出去”拓市场抢订单,确保出口占全国份额保持在14.5%左右;推进国家进口贸易促进创新示范区建设,扩大先进技术、重要设备、关键零部件和能源资源进口。",
        &["14.5 % → 14.5 % | percent About Ensure | 保持在 | 出口占全国份额"],
    );
}

#[test]
fn seed_10_more_than() {
    check(
        "强化外资招引服务,以超常规力度和措施抓好重大外资项目招引工作,力争实际使用外资突破200亿美元、制造业使用外资占比27%以上。",
        &[
            "200 亿美元 → 20000000000 美元 | currency:USD MoreThan Strive | 突破 | 实际使用外资",
            "27 % → 27 % | percent AtLeast Strive | - | 制造业使用外资占比",
        ],
    );
}

#[test]
fn seed_11_modality_per_clause() {
    check(
        "提升重大开放平台能级,推动自由贸易试验区四大片区联动发展,确保实现数字贸易额4700亿元、跨境人民币结算量9000亿元以上,力争实现宁波舟山港货物吞吐量12.6亿吨、集装箱吞吐量3360万标箱,开行“义新欧”班列2200列以上。",
        &[
            "4700 亿元 → 470000000000 元 | currency:CNY Exact Ensure | 实现 | 数字贸易额",
            "9000 亿元 → 900000000000 元 | currency:CNY AtLeast Ensure | 实现 | 跨境人民币结算量",
            "12.6 亿吨 → 1260000000 吨 | mass Exact Strive | 实现 | 宁波舟山港货物吞吐量",
            "3360 万标箱 → 33600000 标箱 | container Exact Strive | 实现 | 集装箱吞吐量",
            "2200 列 → 2200 列 | count:列 AtLeast None | 开行 | “义新欧”班列",
        ],
    );
}

/// The digits and `%` of a URL name a page, in any case it is written.
#[test]
fn urls_in_any_case_hold_no_quantities() {
    for url in [
        "http://x.gov.cn/5%",
        "HTTP://X.GOV.CN/5%",
        "Https://x.gov.cn/a/5%",
        "WWW.X.GOV.CN/2023/100",
    ] {
        let text = format!("详见{url}，新增企业20家。");
        let found: Vec<String> = find_quantities(&text)
            .iter()
            .map(|q| text[q.span.range()].to_owned())
            .collect();
        assert_eq!(found, ["20家"], "{url}");
    }
}

#[test]
fn seed_12_and_13() {
    check(
        "推动消费复苏回暖,鼓励消费模式、消费业态、消费场景创新,打响“浙里来消费”品牌,力争社会消费品零售总额增长4.5%左右。",
        &["4.5 % → 4.5 % | percent About Strive | 增长 | 社会消费品零售总额"],
    );
    check(
        "加快高等教育高质量发展,推进新一轮一流学科建设工程,推动西湖大学等新型高校建设取得突破性进展;大力发展职业教育,扩大长学制和本科层次职业教育招生规模。",
        &[],
    );
}

#[test]
fn seed_14_names_and_ranks_are_not_targets() {
    check(
        "壮大科技创新力量,推进中科院杭州医学所二期、中国宁波新材料高端创新平台等重大科技设施项目建设,鼓励10大省实验室、新型研发机构、省技术创新中心和制造业创新中心开展原创性引领性科技攻关,部署实施省级重大科技项目400项以上,取得重大科研成果100项以上;深入实施科技企业“双倍增”计划、科技“小巨人”培育计划,新增高新技术企业4000家、科技型中小企业8000家、科技“小巨人”企业100家,组建创新联合体10个;新增高价值发明专利9000件。",
        &[
            "400 项 → 400 项 | count:项 AtLeast None | 部署实施 | 省级重大科技项目",
            "100 项 → 100 项 | count:项 AtLeast None | 取得 | 重大科研成果",
            "4000 家 → 4000 家 | count:家 Exact None | 新增 | 高新技术企业",
            "8000 家 → 8000 家 | count:家 Exact None | 新增 | 科技型中小企业",
            "100 家 → 100 家 | count:家 Exact None | 新增 | 科技“小巨人”企业",
            "10 个 → 10 个 | count:个 Exact None | 组建 | 创新联合体",
            "9000 件 → 9000 件 | count:件 Exact None | 新增 | 高价值发明专利",
        ],
    );
}

#[test]
fn seed_15_each() {
    let text =
        "大力招引培育人才,新引进“鲲鹏行动”专家40名左右,新引育领军人才、优秀青年人才各500名。";
    check(
        text,
        &[
            "40 名 → 40 名 | count:名 About None | 新引进 | “鲲鹏行动”专家",
            "500 名 → 500 名 | count:名 Exact None | 新引育 | 领军人才 | each",
            "500 名 → 500 名 | count:名 Exact None | 新引育 | 优秀青年人才 | each",
        ],
    );
    let (t, _) = extract_targets(text, 0);
    assert_eq!(t[1].text, "新引育领军人才、优秀青年人才各500名");
    assert_eq!(t[1].span, t[2].span);
}

#[test]
fn seed_5_words_with_numerals() {
    check(
        "织密基层社会平安网,坚持和发展新时代“枫桥经验”,增强基层治理“一中心四平台一网格”功能,加强和改进信访工作,推进自治、法治、德治、智治“四治融合”,深化诉源、警源、访源“三源治理”;强化社会治安整体防控,依法严厉打击电信网络诈骗、“黄赌毒”“食药环”等违法犯罪。",
        &[],
    );
}

#[test]
fn not_targets() {
    for text in [
        "到2025年，",
        "6月底前完成。",
        "根据国发〔2022〕9号文件，",
        "“十四五”时期，",
        "推进零售业发展。",
        "过去一年，",
        "降幅居全国前5位。",
        "实施“最多跑一次”改革。",
        "建设5G基站。",
    ] {
        assert_eq!(targets(text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn ranges_years_and_more_forms() {
    check(
        "到2025年，全省生产总值年均增长5%—6%，研发投入强度达到百分之三，单位能耗降低三分之一。",
        &[
            "5-6 % → 5 % | percent Range None | 年均增长 | 全省生产总值",
            "3 百分之 → 3 % | percent Exact None | 达到 | 研发投入强度",
            "1/3 - → 1/3 - | fraction Exact None | 降低 | 单位能耗",
        ],
    );
    let (t, _) = extract_targets(
        "到2025年，全省生产总值年均增长5%—6%。2026年底前新增企业1到2个。",
        0,
    );
    assert_eq!(t[0].year, Some(2025));
    assert_eq!(t[0].upper.map(|u| u.to_string()).as_deref(), Some("6"));
    assert_eq!(
        t[0].normalized.upper.map(|u| u.to_string()).as_deref(),
        Some("6")
    );
    assert_eq!(t[1].year, Some(2026));
    assert_eq!(t[1].bound, Bound::Range);
    check(
        "城镇调查失业率控制在5.5%以内。",
        &["5.5 % → 5.5 % | percent AtMost None | 控制在 | 城镇调查失业率"],
    );
    check(
        "城镇调查失业率控制在5.5%。",
        &["5.5 % → 5.5 % | percent AtMost None | 控制在 | 城镇调查失业率"],
    );
    check(
        "力争数字经济规模翻一番。",
        &["1 番 → 2 倍 | multiplier Exact Strive | 翻 | 数字经济规模"],
    );
    check(
        "新增就业十万人。",
        &["10 万人 → 100000 人 | people Exact None | 新增 | 就业"],
    );
    check(
        "开展不少于100个示范工程建设。",
        &["100 个 → 100 个 | count:个 AtLeast None | 开展 | 示范工程建设"],
    );
    check(
        "全省经营主体达1095.2万户，增长5.9%。",
        &[
            "1095.2 万户 → 10952000 户 | count:户 Exact None | 达 | 全省经营主体",
            "5.9 % → 5.9 % | percent Exact None | 增长 | 全省经营主体",
        ],
    );
    check(
        "将大型企业稳岗返还比例由30%提至50%。",
        &["50 % → 50 % | percent Exact None | 提至 | 大型企业稳岗返还比例"],
    );
    check(
        "CPI涨幅控制在２％左右，下降0.5个百分点。",
        &[
            "2 ％ → 2 % | percent About None | 控制在 | CPI涨幅",
            "0.5 个百分点 → 0.5 个百分点 | percentagepoint Exact None | 下降 | CPI涨幅",
        ],
    );
}

#[test]
fn spans_are_absolute() {
    let task = "新增智能工厂和数字化车间150家。";
    let doc = format!("5.{task}");
    let (t, _) = extract_targets(task, 2);
    assert_eq!(
        t[0].span,
        Span::new(2, 2 + "新增智能工厂和数字化车间150家".len())
    );
    assert_eq!(&doc[t[0].span.range()], t[0].text);
}

#[test]
fn unknown_units_give_few_diagnostics() {
    let text = "接种疫苗100万剂，建成10大省实验室，世界500强企业1家。";
    let (t, d) = extract_targets(text, 0);
    assert_eq!(t.len(), 1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].kind, DiagnosticKind::UnknownUnit { unit: "剂".into() });
    assert_eq!(&text[d[0].span.range()], "100万剂");
    let (_, d) = extract_targets(
        "新增充电桩2万台，“十四五”期间，6月底前，到2025年，二期、四大片区。",
        0,
    );
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn json_shape_and_round_trip() {
    let (t, _) = extract_targets("力争实际使用外资突破200亿美元。", 0);
    let s = serde_json::to_string(&t[0]).unwrap();
    let keys = [
        "text",
        "span",
        "value",
        "unit",
        "normalized",
        "kind",
        "currency",
        "bound",
        "upper",
        "modality",
        "verb",
        "subject",
        "each",
        "year",
    ];
    let at: Vec<usize> = keys
        .iter()
        .map(|k| s.find(&format!("\"{k}\":")).unwrap_or(usize::MAX))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1] && w[1] != usize::MAX),
        "{s}"
    );
    let json = serde_json::to_value(&t[0]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "text": "力争实际使用外资突破200亿美元", "span": [0, 42],
            "value": 200, "unit": "亿美元",
            "normalized": {"value": 20000000000u64, "unit": "美元"},
            "kind": "currency", "currency": "USD",
            "bound": "more_than", "upper": null, "modality": "strive",
            "verb": "突破", "subject": "实际使用外资", "each": false, "year": null
        })
    );
    let text = "到2025年,宁波舟山港货物吞吐量12.6亿吨、增长5%—6%、新增企业20家、降低三分之一、领军人才、优秀青年人才各500名。";
    let (all, _) = extract_targets(text, 7);
    assert!(all.len() >= 5);
    for t in &all {
        let s = serde_json::to_string(t).unwrap();
        let back: Target = serde_json::from_str(&s).unwrap();
        assert_eq!(&back, t, "{s}");
    }
    let mass = serde_json::to_string(&all[0]).unwrap();
    assert!(
        mass.contains(r#""normalized":{"value":1260000000,"unit":"吨"}"#),
        "{mass}"
    );
    assert!(mass.contains(r#""value":12.6,"#), "{mass}");
    for q in find_quantities(text) {
        let back: Quantity = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
        assert_eq!(back, q);
    }
}

#[test]
fn huge_numbers_do_not_panic() {
    let long = format!("新增企业{}家，{}万亿元", "9".repeat(60), "九".repeat(60));
    let _ = extract_targets(&long, 0);
    let _ = find_quantities(&long);
    let _ = find_quantities(&"1,000".repeat(40));
    let _ = find_quantities(&"二".repeat(100));
}

fn check_spans(text: &str) {
    for q in find_quantities(text) {
        for span in [q.span, q.number_span] {
            assert!(span.start <= span.end && span.end <= text.len());
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
        assert_eq!(text[q.span.range()], q.text);
    }
    let (targets, diagnostics) = extract_targets(text, 3);
    for span in targets
        .iter()
        .map(|t| t.span)
        .chain(diagnostics.iter().map(|d| d.span))
    {
        let local = Span::new(span.start - 3, span.end - 3);
        assert!(local.start <= local.end && local.end <= text.len());
        assert!(text.is_char_boundary(local.start) && text.is_char_boundary(local.end));
    }
}

proptest! {
    #[test]
    fn never_panics_on_policy_like_text(
        text in "[0-9０-９.．,，、；;。%％\\-—～ 　一二三四五六七八九十百千万亿两零〇点分之又余多几负各超过以上左右约近力争确保增长新增达到控制在元美吨亩家个名项标箱百分点倍番翻成半“”《》（）()第年月日a-zA-Z]{0,40}"
    ) {
        check_spans(&text);
    }

    #[test]
    fn never_panics_on_any_text(text in any::<String>()) {
        check_spans(&text);
    }
}

/// `分别` pairs a list of subjects with the list of quantities after it,
/// in order; without it, an empty item repeats the subject before.
#[test]
fn respectively_pairs_subjects_with_values() {
    check(
        "规上工业增加值、数字经济核心产业增加值分别增长5%、6.5%。",
        &[
            "5 % → 5 % | percent Exact None | 增长 | 规上工业增加值",
            "6.5 % → 6.5 % | percent Exact None | 增长 | 数字经济核心产业增加值",
        ],
    );
    // A short item takes the indicator the last one names; an item with
    // its own keeps it.
    check(
        "家电、新能源汽车零售额分别增长8%、20%，生产安全事故起数、死亡人数分别下降10%、8%。",
        &[
            "8 % → 8 % | percent Exact None | 增长 | 家电零售额",
            "20 % → 20 % | percent Exact None | 增长 | 新能源汽车零售额",
            "10 % → 10 % | percent Exact None | 下降 | 生产安全事故起数",
            "8 % → 8 % | percent Exact None | 下降 | 死亡人数",
        ],
    );
    // Joined by 和, the two share a tail (城镇居民…, 农村居民…): not
    // split, each value keeps the whole subject.
    check(
        "城镇和农村居民人均可支配收入分别增长5%、6.5%。",
        &[
            "5 % → 5 % | percent Exact None | 增长 | 城镇和农村居民人均可支配收入",
            "6.5 % → 6.5 % | percent Exact None | 增长 | 城镇和农村居民人均可支配收入",
        ],
    );
    check(
        "力争进出口、出口、进口分别增长3%、4%、2%左右。",
        &[
            "3 % → 3 % | percent Exact Strive | 增长 | 进出口",
            "4 % → 4 % | percent Exact Strive | 增长 | 出口",
            "2 % → 2 % | percent About Strive | 增长 | 进口",
        ],
    );
    // More values than subjects: the extra repeats the last subject.
    check(
        "出口、进口分别增长1%、2%、3%。",
        &[
            "1 % → 1 % | percent Exact None | 增长 | 出口",
            "2 % → 2 % | percent Exact None | 增长 | 进口",
            "3 % → 3 % | percent Exact None | 增长 | 进口",
        ],
    );
    // No 分别: both values measure the one subject.
    check(
        "工业增加值增长5%、6%。",
        &[
            "5 % → 5 % | percent Exact None | 增长 | 工业增加值",
            "6 % → 6 % | percent Exact None | 增长 | 工业增加值",
        ],
    );
}

/// 争取 before a verb is a modality (`争取实现`); before a noun, the verb
/// itself: to obtain (`争取…资金95亿元`).
#[test]
fn zhengqu_is_a_verb_before_a_noun() {
    check(
        "争取设备更新资金95亿元、中央预算内投资资金233亿元。",
        &[
            "95 亿元 → 9500000000 元 | currency:CNY Exact None | 争取 | 设备更新资金",
            "233 亿元 → 23300000000 元 | currency:CNY Exact None | 争取 | 中央预算内投资资金",
        ],
    );
    check(
        "争取实现地区生产总值增长5.5%。",
        &["5.5 % → 5.5 % | percent Exact Strive | 增长 | 地区生产总值"],
    );
}

/// A word that starts with a joiner character keeps it: 和美乡村 is not
/// `和` + 美乡村, 并购 not `并` + 购.
#[test]
fn joiner_words_keep_their_first_character() {
    check(
        "扎实推进乡村振兴，和美乡村覆盖率达51.7%，并购重组交易额突破100亿元。",
        &[
            "51.7 % → 51.7 % | percent Exact None | 达 | 和美乡村覆盖率",
            "100 亿元 → 10000000000 元 | currency:CNY MoreThan None | 突破 | 并购重组交易额",
        ],
    );
    // A real joiner still goes: 和 between two items.
    check(
        "新增企业20家和园区5个。",
        &[
            "20 家 → 20 家 | count:家 Exact None | 新增 | 企业",
            "5 个 → 5 个 | count:个 Exact None | 新增 | 园区",
        ],
    );
}

/// 建设 in 建设项目 is part of the noun: the verb is the one before it.
#[test]
fn construction_projects_are_a_noun() {
    check(
        "安排省重点建设项目1000个以上。",
        &["1000 个 → 1000 个 | count:个 AtLeast None | 安排 | 省重点建设项目"],
    );
}
