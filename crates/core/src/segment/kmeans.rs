//! k-means clustering of customers on numeric columns (SPEC §4).
//!
//! # Method
//! - **Data.** A [`KMeansData`] table: named numeric columns, one row per customer, `None`
//!   for a missing value. Rows with any missing (or non-finite) value in the chosen
//!   columns are **excluded**, counted and listed in [`KMeansReport::excluded_rows`]; their
//!   label is `None`. (No imputation: an imputed mean would pull customers toward the
//!   centre and invent structure.)
//! - **Scaling.** [`Scaling::Raw`] clusters the values as they are. [`Scaling::Standardize`]
//!   uses z-scores `(x − mean) / sd` with the **population** standard deviation (divide by
//!   `n`), as scikit-learn's `StandardScaler` does. A constant column standardizes to 0
//!   (not NaN): it then adds nothing to any distance. The report says which scaling ran,
//!   and gives the means and scales.
//! - **Seeding.** Greedy k-means++ (Arthur & Vassilvitskii 2007) as in scikit-learn's
//!   `_kmeans_plusplus`: the first centre is a uniformly drawn row; each further centre is
//!   the best (lowest potential) of `2 + ⌊ln k⌋` candidates drawn with probability
//!   proportional to the squared distance to the nearest chosen centre. Random numbers come
//!   from ChaCha8 seeded with [`KMeansParams::seed`] (stream = restart number), drawn only
//!   as `u64` and `f64`, so the sequence is the same on every platform, including wasm32.
//! - **Iterations.** Lloyd's algorithm, exactly in scikit-learn's order (`_kmeans_single_lloyd`):
//!   assign every row to its nearest centre (ties: lowest centre index), move each centre
//!   to the mean of its rows; stop when the labels do not change, or when the summed squared
//!   centre shift is ≤ `tol × mean column variance` (scikit-learn's relative tolerance), or
//!   after `max_iter` iterations; when not stopped by unchanged labels, the rows are
//!   assigned once more to the final centres. Inertia = Σ squared distance of each row to
//!   its centre, in the space the clustering ran in.
//! - **Empty clusters** are re-seeded deterministically with the rows farthest from their
//!   own centre (ties: lowest row in canonical order), as scikit-learn's
//!   `_relocate_empty_clusters_dense` does.
//! - **Restarts.** [`KMeansParams::restarts`] seedings; the run with the lowest inertia
//!   wins (ties: the earlier restart).
//! - **k and distinct points.** `k` larger than the number of distinct rows is a typed
//!   error ([`KMeansError::TooFewDistinctPoints`]), never a silent reduction of `k`; the
//!   curves skip such `k` and list them.
//! - **Silhouette** (Rousseeuw 1987), as scikit-learn's `silhouette_score`: for each row,
//!   `a` = mean distance to the other rows of its cluster, `b` = smallest mean distance to
//!   the rows of another cluster, `s = (b − a) / max(a, b)`, and `s = 0` in a cluster of
//!   one; the score is the mean of `s`. It is exact and O(n²): up to
//!   [`KMeansParams::silhouette_sample`] rows it uses all rows; above that, a deterministic
//!   sample of that many rows (drawn with ChaCha8 from the seed, without replacement, like
//!   scikit-learn's `sample_size`), and the report says so. It is `None` when fewer than 2
//!   or more than `rows − 1` clusters occur among the rows used.
//!
//! # Row order
//! Before anything else the complete rows are put in a canonical order: sorted
//! lexicographically by their values ([`f64::total_cmp`]). Seeding, iterations, sums,
//! standardization and the silhouette sample all run on that order, and labels are
//! mapped back to the input rows. So permuting the input rows permutes the labels with
//! them and changes nothing else, bit for bit. (k-means++ on the raw order would not be
//! order-independent: its first centre is "row number u", which is a different customer
//! when the rows are shuffled.) Identical rows always get the same label.
//!
//! # Cost
//! Lloyd's inner loop is O(n·k·d) per iteration and allocates nothing: every buffer is
//! made once per fit. k = 2..10 on 100,000 × 6 rows with 4 restarts took 2.2 s natively in
//! a release build on a 2-core machine (the
//! `#[ignore]`d test `kmeans_timing_100k` prints the figure).

use super::attributes::{NumericSource, SegmentContext};
use super::canonical_sum;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use crate::model::Language;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::ops::RangeInclusive;

/// Why k-means could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KMeansError {
    /// No column was chosen.
    #[error("choose at least one numeric column")]
    NoColumns,
    /// A column name repeats.
    #[error("column {0:?} appears twice")]
    DuplicateColumn(String),
    /// A row has the wrong number of cells.
    #[error("row {row} has {cells} cells, expected {expected}")]
    RowLength {
        /// Row index (0-based).
        row: usize,
        /// Cells in the row.
        cells: usize,
        /// Number of columns.
        expected: usize,
    },
    /// k is 0.
    #[error("k must be at least 1")]
    ZeroK,
    /// No restart was asked for.
    #[error("restarts must be at least 1")]
    ZeroRestarts,
    /// No iteration was allowed.
    #[error("max_iter must be at least 1")]
    ZeroIterations,
    /// The tolerance is negative or not finite.
    #[error("the tolerance must be a finite number ≥ 0, got {0}")]
    Tolerance(f64),
    /// The silhouette sample size is below 2.
    #[error("the silhouette sample must have at least 2 rows, got {0}")]
    SilhouetteSample(usize),
    /// No row has all chosen columns.
    #[error("no row has a value in every chosen column ({excluded} rows excluded)")]
    NoCompleteRows {
        /// Rows with a missing value.
        excluded: usize,
    },
    /// k exceeds the number of distinct rows.
    #[error("k = {k} exceeds the {distinct} distinct rows among {rows} usable rows")]
    TooFewDistinctPoints {
        /// Requested k.
        k: usize,
        /// Distinct rows (in the space the clustering runs in).
        distinct: usize,
        /// Usable rows.
        rows: usize,
    },
    /// Initial centroids of the wrong shape were given.
    #[error("the initial centroids must be {k} rows of {d} finite values")]
    InitShape {
        /// Expected number of centroids.
        k: usize,
        /// Expected dimension.
        d: usize,
    },
}

