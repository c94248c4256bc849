//! The claims CSV reader on whole files: the French and English layouts, encodings,
//! quoting, and the errors a person preparing a file will meet. Every expected value is
//! read off the input by hand (the derivation is in the comments), never off the output.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use domain::{ClaimNumber, Currency, Date, DebtorKind, Money, Nature, Segment};
use recouvre_formats::claims_csv::{
    ClaimRow, Column, ColumnDefaults, ColumnMap, CsvError, DateOrder, ReadOptions, read_claims,
};
use std::path::PathBuf;

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn date(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

/// The messages compared here are the English ones the CLI prints with `--lang en` (with
/// no language set, as on the web, a message holds both).
fn english() {
    domain::lang::set(domain::lang::Lang::En);
}

fn read(text: &str) -> Result<Vec<ClaimRow>, CsvError> {
    english();
    read_claims("f.csv", text.as_bytes(), &ReadOptions::default())
}

fn read_err(text: &str) -> String {
    read(text).unwrap_err().to_string()
}

/// The smallest valid header, and a row for it.
const HEADER: &str = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount";

// ---------------------------------------------------------------------------------------
// Whole files

#[test]
fn french_excel_file_through_map() {
    let mut opts = ReadOptions::default();
    // Two --map flags, merged; `échéance` and `MONTANT TTC` differ in case from the file.
    opts.map.merge(
        ColumnMap::parse(
            "debtor_id=Code client,debtor_name=Raison sociale,debtor_kind=Type,country=Pays,\
             email=Courriel,phone=Téléphone,address=Adresse",
        )
        .unwrap(),
    );
    opts.map.merge(
        ColumnMap::parse(
            "invoice_number=N° facture,issue_date=Date facture,due_date=échéance,\
             amount=MONTANT TTC,currency=Devise,nature=Nature,tags=Étiquettes",
        )
        .unwrap(),
    );
    let rows = read_claims("french.csv", &data("french.csv"), &opts).unwrap();

    // Line 2 (its address runs onto line 3): a company, so b2b and commercial by default;
    // "fr" upper-cased; French language by default for FR; "1 234,56" = 1234.56.
    let first = ClaimRow {
        line: 2,
        creditor: None,
        debtor_id: "C001".into(),
        debtor_name: "Boulangerie Dupont SARL".into(),
        debtor_kind: DebtorKind::Company,
        segment: Segment::B2b,
        country: "FR".into(),
        language: "fr".into(),
        email: Some("compta@dupont.fr".into()),
        phone: Some("01 23 45 67 89".into()),
        address: Some("12 rue de la Paix; bâtiment B\n75002 Paris".into()),
        invoice_number: ClaimNumber::parse("FA-2024-001").unwrap(),
        external_id: "FA-2024-001".into(),
        issue_date: date(2024, 1, 15),
        due_date: date(2024, 3, 14),
        amount: eur(123_456),
        nature: Nature::Commercial,
        tags: vec!["vip".into(), "export".into()],
        paid: None,
        terms: Default::default(),
    };
    // Line 4: a person in Belgium: b2c and consumer by default, French for BE; empty
    // currency is EUR; dotted dates; "89,90" = 89.90.
    let second = ClaimRow {
        line: 4,
        creditor: None,
        debtor_id: "C002".into(),
        debtor_name: "Marie Curie".into(),
        debtor_kind: DebtorKind::Person,
        segment: Segment::B2c,
        country: "BE".into(),
        language: "fr".into(),
        email: None,
        phone: None,
        address: None,
        invoice_number: ClaimNumber::parse("FA-2024-002").unwrap(),
        external_id: "FA-2024-002".into(),
        issue_date: date(2024, 2, 1),
        due_date: date(2024, 3, 2),
        amount: eur(8_990),
        nature: Nature::Consumer,
        tags: vec![],
        paid: None,
        terms: Default::default(),
    };
    // Line 5 (running onto 6): "SOCIÉTÉ" in capitals, due on the issue day (allowed),
    // "1.000,00" = 1000.00 with a thousands dot, "eur" and "commerciale" in French.
    let third = ClaimRow {
        line: 5,
        invoice_number: ClaimNumber::parse("FA-2024-003").unwrap(),
        external_id: "FA-2024-003".into(),
        issue_date: date(2024, 2, 20),
        due_date: date(2024, 2, 20),
        amount: eur(100_000),
        tags: vec![],
        ..first.clone()
    };
    // Line 7, all cells empty, is skipped.
    assert_eq!(rows, vec![first, second, third]);
}

#[test]
fn english_file_with_documented_headers() {
    let rows = read_claims("english.csv", &data("english.csv"), &ReadOptions::default()).unwrap();
    assert_eq!(rows.len(), 3);

    // "1,250.00" quoted because of its thousands comma: 1250.00 GBP. Language empty: en for GB.
    let acme = &rows[0];
    assert_eq!(acme.line, 2);
    assert_eq!(acme.creditor.as_deref(), Some("AGENCY1"));
    assert_eq!(acme.external_id, "ACME-INV-1001");
    assert_eq!(acme.invoice_number.as_str(), "INV-1001");
    assert_eq!(acme.debtor_name, "Acme Ltd");
    assert_eq!(acme.address.as_deref(), Some("1 High Street, London"));
    assert_eq!(acme.country, "GB");
    assert_eq!(acme.language, "en");
    assert_eq!(acme.issue_date, date(2024, 3, 1));
    assert_eq!(acme.due_date, date(2024, 3, 31));
    assert_eq!(acme.amount, Money::from_minor(125_000, Currency::GBP));
    assert_eq!(acme.nature, Nature::Commercial);

    // A person in b2b (a sole trader): the segment is kept, the nature given (rent).
    // "us" → US, "EN" → en, 99.5 USD = 9950 cents, external id defaults to the number.
    let smith = &rows[1];
    assert_eq!(smith.line, 3);
    assert_eq!(smith.debtor_kind, DebtorKind::Person);
    assert_eq!(smith.segment, Segment::B2b);
    assert_eq!(smith.country, "US");
    assert_eq!(smith.language, "en");
    assert_eq!(smith.external_id, "INV-1002");
    assert_eq!(smith.amount, Money::from_minor(9_950, Currency::USD));
    assert_eq!(smith.nature, Nature::Rent);
    assert_eq!(smith.tags, vec!["late".to_string(), "small".to_string()]);
    assert_eq!(smith.email, None);

    // Doubled quotes inside a quoted cell; German by default for DE; no creditor cell.
    let hans = &rows[2];
    assert_eq!(hans.line, 4);
    assert_eq!(hans.debtor_name, "Hans \"Hansi\" Müller GmbH");
    assert_eq!(hans.creditor, None);
    assert_eq!(hans.language, "de");
    assert_eq!(hans.segment, Segment::B2b);
    assert_eq!(hans.amount, eur(100_000));
}

#[test]
fn windows_1252_file_with_accents() {
    // 0xE9 é, 0xC9 É, 0xB0 °, 0xA0 no-break space (French Excel's thousands separator).
    let bytes: &[u8] = b"debtor_id;debtor_name;debtor_kind;address;invoice_number;issue_date;due_date;amount\r\n\
        D1;Soci\xe9t\xe9 G\xe9n\xe9rale d'\xc9lectricit\xe9;soci\xe9t\xe9;\"3 all\xe9e des \xc9rables\";F\xb01;05/06/2024;05/07/2024;2\xa0500,00\r\n";
    let rows = read_claims("w.csv", bytes, &ReadOptions::default()).unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.debtor_name, "Société Générale d'Électricité");
    assert_eq!(row.debtor_kind, DebtorKind::Company);
    assert_eq!(row.address.as_deref(), Some("3 allée des Érables"));
    assert_eq!(row.invoice_number.as_str(), "F°1");
    // 5 June to 5 July 2024, day first; 2 500,00 = 2500.00.
    assert_eq!(row.issue_date, date(2024, 6, 5));
    assert_eq!(row.due_date, date(2024, 7, 5));
    assert_eq!(row.amount, eur(250_000));
}

