//! The customer value matrix 客户价值矩阵 and the relationship-type matrix 关系类型
//! (SPEC §3.4).
//!
//! - Value matrix: current value (the metric in the period) × potential value (predicted
//!   CLV, or growth). Each axis is split at a configurable percentile of its values (default
//!   the median, percentiles by linear interpolation, [`super::percentile`]); a customer is
//!   *high* on an axis when its value is **strictly above** the split, so ties at the split
//!   (and an axis on which everybody is equal) count as low.
//! - Relationship matrix: common interest 共同利益 × relationship value 关系价值, both scored
//!   1-5 per customer by the user; a score is *high* from `high_from` (default 4) up.

use super::{invalid, percentile, ValueError};
use crate::model::RelationshipScores;
use serde::{Deserialize, Serialize};

/// Quadrant of the value matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueQuadrant {
    /// 金牌顾客: high current, high potential (first target market, partnership,
    /// one-to-one marketing, resources first).
    Gold,
    /// 明星顾客: low current, high potential (second target, actively develop loyalty).
    Star,
    /// 问题顾客: high current, low potential (keep a responsible, normal relationship).
    Problem,
    /// 瘦狗顾客: low, low (minimal response on request only).
    Dog,
}

impl ValueQuadrant {
    /// All quadrants.
    pub const ALL: [ValueQuadrant; 4] = [ValueQuadrant::Gold, ValueQuadrant::Star, ValueQuadrant::Problem, ValueQuadrant::Dog];

    /// Stable code (`gold`, `star`, `problem`, `dog`).
    pub fn code(self) -> &'static str {
        match self {
            ValueQuadrant::Gold => "gold",
            ValueQuadrant::Star => "star",
            ValueQuadrant::Problem => "problem",
            ValueQuadrant::Dog => "dog",
        }
    }

    /// The quadrant of a (current high?, potential high?) pair.
    pub fn of(current_high: bool, potential_high: bool) -> Self {
        match (current_high, potential_high) {
            (true, true) => ValueQuadrant::Gold,
            (false, true) => ValueQuadrant::Star,
            (true, false) => ValueQuadrant::Problem,
            (false, false) => ValueQuadrant::Dog,
        }
    }
}

/// Parameters of the value matrix.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ValueMatrixParams {
    /// Percentile (0-1) of current value where the axis is split (default 0.5).
    pub current_split: f64,
    /// Percentile (0-1) of potential value where the axis is split (default 0.5).
    pub potential_split: f64,
}

impl Default for ValueMatrixParams {
    fn default() -> Self {
        ValueMatrixParams { current_split: 0.5, potential_split: 0.5 }
    }
}

impl ValueMatrixParams {
    /// Checks both percentiles are within 0-1.
    pub fn check(&self) -> Result<ValidValueMatrixParams, ValueError> {
        for (name, v) in [("matrix.current_split", self.current_split), ("matrix.potential_split", self.potential_split)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(invalid(name, format!("须为 0 到 1 之间的百分位，当前为 {v}"), format!("must be a percentile between 0 and 1, got {v}")));
            }
        }
        Ok(ValidValueMatrixParams(*self))
    }
}

/// [`ValueMatrixParams`] that passed [`ValueMatrixParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "ValueMatrixParams")]
pub struct ValidValueMatrixParams(ValueMatrixParams);

/// Result of [`value_matrix`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueMatrixReport {
    /// Parameters used.
    pub params: ValueMatrixParams,
    /// Split value on the current axis (`None` when there are no customers).
    pub current_threshold: Option<f64>,
    /// Split value on the potential axis.
    pub potential_threshold: Option<f64>,
    /// Quadrant per customer, aligned with the input.
    pub quadrant: Vec<ValueQuadrant>,
    /// Customers per quadrant in [`ValueQuadrant::ALL`] order.
    pub counts: [usize; 4],
}

/// Places each customer (`current[i]`, `potential[i]`) in a quadrant.
pub fn value_matrix(current: &[f64], potential: &[f64], params: &ValidValueMatrixParams) -> Result<ValueMatrixReport, ValueError> {
    if current.len() != potential.len() {
        return Err(ValueError::LengthMismatch { what: "current and potential value".into(), left: current.len(), right: potential.len() });
    }
    if current.iter().chain(potential).any(|v| !v.is_finite()) {
        return Err(invalid("value", "当前价值和潜在价值都必须是有效数字", "current and potential values must be finite numbers"));
    }
    let ct = percentile(current, params.0.current_split);
    let pt = percentile(potential, params.0.potential_split);
    let mut counts = [0; 4];
    let quadrant = current
        .iter()
        .zip(potential)
        .map(|(c, p)| {
            let q = ValueQuadrant::of(ct.is_some_and(|t| *c > t), pt.is_some_and(|t| *p > t));
            counts[q as usize] += 1;
            q
        })
        .collect();
    Ok(ValueMatrixReport { params: params.0, current_threshold: ct, potential_threshold: pt, quadrant, counts })
}

/// Relationship type 关系类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipType {
    /// 战略伙伴: high common interest, high relationship value.
    StrategicPartner,
    /// 普通朋友: high common interest, low relationship value.
    OrdinaryFriend,
    /// 竞争对手关系: low common interest, high relationship value.
    Competitor,
    /// 交易关系: low, low.
    Transactional,
}

