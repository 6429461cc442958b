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

    /// The upsert in steps of any size gives the table and the change the one-shot upsert
    /// gives (and its progress ends at its total).
    #[test]
    fn upsert_in_steps_equals_upsert(base in proptest::collection::vec(line_strategy(), 0..40), new in proptest::collection::vec(line_strategy(), 0..30), n in 1usize..9) {
        let mut rows: Vec<OrderLine> = Vec::new();
        upsert_model(&mut rows, &base);
        let mut whole = OrderTable::from_rows(&rows);
        let whole_change = whole.upsert(&new);
        let mut stepped = OrderTable::from_rows(&rows);
        let mut u = Upsert::new(&stepped, &new);
        let mut steps = 0;
        while !u.step(&mut stepped, n) {
            steps += 1;
            prop_assert!(steps <= 2 * new.len() + rows.len() + 1, "ends");
        }
        let (done, total) = u.progress();
        prop_assert_eq!(done, total);
        let change = u.finish(&stepped);
        prop_assert!(same(&stepped.to_rows(), &whole.to_rows()));
        prop_assert_eq!(stepped.dictionaries(), whole.dictionaries());
        prop_assert_eq!(change, whole_change);
    }

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
        // One chunk at a time, as the store reads them, gives the same table.
        let mut b = OrderTableBuilder::new(t.dictionaries(), t.len());
        for c in rechunk(&t, size) {
            b.push(&c).expect("readable");
        }
        prop_assert_eq!(b.finish().checksum(), t.checksum());
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
    dicts.customers = Dict::from_unique(t.customers.values().take(t.customers.len() - 1));
    let e = OrderTable::from_chunks(dicts, t.chunks()).expect_err("missing customer");
    assert_eq!(e.problem, crate::orders::ChunkProblem::Dictionary("customer"));
    let mut c = t.chunks();
    c[0].index = 1;
    assert!(OrderTable::from_chunks(t.dictionaries(), c).is_err(), "a gap in the chunk sequence");
    // The builder takes chunks in index order only: a repeated or skipped chunk is refused.
    let c = rechunk(&t, 2);
    let mut b = OrderTableBuilder::new(t.dictionaries(), t.len());
    b.push(&c[0]).expect("first chunk");
    assert_eq!(b.push(&c[0]).expect_err("repeated").chunk, 0);
    assert_eq!(b.push(&c[2]).expect_err("skipped").chunk, 2);
    b.push(&c[1]).expect("second chunk");
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

