#![allow(clippy::unwrap_used)]
use super::*;
use crate::diag::Sources;
use crate::frontend::{SchemaSource, check_source, load_program};
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

/// Every bit the plan reads or writes, with whether it is written.
fn bits(plan: &Plan) -> (Vec<u32>, Vec<u32>) {
    let mut written: Vec<u32> = plan.ints.bits.iter().map(|t| t.bit).collect();
    written.extend(plan.tags.bits.iter().map(|t| t.bit));
    written.extend(plan.affixes.bits.iter().map(|t| t.bit));
    written.extend(plan.numbers.bits.iter().map(|t| t.bit));
    written.extend(plan.enums.bits.iter().map(|t| t.bit));
    written.extend(plan.bools.bits.iter().map(|t| t.bit));
    written.extend(plan.others.bits.iter().map(|t| t.bit));
    for (n, c) in plan.classifiers.iter().enumerate() {
        assert_eq!(
            c.word as usize,
            plan.words - plan.classifiers.len() + n,
            "classifiers own the last words"
        );
        written.extend((0..64).map(|k| c.word * 64 + k));
    }
    let mut read: Vec<u32> = plan.pairs.iter().flat_map(|f| [f.a, f.b]).collect();
    read.extend(plan.text_fits.iter().map(|f| f.bit));
    read.extend(plan.requires.iter().map(|r| r.bit));
    read.extend(plan.arms.iter().map(|a| a.bit));
    (written, read)
}

/// The plan's code holds none of the instructions the evaluator skips,
/// still verifies, and every jump and arm end lands on the first kept
/// instruction at or after where it landed; every bit read is written,
/// by one test only, within the plan's words.
fn assert_plan_is_valid(program: &Program) {
    let plan = &program.plan;
    // The evaluator skips these: the plan must have taken every one.
    let always_taken =
        |op: &Op| matches!(op, Op::FitWhen { .. } | Op::Behaviours { .. } | Op::RequireWhen { .. });
    assert!(!plan.code.iter().any(always_taken), "{:?}", plan.code);
    let mut rest = program.clone();
    rest.code = plan.code.clone();
    rest.steps.clear();
    crate::verify::verify(&rest).unwrap();
    let kept = kept(&program.code, &plan.code);
    for (op, &i) in plan.code.iter().zip(&kept) {
        if let (Some(new), Some(was)) = (op.target(), program.code[i].target()) {
            let landing = kept.iter().position(|&k| k >= was as usize).unwrap_or(plan.code.len());
            assert_eq!(new as usize, landing, "instruction {i}: jump target moved");
        }
    }
    let (mut written, read) = bits(plan);
    assert!(written.iter().all(|&b| (b as usize) < plan.words * 64), "a bit beyond the words");
    written.sort_unstable();
    let before = written.len();
    written.dedup();
    assert_eq!(before, written.len(), "two tests write one bit");
    assert!(read.iter().all(|b| written.binary_search(b).is_ok()), "a bit read that no test writes");
}

/// The plan of the benchmark program: every rule, must-have and arm in
/// a table, the string tests in one classifier per field, the rest of the
/// code still valid, nothing lost or counted twice.
#[test]
fn the_plan_takes_out_rules_must_haves_and_arms_and_keeps_the_rest_valid() {
    let program = compiled("benches/data/bench.lead");
    let plan = &program.plan;
    let direct = plan.ints.fits.len()
        + plan.numbers.fits.len()
        + plan.enums.fits.len()
        + plan.bools.fits.len()
        + plan.tags.fits.len()
        + plan.affixes.fits.len()
        + plan.others.fits.len();
    let pairs = plan.pairs.len();
    // 33 rules: 16 fused fit rules (7 on strings, decided by classifiers),
    // 2 compound ones, 15 behaviour rules.
    assert_eq!((direct, plan.text_fits.len(), pairs), (9, 7, 2));
    // `website is missing`, `starts_with "Head of"`, `ends_with ".edu"`.
    assert_eq!((plan.tags.fits.len(), plan.affixes.fits.len(), plan.others.fits.len()), (1, 2, 0));
    assert_eq!(plan.once.len() + plan.gains.len() + plan.losses.len(), program.steps.len());
    assert_eq!((plan.gains.len(), plan.losses.len()), (6, 1));
    assert_eq!((plan.requires.len(), plan.arms.len()), (3, 3));
    let fields: Vec<&str> = plan
        .classifiers
        .iter()
        .map(|c| program.schema().field(crate::schema::FieldId(c.field)).unwrap().name.as_str())
        .collect();
    assert_eq!(fields, ["industry", "country", "title", "email_domain"]);
    assert!(plan.code.iter().all(|op| op.stage() != Some(crate::compile::opcode::Stage::Rules)));
    assert!(matches!(plan.code.first(), Some(Op::Points { .. })));
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
    // 600 tests that write bits (pairs): more than 8 words.
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
        .filter_map(|op| match op {
            Op::Fit { rule, .. } => Some(*rule),
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
    assert_eq!(plan.classifiers[0].none, 0b001, "only the must-have is negated");
    assert!(plan.others.bits.is_empty());
    assert!(matches!(plan.others.fits[..], [OtherTest { test: Test::TextIn { .. }, .. }]));
    assert_eq!(plan.others.fits[0].effect.points, 1, "the long set gives its points itself");
    let text_bits: Vec<u32> = [plan.requires[0].bit, plan.text_fits[0].bit, plan.pairs[0].a].into();
    let word = plan.classifiers[0].word * 64;
    assert_eq!(text_bits, [word, word + 1, word + 2]);
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

/// More than 64 string tests on one field take two classifiers, and every
/// test still scores as the reference evaluator scores it — including a
/// negated one and a value no test names.
#[test]
fn many_string_tests_on_one_field_share_classifiers_of_64() {
    let schema = Schema::builder().field("title", FieldType::String).build().unwrap();
    let mut source = String::from("category c\n");
    for i in 0..70 {
        source.push_str(&format!("fit title = \"t{i}\" : {}\n", i + 1));
    }
    source.push_str("fit title not in [\"t3\", \"t66\"] : 1000\n");
    let card =
        check_source(&mut Sources::new(), "t.lead", &source, SchemaSource::Given(schema.into())).unwrap();
    let program = Program::compile(&card);
    assert_plan_is_valid(&program);
    assert_eq!(program.plan.classifiers.len(), 2);
    let title = program.schema().field_id("title").unwrap();
    for value in ["t0", "t3", "t63", "t64", "t66", "t69", "t70", "", "T3"] {
        let mut lead = program.new_lead();
        lead.set(title, crate::lead::Value::Text(value.into()));
        let expected = crate::reference::evaluate(&card, &lead).0;
        assert_eq!(program.evaluate(&lead), expected, "title {value:?}");
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
