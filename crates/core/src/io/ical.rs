//! Planned visits as an iCalendar file for the phone's calendar (RFC 5545; issue 11 §3).
//!
//! What a calendar app needs to import the file the same way every time:
//! - `VERSION:2.0`, `PRODID`, `CALSCALE:GREGORIAN`, `METHOD:PUBLISH`;
//! - one `VTIMEZONE` for the calendar's zone (Asia/Shanghai by default: a single
//!   `STANDARD` observance from 1970 with `TZOFFSETFROM`/`TZOFFSETTO` +0800 and `TZNAME`
//!   CST, exact because the zone has had no daylight saving since 1991), and every
//!   `DTSTART`/`DTEND` as local time with `TZID` (§3.3.5 form 3), never floating. A visit
//!   planned for a day without a time is an all-day event (`VALUE=DATE`, end the next day);
//! - `UID` = interaction id `@` a domain: the same visit keeps its UID across exports, so a
//!   re-import updates instead of duplicating; `SEQUENCE` = the interaction's `sequence`,
//!   which [`crate::service::visits::reschedule`] raises when the time changes (§3.8.7.4);
//!   `DTSTAMP` = the export instant in UTC;
//! - `SUMMARY` = the purpose 何事, `DESCRIPTION` = the five elements 五要素 one per line
//!   (then the customer), `LOCATION`;
//! - TEXT values escaped (§3.3.11: `\` → `\\`, `;` → `\;`, `,` → `\,`, line break → `\n`;
//!   other control characters, which TEXT may not hold, are dropped);
//! - content lines folded at 75 octets (§3.1): a continuation line starts with one space,
//!   and a fold never splits a UTF-8 character (a Chinese character is 3 octets); every
//!   line ends in CRLF.
//!
//! Only planned interactions are written; done and cancelled ones are left out.

use crate::model::{Interaction, InteractionStatus, Language, Timestamp};
use crate::service::visits::SHANGHAI;
use chrono::{FixedOffset, TimeDelta};

/// Longest content line in octets, without its CRLF (RFC 5545 §3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// A fixed-offset time zone as written in the `VTIMEZONE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsZone {
    /// `TZID` (an IANA name, e.g. `Asia/Shanghai`).
    pub tzid: String,
    /// The zone's constant UTC offset.
    pub offset: FixedOffset,
    /// `TZNAME` (`CST`).
    pub tzname: String,
}

impl Default for IcsZone {
    fn default() -> Self {
        IcsZone { tzid: "Asia/Shanghai".into(), offset: SHANGHAI, tzname: "CST".into() }
    }
}

/// What an export needs besides the visits.
#[derive(Debug, Clone, PartialEq)]
pub struct IcsParams {
    /// The domain part of every UID (`clientscope.invalid` by default: the reserved
    /// `.invalid` top-level domain of RFC 2606 can never clash with another producer's).
    pub domain: String,
    /// The time zone of the local times.
    pub zone: IcsZone,
    /// The export instant (`DTSTAMP`).
    pub stamp: Timestamp,
    /// Duration of a visit without one, in minutes.
    pub default_duration_min: u32,
    /// Only this owner's visits (`None`: everyone's).
    pub owner: Option<String>,
    /// Language of the labels in `DESCRIPTION`.
    pub lang: Language,
}

impl IcsParams {
    /// Asia/Shanghai, 60-minute default, every owner, Chinese labels, stamped `stamp`.
    pub fn new(stamp: Timestamp) -> IcsParams {
        IcsParams { domain: "clientscope.invalid".into(), zone: IcsZone::default(), stamp, default_duration_min: 60, owner: None, lang: Language::ZhCn }
    }
}

/// The product identifier written as `PRODID`.
pub const PRODID: &str = "-//Clientscope//Clientscope Visits//ZH";

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\`, `;` and `,` get a backslash, a line
/// break (CRLF, LF or CR) becomes `\n`, other control characters but tab are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape_text`] (`\n` and `\N` become LF).
pub fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Folds one content line (without line break) into physical lines of at most
/// [`MAX_LINE_OCTETS`] octets, each continuation starting with a space, never splitting a
/// UTF-8 character, each ending in CRLF; appends them to `out`.
pub fn fold_line(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The leading space of a continuation line counts towards its 75 octets.
        limit = MAX_LINE_OCTETS - 1;
    }
}

/// Unfolds iCalendar text (RFC 5545 §3.1): removes every CRLF followed by one space or tab.
pub fn unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

