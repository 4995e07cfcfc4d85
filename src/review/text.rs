//! The terminal summary of a review.
//!
//! In: a [`Report`]. Out: plain text — the verdict, then one titled table
//! per section, then the flags and candidate rules as sentences — with no
//! colour and no line wider than its content needs.

use super::Tally;
use super::report::{Case, Report, Signal};
use super::table::{Table, fixed2, percent};
use std::fmt::Write;

/// The whole summary.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    summary(&mut out, report);
    verdict(&mut out, report);
    tiers(&mut out, report);
    deciles(&mut out, report);
    cases(&mut out, "Lowest-ranked converters (what did the program miss?)", &report.study.low_converters);
    cases(
        &mut out,
        "Highest-ranked non-converters (what does the program overrate?)",
        &report.study.high_non_converters,
    );
    rules(&mut out, report);
    signals(&mut out, report);
    errors(&mut out, report);
    out
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}");
}

fn summary(out: &mut String, report: &Report) {
    let s = &report.summary;
    let open = if s.open.rows > 0 { format!("{} open, ", s.open.rows) } else { String::new() };
    let _ = writeln!(
        out,
        "review of {} records: {} analysed, {open}{} row error{}",
        s.records,
        s.rows,
        s.row_errors,
        if s.row_errors == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        out,
        "{} converted ({}), {} did not ({} with an empty outcome)",
        s.converters,
        percent(s.conversion_rate),
        s.non_converters,
        s.empty_outcomes
    );
    if s.unlisted.rows > 0 {
        let _ = writeln!(out, "  not in --won, so counted as not converted: {}", tally_text(&s.unlisted));
    }
    if s.open.rows > 0 {
        let _ = writeln!(out, "  open (--open), so not analysed: {}", tally_text(&s.open));
    }
}

/// The values of a tally with their rows: `` `Closed Lost` 120, `Open` 3 ``,
/// the first few, then how many rows hold the others.
pub(super) fn tally_text(tally: &Tally) -> String {
    const SHOWN: usize = 8;
    let mut parts: Vec<String> =
        tally.values.iter().take(SHOWN).map(|v| format!("`{}` {}", v.value, v.rows)).collect();
    let shown: usize = tally.values.iter().take(SHOWN).map(|v| v.rows).sum();
    let others = tally.rows - shown;
    if others > 0 {
        parts.push(format!("{others} with other values"));
    }
    parts.join(", ")
}

fn verdict(out: &mut String, report: &Report) {
    let v = &report.verdict;
    let word = if v.pass { "PASS" } else { "FAIL" };
    let why = if v.pass {
        "converters average a higher rank than non-converters"
    } else if report.summary.converters == 0 || report.summary.non_converters == 0 {
        "the history needs both converters and non-converters"
    } else {
        "converters do not average a higher rank than non-converters"
    };
    section(out, &format!("{word}: {why}"));
    let mut t = Table::new(&["average", ">converters", ">non-converters"]);
    t.row(vec!["score".into(), fixed2(v.converters_score), fixed2(v.non_converters_score)]);
    t.row(vec![
        "rank (score without segment)".into(),
        fixed2(v.converters_rank),
        fixed2(v.non_converters_rank),
    ]);
    t.row(vec!["points".into(), fixed2(v.converters_points), fixed2(v.non_converters_points)]);
    out.push_str(&t.render());
    let auc = report.auc.map_or_else(|| "n/a".to_string(), |a| format!("{a:.3}"));
    let _ = writeln!(out, "  ROC AUC of the rank: {auc} (0.5 = no better than chance, 1 = perfect)");
}

fn tiers(out: &mut String, report: &Report) {
    section(out, "Conversion by tier");
    let mut t = Table::new(&["tier", ">leads", ">converted", ">rate"]);
    for g in &report.tiers {
        t.row(vec![g.name.clone(), g.leads.to_string(), g.converters.to_string(), percent(g.rate)]);
    }
    out.push_str(&t.render());
}

fn deciles(out: &mut String, report: &Report) {
    section(out, "Conversion by rank decile, and cumulative gains (call the top deciles first)");
    let mut t = Table::new(&[
        ">decile",
        ">ranks",
        ">leads",
        ">converted",
        ">rate",
        ">leads so far",
        ">gain",
        ">lift",
    ]);
    for d in &report.deciles {
        t.row(vec![
            d.decile.to_string(),
            format!("{}..{}", d.min_rank, d.max_rank),
            d.leads.to_string(),
            d.converters.to_string(),
            percent(d.rate),
            percent(d.cumulative_leads),
            percent(d.gain),
            fixed2(d.cumulative_lift),
        ]);
    }
    out.push_str(&t.render());
}

