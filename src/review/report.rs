//! The review's result: plain data, serialisable as JSON.
//!
//! In: filled by the analysis ([`super::analyse`]). Out: a [`Report`] that
//! the text and HTML renderers read and `--format json` prints as is.
//! Rates are fractions (0.25 = 25%); a rate of a group with no leads is 0.

use super::{RowError, Tally};
use serde::Serialize;

/// The whole review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Counts of records, rows and conversions.
    pub summary: Summary,
    /// Do converters average higher than non-converters?
    pub verdict: Verdict,
    /// The ROC AUC of the rank: the chance that a random converter ranks
    /// above a random non-converter (ties count half). `None` unless both
    /// outcomes occur.
    pub auc: Option<f64>,
    /// Conversion per tier, in program order, then leads with no tier.
    pub tiers: Vec<GroupRate>,
    /// Conversion per rank decile, best first, with the cumulative gains.
    pub deciles: Vec<Decile>,
    /// The rank distribution by outcome.
    pub histogram: Vec<Bin>,
    /// The cases to study first.
    pub study: Study,
    /// Per rule, in program order.
    pub rules: Vec<RuleStat>,
    /// Per field and behaviour the program does not (fully) use: the best
    /// separating value or threshold found.
    pub signals: Vec<Signal>,
    /// The first row errors (all are counted in the summary).
    pub errors: Vec<RowError>,
}

/// Counts of the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Records read: rows analysed + open leads + row errors.
    pub records: usize,
    /// Rows analysed.
    pub rows: usize,
    /// Records that could not be used.
    pub row_errors: usize,
    /// Rows that converted.
    pub converters: usize,
    /// Rows that did not convert.
    pub non_converters: usize,
    /// Of the non-converters, those whose outcome cell was empty.
    pub empty_outcomes: usize,
    /// Of the non-converters, those counted so by elimination (`--won`
    /// without `--lost`: a value in neither `--won` nor `--open`), by value.
    pub unlisted: Tally,
    /// Leads whose outcome is not known yet (`--open` values): counted, not
    /// analysed, by value.
    pub open: Tally,
    /// converters / rows.
    pub conversion_rate: f64,
}

/// The method's pass/fail signal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Converters' average score.
    pub converters_score: f64,
    /// Non-converters' average score.
    pub non_converters_score: f64,
    /// Converters' average rank (score without the segment digit).
    pub converters_rank: f64,
    /// Non-converters' average rank.
    pub non_converters_rank: f64,
    /// Converters' average points.
    pub converters_points: f64,
    /// Non-converters' average points.
    pub non_converters_points: f64,
    /// Converters average a strictly higher rank (false when either group
    /// is empty).
    pub pass: bool,
}

/// The conversion of a group of leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRate {
    /// The group's name (a tier's, or `-` for no tier).
    pub name: String,
    /// Leads in the group.
    pub leads: usize,
    /// Of which converted.
    pub converters: usize,
    /// converters / leads.
    pub rate: f64,
}

/// One tenth of the leads by rank, and the gains up to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decile {
    /// 1 = the top-ranked tenth.
    pub decile: usize,
    /// Leads in it.
    pub leads: usize,
    /// Of which converted.
    pub converters: usize,
    /// converters / leads.
    pub rate: f64,
    /// Its lowest rank.
    pub min_rank: i64,
    /// Its highest rank.
    pub max_rank: i64,
    /// Share of all leads in deciles 1..=this.
    pub cumulative_leads: f64,
    /// Share of all converters in deciles 1..=this (the gain).
    pub gain: f64,
    /// gain / cumulative_leads: how much better than calling at random.
    pub cumulative_lift: f64,
}

/// One bar pair of the rank histogram: ranks in `lo..=hi`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// Lowest rank of the bin.
    pub lo: i64,
    /// Highest rank of the bin.
    pub hi: i64,
    /// Converters ranked in it.
    pub converters: usize,
    /// Non-converters ranked in it.
    pub non_converters: usize,
}

/// The leads the scores got most wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Study {
    /// The lowest-ranked converters: missing rules?
    pub low_converters: Vec<Case>,
    /// The highest-ranked non-converters: rules worth too much?
    pub high_non_converters: Vec<Case>,
}

/// One lead to study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// Its id.
    pub id: String,
    /// Its input line.
    pub line: u64,
    /// Its score.
    pub score: i64,
    /// Its points.
    pub points: i64,
    /// Its tier's name, `-` for none.
    pub tier: String,
    /// The rules that fired, as written.
    pub fired: Vec<String>,
    /// Their lines in the program (0 when not known).
    pub fired_lines: Vec<usize>,
}

/// One rule against the outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleStat {
    /// The rule as written.
    pub text: String,
    /// Its line in the program (0 when not known).
    pub line: usize,
    /// Its category.
    pub category: String,
    /// Its points (per occurrence for `each`).
    pub points: i64,
    /// The most it can give.
    pub max_points: i64,
    /// Leads it fired for.
    pub fires: usize,
    /// Conversion rate of the leads it fired for.
    pub rate_fired: f64,
    /// Conversion rate of the others.
    pub rate_not_fired: f64,
    /// rate_fired / overall rate (0 when it never fired).
    pub lift: f64,
    /// The two-proportion z statistic of fired vs not fired.
    pub z: f64,
    /// What looks wrong, if anything.
    pub flag: Option<RuleFlag>,
}

/// A disagreement between a rule's points and its lift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleFlag {
    /// High points (≥ `HIGH_POINTS`) but no lift: the leads it fires for
    /// convert at most `NO_LIFT` times as often as the others.
    HighPointsNoLift,
    /// Low points (≤ `LOW_POINTS`) but strong, significant lift (≥
    /// `STRONG_LIFT` over the overall rate, z ≥ `MIN_Z`).
    LowPointsStrongLift,
}

impl RuleFlag {
    /// A short tag for tables.
    pub fn label(self) -> &'static str {
        match self {
            RuleFlag::HighPointsNoLift => "NO LIFT",
            RuleFlag::LowPointsStrongLift => "UNDERRATED",
        }
    }

    /// What to do about it, for people.
    pub fn advice(self) -> &'static str {
        match self {
            RuleFlag::HighPointsNoLift => "high points, no lift: lower its points or drop it",
            RuleFlag::LowPointsStrongLift => "strong lift, few points: raise its points",
        }
    }
}

/// The best separating value or threshold of a field or behaviour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    /// `field` or `behaviour`.
    pub kind: SignalKind,
    /// The field's or behaviour's name.
    pub name: String,
    /// Whether the program uses it (then only values no rule covers are
    /// examined).
    pub used: bool,
    /// The selecting condition, as it would be written in a rule
    /// (`country = "CA"`, `budget >= 20000`, `webinar_attended >= 1`).
    pub condition: String,
    /// Leads it selects.
    pub support: usize,
    /// Of which converted.
    pub converters: usize,
    /// Conversion rate of the selected leads.
    pub rate: f64,
    /// Conversion rate of the others.
    pub rate_others: f64,
    /// rate / overall rate.
    pub lift: f64,
    /// The two-proportion z statistic of selected vs others.
    pub z: f64,
    /// Strong and significant enough to suggest a rule.
    pub candidate: bool,
    /// What the condition was chosen among, best rate first: each value
    /// with at least `MIN_SUPPORT` leads (string, enum and bool fields), or
    /// both sides of the threshold and the missing values (int and number
    /// fields, behaviours).
    pub groups: Vec<GroupRate>,
}

/// What a signal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignalKind {
    /// A lead field.
    Field,
    /// A behaviour count.
    Behaviour,
}
