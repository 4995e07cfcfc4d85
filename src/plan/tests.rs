#![allow(clippy::unwrap_used)]
use super::*;
use crate::compile::opcode::Op;
use crate::diag::Sources;
use crate::load::{SchemaSource, check_source, load_program};
use crate::program::Program;
use crate::schema::{FieldType, Schema};
use std::path::Path;

fn compiled(path: &str) -> Program {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    Program::compile(&load_program(&path, &mut Sources::new()).unwrap())
}

fn compiled_source(schema: Schema, source: &str) -> Program {
    let card =
        check_source(&mut Sources::new(), "t.lead", source, SchemaSource::Given(schema.into())).unwrap();
    Program::compile(&card)
}

/// Which instructions of `code` the plan kept: the plan's code must be
/// a subsequence of it, equal but for jump targets.
fn kept(code: &[Op], plan: &[Op]) -> Vec<usize> {
    let same = |a: &Op, b: &Op| match (a.target(), b.target()) {
        (Some(_), Some(_)) => std::mem::discriminant(a) == std::mem::discriminant(b),
        _ => a == b,
    };
    let mut kept = Vec::new();
    let mut i = 0;
    for op in plan {
        while !same(&code[i], op) {
            i += 1;
        }
        kept.push(i);
        i += 1;
    }
    kept
}

/// Where every decider writes.
fn targets(plan: &Plan) -> Vec<Target> {
    let mut targets: Vec<Target> = plan.deciders.ints.iter().map(|d| d.at).collect();
    targets.extend(plan.deciders.numbers.iter().map(|d| d.at));
    targets.extend(plan.deciders.enums.iter().map(|d| d.at));
    targets.extend(plan.deciders.bools.iter().map(|d| d.at));
    targets.extend(plan.deciders.tags.iter().map(|d| d.at));
    targets.extend(plan.classifiers.iter().chain(&plan.wide).map(|c| c.at));
    targets
}

/// Every bit the plan writes (a decider with bits writes its whole word;
/// the sink, nothing that is read) and every bit it reads.
fn bits(plan: &Plan) -> (Vec<u32>, Vec<u32>) {
    let mut written: Vec<u32> = plan.affixes.bits.iter().map(|t| t.bit).collect();
    written.extend(plan.others.bits.iter().map(|t| t.bit));
    let first_word =
        plan.words as u32 - 1 - targets(plan).iter().filter(|t| t.word != plan.sink).count() as u32;
    assert!(written.iter().all(|&b| b / 64 < first_word), "deciders own the words after the other tests'");
    for at in targets(plan).iter().filter(|t| t.word != plan.sink) {
        assert!(at.word >= first_word);
        written.extend((0..64).map(|k| at.word * 64 + k));
    }
    let mut read: Vec<u32> = plan.pairs.iter().flat_map(|f| [f.a, f.b]).collect();
    read.extend(plan.requires.iter().map(|r| r.bit));
    read.extend(plan.arms.iter().map(|a| a.bit));
    assert!(read.iter().all(|b| b / 64 != plan.sink), "a bit read from the sink");
    (written, read)
}

/// The plan's code still verifies, and every jump and arm end lands on the first kept
/// instruction at or after where it landed; every bit read is written,
/// by one test only, within the plan's words.
fn assert_plan_is_valid(program: &Program) {
    let plan = &program.plan;
    let code: Vec<Op> = plan.code.iter().map(|step| step.op()).collect();
    let mut rest = program.bytecode.clone();
    rest.code = code.clone();
    rest.steps.clear();
    crate::compile::verify::verify(&rest).unwrap();
    let kept = kept(&program.bytecode.code, &code);
    for (op, &i) in code.iter().zip(&kept) {
        if let (Some(new), Some(was)) = (op.target(), program.bytecode.code[i].target()) {
            let landing = kept.iter().position(|&k| k >= was as usize).unwrap_or(plan.code.len());
            assert_eq!(new as usize, landing, "instruction {i}: jump target moved");
        }
    }
    assert_eq!(plan.sink as usize, plan.words - 1, "the sink is the last word");
    let (mut written, read) = bits(plan);
    assert!(written.iter().all(|&b| (b as usize) < plan.words * 64), "a bit beyond the words");
    written.sort_unstable();
    let before = written.len();
    written.dedup();
    assert_eq!(before, written.len(), "two tests (or deciders) write one bit");
    assert!(read.iter().all(|b| written.binary_search(b).is_ok()), "a bit read that no test writes");
}

