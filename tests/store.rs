//! Storage layer tests in headless Chromium (wasm-bindgen-test): records written to
//! IndexedDB read back equal; a replace is all-or-nothing; a failed transaction leaves
//! nothing half-written; snapshots keep the last three; order lines are stored as chunks of
//! typed arrays (only the touched chunks rewritten, a damaged chunk refused at start-up), the
//! other records in buckets (a damaged bucket refused too); databases in version 1's layout
//! (lines per customer as JSON) and version 2's (one JSON text per record) are migrated on
//! open.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test store`
#![cfg(target_arch = "wasm32")]

use clientscope::store::db::LineWrite;
use clientscope::store::{Db, SnapshotInfo, SnapshotReason, StoreError};
use clientscope_core::demo::{generate, DemoParams};
use clientscope_core::model::{Customer, Dataset, OrderLine};
use clientscope_core::orders::{OrderTable, CHUNK_LINES};
use clientscope::worker::protocol::{decode, encode, encode_named, FileBody, Opened, OutcomeRows, Reply, OUTCOME_ROWS};
use clientscope_core::io::import::{ImportOutcome, MergeRule};
use clientscope_core::io::mapping::ImportKind;
use clientscope_core::io::table::FileFormat;
use clientscope_core::model::Timestamp;
use clientscope_core::io::import::{import_table, ImportContext};
use clientscope_core::io::mapping::suggest;
use clientscope_core::io::table::read_table;
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
    db.replace_all(&d, &OrderTable::from_rows(&d.orders), &|_, _| {}).await.expect("write");
    let back = db.load_all().await.expect("read");
    assert_eq!(sorted(back), sorted(d.clone()));
    assert_eq!(db.counts().await.unwrap(), d.counts());
}

/// 30,000 customers go into their buckets in slices, the browser getting its turn between
/// them by a request awaited inside the write transaction (`records::breathe`): the write
/// takes breaks, its transaction survives them (a break that let it commit would fail the
/// write), and every customer is read back, in id order, by a read that takes breaks too
/// (`records::yield_task`, once its transaction is over).
#[wasm_bindgen_test]
async fn a_large_write_takes_breaks_and_keeps_its_transaction() {
    let db = fresh("cs-test-breaks").await;
    let base = Customer { referred_by: None, referred_by_contact: None, ..small_demo().customers[0].clone() };
    let customers: Vec<Customer> = (0..30_000).map(|i| Customer { id: format!("S{i:05}"), name: format!("客户{i}"), ..base.clone() }).collect();
    let d = Dataset { customers, ..Dataset::default() };
    let before = clientscope::store::records::breaks_taken();
    db.replace_all(&d, &OrderTable::default(), &|_, _| {}).await.expect("write");
    assert!(clientscope::store::records::breaks_taken() > before, "the write took no break");
    let reads = clientscope::store::records::breaks_taken();
    let back = db.load_all().await.expect("read");
    assert!(clientscope::store::records::breaks_taken() > reads, "the read took no break");
    assert_eq!(back.customers.len(), 30_000);
    // Read in id order: sorted in two parts (25,000 each at most) and merged.
    assert!(back.customers.windows(2).all(|w| w[0].id < w[1].id), "not in id order");
    assert_eq!(sorted(back).customers, d.customers);
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
    db.delete(&gone, LineWrite::Keep).await.expect("delete");
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
    let before = db.load_all().await.unwrap();

    let mut batch = Dataset::default();
    batch.customers = d.customers[..5].to_vec(); // new ids: would be added …
    batch.customers.push(existing.clone()); // … but this one exists: the add fails
    let lines = OrderTable::from_rows(&d.orders.iter().filter(|o| o.customer_id == d.customers[0].id).cloned().collect::<Vec<_>>());
    let result = db.add_all(&batch, LineWrite::All(&lines)).await;
    assert!(result.is_err(), "adding an existing id must fail");

    let after = db.load_all().await.unwrap();
    assert_eq!(after, before, "nothing of the failed batch may remain");
}

