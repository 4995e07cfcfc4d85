//! Fuzz target: CSV lead input for the saas example. In: arbitrary bytes,
//! read as lines of comma-separated cells, the first a header. Out: nothing;
//! the header must become a layout or an input error and every record a
//! lead or an input error, never a panic; leads must score the same in the
//! VM and the reference evaluator.
#![no_main]

use leadc::input::{LeadReader, UnknownColumns};
use leadc::program::Program;
use leadc_fuzz::{assert_agree, saas_card, saas_schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.lines();
    let Some(header) = lines.next() else { return };
    let policy = if data.len() % 2 == 0 { UnknownColumns::Error } else { UnknownColumns::Ignore };
    let Ok(mut reader) = LeadReader::new(saas_schema(), header.split(','), policy) else { return };
    let card = saas_card();
    let program = card.map(Program::compile);
    for line in lines {
        let Ok(lead) = reader.read(line.split(',')) else { continue };
        if let (Some(card), Some(program)) = (card, &program) {
            assert_agree(card, program, lead);
        }
    }
});
