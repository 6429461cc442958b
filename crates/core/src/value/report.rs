//! The whole value analysis for all customers in one call: [`ValueParams`] →
//! [`ValueParams::check`] → [`analyse`] → [`ValueReport`].
//!
//! Order of work: facts ([`super::facts`]); ABC on the metric in the period; RFM on the
//! customers who have bought; BG/NBD on the `(x, t_x, T)` of every buyer and Gamma-Gamma on
//! the repeat buyers; P(alive), expected purchases and CLV per buyer; the value matrix with
//! CLV as the potential axis (or, when a fit failed, growth = current − previous window);
//! relationship types; grades; lifecycle stages, the warning, win-back and review lists. A
//! failed fit is reported in words in [`ValueReport::bgnbd`] / [`ValueReport::gamma_gamma`]
//! and the model columns are then `None`; it does not fail the analysis.

use super::abc::{abc, AbcClass, AbcParams, AbcReport, ValidAbcParams};
use super::bgnbd::{self, BgNbdFit, BgNbdFitParams, SummaryRow, ValidBgNbdFitParams};
use super::clv::{probabilistic_clv, ClvParams, LifetimeProfit, ValidClvParams};
use super::facts::{customer_facts, customer_facts_table, FactsReport, FactsSpec};
use super::gamma_gamma::{self, GammaGammaFit, GammaGammaFitParams, SpendRow, ValidGammaGammaFitParams};
use super::grade::{grade, Grade, GradeParams, ValidGradeParams};
use super::lifecycle::{
    review_reasons, stage, win_back_list, warning_list, LifecycleParams, ListEntry, ReviewInput, ReviewParams, ReviewReason,
    Stage, StageInput, StageReason, ValidLifecycleParams, ValidReviewParams,
};
use super::matrix::{
    relationship_matrix, relationship_type, value_matrix, RelationshipParams, RelationshipReport, RelationshipType, ValidRelationshipParams, ValidValueMatrixParams,
    ValueMatrixParams, ValueMatrixReport, ValueQuadrant,
};
use super::rfm::{rfm, RfmInput, RfmParams, RfmReport, RfmRow, ValidRfmParams};
use super::{invalid, FitError, Metric, TimeUnit, ValueError};
use crate::model::{Customer, CustomerStatus, Date, OrderLine, RelationshipScores};
use crate::orders::OrderTable;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Every parameter of the value analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueParams {
    /// As-of date: data after it are ignored, recency and `T` are measured to it.
    pub as_of: Date,
    /// First day of the analysis period (`None`: all history up to the as-of date).
    pub period_start: Option<Date>,
    /// Revenue or gross profit.
    pub metric: Metric,
    /// Time unit of the BG/NBD model.
    pub unit: TimeUnit,
    /// ABC.
    pub abc: AbcParams,
    /// RFM.
    pub rfm: RfmParams,
    /// BG/NBD fit settings.
    pub bgnbd: BgNbdFitParams,
    /// Gamma-Gamma fit settings.
    pub gamma_gamma: GammaGammaFitParams,
    /// CLV horizon, discounting and margin.
    pub clv: ClvParams,
    /// Value-matrix split points.
    pub matrix: ValueMatrixParams,
    /// Relationship-matrix split.
    pub relationship: RelationshipParams,
    /// Key-account grade thresholds.
    pub grade: GradeParams,
    /// Lifecycle thresholds.
    pub lifecycle: LifecycleParams,
    /// Relationship review rules.
    pub review: ReviewParams,
}

impl ValueParams {
    /// Defaults for an as-of date: all history, revenue, weeks, 80/95 ABC, quintile RFM,
    /// 12 monthly periods at 1 % per month, median splits.
    pub fn new(as_of: Date) -> Self {
        ValueParams {
            as_of,
            period_start: None,
            metric: Metric::Revenue,
            unit: TimeUnit::Week,
            abc: AbcParams::default(),
            rfm: RfmParams::default(),
            bgnbd: BgNbdFitParams::default(),
            gamma_gamma: GammaGammaFitParams::default(),
            clv: ClvParams::default(),
            matrix: ValueMatrixParams::default(),
            relationship: RelationshipParams::default(),
            grade: GradeParams::default(),
            lifecycle: LifecycleParams::default(),
            review: ReviewParams::default(),
        }
    }

