//! An order CSV (`customer_id,date,amount[,profit][,order_no]`, other columns ignored) read
//! straight into an [`OrderTable`]: what `clientscope-cli value --orders` reads.
//!
//! Two readers give the same table. [`read_general`] goes record by record through the
//! `csv` crate (quoted fields, any line ends, and every error message with its row).
//! [`plan`] + [`split`] + [`parse_part`] + [`merge`] is the fast path for the plain files
//! programs write: the body is cut at line boundaries into parts that parse independently
//! (a caller with threads parses them in parallel; the core itself starts none, it also
//! runs in the browser) and merge in file order, so the dictionaries keep the order of
//! first appearance and line `k` is still `L{k + 2}`. A part gives up (`None`) on anything
//! but a plain line (a `\r` that does not end a line, a field count other than the
//! header's, an empty customer id, a value that does not parse, text that is not UTF-8), and
//! [`plan`] refuses a body with a quote character anywhere (a quoted field may hold a line
//! break, so a cut at a line break would not be a record boundary); the caller then reads
//! the file with [`read_general`], which reports the problem exactly as before. [`read`] does
//! all of it on one thread.
//!
//! Dictionary lookups on the fast path hash the bytes of the file in place (no string is
//! made per line; short ones are compared as two words), in batches whose memory loads
//! overlap, and a line whose order number is the previous line's (the lines of one order
//! are usually adjacent) skips the lookup.

use super::{Bits, Dict, OrderTable};
use chrono::Datelike;

/// Where the columns the value analysis reads are in the header (0-based field positions),
/// and how many fields every record has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// `customer_id`.
    pub customer_id: usize,
    /// `date` (`YYYY-MM-DD`).
    pub date: usize,
    /// `amount`.
    pub amount: usize,
    /// `profit`, when present (an empty cell is an unknown profit).
    pub profit: Option<usize>,
    /// `order_no`, when present.
    pub order_no: Option<usize>,
    /// Fields in the header (the `csv` crate requires every record to have as many).
    pub fields: usize,
}

/// The header of a file that the fast path can read: its columns and where the records
/// start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The columns.
    pub columns: Columns,
    /// Byte offset of the first record (after the header line; a UTF-8 BOM is skipped).
    pub body_start: usize,
}

fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
}

fn need(headers: &csv::StringRecord, name: &str) -> Result<usize, String> {
    column(headers, name).ok_or_else(|| format!("the header has no column \"{name}\""))
}

fn columns(headers: &csv::StringRecord) -> Result<Columns, String> {
    Ok(Columns {
        customer_id: need(headers, "customer_id")?,
        date: need(headers, "date")?,
        amount: need(headers, "amount")?,
        profit: column(headers, "profit"),
        order_no: column(headers, "order_no"),
        fields: headers.len(),
    })
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().trim(csv::Trim::All).buffer_capacity(1 << 20).from_reader(bytes)
}

/// The header as the `csv` crate reads it, when the fast path can read the records: the
/// required columns are there and the body has no quote character. `None` otherwise (the
/// caller uses [`read_general`], which reports any problem).
pub fn plan(bytes: &[u8]) -> Option<Plan> {
    let mut r = csv_reader(bytes);
    let headers = r.headers().ok()?.clone();
    let columns = columns(&headers).ok()?;
    let body_start = usize::try_from(r.position().byte()).ok()?.min(bytes.len());
    if memchr::memchr(b'"', &bytes[body_start..]).is_some() {
        return None;
    }
    Some(Plan { columns, body_start })
}

/// Cuts `body` into at most `parts` non-empty ranges that end just after a `\n` (the last
/// at the end of `body`), of about equal size. Only valid for a body without quotes.
pub fn split(body: &[u8], parts: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::with_capacity(parts.max(1));
    let mut start = 0;
    for k in 1..parts.max(1) {
        let target = (body.len() * k / parts).max(start);
        let end = match memchr::memchr(b'\n', &body[target..]) {
            Some(i) => target + i + 1,
            None => body.len(),
        };
        if end > start {
            out.push(start..end);
            start = end;
        }
    }
    if start < body.len() || out.is_empty() {
        out.push(start..body.len());
    }
    out
}

