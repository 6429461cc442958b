//! User-facing texts in Simplified Chinese (default) and English.
//!
//! Every text is one key with both languages side by side in [`texts!`], so a language
//! cannot miss a key: the two tables are struct literals of the same type and the compiler
//! refuses an incomplete one. Texts with values use `{n}`-style placeholders filled by
//! [`fill`]. Components read texts through `crate::state::use_texts()`; no component holds
//! inline user-facing text.

use clientscope_core::model::{
    BuyingRole, CitySize, CreditRating, CustomerKind, CustomerStatus, EconomicZone, InteractionKind, Language,
    Region, Severity,
};

mod table;
pub use table::{Texts, EN, ZH};

pub mod complaints;
pub mod import;
pub mod satisfaction;
pub mod segments;
pub mod visits;
pub mod dashboard;

/// The text table of a language.
pub fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::ZhCn => &ZH,
        Language::En => &EN,
    }
}

/// Every text table as (zh, en) pairs of (key, text) lists, for the completeness tests.
#[cfg(test)]
fn all_tables() -> Vec<(Vec<(&'static str, &'static str)>, Vec<(&'static str, &'static str)>)> {
    vec![
        (ZH.all(), EN.all()),
        (complaints::ZH.all(), complaints::EN.all()),
        (import::ZH.all(), import::EN.all()),
        (satisfaction::ZH.all(), satisfaction::EN.all()),
        (segments::ZH.all(), segments::EN.all()),
        (visits::ZH.all(), visits::EN.all()),
        (dashboard::ZH.all(), dashboard::EN.all()),
    ]
}

/// Replaces `{name}` placeholders in `template` by the given values.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// A number shortened for an axis or a tight cell, in the language's units: 万 (10⁴) and
/// 亿 (10⁸) in Chinese, K, M and B in English; one decimal below ten units, none above
/// ("1.5万", "250万", "3.2亿"; "15K", "2.5M").
pub fn compact(v: f64, lang: Language) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let units: &[(f64, &str)] = match lang {
        Language::ZhCn => &[(1e8, "亿"), (1e4, "万")],
        Language::En => &[(1e9, "B"), (1e6, "M"), (1e3, "K")],
    };
    let a = v.abs();
    for &(size, unit) in units {
        if a >= size {
            let x = v / size;
            let s = if x.abs() < 10.0 { format!("{x:.1}") } else { format!("{x:.0}") };
            return format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s));
        }
    }
    if a >= 10.0 || a == 0.0 || a.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    }
}

/// Labels of the core's enumerations, in both languages.
pub trait Label {
    /// The label in `lang`.
    fn label(&self, lang: Language) -> &'static str;
}

macro_rules! labels {
    ($ty:ty { $($variant:path => $zh:expr, $en:expr;)* }) => {
        impl Label for $ty {
            fn label(&self, lang: Language) -> &'static str {
                match (self, lang) {
                    $(($variant, Language::ZhCn) => $zh, ($variant, Language::En) => $en,)*
                }
            }
        }
    };
}

labels!(Region {
    Region::Northeast => "东北", "Northeast";
    Region::North => "华北", "North";
    Region::East => "华东", "East";
    Region::Central => "华中", "Central";
    Region::South => "华南", "South";
    Region::Northwest => "西北", "Northwest";
    Region::Southwest => "西南", "Southwest";
});
labels!(CitySize {
    CitySize::Megacity => "特大型", "megacity";
    CitySize::Large => "大型", "large";
    CitySize::Medium => "中型", "medium";
    CitySize::Small => "小型", "small";
});
labels!(EconomicZone {
    EconomicZone::Eastern => "东部", "eastern";
    EconomicZone::Central => "中部", "central";
    EconomicZone::Western => "西部", "western";
});
labels!(CustomerKind {
    CustomerKind::EndCustomer => "终端顾客", "end customer";
    CustomerKind::Dealer => "中间商", "dealer";
    CustomerKind::Distributor => "分销商", "distributor";
});
labels!(CustomerStatus {
    CustomerStatus::Active => "合作中", "active";
    CustomerStatus::Terminated => "已终止", "terminated";
});
labels!(BuyingRole {
    BuyingRole::Initiator => "倡议者", "initiator";
    BuyingRole::Decider => "决策者", "decider";
    BuyingRole::Influencer => "影响者", "influencer";
    BuyingRole::Analyst => "分析者", "analyst";
    BuyingRole::User => "使用者", "user";
    BuyingRole::Buyer => "采购者", "buyer";
    BuyingRole::Gatekeeper => "控制者", "gatekeeper";
});
labels!(InteractionKind {
    InteractionKind::Visit => "拜访", "visit";
    InteractionKind::Phone => "电话", "phone";
    InteractionKind::Email => "邮件", "e-mail";
    InteractionKind::Meeting => "会议", "meeting";
    InteractionKind::Exhibition => "展会", "exhibition";
});
labels!(Severity {
    Severity::General => "一般", "general";
    Severity::Major => "重大", "major";
});

impl Label for CreditRating {
    fn label(&self, _lang: Language) -> &'static str {
        self.as_str()
    }
}

