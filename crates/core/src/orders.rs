//! Order lines as a columnar table (struct of arrays): what the analyses read at department
//! scale (SPEC §1: up to 2 million order lines).
//!
//! A `Vec<OrderLine>` holds every line as a struct with six heap strings and two
//! timestamps: about 250 bytes a line, scattered over the heap, and every analysis pays a
//! string hash per line to find its customer. [`OrderTable`] holds one array per field:
//! the customer as an index into a dictionary of customer ids, the date as a day number,
//! amount, profit and quantity as `f64` with a validity bitmap for the optional ones, and
//! product / category / channel / order number dictionary-encoded. Line ids live in one
//! string arena. That is about 60 bytes a line, read in order, and an analysis maps each
//! *distinct* customer id once instead of hashing each line.
//!
//! Row structs ([`OrderLine`]) are made only where a person looks at single lines
//! ([`OrderTable::row`], [`OrderTable::to_rows`]). `from_rows` followed by `to_rows` is the
//! identity (a property test checks it), so nothing is lost by holding lines this way.
//!
//! The columns are also the storage layout: [`OrderTable::chunks`] cuts them into chunks of
//! [`CHUNK_LINES`] lines of plain little-endian arrays, which the app stores as
//! ArrayBuffers; [`OrderTable::from_chunks`] puts them back together and
//! [`OrderTable::checksum`] lets the store check that what it read is what it wrote.
//!
//! A dictionary here is hand-written rather than taken from a crate (e.g. `indexmap`):
//! it is a string arena plus a hash table of indices into it, and the analyses need its
//! indices to be dense and stable, which is all it does. (`indexmap` would hold each value
//! as its own `String`, which at a million order numbers is what this avoids.)

use crate::model::{Date, Language, OrderLine, Timestamp};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use hashbrown::HashTable;
use std::collections::HashMap;

/// Lines per storage chunk (65,536: a chunk's `f64` column is 512 KiB).
pub const CHUNK_LINES: usize = 65_536;

type FxBuild = rustc_hash::FxBuildHasher;

pub mod csv_file;

/// Strings encoded as dense indices `0..len` in order of first appearance.
///
/// The values live in one arena, as [`Dictionaries::pack`] stores them: `text` is every
/// value concatenated and `ends[i]` the end offset of value `i`. A `Vec<String>` spent a
/// 24-byte header and a heap allocation on each value (at 2M lines, about a million order
/// numbers of a dozen bytes: some 50 MB where the arena takes 16 MB), and its lookup map
/// held every value a second time as a key. The lookup is a [`hashbrown::HashTable`] of
/// indices, hashed by the value each points at: 4 bytes (plus a control byte) a slot.
///
/// The lookup is built on the first lookup (a reader that has its own dictionary, as
/// [`csv_file`] has, or the store's start-up read, hands over the values without paying
/// for a table that the analyses never consult).
#[derive(Debug, Clone, Default)]
pub struct Dict {
    text: String,
    ends: Vec<u32>,
    index: std::sync::OnceLock<HashTable<u32>>,
}

/// Two dictionaries are equal when their values are, in order: the lookup is a function of
/// them. (Equal values in order means equal ends and equal text.)
impl PartialEq for Dict {
    fn eq(&self, other: &Self) -> bool {
        self.ends == other.ends && self.text == other.text
    }
}

/// The hash of a value in a dictionary's lookup table.
fn hash_of(s: &str) -> u64 {
    use std::hash::BuildHasher;
    FxBuild::default().hash_one(s)
}

/// The index of `s` in `dict` for a line appended to `column`: the previous line's index
/// when it is the same value (the lines of one order sit together: same customer, order
/// number, often channel), without hashing; else interned.
fn intern_after(dict: &mut Dict, column: &[u32], s: &str) -> u32 {
    match column.last() {
        Some(&last) if dict.value(last) == s => last,
        _ => dict.intern(s),
    }
}

/// Serialized as before the arena: a struct with the list of `values`.
impl Serialize for Dict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = serializer.serialize_struct("Dict", 1)?;
        st.serialize_field("values", &ValueList(self))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Dict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename = "Dict")]
        struct Repr {
            #[serde(with = "dict_as_list")]
            values: Dict,
        }
        Ok(Repr::deserialize(deserializer)?.values)
    }
}

/// A dictionary's values as a plain sequence of strings.
struct ValueList<'a>(&'a Dict);

impl Serialize for ValueList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.values())
    }
}

/// Serde of a [`Dict`] as a plain list of its values (each value kept, repeats included,
/// as a `Vec<String>` would be): the form of [`Dictionaries`]' fields.
mod dict_as_list {
    use super::{Dict, ValueList};
    use serde::{Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(d: &Dict, serializer: S) -> Result<S::Ok, S::Error> {
        ValueList(d).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Dict, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Dict;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Dict, A::Error> {
                let mut d = Dict::default();
                d.ends.reserve(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(v) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    d.push_unindexed(&v);
                }
                Ok(d)
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}

impl Dict {
    /// A dictionary of the given values (repeats are kept once, first wins).
    pub fn from_values<I: IntoIterator<Item = S>, S: AsRef<str>>(values: I) -> Self {
        let mut d = Dict::default();
        for v in values {
            d.intern(v.as_ref());
        }
        d
    }

    /// A dictionary of values known to be distinct, in order (the lookup is built on the
    /// first lookup).
    pub fn from_unique<I: IntoIterator<Item = S>, S: AsRef<str>>(values: I) -> Self {
        let mut d = Dict::default();
        for v in values {
            d.push_unindexed(v.as_ref());
        }
        d
    }

    /// The dictionary packed as `text` and little-endian `u32` end offsets
    /// ([`Dictionaries::pack`]), taking `text` over without a copy; `None` when the offsets
    /// do not fit the text. Repeated values are kept as they are (the first is the one a
    /// lookup finds).
    pub fn from_packed(text: String, ends: &[u8]) -> Option<Self> {
        if ends.len() % 4 != 0 {
            return None;
        }
        let ends = read_u32(ends);
        let mut start = 0u32;
        for &e in &ends {
            if e < start || !text.is_char_boundary(e as usize) {
                return None;
            }
            start = e;
        }
        (start as usize == text.len()).then(|| Dict { text, ends, index: std::sync::OnceLock::new() })
    }

    /// Appends `s` without looking at (or building) the lookup.
    fn push_unindexed(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(u32::try_from(self.text.len()).expect("a dictionary's text is under 4 GiB"));
    }

    /// The lookup table of the values (the first of repeated values wins).
    fn build_index(&self, room: usize) -> HashTable<u32> {
        let mut t = HashTable::with_capacity(self.len() + room);
        for i in 0..self.len() as u32 {
            let v = self.value(i);
            let h = hash_of(v);
            if t.find(h, |&j| self.value(j) == v).is_none() {
                t.insert_unique(h, i, |&j| hash_of(self.value(j)));
            }
        }
        t
    }

    /// The lookup, built if it is not yet.
    fn index_mut(&mut self, room: usize) -> &mut HashTable<u32> {
        if self.index.get_mut().is_none() {
            let t = self.build_index(room);
            let _ = self.index.set(t);
        }
        self.index.get_mut().expect("just set")
    }

    /// The index of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        let h = hash_of(s);
        self.index_mut(0);
        let index = self.index.get_mut().expect("built above");
        let (text, ends) = (&self.text, &self.ends);
        if let Some(&i) = index.find(h, |&j| value_in(text, ends, j) == s) {
            return i;
        }
        let i = self.ends.len() as u32;
        self.push_unindexed(s);
        let (text, ends) = (&self.text, &self.ends);
        self.index.get_mut().expect("built above").insert_unique(h, i, |&j| hash_of(value_in(text, ends, j)));
        i
    }

    /// Room for `n` more values, in the arena's offsets and in the lookup: interning a
    /// million new values otherwise rehashes a large table now and then, each time in one
    /// go.
    pub fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
        self.index_mut(n);
        let (text, ends) = (&self.text, &self.ends);
        self.index.get_mut().expect("built above").reserve(n, |&j| hash_of(value_in(text, ends, j)));
    }

    /// The index of `s`, if present.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.index.get_or_init(|| self.build_index(0)).find(hash_of(s), |&j| self.value(j) == s).copied()
    }

