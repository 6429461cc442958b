//! Survey templates: the SPEC §5 natural-gas indicator tree, and generic ACSI and CCSI
//! trees with their path models.
//!
//! ACSI (Fornell, Johnson, Anderson, Cha & Bryant 1996, "The American Customer Satisfaction
//! Index", J. Marketing 60(4)): customer expectations, perceived quality and perceived value
//! drive satisfaction, which drives complaints and loyalty; complaints affect loyalty.
//! CCSI (the China customer satisfaction index, 清华大学中国企业研究中心 1990s, as in
//! the ECSI of Tenenhaus et al. 2005) adds brand image, which drives expectations,
//! satisfaction and loyalty. Every first-level indicator is a block of the path model; its
//! leaves are the block's items. Equal weights; the user changes them.

use crate::model::{IndicatorNode, Language, Scale, Survey, SurveyDesign, Timestamp};

/// A template to start a survey from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    /// SPEC §5 natural-gas supply tree (weights as there).
    NaturalGas,
    /// American customer satisfaction index model.
    Acsi,
    /// China customer satisfaction index model (ACSI + brand image).
    Ccsi,
    /// One group with one question, to build on.
    Blank,
}

impl Template {
    /// All templates in menu order.
    pub const ALL: [Template; 4] = [Template::NaturalGas, Template::Acsi, Template::Ccsi, Template::Blank];

    /// Stable key (for forms).
    pub fn key(self) -> &'static str {
        match self {
            Template::NaturalGas => "gas",
            Template::Acsi => "acsi",
            Template::Ccsi => "ccsi",
            Template::Blank => "blank",
        }
    }

    /// The template of a key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }
}

fn leaf(id: &str, label: &str) -> IndicatorNode {
    IndicatorNode { id: id.into(), label: label.into(), weight: 1.0, children: Vec::new() }
}

fn group(id: &str, label: &str, children: Vec<IndicatorNode>) -> IndicatorNode {
    IndicatorNode { id: id.into(), label: label.into(), weight: 1.0, children }
}

/// Picks the label of the language.
fn l(lang: Language, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::ZhCn => zh,
        Language::En => en,
    }
}

/// The natural-gas tree with labels in `lang` (ids and weights as SPEC §5).
fn gas_tree(lang: Language) -> IndicatorNode {
    let mut root = crate::demo::gas_indicator_tree();
    if lang == Language::En {
        let en = [
            ("csi", "Perceived quality of the natural-gas supply"),
            ("supply", "Supply quality"),
            ("supply_pressure", "Supply pressure"),
            ("gas_quality", "Gas quality"),
            ("repair", "Repair quality"),
            ("repair_attitude", "Repair staff attitude"),
            ("repair_timeliness", "Repair timeliness"),
            ("repair_result", "Repair result"),
            ("meter", "Meter reading quality"),
            ("reader_attitude", "Meter reader attitude"),
            ("reading_errors", "Reading without errors"),
            ("bill_on_time", "Bill delivered on time"),
        ];
        fn relabel(n: &mut IndicatorNode, en: &[(&str, &str)]) {
            if let Some((_, label)) = en.iter().find(|(id, _)| *id == n.id) {
                n.label = (*label).to_string();
            }
            n.children.iter_mut().for_each(|c| relabel(c, en));
        }
        relabel(&mut root, &en);
    }
    root
}