#[test]
fn utf16_file_from_excel_unicode_text() {
    // Excel's "Unicode text": UTF-16LE with a byte-order mark, TAB-separated.
    let text = "debtor_id\tdebtor_name\tdebtor_kind\tinvoice_number\tissue_date\tdue_date\tamount\r\n\
                D1\tÉcole Sainte-Anne\tentreprise\tF1\t01/03/2024\t31/03/2024\t12,50\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let rows = read_claims("u.txt", &bytes, &ReadOptions::default()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].debtor_name, "École Sainte-Anne");
    assert_eq!(rows[0].amount, eur(1_250));
}

#[test]
fn quoted_cells_hold_separators_and_line_breaks() {
    // Row 1 starts on line 2 and its address spans lines 2 to 5 (one CRLF, one LF, one
    // empty line inside the quotes); row 2 starts on line 6. The CRLF comes out as \n.
    let text = "debtor_id,debtor_name,debtor_kind,address,invoice_number,issue_date,due_date,amount\n\
                D1,\"Dupont, Durand & Cie\",company,\"Bât. A\r\n2, rue Haute\n\n75001 Paris\",F1,2024-01-01,2024-01-31,\"1,5\"\n\
                D2,Martin,person,,F2,2024-01-01,2024-01-31,bad\n";
    let err = read(text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "f.csv:6: amount: \"bad\" is not an amount (expected digits with an optional . or , decimal separator)"
    );
    let fixed = text.replace(",bad\n", ",2\n");
    let rows = read(&fixed).unwrap();
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].debtor_name, "Dupont, Durand & Cie");
    assert_eq!(
        rows[0].address.as_deref(),
        Some("Bât. A\n2, rue Haute\n\n75001 Paris")
    );
    // "1,5" with a decimal comma, quoted in a comma-separated file: 1.50.
    assert_eq!(rows[0].amount, eur(150));
    assert_eq!(rows[1].line, 6);
    assert_eq!(rows[1].amount, eur(200));
}

