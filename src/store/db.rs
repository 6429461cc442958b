//! Records in IndexedDB.
//!
//! Layout (database version 1):
//! - one object store per record kind, named by `RecordKind::store_name()`, with
//!   out-of-line keys and JSON text as values. Storing text rather than structured objects
//!   keeps one serialisation (serde) for storage and backups and makes reads cheap.
//! - Customers, contacts, interactions, complaints, surveys and responses: one value per
//!   record, keyed by the record id.
//! - Order lines, the bulk of the data (up to millions), are stored **per customer**: key =
//!   customer id, value = the JSON array of that customer's lines. A million lines become
//!   about as many IndexedDB values as there are customers, which makes writing and
//!   reading an order of magnitude faster, and deleting a customer's lines is one delete.
//!   The number of stored lines is kept in `meta` (`order_lines`), updated in the same
//!   transaction as every change to the lines.
//! - `meta` holds small values (snapshot index, schema version, line count); `snapshots`
//!   holds full backups taken before destructive operations.
//!
//! Every method that writes does so in one transaction: it lands whole or not at all.

use super::{Result, StoreError};
use clientscope_core::model::{Counts, Dataset, OrderLine, Record, RecordKind, Timestamp, SCHEMA_VERSION};
use rexie::{ObjectStore, Rexie, Store, TransactionMode};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::HashSet;
use wasm_bindgen::JsValue;

/// Name of the production database.
pub const DB_NAME: &str = "clientscope";
const DB_VERSION: u32 = 1;
const META: &str = "meta";
const SNAPSHOTS: &str = "snapshots";
const SNAPSHOT_INDEX: &str = "snapshot_index";
const ORDER_LINES: &str = "order_lines";
const ORDERS: &str = "orders";
/// How many snapshots are kept.
pub const SNAPSHOTS_KEPT: usize = 3;
/// Values written per request batch; progress is reported after each.
const CHUNK: usize = 5_000;

/// A record type stored one value per record: the core's record trait plus serde.
pub trait Stored: Record + Serialize + DeserializeOwned {}
impl<T: Record + Serialize + DeserializeOwned> Stored for T {}

/// Why a snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotReason {
    /// Before importing a backup or file.
    Import,
    /// Before "delete all".
    DeleteAll,
    /// Before restoring another snapshot.
    Restore,
    /// Before loading the demo data over existing data.
    Demo,
    /// Before importing a CSV / Excel file through the import wizard.
    FileImport,
}

/// Description of a stored snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// Key in the `snapshots` store.
    pub key: String,
    /// When it was taken.
    pub taken_at: Timestamp,
    /// Why.
    pub reason: SnapshotReason,
    /// Record counts it holds.
    pub counts: Counts,
}

/// An open database.
pub struct Db {
    rexie: Rexie,
}

fn record_stores() -> Vec<&'static str> {
    RecordKind::ALL.iter().map(|k| k.store_name()).collect()
}

fn with_meta() -> Vec<&'static str> {
    let mut v = record_stores();
    v.push(META);
    v
}

