//! Rows of cell text from CSV / TSV text or an Excel workbook.
//!
//! Two ways to read, both giving the same headers and rows:
//! - [`read_table`] reads a whole (small or preview-sized) file into a [`Table`]
//!   `{ headers, rows }`, where `rows[k - 1]` is data row `k`.
//! - For large files the importer reads row by row without building a table:
//!   [`CsvRows`] is a pull reader over decoded text (the app pulls a chunk of rows, updates
//!   the progress bar, yields to the browser, and pulls the next chunk), and
//!   [`for_each_sheet_row`] pushes the rows of a workbook sheet to a callback (calamine
//!   streams `.xlsx` cells, so only the current row is held; the callback may stop early).
//!   [`Workbook::rows`] gives the same rows as a pull reader ([`SheetRows::next_row`]), so
//!   the app can read a workbook in chunks and yield to the browser between them.
//!   [`head_text`] and [`head_workbook`] read only the first rows (the wizard's samples).
//! - An `.xlsx` is scanned by [`check_workbook`] before calamine reads it. The scan costs
//!   about as much as reading the sheet, so a caller that reads one file several times
//!   (the preview, another sheet, the import) keeps it as a [`CheckedWorkbook`], which
//!   opens without scanning again.
//!
//! Headers are the first record (CSV) or the first non-empty row (Excel), trimmed; a blank
//! header cell becomes `#n` (its 1-based column) and a repeated name gets ` (2)`, ` (3)`…,
//! so that every column has a unique name for the mapping.
//!
//! Damage to single rows is reported per row as a [`RowIssue`] and those rows are left
//! out by the importer: a row with more or fewer cells than the header (trailing empty
//! cells, as Excel writes them, are not counted), and the last record when a quote was
//! left open (the csv parser then swallows the rest of the file into one cell). Damage to
//! the whole file is a [`TableError`]: an empty file, binary content, a workbook that is not
//! a workbook, a missing sheet, more than [`MAX_COLUMNS`] columns.
//!
//! CSV delimiter sniffing ([`sniff_delimiter`]): an Excel `sep=;` first line wins; otherwise
//! the first line's count of `,` `\t` `;` `|` outside quotes decides, ties going to tab,
//! then comma.

mod check;
#[cfg(test)]
mod tests;

pub use check::{check_workbook, DamagePlace, Reference, WorkbookDamage, MAX_COLS, MAX_ROWS};
use check::damaged_message;

use super::decode::{self, DecodeError};
use crate::model::Language;
use calamine::{DataRef, DataType, Reader};
use std::io::Cursor;
use std::ops::ControlFlow;

/// The most columns a header may have. Real exports have at most a few hundred; more means
/// the file is not a table (or the delimiter is wrong).
pub const MAX_COLUMNS: usize = 1024;

/// The most cells (rows × columns, blank rows included) [`read_table`] holds in memory.
/// The streaming readers ([`CsvRows`], [`Workbook::rows`]) have no such limit; without it a
/// small file could ask for gigabytes: a sheet with a 1,000-column header and one cell in
/// row 1,000,000, or a CSV of a long header and many one-character lines.
pub const MAX_TABLE_CELLS: usize = 20_000_000;

/// The format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// Comma (or sniffed) separated text.
    Csv,
    /// Tab separated text (also Excel's "Unicode text").
    Tsv,
    /// Excel 2007+ workbook.
    Xlsx,
    /// Excel 97-2003 workbook.
    Xls,
}

impl FileFormat {
    /// The format by file name extension; `None` for an unknown extension (treat as text).
    pub fn from_name(file_name: &str) -> Option<FileFormat> {
        let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "csv" => Some(FileFormat::Csv),
            "tsv" | "tab" | "txt" => Some(FileFormat::Tsv),
            "xlsx" | "xlsm" => Some(FileFormat::Xlsx),
            "xls" => Some(FileFormat::Xls),
            _ => None,
        }
    }

    /// Whether this is a workbook format.
    pub fn is_workbook(self) -> bool {
        matches!(self, FileFormat::Xlsx | FileFormat::Xls)
    }
}

/// Damage to one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RowIssueKind {
    /// The row has another number of cells than the header.
    ColumnCount {
        /// Cells in the header.
        expected: usize,
        /// Cells in the row.
        found: usize,
    },
    /// A quote opened in this record is never closed; the rest of the file was read as one
    /// cell.
    UnclosedQuote,
}

impl RowIssueKind {
    /// The problem as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            RowIssueKind::ColumnCount { expected, found } => if zh {
                format!("该行有 {found} 个单元格，表头有 {expected} 列（可能有未加引号的逗号或缺少单元格）")
            } else {
                format!("the row has {found} cells but the header has {expected} columns (an unquoted comma or missing cells?)")
            },
            RowIssueKind::UnclosedQuote => if zh {
                "引号未闭合：从这一行到文件末尾都被读成了一个单元格".into()
            } else {
                "a quote is never closed: everything from this row to the end of the file was read as one cell".into()
            },
        }
    }
}

/// Damage to one row of the table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowIssue {
    /// Data row number (the header is row 0).
    pub row: usize,
    /// What is wrong.
    pub kind: RowIssueKind,
}

