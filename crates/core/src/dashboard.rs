//! The dashboards of SPEC §8 (issue 11 §4): what a service manager's Overview shows every
//! morning, and the account-manager scorecard. Nothing here analyses anew: the figures
//! are read from the results of the other modules and counted for one period and one
//! filter.
//!
//! How the parts relate:
//! - [`DashboardParams`] (period, as-of instant, filter, CSI bootstrap, trend, score
//!   weights, visit targets) → [`DashboardParams::check`] → [`ValidDashboardParams`]; a
//!   stored or received [`ValidDashboardParams`] is checked again when read.
//! - [`DashboardInput`] holds the records as the app has them, plus the value analysis
//!   ([`crate::value::ValueReport`], computed elsewhere with its own as-of date) and the
//!   working calendar, SLA policy and visit settings.
//! - [`overview()`] gives the company view ([`OverviewReport`], module [`mod@overview`]);
//!   [`scorecard()`] the per-owner scorecard ([`ScorecardReport`], module
//!   [`mod@scorecard`]); [`dashboard()`] both at once, the shared work done once.
//!
//! Conventions shared by every figure:
//! - The *period* is `from..=to` (both inclusive, `L` days); the *previous period* is the
//!   `L` days just before `from` (the rule of [`crate::segment::crosstab`]). Flows (revenue,
//!   CSI, visits done, complaints received) are counted over each period. States (open
//!   complaints) are taken as of [`DashboardParams::as_of`] and, for the comparison, as
//!   of `as_of − L days`. Class counts (ABC, stage, grade, decline warning) come from the
//!   value analysis and its optional previous counterpart.
//! - The *filter* ([`DashboardFilter`]) picks customers by owner or region; every figure
//!   then reads only those customers and their order lines, complaints, interactions and
//!   survey responses (anonymous responses count only without a filter). When customer ids
//!   repeat, the first customer with the id is used.
//! - A customer *bought* in a period when it has an order line with a positive amount
//!   dated in it; its *revenue* in a period is the sum of all its lines dated in it
//!   (returns count negative).
//! - Ratios and means are `None`, never NaN, when there is nothing to divide by.
//! - Every tile carries a [`ListRef`]: the kind and ids of the records behind it, so the
//!   page opens exactly that list.

pub mod overview;
pub mod scorecard;
#[cfg(test)]
mod tests;

pub use overview::{
    overview, ClassCount, ClassTile, ComplaintTile, ConcentrationTile, CsiFigure, CsiTile, CsiTrendPoint, OverviewReport, RevenueTile, Tile, VisitTile,
};
pub use scorecard::{scorecard, MetricScores, ScorecardReport, ScorecardRow};

use crate::model::{Complaint, Customer, Date, EventTime, Id, Interaction, Language, Region, Survey, SurveyResponse};
use crate::orders::{Lines, OrderTable};
use crate::satisfaction::csi::{CsiError, CsiParams, ValidCsiParams};
use crate::segment::crosstab::{CrosstabError, CrosstabParams};
use crate::service::calendar::WorkCalendar;
use crate::service::complaints::SlaPolicy;
use crate::service::visits::ValidVisitParams;
use crate::value::{IdOrder, ValueReport};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which customers the whole page reads: all, one account manager's, or one region's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by", content = "value")]
pub enum DashboardFilter {
    /// Every customer.
    #[default]
    All,
    /// The customers whose owner (account manager) is this name, compared after trimming
    /// both; `""` picks the customers without an owner.
    Owner(String),
    /// The customers of this region 大区.
    Region(Region),
}

impl DashboardFilter {
    /// Whether a customer is in the filter.
    pub fn matches(&self, c: &Customer) -> bool {
        match self {
            DashboardFilter::All => true,
            DashboardFilter::Owner(o) => c.owner.trim() == o.trim(),
            DashboardFilter::Region(r) => c.region == Some(*r),
        }
    }
}

/// The buckets of the CSI trend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendUnit {
    /// Calendar months of the response dates (`2026-03`).
    Month,
    /// Calendar quarters of the response dates (`2026Q1`).
    #[default]
    Quarter,
}

