//! The JSON backup format: export, parse (with migration of older format versions) and the
//! add / update / skip plan of an import.
//!
//! # File layout (format version 2)
//!
//! One JSON object (UTF-8, written compactly by [`export`]):
//!
//! ```text
//! {
//!   "format": "clientscope-backup",      // FORMAT_NAME
//!   "format_version": 2,                  // FORMAT_VERSION
//!   "schema_version": 1,                  // model::SCHEMA_VERSION, the record layout
//!   "app_version": "0.1.0",
//!   "exported_at": "2026-06-30T18:00:00Z",// RFC 3339, UTC
//!   "counts": {"customers": 2000, "contacts": 5000, "orders": 60000, "interactions": 800,
//!              "complaints": 150, "surveys": 1, "responses": 400},
//!   "checksum": "sha256:<64 lowercase hex digits>",
//!   "settings": { ...model::Settings... },
//!   "data": {"customers": [...], "contacts": [...], "orders": [...], "interactions": [...],
//!            "complaints": [...], "surveys": [...], "responses": [...]}
//! }
//! ```
//!
//! Records are the serde form of the [`crate::model`] types (enums as `snake_case` strings,
//! dates `YYYY-MM-DD`, timestamps RFC 3339 UTC, amounts in yuan as JSON numbers).
//!
//! # Checksum
//!
//! `checksum` is `"sha256:"` followed by the lowercase hex SHA-256 of the **canonical
//! compact JSON text of the `data` value**, computed from the parsed value (so whitespace
//! or key order in the file does not matter):
//! - objects: keys sorted by code point (= UTF-8 byte order), written `{"k":v,...}`;
//!   arrays `[v,...]`; no whitespace anywhere;
//! - strings: UTF-8, escaping only `"` `\` and control characters (`\b \f \n \r \t`, others
//!   as `\u00xx` with lowercase hex); non-ASCII characters are written as they are;
//! - numbers: integers as decimal digits; other numbers in the shortest form that reads back
//!   to the same IEEE double, with `.0` for whole values (serde_json / ryu; e.g. `1234.5`,
//!   `100.0`, `1e16`, `1e-7`); `true`, `false`, `null`.
//!
//! This is what `serde_json::to_string(&value)` produces for a `serde_json::Value` without
//! the `preserve_order` feature, and what Python's
//! `json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` produces
//! for every number between 1e-5 and 1e16 (Python writes exponents as `1e+16` / `1e-07`).
//! For a format version 1 file the checksum covers its original `data` value, before
//! migration. [`export`] writes `data` in exactly this canonical form.
//!
//! # Reading a file
//!
//! [`parse_bytes`] first refuses a file larger than [`MAX_FILE_BYTES`] (512 MiB; the app
//! and the command line check the file's size before reading it) and decodes UTF-8 (a
//! byte-order mark is skipped) or UTF-16 LE/BE with its mark ([`decode_text`]).
//! [`parse`] checks in this order and stops at the first failure: the size, JSON syntax
//! (with line and column) together with the structure limits (nesting deeper than
//! [`MAX_DEPTH`], a key twice in one object, a number too large for a double — each named
//! by its JSON path, line and column), the `format` name, `format_version` (newer → refused, older → [`migrate`]d),
//! the checksum, the typed records (each record decoded on its own so that an error names
//! its kind, index, id and field), the header counts against the records, and finally
//! [`crate::validate::dataset`], which also refuses a text longer than its field's limit
//! (`validate::MAX_NAME` = 200 characters for names, `MAX_SHORT` = 100 for ids, codes and
//! short fields, `MAX_TEXT` = 20,000 for free text), naming the record and the field. A
//! refused file changes nothing: parsing comes before any import. A current, intact file is
//! read without building a `serde_json::Value` of its records ([`Split`]; the module
//! `fast` says how, and the one file it reads that the checks above would not).
//!
//! # Format version 1 (the earlier draft layout)
//!
//! Same header but without `schema_version` and without a top-level `settings`: the settings
//! were under `data.settings`. Customer `tags` was one comma-separated string
//! (`"重点,华东"`; ASCII or full-width commas), and order lines had `amount_fen`
//! (integer fen, 1/100 yuan) instead of `amount`. [`migrate`] turns it into version 2.
//!
//! # Importing
//!
//! [`plan_import`] shows what an import would do per record kind; [`apply_import`] returns
//! the complete resulting dataset, validated, or an error (then nothing changes).

#[cfg(test)]
mod tests;
#[cfg(test)]
mod hostile_tests;

mod canonical;
mod fast;
mod guard;
mod table_text;
pub use fast::{Decoded, Split};
pub use guard::{check_size, decode_text, MAX_DEPTH, MAX_FILE_BYTES};

use crate::model::{Counts, Dataset, Language, Record, RecordKind, Settings, Timestamp, SCHEMA_VERSION};
use crate::orders::OrderTable;
use crate::validate::{self, field_label, kind_label, Problem};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{self, Write};

/// The value of the `format` field of every backup.
pub const FORMAT_NAME: &str = "clientscope-backup";

/// The format version this code writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 2;

/// How many problems [`BackupError::message`] lists before "…and N more".
pub const MESSAGE_PROBLEM_LIMIT: usize = 20;

/// The header of a backup: everything but `settings` and `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupHeader {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// The file's format version (after migration: [`FORMAT_VERSION`]).
    pub format_version: u32,
    /// The record layout version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Version of the app that wrote the file.
    #[serde(default)]
    pub app_version: String,
    /// When the file was written.
    pub exported_at: Timestamp,
    /// Number of records per kind, as written.
    pub counts: Counts,
    /// `sha256:<hex>` of the canonical `data` text (see the module docs).
    pub checksum: String,
}

/// A parsed, verified and validated backup.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    /// Header.
    pub header: BackupHeader,
    /// Settings carried by the backup.
    pub settings: Settings,
    /// All records.
    pub data: Dataset,
}

