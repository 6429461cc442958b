//! Analytic hierarchy process 层次分析法: weights from a pairwise comparison matrix (Saaty
//! 1977, "A scaling method for priorities in hierarchical structures", J. Math. Psych. 15;
//! Saaty 1980, *The Analytic Hierarchy Process*).
//!
//! - Judgements a_ij on Saaty's 1-9 scale (and reciprocals 1/9…1): how much more important
//!   i is than j; a_ji = 1 / a_ij, a_ii = 1.
//! - Weights w = the principal right eigenvector, normalised to Σw = 1, by power iteration
//!   (w ← A·w / Σ(A·w) until max |Δw| < 1e-13).
//! - λmax = Σ_i (A·w)_i with Σw = 1 (the principal eigenvalue, ≥ n).
//! - CI = (λmax − n) / (n − 1); CR = CI / RI(n) with Saaty's random index
//!   [`RANDOM_INDEX`]; the judgements are acceptably consistent when CR < 0.1.
//! - The most inconsistent pair is the judgement farthest from what the weights imply:
//!   the (i, j) maximising max(ε, 1/ε) with ε = a_ij · w_j / w_i (Saaty 2003, "Decision-making
//!   with the AHP: why is the principal eigenvector necessary", EJOR 145 — revise the
//!   judgement with the largest ε first).

use crate::model::Language;
use serde::{Deserialize, Serialize};

/// Saaty's random consistency index RI for n = 1…15 (index n − 1), as tabulated in Saaty
/// (1980/1994) and used by Expert Choice: 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45,
/// 1.49, 1.51, 1.48, 1.56, 1.57, 1.59.
pub const RANDOM_INDEX: [f64; 15] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];

/// The consistency ratio from which judgements should be revised.
pub const CR_LIMIT: f64 = 0.1;

/// An invalid pairwise comparison matrix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AhpError {
    /// No elements to compare.
    #[error("nothing to compare")]
    Empty,
    /// More than 15 elements (no random index).
    #[error("{0} elements: the random index is tabulated up to 15")]
    TooLarge(usize),
    /// The matrix is not square or the upper triangle has the wrong length.
    #[error("expected {expected} judgements, got {got}")]
    Shape {
        /// Expected number of values.
        expected: usize,
        /// Given number of values.
        got: usize,
    },
    /// A judgement is outside 1/9…9 (or not finite).
    #[error("judgement ({i}, {j}) = {value} is outside Saaty's scale 1/9…9")]
    OffScale {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
        /// Value.
        value: f64,
    },
    /// a_ji ≠ 1 / a_ij or a_ii ≠ 1.
    #[error("judgements ({i}, {j}) and ({j}, {i}) are not reciprocal")]
    NotReciprocal {
        /// Row.
        i: usize,
        /// Column.
        j: usize,
    },
}

impl AhpError {
    /// The error as a sentence in the given language (elements numbered from 1).
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            AhpError::Empty => if zh { "没有可比较的要素。".into() } else { "There is nothing to compare.".into() },
            AhpError::TooLarge(n) => if zh {
                format!("要素有 {n} 个，层次分析法的随机一致性指标只列到 15 个。请分组比较。")
            } else {
                format!("There are {n} elements; the random consistency index is tabulated up to 15. Compare them in groups.")
            },
            AhpError::Shape { expected, got } => if zh {
                format!("应有 {expected} 个两两比较判断，实际为 {got} 个。")
            } else {
                format!("Expected {expected} pairwise judgements, got {got}.")
            },
            AhpError::OffScale { i, j, value } => if zh {
                format!("第 {} 项与第 {} 项的判断值 {value} 超出了 Saaty 标度 1/9 至 9。", i + 1, j + 1)
            } else {
                format!("The judgement of element {} against element {} is {value}, outside Saaty's scale 1/9 to 9.", i + 1, j + 1)
            },
            AhpError::NotReciprocal { i, j } => if zh {
                format!("第 {} 项与第 {} 项的两个判断值不互为倒数。", i + 1, j + 1)
            } else {
                format!("The judgements of elements {} and {} against each other are not reciprocal.", i + 1, j + 1)
            },
        }
    }
}

/// A checked positive reciprocal matrix on Saaty's scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairwiseMatrix {
    n: usize,
    a: Vec<f64>,
}

fn on_scale(v: f64) -> bool {
    v.is_finite() && (1.0 / 9.0 - 1e-9..=9.0 + 1e-9).contains(&v)
}

impl PairwiseMatrix {
    /// Builds the matrix from the judgements above the diagonal, row by row:
    /// a_01, a_02, …, a_0(n−1), a_12, … (n(n−1)/2 values).
    pub fn from_upper(n: usize, upper: &[f64]) -> Result<Self, AhpError> {
        if n == 0 {
            return Err(AhpError::Empty);
        }
        if n > RANDOM_INDEX.len() {
            return Err(AhpError::TooLarge(n));
        }
        let expected = n * (n - 1) / 2;
        if upper.len() != expected {
            return Err(AhpError::Shape { expected, got: upper.len() });
        }
        let mut a = vec![1.0; n * n];
        let mut k = 0;
        for i in 0..n {
            for j in i + 1..n {
                let v = upper[k];
                k += 1;
                if !on_scale(v) {
                    return Err(AhpError::OffScale { i, j, value: v });
                }
                a[i * n + j] = v;
                a[j * n + i] = 1.0 / v;
            }
        }
        Ok(Self { n, a })
    }

