//! Records (every kind but the order lines) in buckets: the layout of database versions 3 and 4.
//!
//! Each kind keeps its object store (`customers`, `contacts`, …), but a value is no longer
//! one record: it is a *bucket*, the encoded list (`clientscope_core::model::bucket`, in one
//! `Uint8Array`) of every record of that kind whose id falls into it, sorted by id,
//! stored under the bucket number. A record's bucket is derived from its id
//! ([`bucket_of`]: FNV-1a modulo [`BUCKETS`]), so no index from id to bucket is stored and
//! a single record is found, written or deleted by reading and rewriting one bucket. Start-up reads a kind with two requests (the keys and the values,
//! a few hundred typed arrays that the structured clone copies at memory speed) and parses
//! them in wasm, instead of 200,000 JSON texts crossing into wasm one by one (getAll of
//! those alone took 6.2 s).
//!
//! The encoding: version 3 wrote JSON (the records' backup JSON); version 4 writes
//! MessagePack with each record as an array of its fields (complaints stay JSON) and reads
//! both (see `model::bucket`, which also says how a record's fields may change). At
//! 200,000 demo customers the JSON buckets were 159 MB and reading them took 2.8 s of the
//! start-up in Chromium; compact, 43 MB and 1.4 s (`tests/e2e/bench_start.mjs`). An earlier
//! measurement found no gain, with the decode generic and so compiled into the app at its
//! size-optimised level; it is now compiled in the core (`Bucketed`), at speed.

//! `meta` holds, per kind (key `records:<store>`), the record count and each stored
//! bucket's fingerprint, written in the same transaction as the buckets; a read refuses a
//! bucket whose bytes do not match its fingerprint or a kind whose count differs.
//!
//! A version-2 database (one JSON text per record, keyed by id) is converted by
//! [`migrate_kind`] in the transaction that [`super::db::Db`] opens after the upgrade.

use super::{Result, StoreError};
use rexie::Store;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

use clientscope_core::model::{bucket, Record};

/// Buckets per kind. Part of the stored layout: changing it needs a migration.
pub const BUCKETS: u32 = 512;
/// `meta` key saying the records are in buckets (absent: one JSON text per record).
pub const RECORD_LAYOUT: &str = "record_layout";
/// The layout's value under [`RECORD_LAYOUT`].
pub const BUCKETED: &str = "buckets-512-json";
const META: &str = "meta";

/// A record type stored in buckets: the core's record trait plus serde.
pub trait Stored: Record + Serialize + DeserializeOwned + Clone + bucket::Bucketed {}
impl<T: Record + Serialize + DeserializeOwned + Clone + bucket::Bucketed> Stored for T {}

/// The bucket of an id: 32-bit FNV-1a of its UTF-8 bytes modulo [`BUCKETS`]. Part of the
/// stored layout.
pub fn bucket_of(id: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in id.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % BUCKETS
}

/// Fingerprint of a bucket's bytes (FxHash over 8-byte words, seeded with the length): it
/// catches damage, not tampering, and costs little next to the decode.
pub fn fingerprint(bytes: &[u8]) -> String {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(K);
    }
    for &b in words.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    format!("{h:016x}")
}

/// What `meta` records about one kind: how many records, and the fingerprint of every
/// stored bucket by number (a bucket with no record is not stored).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct KindMeta {
    /// Records of the kind.
    pub count: usize,
    /// Fingerprint of each stored bucket.
    pub fingerprints: BTreeMap<u32, String>,
}

fn meta_key(store: &str) -> JsValue {
    JsValue::from_str(&format!("records:{store}"))
}

fn corrupt(store: &str, key: &str, detail: &str) -> StoreError {
    StoreError::Corrupt { store: store.into(), key: key.into(), detail: detail.into() }
}

