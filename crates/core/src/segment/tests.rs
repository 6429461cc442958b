//! Unit tests of the segment module. Each test names its reference and tolerance.

use super::attributes::*;
use super::crosstab::*;
use super::evaluation::*;
use super::kmeans::*;
use crate::model::{Complaint, Customer, Date, Language, OrderLine, Region};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn customer(id: &str, region: Option<Region>, industry: &str, attrs: &[(&str, &str)]) -> Customer {
    let mut c: Customer = serde_json::from_value(serde_json::json!({
        "id": id, "name": format!("客户{id}"),
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
    }))
    .expect("minimal customer JSON");
    c.region = region;
    c.industry = industry.into();
    c.attributes = attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    c
}

fn day(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).expect("valid date")
}

fn order(id: &str, customer: &str, date: Date, amount: f64, profit: Option<f64>) -> OrderLine {
    serde_json::from_value(serde_json::json!({
        "id": id, "customer_id": customer, "date": date, "amount": amount, "profit": profit,
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
    }))
    .expect("minimal order JSON")
}

fn complaint(id: &str, customer: &str, received: &str, closed: Option<&str>) -> Complaint {
    serde_json::from_value(serde_json::json!({
        "id": id, "customer_id": customer, "received_at": received, "confirm_deadline": received,
        "closed_at": closed, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
    }))
    .expect("minimal complaint JSON")
}

// ---------------------------------------------------------------- attributes

/// Reference: the band definition in the module docs, by hand. Exact.
#[test]
fn bands_cut_at_edges_inclusive_below() {
    let b = Bands { edges: vec![1000.0, 5000.0] };
    assert_eq!(b.check(), Ok(()));
    assert_eq!([b.band_of(-1.0), b.band_of(999.9), b.band_of(1000.0), b.band_of(4999.0), b.band_of(5000.0)], [0, 0, 1, 1, 2]);
    assert_eq!(b.label(0, Language::En), "< 1000");
    assert_eq!(b.label(1, Language::En), "1000 – 5000");
    assert_eq!(b.label(2, Language::En), "≥ 5000");
    assert!(Bands { edges: vec![2.0, 1.0] }.check().is_err());
    assert!(Bands { edges: vec![f64::NAN] }.check().is_err());
    // Quartiles of 1..=9 by numpy's default (type 7): 3, 5, 7.
    let q = Bands::quantiles(&[9.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 4);
    assert_eq!(q.edges, vec![3.0, 5.0, 7.0]);
}

/// Reference: hand count on four customers. Exact.
#[test]
fn partition_by_region_and_multi_valued_media() {
    let cs = vec![
        customer("1", Some(Region::East), "化工", &[("media", "tv;internet")]),
        customer("2", Some(Region::East), "化工", &[("media", "internet; tv")]),
        customer("3", None, "机械", &[("media", "tv")]),
        customer("4", Some(Region::North), "", &[]),
    ];
    let ctx = SegmentContext::new(&cs);
    let params = PartitionParams { dimensions: vec![Dimension::Region, Dimension::Attribute { key: "media".into() }] }.check().expect("valid");
    let p = partition(&ctx, &params);
    let keys: Vec<(Vec<String>, Vec<usize>)> = p.segments.iter().map(|s| (s.key.clone(), s.members.clone())).collect();
    assert_eq!(
        keys,
        vec![
            (vec!["".to_string(), "tv".to_string()], vec![2]),
            (vec!["east".to_string(), "internet;tv".to_string()], vec![0, 1]),
            (vec!["north".to_string(), "".to_string()], vec![3]),
        ]
    );
    let catalogue = crate::model::builtin_attributes();
    assert_eq!(p.segments[1].name(&p.dimensions, &catalogue, Language::ZhCn), "华东 · 互联网、电视");
    assert_eq!(p.segments[0].name(&p.dimensions, &catalogue, Language::En), "(none) · TV");
}

/// Reference: hand evaluation of the conjunction. Exact.
#[test]
fn a_saved_definition_filters_and_round_trips() {
    let cs = vec![
        customer("1", Some(Region::East), "化工", &[("employees", "350"), ("media", "tv;internet")]),
        customer("2", Some(Region::East), "化工", &[("employees", "50")]),
        customer("3", Some(Region::South), "化工", &[("employees", "900"), ("media", "internet")]),
        customer("4", Some(Region::East), "机械", &[("employees", "abc")]),
    ];
    let ctx = SegmentContext::new(&cs);
    let def = SegmentDefinition {
        name: "华东化工中型".into(),
        note: String::new(),
        conditions: vec![
            Condition::In { dimension: Dimension::Region, values: BTreeSet::from(["east".to_string(), "south".to_string()]) },
            Condition::In { dimension: Dimension::Industry, values: BTreeSet::from(["化工".to_string()]) },
            Condition::Range { source: NumericSource::Attribute("employees".into()), min: Some(100.0), max: None },
        ],
    };
    let json = serde_json::to_string(&def).expect("serialises");
    let back: SegmentDefinition = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, def);
    let valid = def.check().expect("valid");
    assert_eq!(valid.filter(&ctx), vec![0, 2]);
    let media = SegmentDefinition {
        name: "看电视".into(),
        note: String::new(),
        conditions: vec![Condition::In { dimension: Dimension::Attribute { key: "media".into() }, values: BTreeSet::from(["tv".to_string()]) }],
    };
    assert_eq!(media.check().expect("valid").filter(&ctx), vec![0]);
    let bad = SegmentDefinition { name: " ".into(), note: String::new(), conditions: vec![] };
    assert_eq!(bad.check(), Err(AttributeError::EmptyName));
    let empty_range = SegmentDefinition {
        name: "x".into(),
        note: String::new(),
        conditions: vec![Condition::Range { source: NumericSource::Measure("revenue".into()), min: Some(5.0), max: Some(5.0) }],
    };
    assert!(matches!(empty_range.check(), Err(AttributeError::Range { .. })));
}

/// Reference: SPEC §2 lists; a user attribute with a new key is appended. Exact.
#[test]
fn the_catalogue_has_typed_builtin_and_custom_dimensions() {
    let mut custom = crate::model::builtin_attributes().remove(0);
    custom.key = "fleet_size".into();
    let cat = catalogue(&[custom]);
    assert_eq!(cat[0].dimension, Dimension::Region);
    assert_eq!(cat[0].values.len(), 7);
    assert!(cat.iter().any(|d| d.dimension == Dimension::Attribute { key: "lifestyle".into() }));
    assert_eq!(cat.last().map(|d| d.dimension.clone()), Some(Dimension::Attribute { key: "fleet_size".into() }));
}

