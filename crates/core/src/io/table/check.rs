//! Checks an `.xlsx` workbook before calamine reads it, so that no file a user chooses can
//! make calamine panic or allocate without bound.
//!
//! The app's release build aborts on a panic (`panic = "abort"`, and `catch_unwind` does
//! not exist on wasm32), so the `.xlsx` path must be panic-free by construction. calamine
//! 0.38 is not, for damaged references:
//! - a worksheet's `<dimension ref="B5:A1"/>` with reversed corners: calamine subtracts the
//!   corners unchecked (a panic with overflow checks, a wrapped number without);
//! - a row or cell reference with too many digits or letters (`<row r="99999999999">`,
//!   `<c r="AAAAAAAA1">`): calamine accumulates it in a `u32` unchecked (same);
//! - the position of rows and cells written without a reference is counted with `+= 1`
//!   from the last one that had one, which overflows after `r="4294967295"`.
//!
//! [`check_workbook`] reads every part of the zip once, streaming, so that it sees exactly
//! the elements calamine will see: with the same XML reader (quick-xml 0.42) configured as
//! calamine configures it, or, for the plain XML spreadsheet programs write, with a split
//! into tags by hand that gives the same elements several times faster and hands the part
//! to that reader at the first thing it is not sure of (`fast_scan_part`; a 265 MB sheet of
//! a million rows took 4.5 s and takes 1.7 s natively). It refuses the workbook when:
//! - a `<dimension ref>` is not `A1` or `A1:B2` with both corners within Excel's limits
//!   ([`MAX_ROWS`] rows, [`MAX_COLS`] columns) and the first corner above and left of the
//!   second;
//! - after the start of `<sheetData>`, a `<row r>` is not a row number within the limits, a
//!   `<c r>` is not a cell reference within them, an element has two `r` attributes, or a
//!   row or cell (with or without a reference, counted as calamine counts them) lies beyond
//!   the limits, or comes before the previous one (rows must be ascending, cells ascending
//!   within their row and in it), as the Office Open XML standard requires and every writer
//!   (Excel, WPS, LibreOffice, openpyxl, rust_xlsxwriter) does;
//! - a worksheet cannot be decompressed (damaged data, wrong checksum), a part is larger than
//!   [`MAX_PART_BYTES`] unpacked, all parts together exceed [`MAX_TOTAL_BYTES`], a single XML
//!   element or text is longer than [`MAX_EVENT_BYTES`] (the reader would buffer it whole),
//!   the shared-string table has more than [`MAX_SHARED_STRINGS`] entries, or the archive has
//!   more than [`MAX_PARTS`] parts (a zip bomb).
//!
//! An XML syntax error is not refused here: calamine stops at the same element with an
//! error of its own (it reads the same bytes with the same reader), and nothing after it
//! is read. Formulas' shared ranges (`<f ref>`) are not checked: the import reads cell
//! values only, never formulas.

use super::TableError;
use crate::model::Language;
use quick_xml::events::{BytesStart, Event};
use std::cell::Cell;
use std::io::{BufReader, Cursor, Read};
use std::rc::Rc;

/// Rows of an Excel sheet (Excel 2007+): row numbers run from 1 to this.
pub const MAX_ROWS: u32 = 1_048_576;
/// Columns of an Excel sheet: `A` to `XFD`.
pub const MAX_COLS: u32 = 16_384;
/// The most bytes one part may unpack to (a sheet of a million order lines is ~200 MB).
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// The most bytes all parts together may unpack to.
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
/// The longest single XML element or text (Excel limits a cell to 32,767 characters).
pub const MAX_EVENT_BYTES: u64 = 16 << 20;
/// The most entries of the shared-string table (a million rows of 16 distinct texts).
pub const MAX_SHARED_STRINGS: u64 = 1 << 24;
/// The most parts (files) in the archive; a workbook has a few dozen.
pub const MAX_PARTS: usize = 100_000;

/// Where in a workbook [`check_workbook`] found damage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DamagePlace {
    /// A worksheet, by the name on its tab.
    Sheet(String),
    /// A part of the archive that is not a named worksheet (its path inside the archive).
    Part(String),
    /// The archive as a whole.
    Archive,
}

impl DamagePlace {
    fn message(&self, lang: Language) -> Option<String> {
        let zh = lang == Language::ZhCn;
        match self {
            DamagePlace::Sheet(s) => Some(if zh { format!("工作表“{s}”") } else { format!("sheet “{s}”") }),
            DamagePlace::Part(p) => Some(if zh { format!("文件内部的“{p}”") } else { format!("the part “{p}” inside the file") }),
            DamagePlace::Archive => None,
        }
    }
}

/// A row or cell as a message shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// As the file writes it (cut to 40 characters), or the A1 address of a cell written
    /// without one.
    Written(String),
    /// A row (1-based) written without a number, counted as calamine counts it.
    Row(u64),
}

impl Reference {
    fn message(&self, lang: Language) -> String {
        match self {
            Reference::Written(s) => s.clone(),
            Reference::Row(n) => if lang == Language::ZhCn { format!("第 {n} 行") } else { format!("row {n}") },
        }
    }
}

/// What is wrong with a workbook that [`check_workbook`] refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkbookDamage {
    /// A sheet's used range (`<dimension ref>`) is not a cell range.
    BadRange {
        /// The range as written (cut to 40 characters).
        reference: String,
    },
    /// A sheet's used range has its corners reversed (e.g. `B5:A1`).
    ReversedRange {
        /// The range as written.
        reference: String,
    },
    /// A row or cell reference is not a row number / cell address (e.g. `A0`, `A1B`, twice
    /// on one element).
    BadReference {
        /// The reference as written (cut to 40 characters).
        reference: String,
    },
    /// A row or cell lies beyond Excel's 1,048,576 rows or 16,384 columns.
    BeyondLimits {
        /// The row or cell.
        reference: Reference,
    },
    /// A row or cell comes before the previous one.
    OutOfOrder {
        /// The row or cell out of order.
        reference: Reference,
    },
    /// A worksheet cannot be decompressed (damaged data, wrong checksum).
    BadPart,
    /// The archive is larger than the limits (see the module docs).
    TooLarge,
}

