//! Answer scales and their mapping onto 0-100 (SPEC §5 "Scale").
//!
//! - 5-level Likert 满意 / 较满意 / 一般 / 较不满意 / 不满意, stored raw as 5…1, maps to
//!   100 / 80 / 60 / 40 / 20, i.e. `score = 20 · raw`.
//! - 1-10 maps linearly: `score = 100 · (raw − 1) / 9` (1 → 0, 10 → 100).
//! - 0-10 maps linearly: `score = 10 · raw`.
//!
//! "Top two box" (顾客满意率: satisfied = the top two levels) is `raw ≥ max − 1`: 满意 and
//! 较满意 on the 5-level scale, 9 and 10 on the 1-10 and 0-10 scales.
//!
//! An empty cell is a missing answer; 不适用 / N/A / NA is "not applicable". Both are
//! excluded from every mean (never counted as zero); they are counted separately.

use crate::model::{Language, Scale};
use serde::{Deserialize, Serialize};

/// An answer that does not fit its scale.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScaleError {
    /// A number outside the scale's range.
    #[error("answer {value} is outside the scale {min}..{max}")]
    OutOfRange {
        /// The answer.
        value: f64,
        /// Smallest allowed answer.
        min: f64,
        /// Largest allowed answer.
        max: f64,
    },
    /// NaN or infinite.
    #[error("answer is not a finite number")]
    NotFinite,
    /// Text that is neither a number, a level word nor "not applicable".
    #[error("cannot read {0:?} as an answer")]
    Unreadable(String),
}

impl ScaleError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            ScaleError::OutOfRange { value, min, max } => if zh {
                format!("答案 {value} 超出了量表范围 {min} 至 {max}。")
            } else {
                format!("The answer {value} is outside the scale {min} to {max}.")
            },
            ScaleError::NotFinite => if zh { "答案不是有效数字。".into() } else { "The answer is not a finite number.".into() },
            ScaleError::Unreadable(text) => if zh {
                format!("无法把“{text}”读作答案：应为数字、量表等级（如“满意”）或“不适用”。")
            } else {
                format!("“{text}” cannot be read as an answer: expected a number, a scale level (such as “satisfied”) or “not applicable”.")
            },
        }
    }
}

/// One answer read from a questionnaire or a CSV cell, still raw on its scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Not answered (empty cell).
    Missing,
    /// Explicitly "not applicable" (不适用).
    NotApplicable,
    /// A raw answer on the scale.
    Raw(f64),
}

/// The five level words of the 5-level scale, from 5 (满意) down to 1 (不满意).
pub const LIKERT5_WORDS: [&str; 5] = ["满意", "较满意", "一般", "较不满意", "不满意"];

/// The word of a 5-level answer (5 → 满意 … 1 → 不满意), in the given language.
pub fn likert5_word(level: u8, lang: Language) -> Option<&'static str> {
    const EN: [&str; 5] = ["satisfied", "fairly satisfied", "neutral", "fairly dissatisfied", "dissatisfied"];
    let i = 5usize.checked_sub(usize::from(level)).filter(|_| (1..=5).contains(&level))?;
    Some(match lang {
        Language::ZhCn => LIKERT5_WORDS[i],
        Language::En => EN[i],
    })
}

/// The level (5…1) of one of the five words 满意 / 较满意 / 一般 / 较不满意 / 不满意, also
/// accepting 非常满意 → 5 and 非常不满意 → 1 and surrounding blanks.
pub fn parse_likert5_word(text: &str) -> Option<u8> {
    match text.trim() {
        "满意" | "非常满意" | "很满意" => Some(5),
        "较满意" | "比较满意" => Some(4),
        "一般" => Some(3),
        "较不满意" | "不太满意" | "比较不满意" => Some(2),
        "不满意" | "非常不满意" | "很不满意" => Some(1),
        _ => None,
    }
}

/// Reads a cell: empty → [`Answer::Missing`], 不适用 / N/A / NA → [`Answer::NotApplicable`],
/// a level word on the 5-level scale, otherwise a number that must lie on the scale.
pub fn parse_answer(scale: Scale, text: &str) -> Result<Answer, ScaleError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Answer::Missing);
    }
    if matches!(t, "不适用" | "N/A" | "n/a" | "NA" | "na") {
        return Ok(Answer::NotApplicable);
    }
    if scale == Scale::Likert5 {
        if let Some(level) = parse_likert5_word(t) {
            return Ok(Answer::Raw(f64::from(level)));
        }
    }
    let v: f64 = t.parse().map_err(|_| ScaleError::Unreadable(t.to_string()))?;
    check_raw(scale, v)?;
    Ok(Answer::Raw(v))
}

fn check_raw(scale: Scale, raw: f64) -> Result<(), ScaleError> {
    if !raw.is_finite() {
        return Err(ScaleError::NotFinite);
    }
    let (min, max) = scale.range();
    if raw < min || raw > max {
        return Err(ScaleError::OutOfRange { value: raw, min, max });
    }
    Ok(())
}

/// Maps a raw answer onto 0-100 (formulas in the module docs).
pub fn to_score(scale: Scale, raw: f64) -> Result<f64, ScaleError> {
    check_raw(scale, raw)?;
    Ok(match scale {
        Scale::Likert5 => 20.0 * raw,
        Scale::OneToTen => 100.0 * (raw - 1.0) / 9.0,
        Scale::ZeroToTen => 10.0 * raw,
    })
}

/// Whether a raw answer is in the top two levels (`raw ≥ max − 1`).
pub fn is_top_two(scale: Scale, raw: f64) -> bool {
    raw >= scale.range().1 - 1.0
}

/// How a scale is stated on an output, e.g. "5级量表(满意=100…不满意=20)".
pub fn describe(scale: Scale, lang: Language) -> &'static str {
    match (scale, lang) {
        (Scale::Likert5, Language::ZhCn) => "5级量表：满意=100，较满意=80，一般=60，较不满意=40，不满意=20",
        (Scale::Likert5, Language::En) => {
            "5-level scale: satisfied=100, fairly satisfied=80, neutral=60, fairly dissatisfied=40, dissatisfied=20"
        }
        (Scale::OneToTen, Language::ZhCn) => "1-10分量表，线性换算到0-100（1=0，10=100）",
        (Scale::OneToTen, Language::En) => "1-10 scale, mapped linearly onto 0-100 (1=0, 10=100)",
        (Scale::ZeroToTen, Language::ZhCn) => "0-10分量表，线性换算到0-100（0=0，10=100）",
        (Scale::ZeroToTen, Language::En) => "0-10 scale, mapped linearly onto 0-100 (0=0, 10=100)",
    }
}
