//! The audit trail as CSV: one row per event, written by [`write_audit`] and read back by
//! [`read_audit`].
//!
//! Columns: the eight of issue 11 §2,
//! `complaint_id,customer_id,category,severity,event,at,by,note` (`at` RFC 3339 with its
//! offset, `severity` `general`/`major`, `event` as in the workflow table), followed by six
//! optional columns that carry what the eight cannot, so a file round-trips exactly:
//! - `owner`: the complaint's owner (first row of a complaint);
//! - `handling`: `local` or `special_team` (event `valid`; empty reads as `local`);
//! - `members`: special-team members separated by `;` (a `;` inside a name is written as
//!   the full-width `；`);
//! - `explanation`: the explanation of an `invalid` event (when empty or absent, the
//!   note is taken as the explanation, so an eight-column file can still record one);
//! - `result`, `satisfaction`: the follow-up result and satisfaction 1-5 of `followed_up`.
//!
//! The reader finds columns by header name (order free, the optional ones may be
//! missing), groups rows by `complaint_id` in order of first appearance, keeps each
//! complaint's events in file order, and takes customer, category and severity from a
//! complaint's first row. A row with an unreadable cell is left out and reported as a
//! [`AuditIssue`] (row, column, what); then every complaint's full history is replayed and
//! a refused event is reported in `rejected` (row, complaint id, reason). Rows are data
//! rows counted from 1 (the header is row 0), as in `crate::io`.

use super::analysis::RejectedEvent;
use super::state::replay;
use crate::model::{Complaint, ComplaintAction, ComplaintEvent, EventKind, Handling, Id, Language, Severity};
use chrono::DateTime;
use serde::Serialize;
use std::collections::HashMap;

/// The eight columns of the issue.
pub const AUDIT_COLUMNS: [&str; 8] = ["complaint_id", "customer_id", "category", "severity", "event", "at", "by", "note"];
/// The optional trailing columns the writer adds.
pub const AUDIT_EXTRA_COLUMNS: [&str; 6] = ["owner", "handling", "members", "explanation", "result", "satisfaction"];

/// Writes every event of the complaints, complaint by complaint, with the header of
/// [`AUDIT_COLUMNS`] and [`AUDIT_EXTRA_COLUMNS`], lines ending in `\n`.
pub fn write_audit(complaints: &[Complaint]) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let header: Vec<&str> = AUDIT_COLUMNS.iter().chain(AUDIT_EXTRA_COLUMNS.iter()).copied().collect();
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for c in complaints {
        for (i, e) in c.events.iter().enumerate() {
            let (mut handling, mut members, mut explanation, mut result, mut satisfaction) = (String::new(), String::new(), String::new(), String::new(), String::new());
            match &e.action {
                ComplaintAction::Valid { handling: h, members: m } => {
                    handling = h.name().to_string();
                    members = m.iter().map(|x| x.replace(';', "；")).collect::<Vec<_>>().join(";");
                }
                ComplaintAction::Invalid { explanation: x } => explanation = x.clone(),
                ComplaintAction::FollowedUp { result: r, satisfaction: s } => {
                    result = r.clone();
                    satisfaction = s.map(|v| v.to_string()).unwrap_or_default();
                }
                _ => {}
            }
            rows.push(vec![
                c.id.clone(),
                c.customer_id.clone(),
                c.category.clone(),
                c.severity.name().to_string(),
                e.action.kind().name().to_string(),
                e.at.to_rfc3339(),
                e.by.clone(),
                e.note.clone(),
                if i == 0 { c.owner.clone() } else { String::new() },
                handling,
                members,
                explanation,
                result,
                satisfaction,
            ]);
        }
    }
    for r in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// What is wrong with a cell of the audit file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AuditProblem {
    /// A required cell is empty.
    Missing,
    /// `at` is not RFC 3339 with an offset.
    BadTime,
    /// Not one of the event names.
    BadEvent,
    /// Not `general` or `major`.
    BadSeverity,
    /// Not `local` or `special_team`.
    BadHandling,
    /// Not a whole number 1-5.
    BadSatisfaction,
    /// The row has another number of cells than the header.
    BadRow,
}

