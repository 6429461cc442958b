//! The working calendar 工作日历: the clock every service deadline runs on.
//!
//! A calendar is a time zone, working hours per weekday, public holidays and make-up
//! working days (调休上班, a Saturday or Sunday that is worked; it has Monday's hours).
//! A holiday has no working hours whatever its weekday. The default is Asia/Shanghai,
//! Monday to Friday 09:00-12:00 and 13:00-18:00, with the official mainland-China
//! schedule of [`china`] for 2024-2026 built in; [`CalendarParams::twenty_four_seven`] is the
//! "24/7" choice.
//!
//! Time zones: only zones with a fixed UTC offset (no daylight saving today) are supported,
//! from the list [`ZONES`] (Asia/Shanghai, Asia/Hong_Kong, Asia/Tokyo, UTC…). A zone name
//! outside the list is refused with [`CalendarError::UnknownZone`]; a zone with daylight
//! saving (Europe/Berlin) would need a tz database, which the core does not carry. Historic
//! offsets (China's daylight saving of 1986-1991) are ignored.
//!
//! All arithmetic happens on the local wall-clock time of the calendar's zone, obtained
//! from each instant's own UTC offset, so the machine's or browser's zone never enters.
//!
//! The JSON form (import/export, inside `Settings` and backups) is [`CalendarParams`]:
//! `{"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","12:00"],["13:00","18:00"]],…,
//! "sat":[],"sun":[]},"holidays":["2026-10-01",…],"workdays":["2026-09-20",…]}`. It is
//! checked into a [`WorkCalendar`] ([`CalendarParams::check`]); the calculations accept only
//! that validated type.

pub mod china;
#[cfg(test)]
mod tests;

use crate::model::Language;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The supported time zones and their UTC offsets in seconds. Every one has kept a single
/// offset without daylight saving for decades, so a fixed offset is exact for current
/// dates.
pub const ZONES: &[(&str, i32)] = &[
    ("Asia/Shanghai", 8 * 3600),
    ("Asia/Chongqing", 8 * 3600),
    ("Asia/Urumqi", 6 * 3600),
    ("Asia/Hong_Kong", 8 * 3600),
    ("Asia/Macau", 8 * 3600),
    ("Asia/Taipei", 8 * 3600),
    ("Asia/Singapore", 8 * 3600),
    ("Asia/Kuala_Lumpur", 8 * 3600),
    ("Asia/Manila", 8 * 3600),
    ("Asia/Tokyo", 9 * 3600),
    ("Asia/Seoul", 9 * 3600),
    ("Asia/Bangkok", 7 * 3600),
    ("Asia/Ho_Chi_Minh", 7 * 3600),
    ("Asia/Jakarta", 7 * 3600),
    ("Asia/Kolkata", 5 * 3600 + 1800),
    ("Asia/Dubai", 4 * 3600),
    ("UTC", 0),
    ("Etc/UTC", 0),
];

/// The default zone name.
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

const DAY_SECS: u32 = 24 * 3600;

/// UTC+8, evaluated at compile time (a bad constant fails the build, not a user).
const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("UTC+8 is a valid offset"),
};

/// A span of working time within one day, in seconds after local midnight, `start < end
/// <= 86400` (so `24:00` closes a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Opening, seconds after midnight.
    pub start: u32,
    /// Closing, seconds after midnight.
    pub end: u32,
}

/// Working hours of each weekday in the JSON form: per day a list of `["HH:MM","HH:MM"]`
/// pairs (opening, closing); an empty list is a day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekParams {
    /// Monday (also the hours of a make-up working day).
    pub mon: Vec<[String; 2]>,
    /// Tuesday.
    pub tue: Vec<[String; 2]>,
    /// Wednesday.
    pub wed: Vec<[String; 2]>,
    /// Thursday.
    pub thu: Vec<[String; 2]>,
    /// Friday.
    pub fri: Vec<[String; 2]>,
    /// Saturday.
    pub sat: Vec<[String; 2]>,
    /// Sunday.
    pub sun: Vec<[String; 2]>,
}

impl WeekParams {
    /// Monday-Friday 09:00-12:00 and 13:00-18:00, weekends off (the default office week).
    pub fn office() -> WeekParams {
        let day = || vec![["09:00".to_string(), "12:00".to_string()], ["13:00".to_string(), "18:00".to_string()]];
        WeekParams { mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: vec![], sun: vec![] }
    }

