//! The attribute catalogue as segmentation dimensions, partitions, and saved segment
//! definitions (SPEC §2 市场细分变量, SPEC §4).
//!
//! A [`Dimension`] says how to read one value code from a customer:
//! - the typed fields of [`Customer`] (kind, status, region, city size, economic zone,
//!   credit rating) give their serde code (`east`, `megacity`, `AAA`…); industry, province,
//!   city and owner give their trimmed text;
//! - [`Dimension::Attribute`] reads [`Customer::attributes`], built in
//!   ([`builtin_attributes`]) or user-defined ([`crate::model::Settings::custom_attributes`]);
//!   a multi-valued attribute (`media = "tv;internet"`) has several codes;
//! - [`Dimension::Label`] reads an analysis result the caller computed elsewhere (ABC class,
//!   RFM segment, grade, lifecycle stage, CSI band) from [`SegmentContext::labels`];
//! - [`Dimension::Numeric`] cuts a number (a numeric attribute, or a measure such as revenue
//!   or CSI from [`SegmentContext::measures`]) into editable [`Bands`].
//!
//! A customer with no value on a dimension gets the code [`MISSING`] (the empty string),
//! shown as 未填 / "(none)"; it is a value like any other, so a partition still covers
//! every customer.
//!
//! [`partition`] splits the customers by the cross product of several dimensions. For a
//! multi-valued attribute the partition key is the customer's *set* of codes joined by `;`
//! in code order, so that each customer is in exactly one segment. A
//! [`SegmentDefinition`] is a named conjunction of [`Condition`]s that is stored (it is
//! serde-serialisable) and reused as a filter; on a multi-valued attribute a condition
//! holds when *any* of the customer's codes is in the chosen set.

use crate::model::{builtin_attributes, AttributeDef, AttributeGroup, AttributeValue, Customer, Id, Language};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The code of "no value on this dimension".
pub const MISSING: &str = "";

/// An invalid dimension, band list or segment definition.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AttributeError {
    /// A saved cluster condition has inconsistent shapes or non-finite numbers.
    #[error("condition {index} of segment {name:?}: the saved clustering is damaged (shapes or numbers)")]
    Centroids {
        /// Segment name.
        name: String,
        /// Condition index (0-based).
        index: usize,
    },
    /// Band edges must be finite and strictly increasing.
    #[error("band edges must be finite and strictly increasing, got {0:?}")]
    Bands(Vec<f64>),
    /// A segment definition needs a name.
    #[error("a segment definition needs a name")]
    EmptyName,
    /// A condition selects no value at all.
    #[error("condition {index} of segment {name:?} selects no value")]
    EmptyCondition {
        /// Segment name.
        name: String,
        /// Condition index (0-based).
        index: usize,
    },
    /// A range condition has a bound that is not finite, or min ≥ max.
    #[error("condition {index} of segment {name:?}: the range [{min:?}, {max:?}) is empty or not finite")]
    Range {
        /// Segment name.
        name: String,
        /// Condition index (0-based).
        index: usize,
        /// Lower bound (inclusive).
        min: Option<f64>,
        /// Upper bound (exclusive).
        max: Option<f64>,
    },
}

impl AttributeError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        let bound = |b: &Option<f64>| b.map(|v| v.to_string()).unwrap_or_else(|| if zh { "不限".into() } else { "none".into() });
        match self {
            AttributeError::Centroids { name, index } => if zh {
                format!("细分“{name}”的第 {} 个条件中保存的聚类结果已损坏，请重新聚类后保存。", index + 1)
            } else {
                format!("Condition {} of the segment “{name}”: the saved clustering is damaged; cluster again and save it.", index + 1)
            },
            AttributeError::Bands(edges) => {
                let list = edges.iter().map(|e| e.to_string()).collect::<Vec<_>>();
                if zh {
                    format!("分段界限必须是有效数字且严格递增，当前为 {}。", list.join("、"))
                } else {
                    format!("Band edges must be finite numbers in strictly increasing order, got {}.", list.join(", "))
                }
            }
            AttributeError::EmptyName => if zh { "细分定义需要一个名称。".into() } else { "A segment definition needs a name.".into() },
            AttributeError::EmptyCondition { name, index } => if zh {
                format!("细分“{name}”的第 {} 个条件没有选择任何值。", index + 1)
            } else {
                format!("Condition {} of the segment “{name}” selects no value.", index + 1)
            },
            AttributeError::Range { name, index, min, max } => if zh {
                format!("细分“{name}”的第 {} 个条件的范围无效：下限 {}，上限 {}（下限须小于上限，且都是有效数字）。", index + 1, bound(min), bound(max))
            } else {
                format!("Condition {} of the segment “{name}” has an invalid range: from {} to {} (the lower bound must be below the upper one, both finite).", index + 1, bound(min), bound(max))
            },
        }
    }
}

