//! The statement readers on small files written for these tests (`tests/data`), so that
//! every reader is tested in a clone without the third-party corpus; and their errors.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use domain::money::parse_currency;
use recouvre_formats::camt::read_camt;
use recouvre_formats::mt940::read_mt940;
use recouvre_formats::statement::{AccountId, EntryStatus, Source};
use recouvre_formats::statement_csv::{CsvMapping, read_statement_csv};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

#[test]
fn camt_small() {
    let s = read_camt("camt053_small.xml", &data("camt053_small.xml")).unwrap();
    assert_eq!(s.len(), 1);
    let s = &s[0];
    assert_eq!(s.source, Source::Camt053);
    assert_eq!(
        s.account,
        AccountId::Iban("FR7630006000011234567890189".into())
    );
    // OPBD 100 DBIT -> -100.00; CLBD 1150.50 without CdtDbtInd -> credit, DtTm date part.
    assert_eq!(s.opening.unwrap().amount.minor(), -100_00);
    assert_eq!(s.closing.unwrap().amount.minor(), 1150_50);
    assert_eq!(s.closing.unwrap().date.unwrap().to_string(), "2026-11-02");
    // -100.00 + 1300.50 - 50.00 = 1150.50 (the pending 7.25 is not booked).
    assert_eq!(s.reconciles(), Some(true));
    let [batch, reversal, pending] = &s.entries[..] else {
        panic!("3 entries")
    };
    // Batch 1300.50 = 1000.00 (Amt) + 300.50 (AmtDtls/TxAmt).
    let amounts: Vec<i64> = batch
        .transactions
        .iter()
        .map(|t| t.amount.minor())
        .collect();
    assert_eq!(amounts, [1000_00, 300_50]);
    let first = &batch.transactions[0];
    assert_eq!(first.counterparty_name.as_deref(), Some("Dupont & Fils"));
    assert_eq!(
        first.counterparty_account,
        Some(AccountId::Iban("DE89370400440532013000".into()))
    );
    assert_eq!(
        first.structured_reference.as_deref(),
        Some("RF18539007547034")
    );
    assert_eq!(first.structured_reference_type.as_deref(), Some("SCOR"));
    assert_eq!(first.end_to_end_id.as_deref(), Some("E2E-1"));
    let second = &batch.transactions[1];
    assert_eq!(second.end_to_end_id, None, "NOTPROVIDED is no reference");
    assert_eq!(
        second.remittance_unstructured,
        ["Facture F-2026-0042", "reste dé"]
    );
    // Two details without amounts: one detail of -50.00, the bank listed 2.
    assert!(reversal.reversal);
    assert_eq!(reversal.amount.minor(), -50_00);
    assert_eq!(reversal.unsplit_details, Some(2));
    assert_eq!(reversal.transactions.len(), 1);
    assert_eq!(reversal.transactions[0].amount.minor(), -50_00);
    assert_eq!(
        reversal.transactions[0].return_reason.as_deref(),
        Some("MD06")
    );
    assert_eq!(pending.status, EntryStatus::Pending);
    assert_eq!(pending.booking_date, None);
}

#[test]
fn camt_minified_and_unprefixed_read_the_same() {
    let text = String::from_utf8(data("camt053_small.xml")).unwrap();
    let minified: String = text.lines().map(str::trim).collect::<Vec<_>>().join("");
    let unprefixed = text.replace("c:", "").replace("xmlns:c=", "xmlns=");
    let a = read_camt("a", text.as_bytes()).unwrap();
    assert_eq!(read_camt("b", minified.as_bytes()).unwrap(), a);
    assert_eq!(read_camt("c", unprefixed.as_bytes()).unwrap(), a);
}

