//! A synthetic path-model survey for benchmarks: `blocks` first-level indicators of
//! `items` questions each on the 1-10 scale, a chain of structural paths (block k → block
//! k + 1) and `respondents` complete responses whose latent scores follow that chain
//! (lv_k = 0.6 · lv_{k−1} + U(−1, 1); answer = round(5.5 + 2 · lv_k + U(−1.5, 1.5)) clamped
//! to 1-10). Deterministic in the seed. Used by the native timing test and, written as a
//! backup by `cargo run --release -p clientscope-core --example satisfaction_bench_data`,
//! by the browser benchmark `tests/e2e/bench_satisfaction.mjs`.

use crate::model::{Dataset, IndicatorNode, Scale, Survey, SurveyDesign, SurveyResponse, Timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Id of the benchmark survey.
pub const BENCH_SURVEY_ID: &str = "B001";

/// The benchmark survey and its responses (see the module docs).
pub fn bench_dataset(seed: u64, respondents: usize, blocks: usize, items: usize, now: Timestamp) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let children: Vec<IndicatorNode> = (1..=blocks)
        .map(|b| IndicatorNode {
            id: format!("b{b}"),
            label: format!("潜变量 {b}"),
            weight: 1.0,
            children: (1..=items)
                .map(|i| IndicatorNode { id: format!("b{b}_{i}"), label: format!("题目 {b}.{i}"), weight: 1.0, children: vec![] })
                .collect(),
        })
        .collect();
    let paths = (1..blocks).map(|b| (format!("b{b}"), format!("b{}", b + 1))).collect();
    let survey = Survey {
        id: BENCH_SURVEY_ID.into(),
        name: format!("PLS benchmark {respondents} × {}", blocks * items),
        scale: Scale::OneToTen,
        root: IndicatorNode { id: "csi".into(), label: "CSI".into(), weight: 1.0, children },
        competitors: vec![],
        design: SurveyDesign { paths, satisfaction_node: Some(format!("b{blocks}")), ..SurveyDesign::default() },
        created_at: now,
        updated_at: now,
    };
    let date = now.date_naive();
    let responses = (0..respondents)
        .map(|r| {
            let mut answers = BTreeMap::new();
            let mut prev = 0.0_f64;
            for b in 1..=blocks {
                let lv = 0.6 * prev + rng.gen_range(-1.0..1.0);
                prev = lv;
                for i in 1..=items {
                    let x = (5.5 + 2.0 * lv + rng.gen_range(-1.5..1.5)).round().clamp(1.0, 10.0);
                    answers.insert(format!("b{b}_{i}"), Some(x));
                }
            }
            SurveyResponse {
                id: format!("RB{:06}", r + 1),
                survey_id: BENCH_SURVEY_ID.into(),
                customer_id: None,
                segment: BTreeMap::new(),
                date,
                period: "2025".into(),
                answers,
                competitor_answers: BTreeMap::new(),
                repurchase: None,
                recommend: Some(rng.gen_range(0..=10)),
                created_at: now,
                updated_at: now,
            }
        })
        .collect();
    Dataset { surveys: vec![survey], responses, ..Dataset::default() }
}
