//! Visits and follow-up 客户拜访 (SPEC §7, issue 11 §3): the day plan with its target and
//! progress, logging an outcome with its next step, the monthly touch 每月一卡 (customers
//! not contacted in N days), next steps and planned visits falling due, referrals 推荐, and
//! the constructors that plan a visit with the five elements 五要素 (when 何时, purpose
//! 何事, who 何人, method 何种方法, reason 何种理由) from wherever the need shows up.
//!
//! Everything here is a pure function of the records: edits return the changed and the new
//! records and the app stores them. Times of day are read in one fixed UTC offset, the
//! calendar's (`crate::service::calendar::WorkCalendar::offset`, Asia/Shanghai +08:00 by
//! default), whatever zone the browser is in.
//!
//! Definitions used by the figures:
//! - The *day* of an interaction is the local date of its `start` in the offset of the
//!   [`VisitParams`], or its `date` when it has no start time.
//! - A *contact* is a **done** interaction of any kind (visit, call, e-mail, meeting,
//!   exhibition); planned and cancelled ones are not contacts.
//! - Towards the daily target count the done interactions of the *counted kinds*
//!   ([`VisitParams::counted_kinds`], visits by default), once per customer and day. A
//!   customer visited on day D is a **new** visit when the customer has no contact on a day
//!   before D (a first contact), otherwise a **follow-up** 回访. Planned visits of the day are
//!   classified the same way, so the plan can be held against the target before the day.
//! - A *next step* (the `next_action` / `next_due` of a done interaction) is **open** until
//!   another interaction with the same customer that is not cancelled exists on a later day,
//!   or a planned one on the same or a later day ([`log_outcome`] makes exactly that planned
//!   interaction, so a logged next step shows up once, as the planned visit).

#[cfg(test)]
mod tests;

use crate::model::{
    BuyingRole, Complaint, Contact, Customer, CustomerStatus, Date, Id, Interaction, InteractionKind,
    InteractionStatus, Language, Timestamp, ZonedTime,
};
use crate::orders::Lines;
use chrono::{FixedOffset, TimeDelta};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// UTC offset of Asia/Shanghai (China Standard Time, no daylight saving), in minutes.
pub const SHANGHAI_OFFSET_MIN: i32 = 8 * 60;

/// The offset of Asia/Shanghai, +08:00, evaluated at compile time (a bad constant fails
/// the build, not a user).
pub const SHANGHAI: FixedOffset = match FixedOffset::east_opt(SHANGHAI_OFFSET_MIN * 60) {
    Some(o) => o,
    None => panic!("UTC+8 is a valid offset"),
};

/// Errors of the visit functions: parameters that fail their check and edits that do not
/// apply. [`VisitError::message`] says it in Chinese or English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum VisitError {
    /// A parameter is outside its allowed range.
    #[error("invalid parameter {name}: {why}")]
    InvalidParam {
        /// Parameter name.
        name: String,
        /// What is wrong with it, in both languages.
        why: crate::error::Bilingual,
    },
    /// The interaction is cancelled; an outcome cannot be logged on it.
    #[error("interaction {id} is cancelled")]
    Cancelled {
        /// The interaction.
        id: Id,
    },
    /// The next step is due before the interaction it follows.
    #[error("the next step is due on {due}, before the interaction on {date}")]
    DueBeforeVisit {
        /// The interaction's day.
        date: Date,
        /// The next step's due date.
        due: Date,
    },
    /// A start time and a date were both given and do not agree.
    #[error("the start time {start} is not on {date}")]
    StartNotOnDate {
        /// The start time.
        start: String,
        /// The date.
        date: Date,
    },
}

impl VisitError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            VisitError::InvalidParam { name, why } => {
                let (label_zh, label_en) = match name.as_str() {
                    "utc_offset_min" => ("时区偏移", "time-zone offset"),
                    "target" => ("每日拜访目标", "daily visit target"),
                    "counted_kinds" => ("计入目标的接触方式", "kinds of contact counted"),
                    "not_contacted_days" => ("未联系天数", "days without contact"),
                    "due_within_days" => ("即将到期天数", "days counted as due soon"),
                    "default_duration_min" => ("默认拜访时长", "default visit duration"),
                    other => (other, other),
                };
                if zh { format!("参数「{label_zh}」无效：{}。", why.zh) } else { format!("Invalid parameter “{label_en}”: {}.", why.en) }
            }
            VisitError::Cancelled { id } => {
                if zh { format!("接触记录 {id} 已取消，不能登记结果。") } else { format!("Interaction {id} is cancelled; no outcome can be logged.") }
            }
            VisitError::DueBeforeVisit { date, due } => {
                if zh { format!("下一步的日期 {due} 早于本次接触日期 {date}。") } else { format!("The next step is due on {due}, before this interaction on {date}.") }
            }
            VisitError::StartNotOnDate { start, date } => {
                if zh { format!("开始时间 {start} 不在 {date} 当天。") } else { format!("The start time {start} is not on {date}.") }
            }
        }
    }
}