/// Label of a key-account profile field (keys of `KeyAccountProfile::fields`).
pub fn key_account_label(key: &str, lang: Language) -> &'static str {
    let (zh, en) = match key {
        "market_share_potential" => ("市场份额与发展潜力", "Market share & potential"),
        "business_philosophy" => ("经营观念", "Business philosophy"),
        "ownership" => ("所有制关系", "Ownership"),
        "scale" => ("规模", "Scale"),
        "financial_status" => ("财务状况", "Financial status"),
        "image" => ("企业形象", "Corporate image"),
        "staff_quality" => ("人员素质", "Staff quality"),
        "business_relationship" => ("业务关系", "Business relationship"),
        "credit" => ("信用", "Credit"),
        "revenue_status" => ("收入状况", "Revenue status"),
        "competitor_relationship" => ("与竞争者关系", "Relationship with competitors"),
        "open_problems" => ("存在问题", "Open problems"),
        _ => ("", ""),
    };
    match lang {
        Language::ZhCn => zh,
        Language::En => en,
    }
}

/// A message in both languages: `template(lang)` (one of the app's texts) with `{why}`
/// filled by the error's message in the same language. A page keeps it and shows
/// `.get(lang)` of the language at the time, so switching the language shows it again.
pub fn why_both(template: impl Fn(Language) -> &'static str, error: &dyn clientscope_core::error::Localized) -> clientscope_core::error::Bilingual {
    clientscope_core::error::Bilingual::from_fn(|lang| fill(template(lang), &[("why", &error.message(lang))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty_in_either_language() {
        for (zh, en) in all_tables().iter().flat_map(|(z, e)| z.iter().zip(e.iter())) {
            assert!(!zh.1.trim().is_empty(), "empty zh text for {}", zh.0);
            assert!(!en.1.trim().is_empty(), "empty en text for {}", en.0);
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        let names = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        for (zh, en) in all_tables().iter().flat_map(|(z, e)| z.iter().zip(e.iter())) {
            assert_eq!(names(zh.1), names(en.1), "placeholders differ for {}", zh.0);
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(fill("{a} 和 {b}", &[("a", &1), ("b", &"x")]), "1 和 x");
    }

    /// Keys whose English text may hold Chinese on purpose: the language switch names the
    /// other language, and an import hint quotes answers as they appear in Chinese data.
    const BOTH_LANGUAGES: [&str; 2] = ["lang_switch", "kind_responses_hint"];

    /// Issue 13, defect 6: "特级 (special)" and "Special (特级)" in the English UI, ASCII
    /// punctuation inside Chinese sentences ("得分 (0-100)", "P(存活)"). English texts hold
    /// no Chinese (but [`BOTH_LANGUAGES`]); Chinese texts use full-width punctuation next to
    /// Chinese characters.
    #[test]
    fn each_language_keeps_to_itself() {
        let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);
        for (zh, en) in all_tables().iter().flat_map(|(z, e)| z.iter().zip(e.iter())) {
            if !BOTH_LANGUAGES.contains(&en.0) {
                assert!(!en.1.chars().any(cjk), "English text of {} holds Chinese: {}", en.0, en.1);
            }
            let chars: Vec<char> = zh.1.chars().collect();
            for w in chars.windows(2) {
                let (a, b) = (w[0], w[1]);
                let ascii_punct = |c: char| matches!(c, ',' | ';' | ':' | '?' | '!' | '(' | ')');
                assert!(
                    !(cjk(a) && ascii_punct(b) || ascii_punct(a) && cjk(b) && a != ')'),
                    "Chinese text of {} has ASCII punctuation next to Chinese: {}",
                    zh.0,
                    zh.1
                );
            }
            assert!(!zh.1.contains(" ("), "Chinese text of {} opens an ASCII parenthesis: {}", zh.0, zh.1);
        }
    }

    /// Issue 13, defect 6: every money axis read "万" in the English UI. Short numbers
    /// follow the language: 万/亿 in Chinese, K/M/B in English.
    #[test]
    fn compact_numbers_follow_the_language() {
        assert_eq!(compact(15_000.0, Language::ZhCn), "1.5万");
        assert_eq!(compact(2_500_000.0, Language::ZhCn), "250万");
        assert_eq!(compact(320_000_000.0, Language::ZhCn), "3.2亿");
        assert_eq!(compact(15_000.0, Language::En), "15K");
        assert_eq!(compact(2_500_000.0, Language::En), "2.5M");
        assert_eq!(compact(-40_000.0, Language::En), "-40K");
        assert_eq!(compact(950.0, Language::En), "950");
        assert_eq!(compact(0.0, Language::ZhCn), "0");
        for v in [1.0e3, 1.0e4, 1.0e6, 1.0e8, 1.0e9] {
            assert!(!compact(v, Language::En).contains(['万', '亿']));
        }
    }

    #[test]
    fn every_key_account_field_has_labels() {
        for (key, _) in clientscope_core::model::KeyAccountProfile::default().fields() {
            assert!(!key_account_label(key, Language::ZhCn).is_empty());
            assert!(!key_account_label(key, Language::En).is_empty());
        }
    }
}
