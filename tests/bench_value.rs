//! Browser benchmark (not a test): the whole value analysis (ABC, RFM, BG/NBD and
//! Gamma-Gamma fits, CLV, matrices, grades, stages) on 100k customers and ~1M order lines
//! in release wasm in headless Chromium: the same set and code as the native
//! `value_full_size_timings`, so `scripts/bench.sh` prints the two side by side as a ratio.
//!
//! Run: `cargo test --release --target wasm32-unknown-unknown --test bench_value -- --nocapture`.
#![cfg(target_arch = "wasm32")]

use clientscope_core::demo::value_bench_set;
use clientscope_core::value::{analyse, TimeUnit, ValueParams};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

#[wasm_bindgen_test]
fn bench_value_analysis_100k_customers() {
    let big = value_bench_set();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    for unit in [TimeUnit::Week, TimeUnit::Day] {
        let mut p = ValueParams::new(as_of);
        p.unit = unit;
        let params = p.check().expect("valid");
        let t = now();
        let rep = analyse(&big.customers, &big.orders, &params).expect("analysis");
        let ms = now() - t;
        assert_eq!(rep.customers.len(), big.customers.len());
        assert!(rep.bgnbd.is_ok(), "{:?}", rep.bgnbd);
        web_sys::console::log_1(&format!("BENCH value-wasm-{} {ms:.1} ms ({} lines)", unit.as_str(), big.orders.len()).into());
    }
}
