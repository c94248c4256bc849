//! Bank CSV reader, with a mapping using debit and credit columns: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recouvre_formats::statement_csv::{CsvMapping, read_statement_csv};

fuzz_target!(|data: &[u8]| {
    let Ok(eur) = recouvre_domain::money::parse_currency("EUR") else {
        return;
    };
    let mut map = CsvMapping::new("X", eur, "date", "amount");
    let _ = read_statement_csv("fuzz.csv", data, &map);
    map.amount = None;
    map.debit = Some("debit".into());
    map.credit = Some("credit".into());
    map.remittance = vec!["text".into()];
    let _ = read_statement_csv("fuzz.csv", data, &map);
});
