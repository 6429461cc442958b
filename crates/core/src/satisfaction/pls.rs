//! PLS path modelling of ACSI / CCSI-type models (SPEC §5, "Conventions that decide
//! whether PLS results match the reference tools"). References: Wold (1982), Lohmöller
//! (1989) *Latent variable path modeling with partial least squares*; Tenenhaus, Esposito
//! Vinzi, Chatelin & Lauro (2005), "PLS path modeling", CSDA 48; Sanchez (2013) *PLS
//! Path Modeling with R* (the R package plspm, whose results the tests reproduce).
//!
//! Estimation, in order:
//! 1. Rows with a missing answer on any model item are dropped (listwise; counted).
//!    Items are centred; `scaled` also divides them by their standard deviation (n − 1).
//! 2. Outer weights start at 1. Each round (Lohmöller's simultaneous update):
//!    - outer estimate Y_k = X_k w_k rescaled to mean 0 and variance 1 (n − 1);
//!    - inner weights e_jk between adjacent latent variables: sign(cor) (centroid),
//!      cor (factorial), or (path) the coefficients of the regression of Y_k on its
//!      predecessors for the predecessors and cor(Y_j, Y_k) for the successors;
//!    - inner proxy Z_k = Σ_j e_jk Y_j;
//!    - new weights: mode A (reflective) w_jk = cov(x_j, Z_k); mode B (formative) the
//!      regression of Z_k on the block's items, w_k = (X_kᵀX_k)⁻¹ X_kᵀ Z_k;
//!    - weights are rescaled so X_k w_k has variance 1, and the round stops when
//!      Σ|w_new − w_old| < tolerance (1e-7), at most `max_iterations` (300) rounds; a
//!      model that does not converge is reported as such ([`PlsReport::converged`]).
//! 3. As in plspm, a latent variable whose items correlate mostly negatively with it is
//!    turned around (scores and weights × −1), so signs are reproducible.
//! 4. Path coefficients: least squares of each endogenous Y on its predecessors (the
//!    scores are standardized, so the coefficients are standardized), R² from the same
//!    regression; loadings = cor(item, Y); communality = loading²; AVE = mean communality
//!    of a block; composite reliability ρ_C = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) (Werts, Linn &
//!    Jöreskog 1974, from the PLS loadings, meaningful for mode A blocks); Cronbach's alpha
//!    of each block from [`super::reliability`];
//!    GoF = √(mean communality over the items of blocks with more than one item × mean R²
//!    of the endogenous variables) (Tenenhaus et al. 2005; plspm's `get_gof`).
//! 5. 0-100 index per latent variable (ACSI practice, Fornell et al. 1996, J. Marketing
//!    60(4)): raw weights u_j = w_j / sd_j when the items were scaled (w_j when unscaled,
//!    where the weights already act on raw units) normalised to ŵ = u / Σu,
//!    index = 100 · (Σ ŵ_j x̄_j − min) / (max − min) with the items' scale min and max.
//! 6. Bootstrap (optional): resample respondents with replacement, re-estimate with the
//!    same settings, report the mean, the standard error (sd over resamples, n − 1), the
//!    percentile interval and t = estimate / se of every path. Seeded (ChaCha8);
//!    resamples that fail or do not converge are counted and left out.

use super::linalg::{dot, solve};
use super::reliability::{alpha_of_columns, AlphaReport};
use super::{quantile_sorted, ItemTable};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use crate::model::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Why the model could not be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlsError {
    /// Fewer than two latent variables.
    #[error("a path model needs at least two latent variables")]
    TooFewBlocks,
    /// Two blocks share a name.
    #[error("latent variable {0:?} is defined twice")]
    DuplicateBlock(String),
    /// A block without items.
    #[error("latent variable {0:?} has no items")]
    EmptyBlock(String),
    /// An item is not a column of the data.
    #[error("item {item:?} of {block:?} is not a column of the data")]
    UnknownItem {
        /// Block.
        block: String,
        /// Item.
        item: String,
    },
    /// An item is in two blocks.
    #[error("item {0:?} belongs to two blocks")]
    ItemInTwoBlocks(String),
    /// A path names an unknown latent variable.
    #[error("path refers to unknown latent variable {0:?}")]
    UnknownLatent(String),
    /// A path from a variable to itself, or the same path twice.
    #[error("path {0} -> {1} is a loop or appears twice")]
    BadPath(String, String),
    /// The inner model has a cycle.
    #[error("the inner model has a cycle through {0:?}")]
    Cycle(String),
    /// A latent variable with no path.
    #[error("latent variable {0:?} is not connected to any other")]
    Unconnected(String),
    /// Too few complete respondents.
    #[error("{0} complete respondents are too few (at least 3, and more than the items of a mode B block)")]
    TooFewRows(usize),
    /// An item that does not vary.
    #[error("item {0:?} does not vary")]
    ConstantItem(String),
    /// A latent variable's scores became constant (no usable inner proxy).
    #[error("latent variable {0:?} has constant scores")]
    Degenerate(String),
    /// A singular regression (collinear predictors or mode B items).
    #[error("singular regression for {0:?} (collinear variables)")]
    Singular(String),
    /// Invalid parameters.
    #[error("invalid PLS parameters: {0:?}")]
    BadParams(PlsParamProblem),
    /// The parts of a split bootstrap do not cover its resamples exactly once.
    #[error("the bootstrap parts cover resamples 0..{covered} without gap of the {resamples} asked for")]
    IncompleteBootstrap {
        /// Resamples covered from 0 without a gap or overlap.
        covered: usize,
        /// Resamples asked for.
        resamples: usize,
    },
}

