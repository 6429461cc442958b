//! `clientscope-cli visits-ics (--backup FILE.json | --interactions FILE.csv) [--owner NAME]
//! --out FILE.ics`: the planned visits as an iCalendar file for a phone (issue 11 §5).
//!
//! From a backup, the visits are its interactions with status planned, times in the zone of
//! the backup's working calendar, customers named by their names. From a visit-log CSV (the
//! import form `customer_id,start,end,kind,status,purpose,who,method,reason,owner,location`),
//! local times are read in Asia/Shanghai (+08:00) and customers are named by their id; a
//! row without a `status` is done, so a plan file says `planned`. Rows the import refuses
//! are listed on stderr and give exit code 1; the file is written with the good ones.
//! `--stamp` fixes `DTSTAMP` (default: now) so that two runs give the same file.

use clientscope_core::backup;
use clientscope_core::io::ical::{write_ics, IcsParams, IcsZone};
use clientscope_core::io::{read_table, visits, FileFormat};
use clientscope_core::model::{Interaction, InteractionStatus, Language, Timestamp};
use clientscope_core::service::visits::SHANGHAI;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `visits-ics`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["backup", "interactions"])))]
pub struct VisitsIcsArgs {
    /// A backup file of the app.
    #[arg(long)]
    backup: Option<PathBuf>,
    /// A visit-log CSV (customer_id,start,end,kind,status,purpose,who,method,reason,owner,location).
    #[arg(long)]
    interactions: Option<PathBuf>,
    /// Only this account manager's visits.
    #[arg(long)]
    owner: Option<String>,
    /// The .ics file to write.
    #[arg(long)]
    out: PathBuf,
    /// DTSTAMP of every event (RFC 3339; default: now).
    #[arg(long)]
    stamp: Option<String>,
    /// Language of the labels in the description: zh or en.
    #[arg(long, default_value = "zh")]
    lang: String,
}

/// Runs the command; `Err` is a message for input that cannot be read at all.
pub fn run(args: &VisitsIcsArgs) -> Result<ExitCode, String> {
    let stamp: Timestamp = match &args.stamp {
        Some(s) => chrono::DateTime::parse_from_rfc3339(s).map_err(|e| format!("--stamp {s}: {e}"))?.to_utc(),
        None => chrono::Utc::now(),
    };
    let lang = if args.lang.eq_ignore_ascii_case("en") { Language::En } else { Language::ZhCn };
    let mut zone = IcsZone::default();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut rejected_rows = 0;
    let interactions: Vec<Interaction> = if let Some(path) = &args.backup {
        let size = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.len();
        backup::check_size(size).map_err(|e| format!("{}: {}", path.display(), e.message(lang)))?;
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let b = backup::parse_bytes(&bytes).map_err(|e| format!("{}: {}", path.display(), e.message(lang)))?;
        let cal = &b.settings.calendar;
        if cal.offset() != SHANGHAI || cal.zone_name() != zone.tzid {
            let secs = cal.offset().local_minus_utc();
            let m = secs.unsigned_abs() / 60;
            let tzname = format!("UTC{}{:02}{:02}", if secs < 0 { '-' } else { '+' }, m / 60, m % 60);
            zone = IcsZone { tzid: cal.zone_name().to_string(), offset: cal.offset(), tzname };
        }
        names = b.data.customers.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
        b.data.interactions
    } else if let Some(path) = &args.interactions {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let table = read_table(bytes, FileFormat::from_name(name), None, None).map_err(|e| format!("{}: {}", path.display(), e.message(lang)))?;
        let (xs, rejected) = visits::read_standalone(&table, SHANGHAI, stamp).map_err(|e| format!("{}: {}", path.display(), e.message(lang, clientscope_core::io::ImportKind::Interactions)))?;
        let mut rows: Vec<usize> = rejected.iter().map(|r| r.row).collect();
        rows.dedup();
        rejected_rows = rows.len();
        for r in &rejected {
            eprintln!("{}: row {}, column {:?}, value {:?}: {}", path.display(), r.row, r.column, r.value, r.reason.get(lang));
        }
        xs
    } else {
        return Err("give --backup FILE.json or --interactions FILE.csv".into());
    };
    let p = IcsParams { zone, owner: args.owner.clone(), lang, ..IcsParams::new(stamp) };
    let ics = write_ics(&interactions, &|id| names.get(id).cloned(), &p);
    std::fs::write(&args.out, ics.as_bytes()).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let written = interactions
        .iter()
        .filter(|i| i.status == InteractionStatus::Planned && args.owner.as_deref().is_none_or(|o| i.owner == o))
        .count();
    println!("{}: {written} planned visits", args.out.display());
    Ok(if rejected_rows > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