/// A `YYYY-MM-DD` date as days from the common era, read from the bytes without chrono's
/// format parser (the hot path of reading a million lines).
pub fn parse_day(b: &[u8]) -> Option<i32> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| s.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')));
    let date = chrono::NaiveDate::from_ymd_opt(num(&b[0..4])? as i32, num(&b[5..7])?, num(&b[8..10])?)?;
    Some(date.num_days_from_ce())
}

/// A finite number, as `str::parse::<f64>` reads it.
fn parse_number(b: &[u8]) -> Option<f64> {
    std::str::from_utf8(b).ok()?.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Folds two words into one with a 128-bit multiply (every output bit depends on every
/// input bit).
fn fold(a: u64, b: u64) -> u64 {
    let m = u128::from(a ^ 0x243F_6A88_85A3_08D3) * u128::from(b ^ 0x1319_8A2E_0370_7344);
    (m as u64) ^ ((m >> 64) as u64)
}

/// How a string is compared: up to 16 bytes as two words (zero-padded), without going
/// to the string; a longer one by its hash and then the string itself. Ids and order numbers come from the user's own
/// file: there is no flooding concern.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Key {
    w0: u64,
    w1: u64,
    len: u32,
}

/// Up to 8 bytes as a little-endian word, zero-padded (as `u64::from_le_bytes` of the
/// bytes followed by zeros), with overlapping loads instead of a byte loop or a `memcpy`.
fn word(b: &[u8]) -> u64 {
    let n = b.len();
    let at = |i: usize| u64::from(b[i]);
    let w4 = |i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    match n {
        0 => 0,
        1..=3 => at(0) | (at(n / 2) << (8 * (n / 2))) | (at(n - 1) << (8 * (n - 1))),
        4..=7 => w4(0) | (w4(n - 4) << (8 * (n - 4))),
        _ => w4(0) | (w4(4) << 32),
    }
}

impl Key {
    fn of(b: &[u8]) -> (Key, u64) {
        if b.len() <= 16 {
            let (lo, hi) = b.split_at(b.len().min(8));
            let (w0, w1) = (word(lo), word(hi));
            (Key { w0, w1, len: b.len() as u32 }, fold(w0, w1 ^ b.len() as u64))
        } else {
            let mut h = b.len() as u64;
            for c in b.chunks(8) {
                h = fold(h, word(c));
            }
            (Key { w0: h, w1: 0, len: b.len() as u32 }, h)
        }
    }
}

/// Distinct strings of one part in order of first appearance, borrowed from the file:
/// open addressing with linear probing, at most three quarters full. A slot is 8 bytes
/// (upper hash bits, index + 1; 0 is empty), eight to a cache line; the keys are compared
/// only when the hash bits match.
struct Interner<'a> {
    values: Vec<&'a str>,
    hashes: Vec<u64>,
    keys: Vec<Key>,
    slots: Vec<(u32, u32)>,
}

impl<'a> Interner<'a> {
    fn new() -> Self {
        Self::with_capacity(768)
    }

    /// Room for `n` values without growing.
    fn with_capacity(n: usize) -> Self {
        let slots = (n.max(1) * 4 / 3 + 1).next_power_of_two();
        Interner { values: Vec::with_capacity(n), hashes: Vec::with_capacity(n), keys: Vec::with_capacity(n), slots: vec![(0, 0); slots] }
    }

