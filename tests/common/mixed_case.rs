//! The saas example with its text in mixed case, for the `ignore_case`
//! tests: the example's schema with its string fields declared
//! `ignore_case`, and its leads with every string field's cells in
//! alternating capitals (`SoFtWaRe`, `vP`). Scored with the first, the
//! second must score exactly as the example's own leads do.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The string fields of the saas schema.
pub const TEXT_FIELDS: [&str; 4] = ["industry", "country", "title", "email_domain"];

/// `text` with every other letter capitalised, starting from the first
/// when `first` (so `vp` gives `Vp` or `vP`, never itself twice).
fn alternating(text: &str, first: bool) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| if (i % 2 == 0) == first { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
        .collect()
}

/// Writes the schema and the leads into `dir`; returns their paths.
pub fn write(dir: &Path) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas");
    let mut schema = std::fs::read_to_string(root.join("saas.schema.toml")).unwrap();
    for field in TEXT_FIELDS {
        let plain = format!("{field:<14}= \"string\"");
        assert!(schema.contains(&plain), "the saas schema declares `{plain}`");
        schema = schema.replace(&plain, &format!("{field} = {{ type = \"string\", ignore_case = true }}"));
    }
    let leads = std::fs::read_to_string(root.join("leads.csv")).unwrap();
    let mut lines = leads.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut out = header.join(",") + "\n";
    for (row, line) in lines.enumerate() {
        let cells: Vec<String> = line
            .split(',')
            .zip(&header)
            .map(|(cell, name)| match TEXT_FIELDS.contains(name) {
                true => alternating(cell, row % 2 == 0),
                false => cell.to_string(),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    let (schema_path, leads_path) = (dir.join("mixed.schema.toml"), dir.join("mixed_case.csv"));
    std::fs::write(&schema_path, schema).unwrap();
    std::fs::write(&leads_path, out).unwrap();
    (schema_path, leads_path)
}
