//! Fuzz target: `shiftwatch detect` argument parsing + input path (see cli_common.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "cli_common.rs"]
mod cli_common;

fuzz_target!(|data: &[u8]| cli_common::run_command("detect", data));
