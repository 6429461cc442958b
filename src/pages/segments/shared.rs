//! What the tabs of the segments page share: the page state, the inputs built on demand,
//! the dimension options, display labels and a chart card with PNG export.

use crate::i18n::segments::{texts, SegTexts};
use crate::i18n::{fill, texts as app_texts};
use crate::state::{self, use_app, AppState};
use clientscope_core::model::{AttributeDef, Complaint, Customer, Date, Id, Language, SegmentsSettings, SurveyResponse};
use clientscope_core::orders::OrderTable;
use clientscope_core::segment::attributes::{Bands, Dimension, NumericSource, SegmentContext};
use clientscope_core::segment::kmeans::Scaling;
use clientscope_core::value::ValueParams;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Key of the page's own choices in `settings.pages`.
const SETTINGS_KEY: &str = "segments";

/// The tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// Segment builder and cross-tab.
    #[default]
    Segments,
    /// k-means.
    Clusters,
    /// Evaluation matrix and targets.
    Evaluate,
    /// Positioning and perceptual map.
    Positioning,
}

/// One chosen dimension: its option id and, for numbers, the band edges as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DimChoice {
    /// Option id (see [`DimOption::id`]); empty: none.
    pub id: String,
    /// Band edges as typed ("1000, 5000"); empty: quartiles are suggested on compute.
    pub edges: String,
}

/// The page's own choices, remembered in `settings.pages["segments"]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageUi {
    /// Current tab.
    pub tab: Tab,
    /// Up to three dimensions.
    pub dims: Vec<DimChoice>,
    /// Period start (`None`: 364 days before the end).
    pub from: Option<Date>,
    /// Period end (`None`: today).
    pub to: Option<Date>,
    /// Measure keys clustered.
    pub columns: Vec<String>,
    /// Raw or standardized.
    pub scaling: Scaling,
    /// Seed.
    pub seed: u64,
    /// Restarts.
    pub restarts: usize,
}

impl Default for PageUi {
    fn default() -> Self {
        PageUi {
            tab: Tab::Segments,
            dims: vec![DimChoice { id: "region".into(), edges: String::new() }, DimChoice::default(), DimChoice::default()],
            from: None,
            to: None,
            columns: vec!["recency_days".into(), "frequency".into(), "monetary".into()],
            scaling: Scaling::Standardize,
            seed: 42,
            restarts: 4,
        }
    }
}

impl PageUi {
    /// The period, with the defaults filled in.
    pub fn period(&self, today: Date) -> (Date, Date) {
        let p = clientscope_core::segment::crosstab::CrosstabParams::with_defaults(self.from, self.to, today);
        (p.from, p.to)
    }
}

/// The records and per-customer results every tab reads.
pub struct Inputs {
    /// Customers.
    pub customers: Arc<Vec<Customer>>,
    /// Order lines.
    pub orders: Arc<OrderTable>,
    /// Complaints.
    pub complaints: Arc<Vec<Complaint>>,
    responses: Arc<Vec<SurveyResponse>>,
    /// The period.
    pub from: Date,
    /// The period end.
    pub to: Date,
    /// Labels (ABC, RFM segment, grade, stage, quadrant).
    pub labels: BTreeMap<String, Arc<HashMap<Id, String>>>,
    /// Measures.
    pub measures: BTreeMap<String, Arc<HashMap<Id, f64>>>,
    /// Why the value analysis did not run, when it did not.
    pub value_error: Option<clientscope_core::error::Bilingual>,
}

impl Inputs {
    /// A segmentation context over these inputs (cheap: the result maps are shared).
    pub fn ctx(&self) -> SegmentContext<'_> {
        SegmentContext { customers: &self.customers, labels: self.labels.clone(), measures: self.measures.clone() }
    }

    /// Whether these inputs were built from the current records and this period.
    fn fresh(&self, app: AppState, from: Date, to: Date) -> bool {
        self.from == from
            && self.to == to
            && app.data.customers.with_untracked(|c| Arc::ptr_eq(c, &self.customers))
            && app.data.orders.with_untracked(|c| Arc::ptr_eq(c, &self.orders))
            && app.data.complaints.with_untracked(|c| Arc::ptr_eq(c, &self.complaints))
            && app.data.responses.with_untracked(|c| Arc::ptr_eq(c, &self.responses))
    }

    /// Whether any customer has a CSI.
    pub fn has_csi(&self) -> bool {
        self.measures.get("csi").is_some_and(|m| !m.is_empty())
    }
}

