//! Reading a current, intact backup without a `serde_json::Value` of its records.
//!
//! [`super::parse`] through a `Value` builds a map per record (a department's backup holds
//! a million order lines), writes the canonical text of all of it again to check the
//! checksum, then decodes the records from the maps: seconds in the browser. An intact
//! file written by [`super::export`] has its `data` already in canonical form, so the
//! SHA-256 of the `data` text as it stands in the file is the checksum. [`Split`] takes
//! that way:
//!
//! 1. [`Split::of`] reads the top level, keeping each member's text (no values built),
//!    reads the header members (all but `data`) through [`super::guard`], and checks the
//!    format name, the version (the current one only: older files are migrated as
//!    values) and that there is a checksum;
//! 2. the caller computes the SHA-256 of [`Split::data_text`] (the app's worker has the
//!    browser do it, beside the decoding);
//! 3. [`Split::decode`] decodes the order lines and the customers straight from their text,
//!    strictly (an unknown field, a key twice, a number out of range or anything else
//!    unexpected stops it: `parse` checks those in every value, an unknown field's too), and
//!    every other kind of record, few beside these, through [`super::guard`] as
//!    [`super::parse`] does;
//! 4. [`Decoded::finish`] compares the digest with the header's checksum and concludes as
//!    [`super::parse`] does (schema, settings, header, counts, validation).
//!
//! Whenever a step cannot conclude (another version, a digest that is not the checksum,
//! any error), the whole text is read again the `Value` way, which names what is wrong.
//! The result is the `Value` way's, with one difference: a file whose checksum is the
//! digest of its `data` text as it stands, though that text is not canonical (another
//! tool's whitespace or key order), is read; the `Value` way would call its checksum wrong.
//! Its bytes are intact, which is what the checksum is for
//! (`tests::a_checksum_of_the_text_as_written_is_taken`).

use super::{conclude, decode_records, guard, hex, parse_value, Backup, Result, FORMAT_NAME, FORMAT_VERSION};
use crate::model::{Customer, Dataset, Date, Id, OrderLine, RecordKind, Timestamp};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::fmt;

/// The members of a JSON object as their texts, in file order; a repeated key is an error.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Members<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> std::result::Result<Members<'a>, A::Error> {
                let mut members: Vec<(String, &'a RawValue)> = Vec::new();
                while let Some(key) = access.next_key::<String>()? {
                    if members.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom("duplicate key"));
                    }
                    members.push((key, access.next_value()?));
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<'a> Members<'a> {
    fn of(text: &'a str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// The object's text without the member `skip`.
    fn text_without(&self, skip: &str) -> String {
        let mut out = String::from("{");
        for (k, v) in self.0.iter().filter(|(k, _)| k != skip) {
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(k).unwrap_or_default());
            out.push(':');
            out.push_str(v.get());
        }
        out.push('}');
        out
    }

    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

/// A backup text split into its header and the text of its `data` (steps in the module
/// docs).
pub struct Split<'a> {
    text: &'a str,
    /// The header members (all but `data`).
    header: Map<String, Value>,
    data: &'a RawValue,
    /// The checksum's hex digits, as [`super::parse`] compares them.
    expected: String,
}

impl<'a> Split<'a> {
    /// The split of `text`, or `None` when it is not a current-version backup that can be
    /// read this way (then [`super::parse`] reads it as a value).
    pub fn of(text: &'a str) -> Option<Split<'a>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let top = Members::of(text)?;
        let data = top.get("data")?;
        let header = match guard::read_value(&top.text_without("data")).ok()? {
            Value::Object(m) => m,
            _ => return None,
        };
        if header.get("format").and_then(Value::as_str) != Some(FORMAT_NAME) || header.get("format_version").and_then(Value::as_u64) != Some(u64::from(FORMAT_VERSION)) {
            return None;
        }
        let expected = header.get("checksum")?.as_str()?.trim().to_ascii_lowercase();
        Some(Split { text, header, data, expected })
    }