impl WorkbookDamage {
    /// The damage as a phrase in the given language (without the place, which
    /// [`TableError::message`] adds, and without the "damaged workbook" lead).
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            WorkbookDamage::BadRange { reference } => if zh {
                format!("数据区域“{reference}”不是有效的单元格区域")
            } else {
                format!("the used range “{reference}” is not a valid cell range")
            },
            WorkbookDamage::ReversedRange { reference } => if zh {
                format!("数据区域“{reference}”起止单元格颠倒")
            } else {
                format!("the used range “{reference}” has its corners reversed")
            },
            WorkbookDamage::BadReference { reference } => if zh {
                format!("“{reference}”不是有效的行号或单元格地址")
            } else {
                format!("“{reference}” is not a valid row number or cell address")
            },
            WorkbookDamage::BeyondLimits { reference } => if zh {
                format!("“{}”超出了 Excel 的范围（最多 1,048,576 行、16,384 列）", reference.message(lang))
            } else {
                format!("“{}” lies beyond Excel's limits (1,048,576 rows, 16,384 columns)", reference.message(lang))
            },
            WorkbookDamage::OutOfOrder { reference } => if zh {
                format!("行或单元格“{}”排在它前面的行或单元格之前（顺序错乱）", reference.message(lang))
            } else {
                format!("the row or cell “{}” comes before the one written ahead of it (out of order)", reference.message(lang))
            },
            WorkbookDamage::BadPart => if zh { "无法解压".into() } else { "cannot be decompressed".into() },
            WorkbookDamage::TooLarge => if zh {
                "解压后过大（可能是压缩炸弹）".into()
            } else {
                "it unpacks to more than the supported size (a zip bomb?)".into()
            },
        }
    }
}

/// "place: damage" (or the damage alone for the whole archive).
pub(super) fn damaged_message(place: &DamagePlace, damage: &WorkbookDamage, lang: Language) -> String {
    let what = damage.message(lang);
    match place.message(lang) {
        Some(p) if lang == Language::ZhCn => format!("{p}中，{what}"),
        Some(p) => format!("in {p}, {what}"),
        None => what,
    }
}

/// Cuts user text shown in a message.
fn shown(s: &str) -> String {
    if s.chars().count() > 40 {
        s.chars().take(40).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// Checks an `.xlsx` workbook (see the module docs). `Ok` means calamine may read it:
/// it may still fail, but with an error, not a panic.
pub fn check_workbook(bytes: &[u8]) -> Result<(), TableError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| TableError::NotAWorkbook(e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(TableError::DamagedWorkbook { place: DamagePlace::Archive, damage: WorkbookDamage::TooLarge });
    }
    let mut total = 0u64;
    let mut strings = 0u64;
    for i in 0..zip.len() {
        // A part that cannot be opened (encrypted, an unknown compression) cannot be opened
        // by calamine either: it fails with an error when it needs it.
        let Ok(file) = zip.by_index(i) else { continue };
        if file.is_dir() {
            continue;
        }
        let name = file.name().map(|n| n.to_string()).unwrap_or_default();
        let budget = MAX_PART_BYTES.min(MAX_TOTAL_BYTES - total);
        let scanned = match fast_scan_part(file, budget, &mut strings) {
            Some(result) => result,
            // Read again, with the event reader.
            None => match zip.by_index(i) {
                Ok(file) => scan_part(file, budget, &mut strings),
                Err(_) => continue,
            },
        };
        let damage = match scanned {
            Ok(used) => {
                total += used;
                continue;
            }
            // What was unpacked before the damage has been checked, and calamine cannot read
            // past it either (it fails with an error there). Only a damaged worksheet is
            // refused here, by its name; calamine does not read most other parts (themes,
            // `docProps/`, media), and those it reads it refuses itself.
            Err(Damage::Io) => match sheet_of_part(&mut zip, &name) {
                Some(sheet) => return Err(TableError::DamagedWorkbook { place: DamagePlace::Sheet(shown(&sheet)), damage: WorkbookDamage::BadPart }),
                None => continue,
            },
            Err(Damage::Limit) => {
                return Err(TableError::DamagedWorkbook { place: DamagePlace::Archive, damage: WorkbookDamage::TooLarge });
            }
            Err(Damage::Found(d)) => d,
        };
        let place = match sheet_of_part(&mut zip, &name) {
            Some(sheet) => DamagePlace::Sheet(shown(&sheet)),
            None => DamagePlace::Part(shown(&name)),
        };
        return Err(TableError::DamagedWorkbook { place, damage });
    }
    Ok(())
}

/// The name on the tab of the worksheet stored in `part`, from `xl/workbook.xml` and its
/// relationships (as calamine finds sheets); `None` when the part is not a listed sheet or
/// those parts do not read.
fn sheet_of_part<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, part: &str) -> Option<String> {
    // Relationship id → target part.
    let mut target_of = Vec::new();
    for_each_start(zip, "xl/_rels/workbook.xml.rels", |local, attrs| {
        if local == "Relationship" {
            let (mut id, mut target) = (None, None);
            for (k, v) in raw_attrs(attrs) {
                match k {
                    "Id" => id = Some(v.to_string()),
                    "Target" => target = Some(v.to_string()),
                    _ => {}
                }
            }
            if let (Some(id), Some(t)) = (id, target) {
                let path = match t.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{t}"),
                };
                target_of.push((id, path));
            }
        }
    })?;
    let mut found = None;
    for_each_start(zip, "xl/workbook.xml", |local, attrs| {
        if local == "sheet" && found.is_none() {
            let (mut name, mut id) = (None, None);
            for (k, v) in raw_attrs(attrs) {
                if k == "name" {
                    name = Some(v);
                } else if k == "id" || k.ends_with(":id") {
                    id = Some(v);
                }
            }
            if let (Some(name), Some(id)) = (name, id) {
                if target_of.iter().any(|(i, t)| i == id && t == part) {
                    found = Some(quick_xml::escape::unescape(name).map(|n| n.into_owned()).unwrap_or_else(|_| name.to_string()));
                }
            }
        }
    })?;
    found
}