// ---------------------------------------------------------------- cross-tab

fn crosstab_fixture() -> (Vec<Customer>, Vec<OrderLine>, Vec<Complaint>) {
    let cs = vec![
        customer("A", Some(Region::East), "", &[]),
        customer("B", Some(Region::East), "", &[]),
        customer("C", Some(Region::North), "", &[]),
    ];
    let orders = vec![
        order("o1", "A", day(2024, 3, 1), 100.0, Some(30.0)),
        order("o2", "A", day(2024, 2, 29), 50.0, Some(10.0)), // previous period
        order("o3", "B", day(2024, 3, 31), 300.0, None),
        order("o4", "C", day(2024, 3, 15), 600.0, Some(100.0)),
        order("o5", "C", day(2024, 2, 1), 400.0, Some(50.0)), // previous period
        order("o6", "C", day(2024, 4, 1), 999.0, Some(1.0)),  // after the period
        order("o7", "Z", day(2024, 3, 2), 77.0, Some(7.0)),   // unknown customer
    ];
    let complaints = vec![
        complaint("k1", "A", "2024-03-10T08:00:00Z", None),
        complaint("k2", "A", "2024-03-10T08:00:00Z", Some("2024-03-20T08:00:00Z")),
        complaint("k3", "C", "2024-03-30T08:00:00Z", Some("2024-04-02T08:00:00Z")),
        complaint("k4", "C", "2024-04-05T08:00:00Z", None),
    ];
    (cs, orders, complaints)
}

/// Reference: hand computation on the fixture (period March 2024, previous period
/// 30 Jan – 29 Feb 2024, also 31 days). Tolerance 1e-12 absolute (sums of a few small numbers).
#[test]
fn crosstab_by_region_matches_hand_computation() {
    let (cs, orders, complaints) = crosstab_fixture();
    let csi: HashMap<String, f64> = [("A".to_string(), 80.0), ("C".to_string(), 60.0)].into();
    let params = CrosstabParams { from: day(2024, 3, 1), to: day(2024, 3, 31) }.check().expect("valid");
    assert_eq!((params.previous_from, params.previous_to), (day(2024, 1, 30), day(2024, 2, 29)));
    let ctx = SegmentContext::new(&cs);
    let p = partition(&ctx, &PartitionParams { dimensions: vec![Dimension::Region] }.check().expect("valid"));
    let segs = NamedSegment::from_partition(&p, &[], Language::ZhCn);
    let input = CrosstabInput { customers: &cs, orders: &crate::orders::OrderTable::from_rows(&orders), complaints: &complaints, csi: Some(&csi) };
    let mut r = crosstab(&input, &segs, &params, Language::ZhCn).expect("runs");
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let east = &r.rows[0];
    assert_eq!(east.name, "华东");
    assert_eq!(east.customers, 2);
    assert!(close(east.customer_share, 2.0 / 3.0));
    assert!(close(east.revenue, 400.0) && close(east.gross_profit, 30.0) && east.lines_without_profit == 1);
    assert!(close(east.revenue_share.unwrap_or(0.0), 0.4));
    assert!(close(east.previous_revenue, 50.0) && close(east.growth.unwrap_or(0.0), 7.0));
    assert_eq!((east.mean_csi, east.csi_customers, east.open_complaints), (Some(80.0), 1, 1));
    let north = &r.rows[1];
    assert!(close(north.revenue, 600.0) && close(north.growth.unwrap_or(0.0), 0.5));
    assert_eq!(north.open_complaints, 1);
    assert!(close(r.total.revenue, 1000.0) && close(r.total.gross_profit, 130.0) && close(r.total.previous_revenue, 450.0));
    assert_eq!((r.total.customers, r.total.open_complaints, r.total.mean_csi), (3, 2, Some(70.0)));
    assert!(!r.overlapping && r.unassigned == 0);
    r.sort(CrosstabColumn::Revenue, true);
    assert_eq!(r.rows[0].name, "华北");
    r.sort(CrosstabColumn::Growth, true);
    assert_eq!(r.rows[0].name, "华东");
    assert!(CrosstabParams { from: day(2024, 3, 2), to: day(2024, 3, 1) }.check().is_err());
}

fn arb_world() -> impl Strategy<Value = (Vec<Customer>, Vec<OrderLine>, Vec<Complaint>, Vec<usize>, u64)> {
    let cust = (0usize..8, 0usize..3, proptest::option::of(0.0f64..100.0));
    (proptest::collection::vec(cust, 1..25), proptest::collection::vec((0usize..30, 0u32..120, -50.0f64..1000.0, proptest::option::of(-10.0f64..200.0)), 0..80), proptest::collection::vec((0usize..30, 0u32..120, proptest::option::of(0u32..60)), 0..20), any::<u64>())
        .prop_map(|(cs, os, ks, seed)| {
            let customers: Vec<Customer> = cs
                .iter()
                .enumerate()
                .map(|(i, (r, ind, emp))| {
                    let emp = emp.map(|e| format!("{e}")).unwrap_or_default();
                    customer(&format!("C{i}"), Region::ALL.get(*r).copied(), ["化工", "机械", ""][*ind], &[("employees", emp.as_str()), ("media", if i % 3 == 0 { "tv;radio" } else { "tv" })])
                })
                .collect();
            let n = customers.len();
            let base = day(2024, 1, 1);
            let orders = os
                .iter()
                .enumerate()
                .map(|(j, (c, d, a, p))| order(&format!("O{j}"), &format!("C{}", c % (n + 2)), base + chrono::Duration::days(i64::from(*d)), *a, *p))
                .collect();
            let complaints = ks
                .iter()
                .enumerate()
                .map(|(j, (c, d, close))| {
                    let rec = (base + chrono::Duration::days(i64::from(*d))).and_hms_opt(9, 0, 0).unwrap_or_default().and_utc();
                    let closed = close.map(|x| (rec + chrono::Duration::days(i64::from(x))).to_rfc3339());
                    complaint(&format!("K{j}"), &format!("C{}", c % (n + 2)), &rec.to_rfc3339(), closed.as_deref())
                })
                .collect();
            let perm_seed = seed;
            let mut perm: Vec<usize> = (0..n).collect();
            // A seeded Fisher-Yates permutation of the customers.
            let mut s = perm_seed;
            for i in (1..n).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                perm.swap(i, (s >> 33) as usize % (i + 1));
            }
            (customers, orders, complaints, perm, seed)
        })
}