impl KMeansError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            KMeansError::NoColumns => if zh { "请至少选择一个数值字段用于聚类。".into() } else { "Choose at least one numeric field to cluster on.".into() },
            KMeansError::DuplicateColumn(c) => if zh { format!("字段“{c}”被选择了两次。") } else { format!("The field “{c}” is chosen twice.") },
            KMeansError::RowLength { row, cells, expected } => if zh {
                format!("第 {} 行有 {cells} 个值，应为 {expected} 个。", row + 1)
            } else {
                format!("Row {} has {cells} values, expected {expected}.", row + 1)
            },
            KMeansError::ZeroK => if zh { "聚类数 k 至少为 1。".into() } else { "The number of clusters k must be at least 1.".into() },
            KMeansError::ZeroRestarts => if zh { "重复运行次数至少为 1。".into() } else { "The number of restarts must be at least 1.".into() },
            KMeansError::ZeroIterations => if zh { "最大迭代次数至少为 1。".into() } else { "The maximum number of iterations must be at least 1.".into() },
            KMeansError::Tolerance(t) => if zh {
                format!("收敛容差必须是不小于 0 的有效数字，当前为 {t}。")
            } else {
                format!("The tolerance must be a finite number of 0 or more, got {t}.")
            },
            KMeansError::SilhouetteSample(n) => if zh {
                format!("轮廓系数的抽样行数至少为 2，当前为 {n}。")
            } else {
                format!("The silhouette sample needs at least 2 rows, got {n}.")
            },
            KMeansError::NoCompleteRows { excluded } => if zh {
                format!("没有任何客户在所选字段上都有值（{excluded} 位客户因缺值被排除）。请换用其他字段。")
            } else {
                format!("No customer has a value in every chosen field ({excluded} excluded for missing values). Choose other fields.")
            },
            KMeansError::TooFewDistinctPoints { k, distinct, rows } => if zh {
                format!("聚类数 k = {k} 超过了不同数据点的个数：{rows} 位可用客户中只有 {distinct} 个互不相同的点。请减小 k。")
            } else {
                format!("k = {k} exceeds the number of distinct points: the {rows} usable customers give only {distinct} different points. Choose a smaller k.")
            },
            KMeansError::InitShape { k, d } => if zh {
                format!("初始聚类中心必须是 {k} 行、每行 {d} 个有效数字。")
            } else {
                format!("The initial centroids must be {k} rows of {d} finite numbers.")
            },
        }
    }
}

/// How the columns are scaled before clustering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// The values as they are.
    Raw,
    /// z-scores with the population standard deviation (a constant column becomes 0).
    #[default]
    Standardize,
}

/// A table of numeric columns to cluster: one row per customer, `None` for a missing value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansData {
    columns: Vec<String>,
    rows: Vec<Vec<Option<f64>>>,
}

impl KMeansData {
    /// Checks and builds a table: at least one column, unique names, every row as long as
    /// the header. Non-finite values are kept but count as missing.
    pub fn new(columns: Vec<String>, rows: Vec<Vec<Option<f64>>>) -> Result<Self, KMeansError> {
        if columns.is_empty() {
            return Err(KMeansError::NoColumns);
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &columns {
            if !seen.insert(c.as_str()) {
                return Err(KMeansError::DuplicateColumn(c.clone()));
            }
        }
        if let Some((row, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != columns.len()) {
            return Err(KMeansError::RowLength { row, cells: r.len(), expected: columns.len() });
        }
        Ok(KMeansData { columns, rows })
    }

    /// One row per customer of `ctx` (same order), one column per `(name, source)`.
    pub fn from_customers(ctx: &SegmentContext<'_>, columns: &[(String, NumericSource)]) -> Result<Self, KMeansError> {
        let rows = ctx.customers.iter().map(|c| columns.iter().map(|(_, s)| ctx.number(s, c)).collect()).collect();
        KMeansData::new(columns.iter().map(|(n, _)| n.clone()).collect(), rows)
    }

    /// Column names.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The rows.
    pub fn rows(&self) -> &[Vec<Option<f64>>] {
        &self.rows
    }
}

/// Parameters of a k-means fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KMeansParams {
    /// Number of clusters.
    pub k: usize,
    /// Seed of the random number generator.
    pub seed: u64,
    /// Number of k-means++ seedings; the lowest inertia wins.
    pub restarts: usize,
    /// Maximum Lloyd iterations per restart.
    pub max_iter: usize,
    /// Relative tolerance on the summed squared centre shift (× mean column variance).
    pub tol: f64,
    /// Raw or standardized columns.
    pub scaling: Scaling,
    /// Largest number of rows the silhouette uses; above it, a deterministic sample.
    pub silhouette_sample: usize,
}

impl Default for KMeansParams {
    /// k = 3, seed 42, 4 restarts, 300 iterations, tol 1e-4 (scikit-learn's defaults for
    /// the last two), standardized, silhouette on up to 5,000 rows.
    fn default() -> Self {
        KMeansParams { k: 3, seed: 42, restarts: 4, max_iter: 300, tol: 1e-4, scaling: Scaling::Standardize, silhouette_sample: 5_000 }
    }
}

/// Checked [`KMeansParams`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "KMeansParams")]
pub struct ValidKMeansParams(KMeansParams);

impl KMeansParams {
    /// Checks every parameter (the data-dependent check of k happens in the fit).
    pub fn check(&self) -> Result<ValidKMeansParams, KMeansError> {
        if self.k == 0 {
            return Err(KMeansError::ZeroK);
        }
        if self.restarts == 0 {
            return Err(KMeansError::ZeroRestarts);
        }
        if self.max_iter == 0 {
            return Err(KMeansError::ZeroIterations);
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(KMeansError::Tolerance(self.tol));
        }
        if self.silhouette_sample < 2 {
            return Err(KMeansError::SilhouetteSample(self.silhouette_sample));
        }
        Ok(ValidKMeansParams(*self))
    }
}

impl ValidKMeansParams {
    /// The parameters.
    pub fn params(&self) -> &KMeansParams {
        &self.0
    }