#[test]
fn camt_errors_say_where() {
    // Truncated: the error gives the path of the open elements.
    let text = String::from_utf8(data("camt053_small.xml")).unwrap();
    let cut = &text[..text.find("<c:Ntry>").unwrap() + 8];
    let e = read_camt("cut.xml", cut.as_bytes()).unwrap_err();
    assert!(e.location.ends_with("Stmt/Ntry"), "{e}");
    // Mismatched end tag, line 3.
    let e = read_camt("bad.xml", b"<Document>\n<BkToCstmrStmt>\n</Stmt>").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.reason.starts_with("malformed XML"), "{e}");
    // Not camt.
    let e = read_camt(
        "inv.xml",
        b"<?xml version=\"1.0\"?><Invoice><ID>1</ID></Invoice>",
    )
    .unwrap_err();
    assert!(e.reason.contains("not a camt"), "{e}");
    let e = read_camt("doc.xml", b"<Document><CstmrDrctDbtInitn/></Document>").unwrap_err();
    assert!(e.reason.contains("CstmrDrctDbtInitn"), "{e}");
    assert!(read_camt("empty.xml", b"").is_err());
    // A bad amount: line 4, and the path down to the amount.
    let bad = text.replace(">7.25<", ">7,25<");
    let e = read_camt("amt.xml", bad.as_bytes()).unwrap_err();
    assert_eq!(
        e.location, "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt",
        "{e}"
    );
    assert_eq!(
        e.line,
        1 + bad[..bad.find(">7,25<").unwrap()].matches('\n').count() as u64
    );
    assert!(e.to_string().starts_with("amt.xml:"), "{e}");
    // No credit/debit indicator on an entry.
    let bad = text.replace("<c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts>PDNG", "<c:Sts>PDNG");
    let e = read_camt("ind.xml", bad.as_bytes()).unwrap_err();
    assert!(e.reason.contains("CdtDbtInd"), "{e}");
    // An unknown currency.
    let bad = text.replace("Ccy=\"EUR\">7.25", "Ccy=\"XYZ\">7.25");
    assert!(
        read_camt("ccy.xml", bad.as_bytes())
            .unwrap_err()
            .reason
            .contains("XYZ")
    );
}

#[test]
fn camt054_root() {
    let xml = br#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><Ntfctn><Id>N1</Id><Acct><Id><Othr><Id>12345</Id></Othr></Id></Acct><Ntry><Amt Ccy="CHF">5</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"#;
    let s = &read_camt("n.xml", xml).unwrap()[0];
    assert_eq!(s.source, Source::Camt054);
    assert_eq!(s.account, AccountId::Other("12345".into()));
    assert_eq!(s.currency.code(), "CHF");
    assert_eq!(s.entries[0].amount.minor(), 5_00);
}

#[test]
fn mt940_small() {
    let s = read_mt940("mt940_small.sta", &data("mt940_small.sta")).unwrap();
    assert_eq!(s.len(), 1);
    let s = &s[0];
    assert_eq!(s.id, "REL-1/12/1");
    assert_eq!(
        s.account,
        AccountId::Iban("FR7630006000011234567890189".into())
    );
    // 1000.00 + 250.50 + 12.00 (RD: reversal of a debit, money in) - 0.99 = 1261.51.
    assert_eq!(s.reconciles(), Some(true));
    let amounts: Vec<i64> = s.entries.iter().map(|e| e.amount.minor()).collect();
    assert_eq!(amounts, [250_50, 12_00, -99]);
    let e = &s.entries[0];
    // Value date 2026-12-31, entry date 0102: the next year.
    assert_eq!(e.value_date.unwrap().to_string(), "2026-12-31");
    assert_eq!(e.booking_date.unwrap().to_string(), "2027-01-02");
    assert_eq!(e.bank_reference.as_deref(), Some("BK-1"));
    assert_eq!(e.entry_reference, None);
    let t = &e.transactions[0];
    assert_eq!(t.end_to_end_id.as_deref(), Some("E2E-9"));
    assert_eq!(t.remittance_unstructured, ["Facture F-2026-0042 solde"]);
    assert_eq!(
        t.counterparty_name.as_deref(),
        Some("SOCIÉTÉ DUPONT"),
        "Windows-1252 text"
    );
    assert_eq!(
        t.counterparty_account,
        Some(AccountId::Iban("DE89370400440532013000".into()))
    );
    let r = &s.entries[1];
    assert!(r.reversal);
    assert_eq!(r.entry_reference.as_deref(), Some("REF-7"));
    assert_eq!(
        r.transactions[0].counterparty_name.as_deref(),
        Some("MARTIN")
    );
    assert_eq!(
        r.transactions[0].remittance_unstructured,
        ["Retour prélèvement"]
    );
    assert_eq!(
        s.entries[2].transactions[0].remittance_unstructured,
        ["Frais de tenue", "de compte"]
    );
}

#[test]
fn mt940_errors_give_the_line() {
    let text = String::from_utf8_lossy(&data("mt940_small.sta")).into_owned();
    let bad = text.replace(":61:261103RD12,", ":61:261103X12,");
    let e = read_mt940("bad.sta", bad.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.location.as_str()), (8, ":61:"), "{e}");
    let bad = text.replace(":60F:C261101EUR1000,", ":60F:C261101EUR1000");
    let e = read_mt940("bad.sta", bad.as_bytes()).unwrap_err();
    assert_eq!(e.line, 5, "{e}");
    let e = read_mt940("x.txt", b"hello\nworld\n").unwrap_err();
    assert!(e.reason.contains("not an MT940"), "{e}");
    let e = read_mt940("x.txt", b":61:261103D12,NTRF\n").unwrap_err();
    assert_eq!(e.line, 1);
    // A :61: before any balance has no currency.
    let e = read_mt940("x.txt", b":20:A\n:25:B\n:61:261103D12,NTRF\n").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
}

