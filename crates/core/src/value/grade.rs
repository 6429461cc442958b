//! Key-account grades 大客户分级 (SPEC §3.5): 特级 / A / B / C by order volume (revenue) in
//! the period, with configurable thresholds: volume ≥ `special` → 特级, ≥ `a` → A, ≥ `b` →
//! B, else C.
//!
//! The key-account checklist of SPEC §3.5 (large and stable demand, high profit
//! contribution, good credit, strong market position, industry influence, well-managed
//! business) is judged by people; [`KEY_ACCOUNT_CHECKLIST`] lists its items for the UI.

use super::{invalid, ValueError};
use serde::{Deserialize, Serialize};

/// A key-account grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 特级
    Special,
    /// A
    A,
    /// B
    B,
    /// C
    C,
}

impl Grade {
    /// All grades, best first.
    pub const ALL: [Grade; 4] = [Grade::Special, Grade::A, Grade::B, Grade::C];

    /// Stable code (`special`, `a`, `b`, `c`).
    pub fn code(self) -> &'static str {
        match self {
            Grade::Special => "special",
            Grade::A => "a",
            Grade::B => "b",
            Grade::C => "c",
        }
    }

    /// The label users expect (特级, A, B, C).
    pub fn label(self) -> &'static str {
        match self {
            Grade::Special => "特级",
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
        }
    }
}

/// The key-account checklist items (SPEC §3.5), as stable keys for the i18n tables.
pub const KEY_ACCOUNT_CHECKLIST: [&str; 6] = [
    "large_stable_demand",
    "high_profit_contribution",
    "good_credit",
    "strong_market_position",
    "industry_influence",
    "well_managed",
];

/// Thresholds in yuan of revenue in the period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GradeParams {
    /// Lower bound of 特级 (default 1,000,000).
    pub special: f64,
    /// Lower bound of A (default 300,000).
    pub a: f64,
    /// Lower bound of B (default 100,000).
    pub b: f64,
}

impl Default for GradeParams {
    fn default() -> Self {
        GradeParams { special: 1_000_000.0, a: 300_000.0, b: 100_000.0 }
    }
}

impl GradeParams {
    /// Checks `special > a > b ≥ 0`, all finite.
    pub fn check(&self) -> Result<ValidGradeParams, ValueError> {
        let GradeParams { special, a, b } = *self;
        if !(special.is_finite() && special > a && a > b && b >= 0.0) {
            return Err(invalid("grade.thresholds", format!("须满足 特级 > A 级 > B 级 ≥ 0，当前为 {special}、{a}、{b}"), format!("need special > A > B ≥ 0, got {special}, {a}, {b}")));
        }
        Ok(ValidGradeParams(*self))
    }
}

/// [`GradeParams`] that passed [`GradeParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "GradeParams")]
pub struct ValidGradeParams(GradeParams);

/// The grade of an order volume.
pub fn grade(volume: f64, params: &ValidGradeParams) -> Grade {
    let p = params.0;
    if volume >= p.special {
        Grade::Special
    } else if volume >= p.a {
        Grade::A
    } else if volume >= p.b {
        Grade::B
    } else {
        Grade::C
    }
}

impl TryFrom<GradeParams> for ValidGradeParams {
    type Error = ValueError;
    /// [`GradeParams::check`]: the only way to a [`ValidGradeParams`], from code or from serde.
    fn try_from(raw: GradeParams) -> Result<Self, ValueError> {
        raw.check()
    }
}
