//! The complaint state machine: which event each state allows and where it leads (the
//! table of issue 11 §2), and the replay of an event history into its state and clock
//! facts ([`Trail`]). An illegal event is refused with an [`EventError`] naming the
//! state; nothing is skipped silently.
//!
//! | event | allowed in | leads to |
//! | --- | --- | --- |
//! | received | (first event, once) | registered |
//! | confirmed | registered | confirmed |
//! | valid | confirmed | handling |
//! | invalid | confirmed | invalid (explanation required) |
//! | waiting | handling | waiting |
//! | resumed | waiting | handling |
//! | resolved | handling, waiting | resolved |
//! | reopened | resolved, followed up | handling |
//! | followed_up | resolved | followed up (satisfaction 1-5 when given) |
//! | closed | followed up, invalid | closed |
//! | note | any state after received | unchanged |
//!
//! Events must also be in time order: an event earlier than the one before it is refused.

use crate::model::{ComplaintAction, ComplaintEvent, EventKind, EventTime, Handling, Language, Validity};
use serde::{Deserialize, Serialize};

/// Where a complaint stands, computed from its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintState {
    /// 已登记: received, not yet confirmed.
    Registered,
    /// 已确认: confirmed, validity not yet decided.
    Confirmed,
    /// 处理中: valid, being handled.
    Handling,
    /// 等待客户: waiting for the customer.
    Waiting,
    /// 已解决.
    Resolved,
    /// 已回访.
    FollowedUp,
    /// 不属实: invalid, explanation given.
    Invalid,
    /// 已结案.
    Closed,
}

impl ComplaintState {
    /// All states, in workflow order.
    pub const ALL: [ComplaintState; 8] = [
        ComplaintState::Registered,
        ComplaintState::Confirmed,
        ComplaintState::Handling,
        ComplaintState::Waiting,
        ComplaintState::Resolved,
        ComplaintState::FollowedUp,
        ComplaintState::Invalid,
        ComplaintState::Closed,
    ];

    /// The name in files and JSON (`followed_up`).
    pub fn name(self) -> &'static str {
        match self {
            ComplaintState::Registered => "registered",
            ComplaintState::Confirmed => "confirmed",
            ComplaintState::Handling => "handling",
            ComplaintState::Waiting => "waiting",
            ComplaintState::Resolved => "resolved",
            ComplaintState::FollowedUp => "followed_up",
            ComplaintState::Invalid => "invalid",
            ComplaintState::Closed => "closed",
        }
    }

    /// A label for the user.
    pub fn label(self, lang: Language) -> &'static str {
        let zh = lang == Language::ZhCn;
        match self {
            ComplaintState::Registered => if zh { "已登记" } else { "registered" },
            ComplaintState::Confirmed => if zh { "已确认" } else { "confirmed" },
            ComplaintState::Handling => if zh { "处理中" } else { "handling" },
            ComplaintState::Waiting => if zh { "等待客户" } else { "waiting for the customer" },
            ComplaintState::Resolved => if zh { "已解决" } else { "resolved" },
            ComplaintState::FollowedUp => if zh { "已回访" } else { "followed up" },
            ComplaintState::Invalid => if zh { "不属实" } else { "invalid" },
            ComplaintState::Closed => if zh { "已结案" } else { "closed" },
        }
    }

    /// True while the complaint is being worked on: registered, confirmed, handling or
    /// waiting (the states whose resolution clock can run late).
    pub fn is_open(self) -> bool {
        matches!(self, ComplaintState::Registered | ComplaintState::Confirmed | ComplaintState::Handling | ComplaintState::Waiting)
    }

    /// True once resolved (resolved, followed up, or closed after a resolution).
    pub fn is_resolved(self) -> bool {
        matches!(self, ComplaintState::Resolved | ComplaintState::FollowedUp | ComplaintState::Closed)
    }
}

/// Why an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum EventError {
    /// The event is not allowed in the state (`state` is `None` before `received`).
    #[error("event “{}” is not allowed in state {}", event.name(), state.map(|s| s.name()).unwrap_or("(not received)"))]
    NotAllowed {
        /// The refused event.
        event: EventKind,
        /// The state it was refused in.
        state: Option<ComplaintState>,
    },
    /// `invalid` without the explanation given to the customer.
    #[error("event “invalid” needs the explanation given to the customer")]
    ExplanationRequired,
    /// A special team without members.
    #[error("a special team needs its members")]
    MembersRequired,
    /// Satisfaction outside 1-5.
    #[error("satisfaction {value} is not between 1 and 5")]
    SatisfactionOutOfRange {
        /// The value given.
        value: u8,
    },
    /// The event is earlier than the one before it.
    #[error("event at {at} is earlier than the previous event at {previous}")]
    OutOfOrder {
        /// The event's time.
        at: EventTime,
        /// The previous event's time.
        previous: EventTime,
    },
}

