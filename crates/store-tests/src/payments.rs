//! Conformance cases of bank statements and payments (migration 0003): idempotent
//! statement imports, overlapping statements, allocations posting ledger entries, learned
//! IBANs and debtor credits. The statements are small MT940 texts written here.

use crate::{NOW, d, sample_claim, sample_debtor};
use app::clock::FixedClock;
use app::payments::{StatementOptions, import_statement};
use app::store::{
    DebtorCredit, PaymentFilter, PaymentStatus, Store, StoredPayment, StoredStatement, Tx,
};
use domain::money::Currency;
use domain::{ClaimId, ClaimLedger, DebtorId, EntryKind, Money};

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

/// One credit of 1,200.00 on 2 March 2026 naming invoice INV-0001, from a German IBAN.
pub(crate) const ST1: &str = "\
:20:ST-1
:25:FR7630006000011234567890189
:28C:1/1
:60F:C260301EUR0,
:61:2603020302C1200,NTRFNONREF//BK-100
:86:/EREF/E2E-100/NAME/TRANSPORTS C001 SAS/IBAN/DE89370400440532013000/REMI/Facture INV-0001
:62F:C260302EUR1200,
-";

/// The next day's statement repeats the line of ST-1 (an overlap) and adds a credit of
/// 300.00 that names nothing.
const ST2: &str = "\
:20:ST-2
:25:FR7630006000011234567890189
:28C:2/1
:60F:C260301EUR0,
:61:2603020302C1200,NTRFNONREF//BK-100
:86:/EREF/E2E-100/NAME/TRANSPORTS C001 SAS/IBAN/DE89370400440532013000/REMI/Facture INV-0001
:61:2603030303C300,NTRFNONREF//BK-101
:86:/EREF/E2E-101/NAME/SOMEONE ELSE/REMI/Virement
:62F:C260303EUR1500,
-";

/// A creditor, debtor C001 and its claim INV-0001 of 1,200.00 issued 15 Jan 2026.
pub(crate) async fn one_claim(store: &dyn Store) -> (DebtorId, ClaimId) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let debtor = tx
        .insert_debtor(&sample_debtor(c.id, "C001"))
        .await
        .unwrap();
    let claim = add_claim(tx.as_mut(), debtor, "INV-0001", eur(1200_00)).await;
    tx.commit().await.unwrap();
    (debtor, claim)
}

/// Adds a claim of `amount` to the debtor, invoiced on 15 January 2026.
async fn add_claim(tx: &mut dyn Tx, debtor: DebtorId, number: &str, amount: Money) -> ClaimId {
    let creditor = tx.debtor(debtor).await.unwrap().unwrap().creditor_id;
    let claim = tx
        .insert_claim(&sample_claim(creditor, debtor, number, d(2026, 2, 14)))
        .await
        .unwrap();
    let mut ledger = ClaimLedger::new(Currency::EUR);
    ledger
        .post(EntryKind::Invoice, amount, d(2026, 1, 15), None)
        .unwrap();
    tx.append_entries(claim, ledger.entries(), NOW)
        .await
        .unwrap();
    claim
}

fn clock() -> FixedClock {
    FixedClock(d(2026, 3, 4))
}

pub(crate) async fn import(
    store: &dyn Store,
    name: &str,
    text: &str,
) -> app::payments::StatementReport {
    import_statement(
        store,
        &clock(),
        name,
        text.as_bytes(),
        &StatementOptions::default(),
    )
    .await
    .unwrap()
}

async fn open_minor(store: &dyn Store, claim: ClaimId) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let entries = tx.ledger_entries(claim).await.unwrap();
    ClaimLedger::from_entries(Currency::EUR, entries)
        .balance()
        .minor()
}

