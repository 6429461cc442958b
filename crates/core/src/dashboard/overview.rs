//! The company view 总览 (issue 11 §4): for the period and the filter of the
//! [`ValidDashboardParams`], every tile with its previous figure and the list behind it.
//!
//! Definitions (see the parent module for period, filter, "bought" and revenue):
//! - **Classes** (ABC, lifecycle stage, key-account grade): the customers in the filter per
//!   class of the value analysis, as of that analysis's own as-of date; customers the
//!   analysis does not know are *not classified*, so each breakdown's counts plus the
//!   not-classified count equal the customers in the filter. Previous counts come from the
//!   previous value analysis when one is given.
//! - **Revenue**: the sum over the customers in the filter, with growth against the
//!   previous period ([`super::growth`]).
//! - **Concentration** (20/80): among the `n` customers who bought in the period, the
//!   `k = ⌈0.2·n⌉` with the most revenue (ties by customer id, [`crate::value::IdOrder`]);
//!   share = their revenue / the revenue of all customers in the filter, `None` when that
//!   is ≤ 0 or nobody bought. With 1 to 5 buyers `k` is 1; with none it is 0.
//! - **CSI**: the weighted-average CSI ([`crate::satisfaction::csi::csi`]) of the survey's
//!   non-blank responses ([`crate::satisfaction::analysis::responses_of`]) dated in the
//!   period, with the bootstrap interval of the parameters; the previous period's the same
//!   way; change = current − previous in points. The trend is the CSI without interval per
//!   month or quarter of the response dates, the last `trend_points` buckets up to `to`
//!   (the last bucket cut at `to`).
//! - **Complaints by deadline** ([`crate::service::complaints::analyse`] as of `as_of`):
//!   the open complaints (registered, confirmed, handling, waiting) fall in exactly one of
//!   *overdue* (past the confirmation or resolution target), *waiting* for the customer
//!   (clock paused), *due today* (the running clock's deadline is today), *due soon* (at
//!   most `due_within_hours` business hours left), *later*. Previous figures as of
//!   `as_of − L days`. Also the complaints received in each period and their on-time
//!   resolution rate (the analysis's `resolve_on_time_rate` of those complaints).
//! - **Visits** ([`crate::service::visits::due`] at the local date of `as_of`): planned
//!   visits and open next steps overdue, due today, due soon. These have no previous
//!   figure: an interaction's status is not historical (a visit planned then and done since
//!   reads as done), so the list at an earlier date cannot be rebuilt. *Done* visits: done
//!   interactions of the counted kinds, once per customer and day (the day-plan rule),
//!   dated in each period.
//! - **Decline warning** 高危客户预警: the value analysis's warning list, customers in the
//!   filter, most value at stake first.

use super::{DashboardFilter, DashboardInput, ListKind, ListRef, Periods, Scope, ValidDashboardParams};
use super::{DashboardError, TrendUnit};
use crate::model::{Complaint, Date, EventTime, Id, InteractionStatus, SurveyResponse};
use crate::satisfaction::analysis::responses_of;
use crate::satisfaction::csi::{self, CsiError, CsiParams, ScoredItems, ValidCsiParams};
use crate::service::complaints::{analyse, ComplaintParams, ComplaintReport};
use crate::service::visits::{due, local_day, Due};
use crate::value::abc::AbcClass;
use crate::value::grade::Grade;
use crate::value::lifecycle::Stage;
use crate::value::{CustomerValue, ValueReport};
use chrono::{Datelike, Months};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A count with its previous figure and the list behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tile {
    /// The figure.
    pub count: usize,
    /// The same figure for the previous period (`None` where it cannot be known).
    pub previous: Option<usize>,
    /// The records behind `count`.
    pub list: ListRef,
}

/// One class of a breakdown (an ABC class, a stage, a grade).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCount<K> {
    /// The class.
    pub class: K,
    /// Customers in the filter with this class.
    pub count: usize,
    /// The same from the previous value analysis, when given.
    pub previous: Option<usize>,
    /// Those customers, by id.
    pub list: ListRef,
}

/// Customers per class, every class listed (zeros included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassTile<K> {
    /// One row per class, in the class's own order (A, B, C; exploration … lost; 特级 … C).
    pub rows: Vec<ClassCount<K>>,
    /// Customers in the filter that the value analysis does not know.
    pub unclassified: ListRef,
    /// The same for the previous value analysis, when given.
    pub previous_unclassified: Option<usize>,
}

