//! The analysis of one stored survey: everything the Satisfaction page shows, computed from
//! the [`Survey`] record, its [`SurveyResponse`]s and the customers, by the other modules
//! of [`super`].
//!
//! - [`analyse`]: weighted-average CSI with bootstrap intervals ([`super::csi`]), NPS and
//!   the loyalty zones from each respondent's own score ([`super::nps`]), the
//!   importance-performance analysis with importance = global weight ([`super::ipa`]),
//!   Cronbach's alpha of every group of questions ([`super::reliability`]), the repurchase
//!   intention, and the benchmark against competitors and the target.
//! - [`breakdown`]: the same CSI per segment attribute, customer group, account manager,
//!   region or period (without intervals); by period it is the trend.
//! - [`objective_weights`]: entropy and coefficient-of-variation weights of the children of
//!   one node, from the respondents' scores of those children.
//! - [`pls_model`] and [`pls_table`]: the ACSI / CCSI path model of a survey whose design
//!   names structural paths between first-level indicators, on the raw answers; and
//!   [`ipa_derived`], the importance-performance analysis with importance = total effect on
//!   satisfaction from that model.

use super::csi::{self, AnswerIssue, CsiParams, CsiReport, ScoredItems, ValidCsiParams};
use super::ipa::{self, IpaItem, IpaParams, IpaReport};
use super::nps::{self, NpsReport, ValidZoneParams, ZoneParams, ZoneReport};
use super::pls::{Mode, PlsBlock, PlsModel, PlsReport};
use super::reliability::{self, AlphaReport};
use super::scale;
use super::weights::{self, ObjectiveWeightsReport};
use super::{ItemTable, Result, SatisfactionError};
use crate::model::{builtin_attributes, Customer, CustomerKind, IndicatorNode, Language, Survey, SurveyResponse};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Parameters of [`analyse`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct SurveyParams {
    /// CSI bootstrap settings.
    pub csi: CsiParams,
    /// Loyalty-zone thresholds.
    pub zones: ZoneParams,
}

/// [`SurveyParams`] that passed [`SurveyParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidSurveyParams {
    csi: ValidCsiParams,
    zones: ValidZoneParams,
}

impl SurveyParams {
    /// Checks both parts.
    pub fn check(self) -> Result<ValidSurveyParams> {
        Ok(ValidSurveyParams { csi: self.csi.check()?, zones: self.zones.check()? })
    }
}

/// Cronbach's alpha of the questions directly below one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupAlpha {
    /// The indicator id.
    pub node: String,
    /// Its label.
    pub label: String,
    /// Alpha, or why not (e.g. fewer than two questions answered by two respondents).
    pub alpha: std::result::Result<AlphaReport, String>,
}

/// One bar of the benchmark: the own CSI or a competitor's, on the same indicator tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkRow {
    /// Competitor name; `None` for the own company.
    pub competitor: Option<String>,
    /// CSI from the ratings (`None` without any).
    pub csi: Option<f64>,
    /// Respondents who gave ratings.
    pub n: usize,
    /// For a competitor: the own CSI among the same respondents (a like-for-like
    /// comparison).
    pub own_same_respondents: Option<f64>,
}

/// The repurchase intention.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RepurchaseSummary {
    /// Respondents who answered.
    pub n: usize,
    /// Mean on 0-100 (the survey's scale mapped as the questions).
    pub mean_score: f64,
    /// Share in the top two levels, %.
    pub top_two_pct: f64,
}

/// Everything [`analyse`] computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyReport {
    /// Responses of this survey that were analysed.
    pub respondents: usize,
    /// Weighted-average CSI per node, with bootstrap intervals.
    pub csi: CsiReport,
    /// Answers that did not fit the scale (left out, listed).
    pub issues: Vec<AnswerIssue>,
    /// NPS, when anyone answered the recommend question.
    pub nps: Option<NpsReport>,
    /// Satisfaction-loyalty zones (respondent score vs recommend), when anyone answered.
    pub zones: Option<ZoneReport>,
    /// Importance (global weight) vs performance (score) of the questions.
    pub ipa: Option<IpaReport>,
    /// Cronbach's alpha of every indicator whose children are all questions (≥ 2).
    pub alphas: Vec<GroupAlpha>,
    /// Repurchase intention, when anyone answered.
    pub repurchase: Option<RepurchaseSummary>,
    /// Own CSI first, then each competitor named in the survey.
    pub benchmark: Vec<BenchmarkRow>,
    /// The target CSI of the design.
    pub target: Option<f64>,
}

/// The responses of `survey` among `responses`.
///
/// A blank response (a questionnaire started and left before the first answer, see
/// [`is_blank`]) is a draft: it is kept so that field entry can resume it, but it is not a
/// respondent, so it is not among these. Every count a page shows and every analysis reads
/// its responses through this one function, so the count shown is the count analysed.
pub fn responses_of<'a>(survey: &Survey, responses: &'a [SurveyResponse]) -> Vec<&'a SurveyResponse> {
    responses.iter().filter(|r| r.survey_id == survey.id && !is_blank(r)).collect()
}

