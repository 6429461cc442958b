//! Records in IndexedDB.
//!
//! Layout (database version 1): one object store per record kind, named by
//! `RecordKind::store_name()`, with out-of-line keys (the record id) and the record's JSON
//! text as value. Storing text rather than structured objects keeps one serialisation
//! (serde) for storage and backups and makes reads cheap. `meta` holds small values
//! (snapshot index, dataset schema version); `snapshots` holds full backups taken before
//! destructive operations.

use super::{Result, StoreError};
use clientscope_core::model::{Counts, Dataset, Record, RecordKind, Timestamp, SCHEMA_VERSION};
use rexie::{ObjectStore, Rexie, Store, TransactionMode};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// Name of the production database.
pub const DB_NAME: &str = "clientscope";
const DB_VERSION: u32 = 1;
const META: &str = "meta";
const SNAPSHOTS: &str = "snapshots";
const SNAPSHOT_INDEX: &str = "snapshot_index";
/// How many snapshots are kept.
pub const SNAPSHOTS_KEPT: usize = 3;
/// Records written per request batch; progress is reported after each.
const CHUNK: usize = 5_000;

/// A stored record type: the core's record trait plus serde.
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

fn all_store_names() -> Vec<&'static str> {
    RecordKind::ALL.iter().map(|k| k.store_name()).collect()
}

impl Db {
    /// Opens (creating or upgrading) the production database.
    pub async fn open() -> Result<Db> {
        Self::open_named(DB_NAME).await
    }