    /// Checks every part; the first problem is returned.
    pub fn check(&self) -> Result<ValidValueParams, ValueError> {
        if let Some(start) = self.period_start {
            if start > self.as_of {
                return Err(invalid("period_start", format!("{start} 晚于分析截止日 {}", self.as_of), format!("{start} is after the as-of date {}", self.as_of)));
            }
        }
        Ok(ValidValueParams {
            params: self.clone(),
            abc: self.abc.check()?,
            rfm: self.rfm.check()?,
            bgnbd: self.bgnbd.check()?,
            gamma_gamma: self.gamma_gamma.check()?,
            clv: self.clv.check()?,
            matrix: self.matrix.check()?,
            relationship: self.relationship.check()?,
            grade: self.grade.check()?,
            lifecycle: self.lifecycle.check()?,
            review: self.review.check()?,
        })
    }
}

/// [`ValueParams`] that passed [`ValueParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidValueParams {
    params: ValueParams,
    abc: ValidAbcParams,
    rfm: ValidRfmParams,
    bgnbd: ValidBgNbdFitParams,
    gamma_gamma: ValidGammaGammaFitParams,
    clv: ValidClvParams,
    matrix: ValidValueMatrixParams,
    relationship: ValidRelationshipParams,
    grade: ValidGradeParams,
    lifecycle: ValidLifecycleParams,
    review: ValidReviewParams,
}

impl ValidValueParams {
    /// The checked parameters.
    pub fn params(&self) -> &ValueParams {
        &self.params
    }
}

/// What the potential axis of the value matrix measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PotentialSource {
    /// Predicted CLV (both fits succeeded).
    Clv,
    /// Growth: current minus previous trend window (a fit failed).
    Growth,
}

/// Everything about one customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerValue {
    /// Customer id.
    pub id: String,
    /// Revenue in the period.
    pub revenue: f64,
    /// Gross profit in the period.
    pub profit: f64,
    /// The chosen metric in the period.
    pub metric: f64,
    /// ABC class.
    pub abc: AbcClass,
    /// Cumulative share of the metric before the customer.
    pub abc_share_before: f64,
    /// RFM (`None` for customers who never bought).
    pub rfm: Option<RfmRow>,
    /// BG/NBD `x`.
    pub x: u32,
    /// BG/NBD `t_x` (units).
    pub t_x: f64,
    /// BG/NBD `T` (units).
    pub t: f64,
    /// Mean value of the repeat purchases.
    pub repeat_mean: f64,
    /// P(alive) (BG/NBD fit and a purchase needed).
    pub p_alive: Option<f64>,
    /// Expected purchases over the CLV horizon.
    pub expected_purchases: Option<f64>,
    /// Gamma-Gamma expected spend per purchase.
    pub expected_spend: Option<f64>,
    /// Discounted CLV over the horizon.
    pub clv: Option<f64>,
    /// Historical lifetime profit components.
    pub lifetime_profit: LifetimeProfit,
    /// The value on the potential axis of the value matrix: the CLV (0 without one) when
    /// [`ValueReport::potential`] is [`PotentialSource::Clv`], otherwise the growth (metric
    /// in the current trend window minus the previous one). Kept so that the quadrant
    /// scatter plots exactly what was split.
    pub potential: f64,
    /// Value-matrix quadrant.
    pub value_quadrant: ValueQuadrant,
    /// Relationship type (with scores only).
    pub relationship: Option<RelationshipType>,
    /// Key-account grade.
    pub grade: Grade,
    /// Lifecycle stage.
    pub stage: Stage,
    /// Why.
    pub stage_reason: StageReason,
    /// Reasons to review the relationship (empty: none).
    pub review: Vec<ReviewReason>,
}

