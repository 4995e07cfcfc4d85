//! The review's statistics against independent, direct computations, and
//! its flags on generated histories with a planted signal.

use leadc::lead::Value;
use leadc::review::{
    BehaviourMeta, FieldMeta, History, Model, Options, Report, Row, RuleFlag, RuleMeta, SignalKind, analyse,
    render_html, render_text,
};
use leadc::schema::FieldType;

/// SplitMix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

const INDUSTRIES: [&str; 4] = ["Software", "Retail", "Finance", "Education"];
const REGIONS: [&str; 3] = ["EU", "US", "APAC"];

/// How the generated program uses the `webinar` behaviour.
#[derive(Clone, Copy, PartialEq)]
enum Webinar {
    /// No rule counts it.
    Unused,
    /// `behaviour webinar : 0`.
    ZeroPoints,
}

/// Schema: industry (string), region (enum), employees (int), is_b2b
/// (bool); behaviours demo, email_open, webinar, careers.
///
/// Rules: 0 `fit industry = "Software" : 15`, 1 `fit is_b2b : 10`,
/// 2 `behaviour demo : 20`, 3 `behaviour email_open : 1 each max 5`,
/// 4 `behaviour careers : 15` (job seekers, who convert a little less: must
/// be flagged), and with
/// [`Webinar::ZeroPoints`] 5 `behaviour webinar : 0`.
fn model(webinar: Webinar) -> Model {
    let field = |name: &str, ty: FieldType, tests| FieldMeta { name: name.into(), ty, tests };
    use leadc::check::scorecard::{Test, TextTest};
    let rule = |text: &str, points, max_points| RuleMeta {
        text: text.into(),
        line: 0,
        category: "c".into(),
        points,
        max_points,
    };
    let mut rules = vec![
        rule("fit industry = \"Software\" : 15", 15, 15),
        rule("fit is_b2b : 10", 10, 10),
        rule("behaviour demo : 20", 20, 20),
        rule("behaviour email_open : 1 each max 5", 1, 5),
        rule("behaviour careers : 15", 15, 15),
    ];
    if webinar == Webinar::ZeroPoints {
        rules.push(rule("behaviour webinar : 0", 0, 0));
    }
    let behaviour = |name: &str, used| BehaviourMeta { name: name.into(), used };
    Model {
        fields: vec![
            field("industry", FieldType::String, vec![Test::Text(TextTest::Eq, "Software".into())]),
            field("region", FieldType::Enum(REGIONS.iter().map(|r| r.to_string()).collect()), vec![]),
            field("employees", FieldType::Int, vec![]),
            field("is_b2b", FieldType::Bool, vec![Test::Bool(true)]),
        ],
        behaviours: vec![
            behaviour("demo", true),
            behaviour("email_open", true),
            behaviour("webinar", webinar == Webinar::ZeroPoints),
            behaviour("careers", true),
        ],
        rules,
        tiers: vec!["hot".into(), "cold".into()],
        categories: vec!["all".into()],
    }
}

/// `n` scored leads; conversion rises with the program's real signals and,
/// strongly, with the planted `webinar` behaviour.
fn history(n: u64, seed: u64, webinar: Webinar) -> History {
    let mut rng = Rng(seed);
    let mut history = History::default();
    for i in 0..n {
        let industry = INDUSTRIES[rng.below(4) as usize];
        let region = rng.below(3) as u32;
        let employees = [10, 50, 200, 1000, 5000][rng.below(5) as usize];
        let b2b = rng.chance(0.7);
        let counts = [
            u32::from(rng.chance(0.15)),
            rng.below(8) as u32,
            u32::from(rng.chance(0.2)) * (1 + rng.below(3) as u32),
            u32::from(rng.chance(0.2)),
        ];
        let [demo, opens, webinar_count, careers] = counts;
        let mut fired = vec![industry == "Software", b2b, demo > 0, opens > 0, careers > 0];
        if webinar == Webinar::ZeroPoints {
            fired.push(webinar_count > 0);
        }
        let points = 15 * i64::from(fired[0])
            + 10 * i64::from(b2b)
            + 20 * i64::from(demo > 0)
            + i64::from(opens.min(5))
            + 15 * i64::from(careers > 0);
        let p = 0.04
            + 0.08 * f64::from(u8::from(fired[0]))
            + 0.05 * f64::from(u8::from(b2b))
            + 0.15 * f64::from(u8::from(demo > 0))
            + 0.40 * f64::from(u8::from(webinar_count > 0))
            - 0.03 * f64::from(u8::from(careers > 0));
        let converted = rng.chance(p);
        history.rows.push(Row {
            line: i + 2,
            id: format!("L{i}"),
            converted,
            empty_outcome: false,
            score: points,
            points,
            segment: 0,
            tier: Some(if points >= 30 { 0 } else { 1 }),
            rule_points: Vec::new(),
            fired,
            categories: vec![points],
            values: vec![
                Value::Text(industry.into()),
                Value::Enum(region),
                Value::Int(employees),
                Value::Bool(b2b),
            ],
            counts: counts.to_vec(),
        });
    }
    history
}

