//! Clientscope core: the data model, validation, every analysis, and the pure file
//! formats. Nothing in this crate touches a browser: no leptos, web-sys, wasm-bindgen or
//! gloo dependency, so `cargo test -p clientscope-core` runs natively and fast, and the app
//! and the `clientscope-cli` binary share one implementation.
//!
//! How the modules relate:
//! - [`model`] defines the records (SPEC §2). Everything else speaks in these types.
//! - [`validate`] checks records and whole datasets (fields, enums, dates, references) and
//!   returns every problem with its record and field; it never fails fast.
//! - [`backup`] writes and reads the JSON backup format: header, checksum, migrations of
//!   older format versions, and the add/update/skip plan of an import.
//! - [`orders`] holds order lines as a columnar table (one array per field, dictionary-
//!   encoded strings), the form the analyses read at department scale and the store keeps.
//! - [`par`] spreads the big loops over threads in native builds with the `threads`
//!   feature (the command line), with the same results to the last bit as without.
//! - [`query`] answers the customer list: search, filter, sort, and per-customer totals.
//! - [`summary`] gives simple totals for the overview (revenue per month).
//! - [`demo`] generates the seeded demo data set.
//! - [`io`] imports CSV / TSV / Excel files as people have them (encodings, column mapping,
//!   values, rejected rows) and exports Excel-safe CSV.
//! - [`value`] runs the customer value analyses of SPEC §3: ABC, RFM, CLV with BG/NBD and
//!   Gamma-Gamma, value and relationship matrices, key-account grades, lifecycle stages.
//! - [`satisfaction`] measures customer satisfaction (SPEC §5): CSI, AHP and objective
//!   weights, PLS path models (ACSI/CCSI), Cronbach's alpha, NPS, loyalty zones, IPA.
//! - [`segment`] segments and targets markets (SPEC §4): segmentation dimensions and saved
//!   segment definitions, the segment cross-tab, k-means clustering with its curves, and
//!   the segment evaluation matrix with targets and positioning.
//! - [`service`] runs the service clocks (SPEC §6): the working calendar with the official
//!   mainland-China holidays, business-hour deadlines, and complaints derived from their
//!   event history (state machine, SLA, analysis, audit-trail CSV).
//! - [`dashboard`] counts the figures of the dashboards (SPEC §8) from the results of the
//!   others: the company overview for a period and one owner or region, against the
//!   previous period, and the account-manager scorecard with its weighted ranking.
#![deny(missing_docs)]

pub mod backup;
pub mod dashboard;
pub mod error;
pub mod demo;
#[cfg(feature = "harness")]
#[doc(hidden)]
pub mod harness;
pub mod io;
pub mod model;
pub mod orders;
pub mod par;
pub mod query;
pub mod satisfaction;
pub mod segment;
pub mod service;
pub mod summary;
pub mod validate;
pub mod value;
