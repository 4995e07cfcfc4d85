//! What `gen_leads` and `gen_history` share: a deterministic PRNG and the
//! value pools of the B2B SaaS example's leads. Included by both with
//! `#[path]`; not an example of its own.

/// A small deterministic PRNG (SplitMix64): no dependency, same output everywhere.
pub struct Rng(pub u64);

#[allow(dead_code)] // gen_leads does not use `unit`.
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// A uniform number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A count skewed towards 0, up to `max`.
    pub fn count(&mut self, percent_any: u64, max: u64) -> u64 {
        if self.chance(percent_any) { 1 + self.below(max) * self.below(max + 1) / max.max(1) } else { 0 }
    }
}

pub const REGIONS: &[&str] = &["NA-West", "NA-East", "NA-West", "NA-East", "EMEA", "APAC", "LATAM"];
pub const DEPARTMENTS: &[&str] = &["IT", "Finance", "IT", "Marketing", "Sales", "HR", "Operations"];
pub const INDUSTRIES: &[&str] =
    &["Software", "Finance", "Healthcare", "Retail", "Manufacturing", "Education", "Software", "Logistics"];
pub const COUNTRIES: &[&str] = &["US", "US", "US", "CA", "GB", "DE", "MX", "IN", "AU"];
pub const TITLES: &[&str] =
    &["C-level", "VP", "Director", "Project Manager", "Engineer", "Analyst", "Manager", "Intern", "Director"];
pub const DOMAINS: &[&str] =
    &["gmail.com", "yahoo.com", "acme.io", "globex.com", "initech.com", "umbrella.co", "hooli.com"];
pub const FIRST: &[&str] =
    &["ana", "ben", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo", "kemal", "lea"];

/// Writes `count` leads as CSV with a header, deterministic for `seed`
/// (`gen_leads`, and the SQL tests' 20,000-lead example).
#[allow(dead_code)]
pub fn write_leads(out: &mut impl std::io::Write, count: u64, seed: u64) -> std::io::Result<()> {
    let mut rng = Rng(seed);
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
    Ok(())
}
