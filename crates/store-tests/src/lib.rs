//! # recouvre-store-tests
//!
//! The store conformance suite. Each backend crate instantiates it in its own tests with
//! [`conformance_suite!`], giving a function that returns a fresh, empty, migrated store
//! (and a guard that cleans it up when dropped). Every case below then runs against that
//! backend: the SQLite store and the PostgreSQL store pass the very same assertions.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use app::clock::FixedClock;
use app::import::{ImportOptions, import_claims};
use app::queries;
use app::store::{Bulk, Store};
use domain::aging::Buckets;
use domain::date::Date;
use domain::money::Currency;
use domain::{
    Claim, ClaimId, ClaimLedger, ClaimNumber, ClaimStatus, Contact, ContactKind, CreditorId,
    Debtor, DebtorId, DebtorKind, EntryKind, LedgerEntry, Money, Nature, Segment,
};

fn d(y: i16, m: i8, day: i8) -> Date {
    Date::new(y, m, day).unwrap()
}

const NOW: &str = "2026-06-30T12:00:00Z";

fn sample_debtor(creditor: CreditorId, ext: &str) -> Debtor {
    Debtor {
        id: DebtorId(0),
        creditor_id: creditor,
        external_id: ext.into(),
        name: format!("Transports {ext} SAS"),
        kind: DebtorKind::Company,
        segment: Segment::B2b,
        country: "FR".into(),
        language: "fr".into(),
        contacts: vec![
            Contact {
                kind: ContactKind::Email,
                value: format!("compta@{ext}.example"),
                label: Some("comptabilité".into()),
            },
            Contact {
                kind: ContactKind::Phone,
                value: "+33 1 23 45 67 89".into(),
                label: None,
            },
        ],
        tags: vec!["key_account".into(), "transport".into()],
    }
}

fn sample_claim(creditor: CreditorId, debtor: DebtorId, ext: &str, due: Date) -> Claim {
    Claim {
        id: ClaimId(0),
        creditor_id: creditor,
        debtor_id: debtor,
        external_id: ext.into(),
        number: ClaimNumber::parse(ext).unwrap(),
        nature: Nature::Commercial,
        issue_date: d(2026, 1, 15),
        due_date: due,
        currency: Currency::EUR,
    }
}

/// Every migration is applied on a fresh store.
pub async fn migrations_are_applied(store: &dyn Store) {
    let status = store.migration_status().await.unwrap();
    assert!(!status.is_empty());
    assert!(status.iter().all(|m| m.applied_at.is_some()), "{status:?}");
}

/// Creditors round-trip, and their code is unique.
pub async fn creditors_round_trip(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .insert_creditor("ACME", "Acme Industrie SAS", "FR")
        .await
        .unwrap();
    assert_eq!(c.code, "ACME");
    assert_eq!(tx.creditor_by_code("ACME").await.unwrap(), Some(c.clone()));
    assert_eq!(tx.creditor_by_code("NOPE").await.unwrap(), None);
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.insert_creditor("ACME", "Other", "FR").await.is_err(),
        "duplicate code accepted"
    );
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.creditors().await.unwrap(), vec![c]);
}

/// Debtors keep their contacts (in order), tags and every field; updates replace them.
pub async fn debtors_round_trip(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let mut debtor = sample_debtor(c.id, "C001");
    debtor.id = tx.insert_debtor(&debtor).await.unwrap();
    let other = tx
        .insert_debtor(&sample_debtor(c.id, "C002"))
        .await
        .unwrap();
    assert_ne!(debtor.id, other);
    assert_eq!(tx.debtor(debtor.id).await.unwrap(), Some(debtor.clone()));
    tx.commit().await.unwrap();

    // A failed statement aborts the whole transaction on every backend.
    let mut tx = store.begin().await.unwrap();
    tx.insert_debtor(&sample_debtor(c.id, "C003"))
        .await
        .unwrap();
    assert!(
        tx.insert_debtor(&sample_debtor(c.id, "C001"))
            .await
            .is_err(),
        "duplicate external id accepted"
    );
    assert!(matches!(tx.commit().await, Err(app::StoreError::Aborted)));

    let mut tx = store.begin().await.unwrap();
    debtor.name = "Transports Leroy & Fils".into();
    debtor.kind = DebtorKind::Person;
    debtor.segment = Segment::B2c;
    debtor.contacts = vec![Contact {
        kind: ContactKind::Address,
        value: "1 rue de la Paix, 75002 Paris".into(),
        label: None,
    }];
    debtor.tags = vec![];
    tx.update_debtor(&debtor).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let all = tx.debtors(Some(c.id)).await.unwrap();
    assert_eq!(
        all.len(),
        2,
        "C003 was rolled back with its aborted transaction"
    );
    assert_eq!(all[0], debtor);
    assert_eq!(
        all[1].contacts.len(),
        2,
        "the other debtor's contacts are untouched"
    );
    assert_eq!(
        tx.debtors(Some(CreditorId(c.id.0 + 1000))).await.unwrap(),
        vec![]
    );
}

