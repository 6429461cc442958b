//! RFM scoring (SPEC §3.2): recency, frequency, monetary value, their 1-5 scores, the score
//! code (`"545"`) and the named segment.
//!
//! - R = days from the last purchase to the as-of date, F = purchase occasions in the
//!   period, M = total amount in the period (or the mean per occasion).
//! - Quintile scores are computed on ranks so the bins are equal-sized. Customers are
//!   ranked from worst to best (R: oldest last purchase first; F, M: smallest first), ties
//!   broken by customer id ascending (numerically when all ids are numbers), so the lower id
//!   gets the lower score. With rank `k` (1-based) of `n` customers the score is
//!   `max(1, ⌈5 (k − 1) / (n − 1)⌉)`: exactly `pandas.qcut(x.rank(method="first"), 5)`, the
//!   recipe analysts use (quantile edges of the ranks with linear interpolation, bins
//!   closed on the right). A single customer gets the middle score 3.
//! - Fixed cut points replace the quintiles when the user prefers stable bins: for R four
//!   ascending day limits (≤ c₁ → 5, ≤ c₂ → 4, ≤ c₃ → 3, ≤ c₄ → 2, else 1); for F and M four
//!   ascending lower bounds (≥ c₄ → 5, ≥ c₃ → 4, ≥ c₂ → 3, ≥ c₁ → 2, else 1).
//! - The named segment comes from an R × FM grid ([`SegmentGrid`], data the user may edit)
//!   with FM = ⌊(F + M + 1) / 2⌋ (the mean of the F and M scores, halves rounded up).

use super::{cmp_f64, invalid, IdOrder, ValueError};
use serde::{Deserialize, Serialize};

/// A named RFM segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RfmSegment {
    /// Bought recently, buy often and spend the most. 重要价值客户
    Champions,
    /// Buy regularly, respond to promotions. 忠诚客户
    Loyal,
    /// Recent customers with average frequency. 潜在忠诚客户
    PotentialLoyalist,
    /// Bought most recently, but not often. 新客户
    New,
    /// Recent shoppers who have not spent much. 有潜力客户
    Promising,
    /// Above-average recency, frequency and value. 需要关注客户
    NeedAttention,
    /// Below-average recency and frequency. 即将沉睡客户
    AboutToSleep,
    /// Spent and bought often, but long ago. 高危流失客户
    AtRisk,
    /// Made the biggest purchases and often, but long ago. 不能失去的客户
    CantLose,
    /// Last purchase long ago, few orders, low spend. 沉睡客户
    Hibernating,
    /// Lowest recency, frequency and value. 已流失客户
    Lost,
}

impl RfmSegment {
    /// All segments in the order of SPEC §3.2.
    pub const ALL: [RfmSegment; 11] = [
        RfmSegment::Champions,
        RfmSegment::Loyal,
        RfmSegment::PotentialLoyalist,
        RfmSegment::New,
        RfmSegment::Promising,
        RfmSegment::NeedAttention,
        RfmSegment::AboutToSleep,
        RfmSegment::AtRisk,
        RfmSegment::CantLose,
        RfmSegment::Hibernating,
        RfmSegment::Lost,
    ];

    /// Stable code (`champions`, `cant_lose`…), as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            RfmSegment::Champions => "champions",
            RfmSegment::Loyal => "loyal",
            RfmSegment::PotentialLoyalist => "potential_loyalist",
            RfmSegment::New => "new",
            RfmSegment::Promising => "promising",
            RfmSegment::NeedAttention => "need_attention",
            RfmSegment::AboutToSleep => "about_to_sleep",
            RfmSegment::AtRisk => "at_risk",
            RfmSegment::CantLose => "cant_lose",
            RfmSegment::Hibernating => "hibernating",
            RfmSegment::Lost => "lost",
        }
    }
}

/// The R × FM segment grid: `cells[r - 1][fm - 1]`.
///
/// The default is the widely used R × F segment map of RFM practice (the "RFM
/// segmentation" map with Champions … Hibernating, also in the R package `rfm`), with the
/// bottom-left cell (R = 1, FM = 1) named Lost:
///
/// | R \ FM | 1 | 2 | 3 | 4 | 5 |
/// | --- | --- | --- | --- | --- | --- |
/// | 5 | New | Potential loyalist | Potential loyalist | Champions | Champions |
/// | 4 | Promising | Potential loyalist | Potential loyalist | Loyal | Loyal |
/// | 3 | About to sleep | About to sleep | Need attention | Loyal | Loyal |
/// | 2 | Hibernating | Hibernating | At risk | At risk | Can't lose |
/// | 1 | Lost | Hibernating | At risk | At risk | Can't lose |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentGrid {
    /// `cells[r - 1][fm - 1]` is the segment of R score `r` and FM score `fm`.
    pub cells: [[RfmSegment; 5]; 5],
}