// ---------------------------------------------------------------------------------------
// All or nothing

/// A file of `n` rows, each on one line: row `i` (1-based) is on line `i + 1`.
fn big_file(n: usize, amount_of: impl Fn(usize) -> String) -> String {
    let mut text = String::from(HEADER);
    text.push('\n');
    for i in 1..=n {
        text.push_str(&format!(
            "D{};Débiteur {};société;F{i:05};01/01/2025;31/01/2025;{}\n",
            i % 700,
            i % 700,
            amount_of(i)
        ));
    }
    text
}

#[test]
fn one_bad_row_among_ten_thousand_stops_everything() {
    let amount = |i: usize| format!("{},{:02}", i, i % 100);
    let good = big_file(10_000, amount);
    let rows = read_claims("big.csv", good.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(rows.len(), 10_000);
    // Row 10,000 is on line 10,001, for 10000,00.
    assert_eq!(rows[9_999].line, 10_001);
    assert_eq!(rows[9_999].amount, eur(1_000_000));

    // Row 7,345 is on line 7,346 (the header is line 1). A second bad row further down
    // is not reached: the first bad row stops the reading.
    let bad = big_file(10_000, |i| match i {
        7_345 => "12,3,4".into(),
        9_000 => "oops".into(),
        _ => amount(i),
    });
    let err = read_claims("big.csv", bad.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert_eq!(
        err,
        CsvError {
            file: "big.csv".into(),
            line: 7_346,
            field: "amount".into(),
            reason: "\"12,3,4\" is not an amount (expected digits with an optional . or , decimal separator)".into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "big.csv:7346: amount: \"12,3,4\" is not an amount (expected digits with an optional . or , decimal separator)"
    );
}

#[test]
fn a_header_without_rows_gives_no_rows_and_an_empty_file_is_an_error() {
    assert_eq!(read(&format!("{HEADER}\n")).unwrap(), vec![]);
    assert_eq!(read(HEADER).unwrap(), vec![]);
    assert_eq!(
        read_err(""),
        "f.csv:1: header: the file is empty; expected a header line naming the columns (see CLAIMS_CSV.md)"
    );
    assert!(read_err("\u{feff}").starts_with("f.csv:1: header: the file is empty"));
}

// ---------------------------------------------------------------------------------------
// Header and --map errors

#[test]
fn missing_required_column_is_named() {
    let header = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;amount";
    assert_eq!(
        read_err(&format!("{header}\nD1;N;company;F1;01/01/2025;10\n")),
        "f.csv:1: header: missing column \"due_date\""
    );
    assert_eq!(
        read_err("debtor_id;debtor_name;invoice_number;issue_date;amount\n"),
        "f.csv:1: header: missing columns \"debtor_kind\", \"due_date\""
    );
}

#[test]
fn mapped_header_absent_from_file_is_named() {
    let opts = ReadOptions {
        map: ColumnMap::parse("due_date=Échéance,phone=Tél.").unwrap(),
        ..ReadOptions::default()
    };
    let err = read_claims("f.csv", format!("{HEADER}\n").as_bytes(), &opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "f.csv:1: header: missing columns \"phone\" (mapped to \"Tél.\"), \"due_date\" (mapped to \"Échéance\")"
    );
}

/// The calls `recouvre import claims` makes (crates/recouvre/src/main.rs): repeated
/// `--map` merged, `--delimiter`, `--date-order`, errors turned into messages.
#[test]
fn options_as_the_cli_builds_them() {
    fn message<E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(e: E) -> String {
        e.to_string()
    }
    let mut read = ReadOptions::default();
    for m in ["debtor_id=Code client,amount=Total", "amount=Montant TTC"] {
        read.map
            .merge(ColumnMap::parse(m).map_err(message).unwrap());
    }
    read.delimiter = Some(b';');
    read.date_order = "dmy".parse().map_err(message).unwrap();
    assert_eq!(read.map.get(Column::DebtorId), Some("Code client"));
    assert_eq!(read.map.get(Column::Amount), Some("Montant TTC"));
    assert_eq!(read.date_order, DateOrder::DayMonthYear);
    assert_eq!(
        "us".parse::<DateOrder>().map_err(message).unwrap_err(),
        "\"us\" is not a date order (expected auto, iso, dmy or mdy)"
    );
}

#[test]
fn unknown_map_target_is_refused() {
    assert_eq!(
        ColumnMap::parse("debtor_id=Code client,montant=Montant TTC").unwrap_err(),
        "--map \"montant=Montant TTC\": unknown column \"montant\"; the columns are: \
         creditor, debtor_id, debtor_name, debtor_kind, segment, country, language, email, \
         phone, address, invoice_number, external_id, issue_date, due_date, amount, currency, \
         nature, tags, paid_date, paid_amount, penalty_rate, indemnity, payment_terms, \
         due_date_is_notice"
    );
    assert_eq!(
        ColumnMap::parse("amount:Montant").unwrap_err(),
        "--map \"amount:Montant\": expected our_name=Their header (e.g. amount=Montant TTC)"
    );
}

#[test]
fn a_column_twice_in_the_header_is_refused() {
    assert_eq!(
        read_err(&format!("{HEADER};Amount\n")),
        "f.csv:1: header: column \"amount\" appears twice (columns 7 and 8)"
    );
}

#[test]
fn wrong_separator_gets_a_hint() {
    english();
    let mut opts = ReadOptions {
        delimiter: Some(b','),
        ..ReadOptions::default()
    };
    let err = read_claims("f.csv", format!("{HEADER}\n").as_bytes(), &opts).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "(the header has a single column when split on ',': is that the separator?)"
        ),
        "{err}"
    );
    opts.delimiter = Some(b'"');
    assert_eq!(
        read_claims("f.csv", b"x", &opts).unwrap_err().to_string(),
        "f.csv:1: delimiter: '\"' cannot separate fields (use ;, a comma, TAB or another punctuation mark)"
    );
}

#[test]
fn explicit_delimiter_wins_over_detection() {
    // `|` is not one of the detected separators; given explicitly, it splits the fields
    // and the `;` inside a name is plain text.
    let text = "debtor_id|debtor_name|debtor_kind|invoice_number|issue_date|due_date|amount\n\
                D1|A;B;C|company|F1|2025-01-01|2025-01-31|10\n";
    let opts = ReadOptions {
        delimiter: Some(b'|'),
        ..ReadOptions::default()
    };
    let rows = read_claims("p.csv", text.as_bytes(), &opts).unwrap();
    assert_eq!(rows[0].debtor_name, "A;B;C");
    assert_eq!(rows[0].amount, eur(1_000));
}

// ---------------------------------------------------------------------------------------
// Row errors

fn one_row(extra_header: &str, row: &str) -> String {
    format!("{HEADER}{extra_header}\n{row}\n")
}

#[test]
fn due_date_before_issue_date() {
    assert_eq!(
        read_err(&one_row("", "D1;N;company;F1;01/02/2024;31/01/2024;10")),
        "f.csv:2: due_date: the due date 2024-01-31 precedes the issue date 2024-02-01"
    );
}

#[test]
fn bad_currency() {
    assert_eq!(
        read_err(&one_row(
            ";currency",
            "D1;N;company;F1;01/02/2024;01/03/2024;10;EURO"
        )),
        "f.csv:2: currency: unknown currency code \"EURO\""
    );
}

#[test]
fn bad_email() {
    assert_eq!(
        read_err(&one_row(
            ";email",
            "D1;N;company;F1;01/02/2024;01/03/2024;10;jean dupont@x.fr"
        )),
        "f.csv:2: email: \"jean dupont@x.fr\" is not an e-mail address: it holds a space"
    );
    assert_eq!(
        read_err(&one_row(
            ";email",
            "D1;N;company;F1;01/02/2024;01/03/2024;10;a@x.fr,b@y.fr"
        )),
        "f.csv:2: email: \"a@x.fr,b@y.fr\" holds more than one @: give one e-mail address per row"
    );
    assert_eq!(
        read_err(&one_row(
            ";email",
            "D1;N;company;F1;01/02/2024;01/03/2024;10;compta.x.fr"
        )),
        "f.csv:2: email: \"compta.x.fr\" is not an e-mail address: it has no @"
    );
}

#[test]
fn empty_required_cell() {
    assert_eq!(
        read_err(&one_row("", "D1; ;company;F1;01/02/2024;01/03/2024;10")),
        "f.csv:2: debtor_name: empty, but a value is required"
    );
}

#[test]
fn amounts_must_be_positive_and_exact() {
    assert_eq!(
        read_err(&one_row("", "D1;N;company;F1;01/02/2024;01/03/2024;-10,00")),
        "f.csv:2: amount: \"-10,00\" is negative: a credit note is not a claim; leave it out of the file"
    );
    assert_eq!(
        read_err(&one_row("", "D1;N;company;F1;01/02/2024;01/03/2024;0")),
        "f.csv:2: amount: \"0\" is zero: a claim is for more than nothing"
    );
    // Three decimals for a two-decimal currency is refused, never rounded.
    assert_eq!(
        read_err(&one_row("", "D1;N;company;F1;01/02/2024;01/03/2024;10,005")),
        "f.csv:2: amount: \"10,005\" has more decimals than Euro allows (2)"
    );
    // JPY has no minor unit: 1500 yen is 1500 minor units.
    let rows = read(&one_row(
        ";currency",
        "D1;N;company;F1;01/02/2024;01/03/2024;1 500;JPY",
    ))
    .unwrap();
    assert_eq!(rows[0].amount, Money::from_minor(1_500, Currency::JPY));
}

#[test]
fn kind_country_language_and_nature_are_checked() {
    assert_eq!(
        read_err(&one_row("", "D1;N;robot;F1;01/02/2024;01/03/2024;10")),
        "f.csv:2: debtor_kind: \"robot\" is not one of: company, person"
    );
    assert_eq!(
        read_err(&one_row(
            ";country",
            "D1;N;company;F1;01/02/2024;01/03/2024;10;France"
        )),
        "f.csv:2: country: \"France\" is not a country code (expected two letters, ISO 3166-1, such as FR or BE)"
    );
    assert_eq!(
        read_err(&one_row(
            ";language",
            "D1;N;company;F1;01/02/2024;01/03/2024;10;français"
        )),
        "f.csv:2: language: \"français\" is not a language code (expected two letters, ISO 639-1, such as fr or en)"
    );
    assert_eq!(
        read_err(&one_row(
            ";nature",
            "D1;N;person;F1;01/02/2024;01/03/2024;10;commercial"
        )),
        "f.csv:2: nature: commercial is for claims between professionals, and this row's segment is b2c"
    );
    assert_eq!(
        read_err(&one_row(
            ";segment;nature",
            "D1;N;company;F1;01/02/2024;01/03/2024;10;b2b;consumer_credit"
        )),
        "f.csv:2: nature: consumer_credit is for claims on consumers, and this row's segment is b2b"
    );
}

#[test]
fn rows_of_the_wrong_width() {
    // One cell short: 6 instead of 7.
    assert_eq!(
        read_err(&one_row("", "D1;N;company;F1;01/02/2024;10")),
        "f.csv:2: row: 6 cells where the header has 7: a quote opened on this line may not be closed"
    );
    // An unquoted ';' inside the name: 8 cells.
    assert_eq!(
        read_err(&one_row(
            "",
            "D1;Dupont;Fils;company;F1;01/02/2024;01/03/2024;10"
        )),
        "f.csv:2: row: 8 cells where the header has 7: does a value hold the separator ';' without quotes?"
    );
    // Trailing empty cells (a trailing separator) are harmless, on a row or on the header.
    let rows = read(&one_row("", "D1;N;company;F1;01/02/2024;01/03/2024;10;;")).unwrap();
    assert_eq!(rows[0].amount, eur(1_000));
    let rows = read(&one_row(";", "D1;N;company;F1;01/02/2024;01/03/2024;10")).unwrap();
    assert_eq!(rows[0].amount, eur(1_000));
}

#[test]
fn blank_lines_are_skipped_and_lines_still_counted() {
    // Line 1 blank, header on line 2, blank line 3, row on line 4.
    let text = format!("\n{HEADER}\n\n D1 ;N;company;F1;01/02/2024;01/03/2024;10\n\n");
    let rows = read(&text).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 4);
    assert_eq!(rows[0].debtor_id, "D1");
    let bad = text.replace(";10\n", ";x\n");
    assert!(read_err(&bad).starts_with("f.csv:4: amount: "));

    // An empty first row of the sheet, saved as separators: the header is on line 2.
    let text =
        format!(";;;;;;\r\n{HEADER}\r\n;;;;;;\r\nD1;N;company;F1;01/02/2024;01/03/2024;x\r\n");
    assert!(read_err(&text).starts_with("f.csv:4: amount: "));
    assert_eq!(
        read_err(";;\r\ndebtor_id\r\n"),
        "f.csv:2: header: missing columns \"debtor_name\", \"debtor_kind\", \"invoice_number\", \"issue_date\", \"due_date\", \"amount\" \
         (the header has a single column when split on ';': is that the separator?)"
    );
}

