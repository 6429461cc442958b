//! The canonical text of a backup's `data` (module docs of [`super`]: keys sorted, compact,
//! serde_json's strings and numbers), written straight from the records' serde form.
//!
//! Written by hand because no crate writes this form: `olpc-cjson`'s formatter sorts keys
//! too but refuses floating-point numbers and escapes strings differently, and `serde_jcs`
//! (RFC 8785) writes `100.0` as `100` and goes through `serde_json::Value`. Going through
//! `Value` ourselves (one map per record, a string per key) made the export of a
//! department's backup (1M order lines) take seconds; [`Canonical`] writes straight into
//! the output and reorders only an object whose keys came out of order.

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;

/// A serde_json formatter that writes objects with their keys sorted by code point (UTF-8
/// byte order of the unescaped key, as `serde_json::Value`'s map keeps them), everything
/// else as serde_json's compact formatter does. It writes straight into the output and
/// notes where each entry of an open object lies; an object whose keys came out of order
/// has its entries put in order in place when it closes (its length does not change, so
/// the enclosing object's notes stay right). A struct whose fields are declared in key
/// order (as [`crate::orders::OrderLineRef`]'s are) is written without a copy.
struct Canonical<'a> {
    out: &'a mut Vec<u8>,
    /// `levels[..depth]` are the open objects, innermost last; the rest are kept for reuse.
    levels: Vec<Level>,
    depth: usize,
    /// Room for reordering an object's entries.
    scratch: Vec<u8>,
}

#[derive(Default)]
struct Level {
    entries: Vec<Entry>,
    /// Whether a key of this object has an escape (then keys are compared unescaped).
    escaped: bool,
    /// Where the entry being written starts, and its key's end.
    start: usize,
    key_end: usize,
}

struct Entry {
    /// The key's first 8 bytes, big-endian, zero-padded: most keys differ in them, and
    /// comparing two numbers is much cheaper than comparing two slices.
    prefix: u64,
    /// The key's text (quotes included) and the whole entry's, as ranges of the output.
    key: Range<usize>,
    whole: Range<usize>,
}

impl Level {
    /// Puts the entries, which lie in `out` one after another with commas between, in key
    /// order, in place.
    fn sort(&mut self, out: &mut [u8], scratch: &mut Vec<u8>) {
        let Some(region) = self.entries.first().zip(self.entries.last()).map(|(f, l)| f.whole.start..l.whole.end) else {
            return;
        };
        {
            let text: &[u8] = out;
            let inner = |e: &Entry| &text[e.key.start + 1..e.key.end - 1];
            if self.escaped {
                // A key with a quote, backslash or control character (rare: a map key) is
                // compared unescaped.
                let raw = |e: &Entry| -> Cow<'_, [u8]> {
                    serde_json::from_slice::<String>(&text[e.key.clone()]).map_or(Cow::Borrowed(inner(e)), |s| Cow::Owned(s.into_bytes()))
                };
                if self.entries.windows(2).all(|w| raw(&w[0]) <= raw(&w[1])) {
                    return;
                }
                self.entries.sort_by(|a, b| raw(a).cmp(&raw(b)));
            } else {
                let order = |a: &Entry, b: &Entry| a.prefix.cmp(&b.prefix).then_with(|| inner(a).cmp(inner(b)));
                if self.entries.is_sorted_by(|a, b| order(a, b).is_le()) {
                    return;
                }
                self.entries.sort_by(order);
            }
        }
        scratch.clear();
        scratch.extend_from_slice(&out[region.clone()]);
        let mut at = region.start;
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                out[at] = b',';
                at += 1;
            }
            let len = e.whole.len();
            let from = e.whole.start - region.start;
            out[at..at + len].copy_from_slice(&scratch[from..from + len]);
            at += len;
        }
    }
}

macro_rules! pass {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            #[inline]
            fn $name<W: ?Sized + Write>(&mut self, _: &mut W $(, $arg: $ty)*) -> io::Result<()> {
                CompactFormatter.$name(self.out $(, $arg)*)
            }
        )*
    };
}

