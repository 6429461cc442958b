//! Errors in the user's language. Every error a page or the worker can show has a message
//! in Simplified Chinese and in English, written by the module that owns the error (its
//! inherent `message(lang)`, as [`crate::backup::BackupError::message`]); [`Localized`]
//! names that method for code that handles errors of any kind, and [`Bilingual`] carries
//! both texts where an error crosses a boundary as text (the worker's replies), so the
//! page picks the language when it shows it, and again when the user switches.
//!
//! [`translation_problem`] is the rule the tests hold every message pair to: both texts
//! present and different, the Chinese one in Chinese with full-width punctuation, the
//! English one without Chinese characters.

use crate::model::Language;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One text in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bilingual {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// The two texts.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Bilingual { zh: zh.into(), en: en.into() }
    }

    /// Both texts from a function of the language.
    pub fn from_fn(f: impl Fn(Language) -> String) -> Self {
        Bilingual { zh: f(Language::ZhCn), en: f(Language::En) }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::ZhCn => &self.zh,
            Language::En => &self.en,
        }
    }
}

/// English, for logs and `{}` in tests; people see [`Bilingual::get`].
impl fmt::Display for Bilingual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// An error (or any value) that can say itself in either language.
pub trait Localized {
    /// The message in `lang`: a full sentence naming what is wrong and where.
    fn message(&self, lang: Language) -> String;

    /// The message in both languages.
    fn bilingual(&self) -> Bilingual {
        Bilingual::from_fn(|lang| self.message(lang))
    }
}

impl Localized for Bilingual {
    fn message(&self, lang: Language) -> String {
        self.get(lang).to_string()
    }
}

/// Implements [`Localized`] by the type's inherent `message(lang)`.
macro_rules! localized {
    ($($ty:ty),* $(,)?) => {
        $(impl $crate::error::Localized for $ty {
            fn message(&self, lang: $crate::model::Language) -> String {
                <$ty>::message(self, lang).into()
            }
        })*
    };
}

localized!(
    crate::backup::BackupError,
    crate::validate::Problem,
    crate::io::decode::DecodeError,
    crate::io::table::TableError,
    crate::io::table::RowIssueKind,
    crate::io::values::ValueError,
    crate::io::export::ExportError,
    crate::orders::ChunkError,
    crate::value::ValueError,
    crate::value::FitError,
    crate::segment::SegmentError,
    crate::segment::attributes::AttributeError,
    crate::segment::crosstab::CrosstabError,
    crate::segment::kmeans::KMeansError,
    crate::segment::evaluation::EvaluationError,
    crate::segment::evaluation::MapError,
    crate::satisfaction::SatisfactionError,
    crate::satisfaction::TableError,
    crate::satisfaction::scale::ScaleError,
    crate::satisfaction::csi::CsiError,
    crate::satisfaction::ahp::AhpError,
    crate::satisfaction::weights::WeightsError,
    crate::satisfaction::pls::PlsError,
    crate::satisfaction::reliability::ReliabilityError,
    crate::satisfaction::nps::NpsError,
    crate::satisfaction::ipa::IpaError,
    crate::dashboard::DashboardError,
    crate::service::visits::VisitError,
    crate::service::calendar::CalendarError,
    crate::service::complaints::EventError,
    crate::service::complaints::SlaError,
    crate::service::complaints::AuditError,
    crate::model::SettingsError,
);

/// Whether a character is a CJK ideograph (or CJK punctuation / full-width form).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Why a message pair is not a proper translation, or `None` when it is: both texts are
/// non-empty and differ; the Chinese text contains Chinese characters and none of the
/// ASCII sentence punctuation `"; "`, `", "`, `": "`, `"? "`, `"! "`, `". "`, `(`, `)` or
/// a final `.` (Chinese uses `；，：？！。（）`); the English text contains no Chinese
/// characters outside “quotes” (a quoted value, e.g. the answer “满意” that the import
/// accepts, is the user's data or input, not a translation left undone). Values placed in a message (names, numbers) must be chosen so that they
/// do not trip these rules when testing.
pub fn translation_problem(zh: &str, en: &str) -> Option<String> {
    if zh.trim().is_empty() || en.trim().is_empty() {
        return Some(format!("empty text: zh {zh:?}, en {en:?}"));
    }
    if zh == en {
        return Some(format!("the two texts are the same: {zh:?}"));
    }
    if !zh.chars().any(is_cjk) {
        return Some(format!("the Chinese text has no Chinese characters: {zh:?}"));
    }
    for p in ["; ", ", ", ": ", "? ", "! ", ". ", "(", ")"] {
        if zh.contains(p) {
            return Some(format!("the Chinese text has ASCII punctuation {p:?}: {zh:?}"));
        }
    }
    if zh.trim_end().ends_with('.') {
        return Some(format!("the Chinese text ends with an ASCII full stop: {zh:?}"));
    }
    if unquoted(en).any(is_cjk) {
        return Some(format!("the English text has Chinese characters: {en:?}"));
    }
    None
}

/// The characters of `s` outside “…” quotes.
fn unquoted(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut depth = 0usize;
    s.chars().filter(move |&c| match c {
        '“' => {
            depth += 1;
            false
        }
        '”' => {
            depth = depth.saturating_sub(1);
            false
        }
        _ => depth == 0,
    })
}

