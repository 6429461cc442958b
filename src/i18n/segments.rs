//! Texts of the segments pages, Chinese first, English second (see `table.rs`).

use super::table::texts;
use clientscope_core::model::Language;

/// The segments table of a language.
pub fn texts(lang: Language) -> &'static SegTexts {
    match lang {
        Language::ZhCn => &ZH,
        Language::En => &EN,
    }
}

texts! {SegTexts, ZH, EN {
    title: "市场细分与目标市场", "Segmentation & targeting";
}}
