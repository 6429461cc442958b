//! A complaint 投诉 (SPEC §6): descriptive fields plus its append-only event history. The
//! events are the truth: the state, the validity, the handling mode and every clock are
//! computed from them by `crate::service::complaints`, never stored as flags.
//!
//! Older backups and databases hold complaints in the flag shape (`received_at`,
//! `confirmed_at`, `validity`, `closed_at`, `follow_up_date`…). Deserialising accepts both
//! shapes: a record without `events` is turned into the equivalent events by
//! [`LegacyComplaint::into_events`], so every reader (backup, store, import) gets the new
//! shape.

use super::{Date, Id, Timestamp};
use chrono::{DateTime, FixedOffset, NaiveTime};
use serde::{Deserialize, Serialize};

/// An instant with the UTC offset it was recorded in (`2026-03-02T09:30:00+08:00`).
pub type EventTime = DateTime<FixedOffset>;

/// A complaint 投诉 and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ComplaintWire")]
pub struct Complaint {
    /// Unique id, which is also the complaint's number 投诉编号 shown to people and quoted to
    /// the customer (a helpdesk's ticket number): the app gives `T000001`, `T000002`, … in
    /// order (`service::visits::next_id`); imported complaints keep the number they had.
    pub id: Id,
    /// The complaining customer.
    pub customer_id: Id,
    /// Channel (phone, visit, letter, online…).
    #[serde(default)]
    pub channel: String,
    /// Category (quality, delivery, service, billing…).
    #[serde(default)]
    pub category: String,
    /// What the customer said.
    #[serde(default)]
    pub description: String,
    /// Severity 一般 / 重大; picks the SLA targets.
    #[serde(default)]
    pub severity: Severity,
    /// Responsible person.
    #[serde(default)]
    pub owner: String,
    /// The audit trail, in the order the events happened; append only. The first event is
    /// `received`.
    #[serde(default)]
    pub events: Vec<ComplaintEvent>,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

impl Complaint {
    /// When the complaint was received: the time of its first `received` event.
    pub fn received_at(&self) -> Option<EventTime> {
        self.events.iter().find(|e| e.action == ComplaintAction::Received).map(|e| e.at)
    }

    /// When the last `closed` event happened, if any.
    pub fn closed_at(&self) -> Option<EventTime> {
        self.events.iter().rev().find(|e| e.action == ComplaintAction::Closed).map(|e| e.at)
    }
}

/// One entry of the audit trail: what happened, when, who recorded it, and a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintEvent {
    /// The event and its data; serialised as `"event": "confirmed"` plus the data fields.
    #[serde(flatten)]
    pub action: ComplaintAction,
    /// When it happened, with its UTC offset.
    pub at: EventTime,
    /// Who recorded it.
    #[serde(default)]
    pub by: String,
    /// Free note (assignment, comments, resolution text).
    #[serde(default)]
    pub note: String,
}

impl ComplaintEvent {
    /// An event with no note.
    pub fn new(action: ComplaintAction, at: EventTime, by: impl Into<String>) -> ComplaintEvent {
        ComplaintEvent { action, at, by: by.into(), note: String::new() }
    }

    /// The same event with a note.
    pub fn with_note(mut self, note: impl Into<String>) -> ComplaintEvent {
        self.note = note.into();
        self
    }
}

/// What an event records. The workflow table of the issue (which state allows which event)
/// is in `crate::service::complaints::state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ComplaintAction {
    /// Registered 登记 (first event, once).
    Received,
    /// Confirmed within the time limit 限时确认.
    Confirmed,
    /// Found valid 属实, handled locally or by a special team.
    Valid {
        /// Who handles it.
        handling: Handling,
        /// Members of the special team 专项工作组 (empty when handled locally).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        members: Vec<String>,
    },
    /// Found invalid 不属实, with the explanation given to the customer 投诉解释 (required).
    Invalid {
        /// The explanation.
        explanation: String,
    },
    /// Waiting for the customer (the resolution clock pauses).
    Waiting,
    /// The customer answered; handling resumes.
    Resumed,
    /// Resolved.
    Resolved,
    /// Reopened after resolution or follow-up (the history is kept).
    Reopened,
    /// Follow-up visit 回访 with its result and the customer's satisfaction with the
    /// handling (1-5; `None` only for follow-ups migrated from old records without one).
    FollowedUp {
        /// What the customer said.
        #[serde(default)]
        result: String,
        /// Satisfaction with the handling, 1 (very dissatisfied) to 5 (very satisfied).
        #[serde(default)]
        satisfaction: Option<u8>,
    },
    /// Closed.
    Closed,
    /// A note: assignment, field edits, comments. Changes no state.
    Note,
}