/// A decoder's (serde's) description of why a value does not fit, in the given language:
/// the usual forms ("missing field `name`", "invalid type: string \"x\", expected u32",
/// "unknown variant `x`, expected one of …", "recursion limit exceeded") are said in our
/// own words; anything else becomes "not of the expected form" rather than the library's
/// English.
pub fn serde_detail(detail: &str, lang: Language) -> String {
    let zh = lang == Language::ZhCn;
    let detail = detail.trim();
    // serde_json appends " at line L column C"; the callers report positions themselves.
    let detail = match detail.rfind(" at line ") {
        Some(i) if detail[i..].contains(" column ") => &detail[..i],
        _ => detail,
    };
    let ticked = |s: &str| -> Option<String> {
        let a = s.find('`')?;
        let b = s[a + 1..].find('`')? + a + 1;
        Some(s[a + 1..b].to_string())
    };
    if let Some(rest) = detail.strip_prefix("missing field ") {
        let f = ticked(rest).unwrap_or_default();
        return if zh { format!("缺少字段“{f}”") } else { format!("the field “{f}” is missing") };
    }
    if let Some(rest) = detail.strip_prefix("duplicate field ") {
        let f = ticked(rest).unwrap_or_default();
        return if zh { format!("字段“{f}”出现了两次") } else { format!("the field “{f}” appears twice") };
    }
    if let Some(rest) = detail.strip_prefix("unknown field ") {
        let f = ticked(rest).unwrap_or_default();
        return if zh { format!("有未知的字段“{f}”") } else { format!("there is an unknown field “{f}”") };
    }
    if let Some(rest) = detail.strip_prefix("unknown variant ") {
        let v = ticked(rest).unwrap_or_default();
        let allowed: Vec<String> = rest
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).map(str::to_string).collect())
            .unwrap_or_default();
        return match (zh, allowed.is_empty()) {
            (true, true) => format!("取值“{v}”无效"),
            (true, false) => format!("取值“{v}”无效，应为 {} 之一", allowed.join("、")),
            (false, true) => format!("the value “{v}” is not allowed"),
            (false, false) => format!("the value “{v}” is not allowed; expected one of {}", allowed.join(", ")),
        };
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = detail.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.split_once(", expected ") {
                let (f, e) = (kind_of(found, lang), kind_of(expected, lang));
                return if zh { format!("应为{e}，实际为{f}") } else { format!("expected {e}, found {f}") };
            }
        }
    }
    if let Some(rest) = detail.strip_prefix("invalid length ") {
        let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return if zh { format!("元素个数 {n} 不对") } else { format!("it has the wrong number of elements ({n})") };
    }
    if detail.starts_with("EOF while parsing") {
        return if zh { "内容意外结束".into() } else { "the text ends unexpectedly".into() };
    }
    if detail.contains("escape") || detail.contains("surrogate") {
        return if zh { "文本中有无效的转义序列".into() } else { "a text has an invalid escape sequence".into() };
    }
    let (z, e) = match detail {
        "recursion limit exceeded" => ("嵌套层次过深（超过 128 层）", "it is nested too deeply (more than 128 levels)"),
        "number out of range" => ("数字超出了可表示的范围", "a number is out of range"),
        "expected value" => ("此处应为一个值", "a value was expected here"),
        "expected `,` or `]`" => ("此处应为逗号或“]”", "“,” or “]” was expected here"),
        "expected `,` or `}`" => ("此处应为逗号或“}”", "“,” or “}” was expected here"),
        "expected `:`" => ("此处应为冒号", "“:” was expected here"),
        "expected ident" => ("关键字拼写有误（应为 true、false 或 null）", "a keyword is misspelt (expected true, false or null)"),
        "trailing comma" => ("有多余的逗号", "there is a trailing comma"),
        "trailing characters" => ("JSON 结束后还有多余的内容", "there is more text after the JSON"),
        "key must be a string" => ("对象的键必须是带引号的文本", "an object key must be a quoted text"),
        "invalid number" => ("数字的写法无效", "a number is malformed"),
        "invalid unicode code point" => ("有无效的 Unicode 字符", "there is an invalid Unicode character"),
        d if d.starts_with("control character") => ("文本中有未转义的控制字符", "a text holds an unescaped control character"),
        _ => ("格式不符合要求", "it is not of the expected form"),
    };
    if zh { z.into() } else { e.into() }
}

/// What serde names in "invalid type: X, expected Y", in words.
fn kind_of(s: &str, lang: Language) -> String {
    let zh = lang == Language::ZhCn;
    let s = s.trim();
    let quoted = |s: &str| s.split_once(' ').map(|(_, v)| v.trim_matches(|c| c == '"' || c == '`').to_string()).unwrap_or_default();
    let (z, e): (String, String) = if s.starts_with("string") {
        let v = quoted(s);
        (format!("文本“{v}”"), format!("the text “{v}”"))
    } else if s.starts_with("integer") || s.starts_with("floating point") {
        let v = quoted(s);
        (format!("数字 {v}"), format!("the number {v}"))
    } else if s.starts_with("boolean") {
        let v = quoted(s);
        (format!("是否值 {v}"), format!("the boolean {v}"))
    } else if s == "null" || s == "unit value" {
        ("空值".into(), "null".into())
    } else if s == "sequence" || s.contains("sequence") || s.starts_with("tuple") || s.starts_with("an array") {
        ("列表".into(), "a list".into())
    } else if s == "map" || s.starts_with("a map") || s.starts_with("struct ") || s.starts_with("enum ") {
        ("对象".into(), "an object".into())
    } else if ["u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize", "f32", "f64"].contains(&s) || s.contains("number") || s.contains("integer") {
        ("数字".into(), "a number".into())
    } else if s.contains("string") || s.contains("date") || s.contains("time") || s.starts_with("a character") || s.starts_with("char") {
        ("文本".into(), "text".into())
    } else if s.contains("bool") {
        ("是否值".into(), "a boolean".into())
    } else {
        ("其他类型的值".into(), "a value of another type".into())
    };
    if zh { z } else { e }
}

#[cfg(test)]
mod tests;
