//! The benchmark program (benches/data/bench.lead) over a plain Rust
//! struct: the fair baseline for the VM and the batch engine.
//!
//! `PlainLead` is what a Rust programmer would write for these leads without
//! leadc: Rust enums, `Option` for missing values, owned strings, counts as
//! named integers. `score` is the program by hand, following
//! docs/language.md's arithmetic, with no leadc type on its path. The
//! benchmark compares leadc against it, and checks that both give the same
//! outcome for every lead.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use leadc::lead::{Lead, Value};
use leadc::outcome::Outcome;
use leadc::schema::{BehaviourId, FieldId, FieldType, Schema};

/// `region`'s values, in the schema's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    NaWest,
    NaEast,
    Emea,
    Apac,
    Latam,
}

/// `department`'s values, in the schema's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Department {
    It,
    Finance,
    Marketing,
    Sales,
    Hr,
    Operations,
}

/// `seniority`'s values, in the schema's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seniority {
    Junior,
    Mid,
    Senior,
    Executive,
}

const REGIONS: [(Region, &str); 5] = [
    (Region::NaWest, "NA-West"),
    (Region::NaEast, "NA-East"),
    (Region::Emea, "EMEA"),
    (Region::Apac, "APAC"),
    (Region::Latam, "LATAM"),
];
const DEPARTMENTS: [(Department, &str); 6] = [
    (Department::It, "IT"),
    (Department::Finance, "Finance"),
    (Department::Marketing, "Marketing"),
    (Department::Sales, "Sales"),
    (Department::Hr, "HR"),
    (Department::Operations, "Operations"),
];
const SENIORITIES: [(Seniority, &str); 4] = [
    (Seniority::Junior, "Junior"),
    (Seniority::Mid, "Mid"),
    (Seniority::Senior, "Senior"),
    (Seniority::Executive, "Executive"),
];

/// A lead's behaviour counts.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub demo_request: u32,
    pub free_trial: u32,
    pub contact_request: u32,
    pub email_open: u32,
    pub web_visit: u32,
    pub pricing_page_view: u32,
    pub webinar_attended: u32,
    pub unsubscribe: u32,
    pub careers_page_view: u32,
    pub email_click: u32,
    pub form_submit: u32,
    pub download: u32,
    pub event_attended: u32,
    pub social_share: u32,
    pub email_reply: u32,
}

/// One lead of the bench schema; `None` is a missing value.
#[derive(Clone, Debug, Default)]
pub struct PlainLead {
    pub region: Option<Region>,
    pub age: Option<i64>,
    pub department: Option<Department>,
    pub employees: Option<i64>,
    pub industry: Option<String>,
    pub is_b2b: Option<bool>,
    pub country: Option<String>,
    pub title: Option<String>,
    pub budget: Option<f64>,
    pub timeline_days: Option<i64>,
    pub email_domain: Option<String>,
    pub seniority: Option<Seniority>,
    pub annual_revenue: Option<f64>,
    pub website: Option<String>,
    pub counts: Counts,
}

/// What the program gives a lead, as plain values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlainOutcome {
    pub score: i64,
    pub points: i64,
    pub requires_met: u32,
    pub qualified: bool,
    pub segment: u32,
    /// 0 `sales_ready`, 1 `nurture`, 2 `cold`.
    pub tier: u32,
    /// good_fit, ideal, critical, interest, penalties, after their caps.
    pub categories: [i64; 5],
}

impl PlainOutcome {
    /// A leadc outcome of the bench program in plain form, to compare with
    /// [`score`]'s (a missing tier reads as `u32::MAX`).
    pub fn of(outcome: &Outcome) -> PlainOutcome {
        assert_eq!(outcome.categories.len(), 5, "the bench program has five categories");
        PlainOutcome {
            score: outcome.score,
            points: outcome.points,
            requires_met: outcome.requires_met,
            qualified: outcome.qualified,
            segment: u32::from(outcome.segment),
            tier: outcome.tier.map_or(u32::MAX, |t| t as u32),
            categories: std::array::from_fn(|i| outcome.categories[i].capped),
        }
    }
}

fn points(cond: bool, p: i64) -> i64 {
    if cond { p } else { 0 }
}

fn one_of(s: &Option<String>, values: &[&str]) -> bool {
    s.as_deref().is_some_and(|s| values.contains(&s))
}