/// A header count that does not match the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountMismatch {
    /// Record kind.
    pub kind: RecordKind,
    /// Count stated in the header.
    pub header: usize,
    /// Records actually present.
    pub actual: usize,
}

/// Why a backup could not be written, read or imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackupError {
    /// The text ends in the middle of a JSON value (an incomplete download or copy).
    #[error("the file ends unexpectedly at line {line}, column {column}: it is incomplete")]
    Truncated {
        /// Line (1-based).
        line: usize,
        /// Column (1-based).
        column: usize,
    },
    /// The text is not JSON.
    #[error("not valid JSON at line {line}, column {column}: {detail}")]
    NotJson {
        /// Line (1-based).
        line: usize,
        /// Column (1-based).
        column: usize,
        /// The parser's description.
        detail: String,
    },
    /// The JSON is not an object.
    #[error("the file holds {found}, not a Clientscope backup object")]
    NotAnObject {
        /// What it holds ("an array", "a number"…).
        found: String,
    },
    /// The `format` field is missing or names another format.
    #[error("not a Clientscope backup: format is {}", found.as_deref().map(|f| format!("“{f}”")).unwrap_or_else(|| "missing".into()))]
    WrongFormat {
        /// The `format` value found, `None` when missing or not a string.
        found: Option<String>,
    },
    /// A header field is missing or malformed.
    #[error("header field “{field}” is invalid: {detail}")]
    BadHeader {
        /// The header field.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// The file was written by a newer version of the format.
    #[error("format version {found} is newer than the supported version {supported}")]
    NewerVersion {
        /// The file's format version.
        found: u32,
        /// [`FORMAT_VERSION`].
        supported: u32,
    },
    /// The records use a newer layout than this code knows.
    #[error("schema version {found} is newer than the supported version {supported}")]
    NewerSchema {
        /// The file's schema version.
        found: u32,
        /// [`SCHEMA_VERSION`].
        supported: u32,
    },
    /// An older format could not be migrated.
    #[error("migrating format version {from}: {detail}")]
    Migration {
        /// The file's format version.
        from: u32,
        /// What went wrong.
        detail: String,
    },
    /// The data does not match the checksum in the header (edited or damaged).
    #[error("checksum mismatch: the header says {expected}, the data gives {actual}")]
    ChecksumMismatch {
        /// Checksum stated in the header.
        expected: String,
        /// Checksum of the data.
        actual: String,
    },
    /// A section of `data` (or `settings`) is not of the expected shape.
    #[error("section “{section}” is invalid: {detail}")]
    BadSection {
        /// `settings`, `data` or `data.<kind>`.
        section: String,
        /// What is wrong.
        detail: String,
    },
    /// One record could not be read.
    #[error("{}[{index}]{}: {}{detail}", kind.store_name(), id.as_deref().map(|i| format!(" (id {i})")).unwrap_or_default(), field.as_deref().map(|f| format!("field “{f}”: ")).unwrap_or_default())]
    Record {
        /// Record kind.
        kind: RecordKind,
        /// Position in its list (0-based).
        index: usize,
        /// The record's id, when it has one.
        id: Option<String>,
        /// Path of the offending field within the record (`date`, `key_account.image`).
        field: Option<String>,
        /// The offending value as JSON text, when it could be located.
        value: Option<String>,
        /// The decoder's description.
        detail: String,
    },
    /// Header counts differ from the records present.
    #[error("the header counts do not match the records ({} kinds differ)", .0.len())]
    CountsMismatch(Vec<CountMismatch>),
    /// The records are readable but not consistent (see [`crate::validate`]).
    #[error("the data has {} problems", .0.len())]
    Invalid(Vec<Problem>),
    /// The settings are refused (see [`Settings::from_json`]): the part and why.
    #[error("settings: {0}")]
    Settings(crate::model::SettingsError),
    /// Writing the backup failed.
    #[error("could not write the backup: {0}")]
    Write(String),
    /// The file is larger than [`MAX_FILE_BYTES`]; it was not read.
    #[error("the file is {size} bytes, more than the {limit} bytes a backup may have")]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// [`MAX_FILE_BYTES`].
        limit: u64,
    },
    /// The bytes are not text in an encoding a backup may have (UTF-8, UTF-16 with a mark).
    #[error("not {encoding} text: invalid encoding at byte {at}")]
    NotText {
        /// The encoding tried ("UTF-8", "UTF-16LE", "UTF-16BE").
        encoding: String,
        /// Byte offset (0-based) where the encoding breaks.
        at: usize,
    },
    /// Arrays and objects nest deeper than [`MAX_DEPTH`].
    #[error("nested more than {limit} levels deep at line {line}, column {column}")]
    TooDeep {
        /// Line (1-based).
        line: usize,
        /// Column (1-based).
        column: usize,
        /// [`MAX_DEPTH`].
        limit: usize,
    },
    /// An object holds the same key twice.
    #[error("the key “{key}” appears twice in {} at line {line}, column {column}", if path.is_empty() { "the top-level object" } else { path.as_str() })]
    DuplicateKey {
        /// The key (clipped to 60 characters).
        key: String,
        /// JSON path of the object (`data.customers[0]`; empty for the top level).
        path: String,
        /// Line (1-based).
        line: usize,
        /// Column (1-based).
        column: usize,
    },
    /// A number too large for a double (`1e400`).
    #[error("the number {value} at {path} (line {line}, column {column}) is out of range")]
    NumberOutOfRange {
        /// The number as written (clipped to 40 characters).
        value: String,
        /// JSON path of the number (`data.orders[0].amount`).
        path: String,
        /// Line (1-based).
        line: usize,
        /// Column (1-based) of the number's last character.
        column: usize,
    },
}

/// Result alias of this module.
pub type Result<T, E = BackupError> = std::result::Result<T, E>;