/// A relationship-review candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewEntry {
    /// Position in the customer slice.
    pub index: usize,
    /// Customer id.
    pub id: String,
    /// Every reason found.
    pub reasons: Vec<ReviewReason>,
}

/// Result of [`analyse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueReport {
    /// Parameters used (as-of date, period, metric, unit, thresholds…).
    pub params: ValueParams,
    /// Margin applied in the CLV.
    pub margin: f64,
    /// One entry per customer, aligned with the customer slice.
    pub customers: Vec<CustomerValue>,
    /// ABC summary and Pareto order.
    pub abc: AbcReport,
    /// RFM bins, segment counts and heat map (`rows` is empty: see [`CustomerValue::rfm`]).
    pub rfm: RfmReport,
    /// The BG/NBD fit or why it failed.
    pub bgnbd: Result<BgNbdFit, FitError>,
    /// The Gamma-Gamma fit or why it failed.
    pub gamma_gamma: Result<GammaGammaFit, FitError>,
    /// Value matrix thresholds and counts.
    pub matrix: ValueMatrixReport,
    /// Relationship matrix of the customers with relationship scores (SPEC §3.4).
    pub relationship_matrix: RelationshipReport,
    /// What the potential axis measured.
    pub potential: PotentialSource,
    /// Customers per grade in [`Grade::ALL`] order.
    pub grade_counts: [usize; 4],
    /// Customers per stage in [`Stage::ALL`] order.
    pub stage_counts: [usize; 5],
    /// Decline-warning list 高危客户预警.
    pub warning: Vec<ListEntry>,
    /// Win-back list 赢回.
    pub win_back: Vec<ListEntry>,
    /// Relationship-review list with reasons.
    pub review: Vec<ReviewEntry>,
    /// Order lines of unknown customers (ignored).
    pub unknown_customer_lines: usize,
    /// Order lines after the as-of date (ignored).
    pub future_lines: usize,
    /// Order lines with a non-finite amount or profit (ignored).
    pub invalid_lines: usize,
}

/// Runs every value analysis for all `customers` on `orders` (all steps of a [`ValueJob`]
/// at once).
pub fn analyse(customers: &[Customer], orders: &[OrderLine], params: &ValidValueParams) -> Result<ValueReport, ValueError> {
    let mut job = ValueJob::new(customers, orders, params);
    while !job.step()?.done {}
    job.finish()
}

/// [`analyse`] on order lines held as a columnar [`OrderTable`]: the same report.
pub fn analyse_table(customers: &[Customer], orders: &OrderTable, params: &ValidValueParams) -> Result<ValueReport, ValueError> {
    let mut job = ValueJob::on_table(customers, orders, params);
    while !job.step()?.done {}
    job.finish()
}

/// The order lines a [`ValueJob`] reads: row structs or the columnar table.
#[derive(Clone, Copy)]
enum Lines<'a> {
    Rows(&'a [OrderLine]),
    Table(&'a OrderTable),
}

/// Buyers per step of the model phase of a [`ValueJob`] (P(alive), expected purchases and
/// CLV cost about a dozen hypergeometric series per buyer).
const MODEL_CHUNK: usize = 5_000;

/// Where a [`ValueJob`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobProgress {
    /// Steps done.
    pub done_steps: usize,
    /// Steps in all (known after the first step).
    pub total_steps: usize,
    /// True when [`ValueJob::finish`] can be called.
    pub done: bool,
}

