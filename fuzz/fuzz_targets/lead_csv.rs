//! Fuzz target: CSV lead input for the saas example, read as the CLI reads
//! it: the library's [`leadc::intake`] splitter cuts chunks and frames
//! records, the [`LeadReader`] (a [`leadc::input::CsvLayout`] over the
//! header) turns each record into a lead. In: arbitrary bytes. Out: nothing;
//! the chunked read must give the same records and lines as one whole read,
//! the header must give a layout or an input error and every record a lead
//! or an input error, never a panic, and every lead must score the same in
//! the VM and the reference evaluator.
#![no_main]

use leadc::input::{LeadReader, UnknownColumns};
use leadc::intake::chunk::{Framing, Splitter};
use leadc::intake::csv::{Record, Records};
use leadc_fuzz::{assert_agree, saas_card, saas_program, saas_schema};
use libfuzzer_sys::fuzz_target;

fn records(chunks: &[(u64, Vec<u8>)]) -> Vec<(u64, Vec<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut record = Record::default();
    for (line, bytes) in chunks {
        let mut records = Records::new(bytes, *line);
        while records.next_into(&mut record) {
            out.push((record.line, record.cells().map(<[u8]>::to_vec).collect()));
        }
    }
    out
}

fn read(data: &[u8], chunk_bytes: usize) -> Option<(Vec<String>, Vec<(u64, Vec<Vec<u8>>)>)> {
    let mut splitter = Splitter::with_chunk_bytes(data, Framing::Csv, chunk_bytes);
    let header = splitter.csv_header().ok()??;
    let names = header.cells().map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    let mut chunks = Vec::new();
    while let Ok(Some(chunk)) = splitter.next_chunk() {
        chunks.push((chunk.first_line, chunk.bytes));
    }
    Some((names, records(&chunks)))
}

fuzz_target!(|data: &[u8]| {
    let Some((header, rows)) = read(data, 1 << 20) else { return };
    let small = read(data, 1 + data.len() % 17);
    assert_eq!(small.as_ref().map(|(_, r)| r), Some(&rows), "chunked read differs");
    let policy = if data.len() % 2 == 0 { UnknownColumns::Error } else { UnknownColumns::Ignore };
    let Ok(mut reader) = LeadReader::new(saas_schema(), header.iter(), policy) else { return };
    let card = saas_card();
    let program = saas_program();
    for (_, cells) in rows {
        let Ok(cells) = cells.iter().map(|c| std::str::from_utf8(c)).collect::<Result<Vec<_>, _>>() else {
            continue;
        };
        let Ok(lead) = reader.read(cells.iter().copied()) else { continue };
        if let (Some(card), Some(program)) = (card, program) {
            assert_agree(card, program, lead);
        }
    }
});
