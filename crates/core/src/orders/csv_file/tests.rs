//! The fast path reads every plain file into the very table the `csv` crate path makes,
//! wherever the body is cut; anything else falls back to that path, errors included.

use super::*;
use proptest::prelude::*;

/// The table of the fast path with the body cut at `cuts` (byte offsets just after a
/// `\n`), or `None` when it gives up.
fn fast_with_cuts(bytes: &[u8], cuts: &[usize]) -> Option<OrderTable> {
    let plan = plan(bytes)?;
    let body = &bytes[plan.body_start..];
    let mut parts = Vec::new();
    let mut start = 0;
    for &c in cuts.iter().chain(std::iter::once(&body.len())) {
        parts.push(parse_part(&body[start..c], &plan.columns)?);
        start = c;
    }
    Some(merge(parts))
}

/// Every way of cutting the body at line ends into two parts, and `split` into 1..=4
/// parts, gives the table of `read_general`.
fn assert_fast_equals_general(text: &str) {
    let bytes = text.as_bytes();
    let general = read_general(bytes).expect("general reader");
    let plan = plan(bytes).expect("a plain file");
    let body = &bytes[plan.body_start..];
    for (i, _) in body.iter().enumerate().filter(|(_, &b)| b == b'\n') {
        let t = fast_with_cuts(bytes, &[i + 1]).expect("plain lines");
        assert_eq!(t, general, "cut after byte {i} of the body of {text:?}");
    }
    for parts in 1..=4 {
        let ranges = split(body, parts);
        assert!(ranges.len() <= parts.max(1));
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(body.len()));
        let cuts: Vec<usize> = ranges.iter().skip(1).map(|r| r.start).collect();
        assert!(cuts.iter().all(|&c| body[c - 1] == b'\n'), "{cuts:?}");
        assert_eq!(fast_with_cuts(bytes, &cuts).expect("plain lines"), general, "{parts} parts of {text:?}");
    }
    assert_eq!(read(bytes), Ok(general));
}

/// Plain files: LF and CRLF, a BOM, empty lines, no newline at the end, spaces around
/// cells, extra and reordered columns, unknown profits, Chinese ids, an order number split
/// across parts, no optional columns.
#[test]
fn fast_path_equals_the_csv_crate_on_plain_files() {
    for text in [
        "customer_id,date,amount,profit,order_no\nC1,2024-01-02,10.5,2,SO1\nC2,2024-01-03,7,,SO1\nC1,2024-02-01,3.25,1,SO2\n",
        "customer_id,date,amount,profit,order_no\r\nC1,2024-01-02,10.5,2,SO1\r\nC2,2024-01-03,7,,SO1\r\n\r\nC1,2024-02-01,3.25,1,SO2",
        "\u{feff}customer_id,date,amount\nC1,2024-01-02,1\n\nC2,2024-01-03,2\nC1,2024-01-04,-3e2\n\n",
        "note, amount ,customer_id,date,order_no\nx, 5 ,  客户甲 ,2024-03-01, A-1 \ny,6,客户乙,2024-03-02,A-1\nz,7.0,客户甲,2024-03-03,\n",
        "customer_id,date,amount,order_no\nC1,2024-01-01,1,O1\nC1,2024-01-01,2,O1\nC1,2024-01-01,3,O1\nC2,2024-01-02,4,O1\nC3,2024-01-02,5,O2\n",
        "customer_id,date,amount\n",
        "customer_id,date,amount",
        "customer_id,date,amount,profit\nC1,2024-01-02,0,0\nC1,2024-01-02,-0,-0\n",
    ] {
        assert_fast_equals_general(text);
    }
}

/// More distinct values than the first table of the interner holds (it grows), on both
/// sides of a cut, with most values in both parts: the merged dictionaries keep the order
/// of first appearance.
#[test]
fn many_distinct_values_merge_in_order_of_first_appearance() {
    let mut text = String::from("customer_id,date,amount,order_no\n");
    for k in 0..6000 {
        text.push_str(&format!("C{},2024-01-{:02},{}.5,SO{}\n", (k * 7919) % 2500, 1 + k % 28, k, k / 2));
    }
    let bytes = text.as_bytes();
    let general = read_general(bytes).expect("general reader");
    assert_eq!(general.customers.len(), 2500);
    for parts in [2, 3, 7] {
        let plan = plan(bytes).expect("plain");
        let body = &bytes[plan.body_start..];
        let cuts: Vec<usize> = split(body, parts).iter().skip(1).map(|r| r.start).collect();
        assert_eq!(fast_with_cuts(bytes, &cuts), Some(general.clone()), "{parts} parts");
    }
}

