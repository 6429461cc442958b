//! Browser benchmark (not a test): IndexedDB write and read, and backup export and parse,
//! for the demo set and for 100k customers + 1M order lines, in headless Chromium. Prints
//! figures; asserts only that the data came back complete.
//!
//! Run: `scripts/bench.sh` (release build: `WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/bench_webdriver.json
//! cargo test --release --target wasm32-unknown-unknown --test bench_store -- --nocapture`;
//! the JSON file asks Chromium for precise `performance.memory` figures and `gc()`).
#![cfg(target_arch = "wasm32")]

use clientscope::store::Db;
use clientscope_core::orders::OrderTable;
use clientscope_core::backup;
use clientscope_core::demo::{generate, generate_large, DemoParams};
use clientscope_core::model::{Dataset, Settings};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Counts the bytes the wasm heap holds (and the most it held since the last reset), so
/// that "memory after start" is what the start-up read keeps, not what generating the
/// benchmark data in the same page once took (wasm memory never shrinks).
struct Counting;
static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn grew(n: usize) {
    use std::sync::atomic::Ordering::Relaxed;
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc(l);
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        LIVE.fetch_sub(l.size(), std::sync::atomic::Ordering::Relaxed);
        std::alloc::System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, new: usize) -> *mut u8 {
        let q = std::alloc::System.realloc(p, l, new);
        if !q.is_null() {
            LIVE.fetch_sub(l.size(), std::sync::atomic::Ordering::Relaxed);
            grew(new);
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn mb(bytes: f64) -> f64 {
    bytes / 1_048_576.0
}

/// Live wasm heap (MB), its peak since the last reset, the wasm memory's size and the JS
/// heap (`performance.memory`, Chromium only).
fn memory_line() -> String {
    use std::sync::atomic::Ordering::Relaxed;
    let wasm = wasm_bindgen::memory().dyn_into::<js_sys::WebAssembly::Memory>().ok().and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok()).map(|b| b.byte_length() as f64).unwrap_or(0.0);
    let js = web_sys::window()
        .and_then(|w| w.performance())
        .and_then(|p| js_sys::Reflect::get(&p, &"memory".into()).ok())
        .and_then(|m| js_sys::Reflect::get(&m, &"usedJSHeapSize".into()).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN);
    let live = LIVE.load(Relaxed) as f64;
    format!(
        "wasm heap live {:.0} MB (peak during the read {:.0} MB), wasm memory {:.0} MB (high-water of the whole test page, data generation included), JS heap used {:.0} MB; live + JS heap {:.0} MB",
        mb(live),
        mb(PEAK.load(Relaxed) as f64),
        mb(wasm),
        mb(js),
        mb(live + js)
    )
}

fn reset_peak() {
    use std::sync::atomic::Ordering::Relaxed;
    PEAK.store(LIVE.load(Relaxed), Relaxed);
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

fn say(s: &str) {
    web_sys::console::log_1(&s.into());
}

/// What the app reads at start-up, timed: the records (customers first), then the lines.
async fn start_up_read(db: &Db) -> (Dataset, OrderTable, f64, f64) {
    let t = now();
    let records = db.load_records().await.expect("read records");
    let records_ms = now() - t;
    say(&format!("bench: after the records: {}", memory_line()));
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

/// Where the customers' read goes (version 3: buckets of JSON bytes): getAll, the bytes
/// into wasm, the JSON parse, the sort by id (the store's own read does the same steps).
async fn profile_customers(name: &str) {
    use clientscope_core::model::Customer;
    let raw = rexie::Rexie::builder(name).build().await.expect("raw open");
    let t = now();
    let tx = raw.transaction(&["customers"], rexie::TransactionMode::ReadOnly).unwrap();
    let values = tx.store("customers").unwrap().get_all(None, None).await.unwrap();
    tx.done().await.unwrap();
    let getall_ms = now() - t;
    let t = now();
    let bytes: Vec<Vec<u8>> = values.iter().map(|v| v.dyn_ref::<js_sys::Uint8Array>().expect("a bucket").to_vec()).collect();
    let copy_ms = now() - t;
    let size: usize = bytes.iter().map(Vec::len).sum();
    let t = now();
    let mut all: Vec<Customer> = Vec::new();
    for b in &bytes {
        all.extend(serde_json::from_slice::<Vec<Customer>>(b).unwrap());
    }
    let parse_ms = now() - t;
    let t = now();
    all.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let sort_ms = now() - t;
    raw.close();
    say(&format!(
        "bench 200k-2M profile: {} customers in {} buckets: getAll {getall_ms:.0} ms, bytes into wasm {copy_ms:.0} ms ({:.1} MB JSON), JSON parse {parse_ms:.0} ms, plain sort by id {sort_ms:.0} ms (the store sorts positions instead)",
        all.len(),
        values.len(),
        size as f64 / 1e6
    ));
}

/// Runs the JS garbage collector when the browser exposes it (`--js-flags=--expose-gc`,
/// set by tests/bench_webdriver.json), so that the JS heap figure is what start-up keeps,
/// not what it left for the collector.
fn collect_garbage() -> bool {
    let global = js_sys::global();
    match js_sys::Reflect::get(&global, &"gc".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        Some(gc) => gc.call0(&global).is_ok(),
        None => false,
    }
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
    profile_customers(name).await;
    reset_peak();
    let (records, back, records_ms, lines_ms) = start_up_read(&db).await;
    say(&format!(
        "bench 200k-2M: IndexedDB write {write_ms:.0} ms | start-up read: {} customers {records_ms:.0} ms (the list is usable here), {} order lines as typed arrays {lines_ms:.0} ms more",
        records.customers.len(),
        back.len()
    ));
    say(&format!("bench 200k-2M: memory after start: {}", memory_line()));
    if collect_garbage() {
        say(&format!("bench 200k-2M: memory after start, after a JS garbage collection: {}", memory_line()));
    }
    drop((records, back));
    let _ = Db::delete_named(name).await;
}

#[wasm_bindgen_test]
async fn bench_100k_customers_1m_orders() {
    let end = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let d = generate_large(7, 100_000, 1_000_000, end);
    measure("100k-1M", &d).await;
}