fn dims() -> Vec<Dimension> {
    vec![
        Dimension::Region,
        Dimension::Industry,
        Dimension::Attribute { key: "media".into() },
        Dimension::Numeric { source: NumericSource::Attribute("employees".into()), bands: Bands { edges: vec![20.0, 60.0] } },
    ]
}

fn table(cs: &[Customer], orders: &[OrderLine], ks: &[Complaint]) -> (Vec<CrosstabRow>, CrosstabRow, usize) {
    let ctx = SegmentContext::new(cs);
    let p = partition(&ctx, &PartitionParams { dimensions: dims() }.check().expect("valid"));
    let segs = NamedSegment::from_partition(&p, &[], Language::En);
    let params = CrosstabParams { from: day(2024, 2, 15), to: day(2024, 3, 31) }.check().expect("valid");
    // CSI keyed by id (every second customer by id number), so it follows the customer.
    let csi: HashMap<String, f64> = cs
        .iter()
        .filter_map(|c| c.id[1..].parse::<usize>().ok().map(|i| (c, i)))
        .filter(|(_, i)| i % 2 == 0)
        .map(|(c, i)| (c.id.clone(), 50.0 + i as f64 * 0.1))
        .collect();
    let mut r = crosstab(&CrosstabInput { customers: cs, orders: &crate::orders::OrderTable::from_rows(orders), complaints: ks, csi: Some(&csi) }, &segs, &params, Language::En).expect("runs");
    r.sort(CrosstabColumn::Name, false);
    let covered: usize = p.segments.iter().map(|s| s.members.len()).sum();
    (r.rows, r.total, covered)
}

proptest! {
    /// Reference: the partition invariant. Exact: every customer in exactly one segment.
    #[test]
    fn every_customer_is_in_exactly_one_segment((cs, _, _, _, _) in arb_world()) {
        let ctx = SegmentContext::new(&cs);
        let p = partition(&ctx, &PartitionParams { dimensions: dims() }.check().expect("valid"));
        let mut count = vec![0; cs.len()];
        for s in &p.segments {
            prop_assert!(!s.members.is_empty());
            for &i in &s.members { count[i] += 1; }
        }
        prop_assert!(count.iter().all(|&c| c == 1));
    }

    /// Reference: the totals row is computed independently over all customers. Counts
    /// exact; money 1e-9 relative to the sum of absolute values (different grouping of
    /// the same additions).
    #[test]
    fn crosstab_rows_add_up_to_the_totals((cs, orders, ks, _, _) in arb_world()) {
        let (rows, total, covered) = table(&cs, &orders, &ks);
        prop_assert_eq!(covered, cs.len());
        prop_assert_eq!(rows.iter().map(|r| r.customers).sum::<usize>(), total.customers);
        prop_assert_eq!(rows.iter().map(|r| r.open_complaints).sum::<usize>(), total.open_complaints);
        prop_assert_eq!(rows.iter().map(|r| r.csi_customers).sum::<usize>(), total.csi_customers);
        let scale = orders.iter().map(|o| o.amount.abs() + o.profit.unwrap_or(0.0).abs()).sum::<f64>().max(1.0);
        prop_assert!((rows.iter().map(|r| r.revenue).sum::<f64>() - total.revenue).abs() <= 1e-9 * scale);
        prop_assert!((rows.iter().map(|r| r.gross_profit).sum::<f64>() - total.gross_profit).abs() <= 1e-9 * scale);
        prop_assert!((rows.iter().map(|r| r.previous_revenue).sum::<f64>() - total.previous_revenue).abs() <= 1e-9 * scale);
        prop_assert!((rows.iter().map(|r| r.customer_share).sum::<f64>() - 1.0).abs() <= 1e-12);
    }

    /// Reference: the same table before and after permuting customers, order lines and
    /// complaints. Exact (bit-identical), as the module docs promise.
    #[test]
    fn crosstab_does_not_depend_on_row_order((cs, orders, ks, perm, _) in arb_world()) {
        let (rows, total, _) = table(&cs, &orders, &ks);
        let cs2: Vec<Customer> = perm.iter().map(|&i| cs[i].clone()).collect();
        let mut orders2 = orders.clone();
        orders2.reverse();
        orders2.rotate_left(orders.len() / 3);
        let mut ks2 = ks.clone();
        ks2.reverse();
        let (rows2, total2, _) = table(&cs2, &orders2, &ks2);
        prop_assert_eq!(rows, rows2);
        prop_assert_eq!(total, total2);
    }
}

// ---------------------------------------------------------------- k-means

struct Reference {
    data: KMeansData,
    json: serde_json::Value,
}

fn reference(case: &str) -> Reference {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kmeans/");
    let csv = std::fs::read_to_string(format!("{dir}{case}.csv")).expect("reference csv");
    let mut lines = csv.lines();
    let columns: Vec<String> = lines.next().unwrap_or_default().split(',').map(str::to_string).collect();
    let rows = lines.map(|l| l.split(',').map(|v| v.parse::<f64>().ok()).collect()).collect();
    let json = serde_json::from_str(&std::fs::read_to_string(format!("{dir}{case}.json")).expect("reference json")).expect("json");
    Reference { data: KMeansData::new(columns, rows).expect("table"), json }
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect()).unwrap_or_default()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// Reference: scikit-learn 1.9.1 KMeans (lloyd, from the same initial centroids),
/// `inertia_`, `cluster_centers_` and `silhouette_score`, written by
/// tests/data/kmeans/make_reference.py. Labels exact; inertia and silhouette 1e-9
/// relative; centroids 1e-9 relative to the largest |centroid| coordinate.
#[test]
fn kmeans_matches_scikit_learn_from_the_same_start() {
    for case in ["blobs", "constant_raw", "constant_std", "scales_std"] {
        let r = reference(case);
        let j = &r.json;
        let k = j["k"].as_u64().unwrap_or(0) as usize;
        let scaling = if j["standardize"].as_bool() == Some(true) { Scaling::Standardize } else { Scaling::Raw };
        let params = KMeansParams { k, scaling, ..KMeansParams::default() }.check().expect("valid");
        let init: Vec<Vec<f64>> = j["init"].as_array().map(|a| a.iter().map(floats).collect()).unwrap_or_default();
        let rep = fit_from(&r.data, &params, &init).expect("fits");
        let want: Vec<Option<usize>> = j["labels"].as_array().map(|a| a.iter().map(|v| v.as_u64().map(|x| x as usize)).collect()).unwrap_or_default();
        assert_eq!(rep.labels, want, "{case}: labels");
        let inertia = j["inertia"].as_f64().unwrap_or(f64::NAN);
        let sil = j["silhouette"].as_f64().unwrap_or(f64::NAN);
        let e_inertia = rel(rep.inertia, inertia);
        let e_sil = rel(rep.silhouette.unwrap_or(f64::NAN), sil);
        let want_c: Vec<Vec<f64>> = j["centroids"].as_array().map(|a| a.iter().map(floats).collect()).unwrap_or_default();
        let cmax = want_c.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
        let e_c = rep.centroids.iter().flatten().zip(want_c.iter().flatten()).map(|(a, b)| (a - b).abs() / cmax).fold(0.0, f64::max);
        println!("{case}: inertia rel err {e_inertia:.2e}, silhouette rel err {e_sil:.2e}, centroid err {e_c:.2e}, iterations {} (sklearn {})", rep.iterations, j["n_iter"]);
        assert!(e_inertia < 1e-9 && e_sil < 1e-9 && e_c < 1e-9, "{case}");
        assert!(rep.centroids.iter().flatten().all(|v| v.is_finite()));
    }
}

