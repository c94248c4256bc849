//! IBAN and RF validation against third-party vectors (`shared/fixtures/vectors`, see
//! SOURCES.md) and our own.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use recouvre_formats::iban::{self, Iban, REGISTRY};
use recouvre_formats::rf;

/// python-stdnum's IBAN list: `value,expected,…`. Our check is the registry's (length,
/// BBAN format, mod-97), not the national ones: the two Spanish numbers that only fail
/// Spain's own check digits (`valid_mod97_only_fails_national_check`) are valid for us.
#[test]
fn python_stdnum_ibans() {
    let Some(dir) = common::corpus("python_stdnum_ibans") else {
        return;
    };
    let text =
        String::from_utf8(common::read(&dir, "vectors/iban_vectors_python-stdnum.csv")).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for line in text.lines().skip(1) {
        let mut cells = line.split(',');
        let (value, expected) = (cells.next().unwrap(), cells.next().unwrap());
        let ours = iban::is_valid(value);
        match expected {
            "valid" | "valid_mod97_only_fails_national_check" => {
                assert!(ours, "{value}: {:?}", Iban::parse(value));
                valid += 1;
            }
            "invalid" => {
                assert!(!ours, "{value} should be refused");
                invalid += 1;
            }
            other => panic!("unknown verdict {other}"),
        }
    }
    // 194 + 2 valid, 19 invalid (SOURCES.md).
    assert_eq!((valid, invalid), (196, 19));
}

/// php-iban's IBANs "as written in the wild": spaces, dots, mixed formats. Each line must
/// either be valid or be refused for a reason a person would agree with; we count them.
#[test]
fn php_iban_examples_in_the_wild() {
    let Some(dir) = common::corpus("php_iban_examples_in_the_wild") else {
        return;
    };
    let mut total = 0;
    let mut accepted = 0;
    for cc in ["be", "de", "es", "fr", "it", "nl"] {
        let text = String::from_utf8_lossy(&common::read(
            &dir,
            &format!("vectors/php-iban_example-ibans_{cc}.txt"),
        ))
        .into_owned();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            total += 1;
            if let Ok(iban) = Iban::parse(line) {
                accepted += 1;
                assert_eq!(iban.country().to_ascii_lowercase(), cc, "{line}");
                // Print form parses back to the same IBAN.
                assert_eq!(Iban::parse(&iban.to_string()).unwrap(), iban);
            }
        }
    }
    // 12 + 21 + 37 + 89 + 6 + 26 non-empty lines; most of them real, valid IBANs.
    assert_eq!(total, 191);
    assert!(
        accepted * 10 >= total * 8,
        "only {accepted} of {total} accepted"
    );
    println!("php-iban examples: {accepted} of {total} accepted");
}

/// Our table against the registry file: every country we list has the registry's length
/// and format, and every registry country (bar the `AA` IIBAN) is listed.
#[test]
fn registry_table_matches_php_iban_registry() {
    let Some(dir) = common::corpus("registry_table") else {
        return;
    };
    let text = String::from_utf8(common::read(&dir, "vectors/php-iban_registry.txt")).unwrap();
    let mut seen = 0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split('|').collect();
        if cells.len() < 11 || cells[0] == "AA" {
            continue;
        }
        let (cc, format, length): (&str, String, usize) = (
            cells[0],
            cells[4].replace(' ', ""),
            cells[10].parse().unwrap(),
        );
        let ours = REGISTRY
            .iter()
            .find(|(c, ..)| *c == cc)
            .unwrap_or_else(|| panic!("{cc} missing"));
        assert_eq!(ours.1, length, "{cc}");
        // Our format always adds up to the length; it is the registry's, except where the
        // registry file contradicts its own regex and example (DJ, KM: `13!n` for 11 digits;
        // NI: `28!n` for 4 letters and 24 digits).
        assert_eq!(format_len(ours.2) + 4, length, "{cc}");
        if !["DJ", "KM", "NI"].contains(&cc) {
            assert_eq!(ours.2, format, "{cc}");
        }
        // The registry's own example IBAN is valid.
        assert!(iban::is_valid(cells[7]), "{cc} example {}", cells[7]);
        seen += 1;
    }
    assert_eq!(seen, REGISTRY.len());
    // EU/EEA + CH + GB at least.
    for cc in [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
        "CH", "GB",
    ] {
        assert!(REGISTRY.iter().any(|(c, ..)| *c == cc), "{cc}");
    }
}

/// Characters a SWIFT BBAN format describes (`4!a6!n` -> 10).
fn format_len(format: &str) -> usize {
    let mut total = 0;
    let mut n = 0;
    for c in format.chars() {
        match c.to_digit(10) {
            Some(d) => n = n * 10 + d as usize,
            None if c == '!' => {}
            None => {
                total += n;
                n = 0;
            }
        }
    }
    total
}

/// python-stdnum's RF list: 102 valid, 1 invalid (RF17 5390 0754 7034).
#[test]
fn python_stdnum_rf() {
    let Some(dir) = common::corpus("python_stdnum_rf") else {
        return;
    };
    let text = String::from_utf8(common::read(
        &dir,
        "vectors/iso11649_rf_vectors_python-stdnum.csv",
    ))
    .unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for line in text.lines().skip(1) {
        let mut cells = line.split(',');
        let (value, expected) = (cells.next().unwrap(), cells.next().unwrap());
        match expected {
            "valid" => {
                let r = rf::validate(value).unwrap_or_else(|e| panic!("{e}"));
                // Generating from the base gives the same check digits back.
                assert_eq!(rf::generate(r.base()).unwrap(), r);
                valid += 1;
            }
            _ => {
                assert!(rf::validate(value).is_err(), "{value}");
                invalid += 1;
            }
        }
    }
    assert_eq!((valid, invalid), (102, 1));
}

#[test]
fn rf_for_claim_numbers() {
    // Our own: a claim number with separators. "F2026-0042" -> base F20260042;
    // F=15: digits 15 2 0 2 6 0 0 4 2, then RF00 = 27 15 0 0 -> "15202600422715 00";
    // the check digits follow from mod 97 and are verified by validate().
    let r = rf::generate("F2026-0042").unwrap();
    assert_eq!(r.base(), "F20260042");
    assert!(rf::validate(r.as_str()).is_ok());
    assert!(
        rf::validate(&r.to_string()).is_ok(),
        "print form with spaces"
    );
    // A typo (one character changed) is caught.
    let typo = r.as_str().replace("0042", "0043");
    assert!(rf::validate(&typo).is_err());
}
