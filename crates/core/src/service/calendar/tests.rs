//! Unit tests of the working calendar. Hand-computed cases name the spans they add up.

use super::*;
use proptest::prelude::*;

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test instant")
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

fn cn() -> WorkCalendar {
    WorkCalendar::china()
}

fn hours(a: &str, b: &str) -> f64 {
    cn().business_hours(t(a), t(b))
}

fn plus(a: &str, h: f64) -> String {
    cn().add_business_hours(t(a), h).expect("reachable").to_rfc3339()
}

/// Expands `"2024-02-10..2024-02-17"` or a single date into dates.
fn expand(items: &[&str]) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for it in items {
        match it.split_once("..") {
            Some((a, b)) => {
                let mut x = d(a);
                while x <= d(b) {
                    out.push(x);
                    x = x.succ_opt().expect("date");
                }
            }
            None => out.push(d(it)),
        }
    }
    out
}

/// The announcements, typed again independently of `china.rs`: every date off and every
/// make-up working day of 2024 (国办发明电〔2023〕7号), 2025 (国办发明电〔2024〕12号) and
/// 2026 (November 2025 notice).
fn official(year: i32) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    match year {
        2024 => (
            expand(&[
                "2024-01-01",
                "2024-02-10..2024-02-17",
                "2024-04-04..2024-04-06",
                "2024-05-01..2024-05-05",
                "2024-06-08..2024-06-10",
                "2024-09-15..2024-09-17",
                "2024-10-01..2024-10-07",
            ]),
            expand(&["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"]),
        ),
        2025 => (
            expand(&[
                "2025-01-01",
                "2025-01-28..2025-02-04",
                "2025-04-04..2025-04-06",
                "2025-05-01..2025-05-05",
                "2025-05-31..2025-06-02",
                "2025-10-01..2025-10-08",
            ]),
            expand(&["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]),
        ),
        2026 => (
            expand(&[
                "2026-01-01..2026-01-03",
                "2026-02-15..2026-02-23",
                "2026-04-04..2026-04-06",
                "2026-05-01..2026-05-05",
                "2026-06-19..2026-06-21",
                "2026-09-25..2026-09-27",
                "2026-10-01..2026-10-07",
            ]),
            expand(&["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]),
        ),
        _ => (vec![], vec![]),
    }
}

#[test]
fn every_official_holiday_and_makeup_day_2024_to_2026() {
    let c = cn();
    for year in [2024, 2025, 2026] {
        let (holidays, workdays) = official(year);
        assert_eq!(c.schedule(year), (holidays.clone(), workdays.clone()), "{year}");
        assert_eq!(china::year(year), Some((holidays.clone(), workdays.clone())), "{year}");
        for h in &holidays {
            assert!(c.is_holiday(*h) && !c.is_working_day(*h), "{h} is off");
        }
        for w in &workdays {
            // Every make-up day is a Saturday or Sunday, worked with Monday's hours.
            assert!(matches!(w.weekday(), Weekday::Sat | Weekday::Sun), "{w} is a weekend day");
            assert_eq!(c.hours_on(*w), c.weekday_hours(Weekday::Mon), "{w}");
        }
    }
    // Counts per year: 2024 1+8+3+5+3+3+7 = 30 off, 8 make-up; 2025 1+8+3+5+3+8 = 28 off,
    // 5 make-up; 2026 3+9+3+5+3+3+7 = 33 off, 6 make-up.
    let counts: Vec<(usize, usize)> = [2024, 2025, 2026].iter().map(|y| (c.schedule(*y).0.len(), c.schedule(*y).1.len())).collect();
    assert_eq!(counts, vec![(30, 8), (28, 5), (33, 6)]);
}

#[test]
fn covers_only_years_with_a_schedule() {
    let c = cn();
    assert!(!c.covers(2023));
    assert!(c.covers(2024) && c.covers(2025) && c.covers(2026));
    assert!(!c.covers(2027));
    assert_eq!(c.covered_years(), vec![2024, 2025, 2026]);
    assert_eq!(china::years(), vec![2024, 2025, 2026]);
    // A user-added year counts once it has a date.
    let mut p = c.params();
    p.holidays.push(d("2027-01-01"));
    assert!(p.check().expect("valid").covers(2027));
}

#[test]
fn business_time_across_lunch_nights_and_weekends() {
    // Mon 2024-03-04 11:00-12:00 (1 h) + 13:00-14:00 (1 h) = 2 h.
    assert_eq!(hours("2024-03-04T11:00:00+08:00", "2024-03-04T14:00:00+08:00"), 2.0);
    // Inside lunch both ends: 0 h.
    assert_eq!(hours("2024-03-04T12:10:00+08:00", "2024-03-04T12:50:00+08:00"), 0.0);
    // Night: Mon 17:00-18:00 (1 h) + Tue 09:00-10:00 (1 h) = 2 h.
    assert_eq!(hours("2024-03-04T17:00:00+08:00", "2024-03-05T10:00:00+08:00"), 2.0);
    // Weekend: Fri 03-08 17:00-18:00 (1 h), Sat/Sun 0, Mon 03-11 09:00-10:00 (1 h) = 2 h.
    assert_eq!(hours("2024-03-08T17:00:00+08:00", "2024-03-11T10:00:00+08:00"), 2.0);
    // A full week Mon 00:00 to next Mon 00:00: 5 x 8 h = 40 h.
    assert_eq!(hours("2024-03-04T00:00:00+08:00", "2024-03-11T00:00:00+08:00"), 40.0);
    // Reversed or equal ends: 0.
    assert_eq!(hours("2024-03-05T10:00:00+08:00", "2024-03-04T10:00:00+08:00"), 0.0);
}

#[test]
fn business_time_across_holidays_makeup_days_and_year_ends() {
    // National Day 2024: Mon 09-30 17:00-18:00 (1 h); 10-01..10-07 off; Tue 10-08 09-10 (1 h).
    assert_eq!(hours("2024-09-30T17:00:00+08:00", "2024-10-08T10:00:00+08:00"), 2.0);
    // Make-up Saturday 2024-10-12 worked 09:00-18:00 with the lunch break: 8 h.
    assert_eq!(hours("2024-10-12T09:00:00+08:00", "2024-10-12T18:00:00+08:00"), 8.0);
    // Fri 10-11 17-18 (1 h) + Sat 10-12 make-up (8 h) + Sun 0 + Mon 10-14 09-10 (1 h) = 10 h.
    assert_eq!(hours("2024-10-11T17:00:00+08:00", "2024-10-14T10:00:00+08:00"), 10.0);
    // Make-up Sunday 2024-09-29: 8 h; the ordinary Saturday before it: 0 h.
    assert_eq!(hours("2024-09-28T00:00:00+08:00", "2024-09-30T00:00:00+08:00"), 8.0);
    // Year end 2024/25: Tue 12-31 17-18 (1 h), 01-01 off, Thu 01-02 09-10 (1 h) = 2 h.
    assert_eq!(hours("2024-12-31T17:00:00+08:00", "2025-01-02T10:00:00+08:00"), 2.0);
    // Year end 2025/26: Wed 12-31 17-18 (1 h), 01-01..01-03 off, Sun 01-04 make-up (8 h),
    // Mon 01-05 09-10 (1 h) = 10 h.
    assert_eq!(hours("2025-12-31T17:00:00+08:00", "2026-01-05T10:00:00+08:00"), 10.0);
    // Spring Festival 2025: Sun 01-26 make-up 8 h + Mon 01-27 8 h, 01-28..02-04 off,
    // Wed 02-05 .. Fri 02-07 3 x 8 h, Sat 02-08 make-up 8 h: 48 h from 01-26 to 02-09.
    assert_eq!(hours("2025-01-26T00:00:00+08:00", "2025-02-09T00:00:00+08:00"), 48.0);
}

#[test]
fn instants_with_other_offsets_are_read_in_the_calendar_zone() {
    // 01:00Z is 09:00 in Shanghai; 10:00Z is 18:00: one working day, 8 h.
    assert_eq!(hours("2024-03-04T01:00:00Z", "2024-03-04T10:00:00Z"), 8.0);
    // 2024-03-03T20:00-05:00 is Mon 09:00 Shanghai; to 10:00+08:00 is 1 h.
    assert_eq!(hours("2024-03-03T20:00:00-05:00", "2024-03-04T10:00:00+08:00"), 1.0);
}

#[test]
fn adding_business_hours() {
    // 11:00 + 2 h: 11-12 (1 h), lunch, 13-14 (1 h) -> 14:00.
    assert_eq!(plus("2024-03-04T11:00:00+08:00", 2.0), "2024-03-04T14:00:00+08:00");
    // Reaching the amount exactly at a closing gives the closing, not the next opening.
    assert_eq!(plus("2024-03-04T17:00:00+08:00", 1.0), "2024-03-04T18:00:00+08:00");
    assert_eq!(plus("2024-03-04T11:45:00+08:00", 0.25), "2024-03-04T12:00:00+08:00");
    // Fractional: 11:45 + 0.5 h = 15 min before lunch + 15 min after -> 13:15.
    assert_eq!(plus("2024-03-04T11:45:00+08:00", 0.5), "2024-03-04T13:15:00+08:00");
    // Start on a Saturday: the clock starts Monday 09:00 -> 10:00.
    assert_eq!(plus("2024-03-09T10:00:00+08:00", 1.0), "2024-03-11T10:00:00+08:00");
    // Start at night: 20:00 Mon + 7.5 h = Tue 09:00 + 3 h + 4.5 h = 17:30.
    assert_eq!(plus("2024-03-04T20:00:00+08:00", 7.5), "2024-03-05T17:30:00+08:00");
    // A UTC start is answered in the calendar's zone: 01:00Z = 09:00, + 8 h = 18:00+08:00.
    assert_eq!(plus("2024-03-04T01:00:00Z", 8.0), "2024-03-04T18:00:00+08:00");
    // 8 h over the 2025 Spring Festival: Mon 01-27 17-18 (1 h), 01-28..02-04 off,
    // Wed 02-05 09-12 (3 h) + 13-17 (4 h) -> 17:00.
    assert_eq!(plus("2025-01-27T17:00:00+08:00", 8.0), "2025-02-05T17:00:00+08:00");
    // 40 h from Fri 2024-10-11 09:00: Fri 8, Sat 10-12 make-up 8, Mon-Wed 24 -> Wed 18:00.
    assert_eq!(plus("2024-10-11T09:00:00+08:00", 40.0), "2024-10-16T18:00:00+08:00");
    // Zero hours: the start itself, in the calendar's offset.
    assert_eq!(plus("2024-03-09T02:00:00Z", 0.0), "2024-03-09T10:00:00+08:00");
    assert_eq!(cn().add_business_hours(t("2024-03-04T09:00:00+08:00"), -1.0), None);
    assert_eq!(cn().add_business_hours(t("2024-03-04T09:00:00+08:00"), f64::NAN), None);
}

#[test]
fn next_opening() {
    let c = cn();
    let n = |s: &str| c.next_opening(t(s)).expect("opening").to_rfc3339();
    assert_eq!(n("2024-03-04T12:30:00+08:00"), "2024-03-04T13:00:00+08:00");
    assert_eq!(n("2024-03-04T10:00:00+08:00"), "2024-03-04T10:00:00+08:00");
    assert_eq!(n("2024-09-30T18:00:00+08:00"), "2024-10-08T09:00:00+08:00");
}

#[test]
fn twenty_four_seven() {
    let c = CalendarParams::twenty_four_seven("Asia/Shanghai").check().expect("valid");
    assert_eq!(c.business_hours(t("2024-10-01T00:00:00+08:00"), t("2024-10-08T00:00:00+08:00")), 168.0);
    assert_eq!(
        c.add_business_hours(t("2024-12-31T23:00:00+08:00"), 2.0).map(|x| x.to_rfc3339()),
        Some("2025-01-01T01:00:00+08:00".to_string())
    );
    assert!(!c.covers(2024));
}

#[test]
fn json_form_of_the_issue() {
    let text = r#"{"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","12:00"],["13:00","18:00"]],"tue":[["09:00","12:00"],["13:00","18:00"]],"wed":[["09:00","12:00"],["13:00","18:00"]],"thu":[["09:00","12:00"],["13:00","18:00"]],"fri":[["09:00","12:00"],["13:00","18:00"]],"sat":[],"sun":[]},"holidays":["2026-10-01"],"workdays":["2026-09-20"]}"#;
    let c = WorkCalendar::from_json(text).expect("valid calendar");
    assert_eq!(serde_json::to_string(&c).expect("json"), text);
    assert_eq!(c.zone_name(), "Asia/Shanghai");
    assert!(c.is_holiday(d("2026-10-01")) && c.is_makeup_workday(d("2026-09-20")));
    // The default serialises with the zone name and round-trips.
    let def = WorkCalendar::default();
    let back: WorkCalendar = serde_json::from_str(&def.to_json()).expect("round trip");
    assert_eq!(back, def);
    assert!(def.to_json().contains(r#""time_zone": "Asia/Shanghai""#));
}

#[test]
fn bad_calendars_are_refused_with_a_reason() {
    let base = CalendarParams::default;
    let mut p = base();
    p.time_zone = "Europe/Berlin".into();
    assert_eq!(p.check(), Err(CalendarError::UnknownZone { name: "Europe/Berlin".into() }));
    let mut p = base();
    p.week.tue = vec![["9h".into(), "12:00".into()]];
    assert_eq!(p.check(), Err(CalendarError::BadTime { day: "tue", value: "9h".into() }));
    let mut p = base();
    p.week.wed = vec![["12:00".into(), "09:00".into()]];
    assert!(matches!(p.check(), Err(CalendarError::EmptySpan { day: "wed", .. })));
    let mut p = base();
    p.week.thu = vec![["09:00".into(), "12:00".into()], ["11:00".into(), "13:00".into()]];
    assert_eq!(p.check(), Err(CalendarError::Overlap { day: "thu" }));
    let mut p = base();
    p.week = WeekParams { mon: vec![], tue: vec![], wed: vec![], thu: vec![], fri: vec![], sat: vec![], sun: vec![] };
    assert_eq!(p.check(), Err(CalendarError::NoWorkingHours));
    let mut p = base();
    p.workdays.push(d("2024-10-01"));
    assert_eq!(p.check(), Err(CalendarError::Conflict { date: d("2024-10-01") }));
    let mut p = base();
    p.week.fri = vec![["25:00".into(), "26:00".into()]];
    assert!(p.check().is_err());
    assert!(matches!(WorkCalendar::from_json("{}"), Err(CalendarError::Json { .. })));
    // Messages in both languages name the problem.
    let e = CalendarError::UnknownZone { name: "Europe/Berlin".into() };
    assert!(e.message(Language::ZhCn).contains("不支持时区"));
    assert!(e.message(Language::En).contains("Europe/Berlin"));
    assert!(CalendarError::Overlap { day: "thu" }.message(Language::ZhCn).contains("周四"));
}

#[test]
fn other_zones_use_their_own_wall_clock() {
    let mut p = CalendarParams::default();
    p.time_zone = "UTC".into();
    let c = p.check().expect("valid");
    // 09:00Z-18:00Z on Mon 2024-03-04 is a full working day in UTC: 8 h.
    assert_eq!(c.business_hours(t("2024-03-04T09:00:00Z"), t("2024-03-04T18:00:00Z")), 8.0);
    assert_eq!(c.add_business_hours(t("2024-03-04T17:00:00+08:00"), 1.0).map(|x| x.to_rfc3339()), Some("2024-03-04T10:00:00+00:00".into()));
}

/// Regression guard for the browser/machine zone: the results must not depend on the
/// process's `TZ`. The core never reads the local zone (chrono's clock feature is off);
/// this test changes `TZ` between two runs to show it. The suite is also run under
/// `TZ=America/New_York`.
#[test]
fn same_result_whatever_the_process_time_zone() {
    let run = || (hours("2024-12-31T17:00:00+08:00", "2025-01-02T10:00:00+08:00"), plus("2024-03-09T10:00:00+08:00", 1.0));
    let before = run();
    std::env::set_var("TZ", "America/New_York");
    let after = run();
    assert_eq!(before, after);
    assert_eq!(after, (2.0, "2024-03-11T10:00:00+08:00".to_string()));
}

fn arb_instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    // 2023-12-01 .. 2027-02-01 at second resolution, with an offset of -12 h .. +14 h in
    // quarter hours, so calendar-zone conversion is exercised.
    (1_701_388_800i64..1_801_440_000i64, -48i32..=56).prop_map(|(s, q)| {
        let off = FixedOffset::east_opt(q * 900).expect("offset");
        DateTime::from_timestamp(s, 0).expect("instant").with_timezone(&off)
    })
}

proptest! {
    #[test]
    fn business_time_is_additive_over_adjacent_spans(a in arb_instant(), b in arb_instant(), c in arb_instant()) {
        let mut v = [a, b, c];
        v.sort();
        let cal = cn();
        prop_assert_eq!(cal.business_time(v[0], v[2]), cal.business_time(v[0], v[1]) + cal.business_time(v[1], v[2]));
    }

    #[test]
    fn start_plus_h_inverts_business_time(s in arb_instant(), ms in 0i64..(200 * 3_600_000)) {
        let cal = cn();
        let h = TimeDelta::milliseconds(ms);
        let end = cal.add_business_time(s, h).expect("reachable");
        prop_assert_eq!(cal.business_time(s, end), h);
        // Earliest such instant: a millisecond earlier has not yet reached it.
        if ms > 0 {
            prop_assert!(cal.business_time(s, end - TimeDelta::milliseconds(1)) < h);
        }
        prop_assert_eq!(end.offset().local_minus_utc(), 8 * 3600);
    }

    #[test]
    fn business_time_of_a_span_never_exceeds_its_length(a in arb_instant(), b in arb_instant()) {
        let cal = cn();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(cal.business_time(lo, hi) <= hi - lo);
    }
}
