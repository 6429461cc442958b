//! The typed table every export is made of: a header row, columns with a [`Kind`], and
//! typed [`Cell`]s. The CSV writer ([`ExportTable::to_csv`]) and the `.xlsx` writer (the
//! `clientscope-xlsx` crate) both take it, so one table gives both files with the same
//! texts, the same order and the same injection safety:
//!
//! - CSV writes each cell as its text ([`ExportTable::text`]: the column's kind says how
//!   many decimals, whether thousands are grouped, whether a fraction is written as
//!   `12.5%`), every cell then neutralised by [`super::neutralize`].
//! - Excel gets numbers as numbers, dates as dates, with a number format that follows the
//!   same kind; text cells are neutralised the same way.
//!
//! A page whose table exists only as shown text (the result tables of the value and
//! complaint pages) makes its table with [`ExportTable::from_shown`]: each column whose
//! every cell reads as one number, percent or date form (cells without a letter or digit,
//! such as `—`, may stand in for a missing value) becomes that kind, and only if writing
//! the values back gives exactly the shown texts; any other column stays text. The CSV of
//! such a table is therefore byte for byte what the shown texts give.

#[cfg(test)]
mod tests;

use super::{to_csv, CsvEncoding, ExportError};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// What a column holds: how its cells are written as text, and which Excel number format
/// they get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// Text as it is.
    Text,
    /// A number. Text: `decimals` fixed decimals (`None`: as many as the value needs, Rust's
    /// shortest round-trip form), with thousands separators when `grouped`.
    Number {
        /// Fixed decimals, or the shortest form.
        decimals: Option<u8>,
        /// `1,234.5` rather than `1234.5`.
        grouped: bool,
    },
    /// A whole number (counts, row numbers); text with thousands separators when `grouped`.
    Integer {
        /// `1,234` rather than `1234`.
        grouped: bool,
    },
    /// A fraction shown as a percentage in Excel (0.125 is 12.5 %). Text: `12.5%` when
    /// `sign` (the value times 100 with `decimals`), else the fraction itself like
    /// [`Kind::Number`] (`0.125`).
    Percent {
        /// Fixed decimals of the text (of the percentage when `sign`, else of the fraction).
        decimals: Option<u8>,
        /// Written as `12.5%`.
        sign: bool,
        /// Thousands separators in the text.
        grouped: bool,
    },
    /// A calendar date, text `YYYY-MM-DD`.
    Date,
    /// A date and time: text `YYYY-MM-DD HH:MM` (with `:SS` when the seconds are not zero)
    /// for a wall time, RFC 3339 for a time with its offset.
    DateTime,
}

/// One cell. Numbers may stand in any numeric column, dates in date and date-time columns;
/// text may stand anywhere (a dash for a missing value in a number column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number (of a number or percent column; a percent is the fraction).
    Number(f64),
    /// A whole number.
    Integer(i64),
    /// A calendar date.
    Date(NaiveDate),
    /// A wall-clock date and time.
    DateTime(NaiveDateTime),
    /// An instant with the offset it is shown in (text RFC 3339; Excel gets the wall time
    /// in that offset, as Excel has no time zones).
    Zoned(DateTime<FixedOffset>),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Integer(v)
    }
}

impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        Cell::Integer(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Cell {
    fn from(v: u32) -> Self {
        Cell::Integer(i64::from(v))
    }
}

impl From<NaiveDate> for Cell {
    fn from(v: NaiveDate) -> Self {
        Cell::Date(v)
    }
}

/// A column: its header text and its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The header cell.
    pub header: String,
    /// What the column holds.
    pub kind: Kind,
}

impl Column {
    /// A column of `kind` headed `header`.
    pub fn new(header: impl Into<String>, kind: Kind) -> Self {
        Column { header: header.into(), kind }
    }
}

/// A table to export: the sheet's name, the columns, the rows (a row may be shorter than
/// the header; its missing cells are empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportTable {
    /// The name of the worksheet (Excel shortens it to 31 characters and drops `[]:*?/\`).
    pub title: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The rows, top to bottom.
    pub rows: Vec<Vec<Cell>>,
}

impl ExportTable {
    /// An empty table with these columns.
    pub fn new(title: impl Into<String>, columns: Vec<Column>) -> Self {
        ExportTable { title: title.into(), columns, rows: Vec::new() }
    }