    /// The `data` member's text as it stands in the file; its SHA-256 goes to
    /// [`Decoded::finish`].
    pub fn data_text(&self) -> &'a [u8] {
        self.data.get().as_bytes()
    }

    /// Decodes the records (the long step; see the module docs).
    pub fn decode(self) -> Decoded<'a> {
        let expected = self.header.get("counts").and_then(|c| c.get("orders")).and_then(Value::as_u64).unwrap_or(0);
        let data = decode_data(self.data.get(), usize::try_from(expected).unwrap_or(0));
        Decoded { split: self, data }
    }
}

/// A [`Split`] with its records decoded, waiting for the digest of its `data` text.
pub struct Decoded<'a> {
    split: Split<'a>,
    /// `None` when the records could not be read this way.
    data: Option<Dataset>,
}

impl Decoded<'_> {
    /// The backup, given the SHA-256 of [`Split::data_text`]; the text is read as a value
    /// instead when the records did not decode or the digest is not the checksum.
    pub fn finish(self, sha256: &[u8; 32]) -> Result<Backup> {
        let Decoded { split, data } = self;
        match data {
            Some(data) if format!("sha256:{}", hex(sha256)) == split.expected => conclude(split.header, || Ok(data)),
            _ => parse_value(split.text),
        }
    }
}

/// The sections of `data`, read in one pass over its text; `None` at the first thing
/// [`super::parse`] would refuse or could read differently (an unknown section, a section
/// twice, an unknown field…).
fn decode_data(text: &str, orders: usize) -> Option<Dataset> {
    struct Sections {
        orders: usize,
    }
    impl<'de> Visitor<'de> for Sections {
        type Value = Dataset;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("the sections of a backup")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> std::result::Result<Dataset, A::Error> {
            let stop = |what: &str| de::Error::custom(what);
            let mut out = Dataset::default();
            let mut seen: Vec<RecordKind> = Vec::new();
            while let Some(name) = access.next_key::<String>()? {
                let kind = *RecordKind::ALL.iter().find(|k| k.store_name() == name).ok_or_else(|| stop("unknown section"))?;
                if seen.contains(&kind) {
                    return Err(stop("section twice"));
                }
                seen.push(kind);
                match kind {
                    RecordKind::OrderLine => out.orders = access.next_value_seed(Lines(self.orders))?,
                    RecordKind::Customer => {
                        let mut skipped = false;
                        out.customers = access.next_value_seed(Customers(&mut skipped))?;
                        if skipped {
                            return Err(stop("a field skipped"));
                        }
                    }
                    // The other kinds are few beside the order lines and customers: read as
                    // `parse` reads them (depth counted from the file's top: the file,
                    // `data`, the section).
                    kind => {
                        let raw: &RawValue = access.next_value()?;
                        let items = match guard::read_value_at(raw.get(), 2).map_err(|_| stop("refused"))? {
                            Value::Null => Vec::new(),
                            Value::Array(items) => items,
                            _ => return Err(stop("not a list")),
                        };
                        let failed = |_| stop("a record");
                        match kind {
                            RecordKind::Contact => out.contacts = decode_records(items).map_err(failed)?,
                            RecordKind::Interaction => out.interactions = decode_records(items).map_err(failed)?,
                            RecordKind::Complaint => out.complaints = decode_records(items).map_err(failed)?,
                            RecordKind::Survey => out.surveys = decode_records(items).map_err(failed)?,
                            RecordKind::SurveyResponse => out.responses = decode_records(items).map_err(failed)?,
                            RecordKind::OrderLine | RecordKind::Customer => unreachable!("read above"),
                        }
                    }
                }
            }
            Ok(out)
        }
    }
    // The shortest order line written is well over 100 bytes.
    let visitor = Sections { orders: orders.min(text.len() / 100) };
    let mut de = serde_json::Deserializer::from_str(text);
    let data = de.deserialize_map(visitor).ok()?;
    de.end().ok()?;
    Some(data)
}

/// The customers of a section, straight from the text. `parse` checks the nesting,
/// repeated keys and numbers of every value, an unknown field's too: decoding from the text
/// skips an unknown field's value unread, so `serde_ignored` raises the flag then and the
/// backup goes the `Value` way. A known field twice is refused by serde, an attribute twice
/// by [`crate::model::unique_keys`].
struct Customers<'f>(&'f mut bool);