/// The value analysis cut into steps of bounded work, so that a caller on a UI thread can
/// let the page breathe (and show progress) between them: facts; ABC and RFM; the BG/NBD
/// fit; the Gamma-Gamma fit; the model outputs in chunks of 5,000 buyers; the matrices,
/// grades, stages and lists. The result is the very same as [`analyse`]'s (which runs
/// these steps).
pub struct ValueJob<'a> {
    customers: &'a [Customer],
    orders: Lines<'a>,
    params: &'a ValidValueParams,
    step: usize,
    chunk: usize,
    ids: Vec<&'a str>,
    facts: Option<FactsReport>,
    abc: Option<AbcReport>,
    rfm: Option<RfmReport>,
    rfm_rows: Vec<Option<RfmRow>>,
    buyers: Vec<usize>,
    bg: Option<Result<BgNbdFit, FitError>>,
    gg: Option<Result<GammaGammaFit, FitError>>,
    margin: f64,
    next_buyer: usize,
    /// For each buyer (position in `buyers`), the first buyer with the same `(x, t_x, T,
    /// repeat mean)`: the model outputs are a function of these, so they are computed once.
    same_as: Vec<u32>,
    p_alive: Vec<Option<f64>>,
    expected: Vec<Option<f64>>,
    expected_spend: Vec<Option<f64>>,
    clv: Vec<Option<f64>>,
    report: Option<ValueReport>,
}

impl<'a> ValueJob<'a> {
    /// A job that has done nothing yet.
    pub fn new(customers: &'a [Customer], orders: &'a [OrderLine], params: &'a ValidValueParams) -> Self {
        Self::of(customers, Lines::Rows(orders), params)
    }

    /// A job on order lines held as a columnar table.
    pub fn on_table(customers: &'a [Customer], orders: &'a OrderTable, params: &'a ValidValueParams) -> Self {
        Self::of(customers, Lines::Table(orders), params)
    }

    fn of(customers: &'a [Customer], orders: Lines<'a>, params: &'a ValidValueParams) -> Self {
        ValueJob {
            customers,
            orders,
            params,
            step: 0,
            chunk: MODEL_CHUNK,
            ids: customers.iter().map(|c| c.id.as_str()).collect(),
            facts: None,
            abc: None,
            rfm: None,
            rfm_rows: Vec::new(),
            buyers: Vec::new(),
            bg: None,
            gg: None,
            margin: 1.0,
            next_buyer: 0,
            same_as: Vec::new(),
            p_alive: Vec::new(),
            expected: Vec::new(),
            expected_spend: Vec::new(),
            clv: Vec::new(),
            report: None,
        }
    }

    /// The same job with `buyers` buyers per model step instead of 5,000 (at least 1).
    pub fn with_chunk(mut self, buyers: usize) -> Self {
        self.chunk = buyers.max(1);
        self
    }

    fn model_steps(&self) -> usize {
        self.buyers.len().div_ceil(self.chunk).max(1)
    }

    fn progress(&self) -> JobProgress {
        let total = if self.step > 0 { 5 + self.model_steps() } else { 6 };
        JobProgress { done_steps: self.step.min(total), total_steps: total, done: self.report.is_some() }
    }

