//! The Data page's backup import, in the worker: reading and checking the file (a
//! department's backup is a JSON text of a few hundred megabytes; parsing and validating
//! it takes seconds), planning the import against what is stored, and applying it. The
//! result goes back to the page in slices: the records but the order lines
//! ([`Reply::DatasetPart`]), then the order lines as stored chunks of typed arrays
//! ([`Reply::LinesStart`], [`Reply::LinesPart`]), so the page never parses JSON nor builds
//! a million row structs; it writes them (snapshot first) as any replace-all.

use super::protocol::{self, BackupPreview, BackupSource, DatasetRows, FileRef, Reply};
use crate::store::{Db, StoreError};
use clientscope_core::backup::{self, Backup, ImportMode};
use clientscope_core::error::Bilingual;
use clientscope_core::model::Dataset;
use clientscope_core::orders::OrderTable;
use std::cell::RefCell;

thread_local! {
    /// The backup last read and checked, by its file's token.
    static KEPT: RefCell<Option<(u64, Backup)>> = const { RefCell::new(None) };
}

fn backup_error(e: backup::BackupError) -> Bilingual {
    Bilingual::from_fn(|lang| e.message(lang))
}

fn store_error(e: StoreError) -> Bilingual {
    Bilingual::from_fn(|lang| e.message(crate::i18n::texts(lang)))
}

/// The backup of `fref`: the one kept, or read from `file` and checked.
async fn backup_of(fref: &FileRef, file: Option<&web_sys::File>) -> Result<Backup, Bilingual> {
    if let Some(b) = KEPT.with(|k| k.borrow_mut().take_if(|(token, _)| *token == fref.token).map(|(_, b)| b)) {
        return Ok(b);
    }
    let Some(file) = file else { return Err(protocol::technical("no file sent with the backup")) };
    backup::check_size(file.size() as u64).map_err(backup_error)?;
    let bytes = super::import::read(file).await?;
    read_backup(&bytes).await
}

/// Reads and checks a backup's bytes as [`backup::parse_bytes`] does. A current, intact
/// backup goes the fast way ([`backup::Split`]), the browser computing the digest of its
/// records' text while the worker decodes them.
async fn read_backup(bytes: &[u8]) -> Result<Backup, Bilingual> {
    backup::check_size(bytes.len() as u64).map_err(backup_error)?;
    let text = backup::decode_text(bytes).map_err(backup_error)?;
    let Some(split) = backup::Split::of(&text) else {
        return backup::parse(&text).map_err(backup_error);
    };
    let data_text = split.data_text();
    let digest = Sha256::start(data_text);
    let decoded = split.decode();
    let sum = digest.finish(data_text).await;
    decoded.finish(&sum).map_err(backup_error)
}

/// A SHA-256 computed by the browser (`crypto.subtle`: native code, on a thread of its own,
/// so it runs while the worker goes on), or by the core where the browser offers none
/// (`crypto.subtle` exists only in secure contexts: https, or http from this machine).
pub struct Sha256(Option<wasm_bindgen_futures::JsFuture>);

impl Sha256 {
    /// Starts the digest of `bytes` (the browser copies them now).
    pub fn start(bytes: &[u8]) -> Sha256 {
        use wasm_bindgen::JsCast;
        let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok().filter(|v| !v.is_undefined());
        let subtle = get(&js_sys::global(), "crypto").and_then(|c| get(&c, "subtle")).and_then(|s| s.dyn_into::<web_sys::SubtleCrypto>().ok());
        Sha256(subtle.and_then(|s| s.digest_with_str_and_u8_array("SHA-256", bytes).ok()).map(wasm_bindgen_futures::JsFuture::from))
    }

    /// Whether the browser computes it.
    pub fn by_the_browser(&self) -> bool {
        self.0.is_some()
    }

    /// The digest of `bytes`, the bytes given to [`Sha256::start`]: the browser's, or the
    /// core's when the browser had none or failed.
    pub async fn finish(self, bytes: &[u8]) -> [u8; 32] {
        if let Some(pending) = self.0 {
            if let Ok(buffer) = pending.await {
                if let Ok(sum) = <[u8; 32]>::try_from(js_sys::Uint8Array::new(&buffer).to_vec()) {
                    return sum;
                }
            }
        }
        backup::sha256(bytes)
    }
}

/// Everything stored, the order lines as rows (the backup functions work on rows).
async fn stored(db: &str) -> Result<Dataset, Bilingual> {
    let db = Db::open_named(db).await.map_err(store_error)?;
    let data = db.load_all().await.map_err(store_error);
    db.close();
    data
}

/// [`protocol::Job::BackupOpen`].
pub async fn open(db: &str, fref: FileRef, file: Option<web_sys::File>) -> Reply {
    let result = async {
        // What is stored is read while the browser reads the file.
        let (b, existing) = futures::join!(backup_of(&fref, file.as_ref()), stored(db));
        let (b, existing) = (b?, existing?);
        let preview = BackupPreview {
            header: b.header.clone(),
            merge: backup::plan_backup(&existing, &b, ImportMode::Merge),
            replace: backup::plan_backup(&existing, &b, ImportMode::Replace),
        };
        KEPT.with(|k| *k.borrow_mut() = Some((fref.token, b)));
        serde_json::to_string(&preview).map_err(|e| protocol::technical(&format!("encode: {e}")))
    }
    .await;
    Reply::BackupOpened(result)
}