fn invalid(name: &str, zh: &str, en: &str) -> VisitError {
    VisitError::InvalidParam { name: name.into(), why: crate::error::Bilingual::new(zh, en) }
}

/// Parameters of the visit figures, as the user edits them; [`VisitParams::check`] turns
/// them into the [`ValidVisitParams`] every function takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitParams {
    /// UTC offset of the calendar in minutes (+480, Asia/Shanghai, by default).
    pub utc_offset_min: i32,
    /// Daily target of new visits (7).
    pub target_new: u32,
    /// Daily target of follow-up visits 回访 (3).
    pub target_follow_up: u32,
    /// Kinds of interaction that count towards the daily target (visits).
    pub counted_kinds: Vec<InteractionKind>,
    /// A customer is "not contacted" after this many days without a contact (30: the
    /// monthly touch 每月一卡).
    pub not_contacted_days: u32,
    /// Next steps and planned visits due within this many days after today are "soon" (7).
    pub due_within_days: u32,
    /// Duration of a visit without one, in minutes (60).
    pub default_duration_min: u32,
}

impl Default for VisitParams {
    fn default() -> Self {
        VisitParams {
            utc_offset_min: SHANGHAI_OFFSET_MIN,
            target_new: 7,
            target_follow_up: 3,
            counted_kinds: vec![InteractionKind::Visit],
            not_contacted_days: 30,
            due_within_days: 7,
            default_duration_min: 60,
        }
    }
}

impl VisitParams {
    /// Checks: the offset within ±14 hours, a target of at least one visit, at least one
    /// counted kind, 1-3650 days for "not contacted", at most 366 days for "soon", and a
    /// default duration of 1 minute to [`crate::validate::MAX_DURATION_MIN`].
    pub fn check(&self) -> Result<ValidVisitParams, VisitError> {
        let offset = if self.utc_offset_min.abs() <= 14 * 60 { FixedOffset::east_opt(self.utc_offset_min * 60) } else { None };
        let offset = offset.ok_or_else(|| invalid("utc_offset_min", "须在 ±14 小时（±840 分钟）以内", "must lie within ±14 hours (±840 minutes)"))?;
        if self.target_new == 0 && self.target_follow_up == 0 {
            return Err(invalid("target", "每天至少要有一次新拜访或回访", "at least one new or follow-up visit a day"));
        }
        if self.target_new > 1000 || self.target_follow_up > 1000 {
            return Err(invalid("target", "每天最多 1000 次拜访", "at most 1000 visits a day"));
        }
        if self.counted_kinds.is_empty() {
            return Err(invalid("counted_kinds", "至少要有一种接触方式计入目标", "at least one kind of interaction must count"));
        }
        if !(1..=3650).contains(&self.not_contacted_days) {
            return Err(invalid("not_contacted_days", "须为 1 到 3650 天", "must be 1 to 3650 days"));
        }
        if self.due_within_days > 366 {
            return Err(invalid("due_within_days", "最多 366 天", "must be at most 366 days"));
        }
        if !(1..=crate::validate::MAX_DURATION_MIN).contains(&self.default_duration_min) {
            return Err(invalid("default_duration_min", "须为 1 分钟到 7 天", "must be 1 minute to 7 days"));
        }
        Ok(ValidVisitParams { p: self.clone(), offset })
    }
}

/// Checked [`VisitParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidVisitParams {
    p: VisitParams,
    offset: FixedOffset,
}

impl Default for ValidVisitParams {
    fn default() -> Self {
        ValidVisitParams { p: VisitParams::default(), offset: SHANGHAI }
    }
}

impl ValidVisitParams {
    /// The parameters as given.
    pub fn params(&self) -> &VisitParams {
        &self.p
    }

