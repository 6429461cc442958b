//! Times reading and writing a backup file natively:
//! `cargo run --release -p clientscope-core --example backup_parse_time -- FILE [RUNS]`.
//! Prints `backup::parse` whole, its steps the app's worker takes one by one (the top-level
//! split, the SHA-256 of the records' text, which the browser computes beside the decoding,
//! the decoding, the conclusion), and `backup::export` with its digest apart, from row
//! structs and (as the app's worker writes it) from an order table.
use clientscope_core::backup;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: backup_parse_time FILE [RUNS]");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(&path).expect("read the file");
    let mut best = f64::INFINITY;
    let secs = |t: Instant| t.elapsed().as_secs_f64();
    for run in 1..=runs {
        let t = Instant::now();
        let b = backup::parse(&text).expect("a valid backup");
        let s = secs(t);
        best = best.min(s);
        println!("run {run}: backup::parse {:.3} s ({} customers, {} order lines, {} MB)", s, b.data.customers.len(), b.data.orders.len(), text.len() / 1_000_000);
    }
    println!("best of {runs}: {best:.3} s");
    let t = Instant::now();
    let split = backup::Split::of(&text).expect("a current backup");
    let split_s = secs(t);
    let t = Instant::now();
    let sum = backup::sha256(split.data_text());
    let sha_s = secs(t);
    let t = Instant::now();
    let decoded = split.decode();
    let decode_s = secs(t);
    let t = Instant::now();
    let b = decoded.finish(&sum).expect("a valid backup");
    println!("steps: split {split_s:.3} s, SHA-256 {sha_s:.3} s, decode {decode_s:.3} s, finish (counts, validation) {:.3} s", secs(t));
    let t = Instant::now();
    let unsigned = backup::export_unsigned(&b.data, &b.settings, "bench", b.header.exported_at).expect("export");
    let write_s = secs(t);
    let t = Instant::now();
    let sum = backup::sha256(unsigned.data_text());
    let sha_s = secs(t);
    let out = unsigned.sign(&sum);
    println!("export: text {write_s:.3} s, SHA-256 {sha_s:.3} s ({} MB)", out.len() / 1_000_000);
    // As the app's worker writes it: the order lines from the stored table.
    let t = Instant::now();
    let table = clientscope_core::orders::OrderTable::from_rows(&b.data.orders);
    println!("order lines as a table (the app's worker applying a backup): {:.3} s", secs(t));
    let records = clientscope_core::model::Dataset { orders: Vec::new(), ..b.data };
    let t = Instant::now();
    let unsigned = backup::export_unsigned_lines(&records, backup::Lines::Table(&table), &b.settings, "bench", b.header.exported_at).expect("export");
    let table_s = secs(t);
    let same = unsigned.sign(&sum) == out;
    println!("export with the order lines from a table: text {table_s:.3} s (the same text: {same})");
}