/// Calls `f(local name, raw attributes)` for every start tag of a (small) part, up to the
/// first XML error; `None` when the part is missing or does not decompress.
fn for_each_start<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, part: &str, mut f: impl FnMut(&str, &str)) -> Option<()> {
    let file = zip.by_name(part).ok()?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(file.take(MAX_EVENT_BYTES)));
    xml.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => f(e.local_name().as_ref(), e.attributes_raw()),
            Ok(Event::Eof) | Err(_) => return Some(()),
            Ok(_) => {}
        }
    }
}

#[derive(Debug, PartialEq)]
enum Damage {
    Io,
    Limit,
    Found(WorkbookDamage),
}

/// Counts the bytes read through it and fails past a limit, or when one XML event grows
/// past [`MAX_EVENT_BYTES`] (`mark` is where the current event began).
struct Limited<R> {
    inner: R,
    read: u64,
    limit: u64,
    mark: Rc<Cell<u64>>,
    over: Rc<Cell<bool>>,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read >= self.limit || self.read.saturating_sub(self.mark.get()) > MAX_EVENT_BYTES {
            self.over.set(true);
            return Err(std::io::Error::other("workbook part over the size limit"));
        }
        let room = usize::try_from(self.limit - self.read).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(&mut buf[..room])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// calamine's counters and the order check of one part.
#[derive(Default)]
struct Positions {
    /// Inside `<sheetData>` (calamine reads rows and cells only there).
    in_data: bool,
    /// The 0-based row calamine assigns to a cell without a reference.
    row: u64,
    /// The 0-based column calamine assigns to a cell without a reference.
    col: u64,
    /// Inside a `<row>` (its start seen, its end not yet).
    in_row: bool,
    /// The last row started.
    last_row: Option<u64>,
    /// The last cell.
    last_cell: Option<(u64, u64)>,
}

/// Reads one part; returns the bytes it unpacked to.
fn scan_part<R: Read>(file: R, budget: u64, strings: &mut u64) -> Result<u64, Damage> {
    let mark = Rc::new(Cell::new(0u64));
    let over = Rc::new(Cell::new(false));
    let limited = Limited { inner: file, read: 0, limit: budget, mark: mark.clone(), over: over.clone() };
    // The reader and its configuration exactly as calamine's `xml_reader`.
    // A larger buffer than BufReader's 8 KiB: fewer refills of a 200 MB sheet. Events are
    // the same whatever the buffer's size.
    let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(64 << 10, limited));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut pos = Positions::default();
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf);
        mark.set(xml.buffer_position());
        match event {
            Ok(Event::Start(e)) => pos.start(&e, strings)?,
            Ok(Event::End(e)) => pos.end(e.local_name().as_ref())?,
            Ok(Event::Eof) => return Ok(xml.get_ref().get_ref().read),
            Ok(_) => {}
            Err(quick_xml::Error::Io(_)) if over.get() => return Err(Damage::Limit),
            Err(quick_xml::Error::Io(_)) => return Err(Damage::Io),
            // calamine stops at the same place with an error.
            Err(_) => return Ok(xml.get_ref().get_ref().read),
        }
    }
}

/// The longest markup or text [`fast_scan_part`] takes on; a longer one is left to
/// [`scan_part`] (which has the exact limit, [`MAX_EVENT_BYTES`]).
const FAST_EVENT_BYTES: usize = 1 << 20;

/// [`scan_part`] for the plain XML that spreadsheet programs write, at several times its
/// speed: the part is read in large blocks and split into tags by hand, and only the
/// elements the check looks at (`dimension`, `sheetData`, `row`, `c`, `si` and the end of
/// `row`) are made into quick-xml elements, for the same checks. `None` when the part has
/// anything whose reading by quick-xml is not plainly the same (comments, CDATA,
/// declarations of a type, processing instructions after the XML declaration, character
/// references, invalid UTF-8, a stray end tag, an end tag with spaces or quotes, a tag that
/// does not start with a letter, a `<` inside a tag, a byte-order mark, an encoding other
/// than UTF-8), anything over the size limits, or an error while unpacking: the caller then
/// scans the part with [`scan_part`], which sees exactly what calamine sees. Hand-written
/// because no XML reader offers this split without building every event; the property
/// test `fast_scan_agrees_with_the_event_reader` holds it to [`scan_part`]'s results.
fn fast_scan_part<R: Read>(file: R, budget: u64, strings: &mut u64) -> Option<Result<u64, Damage>> {
    fast_scan_blocks(file, budget, strings, 1 << 20)
}

/// [`fast_scan_part`] reading `block` bytes at a time (small in tests, so that tags and
/// texts fall across blocks).
fn fast_scan_blocks<R: Read>(file: R, budget: u64, strings: &mut u64, block: usize) -> Option<Result<u64, Damage>> {
    // The shared strings counted so far, this part's added; kept only when this scan
    // answers (the event reader counts them again otherwise).
    let mut found = *strings;
    let answer = fast_scan_counting(file, budget, &mut found, block);
    if answer.is_some() {
        *strings = found;
    }
    answer
}

