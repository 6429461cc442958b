//! Offline support: registers the service worker (`sw.js`, generated at build time with
//! the list of this build's hashed files) and reports a waiting new version.
//!
//! Update policy: a new build installs in the background but does not take over while the
//! page runs (the worker does not call `skipWaiting` on its own), so the running version
//! never loses its files mid-use. The banner asks; "reload" tells the waiting worker to
//! take over and reloads once it controls the page.

use crate::state::AppState;
use leptos::prelude::Set;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
    static RELOAD_REQUESTED: Cell<bool> = const { Cell::new(false) };
}

fn has_controller() -> bool {
    web_sys::window().map(|w| w.navigator().service_worker().controller().is_some()).unwrap_or(false)
}

/// Registers the service worker (http(s) only) and watches for updates.
pub fn register(app: AppState) {
    let Some(window) = web_sys::window() else { return };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "https:" && protocol != "http:" {
        return;
    }
    let container = window.navigator().service_worker();
    let on_controller = Closure::<dyn FnMut()>::new(move || {
        if RELOAD_REQUESTED.with(|r| r.get()) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    container.set_oncontrollerchange(Some(on_controller.as_ref().unchecked_ref()));
    on_controller.forget();

    let promise = container.register("./sw.js");
    leptos::task::spawn_local(async move {
        let Ok(value) = JsFuture::from(promise).await else { return };
        let reg: ServiceWorkerRegistration = value.unchecked_into();
        if reg.waiting().is_some() && has_controller() {
            app.update_ready.set(true);
        }
        let reg2 = reg.clone();
        let on_update = Closure::<dyn FnMut()>::new(move || {
            if let Some(worker) = reg2.installing() {
                let w2 = worker.clone();
                let on_state = Closure::<dyn FnMut()>::new(move || {
                    if w2.state() == ServiceWorkerState::Installed && has_controller() {
                        app.update_ready.set(true);
                    }
                });
                worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
                on_state.forget();
            }
        });
        reg.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
        on_update.forget();
        REGISTRATION.with(|r| *r.borrow_mut() = Some(reg));
    });
}

/// Lets the waiting new version take over, then reloads.
pub fn activate_update() {
    let waiting = REGISTRATION.with(|r| r.borrow().as_ref().and_then(|reg| reg.waiting()));
    match waiting {
        Some(worker) => {
            RELOAD_REQUESTED.with(|r| r.set(true));
            let _ = worker.post_message(&JsValue::from_str("skipWaiting"));
        }
        None => {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    }
}
