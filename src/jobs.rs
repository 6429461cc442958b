//! The job runner: the one way pages start a heavy analysis. A page hands it the checked
//! parameters and gets progress and the report back; the work runs in the Web Worker
//! (`crate::worker`, a second wasm binary), so the page's thread stays free to paint and
//! answer clicks. No page runs an analysis loop itself.
//!
//! One job runs at a time; starting another cancels the one before. [`cancel`] terminates
//! the worker (a job only reads, so nothing is left behind) and the next job starts a
//! fresh one. The worker reads the records from IndexedDB itself; the page tells it which
//! state of the records it holds by a generation number that changes whenever the
//! customer or order-line signals hold other values (compared by `Arc` identity through
//! `Weak` references, which keep the old allocation's address from being reused).

use crate::state::AppState;
use leptos::prelude::*;
use crate::worker::protocol::{self, Job, Reply, Request};
use clientscope_core::model::Customer;
use clientscope_core::orders::OrderTable;
use clientscope_core::value::{ValueParams, ValueReport};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's start-up script, written by trunk beside `index.html` (relative: the app
/// works from any sub-path).
const WORKER_URL: &str = "./clientscope-worker_loader.js";

/// Why a job gave no report.
#[derive(Debug, Clone, PartialEq)]
pub enum JobError {
    /// The user cancelled it (or another job replaced it).
    Cancelled,
    /// The analysis refused its input (the core's message).
    Invalid(String),
    /// The worker could not start or failed.
    Worker(String),
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Cancelled => write!(f, "cancelled"),
            JobError::Invalid(s) | JobError::Worker(s) => write!(f, "{s}"),
        }
    }
}

struct Pending {
    progress: Rc<dyn Fn(usize, usize)>,
    resolve: js_sys::Function,
    reject: js_sys::Function,
}

struct Running {
    worker: web_sys::Worker,
    /// The worker said [`Reply::Ready`]; until then a request waits in `queued`.
    ready: bool,
    queued: Option<js_sys::Uint8Array>,
    /// The generation whose customer ids this worker has been sent.
    sent: Option<u64>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

thread_local! {
    static WORKER: RefCell<Option<Running>> = const { RefCell::new(None) };
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
    static SEEN: RefCell<(Weak<Vec<Customer>>, Weak<OrderTable>)> = RefCell::new((Weak::new(), Weak::new()));
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// The generation of the records the page holds now.
fn generation(customers: &Arc<Vec<Customer>>, orders: &Arc<OrderTable>) -> u64 {
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        if !(s.0.ptr_eq(&Arc::downgrade(customers)) && s.1.ptr_eq(&Arc::downgrade(orders))) {
            *s = (Arc::downgrade(customers), Arc::downgrade(orders));
            GENERATION.with(|g| g.set(g.get() + 1));
        }
    });
    GENERATION.with(Cell::get)
}

fn settle(result: Result<JsValue, JsValue>) {
    if let Some(p) = PENDING.with(|p| p.borrow_mut().take()) {
        let _ = match result {
            Ok(v) => p.resolve.call1(&JsValue::NULL, &v),
            Err(e) => p.reject.call1(&JsValue::NULL, &e),
        };
    }
}

