//! The SLA policy (targets per severity in business hours) and the clocks of one
//! complaint as of an instant.
//!
//! Definitions (issue 11 §2), all in business time of the working calendar:
//! - confirmation time = business time from `received` to `confirmed`;
//! - resolution time = business time from `received` to the last `resolved`, minus the
//!   paused spans before it (each `waiting` to the next `resumed`/`resolved`, each
//!   `resolved` to the next `reopened`);
//! - elapsed resolution time of an open complaint = business time from `received` to the
//!   as-of instant minus the pauses so far (a running wait counts up to the as-of instant);
//! - on time = within the target of the complaint's severity (`<=`); past the target =
//!   strictly more than the target;
//! - deadlines: confirmation = received + target; resolution = received + target + paused
//!   time so far (the instant the clock would reach the target with no further pause).

use super::state::{replay, ComplaintState, Refusal, Trail};
use crate::model::{Complaint, EventTime, Handling, Id, Language, Severity, Validity};
use crate::service::calendar::{duration_hours, hours_duration, WorkCalendar};
use chrono::{Datelike, TimeDelta};
use serde::{Deserialize, Serialize};

/// Targets of one severity, in business hours, as the user edits them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SlaTargetParams {
    /// Confirm within this many business hours.
    pub confirm_hours: f64,
    /// Resolve within this many business hours.
    pub resolve_hours: f64,
}

/// The SLA policy in its JSON form:
/// `{"general":{"confirm_hours":8,"resolve_hours":40},"major":{"confirm_hours":2,"resolve_hours":16}}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SlaPolicyParams {
    /// Targets of general complaints 一般.
    pub general: SlaTargetParams,
    /// Targets of major complaints 重大.
    pub major: SlaTargetParams,
}

impl Default for SlaPolicyParams {
    /// General: confirm 8, resolve 40; major: confirm 2, resolve 16 (issue 11 §2).
    fn default() -> Self {
        SlaPolicyParams {
            general: SlaTargetParams { confirm_hours: 8.0, resolve_hours: 40.0 },
            major: SlaTargetParams { confirm_hours: 2.0, resolve_hours: 16.0 },
        }
    }
}

/// Why a policy was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SlaError {
    /// A target is not a positive finite number of hours.
    #[error("{}.{field} = {value} is not a positive number of hours", severity.name())]
    BadTarget {
        /// Which severity.
        severity: Severity,
        /// `confirm_hours` or `resolve_hours`.
        field: &'static str,
        /// The value given.
        value: f64,
    },
    /// The JSON text is not a policy.
    #[error("not an SLA policy: {detail}")]
    Json {
        /// The decoder's description.
        detail: String,
    },
}

impl SlaError {
    /// A full sentence for the user.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            SlaError::BadTarget { severity, field, value } => {
                let sev = match (severity, zh) {
                    (Severity::General, true) => "一般投诉",
                    (Severity::Major, true) => "重大投诉",
                    (Severity::General, false) => "general complaints",
                    (Severity::Major, false) => "major complaints",
                };
                let what = match (*field, zh) {
                    ("confirm_hours", true) => "确认时限",
                    (_, true) => "解决时限",
                    ("confirm_hours", false) => "confirmation target",
                    _ => "resolution target",
                };
                if zh {
                    format!("{sev}的{what} {value} 不是正的工作小时数。")
                } else {
                    format!("The {what} of {sev}, {value}, is not a positive number of business hours.")
                }
            }
            SlaError::Json { detail } => if zh {
                format!("不是有效的时限策略 JSON：{}。", crate::error::serde_detail(detail, lang))
            } else {
                format!("Not a valid SLA policy JSON: {}.", crate::error::serde_detail(detail, lang))
            },
        }
    }
}

impl SlaPolicyParams {
    /// Checks that every target is a positive, finite number of hours (at most 10^6).
    pub fn check(&self) -> Result<SlaPolicy, SlaError> {
        let target = |severity, field, value: f64| {
            hours_duration(value).filter(|d| *d > TimeDelta::zero() && value <= 1e6).ok_or(SlaError::BadTarget { severity, field, value })
        };
        let t = |severity, p: &SlaTargetParams| -> Result<SlaTarget, SlaError> {
            Ok(SlaTarget { confirm: target(severity, "confirm_hours", p.confirm_hours)?, resolve: target(severity, "resolve_hours", p.resolve_hours)? })
        };
        Ok(SlaPolicy { params: *self, general: t(Severity::General, &self.general)?, major: t(Severity::Major, &self.major)? })
    }
}

