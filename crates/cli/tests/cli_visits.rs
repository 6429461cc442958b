//! `clientscope-cli visits-ics`: planned visits of a visit-log CSV and of the demo backup as
//! an iCalendar file (issue 11 §5): only planned visits, local times with the zone, lines of
//! at most 75 octets ending in CRLF, the same file for the same input and stamp.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientscope-cli")).args(args).output().expect("the binary runs")
}

fn tmp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// The logical lines (unfolded) after checking every physical line.
fn checked_lines(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n') && !ics.replace("\r\n", "").contains('\r'), "bare LF or CR");
    for l in ics.trim_end_matches("\r\n").split("\r\n") {
        assert!(l.len() <= 75, "{l:?} has {} octets", l.len());
    }
    ics.replace("\r\n ", "").trim_end_matches("\r\n").split("\r\n").map(str::to_string).collect()
}

#[test]
fn visits_ics_from_a_csv_writes_the_planned_visits_only() {
    let csv = tmp("visits.csv");
    std::fs::write(
        &csv,
        "customer_id,start,end,kind,status,purpose,who,method,reason,owner,location\r\n\
         C000012,2026-07-01 09:30,2026-07-01 10:30,visit,planned,年度合同续签与新品推介，讨论明年框架协议的价格条款、交付周期,采购部王经理,上门拜访,\"合同年底到期; 需求增加\",张伟,苏州工业园区\r\n\
         C000013,2026-07-01T06:00:00Z,,visit,planned,技术交流,,上门拜访,工艺问题,李娜,\r\n\
         C000014,2026-06-30 14:00,2026-06-30 15:00,visit,done,回款沟通,,电话,逾期,张伟,\r\n",
    )
    .expect("write csv");
    let out = tmp("visits.ics");
    let run = |extra: &[&str]| {
        let mut args = vec!["visits-ics", "--interactions", csv.to_str().unwrap_or(""), "--out", out.to_str().unwrap_or(""), "--stamp", "2026-07-01T00:00:00Z"];
        args.extend_from_slice(extra);
        let o = cli(&args);
        assert_eq!(o.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(&out).expect("ics")
    };
    let ics = run(&[]);
    let lines = checked_lines(&ics);
    let uid: Vec<&String> = lines.iter().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(uid, vec!["UID:I0000001@clientscope.invalid", "UID:I0000002@clientscope.invalid"]);
    let start: Vec<&String> = lines.iter().filter(|l| l.starts_with("DTSTART;")).collect();
    assert_eq!(start, vec!["DTSTART;TZID=Asia/Shanghai:20260701T093000", "DTSTART;TZID=Asia/Shanghai:20260701T140000"]);
    assert!(lines.contains(&"DTEND;TZID=Asia/Shanghai:20260701T103000".to_string()));
    assert!(lines.contains(&r"DESCRIPTION:何时:2026-07-01 09:30-10:30\n何事:年度合同续签与新品推介\,讨论明年框架协议的价格条款、交付周期\n何人:采购部王经理\n何种方法:上门拜访\n何种理由:合同年底到期\; 需求增加\n客户:C000012".to_string()));
    // The import folds the full-width comma to ASCII, which is then escaped; the long
    // Chinese description is folded.
    assert!(ics.contains("\r\n "));
    // One owner; and the same input and stamp give the same file.
    let mine = run(&["--owner", "李娜"]);
    assert_eq!(checked_lines(&mine).iter().filter(|l| l.starts_with("BEGIN:VEVENT")).count(), 1);
    assert_eq!(run(&[]), ics);
}

#[test]
fn visits_ics_from_the_demo_backup() {
    let dir = tmp("visits-demo");
    let o = cli(&["demo", "--out", dir.to_str().unwrap_or("")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let backup = dir.join("clientscope-demo-backup.json");
    let out = dir.join("zhang.ics");
    let o = cli(&["visits-ics", "--backup", backup.to_str().unwrap_or(""), "--owner", "张伟", "--out", out.to_str().unwrap_or(""), "--stamp", "2026-06-30T00:00:00Z"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    let lines = checked_lines(&std::fs::read_to_string(&out).expect("ics"));
    // 张伟's plan: five visits this afternoon, five later this week, two overdue and the
    // four next steps logged this morning.
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 16);
    assert!(lines.iter().any(|l| l.starts_with("DESCRIPTION:") && l.contains(r"\n客户:") && !l.contains(r"\n客户:C0")), "customers by name");
    // Neither command output nor a missing source passes silently.
    let o = cli(&["visits-ics", "--out", out.to_str().unwrap_or("")]);
    assert!(!o.status.success());
}
