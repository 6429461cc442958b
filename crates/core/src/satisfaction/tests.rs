//! Unit, reference and property tests of the satisfaction module. Each test's comment
//! names its reference and tolerance.

use super::ahp::{ahp, PairwiseMatrix};
use super::csi::{self, csi, CsiFlag, CsiParams, ScoredAnswer, ScoredItems};
use super::ipa::{ipa, IpaItem, IpaParams, Quadrant};
use super::nps::{loyalty_zones, nps, LoyaltyZone, ZoneParams};
use super::pls::{self, Mode, PlsBlock, PlsModel, PlsParams, Scheme};
use super::reliability::cronbach_alpha;
use super::scale::{self, Answer};
use super::weights::{cv_weights, entropy_weights, normalise};
use super::ItemTable;
use crate::model::{IndicatorNode, Language, Scale};
use proptest::prelude::*;

fn node(id: &str, weight: f64, children: Vec<IndicatorNode>) -> IndicatorNode {
    IndicatorNode { id: id.into(), label: id.into(), weight, children }
}

/// The natural-gas tree of SPEC §5.
fn gas_tree() -> IndicatorNode {
    node(
        "csi",
        1.0,
        vec![
            node("supply", 0.7, vec![node("pressure", 0.6, vec![]), node("quality", 0.4, vec![])]),
            node("repair", 0.2, vec![node("attitude", 0.2, vec![]), node("timely", 0.4, vec![]), node("result", 0.4, vec![])]),
            node("meter", 0.1, vec![node("reader", 0.3, vec![]), node("errors", 0.4, vec![]), node("bill", 0.3, vec![])]),
        ],
    )
}

fn gas_leaves(scale: Scale) -> Vec<(String, Scale)> {
    ["pressure", "quality", "attitude", "timely", "result", "reader", "errors", "bill"].iter().map(|s| (s.to_string(), scale)).collect()
}

fn no_boot() -> csi::ValidCsiParams {
    CsiParams { resamples: 0, ..CsiParams::default() }.check().expect("valid params")
}

// ---------------------------------------------------------------- scale

/// SPEC §5 scale table: 满意…不满意 → 100/80/60/40/20; 1-10 and 0-10 linear. Exact.
#[test]
fn scales_map_onto_0_100() {
    for (word, score) in [("满意", 100.0), ("较满意", 80.0), ("一般", 60.0), ("较不满意", 40.0), ("不满意", 20.0)] {
        let Ok(Answer::Raw(raw)) = scale::parse_answer(Scale::Likert5, word) else { panic!("{word}") };
        assert_eq!(scale::to_score(Scale::Likert5, raw), Ok(score));
    }
    assert_eq!(scale::to_score(Scale::OneToTen, 1.0), Ok(0.0));
    assert_eq!(scale::to_score(Scale::OneToTen, 10.0), Ok(100.0));
    assert_eq!(scale::to_score(Scale::ZeroToTen, 7.0), Ok(70.0));
    assert_eq!(scale::parse_answer(Scale::OneToTen, " "), Ok(Answer::Missing));
    assert_eq!(scale::parse_answer(Scale::OneToTen, "不适用"), Ok(Answer::NotApplicable));
    assert!(scale::parse_answer(Scale::Likert5, "6").is_err());
    assert!(scale::parse_answer(Scale::Likert5, "好").is_err());
    assert!(scale::is_top_two(Scale::Likert5, 4.0) && !scale::is_top_two(Scale::Likert5, 3.0));
    assert!(scale::is_top_two(Scale::ZeroToTen, 9.0) && !scale::is_top_two(Scale::ZeroToTen, 8.0));
    assert_eq!(scale::likert5_word(5, Language::ZhCn), Some("满意"));
    assert_eq!(scale::likert5_word(0, Language::ZhCn), None);
}

// ---------------------------------------------------------------- CSI

/// SPEC §5 worked example (natural gas): leaf means 80, 60 | 100, 60, 80 | 80, 100, 60 give
/// supply 72, repair 76, meter 82, CSI 73.8. Tolerance 1e-9 (floating point only).
#[test]
fn natural_gas_worked_example_gives_73_8() {
    // One respondent answering 较满意, 一般 | 满意, 一般, 较满意 | 较满意, 满意, 一般.
    let row: Vec<Answer> = [4.0, 3.0, 5.0, 3.0, 4.0, 4.0, 5.0, 3.0].iter().map(|&v| Answer::Raw(v)).collect();
    let (items, issues) = ScoredItems::from_answers(&gas_leaves(Scale::Likert5), &[row]);
    assert!(issues.is_empty());
    let r = csi(&gas_tree(), &items, &no_boot()).expect("csi");
    assert!((r.csi - 73.8).abs() < 1e-9, "{}", r.csi);
    for (id, v) in [("supply", 72.0), ("repair", 76.0), ("meter", 82.0)] {
        assert!((r.node(id).and_then(|n| n.score).unwrap_or(f64::NAN) - v).abs() < 1e-9, "{id}");
    }
    assert!(r.flags.is_empty(), "{:?}", r.flags);
}

/// Missing answers are excluded, never zero; a child without answers is dropped and the
/// weights renormalised with a flag. Hand computation: pressure answered 100 and 60 by two
/// of three respondents → mean 80 (not 53.3); quality unanswered → supply = 80 and flagged.
/// Tolerance 1e-9.
#[test]
fn missing_answers_are_excluded_and_renormalisation_flagged() {
    let tree = node("root", 1.0, vec![node("supply", 1.0, vec![node("pressure", 0.6, vec![]), node("quality", 0.4, vec![])])]);
    let leaves = vec![("pressure".to_string(), Scale::Likert5), ("quality".to_string(), Scale::Likert5)];
    let rows = vec![
        vec![Answer::Raw(5.0), Answer::Missing],
        vec![Answer::Raw(3.0), Answer::NotApplicable],
        vec![Answer::Missing, Answer::Missing],
    ];
    let (items, _) = ScoredItems::from_answers(&leaves, &rows);
    let r = csi(&tree, &items, &no_boot()).expect("csi");
    assert!((r.csi - 80.0).abs() < 1e-9);
    assert_eq!(r.node("pressure").map(|n| n.n), Some(2));
    assert_eq!(r.node("quality").map(|n| n.not_applicable), Some(1));
    assert!(r.flags.contains(&CsiFlag::Renormalised { node: "supply".into(), missing_children: vec!["quality".into()] }));
    assert!(r.flags.contains(&CsiFlag::NoAnswers { node: "quality".into() }));
    // Satisfaction rate: one of the two answers is top-two (5), so 50 %.
    assert!((r.satisfaction_rate - 50.0).abs() < 1e-9);
}

