//! Generates realistic leads for the B2B SaaS example as CSV on stdout.
//!
//! `cargo run --release --example gen_leads -- 1000000 > leads.csv`
//!
//! The output is deterministic for a given count and seed (second argument),
//! so benchmarks and the bundled `examples/saas/leads.csv` can be remade.

use std::io::{self, BufWriter, Write};

#[path = "support/saas.rs"]
mod saas;
use saas::*;

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let mut rng = Rng(seed);
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "id,email,region,age,department,employees,industry,is_b2b,country,title,budget,timeline_days,\
         email_domain,demo_request,free_trial,contact_request,email_open,web_visit,pricing_page_view,\
         webinar_attended,unsubscribe,careers_page_view"
    )?;
    for id in 1..=count {
        let domain = rng.pick(DOMAINS);
        let name = rng.pick(FIRST);
        // Some fields are left empty (missing), as in real CRM exports.
        let age = if rng.chance(90) { (17 + rng.below(50)).to_string() } else { String::new() };
        let employees = [5, 20, 60, 150, 400, 900, 2500, 8000][rng.below(8) as usize] + rng.below(40);
        let budget = if rng.chance(70) { format!("{}", 1000 * (1 + rng.below(120))) } else { String::new() };
        let timeline = if rng.chance(80) { (7 * (1 + rng.below(40))).to_string() } else { String::new() };
        writeln!(
            out,
            "{id},{name}.{id}@{domain},{},{age},{},{employees},{},{},{},{},{budget},{timeline},{domain},{},{},{},{},{},{},{},{},{}",
            rng.pick(REGIONS),
            rng.pick(DEPARTMENTS),
            rng.pick(INDUSTRIES),
            if rng.chance(75) { "true" } else { "false" },
            rng.pick(COUNTRIES),
            rng.pick(TITLES),
            rng.count(12, 1),
            rng.count(10, 1),
            rng.count(15, 2),
            rng.count(70, 12),
            rng.count(60, 15),
            rng.count(30, 5),
            rng.count(20, 4),
            rng.count(5, 1),
            rng.count(10, 4),
        )?;
    }
    out.flush()
}
