//! Writes the value-analysis benchmark set (`demo::value_bench_set`: 100,000 customers,
//! about 0.9M order lines to 2026-06-30, half the customers dropping out) as an order CSV
//! for `clientscope-cli value` and its pandas + lifetimes peer (`scripts/peer_value.py`).
//!
//! `cargo run --release -p clientscope-core --example value_bench_csv -- target/bench-value/orders.csv`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "target/bench-value/orders.csv".into());
    if let Some(dir) = std::path::Path::new(&path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let data = clientscope_core::demo::value_bench_set();
    let mut w = csv::Writer::from_path(&path)?;
    w.write_record(["customer_id", "date", "amount", "profit", "order_no"])?;
    for o in &data.orders {
        let profit = o.profit.map(|p| p.to_string()).unwrap_or_default();
        w.write_record([o.customer_id.as_str(), &o.date.to_string(), &o.amount.to_string(), &profit, &o.order_no])?;
    }
    w.flush()?;
    println!("wrote {} order lines of {} customers to {path}", data.orders.len(), data.customers.len());
    Ok(())
}
