//! The Excel side of the exports: a core [`ExportTable`] written as an `.xlsx` workbook with
//! `rust_xlsxwriter`, from the same table the CSV is written from, so the two files hold the
//! same header, rows and order.
//!
//! What the workbook gets that the CSV cannot carry:
//! - numbers as numbers and dates as real Excel dates (serial numbers with a date format),
//!   each column with the number format its [`Kind`] says (decimals, thousands separators,
//!   percent);
//! - the header row in bold, frozen, with an autofilter over the table, and column widths
//!   from the longest text of each column (a CJK character counts twice).
//!
//! Text is always written as a string cell, never as a formula, so `=1+1` or
//! `@SUM(A1)` from a user's data stays text in Excel without the apostrophe the CSV needs
//! ([`clientscope_core::io::export::neutralize`]). What Excel cannot hold as a typed cell is
//! written as its CSV text: non-finite numbers, whole numbers beyond 2^53 (a double would
//! round them), dates before 1900-03-01 (Excel's 1900 leap-year bug makes earlier serials
//! ambiguous) or after 9999. A text longer than a cell holds (32,767 UTF-16 units) is cut
//! and ends in `…`.
//!
//! This is a crate of its own, not part of the core, because `rust_xlsxwriter` needs its
//! `wasm` feature on wasm32 (it reads the clock through `js_sys::Date`), which brings
//! `js-sys` and `wasm-bindgen`; and the app links it only into the Web Worker, so the page's
//! own wasm does not grow.

#![deny(missing_docs)]

#[cfg(test)]
mod tests;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use clientscope_core::io::export::table::cell_text;
use clientscope_core::io::export::{Cell, ExportTable, Kind};
use clientscope_core::model::Language;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet};

/// The media type of an `.xlsx` file (for a download).
pub const MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Data rows one worksheet holds under its header row (Excel's 1,048,576 rows less one).
pub const MAX_ROWS: usize = 1_048_575;

/// Columns one worksheet holds.
pub const MAX_COLUMNS: usize = 16_384;

/// UTF-16 units one cell's text may have.
pub const MAX_TEXT: usize = 32_767;

/// The most characters a worksheet name may have.
const MAX_SHEET_NAME: usize = 31;

/// The widest and narrowest column width set (in characters of the default font).
const WIDTH_RANGE: (f64, f64) = (6.0, 60.0);

/// Rows looked at for the column widths (the widths of a 100k-row table are those of its
/// first rows; measuring all would only cost time).
const WIDTH_ROWS: usize = 2_000;

/// Why a workbook could not be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum XlsxError {
    /// More data rows than one worksheet holds.
    #[error("{0} rows do not fit one Excel worksheet (at most {MAX_ROWS})")]
    TooManyRows(usize),
    /// More columns than one worksheet holds.
    #[error("{0} columns do not fit one Excel worksheet (at most {MAX_COLUMNS})")]
    TooManyColumns(usize),
    /// The writer refused something (its message).
    #[error("the Excel file could not be written: {0}")]
    Writer(String),
}

impl XlsxError {
    /// The message in `lang`.
    pub fn message(&self, lang: Language) -> String {
        if lang != Language::ZhCn {
            return self.to_string();
        }
        match self {
            XlsxError::TooManyRows(n) => format!("{n} 行超出 Excel 单个工作表的上限（最多 {MAX_ROWS} 行）"),
            XlsxError::TooManyColumns(n) => format!("{n} 列超出 Excel 单个工作表的上限（最多 {MAX_COLUMNS} 列）"),
            XlsxError::Writer(e) => format!("无法生成 Excel 文件：{e}"),
        }
    }
}

impl From<rust_xlsxwriter::XlsxError> for XlsxError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        XlsxError::Writer(e.to_string())
    }
}

/// One table as a workbook of one worksheet; `created` is the creation time written into
/// the file's properties (given, so the same table and time give the same bytes).
pub fn to_xlsx(table: &ExportTable, created: NaiveDateTime) -> Result<Vec<u8>, XlsxError> {
    workbook(std::slice::from_ref(table), created)
}

