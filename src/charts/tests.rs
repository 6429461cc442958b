//! Issue 13, defect 4: chart texts overlapped (the Overview's month labels printed into one
//! line at 375 px, y-axis titles on the tick labels, IPA point labels over each other, tick
//! labels running together as "050100150…"). Every chart is drawn here on the demo data at
//! phone width (375 px) and desktop width (1280 px), in Chinese and English, with the SVG
//! backend; the test fails when two of its texts intersect or one leaves the drawing.
//! The SVGs are written to `tests/e2e/artifacts/charts/` for looking at.

use super::layout::testing::{assert_legible, Recorder};
use super::{complaints as cc, draw_monthly_revenue, satisfaction as sc, segments as sg, value as vc};
use crate::i18n::{self, complaints::texts as comp_texts, satisfaction::texts as sat_texts, segments::texts as seg_texts, Texts};
use clientscope_core::value::rfm::RfmSegment;
use clientscope_core::demo::{generate, DemoParams};
use clientscope_core::model::{Dataset, Language};
use clientscope_core::orders::Lines;
use clientscope_core::satisfaction::analysis::{self as an, SurveyParams, SurveyReport};
use clientscope_core::satisfaction::csi::CsiParams;
use clientscope_core::segment::crosstab::CrosstabRow;
use clientscope_core::segment::evaluation::{EvaluatedRow, EvaluationReport, MapOffer, PerceptualMap};
use clientscope_core::segment::kmeans::{self, KMeansData, KMeansParams};
use clientscope_core::summary;
use clientscope_core::value::report::{analyse, ValueParams};
use clientscope_core::value::ValueReport;
use plotters::prelude::*;
use std::sync::OnceLock;

const WIDTHS: [u32; 2] = [375, 1280];
const LANGS: [Language; 2] = [Language::ZhCn, Language::En];
const FONT: u32 = 12;

fn demo() -> &'static Dataset {
    static D: OnceLock<Dataset> = OnceLock::new();
    D.get_or_init(|| generate(&DemoParams { customers: 400, ..DemoParams::default() }))
}

fn value_report() -> &'static ValueReport {
    static R: OnceLock<ValueReport> = OnceLock::new();
    R.get_or_init(|| {
        let d = demo();
        let params = ValueParams::new(DemoParams::default().end).check().expect("value params");
        analyse(&d.customers, &d.orders, &params).expect("value analysis")
    })
}

fn survey_report() -> &'static SurveyReport {
    static R: OnceLock<SurveyReport> = OnceLock::new();
    R.get_or_init(|| {
        let d = demo();
        let p = SurveyParams { csi: CsiParams { resamples: 100, ..CsiParams::default() }, ..SurveyParams::default() }.check().expect("params");
        an::analyse(&d.surveys[0], &d.responses, &p).expect("survey analysis")
    })
}

/// Draws `draw` at every width, checks its texts, writes the SVG; returns the texts checked.
fn check(name: &str, height: u32, draw: impl Fn(&DrawingArea<Recorder, plotters::coord::Shift>, Language)) -> usize {
    let mut checked = 0;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/artifacts/charts");
    let _ = std::fs::create_dir_all(&dir);
    for lang in LANGS {
        for w in WIDTHS {
            let mut svg = String::new();
            let texts = {
                let backend = Recorder::new(&mut svg, (w, height));
                let texts = backend.texts.clone();
                let area = backend.into_drawing_area();
                draw(&area, lang);
                let _ = area.present();
                texts
            };
            let texts = texts.borrow();
            assert!(!texts.is_empty(), "{name} drew no text at {w} px");
            checked += assert_legible(&format!("{name} ({lang:?})"), &texts, (w, height));
            let _ = std::fs::write(dir.join(format!("{name}-{}-{w}.svg", if lang == Language::ZhCn { "zh" } else { "en" })), &svg);
        }
    }
    checked
}