/// Revenue in the period and the previous one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevenueTile {
    /// Revenue in the period, yuan.
    pub revenue: f64,
    /// Revenue in the previous period.
    pub previous: f64,
    /// `(revenue − previous) / previous`; `None` when the previous revenue is ≤ 0.
    pub growth: Option<f64>,
    /// Customers who bought in the period.
    pub buyers: usize,
    /// Customers who bought in the previous period.
    pub previous_buyers: usize,
    /// The buyers of the period, most revenue first (ties by id).
    pub list: ListRef,
}

/// Revenue concentration: the share of the top 20 % of buyers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcentrationTile {
    /// Buyers `n` in the period.
    pub buyers: usize,
    /// `k = ⌈0.2·n⌉`.
    pub top_n: usize,
    /// Their revenue.
    pub top_revenue: f64,
    /// Revenue of all customers in the filter.
    pub total_revenue: f64,
    /// `top_revenue / total_revenue`; `None` when the total is ≤ 0 or nobody bought.
    pub share: Option<f64>,
    /// The same share in the previous period.
    pub previous_share: Option<f64>,
    /// `k` of the previous period.
    pub previous_top_n: usize,
    /// The top customers, most revenue first.
    pub list: ListRef,
}

/// A CSI with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsiFigure {
    /// CSI, 0-100.
    pub csi: f64,
    /// Lower end of the bootstrap interval (`None` without resamples).
    pub ci_low: Option<f64>,
    /// Upper end of the bootstrap interval.
    pub ci_high: Option<f64>,
    /// Satisfaction rate (top two levels), %.
    pub satisfaction_rate: f64,
    /// Responses it rests on.
    pub respondents: usize,
}

/// One bucket of the CSI trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsiTrendPoint {
    /// `2026-03` or `2026Q1`.
    pub label: String,
    /// First day of the bucket.
    pub from: Date,
    /// Last day counted (the bucket's end, or `to` for the last bucket).
    pub to: Date,
    /// CSI without interval; `None` without answers.
    pub csi: Option<f64>,
    /// Responses in the bucket.
    pub respondents: usize,
}

/// The CSI tile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsiTile {
    /// The survey measured (`None`: no survey given).
    pub survey_id: Option<Id>,
    /// CSI of the period; `None` without a survey or answers.
    pub current: Option<CsiFigure>,
    /// CSI of the previous period.
    pub previous: Option<CsiFigure>,
    /// `current − previous`, in points.
    pub change: Option<f64>,
    /// The trend, oldest bucket first.
    pub trend: Vec<CsiTrendPoint>,
    /// The responses of the period.
    pub list: ListRef,
    /// Why the CSI could not be computed (the figures are then empty).
    pub problem: Option<DashboardError>,
}

/// Open complaints by deadline, and the complaints of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintTile {
    /// Open complaints as of `as_of` (the sum of the five buckets below).
    pub open: Tile,
    /// Past the confirmation or resolution target.
    pub overdue: Tile,
    /// Waiting for the customer, not overdue.
    pub waiting: Tile,
    /// Deadline today, not overdue or waiting.
    pub due_today: Tile,
    /// At most `due_within_hours` business hours left, not in a bucket above.
    pub due_soon: Tile,
    /// Every other open complaint.
    pub later: Tile,
    /// The horizon of `due_soon`, business hours.
    pub due_within_hours: f64,
    /// Complaints received in the period (previous: in the previous period).
    pub received: Tile,
    /// On-time resolution rate of the complaints received in the period (as of `as_of`).
    pub on_time_rate: Option<f64>,
    /// The same for the previous period (as of `as_of − L days`).
    pub previous_on_time_rate: Option<f64>,
    /// Complaints left out because an event was refused.
    pub rejected: ListRef,
}

/// Visits due and done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitTile {
    /// The local date the due figures are counted at.
    pub today: Date,
    /// Planned visits and open next steps due before today.
    pub overdue: Tile,
    /// Due today.
    pub due_today: Tile,
    /// Due within the visit settings' "soon" horizon after today.
    pub due_soon: Tile,
    /// Done visits (once per customer and day) in the period; previous in the previous
    /// period.
    pub done: Tile,
}

