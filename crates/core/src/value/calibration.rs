//! Model checks for the BG/NBD fit (SPEC §3.3): the calibration / holdout comparison of
//! Fader, Hardie & Lee (2005, Figure 4) and the frequency/recency matrices of expected
//! purchases and P(alive).
//!
//! Calibration / holdout: the model is fitted on the purchases up to a split date (the
//! calibration period); for the customers who had bought by then, the purchases they
//! actually made after the split, up to the end date (the holdout period), are compared
//! with the model's conditional expectation, per calibration frequency `x`. Holdout
//! purchases are counted like `x`: purchase days (lines with a positive amount), several
//! on one day counting once.

use super::bgnbd::{self, BgNbdFit, BgNbdParams, HoldoutBin, SummaryRow, ValidBgNbdFitParams};
use super::facts::{customer_facts_table, FactsSpec};
use super::{invalid, FitError, Metric, TimeUnit, ValueError};
use crate::model::Date;
use crate::orders::{Lines, OrderTable};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Parameters of the calibration / holdout check.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationParams {
    /// Last day of the calibration period (inclusive).
    pub split: Date,
    /// Last day of the holdout period (inclusive), usually the as-of date.
    pub end: Date,
    /// Time unit of the model.
    pub unit: TimeUnit,
    /// Frequency bins `0..max_x`, the last one open-ended (FHL 2005 use 7).
    pub max_x: u32,
}

/// Checked [`CalibrationParams`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidCalibrationParams(CalibrationParams);

impl CalibrationParams {
    /// The split date offered first: 26 weeks (182 days) before `end`, so the holdout
    /// covers the last half year (Fader, Hardie and Lee 2005 hold out 39 of 78 weeks).
    pub fn default_split(end: Date) -> Date {
        end - chrono::Days::new(182)
    }

    /// Checks that the holdout period is at least one day long and the bins are sensible.
    pub fn check(&self) -> Result<ValidCalibrationParams, ValueError> {
        if self.split >= self.end {
            return Err(invalid("split", format!("分界日 {} 必须早于截止日 {}", self.split, self.end), format!("the split date {} must be before the end date {}", self.split, self.end)));
        }
        if self.max_x == 0 || self.max_x > 50 {
            return Err(invalid("max_x", format!("须为 1 到 50，当前为 {}", self.max_x), format!("must be 1 to 50, got {}", self.max_x)));
        }
        Ok(ValidCalibrationParams(*self))
    }
}

/// Result of the calibration / holdout check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    /// The parameters.
    pub params: CalibrationParams,
    /// Length of the holdout period in model units.
    pub holdout_units: f64,
    /// Customers with a purchase in the calibration period (the ones compared).
    pub customers: usize,
    /// The fit on the calibration period.
    pub fit: Result<BgNbdFit, FitError>,
    /// Per calibration frequency: customers, mean actual and mean predicted holdout
    /// purchases (empty when the fit failed).
    pub bins: Vec<HoldoutBin>,
    /// Actual holdout purchases of these customers, in total.
    pub actual_total: f64,
    /// Predicted holdout purchases, in total (0 when the fit failed).
    pub predicted_total: f64,
}

impl CalibrationReport {
    /// How far the predicted total is from the actual one, as a share of the actual
    /// (`predicted / actual − 1`); `None` when nothing was bought in the holdout.
    pub fn relative_error(&self) -> Option<f64> {
        (self.actual_total > 0.0).then(|| self.predicted_total / self.actual_total - 1.0)
    }
}

