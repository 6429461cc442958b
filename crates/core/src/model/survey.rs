//! Surveys 满意度调查 and their responses (SPEC §2, §5).
//!
//! A survey is an indicator tree: inner nodes group indicators, leaves are the questions
//! answered on the survey's [`Scale`]. Weights are stored as entered; analyses normalise
//! them per level. Answers are stored raw (on the survey's scale); mapping onto 0-100 is
//! the analysis' job, so a changed mapping never rewrites stored data.

use super::{Date, Id, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A satisfaction survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    /// Unique id.
    pub id: Id,
    /// Name, e.g. "2025年度天然气供应顾客满意度调查".
    pub name: String,
    /// Answer scale of every leaf.
    #[serde(default)]
    pub scale: Scale,
    /// The indicator tree; its root is the overall satisfaction (CSI).
    pub root: IndicatorNode,
    /// Named competitors whose offer respondents may also rate on the same items.
    #[serde(default)]
    pub competitors: Vec<String>,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// Answer scale of a survey.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// 5-level Likert 满意 (5) … 不满意 (1), mapped to 100/80/60/40/20.
    #[default]
    Likert5,
    /// 1-10, mapped linearly onto 0-100.
    OneToTen,
    /// 0-10, mapped linearly onto 0-100.
    ZeroToTen,
}

impl Scale {
    /// Smallest and largest raw answer.
    pub fn range(self) -> (f64, f64) {
        match self {
            Scale::Likert5 => (1.0, 5.0),
            Scale::OneToTen => (1.0, 10.0),
            Scale::ZeroToTen => (0.0, 10.0),
        }
    }
}

/// A node of the indicator tree. A node without children is a question (leaf).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorNode {
    /// Id, unique within the survey; answers refer to leaves by it.
    pub id: String,
    /// Label, e.g. 供气质量.
    pub label: String,
    /// Weight among its siblings (normalised per level by the analyses).
    #[serde(default = "one")]
    pub weight: f64,
    /// Children; empty for a leaf.
    #[serde(default)]
    pub children: Vec<IndicatorNode>,
}

fn one() -> f64 {
    1.0
}

impl IndicatorNode {
    /// Leaves of the subtree, depth first.
    pub fn leaves(&self) -> Vec<&IndicatorNode> {
        let mut out = Vec::new();
        fn walk<'a>(n: &'a IndicatorNode, out: &mut Vec<&'a IndicatorNode>) {
            if n.children.is_empty() {
                out.push(n);
            } else {
                n.children.iter().for_each(|c| walk(c, out));
            }
        }
        walk(self, &mut out);
        out
    }

    /// All nodes of the subtree, depth first, the root first.
    pub fn nodes(&self) -> Vec<&IndicatorNode> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.nodes());
        }
        out
    }
}

/// One respondent's answers to a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    /// Unique id.
    pub id: Id,
    /// The survey answered.
    pub survey_id: Id,
    /// The responding customer, or `None` for an anonymous respondent.
    #[serde(default)]
    pub customer_id: Option<Id>,
    /// Segment attributes of an anonymous respondent (key → value code).
    #[serde(default)]
    pub segment: BTreeMap<String, String>,
    /// Date answered.
    pub date: Date,
    /// Survey period, e.g. "2025H1" or "2025".
    #[serde(default)]
    pub period: String,
    /// Leaf id → raw answer on the survey's scale. A missing key is "not answered";
    /// `None` is "not applicable".
    #[serde(default)]
    pub answers: BTreeMap<String, Option<f64>>,
    /// Competitor name → (leaf id → raw answer) for competitor ratings.
    #[serde(default)]
    pub competitor_answers: BTreeMap<String, BTreeMap<String, f64>>,
    /// Repurchase intention on the survey's scale.
    #[serde(default)]
    pub repurchase: Option<f64>,
    /// Likelihood to recommend, 0-10 (NPS).
    #[serde(default)]
    pub recommend: Option<u8>,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}
