//! Fuzz target: compiled program bytes. In: arbitrary bytes (seeded with
//! real compiled programs). Out: nothing; `Program::from_bytes` must refuse
//! or load them without panicking, and a loaded program must score leads
//! (empty, and filled from the input) without panicking.
#![no_main]

use leadc::lead::Lead;
use leadc::program::Program;
use leadc::schema::{BehaviourId, FieldId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(program) = Program::from_bytes(data) else { return };
    let mut lead = program.new_lead();
    let _ = program.explain(&lead);
    let schema = program.schema().clone();
    for (i, _) in schema.fields().iter().enumerate() {
        let cell = data.get(i).map(|b| (i64::from(*b) - 100).to_string()).unwrap_or_default();
        let _ = lead.set_text(&schema, FieldId(i as u32), &cell);
    }
    for b in 0..schema.behaviours().len() {
        lead.set_count(BehaviourId(b as u32), u32::from(data.get(b).copied().unwrap_or(0)));
    }
    let _ = program.explain(&lead);
    let _ = program.evaluate(&Lead::default());
    let _ = program.disassemble();
});