/// Checked targets of one severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaTarget {
    /// Confirmation target.
    pub confirm: TimeDelta,
    /// Resolution target.
    pub resolve: TimeDelta,
}

/// A checked SLA policy; serialises as its [`SlaPolicyParams`] and is checked again when
/// read, so it can sit in `Settings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SlaPolicyParams", into = "SlaPolicyParams")]
pub struct SlaPolicy {
    params: SlaPolicyParams,
    general: SlaTarget,
    major: SlaTarget,
}

impl TryFrom<SlaPolicyParams> for SlaPolicy {
    type Error = SlaError;
    fn try_from(p: SlaPolicyParams) -> Result<Self, SlaError> {
        p.check()
    }
}

impl From<SlaPolicy> for SlaPolicyParams {
    fn from(p: SlaPolicy) -> Self {
        p.params
    }
}

impl Default for SlaPolicy {
    fn default() -> Self {
        let h = |x: i64| TimeDelta::hours(x);
        SlaPolicy {
            params: SlaPolicyParams::default(),
            general: SlaTarget { confirm: h(8), resolve: h(40) },
            major: SlaTarget { confirm: h(2), resolve: h(16) },
        }
    }
}

impl SlaPolicy {
    /// Reads the JSON form and checks it.
    pub fn from_json(text: &str) -> Result<SlaPolicy, SlaError> {
        let p: SlaPolicyParams = serde_json::from_str(text).map_err(|e| SlaError::Json { detail: e.to_string() })?;
        p.check()
    }

    /// The editable form.
    pub fn params(&self) -> SlaPolicyParams {
        self.params
    }

    /// The targets of a severity.
    pub fn target(&self, s: Severity) -> SlaTarget {
        match s {
            Severity::General => self.general,
            Severity::Major => self.major,
        }
    }
}

/// How far ahead "due soon" looks: 4 business hours.
pub const DUE_SOON_HOURS: i64 = 4;

/// One complaint's state and clocks as of an instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplaintClock {
    /// Complaint id.
    pub id: Id,
    /// Customer id.
    pub customer_id: Id,
    /// Category.
    pub category: String,
    /// Severity.
    pub severity: Severity,
    /// Owner.
    pub owner: String,
    /// State.
    pub state: ComplaintState,
    /// Valid / invalid once decided.
    pub validity: Option<Validity>,
    /// Handling mode of a valid complaint.
    pub handling: Option<Handling>,
    /// Received.
    pub received_at: EventTime,
    /// Confirmed.
    pub confirmed_at: Option<EventTime>,
    /// The last resolution, when resolved now.
    pub resolved_at: Option<EventTime>,
    /// Confirmation time in business hours; `None` until confirmed.
    pub confirm_hours: Option<f64>,
    /// Resolution time in business hours (pauses excluded); `None` until resolved and for
    /// invalid complaints.
    pub resolve_hours: Option<f64>,
    /// Paused business hours: up to the resolution when resolved, else up to the as-of
    /// instant.
    pub paused_hours: f64,
    /// The resolution clock: business hours since receipt without pauses (equal to
    /// `resolve_hours` once resolved; 0 for invalid complaints).
    pub elapsed_hours: f64,
    /// Business hours left on the running clock (confirmation while registered,
    /// resolution while confirmed, handling or waiting); negative when late; `None` when no
    /// clock runs.
    pub left_hours: Option<f64>,
    /// Confirmation deadline, in the calendar's zone.
    pub confirm_deadline: Option<EventTime>,
    /// Resolution deadline in the calendar's zone (moves with pauses); `None` for invalid.
    pub resolve_deadline: Option<EventTime>,
    /// Confirmed within target; `None` until confirmed.
    pub confirm_on_time: Option<bool>,
    /// Resolved within target; `None` until resolved (valid only).
    pub resolve_on_time: Option<bool>,
    /// Still unconfirmed and past the confirmation target.
    pub confirm_overdue: bool,
    /// Open and past the resolution target.
    pub resolve_overdue: bool,
    /// The running clock's deadline falls today (calendar zone) and has not passed.
    pub due_today: bool,
    /// The running clock has at most 4 business hours left and has not passed.
    pub due_soon: bool,
    /// Waiting for the customer.
    pub waiting: bool,
    /// The year of a deadline that the calendar has no holiday schedule for.
    pub unscheduled_year: Option<i32>,
    /// Satisfaction of the last follow-up.
    pub satisfaction: Option<u8>,
}