/// The metrics of the account-manager score, in the order of [`ScoreWeights`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMetric {
    /// Revenue of the owner's customers in the period.
    Revenue,
    /// Revenue growth against the previous period.
    Growth,
    /// CSI of the owner's customers' responses in the period.
    Csi,
    /// Complaints received in the period and resolved on time (rate).
    ComplaintsOnTime,
    /// Retention: bought in the previous period and again in this one.
    Retention,
    /// Done visits against the target.
    Visits,
}

impl ScoreMetric {
    /// All metrics, in the order of [`ScoreWeights`].
    pub const ALL: [ScoreMetric; 6] =
        [ScoreMetric::Revenue, ScoreMetric::Growth, ScoreMetric::Csi, ScoreMetric::ComplaintsOnTime, ScoreMetric::Retention, ScoreMetric::Visits];

    /// The name in files and JSON (`complaints_on_time`).
    pub fn name(self) -> &'static str {
        match self {
            ScoreMetric::Revenue => "revenue",
            ScoreMetric::Growth => "growth",
            ScoreMetric::Csi => "csi",
            ScoreMetric::ComplaintsOnTime => "complaints_on_time",
            ScoreMetric::Retention => "retention",
            ScoreMetric::Visits => "visits",
        }
    }

    /// A label for the user.
    pub fn label(self, lang: Language) -> &'static str {
        let zh = lang == Language::ZhCn;
        match self {
            ScoreMetric::Revenue => if zh { "销售额" } else { "revenue" },
            ScoreMetric::Growth => if zh { "销售增长" } else { "revenue growth" },
            ScoreMetric::Csi => if zh { "顾客满意度指数" } else { "CSI" },
            ScoreMetric::ComplaintsOnTime => if zh { "投诉按时解决率" } else { "complaints resolved on time" },
            ScoreMetric::Retention => if zh { "客户保持率" } else { "retention" },
            ScoreMetric::Visits => if zh { "拜访目标完成率" } else { "visits against target" },
        }
    }
}

/// The weights of the account-manager score as the user edits them (any non-negative
/// numbers; [`DashboardParams::check`] normalises them to sum 1). By default customer
/// satisfaction weighs most, as the final criterion in staff evaluation (SPEC §5, §8):
/// CSI 0.30, revenue, growth, complaints on time and retention 0.15 each, visits 0.10.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreWeights {
    /// Weight of the revenue.
    pub revenue: f64,
    /// Weight of the revenue growth.
    pub growth: f64,
    /// Weight of the CSI.
    pub csi: f64,
    /// Weight of the on-time resolution rate of complaints.
    pub complaints_on_time: f64,
    /// Weight of the retention rate.
    pub retention: f64,
    /// Weight of the visits against target.
    pub visits: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights { revenue: 0.15, growth: 0.15, csi: 0.30, complaints_on_time: 0.15, retention: 0.15, visits: 0.10 }
    }
}

impl ScoreWeights {
    /// The weight of one metric.
    pub fn get(&self, m: ScoreMetric) -> f64 {
        match m {
            ScoreMetric::Revenue => self.revenue,
            ScoreMetric::Growth => self.growth,
            ScoreMetric::Csi => self.csi,
            ScoreMetric::ComplaintsOnTime => self.complaints_on_time,
            ScoreMetric::Retention => self.retention,
            ScoreMetric::Visits => self.visits,
        }
    }

    fn scaled(&self, k: f64) -> ScoreWeights {
        ScoreWeights {
            revenue: self.revenue * k,
            growth: self.growth * k,
            csi: self.csi * k,
            complaints_on_time: self.complaints_on_time * k,
            retention: self.retention * k,
            visits: self.visits * k,
        }
    }
}

