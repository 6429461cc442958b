//! Market segmentation and targeting, STP (SPEC §4, with the attributes of SPEC §2).
//!
//! How the children relate, in the order of the STP workflow:
//! - [`attributes`] is the catalogue of *dimensions* a segment can be built from: the
//!   typed customer fields (kind, region, city size, economic zone…), the categorical
//!   attributes of [`crate::model::builtin_attributes`] and the user's own
//!   [`crate::model::AttributeDef`]s, analysis results handed in by the caller (ABC class,
//!   RFM segment, grade, lifecycle stage, CSI band) and numeric measures cut into editable
//!   bands. [`attributes::partition`] splits all customers by a list of dimensions (every
//!   customer lands in exactly one segment); a [`attributes::SegmentDefinition`] is a named,
//!   saveable conjunction of conditions that filters customers anywhere.
//! - [`crosstab`] measures segments: customers, shares, revenue, gross profit, growth
//!   against the previous period of equal length, mean CSI and open complaints, with a
//!   totals row computed over all customers.
//! - [`kmeans`] clusters customers on numeric columns (k-means++ with a fixed seed,
//!   restarts, Lloyd iterations), scores the clustering (inertia, silhouette) and gives the
//!   elbow and silhouette curves and per-cluster profiles.
//! - [`evaluation`] is the segment evaluation matrix 细分市场评价: weighted 1-5 scores per
//!   criterion (some suggested from the cross-tab), the weighted total and rank, target
//!   flags and, for each target, a positioning statement and 4P notes.
//!
//! Every analysis takes validated parameters (`*Params::check() -> Valid*Params`) and
//! returns a `*Report`; failures are the typed errors of [`SegmentError`]. Nothing here
//! panics on user data, and no result depends on the order of the input rows (see each
//! module for how that is achieved).

pub mod attributes;
pub mod crosstab;
pub mod evaluation;
pub mod kmeans;

use crate::model::Language;

#[cfg(test)]
mod tests;

/// Any failure of a segmentation analysis.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SegmentError {
    /// A segment definition or band list is invalid.
    #[error(transparent)]
    Attribute(#[from] attributes::AttributeError),
    /// The cross-tab parameters are invalid.
    #[error(transparent)]
    Crosstab(#[from] crosstab::CrosstabError),
    /// k-means could not run.
    #[error(transparent)]
    KMeans(#[from] kmeans::KMeansError),
    /// The evaluation matrix is invalid.
    #[error(transparent)]
    Evaluation(#[from] evaluation::EvaluationError),
}

impl SegmentError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        match self {
            SegmentError::Attribute(e) => e.message(lang),
            SegmentError::Crosstab(e) => e.message(lang),
            SegmentError::KMeans(e) => e.message(lang),
            SegmentError::Evaluation(e) => e.message(lang),
        }
    }
}

/// Result alias of this module.
pub type Result<T, E = SegmentError> = std::result::Result<T, E>;

/// Sums values in an order that does not depend on how they were given: sorted by
/// [`f64::total_cmp`], then added with Neumaier's compensated summation. Two permutations of
/// the same multiset therefore give bit-identical sums, which is what makes the cross-tab
/// and the cluster profiles independent of row order.
pub(crate) fn canonical_sum(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    neumaier(values.iter().copied())
}

/// Neumaier's compensated sum (Neumaier 1974), in the order given.
pub(crate) fn neumaier(values: impl Iterator<Item = f64>) -> f64 {
    let mut sum = 0.0_f64;
    let mut c = 0.0_f64;
    for v in values {
        let t = sum + v;
        if sum.abs() >= v.abs() {
            c += (sum - t) + v;
        } else {
            c += (v - t) + sum;
        }
        sum = t;
    }
    sum + c
}