    /// The indices of `items`, interned in order. The table is far bigger than the
    /// processor's caches at a million lines, and one lookup after the other waits for one
    /// memory load after the other; so each batch of lines first touches the slots (and
    /// then the keys) its lookups will read, as independent loads that the processor
    /// overlaps, and then does the lookups in order, from the cache.
    fn intern_all(&mut self, items: &[&'a str]) -> Vec<u32> {
        const BATCH: usize = 32;
        let mut out = Vec::with_capacity(items.len());
        let mut keyed = [(Key::default(), 0u64); BATCH];
        for chunk in items.chunks(BATCH) {
            for (k, s) in chunk.iter().enumerate() {
                keyed[k] = Key::of(s.as_bytes());
            }
            // Loops of nothing but loads, so that all of them are in flight at once.
            let mask = self.slots.len() - 1;
            let mut warm = 0u32;
            for &(_, h) in &keyed[..chunk.len()] {
                warm ^= self.slots[h as usize & mask].1;
            }
            let mut warm_keys = 0u32;
            for &(_, h) in &keyed[..chunk.len()] {
                let i = self.slots[h as usize & mask].1;
                if i != 0 {
                    warm_keys ^= self.keys[i as usize - 1].len;
                }
            }
            std::hint::black_box((warm, warm_keys));
            for (k, s) in chunk.iter().enumerate() {
                out.push(self.intern_keyed(s, keyed[k].0, keyed[k].1));
            }
        }
        out
    }

    fn intern_keyed(&mut self, s: &'a str, key: Key, h: u64) -> u32 {
        let mask = self.slots.len() - 1;
        let tag = (h >> 32) as u32;
        let mut at = h as usize & mask;
        loop {
            let (t, index) = self.slots[at];
            if index == 0 {
                break;
            }
            if t == tag && self.keys[index as usize - 1] == key && (key.len <= 16 || self.values[index as usize - 1] == s) {
                return index - 1;
            }
            at = (at + 1) & mask;
        }
        let i = self.values.len() as u32;
        self.values.push(s);
        self.hashes.push(h);
        self.keys.push(key);
        self.slots[at] = (tag, i + 1);
        if self.values.len() * 4 > self.slots.len() * 3 {
            self.grow();
        }
        i
    }

    fn grow(&mut self) {
        let mut slots = vec![(0u32, 0u32); self.slots.len() * 2];
        let mask = slots.len() - 1;
        for (i, &h) in self.hashes.iter().enumerate() {
            let mut at = h as usize & mask;
            while slots[at].1 != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = ((h >> 32) as u32, i as u32 + 1);
        }
        self.slots = slots;
    }

    fn into_dict(self) -> Dict {
        Dict::from_unique(&self.values)
    }
}

/// The lines of one part of the body, with dictionaries local to the part.
pub struct Part<'a> {
    customers: Interner<'a>,
    customer: Vec<u32>,
    day: Vec<i32>,
    amount: Vec<f64>,
    profit: Vec<f64>,
    profit_known: Vec<bool>,
    order_nos: Interner<'a>,
    order_no: Vec<u32>,
}

impl Part<'_> {
    /// Lines in the part.
    pub fn len(&self) -> usize {
        self.day.len()
    }

    /// True when the part has no lines.
    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }
}

/// Parses a part of the body (whole lines, see [`split`]); `None` when a line is anything
/// but plain (see the module documentation).
pub fn parse_part<'a>(part: &'a [u8], cols: &Columns) -> Option<Part<'a>> {
    // Slot of each field: 0 customer, 1 date, 2 amount, 3 profit, 4 order number, 5 none.
    let mut slot_of = vec![5u8; cols.fields];
    let mut set = |c: Option<usize>, s: u8| {
        if let Some(c) = c {
            if let Some(v) = slot_of.get_mut(c) {
                // The first column of a name wins, as in `column`; several names cannot share one.
                if *v == 5 {
                    *v = s;
                }
            }
        }
    };
    set(Some(cols.customer_id), 0);
    set(Some(cols.date), 1);
    set(Some(cols.amount), 2);
    set(cols.profit, 3);
    set(cols.order_no, 4);
    let guess = part.len() / 40 + 16;
    let mut p = Part {
        customers: Interner::new(),
        customer: Vec::new(),
        day: Vec::with_capacity(guess),
        amount: Vec::with_capacity(guess),
        profit: Vec::with_capacity(guess),
        profit_known: Vec::with_capacity(guess),
        // Order numbers are mostly distinct (an order has a line or two): room for one a
        // line from the start spares the rehashing of a growing table.
        order_nos: Interner::with_capacity(if cols.order_no.is_some() { guess } else { 1 }),
        order_no: Vec::with_capacity(guess),
    };
    // Lines are parsed first and their strings interned afterwards in batches (see
    // `Interner::intern_all`). A line whose order number is the previous line's refers to
    // the same run of `order_runs`.
    let mut customers: Vec<&'a str> = Vec::with_capacity(guess);
    let mut order_runs: Vec<&'a str> = Vec::with_capacity(guess);
    let mut last_order: Option<&[u8]> = None;
    let mut pos = 0;
    while pos < part.len() {
        let end = memchr::memchr(b'\n', &part[pos..]).map_or(part.len(), |i| pos + i);
        let mut line = &part[pos..end];
        pos = end + 1;
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        if line.is_empty() {
            // The csv crate skips empty lines.
            continue;
        }
        if memchr::memchr(b'\r', line).is_some() {
            return None;
        }
        let mut cells: [&[u8]; 5] = [b""; 5];
        let mut n = 0;
        for field in line.split(|&b| b == b',') {
            let s = *slot_of.get(n)?;
            if s < 5 {
                cells[s as usize] = field.trim_ascii();
            }
            n += 1;
        }
        if n != cols.fields {
            return None;
        }
        let customer = std::str::from_utf8(cells[0]).ok().filter(|c| !c.is_empty())?;
        let day = parse_day(cells[1])?;
        let amount = parse_number(cells[2])?;
        let profit = if cols.profit.is_some() && !cells[3].is_empty() { Some(parse_number(cells[3])?) } else { None };
        let order = cells[4];
        if last_order != Some(order) {
            order_runs.push(std::str::from_utf8(order).ok()?);
            last_order = Some(order);
        }
        customers.push(customer);
        p.day.push(day);
        p.amount.push(amount);
        p.profit.push(profit.unwrap_or(0.0));
        p.profit_known.push(profit.is_some());
        // The run for now; its dictionary index below.
        p.order_no.push(order_runs.len() as u32 - 1);
    }
    p.customer = p.customers.intern_all(&customers);
    let runs = p.order_nos.intern_all(&order_runs);
    for o in &mut p.order_no {
        *o = runs[*o as usize];
    }
    Some(p)
}

