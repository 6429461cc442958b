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
    /// Everything else the designer decides: path model, loyalty items, benchmark target,
    /// saved AHP comparisons and the improvement actions of the report.
    #[serde(default)]
    pub design: SurveyDesign,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// The design choices of a survey beyond its indicator tree. Every field has a default,
/// so surveys stored before these existed still read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyDesign {
    /// Structural paths between first-level indicators (ids), for PLS path modelling of
    /// ACSI / CCSI-type surveys; empty when the survey has no path model.
    pub paths: Vec<(String, String)>,
    /// The first-level indicator that is overall satisfaction in the path model (the
    /// target of the derived importance).
    pub satisfaction_node: Option<String>,
    /// Ask the repurchase intention (on the survey's scale).
    pub ask_repurchase: bool,
    /// Ask the 0-10 likelihood to recommend (NPS).
    pub ask_recommend: bool,
    /// Benchmark target CSI 0-100 ("best in the industry"), when the user entered one.
    pub target: Option<f64>,
    /// Saved AHP pairwise comparisons: inner node id → upper triangle of its children's
    /// comparison matrix, row by row (a_12, a_13, …, a_23, …).
    pub ahp: BTreeMap<String, Vec<f64>>,
    /// Improvement actions the user wrote for the report.
    pub actions: String,
    /// First-level indicators whose path-model block is formative (mode B: the questions
    /// form the construct, e.g. an index of service aspects); all others are reflective
    /// (mode A).
    #[serde(default)]
    pub formative: std::collections::BTreeSet<String>,
}

impl Default for SurveyDesign {
    fn default() -> Self {
        Self {
            paths: Vec::new(),
            satisfaction_node: None,
            ask_repurchase: true,
            ask_recommend: true,
            target: None,
            ahp: BTreeMap::new(),
            actions: String::new(),
            formative: Default::default(),
        }
    }
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

    /// The node with `id` in the subtree.
    pub fn find(&self, id: &str) -> Option<&IndicatorNode> {
        if self.id == id {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(id))
    }

    /// The node with `id` in the subtree, to change it.
    pub fn find_mut(&mut self, id: &str) -> Option<&mut IndicatorNode> {
        if self.id == id {
            return Some(self);
        }
        self.children.iter_mut().find_map(|c| c.find_mut(id))
    }

    /// The parent of the node with `id` (`None` for the root or an unknown id).
    pub fn parent_of(&self, id: &str) -> Option<&IndicatorNode> {
        if self.children.iter().any(|c| c.id == id) {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.parent_of(id))
    }

    fn parent_of_mut(&mut self, id: &str) -> Option<&mut IndicatorNode> {
        if self.children.iter().any(|c| c.id == id) {
            return Some(self);
        }
        self.children.iter_mut().find_map(|c| c.parent_of_mut(id))
    }

    /// An id not used in the subtree: `prefix` followed by the smallest free number.
    pub fn fresh_id(&self, prefix: &str) -> String {
        let used: std::collections::BTreeSet<&str> = self.nodes().iter().map(|n| n.id.as_str()).collect();
        (1..).map(|k| format!("{prefix}{k}")).find(|c| !used.contains(c.as_str())).unwrap_or_default()
    }

    /// Adds `child` as the last child of the node `parent`; false when there is no such node.
    pub fn add_child(&mut self, parent: &str, child: IndicatorNode) -> bool {
        match self.find_mut(parent) {
            Some(p) => {
                p.children.push(child);
                true
            }
            None => false,
        }
    }

    /// Removes the node `id` with its subtree (never the root); returns it.
    pub fn remove(&mut self, id: &str) -> Option<IndicatorNode> {
        let p = self.parent_of_mut(id)?;
        let i = p.children.iter().position(|c| c.id == id)?;
        Some(p.children.remove(i))
    }

    /// Moves the node `id` `delta` places among its siblings (clamped); false when it did
    /// not move.
    pub fn move_by(&mut self, id: &str, delta: isize) -> bool {
        let Some(p) = self.parent_of_mut(id) else { return false };
        let Some(i) = p.children.iter().position(|c| c.id == id) else { return false };
        let j = (i as isize + delta).clamp(0, p.children.len() as isize - 1) as usize;
        if i == j {
            return false;
        }
        let node = p.children.remove(i);
        p.children.insert(j, node);
        true
    }

    /// Moves the node `id` to the place of its sibling `target` (dragging a node onto
    /// another of the same level: up when it came from below, down when from above);
    /// false when the two are not siblings or are the same node.
    pub fn move_to_sibling(&mut self, id: &str, target: &str) -> bool {
        if id == target {
            return false;
        }
        let Some(p) = self.parent_of_mut(id) else { return false };
        let Some(i) = p.children.iter().position(|c| c.id == id) else { return false };
        let Some(j) = p.children.iter().position(|c| c.id == target) else { return false };
        let node = p.children.remove(i);
        p.children.insert(j, node);
        true
    }

    /// Sum of the weights of the children.
    pub fn children_weight_sum(&self) -> f64 {
        self.children.iter().map(|c| c.weight).sum()
    }

    /// Whether the children's weights sum to 1 (within 1e-6); true for a leaf.
    pub fn children_weights_sum_to_one(&self) -> bool {
        self.children.is_empty() || (self.children_weight_sum() - 1.0).abs() <= 1e-6
    }

    /// Divides the children's weights by their sum, so they sum to 1; false (and nothing
    /// changed) when the sum is not positive or a weight is negative or not finite.
    pub fn normalise_children(&mut self) -> bool {
        let s = self.children_weight_sum();
        if !(s > 0.0 && s.is_finite()) || self.children.iter().any(|c| !(c.weight >= 0.0)) {
            return false;
        }
        self.children.iter_mut().for_each(|c| c.weight /= s);
        true
    }

    /// Depth-first (node, depth) pairs of the subtree, the root at depth 0.
    pub fn with_depth(&self) -> Vec<(&IndicatorNode, usize)> {
        let mut out = Vec::new();
        fn walk<'a>(n: &'a IndicatorNode, d: usize, out: &mut Vec<(&'a IndicatorNode, usize)>) {
            out.push((n, d));
            n.children.iter().for_each(|c| walk(c, d + 1, out));
        }
        walk(self, 0, &mut out);
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
