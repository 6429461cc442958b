//! CSV that Excel opens correctly, safe against formula injection.
//!
//! - Encoding ([`CsvEncoding`]): UTF-8 with a byte-order mark (Excel needs the BOM to read
//!   UTF-8; without it Chinese Excel assumes GBK), or GBK for older Excel and other tools.
//!   Characters GBK cannot hold (rare, e.g. emoji) are written by `encoding_rs` as HTML
//!   numeric references `&#128512;` — visible, never silently lost.
//! - Lines end in CRLF; cells are quoted when they contain the delimiter, a quote, CR or LF.
//! - OWASP CSV injection ([`neutralize`]): a cell whose first character is `=`, `+`, `-`,
//!   `@`, tab (U+0009) or carriage return (U+000D) is prefixed with a single quote `'`, so
//!   Excel shows it as text instead of running it as a formula. **Exception: a plain number**
//!   (optional sign, digits, optional decimal part and exponent: `-5`, `+3.5`, `-1.2E+3`) is
//!   left as it is, so that negative amounts stay numbers in Excel: `-5` is written `-5`,
//!   while `-5+A1`, `-A1` and `=1+1` become `'-5+A1`, `'-A1` and `'=1+1`. A number cannot
//!   carry a formula, so the exception is safe.
//!
//! Every export is an [`ExportTable`] (module [`table`]): typed columns and cells, written
//! here as CSV and by the `clientscope-xlsx` crate as an Excel workbook from the same table.
//! There is no `.xlsx` writer here; see the [`super`] module docs for why.

#[cfg(test)]
mod tests;
pub mod table;

pub use table::{Cell, Column, ExportTable, Kind};

use super::import::Rejected;
use crate::model::Language;
use std::borrow::Cow;

/// Character encoding of an exported CSV file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvEncoding {
    /// UTF-8 with BOM (default).
    #[default]
    Utf8Bom,
    /// GBK.
    Gbk,
}

/// Export failure (only the in-memory CSV writer can fail, and in practice never does).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The CSV writer failed.
    #[error("CSV export failed: {0}")]
    Csv(#[from] csv::Error),
    /// The in-memory buffer could not be taken from the writer.
    #[error("CSV export failed: {0}")]
    Buffer(String),
}

impl ExportError {
    /// The error as a sentence in the given language (the CSV writer's own words are left
    /// out: they describe an internal fault, not something the user can act on).
    pub fn message(&self, lang: Language) -> String {
        match lang {
            Language::ZhCn => "CSV 文件生成失败（内部写入错误），未下载任何文件。请重试。".into(),
            Language::En => "The CSV file could not be written (an internal write error); nothing was downloaded. Please try again.".into(),
        }
    }
}

/// Whether `s` is a plain decimal number: `[+-]?digits[.digits]([eE][+-]?digits)?`.
pub fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    let int = digits(&mut i);
    let mut frac = false;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac = digits(&mut i);
    }
    if !(int || frac) {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// Neutralises a cell against formula injection (see the module docs).
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if !is_plain_number(cell) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Writes a table as CSV bytes in the chosen encoding, every cell neutralised.
pub fn to_csv<R, C>(headers: &[String], rows: R, encoding: CsvEncoding) -> Result<Vec<u8>, ExportError>
where
    R: IntoIterator<Item = C>,
    C: AsRef<[String]>,
{
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).flexible(true).from_writer(Vec::new());
    w.write_record(headers.iter().map(|h| neutralize(h).into_owned()))?;
    for row in rows {
        w.write_record(row.as_ref().iter().map(|c| neutralize(c)).map(|c| c.into_owned()))?;
    }
    let utf8 = w.into_inner().map_err(|e| ExportError::Buffer(e.to_string()))?;
    Ok(match encoding {
        CsvEncoding::Utf8Bom => {
            let mut out = Vec::with_capacity(utf8.len() + 3);
            out.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
            out.extend_from_slice(&utf8);
            out
        }
        CsvEncoding::Gbk => {
            // The csv writer only writes what it was given, which is valid UTF-8.
            let text = String::from_utf8_lossy(&utf8);
            let (bytes, _, _) = encoding_rs::GBK.encode(&text);
            bytes.into_owned()
        }
    })
}

/// The validation report as a table (row, column, value, reason in `lang`).
pub fn rejected_table(rejected: &[Rejected], lang: Language) -> ExportTable {
    let zh = lang == Language::ZhCn;
    let headers = if zh { ["行号", "列", "值", "原因"] } else { ["row", "column", "value", "reason"] };
    let kinds = [Kind::Integer { grouped: false }, Kind::Text, Kind::Text, Kind::Text];
    let columns = headers.iter().zip(kinds).map(|(h, k)| Column::new(*h, k)).collect();
    let mut table = ExportTable::new(if zh { "未导入的行" } else { "rejected rows" }, columns);
    table.rows = rejected.iter().map(|r| vec![Cell::from(r.row), r.column.clone().into(), r.value.clone().into(), r.reason.get(lang).into()]).collect();
    table
}

/// The validation report as CSV (row, column, value, reason in `lang`), for download.
pub fn rejected_csv(rejected: &[Rejected], lang: Language, encoding: CsvEncoding) -> Result<Vec<u8>, ExportError> {
    rejected_table(rejected, lang).to_csv(encoding)
}