impl BackupError {
    /// Full sentences for the user, in Chinese or English. [`BackupError::Invalid`] lists
    /// the first [`MESSAGE_PROBLEM_LIMIT`] problems, one per line, then "…and N more".
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        use BackupError::*;
        match self {
            Truncated { line, column } => if zh {
                format!("文件在第 {line} 行第 {column} 列意外结束，内容不完整（可能下载或复制中断）。")
            } else {
                format!("The file ends unexpectedly at line {line}, column {column}: it is incomplete (perhaps an interrupted download or copy).")
            },
            NotJson { line, column, detail } => if zh {
                format!("文件不是有效的 JSON：第 {line} 行第 {column} 列有错误（{}）。", detail_text(detail, lang))
            } else {
                format!("The file is not valid JSON: error at line {line}, column {column} ({}).", detail_text(detail, lang))
            },
            NotAnObject { found } => if zh {
                format!("文件内容是{}，不是 Clientscope 备份。", zh_json_kind(found))
            } else {
                format!("The file holds {found}, not a Clientscope backup.")
            },
            WrongFormat { found } => match (found, zh) {
                (Some(f), true) => format!("这不是 Clientscope 备份文件：格式标识为“{f}”，应为“{FORMAT_NAME}”。"),
                (None, true) => format!("这不是 Clientscope 备份文件：缺少格式标识 format（应为“{FORMAT_NAME}”）。"),
                (Some(f), false) => format!("This is not a Clientscope backup: its format is “{f}”, expected “{FORMAT_NAME}”."),
                (None, false) => format!("This is not a Clientscope backup: the “format” field is missing (expected “{FORMAT_NAME}”)."),
            },
            BadHeader { field, detail } => if zh {
                format!("备份文件头的字段“{field}”无效：{}。", detail_text(detail, lang))
            } else {
                format!("The backup header field “{field}” is invalid: {}.", detail_text(detail, lang))
            },
            NewerVersion { found, supported } => if zh {
                format!("该备份的格式版本为 {found}，比本程序支持的版本 {supported} 新，无法导入。请先升级应用。")
            } else {
                format!("This backup has format version {found}, newer than version {supported} supported here, so it cannot be imported. Please update the app first.")
            },
            NewerSchema { found, supported } => if zh {
                format!("该备份的数据结构版本为 {found}，比本程序支持的版本 {supported} 新，无法导入。请先升级应用。")
            } else {
                format!("This backup has schema version {found}, newer than version {supported} supported here, so it cannot be imported. Please update the app first.")
            },
            Migration { from, detail } => if zh {
                format!("无法转换格式版本 {from} 的旧备份：{}。", detail_text(detail, lang))
            } else {
                format!("The old backup of format version {from} could not be converted: {}.", detail_text(detail, lang))
            },
            ChecksumMismatch { expected, actual } => if zh {
                format!("校验和不一致：文件头记录为 {expected}，数据实际为 {actual}。文件在导出后被修改或已损坏。")
            } else {
                format!("Checksum mismatch: the header records {expected} but the data gives {actual}. The file was changed after export or is damaged.")
            },
            BadSection { section, detail } => if zh {
                format!("备份中的“{section}”部分无效：{}。", detail_text(detail, lang))
            } else {
                format!("The “{section}” section of the backup is invalid: {}.", detail_text(detail, lang))
            },
            Record { kind, index, id, field, value, detail } => {
                let label = kind_label(*kind, lang);
                let store = kind.store_name();
                let field_text = field.as_deref().map(|f| field_label(f, lang));
                if zh {
                    let id = id.as_deref().map(|i| format!("，编号 {i}")).unwrap_or_default();
                    let what = match (&field_text, value) {
                        (Some(f), Some(v)) => format!("的字段「{f}」的值 {v} 无效"),
                        (Some(f), None) => format!("的字段「{f}」无效"),
                        _ => "无法读取".into(),
                    };
                    format!("第 {} 条{label}记录（{store}[{index}]{id}）{what}（{}）。", index + 1, detail_text(detail, lang))
                } else {
                    let id = id.as_deref().map(|i| format!(" (id {i})")).unwrap_or_default();
                    let what = match (&field_text, value) {
                        (Some(f), Some(v)) => format!("field “{f}” has the invalid value {v}"),
                        (Some(f), None) => format!("field “{f}” is invalid"),
                        _ => "the record cannot be read".into(),
                    };
                    format!("{label} record {store}[{index}]{id}: {what} ({}).", detail_text(detail, lang))
                }
            }
            CountsMismatch(list) => {
                let parts: Vec<String> = list
                    .iter()
                    .map(|m| {
                        let label = kind_label(m.kind, lang);
                        if zh {
                            format!("{label}：文件头记录 {} 条，实际 {} 条", m.header, m.actual)
                        } else {
                            format!("{label}: header says {}, found {}", m.header, m.actual)
                        }
                    })
                    .collect();
                if zh {
                    format!("备份的记录数与文件头不一致，文件可能不完整：{}。", parts.join(";"))
                } else {
                    format!("The record counts do not match the header; the file may be incomplete: {}.", parts.join("; "))
                }
            }
            Invalid(problems) => {
                let mut s = if zh {
                    format!("备份数据有 {} 个问题，未导入任何内容：", problems.len())
                } else {
                    format!("The backup data has {} problems; nothing was imported:", problems.len())
                };
                for p in problems.iter().take(MESSAGE_PROBLEM_LIMIT) {
                    s.push('\n');
                    s.push_str(&p.message(lang));
                }
                if problems.len() > MESSAGE_PROBLEM_LIMIT {
                    let more = problems.len() - MESSAGE_PROBLEM_LIMIT;
                    s.push('\n');
                    s.push_str(&if zh { format!("……另有 {more} 个问题。") } else { format!("…and {more} more.") });
                }
                s
            }
            Settings(e) => e.message(lang),
            Write(_) => if zh {
                "无法写出备份（内部错误），未下载任何文件。请重试。".into()
            } else {
                "The backup could not be written (an internal error); nothing was downloaded. Please try again.".into()
            },
            TooLarge { .. } | NotText { .. } | TooDeep { .. } | DuplicateKey { .. } | NumberOutOfRange { .. } => {
                guard::message(self, lang)
            }
        }
    }
}

