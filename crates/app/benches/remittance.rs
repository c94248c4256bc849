//! The month's remittance run of an agency (issue 19): 100 clients, each under one mandate
//! (bands by amount, a minimum, a fee per file, a success fee), 1,000 files placed each,
//! and 100,000 payments collected in May 2026 on those files; `recouvre_app::agency::remit`
//! for May on SQLite issues the 100 statements with their pain.001 transfers and records
//! the 100,000 collections as remitted, in one transaction per mandate.
//!
//! The database is built once (bulk insert, then the mandates and placements), and each
//! sample runs on a fresh copy of it.
//!
//! Run: `cargo bench -p recouvre-app --bench remittance`

#![allow(clippy::unwrap_used)]

#[path = "sqlite_file.rs"]
mod sqlite_file;

use domain::agency::{Commission, FeeTerms};
use domain::{
    Claim, ClaimId, ClaimLedger, ClaimNumber, Creditor, CreditorId, Currency, Date, Debtor,
    DebtorId, EntryKind, Money,
};
use recouvre_app::agency::{self, MandateTerms, NewMandate};
use recouvre_app::audit::Actor;
use recouvre_app::clock::FixedClock;
use recouvre_app::store::{Bulk, PlacementState, Store as _, StoredPlacement};
use std::path::Path;
use store_sqlite::SqliteStore;

const CLIENTS: i64 = 100;
const FILES: i64 = 1_000;

fn main() {
    divan::main();
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn build_database(rt: &tokio::runtime::Runtime, path: &Path) {
    let target = path.to_str().unwrap();
    rt.block_on(async {
        let store = SqliteStore::open(target, "2026-06-02T06:00:00Z")
            .await
            .unwrap();
        let clock = FixedClock(d("2026-04-01"));
        let creditors: Vec<Creditor> = (1..=CLIENTS)
            .map(|c| Creditor {
                id: CreditorId(c),
                code: format!("C{c:03}"),
                name: format!("Client {c:03} SAS"),
                country: "FR".into(),
            })
            .collect();
        let mut debtors = Vec::new();
        let mut claims = Vec::new();
        let mut entries = Vec::new();
        for c in 1..=CLIENTS {
            for f in 0..FILES {
                let id = (c - 1) * FILES + f + 1;
                debtors.push(Debtor {
                    id: DebtorId(id),
                    creditor_id: CreditorId(c),
                    external_id: format!("D{id}"),
                    name: format!("Debtor {id}"),
                    kind: domain::DebtorKind::Company,
                    segment: domain::Segment::B2b,
                    country: "FR".into(),
                    language: "fr".into(),
                    contacts: vec![],
                    tags: vec![],
                });
                let amount = 200_00 + (id * 7_919) % 9_000_00;
                claims.push(Claim {
                    id: ClaimId(id),
                    creditor_id: CreditorId(c),
                    debtor_id: DebtorId(id),
                    external_id: format!("F{id}"),
                    number: ClaimNumber::parse(&format!("F{id}")).unwrap(),
                    nature: domain::Nature::Commercial,
                    issue_date: d("2026-01-05"),
                    due_date: d("2026-02-05"),
                    currency: Currency::EUR,
                });
                let mut l = ClaimLedger::new(Currency::EUR);
                l.post(
                    EntryKind::Invoice,
                    Money::from_minor(amount, Currency::EUR),
                    d("2026-01-05"),
                    None,
                )
                .unwrap();
                // One payment in May: in full for one file in four, else a part.
                let paid = if id % 4 == 0 { amount } else { amount / 3 };
                let day = 1 + (id % 28) as i8;
                l.post(
                    EntryKind::Payment,
                    Money::from_minor(paid, Currency::EUR),
                    Date::new(2026, 5, day).unwrap(),
                    None,
                )
                .unwrap();
                entries.extend(l.entries().iter().map(|e| (ClaimId(id), e.clone())));
            }
        }
        let mut tx = store.begin().await.unwrap();
        tx.bulk_insert(Bulk {
            creditors: &creditors,
            debtors: &debtors,
            claims: &claims,
            entries: &entries,
            recorded_at: "2026-04-01T06:00:00Z",
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let actor = Actor("bench".into());
        agency::set_funds_account(
            &store,
            &clock,
            &actor,
            "Cabinet Bench",
            "FR7630004000031234567890143",
            None,
            None,
        )
        .await
        .unwrap();
        for c in &creditors {
            let m = agency::add_mandate(
                &store,
                &clock,
                &actor,
                NewMandate {
                    creditor: c.code.clone(),
                    reference: format!("M-{}", c.code),
                    signed_on: d("2026-04-01"),
                    ends_on: None,
                    currency: Currency::EUR,
                    terms: MandateTerms {
                        fees: FeeTerms {
                            commission: Commission::parse(
                                "amount:1000=15,5000=12,*=8",
                                Currency::EUR,
                            )
                            .unwrap(),
                            minimum: Some(Money::from_minor(10_00, Currency::EUR)),
                            file_fee: Some(Money::from_minor(5_00, Currency::EUR)),
                            success_fee: Some(Money::from_minor(30_00, Currency::EUR)),
                            vat_rate: 20.into(),
                        },
                        remit_months: 1,
                        insurance: "Bench insurer, policy 1".into(),
                        scope: String::new(),
                        payee_name: c.name.clone(),
                        payee_iban: "FR7630006000011234567890189".into(),
                        payee_bic: None,
                    },
                },
            )
            .await
            .unwrap();
            let mut tx = store.begin().await.unwrap();
            for cl in claims.iter().filter(|cl| cl.creditor_id == c.id) {
                tx.insert_placement(&StoredPlacement {
                    id: 0,
                    mandate_id: m.id,
                    creditor_id: c.id,
                    claim_id: cl.id,
                    placed_on: d("2026-04-15"),
                    principal_minor: 200_00 + (cl.id.0 * 7_919) % 9_000_00,
                    state: PlacementState::Placed,
                    ended_on: None,
                    end_reason: None,
                    recorded_by: "bench".into(),
                    recorded_at: "2026-04-15T06:00:00Z".into(),
                })
                .await
                .unwrap();
            }
            tx.commit().await.unwrap();
        }
        drop(store);
        sqlite_file::checkpoint(path).await;
    });
}

/// `agency::remit` for May 2026: 100 statements, 100,000 collections, 100 pain.001.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn remittance_100_clients_100k_payments(bencher: divan::Bencher) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("agency.db");
    build_database(&rt, &original);
    bencher
        .with_inputs(|| sqlite_file::fresh_copy(&rt, &original, "2026-06-02T06:00:00Z"))
        .bench_local_values(|(copy, store)| {
            let out = rt
                .block_on(agency::remit(
                    &store,
                    &FixedClock(d("2026-06-02")),
                    &Actor("bench".into()),
                    d("2026-05-01"),
                    d("2026-05-31"),
                    d("2026-06-02"),
                    None,
                ))
                .unwrap();
            assert_eq!(out.len(), CLIENTS as usize);
            assert!(out.iter().all(|o| o.to_remit.is_positive()));
            (copy, store, out)
        });
}
