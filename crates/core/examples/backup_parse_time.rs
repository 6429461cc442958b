//! Times `backup::parse` on a backup file: `cargo run --release -p clientscope-core --example backup_parse_time -- FILE [RUNS]`.
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: backup_parse_time FILE [RUNS]");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(&path).expect("read the file");
    let mut best = f64::INFINITY;
    for run in 1..=runs {
        let t = Instant::now();
        let b = clientscope_core::backup::parse(&text).expect("a valid backup");
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        println!("run {run}: backup::parse {:.3} s ({} customers, {} order lines, {} MB)", s, b.data.customers.len(), b.data.orders.len(), text.len() / 1_000_000);
    }
    println!("best of {runs}: {best:.3} s");
}
