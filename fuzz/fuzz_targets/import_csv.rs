//! Any bytes through the text import path: decode → CSV table → mapping → importer (all
//! five kinds) → export. Must never panic.
#![no_main]

use clientscope_core::io::import::{import_table, ImportContext, MergeRule};
use clientscope_core::io::{read_table, suggest, to_csv, CsvEncoding, FileFormat, ImportKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = read_table(data.to_vec(), Some(FileFormat::Csv), None, None) else { return };
    for kind in ImportKind::ALL {
        let mapping = suggest(kind, &table.headers);
        let ctx = ImportContext { customers: &[], survey: None, now: Default::default(), id_prefix: "f-".into(), merge: MergeRule::Update };
        if let Ok(mut out) = import_table(kind, &table, &mapping, ctx) {
            out.resolve_unknown(clientscope_core::io::import::UnknownChoice::Create);
        }
    }
    let _ = to_csv(&table.headers, &table.rows, CsvEncoding::Gbk);
});