impl ComplaintAction {
    /// The event's kind, without its data.
    pub fn kind(&self) -> EventKind {
        match self {
            ComplaintAction::Received => EventKind::Received,
            ComplaintAction::Confirmed => EventKind::Confirmed,
            ComplaintAction::Valid { .. } => EventKind::Valid,
            ComplaintAction::Invalid { .. } => EventKind::Invalid,
            ComplaintAction::Waiting => EventKind::Waiting,
            ComplaintAction::Resumed => EventKind::Resumed,
            ComplaintAction::Resolved => EventKind::Resolved,
            ComplaintAction::Reopened => EventKind::Reopened,
            ComplaintAction::FollowedUp { .. } => EventKind::FollowedUp,
            ComplaintAction::Closed => EventKind::Closed,
            ComplaintAction::Note => EventKind::Note,
        }
    }
}

/// The kinds of complaint events, named in files as in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// `received`
    Received,
    /// `confirmed`
    Confirmed,
    /// `valid`
    Valid,
    /// `invalid`
    Invalid,
    /// `waiting`
    Waiting,
    /// `resumed`
    Resumed,
    /// `resolved`
    Resolved,
    /// `reopened`
    Reopened,
    /// `followed_up`
    FollowedUp,
    /// `closed`
    Closed,
    /// `note`
    Note,
}

impl EventKind {
    /// All kinds, in workflow order.
    pub const ALL: [EventKind; 11] = [
        EventKind::Received,
        EventKind::Confirmed,
        EventKind::Valid,
        EventKind::Invalid,
        EventKind::Waiting,
        EventKind::Resumed,
        EventKind::Resolved,
        EventKind::Reopened,
        EventKind::FollowedUp,
        EventKind::Closed,
        EventKind::Note,
    ];

    /// The name in files and JSON (`followed_up`).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Received => "received",
            EventKind::Confirmed => "confirmed",
            EventKind::Valid => "valid",
            EventKind::Invalid => "invalid",
            EventKind::Waiting => "waiting",
            EventKind::Resumed => "resumed",
            EventKind::Resolved => "resolved",
            EventKind::Reopened => "reopened",
            EventKind::FollowedUp => "followed_up",
            EventKind::Closed => "closed",
            EventKind::Note => "note",
        }
    }

    /// The kind of a file name (exact, as [`EventKind::name`] writes it).
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.name() == s.trim())
    }

    /// A label for the user.
    pub fn label(self, lang: super::Language) -> &'static str {
        let zh = lang == super::Language::ZhCn;
        match self {
            EventKind::Received => if zh { "登记" } else { "received" },
            EventKind::Confirmed => if zh { "确认" } else { "confirmed" },
            EventKind::Valid => if zh { "属实" } else { "valid" },
            EventKind::Invalid => if zh { "不属实" } else { "invalid" },
            EventKind::Waiting => if zh { "等待客户" } else { "waiting for the customer" },
            EventKind::Resumed => if zh { "恢复处理" } else { "resumed" },
            EventKind::Resolved => if zh { "已解决" } else { "resolved" },
            EventKind::Reopened => if zh { "重新打开" } else { "reopened" },
            EventKind::FollowedUp => if zh { "回访" } else { "followed up" },
            EventKind::Closed => if zh { "结案" } else { "closed" },
            EventKind::Note => if zh { "备注" } else { "note" },
        }
    }
}

/// How a valid complaint is handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    /// 就地处理: by the owner, locally.
    #[default]
    Local,
    /// 专项工作组: by a special team (major complaints), with its members.
    SpecialTeam,
}

impl Handling {
    /// The name in files (`local`, `special_team`).
    pub fn name(self) -> &'static str {
        match self {
            Handling::Local => "local",
            Handling::SpecialTeam => "special_team",
        }
    }
}

/// Complaint severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 一般
    #[default]
    General,
    /// 重大
    Major,
}

impl Severity {
    /// The name in files (`general`, `major`).
    pub fn name(self) -> &'static str {
        match self {
            Severity::General => "general",
            Severity::Major => "major",
        }
    }
}

/// Complaint validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 属实
    Valid,
    /// 不属实
    Invalid,
}

/// Both shapes of a stored complaint: the event shape (`events`) and the old flag shape.
#[derive(Deserialize)]
struct ComplaintWire {
    id: Id,
    customer_id: Id,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    severity: Severity,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    events: Option<Vec<ComplaintEvent>>,
    #[serde(flatten)]
    legacy: LegacyComplaint,
    created_at: Timestamp,
    updated_at: Timestamp,
}

