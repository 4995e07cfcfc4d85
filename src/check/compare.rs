//! What a comparison accepts, as one inclusive range: the one place where
//! `x < k` becomes `MIN..=k-1`.
//!
//! In: a comparison operator and its constant, on a [`Point`] line (ints,
//! numbers, or the lints' keys between numbers). Out: the range of values
//! that pass (outside it, for `!=`), or nothing when none can (`< MIN`,
//! `> MAX`). The lowering (int tests), the plan (number deciders) and the
//! lints (the values a rule covers) all read comparisons through it.

use crate::syntax::ast::CmpOp;

/// A line of ordered points with ends and neighbours.
pub(crate) trait Point: Copy + PartialOrd {
    /// The least point.
    const MIN: Self;
    /// The greatest point.
    const MAX: Self;
    /// The point just after this one (itself at [`Point::MAX`]).
    fn next(self) -> Self;
    /// The point just before this one (itself at [`Point::MIN`]).
    fn prev(self) -> Self;
}

impl Point for i64 {
    const MIN: i64 = i64::MIN;
    const MAX: i64 = i64::MAX;
    fn next(self) -> i64 {
        self.saturating_add(1)
    }
    fn prev(self) -> i64 {
        self.saturating_sub(1)
    }
}

/// Numbers, infinities included: the neighbours are the next
/// representable values. NaN is in no range.
impl Point for f64 {
    const MIN: f64 = f64::NEG_INFINITY;
    const MAX: f64 = f64::INFINITY;
    fn next(self) -> f64 {
        self.next_up()
    }
    fn prev(self) -> f64 {
        self.next_down()
    }
}

/// The values `x` with `x op k`: `Some((lo, hi, negated))` when they are
/// those in `lo..=hi` (outside it, when `negated`), `None` when there are
/// none.
pub(crate) fn comparison_range<T: Point>(op: CmpOp, k: T) -> Option<(T, T, bool)> {
    Some(match op {
        CmpOp::Eq => (k, k, false),
        CmpOp::Ne => (k, k, true),
        // Nothing is below the least point (a saturating `prev` would
        // keep it in).
        CmpOp::Lt if k == T::MIN => return None,
        CmpOp::Lt => (T::MIN, k.prev(), false),
        CmpOp::Le => (T::MIN, k, false),
        CmpOp::Gt if k == T::MAX => return None,
        CmpOp::Gt => (k.next(), T::MAX, false),
        CmpOp::Ge => (k, T::MAX, false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On ints, the range holds exactly the values the comparison holds
    /// for, at the ends of the line too.
    #[test]
    fn int_ranges_agree_with_the_comparison() {
        let ks = [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX];
        let ops = [CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge];
        for op in ops {
            for k in ks {
                for x in ks.iter().flat_map(|&v| [v, v.saturating_add(1), v.saturating_sub(1)]) {
                    let holds = match op {
                        CmpOp::Eq => x == k,
                        CmpOp::Ne => x != k,
                        CmpOp::Lt => x < k,
                        CmpOp::Le => x <= k,
                        CmpOp::Gt => x > k,
                        CmpOp::Ge => x >= k,
                    };
                    let in_range = comparison_range(op, k)
                        .is_some_and(|(lo, hi, negated)| (lo <= x && x <= hi) != negated);
                    assert_eq!(in_range, holds, "{x} {op:?} {k}");
                }
            }
        }
    }
}