/// The company view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewReport {
    /// The periods and instants.
    pub periods: Periods,
    /// The filter applied to every figure.
    pub filter: DashboardFilter,
    /// The customers in the filter.
    pub customers: ListRef,
    /// As-of date of the value analysis.
    pub value_as_of: Date,
    /// As-of date of the previous value analysis, when given.
    pub previous_value_as_of: Option<Date>,
    /// Customers per ABC class.
    pub abc: ClassTile<AbcClass>,
    /// Customers per lifecycle stage.
    pub stage: ClassTile<Stage>,
    /// Customers per key-account grade.
    pub grade: ClassTile<Grade>,
    /// Revenue.
    pub revenue: RevenueTile,
    /// Revenue concentration.
    pub concentration: ConcentrationTile,
    /// CSI with interval and trend.
    pub csi: CsiTile,
    /// Complaints by deadline.
    pub complaints: ComplaintTile,
    /// Visits due and done.
    pub visits: VisitTile,
    /// Decline-warning count (previous from the previous value analysis).
    pub warning: Tile,
}

/// The company view for the period and filter of `params`.
pub fn overview(input: &DashboardInput<'_>, params: &ValidDashboardParams) -> OverviewReport {
    build(input, params, &Scope::new(input, params))
}

pub(crate) fn build(input: &DashboardInput<'_>, params: &ValidDashboardParams, scope: &Scope<'_>) -> OverviewReport {
    let p = &params.periods;
    let mut ids: Vec<Id> = (0..scope.members.len()).map(|m| scope.customer(input, m).id.clone()).collect();
    scope.sort_ids(&mut ids);
    let current = by_id(input.value);
    let previous = input.previous_value.map(by_id);
    OverviewReport {
        periods: *p,
        filter: params.params.filter.clone(),
        value_as_of: input.value.params.as_of,
        previous_value_as_of: input.previous_value.map(|v| v.params.as_of),
        abc: classes(&ids, &current, previous.as_ref(), &AbcClass::ALL, |v| v.abc),
        stage: classes(&ids, &current, previous.as_ref(), &Stage::ALL, |v| v.stage),
        grade: classes(&ids, &current, previous.as_ref(), &Grade::ALL, |v| v.grade),
        customers: ListRef::new(ListKind::Customers, ids),
        revenue: revenue(input, scope),
        concentration: concentration_tile(input, scope),
        csi: csi_tile(input, params, scope),
        complaints: complaint_tile(input, params, scope),
        visits: visit_tile(input, params, scope),
        warning: warning(input, scope),
    }
}

fn by_id(r: &ValueReport) -> HashMap<&str, &CustomerValue> {
    let mut m = HashMap::with_capacity(r.customers.len());
    for v in &r.customers {
        m.entry(v.id.as_str()).or_insert(v);
    }
    m
}

fn classes<K: Copy + PartialEq>(
    ids: &[Id],
    current: &HashMap<&str, &CustomerValue>,
    previous: Option<&HashMap<&str, &CustomerValue>>,
    all: &[K],
    class: impl Fn(&CustomerValue) -> K,
) -> ClassTile<K> {
    let rows = all
        .iter()
        .map(|&k| {
            let members: Vec<Id> = ids.iter().filter(|id| current.get(id.as_str()).is_some_and(|v| class(v) == k)).cloned().collect();
            let prev = previous.map(|pv| ids.iter().filter(|id| pv.get(id.as_str()).is_some_and(|v| class(v) == k)).count());
            ClassCount { class: k, count: members.len(), previous: prev, list: ListRef::new(ListKind::Customers, members) }
        })
        .collect();
    let unclassified = ids.iter().filter(|id| !current.contains_key(id.as_str())).cloned().collect();
    let previous_unclassified = previous.map(|pv| ids.iter().filter(|id| !pv.contains_key(id.as_str())).count());
    ClassTile { rows, unclassified: ListRef::new(ListKind::Customers, unclassified), previous_unclassified }
}

/// Members who bought, most revenue first, ties by customer id.
fn ranked_buyers(input: &DashboardInput<'_>, scope: &Scope<'_>, revenue: &[f64], bought: &[bool]) -> Vec<usize> {
    let mut b: Vec<usize> = (0..scope.members.len()).filter(|&m| bought[m]).collect();
    b.sort_by(|&x, &y| revenue[y].total_cmp(&revenue[x]).then_with(|| scope.order.compare(&scope.customer(input, x).id, &scope.customer(input, y).id)));
    b
}

