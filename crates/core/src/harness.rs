//! Drivers that run any bytes through each parser a user's file reaches, the way the app
//! (and the command line) use it, and through what follows on success. Built with the
//! `harness` feature only; shared by the fuzz targets (`fuzz/`) and by
//! `tests/fuzz_corpus.rs`, which runs every corpus file and crash case through them.
//!
//! A driver must never panic, for any input. Besides the absence of panics, some check
//! what the parsers promise: a backup that parses exports and parses back to the same
//! data; a calendar, an SLA policy and an audit trail read back from what they write; the
//! fast path of the order CSV gives the same table as the general reader. A broken promise
//! is an assertion failure, which the fuzzer reports as a crash.
//!
//! | driver | parser | where a user's file reaches it |
//! | --- | --- | --- |
//! | [`import_text`] | decode → CSV/TSV table → importer, every record kind | import wizard; `clientscope-cli import-check` |
//! | [`import_workbook`] | `.xlsx` / `.xls` → table → importer | import wizard; `clientscope-cli import-check` |
//! | [`xlsx_parts`] | the XML parts of an `.xlsx` packed into a valid zip → [`import_workbook`] | (structure-aware form of the above) |
//! | [`backup_json`] | backup JSON → plan / apply import → export | Data page (import a backup), restore; `clientscope-cli` |
//! | [`calendar_json`] | working-calendar JSON → business-time arithmetic | Complaints settings (calendar file); `clientscope-cli service` |
//! | [`sla_json`] | SLA policy JSON | `clientscope-cli service --policy` |
//! | [`audit_csv`] | complaint audit-trail CSV → replay → analysis | Complaints page (import audit trail); `clientscope-cli service` |
//! | [`visits_csv`] | visit log CSV → interactions → iCalendar, CSV | `clientscope-cli visits-ics --interactions` |
//! | [`orders_csv`] | order CSV, fast path and general reader | `clientscope-cli value --orders` |
//!
//! There is no survey JSON import: surveys come with a backup (covered by
//! [`backup_json`]) and survey responses through the import wizard ([`import_text`],
//! [`import_workbook`]).

use crate::backup::{self, ImportMode};
use crate::io::import::{ImportContext, Importer, MergeRule, UnknownChoice};
use crate::io::table::{self, CsvRows, FileFormat, RawRow, Workbook};
use crate::io::{decode, suggest, to_csv, visits, CsvEncoding, ImportKind};
use crate::model::{Customer, Dataset, Language, Survey, Timestamp};
use crate::satisfaction::templates::{from_template, Template};
use crate::service::calendar::WorkCalendar;
use crate::service::complaints::{analyse, read_audit, write_audit, ComplaintParams, SlaPolicy};
use chrono::{FixedOffset, TimeZone, Utc};

/// The rows the wizard shows before the mapping (as the app's `SAMPLE_ROWS`).
const SAMPLE_ROWS: usize = 10;

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 6, 30, 10, 0, 0).single().unwrap_or_default()
}

fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The text of a file as the browser's `File.text()` gives it (UTF-8, invalid bytes
/// replaced).
fn text_of(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A survey for response imports (answers matched to its leaves).
fn survey() -> Survey {
    from_template(Template::Blank, "s1", "fuzz", Language::ZhCn, now())
}

/// Every record kind through the importer, fed row by row as the wizard feeds it, then
/// what the review step does with the outcome.
fn import_rows(headers: &[String], rows: &[RawRow]) {
    let customers: Vec<Customer> = Vec::new();
    let survey = survey();
    for kind in ImportKind::ALL {
        let mapping = suggest(kind, headers);
        let ctx = ImportContext {
            customers: &customers,
            survey: (kind == ImportKind::Responses).then_some(&survey),
            now: now(),
            id_prefix: "f-".into(),
            merge: MergeRule::Update,
        };
        let Ok(mut imp) = Importer::new(kind, headers, &mapping, ctx) else { continue };
        for r in rows {
            imp.push(r);
        }
        let mut out = imp.finish();
        let _ = out.plan();
        let _ = out.preview(kind, &mapping, &customers, SAMPLE_ROWS);
        out.resolve_unknown(UnknownChoice::Create);
        let _ = out.plan();
    }
}

/// Any bytes through the text import: the wizard's way (decode, the first rows, then the
/// pull reader into the importer, for CSV and for TSV) and the command line's
/// ([`table::read_table`]), then the export of what was read (UTF-8 and GBK).
pub fn import_text(data: &[u8]) {
    if let Ok(decoded) = decode::decode(data.to_vec(), None) {
        for format in [FileFormat::Csv, FileFormat::Tsv] {
            let _ = table::head_text(&decoded.text, Some(format), SAMPLE_ROWS);
            let delimiter = (format == FileFormat::Tsv).then_some(b'\t');
            let Ok(mut reader) = CsvRows::new(&decoded.text, delimiter) else { continue };
            let headers = reader.headers().to_vec();
            let mut rows = Vec::new();
            while let Some(r) = reader.next_row() {
                rows.push(r);
            }
            let _ = reader.position();
            import_rows(&headers, &rows);
        }
    }
    if let Ok(t) = table::read_table(data.to_vec(), Some(FileFormat::Csv), None, None) {
        let _ = to_csv(&t.headers, &t.rows, CsvEncoding::Utf8Bom);
        let _ = to_csv(&t.headers, &t.rows, CsvEncoding::Gbk);
    }
}

/// Any bytes through the workbook import: the wizard's way (the first rows of the first
/// sheet, then of each sheet, then every row of each sheet through the pull reader into the
/// importer) and the command line's ([`table::read_table`], the push reader).
pub fn import_workbook(data: &[u8]) {
    let _ = table::head_workbook(data, None, SAMPLE_ROWS);
    if let Ok(mut wb) = Workbook::open(data) {
        let names = wb.sheet_names().to_vec();
        for name in &names {
            let Ok(mut rows) = wb.rows(Some(name)) else { continue };
            let _ = rows.declared_rows();
            let headers = rows.headers().to_vec();
            let mut all = Vec::new();
            while let Ok(Some(r)) = rows.next_row() {
                all.push(r);
            }
            drop(rows);
            import_rows(&headers, &all);
        }
        for name in &names {
            let _ = table::head_workbook(data, Some(name), SAMPLE_ROWS);
        }
    }
    if let Ok(t) = table::read_table(data.to_vec(), Some(FileFormat::Xlsx), None, None) {
        let _ = to_csv(&t.headers, &t.rows, CsvEncoding::Utf8Bom);
    }
}

/// The separator of the parts in an [`xlsx_parts`] input.
pub const PART_SEPARATOR: &[u8] = b"\n--clientscope-part--\n";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="订单" sheetId="1" r:id="rId1"/><sheet name="Sheet2" sheetId="2" r:id="rId2"/></sheets></workbook>"#;

/// Packs parts into an `.xlsx` (stored, not compressed, with right checksums): the input
/// split at [`PART_SEPARATOR`] gives `xl/worksheets/sheet1.xml`, `xl/sharedStrings.xml`,
/// `xl/styles.xml` and `xl/worksheets/sheet2.xml` (missing ones are left out); the
/// workbook, its relationships and content types are fixed.
pub fn pack_xlsx(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut rest = data;
    while parts.len() < 3 {
        match rest.windows(PART_SEPARATOR.len()).position(|w| w == PART_SEPARATOR) {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + PART_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    let names = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet2.xml"];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let fixed: [(&str, &[u8]); 4] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", PACKAGE_RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
    ];
    for (name, body) in fixed.into_iter().chain(names.into_iter().zip(parts)) {
        if zip.start_file(name, options).is_err() || zip.write_all(body).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// The XML of a workbook's parts (see [`pack_xlsx`]) through [`import_workbook`]: lets the
/// fuzzer change the sheet XML directly instead of its compressed form.
pub fn xlsx_parts(data: &[u8]) {
    import_workbook(&pack_xlsx(data));
}

/// Any text as a backup, read as the Data page reads it; also with its checksum and
/// counts made right, so that the decoding, migration and validation behind them are
/// reached. A backup that parses is planned and applied (replace and merge, into nothing
/// and into itself), and must export and parse back to the same data.
pub fn backup_json(data: &[u8]) {
    let text = text_of(data);
    if let Ok(b) = backup::parse(&text) {
        after_backup(b);
    }
    if let Some(fixed) = with_valid_checksum(&text) {
        if let Ok(b) = backup::parse(&fixed) {
            after_backup(b);
        }
    }
}

/// The text with its `checksum` and `counts` computed from its `data`, when it is a JSON
/// object with data.
pub fn with_valid_checksum(text: &str) -> Option<String> {
    let mut v: serde_json::Value = serde_json::from_str(text).ok()?;
    let obj = v.as_object_mut()?;
    let data = obj.get("data")?;
    let checksum = backup::checksum(data);
    let mut counts = serde_json::Map::new();
    if let Some(sections) = data.as_object() {
        for (k, s) in sections {
            if let Some(a) = s.as_array() {
                counts.insert(k.clone(), a.len().into());
            }
        }
    }
    obj.insert("checksum".into(), checksum.into());
    let keep_counts = obj.get("counts").and_then(|c| c.as_object()).cloned().unwrap_or_default();
    let mut merged = keep_counts;
    merged.extend(counts);
    obj.insert("counts".into(), merged.into());
    serde_json::to_string(&v).ok()
}

fn after_backup(b: backup::Backup) {
    let empty = Dataset::default();
    for mode in [ImportMode::Replace, ImportMode::Merge] {
        let _ = backup::plan_import(&empty, &b.data, mode);
        let _ = backup::plan_import(&b.data, &b.data, mode);
        let _ = backup::apply_import(&b.data, b.data.clone(), mode);
    }
    let text = backup::export(&b.data, &b.settings, "fuzz", b.header.exported_at).expect("a parsed backup exports");
    let again = backup::parse(&text).expect("an exported backup parses");
    assert_eq!(format!("{:?}", again.data), format!("{:?}", b.data), "the data round-trips");
}

/// Any text as the working-calendar JSON of the Complaints settings; a calendar that reads
/// is written and read back (the same calendar) and does business-time arithmetic.
pub fn calendar_json(data: &[u8]) {
    let Ok(cal) = WorkCalendar::from_json(&text_of(data)) else { return };
    let again = WorkCalendar::from_json(&cal.to_json()).expect("a calendar reads its own JSON");
    assert_eq!(again, cal, "the calendar round-trips");
    let tz = cal.offset();
    let at = |y, m, d, h| tz.with_ymd_and_hms(y, m, d, h, 0, 0).single();
    let instants: Vec<_> = [at(2026, 1, 1, 0), at(2026, 2, 17, 9), at(2024, 12, 31, 23), at(2027, 6, 30, 12)].into_iter().flatten().collect();
    for &from in &instants {
        let _ = cal.next_opening(from);
        let _ = cal.add_business_hours(from, 8.0);
        let _ = cal.add_business_hours(from, 100.0);
        for &to in &instants {
            let _ = cal.business_hours(from, to);
        }
    }
    let _ = cal.covered_years();
    let _ = cal.schedule(2026);
}

/// Any text as an SLA policy file (`clientscope-cli service --policy`); a policy that reads
/// round-trips through its parameters.
pub fn sla_json(data: &[u8]) {
    let Ok(p) = SlaPolicy::from_json(&text_of(data)) else { return };
    let again = p.params().check().expect("a policy's own parameters check");
    assert_eq!(again, p, "the policy round-trips");
}

/// Any text as the complaint audit trail the Complaints page imports: read, written and
/// read back to the same complaints, and analysed as the page analyses them.
pub fn audit_csv(data: &[u8]) {
    let Ok(read) = read_audit(&text_of(data)) else { return };
    let written = write_audit(&read.complaints);
    let again = read_audit(&written).expect("an audit trail reads what it writes");
    assert_eq!(format!("{:?}", again.complaints), format!("{:?}", read.complaints), "the audit trail round-trips");
    let cal = WorkCalendar::china();
    let policy = SlaPolicy::default();
    let p = ComplaintParams { calendar: &cal, policy: &policy, as_of: now().with_timezone(&shanghai()), customers: Some(10), segments: None };
    let _ = analyse(&read.complaints, &p);
}

/// Any bytes as the visit log the command line turns into an iCalendar file; what reads is
/// written as iCalendar and as the visit CSV.
pub fn visits_csv(data: &[u8]) {
    let Ok(t) = table::read_table(data.to_vec(), Some(FileFormat::Csv), None, None) else { return };
    let Ok((xs, _rejected)) = visits::read_standalone(&t, shanghai(), now()) else { return };
    let p = crate::io::ical::IcsParams::new(now());
    let _ = crate::io::ical::write_ics(&xs, &|_| None, &p);
    let _ = visits::visits_csv(&xs, shanghai(), CsvEncoding::Utf8Bom);
}

/// Any bytes as the order CSV of `clientscope-cli value --orders`: the fast path, whole and
/// cut into parts, must give the table of the general reader.
pub fn orders_csv(data: &[u8]) {
    use crate::orders::csv_file;
    let general = csv_file::read_general(data);
    let _ = csv_file::read(data);
    let Some(plan) = csv_file::plan(data) else { return };
    let body = &data[plan.body_start..];
    for n in [1, 3] {
        let parts: Option<Vec<_>> = csv_file::split(body, n).into_iter().map(|r| csv_file::parse_part(&body[r], &plan.columns)).collect();
        if let Some(parts) = parts {
            let fast = csv_file::merge(parts);
            let general = general.as_ref().expect("the general reader reads what the fast path reads");
            assert_eq!(format!("{fast:?}"), format!("{general:?}"), "fast path in {n} parts = general reader");
        }
    }
}
