//! `leadc::fit` on histories with planted weights: the fitted points rank
//! the rules as the planted model does and score held-out leads within
//! 0.01 AUC of the true model; on the saas example the fit improves the
//! cross-validated AUC and the fitted program checks.

use leadc::check::Scorecard;
use leadc::diag::Sources;
use leadc::fit::{FitOptions, fit};
use leadc::lead::{Lead, Value};
use leadc::load::{SchemaSource, check_source, load_program};
use leadc::program::Program;
use leadc::review::{Row, auc_of};
use leadc::schema::{FieldId, FieldType, Schema};
use std::path::Path;
use std::sync::Arc;

/// A deterministic generator (LCG, top bits).
struct Draw(u64);
impl Draw {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The planted log-odds of `f0`..`f5` and the intercept.
const PLANTED: [f64; 6] = [2.0, 1.2, 0.7, 0.35, 0.0, -0.8];
const INTERCEPT: f64 = -1.6;

/// Every rule worth the same: the fit must find the differences.
const PROGRAM: &str = "category signal max 100
fit f0 : 10
fit f1 : 10
fit f2 : 10
fit f3 : 10
fit f4 : 10
category penalties
fit f5 : -10
";

fn schema() -> Arc<Schema> {
    let mut b = Schema::builder();
    for i in 0..6 {
        b = b.field(format!("f{i}"), FieldType::Bool);
    }
    Arc::new(b.build().unwrap())
}

fn check(source: &str) -> Scorecard {
    check_source(&mut Sources::new(), "planted.lead", source, SchemaSource::Given(schema())).unwrap()
}

/// `n` leads drawn from the planted model, scored by `program`, with
/// their true log-odds.
fn history(program: &Program, n: usize, seed: u64) -> (Vec<Row>, Vec<f64>) {
    let schema = schema();
    let mut draw = Draw(seed);
    let (mut rows, mut truth) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let mut lead = Lead::new(&schema);
        let mut eta = INTERCEPT;
        for (f, w) in PLANTED.iter().enumerate() {
            let on = draw.uniform() < 0.35;
            lead.set(FieldId(f as u32), Value::Bool(on));
            eta += if on { *w } else { 0.0 };
        }
        let converted = draw.uniform() < 1.0 / (1.0 + (-eta).exp());
        let (outcome, why) = program.explain(&lead);
        rows.push(Row::scored(i as u64 + 2, i.to_string(), "", converted, &lead, &outcome, &why));
        truth.push(eta);
    }
    (rows, truth)
}

fn auc(scores: impl Iterator<Item = f64>, rows: &[Row]) -> f64 {
    let mut scored: Vec<(f64, bool)> = scores.zip(rows.iter().map(|r| r.converted)).collect();
    auc_of(&mut scored).unwrap()
}

#[test]
fn planted_weights_are_ranked_and_the_held_out_auc_is_the_true_models() {
    let card = check(PROGRAM);
    let program = Program::compile(&card);
    let (train, _) = history(&program, 8_000, 3);
    let fitted = fit(&card, PROGRAM, &train, &FitOptions::default()).unwrap();
    let points: Vec<i64> = fitted.rules.iter().map(|r| r.new).collect();
    // The planted order: f0 > f1 > f2 > f3 > f4 ≈ 0, and f5 a penalty.
    assert!(points[0] > points[1] && points[1] > points[2] && points[2] > points[3], "{points:?}");
    assert!(points[3] > points[4] && points[4] <= 1, "{points:?}");
    assert!(points[5] < 0, "{points:?}");
    // Points in proportion to the log-odds: f0 / f1 near 2.0 / 1.2.
    let ratio = points[0] as f64 / points[1] as f64;
    assert!((ratio - 2.0 / 1.2).abs() < 0.25, "{points:?}");
    assert!(fitted.auc_after > fitted.auc_before, "{} vs {}", fitted.auc_after, fitted.auc_before);
    // On leads the fit never saw, the fitted program ranks as the truth does.
    let new_card = check(&fitted.source);
    let new_program = Program::compile(&new_card);
    let (holdout, truth) = history(&new_program, 20_000, 99);
    let fitted_auc = auc(holdout.iter().map(|r| r.rank() as f64), &holdout);
    let true_auc = auc(truth.iter().copied(), &holdout);
    assert!(true_auc - fitted_auc < 0.01, "fitted {fitted_auc:.4} vs true {true_auc:.4}");
    // The written program (every rule alike) is measurably worse.
    let (old_holdout, _) = history(&program, 20_000, 99);
    let written_auc = auc(old_holdout.iter().map(|r| r.rank() as f64), &old_holdout);
    assert!(fitted_auc > written_auc + 0.02, "fitted {fitted_auc:.4} vs written {written_auc:.4}");
    eprintln!(
        "planted: points {points:?}; held-out AUC written {written_auc:.4}, fitted {fitted_auc:.4}, true {true_auc:.4}; \
         cross-validated {:.4} -> {:.4}",
        fitted.auc_before, fitted.auc_after
    );
}