/// The ACSI blocks (and, for CCSI, brand image first).
fn index_tree(lang: Language, ccsi: bool) -> IndicatorNode {
    let mut blocks = Vec::new();
    if ccsi {
        blocks.push(group("imag", l(lang, "品牌形象", "Brand image"), vec![
            leaf("imag1", l(lang, "企业/品牌的总体形象", "Overall image of the company or brand")),
            leaf("imag2", l(lang, "企业值得信赖", "The company is trustworthy")),
            leaf("imag3", l(lang, "企业关心顾客", "The company cares about its customers")),
        ]));
    }
    blocks.extend([
        group("expe", l(lang, "顾客预期", "Customer expectations"), vec![
            leaf("expe1", l(lang, "购买前对总体质量的预期", "Expected overall quality before buying")),
            leaf("expe2", l(lang, "对满足个人需求程度的预期", "Expected fit to personal needs")),
            leaf("expe3", l(lang, "对可靠性的预期", "Expected reliability")),
        ]),
        group("qual", l(lang, "感知质量", "Perceived quality"), vec![
            leaf("qual1", l(lang, "总体质量", "Overall quality")),
            leaf("qual2", l(lang, "满足个人需求的程度", "Fit to personal needs")),
            leaf("qual3", l(lang, "可靠性", "Reliability")),
        ]),
        group("val", l(lang, "感知价值", "Perceived value"), vec![
            leaf("val1", l(lang, "给定质量下的价格", "Price given the quality")),
            leaf("val2", l(lang, "给定价格下的质量", "Quality given the price")),
        ]),
        group("sat", l(lang, "顾客满意度", "Customer satisfaction"), vec![
            leaf("sat1", l(lang, "总体满意度", "Overall satisfaction")),
            leaf("sat2", l(lang, "与预期相比", "Compared with expectations")),
            leaf("sat3", l(lang, "与理想产品相比", "Compared with the ideal")),
        ]),
        group("comp", l(lang, "顾客抱怨", "Customer complaints"), vec![leaf(
            "comp1",
            l(lang, "投诉处理的满意程度", "Satisfaction with the handling of complaints"),
        )]),
        group("loy", l(lang, "顾客忠诚", "Customer loyalty"), vec![
            leaf("loy1", l(lang, "再次购买的可能性", "Likelihood to buy again")),
            leaf("loy2", l(lang, "涨价后仍购买的可能性", "Likelihood to buy after a price rise")),
        ]),
    ]);
    group("csi", if ccsi { l(lang, "中国顾客满意度指数", "China customer satisfaction index") } else { l(lang, "顾客满意度指数", "Customer satisfaction index") }, blocks)
}

/// The structural paths of the ACSI model (and CCSI's brand-image paths).
fn index_paths(ccsi: bool) -> Vec<(String, String)> {
    let mut p: Vec<(&str, &str)> = Vec::new();
    if ccsi {
        p.extend([("imag", "expe"), ("imag", "sat"), ("imag", "loy")]);
    }
    p.extend([
        ("expe", "qual"),
        ("expe", "val"),
        ("expe", "sat"),
        ("qual", "val"),
        ("qual", "sat"),
        ("val", "sat"),
        ("sat", "comp"),
        ("sat", "loy"),
        ("comp", "loy"),
    ]);
    p.into_iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// A new survey from a template. The ACSI and CCSI templates use the 1-10 scale (as the
/// ACSI questionnaires do) and carry their path model; the natural-gas one the 5-level
/// scale and two example competitors.
pub fn from_template(template: Template, id: &str, name: &str, lang: Language, now: Timestamp) -> Survey {
    let (scale, root, design, competitors) = match template {
        Template::NaturalGas => (Scale::Likert5, gas_tree(lang), SurveyDesign::default(), Vec::new()),
        Template::Acsi | Template::Ccsi => {
            let ccsi = template == Template::Ccsi;
            let design = SurveyDesign { paths: index_paths(ccsi), satisfaction_node: Some("sat".into()), ..SurveyDesign::default() };
            (Scale::OneToTen, index_tree(lang, ccsi), design, Vec::new())
        }
        Template::Blank => (
            Scale::Likert5,
            group("csi", l(lang, "总体满意度", "Overall satisfaction"), vec![group(
                "g1",
                l(lang, "指标组 1", "Group 1"),
                vec![leaf("q1", l(lang, "问题 1", "Question 1"))],
            )]),
            SurveyDesign::default(),
            Vec::new(),
        ),
    };
    Survey { id: id.into(), name: name.into(), scale, root, competitors, design, created_at: now, updated_at: now }
}
