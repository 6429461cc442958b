//! Any bytes through the workbook import path: calamine (xlsx/xls) → table → importer.
//! Must never panic. Seed the corpus with real workbooks for depth (see fuzz/README.md).
#![no_main]

use clientscope_core::io::import::{import_table, ImportContext, MergeRule};
use clientscope_core::io::{read_table, suggest, FileFormat, ImportKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = read_table(data.to_vec(), Some(FileFormat::Xlsx), None, None) else { return };
    let mapping = suggest(ImportKind::Orders, &table.headers);
    let ctx = ImportContext { customers: &[], survey: None, now: Default::default(), id_prefix: "f-".into(), merge: MergeRule::Update };
    let _ = import_table(ImportKind::Orders, &table, &mapping, ctx);
});
