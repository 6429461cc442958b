//! The segment evaluation matrix 细分市场评价, target markets 目标市场 and positioning
//! 市场定位 (SPEC §4).
//!
//! Rows are segments, columns the [`Criterion`]s, each scored 1-5 (5 = most attractive;
//! for competitive intensity, 5 = the *least* intense competition). Weights are any
//! non-negative numbers and are normalised to sum to 1. The weighted total of a row is
//! `Σ w_c s_c / Σ w_c` over the criteria the row has a score for (so it stays on the 1-5
//! scale when a score is missing; the missing criteria are listed). Rows are ranked by
//! total, descending, with competition ranking (1, 2, 2, 4); rows without any weighted
//! score are not ranked.
//!
//! Suggested scores come from a [`CrosstabReport`] where a criterion is measurable:
//! | criterion | measure |
//! | --- | --- |
//! | market size 市场规模 | revenue in the period |
//! | substantiality / profitability 可赢利性 | gross profit in the period |
//! | growth 成长性 | growth against the previous period |
//! | competitive intensity 竞争强度 | mean CSI (satisfied customers are harder for competitors to win, so a higher CSI scores higher) |
//!
//! The quintile rule: over the segments that have the measure, take the 20/40/60/80 %
//! quantiles `q1..q4` (type 7, linear interpolation, numpy's default); a segment scores
//! `1 + #{j : value > q_j}`. Equal values score equally, so the rule does not depend on
//! the row order. With fewer than two segments, or when all values are equal, every
//! segment scores 3 (no information). Suggestions never overwrite a score the user
//! entered unless asked to.

use super::attributes::quantile_sorted;
use super::crosstab::CrosstabReport;
use crate::model::Language;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// An invalid evaluation matrix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvaluationError {
    /// A weight is negative or not finite.
    #[error("the weight of {criterion:?} must be a finite number ≥ 0, got {weight}")]
    Weight {
        /// The criterion.
        criterion: Criterion,
        /// The weight given.
        weight: f64,
    },
    /// All weights are 0.
    #[error("at least one criterion needs a positive weight")]
    NoWeight,
    /// A score is outside 1-5.
    #[error("segment {segment:?}, {criterion:?}: scores are 1-5, got {score}")]
    Score {
        /// Segment name.
        segment: String,
        /// The criterion.
        criterion: Criterion,
        /// The score given.
        score: u8,
    },
    /// A segment name is empty or repeats.
    #[error("segment names must be non-empty and unique: {0:?}")]
    SegmentName(String),
}

impl EvaluationError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            EvaluationError::Weight { criterion, weight } => if zh {
                format!("评价标准“{}”的权重必须是不小于 0 的有效数字，当前为 {weight}。", criterion.label(lang))
            } else {
                format!("The weight of the criterion “{}” must be a finite number of 0 or more, got {weight}.", criterion.label(lang))
            },
            EvaluationError::NoWeight => if zh { "至少要有一个评价标准的权重大于 0。".into() } else { "At least one criterion needs a weight above 0.".into() },
            EvaluationError::Score { segment, criterion, score } => if zh {
                format!("细分“{segment}”在“{}”上的评分为 {score}，评分须为 1 到 5。", criterion.label(lang))
            } else {
                format!("The segment “{segment}” scores {score} on “{}”; scores are 1 to 5.", criterion.label(lang))
            },
            EvaluationError::SegmentName(name) => if zh {
                if name.is_empty() { "评价矩阵中有细分没有名称。".into() } else { format!("评价矩阵中的细分名称“{name}”重复了，名称必须唯一。") }
            } else if name.is_empty() {
                "A segment in the evaluation matrix has no name.".into()
            } else {
                format!("The segment name “{name}” appears twice in the evaluation matrix; names must be unique.")
            },
        }
    }
}

/// A criterion of the evaluation matrix (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// 可测量性
    Measurability,
    /// 可赢利性 (substantiality / profitability)
    Substantiality,
    /// 可进入性
    Accessibility,
    /// 可区分性
    Differentiability,
    /// 可行动性
    Actionability,
    /// 市场规模
    MarketSize,
    /// 成长性
    Growth,
    /// 竞争强度 (5 = weakest competition)
    CompetitiveIntensity,
    /// 战略契合度
    StrategicFit,
}