fn flagged(report: &Report) -> Vec<(String, RuleFlag)> {
    report.rules.iter().filter_map(|r| r.flag.map(|f| (r.text.clone(), f))).collect()
}

fn candidates(report: &Report) -> Vec<(SignalKind, String)> {
    report.signals.iter().filter(|s| s.candidate).map(|s| (s.kind, s.condition.clone())).collect()
}

#[test]
fn an_unused_behaviour_that_predicts_conversion_is_the_one_candidate() {
    for seed in [1, 2, 3] {
        let report =
            analyse(&model(Webinar::Unused), &history(4000, seed, Webinar::Unused), &Options::default());
        assert_eq!(
            candidates(&report),
            vec![(SignalKind::Behaviour, "webinar >= 1".to_string())],
            "seed {seed}"
        );
        assert_eq!(
            flagged(&report),
            vec![("behaviour careers : 15".to_string(), RuleFlag::HighPointsNoLift)],
            "seed {seed}"
        );
    }
}

#[test]
fn a_zero_point_rule_on_a_strong_behaviour_is_flagged_and_nothing_else() {
    for seed in [4, 5, 6] {
        let report = analyse(
            &model(Webinar::ZeroPoints),
            &history(4000, seed, Webinar::ZeroPoints),
            &Options::default(),
        );
        assert_eq!(
            flagged(&report),
            vec![
                ("behaviour careers : 15".to_string(), RuleFlag::HighPointsNoLift),
                ("behaviour webinar : 0".to_string(), RuleFlag::LowPointsStrongLift),
            ],
            "seed {seed}"
        );
        assert!(candidates(&report).is_empty(), "seed {seed}: {:?}", candidates(&report));
    }
}

#[test]
fn a_planted_value_of_an_unused_field_is_found_with_every_value_compared() {
    // Leads in region APAC (an unused enum field) convert far more.
    let mut h = history(4000, 9, Webinar::Unused);
    let mut rng = Rng(99);
    for row in &mut h.rows {
        if row.values[1] == Value::Enum(2) && !row.converted && rng.chance(0.4) {
            row.converted = true;
        }
    }
    let report = analyse(&model(Webinar::Unused), &h, &Options::default());
    let found = candidates(&report);
    assert!(found.contains(&(SignalKind::Field, "region = \"APAC\"".to_string())), "{found:?}");
    let region = report.signals.iter().find(|s| s.name == "region").unwrap();
    let mut expected: Vec<(String, usize, usize)> = (0..3)
        .map(|i| {
            let rows: Vec<&Row> = h.rows.iter().filter(|r| r.values[1] == Value::Enum(i)).collect();
            let name = format!("region = \"{}\"", REGIONS[i as usize]);
            (name, rows.len(), rows.iter().filter(|r| r.converted).count())
        })
        .collect();
    expected.sort_by(|a, b| (b.2 as f64 / b.1 as f64).total_cmp(&(a.2 as f64 / a.1 as f64)));
    let got: Vec<(String, usize, usize)> =
        region.groups.iter().map(|g| (g.name.clone(), g.leads, g.converters)).collect();
    assert_eq!(got, expected);
    assert_eq!(got[0].0, "region = \"APAC\"");
}