impl AuditProblem {
    /// A sentence fragment for the user.
    pub fn message(&self, lang: Language) -> &'static str {
        let zh = lang == Language::ZhCn;
        match self {
            AuditProblem::Missing => if zh { "不能为空" } else { "is empty" },
            AuditProblem::BadTime => if zh { "不是带时差的 RFC 3339 时间（如 2026-03-02T09:30:00+08:00)" } else { "is not an RFC 3339 time with an offset (2026-03-02T09:30:00+08:00)" },
            AuditProblem::BadEvent => if zh { "不是有效的事件名（received、confirmed、valid……)" } else { "is not an event name (received, confirmed, valid…)" },
            AuditProblem::BadSeverity => if zh { "应为 general 或 major" } else { "is not general or major" },
            AuditProblem::BadHandling => if zh { "应为 local 或 special_team" } else { "is not local or special_team" },
            AuditProblem::BadSatisfaction => if zh { "应为 1 至 5 的整数" } else { "is not a whole number from 1 to 5" },
            AuditProblem::BadRow => if zh { "列数与表头不一致" } else { "has another number of cells than the header" },
        }
    }
}

/// An unreadable row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditIssue {
    /// Data row (header = 0).
    pub row: usize,
    /// Column name (empty for the whole row).
    pub column: String,
    /// What is wrong.
    pub what: AuditProblem,
}

/// Why an audit file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// Required columns are missing from the header.
    #[error("the header lacks the columns {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    /// The file is not CSV.
    #[error("not a CSV file: {0}")]
    Csv(String),
}

impl AuditError {
    /// A full sentence for the user.
    pub fn message(&self, lang: Language) -> String {
        match (self, lang == Language::ZhCn) {
            (AuditError::MissingColumns(c), true) => format!("表头缺少列：{}。", c.join("、")),
            (AuditError::MissingColumns(c), false) => format!("The header lacks the columns {}.", c.join(", ")),
            // The CSV reader's own words are left out (English, about its internals).
            (AuditError::Csv(_), true) => "不是有效的 CSV 文件，无法读取表头。".into(),
            (AuditError::Csv(_), false) => "Not a valid CSV file: its header cannot be read.".into(),
        }
    }
}

/// What [`read_audit`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRead {
    /// The complaints with every readable event, in order of first appearance.
    pub complaints: Vec<Complaint>,
    /// For each complaint, the data row of each of its events.
    pub rows: Vec<Vec<usize>>,
    /// Unreadable rows (left out).
    pub issues: Vec<AuditIssue>,
    /// Events the state machine refuses over each complaint's full history.
    pub rejected: Vec<RejectedEvent>,
}

impl AuditRead {
    /// The data row of a complaint's event.
    pub fn row_of(&self, complaint_id: &str, event_index: usize) -> Option<usize> {
        let i = self.complaints.iter().position(|c| c.id == complaint_id)?;
        self.rows.get(i)?.get(event_index).copied()
    }
}