    /// Does the next step and says where the job is.
    pub fn step(&mut self) -> Result<JobProgress, ValueError> {
        if self.report.is_some() {
            return Ok(self.progress());
        }
        let p = &self.params.params;
        let n = self.customers.len();
        match self.step {
            0 => {
                let spec = FactsSpec {
                    as_of: p.as_of,
                    period_start: p.period_start,
                    unit: p.unit,
                    metric: p.metric,
                    trend_window_days: p.lifecycle.trend_window_days,
                };
                let facts = match self.orders {
                    Lines::Rows(rows) => customer_facts(&self.ids, rows, &spec),
                    Lines::Table(table) => customer_facts_table(&self.ids, table, &spec),
                };
                self.buyers = (0..n).filter(|&i| facts.facts[i].recency_days.is_some()).collect();
                self.facts = Some(facts);
            }
            1 => {
                let facts = &self.facts.as_ref().expect("facts step ran").facts;
                // ABC.
                let metric: Vec<f64> = facts.iter().map(|f| f.metric).collect();
                self.abc = Some(abc(&self.ids, &metric, &self.params.abc)?);
                // RFM on buyers.
                let buyer_ids: Vec<&str> = self.buyers.iter().map(|&i| self.ids[i]).collect();
                let rfm_inputs: Vec<RfmInput> = self
                    .buyers
                    .iter()
                    .map(|&i| RfmInput { recency_days: facts[i].recency_days.unwrap_or(0), frequency: facts[i].occasions, amount: facts[i].revenue })
                    .collect();
                let mut rfm_report = rfm(&buyer_ids, &rfm_inputs, &self.params.rfm)?;
                self.rfm_rows = vec![None; n];
                for (row, &i) in std::mem::take(&mut rfm_report.rows).into_iter().zip(&self.buyers) {
                    self.rfm_rows[i] = Some(row);
                }
                self.rfm = Some(rfm_report);
            }
            2 => {
                let facts = &self.facts.as_ref().expect("facts step ran").facts;
                let summary: Vec<SummaryRow> = self.buyers.iter().map(|&i| SummaryRow { x: facts[i].x, t_x: facts[i].t_x, t: facts[i].t }).collect();
                self.bg = Some(bgnbd::fit(&summary, &self.params.bgnbd));
            }
            3 => {
                let facts = &self.facts.as_ref().expect("facts step ran").facts;
                let spend: Vec<SpendRow> = self.buyers.iter().map(|&i| SpendRow { x: facts[i].x, m: facts[i].repeat_mean }).collect();
                self.gg = Some(gamma_gamma::fit(&spend, &self.params.gamma_gamma));
                let abc_report = self.abc.as_ref().expect("abc step ran");
                self.margin = p.clv.margin.unwrap_or_else(|| match p.metric {
                    Metric::Revenue => 1.0,
                    Metric::Profit => {
                        // Summed in Pareto order so that the result does not depend on the row order.
                        let (rev, prof) = abc_report
                            .order
                            .iter()
                            .fold((0.0, 0.0), |(r, q), &i| (r + facts[i].lifetime_revenue, q + facts[i].lifetime_profit));
                        if rev > 0.0 {
                            prof / rev
                        } else {
                            1.0
                        }
                    }
                });
                let mut first: HashMap<(u32, u64, u64, u64), u32, rustc_hash::FxBuildHasher> = HashMap::default();
                self.same_as = self
                    .buyers
                    .iter()
                    .enumerate()
                    .map(|(k, &i)| *first.entry((facts[i].x, facts[i].t_x.to_bits(), facts[i].t.to_bits(), facts[i].repeat_mean.to_bits())).or_insert(k as u32))
                    .collect();
                self.p_alive = vec![None; n];
                self.expected = vec![None; n];
                self.expected_spend = vec![None; n];
                self.clv = vec![None; n];
            }
            s if s < 4 + self.model_steps() => {
                let facts = &self.facts.as_ref().expect("facts step ran").facts;
                let bg = self.bg.as_ref().expect("fit step ran");
                let gg = self.gg.as_ref().expect("fit step ran");
                let horizon = f64::from(p.clv.horizon_periods) * f64::from(p.clv.period_days) / p.unit.days();
                let end = (self.next_buyer + self.chunk).min(self.buyers.len());
                let start = self.next_buyer;
                let chunk = &self.buyers[start..end];
                let same_as = &self.same_as[start..end];
                let margin = self.margin;
                // Each buyer on its own (on several threads where there are any); a buyer
                // with the history of an earlier one takes its outputs below.
                let outputs = crate::par::map(chunk.len(), 1_024, |k| {
                    let mut out = (None, None, None, None);
                    if same_as[k] as usize != start + k {
                        return out;
                    }
                    let f = &facts[chunk[k]];
                    let row = SummaryRow { x: f.x, t_x: f.t_x, t: f.t };
                    if let Ok(fit) = bg {
                        out.0 = Some(fit.params.p_alive(&row));
                        out.1 = fit.params.conditional_expected_purchases(&row, horizon);
                    }
                    if let Ok(g) = gg {
                        out.2 = g.params.conditional_expected_spend(f.x, f.repeat_mean);
                        if let Ok(fit) = bg {
                            out.3 = probabilistic_clv(&fit.params, &g.params, &row, f.repeat_mean, margin, p.unit.days(), &self.params.clv);
                        }
                    }
                    out
                });
                for (k, (&i, (p_alive, expected, spend, clv))) in chunk.iter().zip(outputs).enumerate() {
                    let first = same_as[k] as usize;
                    if first == start + k {
                        self.p_alive[i] = p_alive;
                        self.expected[i] = expected;
                        self.expected_spend[i] = spend;
                        self.clv[i] = clv;
                    } else {
                        // An earlier buyer (in this chunk or a previous one): already written.
                        let j = self.buyers[first];
                        self.p_alive[i] = self.p_alive[j];
                        self.expected[i] = self.expected[j];
                        self.expected_spend[i] = self.expected_spend[j];
                        self.clv[i] = self.clv[j];
                    }
                }
                self.next_buyer = end;
            }
            _ => {
                self.report = Some(self.assemble()?);
            }
        }
        self.step += 1;
        Ok(self.progress())
    }

