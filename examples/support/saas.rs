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
