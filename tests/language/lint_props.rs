//! Property tests: the linter never panics and its budget stays within
//! bounds. Random programs are built from line templates with random
//! numbers (overlapping, inverted and contradictory on purpose), checked
//! against the lint test schema; every one that checks is linted at random
//! levels, and its budget report is rendered as a table and as JSON.

use leadc::diag::Sources;
use leadc::lint::{self, BudgetReport, LintOptions};
use leadc::load::{SchemaSource, check_source};
use leadc::schema::Schema;
use proptest::prelude::*;
use std::sync::{Arc, LazyLock};

static SCHEMA: LazyLock<Arc<Schema>> = LazyLock::new(|| {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/lints/lints.schema.toml"))
        .unwrap();
    Arc::new(Schema::from_toml(&text).unwrap())
});

const BEHAVIOURS: &[&str] = &["demo_request", "free_trial", "email_open", "web_visit", "unsubscribe"];
const LINTS: &[&str] = &["dominant-rule", "too-few-rules", "must-have-block", "warnings", "no-such-lint"];

fn num() -> impl Strategy<Value = i64> {
    prop_oneof![3 => -30i64..130, 1 => prop::sample::select(vec![0, 1, 99, 100, 1_000_000, -1_000_000])]
}

fn line() -> impl Strategy<Value = String> {
    let b = prop::sample::select(BEHAVIOURS.to_vec());
    let l = prop::sample::select(LINTS.to_vec());
    let level = prop::sample::select(vec!["allow", "warn", "deny"]);
    prop_oneof![
        (num(), num()).prop_map(|(a, p)| format!("require age >= {a} : {p}")),
        (0i64..4, num()).prop_map(|(i, m)| if m < 0 {
            format!("category c{i}")
        } else {
            format!("category c{i} max {m}")
        }),
        (num(), num(), num()).prop_map(|(a, b, p)| format!(
            "fit employees in {}..{} : {p}",
            a.min(b),
            a.max(b)
        )),
        (num(), num()).prop_map(|(a, p)| format!("fit employees >= {a} : {p}")),
        (num(), num(), num()).prop_map(|(a, b, p)| format!("fit age > {a} and age < {b} : {p}")),
        (num(), num()).prop_map(|(a, p)| format!("fit not (budget < {a}.5) or is_b2b : {p}")),
        (prop::sample::select(vec!["C-level", "VP", "Director"]), num())
            .prop_map(|(t, p)| format!("fit title = \"{t}\" : {p}")),
        (prop::sample::select(vec!["EMEA", "APAC", "NA-West"]), num())
            .prop_map(|(r, p)| format!("fit region != \"{r}\" : {p}")),
        (any::<bool>(), b.clone(), 1i64..4, num())
            .prop_map(|(s, b, k, p)| { format!("{}behaviour {b} >= {k} : {p}", if s { "*" } else { "" }) }),
        (b, num(), any::<bool>()).prop_map(|(b, p, capped)| {
            if capped {
                format!("behaviour {b} : {p} each max {}", p * 3)
            } else {
                format!("behaviour {b} : {p} each")
            }
        }),
        (num(), num()).prop_map(|(a, c)| format!("tier t{a} when points >= {a} or c0 < {c}")),
        num().prop_map(|a| format!("tier q{a} when qualified and not (points < {a})")),
        (0i64..4).prop_map(|k| format!("tier r{k} when requires_met >= {k} and segment = 0")),
        (level, l).prop_map(|(v, l)| format!("lint {v} {l}")),
    ]
}

fn program() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..30)
        .prop_map(|lines| format!("category c0 max 50\n{}\ntier last\n", lines.join("\n")))
}

fn options() -> impl Strategy<Value = LintOptions> {
    let names = prop::collection::vec(prop::sample::select(LINTS.to_vec()).prop_map(String::from), 0..3);
    (names.clone(), names.clone(), names).prop_map(|(deny, warn, allow)| LintOptions { deny, warn, allow })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn lint_never_panics(text in program(), options in options()) {
        let mut sources = Sources::new();
        let Ok(card) = check_source(&mut sources, "p.lead", &text, SchemaSource::Given(SCHEMA.clone())) else {
            return Ok(());
        };
        let file = sources.find("p.lead").unwrap();
        for d in lint::lint(&card, &options, file) {
            prop_assert!(d.code.starts_with('L'), "{}", d.code);
            prop_assert!(d.lint.is_some() || d.code == "L0000");
            // Advice never contradicts itself: no max both lowered and raised.
            if let Some(help) = &d.help {
                for c in 0..4 {
                    let (lower, raise) = (format!("lower `c{c}` max"), format!("raise `c{c}` max"));
                    prop_assert!(!(help.contains(&lower) && help.contains(&raise)), "{}", help);
                }
            }
            let _ = d.render(&sources, false);
            let _ = d.to_json(&sources);
        }
        let report = BudgetReport::new(&card);
        prop_assert!((0..=report.scale).contains(&report.reachable_points));
        for c in &report.categories {
            prop_assert!(c.effective >= 0);
            if let Some(max) = c.max {
                prop_assert!(c.effective <= max.max(0));
            }
            for r in &c.rules {
                prop_assert!((0.0..=100.0).contains(&r.share), "{}: {}", r.rule, r.share);
            }
        }
        let widths: Vec<usize> = report.render_table().lines().map(|l| l.chars().count()).collect();
        prop_assert!(widths.iter().all(|w| *w <= 120));
        let _ = serde_json::to_string(&report).unwrap();
    }
}