    /// Builds the matrix from full rows; a_ji must equal 1 / a_ij within 2 % (so 0.33 for
    /// 1/3 is accepted) and the diagonal must be 1. The upper triangle is kept and the lower
    /// triangle set to its exact reciprocals.
    // Indexing by (i, j) mirrors the matrix notation a_ij / a_ji of the judgements.
    #[allow(clippy::needless_range_loop)]
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Self, AhpError> {
        let n = rows.len();
        if n == 0 {
            return Err(AhpError::Empty);
        }
        if n > RANDOM_INDEX.len() {
            return Err(AhpError::TooLarge(n));
        }
        let got: usize = rows.iter().map(Vec::len).sum();
        if rows.iter().any(|r| r.len() != n) {
            return Err(AhpError::Shape { expected: n * n, got });
        }
        let mut upper = Vec::with_capacity(n * (n - 1) / 2);
        for i in 0..n {
            if (rows[i][i] - 1.0).abs() > 1e-9 {
                return Err(AhpError::NotReciprocal { i, j: i });
            }
            for j in i + 1..n {
                let (v, r) = (rows[i][j], rows[j][i]);
                if !on_scale(v) {
                    return Err(AhpError::OffScale { i, j, value: v });
                }
                if !on_scale(r) {
                    return Err(AhpError::OffScale { i: j, j: i, value: r });
                }
                if (v * r - 1.0).abs() > 0.02 {
                    return Err(AhpError::NotReciprocal { i, j });
                }
                upper.push(v);
            }
        }
        Self::from_upper(n, &upper)
    }

    /// Number of elements compared.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The judgement a_ij.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        (i < self.n && j < self.n).then(|| self.a[i * self.n + j])
    }
}

/// The judgement that deviates most from the derived weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InconsistentPair {
    /// Row.
    pub i: usize,
    /// Column.
    pub j: usize,
    /// The judgement a_ij as given.
    pub given: f64,
    /// The value w_i / w_j the weights imply (a consistent judgement).
    pub implied: f64,
    /// max(ε, 1/ε) with ε = a_ij · w_j / w_i; 1 for a perfectly consistent judgement.
    pub deviation: f64,
}

/// The AHP weights of one comparison matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AhpReport {
    /// Number of elements.
    pub n: usize,
    /// Weights (principal eigenvector), summing to 1.
    pub weights: Vec<f64>,
    /// Principal eigenvalue λmax.
    pub lambda_max: f64,
    /// Consistency index (λmax − n)/(n − 1); 0 for n ≤ 2.
    pub ci: f64,
    /// Random index RI(n).
    pub ri: f64,
    /// Consistency ratio CI/RI; 0 for n ≤ 2 (always consistent).
    pub cr: f64,
    /// CR < 0.1.
    pub consistent: bool,
    /// The judgement to revise first (`None` for n = 1).
    pub most_inconsistent: Option<InconsistentPair>,
    /// Power-iteration rounds used.
    pub iterations: usize,
}

/// Weights, λmax, CI and CR of a pairwise comparison matrix (formulas in the module docs).
pub fn ahp(m: &PairwiseMatrix) -> AhpReport {
    let n = m.n;
    let mut w = vec![1.0 / n as f64; n];
    let mut iterations = 0;
    // A positive matrix has a simple dominant eigenvalue (Perron), so the power iteration
    // converges; 10 000 rounds is a guard, never reached on a 1/9…9 matrix.
    for it in 1..=10_000 {
        iterations = it;
        let aw: Vec<f64> = (0..n).map(|i| (0..n).map(|j| m.a[i * n + j] * w[j]).sum()).collect();
        let s: f64 = aw.iter().sum();
        let next: Vec<f64> = aw.iter().map(|v| v / s).collect();
        let delta = next.iter().zip(&w).fold(0.0_f64, |d, (a, b)| d.max((a - b).abs()));
        w = next;
        if delta < 1e-13 {
            break;
        }
    }
    let lambda_max: f64 = (0..n).map(|i| (0..n).map(|j| m.a[i * n + j] * w[j]).sum::<f64>()).sum();
    let ri = RANDOM_INDEX[n - 1];
    let ci = if n > 2 { ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0) } else { 0.0 };
    let cr = if ri > 0.0 { ci / ri } else { 0.0 };
    let mut most: Option<InconsistentPair> = None;
    for i in 0..n {
        for j in i + 1..n {
            let given = m.a[i * n + j];
            let implied = w[i] / w[j];
            let eps = given / implied;
            let deviation = eps.max(1.0 / eps);
            if most.is_none_or(|p| deviation > p.deviation + 1e-12) {
                most = Some(InconsistentPair { i, j, given, implied, deviation });
            }
        }
    }
    AhpReport { n, weights: w, lambda_max, ci, ri, cr, consistent: cr < CR_LIMIT, most_inconsistent: most, iterations }
}
