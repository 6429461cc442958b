//! The service clocks on the command line (issue 11 §5):
//!
//! - `calendar --year YYYY [--calendar CAL.json] [--json]`: the holidays and make-up
//!   working days of a year, from the built-in official mainland-China schedule or from a
//!   calendar file: `{"year":…,"time_zone":…,"covered":…,"holidays":[dates],"workdays":[dates]}`.
//! - `sla --start RFC3339 --hours H [--calendar CAL.json] [--json]`: the instant at which H
//!   business hours have elapsed, in the calendar's zone: `{"deadline":…,"start":…,
//!   "clock_starts":…,"hours":…,"time_zone":…,"unscheduled_year":…}`. The start may carry
//!   any offset or `Z`; H may be fractional.
//! - `complaints --events AUDIT.csv [--calendar CAL.json] [--policy POLICY.json]
//!   [--customers N] --as-of RFC3339 [--json]`: the complaint analysis as of the instant
//!   (`clientscope_core::service::complaints::ComplaintReport`, plus the unreadable rows as
//!   `issues`); refused events are listed in `rejected` with their file row.
//!
//! Without `--calendar` the default calendar is used (Asia/Shanghai, Mon-Fri 09-12 and
//! 13-18, built-in holidays); without `--policy` the default SLA policy (general 8/40,
//! major 2/16 business hours). Exit code 2 for input that cannot be read, 1 when the audit
//! file had unreadable rows or refused events (the analysis is still printed), else 0.

use clientscope_core::model::Language;
use clientscope_core::service::calendar::{china, WorkCalendar};
use clientscope_core::service::complaints::{analyse, read_audit, ComplaintParams, SlaPolicy};
use chrono::{DateTime, Datelike, FixedOffset};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `calendar`.
#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    /// The year.
    #[arg(long)]
    year: i32,
    /// A calendar file (JSON) instead of the built-in schedule.
    #[arg(long)]
    calendar: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `sla`.
#[derive(Debug, clap::Args)]
pub struct SlaArgs {
    /// Start instant, RFC 3339 with an offset or Z.
    #[arg(long)]
    start: String,
    /// Business hours (may be fractional).
    #[arg(long)]
    hours: f64,
    /// Calendar file (JSON); default: Asia/Shanghai with the built-in holidays.
    #[arg(long)]
    calendar: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `complaints`.
#[derive(Debug, clap::Args)]
pub struct ComplaintsArgs {
    /// The audit trail CSV (complaint_id,customer_id,category,severity,event,at,by,note[,…]).
    #[arg(long)]
    events: PathBuf,
    /// Calendar file (JSON).
    #[arg(long)]
    calendar: Option<PathBuf>,
    /// SLA policy file (JSON): {"general":{"confirm_hours":8,"resolve_hours":40},"major":{…}}.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Number of customers, for complaints per 100 customers.
    #[arg(long)]
    customers: Option<usize>,
    /// The instant of the analysis (RFC 3339).
    #[arg(long)]
    as_of: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn load_calendar(path: Option<&PathBuf>) -> Result<WorkCalendar, String> {
    match path {
        None => Ok(WorkCalendar::china()),
        Some(p) => WorkCalendar::from_json(&read(p)?).map_err(|e| format!("{}: {}", p.display(), e.message(Language::En))),
    }
}

fn instant(flag: &str, s: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s.trim()).map_err(|e| format!("{flag} {s}: not an RFC 3339 instant with an offset ({e})"))
}

/// Prints pretty JSON; a closed pipe (`| head`) is not an error worth a panic.
fn print(json: &serde_json::Value) -> Result<(), String> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(json).map_err(|e| e.to_string())?;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    Ok(())
}

