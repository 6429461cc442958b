//! The app open in several tabs (or windows) on one database.
//!
//! - **Writes are serialised across tabs** with the Web Locks API: every write of
//!   [`super::db::Db`] holds the lock [`WRITE_LOCK`] from before its transaction starts
//!   until it committed or was aborted ([`write_lock`]). IndexedDB already orders
//!   read-write transactions on one store; the lock also orders the steps a write does
//!   in transactions of its own (the note of a large write, the write, the note's removal).
//! - **A change shows in the other tabs** at once: after a write committed, the tab posts
//!   what it changed ([`Change`]) on the BroadcastChannel [`CHANNEL`]; every other tab
//!   reads the changed kinds again from IndexedDB ([`listen`], used by `crate::state`).
//!   Settings live in localStorage, whose `storage` event tells the other tabs.
//! - **A record changed or deleted in another tab** since this tab read it is refused at
//!   save ([`super::db::Db::put_checked`] compares `updated_at` inside the write's
//!   transaction), and the page lets the user reload it or overwrite.
//! - **A database upgrade by a newer version in another tab**: see [`super::db`]'s
//!   `versionchange` and `blocked` handling ([`on_version_event`]).
//!
//! Written by hand on `js_sys`: web-sys has no stable binding of the Web Locks API, and no
//! crate wraps it for wasm-bindgen.

use clientscope_core::model::RecordKind;
use js_sys::{Function, Promise, Reflect};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Name of the BroadcastChannel the tabs announce their writes on.
pub const CHANNEL: &str = "clientscope-data";
/// Name of the Web Lock every write holds.
pub const WRITE_LOCK: &str = "clientscope-write";

/// What a committed write changed, as announced to the other tabs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The kinds with records added, changed or removed (`OrderLine` for the lines).
    pub kinds: Vec<RecordKind>,
}

impl Change {
    /// A change of every kind (a restore, "delete all", the demo).
    pub fn all() -> Change {
        Change { kinds: RecordKind::ALL.to_vec() }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// Whether records of `kind` changed.
    pub fn has(&self, kind: RecordKind) -> bool {
        self.kinds.contains(&kind)
    }
}

thread_local! {
    static CHANNEL_OBJ: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
    static VERSION_HOOK: RefCell<Option<Box<dyn Fn(VersionEvent)>>> = const { RefCell::new(None) };
}

/// The tab's one channel object: it sends and listens (a channel never receives what it
/// posted itself, so the tab does not reload its own writes).
fn channel() -> Option<web_sys::BroadcastChannel> {
    CHANNEL_OBJ.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = web_sys::BroadcastChannel::new(CHANNEL).ok();
        }
        c.clone()
    })
}

/// Tells the other tabs what a committed write changed.
pub fn announce(change: &Change) {
    if change.is_empty() {
        return;
    }
    let Ok(text) = serde_json::to_string(change) else { return };
    if let Some(ch) = channel() {
        let _ = ch.post_message(&JsValue::from_str(&text));
    }
}

/// Calls `f` with every change another tab announces, for as long as the page lives.
pub fn listen(f: impl Fn(Change) + 'static) {
    let Some(ch) = channel() else { return };
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if let Some(change) = ev.data().as_string().and_then(|s| serde_json::from_str::<Change>(&s).ok()) {
            f(change);
        }
    });
    ch.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// Calls `f` when another tab changes the settings in localStorage (the `storage` event,
/// which fires in every tab but the one that wrote).
pub fn listen_settings(key: &'static str, f: impl Fn() + 'static) {
    let Some(w) = web_sys::window() else { return };
    let on_storage = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
        if ev.key().as_deref() == Some(key) {
            f();
        }
    });
    let _ = w.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
}

/// The write lock, held until dropped.
pub struct WriteLock {
    release: Option<Function>,
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// A promise and the function that resolves it.
fn deferred() -> (Promise, Function) {
    let mut resolve = None;
    let promise = Promise::new(&mut |res, _| resolve = Some(res));
    (promise, resolve.unwrap_or_else(|| Function::new_no_args("")))
}

/// Waits for the cross-tab write lock ([`WRITE_LOCK`]) and holds it until the guard is
/// dropped. Where the browser has no Web Locks (or in a context without them) the write
/// goes ahead unlocked: IndexedDB still keeps each transaction whole.
pub async fn write_lock() -> WriteLock {
    let global = js_sys::global();
    let locks = Reflect::get(&global, &"navigator".into()).and_then(|n| Reflect::get(&n, &"locks".into())).unwrap_or(JsValue::UNDEFINED);
    let Some(request) = Reflect::get(&locks, &"request".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()) else {
        return WriteLock { release: None };
    };
    let (held, release) = deferred();
    let (granted, grant) = deferred();
    // The lock is held until the promise the callback returns settles: `held`, resolved
    // by the guard's drop.
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        let _ = grant.call0(&JsValue::NULL);
        held.into()
    });
    if request.call2(&locks, &JsValue::from_str(WRITE_LOCK), &callback).is_err() {
        return WriteLock { release: None };
    }
    let _ = wasm_bindgen_futures::JsFuture::from(granted).await;
    WriteLock { release: Some(release) }
}

/// What the database connection learned about other tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionEvent {
    /// Another tab opens the database at a newer version: this tab closed its connection
    /// and must be reloaded.
    Upgraded,
    /// Another tab (or the browser) deletes the database: this tab closed its connection
    /// and must be reloaded.
    Deleted,
    /// This tab upgrades the database, and a tab with an older version still has it open:
    /// the upgrade waits until that tab is closed or reloaded.
    Blocked,
    /// The wait for [`VersionEvent::Blocked`] is over.
    Unblocked,
    /// The database was written by a newer version of the app than this one.
    TooNew,
}

/// Sets what the app does on a [`VersionEvent`] (set once at start).
pub fn on_version_event(f: impl Fn(VersionEvent) + 'static) {
    VERSION_HOOK.with(|h| *h.borrow_mut() = Some(Box::new(f)));
}

/// Tells the app about a [`VersionEvent`].
pub(crate) fn version_event(e: VersionEvent) {
    VERSION_HOOK.with(|h| {
        if let Some(f) = h.borrow().as_ref() {
            f(e);
        }
    });
}