    /// The same parameters with another k (k ≥ 1 is kept valid).
    pub fn with_k(&self, k: usize) -> Result<ValidKMeansParams, KMeansError> {
        KMeansParams { k, ..self.0 }.check()
    }
}

/// The result of one k-means fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansReport {
    /// Parameters used.
    pub params: KMeansParams,
    /// Column names.
    pub columns: Vec<String>,
    /// Cluster of each input row (input order); `None` for an excluded row.
    pub labels: Vec<Option<usize>>,
    /// Centroids in the space the clustering ran in (z-scores when standardized).
    pub centroids: Vec<Vec<f64>>,
    /// Σ squared distances of the rows to their centroids, in that space.
    pub inertia: f64,
    /// Mean silhouette, when defined.
    pub silhouette: Option<f64>,
    /// Rows the silhouette used (all usable rows, or the sample size).
    pub silhouette_rows: usize,
    /// Whether the silhouette used a sample.
    pub silhouette_sampled: bool,
    /// Column means used by the scaling (0 for raw).
    pub mean: Vec<f64>,
    /// Column scales used by the scaling (population sd; 1 for raw or a constant column).
    pub scale: Vec<f64>,
    /// Input rows excluded for a missing value (ascending).
    pub excluded_rows: Vec<usize>,
    /// Rows clustered.
    pub used_rows: usize,
    /// Distinct rows among them.
    pub distinct_rows: usize,
    /// Lloyd iterations of the winning restart.
    pub iterations: usize,
    /// Whether the winning restart converged before `max_iter`.
    pub converged: bool,
    /// Which restart won (0-based).
    pub best_restart: usize,
}

/// The complete rows in canonical order, scaled.
struct Prepared {
    d: usize,
    n: usize,
    /// Scaled values, row-major, canonical order.
    x: Vec<f64>,
    /// Canonical position → input row.
    origin: Vec<usize>,
    mean: Vec<f64>,
    scale: Vec<f64>,
    excluded: Vec<usize>,
    distinct: usize,
    /// `tol` is multiplied by this (mean column variance of `x`).
    mean_variance: f64,
}

fn prepare(data: &KMeansData, scaling: Scaling) -> Result<Prepared, KMeansError> {
    let d = data.columns.len();
    let mut complete: Vec<(usize, &[Option<f64>])> = Vec::with_capacity(data.rows.len());
    let mut excluded = Vec::new();
    for (i, r) in data.rows.iter().enumerate() {
        if r.iter().all(|v| v.is_some_and(f64::is_finite)) {
            complete.push((i, r));
        } else {
            excluded.push(i);
        }
    }
    if complete.is_empty() {
        return Err(KMeansError::NoCompleteRows { excluded: excluded.len() });
    }
    let cmp_rows = |a: &[Option<f64>], b: &[Option<f64>]| {
        a.iter().zip(b).map(|(x, y)| x.unwrap_or(0.0).total_cmp(&y.unwrap_or(0.0))).find(|o| *o != Ordering::Equal).unwrap_or(Ordering::Equal)
    };
    // Ties (identical rows) are ordered by input row only to make the sort total; the
    // clustering cannot tell identical rows apart, so this does not affect any result.
    complete.sort_unstable_by(|a, b| cmp_rows(a.1, b.1).then(a.0.cmp(&b.0)));
    let n = complete.len();
    let distinct = 1 + complete.windows(2).filter(|w| cmp_rows(w[0].1, w[1].1) != Ordering::Equal).count();
    let mut x: Vec<f64> = complete.iter().flat_map(|(_, r)| r.iter().map(|v| v.unwrap_or(0.0))).collect();
    let origin = complete.iter().map(|(i, _)| *i).collect();
    let mut mean = vec![0.0; d];
    let mut scale = vec![1.0; d];
    let mut col = Vec::with_capacity(n);
    let mut variance = vec![0.0; d];
    for j in 0..d {
        col.clear();
        col.extend(x.iter().skip(j).step_by(d).copied());
        let constant = col.windows(2).all(|w| w[0] == w[1]);
        let m = canonical_sum(&mut col) / n as f64;
        col.clear();
        col.extend(x.iter().skip(j).step_by(d).map(|v| (v - m) * (v - m)));
        let var = if constant { 0.0 } else { canonical_sum(&mut col) / n as f64 };
        if scaling == Scaling::Standardize {
            mean[j] = m;
            let sd = var.sqrt();
            scale[j] = if constant || sd == 0.0 { 1.0 } else { sd };
            for v in x.iter_mut().skip(j).step_by(d) {
                *v = if constant { 0.0 } else { (*v - m) / scale[j] };
            }
            variance[j] = if constant { 0.0 } else { var / (scale[j] * scale[j]) };
        } else {
            variance[j] = var;
        }
    }
    let mean_variance = variance.iter().sum::<f64>() / d as f64;
    Ok(Prepared { d, n, x, origin, mean, scale, excluded, distinct, mean_variance })
}