/// Where a customer's number comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "from", content = "key", rename_all = "snake_case")]
pub enum NumericSource {
    /// A customer attribute whose value parses as a number (`employees = "350"`); a value
    /// that does not parse, or is not finite, counts as missing.
    Attribute(String),
    /// A measure handed in by the caller in [`SegmentContext::measures`] (for example the
    /// keys filled by [`SegmentContext::with_period_totals`]: `revenue`, `gross_profit`,
    /// `order_lines`; or `csi`, `clv`, `recency_days` from other analyses).
    Measure(String),
}

/// Editable bands of a numeric dimension: edges `e_0 < e_1 < … < e_{m-1}` give `m + 1`
/// bands `(-∞, e_0), [e_0, e_1), …, [e_{m-1}, ∞)` with codes `b0 … bm`. No edges: one band.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bands {
    /// The band edges, strictly increasing.
    pub edges: Vec<f64>,
}

impl Bands {
    /// Checks that the edges are finite and strictly increasing.
    pub fn check(&self) -> Result<(), AttributeError> {
        let ok = self.edges.iter().all(|e| e.is_finite()) && self.edges.windows(2).all(|w| w[0] < w[1]);
        if ok {
            Ok(())
        } else {
            Err(AttributeError::Bands(self.edges.clone()))
        }
    }

    /// The index of the band holding `x` (the number of edges ≤ `x`).
    pub fn band_of(&self, x: f64) -> usize {
        self.edges.partition_point(|e| *e <= x)
    }

    /// The code of band `i` (`b0`, `b1`…).
    pub fn code(i: usize) -> String {
        format!("b{i}")
    }

    /// The printed range of band `i`: `< e0`, `e0 – e1`, `≥ e_last`, or `全部` / `all`
    /// when there are no edges.
    pub fn label(&self, i: usize, lang: Language) -> String {
        let m = self.edges.len();
        match (i, m) {
            (_, 0) => all_label(lang).to_string(),
            (0, _) => format!("< {}", self.edges[0]),
            (i, m) if i >= m => format!("≥ {}", self.edges[m - 1]),
            (i, _) => format!("{} – {}", self.edges[i - 1], self.edges[i]),
        }
    }

    /// Suggested edges: the `n`-quantiles of the finite values (type 7, linear
    /// interpolation, as numpy's default), duplicates removed. Order-independent.
    pub fn quantiles(values: &[f64], n: usize) -> Bands {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_unstable_by(f64::total_cmp);
        let mut edges: Vec<f64> = Vec::new();
        if v.is_empty() || n < 2 {
            return Bands { edges };
        }
        for j in 1..n {
            let q = quantile_sorted(&v, j as f64 / n as f64);
            if edges.last().is_none_or(|last| q > *last) {
                edges.push(q);
            }
        }
        Bands { edges }
    }

    /// Suggested edges as a person would type them: the `n`-quantiles ([`Bands::quantiles`])
    /// rounded to the fewest significant digits (two at least) that keep them strictly
    /// increasing, so 15,781.62 / 51,030.12 / 152,269.49 become 16,000 / 51,000 / 150,000.
    /// Edges that already have few digits are left as they are.
    pub fn suggested(values: &[f64], n: usize) -> Bands {
        let exact = Bands::quantiles(values, n);
        for digits in 2..=15 {
            let edges: Vec<f64> = exact.edges.iter().map(|&e| round_significant(e, digits)).collect();
            if edges.windows(2).all(|w| w[0] < w[1]) {
                return Bands { edges };
            }
        }
        exact
    }
}

