//! Any bytes through the workbook import paths: calamine (xlsx/xls) → table → importer,
//! and the pull reader the app uses (`Workbook::rows`, every sheet) → importer. Must never
//! panic. Seed the corpus with real workbooks for depth (see fuzz/README.md).
#![no_main]

use clientscope_core::io::import::{import_table, ImportContext, Importer, MergeRule};
use clientscope_core::io::table::Workbook;
use clientscope_core::io::{read_table, suggest, FileFormat, ImportKind};
use libfuzzer_sys::fuzz_target;

fn ctx() -> ImportContext<'static> {
    ImportContext { customers: &[], survey: None, now: Default::default(), id_prefix: "f-".into(), merge: MergeRule::Update }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = read_table(data.to_vec(), Some(FileFormat::Xlsx), None, None) {
        let mapping = suggest(ImportKind::Orders, &table.headers);
        let _ = import_table(ImportKind::Orders, &table, &mapping, ctx());
    }
    let Ok(mut wb) = Workbook::open(data) else { return };
    let names = wb.sheet_names().to_vec();
    for name in names {
        let Ok(mut rows) = wb.rows(Some(&name)) else { continue };
        let mapping = suggest(ImportKind::Orders, rows.headers());
        let Ok(mut imp) = Importer::new(ImportKind::Orders, rows.headers(), &mapping, ctx()) else { continue };
        while let Ok(Some(r)) = rows.next_row() {
            imp.push(&r);
        }
        let _ = imp.finish();
    }
});
