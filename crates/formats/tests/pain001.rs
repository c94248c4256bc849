//! The pain.001 writer: exact XML for a batch of three transfers (written by hand),
//! control sums worked by hand, refusals naming the field, and validation against the
//! official XSD of the shared corpus with `scripts/xsd-validate.py` (Python lxml).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use domain::{Currency, Money};
use jiff::civil::date;
use recouvre_formats::pain001::{Account, Batch, DateTime, Pain001Error, Transfer, write};
use std::path::{Path, PathBuf};
use std::process::Command;

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

fn created() -> DateTime {
    date(2026, 3, 2).at(9, 30, 5, 0)
}

fn transfer(
    id: &str,
    minor: i64,
    name: &str,
    iban: &str,
    bic: Option<&str>,
    text: &str,
) -> Transfer {
    Transfer {
        end_to_end_id: id.into(),
        amount: eur(minor),
        creditor: Account {
            name: name.into(),
            iban: iban.into(),
            bic: bic.map(Into::into),
        },
        remittance: text.into(),
    }
}

/// The agency pays three clients out of its client-funds account: 1 234.56, 0.01 and
/// 980.00 EUR. The second payee has no BIC (no `CdtrAgt`).
fn batch() -> Batch {
    Batch {
        message_id: "RCV-TRF-20260302-1".into(),
        created_at: created(),
        payment_id: "RCV-TRF-20260302-1-P1".into(),
        execution_date: date(2026, 3, 4),
        debtor: Account {
            name: "Cabinet Lefèvre & Associés".into(),
            iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            bic: Some("agrifrpp".into()),
        },
        transfers: vec![
            transfer(
                "REM-2026-001",
                1_234_56,
                "Müller GmbH",
                "DE89 3704 0044 0532 0130 00",
                Some("COBADEFFXXX"),
                "Reversement dossier D-17 – mars 2026",
            ),
            transfer(
                "REM-2026-002",
                1,
                "Dupont SARL",
                "GB29NWBK60161331926819",
                None,
                "Solde créance FA-12",
            ),
            transfer(
                "REM-2026-003",
                980_00,
                "Société Générale d'Outillage",
                "be68 5390 0754 7034",
                Some("GEBABEBB"),
                "Reversement FA-2026-031 (solde)",
            ),
        ],
    }
}