impl<'de> de::DeserializeSeed<'de> for Customers<'_> {
    type Value = Vec<Customer>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<Customer>, D::Error> {
        let flag = self.0;
        let list: Option<Vec<Customer>> = serde_ignored::deserialize(d, |_| *flag = true)?;
        Ok(list.unwrap_or_default())
    }
}

/// An order line as the file holds it: [`OrderLine`]'s fields and serde attributes, but
/// refusing a field it does not know. `parse` checks the nesting, repeated keys and numbers
/// of every value, an unknown field's too; decoding straight from the text skips an
/// unknown field's value unread, so a line with one goes the `Value` way instead.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderLineText {
    id: Id,
    customer_id: Id,
    #[serde(default)]
    order_no: String,
    #[serde(deserialize_with = "date")]
    date: Date,
    amount: f64,
    #[serde(default)]
    profit: Option<f64>,
    #[serde(default)]
    product: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    quantity: Option<f64>,
    #[serde(default)]
    channel: String,
    #[serde(deserialize_with = "timestamp")]
    created_at: Timestamp,
    #[serde(deserialize_with = "timestamp")]
    updated_at: Timestamp,
}

/// The digits of `s` from `at`, when all `n` of them are ASCII digits.
fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    s.get(at..at + n)?.iter().try_fold(0u32, |v, &b| b.is_ascii_digit().then(|| v * 10 + u32::from(b - b'0')))
}

/// `YYYY-MM-DD`, the form every date of a backup is written in.
fn plain_date(s: &[u8]) -> Option<Date> {
    if s.len() != 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    Date::from_ymd_opt(digits(s, 0, 4)? as i32, digits(s, 5, 2)?, digits(s, 8, 2)?)
}

/// A date as serde's own `Date` reads it (chrono's general parser, which takes a tenth of
/// a million lines' decoding), but `YYYY-MM-DD` read directly: the same date, or, where
/// that form is not a valid date, chrono's answer.
fn date<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Date, D::Error> {
    let s: std::borrow::Cow<'de, str> = Deserialize::deserialize(d)?;
    match plain_date(s.as_bytes()) {
        Some(date) => Ok(date),
        None => s.parse().map_err(de::Error::custom),
    }
}

/// A timestamp as serde's own `Timestamp` reads it (chrono's RFC 3339 parser, to UTC), but
/// `YYYY-MM-DDTHH:MM:SSZ`, the form a backup writes whole seconds in, read directly: the
/// same instant, or, where that form is not a valid time, chrono's answer.
fn timestamp<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Timestamp, D::Error> {
    let s: std::borrow::Cow<'de, str> = Deserialize::deserialize(d)?;
    let b = s.as_bytes();
    let plain = (b.len() == 20 && b[10] == b'T' && b[13] == b':' && b[16] == b':' && b[19] == b'Z')
        .then(|| plain_date(&b[..10])?.and_hms_opt(digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?))
        .flatten();
    match plain {
        Some(t) => Ok(t.and_utc()),
        None => s.parse::<chrono::DateTime<chrono::FixedOffset>>().map(|t| t.with_timezone(&chrono::Utc)).map_err(de::Error::custom),
    }
}

impl From<OrderLineText> for OrderLine {
    fn from(t: OrderLineText) -> OrderLine {
        // Every field by name: a field added to `OrderLine` stops this from compiling.
        let OrderLineText { id, customer_id, order_no, date, amount, profit, product, category, quantity, channel, created_at, updated_at } = t;
        OrderLine { id, customer_id, order_no, date, amount, profit, product, category, quantity, channel, created_at, updated_at }
    }
}

/// The order lines of a section, `self.0` of them by the header (room for them is made
/// first: a million lines otherwise grow the list by copying it a dozen times; a header
/// that claims more than the text can hold gets no more room than that).
struct Lines(usize);

