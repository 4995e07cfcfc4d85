//! The examples/saas program written by hand in Rust, and a deterministic
//! lead generator, shared by the differential tests and the benchmark.
//!
//! `Saas::score` implements docs/language.md's arithmetic for
//! examples/saas/saas.lead directly; with `extended` it also scores the
//! extra rules of benches/data/bench.lead.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use leadc::lead::{Lead, Value};
use leadc::outcome::{CategoryTotal, Outcome};
use leadc::schema::{FieldType, Schema};

/// Field slots and behaviour slots resolved once.
pub struct Saas {
    f: Fields,
    b: Behaviours,
    na_west: u32,
    na_east: u32,
    it: u32,
    finance: u32,
    /// Score benches/data/bench.lead's extra rules too.
    pub extended: bool,
    senior: u32,
    executive: u32,
}

struct Fields {
    region: usize,
    age: usize,
    department: usize,
    employees: usize,
    industry: usize,
    is_b2b: usize,
    country: usize,
    title: usize,
    budget: usize,
    timeline_days: usize,
    email_domain: usize,
    seniority: usize,
    annual_revenue: usize,
    website: usize,
}

struct Behaviours {
    demo_request: usize,
    free_trial: usize,
    contact_request: usize,
    email_open: usize,
    web_visit: usize,
    pricing_page_view: usize,
    webinar_attended: usize,
    unsubscribe: usize,
    careers_page_view: usize,
    email_click: usize,
    form_submit: usize,
    download: usize,
    event_attended: usize,
    social_share: usize,
    email_reply: usize,
}

fn enum_index(schema: &Schema, field: &str, value: &str) -> u32 {
    let id = schema.field_id(field).unwrap();
    match &schema.field(id).unwrap().ty {
        FieldType::Enum(values) => values.iter().position(|v| v == value).unwrap() as u32,
        _ => unreachable!(),
    }
}

impl Saas {
    /// Resolves the slots in `schema` (the saas schema, or the bench schema
    /// when `extended`).
    pub fn new(schema: &Schema, extended: bool) -> Saas {
        let f = |n: &str| schema.field_id(n).map_or(usize::MAX, |i| i.0 as usize);
        let b = |n: &str| schema.behaviour_id(n).map_or(usize::MAX, |i| i.0 as usize);
        let e = |field: &str, v: &str| {
            if schema.field_id(field).is_some() { enum_index(schema, field, v) } else { 99 }
        };
        Saas {
            f: Fields {
                region: f("region"),
                age: f("age"),
                department: f("department"),
                employees: f("employees"),
                industry: f("industry"),
                is_b2b: f("is_b2b"),
                country: f("country"),
                title: f("title"),
                budget: f("budget"),
                timeline_days: f("timeline_days"),
                email_domain: f("email_domain"),
                seniority: f("seniority"),
                annual_revenue: f("annual_revenue"),
                website: f("website"),
            },
            b: Behaviours {
                demo_request: b("demo_request"),
                free_trial: b("free_trial"),
                contact_request: b("contact_request"),
                email_open: b("email_open"),
                web_visit: b("web_visit"),
                pricing_page_view: b("pricing_page_view"),
                webinar_attended: b("webinar_attended"),
                unsubscribe: b("unsubscribe"),
                careers_page_view: b("careers_page_view"),
                email_click: b("email_click"),
                form_submit: b("form_submit"),
                download: b("download"),
                event_attended: b("event_attended"),
                social_share: b("social_share"),
                email_reply: b("email_reply"),
            },
            na_west: e("region", "NA-West"),
            na_east: e("region", "NA-East"),
            it: e("department", "IT"),
            finance: e("department", "Finance"),
            senior: if extended { e("seniority", "Senior") } else { 99 },
            executive: if extended { e("seniority", "Executive") } else { 99 },
            extended,
        }
    }