    /// The string at index `i`.
    pub fn value(&self, i: u32) -> &str {
        value_in(&self.text, &self.ends, i)
    }

    /// All strings in index order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone + '_ {
        (0..self.len() as u32).map(|i| self.value(i))
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every value concatenated, in index order (the `text` of [`Dictionaries::pack`]).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The end offset of each value in [`Dict::text`].
    pub fn ends(&self) -> &[u32] {
        &self.ends
    }

    /// A copy of the values alone (the copy builds its lookup when it needs it).
    fn without_index(&self) -> Dict {
        Dict { text: self.text.clone(), ends: self.ends.clone(), index: std::sync::OnceLock::new() }
    }
}

/// Value `i` of an arena (`text`, `ends`).
fn value_in<'t>(text: &'t str, ends: &[u32], i: u32) -> &'t str {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

/// A bitmap of which optional values are present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    /// The bitmap of `flags`, as pushing them one by one makes it.
    fn from_bools(flags: &[bool]) -> Self {
        let words = flags.chunks(64).map(|c| c.iter().enumerate().fold(0u64, |w, (k, &on)| w | (u64::from(on) << k))).collect();
        Bits { words, len: flags.len() }
    }

    fn push(&mut self, on: bool) {
        if self.len % 64 == 0 {
            self.words.push(0);
        }
        if on {
            self.words[self.len / 64] |= 1 << (self.len % 64);
        }
        self.len += 1;
    }

    fn set(&mut self, i: usize, on: bool) {
        if on {
            self.words[i / 64] |= 1 << (i % 64);
        } else {
            self.words[i / 64] &= !(1 << (i % 64));
        }
    }

    /// Bit `i`.
    pub fn get(&self, i: usize) -> bool {
        (self.words[i / 64] >> (i % 64)) & 1 == 1
    }
}

/// An order line borrowed from an [`OrderTable`] ([`OrderTable::row_ref`]): the fields of
/// [`OrderLine`] with the texts borrowed, serialised exactly as the row struct is (a
/// backup writes a million of them without making a row struct each).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OrderLineRef<'a> {
    // In key order, so that a backup's canonical writer puts them out as they come.
    /// [`OrderLine::amount`]
    pub amount: f64,
    /// [`OrderLine::category`]
    pub category: &'a str,
    /// [`OrderLine::channel`]
    pub channel: &'a str,
    /// [`OrderLine::created_at`]
    #[serde(serialize_with = "plain_timestamp")]
    pub created_at: Timestamp,
    /// [`OrderLine::customer_id`]
    pub customer_id: &'a str,
    /// [`OrderLine::date`]
    #[serde(serialize_with = "plain_date")]
    pub date: Date,
    /// [`OrderLine::id`]
    pub id: &'a str,
    /// [`OrderLine::order_no`]
    pub order_no: &'a str,
    /// [`OrderLine::product`]
    pub product: &'a str,
    /// [`OrderLine::profit`]
    pub profit: Option<f64>,
    /// [`OrderLine::quantity`]
    pub quantity: Option<f64>,
    /// [`OrderLine::updated_at`]
    #[serde(serialize_with = "plain_timestamp")]
    pub updated_at: Timestamp,
}

/// `value`'s decimal digits into `out`, zero-padded to its length.
fn put_digits(out: &mut [u8], mut value: u32) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// A date's text as chrono's serde writes it (`YYYY-MM-DD`) for years 0-9999, without
/// going through its formatting machinery (a backup writes a million); `None` for other
/// years, which chrono writes.
pub(crate) fn date_text(d: &Date) -> Option<[u8; 10]> {
    if !(0..=9999).contains(&d.year()) {
        return None;
    }
    let mut b = *b"0000-00-00";
    put_digits(&mut b[0..4], d.year() as u32);
    put_digits(&mut b[5..7], d.month());
    put_digits(&mut b[8..10], d.day());
    Some(b)
}

/// A timestamp's text as chrono's serde writes it (RFC 3339 with `Z`, a fraction only when
/// the second is not whole) for whole seconds of years 0-9999 (every time the app records),
/// without its formatting machinery; `None` for anything else, which chrono writes.
pub(crate) fn timestamp_text(t: &Timestamp) -> Option<[u8; 20]> {
    use chrono::Timelike;
    if t.nanosecond() != 0 || !(0..=9999).contains(&t.year()) {
        return None;
    }
    let mut b = *b"0000-00-00T00:00:00Z";
    put_digits(&mut b[0..4], t.year() as u32);
    put_digits(&mut b[5..7], t.month());
    put_digits(&mut b[8..10], t.day());
    put_digits(&mut b[11..13], t.hour());
    put_digits(&mut b[14..16], t.minute());
    put_digits(&mut b[17..19], t.second());
    Some(b)
}