/// Files the fast path does not read (quoted fields, a quoted line break, a lone `\r`, a
/// record with another field count, bad values, an empty customer id, text that is not
/// UTF-8, a missing column) read, or fail, exactly as through the `csv` crate.
#[test]
fn unusual_files_read_as_through_the_csv_crate() {
    let cases: [&[u8]; 12] = [
        b"customer_id,date,amount,order_no\n\"C1\",2024-01-02,1,\"SO\n1\"\nC2,2024-01-02,2,SO2\n",
        b"customer_id,date,amount\r\n\"C,1\",2024-01-02,1\r\n",
        b"customer_id,date,amount\rC1,2024-01-02,1\rC2,2024-01-02,2\r",
        b"customer_id,date,amount\nC1,2024-01-02,1,9\n",
        b"customer_id,date,amount\nC1,2024-01-02\n",
        b"customer_id,date,amount\nC1,2024-1-02,1\n",
        b"customer_id,date,amount\nC1,2024-01-02,abc\n",
        b"customer_id,date,amount\nC1,2024-01-02,inf\n",
        b"customer_id,date,amount\n  ,2024-01-02,1\n",
        b"customer_id,date,amount\nC\xff,2024-01-02,1\n",
        b"customer_id,amount\nC1,1\n",
        b"customer_id,date,amount,profit\nC1,2024-01-02,1,x\n   \n",
    ];
    for bytes in cases {
        let general = read_general(bytes);
        assert_eq!(read(bytes), general, "{:?}", String::from_utf8_lossy(bytes));
        if let Some(p) = plan(bytes) {
            let body = &bytes[p.body_start..];
            if let Some(part) = parse_part(body, &p.columns) {
                assert_eq!(Ok(merge(vec![part])), general, "{:?}", String::from_utf8_lossy(bytes));
            }
        }
    }
    assert_eq!(read(b"customer_id,date,amount\nC1,2024-1-02,1\n"), Err("row 2, column date: \"2024-1-02\" is not a YYYY-MM-DD date".into()));
    assert_eq!(read(b"customer_id,amount\nC1,1\n"), Err("the header has no column \"date\"".into()));
    // A quoted line break is one record: the file has two lines, not three.
    assert_eq!(read(cases[0]).map(|t| t.len()), Ok(2));
}

fn cell_strategy() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[ \t]{0,2}", "[ \t]?[A-D甲][0-9]{0,2}[ \t]?"]
}

proptest! {
    /// Generated plain files (random ids, order numbers, blanks, unknown profits, line ends
    /// and empty lines) read the same through the fast path cut anywhere at a line end.
    #[test]
    fn fast_path_equals_the_csv_crate(
        lines in proptest::collection::vec(("[A-D甲][0-9]?", 0u32..60, -1000i32..100_000, proptest::option::of(-50i32..500), cell_strategy(), 0u8..4), 0..40),
        crlf in any::<bool>(),
        cut in any::<prop::sample::Index>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("customer_id,date,amount,profit,order_no{end}");
        for (customer, day, cents, profit, order, blank) in &lines {
            let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date") + chrono::Days::new(u64::from(*day));
            let profit = profit.map(|p| format!(" {p}.25")).unwrap_or_default();
            text.push_str(&format!("{customer} ,{date}, {}.{:02},{profit},{order}{end}", cents / 100, cents.rem_euclid(100)));
            if *blank == 0 {
                text.push_str(end);
            }
        }
        let bytes = text.as_bytes();
        let general = read_general(bytes);
        prop_assert!(general.is_ok(), "{:?}", general);
        let p = plan(bytes).expect("plain");
        let body = &bytes[p.body_start..];
        let ends: Vec<usize> = body.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i + 1).collect();
        let cuts: Vec<usize> = if ends.is_empty() { Vec::new() } else { vec![ends[cut.index(ends.len())]] };
        prop_assert_eq!(fast_with_cuts(bytes, &cuts).map(Ok), Some(general.clone()));
        let two: Vec<usize> = split(body, 2).iter().skip(1).map(|r| r.start).collect();
        prop_assert_eq!(fast_with_cuts(bytes, &two).map(Ok), Some(general));
    }
}

/// A bitmap made at once equals one made bit by bit, at and around word boundaries.
#[test]
fn bits_from_bools_equals_pushing() {
    for n in [0, 1, 63, 64, 65, 130] {
        let flags: Vec<bool> = (0..n).map(|i| i % 3 == 0 || i == 64).collect();
        let mut pushed = Bits::default();
        for &f in &flags {
            pushed.push(f);
        }
        assert_eq!(Bits::from_bools(&flags), pushed, "{n}");
    }
}

/// A dictionary handed over without its map looks up and interns as one built by
/// `intern`, and compares by its values.
#[test]
fn dictionary_without_map_builds_it_on_first_use() {
    let built = Dict::from_values(["a", "b", ""]);
    let mut handed = Dict::from_unique(["a", "b", ""]);
    assert_eq!(handed, built);
    assert_eq!(handed.get("b"), Some(1));
    assert_eq!(handed.get("z"), None);
    let mut fresh = Dict::from_unique(["a"]);
    assert_eq!(fresh.intern("a"), 0);
    assert_eq!(fresh.intern("c"), 1);
    assert_eq!(handed.intern(""), 2);
    assert_eq!(handed.intern("c"), 3);
    assert_eq!(handed.get("c"), Some(3));
    assert!(handed.values().eq(["a", "b", "", "c"]));
}

/// The word of 0 to 8 bytes is the little-endian value of the bytes padded with zeros.
#[test]
fn word_is_the_zero_padded_little_endian_value() {
    let bytes = [0x11u8, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    for n in 0..=8 {
        let mut padded = [0u8; 8];
        padded[..n].copy_from_slice(&bytes[..n]);
        assert_eq!(word(&bytes[..n]), u64::from_le_bytes(padded), "{n} bytes");
    }
}