/// Why a file could not be read as a table at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The file is empty (0 bytes, or only blank lines).
    #[error("the file is empty")]
    Empty,
    /// The text could not be decoded (binary file, unknown encoding override).
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The file claims to be a workbook but cannot be opened as one.
    #[error("not a readable workbook: {0}")]
    NotAWorkbook(String),
    /// The workbook has no worksheet.
    #[error("the workbook has no sheet")]
    NoSheets,
    /// The chosen sheet does not exist.
    #[error("no sheet named {0:?}")]
    SheetNotFound(String),
    /// The header has more than [`MAX_COLUMNS`] columns.
    #[error("{found} columns, at most {max} are supported")]
    TooManyColumns {
        /// Columns found.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// The CSV reader failed (only on I/O errors, which in-memory text does not have).
    #[error("CSV: {0}")]
    Csv(String),
    /// The workbook is damaged in a way that [`check_workbook`] refuses before reading.
    #[error("damaged workbook: {}", damaged_message(place, damage, Language::En))]
    DamagedWorkbook {
        /// Where: the sheet (by the name the user sees) or the part of the archive.
        place: DamagePlace,
        /// What.
        damage: WorkbookDamage,
    },
    /// The whole table would hold more than [`MAX_TABLE_CELLS`] cells.
    #[error("more than {max} cells")]
    TooLarge {
        /// The limit.
        max: usize,
    },
}

impl TableError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            TableError::Empty => if zh { "文件是空的（没有表头和数据）。".into() } else { "The file is empty (no header, no data).".into() },
            TableError::Decode(e) => e.message(lang),
            TableError::NotAWorkbook(why) => {
                // The reader's (calamine's) own words stay out of the message: they are
                // English and name its internals. What they tell is said in ours.
                let why = why.to_ascii_lowercase();
                let reason = if why.contains("password") || why.contains("encrypt") {
                    if zh { "工作簿设有密码保护，请在 Excel 中取消密码后另存再导入" } else { "the workbook is password-protected; remove the password in Excel, save it and import it again" }
                } else if why.contains("detect file format") || why.contains("invalid file signature") || why.contains("invalid signature") {
                    if zh { "无法识别文件格式" } else { "its file format is not recognised" }
                } else {
                    if zh { "文件结构已损坏" } else { "its structure is damaged" }
                };
                if zh {
                    format!("文件无法作为 Excel 工作簿打开：{reason}。可能文件已损坏或并非 Excel 文件，可在 Excel 中打开后另存为 .xlsx 或 CSV 再导入。")
                } else {
                    format!("The file cannot be opened as an Excel workbook: {reason}. It may be damaged or not an Excel file; open it in Excel and save it as .xlsx or CSV, then import that.")
                }
            }
            TableError::NoSheets => if zh { "工作簿中没有工作表。".into() } else { "The workbook has no sheet.".into() },
            TableError::SheetNotFound(s) => if zh { format!("工作簿中没有名为“{s}”的工作表。") } else { format!("The workbook has no sheet named “{s}”.") },
            TableError::TooManyColumns { found, max } => if zh {
                format!("表头有 {found} 列，最多支持 {max} 列；分隔符可能识别错误。")
            } else {
                format!("The header has {found} columns; at most {max} are supported. Is the delimiter right?")
            },
            TableError::Csv(_) => if zh { "CSV 文件读取失败（内部读取错误），请重试。".into() } else { "The CSV file could not be read (an internal read error); please try again.".into() },
            TableError::DamagedWorkbook { place, damage } => if zh {
                format!("Excel 工作簿已损坏，无法读取：{}。", damaged_message(place, damage, lang))
            } else {
                format!("The Excel workbook is damaged and cannot be read: {}.", damaged_message(place, damage, lang))
            },
            TableError::TooLarge { max } => if zh {
                format!("表格超过 {max} 个单元格（含空行），无法整体读入；请分成几个文件。")
            } else {
                format!("The table has more than {max} cells (blank rows included) and cannot be read whole; split it into several files.")
            },
        }
    }
}

/// A table of cell text: what every input format is turned into.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    /// Column names, unique (see the module docs).
    pub headers: Vec<String>,
    /// Data rows; `rows[k - 1]` is row `k`. Every row has exactly `headers.len()` cells
    /// (damaged rows are padded or cut and listed in `issues`).
    pub rows: Vec<Vec<String>>,
    /// Damaged rows.
    pub issues: Vec<RowIssue>,
    /// The encoding the text was read in (`None` for workbooks).
    pub encoding: Option<String>,
    /// The sheets of a workbook, in order (empty for text).
    pub sheets: Vec<String>,
    /// The sheet read (`None` for text).
    pub sheet: Option<String>,
}

impl Table {
    /// The cells of data row `row` (1-based), if it exists.
    pub fn row(&self, row: usize) -> Option<&[String]> {
        row.checked_sub(1).and_then(|i| self.rows.get(i)).map(Vec::as_slice)
    }
}

/// One row read from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    /// Data row number (the header is row 0).
    pub row: usize,
    /// Exactly as many cells as headers (padded with empty cells or cut).
    pub cells: Vec<String>,
    /// Damage found in this row; the importer rejects such rows.
    pub issue: Option<RowIssueKind>,
}