fn same_partition(a: &[Option<usize>], b: &[usize]) -> bool {
    let mut map = BTreeMap::new();
    let mut inv = BTreeMap::new();
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match x {
            Some(x) => *map.entry(*x).or_insert(*y) == *y && *inv.entry(*y).or_insert(*x) == *x,
            None => false,
        })
}

/// Reference: make_blobs' true labels (tests/data/kmeans/blobs.json). Exact up to a
/// permutation; inertia 1e-9 relative to scikit-learn's.
#[test]
fn well_separated_blobs_are_recovered_exactly_with_kmeans_plus_plus() {
    let r = reference("blobs");
    let truth: Vec<usize> = r.json["true_labels"].as_array().map(|a| a.iter().filter_map(|v| v.as_u64()).map(|v| v as usize).collect()).unwrap_or_default();
    for seed in [0, 1, 42, 12345] {
        let params = KMeansParams { k: 3, seed, scaling: Scaling::Raw, ..KMeansParams::default() }.check().expect("valid");
        let rep = fit(&r.data, &params).expect("fits");
        assert!(same_partition(&rep.labels, &truth), "seed {seed}");
        assert!(rel(rep.inertia, r.json["inertia"].as_f64().unwrap_or(0.0)) < 1e-9);
    }
}

/// Reference: determinism and the canonical row order of the module docs. Exact.
#[test]
fn same_seed_same_labels_and_row_order_does_not_matter() {
    let r = reference("constant_raw");
    let params = KMeansParams { k: 4, seed: 7, restarts: 3, ..KMeansParams::default() }.check().expect("valid");
    let a = fit(&r.data, &params).expect("fits");
    let b = fit(&r.data, &params).expect("fits");
    assert_eq!(a, b);
    let n = r.data.rows().len();
    let perm: Vec<usize> = (0..n).map(|i| (i * 37 + 11) % n).collect();
    let shuffled = KMeansData::new(r.data.columns().to_vec(), perm.iter().map(|&i| r.data.rows()[i].clone()).collect()).expect("table");
    let c = fit(&shuffled, &params).expect("fits");
    assert_eq!(c.inertia.to_bits(), a.inertia.to_bits());
    assert_eq!(c.silhouette.map(f64::to_bits), a.silhouette.map(f64::to_bits));
    assert_eq!(c.centroids, a.centroids);
    for (pos, &i) in perm.iter().enumerate() {
        assert_eq!(c.labels[pos], a.labels[i]);
    }
}

/// Reference: definitions in the module docs. Exact.
#[test]
fn constant_columns_missing_values_and_too_large_k() {
    let rows: Vec<Vec<Option<f64>>> = vec![
        vec![Some(1.0), Some(5.0)],
        vec![Some(1.2), Some(5.0)],
        vec![None, Some(5.0)],
        vec![Some(9.0), Some(5.0)],
        vec![Some(9.1), Some(f64::NAN)],
        vec![Some(9.2), Some(5.0)],
    ];
    let data = KMeansData::new(vec!["x".into(), "c".into()], rows).expect("table");
    let params = KMeansParams { k: 2, ..KMeansParams::default() }.check().expect("valid");
    let rep = fit(&data, &params).expect("fits");
    assert_eq!(rep.excluded_rows, vec![2, 4]);
    assert_eq!(rep.used_rows, 4);
    assert_eq!((rep.labels[2], rep.labels[4]), (None, None));
    assert_eq!(rep.scale[1], 1.0);
    assert!(rep.centroids.iter().all(|c| c[1] == 0.0), "a constant column standardizes to 0");
    assert!(rep.inertia.is_finite() && rep.silhouette.is_some_and(f64::is_finite));
    assert_eq!(rep.labels[0], rep.labels[1]);
    assert_eq!(rep.labels[3], rep.labels[5]);
    assert_ne!(rep.labels[0], rep.labels[3]);
    let too_many = KMeansParams { k: 5, ..KMeansParams::default() }.check().expect("valid");
    assert_eq!(fit(&data, &too_many), Err(KMeansError::TooFewDistinctPoints { k: 5, distinct: 4, rows: 4 }));
    let dup = KMeansData::new(vec!["x".into()], vec![vec![Some(1.0)]; 10]).expect("table");
    assert!(matches!(fit(&dup, &params), Err(KMeansError::TooFewDistinctPoints { distinct: 1, .. })));
    assert_eq!(KMeansParams { k: 0, ..KMeansParams::default() }.check(), Err(KMeansError::ZeroK));
    assert_eq!(KMeansParams { tol: -1.0, ..KMeansParams::default() }.check(), Err(KMeansError::Tolerance(-1.0)));
    assert!(matches!(KMeansData::new(vec!["a".into(), "a".into()], vec![]), Err(KMeansError::DuplicateColumn(_))));
    let none = KMeansData::new(vec!["x".into()], vec![vec![None]]).expect("table");
    assert_eq!(fit(&none, &params), Err(KMeansError::NoCompleteRows { excluded: 1 }));
}

/// Reference: scikit-learn's empty-cluster rule (the farthest row re-seeds it). The
/// start puts centre 2 far from every row, so it is empty after the first assignment.
/// Exact: the two groups end up in different clusters and nothing is NaN.
#[test]
fn an_empty_cluster_is_reseeded() {
    let rows = [0.0, 0.1, 0.2, 10.0, 10.1, 10.2].iter().map(|v| vec![Some(*v)]).collect();
    let data = KMeansData::new(vec!["x".into()], rows).expect("table");
    let params = KMeansParams { k: 2, scaling: Scaling::Raw, ..KMeansParams::default() }.check().expect("valid");
    let rep = fit_from(&data, &params, &[vec![5.0], vec![1000.0]]).expect("fits");
    assert!(rep.centroids.iter().flatten().all(|v| v.is_finite()));
    assert_eq!(rep.labels[0], rep.labels[2]);
    assert_eq!(rep.labels[3], rep.labels[5]);
    assert_ne!(rep.labels[0], rep.labels[3]);
    assert!((rep.inertia - 0.04).abs() < 1e-12);
}