    /// The header texts.
    pub fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.header.clone()).collect()
    }

    /// The kind of column `col` ([`Kind::Text`] past the last column).
    pub fn kind(&self, col: usize) -> Kind {
        self.columns.get(col).map_or(Kind::Text, |c| c.kind)
    }

    /// The text of a cell of column `col`, as the CSV file holds it (before neutralising).
    pub fn text<'a>(&self, col: usize, cell: &'a Cell) -> Cow<'a, str> {
        cell_text(self.kind(col), cell)
    }

    /// The table as CSV (see [`super::to_csv`]: every cell neutralised, lines in CRLF).
    pub fn to_csv(&self, encoding: CsvEncoding) -> Result<Vec<u8>, ExportError> {
        let rows = self.rows.iter().map(|row| row.iter().enumerate().map(|(i, c)| self.text(i, c).into_owned()).collect::<Vec<_>>());
        to_csv(&self.headers(), rows, encoding)
    }

    /// The table of shown texts: each column gets the number, percent or date kind that
    /// reproduces every one of its texts exactly (see the module docs), else stays text.
    pub fn from_shown(title: impl Into<String>, headers: Vec<String>, rows: Vec<Vec<String>>) -> Self {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0).max(headers.len());
        let mut columns: Vec<Column> = (0..width).map(|i| Column::new(headers.get(i).cloned().unwrap_or_default(), Kind::Text)).collect();
        let mut typed: Vec<Vec<Cell>> = rows.iter().map(|r| r.iter().map(|s| Cell::Text(s.clone())).collect()).collect();
        for (col, column) in columns.iter_mut().enumerate() {
            let texts: Vec<&str> = rows.iter().map(|r| r.get(col).map_or("", String::as_str)).collect();
            if let Some((kind, cells)) = infer_column(&texts) {
                column.kind = kind;
                for (row, cell) in cells.into_iter().enumerate() {
                    if let Some(slot) = typed[row].get_mut(col) {
                        *slot = cell;
                    }
                }
            }
        }
        ExportTable { title: title.into(), columns, rows: typed }
    }
}

/// A cell's text in a column of `kind`.
pub fn cell_text(kind: Kind, cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Text(s) => Cow::Borrowed(s),
        Cell::Number(v) => Cow::Owned(match kind {
            Kind::Number { decimals, grouped } => fixed(*v, decimals, grouped),
            Kind::Integer { grouped } => fixed(*v, Some(0), grouped),
            Kind::Percent { decimals, sign: true, grouped } => format!("{}%", fixed(*v * 100.0, decimals, grouped)),
            Kind::Percent { decimals, sign: false, grouped } => fixed(*v, decimals, grouped),
            Kind::Text | Kind::Date | Kind::DateTime => format!("{v}"),
        }),
        Cell::Integer(v) => Cow::Owned(match kind {
            Kind::Integer { grouped: true } => group(&v.unsigned_abs().to_string(), *v < 0),
            Kind::Number { .. } | Kind::Percent { .. } => cell_text(kind, &Cell::Number(*v as f64)).into_owned(),
            _ => v.to_string(),
        }),
        Cell::Date(d) => Cow::Owned(d.to_string()),
        Cell::DateTime(t) => Cow::Owned(if t.second() == 0 && t.nanosecond() == 0 { t.format("%Y-%m-%d %H:%M").to_string() } else { t.format("%Y-%m-%d %H:%M:%S").to_string() }),
        Cell::Zoned(t) => Cow::Owned(t.to_rfc3339()),
    }
}

