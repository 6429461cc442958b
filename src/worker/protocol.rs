//! Messages between the page and the worker, encoded as MessagePack into one `Uint8Array`
//! each way (the buffer is transferred, not copied).

use clientscope_core::value::{ValueParams, ValueReport};
use serde::{Deserialize, Serialize};

/// A request from the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The IndexedDB database to read the records from.
    pub db: String,
    /// Which state of the records the page holds; the worker re-reads the database when it
    /// differs from what it read last.
    pub generation: u64,
    /// The page's customer ids in its order, sent with the first request of a generation;
    /// the reports are aligned with this order (`report.customers[i]` is the page's
    /// `customers[i]`).
    pub ids: Option<Vec<String>>,
    /// What to compute.
    pub job: Job,
}

/// The work a request asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// The value analysis (SPEC §3) with these parameters.
    Value(ValueParams),
    /// The value analysis now and for the period before (the customer page's card).
    ValuePair(ValueParams),
}

/// A message from the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// Steps done of the total.
    Progress {
        /// Steps done.
        done: u32,
        /// All steps.
        total: u32,
    },
    /// The value analysis, or why it could not run.
    Value(Result<ValueReport, String>),
    /// The two analyses of [`Job::ValuePair`].
    ValuePair(Result<Box<(ValueReport, ValueReport)>, String>),
    /// The records could not be read or the request not understood.
    Failed(String),
    /// The page must send its customer ids (the worker holds none for this generation).
    NeedIds,
    /// The worker has started and listens (a message posted before this would be lost:
    /// the handler is installed only once the wasm is compiled).
    Ready,
}

/// Encodes a message.
pub fn encode<T: Serialize>(m: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec(m).map_err(|e| format!("encode: {e}"))
}

/// Decodes a message.
pub fn decode<T: for<'de> Deserialize<'de>>(b: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(b).map_err(|e| format!("decode: {e}"))
}
