//! The pain.008 writer: exact XML for a small batch (written by hand), control sums worked
//! by hand, refusals, and validation of both versions against the official XSDs of the
//! shared corpus with `scripts/xsd-validate.py` (Python lxml).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use domain::{Currency, Date, Money};
use jiff::civil::date;
use recouvre_formats::pain008::{
    Batch, Creditor, DateTime, LocalInstrument, Pain008Error, PaymentGroup, Remittance,
    SequenceType, Transaction, Version, write,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

fn created() -> DateTime {
    date(2026, 3, 2).at(9, 30, 5, 0)
}

fn creditor() -> Creditor {
    Creditor {
        name: "Société Générale d'Outillage & Fils".into(),
        iban: "FR76 3000 6000 0112 3456 7890 189".into(),
        bic: Some("agrifrpp".into()),
        // FR72ZZZ123456: 123456 then FR00 as digits is 1234561527 00, which is 26 mod 97;
        // 98 - 26 = 72.
        creditor_identifier: "FR72ZZZ123456".into(),
    }
}

fn tx(id: &str, minor: i64) -> Transaction {
    Transaction {
        end_to_end_id: id.into(),
        amount: eur(minor),
        mandate_id: "MDT-2025-0001".into(),
        mandate_signed_on: date(2025, 11, 20),
        debtor_name: "Müller GmbH".into(),
        debtor_iban: "DE89 3704 0044 0532 0130 00".into(),
        debtor_bic: Some("COBADEFFXXX".into()),
        remittance: Some(Remittance::Unstructured(
            "Échéance 1/3 – facture FA-12".into(),
        )),
    }
}

fn group(id: &str, collection: Date, seq: SequenceType, txs: Vec<Transaction>) -> PaymentGroup {
    PaymentGroup {
        id: id.into(),
        collection_date: collection,
        local_instrument: LocalInstrument::Core,
        sequence_type: seq,
        transactions: txs,
    }
}

/// One group, two debits: one with a BIC and free text, one without BIC and with an RF
/// reference.
fn small_batch() -> Batch {
    let mut second = tx("PLAN7-2", 50_00);
    second.mandate_id = "MDT-2025-0002".into();
    second.debtor_name = "Dupont SARL".into();
    second.debtor_iban = "GB29NWBK60161331926819".into();
    second.debtor_bic = None;
    second.remittance = Some(Remittance::CreditorReference("rf18 5390 0754 7034".into()));
    Batch {
        message_id: "RCV-20260302-1".into(),
        created_at: created(),
        creditor: creditor(),
        groups: vec![group(
            "RCV-20260302-1-G1",
            date(2026, 3, 10),
            SequenceType::Recurring,
            vec![tx("PLAN7-1", 123_45), second],
        )],
    }
}

/// Written by hand from domain-rules §11.4 and the XSD. Sums: 123.45 + 50.00 = 173.45.
/// Transliterations: "Société Générale d'Outillage & Fils" → "Societe Generale
/// d'Outillage + Fils"; "Müller" → "Muller"; "Échéance 1/3 – facture" → "Echeance 1/3 -
/// facture". The BIC is upper-cased, the IBANs and the RF reference lose their spaces.
const SMALL_V02: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02">
  <CstmrDrctDbtInitn>
    <GrpHdr>
      <MsgId>RCV-20260302-1</MsgId>
      <CreDtTm>2026-03-02T09:30:05</CreDtTm>
      <NbOfTxs>2</NbOfTxs>
      <CtrlSum>173.45</CtrlSum>
      <InitgPty>
        <Nm>Societe Generale d'Outillage + Fils</Nm>
      </InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>RCV-20260302-1-G1</PmtInfId>
      <PmtMtd>DD</PmtMtd>
      <NbOfTxs>2</NbOfTxs>
      <CtrlSum>173.45</CtrlSum>
      <PmtTpInf>
        <SvcLvl>
          <Cd>SEPA</Cd>
        </SvcLvl>
        <LclInstrm>
          <Cd>CORE</Cd>
        </LclInstrm>
        <SeqTp>RCUR</SeqTp>
      </PmtTpInf>
      <ReqdColltnDt>2026-03-10</ReqdColltnDt>
      <Cdtr>
        <Nm>Societe Generale d'Outillage + Fils</Nm>
      </Cdtr>
      <CdtrAcct>
        <Id>
          <IBAN>FR7630006000011234567890189</IBAN>
        </Id>
      </CdtrAcct>
      <CdtrAgt>
        <FinInstnId>
          <BIC>AGRIFRPP</BIC>
        </FinInstnId>
      </CdtrAgt>
      <ChrgBr>SLEV</ChrgBr>
      <CdtrSchmeId>
        <Id>
          <PrvtId>
            <Othr>
              <Id>FR72ZZZ123456</Id>
              <SchmeNm>
                <Prtry>SEPA</Prtry>
              </SchmeNm>
            </Othr>
          </PrvtId>
        </Id>
      </CdtrSchmeId>
      <DrctDbtTxInf>
        <PmtId>
          <EndToEndId>PLAN7-1</EndToEndId>
        </PmtId>
        <InstdAmt Ccy="EUR">123.45</InstdAmt>
        <DrctDbtTx>
          <MndtRltdInf>
            <MndtId>MDT-2025-0001</MndtId>
            <DtOfSgntr>2025-11-20</DtOfSgntr>
            <AmdmntInd>false</AmdmntInd>
          </MndtRltdInf>
        </DrctDbtTx>
        <DbtrAgt>
          <FinInstnId>
            <BIC>COBADEFFXXX</BIC>
          </FinInstnId>
        </DbtrAgt>
        <Dbtr>
          <Nm>Muller GmbH</Nm>
        </Dbtr>
        <DbtrAcct>
          <Id>
            <IBAN>DE89370400440532013000</IBAN>
          </Id>
        </DbtrAcct>
        <RmtInf>
          <Ustrd>Echeance 1/3 - facture FA-12</Ustrd>
        </RmtInf>
      </DrctDbtTxInf>
      <DrctDbtTxInf>
        <PmtId>
          <EndToEndId>PLAN7-2</EndToEndId>
        </PmtId>
        <InstdAmt Ccy="EUR">50.00</InstdAmt>
        <DrctDbtTx>
          <MndtRltdInf>
            <MndtId>MDT-2025-0002</MndtId>
            <DtOfSgntr>2025-11-20</DtOfSgntr>
            <AmdmntInd>false</AmdmntInd>
          </MndtRltdInf>
        </DrctDbtTx>
        <DbtrAgt>
          <FinInstnId>
            <Othr>
              <Id>NOTPROVIDED</Id>
            </Othr>
          </FinInstnId>
        </DbtrAgt>
        <Dbtr>
          <Nm>Dupont SARL</Nm>
        </Dbtr>
        <DbtrAcct>
          <Id>
            <IBAN>GB29NWBK60161331926819</IBAN>
          </Id>
        </DbtrAcct>
        <RmtInf>
          <Strd>
            <CdtrRefInf>
              <Tp>
                <CdOrPrtry>
                  <Cd>SCOR</Cd>
                </CdOrPrtry>
                <Issr>ISO</Issr>
              </Tp>
              <Ref>RF18539007547034</Ref>
            </CdtrRefInf>
          </Strd>
        </RmtInf>
      </DrctDbtTxInf>
    </PmtInf>
  </CstmrDrctDbtInitn>
</Document>
"#;

#[test]
fn small_batch_exact_xml_v02() {
    assert_eq!(
        write(&small_batch(), Version::V001_001_02).unwrap(),
        SMALL_V02
    );
}

#[test]
fn small_batch_v08_differs_only_by_namespace_and_bicfi() {
    let v08 = write(&small_batch(), Version::V001_001_08).unwrap();
    let expected = SMALL_V02
        .replace("pain.008.001.02", "pain.008.001.08")
        .replace("<BIC>AGRIFRPP</BIC>", "<BICFI>AGRIFRPP</BICFI>")
        .replace("<BIC>COBADEFFXXX</BIC>", "<BICFI>COBADEFFXXX</BICFI>");
    assert_eq!(v08, expected);
    assert!(!v08.contains("<BIC>"));
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

/// Two groups: the first plan's three instalments 123.45 + 0.10 + 1000.00 = 1123.55, the
/// second group 50.00 + 0.01 = 50.01; the message: 5 debits, 1123.55 + 50.01 = 1173.56.
fn plan_batch() -> Batch {
    Batch {
        message_id: "RCV-SUMS".into(),
        created_at: created(),
        creditor: creditor(),
        groups: vec![
            group(
                "G-FRST",
                date(2026, 3, 16),
                SequenceType::First,
                vec![tx("A-1", 123_45), tx("A-2", 10), tx("A-3", 1000_00)],
            ),
            group(
                "G-FNAL",
                date(2026, 4, 15),
                SequenceType::Final,
                vec![tx("B-1", 50_00), tx("B-2", 1)],
            ),
        ],
    }
}

#[test]
fn control_sums_worked_by_hand() {
    for version in [Version::V001_001_02, Version::V001_001_08] {
        let xml = write(&plan_batch(), version).unwrap();
        // Group header first, then one per PmtInf.
        assert_eq!(all(&xml, "NbOfTxs"), ["5", "3", "2"]);
        assert_eq!(all(&xml, "CtrlSum"), ["1173.56", "1123.55", "50.01"]);
        let amounts: Vec<&str> = xml
            .lines()
            .filter_map(|l| l.trim().strip_prefix("<InstdAmt Ccy=\"EUR\">"))
            .map(|l| l.trim_end_matches("</InstdAmt>"))
            .collect();
        assert_eq!(amounts, ["123.45", "0.10", "1000.00", "50.00", "0.01"]);
        assert_eq!(all(&xml, "SeqTp"), ["FRST", "FNAL"]);
        assert_eq!(all(&xml, "ReqdColltnDt"), ["2026-03-16", "2026-04-15"]);
    }
}

fn refused(batch: &Batch) -> (String, &'static str, String) {
    match write(batch, Version::V001_001_08) {
        Err(Pain008Error::Invalid { at, field, reason }) => (at, field, reason),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn refusals_name_the_transaction_and_the_field() {
    // Debtor IBAN with one digit changed (…013000 → …013001): mod 97 fails.
    let mut b = plan_batch();
    b.groups[0].transactions[1].debtor_iban = "DE89370400440532013001".into();
    let (at, field, reason) = refused(&b);
    assert_eq!(at, "group G-FRST (#1), transaction A-2 (#2)");
    assert_eq!(field, "debtor_iban");
    assert!(reason.contains("mod 97"), "{reason}");

    // php-sepa-xml's sample creditor IBAN: right length, wrong check digits.
    let mut b = plan_batch();
    b.creditor.iban = "BG87200500001234567890".into();
    assert_eq!(refused(&b).1, "iban");

    // Not EUR; zero; negative; above the SEPA maximum.
    for (amount, words) in [
        (Money::from_minor(100, Currency::CHF), "EUR only"),
        (eur(0), "at least 0.01"),
        (eur(-500), "at least 0.01"),
        (eur(999_999_999_99 + 1), "at most"),
    ] {
        let mut b = plan_batch();
        b.groups[1].transactions[0].amount = amount;
        let (at, field, reason) = refused(&b);
        assert_eq!(
            (at.as_str(), field),
            ("group G-FNAL (#2), transaction B-1 (#1)", "amount")
        );
        assert!(reason.contains(words), "{reason}");
    }

    // Identifiers: 36 characters; a character outside the SEPA set (not transliterated);
    // a leading slash.
    let mut b = plan_batch();
    b.groups[0].transactions[0].end_to_end_id = "X".repeat(36);
    assert_eq!(refused(&b).1, "end_to_end_id");
    let mut b = plan_batch();
    b.groups[0].transactions[0].mandate_id = "MDT_é".into();
    let (_, field, reason) = refused(&b);
    assert_eq!(field, "mandate_id");
    assert!(reason.contains("not transliterated"), "{reason}");
    let mut b = plan_batch();
    b.message_id = "/RCV".into();
    assert_eq!(refused(&b).0, "message");

    // Free text that cannot be transliterated; too long once transliterated (ß → ss).
    let mut b = plan_batch();
    b.groups[0].transactions[0].remittance = Some(Remittance::Unstructured("Total 40 €".into()));
    assert_eq!(refused(&b).1, "remittance");
    let mut b = plan_batch();
    b.groups[0].transactions[0].debtor_name = "ß".repeat(71);
    let (_, field, reason) = refused(&b);
    assert_eq!(field, "debtor_name");
    assert!(reason.contains("142 characters"), "{reason}");

    // RF reference with a wrong check digit (RF17 instead of RF18).
    let mut b = plan_batch();
    b.groups[0].transactions[0].remittance =
        Some(Remittance::CreditorReference("RF17539007547034".into()));
    assert_eq!(refused(&b).1, "remittance");

    // BIC shape.
    let mut b = plan_batch();
    b.groups[0].transactions[0].debtor_bic = Some("COBADE".into());
    assert_eq!(refused(&b).1, "debtor_bic");

    // The fixture samples' creditor identifiers fail the check digits (see
    // `check_creditor_identifier`).
    for ics in [
        "BG40ZZZ507778",
        "DE00ZZZ00099999999",
        "FR72ZZZ",
        "FR7ZZZZ123456",
    ] {
        let mut b = plan_batch();
        b.creditor.creditor_identifier = ics.into();
        assert_eq!(refused(&b).1, "creditor_identifier", "{ics}");
    }

    // Mixing CORE and B2B; duplicate ids; empty group; dates.
    let mut b = plan_batch();
    b.groups[1].local_instrument = LocalInstrument::B2b;
    assert_eq!(refused(&b).1, "local_instrument");
    let mut b = plan_batch();
    b.groups[1].id = "G-FRST".into();
    assert_eq!(refused(&b).1, "id");
    let mut b = plan_batch();
    b.groups[1].transactions[1].end_to_end_id = "A-1".into();
    assert_eq!(refused(&b).1, "end_to_end_id");
    let mut b = plan_batch();
    b.groups[1].transactions.clear();
    assert_eq!(refused(&b).1, "transactions");
    let mut b = plan_batch();
    b.groups[0].collection_date = date(2026, 3, 1);
    assert_eq!(refused(&b).1, "collection_date");
    let mut b = plan_batch();
    b.groups[0].transactions[2].mandate_signed_on = date(2026, 3, 17);
    assert_eq!(refused(&b).1, "mandate_signed_on");

    let mut b = plan_batch();
    b.groups.clear();
    assert_eq!(
        write(&b, Version::V001_001_02),
        Err(Pain008Error::EmptyBatch)
    );
}

#[test]
fn bic_with_digits_in_the_bank_code_only_in_001_08() {
    // 001.08's BICFI allows digits in the first four characters, 001.02's BIC does not.
    let mut b = small_batch();
    b.groups[0].transactions[0].debtor_bic = Some("1234DEFF".into());
    assert!(
        write(&b, Version::V001_001_08)
            .unwrap()
            .contains("<BICFI>1234DEFF</BICFI>")
    );
    let err = write(&b, Version::V001_001_02).unwrap_err().to_string();
    assert!(
        err.contains("debtor_bic") && err.contains("001.02"),
        "{err}"
    );
}

// ---- XSD validation -------------------------------------------------------------------

/// `$RECOUVRE_CORPUS`, else `shared/fixtures` beside the workspace; `None` when its
/// `pain008` folder is absent.
fn corpus(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("RECOUVRE_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    };
    if dir.join("pain008/pain.008.001.02.xsd").is_file() {
        Some(dir)
    } else {
        common::skipped::skipped(test, "RECOUVRE_CORPUS not found");
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
fn both_versions_validate_against_the_official_xsd() {
    let Some(dir) = corpus("both_versions_validate_against_the_official_xsd") else {
        return;
    };
    // Several groups, with and without BICs, both remittance forms, FRST/RCUR/FNAL.
    let mut b = plan_batch();
    b.groups.push(group(
        "G-RCUR",
        date(2026, 5, 15),
        SequenceType::Recurring,
        small_batch().groups.remove(0).transactions,
    ));
    b.groups[2].transactions[0].end_to_end_id = "C-1".into();
    b.groups[2].transactions[1].end_to_end_id = "C-2".into();
    b.creditor.bic = None;
    for (version, xsd, name) in [
        (
            Version::V001_001_02,
            "pain.008.001.02.xsd",
            "pain008-v02.xml",
        ),
        (
            Version::V001_001_08,
            "pain.008.001.08.xsd",
            "pain008-v08.xml",
        ),
    ] {
        let xml = write(&b, version).unwrap();
        assert_eq!(all(&xml, "PmtInfId").len(), 3);
        let good = temp(name, &xml);
        let xsd = dir.join("pain008").join(xsd);
        xsd_validate(&xsd, &[good]).unwrap_or_else(|report| panic!("{name}: {report}"));

        // The check can fail: the group header without its (mandatory) NbOfTxs, and a
        // BIC element of the other version. (CtrlSum alone would not do: the schemas make
        // it optional.)
        // 3 + 2 + 2 debits in the three groups.
        let broken = xml.replacen("      <NbOfTxs>7</NbOfTxs>\n", "", 1);
        assert!(broken.len() < xml.len(), "the group header's NbOfTxs is 7");
        let broken = temp(&format!("broken-nboftxs-{name}"), &broken);
        let wrong_bic = match version {
            Version::V001_001_02 => xml
                .replace("<BIC>", "<BICFI>")
                .replace("</BIC>", "</BICFI>"),
            Version::V001_001_08 => xml
                .replace("<BICFI>", "<BIC>")
                .replace("</BICFI>", "</BIC>"),
        };
        let wrong_bic = temp(&format!("broken-bic-{name}"), &wrong_bic);
        for bad in [broken, wrong_bic] {
            let report = xsd_validate(&xsd, std::slice::from_ref(&bad))
                .expect_err("a broken document must be rejected");
            assert!(report.contains("INVALID"), "{report}");
        }
    }
}

#[test]
fn the_validator_accepts_the_third_party_samples() {
    let Some(dir) = corpus("the_validator_accepts_the_third_party_samples") else {
        return;
    };
    // php-sepa-xml's own samples are schema-valid (their IBAN is not: see refusals).
    let p = dir.join("pain008");
    xsd_validate(
        &p.join("pain.008.001.02.xsd"),
        &[p.join("php-sepa-xml_pain.008.001.02_ooff.xml")],
    )
    .unwrap();
    xsd_validate(
        &p.join("pain.008.001.08.xsd"),
        &[p.join("php-sepa-xml_pain.008.001.08_ooff.xml")],
    )
    .unwrap();
}
