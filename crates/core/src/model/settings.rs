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

/// Why settings (read from a backup) are refused: which part, and what is wrong with it.
/// [`SettingsError::message`] says it in Chinese or English.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// A part is not of the expected shape (`field` is its path, as `segments.definitions.0`).
    #[error("settings field {field}: {detail}")]
    Shape {
        /// Path of the field.
        field: String,
        /// The decoder's description.
        detail: String,
    },
    /// The working calendar is refused.
    #[error("calendar: {0}")]
    Calendar(crate::service::calendar::CalendarError),
    /// The SLA policy is refused.
    #[error("SLA policy: {0}")]
    Sla(crate::service::complaints::SlaError),
    /// The survey → complaint draft rule has a level that is not a positive number.
    #[error("draft rule level {0} is not a positive number")]
    DraftLevel(f64),
    /// A user-defined attribute has no key, no label at all, or a key used twice (or by a
    /// built-in attribute).
    #[error("custom attribute {index}: key {key:?} is empty, unlabelled or not unique")]
    Attribute {
        /// Position in the list (0-based).
        index: usize,
        /// The key.
        key: String,
    },
    /// A saved segment definition is refused.
    #[error("segment definition {name:?}: {error}")]
    Segment {
        /// The definition's name.
        name: String,
        /// What is wrong.
        error: crate::segment::attributes::AttributeError,
    },
    /// Two saved segment definitions share a name.
    #[error("segment definition {0:?} is saved twice")]
    DuplicateSegment(String),
    /// The evaluation matrix is refused (all-zero weights are kept: the page shows that).
    #[error("evaluation matrix: {0}")]
    Evaluation(crate::segment::evaluation::EvaluationError),
    /// The perceptual map is refused.
    #[error("perceptual map: {0}")]
    Map(crate::segment::evaluation::MapError),
}

/// The label of a settings field path (its first one or two parts).
fn settings_field_label(field: &str, lang: Language) -> String {
    const LABELS: &[(&str, &str, &str)] = &[
        ("language", "界面语言", "language"),
        ("last_backup_at", "上次备份时间", "last backup time"),
        ("custom_attributes", "自定义细分属性", "custom segmentation attributes"),
        ("pages", "页面设置", "page settings"),
        ("segments.definitions", "已保存的细分", "saved segments"),
        ("segments.evaluation", "细分市场评价矩阵", "segment evaluation matrix"),
        ("segments.perceptual_map", "定位图", "perceptual map"),
        ("segments", "市场细分设置", "segmentation settings"),
        ("calendar", "工作日历", "working calendar"),
        ("complaints.policy", "投诉处理时限", "complaint SLA policy"),
        ("complaints.draft_rule", "调查转投诉规则", "survey-to-complaint rule"),
        ("complaints.categories", "投诉类别", "complaint categories"),
        ("complaints.handled_drafts", "已处理的投诉草稿", "handled complaint drafts"),
        ("complaints", "投诉设置", "complaint settings"),
    ];
    let zh = lang == Language::ZhCn;
    LABELS
        .iter()
        .find(|(k, _, _)| field == *k || field.strip_prefix(k).is_some_and(|r| r.starts_with('.')))
        .map(|(_, z, e)| if zh { (*z).to_string() } else { (*e).to_string() })
        .unwrap_or_else(|| field.to_string())
}

impl SettingsError {
    /// The error as a sentence in the given language, naming the part of the settings.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            SettingsError::Shape { field, detail } => {
                let label = settings_field_label(field, lang);
                let detail = crate::error::serde_detail(detail, lang);
                if zh { format!("设置中的“{label}”无效：{detail}。") } else { format!("The settings field “{label}” is invalid: {detail}.") }
            }
            SettingsError::Calendar(e) => if zh { format!("设置中的工作日历无效：{}", e.message(lang)) } else { format!("The working calendar in the settings is invalid: {}", e.message(lang)) },
            SettingsError::Sla(e) => if zh { format!("设置中的投诉处理时限无效：{}", e.message(lang)) } else { format!("The complaint SLA policy in the settings is invalid: {}", e.message(lang)) },
            SettingsError::DraftLevel(level) => if zh {
                format!("设置中的调查转投诉规则无效：触发分值 {level} 须为正数。")
            } else {
                format!("The survey-to-complaint rule in the settings is invalid: the trigger level {level} must be a positive number.")
            },
            SettingsError::Attribute { index, key } => if zh {
                format!("设置中的第 {} 个自定义细分属性（键“{key}”）无效：键不能为空，须有名称，且不能与其他属性的键重复。", index + 1)
            } else {
                format!("Custom segmentation attribute {} (key “{key}”) in the settings is invalid: the key and a label are required and the key must not be used by another attribute.", index + 1)
            },
            SettingsError::Segment { error, .. } => if zh { format!("设置中已保存的细分无效：{}", error.message(lang)) } else { format!("A saved segment in the settings is invalid: {}", error.message(lang)) },
            SettingsError::DuplicateSegment(name) => if zh {
                format!("设置中有两个名为“{name}”的已保存细分，名称必须唯一。")
            } else {
                format!("Two saved segments in the settings are named “{name}”; names must be unique.")
            },
            SettingsError::Evaluation(e) => if zh { format!("设置中的细分市场评价矩阵无效：{}", e.message(lang)) } else { format!("The segment evaluation matrix in the settings is invalid: {}", e.message(lang)) },
            SettingsError::Map(e) => if zh { format!("设置中的定位图无效：{}", e.message(lang)) } else { format!("The perceptual map in the settings is invalid: {}", e.message(lang)) },
        }
    }
}