/// Which PLS parameter fails its check ([`PlsError::BadParams`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlsParamProblem {
    /// The convergence tolerance is not a positive number.
    Tolerance(f64),
    /// No iteration was allowed.
    MaxIterations,
    /// Between 1 and 9 bootstrap resamples.
    Resamples(usize),
    /// The confidence level is not strictly between 0 and 1.
    Confidence(f64),
    /// The index scale's minimum is not below its maximum (or not finite).
    IndexScale(f64, f64),
}

impl PlsError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            PlsError::TooFewBlocks => if zh { "路径模型至少需要 2 个潜变量。".into() } else { "A path model needs at least two latent variables.".into() },
            PlsError::DuplicateBlock(b) => if zh { format!("潜变量“{b}”定义了两次。") } else { format!("The latent variable “{b}” is defined twice.") },
            PlsError::EmptyBlock(b) => if zh { format!("潜变量“{b}”没有观测题目。") } else { format!("The latent variable “{b}” has no items.") },
            PlsError::UnknownItem { block, item } => if zh {
                format!("潜变量“{block}”的题目“{item}”在数据中不存在。")
            } else {
                format!("The item “{item}” of the latent variable “{block}” is not a column of the data.")
            },
            PlsError::ItemInTwoBlocks(item) => if zh { format!("题目“{item}”同时属于两个潜变量。") } else { format!("The item “{item}” belongs to two latent variables.") },
            PlsError::UnknownLatent(b) => if zh { format!("路径引用了不存在的潜变量“{b}”。") } else { format!("A path refers to the unknown latent variable “{b}”.") },
            PlsError::BadPath(from, to) => if zh {
                format!("路径“{from} → {to}”指向自身或重复出现。")
            } else {
                format!("The path “{from} → {to}” is a loop or appears twice.")
            },
            PlsError::Cycle(b) => if zh { format!("结构模型中有经过“{b}”的循环。") } else { format!("The inner model has a cycle through “{b}”.") },
            PlsError::Unconnected(b) => if zh { format!("潜变量“{b}”没有与任何其他潜变量相连。") } else { format!("The latent variable “{b}” is not connected to any other.") },
            PlsError::TooFewRows(n) => if zh {
                format!("答完全部题目的受访者只有 {n} 位，太少：至少需要 3 位，且多于任一形成型（B 模式）潜变量的题目数。")
            } else {
                format!("Only {n} respondents answered every item: at least 3 are needed, and more than the items of any mode B block.")
            },
            PlsError::ConstantItem(item) => if zh { format!("题目“{item}”的回答没有差异。") } else { format!("The answers to “{item}” do not vary.") },
            PlsError::Degenerate(b) => if zh { format!("潜变量“{b}”的得分恒定，模型无法估计。") } else { format!("The scores of the latent variable “{b}” are constant; the model cannot be estimated.") },
            PlsError::Singular(b) => if zh {
                format!("“{b}”的回归无法求解：自变量之间共线。")
            } else {
                format!("The regression for “{b}” cannot be solved: its predictors are collinear.")
            },
            PlsError::BadParams(p) => match (p, zh) {
                (PlsParamProblem::Tolerance(t), true) => format!("PLS 参数无效：收敛容差须为正数，当前为 {t}。"),
                (PlsParamProblem::Tolerance(t), false) => format!("Invalid PLS parameter: the tolerance must be a positive number, got {t}."),
                (PlsParamProblem::MaxIterations, true) => "PLS 参数无效：最大迭代次数至少为 1。".into(),
                (PlsParamProblem::MaxIterations, false) => "Invalid PLS parameter: the maximum number of iterations must be at least 1.".into(),
                (PlsParamProblem::Resamples(n), true) => format!("PLS 参数无效：自助抽样 {n} 次太少，不需要请填 0，否则至少 10 次。"),
                (PlsParamProblem::Resamples(n), false) => format!("Invalid PLS parameter: {n} bootstrap resamples are too few; use 0 for none, or at least 10."),
                (PlsParamProblem::Confidence(c), true) => format!("PLS 参数无效：置信水平须在 0 与 1 之间，当前为 {c}。"),
                (PlsParamProblem::Confidence(c), false) => format!("Invalid PLS parameter: the confidence level must be between 0 and 1, got {c}."),
                (PlsParamProblem::IndexScale(lo, hi), true) => format!("PLS 参数无效：指数量表的下限 {lo} 须小于上限 {hi}。"),
                (PlsParamProblem::IndexScale(lo, hi), false) => format!("Invalid PLS parameter: the index scale's minimum {lo} must be below its maximum {hi}."),
            },
            PlsError::IncompleteBootstrap { covered, resamples } => if zh {
                format!("内部错误：自助抽样的各部分只覆盖了 {resamples} 次中的前 {covered} 次。请重新计算。")
            } else {
                format!("Internal error: the bootstrap parts cover only the first {covered} of {resamples} resamples. Compute it again.")
            },
        }
    }
}

/// Measurement mode of a block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// Reflective (outward): weights are covariances with the inner proxy.
    #[default]
    A,
    /// Formative (inward): weights are the regression of the proxy on the items.
    B,
}

/// Inner weighting scheme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Sign of the correlation.
    #[default]
    Centroid,
    /// The correlation.
    Factorial,
    /// Regression on predecessors, correlation with successors.
    Path,
}

