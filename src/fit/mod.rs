//! Points fitted to outcomes: `leadc fit`.
//!
//! In: a checked [`Scorecard`], its source text, and the review's history
//! [`Row`]s (leads scored by the program, with their outcome). Out: a
//! [`Fit`] — new whole points for the program's rules, set by
//! L2-regularised logistic regression on what each rule gave each lead
//! ([`logistic`]; the penalty chosen by k-fold cross-validation), scaled
//! so the program's reach stays what it was and every category keeps its
//! `max` ([`scale`]), each rule kept on its side of zero unless flips are
//! allowed; the cross-validated AUC of the program before and after, the
//! evidence per rule, and the program's text with only its numbers
//! changed ([`rewrite`]). Must-haves, the segment and tiers are not
//! changed; the must-have blocks a lead met enter the regression as one
//! more, unpenalised, feature, so rule points are judged within them.

pub mod design;
pub mod grow;
pub mod logistic;
pub mod rewrite;
pub mod scale;
mod text;
pub mod tiers;

pub use text::render_text;

use crate::check::Scorecard;
use crate::review::{Row, auc_of};
use design::Rules;
use logistic::Weights;
use rewrite::NewPoints;
use serde::Serialize;

/// How to fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitOptions {
    /// The folds of the cross-validation (at least 2).
    pub folds: usize,
    /// Whether a rule's points may change sign (a penalty become a gain).
    pub allow_flip: bool,
    /// The seed of the folds' shuffle.
    pub seed: u64,
    /// At most how many rules to add from the history's candidates
    /// ([`grow`]); 0: none.
    pub grow: usize,
    /// The category added rules go into (a new one when no category has
    /// the name) [default: a new category `grown`].
    pub into: Option<String>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { folds: 5, allow_flip: false, seed: 1, grow: 0, into: None }
    }
}

/// One rule's old and new points, and the evidence for them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedRule {
    /// Its 1-based line.
    pub line: usize,
    /// Its text as written.
    pub text: String,
    /// Its category.
    pub category: String,
    /// Its points as written.
    pub old: i64,
    /// Its fitted points.
    pub new: i64,
    /// Its `each max` cap as written and fitted, for a rule that has one.
    pub cap: Option<(i64, i64)>,
    /// The fitted log-odds per unit (`None`: not fitted, see `note`).
    pub weight: Option<f64>,
    /// On how many history leads it fired.
    pub fired: usize,
    /// The conversion rate of the leads it fired for.
    pub rate_fired: f64,
    /// The conversion rate of the others.
    pub rate_not_fired: f64,
    /// Why its points were not fitted, or what to know about them.
    pub note: Option<String>,
}

/// The result of a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// Per rule, in program order.
    pub rules: Vec<FittedRule>,
    /// The chosen penalty λ.
    pub lambda: f64,
    /// The folds of the cross-validation.
    pub folds: usize,
    /// The history leads fitted on.
    pub rows: usize,
    /// How many of them converted.
    pub converters: usize,
    /// The mean AUC over the held-out folds of the program as written.
    pub auc_before: f64,
    /// The mean AUC over the held-out folds of the program fitted on the
    /// other folds (each fit scaled and rounded as the result is).
    pub auc_after: f64,
    /// The rules `--grow` added, in the order they were chosen.
    pub added: Vec<grow::Added>,
    /// The tiers' `points` cuts, and the ones that keep their shares.
    pub tiers: Vec<tiers::TierCut>,
    /// The program's new text.
    pub source: String,
}

/// Why no fit could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitError {
    /// Too few converters or non-converters for the folds.
    TooFewLeads {
        /// Converters in the history.
        converters: usize,
        /// Non-converters.
        others: usize,
        /// Folds asked for.
        folds: usize,
    },
    /// No rule varies over the history.
    NothingToFit,
    /// The source's rules are not the scorecard's (it was edited?).
    SourceChanged,
    /// `into` cannot name a category.
    BadCategory(String),
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::TooFewLeads { converters, others, folds } => write!(
                f,
                "the history has {converters} converters and {others} other leads; {folds}-fold \
                 cross-validation needs at least {folds} of each"
            ),
            FitError::NothingToFit => {
                write!(f, "no rule fires for some history leads and not for others: there is nothing to fit")
            }
            FitError::SourceChanged => write!(f, "the program's text does not match its rules"),
            FitError::BadCategory(why) => write!(f, "`--into`: {why}"),
        }
    }
}

