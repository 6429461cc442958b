//! The account-manager scorecard 客户经理评分卡 (issue 11 §4, SPEC §8): per owner
//! (`customer.owner`, trimmed; `""` for customers without one) of the customers in the
//! filter, their customers' figures and a ranking by a weighted score.
//!
//! The metrics of an owner (period and previous period as in the parent module):
//! - **revenue**: Σ revenue of their customers in the period; **growth** = (revenue −
//!   previous revenue) / previous revenue, `None` when the previous revenue is ≤ 0;
//! - **CSI**: the weighted-average CSI (no interval) of the survey responses of their
//!   customers dated in the period ([`crate::satisfaction::analysis::breakdown`] by owner);
//!   anonymous responses belong to no owner;
//! - **complaints on time**: the on-time resolution rate
//!   ([`crate::service::complaints::analyse`], `resolve_on_time_rate`, as of `as_of`) of
//!   the complaints of their customers received in the period;
//! - **retention** = customers who bought in the previous period and again in this one /
//!   customers who bought in the previous period;
//! - **visits against target** = done visits (once per customer and day, counted kinds) of
//!   their customers in the period / target, where the target is the owner's entry of
//!   [`super::DashboardParams::visit_targets`] or else `visits_per_customer_month` × their
//!   active customers × `L / 30` (a month counted as 30 days); `None` when the target is 0.
//!
//! The **score** of an owner: each metric `m` is scaled to 0-1 across the owners that have
//! it by min-max, `s = (x − min) / (max − min)`, and is 1 for all of them when `max = min`
//! (nobody is behind; a single owner scores 1). With the weights `w` normalised to sum 1
//! by [`super::DashboardParams::check`], score = Σ w_m·s_m / Σ w_m over the metrics the
//! owner has (a missing metric's weight is spread over the present ones in proportion);
//! `None` when the owner has no metric of positive weight. Owners are ranked by score,
//! highest first, owners without a score last, ties by owner name (code point order);
//! the rank is the 1-based position, so it is unique.

use super::overview::{analyse_complaints, done_visits, received_in, scoped_complaints, scoped_responses};
use super::{growth, ratio, DashboardError, DashboardFilter, DashboardInput, ListKind, ListRef, Periods, Scope, ScoreMetric, ScoreWeights, ValidDashboardParams};
use crate::model::{Complaint, CustomerStatus, Id, Language, SurveyResponse};
use crate::satisfaction::analysis::{breakdown, GroupBy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The 0-1 scaled metrics of an owner (`None` where the owner has no value).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricScores {
    /// Revenue.
    pub revenue: Option<f64>,
    /// Growth.
    pub growth: Option<f64>,
    /// CSI.
    pub csi: Option<f64>,
    /// Complaints resolved on time.
    pub complaints_on_time: Option<f64>,
    /// Retention.
    pub retention: Option<f64>,
    /// Visits against target.
    pub visits: Option<f64>,
}

impl MetricScores {
    /// The value of one metric.
    pub fn get(&self, m: ScoreMetric) -> Option<f64> {
        match m {
            ScoreMetric::Revenue => self.revenue,
            ScoreMetric::Growth => self.growth,
            ScoreMetric::Csi => self.csi,
            ScoreMetric::ComplaintsOnTime => self.complaints_on_time,
            ScoreMetric::Retention => self.retention,
            ScoreMetric::Visits => self.visits,
        }
    }

    fn set(&mut self, m: ScoreMetric, v: Option<f64>) {
        match m {
            ScoreMetric::Revenue => self.revenue = v,
            ScoreMetric::Growth => self.growth = v,
            ScoreMetric::Csi => self.csi = v,
            ScoreMetric::ComplaintsOnTime => self.complaints_on_time = v,
            ScoreMetric::Retention => self.retention = v,
            ScoreMetric::Visits => self.visits = v,
        }
    }
}

/// One owner's line of the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardRow {
    /// The account manager (`""`: customers without one).
    pub owner: String,
    /// Their customers in the filter.
    pub customers: ListRef,
    /// Of those, active ones (the base of the default visit target).
    pub active_customers: usize,
    /// Revenue of their customers in the period.
    pub revenue: f64,
    /// Revenue in the previous period.
    pub previous_revenue: f64,
    /// Growth against the previous period.
    pub growth: Option<f64>,
    /// CSI of their customers' responses in the period.
    pub csi: Option<f64>,
    /// Responses it rests on.
    pub csi_respondents: usize,
    /// Complaints of their customers received in the period.
    pub complaints: ListRef,
    /// On-time resolution rate of those complaints.
    pub complaints_on_time: Option<f64>,
    /// Customers who bought in the previous period.
    pub previous_buyers: usize,
    /// Of those, the customers who bought again in this period.
    pub retained: ListRef,
    /// `retained / previous_buyers`.
    pub retention: Option<f64>,
    /// Done visits in the period (once per customer and day).
    pub visits: ListRef,
    /// The visit target for the period.
    pub visit_target: f64,
    /// `visits / visit_target`; `None` when the target is 0.
    pub visit_attainment: Option<f64>,
    /// The metrics scaled 0-1 across owners.
    pub scaled: MetricScores,
    /// The weighted score 0-1 (see the module head).
    pub score: Option<f64>,
    /// 1-based position in the ranking.
    pub rank: usize,
}

