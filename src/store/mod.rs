//! Browser storage: the only module that reads or writes IndexedDB and localStorage.
//!
//! - [`db`]: records in IndexedDB (database `clientscope`), one object store per record
//!   kind: order lines in chunks of typed arrays, every other kind in [`records`]' buckets
//!   (a JSON array of the records whose id hashes into the bucket, as bytes). Every multi-record
//!   change runs in one transaction, so it lands whole or not at all; snapshots of the
//!   whole data set are kept there too.
//! - [`records`]: the bucket layout (encoding, fingerprints, the version-2 migration).
//! - [`prefs`]: settings and UI preferences in localStorage through gloo-storage.
//! - [`quota`]: the browser's storage estimate and persistent-storage permission.
//!
//! Errors are [`StoreError`]; a full disk surfaces as [`StoreError::Quota`].

pub mod db;
pub mod prefs;
pub mod quota;
pub mod records;
pub mod tabs;

pub use db::{Db, SnapshotInfo, SnapshotReason};

/// What can go wrong with browser storage (serde: the worker sends it to the page).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum StoreError {
    /// The browser refused the write for lack of space; the transaction was rolled back.
    Quota,
    /// The browser aborted a transaction at commit time without saying why (rexie does not
    /// expose the reason); almost always the quota. The transaction was rolled back.
    Aborted,
    /// The database was written by a newer version of the app (open in another tab or
    /// used before): this version cannot read it.
    TooNew,
    /// The record was changed in another tab since this tab read it (the stored one's
    /// `updated_at`); nothing was written.
    Changed {
        /// When the stored record was last changed.
        at: clientscope_core::model::Timestamp,
    },
    /// The record was deleted in another tab since this tab read it; nothing was written.
    Deleted,
    /// IndexedDB could not be opened or a request failed.
    Idb(String),
    /// A stored value could not be read back (store, key, reason).
    Corrupt {
        /// Object store.
        store: String,
        /// Key of the bad value.
        key: String,
        /// What is wrong.
        detail: String,
    },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Quota => write!(f, "QuotaExceededError"),
            StoreError::Aborted => write!(f, "transaction aborted at commit"),
            StoreError::TooNew => write!(f, "the database is of a newer version"),
            StoreError::Changed { at } => write!(f, "changed elsewhere at {at}"),
            StoreError::Deleted => write!(f, "deleted elsewhere"),
            StoreError::Idb(s) => write!(f, "{s}"),
            StoreError::Corrupt { store, key, detail } => write!(f, "{store}/{key}: {detail}"),
        }
    }
}

impl StoreError {
    /// The message shown to the user.
    pub fn message(&self, t: &crate::i18n::Texts) -> String {
        match self {
            StoreError::Quota => t.quota_error.to_string(),
            StoreError::Aborted => t.aborted_error.to_string(),
            StoreError::TooNew => t.db_too_new.to_string(),
            StoreError::Changed { at } => crate::i18n::fill(t.changed_in_other_tab, &[("at", &crate::components::format::timestamp(at, clientscope_core::model::Language::ZhCn))]),
            StoreError::Deleted => t.deleted_in_other_tab.to_string(),
            other => crate::i18n::fill(t.storage_error, &[("detail", &other.to_string())]),
        }
    }
}

impl From<rexie::Error> for StoreError {
    fn from(e: rexie::Error) -> Self {
        let text = match &e {
            rexie::Error::IdbError(inner) => inner.to_string(),
            other => other.to_string(),
        };
        if text.contains("Quota") || text.contains("quota") {
            StoreError::Quota
        } else {
            StoreError::Idb(text)
        }
    }
}

/// Result of a storage operation.
pub type Result<T> = std::result::Result<T, StoreError>;