/// [`fast_scan_blocks`], counting the shared strings in `found` whatever it answers.
fn fast_scan_counting<R: Read>(mut file: R, budget: u64, found: &mut u64, block: usize) -> Option<Result<u64, Damage>> {
    let mut pos = Positions::default();
    let mut buf: Vec<u8> = Vec::with_capacity(2 * block);
    let mut total = 0u64;
    let mut depth = 0u64;
    let mut first = true;
    let mut ended = false;
    while !ended {
        // Refill: what is left of the last block, then up to a block more.
        let old = buf.len();
        match (&mut file).take(block as u64).read_to_end(&mut buf) {
            Ok(_) => {}
            Err(_) => return None,
        }
        let n = buf.len() - old;
        total += n as u64;
        // At the budget the event reader fails (it reads once more to find the end).
        if total >= budget {
            return None;
        }
        ended = n == 0;
        if first && !buf.is_empty() {
            // The first tag whole before it is looked at.
            if !ended && memchr::memchr(b'>', &buf).is_none() {
                if buf.len() > FAST_EVENT_BYTES {
                    return None;
                }
                continue;
            }
            first = false;
            // No byte-order mark or text before the first tag; the XML declaration, if
            // any, in UTF-8 and without a `>` inside.
            if buf[0] != b'<' {
                return None;
            }
            if buf.starts_with(b"<?") {
                let end = memchr::memchr(b'>', &buf)?;
                let decl = std::str::from_utf8(&buf[..end + 1]).ok()?;
                let Some(inner) = decl.strip_prefix("<?xml ").and_then(|d| d.strip_suffix("?>")) else { return None };
                if inner.contains('?') || inner.contains('&') || (inner.contains("encoding") && !inner.to_ascii_lowercase().contains("encoding=\"utf-8\"")) {
                    return None;
                }
                buf.drain(..end + 1);
            }
        }
        // The block up to its last `<` (or all of it at the end), as text: a `<` is ASCII,
        // so invalid UTF-8 before it is invalid for quick-xml too. No character reference
        // anywhere (in a text quick-xml reads it, and may fail on it).
        let limit = if ended { buf.len() } else { memchr::memrchr(b'<', &buf).unwrap_or(0) };
        let region = std::str::from_utf8(&buf[..limit]).ok()?;
        if memchr::memchr(b'&', region.as_bytes()).is_some() {
            return None;
        }
        let bytes = region.as_bytes();
        // Whole tags only; the rest waits for the next block (or is, at the end, an
        // unclosed tag, or text after the last tag).
        let mut at = 0;
        while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|k| at + k) {
            // The tag's end: the first `>` outside quotes (quick-xml's rule for start and
            // end tags alike). Tags are short: a loop over their bytes.
            // A `<` outside quotes on the way is noted: such a tag is left to quick-xml.
            let mut quote = 0u8;
            let mut close = None;
            let mut stray_lt = false;
            for (k, &b) in bytes[lt + 1..].iter().enumerate() {
                match b {
                    b'>' if quote == 0 => {
                        close = Some(lt + 1 + k);
                        break;
                    }
                    b'<' if quote == 0 => stray_lt = true,
                    b'"' | b'\'' if quote == 0 => quote = b,
                    _ if b == quote => quote = 0,
                    _ => {}
                }
            }
            let Some(close) = close else {
                if ended {
                    return None;
                }
                at = lt;
                break;
            };
            let tag = &region[lt + 1..close];
            at = close + 1;
            if stray_lt {
                return None;
            }
            if let Some(name) = tag.strip_prefix('/') {
                if depth == 0 || name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'')) {
                    return None;
                }
                depth -= 1;
                if let Err(d) = pos.end(local(name)) {
                    return Some(Err(d));
                }
                continue;
            }
            if !tag.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
                return None;
            }
            let (content, empty) = match tag.strip_suffix('/') {
                Some(c) => (c, true),
                None => (tag, false),
            };
            let name_len = content.bytes().position(|b| matches!(b, b' ' | b'\r' | b'\n' | b'\t')).unwrap_or(content.len());
            let name = local(&content[..name_len]);
            if matches!(name, "dimension" | "sheetData" | "row" | "c" | "si") {
                let e = BytesStart::from_content(content, name_len);
                if let Err(d) = pos.start(&e, found) {
                    return Some(Err(d));
                }
            }
            if empty {
                // Expanded as calamine's reader expands it: the start, then the end.
                if let Err(d) = pos.end(name) {
                    return Some(Err(d));
                }
            } else {
                depth += 1;
            }
        }
        if !ended && memchr::memchr(b'<', &bytes[at..]).is_none() {
            // Text up to the last `<`: done with.
            at = limit;
        }
        buf.drain(..at);
        if buf.len() > FAST_EVENT_BYTES {
            // One tag or text longer than this.
            return None;
        }
    }
    Some(Ok(total))
}

/// The local part of an element name (after the first `:`), as quick-xml gives it.
fn local(name: &str) -> &str {
    match memchr::memchr(b':', name.as_bytes()) {
        Some(k) => &name[k + 1..],
        None => name,
    }
}

