//! Rows → validated records, with every rejected row and the add / update / skip / reject
//! plan. Bad rows are data, never a failure of the whole import.
//!
//! An [`Importer`] is created from the headers and a [`Mapping`] (this is the only step that
//! can fail: [`ImportError`] when a required field is not mapped or the mapping names a
//! header the file does not have), then fed rows one at a time with [`Importer::push`].
//! It keeps only the records built so far and the lists of the report, never the rows, so
//! the app can read a million order lines in chunks, show [`Importer::progress`] between
//! chunks and yield to the browser. [`Importer::finish`] gives the [`ImportOutcome`].
//!
//! Per row: a blank row is skipped (counted, not rejected); a row with a [`RowIssueKind`]
//! (wrong cell count, open quote) is rejected as a whole; otherwise every mapped cell is
//! parsed ([`super::values`]), the record is built and checked with [`crate::validate`].
//! Every bad cell of a row becomes one [`Rejected`] entry (row, column, value, reason in
//! Chinese and English); the row is left out.
//!
//! Customers (SPEC §2, issue 3 merge rules): a row matches an existing customer by code
//! when it has one, else by exact name. A match is updated (mapped, non-empty cells
//! overwrite; the id stays) or skipped, as [`ImportContext::merge`] says. A second row with
//! the same code (or, without code, the same name) as an earlier row is rejected.
//!
//! Order lines, contacts, complaints and responses name their customer by code or exact
//! name (code first). Rows whose customer is unknown are neither accepted nor rejected: they
//! wait in [`ImportOutcome::pending`], and [`ImportOutcome::unknown_customers`] lists the
//! customers; [`ImportOutcome::resolve_unknown`] then creates those customers or skips the
//! rows, as the user chooses.
//!
//! Interactions name their customer by id, code or exact name (id first, so the visit-log
//! CSV's `customer_id` column reads back); their `start` / `end` cells are RFC 3339 with any
//! offset or local times in the calendar's offset ([`Importer::with_offset`], +08:00 by
//! default), and the duration is end − start.
//!
//! New records get ids `<id_prefix><letter><row>` (letter C, O, P, R, K, I for customers,
//! orders, contacts, responses, complaints, interactions; row zero-padded to 7 digits), so one import
//! never collides with itself and a prefix unique per import keeps imports apart.

#[cfg(test)]
mod tests;

use super::mapping::{CustomerMatch, ImportKind, Mapping, Need};
use super::table::{RawRow, RowIssueKind};
use super::values::{self, normalize, ValueError};
use crate::model::{
    Complaint, Contact, Customer, Dataset, Interaction, InteractionKind, Language, OrderLine, Survey,
    SurveyResponse, Timestamp,
};
use crate::validate::{self, Problem};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// The importer's lookups (field names, customer codes and names) run several times for
/// every row: a fast hash for short keys.
type Map<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// What to do with a customer row that matches an existing customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeRule {
    /// Overwrite the existing customer's fields with the row's non-empty mapped cells.
    #[default]
    Update,
    /// Keep the existing customer as it is.
    Skip,
}

/// What to do with rows that refer to customers that do not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownChoice {
    /// Create the customers (name from the row, or the code when there is no name).
    Create,
    /// Leave those rows out.
    Skip,
}

/// What an import needs besides the file.
#[derive(Debug, Clone)]
pub struct ImportContext<'a> {
    /// The customers already stored (for references and merging).
    pub customers: &'a [Customer],
    /// The survey responses are for (their answers are matched to its leaves by id or
    /// label); `None` keeps every unmapped column as an answer keyed by its header.
    pub survey: Option<&'a Survey>,
    /// The import time (`created_at` / `updated_at` of new and updated records).
    pub now: Timestamp,
    /// Prefix of new ids (see the module docs).
    pub id_prefix: String,
    /// Customer merge rule.
    pub merge: MergeRule,
}

/// A mapping the importer cannot work with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// A required field has no column.
    #[error("required field {0} is not mapped")]
    RequiredUnmapped(&'static str),
    /// Neither `customer_code` nor `customer_name` is mapped.
    #[error("no column names the customer")]
    NoCustomerColumn,
    /// The mapping names a header the file does not have.
    #[error("no column {header:?} for field {field}")]
    MissingColumn {
        /// The field.
        field: String,
        /// The header named by the mapping.
        header: String,
    },
}

impl ImportError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language, kind: ImportKind) -> String {
        let zh = lang == Language::ZhCn;
        let label = |key: &str| kind.field(key).map_or_else(|| key.to_string(), |f| f.label(lang).to_string());
        match self {
            ImportError::RequiredUnmapped(k) => if zh {
                format!("必填字段「{}」没有对应的列，请在列映射中选择。", label(k))
            } else {
                format!("The required field “{}” has no column; choose one in the column mapping.", label(k))
            },
            ImportError::NoCustomerColumn => if zh {
                "需要一列客户编号或客户名称，用于找到对应的客户。".into()
            } else {
                "A customer code or customer name column is needed to find the customer.".into()
            },
            ImportError::MissingColumn { field, header } => if zh {
                format!("字段「{}」映射到的列“{header}”在文件中不存在。", label(field))
            } else {
                format!("The column “{header}” mapped to “{}” is not in the file.", label(field))
            },
        }
    }
}

/// A reason in both UI languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Reason {
    /// The reason in the given language.
    pub fn get(&self, lang: Language) -> &str {
        if lang == Language::ZhCn { &self.zh } else { &self.en }
    }

    fn value(e: &ValueError) -> Reason {
        Reason { zh: e.message(Language::ZhCn), en: e.message(Language::En) }
    }

    fn issue(k: &RowIssueKind) -> Reason {
        Reason { zh: k.message(Language::ZhCn), en: k.message(Language::En) }
    }

    fn problem(p: &Problem) -> Reason {
        Reason { zh: p.message(Language::ZhCn), en: p.message(Language::En) }
    }

    fn text(zh: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason { zh: zh.into(), en: en.into() }
    }
}