/// The kind's count and fingerprints (empty when nothing was ever written).
pub async fn read_meta(meta: &Store, store: &str) -> Result<KindMeta> {
    match meta.get(meta_key(store)).await? {
        Some(v) if !v.is_undefined() => {
            let text = v.as_string().ok_or_else(|| corrupt(META, &format!("records:{store}"), "value is not text"))?;
            serde_json::from_str(&text).map_err(|e| corrupt(META, &format!("records:{store}"), &e.to_string()))
        }
        _ => Ok(KindMeta::default()),
    }
}

async fn write_meta(meta: &Store, store: &str, info: &KindMeta) -> Result<()> {
    let text = serde_json::to_string(info).map_err(|e| StoreError::Idb(format!("serialisation: {e}")))?;
    meta.put(&JsValue::from_str(&text), Some(&meta_key(store))).await?;
    Ok(())
}

/// One record of an open bucket: borrowed from the write's batch, or read from the stored
/// bucket and boxed. Not `Cow`: its owned variant holds the record inline (a customer is
/// 640 bytes), so every sorted insert into a bucket's list moved whole records; a
/// pointer-sized entry moves 16 bytes. (This alone did not end the 60-77 ms task of the
/// 100k + 1M backup import; the breaks of [`breathe`] did.)
enum Entry<'a, T> {
    Batch(&'a T),
    Stored(Box<T>),
}

impl<T> Entry<'_, T> {
    fn get(&self) -> &T {
        match self {
            Entry::Batch(r) => r,
            Entry::Stored(r) => r,
        }
    }
}