/// One latent variable and its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlsBlock {
    /// Name of the latent variable, e.g. SAT.
    pub name: String,
    /// Column names of its items.
    pub items: Vec<String>,
    /// Measurement mode.
    #[serde(default)]
    pub mode: Mode,
}

/// A path model: blocks and the inner model's paths (from, to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlsModel {
    /// Blocks, in the order results are reported.
    pub blocks: Vec<PlsBlock>,
    /// Paths `(from, to)`.
    pub paths: Vec<(String, String)>,
}

/// A [`PlsModel`] checked against a data table.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPlsModel {
    names: Vec<String>,
    modes: Vec<Mode>,
    /// Table columns of the items, block by block.
    columns: Vec<Vec<usize>>,
    item_names: Vec<Vec<String>>,
    preds: Vec<Vec<usize>>,
    succs: Vec<Vec<usize>>,
    paths: Vec<(usize, usize)>,
}

impl ValidPlsModel {
    /// Latent variable names in block order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

impl PlsModel {
    /// Checks the model against the table: names unique, items are columns and in one
    /// block only, paths between known variables without loops, duplicates or cycles, and
    /// every variable on at least one path.
    pub fn check(&self, table: &ItemTable) -> Result<ValidPlsModel, PlsError> {
        let l = self.blocks.len();
        if l < 2 {
            return Err(PlsError::TooFewBlocks);
        }
        let mut names = Vec::with_capacity(l);
        let mut seen_items = BTreeSet::new();
        let mut columns = Vec::with_capacity(l);
        for b in &self.blocks {
            if names.contains(&b.name) {
                return Err(PlsError::DuplicateBlock(b.name.clone()));
            }
            names.push(b.name.clone());
            if b.items.is_empty() {
                return Err(PlsError::EmptyBlock(b.name.clone()));
            }
            let mut cols = Vec::with_capacity(b.items.len());
            for it in &b.items {
                let c = table.column_index(it).ok_or_else(|| PlsError::UnknownItem { block: b.name.clone(), item: it.clone() })?;
                if !seen_items.insert(c) {
                    return Err(PlsError::ItemInTwoBlocks(it.clone()));
                }
                cols.push(c);
            }
            columns.push(cols);
        }
        let idx = |s: &str| names.iter().position(|n| n == s).ok_or_else(|| PlsError::UnknownLatent(s.to_string()));
        let mut paths = Vec::new();
        let mut preds = vec![vec![]; l];
        let mut succs = vec![vec![]; l];
        for (from, to) in &self.paths {
            let (f, t) = (idx(from)?, idx(to)?);
            if f == t || paths.contains(&(f, t)) {
                return Err(PlsError::BadPath(from.clone(), to.clone()));
            }
            paths.push((f, t));
            preds[t].push(f);
            succs[f].push(t);
        }
        // Kahn's algorithm: a cycle leaves variables with predecessors unremoved.
        let mut indeg: Vec<usize> = preds.iter().map(Vec::len).collect();
        let mut queue: Vec<usize> = (0..l).filter(|&k| indeg[k] == 0).collect();
        let mut done = 0;
        while let Some(k) = queue.pop() {
            done += 1;
            for &s in &succs[k] {
                indeg[s] -= 1;
                if indeg[s] == 0 {
                    queue.push(s);
                }
            }
        }
        if done < l {
            let k = (0..l).find(|&k| indeg[k] > 0).unwrap_or(0);
            return Err(PlsError::Cycle(names[k].clone()));
        }
        if let Some(k) = (0..l).find(|&k| preds[k].is_empty() && succs[k].is_empty()) {
            return Err(PlsError::Unconnected(names[k].clone()));
        }
        Ok(ValidPlsModel {
            names,
            modes: self.blocks.iter().map(|b| b.mode).collect(),
            columns,
            item_names: self.blocks.iter().map(|b| b.items.clone()).collect(),
            preds,
            succs,
            paths,
        })
    }
}

/// Parameters of [`fit`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlsParams {
    /// Inner weighting scheme.
    pub scheme: Scheme,
    /// Standardize the items (z-scores, n − 1) instead of only centring them.
    pub scaled: bool,
    /// Stop when Σ|w_new − w_old| is below this.
    pub tolerance: f64,
    /// Most rounds.
    pub max_iterations: usize,
    /// Bootstrap resamples for the paths; 0 for none.
    pub resamples: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// Confidence level of the bootstrap intervals.
    pub confidence: f64,
    /// The items' scale (min, max) for the 0-100 indices; `None` = the smallest and
    /// largest value observed in the model's items.
    pub index_scale: Option<(f64, f64)>,
}

impl Default for PlsParams {
    fn default() -> Self {
        Self {
            scheme: Scheme::Centroid,
            scaled: true,
            tolerance: 1e-7,
            max_iterations: 300,
            resamples: 0,
            seed: 20_240_601,
            confidence: 0.95,
            index_scale: None,
        }
    }
}

/// [`PlsParams`] that passed [`PlsParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidPlsParams(PlsParams);

