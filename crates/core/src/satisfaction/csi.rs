//! Weighted-average CSI 加权平均法 over an indicator tree of any depth (SPEC §5).
//!
//! - Leaf score = mean of the 0-100 scores of the respondents who answered the leaf.
//!   Missing and "not applicable" answers are excluded, never counted as zero.
//! - Node score = Σ ŵ_c · score_c over its children, where ŵ are the children's weights
//!   normalised to sum 1. When a child has no answers at all, the weights of the others
//!   are renormalised to sum 1 and the node is flagged ([`CsiFlag::Renormalised`]).
//!   CSI = root score.
//! - Satisfaction rate 顾客满意率: at a leaf, respondents answering in the top two levels /
//!   respondents who answered × 100. At a node it is aggregated exactly like the score
//!   (weighted average of the children's rates with the same renormalisation).
//! - n of a node = respondents who answered at least one leaf below it.
//! - Confidence interval: **percentile bootstrap over respondents** (Efron & Tibshirani
//!   1993, ch. 13): each resample draws n respondents with replacement and recomputes every
//!   node by the rules above; the interval is the (α/2, 1 − α/2) quantiles of the resampled
//!   scores. Seeded (ChaCha8), so the same data and seed give the same interval. The
//!   bootstrap needs no formula for the correlation between leaves or for the
//!   renormalisation, which a delta-method variance would.

use super::quantile_sorted;
use super::scale::{self, Answer, ScaleError};
use crate::model::{IndicatorNode, Scale, Survey, SurveyResponse};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use crate::model::Language;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The rule for missing answers, stated on every output (SPEC §5).
pub const MISSING_RULE_ZH: &str = "缺失和“不适用”的回答不计入均值（不按0分计）；某子指标无人回答时，其余子指标的权重重新归一化并标注。";
/// The rule for missing answers, in English.
pub const MISSING_RULE_EN: &str = "Missing and not-applicable answers are excluded from the means (never counted as zero); \
     when a child indicator has no answers, the remaining weights are renormalised and this is flagged.";

/// Why the CSI could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CsiError {
    /// Two nodes of the tree share an id.
    #[error("indicator id {0:?} appears twice in the tree")]
    DuplicateId(String),
    /// A weight is negative or not finite.
    #[error("indicator {id:?} has an invalid weight {weight}")]
    BadWeight {
        /// Node id.
        id: String,
        /// The weight.
        weight: f64,
    },
    /// All children of a node have weight 0.
    #[error("the children of {0:?} all have weight 0")]
    ZeroWeights(String),
    /// A leaf of the tree has no column of answers.
    #[error("indicator {0:?} has no column of answers")]
    LeafWithoutAnswers(String),
    /// Nobody answered any question.
    #[error("no respondent answered any question")]
    NoAnswers,
    /// The confidence level is not in (0, 1).
    #[error("confidence level {0} is not between 0 and 1")]
    BadConfidence(f64),
    /// Too few bootstrap resamples for an interval.
    #[error("{0} bootstrap resamples are too few (use 0 for none, or at least 100)")]
    TooFewResamples(usize),
}

impl CsiError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            CsiError::DuplicateId(id) => if zh { format!("指标体系中的指标编号“{id}”重复了。") } else { format!("The indicator id “{id}” appears twice in the indicator tree.") },
            CsiError::BadWeight { id, weight } => if zh {
                format!("指标“{id}”的权重 {weight} 无效，须为不小于 0 的有效数字。")
            } else {
                format!("The indicator “{id}” has an invalid weight {weight}; it must be a finite number of 0 or more.")
            },
            CsiError::ZeroWeights(id) => if zh { format!("指标“{id}”的下级指标权重全为 0。") } else { format!("The sub-indicators of “{id}” all have weight 0.") },
            CsiError::LeafWithoutAnswers(id) => if zh { format!("指标“{id}”没有对应的答题数据。") } else { format!("The indicator “{id}” has no column of answers.") },
            CsiError::NoAnswers => if zh { "没有任何受访者回答过任何题目。".into() } else { "No respondent answered any question.".into() },
            CsiError::BadConfidence(c) => if zh { format!("置信水平 {c} 不在 0 到 1 之间。") } else { format!("The confidence level {c} is not between 0 and 1.") },
            CsiError::TooFewResamples(n) => if zh {
                format!("自助抽样 {n} 次太少：不需要区间请填 0，否则至少 100 次。")
            } else {
                format!("{n} bootstrap resamples are too few: use 0 for no interval, or at least 100.")
            },
        }
    }
}

