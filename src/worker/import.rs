//! The import wizard's heavy steps, in the worker: opening the chosen file (decoding text,
//! opening a workbook, reading the first rows) and running the import over every row
//! (parse, validate, plan). The page sends the browser's `File` beside each request (no
//! bytes are copied on its thread) and gets the sample, progress and the outcome back.
//!
//! The worker keeps the file's bytes (and the decoded text) of the last token it saw, so
//! choosing another encoding or sheet, or checking again after changing the mapping, does
//! not read the file again; a worker started afresh (after a cancel) reads it again.

use super::protocol::{self, CheckJob, FileBody, FileRef, Opened, Reply};
use clientscope_core::error::Bilingual;
use clientscope_core::io::decode::{self, BinaryKind};
use clientscope_core::io::import::{ImportContext, ImportOutcome, Importer};
use clientscope_core::io::table::{self, CheckedWorkbook, CsvRows, FileFormat, RawRow, TableError};
use clientscope_core::model::Customer;
use std::cell::RefCell;

/// Rows shown in the raw preview and used as samples in the mapping.
pub const SAMPLE_ROWS: usize = 10;

/// How often the check posts its progress, in milliseconds.
const PROGRESS_MS: f64 = 100.0;

/// The file's content as the worker keeps it.
enum Content {
    /// Decoded text; `raw` keeps the bytes only when they are not the text's own (another
    /// encoding than UTF-8), for decoding them again in the encoding the user chooses.
    Text { text: String, raw: Option<Vec<u8>>, format: FileFormat, forced: Option<String> },
    /// A workbook's bytes, checked once for all the reads of it.
    Workbook(CheckedWorkbook),
}

struct Kept {
    token: u64,
    content: Content,
}

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

fn table_error(e: TableError) -> Bilingual {
    Bilingual::from_fn(|lang| e.message(lang))
}

/// Reads the browser's `File`.
pub(super) async fn read(file: &web_sys::File) -> Result<Vec<u8>, Bilingual> {
    crate::files::read_bytes(file).await.map_err(|detail| Bilingual::new(format!("无法读取文件：{detail}"), format!("The file could not be read: {detail}")))
}

/// The file as the worker has it: bytes, or a workbook checked already.
enum Got {
    Bytes(Vec<u8>),
    Workbook(CheckedWorkbook),
}

/// The file: what is kept for its token, or the bytes read from `file`.
async fn bytes(fref: &FileRef, file: Option<&web_sys::File>) -> Result<Got, Bilingual> {
    let kept = KEPT.with(|k| {
        k.borrow_mut().take_if(|k| k.token == fref.token).map(|k| match k.content {
            Content::Text { raw: Some(raw), .. } => Got::Bytes(raw),
            Content::Text { text, raw: None, .. } => Got::Bytes(text.into_bytes()),
            Content::Workbook(wb) => Got::Workbook(wb),
        })
    });
    match (kept, file) {
        (Some(got), _) => Ok(got),
        (None, Some(f)) => read(f).await.map(Got::Bytes),
        (None, None) => Err(protocol::technical("no file sent with the import")),
    }
}

/// Opens the file: a workbook when the signature or the name says so, else text decoded
/// in `encoding` (or detected); keeps its content and returns its first rows.
fn open_bytes(fref: &FileRef, got: Got, encoding: Option<&str>, sheet: Option<&str>) -> Result<Opened, Bilingual> {
    let bytes = match got {
        Got::Workbook(wb) => return open_workbook(fref, wb, sheet),
        Got::Bytes(bytes) => bytes,
    };
    let size = bytes.len() as u64;
    let format = FileFormat::from_name(&fref.name);
    let signature = decode::binary_kind(&bytes);
    let workbook = matches!(signature, Some(BinaryKind::Zip | BinaryKind::Ole)) || format.is_some_and(FileFormat::is_workbook);
    if workbook {
        return open_workbook(fref, CheckedWorkbook::new(bytes).map_err(table_error)?, sheet);
    }
    if size == 0 {
        return Err(table_error(TableError::Empty));
    }
    let raw = std::str::from_utf8(&bytes).is_err().then(|| bytes.clone());
    let decoded = decode::decode(bytes, encoding).map_err(|e| table_error(TableError::Decode(e)))?;
    let format = format.unwrap_or(FileFormat::Csv);
    let mut sample = table::head_text(&decoded.text, Some(format), SAMPLE_ROWS).map_err(table_error)?;
    sample.encoding = Some(decoded.encoding.clone());
    let body = FileBody::Text { format, encoding: decoded.encoding, forced: encoding.map(str::to_string), malformed: decoded.malformed };
    let forced = encoding.map(str::to_string);
    KEPT.with(|k| *k.borrow_mut() = Some(Kept { token: fref.token, content: Content::Text { text: decoded.text, raw, format, forced } }));
    Ok(Opened { size, body, sample })
}