/// `x` rounded to `digits` significant digits, as the nearest double of the decimal (so it
/// prints without binary noise: 0.12, not 0.12000000000000001).
fn round_significant(x: f64, digits: usize) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    // Printing in scientific notation rounds half to even on the decimal digits; parsing
    // the text back gives the nearest double of that decimal.
    format!("{:.*e}", digits.saturating_sub(1), x).parse().unwrap_or(x)
}

/// The `p`-quantile of sorted, non-empty values, type 7 (linear interpolation between the
/// order statistics at `(n − 1)p`), numpy's and R's default.
pub(crate) fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn all_label(lang: Language) -> &'static str {
    match lang {
        Language::ZhCn => "全部",
        Language::En => "all",
    }
}

fn missing_label(lang: Language) -> &'static str {
    match lang {
        Language::ZhCn => "未填",
        Language::En => "(none)",
    }
}

/// One way of reading a segmentation value from a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Dimension {
    /// Customer kind (end customer, dealer, distributor).
    Kind,
    /// Active or terminated.
    Status,
    /// Region 大区.
    Region,
    /// City size 城市规模.
    CitySize,
    /// Economic zone 经济带.
    EconomicZone,
    /// Credit rating 信用等级.
    CreditRating,
    /// Industry 行业 (trimmed text).
    Industry,
    /// Province 省 (trimmed text).
    Province,
    /// City 市 (trimmed text).
    City,
    /// Account manager (trimmed text).
    Owner,
    /// A categorical attribute in [`Customer::attributes`], built in or user-defined.
    Attribute {
        /// Attribute key.
        key: String,
    },
    /// An analysis result per customer from [`SegmentContext::labels`] (ABC class, RFM
    /// segment, grade, lifecycle stage, CSI band…).
    Label {
        /// Label key, e.g. `abc`.
        key: String,
    },
    /// A number cut into bands.
    Numeric {
        /// Where the number comes from.
        source: NumericSource,
        /// The bands.
        bands: Bands,
    },
}

/// The serde code of a unit enum value.
fn serde_code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn text_code(s: &str) -> Vec<String> {
    let t = s.trim();
    if t.is_empty() {
        Vec::new()
    } else {
        vec![t.to_string()]
    }
}

impl Dimension {
    /// The customer's codes on this dimension, sorted and without duplicates; empty when
    /// the customer has no value. Only multi-valued attributes give more than one code.
    pub fn codes(&self, c: &Customer, ctx: &SegmentContext<'_>) -> Vec<String> {
        match self {
            Dimension::Kind => vec![serde_code(&c.kind)],
            Dimension::Status => vec![serde_code(&c.status)],
            Dimension::Region => c.region.map(|r| vec![serde_code(&r)]).unwrap_or_default(),
            Dimension::CitySize => c.city_size.map(|r| vec![serde_code(&r)]).unwrap_or_default(),
            Dimension::EconomicZone => c.economic_zone.map(|r| vec![serde_code(&r)]).unwrap_or_default(),
            Dimension::CreditRating => c.credit_rating.map(|r| vec![r.as_str().to_string()]).unwrap_or_default(),
            Dimension::Industry => text_code(&c.industry),
            Dimension::Province => text_code(&c.province),
            Dimension::City => text_code(&c.city),
            Dimension::Owner => text_code(&c.owner),
            Dimension::Attribute { key } => {
                let Some(raw) = c.attributes.get(key) else { return Vec::new() };
                let set: BTreeSet<&str> = raw.split(';').map(str::trim).filter(|s| !s.is_empty()).collect();
                set.into_iter().map(str::to_string).collect()
            }
            Dimension::Label { key } => {
                ctx.labels.get(key).and_then(|m| m.get(c.id.as_str())).map(|s| text_code(s)).unwrap_or_default()
            }
            Dimension::Numeric { source, bands } => {
                ctx.number(source, c).map(|x| vec![Bands::code(bands.band_of(x))]).unwrap_or_default()
            }
        }
    }

    /// The customer's partition code: its codes joined by `;` ([`MISSING`] when none).
    pub fn key(&self, c: &Customer, ctx: &SegmentContext<'_>) -> String {
        self.codes(c, ctx).join(";")
    }

    /// Checks the bands of a numeric dimension; other dimensions are always valid.
    pub fn check(&self) -> Result<(), AttributeError> {
        match self {
            Dimension::Numeric { bands, .. } => bands.check(),
            _ => Ok(()),
        }
    }

