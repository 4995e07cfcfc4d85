//! Property test: for random timed rules, events and instants, the VM's
//! points for each rule equal a direct, written-out reading of
//! `docs/language.md`, "Time" (filter, count, weigh, round, cap) — computed
//! here over the source text's numbers, not through the compiler.

use leadc::diag::Sources;
use leadc::load::{SchemaSource, check_source};

use leadc::program::Program;
use leadc::schema::Schema;
use proptest::prelude::*;
use std::sync::Arc;

const HOUR: i64 = 3600;

#[derive(Debug, Clone)]
struct Case {
    points: i64,
    min: u32,
    each: bool,
    cap: Option<i64>,
    window_h: Option<i64>,
    decay: (u8, i64),
    events: Vec<i64>,
    as_of: i64,
}

fn case() -> impl Strategy<Value = Case> {
    let as_of = 1_000_000 * HOUR;
    (
        prop_oneof![-50i64..=-1, 1i64..=50],
        1u32..=4,
        any::<bool>(),
        proptest::option::of(1i64..=60),
        proptest::option::of(1i64..=24 * 60),
        (0u8..=3, 1i64..=24 * 90),
        proptest::collection::vec(-24 * 120 * HOUR..=24 * HOUR, 0..12),
        any::<bool>(),
    )
        .prop_map(move |(points, min, each, cap, window_h, decay, offsets, whole)| {
            // Some events land exactly on hour boundaries: window ends and expiry ages.
            let events = offsets.iter().map(|o| as_of + if whole { o / HOUR * HOUR } else { *o }).collect();
            let cap = if each { cap.map(|c| c * points.signum()) } else { None };
            Case { points, min, each, cap, window_h, decay, events, as_of }
        })
}

fn source(c: &Case) -> String {
    let mut rule = format!("behaviour visit >= {} : {}", c.min, c.points);
    if c.each {
        rule.push_str(" each");
        if let Some(cap) = c.cap {
            rule.push_str(&format!(" max {cap}"));
        }
    }
    if let Some(w) = c.window_h {
        rule.push_str(&format!(" within {w}h"));
    }
    match c.decay {
        (1, h) => rule.push_str(&format!(" decay half_life {h}h")),
        (2, h) => rule.push_str(&format!(" decay linear {h}h")),
        (3, h) => rule.push_str(&format!(" expire {h}h")),
        _ => {}
    }
    format!("category c\n{rule}\n")
}

/// The documented arithmetic, step by step.
fn expected(c: &Case) -> i64 {
    let past: Vec<i64> = c.events.iter().copied().filter(|&t| t <= c.as_of).collect();
    let counted: Vec<i64> = match c.window_h {
        Some(w) => past.into_iter().filter(|&t| t > c.as_of - w * HOUR).collect(),
        None => past,
    };
    if (counted.len() as u32) < c.min {
        return 0;
    }
    // Each weight as a fraction over the decay's one denominator: exact for
    // linear and expire, and for a half-life the float `2^(-a / d)` to 64
    // binary places.
    let d = c.decay.1 * HOUR;
    let one = 1i128 << 64;
    let denominator = match c.decay.0 {
        1 => one,
        2 => i128::from(d),
        _ => 1,
    };
    let weight = |t: i64| -> i128 {
        let age = c.as_of - t;
        match c.decay.0 {
            1 => ((-age as f64 / d as f64).exp2() * one as f64) as i128,
            2 => i128::from((d - age).max(0)),
            3 => i128::from(age <= d),
            _ => 1,
        }
    };
    // n × sum / denominator, to the nearest integer, halves away from zero:
    // the sign of n times floor((2|n × sum| + denominator) / (2 denominator)).
    let round = |sum: i128| -> i64 {
        let x = i128::from(c.points) * sum;
        (x.signum() * ((2 * x.abs() + denominator) / (2 * denominator))) as i64
    };
    if !c.each {
        let newest = counted.iter().copied().max().unwrap();
        return round(weight(newest));
    }
    let total = round(counted.iter().map(|&t| weight(t)).sum::<i128>());
    match c.cap {
        Some(m) if c.points > 0 => total.min(m),
        Some(m) => total.max(m),
        None => total,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_vm_follows_the_documented_arithmetic(c in case()) {
        let schema = Arc::new(Schema::from_toml("events = [\"visit\"]").unwrap());
        let mut sources = Sources::new();
        let text = source(&c);
        let card = check_source(&mut sources, "p.lead", &text, SchemaSource::Given(schema)).unwrap();
        let program = Program::compile(&card);
        let loaded = Program::from_bytes(&program.to_bytes()).unwrap();
        let mut lead = program.new_lead();
        lead.set_events(program.schema().behaviour_id("visit").unwrap(), &c.events);
        let (_, why) = loaded.explain_at(&lead, c.as_of);
        prop_assert_eq!(why.rules[0].points, expected(&c), "{}", text);
        let future = c.events.iter().filter(|&&t| t > c.as_of).count() as u32;
        prop_assert_eq!(why.times[0].unwrap().future, future);
    }
}