/// Entered weights that do not sum to 1 are normalised and flagged (0.5 + 0.25 → 2/3, 1/3).
#[test]
fn unnormalised_weights_are_flagged() {
    let tree = node("root", 1.0, vec![node("a", 0.5, vec![]), node("b", 0.25, vec![])]);
    let items = ScoredItems::from_scores(
        vec!["a".into(), "b".into()],
        vec![vec![Some(ScoredAnswer { score: 90.0, top_two: true }), Some(ScoredAnswer { score: 30.0, top_two: false })]],
    )
    .expect("scores");
    let r = csi(&tree, &items, &no_boot()).expect("csi");
    assert!((r.csi - 70.0).abs() < 1e-9);
    assert!(r.flags.iter().any(|f| matches!(f, CsiFlag::WeightsNotNormalised { node, .. } if node == "root")));
}

/// Bootstrap intervals: deterministic per seed and bracket the estimate (400 random
/// respondents; the interval width should be about ±2·sd/√n). Exact equality across runs.
#[test]
fn csi_bootstrap_is_seeded_and_brackets_the_estimate() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let rows: Vec<Vec<Answer>> = (0..400).map(|_| (0..8).map(|_| Answer::Raw(f64::from(rng.gen_range(1..=5u8)))).collect()).collect();
    let (items, _) = ScoredItems::from_answers(&gas_leaves(Scale::Likert5), &rows);
    let p = CsiParams { resamples: 300, seed: 9, confidence: 0.95 }.check().expect("params");
    let a = csi(&gas_tree(), &items, &p).expect("csi");
    let b = csi(&gas_tree(), &items, &p).expect("csi");
    assert_eq!(a, b);
    let root = &a.nodes[0];
    let (lo, hi) = (root.ci_low.unwrap_or(f64::NAN), root.ci_high.unwrap_or(f64::NAN));
    assert!(lo < a.csi && a.csi < hi, "{lo} {} {hi}", a.csi);
    assert!(hi - lo < 6.0 && hi - lo > 0.5, "{lo} {hi}");
    assert_eq!(root.n, 400);
}

// ---------------------------------------------------------------- AHP

/// Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
/// Sciences 1(1), 83-98, Table 2 ("Which drink is consumed more in the U.S.?"): eigenvector
/// coffee .177, wine .019, tea .042, beer .116, sodas .190, milk .129, water .327 and
/// C.R. = .022 (as also reproduced by the AHPy package's README with the same judgements,
/// tea over wine = 3). Tolerance: half a unit of the published third decimal (5e-4).
#[test]
fn saaty_2008_drinks_example() {
    let third = 1.0 / 3.0;
    let ninth = 1.0 / 9.0;
    // Upper triangle, row by row: coffee, wine, tea, beer, sodas, milk, water.
    let upper = [
        9.0, 5.0, 2.0, 1.0, 1.0, 0.5, // coffee vs wine…water
        third, ninth, ninth, ninth, ninth, // wine vs tea…water
        third, 0.25, third, ninth, // tea vs beer…water
        0.5, 1.0, third, // beer vs sodas, milk, water
        2.0, 0.5,   // sodas vs milk, water
        third, // milk vs water
    ];
    let m = PairwiseMatrix::from_upper(7, &upper).expect("matrix");
    let r = ahp(&m);
    let published = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327];
    for (w, p) in r.weights.iter().zip(published) {
        assert!((w - p).abs() <= 5e-4, "{:?}", r.weights);
    }
    assert!((r.cr - 0.022).abs() <= 5e-4, "CR {}", r.cr);
    assert!(r.consistent);
    assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}

/// A consistent matrix (a_ij = w_i/w_j for w = 0.5, 0.3, 0.2) gives back w, λmax = n and
/// CR = 0; spoiling one judgement makes that pair the most inconsistent. Tolerance 1e-10.
#[test]
fn ahp_consistent_matrix_and_most_inconsistent_pair() {
    let w = [0.5, 0.3, 0.2];
    let upper = [w[0] / w[1], w[0] / w[2], w[1] / w[2]];
    let r = ahp(&PairwiseMatrix::from_upper(3, &upper).expect("matrix"));
    for (a, b) in r.weights.iter().zip(w) {
        assert!((a - b).abs() < 1e-10);
    }
    assert!((r.lambda_max - 3.0).abs() < 1e-10 && r.cr.abs() < 1e-10);
    // Four criteria, consistent except a_03 turned from 4 into 1/4.
    let w4 = [0.4, 0.3, 0.2, 0.1];
    let mut up = vec![];
    for i in 0..4 {
        for j in i + 1..4 {
            up.push(w4[i] / w4[j]);
        }
    }
    up[2] = 0.25;
    let r = ahp(&PairwiseMatrix::from_upper(4, &up).expect("matrix"));
    let p = r.most_inconsistent.expect("pair");
    assert_eq!((p.i, p.j), (0, 3));
    assert!(!r.consistent, "CR {}", r.cr);
    assert!(PairwiseMatrix::from_upper(3, &[10.0, 1.0, 1.0]).is_err());
    assert!(PairwiseMatrix::from_rows(&[vec![1.0, 3.0], vec![3.0, 1.0]]).is_err());
    assert!(PairwiseMatrix::from_rows(&[vec![1.0, 3.0], vec![0.33, 1.0]]).is_ok());
}

// ---------------------------------------------------------------- weights

