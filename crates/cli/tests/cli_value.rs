//! End-to-end test of `clientscope-cli fit` and `value`: the CDNOW summary reproduces the
//! published BG/NBD and Gamma-Gamma fits (data/README.md, full-precision values, 1e-4
//! relative), and `value` on the demo orders prints the JSON fields of issue 4.

use std::path::Path;
use std::process::{Command, Output};

const CDNOW: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/reference/cdnow_summary_weeks.csv");

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientscope-cli")).args(args).output().expect("the binary runs")
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "failed: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

fn close(v: &serde_json::Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| ((x - want) / want).abs() < 1e-4)
}

/// Reference: data/README.md (CDNOW, weeks): BG/NBD r = 0.242595, α = 4.413603,
/// a = 0.792922, b = 2.425906, LL = −9582.4292; Gamma-Gamma p = 6.249572, q = 3.744225,
/// γ = 15.443521. Tolerance 1e-4 relative.
#[test]
fn fit_reproduces_cdnow() {
    assert!(Path::new(CDNOW).is_file(), "{CDNOW}");
    let v = json(&cli(&["fit", "--summary", CDNOW, "--json"]));
    let b = &v["bgnbd"];
    assert!(close(&b["r"], 0.242595) && close(&b["alpha"], 4.413603), "{v}");
    assert!(close(&b["a"], 0.792922) && close(&b["b"], 2.425906), "{v}");
    assert!(close(&b["log_likelihood"], -9582.4292), "{v}");
    let g = &v["gamma_gamma"];
    assert!(close(&g["p"], 6.249572) && close(&g["q"], 3.744225) && close(&g["v"], 15.443521), "{v}");

    let text = cli(&["fit", "--summary", CDNOW]);
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(out.contains("BG/NBD: r = 0.2425") && out.contains("Gamma-Gamma: p = 6.2495"), "{out}");
}

#[test]
fn value_prints_the_issue_fields() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-value");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let orders = dir.join("orders.csv");
    let mut text = String::from("customer_id,date,amount,profit\n");
    // 12 repeat buyers with different rhythms, plus two one-off buyers.
    for c in 1..=12u32 {
        for k in 0..(c % 5 + 2) {
            let day = 1 + (k * (7 + c)) % 28;
            let month = 1 + (k * c) % 6;
            text.push_str(&format!("{c},2025-{month:02}-{day:02},{},{}\n", 100 * c + 10 * k, 20 * c));
        }
    }
    text.push_str("13,2025-06-01,50,5\n14,2025-02-01,0,\n");
    std::fs::write(&orders, text).expect("write orders");
    let out = cli(&["value", "--orders", orders.to_str().expect("utf-8"), "--as-of", "2025-06-30", "--unit", "day", "--horizon", "6", "--json"]);
    let v = json(&out);
    assert_eq!(v["as_of"], "2025-06-30");
    assert_eq!(v["unit"], "day");
    assert!(v.get("bgnbd").is_some() && v.get("gamma_gamma").is_some());
    let customers = v["customers"].as_array().expect("customers");
    assert_eq!(customers.len(), 14);
    let keys = [
        "id", "revenue", "abc", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_segment", "x", "t_x",
        "T", "p_alive", "expected_purchases", "clv", "value_quadrant", "grade", "lifecycle",
    ];
    for c in customers {
        let obj = c.as_object().expect("object");
        assert_eq!(obj.len(), keys.len(), "{c}");
        assert!(keys.iter().all(|k| obj.contains_key(*k)), "{c}");
    }
    assert_eq!(customers[13]["abc"], "C"); // zero revenue
    // Bad input: a message and exit code 2.
    std::fs::write(&orders, "customer_id,date,amount\n1,2025-13-01,5\n").expect("write");
    let bad = cli(&["value", "--orders", orders.to_str().expect("utf-8"), "--as-of", "2025-06-30", "--json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("row 2, column date"));
}

/// The threaded fast path (a plain file above 4 MB is cut in parts parsed on threads) and
/// the `csv` crate path (taken when any cell is quoted) give the same document, byte for
/// byte: the same file once plain and once with one customer id quoted (same value), with
/// CRLF line ends, an empty line, a BOM and unknown profits.
#[test]
fn value_reads_a_big_file_the_same_on_both_paths() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-value-big");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let mut plain = String::from("\u{feff}customer_id,date,amount,profit,order_no,note\r\n");
    let mut k: u64 = 7;
    let mut line = 0;
    while plain.len() < 5 << 20 {
        k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let c = (k >> 33) % 3000;
        let day = 1 + (k >> 20) % 28;
        let month = 1 + (k >> 40) % 12;
        let profit = if k % 7 == 0 { String::new() } else { format!("{}.5", (k >> 50) % 90) };
        plain.push_str(&format!("C{c:05},2025-{month:02}-{day:02},{}.{:02},{profit},SO{},x\r\n", (k >> 24) % 5000, (k >> 12) % 100, line / 2));
        if line == 1000 {
            plain.push_str("\r\n");
        }
        line += 1;
    }
    // The first customer id quoted: the same value, but the fast path refuses the file.
    let first = plain.find("\r\nC").expect("a line") + 2;
    let quoted = format!("{}\"{}\"{}", &plain[..first], &plain[first..first + 6], &plain[first + 6..]);
    let run = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write orders");
        let out = cli(&["value", "--orders", path.to_str().expect("utf-8"), "--as-of", "2025-12-31", "--unit", "day", "--json"]);
        assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let fast = run("plain.csv", &plain);
    let general = run("quoted.csv", &quoted);
    assert!(fast == general, "the two paths differ");
    let v: serde_json::Value = serde_json::from_slice(&fast).expect("JSON");
    assert_eq!(v["customers"].as_array().map(Vec::len), Some(3000));
}