/// A row model of `upsert`: a line whose id is present replaces it in place, new ids are
/// appended in order, and of a repeated id the last one wins.
fn upsert_model(rows: &mut Vec<OrderLine>, new: &[OrderLine]) {
    for (k, r) in new.iter().enumerate() {
        if new[k + 1..].iter().any(|later| later.id == r.id) {
            continue;
        }
        match rows.iter_mut().find(|x| x.id == r.id) {
            Some(slot) => *slot = r.clone(),
            None => rows.push(r.clone()),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Upsert, remove by id and remove by customer on the table give the rows the row
    /// model gives (ids unique in the table, as the store keeps them); and the totals read
    /// through `Lines` are equal on the table and on the rows.
    #[test]
    fn table_edits_equal_the_row_model(base in proptest::collection::vec(line_strategy(), 0..40), new in proptest::collection::vec(line_strategy(), 0..20), gone in proptest::collection::vec(0u8..12, 0..3)) {
        let mut rows: Vec<OrderLine> = Vec::new();
        upsert_model(&mut rows, &base);
        let mut t = OrderTable::from_rows(&rows);
        let change = t.upsert(&new);
        let before = rows.len();
        upsert_model(&mut rows, &new);
        prop_assert!(same(&t.to_rows(), &rows));
        prop_assert_eq!(change.added, rows.len() - before);
        // The customer list's totals are the same read either way.
        let customers: Vec<crate::model::Customer> = (0..12).map(|c| crate::validate::tests::cust(&format!("C{c}"))).collect();
        prop_assert_eq!(format!("{:?}", crate::query::customer_stats(&customers, &t)), format!("{:?}", crate::query::customer_stats(&customers, &rows)));
        let ids: std::collections::HashSet<String> = rows.iter().step_by(3).map(|r| r.id.clone()).collect();
        let ids: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        let change = t.remove_ids(&ids);
        let kept: Vec<OrderLine> = rows.iter().filter(|r| !ids.contains(r.id.as_str())).cloned().collect();
        prop_assert_eq!(change.removed, rows.len() - kept.len());
        prop_assert!(same(&t.to_rows(), &kept));
        let gone: Vec<String> = gone.iter().map(|c| format!("C{c}")).collect();
        let gone: std::collections::HashSet<&str> = gone.iter().map(String::as_str).collect();
        let theirs = t.rows_of_customers(&gone);
        t.remove_customers(&gone);
        let (a, b): (Vec<OrderLine>, Vec<OrderLine>) = kept.into_iter().partition(|r| gone.contains(r.customer_id.as_str()));
        prop_assert!(same(&theirs, &a));
        prop_assert!(same(&t.to_rows(), &b));
    }
}

/// The chunks a change reports are exactly those whose content differs, on a table of
/// three chunks: an edit in place touches its chunk, an append the last chunk (and any new
/// one), a removal every chunk from the removed line on.
#[test]
fn changes_name_exactly_the_chunks_that_differ() {
    let at = chrono::DateTime::from_timestamp_nanos(0);
    let day = Date::from_ymd_opt(2024, 1, 1).unwrap();
    let rows: Vec<OrderLine> = (0..2 * CHUNK_LINES + 10).map(|i| OrderLine::new(format!("L{i}"), format!("C{}", i % 7), day, i as f64, at)).collect();
    let mut t = OrderTable::from_rows(&rows);
    let differing = |a: &OrderTable, b: &OrderTable| -> Vec<usize> {
        (0..a.chunk_count().max(b.chunk_count())).filter(|&k| k >= a.chunk_count() || k >= b.chunk_count() || a.chunk(k).fingerprint() != b.chunk(k).fingerprint()).collect()
    };
    let old = t.clone();
    let mut edit = rows[CHUNK_LINES + 5].clone();
    edit.amount = -1.0;
    let c = t.upsert(&[edit]);
    assert_eq!((c.chunks.clone(), c.added, c.dictionaries), (vec![1], 0, false));
    assert_eq!(differing(&old, &t), c.chunks);
    let old = t.clone();
    let c = t.upsert(&[OrderLine::new("new", "C-new", day, 1.0, at)]);
    assert_eq!((c.chunks.clone(), c.added, c.dictionaries), (vec![2], 1, true));
    assert_eq!(differing(&old, &t), c.chunks);
    let old = t.clone();
    let c = t.remove_ids(&["L70000"].into_iter().collect());
    assert_eq!((c.chunks.clone(), c.removed), (vec![1, 2], 1));
    assert_eq!(differing(&old, &t), c.chunks);
    assert_eq!(t.remove_ids(&["nothing"].into_iter().collect()), TableChange::default());
    // Filling the last chunk exactly and one more line opens a fourth chunk.
    let more: Vec<OrderLine> = (0..CHUNK_LINES).map(|i| OrderLine::new(format!("M{i}"), "C1", day, 1.0, at)).collect();
    let c = t.upsert(&more);
    assert_eq!(c.chunks, vec![2, 3]);
}

/// Packed dictionaries read back as they were; damaged offsets are refused.
#[test]
fn dictionaries_pack_and_unpack() {
    let list = Dict::from_unique(["", "华东", "a", "", "KH00001"]);
    let (text, ends) = Dictionaries::pack(&list);
    assert_eq!(Dictionaries::unpack(&text, &ends), Some(list));
    assert_eq!(Dictionaries::unpack(&text, &ends[..ends.len() - 1]), None, "offsets cut short");
    assert_eq!(Dictionaries::unpack(&text[..text.len() - 1], &ends), None, "text cut short");
    let mut bad = ends.clone();
    bad[4] = 2; // the end of "华东" inside the first character
    assert_eq!(Dictionaries::unpack(&text, &bad), None, "an offset inside a character");
    assert_eq!(Dictionaries::unpack("", &[]), Some(Dict::default()));
}

/// Lines put back by an undo must be new: a repeated or stored id is refused and nothing
/// changes.
#[test]
fn insert_new_refuses_known_ids() {
    let at = chrono::DateTime::from_timestamp_nanos(0);
    let day = Date::from_ymd_opt(2024, 1, 1).unwrap();
    let mut t = OrderTable::from_rows(&[OrderLine::new("a", "C1", day, 1.0, at)]);
    let before = t.clone();
    assert_eq!(t.insert_new(&[OrderLine::new("b", "C1", day, 1.0, at), OrderLine::new("a", "C2", day, 2.0, at)]), Err("a".to_string()));
    assert_eq!(t.insert_new(&[OrderLine::new("c", "C1", day, 1.0, at), OrderLine::new("c", "C2", day, 2.0, at)]), Err("c".to_string()));
    assert_eq!(t, before);
    assert_eq!(t.insert_new(&[OrderLine::new("b", "C1", day, 1.0, at)]).map(|c| c.added), Ok(1));
    assert_eq!(t.len(), 2);
}

proptest! {
    /// The arena dictionary behaves as the list-plus-map it replaced: interning gives each
    /// new value the next index and a known value its first index, `get`, `value` and
    /// `values` agree with that list, a copy packed and unpacked (or put back through
    /// serde) is equal, and `reserve` changes nothing it can see.
    #[test]
    fn dictionary_is_a_list_with_a_lookup(values in proptest::collection::vec("[a-c华]{0,3}", 0..60), probes in proptest::collection::vec("[a-c华]{0,3}", 0..20), room in 0usize..100, at in 0usize..60) {
        let mut list: Vec<String> = Vec::new();
        let mut d = Dict::default();
        for (k, v) in values.iter().enumerate() {
            if k == at {
                d.reserve(room);
            }
            let i = d.intern(v);
            let expected = list.iter().position(|x| x == v).unwrap_or_else(|| { list.push(v.clone()); list.len() - 1 });
            prop_assert_eq!(i as usize, expected);
        }
        prop_assert_eq!(d.len(), list.len());
        prop_assert!(d.values().eq(list.iter().map(String::as_str)));
        for (k, v) in list.iter().enumerate() {
            prop_assert_eq!(d.value(k as u32), v.as_str());
            prop_assert_eq!(d.get(v), Some(k as u32));
        }
        for p in &probes {
            prop_assert_eq!(d.get(p), list.iter().position(|x| x == p).map(|k| k as u32));
        }
        prop_assert_eq!(&Dict::from_values(&values), &d);
        prop_assert_eq!(&Dict::from_unique(&list), &d);
        let (text, ends) = Dictionaries::pack(&d);
        let back = Dictionaries::unpack(&text, &ends).expect("unpacks");
        prop_assert_eq!(&back, &d);
        prop_assert_eq!(back.get(list.last().map_or("", String::as_str)), list.len().checked_sub(1).map(|k| k as u32));
        let json = serde_json::to_string(&d).expect("serializes");
        prop_assert_eq!(&json, &serde_json::to_string(&serde_json::json!({ "values": list })).unwrap());
        let mut again: Dict = serde_json::from_str(&json).expect("deserializes");
        prop_assert_eq!(&again, &d);
        // A dictionary read back (no lookup yet) interns as the original does.
        let mut original = d.clone();
        for p in &probes {
            prop_assert_eq!(again.intern(p), original.intern(p));
        }
        prop_assert_eq!(again, original);
    }
}

/// Dictionaries differ when their values or their order differ, however they were built;
/// repeats in a stored list are kept as they are, and a lookup finds the first.
#[test]
fn dictionary_equality_and_repeats() {
    let a = Dict::from_values(["x", "y"]);
    assert_eq!(a, Dict::from_unique(["x", "y"]));
    assert_ne!(a, Dict::from_values(["y", "x"]));
    assert_ne!(a, Dict::from_values(["xy"]), "same text, other values");
    assert_ne!(a, Dict::from_values(["x"]));
    let repeats = Dict::from_unique(["", "a", ""]);
    assert_eq!(repeats.len(), 3);
    assert_eq!(repeats.get(""), Some(0));
    assert_eq!(repeats.value(2), "");
    assert_eq!(Dict::from_packed("ab".into(), &[1, 0, 0, 0, 0, 0, 0, 0]), None, "offsets going back");
    assert_eq!(Dict::from_packed("ab".into(), &[1, 0, 0, 0, 2, 0, 0, 0]), Some(Dict::from_values(["a", "b"])));
}

/// `Dictionaries` keeps its serde form: five plain lists of strings.
#[test]
fn dictionaries_serde_form() {
    let d = Dictionaries { customers: Dict::from_values(["C1", "C2"]), channels: Dict::from_values([""]), ..Default::default() };
    let json = serde_json::to_value(&d).expect("serializes");
    assert_eq!(json, serde_json::json!({ "customers": ["C1", "C2"], "order_nos": [], "products": [], "categories": [], "channels": [""] }));
    let back: Dictionaries = serde_json::from_value(json).expect("deserializes");
    assert_eq!(back, d);
    let packed = rmp_serde::to_vec_named(&d).expect("msgpack");
    assert_eq!(rmp_serde::from_slice::<Dictionaries>(&packed).expect("msgpack back"), d);
}

proptest! {
    /// A borrowed row is written exactly as its row struct: dates of any year (the plain
    /// form for 0-9999, chrono's own for the rest), times across what the table holds
    /// (nanoseconds since 1970: 1677-2262), whole seconds and fractions.
    #[test]
    fn a_borrowed_row_serialises_as_the_row_struct(
        secs in -9_200_000_000i64..9_200_000_000i64,
        nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
        days in -4_000_000i32..4_000_000,
        whole_day in 0i64..86_400,
    ) {
        let at = chrono::DateTime::from_timestamp(secs, nanos).unwrap_or_default();
        let plain = chrono::DateTime::from_timestamp(whole_day + 1_700_000_000, 0).unwrap_or_default();
        let date = Date::from_num_days_from_ce_opt(days).unwrap_or_default();
        let mut line = OrderLine::new("L1", "C1", date, 12.5, at);
        line.updated_at = plain;
        let table = OrderTable::from_rows(std::slice::from_ref(&line));
        let row_ref = table.row_ref(0);
        prop_assert_eq!(serde_json::to_string(&row_ref).ok().map(|t| serde_json::from_str::<serde_json::Value>(&t).ok()), serde_json::to_string(&line).ok().map(|t| serde_json::from_str::<serde_json::Value>(&t).ok()));
        prop_assert_eq!(OrderLine::from(row_ref), line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The upsert is the row model whether the new rows' ids are all distinct (an import's
    /// fresh ids: no lookup per row when appending) or repeat among themselves.
    #[test]
    fn upsert_is_the_row_model_with_distinct_or_repeated_ids(
        base in proptest::collection::vec(line_strategy(), 0..20),
        new in proptest::collection::vec(line_strategy(), 0..30),
        ids in proptest::collection::vec(0u8..4, 30),
        distinct in any::<bool>(),
    ) {
        let mut rows: Vec<OrderLine> = Vec::new();
        upsert_model(&mut rows, &base);
        let new: Vec<OrderLine> = new
            .into_iter()
            .enumerate()
            .map(|(k, mut r)| {
                // Distinct ids, some of them stored already; or four ids over and over.
                r.id = if distinct { if k % 3 == 0 { rows.get(k).map_or_else(|| format!("n{k}"), |s| s.id.clone()) } else { format!("n{k}") } } else { format!("r{}", ids[k]) };
                r
            })
            .collect();
        let mut want = rows.clone();
        upsert_model(&mut want, &new);
        let mut table = OrderTable::from_rows(&rows);
        table.upsert(&new);
        prop_assert!(same(&table.to_rows(), &want));
    }
}
