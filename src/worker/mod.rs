//! The Web Worker's side: the same core, compiled into a second wasm binary
//! (`src/bin/clientscope-worker.rs`) that trunk builds as a worker. The page sends a
//! [`protocol::Request`]; the worker reads the records it needs from IndexedDB itself
//! (through `crate::store`, so nothing is serialised on the page's thread), keeps them
//! while the page's generation stays the same, runs the job and posts progress and the
//! report. Cancelling is terminating the worker (`crate::jobs::cancel`): a job only reads,
//! so nothing is left behind.

pub mod backup;
pub mod import;
pub mod protocol;

use crate::store::Db;
use clientscope_core::dashboard::{DashboardInput, DashboardReport};
use clientscope_core::error::{Bilingual, Localized};
use clientscope_core::model::Customer;
use clientscope_core::orders::OrderTable;
use clientscope_core::satisfaction::pls::{self, PathBootstrapRun, PlsParams};
use clientscope_core::segment::kmeans::CurveRun;
use clientscope_core::value::{ValueJob, ValueParams, ValueReport};
use protocol::{Job, Reply, Request};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The records of one generation.
struct Held {
    db: String,
    generation: u64,
    customers: Rc<Vec<Customer>>,
    orders: Rc<OrderTable>,
}

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
    /// A value to send beside the next final reply (a `Blob`, structured-cloned).
    static BESIDE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// What the running job is done with, freed once its final reply is posted.
    static AFTER_REPLY: RefCell<Vec<Box<dyn std::any::Any>>> = const { RefCell::new(Vec::new()) };
}

/// Frees `v` after the running job's final reply is posted, not before: a million order
/// lines as row structs are millions of allocations to free (hundreds of milliseconds in
/// wasm), which the page need not wait for; it goes on with the reply meanwhile.
pub(crate) fn drop_after_reply(v: impl std::any::Any) {
    AFTER_REPLY.with(|a| a.borrow_mut().push(Box::new(v)));
}

/// Installs the message handler (the worker binary's `main`).
pub fn start() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        // The request, or the request and the file it works on (an import).
        let data = e.data();
        let (message, file) = if js_sys::Array::is_array(&data) {
            let parts: js_sys::Array = data.unchecked_into();
            (parts.get(0), parts.get(1).dyn_into::<web_sys::File>().ok())
        } else {
            (data, None)
        };
        let bytes = js_sys::Uint8Array::new(&message).to_vec();
        wasm_bindgen_futures::spawn_local(async move {
            let reply = match protocol::decode::<Request>(&bytes) {
                Ok(req) => handle(req, file).await,
                Err(e) => Reply::Failed(protocol::technical(&e)),
            };
            post_final(reply);
            drop(AFTER_REPLY.with(|a| std::mem::take(&mut *a.borrow_mut())));
        });
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&Reply::Ready);
}

fn post(reply: &Reply) {
    post_with(reply, None);
}

/// Posts a reply, with `beside` (the reply and it as a two-element array) when given.
fn post_with(reply: &Reply, beside: Option<&JsValue>) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let bytes = match protocol::encode(reply) {
        Ok(b) => b,
        Err(e) => protocol::encode(&Reply::Failed(protocol::technical(&e))).unwrap_or_default(),
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let message: JsValue = match beside {
        Some(v) => js_sys::Array::of2(&array, v).into(),
        None => array.into(),
    };
    let _ = scope.post_message_with_transfer(&message, &transfer);
}

/// Posts a final reply; a value report's per-customer rows go first, in slices
/// ([`Reply::CustomerPart`]).
fn post_final(reply: Reply) {
    let parts = |report: u8, r: &mut ValueReport| {
        for rows in protocol::ReportRows::take(r).slices(protocol::PART_ROWS) {
            post(&Reply::CustomerPart { report, rows });
        }
    };
    match reply {
        Reply::Value(Ok(mut r)) => {
            parts(0, &mut r);
            post(&Reply::Value(Ok(r)));
        }
        Reply::ValuePair(Ok(mut pair)) => {
            parts(0, &mut pair.0);
            parts(1, &mut pair.1);
            post(&Reply::ValuePair(Ok(pair)));
        }
        Reply::ImportChecked(Ok(mut outcome)) => {
            let rows = protocol::OutcomeRows::take(&mut outcome);
            post(&Reply::OutcomeAhead(rows.lens()));
            for rows in rows.slices(protocol::OUTCOME_ROWS) {
                post(&Reply::OutcomePart(rows));
            }
            post(&Reply::ImportChecked(Ok(outcome)));
        }
        other => {
            let beside = BESIDE.with(|b| b.borrow_mut().take());
            post_with(&other, beside.as_ref());
        }
    }
}