    /// Every day 00:00-24:00.
    pub fn all_day() -> WeekParams {
        let day = || vec![["00:00".to_string(), "24:00".to_string()]];
        WeekParams { mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: day(), sun: day() }
    }

    fn days(&self) -> [(&'static str, &Vec<[String; 2]>); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }
}

/// A calendar as the user edits it and as JSON carries it; [`CalendarParams::check`] turns
/// it into a [`WorkCalendar`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarParams {
    /// IANA zone name, one of [`ZONES`].
    pub time_zone: String,
    /// Working hours per weekday.
    pub week: WeekParams,
    /// Days off (public holidays, every date of an official holiday period).
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    /// Make-up working days 调休上班 (worked with Monday's hours).
    #[serde(default)]
    pub workdays: Vec<NaiveDate>,
}

impl Default for CalendarParams {
    /// Asia/Shanghai, the office week, the built-in mainland-China schedule.
    fn default() -> Self {
        let (holidays, workdays) = china::all_dates();
        CalendarParams { time_zone: DEFAULT_ZONE.into(), week: WeekParams::office(), holidays, workdays }
    }
}

impl CalendarParams {
    /// The "24/7" choice: every hour of every day is working time, no holidays.
    pub fn twenty_four_seven(time_zone: &str) -> CalendarParams {
        CalendarParams { time_zone: time_zone.into(), week: WeekParams::all_day(), holidays: vec![], workdays: vec![] }
    }

    /// Checks the zone, every time (`HH:MM`, `24:00` allowed as a closing), that the spans
    /// of a day are increasing and do not overlap, that some weekday has working hours,
    /// and that no date is both a holiday and a make-up working day.
    pub fn check(&self) -> Result<WorkCalendar, CalendarError> {
        let (zone, offset) = zone(&self.time_zone)?;
        let mut week: [Vec<Span>; 7] = Default::default();
        for (i, (day, pairs)) in self.week.days().into_iter().enumerate() {
            let mut spans = Vec::with_capacity(pairs.len());
            for [a, b] in pairs {
                let start = parse_hhmm(a).ok_or_else(|| CalendarError::BadTime { day, value: a.clone() })?;
                let end = parse_hhmm(b).ok_or_else(|| CalendarError::BadTime { day, value: b.clone() })?;
                if start >= end {
                    return Err(CalendarError::EmptySpan { day, from: a.clone(), to: b.clone() });
                }
                spans.push(Span { start, end });
            }
            spans.sort();
            if spans.windows(2).any(|w| w[1].start < w[0].end) {
                return Err(CalendarError::Overlap { day });
            }
            week[i] = spans;
        }
        if week.iter().all(Vec::is_empty) {
            return Err(CalendarError::NoWorkingHours);
        }
        let holidays: BTreeSet<NaiveDate> = self.holidays.iter().copied().collect();
        let workdays: BTreeSet<NaiveDate> = self.workdays.iter().copied().collect();
        if let Some(d) = holidays.intersection(&workdays).next() {
            return Err(CalendarError::Conflict { date: *d });
        }
        Ok(WorkCalendar { zone: zone.to_string(), offset, week, holidays, workdays })
    }
}

/// Reads `HH:MM` (00:00 to 24:00) as seconds after midnight.
fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let secs = h * 3600 + m * 60;
    (m < 60 && secs <= DAY_SECS).then_some(secs)
}

fn hhmm(secs: u32) -> String {
    format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

fn zone(name: &str) -> Result<(&'static str, FixedOffset), CalendarError> {
    ZONES
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(n, secs)| FixedOffset::east_opt(*secs).map(|o| (*n, o)))
        .ok_or_else(|| CalendarError::UnknownZone { name: name.into() })
}

