//! A [`Fit`] as a terminal report.
//!
//! In: a [`Fit`]. Out: text — the cross-validated AUC before and after,
//! then one line per rule (line, text, old → new points, the evidence) and
//! its notes.

use super::Fit;
use std::fmt::Write as _;

/// The report of `fit`.
pub fn render_text(fit: &Fit) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "fit: {} leads, {} converted ({:.1}%); penalty λ = {:.3} by {}-fold cross-validation",
        fit.rows,
        fit.converters,
        100.0 * fit.converters as f64 / fit.rows.max(1) as f64,
        fit.lambda,
        fit.folds
    );
    let _ = writeln!(
        out,
        "AUC on held-out folds: {:.3} as written -> {:.3} fitted ({:+.3})\n",
        fit.auc_before,
        fit.auc_after,
        fit.auc_after - fit.auc_before
    );
    let texts: Vec<&str> = fit.rules.iter().map(|r| without_points(&r.text)).collect();
    let width = texts.iter().map(|t| t.chars().count()).max().unwrap_or(0).min(56);
    let _ = writeln!(
        out,
        "{:>5}  {:<width$}  {:>5}  {:>5}  {:>7}  {:>9}  {:>9}",
        "line", "rule", "old", "new", "fired", "conv. if", "if not"
    );
    for (r, text) in fit.rules.iter().zip(texts) {
        let text: String = match text.chars().count() > width {
            true => text.chars().take(width.saturating_sub(1)).chain(['…']).collect(),
            false => text.to_string(),
        };
        let changed = if r.old == r.new { " " } else { "*" };
        let _ = writeln!(
            out,
            "{:>5}  {text:<width$}  {:>5} {changed}{:>5}  {:>7}  {:>8.1}%  {:>8.1}%",
            format!("L{}", r.line),
            r.old,
            r.new,
            r.fired,
            100.0 * r.rate_fired,
            100.0 * r.rate_not_fired
        );
        if let Some((old, new)) = r.cap.filter(|(o, n)| o != n) {
            let _ = writeln!(out, "{:>5}  {:<width$}  cap {old} -> {new} (the same occurrences)", "", "");
        }
        if let Some(note) = &r.note {
            let _ = writeln!(out, "{:>5}  {:<width$}  note: {note}", "", "");
        }
    }
    let changed = fit.rules.iter().filter(|r| r.old != r.new).count();
    let _ = writeln!(out, "\n{changed} of {} rules change (*).", fit.rules.len());
    let moved: Vec<_> = fit.tiers.iter().filter(|t| t.proposed != t.cut).collect();
    if !moved.is_empty() {
        let _ = writeln!(out, "\ntier cuts (the fitted points spread differently; tiers are not changed):");
        for t in moved {
            let _ = writeln!(
                out,
                "  {}: points >= {} took {:.1}% of leads ({:.1}% converted); fitted, it takes {:.1}%; \
                 points >= {} takes {:.1}% ({:.1}% converted)",
                t.tier,
                t.cut,
                100.0 * t.share_before,
                100.0 * t.rate_before,
                100.0 * t.share_after,
                t.proposed,
                100.0 * t.share_proposed,
                100.0 * t.rate_proposed
            );
        }
    }
    if !fit.added.is_empty() {
        let _ = writeln!(
            out,
            "\nadded (--grow), each while the held-out AUC of the fitted model (before rounding to points) rose:"
        );
        for a in &fit.added {
            let written = match a.points {
                0 => " (0 points: not written)".to_string(),
                p => format!(" : {p} in `{}`", a.category),
            };
            let _ = writeln!(
                out,
                "  {}{written}; fires for {} leads; AUC {:.3} -> {:.3}",
                a.head, a.fired, a.auc_before, a.auc_after
            );
        }
    }
    out
}

/// A rule's text without its points (` : 10`, ` : 1 each max 5`): the
/// table shows them in columns. The `:` is the last one outside quotes.
fn without_points(text: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    let mut colon = None;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ':' if !quoted => colon = Some(i),
            _ => {}
        }
    }
    colon.map_or(text, |i| text[..i].trim_end())
}

#[cfg(test)]
mod tests {
    #[test]
    fn points_are_cut_from_the_rule_text() {
        assert_eq!(super::without_points("fit title = \"a : b\" : 10"), "fit title = \"a : b\"");
        assert_eq!(super::without_points("behaviour web_visit : 1 each max 10"), "behaviour web_visit");
        assert_eq!(super::without_points("no points"), "no points");
    }
}
