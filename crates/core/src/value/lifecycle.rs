//! Lifecycle stages 客户生命周期 (SPEC §3.6), the decline-warning 高危客户预警 and win-back
//! 赢回 lists, and the relationship review 客户关系的终止 (SPEC §3.7).
//!
//! Stages are rule based; the first rule that applies wins, and every stage comes with the
//! reason that put the customer there. With `R` = days since the last purchase, `I` = the
//! customer's median days between purchase days, and `cur` / `prev` = the metric in the
//! current and previous trend windows ([`super::facts::FactsSpec::trend_window_days`]):
//!
//! 1. terminated 终止 → lost 离网/流失;
//! 2. never bought → exploration 考察期;
//! 3. `R > lost_after_days` → lost;
//! 4. first purchase within `new_within_days` → exploration;
//! 5. `R > overdue_factor · I` (overdue against the usual interval) → decline 衰退期;
//! 6. `prev > 0` and `cur < (1 − decline) · prev` → decline;
//! 7. `cur > 0` and (`prev ≤ 0` or `cur > (1 + growth) · prev`) → development 发展期;
//! 8. otherwise stable 稳定期.
//!
//! Relationship review flags candidates, never terminates: termination is a recorded
//! decision on the customer ([`crate::model::CustomerStatus::Terminated`]), not a deletion.

use super::{invalid, IdOrder, ValueError};
use crate::model::CreditRating;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// A lifecycle stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 考察期: new, first purchase recent (or not bought yet).
    Exploration,
    /// 发展期: purchases growing.
    Development,
    /// 稳定期: steady.
    Stable,
    /// 衰退期: falling, or overdue against the usual purchase interval.
    Decline,
    /// 离网/流失: no purchase beyond the threshold, or terminated.
    Lost,
}

impl Stage {
    /// All stages in lifecycle order.
    pub const ALL: [Stage; 5] = [Stage::Exploration, Stage::Development, Stage::Stable, Stage::Decline, Stage::Lost];

    /// Stable code (`exploration` … `lost`).
    pub fn code(self) -> &'static str {
        match self {
            Stage::Exploration => "exploration",
            Stage::Development => "development",
            Stage::Stable => "stable",
            Stage::Decline => "decline",
            Stage::Lost => "lost",
        }
    }
}

/// Why a customer is in its stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum StageReason {
    /// The relationship was terminated.
    Terminated,
    /// No purchase yet.
    NeverPurchased,
    /// No purchase for `days` days.
    NoPurchaseFor {
        /// Days since the last purchase.
        days: i64,
    },
    /// First purchase `days` days ago.
    FirstPurchaseRecent {
        /// Days since the first purchase.
        days: i64,
    },
    /// `days` since the last purchase against a usual interval of `usual_interval` days.
    Overdue {
        /// Days since the last purchase.
        days: i64,
        /// Median days between purchase days.
        usual_interval: f64,
    },
    /// The metric changed by `change` (e.g. −0.35 = −35 %) from the previous window.
    Falling {
        /// Relative change.
        change: f64,
    },
    /// The metric grew by `change` (`None`: from nothing).
    Growing {
        /// Relative change.
        change: Option<f64>,
    },
    /// Within the growth and decline thresholds.
    Steady,
}

/// Thresholds of the stage rules (all visible and editable in the app).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LifecycleParams {
    /// A first purchase at most this many days ago is exploration (default 180).
    pub new_within_days: u32,
    /// No purchase for more than this many days is lost (default 365).
    pub lost_after_days: u32,
    /// Overdue when the days since the last purchase exceed this multiple of the usual
    /// interval (default 2).
    pub overdue_factor: f64,
    /// Relative growth above which a customer is developing (default 0.2).
    pub growth: f64,
    /// Relative fall above which a customer is declining (default 0.2).
    pub decline: f64,
    /// Length of each trend window in days (default 365).
    pub trend_window_days: u32,
}

impl Default for LifecycleParams {
    fn default() -> Self {
        LifecycleParams { new_within_days: 180, lost_after_days: 365, overdue_factor: 2.0, growth: 0.2, decline: 0.2, trend_window_days: 365 }
    }
}

impl LifecycleParams {
    /// Checks `new_within < lost_after`, factor ≥ 1, `growth ≥ 0`, `0 ≤ decline < 1`,
    /// window ≥ 1 day.
    pub fn check(&self) -> Result<ValidLifecycleParams, ValueError> {
        let p = self;
        if p.new_within_days >= p.lost_after_days {
            return Err(invalid("lifecycle.new_within_days", "必须短于流失天数", "must be shorter than the lost threshold"));
        }
        if !(p.overdue_factor >= 1.0 && p.overdue_factor.is_finite()) {
            return Err(invalid("lifecycle.overdue_factor", "不能小于 1", "must be 1 or more"));
        }
        if !(p.growth >= 0.0 && p.growth.is_finite()) {
            return Err(invalid("lifecycle.growth", "不能小于 0", "must be 0 or more"));
        }
        if !(0.0..1.0).contains(&p.decline) {
            return Err(invalid("lifecycle.decline", "须不小于 0 且小于 1", "must be at least 0 and below 1"));
        }
        if p.trend_window_days == 0 {
            return Err(invalid("lifecycle.trend_window_days", "至少为 1 天", "must be at least 1 day"));
        }
        Ok(ValidLifecycleParams(*self))
    }
}