#[test]
fn a_planted_threshold_of_an_unused_int_field_is_found() {
    // Leads with 1000 employees or more (an unused int field) convert more.
    let mut h = history(4000, 10, Webinar::Unused);
    let mut rng = Rng(77);
    for row in &mut h.rows {
        if matches!(row.values[2], Value::Int(e) if e >= 1000) && !row.converted && rng.chance(0.4) {
            row.converted = true;
        }
    }
    let report = analyse(&model(Webinar::Unused), &h, &Options::default());
    let found = candidates(&report);
    assert!(found.contains(&(SignalKind::Field, "employees >= 1000".to_string())), "{found:?}");
    let employees = report.signals.iter().find(|s| s.name == "employees").unwrap();
    let big: Vec<&Row> =
        h.rows.iter().filter(|r| matches!(r.values[2], Value::Int(e) if e >= 1000)).collect();
    let sides: Vec<(&str, usize, usize)> =
        employees.groups.iter().map(|g| (g.name.as_str(), g.leads, g.converters)).collect();
    let big_converters = big.iter().filter(|r| r.converted).count();
    let all_converters = h.rows.iter().filter(|r| r.converted).count();
    assert_eq!(
        sides,
        [
            ("employees >= 1000", big.len(), big_converters),
            ("employees < 1000", h.rows.len() - big.len(), all_converters - big_converters)
        ]
    );
}

