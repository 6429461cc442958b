//! Any bytes as the working-calendar JSON (`service::calendar::WorkCalendar::from_json`),
//! then round trip and business-time arithmetic (see `harness::calendar_json`). Must never
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| clientscope_core::harness::calendar_json(data));