/// A detail of [`BackupError`] in the given language: the fixed phrases this module writes
/// itself, otherwise the decoder's description through [`crate::error::serde_detail`]
/// (never the library's English as it is).
fn detail_text(detail: &str, lang: Language) -> String {
    let zh = lang == Language::ZhCn;
    let kind = |k: &str| if zh { zh_json_kind(k).to_string() } else { k.to_string() };
    if detail == "missing" {
        return if zh { "缺少该项".into() } else { "it is missing".into() };
    }
    if detail == "not a string" {
        return if zh { "应为文本".into() } else { "it is not a string".into() };
    }
    if detail == "the backup is not an object" {
        return if zh { "备份的最外层不是对象".into() } else { "the backup is not an object".into() };
    }
    if let Some(n) = detail.strip_suffix(" is not a version number").or_else(|| detail.strip_suffix(" is not a format version")) {
        return if zh { format!("{n} 不是有效的版本号") } else { format!("{n} is not a version number") };
    }
    if let Some(v) = detail.strip_prefix("no migration from format version ") {
        return if zh { format!("没有从格式版本 {v} 转换的方法") } else { format!("there is no conversion from format version {v}") };
    }
    for (prefix, zh_want, en_want) in [
        ("expected a number, found ", "数字", "a number"),
        ("expected an object, found ", "对象", "an object"),
        ("expected a list, found ", "列表", "a list"),
    ] {
        if let Some(found) = detail.strip_prefix(prefix) {
            return if zh { format!("应为{zh_want}，实际为{}", kind(found)) } else { format!("expected {en_want}, found {found}") };
        }
    }
    if let Some((path, _)) = detail.split_once(" is not a comma-separated text") {
        return if zh { format!("{path} 不是以逗号分隔的文本") } else { format!("{path} is not a comma-separated text") };
    }
    crate::error::serde_detail(detail, lang)
}

fn zh_json_kind(found: &str) -> &'static str {
    match found {
        "an array" => "数组",
        "a string" => "字符串",
        "a number" => "数字",
        "a boolean" => "布尔值",
        "an object" => "对象",
        _ => "空值",
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------
// Canonical JSON and the checksum

/// Writes `v` in the canonical compact form described in the module docs.
pub fn write_canonical<W: Write>(w: &mut W, v: &Value) -> io::Result<()> {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            w.write_all(b"{")?;
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    w.write_all(b",")?;
                }
                serde_json::to_writer(&mut *w, k)?;
                w.write_all(b":")?;
                if let Some(value) = map.get(k) {
                    write_canonical(w, value)?;
                }
            }
            w.write_all(b"}")
        }
        Value::Array(items) => {
            w.write_all(b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    w.write_all(b",")?;
                }
                write_canonical(w, item)?;
            }
            w.write_all(b"]")
        }
        scalar => serde_json::to_writer(w, scalar).map_err(io::Error::other),
    }
}

/// A writer that feeds SHA-256 through a buffer (many tiny updates are slow).
struct HashWriter {
    hasher: Sha256,
    buf: Vec<u8>,
}

impl HashWriter {
    fn new() -> Self {
        HashWriter { hasher: Sha256::new(), buf: Vec::with_capacity(1 << 16) }
    }

    fn finish(mut self) -> String {
        self.hasher.update(&self.buf);
        format!("sha256:{}", hex(&self.hasher.finalize()))
    }
}

impl Write for HashWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > self.buf.capacity() {
            self.hasher.update(&self.buf);
            self.buf.clear();
        }
        if data.len() >= self.buf.capacity() {
            self.hasher.update(data);
        } else {
            self.buf.extend_from_slice(data);
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// The checksum (`sha256:<hex>`) of a parsed `data` value, as defined in the module docs.
pub fn checksum(data: &Value) -> String {
    let mut w = HashWriter::new();
    // Writing into memory cannot fail; a failure would only come from a number serde_json
    // refuses, which a parsed Value never holds.
    let _ = write_canonical(&mut w, data);
    w.finish()
}

// ---------------------------------------------------------------------------------------
// Export

#[derive(Serialize)]
struct HeaderOut<'a> {
    format: &'a str,
    format_version: u32,
    schema_version: u32,
    app_version: &'a str,
    exported_at: Timestamp,
    counts: Counts,
    checksum: &'a str,
    settings: &'a Settings,
}

/// Where a backup's order lines are written from: the dataset's row structs, or a table
/// (then the dataset's `orders` are not read).
#[derive(Clone, Copy)]
pub enum Lines<'a> {
    /// Row structs.
    Rows(&'a [crate::model::OrderLine]),
    /// A columnar table: each line is written from [`OrderTable::row_ref`], no row struct
    /// made (the app holds a department's million lines this way).
    Table(&'a OrderTable),
}

impl Lines<'_> {
    fn len(&self) -> usize {
        match self {
            Lines::Rows(rows) => rows.len(),
            Lines::Table(t) => t.len(),
        }
    }
}