impl Positions {
    /// A start tag, as calamine will meet it.
    fn start(&mut self, e: &BytesStart<'_>, strings: &mut u64) -> Result<(), Damage> {
        match e.local_name().as_ref() {
            "dimension" => check_dimension(e).map_err(Damage::Found)?,
            "sheetData" => {
                // Order restarts in each sheet data (external-link parts have one per
                // linked sheet); calamine's counters do not.
                self.in_data = true;
                self.last_row = None;
                self.last_cell = None;
            }
            "row" if self.in_data => self.row_start(e).map_err(Damage::Found)?,
            "c" if self.in_data => self.cell(e).map_err(Damage::Found)?,
            "si" => {
                *strings += 1;
                if *strings > MAX_SHARED_STRINGS {
                    return Err(Damage::Limit);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// An end tag by its local name.
    fn end(&mut self, local: &str) -> Result<(), Damage> {
        if self.in_data && local == "row" {
            self.row += 1;
            self.col = 0;
            self.in_row = false;
            if self.row > u64::from(MAX_ROWS) {
                return Err(Damage::Found(WorkbookDamage::BeyondLimits { reference: Reference::Row(self.row + 1) }));
            }
        }
        Ok(())
    }

    fn row_start(&mut self, e: &BytesStart<'_>) -> Result<(), WorkbookDamage> {
        if let Some(r) = single_r(e)? {
            self.row = parse_row(r).ok_or_else(|| bad_or_beyond(r))?;
        }
        if self.row >= u64::from(MAX_ROWS) {
            return Err(WorkbookDamage::BeyondLimits { reference: Reference::Row(self.row + 1) });
        }
        if self.last_row.is_some_and(|last| self.row <= last) {
            return Err(WorkbookDamage::OutOfOrder { reference: Reference::Row(self.row + 1) });
        }
        self.last_row = Some(self.row);
        self.in_row = true;
        Ok(())
    }

    fn cell(&mut self, e: &BytesStart<'_>) -> Result<(), WorkbookDamage> {
        let (row, col, written) = match single_r(e)? {
            Some(r) => {
                let (row, col) = parse_cell(r).ok_or_else(|| bad_or_beyond(r))?;
                self.col = col;
                (row, col, Some(r))
            }
            None => (self.row, self.col, None),
        };
        // Made only for a message: a million-row sheet has millions of cells.
        let shown_ref = || Reference::Written(written.map_or_else(|| address(row, col), shown));
        if row >= u64::from(MAX_ROWS) || col >= u64::from(MAX_COLS) {
            return Err(WorkbookDamage::BeyondLimits { reference: shown_ref() });
        }
        let out_of_row = self.in_row && row != self.row;
        if out_of_row || self.last_cell.is_some_and(|last| (row, col) <= last) {
            return Err(WorkbookDamage::OutOfOrder { reference: shown_ref() });
        }
        self.last_cell = Some((row, col));
        self.col += 1;
        Ok(())
    }
}

/// The `r` attribute of a row or cell; two are damage. Attributes are split as calamine
/// splits them (raw, not unescaped); a malformed attribute ends the list (calamine fails
/// on it, or has found `r` before it).
fn single_r<'a>(e: &'a BytesStart<'_>) -> Result<Option<&'a str>, WorkbookDamage> {
    let mut found = None;
    for (key, value) in raw_attrs(e.attributes_raw()) {
        if key == "r" {
            if found.is_some() {
                return Err(WorkbookDamage::BadReference { reference: shown(value) });
            }
            found = Some(value);
        }
    }
    Ok(found)
}

fn check_dimension(e: &BytesStart<'_>) -> Result<(), WorkbookDamage> {
    for (key, value) in raw_attrs(e.attributes_raw()) {
        if key != "ref" {
            continue;
        }
        let mut corners = value.split(':');
        let (Some(a), b, None) = (corners.next(), corners.next(), corners.next()) else {
            return Err(WorkbookDamage::BadRange { reference: shown(value) });
        };
        let start = parse_cell(a).ok_or_else(|| WorkbookDamage::BadRange { reference: shown(value) })?;
        let Some(b) = b else { continue };
        let end = parse_cell(b).ok_or_else(|| WorkbookDamage::BadRange { reference: shown(value) })?;
        if start.0 > end.0 || start.1 > end.1 {
            return Err(WorkbookDamage::ReversedRange { reference: shown(value) });
        }
    }
    Ok(())
}

/// Attributes as calamine's raw iterator splits them: key up to `=` (trailing space
/// trimmed), a quoted value; stops at the first malformed one.
fn raw_attrs(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    let bytes = raw.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let key_start = pos;
        while pos < bytes.len() && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= bytes.len() {
            return None;
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = *bytes.get(pos).filter(|q| **q == b'"' || **q == b'\'')?;
        pos += 1;
        let start = pos;
        while pos < bytes.len() && bytes[pos] != quote {
            pos += 1;
        }
        let value = &raw[start..pos];
        if pos < bytes.len() {
            pos += 1;
        }
        Some((key, value))
    })
}

/// A reference that does not parse: beyond the limits when it has the shape of one
/// (letters then digits), else not a reference.
fn bad_or_beyond(r: &str) -> WorkbookDamage {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = &r.as_bytes()[letters..];
    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) && digits.iter().any(|d| *d != b'0') {
        WorkbookDamage::BeyondLimits { reference: Reference::Written(shown(r)) }
    } else {
        WorkbookDamage::BadReference { reference: shown(r) }
    }
}

/// A row number `1..=MAX_ROWS` (digits only) as a 0-based row.
fn parse_row(r: &str) -> Option<u64> {
    if r.is_empty() || r.len() > 7 || !r.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = r.parse().ok()?;
    (1..=u64::from(MAX_ROWS)).contains(&n).then(|| n - 1)
}

/// A cell address (1-3 letters of either case, then a row number) as 0-based (row, col).
fn parse_cell(r: &str) -> Option<(u64, u64)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let col = r.as_bytes()[..letters].iter().fold(0u64, |acc, b| acc * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1);
    if col > u64::from(MAX_COLS) {
        return None;
    }
    Some((parse_row(&r[letters..])?, col - 1))
}

/// The A1 address of a 0-based position.
fn address(row: u64, col: u64) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces of worksheet XML: plain ones, and ones quick-xml reads in its own way or
    /// fails on (the fast scan must give them to the event reader).
    const PIECES: &[&str] = &[
        "<row r=\"1\">", "<row r=\"2\">", "<row r=\"3\">", "<row>", "</row>", "<row r=\"4\"/>", "<x:row r=\"5\">", "</x:row>",
        "<c r=\"A1\" t=\"s\"><v>0</v></c>", "<c r=\"B1\"><v>1.5</v></c>", "<c r=\"A2\"/>", "<c/>", "<c>", "</c>", "<c r=\"C3\" s=\"1\" />",
        "<c r=\"A0\"/>", "<c r=\"XFE1\"/>", "<c r=\"A1\" r=\"B1\"/>", "<row r=\"1048577\">", "<c r=\"AAAAAAAA1\"/>",
        "<v>7</v>", "<si><t>x</t></si>", "<dimension ref=\"A1:C3\"/>", "<dimension ref=\"C3:A1\"/>", "<sheetData>", "</sheetData>",
        "<!-- <c r=\"A9\"/> -->", "<![CDATA[<row r=\"9\">]]>", "a &amp; b", "&#x41;", "<?pi x?>", "</stray>", "</row >",
        "<c r=\"D4\" a=\"x>y\"/>", "<c a='q\"' r=\"E4\">", "< c>", "<c a=\"<\"/>", "\r\n", "阀门", " ", "<>", "</>", "<",
    ];

