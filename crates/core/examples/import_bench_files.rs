//! Writes the files of the browser import benchmark (`tests/e2e/bench_import.mjs`):
//! `orders-1m.csv` (1,000,000 order lines, UTF-8, about 60 MB) and `orders-1m.xlsx` (the
//! same lines in a workbook), for 2,000 customers that the import creates (codes
//! `K00000`…`K01999`), and prints how fast the core imports each natively.
//!
//! `cargo run --release -p clientscope-core --example import_bench_files -- DIR [N]`

use clientscope_core::io::import::{ImportContext, Importer, MergeRule};
use clientscope_core::io::mapping::{suggest, ImportKind};
use clientscope_core::io::table::{CsvRows, Workbook};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "target/bench-import".into()));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    std::fs::create_dir_all(&dir).expect("create the output directory");

    let mut text = String::with_capacity(n * 64);
    text.push_str("客户编号,订单号,日期,金额,毛利,产品,数量,渠道\n");
    for i in 0..n {
        text.push_str(&format!(
            "K{:05},SO{i:08},2024-{:02}-{:02},\"{},{:03}.50\",{},阀门{},{},直销\n",
            i % 2000,
            i % 12 + 1,
            i % 28 + 1,
            i % 90 + 1,
            i % 1000,
            i % 500,
            i % 37,
            i % 9 + 1
        ));
    }
    let csv_path = dir.join("orders-1m.csv");
    std::fs::write(&csv_path, &text).expect("write csv");

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["客户编号", "订单号", "日期", "金额", "毛利", "产品", "数量"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for i in 0..n {
        let r = i as u32 + 1;
        ws.write_string(r, 0, format!("K{:05}", i % 2000)).expect("cell");
        ws.write_string(r, 1, format!("SO{i:08}")).expect("cell");
        ws.write_number_with_format(r, 2, 45_000.0 + (i % 700) as f64, &date).expect("cell");
        ws.write_number(r, 3, 100.0 + (i % 1000) as f64 + 0.5).expect("cell");
        ws.write_number(r, 4, (i % 500) as f64).expect("cell");
        ws.write_string(r, 5, format!("阀门{}", i % 37)).expect("cell");
        ws.write_number(r, 6, (i % 9 + 1) as f64).expect("cell");
    }
    let xlsx = wb.save_to_buffer().expect("xlsx");
    let xlsx_path = dir.join("orders-1m.xlsx");
    std::fs::write(&xlsx_path, &xlsx).expect("write xlsx");
    println!("wrote {} ({:.1} MB) and {} ({:.1} MB)", csv_path.display(), text.len() as f64 / 1e6, xlsx_path.display(), xlsx.len() as f64 / 1e6);

    // Native figures, the app's way: decode, pull rows, feed the importer (no stored
    // customers: every line waits for "create the unknown customers").
    let ctx = || ImportContext { customers: &[], survey: None, now: Default::default(), id_prefix: "b-".into(), merge: MergeRule::Update };
    let t0 = Instant::now();
    let decoded = clientscope_core::io::decode(std::fs::read(&csv_path).expect("read csv"), None).expect("decode");
    let mut rows = CsvRows::new(&decoded.text, None).expect("csv");
    let m = suggest(ImportKind::Orders, rows.headers());
    let mut imp = Importer::new(ImportKind::Orders, rows.headers(), &m, ctx()).expect("importer");
    let mut r = clientscope_core::io::table::RawRow::default();
    while rows.next_row_into(&mut r) {
        imp.push(&r);
    }
    let mut out = imp.finish();
    out.resolve_unknown(clientscope_core::io::import::UnknownChoice::Create);
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(out.added.orders.len(), n);
    println!("native CSV  import of {n} order lines: {secs:.2} s, {:.0} rows/s", n as f64 / secs);

    let t0 = Instant::now();
    let bytes = std::fs::read(&xlsx_path).expect("read xlsx");
    let mut wb = Workbook::open(&bytes).expect("open");
    let mut rows = wb.rows(None).expect("sheet");
    let m = suggest(ImportKind::Orders, rows.headers());
    let mut imp = Importer::new(ImportKind::Orders, rows.headers(), &m, ctx()).expect("importer");
    while let Some(r) = rows.next_row().expect("row") {
        imp.push(&r);
    }
    let mut out = imp.finish();
    out.resolve_unknown(clientscope_core::io::import::UnknownChoice::Create);
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(out.added.orders.len(), n);
    println!("native XLSX import of {n} order lines: {secs:.2} s, {:.0} rows/s", n as f64 / secs);
}
