//! Customer value analyses (SPEC §3): which customers carry the business, which are worth
//! developing, which are slipping away.
//!
//! How the children relate:
//! - [`facts`] turns order lines into per-customer facts once (period totals, purchase
//!   occasions, first and last purchase, the BG/NBD summary `(x, t_x, T)`, the mean repeat
//!   spend, windows for trends). Every other module reads these facts, never order lines.
//! - [`abc`] (SPEC §3.1) and [`rfm`] (SPEC §3.2) rank and score customers; both break ties
//!   by customer id with [`compare_ids`].
//! - [`clv`] (SPEC §3.3) holds the historical lifetime-profit components and the simple
//!   retention formula; [`bgnbd`] and [`gamma_gamma`] are the probabilistic models (fit by
//!   maximum likelihood with the optimiser in [`optim`]) that [`clv`] combines into a
//!   probabilistic CLV.
//! - [`matrix`] (SPEC §3.4), [`grade`] (SPEC §3.5) and [`lifecycle`] (SPEC §3.6, §3.7)
//!   classify customers from the facts and, where available, the model outputs.
//! - [`calibration`] checks the BG/NBD fit (calibration vs holdout, frequency/recency
//!   matrices); [`change`] compares a customer's value with the previous period.
//! - [`ValueParams`] / [`analyse`] run everything for all customers and return one
//!   [`ValueReport`]; use the modules directly for a single analysis.
//!
//! Every analysis takes validated parameters (`*Params::check() -> Valid*Params`), so the
//! algorithms never re-check, and returns a `*Report` that states its parameters.

pub mod abc;
pub mod bgnbd;
pub mod calibration;
pub mod change;
pub mod clv;
pub mod facts;
pub mod gamma_gamma;
pub mod grade;
pub mod lifecycle;
pub mod matrix;
pub mod optim;
pub mod report;
pub mod rfm;

#[cfg(test)]
mod tests;

pub use report::{analyse, analyse_table, stub_customers, CustomerValue, JobProgress, ValidValueParams, ValueJob, ValueParams, ValueReport};

use crate::error::Bilingual;
use crate::model::Language;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The value metric of ABC, the value matrix and the lifecycle trend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Revenue (sum of order-line amounts) 销售额.
    #[default]
    Revenue,
    /// Gross profit 毛利 (order lines without a profit count 0).
    Profit,
}

/// The time unit of the BG/NBD summary `(x, t_x, T)` and of its predictions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days.
    Day,
    /// Weeks of 7 days. Purchases are still grouped by day (two purchases on one day count
    /// once) and times are days / 7, as in the CDNOW summary of Fader, Hardie & Lee (2005)
    /// and the `freq_multiplier = 7` convention of the Python package `lifetimes`.
    #[default]
    Week,
}

impl TimeUnit {
    /// Length of one unit in days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
        }
    }

    /// The stable code (`day`, `week`).
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
        }
    }
}

/// Errors of the value analyses: parameters that fail their check, inputs of mismatched
/// shape, and model fits that fail. [`ValueError::message`] says what is wrong in Chinese
/// or English.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ValueError {
    /// A parameter is outside its allowed range.
    #[error("invalid parameter {name}: {why}")]
    InvalidParam {
        /// Parameter key (`clv.retention`); [`param_label`] names it for people.
        name: String,
        /// What is wrong with it, in both languages.
        why: Bilingual,
    },
    /// Two inputs that must be aligned have different lengths.
    #[error("input lengths differ: {what} ({left} vs {right})")]
    LengthMismatch {
        /// Which inputs.
        what: String,
        /// First length.
        left: usize,
        /// Second length.
        right: usize,
    },
    /// A model fit failed.
    #[error(transparent)]
    Fit(#[from] FitError),
}

impl ValueError {
    /// The error as a sentence in the given language, naming the parameter by its label.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            ValueError::InvalidParam { name, why } => {
                let label = param_label(name, lang);
                if zh { format!("参数「{label}」无效：{}。", why.zh) } else { format!("Invalid parameter “{label}”: {}.", why.en) }
            }
            ValueError::LengthMismatch { what, left, right } => {
                if zh {
                    format!("内部错误：两组计算输入的长度不一致（{left} 与 {right}）。请报告此问题。")
                } else {
                    format!("Internal error: {what} have different lengths ({left} vs {right}). Please report it.")
                }
            }
            ValueError::Fit(e) => e.message(lang),
        }
    }
}