    /// A printable label of one code of this dimension (a partition key with `;` is
    /// labelled part by part). Unknown codes print as themselves.
    pub fn value_label(&self, code: &str, catalogue: &[AttributeDef], lang: Language) -> String {
        if code == MISSING {
            return missing_label(lang).to_string();
        }
        if code.contains(';') {
            return code.split(';').map(|p| self.value_label(p, catalogue, lang)).collect::<Vec<_>>().join("、");
        }
        let pick = |zh: &str, en: &str| match lang {
            Language::ZhCn => zh.to_string(),
            Language::En => en.to_string(),
        };
        let table: &[(&str, &str, &str)] = match self {
            Dimension::Kind => &[("end_customer", "终端顾客", "end customer"), ("dealer", "中间商", "dealer"), ("distributor", "分销商", "distributor")],
            Dimension::Status => &[("active", "正常", "active"), ("terminated", "已终止", "terminated")],
            Dimension::Region => &[
                ("northeast", "东北", "Northeast"),
                ("north", "华北", "North"),
                ("east", "华东", "East"),
                ("central", "华中", "Central"),
                ("south", "华南", "South"),
                ("northwest", "西北", "Northwest"),
                ("southwest", "西南", "Southwest"),
            ],
            Dimension::CitySize => &[("megacity", "特大型", "megacity"), ("large", "大型", "large"), ("medium", "中型", "medium"), ("small", "小型", "small")],
            Dimension::EconomicZone => &[("eastern", "东部", "eastern"), ("central", "中部", "central"), ("western", "西部", "western")],
            Dimension::Attribute { key } => {
                let v = catalogue.iter().find(|d| &d.key == key).and_then(|d| d.values.iter().find(|v| v.code == code));
                return v.map(|v| pick(&v.zh, &v.en)).unwrap_or_else(|| code.to_string());
            }
            Dimension::Numeric { bands, .. } => {
                return code.strip_prefix('b').and_then(|i| i.parse::<usize>().ok()).map(|i| bands.label(i, lang)).unwrap_or_else(|| code.to_string());
            }
            _ => &[],
        };
        table.iter().find(|(c, _, _)| *c == code).map(|(_, zh, en)| pick(zh, en)).unwrap_or_else(|| code.to_string())
    }
}

/// One entry of the dimension catalogue shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionInfo {
    /// The dimension (numeric ones come with no edges; the user sets them).
    pub dimension: Dimension,
    /// Group of SPEC §2.
    pub group: AttributeGroup,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
    /// The known values (empty for free text and numbers).
    pub values: Vec<AttributeValue>,
}

/// The segmentation dimensions of a workspace: the typed geographic and industrial fields,
/// the built-in attributes of [`builtin_attributes`], then the user's `custom` attributes
/// (a user attribute with the key of a built-in one replaces it). Analysis labels and
/// numeric measures are added by the caller, who knows which results exist.
pub fn catalogue(custom: &[AttributeDef]) -> Vec<DimensionInfo> {
    use AttributeGroup::*;
    let typed = |dimension: Dimension, group, zh: &str, en: &str| {
        let values = match &dimension {
            Dimension::Region => ["northeast", "north", "east", "central", "south", "northwest", "southwest"].as_slice(),
            Dimension::CitySize => ["megacity", "large", "medium", "small"].as_slice(),
            Dimension::EconomicZone => ["eastern", "central", "western"].as_slice(),
            Dimension::Kind => ["end_customer", "dealer", "distributor"].as_slice(),
            Dimension::Status => ["active", "terminated"].as_slice(),
            _ => [].as_slice(),
        }
        .iter()
        .map(|code| AttributeValue {
            code: code.to_string(),
            zh: dimension.value_label(code, &[], Language::ZhCn),
            en: dimension.value_label(code, &[], Language::En),
        })
        .collect();
        DimensionInfo { dimension, group, zh: zh.into(), en: en.into(), values }
    };
    let mut out = vec![
        typed(Dimension::Region, Geographic, "大区", "Region"),
        typed(Dimension::Province, Geographic, "省", "Province"),
        typed(Dimension::City, Geographic, "市", "City"),
        typed(Dimension::CitySize, Geographic, "城市规模", "City size"),
        typed(Dimension::EconomicZone, Geographic, "经济带", "Economic zone"),
        typed(Dimension::Kind, Industrial, "客户类型", "Customer kind"),
        typed(Dimension::Industry, Industrial, "行业", "Industry"),
        typed(Dimension::Status, Behavioural, "状态", "Status"),
        typed(Dimension::Owner, Behavioural, "客户经理", "Account manager"),
    ];
    let mut defs = builtin_attributes();
    for d in custom {
        match defs.iter_mut().find(|b| b.key == d.key) {
            Some(b) => *b = d.clone(),
            None => defs.push(d.clone()),
        }
    }
    out.extend(defs.into_iter().map(|d| DimensionInfo {
        dimension: Dimension::Attribute { key: d.key },
        group: d.group,
        zh: d.zh,
        en: d.en,
        values: d.values,
    }));
    out
}