    fn sheet_doc(decl: usize, picks: &[usize], cut: Option<usize>, bad_byte: Option<usize>) -> Vec<u8> {
        let mut doc = String::new();
        doc.push_str(["", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n", "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "\u{feff}<?xml version=\"1.0\"?>", "\n"][decl % 6]);
        doc.push_str("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        // Mostly the first 26 pieces (elements as programs write them, some of them
        // damaged), now and then any.
        for &k in picks {
            doc.push_str(if k < 185 { PIECES[k % 26] } else { PIECES[k % PIECES.len()] });
        }
        doc.push_str("</sheetData></worksheet>");
        let mut bytes = doc.into_bytes();
        if let Some(b) = bad_byte {
            let at = b % (bytes.len() + 1);
            bytes.insert(at, 0xff);
        }
        if let Some(c) = cut {
            bytes.truncate(c % (bytes.len() + 1));
        }
        bytes
    }

    /// A plain sheet of `rows` rows as spreadsheet programs write it.
    fn plain_sheet(rows: u32) -> Vec<u8> {
        let mut doc = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"A1:C");
        doc.push_str(&format!("{rows}\"/><sheetData>"));
        for r in 1..=rows {
            doc.push_str(&format!("<row r=\"{r}\" spans=\"1:3\"><c r=\"A{r}\" t=\"s\"><v>{r}</v></c><c r=\"B{r}\" s=\"1\"><v>45000</v></c><c r=\"C{r}\"><v>100.5</v></c></row>"));
        }
        doc.push_str("</sheetData></worksheet>");
        doc.into_bytes()
    }

    #[test]
    fn plain_sheets_take_the_fast_scan_and_agree_with_the_event_reader() {
        let doc = plain_sheet(3000);
        for block in [1, 7, 64, 4096, 1 << 20] {
            let (mut fast_strings, mut slow_strings) = (0, 0);
            let fast = fast_scan_blocks(&doc[..], MAX_PART_BYTES, &mut fast_strings, block);
            assert_eq!(fast, Some(scan_part(&doc[..], MAX_PART_BYTES, &mut slow_strings)), "block {block}");
            assert_eq!(fast, Some(Ok(doc.len() as u64)));
        }
        // Damage found the fast way is the event reader's damage.
        let mut damaged = plain_sheet(50);
        let at = damaged.windows(8).position(|w| w == b"r=\"30\" s").expect("row 30");
        damaged.splice(at..at + 6, b"r=\"20\"".iter().copied());
        let fast = fast_scan_blocks(&damaged[..], MAX_PART_BYTES, &mut 0, 16);
        assert!(matches!(fast, Some(Err(Damage::Found(WorkbookDamage::OutOfOrder { .. })))), "{fast:?}");
        assert_eq!(fast, Some(scan_part(&damaged[..], MAX_PART_BYTES, &mut 0)));
        // At the size budget, the event reader decides.
        assert_eq!(fast_scan_blocks(&doc[..], doc.len() as u64, &mut 0, 4096), None);
    }

    proptest::proptest! {
        /// Whatever the pieces, the cuts and the block size: where the fast scan answers,
        /// its answer (bytes read, damage, shared strings counted) is the event reader's.
        #[test]
        fn fast_scan_agrees_with_the_event_reader(
            decl in 0usize..6,
            picks in proptest::collection::vec(0usize..200, 0..40),
            cut in proptest::option::weighted(0.2, 0usize..4000),
            bad in proptest::option::weighted(0.1, 0usize..4000),
            block in 1usize..300,
            before in 0u64..3,
        ) {
            let doc = sheet_doc(decl, &picks, cut, bad);
            let (mut fast_strings, mut slow_strings) = (before, before);
            let budget = MAX_PART_BYTES;
            if let Some(fast) = fast_scan_blocks(&doc[..], budget, &mut fast_strings, block) {
                let slow = scan_part(&doc[..], budget, &mut slow_strings);
                proptest::prop_assert_eq!(fast, slow, "{}", String::from_utf8_lossy(&doc));
                proptest::prop_assert_eq!(fast_strings, slow_strings);
            } else {
                proptest::prop_assert_eq!(fast_strings, before);
            }
        }
    }