/// Hand computation. Entropy: column a = (50, 50) has p = (½, ½), e = 1, d = 0; column
/// b = (20, 80) has p = (0.2, 0.8), e = −(0.2 ln 0.2 + 0.8 ln 0.8)/ln 2 = 0.721928, d = 0.278072;
/// weights (0, 1). CV: a has sd 0 → 0; b has mean 50, sd 42.426407, cv 0.848528; weights
/// (0, 1). Tolerance 1e-6.
#[test]
fn objective_weights_hand_case() {
    let t = ItemTable::from_complete(vec!["a".into(), "b".into(), "c".into()], vec![vec![50.0, 20.0, 40.0], vec![50.0, 80.0, 60.0]])
        .expect("table");
    let e = entropy_weights(&t).expect("entropy");
    assert!((e.statistic[1] - 0.721928).abs() < 1e-6, "{:?}", e.statistic);
    // c = (40, 60): p = (0.4, 0.6), e = 0.970951, d = 0.029049.
    let (db, dc) = (1.0 - 0.721928, 1.0 - 0.970951);
    assert!((e.weights[1] - db / (db + dc)).abs() < 1e-5, "{:?}", e.weights);
    assert!(e.weights[0].abs() < 1e-12);
    let c = cv_weights(&t).expect("cv");
    // c: mean 50, sd 14.142136, cv 0.282843 → weights b 0.75, c 0.25.
    assert!((c.weights[1] - 0.75).abs() < 1e-6 && (c.weights[2] - 0.25).abs() < 1e-6, "{:?}", c.weights);
    assert!(normalise(&[0.0, 0.0]).is_err());
}

// ---------------------------------------------------------------- reliability

/// Hand computation with items x1 = (1,2,3,4,5), x2 = (2,3,3,4,5), x3 = (1,1,2,2,4):
/// variances 2.5, 1.3, 1.5; totals (4,6,8,10,14) variance 14.8; raw α = 1.5·(1 − 5.3/14.8)
/// = 0.962838. Covariances 1.75, 1.75, 1.25 give r12 = 0.970725, r13 = 0.903696,
/// r23 = 0.895144, ΣR = 8.539130, standardized α = 1.5·(1 − 3/8.539130) = 0.973014.
/// Tolerance 1e-6.
#[test]
fn cronbach_alpha_hand_case() {
    let rows = vec![vec![1.0, 2.0, 1.0], vec![2.0, 3.0, 1.0], vec![3.0, 3.0, 2.0], vec![4.0, 4.0, 2.0], vec![5.0, 5.0, 4.0]];
    let mut rows_opt: Vec<Vec<Option<f64>>> = rows.into_iter().map(|r| r.into_iter().map(Some).collect()).collect();
    rows_opt.push(vec![Some(1.0), None, Some(3.0)]); // dropped listwise
    let t = ItemTable::new(vec!["x1".into(), "x2".into(), "x3".into()], rows_opt).expect("table");
    let a = cronbach_alpha(&t).expect("alpha");
    assert!((a.raw - 14.25 / 14.8).abs() < 1e-12);
    assert!((a.standardized - 0.973014).abs() < 1e-6, "{}", a.standardized);
    assert_eq!((a.k, a.n, a.dropped), (3, 5, 1));
}

// ---------------------------------------------------------------- NPS, zones, IPA

/// NPS by definition: 10, 9 promoters; 8, 7 passives; 6, 0 detractors → 0. Exact.
#[test]
fn nps_and_zones() {
    let r = nps(&[10, 9, 8, 7, 6, 0]).expect("nps");
    assert_eq!((r.promoters, r.passives, r.detractors), (2, 2, 2));
    assert!(r.nps.abs() < 1e-12);
    assert!((nps(&[10, 10, 0]).expect("nps").nps - 100.0 / 3.0).abs() < 1e-9);
    assert!(nps(&[11]).is_err());
    let p = ZoneParams::default().check().expect("params");
    assert_eq!(p.zone(40.0), LoyaltyZone::Defection);
    assert_eq!(p.zone(60.0), LoyaltyZone::Indifference);
    assert_eq!(p.zone(80.0), LoyaltyZone::Indifference);
    assert_eq!(p.zone(100.0), LoyaltyZone::Affection);
    let z = loyalty_zones(&[(100.0, Some(10)), (95.0, Some(9)), (60.0, Some(7)), (20.0, Some(2))], &p).expect("zones");
    assert_eq!(z.zones.iter().map(|s| s.n).collect::<Vec<_>>(), vec![1, 1, 2]);
    assert_eq!(z.zones[2].nps, Some(100.0));
    assert!(ZoneParams { indifference_from: 90.0, affection_from: 50.0 }.check().is_err());
}

/// Martilla & James quadrants with splits at the means (importance 0.25, performance 70).
#[test]
fn ipa_quadrants() {
    let item = |id: &str, i: f64, p: f64| IpaItem { id: id.into(), label: id.into(), importance: i, performance: p };
    let items = [item("a", 0.4, 60.0), item("b", 0.3, 90.0), item("c", 0.2, 50.0), item("d", 0.1, 80.0)];
    let r = ipa(&items, &IpaParams::default()).expect("ipa");
    let q: Vec<Quadrant> = r.items.iter().map(|p| p.quadrant).collect();
    assert_eq!(q, vec![Quadrant::ConcentrateHere, Quadrant::KeepUpTheGoodWork, Quadrant::LowPriority, Quadrant::PossibleOverkill]);
    assert!((r.importance_split - 0.25).abs() < 1e-12 && (r.performance_split - 70.0).abs() < 1e-12);
    assert_eq!(Quadrant::ConcentrateHere.label(Language::ZhCn), "重点改进区");
}

// ---------------------------------------------------------------- PLS

