//! Customer satisfaction measurement 顾客满意度测评 (SPEC §5).
//!
//! How the children relate, in the order of the SPEC's workflow:
//! - [`scale`] turns a raw answer (a number on the survey's scale, one of the five words
//!   满意…不满意, "not applicable" or an empty cell) into a 0-100 score and says whether it is
//!   in the top two levels. Every other module works on 0-100 scores or on raw items.
//! - [`weights`] and [`ahp`] produce indicator weights: objective ones from the answers
//!   (entropy weight method, coefficient of variation) and subjective ones from a pairwise
//!   comparison matrix (principal eigenvector with the consistency ratio).
//! - [`csi`] scores an indicator tree by the weighted-average method: leaf means over the
//!   respondents who answered, renormalised weights where a child has no answers (flagged),
//!   the top-two-box satisfaction rate, and a bootstrap confidence interval per node.
//! - [`pls`] estimates ACSI / CCSI-type path models by PLS path modelling and gives the
//!   0-100 indices from the outer weights; [`reliability`] gives Cronbach's alpha.
//! - [`nps`] (net promoter score, Jones & Sasser loyalty zones) and [`ipa`]
//!   (importance-performance quadrants) interpret the results.
//!
//! Inputs that are tables of answers use [`ItemTable`]: named columns, one row per
//! respondent, a missing answer is `None`. Every analysis takes validated parameters
//! (`*Params::check`) and returns a `*Report`; failures are the typed errors of
//! [`SatisfactionError`]. Nothing here panics on user data.

pub mod ahp;
pub mod analysis;
pub mod bench;
pub mod csi;
pub mod ipa;
mod linalg;
pub mod nps;
pub mod pls;
pub mod reliability;
pub mod scale;
pub mod templates;
pub mod weights;

#[cfg(test)]
mod tests;

use crate::model::Language;
use serde::{Deserialize, Serialize};