#[test]
fn encoding_errors_name_the_line() {
    // A UTF-8 file (two é as C3 A9) with one Windows-1252 é (E9) on line 2.
    let bytes =
        format!("{HEADER}\nD1;Caf\u{e9} \u{e9}t\u{e9};company;F1;01/02/2024;01/03/2024;10\n")
            .into_bytes();
    let mut damaged = bytes.clone();
    let at = damaged
        .windows(2)
        .position(|w| w == "é".as_bytes())
        .unwrap();
    damaged.splice(at..at + 2, [0xE9]);
    let err = read_claims("d.csv", &damaged, &ReadOptions::default()).unwrap_err();
    assert_eq!(err.line, 2);
    assert_eq!(err.field, "encoding");
    assert!(read_claims("d.csv", &bytes, &ReadOptions::default()).is_ok());
}

// ---------------------------------------------------------------------------------------
// Dates

#[test]
fn month_first_dates_need_the_option() {
    let text = one_row("", "D1;N;company;F1;3/14/2013;4/13/2013;10");
    assert_eq!(
        read_err(&text),
        "f.csv:2: issue_date: \"3/14/2013\": there is no month 14 (dates are read day first; for a month/day/year file choose the date order mdy)"
    );
    let opts = ReadOptions {
        date_order: DateOrder::MonthDayYear,
        ..ReadOptions::default()
    };
    let rows = read_claims("f.csv", text.as_bytes(), &opts).unwrap();
    assert_eq!(rows[0].issue_date, date(2013, 3, 14));
    assert_eq!(rows[0].due_date, date(2013, 4, 13));
    assert_eq!("mdy".parse::<DateOrder>(), Ok(DateOrder::MonthDayYear));
}

