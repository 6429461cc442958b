//! Records in IndexedDB.
//!
//! Layout (database version 4):
//! - one object store per record kind, named by `RecordKind::store_name()`, with
//!   out-of-line keys.
//! - Customers, contacts, interactions, complaints, surveys and responses: in 512 buckets
//!   per kind, a bucket being the records whose id hashes into it, encoded by
//!   `clientscope_core::model::bucket` (MessagePack, complaints JSON; see [`super::records`]), with each kind's count and bucket fingerprints in `meta`. A
//!   record is written or deleted by rewriting its one bucket; start-up reads a kind as a
//!   few hundred typed arrays instead of one JSON text per record (6.3 s for 200,000
//!   customers in version 2).
//! - Order lines, the bulk of the data (up to millions), are stored as the core's columnar
//!   [`OrderTable`]: `order_chunks` holds one value per 65,536 lines (key = chunk number),
//!   an object whose fields are the columns as `Uint8Array`s (little-endian), which the
//!   structured clone copies at memory speed with no JSON; `order_dicts` holds the five
//!   dictionaries (customer ids, order numbers, products, categories, channels), each as
//!   one string plus a `Uint8Array` of end offsets. `meta` holds the line count
//!   (`order_lines`) and each chunk's fingerprint (`order_fingerprints`), written in the
//!   same transaction as the chunks; start-up refuses a chunk whose fingerprint differs.
//!   A change rewrites only the chunks it touched (an edit its chunk, an import the tail).
//! - Version 1 stored order lines per customer as JSON arrays in `orders`. Opening such a
//!   database upgrades it (the new stores are created) and then converts the lines in one
//!   transaction (`migrate_lines`): they are all in the new layout or, if anything fails,
//!   still in the old one. `orders` stays declared (empty) so that the upgrade never
//!   deletes it before its lines were moved.
//! - Versions 1 and 2 stored the other records one JSON text per record, keyed by id.
//!   After the upgrade to version 3, `migrate_records` converts every kind into buckets in
//!   one transaction, once (`meta.record_layout` says it was done). The version number
//!   changed so that an older app refuses the database instead of misreading buckets.
//! - Version 3 wrote every bucket as JSON. Version 4 writes them compact (MessagePack) and
//!   reads both, so nothing is converted on open: a bucket becomes compact when its records
//!   next change. The version number changed so that a version-3 app in another tab is
//!   told to reload instead of failing on a compact bucket.
//! - `meta` holds small values (snapshot index, schema version, line count, layout);
//!   `snapshots` holds full backups taken before destructive operations.
//!
//! Every method that writes does so in one transaction: it lands whole or not at all.

use super::records::{self, Buckets, Put, BUCKETED, RECORD_LAYOUT};
pub use super::records::Stored;
use super::tabs::{announce, write_lock, Change};
use super::{Result, StoreError};
use clientscope_core::model::{Complaint, Contact, Counts, Customer, Dataset, Interaction, OrderLine, RecordKind, Survey, SurveyResponse, Timestamp, SCHEMA_VERSION};
use clientscope_core::orders::{Chunk, Dict, Dictionaries, OrderTable, OrderTableBuilder, TableChange};
use js_sys::{Object, Reflect, Uint8Array};
use rexie::{ObjectStore, Rexie, Store, TransactionMode};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// Name of the production database.
pub const DB_NAME: &str = "clientscope";
const DB_VERSION: u32 = 4;
const META: &str = "meta";
const SNAPSHOTS: &str = "snapshots";
const SNAPSHOT_INDEX: &str = "snapshot_index";
const ORDER_LINES: &str = "order_lines";
/// Version 1's order lines (per customer, JSON); empty once migrated.
const ORDERS: &str = "orders";
const ORDER_CHUNKS: &str = "order_chunks";
const ORDER_DICTS: &str = "order_dicts";
const ORDER_FINGERPRINTS: &str = "order_fingerprints";
const LINES_LAYOUT: &str = "order_layout";
/// Names of the five dictionaries in `order_dicts`, in [`Dictionaries::lists`] order.
const DICT_NAMES: [&str; 5] = ["customers", "order_nos", "products", "categories", "channels"];
/// How many snapshots are kept.
pub const SNAPSHOTS_KEPT: usize = 3;

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
    /// The connection every read and write uses (`None` only once dropped).
    rexie: Option<Rexie>,
    /// A second connection of our own, opened first: rexie exposes neither the `blocked`
    /// event of an open nor the `versionchange` event of a connection, and both are how
    /// tabs of different versions learn of each other (see [`super::tabs`]).
    watch: Option<web_sys::IdbDatabase>,
}

impl Drop for Db {
    /// Closes both connections, so that a newer version in another tab can upgrade.
    fn drop(&mut self) {
        if let Some(w) = self.watch.take() {
            w.set_onversionchange(None);
            w.set_onclose(None);
            w.close();
        }
        if let Some(r) = self.rexie.take() {
            r.close();
        }
    }
}

fn record_stores() -> Vec<&'static str> {
    RecordKind::ALL.iter().map(|k| k.store_name()).filter(|&n| n != ORDERS).collect()
}