/// Several tables as a workbook with one worksheet each, in order (names made unique).
pub fn workbook(tables: &[ExportTable], created: NaiveDateTime) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // Set explicitly: the file's bytes then depend on the input alone.
    if let Some(created) = excel_datetime(created) {
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    }
    let mut names: Vec<String> = Vec::with_capacity(tables.len());
    for table in tables {
        let name = unique(sheet_name(&table.title), &names);
        let sheet = book.add_worksheet();
        sheet.set_name(name.as_str())?;
        write_sheet(sheet, table)?;
        names.push(name);
    }
    if tables.is_empty() {
        book.add_worksheet();
    }
    Ok(book.save_to_buffer()?)
}

/// The cell formats of a sheet: one per column kind, plus the date and time forms any
/// date cell may need.
struct Formats {
    header: Format,
    date: Format,
    minutes: Format,
    seconds: Format,
}

fn write_sheet(sheet: &mut Worksheet, table: &ExportTable) -> Result<(), XlsxError> {
    let width = table.rows.iter().map(Vec::len).max().unwrap_or(0).max(table.columns.len());
    if width > MAX_COLUMNS {
        return Err(XlsxError::TooManyColumns(width));
    }
    if table.rows.len() > MAX_ROWS {
        return Err(XlsxError::TooManyRows(table.rows.len()));
    }
    let formats = Formats {
        header: Format::new().set_bold().set_border_bottom(FormatBorder::Thin),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        minutes: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        seconds: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
    };
    let number_formats: Vec<Option<Format>> = (0..width).map(|c| number_format(table.kind(c)).map(|f| Format::new().set_num_format(f))).collect();
    for (c, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, fit(&column.header).as_ref(), &formats.header)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let excel_row = (r + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            write_cell(sheet, excel_row, c as u16, table.kind(c), cell, number_formats[c].as_ref(), &formats)?;
        }
    }
    for c in 0..width {
        sheet.set_column_width(c as u16, column_width(table, c))?;
    }
    if width > 0 {
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, table.rows.len() as u32, (width - 1) as u16)?;
    }
    Ok(())
}

/// Writes one cell: typed where Excel can hold the value, else its CSV text.
fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, kind: Kind, cell: &Cell, number: Option<&Format>, formats: &Formats) -> Result<(), XlsxError> {
    let as_text = |sheet: &mut Worksheet| -> Result<(), XlsxError> {
        sheet.write_string(row, col, fit(&cell_text(kind, cell)).as_ref())?;
        Ok(())
    };
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => {
            sheet.write_string(row, col, fit(s).as_ref())?;
        }
        Cell::Number(v) if v.is_finite() => write_number(sheet, row, col, *v, number)?,
        Cell::Integer(v) if v.unsigned_abs() <= 1 << 53 => write_number(sheet, row, col, *v as f64, number)?,
        Cell::Date(d) => match excel_date(*d) {
            Some(x) => {
                sheet.write_datetime_with_format(row, col, &x, &formats.date)?;
            }
            None => as_text(sheet)?,
        },
        Cell::DateTime(t) => {
            if !write_datetime(sheet, row, col, *t, formats)? {
                as_text(sheet)?;
            }
        }
        Cell::Zoned(t) => {
            if !write_datetime(sheet, row, col, t.naive_local(), formats)? {
                as_text(sheet)?;
            }
        }
        Cell::Number(_) | Cell::Integer(_) => as_text(sheet)?,
    }
    Ok(())
}

fn write_number(sheet: &mut Worksheet, row: u32, col: u16, v: f64, format: Option<&Format>) -> Result<(), XlsxError> {
    match format {
        Some(f) => sheet.write_number_with_format(row, col, v, f)?,
        None => sheet.write_number(row, col, v)?,
    };
    Ok(())
}