impl RawRow {
    /// Whether every cell is empty or spaces (such rows are skipped, not rejected).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Makes header names unique and non-empty (see the module docs).
pub fn clean_headers(raw: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, h) in raw.into_iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{FEFF}').trim().to_string();
        let base = if h.is_empty() { format!("#{}", i + 1) } else { h };
        let mut name = base.clone();
        let mut n = 2;
        while out.contains(&name) {
            name = format!("{base} ({n})");
            n += 1;
        }
        out.push(name);
    }
    out
}

/// Fits `cells` to `width` columns: trailing empty cells beyond the header are dropped
/// silently; any other difference is a [`RowIssueKind::ColumnCount`] and the row is padded
/// or cut so that it still has `width` cells.
fn fit(mut cells: Vec<String>, width: usize) -> (Vec<String>, Option<RowIssueKind>) {
    let issue = fit_in_place(&mut cells, width);
    (cells, issue)
}

/// [`fit`] in place.
fn fit_in_place(cells: &mut Vec<String>, width: usize) -> Option<RowIssueKind> {
    while cells.len() > width && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    let found = cells.len();
    if found == width {
        return None;
    }
    cells.resize(width, String::new());
    Some(RowIssueKind::ColumnCount { expected: width, found })
}

/// The cells of a workbook row from the header's first column, padded to `width`: a
/// workbook stores no empty cells, so a row whose last cells are empty simply has fewer
/// cells and is not damaged (only cells beyond the header are a [`RowIssueKind`]).
fn pad_sheet_row(cells: Vec<String>, first_col: u32, width: usize) -> Vec<String> {
    let mut cells: Vec<String> = cells.into_iter().skip(first_col as usize).collect();
    if cells.len() < width {
        cells.resize(width, String::new());
    }
    cells
}

/// Counts `needle` outside double quotes in one line.
fn count_outside_quotes(line: &str, needle: u8) -> usize {
    let mut in_q = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                in_q = !in_q;
            }
            !in_q && b == needle
        })
        .count()
}

/// The delimiter of CSV text and the number of bytes of an Excel `sep=` line to skip.
pub fn sniff_delimiter(text: &str) -> (u8, usize) {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if let Some(sep) = first.strip_prefix("sep=") {
        let sep = sep.trim_end_matches(['\r', '\n']);
        if sep.len() == 1 {
            let skip = text.find('\n').map_or(text.len(), |i| i + 1);
            return (sep.as_bytes()[0], skip);
        }
    }
    let mut best = (b',', 0usize);
    // Order = tie-break preference.
    for d in [b'\t', b',', b';', b'|'] {
        let n = count_outside_quotes(first, d);
        if n > best.1 {
            best = (d, n);
        }
    }
    (best.0, 0)
}

/// Whether a raw record ends inside a quoted field (a quote left open).
fn ends_inside_quotes(raw: &[u8], delim: u8) -> bool {
    let mut in_q = false;
    let mut at_start = true;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if in_q {
            if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                in_q = false;
            }
        } else if b == b'"' && at_start {
            in_q = true;
            at_start = false;
        } else {
            at_start = b == delim || b == b'\n' || b == b'\r';
        }
        i += 1;
    }
    in_q
}

/// A pull reader over CSV/TSV text: headers first, then [`CsvRows::next_row`] until `None`.
pub struct CsvRows<'a> {
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    headers: Vec<String>,
    delimiter: u8,
    offset: usize,
    record: csv::StringRecord,
    row: usize,
}

impl std::fmt::Debug for CsvRows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvRows").field("headers", &self.headers).field("delimiter", &self.delimiter).field("row", &self.row).finish()
    }
}

