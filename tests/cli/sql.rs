//! `leadc sql`: the query users see, its options, and its refusals. That
//! the query scores as the VM does is `tests/sql`'s work.

use crate::commands::run;

#[test]
fn the_saas_query_is_one_cte_per_stage_with_the_programs_lines() {
    let r = run(&["sql", "examples/saas/saas.lead", "--keep", "id"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn a_timed_query_for_spark_takes_its_instant_from_a_parameter() {
    let r = run(&["sql", "examples/timed/timed.lead", "--dialect", "spark", "--as-of-param", "--explain"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn an_as_of_instant_is_a_literal_and_a_view_wraps_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("score.sql");
    let r = run(&[
        "sql",
        "examples/timed/timed.lead",
        "--as-of",
        "2026-11-30T12:00:00+01:00",
        "--view",
        "lead_scores",
        "--leads",
        "crm.leads",
        "--events",
        "crm.lead_events",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let query = std::fs::read_to_string(&out).unwrap();
    assert!(query.contains("CREATE OR REPLACE VIEW lead_scores AS\nWITH\n"), "{query}");
    assert!(query.contains("    -- 2026-11-30T11:00:00Z\n    1796036400 AS \"as_of\"\n"), "{query}");
    assert!(query.contains("FROM crm.leads AS l CROSS JOIN params AS p"), "{query}");
    assert!(query.contains("FROM crm.lead_events AS ev CROSS JOIN params AS p"), "{query}");
}

#[test]
fn an_instant_parameter_is_taken_even_by_a_program_without_time() {
    let r = run(&["sql", "examples/saas/saas.lead", "--as-of-param", "--keep", ""]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("CAST($as_of AS TIMESTAMPTZ)"), "{}", r.stdout);
    assert!(r.stdout.contains("FROM leads AS l CROSS JOIN params AS p"), "{}", r.stdout);
    assert!(!r.stdout.contains("lc_keep"), "`--keep ''` keeps nothing:\n{}", r.stdout);
}

#[test]
fn a_compiled_program_and_two_instants_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let compiled = dir.path().join("saas.leadc");
    let c = run(&["compile", "examples/saas/saas.lead", "-o", compiled.to_str().unwrap()]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let r = run(&["sql", compiled.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    insta::assert_snapshot!(r.stderr.replace(compiled.to_str().unwrap(), "saas.leadc"));
    let r = run(&["sql", "examples/timed/timed.lead", "--as-of", "now", "--as-of-param"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

#[test]
fn a_program_with_errors_gives_its_diagnostics_and_no_query() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("examples/saas/saas.schema.toml", dir.path().join("saas.schema.toml")).unwrap();
    let program = dir.path().join("bad.lead");
    std::fs::write(&program, "schema \"saas.schema.toml\"\ncategory fit max 10\nfit titel = \"VP\" : 5\n")
        .unwrap();
    let r = run(&["sql", program.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(r.stderr.contains("error[E0301]: unknown field `titel`"), "{}", r.stderr);
}
