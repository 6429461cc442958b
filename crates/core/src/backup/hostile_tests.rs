//! Hostile and damaged backup files (issue 12): each is refused with a message of its own in
//! both languages, or read correctly; none crashes or takes long.

use super::tests::edit_sealed;
use super::*;
use crate::demo::{self, DemoParams};
use crate::validate::{ProblemCode, MAX_NAME};
use chrono::{TimeZone, Utc};
use std::time::{Duration, Instant};

fn when() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 6, 30, 18, 0, 0).single().unwrap_or_default()
}

fn small() -> Dataset {
    demo::generate(&DemoParams { customers: 30, ..DemoParams::default() })
}

fn exported(d: &Dataset) -> String {
    export(d, &Settings::default(), "0.1.0", when()).expect("export")
}


/// Both sentences of an error: complete, in their language, without serde's English.
fn messages(e: &BackupError) -> (String, String) {
    let (zh, en) = (e.message(Language::ZhCn), e.message(Language::En));
    assert!(zh.ends_with('。'), "{zh}");
    assert!(en.ends_with('.'), "{en}");
    assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
    for library in ["recursion limit", "number out of range", "invalid type", "EOF while", "expected value"] {
        assert!(!zh.contains(library) && !en.contains(library), "{zh} / {en}");
    }
    (zh, en)
}

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    assert!(t.elapsed() < Duration::from_secs(5), "{what} took {:?}", t.elapsed());
    out
}

// ---------------------------------------------------------------------------------------
// Nesting

#[test]
fn a_100000_deep_array_is_refused_at_the_depth_limit() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = quick("deep array", || parse(&text)).unwrap_err();
    assert_eq!(e, BackupError::TooDeep { line: 1, column: MAX_DEPTH + 1, limit: MAX_DEPTH });
    let (zh, en) = messages(&e);
    assert_eq!(zh, "文件在第 1 行第 65 列嵌套超过 64 层，不是 Clientscope 备份。");
    assert_eq!(en, "The file nests more than 64 levels deep at line 1, column 65; it is not a Clientscope backup.");
}

#[test]
fn a_100000_deep_object_is_refused_and_so_is_one_past_serde_jsons_own_limit() {
    let text = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert!(matches!(quick("deep object", || parse(&text)), Err(BackupError::TooDeep { limit: 64, .. })));
    // 200 levels: serde_json alone would say "recursion limit exceeded"; ours speaks first.
    let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert!(matches!(parse(&text), Err(BackupError::TooDeep { .. })));
    // Truncated deep input (never closed) is the same refusal, not "incomplete".
    assert!(matches!(parse(&"[".repeat(100_000)), Err(BackupError::TooDeep { .. })));
}

#[test]
fn nesting_inside_a_valid_backup_is_refused_past_the_limit_and_read_below_it() {
    fn nested(levels: usize) -> Value {
        (0..levels).fold(Value::from(1), |v, _| Value::Array(vec![v]))
    }
    let base = exported(&small());
    // settings.pages.x sits 3 levels deep (top object, settings, pages); 60 more fit in 64.
    let ok = edit_sealed(&base, |v| v["settings"]["pages"]["x"] = nested(60));
    let b = parse(&ok).expect("60 levels inside the settings are read");
    assert_eq!(b.settings.pages.get("x"), Some(&nested(60)));
    let deep = edit_sealed(&base, |v| v["settings"]["pages"]["x"] = nested(70));
    assert!(matches!(parse(&deep), Err(BackupError::TooDeep { limit: 64, .. })));
}

// ---------------------------------------------------------------------------------------
// Size

#[test]
fn a_file_over_512_mib_is_refused_by_its_size_alone() {
    assert_eq!(MAX_FILE_BYTES, 512 * 1024 * 1024);
    assert_eq!(check_size(MAX_FILE_BYTES), Ok(()));
    let gb = 1024 * 1024 * 1024;
    let e = check_size(gb).unwrap_err();
    assert_eq!(e, BackupError::TooLarge { size: gb, limit: MAX_FILE_BYTES });
    let (zh, en) = messages(&e);
    assert_eq!(zh, "文件大小为 1024 MB，超过备份文件的上限 512 MB，未读取。请确认选择的是 Clientscope 备份文件。");
    assert!(en.starts_with("The file is 1024 MB, more than the 512 MB"), "{en}");
    assert!(BackupError::TooLarge { size: 600 * 1024 * 1024 + 1, limit: MAX_FILE_BYTES }.message(Language::En).contains("600 MB"));
    // parse_bytes looks at the length before the bytes: 512 MiB + 1 zero bytes (allocated
    // zeroed, never touched) are refused at once, not decoded or parsed.
    let big = vec![0u8; MAX_FILE_BYTES as usize + 1];
    let e = quick("oversized", || parse_bytes(&big)).unwrap_err();
    assert!(matches!(e, BackupError::TooLarge { .. }), "{e:?}");
}

