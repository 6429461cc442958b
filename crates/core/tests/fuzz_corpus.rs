//! Every file of the minimised fuzz corpora (`tests/data/fuzz/<target>/`, made with
//! `cargo fuzz cmin`, see `fuzz/README.md`) through the same driver its fuzz target runs
//! (`clientscope_core::harness`), plus the parser alone: no panic, and the parser gives a
//! value or its typed error with a message in both languages. The crash cases found by
//! fuzzing are in these folders too, so they stay fixed.

use clientscope_core::harness;
use clientscope_core::model::Language;
use std::path::PathBuf;

/// The files of one target's corpus, sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());
    files.into_iter().map(|p| (p.file_name().unwrap_or_default().to_string_lossy().into_owned(), std::fs::read(&p).expect("corpus file"))).collect()
}

/// Runs `f` on every file and lists the files it panicked on (all of them, not only the
/// first).
fn no_panic(target: &str, f: impl Fn(&[u8])) {
    let mut failed = Vec::new();
    let files = corpus(target);
    for (name, data) in &files {
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(data))).is_err() {
            failed.push(name.clone());
        }
    }
    assert!(failed.is_empty(), "{target}: {} of {} corpus files panicked: {failed:?}", failed.len(), files.len());
}

fn both_languages(what: &str, zh: String, en: String) {
    assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{what}: an error without a message");
}

#[test]
fn backup_json_corpus() {
    no_panic("backup_json", |data| {
        harness::backup_json(data);
        if let Err(e) = clientscope_core::backup::parse(&String::from_utf8_lossy(data)) {
            both_languages("backup", e.message(Language::ZhCn), e.message(Language::En));
        }
    });
}

#[test]
fn calendar_json_corpus() {
    no_panic("calendar_json", |data| {
        harness::calendar_json(data);
        if let Err(e) = clientscope_core::service::calendar::WorkCalendar::from_json(&String::from_utf8_lossy(data)) {
            both_languages("calendar", e.message(Language::ZhCn), e.message(Language::En));
        }
    });
}

#[test]
fn audit_csv_corpus() {
    no_panic("audit_csv", |data| {
        harness::audit_csv(data);
        if let Err(e) = clientscope_core::service::complaints::read_audit(&String::from_utf8_lossy(data)) {
            both_languages("audit trail", e.message(Language::ZhCn), e.message(Language::En));
        }
    });
}

#[test]
fn import_csv_corpus() {
    no_panic("import_csv", |data| {
        harness::import_text(data);
        let r = clientscope_core::io::read_table(data.to_vec(), Some(clientscope_core::io::FileFormat::Csv), None, None);
        if let Err(e) = r {
            both_languages("CSV", e.message(Language::ZhCn), e.message(Language::En));
        }
    });
}

#[test]
fn import_xlsx_corpus() {
    no_panic("import_xlsx", |data| {
        harness::import_workbook(data);
        let r = clientscope_core::io::read_table(data.to_vec(), Some(clientscope_core::io::FileFormat::Xlsx), None, None);
        if let Err(e) = r {
            both_languages("workbook", e.message(Language::ZhCn), e.message(Language::En));
        }
    });
}