/// Why a calendar was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The zone is not one of [`ZONES`].
    #[error("unknown or unsupported time zone “{name}”")]
    UnknownZone {
        /// The name given.
        name: String,
    },
    /// A time is not `HH:MM` between 00:00 and 24:00.
    #[error("{day}: “{value}” is not a time HH:MM")]
    BadTime {
        /// `mon` … `sun`.
        day: &'static str,
        /// The text given.
        value: String,
    },
    /// A span closes at or before it opens.
    #[error("{day}: {from}-{to} closes before it opens")]
    EmptySpan {
        /// `mon` … `sun`.
        day: &'static str,
        /// Opening as given.
        from: String,
        /// Closing as given.
        to: String,
    },
    /// Two spans of one day overlap.
    #[error("{day}: working hours overlap")]
    Overlap {
        /// `mon` … `sun`.
        day: &'static str,
    },
    /// No weekday has working hours, so no deadline could ever be reached.
    #[error("no weekday has working hours")]
    NoWorkingHours,
    /// A date is both a holiday and a make-up working day.
    #[error("{date} is both a holiday and a make-up working day")]
    Conflict {
        /// The date.
        date: NaiveDate,
    },
    /// The JSON text is not a calendar.
    #[error("not a calendar: {detail}")]
    Json {
        /// The decoder's description.
        detail: String,
    },
}

fn day_zh(day: &str) -> &'static str {
    match day {
        "mon" => "周一",
        "tue" => "周二",
        "wed" => "周三",
        "thu" => "周四",
        "fri" => "周五",
        "sat" => "周六",
        _ => "周日",
    }
}

fn day_en(day: &str) -> &'static str {
    match day {
        "mon" => "Monday",
        "tue" => "Tuesday",
        "wed" => "Wednesday",
        "thu" => "Thursday",
        "fri" => "Friday",
        "sat" => "Saturday",
        _ => "Sunday",
    }
}

impl CalendarError {
    /// A full sentence for the user in Chinese or English.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            CalendarError::UnknownZone { name } => if zh {
                format!("不支持时区“{name}”（可用固定时差的时区，如 Asia/Shanghai、Asia/Hong_Kong、Asia/Tokyo、UTC）。")
            } else {
                format!("The time zone “{name}” is not supported (use a zone with a fixed offset such as Asia/Shanghai, Asia/Hong_Kong, Asia/Tokyo or UTC).")
            },
            CalendarError::BadTime { day, value } => if zh {
                format!("{}的时间“{value}”无效，应为 HH:MM（00:00 至 24:00）。", day_zh(day))
            } else {
                format!("{}: “{value}” is not a time HH:MM between 00:00 and 24:00.", day_en(day))
            },
            CalendarError::EmptySpan { day, from, to } => if zh {
                format!("{}的工作时段 {from}-{to} 结束时间不晚于开始时间。", day_zh(day))
            } else {
                format!("{}: the working hours {from}-{to} end before they start.", day_en(day))
            },
            CalendarError::Overlap { day } => if zh {
                format!("{}的工作时段相互重叠。", day_zh(day))
            } else {
                format!("{}: the working hours overlap.", day_en(day))
            },
            CalendarError::NoWorkingHours => if zh {
                "一周中没有任何工作时间，期限永远无法到达。".into()
            } else {
                "No weekday has working hours, so no deadline could ever be reached.".into()
            },
            CalendarError::Conflict { date } => if zh {
                format!("{date} 既是节假日又是调休上班日。")
            } else {
                format!("{date} is both a holiday and a make-up working day.")
            },
            CalendarError::Json { detail } => if zh {
                format!("不是有效的工作日历 JSON：{}。", crate::error::serde_detail(detail, lang))
            } else {
                format!("Not a valid working-calendar JSON: {}.", crate::error::serde_detail(detail, lang))
            },
        }
    }
}