impl<'a> CsvRows<'a> {
    /// Starts reading `text`; `delimiter` `None` sniffs it. Reads the header.
    pub fn new(text: &'a str, delimiter: Option<u8>) -> Result<Self, TableError> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let (sniffed, skip) = sniff_delimiter(text);
        let delimiter = delimiter.unwrap_or(sniffed);
        let body = &text[skip..];
        if body.trim().is_empty() {
            return Err(TableError::Empty);
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut record = csv::StringRecord::new();
        let got = reader.read_record(&mut record).map_err(|e| TableError::Csv(e.to_string()))?;
        if !got {
            return Err(TableError::Empty);
        }
        let headers = clean_headers(record.iter().map(str::to_string));
        let headers_trimmed = {
            let mut h = headers.clone();
            // Trailing blank header cells (Excel's trailing delimiters) are not columns.
            while h.last().is_some_and(|n| n.starts_with('#')) && record.get(h.len() - 1).is_some_and(|c| c.trim().is_empty()) {
                h.pop();
            }
            h
        };
        if headers_trimmed.len() > MAX_COLUMNS {
            return Err(TableError::TooManyColumns { found: headers_trimmed.len(), max: MAX_COLUMNS });
        }
        Ok(CsvRows { text: body, reader, headers: headers_trimmed, delimiter, offset: skip, record, row: 0 })
    }

    /// The column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The delimiter used.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Bytes of the text consumed so far (for a progress bar against the text length).
    pub fn position(&self) -> usize {
        self.offset + self.reader.position().byte() as usize
    }

    /// The next data row, or `None` at the end. Never fails: the csv parser in flexible
    /// mode accepts any text, and damage is reported in [`RawRow::issue`].
    pub fn next_row(&mut self) -> Option<RawRow> {
        let mut row = RawRow::default();
        self.next_row_into(&mut row).then_some(row)
    }

    /// [`CsvRows::next_row`] into `row`, reusing its cells' buffers (a million-line file
    /// allocates no new cell after the first row); `false` at the end, `row` then as it was.
    pub fn next_row_into(&mut self, row: &mut RawRow) -> bool {
        let start = self.reader.position().byte() as usize;
        match self.reader.read_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) | Err(_) => return false,
        }
        self.row += 1;
        let cells = &mut row.cells;
        let n = self.record.len();
        cells.truncate(n);
        for (k, field) in self.record.iter().enumerate() {
            match cells.get_mut(k) {
                Some(c) => {
                    c.clear();
                    c.push_str(field);
                }
                None => cells.push(field.to_string()),
            }
        }
        row.issue = fit_in_place(cells, self.headers.len());
        let end = self.reader.position().byte() as usize;
        if end >= self.text.len() && ends_inside_quotes(self.text.as_bytes().get(start..).unwrap_or(&[]), self.delimiter) {
            row.issue = Some(RowIssueKind::UnclosedQuote);
        }
        row.row = self.row;
        true
    }
}

/// Formats a float cell as Excel shows it in "General": integers without `.0`, others in
/// the shortest form that reads back to the same number.
fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// The serial number of 9999-12-31, Excel's last date.
const EXCEL_LAST_SERIAL: f64 = 2_958_465.999_999;

/// The text of a workbook cell: dates as ISO `YYYY-MM-DD` (with ` HH:MM:SS` when there is a
/// time), numbers as Excel shows them, errors as `#DIV/0!` etc.
pub fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => if *b { "TRUE".into() } else { "FALSE".into() },
        DataRef::DateTime(dt) => {
            // calamine's `as_datetime` panics (chrono's `TimeDelta::milliseconds` out of
            // bounds) for a date-formatted number such as -1e300: only Excel's dates
            // (serial 0 to 9999-12-31) are converted.
            if dt.is_datetime() && (0.0..=EXCEL_LAST_SERIAL).contains(&dt.as_f64()) {
                match cell.as_datetime() {
                    Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().format("%Y-%m-%d").to_string(),
                    Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                    None => float_text(dt.as_f64()),
                }
            } else {
                float_text(dt.as_f64())
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// Assembles sparse (row, column, text) cells into rows with a header: blank rows before the
/// header are skipped, columns left of the header's first cell are ignored.
struct RowAssembler<F> {
    on_row: F,
    headers: Option<Vec<String>>,
    first_col: u32,
    current: Option<(u32, Vec<String>)>,
    header_row: u32,
    stopped: bool,
}

impl<F: FnMut(RawRow) -> ControlFlow<()>> RowAssembler<F> {
    fn new(on_row: F) -> Self {
        RowAssembler { on_row, headers: None, first_col: 0, current: None, header_row: 0, stopped: false }
    }

    fn cell(&mut self, row: u32, col: u32, text: String) -> Result<(), TableError> {
        if self.stopped {
            return Ok(());
        }
        if self.current.as_ref().is_some_and(|(r, _)| *r != row) {
            self.flush()?;
        }
        if self.stopped {
            return Ok(());
        }
        let (_, cells) = self.current.get_or_insert_with(|| (row, Vec::new()));
        let col = col as usize;
        if col >= cells.len() {
            if col > MAX_COLUMNS * 4 {
                // A stray cell far to the right (e.g. XFD1) would allocate huge rows; it
                // cannot belong to the table.
                return Ok(());
            }
            cells.resize(col + 1, String::new());
        }
        cells[col] = text;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), TableError> {
        let Some((row, cells)) = self.current.take() else { return Ok(()) };
        match &self.headers {
            None => {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    return Ok(());
                }
                let first = cells.iter().position(|c| !c.trim().is_empty()).unwrap_or(0);
                let mut raw: Vec<String> = cells[first..].to_vec();
                while raw.last().is_some_and(|c| c.trim().is_empty()) {
                    raw.pop();
                }
                if raw.len() > MAX_COLUMNS {
                    return Err(TableError::TooManyColumns { found: raw.len(), max: MAX_COLUMNS });
                }
                self.first_col = first as u32;
                self.header_row = row;
                self.headers = Some(clean_headers(raw));
            }
            Some(headers) => {
                let width = headers.len();
                let data_row = row.saturating_sub(self.header_row) as usize;
                let cells = pad_sheet_row(cells, self.first_col, width);
                let (cells, issue) = fit(cells, width);
                if (self.on_row)(RawRow { row: data_row, cells, issue }).is_break() {
                    self.stopped = true;
                }
            }
        }
        Ok(())
    }
}

/// Sheet names of a workbook.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, TableError> {
    Ok(open_sheets(bytes)?.sheet_names())
}

