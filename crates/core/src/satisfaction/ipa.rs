//! Importance-performance analysis 重要性-绩效分析 (Martilla & James 1977, "Importance-
//! performance analysis", J. Marketing 41(1)).
//!
//! Each indicator is placed by importance (its weight, a stated importance, or the derived
//! importance = total effect on satisfaction from [`super::pls`]) and performance (its
//! 0-100 score). The grid is split at the means of importance and of performance unless
//! other split values are given; a value equal to a split counts as high.
//!
//! | importance | performance | quadrant |
//! | --- | --- | --- |
//! | high | low | concentrate here 重点改进区 |
//! | high | high | keep up the good work 继续保持区 |
//! | low | low | low priority 次要改进区 |
//! | low | high | possible overkill 过度投入区 |

use crate::model::Language;
use serde::{Deserialize, Serialize};

/// Why the analysis could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IpaError {
    /// No items.
    #[error("no items to place")]
    Empty,
    /// A value is not finite.
    #[error("item {0:?} has a non-finite importance or performance")]
    NotFinite(String),
}

impl IpaError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            IpaError::Empty => if zh { "没有可放入重要性—表现分析图的指标。".into() } else { "There are no items to place on the importance-performance grid.".into() },
            IpaError::NotFinite(item) => if zh {
                format!("指标“{item}”的重要性或表现不是有效数字。")
            } else {
                format!("The importance or performance of “{item}” is not a finite number.")
            },
        }
    }
}

/// One indicator to place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IpaItem {
    /// Indicator id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Importance (weight, stated or derived).
    pub importance: f64,
    /// Performance (score 0-100).
    pub performance: f64,
}

/// A quadrant of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// High importance, low performance.
    ConcentrateHere,
    /// High importance, high performance.
    KeepUpTheGoodWork,
    /// Low importance, low performance.
    LowPriority,
    /// Low importance, high performance.
    PossibleOverkill,
}

impl Quadrant {
    /// The label users expect.
    pub fn label(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Quadrant::ConcentrateHere, Language::ZhCn) => "重点改进区",
            (Quadrant::KeepUpTheGoodWork, Language::ZhCn) => "继续保持区",
            (Quadrant::LowPriority, Language::ZhCn) => "次要改进区",
            (Quadrant::PossibleOverkill, Language::ZhCn) => "过度投入区",
            (Quadrant::ConcentrateHere, Language::En) => "concentrate here",
            (Quadrant::KeepUpTheGoodWork, Language::En) => "keep up the good work",
            (Quadrant::LowPriority, Language::En) => "low priority",
            (Quadrant::PossibleOverkill, Language::En) => "possible overkill",
        }
    }
}

/// Where to split the grid; `None` = at the mean.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct IpaParams {
    /// Importance split.
    pub importance_split: Option<f64>,
    /// Performance split.
    pub performance_split: Option<f64>,
}

/// One indicator placed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IpaPlaced {
    /// The indicator.
    pub item: IpaItem,
    /// Its quadrant.
    pub quadrant: Quadrant,
}

/// The importance-performance grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IpaReport {
    /// Importance split used.
    pub importance_split: f64,
    /// Performance split used.
    pub performance_split: f64,
    /// Items in input order.
    pub items: Vec<IpaPlaced>,
}

/// Places the items in the four quadrants (rules in the module docs).
pub fn ipa(items: &[IpaItem], params: &IpaParams) -> Result<IpaReport, IpaError> {
    if items.is_empty() {
        return Err(IpaError::Empty);
    }
    if let Some(bad) = items.iter().find(|i| !(i.importance.is_finite() && i.performance.is_finite())) {
        return Err(IpaError::NotFinite(bad.id.clone()));
    }
    let n = items.len() as f64;
    let is = params.importance_split.filter(|v| v.is_finite()).unwrap_or_else(|| items.iter().map(|i| i.importance).sum::<f64>() / n);
    let ps = params.performance_split.filter(|v| v.is_finite()).unwrap_or_else(|| items.iter().map(|i| i.performance).sum::<f64>() / n);
    let placed = items
        .iter()
        .map(|i| {
            let quadrant = match (i.importance >= is, i.performance >= ps) {
                (true, false) => Quadrant::ConcentrateHere,
                (true, true) => Quadrant::KeepUpTheGoodWork,
                (false, false) => Quadrant::LowPriority,
                (false, true) => Quadrant::PossibleOverkill,
            };
            IpaPlaced { item: i.clone(), quadrant }
        })
        .collect();
    Ok(IpaReport { importance_split: is, performance_split: ps, items: placed })
}
