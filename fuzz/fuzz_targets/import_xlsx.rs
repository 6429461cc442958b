//! Any bytes through the workbook import paths (see `harness::import_workbook`): the
//! `.xlsx` check, calamine (xlsx/xls) → table → importer, the pull reader the wizard uses
//! (`table::Workbook::rows`, every sheet) → importer. Must never panic. Seed the corpus
//! with real workbooks for depth (see fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| clientscope_core::harness::import_workbook(data));