    /// The calendar's offset.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    fn counts(&self, kind: InteractionKind) -> bool {
        self.p.counted_kinds.contains(&kind)
    }
}

/// The day of an interaction in `offset`: the local date of its start, or its date.
pub fn local_day(i: &Interaction, offset: FixedOffset) -> Date {
    i.start.map_or(i.date, |s| s.with_timezone(&offset).date_naive())
}

/// The end of an interaction with a start time: start + duration (or `default_min`).
pub fn end_time(i: &Interaction, default_min: u32) -> Option<ZonedTime> {
    let start = i.start?;
    Some(start + TimeDelta::minutes(i64::from(i.duration_min.unwrap_or(default_min))))
}

/// New visit or follow-up 回访 (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitClass {
    /// First contact with the customer.
    New,
    /// The customer had a contact on an earlier day.
    FollowUp,
}

/// One interaction of the day plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanItem {
    /// Position in the interactions given.
    pub index: usize,
    /// Its id.
    pub id: Id,
    /// Its customer.
    pub customer_id: Id,
    /// Start in the calendar's offset (`None`: some time that day).
    pub start: Option<ZonedTime>,
    /// End in the calendar's offset (start + duration or the default duration).
    pub end: Option<ZonedTime>,
    /// Planned, done or cancelled.
    pub status: InteractionStatus,
    /// New or follow-up, for the counted kinds; `None` for other kinds.
    pub class: Option<VisitClass>,
}

/// The daily target and how far the day has come. Customers count once per day and class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayProgress {
    /// Target of new visits.
    pub target_new: u32,
    /// Target of follow-ups.
    pub target_follow_up: u32,
    /// Customers visited for the first time (done).
    pub done_new: u32,
    /// Customers visited again (done).
    pub done_follow_up: u32,
    /// Customers with a planned, not yet done, new visit.
    pub planned_new: u32,
    /// Customers with a planned, not yet done, follow-up.
    pub planned_follow_up: u32,
}

impl DayProgress {
    /// Whether the done visits meet both targets.
    pub fn met(&self) -> bool {
        self.done_new >= self.target_new && self.done_follow_up >= self.target_follow_up
    }

    /// Whether done plus planned visits would meet both targets.
    pub fn plan_meets_target(&self) -> bool {
        self.done_new + self.planned_new >= self.target_new && self.done_follow_up + self.planned_follow_up >= self.target_follow_up
    }
}

/// The plan of one day 日计划: its interactions in time order and the target's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    /// The day.
    pub date: Date,
    /// Every interaction of the day (planned, done, cancelled): timed ones by start, then
    /// those without a time, each group by id.
    pub items: Vec<PlanItem>,
    /// Target and progress.
    pub progress: DayProgress,
}

/// Per customer, the first day with a contact, for the new / follow-up rule.
fn first_contacts(interactions: &[Interaction], offset: FixedOffset) -> HashMap<&str, Date> {
    let mut first: HashMap<&str, Date> = HashMap::new();
    for i in interactions.iter().filter(|i| i.status == InteractionStatus::Done) {
        let d = local_day(i, offset);
        first.entry(i.customer_id.as_str()).and_modify(|f| *f = (*f).min(d)).or_insert(d);
    }
    first
}