/// About the length of the canonical `data` text of a dataset (a little more, to make room
/// once: a department's is hundreds of megabytes), from the first records of each kind.
fn estimated_len(data: &Dataset, lines: Lines) -> usize {
    fn of<R: Serialize>(sample: &[R], len: usize) -> usize {
        let mut text = Vec::new();
        if sample.is_empty() || canonical::write(&mut text, sample).is_err() {
            return 2;
        }
        text.len() / sample.len() * len / 100 * 102 + 64
    }
    fn kind<R: Serialize>(records: &[R]) -> usize {
        of(&records[..records.len().min(64)], records.len())
    }
    let orders = match lines {
        Lines::Rows(rows) => kind(rows),
        Lines::Table(t) => of(&(0..t.len().min(64)).map(|i| t.row_ref(i)).collect::<Vec<_>>(), t.len()),
    };
    kind(&data.complaints) + kind(&data.contacts) + kind(&data.customers) + kind(&data.interactions) + orders + kind(&data.responses) + kind(&data.surveys) + 128
}

/// The canonical `data` text of a dataset, its order lines from `lines` (keys sorted,
/// compact; see the module docs).
fn write_data(out: &mut Vec<u8>, data: &Dataset, lines: Lines) -> Result<()> {
    fn section<T: Serialize + ?Sized>(out: &mut Vec<u8>, name: &[u8], records: &T) -> Result<()> {
        out.extend_from_slice(name);
        canonical::write(out, records).map_err(|e| BackupError::Write(e.to_string()))
    }
    // The kinds in key order: complaints, contacts, customers, interactions, orders,
    // responses, surveys.
    section(out, b"{\"complaints\":", &data.complaints)?;
    section(out, b",\"contacts\":", &data.contacts)?;
    section(out, b",\"customers\":", &data.customers)?;
    section(out, b",\"interactions\":", &data.interactions)?;
    match lines {
        // A table's lines without serde, each dictionary value escaped once (same bytes).
        Lines::Table(t) => {
            out.extend_from_slice(b",\"orders\":");
            table_text::write(out, t).map_err(|e| BackupError::Write(e.to_string()))?;
        }
        Lines::Rows(rows) => section(out, b",\"orders\":", rows)?,
    }
    section(out, b",\"responses\":", &data.responses)?;
    section(out, b",\"surveys\":", &data.surveys)?;
    out.push(b'}');
    Ok(())
}

/// A backup's text written but for its checksum: [`export_unsigned`] writes it,
/// [`Unsigned::sign`] fills in the SHA-256 of [`Unsigned::data_text`]. The app's worker
/// has the browser compute that digest (native code, beside the worker's own thread);
/// [`export`] computes it here.
#[derive(Debug)]
pub struct Unsigned {
    text: Vec<u8>,
    /// Where the 64 hex digits of the checksum go.
    sum_at: usize,
    /// Where the `data` value's text is.
    data: std::ops::Range<usize>,
    counts: Counts,
}

impl Unsigned {
    /// The number of records of each kind written (the header's counts).
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The canonical text of `data`, whose SHA-256 is the checksum.
    pub fn data_text(&self) -> &[u8] {
        &self.text[self.data.clone()]
    }

    /// The backup's text (UTF-8 bytes) with `sha256`, the digest of [`Self::data_text`],
    /// as its checksum.
    pub fn sign(mut self, sha256: &[u8; 32]) -> Vec<u8> {
        self.text[self.sum_at..self.sum_at + 64].copy_from_slice(hex(sha256).as_bytes());
        self.text
    }
}

/// Writes a backup of `data` and `settings` but for its checksum (see [`Unsigned`]): the
/// header is written first with room for the checksum, then `data` right after it in the
/// same buffer, so the text is never copied.
pub fn export_unsigned(data: &Dataset, settings: &Settings, app_version: &str, exported_at: Timestamp) -> Result<Unsigned> {
    export_unsigned_lines(data, Lines::Rows(&data.orders), settings, app_version, exported_at)
}

/// [`export_unsigned`] with the order lines taken from `lines` (`data.orders` is not read
/// when they are a table).
pub fn export_unsigned_lines(data: &Dataset, lines: Lines, settings: &Settings, app_version: &str, exported_at: Timestamp) -> Result<Unsigned> {
    let counts = Counts { orders: lines.len(), ..data.counts() };
    let placeholder = format!("sha256:{}", "0".repeat(64));
    let header = HeaderOut {
        format: FORMAT_NAME,
        format_version: FORMAT_VERSION,
        schema_version: SCHEMA_VERSION,
        app_version,
        exported_at,
        counts,
        checksum: &placeholder,
        settings,
    };
    let mut text = Vec::with_capacity(estimated_len(data, lines) + 4096);
    serde_json::to_writer(&mut text, &header).map_err(|e| BackupError::Write(e.to_string()))?;
    // The checksum is the first string after `"checksum":` (it comes before the settings,
    // the only user text in the header).
    let key = b"\"checksum\":\"sha256:";
    let sum_at = text.windows(key.len()).position(|w| w == key).map(|i| i + key.len()).ok_or_else(|| BackupError::Write("no checksum in the header".into()))?;
    // Replace the closing brace of the header object by the data member.
    text.pop();
    text.extend_from_slice(b",\"data\":");
    let start = text.len();
    write_data(&mut text, data, lines)?;
    let data_range = start..text.len();
    text.push(b'}');
    Ok(Unsigned { text, sum_at, data: data_range, counts })
}

/// The SHA-256 of `bytes` (the checksum's digest, for callers that have no faster one).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Writes a backup of `data` and `settings` (compact JSON, layout in the module docs).
///
/// Export does not validate: a safety copy must be possible whatever the state of the data.
/// Non-finite numbers are written as `null` by JSON and will be refused by [`parse`].
pub fn export(data: &Dataset, settings: &Settings, app_version: &str, exported_at: Timestamp) -> Result<String> {
    let unsigned = export_unsigned(data, settings, app_version, exported_at)?;
    let sum = sha256(unsigned.data_text());
    String::from_utf8(unsigned.sign(&sum)).map_err(|e| BackupError::Write(e.to_string()))
}

/// The suggested file name of a backup written at local time `local`:
/// `clientscope-backup-YYYYMMDD-HHMM.json`.
pub fn file_name(local: chrono::NaiveDateTime) -> String {
    format!("clientscope-backup-{}.json", local.format("%Y%m%d-%H%M"))
}

