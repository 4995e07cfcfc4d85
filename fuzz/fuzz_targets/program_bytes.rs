//! Fuzz target: compiled program bytes. In: arbitrary bytes (seeded with
//! real compiled programs). Out: nothing; `Program::from_bytes` must refuse
//! or load them without panicking, and a loaded program must score leads
//! (empty, and filled from the input) without panicking.
//!
//! Each input is loaded twice: as it is, and with its header repaired
//! (magic, the current format version, body length and FNV-1a checksum
//! recomputed), so that mutations of the body get past the checksum to the
//! decoder and the verifier.
#![no_main]

use leadc::compile::format;
use leadc::lead::Lead;
use leadc::program::Program;
use leadc::schema::{BehaviourId, FieldId};
use libfuzzer_sys::fuzz_target;

/// The input with a valid header for its body.
fn repaired(data: &[u8]) -> Vec<u8> {
    let body = data.get(16..).unwrap_or(&[]);
    let checksum = body.iter().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193));
    let mut out = format::MAGIC.to_vec();
    out.extend_from_slice(&format::VERSION.to_le_bytes());
    out.extend_from_slice(&checksum.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    out
}

fuzz_target!(|data: &[u8]| {
    load_and_score(data);
    load_and_score(&repaired(data));
});

fn load_and_score(data: &[u8]) {
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
}
