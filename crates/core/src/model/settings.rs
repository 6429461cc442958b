//! User settings that travel in a backup. The app keeps them in localStorage; the core
//! only defines their shape so that a backup can carry and validate them.

use super::{AttributeDef, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// UI language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// Simplified Chinese (default).
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// Settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// UI language.
    pub language: Language,
    /// When the last backup was exported (for the 7-day reminder).
    pub last_backup_at: Option<Timestamp>,
    /// User-defined segmentation attributes.
    pub custom_attributes: Vec<AttributeDef>,
    /// Analysis parameters and other page settings, by page key; opaque to the core.
    pub pages: BTreeMap<String, serde_json::Value>,
    /// Saved segments, the evaluation matrix, targets, positioning and the perceptual map
    /// (SPEC §4). Missing in older backups, which then load with none.
    pub segments: SegmentsSettings,
    /// The working calendar every service clock runs on (zone, weekly hours, holidays,
    /// make-up working days). Missing in older backups, which then load with the default:
    /// Asia/Shanghai with the built-in mainland-China schedule.
    pub calendar: crate::service::calendar::WorkCalendar,
    /// Complaint settings: SLA policy, survey draft rule, categories. Missing in older
    /// backups, which then load with the defaults (general 8/40, major 2/16 business hours).
    pub complaints: crate::service::complaints::ComplaintSettings,
}

/// What the user keeps of the STP work: named segment definitions (reusable as filters), the
/// segment evaluation matrix with its targets and positioning notes, and the perceptual map.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SegmentsSettings {
    /// Saved segment definitions, in the order they were saved (names unique).
    pub definitions: Vec<crate::segment::attributes::SegmentDefinition>,
    /// The evaluation matrix: weights, one row per evaluated segment with scores, the
    /// target flag and the positioning statement with the 4P notes.
    pub evaluation: crate::segment::evaluation::EvaluationParams,
    /// The perceptual map 定位图: two attributes, the own offer and named competitors.
    pub perceptual_map: crate::segment::evaluation::PerceptualMap,
}