    #[test]
    fn references_parse_within_excel_limits() {
        assert_eq!(parse_cell("A1"), Some((0, 0)));
        assert_eq!(parse_cell("xfd1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_cell("XFE1"), None);
        assert_eq!(parse_cell("A1048577"), None);
        assert_eq!(parse_cell("A0"), None);
        assert_eq!(parse_cell("AAAAAAAA1"), None);
        assert_eq!(parse_cell("A99999999999"), None);
        assert_eq!(parse_cell("1"), None);
        assert_eq!(parse_cell("$A$1"), None);
        assert_eq!(parse_row("1"), Some(0));
        assert_eq!(parse_row("0"), None);
        assert_eq!(parse_row("4294967296"), None);
        assert_eq!(address(0, 0), "A1");
        assert_eq!(address(6, 16_384), "XFE7");
        assert_eq!(address(0, 26), "AA1");
        assert!(matches!(bad_or_beyond("A99999999999"), WorkbookDamage::BeyondLimits { .. }));
        assert!(matches!(bad_or_beyond("A0"), WorkbookDamage::BadReference { .. }));
        assert!(matches!(bad_or_beyond("A1B"), WorkbookDamage::BadReference { .. }));
    }

    #[test]
    fn attributes_split_as_calamine_splits_them() {
        let got: Vec<_> = raw_attrs(r#" r="A1" s = '3' t="s"  "#).collect();
        assert_eq!(got, [("r", "A1"), ("s", "3"), ("t", "s")]);
        let got: Vec<_> = raw_attrs(r#" r="A1" junk x="1""#).collect();
        assert_eq!(got, [("r", "A1"), ("junk x", "1")]);
        assert_eq!(raw_attrs(r#" r=A1 s="1""#).count(), 0);
    }

    /// An `.xlsx` built by hand (stored parts, right checksums): one sheet named 订单 whose
    /// `<worksheet>` content is `sheet`, and a second, well-formed sheet.
    fn workbook(sheet: &str) -> Vec<u8> {
        use std::io::Write;
        let parts: [(&str, String); 6] = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="说明" sheetId="2" r:id="rId2"/><sheet name="订单" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#.into()),
            ("xl/worksheets/sheet2.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>见订单</t></is></c></row></sheetData></worksheet>"#)),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet}</worksheet>"#)),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, body) in parts {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(body.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip").into_inner()
    }

    const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>客户编号</t></is></c><c r="B1" t="inlineStr"><is><t>金额</t></is></c></row>"#;

    fn damage_of(bytes: &[u8]) -> (DamagePlace, WorkbookDamage) {
        match check_workbook(bytes) {
            Err(TableError::DamagedWorkbook { place, damage }) => (place, damage),
            other => panic!("expected damage, got {other:?}"),
        }
    }

    /// Every way the app and the command line read a workbook gives the same typed error.
    fn every_reader_refuses(bytes: &[u8], expected: &TableError) {
        use crate::io::table::{for_each_sheet_row, head_workbook, read_table, sheet_names, FileFormat, Workbook};
        assert_eq!(Workbook::open(bytes).map(|_| ()).as_ref(), Err(expected));
        assert_eq!(sheet_names(bytes).as_ref().map(|_| ()), Err(expected));
        assert_eq!(head_workbook(bytes, None, 10).map(|_| ()).as_ref(), Err(expected));
        assert_eq!(read_table(bytes.to_vec(), Some(FileFormat::Xlsx), None, None).map(|_| ()).as_ref(), Err(expected));
        let r = for_each_sheet_row(bytes, None, |_| {}, |_| std::ops::ControlFlow::Continue(()));
        assert_eq!(r.map(|_| ()).as_ref(), Err(expected));
    }

    /// calamine 0.38 itself, without the check, on the sheet 订单: the panic the check is
    /// there for (only with overflow checks, as in debug and test builds; without them the
    /// number wraps silently).
    fn calamine_panics(bytes: &[u8]) -> bool {
        use calamine::Reader;
        let bytes = bytes.to_vec();
        std::panic::catch_unwind(move || {
            let Ok(mut x) = calamine::Xlsx::new(Cursor::new(bytes)) else { return };
            if let Ok(mut cells) = x.worksheet_cells_reader("订单") {
                while let Ok(Some(_)) = cells.next_cell() {}
            };
        })
        .is_err()
    }

    #[test]
    fn a_well_formed_workbook_passes() {
        let bytes = workbook(&format!(r#"<dimension ref="A1:B2"/><sheetData>{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>C001</t></is></c><c r="B2"><v>12.5</v></c></row><row><c><v>3</v></c><c/></row></sheetData>"#));
        assert_eq!(check_workbook(&bytes), Ok(()));
        let t = crate::io::table::read_table(bytes, Some(crate::io::table::FileFormat::Xlsx), None, Some("订单")).expect("reads");
        assert_eq!(t.headers, ["客户编号", "金额"]);
        assert_eq!(t.rows, [vec!["C001".to_string(), "12.5".into()], vec!["3".into(), String::new()]]);
        // The fixture written by rust_xlsxwriter (two sheets, shared strings, styles).
        assert_eq!(check_workbook(&crate::io::table::tests::xlsx_fixture()), Ok(()));
    }

    #[test]
    fn reversed_dimension_is_refused_with_sheet_and_range() {
        let bytes = workbook(&format!(r#"<dimension ref="B5:A1"/><sheetData>{HEADER_ROW}</sheetData>"#));
        if cfg!(debug_assertions) {
            assert!(calamine_panics(&bytes), "calamine 0.38 no longer panics on a reversed <dimension>");
        }
        let (place, damage) = damage_of(&bytes);
        assert_eq!(place, DamagePlace::Sheet("订单".into()));
        assert_eq!(damage, WorkbookDamage::ReversedRange { reference: "B5:A1".into() });
        let e = TableError::DamagedWorkbook { place, damage };
        assert_eq!(e.message(Language::ZhCn), "Excel 工作簿已损坏，无法读取：工作表“订单”中，数据区域“B5:A1”起止单元格颠倒。");
        assert_eq!(e.message(Language::En), "The Excel workbook is damaged and cannot be read: in sheet “订单”, the used range “B5:A1” has its corners reversed.");
        every_reader_refuses(&bytes, &e);
        // The file fuzzing found first (a rust_xlsxwriter workbook with its <dimension>
        // reversed), reported now before calamine sees it.
        let found = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import/fuzz-crash-dimension.xlsx")).expect("fixture");
        assert!(matches!(check_workbook(&found), Err(TableError::DamagedWorkbook { damage: WorkbookDamage::ReversedRange { .. }, .. })), "{:?}", check_workbook(&found));
        // Columns reversed only, and a range that is not one.
        assert!(matches!(damage_of(&workbook(r#"<dimension ref="C1:A9"/>"#)).1, WorkbookDamage::ReversedRange { .. }));
        assert_eq!(damage_of(&workbook(r#"<dimension ref="A1:B2:C3"/>"#)).1, WorkbookDamage::BadRange { reference: "A1:B2:C3".into() });
        assert_eq!(damage_of(&workbook(r#"<dimension ref="A1:XFE1"/>"#)).1, WorkbookDamage::BadRange { reference: "A1:XFE1".into() });
    }

    #[test]
    fn row_number_overflow_is_refused_with_sheet_and_row() {
        // A row number past u32: calamine accumulates its digits in a u32 unchecked.
        let bytes = workbook(&format!(r#"<sheetData>{HEADER_ROW}<row r="99999999999"><c><v>1</v></c></row></sheetData>"#));
        if cfg!(debug_assertions) {
            assert!(calamine_panics(&bytes), "calamine 0.38 no longer panics on a row number past u32");
        }
        let (place, damage) = damage_of(&bytes);
        assert_eq!(place, DamagePlace::Sheet("订单".into()));
        assert_eq!(damage, WorkbookDamage::BeyondLimits { reference: Reference::Written("99999999999".into()) });
        let e = TableError::DamagedWorkbook { place, damage };
        assert!(e.message(Language::ZhCn).contains("工作表“订单”中，“99999999999”超出了 Excel 的范围"), "{}", e.message(Language::ZhCn));
        assert!(e.message(Language::En).contains("in sheet “订单”, “99999999999” lies beyond Excel's limits"), "{}", e.message(Language::En));
        every_reader_refuses(&bytes, &e);
    }

    #[test]
    fn cell_reference_overflow_is_refused_with_the_cell() {
        let bytes = workbook(&format!(r#"<sheetData>{HEADER_ROW}<row r="2"><c r="A4294967297"><v>1</v></c></row></sheetData>"#));
        if cfg!(debug_assertions) {
            assert!(calamine_panics(&bytes), "calamine 0.38 no longer panics on a cell row past u32");
        }
        assert_eq!(damage_of(&bytes), (DamagePlace::Sheet("订单".into()), WorkbookDamage::BeyondLimits { reference: Reference::Written("A4294967297".into()) }));
        let bytes = workbook(&format!(r#"<sheetData>{HEADER_ROW}<row r="2"><c r="AAAAAAAA2"><v>1</v></c></row></sheetData>"#));
        if cfg!(debug_assertions) {
            assert!(calamine_panics(&bytes), "calamine 0.38 no longer panics on a column past u32");
        }
        assert!(matches!(damage_of(&bytes).1, WorkbookDamage::BeyondLimits { .. }));
        // Not references at all.
        assert_eq!(damage_of(&workbook(r#"<sheetData><row r="1x"/></sheetData>"#)).1, WorkbookDamage::BadReference { reference: "1x".into() });
        assert_eq!(damage_of(&workbook(r#"<sheetData><row><c r="A0"/></row></sheetData>"#)).1, WorkbookDamage::BadReference { reference: "A0".into() });
        assert_eq!(damage_of(&workbook(r#"<sheetData><row r="1" r="2"/></sheetData>"#)).1, WorkbookDamage::BadReference { reference: "2".into() });
    }

    #[test]
    fn counted_rows_past_the_last_row_are_refused() {
        // The last row of a sheet, then one without a number: calamine counts it as row
        // 1,048,577, and after r="4294967295" its `+= 1` overflows.
        let bytes = workbook(r#"<sheetData><row r="1048576"><c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData>"#);
        let (place, damage) = damage_of(&bytes);
        assert_eq!((place, &damage), (DamagePlace::Sheet("订单".into()), &WorkbookDamage::BeyondLimits { reference: Reference::Row(1_048_577) }));
        assert!(damage.message(Language::ZhCn).contains("“第 1048577 行”"), "{}", damage.message(Language::ZhCn));
        assert!(damage.message(Language::En).contains("“row 1048577”"), "{}", damage.message(Language::En));
        let bytes = workbook(r#"<sheetData><row r="4294967295"><c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData>"#);
        if cfg!(debug_assertions) {
            assert!(calamine_panics(&bytes), "calamine 0.38 no longer panics counting past u32");
        }
        assert!(matches!(damage_of(&bytes).1, WorkbookDamage::BeyondLimits { .. }));
        // A cell counted past the last column.
        let mut cells = String::from(r#"<c r="XFD1"><v>1</v></c>"#);
        cells.push_str("<c><v>2</v></c>");
        assert_eq!(damage_of(&workbook(&format!(r#"<sheetData><row r="1">{cells}</row></sheetData>"#))).1, WorkbookDamage::BeyondLimits { reference: Reference::Written("XFE1".into()) });
    }

    #[test]
    fn rows_and_cells_out_of_order_are_refused() {
        let d = damage_of(&workbook(r#"<sheetData><row r="5"/><row r="3"/></sheetData>"#));
        assert_eq!(d, (DamagePlace::Sheet("订单".into()), WorkbookDamage::OutOfOrder { reference: Reference::Row(3) }));
        let d = damage_of(&workbook(r#"<sheetData><row r="1"><c r="B1"/><c r="A1"/></row></sheetData>"#));
        assert_eq!(d.1, WorkbookDamage::OutOfOrder { reference: Reference::Written("A1".into()) });
        let d = damage_of(&workbook(r#"<sheetData><row r="1"><c r="A2"/></row></sheetData>"#));
        assert_eq!(d.1, WorkbookDamage::OutOfOrder { reference: Reference::Written("A2".into()) });
    }

    #[test]
    fn a_part_that_is_not_a_sheet_is_named_by_its_path() {
        use std::io::Write;
        // A damaged part that no sheet points to.
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("xl/worksheets/extra.xml", options).expect("entry");
        zip.write_all(br#"<worksheet><dimension ref="B2:A1"/></worksheet>"#).expect("write");
        let bytes = zip.finish().expect("zip").into_inner();
        let (place, damage) = damage_of(&bytes);
        assert_eq!(place, DamagePlace::Part("xl/worksheets/extra.xml".into()));
        let e = TableError::DamagedWorkbook { place, damage };
        assert!(e.message(Language::ZhCn).contains("文件内部的“xl/worksheets/extra.xml”中，数据区域“B2:A1”"), "{}", e.message(Language::ZhCn));
        // A stored part whose checksum is wrong.
        let mut bytes = workbook(&format!("<sheetData>{HEADER_ROW}</sheetData>"));
        let at = bytes.windows(6).position(|w| w == "客户".as_bytes()).expect("text in a stored part");
        bytes[at] ^= 1;
        assert!(matches!(damage_of(&bytes), (DamagePlace::Sheet(_), WorkbookDamage::BadPart)), "{:?}", check_workbook(&bytes));
    }
}