    /// Scores a lead, reusing `out`.
    pub fn score(&self, lead: &Lead, out: &mut Outcome) {
        let v = lead.values();
        let c = lead.counts();
        let val = |i: usize| v.get(i).unwrap_or(&Value::Missing);
        let count = |i: usize| i64::from(c.get(i).copied().unwrap_or(0));
        let int = |i: usize| if let Value::Int(x) = val(i) { Some(*x) } else { None };
        let num = |i: usize| if let Value::Number(x) = val(i) { Some(*x) } else { None };
        let text = |i: usize| if let Value::Text(s) = val(i) { Some(s.as_str()) } else { None };
        let en = |i: usize| if let Value::Enum(x) = val(i) { Some(*x) } else { None };
        let f = &self.f;
        let b = &self.b;

        let met = [
            en(f.region).is_some_and(|r| r == self.na_west || r == self.na_east),
            int(f.age).is_some_and(|a| a >= 18),
            en(f.department).is_some_and(|d| d == self.it || d == self.finance),
        ];
        let requires_met = met.iter().filter(|m| **m).count() as u32;
        let segment = match int(f.employees) {
            Some(e) if e < 50 => 1,
            Some(e) if (50..=999).contains(&e) => 2,
            Some(e) if e >= 1000 => 3,
            _ => 0,
        };
        let pts = |cond: bool, p: i64| if cond { p } else { 0 };
        let title = text(f.title);

        let mut good =
            pts(text(f.industry).is_some_and(|s| ["Software", "Finance", "Healthcare"].contains(&s)), 10)
                + pts(matches!(val(f.is_b2b), Value::Bool(true)), 8)
                + pts(text(f.country) == Some("US"), 4)
                + pts(int(f.employees).is_some_and(|e| (100..=4999).contains(&e)), 5);
        let mut ideal = pts(title == Some("C-level"), 15)
            + pts(title == Some("VP"), 12)
            + pts(title.is_some_and(|t| t == "Director" || t == "Project Manager"), 10)
            + pts(num(f.budget).is_some_and(|x| x >= 50000.0), 10)
            + pts(int(f.timeline_days).is_some_and(|d| d <= 90), 8);
        let critical = pts(count(b.demo_request) >= 1, 20)
            + pts(count(b.free_trial) >= 1, 20)
            + pts(count(b.contact_request) >= 1, 10);
        let mut interest = count(b.email_open).min(5)
            + count(b.web_visit).min(10)
            + (3 * count(b.pricing_page_view)).min(9)
            + pts(count(b.webinar_attended) >= 2, 10);
        let mut penalties = pts(count(b.unsubscribe) >= 1, -20)
            + (-5 * count(b.careers_page_view)).max(-15)
            + pts(text(f.email_domain).is_some_and(|d| d == "gmail.com" || d == "yahoo.com"), -10);

        if self.extended {
            good += pts(text(f.country).is_some_and(|s| ["US", "CA", "GB", "DE"].contains(&s)), 3)
                + pts(num(f.annual_revenue).is_some_and(|r| (1_000_000.0..=50_000_000.0).contains(&r)), 4);
            ideal += pts(en(f.seniority).is_some_and(|s| s == self.senior || s == self.executive), 6)
                + pts(title.is_some_and(|t| t.starts_with("Head of")), 8)
                + pts(
                    matches!(val(f.is_b2b), Value::Bool(true))
                        && num(f.budget).is_some_and(|x| x >= 100000.0),
                    5,
                );
            interest += (2 * count(b.email_click)).min(8)
                + pts(count(b.form_submit) >= 1, 5)
                + (2 * count(b.download)).min(6)
                + pts(count(b.event_attended) >= 1, 8)
                + count(b.social_share).min(3)
                + pts(count(b.email_reply) >= 1, 4);
            penalties += pts(matches!(val(f.website), Value::Missing), -5)
                + pts(text(f.email_domain).is_some_and(|d| d.ends_with(".edu")), -8)
                + pts(
                    en(f.department).is_some_and(|d| d != self.it && d != self.finance)
                        && (text(f.title) == Some("Intern") || text(f.title) == Some("Student")),
                    -4,
                );
        }

        let raw = [good, ideal, critical, interest, penalties];
        let caps = [Some(25), Some(25), Some(25), Some(25), None];
        out.categories.clear();
        let mut sum = 0;
        for (raw, cap) in raw.into_iter().zip(caps) {
            let capped = cap.map_or(raw, |m: i64| raw.min(m));
            sum += capped;
            out.categories.push(CategoryTotal { raw, capped });
        }
        out.points = sum.clamp(0, 99);
        out.requires_met = requires_met;
        out.qualified = requires_met == 3;
        out.segment = segment;
        out.score = i64::from(segment) * 1000 + 100 * i64::from(requires_met) + out.points;
        out.tier = Some(if out.qualified && out.points >= 60 {
            0
        } else if out.points >= 30 {
            1
        } else {
            2
        });
    }
}

/// A small deterministic PRNG (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// Seeded; a zero seed is replaced.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Fills `lead` with random values for every field of `schema` (missing one
/// time in eight) and random behaviour counts, near the thresholds the saas
/// programs test.
pub fn random_lead(rng: &mut Rng, schema: &Schema, lead: &mut Lead) {
    lead.clear();
    for (i, field) in schema.fields().iter().enumerate() {
        let id = leadc::schema::FieldId(i as u32);
        if rng.below(8) == 0 {
            continue;
        }
        let value = match (&field.ty, field.name.as_str()) {
            (FieldType::Enum(values), _) => Value::Enum(rng.below(values.len() as u64) as u32),
            (FieldType::Bool, _) => Value::Bool(rng.below(2) == 0),
            (FieldType::Int, "age") => Value::Int(rng.below(40) as i64 + 5),
            (FieldType::Int, "employees") => Value::Int(
                *[10, 49, 50, 99, 100, 999, 1000, 4999, 5000, 20000].get(rng.below(10) as usize).unwrap(),
            ),
            (FieldType::Int, _) => Value::Int(rng.below(200) as i64 - 10),
            (FieldType::Number, _) => Value::Number(
                *[0.0, 49999.5, 50000.0, 100000.0, 1e6, 5e7, 5.1e7].get(rng.below(7) as usize).unwrap(),
            ),
            (FieldType::String, "industry") => {
                Value::Text(rng.pick(&["Software", "Finance", "Healthcare", "Retail", "software"]).into())
            }
            (FieldType::String, "country") => {
                Value::Text(rng.pick(&["US", "CA", "GB", "DE", "FR", "us"]).into())
            }
            (FieldType::String, "title") => Value::Text(
                rng.pick(&[
                    "C-level",
                    "VP",
                    "Director",
                    "Project Manager",
                    "Head of Sales",
                    "Intern",
                    "Student",
                    "Engineer",
                ])
                .into(),
            ),
            (FieldType::String, "email_domain") => {
                Value::Text(rng.pick(&["gmail.com", "yahoo.com", "acme.com", "mit.edu", "edu.org"]).into())
            }
            (FieldType::String, _) => Value::Text(rng.pick(&["a", "example.com", ""]).into()),
        };
        lead.set(id, value);
    }
    for i in 0..schema.behaviours().len() {
        let count = match rng.below(4) {
            0 => 0,
            1 => 1,
            2 => rng.below(4) as u32,
            _ => rng.below(15) as u32,
        };
        lead.set_count(leadc::schema::BehaviourId(i as u32), count);
    }
}