#[wasm_bindgen_test]
async fn replace_all_swaps_everything_and_snapshots_keep_the_last_three() {
    let db = fresh("cs-test-snapshots").await;
    let d = small_demo();
    db.replace_all(&d, &OrderTable::from_rows(&d.orders), &|_, _| {}).await.unwrap();
    db.replace_all(&Dataset::default(), &OrderTable::default(), &|_, _| {}).await.unwrap();
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

/// Deleting one customer's lines leaves the others, the stored count follows, and adding
/// them back (undo) restores the same data; an edit of one line is stored.
#[wasm_bindgen_test]
async fn order_lines_delete_add_back_and_edit() {
    let db = fresh("cs-test-orders").await;
    let d = small_demo();
    let mut lines = OrderTable::from_rows(&d.orders);
    db.replace_all(&d, &lines, &|_, _| {}).await.unwrap();
    let victim = d.customers[3].id.clone();
    let removed = Dataset { customers: d.customers.iter().filter(|c| c.id == victim).cloned().collect(), orders: lines.rows_of(&victim), ..Default::default() };
    assert!(!removed.orders.is_empty(), "the fixture customer has order lines");
    let change = lines.remove_customers(&[victim.as_str()].into_iter().collect());
    db.delete(&removed, LineWrite::Changed(&lines, &change)).await.unwrap();
    let c = db.counts().await.unwrap();
    assert_eq!(c.orders, d.orders.len() - removed.orders.len());
    assert_eq!(c.customers, d.customers.len() - 1);
    assert_eq!(db.load_lines().await.unwrap().checksum(), lines.checksum());

    let change = lines.insert_new(&removed.orders).expect("new ids");
    db.add_all(&removed, LineWrite::Changed(&lines, &change)).await.unwrap();
    assert_eq!(sorted(db.load_all().await.unwrap()), sorted(d.clone()));

    let mut changed = removed.orders[0].clone();
    changed.amount = 12345.5;
    let change = lines.upsert(&[changed.clone()]);
    db.put_lines(LineWrite::Changed(&lines, &change)).await.unwrap();
    let back = db.load_all().await.unwrap();
    assert_eq!(back.orders.iter().find(|o| o.id == changed.id), Some(&changed));
    assert_eq!(back.orders.len(), d.orders.len());
}

fn synthetic_lines(n: usize, prefix: &str) -> Vec<OrderLine> {
    let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    (0..n).map(|i| OrderLine::new(format!("{prefix}{i}"), format!("C{}", i % 997), day + chrono::Days::new((i % 400) as u64), (i % 1000) as f64 * 1.25, at)).collect()
}

/// Three chunks of lines: an edit in the middle chunk, an append and a removal each rewrite
/// only what they touched, and what is read back is the table in memory, line for line.
#[wasm_bindgen_test]
async fn chunked_lines_follow_every_change() {
    let db = fresh("cs-test-chunks").await;
    let mut lines = OrderTable::from_rows(&synthetic_lines(2 * CHUNK_LINES + 100, "L"));
    db.replace_all(&Dataset::default(), &lines, &|_, _| {}).await.unwrap();
    assert_eq!(db.load_lines().await.unwrap().checksum(), lines.checksum());
    let mut edit = lines.row(CHUNK_LINES + 7);
    edit.amount = -3.5;
    edit.product = "新产品".into();
    let change = lines.upsert(&[edit]);
    assert_eq!(change.chunks, vec![1]);
    db.put_lines(LineWrite::Changed(&lines, &change)).await.unwrap();
    assert_eq!(db.load_lines().await.unwrap().checksum(), lines.checksum());
    let change = lines.upsert(&synthetic_lines(CHUNK_LINES, "M"));
    db.put_lines(LineWrite::Changed(&lines, &change)).await.unwrap();
    assert_eq!(db.counts().await.unwrap().orders, 3 * CHUNK_LINES + 100);
    assert_eq!(db.load_lines().await.unwrap().checksum(), lines.checksum());
    // Removing every line of the first 997 customers but one shrinks the table to one chunk.
    let keep = "C5";
    let gone: Vec<String> = (0..997).map(|c| format!("C{c}")).filter(|c| c != keep).collect();
    let change = lines.remove_customers(&gone.iter().map(String::as_str).collect());
    assert_eq!(lines.chunk_count(), 1);
    db.put_lines(LineWrite::Changed(&lines, &change)).await.unwrap();
    let back = db.load_lines().await.unwrap();
    assert_eq!(back.checksum(), lines.checksum());
    assert_eq!(db.counts().await.unwrap().orders, lines.len());
}

/// A stored chunk changed behind the app's back (disk damage, another program) is refused
/// at start-up, naming the chunk, instead of feeding wrong figures to the analyses.
#[wasm_bindgen_test]
async fn a_damaged_chunk_is_refused() {
    let name = "cs-test-damage";
    let db = fresh(name).await;
    let lines = OrderTable::from_rows(&synthetic_lines(CHUNK_LINES + 10, "L"));
    db.replace_all(&Dataset::default(), &lines, &|_, _| {}).await.unwrap();
    db.close();
    let raw = rexie::Rexie::builder(name).build().await.unwrap();
    let tx = raw.transaction(&["order_chunks"], rexie::TransactionMode::ReadWrite).unwrap();
    let store = tx.store("order_chunks").unwrap();
    let chunk = store.get(wasm_bindgen::JsValue::from(1u32)).await.unwrap().unwrap();
    let amount: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"amount".into()).unwrap().into();
    amount.set_index(3, amount.get_index(3) ^ 0x40);
    store.put(&chunk, Some(&wasm_bindgen::JsValue::from(1u32))).await.unwrap();
    tx.done().await.unwrap();
    raw.close();
    let db = Db::open_named(name).await.unwrap();
    match db.load_lines().await {
        Err(StoreError::Corrupt { store, key, .. }) => assert_eq!((store.as_str(), key.as_str()), ("order_chunks", "1")),
        other => panic!("expected a corrupt chunk, got {:?}", other.map(|t| t.len())),
    }
}