// ---------------------------------------------------------------------------------------
// Parse

/// Reads, verifies, migrates, decodes and validates a backup (order of checks in the
/// module docs).
///
/// Before anything else the text is refused when it is longer than [`MAX_FILE_BYTES`]; a
/// leading byte-order mark is skipped; nesting deeper than [`MAX_DEPTH`], an object with a
/// key twice and a number out of range are refused naming where they stand (the private
/// `guard` module). Texts longer than their field's limit are refused by
/// [`crate::validate`], naming the record and the field.
pub fn parse(text: &str) -> Result<Backup> {
    check_size(text.len() as u64)?;
    match Split::of(text) {
        Some(split) => {
            let sum = sha256(split.data_text());
            split.decode().finish(&sum)
        }
        None => parse_value(text),
    }
}

/// [`parse`] through a `serde_json::Value` of the whole text: the way that checks
/// everything in the documented order and names what is wrong. [`Split`] reads a current,
/// intact backup faster and comes here for everything else.
fn parse_value(text: &str) -> Result<Backup> {
    let value = guard::read_value(text)?;
    let Value::Object(mut obj) = value else {
        return Err(BackupError::NotAnObject { found: json_kind(&value).into() });
    };
    match obj.get("format") {
        Some(Value::String(f)) if f == FORMAT_NAME => {}
        Some(Value::String(f)) => return Err(BackupError::WrongFormat { found: Some(f.clone()) }),
        _ => return Err(BackupError::WrongFormat { found: None }),
    }
    let version = header_u32(&obj, "format_version")?;
    if version > FORMAT_VERSION {
        return Err(BackupError::NewerVersion { found: version, supported: FORMAT_VERSION });
    }
    if version == 0 {
        return Err(BackupError::BadHeader { field: "format_version".into(), detail: "0 is not a format version".into() });
    }
    let expected = match obj.get("checksum") {
        Some(Value::String(s)) => s.trim().to_ascii_lowercase(),
        Some(_) => return Err(BackupError::BadHeader { field: "checksum".into(), detail: "not a string".into() }),
        None => return Err(BackupError::BadHeader { field: "checksum".into(), detail: "missing".into() }),
    };
    let data = obj.get("data").ok_or_else(|| BackupError::BadSection { section: "data".into(), detail: "missing".into() })?;
    let actual = checksum(data);
    if actual != expected {
        return Err(BackupError::ChecksumMismatch { expected, actual });
    }
    if version < FORMAT_VERSION {
        obj = match migrate(Value::Object(obj), version)? {
            Value::Object(o) => o,
            other => return Err(BackupError::NotAnObject { found: json_kind(&other).into() }),
        };
    }
    let data = obj.remove("data").unwrap_or(Value::Null);
    conclude(obj, || decode_data(data))
}

/// The rest of [`parse`] once the format, its version and the checksum are right: the
/// schema version, the settings, the header, the records (`decode`), the counts and the
/// validation. `obj` is the top-level object without its `data`.
fn conclude(mut obj: Map<String, Value>, decode: impl FnOnce() -> Result<Dataset>) -> Result<Backup> {
    let schema = header_u32(&obj, "schema_version")?;
    if schema > SCHEMA_VERSION {
        return Err(BackupError::NewerSchema { found: schema, supported: SCHEMA_VERSION });
    }

    let settings = match obj.remove("settings") {
        None | Some(Value::Null) => Settings::default(),
        Some(v) => Settings::from_json(&v).map_err(BackupError::Settings)?,
    };
    let header = BackupHeader::deserialize(&Value::Object(obj)).map_err(|e| {
        let detail = e.to_string();
        let field = ["exported_at", "counts", "app_version", "schema_version", "checksum"]
            .into_iter()
            .find(|f| detail.contains(f))
            .unwrap_or("header");
        BackupError::BadHeader { field: field.into(), detail }
    })?;
    let data = decode()?;

    let counts = data.counts();
    let mismatches: Vec<CountMismatch> = RecordKind::ALL
        .iter()
        .filter(|k| header.counts.get(**k) != counts.get(**k))
        .map(|&kind| CountMismatch { kind, header: header.counts.get(kind), actual: counts.get(kind) })
        .collect();
    if !mismatches.is_empty() {
        return Err(BackupError::CountsMismatch(mismatches));
    }
    let problems = validate::dataset(&data);
    if !problems.is_empty() {
        return Err(BackupError::Invalid(problems));
    }
    Ok(Backup { header, settings, data })
}

/// Reads a backup file's bytes: refuses more than [`MAX_FILE_BYTES`] before looking at
/// them, decodes UTF-8 (with or without a byte-order mark) or UTF-16 LE/BE
/// ([`decode_text`]), then [`parse`]s.
pub fn parse_bytes(bytes: &[u8]) -> Result<Backup> {
    check_size(bytes.len() as u64)?;
    parse(&decode_text(bytes)?)
}

/// serde_json's message without its own " at line X column Y" suffix (we report those).
fn json_error_detail(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn header_u32(obj: &Map<String, Value>, field: &str) -> Result<u32> {
    match obj.get(field) {
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| BackupError::BadHeader { field: field.into(), detail: format!("{n} is not a version number") }),
        Some(other) => Err(BackupError::BadHeader { field: field.into(), detail: format!("expected a number, found {}", json_kind(other)) }),
        None => Err(BackupError::BadHeader { field: field.into(), detail: "missing".into() }),
    }
}