/// One rejected cell (or whole row, with an empty column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    /// Data row number (the header is row 0).
    pub row: usize,
    /// The header of the bad cell, or `""` when the whole row is bad.
    pub column: String,
    /// The cell as written.
    pub value: String,
    /// Why.
    pub reason: Reason,
}

/// A customer that rows refer to but that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownCustomer {
    /// Code as written in the rows (may be empty).
    pub code: String,
    /// Name as written in the rows (may be empty).
    pub name: String,
    /// How many rows refer to it.
    pub rows: usize,
    /// The first such row.
    pub first_row: usize,
}

/// A record waiting for the user's decision about its unknown customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PendingRecord {
    /// An order line.
    Order(OrderLine),
    /// A contact.
    Contact(Contact),
    /// A complaint.
    Complaint(Complaint),
    /// A survey response.
    Response(SurveyResponse),
    /// An interaction.
    Interaction(Interaction),
}

/// A pending record with its row and the index of its entry in
/// [`ImportOutcome::unknown_customers`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Data row.
    pub row: usize,
    /// Index into `unknown_customers`.
    pub unknown: usize,
    /// The record (its `customer_id` is empty until resolved).
    pub record: PendingRecord,
}

/// Counts for the preview: what confirming the import would do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// New records.
    pub add: usize,
    /// Existing customers updated.
    pub update: usize,
    /// Rows left out on purpose (customer merge rule "skip", unknown customers skipped).
    pub skip: usize,
    /// Rows rejected.
    pub reject: usize,
    /// Rows waiting for the decision about unknown customers.
    pub pending: usize,
}

impl Plan {
    /// Records that confirming would write (added or updated); nothing to confirm at 0.
    pub fn writes(&self) -> usize {
        self.add + self.update
    }
}

/// Progress of a running import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Data rows seen (blank rows included).
    pub rows: usize,
    /// Rows that became records (added or updated).
    pub accepted: usize,
    /// Rows rejected.
    pub rejected: usize,
}

/// The result of an import: records to store, and the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// Data rows seen (blank rows included).
    pub rows: usize,
    /// Blank rows skipped.
    pub blank: usize,
    /// New records (only the imported kind is filled, plus customers created by
    /// [`ImportOutcome::resolve_unknown`]).
    pub added: Dataset,
    /// Existing customers with the imported fields applied (same ids).
    pub updated: Vec<Customer>,
    /// Rows skipped by the merge rule or the unknown-customer choice.
    pub skipped: usize,
    /// Records whose customer is unknown.
    pub pending: Vec<Pending>,
    /// The unknown customers, in order of first appearance.
    pub unknown_customers: Vec<UnknownCustomer>,
    /// Every rejected cell or row.
    pub rejected: Vec<Rejected>,
    /// Distinct rejected rows.
    pub rejected_rows: usize,
    /// The ids of `added`'s new customers created for unknown customers.
    pub id_prefix: String,
    now: Option<Timestamp>,
}

impl ImportOutcome {
    /// Records accepted: added plus updated.
    pub fn accepted(&self) -> usize {
        self.added.counts().total() - self.created_customers() + self.updated.len()
    }

    fn created_customers(&self) -> usize {
        // Customers created for unknown references are not rows of the file.
        self.added.customers.iter().filter(|c| c.id.starts_with(&format!("{}N", self.id_prefix))).count()
    }

    /// The preview counts.
    pub fn plan(&self) -> Plan {
        Plan {
            add: self.added.counts().total(),
            update: self.updated.len(),
            skip: self.skipped,
            reject: self.rejected_rows,
            pending: self.pending.len(),
        }
    }

    /// The preview counts as they will be once the user's choice about unknown customers
    /// is applied by [`ImportOutcome::resolve_unknown`] (`None`: not chosen yet, the same as
    /// [`ImportOutcome::plan`]). With `Create`, the pending rows and the new customers made
    /// for them are added; with `Skip`, the pending rows are skipped.
    pub fn plan_with(&self, choice: Option<UnknownChoice>) -> Plan {
        let mut p = self.plan();
        match choice {
            None => {}
            Some(_) if self.pending.is_empty() => {}
            Some(UnknownChoice::Create) => {
                p.add += p.pending + self.unknown_customers.len();
                p.pending = 0;
            }
            Some(UnknownChoice::Skip) => {
                p.skip += p.pending;
                p.pending = 0;
            }
        }
        p
    }

