//! The survey → complaint draft rule (issue 11 §2): when switched on, a survey answer at or
//! below the chosen level on any item, or a likelihood-to-recommend answer of 0-6 (an NPS
//! detractor, Reichheld 2003), makes a complaint draft for review. A draft is never a
//! complaint by itself: the user turns it into one ([`ComplaintDraft::to_complaint`]) or
//! drops it.

use crate::model::{Complaint, ComplaintAction, ComplaintEvent, EventTime, Id, Language, Severity, Survey, SurveyResponse};
use serde::{Deserialize, Serialize};

/// The rule's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftRule {
    /// On or off.
    pub enabled: bool,
    /// An answer at or below this raw value (on the survey's scale) triggers a draft.
    pub level: f64,
}

impl DraftRule {
    /// The rule with a checked level: `None` unless the level is finite and above 0 (no
    /// answer is at or below 0 on a scale starting at 1, so such a rule could never fire).
    pub fn checked(enabled: bool, level: f64) -> Option<DraftRule> {
        (level.is_finite() && level > 0.0).then_some(DraftRule { enabled, level })
    }
}

impl Default for DraftRule {
    /// Off, level 2 (the two lowest points of a 1-5 scale).
    fn default() -> Self {
        DraftRule { enabled: false, level: 2.0 }
    }
}

/// Why a response made a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DraftReason {
    /// An item answered at or below the level.
    LowAnswer {
        /// Item (leaf) id.
        item: String,
        /// The answer.
        value: f64,
    },
    /// Likelihood to recommend 0-6.
    Detractor {
        /// The answer 0-10.
        recommend: u8,
    },
}

/// A complaint draft made from a survey response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintDraft {
    /// The response.
    pub response_id: Id,
    /// Its survey.
    pub survey_id: Id,
    /// The customer, when the response is not anonymous.
    pub customer_id: Option<Id>,
    /// Date answered.
    pub date: chrono::NaiveDate,
    /// Every reason, items in id order then the NPS answer.
    pub reasons: Vec<DraftReason>,
}

impl ComplaintDraft {
    /// A description listing the reasons in the survey's words: its name and each item's
    /// label (the ids when `survey` is not the draft's, e.g. a deleted survey), e.g.
    /// "满意度调查「客户满意度」：交付准时 2 分；推荐意愿 3 分（0-10）。" /
    /// "Survey “Customer satisfaction”: On-time delivery 2; likelihood to recommend 3 (0-10).".
    pub fn description(&self, survey: Option<&Survey>, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        let survey = survey.filter(|s| s.id == self.survey_id);
        let label = |item: &str| survey.and_then(|s| s.root.find(item)).map(|n| n.label.clone()).unwrap_or_else(|| item.to_string());
        let value = |v: f64| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") };
        let parts: Vec<String> = self
            .reasons
            .iter()
            .map(|r| match (r, zh) {
                (DraftReason::LowAnswer { item, value: v }, true) => format!("{} {} 分", label(item), value(*v)),
                (DraftReason::LowAnswer { item, value: v }, false) => format!("{} {}", label(item), value(*v)),
                (DraftReason::Detractor { recommend }, true) => format!("推荐意愿 {recommend} 分（0-10）"),
                (DraftReason::Detractor { recommend }, false) => format!("likelihood to recommend {recommend} (0-10)"),
            })
            .collect();
        let name = survey.map(|s| s.name.clone()).unwrap_or_else(|| self.survey_id.clone());
        if zh {
            format!("满意度调查「{name}」：{}。", parts.join("；"))
        } else {
            format!("Survey “{name}”: {}.", parts.join("; "))
        }
    }

    /// The complaint the user accepts: received at `at` by `by`, category and severity as
    /// chosen, described from `survey` (see [`ComplaintDraft::description`]); the received
    /// event's note says which answer it came from by its date. `None` for an anonymous
    /// response (a complaint needs its customer).
    #[allow(clippy::too_many_arguments)]
    pub fn to_complaint(&self, id: impl Into<Id>, at: EventTime, by: &str, category: &str, severity: Severity, survey: Option<&Survey>, lang: Language) -> Option<Complaint> {
        let customer_id = self.customer_id.clone()?;
        let zh = lang == Language::ZhCn;
        let note = if zh { format!("来自 {} 的满意度答卷", self.date) } else { format!("From the survey answer of {}", self.date) };
        Some(Complaint {
            id: id.into(),
            customer_id,
            channel: if zh { "满意度调查".into() } else { "survey".into() },
            category: category.into(),
            description: self.description(survey, lang),
            severity,
            owner: by.into(),
            events: vec![ComplaintEvent::new(ComplaintAction::Received, at, by).with_note(note)],
            created_at: at.to_utc(),
            updated_at: at.to_utc(),
        })
    }
}

/// The draft of one response, `None` when the rule is off or nothing triggers it.
pub fn draft(response: &SurveyResponse, rule: &DraftRule) -> Option<ComplaintDraft> {
    if !rule.enabled {
        return None;
    }
    let mut reasons: Vec<DraftReason> = response
        .answers
        .iter()
        .filter_map(|(item, v)| v.filter(|v| v.is_finite() && *v <= rule.level).map(|value| DraftReason::LowAnswer { item: item.clone(), value }))
        .collect();
    if let Some(r) = response.recommend.filter(|r| *r <= 6) {
        reasons.push(DraftReason::Detractor { recommend: r });
    }
    (!reasons.is_empty()).then(|| ComplaintDraft {
        response_id: response.id.clone(),
        survey_id: response.survey_id.clone(),
        customer_id: response.customer_id.clone(),
        date: response.date,
        reasons,
    })
}

/// The drafts of many responses, in their order.
pub fn drafts(responses: &[SurveyResponse], rule: &DraftRule) -> Vec<ComplaintDraft> {
    responses.iter().filter_map(|r| draft(r, rule)).collect()
}

/// The drafts still waiting for review: those of `responses` whose response is not in
/// `handled` (registered as a complaint or dismissed), newest first (by date answered, then
/// by response id, both descending, so the order does not depend on the stored order).
pub fn pending(responses: &[SurveyResponse], rule: &DraftRule, handled: &[Id]) -> Vec<ComplaintDraft> {
    let handled: std::collections::HashSet<&str> = handled.iter().map(|s| s.as_str()).collect();
    let mut out: Vec<ComplaintDraft> = responses.iter().filter(|r| !handled.contains(r.id.as_str())).filter_map(|r| draft(r, rule)).collect();
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.response_id.cmp(&a.response_id)));
    out
}