impl RelationshipType {
    /// All types.
    pub const ALL: [RelationshipType; 4] =
        [RelationshipType::StrategicPartner, RelationshipType::OrdinaryFriend, RelationshipType::Competitor, RelationshipType::Transactional];
}

/// Parameters of the relationship matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipParams {
    /// A score is high from this value up (1-5, default 4).
    pub high_from: u8,
}

impl Default for RelationshipParams {
    fn default() -> Self {
        RelationshipParams { high_from: 4 }
    }
}

impl RelationshipParams {
    /// Checks `high_from` is 2-5 (1 would make every score high).
    pub fn check(&self) -> Result<ValidRelationshipParams, ValueError> {
        if !(2..=5).contains(&self.high_from) {
            return Err(invalid("relationship.high_from", format!("须为 2 到 5，当前为 {}", self.high_from), format!("must be 2 to 5, got {}", self.high_from)));
        }
        Ok(ValidRelationshipParams(*self))
    }
}

/// [`RelationshipParams`] that passed [`RelationshipParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "RelationshipParams")]
pub struct ValidRelationshipParams(RelationshipParams);

/// The relationship type of a customer's scores; `None` without scores or with a score
/// outside 1-5.
pub fn relationship_type(scores: Option<&RelationshipScores>, params: &ValidRelationshipParams) -> Option<RelationshipType> {
    let s = scores?;
    if !(1..=5).contains(&s.common_interest) || !(1..=5).contains(&s.relationship_value) {
        return None;
    }
    let hi = params.0.high_from;
    Some(match (s.common_interest >= hi, s.relationship_value >= hi) {
        (true, true) => RelationshipType::StrategicPartner,
        (true, false) => RelationshipType::OrdinaryFriend,
        (false, true) => RelationshipType::Competitor,
        (false, false) => RelationshipType::Transactional,
    })
}

/// One cell of the relationship matrix: customers with these two scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationshipCell {
    /// Common-interest score 1-5.
    pub common_interest: u8,
    /// Relationship-value score 1-5.
    pub relationship_value: u8,
    /// Its type under the parameters.
    pub kind: RelationshipType,
    /// Positions (in the input order) of the customers in the cell.
    pub customers: Vec<usize>,
    /// Their revenue in total.
    pub revenue: f64,
}

/// The relationship matrix (SPEC §3.4): customers by their two scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationshipReport {
    /// The parameters.
    pub params: RelationshipParams,
    /// Customers per type, in the order of [`RelationshipType::ALL`].
    pub counts: [usize; 4],
    /// Revenue per type, same order.
    pub revenue: [f64; 4],
    /// The non-empty cells, by common interest then relationship value.
    pub cells: Vec<RelationshipCell>,
    /// Customers without (valid) scores.
    pub unscored: usize,
}

/// Places every customer with valid scores in its cell and type; `revenue[i]` belongs to
/// `scores[i]`.
pub fn relationship_matrix(
    scores: &[Option<&RelationshipScores>],
    revenue: &[f64],
    params: &ValidRelationshipParams,
) -> Result<RelationshipReport, ValueError> {
    if scores.len() != revenue.len() {
        return Err(ValueError::LengthMismatch { what: "relationship scores and revenue".into(), left: scores.len(), right: revenue.len() });
    }
    let mut grid: Vec<Vec<(Vec<usize>, f64)>> = vec![vec![(Vec::new(), 0.0); 5]; 5];
    let mut counts = [0; 4];
    let mut by_type = [0.0; 4];
    let mut unscored = 0;
    for (i, s) in scores.iter().enumerate() {
        match relationship_type(*s, params) {
            Some(kind) => {
                let s = s.expect("typed scores exist");
                let cell = &mut grid[usize::from(s.common_interest - 1)][usize::from(s.relationship_value - 1)];
                cell.0.push(i);
                cell.1 += revenue[i];
                let k = RelationshipType::ALL.iter().position(|t| *t == kind).expect("listed");
                counts[k] += 1;
                by_type[k] += revenue[i];
            }
            None => unscored += 1,
        }
    }
    let mut cells = Vec::new();
    for (ci, row) in grid.into_iter().enumerate() {
        for (rv, (customers, rev)) in row.into_iter().enumerate() {
            if customers.is_empty() {
                continue;
            }
            let s = RelationshipScores { common_interest: ci as u8 + 1, relationship_value: rv as u8 + 1 };
            let kind = relationship_type(Some(&s), params).expect("valid scores");
            cells.push(RelationshipCell { common_interest: s.common_interest, relationship_value: s.relationship_value, kind, customers, revenue: rev });
        }
    }
    Ok(RelationshipReport { params: params.0, counts, revenue: by_type, cells, unscored })
}

impl TryFrom<ValueMatrixParams> for ValidValueMatrixParams {
    type Error = ValueError;
    /// [`ValueMatrixParams::check`]: the only way to a [`ValidValueMatrixParams`], from code or from serde.
    fn try_from(raw: ValueMatrixParams) -> Result<Self, ValueError> {
        raw.check()
    }
}

impl TryFrom<RelationshipParams> for ValidRelationshipParams {
    type Error = ValueError;
    /// [`RelationshipParams::check`]: the only way to a [`ValidRelationshipParams`], from code or from serde.
    fn try_from(raw: RelationshipParams) -> Result<Self, ValueError> {
        raw.check()
    }
}
