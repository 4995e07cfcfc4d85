//! The HTML page of a program diff: one self-contained page.
//!
//! In: a [`Diff`], a title and the budget reports' line diff. Out: an HTML
//! document in the review page's style: summary cards, the transition
//! matrix, charts (points before and after, category means, and with
//! outcomes both programs' gains curves), the leads that change tier,
//! the quantiles and the budget diff. It fetches nothing.

use super::diff::Diff;
use super::html::{figure, page, table};
use super::svg::{self, Series, escape};
use std::fmt::Write;

const OLD: &str = "#d9822b";
const NEW: &str = "#3b6ea8";

/// The whole page.
pub fn render_diff_html(diff: &Diff, title: &str, budget_diff: &str) -> String {
    page(title, |out| {
        cards(out, diff);
        matrix(out, diff);
        charts(out, diff);
        moves(out, diff);
        quantiles(out, diff);
        out.push_str("<h2>Budget (leadc lint --report)</h2>");
        if budget_diff.is_empty() {
            out.push_str("<p class=\"sub\">Unchanged.</p>");
        } else {
            let _ = write!(out, "<pre><code>{}</code></pre>", escape(budget_diff));
        }
    })
}

fn cards(out: &mut String, diff: &Diff) {
    let share = |n: usize| if diff.leads == 0 { 0.0 } else { n as f64 / diff.leads as f64 };
    let mut cards = vec![
        (diff.leads.to_string(), "leads scored by both".to_string()),
        (format!("{} ({})", diff.changed, svg::percent(share(diff.changed))), "change tier".to_string()),
        (diff.rescored.to_string(), "change score".to_string()),
    ];
    if let Some(o) = &diff.outcomes {
        let auc = |a: Option<f64>| a.map_or("-".to_string(), |a| format!("{a:.3}"));
        cards.push((format!("{} → {}", auc(o.old_auc), auc(o.new_auc)), "AUC, old → new".to_string()));
    } else if diff.unpaired > 0 {
        cards.push((diff.unpaired.to_string(), "leads only one program could read".to_string()));
    }
    out.push_str("<div class=\"cards\">");
    for (value, what) in cards {
        let _ =
            write!(out, "<div class=\"card\"><b>{}</b><span>{}</span></div>", escape(&value), escape(&what));
    }
    out.push_str("</div>");
}

fn matrix(out: &mut String, diff: &Diff) {
    out.push_str("<h2>Tier moves: old tier (rows) by new tier (columns)</h2>");
    let header: Vec<String> =
        std::iter::once(String::new()).chain(diff.new_tiers.iter().map(|t| format!(">{t}"))).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<(bool, Vec<String>)> = diff
        .transitions
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let name = diff.old_tiers.get(i).cloned().unwrap_or_default();
            let cells = std::iter::once(escape(&name)).chain(row.iter().map(|n| n.to_string())).collect();
            (false, cells)
        })
        .collect();
    table(out, &header, &rows);
}

fn charts(out: &mut String, diff: &Diff) {
    out.push_str("<h2>Charts</h2><div class=\"charts\">");
    let labels: Vec<String> = diff.points_bins.iter().map(|b| b.lo.to_string()).collect();
    let series = [
        Series { name: "old", color: OLD, values: diff.points_bins.iter().map(|b| b.old as f64).collect() },
        Series { name: "new", color: NEW, values: diff.points_bins.iter().map(|b| b.new as f64).collect() },
    ];
    let count = |v: f64| format!("{v:.0}");
    figure(
        out,
        "Leads by points, old and new",
        &svg::bars(
            "leads by points",
            &labels,
            &series,
            "points (bin start; the last bin holds 90–100)",
            &count,
        ),
    );
    // Penalty categories (negative means) are in the table below.
    let shown: Vec<_> = diff
        .categories
        .iter()
        .filter(|c| c.old_mean.unwrap_or(0.0) >= 0.0 && c.new_mean.unwrap_or(0.0) >= 0.0)
        .collect();
    let labels: Vec<String> = shown.iter().map(|c| c.name.clone()).collect();
    let series = [
        Series { name: "old", color: OLD, values: shown.iter().map(|c| c.old_mean.unwrap_or(0.0)).collect() },
        Series { name: "new", color: NEW, values: shown.iter().map(|c| c.new_mean.unwrap_or(0.0)).collect() },
    ];
    let mean = |v: f64| format!("{v:.1}");
    let chart = svg::bars("category means", &labels, &series, "category", &mean);
    figure(out, "Mean category total, old and new (penalties: see the table)", &chart);
    if let Some(o) = &diff.outcomes {
        let lines = [("old", OLD, o.old_gains.as_slice()), ("new", NEW, o.new_gains.as_slice())];
        figure(
            out,
            "Cumulative gains: converters found vs leads called",
            &svg::gains_lines("gains curves", &lines),
        );
    }
    out.push_str("</div>");
}

fn moves(out: &mut String, diff: &Diff) {
    if diff.moves.is_empty() {
        return;
    }
    let _ = write!(out, "<h2>Leads that change tier ({} of {})</h2>", diff.moves.len(), diff.changed);
    let rows: Vec<(bool, Vec<String>)> = diff
        .moves
        .iter()
        .map(|m| {
            let rules = |sign: &str, texts: &[String]| -> String {
                texts.iter().map(|t| format!("<code>{sign} {}</code>", escape(t))).collect()
            };
            let why = format!("<div class=\"fired\">{}{}</div>", rules("−", &m.lost), rules("+", &m.gained));
            let cells = vec![
                m.line.to_string(),
                escape(&m.id),
                escape(&format!("{} → {}", m.from, m.to)),
                format!("{} → {}", m.scores.0, m.scores.1),
                why,
            ];
            (false, cells)
        })
        .collect();
    table(out, &[">line", "id", "tier", ">score", "rules that moved it"], &rows);
}

fn quantiles(out: &mut String, diff: &Diff) {
    out.push_str("<h2>Points and rank</h2>");
    let name = |q: f64| match q {
        0.0 => "min".to_string(),
        1.0 => "max".to_string(),
        0.5 => "median".to_string(),
        q => format!("p{}", (q * 100.0).round()),
    };
    let rows: Vec<(bool, Vec<String>)> = diff
        .points
        .iter()
        .zip(&diff.rank)
        .map(|(p, r)| {
            (
                false,
                vec![name(p.q), p.old.to_string(), p.new.to_string(), r.old.to_string(), r.new.to_string()],
            )
        })
        .collect();
    table(out, &["", ">points, old", ">points, new", ">rank, old", ">rank, new"], &rows);
    let mean = |m: Option<f64>| m.map_or("-".to_string(), |m| format!("{m:.1}"));
    let rows: Vec<(bool, Vec<String>)> = diff
        .categories
        .iter()
        .map(|c| {
            (c.changed > 0, vec![escape(&c.name), mean(c.old_mean), mean(c.new_mean), c.changed.to_string()])
        })
        .collect();
    out.push_str("<h2>Categories</h2>");
    table(out, &["category", ">old mean", ">new mean", ">leads changed"], &rows);
}