/// The customers plus the per-customer analysis results that dimensions may read. Results
/// are keyed by customer id, so the context does not depend on the order of `customers`.
/// Each result map is shared (`Arc`), so cloning a context over 100,000 customers is cheap.
#[derive(Debug, Clone, Default)]
pub struct SegmentContext<'a> {
    /// The customers.
    pub customers: &'a [Customer],
    /// Categorical results: key (`abc`, `rfm_segment`, `grade`, `lifecycle`, `csi_band`…)
    /// → customer id → label.
    pub labels: BTreeMap<String, Arc<HashMap<Id, String>>>,
    /// Numeric results: key → customer id → value.
    pub measures: BTreeMap<String, Arc<HashMap<Id, f64>>>,
}

impl<'a> SegmentContext<'a> {
    /// A context with no analysis results.
    pub fn new(customers: &'a [Customer]) -> Self {
        SegmentContext { customers, labels: BTreeMap::new(), measures: BTreeMap::new() }
    }

    /// Adds the measures `revenue`, `gross_profit` (order lines without profit count 0) and
    /// `order_lines` over the dates `from..=to` for every customer (0 without orders).
    /// Each customer's lines are added in sorted order, so the values do not depend on
    /// the order of `orders`.
    pub fn with_period_totals(mut self, orders: &(impl crate::orders::Lines + ?Sized), from: crate::model::Date, to: crate::model::Date) -> Self {
        let mut per: HashMap<&str, (Vec<f64>, Vec<f64>)> = self.customers.iter().map(|c| (c.id.as_str(), (Vec::new(), Vec::new()))).collect();
        for o in orders.each_line().filter(|o| o.date >= from && o.date <= to) {
            if let Some((a, p)) = per.get_mut(o.customer_id) {
                a.push(o.amount);
                p.push(o.profit.unwrap_or(0.0));
            }
        }
        let mut revenue = HashMap::with_capacity(per.len());
        let mut profit = HashMap::with_capacity(per.len());
        let mut lines = HashMap::with_capacity(per.len());
        for (id, (mut a, mut p)) in per {
            lines.insert(id.to_string(), a.len() as f64);
            revenue.insert(id.to_string(), super::canonical_sum(&mut a));
            profit.insert(id.to_string(), super::canonical_sum(&mut p));
        }
        self.measures.insert("revenue".into(), Arc::new(revenue));
        self.measures.insert("gross_profit".into(), Arc::new(profit));
        self.measures.insert("order_lines".into(), Arc::new(lines));
        self
    }

