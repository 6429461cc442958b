//! Property tests of the columnar table: rows → table → rows is the identity, chunks →
//! table is the identity whatever the chunk boundaries, and the facts computed on the table
//! equal, to the last bit, the facts computed on the rows, whatever the row order.

use super::*;
use crate::value::facts::{customer_facts, customer_facts_table, FactsSpec};
use crate::value::{Metric, TimeUnit};
use proptest::prelude::*;

fn line_strategy() -> impl Strategy<Value = OrderLine> {
    (
        "[a-z]{0,3}[0-9]{0,4}",
        0u8..12,
        0i32..900,
        prop_oneof![Just(0.0), -50.0f64..5000.0, Just(f64::NAN)],
        proptest::option::of(-100.0f64..1000.0),
        proptest::option::of(0.0f64..50.0),
        prop_oneof![Just(String::new()), "[A-C][0-9]{0,2}"],
        "[产品xy]{0,2}",
        "(|直销|经销)",
        -2_000_000_000_000_000_000i64..4_000_000_000_000_000_000,
    )
        .prop_map(|(id, cust, day, amount, profit, quantity, order_no, product, channel, ns)| OrderLine {
            id,
            customer_id: format!("C{cust}"),
            order_no,
            date: Date::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Days::new(day as u64),
            amount,
            profit,
            product: product.clone(),
            category: product.chars().rev().collect(),
            quantity,
            channel,
            created_at: chrono::DateTime::from_timestamp_nanos(ns),
            updated_at: chrono::DateTime::from_timestamp_nanos(ns / 3),
        })
}

/// NaN != NaN, so compare lines by their bits.
fn same(a: &[OrderLine], b: &[OrderLine]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.amount.to_bits() == y.amount.to_bits() && OrderLine { amount: 0.0, ..x.clone() } == OrderLine { amount: 0.0, ..y.clone() }
        })
}