/// Groups order lines by customer, customers in order of first appearance.
fn by_customer(orders: &[OrderLine]) -> Vec<(&str, Vec<&OrderLine>)> {
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut groups: Vec<(&str, Vec<&OrderLine>)> = Vec::new();
    for o in orders {
        let i = *index.entry(o.customer_id.as_str()).or_insert_with(|| {
            groups.push((o.customer_id.as_str(), Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(o);
    }
    groups
}

/// Counters of one write, for progress and for telling a full disk.
struct Tally<'a> {
    done: usize,
    total: usize,
    bytes: usize,
    progress: &'a dyn Fn(usize, usize),
}

impl Db {
    /// Opens (creating or upgrading) the production database.
    pub async fn open() -> Result<Db> {
        Self::open_named(DB_NAME).await
    }

    /// Opens a database by name (tests use their own).
    pub async fn open_named(name: &str) -> Result<Db> {
        let mut builder = Rexie::builder(name).version(DB_VERSION);
        for store in record_stores().into_iter().chain([META, SNAPSHOTS]) {
            builder = builder.add_object_store(ObjectStore::new(store));
        }
        Ok(Db { rexie: builder.build().await? })
    }

    /// Deletes a database by name (tests).
    pub async fn delete_named(name: &str) -> Result<()> {
        Ok(Rexie::delete(name).await?)
    }

    /// Counts of stored records per kind.
    pub async fn counts(&self) -> Result<Counts> {
        let tx = self.rexie.transaction(&with_meta(), TransactionMode::ReadOnly)?;
        let mut c = Counts::default();
        for kind in RecordKind::ALL {
            let n = if kind == RecordKind::OrderLine {
                read_order_count(&tx.store(META)?).await?
            } else {
                tx.store(kind.store_name())?.count(None).await? as usize
            };
            set_count(&mut c, kind, n);
        }
        tx.done().await?;
        Ok(c)
    }

    /// Reads every record, reporting (records read, total) after each store.
    pub async fn load_all(&self, progress: &dyn Fn(usize, usize)) -> Result<Dataset> {
        let total = self.counts().await?.total();
        let tx = self.rexie.transaction(&record_stores(), TransactionMode::ReadOnly)?;
        let mut d = Dataset::default();
        progress(0, total);
        d.customers = read_store(&tx.store(RecordKind::Customer.store_name())?, "customers").await?;
        let mut done = d.customers.len();
        progress(done, total);
        d.contacts = read_store(&tx.store(RecordKind::Contact.store_name())?, "contacts").await?;
        done += d.contacts.len();
        progress(done, total);
        d.orders = read_orders(&tx.store(ORDERS)?).await?;
        done += d.orders.len();
        progress(done, total);
        d.interactions = read_store(&tx.store(RecordKind::Interaction.store_name())?, "interactions").await?;
        d.complaints = read_store(&tx.store(RecordKind::Complaint.store_name())?, "complaints").await?;
        d.surveys = read_store(&tx.store(RecordKind::Survey.store_name())?, "surveys").await?;
        d.responses = read_store(&tx.store(RecordKind::SurveyResponse.store_name())?, "responses").await?;
        tx.done().await?;
        progress(total, total);
        Ok(d)
    }

    /// Replaces everything stored by `d`, in one transaction: on any failure (a full disk
    /// included) nothing changes.
    pub async fn replace_all(&self, d: &Dataset, progress: &dyn Fn(usize, usize)) -> Result<()> {
        let tx = self.rexie.transaction(&with_meta(), TransactionMode::ReadWrite)?;
        let mut t = Tally { done: 0, total: d.counts().total(), bytes: 0, progress };
        for kind in RecordKind::ALL {
            tx.store(kind.store_name())?.clear().await?;
        }
        write_records(&tx.store("customers")?, &d.customers, &mut t).await?;
        write_records(&tx.store("contacts")?, &d.contacts, &mut t).await?;
        write_order_groups(&tx.store(ORDERS)?, &by_customer(&d.orders), &mut t).await?;
        write_records(&tx.store("interactions")?, &d.interactions, &mut t).await?;
        write_records(&tx.store("complaints")?, &d.complaints, &mut t).await?;
        write_records(&tx.store("surveys")?, &d.surveys, &mut t).await?;
        write_records(&tx.store("responses")?, &d.responses, &mut t).await?;
        let meta = tx.store(META)?;
        meta.put(&JsValue::from_str(&SCHEMA_VERSION.to_string()), Some(&JsValue::from_str("schema_version")))
            .await?;
        write_order_count(&meta, d.orders.len()).await?;
        finish(tx, t.bytes).await
    }

    /// Adds every record of `d` (undo of a delete); fails, writing nothing, if any id is
    /// already stored.
    pub async fn add_all(&self, d: &Dataset) -> Result<()> {
        let tx = self.rexie.transaction(&with_meta(), TransactionMode::ReadWrite)?;
        let none = |_: usize, _: usize| {};
        let mut t = Tally { done: 0, total: 0, bytes: 0, progress: &none };
        add_records(&tx.store("customers")?, &d.customers, &mut t).await?;
        add_records(&tx.store("contacts")?, &d.contacts, &mut t).await?;
        add_records(&tx.store("interactions")?, &d.interactions, &mut t).await?;
        add_records(&tx.store("complaints")?, &d.complaints, &mut t).await?;
        add_records(&tx.store("surveys")?, &d.surveys, &mut t).await?;
        add_records(&tx.store("responses")?, &d.responses, &mut t).await?;
        // Order lines join their customer's group; an id already there is a conflict.
        let orders = tx.store(ORDERS)?;
        for (customer, lines) in by_customer(&d.orders) {
            let mut group = read_group(&orders, customer).await?;
            let existing: HashSet<&str> = group.iter().map(|o| o.id.as_str()).collect();
            if let Some(dup) = lines.iter().find(|o| existing.contains(o.id.as_str())) {
                let id = dup.id.clone();
                let _ = tx.abort().await;
                return Err(StoreError::Idb(format!("order line {id} is already stored")));
            }
            group.extend(lines.into_iter().cloned());
            t.bytes += put_group(&orders, customer, &group).await?;
        }
        let meta = tx.store(META)?;
        let n = read_order_count(&meta).await?;
        write_order_count(&meta, n + d.orders.len()).await?;
        finish(tx, t.bytes).await
    }

    /// Inserts or updates every record of `d` in one transaction (the import wizard's
    /// write): records of each kind are put by id (new ones added, existing ones such as
    /// updated customers replaced); order lines join their customer's group (a line whose
    /// id is already in the group replaces it) and the stored line count grows by the lines
    /// that are new. Reports (records written, total) as it goes. On any failure nothing
    /// changes.
    pub async fn upsert_all(&self, d: &Dataset, progress: &dyn Fn(usize, usize)) -> Result<()> {
        let tx = self.rexie.transaction(&with_meta(), TransactionMode::ReadWrite)?;
        let mut t = Tally { done: 0, total: d.counts().total(), bytes: 0, progress };
        (t.progress)(0, t.total);
        write_records(&tx.store("customers")?, &d.customers, &mut t).await?;
        write_records(&tx.store("contacts")?, &d.contacts, &mut t).await?;
        write_records(&tx.store("interactions")?, &d.interactions, &mut t).await?;
        write_records(&tx.store("complaints")?, &d.complaints, &mut t).await?;
        write_records(&tx.store("surveys")?, &d.surveys, &mut t).await?;
        write_records(&tx.store("responses")?, &d.responses, &mut t).await?;
        let orders = tx.store(ORDERS)?;
        let mut added = 0;
        if !d.orders.is_empty() {
            // One request for the keys tells which customers already have lines; only
            // those groups are read and merged, the others are written as they are.
            let keys = orders.get_all_keys(None, None).await?;
            let stored: HashSet<String> = keys.iter().filter_map(|k| k.as_string()).collect();
            let groups = by_customer(&d.orders);
            let mut fresh: Vec<(&str, Vec<&OrderLine>)> = Vec::new();
            for (customer, lines) in groups {
                if !stored.contains(customer) {
                    added += lines.len();
                    fresh.push((customer, lines));
                    continue;
                }
                let mut group = read_group(&orders, customer).await?;
                for line in &lines {
                    match group.iter_mut().find(|o| o.id == line.id) {
                        Some(slot) => *slot = (*line).clone(),
                        None => {
                            group.push((*line).clone());
                            added += 1;
                        }
                    }
                }
                t.bytes += put_group(&orders, customer, &group).await?;
                t.done += lines.len();
                (t.progress)(t.done, t.total);
            }
            write_order_groups(&orders, &fresh, &mut t).await?;
        }
        let meta = tx.store(META)?;
        let n = read_order_count(&meta).await?;
        write_order_count(&meta, n + added).await?;
        finish(tx, t.bytes).await
    }

    /// Inserts or updates one record of a kind stored one value per record (not order
    /// lines: use [`Db::put_orders`]).
    pub async fn put<R: Stored>(&self, record: &R) -> Result<()> {
        if R::KIND == RecordKind::OrderLine {
            return Err(StoreError::Idb("order lines are written with put_orders".into()));
        }
        let name = R::KIND.store_name();
        let tx = self.rexie.transaction(&[name], TransactionMode::ReadWrite)?;
        let json = to_json(record)?;
        tx.store(name)?.put(&JsValue::from_str(&json), Some(&JsValue::from_str(record.id()))).await?;
        finish(tx, json.len()).await
    }

    /// Inserts or updates order lines (matched by id within their customer's group).
    pub async fn put_orders(&self, lines: &[OrderLine]) -> Result<()> {
        let tx = self.rexie.transaction(&[ORDERS, META], TransactionMode::ReadWrite)?;
        let orders = tx.store(ORDERS)?;
        let mut added = 0;
        let mut bytes = 0;
        for (customer, new) in by_customer(lines) {
            let mut group = read_group(&orders, customer).await?;
            for line in new {
                match group.iter_mut().find(|o| o.id == line.id) {
                    Some(slot) => *slot = line.clone(),
                    None => {
                        group.push(line.clone());
                        added += 1;
                    }
                }
            }
            bytes += put_group(&orders, customer, &group).await?;
        }
        let meta = tx.store(META)?;
        let n = read_order_count(&meta).await?;
        write_order_count(&meta, n + added).await?;
        finish(tx, bytes).await
    }

    /// Reads one record of a kind stored one value per record.
    pub async fn get<R: Stored>(&self, id: &str) -> Result<Option<R>> {
        let name = R::KIND.store_name();
        let tx = self.rexie.transaction(&[name], TransactionMode::ReadOnly)?;
        let value = tx.store(name)?.get(JsValue::from_str(id)).await?;
        tx.done().await?;
        match value {
            None => Ok(None),
            Some(v) if v.is_undefined() => Ok(None),
            Some(v) => parse_value(&v, name, id).map(Some),
        }
    }

    /// Deletes the records of `d` (matched by id; order lines within their customer's
    /// group) in one transaction.
    pub async fn delete(&self, d: &Dataset) -> Result<()> {
        let tx = self.rexie.transaction(&with_meta(), TransactionMode::ReadWrite)?;
        delete_ids(&tx.store("customers")?, d.customers.iter().map(|r| r.id.as_str())).await?;
        delete_ids(&tx.store("contacts")?, d.contacts.iter().map(|r| r.id.as_str())).await?;
        delete_ids(&tx.store("interactions")?, d.interactions.iter().map(|r| r.id.as_str())).await?;
        delete_ids(&tx.store("complaints")?, d.complaints.iter().map(|r| r.id.as_str())).await?;
        delete_ids(&tx.store("surveys")?, d.surveys.iter().map(|r| r.id.as_str())).await?;
        delete_ids(&tx.store("responses")?, d.responses.iter().map(|r| r.id.as_str())).await?;
        let orders = tx.store(ORDERS)?;
        let mut removed = 0;
        for (customer, gone) in by_customer(&d.orders) {
            let gone: HashSet<&str> = gone.iter().map(|o| o.id.as_str()).collect();
            let mut group = read_group(&orders, customer).await?;
            let before = group.len();
            group.retain(|o| !gone.contains(o.id.as_str()));
            removed += before - group.len();
            if group.is_empty() {
                orders.delete(JsValue::from_str(customer)).await?;
            } else {
                put_group(&orders, customer, &group).await?;
            }
        }
        let meta = tx.store(META)?;
        let n = read_order_count(&meta).await?;
        write_order_count(&meta, n.saturating_sub(removed)).await?;
        finish(tx, 0).await
    }

    /// Stores a snapshot (a backup text) and drops the oldest beyond [`SNAPSHOTS_KEPT`], in
    /// one transaction.
    pub async fn save_snapshot(&self, info: SnapshotInfo, backup_text: &str) -> Result<()> {
        let tx = self.rexie.transaction(&[META, SNAPSHOTS], TransactionMode::ReadWrite)?;
        let meta = tx.store(META)?;
        let snaps = tx.store(SNAPSHOTS)?;
        let mut index = read_index(&meta).await?;
        snaps.put(&JsValue::from_str(backup_text), Some(&JsValue::from_str(&info.key))).await?;
        index.push(info);
        index.sort_by(|a, b| a.taken_at.cmp(&b.taken_at));
        while index.len() > SNAPSHOTS_KEPT {
            let old = index.remove(0);
            snaps.delete(JsValue::from_str(&old.key)).await?;
        }
        meta.put(&JsValue::from_str(&to_json(&index)?), Some(&JsValue::from_str(SNAPSHOT_INDEX))).await?;
        finish(tx, backup_text.len()).await
    }

    /// Snapshots, newest first.
    pub async fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        let tx = self.rexie.transaction(&[META], TransactionMode::ReadOnly)?;
        let mut index = read_index(&tx.store(META)?).await?;
        tx.done().await?;
        index.reverse();
        Ok(index)
    }

    /// The backup text of a snapshot.
    pub async fn snapshot_text(&self, key: &str) -> Result<Option<String>> {
        let tx = self.rexie.transaction(&[SNAPSHOTS], TransactionMode::ReadOnly)?;
        let v = tx.store(SNAPSHOTS)?.get(JsValue::from_str(key)).await?;
        tx.done().await?;
        Ok(v.and_then(|v| v.as_string()))
    }
}

fn set_count(c: &mut Counts, kind: RecordKind, n: usize) {
    match kind {
        RecordKind::Customer => c.customers = n,
        RecordKind::Contact => c.contacts = n,
        RecordKind::OrderLine => c.orders = n,
        RecordKind::Interaction => c.interactions = n,
        RecordKind::Complaint => c.complaints = n,
        RecordKind::Survey => c.surveys = n,
        RecordKind::SurveyResponse => c.responses = n,
    }
}

/// Waits for the commit. A transaction whose every request succeeded but which the browser
/// aborts at commit time has almost always hit the storage quota; rexie does not expose
/// the abort reason, so the quota is confirmed against the storage estimate where it can
/// be: if what was being written does not fit in what is left, the error is
/// [`StoreError::Quota`], otherwise [`StoreError::Aborted`].
async fn finish(tx: rexie::Transaction, bytes: usize) -> Result<()> {
    let result = tx.done().await?;
    if result.is_committed() {
        return Ok(());
    }
    match super::quota::estimate().await {
        Some((usage, quota)) if quota - usage < bytes as f64 => Err(StoreError::Quota),
        _ => Err(StoreError::Aborted),
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Idb(format!("serialisation: {e}")))
}

fn parse_value<T: DeserializeOwned>(v: &JsValue, store: &str, key: &str) -> Result<T> {
    let text = v.as_string().ok_or_else(|| StoreError::Corrupt {
        store: store.into(),
        key: key.into(),
        detail: "value is not text".into(),
    })?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt { store: store.into(), key: key.into(), detail: e.to_string() })
}

async fn read_store<T: Stored>(store: &Store, name: &str) -> Result<Vec<T>> {
    let values = store.get_all(None, None).await?;
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        out.push(parse_value(v, name, &format!("#{i}"))?);
    }
    Ok(out)
}