impl PlsParams {
    /// Checks tolerance > 0, 1 ≤ max_iterations, resamples 0 or ≥ 10, 0 < confidence < 1,
    /// and min < max of the index scale.
    pub fn check(self) -> Result<ValidPlsParams, PlsError> {
        let bad = |p: PlsParamProblem| Err(PlsError::BadParams(p));
        if !(self.tolerance > 0.0 && self.tolerance.is_finite()) {
            return bad(PlsParamProblem::Tolerance(self.tolerance));
        }
        if self.max_iterations == 0 {
            return bad(PlsParamProblem::MaxIterations);
        }
        if self.resamples != 0 && self.resamples < 10 {
            return bad(PlsParamProblem::Resamples(self.resamples));
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return bad(PlsParamProblem::Confidence(self.confidence));
        }
        if let Some((lo, hi)) = self.index_scale {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return bad(PlsParamProblem::IndexScale(lo, hi));
            }
        }
        Ok(ValidPlsParams(self))
    }
}

/// One item of the outer model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OuterReport {
    /// Latent variable.
    pub latent: String,
    /// Item.
    pub item: String,
    /// Outer weight (on the prepared items: z-scores if scaled, centred if not).
    pub weight: f64,
    /// Loading = cor(item, latent scores).
    pub loading: f64,
    /// Communality = loading².
    pub communality: f64,
    /// Normalised raw weight ŵ used by the 0-100 index.
    pub index_weight: f64,
}

/// One latent variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatentReport {
    /// Name.
    pub name: String,
    /// Mode of its block.
    pub mode: Mode,
    /// R² (endogenous variables only).
    pub r2: Option<f64>,
    /// Average variance extracted (mean communality).
    pub ave: f64,
    /// Composite reliability ρ_C (Dillon-Goldstein's rho from the PLS loadings).
    pub composite_reliability: f64,
    /// Cronbach's alpha of the block (blocks with at least two items).
    pub alpha: Option<AlphaReport>,
    /// 0-100 index (ACSI method); `None` when the raw weights sum to 0.
    pub index: Option<f64>,
}

/// Bootstrap results of one path.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PathBootstrap {
    /// Mean over resamples.
    pub mean: f64,
    /// Standard error (sd over resamples).
    pub se: f64,
    /// Lower percentile bound.
    pub ci_low: f64,
    /// Upper percentile bound.
    pub ci_high: f64,
    /// Estimate / se.
    pub t: f64,
}

/// One path of the inner model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathReport {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Standardized path coefficient.
    pub coefficient: f64,
    /// Bootstrap results, when requested.
    pub bootstrap: Option<PathBootstrap>,
}

/// Direct, indirect and total effect between two latent variables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectReport {
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Direct effect (the path coefficient, 0 without a path).
    pub direct: f64,
    /// Indirect effect through other variables.
    pub indirect: f64,
    /// Total = direct + indirect (derived importance for IPA).
    pub total: f64,
}

/// Bootstrap settings and outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BootstrapSummary {
    /// Resamples requested.
    pub resamples: usize,
    /// Resamples that failed or did not converge (left out).
    pub failed: usize,
    /// Seed.
    pub seed: u64,
    /// Confidence level.
    pub confidence: f64,
}

/// A fitted PLS path model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlsReport {
    /// Complete respondents used.
    pub n: usize,
    /// Respondents dropped for a missing answer.
    pub dropped: usize,
    /// Table rows used (indices), in the order of the scores.
    pub rows_used: Vec<usize>,
    /// Scheme used.
    pub scheme: Scheme,
    /// Items standardized.
    pub scaled: bool,
    /// Rounds of the iteration.
    pub iterations: usize,
    /// Whether Σ|w_new − w_old| fell below the tolerance.
    pub converged: bool,
    /// Latent variables in block order.
    pub latent: Vec<LatentReport>,
    /// Items, block by block.
    pub outer: Vec<OuterReport>,
    /// Paths in the order of the model.
    pub paths: Vec<PathReport>,
    /// Effects between every pair linked by a directed route.
    pub effects: Vec<EffectReport>,
    /// Goodness of fit.
    pub gof: f64,
    /// Latent variable scores, one column per latent variable (mean 0, variance 1).
    pub scores: Vec<Vec<f64>>,
    /// The scale (min, max) used for the indices.
    pub index_scale: (f64, f64),
    /// Bootstrap settings, when run.
    pub bootstrap: Option<BootstrapSummary>,
}

impl PlsReport {
    /// The coefficient of the path `from → to`.
    pub fn path(&self, from: &str, to: &str) -> Option<f64> {
        self.paths.iter().find(|p| p.from == from && p.to == to).map(|p| p.coefficient)
    }

    /// The latent variable named `name`.
    pub fn latent(&self, name: &str) -> Option<&LatentReport> {
        self.latent.iter().find(|l| l.name == name)
    }
}

/// Items prepared for estimation: centred (and scaled) columns, block by block.
struct Prepared {
    x: Vec<Vec<f64>>,
    /// Offsets of the blocks in `x`.
    offsets: Vec<usize>,
    n: usize,
}

fn prepare(
    raw: &[Vec<f64>],
    offsets: &[usize],
    scaled: bool,
    names: &dyn Fn(usize) -> String,
) -> Result<(Prepared, Vec<f64>, Vec<f64>), PlsError> {
    let n = raw.first().map_or(0, Vec::len);
    let mut means = Vec::with_capacity(raw.len());
    let mut sds = Vec::with_capacity(raw.len());
    let mut x = Vec::with_capacity(raw.len());
    for (j, col) in raw.iter().enumerate() {
        let m = col.iter().sum::<f64>() / n as f64;
        let c: Vec<f64> = col.iter().map(|v| v - m).collect();
        let sd = (dot(&c, &c) / (n as f64 - 1.0)).sqrt();
        if sd <= 1e-12 * (1.0 + m.abs()) || !sd.is_finite() {
            return Err(PlsError::ConstantItem(names(j)));
        }
        x.push(if scaled { c.iter().map(|v| v / sd).collect() } else { c });
        means.push(m);
        sds.push(sd);
    }
    Ok((Prepared { x, offsets: offsets.to_vec(), n }, means, sds))
}

