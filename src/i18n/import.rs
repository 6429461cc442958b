//! Texts of the import pages, Chinese first, English second (see `table.rs`).

use super::table::texts;
use clientscope_core::model::Language;

/// The import table of a language.
pub fn texts(lang: Language) -> &'static ImportTexts {
    match lang {
        Language::ZhCn => &ZH,
        Language::En => &EN,
    }
}

texts! {ImportTexts, ZH, EN {
    title: "导入数据", "Import data";
}}