fn revenue(input: &DashboardInput<'_>, scope: &Scope<'_>) -> RevenueTile {
    let total = crate::segment::canonical_sum(&mut scope.revenue.clone());
    let previous = crate::segment::canonical_sum(&mut scope.previous_revenue.clone());
    let buyers = ranked_buyers(input, scope, &scope.revenue, &scope.bought);
    RevenueTile {
        revenue: total,
        previous,
        growth: super::growth(total, previous),
        buyers: buyers.len(),
        previous_buyers: scope.bought_previous.iter().filter(|&&b| b).count(),
        list: ListRef::new(ListKind::Customers, buyers.iter().map(|&m| scope.customer(input, m).id.clone()).collect()),
    }
}

/// The top `⌈0.2·n⌉` buyers, their revenue, the total revenue and the share.
pub(crate) struct Concentration {
    pub top: Vec<usize>,
    pub buyers: usize,
    pub top_revenue: f64,
    pub total: f64,
    pub share: Option<f64>,
}

pub(crate) fn concentration(input: &DashboardInput<'_>, scope: &Scope<'_>, revenue: &[f64], bought: &[bool]) -> Concentration {
    let ranked = ranked_buyers(input, scope, revenue, bought);
    let n = ranked.len();
    let k = n.div_ceil(5);
    let top: Vec<usize> = ranked[..k].to_vec();
    let top_revenue = crate::segment::canonical_sum(&mut top.iter().map(|&m| revenue[m]).collect::<Vec<_>>());
    let total = crate::segment::canonical_sum(&mut revenue.to_vec());
    let share = (k > 0 && total > 0.0).then(|| top_revenue / total);
    Concentration { top, buyers: n, top_revenue, total, share }
}

fn concentration_tile(input: &DashboardInput<'_>, scope: &Scope<'_>) -> ConcentrationTile {
    let c = concentration(input, scope, &scope.revenue, &scope.bought);
    let prev = concentration(input, scope, &scope.previous_revenue, &scope.bought_previous);
    ConcentrationTile {
        buyers: c.buyers,
        top_n: c.top.len(),
        top_revenue: c.top_revenue,
        total_revenue: c.total,
        share: c.share,
        previous_share: prev.share,
        previous_top_n: prev.top.len(),
        list: ListRef::new(ListKind::Customers, c.top.iter().map(|&m| scope.customer(input, m).id.clone()).collect()),
    }
}

/// The non-blank responses of the survey linked to customers in the filter (all of them
/// without a filter) dated `from..=to`.
pub(crate) fn scoped_responses<'r>(input: &DashboardInput<'r>, params: &ValidDashboardParams, scope: &Scope<'_>, from: Date, to: Date) -> Vec<&'r SurveyResponse> {
    let Some(survey) = input.survey else { return Vec::new() };
    let all = params.params.filter == DashboardFilter::All;
    responses_of(survey, input.responses)
        .into_iter()
        .filter(|r| r.date >= from && r.date <= to && (all || r.customer_id.as_deref().is_some_and(|id| scope.has(id))))
        .collect()
}

/// The CSI of some responses of the survey; `Ok(None)` when nobody answered.
fn csi_of(input: &DashboardInput<'_>, rs: &[&SurveyResponse], p: &ValidCsiParams) -> Result<Option<CsiFigure>, DashboardError> {
    let Some(survey) = input.survey else { return Ok(None) };
    if rs.is_empty() {
        return Ok(None);
    }
    let owned: Vec<SurveyResponse> = rs.iter().map(|r| (*r).clone()).collect();
    let (items, _) = ScoredItems::from_responses(survey, &owned);
    match csi::csi(&survey.root, &items, p) {
        Ok(r) => {
            let root = r.nodes.first();
            Ok(Some(CsiFigure {
                csi: r.csi,
                ci_low: root.and_then(|n| n.ci_low),
                ci_high: root.and_then(|n| n.ci_high),
                satisfaction_rate: r.satisfaction_rate,
                respondents: rs.len(),
            }))
        }
        Err(CsiError::NoAnswers) => Ok(None),
        Err(e) => Err(DashboardError::Satisfaction { detail: crate::error::Localized::bilingual(&e) }),
    }
}

/// First day of the trend bucket holding `d`.
fn bucket_start(unit: TrendUnit, d: Date) -> Date {
    let month = match unit {
        TrendUnit::Month => d.month(),
        TrendUnit::Quarter => (d.month() - 1) / 3 * 3 + 1,
    };
    Date::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
}

fn bucket_label(unit: TrendUnit, start: Date) -> String {
    match unit {
        TrendUnit::Month => format!("{:04}-{:02}", start.year(), start.month()),
        TrendUnit::Quarter => format!("{:04}Q{}", start.year(), (start.month() - 1) / 3 + 1),
    }
}