impl EventError {
    /// A full sentence for the user, naming the state.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            EventError::NotAllowed { event, state } => match (zh, state) {
                (true, Some(s)) => format!("投诉当前状态为“{}”，不能执行“{}”。", s.label(lang), event.label(lang)),
                (true, None) => format!("投诉尚未登记，不能执行“{}”（第一个事件必须是登记）。", event.label(lang)),
                (false, Some(s)) => format!("The complaint is {}: “{}” is not allowed in this state.", s.label(lang), event.name()),
                (false, None) => format!("The complaint has not been received: “{}” is not allowed before “received”.", event.name()),
            },
            EventError::ExplanationRequired => if zh {
                "认定不属实时必须填写给客户的投诉解释。".into()
            } else {
                "An invalid complaint needs the explanation given to the customer.".into()
            },
            EventError::MembersRequired => if zh {
                "专项工作组须填写成员。".into()
            } else {
                "A special team needs its members.".into()
            },
            EventError::SatisfactionOutOfRange { value } => if zh {
                format!("满意度 {value} 不在 1 至 5 之间。")
            } else {
                format!("Satisfaction {value} is not between 1 and 5.")
            },
            EventError::OutOfOrder { at, previous } => if zh {
                format!("事件时间 {} 早于上一个事件的时间 {}。", at.to_rfc3339(), previous.to_rfc3339())
            } else {
                format!("The event at {} is earlier than the previous event at {}.", at.to_rfc3339(), previous.to_rfc3339())
            },
        }
    }
}

/// The state after one more event: the transition table of the module head, plus the
/// data each event needs (an explanation for `invalid`, members for a special team,
/// satisfaction 1-5 for `followed_up`).
pub fn next(state: Option<ComplaintState>, action: &ComplaintAction) -> Result<ComplaintState, EventError> {
    use ComplaintState as S;
    let refuse = || EventError::NotAllowed { event: action.kind(), state };
    let to = match (state, action) {
        (None, ComplaintAction::Received) => S::Registered,
        (Some(s), ComplaintAction::Note) => s,
        (Some(S::Registered), ComplaintAction::Confirmed) => S::Confirmed,
        (Some(S::Confirmed), ComplaintAction::Valid { handling, members }) => {
            if *handling == Handling::SpecialTeam && members.iter().all(|m| m.trim().is_empty()) {
                return Err(EventError::MembersRequired);
            }
            S::Handling
        }
        (Some(S::Confirmed), ComplaintAction::Invalid { explanation }) => {
            if explanation.trim().is_empty() {
                return Err(EventError::ExplanationRequired);
            }
            S::Invalid
        }
        (Some(S::Handling), ComplaintAction::Waiting) => S::Waiting,
        (Some(S::Waiting), ComplaintAction::Resumed) => S::Handling,
        (Some(S::Handling | S::Waiting), ComplaintAction::Resolved) => S::Resolved,
        (Some(S::Resolved | S::FollowedUp), ComplaintAction::Reopened) => S::Handling,
        (Some(S::Resolved), ComplaintAction::FollowedUp { satisfaction, .. }) => {
            if let Some(v) = satisfaction.filter(|v| !(1..=5).contains(v)) {
                return Err(EventError::SatisfactionOutOfRange { value: v });
            }
            S::FollowedUp
        }
        (Some(S::FollowedUp | S::Invalid), ComplaintAction::Closed) => S::Closed,
        _ => return Err(refuse()),
    };
    Ok(to)
}

/// The events a state allows, in workflow order (the rows of the table whose "allowed in"
/// column holds `state`; `None` is the state before `received`). The buttons of a
/// complaint's page come from here, and [`next`] still checks each event's data.
pub fn allowed(state: Option<ComplaintState>) -> Vec<EventKind> {
    use ComplaintState as S;
    let Some(s) = state else { return vec![EventKind::Received] };
    let mut out: Vec<EventKind> = match s {
        S::Registered => vec![EventKind::Confirmed],
        S::Confirmed => vec![EventKind::Valid, EventKind::Invalid],
        S::Handling => vec![EventKind::Waiting, EventKind::Resolved],
        S::Waiting => vec![EventKind::Resumed, EventKind::Resolved],
        S::Resolved => vec![EventKind::Reopened, EventKind::FollowedUp],
        S::FollowedUp => vec![EventKind::Reopened, EventKind::Closed],
        S::Invalid => vec![EventKind::Closed],
        S::Closed => vec![],
    };
    out.push(EventKind::Note);
    out
}

