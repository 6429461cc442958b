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
/// shape, and model fits that fail. Each says what is wrong in words.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ValueError {
    /// A parameter is outside its allowed range.
    #[error("invalid parameter {name}: {why}")]
    InvalidParam {
        /// Parameter name.
        name: String,
        /// What is wrong with it.
        why: String,
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
        /// What is wrong.
        why: String,
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
    /// The fitted parameters do not allow the requested quantity (e.g. Gamma-Gamma q ≤ 1 has
    /// no finite mean spend).
    #[error("{0}")]
    Unusable(String),
}

/// Shorthand for parameter errors.
pub(crate) fn invalid(name: &str, why: impl Into<String>) -> ValueError {
    ValueError::InvalidParam { name: name.into(), why: why.into() }
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