/// The plan of the benchmark program: every rule, must-have and arm in
/// a table, the tests in one decider per field, the end of the program
/// one finish step, nothing lost or counted twice.
#[test]
fn the_plan_takes_out_rules_must_haves_and_arms_and_keeps_the_rest_valid() {
    let program = compiled("benches/data/bench.lead");
    let plan = &program.plan;
    let field = |at: Target| program.schema().field(crate::schema::FieldId(at.field)).unwrap().name.as_str();
    let fields = |targets: Vec<Target>| targets.into_iter().map(field).collect::<Vec<_>>();
    assert_eq!(
        fields(plan.deciders.ints.iter().map(|d| d.at).collect()),
        ["age", "employees", "timeline_days"]
    );
    assert_eq!(fields(plan.deciders.numbers.iter().map(|d| d.at).collect()), ["annual_revenue", "budget"]);
    assert_eq!(
        fields(plan.deciders.enums.iter().map(|d| d.at).collect()),
        ["region", "department", "seniority"]
    );
    assert_eq!(fields(plan.deciders.bools.iter().map(|d| d.at).collect()), ["is_b2b"]);
    assert_eq!(fields(plan.deciders.tags.iter().map(|d| d.at).collect()), ["website"]);
    let texts: Vec<Target> = plan.classifiers.iter().map(|c| c.at).collect();
    assert_eq!(fields(texts), ["industry", "country", "title", "email_domain"]);
    assert!(plan.wide.is_empty(), "small groups have a perfect hash");
    // 33 rules: 16 fused fit rules (2 on affixes, run one by one), 2
    // compound ones, 15 behaviour rules.
    assert_eq!((plan.decided.len(), plan.affixes.fits.len(), plan.others.fits.len()), (14, 2, 0));
    assert_eq!(plan.pairs.len(), 2);
    assert_eq!(plan.once.len() + plan.gains.len() + plan.losses.len(), program.bytecode.steps.len());
    assert_eq!((plan.gains.len(), plan.losses.len()), (6, 1));
    assert_eq!((plan.requires.len(), plan.arms.len()), (3, 3));
    // The deciders whose tests others read: region, age, department (the
    // must-haves, one of the pairs), employees (the arms), is_b2b, budget
    // and title (the pairs).
    assert_eq!(targets(plan).iter().filter(|t| t.word != plan.sink).count(), 7);
    assert!(plan.code.iter().all(|step| step.op().stage() != Some(crate::compile::opcode::Stage::Rules)));
    assert!(matches!(plan.code.first(), Some(Step::Points { .. })));
    let finish = plan.finish.as_ref().unwrap();
    assert_eq!(finish.tiers.len(), 3);
    assert_eq!((finish.tiers[0].qualified, finish.tiers[0].lo, finish.tiers[2].lo), (true, 60, i64::MIN));
    assert!(plan.fixed, "5 categories, {} words of bits, small points", plan.words);
    assert_plan_is_valid(&program);
}

/// Nine categories, or more test bits than fixed arrays hold, take the
/// general path.
#[test]
fn large_programs_are_not_fixed() {
    let schema = Schema::builder().field("age", FieldType::Int).build().unwrap();
    let nine: String = (0..9).map(|i| format!("category c{i}\nfit age >= {i} : 1\n")).collect();
    assert!(!compiled_source(schema.clone(), &nine).plan.fixed);
    // 600 tests that write bits (pairs): more words than fixed arrays hold.
    let pairs: String = (0..300).map(|i| format!("fit age >= {i} and age <= {} : 1\n", i + 5)).collect();
    let program = compiled_source(schema, &format!("category c\n{pairs}"));
    assert!(program.plan.words > FIXED_WORDS && !program.plan.fixed);
    assert_plan_is_valid(&program);
}