    /// The first `n` records of `kind` as they will be stored (new ones first, then updated
    /// customers), one row of text per record with the columns of [`ImportOutcome::preview_columns`]:
    /// the kind's mapped fields in the record's stored form (ISO dates, amounts in yuan, enum
    /// values by their stored names); the customer reference is shown as the customer's name
    /// (from `customers` or the customers this import creates) or, while unresolved, as the
    /// code or name the row gave.
    pub fn preview(&self, kind: ImportKind, mapping: &Mapping, customers: &[Customer], n: usize) -> Vec<Vec<String>> {
        let cols = Self::preview_columns(kind, mapping);
        let name_of = |id: &str| -> String {
            customers
                .iter()
                .chain(self.added.customers.iter())
                .find(|c| c.id == id)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let row_of = |value: serde_json::Value, customer: Option<String>| -> Vec<String> {
            cols.iter()
                .map(|&key| {
                    if key == "customer" {
                        return customer.clone().unwrap_or_default();
                    }
                    match value.get(key) {
                        None | Some(serde_json::Value::Null) => String::new(),
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(serde_json::Value::Array(a)) => a
                            .iter()
                            .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                            .collect::<Vec<_>>()
                            .join("; "),
                        Some(serde_json::Value::Object(o)) => o.len().to_string(),
                        // Whole numbers without the `.0` serde writes for floats.
                        Some(serde_json::Value::Number(x)) => match x.as_f64() {
                            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                            _ => x.to_string(),
                        },
                        Some(other) => other.to_string(),
                    }
                })
                .collect()
        };
        let mut out: Vec<Vec<String>> = Vec::new();
        let pending_ref = |p: &Pending| -> String {
            self.unknown_customers.get(p.unknown).map(|u| if u.name.is_empty() { u.code.clone() } else { u.name.clone() }).unwrap_or_default()
        };
        match kind {
            ImportKind::Customers => {
                for c in self.added.customers.iter().chain(self.updated.iter()).take(n) {
                    out.push(row_of(json(c), None));
                }
            }
            ImportKind::Orders => {
                for o in self.added.orders.iter().take(n) {
                    out.push(row_of(json(o), Some(name_of(&o.customer_id))));
                }
            }
            ImportKind::Contacts => {
                for c in self.added.contacts.iter().take(n) {
                    out.push(row_of(json(c), Some(name_of(&c.customer_id))));
                }
            }
            ImportKind::Complaints => {
                for c in self.added.complaints.iter().take(n) {
                    out.push(row_of(json(c), Some(name_of(&c.customer_id))));
                }
            }
            ImportKind::Responses => {
                for r in self.added.responses.iter().take(n) {
                    out.push(row_of(json(r), r.customer_id.as_deref().map(name_of)));
                }
            }
            ImportKind::Interactions => {
                for i in self.added.interactions.iter().take(n) {
                    out.push(row_of(interaction_json(i), Some(name_of(&i.customer_id))));
                }
            }
        }
        for p in self.pending.iter().take(n.saturating_sub(out.len())) {
            let v = match &p.record {
                PendingRecord::Order(o) => json(o),
                PendingRecord::Contact(c) => json(c),
                PendingRecord::Complaint(c) => json(c),
                PendingRecord::Response(r) => json(r),
                PendingRecord::Interaction(i) => interaction_json(i),
            };
            out.push(row_of(v, Some(pending_ref(p))));
        }
        out
    }

    /// The columns of [`ImportOutcome::preview`]: `customer` for the customer reference
    /// (when the kind has one and it is mapped), then every other mapped field key in the
    /// kind's order, plus `answers` (the number of answers) for survey responses.
    pub fn preview_columns(kind: ImportKind, mapping: &Mapping) -> Vec<&'static str> {
        let mut cols = Vec::new();
        let refs = ["customer_code", "customer_name"];
        if kind != ImportKind::Customers && refs.iter().any(|k| mapping.header(k).is_some()) {
            cols.push("customer");
        }
        for f in kind.fields() {
            if !refs.contains(&f.key) && mapping.header(f.key).is_some() {
                cols.push(f.key);
            }
        }
        if kind == ImportKind::Responses {
            cols.push("answers");
        }
        cols
    }

    /// Applies the user's choice to the pending rows: create the unknown customers (ids
    /// `<prefix>N<n>`) and accept the rows, or skip them.
    pub fn resolve_unknown(&mut self, choice: UnknownChoice) {
        if let Some(mut r) = self.start_resolving(choice) {
            while !r.step(self, usize::MAX) {}
        }
    }

    /// [`ImportOutcome::resolve_unknown`] in bounded steps, for a caller that must stay
    /// responsive (a million pending lines are ~200 MB to move): the customers are created
    /// (or the rows skipped) now; [`Resolving::step`] accepts the records. `None` when
    /// there is nothing more to do.
    pub fn start_resolving(&mut self, choice: UnknownChoice) -> Option<Resolving> {
        let pending = std::mem::take(&mut self.pending);
        if choice == UnknownChoice::Skip {
            self.skipped += pending.len();
            return None;
        }
        let now = self.now.unwrap_or_default();
        let ids: Vec<String> = (0..self.unknown_customers.len()).map(|i| format!("{}N{:07}", self.id_prefix, i + 1)).collect();
        for (u, id) in self.unknown_customers.iter().zip(&ids) {
            let name = if u.name.is_empty() { u.code.clone() } else { u.name.clone() };
            self.added.customers.push(blank_customer(id.clone(), u.code.clone(), name, now));
        }
        // Room for all at once: a million pending lines pushed one by one would copy the
        // growing vector some twenty times.
        let lines = pending.iter().filter(|p| matches!(p.record, PendingRecord::Order(_))).count();
        self.added.orders.reserve(lines);
        Some(Resolving { pending: pending.into_iter(), ids })
    }
}

/// The records of [`ImportOutcome::start_resolving`] still to accept.
#[derive(Debug)]
pub struct Resolving {
    pending: std::vec::IntoIter<Pending>,
    ids: Vec<String>,
}

impl Resolving {
    /// Accepts at most `n` more records into `out` (at least one); `true` when all are in.
    pub fn step(&mut self, out: &mut ImportOutcome, n: usize) -> bool {
        for p in self.pending.by_ref().take(n.max(1)) {
            let cid = self.ids.get(p.unknown).cloned().unwrap_or_default();
            match p.record {
                PendingRecord::Order(mut o) => {
                    o.customer_id = cid;
                    out.added.orders.push(o);
                }
                PendingRecord::Contact(mut c) => {
                    c.customer_id = cid;
                    out.added.contacts.push(c);
                }
                PendingRecord::Complaint(mut c) => {
                    c.customer_id = cid;
                    out.added.complaints.push(c);
                }
                PendingRecord::Response(mut r) => {
                    r.customer_id = Some(cid);
                    out.added.responses.push(r);
                }
                PendingRecord::Interaction(mut i) => {
                    i.customer_id = cid;
                    out.added.interactions.push(i);
                }
            }
        }
        self.pending.len() == 0
    }
}

/// A record as a JSON value, for the preview (records always serialise).
fn json<T: Serialize>(record: &T) -> serde_json::Value {
    serde_json::to_value(record).unwrap_or(serde_json::Value::Null)
}