fn csi_tile(input: &DashboardInput<'_>, params: &ValidDashboardParams, scope: &Scope<'_>) -> CsiTile {
    let p = &params.periods;
    let cur = scoped_responses(input, params, scope, p.from, p.to);
    let list = ListRef::new(ListKind::Responses, cur.iter().map(|r| r.id.clone()).collect());
    let mut tile = CsiTile { survey_id: input.survey.map(|s| s.id.clone()), current: None, previous: None, change: None, trend: Vec::new(), list, problem: None };
    if input.survey.is_none() {
        return tile;
    }
    let prev = scoped_responses(input, params, scope, p.previous_from, p.previous_to);
    let plain = CsiParams { resamples: 0, ..params.params.csi }.check();
    let result = (|| -> Result<(), DashboardError> {
        tile.current = csi_of(input, &cur, &params.csi)?;
        tile.previous = csi_of(input, &prev, &params.csi)?;
        let plain = plain.map_err(|e| DashboardError::Satisfaction { detail: crate::error::Localized::bilingual(&e) })?;
        let step = match params.params.trend {
            TrendUnit::Month => Months::new(1),
            TrendUnit::Quarter => Months::new(3),
        };
        let mut starts = vec![bucket_start(params.params.trend, p.to)];
        for _ in 1..params.params.trend_points {
            let Some(s) = starts.last().and_then(|s| s.checked_sub_months(step)) else { break };
            starts.push(s);
        }
        starts.reverse();
        let first = starts[0];
        let rs = scoped_responses(input, params, scope, first, p.to);
        for s in starts {
            let end = s.checked_add_months(step).and_then(|n| n.pred_opt()).unwrap_or(p.to).min(p.to);
            let bucket: Vec<&SurveyResponse> = rs.iter().copied().filter(|r| r.date >= s && r.date <= end).collect();
            let csi = csi_of(input, &bucket, &plain)?.map(|f| f.csi);
            tile.trend.push(CsiTrendPoint { label: bucket_label(params.params.trend, s), from: s, to: end, csi, respondents: bucket.len() });
        }
        Ok(())
    })();
    tile.change = match (&tile.current, &tile.previous) {
        (Some(c), Some(q)) => Some(c.csi - q.csi),
        _ => None,
    };
    if let Err(e) = result {
        tile.current = None;
        tile.previous = None;
        tile.change = None;
        tile.trend.clear();
        tile.problem = Some(e);
    }
    tile
}

/// The complaints of customers in the filter that pass `keep`.
pub(crate) fn scoped_complaints(input: &DashboardInput<'_>, scope: &Scope<'_>, keep: impl Fn(&Complaint) -> bool) -> Vec<Complaint> {
    input.complaints.iter().filter(|c| scope.has(&c.customer_id) && keep(c)).cloned().collect()
}

/// Whether a complaint was received on a day of `from..=to` in the calendar's zone.
pub(crate) fn received_in(input: &DashboardInput<'_>, c: &Complaint, from: Date, to: Date) -> bool {
    c.received_at().is_some_and(|t| {
        let d = input.calendar.local_date(t);
        d >= from && d <= to
    })
}

pub(crate) fn analyse_complaints(input: &DashboardInput<'_>, complaints: &[Complaint], as_of: EventTime, customers: usize) -> ComplaintReport {
    analyse(complaints, &ComplaintParams { calendar: input.calendar, policy: input.policy, as_of, customers: Some(customers), segments: None })
}

/// Open complaints of a report in the five buckets of the module head: overdue, waiting,
/// due today, due soon, later.
fn buckets(r: &ComplaintReport, hours: f64) -> [Vec<Id>; 5] {
    let mut out: [Vec<Id>; 5] = Default::default();
    for k in r.per_complaint.iter().filter(|k| k.state.is_open()) {
        let b = if k.confirm_overdue || k.resolve_overdue {
            0
        } else if k.waiting {
            1
        } else if k.due_today {
            2
        } else if k.left_hours.is_some_and(|h| (0.0..=hours).contains(&h)) {
            3
        } else {
            4
        };
        out[b].push(k.id.clone());
    }
    out
}