/// A 0-100 score with its top-two flag.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoredAnswer {
    /// The answer on 0-100.
    pub score: f64,
    /// In the top two levels of its scale.
    pub top_two: bool,
}

/// A raw answer that could not be used (it is treated as missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerIssue {
    /// Row (respondent) index, 0-based.
    pub row: usize,
    /// Leaf id.
    pub leaf: String,
    /// What is wrong.
    pub reason: String,
}

/// The answers of all respondents mapped onto 0-100, one column per leaf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredItems {
    leaf_ids: Vec<String>,
    rows: Vec<Vec<Option<ScoredAnswer>>>,
    not_applicable: Vec<usize>,
}

impl ScoredItems {
    /// Maps raw answers: `leaves` gives each column's leaf id and scale, `rows` one
    /// respondent each (`rows[r][c]` belongs to `leaves[c]`; short rows count as missing).
    /// Answers off their scale are returned as issues and treated as missing.
    pub fn from_answers(leaves: &[(String, Scale)], rows: &[Vec<Answer>]) -> (Self, Vec<AnswerIssue>) {
        let mut issues = Vec::new();
        let mut not_applicable = vec![0; leaves.len()];
        let mut out = Vec::with_capacity(rows.len());
        for (r, row) in rows.iter().enumerate() {
            let mut scored = Vec::with_capacity(leaves.len());
            for (c, (leaf, sc)) in leaves.iter().enumerate() {
                let cell = match row.get(c).copied().unwrap_or(Answer::Missing) {
                    Answer::Missing => None,
                    Answer::NotApplicable => {
                        not_applicable[c] += 1;
                        None
                    }
                    Answer::Raw(raw) => match scale::to_score(*sc, raw) {
                        Ok(score) => Some(ScoredAnswer { score, top_two: scale::is_top_two(*sc, raw) }),
                        Err(e) => {
                            issues.push(AnswerIssue { row: r, leaf: leaf.clone(), reason: e.to_string() });
                            None
                        }
                    },
                };
                scored.push(cell);
            }
            out.push(scored);
        }
        (Self { leaf_ids: leaves.iter().map(|(l, _)| l.clone()).collect(), rows: out, not_applicable }, issues)
    }

    /// Maps the stored responses of a survey (every leaf on the survey's scale). A leaf
    /// without a key in `answers` is missing, `None` is "not applicable".
    pub fn from_responses(survey: &Survey, responses: &[SurveyResponse]) -> (Self, Vec<AnswerIssue>) {
        let leaves: Vec<(String, Scale)> = survey.root.leaves().iter().map(|l| (l.id.clone(), survey.scale)).collect();
        let rows: Vec<Vec<Answer>> = responses
            .iter()
            .map(|resp| {
                leaves
                    .iter()
                    .map(|(id, _)| match resp.answers.get(id) {
                        None => Answer::Missing,
                        Some(None) => Answer::NotApplicable,
                        Some(Some(v)) => Answer::Raw(*v),
                    })
                    .collect()
            })
            .collect();
        Self::from_answers(&leaves, &rows)
    }