/// A date as chrono's serde writes it ([`date_text`], else chrono).
fn plain_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    match date_text(d).as_ref().map(|b| std::str::from_utf8(b)) {
        Some(Ok(text)) => s.serialize_str(text),
        _ => d.serialize(s),
    }
}

/// A timestamp as chrono's serde writes it ([`timestamp_text`], else chrono).
fn plain_timestamp<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    match timestamp_text(t).as_ref().map(|b| std::str::from_utf8(b)) {
        Some(Ok(text)) => s.serialize_str(text),
        _ => t.serialize(s),
    }
}

impl From<OrderLineRef<'_>> for OrderLine {
    fn from(r: OrderLineRef<'_>) -> OrderLine {
        // Every field by name: a field added to `OrderLine` stops this from compiling.
        let OrderLineRef { id, customer_id, order_no, date, amount, profit, product, category, quantity, channel, created_at, updated_at } = r;
        OrderLine {
            id: id.into(),
            customer_id: customer_id.into(),
            order_no: order_no.into(),
            date,
            amount,
            profit,
            product: product.into(),
            category: category.into(),
            quantity,
            channel: channel.into(),
            created_at,
            updated_at,
        }
    }
}

/// Order lines, one array per field; see the module documentation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderTable {
    /// Customer ids; `customer[i]` indexes this.
    pub customers: Dict,
    /// Customer of each line.
    pub customer: Vec<u32>,
    /// Date of each line as days from the common era (`NaiveDate::num_days_from_ce`).
    pub day: Vec<i32>,
    /// Amount in yuan.
    pub amount: Vec<f64>,
    /// Gross profit (0 where unknown; see `profit_known`).
    pub profit: Vec<f64>,
    /// Which lines carry a profit.
    pub profit_known: Bits,
    /// Quantity (0 where unknown; see `quantity_known`).
    pub quantity: Vec<f64>,
    /// Which lines carry a quantity.
    pub quantity_known: Bits,
    /// Order numbers ("" when the line has none).
    pub order_nos: Dict,
    /// Order number of each line.
    pub order_no: Vec<u32>,
    /// Products.
    pub products: Dict,
    /// Product of each line.
    pub product: Vec<u32>,
    /// Categories.
    pub categories: Dict,
    /// Category of each line.
    pub category: Vec<u32>,
    /// Channels.
    pub channels: Dict,
    /// Channel of each line.
    pub channel: Vec<u32>,
    /// Line ids, concatenated; line `i`'s id is `id_text[id_end[i-1]..id_end[i]]`.
    pub id_text: String,
    /// End offset of each line id in `id_text`.
    pub id_end: Vec<u32>,
    /// Created, as nanoseconds since the Unix epoch.
    pub created_ns: Vec<i64>,
    /// Last changed, as nanoseconds since the Unix epoch.
    pub updated_ns: Vec<i64>,
}

/// Timestamps are kept as nanoseconds since the epoch (exact for 1677-2262, which covers
/// every record time; the clock gives nanoseconds natively, so milliseconds would not round
/// trip).
fn ns(t: &Timestamp) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 { i64::MIN } else { i64::MAX })
}

fn from_ns(v: i64) -> Timestamp {
    chrono::DateTime::from_timestamp_nanos(v)
}

impl OrderTable {
    /// An empty table with room for `n` lines.
    pub fn with_capacity(n: usize) -> Self {
        OrderTable {
            customer: Vec::with_capacity(n),
            day: Vec::with_capacity(n),
            amount: Vec::with_capacity(n),
            profit: Vec::with_capacity(n),
            quantity: Vec::with_capacity(n),
            order_no: Vec::with_capacity(n),
            product: Vec::with_capacity(n),
            category: Vec::with_capacity(n),
            channel: Vec::with_capacity(n),
            id_end: Vec::with_capacity(n),
            created_ns: Vec::with_capacity(n),
            updated_ns: Vec::with_capacity(n),
            ..Default::default()
        }
    }

    /// The table of `rows`, in their order.
    pub fn from_rows(rows: &[OrderLine]) -> Self {
        let mut t = Self::with_capacity(rows.len());
        for r in rows {
            t.push(r);
        }
        t
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.day.len()
    }