    /// Adds the per-customer results of a value analysis ([`crate::value::analyse`]), keyed
    /// by customer id. Labels (serde codes): `abc` (`A`/`B`/`C`), `rfm_segment`
    /// (`champions`…; none for customers who never bought), `grade` (`special`, `a`…),
    /// `lifecycle` (`exploration`…), `value_quadrant` (`gold`…). Measures: `recency_days`,
    /// `frequency`, `monetary` (RFM; none without purchases), `clv` and `p_alive` (where
    /// the BG/NBD fit gave them), `value_revenue` and `value_profit` (the analysis period).
    pub fn with_value_report(mut self, report: &crate::value::ValueReport) -> Self {
        let mut put_label = |key: &str, id: &str, code: String| {
            Arc::make_mut(self.labels.entry(key.to_string()).or_default()).insert(id.to_string(), code);
        };
        for cv in &report.customers {
            put_label("abc", &cv.id, serde_code(&cv.abc));
            put_label("grade", &cv.id, serde_code(&cv.grade));
            put_label("lifecycle", &cv.id, serde_code(&cv.stage));
            put_label("value_quadrant", &cv.id, serde_code(&cv.value_quadrant));
            if let Some(r) = &cv.rfm {
                put_label("rfm_segment", &cv.id, serde_code(&r.segment));
            }
        }
        let mut put = |key: &str, id: &str, v: Option<f64>| {
            let m = Arc::make_mut(self.measures.entry(key.to_string()).or_default());
            if let Some(v) = v.filter(|v| v.is_finite()) {
                m.insert(id.to_string(), v);
            }
        };
        for cv in &report.customers {
            put("recency_days", &cv.id, cv.rfm.as_ref().map(|r| r.recency_days as f64));
            put("frequency", &cv.id, cv.rfm.as_ref().map(|r| f64::from(r.frequency)));
            put("monetary", &cv.id, cv.rfm.as_ref().map(|r| r.monetary));
            put("clv", &cv.id, cv.clv);
            put("p_alive", &cv.id, cv.p_alive);
            put("value_revenue", &cv.id, Some(cv.revenue));
            put("value_profit", &cv.id, Some(cv.profit));
        }
        self
    }

    /// Adds the measure `csi`: each customer's own weighted satisfaction score 0-100
    /// ([`crate::satisfaction::csi::respondent_scores`], the survey's indicator tree applied
    /// to one response) from their **latest** response (by date, then response id) to any
    /// survey; anonymous responses and responses that answered nothing are ignored, as
    /// are surveys whose tree cannot be scored. Returns how many responses were skipped.
    pub fn with_customer_csi(mut self, surveys: &[crate::model::Survey], responses: &[crate::model::SurveyResponse]) -> (Self, usize) {
        use crate::satisfaction::csi::{respondent_scores, ScoredItems};
        let mut latest: HashMap<Id, (crate::model::Date, Id, f64)> = HashMap::new();
        let mut skipped = 0;
        for survey in surveys {
            let rs: Vec<crate::model::SurveyResponse> = responses.iter().filter(|r| r.survey_id == survey.id && r.customer_id.is_some()).cloned().collect();
            if rs.is_empty() {
                continue;
            }
            let (items, _issues) = ScoredItems::from_responses(survey, &rs);
            let Ok(scores) = respondent_scores(&survey.root, &items) else {
                skipped += rs.len();
                continue;
            };
            for (r, score) in rs.iter().zip(scores) {
                let (Some(cid), Some(score)) = (&r.customer_id, score) else {
                    skipped += 1;
                    continue;
                };
                let newer = latest.get(cid).is_none_or(|(d, id, _)| (r.date, &r.id) > (*d, id));
                if newer {
                    latest.insert(cid.clone(), (r.date, r.id.clone(), score));
                }
            }
        }
        self.measures.insert("csi".into(), Arc::new(latest.into_iter().map(|(k, (_, _, v))| (k, v)).collect()));
        (self, skipped)
    }

    /// The customer's number from `source`, when present and finite.
    pub fn number(&self, source: &NumericSource, c: &Customer) -> Option<f64> {
        let x = match source {
            NumericSource::Attribute(key) => c.attributes.get(key)?.trim().parse::<f64>().ok()?,
            NumericSource::Measure(key) => *self.measures.get(key)?.get(c.id.as_str())?,
        };
        x.is_finite().then_some(x)
    }
}

/// One condition of a [`SegmentDefinition`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Condition {
    /// The customer has one of `values` on `dimension` (any of its codes, for a
    /// multi-valued attribute); include [`MISSING`] to select customers without a value.
    In {
        /// The dimension.
        dimension: Dimension,
        /// The accepted codes.
        values: BTreeSet<String>,
    },
    /// `min ≤ x < max` for the number from `source` (a missing bound is unbounded); a
    /// customer without the number does not match.
    Range {
        /// Where the number comes from.
        source: NumericSource,
        /// Lower bound, inclusive.
        min: Option<f64>,
        /// Upper bound, exclusive.
        max: Option<f64>,
    },
    /// The customer's nearest centroid of a saved k-means clustering is `cluster`: the
    /// numbers from `sources` are scaled as the clustering scaled them,
    /// `(x_j − mean_j) / scale_j`, and compared with `centroids` by squared Euclidean
    /// distance (ties: the lowest centroid index, as in the fit). A customer missing any
    /// of the numbers does not match. This is how a cluster is saved as a segment: it also
    /// places customers added later.
    NearestCentroid {
        /// Where each column comes from.
        sources: Vec<NumericSource>,
        /// Column means used by the scaling (0 for raw).
        mean: Vec<f64>,
        /// Column scales used by the scaling (1 for raw).
        scale: Vec<f64>,
        /// The centroids, in the scaled space.
        centroids: Vec<Vec<f64>>,
        /// The cluster this segment is.
        cluster: usize,
    },
}

