//! Claims CSV reader: any bytes give rows or an error naming a line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recouvre_formats::claims_csv::{ReadOptions, read_claims};

fuzz_target!(|data: &[u8]| {
    if let Err(e) = read_claims("fuzz.csv", data, &ReadOptions::default()) {
        assert!(e.line >= 1);
    }
});