/// Scores `l` by benches/data/bench.lead, written out by hand.
pub fn score(l: &PlainLead) -> PlainOutcome {
    let c = &l.counts;
    let requires_met = u32::from(matches!(l.region, Some(Region::NaWest | Region::NaEast)))
        + u32::from(l.age.is_some_and(|a| a >= 18))
        + u32::from(matches!(l.department, Some(Department::It | Department::Finance)));
    let segment = match l.employees {
        Some(e) if e < 50 => 1,
        Some(e) if e <= 999 => 2,
        Some(_) => 3,
        None => 0,
    };
    let b2b = l.is_b2b == Some(true);
    let title = l.title.as_deref();
    let good_fit = points(one_of(&l.industry, &["Software", "Finance", "Healthcare"]), 10)
        + points(b2b, 8)
        + points(l.country.as_deref() == Some("US"), 4)
        + points(l.employees.is_some_and(|e| (100..=4999).contains(&e)), 5)
        + points(one_of(&l.country, &["US", "CA", "GB", "DE"]), 3)
        + points(l.annual_revenue.is_some_and(|r| (1_000_000.0..=50_000_000.0).contains(&r)), 4);
    let ideal = points(title == Some("C-level"), 15)
        + points(title == Some("VP"), 12)
        + points(matches!(title, Some("Director" | "Project Manager")), 10)
        + points(l.budget.is_some_and(|b| b >= 50_000.0), 10)
        + points(l.timeline_days.is_some_and(|d| d <= 90), 8)
        + points(matches!(l.seniority, Some(Seniority::Senior | Seniority::Executive)), 6)
        + points(title.is_some_and(|t| t.starts_with("Head of")), 8)
        + points(b2b && l.budget.is_some_and(|b| b >= 100_000.0), 5);
    let critical =
        points(c.demo_request >= 1, 20) + points(c.free_trial >= 1, 20) + points(c.contact_request >= 1, 10);
    let each = |count: u32, p: i64, max: i64| (i64::from(count) * p).min(max);
    let interest = each(c.email_open, 1, 5)
        + each(c.web_visit, 1, 10)
        + each(c.pricing_page_view, 3, 9)
        + points(c.webinar_attended >= 2, 10)
        + each(c.email_click, 2, 8)
        + points(c.form_submit >= 1, 5)
        + each(c.download, 2, 6)
        + points(c.event_attended >= 1, 8)
        + each(c.social_share, 1, 3)
        + points(c.email_reply >= 1, 4);
    let penalties = points(c.unsubscribe >= 1, -20)
        + (-5 * i64::from(c.careers_page_view)).max(-15)
        + points(one_of(&l.email_domain, &["gmail.com", "yahoo.com"]), -10)
        + points(l.website.is_none(), -5)
        + points(l.email_domain.as_deref().is_some_and(|d| d.ends_with(".edu")), -8)
        + points(
            matches!(l.department, Some(d) if d != Department::It && d != Department::Finance)
                && matches!(title, Some("Intern" | "Student")),
            -4,
        );
    let categories = [good_fit.min(25), ideal.min(25), critical.min(25), interest.min(25), penalties];
    let points = categories.iter().sum::<i64>().clamp(0, 99);
    let qualified = requires_met == 3;
    let tier = if qualified && points >= 60 {
        0
    } else if points >= 30 {
        1
    } else {
        2
    };
    PlainOutcome {
        score: i64::from(segment) * 1000 + 100 * i64::from(requires_met) + points,
        points,
        requires_met,
        qualified,
        segment,
        tier,
        categories,
    }
}

/// The bench schema's field and behaviour ids, resolved once, to copy
/// plain leads into leadc's `Lead` and back.
pub struct Slots {
    fields: [FieldId; 14],
    behaviours: [BehaviourId; 15],
}

const FIELDS: [&str; 14] = [
    "region",
    "age",
    "department",
    "employees",
    "industry",
    "is_b2b",
    "country",
    "title",
    "budget",
    "timeline_days",
    "email_domain",
    "seniority",
    "annual_revenue",
    "website",
];

const BEHAVIOURS: [&str; 15] = [
    "demo_request",
    "free_trial",
    "contact_request",
    "email_open",
    "web_visit",
    "pricing_page_view",
    "webinar_attended",
    "unsubscribe",
    "careers_page_view",
    "email_click",
    "form_submit",
    "download",
    "event_attended",
    "social_share",
    "email_reply",
];

fn enum_values(schema: &Schema, field: FieldId) -> Vec<String> {
    match &schema.field(field).unwrap().ty {
        FieldType::Enum(values) => values.clone(),
        other => panic!("{field:?} is {other:?}, not an enum"),
    }
}