/// Statements and payments round-trip; a detail's fingerprint is stored once only.
pub async fn payments_round_trip(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let statement = StoredStatement {
        id: 0,
        fingerprint: "f1".into(),
        file_name: "a.sta".into(),
        format: "mt940".into(),
        accounts: "FR7630006000011234567890189".into(),
        statement_ids: "ST-1/1".into(),
        first_date: Some(d(2026, 3, 2)),
        last_date: Some(d(2026, 3, 2)),
        entries: 1,
        details: 1,
        new_details: 1,
        duplicates: 0,
        imported_at: NOW.into(),
    };
    let sid = tx.insert_statement(&statement).await.unwrap();
    assert_eq!(
        tx.statement_by_fingerprint("f1").await.unwrap(),
        Some(StoredStatement {
            id: sid,
            ..statement
        })
    );
    assert_eq!(tx.statement_by_fingerprint("f2").await.unwrap(), None);
    let mut payment = StoredPayment {
        id: 0,
        statement_id: sid,
        fingerprint: "p1".into(),
        account: "FR7630006000011234567890189".into(),
        booking_date: Some(d(2026, 3, 2)),
        value_date: d(2026, 3, 3),
        amount: eur(12_34),
        payer_name: Some("Dupont".into()),
        payer_iban: None,
        remittance: vec!["Facture 1".into(), "et 2".into()],
        structured_reference: Some("RF18539007547034".into()),
        entry_reference: Some("BK-1".into()),
        end_to_end_id: None,
        status: PaymentStatus::Review,
        debtor_id: None,
        decided_at: None,
    };
    payment.id = tx.insert_payment(&payment).await.unwrap();
    assert!(tx.payment_exists("p1").await.unwrap());
    assert!(!tx.payment_exists("p2").await.unwrap());
    assert_eq!(tx.payment(payment.id).await.unwrap(), Some(payment.clone()));
    let debit = StoredPayment {
        fingerprint: "p2".into(),
        amount: eur(-5_00),
        status: PaymentStatus::Ignored,
        ..payment.clone()
    };
    tx.insert_payment(&debit).await.unwrap();
    let waiting = tx
        .payments(&PaymentFilter {
            statuses: vec![PaymentStatus::Review],
            limit: None,
        })
        .await
        .unwrap();
    assert_eq!(waiting, vec![payment.clone()]);
    assert_eq!(
        tx.payments(&PaymentFilter::default()).await.unwrap().len(),
        2
    );
    assert!(
        tx.set_payment_status(payment.id, PaymentStatus::Ignored, None, NOW)
            .await
            .unwrap()
    );
    assert!(
        !tx.set_payment_status(9_999, PaymentStatus::Ignored, None, NOW)
            .await
            .unwrap()
    );
    let read = tx.payment(payment.id).await.unwrap().unwrap();
    assert_eq!(read.status, PaymentStatus::Ignored);
    assert_eq!(read.decided_at.as_deref(), Some(NOW));
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.insert_payment(&payment).await.is_err(),
        "the same fingerprint stored twice"
    );
}

/// The same statement file twice books nothing the second time.
pub async fn statement_import_is_idempotent(store: &dyn Store) {
    let (_, claim) = one_claim(store).await;
    let first = import(store, "st1.sta", ST1).await;
    // The credit names INV-0001 and pays exactly its 1,200.00: applied.
    assert_eq!((first.new, first.applied, first.to_review), (1, 1, 0));
    assert_eq!(open_minor(store, claim).await, 0);
    let counts = store.begin().await.unwrap().counts().await.unwrap();
    let again = import(store, "st1-copy.sta", ST1).await;
    assert!(again.already_imported_at.is_some());
    assert_eq!((again.new, again.applied), (0, 0));
    assert_eq!(store.begin().await.unwrap().counts().await.unwrap(), counts);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.payments(&PaymentFilter::default()).await.unwrap().len(),
        1
    );
    // The import refreshed the payment data as of the statement's last day.
    assert_eq!(
        tx.setting("payment_data_as_of").await.unwrap().as_deref(),
        Some("2026-03-02")
    );
}

/// A statement overlapping an earlier one stores only its new lines.
pub async fn overlapping_statements_book_once(store: &dyn Store) {
    let (_, claim) = one_claim(store).await;
    import(store, "st1.sta", ST1).await;
    let entries_before = store
        .begin()
        .await
        .unwrap()
        .counts()
        .await
        .unwrap()
        .ledger_entries;
    let second = import(store, "st2.sta", ST2).await;
    assert_eq!((second.entries, second.new, second.duplicates), (2, 1, 1));
    assert_eq!((second.applied, second.to_review), (0, 1));
    assert_eq!(second.amount_to_review, vec![eur(300_00)]);
    let counts = store.begin().await.unwrap().counts().await.unwrap();
    assert_eq!(counts.ledger_entries, entries_before, "nothing posted");
    assert_eq!(open_minor(store, claim).await, 0);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.payments(&PaymentFilter::default()).await.unwrap().len(),
        2
    );
}

/// Applying a payment appends a Payment entry to the claim's ledger and records the
/// allocation pointing at it.
pub async fn allocation_posts_ledger_entries(store: &dyn Store) {
    let (debtor, claim) = one_claim(store).await;
    let report = import(store, "st1.sta", ST1).await;
    let id = report.lines[0].payment_id;
    let mut tx = store.begin().await.unwrap();
    let payment = tx.payment(id).await.unwrap().unwrap();
    assert_eq!(payment.status, PaymentStatus::Applied);
    assert_eq!(payment.debtor_id, Some(debtor));
    let allocations = tx.allocations(id).await.unwrap();
    assert_eq!(allocations.len(), 1);
    let a = &allocations[0];
    // Only an invoice is open: all 1,200.00 goes to principal; the invoice is seq 1, so
    // the payment entry is seq 2.
    assert_eq!(
        (a.claim_id, a.ledger_seq, a.amount),
        (claim, 2, eur(1200_00))
    );
    assert_eq!(
        (a.fees, a.interest, a.principal),
        (eur(0), eur(0), eur(1200_00))
    );
    let entries = tx.ledger_entries(claim).await.unwrap();
    let posted = entries.iter().find(|e| e.seq == 2).unwrap();
    assert_eq!(posted.kind, EntryKind::Payment);
    assert_eq!(posted.amount_minor, -1200_00);
    assert_eq!(posted.date, d(2026, 3, 2), "the value date");
    assert_eq!(posted.reference, Some(format!("payment {id}")));
}