/// The day plan of `date` for one owner (`None`: everyone). See the module docs for what
/// counts as new and follow-up.
pub fn day_plan(interactions: &[Interaction], date: Date, owner: Option<&str>, p: &ValidVisitParams) -> DayPlan {
    let first = first_contacts(interactions, p.offset);
    let class_of = |i: &Interaction| -> Option<VisitClass> {
        if !p.counts(i.kind) {
            return None;
        }
        match first.get(i.customer_id.as_str()) {
            Some(&f) if f < date => Some(VisitClass::FollowUp),
            _ => Some(VisitClass::New),
        }
    };
    let mut items: Vec<PlanItem> = interactions
        .iter()
        .enumerate()
        .filter(|(_, i)| owner.is_none_or(|o| i.owner == o) && local_day(i, p.offset) == date)
        .map(|(index, i)| PlanItem {
            index,
            id: i.id.clone(),
            customer_id: i.customer_id.clone(),
            start: i.start.map(|s| s.with_timezone(&p.offset)),
            end: end_time(i, p.p.default_duration_min).map(|e| e.with_timezone(&p.offset)),
            status: i.status,
            class: class_of(i),
        })
        .collect();
    items.sort_by(|a, b| match (a.start, b.start) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.id.cmp(&b.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.id.cmp(&b.id),
    });
    let mut done: HashMap<&str, VisitClass> = HashMap::new();
    let mut planned: HashMap<&str, VisitClass> = HashMap::new();
    for it in &items {
        let Some(class) = it.class else { continue };
        match it.status {
            InteractionStatus::Done => {
                done.insert(it.customer_id.as_str(), class);
            }
            InteractionStatus::Planned => {
                planned.insert(it.customer_id.as_str(), class);
            }
            InteractionStatus::Cancelled => {}
        }
    }
    planned.retain(|c, _| !done.contains_key(c));
    let count = |m: &HashMap<&str, VisitClass>, k: VisitClass| m.values().filter(|&&c| c == k).count() as u32;
    let progress = DayProgress {
        target_new: p.p.target_new,
        target_follow_up: p.p.target_follow_up,
        done_new: count(&done, VisitClass::New),
        done_follow_up: count(&done, VisitClass::FollowUp),
        planned_new: count(&planned, VisitClass::New),
        planned_follow_up: count(&planned, VisitClass::FollowUp),
    };
    DayPlan { date, items, progress }
}

/// When a visit takes place: a day, or a start time (whose local date is the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// Some time on this day.
    Day(Date),
    /// At this time.
    At(ZonedTime),
}

impl When {
    /// The day (the start's date in its own offset).
    pub fn date(self) -> Date {
        match self {
            When::Day(d) => d,
            When::At(t) => t.date_naive(),
        }
    }

    fn start(self) -> Option<ZonedTime> {
        match self {
            When::Day(_) => None,
            When::At(t) => Some(t),
        }
    }
}

/// What the rep logs after an interaction: the outcome and, optionally, the next step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeInput {
    /// What came of it (结果).
    pub outcome: String,
    /// The next action agreed; empty with a `next` date means a plain follow-up.
    pub next_action: String,
    /// When the next step happens; `None`: no next step.
    pub next: Option<When>,
    /// Id for the planned interaction of the next step.
    pub next_id: Id,
}

/// The records an outcome produces: the interaction, now done, and the next step as a
/// planned interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logged {
    /// The interaction with status done, outcome and next step.
    pub done: Interaction,
    /// The planned interaction of the next step.
    pub next: Option<Interaction>,
}

/// Logs the outcome of `visit` (planned or done; a cancelled one is refused) and its next
/// step, which becomes a planned interaction with the same customer, kind, owner, people,
/// method, place and duration, the next action as its purpose and the previous contact as
/// its reason (in `lang`). Pure: returns the records to store.
pub fn log_outcome(visit: &Interaction, input: &OutcomeInput, lang: Language, now: Timestamp) -> Result<Logged, VisitError> {
    if visit.status == InteractionStatus::Cancelled {
        return Err(VisitError::Cancelled { id: visit.id.clone() });
    }
    let zh = lang == Language::ZhCn;
    let next_action = match (input.next_action.trim(), input.next) {
        ("", Some(_)) => if zh { "跟进".to_string() } else { "Follow up".to_string() },
        (a, _) => a.to_string(),
    };
    let mut done = visit.clone();
    done.status = InteractionStatus::Done;
    done.outcome = input.outcome.trim().to_string();
    done.next_action = next_action.clone();
    done.next_due = input.next.map(When::date);
    done.updated_at = now;
    let Some(when) = input.next else {
        return Ok(Logged { done, next: None });
    };
    if when.date() < visit.date {
        return Err(VisitError::DueBeforeVisit { date: visit.date, due: when.date() });
    }
    let what = if visit.purpose.trim().is_empty() { String::new() } else if zh { format!(":{}", visit.purpose.trim()) } else { format!(": {}", visit.purpose.trim()) };
    let reason = if zh {
        format!("{} 接触约定的下一步{what}", visit.date)
    } else {
        format!("Next step agreed on {}{what}", visit.date)
    };
    let next = Interaction {
        id: input.next_id.clone(),
        customer_id: visit.customer_id.clone(),
        kind: visit.kind,
        date: when.date(),
        purpose: next_action,
        who: visit.who.clone(),
        method: visit.method.clone(),
        reason,
        outcome: String::new(),
        next_action: String::new(),
        next_due: None,
        owner: visit.owner.clone(),
        status: InteractionStatus::Planned,
        start: when.start(),
        duration_min: visit.duration_min,
        location: visit.location.clone(),
        sequence: 0,
        created_at: now,
        updated_at: now,
    };
    Ok(Logged { done, next: Some(next) })
}

