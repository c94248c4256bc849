//! camt reader: any bytes give statements or an error, never a panic; and the batch
//! invariant (details add up to their entry) holds on whatever it accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(statements) = recouvre_formats::camt::read_camt("fuzz.xml", data) {
        for s in statements {
            for e in s.entries {
                let sum: i64 = e
                    .transactions
                    .iter()
                    .map(|t| t.amount.minor())
                    .sum();
                assert_eq!(sum, e.amount.minor());
            }
        }
    }
});