fn decode_data(data: Value) -> Result<Dataset> {
    let Value::Object(mut sections) = data else {
        return Err(BackupError::BadSection { section: "data".into(), detail: format!("expected an object, found {}", json_kind(&data)) });
    };
    let mut take = |kind: RecordKind| -> Result<Vec<Value>> {
        match sections.remove(kind.store_name()) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(BackupError::BadSection {
                section: format!("data.{}", kind.store_name()),
                detail: format!("expected a list, found {}", json_kind(&other)),
            }),
        }
    };
    Ok(Dataset {
        customers: decode_records(take(RecordKind::Customer)?)?,
        contacts: decode_records(take(RecordKind::Contact)?)?,
        orders: decode_records(take(RecordKind::OrderLine)?)?,
        interactions: decode_records(take(RecordKind::Interaction)?)?,
        complaints: decode_records(take(RecordKind::Complaint)?)?,
        surveys: decode_records(take(RecordKind::Survey)?)?,
        responses: decode_records(take(RecordKind::SurveyResponse)?)?,
    })
}

/// Decodes each record on its own so that an error names the record and the field.
fn decode_records<R: Record + DeserializeOwned>(items: Vec<Value>) -> Result<Vec<R>> {
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match R::deserialize(item) {
            Ok(r) => out.push(r),
            Err(plain) => return Err(record_error::<R>(index, item, plain)),
        }
    }
    Ok(out)
}

/// Locates the failing field of a record that did not decode: decode it again with path
/// tracking (only done on failure, so the common path pays nothing for it).
fn record_error<R: Record + DeserializeOwned>(index: usize, item: &Value, plain: serde_json::Error) -> BackupError {
    let kind = R::KIND;
    let id = item.get("id").and_then(Value::as_str).map(|i| guard::clip(i, 40));
    let (field, value, detail) = match serde_path_to_error::deserialize::<_, R>(item) {
        Err(e) => {
            let segments: Vec<String> = e
                .path()
                .iter()
                .filter_map(|s| match s {
                    serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                    serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                    serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                    serde_path_to_error::Segment::Unknown => None,
                })
                .collect();
            let detail = e.inner().to_string();
            if segments.is_empty() {
                (None, None, detail)
            } else {
                let mut at = Some(item);
                for s in &segments {
                    at = at.and_then(|v| match v {
                        Value::Object(m) => m.get(s),
                        Value::Array(a) => s.parse::<usize>().ok().and_then(|i| a.get(i)),
                        _ => None,
                    });
                }
                let value = at.map(|v| {
                    let mut t = v.to_string();
                    if t.chars().count() > 60 {
                        t = t.chars().take(60).collect::<String>() + "…";
                    }
                    t
                });
                (Some(segments.join(".")), value, detail)
            }
        }
        Ok(_) => (None, None, plain.to_string()),
    };
    BackupError::Record { kind, index, id, field, value, detail }
}


// ---------------------------------------------------------------------------------------
// Migration

/// Migrates a backup value of format version `from_version` to [`FORMAT_VERSION`] (the
/// version 1 layout is described in the module docs). The checksum is not touched: it is
/// verified on the original data before migration.
pub fn migrate(value: Value, from_version: u32) -> Result<Value> {
    let mut value = value;
    let mut version = from_version;
    while version < FORMAT_VERSION {
        value = match version {
            1 => migrate_v1(value)?,
            other => {
                return Err(BackupError::Migration { from: other, detail: format!("no migration from format version {other}") })
            }
        };
        version += 1;
    }
    Ok(value)
}

fn migrate_v1(value: Value) -> Result<Value> {
    let err = |detail: String| BackupError::Migration { from: 1, detail };
    let Value::Object(mut obj) = value else {
        return Err(err("the backup is not an object".into()));
    };
    let mut settings = Value::Object(Map::new());
    if let Some(Value::Object(data)) = obj.get_mut("data") {
        if let Some(s) = data.remove("settings") {
            settings = s;
        }
        if let Some(Value::Array(customers)) = data.get_mut("customers") {
            for (i, c) in customers.iter_mut().enumerate() {
                let Some(tags) = c.get_mut("tags") else { continue };
                match tags {
                    Value::String(s) => {
                        let list = s
                            .split([',', ','])
                            .map(str::trim)
                            .filter(|t| !t.is_empty())
                            .map(|t| Value::String(t.to_string()))
                            .collect();
                        *tags = Value::Array(list);
                    }
                    Value::Null => *tags = Value::Array(Vec::new()),
                    _ => return Err(err(format!("customers[{i}].tags is not a comma-separated text"))),
                }
            }
        }
        if let Some(Value::Array(orders)) = data.get_mut("orders") {
            for (i, o) in orders.iter_mut().enumerate() {
                let Value::Object(o) = o else { continue };
                let Some(fen) = o.remove("amount_fen") else { continue };
                let yuan = fen
                    .as_i64()
                    .map(|f| f as f64 / 100.0)
                    .ok_or_else(|| err(format!("orders[{i}].amount_fen is {fen}, not a whole number of fen")))?;
                let n = serde_json::Number::from_f64(yuan)
                    .ok_or_else(|| err(format!("orders[{i}].amount_fen is out of range")))?;
                o.insert("amount".into(), Value::Number(n));
            }
        }
    }
    obj.insert("settings".into(), settings);
    obj.insert("schema_version".into(), Value::from(1u32));
    obj.insert("format_version".into(), Value::from(2u32));
    Ok(Value::Object(obj))
}

// ---------------------------------------------------------------------------------------
// Import

/// How an import treats the existing records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Remove everything and take the backup's records.
    Replace,
    /// Keep existing records; add new ids, update records whose incoming copy is newer
    /// (`updated_at`), skip the rest.
    Merge,
}

/// What an import does to one record kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindPlan {
    /// Records added.
    pub add: usize,
    /// Existing records replaced by a newer incoming copy.
    pub update: usize,
    /// Incoming records ignored because the existing copy is as new or newer.
    pub skip: usize,
    /// Existing records removed (only [`ImportMode::Replace`]).
    #[serde(default)]
    pub remove: usize,
}

