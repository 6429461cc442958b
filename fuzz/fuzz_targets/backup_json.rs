//! Any bytes as a backup file (`clientscope_core::backup::parse`), as the Data page reads
//! it, then plan/apply/export/parse again (see `harness::backup_json`). Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| clientscope_core::harness::backup_json(data));
