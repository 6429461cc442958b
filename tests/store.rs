//! Storage layer tests in headless Chromium (wasm-bindgen-test): records written to
//! IndexedDB read back equal; a replace is all-or-nothing; a failed transaction leaves
//! nothing half-written; snapshots keep the last three.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test store`
#![cfg(target_arch = "wasm32")]

use clientscope::store::{Db, SnapshotInfo, SnapshotReason};
use clientscope_core::demo::{generate, DemoParams};
use clientscope_core::model::{Customer, Dataset};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> Db {
    let _ = Db::delete_named(name).await;
    Db::open_named(name).await.expect("open test database")
}

fn small_demo() -> Dataset {
    generate(&DemoParams { customers: 60, ..Default::default() })
}

fn sorted(mut d: Dataset) -> Dataset {
    d.customers.sort_by(|a, b| a.id.cmp(&b.id));
    d.contacts.sort_by(|a, b| a.id.cmp(&b.id));
    d.orders.sort_by(|a, b| a.id.cmp(&b.id));
    d.interactions.sort_by(|a, b| a.id.cmp(&b.id));
    d.complaints.sort_by(|a, b| a.id.cmp(&b.id));
    d.surveys.sort_by(|a, b| a.id.cmp(&b.id));
    d.responses.sort_by(|a, b| a.id.cmp(&b.id));
    d
}

#[wasm_bindgen_test]
async fn replace_all_then_load_all_gives_back_the_same_records() {
    let db = fresh("cs-test-roundtrip").await;
    let d = small_demo();
    db.replace_all(&d, &|_, _| {}).await.expect("write");
    let back = db.load_all(&|_, _| {}).await.expect("read");
    assert_eq!(sorted(back), sorted(d.clone()));
    assert_eq!(db.counts().await.unwrap(), d.counts());
}

#[wasm_bindgen_test]
async fn put_get_and_delete_one_customer() {
    let db = fresh("cs-test-one").await;
    let d = small_demo();
    let mut c: Customer = d.customers[0].clone();
    c.name = "<img src=x onerror=alert(1)> 测试客户".into();
    db.put(&c).await.expect("put");
    let back: Option<Customer> = db.get(&c.id).await.expect("get");
    assert_eq!(back.as_ref(), Some(&c));
    let gone = Dataset { customers: vec![c.clone()], ..Default::default() };
    db.delete(&gone).await.expect("delete");
    let gone: Option<Customer> = db.get(&c.id).await.expect("get after delete");
    assert!(gone.is_none());
}

/// A transaction that fails part-way (here: adding a record whose id is already stored,
/// after other records were added in the same transaction) leaves nothing half-written.
#[wasm_bindgen_test]
async fn a_failed_transaction_leaves_nothing_half_written() {
    let db = fresh("cs-test-atomic").await;
    let d = small_demo();
    let existing = d.customers[5].clone();
    db.put(&existing).await.expect("seed one customer");
    let before = db.load_all(&|_, _| {}).await.unwrap();

    let mut batch = Dataset::default();
    batch.customers = d.customers[..5].to_vec(); // new ids: would be added …
    batch.customers.push(existing.clone()); // … but this one exists: the add fails
    batch.orders = d.orders.iter().filter(|o| o.customer_id == d.customers[0].id).cloned().collect();
    let result = db.add_all(&batch).await;
    assert!(result.is_err(), "adding an existing id must fail");

    let after = db.load_all(&|_, _| {}).await.unwrap();
    assert_eq!(after, before, "nothing of the failed batch may remain");
}

#[wasm_bindgen_test]
async fn replace_all_swaps_everything_and_snapshots_keep_the_last_three() {
    let db = fresh("cs-test-snapshots").await;
    let d = small_demo();
    db.replace_all(&d, &|_, _| {}).await.unwrap();
    db.replace_all(&Dataset::default(), &|_, _| {}).await.unwrap();
    assert_eq!(db.counts().await.unwrap().total(), 0);

    for i in 0..5 {
        let ts = chrono::DateTime::from_timestamp(1_700_000_000 + i * 60, 0).unwrap();
        let info = SnapshotInfo { key: format!("snap-{i}"), taken_at: ts, reason: SnapshotReason::Import, counts: d.counts() };
        db.save_snapshot(info, &format!("backup text {i}")).await.unwrap();
    }
    let snaps = db.snapshots().await.unwrap();
    assert_eq!(snaps.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), ["snap-4", "snap-3", "snap-2"]);
    assert_eq!(db.snapshot_text("snap-3").await.unwrap().as_deref(), Some("backup text 3"));
    assert_eq!(db.snapshot_text("snap-0").await.unwrap(), None, "pruned snapshots are deleted");
}

