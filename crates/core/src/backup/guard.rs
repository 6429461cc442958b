//! Hostile or damaged backup files: the checks that come before the backup is read as a
//! backup, each refusing with a message of its own (never a crash, a frozen page or the JSON
//! library's English).
//!
//! - size: [`check_size`] refuses a file larger than [`MAX_FILE_BYTES`] from its size alone,
//!   before a byte of it is read (the app asks `File.size`, the command line the file's
//!   metadata);
//! - encoding: [`decode_text`] takes UTF-8 with or without a byte-order mark, and UTF-16
//!   (little or big endian) with its byte-order mark; anything else that is not UTF-8 is
//!   refused naming the byte where the encoding breaks;
//! - structure: [`read_value`] builds the JSON value with serde_json's parser but its own
//!   visitor, which refuses nesting deeper than [`MAX_DEPTH`] (serde_json's own limit, 128,
//!   would answer "recursion limit exceeded"), an object with the same key twice (serde_json
//!   keeps the last silently) and names where a number too large for a double (`1e400`)
//!   stands. The path of a failure is collected while the error unwinds, so a file that
//!   reads cleanly pays nothing for it.
//!
//! Long texts are read as they are; [`crate::validate`] refuses a field longer than its limit
//! (`MAX_NAME`, `MAX_SHORT`, `MAX_TEXT` characters) naming the record and the field.

use super::{BackupError, Result};
use crate::model::{Language, RecordKind};
use crate::validate::{field_label, kind_label};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

/// The largest backup file read: 512 MiB. A backup of 100,000 customers with 1,000,000
/// order lines (the department size the app is built for) is 339 MiB and must come back;
/// a 1 GB file is refused by its size before it is read, because the browser tab holds the
/// text, the parsed value and the records at once and would run out of memory instead.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The deepest nesting of arrays and objects read. A backup nests about 8 levels (settings
/// pages may hold a little more); anything deeper is not a backup.
pub const MAX_DEPTH: usize = 64;

/// Refuses a file of `bytes` bytes when it is larger than [`MAX_FILE_BYTES`].
pub fn check_size(bytes: u64) -> Result<()> {
    if bytes > MAX_FILE_BYTES {
        Err(BackupError::TooLarge { size: bytes, limit: MAX_FILE_BYTES })
    } else {
        Ok(())
    }
}

/// The text of a backup file: UTF-8 (a byte-order mark is dropped), or UTF-16 LE/BE
/// recognised by its byte-order mark (or, without one, by a zero byte beside the opening
/// ASCII character). Other bytes that are not UTF-8 are refused with
/// [`BackupError::NotText`].
pub fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            return utf16(bytes, bom, encoding == encoding_rs::UTF_16LE);
        }
        return std::str::from_utf8(&bytes[bom..])
            .map(Cow::Borrowed)
            .map_err(|e| BackupError::NotText { encoding: "UTF-8".into(), at: bom + e.valid_up_to() });
    }
    // UTF-16 without a byte-order mark: a backup starts with `{` (or white space), ASCII,
    // so one of its first two bytes is zero, which the UTF-8 text of a backup never has.
    match bytes {
        [a, 0, ..] if *a != 0 && a.is_ascii() => return utf16(bytes, 0, true),
        [0, b, ..] if *b != 0 && b.is_ascii() => return utf16(bytes, 0, false),
        _ => {}
    }
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|e| BackupError::NotText { encoding: "UTF-8".into(), at: e.valid_up_to() })
}

/// Decodes the UTF-16 text after the first `skip` bytes (its byte-order mark).
fn utf16(bytes: &[u8], skip: usize, little: bool) -> Result<Cow<'static, str>> {
    let (encoding, name) = if little { (encoding_rs::UTF_16LE, "UTF-16LE") } else { (encoding_rs::UTF_16BE, "UTF-16BE") };
    let body = &bytes[skip..];
    if body.len() % 2 != 0 {
        return Err(BackupError::NotText { encoding: name.into(), at: bytes.len() - 1 });
    }
    match encoding.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok(Cow::Owned(text.into_owned())),
        None => Err(BackupError::NotText { encoding: name.into(), at: skip + first_bad_utf16(body, little) }),
    }
}