    /// Builds directly from 0-100 scores (e.g. for tests); scores outside 0-100 are issues.
    pub fn from_scores(leaf_ids: Vec<String>, rows: Vec<Vec<Option<ScoredAnswer>>>) -> Result<Self, ScaleError> {
        for row in &rows {
            for a in row.iter().flatten() {
                if !a.score.is_finite() {
                    return Err(ScaleError::NotFinite);
                }
                if !(0.0..=100.0).contains(&a.score) {
                    return Err(ScaleError::OutOfRange { value: a.score, min: 0.0, max: 100.0 });
                }
            }
        }
        let n = leaf_ids.len();
        let rows = rows.into_iter().map(|mut r| {
            r.resize(n, None);
            r
        });
        Ok(Self { leaf_ids, rows: rows.collect(), not_applicable: vec![0; n] })
    }

    /// Leaf ids (columns).
    pub fn leaf_ids(&self) -> &[String] {
        &self.leaf_ids
    }

    /// Number of respondents.
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// The scored answers, one row per respondent.
    pub fn rows(&self) -> &[Vec<Option<ScoredAnswer>>] {
        &self.rows
    }
}

/// Parameters of [`csi`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CsiParams {
    /// Bootstrap resamples for the confidence intervals; 0 for none.
    pub resamples: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Confidence level, e.g. 0.95.
    pub confidence: f64,
}

impl Default for CsiParams {
    fn default() -> Self {
        Self { resamples: 1000, seed: 20_240_601, confidence: 0.95 }
    }
}

/// [`CsiParams`] that passed [`CsiParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidCsiParams(CsiParams);

impl CsiParams {
    /// Checks the confidence level (0 < c < 1) and the number of resamples (0 or ≥ 100).
    pub fn check(self) -> Result<ValidCsiParams, CsiError> {
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(CsiError::BadConfidence(self.confidence));
        }
        if self.resamples != 0 && self.resamples < 100 {
            return Err(CsiError::TooFewResamples(self.resamples));
        }
        Ok(ValidCsiParams(self))
    }
}

/// A note on the computation that the output must show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CsiFlag {
    /// Children of `node` without any answers were left out and the other weights
    /// renormalised.
    Renormalised {
        /// The node whose weights were renormalised.
        node: String,
        /// The children left out.
        missing_children: Vec<String>,
    },
    /// The entered weights of the children of `node` sum to `sum`, not 1; they were
    /// normalised.
    WeightsNotNormalised {
        /// The node.
        node: String,
        /// Sum of the entered weights.
        sum: f64,
    },
    /// Nobody answered anything below `node`; it has no score.
    NoAnswers {
        /// The node.
        node: String,
    },
}

/// The result of one node of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsiNodeReport {
    /// Node id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Depth (root 0).
    pub depth: usize,
    /// Parent id (`None` for the root).
    pub parent: Option<String>,
    /// A question (leaf).
    pub is_leaf: bool,
    /// The weight as entered.
    pub weight: f64,
    /// The weight normalised among its siblings (1 for the root).
    pub normalised_weight: f64,
    /// Product of the normalised weights from the root down: the node's share of the CSI.
    pub global_weight: f64,
    /// Score 0-100; `None` when nobody answered below it.
    pub score: Option<f64>,
    /// Satisfaction rate (top two box) in %, aggregated like the score.
    pub satisfaction_rate: Option<f64>,
    /// Respondents who answered at least one question below it.
    pub n: usize,
    /// "Not applicable" answers (leaves only; 0 for inner nodes).
    pub not_applicable: usize,
    /// Lower end of the bootstrap confidence interval of the score.
    pub ci_low: Option<f64>,
    /// Upper end of the bootstrap confidence interval of the score.
    pub ci_high: Option<f64>,
}

/// How the confidence intervals were computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum IntervalMethod {
    /// No interval.
    None,
    /// Percentile bootstrap over respondents.
    Bootstrap {
        /// Resamples.
        resamples: usize,
        /// Seed.
        seed: u64,
        /// Confidence level.
        confidence: f64,
    },
}