    /// True when there are no lines.
    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }

    /// Appends one line.
    pub fn push(&mut self, r: &OrderLine) {
        let c = intern_after(&mut self.customers, &self.customer, &r.customer_id);
        self.push_parts(LineParts {
            id: &r.id,
            customer: c,
            day: r.date.num_days_from_ce(),
            amount: r.amount,
            profit: r.profit,
            quantity: r.quantity,
            order_no: &r.order_no,
            product: &r.product,
            category: &r.category,
            channel: &r.channel,
            created_ns: ns(&r.created_at),
            updated_ns: ns(&r.updated_at),
        });
    }

    /// Appends one line given as its parts (`customer` already an index of `customers`):
    /// the way a file reader fills the table without making row structs.
    pub fn push_parts(&mut self, p: LineParts<'_>) {
        self.customer.push(p.customer);
        self.day.push(p.day);
        self.amount.push(p.amount);
        self.profit.push(p.profit.unwrap_or(0.0));
        self.profit_known.push(p.profit.is_some());
        self.quantity.push(p.quantity.unwrap_or(0.0));
        self.quantity_known.push(p.quantity.is_some());
        self.order_no.push(intern_after(&mut self.order_nos, &self.order_no, p.order_no));
        self.product.push(intern_after(&mut self.products, &self.product, p.product));
        self.category.push(intern_after(&mut self.categories, &self.category, p.category));
        self.channel.push(intern_after(&mut self.channels, &self.channel, p.channel));
        self.id_text.push_str(p.id);
        self.id_end.push(self.id_text.len() as u32);
        self.created_ns.push(p.created_ns);
        self.updated_ns.push(p.updated_ns);
    }

    /// The id of line `i`.
    pub fn id(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.id_end[i - 1] as usize };
        &self.id_text[start..self.id_end[i] as usize]
    }

    /// The date of line `i`.
    pub fn date(&self, i: usize) -> Date {
        Date::from_num_days_from_ce_opt(self.day[i]).unwrap_or_default()
    }

    /// The profit of line `i`, if known.
    pub fn profit_of(&self, i: usize) -> Option<f64> {
        self.profit_known.get(i).then(|| self.profit[i])
    }

    /// The quantity of line `i`, if known.
    pub fn quantity_of(&self, i: usize) -> Option<f64> {
        self.quantity_known.get(i).then(|| self.quantity[i])
    }

    /// Line `i` as a row struct.
    pub fn row(&self, i: usize) -> OrderLine {
        self.row_ref(i).into()
    }

    /// Line `i` as a borrowed row: what [`Self::row`] gives, without copying its texts.
    pub fn row_ref(&self, i: usize) -> OrderLineRef<'_> {
        OrderLineRef {
            id: self.id(i),
            customer_id: self.customers.value(self.customer[i]),
            order_no: self.order_nos.value(self.order_no[i]),
            date: self.date(i),
            amount: self.amount[i],
            profit: self.profit_of(i),
            product: self.products.value(self.product[i]),
            category: self.categories.value(self.category[i]),
            quantity: self.quantity_of(i),
            channel: self.channels.value(self.channel[i]),
            created_at: from_ns(self.created_ns[i]),
            updated_at: from_ns(self.updated_ns[i]),
        }
    }

    /// Every line as a row struct, in table order.
    pub fn to_rows(&self) -> Vec<OrderLine> {
        (0..self.len()).map(|i| self.row(i)).collect()
    }

    /// The lines of the customer with id `customer_id`, as row structs, in table order
    /// (what the customer page shows).
    pub fn rows_of(&self, customer_id: &str) -> Vec<OrderLine> {
        match self.customers.get(customer_id) {
            Some(c) => (0..self.len()).filter(|&i| self.customer[i] == c).map(|i| self.row(i)).collect(),
            None => Vec::new(),
        }
    }

    /// For each customer of the table's dictionary, its position in `ids` (the order the
    /// analysis reports in), or `u32::MAX` when the id is not in `ids`. When an id repeats
    /// in `ids`, the first occurrence wins. One hash lookup per distinct customer.
    pub fn positions_in<S: AsRef<str>>(&self, ids: &[S]) -> Vec<u32> {
        let mut at: HashMap<&str, u32, FxBuild> = HashMap::with_capacity_and_hasher(ids.len(), Default::default());
        for (i, id) in ids.iter().enumerate() {
            at.entry(id.as_ref()).or_insert(i as u32);
        }
        self.customers.values().map(|c| at.get(c).copied().unwrap_or(u32::MAX)).collect()
    }

    /// Replaces line `i` by `r` in place (its id is kept).
    fn set_row(&mut self, i: usize, r: &OrderLine) {
        self.customer[i] = self.customers.intern(&r.customer_id);
        self.day[i] = r.date.num_days_from_ce();
        self.amount[i] = r.amount;
        self.profit[i] = r.profit.unwrap_or(0.0);
        self.profit_known.set(i, r.profit.is_some());
        self.quantity[i] = r.quantity.unwrap_or(0.0);
        self.quantity_known.set(i, r.quantity.is_some());
        self.order_no[i] = self.order_nos.intern(&r.order_no);
        self.product[i] = self.products.intern(&r.product);
        self.category[i] = self.categories.intern(&r.category);
        self.channel[i] = self.channels.intern(&r.channel);
        self.created_ns[i] = ns(&r.created_at);
        self.updated_ns[i] = ns(&r.updated_at);
    }

    fn dictionary_sizes(&self) -> [usize; 5] {
        [self.customers.len(), self.order_nos.len(), self.products.len(), self.categories.len(), self.channels.len()]
    }

    /// Inserts or updates lines by id: a line whose id is already in the table replaces
    /// that line in place, any other is appended (in the order given; when an id repeats in
    /// `rows`, the last one wins). One pass over the table's ids. Returns what changed, for
    /// the store to rewrite only those chunks. [`Upsert`] does the same in bounded steps.
    pub fn upsert(&mut self, rows: &[OrderLine]) -> TableChange {
        let mut u = Upsert::new(self, rows);
        while !u.step(self, usize::MAX) {}
        u.finish(self)
    }

    /// Appends lines that must all be new (the undo of a delete): fails, changing nothing,
    /// naming the first id that is already in the table or repeats in `rows`.
    pub fn insert_new(&mut self, rows: &[OrderLine]) -> Result<TableChange, String> {
        let mut seen: std::collections::HashSet<&str, FxBuild> = std::collections::HashSet::with_capacity_and_hasher(rows.len(), Default::default());
        if let Some(r) = rows.iter().find(|r| !seen.insert(r.id.as_str())) {
            return Err(r.id.clone());
        }
        if let Some(i) = (0..self.len()).find(|&i| seen.contains(self.id(i))) {
            return Err(self.id(i).to_owned());
        }
        Ok(self.upsert(rows))
    }

    /// Keeps the lines for which `keep(table, i)` is true, in order. Dictionaries keep
    /// their entries (indices stay valid). Returns what changed: every chunk from the first
    /// removed line on.
    pub fn retain(&mut self, mut keep: impl FnMut(&OrderTable, usize) -> bool) -> TableChange {
        let flags: Vec<bool> = (0..self.len()).map(|i| keep(self, i)).collect();
        let Some(first) = flags.iter().position(|k| !k) else { return TableChange::default() };
        let mut t = OrderTable::with_capacity(flags.iter().filter(|k| **k).count());
        t.customers = std::mem::take(&mut self.customers);
        t.order_nos = std::mem::take(&mut self.order_nos);
        t.products = std::mem::take(&mut self.products);
        t.categories = std::mem::take(&mut self.categories);
        t.channels = std::mem::take(&mut self.channels);
        for (i, _) in flags.iter().enumerate().filter(|(_, k)| **k) {
            t.customer.push(self.customer[i]);
            t.day.push(self.day[i]);
            t.amount.push(self.amount[i]);
            t.profit.push(self.profit[i]);
            t.profit_known.push(self.profit_known.get(i));
            t.quantity.push(self.quantity[i]);
            t.quantity_known.push(self.quantity_known.get(i));
            t.order_no.push(self.order_no[i]);
            t.product.push(self.product[i]);
            t.category.push(self.category[i]);
            t.channel.push(self.channel[i]);
            t.id_text.push_str(self.id(i));
            t.id_end.push(t.id_text.len() as u32);
            t.created_ns.push(self.created_ns[i]);
            t.updated_ns.push(self.updated_ns[i]);
        }
        let removed = self.len() - t.len();
        *self = t;
        TableChange { chunks: (first / CHUNK_LINES..self.chunk_count()).collect(), added: 0, removed, dictionaries: false }
    }

    /// Removes the lines whose id is in `ids`.
    pub fn remove_ids(&mut self, ids: &std::collections::HashSet<&str>) -> TableChange {
        self.retain(|t, i| !ids.contains(t.id(i)))
    }

    /// Removes the lines of the customers whose id is in `ids`.
    pub fn remove_customers(&mut self, ids: &std::collections::HashSet<&str>) -> TableChange {
        let gone: Vec<bool> = self.customers.values().map(|c| ids.contains(c)).collect();
        self.retain(|t, i| !gone[t.customer[i] as usize])
    }

    /// The lines of the customers whose id is in `ids`, as row structs, in table order.
    pub fn rows_of_customers(&self, ids: &std::collections::HashSet<&str>) -> Vec<OrderLine> {
        let wanted: Vec<bool> = self.customers.values().map(|c| ids.contains(c)).collect();
        (0..self.len()).filter(|&i| wanted[self.customer[i] as usize]).map(|i| self.row(i)).collect()
    }

    /// The columns cut into chunks of [`CHUNK_LINES`] lines, for storage.
    pub fn chunks(&self) -> Vec<Chunk> {
        (0..self.chunk_count()).map(|k| self.chunk(k)).collect()
    }

    /// Number of storage chunks ([`CHUNK_LINES`] lines each, the last one shorter).
    pub fn chunk_count(&self) -> usize {
        self.len().div_ceil(CHUNK_LINES)
    }

    /// Storage chunk `k` (lines `k * CHUNK_LINES ..`), for `k < chunk_count()`.
    pub fn chunk(&self, k: usize) -> Chunk {
        let n = self.len();
        let (a, b) = (k * CHUNK_LINES, ((k + 1) * CHUNK_LINES).min(n));
        let id_start = if a == 0 { 0 } else { self.id_end[a - 1] as usize };
        Chunk {
            index: k as u32,
            lines: (b - a) as u32,
            customer: le_u32(&self.customer[a..b]),
            day: le_i32(&self.day[a..b]),
            amount: le_f64(&self.amount[a..b]),
            profit: le_f64(&self.profit[a..b]),
            profit_known: (a..b).map(|i| u8::from(self.profit_known.get(i))).collect(),
            quantity: le_f64(&self.quantity[a..b]),
            quantity_known: (a..b).map(|i| u8::from(self.quantity_known.get(i))).collect(),
            order_no: le_u32(&self.order_no[a..b]),
            product: le_u32(&self.product[a..b]),
            category: le_u32(&self.category[a..b]),
            channel: le_u32(&self.channel[a..b]),
            id_text: self.id_text[id_start..self.id_end[b - 1] as usize].to_owned(),
            id_end: le_u32(&self.id_end[a..b].iter().map(|e| e - id_start as u32).collect::<Vec<_>>()),
            created_ns: le_i64(&self.created_ns[a..b]),
            updated_ns: le_i64(&self.updated_ns[a..b]),
        }
    }

    /// The five dictionaries in [`Dictionaries::lists`] order, borrowed (packing them for
    /// storage needs no copy of a million order numbers).
    pub fn dictionary_values(&self) -> [&Dict; 5] {
        [&self.customers, &self.order_nos, &self.products, &self.categories, &self.channels]
    }

    /// The dictionaries, stored beside the chunks (copied).
    pub fn dictionaries(&self) -> Dictionaries {
        Dictionaries {
            customers: self.customers.without_index(),
            order_nos: self.order_nos.without_index(),
            products: self.products.without_index(),
            categories: self.categories.without_index(),
            channels: self.channels.without_index(),
        }
    }

    /// Puts a table back together from its dictionaries and chunks (in any order; they are
    /// sorted by index). Fails, naming the chunk, when a chunk is damaged or refers to a
    /// dictionary entry that does not exist. [`OrderTableBuilder`] does the same one chunk
    /// at a time, for a reader that should not hold every chunk at once.
    pub fn from_chunks(dicts: Dictionaries, mut chunks: Vec<Chunk>) -> Result<Self, ChunkError> {
        chunks.sort_by_key(|c| c.index);
        let total: usize = chunks.iter().map(|c| c.lines as usize).sum();
        let mut b = OrderTableBuilder::new(dicts, total);
        for c in &chunks {
            b.push(c)?;
        }
        Ok(b.finish())
    }

    /// SHA-256 over every line's fields in table order, hex: equal for equal tables
    /// whatever their chunking or dictionary order (it hashes the values, not the
    /// indices). The store keeps it in `meta` beside the line count.
    pub fn checksum(&self) -> String {
        let mut h = Sha256::new();
        for i in 0..self.len() {
            for s in [self.id(i), self.customers.value(self.customer[i]), self.order_nos.value(self.order_no[i]), self.products.value(self.product[i]), self.categories.value(self.category[i]), self.channels.value(self.channel[i])] {
                h.update((s.len() as u32).to_le_bytes());
                h.update(s.as_bytes());
            }
            h.update(self.day[i].to_le_bytes());
            h.update(self.amount[i].to_bits().to_le_bytes());
            h.update(self.profit_of(i).map_or(u64::MAX, f64::to_bits).to_le_bytes());
            h.update(self.quantity_of(i).map_or(u64::MAX, f64::to_bits).to_le_bytes());
            h.update(self.created_ns[i].to_le_bytes());
            h.update(self.updated_ns[i].to_le_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// [`OrderTable::upsert`] in bounded steps, for a caller that must stay responsive (the
/// app's page thread, where a million new lines would otherwise be one task of more than a
/// second): each [`Upsert::step`] handles at most `n` of the new rows or of the table's
/// lines. The table must be changed by nothing else between [`Upsert::new`] and
/// [`Upsert::finish`]; after the last step it is what `upsert` makes of it.
pub struct Upsert<'r> {
    rows: &'r [OrderLine],
    /// Id → position in `rows` of its last occurrence.
    incoming: HashMap<&'r str, usize, FxBuild>,
    /// Whether an id occurs twice among the rows (else every row is its id's last).
    repeated: bool,
    /// Whether the dictionaries got their room ([`Upsert::step`]'s first step).
    reserved: bool,
    /// Rows put into `incoming` so far.
    indexed: usize,
    /// Table lines looked up so far (of the `first_new` there were).
    scanned: usize,
    /// Rows considered for appending so far.
    appended: usize,
    found: Vec<bool>,
    chunks: std::collections::BTreeSet<usize>,
    before: [usize; 5],
    first_new: usize,
    added: usize,
}

/// Whether a column of many rows looks like it has about as many distinct values as rows
/// (order numbers usually do, channels never): more than half of 256 evenly spaced rows
/// differ. Only then is room made in its dictionary ahead; a few thousand rows never need
/// it (a small map rehashes quickly).
fn mostly_distinct(rows: &[OrderLine], field: fn(&OrderLine) -> &str) -> bool {
    const SAMPLE: usize = 256;
    if rows.len() < 16 * SAMPLE {
        return false;
    }
    let step = rows.len() / SAMPLE;
    let seen: std::collections::HashSet<&str, FxBuild> = (0..SAMPLE).map(|k| field(&rows[k * step])).collect();
    seen.len() > SAMPLE / 2
}

impl<'r> Upsert<'r> {
    /// Starts upserting `rows` into `table` (nothing changes yet).
    pub fn new(table: &OrderTable, rows: &'r [OrderLine]) -> Self {
        Upsert {
            rows,
            incoming: HashMap::with_capacity_and_hasher(rows.len(), Default::default()),
            repeated: false,
            reserved: false,
            indexed: 0,
            scanned: 0,
            appended: 0,
            found: vec![false; rows.len()],
            chunks: std::collections::BTreeSet::new(),
            before: table.dictionary_sizes(),
            first_new: table.len(),
            added: 0,
        }
    }

    /// Work done and to do, in rows and lines (for a progress bar).
    pub fn progress(&self) -> (usize, usize) {
        let scan = if self.rows.is_empty() { 0 } else { self.first_new };
        (self.indexed + self.scanned + self.appended, 2 * self.rows.len() + scan)
    }

    /// Handles at most `n` rows or lines (at least one); `true` when all is done.
    pub fn step(&mut self, table: &mut OrderTable, n: usize) -> bool {
        let n = n.max(1);
        if !self.reserved {
            self.reserved = true;
            let rows = self.rows;
            let room = |field: fn(&OrderLine) -> &str| mostly_distinct(rows, field).then_some(rows.len()).unwrap_or(0);
            let rooms = [room(|r| &r.customer_id), room(|r| &r.order_no), room(|r| &r.product), room(|r| &r.category), room(|r| &r.channel)];
            for (dict, room) in [&mut table.customers, &mut table.order_nos, &mut table.products, &mut table.categories, &mut table.channels].into_iter().zip(rooms) {
                if room > 0 {
                    dict.reserve(room);
                }
            }
            return false;
        }
        if self.indexed < self.rows.len() {
            let end = self.rows.len().min(self.indexed.saturating_add(n));
            for (k, r) in self.rows[self.indexed..end].iter().enumerate() {
                if self.incoming.insert(r.id.as_str(), self.indexed + k).is_some() {
                    self.repeated = true;
                }
            }
            self.indexed = end;
            return false;
        }
        let scan_to = if self.rows.is_empty() { 0 } else { self.first_new };
        if self.scanned < scan_to {
            let end = scan_to.min(self.scanned.saturating_add(n));
            for i in self.scanned..end {
                if let Some(&k) = self.incoming.get(table.id(i)) {
                    self.found[k] = true;
                    table.set_row(i, &self.rows[k]);
                    self.chunks.insert(i / CHUNK_LINES);
                }
            }
            self.scanned = end;
            return false;
        }
        let end = self.rows.len().min(self.appended.saturating_add(n));
        for k in self.appended..end {
            let r = &self.rows[k];
            // Only the last occurrence of a repeated id is applied.
            if !self.found[k] && (!self.repeated || self.incoming.get(r.id.as_str()) == Some(&k)) {
                table.push(r);
                self.added += 1;
            }
        }
        self.appended = end;
        self.appended == self.rows.len()
    }

    /// What changed (after the last step).
    pub fn finish(mut self, table: &OrderTable) -> TableChange {
        if self.added > 0 {
            self.chunks.extend(self.first_new / CHUNK_LINES..table.chunk_count());
        }
        TableChange { chunks: self.chunks.into_iter().collect(), added: self.added, removed: 0, dictionaries: table.dictionary_sizes() != self.before }
    }
}

/// Puts an [`OrderTable`] back together from its stored chunks one at a time, in index
/// order, so that a reader holds the growing table and one chunk, never every chunk at
/// once (at 2M lines the chunks are about 140 MB).
#[derive(Debug)]
pub struct OrderTableBuilder {
    table: OrderTable,
    next: usize,
}

impl OrderTableBuilder {
    /// A builder for a table of about `lines` lines with these dictionaries.
    pub fn new(dicts: Dictionaries, lines: usize) -> Self {
        let mut t = OrderTable::with_capacity(lines);
        t.customers = dicts.customers;
        t.order_nos = dicts.order_nos;
        t.products = dicts.products;
        t.categories = dicts.categories;
        t.channels = dicts.channels;
        OrderTableBuilder { table: t, next: 0 }
    }

    /// Appends the next chunk. Fails, naming the chunk, when it is not the next index, is
    /// damaged, or refers to a dictionary entry that does not exist; the table is then
    /// unchanged by it.
    pub fn push(&mut self, c: &Chunk) -> Result<(), ChunkError> {
        let t = &mut self.table;
        let bad = |problem: ChunkProblem| ChunkError { chunk: c.index, problem };
        if c.index as usize != self.next {
            return Err(bad(ChunkProblem::Gap));
        }
        let n = c.lines as usize;
        let cols = [
            (c.customer.len(), 4, "customer"),
            (c.day.len(), 4, "day"),
            (c.amount.len(), 8, "amount"),
            (c.profit.len(), 8, "profit"),
            (c.profit_known.len(), 1, "profit_known"),
            (c.quantity.len(), 8, "quantity"),
            (c.quantity_known.len(), 1, "quantity_known"),
            (c.order_no.len(), 4, "order_no"),
            (c.product.len(), 4, "product"),
            (c.category.len(), 4, "category"),
            (c.channel.len(), 4, "channel"),
            (c.id_end.len(), 4, "id_end"),
            (c.created_ns.len(), 8, "created_ns"),
            (c.updated_ns.len(), 8, "updated_ns"),
        ];
        if let Some((_, _, name)) = cols.iter().find(|(len, width, _)| *len != n * width) {
            return Err(bad(ChunkProblem::ColumnLength(name)));
        }
        let check = |v: &[u32], dict: &Dict, name: &'static str| match v.iter().any(|&i| i as usize >= dict.len()) {
            true => Err(bad(ChunkProblem::Dictionary(name))),
            false => Ok(()),
        };
        let customer = read_u32(&c.customer);
        check(&customer, &t.customers, "customer")?;
        let (order_no, product, category, channel) = (read_u32(&c.order_no), read_u32(&c.product), read_u32(&c.category), read_u32(&c.channel));
        check(&order_no, &t.order_nos, "order_no")?;
        check(&product, &t.products, "product")?;
        check(&category, &t.categories, "category")?;
        check(&channel, &t.channels, "channel")?;
        let id_end = read_u32(&c.id_end);
        if id_end.windows(2).any(|w| w[0] > w[1]) || id_end.last().is_some_and(|&e| e as usize != c.id_text.len()) || id_end.iter().any(|&e| !c.id_text.is_char_boundary(e as usize)) {
            return Err(bad(ChunkProblem::LineIds));
        }
        let base = t.id_text.len() as u32;
        t.id_text.push_str(&c.id_text);
        t.id_end.extend(id_end.iter().map(|e| e + base));
        t.customer.extend(customer);
        t.day.extend(read_i32(&c.day));
        t.amount.extend(read_f64(&c.amount));
        t.profit.extend(read_f64(&c.profit));
        t.quantity.extend(read_f64(&c.quantity));
        for i in 0..n {
            t.profit_known.push(c.profit_known[i] != 0);
            t.quantity_known.push(c.quantity_known[i] != 0);
        }
        t.order_no.extend(order_no);
        t.product.extend(product);
        t.category.extend(category);
        t.channel.extend(channel);
        t.created_ns.extend(read_i64(&c.created_ns));
        t.updated_ns.extend(read_i64(&c.updated_ns));
        self.next += 1;
        Ok(())
    }

    /// The table.
    pub fn finish(self) -> OrderTable {
        self.table
    }
}

/// What a change of an [`OrderTable`] touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableChange {
    /// Indices of the storage chunks whose content changed (ascending). Chunks at or past
    /// the table's new `chunk_count()` no longer exist.
    pub chunks: Vec<usize>,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
    /// True when a dictionary gained entries (the stored dictionaries must be rewritten).
    pub dictionaries: bool,
}