impl Default for SegmentGrid {
    fn default() -> Self {
        use RfmSegment::*;
        SegmentGrid {
            cells: [
                [Lost, Hibernating, AtRisk, AtRisk, CantLose],
                [Hibernating, Hibernating, AtRisk, AtRisk, CantLose],
                [AboutToSleep, AboutToSleep, NeedAttention, Loyal, Loyal],
                [Promising, PotentialLoyalist, PotentialLoyalist, Loyal, Loyal],
                [New, PotentialLoyalist, PotentialLoyalist, Champions, Champions],
            ],
        }
    }
}

impl SegmentGrid {
    /// The segment of scores `r`, `f`, `m` (each 1-5).
    pub fn segment(&self, r: u8, f: u8, m: u8) -> RfmSegment {
        let fm = (f + m).div_ceil(2);
        self.cells[usize::from(r.clamp(1, 5) - 1)][usize::from(fm.clamp(1, 5) - 1)]
    }
}

/// How scores are assigned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RfmScoring {
    /// Equal-sized bins on ranks (the default).
    Quintiles,
    /// Fixed, editable cut points (see the module docs for their meaning).
    Fixed {
        /// Recency limits in days, ascending.
        r: [f64; 4],
        /// Frequency lower bounds, ascending.
        f: [f64; 4],
        /// Monetary lower bounds, ascending.
        m: [f64; 4],
    },
}

impl RfmScoring {
    /// Fixed cut points to start editing from: R 30/90/180/365 days; F 2/3/5/10
    /// occasions; M 10k/50k/200k/1M yuan (B2B orders).
    pub fn suggested_fixed() -> RfmScoring {
        RfmScoring::Fixed { r: [30.0, 90.0, 180.0, 365.0], f: [2.0, 3.0, 5.0, 10.0], m: [10_000.0, 50_000.0, 200_000.0, 1_000_000.0] }
    }
}

/// What M measures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monetary {
    /// Total amount in the period.
    #[default]
    Total,
    /// Mean amount per purchase occasion (0 without occasions).
    MeanPerOccasion,
}

/// Parameters of the RFM analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RfmParams {
    /// Quintiles or fixed cut points.
    pub scoring: RfmScoring,
    /// Total or mean per occasion.
    pub monetary: Monetary,
    /// The segment grid.
    pub grid: SegmentGrid,
}

impl Default for RfmParams {
    fn default() -> Self {
        RfmParams { scoring: RfmScoring::Quintiles, monetary: Monetary::Total, grid: SegmentGrid::default() }
    }
}

impl RfmParams {
    /// Checks that fixed cut points are finite and strictly ascending.
    pub fn check(&self) -> Result<ValidRfmParams, ValueError> {
        if let RfmScoring::Fixed { r, f, m } = &self.scoring {
            for (name, cuts) in [("rfm.r_cuts", r), ("rfm.f_cuts", f), ("rfm.m_cuts", m)] {
                if cuts.iter().any(|c| !c.is_finite()) || cuts.windows(2).any(|w| w[0] >= w[1]) {
                    return Err(invalid(name, format!("分界点必须是有效数字且严格递增，当前为 {}", list(cuts, "、")), format!("cut points must be finite and strictly ascending, got {}", list(cuts, ", "))));
                }
            }
        }
        Ok(ValidRfmParams(*self))
    }
}

/// [`RfmParams`] that passed [`RfmParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "RfmParams")]
pub struct ValidRfmParams(RfmParams);

impl ValidRfmParams {
    /// The checked parameters.
    pub fn params(&self) -> &RfmParams {
        &self.0
    }
}

/// The raw inputs of one customer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RfmInput {
    /// Days since the last purchase.
    pub recency_days: i64,
    /// Purchase occasions in the period.
    pub frequency: u32,
    /// Total amount in the period.
    pub amount: f64,
}

/// RFM of one customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmRow {
    /// R: days since the last purchase.
    pub recency_days: i64,
    /// F: purchase occasions.
    pub frequency: u32,
    /// M: total or mean amount.
    pub monetary: f64,
    /// R score 1-5 (5 = most recent).
    pub r: u8,
    /// F score 1-5.
    pub f: u8,
    /// M score 1-5.
    pub m: u8,
    /// `"RFM"`, e.g. `"545"`.
    pub code: String,
    /// Named segment.
    pub segment: RfmSegment,
}

/// The value range of each score 1-5 (`None` for an empty bin): `[score - 1] = (min, max)`.
pub type BinEdges = [Option<(f64, f64)>; 5];

/// Result of [`rfm`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmReport {
    /// The parameters used.
    pub params: RfmParams,
    /// One row per input, aligned.
    pub rows: Vec<RfmRow>,
    /// Recency range (days) of each R score.
    pub r_bins: BinEdges,
    /// Frequency range of each F score.
    pub f_bins: BinEdges,
    /// Monetary range of each M score.
    pub m_bins: BinEdges,
    /// Customers per segment, in [`RfmSegment::ALL`] order.
    pub segment_counts: Vec<(RfmSegment, usize)>,
    /// R × F heat map: `heat[r - 1][f - 1]` customers.
    pub heat: [[usize; 5]; 5],
}