#[test]
fn signs_hold_unless_flips_are_allowed() {
    // f5 lowers conversion; written as a gain it can only fall to 0.
    let source = PROGRAM.replace("fit f5 : -10", "fit f5 : 10");
    let card = check(&source);
    let (train, _) = history(&Program::compile(&card), 4_000, 5);
    let kept = fit(&card, &source, &train, &FitOptions::default()).unwrap();
    assert_eq!(kept.rules[5].new, 0);
    assert!(kept.rules[5].note.as_deref().unwrap_or("").contains("consider removing it"));
    let flipped =
        fit(&card, &source, &train, &FitOptions { allow_flip: true, ..FitOptions::default() }).unwrap();
    assert!(flipped.rules[5].new < 0, "{:?}", flipped.rules[5]);
}

#[test]
fn too_few_converters_is_an_error_that_says_so() {
    let card = check(PROGRAM);
    let (mut train, _) = history(&Program::compile(&card), 200, 8);
    train.iter_mut().skip(3).for_each(|r| r.converted = false);
    let e = fit(&card, PROGRAM, &train, &FitOptions::default()).unwrap_err();
    assert!(e.to_string().contains("5-fold cross-validation needs at least 5 of each"), "{e}");
    // A category name the program could not hold is refused before any fitting.
    for (into, says) in [("my rules", "is not a valid category name"), ("points", "names an outcome value")] {
        let options = FitOptions { grow: 1, into: Some(into.into()), ..FitOptions::default() };
        let e = fit(&card, PROGRAM, &train, &options).unwrap_err();
        assert!(e.to_string().starts_with("`--into`: ") && e.to_string().contains(says), "{e}");
    }
}

