//! The command line on letters and rates (issue 17, "also found"): `rates` warns about the
//! half-year of `--as-of` when a series has no sure rate for it, and `letters batch` leaves
//! out, names and fails on a letter that lacks what a letter must carry.

#![allow(clippy::unwrap_used)]

mod common;

use common::{recouvre, run};

/// As of 6 December 2026 (2026 S2, domain-rules §12): the French legal rates of 2026 S2
/// are not in the tables, nor the Bank Rate of 30 June 2026; the ECB rate in force on
/// 1 July 2026 (2.40 %) and the German base rate from that day (1.52 %) are unverified.
/// As of 2 March 2026 every series has a sure rate for 2026 S1 (FR legal 2.62 / 6.67,
/// ECB 2.15, DE base 1.27, Bank Rate of 31 December 2025 3.75): no warning.
#[test]
fn rates_warn_about_the_half_year_of_as_of() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let out = run(&db, "2026-12-06", &["rates"]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    for missing in [
        "fr-legal-other has no rate for 2026 S2",
        "uk-bank-rate has no rate for 2026 S2",
        "fr-legal-natural-person has no rate for 2026 S2",
    ] {
        assert!(err.contains(missing), "{err}");
    }
    assert!(
        err.contains("ecb-mro for 2026 S2 rests on 2.40 % from 2026-06-17, unverified"),
        "{err}"
    );
    assert!(
        err.contains("de-base-rate for 2026 S2 rests on 1.52 % from 2026-07-01, unverified"),
        "{err}"
    );
    let out = run(&db, "2026-03-02", &["rates"]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("warning"), "{err}");
}

/// The demo's formal notices (its run of the day). The demo sets its company's identity;
/// with the SIREN erased, the batch of the day leaves every formal notice out, names each
/// with the reason, and exits non-zero; with the SIREN back, the same batch prints them.
#[test]
fn letters_batch_refuses_letters_without_a_siren() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let out_dir = dir.path().join("out");
    // In 2026 S1, whose rates are all verified (see above).
    let day = "2026-06-15";
    recouvre(
        &db,
        day,
        &[
            "demo",
            "--debtors",
            "200",
            "--claims",
            "1500",
            "--simulate-days",
            "0",
            "--no-serve",
            "--json",
        ],
    );
    let batch = |db: &std::path::Path| {
        let out = run(
            db,
            day,
            &[
                "letters",
                "batch",
                "--date",
                day,
                "--out",
                out_dir.to_str().unwrap(),
            ],
        );
        let csv = std::fs::read_to_string(out_dir.join(format!("letters-{day}.csv"))).unwrap();
        (out, csv.lines().count() - 1)
    };
    let (out, printed) = batch(&db);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed > 0, "the demo's day has letters");

    recouvre(&db, day, &["letters", "sender", "--company-id", ""]);
    let (out, none) = batch(&db);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "{err}");
    assert_eq!(none, 0, "{err}");
    assert_eq!(err.matches("refused: action").count(), printed, "{err}");
    assert!(err.contains("the creditor's SIREN"), "{err}");
    assert!(!err.contains("IBAN"), "only the SIREN lacks: {err}");

    recouvre(
        &db,
        day,
        &["letters", "sender", "--company-id", "SIREN 552 100 554"],
    );
    let (out, again) = batch(&db);
    assert!(out.status.success());
    assert_eq!(again, printed);
}
