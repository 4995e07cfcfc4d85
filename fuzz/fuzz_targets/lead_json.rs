//! Fuzz target: one NDJSON line of lead input for the saas example. In:
//! arbitrary bytes. Out: nothing; a JSON value must become a lead or an
//! input error through both the lenient `Lead::from_json` (what `score`
//! reads) and the strict `Lead::from_json_checked`, never a panic; the two
//! must agree when the strict one accepts, and a lead must score the same in
//! the VM and the reference evaluator.
#![no_main]

use leadc::lead::Lead;
use leadc_fuzz::{assert_agree, saas_card, saas_program, saas_schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let schema = saas_schema();
    let lenient = Lead::from_json(&schema, &json);
    if let Ok(strict) = Lead::from_json_checked(&schema, &json) {
        assert_eq!(
            lenient.as_ref().ok(),
            Some(&strict),
            "strict reader accepts what the lenient one reads otherwise"
        );
    }
    let Ok(lead) = lenient else { return };
    if let (Some(card), Some(program)) = (saas_card(), saas_program()) {
        assert_agree(card, program, &lead);
    }
});
