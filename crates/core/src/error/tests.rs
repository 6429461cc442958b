//! Every error a page or the worker can show has a proper message in both languages.
//!
//! Each error type gets a sample of every variant; `covers` maps a sample to its variant's
//! number with an exhaustive `match`, so a new variant does not compile here until it has
//! a sample, and the test fails when a variant has no sample. Every sample's two messages
//! must pass [`translation_problem`]. Sample values (names, details) are ASCII words so
//! that the English text holds no Chinese and the Chinese text no ASCII punctuation.

use super::*;
use crate::backup::{BackupError, CountMismatch};
use crate::model::{EventKind, RecordKind, Severity, SettingsError};
use chrono::{NaiveDate, TimeZone};

/// Checks every sample's messages and that the samples cover all `n` variants.
fn covers<E: std::fmt::Debug>(name: &str, samples: &[E], n: usize, variant: impl Fn(&E) -> usize, message: impl Fn(&E, Language) -> String) {
    let mut seen = vec![false; n];
    let mut problems = Vec::new();
    for e in samples {
        seen[variant(e)] = true;
        let (zh, en) = (message(e, Language::ZhCn), message(e, Language::En));
        if let Some(p) = translation_problem(&zh, &en) {
            problems.push(format!("{name} {e:?}: {p}"));
        }
    }
    let missing: Vec<usize> = (0..n).filter(|&i| !seen[i]).collect();
    assert!(missing.is_empty(), "{name}: no sample of variants {missing:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn value_errors_are_translated() {
    use crate::value::{FitError, ValueError};
    let fits = vec![
        FitError::TooFewRepeatBuyers { model: "BG/NBD".into(), found: 3, needed: 10 },
        FitError::InvalidRow { row: 4, why: Bilingual::new("平均消费额不是有效数字", "the mean spend is not a finite number") },
        FitError::NoConvergence { model: "Gamma-Gamma".into(), iterations: 500, gradient_norm: 0.02 },
        FitError::Diverged { model: "BG/NBD".into(), parameter: "alpha".into(), value: 1e12 },
    ];
    covers("FitError", &fits, 4, |e| match e {
        FitError::TooFewRepeatBuyers { .. } => 0,
        FitError::InvalidRow { .. } => 1,
        FitError::NoConvergence { .. } => 2,
        FitError::Diverged { .. } => 3,
    }, FitError::message);
    // Every parameter check the value analysis has, each through its real check.
    use crate::value::abc::{AbcParams, AbcVariant};
    use crate::value::clv::{ClvParams, Horizon, RetentionClvParams};
    use crate::value::lifecycle::{LifecycleParams, ReviewParams};
    use crate::value::matrix::{RelationshipParams, ValueMatrixParams};
    let mut errors = vec![
        AbcParams { variant: AbcVariant::CumulativeShare { a: 0.9, b: 0.5 } }.check().unwrap_err(),
        AbcParams { variant: AbcVariant::CountBased { a: 0.8, b: 0.5 } }.check().unwrap_err(),
        ValueMatrixParams { current_split: 1.5, potential_split: 0.5 }.check().unwrap_err(),
        RelationshipParams { high_from: 1 }.check().unwrap_err(),
        RetentionClvParams { margin: f64::NAN, retention: 0.5, discount: 0.1, horizon: Horizon::Infinite }.check().unwrap_err(),
        RetentionClvParams { margin: 1.0, retention: 1.5, discount: 0.1, horizon: Horizon::Infinite }.check().unwrap_err(),
        RetentionClvParams { margin: 1.0, retention: 0.5, discount: -0.1, horizon: Horizon::Infinite }.check().unwrap_err(),
        RetentionClvParams { margin: 1.0, retention: 1.0, discount: 0.0, horizon: Horizon::Infinite }.check().unwrap_err(),
        ClvParams { horizon_periods: 0, ..ClvParams::default() }.check().unwrap_err(),
        ClvParams { period_days: 0, ..ClvParams::default() }.check().unwrap_err(),
        ClvParams { discount: 12.0, ..ClvParams::default() }.check().unwrap_err(),
        ClvParams { margin: Some(f64::INFINITY), ..ClvParams::default() }.check().unwrap_err(),
        crate::value::grade::GradeParams { special: 1.0, a: 2.0, b: 3.0 }.check().unwrap_err(),
        LifecycleParams { new_within_days: 400, ..LifecycleParams::default() }.check().unwrap_err(),
        LifecycleParams { overdue_factor: 0.5, ..LifecycleParams::default() }.check().unwrap_err(),
        LifecycleParams { growth: -1.0, ..LifecycleParams::default() }.check().unwrap_err(),
        LifecycleParams { decline: 1.0, ..LifecycleParams::default() }.check().unwrap_err(),
        LifecycleParams { trend_window_days: 0, ..LifecycleParams::default() }.check().unwrap_err(),
        ReviewParams { tag_rules: vec![(" ".into(), crate::value::lifecycle::TagFact::Bankruptcy)], ..ReviewParams::default() }.check().unwrap_err(),
        crate::value::calibration::CalibrationParams { split: date(2024, 6, 1), end: date(2024, 1, 1), unit: crate::value::TimeUnit::Week, max_x: 7 }.check().unwrap_err(),
        crate::value::calibration::CalibrationParams { split: date(2024, 1, 1), end: date(2024, 6, 1), unit: crate::value::TimeUnit::Week, max_x: 0 }.check().unwrap_err(),
        ValueError::LengthMismatch { what: "ids and metric".into(), left: 3, right: 2 },
        ValueError::Fit(fits[0].clone()),
    ];
    let mut bg = crate::value::bgnbd::BgNbdFitParams::default();
    bg.optim.max_iter = 0;
    errors.push(bg.check().unwrap_err());
    bg.optim.max_iter = 10;
    bg.optim.grad_tol = 0.0;
    errors.push(bg.check().unwrap_err());
    let mut gg = crate::value::gamma_gamma::GammaGammaFitParams::default();
    gg.optim.max_iter = 0;
    errors.push(gg.check().unwrap_err());
    gg.optim.max_iter = 10;
    gg.optim.grad_tol = f64::NAN;
    errors.push(gg.check().unwrap_err());
    let mut rfm = crate::value::rfm::RfmParams::default();
    rfm.scoring = crate::value::rfm::RfmScoring::Fixed { r: [3.0, 2.0, 5.0, 6.0], f: [1.0, 2.0, 3.0, 4.0], m: [1.0, 2.0, 3.0, 4.0] };
    errors.push(rfm.check().unwrap_err());
    errors.push(crate::value::abc::abc(&["C1"], &[f64::NAN], &AbcParams::default().check().unwrap()).unwrap_err());
    let mut p = crate::value::ValueParams::new(date(2024, 1, 1));
    p.period_start = Some(date(2024, 2, 1));
    errors.push(p.check().unwrap_err());
    covers("ValueError", &errors, 3, |e| match e {
        ValueError::InvalidParam { .. } => 0,
        ValueError::LengthMismatch { .. } => 1,
        ValueError::Fit(_) => 2,
    }, ValueError::message);
    // A parameter is named by its label, never by its key.
    for e in &errors {
        if let ValueError::InvalidParam { name, .. } = e {
            for lang in [Language::ZhCn, Language::En] {
                assert_ne!(crate::value::param_label(name, lang), *name, "no label for {name}");
            }
        }
    }
}

#[test]
fn segment_errors_are_translated() {
    use crate::segment::attributes::AttributeError;
    use crate::segment::crosstab::CrosstabError;
    use crate::segment::evaluation::{Criterion, EvaluationError, MapError};
    use crate::segment::kmeans::KMeansError;
    use crate::segment::SegmentError;
    let km = vec![
        KMeansError::NoColumns,
        KMeansError::DuplicateColumn("revenue".into()),
        KMeansError::RowLength { row: 2, cells: 1, expected: 2 },
        KMeansError::ZeroK,
        KMeansError::ZeroRestarts,
        KMeansError::ZeroIterations,
        KMeansError::Tolerance(-1.0),
        KMeansError::SilhouetteSample(1),
        KMeansError::NoCompleteRows { excluded: 12 },
        KMeansError::TooFewDistinctPoints { k: 5, distinct: 3, rows: 40 },
        KMeansError::InitShape { k: 3, d: 2 },
    ];
    covers("KMeansError", &km, 11, |e| match e {
        KMeansError::NoColumns => 0,
        KMeansError::DuplicateColumn(_) => 1,
        KMeansError::RowLength { .. } => 2,
        KMeansError::ZeroK => 3,
        KMeansError::ZeroRestarts => 4,
        KMeansError::ZeroIterations => 5,
        KMeansError::Tolerance(_) => 6,
        KMeansError::SilhouetteSample(_) => 7,
        KMeansError::NoCompleteRows { .. } => 8,
        KMeansError::TooFewDistinctPoints { .. } => 9,
        KMeansError::InitShape { .. } => 10,
    }, KMeansError::message);
    let attr = vec![
        AttributeError::Centroids { name: "Key accounts".into(), index: 0 },
        AttributeError::Bands(vec![3.0, 1.0]),
        AttributeError::EmptyName,
        AttributeError::EmptyCondition { name: "Key accounts".into(), index: 1 },
        AttributeError::Range { name: "Key accounts".into(), index: 0, min: Some(5.0), max: None },
    ];
    covers("AttributeError", &attr, 5, |e| match e {
        AttributeError::Centroids { .. } => 0,
        AttributeError::Bands(_) => 1,
        AttributeError::EmptyName => 2,
        AttributeError::EmptyCondition { .. } => 3,
        AttributeError::Range { .. } => 4,
    }, AttributeError::message);
    let ct = vec![
        CrosstabError::Period { from: date(2024, 2, 1), to: date(2024, 1, 1) },
        CrosstabError::PreviousPeriod { from: date(1, 1, 1), to: date(2024, 1, 1) },
        CrosstabError::Member { segment: "Key accounts".into(), index: 9, customers: 5 },
    ];
    covers("CrosstabError", &ct, 3, |e| match e {
        CrosstabError::Period { .. } => 0,
        CrosstabError::PreviousPeriod { .. } => 1,
        CrosstabError::Member { .. } => 2,
    }, CrosstabError::message);
    let ev = vec![
        EvaluationError::Weight { criterion: Criterion::Growth, weight: -1.0 },
        EvaluationError::NoWeight,
        EvaluationError::Score { segment: "Key accounts".into(), criterion: Criterion::MarketSize, score: 7 },
        EvaluationError::SegmentName("Key accounts".into()),
        EvaluationError::SegmentName(String::new()),
    ];
    covers("EvaluationError", &ev, 4, |e| match e {
        EvaluationError::Weight { .. } => 0,
        EvaluationError::NoWeight => 1,
        EvaluationError::Score { .. } => 2,
        EvaluationError::SegmentName(_) => 3,
    }, EvaluationError::message);
    let map = vec![MapError::NoName(2), MapError::Position { name: "Rival".into() }];
    covers("MapError", &map, 2, |e| match e {
        MapError::NoName(_) => 0,
        MapError::Position { .. } => 1,
    }, MapError::message);
    let seg = vec![
        SegmentError::Attribute(attr[0].clone()),
        SegmentError::Crosstab(ct[0].clone()),
        SegmentError::KMeans(km[9].clone()),
        SegmentError::Evaluation(ev[1].clone()),
    ];
    covers("SegmentError", &seg, 4, |e| match e {
        SegmentError::Attribute(_) => 0,
        SegmentError::Crosstab(_) => 1,
        SegmentError::KMeans(_) => 2,
        SegmentError::Evaluation(_) => 3,
    }, SegmentError::message);
}

#[test]
fn satisfaction_errors_are_translated() {
    use crate::satisfaction::ahp::AhpError;
    use crate::satisfaction::csi::CsiError;
    use crate::satisfaction::ipa::IpaError;
    use crate::satisfaction::nps::NpsError;
    use crate::satisfaction::pls::{PlsError, PlsParamProblem};
    use crate::satisfaction::reliability::ReliabilityError;
    use crate::satisfaction::scale::ScaleError;
    use crate::satisfaction::weights::WeightsError;
    use crate::satisfaction::{SatisfactionError, TableError};
    let table = vec![
        TableError::DuplicateColumn("q1".into()),
        TableError::RowLength { row: 3, cells: 2, expected: 4 },
        TableError::NotFinite { row: 1, column: "q2".into() },
    ];
    covers("satisfaction::TableError", &table, 3, |e| match e {
        TableError::DuplicateColumn(_) => 0,
        TableError::RowLength { .. } => 1,
        TableError::NotFinite { .. } => 2,
    }, TableError::message);
    let scale = vec![ScaleError::OutOfRange { value: 7.0, min: 1.0, max: 5.0 }, ScaleError::NotFinite, ScaleError::Unreadable("maybe".into())];
    covers("ScaleError", &scale, 3, |e| match e {
        ScaleError::OutOfRange { .. } => 0,
        ScaleError::NotFinite => 1,
        ScaleError::Unreadable(_) => 2,
    }, ScaleError::message);
    let csi = vec![
        CsiError::DuplicateId("q1".into()),
        CsiError::BadWeight { id: "q1".into(), weight: -2.0 },
        CsiError::ZeroWeights("root".into()),
        CsiError::LeafWithoutAnswers("q3".into()),
        CsiError::NoAnswers,
        CsiError::BadConfidence(1.2),
        CsiError::TooFewResamples(20),
    ];
    covers("CsiError", &csi, 7, |e| match e {
        CsiError::DuplicateId(_) => 0,
        CsiError::BadWeight { .. } => 1,
        CsiError::ZeroWeights(_) => 2,
        CsiError::LeafWithoutAnswers(_) => 3,
        CsiError::NoAnswers => 4,
        CsiError::BadConfidence(_) => 5,
        CsiError::TooFewResamples(_) => 6,
    }, CsiError::message);
    let ahp = vec![
        AhpError::Empty,
        AhpError::TooLarge(16),
        AhpError::Shape { expected: 3, got: 2 },
        AhpError::OffScale { i: 0, j: 1, value: 12.0 },
        AhpError::NotReciprocal { i: 0, j: 2 },
    ];
    covers("AhpError", &ahp, 5, |e| match e {
        AhpError::Empty => 0,
        AhpError::TooLarge(_) => 1,
        AhpError::Shape { .. } => 2,
        AhpError::OffScale { .. } => 3,
        AhpError::NotReciprocal { .. } => 4,
    }, AhpError::message);
    let weights = vec![
        WeightsError::Empty,
        WeightsError::Negative { item: "q1".into(), value: -1.0 },
        WeightsError::AllZero,
        WeightsError::TooFewAnswers("q1".into()),
        WeightsError::ZeroColumn("q2".into()),
        WeightsError::NoVariation,
    ];
    covers("WeightsError", &weights, 6, |e| match e {
        WeightsError::Empty => 0,
        WeightsError::Negative { .. } => 1,
        WeightsError::AllZero => 2,
        WeightsError::TooFewAnswers(_) => 3,
        WeightsError::ZeroColumn(_) => 4,
        WeightsError::NoVariation => 5,
    }, WeightsError::message);
    let pls = vec![
        PlsError::TooFewBlocks,
        PlsError::DuplicateBlock("Quality".into()),
        PlsError::EmptyBlock("Quality".into()),
        PlsError::UnknownItem { block: "Quality".into(), item: "q9".into() },
        PlsError::ItemInTwoBlocks("q1".into()),
        PlsError::UnknownLatent("Value".into()),
        PlsError::BadPath("Quality".into(), "Quality".into()),
        PlsError::Cycle("Loyalty".into()),
        PlsError::Unconnected("Image".into()),
        PlsError::TooFewRows(2),
        PlsError::ConstantItem("q4".into()),
        PlsError::Degenerate("Image".into()),
        PlsError::Singular("Loyalty".into()),
        PlsError::BadParams(PlsParamProblem::Tolerance(0.0)),
        PlsError::BadParams(PlsParamProblem::MaxIterations),
        PlsError::BadParams(PlsParamProblem::Resamples(5)),
        PlsError::BadParams(PlsParamProblem::Confidence(1.5)),
        PlsError::BadParams(PlsParamProblem::IndexScale(10.0, 0.0)),
        PlsError::IncompleteBootstrap { covered: 40, resamples: 100 },
    ];
    covers("PlsError", &pls, 15, |e| match e {
        PlsError::TooFewBlocks => 0,
        PlsError::DuplicateBlock(_) => 1,
        PlsError::EmptyBlock(_) => 2,
        PlsError::UnknownItem { .. } => 3,
        PlsError::ItemInTwoBlocks(_) => 4,
        PlsError::UnknownLatent(_) => 5,
        PlsError::BadPath(..) => 6,
        PlsError::Cycle(_) => 7,
        PlsError::Unconnected(_) => 8,
        PlsError::TooFewRows(_) => 9,
        PlsError::ConstantItem(_) => 10,
        PlsError::Degenerate(_) => 11,
        PlsError::Singular(_) => 12,
        PlsError::BadParams(_) => 13,
        PlsError::IncompleteBootstrap { .. } => 14,
    }, PlsError::message);
    let rel = vec![ReliabilityError::TooFewItems(1), ReliabilityError::TooFewRows(1), ReliabilityError::ZeroVariance("q1".into())];
    covers("ReliabilityError", &rel, 3, |e| match e {
        ReliabilityError::TooFewItems(_) => 0,
        ReliabilityError::TooFewRows(_) => 1,
        ReliabilityError::ZeroVariance(_) => 2,
    }, ReliabilityError::message);
    let nps = vec![NpsError::Empty, NpsError::OutOfRange(11), NpsError::BadThresholds(80.0, 60.0)];
    covers("NpsError", &nps, 3, |e| match e {
        NpsError::Empty => 0,
        NpsError::OutOfRange(_) => 1,
        NpsError::BadThresholds(..) => 2,
    }, NpsError::message);
    let ipa = vec![IpaError::Empty, IpaError::NotFinite("q1".into())];
    covers("IpaError", &ipa, 2, |e| match e {
        IpaError::Empty => 0,
        IpaError::NotFinite(_) => 1,
    }, IpaError::message);
    let all = vec![
        SatisfactionError::Table(table[0].clone()),
        SatisfactionError::Scale(scale[0].clone()),
        SatisfactionError::Csi(csi[0].clone()),
        SatisfactionError::Ahp(ahp[0].clone()),
        SatisfactionError::Weights(weights[0].clone()),
        SatisfactionError::Pls(pls[0].clone()),
        SatisfactionError::Reliability(rel[0].clone()),
        SatisfactionError::Nps(nps[0].clone()),
        SatisfactionError::Ipa(ipa[0].clone()),
    ];
    covers("SatisfactionError", &all, 9, |e| match e {
        SatisfactionError::Table(_) => 0,
        SatisfactionError::Scale(_) => 1,
        SatisfactionError::Csi(_) => 2,
        SatisfactionError::Ahp(_) => 3,
        SatisfactionError::Weights(_) => 4,
        SatisfactionError::Pls(_) => 5,
        SatisfactionError::Reliability(_) => 6,
        SatisfactionError::Nps(_) => 7,
        SatisfactionError::Ipa(_) => 8,
    }, SatisfactionError::message);
}

#[test]
fn service_and_dashboard_errors_are_translated() {
    use crate::dashboard::{DashboardError, ScoreMetric};
    use crate::service::calendar::CalendarError;
    use crate::service::complaints::{AuditError, EventError, SlaError};
    use crate::service::visits::{VisitError, VisitParams};
    let dash = vec![
        DashboardError::Period { from: date(2024, 2, 1), to: date(2024, 1, 1) },
        DashboardError::PreviousPeriod { from: date(1, 1, 1), to: date(2024, 1, 1) },
        DashboardError::BadConfidence { value: 1.5 },
        DashboardError::TooFewResamples { value: 5 },
        DashboardError::BadTrendPoints { value: 0 },
        DashboardError::BadWeight { metric: ScoreMetric::Revenue, value: -1.0 },
        DashboardError::ZeroWeights,
        DashboardError::BadVisitRate { value: -1.0 },
        DashboardError::BadVisitTarget { owner: "Wang".into(), value: -1.0 },
        DashboardError::BadDueHours { value: 0.0 },
        DashboardError::Satisfaction { detail: crate::satisfaction::csi::CsiError::NoAnswers.bilingual() },
    ];
    covers("DashboardError", &dash, 11, |e| match e {
        DashboardError::Period { .. } => 0,
        DashboardError::PreviousPeriod { .. } => 1,
        DashboardError::BadConfidence { .. } => 2,
        DashboardError::TooFewResamples { .. } => 3,
        DashboardError::BadTrendPoints { .. } => 4,
        DashboardError::BadWeight { .. } => 5,
        DashboardError::ZeroWeights => 6,
        DashboardError::BadVisitRate { .. } => 7,
        DashboardError::BadVisitTarget { .. } => 8,
        DashboardError::BadDueHours { .. } => 9,
        DashboardError::Satisfaction { .. } => 10,
    }, DashboardError::message);
    let mut visits = vec![
        VisitError::Cancelled { id: "I0001".into() },
        VisitError::DueBeforeVisit { date: date(2024, 3, 2), due: date(2024, 3, 1) },
        VisitError::StartNotOnDate { start: "2024-03-02T09:00+08:00".into(), date: date(2024, 3, 1) },
    ];
    for p in [
        VisitParams { utc_offset_min: 2000, ..VisitParams::default() },
        VisitParams { target_new: 0, target_follow_up: 0, ..VisitParams::default() },
        VisitParams { target_new: 5000, ..VisitParams::default() },
        VisitParams { counted_kinds: vec![], ..VisitParams::default() },
        VisitParams { not_contacted_days: 0, ..VisitParams::default() },
        VisitParams { due_within_days: 400, ..VisitParams::default() },
        VisitParams { default_duration_min: 0, ..VisitParams::default() },
    ] {
        visits.push(p.check().unwrap_err());
    }
    covers("VisitError", &visits, 4, |e| match e {
        VisitError::InvalidParam { .. } => 0,
        VisitError::Cancelled { .. } => 1,
        VisitError::DueBeforeVisit { .. } => 2,
        VisitError::StartNotOnDate { .. } => 3,
    }, VisitError::message);
    let cal = vec![
        CalendarError::UnknownZone { name: "Mars/Base".into() },
        CalendarError::BadTime { day: "mon", value: "25:00".into() },
        CalendarError::EmptySpan { day: "tue", from: "18:00".into(), to: "09:00".into() },
        CalendarError::Overlap { day: "wed" },
        CalendarError::NoWorkingHours,
        CalendarError::Conflict { date: date(2025, 10, 1) },
        CalendarError::Json { detail: "missing field `zone` at line 1 column 2".into() },
    ];
    covers("CalendarError", &cal, 7, |e| match e {
        CalendarError::UnknownZone { .. } => 0,
        CalendarError::BadTime { .. } => 1,
        CalendarError::EmptySpan { .. } => 2,
        CalendarError::Overlap { .. } => 3,
        CalendarError::NoWorkingHours => 4,
        CalendarError::Conflict { .. } => 5,
        CalendarError::Json { .. } => 6,
    }, CalendarError::message);
    let sla = vec![
        SlaError::BadTarget { severity: Severity::Major, field: "confirm_hours", value: -1.0 },
        SlaError::Json { detail: "expected value at line 1 column 1".into() },
    ];
    covers("SlaError", &sla, 2, |e| match e {
        SlaError::BadTarget { .. } => 0,
        SlaError::Json { .. } => 1,
    }, SlaError::message);
    let at = chrono::DateTime::parse_from_rfc3339("2024-03-01T09:00:00+08:00").unwrap();
    let events = vec![
        EventError::NotAllowed { event: EventKind::Closed, state: None },
        EventError::ExplanationRequired,
        EventError::MembersRequired,
        EventError::SatisfactionOutOfRange { value: 9 },
        EventError::OutOfOrder { at, previous: at + chrono::Duration::hours(1) },
    ];
    covers("EventError", &events, 5, |e| match e {
        EventError::NotAllowed { .. } => 0,
        EventError::ExplanationRequired => 1,
        EventError::MembersRequired => 2,
        EventError::SatisfactionOutOfRange { .. } => 3,
        EventError::OutOfOrder { .. } => 4,
    }, EventError::message);
    let audit = vec![AuditError::MissingColumns(vec!["event".into(), "at".into()]), AuditError::Csv("CSV error: record 1".into())];
    covers("AuditError", &audit, 2, |e| match e {
        AuditError::MissingColumns(_) => 0,
        AuditError::Csv(_) => 1,
    }, AuditError::message);
}

#[test]
fn file_and_storage_errors_are_translated() {
    use crate::io::decode::{BinaryKind, DecodeError};
    use crate::io::export::ExportError;
    use crate::io::import::ImportError;
    use crate::io::mapping::ImportKind;
    use crate::io::table::{RowIssueKind, TableError};
    use crate::io::values::ValueError;
    let decode = vec![
        DecodeError::Binary(BinaryKind::Zip),
        DecodeError::Binary(BinaryKind::Ole),
        DecodeError::Binary(BinaryKind::Pdf),
        DecodeError::Binary(BinaryKind::Other),
        DecodeError::UnknownEncoding("klingon".into()),
    ];
    covers("DecodeError", &decode, 2, |e| match e {
        DecodeError::Binary(_) => 0,
        DecodeError::UnknownEncoding(_) => 1,
    }, DecodeError::message);
    let table = vec![
        TableError::Empty,
        TableError::Decode(decode[0].clone()),
        TableError::NotAWorkbook("Cannot detect file format".into()),
        TableError::NotAWorkbook("Zip error: invalid Zip archive".into()),
        TableError::NotAWorkbook("Workbook is password protected".into()),
        TableError::NoSheets,
        TableError::SheetNotFound("Sheet9".into()),
        TableError::TooManyColumns { found: 5000, max: 1000 },
        TableError::Csv("CSV error: invalid UTF-8".into()),
        TableError::DamagedWorkbook {
            place: crate::io::table::DamagePlace::Archive,
            damage: crate::io::table::WorkbookDamage::TooLarge,
        },
        TableError::TooLarge { max: 50_000_000 },
    ];
    covers("io::TableError", &table, 9, |e| match e {
        TableError::Empty => 0,
        TableError::Decode(_) => 1,
        TableError::NotAWorkbook(_) => 2,
        TableError::NoSheets => 3,
        TableError::SheetNotFound(_) => 4,
        TableError::TooManyColumns { .. } => 5,
        TableError::Csv(_) => 6,
        TableError::DamagedWorkbook { .. } => 7,
        TableError::TooLarge { .. } => 8,
    }, TableError::message);
    // The reader's own words never reach the user.
    for e in &table {
        for lang in [Language::ZhCn, Language::En] {
            let m = e.message(lang);
            assert!(!m.contains("Cannot detect") && !m.contains("Zip error") && !m.contains("CSV error"), "{m}");
        }
    }
    let rows = vec![RowIssueKind::ColumnCount { expected: 4, found: 5 }, RowIssueKind::UnclosedQuote];
    covers("RowIssueKind", &rows, 2, |e| match e {
        RowIssueKind::ColumnCount { .. } => 0,
        RowIssueKind::UnclosedQuote => 1,
    }, RowIssueKind::message);
    let values = vec![
        ValueError::BadDate,
        ValueError::NoSuchDay,
        ValueError::Excel1900LeapBug,
        ValueError::BadNumber,
        ValueError::AmbiguousSeparators,
        ValueError::BadLikert,
        ValueError::NotAllowed { allowed_zh: "是、否", allowed_en: "yes, no" },
        ValueError::BadDateTime,
    ];
    covers("io::ValueError", &values, 8, |e| match e {
        ValueError::BadDate => 0,
        ValueError::NoSuchDay => 1,
        ValueError::Excel1900LeapBug => 2,
        ValueError::BadNumber => 3,
        ValueError::AmbiguousSeparators => 4,
        ValueError::BadLikert => 5,
        ValueError::NotAllowed { .. } => 6,
        ValueError::BadDateTime => 7,
    }, ValueError::message);
    let import = vec![
        ImportError::RequiredUnmapped("amount"),
        ImportError::NoCustomerColumn,
        ImportError::MissingColumn { field: "amount".into(), header: "Total".into() },
    ];
    covers("ImportError", &import, 3, |e| match e {
        ImportError::RequiredUnmapped(_) => 0,
        ImportError::NoCustomerColumn => 1,
        ImportError::MissingColumn { .. } => 2,
    }, |e, lang| e.message(lang, ImportKind::Orders));
    let export = vec![ExportError::Buffer("buffer".into()), ExportError::Csv(csv::Error::from(std::io::Error::other("disk")))];
    covers("ExportError", &export, 2, |e| match e {
        ExportError::Buffer(_) => 0,
        ExportError::Csv(_) => 1,
    }, ExportError::message);
}

#[test]
fn chunk_errors_are_translated() {
    use crate::orders::{ChunkError, ChunkProblem};
    let chunks: Vec<ChunkError> = [ChunkProblem::Gap, ChunkProblem::ColumnLength("amount"), ChunkProblem::Dictionary("product"), ChunkProblem::LineIds]
        .into_iter()
        .map(|problem| ChunkError { chunk: 2, problem })
        .collect();
    covers("ChunkError", &chunks, 4, |e| match e.problem {
        ChunkProblem::Gap => 0,
        ChunkProblem::ColumnLength(_) => 1,
        ChunkProblem::Dictionary(_) => 2,
        ChunkProblem::LineIds => 3,
    }, ChunkError::message);
}

#[test]
fn backup_and_settings_errors_are_translated() {
    use crate::segment::attributes::AttributeError;
    use crate::segment::evaluation::{EvaluationError, MapError};
    use crate::validate::{Problem, ProblemCode};
    let settings = vec![
        SettingsError::Shape { field: "segments.definitions.0.name".into(), detail: "invalid type: integer `3`, expected a string".into() },
        SettingsError::Calendar(crate::service::calendar::CalendarError::NoWorkingHours),
        SettingsError::Sla(crate::service::complaints::SlaError::BadTarget { severity: Severity::General, field: "resolve_hours", value: 0.0 }),
        SettingsError::DraftLevel(-1.0),
        SettingsError::Attribute { index: 0, key: "region".into() },
        SettingsError::Segment { name: "Key accounts".into(), error: AttributeError::EmptyName },
        SettingsError::DuplicateSegment("Key accounts".into()),
        SettingsError::Evaluation(EvaluationError::Weight { criterion: crate::segment::evaluation::Criterion::Growth, weight: -1.0 }),
        SettingsError::Map(MapError::Position { name: "Rival".into() }),
    ];
    covers("SettingsError", &settings, 9, |e| match e {
        SettingsError::Shape { .. } => 0,
        SettingsError::Calendar(_) => 1,
        SettingsError::Sla(_) => 2,
        SettingsError::DraftLevel(_) => 3,
        SettingsError::Attribute { .. } => 4,
        SettingsError::Segment { .. } => 5,
        SettingsError::DuplicateSegment(_) => 6,
        SettingsError::Evaluation(_) => 7,
        SettingsError::Map(_) => 8,
    }, SettingsError::message);
    let problem = Problem { kind: RecordKind::Customer, id: "C000012".into(), field: "name".into(), code: ProblemCode::Required };
    let backup = vec![
        BackupError::Truncated { line: 3, column: 14 },
        BackupError::NotJson { line: 1, column: 129, detail: "recursion limit exceeded".into() },
        BackupError::NotJson { line: 2, column: 5, detail: "expected `,` or `}`".into() },
        BackupError::NotAnObject { found: "an array".into() },
        BackupError::WrongFormat { found: Some("acme-export".into()) },
        BackupError::WrongFormat { found: None },
        BackupError::BadHeader { field: "checksum".into(), detail: "missing".into() },
        BackupError::BadHeader { field: "format_version".into(), detail: "expected a number, found a string".into() },
        BackupError::NewerVersion { found: 9, supported: 2 },
        BackupError::NewerSchema { found: 9, supported: 3 },
        BackupError::Migration { from: 1, detail: "customers[3].tags is not a comma-separated text".into() },
        BackupError::ChecksumMismatch { expected: "abc".into(), actual: "def".into() },
        BackupError::BadSection { section: "data".into(), detail: "expected an object, found an array".into() },
        BackupError::Record {
            kind: RecordKind::OrderLine,
            index: 17,
            id: Some("O000018".into()),
            field: Some("date".into()),
            value: Some("\"2024-02-30\"".into()),
            detail: "input is out of range".into(),
        },
        BackupError::Record { kind: RecordKind::Customer, index: 0, id: None, field: None, value: None, detail: "missing field `name`".into() },
        BackupError::CountsMismatch(vec![CountMismatch { kind: RecordKind::Customer, header: 3, actual: 2 }]),
        BackupError::Invalid(vec![problem.clone()]),
        BackupError::Settings(settings[3].clone()),
        BackupError::Write("io error".into()),
        BackupError::TooLarge { size: 1 << 30, limit: crate::backup::MAX_FILE_BYTES },
        BackupError::NotText { encoding: "UTF-16LE".into(), at: 6 },
        BackupError::TooDeep { line: 1, column: 65, limit: 64 },
        BackupError::DuplicateKey { key: "format".into(), path: String::new(), line: 1, column: 41 },
        BackupError::NumberOutOfRange { value: "1e400".into(), path: "data.orders[0].amount".into(), line: 9, column: 20 },
    ];
    covers("BackupError", &backup, 20, |e| match e {
        BackupError::Truncated { .. } => 0,
        BackupError::NotJson { .. } => 1,
        BackupError::NotAnObject { .. } => 2,
        BackupError::WrongFormat { .. } => 3,
        BackupError::BadHeader { .. } => 4,
        BackupError::NewerVersion { .. } => 5,
        BackupError::NewerSchema { .. } => 6,
        BackupError::Migration { .. } => 7,
        BackupError::ChecksumMismatch { .. } => 8,
        BackupError::BadSection { .. } => 9,
        BackupError::Record { .. } => 10,
        BackupError::CountsMismatch(_) => 11,
        BackupError::Invalid(_) => 12,
        BackupError::Settings(_) => 13,
        BackupError::Write(_) => 14,
        BackupError::TooLarge { .. } => 15,
        BackupError::NotText { .. } => 16,
        BackupError::TooDeep { .. } => 17,
        BackupError::DuplicateKey { .. } => 18,
        BackupError::NumberOutOfRange { .. } => 19,
    }, BackupError::message);
    // Library words stay out: serde_json's "recursion limit exceeded" is said in ours.
    for e in &backup {
        for lang in [Language::ZhCn, Language::En] {
            let m = e.message(lang);
            for words in ["recursion limit", "expected `", "missing field", "input is out of range", "io error"] {
                assert!(!m.contains(words), "{words:?} in {m}");
            }
        }
    }
    covers("Problem", &[problem], 1, |_| 0, Problem::message);
}

/// The decoder's usual descriptions are said in our words in both languages, and anything
/// else in a neutral phrase rather than as it is.
#[test]
fn serde_details_are_said_in_our_words() {
    let cases = [
        "missing field `name`",
        "duplicate field `id`",
        "unknown field `colour`, expected one of `name`, `code`",
        "unknown variant `vip`, expected one of `end_customer`, `dealer`, `distributor`",
        "unknown variant `x`, expected `general` or `major`",
        "invalid type: string \"3\", expected u32",
        "invalid type: integer `3`, expected a string",
        "invalid type: map, expected a sequence",
        "invalid value: integer `-1`, expected u32",
        "invalid length 2, expected an array of length 4",
        "recursion limit exceeded at line 1 column 129",
        "number out of range at line 1 column 10",
        "EOF while parsing a value at line 1 column 0",
        "trailing comma at line 3 column 1",
        "key must be a string at line 1 column 2",
        "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 4",
        "something a library says",
    ];
    for c in cases {
        let (zh, en) = (serde_detail(c, Language::ZhCn), serde_detail(c, Language::En));
        assert_eq!(translation_problem(&zh, &en), None, "{c}");
        assert!(!en.contains(" at line ") && !en.contains("library") && !en.contains("recursion"), "{c} → {en}");
    }
    assert_eq!(serde_detail("missing field `name`", Language::ZhCn), "缺少字段“name”");
}

/// A pair that is not a translation is caught: the rules of the tests above can fail.
#[test]
fn bad_pairs_are_caught() {
    assert!(translation_problem("", "x").is_some());
    assert!(translation_problem("same", "same").is_some());
    assert!(translation_problem("no chinese here", "English").is_some());
    assert!(translation_problem("参数无效; 请重试", "Invalid; retry").is_some());
    assert!(translation_problem("参数无效(a)", "Invalid (a)").is_some());
    assert!(translation_problem("参数无效.", "Invalid.").is_some());
    assert!(translation_problem("参数无效。", "Invalid 参数.").is_some());
    assert_eq!(translation_problem("参数无效。", "Invalid."), None);
    // A quoted value (an accepted input, the user's data) may be Chinese in English.
    assert_eq!(translation_problem("答案“满意”无效。", "The answer “满意” is not valid."), None);
    assert!(translation_problem("答案“满意”无效。", "The answer “满意” 无效.").is_some());
}

/// Whether a serialized value reads back as `V`.
fn reads_as<V: serde::de::DeserializeOwned, P: serde::Serialize>(p: &P) -> bool {
    serde_json::from_value::<V>(serde_json::to_value(p).unwrap()).is_ok()
}

/// A `Valid*` value read from storage or a message goes through its `check()`: the good
/// parameters read back, a serialized invalid one is refused.
#[test]
fn serialized_valid_params_are_checked_when_read() {
    use crate::segment::crosstab::{CrosstabParams, ValidCrosstabParams};
    use crate::segment::evaluation::{Criterion, EvaluationParams, ValidEvaluationParams};
    use crate::segment::kmeans::{KMeansParams, ValidKMeansParams};
    use crate::value::abc::{AbcParams, AbcVariant, ValidAbcParams};
    use crate::value::bgnbd::{BgNbdFitParams, ValidBgNbdFitParams};
    use crate::value::clv::{ClvParams, Horizon, RetentionClvParams, ValidClvParams, ValidRetentionClvParams};
    use crate::value::gamma_gamma::{GammaGammaFitParams, ValidGammaGammaFitParams};
    use crate::value::grade::{GradeParams, ValidGradeParams};
    use crate::value::lifecycle::{LifecycleParams, ReviewParams, TagFact, ValidLifecycleParams, ValidReviewParams};
    use crate::value::matrix::{RelationshipParams, ValidRelationshipParams, ValidValueMatrixParams, ValueMatrixParams};
    use crate::value::rfm::{RfmParams, RfmScoring, ValidRfmParams};

    macro_rules! both {
        ($valid:ty, $good:expr, $bad:expr) => {{
            let (good, bad) = ($good, $bad);
            assert!(good.check().is_ok() && bad.check().is_err(), "{}: the samples are not good and bad", stringify!($valid));
            // The checked value as stored reads back; the invalid one does not.
            assert!(reads_as::<$valid, _>(&good.check().unwrap()), "{}: a valid value is refused", stringify!($valid));
            assert!(!reads_as::<$valid, _>(&bad), "{}: an invalid value is read without check()", stringify!($valid));
        }};
    }
    both!(ValidAbcParams, AbcParams::default(), AbcParams { variant: AbcVariant::CumulativeShare { a: 0.9, b: 0.5 } });
    both!(ValidValueMatrixParams, ValueMatrixParams::default(), ValueMatrixParams { current_split: 1.5, potential_split: 0.5 });
    both!(ValidRelationshipParams, RelationshipParams::default(), RelationshipParams { high_from: 1 });
    both!(
        ValidRetentionClvParams,
        RetentionClvParams { margin: 1.0, retention: 0.5, discount: 0.1, horizon: Horizon::Infinite },
        RetentionClvParams { margin: 1.0, retention: 1.5, discount: 0.1, horizon: Horizon::Infinite }
    );
    both!(ValidClvParams, ClvParams::default(), ClvParams { horizon_periods: 0, ..ClvParams::default() });
    both!(ValidGradeParams, GradeParams::default(), GradeParams { special: 1.0, a: 2.0, b: 3.0 });
    let mut gg = GammaGammaFitParams::default();
    gg.optim.max_iter = 0;
    both!(ValidGammaGammaFitParams, GammaGammaFitParams::default(), gg);
    let mut bg = BgNbdFitParams::default();
    bg.optim.max_iter = 0;
    both!(ValidBgNbdFitParams, BgNbdFitParams::default(), bg);
    both!(ValidLifecycleParams, LifecycleParams::default(), LifecycleParams { new_within_days: 400, ..LifecycleParams::default() });
    both!(ValidReviewParams, ReviewParams::default(), ReviewParams { tag_rules: vec![(" ".into(), TagFact::Bankruptcy)], ..ReviewParams::default() });
    let mut rfm = RfmParams::default();
    rfm.scoring = RfmScoring::Fixed { r: [3.0, 2.0, 5.0, 6.0], f: [1.0, 2.0, 3.0, 4.0], m: [1.0, 2.0, 3.0, 4.0] };
    both!(ValidRfmParams, RfmParams::default(), rfm);
    both!(ValidKMeansParams, KMeansParams::default(), KMeansParams { k: 0, ..KMeansParams::default() });
    let mut ev = EvaluationParams::default();
    ev.weights.insert(Criterion::Growth, -1.0);
    both!(ValidEvaluationParams, EvaluationParams::default(), ev);
    both!(
        ValidCrosstabParams,
        CrosstabParams { from: date(2024, 1, 1), to: date(2024, 12, 31) },
        CrosstabParams { from: date(2024, 12, 31), to: date(2024, 1, 1) }
    );
}

/// A bad setting in a backup is refused through the settings' check, with a message that
/// names the setting in both languages.
#[test]
fn a_bad_setting_in_a_backup_is_refused_naming_it() {
    use crate::backup::{export, parse};
    use crate::demo::{self, DemoParams};
    let when = chrono::Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap();
    let data = demo::generate(&DemoParams { customers: 20, ..DemoParams::default() });
    let text = export(&data, &crate::model::Settings::default(), "0.1.0", when).expect("export");
    assert!(parse(&text).is_ok(), "the untouched backup reads");
    let edited = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        edit(&mut v);
        parse(&v.to_string())
    };
    // A value that decodes but fails check(): the draft rule's level.
    let e = edited(&|v| v["settings"]["complaints"]["draft_rule"]["level"] = serde_json::json!(-1.0)).unwrap_err();
    assert!(matches!(e, BackupError::Settings(SettingsError::DraftLevel(_))), "{e:?}");
    assert!(e.message(Language::ZhCn).contains("调查转投诉规则"), "{}", e.message(Language::ZhCn));
    assert!(e.message(Language::En).contains("survey-to-complaint rule"), "{}", e.message(Language::En));
    // A value of the wrong type: the field is named by its path.
    let e = edited(&|v| v["settings"]["language"] = serde_json::json!(5)).unwrap_err();
    match &e {
        BackupError::Settings(SettingsError::Shape { field, .. }) => assert_eq!(field, "language"),
        other => panic!("{other:?}"),
    }
    assert_eq!(translation_problem(&e.message(Language::ZhCn), &e.message(Language::En)), None);
}
