//! # recouvre-store-tests
//!
//! The store conformance suite. Each backend crate instantiates it in its own tests with
//! [`conformance_suite!`], giving a function that returns a fresh, empty, migrated store
//! (and a guard that cleans it up when dropped). Every case below then runs against that
//! backend: the SQLite store and the PostgreSQL store pass the very same assertions.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

pub mod upgrade;

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

mod agency;
mod contract;
mod financing;
mod gdpr;
mod legal;
mod limitation;
mod outbox;
mod payments;
pub use agency::agency_records_round_trip;
pub use contract::{
    agreed_terms_reach_the_law_engine, charges_are_posted_once_and_paid_first,
    consumer_interest_runs_from_the_formal_notice, run_notices_are_listed_and_take_their_delivery,
    terms_and_notices_round_trip, write_offs_keep_their_reason,
};
pub use financing::{
    financing_aged_balance_split, financing_bad_input_writes_nothing, financing_payment_to_pass_on,
    financing_round_trip, financing_run_leaves_factor_claims_and_raises_insurer_task_once,
};
pub use gdpr::{
    gdpr_erasure_is_refused_when_not_due, gdpr_erasure_leaves_no_personal_data,
    gdpr_export_holds_everything_and_is_audited, gdpr_retention_settings,
};
pub use legal::{
    legal_file_freezes_the_amounts_and_refuses_without_notice,
    legal_file_opened_by_a_scenario_step, legal_post_judgment_interest,
    legal_stages_deadlines_and_limitation,
};
pub use limitation::{
    limitation_events_round_trip, limitation_follows_recorded_events,
    routes_leave_out_time_barred_disputed_and_public,
};
pub use outbox::{
    approve_and_skip_race_one_wins, jobs_are_leased, outbox_follows_approval_and_skip,
    outbox_queue_claim_and_lease, outbox_refuses_a_letter_it_cannot_issue,
};
pub use payments::{
    allocation_posts_ledger_entries, failed_statement_import_changes_nothing,
    learned_iban_and_credits, overlapping_statements_book_once, payments_round_trip,
    statement_import_is_idempotent,
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

/// Readers do not queue behind each other nor behind a writer: two read transactions and
/// a write transaction are open at once, the write commits, and each reader keeps the
/// state it first saw (one consistent snapshot) while a reader begun after sees the write.
/// (With every transaction taking the write lock, the writer would wait for the readers
/// and this would fail with "database is locked".)
pub async fn readers_run_beside_a_writer(store: &dyn Store) {
    let mut first = store.begin_read().await.unwrap();
    let mut second = store.begin_read().await.unwrap();
    assert_eq!(first.counts().await.unwrap().creditors, 0);
    assert_eq!(second.counts().await.unwrap().creditors, 0);
    let mut writer = store.begin().await.unwrap();
    writer.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    writer.commit().await.unwrap();
    assert_eq!(first.counts().await.unwrap().creditors, 0, "snapshot kept");
    assert!(first.creditors().await.unwrap().is_empty(), "snapshot kept");
    drop((first, second));
    let mut after = store.begin_read().await.unwrap();
    assert_eq!(after.counts().await.unwrap().creditors, 1);
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

/// A settlement history (`paid_date`, `paid_amount`) is posted as payments, once: the same
/// history again posts nothing, a larger paid amount posts the difference, a smaller one
/// never takes a payment back.
pub async fn imported_settlements_are_posted_once(store: &dyn Store) {
    let clock = FixedClock(d(2026, 4, 20));
    let opts = ImportOptions::default();
    let file = |paid_a: &str, paid_b: &str| {
        format!(
            "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount;paid_date;paid_amount\n\
             C1;Acme;company;FA-1;2026-01-10;2026-02-09;1200,00;2026-03-01;{paid_a}\n\
             C1;Acme;company;FA-2;2026-01-15;2026-02-14;500,00;2026-02-20;{paid_b}\n\
             C1;Acme;company;FA-3;2026-01-20;2026-02-19;80,00;;\n"
        )
    };
    // FA-1 paid in full (1,200.00), FA-2 200.00 of 500.00, FA-3 unpaid.
    let first = import_claims(store, &clock, "h1.csv", file("", "200").as_bytes(), &opts)
        .await
        .unwrap();
    assert_eq!((first.claims_created, first.settlements_posted), (3, 2));
    let (_, bal) = balances(store).await;
    assert_eq!(
        bal.iter().map(|b| b.1).collect::<Vec<_>>(),
        vec![0, 300_00, 80_00]
    );
    let mut tx = store.begin().await.unwrap();
    let entries = tx.ledger_entries(bal[1].0).await.unwrap();
    assert_eq!(
        entries
            .iter()
            .map(|e| (e.kind, e.amount_minor, e.date))
            .collect::<Vec<_>>(),
        vec![
            (EntryKind::Invoice, 500_00, d(2026, 1, 15)),
            (EntryKind::Payment, -200_00, d(2026, 2, 20)),
        ]
    );
    drop(tx);

    // The same history in another file (whole amount written out): nothing new.
    let same = import_claims(
        store,
        &clock,
        "h2.csv",
        file("1200", "200").as_bytes(),
        &opts,
    )
    .await
    .unwrap();
    assert_eq!((same.settlements_posted, same.claims_updated), (0, 0));
    // FA-2 now 450.00 paid: the 250.00 more is posted; FA-1 said 1,000.00 paid: nothing
    // is taken back.
    let more = import_claims(
        store,
        &clock,
        "h3.csv",
        file("1000", "450").as_bytes(),
        &opts,
    )
    .await
    .unwrap();
    assert_eq!((more.settlements_posted, more.claims_updated), (1, 1));
    let (counts, bal) = balances(store).await;
    assert_eq!(
        bal.iter().map(|b| b.1).collect::<Vec<_>>(),
        vec![0, 50_00, 80_00]
    );

    // A settlement dated after today (20 April 2026) is refused on its line (FA-3, line 4),
    // and nothing of the file is written.
    let future = file("", "450").replace(
        ";2026-01-20;2026-02-19;80,00;;",
        ";2026-01-20;2026-02-19;80,00;2026-04-21;",
    );
    let err = import_claims(store, &clock, "h4.csv", future.as_bytes(), &opts)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("h4.csv:4: paid_date: 2026-04-21 is after today"),
        "{err}"
    );
    assert_eq!(balances(store).await, (counts, bal));
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

// ---------------------------------------------------------------------------------------
// Dunning: the daily run on a small portfolio worked out by hand.

mod dunning_cases {
    use super::*;
    use app::StoreError;
    use app::dunning::{self, RunOptions, RunReport};
    use app::store::{
        ActionFilter, ActionStatus, DebtorCredit, PaymentFilter, PaymentStatus, StoredAction,
        StoredAllocation, StoredPayment, StoredStatement, Tx,
    };
    use domain::DebtorId;

    /// The run day: Wednesday 10 June 2026, not a public holiday (calls may be placed).
    pub fn as_of() -> Date {
        d(2026, 6, 10)
    }

    /// The debtors of the portfolio, by letter, with their claims:
    /// (external id, segment, tags, [(claim, amount minor, currency, due, paid on)]).
    type ClaimPlan = (&'static str, i64, Currency, Date, Option<Date>);

    fn plan() -> Vec<(&'static str, Segment, Vec<String>, Vec<ClaimPlan>)> {
        vec![
            // A: paid A0 ten days late (history), A1 8 days overdue.
            (
                "A",
                Segment::B2b,
                vec![],
                vec![
                    (
                        "A0",
                        500_00,
                        Currency::EUR,
                        d(2026, 3, 31),
                        Some(d(2026, 4, 10)),
                    ),
                    ("A1", 1_000_00, Currency::EUR, d(2026, 6, 2), None),
                ],
            ),
            // B: B1 40 days overdue, B2 5 days, B3 not yet due.
            (
                "B",
                Segment::B2b,
                vec![],
                vec![
                    ("B1", 200_00, Currency::EUR, d(2026, 5, 1), None),
                    ("B2", 50_00, Currency::EUR, d(2026, 6, 5), None),
                    ("B3", 300_00, Currency::EUR, d(2026, 7, 31), None),
                ],
            ),
            // C: a consumer, C1 due in 3 days.
            (
                "C",
                Segment::B2c,
                vec![],
                vec![("C1", 80_00, Currency::EUR, d(2026, 6, 13), None)],
            ),
            // D: a key account, 40 days overdue.
            (
                "D",
                Segment::B2b,
                vec!["key_account".into()],
                vec![("D1", 5_000_00, Currency::EUR, d(2026, 5, 1), None)],
            ),
            // E: paid everything.
            (
                "E",
                Segment::B2b,
                vec![],
                vec![(
                    "E1",
                    100_00,
                    Currency::EUR,
                    d(2026, 5, 1),
                    Some(d(2026, 5, 2)),
                )],
            ),
            // F: owes €5.00, below the €10.00 minimum.
            (
                "F",
                Segment::B2b,
                vec![],
                vec![("F1", 5_00, Currency::EUR, d(2026, 6, 1), None)],
            ),
            // G: owes £600.00, 61 days overdue.
            (
                "G",
                Segment::B2b,
                vec![],
                vec![("G1", 600_00, Currency::GBP, d(2026, 4, 10), None)],
            ),
        ]
    }

    /// Debtor ids by external id, and claim ids by claim name.
    pub struct Portfolio {
        pub debtors: std::collections::HashMap<&'static str, DebtorId>,
        pub claims: std::collections::HashMap<&'static str, ClaimId>,
    }

    pub async fn build(store: &dyn Store, payment_data_as_of: Option<Date>) -> Portfolio {
        let mut tx = store.begin().await.unwrap();
        let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
        let mut out = Portfolio {
            debtors: Default::default(),
            claims: Default::default(),
        };
        for (ext, segment, tags, claims) in plan() {
            let mut debtor = sample_debtor(c.id, ext);
            debtor.segment = segment;
            if segment == Segment::B2c {
                debtor.kind = DebtorKind::Person;
            }
            debtor.tags = tags;
            let id = tx.insert_debtor(&debtor).await.unwrap();
            out.debtors.insert(ext, id);
            for (name, amount, currency, due, paid) in claims {
                let mut claim = sample_claim(c.id, id, name, due);
                claim.currency = currency;
                let claim_id = tx.insert_claim(&claim).await.unwrap();
                out.claims.insert(name, claim_id);
                let mut l = ClaimLedger::new(currency);
                l.post(
                    EntryKind::Invoice,
                    Money::from_minor(amount, currency),
                    d(2026, 1, 15),
                    None,
                )
                .unwrap();
                if let Some(on) = paid {
                    l.post(
                        EntryKind::Payment,
                        Money::from_minor(amount, currency),
                        on,
                        None,
                    )
                    .unwrap();
                }
                tx.append_entries(claim_id, l.entries(), NOW).await.unwrap();
            }
        }
        if let Some(day) = payment_data_as_of {
            dunning::note_payment_data(tx.as_mut(), day).await.unwrap();
        }
        tx.commit().await.unwrap();
        out
    }

    /// (debtor, step, channels, claims, amount) of an action, comparable across runs.
    pub type Key = (DebtorId, String, String, Vec<ClaimId>, Money);

    /// The actions the run of 10 June 2026 must create, worked out from the default
    /// scenarios (crates/domain/scenarios):
    /// - A (B2B standard): oldest open A1 is 8 days late → slot +8, `d+8_call`, A1 €1,000.00
    ///   (A0 is paid).
    /// - B (B2B standard): oldest open B1 is 40 days late → slot +30,
    ///   `d+30_formal_notice` by formal notice and e-mail, covering the overdue B1 and B2
    ///   (€250.00), not B3 (due 31 July).
    /// - C (B2C gentle, segment b2c): C1 due in 3 days → pre-due slot −3, `d-3_email`, whose
    ///   window is claims due 10–13 June: C1 €80.00.
    /// - D (key accounts, tag key_account): 40 days late → `d+40_review`, D1 €5,000.00.
    /// - E: nothing open, no case.
    /// - F: 9 days late → `d+8_call` for €5.00, below the €10.00 minimum: skipped.
    /// - G (B2B standard): 61 days late → slot +45; `d+45_legal_review` needs €500.00 in
    ///   EUR and G owes nothing in EUR, `d+45_agency_handoff` (at most €499.99) holds, but
    ///   no formal notice was ever sent to G: the run sends it first, `d+30_formal_notice`
    ///   by formal notice and e-mail, £600.00 (no minimum in GBP); the hand-off waits 15
    ///   days after it.
    pub fn expected(p: &Portfolio) -> Vec<Key> {
        let eur = |m| Money::from_minor(m, Currency::EUR);
        let mut v = vec![
            (
                p.debtors["A"],
                "d+8_call".into(),
                "phone_task".into(),
                vec![p.claims["A1"]],
                eur(1_000_00),
            ),
            (
                p.debtors["B"],
                "d+30_formal_notice".into(),
                "email+formal_notice".into(),
                vec![p.claims["B1"], p.claims["B2"]],
                eur(250_00),
            ),
            (
                p.debtors["C"],
                "d-3_email".into(),
                "email".into(),
                vec![p.claims["C1"]],
                eur(80_00),
            ),
            (
                p.debtors["D"],
                "d+40_review".into(),
                "legal_review_task".into(),
                vec![p.claims["D1"]],
                eur(5_000_00),
            ),
            (
                p.debtors["G"],
                "d+30_formal_notice".into(),
                "email+formal_notice".into(),
                vec![p.claims["G1"]],
                Money::from_minor(600_00, Currency::GBP),
            ),
        ];
        v.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        v
    }

    pub fn keys_of_stored(list: &[StoredAction]) -> Vec<Key> {
        let mut v: Vec<Key> = list
            .iter()
            .map(|a| {
                (
                    a.debtor_id,
                    a.step_code.clone(),
                    a.channels.to_string(),
                    a.claims.clone(),
                    a.amount,
                )
            })
            .collect();
        v.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        v
    }

    pub fn keys_of_report(r: &RunReport) -> Vec<Key> {
        let mut v: Vec<Key> = r
            .actions
            .iter()
            .map(|a| {
                (
                    a.debtor_id,
                    a.step.clone(),
                    a.channels.to_string(),
                    a.claims.clone(),
                    a.amount,
                )
            })
            .collect();
        v.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        v
    }

    pub async fn stored(store: &dyn Store) -> Vec<StoredAction> {
        let mut tx = store.begin().await.unwrap();
        tx.actions(&ActionFilter::default()).await.unwrap()
    }

    pub async fn run(store: &dyn Store, day: Date, options: RunOptions) -> RunReport {
        dunning::run(store, &FixedClock(day), options)
            .await
            .unwrap()
    }

    /// A store whose transactions fail on the third action insert, after two actions and
    /// their steps were written: a crash in the middle of persisting a run; and on the
    /// second allocation insert, after a first payment was posted: a crash in the middle
    /// of a statement import.
    #[derive(Debug)]
    pub struct Failing<'a>(pub &'a dyn Store);

    struct FailingTx {
        inner: Box<dyn Tx>,
        inserts: usize,
        allocation_inserts: usize,
    }

    #[async_trait::async_trait]
    impl Store for Failing<'_> {
        async fn begin(&self) -> app::store::StoreResult<Box<dyn Tx>> {
            Ok(Box::new(FailingTx {
                inner: self.0.begin().await?,
                inserts: 0,
                allocation_inserts: 0,
            }))
        }
        async fn begin_read(&self) -> app::store::StoreResult<Box<dyn Tx>> {
            self.0.begin_read().await
        }
        fn backend(&self) -> &'static str {
            self.0.backend()
        }
        async fn migration_status(
            &self,
        ) -> app::store::StoreResult<Vec<app::store::MigrationState>> {
            self.0.migration_status().await
        }
    }

    type R<T> = app::store::StoreResult<T>;

    #[async_trait::async_trait]
    impl Tx for FailingTx {
        async fn commit(self: Box<Self>) -> R<()> {
            self.inner.commit().await
        }
        async fn creditors(&mut self) -> R<Vec<domain::Creditor>> {
            self.inner.creditors().await
        }
        async fn creditor_by_code(&mut self, code: &str) -> R<Option<domain::Creditor>> {
            self.inner.creditor_by_code(code).await
        }
        async fn insert_creditor(
            &mut self,
            code: &str,
            name: &str,
            country: &str,
        ) -> R<domain::Creditor> {
            self.inner.insert_creditor(code, name, country).await
        }
        async fn debtor(&mut self, id: DebtorId) -> R<Option<Debtor>> {
            self.inner.debtor(id).await
        }
        async fn debtors(&mut self, creditor: Option<CreditorId>) -> R<Vec<Debtor>> {
            self.inner.debtors(creditor).await
        }
        async fn insert_debtor(&mut self, debtor: &Debtor) -> R<DebtorId> {
            self.inner.insert_debtor(debtor).await
        }
        async fn update_debtor(&mut self, debtor: &Debtor) -> R<()> {
            self.inner.update_debtor(debtor).await
        }
        async fn claim(&mut self, id: ClaimId) -> R<Option<Claim>> {
            self.inner.claim(id).await
        }
        async fn claims_of_debtor(&mut self, debtor: DebtorId) -> R<Vec<Claim>> {
            self.inner.claims_of_debtor(debtor).await
        }
        async fn claims(&mut self, creditor: Option<CreditorId>) -> R<Vec<Claim>> {
            self.inner.claims(creditor).await
        }
        async fn insert_claim(&mut self, claim: &Claim) -> R<ClaimId> {
            self.inner.insert_claim(claim).await
        }
        async fn update_claim(&mut self, claim: &Claim) -> R<()> {
            self.inner.update_claim(claim).await
        }
        async fn ledger_entries(&mut self, claim: ClaimId) -> R<Vec<LedgerEntry>> {
            self.inner.ledger_entries(claim).await
        }
        async fn ledger_entries_of_debtor(
            &mut self,
            debtor: DebtorId,
        ) -> R<Vec<(ClaimId, LedgerEntry)>> {
            self.inner.ledger_entries_of_debtor(debtor).await
        }
        async fn all_ledger_entries(
            &mut self,
            creditor: Option<CreditorId>,
        ) -> R<Vec<(ClaimId, LedgerEntry)>> {
            self.inner.all_ledger_entries(creditor).await
        }
        async fn append_entries(
            &mut self,
            claim: ClaimId,
            entries: &[LedgerEntry],
            at: &str,
        ) -> R<()> {
            self.inner.append_entries(claim, entries, at).await
        }
        async fn book(&mut self, creditor: Option<CreditorId>) -> R<domain::book::Book> {
            self.inner.book(creditor).await
        }
        async fn bulk_insert(&mut self, bulk: Bulk<'_>) -> R<()> {
            self.inner.bulk_insert(bulk).await
        }
        async fn counts(&mut self) -> R<app::store::Counts> {
            self.inner.counts().await
        }
        async fn census(&mut self) -> R<app::store::Census> {
            self.inner.census().await
        }
        async fn imports(&mut self) -> R<Vec<app::store::ImportRecord>> {
            self.inner.imports().await
        }
        async fn import_by_fingerprint(&mut self, f: &str) -> R<Option<app::store::ImportRecord>> {
            self.inner.import_by_fingerprint(f).await
        }
        async fn record_import(&mut self, r: &app::store::ImportRecord) -> R<()> {
            self.inner.record_import(r).await
        }
        async fn cases(&mut self) -> R<Vec<app::store::StoredCase>> {
            self.inner.cases().await
        }
        async fn upsert_case(&mut self, c: &app::store::StoredCase, at: &str) -> R<()> {
            self.inner.upsert_case(c, at).await
        }
        async fn current_steps(&mut self) -> R<Vec<app::store::StoredStep>> {
            self.inner.current_steps().await
        }
        async fn upsert_step(&mut self, s: &app::store::StoredStep) -> R<()> {
            self.inner.upsert_step(s).await
        }
        async fn insert_action(&mut self, a: &StoredAction) -> R<Option<i64>> {
            self.inserts += 1;
            if self.inserts == 3 {
                return Err(StoreError::Database("injected failure".into()));
            }
            self.inner.insert_action(a).await
        }
        async fn action(&mut self, id: i64) -> R<Option<StoredAction>> {
            self.inner.action(id).await
        }
        async fn actions(&mut self, f: &ActionFilter) -> R<Vec<StoredAction>> {
            self.inner.actions(f).await
        }
        async fn actions_since(&mut self, since: Date) -> R<Vec<StoredAction>> {
            self.inner.actions_since(since).await
        }
        async fn set_action_status(
            &mut self,
            id: i64,
            from: ActionStatus,
            to: ActionStatus,
        ) -> R<bool> {
            self.inner.set_action_status(id, from, to).await
        }
        async fn setting(&mut self, key: &str) -> R<Option<String>> {
            self.inner.setting(key).await
        }
        async fn set_setting(&mut self, key: &str, value: &str) -> R<()> {
            self.inner.set_setting(key, value).await
        }
        async fn settings(&mut self) -> R<Vec<(String, String)>> {
            self.inner.settings().await
        }
        async fn insert_agreement(&mut self, a: &app::store::StoredAgreement) -> R<i64> {
            self.inner.insert_agreement(a).await
        }
        async fn update_agreement(&mut self, a: &app::store::StoredAgreement) -> R<bool> {
            self.inner.update_agreement(a).await
        }
        async fn agreements(
            &mut self,
            f: &app::store::AgreementFilter,
        ) -> R<Vec<app::store::StoredAgreement>> {
            self.inner.agreements(f).await
        }
        async fn add_claim_party(&mut self, p: &app::store::ClaimParty) -> R<()> {
            self.inner.add_claim_party(p).await
        }
        async fn insert_note(&mut self, n: &app::store::StoredNote) -> R<i64> {
            self.inner.insert_note(n).await
        }
        async fn notes(&mut self, d: Option<DebtorId>) -> R<Vec<app::store::StoredNote>> {
            self.inner.notes(d).await
        }
        async fn insert_limitation_event(
            &mut self,
            e: &app::store::StoredLimitationEvent,
        ) -> R<i64> {
            self.inner.insert_limitation_event(e).await
        }
        async fn limitation_events(
            &mut self,
            d: Option<DebtorId>,
        ) -> R<Vec<app::store::StoredLimitationEvent>> {
            self.inner.limitation_events(d).await
        }
        async fn contract_terms(
            &mut self,
            s: app::store::TermsScope,
            o: Option<i64>,
        ) -> R<Vec<app::store::StoredTerms>> {
            self.inner.contract_terms(s, o).await
        }
        async fn set_contract_terms(&mut self, t: &app::store::StoredTerms) -> R<()> {
            self.inner.set_contract_terms(t).await
        }
        async fn insert_notice(&mut self, n: &app::store::StoredNotice) -> R<Option<i64>> {
            self.inner.insert_notice(n).await
        }
        async fn update_notice(&mut self, n: &app::store::StoredNotice) -> R<bool> {
            self.inner.update_notice(n).await
        }
        async fn notices(
            &mut self,
            f: &app::store::NoticeFilter,
        ) -> R<Vec<app::store::StoredNotice>> {
            self.inner.notices(f).await
        }
        async fn insert_financing_party(&mut self, p: &app::store::FinancingParty) -> R<i64> {
            self.inner.insert_financing_party(p).await
        }
        async fn financing_parties(&mut self) -> R<Vec<app::store::FinancingParty>> {
            self.inner.financing_parties().await
        }
        async fn set_assignment(&mut self, a: &app::store::StoredAssignment) -> R<()> {
            self.inner.set_assignment(a).await
        }
        async fn delete_assignment(&mut self, s: app::store::AssignmentScope, o: i64) -> R<bool> {
            self.inner.delete_assignment(s, o).await
        }
        async fn assignments(&mut self) -> R<Vec<app::store::StoredAssignment>> {
            self.inner.assignments().await
        }
        async fn erasure_requests(
            &mut self,
            f: &app::store::ErasureFilter,
        ) -> R<Vec<app::store::ErasureRequest>> {
            self.inner.erasure_requests(f).await
        }
        async fn save_erasure_request(&mut self, r: &app::store::ErasureRequest) -> R<i64> {
            self.inner.save_erasure_request(r).await
        }
        async fn pseudonymise_debtor(&mut self, e: &app::store::DebtorErasure) -> R<u64> {
            self.inner.pseudonymise_debtor(e).await
        }
        async fn audit_entries_about(
            &mut self,
            subjects: &[String],
        ) -> R<Vec<app::store::AuditEntry>> {
            self.inner.audit_entries_about(subjects).await
        }
        async fn text_hits(&mut self, needle: &str) -> R<Vec<app::store::TextHit>> {
            self.inner.text_hits(needle).await
        }
        async fn insert_legal_file(&mut self, f: &app::store::StoredLegalFile) -> R<i64> {
            self.inner.insert_legal_file(f).await
        }
        async fn update_legal_file(&mut self, f: &app::store::StoredLegalFile) -> R<bool> {
            self.inner.update_legal_file(f).await
        }
        async fn legal_files(
            &mut self,
            f: &app::store::LegalFileFilter,
        ) -> R<Vec<app::store::StoredLegalFile>> {
            self.inner.legal_files(f).await
        }
        async fn insert_exhibit(&mut self, e: &app::store::StoredExhibit) -> R<Option<i64>> {
            self.inner.insert_exhibit(e).await
        }
        async fn exhibits(&mut self, f: Option<i64>, c: bool) -> R<Vec<app::store::StoredExhibit>> {
            self.inner.exhibits(f, c).await
        }
        async fn insert_mandate(&mut self, m: &app::store::StoredMandate) -> R<i64> {
            self.inner.insert_mandate(m).await
        }
        async fn update_mandate(&mut self, m: &app::store::StoredMandate) -> R<bool> {
            self.inner.update_mandate(m).await
        }
        async fn mandates(&mut self, c: Option<CreditorId>) -> R<Vec<app::store::StoredMandate>> {
            self.inner.mandates(c).await
        }
        async fn insert_placement(&mut self, p: &app::store::StoredPlacement) -> R<i64> {
            self.inner.insert_placement(p).await
        }
        async fn end_placement(
            &mut self,
            id: i64,
            state: app::store::PlacementState,
            on: Date,
            reason: &str,
        ) -> R<bool> {
            self.inner.end_placement(id, state, on, reason).await
        }
        async fn placements(
            &mut self,
            f: &app::store::PlacementFilter,
        ) -> R<Vec<app::store::StoredPlacement>> {
            self.inner.placements(f).await
        }
        async fn insert_remittance(
            &mut self,
            r: &app::store::StoredRemittance,
            e: &[(ClaimId, u32)],
        ) -> R<i64> {
            self.inner.insert_remittance(r, e).await
        }
        async fn remittances(
            &mut self,
            c: Option<CreditorId>,
            id: Option<i64>,
            xml: bool,
        ) -> R<Vec<app::store::StoredRemittance>> {
            self.inner.remittances(c, id, xml).await
        }
        async fn remitted_entries(&mut self, c: &[ClaimId]) -> R<Vec<(ClaimId, u32)>> {
            self.inner.remitted_entries(c).await
        }
        async fn insert_client_notice(&mut self, n: &app::store::StoredClientNotice) -> R<bool> {
            self.inner.insert_client_notice(n).await
        }
        async fn set_client_notices_emailed(&mut self, ids: &[i64], at: Option<&str>) -> R<u64> {
            self.inner.set_client_notices_emailed(ids, at).await
        }
        async fn client_notices(
            &mut self,
            c: Option<CreditorId>,
            limit: usize,
        ) -> R<Vec<app::store::StoredClientNotice>> {
            self.inner.client_notices(c, limit).await
        }
        async fn claim_parties(&mut self, c: &[ClaimId]) -> R<Vec<app::store::ClaimParty>> {
            self.inner.claim_parties(c).await
        }
        async fn statement_by_fingerprint(&mut self, f: &str) -> R<Option<StoredStatement>> {
            self.inner.statement_by_fingerprint(f).await
        }
        async fn statements(&mut self) -> R<Vec<StoredStatement>> {
            self.inner.statements().await
        }
        async fn insert_statement(&mut self, s: &StoredStatement) -> R<i64> {
            self.inner.insert_statement(s).await
        }
        async fn payment_exists(&mut self, f: &str) -> R<bool> {
            self.inner.payment_exists(f).await
        }
        async fn insert_payment(&mut self, p: &StoredPayment) -> R<i64> {
            self.inner.insert_payment(p).await
        }
        async fn payment(&mut self, id: i64) -> R<Option<StoredPayment>> {
            self.inner.payment(id).await
        }
        async fn payments(&mut self, f: &PaymentFilter) -> R<Vec<StoredPayment>> {
            self.inner.payments(f).await
        }
        async fn set_payment_status(
            &mut self,
            id: i64,
            s: PaymentStatus,
            debtor: Option<DebtorId>,
            at: &str,
        ) -> R<bool> {
            self.inner.set_payment_status(id, s, debtor, at).await
        }
        async fn insert_allocations(&mut self, a: &[StoredAllocation]) -> R<()> {
            self.allocation_inserts += 1;
            if self.allocation_inserts == 2 {
                return Err(StoreError::Database("injected failure".into()));
            }
            self.inner.insert_allocations(a).await
        }
        async fn allocations(&mut self, payment: i64) -> R<Vec<StoredAllocation>> {
            self.inner.allocations(payment).await
        }
        async fn learn_iban(&mut self, iban: &str, debtor: DebtorId, on: Date) -> R<()> {
            self.inner.learn_iban(iban, debtor, on).await
        }
        async fn payer_ibans(&mut self) -> R<Vec<app::store::PayerIban>> {
            self.inner.payer_ibans().await
        }
        async fn add_debtor_credit(&mut self, c: &DebtorCredit) -> R<()> {
            self.inner.add_debtor_credit(c).await
        }
        async fn debtor_credits(&mut self, debtor: Option<DebtorId>) -> R<Vec<DebtorCredit>> {
            self.inner.debtor_credits(debtor).await
        }
        async fn user_count(&mut self) -> R<i64> {
            self.inner.user_count().await
        }
        async fn insert_user(&mut self, user: &app::store::StoredUser) -> R<i64> {
            self.inner.insert_user(user).await
        }
        async fn user(&mut self, id: i64) -> R<Option<app::store::StoredUser>> {
            self.inner.user(id).await
        }
        async fn user_by_login(&mut self, login: &str) -> R<Option<app::store::StoredUser>> {
            self.inner.user_by_login(login).await
        }
        async fn users(&mut self) -> R<Vec<app::store::StoredUser>> {
            self.inner.users().await
        }
        async fn set_user_language(&mut self, id: i64, language: &str) -> R<bool> {
            self.inner.set_user_language(id, language).await
        }
        async fn user_totp(&mut self, id: i64) -> R<Option<String>> {
            self.inner.user_totp(id).await
        }
        async fn set_user_totp(&mut self, id: i64, secret: Option<&str>) -> R<bool> {
            self.inner.set_user_totp(id, secret).await
        }
        async fn use_totp_step(&mut self, id: i64, step: i64) -> R<bool> {
            self.inner.use_totp_step(id, step).await
        }
        async fn add_login_failures(
            &mut self,
            keys: &[String],
            at: i64,
            forget_before: i64,
        ) -> R<()> {
            self.inner.add_login_failures(keys, at, forget_before).await
        }
        async fn login_failures(&mut self, key: &str, since: i64) -> R<i64> {
            self.inner.login_failures(key, since).await
        }
        async fn clear_login_failures(&mut self, key: &str) -> R<()> {
            self.inner.clear_login_failures(key).await
        }
        async fn insert_session(&mut self, session: &app::store::StoredSession) -> R<()> {
            self.inner.insert_session(session).await
        }
        async fn session(&mut self, token_hash: &str) -> R<Option<app::store::StoredSession>> {
            self.inner.session(token_hash).await
        }
        async fn delete_session(&mut self, token_hash: &str) -> R<()> {
            self.inner.delete_session(token_hash).await
        }
        async fn delete_expired_sessions(&mut self, now: i64) -> R<u64> {
            self.inner.delete_expired_sessions(now).await
        }
        async fn api_tokens(&mut self) -> R<Vec<app::store::StoredApiToken>> {
            self.inner.api_tokens().await
        }
        async fn insert_api_token(&mut self, token: &app::store::StoredApiToken) -> R<i64> {
            self.inner.insert_api_token(token).await
        }
        async fn api_token(&mut self, token_hash: &str) -> R<Option<app::store::StoredApiToken>> {
            self.inner.api_token(token_hash).await
        }
        async fn revoke_api_token(&mut self, id: i64, at: &str) -> R<bool> {
            self.inner.revoke_api_token(id, at).await
        }
        async fn update_user(&mut self, user: &app::store::StoredUser) -> R<bool> {
            self.inner.update_user(user).await
        }
        async fn delete_user_sessions(&mut self, user_id: i64, keep: Option<&str>) -> R<u64> {
            self.inner.delete_user_sessions(user_id, keep).await
        }
        async fn api_token_user(&mut self, token_hash: &str) -> R<Option<app::store::StoredUser>> {
            self.inner.api_token_user(token_hash).await
        }
        async fn append_audit(&mut self, entry: &app::store::AuditEntry) -> R<i64> {
            self.inner.append_audit(entry).await
        }
        async fn audit_entries(
            &mut self,
            limit: usize,
            before: Option<i64>,
        ) -> R<Vec<app::store::AuditEntry>> {
            self.inner.audit_entries(limit, before).await
        }
        async fn case(&mut self, debtor: DebtorId) -> R<Option<app::store::StoredCase>> {
            self.inner.case(debtor).await
        }
        async fn insert_outbox(&mut self, entry: &app::store::OutboxEntry) -> R<Option<i64>> {
            self.inner.insert_outbox(entry).await
        }
        async fn outbox_entry(&mut self, id: i64) -> R<Option<app::store::OutboxEntry>> {
            self.inner.outbox_entry(id).await
        }
        async fn outbox(
            &mut self,
            filter: &app::store::OutboxFilter,
        ) -> R<Vec<app::store::OutboxEntry>> {
            self.inner.outbox(filter).await
        }
        async fn outbox_counts(&mut self) -> R<Vec<(app::store::OutboxStatus, i64)>> {
            self.inner.outbox_counts().await
        }
        async fn claim_outbox(
            &mut self,
            worker: &str,
            now: i64,
            lease_until: i64,
            limit: usize,
            at: &str,
        ) -> R<Vec<app::store::OutboxEntry>> {
            self.inner
                .claim_outbox(worker, now, lease_until, limit, at)
                .await
        }
        async fn update_outbox(
            &mut self,
            entry: &app::store::OutboxEntry,
            owner: Option<&str>,
        ) -> R<bool> {
            self.inner.update_outbox(entry, owner).await
        }
        async fn insert_delivery(&mut self, attempt: &app::store::DeliveryAttempt) -> R<i64> {
            self.inner.insert_delivery(attempt).await
        }
        async fn finish_delivery(&mut self, attempt: &app::store::DeliveryAttempt) -> R<()> {
            self.inner.finish_delivery(attempt).await
        }
        async fn deliveries(&mut self, outbox: Option<i64>) -> R<Vec<app::store::DeliveryAttempt>> {
            self.inner.deliveries(outbox).await
        }
        async fn claim_job(
            &mut self,
            request: &app::store::JobRequest<'_>,
        ) -> R<app::store::JobClaim> {
            self.inner.claim_job(request).await
        }
        async fn finish_job(
            &mut self,
            key: &str,
            owner: &str,
            done: bool,
            result: &str,
            at: &str,
        ) -> R<bool> {
            self.inner.finish_job(key, owner, done, result, at).await
        }
        async fn jobs(
            &mut self,
            kind: Option<&str>,
            limit: usize,
        ) -> R<Vec<app::store::StoredJob>> {
            self.inner.jobs(kind, limit).await
        }
    }
}