thread_local! {
    /// The last inputs, kept across navigation (shown again only while fresh).
    static LAST: std::cell::RefCell<Option<Arc<Inputs>>> = const { std::cell::RefCell::new(None) };
}

/// The page state shared by the tabs.
#[derive(Clone, Copy)]
pub struct Page {
    /// The app.
    pub app: AppState,
    /// The page's choices.
    pub ui: RwSignal<PageUi>,
    /// The inputs, once built.
    pub inputs: RwSignal<Option<Arc<Inputs>>>,
}

impl Page {
    /// Reads the remembered choices.
    pub fn new(app: AppState) -> Page {
        let ui: PageUi = app
            .settings
            .with_untracked(|s| s.pages.get(SETTINGS_KEY).cloned())
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let today = today();
        let (from, to) = ui.period(today);
        let last = LAST.with(|l| l.borrow().clone()).filter(|i| i.fresh(app, from, to));
        Page { app, ui: RwSignal::new(ui), inputs: RwSignal::new(last) }
    }

    /// Changes the choices and remembers them.
    pub fn edit(&self, f: impl FnOnce(&mut PageUi)) {
        self.ui.update(f);
        if let Ok(v) = serde_json::to_value(self.ui.get_untracked()) {
            self.app.update_settings(|s| {
                s.pages.insert(SETTINGS_KEY.to_string(), v);
            });
        }
    }

    /// Changes the saved STP work (in the backup).
    pub fn edit_saved(&self, f: impl FnOnce(&mut SegmentsSettings)) {
        self.app.update_settings(|s| f(&mut s.segments));
    }

    /// The texts of the current language (tracked).
    pub fn t(&self) -> &'static SegTexts {
        texts(self.app.lang.get())
    }

    /// The texts, untracked.
    pub fn tu(&self) -> &'static SegTexts {
        texts(self.app.lang.get_untracked())
    }

    /// The inputs for the current records and period: the kept ones when still fresh,
    /// otherwise built behind the busy overlay, step by step with progress.
    pub async fn ensure_inputs(&self) -> Arc<Inputs> {
        let app = self.app;
        let (from, to) = self.ui.get_untracked().period(today());
        if let Some(i) = self.inputs.get_untracked().filter(|i| i.fresh(app, from, to)) {
            return i;
        }
        let t = self.tu();
        app.begin(t.building_inputs);
        app.progress(0, 3);
        state::yield_now().await;
        state::rest_ready(app).await;
        let customers = app.data.customers.get_untracked();
        let orders = app.data.orders.get_untracked();
        let complaints = app.data.complaints.get_untracked();
        let responses = app.data.responses.get_untracked();
        let surveys = app.data.surveys.get_untracked();
        let ctx = SegmentContext::new(&customers).with_period_totals(orders.as_ref(), from, to);
        app.progress(1, 3);
        state::yield_now().await;
        let mut value_error = None;
        let params = ValueParams::new(to);
        let ctx = match params.check() {
            // In the worker, so the page keeps painting on 100k customers.
            Ok(_) => match crate::jobs::value(app, &params, |_, _| {}).await {
                Ok((report, _)) => ctx.with_value_report(&report),
                Err(e) => {
                    value_error = Some(clientscope_core::error::Localized::bilingual(&e));
                    ctx
                }
            },
            Err(e) => {
                value_error = Some(clientscope_core::error::Localized::bilingual(&e));
                ctx
            }
        };
        app.progress(2, 3);
        state::yield_now().await;
        let (ctx, _skipped) = ctx.with_customer_csi(&surveys, &responses);
        let SegmentContext { labels, measures, .. } = ctx;
        let inputs = Arc::new(Inputs { customers: customers.clone(), orders, complaints, responses, from, to, labels, measures, value_error });
        app.progress(3, 3);
        app.end();
        LAST.with(|l| *l.borrow_mut() = Some(inputs.clone()));
        self.inputs.try_set(Some(inputs.clone()));
        inputs
    }
}