impl TableChange {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty() && !self.dictionaries
    }
}

/// An order line as the totals read it: borrowed, no allocation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineRef<'a> {
    /// The customer's id.
    pub customer_id: &'a str,
    /// Date.
    pub date: Date,
    /// Amount.
    pub amount: f64,
    /// Profit, if known.
    pub profit: Option<f64>,
}

/// Order lines held either way: as row structs (tests, small sets, files) or as the
/// columnar [`OrderTable`] (the app). The totals of the overview, the customer list and the
/// segments read lines through this, so one implementation serves both.
pub trait Lines {
    /// Number of lines.
    fn line_count(&self) -> usize;
    /// Every line, in order.
    fn each_line(&self) -> impl Iterator<Item = LineRef<'_>>;
    /// For every line, `lookup` of its customer id (`u32::MAX` for `None`). A table looks
    /// each distinct customer up once.
    fn customer_slots(&self, lookup: &dyn Fn(&str) -> Option<u32>) -> Vec<u32> {
        self.each_line().map(|l| lookup(l.customer_id).unwrap_or(u32::MAX)).collect()
    }
    /// Every line's amount and day (days from the common era) as columns, where the lines
    /// are held so (a table): a pass that needs only these then skips making each line's
    /// date and customer id.
    fn amount_day_columns(&self) -> Option<(&[f64], &[i32])> {
        None
    }
}