/// Whether a response holds no answer at all: no question answered (not even "not
/// applicable"), no repurchase or recommend answer, no competitor rating.
pub fn is_blank(r: &SurveyResponse) -> bool {
    r.answers.is_empty() && r.repurchase.is_none() && r.recommend.is_none() && r.competitor_answers.values().all(|m| m.is_empty())
}

fn scored(survey: &Survey, rs: &[&SurveyResponse]) -> (ScoredItems, Vec<AnswerIssue>) {
    let owned: Vec<SurveyResponse> = rs.iter().map(|r| (*r).clone()).collect();
    ScoredItems::from_responses(survey, &owned)
}

/// The CSI of a set of responses without intervals; `None` when nobody answered.
fn plain_csi(survey: &Survey, rs: &[&SurveyResponse]) -> Result<Option<CsiReport>> {
    if rs.is_empty() {
        return Ok(None);
    }
    let (items, _) = scored(survey, rs);
    let params = CsiParams { resamples: 0, ..CsiParams::default() }.check()?;
    match csi::csi(&survey.root, &items, &params) {
        Ok(r) => Ok(Some(r)),
        Err(csi::CsiError::NoAnswers) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Analyses the responses of `survey` (those in `responses` with its id).
pub fn analyse(survey: &Survey, responses: &[SurveyResponse], params: &ValidSurveyParams) -> Result<SurveyReport> {
    let rs = responses_of(survey, responses);
    let (items, issues) = scored(survey, &rs);
    let report = csi::csi(&survey.root, &items, &params.csi)?;

    let recommends: Vec<u8> = rs.iter().filter_map(|r| r.recommend).collect();
    let nps = (!recommends.is_empty()).then(|| nps::nps(&recommends)).transpose()?;
    let own = csi::respondent_scores(&survey.root, &items)?;
    let points: Vec<(f64, Option<u8>)> =
        own.iter().zip(&rs).filter_map(|(s, r)| s.map(|s| (s, r.recommend))).collect();
    let zones = if points.iter().any(|p| p.1.is_some()) { Some(nps::loyalty_zones(&points, &params.zones)?) } else { None };

    let ipa_items: Vec<IpaItem> = report
        .nodes
        .iter()
        .filter(|n| n.is_leaf)
        .filter_map(|n| n.score.map(|s| IpaItem { id: n.id.clone(), label: n.label.clone(), importance: n.global_weight, performance: s }))
        .collect();
    let ipa = if ipa_items.is_empty() { None } else { Some(ipa::ipa(&ipa_items, &IpaParams::default())?) };

    let table = csi::leaf_table(&items);
    let mut alphas = Vec::new();
    for node in survey.root.nodes() {
        if node.children.len() >= 2 && node.children.iter().all(|c| c.children.is_empty()) {
            let cols: Vec<usize> = node.children.iter().filter_map(|c| table.column_index(&c.id)).collect();
            let sub = sub_table(&table, &cols);
            let alpha = sub.map_err(|e| e.to_string()).and_then(|t| reliability::cronbach_alpha(&t).map_err(|e| e.to_string()));
            alphas.push(GroupAlpha { node: node.id.clone(), label: node.label.clone(), alpha });
        }
    }

    let rep: Vec<f64> = rs.iter().filter_map(|r| r.repurchase).collect();
    let mut rep_scores = Vec::with_capacity(rep.len());
    for v in &rep {
        rep_scores.push((scale::to_score(survey.scale, *v)?, scale::is_top_two(survey.scale, *v)));
    }
    let repurchase = (!rep_scores.is_empty()).then(|| RepurchaseSummary {
        n: rep_scores.len(),
        mean_score: rep_scores.iter().map(|s| s.0).sum::<f64>() / rep_scores.len() as f64,
        top_two_pct: 100.0 * rep_scores.iter().filter(|s| s.1).count() as f64 / rep_scores.len() as f64,
    });

    let benchmark = benchmark(survey, &rs, report.csi)?;
    Ok(SurveyReport {
        respondents: rs.len(),
        csi: report,
        issues,
        nps,
        zones,
        ipa,
        alphas,
        repurchase,
        benchmark,
        target: survey.design.target,
    })
}

fn sub_table(table: &ItemTable, cols: &[usize]) -> std::result::Result<ItemTable, super::TableError> {
    let names = cols.iter().map(|&c| table.names()[c].clone()).collect();
    let rows = table.rows().iter().map(|r| cols.iter().map(|&c| r[c]).collect()).collect();
    ItemTable::new(names, rows)
}

/// Own CSI, then each competitor's CSI from the competitor ratings (the same tree, scale
/// and missing-answer rules), with the own CSI among the respondents who rated that
/// competitor.
fn benchmark(survey: &Survey, rs: &[&SurveyResponse], own_csi: f64) -> Result<Vec<BenchmarkRow>> {
    let mut out = vec![BenchmarkRow { competitor: None, csi: Some(own_csi), n: rs.len(), own_same_respondents: None }];
    for name in &survey.competitors {
        let raters: Vec<&SurveyResponse> = rs.iter().copied().filter(|r| r.competitor_answers.get(name).is_some_and(|a| !a.is_empty())).collect();
        let as_own: Vec<SurveyResponse> = raters
            .iter()
            .map(|r| {
                let mut x = (*r).clone();
                x.answers = r.competitor_answers.get(name).map(|a| a.iter().map(|(k, v)| (k.clone(), Some(*v))).collect()).unwrap_or_default();
                x
            })
            .collect();
        let refs: Vec<&SurveyResponse> = as_own.iter().collect();
        out.push(BenchmarkRow {
            competitor: Some(name.clone()),
            csi: plain_csi(survey, &refs)?.map(|r| r.csi),
            n: raters.len(),
            own_same_respondents: plain_csi(survey, &raters)?.map(|r| r.csi),
        });
    }
    Ok(out)
}

/// What to break the results down by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupBy {
    /// The survey period (the trend).
    Period,
    /// Customer group: end customers, dealers, distributors (linked respondents only).
    CustomerKind,
    /// Account manager (the linked customer's owner).
    Owner,
    /// A segment attribute: the anonymous respondent's own value, else the linked
    /// customer's attribute.
    Segment(String),
}

/// One group of a [`breakdown`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// The group's value code; `None` for respondents without one.
    pub key: Option<String>,
    /// Display label of the value in the requested language.
    pub label: String,
    /// Respondents.
    pub n: usize,
    /// CSI.
    pub csi: Option<f64>,
    /// Satisfaction rate %.
    pub satisfaction_rate: Option<f64>,
    /// NPS of the group's recommend answers.
    pub nps: Option<f64>,
}