/// Runs `calendar`.
pub fn run_calendar(a: &CalendarArgs) -> Result<ExitCode, String> {
    let (zone, covered, holidays, workdays) = match &a.calendar {
        Some(_) => {
            let cal = load_calendar(a.calendar.as_ref())?;
            let (h, w) = cal.schedule(a.year);
            (cal.zone_name().to_string(), cal.covers(a.year), h, w)
        }
        None => match china::year(a.year) {
            Some((h, w)) => (WorkCalendar::china().zone_name().to_string(), true, h, w),
            None => (WorkCalendar::china().zone_name().to_string(), false, vec![], vec![]),
        },
    };
    let dates = |d: &[chrono::NaiveDate]| d.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    if a.json {
        print(&json!({"year": a.year, "time_zone": zone, "covered": covered, "holidays": dates(&holidays), "workdays": dates(&workdays)}))?;
    } else {
        println!("{} {zone}{}", a.year, if covered { "" } else { " (no holiday schedule for this year)" });
        println!("holidays ({}): {}", holidays.len(), dates(&holidays).join(" "));
        println!("make-up working days ({}): {}", workdays.len(), dates(&workdays).join(" "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `sla`.
pub fn run_sla(a: &SlaArgs) -> Result<ExitCode, String> {
    let cal = load_calendar(a.calendar.as_ref())?;
    let start = instant("--start", &a.start)?;
    let deadline = cal.add_business_hours(start, a.hours).ok_or_else(|| format!("--hours {}: not a non-negative number of hours", a.hours))?;
    let opening = cal.next_opening(start);
    let year = deadline.with_timezone(&cal.offset()).year();
    let unscheduled = (!cal.covers(year)).then_some(year);
    if a.json {
        print(&json!({
            "deadline": deadline.to_rfc3339(),
            "start": cal.localize(start).to_rfc3339(),
            "clock_starts": opening.map(|o| o.to_rfc3339()),
            "hours": a.hours,
            "time_zone": cal.zone_name(),
            "unscheduled_year": unscheduled,
        }))?;
    } else {
        println!("{}", deadline.to_rfc3339());
        if let Some(y) = unscheduled {
            eprintln!("note: the calendar has no holiday schedule for {y}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `complaints`.
pub fn run_complaints(a: &ComplaintsArgs) -> Result<ExitCode, String> {
    let cal = load_calendar(a.calendar.as_ref())?;
    let policy = match &a.policy {
        None => SlaPolicy::default(),
        Some(p) => SlaPolicy::from_json(&read(p)?).map_err(|e| format!("{}: {}", p.display(), e.message(Language::En)))?,
    };
    let as_of = instant("--as-of", &a.as_of)?;
    let file = read_audit(&read(&a.events)?).map_err(|e| format!("{}: {}", a.events.display(), e.message(Language::En)))?;
    let mut report = analyse(&file.complaints, &ComplaintParams { calendar: &cal, policy: &policy, as_of, customers: a.customers, segments: None });
    for r in &mut report.rejected {
        r.row = file.row_of(&r.complaint_id, r.event_index);
    }
    let problems = !file.issues.is_empty() || !report.rejected.is_empty();
    if a.json {
        let mut v = serde_json::to_value(&report).map_err(|e| e.to_string())?;
        let issues: Vec<serde_json::Value> = file
            .issues
            .iter()
            .map(|i| json!({"row": i.row, "column": i.column, "what": i.what.message(Language::En), "code": i.what}))
            .collect();
        if let Some(o) = v.as_object_mut() {
            o.insert("issues".into(), issues.into());
        }
        print(&v)?;
    } else {
        let pct = |x: Option<f64>| x.map(|v| format!("{:.1} %", v * 100.0)).unwrap_or_else(|| "-".into());
        println!("complaints {} as of {}", report.complaints, report.as_of.to_rfc3339());
        println!("on-time confirmation {}, on-time resolution {}", pct(report.confirm_on_time_rate), pct(report.resolve_on_time_rate));
        let h = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into());
        println!("resolution hours: mean {}, median {}, p90 {}", h(report.resolve_hours.mean), h(report.resolve_hours.median), h(report.resolve_hours.p90));
        println!("repeat {}, overdue confirmation {:?}, overdue resolution {:?}", report.repeat, report.overdue_confirm, report.overdue_resolve);
        for i in &file.issues {
            eprintln!("row {}: {} {}", i.row, i.column, i.what.message(Language::En));
        }
        for r in &report.rejected {
            eprintln!("row {}: complaint {}: {}", r.row.map(|x| x.to_string()).unwrap_or_default(), r.complaint_id, r.reason);
        }
    }
    Ok(if problems { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