#[inline]
fn sqdist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Buffers of one fit, allocated once and reused by every restart and iteration.
struct Workspace {
    centers: Vec<f64>,
    centers_new: Vec<f64>,
    counts: Vec<usize>,
    labels: Vec<u32>,
    labels_old: Vec<u32>,
    dist: Vec<f64>,
    chosen: Vec<usize>,
}

impl Workspace {
    fn new(n: usize, k: usize, d: usize) -> Self {
        Workspace {
            centers: vec![0.0; k * d],
            centers_new: vec![0.0; k * d],
            counts: vec![0; k],
            labels: vec![0; n],
            labels_old: vec![u32::MAX; n],
            dist: vec![0.0; n],
            chosen: Vec::with_capacity(k),
        }
    }
}

/// Assigns every row to its nearest centre; `dist[i]` gets the squared distance.
fn assign(x: &[f64], d: usize, centers: &[f64], labels: &mut [u32], dist: &mut [f64]) {
    for ((xi, l), di) in x.chunks_exact(d).zip(labels.iter_mut()).zip(dist.iter_mut()) {
        let mut best = f64::INFINITY;
        let mut best_j = 0u32;
        for (j, c) in centers.chunks_exact(d).enumerate() {
            let s = sqdist(xi, c);
            if s < best {
                best = s;
                best_j = j as u32;
            }
        }
        *l = best_j;
        *di = best;
    }
}

/// Greedy k-means++ into `ws.centers`. `cum` and `closest`, `cand` are scratch of length n.
fn seed_plus_plus(p: &Prepared, k: usize, rng: &mut ChaCha8Rng, ws: &mut Workspace, scratch: &mut Scratch) {
    let (n, d, x) = (p.n, p.d, &p.x);
    let trials = 2 + (k as f64).ln().floor() as usize;
    let first = rng.gen_range(0..n as u64) as usize;
    ws.centers[..d].copy_from_slice(&x[first * d..(first + 1) * d]);
    let closest = &mut scratch.closest;
    for (i, c) in closest.iter_mut().enumerate() {
        *c = sqdist(&x[i * d..(i + 1) * d], &x[first * d..(first + 1) * d]);
    }
    let mut pot: f64 = closest.iter().sum();
    for c in 1..k {
        let mut acc = 0.0;
        for (cu, v) in scratch.cum.iter_mut().zip(closest.iter()) {
            acc += v;
            *cu = acc;
        }
        let mut best: Option<(usize, f64)> = None;
        for _ in 0..trials {
            let r: f64 = rng.gen::<f64>() * pot;
            // The first row whose cumulative weight exceeds r: a row at distance 0 (already
            // a centre) can never be drawn.
            let mut cand = scratch.cum.partition_point(|v| *v <= r).min(n - 1);
            if pot <= 0.0 || closest[cand] <= 0.0 {
                // Only when every weight underflowed: take the first row not yet a centre.
                match closest.iter().position(|v| *v > 0.0) {
                    Some(i) => cand = i,
                    None => continue,
                }
            }
            let xc = &x[cand * d..(cand + 1) * d];
            let mut cand_pot = 0.0;
            for (i, (t, cl)) in scratch.trial.iter_mut().zip(closest.iter()).enumerate() {
                *t = cl.min(sqdist(&x[i * d..(i + 1) * d], xc));
                cand_pot += *t;
            }
            if best.is_none_or(|(_, bp)| cand_pot < bp) {
                best = Some((cand, cand_pot));
                scratch.best.copy_from_slice(&scratch.trial);
            }
        }
        let Some((chosen, best_pot)) = best else {
            // Fewer distinct rows than centres: cannot happen after the distinct check;
            // repeat the first centre rather than fail.
            ws.centers.copy_within(0..d, c * d);
            continue;
        };
        ws.centers[c * d..(c + 1) * d].copy_from_slice(&x[chosen * d..(chosen + 1) * d]);
        closest.copy_from_slice(&scratch.best);
        pot = best_pot;
    }
}

/// Scratch of k-means++ (length n each).
struct Scratch {
    closest: Vec<f64>,
    cum: Vec<f64>,
    trial: Vec<f64>,
    best: Vec<f64>,
}

/// Where a Lloyd run stands, so that it can be carried out a few iterations at a time.
struct LloydState {
    /// Iterations done.
    it: usize,
    /// Stopped because the labels did not change (the last assignment is final).
    strict: bool,
    converged: bool,
    finished: bool,
}

fn lloyd_begin(ws: &mut Workspace) -> LloydState {
    ws.labels_old.fill(u32::MAX);
    LloydState { it: 0, strict: false, converged: false, finished: false }
}

/// One Lloyd iteration from `ws.centers`; returns true when the run has stopped.
fn lloyd_iter(p: &Prepared, max_iter: usize, tol_abs: f64, ws: &mut Workspace, st: &mut LloydState) -> bool {
    if st.finished || st.it >= max_iter {
        st.finished = true;
        return true;
    }
    let (d, x) = (p.d, &p.x);
    st.it += 1;
    assign(x, d, &ws.centers, &mut ws.labels, &mut ws.dist);
    ws.centers_new.fill(0.0);
    ws.counts.fill(0);
    for (xi, &l) in x.chunks_exact(d).zip(ws.labels.iter()) {
        let l = l as usize;
        ws.counts[l] += 1;
        for (c, v) in ws.centers_new[l * d..(l + 1) * d].iter_mut().zip(xi) {
            *c += v;
        }
    }
    relocate_empty(p, ws);
    for (c, &m) in ws.centers_new.chunks_exact_mut(d).zip(ws.counts.iter()) {
        if m > 0 {
            let inv = m as f64;
            c.iter_mut().for_each(|v| *v /= inv);
        }
    }
    let shift: f64 = ws.centers.iter().zip(&ws.centers_new).map(|(a, b)| (a - b) * (a - b)).sum();
    std::mem::swap(&mut ws.centers, &mut ws.centers_new);
    if ws.labels == ws.labels_old {
        st.strict = true;
        st.converged = true;
        st.finished = true;
        return true;
    } else if shift <= tol_abs {
        st.converged = true;
        st.finished = true;
        return true;
    }
    ws.labels_old.copy_from_slice(&ws.labels);
    if st.it >= max_iter {
        st.finished = true;
    }
    st.finished
}