// ---------------------------------------------------------------------------------------
// Long strings

#[test]
fn a_1_mb_name_is_refused_by_the_name_limit_with_a_short_message() {
    let long = "长".repeat(1_000_000);
    let text = edit_sealed(&exported(&small()), |v| v["data"]["customers"][0]["name"] = Value::String(long.clone()));
    assert!(text.len() > 3_000_000);
    let e = quick("1 MB name", || parse(&text)).unwrap_err();
    let BackupError::Invalid(problems) = &e else { panic!("expected Invalid, got {e:?}") };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "name");
    assert_eq!(problems[0].code, ProblemCode::TooLong { max: MAX_NAME });
    let (zh, en) = messages(&e);
    assert!(zh.contains("「名称」过长，最多 200 个字符"), "{zh}");
    assert!(en.contains("field “name” is too long (at most 200 characters)"), "{en}");
    // The message does not carry the megabyte.
    assert!(zh.len() < 500 && en.len() < 500, "{} / {}", zh.len(), en.len());
}

#[test]
fn a_1_mb_id_or_note_is_refused_and_the_message_stays_short() {
    let id = "I".repeat(1 << 20);
    let text = edit_sealed(&exported(&small()), |v| {
        v["data"]["customers"][0]["id"] = Value::String(id.clone());
        v["data"]["customers"][1]["notes"] = Value::String("x".repeat(1 << 20));
    });
    let e = parse(&text).unwrap_err();
    let (zh, en) = messages(&e);
    assert!(zh.len() < 4000 && en.len() < 4000, "{} / {}", zh.len(), en.len());
    assert!(en.contains("at most 100 characters") && en.contains("at most 20000 characters"), "{en}");
    assert!(zh.contains(&format!("{}…", "I".repeat(40))), "{zh}");
}

#[test]
fn a_name_at_the_limit_is_read() {
    let name = "名".repeat(MAX_NAME);
    let text = edit_sealed(&exported(&small()), |v| v["data"]["customers"][0]["name"] = Value::String(name.clone()));
    assert_eq!(parse(&text).expect("200 characters are allowed").data.customers[0].name, name);
}

// ---------------------------------------------------------------------------------------
// Numbers

#[test]
fn a_number_out_of_range_is_refused_naming_the_field() {
    let base = exported(&small());
    let amount = base.find("\"amount\":").expect("an amount");
    let end = amount + base[amount..].find([',', '}']).expect("end");
    for big in ["1e400", "-1e400", "1E+400", "123456789e999"] {
        let text = format!("{}\"amount\":{big}{}", &base[..amount], &base[end..]);
        let e = quick(big, || parse(&text)).unwrap_err();
        let BackupError::NumberOutOfRange { value, path, line, column } = &e else { panic!("expected NumberOutOfRange, got {e:?}") };
        assert_eq!(value, big);
        assert_eq!(path, "data.orders[0].amount");
        assert_eq!(*line, 1);
        // The column is that of the number's last character.
        assert!(text[..*column].ends_with(&format!("\"amount\":{big}")), "column {column}");
        let (zh, en) = messages(&e);
        assert!(zh.contains(&format!("第 1 条交易记录（orders[0]）的字段「金额」的数字 {big} 超出可表示的范围")), "{zh}");
        assert!(en.contains(&format!("the number {big} in Order line record orders[0], field “amount” is out of range")), "{en}");
    }
    // Underflow is an ordinary zero, not an error.
    let text = format!("{}\"amount\":1e-400{}", &base[..amount], &base[end..]);
    assert!(!matches!(parse(&text), Err(BackupError::NumberOutOfRange { .. })));
}