/// The scorecard: one row per owner, in rank order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardReport {
    /// The periods and instants.
    pub periods: Periods,
    /// The filter applied.
    pub filter: DashboardFilter,
    /// The weights used, normalised to sum 1.
    pub weights: ScoreWeights,
    /// Owners by rank.
    pub rows: Vec<ScorecardRow>,
    /// Why the per-owner CSI could not be computed (the CSI column is then empty).
    pub csi_problem: Option<DashboardError>,
}

impl ScorecardReport {
    /// The same rows scored and ranked with the weights of `params` (the page's weight
    /// fields): the metrics do not depend on the weights, so a new weighting needs no
    /// new analysis.
    pub fn reweighted(&self, params: &ValidDashboardParams) -> ScorecardReport {
        let mut out = self.clone();
        score(&mut out.rows, params.weights());
        out.weights = *params.weights();
        out
    }
}

/// The scorecard for the period and filter of `params`.
pub fn scorecard(input: &DashboardInput<'_>, params: &ValidDashboardParams) -> ScorecardReport {
    build(input, params, &Scope::new(input, params))
}

#[derive(Default)]
struct Acc {
    members: Vec<usize>,
    complaints: Vec<Complaint>,
    visits: Vec<Id>,
}

pub(crate) fn build(input: &DashboardInput<'_>, params: &ValidDashboardParams, scope: &Scope<'_>) -> ScorecardReport {
    let p = &params.periods;
    let owner_of = |m: usize| scope.customer(input, m).owner.trim().to_string();
    let mut owners: BTreeMap<String, Acc> = BTreeMap::new();
    for m in 0..scope.members.len() {
        owners.entry(owner_of(m)).or_default().members.push(m);
    }
    for c in scoped_complaints(input, scope, |c| received_in(input, c, p.from, p.to)) {
        if let Some(&m) = scope.slot.get(c.customer_id.as_str()) {
            owners.entry(owner_of(m)).or_default().complaints.push(c);
        }
    }
    for ((customer, _), id) in done_visits(input, scope, p.from, p.to) {
        if let Some(&m) = scope.slot.get(customer) {
            owners.entry(owner_of(m)).or_default().visits.push(id.to_string());
        }
    }
    let (csi, csi_problem) = owner_csi(input, params, scope);
    let id_of = |m: usize| scope.customer(input, m).id.clone();
    let mut rows: Vec<ScorecardRow> = owners
        .into_iter()
        .map(|(owner, acc)| {
            let sum = |v: &[f64]| crate::segment::canonical_sum(&mut acc.members.iter().map(|&m| v[m]).collect::<Vec<_>>());
            let revenue = sum(&scope.revenue);
            let previous_revenue = sum(&scope.previous_revenue);
            let mut ids: Vec<Id> = acc.members.iter().map(|&m| id_of(m)).collect();
            scope.sort_ids(&mut ids);
            let active = acc.members.iter().filter(|&&m| scope.customer(input, m).status == CustomerStatus::Active).count();
            let previous_buyers = acc.members.iter().filter(|&&m| scope.bought_previous[m]).count();
            let mut retained: Vec<Id> = acc.members.iter().filter(|&&m| scope.bought_previous[m] && scope.bought[m]).map(|&m| id_of(m)).collect();
            scope.sort_ids(&mut retained);
            let on_time = analyse_complaints(input, &acc.complaints, p.as_of, acc.members.len()).resolve_on_time_rate;
            let target = params
                .params
                .visit_targets
                .iter()
                .find(|(k, _)| k.trim() == owner)
                .map(|(_, &v)| v)
                .unwrap_or_else(|| params.params.visits_per_customer_month * active as f64 * p.days as f64 / 30.0);
            let (csi, csi_respondents) = csi.get(&owner).copied().unwrap_or((None, 0));
            ScorecardRow {
                customers: ListRef::new(ListKind::Customers, ids),
                active_customers: active,
                revenue,
                previous_revenue,
                growth: growth(revenue, previous_revenue),
                csi,
                csi_respondents,
                complaints: ListRef::new(ListKind::Complaints, acc.complaints.iter().map(|c| c.id.clone()).collect()),
                complaints_on_time: on_time,
                previous_buyers,
                retention: ratio(retained.len(), previous_buyers),
                retained: ListRef::new(ListKind::Customers, retained),
                visit_attainment: (target > 0.0).then(|| acc.visits.len() as f64 / target),
                visits: ListRef::new(ListKind::Interactions, acc.visits),
                visit_target: target,
                scaled: MetricScores::default(),
                score: None,
                rank: 0,
                owner,
            }
        })
        .collect();
    score(&mut rows, params.weights());
    ScorecardReport { periods: *p, filter: params.params.filter.clone(), weights: *params.weights(), rows, csi_problem }
}

