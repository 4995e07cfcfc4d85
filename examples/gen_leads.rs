//! Generates realistic leads for the B2B SaaS example as CSV on stdout.
//!
//! `cargo run --release --example gen_leads -- 1000000 > leads.csv`
//!
//! The output is deterministic for a given count and seed (second argument),
//! so benchmarks and the bundled `examples/saas/leads.csv` can be remade.

use std::io::{self, BufWriter, Write};

#[path = "support/saas.rs"]
mod saas;
use saas::write_leads;

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let mut out = BufWriter::new(io::stdout().lock());
    write_leads(&mut out, count, seed)?;
    out.flush()
}
