//! Writes the satisfaction benchmark data set (one path-model survey, 6 × 5 questions,
//! 5,000 respondents by default) as a Clientscope backup file for the browser benchmark:
//! `cargo run --release -p clientscope-core --example satisfaction_bench_data -- OUT.json [RESPONDENTS]`.

use clientscope_core::model::Settings;
use clientscope_core::satisfaction::bench::bench_dataset;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: satisfaction_bench_data OUT.json [RESPONDENTS]")?;
    let n: usize = args.next().map(|s| s.parse().map_err(|e| format!("{e}"))).transpose()?.unwrap_or(5000);
    let now = chrono::DateTime::parse_from_rfc3339("2025-12-31T09:00:00Z").map_err(|e| e.to_string())?.with_timezone(&chrono::Utc);
    let data = bench_dataset(7, n, 6, 5, now);
    let text = clientscope_core::backup::export(&data, &Settings::default(), "bench", now).map_err(|e| e.to_string())?;
    std::fs::write(&out, text).map_err(|e| e.to_string())?;
    println!("wrote {out}: 1 survey, {n} responses × 30 questions");
    Ok(())
}