/// Written by hand from the XSD (`shared/fixtures/pain001/pain.001.001.03.xsd`): the
/// elements in the order of `GroupHeader32`, `PaymentInstructionInformation3` and
/// `CreditTransferTransactionInformation10`.
///
/// Sums: 1234.56 + 0.01 = 1234.57; + 980.00 = 2214.57; three transfers.
/// Transliterations: "Cabinet Lefèvre & Associés" → "Cabinet Lefevre + Associes";
/// "Müller" → "Muller"; "–" → "-"; "créance" → "creance"; "Société Générale" → "Societe
/// Generale". BICs upper-cased, IBANs without spaces, in upper case.
const EXPECTED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>RCV-TRF-20260302-1</MsgId>
      <CreDtTm>2026-03-02T09:30:05</CreDtTm>
      <NbOfTxs>3</NbOfTxs>
      <CtrlSum>2214.57</CtrlSum>
      <InitgPty>
        <Nm>Cabinet Lefevre + Associes</Nm>
      </InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>RCV-TRF-20260302-1-P1</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <BtchBookg>true</BtchBookg>
      <NbOfTxs>3</NbOfTxs>
      <CtrlSum>2214.57</CtrlSum>
      <PmtTpInf>
        <SvcLvl>
          <Cd>SEPA</Cd>
        </SvcLvl>
      </PmtTpInf>
      <ReqdExctnDt>2026-03-04</ReqdExctnDt>
      <Dbtr>
        <Nm>Cabinet Lefevre + Associes</Nm>
      </Dbtr>
      <DbtrAcct>
        <Id>
          <IBAN>FR7630006000011234567890189</IBAN>
        </Id>
      </DbtrAcct>
      <DbtrAgt>
        <FinInstnId>
          <BIC>AGRIFRPP</BIC>
        </FinInstnId>
      </DbtrAgt>
      <ChrgBr>SLEV</ChrgBr>
      <CdtTrfTxInf>
        <PmtId>
          <EndToEndId>REM-2026-001</EndToEndId>
        </PmtId>
        <Amt>
          <InstdAmt Ccy="EUR">1234.56</InstdAmt>
        </Amt>
        <CdtrAgt>
          <FinInstnId>
            <BIC>COBADEFFXXX</BIC>
          </FinInstnId>
        </CdtrAgt>
        <Cdtr>
          <Nm>Muller GmbH</Nm>
        </Cdtr>
        <CdtrAcct>
          <Id>
            <IBAN>DE89370400440532013000</IBAN>
          </Id>
        </CdtrAcct>
        <RmtInf>
          <Ustrd>Reversement dossier D-17 - mars 2026</Ustrd>
        </RmtInf>
      </CdtTrfTxInf>
      <CdtTrfTxInf>
        <PmtId>
          <EndToEndId>REM-2026-002</EndToEndId>
        </PmtId>
        <Amt>
          <InstdAmt Ccy="EUR">0.01</InstdAmt>
        </Amt>
        <Cdtr>
          <Nm>Dupont SARL</Nm>
        </Cdtr>
        <CdtrAcct>
          <Id>
            <IBAN>GB29NWBK60161331926819</IBAN>
          </Id>
        </CdtrAcct>
        <RmtInf>
          <Ustrd>Solde creance FA-12</Ustrd>
        </RmtInf>
      </CdtTrfTxInf>
      <CdtTrfTxInf>
        <PmtId>
          <EndToEndId>REM-2026-003</EndToEndId>
        </PmtId>
        <Amt>
          <InstdAmt Ccy="EUR">980.00</InstdAmt>
        </Amt>
        <CdtrAgt>
          <FinInstnId>
            <BIC>GEBABEBB</BIC>
          </FinInstnId>
        </CdtrAgt>
        <Cdtr>
          <Nm>Societe Generale d'Outillage</Nm>
        </Cdtr>
        <CdtrAcct>
          <Id>
            <IBAN>BE68539007547034</IBAN>
          </Id>
        </CdtrAcct>
        <RmtInf>
          <Ustrd>Reversement FA-2026-031 (solde)</Ustrd>
        </RmtInf>
      </CdtTrfTxInf>
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>
"#;

#[test]
fn three_transfers_exact_xml() {
    assert_eq!(write(&batch()).unwrap(), EXPECTED);
}

/// The text of every `<tag>` element, in document order.
fn all(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(&open)
        .skip(1)
        .map(|s| s.split(&close).next().unwrap().to_string())
        .collect()
}

#[test]
fn control_sum_and_count_worked_by_hand() {
    let xml = write(&batch()).unwrap();
    // 123456 + 1 + 98000 = 221457 cents: 2214.57, in the group header then in PmtInf.
    assert_eq!(all(&xml, "NbOfTxs"), ["3", "3"]);
    assert_eq!(all(&xml, "CtrlSum"), ["2214.57", "2214.57"]);
    let amounts: Vec<&str> = xml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<InstdAmt Ccy=\"EUR\">"))
        .map(|l| l.trim_end_matches("</InstdAmt>"))
        .collect();
    assert_eq!(amounts, ["1234.56", "0.01", "980.00"]);

    // The debtor's bank without a BIC: NOTPROVIDED; payees' banks only with a BIC.
    let mut b = batch();
    b.debtor.bic = None;
    let xml = write(&b).unwrap();
    assert!(xml.contains(
        "      <DbtrAgt>\n        <FinInstnId>\n          <Othr>\n            \
         <Id>NOTPROVIDED</Id>\n          </Othr>\n        </FinInstnId>\n      </DbtrAgt>\n"
    ));
    assert_eq!(all(&xml, "BIC"), ["COBADEFFXXX", "GEBABEBB"]);

    // One transfer of the largest amount: the sums are that amount.
    let mut b = batch();
    b.transfers.truncate(1);
    b.transfers[0].amount = eur(999_999_999_99);
    let xml = write(&b).unwrap();
    assert_eq!(all(&xml, "NbOfTxs"), ["1", "1"]);
    assert_eq!(all(&xml, "CtrlSum"), ["999999999.99", "999999999.99"]);
}