/// Fits BG/NBD on the purchases up to `split` and compares its predictions with the
/// purchases in `(split, end]` of the customers in `ids`. Lines of other customers and
/// lines after `end` are ignored.
pub fn calibration_holdout<S: AsRef<str>>(
    ids: &[S],
    orders: &OrderTable,
    params: &ValidCalibrationParams,
    fit_params: &ValidBgNbdFitParams,
) -> Result<CalibrationReport, ValueError> {
    let p = params.0;
    let spec = FactsSpec { as_of: p.split, period_start: None, unit: p.unit, metric: Metric::Revenue, trend_window_days: 365 };
    let facts = customer_facts_table(ids, orders, &spec).facts;
    // Customers who had bought by the split, and their calibration summary.
    let buyers: Vec<usize> = (0..ids.len()).filter(|&i| facts[i].purchase_days > 0).collect();
    let rows: Vec<SummaryRow> = buyers.iter().map(|&i| SummaryRow { x: facts[i].x, t_x: facts[i].t_x, t: facts[i].t }).collect();
    // Holdout purchase days per buyer.
    let mut slot: HashMap<&str, usize> = HashMap::with_capacity(buyers.len());
    for (k, &i) in buyers.iter().enumerate() {
        slot.entry(ids[i].as_ref()).or_insert(k);
    }
    let mut days: Vec<(usize, Date)> = orders
        .each_line()
        .filter(|o| o.date > p.split && o.date <= p.end && o.amount >= 0.0 && o.amount.is_finite())
        .filter_map(|o| slot.get(o.customer_id).map(|&k| (k, o.date)))
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut actual = vec![0_u32; buyers.len()];
    for (k, _) in &days {
        actual[*k] += 1;
    }
    let holdout_units = (p.end - p.split).num_days() as f64 / p.unit.days();
    let actual_total = actual.iter().map(|&a| f64::from(a)).sum();
    let fit = bgnbd::fit(&rows, fit_params);
    let (bins, predicted_total) = match &fit {
        Ok(f) => {
            let bins = bgnbd::holdout_by_frequency(&f.params, &rows, &actual, holdout_units, p.max_x)?;
            let total = bins.iter().map(|b| b.predicted * b.customers as f64).sum();
            (bins, total)
        }
        Err(_) => (Vec::new(), 0.0),
    };
    Ok(CalibrationReport { params: p, holdout_units, customers: buyers.len(), fit, bins, actual_total, predicted_total })
}

/// Expected purchases and P(alive) over a grid of frequency `x` and recency `t_x`, for a
/// customer with a fixed age `T` (the frequency/recency matrices of Fader, Hardie & Lee 2005
/// and of the `lifetimes` package's `plot_frequency_recency_matrix`, which uses the largest
/// `T` observed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyRecencyMatrix {
    /// The customer age `T` of every cell, in units.
    pub t: f64,
    /// The horizon of the expected purchases, in units.
    pub horizon: f64,
    /// Row values: `x = 0..=max_x`.
    pub x: Vec<u32>,
    /// Column values: recency `t_x` in units, from 0 to `T`.
    pub t_x: Vec<f64>,
    /// `expected[row][col]`: conditional expected purchases in the next `horizon` units
    /// (NaN where the model gives no finite value).
    pub expected: Vec<Vec<f64>>,
    /// `p_alive[row][col]`: probability of being alive.
    pub p_alive: Vec<Vec<f64>>,
}

/// Builds the matrices for `x = 0..=max_x` and `columns` recency values evenly spread over
/// `[0, T]` (at least 2). For `x = 0` the recency does not enter the model (a customer
/// without repeat purchases has `t_x = 0` by definition), so that row is constant.
pub fn frequency_recency_matrix(params: &BgNbdParams, t: f64, horizon: f64, max_x: u32, columns: usize) -> FrequencyRecencyMatrix {
    let columns = columns.max(2);
    let t = if t.is_finite() && t > 0.0 { t } else { 1.0 };
    let t_x: Vec<f64> = (0..columns).map(|j| t * j as f64 / (columns - 1) as f64).collect();
    let x: Vec<u32> = (0..=max_x).collect();
    let mut expected = Vec::with_capacity(x.len());
    let mut p_alive = Vec::with_capacity(x.len());
    for &xi in &x {
        let mut e_row = Vec::with_capacity(columns);
        let mut p_row = Vec::with_capacity(columns);
        for &r in &t_x {
            let row = SummaryRow { x: xi, t_x: if xi == 0 { 0.0 } else { r }, t };
            e_row.push(params.conditional_expected_purchases(&row, horizon).unwrap_or(f64::NAN));
            p_row.push(params.p_alive(&row));
        }
        expected.push(e_row);
        p_alive.push(p_row);
    }
    FrequencyRecencyMatrix { t, horizon, x, t_x, expected, p_alive }
}