impl Criterion {
    /// All criteria in SPEC order.
    pub const ALL: [Criterion; 9] = [
        Criterion::Measurability,
        Criterion::Substantiality,
        Criterion::Accessibility,
        Criterion::Differentiability,
        Criterion::Actionability,
        Criterion::MarketSize,
        Criterion::Growth,
        Criterion::CompetitiveIntensity,
        Criterion::StrategicFit,
    ];

    /// The label in `lang`.
    pub fn label(self, lang: Language) -> &'static str {
        let (zh, en) = match self {
            Criterion::Measurability => ("可测量性", "Measurability"),
            Criterion::Substantiality => ("可赢利性", "Substantiality / profitability"),
            Criterion::Accessibility => ("可进入性", "Accessibility"),
            Criterion::Differentiability => ("可区分性", "Differentiability"),
            Criterion::Actionability => ("可行动性", "Actionability"),
            Criterion::MarketSize => ("市场规模", "Market size"),
            Criterion::Growth => ("成长性", "Growth"),
            Criterion::CompetitiveIntensity => ("竞争强度", "Competitive intensity"),
            Criterion::StrategicFit => ("战略契合度", "Strategic fit"),
        };
        match lang {
            Language::ZhCn => zh,
            Language::En => en,
        }
    }

    /// Whether the criterion can be suggested from the cross-tab.
    pub fn measurable(self) -> bool {
        matches!(self, Criterion::MarketSize | Criterion::Substantiality | Criterion::Growth | Criterion::CompetitiveIntensity)
    }
}

/// A positioning statement 市场定位 and the marketing-mix (4P) notes of a target segment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Positioning {
    /// Positioning statement.
    pub statement: String,
    /// Product 产品.
    pub product: String,
    /// Price 价格.
    pub price: String,
    /// Place (channels) 渠道.
    pub place: String,
    /// Promotion 促销.
    pub promotion: String,
}

/// One segment's row as the user keeps it (saved in the backup).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvaluationRow {
    /// Segment name (unique in the matrix).
    pub segment: String,
    /// Scores 1-5 per criterion; a criterion without a score is left out.
    pub scores: BTreeMap<Criterion, u8>,
    /// Marked as a target segment.
    pub target: bool,
    /// Positioning and 4P notes (meant for targets, kept for any row).
    pub positioning: Positioning,
}

/// The evaluation matrix as entered: weights and rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvaluationParams {
    /// Weight per criterion (any non-negative numbers; a missing criterion weighs 0).
    pub weights: BTreeMap<Criterion, f64>,
    /// The segments.
    pub rows: Vec<EvaluationRow>,
}

impl Default for EvaluationParams {
    /// Equal weights on all criteria, no rows.
    fn default() -> Self {
        EvaluationParams { weights: Criterion::ALL.iter().map(|c| (*c, 1.0)).collect(), rows: Vec::new() }
    }
}

/// Checked [`EvaluationParams`] with normalised weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "EvaluationParams")]
pub struct ValidEvaluationParams {
    weights: BTreeMap<Criterion, f64>,
    rows: Vec<EvaluationRow>,
}

impl EvaluationParams {
    /// Checks weights (finite, ≥ 0, not all 0), scores (1-5) and segment names
    /// (non-empty, unique), and normalises the weights to sum to 1.
    pub fn check(&self) -> Result<ValidEvaluationParams, EvaluationError> {
        for (&criterion, &weight) in &self.weights {
            if !(weight.is_finite() && weight >= 0.0) {
                return Err(EvaluationError::Weight { criterion, weight });
            }
        }
        let sum: f64 = self.weights.values().sum();
        if sum <= 0.0 || !sum.is_finite() {
            return Err(EvaluationError::NoWeight);
        }
        let mut names = BTreeSet::new();
        for r in &self.rows {
            if r.segment.trim().is_empty() || !names.insert(r.segment.as_str()) {
                return Err(EvaluationError::SegmentName(r.segment.clone()));
            }
            if let Some((&criterion, &score)) = r.scores.iter().find(|(_, s)| !(1..=5).contains(*s)) {
                return Err(EvaluationError::Score { segment: r.segment.clone(), criterion, score });
            }
        }
        let weights = Criterion::ALL.iter().map(|c| (*c, self.weights.get(c).copied().unwrap_or(0.0) / sum)).collect();
        Ok(ValidEvaluationParams { weights, rows: self.rows.clone() })
    }
}

impl ValidEvaluationParams {
    /// Normalised weights (all criteria, summing to 1).
    pub fn weights(&self) -> &BTreeMap<Criterion, f64> {
        &self.weights
    }
}