/// A database written by version 1 (order lines per customer as JSON arrays in `orders`,
/// their count in `meta`) opens with today's code: the lines are moved into chunks once,
/// every record reads back equal, and the old store is left empty.
#[wasm_bindgen_test]
async fn a_version_1_database_is_migrated_on_open() {
    let name = "cs-test-migrate";
    let _ = Db::delete_named(name).await;
    let d = small_demo();
    // Today's layout, written the way version 1 wrote it.
    let mut builder = rexie::Rexie::builder(name).version(1);
    for store in ["customers", "contacts", "orders", "interactions", "complaints", "surveys", "responses", "meta", "snapshots"] {
        builder = builder.add_object_store(rexie::ObjectStore::new(store));
    }
    let v1 = builder.build().await.unwrap();
    let tx = v1.transaction(&["customers", "contacts", "orders", "interactions", "complaints", "surveys", "responses", "meta"], rexie::TransactionMode::ReadWrite).unwrap();
    async fn put_json<T: serde::Serialize>(store: &rexie::Store, key: &str, v: &T) {
        let json = serde_json::to_string(v).unwrap();
        store.put(&wasm_bindgen::JsValue::from_str(&json), Some(&wasm_bindgen::JsValue::from_str(key))).await.unwrap();
    }
    async fn put_all<T: serde::Serialize + clientscope_core::model::Record>(tx: &rexie::Transaction, records: &[T]) {
        let store = tx.store(T::KIND.store_name()).unwrap();
        for r in records {
            put_json(&store, r.id(), r).await;
        }
    }
    put_all(&tx, &d.customers).await;
    put_all(&tx, &d.contacts).await;
    put_all(&tx, &d.interactions).await;
    put_all(&tx, &d.complaints).await;
    put_all(&tx, &d.surveys).await;
    put_all(&tx, &d.responses).await;
    let mut groups: std::collections::BTreeMap<&str, Vec<&OrderLine>> = Default::default();
    for o in &d.orders {
        groups.entry(o.customer_id.as_str()).or_default().push(o);
    }
    for (customer, group) in &groups {
        put_json(&tx.store("orders").unwrap(), customer, group).await;
    }
    let meta = tx.store("meta").unwrap();
    meta.put(&wasm_bindgen::JsValue::from_str(&d.orders.len().to_string()), Some(&wasm_bindgen::JsValue::from_str("order_lines"))).await.unwrap();
    tx.done().await.unwrap();
    v1.close();
    assert!(!d.orders.is_empty());

    let db = Db::open_named(name).await.expect("opens and migrates");
    assert_eq!(db.counts().await.unwrap(), d.counts());
    let back = db.load_all().await.unwrap();
    assert_eq!(sorted(back), sorted(d.clone()));
    db.close();
    // Opened again: nothing left to migrate, the same data.
    let raw = rexie::Rexie::builder(name).build().await.unwrap();
    let tx = raw.transaction(&["orders"], rexie::TransactionMode::ReadOnly).unwrap();
    assert_eq!(tx.store("orders").unwrap().count(None).await.unwrap(), 0, "the old store is emptied");
    tx.done().await.unwrap();
    raw.close();
    let db = Db::open_named(name).await.unwrap();
    assert_eq!(sorted(db.load_all().await.unwrap()), sorted(d));
}

