//! ABC / Pareto classification ABC分类 (SPEC §3.1, the 20/80 rule).
//!
//! Customers are sorted by the metric descending, ties broken by customer id ascending
//! (numerically when all ids are numbers, see [`super::IdOrder`]).
//!
//! - Cumulative-share variant: with `S_i` the cumulative share of the positive total
//!   **before** customer `i`, the class is A if `S_i < a`, else B if `S_i < b`, else C (the
//!   customer who crosses a boundary belongs to the higher class). Default a = 80 %,
//!   b = 95 %.
//! - Count-based variant (industrial material): with `i` the 0-based rank among `n`
//!   customers, A if `i / n < a`, else B if `i / n < a + b`, else C (default 20 % / 20 %),
//!   i.e. the same "share before the customer" rule applied to the customer count.
//!
//! In both variants customers with a zero or negative metric are C, and metric shares are
//! shares of the **positive** total, so the class shares of the metric add up to 100 %
//! whenever some customer has a positive metric.

use super::{cmp_f64, invalid, IdOrder, ValueError};
use serde::{Deserialize, Serialize};

/// An ABC class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AbcClass {
    /// A: the few customers who carry most of the metric.
    A,
    /// B.
    B,
    /// C: the many small customers (and every customer with metric ≤ 0).
    C,
}

impl AbcClass {
    /// A, B, C.
    pub const ALL: [AbcClass; 3] = [AbcClass::A, AbcClass::B, AbcClass::C];

    /// `"A"`, `"B"` or `"C"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AbcClass::A => "A",
            AbcClass::B => "B",
            AbcClass::C => "C",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Which ABC rule to apply.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AbcVariant {
    /// By cumulative share of the metric before the customer: A below `a`, B below `b`.
    CumulativeShare {
        /// Upper bound of the share before an A customer (default 0.80).
        a: f64,
        /// Upper bound of the share before a B customer (default 0.95).
        b: f64,
    },
    /// By share of customers: the top `a` of customers are A, the next `b` are B.
    CountBased {
        /// Share of customers in A (default 0.20).
        a: f64,
        /// Share of customers in B (default 0.20).
        b: f64,
    },
}

/// Parameters of the ABC analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AbcParams {
    /// The rule and its thresholds (shares as fractions, 0.8 = 80 %).
    pub variant: AbcVariant,
}

impl Default for AbcParams {
    fn default() -> Self {
        AbcParams { variant: AbcVariant::CumulativeShare { a: 0.80, b: 0.95 } }
    }
}

impl AbcParams {
    /// The count-based 20 % / 20 % / 60 % rule.
    pub fn count_based() -> Self {
        AbcParams { variant: AbcVariant::CountBased { a: 0.20, b: 0.20 } }
    }

    /// Checks the thresholds: cumulative `0 < a ≤ b ≤ 1`; count-based `a, b ≥ 0`, `a > 0`,
    /// `a + b ≤ 1`.
    pub fn check(&self) -> Result<ValidAbcParams, ValueError> {
        match self.variant {
            AbcVariant::CumulativeShare { a, b } => {
                if !(a.is_finite() && b.is_finite() && 0.0 < a && a <= b && b <= 1.0) {
                    return Err(invalid("abc.thresholds", format!("须满足 0 < A 界限 ≤ B 界限 ≤ 1，当前 A 为 {a}，B 为 {b}"), format!("need 0 < a ≤ b ≤ 1, got a = {a}, b = {b}")));
                }
            }
            AbcVariant::CountBased { a, b } => {
                if !(a.is_finite() && b.is_finite() && a > 0.0 && b >= 0.0 && a + b <= 1.0 + 1e-12) {
                    return Err(invalid("abc.shares", format!("须满足 A 占比 > 0、B 占比 ≥ 0 且两者之和 ≤ 1，当前 A 为 {a}，B 为 {b}"), format!("need a > 0, b ≥ 0 and a + b ≤ 1, got a = {a}, b = {b}")));
                }
            }
        }
        Ok(ValidAbcParams(*self))
    }
}

/// [`AbcParams`] that passed [`AbcParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "AbcParams")]
pub struct ValidAbcParams(AbcParams);

impl ValidAbcParams {
    /// The checked parameters.
    pub fn params(&self) -> &AbcParams {
        &self.0
    }
}

