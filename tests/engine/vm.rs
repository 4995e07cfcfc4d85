//! The VM against a hand-written Rust scorer of examples/saas: both must
//! agree on every generated lead, and on the worked example of
//! docs/language.md.

use crate::common;

use common::plain::{self, PlainOutcome, Slots};
use common::saas::{Rng, Saas, random_lead};
use leadc::lead::Value;
use leadc::outcome::Outcome;
use leadc::program::Program;

fn saas_program() -> Program {
    common::saas()
}

#[test]
fn vm_agrees_with_the_hand_written_scorer_on_generated_leads() {
    let program = saas_program();
    let hand = Saas::new(program.schema(), false);
    let mut rng = Rng::new(0x5eed);
    let mut lead = program.new_lead();
    let mut scorer = program.scorer();
    let mut expected = Outcome::default();
    let mut tiers = [0usize; 3];
    for i in 0..20_000 {
        random_lead(&mut rng, program.schema(), &mut lead);
        let vm = scorer.score(&lead);
        hand.score(&lead, &mut expected);
        assert_eq!(vm, &expected, "lead {i}: {lead:?}");
        tiers[vm.tier.unwrap()] += 1;
    }
    // The generator reaches every tier, so the comparison covers them all.
    assert!(tiers.iter().all(|t| *t > 100), "{tiers:?}");
}

#[test]
fn the_worked_example_of_the_language_reference_on_the_full_saas_program() {
    // docs/language.md's worked lead, on the full saas program: good_fit
    // also gets `employees in 100..4999` (5) and nothing else differs
    // except the rules the lead does not trigger.
    let program = saas_program();
    let s = program.schema();
    let mut lead = program.new_lead();
    for (field, text) in [
        ("region", "NA-West"),
        ("age", "40"),
        ("department", "IT"),
        ("employees", "200"),
        ("industry", "Software"),
        ("is_b2b", "true"),
    ] {
        lead.set_text(s, s.field_id(field).unwrap(), text).unwrap();
    }
    lead.set_count(s.behaviour_id("demo_request").unwrap(), 1);
    lead.set_count(s.behaviour_id("email_open").unwrap(), 7);
    lead.set_count(s.behaviour_id("unsubscribe").unwrap(), 1);
    let outcome = program.evaluate(&lead);
    // good_fit 10 + 8 + 5 = 23, critical 20, interest 5, penalties -20.
    assert_eq!(outcome.points, 28);
    assert_eq!(outcome.score, 2328);
    assert!(outcome.qualified);
    assert_eq!(program.tier_name(outcome.tier.unwrap()), Some("cold"));
    let hand = Saas::new(s, false);
    let mut expected = Outcome::default();
    hand.score(&lead, &mut expected);
    assert_eq!(outcome, expected);
}

#[test]
fn explain_reports_fired_rules_and_caps() {
    let program = saas_program();
    let s = program.schema();
    let mut lead = program.new_lead();
    lead.set(s.field_id("title").unwrap(), Value::Text("VP".into()));
    lead.set_count(s.behaviour_id("email_open").unwrap(), 9);
    lead.set_count(s.behaviour_id("careers_page_view").unwrap(), 4);
    let (outcome, why) = program.explain(&lead);
    assert_eq!(outcome, program.evaluate(&lead));
    assert_eq!(why.requires, vec![false, false, false]);
    assert_eq!(why.segment_arm, None);
    let fired: Vec<&str> = why
        .rules
        .iter()
        .zip(program.rules())
        .filter(|(t, _)| t.fired)
        .map(|(_, r)| r.source.text.as_str())
        .collect();
    assert_eq!(
        fired,
        [
            "fit title = \"VP\" : 12",
            "behaviour email_open : 1 each max 5",
            "behaviour careers_page_view : -5 each max -15"
        ]
    );
    let open =
        why.rules.iter().zip(program.rules()).find(|(_, r)| r.source.text.contains("email_open")).unwrap().0;
    assert_eq!((open.uncapped, open.points), (9, 5));
    let careers =
        why.rules.iter().zip(program.rules()).find(|(_, r)| r.source.text.contains("careers")).unwrap().0;
    assert_eq!((careers.uncapped, careers.points), (-20, -15));
}

#[test]
fn programs_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Program>();
}

#[test]
fn a_saved_and_loaded_program_scores_identically() {
    let program = saas_program();
    let bytes = program.to_bytes();
    let loaded = Program::from_bytes(&bytes).unwrap();
    assert_eq!(loaded, program);
    assert_eq!(loaded.to_bytes(), bytes);
    let mut rng = Rng::new(7);
    let mut lead = program.new_lead();
    for _ in 0..1000 {
        random_lead(&mut rng, program.schema(), &mut lead);
        assert_eq!(loaded.evaluate(&lead), program.evaluate(&lead));
    }
}

#[test]
fn vm_agrees_with_the_hand_written_scorer_on_the_benchmark_program() {
    let (program, extended) = common::bench_program();
    assert!(program.rules().len() >= 30);
    let hand = Saas::new(program.schema(), extended);
    let mut rng = Rng::new(0xbe7c);
    let mut lead = program.new_lead();
    let mut scorer = program.scorer();
    let mut expected = Outcome::default();
    for i in 0..20_000 {
        random_lead(&mut rng, program.schema(), &mut lead);
        let vm = scorer.score(&lead);
        hand.score(&lead, &mut expected);
        assert_eq!(vm, &expected, "lead {i}: {lead:?}");
    }
}

/// The benchmark's fair baseline (a plain struct and a plain function, no
/// leadc types) scores what the VM scores, and the row API's fill from a
/// plain lead gives back the generated lead.
#[test]
fn vm_agrees_with_the_plain_struct_scorer_on_the_benchmark_program() {
    let (program, _) = common::bench_program();
    let schema = program.schema();
    let slots = Slots::new(schema);
    let mut rng = Rng::new(0x91a1);
    let mut lead = program.new_lead();
    let mut filled = program.new_lead();
    let mut scorer = program.scorer();
    let mut tiers = [0; 3];
    for i in 0..20_000 {
        random_lead(&mut rng, schema, &mut lead);
        let l = slots.plain(&lead);
        slots.fill(&l, &mut filled);
        assert_eq!(filled.values(), lead.values(), "lead {i}: fill");
        assert_eq!(filled.counts(), lead.counts(), "lead {i}: fill");
        let vm = scorer.score(&lead);
        let p = plain::score(&l);
        assert_eq!(PlainOutcome::of(vm), p, "lead {i}: {l:?}");
        tiers[p.tier as usize] += 1;
    }
    // The leads reach every tier, so the comparison covers each branch.
    assert!(tiers.iter().all(|&n| n > 100), "tiers reached: {tiers:?}");
}
