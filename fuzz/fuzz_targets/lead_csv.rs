//! Fuzz target: CSV lead input for the saas example, read as the CLI reads
//! it: the `csv` crate splits records (flexible lengths), the library's
//! [`LeadReader`] (a [`leadc::input::CsvLayout`] over the header) turns
//! each record into a lead. In: arbitrary bytes. Out: nothing; the header
//! must give a layout or an input error and every record a lead or an input
//! error, never a panic, and every lead must score the same in the VM and
//! the reference evaluator.
#![no_main]

use leadc::input::{LeadReader, UnknownColumns};
use leadc_fuzz::{assert_agree, saas_card, saas_program, saas_schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut csv = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(data);
    let Ok(header) = csv.headers().cloned() else { return };
    let policy = if data.len() % 2 == 0 { UnknownColumns::Error } else { UnknownColumns::Ignore };
    let Ok(mut reader) = LeadReader::new(saas_schema(), header.iter(), policy) else { return };
    let card = saas_card();
    let program = saas_program();
    for record in csv.records() {
        let Ok(record) = record else { continue };
        let Ok(lead) = reader.read(record.iter()) else { continue };
        if let (Some(card), Some(program)) = (card, program) {
            assert_agree(card, program, lead);
        }
    }
});