/// Reference: the blobs have three clusters, so the silhouette curve peaks at k = 3;
/// inertia never rises with k on these data. Large k beyond the distinct rows are skipped.
#[test]
fn curves_peak_at_the_true_k_and_skip_impossible_k() {
    let r = reference("blobs");
    let params = KMeansParams { scaling: Scaling::Raw, ..KMeansParams::default() }.check().expect("valid");
    let c = curve(&r.data, &params, 2..=10).expect("runs");
    assert_eq!(c.points.len(), 9);
    assert_eq!(c.best_silhouette_k, Some(3));
    assert!(c.points.windows(2).all(|w| w[1].inertia <= w[0].inertia * (1.0 + 1e-12)));
    let small = KMeansData::new(vec!["x".into()], [1.0, 2.0, 3.0, 3.0].iter().map(|v| vec![Some(*v)]).collect()).expect("table");
    let c = curve(&small, &params, 2..=10).expect("runs");
    assert_eq!(c.points.iter().map(|p| p.k).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(c.skipped, (4..=10).collect::<Vec<_>>());
}

/// Reference: the exact silhouette on all rows; the sampled value must be close to it
/// (|Δ| < 0.02 here) and reproducible. Profiles: hand sums.
#[test]
fn silhouette_sample_is_deterministic_and_profiles_add_up() {
    let r = reference("constant_raw");
    let exact = KMeansParams { k: 4, ..KMeansParams::default() }.check().expect("valid");
    let sampled = KMeansParams { silhouette_sample: 60, ..*exact.params() }.check().expect("valid");
    let a = fit(&r.data, &exact).expect("fits");
    let b = fit(&r.data, &sampled).expect("fits");
    let b2 = fit(&r.data, &sampled).expect("fits");
    assert!(!a.silhouette_sampled && b.silhouette_sampled && b.silhouette_rows == 60);
    assert_eq!(b.silhouette, b2.silhouette);
    assert!((a.silhouette.unwrap_or(0.0) - b.silhouette.unwrap_or(1.0)).abs() < 0.02);
    let revenue: Vec<f64> = (0..r.data.rows().len()).map(|i| i as f64).collect();
    let prof = profiles(&r.data, &a, Some(&revenue));
    assert_eq!(prof.iter().map(|p| p.size).sum::<usize>(), r.data.rows().len());
    let total: f64 = prof.iter().filter_map(|p| p.revenue).sum();
    assert!((total - revenue.iter().sum::<f64>()).abs() < 1e-9);
    assert!(prof.iter().all(|p| (p.means[1] - 5.0).abs() < 1e-12));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// Reference: the canonical order of the module docs. Exact: labels follow the rows,
    /// inertia and centroids are bit-identical.
    #[test]
    fn kmeans_does_not_depend_on_row_order(points in proptest::collection::vec((-10i32..10, -10i32..10, proptest::option::of(0i32..3)), 8..60), rot in 0usize..60, seed in any::<u64>()) {
        let rows: Vec<Vec<Option<f64>>> = points.iter().map(|(a, b, c)| vec![Some(f64::from(*a) * 0.7), Some(f64::from(*b) * 1.3), c.map(f64::from)]).collect();
        let data = KMeansData::new(vec!["a".into(), "b".into(), "c".into()], rows.clone()).expect("table");
        let params = KMeansParams { k: 3, seed, restarts: 2, ..KMeansParams::default() }.check().expect("valid");
        let n = rows.len();
        let perm: Vec<usize> = (0..n).rev().map(|i| (i + rot) % n).collect();
        let shuffled = KMeansData::new(data.columns().to_vec(), perm.iter().map(|&i| rows[i].clone()).collect()).expect("table");
        match (fit(&data, &params), fit(&shuffled, &params)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.inertia.to_bits(), b.inertia.to_bits());
                prop_assert_eq!(&a.centroids, &b.centroids);
                prop_assert_eq!(a.silhouette.map(f64::to_bits), b.silhouette.map(f64::to_bits));
                for (pos, &i) in perm.iter().enumerate() {
                    prop_assert_eq!(b.labels[pos], a.labels[i]);
                }
                // Every used row has a label, and identical rows share it.
                prop_assert_eq!(a.labels.iter().filter(|l| l.is_some()).count(), a.used_rows);
            }
            (Err(e1), Err(e2)) => prop_assert_eq!(e1, e2),
            (x, y) => prop_assert!(false, "different outcomes: {:?} vs {:?}", x.is_ok(), y.is_ok()),
        }
    }
}

/// Timing: k = 2..10 on 100,000 × 6 rows (4 restarts each, standardized, silhouette on a
/// 5,000-row sample). Printed, not asserted. Run in release:
/// `cargo test --release -p clientscope-core --lib kmeans_timing_100k -- --ignored --nocapture`
#[test]
#[ignore]
fn kmeans_timing_100k() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let centres: Vec<[f64; 6]> = (0..5).map(|_| std::array::from_fn(|_| rng.gen::<f64>() * 10.0)).collect();
    let rows: Vec<Vec<Option<f64>>> = (0..100_000)
        .map(|i| centres[i % 5].iter().map(|c| Some(c + rng.gen::<f64>() * 3.0)).collect())
        .collect();
    let data = KMeansData::new((0..6).map(|j| format!("v{j}")).collect(), rows).expect("table");
    let params = KMeansParams::default().check().expect("valid");
    let t = std::time::Instant::now();
    let c = curve(&data, &params, 2..=10).expect("runs");
    let secs = t.elapsed().as_secs_f64();
    println!("k-means k = 2..10 on 100,000 × 6 ({} restarts each): {secs:.2} s; best silhouette k = {:?}", params.params().restarts, c.best_silhouette_k);
    for p in &c.points {
        println!("  k = {:2}: inertia {:.1}, silhouette {:?}", p.k, p.inertia, p.silhouette);
    }
}

// ---------------------------------------------------------------- evaluation