/// Ends a Lloyd run: the final assignment when not stopped by unchanged labels, and the
/// inertia; returns (inertia, iterations, converged).
fn lloyd_end(p: &Prepared, ws: &mut Workspace, st: &LloydState) -> (f64, usize, bool) {
    let (d, x) = (p.d, &p.x);
    if !st.strict {
        assign(x, d, &ws.centers, &mut ws.labels, &mut ws.dist);
    }
    let inertia = x.chunks_exact(d).zip(&ws.labels).map(|(xi, &l)| sqdist(xi, &ws.centers[l as usize * d..(l as usize + 1) * d])).sum();
    (inertia, st.it, st.converged)
}

/// One Lloyd run from `ws.centers`; returns (inertia, iterations, converged).
fn lloyd(p: &Prepared, max_iter: usize, tol_abs: f64, ws: &mut Workspace) -> (f64, usize, bool) {
    let mut st = lloyd_begin(ws);
    while !lloyd_iter(p, max_iter, tol_abs, ws, &mut st) {}
    lloyd_end(p, ws, &st)
}

/// Moves each empty cluster's (summed) centre to one of the rows farthest from their own
/// centre, taking the row out of its old cluster's sum, as scikit-learn does. Labels are
/// left alone; the next assignment step sorts them out.
fn relocate_empty(p: &Prepared, ws: &mut Workspace) {
    let d = p.d;
    if ws.counts.iter().all(|&m| m > 0) {
        return;
    }
    ws.chosen.clear();
    for j in 0..ws.counts.len() {
        if ws.counts[j] > 0 {
            continue;
        }
        // Farthest row not chosen yet; ties go to the lowest canonical row.
        let mut far: Option<usize> = None;
        for (i, &di) in ws.dist.iter().enumerate() {
            if ws.chosen.contains(&i) {
                continue;
            }
            if far.is_none_or(|f| di > ws.dist[f]) {
                far = Some(i);
            }
        }
        let Some(i) = far else { return };
        ws.chosen.push(i);
        let old = ws.labels[i] as usize;
        let xi = &p.x[i * d..(i + 1) * d];
        if ws.counts[old] > 1 {
            for (c, v) in ws.centers_new[old * d..(old + 1) * d].iter_mut().zip(xi) {
                *c -= v;
            }
            ws.counts[old] -= 1;
        }
        ws.centers_new[j * d..(j + 1) * d].copy_from_slice(xi);
        ws.counts[j] = 1;
    }
}

/// Mean silhouette over `rows` (canonical positions, ascending), with `labels` in canonical
/// order. `None` when fewer than 2 or more than `rows − 1` clusters occur among them.
fn silhouette_of(p: &Prepared, labels: &[u32], k: usize, rows: &[usize]) -> Option<f64> {
    let m = rows.len();
    let d = p.d;
    let mut sizes = vec![0usize; k];
    for &i in rows {
        sizes[labels[i] as usize] += 1;
    }
    let present = sizes.iter().filter(|&&s| s > 0).count();
    if present < 2 || present > m.saturating_sub(1) {
        return None;
    }
    // sums[a * k + c] = Σ distance from row a to the rows of cluster c; each pair once.
    let mut sums = vec![0.0f64; m * k];
    for a in 0..m {
        let xa = &p.x[rows[a] * d..(rows[a] + 1) * d];
        let la = labels[rows[a]] as usize;
        for b in (a + 1)..m {
            let lb = labels[rows[b]] as usize;
            let dist = sqdist(xa, &p.x[rows[b] * d..(rows[b] + 1) * d]).sqrt();
            sums[a * k + lb] += dist;
            sums[b * k + la] += dist;
        }
    }
    let mut s_total = 0.0;
    for a in 0..m {
        let la = labels[rows[a]] as usize;
        if sizes[la] <= 1 {
            continue;
        }
        let own = sums[a * k + la] / (sizes[la] - 1) as f64;
        let other = (0..k).filter(|&c| c != la && sizes[c] > 0).map(|c| sums[a * k + c] / sizes[c] as f64).fold(f64::INFINITY, f64::min);
        let denom = own.max(other);
        if denom > 0.0 {
            s_total += (other - own) / denom;
        }
    }
    Some(s_total / m as f64)
}