#[test]
fn overview_monthly_revenue_texts_do_not_overlap() {
    let d = demo();
    let months = summary::monthly_revenue(&d.orders[..], DemoParams::default().end - chrono::Days::new(28), 36);
    assert!(months.last().is_some_and(|m| m.partial));
    assert!(d.orders.each_line().count() > 0);
    check("monthly-revenue", 280, |a, l| draw_monthly_revenue(a, &months, i18n::texts(l).field_amount, l, FONT).expect("draw"));
}

#[test]
fn value_charts_texts_do_not_overlap() {
    let r = value_report();
    check("pareto", 280, |a, l| vc::draw_pareto(a, r, i18n::texts(l).value_metric_revenue, i18n::texts(l).chart_customers_ranked, l, FONT).expect("draw"));
    check("rfm-segments", 320, |a, l| {
        let t = i18n::texts(l);
        vc::draw_rfm_segments(a, &r.rfm.segment_counts, &|s| rfm_label(t, s), t.value_col_count, FONT).expect("draw")
    });
    check("rf-heat", 280, |a, l| vc::draw_rf_heat(a, &r.rfm.heat, i18n::texts(l).chart_r_score, i18n::texts(l).chart_f_score, FONT).expect("draw"));
    check("value-matrix", 320, |a, l| {
        vc::draw_value_matrix(a, r, i18n::texts(l).value_metric_revenue, i18n::texts(l).value_potential_clv, l, FONT).expect("draw");
    });
    check("relationship", 320, |a, l| {
        let t = i18n::texts(l);
        vc::draw_relationship(a, &r.relationship_matrix, [t.rel_partner, t.rel_friend, t.rel_competitor, t.rel_transactional], t.chart_common_interest, t.chart_relationship_value, FONT)
            .expect("draw");
    });
    let x: Vec<u32> = (0..8).collect();
    let t_x: Vec<f64> = (0..12).map(|k| f64::from(k) * 13.0).collect();
    let values: Vec<Vec<f64>> = x.iter().map(|&i| t_x.iter().map(|&t| f64::from(i) * 0.3 + t / 100.0).collect()).collect();
    check("fr-matrix", 280, |a, l| {
        let t = i18n::texts(l);
        vc::draw_fr_matrix(a, &values, &x, &t_x, None, super::palette::PRIMARY, t.chart_recency_units, t.chart_frequency_x, FONT).expect("draw")
    });
    let bins: Vec<_> = (0..8_u32)
        .map(|x| clientscope_core::value::bgnbd::HoldoutBin { x, customers: 10, actual: f64::from(x) * 0.4, predicted: f64::from(x) * 0.38 + 0.1 })
        .collect();
    check("holdout", 280, |a, l| {
        let t = i18n::texts(l);
        vc::draw_holdout(a, &bins, (t.chart_holdout_x, t.chart_holdout_y, t.chart_holdout_actual, t.chart_holdout_predicted), FONT).expect("draw")
    });
}

/// The page's names of the RFM segments (pages/value/labels.rs).
fn rfm_label(t: &'static Texts, s: RfmSegment) -> &'static str {
    match s {
        RfmSegment::Champions => t.rfm_champions,
        RfmSegment::Loyal => t.rfm_loyal,
        RfmSegment::PotentialLoyalist => t.rfm_potential_loyalist,
        RfmSegment::New => t.rfm_new,
        RfmSegment::Promising => t.rfm_promising,
        RfmSegment::NeedAttention => t.rfm_need_attention,
        RfmSegment::AboutToSleep => t.rfm_about_to_sleep,
        RfmSegment::AtRisk => t.rfm_at_risk,
        RfmSegment::CantLose => t.rfm_cant_lose,
        RfmSegment::Hibernating => t.rfm_hibernating,
        RfmSegment::Lost => t.rfm_lost,
    }
}

fn crosstab_rows() -> Vec<CrosstabRow> {
    let names = ["华东 · 服务", "华东 · 价格", "华北 · 服务", "华南 · 质量", "西南 · 服务", "西北 · 价格", "东北 · 质量", "华中 · 服务"];
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let k = i as f64;
            CrosstabRow {
                name: n.to_string(),
                customers: 100 + i * 20,
                customer_share: 0.08 + k * 0.01,
                revenue: 2.0e7 + k * 3.1e6,
                revenue_share: Some(0.1 + k * 0.004),
                gross_profit: 4.0e6,
                lines_without_profit: 0,
                previous_revenue: 1.9e7,
                growth: Some(-0.1 + k * 0.03),
                mean_csi: Some(70.0 + k),
                csi_customers: 10,
                open_complaints: i,
            }
        })
        .collect()
}