/// Byte offset of the first unpaired surrogate in UTF-16 `body`.
fn first_bad_utf16(body: &[u8], little: bool) -> usize {
    let units = body.chunks_exact(2).map(|c| if little { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
    let mut offset = 0;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => offset += c.len_utf16() * 2,
            Err(_) => return offset,
        }
    }
    offset
}

/// Parses JSON `text` (a leading byte-order mark allowed) into a value, refusing deep
/// nesting, duplicate keys and numbers out of range with their own errors; other syntax
/// errors become [`BackupError::Truncated`] or [`BackupError::NotJson`].
pub fn read_value(text: &str) -> Result<Value> {
    read_value_at(text, 0)
}

/// [`read_value`] of a value found `depth` arrays and objects deep in a larger text (the
/// depth limit counts from the top of that text). Positions in errors are within `text`.
pub(super) fn read_value_at(text: &str, depth: usize) -> Result<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let guard = RefCell::new(Guard::default());
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Seed { depth, guard: &guard }.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    let e = match result {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let Guard { failure, mut path } = guard.into_inner();
    path.reverse();
    let path = path_text(&path);
    let (line, column) = (e.line(), e.column());
    Err(match failure {
        Some(Failure::TooDeep) => BackupError::TooDeep { line, column, limit: MAX_DEPTH },
        Some(Failure::DuplicateKey(key)) => BackupError::DuplicateKey { key: clip(&key, 60), path, line, column },
        None if e.to_string().starts_with("number out of range") => {
            BackupError::NumberOutOfRange { value: number_at(text, line, column), path, line, column }
        }
        None if e.is_eof() => BackupError::Truncated { line, column },
        None => BackupError::NotJson { line, column, detail: super::json_error_detail(&e) },
    })
}

#[derive(Default)]
struct Guard {
    failure: Option<Failure>,
    /// Where the failure lies, innermost first (pushed while the error unwinds).
    path: Vec<Segment>,
}

enum Failure {
    TooDeep,
    DuplicateKey(String),
}

enum Segment {
    Key(String),
    Index(usize),
}

/// `data.customers[3].name`: keys joined by dots, list positions in brackets.
fn path_text(path: &[Segment]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Segment::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(&clip(k, 60));
            }
            Segment::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// At most `max` characters of `s`, with "…" when cut.
pub(super) fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The number text that ends at (1-based) `line`, `column` of `text` (serde_json reports
/// the position of the number's last character), clipped to 40 characters.
fn number_at(text: &str, line: usize, column: usize) -> String {
    let Some(row) = text.split('\n').nth(line.saturating_sub(1)) else { return String::new() };
    let mut end = column.min(row.len());
    while end > 0 && !row.is_char_boundary(end) {
        end -= 1;
    }
    // Include any rest of the number after the reported position.
    let is_num = |c: char| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-');
    let tail = row[end..].find(|c: char| !is_num(c)).unwrap_or(row.len() - end);
    let end = end + tail;
    let start = row[..end].rfind(|c: char| !is_num(c)).map(|i| i + 1).unwrap_or(0);
    clip(&row[start..end], 40)
}

#[derive(Clone, Copy)]
struct Seed<'a> {
    /// Arrays and objects around the value.
    depth: usize,
    guard: &'a RefCell<Guard>,
}

impl Seed<'_> {
    fn enter<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            self.guard.borrow_mut().failure = Some(Failure::TooDeep);
            return Err(E::custom("nested too deeply"));
        }
        Ok(Seed { depth: self.depth + 1, guard: self.guard })
    }

    fn at<T, E>(self, r: Result<T, E>, seg: impl FnOnce() -> Segment) -> Result<T, E> {
        if r.is_err() {
            self.guard.borrow_mut().path.push(seg());
        }
        r
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json never hands over a non-finite number (it refuses them as out of range).
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let index = items.len();
            match self.at(seq.next_element_seed(inner), || Segment::Index(index))? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                self.guard.borrow_mut().failure = Some(Failure::DuplicateKey(key));
                return Err(de::Error::custom("duplicate key"));
            }
            let value = match access.next_value_seed(inner) {
                Ok(v) => v,
                Err(e) => {
                    self.guard.borrow_mut().path.push(Segment::Key(key));
                    return Err(e);
                }
            };
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

