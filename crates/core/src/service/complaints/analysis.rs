//! The periodic complaint analysis (SPEC §6, issue 11 §2) as of an instant: events after
//! it are ignored, complaints received after it are not counted, and a complaint with a
//! refused event (up to the instant) is left out of every figure and listed in
//! `rejected`.
//!
//! Formulas:
//! - on-time confirmation rate = confirmed on time / (confirmed + unconfirmed already past
//!   the confirmation target);
//! - on-time resolution rate = valid complaints resolved on time / (valid complaints
//!   resolved, followed up or closed + valid ones still open, handling or waiting, already
//!   past the resolution target);
//! - resolution hours: mean, median and 90th percentile over the resolved valid complaints,
//!   percentiles as Excel PERCENTILE.INC (linear interpolation between closest ranks:
//!   h = (n − 1)·p, x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋), 0-based on the sorted values);
//! - a repeat complaint is one whose customer complained in the same category within the
//!   previous 90 days (received in [received − 90 days, received), ties on the same instant
//!   broken by id);
//! - complaints per 100 customers = complaints / customers × 100.
//!
//! Rates are fractions 0-1 and `None` when there is nothing to divide by.

use super::sla::{clock, ComplaintClock, SlaPolicy};
use super::state::EventError;
use crate::model::{Complaint, EventTime, Id, Language, Validity};
use crate::service::calendar::WorkCalendar;
use chrono::{Datelike, TimeDelta};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What the analysis needs besides the complaints.
#[derive(Debug, Clone, Copy)]
pub struct ComplaintParams<'a> {
    /// The working calendar.
    pub calendar: &'a WorkCalendar,
    /// The SLA policy.
    pub policy: &'a SlaPolicy,
    /// The instant of the analysis.
    pub as_of: EventTime,
    /// Number of customers, for complaints per 100 customers.
    pub customers: Option<usize>,
    /// Segment of each customer, for the count by segment (customers not in it count under
    /// the empty name).
    pub segments: Option<&'a HashMap<Id, String>>,
}

/// One bar of the Pareto chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParetoRow {
    /// Category.
    pub category: String,
    /// Complaints.
    pub count: usize,
    /// Share of all complaints.
    pub share: f64,
    /// Cumulative share up to and including this category.
    pub cumulative: f64,
}

/// One month of the trend (months in the calendar's zone).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Complaints received in the month.
    pub received: usize,
    /// Valid complaints whose last resolution falls in the month.
    pub resolved: usize,
    /// Of those, resolved on time.
    pub resolved_on_time: usize,
}

/// Summary of the resolution hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HoursSummary {
    /// Resolved valid complaints.
    pub n: usize,
    /// Mean.
    pub mean: Option<f64>,
    /// Median (PERCENTILE.INC at 0.5).
    pub median: Option<f64>,
    /// 90th percentile (PERCENTILE.INC at 0.9).
    pub p90: Option<f64>,
}

/// A complaint left out because an event was refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectedEvent {
    /// The file row of the event, when it came from a file (filled by the reader's caller).
    pub row: Option<usize>,
    /// Complaint id.
    pub complaint_id: Id,
    /// Position of the event in the complaint's history.
    pub event_index: usize,
    /// Why, in English.
    pub reason: String,
    /// Why, in Chinese.
    pub reason_zh: String,
    /// The typed error.
    pub error: EventError,
}

impl RejectedEvent {
    /// A refused event of a complaint.
    pub fn new(complaint_id: &str, event_index: usize, error: EventError) -> RejectedEvent {
        RejectedEvent {
            row: None,
            complaint_id: complaint_id.to_string(),
            event_index,
            reason: error.message(Language::En),
            reason_zh: error.message(Language::ZhCn),
            error,
        }
    }
}

