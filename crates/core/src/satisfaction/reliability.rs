//! Cronbach's alpha of a group of items, both forms of SPEC §5, labelled:
//!
//! - raw α = k/(k−1) · (1 − Σ var_i / var(Σ x_i)) from the item variances (n − 1), what
//!   SPSS and pingouin report (Cronbach 1951, Psychometrika 16);
//! - standardized α = k/(k−1) · (1 − k / ΣR) where ΣR is the sum of all entries of the item
//!   correlation matrix (diagonal included), what R's plspm and seminr report.
//!
//! Respondents with a missing answer in the group are left out (listwise deletion); the
//! report says how many.

use super::{var, ItemTable};
use crate::model::Language;
use serde::{Deserialize, Serialize};

/// Why alpha could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReliabilityError {
    /// Fewer than two items.
    #[error("Cronbach's alpha needs at least two items, got {0}")]
    TooFewItems(usize),
    /// Fewer than two complete respondents.
    #[error("Cronbach's alpha needs at least two complete respondents, got {0}")]
    TooFewRows(usize),
    /// An item or the total has zero variance.
    #[error("item {0:?} does not vary")]
    ZeroVariance(String),
}

impl ReliabilityError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            ReliabilityError::TooFewItems(n) => if zh {
                format!("计算克朗巴哈 α 系数至少需要 2 个题目，当前只有 {n} 个。")
            } else {
                format!("Cronbach's alpha needs at least two items, got {n}.")
            },
            ReliabilityError::TooFewRows(n) => if zh {
                format!("计算克朗巴哈 α 系数至少需要 2 位答完全部题目的受访者，当前只有 {n} 位。")
            } else {
                format!("Cronbach's alpha needs at least two respondents who answered every item, got {n}.")
            },
            ReliabilityError::ZeroVariance(item) => if zh { format!("题目“{item}”的回答没有差异。") } else { format!("The answers to “{item}” do not vary.") },
        }
    }
}

/// Cronbach's alpha of one item group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlphaReport {
    /// Items k.
    pub k: usize,
    /// Complete respondents used.
    pub n: usize,
    /// Respondents left out for a missing answer.
    pub dropped: usize,
    /// Raw alpha (covariance form; SPSS, pingouin).
    pub raw: f64,
    /// Standardized alpha (correlation form; plspm, seminr).
    pub standardized: f64,
}

/// Cronbach's alpha of all columns of `table` (formulas in the module docs).
pub fn cronbach_alpha(table: &ItemTable) -> Result<AlphaReport, ReliabilityError> {
    let cols: Vec<usize> = (0..table.names().len()).collect();
    let (x, dropped) = table.complete_columns(&cols);
    alpha_of_columns(&x, table.names(), dropped)
}

/// Alpha of complete columns (all of equal length).
pub(crate) fn alpha_of_columns(x: &[Vec<f64>], names: &[String], dropped: usize) -> Result<AlphaReport, ReliabilityError> {
    let k = x.len();
    if k < 2 {
        return Err(ReliabilityError::TooFewItems(k));
    }
    let n = x[0].len();
    if n < 2 {
        return Err(ReliabilityError::TooFewRows(n));
    }
    let vars: Vec<f64> = x.iter().map(|c| var(c).unwrap_or(0.0)).collect();
    if let Some(j) = vars.iter().position(|v| *v <= 0.0) {
        return Err(ReliabilityError::ZeroVariance(names.get(j).cloned().unwrap_or_else(|| j.to_string())));
    }
    let total: Vec<f64> = (0..n).map(|i| x.iter().map(|c| c[i]).sum()).collect();
    let var_total = var(&total).unwrap_or(0.0);
    if var_total <= 0.0 {
        return Err(ReliabilityError::ZeroVariance("Σ".into()));
    }
    let kf = k as f64;
    let raw = kf / (kf - 1.0) * (1.0 - vars.iter().sum::<f64>() / var_total);
    // Σ of the correlation matrix = var(Σ z_i) for the z-scored items.
    let means: Vec<f64> = x.iter().map(|c| c.iter().sum::<f64>() / n as f64).collect();
    let sds: Vec<f64> = vars.iter().map(|v| v.sqrt()).collect();
    let zsum: Vec<f64> = (0..n).map(|i| (0..k).map(|j| (x[j][i] - means[j]) / sds[j]).sum()).collect();
    let sum_r = var(&zsum).unwrap_or(0.0);
    let standardized = kf / (kf - 1.0) * (1.0 - kf / sum_r);
    Ok(AlphaReport { k, n, dropped, raw, standardized })
}