#[test]
fn segment_charts_texts_do_not_overlap() {
    let rows = crosstab_rows();
    check("segment-bars", 320, |a, l| sg::draw_segment_bars(a, &rows, seg_texts(l).axis_revenue, l, FONT).expect("draw"));
    check("segment-bubbles", 320, |a, l| sg::draw_segment_bubbles(a, &rows, seg_texts(l).axis_customer_share, seg_texts(l).axis_growth, FONT).expect("draw"));
    let cols = vec!["revenue".to_string(), "orders".to_string()];
    let data_rows: Vec<Vec<Option<f64>>> = demo().customers.iter().enumerate().map(|(i, _)| vec![Some((i * 7919 % 1000) as f64 * 1.0e4), Some((i * 104729 % 97) as f64)]).collect();
    let data = KMeansData::new(cols, data_rows).expect("data");
    let params = KMeansParams { k: 4, ..KMeansParams::default() }.check().expect("params");
    let curve = kmeans::curve(&data, &params, 2..=10).expect("curve");
    let fit = kmeans::fit(&data, &params).expect("fit");
    check("elbow", 240, |a, l| sg::draw_elbow(a, &curve, 4, seg_texts(l).axis_inertia, l, FONT).expect("draw"));
    check("silhouette", 240, |a, l| sg::draw_silhouette(a, &curve, 4, seg_texts(l).axis_silhouette, l, FONT).expect("draw"));
    check("cluster-scatter", 320, |a, l| sg::draw_cluster_scatter(a, &data, &fit, 0, 1, seg_texts(l).centroid, l, FONT).expect("draw"));
    let eval = EvaluationReport {
        weights: Default::default(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| EvaluatedRow { segment: r.name.clone(), total: Some(4.9 - i as f64 * 0.4), rank: Some(i + 1), missing: vec![], target: i < 2 })
            .collect(),
        targets: vec![],
    };
    check("evaluation", 320, |a, l| sg::draw_evaluation(a, &eval, seg_texts(l).axis_total, FONT).expect("draw"));
    let map = PerceptualMap {
        x_label: "价格".into(),
        y_label: "服务质量".into(),
        offers: [("我们", 3.5, 4.2, true), ("竞争对手甲", 3.4, 4.0, false), ("竞争对手乙", 2.0, 2.5, false), ("竞争对手丙", 4.5, 3.0, false), ("丁公司", 3.6, 4.1, false)]
            .iter()
            .map(|&(n, x, y, own)| MapOffer { name: n.into(), x, y, own })
            .collect(),
    }
    .check()
    .expect("map");
    check("perceptual-map", 320, |a, _| sg::draw_perceptual_map(a, &map, FONT).expect("draw"));
}