/// Conditions that are not one test nor `a and b` / `a or b` of two
/// tests stay in the code, with their jumps renumbered; a pair among
/// them is still taken.
#[test]
fn the_plan_leaves_what_it_cannot_take_whole() {
    let schema = Schema::builder()
        .field("age", FieldType::Int)
        .field("b2b", FieldType::Bool)
        .field("country", FieldType::String)
        .build()
        .unwrap();
    let source = r#"
        segment age {
          < 30  => 1
          >= 30 => 2
        }
        category c
        fit not b2b : 1
        fit age >= 18 and b2b and country = "US" : 2
        fit age >= 18 or b2b : 3
        fit (age >= 18 or b2b) and country = "US" : 4
    "#;
    let program = compiled_source(schema, source);
    assert_plan_is_valid(&program);
    let plan = &program.plan;
    assert_eq!(plan.arms.len(), 2);
    let rules: Vec<u32> = plan
        .code
        .iter()
        .filter_map(|step| match step {
            Step::Fit { rule, .. } => Some(*rule),
            _ => None,
        })
        .collect();
    assert_eq!(rules, [0, 1, 3], "only `age >= 18 or b2b` was taken");
    assert_eq!(plan.pairs.len(), 1);
    assert!(plan.pairs[0].or && plan.pairs[0].a != plan.pairs[0].b);
}

/// A string test with a constant longer than a cell holds runs on its
/// own; the others on its field share a classifier, whatever consumer
/// (fit, pair, must-have) reads them.
#[test]
fn long_constants_leave_their_test_out_of_the_classifier() {
    let schema =
        Schema::builder().field("title", FieldType::String).field("age", FieldType::Int).build().unwrap();
    let source = "require title != \"Intern\" : 100\ncategory c\n\
                  fit title in [\"VP\", \"Head of Sales, EMEA\", \"Director\"] : 1\n\
                  fit title = \"VP\" : 2\nfit title in [\"VP\", \"CEO\"] and age >= 30 : 3\n";
    let program = compiled_source(schema, source);
    assert_plan_is_valid(&program);
    let plan = &program.plan;
    assert_eq!(plan.classifiers.len(), 1);
    assert_eq!(plan.classifiers[0].none, Gift { mask: 0b01, points: 0 }, "only the must-have is negated");
    assert!(plan.others.bits.is_empty());
    assert!(matches!(plan.others.fits[..], [OtherTest { test: Test::TextIn { .. }, .. }]));
    assert_eq!(plan.others.fits[0].effect.points, 1, "the long set gives its points itself");
    assert_eq!(plan.decided.len(), 1, "`title = \"VP\"` gives its points through the classifier");
    let text_bits: Vec<u32> = [plan.requires[0].bit, plan.pairs[0].a].into();
    let word = plan.classifiers[0].at.word * 64;
    assert_eq!(text_bits, [word, word + 1]);
}

