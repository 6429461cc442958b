//! `clientscope-cli calendar`, `sla` and `complaints` (issue 11 §5) on small inputs whose
//! answers are computed by hand in the comments (calendar Asia/Shanghai, Mon-Fri 09-12 and
//! 13-18, official holidays; 2024-03-04 is a Monday).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientscope-cli")).args(args).output().expect("the binary runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

#[test]
fn calendar_prints_the_built_in_year() {
    let out = cli(&["calendar", "--year", "2025", "--json"]);
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["year"], 2025);
    assert_eq!(v["time_zone"], "Asia/Shanghai");
    let dates = |k: &str| v[k].as_array().expect("list").iter().map(|d| d.as_str().unwrap_or("").to_string()).collect::<Vec<_>>();
    // 1 + 8 + 3 + 5 + 3 + 8 days off; make-up days 1/26, 2/8, 4/27, 9/28, 10/11.
    assert_eq!(dates("holidays").len(), 28);
    assert!(dates("holidays").contains(&"2025-01-28".to_string()) && dates("holidays").contains(&"2025-10-08".to_string()));
    assert_eq!(dates("workdays"), vec!["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]);
    let none = json(&cli(&["calendar", "--year", "2031", "--json"]));
    assert_eq!((none["covered"].as_bool(), none["holidays"].as_array().map(Vec::len)), (Some(false), Some(0)));
}

#[test]
fn sla_deadline_in_the_calendar_zone() {
    // 09:00Z on Mon 2025-01-27 is 17:00 in Shanghai: 1 h that day, 01-28..02-04 off, Wed
    // 02-05 09-12 (3 h) + 13:00-16:30 (3.5 h) = 7.5 h.
    let v = json(&cli(&["sla", "--start", "2025-01-27T09:00:00Z", "--hours", "7.5", "--json"]));
    assert_eq!(v["deadline"], "2025-02-05T16:30:00+08:00");
    // A start on a Saturday starts the clock on Monday 09:00; 0.25 h later is 09:15.
    let v = json(&cli(&["sla", "--start", "2024-03-09T10:00:00+08:00", "--hours", "0.25", "--json"]));
    assert_eq!((v["deadline"].as_str(), v["clock_starts"].as_str()), (Some("2024-03-11T09:15:00+08:00"), Some("2024-03-11T09:00:00+08:00")));
    // A 24/7 calendar in Tokyo time: 2 h after 23:30+09:00 is 01:30 the next day.
    let cal = tmp(
        "cal_tokyo.json",
        r#"{"time_zone":"Asia/Tokyo","week":{"mon":[["00:00","24:00"]],"tue":[["00:00","24:00"]],"wed":[["00:00","24:00"]],"thu":[["00:00","24:00"]],"fri":[["00:00","24:00"]],"sat":[["00:00","24:00"]],"sun":[["00:00","24:00"]]},"holidays":[],"workdays":[]}"#,
    );
    let v = json(&cli(&["sla", "--start", "2024-03-09T14:30:00Z", "--hours", "2", "--calendar", cal.to_str().unwrap_or(""), "--json"]));
    assert_eq!(v["deadline"], "2024-03-10T01:30:00+09:00");
    let bad = cli(&["sla", "--start", "2024-03-09 10:00", "--hours", "1"]);
    assert_eq!(bad.status.code(), Some(2));
}

const AUDIT: &str = "complaint_id,customer_id,category,severity,event,at,by,note\n\
K1,C1,质量,general,received,2024-03-04T09:00:00+08:00,王芳,\n\
K1,C1,质量,general,confirmed,2024-03-04T13:00:00+08:00,王芳,\n\
K1,C1,质量,general,valid,2024-03-04T13:00:00+08:00,王芳,\n\
K1,C1,质量,general,waiting,2024-03-05T09:00:00+08:00,王芳,等客户照片\n\
K1,C1,质量,general,resumed,2024-03-06T09:00:00+08:00,王芳,\n\
K1,C1,质量,general,resolved,2024-03-07T12:00:00+08:00,王芳,换货\n\
K2,C1,质量,major,received,2024-03-04T17:00:00+08:00,周敏,\n\
K2,C1,质量,major,confirmed,2024-03-05T02:00:00Z,周敏,\n\
K2,C1,质量,major,valid,2024-03-05T10:00:00+08:00,周敏,\n\
K2,C1,质量,major,resolved,2024-03-07T10:00:00+08:00,周敏,\n\
K3,C2,交付,general,received,2024-03-08T10:00:00+08:00,王芳,\n\
K4,C3,交付,general,received,2024-03-04T09:00:00+08:00,王芳,\n\
K4,C3,交付,general,resolved,2024-03-04T10:00:00+08:00,王芳,\n\
K5,C4,服务,general,received,2024-03-12T09:00:00+08:00,王芳,\n\
K1,C1,质量,general,closed,2024-03-12T09:00:00+08:00,王芳,\n";

#[test]
fn complaints_analysis_of_an_audit_trail() {
    let events = tmp("audit.csv", AUDIT);
    let out = cli(&["complaints", "--events", events.to_str().unwrap_or(""), "--customers", "20", "--as-of", "2024-03-11T04:00:00Z", "--json"]);
    // K4's resolution while registered is refused: exit code 1, the analysis still printed.
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    // Counted as of Mon 03-11 12:00+08:00: K1, K2, K3 (K4 refused, K5 received later; K1's
    // closing on 03-12 is ignored, so K1 is resolved).
    assert_eq!(v["complaints"], 3);
    assert_eq!(v["by_category"], serde_json::json!({"质量": 2, "交付": 1}));
    assert_eq!(v["by_severity"], serde_json::json!({"general": 2, "major": 1}));
    // Confirmed K1 (Mon 09-12 = 3 h <= 8) and K2 (Mon 17-18 + Tue 09-10 = 2 h <= 2); K3
    // unconfirmed for Fri 10-12 + 13-18 + Mon 09-12 = 10 h > 8: rate 2 / 3.
    assert!((v["confirm_on_time_rate"].as_f64().unwrap_or(0.0) - 2.0 / 3.0).abs() < 1e-12);
    // K1: Mon 8 + Tue 8 + Wed 8 + Thu 3 = 27 h minus the Tue wait 8 h = 19 h (on time, 40);
    // K2: Mon 1 + Tue 8 + Wed 8 + Thu 1 = 18 h (late, 16). Rate 1 / 2.
    assert_eq!(v["resolve_on_time_rate"], 0.5);
    assert_eq!(v["resolve_hours"]["mean"], 18.5);
    assert_eq!(v["resolve_hours"]["median"], 18.5);
    // p90 = 18 + 0.9 x (19 - 18) = 18.9.
    assert!((v["resolve_hours"]["p90"].as_f64().unwrap_or(0.0) - 18.9).abs() < 1e-12);
    // K2 repeats K1 (same customer and category, 8 hours later).
    assert_eq!(v["repeat"], 1);
    assert_eq!(v["overdue_confirm"], serde_json::json!(["K3"]));
    assert_eq!(v["overdue_resolve"], serde_json::json!([]));
    // 3 complaints / 20 customers x 100.
    assert_eq!(v["per_100_customers"], 15.0);
    let per: Vec<(String, String, Value, Value, Value)> = v["per_complaint"]
        .as_array()
        .expect("list")
        .iter()
        .map(|k| (k["id"].as_str().unwrap_or("").into(), k["state"].as_str().unwrap_or("").into(), k["confirm_hours"].clone(), k["resolve_hours"].clone(), k["paused_hours"].clone()))
        .collect();
    assert_eq!(
        per,
        vec![
            ("K1".into(), "resolved".into(), 3.0.into(), 19.0.into(), 8.0.into()),
            ("K2".into(), "resolved".into(), 2.0.into(), 18.0.into(), 0.0.into()),
            ("K3".into(), "registered".into(), Value::Null, Value::Null, 0.0.into()),
        ]
    );
    let rejected = v["rejected"].as_array().expect("list");
    assert_eq!(rejected.len(), 1);
    // Data rows count from 1: K4's resolution is row 13.
    assert_eq!((rejected[0]["row"].as_u64(), rejected[0]["complaint_id"].as_str()), (Some(13), Some("K4")));
    assert!(rejected[0]["reason"].as_str().unwrap_or("").contains("registered"));
}

#[test]
fn complaints_with_a_policy_file() {
    let events = tmp("audit2.csv", AUDIT);
    // Major resolution target 24 h: K2's 18 h is now on time, rate 2 / 2.
    let policy = tmp("policy.json", r#"{"general":{"confirm_hours":8,"resolve_hours":40},"major":{"confirm_hours":2,"resolve_hours":24}}"#);
    let v = json(&cli(&["complaints", "--events", events.to_str().unwrap_or(""), "--policy", policy.to_str().unwrap_or(""), "--as-of", "2024-03-11T12:00:00+08:00", "--json"]));
    assert_eq!(v["resolve_on_time_rate"], 1.0);
    assert_eq!(v["per_100_customers"], Value::Null);
    let bad = tmp("policy_bad.json", r#"{"general":{"confirm_hours":-1,"resolve_hours":40},"major":{"confirm_hours":2,"resolve_hours":16}}"#);
    let out = cli(&["complaints", "--events", events.to_str().unwrap_or(""), "--policy", bad.to_str().unwrap_or(""), "--as-of", "2024-03-11T12:00:00+08:00"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("confirmation target"));
}