fn rechunk(t: &OrderTable, size: usize) -> Vec<Chunk> {
    // Chunks of `size` lines: cut the rows and chunk each piece on its own, renumbered.
    let rows = t.to_rows();
    let mut out = Vec::new();
    let mut whole = OrderTable::default();
    // One dictionary for all pieces, as the store keeps it.
    for r in &rows {
        whole.push(r);
    }
    for (k, piece) in (0..rows.len()).collect::<Vec<_>>().chunks(size.max(1)).enumerate() {
        let mut sub = OrderTable { customers: whole.customers.clone(), order_nos: whole.order_nos.clone(), products: whole.products.clone(), categories: whole.categories.clone(), channels: whole.channels.clone(), ..Default::default() };
        for &i in piece {
            sub.push(&rows[i]);
        }
        let mut c = sub.chunks().remove(0);
        c.index = k as u32;
        out.push(c);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn rows_to_table_and_back_is_the_identity(rows in proptest::collection::vec(line_strategy(), 0..60)) {
        let t = OrderTable::from_rows(&rows);
        prop_assert_eq!(t.len(), rows.len());
        prop_assert!(same(&t.to_rows(), &rows));
    }

    #[test]
    fn chunks_to_table_is_the_identity_whatever_the_boundaries(rows in proptest::collection::vec(line_strategy(), 1..60), size in 1usize..9) {
        let t = OrderTable::from_rows(&rows);
        let back = OrderTable::from_chunks(t.dictionaries(), rechunk(&t, size)).expect("readable");
        prop_assert!(same(&back.to_rows(), &rows));
        prop_assert_eq!(back.checksum(), t.checksum());
        // Chunks given in another order are sorted back.
        let mut shuffled = rechunk(&t, size);
        shuffled.reverse();
        let again = OrderTable::from_chunks(t.dictionaries(), shuffled).expect("readable");
        prop_assert_eq!(again.checksum(), t.checksum());
    }

    #[test]
    fn facts_on_the_table_equal_facts_on_the_rows_in_any_order(rows in proptest::collection::vec(line_strategy(), 0..80), seed in any::<u64>(), week in any::<bool>()) {
        let ids: Vec<String> = (0..14).map(|c| format!("C{c}")).collect(); // C12, C13 have no lines; C0..C11 do
        let ids = &ids[1..]; // C0's lines are unknown customers
        let spec = FactsSpec { as_of: Date::from_ymd_opt(2025, 3, 1).unwrap(), period_start: Date::from_ymd_opt(2023, 6, 1), unit: if week { TimeUnit::Week } else { TimeUnit::Day }, metric: Metric::Profit, trend_window_days: 120 };
        let by_rows = customer_facts(ids, &rows, &spec);
        let mut shuffled = rows.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let by_table = customer_facts_table(ids, &OrderTable::from_rows(&shuffled), &spec);
        // Debug formatting shows every f64 exactly, so equal strings are equal bits.
        prop_assert_eq!(format!("{by_rows:?}"), format!("{by_table:?}"));
    }
}

/// The checksum sees every field: changing one value of one line changes it.
#[test]
fn checksum_changes_with_any_field() {
    let at = chrono::DateTime::from_timestamp_nanos(1_700_000_000_123_456_789);
    let base = vec![OrderLine::new("L1", "C1", Date::from_ymd_opt(2024, 5, 1).unwrap(), 10.0, at), OrderLine::new("L2", "C2", Date::from_ymd_opt(2024, 5, 2).unwrap(), 0.0, at)];
    let sum = OrderTable::from_rows(&base).checksum();
    let variants: Vec<Box<dyn Fn(&mut OrderLine)>> = vec![
        Box::new(|l| l.amount = 10.5),
        Box::new(|l| l.profit = Some(0.0)),
        Box::new(|l| l.quantity = Some(1.0)),
        Box::new(|l| l.order_no = "A".into()),
        Box::new(|l| l.product = "p".into()),
        Box::new(|l| l.category = "c".into()),
        Box::new(|l| l.channel = "直销".into()),
        Box::new(|l| l.customer_id = "C3".into()),
        Box::new(|l| l.date = Date::from_ymd_opt(2024, 5, 3).unwrap()),
        Box::new(|l| l.id = "L9".into()),
        Box::new(|l| l.updated_at = chrono::DateTime::from_timestamp_nanos(1)),
    ];
    for (k, change) in variants.iter().enumerate() {
        let mut rows = base.clone();
        change(&mut rows[1]);
        assert_ne!(OrderTable::from_rows(&rows).checksum(), sum, "variant {k}");
    }
}

/// A damaged chunk is refused with its index, in both languages, never read half.
#[test]
fn damaged_chunks_are_refused() {
    let at = chrono::DateTime::from_timestamp_nanos(0);
    let rows: Vec<OrderLine> = (0..5).map(|i| OrderLine::new(format!("L{i}"), format!("C{i}"), Date::from_ymd_opt(2024, 1, 1).unwrap(), 1.0, at)).collect();
    let t = OrderTable::from_rows(&rows);
    let mut c = t.chunks();
    c[0].amount.pop();
    let e = OrderTable::from_chunks(t.dictionaries(), c).expect_err("short column");
    assert_eq!(e.chunk, 0);
    assert!(e.to_string().contains("amount"));
    assert!(e.message_zh().contains("第 1 块"));
    let mut dicts = t.dictionaries();
    dicts.customers.pop();
    let e = OrderTable::from_chunks(dicts, t.chunks()).expect_err("missing customer");
    assert!(e.what.contains("customer"));
    let mut c = t.chunks();
    c[0].index = 1;
    assert!(OrderTable::from_chunks(t.dictionaries(), c).is_err(), "a gap in the chunk sequence");
}

/// 65,536 lines make one chunk, 65,537 two; the lines of one customer are found.
#[test]
fn chunk_size_and_customer_rows() {
    let at = chrono::DateTime::from_timestamp_nanos(0);
    let rows: Vec<OrderLine> = (0..CHUNK_LINES + 1).map(|i| OrderLine::new(format!("L{i}"), format!("C{}", i % 7), Date::from_ymd_opt(2024, 1, 1).unwrap(), i as f64, at)).collect();
    let t = OrderTable::from_rows(&rows);
    let c = t.chunks();
    assert_eq!(c.iter().map(|c| c.lines).collect::<Vec<_>>(), vec![CHUNK_LINES as u32, 1]);
    assert_eq!(c[0].amount.len(), CHUNK_LINES * 8);
    let back = OrderTable::from_chunks(t.dictionaries(), c).expect("readable");
    assert_eq!(back.checksum(), t.checksum());
    let mine = back.rows_of("C3");
    assert_eq!(mine.len(), rows.iter().filter(|r| r.customer_id == "C3").count());
    assert!(mine.iter().all(|r| r.customer_id == "C3"));
    assert!(back.rows_of("nobody").is_empty());
}
