//! Customer lifetime value 客户生命周期价值 (SPEC §3.3), three ways:
//!
//! - [`LifetimeProfit`]: the historical customer lifetime profit 客户生命周期利润 as the sum
//!   of its components; components not recorded are `None`, count as 0 and are shown so.
//! - [`retention_clv`]: the simple predictive formula with margin `m` per period, retention
//!   rate `r` and discount rate `d`: `CLV = Σ_{t=1..T} m r^{t−1} / (1+d)^t`, and
//!   `m / (1 + d − r)` for `T → ∞`.
//! - [`probabilistic_clv`]: BG/NBD expected purchases × Gamma-Gamma expected spend ×
//!   margin, discounted (discretisation in its docs).

use super::bgnbd::{BgNbdParams, SummaryRow};
use super::gamma_gamma::GammaGammaParams;
use super::{invalid, ValueError};
use serde::{Deserialize, Serialize};

/// The components of the historical customer lifetime profit (SPEC §3.3). `None` = not
/// recorded (counts as 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LifetimeProfit {
    /// Base profit 基本利润: gross profit of the customer's own purchases.
    pub base_profit: Option<f64>,
    /// Cross-selling profit 关联销售利润.
    pub cross_selling_profit: Option<f64>,
    /// Cost savings 成本节约 from serving a familiar customer.
    pub cost_savings: Option<f64>,
    /// Referral revenue 推荐收益: profit of the customers this one referred.
    pub referral_revenue: Option<f64>,
    /// Acquisition cost 获取成本 (subtracted).
    pub acquisition_cost: Option<f64>,
    /// First-order price concessions 价格优惠 (subtracted).
    pub price_concessions: Option<f64>,
}

impl LifetimeProfit {
    /// base + cross-selling + cost savings + referral − acquisition − concessions, with
    /// missing components as 0.
    pub fn total(&self) -> f64 {
        let v = |x: Option<f64>| x.unwrap_or(0.0);
        v(self.base_profit) + v(self.cross_selling_profit) + v(self.cost_savings) + v(self.referral_revenue)
            - v(self.acquisition_cost)
            - v(self.price_concessions)
    }
}

/// The horizon of [`retention_clv`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Horizon {
    /// `T` periods.
    Periods(u32),
    /// `T → ∞`.
    Infinite,
}

/// Parameters of the simple retention formula.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RetentionClvParams {
    /// Margin per period `m` (yuan).
    pub margin: f64,
    /// Retention rate per period `r`, 0-1.
    pub retention: f64,
    /// Discount rate per period `d` ≥ 0.
    pub discount: f64,
    /// Horizon.
    pub horizon: Horizon,
}

impl RetentionClvParams {
    /// Checks `m` finite, `0 ≤ r ≤ 1`, `d ≥ 0`, and for an infinite horizon `1 + d − r > 0`.
    pub fn check(&self) -> Result<ValidRetentionClvParams, ValueError> {
        if !self.margin.is_finite() {
            return Err(invalid("clv.margin", "必须是有效数字", "must be a number"));
        }
        if !(0.0..=1.0).contains(&self.retention) {
            return Err(invalid("clv.retention", format!("须在 0 到 1 之间，当前为 {}", self.retention), format!("must be between 0 and 1, got {}", self.retention)));
        }
        if !(self.discount >= 0.0 && self.discount.is_finite()) {
            return Err(invalid("clv.discount", format!("不能小于 0，当前为 {}", self.discount), format!("must be 0 or more, got {}", self.discount)));
        }
        if self.horizon == Horizon::Infinite && 1.0 + self.discount - self.retention <= 0.0 {
            return Err(invalid("clv.horizon", "无限期计算要求折现率大于 0 或保留率小于 1", "an infinite horizon needs a discount rate above 0 or retention below 1"));
        }
        Ok(ValidRetentionClvParams(*self))
    }
}

/// [`RetentionClvParams`] that passed [`RetentionClvParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "RetentionClvParams")]
pub struct ValidRetentionClvParams(RetentionClvParams);

/// `CLV = Σ_{t=1..T} m r^{t−1} / (1+d)^t` (finite horizon), `m / (1 + d − r)` (infinite);
/// SPEC §3.3 (the textbook retention model, e.g. Gupta & Lehmann 2003). The finite sum uses
/// its closed form `m/(1+d) · (1 − q^T)/(1 − q)` with `q = r/(1+d)` (and `m T/(1+d)` when
/// `q = 1`).
pub fn retention_clv(params: &ValidRetentionClvParams) -> f64 {
    let RetentionClvParams { margin: m, retention: r, discount: d, horizon } = params.0;
    match horizon {
        Horizon::Infinite => m / (1.0 + d - r),
        Horizon::Periods(t) => {
            let q = r / (1.0 + d);
            if (1.0 - q).abs() < 1e-12 {
                m * f64::from(t) / (1.0 + d)
            } else {
                m / (1.0 + d) * (1.0 - q.powi(t as i32)) / (1.0 - q)
            }
        }
    }
}