/// Opens a workbook for calamine: `.xls` (an OLE file) with calamine's `.xls` reader; anything
/// else as `.xlsx`, after [`check_workbook`] has refused what calamine 0.38 would panic on.
/// No other format is tried (calamine's `open_workbook_auto` would also try `.xlsb` and
/// `.ods` readers on any zip, two more parsers for hostile files to reach).
///
/// Nothing here relies on `catch_unwind`: the app's release build aborts on a panic, and
/// `catch_unwind` does not exist on wasm32. The `.xlsx` path is panic-free by construction
/// (the check, plus [`cell_text`] never asking calamine for a date it cannot represent);
/// the `.xls` reader and every path are fuzzed (`fuzz/`), with the corpus and every crash
/// case run by `tests/fuzz_corpus.rs`.
fn open_sheets(bytes: &[u8]) -> Result<calamine::Sheets<Cursor<&[u8]>>, TableError> {
    check_sheets(bytes)?;
    open_checked(bytes)
}

/// What [`open_sheets`] checks before calamine sees the bytes: not empty, and an `.xlsx`
/// passes [`check_workbook`] (an `.xls` file is read by calamine's `.xls` reader, which
/// the fuzzing covers).
fn check_sheets(bytes: &[u8]) -> Result<(), TableError> {
    if bytes.is_empty() {
        return Err(TableError::Empty);
    }
    if decode::binary_kind(bytes) == Some(decode::BinaryKind::Ole) {
        return Ok(());
    }
    check_workbook(bytes)
}

/// [`open_sheets`] after [`check_sheets`] passed on the same bytes.
fn open_checked(bytes: &[u8]) -> Result<calamine::Sheets<Cursor<&[u8]>>, TableError> {
    let not_a_workbook = |e: &dyn std::fmt::Display| TableError::NotAWorkbook(e.to_string());
    if decode::binary_kind(bytes) == Some(decode::BinaryKind::Ole) {
        return calamine::Xls::new(Cursor::new(bytes)).map(calamine::Sheets::Xls).map_err(|e| not_a_workbook(&e));
    }
    calamine::Xlsx::new(Cursor::new(bytes)).map(calamine::Sheets::Xlsx).map_err(|e| not_a_workbook(&e))
}

/// The bytes of a workbook that passed the check calamine needs ([`check_workbook`] for
/// an `.xlsx`), kept so that reading them again (another sheet, the import after the
/// preview) does not scan them again: the scan of a million-row sheet takes about as long
/// as reading it. Only [`CheckedWorkbook::new`] makes one, and the bytes cannot be changed
/// after it.
pub struct CheckedWorkbook {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for CheckedWorkbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedWorkbook").field("bytes", &self.bytes.len()).finish()
    }
}

impl CheckedWorkbook {
    /// Checks `bytes` as [`Workbook::open`] does; the error is the one it gives.
    pub fn new(bytes: Vec<u8>) -> Result<CheckedWorkbook, TableError> {
        check_sheets(&bytes)?;
        Ok(CheckedWorkbook { bytes })
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, given back.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Opens the workbook without checking it again.
    pub fn open(&self) -> Result<Workbook<'_>, TableError> {
        Workbook::from_sheets(open_checked(&self.bytes)?)
    }

    /// [`head_workbook`] without checking it again.
    pub fn head(&self, sheet: Option<&str>, n: usize) -> Result<Table, TableError> {
        head_of(self.open()?, sheet, n)
    }
}

/// Reads a sheet of an `.xlsx` / `.xls` workbook (the first when `sheet` is `None`) and
/// calls `on_header` once with the headers, then `on_row` for every data row in order, until
/// the sheet ends or `on_row` returns `Break`. Blank rows inside the data are passed on
/// (their numbers count, so that row `k` stays Excel row `k + 1` of the header's sheet).
/// `.xlsx` is streamed cell by cell. Returns the sheet read.
pub fn for_each_sheet_row(
    bytes: &[u8],
    sheet: Option<&str>,
    on_header: impl FnMut(&[String]),
    on_row: impl FnMut(RawRow) -> ControlFlow<()>,
) -> Result<String, TableError> {
    for_each_row_of(open_sheets(bytes)?, sheet, on_header, on_row)
}