struct Estimate {
    /// Weights per item (flat, block order).
    w: Vec<f64>,
    /// Standardized scores per latent variable.
    y: Vec<Vec<f64>>,
    iterations: usize,
    converged: bool,
}

/// y = X_k w_k, then rescales y to mean 0, variance 1 and w by the same factor.
fn outer_estimate(p: &Prepared, k: usize, w: &mut [f64], name: &str) -> Result<Vec<f64>, PlsError> {
    let (a, b) = (p.offsets[k], p.offsets[k + 1]);
    let mut y = vec![0.0; p.n];
    for (j, wj) in (a..b).zip(w.iter()) {
        for (yi, xi) in y.iter_mut().zip(&p.x[j]) {
            *yi += wj * xi;
        }
    }
    let m = y.iter().sum::<f64>() / p.n as f64;
    y.iter_mut().for_each(|v| *v -= m);
    let sd = (dot(&y, &y) / (p.n as f64 - 1.0)).sqrt();
    if !(sd.is_finite() && sd > 1e-12) {
        return Err(PlsError::Degenerate(name.to_string()));
    }
    y.iter_mut().for_each(|v| *v /= sd);
    w.iter_mut().for_each(|v| *v /= sd);
    Ok(y)
}

fn corr(a: &[f64], b: &[f64]) -> f64 {
    // Both standardized (mean 0, variance 1 with n − 1).
    dot(a, b) / (a.len() as f64 - 1.0)
}

/// Regression coefficients of standardized `y[k]` on standardized `y[preds]`.
fn regress(y: &[Vec<f64>], k: usize, preds: &[usize], name: &str) -> Result<Vec<f64>, PlsError> {
    let q = preds.len();
    let mut rxx = vec![0.0; q * q];
    let mut rxy = vec![0.0; q];
    for (a, &pa) in preds.iter().enumerate() {
        rxy[a] = corr(&y[pa], &y[k]);
        for (b, &pb) in preds.iter().enumerate() {
            rxx[a * q + b] = if a == b { 1.0 } else { corr(&y[pa], &y[pb]) };
        }
    }
    solve(&rxx, &rxy).ok_or_else(|| PlsError::Singular(name.to_string()))
}

fn estimate(p: &Prepared, m: &ValidPlsModel, params: &PlsParams) -> Result<Estimate, PlsError> {
    let l = m.names.len();
    let nf = p.n as f64 - 1.0;
    let mut w: Vec<f64> = vec![1.0; p.x.len()];
    let mut y: Vec<Vec<f64>> = Vec::with_capacity(l);
    for k in 0..l {
        let (a, b) = (p.offsets[k], p.offsets[k + 1]);
        y.push(outer_estimate(p, k, &mut w[a..b], &m.names[k])?);
    }
    // Mode B blocks regress on the same items every round: factor XᵀX once.
    let xtx: Vec<Option<Vec<f64>>> = (0..l)
        .map(|k| {
            (m.modes[k] == Mode::B).then(|| {
                let (a, b) = (p.offsets[k], p.offsets[k + 1]);
                let q = b - a;
                let mut g = vec![0.0; q * q];
                for i in 0..q {
                    for j in i..q {
                        let v = dot(&p.x[a + i], &p.x[a + j]);
                        g[i * q + j] = v;
                        g[j * q + i] = v;
                    }
                }
                g
            })
        })
        .collect();
    let mut converged = false;
    let mut iterations = 0;
    while iterations < params.max_iterations {
        iterations += 1;
        // Inner weights e[k] = [(j, e_jk)] and the proxies z_k.
        let mut z: Vec<Vec<f64>> = Vec::with_capacity(l);
        for k in 0..l {
            let mut e: Vec<(usize, f64)> = Vec::new();
            let path_pred = if params.scheme == Scheme::Path && !m.preds[k].is_empty() {
                Some(regress(&y, k, &m.preds[k], &m.names[k])?)
            } else {
                None
            };
            for (a, &j) in m.preds[k].iter().enumerate() {
                let r = corr(&y[j], &y[k]);
                e.push((
                    j,
                    match (params.scheme, &path_pred) {
                        (Scheme::Centroid, _) => sign(r),
                        (Scheme::Factorial, _) => r,
                        (Scheme::Path, Some(beta)) => beta[a],
                        (Scheme::Path, None) => r,
                    },
                ));
            }
            for &j in &m.succs[k] {
                let r = corr(&y[j], &y[k]);
                e.push((j, if params.scheme == Scheme::Centroid { sign(r) } else { r }));
            }
            let mut zk = vec![0.0; p.n];
            for (j, ejk) in e {
                for (zi, yi) in zk.iter_mut().zip(&y[j]) {
                    *zi += ejk * yi;
                }
            }
            z.push(zk);
        }
        let mut w_new = vec![0.0; w.len()];
        let mut y_new = Vec::with_capacity(l);
        for k in 0..l {
            let (a, b) = (p.offsets[k], p.offsets[k + 1]);
            match &xtx[k] {
                None => {
                    for (j, wj) in (a..b).zip(w_new[a..b].iter_mut()) {
                        *wj = dot(&p.x[j], &z[k]) / nf;
                    }
                }
                Some(g) => {
                    let rhs: Vec<f64> = (a..b).map(|j| dot(&p.x[j], &z[k])).collect();
                    let sol = solve(g, &rhs).ok_or_else(|| PlsError::Singular(m.names[k].clone()))?;
                    w_new[a..b].copy_from_slice(&sol);
                }
            }
            y_new.push(outer_estimate(p, k, &mut w_new[a..b], &m.names[k])?);
        }
        let diff: f64 = w_new.iter().zip(&w).map(|(a, b)| (a - b).abs()).sum();
        w = w_new;
        y = y_new;
        if diff < params.tolerance {
            converged = true;
            break;
        }
    }
    // Sign convention of plspm's get_scores: turn a variable around when its items
    // correlate mostly negatively with it (a tie counts as negative).
    for (k, yk) in y.iter_mut().enumerate() {
        let (a, b) = (p.offsets[k], p.offsets[k + 1]);
        let s: f64 = (a..b).map(|j| sign(dot(&p.x[j], yk))).sum();
        if s <= 0.0 {
            yk.iter_mut().for_each(|v| *v = -*v);
            w[a..b].iter_mut().for_each(|v| *v = -*v);
        }
    }
    Ok(Estimate { w, y, iterations, converged })
}

fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Path coefficients (in model path order) and R² per variable.
fn inner_model(y: &[Vec<f64>], m: &ValidPlsModel) -> Result<(Vec<f64>, Vec<Option<f64>>), PlsError> {
    let l = m.names.len();
    let mut coef = vec![0.0; m.paths.len()];
    let mut r2 = vec![None; l];
    for k in 0..l {
        if m.preds[k].is_empty() {
            continue;
        }
        let beta = regress(y, k, &m.preds[k], &m.names[k])?;
        let mut r = 0.0;
        for (a, &j) in m.preds[k].iter().enumerate() {
            r += beta[a] * corr(&y[j], &y[k]);
            if let Some(pi) = m.paths.iter().position(|&(f, t)| f == j && t == k) {
                coef[pi] = beta[a];
            }
        }
        r2[k] = Some(r);
    }
    Ok((coef, r2))
}

/// Fits the path model on the table (method in the module docs). `progress(done, total)`
/// is called after every bootstrap resample (not at all without a bootstrap).
pub fn fit(
    model: &ValidPlsModel,
    table: &ItemTable,
    params: &ValidPlsParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PlsReport, PlsError> {
    let params = &params.0;
    let l = model.names.len();
    let cols: Vec<usize> = model.columns.iter().flatten().copied().collect();
    let flat_names: Vec<String> = model.item_names.iter().flatten().cloned().collect();
    let mut offsets = vec![0];
    for c in &model.columns {
        offsets.push(offsets[offsets.len() - 1] + c.len());
    }
    // Listwise deletion, remembering which rows are used.
    let mut raw = vec![Vec::with_capacity(table.n_rows()); cols.len()];
    let mut rows_used = Vec::with_capacity(table.n_rows());
    for (r, row) in table.rows().iter().enumerate() {
        let vals: Option<Vec<f64>> = cols.iter().map(|&c| row.get(c).copied().flatten()).collect();
        if let Some(v) = vals {
            rows_used.push(r);
            v.into_iter().zip(raw.iter_mut()).for_each(|(x, col)| col.push(x));
        }
    }
    let n = rows_used.len();
    let max_b = model.columns.iter().zip(&model.modes).filter(|(_, m)| **m == Mode::B).map(|(c, _)| c.len()).max().unwrap_or(0);
    if n < 3 || n <= max_b {
        return Err(PlsError::TooFewRows(n));
    }
    let name_of = |j: usize| flat_names.get(j).cloned().unwrap_or_default();
    let (prep, means, sds) = prepare(&raw, &offsets, params.scaled, &name_of)?;
    let est = estimate(&prep, model, params)?;
    let (coef, r2) = inner_model(&est.y, model)?;

    // Outer model.
    let nf = n as f64 - 1.0;
    let index_scale = params.index_scale.unwrap_or_else(|| {
        let lo = raw.iter().flatten().fold(f64::INFINITY, |a, &b| a.min(b));
        let hi = raw.iter().flatten().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        (lo, hi)
    });
    let mut outer = Vec::with_capacity(cols.len());
    let mut latent = Vec::with_capacity(l);
    let mut all_comm = (0.0, 0usize);
    for k in 0..l {
        let (a, b) = (offsets[k], offsets[k + 1]);
        let sd_prepared: Vec<f64> = (a..b).map(|j| if params.scaled { 1.0 } else { sds[j] }).collect();
        let loadings: Vec<f64> = (a..b).zip(&sd_prepared).map(|(j, s)| dot(&prep.x[j], &est.y[k]) / (nf * s)).collect();
        let raw_w: Vec<f64> = (a..b).map(|j| if params.scaled { est.w[j] / sds[j] } else { est.w[j] }).collect();
        let sum_raw: f64 = raw_w.iter().sum();
        let index_w: Vec<f64> = raw_w.iter().map(|u| if sum_raw != 0.0 { u / sum_raw } else { f64::NAN }).collect();
        let index = (sum_raw.abs() > 1e-12).then(|| {
            let m: f64 = (a..b).zip(&index_w).map(|(j, wh)| wh * means[j]).sum();
            100.0 * (m - index_scale.0) / (index_scale.1 - index_scale.0)
        });
        for (i, j) in (a..b).enumerate() {
            outer.push(OuterReport {
                latent: model.names[k].clone(),
                item: flat_names[j].clone(),
                weight: est.w[j],
                loading: loadings[i],
                communality: loadings[i] * loadings[i],
                index_weight: index_w[i],
            });
        }
        let comm: f64 = loadings.iter().map(|x| x * x).sum();
        if b - a > 1 {
            all_comm.0 += comm;
            all_comm.1 += b - a;
        }
        let sl: f64 = loadings.iter().sum();
        let err: f64 = loadings.iter().map(|x| 1.0 - x * x).sum();
        let alpha = (b - a >= 2).then(|| alpha_of_columns(&raw[a..b], &flat_names[a..b], table.n_rows() - n).ok()).flatten();
        latent.push(LatentReport {
            name: model.names[k].clone(),
            mode: model.modes[k],
            r2: r2[k],
            ave: comm / (b - a) as f64,
            composite_reliability: sl * sl / (sl * sl + err),
            alpha,
            index,
        });
    }
    let endo: Vec<f64> = r2.iter().flatten().copied().collect();
    let mean_r2 = endo.iter().sum::<f64>() / endo.len().max(1) as f64;
    let gof = if all_comm.1 > 0 { (all_comm.0 / all_comm.1 as f64 * mean_r2).sqrt() } else { mean_r2.sqrt() };

    // Effects: total = Σ_{m ≥ 1} Bᵐ (the inner model is acyclic, so the series ends).
    let mut bmat = vec![0.0; l * l];
    for (pi, &(f, t)) in model.paths.iter().enumerate() {
        bmat[f * l + t] = coef[pi];
    }
    let mut total = bmat.clone();
    let mut power = bmat.clone();
    for _ in 1..l {
        let mut next = vec![0.0; l * l];
        for i in 0..l {
            for kk in 0..l {
                let v = power[i * l + kk];
                if v != 0.0 {
                    for j in 0..l {
                        next[i * l + j] += v * bmat[kk * l + j];
                    }
                }
            }
        }
        total.iter_mut().zip(&next).for_each(|(t, v)| *t += v);
        power = next;
    }
    let mut effects = Vec::new();
    for i in 0..l {
        for j in 0..l {
            if total[i * l + j] != 0.0 || bmat[i * l + j] != 0.0 {
                effects.push(EffectReport {
                    from: model.names[i].clone(),
                    to: model.names[j].clone(),
                    direct: bmat[i * l + j],
                    indirect: total[i * l + j] - bmat[i * l + j],
                    total: total[i * l + j],
                });
            }
        }
    }

    let paths = model
        .paths
        .iter()
        .enumerate()
        .map(|(pi, &(f, t))| PathReport {
            from: model.names[f].clone(),
            to: model.names[t].clone(),
            coefficient: coef[pi],
            bootstrap: None,
        })
        .collect();
    let mut report = PlsReport {
        n,
        dropped: table.n_rows() - n,
        rows_used,
        scheme: params.scheme,
        scaled: params.scaled,
        iterations: est.iterations,
        converged: est.converged,
        latent,
        outer,
        paths,
        effects,
        gof,
        scores: est.y,
        index_scale,
        bootstrap: None,
    };
    if params.resamples > 0 {
        let mut run = PathBootstrapRun::new(model, table, &ValidPlsParams(*params))?;
        while !run.is_done() {
            let done = run.step(1);
            progress(done, params.resamples);
        }
        run.finish(&mut report);
    }
    Ok(report)
}

/// The bootstrap of the path coefficients as a resumable computation, so that a page can
/// run it in chunks between which the browser paints (see [`fit`], point 6 of the module
/// docs), or split it over several workers ([`PathBootstrapRun::part`]). [`fit`] with
/// `resamples > 0` runs exactly this, one resample at a time, so the results are the same
/// whichever way it is run.
///
/// Resample `r` draws its rows from its own ChaCha8 stream (seed `params.seed`, stream
/// `r`), so any range of resamples can run anywhere and the merged draws of the parts
/// ([`finish_parts`]) are the draws of the whole run, in the same order, bit for bit.
#[derive(Debug, Clone)]
pub struct PathBootstrapRun {
    model: ValidPlsModel,
    params: PlsParams,
    raw: Vec<Vec<f64>>,
    offsets: Vec<usize>,
    flat_names: Vec<String>,
    draws: Vec<Vec<f64>>,
    failed: usize,
    /// The range of resamples this run covers, and the next one to run.
    start: usize,
    end: usize,
    next: usize,
    idx: Vec<usize>,
    cols_b: Vec<Vec<f64>>,
}

/// The draws of a range of bootstrap resamples ([`PathBootstrapRun::into_part`]), to be
/// merged with the other ranges by [`finish_parts`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootstrapPart {
    /// First resample of the range.
    pub start: usize,
    /// One past the last resample of the range.
    pub end: usize,
    /// Per path, the coefficients of the resamples that converged, in resample order.
    pub draws: Vec<Vec<f64>>,
    /// Resamples of the range that did not converge.
    pub failed: usize,
}