/// Parameters of the probabilistic CLV.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClvParams {
    /// Number of discount periods in the horizon (default 12).
    pub horizon_periods: u32,
    /// Length of one discount period in days (default 30, a month).
    pub period_days: u32,
    /// Discount rate per period (default 0.01 per month).
    pub discount: f64,
    /// Margin applied to the expected spend; `None`: 1 for revenue, the observed gross
    /// margin (profit / revenue of all lines) when the metric is profit.
    pub margin: Option<f64>,
}

impl Default for ClvParams {
    fn default() -> Self {
        ClvParams { horizon_periods: 12, period_days: 30, discount: 0.01, margin: None }
    }
}

impl ClvParams {
    /// Checks the horizon (1-1200 periods), period length ≥ 1 day, `0 ≤ d < 10`, margin finite.
    pub fn check(&self) -> Result<ValidClvParams, ValueError> {
        if !(1..=1200).contains(&self.horizon_periods) {
            return Err(invalid("clv.horizon", format!("须为 1 到 1200 期，当前为 {}", self.horizon_periods), format!("must be 1 to 1200 periods, got {}", self.horizon_periods)));
        }
        if self.period_days == 0 {
            return Err(invalid("clv.period_days", "至少为 1 天", "must be at least 1 day"));
        }
        if !(self.discount >= 0.0 && self.discount < 10.0) {
            return Err(invalid("clv.discount", format!("须不小于 0 且小于 10，当前为 {}", self.discount), format!("must be at least 0 and below 10, got {}", self.discount)));
        }
        if let Some(m) = self.margin {
            if !m.is_finite() {
                return Err(invalid("clv.margin", "必须是有效数字", "must be a number"));
            }
        }
        Ok(ValidClvParams(*self))
    }
}

/// [`ClvParams`] that passed [`ClvParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "ClvParams")]
pub struct ValidClvParams(ClvParams);

impl ValidClvParams {
    /// The checked parameters.
    pub fn params(&self) -> &ClvParams {
        &self.0
    }
}

/// Probabilistic CLV of one customer:
///
/// `CLV = margin · E[M] · Σ_{k=1..H} (E[Y(kΔ)] − E[Y((k−1)Δ)]) / (1 + d)^k`
///
/// with `E[Y(t)]` the BG/NBD conditional expectation (FHL 2005, eq. 10), `E[M]` the
/// Gamma-Gamma conditional expected spend, `Δ` the period length in model units, `H` the
/// horizon in periods and `d` the discount rate per period. Discretisation: purchases
/// expected during period `k` are discounted as if made at its end; this is the scheme of
/// `lifetimes.GammaGammaFitter.customer_lifetime_value` (monthly steps by default). It
/// costs `H` hypergeometric series per customer. `None` when a model quantity is undefined.
pub fn probabilistic_clv(
    bgnbd: &BgNbdParams,
    spend: &GammaGammaParams,
    row: &SummaryRow,
    mean_spend: f64,
    margin: f64,
    unit_days: f64,
    params: &ValidClvParams,
) -> Option<f64> {
    let p = params.0;
    let e_m = spend.conditional_expected_spend(row.x, mean_spend)?;
    let step = f64::from(p.period_days) / unit_days;
    let ts: Vec<f64> = (1..=p.horizon_periods).map(|k| step * f64::from(k)).collect();
    let mut expected = Vec::with_capacity(ts.len());
    bgnbd.conditional_expected_purchases_many(row, &ts, &mut expected);
    let mut prev = 0.0;
    let mut total = 0.0;
    let mut factor = 1.0;
    for e in expected {
        let e = e?;
        factor /= 1.0 + p.discount;
        total += (e - prev) * factor;
        prev = e;
    }
    Some(margin * e_m * total)
}

impl TryFrom<RetentionClvParams> for ValidRetentionClvParams {
    type Error = ValueError;
    /// [`RetentionClvParams::check`]: the only way to a [`ValidRetentionClvParams`], from code or from serde.
    fn try_from(raw: RetentionClvParams) -> Result<Self, ValueError> {
        raw.check()
    }
}

impl TryFrom<ClvParams> for ValidClvParams {
    type Error = ValueError;
    /// [`ClvParams::check`]: the only way to a [`ValidClvParams`], from code or from serde.
    fn try_from(raw: ClvParams) -> Result<Self, ValueError> {
        raw.check()
    }
}