// ---------------------------------------------------------------------------------------
// Messages

/// The sentences of the errors of this module ([`BackupError::message`] hands them here).
pub(super) fn message(e: &BackupError, lang: Language) -> String {
    let zh = lang == Language::ZhCn;
    match e {
        BackupError::TooLarge { size, limit } => {
            let (size, limit) = (megabytes(*size, *limit), megabytes(*limit, *limit));
            if zh {
                format!("文件大小为 {size}，超过备份文件的上限 {limit}，未读取。请确认选择的是 Clientscope 备份文件。")
            } else {
                format!("The file is {size}, more than the {limit} a backup may have, so it was not read. Please check that you chose a Clientscope backup file.")
            }
        }
        BackupError::NotText { encoding, at } => {
            if zh {
                format!("文件不是 {encoding} 文本（第 {at} 字节处编码无效）。备份应为 UTF-8 或带字节顺序标记的 UTF-16 文本。")
            } else {
                format!("The file is not {encoding} text (invalid encoding at byte {at}). A backup is UTF-8 text, or UTF-16 with a byte-order mark.")
            }
        }
        BackupError::TooDeep { line, column, limit } => {
            if zh {
                format!("文件在第 {line} 行第 {column} 列嵌套超过 {limit} 层，不是 Clientscope 备份。")
            } else {
                format!("The file nests more than {limit} levels deep at line {line}, column {column}; it is not a Clientscope backup.")
            }
        }
        BackupError::DuplicateKey { key, path, line, column } => {
            let place = place(path, lang);
            if zh {
                format!("文件第 {line} 行第 {column} 列：{place}中的键“{key}”出现了两次，无法确定取哪个值。请检查文件是否被手工修改过。")
            } else {
                format!("At line {line}, column {column} of the file, the key “{key}” appears twice in {place}, so it is unclear which value holds. Please check whether the file was edited by hand.")
            }
        }
        BackupError::NumberOutOfRange { value, path, line, column } => {
            let place = place(path, lang);
            if zh {
                format!("文件第 {line} 行第 {column} 列：{place}的数字 {value} 超出可表示的范围。")
            } else {
                format!("At line {line}, column {column} of the file, the number {value} in {place} is out of range.")
            }
        }
        other => other.to_string(),
    }
}

/// `size` bytes in whole MB (MiB); exact bytes when that would round to `limit`'s figure.
fn megabytes(size: u64, limit: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if size > limit && size / MB <= limit / MB {
        format!("{size} B")
    } else {
        format!("{} MB", size / MB)
    }
}

/// Where a JSON path points, for a sentence: a record (`data.orders[0].amount` → "第 1 条交易
/// 记录（orders[0]）的字段「金额」" / "Order line record orders[0], field “amount”"), or the
/// path itself.
fn place(path: &str, lang: Language) -> String {
    let zh = lang == Language::ZhCn;
    if path.is_empty() {
        return if zh { "文件最外层".into() } else { "the top-level object".into() };
    }
    if let Some((kind, index, field)) = record_path(path) {
        let store = kind.store_name();
        let label = kind_label(kind, lang);
        let field = field.map(|f| field_label(f, lang));
        return match (zh, field) {
            (true, Some(f)) => format!("第 {} 条{label}记录（{store}[{index}]）的字段「{f}」", index + 1),
            (true, None) => format!("第 {} 条{label}记录（{store}[{index}]）", index + 1),
            (false, Some(f)) => format!("{label} record {store}[{index}], field “{f}”"),
            (false, None) => format!("{label} record {store}[{index}]"),
        };
    }
    format!("“{path}”")
}

/// `data.<kind>[i]` with an optional `.<field…>` after it.
fn record_path(path: &str) -> Option<(RecordKind, usize, Option<&str>)> {
    let rest = path.strip_prefix("data.")?;
    let open = rest.find('[')?;
    let close = open + rest[open..].find(']')?;
    let kind = RecordKind::ALL.into_iter().find(|k| k.store_name() == &rest[..open])?;
    let index = rest[open + 1..close].parse().ok()?;
    let field = rest[close + 1..].strip_prefix('.').filter(|f| !f.is_empty());
    Some((kind, index, field))
}