/// Quintile score of 1-based rank `k` among `n`: `max(1, ⌈5 (k − 1) / (n − 1)⌉)`.
pub fn quintile_of_rank(k: usize, n: usize) -> u8 {
    if n <= 1 {
        return 3;
    }
    (5 * (k - 1)).div_ceil(n - 1).clamp(1, 5) as u8
}

/// Scores `values` 1-5 on ranks; `better` orders two values (Less = worse). Ties by id.
/// Cut points as text, joined by `sep`.
fn list(cuts: &[f64], sep: &str) -> String {
    cuts.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(sep)
}

fn quintile_scores<S: AsRef<str>>(ids: &[S], values: &[f64], higher_is_better: bool, id_order: IdOrder) -> Vec<u8> {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| {
        let by_value = if higher_is_better { cmp_f64(values[i], values[j]) } else { cmp_f64(values[j], values[i]) };
        by_value.then_with(|| id_order.compare(ids[i].as_ref(), ids[j].as_ref()))
    });
    let mut scores = vec![0u8; n];
    for (rank, &i) in order.iter().enumerate() {
        scores[i] = quintile_of_rank(rank + 1, n);
    }
    scores
}

fn bins(values: &[f64], scores: &[u8]) -> BinEdges {
    let mut b: BinEdges = [None; 5];
    for (v, s) in values.iter().zip(scores) {
        let e = &mut b[usize::from(s - 1)];
        *e = Some(match *e {
            None => (*v, *v),
            Some((lo, hi)) => (lo.min(*v), hi.max(*v)),
        });
    }
    b
}

/// Scores every customer. `ids` and `inputs` are aligned; amounts must be finite.
pub fn rfm<S: AsRef<str> + Sync>(ids: &[S], inputs: &[RfmInput], params: &ValidRfmParams) -> Result<RfmReport, ValueError> {
    if ids.len() != inputs.len() {
        return Err(ValueError::LengthMismatch { what: "ids and RFM inputs".into(), left: ids.len(), right: inputs.len() });
    }
    if let Some(i) = inputs.iter().position(|x| !x.amount.is_finite()) {
        return Err(invalid("monetary", format!("客户 {} 的消费金额不是有效数字", ids[i].as_ref()), format!("the amount of customer {} is not a finite number", ids[i].as_ref())));
    }
    let p = &params.0;
    let rec: Vec<f64> = inputs.iter().map(|x| x.recency_days as f64).collect();
    let freq: Vec<f64> = inputs.iter().map(|x| f64::from(x.frequency)).collect();
    let mon: Vec<f64> = inputs
        .iter()
        .map(|x| match p.monetary {
            Monetary::Total => x.amount,
            Monetary::MeanPerOccasion if x.frequency > 0 => x.amount / f64::from(x.frequency),
            Monetary::MeanPerOccasion => 0.0,
        })
        .collect();
    let (rs, fs, ms) = match &p.scoring {
        RfmScoring::Quintiles => {
            let o = IdOrder::detect(ids);
            // Three independent sorts: side by side where there are threads.
            let (rs, (fs, ms)) = crate::par::join(
                || quintile_scores(ids, &rec, false, o),
                || crate::par::join(|| quintile_scores(ids, &freq, true, o), || quintile_scores(ids, &mon, true, o)),
            );
            (rs, fs, ms)
        }
        RfmScoring::Fixed { r, f, m } => {
            let up = |v: f64, cuts: &[f64; 4]| 1 + cuts.iter().filter(|c| v >= **c).count() as u8;
            (
                rec.iter().map(|v| 5 - r.iter().filter(|c| *v > **c).count() as u8).collect(),
                freq.iter().map(|v| up(*v, f)).collect(),
                mon.iter().map(|v| up(*v, m)).collect(),
            )
        }
    };
    let mut heat = [[0usize; 5]; 5];
    let mut counts = [0usize; 11];
    let rows = (0..inputs.len())
        .map(|i| {
            let segment = p.grid.segment(rs[i], fs[i], ms[i]);
            heat[usize::from(rs[i] - 1)][usize::from(fs[i] - 1)] += 1;
            counts[segment as usize] += 1;
            RfmRow {
                recency_days: inputs[i].recency_days,
                frequency: inputs[i].frequency,
                monetary: mon[i],
                r: rs[i],
                f: fs[i],
                m: ms[i],
                code: format!("{}{}{}", rs[i], fs[i], ms[i]),
                segment,
            }
        })
        .collect();
    Ok(RfmReport {
        params: *p,
        rows,
        r_bins: bins(&rec, &rs),
        f_bins: bins(&freq, &fs),
        m_bins: bins(&mon, &ms),
        segment_counts: RfmSegment::ALL.iter().map(|s| (*s, counts[*s as usize])).collect(),
        heat,
    })
}

impl TryFrom<RfmParams> for ValidRfmParams {
    type Error = ValueError;
    /// [`RfmParams::check`]: the only way to a [`ValidRfmParams`], from code or from serde.
    fn try_from(raw: RfmParams) -> Result<Self, ValueError> {
        raw.check()
    }
}