/// CSI and respondents per owner name.
type OwnerCsi = HashMap<String, (Option<f64>, usize)>;

/// CSI and respondents per owner (`""` for customers without one) from the responses of
/// customers in the filter dated in the period.
fn owner_csi(input: &DashboardInput<'_>, params: &ValidDashboardParams, scope: &Scope<'_>) -> (OwnerCsi, Option<DashboardError>) {
    let Some(survey) = input.survey else { return (HashMap::new(), None) };
    let p = &params.periods;
    let linked: Vec<SurveyResponse> = scoped_responses(input, params, scope, p.from, p.to)
        .into_iter()
        .filter(|r| r.customer_id.as_deref().is_some_and(|id| scope.has(id)))
        .cloned()
        .collect();
    if linked.is_empty() {
        return (HashMap::new(), None);
    }
    match breakdown(survey, &linked, input.customers, &GroupBy::Owner, Language::En) {
        Ok(groups) => (groups.into_iter().map(|g| (g.key.unwrap_or_default(), (g.csi, g.n))).collect(), None),
        Err(e) => (HashMap::new(), Some(DashboardError::Satisfaction { detail: crate::error::Localized::bilingual(&e) })),
    }
}

/// The raw value of a metric of a row.
fn raw(r: &ScorecardRow, m: ScoreMetric) -> Option<f64> {
    match m {
        ScoreMetric::Revenue => Some(r.revenue),
        ScoreMetric::Growth => r.growth,
        ScoreMetric::Csi => r.csi,
        ScoreMetric::ComplaintsOnTime => r.complaints_on_time,
        ScoreMetric::Retention => r.retention,
        ScoreMetric::Visits => r.visit_attainment,
    }
    .filter(|x| x.is_finite())
}

/// Scales, scores and ranks the rows (rules in the module head).
pub(super) fn score(rows: &mut [ScorecardRow], weights: &ScoreWeights) {
    for m in ScoreMetric::ALL {
        let values: Vec<f64> = rows.iter().filter_map(|r| raw(r, m)).collect();
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for r in rows.iter_mut() {
            let s = raw(r, m).map(|x| if max > min { (x - min) / (max - min) } else { 1.0 });
            r.scaled.set(m, s);
        }
    }
    for r in rows.iter_mut() {
        let (mut num, mut den) = (0.0, 0.0);
        for m in ScoreMetric::ALL {
            if let Some(s) = r.scaled.get(m) {
                num += weights.get(m) * s;
                den += weights.get(m);
            }
        }
        r.score = (den > 0.0).then(|| num / den);
    }
    rows.sort_by(|a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.owner.cmp(&b.owner)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.owner.cmp(&b.owner),
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
}
