//! Browser benchmark (not a test): IndexedDB write and read, and backup export and parse,
//! for the demo set and for 100k customers + 1M order lines, in headless Chromium. Prints
//! figures; asserts only that the data came back complete.
//!
//! Run: `scripts/bench.sh` (release build: `cargo test --release --target
//! wasm32-unknown-unknown --test bench_store -- --nocapture`).
#![cfg(target_arch = "wasm32")]

use clientscope::store::Db;
use clientscope_core::orders::OrderTable;
use clientscope_core::backup;
use clientscope_core::demo::{generate, generate_large, DemoParams};
use clientscope_core::model::{Dataset, Settings};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

fn say(s: &str) {
    web_sys::console::log_1(&s.into());
}

/// What the app reads at start-up, timed: the records (customers first), then the lines.
async fn start_up_read(db: &Db) -> (Dataset, OrderTable, f64, f64) {
    let t = now();
    let records = db.load_records(&|_, _| {}).await.expect("read records");
    let records_ms = now() - t;
    let t = now();
    let lines = db.load_lines().await.expect("read lines");
    (records, lines, records_ms, now() - t)
}

async fn measure(label: &str, d: &Dataset) {
    let name = format!("cs-bench-{label}");
    let _ = Db::delete_named(&name).await;
    let db = Db::open_named(&name).await.expect("open");
    let n = d.counts().total();

    let t = now();
    let lines = OrderTable::from_rows(&d.orders);
    let table_ms = now() - t;
    let t = now();
    db.replace_all(d, &lines, &|_, _| {}).await.expect("write");
    let write_ms = now() - t;
    drop(lines);
    let (records, back, records_ms, lines_ms) = start_up_read(&db).await;
    let read_ms = records_ms + lines_ms;
    assert_eq!(records.customers.len(), d.customers.len());
    assert_eq!(back.len(), d.orders.len());
    drop((records, back));
    say(&format!(
        "bench {label}: start-up read: records (customers first, what the list needs) {records_ms:.0} ms, then {} order lines as typed arrays {lines_ms:.0} ms; rows to table {table_ms:.0} ms",
        d.orders.len()
    ));

    let t = now();
    let ts = chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap();
    let text = backup::export(d, &Settings::default(), "bench", ts).expect("export");
    let export_ms = now() - t;
    let t = now();
    let parsed = backup::parse(&text).expect("parse");
    let parse_ms = now() - t;
    assert_eq!(parsed.data.counts(), d.counts());
    say(&format!(
        "bench {label}: {n} records | IndexedDB write {write_ms:.0} ms ({:.0} rec/s), read {read_ms:.0} ms ({:.0} rec/s) | backup export {export_ms:.0} ms, parse+validate {parse_ms:.0} ms, {:.1} MB",
        n as f64 / write_ms * 1000.0,
        n as f64 / read_ms * 1000.0,
        text.len() as f64 / 1e6
    ));
    let _ = Db::delete_named(&name).await;
}

#[wasm_bindgen_test]
async fn bench_demo_set() {
    let d = generate(&DemoParams::default());
    measure("demo", &d).await;
}

#[wasm_bindgen_test]
async fn bench_200k_customers_2m_orders_start_up() {
    // The department size of SPEC §1: only the write and the start-up read (a backup of
    // this size is measured at 100k + 1M below).
    let end = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let d = generate_large(11, 200_000, 2_000_000, end);
    let name = "cs-bench-200k-2M";
    let _ = Db::delete_named(name).await;
    let db = Db::open_named(name).await.expect("open");
    let lines = OrderTable::from_rows(&d.orders);
    let t = now();
    db.replace_all(&d, &lines, &|_, _| {}).await.expect("write");
    let write_ms = now() - t;
    drop((d, lines));
    let (records, back, records_ms, lines_ms) = start_up_read(&db).await;
    say(&format!(
        "bench 200k-2M: IndexedDB write {write_ms:.0} ms | start-up read: {} customers {records_ms:.0} ms (the list is usable here), {} order lines as typed arrays {lines_ms:.0} ms more",
        records.customers.len(),
        back.len()
    ));
    let _ = Db::delete_named(name).await;
}

#[wasm_bindgen_test]
async fn bench_100k_customers_1m_orders() {
    let end = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let d = generate_large(7, 100_000, 1_000_000, end);
    measure("100k-1M", &d).await;
}