#[test]
fn comparisons_as_ranges_agree_with_the_comparison() {
    let cmps = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge];
    let specials = [0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e300, f64::MAX, f64::MIN, f64::MIN_POSITIVE];
    let mut ks: Vec<f64> = specials.to_vec();
    ks.extend([f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
    let mut values = ks.clone();
    values.extend(specials.iter().flat_map(|v| [v.next_up(), v.next_down()]));
    for cmp in cmps {
        for &k in &ks {
            let (negated, lo, hi) = range(cmp, k);
            for &v in &values {
                let in_range = (lo <= v && v <= hi) != negated;
                assert_eq!(in_range, cmp.apply(v, k), "{v} {} {k}", cmp.as_str());
            }
        }
    }
}

/// Fits on one string field share one classifier however many they are;
/// tests that write bits take one classifier per 64. Every test still
/// scores as the reference evaluator scores it — including a negated one
/// and a value no test names.
#[test]
fn many_string_tests_on_one_field_share_classifiers_of_64_bits() {
    let schema =
        Schema::builder().field("title", FieldType::String).field("age", FieldType::Int).build().unwrap();
    let mut source = String::from(
        "category c
",
    );
    for i in 0..70 {
        source.push_str(&format!("fit title = \"t{i}\" : {}\n", i + 1));
        source.push_str(&format!("fit title = \"t{i}\" and age >= {i} : {}\n", 100 * (i + 1)));
    }
    source.push_str("fit title not in [\"t3\", \"t66\"] : 100000\n");
    let card =
        check_source(&mut Sources::new(), "t.lead", &source, SchemaSource::Given(schema.into())).unwrap();
    let program = Program::compile(&card);
    assert_plan_is_valid(&program);
    assert_eq!(program.plan.classifiers.len(), 2);
    let bits: Vec<u32> = program.plan.pairs.iter().map(|p| p.a / 64).collect();
    assert_eq!(bits.iter().filter(|&&w| w == bits[0]).count(), 64, "64 bits to the first classifier");
    let title = program.schema().field_id("title").unwrap();
    let age = program.schema().field_id("age").unwrap();
    for value in ["t0", "t3", "t63", "t64", "t66", "t69", "t70", "", "T3"] {
        for years in [0, 3, 64, 100] {
            let mut lead = program.new_lead();
            lead.set(title, crate::lead::Value::Text(value.into()));
            lead.set(age, crate::lead::Value::Int(years));
            let expected = crate::reference::evaluate(&card, &lead).0;
            assert_eq!(program.evaluate(&lead), expected, "title {value:?}, age {years}");
        }
    }
}

/// `starts_with` / `ends_with` of constants up to sixteen bytes, decided
/// from cells, agree with the reference evaluator on values shorter,
/// equal and longer than the constant and than a cell, with NUL bytes and
/// multi-byte characters, and on a missing value.
#[test]
fn affix_tests_from_cells_agree_with_the_reference() {
    let schema = Schema::builder().field("s", FieldType::String).build().unwrap();
    let affixes = ["", "a", "ab", "Head of", "abcdefghijklmnop", "bcdefghijklmnop", "p", ".edu", "é"];
    let mut source = String::from("category c\n");
    for (i, affix) in affixes.iter().enumerate() {
        source.push_str(&format!("fit s starts_with \"{affix}\" : {}\n", 1 << i));
        source.push_str(&format!("fit s ends_with \"{affix}\" : {}\n", 1 << (i + 10)));
    }
    let card =
        check_source(&mut Sources::new(), "t.lead", &source, SchemaSource::Given(schema.into())).unwrap();
    let program = Program::compile(&card);
    assert_plan_is_valid(&program);
    assert_eq!(program.plan.affixes.fits.len(), 2 * affixes.len());
    let field = program.schema().field_id("s").unwrap();
    let values = [
        "",
        "a",
        "ab",
        "ab\0",
        "ab\0c",
        "Head of Sales",
        "Head o",
        "abcdefghijklmnop",
        "abcdefghijklmnopq",
        "xabcdefghijklmnop",
        "zzzzzzzzzzzzzzzzzzbcdefghijklmnop",
        "mit.edu",
        "x.edu.org",
        "café",
        "écu",
    ];
    let values = values.map(|v| crate::lead::Value::Text(v.into()));
    for value in values.into_iter().chain([crate::lead::Value::Missing]) {
        let mut lead = program.new_lead();
        lead.set(field, value.clone());
        let expected = crate::reference::evaluate(&card, &lead).0;
        assert_eq!(program.evaluate(&lead).categories, expected.categories, "value {value:?}");
    }
}

/// Deciders of every kind decide each test as the reference evaluator
/// does — scores and explanations — on the edges of every range, values
/// of the wrong type, missing values, NaN, ±0, infinities, enum indexes
/// past the schema's and strings no test names.
#[test]
fn deciders_agree_with_the_reference_on_edge_values() {
    use crate::lead::Value;
    let schema = Schema::builder()
        .field("n", FieldType::Int)
        .field("x", FieldType::Number)
        .field("e", FieldType::Enum(["a", "b", "c", "d", "e"].map(String::from).to_vec()))
        .field("b", FieldType::Bool)
        .field("s", FieldType::String)
        .build()
        .unwrap();
    let rules = [
        "n >= 18",
        "n in 100..4999",
        "n not in 0..9",
        "n < -9223372036854775807",
        "n = 9223372036854775807",
        "n is missing",
        "x >= 50000",
        "x > 0",
        "x <= -0.5",
        "x != 1.5",
        "x not in 1..2",
        "x is present",
        "e in [\"a\", \"c\"]",
        "e not in [\"b\"]",
        "e = \"e\"",
        "b",
        "b = false",
        "b is missing",
        "s in [\"VP\", \"CTO\"]",
        "s != \"VP\"",
        "s is present",
    ];
    let mut source = String::from("require n >= 18 : 100\nrequire e not in [\"b\"] : 100\ncategory c\n");
    for (i, rule) in rules.iter().enumerate() {
        source.push_str(&format!("fit {rule} : {}\n", i + 1));
    }
    // The same tests again, as bits read by pairs.
    source.push_str("category pairs\n");
    for (i, pair) in rules.chunks(2).enumerate() {
        source.push_str(&format!("fit {} : {}\n", pair.join(" or "), 100 * (i + 1)));
    }
    let card =
        check_source(&mut Sources::new(), "t.lead", &source, SchemaSource::Given(schema.into())).unwrap();
    let program = Program::compile(&card);
    assert_plan_is_valid(&program);
    let plan = &program.plan;
    assert!(plan.others.fits.is_empty() && plan.others.bits.is_empty(), "every test decided");
    assert!(plan.fixed && plan.finish.is_some(), "{:?}", plan.code);
    let ints = [i64::MIN, i64::MIN + 1, -1, 0, 9, 10, 17, 18, 99, 100, 4999, 5000, i64::MAX - 1, i64::MAX];
    let numbers = [
        f64::NEG_INFINITY,
        f64::MIN,
        -0.5,
        -0.5f64.next_up(),
        -0.0,
        0.0,
        5e-324,
        1.0,
        1.5,
        2.0,
        2.0f64.next_up(),
        50000.0f64.next_down(),
        50000.0,
        f64::MAX,
        f64::INFINITY,
        f64::NAN,
    ];
    let mut values: Vec<Value> = ints.iter().map(|&v| Value::Int(v)).collect();
    values.extend(numbers.iter().map(|&v| Value::Number(v)));
    values.extend([0, 1, 2, 4, 5, 63, 64, 1000].map(Value::Enum));
    values.extend([Value::Bool(false), Value::Bool(true), Value::Missing]);
    values.extend(["VP", "CTO", "", "vp", "VP "].map(|s| Value::Text(s.into())));
    for field in 0..5 {
        let id = crate::schema::FieldId(field);
        for value in &values {
            let mut lead = program.new_lead();
            lead.set(id, value.clone());
            let (expected, why) = crate::reference::evaluate(&card, &lead);
            let (outcome, explanation) = program.explain(&lead);
            assert_eq!(outcome, expected, "field {field} = {value:?}");
            assert_eq!(explanation.rules, why.rules, "field {field} = {value:?}");
        }
    }
}

/// Scores (by `evaluate`, which reads a folded segment's digit from its
/// decider's word) and explanations (which test the arms one by one) of
/// `program` over `values` of field 0 agree with the reference evaluator.
fn agrees_on_field_0(program: &Program, card: &crate::check::Scorecard, values: &[crate::lead::Value]) {
    for value in values {
        let mut lead = program.new_lead();
        lead.set(crate::schema::FieldId(0), value.clone());
        let (expected, why) = crate::reference::evaluate(card, &lead);
        assert_eq!(program.evaluate(&lead), expected, "{value:?}");
        let (outcome, explanation) = program.explain(&lead);
        assert_eq!(outcome, expected, "{value:?}");
        assert_eq!(explanation.segment_arm, why.segment_arm, "{value:?}");
    }
}

/// A segment whose arms one decider decides is folded into that
/// decider's gifts, whatever the field's type, and gives the first arm
/// that holds (the arms overlap) — on edges, wrong types and missing
/// values.
#[test]
fn segments_fold_into_their_decider() {
    use crate::lead::Value;
    let cases: [(FieldType, &str, Vec<Value>); 4] = [
        (
            FieldType::Int,
            "< 50 => 1\n 0..99 => 2\n >= 0 => 3",
            [i64::MIN, -1, 0, 49, 50, 99, 100, i64::MAX].map(Value::Int).to_vec(),
        ),
        (
            FieldType::Number,
            "<= 0.5 => 4\n > 0 => 5",
            [f64::NEG_INFINITY, -0.0, 0.0, 0.5, 0.5f64.next_up(), f64::INFINITY, f64::NAN]
                .map(Value::Number)
                .to_vec(),
        ),
        (
            FieldType::Enum(["a", "b", "c"].map(String::from).to_vec()),
            "in [\"a\", \"b\"] => 6\n not in [\"a\"] => 7",
            [0, 1, 2, 3, 64].map(Value::Enum).to_vec(),
        ),
        (
            FieldType::String,
            "\"EU\" => 8\n in [\"EU\", \"US\"] => 9\n != \"x\" => 1",
            ["EU", "US", "x", "", "eu"].map(|s| Value::Text(s.into())).to_vec(),
        ),
    ];
    for (ty, arms, mut values) in cases {
        values.extend([Value::Missing, Value::Bool(true), Value::Int(1), Value::Text("EU".into())]);
        let schema = Schema::builder().field("f", ty).build().unwrap();
        let source = format!(
            "require f is present : 100\nsegment f {{\n {arms}\n}}\ncategory c\nfit f is missing : 1\n"
        );
        let card =
            check_source(&mut Sources::new(), "t.lead", &source, SchemaSource::Given(schema.into())).unwrap();
        let program = Program::compile(&card);
        assert_plan_is_valid(&program);
        assert!(program.plan.segment_word.is_some(), "{arms}: {:?}", program.plan);
        agrees_on_field_0(&program, &card, &values);
    }
}

/// Arms whose decider's word has bits read at the digit's place stay
/// arms.
#[test]
fn a_segment_stays_unfolded_when_its_word_is_full() {
    use crate::lead::Value;
    let schema = Schema::builder().field("s", FieldType::String).field("b", FieldType::Bool).build().unwrap();
    let mut source = String::from("segment s {\n \"a\" => 1\n \"b\" => 2\n}\ncategory c\n");
    for i in 0..60 {
        source.push_str(&format!("fit s = \"k{i}\" or b : 1\n"));
    }
    let card =
        check_source(&mut Sources::new(), "t.lead", &source, SchemaSource::Given(schema.into())).unwrap();
    let program = Program::compile(&card);
    assert_plan_is_valid(&program);
    let plan = &program.plan;
    let word = plan.arms[0].bit / 64;
    assert!(
        plan.pairs.iter().any(|p| p.a / 64 == word && p.a % 64 >= DIGIT_SHIFT),
        "a bit at the digit's place"
    );
    assert_eq!(plan.segment_word, None);
    let values = ["a", "b", "k0", "k59", "z"].map(|s| Value::Text(s.into()));
    agrees_on_field_0(&program, &card, &values);
}

/// Golden dumps of the example programs' plans, beside their disassembly
/// (tests/engine/disasm.rs): which tests each decider took, the gifts of its
/// classes, what runs one by one, and the code left.
#[test]
fn golden_plans() {
    for (name, path) in [("saas", "examples/saas/saas.lead"), ("bench", "benches/data/bench.lead")] {
        let program = compiled(path);
        insta::assert_snapshot!(name, dump::dump(&program.plan, &program.bytecode));
    }
}
