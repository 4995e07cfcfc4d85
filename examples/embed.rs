//! Embedding leadc in a host program (`cargo run --example embed`).
//!
//! Compiles examples/saas once, saves the compiled program to a temporary
//! file, then — as a separate service would — loads it with nothing but
//! `Program::from_bytes` (the schema travels inside the file) and scores
//! leads built in code and from JSON. `docs/embedding.md` walks through it.

use leadc::{Lead, Outcome, Program};
use std::error::Error;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    let path = compile_once()?;
    let program = Program::from_bytes(&std::fs::read(&path)?)?;
    println!("loaded {} ({} rules)", path.display(), program.rules().len());

    // A lead built in code: typed setters by field and behaviour id.
    let schema = program.schema();
    let mut lead = program.new_lead();
    for (field, text) in [("region", "NA-West"), ("age", "40"), ("department", "IT"), ("employees", "200")] {
        let id = schema.field_id(field).ok_or("no such field")?;
        lead.set_text(schema, id, text)?;
    }
    lead.set_count(schema.behaviour_id("demo_request").ok_or("no such behaviour")?, 1);
    lead.set_count(schema.behaviour_id("email_open").ok_or("no such behaviour")?, 7);
    // A scorer reuses its buffers: no allocation per lead after the first.
    let mut scorer = program.scorer();
    print_outcome(&program, "built in code", scorer.score(&lead));

    // Leads from JSON: fields by name, counts under "behaviours".
    let leads = serde_json::json!([
        {"region": "NA-East", "age": 52, "department": "Finance", "employees": 1200,
         "industry": "Software", "is_b2b": true, "title": "VP", "budget": 80000,
         "behaviours": {"demo_request": 1, "free_trial": 1, "pricing_page_view": 3}},
        {"region": "EMEA", "age": 23, "email_domain": "gmail.com",
         "behaviours": {"unsubscribe": 1, "careers_page_view": 4}},
    ]);
    for (i, json) in leads.as_array().into_iter().flatten().enumerate() {
        let lead = Lead::from_json_checked(schema, json)?;
        print_outcome(&program, &format!("json #{i}"), scorer.score(&lead));
    }

    // Why the first JSON lead scored what it did.
    let lead = Lead::from_json_checked(schema, &leads[0])?;
    let (_, why) = program.explain(&lead);
    for (rule, trace) in program.rules().iter().zip(&why.rules).filter(|(_, t)| t.fired) {
        println!("  line {:>2}  {:+4}  {}", rule.source.line, trace.points, rule.source.text);
    }

    // A bad key is reported with a suggestion.
    if let Err(e) = Lead::from_json_checked(schema, &serde_json::json!({"regoin": "EMEA"})) {
        println!("rejected: {e}");
    }
    std::fs::remove_file(&path)?;
    Ok(())
}

/// Checks and compiles examples/saas, and saves it; returns the file.
fn compile_once() -> Result<std::path::PathBuf, Box<dyn Error>> {
    // `load` checks the source against the schema its `schema` line names;
    // a failure displays as the rustc-style diagnostics `leadc check` prints.
    let program = leadc::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/saas.lead"))?;
    let path = std::env::temp_dir().join(format!("saas-{}.leadc", std::process::id()));
    std::fs::write(&path, program.to_bytes())?;
    Ok(path)
}

fn print_outcome(program: &Program, label: &str, outcome: &Outcome) {
    let tier = outcome.tier.and_then(|t| program.tier_name(t)).unwrap_or("-");
    let categories: Vec<String> = program
        .category_names()
        .zip(&outcome.categories)
        .map(|(name, c)| format!("{name} {}", c.capped))
        .collect();
    println!(
        "{label}: score {} (points {}, {} must-haves met, segment {}) tier {tier} [{}]",
        outcome.score,
        outcome.points,
        outcome.requires_met,
        outcome.segment,
        categories.join(", ")
    );
}
