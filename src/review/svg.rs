//! Inline SVG charts for the HTML report.
//!
//! In: labelled series of numbers. Out: `<svg>` elements as text — a
//! grouped bar chart and a line chart with a diagonal baseline — with
//! axes, gridlines and a legend, sized by a `viewBox` so they scale with
//! the page. No scripts, no external references.

use std::fmt::Write;

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 22.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 48.0;

/// One series of a chart.
pub struct Series<'a> {
    /// Its name, in the legend.
    pub name: &'a str,
    /// Its CSS colour.
    pub color: &'a str,
    /// One value per label (bars) or per point (lines).
    pub values: Vec<f64>,
}

/// Escapes text for HTML and SVG.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn plot_width() -> f64 {
    WIDTH - LEFT - RIGHT
}

fn plot_height() -> f64 {
    HEIGHT - TOP - BOTTOM
}

fn y_of(value: f64, max: f64) -> f64 {
    TOP + plot_height() * (1.0 - (value / max).clamp(0.0, 1.0))
}

/// A tidy axis maximum at or above `max` (1, 2, 2.5 or 5 × a power of ten)
/// and the number of tick steps that keep every tick round.
fn nice_max(max: f64) -> (f64, u32) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 4);
    }
    let power = 10f64.powf(max.log10().floor());
    [(1.0, 5), (2.0, 4), (2.5, 5), (5.0, 5), (10.0, 5)]
        .iter()
        .map(|&(m, steps)| (m * power, steps))
        .find(|(v, _)| *v >= max * 0.999_999)
        .unwrap_or((10.0 * power, 5))
}

/// A fraction as a percentage with as few decimals as it needs: `0.25` →
/// `25%`, `0.125` → `12.5%`.
pub fn percent(fraction: f64) -> String {
    let value = fraction * 100.0;
    if (value - value.round()).abs() < 1e-9 { format!("{value:.0}%") } else { format!("{value:.1}%") }
}

fn open(out: &mut String, label: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}">"#,
        escape(label)
    );
}

/// Horizontal gridlines and y labels from 0 to `max`, formatted by `fmt`.
fn y_axis(out: &mut String, max: f64, steps: u32, fmt: &dyn Fn(f64) -> String) {
    for i in 0..=steps {
        let value = max * f64::from(i) / f64::from(steps);
        let y = y_of(value, max);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e6ea"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="tick">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(&fmt(value))
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="#9aa3ad"/><line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#9aa3ad"/>"##,
        TOP + plot_height(),
        TOP + plot_height(),
        WIDTH - RIGHT,
        TOP + plot_height()
    );
}

fn legend(out: &mut String, series: &[Series]) {
    let mut x = LEFT;
    for s in series {
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="8" width="12" height="12" fill="{}"/><text x="{:.1}" y="18" class="tick">{}</text>"#,
            escape(s.color),
            x + 16.0,
            escape(s.name)
        );
        x += 24.0 + 7.0 * s.name.chars().count() as f64;
    }
}

fn x_label(out: &mut String, text: &str) {
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="axis">{}</text>"#,
        LEFT + plot_width() / 2.0,
        HEIGHT - 6.0,
        escape(text)
    );
}