/// The customers (positions in `app.data.customers`) of the saved segment `name`, with the
/// segments page's period and inputs (built behind the progress overlay when stale), for
/// using saved segments as filters elsewhere (the customer list).
pub async fn saved_segment_members(app: AppState, name: &str) -> Result<Arc<std::collections::HashSet<u32>>, String> {
    let def = app
        .settings
        .with_untracked(|s| s.segments.definitions.iter().find(|d| d.name == name).cloned())
        .ok_or_else(|| name.to_string())?;
    let valid = def.check().map_err(|e| e.message(app.lang.get_untracked()))?;
    let page = Page::new(app);
    let inputs = page.ensure_inputs().await;
    let members = valid.filter(&inputs.ctx());
    Ok(Arc::new(members.into_iter().map(|i| i as u32).collect()))
}

/// Today, local time.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// A numeric measure offered for bands and clustering: key, Chinese, English.
pub const MEASURES: [(&str, &str, &str); 9] = [
    ("revenue", "本期收入", "Revenue (period)"),
    ("gross_profit", "本期毛利", "Gross profit (period)"),
    ("order_lines", "本期交易行数", "Order lines (period)"),
    ("recency_days", "最近购买距今（天）", "Recency (days)"),
    ("frequency", "购买次数（F）", "Frequency (F)"),
    ("monetary", "消费金额（M）", "Monetary (M)"),
    ("clv", "预测CLV", "Predicted CLV"),
    ("p_alive", "存活概率", "P(alive)"),
    ("csi", "满意度CSI", "CSI"),
];

/// Analysis labels offered as dimensions: key, Chinese, English.
const LABELS: [(&str, &str, &str); 5] = [
    ("abc", "ABC分类", "ABC class"),
    ("rfm_segment", "RFM细分", "RFM segment"),
    ("grade", "大客户等级", "Key-account grade"),
    ("lifecycle", "生命周期阶段", "Lifecycle stage"),
    ("value_quadrant", "价值矩阵象限", "Value-matrix quadrant"),
];

/// The label of a measure key.
pub fn measure_label(key: &str, lang: Language) -> String {
    MEASURES.iter().find(|m| m.0 == key).map(|m| pick(lang, m.1, m.2).to_string()).unwrap_or_else(|| key.to_string())
}

fn pick<'a>(lang: Language, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Language::ZhCn => zh,
        Language::En => en,
    }
}

/// A dimension the user can choose.
#[derive(Debug, Clone, PartialEq)]
pub struct DimOption {
    /// Stable id (kept in the page settings).
    pub id: String,
    /// Group label shown in the list.
    pub group: &'static str,
    /// Label.
    pub label: String,
    /// The dimension (numeric ones with no edges yet).
    pub dim: Dimension,
}

/// The stable id of a dimension.
pub fn dim_id(d: &Dimension) -> String {
    match d {
        Dimension::Attribute { key } => format!("attr:{key}"),
        Dimension::Label { key } => format!("label:{key}"),
        Dimension::Numeric { source: NumericSource::Measure(k), .. } => format!("num:{k}"),
        Dimension::Numeric { source: NumericSource::Attribute(k), .. } => format!("numattr:{k}"),
        other => serde_json::to_value(other).ok().and_then(|v| v.get("type").and_then(|t| t.as_str().map(str::to_string))).unwrap_or_default(),
    }
}