/// A checked working calendar. Serialises as its [`CalendarParams`] (so it sits in
/// `Settings` and backups in the JSON form of the issue) and is checked again on
/// deserialising.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarParams", into = "CalendarParams")]
pub struct WorkCalendar {
    zone: String,
    offset: FixedOffset,
    /// Monday first.
    week: [Vec<Span>; 7],
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

impl TryFrom<CalendarParams> for WorkCalendar {
    type Error = CalendarError;
    fn try_from(p: CalendarParams) -> Result<Self, CalendarError> {
        p.check()
    }
}

impl From<WorkCalendar> for CalendarParams {
    fn from(c: WorkCalendar) -> Self {
        c.params()
    }
}

impl Default for WorkCalendar {
    /// [`WorkCalendar::china`].
    fn default() -> Self {
        WorkCalendar::china()
    }
}

impl WorkCalendar {
    /// Asia/Shanghai, Monday-Friday 09:00-12:00 and 13:00-18:00, with the built-in official
    /// mainland-China holidays and make-up working days ([`china`]).
    pub fn china() -> WorkCalendar {
        let (holidays, workdays) = china::all_dates();
        let day = || vec![Span { start: 9 * 3600, end: 12 * 3600 }, Span { start: 13 * 3600, end: 18 * 3600 }];
        WorkCalendar {
            zone: DEFAULT_ZONE.to_string(),
            offset: SHANGHAI,
            week: [day(), day(), day(), day(), day(), vec![], vec![]],
            holidays: holidays.into_iter().collect(),
            workdays: workdays.into_iter().collect(),
        }
    }

    /// Reads the JSON form and checks it.
    pub fn from_json(text: &str) -> Result<WorkCalendar, CalendarError> {
        let p: CalendarParams = serde_json::from_str(text).map_err(|e| CalendarError::Json { detail: e.to_string() })?;
        p.check()
    }

    /// The JSON form, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.params()).unwrap_or_default()
    }

    /// The editable form: zone, week in `HH:MM`, holidays and workdays sorted.
    pub fn params(&self) -> CalendarParams {
        let day = |spans: &Vec<Span>| spans.iter().map(|s| [hhmm(s.start), hhmm(s.end)]).collect::<Vec<_>>();
        let w = &self.week;
        CalendarParams {
            time_zone: self.zone.clone(),
            week: WeekParams {
                mon: day(&w[0]),
                tue: day(&w[1]),
                wed: day(&w[2]),
                thu: day(&w[3]),
                fri: day(&w[4]),
                sat: day(&w[5]),
                sun: day(&w[6]),
            },
            holidays: self.holidays.iter().copied().collect(),
            workdays: self.workdays.iter().copied().collect(),
        }
    }

    /// The IANA zone name.
    pub fn zone_name(&self) -> &str {
        &self.zone
    }

