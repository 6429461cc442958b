use super::*;
use crate::io::import::import_table;
use crate::io::read_table;
use crate::model::{InteractionKind, InteractionStatus, ZonedTime};
use crate::service::visits::SHANGHAI;
use chrono::{TimeZone, Utc};

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single().unwrap_or_default()
}

fn cst(y: i32, m: u32, d: u32, h: u32, mi: u32) -> ZonedTime {
    SHANGHAI.with_ymd_and_hms(y, m, d, h, mi, 0).single().unwrap()
}

fn log() -> Vec<Interaction> {
    let a = Interaction {
        status: InteractionStatus::Planned,
        start: Some(cst(2026, 3, 2, 9, 30)),
        duration_min: Some(90),
        purpose: "新品推介, 样品".into(),
        who: "采购部王经理".into(),
        method: "上门拜访".into(),
        reason: "客户新建产线\n需求增加".into(),
        owner: "张伟".into(),
        location: "苏州工业园区".into(),
        ..Interaction::new("I1", "C000001", InteractionKind::Visit, chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), now())
    };
    let b = Interaction {
        purpose: "=SUM(A1)".into(),
        owner: "李娜".into(),
        ..Interaction::new("I2", "C000002", InteractionKind::Phone, chrono::NaiveDate::from_ymd_opt(2026, 2, 27).unwrap(), now())
    };
    let c = Interaction { status: InteractionStatus::Cancelled, start: Some(cst(2026, 3, 4, 14, 0)), ..Interaction::new("I3", "C000001", InteractionKind::Meeting, chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(), now()) };
    vec![a, b, c]
}

fn customers() -> Vec<Customer> {
    vec![Customer::new("C000001", "苏州恒通化工", now()), Customer { code: "KH2".into(), ..Customer::new("C000002", "无锡宏达", now()) }]
}

#[test]
fn export_writes_the_header_and_times_in_the_calendar_offset() {
    let bytes = visits_csv(&log(), SHANGHAI, CsvEncoding::Utf8Bom).expect("csv");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf8");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "customer_id,start,end,kind,status,purpose,who,method,reason,owner,location");
    assert_eq!(lines[1], "C000001,2026-03-02T09:30:00+08:00,2026-03-02T11:00:00+08:00,visit,planned,\"新品推介, 样品\",采购部王经理,上门拜访,\"客户新建产线\n需求增加\",张伟,苏州工业园区");
    // A formula is neutralised; a day without a time is written as the date.
    assert_eq!(lines[2], "C000002,2026-02-27,,phone,done,'=SUM(A1),,,,李娜,");
}

/// The exported log imports back (suggested mapping, customers by id) into the same
/// records, but the neutralised formula keeps its quote, as Excel would show it.
#[test]
fn the_visit_log_round_trips_through_the_import() {
    let mut xs = log();
    let bytes = visits_csv(&xs, SHANGHAI, CsvEncoding::Utf8Bom).expect("csv");
    let table = read_table(bytes, None, None, None).expect("table");
    let mapping = suggest(ImportKind::Interactions, &table.headers);
    let mapped: Vec<(&str, &str)> = mapping.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        mapped,
        vec![
            ("customer_code", "customer_id"),
            ("end", "end"),
            ("kind", "kind"),
            ("location", "location"),
            ("method", "method"),
            ("owner", "owner"),
            ("purpose", "purpose"),
            ("reason", "reason"),
            ("start", "start"),
            ("status", "status"),
            ("who", "who"),
        ]
    );
    let cs = customers();
    let ctx = ImportContext { customers: &cs, survey: None, now: now(), id_prefix: String::new(), merge: MergeRule::Skip };
    let out = import_table(ImportKind::Interactions, &table, &mapping, ctx).expect("import");
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    assert!(out.pending.is_empty());
    let mut back = out.added.interactions;
    assert_eq!(back.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), vec!["I0000001", "I0000002", "I0000003"]);
    xs[1].purpose = "'=SUM(A1)".into();
    for (b, x) in back.iter_mut().zip(&xs) {
        b.id = x.id.clone();
    }
    assert_eq!(back, xs);
}

/// Local times are read in the calendar's offset, any RFC 3339 offset is converted into
/// it, and bad rows are rejected with a reason.
#[test]
fn import_reads_local_and_offset_times() {
    let csv = "customer_id,start,end,kind,status,purpose\r\n\
               C000001,2026-03-02 09:30,2026-03-02 10:15,拜访,计划,a\r\n\
               KH2,2026-03-02T01:30:00Z,,电话,done,b\r\n\
               C000001,2026-03-02 09:30,2026-03-02 09:00,visit,planned,c\r\n\
               C000001,2026-03-02,2026-03-02 10:00,visit,planned,d\r\n\
               C000001,2026-03-02 09:30,,walk,planned,e\r\n";
    let table = read_table(csv.as_bytes().to_vec(), None, None, None).expect("table");
    let mapping = suggest(ImportKind::Interactions, &table.headers);
    let cs = customers();
    let ctx = ImportContext { customers: &cs, survey: None, now: now(), id_prefix: "x".into(), merge: MergeRule::Skip };
    let out = import_table(ImportKind::Interactions, &table, &mapping, ctx).expect("import");
    let got = &out.added.interactions;
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].start, got[0].duration_min, got[0].status), (Some(cst(2026, 3, 2, 9, 30)), Some(45), InteractionStatus::Planned));
    assert_eq!(got[1].customer_id, "C000002");
    assert_eq!((got[1].start.map(|s| s.to_rfc3339()), got[1].kind), (Some("2026-03-02T09:30:00+08:00".to_string()), InteractionKind::Phone));
    let rows: Vec<(usize, &str)> = out.rejected.iter().map(|r| (r.row, r.column.as_str())).collect();
    assert_eq!(rows, vec![(3, "end"), (4, "end"), (5, "kind")]);
}

#[test]
fn standalone_reading_names_customers_by_id() {
    let csv = "customer_id,start,end,kind,status,purpose,who,method,reason,owner,location\r\n\
               C9,2026-03-02 09:30,2026-03-02 10:30,visit,planned,拜访,,,,张伟,\r\n\
               C8,bad,,visit,planned,x,,,,,\r\n";
    let table = read_table(csv.as_bytes().to_vec(), None, None, None).expect("table");
    let (xs, rejected) = read_standalone(&table, SHANGHAI, now()).expect("read");
    assert_eq!(xs.len(), 1);
    assert_eq!((xs[0].id.as_str(), xs[0].customer_id.as_str(), xs[0].duration_min), ("I0000001", "C9", Some(60)));
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].row, rejected[0].column.as_str()), (2, "start"));
}