/// AUC by counting every converter/non-converter pair (ties half).
fn auc_by_pairs(rows: &[Row]) -> f64 {
    let (mut wins, mut pairs) = (0.0, 0.0);
    for p in rows.iter().filter(|r| r.converted) {
        for n in rows.iter().filter(|r| !r.converted) {
            pairs += 1.0;
            wins += match p.score.cmp(&n.score) {
                std::cmp::Ordering::Greater => 1.0,
                std::cmp::Ordering::Equal => 0.5,
                std::cmp::Ordering::Less => 0.0,
            };
        }
    }
    wins / pairs
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn statistics_match_direct_computations() {
    let h = history(1500, 11, Webinar::Unused);
    let rows = &h.rows;
    let report = analyse(&model(Webinar::Unused), &h, &Options::default());

    assert!(close(report.auc.unwrap(), auc_by_pairs(rows)));

    let avg = |converted: bool| {
        let group: Vec<i64> = rows.iter().filter(|r| r.converted == converted).map(|r| r.score).collect();
        group.iter().sum::<i64>() as f64 / group.len() as f64
    };
    assert!(close(report.verdict.converters_score, avg(true)));
    assert!(close(report.verdict.non_converters_score, avg(false)));
    assert_eq!(report.verdict.pass, avg(true) > avg(false));

    // Deciles: sort (-score, line) and cut at i*n/10.
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by_key(|r| (-r.score, r.line));
    let total_converters = rows.iter().filter(|r| r.converted).count() as f64;
    let mut cumulative = 0.0;
    assert_eq!(report.deciles.len(), 10);
    for (d, decile) in report.deciles.iter().enumerate() {
        let part = &sorted[d * rows.len() / 10..(d + 1) * rows.len() / 10];
        let converted = part.iter().filter(|r| r.converted).count();
        cumulative += converted as f64;
        assert_eq!(decile.converters, converted);
        assert!(close(decile.rate, converted as f64 / part.len() as f64));
        assert!(close(decile.gain, cumulative / total_converters));
        let leads_share = ((d + 1) * rows.len() / 10) as f64 / rows.len() as f64;
        assert!(close(decile.cumulative_lift, cumulative / total_converters / leads_share));
        assert_eq!(decile.max_rank, part[0].score);
    }
    assert!(close(report.deciles[9].gain, 1.0));

    // Rule lift: conversion when fired over the overall rate.
    let overall = total_converters / rows.len() as f64;
    for (i, rule) in report.rules.iter().enumerate() {
        let fired: Vec<&Row> = rows.iter().filter(|r| r.fired[i]).collect();
        let rate = fired.iter().filter(|r| r.converted).count() as f64 / fired.len() as f64;
        assert_eq!(rule.fires, fired.len());
        assert!(close(rule.lift, rate / overall), "{}", rule.text);
    }

    // Tiers and the histogram account for every row.
    assert_eq!(report.tiers.iter().map(|t| t.leads).sum::<usize>(), rows.len());
    let binned: usize = report.histogram.iter().map(|b| b.converters + b.non_converters).sum();
    assert_eq!(binned, rows.len());
}

#[test]
fn auc_handles_ties_and_degenerate_histories() {
    let rows = |pairs: &[(i64, bool)]| History {
        rows: pairs.iter().enumerate().map(|(i, &(p, c))| Row::bare(i as u64, p, c)).collect(),
        ..History::default()
    };
    let model = Model::default();
    let tied = rows(&[(5, true), (5, false), (5, true), (1, false)]);
    let report = analyse(&model, &tied, &Options::default());
    assert!(close(report.auc.unwrap(), auc_by_pairs(&tied.rows)));
    assert!(close(report.auc.unwrap(), 0.75));
    let one_sided = rows(&[(5, true), (3, true)]);
    let report = analyse(&model, &one_sided, &Options::default());
    assert_eq!(report.auc, None);
    assert!(!report.verdict.pass);
    let empty = analyse(&model, &History::default(), &Options::default());
    assert!(empty.deciles.is_empty() && empty.histogram.is_empty() && empty.auc.is_none());
    render_text(&empty);
    render_html(&empty, "empty");
}

#[test]
fn cases_are_the_lowest_converters_and_highest_non_converters() {
    let h = history(600, 12, Webinar::Unused);
    let options = Options { cases: 5, errors_shown: 0 };
    let report = analyse(&model(Webinar::Unused), &h, &options);
    let mut converters: Vec<&Row> = h.rows.iter().filter(|r| r.converted).collect();
    converters.sort_by_key(|r| (r.score, r.line));
    let expected: Vec<&str> = converters.iter().take(5).map(|r| r.id.as_str()).collect();
    let got: Vec<&str> = report.study.low_converters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(got, expected);
    let mut others: Vec<&Row> = h.rows.iter().filter(|r| !r.converted).collect();
    others.sort_by_key(|r| (-r.score, r.line));
    let expected: Vec<&str> = others.iter().take(5).map(|r| r.id.as_str()).collect();
    let got: Vec<&str> = report.study.high_non_converters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(got, expected);
    let first = &report.study.high_non_converters[0];
    let row = h.rows.iter().find(|r| r.id == first.id).unwrap();
    assert_eq!(first.fired.len(), row.fired.iter().filter(|f| **f).count());
}

#[test]
fn html_is_self_contained() {
    let h = history(800, 13, Webinar::Unused);
    let html = render_html(&analyse(&model(Webinar::Unused), &h, &Options::default()), "review <test>");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>review &lt;test&gt;</title>"));
    assert_eq!(html.matches("<svg").count(), 4);
    for fetch in ["<script", "<link", "<img", "url(", "@import", "src="] {
        assert!(!html.contains(fetch), "{fetch}");
    }
}

#[test]
fn terminal_summary_of_a_small_history() {
    let mut h = history(60, 14, Webinar::Unused);
    h.errors.push(leadc::review::RowError::bad_outcome(63, Some("L61".into()), "converted", "maybe"));
    let mut model = model(Webinar::Unused);
    for (i, rule) in model.rules.iter_mut().enumerate() {
        rule.line = i + 4;
    }
    let report = analyse(&model, &h, &Options { cases: 3, errors_shown: 5 });
    insta::assert_snapshot!(render_text(&report));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// On any history: AUC equals pair counting, every row lands in one
    /// decile, one histogram bin and one tier row, and the gains reach 100%.
    #[test]
    fn statistics_hold_on_any_history(
        rows in proptest::collection::vec((0i64..60, proptest::bool::ANY, 0u8..3), 0..250)
    ) {
        let history = History {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, &(points, converted, segment))| Row {
                    segment,
                    score: i64::from(segment) * 1000 + points,
                    tier: (points >= 30).then_some(0),
                    ..Row::bare(i as u64 + 2, points, converted)
                })
                .collect(),
            ..History::default()
        };
        let model = Model { tiers: vec!["hot".into()], ..Model::default() };
        let report = analyse(&model, &history, &Options::default());
        let n = history.rows.len();
        let ranked: Vec<Row> =
            history.rows.iter().map(|r| Row { score: r.rank(), ..r.clone() }).collect();
        match report.auc {
            Some(auc) => proptest::prop_assert!(close(auc, auc_by_pairs(&ranked))),
            None => proptest::prop_assert!(ranked.iter().all(|r| r.converted) || ranked.iter().all(|r| !r.converted)),
        }
        proptest::prop_assert_eq!(report.deciles.iter().map(|d| d.leads).sum::<usize>(), n);
        let binned: usize = report.histogram.iter().map(|b| b.converters + b.non_converters).sum();
        proptest::prop_assert_eq!(binned, n);
        proptest::prop_assert_eq!(report.tiers.iter().map(|t| t.leads).sum::<usize>(), n);
        if report.summary.converters > 0 {
            proptest::prop_assert!(close(report.deciles.last().unwrap().gain, 1.0));
        }
        render_text(&report);
        render_html(&report, "property");
    }
}