/// [`for_each_sheet_row`] on a workbook opened already.
fn for_each_row_of(
    wb: calamine::Sheets<Cursor<&[u8]>>,
    sheet: Option<&str>,
    mut on_header: impl FnMut(&[String]),
    on_row: impl FnMut(RawRow) -> ControlFlow<()>,
) -> Result<String, TableError> {
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names.iter().find(|n| n.as_str() == s).cloned().ok_or_else(|| TableError::SheetNotFound(s.to_string()))?,
        None => names.first().cloned().ok_or(TableError::NoSheets)?,
    };
    let mut header_sent = false;
    let mut asm = RowAssembler::new(on_row);
    let mut feed = |asm: &mut RowAssembler<_>, r: u32, c: u32, text: String| -> Result<(), TableError> {
        asm.cell(r, c, text)?;
        if !header_sent {
            if let Some(h) = &asm.headers {
                on_header(h);
                header_sent = true;
            }
        }
        Ok(())
    };
    match wb {
        calamine::Sheets::Xlsx(mut x) => {
            let mut cells = x.worksheet_cells_reader(&name).map_err(|e| TableError::NotAWorkbook(e.to_string()))?;
            loop {
                match cells.next_cell() {
                    Ok(Some(cell)) => {
                        let (r, c) = cell.get_position();
                        let text = cell_text(cell.get_value());
                        feed(&mut asm, r, c, text)?;
                        if asm.stopped {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => return Err(TableError::NotAWorkbook(e.to_string())),
                }
            }
        }
        mut other => {
            let range = other.worksheet_range(&name).map_err(|e| TableError::NotAWorkbook(e.to_string()))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (i, row) in range.rows().enumerate() {
                for (j, cell) in row.iter().enumerate() {
                    let text = match cell {
                        calamine::Data::Empty => continue,
                        calamine::Data::Int(v) => v.to_string(),
                        calamine::Data::Float(v) => float_text(*v),
                        calamine::Data::String(s) => s.clone(),
                        calamine::Data::Bool(b) => if *b { "TRUE".into() } else { "FALSE".into() },
                        calamine::Data::DateTime(dt) => cell_text(&DataRef::DateTime(*dt)),
                        calamine::Data::DateTimeIso(s) | calamine::Data::DurationIso(s) => s.clone(),
                        calamine::Data::Error(e) => e.to_string(),
                    };
                    feed(&mut asm, r0 + i as u32, c0 + j as u32, text)?;
                }
                if asm.stopped {
                    break;
                }
            }
        }
    }
    asm.flush()?;
    if asm.headers.is_none() {
        return Err(TableError::Empty);
    }
    if !header_sent {
        if let Some(h) = &asm.headers {
            on_header(h);
        }
    }
    Ok(name)
}

/// Reads a whole file into a [`Table`]: text is decoded (`encoding` overrides detection)
/// and split as CSV/TSV; workbooks are read from the chosen `sheet` (default: the first).
/// The format comes from the file's signature first (a zip or OLE file is a workbook
/// whatever its name), then from `format`.
pub fn read_table(bytes: Vec<u8>, format: Option<FileFormat>, encoding: Option<&str>, sheet: Option<&str>) -> Result<Table, TableError> {
    if bytes.is_empty() {
        return Err(TableError::Empty);
    }
    let signature = decode::binary_kind(&bytes);
    let workbook = match (signature, format) {
        (Some(decode::BinaryKind::Zip), _) | (Some(decode::BinaryKind::Ole), _) if format.is_none_or(FileFormat::is_workbook) => true,
        (_, Some(f)) => f.is_workbook(),
        _ => false,
    };
    if workbook {
        // Checked once for the names and the rows.
        let wb = open_sheets(&bytes)?;
        let mut table = Table { sheets: wb.sheet_names(), ..Table::default() };
        let mut rows = Vec::new();
        let mut issues = Vec::new();
        let mut headers = Vec::new();
        let mut too_large = false;
        let name = for_each_row_of(wb, sheet, |h| headers = h.to_vec(), |r| {
            if r.row.saturating_mul(r.cells.len().max(1)) > MAX_TABLE_CELLS {
                too_large = true;
                return ControlFlow::Break(());
            }
            if let Some(kind) = r.issue.clone() {
                issues.push(RowIssue { row: r.row, kind });
            }
            // Fill the gaps of skipped (cell-less) rows so that rows[k-1] stays row k.
            while rows.len() + 1 < r.row {
                rows.push(vec![String::new(); r.cells.len()]);
            }
            rows.push(r.cells);
            ControlFlow::Continue(())
        })?;
        if too_large {
            return Err(TableError::TooLarge { max: MAX_TABLE_CELLS });
        }
        table.headers = headers;
        table.rows = rows;
        table.issues = issues;
        table.sheet = Some(name);
        return Ok(table);
    }
    let decoded = decode::decode(bytes, encoding)?;
    let delimiter = match format {
        Some(FileFormat::Tsv) => Some(b'\t'),
        _ => None,
    };
    let mut reader = CsvRows::new(&decoded.text, delimiter)?;
    let mut table = Table { headers: reader.headers().to_vec(), encoding: Some(decoded.encoding.clone()), ..Table::default() };
    let width = table.headers.len().max(1);
    while let Some(r) = reader.next_row() {
        if (table.rows.len() + 1).saturating_mul(width) > MAX_TABLE_CELLS {
            return Err(TableError::TooLarge { max: MAX_TABLE_CELLS });
        }
        if let Some(kind) = r.issue {
            table.issues.push(RowIssue { row: r.row, kind });
        }
        table.rows.push(r.cells);
    }
    Ok(table)
}

/// An opened workbook, read one sheet row by row with [`Workbook::rows`] (a pull reader:
/// the app reads a chunk of rows, updates the progress bar, yields to the browser and reads
/// the next chunk; `.xlsx` cells are streamed, so only the current row is held).
pub struct Workbook<'a> {
    sheets: calamine::Sheets<Cursor<&'a [u8]>>,
    names: Vec<String>,
}

impl std::fmt::Debug for Workbook<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook").field("names", &self.names).finish()
    }
}