/// Claims and their ledgers round-trip; a seq is never written twice.
pub async fn claims_and_ledger_round_trip(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let debtor = tx
        .insert_debtor(&sample_debtor(c.id, "C001"))
        .await
        .unwrap();
    let mut claim = sample_claim(c.id, debtor, "FA-1", d(2026, 2, 14));
    claim.id = tx.insert_claim(&claim).await.unwrap();
    let mut ledger = ClaimLedger::new(Currency::EUR);
    ledger
        .post(
            EntryKind::Invoice,
            Money::from_minor(120_000, Currency::EUR),
            d(2026, 1, 15),
            Some("import".into()),
        )
        .unwrap();
    ledger
        .post(
            EntryKind::Payment,
            Money::from_minor(20_000, Currency::EUR),
            d(2026, 3, 1),
            None,
        )
        .unwrap();
    ledger
        .reverse(2, d(2026, 3, 5), Some("bounced".into()))
        .unwrap();
    tx.append_entries(claim.id, ledger.entries(), NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.claim(claim.id).await.unwrap(), Some(claim.clone()));
    let stored =
        ClaimLedger::from_entries(Currency::EUR, tx.ledger_entries(claim.id).await.unwrap());
    assert_eq!(stored, ledger);
    assert_eq!(stored.balance_as_of(d(2026, 3, 2)).minor(), 100_000);
    assert_eq!(stored.balance().minor(), 120_000);
    let dup = LedgerEntry {
        seq: 1,
        kind: EntryKind::Fee,
        amount_minor: 500,
        date: d(2026, 4, 1),
        reverses: None,
        reference: None,
    };
    assert!(
        tx.append_entries(claim.id, &[dup], NOW).await.is_err(),
        "seq 1 written twice"
    );
    drop(tx);

    let mut tx = store.begin().await.unwrap();
    claim.due_date = d(2026, 3, 31);
    tx.update_claim(&claim).await.unwrap();
    assert_eq!(
        tx.claims_of_debtor(debtor).await.unwrap(),
        vec![claim.clone()]
    );
    assert_eq!(tx.ledger_entries_of_debtor(debtor).await.unwrap().len(), 3);
    assert_eq!(tx.all_ledger_entries(Some(c.id)).await.unwrap().len(), 3);
}

/// Dropping a transaction without committing leaves nothing behind.
pub async fn uncommitted_work_vanishes(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    tx.insert_debtor(&sample_debtor(c.id, "C001"))
        .await
        .unwrap();
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    let counts = tx.counts().await.unwrap();
    assert_eq!((counts.creditors, counts.debtors), (0, 0));
}

/// A bulk load keeps explicit ids, and ordinary inserts continue after them.
pub async fn bulk_load_then_insert(store: &dyn Store) {
    let creditor = domain::Creditor {
        id: CreditorId(7),
        code: "BULK".into(),
        name: "Bulk SA".into(),
        country: "FR".into(),
    };
    let mut debtors = Vec::new();
    let mut claims = Vec::new();
    let mut entries = Vec::new();
    for i in 1..=50 {
        let mut debtor = sample_debtor(creditor.id, &format!("D{i:03}"));
        debtor.id = DebtorId(i);
        debtors.push(debtor);
        for j in 0..3 {
            let id = ClaimId(i * 10 + j);
            let mut claim = sample_claim(
                creditor.id,
                DebtorId(i),
                &format!("F{i}-{j}"),
                d(2026, 2, 1),
            );
            claim.id = id;
            claims.push(claim);
            entries.push((
                id,
                LedgerEntry {
                    seq: 1,
                    kind: EntryKind::Invoice,
                    amount_minor: 1_000 * i + j,
                    date: d(2026, 1, 1),
                    reverses: None,
                    reference: None,
                },
            ));
        }
    }
    let mut tx = store.begin().await.unwrap();
    tx.bulk_insert(Bulk {
        creditors: std::slice::from_ref(&creditor),
        debtors: &debtors,
        claims: &claims,
        entries: &entries,
        recorded_at: NOW,
    })
    .await
    .unwrap();
    let next = tx
        .insert_debtor(&sample_debtor(creditor.id, "NEW"))
        .await
        .unwrap();
    assert!(next.0 > 50, "ids continue after the bulk load: got {next}");
    let claim = tx
        .insert_claim(&sample_claim(creditor.id, next, "NEW-1", d(2026, 2, 1)))
        .await
        .unwrap();
    assert!(claim.0 > 500);
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let counts = tx.counts().await.unwrap();
    assert_eq!(
        (counts.debtors, counts.claims, counts.ledger_entries),
        (51, 151, 150)
    );
    assert_eq!(
        tx.debtor(DebtorId(17)).await.unwrap(),
        Some(debtors[16].clone())
    );
}

