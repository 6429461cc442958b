//! Round trip of the CSV files `clientscope-cli demo` writes through the import the wizard
//! runs (issue 12): `orders.csv` names its customers by `customer_id`, which the header
//! suggestion maps to the customer-reference column; the match suggestion must follow the
//! values (ids) so that no line lands on a new duplicate customer, and `customers.csv`
//! read back into the same data updates every customer and adds none.

use clientscope_core::io::import::{import_table, ImportContext, MergeRule};
use clientscope_core::io::mapping::{suggest, CustomerMatch, ImportKind, MatchCounts};
use clientscope_core::io::table::{read_table, FileFormat};
use std::path::PathBuf;
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn demo_csv_files_import_back_without_duplicates() {
    let dir = scratch("cli-roundtrip");
    let out = Command::new(env!("CARGO_BIN_EXE_clientscope-cli"))
        .args(["demo", "--out", dir.to_str().expect("utf-8 path"), "--seed", "7", "--end", "2026-06-30"])
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "demo failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join("clientscope-demo-backup.json")).expect("backup");
    let data = clientscope_core::backup::parse(&text).expect("backup parses").data;
    let now = chrono::DateTime::parse_from_rfc3339("2026-07-01T10:00:00+08:00").expect("time").with_timezone(&chrono::Utc);
    let ctx = || ImportContext { customers: &data.customers, survey: None, now, id_prefix: "imp-".into(), merge: MergeRule::Update };

    // Order lines: every line finds its customer by id.
    let t = read_table(std::fs::read(dir.join("orders.csv")).expect("orders.csv"), Some(FileFormat::Csv), None, None).expect("table");
    let mut m = suggest(ImportKind::Orders, &t.headers);
    let counts = MatchCounts::of(&t.headers, &t.rows, &m, &data.customers);
    assert_eq!(counts.suggestion(), CustomerMatch::Id, "{counts:?}");
    assert_eq!(counts.id, counts.values);
    m.match_by = counts.suggestion();
    let o = import_table(ImportKind::Orders, &t, &m, ctx()).expect("import");
    assert_eq!(o.unknown_customers.len(), 0, "first unknown: {:?}", o.unknown_customers.first());
    assert_eq!(o.rejected.len(), 0, "first rejected: {:?}", o.rejected.first());
    assert_eq!(o.added.orders.len(), data.orders.len());
    assert_eq!(o.added.customers.len(), 0);
    let sum = |v: &[clientscope_core::model::OrderLine]| v.iter().map(|x| x.amount).sum::<f64>();
    assert!((sum(&o.added.orders) - sum(&data.orders)).abs() < 1e-6);

    // Customers: each row is one of the stored customers again (by code), none added.
    let t = read_table(std::fs::read(dir.join("customers.csv")).expect("customers.csv"), Some(FileFormat::Csv), None, None).expect("table");
    let m = suggest(ImportKind::Customers, &t.headers);
    let o = import_table(ImportKind::Customers, &t, &m, ctx()).expect("import");
    assert_eq!(o.rejected.len(), 0, "first rejected: {:?}", o.rejected.first());
    assert_eq!(o.added.customers.len(), 0, "first added: {:?}", o.added.customers.first().map(|c| &c.name));
    assert_eq!(o.updated.len() + o.skipped, data.customers.len());
}
