//! The job runner: the one way pages start a heavy analysis. Pages hand it the records
//! and the checked parameters and get progress and the report back; no page runs an
//! analysis loop itself.
//!
//! The value analysis runs the core's [`ValueJob`] in bounded steps, yielding to the
//! browser between steps so that the page keeps painting and answering clicks.

use crate::state;
use clientscope_core::model::Customer;
use clientscope_core::orders::OrderTable;
use clientscope_core::value::{ValidValueParams, ValueError, ValueJob, ValueReport};

/// Runs the value analysis (SPEC §3) on the customers and the order table, reporting
/// (steps done, total steps).
pub async fn value(customers: &[Customer], orders: &OrderTable, valid: &ValidValueParams, progress: impl Fn(usize, usize)) -> Result<ValueReport, ValueError> {
    let mut job = ValueJob::on_table(customers, orders, valid);
    loop {
        let p = job.step()?;
        if p.done {
            return job.finish();
        }
        progress(p.done_steps, p.total_steps);
        state::yield_now().await;
    }
}
