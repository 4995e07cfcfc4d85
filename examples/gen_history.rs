//! Generates a history of B2B SaaS leads with their outcome, for `leadc review`.
//!
//! `cargo run --example gen_history -- 3000 > examples/saas/history.csv`
//!
//! Columns: `id`, the saas schema's fields and behaviour counts (as in
//! `gen_leads`), and `converted` (`true`/`false`). The output is
//! deterministic for a given count and seed (second argument).
//!
//! Whether a lead converted is drawn from a logistic model of its *true*
//! fit, which mostly agrees with `examples/saas/saas.lead` — with three
//! deliberate differences, so that a review has something to find:
//! - leads from Canada (`country = "CA"`) convert far more often, and no
//!   rule gives them points (the review should suggest a rule);
//! - a budget of 50,000 or more makes no difference, though
//!   `fit budget >= 50000 : 10` gives 10 points (the review should flag it);
//! - the timeline makes no difference either (8 points: below the review's
//!   "high points" bar, so it is shown but not flagged).

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
    /// A uniform number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
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

/// One lead's generated values.
struct Lead<'a> {
    region: &'a str,
    age: Option<u64>,
    department: &'a str,
    employees: u64,
    industry: &'a str,
    b2b: bool,
    country: &'a str,
    title: &'a str,
    budget: Option<u64>,
    timeline: Option<u64>,
    domain: &'a str,
    /// demo_request, free_trial, contact_request, email_open, web_visit,
    /// pricing_page_view, webinar_attended, unsubscribe, careers_page_view.
    counts: [u64; 9],
}

fn lead<'a>(rng: &mut Rng) -> Lead<'a> {
    let domain = rng.pick(DOMAINS);
    let age = rng.chance(90).then(|| 17 + rng.below(50));
    let employees = [5, 20, 60, 150, 400, 900, 2500, 8000][rng.below(8) as usize] + rng.below(40);
    let budget = rng.chance(70).then(|| 1000 * (1 + rng.below(120)));
    let timeline = rng.chance(80).then(|| 7 * (1 + rng.below(40)));
    Lead {
        region: rng.pick(REGIONS),
        age,
        department: rng.pick(DEPARTMENTS),
        employees,
        industry: rng.pick(INDUSTRIES),
        b2b: rng.chance(75),
        country: rng.pick(COUNTRIES),
        title: rng.pick(TITLES),
        budget,
        timeline,
        domain,
        counts: [
            rng.count(12, 1),
            rng.count(10, 1),
            rng.count(15, 2),
            rng.count(70, 12),
            rng.count(60, 15),
            rng.count(30, 5),
            rng.count(20, 4),
            rng.count(5, 1),
            rng.count(10, 4),
        ],
    }
}

/// The log-odds of converting: the lead's true fit.
fn log_odds(l: &Lead) -> f64 {
    let yes = |b: bool| if b { 1.0 } else { 0.0 };
    let must_haves = [
        ["NA-West", "NA-East"].contains(&l.region),
        l.age.is_some_and(|a| a >= 18),
        ["IT", "Finance"].contains(&l.department),
    ];
    let met = must_haves.iter().filter(|m| **m).count() as f64;
    let c = &l.counts;
    -4.4 + 0.5 * met
        + 0.8 * yes(met == 3.0)
        + 0.6 * yes(["Software", "Finance", "Healthcare"].contains(&l.industry))
        + 0.4 * yes(l.b2b)
        + 0.3 * yes((100..=4999).contains(&l.employees))
        + 0.9 * yes(["C-level", "VP"].contains(&l.title))
        + 0.6 * yes(["Director", "Project Manager"].contains(&l.title))
        + 1.3 * yes(c[0] > 0)
        + 1.1 * yes(c[1] > 0)
        + 0.6 * yes(c[2] > 0)
        + 0.03 * c[3].min(5) as f64
        + 0.03 * c[4].min(10) as f64
        + 0.15 * c[5].min(3) as f64
        + 0.8 * yes(c[6] >= 2)
        - 1.2 * yes(c[7] > 0)
        - 0.25 * c[8].min(3) as f64
        - 0.5 * yes(["gmail.com", "yahoo.com"].contains(&l.domain))
        // The planted signal no rule scores.
        + 1.7 * yes(l.country == "CA")
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(3000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let mut rng = Rng(seed);
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "id,email,region,age,department,employees,industry,is_b2b,country,title,budget,timeline_days,\
         email_domain,demo_request,free_trial,contact_request,email_open,web_visit,pricing_page_view,\
         webinar_attended,unsubscribe,careers_page_view,converted"
    )?;
    let text = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    for id in 1..=count {
        let l = lead(&mut rng);
        let name = rng.pick(FIRST);
        let converted = rng.unit() < 1.0 / (1.0 + (-log_odds(&l)).exp());
        let counts: Vec<String> = l.counts.iter().map(u64::to_string).collect();
        writeln!(
            out,
            "{id},{name}.{id}@{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            l.domain,
            l.region,
            text(l.age),
            l.department,
            l.employees,
            l.industry,
            l.b2b,
            l.country,
            l.title,
            text(l.budget),
            text(l.timeline),
            l.domain,
            counts.join(","),
            converted,
        )?;
    }
    out.flush()
}
