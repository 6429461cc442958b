//! Texts of the satisfaction pages, Chinese first, English second (see `table.rs`).

use super::table::texts;
use clientscope_core::model::Language;

/// The satisfaction table of a language.
pub fn texts(lang: Language) -> &'static SatTexts {
    match lang {
        Language::ZhCn => &ZH,
        Language::En => &EN,
    }
}

texts! {SatTexts, ZH, EN {
    title: "顾客满意度", "Customer satisfaction";
}}