/// The rows (canonical positions, ascending) the silhouette uses: all, or a sample drawn by
/// a partial Fisher-Yates shuffle from ChaCha8(seed, stream 2^63).
fn silhouette_rows(n: usize, limit: usize, seed: u64) -> Vec<usize> {
    if n <= limit {
        return (0..n).collect();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1 << 63);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..limit {
        let j = i + rng.gen_range(0..(n - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx.truncate(limit);
    idx.sort_unstable();
    idx
}

struct Fit {
    labels: Vec<u32>,
    centers: Vec<f64>,
    inertia: f64,
    iterations: usize,
    converged: bool,
    best_restart: usize,
}

fn run(p: &Prepared, params: &KMeansParams, init: Option<&[f64]>) -> Fit {
    let k = params.k;
    let mut ws = Workspace::new(p.n, k, p.d);
    let tol_abs = params.tol * p.mean_variance;
    let mut best: Option<Fit> = None;
    let mut scratch = Scratch { closest: vec![0.0; p.n], cum: vec![0.0; p.n], trial: vec![0.0; p.n], best: vec![0.0; p.n] };
    let restarts = if init.is_some() { 1 } else { params.restarts };
    for r in 0..restarts {
        match init {
            Some(c) => ws.centers.copy_from_slice(c),
            None => {
                let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
                rng.set_stream(r as u64);
                seed_plus_plus(p, k, &mut rng, &mut ws, &mut scratch);
            }
        }
        let (inertia, iterations, converged) = lloyd(p, params.max_iter, tol_abs, &mut ws);
        if best.as_ref().is_none_or(|b| inertia < b.inertia) {
            best = Some(Fit { labels: ws.labels.clone(), centers: ws.centers.clone(), inertia, iterations, converged, best_restart: r });
        }
    }
    best.unwrap_or(Fit { labels: ws.labels, centers: ws.centers, inertia: f64::NAN, iterations: 0, converged: false, best_restart: 0 })
}

fn report(data: &KMeansData, p: &Prepared, params: &KMeansParams, fit: Fit, sil_rows: &[usize]) -> KMeansReport {
    let silhouette = silhouette_of(p, &fit.labels, params.k, sil_rows);
    let mut labels = vec![None; data.rows.len()];
    for (pos, &l) in fit.labels.iter().enumerate() {
        labels[p.origin[pos]] = Some(l as usize);
    }
    KMeansReport {
        params: *params,
        columns: data.columns.clone(),
        labels,
        centroids: fit.centers.chunks_exact(p.d).map(<[f64]>::to_vec).collect(),
        inertia: fit.inertia,
        silhouette,
        silhouette_rows: sil_rows.len(),
        silhouette_sampled: sil_rows.len() < p.n,
        mean: p.mean.clone(),
        scale: p.scale.clone(),
        excluded_rows: p.excluded.clone(),
        used_rows: p.n,
        distinct_rows: p.distinct,
        iterations: fit.iterations,
        converged: fit.converged,
        best_restart: fit.best_restart,
    }
}

impl KMeansReport {
    /// The centroids in the original units of the columns, `mean_j + c_j · scale_j` (the
    /// centroids themselves for raw data), for drawing them on a scatter of the values.
    pub fn centroids_original(&self) -> Vec<Vec<f64>> {
        self.centroids.iter().map(|c| c.iter().zip(self.mean.iter().zip(&self.scale)).map(|(v, (m, s))| m + v * s).collect()).collect()
    }
}

fn check_k(p: &Prepared, k: usize) -> Result<(), KMeansError> {
    if k > p.distinct {
        return Err(KMeansError::TooFewDistinctPoints { k, distinct: p.distinct, rows: p.n });
    }
    Ok(())
}

/// Fits k-means with k-means++ seeding and restarts (see the module docs).
pub fn fit(data: &KMeansData, params: &ValidKMeansParams) -> Result<KMeansReport, KMeansError> {
    let params = &params.0;
    let p = prepare(data, params.scaling)?;
    check_k(&p, params.k)?;
    let fit = run(&p, params, None);
    let rows = silhouette_rows(p.n, params.silhouette_sample, params.seed);
    Ok(report(data, &p, params, fit, &rows))
}

/// Fits k-means from given initial centroids (in the space the clustering runs in: z-scores
/// when standardized), one run, no seeding: the way to compare with another
/// implementation started from the same centroids.
pub fn fit_from(data: &KMeansData, params: &ValidKMeansParams, init: &[Vec<f64>]) -> Result<KMeansReport, KMeansError> {
    let params = &params.0;
    let p = prepare(data, params.scaling)?;
    let shape = KMeansError::InitShape { k: params.k, d: p.d };
    if init.len() != params.k || init.iter().any(|c| c.len() != p.d || !c.iter().all(|v| v.is_finite())) {
        return Err(shape);
    }
    check_k(&p, params.k)?;
    let flat: Vec<f64> = init.iter().flatten().copied().collect();
    let fit = run(&p, params, Some(&flat));
    let rows = silhouette_rows(p.n, params.silhouette_sample, params.seed);
    Ok(report(data, &p, params, fit, &rows))
}

/// One point of the elbow and silhouette curves.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Number of clusters.
    pub k: usize,
    /// Inertia of the best restart.
    pub inertia: f64,
    /// Mean silhouette, when defined.
    pub silhouette: Option<f64>,
}

/// The elbow (inertia) and silhouette curves over a range of k.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurveReport {
    /// Parameters used (their `k` is ignored).
    pub params: KMeansParams,
    /// One point per feasible k, ascending.
    pub points: Vec<CurvePoint>,
    /// The k of the range that exceed the number of distinct rows.
    pub skipped: Vec<usize>,
    /// Rows clustered.
    pub used_rows: usize,
    /// Rows excluded for a missing value.
    pub excluded_rows: usize,
    /// The k with the highest silhouette (ties: the smaller k).
    pub best_silhouette_k: Option<usize>,
}

/// Fits every k in `ks` (usually `2..=10`) with the same seed and restarts; the data are
/// prepared and the silhouette rows drawn once, so all points are comparable.
pub fn curve(data: &KMeansData, params: &ValidKMeansParams, ks: RangeInclusive<usize>) -> Result<CurveReport, KMeansError> {
    let base = params.0;
    let p = prepare(data, base.scaling)?;
    let rows = silhouette_rows(p.n, base.silhouette_sample, base.seed);
    let mut points = Vec::new();
    let mut skipped = Vec::new();
    for k in ks {
        if k == 0 {
            continue;
        }
        if k > p.distinct {
            skipped.push(k);
            continue;
        }
        let params = KMeansParams { k, ..base };
        let fit = run(&p, &params, None);
        let silhouette = silhouette_of(&p, &fit.labels, k, &rows);
        points.push(CurvePoint { k, inertia: fit.inertia, silhouette });
    }
    Ok(curve_report(base, points, skipped, p.n, p.excluded.len()))
}

/// The curve report of the points (ascending k), with the best silhouette's k.
fn curve_report(params: KMeansParams, points: Vec<CurvePoint>, skipped: Vec<usize>, used_rows: usize, excluded_rows: usize) -> CurveReport {
    let best_silhouette_k = points
        .iter()
        .filter_map(|pt| pt.silhouette.map(|s| (pt.k, s)))
        .fold(None, |acc: Option<(usize, f64)>, (k, s)| if acc.is_none_or(|(_, bs)| s > bs) { Some((k, s)) } else { acc })
        .map(|(k, _)| k);
    CurveReport { params, points, skipped, used_rows, excluded_rows, best_silhouette_k }
}

/// The curves of some of the k of a range, computed by one worker ([`CurveRun::into_part`]),
/// with the full report of each k; [`merge_curves`] joins the parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePart {
    /// Points of the k done, ascending.
    pub points: Vec<CurvePoint>,
    /// The report of each point's k, in the same order.
    pub reports: Vec<KMeansReport>,
    /// The k of the part that exceed the number of distinct rows.
    pub skipped: Vec<usize>,
    /// Rows clustered.
    pub used_rows: usize,
    /// Rows excluded for a missing value.
    pub excluded_rows: usize,
}