/// The weighted-average CSI of a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsiReport {
    /// CSI = the root's score, 0-100.
    pub csi: f64,
    /// Satisfaction rate of the root, %.
    pub satisfaction_rate: f64,
    /// Respondents (rows), answered or not.
    pub respondents: usize,
    /// Every node, depth first, the root first.
    pub nodes: Vec<CsiNodeReport>,
    /// Renormalisations and other notes to show.
    pub flags: Vec<CsiFlag>,
    /// How the intervals were computed.
    pub interval: IntervalMethod,
}

impl CsiReport {
    /// The node with the given id.
    pub fn node(&self, id: &str) -> Option<&CsiNodeReport> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// The tree flattened depth first, checked.
struct Flat {
    ids: Vec<String>,
    labels: Vec<String>,
    depth: Vec<usize>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    weight: Vec<f64>,
    /// Normalised among siblings (before any renormalisation for missing answers).
    norm: Vec<f64>,
    /// Column in the items for leaves.
    column: Vec<Option<usize>>,
    /// Columns of the leaves below each node.
    leaf_cols: Vec<Vec<usize>>,
}

fn flatten(root: &IndicatorNode, items: &ScoredItems, flags: &mut Vec<CsiFlag>) -> Result<Flat, CsiError> {
    let mut f = Flat {
        ids: vec![],
        labels: vec![],
        depth: vec![],
        parent: vec![],
        children: vec![],
        weight: vec![],
        norm: vec![],
        column: vec![],
        leaf_cols: vec![],
    };
    let mut seen = BTreeSet::new();
    // An explicit stack instead of recursion: a tree from user input may be deep.
    let mut stack: Vec<(&IndicatorNode, Option<usize>, usize)> = vec![(root, None, 0)];
    while let Some((node, parent, depth)) = stack.pop() {
        if !seen.insert(node.id.as_str()) {
            return Err(CsiError::DuplicateId(node.id.clone()));
        }
        if !(node.weight.is_finite() && node.weight >= 0.0) {
            return Err(CsiError::BadWeight { id: node.id.clone(), weight: node.weight });
        }
        let i = f.ids.len();
        f.ids.push(node.id.clone());
        f.labels.push(node.label.clone());
        f.depth.push(depth);
        f.parent.push(parent);
        f.children.push(vec![]);
        f.weight.push(node.weight);
        f.norm.push(1.0);
        f.leaf_cols.push(vec![]);
        if let Some(p) = parent {
            f.children[p].push(i);
        }
        if node.children.is_empty() {
            let col = items.leaf_ids.iter().position(|l| *l == node.id).ok_or_else(|| CsiError::LeafWithoutAnswers(node.id.clone()))?;
            f.column.push(Some(col));
        } else {
            f.column.push(None);
            for c in node.children.iter().rev() {
                stack.push((c, Some(i), depth + 1));
            }
        }
    }
    // Leaf columns per node and sibling normalisation, bottom-up (children come after
    // their parent in depth-first order).
    for i in (0..f.ids.len()).rev() {
        if let Some(c) = f.column[i] {
            f.leaf_cols[i].push(c);
        }
        let kids = f.children[i].clone();
        if kids.is_empty() {
            continue;
        }
        let sum: f64 = kids.iter().map(|&k| f.weight[k]).sum();
        if sum <= 0.0 {
            return Err(CsiError::ZeroWeights(f.ids[i].clone()));
        }
        if (sum - 1.0).abs() > 1e-9 {
            flags.push(CsiFlag::WeightsNotNormalised { node: f.ids[i].clone(), sum });
        }
        let mut cols = Vec::new();
        for &k in &kids {
            f.norm[k] = f.weight[k] / sum;
            cols.extend_from_slice(&f.leaf_cols[k]);
        }
        f.leaf_cols[i] = cols;
    }
    Ok(f)
}

/// Per-leaf sums for one (re)sample.
#[derive(Clone)]
struct LeafSums {
    sum: Vec<f64>,
    count: Vec<f64>,
    top: Vec<f64>,
}

impl LeafSums {
    fn new(k: usize) -> Self {
        Self { sum: vec![0.0; k], count: vec![0.0; k], top: vec![0.0; k] }
    }
    fn add(&mut self, row: &[Option<ScoredAnswer>], times: f64) {
        for (c, a) in row.iter().enumerate() {
            if let Some(a) = a {
                self.sum[c] += times * a.score;
                self.count[c] += times;
                if a.top_two {
                    self.top[c] += times;
                }
            }
        }
    }
}

/// Evaluates every node bottom-up: (score, rate) per node, `None` without answers; the
/// renormalised nodes are pushed to `renormalised` when given.
fn evaluate(f: &Flat, s: &LeafSums, mut renormalised: Option<&mut Vec<(usize, Vec<usize>)>>) -> Vec<Option<(f64, f64)>> {
    let mut out = vec![None; f.ids.len()];
    for i in (0..f.ids.len()).rev() {
        if let Some(c) = f.column[i] {
            if s.count[c] > 0.0 {
                out[i] = Some((s.sum[c] / s.count[c], 100.0 * s.top[c] / s.count[c]));
            }
            continue;
        }
        let kids = &f.children[i];
        let (mut ws, mut sc, mut rt) = (0.0, 0.0, 0.0);
        let mut missing = vec![];
        for &k in kids {
            match out[k] {
                Some((score, rate)) => {
                    ws += f.norm[k];
                    sc += f.norm[k] * score;
                    rt += f.norm[k] * rate;
                }
                None => missing.push(k),
            }
        }
        // A child of weight 0 without answers changes nothing: renormalise only when the
        // answered children carry weight and some weighted child is missing.
        if ws > 0.0 {
            out[i] = Some((sc / ws, rt / ws));
            let weighted_missing: Vec<usize> = missing.into_iter().filter(|&k| f.norm[k] > 0.0).collect();
            if !weighted_missing.is_empty() {
                if let Some(r) = renormalised.as_deref_mut() {
                    r.push((i, weighted_missing));
                }
            }
        }
    }
    out
}

/// Weighted-average CSI of `tree` on the scored answers (rules in the module docs).
///
/// The leaves of `tree` must be columns of `items` (by id); other columns are ignored.
pub fn csi(tree: &IndicatorNode, items: &ScoredItems, params: &ValidCsiParams) -> Result<CsiReport, CsiError> {
    let p = params.0;
    let mut flags = Vec::new();
    let f = flatten(tree, items, &mut flags)?;
    let k = items.leaf_ids.len();
    let mut sums = LeafSums::new(k);
    let mut na = vec![0usize; k];
    for row in &items.rows {
        sums.add(row, 1.0);
    }
    for (c, v) in items.not_applicable.iter().enumerate() {
        na[c] = *v;
    }
    let mut renorm = Vec::new();
    let point = evaluate(&f, &sums, Some(&mut renorm));
    let Some((csi, rate)) = point[0] else {
        return Err(CsiError::NoAnswers);
    };
    for (node, kids) in renorm {
        flags.push(CsiFlag::Renormalised { node: f.ids[node].clone(), missing_children: kids.iter().map(|&c| f.ids[c].clone()).collect() });
    }
    for (i, v) in point.iter().enumerate() {
        if v.is_none() {
            flags.push(CsiFlag::NoAnswers { node: f.ids[i].clone() });
        }
    }

    // n per node: respondents with at least one answer below it.
    let n_node: Vec<usize> = f
        .leaf_cols
        .iter()
        .map(|cols| items.rows.iter().filter(|r| cols.iter().any(|&c| r.get(c).is_some_and(|a| a.is_some()))).count())
        .collect();

    // Percentile bootstrap over respondents.
    let mut ci: Vec<Option<(f64, f64)>> = vec![None; f.ids.len()];
    let interval = if p.resamples > 0 && !items.rows.is_empty() {
        let n = items.rows.len();
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(p.resamples); f.ids.len()];
        let mut times = vec![0u32; n];
        for _ in 0..p.resamples {
            times.iter_mut().for_each(|t| *t = 0);
            for _ in 0..n {
                times[rng.gen_range(0..n)] += 1;
            }
            let mut s = LeafSums::new(k);
            for (row, &t) in items.rows.iter().zip(&times) {
                if t > 0 {
                    s.add(row, f64::from(t));
                }
            }
            for (i, v) in evaluate(&f, &s, None).into_iter().enumerate() {
                if let Some((score, _)) = v {
                    draws[i].push(score);
                }
            }
        }
        let alpha = 1.0 - p.confidence;
        for (i, d) in draws.iter_mut().enumerate() {
            if d.len() >= 2 {
                d.sort_by(f64::total_cmp);
                ci[i] = Some((quantile_sorted(d, alpha / 2.0), quantile_sorted(d, 1.0 - alpha / 2.0)));
            }
        }
        IntervalMethod::Bootstrap { resamples: p.resamples, seed: p.seed, confidence: p.confidence }
    } else {
        IntervalMethod::None
    };