impl std::error::Error for FitError {}

/// Fits the points of `card` (source `source`) to the history `rows`.
pub fn fit(card: &Scorecard, source: &str, rows: &[Row], options: &FitOptions) -> Result<Fit, FitError> {
    if let Some(name) = &options.into {
        crate::schema::check_name(name, "category", None).map_err(|e| FitError::BadCategory(e.message))?;
        if crate::check::OUTCOME_NAMES.contains(&name.as_str()) {
            return Err(FitError::BadCategory(format!("`{name}` names an outcome value, not a category")));
        }
    }
    let folds = options.folds.max(2);
    let converters = rows.iter().filter(|r| r.converted).count();
    let others = rows.len() - converters;
    if converters < folds || others < folds {
        return Err(FitError::TooFewLeads { converters, others, folds });
    }
    let mut rules = Rules::new(card, rows);
    let written_rules = rules.rules.len();
    let (mut design, mut which) = rules.design(options.allow_flip);
    if which.is_empty() {
        return Err(FitError::NothingToFit);
    }
    let assignment = folds_of(&rules.outcome, folds, options.seed);
    let split = |f: usize| -> (Vec<usize>, Vec<usize>) { (0..rows.len()).partition(|&i| assignment[i] != f) };
    // The penalty: the lowest mean held-out log loss over a grid.
    let n = rows.len() as f64;
    let grid: Vec<f64> = (1..=10).map(|k| n * 10f64.powf(-(k as f64) / 2.0)).collect();
    let mut best: Option<(f64, f64, Vec<Weights>)> = None;
    // From the strongest penalty down, each fold's fit starting from its last.
    let mut last: Vec<Option<Weights>> = vec![None; folds];
    for &lambda in &grid {
        let mut loss = 0.0;
        let mut models = Vec::with_capacity(folds);
        for (f, last) in last.iter_mut().enumerate() {
            let (train, test) = split(f);
            let model = logistic::fit_from(&design, &train, lambda, last.as_ref());
            loss += logistic::log_loss(&design, &test, &model);
            *last = Some(model.clone());
            models.push(model);
        }
        if best.as_ref().is_none_or(|(_, l, _)| loss < *l) {
            best = Some((lambda, loss, models));
        }
    }
    let Some((lambda, _, mut fold_models)) = best else { return Err(FitError::NothingToFit) };
    let mut added = Vec::new();
    if options.grow > 0 {
        let taken: Vec<Vec<f64>> = rules.rules.iter().map(|r| r.units.clone()).collect();
        let candidates = grow::candidates(&card.schema, rows, &taken);
        let (grown, grown_models) =
            grow::grow(&mut design, which.len(), candidates, (&assignment, folds, lambda), options.grow);
        let name = options.into.clone().unwrap_or_else(|| "grown".to_string());
        let category = card.categories.iter().position(|c| c.name == name).unwrap_or(rules.maxima.len());
        if !grown.is_empty() && category == rules.maxima.len() {
            rules.maxima.push(None);
        }
        for (candidate, mut rule) in grown {
            let fired = rule.fired;
            rules.rules.push(design::RuleData {
                category,
                points: 0,
                cap: None,
                max_units: 1.0,
                units: candidate.values,
                fired,
                informative: true,
            });
            which.push(rules.rules.len() - 1);
            rule.category = name.clone();
            added.push(rule);
        }
        if !added.is_empty() {
            fold_models = grown_models;
        }
    }
    let points_of = |model: &Weights| {
        let mut weights = vec![None; rules.rules.len()];
        for (feature, &r) in which.iter().enumerate() {
            weights[r] = Some(model.weights[feature]);
        }
        (scale::points(&rules, &weights), weights)
    };
    // Honest figures: each fold scored by the program fitted without it.
    let written: Vec<i64> = rules.rules.iter().map(|r| r.points).collect();
    let (mut before, mut after) = (0.0, 0.0);
    for (f, model) in fold_models.iter().enumerate() {
        let (_, test) = split(f);
        let fitted = points_of(model).0;
        let auc = |points: &[i64]| {
            let mut scored: Vec<(f64, bool)> =
                test.iter().map(|&i| (rules.rank(i, points), rules.outcome[i])).collect();
            auc_of(&mut scored).unwrap_or(0.5)
        };
        before += auc(&written) / folds as f64;
        after += auc(&fitted) / folds as f64;
    }
    let all: Vec<usize> = (0..rows.len()).collect();
    let start = fold_models.first();
    let (points, weights) = points_of(&logistic::fit_from(&design, &all, lambda, start));
    let new: Vec<NewPoints> = rules
        .rules
        .iter()
        .zip(&points)
        .map(|(rule, &p)| NewPoints { points: p, cap: rule.cap.map(|c| scale::cap(rule.points, c, p)) })
        .collect();
    // The rules as written (old points) name them in the table.
    let model = crate::review::Model::from_scorecard(card, Some(source));
    for (rule, new) in added.iter_mut().zip(&new[written_rules..]) {
        rule.points = new.points;
    }
    let additions: Vec<rewrite::Addition> = added
        .iter()
        .zip(&rules.rules[written_rules..])
        .filter(|(a, _)| a.points != 0)
        .map(|(a, r)| rewrite::Addition {
            category: r.category,
            name: a.category.clone(),
            line: format!("{} : {}", a.head, a.points),
        })
        .collect();
    let source =
        rewrite::rewrite(source, &new[..written_rules], &additions).ok_or(FitError::SourceChanged)?;
    let fitted = fitted_rules(&rules, rows, &model, &new, &weights);
    let after_points: Vec<i64> = (0..rows.len()).map(|i| rules.points(i, &points).round() as i64).collect();
    let before_points: Vec<i64> = rows.iter().map(|r| r.points).collect();
    let tiers = tiers::cuts(&card.tiers, &before_points, &after_points, &rules.outcome, rules.ceiling);
    Ok(Fit {
        rules: fitted,
        lambda,
        folds,
        rows: rows.len(),
        converters,
        auc_before: before,
        auc_after: after,
        added,
        tiers,
        source,
    })
}