async fn read_orders(store: &Store) -> Result<Vec<OrderLine>> {
    let values = store.get_all(None, None).await?;
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let group: Vec<OrderLine> = parse_value(v, ORDERS, &format!("#{i}"))?;
        out.extend(group);
    }
    Ok(out)
}

async fn read_group(store: &Store, customer: &str) -> Result<Vec<OrderLine>> {
    match store.get(JsValue::from_str(customer)).await? {
        Some(v) if !v.is_undefined() => parse_value(&v, ORDERS, customer),
        _ => Ok(Vec::new()),
    }
}

async fn put_group(store: &Store, customer: &str, group: &[OrderLine]) -> Result<usize> {
    let json = to_json(group)?;
    store.put(&JsValue::from_str(&json), Some(&JsValue::from_str(customer))).await?;
    Ok(json.len())
}

async fn write_records<T: Stored>(store: &Store, records: &[T], t: &mut Tally<'_>) -> Result<()> {
    for chunk in records.chunks(CHUNK) {
        let mut items = Vec::with_capacity(chunk.len());
        for r in chunk {
            let json = to_json(r)?;
            t.bytes += json.len();
            items.push((JsValue::from_str(&json), Some(JsValue::from_str(r.id()))));
        }
        store.put_all(items.into_iter()).await?;
        t.done += chunk.len();
        (t.progress)(t.done, t.total);
    }
    Ok(())
}