    /// The report, once [`JobProgress::done`]; before that, runs the remaining steps.
    pub fn finish(mut self) -> Result<ValueReport, ValueError> {
        while self.report.is_none() {
            self.step()?;
        }
        Ok(self.report.take().expect("assembled"))
    }

    /// The last step: matrices, referral profit, stages, grades, review and lists.
    fn assemble(&mut self) -> Result<ValueReport, ValueError> {
        let params = self.params;
        let p = &params.params;
        let customers = self.customers;
        let ids = &self.ids;
        let n = customers.len();
        let facts_report = self.facts.take().expect("facts step ran");
        let facts = &facts_report.facts;
        let abc_report = self.abc.take().expect("abc step ran");
        let rfm_report = self.rfm.take().expect("rfm step ran");
        let bg = self.bg.take().expect("fit step ran");
        let gg = self.gg.take().expect("fit step ran");
        let metric: Vec<f64> = facts.iter().map(|f| f.metric).collect();
        let clv = &self.clv;

        // Value matrix.
        let potential = if bg.is_ok() && gg.is_ok() { PotentialSource::Clv } else { PotentialSource::Growth };
        let potential_values: Vec<f64> = (0..n)
            .map(|i| match potential {
                PotentialSource::Clv => clv[i].unwrap_or(0.0),
                PotentialSource::Growth => facts[i].current_window - facts[i].previous_window,
            })
            .collect();
        let matrix = value_matrix(&metric, &potential_values, &params.matrix)?;
        let scores: Vec<Option<&RelationshipScores>> = customers.iter().map(|c| c.relationship.as_ref()).collect();
        let revenue: Vec<f64> = facts.iter().map(|f| f.revenue).collect();
        let relationship_matrix = relationship_matrix(&scores, &revenue, &params.relationship)?;

        // Referral profit: the base profit of the customers each one referred.
        let index: HashMap<&str, usize> = ids.iter().enumerate().rev().map(|(i, id)| (*id, i)).collect();
        let mut referral: Vec<Option<f64>> = vec![None; n];
        for (i, c) in customers.iter().enumerate() {
            if let Some(&r) = c.referred_by.as_deref().and_then(|r| index.get(r)) {
                *referral[r].get_or_insert(0.0) += facts[i].lifetime_profit;
            }
        }

        // Stages, grades, review.
        let as_of = p.as_of;
        let stages: Vec<(Stage, StageReason)> = (0..n)
            .map(|i| {
                let f = &facts[i];
                let input = StageInput {
                    terminated: customers[i].status == CustomerStatus::Terminated,
                    first_purchase_days: f.first_purchase.map(|d| (as_of - d).num_days()),
                    recency_days: f.recency_days,
                    median_interval_days: f.median_interval_days,
                    current: f.current_window,
                    previous: f.previous_window,
                };
                stage(&input, &params.lifecycle)
            })
            .collect();
        let mut grade_counts = [0; 4];
        let mut stage_counts = [0; 5];
        let mut review = Vec::new();
        let mut out = Vec::with_capacity(n);
        for (i, c) in customers.iter().enumerate() {
            let f = &facts[i];
            let g = grade(f.revenue, &params.grade);
            grade_counts[g as usize] += 1;
            stage_counts[stages[i].0 as usize] += 1;
            let reasons = review_reasons(
                &ReviewInput {
                    terminated: c.status == CustomerStatus::Terminated,
                    profit: f.profit,
                    credit: c.credit_rating,
                    current: f.current_window,
                    previous: f.previous_window,
                    tags: &c.tags,
                },
                &params.review,
            );
            if !reasons.is_empty() {
                review.push(ReviewEntry { index: i, id: c.id.clone(), reasons: reasons.clone() });
            }
            out.push(CustomerValue {
                id: c.id.clone(),
                revenue: f.revenue,
                profit: f.profit,
                metric: f.metric,
                abc: abc_report.class[i],
                abc_share_before: abc_report.share_before[i],
                rfm: self.rfm_rows[i].take(),
                x: f.x,
                t_x: f.t_x,
                t: f.t,
                repeat_mean: f.repeat_mean,
                p_alive: self.p_alive[i],
                expected_purchases: self.expected[i],
                expected_spend: self.expected_spend[i],
                clv: clv[i],
                lifetime_profit: LifetimeProfit { base_profit: Some(f.lifetime_profit), referral_revenue: referral[i], ..Default::default() },
                potential: potential_values[i],
                value_quadrant: matrix.quadrant[i],
                relationship: relationship_type(c.relationship.as_ref(), &params.relationship),
                grade: g,
                stage: stages[i].0,
                stage_reason: stages[i].1,
                review: reasons,
            });
        }
        let previous: Vec<f64> = facts.iter().map(|f| f.previous_window).collect();
        let lifetime: Vec<f64> = facts
            .iter()
            .map(|f| match p.metric {
                Metric::Revenue => f.lifetime_revenue,
                Metric::Profit => f.lifetime_profit,
            })
            .collect();
        Ok(ValueReport {
            params: p.clone(),
            margin: self.margin,
            warning: warning_list(ids, &stages, &previous, &self.p_alive),
            win_back: win_back_list(ids, &stages, &lifetime, &self.p_alive),
            customers: out,
            abc: abc_report,
            rfm: rfm_report,
            bgnbd: bg,
            gamma_gamma: gg,
            matrix,
            relationship_matrix,
            potential,
            grade_counts,
            stage_counts,
            review,
            unknown_customer_lines: facts_report.unknown_customer_lines,
            future_lines: facts_report.future_lines,
            invalid_lines: facts_report.invalid_lines,
        })
    }
}

