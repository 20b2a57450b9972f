//! Fuzz target: the auto reader must return Ok or a located Err on any input, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiftwatch::io::{read_reader, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    for lenient in [false, true] {
        let opts = ReadOptions {
            format: Format::Auto,
            lenient,
            ..ReadOptions::default()
        };
        if let Ok(d) = read_reader(data, "fuzz", &opts) {
            for s in &d.series {
                assert_eq!(s.timestamps_ms.len(), s.values.len());
                assert!(s.timestamps_ms.windows(2).all(|w| w[0] < w[1]));
            }
        }
    }
});