/// Reads tests/data/reference/ecsi_satisfaction.csv (250 respondents).
fn ecsi() -> ItemTable {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/reference/ecsi_satisfaction.csv");
    let text = std::fs::read_to_string(path).expect("ECSI data (see tests/data/reference/README.md)");
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().expect("header").split(',').map(str::to_string).collect();
    // Keep the numeric item columns (drop respondent id and gender).
    let keep: Vec<usize> = (0..header.len()).filter(|&i| header[i] != "respondent" && header[i] != "gender").collect();
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            keep.iter().map(|&i| cells.get(i).and_then(|c| c.trim().parse::<f64>().ok())).collect()
        })
        .collect();
    ItemTable::new(keep.iter().map(|&i| header[i].clone()).collect(), rows).expect("table")
}

fn ecsi_model(mode: Mode) -> PlsModel {
    let block =
        |name: &str, prefix: &str, k: usize| PlsBlock { name: name.into(), items: (1..=k).map(|i| format!("{prefix}{i}")).collect(), mode };
    let paths = [
        ("IMAG", "EXPE"),
        ("IMAG", "SAT"),
        ("IMAG", "LOY"),
        ("EXPE", "QUAL"),
        ("EXPE", "VAL"),
        ("EXPE", "SAT"),
        ("QUAL", "VAL"),
        ("QUAL", "SAT"),
        ("VAL", "SAT"),
        ("SAT", "LOY"),
    ];
    PlsModel {
        blocks: vec![
            block("IMAG", "imag", 5),
            block("EXPE", "expe", 5),
            block("QUAL", "qual", 5),
            block("VAL", "val", 4),
            block("SAT", "sat", 4),
            block("LOY", "loy", 4),
        ],
        paths: paths.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
    }
}

fn fit(model: &PlsModel, table: &ItemTable, params: PlsParams) -> pls::PlsReport {
    let m = model.check(table).expect("model");
    pls::fit(&m, table, &params.check().expect("params"), &mut |_, _| {}).expect("fit")
}

/// R plspm (Sanchez 2013) on the ECSI "satisfaction" data, all blocks mode A, centroid,
/// scaled = FALSE: IMAG→SAT 0.200724, QUAL→SAT 0.122145, VAL→SAT 0.589331,
/// EXPE→QUAL 0.848344, SAT→LOY 0.495479, R²(SAT) 0.707321, GoF 0.609742
/// (tests/data/reference/README.md and issue 5). Tolerance 1e-5.
#[test]
fn ecsi_reference_mode_a_centroid_unscaled() {
    let t = ecsi();
    let r = fit(&ecsi_model(Mode::A), &t, PlsParams { scheme: Scheme::Centroid, scaled: false, ..PlsParams::default() });
    assert!(r.converged);
    assert_eq!(r.n, 250);
    let want = [
        ("IMAG", "SAT", 0.200724),
        ("QUAL", "SAT", 0.122145),
        ("VAL", "SAT", 0.589331),
        ("EXPE", "QUAL", 0.848344),
        ("SAT", "LOY", 0.495479),
    ];
    for (a, b, v) in want {
        let got = r.path(a, b).unwrap_or(f64::NAN);
        assert!((got - v).abs() < 1e-5, "{a}->{b}: {got} vs {v}");
    }
    let r2 = r.latent("SAT").and_then(|l| l.r2).unwrap_or(f64::NAN);
    assert!((r2 - 0.707321).abs() < 1e-5, "R2 {r2}");
    assert!((r.gof - 0.609742).abs() < 1e-5, "GoF {}", r.gof);
    // Indices lie on 0-100 and loadings are correlations.
    for l in &r.latent {
        let i = l.index.unwrap_or(f64::NAN);
        assert!((0.0..=100.0).contains(&i), "{} {i}", l.name);
        assert!(l.ave > 0.0 && l.ave <= 1.0 && l.composite_reliability <= 1.0);
    }
    // Total effect IMAG→SAT = direct + via EXPE (all positive here).
    let e = r.effects.iter().find(|e| e.from == "IMAG" && e.to == "SAT").expect("effect");
    assert!((e.direct - 0.200724).abs() < 1e-5 && e.total > e.direct);
}

/// Scaled data, the other schemes and mode B all converge on the ECSI data and give
/// R² in [0, 1]; with all-mode-A blocks, scaled and unscaled fits differ (plspm's
/// "scaled" changes the weights). No external reference: an invariant test.
#[test]
fn ecsi_other_settings_converge() {
    let t = ecsi();
    for scheme in [Scheme::Centroid, Scheme::Factorial, Scheme::Path] {
        for scaled in [false, true] {
            let r = fit(&ecsi_model(Mode::A), &t, PlsParams { scheme, scaled, ..PlsParams::default() });
            assert!(r.converged, "{scheme:?} {scaled}");
            for l in &r.latent {
                assert!(l.r2.is_none_or(|v| (0.0..=1.0).contains(&v)));
            }
        }
    }
    let mut m = ecsi_model(Mode::A);
    m.blocks[0].mode = Mode::B;
    let r = fit(&m, &t, PlsParams::default());
    assert!(r.converged && r.latent[0].mode == Mode::B);
    // Each score column is standardized (variance 1 with n − 1). Tolerance 1e-9.
    let y = &r.scores[0];
    let v = y.iter().map(|v| v * v).sum::<f64>() / (y.len() as f64 - 1.0);
    assert!((v - 1.0).abs() < 1e-9);
}

/// The bootstrap is deterministic per seed, calls progress once per resample and its
/// intervals bracket the estimates on the ECSI data (200 resamples).
#[test]
fn pls_bootstrap_is_seeded_with_progress() {
    let t = ecsi();
    let m = ecsi_model(Mode::A).check(&t).expect("model");
    let p = PlsParams { scaled: false, resamples: 200, seed: 5, ..PlsParams::default() }.check().expect("params");
    let mut calls = vec![];
    let a = pls::fit(&m, &t, &p, &mut |d, n| calls.push((d, n))).expect("fit");
    let b = pls::fit(&m, &t, &p, &mut |_, _| {}).expect("fit");
    assert_eq!(a, b);
    assert_eq!(calls.len(), 200);
    assert_eq!(calls.last(), Some(&(200, 200)));
    for path in &a.paths {
        let bs = path.bootstrap.expect("bootstrap");
        assert!(bs.ci_low <= path.coefficient && path.coefficient <= bs.ci_high, "{path:?}");
        assert!(bs.se > 0.0 && bs.se < 0.2);
    }
}