fn refused(batch: &Batch) -> (String, &'static str, String) {
    match write(batch) {
        Err(Pain001Error::Invalid { at, field, reason }) => (at, field, reason),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn duplicate_end_to_end_id_is_refused() {
    let mut b = batch();
    b.transfers[2].end_to_end_id = "REM-2026-001".into();
    let (at, field, reason) = refused(&b);
    assert_eq!(
        (at.as_str(), field),
        ("transfer REM-2026-001 (#3)", "end_to_end_id")
    );
    assert!(reason.contains("two transfers"), "{reason}");
}

#[test]
fn iban_with_wrong_check_digits_is_refused() {
    // DE89… is right; DE88… fails mod 97.
    let mut b = batch();
    b.transfers[0].creditor.iban = "DE88 3704 0044 0532 0130 00".into();
    let (at, field, reason) = refused(&b);
    assert_eq!(
        (at.as_str(), field),
        ("transfer REM-2026-001 (#1)", "creditor.iban")
    );
    assert!(reason.contains("mod 97"), "{reason}");

    // The paying account too (FR76… is right, FR77… is not).
    let mut b = batch();
    b.debtor.iban = "FR7730006000011234567890189".into();
    let (at, field, _) = refused(&b);
    assert_eq!((at.as_str(), field), ("message", "debtor.iban"));
}

#[test]
fn amounts_outside_eur_and_the_bounds_are_refused() {
    for (amount, words) in [
        (Money::from_minor(100, Currency::CHF), "EUR only"),
        (eur(0), "at least 0.01"),
        (eur(-500), "at least 0.01"),
        (eur(999_999_999_99 + 1), "at most"),
    ] {
        let mut b = batch();
        b.transfers[1].amount = amount;
        let (at, field, reason) = refused(&b);
        assert_eq!(
            (at.as_str(), field),
            ("transfer REM-2026-002 (#2)", "amount")
        );
        assert!(reason.contains(words), "{amount}: {reason}");
    }
}

#[test]
fn execution_date_before_creation_is_refused() {
    let mut b = batch();
    b.execution_date = date(2026, 3, 1);
    let (at, field, reason) = refused(&b);
    assert_eq!((at.as_str(), field), ("message", "execution_date"));
    assert!(
        reason.contains("2026-03-01") && reason.contains("2026-03-02"),
        "{reason}"
    );
    // The creation day itself is fine.
    b.execution_date = date(2026, 3, 2);
    assert!(write(&b).is_ok());
}

#[test]
fn identifiers_outside_the_sepa_set_are_refused_not_changed() {
    let mut b = batch();
    b.transfers[0].end_to_end_id = "REM@2026-001".into();
    let (at, field, reason) = refused(&b);
    assert_eq!(
        (at.as_str(), field),
        ("transfer REM@2026-001 (#1)", "end_to_end_id")
    );
    assert!(
        reason.contains("'@'") && reason.contains("not transliterated"),
        "{reason}"
    );

    let mut b = batch();
    b.message_id = "RCV@1".into();
    assert_eq!(refused(&b).1, "message_id");
    let mut b = batch();
    b.payment_id = "P@1".into();
    assert_eq!(refused(&b).1, "payment_id");
    let mut b = batch();
    b.payment_id = "X".repeat(36);
    assert_eq!(refused(&b).1, "payment_id");
}

#[test]
fn other_refusals_name_the_field() {
    // No transfer at all.
    let mut b = batch();
    b.transfers.clear();
    assert_eq!(write(&b), Err(Pain001Error::EmptyBatch));

    // Free text: no transliteration for '€'; 142 characters once 'ß' became "ss".
    let mut b = batch();
    b.transfers[2].remittance = "Reversement 980 €".into();
    assert_eq!(refused(&b).1, "remittance");
    let mut b = batch();
    b.transfers[2].creditor.name = "ß".repeat(71);
    let (_, field, reason) = refused(&b);
    assert_eq!(field, "creditor.name");
    assert!(reason.contains("142 characters"), "{reason}");
    let mut b = batch();
    b.debtor.name = " ".into();
    assert_eq!(refused(&b).1, "debtor.name");

    // BICs: wrong length; digits in the bank code (the 2009 `BICIdentifier` refuses them).
    let mut b = batch();
    b.transfers[0].creditor.bic = Some("COBADE".into());
    assert_eq!(refused(&b).1, "creditor.bic");
    let mut b = batch();
    b.debtor.bic = Some("1234FRPP".into());
    let (_, field, reason) = refused(&b);
    assert_eq!(field, "debtor.bic");
    assert!(reason.contains("pain.001.001.03"), "{reason}");
}

// ---- XSD validation -------------------------------------------------------------------

/// `$RECOUVRE_CORPUS`, else `shared/fixtures` beside the workspace; `None` (the test is
/// recorded as skipped) when the pain.001 XSD is not there.
fn corpus(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("RECOUVRE_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    };
    if dir.join("pain001/pain.001.001.03.xsd").is_file() {
        Some(dir)
    } else {
        common::skipped::skipped(
            test,
            "RECOUVRE_CORPUS not found (no pain001/pain.001.001.03.xsd)",
        );
        None
    }
}

/// Runs `scripts/xsd-validate.py XSD XML…`; `Ok` when all are valid, else its report.
/// Panics (fails the test) when python3 or lxml cannot run: with the corpus present the
/// check must happen.
fn xsd_validate(xsd: &Path, xml: &[PathBuf]) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new("python3")
        .current_dir(&root)
        .arg("scripts/xsd-validate.py")
        .arg(xsd)
        .args(xml)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 (needed to check the XSD): {e}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    match out.status.code() {
        Some(0) => Ok(()),
        Some(1) => Err(report),
        _ => panic!("scripts/xsd-validate.py could not check (lxml missing?): {report}"),
    }
}

fn temp(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn validates_against_the_official_xsd() {
    let Some(dir) = corpus("validates_against_the_official_xsd") else {
        return;
    };
    let xsd = dir.join("pain001/pain.001.001.03.xsd");

    // The three transfers as written; and with the debtor's bank NOTPROVIDED and no
    // payee BIC at all.
    let xml = write(&batch()).unwrap();
    let mut b = batch();
    b.debtor.bic = None;
    for t in &mut b.transfers {
        t.creditor.bic = None;
    }
    let without_bics = write(&b).unwrap();
    assert!(!without_bics.contains("<CdtrAgt>"));
    let good = [
        temp("pain001.xml", &xml),
        temp("pain001-no-bic.xml", &without_bics),
    ];
    xsd_validate(&xsd, &good).unwrap_or_else(|report| panic!("{report}"));

    // The check can fail: the group header without its (mandatory) NbOfTxs; the 2019
    // messages' BICFI element, which this schema does not know; PmtTpInf after
    // ReqdExctnDt (order matters).
    let no_count = xml.replacen("      <NbOfTxs>3</NbOfTxs>\n", "", 1);
    assert!(no_count.len() < xml.len());
    let bicfi = xml
        .replace("<BIC>", "<BICFI>")
        .replace("</BIC>", "</BICFI>");
    let tp = "      <PmtTpInf>\n        <SvcLvl>\n          <Cd>SEPA</Cd>\n        </SvcLvl>\n      </PmtTpInf>\n";
    let date = "      <ReqdExctnDt>2026-03-04</ReqdExctnDt>\n";
    assert!(xml.contains(&format!("{tp}{date}")));
    let swapped = xml.replace(&format!("{tp}{date}"), &format!("{date}{tp}"));
    for (name, bad) in [
        ("broken-nboftxs", no_count),
        ("broken-bicfi", bicfi),
        ("broken-order", swapped),
    ] {
        let bad = temp(&format!("pain001-{name}.xml"), &bad);
        let report = xsd_validate(&xsd, std::slice::from_ref(&bad))
            .expect_err("a broken document must be rejected");
        assert!(report.contains("INVALID"), "{name}: {report}");
    }
}