/// Every parameter of the dashboards, as the page holds them (and puts in the address).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardParams {
    /// First day of the period, inclusive.
    pub from: Date,
    /// Last day of the period, inclusive.
    pub to: Date,
    /// The instant of the state figures: open complaints by deadline and visits due (the
    /// page passes "now"). Their previous figure is taken as of `as_of − L days`.
    pub as_of: EventTime,
    /// Owner or region, for every figure of the page.
    #[serde(default)]
    pub filter: DashboardFilter,
    /// The CSI bootstrap (resamples 0 or ≥ 100, confidence in (0, 1)).
    #[serde(default)]
    pub csi: CsiParams,
    /// Months or quarters for the CSI trend.
    #[serde(default)]
    pub trend: TrendUnit,
    /// How many trend buckets, ending with the one that holds `to` (1-120; 8).
    #[serde(default = "default_trend_points")]
    pub trend_points: u32,
    /// Weights of the account-manager score.
    #[serde(default)]
    pub weights: ScoreWeights,
    /// The default visit target: visits per active customer per 30 days (1.0). An owner's
    /// target for the period is this × their active customers × `L / 30`.
    #[serde(default = "default_visit_rate")]
    pub visits_per_customer_month: f64,
    /// Targets for the whole period per owner (trimmed name → visits), replacing the
    /// default for those owners.
    #[serde(default)]
    pub visit_targets: BTreeMap<String, f64>,
    /// "Due soon" for open complaints: at most this many business hours left (24).
    #[serde(default = "default_due_hours")]
    pub due_within_hours: f64,
}

fn default_trend_points() -> u32 {
    8
}

fn default_visit_rate() -> f64 {
    1.0
}

fn default_due_hours() -> f64 {
    24.0
}

impl DashboardParams {
    /// The period `from..=to` seen at `as_of`, every other setting at its default.
    pub fn new(from: Date, to: Date, as_of: EventTime) -> DashboardParams {
        DashboardParams {
            from,
            to,
            as_of,
            filter: DashboardFilter::All,
            csi: CsiParams::default(),
            trend: TrendUnit::default(),
            trend_points: default_trend_points(),
            weights: ScoreWeights::default(),
            visits_per_customer_month: default_visit_rate(),
            visit_targets: BTreeMap::new(),
            due_within_hours: default_due_hours(),
        }
    }

    /// Checks `from ≤ to` and works out the previous period; the CSI settings; 1-120 trend
    /// buckets; every weight finite and ≥ 0 with a positive sum (then divided by the sum);
    /// the visit rate and every per-owner target finite, 0-10,000; the due-soon horizon
    /// finite, > 0 and at most 10,000 business hours.
    pub fn check(&self) -> Result<ValidDashboardParams, DashboardError> {
        let period = CrosstabParams { from: self.from, to: self.to }.check().map_err(|e| match e {
            CrosstabError::PreviousPeriod { from, to } => DashboardError::PreviousPeriod { from, to },
            _ => DashboardError::Period { from: self.from, to: self.to },
        })?;
        let csi = self.csi.check().map_err(|e| match e {
            CsiError::TooFewResamples(n) => DashboardError::TooFewResamples { value: n },
            _ => DashboardError::BadConfidence { value: self.csi.confidence },
        })?;
        if !(1..=120).contains(&self.trend_points) {
            return Err(DashboardError::BadTrendPoints { value: self.trend_points });
        }
        let mut sum = 0.0;
        for m in ScoreMetric::ALL {
            let w = self.weights.get(m);
            if !(w.is_finite() && w >= 0.0) {
                return Err(DashboardError::BadWeight { metric: m, value: w });
            }
            sum += w;
        }
        if !(sum > 0.0 && sum.is_finite()) {
            return Err(DashboardError::ZeroWeights);
        }
        let target_ok = |v: f64| v.is_finite() && (0.0..=10_000.0).contains(&v);
        if !target_ok(self.visits_per_customer_month) {
            return Err(DashboardError::BadVisitRate { value: self.visits_per_customer_month });
        }
        if let Some((owner, &value)) = self.visit_targets.iter().find(|(_, v)| !target_ok(**v)) {
            return Err(DashboardError::BadVisitTarget { owner: owner.clone(), value });
        }
        if !(self.due_within_hours.is_finite() && self.due_within_hours > 0.0 && self.due_within_hours <= 10_000.0) {
            return Err(DashboardError::BadDueHours { value: self.due_within_hours });
        }
        let days = (self.to - self.from).num_days() + 1;
        let periods = Periods {
            from: period.from,
            to: period.to,
            previous_from: period.previous_from,
            previous_to: period.previous_to,
            days,
            as_of: self.as_of,
            previous_as_of: self.as_of - chrono::TimeDelta::days(days),
        };
        Ok(ValidDashboardParams { params: self.clone(), periods, weights: self.weights.scaled(1.0 / sum), csi })
    }
}