/// [`LifecycleParams`] that passed [`LifecycleParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "LifecycleParams")]
pub struct ValidLifecycleParams(LifecycleParams);

impl ValidLifecycleParams {
    /// The checked parameters.
    pub fn params(&self) -> &LifecycleParams {
        &self.0
    }
}

/// What the stage rules look at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StageInput {
    /// Relationship terminated.
    pub terminated: bool,
    /// Days since the first purchase.
    pub first_purchase_days: Option<i64>,
    /// Days since the last purchase.
    pub recency_days: Option<i64>,
    /// Median days between purchase days.
    pub median_interval_days: Option<f64>,
    /// Metric in the current trend window.
    pub current: f64,
    /// Metric in the previous trend window.
    pub previous: f64,
}

/// The stage of one customer and why (rules in the module docs).
pub fn stage(s: &StageInput, params: &ValidLifecycleParams) -> (Stage, StageReason) {
    let p = params.0;
    if s.terminated {
        return (Stage::Lost, StageReason::Terminated);
    }
    let (Some(recency), Some(first)) = (s.recency_days, s.first_purchase_days) else {
        return (Stage::Exploration, StageReason::NeverPurchased);
    };
    if recency > i64::from(p.lost_after_days) {
        return (Stage::Lost, StageReason::NoPurchaseFor { days: recency });
    }
    if first <= i64::from(p.new_within_days) {
        return (Stage::Exploration, StageReason::FirstPurchaseRecent { days: first });
    }
    if let Some(i) = s.median_interval_days {
        if recency as f64 > p.overdue_factor * i {
            return (Stage::Decline, StageReason::Overdue { days: recency, usual_interval: i });
        }
    }
    if s.previous > 0.0 && s.current < (1.0 - p.decline) * s.previous {
        return (Stage::Decline, StageReason::Falling { change: s.current / s.previous - 1.0 });
    }
    if s.current > 0.0 && s.previous <= 0.0 {
        return (Stage::Development, StageReason::Growing { change: None });
    }
    if s.current > 0.0 && s.current > (1.0 + p.growth) * s.previous {
        return (Stage::Development, StageReason::Growing { change: Some(s.current / s.previous - 1.0) });
    }
    (Stage::Stable, StageReason::Steady)
}

/// An entry of the decline-warning or win-back list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListEntry {
    /// Position of the customer in the input.
    pub index: usize,
    /// Customer id.
    pub id: String,
    /// Why the customer is on the list.
    pub reason: StageReason,
    /// What is at stake: the metric of the previous window (warning list) or over the
    /// whole history (win-back list).
    pub value: f64,
    /// P(alive) where a BG/NBD fit exists.
    pub p_alive: Option<f64>,
}

/// Sorts entries by value descending, then id ascending (numerically when all are numbers).
fn sort_entries(entries: &mut [ListEntry], order: IdOrder) {
    entries.sort_by(|a, b| b.value.partial_cmp(&a.value).unwrap_or(Ordering::Equal).then_with(|| order.compare(&a.id, &b.id)));
}

/// The decline-warning list 高危客户预警: customers in decline, most value at stake first.
/// `values[i]` should be the previous-window metric.
pub fn warning_list<S: AsRef<str>>(
    ids: &[S],
    stages: &[(Stage, StageReason)],
    values: &[f64],
    p_alive: &[Option<f64>],
) -> Vec<ListEntry> {
    list(ids, stages, values, p_alive, |s| s == Stage::Decline, |_| true)
}

/// The win-back list 赢回: lost customers who were not terminated (a termination is a
/// decision, not a loss), most lifetime value first. `values[i]` should be the lifetime
/// metric; customers without positive value are left out.
pub fn win_back_list<S: AsRef<str>>(
    ids: &[S],
    stages: &[(Stage, StageReason)],
    values: &[f64],
    p_alive: &[Option<f64>],
) -> Vec<ListEntry> {
    list(ids, stages, values, p_alive, |s| s == Stage::Lost, |e| e.value > 0.0 && e.reason != StageReason::Terminated)
}

fn list<S: AsRef<str>>(
    ids: &[S],
    stages: &[(Stage, StageReason)],
    values: &[f64],
    p_alive: &[Option<f64>],
    stage_ok: impl Fn(Stage) -> bool,
    keep: impl Fn(&ListEntry) -> bool,
) -> Vec<ListEntry> {
    let mut out: Vec<ListEntry> = stages
        .iter()
        .enumerate()
        .filter(|(_, (s, _))| stage_ok(*s))
        .map(|(i, (_, reason))| ListEntry {
            index: i,
            id: ids.get(i).map(|s| s.as_ref().to_string()).unwrap_or_default(),
            reason: *reason,
            value: values.get(i).copied().unwrap_or(0.0),
            p_alive: p_alive.get(i).copied().flatten(),
        })
        .filter(|e| keep(e))
        .collect();
    sort_entries(&mut out, IdOrder::detect(ids));
    out
}

