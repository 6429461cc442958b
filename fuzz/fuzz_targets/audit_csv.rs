//! Any bytes as the complaint audit-trail CSV (`service::complaints::read_audit`), then
//! round trip and analysis (see `harness::audit_csv`). Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| clientscope_core::harness::audit_csv(data));