/// The label of a value parameter key (see [`ValueError::InvalidParam`]) in the given
/// language; an unknown key is returned as it is.
pub fn param_label(name: &str, lang: Language) -> String {
    const LABELS: &[(&str, &str, &str)] = &[
        ("abc.thresholds", "ABC 累计占比界限", "ABC cumulative-share thresholds"),
        ("abc.shares", "ABC 客户数占比", "ABC customer shares"),
        ("metric", "分析指标", "analysis metric"),
        ("monetary", "消费金额", "monetary value"),
        ("matrix.current_split", "当前价值分界百分位", "current-value split percentile"),
        ("matrix.potential_split", "潜在价值分界百分位", "potential-value split percentile"),
        ("value", "当前价值与潜在价值", "current and potential value"),
        ("relationship.high_from", "关系强度“高”的起点", "relationship score counted as high from"),
        ("clv.margin", "利润率", "margin"),
        ("clv.retention", "保留率", "retention rate"),
        ("clv.discount", "折现率", "discount rate"),
        ("clv.horizon", "CLV 期数", "CLV horizon"),
        ("clv.period_days", "每期天数", "days per period"),
        ("grade.thresholds", "客户等级界限", "grade thresholds"),
        ("bgnbd.max_iter", "BG/NBD 最大迭代次数", "BG/NBD maximum iterations"),
        ("bgnbd.grad_tol", "BG/NBD 收敛精度", "BG/NBD convergence tolerance"),
        ("gamma_gamma.max_iter", "Gamma-Gamma 最大迭代次数", "Gamma-Gamma maximum iterations"),
        ("gamma_gamma.grad_tol", "Gamma-Gamma 收敛精度", "Gamma-Gamma convergence tolerance"),
        ("period_start", "分析期开始日期", "period start"),
        ("lifecycle.new_within_days", "新客户天数", "days a customer counts as new"),
        ("lifecycle.overdue_factor", "逾期倍数", "overdue factor"),
        ("lifecycle.growth", "成长阈值", "growth threshold"),
        ("lifecycle.decline", "衰退阈值", "decline threshold"),
        ("lifecycle.trend_window_days", "趋势窗口天数", "trend window in days"),
        ("review.tag_rules", "标签规则", "tag rules"),
        ("split", "校准期结束日期", "calibration split date"),
        ("max_x", "购买次数分组上限", "highest purchase-count bin"),
        ("rfm.r_cuts", "R（最近购买）分界点", "R (recency) cut points"),
        ("rfm.f_cuts", "F（购买频率）分界点", "F (frequency) cut points"),
        ("rfm.m_cuts", "M（消费金额）分界点", "M (monetary) cut points"),
    ];
    match LABELS.iter().find(|(k, _, _)| *k == name) {
        Some((_, zh, en)) => if lang == Language::ZhCn { (*zh).to_string() } else { (*en).to_string() },
        None => name.to_string(),
    }
}

/// Why a model fit failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum FitError {
    /// Not enough customers with repeat purchases to identify the model.
    #[error("too few repeat buyers to fit the {model} model: {found} found, at least {needed} needed")]
    TooFewRepeatBuyers {
        /// `BG/NBD` or `Gamma-Gamma`.
        model: String,
        /// Repeat buyers found.
        found: usize,
        /// Repeat buyers required.
        needed: usize,
    },
    /// The input rows are unusable (negative times, t_x > T, non-positive spend…).
    #[error("invalid summary row {row}: {why}")]
    InvalidRow {
        /// 0-based row.
        row: usize,
        /// What is wrong, in both languages.
        why: Bilingual,
    },
    /// The optimiser did not converge.
    #[error("the {model} fit did not converge after {iterations} iterations (gradient norm {gradient_norm:.3e})")]
    NoConvergence {
        /// Model name.
        model: String,
        /// Iterations used.
        iterations: usize,
        /// Size of the gradient at the last point.
        gradient_norm: f64,
    },
    /// A parameter ran off to 0 or infinity: the data do not identify the model.
    #[error("the {model} fit diverged: parameter {parameter} went to {value:e}; the data do not identify the model")]
    Diverged {
        /// Model name.
        model: String,
        /// Parameter name.
        parameter: String,
        /// Its last value.
        value: f64,
    },
}