impl Settings {
    /// Reads settings from JSON (a backup's `settings`), checking every part: a part that
    /// does not decode is named with its path, and a calendar or SLA policy that decodes
    /// but fails its check says why in its own terms; then [`Settings::check`].
    pub fn from_json(value: &serde_json::Value) -> Result<Settings, SettingsError> {
        let settings = match serde_path_to_error::deserialize::<_, Settings>(value) {
            Ok(s) => s,
            Err(e) => {
                let field = e
                    .path()
                    .iter()
                    .filter_map(|s| match s {
                        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                        serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                        serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                        serde_path_to_error::Segment::Unknown => None,
                    })
                    .collect::<Vec<_>>()
                    .join(".");
                // The calendar and the SLA policy check themselves while decoding: decode
                // their plain form again to get the check's own error.
                if field == "calendar" || field.starts_with("calendar.") {
                    if let Some(Ok(params)) = value.get("calendar").map(crate::service::calendar::CalendarParams::deserialize) {
                        if let Err(c) = params.check() {
                            return Err(SettingsError::Calendar(c));
                        }
                    }
                }
                if field == "complaints.policy" || field.starts_with("complaints.policy.") {
                    let policy = value.get("complaints").and_then(|c| c.get("policy"));
                    if let Some(Ok(params)) = policy.map(crate::service::complaints::SlaPolicyParams::deserialize) {
                        if let Err(s) = params.check() {
                            return Err(SettingsError::Sla(s));
                        }
                    }
                }
                return Err(SettingsError::Shape { field: if field.is_empty() { "settings".into() } else { field }, detail: e.inner().to_string() });
            }
        };
        settings.check()?;
        Ok(settings)
    }

    /// Checks what decoding alone does not: the draft rule's level, the custom attributes
    /// (a key and a label, keys unique and not those of built-in attributes), every
    /// saved segment definition and the uniqueness of their names, the evaluation matrix
    /// (finite weights ≥ 0, scores 1-5, segment names; all-zero weights are a state the
    /// page shows, not damage) and the perceptual map's positions.
    pub fn check(&self) -> Result<(), SettingsError> {
        let rule = self.complaints.draft_rule;
        if !(rule.level.is_finite() && rule.level > 0.0) {
            return Err(SettingsError::DraftLevel(rule.level));
        }
        let builtin = super::builtin_attributes();
        let mut keys = std::collections::BTreeSet::new();
        for (index, a) in self.custom_attributes.iter().enumerate() {
            let ok = !a.key.trim().is_empty()
                && !(a.zh.trim().is_empty() && a.en.trim().is_empty())
                && !builtin.iter().any(|b| b.key == a.key)
                && keys.insert(a.key.as_str());
            if !ok {
                return Err(SettingsError::Attribute { index, key: a.key.clone() });
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for d in &self.segments.definitions {
            d.check().map_err(|error| SettingsError::Segment { name: d.name.clone(), error })?;
            if !names.insert(d.name.as_str()) {
                return Err(SettingsError::DuplicateSegment(d.name.clone()));
            }
        }
        match self.segments.evaluation.check() {
            Ok(_) | Err(crate::segment::evaluation::EvaluationError::NoWeight) => {}
            Err(e) => return Err(SettingsError::Evaluation(e)),
        }
        if let Some(o) = self.segments.perceptual_map.offers.iter().find(|o| !(o.x.is_finite() && o.y.is_finite())) {
            return Err(SettingsError::Map(crate::segment::evaluation::MapError::Position { name: o.name.clone() }));
        }
        Ok(())
    }
}