/// Reference: hand computation. Weights 2:1:1 → 0.5/0.25/0.25; totals 1e-12 absolute.
#[test]
fn evaluation_normalises_weights_totals_and_ranks() {
    let row = |name: &str, s: [u8; 3], target: bool| EvaluationRow {
        segment: name.into(),
        scores: [(Criterion::MarketSize, s[0]), (Criterion::Growth, s[1]), (Criterion::StrategicFit, s[2])].into_iter().filter(|(_, v)| *v > 0).collect(),
        target,
        positioning: Positioning { statement: "为华东化工企业提供最可靠的气源".into(), ..Positioning::default() },
    };
    let params = EvaluationParams {
        weights: [(Criterion::MarketSize, 2.0), (Criterion::Growth, 1.0), (Criterion::StrategicFit, 1.0)].into(),
        rows: vec![row("A", [5, 3, 4], true), row("B", [4, 5, 4], false), row("C", [4, 5, 0], false), row("D", [5, 3, 4], false)],
    };
    let json = serde_json::to_string(&params).expect("serialises");
    assert_eq!(serde_json::from_str::<EvaluationParams>(&json).expect("parses"), params);
    let v = params.check().expect("valid");
    assert!((v.weights().values().sum::<f64>() - 1.0).abs() < 1e-12);
    let r = evaluate(&v);
    let totals: Vec<f64> = r.rows.iter().map(|x| x.total.unwrap_or(0.0)).collect();
    for (t, want) in totals.iter().zip([4.25, 4.25, 13.0 / 3.0, 4.25]) {
        assert!((t - want).abs() < 1e-12);
    }
    assert_eq!(r.rows.iter().map(|x| x.rank).collect::<Vec<_>>(), vec![Some(2), Some(2), Some(1), Some(2)]);
    assert_eq!(r.rows[2].missing, vec![Criterion::StrategicFit]);
    assert_eq!(r.targets, vec!["A".to_string()]);
    let mut bad = params.clone();
    bad.rows[0].scores.insert(Criterion::Growth, 6);
    assert!(matches!(bad.check(), Err(EvaluationError::Score { score: 6, .. })));
    let zero = EvaluationParams { weights: [(Criterion::Growth, 0.0)].into(), rows: vec![] };
    assert_eq!(zero.check(), Err(EvaluationError::NoWeight));
}

/// Reference: the quintile rule of the module docs with numpy type-7 quantiles; for
/// 1..5 the cut points are 1.8, 2.6, 3.4, 4.2. Exact.
#[test]
fn quintile_rule_scores() {
    let v: Vec<Option<f64>> = [3.0, 1.0, 5.0, 2.0, 4.0].iter().map(|x| Some(*x)).collect();
    assert_eq!(quintile_scores(&v), vec![Some(3), Some(1), Some(5), Some(2), Some(4)]);
    assert_eq!(quintile_scores(&[Some(2.0), None, Some(2.0)]), vec![Some(3), None, Some(3)]);
    assert_eq!(quintile_scores(&[Some(7.0)]), vec![Some(3)]);
    let (cs, orders, complaints) = crosstab_fixture();
    let ctx = SegmentContext::new(&cs);
    let p = partition(&ctx, &PartitionParams { dimensions: vec![Dimension::Region] }.check().expect("valid"));
    let params = CrosstabParams { from: day(2024, 3, 1), to: day(2024, 3, 31) }.check().expect("valid");
    let segs = NamedSegment::from_partition(&p, &[], Language::En);
    let r = crosstab(&CrosstabInput { customers: &cs, orders: &crate::orders::OrderTable::from_rows(&orders), complaints: &complaints, csi: None }, &segs, &params, Language::En).expect("runs");
    let s = suggest_scores(&r);
    // Two segments: North revenue 600 > East 400 → 5 and 1 (cut points 440, 480, 520, 560).
    let size: Vec<(String, u8)> = s.iter().filter(|x| x.criterion == Criterion::MarketSize).map(|x| (x.segment.clone(), x.score)).collect();
    assert_eq!(size, vec![("East".to_string(), 1), ("North".to_string(), 5)]);
    assert!(s.iter().all(|x| x.criterion != Criterion::CompetitiveIntensity), "no CSI, no suggestion");
    let mut m = EvaluationParams::default();
    m.rows.push(EvaluationRow { segment: "East".into(), scores: [(Criterion::MarketSize, 4)].into(), ..EvaluationRow::default() });
    m.apply_suggestions(&s, false);
    assert_eq!(m.rows[0].scores.get(&Criterion::MarketSize), Some(&4));
    assert_eq!(m.rows[1].segment, "North");
}

// ---------------------------------------------------------------- stepwise curves, saved clusters

/// Reference: [`curve`] and [`fit`] themselves. The stepwise run must be bit-identical
/// (exact equality of every point and of the report of each k).
#[test]
fn stepwise_curve_run_equals_curve_and_fit() {
    let r = reference("blobs");
    let params = KMeansParams { scaling: Scaling::Standardize, restarts: 3, ..KMeansParams::default() }.check().expect("valid");
    let whole = curve(&r.data, &params, 2..=6).expect("runs");
    let mut run = CurveRun::new(&r.data, &params, 2..=6).expect("prepares");
    assert_eq!(run.total_steps(), 5 * 3);
    let mut done = 0;
    while !run.finished() {
        run.step();
        assert!(run.steps_done() >= done && run.steps_done() <= done + 1);
        done = run.steps_done();
    }
    assert_eq!(done, 15);
    assert_eq!(run.curve(), whole);
    for k in 2..=6 {
        let direct = fit(&r.data, &params.with_k(k).expect("valid")).expect("fits");
        assert_eq!(run.report(k).as_ref(), Some(&direct), "k = {k}");
    }
    assert_eq!(run.report(7), None);
    // A k above the distinct rows is listed as skipped, as by `curve`.
    let small = KMeansData::new(vec!["x".into()], [1.0, 2.0, 3.0, 3.0].iter().map(|v| vec![Some(*v)]).collect()).expect("table");
    let mut run = CurveRun::new(&small, &params, 2..=5).expect("prepares");
    while !run.finished() {
        run.step();
    }
    assert_eq!(run.curve(), curve(&small, &params, 2..=5).expect("runs"));
}