/// Joins the parts of a curve split by k (every k in one part) into the report that
/// [`CurveRun`] over all of them gives, and the reports of every k, ascending. Each k's
/// fit depends only on the data, the seed and k, so the result is the same however the
/// k were split.
pub fn merge_curves(params: &ValidKMeansParams, parts: Vec<CurvePart>) -> (CurveReport, Vec<KMeansReport>) {
    let (used, excluded) = parts.first().map_or((0, 0), |p| (p.used_rows, p.excluded_rows));
    let mut pairs: Vec<(CurvePoint, KMeansReport)> = Vec::new();
    let mut skipped = Vec::new();
    for p in parts {
        pairs.extend(p.points.into_iter().zip(p.reports));
        skipped.extend(p.skipped);
    }
    pairs.sort_by_key(|(pt, _)| pt.k);
    pairs.dedup_by_key(|(pt, _)| pt.k);
    skipped.sort_unstable();
    skipped.dedup();
    let (points, reports): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
    (curve_report(params.0, points, skipped, used, excluded), reports)
}

/// The k of `ks` that worker `i` of `n` computes: dealt out from the largest k (the most
/// work) down, so each worker gets a similar share.
pub fn deal_ks(ks: RangeInclusive<usize>, i: usize, n: usize) -> Vec<usize> {
    let n = n.max(1);
    let mut mine: Vec<usize> = ks.rev().enumerate().filter(|(j, _)| {
        // Boustrophedon: 0,1,…,n-1,n-1,…,0, so the heavy k are spread.
        let round = j / n;
        let pos = j % n;
        (if round % 2 == 0 { pos } else { n - 1 - pos }) == i
    }).map(|(_, k)| k).collect();
    mine.sort_unstable();
    mine
}

/// The profile of one cluster, in the original units of the columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterProfile {
    /// Cluster number (as in the labels).
    pub cluster: usize,
    /// Rows in the cluster.
    pub size: usize,
    /// Share of the clustered rows, 0-1.
    pub share: f64,
    /// Mean of each column over the cluster, original units.
    pub means: Vec<f64>,
    /// Total revenue of the cluster's rows, when revenue was given.
    pub revenue: Option<f64>,
}

/// Per-cluster size, column means (original units) and revenue. `revenue`, when given, is
/// aligned with the rows of `data` (missing entries count 0). Sums are order-independent.
pub fn profiles(data: &KMeansData, report: &KMeansReport, revenue: Option<&[f64]>) -> Vec<ClusterProfile> {
    let k = report.centroids.len();
    let d = data.columns.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, l) in report.labels.iter().enumerate() {
        if let Some(m) = l.and_then(|l| members.get_mut(l)) {
            m.push(i);
        }
    }
    let used = report.used_rows.max(1) as f64;
    let mut buf = Vec::new();
    members
        .iter()
        .enumerate()
        .map(|(cluster, rows)| {
            let means = (0..d)
                .map(|j| {
                    buf.clear();
                    buf.extend(rows.iter().filter_map(|&i| data.rows.get(i).and_then(|r| r[j])));
                    if rows.is_empty() {
                        f64::NAN
                    } else {
                        canonical_sum(&mut buf) / rows.len() as f64
                    }
                })
                .collect();
            let revenue = revenue.map(|rev| {
                buf.clear();
                buf.extend(rows.iter().map(|&i| rev.get(i).copied().unwrap_or(0.0)));
                canonical_sum(&mut buf)
            });
            ClusterProfile { cluster, size: rows.len(), share: rows.len() as f64 / used, means, revenue }
        })
        .collect()
}

/// The elbow and silhouette curves computed one step at a time, so that a page can show
/// progress and let the browser breathe between steps: each [`CurveRun::step`] does a
/// bounded amount of work (a seeding and some Lloyd iterations of one restart of one k;
/// the silhouette of a k is computed when its last restart ends). The result
/// is bit-identical to [`curve`] with the same parameters (same seeds, same order of
/// restarts, same silhouette rows), and the best fit of every k is kept, so that
/// [`CurveRun::report`] gives the full [`KMeansReport`] of the k the user picks without
/// fitting again.
pub struct CurveRun {
    base: KMeansParams,
    data: KMeansData,
    p: Prepared,
    sil_rows: Vec<usize>,
    ks: Vec<usize>,
    skipped: Vec<usize>,
    /// Index into `ks` of the k being fitted, and its next restart.
    at: usize,
    restart: usize,
    current: Option<Fit>,
    ws: Option<(Workspace, Scratch)>,
    /// The Lloyd run of the current restart, when it is under way.
    lloyd: Option<LloydState>,
    done: Vec<(CurvePoint, Fit)>,
}

