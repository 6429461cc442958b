//! The browser's storage estimate and the persistent-storage permission
//! (`navigator.storage`). Every call returns `None` where the browser does not offer it.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn manager() -> Option<web_sys::StorageManager> {
    Some(web_sys::window()?.navigator().storage())
}

/// Bytes used and the quota.
pub async fn estimate() -> Option<(f64, f64)> {
    let promise = manager()?.estimate().ok()?;
    let value = JsFuture::from(promise).await.ok()?;
    let est: web_sys::StorageEstimate = value.unchecked_into();
    Some((est.get_usage()?, est.get_quota()?))
}

/// Whether storage is already persistent.
pub async fn persisted() -> Option<bool> {
    let promise = manager()?.persisted().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Asks for persistent storage; the browser's answer.
pub async fn persist() -> Option<bool> {
    let promise = manager()?.persist().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}
