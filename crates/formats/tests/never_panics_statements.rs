//! Whatever the bytes, the statement readers answer with statements or an error: they never
//! panic (the fuzzing of DESIGN.md, run as a property test on every `cargo test`; the
//! cargo-fuzz targets in `fuzz/` go further).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use domain::money::parse_currency;
use proptest::prelude::*;
use recouvre_formats::camt::read_camt;
use recouvre_formats::mt940::read_mt940;
use recouvre_formats::statement_csv::{CsvMapping, read_statement_csv};
use recouvre_formats::{iban, rf};

/// Pieces of camt from which the generator builds near-valid documents.
fn camt_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<Document>".to_string()),
        Just("</Document>".to_string()),
        Just("<BkToCstmrStmt><Stmt>".to_string()),
        Just("</Stmt></BkToCstmrStmt>".to_string()),
        Just("<Ntry>".to_string()),
        Just("</Ntry>".to_string()),
        Just("<Amt Ccy=\"EUR\">".to_string()),
        Just("</Amt>".to_string()),
        Just("<CdtDbtInd>CRDT</CdtDbtInd>".to_string()),
        Just("<CdtDbtInd>DBIT</CdtDbtInd>".to_string()),
        Just("<NtryDtls><TxDtls>".to_string()),
        Just("</TxDtls></NtryDtls>".to_string()),
        Just("<Bal><Amt Ccy=\"JPY\">1.5</Amt></Bal>".to_string()),
        Just("&amp;&#x41;&#99999999;&bogus;".to_string()),
        "[0-9.,-]{0,8}",
    ]
}

fn mt940_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(":20:X".to_string()),
        Just(":25:FR7630006000011234567890189".to_string()),
        Just(":60F:C261101EUR1000,".to_string()),
        Just(":62F:D261101EUR1,".to_string()),
        Just("-".to_string()),
        Just("{1:F01}{4:".to_string()),
        "(:61:)?[0-9]{0,10}(RC|RD|C|D)?[A-Z]?[0-9,]{0,8}[A-Z]{0,4}(//)?[A-Z0-9]{0,4}",
        "(:86:)?[0-9]{0,3}(\\?[0-9]{2}[A-Z+ ]{0,6}){0,4}",
        "(:86:)?(/[A-Z]{2,4}/[a-z ]{0,5}){0,3}",
    ]
}

proptest! {
    #[test]
    fn camt_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_camt("x.xml", &bytes);
    }

    #[test]
    fn camt_arbitrary_documents(pieces in proptest::collection::vec(camt_piece(), 0..30)) {
        if let Ok(statements) = read_camt("x.xml", pieces.concat().as_bytes()) {
            for s in statements {
                for e in s.entries {
                    // The batch invariant holds whatever the input.
                    let sum: i64 = e.transactions.iter().map(|t| t.amount.minor()).sum();
                    prop_assert_eq!(sum, e.amount.minor());
                }
            }
        }
    }

    #[test]
    fn mt940_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = read_mt940("x.sta", &bytes) {
            prop_assert!(e.line >= 1);
        }
    }

    #[test]
    fn mt940_arbitrary_lines(lines in proptest::collection::vec(mt940_line(), 0..20)) {
        if let Err(e) = read_mt940("x.sta", lines.join("\n").as_bytes()) {
            prop_assert!(e.line >= 1 && !e.reason.is_empty());
        }
    }

    #[test]
    fn csv_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let map = CsvMapping::new("X", parse_currency("EUR").unwrap(), "date", "amount");
        let _ = read_statement_csv("x.csv", &bytes, &map);
        let mut with_header = b"date;amount\n".to_vec();
        with_header.extend_from_slice(&bytes);
        let _ = read_statement_csv("x.csv", &with_header, &map);
    }

    #[test]
    fn iban_and_rf_arbitrary_text(text in "\\PC{0,40}") {
        let _ = iban::Iban::parse(&text);
        if let Ok(r) = rf::generate(&text) {
            prop_assert!(rf::validate(r.as_str()).is_ok());
        }
        let _ = rf::validate(&text);
    }

    #[test]
    fn rf_generate_validate_round_trip(base in "[A-Z0-9]{1,21}") {
        let r = rf::generate(&base).unwrap();
        prop_assert_eq!(r.base(), base.as_str());
        prop_assert!(rf::validate(&r.to_string()).is_ok());
    }
}