/// Appends `L{row}` for rows `first..first + n` to the id arena.
fn push_ids(t: &mut OrderTable, first: usize, n: usize) {
    t.id_text.reserve(n * 8);
    t.id_end.reserve(n);
    let mut digits = [0u8; 20];
    for row in first..first + n {
        let mut v = row;
        let mut k = digits.len();
        loop {
            k -= 1;
            digits[k] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        t.id_text.push('L');
        t.id_text.push_str(std::str::from_utf8(&digits[k..]).unwrap_or_default());
        t.id_end.push(t.id_text.len() as u32);
    }
}

/// Maps every value of `from` into `into` (adding the new ones in `from`'s order).
fn remap<'a>(into: &mut Interner<'a>, from: &Interner<'a>) -> Vec<u32> {
    into.intern_all(&from.values)
}

/// One dictionary of the parts merged (values in order of first appearance) and the
/// column of indices into it.
fn merge_column<'a>(parts: &mut [Part<'a>], dict: for<'p> fn(&'p mut Part<'a>) -> (&'p mut Interner<'a>, &'p mut Vec<u32>), n: usize) -> (Dict, Vec<u32>) {
    let Some((first, rest)) = parts.split_first_mut() else { return (Dict::default(), Vec::new()) };
    let (into, column) = dict(first);
    let mut into = std::mem::replace(into, Interner::new());
    let mut out = std::mem::take(column);
    out.reserve(n - out.len());
    for p in rest {
        let (from, column) = dict(p);
        let map = remap(&mut into, from);
        out.extend(column.iter().map(|&c| map[c as usize]));
    }
    (into.into_dict(), out)
}