/// The daily run creates exactly the actions worked out by hand, writes the cases, and
/// counts channels and skips; the worklist ranks the human tasks.
pub async fn dunning_run_creates_expected_actions(store: &dyn Store) {
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    let report = run(store, as_of(), app::dunning::RunOptions::default()).await;
    assert!(report.stale.is_none());
    assert_eq!(keys_of_report(&report), expected(&p));
    let stored = stored(store).await;
    assert_eq!(keys_of_stored(&stored), expected(&p));
    assert!(
        stored
            .iter()
            .all(|a| a.status == app::store::ActionStatus::Planned && a.cycle == 1)
    );
    let b = stored
        .iter()
        .find(|a| a.debtor_id == p.debtors["B"])
        .unwrap();
    assert!(b.claim_penalties);
    assert_eq!(b.stage_after, domain::dunning::Stage::FormalNotice);
    // Six cases opened and assigned (A, B, C, D, F, G; E owes nothing).
    assert_eq!((report.reopened, report.assigned, report.closed), (6, 6, 0));
    assert_eq!(report.skips_by_reason.get("below_minimum"), Some(&1));
    // B's and G's formal notices and C's courtesy e-mail.
    assert_eq!(report.actions_by_channel.get("email"), Some(&3));
    let mut tx = store.begin().await.unwrap();
    let cases = tx.cases().await.unwrap();
    assert_eq!(cases.len(), 6);
    let scenario_of = |ext: &str| {
        cases
            .iter()
            .find(|c| c.debtor_id == p.debtors[ext])
            .and_then(|c| c.scenario.clone())
    };
    assert_eq!(scenario_of("C").as_deref(), Some("fr_b2c_gentle"));
    assert_eq!(scenario_of("D").as_deref(), Some("key_accounts"));
    assert_eq!(scenario_of("F").as_deref(), Some("fr_b2b_standard"));
    assert_eq!(tx.current_steps().await.unwrap().len(), 5);

    // Worklist: the call (A), the legal review (D); G's formal notice is a letter, not a
    // task.
    // D: €5,000.00 × 500 ‰ (no history) × 3 (last step of its scenario: due today) = 750000.
    // A: A0 paid 10 days late → (1+1)/(1+2) = 666 ‰ × (1000 − 40)/1000 = 639 ‰; next step
    //    d+15 in 15 − 8 = 7 days (×2): 100000 × 639 × 2000 / 10⁶ = 127800.
    let items = app::dunning::worklist(tx.as_mut(), as_of(), None)
        .await
        .unwrap();
    let ranked: Vec<(DebtorId, i64)> = items.iter().map(|i| (i.debtor_id, i.priority)).collect();
    assert_eq!(
        ranked,
        vec![(p.debtors["D"], 750_000), (p.debtors["A"], 127_800),]
    );
    assert_eq!(
        items[1].reason_en,
        "1000.00 EUR open, 63% likely to be recovered, deadline in 7 days"
    );
}

