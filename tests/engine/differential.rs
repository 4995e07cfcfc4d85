//! Differential tests: the reference evaluator against the bytecode VM.
//!
//! In: generated cases (`tests/gen`): a random schema, the source text of a
//! random program for it, and leads. Out: a failure with the shrunk case when
//! the reference evaluator, the VM, and the VM after a `to_bytes` /
//! `from_bytes` round trip disagree on any part of the outcome (score,
//! points, qualified, requires met, segment, tier, category totals) or of the
//! explanation (must-haves met, segment arm, every rule's trace). Also:
//! a `Scorer`'s `score` / `explain` with buffers reused from lead to lead
//! agree too, and compiling the same scorecard twice gives the same bytes.
//!
//! `cargo test --test engine differential::` runs 1,000 programs × 1 to 12 leads;
//! `LEADC_DIFF_CASES=N` runs N programs (use `--release` for large N).

use crate::generate;

use leadc::diag::Sources;
use leadc::load::{SchemaSource, check_source};

use leadc::program::Program;
use leadc::reference;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::sync::atomic::{AtomicU64, Ordering};

const DEFAULT_CASES: u32 = 1000;
const LEADS_PER_PROGRAM: usize = 12;

/// Checks a generated program; a program that does not check is a
/// generator bug.
fn checked(case: &generate::Case) -> leadc::check::Scorecard {
    let mut sources = Sources::new();
    let schema = case.schema.build();
    match check_source(&mut sources, "generated.lead", &case.source, SchemaSource::Given(schema)) {
        Ok(card) => card,
        Err(diags) => {
            let rendered: Vec<String> = diags.iter().map(|d| d.render(&sources, false)).collect();
            panic!("generator bug: the program does not check:\n{}\n{}", case.source, rendered.join("\n"))
        }
    }
}

/// Programs run so far, for the progress line of long runs.
static RUN: AtomicU64 = AtomicU64::new(0);
/// Leads scored so far.
static LEADS: AtomicU64 = AtomicU64::new(0);

