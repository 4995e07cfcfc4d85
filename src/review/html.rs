//! The HTML report of a review: one self-contained page.
//!
//! In: a [`Report`] and a title. Out: an HTML document with inline CSS and
//! inline SVG charts (rank distribution by outcome, gains curve,
//! conversion per tier and per decile) and every table of the terminal
//! summary. It fetches nothing: no scripts, fonts, images or links.

use super::report::{Case, Report};
use super::svg::{self, Series, escape};
use super::table::{fixed2, percent};
use super::text::{line, suggested_rule, suggestion_reason};
use std::fmt::Write;

const CONVERTED: &str = "#2f7d4f";
const NOT_CONVERTED: &str = "#c0504d";
const NEUTRAL: &str = "#3b6ea8";
/// How many of a signal's groups the page lists.
const SHOWN_GROUPS: usize = 8;

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d232a;margin:0;background:#f5f6f8}
main{max-width:1140px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.sub{color:#5b6570;margin:0 0 16px}
.verdict{padding:14px 18px;border-radius:8px;color:#fff;font-size:18px;font-weight:600}
.pass{background:#2f7d4f}.fail{background:#b23b37}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:14px 0}
.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:10px 14px}
.card b{display:block;font-size:20px}.card span{color:#5b6570;font-size:12px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:14px}
figure{margin:0;background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:10px}
figcaption{font-weight:600;margin-bottom:4px}
svg{width:100%;height:auto;display:block}
svg .tick{font-size:11px;fill:#5b6570}svg .axis{font-size:12px;fill:#1d232a}
table{border-collapse:collapse;background:#fff;width:100%;border:1px solid #dde1e6}
th,td{padding:5px 9px;border-bottom:1px solid #eceff2;text-align:left;vertical-align:top}
th{background:#eef1f4;font-weight:600;white-space:nowrap}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.flag td{background:#fff4d6}.tag{font-size:11px;font-weight:700;padding:1px 6px;border-radius:4px;background:#e8a317;color:#fff;white-space:nowrap}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.fired{display:flex;flex-wrap:wrap;gap:4px}.fired code{background:#eef1f4;border-radius:4px;padding:1px 6px;font-size:12px}
.note{color:#5b6570;font-size:12.5px}
";

/// The whole page.
pub fn render_html(report: &Report, title: &str) -> String {
    page(title, |out| {
        header(out, report);
        charts(out, report);
        tables(out, report);
    })
}

/// A page titled `title` in the report's style, its body written by `body`.
pub(super) fn page(title: &str, body: impl FnOnce(&mut String)) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body><main>",
        escape(title)
    );
    let _ = write!(out, "<h1>{}</h1>", escape(title));
    body(&mut out);
    out.push_str("</main></body></html>\n");
    out
}

fn header(out: &mut String, report: &Report) {
    let s = &report.summary;
    let v = &report.verdict;
    let open = if s.open.rows > 0 { format!("{} open, ", s.open.rows) } else { String::new() };
    let _ = write!(
        out,
        "<p class=\"sub\">{} records: {} analysed, {open}{} row errors. {} converted ({}); {} did not ({} with an empty outcome).</p>",
        s.records,
        s.rows,
        s.row_errors,
        s.converters,
        percent(s.conversion_rate),
        s.non_converters,
        s.empty_outcomes
    );
    for (tally, what) in [
        (&s.unlisted, "Not in --won, so counted as not converted"),
        (&s.open, "Open (--open), so not analysed"),
    ] {
        if tally.rows > 0 {
            let _ = write!(out, "<p class=\"sub\">{what}: {}.</p>", escape(&super::text::tally_text(tally)));
        }
    }
    let (class, word) = if v.pass { ("pass", "PASS") } else { ("fail", "FAIL") };
    let _ = write!(
        out,
        "<div class=\"verdict {class}\">{word}: converters average rank {} vs {} for non-converters</div>",
        fixed2(v.converters_rank),
        fixed2(v.non_converters_rank)
    );
    let auc = report.auc.map_or_else(|| "n/a".to_string(), |a| format!("{a:.3}"));
    let cards = [
        (auc, "ROC AUC of the rank (0.5 = chance)"),
        (
            format!("{} / {}", fixed2(v.converters_score), fixed2(v.non_converters_score)),
            "average score: converters / not",
        ),
        (
            format!("{} / {}", fixed2(v.converters_points), fixed2(v.non_converters_points)),
            "average points: converters / not",
        ),
        (percent(s.conversion_rate), "overall conversion rate"),
    ];
    out.push_str("<div class=\"cards\">");
    for (value, label) in cards {
        let _ =
            write!(out, "<div class=\"card\"><b>{}</b><span>{}</span></div>", escape(&value), escape(label));
    }
    out.push_str("</div>");
}

pub(super) fn figure(out: &mut String, caption: &str, svg: &str) {
    let _ = write!(out, "<figure><figcaption>{}</figcaption>{svg}</figure>", escape(caption));
}

fn charts(out: &mut String, report: &Report) {
    let pct = svg::percent;
    let pct1 = svg::percent;
    out.push_str("<h2>Charts</h2><div class=\"charts\">");
    let converters = report.summary.converters;
    let others = report.summary.non_converters;
    let share = |n: usize, total: usize| if total == 0 { 0.0 } else { n as f64 / total as f64 };
    let labels: Vec<String> = report.histogram.iter().map(|b| b.lo.to_string()).collect();
    let series = [
        Series {
            name: "converted",
            color: CONVERTED,
            values: report.histogram.iter().map(|b| share(b.converters, converters)).collect(),
        },
        Series {
            name: "did not convert",
            color: NOT_CONVERTED,
            values: report.histogram.iter().map(|b| share(b.non_converters, others)).collect(),
        },
    ];
    let chart = svg::bars("rank distribution by outcome", &labels, &series, "rank (bin start)", &pct);
    figure(out, "Rank distribution by outcome (share of each group)", &chart);
    let points: Vec<(f64, f64)> = report.deciles.iter().map(|d| (d.cumulative_leads, d.gain)).collect();
    figure(
        out,
        "Cumulative gains: converters found vs leads called",
        &svg::gains("gains curve", &points, "program", NEUTRAL),
    );
    let labels: Vec<String> = report.tiers.iter().map(|t| t.name.clone()).collect();
    let series = [Series {
        name: "conversion rate",
        color: NEUTRAL,
        values: report.tiers.iter().map(|t| t.rate).collect(),
    }];
    figure(
        out,
        "Conversion rate per tier",
        &svg::bars("conversion per tier", &labels, &series, "tier", &pct1),
    );
    let labels: Vec<String> = report.deciles.iter().map(|d| d.decile.to_string()).collect();
    let series = [Series {
        name: "conversion rate",
        color: NEUTRAL,
        values: report.deciles.iter().map(|d| d.rate).collect(),
    }];
    let chart =
        svg::bars("conversion per decile", &labels, &series, "rank decile (1 = best-ranked tenth)", &pct1);
    figure(out, "Conversion rate per rank decile", &chart);
    out.push_str("</div>");
}

/// A table: header cells prefixed `>` are numeric (right-aligned).
pub(super) fn table(out: &mut String, header: &[&str], rows: &[(bool, Vec<String>)]) {
    let numeric: Vec<bool> = header.iter().map(|h| h.starts_with('>')).collect();
    out.push_str("<table><tr>");
    for (h, n) in header.iter().zip(&numeric) {
        let _ = write!(
            out,
            "<th{}>{}</th>",
            if *n { " class=\"n\"" } else { "" },
            escape(h.trim_start_matches('>'))
        );
    }
    out.push_str("</tr>");
    for (flagged, cells) in rows {
        out.push_str(if *flagged { "<tr class=\"flag\">" } else { "<tr>" });
        for (i, cell) in cells.iter().enumerate() {
            // Cells are escaped by their producers (some hold markup).
            let n = numeric.get(i).copied().unwrap_or(false);
            let _ = write!(out, "<td{}>{cell}</td>", if n { " class=\"n\"" } else { "" });
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

fn tables(out: &mut String, report: &Report) {
    out.push_str("<h2>Conversion by tier</h2>");
    let rows: Vec<_> = report
        .tiers
        .iter()
        .map(|t| {
            (false, vec![escape(&t.name), t.leads.to_string(), t.converters.to_string(), percent(t.rate)])
        })
        .collect();
    table(out, &["tier", ">leads", ">converted", ">rate"], &rows);
    out.push_str("<h2>Conversion by rank decile and cumulative gains</h2>");
    let rows: Vec<_> = report
        .deciles
        .iter()
        .map(|d| {
            let cells = vec![
                d.decile.to_string(),
                format!("{}..{}", d.min_rank, d.max_rank),
                d.leads.to_string(),
                d.converters.to_string(),
                percent(d.rate),
                percent(d.cumulative_leads),
                percent(d.gain),
                fixed2(d.cumulative_lift),
            ];
            (false, cells)
        })
        .collect();
    table(
        out,
        &[">decile", ">ranks", ">leads", ">converted", ">rate", ">leads so far", ">gain", ">lift"],
        &rows,
    );
    cases(out, "Lowest-ranked converters: what did the program miss?", &report.study.low_converters);
    cases(
        out,
        "Highest-ranked non-converters: what does the program overrate?",
        &report.study.high_non_converters,
    );
    rules(out, report);
    signals(out, report);
    errors(out, report);
}

fn cases(out: &mut String, title: &str, cases: &[Case]) {
    let _ = write!(out, "<h2>{}</h2>", escape(title));
    let rows: Vec<_> = cases
        .iter()
        .map(|c| {
            let fired: String = c.fired.iter().map(|f| format!("<code>{}</code>", escape(f))).collect();
            let cells = vec![
                escape(&c.id),
                c.line.to_string(),
                c.score.to_string(),
                c.points.to_string(),
                escape(&c.tier),
                format!("<div class=\"fired\">{fired}</div>"),
            ];
            (false, cells)
        })
        .collect();
    table(out, &["id", ">input line", ">score", ">points", "tier", "rules fired"], &rows);
}

fn rules(out: &mut String, report: &Report) {
    out.push_str("<h2>Rules against outcomes</h2>");
    let rows: Vec<_> = report
        .rules
        .iter()
        .map(|r| {
            let flag = r
                .flag
                .map_or(String::new(), |f| format!("<span class=\"tag\">{}</span>", escape(f.advice())));
            let cells = vec![
                line(r.line),
                format!("<code>{}</code>", escape(&r.text)),
                escape(&r.category),
                r.max_points.to_string(),
                r.fires.to_string(),
                percent(r.rate_fired),
                percent(r.rate_not_fired),
                fixed2(r.lift),
                flag,
            ];
            (r.flag.is_some(), cells)
        })
        .collect();
    let header =
        [">line", "rule", "category", ">max points", ">fires", ">rate fired", ">rate not", ">lift", "flag"];
    table(out, &header, &rows);
}

fn signals(out: &mut String, report: &Report) {
    out.push_str("<h2>Signals no rule uses</h2>");
    let rows: Vec<_> = report
        .signals
        .iter()
        .map(|s| {
            let groups: Vec<String> = s
                .groups
                .iter()
                .take(SHOWN_GROUPS)
                .map(|g| format!("<code>{}</code> {} ({})", escape(&g.name), percent(g.rate), g.leads))
                .collect();
            let cells = vec![
                format!("<code>{}</code>", escape(&s.condition)),
                s.support.to_string(),
                percent(s.rate),
                percent(s.rate_others),
                fixed2(s.lift),
                format!("{:.1}", s.z),
                if s.candidate {
                    format!(
                        "<code>{}</code><br>{}",
                        escape(&suggested_rule(s)),
                        escape(&suggestion_reason(s))
                    )
                } else {
                    String::new()
                },
                format!("<span class=\"note\">{}</span>", groups.join("<br>")),
            ];
            (s.candidate, cells)
        })
        .collect();
    let header =
        ["condition", ">leads", ">rate", ">rate others", ">lift", ">z", "candidate rule", "compared with"];
    table(out, &header, &rows);
}

fn errors(out: &mut String, report: &Report) {
    if report.summary.row_errors == 0 {
        return;
    }
    let n = report.summary.row_errors;
    let _ = write!(out, "<h2>Row errors ({n} row{} not analysed)</h2><ul>", if n == 1 { "" } else { "s" });
    for e in &report.errors {
        let _ = write!(out, "<li>{}</li>", escape(&e.to_string()));
    }
    out.push_str("</ul>");
    let hidden = report.summary.row_errors.saturating_sub(report.errors.len());
    if hidden > 0 {
        let _ = write!(out, "<p class=\"note\">... and {hidden} more</p>");
    }
}
