//! The visit log as CSV (issue 11 §3): one header, [`HEADER`], for the export and the
//! import wizard, so an exported log imports back into the same records.
//!
//! - `customer_id`: the customer's id (the importer also accepts a code or, in a
//!   `customer_name` column, the exact name);
//! - `start`: RFC 3339 with the calendar's offset (`2026-03-02T09:30:00+08:00`) when the
//!   interaction has a time, else its date (`2026-03-02`); the importer reads any offset or
//!   `Z`, and local `YYYY-MM-DD HH:MM` in the calendar's offset;
//! - `end`: start + duration in the same form, empty without a duration;
//! - `kind` and `status` by their stored names (`visit`, `planned`…; the importer also
//!   reads the Chinese names);
//! - the five elements' texts, `owner` and `location` as they are.

#[cfg(test)]
mod tests;

use super::export::{Cell, Column, CsvEncoding, ExportError, ExportTable, Kind};
use super::import::{ImportContext, ImportError, Importer, MergeRule, Rejected};
use super::mapping::{suggest, ImportKind};
use super::table::{RawRow, Table};
use crate::model::{Customer, Interaction, Timestamp};
use chrono::{FixedOffset, TimeDelta};
use std::collections::BTreeSet;

/// The columns of the visit-log CSV, in order.
pub const HEADER: [&str; 11] = ["customer_id", "start", "end", "kind", "status", "purpose", "who", "method", "reason", "owner", "location"];

/// The `start` and `end` cells of an interaction, in the offset its start was stored with.
pub fn start_end(i: &Interaction) -> (String, String) {
    match i.start {
        Some(s) => {
            let end = i.duration_min.map(|m| (s + TimeDelta::minutes(i64::from(m))).to_rfc3339()).unwrap_or_default();
            (s.to_rfc3339(), end)
        }
        None => (i.date.to_string(), String::new()),
    }
}

/// One CSV row of an interaction (the columns of [`HEADER`]), times shown in `offset`.
pub fn row(i: &Interaction, offset: FixedOffset) -> Vec<String> {
    let mut shown = i.clone();
    shown.start = i.start.map(|s| s.with_timezone(&offset));
    let (start, end) = start_end(&shown);
    vec![
        i.customer_id.clone(),
        start,
        end,
        i.kind.name().to_string(),
        i.status.name().to_string(),
        i.purpose.clone(),
        i.who.clone(),
        i.method.clone(),
        i.reason.clone(),
        i.owner.clone(),
        i.location.clone(),
    ]
}

/// The visit log as a table (the columns of [`HEADER`]): `start` and `end` typed (an
/// instant in `offset`, or the date of an interaction without a time), so a workbook gets
/// real dates; its CSV is exactly [`row`]'s texts.
pub fn visits_table(interactions: &[Interaction], offset: FixedOffset) -> ExportTable {
    let columns = HEADER
        .iter()
        .map(|h| Column::new(*h, if matches!(*h, "start" | "end") { Kind::DateTime } else { Kind::Text }))
        .collect();
    let mut table = ExportTable::new("visits", columns);
    table.rows = interactions
        .iter()
        .map(|i| {
            let start = i.start.map(|s| s.with_timezone(&offset));
            let (start_cell, end_cell) = match start {
                Some(s) => (Cell::Zoned(s), i.duration_min.map_or(Cell::Empty, |m| Cell::Zoned(s + TimeDelta::minutes(i64::from(m))))),
                None => (Cell::Date(i.date), Cell::Empty),
            };
            let mut cells: Vec<Cell> = row(i, offset).into_iter().map(Cell::Text).collect();
            cells[1] = start_cell;
            cells[2] = end_cell;
            cells
        })
        .collect();
    table
}

/// The visit log as CSV (Excel-safe, see [`super::export`]), rows in the order given.
pub fn visits_csv(interactions: &[Interaction], offset: FixedOffset, encoding: CsvEncoding) -> Result<Vec<u8>, ExportError> {
    visits_table(interactions, offset).to_csv(encoding)
}

/// Reads a visit-log CSV on its own, without stored customers (the command line): the
/// mapping is suggested from the headers, and every distinct value of the customer column
/// stands for a customer of that id and name. Gives the interactions (ids `I<row>`, row
/// zero-padded to 7 digits) and the rejected cells.
pub fn read_standalone(table: &Table, offset: FixedOffset, now: Timestamp) -> Result<(Vec<Interaction>, Vec<Rejected>), ImportError> {
    let mapping = suggest(ImportKind::Interactions, &table.headers);
    let mut ids = BTreeSet::new();
    for col in ["customer_code", "customer_name"] {
        if let Some(i) = mapping.header(col).and_then(|h| table.headers.iter().position(|x| x == h)) {
            ids.extend(table.rows.iter().filter_map(|r| r.get(i)).map(|c| super::values::normalize(c).into_owned()).filter(|c| !c.is_empty()));
        }
    }
    let customers: Vec<Customer> = ids.into_iter().map(|id| Customer { code: id.clone(), ..Customer::new(id.clone(), id, now) }).collect();
    let ctx = ImportContext { customers: &customers, survey: None, now, id_prefix: String::new(), merge: MergeRule::Skip };
    let mut imp = Importer::new(ImportKind::Interactions, &table.headers, &mapping, ctx)?.with_offset(offset);
    for (k, cells) in table.rows.iter().enumerate() {
        let row = k + 1;
        let issue = table.issues.iter().find(|x| x.row == row).map(|x| x.kind.clone());
        imp.push(&RawRow { row, cells: cells.clone(), issue });
    }
    let out = imp.finish();
    Ok((out.added.interactions, out.rejected))
}
