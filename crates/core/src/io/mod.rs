//! Files in and out: importing customers, order lines, contacts, survey responses and
//! complaints from CSV / TSV / Excel files as people really have them, and exporting any
//! table as CSV that Excel opens correctly (issue 3).
//!
//! The import is a pipeline; each stage is its own module and can be used alone:
//! 1. [`decode`] turns the bytes of a text file into a `String`: byte-order marks, a guess
//!    between UTF-8 and GBK/GB18030 (the default of Chinese Excel), or the user's choice.
//!    Binary files are refused here with a clear error.
//! 2. [`table`] splits text into rows (CSV/TSV with the delimiter sniffed) or reads a sheet
//!    of an `.xlsx` / `.xls` workbook, giving headers and rows of cell text. Structural
//!    damage of single rows (wrong number of cells, a quote left open) becomes a
//!    [`table::RowIssue`], not a failure.
//! 3. [`mapping`] suggests which column holds which field from the header names (Chinese
//!    and English); the app lets the user correct it and saves it by header signature.
//! 4. [`values`] parses cell text as people write it: dates in many forms and Excel serial
//!    numbers, amounts with ¥, 万 and parentheses, Likert words.
//! 5. [`import`] turns rows into validated records with an [`import::Importer`] fed row by
//!    row (so a million order lines can be imported in chunks with progress), returning the
//!    good records, every rejected row with its reason in Chinese and English, the unknown
//!    customers that order lines refer to, and the add / update / skip / reject plan.
//!
//! [`visits`] reads and writes the visit log (interactions) as CSV with one header both
//! ways; [`ical`] writes planned visits as an iCalendar file (RFC 5545) for a phone.
//!
//! [`export`] is the way out: CSV in UTF-8 with BOM or GBK, with cells that would start a
//! formula neutralised (OWASP CSV injection), from a typed [`export::ExportTable`]. The
//! `.xlsx` export of the same table is the `clientscope-xlsx` crate, not the core: the only
//! well-kept writer (`rust_xlsxwriter`) needs its `wasm` feature on wasm32, which brings
//! `js-sys` and `wasm-bindgen`, and the core must not depend on them.
//!
//! Row numbers everywhere count data rows from 1; the header is row 0. In a file without
//! multi-line cells, data row `k` is line `k + 1` of the file (row `k + 1` in Excel).

pub mod decode;
pub mod export;
pub mod ical;
pub mod import;
pub mod mapping;
pub mod table;
pub mod values;
pub mod visits;

pub use decode::{decode, Decoded, DecodeError};
pub use export::{to_csv, CsvEncoding, ExportError};
pub use import::{ImportContext, ImportError, ImportOutcome, Importer, Rejected};
pub use mapping::{suggest, CustomerMatch, ImportKind, MatchCounts, Mapping};
pub use table::{read_table, FileFormat, Table, TableError};