/// One evaluated row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluatedRow {
    /// Segment name.
    pub segment: String,
    /// Weighted total on the 1-5 scale.
    pub total: Option<f64>,
    /// Rank by total (1 = best; ties share a rank).
    pub rank: Option<usize>,
    /// Criteria with a positive weight but no score.
    pub missing: Vec<Criterion>,
    /// Marked as a target.
    pub target: bool,
}

/// The evaluated matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationReport {
    /// Normalised weights.
    pub weights: BTreeMap<Criterion, f64>,
    /// Rows in the order given.
    pub rows: Vec<EvaluatedRow>,
    /// Names of the target segments, in row order.
    pub targets: Vec<String>,
}

/// Weighted totals, ranks and targets (see the module docs for the rules).
pub fn evaluate(params: &ValidEvaluationParams) -> EvaluationReport {
    let mut rows: Vec<EvaluatedRow> = params
        .rows
        .iter()
        .map(|r| {
            let mut wsum = 0.0;
            let mut total = 0.0;
            let mut missing = Vec::new();
            for (&c, &w) in &params.weights {
                if w <= 0.0 {
                    continue;
                }
                match r.scores.get(&c) {
                    Some(&s) => {
                        wsum += w;
                        total += w * f64::from(s);
                    }
                    None => missing.push(c),
                }
            }
            EvaluatedRow { segment: r.segment.clone(), total: (wsum > 0.0).then(|| total / wsum), rank: None, missing, target: r.target }
        })
        .collect();
    let totals: Vec<f64> = rows.iter().filter_map(|r| r.total).collect();
    for r in &mut rows {
        if let Some(t) = r.total {
            r.rank = Some(1 + totals.iter().filter(|&&o| o > t).count());
        }
    }
    let targets = rows.iter().filter(|r| r.target).map(|r| r.segment.clone()).collect();
    EvaluationReport { weights: params.weights.clone(), rows, targets }
}

/// A score suggested from data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreSuggestion {
    /// Segment name (a cross-tab row).
    pub segment: String,
    /// The criterion.
    pub criterion: Criterion,
    /// Suggested score 1-5.
    pub score: u8,
    /// The measured value it rests on.
    pub value: f64,
}

/// Scores 1-5 by the quintile rule of the module docs; `None` where a value is missing.
pub fn quintile_scores(values: &[Option<f64>]) -> Vec<Option<u8>> {
    let mut present: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    present.sort_unstable_by(f64::total_cmp);
    let flat = present.len() < 2 || present.first() == present.last();
    let q: Vec<f64> = (1..5).map(|j| quantile_sorted(&present, j as f64 / 5.0)).collect();
    values
        .iter()
        .map(|v| {
            let v = (*v).filter(|v| v.is_finite())?;
            Some(if flat { 3 } else { 1 + q.iter().filter(|&&qj| v > qj).count() as u8 })
        })
        .collect()
}

/// Suggested scores for the measurable criteria from the rows of a cross-tab.
pub fn suggest_scores(crosstab: &CrosstabReport) -> Vec<ScoreSuggestion> {
    let measures: [(Criterion, Vec<Option<f64>>); 4] = [
        (Criterion::MarketSize, crosstab.rows.iter().map(|r| Some(r.revenue)).collect()),
        (Criterion::Substantiality, crosstab.rows.iter().map(|r| Some(r.gross_profit)).collect()),
        (Criterion::Growth, crosstab.rows.iter().map(|r| r.growth).collect()),
        (Criterion::CompetitiveIntensity, crosstab.rows.iter().map(|r| r.mean_csi).collect()),
    ];
    let mut out = Vec::new();
    for (criterion, values) in measures {
        for ((row, score), value) in crosstab.rows.iter().zip(quintile_scores(&values)).zip(&values) {
            if let (Some(score), Some(value)) = (score, value) {
                out.push(ScoreSuggestion { segment: row.name.clone(), criterion, score, value: *value });
            }
        }
    }
    out
}

impl EvaluationParams {
    /// Puts suggestions into the matching rows (by segment name), adding rows for segments
    /// not yet in the matrix. A score the user entered is kept unless `overwrite`.
    pub fn apply_suggestions(&mut self, suggestions: &[ScoreSuggestion], overwrite: bool) {
        for s in suggestions {
            let row = match self.rows.iter().position(|r| r.segment == s.segment) {
                Some(i) => &mut self.rows[i],
                None => {
                    self.rows.push(EvaluationRow { segment: s.segment.clone(), ..EvaluationRow::default() });
                    let last = self.rows.len() - 1;
                    &mut self.rows[last]
                }
            };
            if overwrite || !row.scores.contains_key(&s.criterion) {
                row.scores.insert(s.criterion, s.score);
            }
        }
    }
}