/// Runs one case through the three evaluators and compares them.
fn run_case(case: &generate::Case) -> Result<(), TestCaseError> {
    let run = RUN.fetch_add(1, Ordering::Relaxed) + 1;
    if run.is_multiple_of(10_000) {
        eprintln!("differential: {run} programs");
    }
    let card = checked(case);
    let program = Program::compile(&card);
    let bytes = program.to_bytes();
    let loaded =
        Program::from_bytes(&bytes).map_err(|e| TestCaseError::fail(format!("from_bytes: {e:?}")))?;
    // Determinism: compiling again gives the same bytes.
    prop_assert_eq!(&Program::compile(&card).to_bytes(), &bytes, "compiling twice gives other bytes");
    // Buffers reused from lead to lead, as the CLI does: no state may leak.
    let mut reused = loaded.scorer();
    let mut reused_plain = program.scorer();
    for generated in &case.leads {
        LEADS.fetch_add(1, Ordering::Relaxed);
        let lead = generated.build(&card.schema);
        let expected = reference::evaluate(&card, &lead);
        let vm = program.explain(&lead);
        prop_assert_eq!(&vm, &expected, "VM vs reference, lead {:?}", generated);
        let vm_loaded = loaded.explain(&lead);
        prop_assert_eq!(&vm_loaded, &expected, "loaded VM vs reference, lead {:?}", generated);
        let (outcome, explanation) = reused.explain(&lead);
        prop_assert_eq!(
            (outcome, explanation),
            (&expected.0, &expected.1),
            "a reused scorer's explain, lead {:?}",
            generated
        );
        prop_assert_eq!(
            reused_plain.score(&lead),
            &expected.0,
            "a reused scorer's score vs reference, lead {:?}",
            generated
        );
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("LEADC_DIFF_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES)
}

#[test]
fn reference_and_vm_agree_on_generated_programs() {
    let config =
        Config { cases: cases(), max_shrink_iters: 10_000, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&generate::case(LEADS_PER_PROGRAM), |case| run_case(&case));
    eprintln!(
        "differential: {} programs, {} leads (shrinking included)",
        RUN.load(Ordering::Relaxed),
        LEADS.load(Ordering::Relaxed)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Programs with more categories than the evaluator keeps in registers
/// (eight) take its general path: checked, saturating totals and test bits
/// in the outcome's memory. A fifth as many cases as above.
#[test]
fn reference_and_vm_agree_on_programs_with_many_categories() {
    let config = Config {
        cases: cases() / 5,
        max_shrink_iters: 10_000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&generate::case_with(LEADS_PER_PROGRAM, 9..13), |case| run_case(&case));
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn every_generated_program_checks() {
    // The generator is only useful if what it writes is a valid program; a
    // separate property so that a generator bug is not reported as a VM bug.
    let config = Config { cases: 200, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&generate::case(0), |case| {
        let card = checked(&case);
        prop_assert_eq!(card.categories.len(), case.source.matches("\ncategory ").count());
        let from_toml = leadc::schema::Schema::from_toml(&case.schema.to_toml()).unwrap();
        prop_assert_eq!(&from_toml, &*case.schema.build());
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// How often the generated cases reach each interesting situation.
#[derive(Debug, Default)]
struct Coverage {
    leads: u32,
    fired: u32,
    not_fired: u32,
    rule_capped: u32,
    category_capped: u32,
    negative_category: u32,
    clamped_low: u32,
    clamped_high: u32,
    qualified_with_requires: u32,
    unqualified: u32,
    segment_none: u32,
    segment_some: u32,
    tier_none: u32,
    tier_some: u32,
    tier_not_first: u32,
}

impl Coverage {
    fn add(
        &mut self,
        card: &leadc::check::Scorecard,
        outcome: &leadc::outcome::Outcome,
        why: &leadc::outcome::Explanation,
    ) {
        self.leads += 1;
        for rule in &why.rules {
            if rule.fired {
                self.fired += 1
            } else {
                self.not_fired += 1
            }
            if rule.points != rule.uncapped {
                self.rule_capped += 1
            }
        }
        self.category_capped += outcome.categories.iter().filter(|c| c.was_capped()).count() as u32;
        self.negative_category += outcome.categories.iter().filter(|c| c.capped < 0).count() as u32;
        let sum: i64 = outcome.categories.iter().map(|c| c.capped).sum();
        if sum < 0 {
            self.clamped_low += 1
        }
        if sum > card.points_ceiling() {
            self.clamped_high += 1
        }
        if outcome.qualified && !card.requires.is_empty() {
            self.qualified_with_requires += 1
        }
        if !outcome.qualified {
            self.unqualified += 1
        }
        if card.segment.is_some() {
            if outcome.segment == 0 { self.segment_none += 1 } else { self.segment_some += 1 }
        }
        match outcome.tier {
            None => self.tier_none += 1,
            Some(0) => self.tier_some += 1,
            Some(_) => {
                self.tier_some += 1;
                self.tier_not_first += 1
            }
        }
    }
}

#[test]
fn generated_cases_reach_every_interesting_outcome() {
    let config = Config { cases: 300, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let coverage = std::cell::RefCell::new(Coverage::default());
    let result = runner.run(&generate::case(LEADS_PER_PROGRAM), |case| {
        let card = checked(&case);
        for generated in &case.leads {
            let lead = generated.build(&card.schema);
            let (outcome, why) = reference::evaluate(&card, &lead);
            coverage.borrow_mut().add(&card, &outcome, &why);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let c = coverage.into_inner();
    eprintln!("{c:?}");
    // Each situation must come up in at least 1% of the leads (or rules).
    let floor = c.leads / 100;
    for (name, n) in [
        ("fired", c.fired),
        ("not fired", c.not_fired),
        ("rule capped", c.rule_capped),
        ("category capped", c.category_capped),
        ("negative category", c.negative_category),
        ("clamped at 0", c.clamped_low),
        ("clamped at the ceiling", c.clamped_high),
        ("qualified with must-haves", c.qualified_with_requires),
        ("not qualified", c.unqualified),
        ("no segment arm", c.segment_none),
        ("a segment arm", c.segment_some),
        ("no tier", c.tier_none),
        ("a tier", c.tier_some),
        ("a tier after the first", c.tier_not_first),
    ] {
        assert!(n > floor, "the generator rarely reaches `{name}`: {n} of {} leads", c.leads);
    }
}

/// Writes seed inputs for the fuzz targets (`fuzz/seeds/`): generated
/// schemas as TOML, generated programs, and compiled program bytes.
/// Run: `cargo test --test engine differential::write_fuzz_seeds -- --ignored`.
#[test]
#[ignore = "writes files; run by hand to refresh fuzz seeds"]
fn write_fuzz_seeds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for dir in ["schema_toml", "source", "program_bytes"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    let config = Config { cases: 40, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let n = std::cell::Cell::new(0);
    let result = runner.run(&generate::case(0), |case| {
        let i = n.get();
        n.set(i + 1);
        let card = checked(&case);
        let bytes = Program::compile(&card).to_bytes();
        std::fs::write(root.join(format!("schema_toml/gen{i}.toml")), case.schema.to_toml()).unwrap();
        std::fs::write(root.join(format!("source/gen{i}.lead")), &case.source).unwrap();
        std::fs::write(root.join(format!("program_bytes/gen{i}.leadc")), bytes).unwrap();
        Ok(())
    });
    result.unwrap();
}