fn spawn() -> Result<(), JobError> {
    let worker = web_sys::Worker::new(WORKER_URL).map_err(|e| JobError::Worker(format!("{e:?}")))?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let data = e.data();
        let bytes = js_sys::Uint8Array::new(&data).to_vec();
        match protocol::decode::<Reply>(&bytes) {
            Ok(Reply::Ready) => WORKER.with(|w| {
                if let Some(r) = w.borrow_mut().as_mut() {
                    r.ready = true;
                    if let Some(array) = r.queued.take() {
                        if let Err(e) = r.worker.post_message_with_transfer(&array, &js_sys::Array::of1(&array.buffer())) {
                            settle(Err(JsValue::from_str(&format!("{e:?}"))));
                        }
                    }
                }
            }),
            Ok(Reply::Progress { done, total }) => {
                let progress = PENDING.with(|p| p.borrow().as_ref().map(|p| p.progress.clone()));
                if let Some(f) = progress {
                    f(done as usize, total as usize);
                }
            }
            Ok(_) => settle(Ok(data)),
            Err(e) => settle(Err(JsValue::from_str(&e))),
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
        // A worker that failed (a panic aborts its wasm) is dropped; the next job starts a
        // new one.
        WORKER.with(|w| {
            if let Some(r) = w.borrow_mut().take() {
                r.worker.terminate();
            }
        });
        settle(Err(JsValue::from_str(&format!("worker: {}", e.message()))));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    WORKER.with(|w| *w.borrow_mut() = Some(Running { worker, ready: false, queued: None, sent: None, _on_message: on_message, _on_error: on_error }));
    Ok(())
}

/// Stops the running job, if any: the worker is terminated and the job ends with
/// [`JobError::Cancelled`].
pub fn cancel() {
    WORKER.with(|w| {
        if let Some(r) = w.borrow_mut().take() {
            r.worker.terminate();
        }
    });
    settle(Err(JsValue::from_str("\u{0}cancelled")));
}

/// Sends one request and waits for its final reply.
async fn call(req: &Request, progress: Rc<dyn Fn(usize, usize)>) -> Result<Reply, JobError> {
    let bytes = protocol::encode(req).map_err(JobError::Worker)?;
    let mut slot: Option<(js_sys::Function, js_sys::Function)> = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| slot = Some((resolve, reject)));
    let (resolve, reject) = slot.ok_or_else(|| JobError::Worker("promise".into()))?;
    PENDING.with(|p| *p.borrow_mut() = Some(Pending { progress, resolve, reject }));
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let posted = WORKER.with(|w| match w.borrow_mut().as_mut() {
        Some(r) if r.ready => r.worker.post_message_with_transfer(&array, &js_sys::Array::of1(&array.buffer())).map_err(|e| JobError::Worker(format!("{e:?}"))),
        Some(r) => {
            r.queued = Some(array);
            Ok(())
        }
        None => Err(JobError::Cancelled),
    });
    if let Err(e) = posted {
        PENDING.with(|p| p.borrow_mut().take());
        return Err(e);
    }
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(v) => protocol::decode::<Reply>(&js_sys::Uint8Array::new(&v).to_vec()).map_err(JobError::Worker),
        Err(e) => {
            let text = e.as_string().unwrap_or_else(|| format!("{e:?}"));
            Err(if text == "\u{0}cancelled" { JobError::Cancelled } else { JobError::Worker(text) })
        }
    }
}

/// Runs a job in the worker on the page's current records, reporting progress; the busy
/// overlay offers to cancel it meanwhile.
async fn run(app: AppState, job: Job, progress: impl Fn(usize, usize) + 'static) -> Result<(Reply, Records), JobError> {
    crate::state::lines_ready(app).await;
    if PENDING.with(|p| p.borrow().is_some()) {
        cancel();
    }
    spawn_if_needed()?;
    let customers = app.data.customers.get_untracked();
    let orders = app.data.orders.get_untracked();
    let generation = generation(&customers, &orders);
    let progress: Rc<dyn Fn(usize, usize)> = Rc::new(progress);
    let sent = WORKER.with(|w| w.borrow().as_ref().and_then(|r| r.sent));
    let ids = || Some(customers.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
    let mut req = Request { db: crate::store::db::DB_NAME.to_string(), generation, ids: if sent == Some(generation) { None } else { ids() }, job };
    app.cancel_offered.set(true);
    let mut reply = call(&req, progress.clone()).await;
    if matches!(reply, Ok(Reply::NeedIds)) {
        req.ids = ids();
        reply = call(&req, progress).await;
    }
    app.cancel_offered.set(false);
    if reply.is_ok() {
        WORKER.with(|w| {
            if let Some(r) = w.borrow_mut().as_mut() {
                r.sent = Some(generation);
            }
        });
    }
    match reply? {
        Reply::Failed(e) => Err(JobError::Worker(e)),
        other => Ok((other, (customers, orders))),
    }
}

/// The records a report was computed on (its `customers[i]` is `records.0[i]`).
pub type Records = (Arc<Vec<Customer>>, Arc<OrderTable>);

fn spawn_if_needed() -> Result<(), JobError> {
    if WORKER.with(|w| w.borrow().is_none()) {
        spawn()?;
    }
    Ok(())
}

/// The value analysis (SPEC §3) of the current records.
pub async fn value(app: AppState, params: &ValueParams, progress: impl Fn(usize, usize) + 'static) -> Result<(ValueReport, Records), JobError> {
    match run(app, Job::Value(params.clone()), progress).await? {
        (Reply::Value(r), records) => r.map(|r| (r, records)).map_err(JobError::Invalid),
        other => Err(JobError::Worker(format!("unexpected reply {other:?}"))),
    }
}

/// The value analysis now and for the period before (the customer page's card).
pub async fn value_pair(app: AppState, params: &ValueParams) -> Result<(ValueReport, ValueReport, Records), JobError> {
    match run(app, Job::ValuePair(params.clone()), |_, _| {}).await? {
        (Reply::ValuePair(r), records) => r.map(|b| (b.0, b.1, records)).map_err(JobError::Invalid),
        other => Err(JobError::Worker(format!("unexpected reply {other:?}"))),
    }
}