impl Condition {
    /// The condition of "cluster `cluster` of the k-means `report`" run on the columns
    /// read from `sources` (in the report's column order).
    pub fn from_cluster(report: &super::kmeans::KMeansReport, sources: Vec<NumericSource>, cluster: usize) -> Condition {
        Condition::NearestCentroid { sources, mean: report.mean.clone(), scale: report.scale.clone(), centroids: report.centroids.clone(), cluster }
    }
}

/// A named segment: the customers meeting every condition (a conjunction; no conditions
/// selects everyone). Serialisable, so it is saved with the settings and in the backup
/// and reused as a filter on every page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentDefinition {
    /// Name given by the user.
    pub name: String,
    /// Free note.
    #[serde(default)]
    pub note: String,
    /// The conditions, all of which must hold.
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

/// A checked [`SegmentDefinition`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSegmentDefinition(SegmentDefinition);

impl SegmentDefinition {
    /// Checks the name, the bands and that every condition can hold.
    pub fn check(&self) -> Result<ValidSegmentDefinition, AttributeError> {
        if self.name.trim().is_empty() {
            return Err(AttributeError::EmptyName);
        }
        for (index, cond) in self.conditions.iter().enumerate() {
            match cond {
                Condition::In { dimension, values } => {
                    dimension.check()?;
                    if values.is_empty() {
                        return Err(AttributeError::EmptyCondition { name: self.name.clone(), index });
                    }
                }
                Condition::Range { min, max, .. } => {
                    let finite = min.is_none_or(f64::is_finite) && max.is_none_or(f64::is_finite);
                    let nonempty = match (min, max) {
                        (Some(a), Some(b)) => a < b,
                        _ => true,
                    };
                    if !finite || !nonempty {
                        return Err(AttributeError::Range { name: self.name.clone(), index, min: *min, max: *max });
                    }
                }
                Condition::NearestCentroid { sources, mean, scale, centroids, cluster } => {
                    let d = sources.len();
                    let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
                    let ok = d > 0
                        && mean.len() == d
                        && scale.len() == d
                        && finite(mean)
                        && scale.iter().all(|s| s.is_finite() && *s > 0.0)
                        && *cluster < centroids.len()
                        && centroids.iter().all(|c| c.len() == d && finite(c));
                    if !ok {
                        return Err(AttributeError::Centroids { name: self.name.clone(), index });
                    }
                }
            }
        }
        Ok(ValidSegmentDefinition(self.clone()))
    }
}

impl ValidSegmentDefinition {
    /// The definition.
    pub fn definition(&self) -> &SegmentDefinition {
        &self.0
    }

    /// Whether customer `c` belongs to the segment.
    pub fn matches(&self, c: &Customer, ctx: &SegmentContext<'_>) -> bool {
        self.0.conditions.iter().all(|cond| match cond {
            Condition::In { dimension, values } => {
                let codes = dimension.codes(c, ctx);
                if codes.is_empty() {
                    values.contains(MISSING)
                } else {
                    codes.iter().any(|code| values.contains(code))
                }
            }
            Condition::Range { source, min, max } => ctx
                .number(source, c)
                .is_some_and(|x| min.is_none_or(|m| x >= m) && max.is_none_or(|m| x < m)),
            Condition::NearestCentroid { sources, mean, scale, centroids, cluster } => {
                let mut z = Vec::with_capacity(sources.len());
                for ((s, m), sc) in sources.iter().zip(mean).zip(scale) {
                    match ctx.number(s, c) {
                        Some(x) => z.push((x - m) / sc),
                        None => return false,
                    }
                }
                let mut best = f64::INFINITY;
                let mut best_j = usize::MAX;
                for (j, cen) in centroids.iter().enumerate() {
                    let d2: f64 = cen.iter().zip(&z).map(|(a, b)| (a - b) * (a - b)).sum();
                    if d2 < best {
                        best = d2;
                        best_j = j;
                    }
                }
                best_j == *cluster
            }
        })
    }