    /// Opens a database by name (tests use their own).
    pub async fn open_named(name: &str) -> Result<Db> {
        let mut builder = Rexie::builder(name).version(DB_VERSION);
        for store in all_store_names().into_iter().chain([META, SNAPSHOTS]) {
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
        let tx = self.rexie.transaction(&all_store_names(), TransactionMode::ReadOnly)?;
        let mut c = Counts::default();
        for kind in RecordKind::ALL {
            let n = tx.store(kind.store_name())?.count(None).await? as usize;
            set_count(&mut c, kind, n);
        }
        tx.done().await?;
        Ok(c)
    }

    /// Reads every record, reporting (records read, total) after each store.
    pub async fn load_all(&self, progress: &dyn Fn(usize, usize)) -> Result<Dataset> {
        let total = self.counts().await?.total();
        let tx = self.rexie.transaction(&all_store_names(), TransactionMode::ReadOnly)?;
        let mut d = Dataset::default();
        let mut done = 0;
        progress(0, total);
        d.customers = read_store(&tx.store(RecordKind::Customer.store_name())?, "customers").await?;
        done += d.customers.len();
        progress(done, total);
        d.contacts = read_store(&tx.store(RecordKind::Contact.store_name())?, "contacts").await?;
        done += d.contacts.len();
        progress(done, total);
        d.orders = read_store(&tx.store(RecordKind::OrderLine.store_name())?, "orders").await?;
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
        let mut names = all_store_names();
        names.push(META);
        let tx = self.rexie.transaction(&names, TransactionMode::ReadWrite)?;
        let total = d.counts().total();
        let mut done = 0;
        let mut bytes = 0;
        for kind in RecordKind::ALL {
            tx.store(kind.store_name())?.clear().await?;
        }
        write_records(&tx.store("customers")?, &d.customers, &mut done, total, &mut bytes, progress).await?;
        write_records(&tx.store("contacts")?, &d.contacts, &mut done, total, &mut bytes, progress).await?;
        write_records(&tx.store("orders")?, &d.orders, &mut done, total, &mut bytes, progress).await?;
        write_records(&tx.store("interactions")?, &d.interactions, &mut done, total, &mut bytes, progress).await?;
        write_records(&tx.store("complaints")?, &d.complaints, &mut done, total, &mut bytes, progress).await?;
        write_records(&tx.store("surveys")?, &d.surveys, &mut done, total, &mut bytes, progress).await?;
        write_records(&tx.store("responses")?, &d.responses, &mut done, total, &mut bytes, progress).await?;
        tx.store(META)?
            .put(&JsValue::from_str(&SCHEMA_VERSION.to_string()), Some(&JsValue::from_str("schema_version")))
            .await?;
        finish(tx, bytes).await
    }

    /// Inserts or updates every record of `d` (other stored records stay), in one transaction.
    pub async fn put_all(&self, d: &Dataset) -> Result<()> {
        let tx = self.rexie.transaction(&all_store_names(), TransactionMode::ReadWrite)?;
        let total = d.counts().total();
        let mut done = 0;
        let mut bytes = 0;
        let none = |_: usize, _: usize| {};
        write_records(&tx.store("customers")?, &d.customers, &mut done, total, &mut bytes, &none).await?;
        write_records(&tx.store("contacts")?, &d.contacts, &mut done, total, &mut bytes, &none).await?;
        write_records(&tx.store("orders")?, &d.orders, &mut done, total, &mut bytes, &none).await?;
        write_records(&tx.store("interactions")?, &d.interactions, &mut done, total, &mut bytes, &none).await?;
        write_records(&tx.store("complaints")?, &d.complaints, &mut done, total, &mut bytes, &none).await?;
        write_records(&tx.store("surveys")?, &d.surveys, &mut done, total, &mut bytes, &none).await?;
        write_records(&tx.store("responses")?, &d.responses, &mut done, total, &mut bytes, &none).await?;
        finish(tx, bytes).await
    }

    /// Adds every record of `d`; fails, writing nothing, if any id is already stored.
    pub async fn add_all(&self, d: &Dataset) -> Result<()> {
        let tx = self.rexie.transaction(&all_store_names(), TransactionMode::ReadWrite)?;
        let mut bytes = 0;
        add_records(&tx.store("customers")?, &d.customers, &mut bytes).await?;
        add_records(&tx.store("contacts")?, &d.contacts, &mut bytes).await?;
        add_records(&tx.store("orders")?, &d.orders, &mut bytes).await?;
        add_records(&tx.store("interactions")?, &d.interactions, &mut bytes).await?;
        add_records(&tx.store("complaints")?, &d.complaints, &mut bytes).await?;
        add_records(&tx.store("surveys")?, &d.surveys, &mut bytes).await?;
        add_records(&tx.store("responses")?, &d.responses, &mut bytes).await?;
        finish(tx, bytes).await
    }

    /// Inserts or updates one record.
    pub async fn put<R: Stored>(&self, record: &R) -> Result<()> {
        let name = R::KIND.store_name();
        let tx = self.rexie.transaction(&[name], TransactionMode::ReadWrite)?;
        let json = to_json(record)?;
        tx.store(name)?.put(&JsValue::from_str(&json), Some(&JsValue::from_str(record.id()))).await?;
        finish(tx, json.len()).await
    }

    /// Reads one record.
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

    /// Deletes the given records in one transaction.
    pub async fn delete(&self, keys: &[(RecordKind, String)]) -> Result<()> {
        let tx = self.rexie.transaction(&all_store_names(), TransactionMode::ReadWrite)?;
        for (kind, id) in keys {
            tx.store(kind.store_name())?.delete(JsValue::from_str(id)).await?;
        }
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
/// the abort reason, so the quota is confirmed against the storage estimate: if what was
/// being written does not fit in what is left, the error is [`StoreError::Quota`].
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

fn to_json<T: Serialize>(value: &T) -> Result<String> {
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

async fn write_records<T: Stored>(
    store: &Store,
    records: &[T],
    done: &mut usize,
    total: usize,
    bytes: &mut usize,
    progress: &dyn Fn(usize, usize),
) -> Result<()> {
    for chunk in records.chunks(CHUNK) {
        let mut items = Vec::with_capacity(chunk.len());
        for r in chunk {
            let json = to_json(r)?;
            *bytes += json.len();
            items.push((JsValue::from_str(&json), Some(JsValue::from_str(r.id()))));
        }
        store.put_all(items.into_iter()).await?;
        *done += chunk.len();
        progress(*done, total);
    }
    Ok(())
}

async fn add_records<T: Stored>(store: &Store, records: &[T], bytes: &mut usize) -> Result<()> {
    let mut items = Vec::with_capacity(records.len());
    for r in records {
        let json = to_json(r)?;
        *bytes += json.len();
        items.push((JsValue::from_str(&json), Some(JsValue::from_str(r.id()))));
    }
    store.add_all(items.into_iter()).await?;
    Ok(())
}

async fn read_index(meta: &Store) -> Result<Vec<SnapshotInfo>> {
    match meta.get(JsValue::from_str(SNAPSHOT_INDEX)).await? {
        Some(v) if !v.is_undefined() => parse_value(&v, META, SNAPSHOT_INDEX),
        _ => Ok(Vec::new()),
    }
}