#[test]
fn iso_only_refuses_day_first() {
    let opts = ReadOptions {
        date_order: DateOrder::Iso,
        ..ReadOptions::default()
    };
    let err = read_claims(
        "f.csv",
        one_row("", "D1;N;company;F1;2024-02-01;01/03/2024;10").as_bytes(),
        &opts,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "f.csv:2: due_date: \"01/03/2024\" is not a date (expected YYYY-MM-DD)"
    );
}

// ---------------------------------------------------------------------------------------
// A real third-party file (shared/fixtures): the IBM Watson accounts-receivable sample,
// 2,466 invoices, CRLF, US month/day/year dates.

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("RECOUVRE_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
        PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

#[test]
fn ibm_accounts_receivable_sample() {
    english();
    let Some(dir) = corpus() else {
        common::skipped::skipped(
            "ibm_accounts_receivable_sample",
            "no shared/fixtures (set RECOUVRE_CORPUS)",
        );
        return;
    };
    let raw = std::fs::read_to_string(
        dir.join("datasets/ibm-watson_WA_Fn-UseC_-Accounts-Receivable.csv"),
    )
    .unwrap();
    // The file has no debtor name nor kind: the customer id serves as the name (two of our
    // columns from one header), and a `kind` column is added, "company" on every line.
    let text: String = raw
        .split_inclusive("\r\n")
        .enumerate()
        .map(|(i, line)| {
            let body = line.trim_end_matches("\r\n");
            format!("{body},{}\r\n", if i == 0 { "kind" } else { "company" })
        })
        .collect();
    let mut opts = ReadOptions {
        map: ColumnMap::parse(
            "debtor_id=customerID,debtor_name=customerID,debtor_kind=kind,\
             invoice_number=invoiceNumber,issue_date=InvoiceDate,due_date=DueDate,\
             amount=InvoiceAmount",
        )
        .unwrap(),
        ..ReadOptions::default()
    };

    // Read day first, the first row's "1/2/2013" is 1 February and its due date "2/1/2013"
    // is 2 January: before the issue date.
    assert_eq!(
        read_claims("ar.csv", text.as_bytes(), &opts)
            .unwrap_err()
            .to_string(),
        "ar.csv:2: due_date: the due date 2013-01-02 precedes the issue date 2013-02-01"
    );

    opts.date_order = DateOrder::MonthDayYear;
    let rows = read_claims("ar.csv", text.as_bytes(), &opts).unwrap();
    // SOURCES.md: 2,466 invoices, net 30 on every row, amounts summing to 147,703.18.
    assert_eq!(rows.len(), 2_466);
    for row in &rows {
        assert_eq!(
            domain::date::days_between(row.issue_date, row.due_date),
            30,
            "line {}",
            row.line
        );
    }
    let total: i64 = rows.iter().map(|r| r.amount.minor()).sum();
    assert_eq!(total, 14_770_318);
    // The first data line: 391,0379-NEVHP,4/6/2013,611365,1/2/2013,2/1/2013,55.94,...
    let first = &rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.debtor_id, "0379-NEVHP");
    assert_eq!(first.debtor_name, "0379-NEVHP");
    assert_eq!(first.invoice_number.as_str(), "611365");
    assert_eq!(first.issue_date, date(2013, 1, 2));
    assert_eq!(first.due_date, date(2013, 2, 1));
    assert_eq!(first.amount, eur(5_594));
    // The last, line 2,467: 406,9758-AIEIK,4/23/2012,9990243864,7/4/2013,8/3/2013,68.66,...
    let last = &rows[2_465];
    assert_eq!(last.line, 2_467);
    assert_eq!(last.debtor_id, "9758-AIEIK");
    assert_eq!(last.issue_date, date(2013, 7, 4));
    assert_eq!(last.amount, eur(6_866));
}