/// The analysis of all complaints as of an instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplaintReport {
    /// The instant, in the calendar's zone.
    pub as_of: EventTime,
    /// Complaints counted (received by `as_of`, no refused event).
    pub complaints: usize,
    /// Count per category.
    pub by_category: BTreeMap<String, usize>,
    /// Count per severity (`general`, `major`).
    pub by_severity: BTreeMap<String, usize>,
    /// Count per validity (`valid`, `invalid`, `unidentified`).
    pub by_validity: BTreeMap<String, usize>,
    /// Count per state.
    pub by_state: BTreeMap<String, usize>,
    /// Count per segment (when segments were given).
    pub by_segment: BTreeMap<String, usize>,
    /// Count per owner.
    pub by_owner: BTreeMap<String, usize>,
    /// Count per month received (`YYYY-MM`, calendar zone).
    pub by_month: BTreeMap<String, usize>,
    /// Categories by count descending (ties by name), with cumulative shares.
    pub pareto: Vec<ParetoRow>,
    /// Confirmed on time.
    pub confirmed_on_time: usize,
    /// Confirmed.
    pub confirmed: usize,
    /// Unconfirmed and past the confirmation target.
    pub unconfirmed_overdue: usize,
    /// `confirmed_on_time / (confirmed + unconfirmed_overdue)`.
    pub confirm_on_time_rate: Option<f64>,
    /// Valid complaints resolved on time.
    pub resolved_on_time: usize,
    /// Valid complaints resolved, followed up or closed.
    pub resolved: usize,
    /// Valid complaints still open (handling, waiting) past the resolution target.
    pub open_overdue: usize,
    /// `resolved_on_time / (resolved + open_overdue)`.
    pub resolve_on_time_rate: Option<f64>,
    /// Resolution hours of the resolved valid complaints.
    pub resolve_hours: HoursSummary,
    /// Repeat complaints.
    pub repeat: usize,
    /// Their ids.
    pub repeat_ids: Vec<Id>,
    /// Complaints per 100 customers.
    pub per_100_customers: Option<f64>,
    /// Mean satisfaction of the follow-ups that gave one.
    pub follow_up_satisfaction: Option<f64>,
    /// Unconfirmed complaints past the confirmation target.
    pub overdue_confirm: Vec<Id>,
    /// Open complaints (registered, confirmed, handling, waiting) past the resolution
    /// target.
    pub overdue_resolve: Vec<Id>,
    /// Open complaints whose running clock ends today.
    pub due_today: Vec<Id>,
    /// Open complaints with at most 4 business hours left.
    pub due_soon: Vec<Id>,
    /// Complaints waiting for the customer.
    pub waiting: Vec<Id>,
    /// Deadlines that fall in a year without a holiday schedule (years, ascending).
    pub unscheduled_years: Vec<i32>,
    /// Month by month.
    pub trend: Vec<MonthRow>,
    /// Every counted complaint's clocks, in input order.
    pub per_complaint: Vec<ComplaintClock>,
    /// Complaints left out, with the refused event.
    pub rejected: Vec<RejectedEvent>,
}