/// Any failure of a satisfaction analysis.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SatisfactionError {
    /// A table of answers is malformed.
    #[error(transparent)]
    Table(#[from] TableError),
    /// An answer does not fit its scale.
    #[error(transparent)]
    Scale(#[from] scale::ScaleError),
    /// The weighted-average CSI could not be computed.
    #[error(transparent)]
    Csi(#[from] csi::CsiError),
    /// A pairwise comparison matrix is invalid.
    #[error(transparent)]
    Ahp(#[from] ahp::AhpError),
    /// Objective weights could not be computed.
    #[error(transparent)]
    Weights(#[from] weights::WeightsError),
    /// The PLS path model could not be estimated.
    #[error(transparent)]
    Pls(#[from] pls::PlsError),
    /// Cronbach's alpha could not be computed.
    #[error(transparent)]
    Reliability(#[from] reliability::ReliabilityError),
    /// NPS or the loyalty zones could not be computed.
    #[error(transparent)]
    Nps(#[from] nps::NpsError),
    /// The importance-performance analysis could not be computed.
    #[error(transparent)]
    Ipa(#[from] ipa::IpaError),
}

impl SatisfactionError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        match self {
            SatisfactionError::Table(e) => e.message(lang),
            SatisfactionError::Scale(e) => e.message(lang),
            SatisfactionError::Csi(e) => e.message(lang),
            SatisfactionError::Ahp(e) => e.message(lang),
            SatisfactionError::Weights(e) => e.message(lang),
            SatisfactionError::Pls(e) => e.message(lang),
            SatisfactionError::Reliability(e) => e.message(lang),
            SatisfactionError::Nps(e) => e.message(lang),
            SatisfactionError::Ipa(e) => e.message(lang),
        }
    }
}

/// Result alias of this module.
pub type Result<T, E = SatisfactionError> = std::result::Result<T, E>;

/// A malformed [`ItemTable`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// Two columns have the same name.
    #[error("column {0:?} appears twice")]
    DuplicateColumn(String),
    /// A row has a different number of cells than there are columns.
    #[error("row {row} has {cells} cells, expected {expected}")]
    RowLength {
        /// Row index (0-based, data rows only).
        row: usize,
        /// Cells in the row.
        cells: usize,
        /// Number of columns.
        expected: usize,
    },
    /// A cell is NaN or infinite.
    #[error("row {row}, column {column:?}: the value is not a finite number")]
    NotFinite {
        /// Row index.
        row: usize,
        /// Column name.
        column: String,
    },
}

impl TableError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            TableError::DuplicateColumn(c) => if zh { format!("列“{c}”出现了两次。") } else { format!("The column “{c}” appears twice.") },
            TableError::RowLength { row, cells, expected } => if zh {
                format!("第 {} 行有 {cells} 个值，应为 {expected} 个。", row + 1)
            } else {
                format!("Row {} has {cells} values, expected {expected}.", row + 1)
            },
            TableError::NotFinite { row, column } => if zh {
                format!("第 {} 行“{column}”列的值不是有效数字。", row + 1)
            } else {
                format!("Row {}, column “{column}”: the value is not a finite number.", row + 1)
            },
        }
    }
}

/// A rectangular table of numeric answers: named columns (items), one row per respondent,
/// `None` for a missing answer. Row order never matters to any analysis here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemTable {
    names: Vec<String>,
    rows: Vec<Vec<Option<f64>>>,
}

impl ItemTable {
    /// Checks and builds a table: unique column names, every row as long as the header,
    /// every present value finite.
    pub fn new(names: Vec<String>, rows: Vec<Vec<Option<f64>>>) -> Result<Self, TableError> {
        let mut seen = std::collections::BTreeSet::new();
        for n in &names {
            if !seen.insert(n.as_str()) {
                return Err(TableError::DuplicateColumn(n.clone()));
            }
        }
        for (r, row) in rows.iter().enumerate() {
            if row.len() != names.len() {
                return Err(TableError::RowLength { row: r, cells: row.len(), expected: names.len() });
            }
            for (c, v) in row.iter().enumerate() {
                if matches!(v, Some(x) if !x.is_finite()) {
                    return Err(TableError::NotFinite { row: r, column: names[c].clone() });
                }
            }
        }
        Ok(Self { names, rows })
    }

    /// Builds a table without missing values from complete rows.
    pub fn from_complete(names: Vec<String>, rows: Vec<Vec<f64>>) -> Result<Self, TableError> {
        Self::new(names, rows.into_iter().map(|r| r.into_iter().map(Some).collect()).collect())
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The rows.
    pub fn rows(&self) -> &[Vec<Option<f64>>] {
        &self.rows
    }

    /// Number of rows (respondents).
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// Index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The answered values of column `j` (missing ones skipped).
    pub fn answered(&self, j: usize) -> Vec<f64> {
        self.rows.iter().filter_map(|r| r.get(j).copied().flatten()).collect()
    }

    /// Listwise deletion: the rows complete on the columns `cols`, as column vectors, and
    /// the number of rows dropped.
    pub fn complete_columns(&self, cols: &[usize]) -> (Vec<Vec<f64>>, usize) {
        let mut out = vec![Vec::with_capacity(self.rows.len()); cols.len()];
        let mut dropped = 0;
        for row in &self.rows {
            let vals: Option<Vec<f64>> = cols.iter().map(|&c| row.get(c).copied().flatten()).collect();
            match vals {
                Some(v) => v.into_iter().zip(out.iter_mut()).for_each(|(x, col)| col.push(x)),
                None => dropped += 1,
            }
        }
        (out, dropped)
    }
}

/// Arithmetic mean; `None` for an empty slice.
pub(crate) fn mean(x: &[f64]) -> Option<f64> {
    (!x.is_empty()).then(|| x.iter().sum::<f64>() / x.len() as f64)
}

/// Sample variance (n − 1); `None` below two values.
pub(crate) fn var(x: &[f64]) -> Option<f64> {
    let m = mean(x)?;
    (x.len() >= 2).then(|| x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64)
}

/// Quantile of sorted data by linear interpolation (R's type 7, the default of R and
/// numpy). `sorted` must be non-empty and ascending.
pub(crate) fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