/// Every store a whole-data write touches: records, the line stores and `meta`.
fn with_meta() -> Vec<&'static str> {
    let mut v = record_stores();
    v.extend([ORDER_CHUNKS, ORDER_DICTS, META]);
    v
}

/// The record stores and `meta` (the records' migration).
fn records_and_meta() -> Vec<&'static str> {
    let mut v = record_stores();
    v.push(META);
    v
}

/// How a write treats the stored records of each kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RecordWrite {
    /// Everything stored is replaced by the given records.
    Replace,
    /// Records are put by id (new ones added, stored ones replaced).
    Upsert,
    /// Records are added; a stored id fails the write.
    Add,
    /// The records with the given ids are deleted.
    Delete,
}

/// Writes the records of `d` (all kinds but the order lines) in the caller's transaction.
async fn write_dataset(tx: &rexie::Transaction, d: &Dataset, how: RecordWrite, t: &mut Tally<'_>) -> Result<()> {
    write_kind(tx, &d.customers, how, t).await?;
    write_kind(tx, &d.contacts, how, t).await?;
    write_kind(tx, &d.interactions, how, t).await?;
    write_kind(tx, &d.complaints, how, t).await?;
    write_kind(tx, &d.surveys, how, t).await?;
    write_kind(tx, &d.responses, how, t).await
}

async fn write_kind<T: Stored>(tx: &rexie::Transaction, records: &[T], how: RecordWrite, t: &mut Tally<'_>) -> Result<()> {
    if records.is_empty() && how != RecordWrite::Replace {
        return Ok(());
    }
    let mut b = Buckets::<T>::open(tx).await?;
    match how {
        RecordWrite::Replace => {
            b.clear().await?;
            b.put(records, Put::Replace).await?;
        }
        RecordWrite::Upsert => b.put(records, Put::Replace).await?,
        RecordWrite::Add => b.put(records, Put::Refuse).await?,
        RecordWrite::Delete => b.remove(records.iter().map(|r| r.id())).await?,
    }
    let meta = tx.store(META)?;
    b.save(&meta, &mut |written, bytes| {
        t.bytes += bytes;
        if written > 0 {
            t.done += written;
            (t.progress)(t.done, t.total);
        }
    })
    .await
}