impl Lines for [OrderLine] {
    fn line_count(&self) -> usize {
        self.len()
    }
    fn each_line(&self) -> impl Iterator<Item = LineRef<'_>> {
        self.iter().map(|o| LineRef { customer_id: &o.customer_id, date: o.date, amount: o.amount, profit: o.profit })
    }
}

impl Lines for Vec<OrderLine> {
    fn line_count(&self) -> usize {
        self.len()
    }
    fn each_line(&self) -> impl Iterator<Item = LineRef<'_>> {
        self.as_slice().each_line()
    }
}

impl<const N: usize> Lines for [OrderLine; N] {
    fn line_count(&self) -> usize {
        N
    }
    fn each_line(&self) -> impl Iterator<Item = LineRef<'_>> {
        self.as_slice().each_line()
    }
}

impl Lines for OrderTable {
    fn line_count(&self) -> usize {
        self.len()
    }
    fn each_line(&self) -> impl Iterator<Item = LineRef<'_>> {
        (0..self.len()).map(|i| LineRef { customer_id: self.customers.value(self.customer[i]), date: self.date(i), amount: self.amount[i], profit: self.profit_of(i) })
    }
    fn customer_slots(&self, lookup: &dyn Fn(&str) -> Option<u32>) -> Vec<u32> {
        let per: Vec<u32> = self.customers.values().map(|c| lookup(c).unwrap_or(u32::MAX)).collect();
        self.customer.iter().map(|&c| per[c as usize]).collect()
    }
    fn amount_day_columns(&self) -> Option<(&[f64], &[i32])> {
        Some((&self.amount, &self.day))
    }
}