fn fitted_rules(
    rules: &Rules,
    rows: &[Row],
    model: &crate::review::Model,
    new: &[NewPoints],
    weights: &[Option<f64>],
) -> Vec<FittedRule> {
    let rate = |part: usize, whole: usize| if whole == 0 { 0.0 } else { part as f64 / whole as f64 };
    rules
        .rules
        .iter()
        .take(model.rules.len())
        .enumerate()
        .map(|(r, rule)| {
            let meta = model.rules.get(r);
            let fired_converted =
                rows.iter().filter(|row| row.converted && row.fired.get(r) == Some(&true)).count();
            let converted = rows.iter().filter(|row| row.converted).count();
            let note = match (rule.informative, rule.fired) {
                (false, 0) => Some("never fired in the history: kept as written".to_string()),
                (false, _) => {
                    Some("fired for every lead: the history cannot tell its worth; kept".to_string())
                }
                (true, _) if new[r].points == 0 && rule.points != 0 => {
                    Some("no evidence it helps once the others count: consider removing it".to_string())
                }
                _ => None,
            };
            FittedRule {
                line: meta.map_or(0, |m| m.line),
                text: meta.map_or_else(String::new, |m| m.text.clone()),
                category: meta.map_or_else(String::new, |m| m.category.clone()),
                old: rule.points,
                new: new[r].points,
                cap: rule.cap.zip(new[r].cap),
                weight: weights[r],
                fired: rule.fired,
                rate_fired: rate(fired_converted, rule.fired),
                rate_not_fired: rate(converted - fired_converted, rows.len() - rule.fired),
                note,
            }
        })
        .collect()
}

/// Each row's fold: converters and the others each shuffled by `seed`
/// and dealt round the folds, so every fold has its share of both.
fn folds_of(outcome: &[bool], folds: usize, seed: u64) -> Vec<usize> {
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        state >> 33
    };
    let mut assignment = vec![0; outcome.len()];
    for class in [true, false] {
        let mut members: Vec<usize> = (0..outcome.len()).filter(|&i| outcome[i] == class).collect();
        for i in (1..members.len()).rev() {
            members.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        for (k, &i) in members.iter().enumerate() {
            assignment[i] = k % folds;
        }
    }
    assignment
}