/// The in-memory book agrees, claim by claim, with each claim's own ledger.
pub async fn book_reconciles_with_ledgers(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let debtor = tx
        .insert_debtor(&sample_debtor(c.id, "C001"))
        .await
        .unwrap();
    // (invoice amount, due date, optional payment (amount, date))
    type Plan = (i64, Date, Option<(i64, Date)>);
    let plan: [Plan; 4] = [
        (100_00, d(2026, 1, 31), None),
        (250_00, d(2026, 3, 31), Some((50_00, d(2026, 4, 10)))),
        (80_00, d(2026, 5, 31), Some((80_00, d(2026, 5, 20)))),
        (1_000_00, d(2026, 9, 30), None),
    ];
    for (i, (amount, due, payment)) in plan.iter().enumerate() {
        let claim = tx
            .insert_claim(&sample_claim(c.id, debtor, &format!("F{i}"), *due))
            .await
            .unwrap();
        let mut l = ClaimLedger::new(Currency::EUR);
        l.post(
            EntryKind::Invoice,
            Money::from_minor(*amount, Currency::EUR),
            d(2026, 1, 15),
            None,
        )
        .unwrap();
        if let Some((paid, on)) = payment {
            l.post(
                EntryKind::Payment,
                Money::from_minor(*paid, Currency::EUR),
                *on,
                None,
            )
            .unwrap();
        }
        tx.append_entries(claim, l.entries(), NOW).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let book = tx.book(None).await.unwrap();
    assert_eq!(book.len(), 4);
    // As of 2026-06-30: F0 100.00 150 days late; F1 200.00 91 days late; F2 settled;
    // F3 1,000.00 not due. Worked by hand from the plan above.
    let aged = book.aged_balance(d(2026, 6, 30), &Buckets::default());
    assert_eq!(aged.rows[0].amount.get(Currency::EUR).minor(), 1_000_00);
    assert_eq!(aged.rows[4].amount.get(Currency::EUR).minor(), 300_00);
    assert_eq!(aged.rows[4].claims, 2);
    assert_eq!(aged.total().get(Currency::EUR).minor(), 1_300_00);
    let detail = queries::debtor_detail(tx.as_mut(), debtor, d(2026, 6, 30))
        .await
        .unwrap();
    assert_eq!(
        detail.line.overdue,
        vec![Money::from_minor(300_00, Currency::EUR)]
    );
    assert_eq!(detail.line.oldest_days_late, 150);
    assert_eq!(
        detail
            .claims
            .iter()
            .filter(|c| c.status == ClaimStatus::Settled)
            .count(),
        1
    );
}

const CSV: &str = "debtor_id;debtor_name;debtor_kind;country;email;invoice_number;issue_date;due_date;amount;currency\n\
C001;Boulangerie Martin SARL;company;FR;compta@martin.example;FA-001;01/03/2026;31/03/2026;1 200,50;EUR\n\
C001;Boulangerie Martin SARL;company;FR;compta@martin.example;FA-002;15/03/2026;14/04/2026;300,00;EUR\n\
C002;Jeanne Dupont;person;FR;;FA-003;02/03/2026;01/04/2026;89,90;EUR\n";

async fn balances(store: &dyn Store) -> (app::store::Counts, Vec<(ClaimId, i64)>) {
    let mut tx = store.begin().await.unwrap();
    let counts = tx.counts().await.unwrap();
    let book = tx.book(None).await.unwrap();
    let balances = book
        .claims()
        .iter()
        .map(|c| (c.id, book.open_minor(c, i32::MAX)))
        .collect();
    (counts, balances)
}

/// The same file twice changes nothing; a changed amount goes through the ledger.
pub async fn import_is_idempotent(store: &dyn Store) {
    let clock = FixedClock(d(2026, 4, 20));
    let opts = ImportOptions::default();
    let first = import_claims(store, &clock, "claims.csv", CSV.as_bytes(), &opts)
        .await
        .unwrap();
    assert_eq!((first.debtors_created, first.claims_created), (2, 3));
    let after_first = balances(store).await;
    assert_eq!(
        after_first.1.iter().map(|b| b.1).collect::<Vec<_>>(),
        vec![1_200_50, 300_00, 89_90]
    );

    let again = import_claims(store, &clock, "claims.csv", CSV.as_bytes(), &opts)
        .await
        .unwrap();
    assert!(again.already_imported_at.is_some());
    assert_eq!(balances(store).await, after_first);

    // The same rows under another name (another fingerprint): compared row by row.
    let copy = import_claims(
        store,
        &clock,
        "copy.csv",
        format!("{CSV}\n").as_bytes(),
        &opts,
    )
    .await
    .unwrap();
    assert_eq!(
        (
            copy.claims_unchanged,
            copy.claims_created,
            copy.claims_updated
        ),
        (3, 0, 0)
    );
    assert_eq!(balances(store).await, after_first);

    // FA-002 goes from 300.00 to 350.00: its invoice entry is reversed and a new one posted.
    let changed = CSV.replace("300,00", "350,00");
    let r = import_claims(store, &clock, "changed.csv", changed.as_bytes(), &opts)
        .await
        .unwrap();
    assert_eq!(
        (r.claims_updated, r.claims_unchanged, r.entries_posted),
        (1, 2, 2)
    );
    let (counts, bal) = balances(store).await;
    assert_eq!(bal[1].1, 350_00);
    assert_eq!(counts.ledger_entries, after_first.0.ledger_entries + 2);
    let mut tx = store.begin().await.unwrap();
    let entries = tx.ledger_entries(bal[1].0).await.unwrap();
    let kinds: Vec<EntryKind> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![EntryKind::Invoice, EntryKind::Reversal, EntryKind::Invoice]
    );
    assert_eq!(entries[0].amount_minor, 300_00, "history is kept");
}