/// One line given as its parts; see [`OrderTable::push_parts`].
#[derive(Debug, Clone, Copy)]
pub struct LineParts<'a> {
    /// Line id.
    pub id: &'a str,
    /// Customer, as an index of the table's `customers`.
    pub customer: u32,
    /// Days from the common era.
    pub day: i32,
    /// Amount.
    pub amount: f64,
    /// Profit, if known.
    pub profit: Option<f64>,
    /// Quantity, if known.
    pub quantity: Option<f64>,
    /// Order number ("" for none).
    pub order_no: &'a str,
    /// Product.
    pub product: &'a str,
    /// Category.
    pub category: &'a str,
    /// Channel.
    pub channel: &'a str,
    /// Created (ns since the epoch).
    pub created_ns: i64,
    /// Last changed (ns since the epoch).
    pub updated_ns: i64,
}

/// The dictionaries of a stored table. (Serialized as five lists of strings, as when they
/// were `Vec<String>`.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dictionaries {
    /// Customer ids.
    #[serde(with = "dict_as_list")]
    pub customers: Dict,
    /// Order numbers.
    #[serde(with = "dict_as_list")]
    pub order_nos: Dict,
    /// Products.
    #[serde(with = "dict_as_list")]
    pub products: Dict,
    /// Categories.
    #[serde(with = "dict_as_list")]
    pub categories: Dict,
    /// Channels.
    #[serde(with = "dict_as_list")]
    pub channels: Dict,
}

impl Dictionaries {
    /// The dictionaries of the five kinds in a fixed order (customers, order numbers,
    /// products, categories, channels).
    pub fn lists(&self) -> [&Dict; 5] {
        [&self.customers, &self.order_nos, &self.products, &self.categories, &self.channels]
    }