impl PathBootstrapRun {
    /// Prepares `params.resamples` resamples of the rows of `table` complete on the model's
    /// items (listwise, as [`fit`]).
    pub fn new(model: &ValidPlsModel, table: &ItemTable, params: &ValidPlsParams) -> Result<Self, PlsError> {
        Self::part(model, table, params, 0..params.0.resamples)
    }

    /// Prepares the resamples `range` (clamped to `0..params.resamples`) of the run that
    /// [`PathBootstrapRun::new`] would make.
    pub fn part(model: &ValidPlsModel, table: &ItemTable, params: &ValidPlsParams, range: std::ops::Range<usize>) -> Result<Self, PlsError> {
        let params = params.0;
        let cols: Vec<usize> = model.columns.iter().flatten().copied().collect();
        let flat_names: Vec<String> = model.item_names.iter().flatten().cloned().collect();
        let mut offsets = vec![0];
        for c in &model.columns {
            offsets.push(offsets[offsets.len() - 1] + c.len());
        }
        let (raw, _) = table.complete_columns(&cols);
        let n = raw.first().map_or(0, Vec::len);
        if n < 3 {
            return Err(PlsError::TooFewRows(n));
        }
        let end = range.end.min(params.resamples);
        let start = range.start.min(end);
        Ok(Self {
            model: model.clone(),
            params,
            cols_b: vec![vec![0.0; n]; raw.len()],
            raw,
            offsets,
            flat_names,
            draws: vec![Vec::with_capacity(end - start); model.paths.len()],
            failed: 0,
            start,
            end,
            next: start,
            idx: vec![0; n],
        })
    }