/// Moves a visit to another day or time and/or duration. The `sequence` (iCalendar
/// `SEQUENCE`) rises by one when the start instant, the day or the duration changes, so a
/// phone that imported the visit before replaces it; an unchanged time keeps it.
pub fn reschedule(visit: &Interaction, when: When, duration_min: Option<u32>, now: Timestamp) -> Interaction {
    let mut v = visit.clone();
    v.date = when.date();
    v.start = when.start();
    v.duration_min = duration_min;
    // DateTime equality compares instants, so the same time written in another offset is
    // no change.
    let changed = v.date != visit.date || v.start != visit.start || v.duration_min != visit.duration_min;
    if changed {
        v.sequence = visit.sequence.saturating_add(1);
        v.updated_at = now;
    }
    v
}

/// Calls a visit off (status cancelled). Cancelled visits leave the iCalendar export.
pub fn cancel(visit: &Interaction, now: Timestamp) -> Interaction {
    let mut v = visit.clone();
    v.status = InteractionStatus::Cancelled;
    v.updated_at = now;
    v
}

/// A customer without a contact in the last N days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotContacted {
    /// The customer.
    pub customer_id: Id,
    /// Its name.
    pub name: String,
    /// The day of the last contact on or before the as-of date, if any.
    pub last_contact: Option<Date>,
    /// Days from the last contact to the as-of date (`None`: never contacted).
    pub days_since: Option<i64>,
}

/// The customers of one owner not contacted in N days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerNotContacted {
    /// The account manager (`""`: customers without one).
    pub owner: String,
    /// Their active customers.
    pub active_customers: usize,
    /// Those not contacted: never contacted first, then longest ago first, then by id.
    pub customers: Vec<NotContacted>,
}

/// The monthly touch 每月一卡 as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotContactedReport {
    /// The as-of date.
    pub as_of: Date,
    /// N.
    pub days: u32,
    /// Per owner (the customer's account manager), by owner name.
    pub owners: Vec<OwnerNotContacted>,
    /// Customers listed, all owners.
    pub total: usize,
}

/// Active customers (of `owner`, or all) whose last contact on or before `as_of` is at
/// least N days ([`VisitParams::not_contacted_days`]) before it, or who were never
/// contacted. Contacts after `as_of` are ignored.
pub fn not_contacted(customers: &[Customer], interactions: &[Interaction], as_of: Date, owner: Option<&str>, p: &ValidVisitParams) -> NotContactedReport {
    let mut last: HashMap<&str, Date> = HashMap::new();
    for i in interactions.iter().filter(|i| i.status == InteractionStatus::Done) {
        let d = local_day(i, p.offset);
        if d <= as_of {
            last.entry(i.customer_id.as_str()).and_modify(|l| *l = (*l).max(d)).or_insert(d);
        }
    }
    let n = i64::from(p.p.not_contacted_days);
    let mut owners: BTreeMap<&str, OwnerNotContacted> = BTreeMap::new();
    for c in customers.iter().filter(|c| c.status == CustomerStatus::Active && owner.is_none_or(|o| c.owner == o)) {
        let entry = owners.entry(c.owner.as_str()).or_insert_with(|| OwnerNotContacted { owner: c.owner.clone(), active_customers: 0, customers: Vec::new() });
        entry.active_customers += 1;
        let l = last.get(c.id.as_str()).copied();
        let days = l.map(|l| (as_of - l).num_days());
        if days.is_none_or(|d| d >= n) {
            entry.customers.push(NotContacted { customer_id: c.id.clone(), name: c.name.clone(), last_contact: l, days_since: days });
        }
    }
    let mut out: Vec<OwnerNotContacted> = owners.into_values().collect();
    for o in &mut out {
        o.customers.sort_by(|a, b| {
            let key = |x: &NotContacted| x.days_since.map_or(i64::MAX, |d| d);
            key(b).cmp(&key(a)).then_with(|| a.customer_id.cmp(&b.customer_id))
        });
    }
    let total = out.iter().map(|o| o.customers.len()).sum();
    NotContactedReport { as_of, days: p.p.not_contacted_days, owners: out, total }
}