/// One offer on the perceptual map: the own offer or a named competitor, placed by the
/// user on the two attributes of the map (any scale, e.g. 1-10).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapOffer {
    /// Name (own brand or competitor).
    pub name: String,
    /// Position on the horizontal attribute.
    pub x: f64,
    /// Position on the vertical attribute.
    pub y: f64,
    /// Whether this is the own offer (drawn highlighted).
    pub own: bool,
}

/// A perceptual map 定位图: two attributes as axes and the offers placed on them, entered by
/// the user (nothing is computed from the data).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PerceptualMap {
    /// Name of the horizontal attribute (e.g. 价格 / price).
    pub x_label: String,
    /// Name of the vertical attribute (e.g. 质量 / quality).
    pub y_label: String,
    /// The offers.
    pub offers: Vec<MapOffer>,
}

/// A perceptual map that can be drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPerceptualMap(PerceptualMap);

/// Why a perceptual map cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MapError {
    /// An offer has no name.
    #[error("offer {0} has no name")]
    NoName(usize),
    /// A position is not a finite number.
    #[error("offer {name:?}: the position must be finite numbers")]
    Position {
        /// The offer.
        name: String,
    },
}

impl MapError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            MapError::NoName(n) => if zh { format!("定位图中的第 {n} 个产品没有名称。") } else { format!("Offer {n} on the perceptual map has no name.") },
            MapError::Position { name } => if zh {
                format!("定位图中“{name}”的位置必须是有效数字。")
            } else {
                format!("The position of “{name}” on the perceptual map must be finite numbers.")
            },
        }
    }
}

impl PerceptualMap {
    /// Checks that every offer has a name and finite coordinates.
    pub fn check(&self) -> Result<ValidPerceptualMap, MapError> {
        for (i, o) in self.offers.iter().enumerate() {
            if o.name.trim().is_empty() {
                return Err(MapError::NoName(i + 1));
            }
            if !(o.x.is_finite() && o.y.is_finite()) {
                return Err(MapError::Position { name: o.name.clone() });
            }
        }
        Ok(ValidPerceptualMap(self.clone()))
    }

    /// The axis ranges to draw: the offers' extent padded by 10 % of its width on each
    /// side (±1 around a single value; 0-10 without offers), as
    /// `((x_min, x_max), (y_min, y_max))`.
    pub fn extent(&self) -> ((f64, f64), (f64, f64)) {
        let pad = |vals: Vec<f64>| {
            let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() || !hi.is_finite() {
                return (0.0, 10.0);
            }
            if hi - lo <= 0.0 {
                return (lo - 1.0, hi + 1.0);
            }
            let span = hi - lo;
            (lo - span * 0.1, hi + span * 0.1)
        };
        (pad(self.offers.iter().map(|o| o.x).filter(|v| v.is_finite()).collect()), pad(self.offers.iter().map(|o| o.y).filter(|v| v.is_finite()).collect()))
    }
}

impl ValidPerceptualMap {
    /// The map.
    pub fn map(&self) -> &PerceptualMap {
        &self.0
    }
}

impl EvaluationParams {
    /// Keeps the matrix in step with the saved segments: a row for every name in `names`
    /// (new rows are empty), rows of segments no longer saved are dropped, and the rows
    /// follow the order of `names`. Scores, targets and notes of kept rows are untouched.
    pub fn sync_rows(&mut self, names: &[String]) {
        let mut old: Vec<EvaluationRow> = std::mem::take(&mut self.rows);
        self.rows = names
            .iter()
            .map(|n| match old.iter().position(|r| &r.segment == n) {
                Some(i) => old.swap_remove(i),
                None => EvaluationRow { segment: n.clone(), ..EvaluationRow::default() },
            })
            .collect();
    }
}

impl TryFrom<EvaluationParams> for ValidEvaluationParams {
    type Error = EvaluationError;
    /// [`EvaluationParams::check`]: the only way to a [`ValidEvaluationParams`], from code or from serde.
    fn try_from(raw: EvaluationParams) -> Result<Self, EvaluationError> {
        raw.check()
    }
}