/// A bucket's bytes: compact MessagePack, or JSON for complaints (`clientscope_core::model::bucket`).
fn encode<T: Stored>(records: &[Entry<'_, T>]) -> Result<Vec<u8>> {
    let records: Vec<&T> = records.iter().map(Entry::get).collect();
    T::encode_bucket(&records).map_err(|e| StoreError::Idb(format!("serialisation: {e}")))
}

/// The records of one stored bucket value, after checking its fingerprint.
fn decode<T: Stored>(v: &JsValue, store: &str, k: u32, expected: Option<&String>) -> Result<Vec<T>> {
    let bytes = v.dyn_ref::<js_sys::Uint8Array>().ok_or_else(|| corrupt(store, &k.to_string(), "a bucket is not bytes"))?.to_vec();
    if let Some(print) = expected {
        if *print != fingerprint(&bytes) {
            return Err(corrupt(store, &k.to_string(), "the bucket does not match its fingerprint"));
        }
    }
    T::decode_bucket(&bytes).map_err(|e| corrupt(store, &k.to_string(), &e))
}

fn key_number(k: &JsValue, store: &str) -> Result<u32> {
    k.as_f64().filter(|x| *x >= 0.0 && x.fract() == 0.0 && *x < f64::from(BUCKETS)).map(|x| x as u32).ok_or_else(|| corrupt(store, "?", "a value that is not a bucket"))
}

/// A kind's stored buckets as the browser gave them, not yet decoded ([`fetch_kind`]).
pub struct Fetched {
    name: &'static str,
    info: KindMeta,
    stored: usize,
    /// (keys, values) of each of the reads.
    reads: Vec<(Vec<JsValue>, Vec<JsValue>)>,
}

/// The buckets of a kind in eight reads of 64 (the browser makes a result's JavaScript
/// values in one task: one read of all 512 buckets of 200,000 customers was one task of
/// 0.12-0.15 s when they were JSON texts), all requested at once within the caller's
/// transaction (which must include the kind's store and `meta`). Nothing is decoded: the
/// caller fetches every kind it reads, lets the transaction end, then decodes each with
/// [`decode_kind`]. Read and decoded one read at a time before, the page waited for the
/// browser's storage between reads (about 85 ms of each 170 ms read at 200,000 customers).
pub async fn fetch_kind<T: Stored>(tx: &rexie::Transaction) -> Result<Fetched> {
    let name = T::KIND.store_name();
    let store = tx.store(name)?;
    let meta = tx.store(META)?;
    const READS: u32 = 8;
    let step = BUCKETS / READS;
    let range = |r: u32| {
        let lower = JsValue::from(r * step);
        let made = if r + 1 == READS { rexie::KeyRange::lower_bound(&lower, None) } else { rexie::KeyRange::bound(&lower, &JsValue::from((r + 1) * step), None, Some(true)) };
        made.map_err(|e| corrupt(name, "*", &format!("{e:?}")))
    };
    let mut ranges = Vec::with_capacity(2 * READS as usize);
    for r in 0..READS {
        ranges.push((range(r)?, range(r)?));
    }
    // `join!` polls every read once straight away, which makes all their requests.
    let reads = futures::future::join_all(ranges.into_iter().map(|(a, b)| {
        let store = &store;
        async move { futures::join!(store.get_all_keys(Some(a), None), store.get_all(Some(b), None)) }
    }));
    let (info, stored, reads) = futures::join!(read_meta(&meta, name), store.count(None), reads);
    let reads = reads.into_iter().map(|(k, v)| Ok((k?, v?))).collect::<Result<Vec<_>>>()?;
    Ok(Fetched { name, info: info?, stored: stored? as usize, reads })
}

/// The records of a kind fetched by [`fetch_kind`], each bucket checked against its
/// fingerprint, sorted by id. Decoding 200,000 customers takes the page's thread about a
/// second: the browser gets its turn every few milliseconds ([`yield_task`]; the
/// transaction is over).
pub async fn decode_kind<T: Stored>(f: Fetched) -> Result<Vec<T>> {
    let Fetched { name, info, stored, reads } = f;
    if stored != info.fingerprints.len() {
        return Err(corrupt(name, "*", &format!("{stored} buckets stored, {} recorded", info.fingerprints.len())));
    }
    let mut out: Vec<T> = Vec::with_capacity(info.count);
    let mut read = 0;
    let mut since = js_sys::Date::now();
    for (keys, values) in reads {
        if keys.len() != values.len() {
            return Err(corrupt(name, "*", &format!("{} keys, {} buckets", keys.len(), values.len())));
        }
        read += keys.len();
        for (k, v) in keys.iter().zip(&values) {
            if js_sys::Date::now() - since >= SLICE_MS {
                yield_task().await;
                since = js_sys::Date::now();
            }
            let k = key_number(k, name)?;
            let part: Vec<T> = decode(v, name, k, Some(info.fingerprints.get(&k).ok_or_else(|| corrupt(name, &k.to_string(), "a bucket that meta does not record"))?))?;
            out.extend(part);
        }
    }
    if read != stored {
        return Err(corrupt(name, "?", "a value that is not a bucket"));
    }
    if out.len() != info.count {
        return Err(corrupt(META, &format!("records:{name}"), &format!("{} records stored, {} recorded", out.len(), info.count)));
    }
    // Buckets are sorted within; across them the order is the hash's. Readers get the
    // records by id, as the one-value-per-record layout gave them.
    sort_by_id(&mut out).await;
    Ok(out)
}

/// Gives the browser its turn outside a transaction: a task of its own, through a message
/// this thread posts itself on a `MessageChannel` (works in the page and in the worker). A
/// zero-delay timer would do but for its clamping: nested timers wait at least 4 ms, which
/// a loop of short slices would pay at every break.
pub async fn yield_task() {
    /// The `resolve` of each break waiting for its message, oldest first.
    type Waiting = std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<js_sys::Function>>>;
    BREAKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    thread_local! {
        static CHANNEL: Option<(web_sys::MessageChannel, Waiting)> = {
            let ch = web_sys::MessageChannel::new().ok();
            ch.map(|ch| {
                let waiting = Waiting::default();
                let w = waiting.clone();
                let on = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                    if let Some(resolve) = w.borrow_mut().pop_front() {
                        let _ = resolve.call0(&JsValue::NULL);
                    }
                });
                ch.port1().set_onmessage(Some(on.as_ref().unchecked_ref()));
                // Lives as long as the thread: one channel, kept in this thread local.
                on.forget();
                (ch, waiting)
            })
        };
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        CHANNEL.with(|c| match c {
            Some((ch, waiting)) => {
                waiting.borrow_mut().push_back(resolve);
                if ch.port2().post_message(&JsValue::NULL).is_err() {
                    if let Some(r) = waiting.borrow_mut().pop_back() {
                        let _ = r.call0(&JsValue::NULL);
                    }
                }
            }
            None => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Sorts records by id. Records are large (a customer is 640 bytes), so the sort orders
/// their positions and then moves each record once along the permutation's cycles, rather
/// than swapping records at every step of the sort (a plain sort of 200,000 customers
/// took 126-179 ms in `tests/bench_store.rs`). Every stage works in pieces with the
/// browser getting its turn between them ([`yield_task`]): the positions are sorted in parts, the parts merged two by two, and the records
/// moved a range of cycles at a time. In one go the merge and the moves were one task of
/// 183 ms at 200,000 customers (a wasm-opt 0 build). A heap merge of the sorted buckets
/// straight into a new list was tried: 200-260 ms against this one's 250-280 ms, but it
/// holds every record twice at its peak, and wasm memory never shrinks (375 MB after
/// start at 200,000 customers + 2M lines, against 298 MB).
async fn sort_by_id<T: Record>(records: &mut [T]) {
    let n = records.len();
    // The ids with their positions, side by side: the sort then reads this list, not the
    // records (each id is a field of a 640-byte record, a cache miss per comparison).
    let mut keyed: Vec<(&str, u32)> = records.iter().enumerate().map(|(i, r)| (r.id(), i as u32)).collect();
    const PART: usize = 25_000;
    for part in keyed.chunks_mut(PART) {
        bucket::sort_keys(part);
        if n > PART {
            yield_task().await;
        }
    }
    // Bottom-up merges of neighbouring sorted runs, one merge per piece of work (the
    // standard library's sorts cannot stop between merges).
    let mut width = PART;
    let mut merged: Vec<(&str, u32)> = Vec::with_capacity(if n > PART { n } else { 0 });
    while width < n {
        merged.clear();
        for lo in (0..n).step_by(2 * width) {
            let (mid, hi) = ((lo + width).min(n), (lo + 2 * width).min(n));
            bucket::merge_keys(&keyed[lo..mid], &keyed[mid..hi], &mut merged);
            yield_task().await;
        }
        std::mem::swap(&mut keyed, &mut merged);
        width *= 2;
    }
    debug_assert!(keyed.windows(2).all(|w| w[0] <= w[1]));
    let mut order: Vec<u32> = keyed.into_iter().map(|(_, i)| i).collect();
    drop(merged);
    // Position i receives the record now at order[i]; a visited position is marked
    // u32::MAX (n < u32::MAX: positions are u32 above). The breaks come every 4,096 moves,
    // inside a cycle too: a random permutation's largest cycle holds about 60 % of the
    // records, and that cycle alone was one task of about 50 ms at 200,000 customers
    // (breaks between cycles only). A cycle picks up where it stopped: its state is `at`.
    let mut since = js_sys::Date::now();
    let mut moves = 0u32;
    for start in 0..n {
        if order[start] == u32::MAX {
            continue;
        }
        let mut at = start;
        loop {
            let from = order[at] as usize;
            order[at] = u32::MAX;
            if from == start {
                break;
            }
            records.swap(at, from);
            at = from;
            moves = moves.wrapping_add(1);
            if moves % 4096 == 0 && js_sys::Date::now() - since >= SLICE_MS {
                yield_task().await;
                since = js_sys::Date::now();
            }
        }
    }
}

/// Reads one record by id (one bucket).
pub async fn read_one<T: Stored>(store: &Store, id: &str) -> Result<Option<T>> {
    let k = bucket_of(id);
    match store.get(JsValue::from(k)).await? {
        Some(v) if !v.is_undefined() => {
            let list: Vec<T> = decode(&v, T::KIND.store_name(), k, None)?;
            Ok(list.into_iter().find(|r| r.id() == id))
        }
        _ => Ok(None),
    }
}

/// How long [`Buckets::put`] works before it lets the browser run other tasks.
pub(super) const SLICE_MS: f64 = 10.0;

/// Lets the browser run other tasks (input, rendering) in the middle of a write
/// transaction: awaits a cheap request on its store. A timer would not do: a transaction
/// with no request pending commits as soon as its task ends, and the rest of the write
/// would then fail. Putting 100,000 customers into empty buckets took one 60-77 ms task of
/// the 100k + 1M backup import without these breaks.
pub(super) async fn breathe(store: &Store) -> Result<()> {
    BREAKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    store.count(None).await?;
    Ok(())
}

static BREAKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many times [`breathe`] or [`yield_task`] gave the browser its turn in this page or worker (the
/// storage tests check that a large write took its breaks).
pub fn breaks_taken() -> usize {
    BREAKS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The buckets of one kind that a write changes: each read on first use, changed in
/// memory, written back by [`Buckets::save`] with the kind's count and fingerprints.
pub struct Buckets<'a, T: Stored> {
    store: Store,
    name: &'static str,
    info: KindMeta,
    /// Bucket → (records it held before, records of this write put into it, records).
    open: BTreeMap<u32, (usize, usize, Vec<Entry<'a, T>>)>,
}

/// How a write treats a record whose id is stored already.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Put {
    /// Replace it.
    Replace,
    /// Fail (the undo of a delete must not overwrite anything).
    Refuse,
}

impl<'a, T: Stored> Buckets<'a, T> {
    /// The kind's buckets within the caller's read-write transaction (its store and `meta`).
    pub async fn open(tx: &rexie::Transaction) -> Result<Self> {
        let name = T::KIND.store_name();
        let info = read_meta(&tx.store(META)?, name).await?;
        Ok(Buckets { store: tx.store(name)?, name, info, open: BTreeMap::new() })
    }

    /// Deletes every stored record of the kind (and whatever else the store holds).
    pub async fn clear(&mut self) -> Result<()> {
        self.store.clear().await?;
        self.info = KindMeta::default();
        self.open.clear();
        Ok(())
    }

    async fn bucket(&mut self, k: u32) -> Result<&mut (usize, usize, Vec<Entry<'a, T>>)> {
        let mut read = None;
        if !self.open.contains_key(&k) && self.info.fingerprints.contains_key(&k) {
            if let Some(v) = self.store.get(JsValue::from(k)).await?.filter(|v| !v.is_undefined()) {
                let list: Vec<T> = decode(&v, self.name, k, self.info.fingerprints.get(&k))?;
                read = Some(list.into_iter().map(|r| Entry::Stored(Box::new(r))).collect::<Vec<_>>());
            }
        }
        Ok(self.open.entry(k).or_insert_with(|| {
            let list = read.unwrap_or_default();
            (list.len(), 0, list)
        }))
    }

    /// Puts every record into its bucket, sorted by id.
    pub async fn put(&mut self, records: &'a [T], how: Put) -> Result<()> {
        let mut groups: BTreeMap<u32, Vec<&'a T>> = BTreeMap::new();
        for r in records {
            groups.entry(bucket_of(r.id())).or_default().push(r);
        }
        let name = self.name;
        let mut since = js_sys::Date::now();
        for (k, group) in groups {
            if js_sys::Date::now() - since >= SLICE_MS {
                breathe(&self.store).await?;
                since = js_sys::Date::now();
            }
            let (_, written, list) = self.bucket(k).await?;
            for r in group {
                match list.binary_search_by(|x| x.get().id().cmp(r.id())) {
                    Ok(_) if how == Put::Refuse => return Err(StoreError::Idb(format!("{name}/{}: already stored", r.id()))),
                    Ok(i) => list[i] = Entry::Batch(r),
                    Err(i) => list.insert(i, Entry::Batch(r)),
                }
                *written += 1;
            }
        }
        Ok(())
    }

    /// Removes the records with these ids (ids not stored are ignored).
    pub async fn remove(&mut self, ids: impl Iterator<Item = &str>) -> Result<()> {
        let mut groups: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
        for id in ids {
            groups.entry(bucket_of(id)).or_default().push(id);
        }
        for (k, group) in groups {
            if !self.info.fingerprints.contains_key(&k) && !self.open.contains_key(&k) {
                continue;
            }
            let (_, _, list) = self.bucket(k).await?;
            for id in group {
                if let Ok(i) = list.binary_search_by(|x| x.get().id().cmp(id)) {
                    list.remove(i);
                }
            }
        }
        Ok(())
    }

    /// Writes the changed buckets (deleting emptied ones) and the kind's count and
    /// fingerprints; `on_bucket` gets (records of this write in it, bytes written).
    ///
    /// The buckets encoded within a slice of time are put together: their requests are
    /// made at once and only the last one awaited (`put_all`; requests of a transaction run
    /// in order, and one that fails aborts the transaction, which fails the last). Awaiting
    /// each put made a round trip to the browser's storage per bucket: 512 of them to
    /// write 100,000 customers.
    pub async fn save(mut self, meta: &Store, on_bucket: &mut dyn FnMut(usize, usize)) -> Result<()> {
        let open = std::mem::take(&mut self.open);
        let mut batch: Vec<(JsValue, Option<JsValue>)> = Vec::new();
        let mut since = js_sys::Date::now();
        for (k, (before, written, list)) in open {
            self.info.count = (self.info.count + list.len()).saturating_sub(before);
            let mut bytes = 0;
            if list.is_empty() {
                if self.info.fingerprints.remove(&k).is_some() {
                    self.store.delete(JsValue::from(k)).await?;
                }
            } else {
                let encoded = encode(&list)?;
                bytes = encoded.len();
                self.info.fingerprints.insert(k, fingerprint(&encoded));
                batch.push((js_sys::Uint8Array::from(encoded.as_slice()).into(), Some(JsValue::from(k))));
            }
            on_bucket(written, bytes);
            if js_sys::Date::now() - since >= SLICE_MS {
                self.store.put_all(std::mem::take(&mut batch).into_iter()).await?;
                since = js_sys::Date::now();
            }
        }
        self.store.put_all(batch.into_iter()).await?;
        write_meta(meta, self.name, &self.info).await
    }
}

/// Converts one kind from version 2's layout (one JSON text per record, keyed by id) into
/// buckets, within the caller's read-write transaction. Returns the bytes written.
pub async fn migrate_kind<T: Stored>(tx: &rexie::Transaction) -> Result<usize> {
    let name = T::KIND.store_name();
    let values = tx.store(name)?.get_all(None, None).await?;
    let mut records: Vec<T> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let text = v.as_string().ok_or_else(|| corrupt(name, &format!("#{i}"), "value is not text"))?;
        records.push(serde_json::from_str(&text).map_err(|e| corrupt(name, &format!("#{i}"), &e.to_string()))?);
    }
    drop(values);
    let mut b = Buckets::<T>::open(tx).await?;
    b.clear().await?;
    b.put(&records, Put::Refuse).await?;
    let mut bytes = 0;
    b.save(&tx.store(META)?, &mut |_, n| bytes += n).await?;
    Ok(bytes)
}

/// The kind's record count from `meta`.
pub async fn count(meta: &Store, store: &str) -> Result<usize> {
    Ok(read_meta(meta, store).await?.count)
}