impl FitError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            FitError::TooFewRepeatBuyers { model, found, needed } => if zh {
                format!("重复购买的客户太少，无法拟合 {model} 模型：只有 {found} 位，至少需要 {needed} 位。")
            } else {
                format!("Too few repeat buyers to fit the {model} model: {found} found, at least {needed} needed.")
            },
            FitError::InvalidRow { row, why } => if zh {
                format!("第 {} 位客户的汇总数据无效：{}。", row + 1, why.zh)
            } else {
                format!("The summary of customer {} is invalid: {}.", row + 1, why.en)
            },
            FitError::NoConvergence { model, iterations, gradient_norm } => if zh {
                format!("{model} 模型在 {iterations} 次迭代后仍未收敛（梯度范数 {gradient_norm:.2e}）。")
            } else {
                format!("The {model} fit did not converge after {iterations} iterations (gradient norm {gradient_norm:.2e}).")
            },
            FitError::Diverged { model, parameter, value } => if zh {
                format!("{model} 模型拟合发散：参数 {parameter} 趋于 {value:.3e}，现有数据无法确定该模型。")
            } else {
                format!("The {model} fit diverged: parameter {parameter} went to {value:.3e}; the data do not identify the model.")
            },
        }
    }
}

/// Shorthand for parameter errors: the parameter key and what is wrong in Chinese and
/// English (no final full stop; the message adds it).
pub(crate) fn invalid(name: &str, zh: impl Into<String>, en: impl Into<String>) -> ValueError {
    ValueError::InvalidParam { name: name.into(), why: Bilingual::new(zh, en) }
}

/// True when an id is a non-empty run of ASCII digits.
fn is_number(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

/// How customer ids compare when breaking ties (SPEC §3.1, §3.2): numerically when every id
/// is a number, otherwise as text (Unicode code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdOrder {
    /// All ids are numbers: compare as integers of any length.
    Numeric,
    /// Compare as text.
    Text,
}

impl IdOrder {
    /// Numeric when every id is a non-empty run of ASCII digits.
    pub fn detect<S: AsRef<str>>(ids: &[S]) -> IdOrder {
        if !ids.is_empty() && ids.iter().all(|s| is_number(s.as_ref())) {
            IdOrder::Numeric
        } else {
            IdOrder::Text
        }
    }

    /// Compares two ids. Numeric comparison strips leading zeros and compares length, then
    /// digits, so ids longer than any integer type still compare correctly; numerically
    /// equal ids (`7`, `007`) fall back to the text order so the order stays total.
    pub fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            IdOrder::Text => a.cmp(b),
            IdOrder::Numeric => {
                let ta = a.trim_start_matches('0');
                let tb = b.trim_start_matches('0');
                ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb)).then_with(|| a.cmp(b))
            }
        }
    }
}

/// Compares ids `a` and `b` of the set `ids` by the rule of SPEC §3.1 (see [`IdOrder`]).
/// Detecting the rule costs a pass over `ids`; for many comparisons call
/// [`IdOrder::detect`] once and then [`IdOrder::compare`].
pub fn compare_ids<S: AsRef<str>>(ids: &[S], a: &str, b: &str) -> Ordering {
    IdOrder::detect(ids).compare(a, b)
}

/// Sort key helper: a total order on finite floats (NaN sorts last; inputs are checked to be
/// finite before they get here).
pub(crate) fn cmp_f64(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b).unwrap_or_else(|| a.is_nan().cmp(&b.is_nan()))
}

/// The `p`-quantile (0 ≤ p ≤ 1) of `values` with linear interpolation between order
/// statistics (Hyndman & Fan 1996, type 7; R's default, numpy's `linear`). `None` when empty.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_unstable_by(|a, b| cmp_f64(*a, *b));
    let h = (v.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}
