use super::*;
use crate::demo::{self, DemoParams};
use crate::model::*;
use crate::validate::ProblemCode;
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn when() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 6, 30, 18, 0, 0).single().unwrap_or_default()
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A small but complete demo dataset (all kinds present).
fn small() -> Dataset {
    demo::generate(&DemoParams { customers: 60, ..DemoParams::default() })
}

fn settings() -> Settings {
    Settings {
        language: Language::En,
        last_backup_at: Some(when()),
        custom_attributes: vec![],
        pages: BTreeMap::from([("abc".to_string(), serde_json::json!({"metric": "profit", "a": 0.8}))]),
        ..Settings::default()
    }
}

fn exported(d: &Dataset) -> String {
    export(d, &settings(), "0.1.0", when()).expect("export")
}

/// Parses a backup text into a Value, applies `edit`, recomputes the checksum (so the
/// damage reaches the later checks) and writes it back.
pub(crate) fn edit_sealed(text: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).expect("json");
    edit(&mut v);
    let sum = checksum(&v["data"]);
    v["checksum"] = Value::String(sum);
    v.to_string()
}

#[test]
fn export_then_parse_is_the_identity_for_the_demo() {
    let d = small();
    let text = exported(&d);
    let b = parse(&text).expect("parse");
    assert_eq!(b.data, d);
    assert_eq!(b.settings, settings());
    assert_eq!(b.header.format, FORMAT_NAME);
    assert_eq!(b.header.format_version, FORMAT_VERSION);
    assert_eq!(b.header.schema_version, SCHEMA_VERSION);
    assert_eq!(b.header.app_version, "0.1.0");
    assert_eq!(b.header.exported_at, when());
    assert_eq!(b.header.counts, d.counts());
}

#[test]
fn checksum_is_the_sha256_of_serde_jsons_compact_value_text() {
    // The documented definition: serde_json::to_string of the parsed data Value (sorted
    // keys without preserve_order) hashed with SHA-256.
    let text = exported(&small());
    let v: Value = serde_json::from_str(&text).expect("json");
    let compact = serde_json::to_string(&v["data"]).expect("to_string");
    let expected = format!("sha256:{}", hex(&Sha256::digest(compact.as_bytes())));
    assert_eq!(v["checksum"].as_str(), Some(expected.as_str()));
    // Export writes the data member in exactly that canonical form.
    assert!(text.contains(&format!("\"data\":{compact}}}")));
}

#[test]
fn the_same_data_gives_a_byte_identical_backup() {
    assert_eq!(exported(&small()), exported(&small()));
}

#[test]
fn file_name_has_date_and_minute() {
    let t = date(2026, 1, 5).and_hms_opt(9, 7, 59).unwrap_or_default();
    assert_eq!(file_name(t), "clientscope-backup-20260105-0907.json");
}

#[test]
fn truncated_json_reports_line_and_column() {
    let text = exported(&small());
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    match parse(&text[..cut]) {
        Err(BackupError::Truncated { line: 1, column }) => assert!(column > 0),
        other => panic!("expected Truncated, got {other:?}"),
    }
    let pretty = "{\n  \"format\": \"clientscope-backup\",\n  \"data\": [1,";
    assert_eq!(parse(pretty), Err(BackupError::Truncated { line: 3, column: 13 }));
}

#[test]
fn text_that_is_not_json_is_refused() {
    match parse("<html>backup</html>") {
        Err(BackupError::NotJson { line: 1, column: 1, detail }) => assert!(detail.contains("expected value"), "{detail}"),
        other => panic!("expected NotJson, got {other:?}"),
    }
    let e = parse("[1, 2]").unwrap_err();
    assert_eq!(e, BackupError::NotAnObject { found: "an array".into() });
    assert_eq!(e.message(Language::ZhCn), "文件内容是数组，不是 Clientscope 备份。");
}

