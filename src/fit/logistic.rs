//! L2-regularised logistic regression with sign constraints.
//!
//! In: a [`Design`] — one column of feature values per feature, each with
//! its [`Sign`] and whether the penalty applies to it, and one outcome per
//! row — the rows to fit on, and the penalty λ. Out: the [`Weights`]
//! minimising
//!
//! ```text
//! Σᵢ log(1 + exp(ηᵢ)) − yᵢ ηᵢ  +  λ/2 Σⱼ wⱼ²  (penalised features only),
//! ηᵢ = b + Σⱼ wⱼ xᵢⱼ,
//! ```
//!
//! with each weight kept on its side of zero. The solver is cyclic
//! coordinate descent with a damped Newton step per coordinate, clamped
//! to the weight's side of zero (the objective is convex, so the clamped
//! step solves each constrained one-dimensional problem): small,
//! dependency-free, and exact enough for points that are rounded to whole
//! numbers afterwards. Tested against planted weights and the optimality
//! conditions (the gradient vanishes, or points out of the allowed side).

/// Which side of zero a weight must stay on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// Any weight.
    Free,
    /// At least zero (a rule that gives points).
    NonNegative,
    /// At most zero (a penalty).
    NonPositive,
}

impl Sign {
    fn clamp(self, w: f64) -> f64 {
        match self {
            Sign::Free => w,
            Sign::NonNegative => w.max(0.0),
            Sign::NonPositive => w.min(0.0),
        }
    }
}

/// One feature: its value on every row, its sign, whether it is penalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The value on each row.
    pub values: Vec<f64>,
    /// The side of zero its weight stays on.
    pub sign: Sign,
    /// Whether λ applies to it.
    pub penalised: bool,
}

/// The features and the outcome of every row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Design {
    /// The features, each a column over all rows.
    pub features: Vec<Feature>,
    /// Whether each row converted.
    pub outcome: Vec<bool>,
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// The intercept `b`.
    pub intercept: f64,
    /// One weight per feature.
    pub weights: Vec<f64>,
}

impl Weights {
    /// The linear predictor η of row `i` of `design`.
    pub fn eta(&self, design: &Design, i: usize) -> f64 {
        self.intercept + self.weights.iter().zip(&design.features).map(|(w, f)| w * f.values[i]).sum::<f64>()
    }
}

fn sigmoid(eta: f64) -> f64 {
    1.0 / (1.0 + (-eta).exp())
}

/// Fits the rows `rows` of `design` with penalty `lambda`.
pub fn fit(design: &Design, rows: &[usize], lambda: f64) -> Weights {
    fit_from(design, rows, lambda, None)
}

/// [`fit`], starting from `start` (a fit with a nearby penalty converges
/// in fewer sweeps) instead of the base rate with every weight 0.
pub fn fit_from(design: &Design, rows: &[usize], lambda: f64, start: Option<&Weights>) -> Weights {
    const SWEEPS: usize = 5_000;
    const TOLERANCE: f64 = 1e-6;
    let n = rows.len() as f64;
    let y: Vec<f64> = rows.iter().map(|&i| f64::from(u8::from(design.outcome[i]))).collect();
    let rate = ((y.iter().sum::<f64>() + 0.5) / (n + 1.0)).clamp(1e-6, 1.0 - 1e-6);
    let mut model = match start {
        Some(start) => start.clone(),
        None => Weights { intercept: (rate / (1.0 - rate)).ln(), weights: vec![0.0; design.features.len()] },
    };
    let mut eta: Vec<f64> = rows.iter().map(|&i| model.eta(design, i)).collect();
    let mut p: Vec<f64> = eta.iter().map(|&e| sigmoid(e)).collect();
    // Each feature's non-zero values (rule indicators are mostly 0).
    let nonzero: Vec<Vec<(usize, f64)>> = design
        .features
        .iter()
        .map(|f| rows.iter().enumerate().map(|(k, &i)| (k, f.values[i])).filter(|&(_, x)| x != 0.0).collect())
        .collect();
    for _ in 0..SWEEPS {
        // The intercept: unpenalised, free.
        let (gradient, curvature) =
            p.iter().zip(&y).fold((0.0, 0.0), |(g, h), (p, y)| (g + p - y, h + p * (1.0 - p)));
        let step = newton(gradient, curvature);
        model.intercept += step;
        for (e, p) in eta.iter_mut().zip(p.iter_mut()) {
            *e += step;
            *p = sigmoid(*e);
        }
        let mut largest = step.abs();
        for (j, feature) in design.features.iter().enumerate() {
            let penalty = if feature.penalised { lambda } else { 0.0 };
            let w = model.weights[j];
            let (gradient, curvature) = nonzero[j].iter().fold((penalty * w, penalty), |(g, h), &(k, x)| {
                (g + (p[k] - y[k]) * x, h + p[k] * (1.0 - p[k]) * x * x)
            });
            let new = feature.sign.clamp(w + newton(gradient, curvature));
            let delta = new - w;
            if delta != 0.0 {
                for &(k, x) in &nonzero[j] {
                    eta[k] += delta * x;
                    p[k] = sigmoid(eta[k]);
                }
                model.weights[j] = new;
            }
            largest = largest.max(delta.abs());
        }
        if largest < TOLERANCE {
            break;
        }
    }
    model
}