impl<'a> Workbook<'a> {
    /// Opens the bytes of an `.xlsx` / `.xls` workbook.
    pub fn open(bytes: &'a [u8]) -> Result<Workbook<'a>, TableError> {
        Workbook::from_sheets(open_sheets(bytes)?)
    }

    fn from_sheets(sheets: calamine::Sheets<Cursor<&'a [u8]>>) -> Result<Workbook<'a>, TableError> {
        let names = sheets.sheet_names();
        Ok(Workbook { sheets, names })
    }

    /// The sheet names, in order.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Starts reading a sheet (the first when `sheet` is `None`): finds the header (the
    /// first non-empty row) and returns the reader positioned before the first data row.
    pub fn rows(&mut self, sheet: Option<&str>) -> Result<SheetRows<'_, 'a>, TableError> {
        let name = match sheet {
            Some(s) => self.names.iter().find(|n| n.as_str() == s).cloned().ok_or_else(|| TableError::SheetNotFound(s.to_string()))?,
            None => self.names.first().cloned().ok_or(TableError::NoSheets)?,
        };
        let sheets = &mut self.sheets;
        let (source, last_row, sheet) = match sheets {
            calamine::Sheets::Xlsx(x) => {
                let cells = x.worksheet_cells_reader(&name).map_err(|e| TableError::NotAWorkbook(e.to_string()))?;
                let dims = cells.dimensions();
                (CellSource::Xlsx(Box::new(cells)), (dims.end.0 >= dims.start.0).then(|| dims.end.0 as usize), name)
            }
            other => {
                let range = other.worksheet_range(&name).map_err(|e| TableError::NotAWorkbook(e.to_string()))?;
                let last = range.end().map(|(r, _)| r as usize);
                (CellSource::Range { range, i: 0, j: 0 }, last, name)
            }
        };
        let mut rows = SheetRows {
            source,
            sheet,
            headers: None,
            first_col: 0,
            header_row: 0,
            current: None,
            ended: false,
            last_row,
            row: 0,
        };
        while rows.headers.is_none() {
            match rows.next_cell()? {
                Some((r, c, text)) => {
                    rows.push_cell(r, c, text)?;
                }
                None => {
                    rows.ended = true;
                    if let Some(cur) = rows.current.take() {
                        rows.complete(cur)?;
                    }
                    break;
                }
            }
        }
        if rows.headers.is_none() {
            return Err(TableError::Empty);
        }
        Ok(rows)
    }
}

enum CellSource<'b, 'a> {
    Xlsx(Box<calamine::XlsxCellReader<'b, Cursor<&'a [u8]>>>),
    Range { range: calamine::Range<calamine::Data>, i: usize, j: usize },
}

/// The rows of one workbook sheet, pulled one at a time (see [`Workbook::rows`]). Gives
/// the same headers and rows as [`for_each_sheet_row`].
pub struct SheetRows<'b, 'a> {
    source: CellSource<'b, 'a>,
    sheet: String,
    headers: Option<Vec<String>>,
    first_col: u32,
    header_row: u32,
    current: Option<(u32, Vec<String>)>,
    ended: bool,
    last_row: Option<usize>,
    row: usize,
}

impl std::fmt::Debug for SheetRows<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SheetRows").field("sheet", &self.sheet).field("headers", &self.headers).field("row", &self.row).finish()
    }
}

impl SheetRows<'_, '_> {
    /// The column names.
    pub fn headers(&self) -> &[String] {
        self.headers.as_deref().unwrap_or(&[])
    }

    /// The sheet being read.
    pub fn sheet(&self) -> &str {
        &self.sheet
    }

    /// The data row number of the last row returned (0 before the first).
    pub fn row(&self) -> usize {
        self.row
    }

    /// The number of data rows the sheet declares (its `<dimension>` in `.xlsx`, its range
    /// in `.xls`), for a progress bar; `None` when the sheet does not say. A hint only:
    /// damaged or hand-written files may declare anything.
    pub fn declared_rows(&self) -> Option<usize> {
        self.last_row.map(|last| last.saturating_sub(self.header_row as usize))
    }

    fn next_cell(&mut self) -> Result<Option<(u32, u32, String)>, TableError> {
        match &mut self.source {
            CellSource::Xlsx(cells) => {
                match cells.next_cell() {
                    Ok(Some(cell)) => {
                        let (r, c) = cell.get_position();
                        Ok(Some((r, c, cell_text(cell.get_value()))))
                    }
                    Ok(None) => Ok(None),
                    Err(e) => Err(TableError::NotAWorkbook(e.to_string())),
                }
            }
            CellSource::Range { range, i, j } => {
                let (height, width) = range.get_size();
                let (r0, c0) = range.start().unwrap_or((0, 0));
                while *i < height {
                    while *j < width {
                        let (ri, cj) = (*i, *j);
                        *j += 1;
                        let text = match range.get((ri, cj)) {
                            None | Some(calamine::Data::Empty) => continue,
                            Some(calamine::Data::Int(v)) => v.to_string(),
                            Some(calamine::Data::Float(v)) => float_text(*v),
                            Some(calamine::Data::String(s)) => s.clone(),
                            Some(calamine::Data::Bool(b)) => if *b { "TRUE".into() } else { "FALSE".into() },
                            Some(calamine::Data::DateTime(dt)) => cell_text(&DataRef::DateTime(*dt)),
                            Some(calamine::Data::DateTimeIso(s)) | Some(calamine::Data::DurationIso(s)) => s.clone(),
                            Some(calamine::Data::Error(e)) => e.to_string(),
                        };
                        return Ok(Some((r0 + ri as u32, c0 + cj as u32, text)));
                    }
                    *j = 0;
                    *i += 1;
                }
                Ok(None)
            }
        }
    }

