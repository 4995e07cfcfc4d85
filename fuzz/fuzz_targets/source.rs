//! Fuzz target: program source text, checked against the saas example's
//! schema. In: arbitrary bytes. Out: nothing; parsing and checking must
//! return a scorecard or diagnostics, never panic; a program that checks is
//! compiled, round-tripped through bytes, and scored on a few leads by the
//! VM and the reference evaluator, which must agree.
#![no_main]

use leadc::diag::Sources;
use leadc::load::{SchemaSource, check_source};
use leadc::lead::Lead;
use leadc::program::Program;
use leadc_fuzz::{assert_agree, saas_schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut sources = Sources::new();
    let Ok(card) = check_source(&mut sources, "fuzz.lead", text, SchemaSource::Given(saas_schema())) else {
        return;
    };
    let program = Program::compile(&card);
    let loaded = Program::from_bytes(&program.to_bytes()).unwrap_or_else(|e| panic!("round trip: {e:?}"));
    let schema = &card.schema;
    let mut lead = Lead::new(schema);
    assert_agree(&card, &program, &lead);
    // A lead whose every field is set from the byte values of the input.
    for (i, field) in schema.fields().iter().enumerate() {
        let cell = match &field.ty {
            leadc::schema::FieldType::Enum(values) => values.get(data.len() % values.len().max(1)).cloned(),
            leadc::schema::FieldType::Bool => Some((data.len() % 2 == 0).to_string()),
            _ => Some((data.get(i).copied().unwrap_or(0) as i64 * 11 - 40).to_string()),
        };
        if let Some(cell) = cell {
            let _ = lead.set_text(schema, leadc::schema::FieldId(i as u32), &cell);
        }
    }
    for b in 0..schema.behaviours().len() {
        lead.set_count(
            leadc::schema::BehaviourId(b as u32),
            u32::from(data.get(b).copied().unwrap_or(0) % 8),
        );
    }
    assert_agree(&card, &program, &lead);
    assert_agree(&card, &loaded, &lead);
});