/// Reference: [`curve`] and [`fit`]. The curves split by k over 1-4 workers
/// ([`deal_ks`], each part a [`CurveRun::with_ks`]) and merged are bit-identical to the
/// whole run, and so is every k's report; every k is dealt to exactly one worker.
#[test]
fn curves_split_over_workers_equal_the_whole_run() {
    let r = reference("blobs");
    let params = KMeansParams { scaling: Scaling::Standardize, restarts: 2, ..KMeansParams::default() }.check().expect("valid");
    let whole = curve(&r.data, &params, 2..=10).expect("runs");
    for n in 1..=4 {
        let mut dealt: Vec<usize> = (0..n).flat_map(|i| deal_ks(2..=10, i, n)).collect();
        dealt.sort_unstable();
        assert_eq!(dealt, (2..=10).collect::<Vec<_>>(), "n = {n}");
        let parts: Vec<CurvePart> = (0..n)
            .rev()
            .map(|i| {
                let mut run = CurveRun::with_ks(&r.data, &params, &deal_ks(2..=10, i, n)).expect("prepares");
                while !run.finished() {
                    run.step();
                }
                run.into_part()
            })
            .collect();
        let (merged, reports) = merge_curves(&params, parts);
        assert_eq!(merged, whole, "n = {n}");
        for (k, rep) in (2..=10).zip(&reports) {
            assert_eq!(rep, &fit(&r.data, &params.with_k(k).expect("valid")).expect("fits"), "n = {n}, k = {k}");
        }
    }
    // Boustrophedon dealing of 9 k over 2 workers: 10,7,6,3,2 and 9,8,5,4.
    assert_eq!(deal_ks(2..=10, 0, 2), vec![2, 3, 6, 7, 10]);
    assert_eq!(deal_ks(2..=10, 1, 2), vec![4, 5, 8, 9]);
}

/// Reference: [`curve`]. On 20,000 rows a restart needs several steps (each step is bounded
/// by `STEP_WORK`), and the result is still bit-identical.
#[test]
fn stepwise_run_splits_long_restarts_and_stays_identical() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let rows: Vec<Vec<Option<f64>>> = (0..20_000).map(|i| (0..6).map(|j| Some(((i % 4) * 3 + j) as f64 + rng.gen::<f64>() * 4.0)).collect()).collect();
    let data = KMeansData::new((0..6).map(|j| format!("v{j}")).collect(), rows).expect("table");
    let params = KMeansParams { restarts: 2, silhouette_sample: 500, ..KMeansParams::default() }.check().expect("valid");
    let mut run = CurveRun::new(&data, &params, 8..=9).expect("prepares");
    let mut steps = 0;
    while !run.finished() {
        run.step();
        steps += 1;
    }
    assert!(steps > run.total_steps(), "{steps} steps for {} restarts", run.total_steps());
    assert_eq!(run.curve(), curve(&data, &params, 8..=9).expect("runs"));
}

/// Reference: the labels of the fit itself. A cluster saved as a nearest-centroid
/// condition selects exactly the customers the fit put in that cluster (exact), and a
/// customer without the numbers is in no saved cluster.
#[test]
fn a_saved_cluster_selects_its_members() {
    let pts = [(1.0, 10.0), (1.5, 11.0), (0.5, 9.0), (8.0, 2.0), (9.0, 1.5), (8.5, 3.0), (4.0, 20.0), (4.5, 21.0)];
    let mut cs: Vec<Customer> = pts
        .iter()
        .enumerate()
        .map(|(i, (x, y))| customer(&format!("C{i}"), None, "", &[("x", &x.to_string()), ("y", &y.to_string())]))
        .collect();
    cs.push(customer("C9", None, "", &[("x", "3")]));
    let ctx = SegmentContext::new(&cs);
    let sources = vec![NumericSource::Attribute("x".into()), NumericSource::Attribute("y".into())];
    let cols: Vec<(String, NumericSource)> = vec![("x".into(), sources[0].clone()), ("y".into(), sources[1].clone())];
    let data = KMeansData::from_customers(&ctx, &cols).expect("table");
    let rep = fit(&data, &KMeansParams { k: 3, ..KMeansParams::default() }.check().expect("valid")).expect("fits");
    assert_eq!(rep.labels[8], None);
    // Standardized centroids mapped back to the original units are the cluster means
    // (1e-9 absolute; hand check: the first blob's mean is (1, 10)).
    let prof = profiles(&data, &rep, None);
    for (orig, p) in rep.centroids_original().iter().zip(&prof) {
        assert!(orig.iter().zip(&p.means).all(|(a, b)| (a - b).abs() < 1e-9), "{orig:?} vs {:?}", p.means);
    }
    assert!(rep.centroids_original().iter().any(|c| (c[0] - 1.0).abs() < 1e-9 && (c[1] - 10.0).abs() < 1e-9));
    for cluster in 0..3 {
        let def = SegmentDefinition { name: format!("群{cluster}"), note: String::new(), conditions: vec![Condition::from_cluster(&rep, sources.clone(), cluster)] };
        let valid = def.check().expect("valid");
        let expected: Vec<usize> = rep.labels.iter().enumerate().filter(|(_, l)| **l == Some(cluster)).map(|(i, _)| i).collect();
        assert_eq!(valid.filter(&ctx), expected);
        // It survives JSON (settings, backup).
        let back: SegmentDefinition = serde_json::from_str(&serde_json::to_string(&def).expect("json")).expect("parse");
        assert_eq!(back, def);
    }
    let bad = SegmentDefinition {
        name: "坏".into(),
        note: String::new(),
        conditions: vec![Condition::NearestCentroid { sources, mean: vec![0.0], scale: vec![1.0, 1.0], centroids: vec![vec![0.0, 0.0]], cluster: 0 }],
    };
    assert!(matches!(bad.check(), Err(AttributeError::Centroids { index: 0, .. })));
}

/// Reference: hand computation. The latest response per customer gives its CSI; the value
/// report gives labels and RFM measures keyed by id.
#[test]
fn context_reads_customer_csi_and_value_results() {
    use crate::model::{IndicatorNode, Scale, Survey, SurveyResponse};
    let cs = vec![customer("1", None, "", &[]), customer("2", None, "", &[])];
    let leaf = |id: &str, w: f64| -> IndicatorNode {
        serde_json::from_value(serde_json::json!({"id": id, "label": id, "weight": w})).expect("leaf")
    };
    let mut root = leaf("root", 1.0);
    root.children = vec![leaf("a", 0.5), leaf("b", 0.5)];
    let survey = Survey {
        id: "S1".into(),
        name: "s".into(),
        scale: Scale::default(),
        root,
        competitors: vec![],
        design: Default::default(),
        created_at: chrono::DateTime::default(),
        updated_at: chrono::DateTime::default(),
    };
    let resp = |id: &str, cid: Option<&str>, date: Date, a: f64, b: f64| -> SurveyResponse {
        serde_json::from_value(serde_json::json!({
            "id": id, "survey_id": "S1", "customer_id": cid, "date": date,
            "answers": {"a": a, "b": b}, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
        }))
        .expect("response")
    };
    // Likert 5 → 100/80/60/40/20 (SPEC §5): customer 1's latest answers 5 and 3 → (100 + 60) / 2 = 80.
    let responses = vec![
        resp("R1", Some("1"), day(2025, 1, 1), 1.0, 1.0),
        resp("R2", Some("1"), day(2025, 6, 1), 5.0, 3.0),
        resp("R3", None, day(2025, 6, 1), 5.0, 5.0),
    ];
    let (ctx, skipped) = SegmentContext::new(&cs).with_customer_csi(&[survey], &responses);
    assert_eq!(skipped, 0);
    let csi = &ctx.measures["csi"];
    assert_eq!(csi.len(), 1);
    assert!((csi["1"] - 80.0).abs() < 1e-9, "{}", csi["1"]);
}