impl CurveRun {
    /// The work of one [`CurveRun::step`], in squared-distance terms (row × centre ×
    /// column): 2·10⁷, about 20-60 ms in the browser.
    pub const STEP_WORK: usize = 20_000_000;

    /// Prepares the data (exclusions, canonical order, scaling) and the silhouette rows.
    pub fn new(data: &KMeansData, params: &ValidKMeansParams, ks: RangeInclusive<usize>) -> Result<CurveRun, KMeansError> {
        Self::with_ks(data, params, &ks.collect::<Vec<_>>())
    }

    /// As [`CurveRun::new`] for the k listed (ascending), as one worker's share of a range.
    pub fn with_ks(data: &KMeansData, params: &ValidKMeansParams, ks: &[usize]) -> Result<CurveRun, KMeansError> {
        let base = params.0;
        let p = prepare(data, base.scaling)?;
        let sil_rows = silhouette_rows(p.n, base.silhouette_sample, base.seed);
        let (ks, skipped): (Vec<usize>, Vec<usize>) = ks.iter().copied().filter(|&k| k > 0).partition(|&k| k <= p.distinct);
        Ok(CurveRun { base, data: data.clone(), p, sil_rows, ks, skipped, at: 0, restart: 0, current: None, ws: None, lloyd: None, done: Vec::new() })
    }

    /// Restarts in all (restarts × feasible k), the unit of progress.
    pub fn total_steps(&self) -> usize {
        self.ks.len() * self.base.restarts
    }

    /// Restarts completed so far (a [`CurveRun::step`] may end inside a restart).
    pub fn steps_done(&self) -> usize {
        self.at * self.base.restarts + self.restart
    }

    /// Whether every step is done.
    pub fn finished(&self) -> bool {
        self.at >= self.ks.len()
    }

    /// Does a bounded amount of work (about [`CurveRun::STEP_WORK`] distance terms: the
    /// seeding of a restart and then Lloyd iterations), so that no step blocks for long
    /// even on 100,000 rows; after the last restart of a k, scores it. Does nothing once
    /// finished.
    pub fn step(&mut self) {
        let Some(&k) = self.ks.get(self.at) else { return };
        let params = KMeansParams { k, ..self.base };
        let (n, d) = (self.p.n, self.p.d);
        let (ws, scratch) = self.ws.get_or_insert_with(|| {
            (Workspace::new(n, k, d), Scratch { closest: vec![0.0; n], cum: vec![0.0; n], trial: vec![0.0; n], best: vec![0.0; n] })
        });
        let mut spent = 0usize;
        let st = match self.lloyd.as_mut() {
            Some(st) => st,
            None => {
                let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
                rng.set_stream(self.restart as u64);
                seed_plus_plus(&self.p, k, &mut rng, ws, scratch);
                spent += n * d * k * (2 + (k as f64).ln().floor() as usize);
                self.lloyd.insert(lloyd_begin(ws))
            }
        };
        let tol_abs = params.tol * self.p.mean_variance;
        let per_iteration = (n * k * d).max(1);
        loop {
            if lloyd_iter(&self.p, params.max_iter, tol_abs, ws, st) {
                break;
            }
            spent += per_iteration;
            if spent >= Self::STEP_WORK {
                return;
            }
        }
        let (inertia, iterations, converged) = lloyd_end(&self.p, ws, st);
        self.lloyd = None;
        if self.current.as_ref().is_none_or(|b| inertia < b.inertia) {
            self.current = Some(Fit { labels: ws.labels.clone(), centers: ws.centers.clone(), inertia, iterations, converged, best_restart: self.restart });
        }
        self.restart += 1;
        if self.restart >= self.base.restarts {
            if let Some(fit) = self.current.take() {
                let silhouette = silhouette_of(&self.p, &fit.labels, k, &self.sil_rows);
                self.done.push((CurvePoint { k, inertia: fit.inertia, silhouette }, fit));
            }
            self.restart = 0;
            self.at += 1;
            self.ws = None;
        }
    }

    /// The curves over the k done so far (all of them once finished).
    pub fn curve(&self) -> CurveReport {
        let points: Vec<CurvePoint> = self.done.iter().map(|(pt, _)| *pt).collect();
        curve_report(self.base, points, self.skipped.clone(), self.p.n, self.p.excluded.len())
    }

    /// The points and full reports of the k done, for [`merge_curves`].
    pub fn into_part(self) -> CurvePart {
        let reports = self.done.iter().filter_map(|(pt, _)| self.report(pt.k)).collect();
        CurvePart { points: self.done.iter().map(|(pt, _)| *pt).collect(), reports, skipped: self.skipped.clone(), used_rows: self.p.n, excluded_rows: self.p.excluded.len() }
    }

    /// The full report of a k already done (the best of its restarts), or `None`.
    pub fn report(&self, k: usize) -> Option<KMeansReport> {
        let (_, fit) = self.done.iter().find(|(pt, _)| pt.k == k)?;
        let fit = Fit { labels: fit.labels.clone(), centers: fit.centers.clone(), ..*fit };
        Some(report(&self.data, &self.p, &KMeansParams { k, ..self.base }, fit, &self.sil_rows))
    }

    /// The table the run clusters.
    pub fn data(&self) -> &KMeansData {
        &self.data
    }
}

impl TryFrom<KMeansParams> for ValidKMeansParams {
    type Error = KMeansError;
    /// [`KMeansParams::check`]: the only way to a [`ValidKMeansParams`], from code or from serde.
    fn try_from(raw: KMeansParams) -> Result<Self, KMeansError> {
        raw.check()
    }
}
