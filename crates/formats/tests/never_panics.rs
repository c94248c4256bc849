//! Whatever the bytes, the reader answers with rows or an error naming a line: it never
//! panics. (The fuzzing of DESIGN.md, run as a property test on every `cargo test`.)

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use proptest::prelude::*;
use recouvre_formats::claims_csv::{ReadOptions, read_claims};

const HEADER: &str =
    "debtor_id;debtor_name;debtor_kind;email;invoice_number;issue_date;due_date;amount;currency\n";

/// Cells built from the characters that matter to the reader.
fn cell() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[ a-zA-Z0-9;,.\"\n\r/@|€é-]{0,12}").expect("valid regex")
}

proptest! {
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = read_claims("x.csv", &bytes, &ReadOptions::default()) {
            prop_assert!(e.line >= 1);
        }
    }

    #[test]
    fn arbitrary_rows(rows in proptest::collection::vec(proptest::collection::vec(cell(), 9), 0..8)) {
        let mut text = String::from(HEADER);
        for row in &rows {
            text.push_str(&row.join(";"));
            text.push('\n');
        }
        match read_claims("x.csv", text.as_bytes(), &ReadOptions::default()) {
            Ok(parsed) => {
                for row in parsed {
                    prop_assert!(row.amount.is_positive());
                    prop_assert!(row.due_date >= row.issue_date);
                }
            }
            Err(e) => prop_assert!(e.line >= 1 && !e.reason.is_empty()),
        }
    }
}