/// An applied payment teaches the payer's IBAN; a later confirmation moves it; debtor
/// credits add up.
pub async fn learned_iban_and_credits(store: &dyn Store) {
    let (debtor, _) = one_claim(store).await;
    import(store, "st1.sta", ST1).await;
    let mut tx = store.begin().await.unwrap();
    let ibans = |v: Vec<app::store::PayerIban>| {
        v.into_iter()
            .map(|p| (p.iban, p.debtor_id))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ibans(tx.payer_ibans().await.unwrap()),
        vec![("DE89370400440532013000".to_string(), debtor)]
    );
    let creditor = tx.debtor(debtor).await.unwrap().unwrap().creditor_id;
    let other = tx
        .insert_debtor(&sample_debtor(creditor, "C002"))
        .await
        .unwrap();
    tx.learn_iban("DE89370400440532013000", other, d(2026, 3, 5))
        .await
        .unwrap();
    tx.learn_iban("FR7630006000011234567890189", debtor, d(2026, 3, 5))
        .await
        .unwrap();
    assert_eq!(
        ibans(tx.payer_ibans().await.unwrap()),
        vec![
            ("DE89370400440532013000".to_string(), other),
            ("FR7630006000011234567890189".to_string(), debtor),
        ]
    );
    // The day each IBAN was learned is kept (a copy between backends carries it).
    assert!(
        tx.payer_ibans()
            .await
            .unwrap()
            .iter()
            .any(|p| p.iban == "FR7630006000011234567890189" && p.learned_on == d(2026, 3, 5))
    );
    for (minor, day) in [(50_00, 6), (-20_00, 7)] {
        tx.add_debtor_credit(&DebtorCredit {
            debtor_id: other,
            payment_id: None,
            amount: eur(minor),
            date: d(2026, 3, day),
            recorded_at: NOW.into(),
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.debtor_credits(Some(other)).await.unwrap().len(), 2);
    assert!(tx.debtor_credits(Some(debtor)).await.unwrap().is_empty());
    // Without a debtor: every debtor's movements.
    assert_eq!(tx.debtor_credits(None).await.unwrap().len(), 2);
    // 50.00 - 20.00 = 30.00.
    assert_eq!(
        app::payments::debtor_credit(tx.as_mut(), other)
            .await
            .unwrap(),
        vec![eur(30_00)]
    );
}

/// Two credits paying INV-0001 (1,200.00) and INV-0002 (500.00) exactly.
const ST3: &str = "\
:20:ST-3
:25:FR7630006000011234567890189
:28C:3/1
:60F:C260301EUR0,
:61:2603020302C1200,NTRFNONREF//BK-300
:86:/EREF/E2E-300/NAME/TRANSPORTS C001 SAS/REMI/Facture INV-0001
:61:2603020302C500,NTRFNONREF//BK-301
:86:/EREF/E2E-301/NAME/TRANSPORTS C001 SAS/REMI/Facture INV-0002
:62F:C260302EUR1700,
-";

/// A store failure after the first payment was posted leaves nothing of the import: no
/// statement, no transaction, no ledger entry, no learned IBAN, no freshness date.
pub async fn failed_statement_import_changes_nothing(store: &dyn Store) {
    let (debtor, _) = one_claim(store).await;
    let mut tx = store.begin().await.unwrap();
    add_claim(tx.as_mut(), debtor, "INV-0002", eur(500_00)).await;
    tx.commit().await.unwrap();
    let before = store.begin().await.unwrap().counts().await.unwrap();

    let failing = crate::dunning_cases::Failing(store);
    let result = import_statement(
        &failing,
        &clock(),
        "st3.sta",
        ST3.as_bytes(),
        &StatementOptions::default(),
    )
    .await;
    let e = result.unwrap_err();
    assert!(e.to_string().contains("injected failure"), "{e}");
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.counts().await.unwrap(), before);
    assert!(
        tx.payments(&PaymentFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        tx.statement_by_fingerprint(&app::import::fingerprint(ST3.as_bytes()))
            .await
            .unwrap()
            .is_none()
    );
    assert!(tx.payer_ibans().await.unwrap().is_empty());
    assert_eq!(tx.setting("payment_data_as_of").await.unwrap(), None);
    drop(tx);

    // The same file on the healthy store: both credits applied.
    let r = import(store, "st3.sta", ST3).await;
    assert_eq!((r.new, r.applied), (2, 2));
}