    /// The zone's UTC offset.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// The instant in the calendar's zone (same instant, the calendar's offset).
    pub fn localize(&self, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.offset)
    }

    /// The local date of an instant in the calendar's zone.
    pub fn local_date(&self, t: DateTime<FixedOffset>) -> NaiveDate {
        self.local(t).date()
    }

    fn local(&self, t: DateTime<FixedOffset>) -> NaiveDateTime {
        t.with_timezone(&self.offset).naive_local()
    }

    fn instant(&self, local: NaiveDateTime) -> DateTime<FixedOffset> {
        DateTime::from_naive_utc_and_offset(local - TimeDelta::seconds(i64::from(self.offset.local_minus_utc())), self.offset)
    }

    /// True for a listed holiday.
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.contains(&d)
    }

    /// True for a listed make-up working day.
    pub fn is_makeup_workday(&self, d: NaiveDate) -> bool {
        self.workdays.contains(&d)
    }

    /// The working spans of a date: none on a holiday, Monday's on a make-up working day,
    /// otherwise its weekday's.
    pub fn hours_on(&self, d: NaiveDate) -> &[Span] {
        if self.holidays.contains(&d) {
            &[]
        } else if self.workdays.contains(&d) {
            &self.week[0]
        } else {
            &self.week[d.weekday().num_days_from_monday() as usize]
        }
    }

    /// True when the date has working hours.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !self.hours_on(d).is_empty()
    }

    /// The working hours of one weekday.
    pub fn weekday_hours(&self, w: Weekday) -> &[Span] {
        &self.week[w.num_days_from_monday() as usize]
    }

    /// True when the calendar holds a holiday schedule for the year: at least one holiday
    /// or make-up working day dated in it. A deadline in an uncovered year is computed on
    /// the weekly hours alone, and the app says so.
    pub fn covers(&self, year: i32) -> bool {
        let (from, to) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
            (Some(a), Some(b)) => (a, b),
            _ => return false,
        };
        self.holidays.range(from..=to).next().is_some() || self.workdays.range(from..=to).next().is_some()
    }

    /// The years with a schedule ([`WorkCalendar::covers`]), ascending.
    pub fn covered_years(&self) -> Vec<i32> {
        let years: BTreeSet<i32> = self.holidays.iter().chain(&self.workdays).map(|d| d.year()).collect();
        years.into_iter().collect()
    }

    /// Holidays and make-up working days dated in one year, each sorted.
    pub fn schedule(&self, year: i32) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
        let of = |s: &BTreeSet<NaiveDate>| s.iter().copied().filter(|d| d.year() == year).collect();
        (of(&self.holidays), of(&self.workdays))
    }

    /// Working time between two instants: the total overlap of `[from, to)` with the
    /// working spans, in the calendar's zone. Zero when `to <= from`.
    pub fn business_time(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> TimeDelta {
        if to <= from {
            return TimeDelta::zero();
        }
        let (a, b) = (self.local(from), self.local(to));
        let mut total = TimeDelta::zero();
        let mut d = a.date();
        while d <= b.date() {
            let midnight = d.and_time(chrono::NaiveTime::MIN);
            for s in self.hours_on(d) {
                let lo = (midnight + TimeDelta::seconds(i64::from(s.start))).max(a);
                let hi = (midnight + TimeDelta::seconds(i64::from(s.end))).min(b);
                if hi > lo {
                    total += hi - lo;
                }
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        total
    }

    /// [`WorkCalendar::business_time`] in hours (milliseconds / 3,600,000).
    pub fn business_hours(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> f64 {
        duration_hours(self.business_time(from, to))
    }

    /// The earliest instant at which `amount` of working time has elapsed since `start`: a
    /// start outside working hours starts the clock at the next opening, and reaching the
    /// amount exactly at a closing gives that closing time (not the next opening). A zero
    /// amount gives `start`. `None` for a negative amount or beyond the dates chrono can
    /// hold. The result carries the calendar's offset.
    pub fn add_business_time(&self, start: DateTime<FixedOffset>, amount: TimeDelta) -> Option<DateTime<FixedOffset>> {
        if amount < TimeDelta::zero() {
            return None;
        }
        if amount.is_zero() {
            return Some(self.localize(start));
        }
        let a = self.local(start);
        let mut left = amount;
        let mut d = a.date();
        // `check` guarantees working hours in the week, and holidays are a finite list, so
        // the loop ends; the bound only guards chrono's date range.
        loop {
            let midnight = d.and_time(chrono::NaiveTime::MIN);
            for s in self.hours_on(d) {
                let lo = (midnight + TimeDelta::seconds(i64::from(s.start))).max(a);
                let hi = midnight + TimeDelta::seconds(i64::from(s.end));
                if hi > lo {
                    if left <= hi - lo {
                        return Some(self.instant(lo + left));
                    }
                    left -= hi - lo;
                }
            }
            d = d.succ_opt()?;
        }
    }

    /// [`WorkCalendar::add_business_time`] with the amount in (possibly fractional) hours,
    /// rounded to the millisecond. `None` for a negative or non-finite amount.
    pub fn add_business_hours(&self, start: DateTime<FixedOffset>, hours: f64) -> Option<DateTime<FixedOffset>> {
        self.add_business_time(start, hours_duration(hours)?)
    }

    /// The next instant at or after `t` that lies in working time (the start of the clock
    /// for a complaint received outside working hours).
    pub fn next_opening(&self, t: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        let a = self.local(t);
        let mut d = a.date();
        loop {
            let midnight = d.and_time(chrono::NaiveTime::MIN);
            for s in self.hours_on(d) {
                let lo = (midnight + TimeDelta::seconds(i64::from(s.start))).max(a);
                if midnight + TimeDelta::seconds(i64::from(s.end)) > lo {
                    return Some(self.instant(lo));
                }
            }
            d = d.succ_opt()?;
        }
    }
}

/// Hours as a duration rounded to the millisecond; `None` when negative or not finite.
pub fn hours_duration(hours: f64) -> Option<TimeDelta> {
    if !hours.is_finite() || hours < 0.0 || hours > 1e9 {
        return None;
    }
    Some(TimeDelta::milliseconds((hours * 3_600_000.0).round() as i64))
}

/// A duration in hours (whole milliseconds / 3,600,000).
pub fn duration_hours(d: TimeDelta) -> f64 {
    d.num_milliseconds() as f64 / 3_600_000.0
}
