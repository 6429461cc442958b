//! Complaints 投诉 on a business-hours clock (SPEC §6, issue 11 §2).
//!
//! A complaint's truth is its append-only event history (`crate::model::Complaint::events`).
//! Everything else is computed here:
//! - [`state`]: the workflow table and the replay of a history into its state
//!   ([`state::replay`]); an illegal event is an [`EventError`] naming the state.
//! - [`sla`]: the SLA policy per severity ([`SlaPolicyParams`] → [`SlaPolicy`]) and one
//!   complaint's clocks as of an instant ([`clock`]: confirmation and resolution time with
//!   pauses excluded, deadlines, on-time flags, overdue / due today / due soon / waiting).
//! - [`analysis`]: all complaints as of an instant ([`analyse`] → [`ComplaintReport`]):
//!   counts, Pareto, on-time rates, resolution-time statistics, repeats, trend.
//! - [`audit`]: the audit trail CSV ([`write_audit`], [`read_audit`]).
//! - [`drafts`]: survey answers that make complaint drafts ([`drafts::drafts`]).
//!
//! Use [`clock`] for one complaint's page, [`analyse`] for lists, badges and the analysis
//! page; both take the working calendar of `crate::service::calendar`.

pub mod analysis;
pub mod audit;
pub mod drafts;
pub mod sla;
pub mod state;
#[cfg(test)]
mod tests;

pub use analysis::{analyse, due_counts, percentile_inc, ComplaintParams, ComplaintReport, DueCounts, HoursSummary, MonthRow, ParetoRow, RejectedEvent};
pub use audit::{read_audit, write_audit, AuditError, AuditIssue, AuditProblem, AuditRead};
pub use drafts::{ComplaintDraft, DraftReason, DraftRule};
pub use sla::{clock, ComplaintClock, SlaError, SlaPolicy, SlaPolicyParams, SlaTarget, SlaTargetParams};
pub use state::{allowed, append, next, replay, ComplaintState, EventError, Refusal, Trail};

use crate::model::{Complaint, Date};
use serde::{Deserialize, Serialize};

/// The state of a complaint at the end of a day: the replay of its events dated up to
/// `day` (each in its own offset). `None` when not yet received by then or when the
/// workflow refuses one of those events.
pub fn state_on(c: &Complaint, day: Date) -> Option<ComplaintState> {
    let n = c.events.iter().take_while(|e| e.at.date_naive() <= day).count();
    replay(&c.events[..n]).ok().flatten().map(|t| t.state)
}

/// The complaint settings that travel in a backup: the SLA policy, the survey draft rule
/// with the responses whose draft was already handled, and the category list offered when
/// registering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplaintSettings {
    /// SLA targets per severity.
    pub policy: SlaPolicy,
    /// The survey → draft rule.
    pub draft_rule: DraftRule,
    /// Categories offered (editable); free text is allowed too.
    pub categories: Vec<String>,
    /// The survey responses whose draft was registered or dismissed: their drafts are not
    /// offered again ([`drafts::pending`]). Absent in settings written before it existed.
    #[serde(default)]
    pub handled_drafts: Vec<crate::model::Id>,
}

impl Default for ComplaintSettings {
    fn default() -> Self {
        ComplaintSettings {
            policy: SlaPolicy::default(),
            draft_rule: DraftRule::default(),
            categories: ["产品质量", "交货延迟", "服务态度", "账单差错", "包装破损", "技术支持"].iter().map(|s| s.to_string()).collect(),
            handled_drafts: Vec::new(),
        }
    }
}