/// One bad row among many: nothing is written and the error names the row.
pub async fn bad_row_imports_nothing(store: &dyn Store) {
    let clock = FixedClock(d(2026, 4, 20));
    let mut csv = String::from(
        "debtor_id,debtor_name,debtor_kind,invoice_number,issue_date,due_date,amount\n",
    );
    for i in 0..10_000 {
        let amount = if i == 6_123 {
            "12,3x".to_string()
        } else {
            format!("{}.{:02}", 100 + i, i % 100)
        };
        csv.push_str(&format!(
            "D{},Client {} SAS,company,F{i:05},2026-01-01,2026-01-31,\"{amount}\"\n",
            i % 700,
            i % 700
        ));
    }
    let err = import_claims(
        store,
        &clock,
        "big.csv",
        csv.as_bytes(),
        &ImportOptions::default(),
    )
    .await
    .unwrap_err();
    let message = err.to_string();
    // Row 6,123 (0-based) is on line 6,125: the header is line 1.
    assert!(message.starts_with("big.csv:6125: amount:"), "{message}");
    let (counts, _) = balances(store).await;
    assert_eq!(
        (
            counts.creditors,
            counts.debtors,
            counts.claims,
            counts.ledger_entries
        ),
        (0, 0, 0, 0)
    );
}

/// Instantiates every case for one backend. `$fresh` is an async fn returning
/// `(Box<dyn Store>, Guard)`; the guard cleans the store up when dropped.
#[macro_export]
macro_rules! conformance_suite {
    ($fresh:path) => {
        $crate::conformance_suite!(@cases $fresh;
            migrations_are_applied,
            creditors_round_trip,
            debtors_round_trip,
            claims_and_ledger_round_trip,
            uncommitted_work_vanishes,
            bulk_load_then_insert,
            book_reconciles_with_ledgers,
            import_is_idempotent,
            bad_row_imports_nothing,
        );
    };
    (@cases $fresh:path; $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (store, _guard) = $fresh().await;
                $crate::$case(&*store).await;
            }
        )+
    };
}