/// An interaction for the preview, with `start` as the date when it has no time and the
/// `end` column of the import form.
fn interaction_json(i: &Interaction) -> serde_json::Value {
    let mut v = json(i);
    if let serde_json::Value::Object(o) = &mut v {
        let (start, end) = super::visits::start_end(i);
        o.insert("start".into(), serde_json::Value::String(start));
        o.insert("end".into(), serde_json::Value::String(end));
        o.insert("kind".into(), serde_json::Value::String(i.kind.name().into()));
        o.insert("status".into(), serde_json::Value::String(i.status.name().into()));
    }
    v
}

fn blank_customer(id: String, code: String, name: String, now: Timestamp) -> Customer {
    Customer { code, ..Customer::new(id, name, now) }
}

/// Cells of one row by field key, with the row's problems.
struct RowCtx<'r> {
    row: usize,
    cells: &'r [String],
    cols: &'r Map<&'static str, usize>,
    headers: &'r [String],
    bad: Vec<Rejected>,
}

impl RowCtx<'_> {
    /// The normalised, non-empty cell of `field`, if mapped.
    fn get(&self, field: &str) -> Option<String> {
        self.cell(field).map(Cow::into_owned)
    }

    /// [`RowCtx::get`] without a copy when the cell needs no normalising.
    fn cell(&self, field: &str) -> Option<Cow<'_, str>> {
        self.cell_at(self.cols.get(field).copied())
    }

    /// [`RowCtx::cell`] of a column found beforehand (see [`OrderCols`]).
    fn cell_at(&self, col: Option<usize>) -> Option<Cow<'_, str>> {
        let v = normalize(self.cells.get(col?)?);
        if v.is_empty() { None } else { Some(v) }
    }

    /// A required cell parsed: [`RowCtx::required`] then [`RowCtx::parse`], reading the
    /// cell once.
    fn required_parse<T>(&mut self, field: &str, col: Option<usize>, p: impl Fn(&str) -> Result<T, ValueError>) -> Option<T> {
        let Some(v) = self.cell_at(col) else {
            self.reject_missing(field);
            return None;
        };
        self.parsed(field, p(&v))
    }

    /// [`RowCtx::parse`] of a column found beforehand.
    fn parse_at<T>(&mut self, field: &str, col: Option<usize>, p: impl Fn(&str) -> Result<T, ValueError>) -> Option<T> {
        let parsed = p(&self.cell_at(col)?);
        self.parsed(field, parsed)
    }

    fn parsed<T>(&mut self, field: &str, parsed: Result<T, ValueError>) -> Option<T> {
        match parsed {
            Ok(t) => Some(t),
            Err(e) => {
                self.reject(field, Reason::value(&e));
                None
            }
        }
    }

    /// [`RowCtx::text`] of a column found beforehand.
    fn text_at(&self, col: Option<usize>) -> String {
        self.cell_at(col).map(Cow::into_owned).unwrap_or_default()
    }

    fn header(&self, field: &str) -> String {
        self.cols.get(field).and_then(|&i| self.headers.get(i)).cloned().unwrap_or_default()
    }

    fn raw(&self, field: &str) -> String {
        self.cols.get(field).and_then(|&i| self.cells.get(i)).cloned().unwrap_or_default()
    }

    fn reject(&mut self, field: &str, reason: Reason) {
        self.bad.push(Rejected { row: self.row, column: self.header(field), value: self.raw(field), reason });
    }

    /// Parses a mapped, non-empty cell; records the problem and gives `None` on failure.
    fn parse<T>(&mut self, field: &str, p: impl Fn(&str) -> Result<T, ValueError>) -> Option<T> {
        let parsed = p(&self.cell(field)?);
        self.parsed(field, parsed)
    }

    fn text(&self, field: &str) -> String {
        self.get(field).unwrap_or_default()
    }

    fn required(&mut self, field: &str) -> bool {
        if self.cell(field).is_none() {
            self.reject_missing(field);
            return false;
        }
        true
    }

    /// A required field left empty.
    fn reject_missing(&mut self, field: &str) {
        self.reject(field, Reason::text("不能为空", "is required"));
    }
}

/// The columns of an order-line import's fields, found once (an import has up to a
/// million lines; looking a field's column up by name on every line costs a hash each).
#[derive(Debug, Default, Clone, Copy)]
struct OrderCols {
    date: Option<usize>,
    amount: Option<usize>,
    profit: Option<usize>,
    quantity: Option<usize>,
    order_no: Option<usize>,
    product: Option<usize>,
    category: Option<usize>,
    channel: Option<usize>,
}

/// The columns that name a row's customer, found once.
#[derive(Debug, Default, Clone, Copy)]
struct RefCols {
    code: Option<usize>,
    name: Option<usize>,
}

/// Feeds rows into records; see the module docs.
#[derive(Debug)]
pub struct Importer<'a> {
    kind: ImportKind,
    ctx: ImportContext<'a>,
    headers: Vec<String>,
    cols: Map<&'static str, usize>,
    /// Response answers: column → leaf id.
    answer_cols: Vec<(usize, String)>,
    by_code: Map<String, usize>,
    by_name: Map<String, usize>,
    /// Customer ids.
    by_id: Map<String, usize>,
    /// How references are matched.
    match_by: CustomerMatch,
    /// Offset of local times in interaction imports.
    offset: chrono::FixedOffset,
    seen_in_file: Map<String, usize>,
    updated_index: Map<usize, usize>,
    /// Unknown customers seen so far: code → name → index (two levels, so that a line's
    /// reference is looked up borrowed, without making a key).
    unknown_index: Map<String, Map<String, usize>>,
    order_cols: OrderCols,
    ref_cols: RefCols,
    out: ImportOutcome,
}