    let mut global = vec![1.0; f.ids.len()];
    for i in 1..f.ids.len() {
        if let Some(par) = f.parent[i] {
            global[i] = global[par] * f.norm[i];
        }
    }
    let nodes = (0..f.ids.len())
        .map(|i| CsiNodeReport {
            id: f.ids[i].clone(),
            label: f.labels[i].clone(),
            depth: f.depth[i],
            parent: f.parent[i].map(|p| f.ids[p].clone()),
            is_leaf: f.column[i].is_some(),
            weight: f.weight[i],
            normalised_weight: f.norm[i],
            global_weight: global[i],
            score: point[i].map(|v| v.0),
            satisfaction_rate: point[i].map(|v| v.1),
            n: n_node[i],
            not_applicable: f.column[i].map(|c| na[c]).unwrap_or(0),
            ci_low: ci[i].map(|v| v.0),
            ci_high: ci[i].map(|v| v.1),
        })
        .collect();
    Ok(CsiReport { csi, satisfaction_rate: rate, respondents: items.rows.len(), nodes, flags, interval })
}

/// Each respondent's own weighted score 0-100 (the same tree rules applied to one
/// respondent's answers, renormalising over what they answered); `None` for a respondent
/// who answered nothing. Used for the satisfaction-loyalty zones and breakdowns.
pub fn respondent_scores(tree: &IndicatorNode, items: &ScoredItems) -> Result<Vec<Option<f64>>, CsiError> {
    let f = flatten(tree, items, &mut Vec::new())?;
    let k = items.leaf_ids.len();
    Ok(items
        .rows
        .iter()
        .map(|row| {
            let mut s = LeafSums::new(k);
            s.add(row, 1.0);
            evaluate(&f, &s, None)[0].map(|v| v.0)
        })
        .collect())
}

/// Column-wise 0-100 scores of the leaves of `tree`, for [`super::weights`] and
/// [`super::reliability`]: a table with one column per leaf id.
pub fn leaf_table(items: &ScoredItems) -> super::ItemTable {
    let rows = items.rows.iter().map(|r| r.iter().map(|a| a.map(|a| a.score)).collect()).collect();
    // Leaf ids are unique and values finite by construction, so this cannot fail; fall
    // back to an empty table rather than panic.
    super::ItemTable::new(items.leaf_ids.clone(), rows).unwrap_or_else(|_| super::ItemTable { names: vec![], rows: vec![] })
}

/// Counts per leaf id: (answered, not applicable), for the questionnaire overview.
pub fn answer_counts(items: &ScoredItems) -> BTreeMap<String, (usize, usize)> {
    items
        .leaf_ids
        .iter()
        .enumerate()
        .map(|(c, id)| (id.clone(), (items.rows.iter().filter(|r| r.get(c).is_some_and(|a| a.is_some())).count(), items.not_applicable[c])))
        .collect()
}
