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
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

/// The largest backup file read: 256 MiB. A backup of 20,000 customers with 150,000 order
/// lines is about 50 MB; the limit leaves room for five times that, and keeps the browser
/// tab (which holds the text, the parsed value and the records at once) within memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let guard = RefCell::new(Guard::default());
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Seed { depth: 0, guard: &guard }.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
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