#[test]
fn the_saas_example_fits_better_and_the_result_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("examples/saas/saas.lead");
    let card = load_program(&path, &mut Sources::new()).unwrap();
    let source = std::fs::read_to_string(&path).unwrap();
    let program = Program::compile_with_source(&card, &source);
    let text = std::fs::read_to_string(root.join("examples/saas/history.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_string).collect();
    let mut reader = leadc::review::Reader::csv(&program, &header, "converted", Some("id")).unwrap();
    let mut history = leadc::review::History::default();
    for (i, line) in lines.enumerate() {
        history.push(reader.record(i as u64 + 2, &line.split(',').collect::<Vec<_>>()));
    }
    let fitted = fit(&card, &source, &history.rows, &FitOptions::default()).unwrap();
    assert!(fitted.auc_after > fitted.auc_before, "{} vs {}", fitted.auc_after, fitted.auc_before);
    let schema = SchemaSource::Given(card.schema.clone());
    let checked = check_source(&mut Sources::new(), "fitted.lead", &fitted.source, schema).unwrap();
    assert_eq!(checked.categories.len(), card.categories.len());
    // Only numbers change: the same lines, comments included.
    assert_eq!(fitted.source.lines().count(), source.lines().count());
    let comments = |s: &str| s.lines().filter(|l| l.trim_start().starts_with('#')).count();
    assert_eq!(comments(&fitted.source), comments(&source));
    assert_eq!(leadc::format::format(&fitted.source).unwrap(), fitted.source, "still formatted");
    // docs/review.md shows this very report, and the rules `--grow 3` adds.
    crate::history::assert_doc_lines_in("text fit", &leadc::fit::render_text(&fitted));
    let grown = fit(&card, &source, &history.rows, &FitOptions { grow: 3, ..FitOptions::default() }).unwrap();
    crate::history::assert_doc_lines_in("text grow", &leadc::fit::render_text(&grown));
    assert!(grown.auc_after > fitted.auc_after, "{} vs {}", grown.auc_after, fitted.auc_after);
    check_source(&mut Sources::new(), "grown.lead", &grown.source, SchemaSource::Given(card.schema.clone()))
        .unwrap();
}

/// A history with signals in several kinds of field: `f0`..`f2` (bool),
/// `size >= 500` (int), `region = "EU"` (enum), and a penalty `f5`.
mod grown {
    use super::*;

    pub const SIGNALS: [(&str, f64); 6] =
        [("f0", 1.6), ("f1", 1.1), ("f2", 0.7), ("size", 1.0), ("region", 0.8), ("f5", -0.9)];

    pub fn schema() -> Arc<Schema> {
        let mut b = Schema::builder();
        for i in 0..6 {
            b = b.field(format!("f{i}"), FieldType::Bool);
        }
        b = b.field("size", FieldType::Int);
        b = b.field("region", FieldType::Enum(vec!["EU".into(), "US".into(), "APAC".into()]));
        Arc::new(b.build().unwrap())
    }

    pub fn check(source: &str) -> Scorecard {
        check_source(&mut Sources::new(), "grown.lead", source, SchemaSource::Given(schema())).unwrap()
    }

    /// Leads from the planted model, scored by `program`, and their truth.
    pub fn history(program: &Program, n: usize, seed: u64) -> (Vec<Row>, Vec<f64>) {
        let schema = schema();
        let mut draw = Draw(seed);
        let (mut rows, mut truth) = (Vec::new(), Vec::new());
        for i in 0..n {
            let mut lead = Lead::new(&schema);
            let mut eta = -1.8;
            for f in 0..6 {
                let on = draw.uniform() < 0.35;
                lead.set(FieldId(f), Value::Bool(on));
                let w = SIGNALS.iter().find(|(name, _)| *name == format!("f{f}")).map_or(0.0, |s| s.1);
                eta += if on { w } else { 0.0 };
            }
            let size = (draw.uniform() * 1000.0) as i64;
            lead.set(FieldId(6), Value::Int(size));
            eta += if size >= 500 { SIGNALS[3].1 } else { 0.0 };
            let region = (draw.uniform() * 3.0) as u32;
            lead.set(FieldId(7), Value::Enum(region));
            eta += if region == 0 { SIGNALS[4].1 } else { 0.0 };
            let converted = draw.uniform() < 1.0 / (1.0 + (-eta).exp());
            let (outcome, why) = program.explain(&lead);
            rows.push(Row::scored(i as u64 + 2, i.to_string(), "", converted, &lead, &outcome, &why));
            truth.push(eta);
        }
        (rows, truth)
    }
}

#[test]
fn grow_finds_the_signals_the_program_misses_and_closes_the_gap() {
    // The analyst's first program has half the signals.
    let source = "category fit max 50\nfit f0 : 10\nfit f1 : 10\nfit f2 : 10\n";
    let card = grown::check(source);
    let program = Program::compile(&card);
    let (train, _) = grown::history(&program, 8_000, 21);
    let options = FitOptions { grow: 4, ..FitOptions::default() };
    let fitted = fit(&card, source, &train, &options).unwrap();
    let heads: Vec<&str> = fitted.added.iter().map(|a| a.head.as_str()).collect();
    for planted in ["fit size >= 5", "fit region = \"EU\"", "fit f5"] {
        assert!(heads.iter().any(|h| h.starts_with(planted)), "{planted} not in {heads:?}");
    }
    assert!(fitted.added.iter().find(|a| a.head == "fit f5").unwrap().points < 0, "{:?}", fitted.added);
    assert!(
        !heads.iter().any(|h| h.starts_with("fit f3") || h.starts_with("fit f4")),
        "noise added: {heads:?}"
    );
    // On unseen leads: most of the gap between the first program and the truth closes.
    let grown_card = grown::check(&fitted.source);
    let (holdout, truth) = grown::history(&Program::compile(&grown_card), 20_000, 77);
    let (first, _) = grown::history(&program, 20_000, 77);
    let grown_auc = auc(holdout.iter().map(|r| r.rank() as f64), &holdout);
    let first_auc = auc(first.iter().map(|r| r.rank() as f64), &first);
    let true_auc = auc(truth.iter().copied(), &holdout);
    let closed = (grown_auc - first_auc) / (true_auc - first_auc);
    eprintln!(
        "grow: added {heads:?}; held-out AUC first {first_auc:.4}, grown {grown_auc:.4}, true {true_auc:.4} ({:.0}% of the gap closed)",
        100.0 * closed
    );
    assert!(closed > 0.8, "first {first_auc:.4}, grown {grown_auc:.4}, true {true_auc:.4}");
}

#[test]
fn grown_rules_go_into_the_category_named() {
    let source = "category fit max 50\nfit f0 : 10\nfit f1 : 10\nfit f2 : 10\n\ntier hot when points >= 20\ntier cold\n";
    let card = grown::check(source);
    let (train, _) = grown::history(&Program::compile(&card), 3_000, 4);
    let options = FitOptions { grow: 1, into: Some("fit".into()), ..FitOptions::default() };
    let fitted = fit(&card, source, &train, &options).unwrap();
    let added = &fitted.added[0];
    assert_eq!(added.category, "fit");
    let line = format!("{} : {}", added.head, added.points);
    let lines: Vec<&str> = fitted.source.lines().collect();
    // After the category's last rule, before the tiers; no new category.
    let at = lines.iter().position(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") == line);
    assert_eq!(at, Some(4), "{}", fitted.source);
    assert!(!fitted.source.contains("category grown"), "{}", fitted.source);
    grown::check(&fitted.source);
}