    /// Resamples to run in all (in this run's range).
    pub fn total(&self) -> usize {
        self.end - self.start
    }

    /// Whether every resample has run.
    pub fn is_done(&self) -> bool {
        self.next >= self.end
    }

    /// Runs up to `k` more resamples; returns how many have run so far.
    pub fn step(&mut self, k: usize) -> usize {
        let n = self.idx.len();
        let names = &self.flat_names;
        let name_of = |j: usize| names.get(j).cloned().unwrap_or_default();
        for _ in 0..k {
            if self.next >= self.end {
                break;
            }
            let mut rng = ChaCha8Rng::seed_from_u64(self.params.seed);
            rng.set_stream(self.next as u64);
            for i in self.idx.iter_mut() {
                *i = rng.gen_range(0..n);
            }
            for (cb, cr) in self.cols_b.iter_mut().zip(&self.raw) {
                for (v, &i) in cb.iter_mut().zip(&self.idx) {
                    *v = cr[i];
                }
            }
            let model = &self.model;
            let params = &self.params;
            let ok = prepare(&self.cols_b, &self.offsets, params.scaled, &name_of)
                .and_then(|(pb, _, _)| estimate(&pb, model, params))
                .and_then(|e| if e.converged { inner_model(&e.y, model) } else { Err(PlsError::Degenerate(String::new())) });
            match ok {
                Ok((c, _)) => c.into_iter().zip(self.draws.iter_mut()).for_each(|(v, d)| d.push(v)),
                Err(_) => self.failed += 1,
            }
            self.next += 1;
        }
        self.next - self.start
    }

    /// The draws of the resamples run so far, for [`finish_parts`].
    pub fn into_part(self) -> BootstrapPart {
        BootstrapPart { start: self.start, end: self.next, draws: self.draws, failed: self.failed }
    }

    /// Writes the standard errors, percentile intervals and t values into the report of
    /// the same model and data (the resamples run so far; see [`Self::is_done`]).
    pub fn finish(self, report: &mut PlsReport) {
        let params = self.params;
        let part = self.into_part();
        write_bootstrap(part.draws, part.end - part.start, part.failed, &params, report);
    }
}

/// Merges the parts of one bootstrap (any order; together they must cover
/// `0..params.resamples` without gap or overlap) and writes the result into `report`, as
/// [`PathBootstrapRun::finish`] of the whole run would.
pub fn finish_parts(mut parts: Vec<BootstrapPart>, params: &ValidPlsParams, report: &mut PlsReport) -> Result<(), PlsError> {
    parts.sort_by_key(|p| p.start);
    let mut at = 0;
    for p in &parts {
        if p.start != at || p.end < p.start || p.draws.len() != report.paths.len() {
            return Err(PlsError::IncompleteBootstrap { covered: at, resamples: params.0.resamples });
        }
        at = p.end;
    }
    if at != params.0.resamples {
        return Err(PlsError::IncompleteBootstrap { covered: at, resamples: params.0.resamples });
    }
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(at); report.paths.len()];
    let mut failed = 0;
    for p in parts {
        failed += p.failed;
        for (d, pd) in draws.iter_mut().zip(p.draws) {
            d.extend(pd);
        }
    }
    write_bootstrap(draws, at, failed, &params.0, report);
    Ok(())
}

fn write_bootstrap(mut draws: Vec<Vec<f64>>, done: usize, failed: usize, params: &PlsParams, report: &mut PlsReport) {
    let alpha = 1.0 - params.confidence;
    for (pi, d) in draws.iter_mut().enumerate() {
        let Some(path) = report.paths.get_mut(pi) else { continue };
        if d.len() >= 2 {
            let mean = d.iter().sum::<f64>() / d.len() as f64;
            let se = (d.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (d.len() - 1) as f64).sqrt();
            d.sort_by(f64::total_cmp);
            path.bootstrap = Some(PathBootstrap {
                mean,
                se,
                ci_low: quantile_sorted(d, alpha / 2.0),
                ci_high: quantile_sorted(d, 1.0 - alpha / 2.0),
                t: if se > 0.0 { path.coefficient / se } else { f64::NAN },
            });
        }
    }
    report.bootstrap = Some(BootstrapSummary { resamples: done, failed, seed: params.seed, confidence: params.confidence });
}