#[test]
fn a_number_out_of_range_in_the_header_or_settings_names_its_path() {
    let e = parse("{\"format\": \"clientscope-backup\",\n \"format_version\": 2e999}").unwrap_err();
    assert_eq!(e, BackupError::NumberOutOfRange { value: "2e999".into(), path: "format_version".into(), line: 2, column: 24 });
    assert!(messages(&e).0.contains("“format_version”"));
    let e = parse(r#"{"settings": {"pages": {"p": [1, 2, 1e400]}}}"#).unwrap_err();
    assert!(matches!(&e, BackupError::NumberOutOfRange { path, .. } if path == "settings.pages.p[2]"), "{e:?}");
}

// ---------------------------------------------------------------------------------------
// Duplicate keys

#[test]
fn a_duplicate_key_is_refused_naming_the_key_and_the_record() {
    let base = exported(&small());
    let at = base.find("\"customers\":[{").expect("customers") + "\"customers\":[{".len();
    let text = format!("{}\"name\":\"甲\",{}", &base[..at], &base[at..]);
    let e = parse(&text).unwrap_err();
    let BackupError::DuplicateKey { key, path, line, .. } = &e else { panic!("expected DuplicateKey, got {e:?}") };
    assert_eq!((key.as_str(), path.as_str(), *line), ("name", "data.customers[0]", 1));
    let (zh, en) = messages(&e);
    assert!(zh.contains("第 1 条客户记录（customers[0]）中的键“name”出现了两次"), "{zh}");
    assert!(en.contains("the key “name” appears twice in Customer record customers[0]"), "{en}");
}

#[test]
fn duplicate_keys_at_the_top_and_written_with_escapes_are_found() {
    let e = parse(r#"{"format": "clientscope-backup", "format": "other"}"#).unwrap_err();
    assert_eq!(e, BackupError::DuplicateKey { key: "format".into(), path: String::new(), line: 1, column: 41 });
    assert!(messages(&e).0.contains("文件最外层中的键“format”"));
    // "\u0061" is "a".
    let e = parse(r#"{"settings": {"pages": {"a": 1, "\u0061": 2}}}"#).unwrap_err();
    assert!(matches!(&e, BackupError::DuplicateKey { key, path, .. } if key == "a" && path == "settings.pages"), "{e:?}");
    // The same key in different objects is fine.
    assert!(!matches!(parse(r#"{"a": {"k": 1}, "b": {"k": 1}}"#), Err(BackupError::DuplicateKey { .. })));
}

// ---------------------------------------------------------------------------------------
// Encodings

#[test]
fn a_utf8_byte_order_mark_is_skipped() {
    let d = small();
    let text = format!("\u{feff}{}", exported(&d));
    assert_eq!(parse(&text).expect("BOM text").data, d);
    assert_eq!(parse_bytes(text.as_bytes()).expect("BOM bytes").data, d);
}

fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2 + 2);
    let units = bom.then_some(0xfeff_u16).into_iter().chain(text.encode_utf16());
    for u in units {
        out.extend_from_slice(&if little { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn utf16_files_with_a_byte_order_mark_are_decoded() {
    let mut d = small();
    // Characters outside the basic plane take surrogate pairs in UTF-16.
    d.customers[0].name = "华东化工 𠀀 Ünïcode 😀".into();
    let text = exported(&d);
    for little in [true, false] {
        let b = parse_bytes(&utf16(&text, little, true)).unwrap_or_else(|e| panic!("little {little}: {e:?}"));
        assert_eq!(b.data, d);
        assert_eq!(b.data.customers[0].name, "华东化工 𠀀 Ünïcode 😀");
        // Without the mark too (the opening "{" gives the byte order away).
        assert_eq!(parse_bytes(&utf16(&text, little, false)).expect("no BOM").data, d);
    }
}

#[test]
fn broken_encodings_are_refused_naming_the_byte() {
    // GBK bytes are not UTF-8.
    let mut bytes = br#"{"format": ""#.to_vec();
    bytes.extend_from_slice(&[0xbb, 0xaa, 0xb6, 0xab]);
    bytes.extend_from_slice(b"\"}");
    let e = parse_bytes(&bytes).unwrap_err();
    assert_eq!(e, BackupError::NotText { encoding: "UTF-8".into(), at: 12 });
    let (zh, en) = messages(&e);
    assert!(zh.contains("不是 UTF-8 文本（第 12 字节处编码无效）"), "{zh}");
    assert!(en.contains("not UTF-8 text (invalid encoding at byte 12)"), "{en}");
    // UTF-16 with an odd number of bytes, and with an unpaired surrogate.
    let mut odd = utf16("{}", true, true);
    odd.push(b' ');
    assert_eq!(parse_bytes(&odd).unwrap_err(), BackupError::NotText { encoding: "UTF-16LE".into(), at: 6 });
    let mut lone = utf16("{\"a\":\"", false, true);
    lone.extend_from_slice(&0xd800_u16.to_be_bytes());
    lone.extend_from_slice(&utf16("\"}", false, false));
    assert_eq!(parse_bytes(&lone).unwrap_err(), BackupError::NotText { encoding: "UTF-16BE".into(), at: 14 });
}

#[test]
fn every_new_error_has_sentences_in_both_languages() {
    let errors = [
        BackupError::TooLarge { size: 1 << 30, limit: MAX_FILE_BYTES },
        BackupError::NotText { encoding: "UTF-8".into(), at: 3 },
        BackupError::TooDeep { line: 1, column: 65, limit: MAX_DEPTH },
        BackupError::DuplicateKey { key: "k".into(), path: "settings".into(), line: 1, column: 2 },
        BackupError::NumberOutOfRange { value: "1e400".into(), path: "x".into(), line: 1, column: 2 },
    ];
    for e in errors {
        messages(&e);
        assert!(!e.to_string().is_empty());
    }
}