/// The first rows of a workbook's sheet. The workbook is kept even when that sheet cannot
/// be shown (an empty sheet, say): the next sheet the user picks opens without a new scan.
fn open_workbook(fref: &FileRef, wb: CheckedWorkbook, sheet: Option<&str>) -> Result<Opened, Bilingual> {
    let size = wb.bytes().len() as u64;
    let sample = wb.head(sheet, SAMPLE_ROWS);
    KEPT.with(|k| *k.borrow_mut() = Some(Kept { token: fref.token, content: Content::Workbook(wb) }));
    let sample = sample.map_err(table_error)?;
    Ok(Opened { size, body: FileBody::Workbook { sheets: sample.sheets.clone() }, sample })
}

/// [`protocol::Job::ImportOpen`].
pub async fn open(fref: FileRef, encoding: Option<String>, sheet: Option<String>, file: Option<web_sys::File>) -> Reply {
    let opened = match bytes(&fref, file.as_ref()).await {
        Ok(b) => open_bytes(&fref, b, encoding.as_deref(), sheet.as_deref()),
        Err(e) => Err(e),
    };
    Reply::ImportOpened(opened.and_then(|o| protocol::encode_named(&o).map(serde_bytes::ByteBuf::from).map_err(|e| protocol::technical(&e))))
}

/// Whether the kept content is the file of `job` as it asks for it (same token, and for
/// text the same encoding).
fn kept_fits(job: &CheckJob) -> bool {
    KEPT.with(|k| {
        k.borrow().as_ref().is_some_and(|k| {
            k.token == job.file.token
                && match &k.content {
                    Content::Text { forced, .. } => *forced == job.encoding,
                    Content::Workbook(_) => true,
                }
        })
    })
}

/// Posts the check's progress at most every [`PROGRESS_MS`] (and always at the end).
struct Ticker {
    last: f64,
}

impl Ticker {
    fn tick(&mut self, imp: &Importer<'_>, done: usize, total: usize, end: bool) {
        let now = js_sys::Date::now();
        if end || now - self.last >= PROGRESS_MS {
            self.last = now;
            let p = imp.progress();
            super::post(&Reply::Checking { done: done as u64, total: total as u64, rows: p.rows as u64, rejected: p.rejected as u64 });
        }
    }
}

/// [`protocol::Job::ImportCheck`]: every row read and checked against `customers` (the
/// stored ones, in the page's order); nothing is written.
pub async fn check(job: CheckJob, customers: &[Customer], file: Option<web_sys::File>) -> Result<ImportOutcome, Bilingual> {
    if !kept_fits(&job) {
        let b = bytes(&job.file, file.as_ref()).await?;
        open_bytes(&job.file, b, job.encoding.as_deref(), job.sheet.as_deref())?;
    }
    let CheckJob { kind, mapping, sheet, survey, merge, now, id_prefix, .. } = job;
    let ctx = ImportContext { customers, survey: survey.as_ref(), now, id_prefix, merge };
    let Some(kept) = KEPT.with(|k| k.borrow_mut().take()) else { return Err(protocol::technical("file not kept")) };
    let mut ticker = Ticker { last: js_sys::Date::now() };
    let result = (|| match &kept.content {
        Content::Text { text, format, .. } => {
            let delimiter = (*format == FileFormat::Tsv).then_some(b'\t');
            let mut reader = CsvRows::new(text, delimiter).map_err(table_error)?;
            let mut imp = Importer::new(kind, reader.headers(), &mapping, ctx).map_err(|e| Bilingual::from_fn(|lang| e.message(lang, kind)))?;
            // One row's cells, refilled line after line.
            let mut r = RawRow::default();
            while reader.next_row_into(&mut r) {
                imp.push(&r);
                if r.row.is_multiple_of(256) {
                    ticker.tick(&imp, reader.position(), text.len(), false);
                }
            }
            ticker.tick(&imp, text.len(), text.len(), true);
            Ok(imp.finish())
        }
        Content::Workbook(wb) => {
            let mut wb = wb.open().map_err(table_error)?;
            let mut rows = wb.rows(sheet.as_deref()).map_err(table_error)?;
            let total = rows.declared_rows().unwrap_or(0);
            let mut imp = Importer::new(kind, rows.headers(), &mapping, ctx).map_err(|e| Bilingual::from_fn(|lang| e.message(lang, kind)))?;
            while let Some(r) = rows.next_row().map_err(table_error)? {
                imp.push(&r);
                if r.row.is_multiple_of(256) {
                    ticker.tick(&imp, rows.row(), total, false);
                }
            }
            ticker.tick(&imp, rows.row(), total, true);
            Ok(imp.finish())
        }
    })();
    KEPT.with(|k| *k.borrow_mut() = Some(kept));
    result
}
