//! Number, money, date and size formatting for display (no arithmetic on data).

use clientscope_core::model::{Language, Timestamp};

/// Thousands-separated integer part with `decimals` decimals.
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c != '0' && c != '.') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Money in yuan, two decimals.
pub fn money(v: f64) -> String {
    number(v, 2)
}

/// Bytes as KB/MB/GB.
pub fn bytes(v: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = v;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

/// A timestamp in local time, minutes precision.
pub fn timestamp(ts: &Timestamp, _lang: Language) -> String {
    ts.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()
}