/// Rerunning the same day creates nothing, nor does the next day's run (every step due
/// is done); the unique key refuses a duplicate action.
pub async fn dunning_rerun_creates_nothing(store: &dyn Store) {
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    run(store, as_of(), app::dunning::RunOptions::default()).await;
    let first = stored(store).await;
    let again = run(store, as_of(), app::dunning::RunOptions::default()).await;
    assert!(again.actions.is_empty(), "{:?}", again.actions);
    assert_eq!(stored(store).await, first);
    let next_day = run(store, d(2026, 6, 11), app::dunning::RunOptions::default()).await;
    assert!(next_day.actions.is_empty(), "{:?}", next_day.actions);
    assert_eq!(keys_of_stored(&stored(store).await), expected(&p));

    let mut tx = store.begin().await.unwrap();
    let mut dup = first[0].clone();
    dup.template = "other".into();
    assert_eq!(tx.insert_action(&dup).await.unwrap(), None);
    dup.created_on = d(2026, 6, 12);
    assert!(tx.insert_action(&dup).await.unwrap().is_some());
}

/// A dry run and a preview decide but write nothing.
pub async fn dunning_dry_run_writes_nothing(store: &dyn Store) {
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    let dry = run(
        store,
        as_of(),
        app::dunning::RunOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(keys_of_report(&dry), expected(&p));
    assert!(dry.actions.iter().all(|a| a.id.is_none()));
    let preview = run(
        store,
        as_of(),
        app::dunning::RunOptions {
            preview: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(preview.as_of, d(2026, 6, 11));
    assert!(stored(store).await.is_empty());
    let mut tx = store.begin().await.unwrap();
    assert!(tx.cases().await.unwrap().is_empty());
    assert!(tx.current_steps().await.unwrap().is_empty());
}

/// Review mode creates drafts only; approving and skipping change their status.
pub async fn dunning_review_mode_creates_drafts(store: &dyn Store) {
    use app::store::ActionStatus;
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    let report = run(
        store,
        as_of(),
        app::dunning::RunOptions {
            review_mode: true,
            ..Default::default()
        },
    )
    .await;
    assert!(report.review_mode);
    let list = stored(store).await;
    assert_eq!(keys_of_stored(&list), expected(&p));
    assert!(list.iter().all(|a| a.status == ActionStatus::Draft));
    let mut tx = store.begin().await.unwrap();
    let items = app::dunning::worklist(tx.as_mut(), as_of(), Some("anyone"))
        .await
        .unwrap();
    drop(tx);
    assert_eq!(items.len(), 5, "every draft awaits a person");
    let approved = app::dunning::approve(store, list[0].id).await.unwrap();
    assert_eq!(approved.status, ActionStatus::Approved);
    assert!(
        app::dunning::approve(store, list[0].id).await.is_err(),
        "approved twice"
    );
    app::dunning::skip(store, list[1].id).await.unwrap();
    assert!(app::dunning::skip(store, 999_999).await.is_err());
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.action(list[0].id).await.unwrap().unwrap().status,
        ActionStatus::Approved
    );
    assert_eq!(
        tx.action(list[1].id).await.unwrap().unwrap().status,
        ActionStatus::Skipped
    );
    let drafts = tx
        .actions(&app::store::ActionFilter {
            statuses: vec![ActionStatus::Draft],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(drafts.len(), 3);
}

/// Payment data older than the freshness limit (4 days): nothing goes, and the report says
/// why. A claims import refreshes it.
pub async fn dunning_stale_data_sends_nothing(store: &dyn Store) {
    use dunning_cases::*;
    build(store, Some(d(2026, 6, 5))).await;
    let report = run(store, as_of(), app::dunning::RunOptions::default()).await;
    assert!(report.actions.is_empty());
    assert_eq!(
        report.stale,
        Some(app::dunning::StaleData {
            last_refresh: Some(d(2026, 6, 5)),
            limit_days: 4
        })
    );
    // Every case with a step due (A, B, C, D, F, G) is held back.
    assert_eq!(report.skips_by_reason.get("stale_data"), Some(&6));
    assert!(stored(store).await.is_empty());

    // An import that changes something on 10 June is a refresh: the run goes ahead.
    let csv = "debtor_id,debtor_name,debtor_kind,invoice_number,issue_date,due_date,amount\n\
               Z1,Zeta SAS,company,Z-1,2026-06-01,2026-07-01,10.00\n";
    let clock = FixedClock(as_of());
    import_claims(
        store,
        &clock,
        "z.csv",
        csv.as_bytes(),
        &ImportOptions {
            creditor: Some("ACME".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let report = run(store, as_of(), app::dunning::RunOptions::default()).await;
    assert!(report.stale.is_none());
    assert_eq!(report.actions.len(), 5);
}

/// A run whose persistence fails half-way writes nothing; the next run creates exactly
/// what an uninterrupted run creates.
pub async fn dunning_crash_leaves_nothing_half_done(store: &dyn Store) {
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    let failing = Failing(store);
    let err = app::dunning::run(
        &failing,
        &FixedClock(as_of()),
        app::dunning::RunOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("injected failure"), "{err}");
    assert!(stored(store).await.is_empty());
    let mut tx = store.begin().await.unwrap();
    assert!(tx.cases().await.unwrap().is_empty());
    assert!(tx.current_steps().await.unwrap().is_empty());
    drop(tx);
    let report = run(store, as_of(), app::dunning::RunOptions::default()).await;
    assert_eq!(keys_of_report(&report), expected(&p));
    assert_eq!(keys_of_stored(&stored(store).await), expected(&p));
}

/// A claim to create: (number, amount minor, due date).
type ClaimSpec = (&'static str, i64, Date);

/// A creditor and one B2B debtor (no tags: the standard B2B scenario) per `(external id,
/// [(claim, amount minor, due)])`, claims issued a month before they fall due.
async fn agreement_portfolio(
    store: &dyn Store,
    plan: &[(&str, &[ClaimSpec])],
) -> (Vec<DebtorId>, std::collections::HashMap<String, ClaimId>) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let mut debtors = Vec::new();
    let mut claims = std::collections::HashMap::new();
    for (ext, list) in plan {
        let mut debtor = sample_debtor(c.id, ext);
        debtor.tags = vec![];
        let id = tx.insert_debtor(&debtor).await.unwrap();
        debtors.push(id);
        for (name, amount, due) in *list {
            let mut claim = sample_claim(c.id, id, name, *due);
            claim.issue_date =
                domain::date::date_of_day(domain::date::day_number(*due) - 30).unwrap();
            let claim_id = tx.insert_claim(&claim).await.unwrap();
            let mut l = ClaimLedger::new(Currency::EUR);
            l.post(
                EntryKind::Invoice,
                Money::from_minor(*amount, Currency::EUR),
                claim.issue_date,
                None,
            )
            .unwrap();
            tx.append_entries(claim_id, l.entries(), NOW).await.unwrap();
            claims.insert(name.to_string(), claim_id);
        }
    }
    tx.commit().await.unwrap();
    (debtors, claims)
}

/// Posts a payment of `minor` cents on `claim` dated `day`.
async fn pay(store: &dyn Store, claim: ClaimId, minor: i64, day: Date) {
    let mut tx = store.begin().await.unwrap();
    let mut l = ClaimLedger::from_entries(Currency::EUR, tx.ledger_entries(claim).await.unwrap());
    let before = l.entries().len();
    l.post(
        EntryKind::Payment,
        Money::from_minor(minor, Currency::EUR),
        day,
        None,
    )
    .unwrap();
    tx.append_entries(claim, &l.entries()[before..], NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The run of `day`, written, after a payment import that day (fresh payment data).
async fn run_on(store: &dyn Store, day: Date) -> app::dunning::RunReport {
    let mut tx = store.begin().await.unwrap();
    app::dunning::note_payment_data(tx.as_mut(), day)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app::dunning::run(store, &FixedClock(day), app::dunning::RunOptions::default())
        .await
        .unwrap()
}

fn plan_terms(count: u32, first: Date) -> app::agreements::PlanTerms {
    app::agreements::PlanTerms {
        claims: vec![],
        down_payment: None,
        count: Some(count),
        fixed: None,
        every: domain::agreements::Frequency::Monthly,
        first,
        annual_rate_bp: None,
        grace_days: 5,
        court_ordered: false,
        channel: "phone".into(),
        agreed_by: "alice".into(),
        mandate: None,
    }
}

/// A plan of 6 monthly instalments of 100.00 (X1, 600.00 due 1 December 2025, agreed on
/// 1 January 2026, first instalment 15 January, 5 days' grace):
/// - paid 15 Jan, 18 Feb (3 days late: inside the grace), 15 Mar: on 31 March the plan is
///   live and X is not reminded;
/// - April's instalment (15 April, grace to the 20th) is not paid: the run of 20 April
///   still pauses X; the run of 21 April finds the plan broken, writes the broken-plan
///   task dated 21 April and resumes the scenario: X1 is 141 days late (1 Dec → 21 Apr:
///   30 + 31 + 28 + 31 + 21 = 141), slot +45, 300.00 open, below the €500.00 of the legal
///   review: the agency hand-off, but no formal notice was ever sent in this cycle, so the
///   notice goes first: `d+30_formal_notice`;
/// - the run of 22 April writes no second task.
pub async fn agreements_plan_kept_then_broken(store: &dyn Store) {
    use app::agreements::{self, AGREEMENT_SCENARIO};
    let (debtors, claims) =
        agreement_portfolio(store, &[("X", &[("X1", 600_00, d(2025, 12, 1))])]).await;
    let x = debtors[0];
    let (plan_id, plan) = agreements::create_plan(
        store,
        &FixedClock(d(2026, 1, 1)),
        x,
        &plan_terms(6, d(2026, 1, 15)),
    )
    .await
    .unwrap();
    assert_eq!(plan.status, domain::agreements::PlanStatus::Active);
    assert!(
        plan.instalments
            .iter()
            .all(|i| i.amount == Money::from_minor(100_00, Currency::EUR))
    );
    for (day, minor) in [
        (d(2026, 1, 15), 100_00),
        (d(2026, 2, 18), 100_00),
        (d(2026, 3, 15), 100_00),
    ] {
        pay(store, claims["X1"], minor, day).await;
    }
    let r = run_on(store, d(2026, 3, 31)).await;
    assert!(
        r.actions.iter().all(|a| a.debtor_id != x),
        "paused by the plan"
    );
    assert_eq!(r.skips_by_reason.get("paused:plan"), Some(&1));
    assert!(r.agreement_events.is_empty());
    let r = run_on(store, d(2026, 4, 20)).await;
    assert!(r.actions.iter().all(|a| a.debtor_id != x));

    let r = run_on(store, d(2026, 4, 21)).await;
    let events: Vec<(i64, &str)> = r
        .agreement_events
        .iter()
        .map(|e| (e.id, e.status.as_str()))
        .collect();
    assert_eq!(events, vec![(plan_id, "broken")]);
    let steps: Vec<&str> = r
        .actions
        .iter()
        .filter(|a| a.debtor_id == x)
        .map(|a| a.step.as_str())
        .collect();
    assert_eq!(steps, vec!["d+30_formal_notice"]);
    run_on(store, d(2026, 4, 22)).await;
    let mut tx = store.begin().await.unwrap();
    let tasks: Vec<(String, Date, Money)> = tx
        .actions(&app::store::ActionFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.scenario == AGREEMENT_SCENARIO)
        .map(|a| (a.step_code, a.created_on, a.amount))
        .collect();
    // What is left of April's instalment: 100.00.
    assert_eq!(
        tasks,
        vec![(
            format!("broken_plan:{plan_id}"),
            d(2026, 4, 21),
            Money::from_minor(100_00, Currency::EUR)
        )]
    );
    let view = agreements::show_plan(tx.as_mut(), plan_id, d(2026, 4, 22))
        .await
        .unwrap();
    assert_eq!(view.plan.status, domain::agreements::PlanStatus::Broken);
    assert_eq!(view.progress.met, 3);
}

/// A plan on a claim with two co-debtors (Y, Z) and a guarantor (G) stays a draft — and
/// does not pause collection — until both co-debtors have consented; the guarantor's
/// consent is not asked.
pub async fn agreements_plan_waits_for_co_debtors(store: &dyn Store) {
    use app::agreements;
    use domain::agreements::{PartyRole, PlanStatus};
    let (debtors, claims) = agreement_portfolio(
        store,
        &[
            ("W", &[("W1", 900_00, d(2026, 5, 1))]),
            ("Y", &[]),
            ("Z", &[]),
            ("G", &[]),
        ],
    )
    .await;
    let (w, y, z, g) = (debtors[0], debtors[1], debtors[2], debtors[3]);
    for (who, role) in [
        (y, PartyRole::CoDebtor),
        (z, PartyRole::CoDebtor),
        (g, PartyRole::Guarantor),
    ] {
        app::audit::add_claim_party(
            store,
            &FixedClock(d(2026, 1, 1)),
            &app::audit::Actor("test".into()),
            &app::store::ClaimParty {
                claim_id: claims["W1"],
                debtor_id: who,
                role,
            },
        )
        .await
        .unwrap();
    }
    let clock = FixedClock(d(2026, 6, 1));
    let (id, plan) = agreements::create_plan(store, &clock, w, &plan_terms(3, d(2026, 6, 15)))
        .await
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Draft);
    assert_eq!(domain::agreements::missing_consents(&plan), vec![y, z]);
    assert!(
        agreements::record_consent(store, &clock, id, g, "letter")
            .await
            .is_err(),
        "a guarantor is not asked"
    );
    let (_, missing) = agreements::record_consent(store, &clock, id, y, "letter")
        .await
        .unwrap();
    assert_eq!(missing, vec![z]);
    // Still a draft: W is reminded (W1 is 40 days late on 10 June: slot +30).
    let r = run_on(store, d(2026, 6, 10)).await;
    assert!(r.actions.iter().any(|a| a.debtor_id == w));
    let (plan, missing) = agreements::record_consent(store, &clock, id, z, "e-mail")
        .await
        .unwrap();
    assert!(missing.is_empty());
    assert_eq!(plan.status, PlanStatus::Active);
    let r = run_on(store, d(2026, 6, 11)).await;
    assert!(r.actions.iter().all(|a| a.debtor_id != w));
}

/// A dispute on one of three overdue invoices (V2): the run of 10 June reminds V of the
/// other two only. V1 100.00 due 1 May (40 days late: slot +30, the formal notice), V3
/// 300.00 due 10 May: 400.00 on V1 and V3. Resolving the dispute with a 50.00 credit note
/// leaves 150.00 open on V2, reminded again from then on.
pub async fn agreements_dispute_holds_only_its_claims(store: &dyn Store) {
    use app::agreements;
    use domain::agreements::{DisputeReason, Resolution};
    let (debtors, claims) = agreement_portfolio(
        store,
        &[(
            "V",
            &[
                ("V1", 100_00, d(2026, 5, 1)),
                ("V2", 200_00, d(2026, 5, 5)),
                ("V3", 300_00, d(2026, 5, 10)),
            ],
        )],
    )
    .await;
    let v = debtors[0];
    let clock = FixedClock(d(2026, 6, 5));
    let terms = agreements::DisputeTerms {
        debtor: Some(v),
        claims: vec![claims["V2"]],
        reason: DisputeReason::Quality,
        note: "scratched".into(),
        attachments: vec!["photo-V2.jpg".into()],
        owner: "bob".into(),
        due: Some(d(2026, 6, 30)),
    };
    // Named for another debtor (a page or API path of someone else): refused.
    let elsewhere = agreements::DisputeTerms {
        debtor: Some(DebtorId(v.0 + 1)),
        ..terms.clone()
    };
    assert!(
        agreements::open_dispute(store, &clock, &elsewhere)
            .await
            .is_err()
    );
    let (id, opened) = agreements::open_dispute(store, &clock, &terms)
        .await
        .unwrap();
    assert_eq!(opened.attachments, vec!["photo-V2.jpg".to_string()]);
    let r = run_on(store, d(2026, 6, 10)).await;
    let mine: Vec<(&str, Vec<ClaimId>, Money)> = r
        .actions
        .iter()
        .filter(|a| a.debtor_id == v)
        .map(|a| (a.step.as_str(), a.claims.clone(), a.amount))
        .collect();
    assert_eq!(
        mine,
        vec![(
            "d+30_formal_notice",
            vec![claims["V1"], claims["V3"]],
            Money::from_minor(400_00, Currency::EUR)
        )]
    );
    let resolved = agreements::resolve_dispute(
        store,
        &FixedClock(d(2026, 6, 12)),
        id,
        Resolution::CreditNote {
            amount: Money::from_minor(50_00, Currency::EUR),
        },
    )
    .await
    .unwrap();
    assert!(!resolved.is_open());
    let mut tx = store.begin().await.unwrap();
    let l = ClaimLedger::from_entries(
        Currency::EUR,
        tx.ledger_entries(claims["V2"]).await.unwrap(),
    );
    assert_eq!(
        l.balance_as_of(d(2026, 6, 12)),
        Money::from_minor(150_00, Currency::EUR)
    );
    let report = agreements::dispute_report(tx.as_mut(), d(2026, 6, 12))
        .await
        .unwrap();
    let quality = report
        .rows
        .iter()
        .find(|r| r.reason == DisputeReason::Quality)
        .unwrap();
    // Opened 5 June, resolved 12 June: 7 days.
    assert_eq!(
        (
            quality.open,
            quality.resolved,
            quality.average_days_to_resolve
        ),
        (0, 1, Some(7))
    );
}

/// A promise of 1,000.00 for 10 June (P1 due 1 May): P is not reminded while it runs,
/// nor during the 2 days' grace (to the 12th); on the 13th, nothing paid, it is broken:
/// a call task for the collector and the scenario resumes the same day (P1 43 days late:
/// slot +30 → the formal notice).
pub async fn agreements_broken_promise_resumes(store: &dyn Store) {
    use app::agreements::{self, AGREEMENT_SCENARIO};
    let (debtors, claims) =
        agreement_portfolio(store, &[("P", &[("P1", 1_000_00, d(2026, 5, 1))])]).await;
    let p = debtors[0];
    let (id, _) = agreements::add_promise(
        store,
        &FixedClock(d(2026, 6, 1)),
        &agreements::PromiseTerms {
            debtor: p,
            amount: Money::from_minor(1_000_00, Currency::EUR),
            due: d(2026, 6, 10),
            claims: vec![],
            channel: "phone".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    for day in [d(2026, 6, 5), d(2026, 6, 12)] {
        let r = run_on(store, day).await;
        assert!(
            r.actions.iter().all(|a| a.debtor_id != p),
            "paused on {day}"
        );
    }
    let r = run_on(store, d(2026, 6, 13)).await;
    assert_eq!(
        r.agreement_events
            .iter()
            .map(|e| (e.id, e.status.as_str()))
            .collect::<Vec<_>>(),
        vec![(id, "broken")]
    );
    let steps: Vec<&str> = r
        .actions
        .iter()
        .filter(|a| a.debtor_id == p)
        .map(|a| a.step.as_str())
        .collect();
    assert_eq!(steps, vec!["d+30_formal_notice"]);
    let mut tx = store.begin().await.unwrap();
    let items = app::dunning::worklist(tx.as_mut(), d(2026, 6, 13), None)
        .await
        .unwrap();
    assert!(
        items
            .iter()
            .any(|i| i.step == format!("broken_promise:{id}")),
        "on the worklist"
    );
    // A kept promise closes without a task: pay P1 in full, promise again, run.
    drop(tx);
    let (kept, _) = agreements::add_promise(
        store,
        &FixedClock(d(2026, 6, 14)),
        &agreements::PromiseTerms {
            debtor: p,
            amount: Money::from_minor(1_000_00, Currency::EUR),
            due: d(2026, 6, 20),
            claims: vec![claims["P1"]],
            channel: "phone".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    pay(store, claims["P1"], 1_000_00, d(2026, 6, 15)).await;
    let r = run_on(store, d(2026, 6, 16)).await;
    assert_eq!(
        r.agreement_events
            .iter()
            .map(|e| (e.id, e.status.as_str()))
            .collect::<Vec<_>>(),
        vec![(kept, "kept")]
    );
    let mut tx = store.begin().await.unwrap();
    let tasks = tx
        .actions(&app::store::ActionFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.scenario == AGREEMENT_SCENARIO)
        .count();
    assert_eq!(tasks, 1);
}

/// A collector's worklist: the tasks of the cases assigned to them and of those assigned
/// to nobody. After the run of 10 June the tasks are A's call and D's legal review (G got
/// its formal notice, a letter: see `dunning_run_creates_expected_actions`); D goes to
/// alice, G to bob, A stays in the shared pool.
pub async fn dunning_worklist_by_assignee(store: &dyn Store) {
    use app::audit::{Actor, assign_case};
    use app::store::{Role, StoredUser};
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    run(store, as_of(), app::dunning::RunOptions::default()).await;
    let mut tx = store.begin().await.unwrap();
    for login in ["alice", "bob"] {
        tx.insert_user(&StoredUser {
            id: 0,
            login: login.into(),
            display_name: login.into(),
            role: Role::Collector,
            client_of: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            language: "fr".into(),
            active: true,
            created_at: NOW.into(),
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let clock = FixedClock(as_of());
    let boss = Actor("manager".into());
    assign_case(store, &clock, &boss, p.debtors["D"], Some("alice"))
        .await
        .unwrap();
    assign_case(store, &clock, &boss, p.debtors["G"], Some("bob"))
        .await
        .unwrap();
    assert!(
        assign_case(store, &clock, &boss, p.debtors["A"], Some("nobody-here"))
            .await
            .is_err(),
        "an unknown user"
    );
    let mut tx = store.begin().await.unwrap();
    let mut of = async |who: Option<&str>| -> Vec<DebtorId> {
        let mut list: Vec<DebtorId> = app::dunning::worklist(tx.as_mut(), as_of(), who)
            .await
            .unwrap()
            .iter()
            .map(|i| i.debtor_id)
            .collect();
        list.sort();
        list
    };
    let sorted = |mut v: Vec<DebtorId>| {
        v.sort();
        v
    };
    assert_eq!(
        of(Some("alice")).await,
        sorted(vec![p.debtors["A"], p.debtors["D"]])
    );
    assert_eq!(of(Some("bob")).await, vec![p.debtors["A"]], "G has no task");
    assert_eq!(of(None).await.len(), 2);
    drop(tx);
    // D reassigned to bob: alice keeps only the pool (A).
    assign_case(store, &clock, &boss, p.debtors["D"], Some("bob"))
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let alice: Vec<DebtorId> = app::dunning::worklist(tx.as_mut(), as_of(), Some("alice"))
        .await
        .unwrap()
        .iter()
        .map(|i| i.debtor_id)
        .collect();
    assert_eq!(alice, vec![p.debtors["A"]]);
}

/// The limitation alerts stored: (debtor, step, day, claims, amount), by day.
async fn limitation_actions(
    store: &dyn Store,
) -> Vec<(DebtorId, String, Date, Vec<ClaimId>, Money)> {
    let mut tx = store.begin().await.unwrap();
    let mut list: Vec<_> = tx
        .actions(&app::store::ActionFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.scenario == app::dunning::LIMITATION_SCENARIO)
        .map(|a| (a.debtor_id, a.step_code, a.created_on, a.claims, a.amount))
        .collect();
    list.sort_by_key(|a| a.2);
    list
}

/// Limitation alerts: a consumer claim due 1 December 2024 is time-barred after 2 years
/// (L218-2 C. conso), on 1 December 2026 (domain-rules §4: the anniversary day).
/// - Run of 15 September 2026: Sep 15 → Dec 1 is 15 + 31 + 30 + 1 = 77 days left, within
///   90: one 90-day alert, dated the day the threshold was crossed, Dec 1 − 90 days =
///   2 September 2026.
/// - Run of 16 September: the same alert exists, nothing new.
/// - Run of 5 November: Nov 5 → Dec 1 is 25 + 1 = 26 days left, within 30: one 30-day alert
///   dated Dec 1 − 30 = 1 November; the worklist shows it 26 days from the deadline.
///
/// A B2B claim of the same date (5 years, deadline 2029) and a consumer claim part-paid on
/// 1 June 2025 (a new 2-year period: 1 June 2027) raise nothing.
pub async fn dunning_limitation_alerts_once(store: &dyn Store) {
    use app::dunning::RunOptions;
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let mut ids = Vec::new();
    for (ext, segment, part_paid) in [
        ("P1", Segment::B2c, false),
        ("B1", Segment::B2b, false),
        ("P2", Segment::B2c, true),
    ] {
        let mut debtor = sample_debtor(c.id, ext);
        debtor.segment = segment;
        debtor.tags = vec![];
        if segment == Segment::B2c {
            debtor.kind = DebtorKind::Person;
        }
        let debtor_id = tx.insert_debtor(&debtor).await.unwrap();
        let mut claim = sample_claim(c.id, debtor_id, ext, d(2024, 12, 1));
        claim.issue_date = d(2024, 11, 1);
        let claim_id = tx.insert_claim(&claim).await.unwrap();
        let mut l = ClaimLedger::new(Currency::EUR);
        l.post(
            EntryKind::Invoice,
            Money::from_minor(300_00, Currency::EUR),
            d(2024, 11, 1),
            None,
        )
        .unwrap();
        if part_paid {
            l.post(
                EntryKind::Payment,
                Money::from_minor(50_00, Currency::EUR),
                d(2025, 6, 1),
                None,
            )
            .unwrap();
        }
        tx.append_entries(claim_id, l.entries(), NOW).await.unwrap();
        ids.push((debtor_id, claim_id));
    }
    tx.commit().await.unwrap();
    let (p1, p1_claim) = ids[0];
    let run = |day: Date| async move {
        app::dunning::run(store, &FixedClock(day), RunOptions::default())
            .await
            .unwrap()
    };
    let eur300 = Money::from_minor(300_00, Currency::EUR);
    let step90 = format!("limitation_90:{}", p1_claim.0);
    let step30 = format!("limitation_30:{}", p1_claim.0);

    let report = run(d(2026, 9, 15)).await;
    let raised: Vec<_> = report
        .limitation_alerts
        .iter()
        .map(|a| {
            (
                a.claim_id,
                a.deadline,
                a.days_left,
                a.threshold,
                a.action_id.is_some(),
            )
        })
        .collect();
    assert_eq!(raised, vec![(p1_claim, d(2026, 12, 1), 77, 90, true)]);
    assert_eq!(
        limitation_actions(store).await,
        vec![(p1, step90.clone(), d(2026, 9, 2), vec![p1_claim], eur300)]
    );

    let again = run(d(2026, 9, 16)).await;
    assert_eq!(again.limitation_alerts.len(), 1);
    assert!(
        again.limitation_alerts[0].action_id.is_none(),
        "raised once"
    );
    assert_eq!(limitation_actions(store).await.len(), 1);

    let later = run(d(2026, 11, 5)).await;
    assert_eq!(
        later
            .limitation_alerts
            .iter()
            .map(|a| (a.days_left, a.threshold, a.action_id.is_some()))
            .collect::<Vec<_>>(),
        vec![(26, 30, true)]
    );
    assert_eq!(
        limitation_actions(store).await,
        vec![
            (p1, step90, d(2026, 9, 2), vec![p1_claim], eur300),
            (p1, step30, d(2026, 11, 1), vec![p1_claim], eur300),
        ]
    );
    let mut tx = store.begin().await.unwrap();
    let items = app::dunning::worklist(tx.as_mut(), d(2026, 11, 5), None)
        .await
        .unwrap();
    let task = items
        .iter()
        .find(|i| i.step.starts_with("limitation_30:"))
        .unwrap();
    assert_eq!(task.urgency_days, 26);
    assert!(
        task.reason_en.starts_with("limitation deadline in 26 days"),
        "{}",
        task.reason_en
    );
    assert!(task.reason_fr.starts_with("prescription dans 26 jours"));
}

/// A scenario set loaded into the database is the one the run follows; a load with a bad
/// file changes nothing; `reset` brings the shipped scenarios back.
pub async fn dunning_follows_loaded_scenarios(store: &dyn Store) {
    use app::scenarios::{self, ScenarioFiles};
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    // One scenario: a call from day 1, for everybody.
    let only_call = r#"
code = "only_call"
name_fr = "Appel seulement"
name_en = "Call only"

[[step]]
code = "d+1_call"
offset_days = 1
channels = ["phone_task"]
template = "call_script"
stage = "amicable"
"#;
    let files = ScenarioFiles {
        scenarios: vec![("only_call.toml".into(), only_call.into())],
        assignment: ("assignment.toml".into(), "default = \"only_call\"\n".into()),
        shipped: false,
    };
    // A rule naming an unknown scenario: refused, nothing stored.
    let bad = ScenarioFiles {
        assignment: (
            "assignment.toml".into(),
            "default = \"only_call\"\n[[rule]]\nscenario = \"nope\"\nwhen = { segment = \"b2c\" }\n".into(),
        ),
        ..files.clone()
    };
    let mut tx = store.begin().await.unwrap();
    assert!(scenarios::load(tx.as_mut(), &bad).await.is_err());
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert!(scenarios::stored_files(tx.as_mut()).await.unwrap().shipped);
    scenarios::load(tx.as_mut(), &files).await.unwrap();
    tx.commit().await.unwrap();

    let report = run(store, as_of(), app::dunning::RunOptions::default()).await;
    // Every owing debtor past day 1 gets the call: A (8 days), B (40), D (40), F (9 days but
    // €5.00, below the minimum: skipped), G (61). C is not yet due (due 13 June).
    let mut called: Vec<DebtorId> = report.actions.iter().map(|a| a.debtor_id).collect();
    called.sort();
    let mut want = vec![
        p.debtors["A"],
        p.debtors["B"],
        p.debtors["D"],
        p.debtors["G"],
    ];
    want.sort();
    assert_eq!(called, want);
    assert!(
        report
            .actions
            .iter()
            .all(|a| a.scenario == "only_call" && a.step == "d+1_call")
    );

    let mut tx = store.begin().await.unwrap();
    scenarios::reset(tx.as_mut()).await.unwrap();
    assert!(scenarios::stored_files(tx.as_mut()).await.unwrap().shipped);
    tx.commit().await.unwrap();
}

/// A debtor on hold is left alone until the day after the hold; the others are reminded.
pub async fn dunning_hold_pauses_the_case(store: &dyn Store) {
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    let a = p.debtors["A"];
    let clock = FixedClock(as_of());
    // A hold that ended yesterday is refused.
    assert!(
        app::audit::hold_case(
            store,
            &clock,
            &app::audit::Actor("test".into()),
            a,
            Some(d(2026, 6, 9))
        )
        .await
        .is_err()
    );
    app::audit::hold_case(
        store,
        &clock,
        &app::audit::Actor("test".into()),
        a,
        Some(d(2026, 6, 12)),
    )
    .await
    .unwrap();
    let report = run(store, as_of(), app::dunning::RunOptions::default()).await;
    assert!(report.actions.iter().all(|x| x.debtor_id != a));
    assert_eq!(report.skips_by_reason.get("paused:hold"), Some(&1));
    // The others as without the hold: B, C, D, G (F below the minimum).
    assert_eq!(report.actions.len(), 4);
    // On the 13th the hold is over: A gets the step due then (slot +8, the call).
    let after = run(store, d(2026, 6, 13), app::dunning::RunOptions::default()).await;
    let a_steps: Vec<&str> = after
        .actions
        .iter()
        .filter(|x| x.debtor_id == a)
        .map(|x| x.step.as_str())
        .collect();
    assert_eq!(a_steps, vec!["d+8_call"]);
    // Lifting a hold.
    let case = app::audit::hold_case(store, &clock, &app::audit::Actor("test".into()), a, None)
        .await
        .unwrap();
    assert_eq!(case.hold_until, None);
}

/// Issue 23, item 4: a user's second factor is stored, used once per time step (a
/// replayed code is refused, by compare-and-set), and removed; failed sign-ins are counted
/// in the database (shared by every instance on it), per key and window, and forgotten.
pub async fn second_factor_and_sign_in_failures(store: &dyn Store) {
    use app::store::{Role, StoredUser};
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .insert_user(&StoredUser {
            id: 0,
            login: "carol".into(),
            display_name: "Carol".into(),
            role: Role::Admin,
            client_of: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            language: "fr".into(),
            active: true,
            created_at: NOW.into(),
        })
        .await
        .unwrap();
    assert_eq!(tx.user_totp(id).await.unwrap(), None);
    // No second factor: no step can be used.
    assert!(!tx.use_totp_step(id, 10).await.unwrap());
    assert!(
        tx.set_user_totp(id, Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
            .await
            .unwrap()
    );
    assert!(!tx.set_user_totp(9_999, Some("X")).await.unwrap());
    assert_eq!(
        tx.user_totp(id).await.unwrap().as_deref(),
        Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    );
    assert!(tx.use_totp_step(id, 10).await.unwrap());
    // The same step again, or an earlier one: refused.
    assert!(!tx.use_totp_step(id, 10).await.unwrap());
    assert!(!tx.use_totp_step(id, 9).await.unwrap());
    assert!(tx.use_totp_step(id, 11).await.unwrap());
    // A new secret forgets the steps used.
    assert!(tx.set_user_totp(id, Some("MZXW6YTBOI")).await.unwrap());
    assert!(tx.use_totp_step(id, 5).await.unwrap());
    assert!(tx.set_user_totp(id, None).await.unwrap());
    assert_eq!(tx.user_totp(id).await.unwrap(), None);

    let (pair, address) = (
        "login:carol ip:10.0.0.1".to_string(),
        "ip:10.0.0.1".to_string(),
    );
    for at in [1_000, 1_100, 1_200] {
        tx.add_login_failures(&[pair.clone(), address.clone()], at, at - 900)
            .await
            .unwrap();
    }
    assert_eq!(tx.login_failures(&pair, 0).await.unwrap(), 3);
    assert_eq!(tx.login_failures(&pair, 1_100).await.unwrap(), 2);
    assert_eq!(tx.login_failures("ip:10.9.9.9", 0).await.unwrap(), 0);
    // A failure at 2 050 forgets those before 1 150 (the 15-minute window).
    tx.add_login_failures(std::slice::from_ref(&address), 2_050, 1_150)
        .await
        .unwrap();
    assert_eq!(tx.login_failures(&address, 0).await.unwrap(), 2);
    assert_eq!(tx.login_failures(&pair, 0).await.unwrap(), 1);
    tx.clear_login_failures(&pair).await.unwrap();
    assert_eq!(tx.login_failures(&pair, 0).await.unwrap(), 0);
    assert_eq!(tx.login_failures(&address, 0).await.unwrap(), 2);
    tx.commit().await.unwrap();

    // Committed: another transaction (another instance's) sees the same counts.
    let mut other = store.begin_read().await.unwrap();
    assert_eq!(other.login_failures(&address, 0).await.unwrap(), 2);
}

/// Issue 23: two administrators deactivating (or demoting) each other at the same moment
/// must leave one: the second change counts the administrators after the first commits.
pub async fn the_last_admin_survives_concurrent_changes(store: &dyn Store) {
    use app::store::Role;
    let clock = FixedClock(d(2026, 6, 30));
    let actor = app::audit::Actor("test".into());
    for round in 0..3 {
        let (a, b) = (format!("admin-a{round}"), format!("admin-b{round}"));
        for login in [&a, &b] {
            app::users::add(
                store,
                &clock,
                &actor,
                app::users::NewUser {
                    login: login.clone(),
                    display_name: login.clone(),
                    role: Role::Admin,
                    password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                    language: "fr".into(),
                },
            )
            .await
            .unwrap();
        }
        let (ra, rb) = if round == 1 {
            tokio::join!(
                app::users::set_role(store, &clock, &actor, &a, Role::Viewer),
                app::users::set_role(store, &clock, &actor, &b, Role::Viewer),
            )
        } else {
            tokio::join!(
                app::users::set_active(store, &clock, &actor, &a, false),
                app::users::set_active(store, &clock, &actor, &b, false),
            )
        };
        assert_eq!(
            usize::from(ra.is_ok()) + usize::from(rb.is_ok()),
            1,
            "round {round}: {ra:?} {rb:?}"
        );
        let mut tx = store.begin_read().await.unwrap();
        let admins = tx
            .users()
            .await
            .unwrap()
            .into_iter()
            .filter(|u| u.active && u.role == Role::Admin)
            .count();
        assert_eq!(admins, 1, "round {round}");
        drop(tx);
        // Leave no admin of this round behind for the next one to lean on.
        for login in [&a, &b] {
            let _ = app::users::set_role(store, &clock, &actor, login, Role::Viewer).await;
        }
        // The last one stays admin (refused): make it inactive through the store.
        let mut tx = store.begin().await.unwrap();
        for u in tx.users().await.unwrap() {
            if u.role == Role::Admin {
                tx.update_user(&app::store::StoredUser { active: false, ..u })
                    .await
                    .unwrap();
            }
        }
        tx.commit().await.unwrap();
    }
}

/// Users, sessions and API tokens round-trip; logins are unique; expired sessions go.
pub async fn users_sessions_and_tokens(store: &dyn Store) {
    use app::store::{Role, StoredSession, StoredUser};
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.user_count().await.unwrap(), 0);
    let mut alice = StoredUser {
        id: 0,
        login: "alice".into(),
        display_name: "Alice Martin".into(),
        role: Role::Manager,
        client_of: None,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        language: "fr".into(),
        active: true,
        created_at: NOW.into(),
    };
    alice.id = tx.insert_user(&alice).await.unwrap();
    let bob = StoredUser {
        login: "bob".into(),
        role: Role::Viewer,
        language: "en".into(),
        ..alice.clone()
    };
    let bob_id = tx.insert_user(&bob).await.unwrap();
    assert_ne!(alice.id, bob_id);
    assert_eq!(tx.user_count().await.unwrap(), 2);
    assert_eq!(tx.user(alice.id).await.unwrap().as_ref(), Some(&alice));
    assert_eq!(
        tx.user_by_login("alice").await.unwrap().as_ref(),
        Some(&alice)
    );
    assert_eq!(tx.user_by_login("nobody").await.unwrap(), None);
    let logins: Vec<String> = tx
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.login)
        .collect();
    assert_eq!(logins, ["alice", "bob"]);
    assert!(tx.set_user_language(bob_id, "fr").await.unwrap());
    assert!(!tx.set_user_language(9_999, "fr").await.unwrap());
    assert_eq!(tx.user(bob_id).await.unwrap().unwrap().language, "fr");

    let session = StoredSession {
        token_hash: "h1".into(),
        user_id: alice.id,
        csrf_token: "csrf1".into(),
        created_at: NOW.into(),
        expires_at: 1_000,
    };
    tx.insert_session(&session).await.unwrap();
    tx.insert_session(&StoredSession {
        token_hash: "h2".into(),
        expires_at: 2_000,
        ..session.clone()
    })
    .await
    .unwrap();
    assert_eq!(tx.session("h1").await.unwrap().as_ref(), Some(&session));
    // At 1 500, h1 has expired and h2 has not.
    assert_eq!(tx.delete_expired_sessions(1_500).await.unwrap(), 1);
    assert_eq!(tx.session("h1").await.unwrap(), None);
    tx.delete_session("h2").await.unwrap();
    assert_eq!(tx.session("h2").await.unwrap(), None);

    let ci = app::store::StoredApiToken {
        id: 0,
        user_id: bob_id,
        name: "ci".into(),
        token_hash: "tokhash".into(),
        created_at: NOW.into(),
        expires_at: None,
        revoked_at: None,
    };
    let token = tx.insert_api_token(&ci).await.unwrap();
    assert!(token > 0);
    assert_eq!(
        tx.api_token_user("tokhash").await.unwrap().unwrap().login,
        "bob"
    );
    assert_eq!(tx.api_token_user("other").await.unwrap(), None);
    // A second token that expires; both round-trip, then the first is revoked once.
    let erp = app::store::StoredApiToken {
        name: "erp".into(),
        token_hash: "tokhash2".into(),
        expires_at: Some("2026-07-30T12:00:00Z".into()),
        ..ci.clone()
    };
    let erp_id = tx.insert_api_token(&erp).await.unwrap();
    assert_eq!(
        tx.api_token("tokhash2").await.unwrap(),
        Some(app::store::StoredApiToken {
            id: erp_id,
            ..erp.clone()
        })
    );
    assert_eq!(tx.api_token("other").await.unwrap(), None);
    assert!(
        tx.revoke_api_token(token, "2026-07-01T09:00:00Z")
            .await
            .unwrap()
    );
    assert!(
        !tx.revoke_api_token(token, "2026-07-02T09:00:00Z")
            .await
            .unwrap()
    );
    assert!(!tx.revoke_api_token(9_999, NOW).await.unwrap());
    let tokens = tx.api_tokens().await.unwrap();
    assert_eq!(tokens.len(), 2);
    assert_eq!(
        tokens[0].revoked_at.as_deref(),
        Some("2026-07-01T09:00:00Z"),
        "the first revocation stays"
    );
    assert_eq!(tokens[1].revoked_at, None);

    // A user's fields change in place; the login and creation time stay.
    let changed = StoredUser {
        display_name: "Bob B.".into(),
        role: Role::Admin,
        client_of: None,
        password_hash: "$argon2id$new".into(),
        language: "en".into(),
        active: false,
        login: "ignored".into(),
        created_at: "ignored".into(),
        id: bob_id,
    };
    assert!(tx.update_user(&changed).await.unwrap());
    assert!(
        !tx.update_user(&StoredUser {
            id: 9_999,
            ..changed.clone()
        })
        .await
        .unwrap()
    );
    assert_eq!(
        tx.user(bob_id).await.unwrap().unwrap(),
        StoredUser {
            login: "bob".into(),
            created_at: NOW.into(),
            ..changed.clone()
        }
    );

    // A user's sessions end: all, or all but the one kept; another user's stay.
    for (hash, user) in [
        ("s1", bob_id),
        ("s2", bob_id),
        ("s3", bob_id),
        ("a1", alice.id),
    ] {
        tx.insert_session(&StoredSession {
            token_hash: hash.into(),
            user_id: user,
            expires_at: 9_000,
            ..session.clone()
        })
        .await
        .unwrap();
    }
    assert_eq!(
        tx.delete_user_sessions(bob_id, Some("s2")).await.unwrap(),
        2
    );
    assert!(tx.session("s2").await.unwrap().is_some());
    assert_eq!(tx.delete_user_sessions(bob_id, None).await.unwrap(), 1);
    assert_eq!(tx.session("s2").await.unwrap(), None);
    assert!(tx.session("a1").await.unwrap().is_some());
    tx.commit().await.unwrap();

    // A login already taken fails, and the transaction then refuses to commit.
    let mut tx = store.begin().await.unwrap();
    assert!(tx.insert_user(&alice).await.is_err());
    assert!(matches!(tx.commit().await, Err(app::StoreError::Aborted)));
}

/// The audit log keeps entries in order and pages backwards through them.
pub async fn audit_log_round_trip(store: &dyn Store) {
    use app::store::AuditEntry;
    let mut tx = store.begin().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            tx.append_audit(&AuditEntry {
                id: 0,
                at: NOW.into(),
                actor: "alice".into(),
                action: "action.approve".into(),
                subject: format!("action:{i}"),
                before: Some("\"draft\"".into()),
                after: (i % 2 == 0).then(|| "\"approved\"".into()),
            })
            .await
            .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let newest = tx.audit_entries(2, None).await.unwrap();
    assert_eq!(
        newest.iter().map(|e| e.id).collect::<Vec<_>>(),
        [ids[4], ids[3]]
    );
    assert_eq!(newest[0].subject, "action:4");
    assert_eq!(newest[0].after.as_deref(), Some("\"approved\""));
    assert_eq!(newest[1].after, None);
    let older = tx.audit_entries(10, Some(ids[3])).await.unwrap();
    assert_eq!(
        older.iter().map(|e| e.id).collect::<Vec<_>>(),
        [ids[2], ids[1], ids[0]]
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
            imported_settlements_are_posted_once,
            uncommitted_work_vanishes,
            readers_run_beside_a_writer,
            bulk_load_then_insert,
            book_reconciles_with_ledgers,
            import_is_idempotent,
            bad_row_imports_nothing,
            dunning_run_creates_expected_actions,
            dunning_rerun_creates_nothing,
            dunning_dry_run_writes_nothing,
            dunning_review_mode_creates_drafts,
            dunning_stale_data_sends_nothing,
            dunning_crash_leaves_nothing_half_done,
            dunning_limitation_alerts_once,
            dunning_follows_loaded_scenarios,
            dunning_hold_pauses_the_case,
            dunning_worklist_by_assignee,
            agreements_plan_kept_then_broken,
            agreements_plan_waits_for_co_debtors,
            agreements_dispute_holds_only_its_claims,
            agreements_broken_promise_resumes,
            payments_round_trip,
            statement_import_is_idempotent,
            overlapping_statements_book_once,
            allocation_posts_ledger_entries,
            learned_iban_and_credits,
            failed_statement_import_changes_nothing,
            users_sessions_and_tokens,
            second_factor_and_sign_in_failures,
            the_last_admin_survives_concurrent_changes,
            audit_log_round_trip,
            outbox_queue_claim_and_lease,
            outbox_follows_approval_and_skip,
            approve_and_skip_race_one_wins,
            outbox_refuses_a_letter_it_cannot_issue,
            jobs_are_leased,
            notes_round_trip,
            dunning_reminds_co_debtors_and_guarantors,
            dunning_holds_legal_steps_for_a_payment_in_review,
            dunning_catch_up_sends_the_formal_notice_first,
            limitation_events_round_trip,
            limitation_follows_recorded_events,
            routes_leave_out_time_barred_disputed_and_public,
            legal_file_freezes_the_amounts_and_refuses_without_notice,
            legal_stages_deadlines_and_limitation,
            agency_records_round_trip,
            legal_post_judgment_interest,
            legal_file_opened_by_a_scenario_step,
            terms_and_notices_round_trip,
            write_offs_keep_their_reason,
            consumer_interest_runs_from_the_formal_notice,
            agreed_terms_reach_the_law_engine,
            charges_are_posted_once_and_paid_first,
            run_notices_are_listed_and_take_their_delivery,
            financing_round_trip,
            financing_bad_input_writes_nothing,
            financing_run_leaves_factor_claims_and_raises_insurer_task_once,
            financing_aged_balance_split,
            financing_payment_to_pass_on,
            gdpr_export_holds_everything_and_is_audited,
            gdpr_erasure_is_refused_when_not_due,
            gdpr_erasure_leaves_no_personal_data,
            gdpr_retention_settings,
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

/// Calls and notes (migration 0008) keep every field, come back oldest first and by
/// debtor; a call logged through the app writes its note and its audit line in one
/// transaction, and a note without text writes neither.
pub async fn notes_round_trip(store: &dyn Store) {
    use app::store::{CallOutcome, NoteKind, StoredNote};
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = tx.insert_debtor(&sample_debtor(c.id, "A")).await.unwrap();
    let b = tx.insert_debtor(&sample_debtor(c.id, "B")).await.unwrap();
    let call = StoredNote {
        id: 0,
        debtor_id: a,
        kind: NoteKind::Call,
        outcome: Some(CallOutcome::Voicemail),
        body: "Rappeler jeudi — « merci »".into(),
        author: "alice".into(),
        on: d(2026, 6, 29),
        created_at: NOW.into(),
    };
    let first = tx.insert_note(&call).await.unwrap();
    let note = StoredNote {
        kind: NoteKind::Note,
        outcome: None,
        body: "Nouvelle adresse de facturation".into(),
        on: d(2026, 6, 30),
        ..call.clone()
    };
    let second = tx.insert_note(&note).await.unwrap();
    tx.insert_note(&StoredNote {
        debtor_id: b,
        ..call.clone()
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(second > first);
    let mut tx = store.begin().await.unwrap();
    let of_a = tx.notes(Some(a)).await.unwrap();
    assert_eq!(
        of_a,
        vec![
            StoredNote { id: first, ..call },
            StoredNote { id: second, ..note }
        ]
    );
    assert_eq!(tx.notes(None).await.unwrap().len(), 3);
    drop(tx);

    let clock = app::FixedClock(d(2026, 6, 30));
    let actor = app::audit::Actor("bob".into());
    let log = |outcome, text: &str| app::notes::CallLog {
        debtor: b,
        outcome,
        note: text.into(),
        promise: None,
    };
    app::audit::log_call(store, &clock, &actor, &log(Some(CallOutcome::Reached), ""))
        .await
        .unwrap();
    assert!(
        app::audit::log_call(store, &clock, &actor, &log(None, "  "))
            .await
            .is_err()
    );
    let mut tx = store.begin().await.unwrap();
    let of_b = tx.notes(Some(b)).await.unwrap();
    assert_eq!(of_b.len(), 2, "the empty note was not written");
    assert_eq!(of_b[1].author, "bob");
    assert_eq!(of_b[1].on, d(2026, 6, 30));
    let audit = tx.audit_entries(10, None).await.unwrap();
    assert_eq!(audit.len(), 1, "one audit line, for the call only");
    assert_eq!(audit[0].action, "call.log");
    assert_eq!(audit[0].subject, format!("debtor:{b}"));
}

/// Co-debtors and guarantors are reminded with the debtor, once. On the run of 10 June
/// (see `dunning_cases::expected`), B gets its formal notice on B1 and B2 (€250.00):
/// - E, co-debtor of B1 only, with contacts, gets the same notice on B1: €200.00;
/// - H, guarantor of B1 and B2 but with no contact, gets nothing (nothing reaches them);
/// - P, guarantor of B2 known only by phone, gets the notice on B2 (€50.00) without the
///   e-mail (no address to send it to);
/// - E, also guarantor of D1, gets nothing for D's legal review (an internal task).
///
/// A rerun that day and the next day's run create nothing more, for anyone. And a payment
/// by the co-debtor counts for B: allocations and the ledger are by claim, not by payer.
pub async fn dunning_reminds_co_debtors_and_guarantors(store: &dyn Store) {
    use app::store::ClaimParty;
    use domain::agreements::PartyRole;
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    let mut tx = store.begin().await.unwrap();
    let creditor = tx.creditor_by_code("ACME").await.unwrap().unwrap().id;
    let mut h = sample_debtor(creditor, "H");
    h.contacts.clear();
    let h = tx.insert_debtor(&h).await.unwrap();
    let mut phone_only = sample_debtor(creditor, "P");
    phone_only.contacts.retain(|c| c.kind == ContactKind::Phone);
    let phone_only = tx.insert_debtor(&phone_only).await.unwrap();
    // What a formal notice needs to be printed (app::issuing): the sender's facts, and E's
    // postal address. P has none: its notice is refused, never printed.
    outbox::letter_settings(tx.as_mut()).await;
    let mut e_debtor = tx.debtor(p.debtors["E"]).await.unwrap().unwrap();
    e_debtor.contacts.push(Contact {
        kind: ContactKind::Address,
        value: "3 rue du Port, 44000 Nantes".into(),
        label: None,
    });
    tx.update_debtor(&e_debtor).await.unwrap();
    tx.commit().await.unwrap();
    let bind = |claim: &str, debtor: DebtorId, role| ClaimParty {
        claim_id: p.claims[claim],
        debtor_id: debtor,
        role,
    };
    for party in [
        bind("B1", p.debtors["E"], PartyRole::CoDebtor),
        bind("B1", h, PartyRole::Guarantor),
        bind("B2", h, PartyRole::Guarantor),
        bind("B2", phone_only, PartyRole::Guarantor),
        bind("D1", p.debtors["E"], PartyRole::Guarantor),
    ] {
        app::audit::add_claim_party(
            store,
            &FixedClock(as_of()),
            &app::audit::Actor("test".into()),
            &party,
        )
        .await
        .unwrap();
    }
    let report = run(store, as_of(), app::dunning::RunOptions::default()).await;
    let mut want = expected(&p);
    want.push((
        p.debtors["E"],
        app::dunning::party_step_code(p.debtors["B"], 1, "d+30_formal_notice"),
        "email+formal_notice".into(),
        vec![p.claims["B1"]],
        Money::from_minor(200_00, Currency::EUR),
    ));
    want.push((
        phone_only,
        app::dunning::party_step_code(p.debtors["B"], 1, "d+30_formal_notice"),
        "formal_notice".into(),
        vec![p.claims["B2"]],
        Money::from_minor(50_00, Currency::EUR),
    ));
    want.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    assert_eq!(keys_of_report(&report), want);
    let first = stored(store).await;
    assert_eq!(keys_of_stored(&first), want);
    let copy = first
        .iter()
        .find(|a| a.debtor_id == p.debtors["E"])
        .unwrap();
    assert_eq!(copy.scenario, app::dunning::PARTY_SCENARIO);
    assert_eq!(copy.cycle, 0);
    assert_eq!(copy.status, app::store::ActionStatus::Planned);

    // The copy's messages are queued by the run like the debtor's own, in the same
    // transaction: the e-mail to E's own address (not B's), the formal notice waiting to
    // print. B's own e-mail still goes to B.
    let queued = |action: i64| async move {
        let mut tx = store.begin().await.unwrap();
        let mut v: Vec<(DebtorId, String, String, app::store::OutboxStatus)> = tx
            .outbox(&app::store::OutboxFilter {
                statuses: vec![],
                action: Some(action),
                limit: None,
            })
            .await
            .unwrap()
            .into_iter()
            .map(|e| {
                (
                    e.debtor_id,
                    e.channel.as_str().to_string(),
                    e.recipient,
                    e.status,
                )
            })
            .collect();
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    };
    let (e, b) = (p.debtors["E"], p.debtors["B"]);
    assert_eq!(
        queued(copy.id).await,
        vec![
            (
                e,
                "email".into(),
                "compta@E.example".into(),
                app::store::OutboxStatus::Queued
            ),
            (
                e,
                "formal_notice".into(),
                String::new(),
                app::store::OutboxStatus::Print
            ),
        ]
    );
    let of_p = first.iter().find(|a| a.debtor_id == phone_only).unwrap();
    assert_eq!(
        queued(of_p.id).await,
        vec![(
            phone_only,
            "formal_notice".into(),
            String::new(),
            app::store::OutboxStatus::Failed
        )],
        "no postal address for P: its notice is refused, never printed"
    );
    let own = first
        .iter()
        .find(|a| a.debtor_id == b && a.step_code == "d+30_formal_notice")
        .unwrap();
    assert_eq!(
        queued(own.id).await[0],
        (
            b,
            "email".into(),
            "compta@B.example".into(),
            app::store::OutboxStatus::Queued
        )
    );

    let outbox_len = || async {
        let mut tx = store.begin().await.unwrap();
        tx.outbox(&app::store::OutboxFilter::default())
            .await
            .unwrap()
            .len()
    };
    let queued_once = outbox_len().await;

    let again = run(store, as_of(), app::dunning::RunOptions::default()).await;
    assert!(again.actions.is_empty(), "{:?}", again.actions);
    let next_day = run(store, d(2026, 6, 11), app::dunning::RunOptions::default()).await;
    assert!(next_day.actions.is_empty(), "{:?}", next_day.actions);
    assert_eq!(stored(store).await, first);
    assert_eq!(outbox_len().await, queued_once, "nothing queued twice");

    // E pays B1 (€200.00): the claim is settled whoever paid, so B now owes only B2.
    let mut tx = store.begin().await.unwrap();
    let mut ledger = ClaimLedger::from_entries(
        Currency::EUR,
        tx.ledger_entries(p.claims["B1"]).await.unwrap(),
    );
    let before = ledger.entries().len();
    ledger
        .post(
            EntryKind::Payment,
            Money::from_minor(200_00, Currency::EUR),
            d(2026, 6, 11),
            Some("virement de E, codébiteur".into()),
        )
        .unwrap();
    tx.append_entries(p.claims["B1"], &ledger.entries()[before..], NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let detail = app::queries::debtor_detail(tx.as_mut(), p.debtors["B"], d(2026, 6, 11))
        .await
        .unwrap();
    let open: i64 = detail.claims.iter().map(|c| c.open.minor()).sum();
    // B2 €50.00 + B3 €300.00 (not yet due) remain.
    assert_eq!(open, 350_00);
}

/// A payment waiting in the review queue that may be the debtor's holds back the debtor's
/// legal steps, not their ordinary reminders. On the run of 10 June (see
/// `dunning_cases::expected`), two credits wait for review, each quoting a debtor's own RF
/// reference (which names the debtor; scored 600 ‰, below the 850 ‰ of automatic
/// application): €250.00 for B, whose due step is the formal notice, and €1,000.00 for A,
/// whose due step is a call. B's notice is held back, with the reason in the report; A's
/// call is planned; everyone else's actions are as usual. Once the first payment is set
/// aside, the next day's run sends B's notice.
pub async fn dunning_holds_legal_steps_for_a_payment_in_review(store: &dyn Store) {
    use app::store::{PaymentStatus, StoredPayment, StoredStatement};
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    let mut tx = store.begin().await.unwrap();
    let sid = tx
        .insert_statement(&StoredStatement {
            id: 0,
            fingerprint: "review-test".into(),
            file_name: "june.xml".into(),
            format: "camt".into(),
            accounts: "FR7630006000011234567890189".into(),
            statement_ids: "ST-6/1".into(),
            first_date: Some(d(2026, 6, 9)),
            last_date: Some(d(2026, 6, 9)),
            entries: 2,
            details: 2,
            new_details: 2,
            duplicates: 0,
            imported_at: NOW.into(),
        })
        .await
        .unwrap();
    let mut waiting = Vec::new();
    for (ext, minor) in [("B", 250_00), ("A", 1_000_00)] {
        let debtor = tx.debtor(p.debtors[ext]).await.unwrap().unwrap();
        let payment = StoredPayment {
            id: 0,
            statement_id: sid,
            fingerprint: format!("review-{ext}"),
            account: "FR7630006000011234567890189".into(),
            booking_date: Some(d(2026, 6, 9)),
            value_date: d(2026, 6, 9),
            amount: Money::from_minor(minor, Currency::EUR),
            payer_name: None,
            payer_iban: None,
            remittance: vec![],
            structured_reference: app::payments::debtor_rf_reference(&debtor),
            entry_reference: None,
            end_to_end_id: None,
            status: PaymentStatus::Review,
            debtor_id: None,
            decided_at: None,
        };
        waiting.push(tx.insert_payment(&payment).await.unwrap());
    }
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let named = app::payments::debtors_in_review(tx.as_mut(), as_of())
        .await
        .unwrap();
    drop(tx);
    assert_eq!(named.get(&p.debtors["B"]), Some(&vec![waiting[0]]));
    assert_eq!(named.get(&p.debtors["A"]), Some(&vec![waiting[1]]));

    let report = run(store, as_of(), app::dunning::RunOptions::default()).await;
    let mut want = expected(&p);
    want.retain(|k| k.0 != p.debtors["B"]);
    assert_eq!(
        keys_of_report(&report),
        want,
        "A's call goes, B's notice waits"
    );
    assert_eq!(keys_of_stored(&stored(store).await), want);
    assert_eq!(report.skips_by_reason.get("payment_in_review"), Some(&1));
    let held: Vec<(DebtorId, &str, &[i64])> = report
        .held_back
        .iter()
        .map(|h| (h.debtor_id, h.step.as_str(), h.payments.as_slice()))
        .collect();
    assert_eq!(
        held,
        vec![(p.debtors["B"], "d+30_formal_notice", &waiting[..1])]
    );
    let reason = &report.held_back[0];
    assert!(
        reason
            .reason_en
            .contains(&format!("payment #{} waiting for review", waiting[0])),
        "{}",
        reason.reason_en
    );
    assert!(
        reason
            .reason_fr
            .contains(&format!("paiement #{} en attente de revue", waiting[0])),
        "{}",
        reason.reason_fr
    );
    // Nothing of B's waits to print or send.
    let mut tx = store.begin().await.unwrap();
    let outbox = tx
        .outbox(&app::store::OutboxFilter::default())
        .await
        .unwrap();
    assert!(outbox.iter().all(|e| e.debtor_id != p.debtors["B"]));
    drop(tx);

    // A person sets B's payment aside: the next day the notice goes.
    app::payments::ignore(store, &FixedClock(d(2026, 6, 11)), waiting[0])
        .await
        .unwrap();
    let next = run(store, d(2026, 6, 11), app::dunning::RunOptions::default()).await;
    let steps: Vec<(DebtorId, &str)> = next
        .actions
        .iter()
        .map(|a| (a.debtor_id, a.step.as_str()))
        .collect();
    assert_eq!(steps, vec![(p.debtors["B"], "d+30_formal_notice")]);
    assert!(next.held_back.is_empty());
}

/// The first run on an imported overdue book sends the formal notice before any legal
/// step, and the legal step follows 15 days after the notice (its offset 45 − the
/// notice's 30), not at once. G (`dunning_cases`) owes £600.00 due 10 April 2026, first
/// seen on 10 June (61 days late): its latest due step would be the agency hand-off
/// (+45, at most €499.99 in EUR: G owes nothing in EUR), but no notice was ever sent:
/// 10 June, `d+30_formal_notice`; 11–24 June nothing for G; 25 June (10 June + 15) the
/// agency hand-off, a task whose text no longer says that a notice "remained without
/// effect" unless one was sent — here one was, on 10 June.
pub async fn dunning_catch_up_sends_the_formal_notice_first(store: &dyn Store) {
    use dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    let g = p.debtors["G"];
    let mut steps_of_g = Vec::new();
    let mut day = as_of();
    while day <= d(2026, 6, 30) {
        // Payment data refreshed every morning: the freshness gate passes.
        let mut tx = store.begin().await.unwrap();
        app::dunning::note_payment_data(tx.as_mut(), day)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let report = run(store, day, app::dunning::RunOptions::default()).await;
        for a in report.actions.iter().filter(|a| a.debtor_id == g) {
            steps_of_g.push((day, a.step.clone(), a.stage_after));
        }
        day = day.tomorrow().unwrap();
    }
    use domain::dunning::Stage;
    assert_eq!(
        steps_of_g,
        vec![
            (
                as_of(),
                "d+30_formal_notice".to_string(),
                Stage::FormalNotice
            ),
            (
                d(2026, 6, 25),
                "d+45_agency_handoff".to_string(),
                Stage::FormalNotice
            ),
        ]
    );
}