// ---------------------------------------------------------------------------------------
// Settlement history and default values

#[test]
fn paid_date_and_paid_amount_report_a_settlement() {
    let text = format!(
        "{HEADER};paid_date;paid_amount\n\
         C1;Acme;company;F1;2026-01-10;2026-02-09;1200,00;2026-03-01;\n\
         C1;Acme;company;F2;2026-01-15;2026-02-14;500,00;2026-02-20;200,50\n\
         C1;Acme;company;F3;2026-01-20;2026-02-19;80,00;;\n"
    );
    let rows = read(&text).unwrap();
    // F1: no paid_amount, so the whole 1,200.00 on 1 March.
    let f1 = rows[0].paid.unwrap();
    assert_eq!((f1.date, f1.amount), (date(2026, 3, 1), eur(1_200_00)));
    // F2: 200.50 of its 500.00 on 20 February.
    let f2 = rows[1].paid.unwrap();
    assert_eq!((f2.date, f2.amount), (date(2026, 2, 20), eur(200_50)));
    // F3: both cells empty, unpaid.
    assert_eq!(rows[2].paid, None);
}

#[test]
fn a_settlement_that_cannot_be_is_refused_on_its_line() {
    let header = format!("{HEADER};paid_date;paid_amount");
    let row = |paid_date: &str, paid_amount: &str| {
        read_err(&format!(
            "{header}\nC1;Acme;company;F1;2026-01-10;2026-02-09;100,00;{paid_date};{paid_amount}\n"
        ))
    };
    let err = row("", "50");
    assert!(
        err.starts_with("f.csv:2: paid_date: empty, but paid_amount is set"),
        "{err}"
    );
    // Paid on 9 January, the day before the invoice of 10 January.
    let err = row("2026-01-09", "");
    assert!(
        err.starts_with("f.csv:2: paid_date: the payment date 2026-01-09 precedes"),
        "{err}"
    );
    let err = row("2026-02-01", "100,01");
    assert!(
        err.starts_with("f.csv:2: paid_amount: \"100,01\" is more than"),
        "{err}"
    );
    let err = row("2026-02-01", "0");
    assert!(
        err.starts_with("f.csv:2: paid_amount: \"0\": a settled amount is greater than zero"),
        "{err}"
    );
    let err = row("2026-02-31", "");
    assert!(err.starts_with("f.csv:2: paid_date: "), "{err}");
}

