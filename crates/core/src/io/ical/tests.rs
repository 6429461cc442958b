use super::*;
use crate::model::{Interaction, InteractionKind, InteractionStatus, ZonedTime};
use crate::service::visits::{reschedule, When};
use chrono::{TimeZone, Utc};
use proptest::prelude::*;

fn stamp() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, 1, 1, 2, 3).single().unwrap_or_default()
}

fn cst(y: i32, m: u32, d: u32, h: u32, mi: u32) -> ZonedTime {
    SHANGHAI.with_ymd_and_hms(y, m, d, h, mi, 0).single().unwrap()
}

fn planned(id: &str, start: ZonedTime) -> Interaction {
    Interaction {
        status: InteractionStatus::Planned,
        start: Some(start),
        duration_min: Some(90),
        purpose: "新品推介, 样品; 报价".into(),
        who: "采购部 王经理".into(),
        method: "上门拜访".into(),
        reason: "客户新建产线\n需求增加".into(),
        owner: "张伟".into(),
        location: "苏州市工业园区星湖街 328 号 (东门)".into(),
        ..Interaction::new(id, "C000001", InteractionKind::Visit, start.date_naive(), stamp())
    }
}

fn names(id: &str) -> Option<String> {
    (id == "C000001").then(|| "苏州恒通化工有限公司".to_string())
}

fn physical_lines(ics: &str) -> Vec<&str> {
    // Every line ends in CRLF: splitting on CRLF leaves one empty piece at the end.
    let parts: Vec<&str> = ics.split("\r\n").collect();
    assert_eq!(parts.last(), Some(&""), "the file ends in CRLF");
    parts[..parts.len() - 1].to_vec()
}

/// The logical line that starts with `name` (after unfolding).
fn prop<'a>(unfolded: &'a str, name: &str) -> Vec<&'a str> {
    unfolded.split("\r\n").filter(|l| l.starts_with(name)).collect()
}

#[test]
fn escaping_of_text_values() {
    assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
    assert_eq!(escape_text("一\r\n二\n三\r四"), r"一\n二\n三\n四");
    assert_eq!(escape_text("tab\there\u{7}bell"), "tab\therebell");
    assert_eq!(escape_text("x:y\"z"), "x:y\"z");
    for s in [r"a\b;c,d", "一\n二", r"\n literal", "end\\"] {
        assert_eq!(unescape_text(&escape_text(s)), s);
    }
}

/// 30 Chinese characters are 90 octets: the first line holds `SUMMARY:` (8) + 22
/// characters (66) = 74 octets, since a 23rd would need 77; the rest go on the next line
/// after its space.
#[test]
fn folding_at_75_octets_never_splits_a_character() {
    let text: String = "客户拜访计划".repeat(5);
    let mut out = String::new();
    fold_line(&format!("SUMMARY:{text}"), &mut out);
    let lines = physical_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].len(), 74);
    assert_eq!(lines[1], format!(" {}", text.chars().skip(22).collect::<String>()));
    assert_eq!(unfold(&out), format!("SUMMARY:{text}\r\n"));
    // ASCII folds at exactly 75, continuations hold 74 + the space.
    let ascii = "x".repeat(200);
    let mut out = String::new();
    fold_line(&ascii, &mut out);
    let lens: Vec<usize> = physical_lines(&out).iter().map(|l| l.len()).collect();
    assert_eq!(lens, vec![75, 75, 52]);
    assert_eq!(unfold(&out), format!("{ascii}\r\n"));
}