/// Excel PERCENTILE.INC of ascending values: h = (n − 1)·p, linear between the closest
/// ranks. `None` for no values or p outside [0, 1].
pub fn percentile_inc(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn month(cal: &WorkCalendar, t: EventTime) -> String {
    let d = cal.local_date(t);
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Analyses the complaints as of `p.as_of` (see the module head for every formula).
pub fn analyse(complaints: &[Complaint], p: &ComplaintParams<'_>) -> ComplaintReport {
    let cal = p.calendar;
    let mut clocks = Vec::new();
    let mut rejected = Vec::new();
    for c in complaints {
        match clock(c, cal, p.policy, p.as_of) {
            Ok(Some(k)) => clocks.push(k),
            Ok(None) => {}
            Err(r) => rejected.push(RejectedEvent::new(&c.id, r.index, r.error)),
        }
    }
    let mut r = ComplaintReport {
        as_of: cal.localize(p.as_of),
        complaints: clocks.len(),
        by_category: BTreeMap::new(),
        by_severity: BTreeMap::new(),
        by_validity: BTreeMap::new(),
        by_state: BTreeMap::new(),
        by_segment: BTreeMap::new(),
        by_owner: BTreeMap::new(),
        by_month: BTreeMap::new(),
        pareto: vec![],
        confirmed_on_time: 0,
        confirmed: 0,
        unconfirmed_overdue: 0,
        confirm_on_time_rate: None,
        resolved_on_time: 0,
        resolved: 0,
        open_overdue: 0,
        resolve_on_time_rate: None,
        resolve_hours: HoursSummary { n: 0, mean: None, median: None, p90: None },
        repeat: 0,
        repeat_ids: vec![],
        per_100_customers: None,
        follow_up_satisfaction: None,
        overdue_confirm: vec![],
        overdue_resolve: vec![],
        due_today: vec![],
        due_soon: vec![],
        waiting: vec![],
        unscheduled_years: vec![],
        trend: vec![],
        per_complaint: vec![],
        rejected,
    };
    let mut hours = Vec::new();
    let mut satisfaction = Vec::new();
    let mut trend: BTreeMap<String, MonthRow> = BTreeMap::new();
    let row = |m: String| MonthRow { month: m, received: 0, resolved: 0, resolved_on_time: 0 };
    for k in &clocks {
        *r.by_category.entry(k.category.clone()).or_default() += 1;
        *r.by_severity.entry(k.severity.name().to_string()).or_default() += 1;
        let v = match k.validity {
            Some(Validity::Valid) => "valid",
            Some(Validity::Invalid) => "invalid",
            None => "unidentified",
        };
        *r.by_validity.entry(v.to_string()).or_default() += 1;
        *r.by_state.entry(k.state.name().to_string()).or_default() += 1;
        if let Some(seg) = p.segments {
            *r.by_segment.entry(seg.get(&k.customer_id).cloned().unwrap_or_default()).or_default() += 1;
        }
        *r.by_owner.entry(k.owner.clone()).or_default() += 1;
        let m = month(cal, k.received_at);
        *r.by_month.entry(m.clone()).or_default() += 1;
        trend.entry(m.clone()).or_insert_with(|| row(m)).received += 1;
        if let Some(on_time) = k.confirm_on_time {
            r.confirmed += 1;
            r.confirmed_on_time += usize::from(on_time);
        }
        if k.confirm_overdue {
            r.unconfirmed_overdue += 1;
            r.overdue_confirm.push(k.id.clone());
        }
        if k.validity == Some(Validity::Valid) {
            if let (Some(h), Some(on_time), Some(at)) = (k.resolve_hours, k.resolve_on_time, k.resolved_at) {
                r.resolved += 1;
                r.resolved_on_time += usize::from(on_time);
                hours.push(h);
                let m = month(cal, at);
                let t = trend.entry(m.clone()).or_insert_with(|| row(m));
                t.resolved += 1;
                t.resolved_on_time += usize::from(on_time);
            } else if k.resolve_overdue {
                r.open_overdue += 1;
            }
        }
        if k.resolve_overdue {
            r.overdue_resolve.push(k.id.clone());
        }
        if k.due_today {
            r.due_today.push(k.id.clone());
        }
        if k.due_soon {
            r.due_soon.push(k.id.clone());
        }
        if k.waiting {
            r.waiting.push(k.id.clone());
        }
        if let Some(y) = k.unscheduled_year {
            if !r.unscheduled_years.contains(&y) {
                r.unscheduled_years.push(y);
            }
        }
        if let Some(s) = k.satisfaction.filter(|_| k.state.is_resolved()) {
            satisfaction.push(f64::from(s));
        }
    }
    r.unscheduled_years.sort_unstable();
    r.confirm_on_time_rate = ratio(r.confirmed_on_time, r.confirmed + r.unconfirmed_overdue);
    r.resolve_on_time_rate = ratio(r.resolved_on_time, r.resolved + r.open_overdue);
    hours.sort_by(f64::total_cmp);
    r.resolve_hours = HoursSummary {
        n: hours.len(),
        mean: (!hours.is_empty()).then(|| hours.iter().sum::<f64>() / hours.len() as f64),
        median: percentile_inc(&hours, 0.5),
        p90: percentile_inc(&hours, 0.9),
    };
    r.follow_up_satisfaction = (!satisfaction.is_empty()).then(|| satisfaction.iter().sum::<f64>() / satisfaction.len() as f64);
    let total = clocks.len();
    let mut cats: Vec<(&String, &usize)> = r.by_category.iter().collect();
    cats.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut cum = 0;
    r.pareto = cats
        .into_iter()
        .map(|(c, n)| {
            cum += n;
            ParetoRow { category: c.clone(), count: *n, share: *n as f64 / total as f64, cumulative: cum as f64 / total as f64 }
        })
        .collect();
    r.repeat_ids = repeats(&clocks);
    r.repeat = r.repeat_ids.len();
    r.per_100_customers = p.customers.filter(|n| *n > 0).map(|n| total as f64 * 100.0 / n as f64);
    // Months without complaints in between appear with zeros, so the trend has no gaps.
    if let (Some(first), Some(last)) = (trend.keys().next().cloned(), trend.keys().next_back().cloned()) {
        let mut m = first;
        while m <= last {
            trend.entry(m.clone()).or_insert_with(|| row(m.clone()));
            m = next_month(&m);
        }
    }
    r.trend = trend.into_values().collect();
    r.per_complaint = clocks;
    r
}

fn next_month(m: &str) -> String {
    let (y, mo) = m.split_once('-').and_then(|(y, mo)| Some((y.parse::<i32>().ok()?, mo.parse::<u32>().ok()?))).unwrap_or((9999, 12));
    if mo >= 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{:04}-{:02}", y, mo + 1)
    }
}

/// Ids of the repeat complaints, in input order: same customer and category, an earlier
/// complaint received within the 90 days before (ties on the instant: the smaller id is
/// the earlier).
fn repeats(clocks: &[ComplaintClock]) -> Vec<Id> {
    let mut groups: HashMap<(&str, &str), Vec<(EventTime, &str)>> = HashMap::new();
    for k in clocks {
        groups.entry((k.customer_id.as_str(), k.category.as_str())).or_default().push((k.received_at, k.id.as_str()));
    }
    for g in groups.values_mut() {
        g.sort();
    }
    let window = TimeDelta::days(90);
    clocks
        .iter()
        .filter(|k| {
            groups.get(&(k.customer_id.as_str(), k.category.as_str())).is_some_and(|g| {
                g.iter().any(|(t, id)| (*t, *id) < (k.received_at, k.id.as_str()) && *t >= k.received_at - window)
            })
        })
        .map(|k| k.id.clone())
        .collect()
}

/// Counts for the navigation badge: overdue (confirmation or resolution), due today, due
/// within 4 business hours, waiting for the customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DueCounts {
    /// Past a target.
    pub overdue: usize,
    /// Due today.
    pub due_today: usize,
    /// Due within 4 business hours.
    pub due_soon: usize,
    /// Waiting for the customer.
    pub waiting: usize,
}

/// The badge counts of a report (a complaint past both targets counts once as overdue).
pub fn due_counts(r: &ComplaintReport) -> DueCounts {
    DueCounts {
        overdue: r.per_complaint.iter().filter(|k| k.confirm_overdue || k.resolve_overdue).count(),
        due_today: r.due_today.len(),
        due_soon: r.due_soon.len(),
        waiting: r.waiting.len(),
    }
}