/// Order lines are stored per customer: deleting one customer's lines leaves the others,
/// the stored count follows, and adding them back (undo) restores the same data; adding a
/// line whose id is already stored fails and writes nothing.
#[wasm_bindgen_test]
async fn order_lines_per_customer_delete_and_add_back() {
    let db = fresh("cs-test-orders").await;
    let d = small_demo();
    db.replace_all(&d, &|_, _| {}).await.unwrap();
    let victim = d.customers[3].id.clone();
    let removed = Dataset {
        customers: d.customers.iter().filter(|c| c.id == victim).cloned().collect(),
        orders: d.orders.iter().filter(|o| o.customer_id == victim).cloned().collect(),
        ..Default::default()
    };
    assert!(!removed.orders.is_empty(), "the fixture customer has order lines");
    db.delete(&removed).await.unwrap();
    let c = db.counts().await.unwrap();
    assert_eq!(c.orders, d.orders.len() - removed.orders.len());
    assert_eq!(c.customers, d.customers.len() - 1);

    db.add_all(&removed).await.unwrap();
    assert_eq!(sorted(db.load_all(&|_, _| {}).await.unwrap()), sorted(d.clone()));

    let again = Dataset { orders: removed.orders[..1].to_vec(), ..Default::default() };
    assert!(db.add_all(&again).await.is_err(), "an order line id already stored");
    assert_eq!(db.counts().await.unwrap(), d.counts());

    // put_orders updates in place and adds new lines to the customer's group.
    let mut changed = removed.orders[0].clone();
    changed.amount = 12345.5;
    db.put_orders(&[changed.clone()]).await.unwrap();
    let back = db.load_all(&|_, _| {}).await.unwrap();
    assert_eq!(back.orders.iter().find(|o| o.id == changed.id), Some(&changed));
    assert_eq!(back.orders.len(), d.orders.len());
}

/// The import wizard's write: records are put by id (an updated customer replaced, a new
/// one added), order lines join their customer's stored group (new group for a new
/// customer; a line whose id is stored replaces it and is not counted twice), the line
/// count follows, and everything else is untouched.
#[wasm_bindgen_test]
async fn upsert_all_merges_records_and_order_line_groups() {
    let db = fresh("cs-test-upsert").await;
    let d = small_demo();
    db.replace_all(&d, &|_, _| {}).await.expect("seed");

    let mut batch = Dataset::default();
    let mut changed = d.customers[0].clone();
    changed.name = "导入更新的名称".into();
    let now = changed.updated_at;
    let newcomer = Customer::new("imp-N0000001", "导入新建客户", now);
    batch.customers = vec![newcomer.clone(), changed.clone()];
    let owner = d.orders[0].customer_id.clone();
    let mut into_existing = d.orders[0].clone();
    into_existing.id = "imp-O0000001".into();
    into_existing.amount = 123.0;
    let mut for_newcomer = d.orders[0].clone();
    for_newcomer.id = "imp-O0000002".into();
    for_newcomer.customer_id = newcomer.id.clone();
    let mut replaced = d.orders[1].clone();
    replaced.amount = 999.0;
    batch.orders = vec![into_existing.clone(), for_newcomer.clone(), replaced.clone()];
    let last = std::cell::Cell::new((0, 0));
    let progress = |done: usize, total: usize| last.set((done, total));
    db.upsert_all(&batch, &progress).await.expect("upsert");
    assert_eq!(last.get(), (5, 5), "progress ends at every record written");

    let back = db.load_all(&|_, _| {}).await.expect("read");
    let mut expected = d.clone();
    expected.customers[0] = changed;
    expected.customers.push(newcomer);
    expected.orders.push(into_existing);
    expected.orders.push(for_newcomer);
    if let Some(slot) = expected.orders.iter_mut().find(|o| o.id == replaced.id) {
        *slot = replaced;
    }
    assert_eq!(sorted(back), sorted(expected.clone()));
    assert_eq!(db.counts().await.unwrap(), expected.counts(), "the stored line count grew by the new lines only");
    assert!(d.orders.iter().any(|o| o.customer_id == owner));
}