/// Sends `v` beside the final reply of the running job.
pub(crate) fn send_beside(v: JsValue) {
    BESIDE.with(|b| *b.borrow_mut() = Some(v));
}

async fn handle(req: Request, file: Option<web_sys::File>) -> Reply {
    if let Job::ImportOpen { file: fref, encoding, sheet } = req.job {
        return import::open(fref, encoding, sheet, file).await;
    }
    if let Job::BackupOpen { file: fref } = req.job {
        return backup::open(&req.db, fref, file).await;
    }
    if let Job::BackupExport { settings, now } = req.job {
        return backup::export(&req.db, &settings, now).await;
    }
    if let Job::BackupApply { source, mode } = req.job {
        return backup::apply(&req.db, source, mode, file).await;
    }
    if let Job::Snapshot { reason, settings, now } = req.job {
        return Reply::Snapshot(backup::take_snapshot(&req.db, reason, &settings, now).await);
    }
    if req.job.carries_data() {
        return compute(req.job);
    }
    let (customers, orders) = match records(&req).await {
        Ok(Some(r)) => r,
        Ok(None) => return Reply::NeedIds,
        Err(e) => return Reply::Failed(e),
    };
    match req.job {
        Job::Value(params) => Reply::Value(value(&customers, &orders, &params, true)),
        Job::ValuePair(params) => {
            let pair = value(&customers, &orders, &params, false).and_then(|now| Ok(Box::new((now, value(&customers, &orders, &params.previous_period(), false)?))));
            Reply::ValuePair(pair)
        }
        Job::Dashboard(json) => Reply::Dashboard(
            serde_json::from_str::<protocol::DashboardJob>(&json)
                .map_err(|e| protocol::technical(&format!("decode: {e}")))
                .and_then(|job| dashboard(&customers, &orders, job))
                .and_then(|r| serde_json::to_string(&r).map_err(|e| protocol::technical(&format!("encode: {e}")))),
        ),
        Job::ImportCheck(job) => Reply::ImportChecked(import::check(*job, &customers, file).await.map(Box::new)),
        job => compute(job),
    }
}

/// The dashboards on the held records: the two value analyses (progress over both), then
/// the figures.
fn dashboard(customers: &[Customer], orders: &OrderTable, job: protocol::DashboardJob) -> Result<Box<DashboardReport>, Bilingual> {
    let params = job.params.check().map_err(|e| e.bilingual())?;
    let visits = job.visits.check().map_err(|e| e.bilingual())?;
    let periods = *params.periods();
    let now = ValueParams { as_of: periods.to, ..job.value.clone() };
    let before = ValueParams { as_of: periods.previous_to, ..job.value };
    let value_now = value(customers, orders, &now, true)?;
    let value_before = value(customers, orders, &before, false)?;
    let input = DashboardInput {
        customers,
        value: &value_now,
        previous_value: Some(&value_before),
        orders,
        interactions: &job.interactions,
        complaints: &job.complaints,
        survey: job.survey.as_ref(),
        responses: &job.responses,
        calendar: &job.calendar,
        policy: &job.policy,
        visits: &visits,
    };
    Ok(Box::new(clientscope_core::dashboard::dashboard(&input, &params)))
}