/// Everything goes to `out` (serde_json's own writer is a sink).
impl Formatter for Canonical<'_> {
    pass! {
        write_null();
        write_bool(v: bool);
        write_i8(v: i8);
        write_i16(v: i16);
        write_i32(v: i32);
        write_i64(v: i64);
        write_i128(v: i128);
        write_u8(v: u8);
        write_u16(v: u16);
        write_u32(v: u32);
        write_u64(v: u64);
        write_u128(v: u128);
        write_f32(v: f32);
        write_f64(v: f64);
        write_number_str(v: &str);
        begin_string();
        end_string();
        write_string_fragment(v: &str);
        write_char_escape(v: CharEscape);
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        write_raw_fragment(v: &str);
    }

    fn begin_object<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        if self.depth == self.levels.len() {
            self.levels.push(Level::default());
        }
        let level = &mut self.levels[self.depth];
        level.entries.clear();
        level.escaped = false;
        self.depth += 1;
        self.out.push(b'{');
        Ok(())
    }

    fn end_object<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.depth -= 1;
        self.levels[self.depth].sort(self.out, &mut self.scratch);
        self.out.push(b'}');
        Ok(())
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, _: &mut W, first: bool) -> io::Result<()> {
        if !first {
            self.out.push(b',');
        }
        self.levels[self.depth - 1].start = self.out.len();
        Ok(())
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.levels[self.depth - 1].key_end = self.out.len();
        Ok(())
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.out.push(b':');
        Ok(())
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        let level = &mut self.levels[self.depth - 1];
        let key = &self.out[level.start + 1..level.key_end - 1];
        level.escaped |= key.contains(&b'\\');
        let mut prefix = [0u8; 8];
        let n = key.len().min(8);
        prefix[..n].copy_from_slice(&key[..n]);
        let entry = Entry { prefix: u64::from_be_bytes(prefix), key: level.start..level.key_end, whole: level.start..self.out.len() };
        level.entries.push(entry);
        Ok(())
    }
}

/// Appends the canonical text of `value` to `out`.
pub fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let formatter = Canonical { out, levels: Vec::new(), depth: 0, scratch: Vec::new() };
    let mut ser = serde_json::Serializer::with_formatter(io::sink(), formatter);
    value.serialize(&mut ser)
}

#[cfg(test)]
mod tests {
    use super::super::write_canonical;
    use super::write;
    use serde::Serialize;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// The reference: the value's canonical text through `serde_json::Value`.
    fn by_value<T: Serialize>(x: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write_canonical(&mut out, &serde_json::to_value(x).expect("value")).expect("write");
        out
    }

    fn direct<T: Serialize>(x: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, x).expect("write");
        out
    }

    #[derive(Serialize)]
    struct Record {
        zeta: f64,
        alpha: Option<String>,
        nested: Vec<HashMap<String, i64>>,
        map: HashMap<String, (f64, bool)>,
        #[serde(skip_serializing_if = "Option::is_none")]
        gone: Option<u8>,
        a: (),
    }

    /// Keys that sort differently escaped and unescaped, share their first 8 bytes, hold
    /// NUL, or are not ASCII.
    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-c]{0,3}",
            "abcdefgh[a-c\"\\\\\u{0}\n]{0,3}",
            "[\"#\\\\\u{1}\u{7f}é中]{0,3}",
            Just(String::new()),
        ]
    }

    proptest! {
        /// Any record, with maps in any order, nested objects and odd keys and numbers, is
        /// written exactly as the `Value` way writes it.
        #[test]
        fn records_are_written_as_through_a_value(
            zeta in proptest::num::f64::ANY,
            alpha in proptest::option::of(".{0,4}"),
            nested in proptest::collection::vec(proptest::collection::hash_map(key(), any::<i64>(), 0..5), 0..3),
            map in proptest::collection::hash_map(key(), (proptest::num::f64::ANY, any::<bool>()), 0..8),
            gone in proptest::option::of(any::<u8>()),
        ) {
            let r = Record { zeta, alpha, nested, map, gone, a: () };
            prop_assert_eq!(String::from_utf8(direct(&r)).ok(), String::from_utf8(by_value(&r)).ok());
            let list = vec![&r, &r];
            prop_assert_eq!(direct(&list), by_value(&list));
        }
    }

    #[test]
    fn the_demo_records_are_written_as_through_a_value() {
        let d = crate::demo::generate(&crate::demo::DemoParams { customers: 40, ..Default::default() });
        assert_eq!(direct(&d.customers), by_value(&d.customers));
        assert_eq!(direct(&d.orders), by_value(&d.orders));
        assert_eq!(direct(&d.complaints), by_value(&d.complaints));
        assert_eq!(direct(&d.responses), by_value(&d.responses));
        assert_eq!(direct(&d.surveys), by_value(&d.surveys));
        assert_eq!(direct(&d.interactions), by_value(&d.interactions));
        assert_eq!(direct(&d.contacts), by_value(&d.contacts));
    }
}