/// The table of the parts, in order, as [`read_general`] makes it from the same records.
pub fn merge(mut parts: Vec<Part<'_>>) -> OrderTable {
    let n: usize = parts.iter().map(Part::len).sum();
    let mut t = OrderTable::default();
    // The two dictionaries (the order numbers' is the bigger) are merged side by side.
    let (mut customers, mut orders) = (std::mem::take(&mut parts), Vec::new());
    orders.extend(customers.iter_mut().map(|p| Part {
        customers: Interner::new(),
        customer: Vec::new(),
        day: Vec::new(),
        amount: Vec::new(),
        profit: Vec::new(),
        profit_known: Vec::new(),
        order_nos: std::mem::replace(&mut p.order_nos, Interner::new()),
        order_no: std::mem::take(&mut p.order_no),
    }));
    let ((c_dict, c_col, rest), (o_dict, o_col)) = crate::par::join(
        || {
            let (d, c) = merge_column(&mut customers, |p| (&mut p.customers, &mut p.customer), n);
            (d, c, customers)
        },
        || merge_column(&mut orders, |p| (&mut p.order_nos, &mut p.order_no), n),
    );
    t.customers = c_dict;
    t.customer = c_col;
    t.order_nos = o_dict;
    t.order_no = o_col;
    let mut rest = rest.into_iter();
    if let Some(first) = rest.next() {
        let (mut day, mut amount, mut profit, mut known) = (first.day, first.amount, first.profit, first.profit_known);
        day.reserve(n - day.len());
        amount.reserve(n - amount.len());
        profit.reserve(n - profit.len());
        known.reserve(n - known.len());
        for p in rest {
            day.extend_from_slice(&p.day);
            amount.extend_from_slice(&p.amount);
            profit.extend_from_slice(&p.profit);
            known.extend_from_slice(&p.profit_known);
        }
        t.day = day;
        t.amount = amount;
        t.profit = profit;
        t.profit_known = Bits::from_bools(&known);
    }
    t.quantity = vec![0.0; n];
    t.quantity_known = Bits::from_bools(&vec![false; n]);
    if n > 0 {
        // Every line has no product, category or channel: "" at index 0.
        for d in [&mut t.products, &mut t.categories, &mut t.channels] {
            *d = Dict::from_unique([""]);
        }
    }
    t.product = vec![0; n];
    t.category = vec![0; n];
    t.channel = vec![0; n];
    t.created_ns = vec![0; n];
    t.updated_ns = vec![0; n];
    // The header is row 1: line k (0-based) is row k + 2.
    push_ids(&mut t, 2, n);
    t
}

/// Reads the records through the `csv` crate: any valid CSV, and the first problem as
/// `row N[, column C]: what` (no file name; the caller adds it).
pub fn read_general(bytes: &[u8]) -> Result<OrderTable, String> {
    use super::LineParts;
    let mut r = csv_reader(bytes);
    let headers = r.headers().map_err(|e| e.to_string())?.clone();
    let cols = columns(&headers)?;
    let mut table = OrderTable::with_capacity(1 << 16);
    let mut rec = csv::ByteRecord::new();
    let mut row = 1; // 1-based; the header is row 1
    let mut id = String::new();
    fn text<'b>(b: &'b [u8], row: usize, name: &str) -> Result<&'b str, String> {
        std::str::from_utf8(b).map_err(|_| format!("row {row}, column {name}: not UTF-8 text"))
    }
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("row {}: {e}", row + 1)),
        }
        row += 1;
        let customer = text(rec.get(cols.customer_id).unwrap_or(b""), row, "customer_id")?;
        if customer.is_empty() {
            return Err(format!("row {row}: customer_id is empty"));
        }
        let date_cell = rec.get(cols.date).unwrap_or(b"");
        let day = parse_day(date_cell).ok_or_else(|| format!("row {row}, column date: \"{}\" is not a YYYY-MM-DD date", String::from_utf8_lossy(date_cell)))?;
        let number = |col: usize, name: &str| -> Result<f64, String> {
            let cell = rec.get(col).unwrap_or(b"");
            parse_number(cell).ok_or_else(|| format!("row {row}, column {name}: \"{}\" is not a number", String::from_utf8_lossy(cell)))
        };
        let amount = number(cols.amount, "amount")?;
        let profit = match cols.profit.filter(|&c| !rec.get(c).unwrap_or(b"").is_empty()) {
            Some(c) => Some(number(c, "profit")?),
            None => None,
        };
        let order_no = match cols.order_no {
            Some(c) => text(rec.get(c).unwrap_or(b""), row, "order_no")?,
            None => "",
        };
        id.clear();
        use std::fmt::Write;
        let _ = write!(id, "L{row}");
        let customer = table.customers.intern(customer);
        table.push_parts(LineParts {
            id: &id,
            customer,
            day,
            amount,
            profit,
            quantity: None,
            order_no,
            product: "",
            category: "",
            channel: "",
            created_ns: 0,
            updated_ns: 0,
        });
    }
    Ok(table)
}

/// Reads an order CSV on one thread: the fast path when the file is plain, otherwise
/// [`read_general`].
pub fn read(bytes: &[u8]) -> Result<OrderTable, String> {
    if let Some(plan) = plan(bytes) {
        if let Some(part) = parse_part(&bytes[plan.body_start..], &plan.columns) {
            return Ok(merge(vec![part]));
        }
    }
    read_general(bytes)
}

#[cfg(test)]
mod tests;