impl<'de> de::DeserializeSeed<'de> for Lines {
    type Value = Vec<OrderLine>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<OrderLine>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Lines {
    type Value = Vec<OrderLine>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of order lines")
    }
    fn visit_none<E>(self) -> std::result::Result<Vec<OrderLine>, E> {
        Ok(Vec::new())
    }
    fn visit_unit<E>(self) -> std::result::Result<Vec<OrderLine>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<OrderLine>, D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<OrderLine>, A::Error> {
        let mut out = Vec::with_capacity(self.0);
        while let Some(line) = seq.next_element::<OrderLineText>()? {
            out.push(OrderLine::from(line));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{checksum, export, parse, parse_value, tests::edit_sealed, BackupError};
    use super::*;
    use crate::demo::{self, DemoParams};
    use crate::model::{Settings, Timestamp};
    use chrono::{TimeZone, Utc};

    fn when() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 6, 30, 18, 0, 0).single().unwrap_or_default()
    }

    fn demo_text() -> (Dataset, String) {
        let d = demo::generate(&DemoParams { customers: 80, ..DemoParams::default() });
        let text = export(&d, &Settings::default(), "0.1.0", when()).expect("export");
        (d, text)
    }

    /// An exported `text` with its `data` text changed by `change`, and its checksum the
    /// digest of the new `data` text as it stands (canonical or not; what a file written
    /// to get past the fast way's digest would carry).
    fn reseal(text: &str, change: impl FnOnce(&str) -> String) -> String {
        let at = text.find(",\"data\":").expect("data");
        let raw = change(&text[at + ",\"data\":".len()..text.len() - 1]);
        let key = "\"checksum\":\"sha256:";
        let sum = text.find(key).expect("checksum") + key.len();
        let digest = hex(&super::super::sha256(raw.as_bytes()));
        format!("{}{digest}{},\"data\":{raw}}}", &text[..sum], &text[sum + 64..at])
    }

    /// Whether `text` is read the fast way, and what `parse` makes of it.
    fn fast(text: &str) -> bool {
        Split::of(text).map(|s| s.decode().data.is_some()).unwrap_or(false)
    }

    /// An exported backup is read the fast way, with the very result of the `Value` way.
    #[test]
    fn an_export_is_read_the_fast_way_with_the_same_result() {
        let (d, text) = demo_text();
        assert!(fast(&text));
        let quick = parse(&text).expect("parse");
        assert_eq!(quick, parse_value(&text).expect("parse as a value"));
        assert_eq!(quick.data, d);
        // With a byte-order mark too.
        assert_eq!(parse(&format!("\u{feff}{text}")).expect("with a mark"), quick);
    }

    /// Files the fast way cannot conclude on come out as the `Value` way reads them: the
    /// same backup, or the same error.
    #[test]
    fn what_the_fast_way_cannot_read_is_read_the_checked_way() {
        let (_, text) = demo_text();
        let same = |t: &str| assert_eq!(parse(t), parse_value(t), "{}", &t[..t.len().min(200)]);
        // Pretty-printed: intact, but the text is not the canonical one.
        let pretty = serde_json::to_string_pretty(&serde_json::from_str::<Value>(&text).expect("json")).expect("pretty");
        assert!(Split::of(&pretty).is_some());
        same(&pretty);
        assert!(parse(&pretty).is_ok());
        // An unknown field in an order line, and in a customer: read, and ignored, by both.
        let unknown_line = edit_sealed(&text, |v| v["data"]["orders"][0]["colour"] = Value::from("red"));
        let unknown_customer = edit_sealed(&text, |v| v["data"]["customers"][0]["colour"] = serde_json::json!({"deep": [1, 2]}));
        let unknown_section = edit_sealed(&text, |v| v["data"]["notes"] = serde_json::json!([]));
        for t in [&unknown_line, &unknown_customer, &unknown_section] {
            assert!(!fast(t));
            same(t);
            assert!(parse(t).is_ok());
        }
        // Damage the checks name: a wrong amount type, a count, an edited amount.
        let bad_amount = edit_sealed(&text, |v| v["data"]["orders"][3]["amount"] = Value::from("12"));
        let bad_count = edit_sealed(&text, |v| v["counts"]["orders"] = Value::from(1));
        let broken = text.replacen("\"amount\":", "\"amount\":1", 1);
        for t in [&bad_amount, &bad_count, &broken] {
            same(t);
            assert!(parse(t).is_err());
        }
        assert!(matches!(parse(&broken), Err(BackupError::ChecksumMismatch { .. })));
        // Older versions are migrated as values.
        let v1 = edit_sealed(&text, |v| v["format_version"] = Value::from(1));
        assert!(Split::of(&v1).is_none());
    }

