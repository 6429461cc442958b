//! The canonical text of a table's order lines, written line by line without serde.
//!
//! [`super::canonical::write`] gives the same bytes from each line's [`OrderLineRef`], but
//! a department's backup (1M lines) spent 1.15 s of its 3.3 s export there, 0.48 s of it
//! escaping the same few thousand product, category, channel and customer texts over and
//! over (a profile of the worker, wasm-opt 0). Here each dictionary value is escaped once,
//! the keys are written as fixed text in key order (the canonical order: the struct's
//! fields are declared in it), and a run of lines sharing a timestamp formats it once.
//! The property test below holds it to the serde path byte for byte.
//!
//! [`OrderLineRef`]: crate::orders::OrderLineRef

use crate::model::{Date, Timestamp};
use crate::orders::{date_text, timestamp_text, Dict, OrderTable};
use serde_json::ser::{CompactFormatter, Formatter};

/// A dictionary's values as JSON strings (quotes included), escaped once.
struct Quoted {
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl Quoted {
    fn of(dict: &Dict) -> serde_json::Result<Self> {
        let mut q = Quoted { text: Vec::new(), ends: Vec::with_capacity(dict.len()) };
        for v in dict.values() {
            string(&mut q.text, v)?;
            q.ends.push(q.text.len());
        }
        Ok(q)
    }

    fn get(&self, i: u32) -> &[u8] {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// `text`, which needs no escape, between quotes.
fn quoted(out: &mut Vec<u8>, text: &[u8]) {
    out.push(b'"');
    out.extend_from_slice(text);
    out.push(b'"');
}

/// `s` as serde_json writes a string: as it is between quotes unless it holds a quote, a
/// backslash or a control character (then serde_json escapes it).
fn string(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        quoted(out, s.as_bytes());
        Ok(())
    } else {
        serde_json::to_writer(&mut *out, s)
    }
}

/// A number as serde_json writes an `f64` (`null` when not finite).
fn number(out: &mut Vec<u8>, v: f64) -> serde_json::Result<()> {
    if v.is_finite() {
        CompactFormatter.write_f64(out, v).map_err(serde_json::Error::io)
    } else {
        out.extend_from_slice(b"null");
        Ok(())
    }
}

fn optional(out: &mut Vec<u8>, v: Option<f64>) -> serde_json::Result<()> {
    match v {
        Some(v) => number(out, v),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// A date as the row's serde writes it (`"YYYY-MM-DD"`; other years by chrono).
fn date(out: &mut Vec<u8>, d: Date) -> serde_json::Result<()> {
    match date_text(&d) {
        Some(text) => {
            quoted(out, &text);
            Ok(())
        }
        None => serde_json::to_writer(&mut *out, &d),
    }
}

/// A timestamp's text, remembered for the next line (a batch of lines shares its times).
struct Stamp {
    ns: Option<i64>,
    text: Vec<u8>,
}

impl Stamp {
    fn new() -> Self {
        Stamp { ns: None, text: Vec::new() }
    }

    /// The text of the timestamp `ns` nanoseconds after the epoch, as the row's serde
    /// writes it ([`timestamp_text`], else chrono).
    fn write(&mut self, out: &mut Vec<u8>, ns: i64) -> serde_json::Result<()> {
        if self.ns != Some(ns) {
            let t: Timestamp = chrono::DateTime::from_timestamp_nanos(ns);
            self.text.clear();
            match timestamp_text(&t) {
                Some(text) => quoted(&mut self.text, &text),
                None => serde_json::to_writer(&mut self.text, &t)?,
            }
            self.ns = Some(ns);
        }
        out.extend_from_slice(&self.text);
        Ok(())
    }
}

/// Appends the canonical text of the table's lines (a JSON array of line objects).
pub fn write(out: &mut Vec<u8>, t: &OrderTable) -> serde_json::Result<()> {
    let customers = Quoted::of(&t.customers)?;
    let order_nos = Quoted::of(&t.order_nos)?;
    let products = Quoted::of(&t.products)?;
    let categories = Quoted::of(&t.categories)?;
    let channels = Quoted::of(&t.channels)?;
    let (mut created, mut updated) = (Stamp::new(), Stamp::new());
    out.push(b'[');
    for i in 0..t.len() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"amount\":");
        number(out, t.amount[i])?;
        out.extend_from_slice(b",\"category\":");
        out.extend_from_slice(categories.get(t.category[i]));
        out.extend_from_slice(b",\"channel\":");
        out.extend_from_slice(channels.get(t.channel[i]));
        out.extend_from_slice(b",\"created_at\":");
        created.write(out, t.created_ns[i])?;
        out.extend_from_slice(b",\"customer_id\":");
        out.extend_from_slice(customers.get(t.customer[i]));
        out.extend_from_slice(b",\"date\":");
        date(out, t.date(i))?;
        out.extend_from_slice(b",\"id\":");
        string(out, t.id(i))?;
        out.extend_from_slice(b",\"order_no\":");
        out.extend_from_slice(order_nos.get(t.order_no[i]));
        out.extend_from_slice(b",\"product\":");
        out.extend_from_slice(products.get(t.product[i]));
        out.extend_from_slice(b",\"profit\":");
        optional(out, t.profit_of(i))?;
        out.extend_from_slice(b",\"quantity\":");
        optional(out, t.quantity_of(i))?;
        out.extend_from_slice(b",\"updated_at\":");
        updated.write(out, t.updated_ns[i])?;
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::write;
    use crate::model::{Date, OrderLine};
    use crate::orders::OrderTable;
    use proptest::prelude::*;

    /// Texts with what serde_json escapes (quotes, backslashes, control characters) and
    /// what it does not (DEL, non-ASCII).
    fn text() -> impl Strategy<Value = String> {
        prop_oneof!["[a-c0-9]{0,4}", "[\"\\\\\u{0}\u{1f}\n\u{7f}é中 a]{0,4}", Just(String::new())]
    }

    fn line() -> impl Strategy<Value = OrderLine> {
        (
            (text(), text(), text(), text(), text(), text()),
            // Days from the common era: around today, and years before 0 and after 9999.
            prop_oneof![730_000i32..760_000, -800_000i32..4_000_000],
            proptest::num::f64::ANY,
            proptest::option::of(proptest::num::f64::ANY),
            proptest::option::of(-1e6f64..1e6),
            // Whole seconds (the app's times), any nanosecond, and the i64 range's ends.
            prop_oneof![(0i64..4_000_000_000).prop_map(|s| s * 1_000_000_000), any::<i64>()],
            any::<i64>(),
        )
            .prop_map(|((id, customer_id, order_no, product, category, channel), day, amount, profit, quantity, created, updated)| OrderLine {
                id,
                customer_id,
                order_no,
                date: Date::from_num_days_from_ce_opt(day).unwrap_or_default(),
                amount,
                profit,
                product,
                category,
                quantity,
                channel,
                created_at: chrono::DateTime::from_timestamp_nanos(created),
                updated_at: chrono::DateTime::from_timestamp_nanos(if updated % 3 == 0 { created } else { updated }),
            })
    }

    /// Through serde: each line's `OrderLineRef` by the canonical writer (what the export
    /// wrote before; `a_backup_written_from_an_order_table_is_the_same_text` holds that to
    /// the row structs' text).
    fn by_serde(t: &OrderTable) -> Vec<u8> {
        let mut out = Vec::new();
        let refs: Vec<_> = (0..t.len()).map(|i| t.row_ref(i)).collect();
        super::super::canonical::write(&mut out, &refs).expect("write");
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any table, with odd texts, numbers, dates and times and repeated values, is
        /// written byte for byte as through serde.
        #[test]
        fn lines_are_written_as_through_serde(lines in proptest::collection::vec(line(), 0..30), repeat in 0usize..4) {
            let mut rows = lines.clone();
            for _ in 0..repeat {
                rows.extend(lines.iter().cloned());
            }
            let t = OrderTable::from_rows(&rows);
            let mut direct = Vec::new();
            write(&mut direct, &t).expect("write");
            prop_assert_eq!(String::from_utf8(direct).ok(), String::from_utf8(by_serde(&t)).ok());
        }
    }

    #[test]
    fn the_demo_lines_are_written_as_through_serde() {
        let d = crate::demo::generate(&crate::demo::DemoParams { customers: 60, ..Default::default() });
        let t = OrderTable::from_rows(&d.orders);
        let mut direct = Vec::new();
        write(&mut direct, &t).expect("write");
        assert!(t.len() > 500);
        assert_eq!(direct, by_serde(&t));
    }
}