#[test]
fn defaults_fill_a_missing_column_and_empty_cells() {
    // No debtor_kind column at all, and one row without a country.
    let text = "debtor_id;debtor_name;invoice_number;issue_date;due_date;amount;country\n\
                C1;Acme;F1;2026-01-10;2026-02-09;100;BE\n\
                C2;Bolt;F2;2026-01-10;2026-02-09;100;\n";
    let err = read_err(text);
    assert!(
        err.contains("header: missing column \"debtor_kind\""),
        "{err}"
    );

    let opts = ReadOptions {
        defaults: ColumnDefaults::parse("debtor_kind=company, country=US").unwrap(),
        ..ReadOptions::default()
    };
    let rows = read_claims("f.csv", text.as_bytes(), &opts).unwrap();
    assert_eq!(rows[0].debtor_kind, DebtorKind::Company);
    assert_eq!(rows[0].segment, Segment::B2b);
    // The file's cell wins; the default fills the empty one.
    assert_eq!(rows[0].country, "BE");
    assert_eq!(rows[1].country, "US");
    assert_eq!(rows[1].language, "en");

    // A default is read as a cell would be, and a wrong one says so on the first row.
    let opts = ReadOptions {
        defaults: ColumnDefaults::parse("debtor_kind=robot").unwrap(),
        ..ReadOptions::default()
    };
    let err = read_claims("f.csv", text.as_bytes(), &opts)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("f.csv:2: debtor_kind: \"robot\""), "{err}");

    assert!(
        ColumnDefaults::parse("kind=company")
            .unwrap_err()
            .contains("unknown column")
    );
    assert!(
        ColumnDefaults::parse("country=")
            .unwrap_err()
            .contains("empty")
    );
    assert!(
        ColumnDefaults::parse("country=FR,country=BE")
            .unwrap_err()
            .contains("twice")
    );
}

