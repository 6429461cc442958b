//! Net promoter score and the satisfaction-loyalty zones (SPEC §5).
//!
//! - NPS (Reichheld 2003, "The one number you need to grow", HBR 81(12)) on the 0-10
//!   likelihood to recommend: promoters 9-10, passives 7-8, detractors 0-6;
//!   NPS = % promoters − % detractors, from −100 to 100.
//! - Zones of Jones & Sasser (1995, "Why satisfied customers defect", HBR 73(6)): on their
//!   5-point satisfaction axis the zone of defection 叛离带 covers 1-2, the zone of
//!   indifference 冷漠带 3-4 and the zone of affection 忠诚带 5 ("completely satisfied").
//!   On the 0-100 scores of this app (5 levels → 20…100) the default thresholds are
//!   therefore: defection below 50, indifference from 50 to below 90, affection from 90
//!   ([`ZoneParams::default`]); both thresholds can be changed.

use crate::model::Language;
use serde::{Deserialize, Serialize};

/// Why NPS or the zones could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NpsError {
    /// No answers.
    #[error("no likelihood-to-recommend answers")]
    Empty,
    /// An answer above 10.
    #[error("likelihood to recommend {0} is outside 0-10")]
    OutOfRange(u8),
    /// Thresholds not 0 ≤ indifference < affection ≤ 100.
    #[error("zone thresholds must satisfy 0 ≤ indifference ({0}) < affection ({1}) ≤ 100")]
    BadThresholds(f64, f64),
}

impl NpsError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            NpsError::Empty => if zh { "没有“推荐意愿”题目的回答，无法计算 NPS。".into() } else { "There are no likelihood-to-recommend answers, so NPS cannot be computed.".into() },
            NpsError::OutOfRange(v) => if zh { format!("推荐意愿 {v} 超出了 0 至 10 的范围。") } else { format!("The likelihood to recommend {v} is outside 0 to 10.") },
            NpsError::BadThresholds(indifference, affection) => if zh {
                format!("忠诚区间的界限须满足 0 ≤ 无差异区上限（{indifference}）< 情感区下限（{affection}）≤ 100。")
            } else {
                format!("The loyalty-zone limits must satisfy 0 ≤ indifference ({indifference}) < affection ({affection}) ≤ 100.")
            },
        }
    }
}

/// Net promoter score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NpsReport {
    /// Answers.
    pub n: usize,
    /// Promoters (9-10).
    pub promoters: usize,
    /// Passives (7-8).
    pub passives: usize,
    /// Detractors (0-6).
    pub detractors: usize,
    /// % promoters.
    pub promoter_pct: f64,
    /// % passives.
    pub passive_pct: f64,
    /// % detractors.
    pub detractor_pct: f64,
    /// NPS = % promoters − % detractors.
    pub nps: f64,
}

/// NPS of 0-10 answers.
pub fn nps(answers: &[u8]) -> Result<NpsReport, NpsError> {
    if answers.is_empty() {
        return Err(NpsError::Empty);
    }
    let (mut p, mut m, mut d) = (0, 0, 0);
    for &a in answers {
        match a {
            9..=10 => p += 1,
            7..=8 => m += 1,
            0..=6 => d += 1,
            _ => return Err(NpsError::OutOfRange(a)),
        }
    }
    let n = answers.len();
    let pct = |k: usize| 100.0 * k as f64 / n as f64;
    Ok(NpsReport {
        n,
        promoters: p,
        passives: m,
        detractors: d,
        promoter_pct: pct(p),
        passive_pct: pct(m),
        detractor_pct: pct(d),
        nps: pct(p) - pct(d),
    })
}

/// A satisfaction-loyalty zone of Jones & Sasser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoyaltyZone {
    /// Zone of defection 叛离带.
    Defection,
    /// Zone of indifference 冷漠带.
    Indifference,
    /// Zone of affection (loyalty) 忠诚带.
    Affection,
}

impl LoyaltyZone {
    /// All zones, low to high.
    pub const ALL: [LoyaltyZone; 3] = [LoyaltyZone::Defection, LoyaltyZone::Indifference, LoyaltyZone::Affection];

