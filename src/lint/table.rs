//! Renders a [`BudgetReport`] as a plain-text table with bars.
//!
//! In: a budget report. Out: fixed-width text, one line per category and
//! rule, with `#` bars for shares, so the output is the same width whatever
//! the terminal (long rules are shortened with `...`).

use super::budget::{BudgetReport, CategoryBudget, Dimension, Reach, RuleBudget, Split, num};
use std::fmt::Write;

/// Width of the first column.
const NAME: usize = 44;
/// Width of a bar at 100%.
const BAR: usize = 20;

impl BudgetReport {
    /// The report as a fixed-width text table.
    pub fn render_table(&self) -> String {
        let mut out = String::new();
        let layout = if self.digit_layout {
            format!("digit layout, {} must-have(s)", self.requires)
        } else {
            "no digit layout".to_string()
        };
        let capped = self.categories.iter().filter(|c| c.max.is_some()).count();
        line(&mut out, format!("scale: points 0..={} ({layout})", self.scale));
        line(&mut out, format!("budget: {} points in {capped} capped categories", self.budget));
        line(&mut out, format!("reachable: {} of {} points", self.reachable_points, self.scale));
        line(&mut out, String::new());
        line(
            &mut out,
            format!("{:<NAME$} {:>5} {:>6} {:>6} {:>6}", "category / rule", "max", "reach", "least", "share"),
        );
        for c in &self.categories {
            category(&mut out, c);
        }
        line(&mut out, String::new());
        split(&mut out, "fit", "behaviour", &self.dimensions, "of the budget");
        split(&mut out, "critical", "other", &self.behaviour, "of behaviour");
        line(&mut out, String::new());
        line(
            &mut out,
            "reach: the most a category's or rule's rules can add (a category before its max)".to_string(),
        );
        line(
            &mut out,
            "share: a category's part of the budget; a rule's part of its category's reach".to_string(),
        );
        out
    }
}

fn line(out: &mut String, text: String) {
    let _ = writeln!(out, "{}", text.trim_end());
}

fn category(out: &mut String, c: &CategoryBudget) {
    let kind = match c.dimension {
        Dimension::Fit => "fit",
        Dimension::Behaviour => "behaviour",
        Dimension::Mixed => "mixed",
        Dimension::Penalty => "penalty",
        Dimension::Empty => "empty",
    };
    let max = c.max.map_or("-".to_string(), |m| m.to_string());
    let share = if c.effective > 0 { format!("{:.1}%", c.share) } else { "-".to_string() };
    let name = shorten(&format!("{} ({kind})", c.name), NAME);
    line(
        out,
        format!(
            "{name:<NAME$} {max:>5} {:>6} {:>6} {share:>6}  {}",
            reach(c.reach),
            reach_least(c.least),
            if c.effective > 0 { bar(c.share) } else { String::new() }
        ),
    );
    for r in &c.rules {
        rule(out, r);
    }
    for n in &c.notes {
        line(out, format!("  note: {n}"));
    }
}

fn rule(out: &mut String, r: &RuleBudget) {
    let name = shorten(&r.rule, NAME - 2);
    let (max, least) = (reach(r.max), reach_least(r.min));
    let max = if r.max == Reach::Points(0) { String::new() } else { max };
    let least = if r.min == Reach::Points(0) { String::new() } else { least };
    let share = if r.max == Reach::Points(0) { String::new() } else { format!("{:.1}%", r.share) };
    line(out, format!("  {name:<w$} {:>5} {max:>6} {least:>6} {share:>6}", "", w = NAME - 2));
}

fn split(out: &mut String, first: &str, second: &str, s: &Split, of: &str) {
    let width = 10;
    line(
        out,
        format!("{first:<width$} {:>6} {:>6.1}%  {}  {of}", num(s.first), s.first_share, bar(s.first_share)),
    );
    line(
        out,
        format!(
            "{second:<width$} {:>6} {:>6.1}%  {}  {of}",
            num(s.second),
            s.second_share(),
            bar(s.second_share())
        ),
    );
}

fn reach(r: Reach) -> String {
    match r {
        Reach::Points(p) => p.to_string(),
        Reach::Unbounded => "inf".to_string(),
    }
}

fn reach_least(r: Reach) -> String {
    match r {
        Reach::Points(p) => p.to_string(),
        Reach::Unbounded => "-inf".to_string(),
    }
}

/// `#####...............` for a percentage.
fn bar(percent: f64) -> String {
    let filled = ((percent.clamp(0.0, 100.0) / 100.0) * BAR as f64).round() as usize;
    format!("{}{}", "#".repeat(filled), ".".repeat(BAR - filled.min(BAR)))
}

/// `text` cut to `width` characters, ending in `...` when cut.
fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(3)).collect();
    format!("{kept}...")
}