/// Grouped bars: one group per label, one bar per series; every `label_every`
/// label is written under its group.
pub fn bars(
    title: &str,
    labels: &[String],
    series: &[Series],
    x_title: &str,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let (max, steps) = nice_max(series.iter().flat_map(|s| s.values.iter().copied()).fold(0.0, f64::max));
    let mut out = String::new();
    open(&mut out, title);
    y_axis(&mut out, max, steps, fmt);
    let groups = labels.len().max(1) as f64;
    let group_width = plot_width() / groups;
    let bar_width = group_width * 0.8 / series.len().max(1) as f64;
    let label_every = (labels.len() / 10).max(1);
    for (g, label) in labels.iter().enumerate() {
        let x0 = LEFT + group_width * g as f64 + group_width * 0.1;
        for (k, s) in series.iter().enumerate() {
            let value = s.values.get(g).copied().unwrap_or(0.0);
            let y = y_of(value, max);
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}: {}</title></rect>"#,
                x0 + bar_width * k as f64,
                bar_width.max(0.5),
                TOP + plot_height() - y,
                escape(s.color),
                escape(&format!("{label} — {}", s.name)),
                escape(&fmt(value))
            );
        }
        if g % label_every == 0 {
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="tick">{}</text>"#,
                x0 + group_width * 0.4,
                TOP + plot_height() + 16.0,
                escape(label)
            );
        }
    }
    legend(&mut out, series);
    x_label(&mut out, x_title);
    out.push_str("</svg>");
    out
}

/// A line through `(x, y)` points in 0..=1 × 0..=1, with the diagonal
/// `y = x` dashed as the baseline; both axes in percent.
pub fn gains(title: &str, points: &[(f64, f64)], name: &str, color: &str) -> String {
    gains_lines(title, &[(name, color, points)])
}

/// One line of a gains chart: its name, colour and `(x, y)` points.
pub type GainsLine<'a> = (&'a str, &'a str, &'a [(f64, f64)]);

/// [`gains`] with one line per `(name, colour, points)`.
pub fn gains_lines(title: &str, lines: &[GainsLine]) -> String {
    let mut out = String::new();
    open(&mut out, title);
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    y_axis(&mut out, 1.0, 4, &pct);
    let x_of = |x: f64| LEFT + plot_width() * x.clamp(0.0, 1.0);
    for i in 0..=4 {
        let x = f64::from(i) / 4.0;
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="tick">{}</text>"#,
            x_of(x),
            TOP + plot_height() + 16.0,
            pct(x)
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{TOP}" stroke="#9aa3ad" stroke-dasharray="5 4"/>"##,
        x_of(0.0),
        y_of(0.0, 1.0),
        x_of(1.0)
    );
    for (_, color, points) in lines {
        let mut path = format!("{:.1},{:.1}", x_of(0.0), y_of(0.0, 1.0));
        for (x, y) in points.iter() {
            let _ = write!(path, " {:.1},{:.1}", x_of(*x), y_of(*y, 1.0));
        }
        let _ = write!(
            out,
            r#"<polyline points="{path}" fill="none" stroke="{}" stroke-width="2.5"/>"#,
            escape(color)
        );
        for (x, y) in points.iter() {
            let _ = write!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}"><title>{} of leads: {} of converters</title></circle>"#,
                x_of(*x),
                y_of(*y, 1.0),
                escape(color),
                pct(*x),
                pct(*y)
            );
        }
    }
    let mut series: Vec<Series> =
        lines.iter().map(|(name, color, _)| Series { name, color, values: Vec::new() }).collect();
    series.push(Series { name: "random", color: "#9aa3ad", values: Vec::new() });
    legend(&mut out, &series);
    x_label(&mut out, "share of leads called, best-ranked first");
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_max_rounds_up_to_tidy_values() {
        assert_eq!(nice_max(0.23), (0.25, 5));
        assert_eq!(nice_max(0.5), (0.5, 5));
        assert_eq!(nice_max(0.17), (0.2, 4));
        assert_eq!(nice_max(730.0), (1000.0, 5));
        assert_eq!(nice_max(0.0), (1.0, 4));
        assert_eq!(percent(0.25), "25%");
        assert_eq!(percent(0.125), "12.5%");
    }

    #[test]
    fn charts_escape_labels_and_close() {
        let s = bars(
            "t",
            &["<a>".into()],
            &[Series { name: "x&y", color: "red", values: vec![1.0] }],
            "x",
            &|v| v.to_string(),
        );
        assert!(s.contains("&lt;a&gt;") && s.contains("x&amp;y") && s.ends_with("</svg>"));
        assert!(!s.contains("<a>"));
    }
}