/// The order lines a write stores beside the records.
#[derive(Clone, Copy)]
pub enum LineWrite<'a> {
    /// The stored lines stay as they are.
    Keep,
    /// The whole table, replacing what is stored.
    All(&'a OrderTable),
    /// The table after a change: only the chunks the change names (and the dictionaries
    /// when they grew) are written; stored chunks past the table's end are deleted.
    Changed(&'a OrderTable, &'a TableChange),
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

    /// Opens a database by name (tests use their own), upgrading a version-1 database
    /// and moving its order lines into the chunked layout.
    pub async fn open_named(name: &str) -> Result<Db> {
        let mut builder = Rexie::builder(name).version(DB_VERSION);
        for store in RecordKind::ALL.iter().map(|k| k.store_name()).chain([META, SNAPSHOTS, ORDER_CHUNKS, ORDER_DICTS]) {
            builder = builder.add_object_store(ObjectStore::new(store));
        }
        let watch = open_watch(name).await?;
        let db = Db { rexie: Some(builder.build().await?), watch: Some(watch) };
        db.migrate_lines().await?;
        db.migrate_records().await?;
        Ok(db)
    }

    /// Deletes a database by name (tests).
    pub async fn delete_named(name: &str) -> Result<()> {
        Ok(Rexie::delete(name).await?)
    }

    /// Closes the connection (tests open the same database again).
    pub fn close(self) {
        drop(self);
    }

    /// The open connection.
    fn rx(&self) -> Result<&Rexie> {
        // Set at open, taken only by `drop`.
        self.rexie.as_ref().ok_or_else(|| StoreError::Idb("connection closed".into()))
    }

    /// Moves version 1's per-customer JSON order lines into the chunked layout, in one
    /// transaction, once: `meta.order_layout` says it was done.
    async fn migrate_lines(&self) -> Result<()> {
        let tx = self.rx()?.transaction(&[ORDERS, ORDER_CHUNKS, ORDER_DICTS, META], TransactionMode::ReadWrite)?;
        let meta = tx.store(META)?;
        if meta.get(JsValue::from_str(LINES_LAYOUT)).await?.is_some_and(|v| !v.is_undefined()) {
            return finish(tx, 0).await;
        }
        let old = tx.store(ORDERS)?;
        let rows = read_orders(&old).await?;
        let table = OrderTable::from_rows(&rows);
        let none = |_: usize, _: usize| {};
        let mut t = Tally { done: 0, total: rows.len(), bytes: 0, progress: &none };
        if let Err(e) = write_lines(&tx, LineWrite::All(&table), 0, &mut t).await {
            let _ = tx.abort().await;
            return Err(e);
        }
        old.clear().await?;
        meta.put(&JsValue::from_str("2"), Some(&JsValue::from_str(LINES_LAYOUT))).await?;
        finish(tx, t.bytes).await
    }

    /// Converts the records of a version-2 database (one JSON text per record) into
    /// buckets, in one transaction, once: `meta.record_layout` says it was done. On any
    /// failure nothing changes and the open fails.
    async fn migrate_records(&self) -> Result<()> {
        let tx = self.rx()?.transaction(&records_and_meta(), TransactionMode::ReadWrite)?;
        let meta = tx.store(META)?;
        if meta.get(JsValue::from_str(RECORD_LAYOUT)).await?.is_some_and(|v| !v.is_undefined()) {
            return finish(tx, 0).await;
        }
        let moved = async {
            let mut bytes = records::migrate_kind::<Customer>(&tx).await?;
            bytes += records::migrate_kind::<Contact>(&tx).await?;
            bytes += records::migrate_kind::<Interaction>(&tx).await?;
            bytes += records::migrate_kind::<Complaint>(&tx).await?;
            bytes += records::migrate_kind::<Survey>(&tx).await?;
            bytes += records::migrate_kind::<SurveyResponse>(&tx).await?;
            meta.put(&JsValue::from_str(BUCKETED), Some(&JsValue::from_str(RECORD_LAYOUT))).await?;
            Ok::<usize, StoreError>(bytes)
        }
        .await;
        match moved {
            Ok(bytes) => finish(tx, bytes).await,
            Err(e) => {
                let _ = tx.abort().await;
                Err(e)
            }
        }
    }

    /// Counts of stored records per kind (from `meta`).
    pub async fn counts(&self) -> Result<Counts> {
        let tx = self.rx()?.transaction(&[META], TransactionMode::ReadOnly)?;
        let mut c = Counts::default();
        let meta = tx.store(META)?;
        for kind in RecordKind::ALL {
            let n = if kind == RecordKind::OrderLine { read_order_count(&meta).await? } else { records::count(&meta, kind.store_name()).await? };
            set_count(&mut c, kind, n);
        }
        tx.done().await?;
        Ok(c)
    }

    /// Reads every record except the order lines.
    pub async fn load_records(&self) -> Result<Dataset> {
        self.read_kinds(&RecordKind::ALL).await
    }

    /// Reads the records of `kinds` again (what another tab changed); the other kinds and
    /// the order lines are left empty.
    pub async fn load_kinds(&self, kinds: &[RecordKind]) -> Result<Dataset> {
        self.read_kinds(kinds).await
    }

    /// Reads the customers alone (what the worker needs beside the lines).
    pub async fn load_customers(&self) -> Result<Vec<Customer>> {
        Ok(self.read_kinds(&[RecordKind::Customer]).await?.customers)
    }

    /// The records of `kinds` (order lines aside): every bucket of them fetched in one
    /// transaction, all requests made at once, then decoded kind by kind once it is over
    /// (`records::fetch_kind`, `records::decode_kind`).
    async fn read_kinds(&self, kinds: &[RecordKind]) -> Result<Dataset> {
        let stores: Vec<&str> = kinds.iter().filter(|&&k| k != RecordKind::OrderLine).map(|k| k.store_name()).chain([META]).collect();
        let tx = self.rx()?.transaction(&stores, TransactionMode::ReadOnly)?;
        let want = |k: RecordKind| kinds.contains(&k);
        async fn fetch<T: records::Stored>(tx: &rexie::Transaction, wanted: bool) -> Result<Option<records::Fetched>> {
            if wanted {
                records::fetch_kind::<T>(tx).await.map(Some)
            } else {
                Ok(None)
            }
        }
        async fn decode<T: records::Stored>(f: Option<records::Fetched>) -> Result<Vec<T>> {
            match f {
                Some(f) => records::decode_kind(f).await,
                None => Ok(Vec::new()),
            }
        }
        let (customers, contacts, interactions, complaints, surveys, responses) = futures::join!(
            fetch::<Customer>(&tx, want(RecordKind::Customer)),
            fetch::<clientscope_core::model::Contact>(&tx, want(RecordKind::Contact)),
            fetch::<clientscope_core::model::Interaction>(&tx, want(RecordKind::Interaction)),
            fetch::<clientscope_core::model::Complaint>(&tx, want(RecordKind::Complaint)),
            fetch::<clientscope_core::model::Survey>(&tx, want(RecordKind::Survey)),
            fetch::<clientscope_core::model::SurveyResponse>(&tx, want(RecordKind::SurveyResponse)),
        );
        let fetched = (customers?, contacts?, interactions?, complaints?, surveys?, responses?);
        tx.done().await?;
        Ok(Dataset {
            customers: decode(fetched.0).await?,
            contacts: decode(fetched.1).await?,
            interactions: decode(fetched.2).await?,
            complaints: decode(fetched.3).await?,
            surveys: decode(fetched.4).await?,
            responses: decode(fetched.5).await?,
            orders: Vec::new(),
        })
    }

    /// Reads the order lines as the columnar table (typed arrays, no JSON), checking the
    /// line count and every chunk's fingerprint against `meta`.
    pub async fn load_lines(&self) -> Result<OrderTable> {
        let tx = self.rx()?.transaction(&[ORDER_CHUNKS, ORDER_DICTS, META], TransactionMode::ReadOnly)?;
        let meta = tx.store(META)?;
        let count = read_order_count(&meta).await?;
        let prints = read_fingerprints(&meta).await?;
        let dict_store = tx.store(ORDER_DICTS)?;
        let mut lists: Vec<Dict> = Vec::with_capacity(5);
        for name in DICT_NAMES {
            let list = match dict_store.get(JsValue::from_str(name)).await? {
                Some(v) if !v.is_undefined() => {
                    // The text becomes the dictionary's arena as it is (no copy, no string
                    // per value).
                    let text = Reflect::get(&v, &"text".into()).ok().and_then(|t| t.as_string()).unwrap_or_default();
                    let ends = bytes_of(&v, "ends");
                    Dict::from_packed(text, &ends).ok_or_else(|| corrupt(ORDER_DICTS, name, "the dictionary is damaged"))?
                }
                _ => Dict::default(),
            };
            lists.push(list);
        }
        let chunks = tx.store(ORDER_CHUNKS)?;
        let mut keys: Vec<f64> = chunks.get_all_keys(None, None).await?.iter().map(|k| k.as_f64().unwrap_or(f64::MAX)).collect();
        if keys.len() != prints.len() {
            return Err(corrupt(ORDER_CHUNKS, "*", &format!("{} chunks stored, {} recorded", keys.len(), prints.len())));
        }
        keys.sort_by(f64::total_cmp);
        let mut it = lists.into_iter();
        let mut next = || it.next().unwrap_or_default();
        let dicts = Dictionaries { customers: next(), order_nos: next(), products: next(), categories: next(), channels: next() };
        // One chunk at a time, in index order, each by a request of its own: the browser
        // makes a result's JavaScript values when it is read, and all chunks from one
        // `getAll` took one 0.4 s task at 2M lines; awaiting each request also gives the
        // browser its turn between chunks. Each is copied into wasm memory, checked and
        // appended, then dropped with its JavaScript buffers, so the table grows while at
        // most one chunk is held twice (all of them at once were 140 MB more at 2M lines,
        // and wasm memory never shrinks).
        let mut builder = OrderTableBuilder::new(dicts, count);
        for k in keys {
            let v = chunks.get(JsValue::from(k)).await?.filter(|v| !v.is_undefined()).ok_or_else(|| corrupt(ORDER_CHUNKS, &k.to_string(), "a chunk went missing while it was read"))?;
            let c = chunk_from_js(&v)?;
            if prints.get(c.index as usize) != Some(&format!("{:016x}", c.fingerprint())) {
                return Err(corrupt(ORDER_CHUNKS, &c.index.to_string(), "the chunk does not match its fingerprint"));
            }
            builder.push(&c).map_err(|e| corrupt(ORDER_CHUNKS, &e.chunk.to_string(), &e.problem.to_string()))?;
        }
        drop(chunks);
        tx.done().await?;
        let table = builder.finish();
        if table.len() != count {
            return Err(corrupt(META, ORDER_LINES, &format!("{} lines stored, {count} recorded", table.len())));
        }
        Ok(table)
    }

    /// Reads every record, the order lines as row structs (tests and small data; the app
    /// uses [`Db::load_records`] and [`Db::load_lines`]).
    pub async fn load_all(&self) -> Result<Dataset> {
        let mut d = self.load_records().await?;
        d.orders = self.load_lines().await?.to_rows();
        Ok(d)
    }

    /// Replaces everything stored by the records of `d` and the lines of `lines` (the
    /// `orders` of `d` are not read), in one transaction: on any failure (a full disk
    /// included) nothing changes.
    pub async fn replace_all(&self, d: &Dataset, lines: &OrderTable, progress: &dyn Fn(usize, usize)) -> Result<()> {
        let _lock = write_lock().await;
        self.mark_large_write().await?;
        let done = self.replace_all_marked(d, lines, progress).await;
        let _ = self.clear_large_write().await;
        announced(done, Change::all())
    }

    async fn replace_all_marked(&self, d: &Dataset, lines: &OrderTable, progress: &dyn Fn(usize, usize)) -> Result<()> {
        let _running = LargeWrite::start();
        let tx = self.rx()?.transaction(&with_meta(), TransactionMode::ReadWrite)?;
        let mut t = Tally { done: 0, total: d.counts().total() - d.orders.len() + lines.len(), bytes: 0, progress };
        let written = async {
            write_dataset(&tx, d, RecordWrite::Replace, &mut t).await?;
            write_lines(&tx, LineWrite::All(lines), 0, &mut t).await?;
            let meta = tx.store(META)?;
            meta.put(&JsValue::from_str(&SCHEMA_VERSION.to_string()), Some(&JsValue::from_str("schema_version"))).await?;
            meta.put(&JsValue::from_str(BUCKETED), Some(&JsValue::from_str(RECORD_LAYOUT))).await?;
            Ok(())
        }
        .await;
        commit_or_abort(tx, written, t.bytes).await
    }

    /// Adds every record of `d` (the undo of a delete; its `orders` are not read) and writes
    /// `lines`; fails, writing nothing, if any record id is already stored.
    pub async fn add_all(&self, d: &Dataset, lines: LineWrite<'_>) -> Result<()> {
        let _lock = write_lock().await;
        let none = |_: usize, _: usize| {};
        let mut t = Tally { done: 0, total: 0, bytes: 0, progress: &none };
        announced(self.write_all(d, RecordWrite::Add, lines, &mut t).await, change_of(d, lines))
    }

    /// Writes the records of `d` as `mode` says and `lines`, in one transaction that
    /// commits whole or is aborted.
    async fn write_all(&self, d: &Dataset, mode: RecordWrite, lines: LineWrite<'_>, t: &mut Tally<'_>) -> Result<()> {
        let tx = self.rx()?.transaction(&with_meta(), TransactionMode::ReadWrite)?;
        let written = async {
            write_dataset(&tx, d, mode, t).await?;
            let stored = read_chunk_count(&tx.store(META)?).await?;
            write_lines(&tx, lines, stored, t).await
        }
        .await;
        commit_or_abort(tx, written, t.bytes).await
    }

    /// Inserts or updates every record of `d` in one transaction (the import wizard's
    /// write; its `orders` are not read): records of each kind are put by id (new ones
    /// added, existing ones such as updated customers replaced) and `lines` written.
    /// Reports (records written, total) as it goes. On any failure nothing changes.
    pub async fn upsert_all(&self, d: &Dataset, lines: LineWrite<'_>, progress: &dyn Fn(usize, usize)) -> Result<()> {
        let line_total = match lines {
            LineWrite::Keep => 0,
            LineWrite::All(t) => t.len(),
            LineWrite::Changed(t, c) => c.chunks.iter().map(|&k| t.len().saturating_sub(k * clientscope_core::orders::CHUNK_LINES).min(clientscope_core::orders::CHUNK_LINES)).sum(),
        };
        let mut t = Tally { done: 0, total: d.counts().total() - d.orders.len() + line_total, bytes: 0, progress };
        (t.progress)(0, t.total);
        let _lock = write_lock().await;
        self.mark_large_write().await?;
        let _running = LargeWrite::start();
        let done = self.write_all(d, RecordWrite::Upsert, lines, &mut t).await;
        let _ = self.clear_large_write().await;
        announced(done, change_of(d, lines))
    }

    /// Notes in `meta`, in a transaction of its own committed before the write starts,
    /// that a large write is under way. Unlike localStorage, which Chromium writes to disk
    /// only after a delay (a killed browser loses it), a committed IndexedDB transaction
    /// is on disk, so the next start can say the write was cut off.
    async fn mark_large_write(&self) -> Result<()> {
        let tx = self.rx()?.transaction(&[META], TransactionMode::ReadWrite)?;
        tx.store(META)?.put(&JsValue::from_str(&chrono::Utc::now().to_rfc3339()), Some(&JsValue::from_str(LARGE_WRITE_KEY))).await?;
        tx.done().await?;
        Ok(())
    }

    /// Removes the note of [`Db::mark_large_write`] (the write committed or was aborted).
    async fn clear_large_write(&self) -> Result<()> {
        let tx = self.rx()?.transaction(&[META], TransactionMode::ReadWrite)?;
        tx.store(META)?.delete(JsValue::from_str(LARGE_WRITE_KEY)).await?;
        tx.done().await?;
        Ok(())
    }

    /// The start time (RFC 3339) of a large write that never ended because the page was
    /// closed or the browser killed during it; the note is removed as it is read.
    pub async fn take_interrupted_write(&self) -> Result<Option<String>> {
        let tx = self.rx()?.transaction(&[META], TransactionMode::ReadWrite)?;
        let meta = tx.store(META)?;
        let at = meta.get(JsValue::from_str(LARGE_WRITE_KEY)).await?.and_then(|v| v.as_string());
        if at.is_some() {
            meta.delete(JsValue::from_str(LARGE_WRITE_KEY)).await?;
        }
        tx.done().await?;
        Ok(at)
    }

    /// Inserts or updates one record of a kind stored in buckets (its bucket is rewritten;
    /// order lines are written as a table: [`Db::put_lines`]).
    pub async fn put<R: Stored>(&self, record: &R) -> Result<()> {
        if R::KIND == RecordKind::OrderLine {
            return Err(StoreError::Idb("order lines are written with put_lines".into()));
        }
        self.put_checked(record, None).await
    }

    /// Inserts or updates one record of a kind stored in buckets, as [`Db::put`] does,
    /// but only if the stored record is still the one this tab read: with `read_at` (the
    /// `updated_at` of the record as read) the write fails with [`StoreError::Changed`]
    /// when another tab changed it since, and with [`StoreError::Deleted`] when another
    /// tab deleted it. The check and the write are one transaction.
    pub async fn put_checked<R: Stored>(&self, record: &R, read_at: Option<Timestamp>) -> Result<()> {
        if R::KIND == RecordKind::OrderLine {
            return Err(StoreError::Idb("order lines are written with put_lines".into()));
        }
        let _lock = write_lock().await;
        let name = R::KIND.store_name();
        let tx = self.rx()?.transaction(&[name, META], TransactionMode::ReadWrite)?;
        let none = |_: usize, _: usize| {};
        let mut t = Tally { done: 0, total: 1, bytes: 0, progress: &none };
        let written = async {
            if let Some(at) = read_at {
                match records::read_one::<R>(&tx.store(name)?, record.id()).await? {
                    None => return Err(StoreError::Deleted),
                    Some(stored) if stored.updated_at() != at => return Err(StoreError::Changed { at: stored.updated_at() }),
                    Some(_) => {}
                }
            }
            write_kind(&tx, std::slice::from_ref(record), RecordWrite::Upsert, &mut t).await
        }
        .await;
        announced(commit_or_abort(tx, written, t.bytes).await, Change { kinds: vec![R::KIND] })
    }

    /// Writes order lines alone (an edit of lines).
    pub async fn put_lines(&self, lines: LineWrite<'_>) -> Result<()> {
        self.upsert_all(&Dataset::default(), lines, &|_, _| {}).await
    }

    /// Reads one record of a kind stored in buckets.
    pub async fn get<R: Stored>(&self, id: &str) -> Result<Option<R>> {
        let name = R::KIND.store_name();
        let tx = self.rx()?.transaction(&[name], TransactionMode::ReadOnly)?;
        let found = records::read_one(&tx.store(name)?, id).await;
        tx.done().await?;
        found
    }

    /// Deletes the records of `d` (matched by id; its `orders` are not read) and writes
    /// `lines` (the table without the removed lines), in one transaction.
    pub async fn delete(&self, d: &Dataset, lines: LineWrite<'_>) -> Result<()> {
        let _lock = write_lock().await;
        let tx = self.rx()?.transaction(&with_meta(), TransactionMode::ReadWrite)?;
        let none = |_: usize, _: usize| {};
        let mut t = Tally { done: 0, total: 0, bytes: 0, progress: &none };
        let written = async {
            write_dataset(&tx, d, RecordWrite::Delete, &mut t).await?;
            let stored = read_chunk_count(&tx.store(META)?).await?;
            write_lines(&tx, lines, stored, &mut t).await
        }
        .await;
        announced(commit_or_abort(tx, written, t.bytes).await, change_of(d, lines))
    }

    /// Stores a snapshot (a backup text) and drops the oldest beyond [`SNAPSHOTS_KEPT`], in
    /// one transaction.
    pub async fn save_snapshot(&self, info: SnapshotInfo, backup_text: &str) -> Result<()> {
        let _lock = write_lock().await;
        let tx = self.rx()?.transaction(&[META, SNAPSHOTS], TransactionMode::ReadWrite)?;
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
        let tx = self.rx()?.transaction(&[META], TransactionMode::ReadOnly)?;
        let mut index = read_index(&tx.store(META)?).await?;
        tx.done().await?;
        index.reverse();
        Ok(index)
    }

    /// The backup text of a snapshot.
    pub async fn snapshot_text(&self, key: &str) -> Result<Option<String>> {
        let tx = self.rx()?.transaction(&[SNAPSHOTS], TransactionMode::ReadOnly)?;
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

thread_local! {
    static LARGE_WRITES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Key in `meta` of the note that a large write is under way ([`Db::mark_large_write`]).
const LARGE_WRITE_KEY: &str = "large_write_started";

/// A large write (import, restore, demo) under way: while one lives the page asks before
/// it is closed ([`large_write_running`]), and `clientscope.write` in localStorage says so,
/// so that a start after a killed browser can tell the user the write was cut off (being
/// one transaction, nothing of it was kept).
struct LargeWrite;

impl LargeWrite {
    fn start() -> Self {
        LARGE_WRITES.with(|n| n.set(n.get() + 1));
        super::prefs::mark_write_started(&chrono::Utc::now().to_rfc3339());
        LargeWrite
    }
}

impl Drop for LargeWrite {
    fn drop(&mut self) {
        let left = LARGE_WRITES.with(|n| {
            n.set(n.get().saturating_sub(1));
            n.get()
        });
        if left == 0 {
            super::prefs::mark_write_ended();
        }
    }
}

/// True while an import, restore or demo write runs (leaving the page would cut it off).
pub fn large_write_running() -> bool {
    LARGE_WRITES.with(|n| n.get() > 0)
}

/// The kinds a write of `d` and `lines` changes.
fn change_of(d: &Dataset, lines: LineWrite<'_>) -> Change {
    let c = d.counts();
    let mut kinds: Vec<RecordKind> = RecordKind::ALL.into_iter().filter(|&k| k != RecordKind::OrderLine && c.get(k) > 0).collect();
    if !matches!(lines, LineWrite::Keep) {
        kinds.push(RecordKind::OrderLine);
    }
    Change { kinds }
}

/// Tells the other tabs about a write that committed.
fn announced(result: Result<()>, change: Change) -> Result<()> {
    if result.is_ok() {
        announce(&change);
    }
    result
}

/// Opens the database at [`DB_VERSION`] with web-sys, before rexie does: creates the
/// object stores an upgrade needs (as rexie's builder would: out-of-line keys), reports a
/// wait on an older version open in another tab (`blocked`), and keeps the connection to
/// hear of a newer version in another tab (`versionchange`): then it closes, the app
/// drops its own connection and asks for a reload ([`super::tabs::VersionEvent`]).
async fn open_watch(name: &str) -> Result<web_sys::IdbDatabase> {
    use super::tabs::{version_event, VersionEvent};
    use wasm_bindgen::closure::Closure;
    let factory: web_sys::IdbFactory = Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| StoreError::Idb("IndexedDB is not available".into()))?;
    let request = factory.open_with_u32(name, DB_VERSION).map_err(|e| StoreError::Idb(format!("{e:?}")))?;
    let on_upgrade = Closure::<dyn Fn(web_sys::IdbVersionChangeEvent)>::new({
        let request = request.clone();
        move |_| {
            let Ok(db) = request.result().and_then(|r| r.dyn_into::<web_sys::IdbDatabase>()) else { return };
            let have = db.object_store_names();
            for store in RecordKind::ALL.iter().map(|k| k.store_name()).chain([META, SNAPSHOTS, ORDER_CHUNKS, ORDER_DICTS]) {
                if !have.contains(store) {
                    let _ = db.create_object_store(store);
                }
            }
        }
    });
    let blocked = std::rc::Rc::new(std::cell::Cell::new(false));
    let on_blocked = Closure::<dyn Fn(web_sys::Event)>::new({
        let blocked = blocked.clone();
        move |_| {
            blocked.set(true);
            version_event(VersionEvent::Blocked);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    request.set_onblocked(Some(on_blocked.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = wasm_bindgen_futures::JsFuture::from(done).await;
    request.set_onupgradeneeded(None);
    request.set_onblocked(None);
    request.set_onsuccess(None);
    request.set_onerror(None);
    drop((on_upgrade, on_blocked));
    if blocked.get() {
        version_event(VersionEvent::Unblocked);
    }
    if outcome.is_err() {
        let error = request.error().ok().flatten();
        if error.as_ref().is_some_and(|e| e.name() == "VersionError") {
            version_event(VersionEvent::TooNew);
            return Err(StoreError::TooNew);
        }
        return Err(StoreError::Idb(error.map(|e| e.message()).unwrap_or_else(|| "open failed".into())));
    }
    let db: web_sys::IdbDatabase = request.result().and_then(|r| r.dyn_into()).map_err(|e| StoreError::Idb(format!("{e:?}")))?;
    let on_change = Closure::<dyn Fn(web_sys::IdbVersionChangeEvent)>::new({
        let db = db.clone();
        move |ev: web_sys::IdbVersionChangeEvent| {
            db.close();
            // A deletion announces no new version.
            version_event(if ev.new_version().is_none() { VersionEvent::Deleted } else { VersionEvent::Upgraded });
        }
    });
    db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    // The browser closes every connection itself when it clears the site's storage.
    let on_close = Closure::<dyn Fn(web_sys::Event)>::new(|_| version_event(VersionEvent::Deleted));
    db.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    // Both live as long as the page: the handlers may fire at any time.
    on_change.forget();
    on_close.forget();
    Ok(db)
}

/// Commits a write whose requests all succeeded, or aborts it (nothing of it lands).
async fn commit_or_abort(tx: rexie::Transaction, written: Result<()>, bytes: usize) -> Result<()> {
    match written {
        Ok(()) => finish(tx, bytes).await,
        Err(e) => {
            let _ = tx.abort().await;
            Err(e)
        }
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

async fn read_orders(store: &Store) -> Result<Vec<OrderLine>> {
    let values = store.get_all(None, None).await?;
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let group: Vec<OrderLine> = parse_value(v, ORDERS, &format!("#{i}"))?;
        out.extend(group);
    }
    Ok(out)
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

fn corrupt(store: &str, key: &str, detail: &str) -> StoreError {
    StoreError::Corrupt { store: store.into(), key: key.into(), detail: detail.into() }
}

/// Fingerprints of the stored chunks (hex, by chunk number).
async fn read_fingerprints(meta: &Store) -> Result<Vec<String>> {
    match meta.get(JsValue::from_str(ORDER_FINGERPRINTS)).await? {
        Some(v) if !v.is_undefined() => parse_value(&v, META, ORDER_FINGERPRINTS),
        _ => Ok(Vec::new()),
    }
}

async fn read_chunk_count(meta: &Store) -> Result<usize> {
    Ok(read_fingerprints(meta).await?.len())
}

/// A column of a stored object as bytes (empty when missing).
fn bytes_of(v: &JsValue, field: &str) -> Vec<u8> {
    Reflect::get(v, &field.into()).ok().and_then(|b| b.dyn_into::<Uint8Array>().ok()).map(|b| b.to_vec()).unwrap_or_default()
}

fn set(o: &Object, field: &str, value: &JsValue) {
    // Setting a field of a fresh plain object cannot fail.
    let _ = Reflect::set(o, &field.into(), value);
}

const COLUMNS: [&str; 14] = ["customer", "day", "amount", "profit", "profit_known", "quantity", "quantity_known", "order_no", "product", "category", "channel", "id_end", "created_ns", "updated_ns"];

fn columns(c: &Chunk) -> [&Vec<u8>; 14] {
    [&c.customer, &c.day, &c.amount, &c.profit, &c.profit_known, &c.quantity, &c.quantity_known, &c.order_no, &c.product, &c.category, &c.channel, &c.id_end, &c.created_ns, &c.updated_ns]
}

/// A chunk as the object stored: numbers, the id text and one `Uint8Array` per column.
fn chunk_to_js(c: &Chunk) -> JsValue {
    let o = Object::new();
    set(&o, "index", &JsValue::from(c.index));
    set(&o, "lines", &JsValue::from(c.lines));
    set(&o, "id_text", &JsValue::from_str(&c.id_text));
    for (name, col) in COLUMNS.iter().zip(columns(c)) {
        set(&o, name, &Uint8Array::from(col.as_slice()).into());
    }
    o.into()
}

fn chunk_from_js(v: &JsValue) -> Result<Chunk> {
    let num = |field: &str| Reflect::get(v, &field.into()).ok().and_then(|x| x.as_f64()).filter(|x| *x >= 0.0 && x.fract() == 0.0 && *x <= f64::from(u32::MAX)).map(|x| x as u32);
    let (Some(index), Some(lines)) = (num("index"), num("lines")) else {
        return Err(corrupt(ORDER_CHUNKS, "?", "a chunk without its number or line count"));
    };
    let id_text = Reflect::get(v, &"id_text".into()).ok().and_then(|t| t.as_string()).unwrap_or_default();
    let mut c = Chunk { index, lines, id_text, ..Default::default() };
    let [a, b, cc, d, e, f, g, h, i, j, k, l, m, n] = COLUMNS.map(|name| bytes_of(v, name));
    (c.customer, c.day, c.amount, c.profit, c.profit_known, c.quantity, c.quantity_known) = (a, b, cc, d, e, f, g);
    (c.order_no, c.product, c.category, c.channel, c.id_end, c.created_ns, c.updated_ns) = (h, i, j, k, l, m, n);
    Ok(c)
}

/// Writes the order lines of a write into the chunk and dictionary stores and `meta`
/// (line count, fingerprints), within the caller's transaction. `stored` is the number of
/// chunks stored before.
async fn write_lines(tx: &rexie::Transaction, lines: LineWrite<'_>, stored: usize, t: &mut Tally<'_>) -> Result<()> {
    let (table, chunks, dicts): (&OrderTable, Vec<usize>, bool) = match lines {
        LineWrite::Keep => return Ok(()),
        LineWrite::All(table) => (table, (0..table.chunk_count()).collect(), true),
        LineWrite::Changed(table, change) => (table, change.chunks.iter().copied().filter(|&k| k < table.chunk_count()).collect(), change.dictionaries),
    };
    let store = tx.store(ORDER_CHUNKS)?;
    let meta = tx.store(META)?;
    let mut prints = match lines {
        LineWrite::All(_) => {
            store.clear().await?;
            Vec::new()
        }
        _ => read_fingerprints(&meta).await?,
    };
    if (prints.len()..table.chunk_count()).any(|k| !chunks.contains(&k)) {
        return Err(StoreError::Idb("internal: a new chunk is not among the changed ones".into()));
    }
    prints.resize(table.chunk_count(), String::new());
    for k in chunks {
        let c = table.chunk(k);
        prints[k] = format!("{:016x}", c.fingerprint());
        t.bytes += columns(&c).iter().map(|col| col.len()).sum::<usize>() + c.id_text.len();
        // Making the chunk's typed arrays (5 MB at 65,536 lines) and the put's structured
        // clone of them go in separate tasks: the browser gets its turn in between.
        let (value, lines) = (chunk_to_js(&c), c.lines as usize);
        drop(c);
        super::records::breathe(&store).await?;
        store.put(&value, Some(&JsValue::from(k as u32))).await?;
        t.done += lines;
        (t.progress)(t.done, t.total);
    }
    for k in table.chunk_count()..stored {
        store.delete(JsValue::from(k as u32)).await?;
    }
    if dicts {
        let dict_store = tx.store(ORDER_DICTS)?;
        for (name, list) in DICT_NAMES.iter().zip(table.dictionary_values()) {
            // `Dictionaries::pack` without its copy of the text: the arena is the stored form.
            let (text, ends) = (list.text(), list.ends());
            t.bytes += text.len() + 4 * ends.len();
            // A million order numbers are 10 MB of text and 4 MB of ends: decoding the text
            // into a JS string, making the ends' bytes and the put's structured clone
            // each take a task of their own (together they held the page for 54-75 ms at
            // the end of a 1M-line CSV import). A dictionary under 1 MB goes in one go.
            let large = text.len() + 4 * ends.len() >= 1 << 20;
            let text = JsValue::from_str(text);
            if large {
                super::records::breathe(&dict_store).await?;
            }
            let ends: Vec<u8> = ends.iter().flat_map(|e| e.to_le_bytes()).collect();
            let o = Object::new();
            set(&o, "text", &text);
            set(&o, "ends", &Uint8Array::from(ends.as_slice()).into());
            drop(ends);
            if large {
                super::records::breathe(&dict_store).await?;
            }
            dict_store.put(&o.into(), Some(&JsValue::from_str(name))).await?;
        }
    }
    meta.put(&JsValue::from_str(&to_json(&prints)?), Some(&JsValue::from_str(ORDER_FINGERPRINTS))).await?;
    write_order_count(&meta, table.len()).await?;
    Ok(())
}

async fn read_index(meta: &Store) -> Result<Vec<SnapshotInfo>> {
    match meta.get(JsValue::from_str(SNAPSHOT_INDEX)).await? {
        Some(v) if !v.is_undefined() => parse_value(&v, META, SNAPSHOT_INDEX),
        _ => Ok(Vec::new()),
    }
}