/// Reads an audit trail CSV (UTF-8, optional BOM); see the module head for the rules.
pub fn read_audit(text: &str) -> Result<AuditRead, AuditError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rd = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let header: Vec<String> = rd.headers().map_err(|e| AuditError::Csv(e.to_string()))?.iter().map(|h| h.trim().to_string()).collect();
    let col: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    let missing: Vec<String> = AUDIT_COLUMNS.iter().filter(|c| !col.contains_key(*c)).map(|c| c.to_string()).collect();
    if !missing.is_empty() {
        return Err(AuditError::MissingColumns(missing));
    }
    let mut complaints: Vec<Complaint> = Vec::new();
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<Id, usize> = HashMap::new();
    let mut issues = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let row = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return Err(AuditError::Csv(e.to_string())),
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            issues.push(AuditIssue { row, column: String::new(), what: AuditProblem::BadRow });
            continue;
        }
        let get = |name: &str| col.get(name).and_then(|&i| rec.get(i)).unwrap_or("");
        let mut bad = |column: &str, what| issues.push(AuditIssue { row, column: column.into(), what });
        let id = get("complaint_id").trim().to_string();
        if id.is_empty() {
            bad("complaint_id", AuditProblem::Missing);
            continue;
        }
        let kind = EventKind::parse(get("event"));
        let at = DateTime::parse_from_rfc3339(get("at").trim()).ok();
        let severity = match get("severity").trim() {
            "" | "general" => Some(Severity::General),
            "major" => Some(Severity::Major),
            _ => None,
        };
        let handling = match get("handling").trim() {
            "" | "local" => Some(Handling::Local),
            "special_team" => Some(Handling::SpecialTeam),
            _ => None,
        };
        let satisfaction = match get("satisfaction").trim() {
            "" => Some(None),
            s => s.parse::<u8>().ok().filter(|v| (1..=5).contains(v)).map(Some),
        };
        let mut ok = true;
        for (column, problem, fine) in [
            ("event", AuditProblem::BadEvent, kind.is_some()),
            ("at", AuditProblem::BadTime, at.is_some()),
            ("severity", AuditProblem::BadSeverity, severity.is_some()),
            ("handling", AuditProblem::BadHandling, handling.is_some()),
            ("satisfaction", AuditProblem::BadSatisfaction, satisfaction.is_some()),
        ] {
            if !fine {
                bad(column, problem);
                ok = false;
            }
        }
        let (Some(kind), Some(at), Some(severity), Some(handling), Some(satisfaction), true) = (kind, at, severity, handling, satisfaction, ok) else { continue };
        let note = get("note").to_string();
        let action = match kind {
            EventKind::Received => ComplaintAction::Received,
            EventKind::Confirmed => ComplaintAction::Confirmed,
            EventKind::Valid => ComplaintAction::Valid {
                handling,
                members: get("members").split(';').map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect(),
            },
            EventKind::Invalid => {
                let x = get("explanation");
                ComplaintAction::Invalid { explanation: if x.trim().is_empty() { note.clone() } else { x.to_string() } }
            }
            EventKind::Waiting => ComplaintAction::Waiting,
            EventKind::Resumed => ComplaintAction::Resumed,
            EventKind::Resolved => ComplaintAction::Resolved,
            EventKind::Reopened => ComplaintAction::Reopened,
            EventKind::FollowedUp => ComplaintAction::FollowedUp { result: get("result").to_string(), satisfaction },
            EventKind::Closed => ComplaintAction::Closed,
            EventKind::Note => ComplaintAction::Note,
        };
        let event = ComplaintEvent { action, at, by: get("by").to_string(), note };
        let k = *index.entry(id.clone()).or_insert_with(|| {
            let t = at.to_utc();
            complaints.push(Complaint {
                id: id.clone(),
                customer_id: get("customer_id").trim().to_string(),
                channel: String::new(),
                category: get("category").trim().to_string(),
                description: String::new(),
                severity,
                owner: get("owner").trim().to_string(),
                events: vec![],
                created_at: t,
                updated_at: t,
            });
            rows.push(vec![]);
            complaints.len() - 1
        });
        let c = &mut complaints[k];
        c.updated_at = c.updated_at.max(at.to_utc());
        c.events.push(event);
        rows[k].push(row);
    }
    let mut rejected = Vec::new();
    for (c, r) in complaints.iter().zip(&rows) {
        if let Err(x) = replay(&c.events) {
            let mut e = RejectedEvent::new(&c.id, x.index, x.error);
            e.row = r.get(x.index).copied();
            rejected.push(e);
        }
    }
    Ok(AuditRead { complaints, rows, issues, rejected })
}
