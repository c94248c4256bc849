//! Upgrades: a database written by an earlier schema version, filled through plain SQL
//! valid at that version (what an earlier Recouvre wrote), must come through today's
//! migrations with every row and every balance intact. Each backend's tests build the
//! old database with `migrate_to(version)`, run [`fill`]'s statements, take the
//! [`app::store::Census`], open it with today's code (which migrates) and call
//! [`check_upgraded`].

use app::store::{Census, Store};
use domain::Money;
use domain::aging::Buckets;
use domain::date::Date;
use domain::money::Currency;

/// The plain SQL that fills a database at schema `version`: the portfolio from version 1
/// on (a creditor, two debtors and a contact, three claims in EUR and GBP, their ledger
/// with a payment and a credit note, an import record), a collection case from version 2
/// (the dunning tables), and a bank statement with a payment applied to a claim, its
/// allocation and the payer's IBAN from version 3 (the bank tables).
pub fn fill(version: i64) -> Vec<&'static str> {
    let mut sql = vec![
        "INSERT INTO creditors (code, name, country) VALUES ('ACME', 'Acme SAS', 'FR')",
        "INSERT INTO debtors (creditor_id, external_id, name, kind, segment, country, language, tags) \
         VALUES ((SELECT id FROM creditors WHERE code = 'ACME'), 'D1', 'Garage Martin SARL', 'company', 'b2b', 'FR', 'fr', 'garage'), \
                ((SELECT id FROM creditors WHERE code = 'ACME'), 'D2', 'John Smith', 'person', 'b2c', 'GB', 'en', '')",
        "INSERT INTO debtor_contacts (debtor_id, position, kind, value, label) \
         VALUES ((SELECT id FROM debtors WHERE external_id = 'D1'), 1, 'email', 'compta@garage-martin.example', 'accounts')",
        "INSERT INTO claims (creditor_id, debtor_id, external_id, number, nature, issue_date, due_date, currency) VALUES \
         ((SELECT id FROM creditors WHERE code = 'ACME'), (SELECT id FROM debtors WHERE external_id = 'D1'), 'F1', 'F1', 'commercial', '2026-01-10', '2026-02-09', 'EUR'), \
         ((SELECT id FROM creditors WHERE code = 'ACME'), (SELECT id FROM debtors WHERE external_id = 'D1'), 'F2', 'F2', 'commercial', '2026-01-20', '2026-02-19', 'EUR'), \
         ((SELECT id FROM creditors WHERE code = 'ACME'), (SELECT id FROM debtors WHERE external_id = 'D2'), 'F3', 'F3', 'consumer', '2026-02-01', '2026-03-03', 'GBP')",
        "INSERT INTO ledger_entries (claim_id, seq, kind, amount_minor, entry_date, reverses, reference, recorded_at) VALUES \
         ((SELECT id FROM claims WHERE external_id = 'F1'), 1, 'invoice', 120050, '2026-01-10', NULL, 'F1', '2026-01-10T12:00:00Z'), \
         ((SELECT id FROM claims WHERE external_id = 'F1'), 2, 'payment', -20050, '2026-02-20', NULL, 'VIR-1', '2026-02-21T12:00:00Z'), \
         ((SELECT id FROM claims WHERE external_id = 'F2'), 1, 'invoice', 30000, '2026-01-20', NULL, 'F2', '2026-01-20T12:00:00Z'), \
         ((SELECT id FROM claims WHERE external_id = 'F3'), 1, 'invoice', 50000, '2026-02-01', NULL, 'F3', '2026-02-01T12:00:00Z'), \
         ((SELECT id FROM claims WHERE external_id = 'F3'), 2, 'credit_note', -10000, '2026-02-15', NULL, 'AV-1', '2026-02-15T12:00:00Z')",
        "INSERT INTO imports (kind, file_name, fingerprint, rows_read, created, updated, imported_at) \
         VALUES ('claims', 'claims.csv', 'f00d', 3, 3, 0, '2026-02-01T12:00:00Z')",
    ];
    if version >= 2 {
        sql.push(
            "INSERT INTO cases (debtor_id, creditor_id, scenario, stage, cycle, hold_until, arrangement, updated_at) \
             VALUES ((SELECT id FROM debtors WHERE external_id = 'D1'), (SELECT id FROM creditors WHERE code = 'ACME'), NULL, 'amicable', 1, NULL, NULL, '2026-02-20T12:00:00Z')",
        );
    }
    if version >= 3 {
        sql.extend([
            "INSERT INTO bank_statements (fingerprint, file_name, format, accounts, statement_ids, first_date, last_date, entries, details, new_details, duplicates, imported_at) \
             VALUES ('beef', 'releve.xml', 'camt.053', 'FR7630006000011234567890189', 'STMT-1', '2026-02-20', '2026-02-20', 1, 1, 1, 0, '2026-02-21T12:00:00Z')",
            "INSERT INTO bank_payments (statement_id, fingerprint, account, booking_date, value_date, amount_minor, currency, payer_name, payer_iban, remittance, structured_reference, entry_reference, end_to_end_id, status, debtor_id, decided_at) \
             VALUES ((SELECT id FROM bank_statements WHERE fingerprint = 'beef'), 'cafe', 'FR7630006000011234567890189', '2026-02-20', '2026-02-20', 20050, 'EUR', 'GARAGE MARTIN', 'FR7610107001011234567890129', 'F1', NULL, NULL, NULL, 'applied', (SELECT id FROM debtors WHERE external_id = 'D1'), '2026-02-21T12:00:00Z')",
            "INSERT INTO payment_allocations (payment_id, claim_id, ledger_seq, amount_minor, fees_minor, interest_minor, principal_minor) \
             VALUES ((SELECT id FROM bank_payments WHERE fingerprint = 'cafe'), (SELECT id FROM claims WHERE external_id = 'F1'), 2, 20050, 0, 0, 20050)",
            "INSERT INTO payer_ibans (iban, debtor_id, learned_on) \
             VALUES ('FR7610107001011234567890129', (SELECT id FROM debtors WHERE external_id = 'D1'), '2026-02-21')",
        ]);
    }
    sql
}

