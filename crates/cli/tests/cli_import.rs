//! `clientscope-cli import-check` on a GBK CSV of order lines with some bad rows: the JSON
//! report of issue 3 (encoding, mapping, counts, rejected rows, normalised records).

use std::process::Command;

#[test]
fn import_check_gbk_orders_json() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/import/orders-gbk.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_clientscope-cli"))
        .args(["import-check", "--kind", "orders", path, "--json"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1), "rejected rows give exit code 1; stderr: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let keys: Vec<&str> = v.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 6, "{keys:?}");
    assert_eq!(v["encoding"], "gbk");
    assert_eq!(v["mapping"]["customer_code"], "客户编号");
    assert_eq!(v["mapping"]["amount"], "金额");
    assert_eq!(v["rows"], 5);
    assert_eq!(v["accepted"], 3);
    let rejected = v["rejected"].as_array().expect("rejected");
    let cells: Vec<(u64, &str, &str)> = rejected
        .iter()
        .map(|r| (r["row"].as_u64().unwrap_or(0), r["column"].as_str().unwrap_or(""), r["value"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(cells, vec![(3, "日期", "2024-02-30"), (5, "金额", "abc")]);
    assert!(rejected[0]["reason"].as_str().unwrap_or("").contains("日期不存在"));
    let records = v["records"].as_array().expect("records");
    assert_eq!(records[0]["date"], "2024-03-05");
    assert_eq!(records[0]["amount"], 1234.5);
    assert_eq!(records[1]["amount"], 125000.0);
    assert_eq!(records[1]["date"], "2024-03-06");
    assert_eq!(records[2]["amount"], -300.0);
}

#[test]
fn import_check_refuses_a_binary_file() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("binary-renamed.csv");
    std::fs::write(&path, b"PK\x03\x04garbage").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_clientscope-cli"))
        .args(["import-check", "--kind", "customers", path.to_str().unwrap_or(""), "--lang", "en"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("workbook"), "{}", String::from_utf8_lossy(&out.stderr));
}