fn mapping() -> CsvMapping {
    let mut m = CsvMapping::new(
        "FR76 3000 6000 0112 3456 7890 189",
        parse_currency("EUR").unwrap(),
        "Date",
        "unused",
    );
    m.amount = None;
    m.debit = Some("Débit".into());
    m.credit = Some("crédit".into());
    m.value_date = Some("Date de valeur".into());
    m.currency_column = Some("Devise".into());
    m.reference = Some("Référence".into());
    m.remittance = vec!["Libellé".into()];
    m.counterparty_name = Some("Nom".into());
    m.counterparty_iban = Some("IBAN".into());
    m
}

#[test]
fn csv_debit_credit_columns_windows_1252() {
    let s = read_statement_csv(
        "bank_export_fr.csv",
        &data("bank_export_fr.csv"),
        &mapping(),
    )
    .unwrap();
    assert_eq!(s.source, Source::Csv);
    assert_eq!(
        s.account,
        AccountId::Iban("FR7630006000011234567890189".into())
    );
    let amounts: Vec<i64> = s.entries.iter().map(|e| e.amount.minor()).collect();
    // 1 234,56 in Crédit; -12,50 and 3,00 in Débit are both debits; the empty row skipped.
    assert_eq!(amounts, [1234_56, -12_50, -3_00]);
    let t = &s.entries[0].transactions[0];
    assert_eq!(t.structured_reference.as_deref(), Some("RF18539007547034"));
    assert_eq!(
        t.counterparty_account,
        Some(AccountId::Iban("DE89370400440532013000".into()))
    );
    assert_eq!(t.remittance_unstructured, ["VIR DUPONT"]);
    assert_eq!(s.entries[0].value_date.unwrap().to_string(), "2026-11-03");
    assert_eq!(
        s.entries[2].transactions[0].structured_reference, None,
        "ABC is no RF"
    );
    assert_eq!(s.entries[2].bank_reference.as_deref(), Some("ABC"));
}

#[test]
fn csv_signed_amount_and_errors() {
    let eur = parse_currency("EUR").unwrap();
    let text = "date,amount,text\n2026-11-02,-1.234.56,x\n";
    // "-1.234.56" is not an amount: line 2, column "amount".
    let e = read_statement_csv(
        "s.csv",
        text.as_bytes(),
        &CsvMapping::new("X", eur, "date", "amount"),
    )
    .unwrap_err();
    assert_eq!((e.line, e.location.as_str()), (2, "amount"), "{e}");
    let ok = "date\tamount\n2026-11-02\t-1 234,56 €\n03/11/2026\t+7\n";
    let s = read_statement_csv(
        "s.csv",
        ok.as_bytes(),
        &CsvMapping::new("X", eur, "Date", "AMOUNT"),
    )
    .unwrap();
    assert_eq!(
        s.entries
            .iter()
            .map(|e| e.amount.minor())
            .collect::<Vec<_>>(),
        [-1234_56, 7_00]
    );
    let e = read_statement_csv(
        "s.csv",
        b"when;amount\n",
        &CsvMapping::new("X", eur, "date", "amount"),
    )
    .unwrap_err();
    assert!(e.reason.contains("no column"), "{e}");
    let e = read_statement_csv(
        "s.csv",
        b"date;amount\n2026-11-02;\n",
        &CsvMapping::new("X", eur, "date", "amount"),
    )
    .unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    let e = read_statement_csv(
        "s.csv",
        b"date;amount\n2026-02-30;1\n",
        &CsvMapping::new("X", eur, "date", "amount"),
    )
    .unwrap_err();
    assert_eq!((e.line, e.location.as_str()), (2, "date"), "{e}");
    assert!(
        read_statement_csv("s.csv", b"", &CsvMapping::new("X", eur, "date", "amount")).is_err()
    );
    let mut gbp = mapping();
    gbp.currency = parse_currency("GBP").unwrap();
    let e = read_statement_csv("b.csv", &data("bank_export_fr.csv"), &gbp).unwrap_err();
    assert!(e.reason.contains("differs"), "{e}");
}