fn utc_stamp(t: Timestamp) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The iCalendar file of the planned interactions among `interactions` (optionally one
/// owner's), sorted by start then id. `customer_name` gives the customer's name for the
/// description (`None`: its id is written).
pub fn write_ics(interactions: &[Interaction], customer_name: &dyn Fn(&str) -> Option<String>, p: &IcsParams) -> String {
    let mut out = String::new();
    let mut line = |s: &str| fold_line(s, &mut out);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    let tzid = escape_param(&p.zone.tzid);
    let off = offset_text(p.zone.offset);
    line("BEGIN:VTIMEZONE");
    line(&format!("TZID:{tzid}"));
    line("BEGIN:STANDARD");
    line("DTSTART:19700101T000000");
    line(&format!("TZOFFSETFROM:{off}"));
    line(&format!("TZOFFSETTO:{off}"));
    line(&format!("TZNAME:{}", escape_text(&p.zone.tzname)));
    line("END:STANDARD");
    line("END:VTIMEZONE");
    let mut planned: Vec<&Interaction> = interactions
        .iter()
        .filter(|i| i.status == InteractionStatus::Planned && p.owner.as_deref().is_none_or(|o| i.owner == o))
        .collect();
    planned.sort_by(|a, b| {
        let key = |i: &Interaction| i.start.map_or_else(|| i.date.and_hms_opt(0, 0, 0).unwrap_or_default(), |s| s.naive_utc());
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    let zh = p.lang == Language::ZhCn;
    for i in planned {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&format!("{}@{}", i.id, p.domain))));
        line(&format!("SEQUENCE:{}", i.sequence));
        line(&format!("DTSTAMP:{}", utc_stamp(p.stamp)));
        let when = match i.start {
            Some(s) => {
                let start = s.with_timezone(&p.zone.offset);
                let end = start + TimeDelta::minutes(i64::from(i.duration_min.unwrap_or(p.default_duration_min)));
                line(&format!("DTSTART;TZID={tzid}:{}", start.format("%Y%m%dT%H%M%S")));
                line(&format!("DTEND;TZID={tzid}:{}", end.format("%Y%m%dT%H%M%S")));
                if end.date_naive() == start.date_naive() {
                    format!("{} {}-{}", start.format("%Y-%m-%d"), start.format("%H:%M"), end.format("%H:%M"))
                } else {
                    format!("{} - {}", start.format("%Y-%m-%d %H:%M"), end.format("%Y-%m-%d %H:%M"))
                }
            }
            None => {
                let next = i.date.succ_opt().unwrap_or(i.date);
                line(&format!("DTSTART;VALUE=DATE:{}", i.date.format("%Y%m%d")));
                line(&format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
                i.date.format("%Y-%m-%d").to_string()
            }
        };
        let customer = customer_name(&i.customer_id).unwrap_or_else(|| i.customer_id.clone());
        let summary = if i.purpose.trim().is_empty() { customer.clone() } else { i.purpose.clone() };
        line(&format!("SUMMARY:{}", escape_text(&summary)));
        let labels: [&str; 6] = if zh {
            ["何时", "何事", "何人", "何种方法", "何种理由", "客户"]
        } else {
            ["When", "Purpose", "Who", "Method", "Reason", "Customer"]
        };
        let sep = if zh { ":" } else { ": " };
        let values = [when.as_str(), i.purpose.as_str(), i.who.as_str(), i.method.as_str(), i.reason.as_str(), customer.as_str()];
        // Each element on one line: line breaks inside an element become spaces.
        let description: Vec<String> = labels.iter().zip(values).map(|(l, v)| format!("{l}{sep}{}", one_line(v))).collect();
        line(&format!("DESCRIPTION:{}", escape_text(&description.join("\n"))));
        if !i.location.trim().is_empty() {
            line(&format!("LOCATION:{}", escape_text(&i.location)));
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

fn one_line(s: &str) -> String {
    s.split(['\r', '\n']).map(str::trim).filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `+0800` / `-0330`.
fn offset_text(o: FixedOffset) -> String {
    let secs = o.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.unsigned_abs() / 60;
    format!("{sign}{:02}{:02}", m / 60, m % 60)
}

/// A parameter value (TZID): quoted when it holds `:`, `;` or `,`; `"` and controls dropped.
fn escape_param(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) { format!("\"{clean}\"") } else { clean }
}

#[cfg(test)]
mod tests;