fn complaint_tile(input: &DashboardInput<'_>, params: &ValidDashboardParams, scope: &Scope<'_>) -> ComplaintTile {
    let p = &params.periods;
    let n = scope.members.len();
    let hours = params.params.due_within_hours;
    let mine = scoped_complaints(input, scope, |_| true);
    let now = analyse_complaints(input, &mine, p.as_of, n);
    let then = analyse_complaints(input, &mine, p.previous_as_of, n);
    let [overdue, waiting, today, soon, later] = buckets(&now, hours);
    let before = buckets(&then, hours);
    let tile = |ids: Vec<Id>, previous: &Vec<Id>| Tile { count: ids.len(), previous: Some(previous.len()), list: ListRef::new(ListKind::Complaints, ids) };
    let open_ids: Vec<Id> = now.per_complaint.iter().filter(|k| k.state.is_open()).map(|k| k.id.clone()).collect();
    let open_before = then.per_complaint.iter().filter(|k| k.state.is_open()).count();
    let received = scoped_complaints(input, scope, |c| received_in(input, c, p.from, p.to));
    let received_before = scoped_complaints(input, scope, |c| received_in(input, c, p.previous_from, p.previous_to));
    let period = analyse_complaints(input, &received, p.as_of, n);
    let period_before = analyse_complaints(input, &received_before, p.previous_as_of, n);
    ComplaintTile {
        open: Tile { count: open_ids.len(), previous: Some(open_before), list: ListRef::new(ListKind::Complaints, open_ids) },
        overdue: tile(overdue, &before[0]),
        waiting: tile(waiting, &before[1]),
        due_today: tile(today, &before[2]),
        due_soon: tile(soon, &before[3]),
        later: tile(later, &before[4]),
        due_within_hours: hours,
        received: Tile {
            count: received.len(),
            previous: Some(received_before.len()),
            list: ListRef::new(ListKind::Complaints, received.iter().map(|c| c.id.clone()).collect()),
        },
        on_time_rate: period.resolve_on_time_rate,
        previous_on_time_rate: period_before.resolve_on_time_rate,
        rejected: ListRef::new(ListKind::Complaints, now.rejected.iter().map(|r| r.complaint_id.clone()).collect()),
    }
}

/// Done visits of customers in the filter dated `from..=to`: per (customer, day) the
/// smallest interaction id, so each customer counts once a day.
pub(crate) fn done_visits<'i>(input: &DashboardInput<'i>, scope: &Scope<'_>, from: Date, to: Date) -> BTreeMap<(&'i str, Date), &'i str> {
    let kinds = &input.visits.params().counted_kinds;
    let offset = input.visits.offset();
    let mut out: BTreeMap<(&str, Date), &str> = BTreeMap::new();
    for i in input.interactions {
        if i.status != InteractionStatus::Done || !kinds.contains(&i.kind) || !scope.has(&i.customer_id) {
            continue;
        }
        let d = local_day(i, offset);
        if d < from || d > to {
            continue;
        }
        out.entry((i.customer_id.as_str(), d)).and_modify(|id| *id = (*id).min(i.id.as_str())).or_insert(i.id.as_str());
    }
    out
}

fn visit_tile(input: &DashboardInput<'_>, params: &ValidDashboardParams, scope: &Scope<'_>) -> VisitTile {
    let p = &params.periods;
    let today = p.as_of.with_timezone(&input.visits.offset()).date_naive();
    let mine: Vec<_> = input.interactions.iter().filter(|i| scope.has(&i.customer_id)).cloned().collect();
    let items = due(&mine, today, None, input.visits);
    let pick = |w: Due| {
        let ids: Vec<Id> = items.iter().filter(|d| d.when == w).map(|d| d.id.clone()).collect();
        Tile { count: ids.len(), previous: None, list: ListRef::new(ListKind::Interactions, ids) }
    };
    let done = done_visits(input, scope, p.from, p.to);
    let done_before = done_visits(input, scope, p.previous_from, p.previous_to);
    VisitTile {
        today,
        overdue: pick(Due::Overdue),
        due_today: pick(Due::Today),
        due_soon: pick(Due::Soon),
        done: Tile {
            count: done.len(),
            previous: Some(done_before.len()),
            list: ListRef::new(ListKind::Interactions, done.values().map(|s| s.to_string()).collect()),
        },
    }
}

fn warning(input: &DashboardInput<'_>, scope: &Scope<'_>) -> Tile {
    let ids: Vec<Id> = input.value.warning.iter().filter(|e| scope.has(&e.id)).map(|e| e.id.clone()).collect();
    let previous = input.previous_value.map(|v| v.warning.iter().filter(|e| scope.has(&e.id)).count());
    Tile { count: ids.len(), previous, list: ListRef::new(ListKind::Customers, ids) }
}