/// Reference: by hand. Rows follow the saved names, keep their scores, lose removed ones.
#[test]
fn evaluation_rows_follow_the_saved_segments_and_maps_are_checked() {
    let mut e = EvaluationParams::default();
    e.rows.push(EvaluationRow { segment: "甲".into(), scores: [(Criterion::Growth, 4)].into(), target: true, ..EvaluationRow::default() });
    e.rows.push(EvaluationRow { segment: "乙".into(), ..EvaluationRow::default() });
    e.sync_rows(&["丙".to_string(), "甲".to_string()]);
    assert_eq!(e.rows.iter().map(|r| r.segment.as_str()).collect::<Vec<_>>(), ["丙", "甲"]);
    assert_eq!(e.rows[1].scores.get(&Criterion::Growth), Some(&4));
    assert!(e.rows[1].target);
    let mut m = PerceptualMap { x_label: "价格".into(), y_label: "质量".into(), offers: vec![] };
    assert_eq!(m.extent(), ((0.0, 10.0), (0.0, 10.0)));
    m.offers.push(MapOffer { name: "本公司".into(), x: 3.0, y: 8.0, own: true });
    assert_eq!(m.extent(), ((2.0, 4.0), (7.0, 9.0)));
    m.offers.push(MapOffer { name: "竞争者A".into(), x: 13.0, y: 8.0, own: false });
    assert_eq!(m.extent(), ((2.0, 14.0), (7.0, 9.0)));
    assert!(m.check().is_ok());
    m.offers.push(MapOffer { name: " ".into(), ..MapOffer::default() });
    assert_eq!(m.check(), Err(MapError::NoName(3)));
}

/// Reference: the identity. Saved segments, the matrix with targets and positioning, and
/// the perceptual map survive a backup export and parse; a backup written before they
/// existed (no `segments` in its settings) still loads, with none.
#[test]
fn segments_settings_round_trip_through_a_backup() {
    use crate::model::{Dataset, Settings, SegmentsSettings};
    let mut evaluation = EvaluationParams::default();
    evaluation.rows.push(EvaluationRow {
        segment: "华东·化工".into(),
        scores: [(Criterion::MarketSize, 5), (Criterion::Growth, 3)].into(),
        target: true,
        positioning: Positioning { statement: "为华东化工企业提供最可靠的气源".into(), product: "高纯度".into(), price: "优质优价".into(), place: "直销".into(), promotion: "技术研讨会".into() },
    });
    let settings = Settings {
        segments: SegmentsSettings {
            definitions: vec![SegmentDefinition {
                name: "华东·化工".into(),
                note: "n".into(),
                conditions: vec![Condition::In { dimension: Dimension::Region, values: BTreeSet::from(["east".to_string()]) }],
            }],
            evaluation,
            perceptual_map: PerceptualMap { x_label: "价格".into(), y_label: "质量".into(), offers: vec![MapOffer { name: "本公司".into(), x: 6.0, y: 8.5, own: true }] },
        },
        ..Settings::default()
    };
    let when = chrono::DateTime::default();
    let text = crate::backup::export(&Dataset::default(), &settings, "0.1.0", when).expect("export");
    let back = crate::backup::parse(&text).expect("parse");
    assert_eq!(back.settings, settings);
    let old: Settings = serde_json::from_value(serde_json::json!({"language": "zh-CN", "custom_attributes": [], "pages": {}})).expect("old settings");
    assert_eq!(old.segments, SegmentsSettings::default());
}

/// Suggested band edges are rounded to what a person would type (hand-computed: the
/// type-7 quartiles of 1..=1000 × 151.3 are 37,938.475, 75,725.65 and 113,512.825; two
/// significant digits keep them increasing).
#[test]
fn suggested_band_edges_are_rounded_and_increasing() {
    let values: Vec<f64> = (1..=1000).map(|i| f64::from(i) * 151.3).collect();
    let exact = Bands::quantiles(&values, 4);
    assert_eq!(exact.edges.len(), 3);
    let b = Bands::suggested(&values, 4);
    assert_eq!(b.edges, vec![38_000.0, 76_000.0, 110_000.0]);
    assert_eq!(b.edges.iter().map(|e| e.to_string()).collect::<Vec<_>>(), ["38000", "76000", "110000"]);
    // Close quartiles need more digits to stay apart: 1.001, 1.002, 1.003 stay as they are.
    let close = [1.0, 1.001, 1.002, 1.003, 1.004];
    let b = Bands::suggested(&close, 4);
    assert_eq!(b.edges, vec![1.001, 1.002, 1.003]);
    assert!(b.check().is_ok());
    // Small values print without binary noise: two significant digits, nothing after.
    let small: Vec<f64> = (0..=99).map(|i| f64::from(i) * 0.00123).collect();
    let b = Bands::suggested(&small, 4);
    assert_eq!(b.edges.len(), 3);
    for e in &b.edges {
        let text = e.to_string();
        let digits = text.trim_start_matches("0.").trim_start_matches('0');
        assert!(digits.len() <= 2, "{text}");
    }
    assert!(Bands::suggested(&[], 4).edges.is_empty());
}

/// The segments page's period: one year of 365 days ending on the chosen or today's date.
#[test]
fn crosstab_period_defaults_to_the_year_ending_today() {
    let d = |s: &str| Date::parse_from_str(s, "%Y-%m-%d").unwrap();
    let p = CrosstabParams::with_defaults(None, None, d("2026-12-02"));
    assert_eq!((p.from, p.to), (d("2025-12-03"), d("2026-12-02")));
    let p = CrosstabParams::with_defaults(None, Some(d("2024-02-29")), d("2026-12-02"));
    assert_eq!((p.from, p.to), (d("2023-03-02"), d("2024-02-29")));
    let p = CrosstabParams::with_defaults(Some(d("2026-01-01")), None, d("2026-12-02"));
    assert_eq!((p.from, p.to), (d("2026-01-01"), d("2026-12-02")));
}