impl<'a> Importer<'a> {
    /// Prepares an import of `kind` from a file with `headers`, read by `mapping`.
    pub fn new(kind: ImportKind, headers: &[String], mapping: &Mapping, ctx: ImportContext<'a>) -> Result<Self, ImportError> {
        let mut cols = Map::default();
        for (field, header) in &mapping.fields {
            let Some(def) = kind.field(field) else { continue };
            let i = headers
                .iter()
                .position(|h| h == header)
                .ok_or_else(|| ImportError::MissingColumn { field: field.clone(), header: header.clone() })?;
            cols.insert(def.key, i);
        }
        for def in kind.fields() {
            if def.need == Need::Required && !cols.contains_key(def.key) {
                return Err(ImportError::RequiredUnmapped(def.key));
            }
        }
        let has_ref = kind.fields().iter().any(|d| d.need == Need::CustomerRef);
        if has_ref && !cols.contains_key("customer_code") && !cols.contains_key("customer_name") {
            return Err(ImportError::NoCustomerColumn);
        }
        let mut answer_cols = Vec::new();
        if kind == ImportKind::Responses {
            let used: Vec<usize> = cols.values().copied().collect();
            for (i, h) in headers.iter().enumerate() {
                if used.contains(&i) {
                    continue;
                }
                match ctx.survey {
                    Some(s) => {
                        let hk = super::mapping::header_key(h);
                        if let Some(leaf) = s
                            .root
                            .leaves()
                            .into_iter()
                            .find(|l| super::mapping::header_key(&l.id) == hk || super::mapping::header_key(&l.label) == hk)
                        {
                            answer_cols.push((i, leaf.id.clone()));
                        }
                    }
                    None => answer_cols.push((i, h.clone())),
                }
            }
        }
        let mut by_code = Map::default();
        let mut by_name = Map::default();
        for (i, c) in ctx.customers.iter().enumerate() {
            if !c.code.is_empty() {
                by_code.entry(c.code.clone()).or_insert(i);
            }
            by_name.entry(c.name.clone()).or_insert(i);
        }
        let by_id = if has_ref { ctx.customers.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect() } else { Map::default() };
        let out = ImportOutcome { id_prefix: ctx.id_prefix.clone(), now: Some(ctx.now), ..ImportOutcome::default() };
        let col = |f: &str| cols.get(f).copied();
        let order_cols = OrderCols {
            date: col("date"),
            amount: col("amount"),
            profit: col("profit"),
            quantity: col("quantity"),
            order_no: col("order_no"),
            product: col("product"),
            category: col("category"),
            channel: col("channel"),
        };
        let ref_cols = RefCols { code: col("customer_code"), name: col("customer_name") };
        Ok(Importer {
            kind,
            ctx,
            headers: headers.to_vec(),
            cols,
            answer_cols,
            by_code,
            by_name,
            by_id,
            match_by: mapping.match_by,
            offset: crate::service::visits::SHANGHAI,
            seen_in_file: Map::default(),
            updated_index: Map::default(),
            unknown_index: Map::default(),
            order_cols,
            ref_cols,
            out,
        })
    }

    /// Reads local times of an interaction import (`YYYY-MM-DD HH:MM`) in `offset`, the
    /// calendar's (Asia/Shanghai +08:00 unless set).
    pub fn with_offset(mut self, offset: chrono::FixedOffset) -> Self {
        self.offset = offset;
        self
    }