    /// Adds a cell; returns the previous row when this cell starts a new one.
    fn push_cell(&mut self, row: u32, col: u32, text: String) -> Result<Option<RawRow>, TableError> {
        let mut out = None;
        if self.current.as_ref().is_some_and(|(r, _)| *r != row) {
            if let Some(prev) = self.current.take() {
                out = self.complete(prev)?;
            }
        }
        let (_, cells) = self.current.get_or_insert_with(|| (row, Vec::new()));
        let col = col as usize;
        if col >= cells.len() {
            if col > MAX_COLUMNS * 4 {
                // A stray cell far to the right cannot belong to the table (as in
                // `RowAssembler::cell`).
                return Ok(out);
            }
            cells.resize(col + 1, String::new());
        }
        cells[col] = text;
        Ok(out)
    }

    /// A finished row: the header (sets it, returns `None`) or a data row.
    fn complete(&mut self, (row, cells): (u32, Vec<String>)) -> Result<Option<RawRow>, TableError> {
        match &self.headers {
            None => {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    return Ok(None);
                }
                let first = cells.iter().position(|c| !c.trim().is_empty()).unwrap_or(0);
                let mut raw: Vec<String> = cells[first..].to_vec();
                while raw.last().is_some_and(|c| c.trim().is_empty()) {
                    raw.pop();
                }
                if raw.len() > MAX_COLUMNS {
                    return Err(TableError::TooManyColumns { found: raw.len(), max: MAX_COLUMNS });
                }
                self.first_col = first as u32;
                self.header_row = row;
                self.headers = Some(clean_headers(raw));
                Ok(None)
            }
            Some(headers) => {
                let width = headers.len();
                let data_row = row.saturating_sub(self.header_row) as usize;
                let cells = pad_sheet_row(cells, self.first_col, width);
                let (cells, issue) = fit(cells, width);
                self.row = data_row;
                Ok(Some(RawRow { row: data_row, cells, issue }))
            }
        }
    }

    /// The next data row, or `None` at the end of the sheet. Rows without any cell are not
    /// returned (their numbers are skipped); rows of empty strings are.
    pub fn next_row(&mut self) -> Result<Option<RawRow>, TableError> {
        loop {
            if self.ended {
                return match self.current.take() {
                    Some(cur) => self.complete(cur),
                    None => Ok(None),
                };
            }
            match self.next_cell()? {
                Some((r, c, text)) => {
                    if let Some(row) = self.push_cell(r, c, text)? {
                        return Ok(Some(row));
                    }
                }
                None => self.ended = true,
            }
        }
    }
}

/// The first `n` data rows of CSV/TSV text as a [`Table`] (for the mapping step and
/// previews of large files, without reading them whole).
pub fn head_text(text: &str, format: Option<FileFormat>, n: usize) -> Result<Table, TableError> {
    let delimiter = match format {
        Some(FileFormat::Tsv) => Some(b'\t'),
        _ => None,
    };
    let mut reader = CsvRows::new(text, delimiter)?;
    let mut table = Table { headers: reader.headers().to_vec(), ..Table::default() };
    while table.rows.len() < n {
        let Some(r) = reader.next_row() else { break };
        if let Some(kind) = r.issue {
            table.issues.push(RowIssue { row: r.row, kind });
        }
        table.rows.push(r.cells);
    }
    Ok(table)
}

/// The first `n` data rows of a workbook sheet as a [`Table`] (with the sheet names), like
/// [`head_text`].
pub fn head_workbook(bytes: &[u8], sheet: Option<&str>, n: usize) -> Result<Table, TableError> {
    head_of(Workbook::open(bytes)?, sheet, n)
}

fn head_of(mut wb: Workbook<'_>, sheet: Option<&str>, n: usize) -> Result<Table, TableError> {
    let sheets = wb.sheet_names().to_vec();
    let mut rows = wb.rows(sheet)?;
    let mut table = Table { headers: rows.headers().to_vec(), sheets, sheet: Some(rows.sheet().to_string()), ..Table::default() };
    while table.rows.len() < n {
        let Some(r) = rows.next_row()? else { break };
        // Blank rows before this one, up to `n` rows in all (a cell in row 1,000,000 must
        // not make a preview of a million blank rows).
        while table.rows.len() + 1 < r.row && table.rows.len() < n {
            table.rows.push(vec![String::new(); r.cells.len()]);
        }
        if table.rows.len() >= n {
            break;
        }
        if let Some(kind) = r.issue {
            table.issues.push(RowIssue { row: r.row, kind });
        }
        table.rows.push(r.cells);
    }
    Ok(table)
}