impl std::ops::AddAssign for KindPlan {
    fn add_assign(&mut self, o: KindPlan) {
        self.add += o.add;
        self.update += o.update;
        self.skip += o.skip;
        self.remove += o.remove;
    }
}

/// What an import would do, per record kind (in [`RecordKind::ALL`] order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPlan {
    /// The mode planned for.
    pub mode: ImportMode,
    /// One entry per kind.
    pub per_kind: Vec<(RecordKind, KindPlan)>,
}

impl ImportPlan {
    /// Totals over all kinds.
    pub fn total(&self) -> KindPlan {
        let mut t = KindPlan::default();
        for (_, p) in &self.per_kind {
            t += *p;
        }
        t
    }

    /// The plan of one kind.
    pub fn get(&self, kind: RecordKind) -> KindPlan {
        self.per_kind.iter().find(|(k, _)| *k == kind).map(|(_, p)| *p).unwrap_or_default()
    }
}

fn plan_kind<R: Record>(existing: &[R], incoming: &[R], mode: ImportMode) -> KindPlan {
    if mode == ImportMode::Replace {
        return KindPlan { add: incoming.len(), remove: existing.len(), ..KindPlan::default() };
    }
    let mut latest: HashMap<&str, Timestamp> = existing.iter().map(|r| (r.id(), r.updated_at())).collect();
    let mut plan = KindPlan::default();
    for r in incoming {
        match latest.get_mut(r.id()) {
            Some(t) if r.updated_at() > *t => {
                *t = r.updated_at();
                plan.update += 1;
            }
            Some(_) => plan.skip += 1,
            None => {
                latest.insert(r.id(), r.updated_at());
                plan.add += 1;
            }
        }
    }
    plan
}

/// Merges by id: a newer incoming copy replaces the record in place, new ids are appended
/// in incoming order. Mirrors [`plan_kind`].
fn merge_kind<R: Record + Clone>(existing: &[R], incoming: Vec<R>) -> Vec<R> {
    let mut out: Vec<R> = existing.to_vec();
    let mut index: HashMap<String, usize> = out.iter().enumerate().map(|(i, r)| (r.id().to_string(), i)).collect();
    for r in incoming {
        match index.get(r.id()) {
            Some(&i) => {
                if r.updated_at() > out[i].updated_at() {
                    out[i] = r;
                }
            }
            None => {
                index.insert(r.id().to_string(), out.len());
                out.push(r);
            }
        }
    }
    out
}

/// The add / update / skip (and, for replace, remove) counts of importing `incoming` into
/// `existing`.
pub fn plan_import(existing: &Dataset, incoming: &Dataset, mode: ImportMode) -> ImportPlan {
    let per_kind = vec![
        (RecordKind::Customer, plan_kind(&existing.customers, &incoming.customers, mode)),
        (RecordKind::Contact, plan_kind(&existing.contacts, &incoming.contacts, mode)),
        (RecordKind::OrderLine, plan_kind(&existing.orders, &incoming.orders, mode)),
        (RecordKind::Interaction, plan_kind(&existing.interactions, &incoming.interactions, mode)),
        (RecordKind::Complaint, plan_kind(&existing.complaints, &incoming.complaints, mode)),
        (RecordKind::Survey, plan_kind(&existing.surveys, &incoming.surveys, mode)),
        (RecordKind::SurveyResponse, plan_kind(&existing.responses, &incoming.responses, mode)),
    ];
    ImportPlan { mode, per_kind }
}

/// [`apply_import`] of a backup as [`parse`] returned it: replacing takes its records as
/// they are, since `parse` validated them (a department's million lines are not checked
/// twice); merging validates the result as [`apply_import`] does.
pub fn apply_backup(existing: &Dataset, backup: Backup, mode: ImportMode) -> Result<Dataset> {
    match mode {
        ImportMode::Replace => Ok(backup.data),
        // Its ids are distinct (validated), so merging into nothing appends them all in
        // order: the backup's records, valid as they are.
        ImportMode::Merge if existing.is_empty() => Ok(backup.data),
        ImportMode::Merge => apply_import(existing, backup.data, mode),
    }
}

/// [`plan_import`] of a backup as [`parse`] returned it: its ids are distinct (validated),
/// so against a kind with nothing stored every record is an addition, counted without
/// looking each up.
pub fn plan_backup(existing: &Dataset, backup: &Backup, mode: ImportMode) -> ImportPlan {
    if mode == ImportMode::Merge && existing.is_empty() {
        let counts = backup.data.counts();
        let per_kind = RecordKind::ALL.iter().map(|&k| (k, KindPlan { add: counts.get(k), ..KindPlan::default() })).collect();
        return ImportPlan { mode, per_kind };
    }
    plan_import(existing, &backup.data, mode)
}

/// The complete dataset after importing `incoming` into `existing`, validated with
/// [`validate::dataset`]. On any problem (e.g. a merge that leaves a dangling reference)
/// the result is [`BackupError::Invalid`] and the caller keeps `existing` unchanged.
pub fn apply_import(existing: &Dataset, incoming: Dataset, mode: ImportMode) -> Result<Dataset> {
    let result = match mode {
        ImportMode::Replace => incoming,
        ImportMode::Merge => Dataset {
            customers: merge_kind(&existing.customers, incoming.customers),
            contacts: merge_kind(&existing.contacts, incoming.contacts),
            orders: merge_kind(&existing.orders, incoming.orders),
            interactions: merge_kind(&existing.interactions, incoming.interactions),
            complaints: merge_kind(&existing.complaints, incoming.complaints),
            surveys: merge_kind(&existing.surveys, incoming.surveys),
            responses: merge_kind(&existing.responses, incoming.responses),
        },
    };
    let problems = validate::dataset(&result);
    if problems.is_empty() {
        Ok(result)
    } else {
        Err(BackupError::Invalid(problems))
    }
}