/// How soon something is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// Before today.
    Overdue,
    /// Today.
    Today,
    /// Within the next [`VisitParams::due_within_days`] days.
    Soon,
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// The open next step of a done interaction.
    NextStep,
    /// A planned interaction.
    Planned,
}

/// A next step or planned visit falling due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    /// Position in the interactions given.
    pub index: usize,
    /// The interaction's id.
    pub id: Id,
    /// Its customer.
    pub customer_id: Id,
    /// Its owner.
    pub owner: String,
    /// Next step or planned visit.
    pub kind: DueKind,
    /// The next action, or the planned visit's purpose.
    pub what: String,
    /// The due date (next step) or day (planned visit).
    pub due: Date,
    /// `due − today` in days (negative when overdue).
    pub days: i64,
    /// Overdue, today or soon.
    pub when: Due,
}

/// Open next steps and planned interactions due on or before `today` + N days
/// ([`VisitParams::due_within_days`]), for `owner` or everyone, by due date then id. See
/// the module docs for when a next step is open.
pub fn due(interactions: &[Interaction], today: Date, owner: Option<&str>, p: &ValidVisitParams) -> Vec<DueItem> {
    // Per customer, the latest day of a non-cancelled interaction and of a planned one.
    let mut latest: HashMap<&str, Date> = HashMap::new();
    let mut latest_planned: HashMap<&str, Date> = HashMap::new();
    for i in interactions.iter().filter(|i| i.status != InteractionStatus::Cancelled) {
        let d = local_day(i, p.offset);
        latest.entry(i.customer_id.as_str()).and_modify(|l| *l = (*l).max(d)).or_insert(d);
        if i.status == InteractionStatus::Planned {
            latest_planned.entry(i.customer_id.as_str()).and_modify(|l| *l = (*l).max(d)).or_insert(d);
        }
    }
    let horizon = today + TimeDelta::days(i64::from(p.p.due_within_days));
    let mut out = Vec::new();
    for (index, i) in interactions.iter().enumerate() {
        if owner.is_some_and(|o| i.owner != o) {
            continue;
        }
        let day = local_day(i, p.offset);
        let (kind, what, due) = match i.status {
            InteractionStatus::Planned => (DueKind::Planned, i.purpose.clone(), day),
            InteractionStatus::Done => {
                let Some(due) = i.next_due else { continue };
                let c = i.customer_id.as_str();
                let settled = latest.get(c).is_some_and(|&l| l > day) || latest_planned.get(c).is_some_and(|&l| l >= day);
                if settled {
                    continue;
                }
                (DueKind::NextStep, i.next_action.clone(), due)
            }
            InteractionStatus::Cancelled => continue,
        };
        if due > horizon {
            continue;
        }
        let days = (due - today).num_days();
        let when = match days {
            d if d < 0 => Due::Overdue,
            0 => Due::Today,
            _ => Due::Soon,
        };
        out.push(DueItem { index, id: i.id.clone(), customer_id: i.customer_id.clone(), owner: i.owner.clone(), kind, what, due, days, when });
    }
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Who brought a customer (推荐人).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Referrer {
    /// Another customer (by id).
    Customer(Id),
    /// A contact person on record (by id).
    Contact(Id),
    /// Someone else, by the name written on the customer (trimmed).
    Name(String),
}

impl Referrer {
    /// The referrer of a customer: the referring customer if set, else the referring
    /// contact, else the free-text name; `None` when nobody is recorded.
    pub fn of(c: &Customer) -> Option<Referrer> {
        if let Some(id) = c.referred_by.as_deref().filter(|s| !s.trim().is_empty()) {
            return Some(Referrer::Customer(id.to_string()));
        }
        if let Some(id) = c.referred_by_contact.as_deref().filter(|s| !s.trim().is_empty()) {
            return Some(Referrer::Contact(id.to_string()));
        }
        let name = c.referred_by_name.trim();
        (!name.is_empty()).then(|| Referrer::Name(name.to_string()))
    }
}

/// One referrer's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferrerRow {
    /// Who.
    pub referrer: Referrer,
    /// Display name: the customer's or contact's name (the id when not found), or the text.
    pub name: String,
    /// The customers this referrer brought, by id.
    pub customers: Vec<Id>,
    /// Their number (the referral count).
    pub count: usize,
    /// Sum of the order-line amounts of those customers in the period, in yuan.
    pub revenue: f64,
}