/// Totals of one class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AbcClassSummary {
    /// The class.
    pub class: AbcClass,
    /// Customers in the class.
    pub count: usize,
    /// Share of all customers (0-1).
    pub customer_share: f64,
    /// Sum of the positive metric values of the class.
    pub positive_metric: f64,
    /// Sum of all metric values of the class (negative values included).
    pub metric: f64,
    /// Share of the positive total (0-1).
    pub metric_share: f64,
}

/// Result of [`abc`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbcReport {
    /// The parameters used.
    pub params: AbcParams,
    /// Class of each customer, aligned with the input.
    pub class: Vec<AbcClass>,
    /// Input positions in Pareto order (metric descending, ties by id ascending).
    pub order: Vec<usize>,
    /// Cumulative share of the positive total before each customer, aligned with the input.
    pub share_before: Vec<f64>,
    /// Cumulative share including each customer, aligned with the input (the Pareto line).
    pub share_through: Vec<f64>,
    /// Per class A, B, C.
    pub classes: [AbcClassSummary; 3],
    /// Sum of the positive metric values (the denominator of every share).
    pub positive_total: f64,
}

/// Classifies customers by `metric` (aligned with `ids`). Metric values must be finite.
pub fn abc<S: AsRef<str>>(ids: &[S], metric: &[f64], params: &ValidAbcParams) -> Result<AbcReport, ValueError> {
    if ids.len() != metric.len() {
        return Err(ValueError::LengthMismatch { what: "ids and metric".into(), left: ids.len(), right: metric.len() });
    }
    if let Some(i) = metric.iter().position(|m| !m.is_finite()) {
        return Err(invalid("metric", format!("客户 {} 的值 {} 不是有效数字", ids[i].as_ref(), metric[i]), format!("the value {} of customer {} is not a finite number", metric[i], ids[i].as_ref())));
    }
    let n = metric.len();
    let id_order = IdOrder::detect(ids);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| cmp_f64(metric[j], metric[i]).then_with(|| id_order.compare(ids[i].as_ref(), ids[j].as_ref())));
    // Sums run in Pareto order, so the result does not depend on the input row order even
    // in the last bit.
    let positive_total: f64 = order.iter().map(|&i| metric[i]).filter(|m| *m > 0.0).sum();

    let mut class = vec![AbcClass::C; n];
    let mut share_before = vec![0.0; n];
    let mut share_through = vec![0.0; n];
    let mut cumulative = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        let m = metric[i];
        let before = if positive_total > 0.0 { cumulative / positive_total } else { 0.0 };
        if m > 0.0 {
            cumulative += m;
        }
        share_before[i] = before;
        share_through[i] = if positive_total > 0.0 { cumulative / positive_total } else { 0.0 };
        class[i] = if m <= 0.0 {
            AbcClass::C
        } else {
            match params.0.variant {
                AbcVariant::CumulativeShare { a, b } => {
                    if before < a {
                        AbcClass::A
                    } else if before < b {
                        AbcClass::B
                    } else {
                        AbcClass::C
                    }
                }
                AbcVariant::CountBased { a, b } => {
                    let s = rank as f64 / n as f64;
                    if s < a {
                        AbcClass::A
                    } else if s < a + b {
                        AbcClass::B
                    } else {
                        AbcClass::C
                    }
                }
            }
        };
    }
    let mut classes = AbcClass::ALL.map(|c| AbcClassSummary {
        class: c,
        count: 0,
        customer_share: 0.0,
        positive_metric: 0.0,
        metric: 0.0,
        metric_share: 0.0,
    });
    for &i in &order {
        let s = &mut classes[class[i].index()];
        s.count += 1;
        s.metric += metric[i];
        if metric[i] > 0.0 {
            s.positive_metric += metric[i];
        }
    }
    for s in &mut classes {
        s.customer_share = if n > 0 { s.count as f64 / n as f64 } else { 0.0 };
        s.metric_share = if positive_total > 0.0 { s.positive_metric / positive_total } else { 0.0 };
    }
    Ok(AbcReport { params: params.0, class, order, share_before, share_through, classes, positive_total })
}

impl TryFrom<AbcParams> for ValidAbcParams {
    type Error = ValueError;
    /// [`AbcParams::check`]: the only way to a [`ValidAbcParams`], from code or from serde.
    fn try_from(raw: AbcParams) -> Result<Self, ValueError> {
        raw.check()
    }
}
