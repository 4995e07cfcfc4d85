//! Fuzz target: program source text. In: arbitrary bytes. Out: nothing; the
//! parser must return an AST or errors, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = leadc::syntax::parse(text);
    }
});