/// `v` with `decimals` fixed decimals (`None`: the shortest form), thousands grouped when
/// `grouped` (a grouped text never shows a minus sign before a zero, as the app's tables
/// do not; a plain one is Rust's `{:.N}` exactly, as the CSV files always had).
pub fn fixed(v: f64, decimals: Option<u8>, grouped: bool) -> String {
    let plain = match decimals {
        Some(d) => format!("{:.*}", usize::from(d), v),
        None => format!("{v}"),
    };
    if !grouped || !v.is_finite() {
        return plain;
    }
    let unsigned = plain.trim_start_matches('-');
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let negative = v < 0.0 && unsigned.chars().any(|c| c != '0' && c != '.');
    let grouped = group(int, negative);
    match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

/// Digits with a comma before every group of three from the right, and a sign.
fn group(int: &str, negative: bool) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3 + 1);
    if negative {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The form one shown text has, when it is a number, percent or date.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// Whole number; `grouped` known only when it has four digits or more.
    Integer { grouped: Option<bool> },
    /// Number with `decimals` decimals.
    Number { decimals: u8, grouped: Option<bool> },
    /// `12.5%`.
    Percent { decimals: u8, grouped: Option<bool> },
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DD HH:MM`.
    DateTime,
}

/// Reads `-1,234.50` / `1234` (no exponent, no plus sign): the value, its decimals and
/// whether thousands are grouped (`None` when the whole part is too short to tell).
fn read_number(s: &str) -> Option<(f64, u8, Option<bool>)> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let grouped = if int.contains(',') {
        let mut parts = int.split(',');
        let first = parts.next()?;
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !parts.all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        Some(true)
    } else {
        if !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (int.len() > 3).then_some(false)
    };
    let plain: String = s.chars().filter(|&c| c != ',').collect();
    let v: f64 = plain.parse().ok()?;
    let decimals = u8::try_from(frac.map_or(0, str::len)).ok()?;
    Some((v, decimals, grouped))
}

/// The typed cell and shape of a shown text, if it has one of the forms.
fn read_shown(s: &str) -> Option<(Cell, Shape)> {
    if let Some(p) = s.strip_suffix('%') {
        let (v, decimals, grouped) = read_number(p)?;
        return Some((Cell::Number(v / 100.0), Shape::Percent { decimals, grouped }));
    }
    if s.len() == 10 {
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Some((Cell::Date(d), Shape::Date));
        }
    }
    if s.len() == 16 {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M") {
            return Some((Cell::DateTime(t), Shape::DateTime));
        }
    }
    let (v, decimals, grouped) = read_number(s)?;
    if decimals == 0 && !s.contains('.') {
        let whole: String = s.chars().filter(|&c| c != ',').collect();
        if let Ok(i) = whole.parse::<i64>() {
            return Some((Cell::Integer(i), Shape::Integer { grouped }));
        }
    }
    Some((Cell::Number(v), Shape::Number { decimals, grouped }))
}

/// A text that stands for a missing value: not empty, no letter or digit (`—`, `-`).
fn is_placeholder(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(char::is_alphanumeric)
}

/// The kind and cells of a column of shown texts, when one kind reproduces them all.
fn infer_column(texts: &[&str]) -> Option<(Kind, Vec<Cell>)> {
    let mut shape: Option<Shape> = None;
    let mut grouped: Option<bool> = None;
    let mut cells = Vec::with_capacity(texts.len());
    for &s in texts {
        if s.is_empty() {
            cells.push(Cell::Empty);
            continue;
        }
        match read_shown(s) {
            Some((cell, this)) => {
                let (base, g) = match this {
                    Shape::Integer { grouped } => (Shape::Integer { grouped: None }, grouped),
                    Shape::Number { decimals, grouped } => (Shape::Number { decimals, grouped: None }, grouped),
                    Shape::Percent { decimals, grouped } => (Shape::Percent { decimals, grouped: None }, grouped),
                    other => (other, None),
                };
                match shape {
                    None => shape = Some(base),
                    Some(s) if s == base => {}
                    Some(_) => return None,
                }
                if let Some(g) = g {
                    if grouped.is_some_and(|known| known != g) {
                        return None;
                    }
                    grouped = Some(g);
                }
                cells.push(cell);
            }
            None if is_placeholder(s) => cells.push(Cell::Text(s.to_string())),
            None => return None,
        }
    }
    let grouped = grouped.unwrap_or(false);
    let kind = match shape? {
        Shape::Integer { .. } => Kind::Integer { grouped },
        Shape::Number { decimals, .. } => Kind::Number { decimals: Some(decimals), grouped },
        Shape::Percent { decimals, .. } => Kind::Percent { decimals: Some(decimals), sign: true, grouped },
        Shape::Date => Kind::Date,
        Shape::DateTime => Kind::DateTime,
    };
    // Only a kind that gives back every shown text exactly.
    texts.iter().zip(&cells).all(|(s, c)| cell_text(kind, c) == *s).then_some((kind, cells))
}