#[test]
fn the_file_follows_rfc_5545() {
    let mut long = planned("I000002", cst(2026, 3, 2, 14, 0));
    long.purpose = "年度合同续签与新品推介，讨论明年框架协议的价格条款、交付周期和质量保证金比例".into();
    long.sequence = 3;
    let xs = vec![
        long,
        planned("I000001", cst(2026, 3, 2, 9, 30)),
        Interaction { status: InteractionStatus::Done, ..planned("I000003", cst(2026, 3, 2, 8, 0)) },
        Interaction { status: InteractionStatus::Cancelled, ..planned("I000004", cst(2026, 3, 2, 8, 0)) },
        Interaction { start: None, duration_min: None, ..planned("I000005", cst(2026, 3, 5, 0, 0)) },
    ];
    let ics = write_ics(&xs, &names, &IcsParams::new(stamp()));
    // CRLF everywhere, no bare LF or CR, every physical line at most 75 octets.
    for l in physical_lines(&ics) {
        assert!(l.len() <= MAX_LINE_OCTETS, "{l:?} is {} octets", l.len());
        assert!(!l.contains('\n') && !l.contains('\r'));
    }
    let u = unfold(&ics);
    let head: Vec<&str> = u.split("\r\n").take(15).collect();
    assert_eq!(
        head,
        vec![
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Clientscope//Clientscope Visits//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VTIMEZONE",
            "TZID:Asia/Shanghai",
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0800",
            "TZOFFSETTO:+0800",
            "TZNAME:CST",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
        ]
    );
    assert!(u.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
    // Only the three planned visits, in time order; the untimed one is an all-day event.
    assert_eq!(prop(&u, "UID:"), vec!["UID:I000001@clientscope.invalid", "UID:I000002@clientscope.invalid", "UID:I000005@clientscope.invalid"]);
    assert_eq!(prop(&u, "SEQUENCE:"), vec!["SEQUENCE:0", "SEQUENCE:3", "SEQUENCE:0"]);
    assert_eq!(
        prop(&u, "DTSTART"),
        vec!["DTSTART:19700101T000000", "DTSTART;TZID=Asia/Shanghai:20260302T093000", "DTSTART;TZID=Asia/Shanghai:20260302T140000", "DTSTART;VALUE=DATE:20260305"]
    );
    assert_eq!(
        prop(&u, "DTEND"),
        vec!["DTEND;TZID=Asia/Shanghai:20260302T110000", "DTEND;TZID=Asia/Shanghai:20260302T153000", "DTEND;VALUE=DATE:20260306"]
    );
    assert_eq!(prop(&u, "DTSTAMP:"), vec!["DTSTAMP:20260301T010203Z"; 3]);
    assert_eq!(prop(&u, "SUMMARY:")[0], r"SUMMARY:新品推介\, 样品\; 报价");
    assert_eq!(
        prop(&u, "DESCRIPTION:")[0],
        r"DESCRIPTION:何时:2026-03-02 09:30-11:00\n何事:新品推介\, 样品\; 报价\n何人:采购部 王经理\n何种方法:上门拜访\n何种理由:客户新建产线 需求增加\n客户:苏州恒通化工有限公司"
    );
    assert_eq!(prop(&u, "LOCATION:")[0], r"LOCATION:苏州市工业园区星湖街 328 号 (东门)");
    // The long Chinese summary was folded and unfolds to exactly the escaped text.
    assert!(ics.contains("\r\n "));
    assert_eq!(prop(&u, "SUMMARY:")[1], "SUMMARY:年度合同续签与新品推介，讨论明年框架协议的价格条款、交付周期和质量保证金比例");
    // A local time stored in another offset is written in the zone.
    let utc = FixedOffset::east_opt(0).unwrap().with_ymd_and_hms(2026, 3, 2, 1, 30, 0).single().unwrap();
    let one = write_ics(&[planned("I9", utc)], &names, &IcsParams::new(stamp()));
    assert!(unfold(&one).contains("DTSTART;TZID=Asia/Shanghai:20260302T093000\r\n"));
    // English labels.
    let en = write_ics(&xs, &names, &IcsParams { lang: Language::En, ..IcsParams::new(stamp()) });
    assert!(unfold(&en).contains(r"DESCRIPTION:When: 2026-03-02 09:30-11:00\nPurpose: 新品推介\, 样品\; 报价\nWho: "));
}

#[test]
fn uids_are_stable_across_exports_and_sequence_rises_when_the_time_changes() {
    let xs = vec![planned("I000001", cst(2026, 3, 2, 9, 30)), planned("I000002", cst(2026, 3, 3, 9, 30))];
    let later = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).single().unwrap();
    let first = unfold(&write_ics(&xs, &names, &IcsParams::new(stamp())));
    // Another export a day later, with the second visit moved to the afternoon.
    let mut moved = xs.clone();
    moved[1] = reschedule(&xs[1], When::At(cst(2026, 3, 3, 15, 0)), Some(90), later);
    let second = unfold(&write_ics(&moved, &names, &IcsParams::new(later)));
    assert_eq!(prop(&first, "UID:"), prop(&second, "UID:"));
    assert_eq!(prop(&first, "SEQUENCE:"), vec!["SEQUENCE:0", "SEQUENCE:0"]);
    assert_eq!(prop(&second, "SEQUENCE:"), vec!["SEQUENCE:0", "SEQUENCE:1"]);
    assert_eq!(prop(&second, "DTSTART;TZID")[1], "DTSTART;TZID=Asia/Shanghai:20260303T150000");
    // The same data exported twice at the same instant is the same file.
    assert_eq!(write_ics(&xs, &names, &IcsParams::new(stamp())), write_ics(&xs, &names, &IcsParams::new(stamp())));
}

#[test]
fn owner_filter_keeps_one_reps_visits() {
    let mut b = planned("I000002", cst(2026, 3, 3, 9, 30));
    b.owner = "李娜".into();
    let xs = vec![planned("I000001", cst(2026, 3, 2, 9, 30)), b];
    let p = IcsParams { owner: Some("李娜".into()), ..IcsParams::new(stamp()) };
    assert_eq!(prop(&unfold(&write_ics(&xs, &names, &p)), "UID:"), vec!["UID:I000002@clientscope.invalid"]);
}

proptest! {
    /// Folding then unfolding is the identity on any text, every physical line is at most
    /// 75 octets and valid UTF-8 on its own (no character split).
    #[test]
    fn fold_then_unfold_is_the_identity(chars in prop::collection::vec(any::<char>(), 0..300), prefix in "[A-Z]{1,12}") {
        let s: String = chars.into_iter().collect();
        let line = format!("{prefix}:{}", escape_text(&s));
        let mut out = String::new();
        fold_line(&line, &mut out);
        for l in physical_lines(&out) {
            prop_assert!(l.len() <= MAX_LINE_OCTETS);
        }
        prop_assert_eq!(unfold(&out), format!("{line}\r\n"));
        let value = unfold(&out);
        let value = value.trim_end_matches("\r\n").split_once(':').map(|x| x.1).unwrap_or("");
        let kept: String = s.replace("\r\n", "\n").replace('\r', "\n").chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
        prop_assert_eq!(unescape_text(value), kept);
    }
}