#[test]
fn satisfaction_charts_texts_do_not_overlap() {
    let r = survey_report();
    let bars: Vec<sc::HBar> = r
        .csi
        .nodes
        .iter()
        .filter_map(|n| n.score.map(|s| sc::HBar { label: n.label.clone(), value: s, interval: n.ci_low.zip(n.ci_high), strong: !n.is_leaf }))
        .collect();
    check("csi-bars", 40 + 26 * bars.len() as u32, |a, l| sc::draw_hbars(a, &bars, (0.0, 100.0), 1, sat_texts(l).col_score, FONT).expect("draw"));
    let zones = r.zones.as_ref().expect("zones");
    check("zones", 300, |a, l| {
        let t = sat_texts(l);
        sc::draw_zones(a, zones, &|z| z.label(l).to_string(), t.respondent_score, t.q_recommend_short, FONT).expect("draw")
    });
    let ipa = r.ipa.as_ref().expect("ipa");
    check("ipa", 340, |a, l| {
        let t = sat_texts(l);
        sc::draw_ipa(a, ipa, &|q| q.label(l).to_string(), t.performance, t.importance_weight, FONT).expect("draw")
    });
    let bench: Vec<(String, f64, bool)> = vec![("本公司".into(), 78.2, true), ("竞争对手甲公司".into(), 74.9, false), ("竞争对手乙".into(), 80.1, false), ("丙".into(), 77.0, false)];
    check("benchmark", 280, |a, l| sc::draw_bars(a, &bench, Some((79.0, sat_texts(l).target_short)), "CSI", FONT).expect("draw"));
    let periods: Vec<(String, Option<f64>, Option<f64>)> =
        ["2024H1", "2024H2", "2025H1", "2025H2", "2026H1", "2026H2"].iter().enumerate().map(|(i, p)| (p.to_string(), Some(70.0 + i as f64), Some(60.0 + i as f64))).collect();
    check("trend", 260, |a, l| sc::draw_trend(a, &periods, "CSI", sat_texts(l).satisfaction_rate, FONT).expect("draw"));
}

/// Issue 11 §2: the complaint analysis's Pareto chart of categories and monthly trend, on
/// the demo's complaints as of the demo's end.
#[test]
fn complaint_charts_texts_do_not_overlap() {
    use clientscope_core::service::calendar::WorkCalendar;
    use clientscope_core::service::complaints::{analyse, ComplaintParams, SlaPolicy};
    let d = demo();
    let cal = WorkCalendar::china();
    let policy = SlaPolicy::default();
    let as_of = DemoParams::default().end.and_hms_opt(18, 0, 0).expect("time").and_utc().fixed_offset();
    let r = analyse(&d.complaints, &ComplaintParams { calendar: &cal, policy: &policy, as_of, customers: Some(d.customers.len()), segments: None });
    assert!(r.pareto.len() >= 3, "the demo has complaints in several categories");
    assert!(r.trend.len() >= 6, "the demo's complaints span months");
    check("complaint-pareto", 300, |a, l| {
        let t = comp_texts(l);
        cc::draw_complaint_pareto(a, &r.pareto, (t.col_count, t.col_cumulative), t.none_value, FONT).expect("draw")
    });
    check("complaint-trend", 280, |a, l| {
        let t = comp_texts(l);
        cc::draw_complaint_trend(a, &r.trend, (t.col_received, t.col_resolved, t.col_resolved_on_time), FONT).expect("draw")
    });
}

/// An as-of date before every order puts all 400 customers on one point of the value
/// matrix: the per-pixel layer count saturates instead of overflowing (a panic in the
/// debug build, found by driving the Value page with the as-of date 2000-01-01).
#[test]
fn value_charts_draw_when_every_customer_shares_one_pixel() {
    let d = demo();
    let as_of = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let params = ValueParams::new(as_of).check().expect("value params");
    let r = analyse(&d.customers, &d.orders, &params).expect("value analysis before every order");
    assert!(r.customers.len() > 255, "more customers than a u8 counts: {}", r.customers.len());
    let mut svg = String::new();
    let backend = SVGBackend::with_string(&mut svg, (375, 320));
    let area = backend.into_drawing_area();
    vc::draw_value_matrix(&area, &r, "revenue", "potential", Language::En, FONT).expect("draw");
    vc::draw_pareto(&area, &r, "revenue", "customers", Language::En, FONT).expect("draw");
}
