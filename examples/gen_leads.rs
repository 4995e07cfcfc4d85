//! Generates realistic leads for the B2B SaaS example as CSV on stdout.
//!
//! `cargo run --release --example gen_leads -- 1000000 > leads.csv`
//!
//! The output is deterministic for a given count and seed (second argument),
//! so benchmarks and the bundled `examples/saas/leads.csv` can be remade.

use std::io::{self, BufWriter, Write};

/// A small deterministic PRNG (SplitMix64): no dependency, same output everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// A count skewed towards 0, up to `max`.
    fn count(&mut self, percent_any: u64, max: u64) -> u64 {
        if self.chance(percent_any) { 1 + self.below(max) * self.below(max + 1) / max.max(1) } else { 0 }
    }
}

const REGIONS: &[&str] = &["NA-West", "NA-East", "NA-West", "NA-East", "EMEA", "APAC", "LATAM"];
const DEPARTMENTS: &[&str] = &["IT", "Finance", "IT", "Marketing", "Sales", "HR", "Operations"];
const INDUSTRIES: &[&str] =
    &["Software", "Finance", "Healthcare", "Retail", "Manufacturing", "Education", "Software", "Logistics"];
const COUNTRIES: &[&str] = &["US", "US", "US", "CA", "GB", "DE", "MX", "IN", "AU"];
const TITLES: &[&str] =
    &["C-level", "VP", "Director", "Project Manager", "Engineer", "Analyst", "Manager", "Intern", "Director"];
const DOMAINS: &[&str] =
    &["gmail.com", "yahoo.com", "acme.io", "globex.com", "initech.com", "umbrella.co", "hooli.com"];
const FIRST: &[&str] =
    &["ana", "ben", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo", "kemal", "lea"];

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