impl Slots {
    /// Resolves the ids in `schema` (benches/data/bench.schema.toml) and
    /// checks that its enums list their values in the order of the Rust
    /// enums above.
    pub fn new(schema: &Schema) -> Slots {
        let fields = FIELDS.map(|n| schema.field_id(n).unwrap());
        let behaviours = BEHAVIOURS.map(|n| schema.behaviour_id(n).unwrap());
        let names = |table: &[&str]| table.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(enum_values(schema, fields[0]), names(&REGIONS.map(|r| r.1)));
        assert_eq!(enum_values(schema, fields[2]), names(&DEPARTMENTS.map(|r| r.1)));
        assert_eq!(enum_values(schema, fields[11]), names(&SENIORITIES.map(|r| r.1)));
        Slots { fields, behaviours }
    }

    /// The plain form of a generated `lead` (every value of its field's
    /// type, as tests/common/saas.rs's generator makes them).
    pub fn plain(&self, lead: &Lead) -> PlainLead {
        let v = |i: usize| lead.value(self.fields[i]);
        let int = |i| if let Value::Int(x) = v(i) { Some(*x) } else { None };
        let num = |i| if let Value::Number(x) = v(i) { Some(*x) } else { None };
        let text = |i| if let Value::Text(s) = v(i) { Some(s.clone()) } else { None };
        let bool = |i| if let Value::Bool(b) = v(i) { Some(*b) } else { None };
        let en = |i| if let Value::Enum(x) = v(i) { Some(*x as usize) } else { None };
        let n = |i: usize| lead.count(self.behaviours[i]);
        PlainLead {
            region: en(0).map(|x| REGIONS[x].0),
            age: int(1),
            department: en(2).map(|x| DEPARTMENTS[x].0),
            employees: int(3),
            industry: text(4),
            is_b2b: bool(5),
            country: text(6),
            title: text(7),
            budget: num(8),
            timeline_days: int(9),
            email_domain: text(10),
            seniority: en(11).map(|x| SENIORITIES[x].0),
            annual_revenue: num(12),
            website: text(13),
            counts: Counts {
                demo_request: n(0),
                free_trial: n(1),
                contact_request: n(2),
                email_open: n(3),
                web_visit: n(4),
                pricing_page_view: n(5),
                webinar_attended: n(6),
                unsubscribe: n(7),
                careers_page_view: n(8),
                email_click: n(9),
                form_submit: n(10),
                download: n(11),
                event_attended: n(12),
                social_share: n(13),
                email_reply: n(14),
            },
        }
    }

    /// Fills the reused `lead` from `l` through leadc's row API, as an
    /// embedder holding plain structs would: `clear`, then `set` per present
    /// value (`set_str` for strings, which reuses the field's buffer) and
    /// `set_count` per behaviour.
    pub fn fill(&self, l: &PlainLead, lead: &mut Lead) {
        let f = &self.fields;
        lead.clear();
        let mut put = |i: usize, value: Option<Value>| {
            if let Some(value) = value {
                lead.set(f[i], value);
            }
        };
        put(0, l.region.map(|r| Value::Enum(r as u32)));
        put(1, l.age.map(Value::Int));
        put(2, l.department.map(|d| Value::Enum(d as u32)));
        put(3, l.employees.map(Value::Int));
        put(5, l.is_b2b.map(Value::Bool));
        put(8, l.budget.map(Value::Number));
        put(9, l.timeline_days.map(Value::Int));
        put(11, l.seniority.map(|s| Value::Enum(s as u32)));
        put(12, l.annual_revenue.map(Value::Number));
        for (i, s) in
            [(4, &l.industry), (6, &l.country), (7, &l.title), (10, &l.email_domain), (13, &l.website)]
        {
            if let Some(s) = s {
                lead.set_str(f[i], s);
            }
        }
        let c = &l.counts;
        let counts = [
            c.demo_request,
            c.free_trial,
            c.contact_request,
            c.email_open,
            c.web_visit,
            c.pricing_page_view,
            c.webinar_attended,
            c.unsubscribe,
            c.careers_page_view,
            c.email_click,
            c.form_submit,
            c.download,
            c.event_attended,
            c.social_share,
            c.email_reply,
        ];
        for (id, count) in self.behaviours.iter().zip(counts) {
            lead.set_count(*id, count);
        }
    }
}