fn kind_code(k: CustomerKind) -> &'static str {
    match k {
        CustomerKind::EndCustomer => "end_customer",
        CustomerKind::Dealer => "dealer",
        CustomerKind::Distributor => "distributor",
    }
}

fn kind_label(code: &str, lang: Language) -> Option<&'static str> {
    let zh = lang == Language::ZhCn;
    Some(match code {
        "end_customer" => if zh { "终端顾客" } else { "end customers" },
        "dealer" => if zh { "中间商" } else { "dealers" },
        "distributor" => if zh { "分销商" } else { "distributors" },
        _ => return None,
    })
}

/// The group of one response.
fn group_key(by: &GroupBy, r: &SurveyResponse, customers: &HashMap<&str, &Customer>) -> Option<String> {
    let customer = r.customer_id.as_deref().and_then(|id| customers.get(id));
    match by {
        GroupBy::Period => (!r.period.trim().is_empty()).then(|| r.period.trim().to_string()),
        GroupBy::CustomerKind => customer.map(|c| kind_code(c.kind).to_string()),
        GroupBy::Owner => customer.map(|c| c.owner.trim().to_string()).filter(|o| !o.is_empty()),
        GroupBy::Segment(key) => {
            r.segment.get(key).cloned().or_else(|| customer.and_then(|c| c.attributes.get(key).cloned())).filter(|v| !v.is_empty())
        }
    }
}

/// CSI, satisfaction rate and NPS per group of respondents, groups in key order (periods
/// in time order when named like "2025H1" or "2025"), respondents without a group last.
pub fn breakdown(
    survey: &Survey,
    responses: &[SurveyResponse],
    customers: &[Customer],
    by: &GroupBy,
    lang: Language,
) -> Result<Vec<GroupRow>> {
    let index: HashMap<&str, &Customer> = customers.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut groups: BTreeMap<(bool, String), Vec<&SurveyResponse>> = BTreeMap::new();
    for r in responses_of(survey, responses) {
        let key = group_key(by, r, &index);
        groups.entry((key.is_none(), key.unwrap_or_default())).or_default().push(r);
    }
    let attr = match by {
        GroupBy::Segment(k) => builtin_attributes().into_iter().find(|d| &d.key == k),
        _ => None,
    };
    let mut out = Vec::with_capacity(groups.len());
    for ((none, key), rs) in groups {
        let report = plain_csi(survey, &rs)?;
        let rec: Vec<u8> = rs.iter().filter_map(|r| r.recommend).collect();
        let nps = (!rec.is_empty()).then(|| nps::nps(&rec)).transpose()?.map(|n| n.nps);
        let label = if none {
            if lang == Language::ZhCn { "（未知）".to_string() } else { "(unknown)".to_string() }
        } else {
            match by {
                GroupBy::CustomerKind => kind_label(&key, lang).map(str::to_string),
                GroupBy::Segment(_) => attr.as_ref().and_then(|d| d.values.iter().find(|v| v.code == key)).map(|v| {
                    if lang == Language::ZhCn { v.zh.clone() } else { v.en.clone() }
                }),
                _ => None,
            }
            .unwrap_or_else(|| key.clone())
        };
        out.push(GroupRow {
            key: (!none).then_some(key),
            label,
            n: rs.len(),
            csi: report.as_ref().map(|r| r.csi),
            satisfaction_rate: report.as_ref().map(|r| r.satisfaction_rate),
            nps,
        });
    }
    Ok(out)
}