/// Writes a date-time cell when Excel can hold it; `false` when it cannot.
fn write_datetime(sheet: &mut Worksheet, row: u32, col: u16, t: NaiveDateTime, formats: &Formats) -> Result<bool, XlsxError> {
    match excel_datetime(t) {
        Some(x) => {
            let format = if t.second() == 0 && t.nanosecond() == 0 { &formats.minutes } else { &formats.seconds };
            sheet.write_datetime_with_format(row, col, &x, format)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The Excel number format of a column kind (`None`: Excel's General).
pub fn number_format(kind: Kind) -> Option<String> {
    let digits = |decimals: u8, grouped: bool| {
        let mut f = String::from(if grouped { "#,##0" } else { "0" });
        if decimals > 0 {
            f.push('.');
            f.extend(std::iter::repeat_n('0', usize::from(decimals)));
        }
        f
    };
    match kind {
        Kind::Text | Kind::Date | Kind::DateTime => None,
        Kind::Number { decimals: Some(d), grouped } | Kind::Percent { decimals: Some(d), sign: false, grouped } => Some(digits(d, grouped)),
        Kind::Number { decimals: None, grouped: true } | Kind::Percent { decimals: None, sign: false, grouped: true } => Some("#,##0.##########".into()),
        Kind::Number { decimals: None, grouped: false } | Kind::Percent { decimals: None, sign: false, grouped: false } => None,
        Kind::Integer { grouped } => Some(digits(0, grouped)),
        Kind::Percent { decimals: Some(d), sign: true, grouped } => Some(format!("{}%", digits(d, grouped))),
        Kind::Percent { decimals: None, sign: true, grouped } => Some(format!("{}.0###%", digits(0, grouped))),
    }
}

/// The first day Excel's serial numbers give unambiguously (before it, Excel counts the
/// non-existent 1900-02-29).
fn first_excel_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or_default()
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    if d < first_excel_day() || d.year() > 9999 {
        return None;
    }
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}

fn excel_datetime(t: NaiveDateTime) -> Option<ExcelDateTime> {
    let seconds = f64::from(t.second()) + f64::from(t.nanosecond().min(999_999_999)) / 1e9;
    excel_date(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, seconds).ok()
}

/// A text cut to what one cell holds, ending in `…` when cut.
fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_TEXT || s.encode_utf16().count() <= MAX_TEXT {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut out = String::new();
    for ch in s.chars() {
        units += ch.len_utf16();
        if units > MAX_TEXT - 1 {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    std::borrow::Cow::Owned(out)
}

/// A valid worksheet name for `title`: without `[]:*?/\`, not starting or ending with an
/// apostrophe, at most 31 characters, not empty and not Excel's reserved `History`.
pub fn sheet_name(title: &str) -> String {
    let cleaned: String = title.chars().map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { ' ' } else { c }).collect();
    let trimmed = cleaned.trim().trim_matches('\'').trim();
    let name: String = trimmed.chars().take(MAX_SHEET_NAME).collect();
    let name = name.trim_end().trim_end_matches('\'').to_string();
    if name.is_empty() || name.eq_ignore_ascii_case("history") {
        "Sheet1".to_string()
    } else {
        name
    }
}

/// `name`, or `name (2)`, `name (3)`…, whichever is not taken (Excel compares names
/// without case).
fn unique(name: String, taken: &[String]) -> String {
    let free = |n: &str| !taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    if free(&name) {
        return name;
    }
    (2..)
        .map(|i| {
            let tail = format!(" ({i})");
            let head: String = name.chars().take(MAX_SHEET_NAME - tail.chars().count()).collect();
            format!("{head}{tail}")
        })
        .find(|n| free(n))
        .unwrap_or(name)
}

/// The display width of a text in characters of the default font: a wide (CJK, full-width)
/// character counts as two.
fn text_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The width of column `col`: its header or longest text among the first rows, plus room
/// for the filter button, within [`WIDTH_RANGE`].
fn column_width(table: &ExportTable, col: usize) -> f64 {
    let kind = table.kind(col);
    let header = table.columns.get(col).map_or(0, |c| text_width(&c.header) + 3);
    let cells = table.rows.iter().take(WIDTH_ROWS).filter_map(|r| r.get(col)).map(|c| text_width(&cell_text(kind, c)) + 1).max().unwrap_or(0);
    (header.max(cells) as f64).clamp(WIDTH_RANGE.0, WIDTH_RANGE.1)
}