#[test]
fn options_as_pairs_from_the_web_form_and_the_api() {
    let mut opts = ReadOptions::default();
    for pair in [
        "debtor_id=customerID",
        "debtor_name=customerID",
        "default.debtor_kind=company",
        "date_order=mdy",
        "delimiter=,",
        " ",
    ] {
        opts.apply_pair(pair).unwrap();
    }
    assert_eq!(opts.map.get(Column::DebtorId), Some("customerID"));
    assert_eq!(opts.map.get(Column::DebtorName), Some("customerID"));
    assert_eq!(opts.defaults.get(Column::DebtorKind), Some("company"));
    assert_eq!(opts.date_order, DateOrder::MonthDayYear);
    assert_eq!(opts.delimiter, Some(b','));
    let text = "customerID,invoice_number,issue_date,due_date,amount\n\
                0379-NEVHP,611365,1/2/2013,2/1/2013,55.94\n";
    let rows = read_claims("ibm.csv", text.as_bytes(), &opts).unwrap();
    assert_eq!(rows[0].debtor_name, "0379-NEVHP");
    // Month first: 2 January 2013, due 1 February.
    assert_eq!(rows[0].issue_date, date(2013, 1, 2));
    assert_eq!(rows[0].due_date, date(2013, 2, 1));
    assert_eq!(rows[0].amount, eur(55_94));

    let mut opts = ReadOptions::default();
    assert!(
        opts.apply_pair("date_order")
            .unwrap_err()
            .contains("key=value")
    );
    assert!(
        opts.apply_pair("default.nope=1")
            .unwrap_err()
            .contains("unknown column")
    );
    assert!(
        opts.apply_pair("delimiter=;;")
            .unwrap_err()
            .contains("one character")
    );
}
