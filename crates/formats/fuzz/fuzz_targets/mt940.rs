//! MT940 reader: any bytes give statements or an error naming a line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = recouvre_formats::mt940::read_mt940("fuzz.sta", data) {
        assert!(e.line >= 1);
    }
});