/// Every dimension on offer: the core's catalogue (typed fields, built-in and custom
/// attributes), the analysis labels and the numeric measures.
pub fn dim_options(custom: &[AttributeDef], lang: Language) -> Vec<DimOption> {
    let t = texts(lang);
    let mut out: Vec<DimOption> = clientscope_core::segment::attributes::catalogue(custom)
        .into_iter()
        .map(|d| DimOption { id: dim_id(&d.dimension), group: t.group_attributes, label: pick(lang, &d.zh, &d.en).to_string(), dim: d.dimension })
        .collect();
    out.extend(LABELS.iter().map(|(k, zh, en)| DimOption {
        id: format!("label:{k}"),
        group: t.group_results,
        label: pick(lang, zh, en).to_string(),
        dim: Dimension::Label { key: k.to_string() },
    }));
    out.extend(MEASURES.iter().map(|(k, zh, en)| DimOption {
        id: format!("num:{k}"),
        group: t.group_numbers,
        label: pick(lang, zh, en).to_string(),
        dim: Dimension::Numeric { source: NumericSource::Measure(k.to_string()), bands: Bands::default() },
    }));
    out
}

/// The printable value of one code of a dimension: the core's labels, and for analysis
/// labels the value page's names.
pub fn value_label(dim: &Dimension, code: &str, custom: &[AttributeDef], lang: Language) -> String {
    let Dimension::Label { key } = dim else {
        let mut catalogue = clientscope_core::model::builtin_attributes();
        catalogue.extend(custom.iter().cloned());
        return dim.value_label(code, &catalogue, lang);
    };
    let t = app_texts(lang);
    if code.is_empty() {
        return texts(lang).none_value.to_string();
    }
    let s: &str = match (key.as_str(), code) {
        ("rfm_segment", "champions") => t.rfm_champions,
        ("rfm_segment", "loyal") => t.rfm_loyal,
        ("rfm_segment", "potential_loyalist") => t.rfm_potential_loyalist,
        ("rfm_segment", "new") => t.rfm_new,
        ("rfm_segment", "promising") => t.rfm_promising,
        ("rfm_segment", "need_attention") => t.rfm_need_attention,
        ("rfm_segment", "about_to_sleep") => t.rfm_about_to_sleep,
        ("rfm_segment", "at_risk") => t.rfm_at_risk,
        ("rfm_segment", "cant_lose") => t.rfm_cant_lose,
        ("rfm_segment", "hibernating") => t.rfm_hibernating,
        ("rfm_segment", "lost") => t.rfm_lost,
        ("grade", "special") => t.grade_special,
        ("grade", "a") => "A",
        ("grade", "b") => "B",
        ("grade", "c") => "C",
        ("lifecycle", "exploration") => t.stage_exploration,
        ("lifecycle", "development") => t.stage_development,
        ("lifecycle", "stable") => t.stage_stable,
        ("lifecycle", "decline") => t.stage_decline,
        ("lifecycle", "lost") => t.stage_lost,
        ("value_quadrant", "gold") => t.quadrant_gold,
        ("value_quadrant", "star") => t.quadrant_star,
        ("value_quadrant", "problem") => t.quadrant_problem,
        ("value_quadrant", "dog") => t.quadrant_dog,
        _ => code,
    };
    s.to_string()
}

/// A segment's name from its partition key.
pub fn segment_name(dims: &[Dimension], key: &[String], custom: &[AttributeDef], lang: Language) -> String {
    if dims.is_empty() {
        return texts(lang).all_customers.to_string();
    }
    dims.iter().zip(key).map(|(d, k)| value_label(d, k, custom, lang)).collect::<Vec<_>>().join(" · ")
}

/// A share 0-1 as a percentage with one decimal.
pub fn pct(v: f64) -> String {
    format!("{}%", crate::components::format::number(v * 100.0, 1))
}

/// An optional share.
pub fn opt_pct(v: Option<f64>) -> String {
    v.map(pct).unwrap_or_else(|| "—".into())
}

/// A chart card of the segments page: PNG named after today's date.
#[component]
pub fn ChartCard(#[prop(into)] title: Signal<String>, testid: &'static str, children: Children) -> impl IntoView {
    let app = use_app();
    view! {
        <crate::components::chart::ChartCard title=title testid=testid suffix=Signal::derive(|| today().to_string())
            button=Signal::derive(move || texts(app.lang.get()).export_png.to_string())>
            {children()}
        </crate::components::chart::ChartCard>
    }
}

/// "Bad input" message for a field.
pub fn bad_number(t: &SegTexts, field: &str) -> String {
    fill(t.not_a_number, &[("field", &field)])
}
