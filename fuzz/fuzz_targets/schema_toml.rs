//! Fuzz target: schema TOML text. In: arbitrary bytes. Out: nothing; the
//! loader must return a schema or errors, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = leadc::schema::Schema::from_toml(text);
    }
});