    /// What only the checked way refuses inside records (a repeated key, a number out of
    /// range, nesting past the limit) still is refused: the fast way gives up on it.
    #[test]
    fn the_structure_limits_hold_on_the_fast_way() {
        let (_, text) = demo_text();
        let seal = |t: String| reseal(&t, |raw| raw.to_string());
        let line_twice = seal(text.replacen("\"amount\":", "\"amount\":1,\"amount\":", 1));
        let attribute_twice = seal(text.replacen("\"attributes\":{\"", "\"attributes\":{\"a\":\"x\",\"a\":\"y\",\"", 1));
        let customer_field_twice = seal(text.replacen("\"city\":", "\"city\":\"x\",\"city\":", 1));
        let huge = seal(text.replacen("\"amount\":", "\"amount\":1e400,\"x\":", 1));
        for (t, what) in [(&line_twice, "line"), (&attribute_twice, "attribute"), (&customer_field_twice, "customer field")] {
            assert_ne!(t.len(), text.len(), "{what}");
            assert!(!fast(t), "{what}");
            assert!(matches!(parse(t), Err(BackupError::DuplicateKey { .. })), "{:?}", parse(t).err());
        }
        assert!(!fast(&huge));
        assert!(matches!(parse(&huge), Err(BackupError::NumberOutOfRange { .. })), "{:?}", parse(&huge).err());
    }

    /// Dates and timestamps read directly are what serde's own reading makes of them, for
    /// the plain forms and anything near them.
    #[test]
    fn dates_and_times_read_as_serde_reads_them() {
        let read = |json: &str| {
            let ours = date(&mut serde_json::Deserializer::from_str(json)).ok();
            let ours_t = timestamp(&mut serde_json::Deserializer::from_str(json)).ok();
            (ours, serde_json::from_str::<Date>(json).ok(), ours_t, serde_json::from_str::<Timestamp>(json).ok())
        };
        let texts = [
            "2023-07-01", "0000-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "2023-13-01", "2023-00-10", "2023-7-01", "+2023-07-01", " 2023-07-01", "2023-07-01 ",
            "2023-07-01T02:00:00Z", "2023-07-01T23:59:59Z", "2023-07-01T24:00:00Z", "2016-12-31T23:59:60Z", "2023-07-01T02:00:00.5Z", "2023-07-01t02:00:00z",
            "2023-07-01T02:00:00+08:00", "2023-07-01 02:00:00Z", "2023-07-01T02:60:00Z", "2023-02-30T02:00:00Z", "abcd-ef-ghTij:kl:mnZ", "",
        ];
        for t in texts {
            let json = serde_json::to_string(t).expect("json");
            let (ours, theirs, ours_t, theirs_t) = read(&json);
            assert_eq!(ours, theirs, "{t}");
            assert_eq!(ours_t, theirs_t, "{t}");
        }
        assert!(read("\"2023-07-01\"").0.is_some() && read("\"2023-07-01T02:00:00Z\"").2.is_some());
    }

    /// The one difference, documented in the module: a checksum that is the digest of the
    /// `data` text as it stands though that text is not canonical (another tool's
    /// whitespace) is taken by the fast way; the bytes are intact, which is what the
    /// checksum is for. The checked way reads the canonical digest only.
    #[test]
    fn a_checksum_of_the_text_as_written_is_taken() {
        let (d, text) = demo_text();
        let canonical = checksum(&serde_json::from_str::<Value>(&text).expect("json")["data"]);
        let t = reseal(&text, |raw| raw.replacen("\"complaints\":", "\"complaints\": ", 1));
        assert_eq!(parse(&t).expect("taken").data, d);
        assert!(matches!(parse_value(&t), Err(BackupError::ChecksumMismatch { actual, .. }) if actual == canonical));
    }
}
