//! The budget analysis on small programs, number by number: exclusive
//! rules, caps, unbounded rules, mixed categories, and the tier analysis
//! behind `dominant-rule`, `unreachable-tier` and `shadowed-tier`.

use leadc::diag::Sources;
use leadc::lint::budget::{Dimension, Reach};
use leadc::lint::{self, BudgetReport, LintOptions};
use leadc::load::{SchemaSource, check_source};
use std::path::Path;

fn report(text: &str) -> BudgetReport {
    let card = card(text).0;
    BudgetReport::new(&card)
}

fn card(text: &str) -> (leadc::check::Scorecard, Sources) {
    let mut sources = Sources::new();
    let text = format!("schema \"lints.schema.toml\"\n{text}");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lints");
    let card = check_source(&mut sources, "t.lead", &text, SchemaSource::RelativeTo(dir))
        .unwrap_or_else(|ds| panic!("{}", ds.iter().map(|d| d.render(&sources, false)).collect::<String>()));
    (card, sources)
}

/// The names of the lints that fire on `text`.
fn fired(text: &str) -> Vec<String> {
    let (card, sources) = card(text);
    let file = sources.find("t.lead").unwrap();
    let mut names: Vec<String> =
        lint::lint(&card, &LintOptions::default(), file).into_iter().filter_map(|d| d.lint).collect();
    names.dedup();
    names
}

#[test]
fn exclusive_rules_on_one_field_count_once() {
    let r = report(
        "category ideal max 40\n\
         fit title = \"C-level\" : 15\n\
         fit title in [\"C-level\", \"VP\"] : 10\n\
         fit title = \"Director\" : 8\n\
         fit employees < 100 : 4\n\
         fit employees >= 100 : 6\n\
         fit employees is missing : 3\n",
    );
    let c = &r.categories[0];
    assert_eq!(c.rules_sum, Reach::Points(46));
    // title: C-level earns 15 + 10; employees: at most 6 (missing earns 3).
    assert_eq!(c.reach, Reach::Points(25 + 6));
    assert_eq!(c.effective, 31);
    assert_eq!(c.notes.len(), 2, "{:?}", c.notes);
}

#[test]
fn decimal_buckets_are_exclusive_only_when_they_do_not_touch() {
    let apart = report("category c max 30\nfit budget in 90..149.99 : 5\nfit budget >= 150 : 10\n");
    assert_eq!(apart.categories[0].reach, Reach::Points(10));
    let touching = report("category c max 30\nfit budget <= 150 : 5\nfit budget >= 150 : 10\n");
    assert_eq!(touching.categories[0].reach, Reach::Points(15));
}

#[test]
fn caps_and_unbounded_rules() {
    let r = report(
        "category interest max 25\n\
         behaviour email_open : 1 each max 5\n\
         behaviour web_visit : 2 each\n\
         category penalties\n\
         behaviour unsubscribe : -20\n\
         behaviour careers_page_view : -5 each\n",
    );
    let interest = &r.categories[0];
    assert_eq!(interest.rules[0].max, Reach::Points(5));
    assert_eq!(interest.rules[1].max, Reach::Unbounded);
    assert_eq!(interest.reach, Reach::Unbounded);
    assert_eq!(interest.effective, 25, "an unbounded rule reaches the category max");
    let penalties = &r.categories[1];
    assert_eq!(penalties.dimension, Dimension::Penalty);
    assert_eq!(penalties.least, Reach::Unbounded);
    assert_eq!(penalties.effective, 0);
    assert_eq!(r.reachable_points, 25);
    assert_eq!(r.scale, 100);
}

#[test]
fn a_mixed_category_is_split_by_what_each_kind_reaches() {
    let r = report(
        "category mixed max 20\n\
         fit is_b2b : 10\n\
         *behaviour demo_request : 20\n\
         behaviour email_open : 1 each max 10\n",
    );
    let c = &r.categories[0];
    assert_eq!(c.dimension, Dimension::Mixed);
    // reaches: fit 10, critical 20, other 10 of 40; effective 20.
    assert_eq!((c.fit, c.critical, c.other_behaviour), (5.0, 10.0, 5.0));
    assert_eq!(r.dimensions.first_share, 25.0);
    assert_eq!(r.behaviour.first_share, 66.7);
}