/// The handling facts of a complaint in the old flag shape (schema before the event
/// history), and what a flat import row carries.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LegacyComplaint {
    /// When it was received.
    pub received_at: Option<Timestamp>,
    /// Valid / invalid, when identified.
    pub validity: Option<Validity>,
    /// When it was confirmed.
    pub confirmed_at: Option<Timestamp>,
    /// Resolution text.
    pub resolution: String,
    /// Explanation for an invalid complaint.
    pub explanation: String,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// Follow-up visit date.
    pub follow_up_date: Option<Date>,
    /// Follow-up result.
    pub follow_up_result: String,
}

impl TryFrom<ComplaintWire> for Complaint {
    type Error = String;
    fn try_from(w: ComplaintWire) -> Result<Complaint, String> {
        let events = match w.events {
            Some(e) => e,
            None => w.legacy.into_events(&w.owner).ok_or_else(|| "missing field `events` (or `received_at` of the old shape)".to_string())?,
        };
        Ok(Complaint {
            id: w.id,
            customer_id: w.customer_id,
            channel: w.channel,
            category: w.category,
            description: w.description,
            severity: w.severity,
            owner: w.owner,
            events,
            created_at: w.created_at,
            updated_at: w.updated_at,
        })
    }
}

/// China Standard Time, the zone old records were entered in.
const CST: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("UTC+8 is a valid offset"),
};

/// The explanation recorded for a migrated invalid complaint that had none.
pub const EXPLANATION_NOT_RECORDED: &str = "(未记录 / not recorded)";

impl LegacyComplaint {
    /// The equivalent event history, `None` without a receipt time. Times keep their
    /// instant and are shown at UTC+8. The rules:
    /// - `received` at `received_at`, by the owner;
    /// - `confirmed` at `confirmed_at`; when missing but the complaint was identified or
    ///   closed, at the receipt (the old shape did not record it);
    /// - `valid` (handled locally) or `invalid` (with the explanation, or
    ///   [`EXPLANATION_NOT_RECORDED`]) at the confirmation; a closed complaint without a
    ///   validity counts as valid;
    /// - a closed valid complaint: `resolved` at `closed_at` with the resolution as note,
    ///   then, with a follow-up date or result, `followed_up` (no satisfaction: the old
    ///   shape had none) and `closed` at the later of the follow-up day's midnight (UTC+8)
    ///   and `closed_at`;
    /// - a closed invalid complaint: `closed` at `closed_at`.
    ///
    /// Times never go backwards: each event is at least the previous one.
    pub fn into_events(self, owner: &str) -> Option<Vec<ComplaintEvent>> {
        let received = self.received_at?.with_timezone(&CST);
        let mut out = vec![ComplaintEvent::new(ComplaintAction::Received, received, owner)];
        let mut last = received;
        let mut push = |out: &mut Vec<ComplaintEvent>, action: ComplaintAction, at: Option<EventTime>, note: String| {
            let at = at.unwrap_or(last).max(last);
            last = at;
            out.push(ComplaintEvent { action, at, by: owner.to_string(), note });
        };
        let closed = self.closed_at.map(|t| t.with_timezone(&CST));
        let identified = self.validity.is_some() || closed.is_some();
        if self.confirmed_at.is_none() && !identified {
            return Some(out);
        }
        push(&mut out, ComplaintAction::Confirmed, self.confirmed_at.map(|t| t.with_timezone(&CST)), String::new());
        let validity = self.validity.or(closed.map(|_| Validity::Valid));
        match validity {
            None => {}
            Some(Validity::Invalid) => {
                let explanation = if self.explanation.trim().is_empty() { EXPLANATION_NOT_RECORDED.to_string() } else { self.explanation };
                push(&mut out, ComplaintAction::Invalid { explanation }, None, String::new());
                if closed.is_some() {
                    push(&mut out, ComplaintAction::Closed, closed, String::new());
                }
            }
            Some(Validity::Valid) => {
                push(&mut out, ComplaintAction::Valid { handling: Handling::Local, members: vec![] }, None, String::new());
                if closed.is_some() {
                    push(&mut out, ComplaintAction::Resolved, closed, self.resolution);
                    if self.follow_up_date.is_some() || !self.follow_up_result.trim().is_empty() {
                        let day = self
                            .follow_up_date
                            .and_then(|d| d.and_time(NaiveTime::MIN).and_local_timezone(CST).single());
                        push(&mut out, ComplaintAction::FollowedUp { result: self.follow_up_result, satisfaction: None }, day, String::new());
                        push(&mut out, ComplaintAction::Closed, None, String::new());
                    }
                }
            }
        }
        Some(out)
    }
}