/// The history with one more event, after checking it against the state the history is in
/// and against the time of the last event. The history itself must replay (a stored
/// complaint always does); its own refusal is returned otherwise.
pub fn append(events: &[ComplaintEvent], e: ComplaintEvent) -> Result<Vec<ComplaintEvent>, EventError> {
    let trail = replay(events).map_err(|r| r.error)?;
    if let Some(t) = &trail {
        if e.at < t.last {
            return Err(EventError::OutOfOrder { at: e.at, previous: t.last });
        }
    }
    next(trail.map(|t| t.state), &e.action)?;
    let mut out = events.to_vec();
    out.push(e);
    Ok(out)
}

/// A refused event: its position in the history and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Index of the refused event in the history.
    pub index: usize,
    /// Why.
    pub error: EventError,
}

/// A span of paused resolution time: from a `waiting` to the next `resumed` or
/// `resolved`, or from a `resolved` to the next `reopened`. `end` is `None` while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// Start.
    pub start: EventTime,
    /// End, when over.
    pub end: Option<EventTime>,
}

/// What the replay of a history yields: the state and the facts the clocks need.
#[derive(Debug, Clone, PartialEq)]
pub struct Trail {
    /// The state after the last event.
    pub state: ComplaintState,
    /// The `received` time.
    pub received: EventTime,
    /// The (first and only) `confirmed` time.
    pub confirmed: Option<EventTime>,
    /// Valid or invalid, once decided.
    pub validity: Option<Validity>,
    /// The handling mode of a valid complaint.
    pub handling: Option<Handling>,
    /// Special-team members.
    pub members: Vec<String>,
    /// The last `resolved` time, when the complaint is resolved now (not reopened since).
    pub resolved: Option<EventTime>,
    /// Paused spans in time order.
    pub pauses: Vec<Pause>,
    /// Satisfaction of the last follow-up, when given.
    pub satisfaction: Option<u8>,
    /// The time of the last event.
    pub last: EventTime,
}

/// Replays a history (all of it; filter by time first for an as-of view). `Ok(None)` for an
/// empty history; the first refused event ends the replay.
pub fn replay(events: &[ComplaintEvent]) -> Result<Option<Trail>, Refusal> {
    let mut trail: Option<Trail> = None;
    for (index, e) in events.iter().enumerate() {
        let refuse = |error| Refusal { index, error };
        if let Some(t) = &trail {
            if e.at < t.last {
                return Err(refuse(EventError::OutOfOrder { at: e.at, previous: t.last }));
            }
        }
        let to = next(trail.as_ref().map(|t| t.state), &e.action).map_err(refuse)?;
        let t = trail.get_or_insert_with(|| Trail {
            state: to,
            received: e.at,
            confirmed: None,
            validity: None,
            handling: None,
            members: vec![],
            resolved: None,
            pauses: vec![],
            satisfaction: None,
            last: e.at,
        });
        let close_pause = |t: &mut Trail| {
            if let Some(p) = t.pauses.last_mut().filter(|p| p.end.is_none()) {
                p.end = Some(e.at);
            }
        };
        match &e.action {
            ComplaintAction::Confirmed => t.confirmed = Some(e.at),
            ComplaintAction::Valid { handling, members } => {
                t.validity = Some(Validity::Valid);
                t.handling = Some(*handling);
                t.members = members.clone();
            }
            ComplaintAction::Invalid { .. } => t.validity = Some(Validity::Invalid),
            ComplaintAction::Waiting => t.pauses.push(Pause { start: e.at, end: None }),
            ComplaintAction::Resumed => close_pause(t),
            ComplaintAction::Resolved => {
                close_pause(t);
                t.resolved = Some(e.at);
                t.pauses.push(Pause { start: e.at, end: None });
            }
            ComplaintAction::Reopened => {
                close_pause(t);
                t.resolved = None;
            }
            ComplaintAction::FollowedUp { satisfaction, .. } => t.satisfaction = *satisfaction,
            ComplaintAction::Received | ComplaintAction::Closed | ComplaintAction::Note => {}
        }
        t.state = to;
        t.last = e.at;
    }
    Ok(trail)
}