/// Checks a database filled by [`fill`] at an earlier version and opened by today's code:
/// every table the old schema had holds its rows, the tables later migrations created are
/// empty, every migration is recorded, the ledger's sums are those of `before`, today's
/// code reads the open balances worked out by hand, and it can write beside the old rows.
pub async fn check_upgraded(store: &dyn Store, before: &Census, known_migrations: i64) {
    let mut tx = store.begin_read().await.unwrap();
    let after = tx.census().await.unwrap();
    for (table, rows) in &after.tables {
        let expected = match (table.as_str(), before.tables.get(table)) {
            ("recouvre_migrations", _) => known_migrations,
            (_, Some(n)) => *n,
            (_, None) => 0,
        };
        assert_eq!(*rows, expected, "rows of {table} after the upgrade");
    }
    for table in before.tables.keys() {
        assert!(after.tables.contains_key(table), "{table} is still there");
    }
    assert_eq!(after.ledger_minor, before.ledger_minor);
    // F1: 1,200.50 - 200.50 = 1,000.00 EUR; F2: 300.00 EUR; F3: 500.00 - 100.00 = 400.00
    // GBP. Open in EUR 1,300.00, in GBP 400.00; in minor units 130,000 and 40,000.
    let eur = domain::money::parse_currency("EUR").unwrap();
    let gbp: Currency = domain::money::parse_currency("GBP").unwrap();
    assert_eq!(before.ledger_minor["EUR"], 130_000);
    assert_eq!(before.ledger_minor["GBP"], 40_000);
    let as_of = Date::new(2026, 3, 31).unwrap();
    let open: Vec<Money> = tx
        .book(None)
        .await
        .unwrap()
        .aged_balance(as_of, &Buckets::default())
        .total()
        .iter()
        .collect();
    assert_eq!(
        open,
        vec![
            Money::from_minor(130_000, eur),
            Money::from_minor(40_000, gbp)
        ]
    );
    let debtors = tx.debtors(None).await.unwrap();
    assert_eq!(debtors.len(), 2);
    let claims = tx.claims(None).await.unwrap();
    assert_eq!(claims.len(), 3);
    drop(tx);
    // Today's code writes beside the old rows: a new creditor gets a fresh id.
    let mut tx = store.begin().await.unwrap();
    let new = tx.insert_creditor("NEW", "New SA", "FR").await.unwrap();
    assert_eq!(tx.creditors().await.unwrap().len(), 2);
    assert!(new.id.0 > 0);
    tx.commit().await.unwrap();
}
