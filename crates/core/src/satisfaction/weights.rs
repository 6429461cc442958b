//! Indicator weights: normalisation of entered weights and the two objective methods of
//! SPEC §5, both computed per column of an [`ItemTable`] of non-negative scores (use the
//! 0-100 scores of [`super::csi::leaf_table`]); missing answers are skipped per column.
//!
//! - **Entropy weight method** 熵权法 (Shannon entropy; e.g. Zou, Yun & Sun 2006, J. Env.
//!   Sci. 18(5)): p_ij = x_ij / Σ_i x_ij, e_j = −(1 / ln n_j) Σ_i p_ij ln p_ij (with
//!   0 · ln 0 = 0), d_j = 1 − e_j, w_j = d_j / Σ d. An item on which everyone answers the
//!   same carries no information and gets weight 0.
//! - **Coefficient of variation** 变异系数法: v_j = s_j / x̄_j (s with n − 1),
//!   w_j = v_j / Σ v.

use super::{mean, var, ItemTable};
use crate::model::Language;
use serde::{Deserialize, Serialize};

/// Why weights could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    /// No weights / no columns.
    #[error("no weights to normalise")]
    Empty,
    /// A weight or value is negative or not finite.
    #[error("item {item:?}: value {value} is negative or not finite")]
    Negative {
        /// Item name (or position).
        item: String,
        /// The value.
        value: f64,
    },
    /// All weights are zero.
    #[error("all weights are zero")]
    AllZero,
    /// A column has fewer than two answers.
    #[error("item {0:?} has fewer than two answers")]
    TooFewAnswers(String),
    /// A column's answers sum (or average) to zero.
    #[error("item {0:?} has only zero answers")]
    ZeroColumn(String),
    /// No item varies, so neither method can tell them apart.
    #[error("no item varies across respondents")]
    NoVariation,
}

impl WeightsError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            WeightsError::Empty => if zh { "没有可归一化的权重。".into() } else { "There are no weights to normalise.".into() },
            WeightsError::Negative { item, value } => if zh {
                format!("“{item}”的值 {value} 为负数或不是有效数字。")
            } else {
                format!("The value {value} of “{item}” is negative or not a finite number.")
            },
            WeightsError::AllZero => if zh { "所有权重都为 0。".into() } else { "All weights are 0.".into() },
            WeightsError::TooFewAnswers(item) => if zh { format!("“{item}”的回答少于 2 个。") } else { format!("“{item}” has fewer than two answers.") },
            WeightsError::ZeroColumn(item) => if zh { format!("“{item}”的回答全为 0。") } else { format!("“{item}” has only zero answers.") },
            WeightsError::NoVariation => if zh {
                "所有题目在受访者之间都没有差异，无法据此计算客观权重。".into()
            } else {
                "No item varies across respondents, so objective weights cannot tell them apart.".into()
            },
        }
    }
}

/// Weights as they are stored in a survey design: normalised to sum 1 and rounded to
/// `decimals` places so that the rounded weights still sum to exactly 1 in those places
/// (largest remainder: the units lost by rounding down go to the weights that lost most,
/// ties to the earlier one).
pub fn rounded(weights: &[f64], decimals: u32) -> Result<Vec<f64>, WeightsError> {
    let w = normalise(weights)?;
    let scale = 10_f64.powi(decimals as i32);
    let target = scale.round() as i64;
    let mut units: Vec<i64> = w.iter().map(|x| (x * scale).floor() as i64).collect();
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by(|&a, &b| (w[b] * scale - units[b] as f64).total_cmp(&(w[a] * scale - units[a] as f64)).then(a.cmp(&b)));
    let missing = (target - units.iter().sum::<i64>()).max(0) as usize;
    for &i in order.iter().cycle().take(missing) {
        units[i] += 1;
    }
    Ok(units.iter().map(|&u| u as f64 / scale).collect())
}

/// Normalises non-negative weights to sum 1.
pub fn normalise(weights: &[f64]) -> Result<Vec<f64>, WeightsError> {
    if weights.is_empty() {
        return Err(WeightsError::Empty);
    }
    for (i, &w) in weights.iter().enumerate() {
        if !(w.is_finite() && w >= 0.0) {
            return Err(WeightsError::Negative { item: i.to_string(), value: w });
        }
    }
    let s: f64 = weights.iter().sum();
    if s <= 0.0 {
        return Err(WeightsError::AllZero);
    }
    Ok(weights.iter().map(|w| w / s).collect())
}

/// Which objective method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveMethod {
    /// Entropy weight method.
    Entropy,
    /// Coefficient of variation.
    CoefficientOfVariation,
}

/// Objective weights per item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveWeightsReport {
    /// The method.
    pub method: ObjectiveMethod,
    /// Item names (columns of the table).
    pub items: Vec<String>,
    /// Weights, summing to 1.
    pub weights: Vec<f64>,
    /// Per item: the entropy e_j (entropy method) or the coefficient of variation v_j.
    pub statistic: Vec<f64>,
    /// Answers used per item.
    pub n: Vec<usize>,
}

fn columns(table: &ItemTable) -> Result<Vec<Vec<f64>>, WeightsError> {
    if table.names().is_empty() {
        return Err(WeightsError::Empty);
    }
    let mut out = Vec::with_capacity(table.names().len());
    for (j, name) in table.names().iter().enumerate() {
        let col = table.answered(j);
        if let Some(&v) = col.iter().find(|v| **v < 0.0) {
            return Err(WeightsError::Negative { item: name.clone(), value: v });
        }
        if col.len() < 2 {
            return Err(WeightsError::TooFewAnswers(name.clone()));
        }
        if col.iter().all(|v| *v == 0.0) {
            return Err(WeightsError::ZeroColumn(name.clone()));
        }
        out.push(col);
    }
    Ok(out)
}

/// Entropy weights (formulas in the module docs).
pub fn entropy_weights(table: &ItemTable) -> Result<ObjectiveWeightsReport, WeightsError> {
    let cols = columns(table)?;
    let mut entropy = Vec::with_capacity(cols.len());
    for col in &cols {
        let s: f64 = col.iter().sum();
        let h: f64 = col.iter().filter(|v| **v > 0.0).map(|v| v / s).map(|p| p * p.ln()).sum();
        entropy.push((-h / (col.len() as f64).ln()).clamp(0.0, 1.0));
    }
    let d: Vec<f64> = entropy.iter().map(|e| 1.0 - e).collect();
    if d.iter().sum::<f64>() <= 1e-15 {
        return Err(WeightsError::NoVariation);
    }
    Ok(ObjectiveWeightsReport {
        method: ObjectiveMethod::Entropy,
        items: table.names().to_vec(),
        weights: normalise(&d)?,
        statistic: entropy,
        n: cols.iter().map(Vec::len).collect(),
    })
}

/// Coefficient-of-variation weights (formulas in the module docs).
pub fn cv_weights(table: &ItemTable) -> Result<ObjectiveWeightsReport, WeightsError> {
    let cols = columns(table)?;
    let mut cv = Vec::with_capacity(cols.len());
    for col in &cols {
        let (m, v) = (mean(col).unwrap_or(0.0), var(col).unwrap_or(0.0));
        cv.push(v.sqrt() / m);
    }
    if cv.iter().sum::<f64>() <= 0.0 {
        return Err(WeightsError::NoVariation);
    }
    Ok(ObjectiveWeightsReport {
        method: ObjectiveMethod::CoefficientOfVariation,
        items: table.names().to_vec(),
        weights: normalise(&cv)?,
        statistic: cv,
        n: cols.iter().map(Vec::len).collect(),
    })
}