fn cases(out: &mut String, title: &str, cases: &[Case]) {
    section(out, title);
    if cases.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let by_line = cases.iter().all(|c| c.fired_lines.iter().all(|l| *l > 0));
    let fired_title = if by_line { "rules fired (program lines)" } else { "rules fired" };
    let mut t = Table::new(&["id", ">input line", ">score", ">points", "tier", fired_title]);
    for c in cases {
        let fired = if c.fired.is_empty() {
            "-".to_string()
        } else if by_line {
            c.fired_lines.iter().map(usize::to_string).collect::<Vec<_>>().join(" ")
        } else {
            c.fired.join("; ")
        };
        t.row(vec![
            c.id.clone(),
            c.line.to_string(),
            c.score.to_string(),
            c.points.to_string(),
            c.tier.clone(),
            fired,
        ]);
    }
    out.push_str(&t.render());
}

fn rules(out: &mut String, report: &Report) {
    section(out, "Rules: conversion when each fires, and lift over the overall rate");
    let mut t =
        Table::new(&[">line", "rule", ">max points", ">fires", ">rate fired", ">rate not", ">lift", "flag"]);
    for r in &report.rules {
        t.row(vec![
            line(r.line),
            r.text.clone(),
            r.max_points.to_string(),
            r.fires.to_string(),
            percent(r.rate_fired),
            percent(r.rate_not_fired),
            fixed2(r.lift),
            r.flag.map_or("", super::RuleFlag::label).into(),
        ]);
    }
    out.push_str(&t.render());
    for (r, flag) in report.rules.iter().filter_map(|r| Some((r, r.flag?))) {
        let _ = writeln!(out, "  line {}: `{}`: {}", line(r.line), r.text, flag.advice());
    }
}

fn signals(out: &mut String, report: &Report) {
    section(out, "Signals no rule uses (best condition per field or behaviour)");
    if report.signals.is_empty() {
        out.push_str("  none with enough leads to judge\n");
        return;
    }
    let mut t = Table::new(&["condition", ">leads", ">rate", ">rate others", ">lift", ">z", "candidate"]);
    for s in &report.signals {
        t.row(vec![
            s.condition.clone(),
            s.support.to_string(),
            percent(s.rate),
            percent(s.rate_others),
            fixed2(s.lift),
            format!("{:.1}", s.z),
            if s.candidate { "YES".into() } else { String::new() },
        ]);
    }
    out.push_str(&t.render());
    for s in report.signals.iter().filter(|s| s.candidate) {
        let _ = writeln!(out, "  candidate rule: {}", suggestion(s));
    }
}

/// A program line number, `-` when not known.
pub fn line(line: usize) -> String {
    if line == 0 { "-".to_string() } else { line.to_string() }
}

/// The rule line a user could add for a candidate signal, points left
/// for the user to choose: `fit country = "CA" : ...`.
pub fn suggested_rule(s: &Signal) -> String {
    match s.kind {
        super::SignalKind::Field => format!("fit {} : ...", s.condition),
        super::SignalKind::Behaviour => {
            format!("behaviour {} : ...", s.condition.strip_suffix(" >= 1").unwrap_or(&s.condition))
        }
    }
}

/// Why a candidate signal is one.
pub fn suggestion_reason(s: &Signal) -> String {
    let verb = if s.lift >= 1.0 { "points" } else { "a penalty" };
    format!(
        "{} leads convert at {} vs {} for the others: give it {verb}",
        s.support,
        percent(s.rate),
        percent(s.rate_others)
    )
}

fn suggestion(s: &Signal) -> String {
    format!("`{}` ({})", suggested_rule(s), suggestion_reason(s))
}

fn errors(out: &mut String, report: &Report) {
    if report.summary.row_errors == 0 {
        return;
    }
    let n = report.summary.row_errors;
    section(out, &format!("Row errors ({n} row{} not analysed)", if n == 1 { "" } else { "s" }));
    for e in &report.errors {
        let _ = writeln!(out, "  {e}");
    }
    let hidden = report.summary.row_errors.saturating_sub(report.errors.len());
    if hidden > 0 {
        let _ = writeln!(out, "  ... and {hidden} more");
    }
}