/// Objective weights of the children of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveWeights {
    /// Child ids, in tree order.
    pub children: Vec<String>,
    /// Entropy weights, or why not.
    pub entropy: std::result::Result<ObjectiveWeightsReport, String>,
    /// Coefficient-of-variation weights, or why not.
    pub cv: std::result::Result<ObjectiveWeightsReport, String>,
}

/// Entropy and coefficient-of-variation weights of the children of `node`, from each
/// respondent's 0-100 score of each child (a question's mapped answer; a group's own
/// weighted score by the CSI rules). `None` when `node` is not an inner node of the tree.
pub fn objective_weights(survey: &Survey, responses: &[SurveyResponse], node: &str) -> Result<Option<ObjectiveWeights>> {
    let Some(n) = survey.root.find(node).filter(|n| !n.children.is_empty()) else { return Ok(None) };
    let rs = responses_of(survey, responses);
    let (items, _) = scored(survey, &rs);
    let mut cols = Vec::with_capacity(n.children.len());
    for c in &n.children {
        cols.push(csi::respondent_scores(c, &items)?);
    }
    let rows = (0..rs.len()).map(|i| cols.iter().map(|c| c[i]).collect()).collect();
    let table = ItemTable::new(n.children.iter().map(|c| c.id.clone()).collect(), rows)?;
    Ok(Some(ObjectiveWeights {
        children: n.children.iter().map(|c| c.id.clone()).collect(),
        entropy: weights::entropy_weights(&table).map_err(|e| e.to_string()),
        cv: weights::cv_weights(&table).map_err(|e| e.to_string()),
    }))
}

/// The path model of a survey: one block per first-level indicator named in a structural
/// path, its questions as items (leaf ids), reflective (mode A) unless the design marks it
/// formative (mode B); the design's paths.
/// `None` when the design has no paths.
pub fn pls_model(survey: &Survey) -> Option<PlsModel> {
    let paths = &survey.design.paths;
    if paths.is_empty() {
        return None;
    }
    let blocks = survey
        .root
        .children
        .iter()
        .filter(|c| paths.iter().any(|(a, b)| a == &c.id || b == &c.id))
        .map(|c| PlsBlock {
            name: c.id.clone(),
            items: c.leaves().iter().map(|l| l.id.clone()).collect(),
            mode: if survey.design.formative.contains(&c.id) { Mode::B } else { Mode::A },
        })
        .collect();
    Some(PlsModel { blocks, paths: paths.clone() })
}

/// The raw answers (on the survey's scale) of every question, one row per response of the
/// survey; missing and "not applicable" are `None` (PLS drops such rows listwise).
pub fn pls_table(survey: &Survey, responses: &[SurveyResponse]) -> Result<ItemTable> {
    let leaves: Vec<&IndicatorNode> = survey.root.leaves();
    let rows = responses_of(survey, responses)
        .iter()
        .map(|r| leaves.iter().map(|l| r.answers.get(&l.id).copied().flatten()).collect())
        .collect();
    Ok(ItemTable::new(leaves.iter().map(|l| l.id.clone()).collect(), rows)?)
}

/// Importance-performance analysis with derived importance: every latent variable with an
/// effect on `satisfaction`, importance = its total effect (direct + indirect) on it,
/// performance = its 0-100 index. Labels from the survey's tree.
pub fn ipa_derived(survey: &Survey, pls: &PlsReport, satisfaction: &str) -> Result<Option<IpaReport>> {
    let items: Vec<IpaItem> = pls
        .effects
        .iter()
        .filter(|e| e.to == satisfaction && e.total != 0.0)
        .filter_map(|e| {
            let index = pls.latent(&e.from)?.index?;
            let label = survey.root.find(&e.from).map(|n| n.label.clone()).unwrap_or_else(|| e.from.clone());
            Some(IpaItem { id: e.from.clone(), label, importance: e.total, performance: index })
        })
        .collect();
    if items.is_empty() {
        return Ok(None);
    }
    Ok(Some(ipa::ipa(&items, &IpaParams::default()).map_err(SatisfactionError::from)?))
}