/// Why a customer is a candidate for relationship review (SPEC §3.7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ReviewReason {
    /// Unprofitable despite effort: negative gross profit in the period.
    Unprofitable {
        /// Gross profit in the period.
        profit: f64,
    },
    /// Credit deterioration causing losses: credit rating at or below the floor.
    CreditRisk {
        /// The rating.
        rating: CreditRating,
    },
    /// Orders falling to zero: bought in the previous window, nothing in the current.
    OrdersToZero {
        /// Metric in the previous window.
        previous: f64,
    },
    /// Bankruptcy 破产 (from a tag).
    Bankruptcy,
    /// Moved out of the service area 迁出服务区域 (from a tag).
    MovedOut,
    /// Legal prohibition 法律禁止 (from a tag).
    LegalProhibition,
}

/// Which tag means which fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagFact {
    /// Bankruptcy.
    Bankruptcy,
    /// Moved out of the service area.
    MovedOut,
    /// Legal prohibition.
    LegalProhibition,
}

/// Parameters of the relationship review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewParams {
    /// Ratings at or below this one are a credit risk (default B).
    pub credit_floor: CreditRating,
    /// A customer tag containing the text (case-insensitive) states the fact. Defaults:
    /// 破产 / bankrupt, 迁出 / moved out, 法律禁止 / legal prohibition.
    pub tag_rules: Vec<(String, TagFact)>,
}

impl Default for ReviewParams {
    fn default() -> Self {
        ReviewParams {
            credit_floor: CreditRating::B,
            tag_rules: vec![
                ("破产".into(), TagFact::Bankruptcy),
                ("bankrupt".into(), TagFact::Bankruptcy),
                ("迁出".into(), TagFact::MovedOut),
                ("moved out".into(), TagFact::MovedOut),
                ("法律禁止".into(), TagFact::LegalProhibition),
                ("legal prohibition".into(), TagFact::LegalProhibition),
            ],
        }
    }
}

impl ReviewParams {
    /// Checks that no tag rule is empty (it would match every tag).
    pub fn check(&self) -> Result<ValidReviewParams, ValueError> {
        if self.tag_rules.iter().any(|(t, _)| t.trim().is_empty()) {
            return Err(invalid("review.tag_rules", "标签规则不能为空", "a tag rule needs some text"));
        }
        Ok(ValidReviewParams(ReviewParams {
            credit_floor: self.credit_floor,
            tag_rules: self.tag_rules.iter().map(|(t, f)| (t.trim().to_lowercase(), *f)).collect(),
        }))
    }
}

/// [`ReviewParams`] that passed [`ReviewParams::check`] (tag texts lower-cased).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "ReviewParams")]
pub struct ValidReviewParams(ReviewParams);

/// What the review looks at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReviewInput<'a> {
    /// Already terminated (never a candidate again).
    pub terminated: bool,
    /// Gross profit in the period.
    pub profit: f64,
    /// Credit rating.
    pub credit: Option<CreditRating>,
    /// Metric in the current trend window.
    pub current: f64,
    /// Metric in the previous trend window.
    pub previous: f64,
    /// The customer's tags.
    pub tags: &'a [String],
}

/// Every reason to review the relationship (empty: no review needed).
pub fn review_reasons(input: &ReviewInput<'_>, params: &ValidReviewParams) -> Vec<ReviewReason> {
    let mut out = Vec::new();
    if input.terminated {
        return out;
    }
    if input.profit < 0.0 {
        out.push(ReviewReason::Unprofitable { profit: input.profit });
    }
    if let Some(rating) = input.credit {
        if rating >= params.0.credit_floor {
            out.push(ReviewReason::CreditRisk { rating });
        }
    }
    if input.previous > 0.0 && input.current <= 0.0 {
        out.push(ReviewReason::OrdersToZero { previous: input.previous });
    }
    for fact in [TagFact::Bankruptcy, TagFact::MovedOut, TagFact::LegalProhibition] {
        let hit = params.0.tag_rules.iter().filter(|(_, f)| *f == fact).any(|(text, _)| {
            input.tags.iter().any(|t| t.to_lowercase().contains(text.as_str()))
        });
        if hit {
            out.push(match fact {
                TagFact::Bankruptcy => ReviewReason::Bankruptcy,
                TagFact::MovedOut => ReviewReason::MovedOut,
                TagFact::LegalProhibition => ReviewReason::LegalProhibition,
            });
        }
    }
    out
}

impl TryFrom<LifecycleParams> for ValidLifecycleParams {
    type Error = ValueError;
    /// [`LifecycleParams::check`]: the only way to a [`ValidLifecycleParams`], from code or from serde.
    fn try_from(raw: LifecycleParams) -> Result<Self, ValueError> {
        raw.check()
    }
}

impl TryFrom<ReviewParams> for ValidReviewParams {
    type Error = ValueError;
    /// [`ReviewParams::check`]: the only way to a [`ValidReviewParams`], from code or from serde.
    fn try_from(raw: ReviewParams) -> Result<Self, ValueError> {
        raw.check()
    }
}
