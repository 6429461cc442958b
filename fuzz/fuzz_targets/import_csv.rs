//! Any bytes through the text import paths (see `harness::import_text`): decode → CSV/TSV
//! table → importer (every record kind) → export. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| clientscope_core::harness::import_text(data));