/// The jobs that carry their data.
fn compute(job: Job) -> Reply {
    match job {
        Job::PlsFit { model, table, params } => Reply::Pls((|| {
            let valid_model = model.check(&table).map_err(|e| e.bilingual())?;
            let params = PlsParams { resamples: 0, ..params }.check().map_err(|e| e.bilingual())?;
            pls::fit(&valid_model, &table, &params, &mut |_, _| {}).map_err(|e| e.bilingual())
        })()),
        Job::PlsBootstrap { model, table, params, from, to } => Reply::PlsBootstrap((|| {
            let valid_model = model.check(&table).map_err(|e| e.bilingual())?;
            let params = params.check().map_err(|e| e.bilingual())?;
            let mut run = PathBootstrapRun::part(&valid_model, &table, &params, from as usize..to as usize).map_err(|e| e.bilingual())?;
            let total = run.total() as u32;
            while !run.is_done() {
                let done = run.step(10) as u32;
                post(&Reply::Progress { done, total });
            }
            Ok(run.into_part())
        })()),
        Job::Survey { survey, responses, params } => Reply::Survey((|| {
            let valid = params.check().map_err(|e| e.bilingual())?;
            clientscope_core::satisfaction::analysis::analyse(&survey, &responses, &valid).map(Box::new).map_err(|e| e.bilingual())
        })()),
        Job::KMeansCurve { data, params, ks } => Reply::KMeansCurve((|| {
            let params = params.check().map_err(|e| e.bilingual())?;
            let mut run = CurveRun::with_ks(&data, &params, &ks).map_err(|e| e.bilingual())?;
            let total = run.total_steps() as u32;
            while !run.finished() {
                run.step();
                post(&Reply::Progress { done: run.steps_done() as u32, total });
            }
            Ok(run.into_part())
        })()),
        Job::Xlsx { table, created } => Reply::Xlsx(
            clientscope_xlsx::to_xlsx(&table, created)
                .map(serde_bytes::ByteBuf::from)
                .map_err(|e| Bilingual::from_fn(|lang| e.message(lang))),
        ),
        Job::Value(_) | Job::ValuePair(_) | Job::Dashboard(_) | Job::ImportCheck(_) => Reply::Failed(protocol::technical("this job reads the records")),
        Job::ImportOpen { .. } | Job::Snapshot { .. } | Job::BackupOpen { .. } | Job::BackupApply { .. } | Job::BackupExport { .. } => Reply::Failed(protocol::technical("this job is handled apart")),
    }
}

/// The records of the request's generation: those held, or read from the database and put
/// in the page's customer order.
async fn records(req: &Request) -> Result<Option<(Rc<Vec<Customer>>, Rc<OrderTable>)>, Bilingual> {
    let held = HELD.with(|h| h.borrow().as_ref().filter(|h| h.generation == req.generation && h.db == req.db).map(|h| (h.customers.clone(), h.orders.clone())));
    if let Some(r) = held {
        return Ok(Some(r));
    }
    let Some(ids) = &req.ids else { return Ok(None) };
    HELD.with(|h| *h.borrow_mut() = None);
    let stored_error = |e: crate::store::StoreError| Bilingual::from_fn(|lang| e.message(crate::i18n::texts(lang)));
    let db = Db::open_named(&req.db).await.map_err(stored_error)?;
    let stored = db.load_customers().await.map_err(stored_error)?;
    let orders = db.load_lines().await.map_err(stored_error)?;
    db.close();
    let mut by_id: HashMap<String, Customer> = stored.into_iter().map(|c| (c.id.clone(), c)).collect();
    let mut customers = Vec::with_capacity(ids.len());
    for id in ids {
        match by_id.remove(id) {
            Some(c) => customers.push(c),
            // Deleted in another tab since the page read its records.
            None => {
                return Err(Bilingual::new(
                    format!("客户 {id} 已不在数据库中（可能已在其他标签页中删除），请刷新页面后重试。"),
                    format!("Customer {id} is no longer in the database (deleted in another tab?); reload the page and try again."),
                ))
            }
        }
    }
    let (customers, orders) = (Rc::new(customers), Rc::new(orders));
    HELD.with(|h| *h.borrow_mut() = Some(Held { db: req.db.clone(), generation: req.generation, customers: customers.clone(), orders: orders.clone() }));
    Ok(Some((customers, orders)))
}

/// Runs the value analysis in its steps, posting progress after each when `report` is set.
fn value(customers: &[Customer], orders: &OrderTable, params: &ValueParams, report: bool) -> Result<ValueReport, Bilingual> {
    let valid = params.check().map_err(|e| e.bilingual())?;
    let mut job = ValueJob::on_table(customers, orders, &valid);
    loop {
        let p = job.step().map_err(|e| e.bilingual())?;
        if p.done {
            return job.finish().map_err(|e| e.bilingual());
        }
        if report {
            post(&Reply::Progress { done: p.done_steps as u32, total: p.total_steps as u32 });
        }
    }
}