#[test]
fn the_digit_layout_scale_and_uncapped_positive_categories() {
    let r = report("require age >= 18 : 100\ncategory bonus\nfit is_b2b : 150\n");
    assert!(r.digit_layout);
    assert_eq!(r.scale, 99);
    assert_eq!(r.categories[0].effective, 99);
    assert_eq!(r.reachable_points, 99);
}

const BALANCED: &str = "category good_fit max 25
fit industry in [\"Software\", \"Finance\"] : 10
fit is_b2b : 8
fit country = \"US\" : 4
fit employees in 100..4999 : 5
category ideal max 25
fit title = \"C-level\" : 15
fit title = \"VP\" : 12
fit budget >= 50000 : 10
category critical max 25
*behaviour demo_request : 20
*behaviour free_trial : 20
*behaviour contact_request : 10
category interest max 25
behaviour email_open : 1 each max 5
behaviour web_visit : 1 each max 10
behaviour pricing_page_view : 3 each max 9
behaviour webinar_attended >= 2 : 10
";

#[test]
fn a_handful_of_rules_never_combines_exclusive_ones() {
    // demo_request (20) + C-level (15) = 35: fires at 35, not at 36, even
    // though C-level + VP would be 27 if they could both hold.
    let at = |t: i64| fired(&format!("{BALANCED}tier hot when points >= {t}\ntier cold\n"));
    assert!(at(35).contains(&"dominant-rule".to_string()));
    assert!(!at(36).contains(&"dominant-rule".to_string()));
}

#[test]
fn tier_conditions_with_not_and_or() {
    let lints = |tiers: &str| {
        let mut names = fired(&format!("{BALANCED}{tiers}"));
        names.retain(|n| n.ends_with("-tier"));
        names
    };
    // `not (points < 60)` is `points >= 60`, so the later tier is shadowed.
    let shadowed =
        lints("tier warm when not (points < 30)\ntier hot when points >= 60 and critical >= 20\ntier cold\n");
    assert_eq!(shadowed, ["shadowed-tier"]);
    // Either side of an `or` may hold: not shadowed.
    assert!(
        lints(
            "tier warm when points >= 30 and interest >= 10\ntier hot when points >= 60 or critical >= 25\n"
        )
        .is_empty()
    );
    // A category never exceeds its max; with no must-have, `qualified = false` never holds.
    assert_eq!(lints("tier a when interest > 25\ntier b when not qualified\ntier c\n"), ["unreachable-tier"]);
    assert!(lints("tier a when interest = 25\ntier b\n").is_empty());
}

/// A large program lints quickly: every lint is at most quadratic in the
/// rules of one category. Prints the time; asserts a generous bound so a
/// loaded machine does not fail it.
#[test]
fn a_large_program_lints_quickly() {
    let mut text = String::new();
    for c in 0..20 {
        text.push_str(&format!("category c{c} max 5\n"));
        for r in 0..100 {
            let lo = r * 10;
            text.push_str(&format!("fit employees in {lo}..{} : 1\n", lo + 14));
            text.push_str(&format!("behaviour web_visit >= {} : 1 each max 3\n", r + 1));
        }
    }
    for t in 0..50 {
        text.push_str(&format!("tier t{t} when points >= {} or (c1 >= 3 and not qualified)\n", 99 - t));
    }
    let (card, sources) = card(&text);
    let file = sources.find("t.lead").unwrap();
    let start = std::time::Instant::now();
    let diagnostics = lint::lint(&card, &LintOptions::default(), file);
    let elapsed = start.elapsed();
    println!("4,000 rules, 50 tiers: {} findings in {elapsed:?}", diagnostics.len());
    assert!(!diagnostics.is_empty());
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
}