/// A damped Newton step on one coordinate: `-gradient / curvature`, at
/// most one unit of log-odds either way (far from the optimum the
/// logistic curve flattens and a full step would overshoot).
fn newton(gradient: f64, curvature: f64) -> f64 {
    if curvature <= 1e-12 {
        return 0.0;
    }
    (-gradient / curvature).clamp(-1.0, 1.0)
}

/// The mean log loss of `model` on the rows `rows` of `design`.
pub fn log_loss(design: &Design, rows: &[usize], model: &Weights) -> f64 {
    let total: f64 = rows
        .iter()
        .map(|&i| {
            let eta = model.eta(design, i);
            // log(1 + e^η) − yη, computed without overflow.
            let softplus = if eta > 0.0 { eta + (-eta).exp().ln_1p() } else { eta.exp().ln_1p() };
            softplus - if design.outcome[i] { eta } else { 0.0 }
        })
        .sum();
    total / rows.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic generator (PCG-style LCG, top bits).
    struct Draw(u64);
    impl Draw {
        fn uniform(&mut self) -> f64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn planted(n: usize, weights: &[f64], intercept: f64, seed: u64) -> Design {
        let mut draw = Draw(seed);
        let mut features: Vec<Feature> = weights
            .iter()
            .map(|_| Feature { values: Vec::with_capacity(n), sign: Sign::Free, penalised: true })
            .collect();
        let mut outcome = Vec::with_capacity(n);
        for _ in 0..n {
            let mut eta = intercept;
            for (f, w) in features.iter_mut().zip(weights) {
                let x = f64::from(u8::from(draw.uniform() < 0.4));
                f.values.push(x);
                eta += w * x;
            }
            outcome.push(draw.uniform() < sigmoid(eta));
        }
        Design { features, outcome }
    }

    #[test]
    fn planted_weights_are_recovered() {
        let truth = [1.5, 0.8, 0.0, -1.0];
        let design = planted(40_000, &truth, -1.0, 7);
        let rows: Vec<usize> = (0..design.outcome.len()).collect();
        let model = fit(&design, &rows, 1.0);
        for (got, want) in model.weights.iter().zip(truth) {
            assert!((got - want).abs() < 0.08, "{:?} vs {truth:?}", model.weights);
        }
        assert!((model.intercept + 1.0).abs() < 0.08, "{}", model.intercept);
    }

    #[test]
    fn the_optimum_satisfies_its_conditions_and_signs_hold() {
        let design = planted(3_000, &[1.0, -0.7, 0.4], 0.3, 11);
        let rows: Vec<usize> = (0..design.outcome.len()).collect();
        let mut constrained = design.clone();
        // The second feature's true weight is negative: kept at or above 0.
        constrained.features[1].sign = Sign::NonNegative;
        for (d, lambda) in [(&design, 5.0), (&constrained, 5.0)] {
            let model = fit(d, &rows, lambda);
            for (j, f) in d.features.iter().enumerate() {
                let w = model.weights[j];
                let gradient: f64 = rows
                    .iter()
                    .map(|&i| (sigmoid(model.eta(d, i)) - f64::from(u8::from(d.outcome[i]))) * f.values[i])
                    .sum::<f64>()
                    + lambda * w;
                match (f.sign, w == 0.0) {
                    // At a bound, the gradient points out of the region.
                    (Sign::NonNegative, true) => assert!(gradient > -1e-3, "{j}: {gradient}"),
                    _ => assert!(gradient.abs() < 1e-3, "feature {j}: gradient {gradient}, w {w}"),
                }
            }
        }
        assert_eq!(fit(&constrained, &rows, 5.0).weights[1], 0.0);
        // A stronger penalty shrinks the weights.
        let (weak, strong) = (fit(&design, &rows, 0.1), fit(&design, &rows, 1_000.0));
        assert!(strong.weights[0].abs() < weak.weights[0].abs());
        assert!(log_loss(&design, &rows, &weak) <= log_loss(&design, &rows, &strong));
    }
}
