//! Fuzz target: one NDJSON line of lead input for the saas example. In:
//! arbitrary bytes. Out: nothing; a JSON value must become a lead or an
//! input error, never a panic, and a lead must score the same in the VM and
//! the reference evaluator.
#![no_main]

use leadc::lead::Lead;
use leadc::program::Program;
use leadc_fuzz::{assert_agree, saas_card, saas_schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let schema = saas_schema();
    let Ok(lead) = Lead::from_json(&schema, &json) else { return };
    if let Some(card) = saas_card() {
        assert_agree(card, &Program::compile(card), &lead);
    }
});