    /// One dictionary packed for storage as its strings concatenated plus the little-endian
    /// `u32` end offset of each: no escaping, and reading it back is one pass. (It is the
    /// dictionary's own layout, so this is two copies.)
    pub fn pack(list: &Dict) -> (String, Vec<u8>) {
        (list.text().to_owned(), le_u32(list.ends()))
    }

    /// The inverse of [`Dictionaries::pack`]; `None` when the offsets do not fit the text.
    /// [`Dict::from_packed`] does the same taking an owned text over.
    pub fn unpack(text: &str, ends: &[u8]) -> Option<Dict> {
        Dict::from_packed(text.to_owned(), ends)
    }
}

/// One stored chunk: each column as little-endian bytes (the app stores each as an
/// ArrayBuffer).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chunk {
    /// Position of the chunk (0, 1, …).
    pub index: u32,
    /// Lines in the chunk.
    pub lines: u32,
    /// `u32` customer indices.
    pub customer: Vec<u8>,
    /// `i32` day numbers.
    pub day: Vec<u8>,
    /// `f64` amounts.
    pub amount: Vec<u8>,
    /// `f64` profits.
    pub profit: Vec<u8>,
    /// One byte per line: profit known.
    pub profit_known: Vec<u8>,
    /// `f64` quantities.
    pub quantity: Vec<u8>,
    /// One byte per line: quantity known.
    pub quantity_known: Vec<u8>,
    /// `u32` order-number indices.
    pub order_no: Vec<u8>,
    /// `u32` product indices.
    pub product: Vec<u8>,
    /// `u32` category indices.
    pub category: Vec<u8>,
    /// `u32` channel indices.
    pub channel: Vec<u8>,
    /// The chunk's line ids, concatenated.
    pub id_text: String,
    /// `u32` end offsets of the ids in `id_text`.
    pub id_end: Vec<u8>,
    /// `i64` created, ns.
    pub created_ns: Vec<u8>,
    /// `i64` last changed, ns.
    pub updated_ns: Vec<u8>,
}

impl Chunk {
    /// A 64-bit fingerprint of the chunk's contents (every column and its line count), kept
    /// in the store's `meta` to tell a damaged or half-written chunk at start-up. It is
    /// `rustc_hash`'s FxHasher: fast enough to check 2 million lines while the app starts
    /// (a cryptographic hash would take most of a second there), which is all it is for;
    /// it guards against accidents, not against tampering.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write_u32(self.index);
        h.write_u32(self.lines);
        for col in [&self.customer, &self.day, &self.amount, &self.profit, &self.profit_known, &self.quantity, &self.quantity_known, &self.order_no, &self.product, &self.category, &self.channel, &self.id_end, &self.created_ns, &self.updated_ns] {
            h.write_usize(col.len());
            h.write(col);
        }
        h.write(self.id_text.as_bytes());
        h.finish()
    }
}

/// A stored chunk that cannot be read back.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("order-line chunk {chunk}: {problem}")]
pub struct ChunkError {
    /// The chunk's index.
    pub chunk: u32,
    /// What is wrong.
    pub problem: ChunkProblem,
}

/// What is wrong with a stored chunk ([`ChunkError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkProblem {
    /// The chunk before this one is missing (or this one repeats).
    #[error("chunk missing before this one")]
    Gap,
    /// A column's byte length does not match the chunk's line count.
    #[error("column {0} has the wrong length")]
    ColumnLength(&'static str),
    /// A column refers to a dictionary entry that does not exist.
    #[error("column {0} refers to a missing dictionary entry")]
    Dictionary(&'static str),
    /// The line ids are damaged.
    #[error("line ids are damaged")]
    LineIds,
}

impl ChunkError {
    /// The message in the given language: which part (1-based) is damaged and how.
    pub fn message(&self, lang: Language) -> String {
        let n = self.chunk + 1;
        let zh = lang == Language::ZhCn;
        let what = match (&self.problem, zh) {
            (ChunkProblem::Gap, true) => "前面缺少一块".to_string(),
            (ChunkProblem::Gap, false) => "the part before it is missing".to_string(),
            (ChunkProblem::ColumnLength(c), true) => format!("“{}”列的长度不对", column_label(c, lang)),
            (ChunkProblem::ColumnLength(c), false) => format!("the “{}” column has the wrong length", column_label(c, lang)),
            (ChunkProblem::Dictionary(c), true) => format!("“{}”列引用了不存在的词典项", column_label(c, lang)),
            (ChunkProblem::Dictionary(c), false) => format!("the “{}” column refers to a missing dictionary entry", column_label(c, lang)),
            (ChunkProblem::LineIds, true) => "明细编号已损坏".to_string(),
            (ChunkProblem::LineIds, false) => "the line ids are damaged".to_string(),
        };
        if zh {
            format!("订单明细第 {n} 块已损坏（{what}），请从备份恢复。")
        } else {
            format!("Part {n} of the stored order lines is damaged ({what}); restore from a backup.")
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        self.message(Language::ZhCn)
    }
}

/// The label of a stored column.
fn column_label(column: &str, lang: Language) -> &'static str {
    let (zh, en) = match column {
        "customer" => ("客户", "customer"),
        "day" => ("日期", "date"),
        "amount" => ("金额", "amount"),
        "profit" | "profit_known" => ("毛利", "gross profit"),
        "quantity" | "quantity_known" => ("数量", "quantity"),
        "order_no" => ("订单号", "order number"),
        "product" => ("产品", "product"),
        "category" => ("品类", "category"),
        "channel" => ("渠道", "channel"),
        "id_end" => ("明细编号", "line id"),
        "created_ns" => ("创建时间", "creation time"),
        "updated_ns" => ("修改时间", "change time"),
        _ => ("其他", "other"),
    };
    if lang == Language::ZhCn { zh } else { en }
}

macro_rules! le_codec {
    ($write:ident, $read:ident, $t:ty, $w:expr) => {
        fn $write(v: &[$t]) -> Vec<u8> {
            let mut out = Vec::with_capacity(v.len() * $w);
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
            out
        }
        fn $read(b: &[u8]) -> Vec<$t> {
            b.chunks_exact($w).map(|c| <$t>::from_le_bytes(c.try_into().expect("exact chunk"))).collect()
        }
    };
}
le_codec!(le_u32, read_u32, u32, 4);
le_codec!(le_i32, read_i32, i32, 4);
le_codec!(le_f64, read_f64, f64, 8);
le_codec!(le_i64, read_i64, i64, 8);

#[cfg(test)]
mod tests;
