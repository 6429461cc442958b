//! `clientscope-cli import-check`: runs the app's import pipeline (decoding, mapping
//! suggestions, value parsing, validation) on a file and prints the report.
//!
//! With `--json` it prints exactly
//! `{"encoding", "mapping", "rows", "accepted", "rejected": [{"row", "column", "value",
//! "reason"}], "records"}` (issue 3). There are no stored customers on the command line, so
//! order lines and responses whose customer is not in the file are accepted with a newly
//! created customer id (the wizard's "create the unknown customers" choice).

use clientscope_core::io::import::{import_table, ImportContext, MergeRule, UnknownChoice};
use clientscope_core::io::{read_table, suggest, FileFormat, ImportKind};
use clientscope_core::model::Language;
use serde_json::{json, Value};
use std::path::Path;
use std::process::ExitCode;

/// Runs the check; `Err` is a message for a file that cannot be read at all.
pub fn run(kind: &str, file: &Path, as_json: bool, lang: Language) -> Result<ExitCode, String> {
    let kind = ImportKind::from_name(kind).ok_or_else(|| format!("unknown kind {kind}"))?;
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let format = FileFormat::from_name(name);
    let table = read_table(bytes, format, None, None).map_err(|e| format!("{}: {}", file.display(), e.message(lang)))?;
    let mapping = suggest(kind, &table.headers);
    let ctx = ImportContext {
        customers: &[],
        survey: None,
        now: chrono::Utc::now(),
        id_prefix: "imp-".into(),
        merge: MergeRule::Update,
    };
    let mut out = import_table(kind, &table, &mapping, ctx).map_err(|e| format!("{}: {}", file.display(), e.message(lang, kind)))?;
    out.resolve_unknown(UnknownChoice::Create);
    let records: Vec<Value> = match kind {
        ImportKind::Customers => out.added.customers.iter().chain(&out.updated).map(to_value).collect(),
        ImportKind::Orders => out.added.orders.iter().map(to_value).collect(),
        ImportKind::Contacts => out.added.contacts.iter().map(to_value).collect(),
        ImportKind::Responses => out.added.responses.iter().map(to_value).collect(),
        ImportKind::Complaints => out.added.complaints.iter().map(to_value).collect(),
        ImportKind::Interactions => out.added.interactions.iter().map(to_value).collect(),
    };
    let encoding = table.encoding.clone().unwrap_or_else(|| if name.to_lowercase().ends_with(".xls") { "xls".into() } else { "xlsx".into() });
    if as_json {
        let rejected: Vec<Value> = out
            .rejected
            .iter()
            .map(|r| json!({"row": r.row, "column": r.column, "value": r.value, "reason": r.reason.get(lang)}))
            .collect();
        let report = json!({
            "encoding": encoding,
            "mapping": mapping.fields,
            "rows": out.rows,
            "accepted": records.len(),
            "rejected": rejected,
            "records": records,
        });
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else {
        let zh = lang == Language::ZhCn;
        if zh {
            println!("{}：编码 {encoding},{} 行数据，接受 {}，拒绝 {} 行", file.display(), out.rows, records.len(), out.rejected_rows);
        } else {
            println!("{}: encoding {encoding}, {} data rows, {} accepted, {} rows rejected", file.display(), out.rows, records.len(), out.rejected_rows);
        }
        for (field, header) in &mapping.fields {
            println!("  {field} ← {header}");
        }
        for r in &out.rejected {
            println!("  #{} [{}] “{}”: {}", r.row, r.column, r.value, r.reason.get(lang));
        }
    }
    Ok(if out.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn to_value<T: serde::Serialize>(r: &T) -> Value {
    serde_json::to_value(r).unwrap_or(Value::Null)
}