/// Invalid models are refused with typed errors.
#[test]
fn pls_model_errors() {
    let t = ecsi();
    let mut m = ecsi_model(Mode::A);
    m.paths.push(("LOY".into(), "IMAG".into()));
    assert!(matches!(m.check(&t), Err(pls::PlsError::Cycle(_))));
    let mut m = ecsi_model(Mode::A);
    m.blocks[0].items.push("nope".into());
    assert!(matches!(m.check(&t), Err(pls::PlsError::UnknownItem { .. })));
    let mut m = ecsi_model(Mode::A);
    m.paths.retain(|(a, b)| a != "IMAG" && b != "IMAG");
    assert!(matches!(m.check(&t), Err(pls::PlsError::Unconnected(_))));
}

/// Row order does not change the PLS estimates (ECSI data reversed). Tolerance 1e-9.
#[test]
fn pls_row_order_irrelevant() {
    let t = ecsi();
    let rev = ItemTable::new(t.names().to_vec(), t.rows().iter().rev().cloned().collect()).expect("table");
    let a = fit(&ecsi_model(Mode::A), &t, PlsParams::default());
    let b = fit(&ecsi_model(Mode::A), &rev, PlsParams::default());
    for (x, y) in a.paths.iter().zip(&b.paths) {
        assert!((x.coefficient - y.coefficient).abs() < 1e-9);
    }
}

/// Timing at the size of the issue: 5,000 respondents × 30 items (6 blocks of 5, ACSI-like
/// chain), PLS fit with 1,000 bootstrap resamples. Run with
/// `cargo test --release -p clientscope-core --lib pls_timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn pls_timing_5000_by_30_with_1000_resamples() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let (n, l, k) = (5000, 6, 5);
    let mut names = vec![];
    for b in 0..l {
        for i in 0..k {
            names.push(format!("x{b}_{i}"));
        }
    }
    let rows: Vec<Vec<f64>> = (0..n)
        .map(|_| {
            let mut lv = vec![0.0_f64; l];
            let mut row = vec![];
            for b in 0..l {
                let prev = if b == 0 { 0.0 } else { lv[b - 1] };
                lv[b] = 0.6 * prev + rng.gen_range(-1.0..1.0);
                for _ in 0..k {
                    row.push((5.5 + 2.0 * lv[b] + rng.gen_range(-1.5_f64..1.5)).round().clamp(1.0, 10.0));
                }
            }
            row
        })
        .collect();
    let t = ItemTable::from_complete(names.clone(), rows).expect("table");
    let model = PlsModel {
        blocks: (0..l).map(|b| PlsBlock { name: format!("L{b}"), items: names[b * k..(b + 1) * k].to_vec(), mode: Mode::A }).collect(),
        paths: (1..l).map(|b| (format!("L{}", b - 1), format!("L{b}"))).chain([("L0".to_string(), "L5".to_string())]).collect(),
    };
    let m = model.check(&t).expect("model");
    let p = PlsParams { resamples: 1000, seed: 1, ..PlsParams::default() }.check().expect("params");
    let start = std::time::Instant::now();
    let r = pls::fit(&m, &t, &p, &mut |_, _| {}).expect("fit");
    let secs = start.elapsed().as_secs_f64();
    println!("PLS fit, 5000 x 30, 1000 bootstrap resamples: {secs:.2} s (failed resamples: {:?})", r.bootstrap.map(|b| b.failed));
    assert!(r.converged);
}

// ---------------------------------------------------------------- properties

fn scored_rows() -> impl Strategy<Value = Vec<Vec<Option<u8>>>> {
    prop::collection::vec(prop::collection::vec(prop::option::weighted(0.8, 1u8..=5), 8), 1..40)
}

fn items_of(rows: &[Vec<Option<u8>>]) -> ScoredItems {
    let rows: Vec<Vec<Answer>> =
        rows.iter().map(|r| r.iter().map(|a| a.map_or(Answer::Missing, |v| Answer::Raw(f64::from(v)))).collect()).collect();
    ScoredItems::from_answers(&gas_leaves(Scale::Likert5), &rows).0
}