/// Referral counts and the revenue of referred customers per referrer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralReport {
    /// First day of the revenue period (`None`: from the first line).
    pub from: Option<Date>,
    /// Last day of the revenue period, inclusive (`None`: to the last line).
    pub to: Option<Date>,
    /// Per referrer: most revenue first, then most referrals, then by name.
    pub rows: Vec<ReferrerRow>,
    /// Customers with a referrer.
    pub referred_customers: usize,
    /// Revenue of all referred customers in the period.
    pub referred_revenue: f64,
}

/// Referrals 推荐 (SPEC §7): for every referrer ([`Referrer::of`] each customer), the
/// customers brought, their number, and the sum of their order-line amounts dated within
/// `from..=to` (returns and credit notes, being negative, reduce it).
pub fn referrals<L: Lines + ?Sized>(customers: &[Customer], contacts: &[Contact], lines: &L, from: Option<Date>, to: Option<Date>) -> ReferralReport {
    let mut groups: BTreeMap<Referrer, Vec<usize>> = BTreeMap::new();
    for (i, c) in customers.iter().enumerate() {
        if let Some(r) = Referrer::of(c) {
            groups.entry(r).or_default().push(i);
        }
    }
    // Revenue per referred customer, read once over the lines.
    let referred: HashMap<&str, u32> =
        groups.values().flatten().enumerate().map(|(slot, &ci)| (customers[ci].id.as_str(), slot as u32)).collect();
    let mut revenue = vec![0.0f64; referred.len()];
    let slots = lines.customer_slots(&|id| referred.get(id).copied());
    for (line, slot) in lines.each_line().zip(slots) {
        if slot == u32::MAX || from.is_some_and(|f| line.date < f) || to.is_some_and(|t| line.date > t) {
            continue;
        }
        revenue[slot as usize] += line.amount;
    }
    let customer_name: HashMap<&str, &str> = customers.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect();
    let contact_name: HashMap<&str, &str> = contacts.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect();
    let mut rows: Vec<ReferrerRow> = groups
        .into_iter()
        .map(|(referrer, members)| {
            let name = match &referrer {
                Referrer::Customer(id) => customer_name.get(id.as_str()).map_or_else(|| id.clone(), |n| n.to_string()),
                Referrer::Contact(id) => contact_name.get(id.as_str()).map_or_else(|| id.clone(), |n| n.to_string()),
                Referrer::Name(n) => n.clone(),
            };
            let ids: Vec<Id> = members.iter().map(|&ci| customers[ci].id.clone()).collect();
            let revenue = ids.iter().filter_map(|id| referred.get(id.as_str())).map(|&s| revenue[s as usize]).sum();
            ReferrerRow { referrer, name, count: ids.len(), customers: ids, revenue }
        })
        .collect();
    rows.sort_by(|a, b| b.revenue.total_cmp(&a.revenue).then_with(|| b.count.cmp(&a.count)).then_with(|| a.name.cmp(&b.name)));
    let referred_customers = rows.iter().map(|r| r.count).sum();
    let referred_revenue = rows.iter().map(|r| r.revenue).sum();
    ReferralReport { from, to, rows, referred_customers, referred_revenue }
}

/// Where the need for a visit came from; decides the purpose 何事 and reason 何种理由.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlanSource<'a> {
    /// Planned from the customer's page: a routine visit.
    Customer,
    /// From the not-contacted list (每月一卡).
    NotContacted,
    /// From the decline-warning list 高危客户预警.
    DeclineWarning,
    /// From the win-back list 流失客户挽回.
    WinBack,
    /// The follow-up visit 回访 of a complaint.
    Complaint(&'a Complaint),
    /// An overdue next step of an earlier interaction.
    NextStep(&'a Interaction),
}

/// The contact to meet: a decider 决策者 first, then a buyer, an influencer, an
/// initiator, a user, an analyst, a gatekeeper, then anyone; ties by id.
fn pick_contact<'c>(customer: &Customer, contacts: &'c [Contact]) -> Option<&'c Contact> {
    const ORDER: [BuyingRole; 7] = [
        BuyingRole::Decider,
        BuyingRole::Buyer,
        BuyingRole::Influencer,
        BuyingRole::Initiator,
        BuyingRole::User,
        BuyingRole::Analyst,
        BuyingRole::Gatekeeper,
    ];
    let rank = |c: &Contact| ORDER.iter().position(|r| c.roles.contains(r)).unwrap_or(ORDER.len());
    contacts.iter().filter(|c| c.customer_id == customer.id).min_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.id.cmp(&b.id)))
}