/// The periods and instants of a dashboard, worked out by [`DashboardParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Periods {
    /// First day of the period.
    pub from: Date,
    /// Last day of the period.
    pub to: Date,
    /// First day of the previous period of equal length.
    pub previous_from: Date,
    /// Last day of the previous period (the day before `from`).
    pub previous_to: Date,
    /// Length `L` of each period in days.
    pub days: i64,
    /// The instant of the state figures.
    pub as_of: EventTime,
    /// `as_of − L days`, the instant of their previous figures.
    pub previous_as_of: EventTime,
}

impl Periods {
    /// Whether a day lies in the period.
    pub fn in_current(&self, d: Date) -> bool {
        d >= self.from && d <= self.to
    }

    /// Whether a day lies in the previous period.
    pub fn in_previous(&self, d: Date) -> bool {
        d >= self.previous_from && d <= self.previous_to
    }
}

/// [`DashboardParams`] that passed [`DashboardParams::check`], with the previous period
/// worked out and the weights normalised to sum 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "DashboardParams", into = "DashboardParams")]
pub struct ValidDashboardParams {
    params: DashboardParams,
    periods: Periods,
    weights: ScoreWeights,
    csi: ValidCsiParams,
}

impl TryFrom<DashboardParams> for ValidDashboardParams {
    type Error = DashboardError;
    /// [`DashboardParams::check`]: the only way to a [`ValidDashboardParams`], from code or
    /// from serde.
    fn try_from(raw: DashboardParams) -> Result<Self, DashboardError> {
        raw.check()
    }
}

impl From<ValidDashboardParams> for DashboardParams {
    fn from(v: ValidDashboardParams) -> Self {
        v.params
    }
}

impl ValidDashboardParams {
    /// The parameters as given.
    pub fn params(&self) -> &DashboardParams {
        &self.params
    }

    /// The periods and instants.
    pub fn periods(&self) -> &Periods {
        &self.periods
    }

    /// The score weights divided by their sum (they sum to 1).
    pub fn weights(&self) -> &ScoreWeights {
        &self.weights
    }

    /// The checked CSI settings.
    pub fn csi(&self) -> &ValidCsiParams {
        &self.csi
    }
}