    /// Indices (into `ctx.customers`, ascending) of the customers in the segment.
    pub fn filter(&self, ctx: &SegmentContext<'_>) -> Vec<usize> {
        ctx.customers.iter().enumerate().filter(|(_, c)| self.matches(c, ctx)).map(|(i, _)| i).collect()
    }
}

/// Which dimensions to partition the customers by.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartitionParams {
    /// The dimensions; the segments are the non-empty cells of their cross product. None:
    /// one segment of all customers.
    pub dimensions: Vec<Dimension>,
}

/// Checked [`PartitionParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPartitionParams(PartitionParams);

impl PartitionParams {
    /// Checks the bands of every numeric dimension.
    pub fn check(&self) -> Result<ValidPartitionParams, AttributeError> {
        self.dimensions.iter().try_for_each(Dimension::check)?;
        Ok(ValidPartitionParams(self.clone()))
    }
}

impl ValidPartitionParams {
    /// The parameters.
    pub fn params(&self) -> &PartitionParams {
        &self.0
    }
}

/// One cell of a partition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// The partition code per dimension (see [`Dimension::key`]).
    pub key: Vec<String>,
    /// Indices into the customer slice, ascending.
    pub members: Vec<usize>,
}

impl Segment {
    /// The printable name: the value labels of the key joined by ` · `, or 全部 / all for
    /// the single segment of a partition by no dimension.
    pub fn name(&self, dimensions: &[Dimension], catalogue: &[AttributeDef], lang: Language) -> String {
        if self.key.is_empty() {
            return all_label(lang).to_string();
        }
        dimensions.iter().zip(&self.key).map(|(d, k)| d.value_label(k, catalogue, lang)).collect::<Vec<_>>().join(" · ")
    }

    /// The segment as a saveable definition: one `In` condition per dimension. For a
    /// multi-valued attribute the condition accepts any of the customer's codes, so the
    /// saved segment may be wider than the cell (the cell is "exactly these codes").
    pub fn to_definition(&self, name: &str, dimensions: &[Dimension]) -> SegmentDefinition {
        let conditions = dimensions
            .iter()
            .zip(&self.key)
            .map(|(d, k)| Condition::In {
                dimension: d.clone(),
                values: if k.is_empty() { BTreeSet::from([MISSING.to_string()]) } else { k.split(';').map(str::to_string).collect() },
            })
            .collect();
        SegmentDefinition { name: name.to_string(), note: String::new(), conditions }
    }
}

/// The customers split by the cross product of dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartitionReport {
    /// The dimensions used.
    pub dimensions: Vec<Dimension>,
    /// The non-empty cells, sorted by key (code order, [`MISSING`] first). Every customer
    /// is in exactly one of them.
    pub segments: Vec<Segment>,
}

impl PartitionReport {
    /// For each customer, the index of its segment (aligned with the customer slice).
    pub fn assignment(&self, n_customers: usize) -> Vec<usize> {
        let mut out = vec![0; n_customers];
        for (s, seg) in self.segments.iter().enumerate() {
            for &i in &seg.members {
                if let Some(slot) = out.get_mut(i) {
                    *slot = s;
                }
            }
        }
        out
    }
}

/// Splits all customers of `ctx` by the dimensions of `params`. One pass; keys are built
/// per customer, so 100k customers take milliseconds.
pub fn partition(ctx: &SegmentContext<'_>, params: &ValidPartitionParams) -> PartitionReport {
    let dims = &params.0.dimensions;
    let mut cells: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for (i, c) in ctx.customers.iter().enumerate() {
        let key: Vec<String> = dims.iter().map(|d| d.key(c, ctx)).collect();
        cells.entry(key).or_default().push(i);
    }
    PartitionReport { dimensions: dims.clone(), segments: cells.into_iter().map(|(key, members)| Segment { key, members }).collect() }
}