/// Paused business time of the trail, counting only spans that started before `until`,
/// each cut at `until` (a span still running runs to `until`).
fn paused(cal: &WorkCalendar, t: &Trail, until: EventTime) -> TimeDelta {
    t.pauses
        .iter()
        .filter(|p| p.start < until)
        .map(|p| cal.business_time(p.start, p.end.unwrap_or(until).min(until)))
        .fold(TimeDelta::zero(), |a, b| a + b)
}

/// The clocks of one complaint as of `as_of`: events after it are ignored; `Ok(None)` when
/// it was not received by then. A refused event (in the events up to `as_of`) is returned
/// as the error.
pub fn clock(c: &Complaint, cal: &WorkCalendar, policy: &SlaPolicy, as_of: EventTime) -> Result<Option<ComplaintClock>, Refusal> {
    let n = c.events.iter().take_while(|e| e.at <= as_of).count();
    let Some(t) = replay(&c.events[..n])? else { return Ok(None) };
    let target = policy.target(c.severity);
    let confirm_time = t.confirmed.map(|x| cal.business_time(t.received, x));
    let has_resolve_clock = t.validity != Some(Validity::Invalid);
    let (elapsed, pause) = match t.resolved {
        Some(r) => {
            let p = paused(cal, &t, r);
            (cal.business_time(t.received, r) - p, p)
        }
        None if has_resolve_clock => {
            let p = paused(cal, &t, as_of);
            (cal.business_time(t.received, as_of) - p, p)
        }
        None => (TimeDelta::zero(), paused(cal, &t, as_of)),
    };
    let resolve_time = t.resolved.filter(|_| t.validity == Some(Validity::Valid)).map(|_| elapsed);
    let confirm_deadline = cal.add_business_time(t.received, target.confirm);
    let resolve_deadline = if has_resolve_clock { cal.add_business_time(t.received, target.resolve + pause) } else { None };
    let confirm_elapsed = cal.business_time(t.received, as_of);
    let confirm_overdue = t.state == ComplaintState::Registered && confirm_elapsed > target.confirm;
    let resolve_overdue = t.state.is_open() && elapsed > target.resolve;
    // The running clock: confirmation while registered, resolution afterwards while open.
    let running = match t.state {
        ComplaintState::Registered => Some((target.confirm - confirm_elapsed, confirm_deadline)),
        ComplaintState::Confirmed | ComplaintState::Handling | ComplaintState::Waiting => Some((target.resolve - elapsed, resolve_deadline)),
        _ => None,
    };
    let today = cal.local_date(as_of);
    let (due_today, due_soon) = match running {
        Some((left, deadline)) if left >= TimeDelta::zero() && deadline.is_some_and(|d| d >= as_of) => (
            deadline.is_some_and(|d| cal.local_date(d) == today),
            left <= TimeDelta::hours(DUE_SOON_HOURS) && t.state != ComplaintState::Waiting,
        ),
        _ => (false, false),
    };
    let unscheduled_year = [confirm_deadline, resolve_deadline]
        .into_iter()
        .flatten()
        .map(|d| cal.local_date(d).year())
        .find(|y| !cal.covers(*y));
    Ok(Some(ComplaintClock {
        id: c.id.clone(),
        customer_id: c.customer_id.clone(),
        category: c.category.clone(),
        severity: c.severity,
        owner: c.owner.clone(),
        state: t.state,
        validity: t.validity,
        handling: t.handling,
        received_at: t.received,
        confirmed_at: t.confirmed,
        resolved_at: t.resolved,
        confirm_hours: confirm_time.map(duration_hours),
        resolve_hours: resolve_time.map(duration_hours),
        paused_hours: duration_hours(pause),
        elapsed_hours: duration_hours(elapsed),
        left_hours: running.map(|(left, _)| duration_hours(left)),
        confirm_deadline: confirm_deadline.map(|d| cal.localize(d)),
        resolve_deadline,
        confirm_on_time: confirm_time.map(|x| x <= target.confirm),
        resolve_on_time: resolve_time.map(|x| x <= target.resolve),
        confirm_overdue,
        resolve_overdue,
        due_today,
        due_soon,
        waiting: t.state == ComplaintState::Waiting,
        unscheduled_year,
        satisfaction: t.satisfaction,
    }))
}