/// Why dashboard parameters were refused, or a figure could not be computed.
/// [`DashboardError::message`] says it in Chinese or English.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DashboardError {
    /// The period ends before it starts.
    #[error("the period {from} – {to} ends before it starts")]
    Period {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// The previous period would start before the earliest representable date.
    #[error("the previous period of {from} – {to} is out of the calendar range")]
    PreviousPeriod {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// The CSI confidence level is not between 0 and 1.
    #[error("confidence level {value} is not between 0 and 1")]
    BadConfidence {
        /// The value given.
        value: f64,
    },
    /// Between 1 and 99 bootstrap resamples.
    #[error("{value} bootstrap resamples are too few (use 0 for none, or at least 100)")]
    TooFewResamples {
        /// The value given.
        value: usize,
    },
    /// The number of trend buckets is not 1-120.
    #[error("{value} trend points: use 1 to 120")]
    BadTrendPoints {
        /// The value given.
        value: u32,
    },
    /// A score weight is negative or not a number.
    #[error("the weight of {} is {value}, not a number ≥ 0", metric.name())]
    BadWeight {
        /// Which metric.
        metric: ScoreMetric,
        /// The value given.
        value: f64,
    },
    /// Every score weight is 0.
    #[error("the score weights are all 0")]
    ZeroWeights,
    /// The default visit rate is not a number from 0 to 10,000.
    #[error("{value} visits per customer per month is not a number from 0 to 10000")]
    BadVisitRate {
        /// The value given.
        value: f64,
    },
    /// An owner's visit target is not a number from 0 to 10,000.
    #[error("the visit target of {owner:?}, {value}, is not a number from 0 to 10000")]
    BadVisitTarget {
        /// The owner.
        owner: String,
        /// The value given.
        value: f64,
    },
    /// The due-soon horizon is not a positive number of business hours up to 10,000.
    #[error("{value} is not a positive number of business hours up to 10000")]
    BadDueHours {
        /// The value given.
        value: f64,
    },
    /// The CSI could not be computed (the survey's indicator tree is unusable).
    #[error("the CSI could not be computed: {detail}")]
    Satisfaction {
        /// The satisfaction module's message, in both languages.
        detail: crate::error::Bilingual,
    },
}

impl DashboardError {
    /// A full sentence for the user.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            DashboardError::Period { from, to } => if zh {
                format!("统计期间 {from} 至 {to} 的结束日期早于开始日期。")
            } else {
                format!("The period {from} to {to} ends before it starts.")
            },
            DashboardError::PreviousPeriod { from, to } => if zh {
                format!("统计期间 {from} 至 {to} 的上一期间超出了日历范围。")
            } else {
                format!("The previous period of {from} to {to} lies outside the calendar.")
            },
            DashboardError::BadConfidence { value } => if zh {
                format!("置信水平 {value} 不在 0 与 1 之间。")
            } else {
                format!("The confidence level {value} is not between 0 and 1.")
            },
            DashboardError::TooFewResamples { value } => if zh {
                format!("自助抽样次数 {value} 太少（填 0 表示不计算区间，或至少 100）。")
            } else {
                format!("{value} bootstrap resamples are too few (use 0 for no interval, or at least 100).")
            },
            DashboardError::BadTrendPoints { value } => if zh {
                format!("趋势的期数 {value} 无效，应为 1 至 120。")
            } else {
                format!("{value} trend points is not valid: use 1 to 120.")
            },
            DashboardError::BadWeight { metric, value } => if zh {
                format!("“{}”的权重 {value} 不是大于或等于 0 的数。", metric.label(lang))
            } else {
                format!("The weight of {}, {value}, is not a number of at least 0.", metric.label(lang))
            },
            DashboardError::ZeroWeights => if zh {
                "综合得分的权重不能全部为 0。".to_string()
            } else {
                "The score weights cannot all be 0.".to_string()
            },
            DashboardError::BadVisitRate { value } => if zh {
                format!("每客户每月拜访次数 {value} 无效，应为 0 至 10000。")
            } else {
                format!("{value} visits per customer per month is not valid: use 0 to 10000.")
            },
            DashboardError::BadVisitTarget { owner, value } => if zh {
                format!("客户经理“{owner}”的拜访目标 {value} 无效，应为 0 至 10000。")
            } else {
                format!("The visit target of account manager “{owner}”, {value}, is not valid: use 0 to 10000.")
            },
            DashboardError::BadDueHours { value } => if zh {
                format!("“即将到期”的时限 {value} 无效，应为大于 0 且不超过 10000 的工作小时数。")
            } else {
                format!("The due-soon horizon {value} is not valid: use more than 0 and at most 10000 business hours.")
            },
            DashboardError::Satisfaction { detail } => if zh {
                format!("无法计算顾客满意度指数：{}。", detail.zh.trim_end_matches('。'))
            } else {
                format!("The CSI could not be computed: {}.", detail.en.trim_end_matches('.'))
            },
        }
    }
}

/// What kind of record a [`ListRef`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// Customers (the customer list).
    Customers,
    /// Complaints (the complaint list).
    Complaints,
    /// Interactions: visits, next steps (the visit list).
    Interactions,
    /// Survey responses.
    Responses,
}

/// The list behind a tile: what kind of record and which ids, in the order to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRef {
    /// The kind of record.
    pub kind: ListKind,
    /// Their ids.
    pub ids: Vec<Id>,
}

impl ListRef {
    fn new(kind: ListKind, ids: Vec<Id>) -> ListRef {
        ListRef { kind, ids }
    }
}

/// The records the dashboards read.
#[derive(Debug, Clone, Copy)]
pub struct DashboardInput<'a> {
    /// Every customer (the filter is applied here).
    pub customers: &'a [Customer],
    /// The value analysis (ABC, stage, grade, decline warning) with its as-of date;
    /// customers are matched by id, so a report on an older customer list still serves
    /// (customers it lacks are counted as not classified).
    pub value: &'a ValueReport,
    /// The value analysis as of the previous period's end, for the comparison of the class
    /// counts; `None` leaves those previous figures empty.
    pub previous_value: Option<&'a ValueReport>,
    /// Every order line.
    pub orders: &'a OrderTable,
    /// Every interaction.
    pub interactions: &'a [Interaction],
    /// Every complaint.
    pub complaints: &'a [Complaint],
    /// The survey whose CSI the page shows (`None`: no CSI figures).
    pub survey: Option<&'a Survey>,
    /// Every survey response (those of other surveys are ignored).
    pub responses: &'a [SurveyResponse],
    /// The working calendar of the complaint clocks.
    pub calendar: &'a WorkCalendar,
    /// The SLA policy.
    pub policy: &'a SlaPolicy,
    /// The visit settings (calendar offset, counted kinds, "soon" horizon).
    pub visits: &'a ValidVisitParams,
}