/// The import wizard's write: records are put by id (an updated customer replaced, a new
/// one added), order lines join their customer's stored group (new group for a new
/// customer; a line whose id is stored replaces it and is not counted twice), the line
/// count follows, and everything else is untouched.
#[wasm_bindgen_test]
async fn upsert_all_merges_records_and_order_line_groups() {
    let db = fresh("cs-test-upsert").await;
    let d = small_demo();
    db.replace_all(&d, &OrderTable::from_rows(&d.orders), &|_, _| {}).await.expect("seed");

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
    let mut lines = OrderTable::from_rows(&d.orders);
    let change = lines.upsert(&batch.orders);
    db.upsert_all(&batch, LineWrite::Changed(&lines, &change), &progress).await.expect("upsert");
    assert_eq!(last.get().0, last.get().1, "progress ends at the total");
    assert!(last.get().0 >= 2, "the records and the lines' chunk are counted");

    let back = db.load_all().await.expect("read");
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

/// A database written by version 2 (one JSON text per record keyed by id; order lines
/// already in chunks of typed arrays) opens with today's code: every kind is moved into
/// buckets once, every record and line reads back equal, a later edit lands, and no
/// per-record value is left behind.
#[wasm_bindgen_test]
async fn a_version_2_database_is_migrated_on_open() {
    use js_sys::{Object, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    let name = "cs-test-migrate-v2";
    let _ = Db::delete_named(name).await;
    let d = small_demo();
    let mut builder = rexie::Rexie::builder(name).version(2);
    for store in ["customers", "contacts", "orders", "interactions", "complaints", "surveys", "responses", "meta", "snapshots", "order_chunks", "order_dicts"] {
        builder = builder.add_object_store(rexie::ObjectStore::new(store));
    }
    let v2 = builder.build().await.unwrap();
    let all = ["customers", "contacts", "interactions", "complaints", "surveys", "responses", "meta", "order_chunks", "order_dicts"];
    let tx = v2.transaction(&all, rexie::TransactionMode::ReadWrite).unwrap();
    async fn put_all<T: serde::Serialize + clientscope_core::model::Record>(tx: &rexie::Transaction, records: &[T]) {
        let store = tx.store(T::KIND.store_name()).unwrap();
        for r in records {
            let json = serde_json::to_string(r).unwrap();
            store.put(&JsValue::from_str(&json), Some(&JsValue::from_str(r.id()))).await.unwrap();
        }
    }
    put_all(&tx, &d.customers).await;
    put_all(&tx, &d.contacts).await;
    put_all(&tx, &d.interactions).await;
    put_all(&tx, &d.complaints).await;
    put_all(&tx, &d.surveys).await;
    put_all(&tx, &d.responses).await;
    // The lines as version 2 wrote them: one object of `Uint8Array` columns per chunk, the
    // dictionaries as text + end offsets, the count and fingerprints in `meta`.
    let table = OrderTable::from_rows(&d.orders);
    let set = |o: &Object, k: &str, v: &JsValue| Reflect::set(o, &k.into(), v).unwrap();
    let chunks = tx.store("order_chunks").unwrap();
    let mut prints = Vec::new();
    for k in 0..table.chunk_count() {
        let c = table.chunk(k);
        let o = Object::new();
        set(&o, "index", &JsValue::from(c.index));
        set(&o, "lines", &JsValue::from(c.lines));
        set(&o, "id_text", &JsValue::from_str(&c.id_text));
        let cols = [&c.customer, &c.day, &c.amount, &c.profit, &c.profit_known, &c.quantity, &c.quantity_known, &c.order_no, &c.product, &c.category, &c.channel, &c.id_end, &c.created_ns, &c.updated_ns];
        let names = ["customer", "day", "amount", "profit", "profit_known", "quantity", "quantity_known", "order_no", "product", "category", "channel", "id_end", "created_ns", "updated_ns"];
        for (n, col) in names.iter().zip(cols) {
            set(&o, n, &Uint8Array::from(col.as_slice()).into());
        }
        chunks.put(&o.into(), Some(&JsValue::from(k as u32))).await.unwrap();
        prints.push(format!("{:016x}", c.fingerprint()));
    }
    let dicts = tx.store("order_dicts").unwrap();
    let all_dicts = table.dictionaries();
    for (n, list) in ["customers", "order_nos", "products", "categories", "channels"].iter().zip(all_dicts.lists()) {
        let (text, ends) = clientscope_core::orders::Dictionaries::pack(list);
        let o = Object::new();
        set(&o, "text", &JsValue::from_str(&text));
        set(&o, "ends", &Uint8Array::from(ends.as_slice()).into());
        dicts.put(&o.into(), Some(&JsValue::from_str(n))).await.unwrap();
    }
    let meta = tx.store("meta").unwrap();
    let put_meta = |k: &str, v: String| {
        let meta = &meta;
        let k = k.to_string();
        async move { meta.put(&JsValue::from_str(&v), Some(&JsValue::from_str(&k))).await.unwrap() }
    };
    put_meta("order_lines", table.len().to_string()).await;
    put_meta("order_fingerprints", serde_json::to_string(&prints).unwrap()).await;
    put_meta("order_layout", "2".into()).await;
    tx.done().await.unwrap();
    v2.close();
    assert!(!d.orders.is_empty() && !d.contacts.is_empty() && !d.responses.is_empty());

    let db = Db::open_named(name).await.expect("opens and migrates");
    assert_eq!(db.counts().await.unwrap(), d.counts());
    assert_eq!(sorted(db.load_all().await.unwrap()), sorted(d.clone()));
    assert_eq!(db.load_customers().await.unwrap(), sorted(d.clone()).customers, "customers come back in id order");
    let mut edited = d.customers[7].clone();
    edited.name = "迁移后修改".into();
    db.put(&edited).await.unwrap();
    db.close();

    // Opened again: nothing left to migrate; the edit is there; no value is a JSON text.
    let raw = rexie::Rexie::builder(name).build().await.unwrap();
    let tx = raw.transaction(&["customers", "responses"], rexie::TransactionMode::ReadOnly).unwrap();
    for store in ["customers", "responses"] {
        let values = tx.store(store).unwrap().get_all(None, None).await.unwrap();
        assert!(!values.is_empty() && values.iter().all(|v| v.is_instance_of::<Uint8Array>()), "{store} holds buckets only");
    }
    assert!(tx.store("customers").unwrap().get(JsValue::from_str(&d.customers[0].id)).await.unwrap().filter(|v| !v.is_undefined()).is_none());
    tx.done().await.unwrap();
    raw.close();
    let db = Db::open_named(name).await.unwrap();
    let mut expected = d.clone();
    expected.customers[7] = edited.clone();
    assert_eq!(sorted(db.load_all().await.unwrap()), sorted(expected));
    assert_eq!(db.get::<Customer>(&edited.id).await.unwrap(), Some(edited));
}

/// The small demo stored in a fresh database by the app, then the database opened raw (to
/// change what is stored behind the app's back).
async fn stored_demo_opened_raw(name: &str) -> (Dataset, rexie::Rexie) {
    let db = fresh(name).await;
    let d = small_demo();
    db.replace_all(&d, &OrderTable::from_rows(&d.orders), &|_, _| {}).await.unwrap();
    db.close();
    (d, rexie::Rexie::builder(name).build().await.unwrap())
}

/// A bucket of customers changed behind the app's back is refused at start-up, naming the
/// store and the bucket, like a damaged chunk of order lines.
#[wasm_bindgen_test]
async fn a_damaged_bucket_is_refused() {
    let name = "cs-test-bucket-damage";
    let (_, raw) = stored_demo_opened_raw(name).await;
    let tx = raw.transaction(&["customers"], rexie::TransactionMode::ReadWrite).unwrap();
    let store = tx.store("customers").unwrap();
    let keys = store.get_all_keys(None, Some(1)).await.unwrap();
    let bucket = store.get(keys[0].clone()).await.unwrap().unwrap();
    let bytes: js_sys::Uint8Array = bucket.clone().into();
    bytes.set_index(bytes.length() - 2, bytes.get_index(bytes.length() - 2) ^ 0x01);
    store.put(&bucket, Some(&keys[0])).await.unwrap();
    tx.done().await.unwrap();
    raw.close();
    let db = Db::open_named(name).await.unwrap();
    match db.load_records().await {
        Err(StoreError::Corrupt { store, key, .. }) => assert_eq!((store.as_str(), key), ("customers", format!("{}", keys[0].as_f64().unwrap() as u32))),
        other => panic!("expected a corrupt bucket, got {:?}", other.map(|d| d.customers.len())),
    }
}

/// Version 3 wrote every bucket as JSON; version 4 writes them compact (MessagePack) and
/// reads both. Here half of the stored customer and contact buckets are turned back into
/// version 3's JSON (with their fingerprints in `meta`): everything reads back the same,
/// and a bucket written again is compact.
#[wasm_bindgen_test]
async fn json_buckets_of_version_3_still_read_and_become_compact_when_written() {
    use clientscope::store::records::fingerprint;
    use clientscope_core::model::{bucket, Contact};
    use wasm_bindgen::JsValue;
    let name = "cs-test-json-buckets";
    let (d, raw) = stored_demo_opened_raw(name).await;
    let tx = raw.transaction(&["customers", "contacts", "meta"], rexie::TransactionMode::ReadWrite).unwrap();
    let meta = tx.store("meta").unwrap();
    let mut turned = 0;
    for kind in ["customers", "contacts"] {
        let store = tx.store(kind).unwrap();
        let key = JsValue::from_str(&format!("records:{kind}"));
        let mut info: serde_json::Value = serde_json::from_str(&meta.get(key.clone()).await.unwrap().unwrap().as_string().unwrap()).unwrap();
        let keys = store.get_all_keys(None, None).await.unwrap();
        for k in keys.iter().step_by(2) {
            let bytes = js_sys::Uint8Array::from(store.get(k.clone()).await.unwrap().unwrap()).to_vec();
            assert!(bytes[0] != b'[', "version 4 writes compact buckets");
            let json = if kind == "customers" {
                serde_json::to_vec(&<Customer as bucket::Bucketed>::decode_bucket(&bytes).unwrap()).unwrap()
            } else {
                serde_json::to_vec(&<Contact as bucket::Bucketed>::decode_bucket(&bytes).unwrap()).unwrap()
            };
            store.put(&js_sys::Uint8Array::from(json.as_slice()).into(), Some(k)).await.unwrap();
            info["fingerprints"][(k.as_f64().unwrap() as u32).to_string()] = serde_json::Value::String(fingerprint(&json));
            turned += 1;
        }
        meta.put(&JsValue::from_str(&info.to_string()), Some(&key)).await.unwrap();
    }
    tx.done().await.unwrap();
    raw.close();
    assert!(turned > 10, "some buckets were turned into JSON");
    let db = Db::open_named(name).await.unwrap();
    let back = db.load_all().await.expect("JSON and compact buckets both read");
    let want = sorted(d.clone());
    let back = sorted(back);
    assert_eq!(back.customers, want.customers);
    assert_eq!(back.contacts, want.contacts);
    // Every customer saved again: all its buckets are compact afterwards, and still read.
    for c in &d.customers {
        db.put_checked(c, None).await.unwrap();
    }
    db.close();
    let raw = rexie::Rexie::builder(name).build().await.unwrap();
    let tx = raw.transaction(&["customers"], rexie::TransactionMode::ReadOnly).unwrap();
    for v in tx.store("customers").unwrap().get_all(None, None).await.unwrap() {
        assert!(js_sys::Uint8Array::from(v).get_index(0) != b'[', "a written bucket is compact");
    }
    tx.done().await.unwrap();
    raw.close();
    let db = Db::open_named(name).await.unwrap();
    assert_eq!(sorted(db.load_all().await.unwrap()).customers, want.customers);
}

/// A large write notes itself in `meta` before it starts and removes the note when it
/// ends; a note left behind (the browser was killed during the write, simulated here by
/// writing the note alone) is reported once at the next start, then gone.
#[wasm_bindgen_test]
async fn a_large_write_cut_off_is_reported_once() {
    let name = "cs-test-interrupted";
    let db = fresh(name).await;
    db.replace_all(&small_demo(), &OrderTable::default(), &|_, _| {}).await.unwrap();
    assert_eq!(db.take_interrupted_write().await.unwrap(), None, "a finished write leaves no note");
    db.close();
    let raw = rexie::Rexie::builder(name).build().await.unwrap();
    let tx = raw.transaction(&["meta"], rexie::TransactionMode::ReadWrite).unwrap();
    let at = "2026-12-05T08:00:00+00:00";
    tx.store("meta").unwrap().put(&wasm_bindgen::JsValue::from_str(at), Some(&wasm_bindgen::JsValue::from_str("large_write_started"))).await.unwrap();
    tx.done().await.unwrap();
    raw.close();
    let db = Db::open_named(name).await.unwrap();
    assert_eq!(db.load_records().await.unwrap().customers.len(), 60, "the records are all there");
    assert_eq!(db.take_interrupted_write().await.unwrap().as_deref(), Some(at));
    assert_eq!(db.take_interrupted_write().await.unwrap(), None, "reported once");
}

/// A save that names the `updated_at` it read is refused when the stored record moved on
/// (another tab saved it) or is gone (another tab deleted it), writing nothing; with the
/// current `updated_at` it is written.
#[wasm_bindgen_test]
async fn a_save_of_a_record_changed_or_deleted_elsewhere_is_refused() {
    let db = fresh("cs-test-conflict").await;
    let d = small_demo();
    db.replace_all(&d, &OrderTable::from_rows(&d.orders), &|_, _| {}).await.unwrap();
    let read = d.customers[0].clone();
    // Another tab saves it a second later.
    let mut theirs = read.clone();
    theirs.city = "甲市".into();
    theirs.updated_at = read.updated_at + chrono::Duration::seconds(1);
    db.put_checked(&theirs, Some(read.updated_at)).await.unwrap();
    // This tab saves the copy it read: refused, their city stays.
    let mut mine = read.clone();
    mine.owner = "乙".into();
    mine.updated_at = read.updated_at + chrono::Duration::seconds(2);
    assert_eq!(db.put_checked(&mine, Some(read.updated_at)).await, Err(StoreError::Changed { at: theirs.updated_at }));
    assert_eq!(db.get::<Customer>(&read.id).await.unwrap().unwrap().city, "甲市");
    // Overwriting what it now knows is there succeeds.
    db.put_checked(&mine, Some(theirs.updated_at)).await.unwrap();
    assert_eq!(db.get::<Customer>(&read.id).await.unwrap().unwrap().owner, "乙");
    // Deleted elsewhere: refused, and the customer does not come back.
    let gone = Dataset { customers: vec![mine.clone()], ..Default::default() };
    db.delete(&gone, LineWrite::Keep).await.unwrap();
    assert_eq!(db.put_checked(&mine, Some(mine.updated_at)).await, Err(StoreError::Deleted));
    assert!(db.get::<Customer>(&read.id).await.unwrap().is_none());
    assert_eq!(db.counts().await.unwrap().customers, d.customers.len() - 1);
}

/// The worker sends a value report's per-customer columns in slices before the rest
/// (`Reply::CustomerPart`); joined again on the page they give the same report, whatever
/// the slice size (one row, a few, more than there are).
#[wasm_bindgen_test]
fn value_report_rows_in_slices_join_to_the_same_report() {
    use clientscope::worker::protocol::{self, ReportRows, Reply};
    use clientscope_core::value::{analyse, ValueParams};
    let d = small_demo();
    let as_of = d.orders.iter().map(|l| l.date).max().expect("demo has orders");
    let params = ValueParams::new(as_of).check().expect("valid parameters");
    let report = analyse(&d.customers, &d.orders, &params).expect("analysis runs");
    assert_eq!(report.customers.len(), 60);
    // (first, most) → the slices' lengths: 1 2 4 8 16 29; eight of 7 and one of 4; all 60.
    for (rows, count) in [((1, 64), 6), ((7, 7), 9), (protocol::PART_ROWS, 1)] {
        let mut head = report.clone();
        let slices = ReportRows::take(&mut head).slices(rows);
        assert_eq!(slices.len(), count, "slices of {rows:?}");
        assert!(head.customers.is_empty() && head.abc.order.is_empty() && head.matrix.quadrant.is_empty());
        // Through the wire format, as the page receives them.
        let mut joined = ReportRows::default();
        for s in slices {
            let bytes = protocol::encode(&Reply::CustomerPart { report: 0, rows: s }).expect("encode");
            match protocol::decode::<Reply>(&bytes).expect("decode") {
                Reply::CustomerPart { report: 0, rows } => joined.extend(rows),
                other => panic!("unexpected {other:?}"),
            }
        }
        joined.put(&mut head);
        assert!(head == report, "slices of {rows:?} join to the report");
    }
}

// The import's messages between the worker and the page (`worker::import`, `jobs::import_check`).

fn import_now() -> Timestamp {
    chrono::DateTime::parse_from_rfc3339("2026-12-06T10:00:00+08:00").expect("time").to_utc()
}

fn import_outcome(kind: ImportKind, text: &str, customers: &[Customer]) -> ImportOutcome {
    let t = read_table(text.as_bytes().to_vec(), Some(FileFormat::Csv), None, None).expect("table");
    let m = suggest(kind, &t.headers);
    let ctx = ImportContext { customers, survey: None, now: import_now(), id_prefix: "i1-".into(), merge: MergeRule::Update };
    import_table(kind, &t, &m, ctx).expect("import")
}

/// The outcome through the wire format as the worker sends it and the page joins it:
/// its rows in slices of `rows`, then the rest.
fn through_wire(o: &ImportOutcome, rows: (usize, usize)) -> (ImportOutcome, usize) {
    let mut head = o.clone();
    let all = OutcomeRows::take(&mut head);
    let lens = all.lens();
    let slices = all.slices(rows);
    let count = slices.len();
    // As the page does: room first (`Reply::OutcomeAhead`), then the slices.
    let mut joined = OutcomeRows::default();
    joined.reserve(&lens);
    for s in slices {
        match decode::<Reply>(&encode(&Reply::OutcomePart(s)).expect("encode part")).expect("decode part") {
            Reply::OutcomePart(rows) => joined.extend(rows),
            other => panic!("unexpected {other:?}"),
        }
    }
    match decode::<Reply>(&encode(&Reply::ImportChecked(Ok(Box::new(head)))).expect("encode")).expect("decode") {
        Reply::ImportChecked(Ok(mut back)) => {
            joined.put(&mut back);
            (*back, count)
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[wasm_bindgen_test]
fn import_outcomes_in_slices_join_to_the_same_outcome() {
    let c1 = import_outcome(ImportKind::Customers, "客户编号,客户名称,城市\nC001,上海华东化工有限公司,上海\n", &[]).added.customers;
    assert_eq!(c1.len(), 1);
    // Complaints (flattened legacy fields, tagged events: the named nested form), one
    // rejected row, and one waiting for its unknown customer.
    let complaints = import_outcome(
        ImportKind::Complaints,
        "客户编号,投诉时间,严重程度,投诉内容\nC001,2024-03-05 09:00,重大,漏气\nC001,昨天,一般,x\nC009,2024-03-06 10:00,一般,慢\n",
        &c1,
    );
    assert_eq!((complaints.added.complaints.len(), complaints.rejected.len(), complaints.pending.len()), (1, 1, 1));
    // Order lines with customers updated by name, a pending line and rejected cells.
    let mut text = String::from("客户编号,客户名称,日期,金额,毛利\n");
    for i in 0..300 {
        text.push_str(&format!("C001,,2024-03-{:02},{i}.5,{}\n", i % 28 + 1, if i % 7 == 0 { "x".to_string() } else { i.to_string() }));
    }
    text.push_str("C009,未知客户,2024/3/7,(300),\n");
    let orders = import_outcome(ImportKind::Orders, &text, &c1);
    assert_eq!((orders.added.orders.len(), orders.pending.len(), orders.unknown_customers.len()), (257, 1, 1));
    for o in [&complaints, &orders] {
        for (rows, _) in [((1, 2), ()), ((7, 7), ()), (OUTCOME_ROWS, ())] {
            let (back, count) = through_wire(o, rows);
            assert!(back == *o, "slices of {rows:?} join to the outcome");
            assert!(count >= 1);
        }
    }
    // 257 lines in slices of 1, 2, 4, …, 128: 1 + 2 + … + 128 = 255, then one of 2.
    assert_eq!(through_wire(&orders, (1, 128)).1, 9);
    // The joined outcome resolves as the original does.
    let (mut back, _) = through_wire(&orders, OUTCOME_ROWS);
    let mut original = orders.clone();
    back.resolve_unknown(clientscope_core::io::import::UnknownChoice::Create);
    original.resolve_unknown(clientscope_core::io::import::UnknownChoice::Create);
    assert!(back == original);
    assert_eq!(back.added.orders.len(), 258);
}

#[wasm_bindgen_test]
fn an_opened_sample_with_damaged_rows_round_trips() {
    // Row 2 has a cell too many: a row issue (an internally tagged enum, which needs the
    // named form).
    let sample = read_table(b"a,b\n1,2\n3,4,5\n".to_vec(), Some(FileFormat::Csv), None, None).expect("table");
    assert!(!sample.issues.is_empty());
    let opened = Opened {
        size: 14,
        body: FileBody::Text { format: FileFormat::Csv, encoding: "UTF-8".into(), forced: None, malformed: false },
        sample,
    };
    let bytes = encode_named(&opened).expect("encode");
    let reply = decode::<Reply>(&encode(&Reply::ImportOpened(Ok(serde_bytes::ByteBuf::from(bytes)))).expect("encode")).expect("decode");
    match reply {
        Reply::ImportOpened(Ok(b)) => assert_eq!(decode::<Opened>(&b).expect("decode opened"), opened),
        other => panic!("unexpected {other:?}"),
    }
}

/// A backup applied in the worker comes back as records in slices and order lines as
/// stored chunks (`Reply::DatasetPart`, `LinesStart`, `LinesPart`); joined on the page
/// they are the dataset and the table the worker had.
#[wasm_bindgen_test]
fn a_dataset_and_its_lines_through_the_wire_are_the_same() {
    use clientscope::worker::protocol::{pack_dicts, unpack_dicts, DatasetRows};
    use clientscope_core::orders::OrderTableBuilder;
    let mut d = small_demo();
    // Complaints travel nested with field names; the demo has some.
    assert!(!d.complaints.is_empty() && !d.orders.is_empty());
    d.orders.clear();
    // Three chunks, the last one short.
    let table = OrderTable::from_rows(&synthetic_lines(2 * CHUNK_LINES + 100, "W"));
    assert_eq!(table.chunk_count(), 3);
    let mut head = d.clone();
    let mut joined = DatasetRows::default();
    for rows in DatasetRows::take(&mut head).slices((3, 40)) {
        match decode::<Reply>(&encode(&Reply::DatasetPart(rows)).expect("encode")).expect("decode") {
            Reply::DatasetPart(rows) => joined.extend(rows),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(joined.lens(), DatasetRows::take(&mut d.clone()).lens());
    joined.put(&mut head);
    assert!(head == d, "the records join to the dataset");
    let start = decode::<Reply>(&encode(&Reply::LinesStart { dicts: pack_dicts(table.dictionary_values()), lines: table.len() as u64 }).expect("encode")).expect("decode");
    let Reply::LinesStart { dicts, lines } = start else { panic!("unexpected reply") };
    let mut b = OrderTableBuilder::new(unpack_dicts(&dicts).expect("dictionaries"), lines as usize);
    for k in 0..table.chunk_count() {
        match decode::<Reply>(&encode(&Reply::LinesPart(table.chunk(k).into())).expect("encode")).expect("decode") {
            Reply::LinesPart(c) => b.push(&c.into()).expect("chunk"),
            other => panic!("unexpected {other:?}"),
        }
    }
    let back = b.finish();
    assert_eq!(back.len(), table.len());
    assert_eq!(back.checksum(), table.checksum());
    assert!(unpack_dicts(&[]).is_none(), "missing dictionaries are refused");
}

/// An import's order lines travel as columns (`protocol::lines_wire`): lossless for every
/// field, NaN bits, missing profit or quantity, times before 1677 and after 2262 and to
/// the nanosecond, texts in Chinese or empty included; a damaged message is refused.
#[wasm_bindgen_test]
fn order_lines_as_columns_are_lossless() {
    use clientscope::worker::protocol::OutcomeRows;
    use clientscope_core::model::Date;
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect("time").to_utc();
    let mut a = OrderLine::new("O-1", "C-上海", Date::from_ymd_opt(2024, 2, 29).expect("date"), f64::from_bits(0x7ff8_0000_0000_1234), at("1600-01-01T00:00:00.123456789Z"));
    a.profit = Some(-0.0);
    a.product = "阀门 DN50".into();
    a.updated_at = at("2300-12-31T23:59:59.999999999Z");
    let mut b = OrderLine::new("", "C2", Date::from_ymd_opt(1, 1, 1).expect("date"), 1e300, at("2026-12-06T10:00:00+08:00"));
    b.quantity = Some(3.5);
    b.order_no = "SO-1".into();
    b.channel = "线上".into();
    let lines = vec![a, b];
    let mut outcome = ImportOutcome::default();
    outcome.added.orders = lines.clone();
    let rows = OutcomeRows::take(&mut outcome);
    let Reply::OutcomePart(back) = decode::<Reply>(&encode(&Reply::OutcomePart(rows)).expect("encode")).expect("decode") else { panic!("unexpected reply") };
    back.put(&mut outcome);
    let got = &outcome.added.orders;
    assert_eq!(got.len(), 2);
    for (g, w) in got.iter().zip(&lines) {
        assert_eq!((&g.id, &g.customer_id, &g.order_no, &g.product, &g.category, &g.channel), (&w.id, &w.customer_id, &w.order_no, &w.product, &w.category, &w.channel));
        assert_eq!((g.date, g.created_at, g.updated_at), (w.date, w.created_at, w.updated_at));
        assert_eq!((g.amount.to_bits(), g.profit.map(f64::to_bits), g.quantity.map(f64::to_bits)), (w.amount.to_bits(), w.profit.map(f64::to_bits), w.quantity.map(f64::to_bits)));
    }
    // A message whose columns do not agree is an error.
    let mut bytes = encode(&Reply::OutcomePart({
        let mut o = ImportOutcome::default();
        o.added.orders = lines;
        OutcomeRows::take(&mut o)
    }))
    .expect("encode");
    let cut = bytes.len() - 30;
    bytes.truncate(cut);
    assert!(decode::<Reply>(&bytes).is_err());
}

/// The checksum's digest computed by the browser (`crypto.subtle`, which the worker starts
/// before decoding a backup and awaits after) is the core's SHA-256, for a text of several
/// megabytes and for nothing at all; the test page is a secure context, so the browser's
/// digest is the one taken.
#[wasm_bindgen_test]
async fn the_browsers_sha256_is_the_cores() {
    use clientscope::worker::backup::Sha256;
    let bytes: Vec<u8> = (0..5_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    for b in [&bytes[..], &bytes[..0], &bytes[17..1_000_017]] {
        let digest = Sha256::start(b);
        assert!(digest.by_the_browser());
        assert_eq!(digest.finish(b).await, clientscope_core::backup::sha256(b));
    }
}

/// A backup written by the worker's way (the records, the lines from the stored table,
/// the browser's digest) reads back through the worker's way to the same records.
#[wasm_bindgen_test]
async fn a_backup_written_and_read_the_workers_way_round_trips() {
    use clientscope::worker::backup::Sha256;
    use clientscope_core::backup;
    let d = generate(&DemoParams { customers: 50, ..DemoParams::default() });
    let table = OrderTable::from_rows(&d.orders);
    let records = Dataset { orders: Vec::new(), ..d.clone() };
    let when = chrono::DateTime::from_timestamp(1_782_000_000, 0).unwrap_or_default();
    let unsigned = backup::export_unsigned_lines(&records, backup::Lines::Table(&table), &Default::default(), "test", when).expect("export");
    let sum = Sha256::start(unsigned.data_text()).finish(unsigned.data_text()).await;
    let text = String::from_utf8(unsigned.sign(&sum)).expect("utf-8");
    assert_eq!(text, backup::export(&d, &Default::default(), "test", when).expect("export"));
    let split = backup::Split::of(&text).expect("a current backup");
    let data = split.data_text();
    let digest = Sha256::start(data);
    let decoded = split.decode();
    let b = decoded.finish(&digest.finish(data).await).expect("read back");
    assert_eq!(b.data, d);
}