    /// The field → column index mapping in use.
    pub fn columns(&self) -> &HashMap<&'static str, usize, rustc_hash::FxBuildHasher> {
        &self.cols
    }

    /// How far the import has come.
    pub fn progress(&self) -> Progress {
        Progress { rows: self.out.rows, accepted: self.out.added.counts().total() + self.out.updated.len(), rejected: self.out.rejected_rows }
    }

    /// Feeds one row.
    pub fn push(&mut self, row: &RawRow) {
        self.out.rows += 1;
        if let Some(issue) = &row.issue {
            self.out.rejected.push(Rejected { row: row.row, column: String::new(), value: String::new(), reason: Reason::issue(issue) });
            self.out.rejected_rows += 1;
            return;
        }
        if row.is_blank() {
            self.out.blank += 1;
            return;
        }
        let cols = std::mem::take(&mut self.cols);
        let headers = std::mem::take(&mut self.headers);
        let mut r = RowCtx { row: row.row, cells: &row.cells, cols: &cols, headers: &headers, bad: Vec::new() };
        match self.kind {
            ImportKind::Customers => self.customer(&mut r),
            ImportKind::Orders => self.order(&mut r),
            ImportKind::Contacts => self.contact(&mut r),
            ImportKind::Responses => self.response(&mut r),
            ImportKind::Complaints => self.complaint(&mut r),
            ImportKind::Interactions => self.interaction(&mut r),
        }
        if !r.bad.is_empty() {
            self.out.rejected_rows += 1;
            self.out.rejected.append(&mut r.bad);
        }
        self.cols = cols;
        self.headers = headers;
    }

    /// Feeds one row given as cells (fewer or more cells than headers are a row issue).
    pub fn push_cells(&mut self, row: usize, cells: &[String]) {
        let issue = (cells.len() != self.headers.len())
            .then_some(RowIssueKind::ColumnCount { expected: self.headers.len(), found: cells.len() });
        self.push(&RawRow { row, cells: cells.to_vec(), issue });
    }

    /// Takes the records added so far (the app may move them out chunk by chunk; the
    /// plan counts only what is still held).
    pub fn take_added(&mut self) -> Dataset {
        std::mem::take(&mut self.out.added)
    }

    /// Ends the import.
    pub fn finish(self) -> ImportOutcome {
        self.out
    }

    fn new_id(&self, letter: char, row: usize) -> String {
        // What `format!("{prefix}{letter}{row:07}")` writes, without the formatter (once a line).
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(row);
        let mut id = String::with_capacity(self.ctx.id_prefix.len() + 1 + digits.len().max(7));
        id.push_str(&self.ctx.id_prefix);
        id.push(letter);
        id.extend(std::iter::repeat_n('0', 7usize.saturating_sub(digits.len())));
        id.push_str(digits);
        id
    }

    /// Problems of validation become rejections at the mapped column of their field.
    fn validation(r: &mut RowCtx<'_>, problems: Vec<Problem>) {
        for p in problems {
            let field = match p.field.as_str() {
                "customer_id" => "customer_code",
                f => f,
            };
            let field = field.to_string();
            r.reject(&field, Reason::problem(&p));
        }
    }

    /// The customer of a row by code, else exact name: `Ok(Some(id))`, `Ok(None)` for
    /// anonymous (no reference cells), `Err(unknown index)` when not found.
    fn resolve(&mut self, r: &RowCtx<'_>) -> Result<Option<String>, usize> {
        // Borrowed: a million-line import looks up a million references, and most find a
        // customer or an unknown one already seen.
        let code = r.cell_at(self.ref_cols.code).unwrap_or_default();
        let name = r.cell_at(self.ref_cols.name).unwrap_or_default();
        let (code, name): (&str, &str) = (&code, &name);
        if code.is_empty() && name.is_empty() {
            return Ok(None);
        }
        let hit = match self.match_by {
            CustomerMatch::Auto => (!code.is_empty())
                .then(|| self.by_id.get(code).or_else(|| self.by_code.get(code)))
                .flatten()
                .or_else(|| (!name.is_empty()).then(|| self.by_name.get(name)).flatten()),
            CustomerMatch::Id => self.by_id.get(code),
            CustomerMatch::Code => self.by_code.get(code),
            CustomerMatch::Name => self.by_name.get(if name.is_empty() { code } else { name }),
        };
        if let Some(&i) = hit {
            return Ok(self.ctx.customers.get(i).map(|c| c.id.clone()));
        }
        let known = self.unknown_index.get(code).and_then(|names| names.get(name)).copied();
        let idx = match known {
            Some(i) => i,
            None => {
                let i = self.out.unknown_customers.len();
                self.out.unknown_customers.push(UnknownCustomer { code: code.to_string(), name: name.to_string(), rows: 0, first_row: r.row });
                self.unknown_index.entry(code.to_string()).or_default().insert(name.to_string(), i);
                i
            }
        };
        if let Some(u) = self.out.unknown_customers.get_mut(idx) {
            u.rows += 1;
        }
        Err(idx)
    }

    fn customer(&mut self, r: &mut RowCtx<'_>) {
        if !r.required("name") {
            return;
        }
        let code = r.text("code");
        let name = r.text("name");
        let file_key = if code.is_empty() { format!("n:{name}") } else { format!("c:{code}") };
        if let Some(first) = self.seen_in_file.get(&file_key) {
            let field = if code.is_empty() { "name" } else { "code" };
            r.reject(field, Reason::text(format!("与第 {first} 行重复"), format!("repeats row {first}")));
            return;
        }
        let existing = if code.is_empty() { self.by_name.get(&name) } else { self.by_code.get(&code).or_else(|| self.by_name.get(&name)) };
        let existing = existing.copied();
        if existing.is_some() && self.ctx.merge == MergeRule::Skip {
            self.seen_in_file.insert(file_key, r.row);
            self.out.skipped += 1;
            return;
        }
        let mut c = match existing.and_then(|i| self.ctx.customers.get(i)) {
            Some(e) => e.clone(),
            None => blank_customer(self.new_id('C', r.row), String::new(), String::new(), self.ctx.now),
        };
        c.updated_at = self.ctx.now;
        let set = |dst: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *dst = v;
            }
        };
        set(&mut c.code, r.get("code"));
        set(&mut c.name, r.get("name"));
        set(&mut c.industry, r.get("industry"));
        set(&mut c.province, r.get("province"));
        set(&mut c.city, r.get("city"));
        set(&mut c.size, r.get("size"));
        set(&mut c.owner, r.get("owner"));
        set(&mut c.termination_reason, r.get("termination_reason"));
        set(&mut c.notes, r.get("notes"));
        if let Some(v) = r.parse("kind", values::parse_customer_kind) {
            c.kind = v;
        }
        if let Some(v) = r.parse("region", values::parse_region) {
            c.region = Some(v);
        }
        if let Some(v) = r.parse("city_size", values::parse_city_size) {
            c.city_size = Some(v);
        }
        if let Some(v) = r.parse("economic_zone", values::parse_economic_zone) {
            c.economic_zone = Some(v);
        }
        if let Some(v) = r.parse("credit_rating", values::parse_credit_rating) {
            c.credit_rating = Some(v);
        }
        if let Some(v) = r.parse("status", values::parse_status) {
            c.status = v;
        }
        if let Some(v) = r.parse("since", values::parse_date) {
            c.since = Some(v);
        }
        if let Some(tags) = r.get("tags") {
            c.tags = values::split_list(&tags);
        }
        if !r.bad.is_empty() {
            return;
        }
        Self::validation(r, validate::customer(&c));
        if !r.bad.is_empty() {
            return;
        }
        self.seen_in_file.insert(file_key, r.row);
        match existing {
            Some(i) => match self.updated_index.get(&i) {
                Some(&u) => {
                    if let Some(slot) = self.out.updated.get_mut(u) {
                        *slot = c;
                    }
                }
                None => {
                    self.updated_index.insert(i, self.out.updated.len());
                    self.out.updated.push(c);
                }
            },
            None => self.out.added.customers.push(c),
        }
    }

    fn order(&mut self, r: &mut RowCtx<'_>) {
        let c = self.order_cols;
        let date = r.required_parse("date", c.date, values::parse_date);
        let amount = r.required_parse("amount", c.amount, values::parse_amount);
        let profit = r.parse_at("profit", c.profit, values::parse_amount);
        let quantity = r.parse_at("quantity", c.quantity, values::parse_amount);
        if r.cell_at(self.ref_cols.code).is_none() && r.cell_at(self.ref_cols.name).is_none() {
            let f = if r.cols.contains_key("customer_code") { "customer_code" } else { "customer_name" };
            r.reject(f, Reason::text("缺少客户编号或客户名称", "has no customer code or name"));
        }
        let (Some(date), Some(amount)) = (date, amount) else { return };
        if !r.bad.is_empty() {
            return;
        }
        let mut o = OrderLine {
            id: self.new_id('O', r.row),
            customer_id: String::new(),
            order_no: r.text_at(c.order_no),
            date,
            amount,
            profit,
            product: r.text_at(c.product),
            category: r.text_at(c.category),
            quantity,
            channel: r.text_at(c.channel),
            created_at: self.ctx.now,
            updated_at: self.ctx.now,
        };
        let resolved = self.resolve(r);
        // Validate with a placeholder customer so that a missing id is not reported twice.
        o.customer_id = "?".into();
        Self::validation(r, validate::order_line(&o));
        if !r.bad.is_empty() {
            if let Err(i) = resolved {
                self.unresolve(i);
            }
            return;
        }
        match resolved {
            Ok(Some(id)) => {
                o.customer_id = id;
                self.out.added.orders.push(o);
            }
            Ok(None) => {}
            Err(i) => {
                o.customer_id.clear();
                self.out.pending.push(Pending { row: r.row, unknown: i, record: PendingRecord::Order(o) });
            }
        }
    }

    /// Undoes the count of a reference from a row that was rejected after all.
    fn unresolve(&mut self, i: usize) {
        if let Some(u) = self.out.unknown_customers.get_mut(i) {
            u.rows = u.rows.saturating_sub(1);
            if u.rows == 0 && i + 1 == self.out.unknown_customers.len() {
                let u = self.out.unknown_customers.pop();
                if let Some(u) = u {
                    if let Some(names) = self.unknown_index.get_mut(&u.code) {
                        names.remove(&u.name);
                        if names.is_empty() {
                            self.unknown_index.remove(&u.code);
                        }
                    }
                }
            }
        }
    }

    fn contact(&mut self, r: &mut RowCtx<'_>) {
        r.required("name");
        let roles = match r.get("roles") {
            Some(v) => {
                let mut roles = Vec::new();
                for part in values::split_list(&v) {
                    match values::parse_role(&part) {
                        Ok(role) if !roles.contains(&role) => roles.push(role),
                        Ok(_) => {}
                        Err(e) => r.reject("roles", Reason::value(&e)),
                    }
                }
                roles
            }
            None => Vec::new(),
        };
        if r.cell("customer_code").is_none() && r.cell("customer_name").is_none() {
            let f = if r.cols.contains_key("customer_code") { "customer_code" } else { "customer_name" };
            r.reject(f, Reason::text("缺少客户编号或客户名称", "has no customer code or name"));
        }
        if !r.bad.is_empty() {
            return;
        }
        let mut c = Contact {
            id: self.new_id('P', r.row),
            customer_id: "?".into(),
            name: r.text("name"),
            title: r.text("title"),
            phone: r.text("phone"),
            email: r.text("email"),
            roles,
            notes: r.text("notes"),
            created_at: self.ctx.now,
            updated_at: self.ctx.now,
        };
        Self::validation(r, validate::contact(&c));
        if !r.bad.is_empty() {
            return;
        }
        match self.resolve(r) {
            Ok(Some(id)) => {
                c.customer_id = id;
                self.out.added.contacts.push(c);
            }
            Ok(None) => {}
            Err(i) => {
                c.customer_id.clear();
                self.out.pending.push(Pending { row: r.row, unknown: i, record: PendingRecord::Contact(c) });
            }
        }
    }

    fn complaint(&mut self, r: &mut RowCtx<'_>) {
        let received = if r.required("received_at") { r.parse("received_at", values::parse_datetime) } else { None };
        let severity = r.parse("severity", values::parse_severity).unwrap_or_default();
        let validity = r.parse("validity", values::parse_validity);
        let closed_at = r.parse("closed_at", values::parse_datetime);
        let follow_up_date = r.parse("follow_up_date", values::parse_date);
        if r.cell("customer_code").is_none() && r.cell("customer_name").is_none() {
            let f = if r.cols.contains_key("customer_code") { "customer_code" } else { "customer_name" };
            r.reject(f, Reason::text("缺少客户编号或客户名称", "has no customer code or name"));
        }
        let Some(received_at) = received else { return };
        if !r.bad.is_empty() {
            return;
        }
        // The flat row is the old flag shape of a complaint; it becomes the equivalent
        // event history (`LegacyComplaint::into_events`).
        let owner = r.text("owner");
        let legacy = crate::model::LegacyComplaint {
            received_at: Some(received_at),
            validity,
            confirmed_at: None,
            resolution: r.text("resolution"),
            explanation: String::new(),
            closed_at,
            follow_up_date,
            follow_up_result: r.text("follow_up_result"),
        };
        let mut c = Complaint {
            id: self.new_id('K', r.row),
            customer_id: "?".into(),
            channel: r.text("channel"),
            category: r.text("category"),
            description: r.text("description"),
            severity,
            events: legacy.into_events(&owner).unwrap_or_default(),
            owner,
            created_at: self.ctx.now,
            updated_at: self.ctx.now,
        };
        Self::validation(r, validate::complaint(&c));
        if !r.bad.is_empty() {
            return;
        }
        match self.resolve(r) {
            Ok(Some(id)) => {
                c.customer_id = id;
                self.out.added.complaints.push(c);
            }
            Ok(None) => {}
            Err(i) => {
                c.customer_id.clear();
                self.out.pending.push(Pending { row: r.row, unknown: i, record: PendingRecord::Complaint(c) });
            }
        }
    }

    fn interaction(&mut self, r: &mut RowCtx<'_>) {
        let offset = self.offset;
        let start = if r.required("start") { r.parse("start", |v| values::parse_zoned(v, offset)) } else { None };
        let end = r.parse("end", |v| values::parse_zoned(v, offset));
        let kind = r.parse("kind", values::parse_interaction_kind).unwrap_or(InteractionKind::Visit);
        let status = r.parse("status", values::parse_interaction_status).unwrap_or_default();
        let next_due = r.parse("next_due", values::parse_date);
        if r.cell("customer_code").is_none() && r.cell("customer_name").is_none() {
            let f = if r.cols.contains_key("customer_code") { "customer_code" } else { "customer_name" };
            r.reject(f, Reason::text("缺少客户编号或客户名称", "has no customer code or name"));
        }
        let Some((date, start)) = start else { return };
        // The duration is end − start in whole minutes; an end needs a start time and must
        // not lie before it.
        let duration_min = match (start, end) {
            (_, None) => None,
            (Some(s), Some((_, Some(e)))) if e >= s && (e - s).num_minutes() <= i64::from(validate::MAX_DURATION_MIN) => {
                Some((e - s).num_minutes() as u32)
            }
            (Some(_), Some((_, Some(_)))) => {
                r.reject("end", Reason::text("早于开始时间或超过 7 天", "lies before the start or more than 7 days after it"));
                None
            }
            _ => {
                r.reject("end", Reason::text("需要开始和结束的具体时间", "needs a start and an end with a time of day"));
                None
            }
        };
        if !r.bad.is_empty() {
            return;
        }
        let mut i = Interaction {
            purpose: r.text("purpose"),
            who: r.text("who"),
            method: r.text("method"),
            reason: r.text("reason"),
            outcome: r.text("outcome"),
            next_action: r.text("next_action"),
            next_due,
            owner: r.text("owner"),
            status,
            start,
            duration_min,
            location: r.text("location"),
            ..Interaction::new(self.new_id('I', r.row), "?", kind, date, self.ctx.now)
        };
        Self::validation(r, validate::interaction(&i));
        if !r.bad.is_empty() {
            return;
        }
        match self.resolve(r) {
            Ok(Some(id)) => {
                i.customer_id = id;
                self.out.added.interactions.push(i);
            }
            Ok(None) => {}
            Err(u) => {
                i.customer_id.clear();
                self.out.pending.push(Pending { row: r.row, unknown: u, record: PendingRecord::Interaction(i) });
            }
        }
    }

    fn response(&mut self, r: &mut RowCtx<'_>) {
        let date = if r.required("date") { r.parse("date", values::parse_date) } else { None };
        let repurchase = r.parse("repurchase", values::parse_likert);
        let recommend = r.parse("recommend", |v| {
            let x = values::parse_amount(v)?;
            if x.fract() == 0.0 && (0.0..=10.0).contains(&x) {
                Ok(x as u8)
            } else {
                Err(ValueError::NotAllowed { allowed_zh: "0 到 10 的整数", allowed_en: "a whole number 0 to 10" })
            }
        });
        let mut answers = BTreeMap::new();
        for (col, leaf) in &self.answer_cols {
            let raw = r.cells.get(*col).map(String::as_str).unwrap_or("");
            let v = normalize(raw);
            if v.is_empty() {
                continue;
            }
            let lower = v.to_lowercase();
            if matches!(lower.as_str(), "不适用" | "n/a" | "na" | "-") {
                answers.insert(leaf.clone(), None);
                continue;
            }
            match values::parse_likert(&v) {
                Ok(x) => {
                    answers.insert(leaf.clone(), Some(x));
                }
                Err(e) => r.bad.push(Rejected {
                    row: r.row,
                    column: r.headers.get(*col).cloned().unwrap_or_default(),
                    value: raw.to_string(),
                    reason: Reason::value(&e),
                }),
            }
        }
        let Some(date) = date else { return };
        if !r.bad.is_empty() {
            return;
        }
        let mut resp = SurveyResponse {
            id: self.new_id('R', r.row),
            survey_id: self.ctx.survey.map(|s| s.id.clone()).unwrap_or_default(),
            customer_id: None,
            segment: BTreeMap::new(),
            date,
            period: r.text("period"),
            answers,
            competitor_answers: BTreeMap::new(),
            repurchase,
            recommend,
            created_at: self.ctx.now,
            updated_at: self.ctx.now,
        };
        if let Some(s) = self.ctx.survey {
            Self::validation(r, validate::response(&resp, Some(s)));
        } else {
            // Without a survey the leaves are unknown; check the rest with a copy without
            // answers (survey_id may be empty until the app assigns the survey).
            let mut probe = resp.clone();
            probe.answers.clear();
            probe.survey_id = "?".into();
            Self::validation(r, validate::response(&probe, None));
        }
        if !r.bad.is_empty() {
            return;
        }
        match self.resolve(r) {
            Ok(id) => {
                resp.customer_id = id;
                self.out.added.responses.push(resp);
            }
            Err(i) => self.out.pending.push(Pending { row: r.row, unknown: i, record: PendingRecord::Response(resp) }),
        }
    }
}

/// Imports a whole [`super::Table`] at once (for previews, small files and tests).
pub fn import_table(kind: ImportKind, table: &super::Table, mapping: &Mapping, ctx: ImportContext<'_>) -> Result<ImportOutcome, ImportError> {
    let mut imp = Importer::new(kind, &table.headers, mapping, ctx)?;
    for (i, cells) in table.rows.iter().enumerate() {
        let row = i + 1;
        let issue = table.issues.iter().find(|x| x.row == row).map(|x| x.kind.clone());
        imp.push(&RawRow { row, cells: cells.clone(), issue });
    }
    Ok(imp.finish())
}