/// Both dashboards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardReport {
    /// The company view.
    pub overview: OverviewReport,
    /// The account-manager scorecard.
    pub scorecard: ScorecardReport,
}

/// The overview and the scorecard of the same period and filter, the shared work done
/// once.
pub fn dashboard(input: &DashboardInput<'_>, params: &ValidDashboardParams) -> DashboardReport {
    let scope = Scope::new(input, params);
    DashboardReport { overview: overview::build(input, params, &scope), scorecard: scorecard::build(input, params, &scope) }
}

/// The customers in the filter and their per-period facts, shared by both dashboards.
pub(crate) struct Scope<'a> {
    /// Indices into the customer slice, first occurrence of each id, in slice order.
    pub members: Vec<usize>,
    /// Customer id → position in `members`.
    pub slot: HashMap<&'a str, usize>,
    /// The tie order of the customer ids.
    pub order: IdOrder,
    /// Per member: revenue in the period.
    pub revenue: Vec<f64>,
    /// Per member: revenue in the previous period.
    pub previous_revenue: Vec<f64>,
    /// Per member: bought in the period.
    pub bought: Vec<bool>,
    /// Per member: bought in the previous period.
    pub bought_previous: Vec<bool>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(input: &DashboardInput<'a>, params: &ValidDashboardParams) -> Scope<'a> {
        let filter = &params.params.filter;
        let mut members = Vec::new();
        let mut slot: HashMap<&'a str, usize> = HashMap::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, c) in input.customers.iter().enumerate() {
            // The first customer with an id gets the records, whether or not it matches.
            if !seen.insert(c.id.as_str()) {
                continue;
            }
            if filter.matches(c) {
                slot.insert(c.id.as_str(), members.len());
                members.push(i);
            }
        }
        let ids: Vec<&str> = members.iter().map(|&i| input.customers[i].id.as_str()).collect();
        let order = IdOrder::detect(&ids);
        let n = members.len();
        let p = &params.periods;
        let (mut cur, mut prev): (Vec<Vec<f64>>, Vec<Vec<f64>>) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        let (mut bought, mut bought_previous) = (vec![false; n], vec![false; n]);
        let slots = input.orders.customer_slots(&|id| slot.get(id).map(|&s| s as u32));
        for (line, s) in input.orders.each_line().zip(slots) {
            if s == u32::MAX || !line.amount.is_finite() {
                continue;
            }
            let s = s as usize;
            if p.in_current(line.date) {
                cur[s].push(line.amount);
                bought[s] |= line.amount > 0.0;
            } else if p.in_previous(line.date) {
                prev[s].push(line.amount);
                bought_previous[s] |= line.amount > 0.0;
            }
        }
        let revenue = cur.iter_mut().map(|v| crate::segment::canonical_sum(v)).collect();
        let previous_revenue = prev.iter_mut().map(|v| crate::segment::canonical_sum(v)).collect();
        Scope { members, slot, order, revenue, previous_revenue, bought, bought_previous }
    }

    /// The customer of a member.
    pub(crate) fn customer<'c>(&self, input: &DashboardInput<'c>, m: usize) -> &'c Customer {
        &input.customers[self.members[m]]
    }

    /// Whether a customer id is in the filter.
    pub(crate) fn has(&self, id: &str) -> bool {
        self.slot.contains_key(id)
    }

    /// Sorts customer ids by the tie order.
    pub(crate) fn sort_ids(&self, ids: &mut [Id]) {
        ids.sort_by(|a, b| self.order.compare(a, b));
    }
}

/// Growth of `current` against `previous`: `(current − previous) / previous`; `None` when
/// the previous value is ≤ 0 (a growth rate against nothing or against net returns means
/// nothing).
pub fn growth(current: f64, previous: f64) -> Option<f64> {
    (previous > 0.0 && current.is_finite()).then(|| (current - previous) / previous)
}

/// `num / den`, `None` when `den` is 0.
fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}