/// Minimal customer records for the distinct customer ids of `orders`, in order of first
/// appearance: name = id, active, nothing else known. For order files without a customer
/// list (the command line's `value --orders`, quick checks).
pub fn stub_customers(orders: &[OrderLine]) -> Vec<Customer> {
    let mut seen = std::collections::HashSet::new();
    let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    orders
        .iter()
        .filter(|o| seen.insert(o.customer_id.as_str()))
        .map(|o| Customer::new(o.customer_id.clone(), o.customer_id.clone(), at))
        .collect()
}

impl ValueReport {
    /// The horizon of [`CustomerValue::expected_purchases`] in model units (the CLV
    /// horizon: periods × days per period ÷ days per unit).
    pub fn horizon_units(&self) -> f64 {
        f64::from(self.params.clv.horizon_periods) * f64::from(self.params.clv.period_days) / self.params.unit.days()
    }

    /// The frequency/recency matrices of the BG/NBD fit (`None` when the fit failed): for
    /// the oldest customer's `T`, frequencies up to the largest observed `x` (at most 30)
    /// and `columns` recency values; expected purchases over [`Self::horizon_units`].
    pub fn frequency_recency(&self, columns: usize) -> Option<super::calibration::FrequencyRecencyMatrix> {
        let fit = self.bgnbd.as_ref().ok()?;
        let t = self.customers.iter().map(|c| c.t).fold(0.0_f64, f64::max);
        let max_x = self.customers.iter().map(|c| c.x).max().unwrap_or(0).clamp(1, 30);
        Some(super::calibration::frequency_recency_matrix(&fit.params, t, self.horizon_units(), max_x, columns))
    }
}