#[test]
fn wrong_or_missing_format_name_is_named() {
    let text = exported(&small()).replacen("\"clientscope-backup\"", "\"acme-crm-export\"", 1);
    let e = parse(&text).unwrap_err();
    assert_eq!(e, BackupError::WrongFormat { found: Some("acme-crm-export".into()) });
    assert!(e.message(Language::En).contains("“acme-crm-export”"));
    assert!(e.message(Language::ZhCn).contains("“acme-crm-export”"));
    assert_eq!(parse(r#"{"customers": []}"#), Err(BackupError::WrongFormat { found: None }));
}

#[test]
fn a_newer_format_version_is_refused_naming_both_versions() {
    let text = exported(&small()).replacen("\"format_version\":2", "\"format_version\":3", 1);
    let e = parse(&text).unwrap_err();
    assert_eq!(e, BackupError::NewerVersion { found: 3, supported: 2 });
    assert!(e.message(Language::ZhCn).contains("3") && e.message(Language::ZhCn).contains("2"));
    assert!(e.message(Language::En).contains("format version 3") && e.message(Language::En).contains("version 2"));
}

#[test]
fn an_edited_amount_breaks_the_checksum() {
    let text = exported(&small());
    let at = text.find("\"amount\":").expect("an amount") + "\"amount\":".len();
    let edited = format!("{}9{}", &text[..at], &text[at..]);
    match parse(&edited) {
        Err(BackupError::ChecksumMismatch { expected, actual }) => {
            assert!(expected.starts_with("sha256:") && actual.starts_with("sha256:"));
            assert_ne!(expected, actual);
        }
        other => panic!("expected ChecksumMismatch, got {other:?}"),
    }
}

#[test]
fn a_bad_date_names_kind_index_id_and_field() {
    let text = edit_sealed(&exported(&small()), |v| v["data"]["orders"][17]["date"] = "2024-02-30".into());
    let e = parse(&text).unwrap_err();
    match &e {
        BackupError::Record { kind: RecordKind::OrderLine, index: 17, id: Some(id), field: Some(f), value: Some(val), .. } => {
            assert_eq!(id, "O000018");
            assert_eq!(f, "date");
            assert_eq!(val, "\"2024-02-30\"");
        }
        other => panic!("expected Record error, got {other:?}"),
    }
    let en = e.message(Language::En);
    assert!(en.contains("orders[17] (id O000018)") && en.contains("2024-02-30"), "{en}");
    let zh = e.message(Language::ZhCn);
    assert!(zh.starts_with("第 18 条交易记录") && zh.contains("「日期」"), "{zh}");
}

#[test]
fn an_unknown_enum_value_names_the_field() {
    let text = edit_sealed(&exported(&small()), |v| v["data"]["customers"][3]["kind"] = "wholesaler".into());
    match parse(&text) {
        Err(BackupError::Record { kind: RecordKind::Customer, index: 3, id: Some(id), field: Some(f), detail, .. }) => {
            assert_eq!(id, "C000004");
            assert_eq!(f, "kind");
            assert!(detail.contains("wholesaler"), "{detail}");
        }
        other => panic!("expected Record error, got {other:?}"),
    }
}

#[test]
fn a_missing_required_field_is_reported() {
    let text = edit_sealed(&exported(&small()), |v| {
        if let Some(o) = v["data"]["complaints"][0].as_object_mut() {
            o.remove("events");
        }
    });
    // Without `events` a complaint is read in the old shape, which needs `received_at`.
    match parse(&text) {
        Err(BackupError::Record { kind: RecordKind::Complaint, index: 0, detail, .. }) => {
            assert!(detail.contains("events") && detail.contains("received_at"), "{detail}")
        }
        other => panic!("expected Record error, got {other:?}"),
    }
}

#[test]
fn a_dangling_reference_is_invalid() {
    let text = edit_sealed(&exported(&small()), |v| v["data"]["orders"][5]["customer_id"] = "C999999".into());
    match parse(&text) {
        Err(BackupError::Invalid(p)) => {
            assert_eq!(p.len(), 1);
            assert_eq!(p[0].kind, RecordKind::OrderLine);
            assert_eq!(p[0].code, ProblemCode::UnknownReference { target: RecordKind::Customer, id: "C999999".into() });
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn duplicate_ids_are_invalid() {
    let text = edit_sealed(&exported(&small()), |v| {
        let first = v["data"]["contacts"][0]["id"].clone();
        v["data"]["contacts"][1]["id"] = first;
    });
    match parse(&text) {
        Err(BackupError::Invalid(p)) => {
            assert_eq!(p.len(), 1);
            assert_eq!((p[0].kind, &p[0].code), (RecordKind::Contact, &ProblemCode::DuplicateId));
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn header_counts_must_match() {
    let mut v: Value = serde_json::from_str(&exported(&small())).expect("json");
    let n = v["counts"]["orders"].as_u64().unwrap_or(0);
    v["counts"]["orders"] = (n + 1).into();
    let e = parse(&v.to_string()).unwrap_err();
    assert_eq!(
        e,
        BackupError::CountsMismatch(vec![CountMismatch { kind: RecordKind::OrderLine, header: n as usize + 1, actual: n as usize }])
    );
    assert!(e.message(Language::ZhCn).contains("交易"));
}

#[test]
fn a_missing_checksum_is_a_header_error() {
    let mut v: Value = serde_json::from_str(&exported(&small())).expect("json");
    if let Some(o) = v.as_object_mut() {
        o.remove("checksum");
    }
    assert!(matches!(parse(&v.to_string()), Err(BackupError::BadHeader { field, .. }) if field == "checksum"));
}

#[test]
fn whitespace_and_key_order_do_not_change_the_checksum() {
    let text = exported(&small());
    let v: Value = serde_json::from_str(&text).expect("json");
    let pretty = serde_json::to_string_pretty(&v).expect("pretty");
    assert!(parse(&pretty).is_ok());
}

#[test]
fn a_version_1_file_migrates() {
    let text = include_str!("../../tests/data/backup-v1.json");
    let b = parse(text).expect("v1 parses");
    assert_eq!(b.header.format_version, 2);
    assert_eq!(b.header.schema_version, 1);
    assert_eq!(b.header.app_version, "0.0.9");
    assert_eq!(b.settings.language, Language::En);
    assert_eq!(b.settings.pages["abc"]["metric"], "revenue");
    assert_eq!(b.data.customers[0].tags, vec!["重点客户", "出口型", "价格敏感"]);
    assert!(b.data.customers[1].tags.is_empty());
    let amounts: Vec<f64> = b.data.orders.iter().map(|o| o.amount).collect();
    assert_eq!(amounts, vec![12345.5, 0.99, -500.0]);
    assert_eq!(b.data.orders[0].quantity, Some(85.0));
    // Export writes version 2, which reads back to the same records.
    let again = parse(&export(&b.data, &b.settings, "0.1.0", when()).expect("export")).expect("parse");
    assert_eq!(again.data, b.data);
}

#[test]
fn a_version_1_file_with_a_broken_amount_fails_migration() {
    let text = include_str!("../../tests/data/backup-v1.json");
    let broken = edit_sealed(text, |v| v["data"]["orders"][1]["amount_fen"] = "99".into());
    match parse(&broken) {
        Err(BackupError::Migration { from: 1, detail }) => assert!(detail.contains("orders[1]"), "{detail}"),
        other => panic!("expected Migration, got {other:?}"),
    }
}

#[test]
fn invalid_message_lists_twenty_problems_then_the_rest() {
    let problems: Vec<Problem> = (0..25)
        .map(|i| Problem { kind: RecordKind::Customer, id: format!("C{i}"), field: "name".into(), code: ProblemCode::Required })
        .collect();
    let e = BackupError::Invalid(problems);
    let en = e.message(Language::En);
    assert_eq!(en.lines().count(), 1 + 20 + 1);
    assert!(en.ends_with("…and 5 more."), "{en}");
    assert!(e.message(Language::ZhCn).ends_with("……另有 5 个问题。"));
}

#[test]
fn every_error_has_sentences_in_both_languages() {
    let errors = vec![
        BackupError::Truncated { line: 1, column: 2 },
        BackupError::NotJson { line: 1, column: 2, detail: "x".into() },
        BackupError::NotAnObject { found: "a number".into() },
        BackupError::WrongFormat { found: None },
        BackupError::BadHeader { field: "counts".into(), detail: "x".into() },
        BackupError::NewerVersion { found: 3, supported: 2 },
        BackupError::NewerSchema { found: 3, supported: 1 },
        BackupError::Migration { from: 1, detail: "x".into() },
        BackupError::ChecksumMismatch { expected: "a".into(), actual: "b".into() },
        BackupError::BadSection { section: "data".into(), detail: "x".into() },
        BackupError::Record { kind: RecordKind::Survey, index: 0, id: None, field: None, value: None, detail: "x".into() },
        BackupError::CountsMismatch(vec![]),
        BackupError::Write("x".into()),
    ];
    for e in errors {
        let (zh, en) = (e.message(Language::ZhCn), e.message(Language::En));
        assert!(zh.ends_with('。'), "{zh}");
        assert!(en.ends_with('.'), "{en}");
        assert!(!e.to_string().is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// Import

fn bumped(t: Timestamp, days: i64) -> Timestamp {
    t + chrono::TimeDelta::days(days)
}

#[test]
fn merge_plan_adds_updates_and_skips() {
    let existing = small();
    let mut incoming = Dataset { customers: existing.customers[..3].to_vec(), ..Dataset::default() };
    incoming.customers[0].name = "新名称有限公司".into();
    incoming.customers[0].updated_at = bumped(incoming.customers[0].updated_at, 1); // newer → update
    incoming.customers[1].updated_at = bumped(incoming.customers[1].updated_at, -1); // older → skip
    let mut new = existing.customers[0].clone();
    new.id = "C900001".into();
    incoming.customers.push(new); // new id → add
    incoming.orders.push(OrderLine { id: "O900001".into(), customer_id: "C900001".into(), ..existing.orders[0].clone() });

    let plan = plan_import(&existing, &incoming, ImportMode::Merge);
    assert_eq!(plan.get(RecordKind::Customer), KindPlan { add: 1, update: 1, skip: 2, remove: 0 });
    assert_eq!(plan.get(RecordKind::OrderLine), KindPlan { add: 1, ..KindPlan::default() });
    assert_eq!(plan.total(), KindPlan { add: 2, update: 1, skip: 2, remove: 0 });
    assert_eq!(plan.per_kind.len(), 7);

    let merged = apply_import(&existing, incoming, ImportMode::Merge).expect("merge");
    assert_eq!(merged.customers.len(), existing.customers.len() + 1);
    assert_eq!(merged.customers[0].name, "新名称有限公司");
    assert_eq!(merged.customers[1], existing.customers[1]);
    assert_eq!(merged.orders.len(), existing.orders.len() + 1);
    assert_eq!(merged.complaints, existing.complaints);
}

#[test]
fn replace_plan_counts_removals() {
    let existing = small();
    let incoming = Dataset { customers: existing.customers[..2].to_vec(), ..Dataset::default() };
    let plan = plan_import(&existing, &incoming, ImportMode::Replace);
    assert_eq!(plan.get(RecordKind::Customer), KindPlan { add: 2, update: 0, skip: 0, remove: existing.customers.len() });
    assert_eq!(plan.get(RecordKind::OrderLine).remove, existing.orders.len());
    let replaced = apply_import(&existing, incoming.clone(), ImportMode::Replace).expect("replace");
    assert_eq!(replaced, incoming);
}

#[test]
fn a_merge_creating_a_dangling_reference_changes_nothing() {
    let existing = small();
    let incoming = Dataset {
        orders: vec![OrderLine { id: "O900001".into(), customer_id: "C404".into(), ..existing.orders[0].clone() }],
        ..Dataset::default()
    };
    match apply_import(&existing, incoming, ImportMode::Merge) {
        Err(BackupError::Invalid(p)) => {
            assert_eq!(p[0].code, ProblemCode::UnknownReference { target: RecordKind::Customer, id: "C404".into() })
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Round trip property and size

fn text() -> impl Strategy<Value = String> {
    let chars = vec!['苏', '州', '恒', '瑞', '机', '械', 'a', 'Z', ' ', '"', '\\', '\n', '\t', 'é', '😀', '１', '\u{1}', '/'];
    proptest::collection::vec(proptest::sample::select(chars), 0..10).prop_map(|v| v.into_iter().collect())
}

fn stamp() -> impl Strategy<Value = Timestamp> {
    (0i64..4_000_000_000, 0u32..1_000_000_000)
        .prop_map(|(s, ns)| Utc.timestamp_opt(s, ns).single().unwrap_or_default())
}

fn customer_strategy() -> impl Strategy<Value = Customer> {
    (
        text(),
        text(),
        proptest::option::of(proptest::sample::select(Region::ALL.to_vec())),
        proptest::option::of(0i64..80_000),
        proptest::collection::vec(text().prop_map(|t| format!("标签{t}")), 0..3),
        stamp(),
        0i64..100_000_000,
        proptest::bool::ANY,
        proptest::option::of((1u8..=5, 1u8..=5)),
    )
        .prop_map(|(name, notes, region, since, tags, created, later, terminated, rel)| {
            let mut c = crate::validate::tests::cust("X");
            c.name = format!("客户{name}");
            c.notes = notes;
            c.region = region;
            c.since = since.map(|d| date(1950, 1, 1) + chrono::TimeDelta::days(d));
            c.tags = tags;
            c.created_at = created;
            c.updated_at = created + chrono::TimeDelta::seconds(later);
            if terminated {
                c.status = CustomerStatus::Terminated;
                c.termination_reason = "信用恶化".into();
            }
            c.relationship = rel.map(|(a, b)| RelationshipScores { common_interest: a, relationship_value: b });
            c.key_account.image = c.notes.clone();
            c
        })
}

fn order_strategy() -> impl Strategy<Value = (usize, OrderLine)> {
    (
        0usize..1000,
        -1e9f64..1e9,
        proptest::option::of(-1e7f64..1e7),
        proptest::option::of(-1e4f64..1e4),
        0i64..80_000,
        text(),
        stamp(),
    )
        .prop_map(|(c, amount, profit, quantity, day, product, t)| {
            (
                c,
                OrderLine {
                    id: String::new(),
                    customer_id: String::new(),
                    order_no: String::new(),
                    date: date(1950, 1, 1) + chrono::TimeDelta::days(day),
                    amount,
                    profit,
                    product,
                    category: String::new(),
                    quantity,
                    channel: "直销".into(),
                    created_at: t,
                    updated_at: t,
                },
            )
        })
}

fn dataset_strategy() -> impl Strategy<Value = Dataset> {
    (proptest::collection::vec(customer_strategy(), 1..6), proptest::collection::vec(order_strategy(), 0..12)).prop_map(
        |(mut customers, orders)| {
            for (i, c) in customers.iter_mut().enumerate() {
                c.id = format!("C{i:06}");
                c.code = format!("KH{i:05}");
            }
            let n = customers.len();
            let orders = orders
                .into_iter()
                .enumerate()
                .map(|(i, (c, mut o))| {
                    o.id = format!("O{i:06}");
                    o.customer_id = format!("C{:06}", c % n);
                    o
                })
                .collect();
            Dataset { customers, orders, ..Dataset::default() }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn round_trip_is_the_identity(d in dataset_strategy(), notes in text()) {
        let mut s = Settings::default();
        s.pages.insert("notes".into(), Value::String(notes));
        let text = export(&d, &s, "9.9.9", when()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let b = parse(&text).map_err(|e| TestCaseError::fail(e.message(Language::En)))?;
        prop_assert_eq!(b.data, d);
        prop_assert_eq!(b.settings, s);
    }
}

/// A backup of just over 50 MB (20k customers, 150k order lines) parses, verifies and validates.
/// The test profile optimises the heavy dependencies (root Cargo.toml) so this stays a few
/// seconds in `cargo test`.
#[test]
fn a_50_mb_backup_parses() {
    let d = demo::generate_large(11, 20_000, 150_000, date(2026, 6, 30));
    let t = std::time::Instant::now();
    let text = export(&d, &Settings::default(), "0.1.0", when()).expect("export");
    let exported_in = t.elapsed();
    assert!(text.len() > 50_000_000, "only {} bytes", text.len());
    let t = std::time::Instant::now();
    let b = parse(&text).expect("parse");
    eprintln!("{} bytes: export {:?}, parse {:?}", text.len(), exported_in, t.elapsed());
    assert_eq!(b.data.orders.len(), 150_000);
    assert_eq!(b.data, d);
}

/// Regression guard for backups written before complaints had an event history (schema
/// 1): a complaint in the old flag shape loads as the equivalent events, and the settings
/// without a calendar load with the default calendar and SLA policy.
#[test]
fn an_old_shape_complaint_loads_as_events() {
    use crate::model::{ComplaintAction, Handling};
    use crate::service::complaints::{replay, ComplaintState};
    let text = edit_sealed(&exported(&small()), |v| {
        v["schema_version"] = 1.into();
        if let Some(o) = v["settings"].as_object_mut() {
            o.remove("calendar");
            o.remove("complaints");
        }
        let c = &mut v["data"]["complaints"][0];
        let (id, customer) = (c["id"].clone(), c["customer_id"].clone());
        *c = serde_json::json!({
            "id": id, "customer_id": customer, "received_at": "2024-03-04T01:00:00Z",
            "channel": "电话", "category": "产品质量", "description": "漏气", "severity": "major",
            "validity": "valid", "confirm_deadline": "2024-03-05T01:00:00Z",
            "confirmed_at": "2024-03-04T03:00:00Z", "owner": "周敏", "resolution": "更换阀门",
            "explanation": "", "closed_at": "2024-03-06T08:00:00Z", "follow_up_date": "2024-03-08",
            "follow_up_result": "满意", "created_at": "2024-03-04T01:00:00Z", "updated_at": "2024-03-06T08:00:00Z"
        });
    });
    let b = parse(&text).expect("an old backup still loads");
    let c = &b.data.complaints[0];
    let kinds: Vec<&str> = c.events.iter().map(|e| e.action.kind().name()).collect();
    assert_eq!(kinds, vec!["received", "confirmed", "valid", "resolved", "followed_up", "closed"]);
    let times: Vec<String> = c.events.iter().map(|e| e.at.to_rfc3339()).collect();
    assert_eq!(
        times,
        vec![
            "2024-03-04T09:00:00+08:00",
            "2024-03-04T11:00:00+08:00",
            "2024-03-04T11:00:00+08:00",
            "2024-03-06T16:00:00+08:00",
            "2024-03-08T00:00:00+08:00",
            "2024-03-08T00:00:00+08:00",
        ]
    );
    assert_eq!(c.events[2].action, ComplaintAction::Valid { handling: Handling::Local, members: vec![] });
    assert_eq!(c.events[3].note, "更换阀门");
    assert_eq!((c.owner.as_str(), c.category.as_str()), ("周敏", "产品质量"));
    assert_eq!(replay(&c.events).expect("accepted").map(|t| t.state), Some(ComplaintState::Closed));
    assert_eq!(b.settings.calendar, crate::service::calendar::WorkCalendar::china());
    assert_eq!(b.settings.complaints, crate::service::complaints::ComplaintSettings::default());
}

/// A parsed backup replaces as it is and merges as `apply_import` merges.
#[test]
fn apply_backup_replaces_as_parsed_and_merges_as_apply_import() {
    let existing = small();
    let mut other = demo::generate(&DemoParams { customers: 30, seed: 99, ..DemoParams::default() });
    other.customers.truncate(10);
    let b = parse(&exported(&existing)).expect("parse");
    assert_eq!(apply_backup(&other, b.clone(), ImportMode::Replace), Ok(existing.clone()));
    assert_eq!(apply_backup(&other, b.clone(), ImportMode::Merge), apply_import(&other, b.data.clone(), ImportMode::Merge));
    // Into nothing: the backup's records, as merging them one by one gives.
    let none = Dataset::default();
    assert_eq!(apply_backup(&none, b.clone(), ImportMode::Merge), apply_import(&none, b.data.clone(), ImportMode::Merge));
    for mode in [ImportMode::Merge, ImportMode::Replace] {
        for stored in [&none, &other] {
            assert_eq!(plan_backup(stored, &b, mode), plan_import(stored, &b.data, mode));
        }
    }
}

/// Order lines written from a table give the very text their row structs give.
#[test]
fn a_backup_written_from_an_order_table_is_the_same_text() {
    let d = small();
    let table = crate::orders::OrderTable::from_rows(&d.orders);
    let records = Dataset { orders: Vec::new(), ..d.clone() };
    let unsigned = export_unsigned_lines(&records, Lines::Table(&table), &settings(), "0.1.0", when()).expect("export");
    let sum = sha256(unsigned.data_text());
    assert_eq!(String::from_utf8(unsigned.sign(&sum)).expect("utf-8"), exported(&d));
    assert!(table.len() > 1000);
}
