//! Shared helpers for the fuzz targets: the example schema and program, and
//! a check that the reference evaluator and the VM agree on a lead.

use leadc::check::Scorecard;
use leadc::diag::Sources;
use leadc::load::{SchemaSource, check_source};
use leadc::lead::Lead;
use leadc::program::Program;
use leadc::schema::Schema;
use std::sync::{Arc, OnceLock};

/// The schema of `examples/saas`.
pub fn saas_schema() -> Arc<Schema> {
    static SCHEMA: OnceLock<Arc<Schema>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let text = include_str!("../../examples/saas/saas.schema.toml");
            Arc::new(Schema::from_toml(text).unwrap_or_default())
        })
        .clone()
}

/// The checked program of `examples/saas`.
pub fn saas_card() -> Option<&'static Scorecard> {
    static CARD: OnceLock<Option<Scorecard>> = OnceLock::new();
    CARD.get_or_init(|| {
        let text = include_str!("../../examples/saas/saas.lead");
        check_source(&mut Sources::new(), "saas.lead", text, SchemaSource::Given(saas_schema())).ok()
    })
    .as_ref()
}

/// The saas program compiled once.
pub fn saas_program() -> Option<&'static Program> {
    static PROGRAM: OnceLock<Option<Program>> = OnceLock::new();
    PROGRAM.get_or_init(|| saas_card().map(Program::compile)).as_ref()
}

/// Scores `lead` with the reference evaluator and with `program` (compiled
/// from `card`) and panics if they differ: a crash for the fuzzer.
pub fn assert_agree(card: &Scorecard, program: &Program, lead: &Lead) {
    let expected = leadc::reference::evaluate(card, lead);
    let got = program.explain(lead);
    assert_eq!(got, expected, "VM and reference evaluator disagree");
}