/// The backup stored as snapshot `key`.
async fn stored_snapshot(db: &str, key: &str) -> Result<Backup, Bilingual> {
    let db = Db::open_named(db).await.map_err(store_error)?;
    let text = db.snapshot_text(key).await.map_err(store_error);
    db.close();
    let text = text?.ok_or_else(|| Bilingual::new(format!("快照 {key} 已不存在。"), format!("The snapshot {key} no longer exists.")))?;
    read_backup(text.as_bytes()).await
}

/// [`protocol::Job::BackupApply`]: the records are posted before the returned reply.
pub async fn apply(db: &str, source: BackupSource, mode: ImportMode, file: Option<web_sys::File>) -> Reply {
    let result = async {
        let b = match &source {
            BackupSource::File(fref) => backup_of(fref, file.as_ref()).await?,
            BackupSource::Snapshot(key) => stored_snapshot(db, key).await?,
        };
        let settings = serde_json::to_string(&b.settings).map_err(|e| protocol::technical(&format!("encode: {e}")))?;
        // Replacing needs nothing of what is stored.
        let existing = if mode == ImportMode::Merge { stored(db).await? } else { Dataset::default() };
        let mut merged = backup::apply_backup(&existing, b, mode).map_err(backup_error)?;
        // What is done with is freed after the reply (`drop_after_reply`).
        super::drop_after_reply(existing);
        let orders = std::mem::take(&mut merged.orders);
        // The records first: the page decodes them while the order lines become a table.
        let rows = DatasetRows::take(&mut merged);
        super::post(&Reply::DatasetAhead(rows.lens()));
        for rows in rows.slices(protocol::OUTCOME_ROWS) {
            let part = Reply::DatasetPart(rows);
            super::post(&part);
            super::drop_after_reply(part);
        }
        let lines = OrderTable::from_rows(&orders);
        super::drop_after_reply(orders);
        super::post(&Reply::LinesStart { dicts: protocol::pack_dicts(lines.dictionary_values()), lines: lines.len() as u64 });
        for k in 0..lines.chunk_count() {
            super::post(&Reply::LinesPart(lines.chunk(k).into()));
        }
        Ok(settings)
    }
    .await;
    Reply::BackupApplied(result)
}

/// [`protocol::Job::BackupExport`]: the backup text of everything stored, handed to the
/// page as a `Blob` beside the reply.
pub async fn export(db: &str, settings: &str, now: clientscope_core::model::Timestamp) -> Reply {
    let result = async {
        let db = Db::open_named(db).await.map_err(store_error)?;
        let text = export_stored(&db, settings, now).await.map(|(text, _)| text);
        db.close();
        let text = text.map_err(store_error)?;
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type("application/json");
        // A view of the text in the wasm memory, which the Blob copies once (a department's
        // backup is hundreds of megabytes: no second copy through a JS array). SAFETY: no
        // Rust allocation happens between making the view and the Blob's copy of it, so the
        // memory cannot grow and detach it.
        let blob = unsafe {
            let view = js_sys::Uint8Array::view(&text);
            web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&view), &opts)
        }
        .map_err(|e| protocol::technical(&format!("{e:?}")))?;
        super::send_beside(blob.into());
        Ok(text.len() as u64)
    }
    .await;
    Reply::BackupExported(result)
}

/// Everything stored in `db` as a backup text (UTF-8) carrying `settings` (JSON), and its
/// counts: what an export and a snapshot both write. The browser computes the checksum's
/// digest ([`Sha256`]).
async fn export_stored(db: &Db, settings: &str, now: clientscope_core::model::Timestamp) -> Result<(Vec<u8>, clientscope_core::model::Counts), StoreError> {
    let settings: clientscope_core::model::Settings = serde_json::from_str(settings).map_err(|e| StoreError::Idb(format!("settings: {e}")))?;
    // The order lines stay a table: written from it, no row struct made for each.
    let records = db.load_records().await?;
    let lines = db.load_lines().await?;
    let unsigned = backup::export_unsigned_lines(&records, backup::Lines::Table(&lines), &settings, crate::APP_VERSION, now).map_err(|e| StoreError::Idb(e.to_string()))?;
    let counts = unsigned.counts();
    drop((records, lines));
    let sum = Sha256::start(unsigned.data_text()).finish(unsigned.data_text()).await;
    Ok((unsigned.sign(&sum), counts))
}

/// [`protocol::Job::Snapshot`]: everything stored, exported and kept as a snapshot
/// (nothing when nothing is stored).
pub async fn take_snapshot(db: &str, reason: crate::store::SnapshotReason, settings: &str, now: clientscope_core::model::Timestamp) -> Result<bool, StoreError> {
    let db = Db::open_named(db).await?;
    let result = async {
        let (text, counts) = export_stored(&db, settings, now).await?;
        if counts.total() == 0 {
            return Ok(false);
        }
        let text = String::from_utf8(text).map_err(|e| StoreError::Idb(e.to_string()))?;
        db.save_snapshot(crate::store::SnapshotInfo { key: now.to_rfc3339(), taken_at: now, reason, counts }, &text).await?;
        Ok(true)
    }
    .await;
    db.close();
    result
}