async fn write_order_groups(store: &Store, groups: &[(&str, Vec<&OrderLine>)], t: &mut Tally<'_>) -> Result<()> {
    let mut items = Vec::new();
    let mut lines = 0;
    for (customer, group) in groups {
        let json = to_json(group)?;
        t.bytes += json.len();
        lines += group.len();
        items.push((JsValue::from_str(&json), Some(JsValue::from_str(customer))));
        if lines >= CHUNK * 4 {
            store.put_all(std::mem::take(&mut items).into_iter()).await?;
            t.done += lines;
            lines = 0;
            (t.progress)(t.done, t.total);
        }
    }
    store.put_all(items.into_iter()).await?;
    t.done += lines;
    (t.progress)(t.done, t.total);
    Ok(())
}

async fn add_records<T: Stored>(store: &Store, records: &[T], t: &mut Tally<'_>) -> Result<()> {
    let mut items = Vec::with_capacity(records.len());
    for r in records {
        let json = to_json(r)?;
        t.bytes += json.len();
        items.push((JsValue::from_str(&json), Some(JsValue::from_str(r.id()))));
    }
    store.add_all(items.into_iter()).await?;
    Ok(())
}

async fn delete_ids<'a>(store: &Store, ids: impl Iterator<Item = &'a str>) -> Result<()> {
    for id in ids {
        store.delete(JsValue::from_str(id)).await?;
    }
    Ok(())
}

async fn read_order_count(meta: &Store) -> Result<usize> {
    match meta.get(JsValue::from_str(ORDER_LINES)).await? {
        Some(v) if !v.is_undefined() => Ok(v.as_string().and_then(|s| s.parse().ok()).unwrap_or(0)),
        _ => Ok(0),
    }
}

async fn write_order_count(meta: &Store, n: usize) -> Result<()> {
    meta.put(&JsValue::from_str(&n.to_string()), Some(&JsValue::from_str(ORDER_LINES))).await?;
    Ok(())
}

async fn read_index(meta: &Store) -> Result<Vec<SnapshotInfo>> {
    match meta.get(JsValue::from_str(SNAPSHOT_INDEX)).await? {
        Some(v) if !v.is_undefined() => parse_value(&v, META, SNAPSHOT_INDEX),
        _ => Ok(Vec::new()),
    }
}