/// Plans a visit (status planned, kind visit) to `customer` with the five elements
/// filled: when from `when`; purpose and reason from the `source` in `lang`; who: the
/// source interaction's people, else the customer's best contact ([`Contact`]s of other
/// customers are ignored); method: an on-site visit; the owner and place from the source
/// interaction or the customer (its city). Every text stays editable.
pub fn plan_visit(
    source: PlanSource<'_>,
    customer: &Customer,
    contacts: &[Contact],
    when: When,
    duration_min: Option<u32>,
    id: impl Into<Id>,
    lang: Language,
    now: Timestamp,
) -> Interaction {
    let zh = lang == Language::ZhCn;
    let t = |z: &str, e: &str| if zh { z.to_string() } else { e.to_string() };
    let (purpose, reason) = match source {
        PlanSource::Customer => (t("例行拜访", "Routine visit"), t("保持定期联系", "Keep in regular touch")),
        PlanSource::NotContacted => (t("例行拜访（每月一卡）", "Routine visit (monthly touch)"), t("超过规定天数未联系", "Not contacted for too long")),
        PlanSource::DeclineWarning => (t("了解采购下降原因", "Find out why purchases fell"), t("客户进入衰退期（高危客户预警）", "The customer is in decline (decline warning)")),
        PlanSource::WinBack => (t("挽回流失客户", "Win the customer back"), t("客户已长期未采购（流失客户挽回）", "The customer stopped buying (win-back list)")),
        PlanSource::Complaint(k) => {
            let what = if k.category.trim().is_empty() { " ".to_string() } else { format!("「{}」", k.category.trim()) };
            let what_en = if k.category.trim().is_empty() { String::new() } else { format!(" ({})", k.category.trim()) };
            (
                t("投诉回访", "Complaint follow-up"),
                if zh { format!("投诉 {}{what}已处理，了解客户对处理结果的满意程度", k.id) } else { format!("Complaint {}{what_en} was handled; ask how satisfied the customer is", k.id) },
            )
        }
        PlanSource::NextStep(i) => {
            let action = if i.next_action.trim().is_empty() { t("跟进", "Follow up") } else { i.next_action.trim().to_string() };
            let due = i.next_due.map(|d| d.to_string()).unwrap_or_default();
            (
                action,
                if zh { format!("{} 接触约定的下一步，{due} 到期", i.date) } else { format!("Next step agreed on {}, due {due}", i.date) },
            )
        }
    };
    let who = match source {
        PlanSource::NextStep(i) if !i.who.trim().is_empty() => i.who.clone(),
        _ => pick_contact(customer, contacts)
            .map(|c| match (c.title.trim(), zh) {
                ("", _) => c.name.clone(),
                (title, true) => format!("{title}{}", c.name),
                (title, false) => format!("{} ({title})", c.name),
            })
            .unwrap_or_default(),
    };
    let (owner, location) = match source {
        PlanSource::NextStep(i) => (
            if i.owner.is_empty() { customer.owner.clone() } else { i.owner.clone() },
            if i.location.is_empty() { customer.city.clone() } else { i.location.clone() },
        ),
        PlanSource::Complaint(k) if !k.owner.is_empty() => (k.owner.clone(), customer.city.clone()),
        _ => (customer.owner.clone(), customer.city.clone()),
    };
    Interaction {
        purpose,
        who,
        method: t("上门拜访", "On-site visit"),
        reason,
        owner,
        status: InteractionStatus::Planned,
        start: when.start(),
        duration_min,
        location,
        ..Interaction::new(id, customer.id.clone(), InteractionKind::Visit, when.date(), now)
    }
}

/// Ids already used, for callers that make new ids: the first `<prefix><n>` (n from 1,
/// zero-padded to 6 digits) not in `taken`.
pub fn next_id<'a>(prefix: &str, taken: impl IntoIterator<Item = &'a str>) -> Id {
    let taken: HashSet<&str> = taken.into_iter().collect();
    (1..).map(|n| format!("{prefix}{n:06}")).find(|id| !taken.contains(id.as_str())).unwrap_or_default()
}