    /// The label users expect.
    pub fn label(self, lang: Language) -> &'static str {
        match (self, lang) {
            (LoyaltyZone::Defection, Language::ZhCn) => "叛离带",
            (LoyaltyZone::Indifference, Language::ZhCn) => "冷漠带",
            (LoyaltyZone::Affection, Language::ZhCn) => "忠诚带",
            (LoyaltyZone::Defection, Language::En) => "zone of defection",
            (LoyaltyZone::Indifference, Language::En) => "zone of indifference",
            (LoyaltyZone::Affection, Language::En) => "zone of affection",
        }
    }
}

/// Zone thresholds on the 0-100 satisfaction score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ZoneParams {
    /// Scores from here (inclusive) are in the zone of indifference; below, defection.
    pub indifference_from: f64,
    /// Scores from here (inclusive) are in the zone of affection.
    pub affection_from: f64,
}

impl Default for ZoneParams {
    /// 50 and 90: Jones & Sasser's 1-2 / 3-4 / 5 on the 5-level scale (module docs).
    fn default() -> Self {
        Self { indifference_from: 50.0, affection_from: 90.0 }
    }
}

/// [`ZoneParams`] that passed [`ZoneParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidZoneParams(ZoneParams);

impl ZoneParams {
    /// Checks 0 ≤ indifference_from < affection_from ≤ 100.
    pub fn check(self) -> Result<ValidZoneParams, NpsError> {
        let (a, b) = (self.indifference_from, self.affection_from);
        if !(a.is_finite() && b.is_finite() && 0.0 <= a && a < b && b <= 100.0) {
            return Err(NpsError::BadThresholds(a, b));
        }
        Ok(ValidZoneParams(self))
    }
}

impl ValidZoneParams {
    /// The zone of a 0-100 satisfaction score.
    pub fn zone(&self, satisfaction: f64) -> LoyaltyZone {
        if satisfaction >= self.0.affection_from {
            LoyaltyZone::Affection
        } else if satisfaction >= self.0.indifference_from {
            LoyaltyZone::Indifference
        } else {
            LoyaltyZone::Defection
        }
    }
}

/// One respondent on the satisfaction-loyalty chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ZonePoint {
    /// Satisfaction 0-100 (x axis).
    pub satisfaction: f64,
    /// Likelihood to recommend 0-10 (y axis), if answered.
    pub recommend: Option<u8>,
    /// The zone.
    pub zone: LoyaltyZone,
}

/// Summary of one zone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ZoneSummary {
    /// The zone.
    pub zone: LoyaltyZone,
    /// Respondents in it.
    pub n: usize,
    /// Share of all respondents, %.
    pub share: f64,
    /// Mean likelihood to recommend of those who answered it.
    pub mean_recommend: Option<f64>,
    /// NPS within the zone.
    pub nps: Option<f64>,
}

/// The satisfaction-loyalty zones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneReport {
    /// Thresholds used.
    pub params: ZoneParams,
    /// Every respondent placed.
    pub points: Vec<ZonePoint>,
    /// Per zone, defection first.
    pub zones: Vec<ZoneSummary>,
}

/// Places respondents `(satisfaction 0-100, recommend 0-10)` in the zones. Non-finite
/// satisfaction values are skipped; recommend answers above 10 are an error.
pub fn loyalty_zones(respondents: &[(f64, Option<u8>)], params: &ValidZoneParams) -> Result<ZoneReport, NpsError> {
    let points: Vec<ZonePoint> = respondents
        .iter()
        .filter(|(s, _)| s.is_finite())
        .map(|&(satisfaction, recommend)| ZonePoint { satisfaction, recommend, zone: params.zone(satisfaction) })
        .collect();
    if points.is_empty() {
        return Err(NpsError::Empty);
    }
    let total = points.len() as f64;
    let mut zones = Vec::new();
    for z in LoyaltyZone::ALL {
        let inz: Vec<&ZonePoint> = points.iter().filter(|p| p.zone == z).collect();
        let rec: Vec<u8> = inz.iter().filter_map(|p| p.recommend).collect();
        let (mean_recommend, zone_nps) = if rec.is_empty() {
            (None, None)
        } else {
            (Some(rec.iter().map(|&r| f64::from(r)).sum::<f64>() / rec.len() as f64), Some(nps(&rec)?.nps))
        };
        zones.push(ZoneSummary { zone: z, n: inz.len(), share: 100.0 * inz.len() as f64 / total, mean_recommend, nps: zone_nps });
    }
    Ok(ZoneReport { params: params.0, points, zones })
}
