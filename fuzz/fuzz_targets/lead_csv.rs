//! Fuzz target: CSV lead input for the saas example, through the library's
//! CSV-cell path. In: arbitrary bytes, read as lines of comma-separated
//! cells, the first a header naming fields and behaviours. Out: nothing;
//! every cell must parse by its field's type (`Lead::set_text`) or give a
//! value error, never a panic, and every lead must score the same in the VM
//! and the reference evaluator.
//!
//! The CLI splits real CSV with the `csv` crate and maps columns itself; the
//! library part of that path, which this exercises, is `Lead::set_text`.
#![no_main]

use leadc::lead::Lead;
use leadc::program::Program;
use leadc_fuzz::{assert_agree, saas_card, saas_schema};
use libfuzzer_sys::fuzz_target;

/// What one header cell names.
enum Column {
    Field(leadc::schema::FieldId),
    Behaviour(leadc::schema::BehaviourId),
    Ignored,
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let schema = saas_schema();
    let mut lines = text.lines();
    let Some(header) = lines.next() else { return };
    let columns: Vec<Column> = header
        .split(',')
        .map(|name| match (schema.field_id(name.trim()), schema.behaviour_id(name.trim())) {
            (Some(f), _) => Column::Field(f),
            (None, Some(b)) => Column::Behaviour(b),
            _ => Column::Ignored,
        })
        .collect();
    let card = saas_card();
    let program = card.map(Program::compile);
    let mut lead = Lead::new(&schema);
    'records: for line in lines {
        lead.clear();
        for (column, cell) in columns.iter().zip(line.split(',')) {
            match column {
                Column::Field(f) => {
                    if lead.set_text(&schema, *f, cell).is_err() {
                        continue 'records;
                    }
                }
                Column::Behaviour(b) => match cell.trim() {
                    "" => lead.set_count(*b, 0),
                    count => match count.parse::<u32>() {
                        Ok(n) => lead.set_count(*b, n),
                        Err(_) => continue 'records,
                    },
                },
                Column::Ignored => {}
            }
        }
        if let (Some(card), Some(program)) = (card, &program) {
            assert_agree(card, program, &lead);
        }
    }
});