proptest! {
    /// Normalised weights sum to 1 (tolerance 1e-9) and keep their proportions.
    #[test]
    fn weights_normalise(w in prop::collection::vec(0.0f64..100.0, 1..20)) {
        prop_assume!(w.iter().sum::<f64>() > 1e-6);
        let n = normalise(&w).expect("weights");
        prop_assert!((n.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!(n.iter().all(|v| *v >= 0.0));
    }

    /// AHP weights of any matrix on Saaty's scale sum to 1, λmax ≥ n − 1e-9, CR ≥ 0.
    #[test]
    fn ahp_weights_normalise(upper in prop::collection::vec(prop::sample::select(vec![1.0/9.0, 0.2, 1.0/3.0, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 9.0]), 10)) {
        let r = ahp(&PairwiseMatrix::from_upper(5, &upper).expect("matrix"));
        prop_assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!(r.lambda_max >= 5.0 - 1e-9 && r.cr >= 0.0);
    }

    /// Entropy and CV weights sum to 1 on any non-constant 0-100 data (tolerance 1e-9).
    #[test]
    fn objective_weights_normalise(rows in prop::collection::vec(prop::collection::vec(1u8..=5, 4), 3..30)) {
        let t = ItemTable::from_complete((0..4).map(|i| format!("i{i}")).collect(), rows.iter().map(|r| r.iter().map(|&v| 20.0 * f64::from(v)).collect()).collect()).expect("table");
        if let Ok(e) = entropy_weights(&t) {
            prop_assert!((e.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        if let Ok(c) = cv_weights(&t) {
            prop_assert!((c.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
    }

    /// CSI, every node score and every interval lie in [0, 100].
    #[test]
    fn csi_within_0_100(rows in scored_rows()) {
        let items = items_of(&rows);
        let p = CsiParams { resamples: 100, seed: 1, confidence: 0.9 }.check().expect("params");
        if let Ok(r) = csi(&gas_tree(), &items, &p) {
            prop_assert!((0.0..=100.0).contains(&r.csi));
            prop_assert!((0.0..=100.0).contains(&r.satisfaction_rate));
            for n in &r.nodes {
                for v in [n.score, n.ci_low, n.ci_high, n.satisfaction_rate].into_iter().flatten() {
                    prop_assert!((0.0..=100.0 + 1e-9).contains(&v) && v >= -1e-9);
                }
            }
        }
    }

    /// Row order does not change the CSI or any node score (tolerance 1e-9).
    #[test]
    fn csi_row_order_irrelevant(rows in scored_rows(), seed in 0u64..1000) {
        use rand::{seq::SliceRandom, SeedableRng};
        let mut shuffled = rows.clone();
        shuffled.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
        let a = csi(&gas_tree(), &items_of(&rows), &no_boot());
        let b = csi(&gas_tree(), &items_of(&shuffled), &no_boot());
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert!((a.csi - b.csi).abs() < 1e-9);
                for (x, y) in a.nodes.iter().zip(&b.nodes) {
                    prop_assert_eq!(x.n, y.n);
                    prop_assert!((x.score.unwrap_or(-1.0) - y.score.unwrap_or(-1.0)).abs() < 1e-9);
                }
            }
            (a, b) => prop_assert_eq!(a.is_err(), b.is_err()),
        }
    }
}

// ---------------------------------------------------------------- survey analysis

mod survey_analysis {
    use super::super::analysis::{self, GroupBy, SurveyParams};
    use super::super::pls::{self, PathBootstrapRun, PlsParams};
    use super::super::templates::{from_template, Template};
    use super::ecsi;
    use crate::model::{Customer, CustomerKind, IndicatorNode, Language, Survey, SurveyResponse};
    use std::collections::BTreeMap;

    fn ts() -> crate::model::Timestamp {
        chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").expect("ts").with_timezone(&chrono::Utc)
    }

    fn gas() -> Survey {
        let mut s = from_template(Template::NaturalGas, "S1", "gas", Language::ZhCn, ts());
        s.competitors = vec!["X".into()];
        s
    }

    /// A response with every leaf of the gas tree answered `level` (1-5), except `skip`.
    fn resp(id: &str, level: f64, period: &str, customer: Option<&str>, rec: Option<u8>) -> SurveyResponse {
        let leaves = ["supply_pressure", "gas_quality", "repair_attitude", "repair_timeliness", "repair_result", "reader_attitude", "reading_errors", "bill_on_time"];
        SurveyResponse {
            id: id.into(),
            survey_id: "S1".into(),
            customer_id: customer.map(String::from),
            segment: BTreeMap::new(),
            date: chrono::NaiveDate::from_ymd_opt(2025, 1, 2).expect("date"),
            period: period.into(),
            answers: leaves.iter().map(|l| (l.to_string(), Some(level))).collect(),
            competitor_answers: BTreeMap::new(),
            repurchase: Some(level),
            recommend: rec,
            created_at: ts(),
            updated_at: ts(),
        }
    }

    /// Hand case: two periods; 2024H2 everyone answers 5 (=100), 2025H1 one answers 3 (60)
    /// and one 4 (80) → CSI 100 and 70 (every leaf equal, so the CSI is that score);
    /// satisfaction rate 100 % and 50 %; NPS (10) → 100, (6, 9) → 0. Exact.
    #[test]
    fn breakdown_by_period_hand_case() {
        let s = gas();
        let rs = vec![
            resp("a", 5.0, "2024H2", None, Some(10)),
            resp("b", 3.0, "2025H1", None, Some(6)),
            resp("c", 4.0, "2025H1", None, Some(9)),
            SurveyResponse { survey_id: "other".into(), ..resp("d", 1.0, "2025H1", None, None) },
        ];
        let rows = analysis::breakdown(&s, &rs, &[], &GroupBy::Period, Language::En).expect("breakdown");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].key.as_deref(), Some("2024H2"));
        assert_eq!((rows[0].n, rows[1].n), (1, 2));
        assert!((rows[0].csi.expect("csi") - 100.0).abs() < 1e-9);
        assert!((rows[1].csi.expect("csi") - 70.0).abs() < 1e-9);
        assert!((rows[1].satisfaction_rate.expect("rate") - 50.0).abs() < 1e-9);
        assert_eq!((rows[0].nps, rows[1].nps), (Some(100.0), Some(0.0)));
    }

    /// Customer group and account manager come from the linked customer; anonymous
    /// respondents form the "(unknown)" group, listed last. Exact.
    #[test]
    fn breakdown_by_customer_group_and_owner() {
        let s = gas();
        let mut c1 = Customer::new("C1", "A", ts());
        c1.kind = CustomerKind::Dealer;
        c1.owner = "王".into();
        let rs = vec![resp("a", 5.0, "p", Some("C1"), None), resp("b", 1.0, "p", None, None)];
        let rows = analysis::breakdown(&s, &rs, &[c1.clone()], &GroupBy::CustomerKind, Language::ZhCn).expect("kind");
        assert_eq!(rows[0].label, "中间商");
        assert_eq!(rows[1].key, None);
        assert!((rows[1].csi.expect("csi") - 20.0).abs() < 1e-9);
        let rows = analysis::breakdown(&s, &rs, &[c1], &GroupBy::Owner, Language::ZhCn).expect("owner");
        assert_eq!(rows[0].key.as_deref(), Some("王"));
    }

    /// Benchmark: the competitor's ratings run through the same tree; the like-for-like
    /// own CSI uses only the respondents who rated it. Hand case: own answers 5 and 3
    /// (CSI 80), only the first rated X with all 4 → X = 80, own among them = 100. Exact.
    #[test]
    fn benchmark_against_competitor() {
        let s = gas();
        let mut a = resp("a", 5.0, "p", None, Some(9));
        a.competitor_answers.insert("X".into(), a.answers.keys().map(|k| (k.clone(), 4.0)).collect());
        let rs = vec![a, resp("b", 3.0, "p", None, Some(3))];
        let p = SurveyParams { csi: super::CsiParams { resamples: 200, ..Default::default() }, ..Default::default() }.check().expect("params");
        let r = analysis::analyse(&s, &rs, &p).expect("analyse");
        assert!((r.csi.csi - 80.0).abs() < 1e-9);
        assert_eq!(r.benchmark.len(), 2);
        let x = &r.benchmark[1];
        assert_eq!((x.competitor.as_deref(), x.n), (Some("X"), 1));
        assert!((x.csi.expect("x") - 80.0).abs() < 1e-9);
        assert!((x.own_same_respondents.expect("own") - 100.0).abs() < 1e-9);
        let nps = r.nps.expect("nps");
        assert_eq!((nps.promoters, nps.detractors), (1, 1));
        assert_eq!(r.zones.expect("zones").points.len(), 2);
        let rep = r.repurchase.expect("repurchase");
        assert!((rep.mean_score - 80.0).abs() < 1e-9 && (rep.top_two_pct - 50.0).abs() < 1e-9);
        assert_eq!(r.alphas.len(), 3, "supply, repair and meter hold only questions");
    }

    /// Issue 13, defect 2: a questionnaire started and left without an answer was counted
    /// as a respondent (401 instead of 400) and moved the CSI interval (the bootstrap drew
    /// the blank row too). A blank response is a draft: the analysis, its breakdowns and
    /// the page counts (all through `responses_of`) leave it out.
    #[test]
    fn blank_response_is_not_counted() {
        let s = gas();
        let answered = vec![resp("a", 5.0, "p", None, Some(9)), resp("b", 3.0, "p", None, Some(3)), resp("c", 4.0, "p", None, None)];
        let blank = SurveyResponse { answers: BTreeMap::new(), repurchase: None, recommend: None, ..resp("z", 1.0, "p", None, None) };
        assert!(analysis::is_blank(&blank));
        let mut with_blank = answered.clone();
        with_blank.insert(1, blank);
        let p = SurveyParams { csi: super::CsiParams { resamples: 300, ..Default::default() }, ..Default::default() }.check().expect("params");
        let without = analysis::analyse(&s, &answered, &p).expect("analyse");
        let with = analysis::analyse(&s, &with_blank, &p).expect("analyse");
        assert_eq!(analysis::responses_of(&s, &with_blank).len(), 3);
        assert_eq!(with.respondents, 3);
        assert_eq!(with, without, "the blank draft changes nothing, intervals included");
        let rows = analysis::breakdown(&s, &with_blank, &[], &GroupBy::Period, Language::En).expect("breakdown");
        assert_eq!(rows[0].n, 3);
        // One "not applicable" answer is an answer: that respondent counts.
        let mut na = resp("n", 1.0, "p", None, None);
        na.answers = [("gas_quality".to_string(), None)].into_iter().collect();
        na.repurchase = None;
        assert!(!analysis::is_blank(&na));
    }

    /// Objective weights of the root's children use each respondent's group scores; equal
    /// columns give equal weights (hand case: every group scores the same per respondent).
    #[test]
    fn objective_weights_of_groups() {
        let s = gas();
        let rs = vec![resp("a", 5.0, "p", None, None), resp("b", 3.0, "p", None, None), resp("c", 2.0, "p", None, None)];
        let w = analysis::objective_weights(&s, &rs, "csi").expect("ok").expect("inner node");
        assert_eq!(w.children, vec!["supply", "repair", "meter"]);
        for rep in [w.entropy.expect("entropy"), w.cv.expect("cv")] {
            for x in &rep.weights {
                assert!((x - 1.0 / 3.0).abs() < 1e-12, "{rep:?}");
            }
        }
        assert!(analysis::objective_weights(&s, &rs, "gas_quality").expect("ok").is_none());
    }

    /// The ACSI and CCSI templates give valid path models (every block named in a path,
    /// no cycle) and the gas template none.
    #[test]
    fn templates_and_their_path_models() {
        for (t, blocks, paths) in [(Template::Acsi, 6, 9), (Template::Ccsi, 7, 12)] {
            let s = from_template(t, "S", "n", Language::En, ts());
            let m = analysis::pls_model(&s).expect("model");
            assert_eq!((m.blocks.len(), m.paths.len()), (blocks, paths));
            let leaves: Vec<String> = s.root.leaves().iter().map(|l| l.id.clone()).collect();
            let rows: Vec<Vec<f64>> = (0..20).map(|i| (0..leaves.len()).map(|j| ((i * 7 + j * 3) % 10 + 1) as f64).collect()).collect();
            let table = super::ItemTable::from_complete(leaves, rows).expect("table");
            m.check(&table).expect("valid model");
        }
        assert!(analysis::pls_model(&from_template(Template::NaturalGas, "S", "n", Language::En, ts())).is_none());
        // A block marked formative in the design is mode B; the others stay mode A.
        let mut s = from_template(Template::Acsi, "S", "n", Language::En, ts());
        let first = s.root.children[0].id.clone();
        s.design.formative.insert(first.clone());
        let m = analysis::pls_model(&s).expect("model");
        for b in &m.blocks {
            assert_eq!(b.mode, if b.name == first { super::pls::Mode::B } else { super::pls::Mode::A }, "{}", b.name);
        }
        let gas_en = from_template(Template::NaturalGas, "S", "n", Language::En, ts());
        assert_eq!(gas_en.root.find("supply").map(|n| n.label.as_str()), Some("Supply quality"));
    }

    /// Tree editing: add, move, remove, fresh ids, weight normalisation. Exact.
    #[test]
    fn tree_editing() {
        let mut t = crate::demo::gas_indicator_tree();
        let id = t.fresh_id("n");
        assert_eq!(id, "n1");
        assert!(t.add_child("meter", IndicatorNode { id: id.clone(), label: "x".into(), weight: 0.5, children: vec![] }));
        assert!(!t.find("meter").expect("meter").children_weights_sum_to_one());
        assert!(t.find_mut("meter").expect("meter").normalise_children());
        assert!((t.find("meter").expect("meter").children_weight_sum() - 1.0).abs() < 1e-12);
        assert!(t.move_by("n1", -10));
        assert_eq!(t.find("meter").expect("meter").children[0].id, "n1");
        assert!(!t.move_by("n1", -1));
        // Dragging onto a sibling takes its place; onto a node of another level does nothing.
        let meter: Vec<String> = t.find("meter").expect("meter").children.iter().map(|c| c.id.clone()).collect();
        let last = meter.last().expect("children").clone();
        assert!(t.move_to_sibling("n1", &last));
        assert_eq!(t.find("meter").expect("meter").children.last().map(|c| c.id.as_str()), Some("n1"));
        let first = t.find("meter").expect("meter").children[0].id.clone();
        assert!(t.move_to_sibling("n1", &first));
        assert_eq!(t.find("meter").expect("meter").children[0].id, "n1");
        assert_eq!(t.find("meter").expect("meter").children.len(), meter.len());
        assert!(!t.move_to_sibling("n1", "supply"));
        assert!(!t.move_to_sibling("n1", "n1"));
        assert_eq!(t.parent_of("n1").map(|p| p.id.as_str()), Some("meter"));
        assert!(t.remove("n1").is_some());
        assert!(t.remove("csi").is_none(), "the root cannot be removed");
        assert_eq!(t.leaves().len(), 8);
    }

    /// The chunked bootstrap gives exactly what `fit` gives with the same seed.
    #[test]
    fn chunked_bootstrap_equals_fit() {
        let t = ecsi();
        let m = super::ecsi_model(super::Mode::A).check(&t).expect("model");
        let p = PlsParams { scaled: false, resamples: 50, seed: 9, ..PlsParams::default() }.check().expect("params");
        let whole = pls::fit(&m, &t, &p, &mut |_, _| {}).expect("fit");
        let p0 = PlsParams { scaled: false, resamples: 0, seed: 9, ..PlsParams::default() }.check().expect("params");
        let mut chunked = pls::fit(&m, &t, &p0, &mut |_, _| {}).expect("fit");
        let mut run = PathBootstrapRun::new(&m, &t, &p).expect("run");
        while !run.is_done() {
            run.step(7);
        }
        run.finish(&mut chunked);
        assert_eq!(whole, chunked);
    }

    /// A bootstrap split over workers (any ranges, merged in any order) gives exactly what
    /// the whole run gives with the same seed; parts with a gap or an overlap are refused.
    #[test]
    fn split_bootstrap_equals_the_whole_run() {
        let t = ecsi();
        let m = super::ecsi_model(super::Mode::A).check(&t).expect("model");
        let p = PlsParams { resamples: 60, seed: 4, ..PlsParams::default() }.check().expect("params");
        let whole = pls::fit(&m, &t, &p, &mut |_, _| {}).expect("fit");
        let p0 = PlsParams { resamples: 0, seed: 4, ..PlsParams::default() }.check().expect("params");
        let part = |r: std::ops::Range<usize>| {
            let mut run = PathBootstrapRun::part(&m, &t, &p, r).expect("run");
            while !run.is_done() {
                run.step(5);
            }
            run.into_part()
        };
        for cuts in [vec![0, 60], vec![0, 30, 60], vec![0, 1, 17, 59, 60], vec![0, 20, 40, 60]] {
            let mut parts: Vec<_> = cuts.windows(2).map(|w| part(w[0]..w[1])).collect();
            parts.reverse();
            let mut merged = pls::fit(&m, &t, &p0, &mut |_, _| {}).expect("fit");
            pls::finish_parts(parts, &p, &mut merged).expect("merge");
            assert_eq!(whole, merged, "cuts {cuts:?}");
        }
        let mut r = pls::fit(&m, &t, &p0, &mut |_, _| {}).expect("fit");
        let gap = vec![part(0..20), part(30..60)];
        assert!(matches!(pls::finish_parts(gap, &p, &mut r), Err(pls::PlsError::IncompleteBootstrap { covered: 20, resamples: 60 })));
        let overlap = vec![part(0..40), part(30..60)];
        assert!(pls::finish_parts(overlap, &p, &mut r).is_err());
        let short = vec![part(0..40)];
        assert!(pls::finish_parts(short, &p, &mut r).is_err());
        assert!(r.bootstrap.is_none(), "a refused merge writes nothing");
    }
}

/// Stored weights: rounded to 4 places and still summing to exactly 1 (largest remainder;
/// hand-computed: thirds are 0.3334, 0.3333, 0.3333, the first of the tied remainders
/// taking the lost unit).
#[test]
fn rounded_weights_sum_to_one() {
    use super::weights::rounded;
    assert_eq!(rounded(&[1.0, 1.0, 1.0], 4).unwrap(), vec![0.3334, 0.3333, 0.3333]);
    assert_eq!(rounded(&[2.0, 1.0, 1.0], 4).unwrap(), vec![0.5, 0.25, 0.25]);
    // 1/7 = 0.142857…: floors 0.1428 × 7 = 0.9996, the four largest remainders get a unit.
    let w = rounded(&[1.0; 7], 4).unwrap();
    let units: i64 = w.iter().map(|x| (x * 10_000.0).round() as i64).sum();
    assert_eq!(units, 10_000);
    assert_eq!(w, vec![0.1429, 0.1429, 0.1429, 0.1429, 0.1428, 0.1428, 0.1428]);
    // 0.6666 / 0.3333 rounds naively to 0.6667 + 0.3333 = 1; a sum naive rounding breaks:
    let w = rounded(&[0.33335, 0.33335, 0.3333], 4).unwrap();
    assert_eq!((w.iter().map(|x| x * 10_000.0).sum::<f64>()).round(), 10_000.0);
    assert!(rounded(&[], 4).is_err());
    assert!(rounded(&[0.0, 0.0], 4).is_err());
    assert!(rounded(&[1.0, -1.0], 4).is_err());
}
