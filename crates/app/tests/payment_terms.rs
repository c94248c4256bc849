//! The payment-terms compliance of claims: the D441-6 table of the demo portfolio stored
//! in SQLite equals, bracket by bracket, a computation written here directly from the
//! claims and their ledger entries (not through the `Book` the report uses); an import
//! whose terms exceed 60 days lists the rows concerned and imports them.

#![allow(clippy::unwrap_used)]

use domain::agreements::Dispute;
use domain::analytics::{ReferenceTerms, TermsVariant};
use domain::law::TermRule;
use domain::{ClaimId, ClaimLedger, Currency, Date, EntryKind, LedgerEntry, Money};
use recouvre_app::clock::FixedClock;
use recouvre_app::import::{ImportOptions, import_claims};
use recouvre_app::portfolio::{NoProgress, load_demo};
use recouvre_app::reports::{self, Period, TermsOptions};
use recouvre_app::store::{AgreementKind, Store};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{BTreeMap, HashMap, HashSet};
use store_sqlite::SqliteStore;

const AS_OF: &str = "2026-06-30";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The lateness brackets of the ministerial model, from the number of days late:
/// 0 (none, indicative), 1–30, 31–60, 61–90, 91 and more.
fn column(days_late: i64) -> usize {
    if days_late <= 0 {
        0
    } else if days_late <= 30 {
        1
    } else if days_late <= 60 {
        2
    } else if days_late <= 90 {
        3
    } else {
        4
    }
}

fn days(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

/// Per currency: invoices and amounts per bracket, the excluded (disputed) invoices and
/// amount, the invoices issued in the year.
#[derive(Debug, Default, PartialEq, Eq)]
struct Expected {
    invoices: [u64; 5],
    amounts: [i64; 5],
    excluded: (u64, i64),
    year: i64,
}

/// The day a claim was settled by `closing`: the first date at the end of which nothing
/// is open, something having come off that day, and whether a payment came that day.
fn settled(ledger: &ClaimLedger, closing: Date) -> Option<(Date, bool)> {
    let mut dates: Vec<Date> = ledger
        .entries()
        .iter()
        .map(|e| e.date)
        .filter(|d| *d <= closing)
        .collect();
    dates.sort_unstable();
    dates.dedup();
    dates.into_iter().find_map(|d| {
        let today: Vec<&LedgerEntry> = ledger.entries().iter().filter(|e| e.date == d).collect();
        let reduced = today.iter().any(|e| e.amount_minor < 0);
        let invoiced = ledger.total_of(EntryKind::Invoice, d).is_positive();
        (reduced && invoiced && !ledger.balance_as_of(d).is_positive())
            .then(|| (d, today.iter().any(|e| e.kind == EntryKind::Payment)))
    })
}

fn share(part: i64, whole: i64) -> Option<Decimal> {
    (whole != 0).then(|| {
        (Decimal::from(part) * Decimal::from(100) / Decimal::from(whole))
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
    })
}

#[test]
fn the_d441_6_table_of_the_demo_portfolio_matches_the_ledger() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("terms.db");
    rt.block_on(async {
        let as_of: Date = AS_OF.parse().unwrap();
        let store = SqliteStore::open(path.to_str().unwrap(), "2026-06-30T06:00:00Z")
            .await
            .unwrap();
        let clock = FixedClock(as_of);
        let params = demo::DemoParams {
            debtors: 400,
            claims: 4_000,
            seed: 2026,
            as_of,
        };
        load_demo(&store, &clock, &params, &NoProgress)
            .await
            .unwrap();
        // Disputes (opened today) so that part B has something to count.
        let seeded = recouvre_app::agreements::seed_demo(&store, &clock, 50)
            .await
            .unwrap();
        assert!(seeded.disputes > 0, "{seeded:?}");

        let mut tx = store.begin().await.unwrap();
        let book = tx.book(None).await.unwrap();
        let claims = tx.claims(None).await.unwrap();
        let mut ledgers: HashMap<ClaimId, Vec<LedgerEntry>> = HashMap::new();
        for (id, e) in tx.all_ledger_entries(None).await.unwrap() {
            ledgers.entry(id).or_default().push(e);
        }
        let disputes: Vec<(i64, Dispute)> =
            recouvre_app::agreements::list(tx.as_mut(), AgreementKind::Dispute, None)
                .await
                .unwrap();

        // The financial year 1 July 2025 – 30 June 2026, closing today.
        let year = Period {
            from: "2025-07-01".parse().unwrap(),
            to: as_of,
        };
        let closing = year.to;
        let disputed: HashSet<ClaimId> = disputes
            .iter()
            .filter(|(_, d)| d.opened_on <= closing && d.resolved_on.is_none_or(|r| r > closing))
            .flat_map(|(_, d)| d.claims.iter().copied())
            .collect();

        for variant in [TermsVariant::Unpaid, TermsVariant::PaidLate] {
            for reference in [ReferenceTerms::Contractual, ReferenceTerms::Legal] {
                let mut expected: BTreeMap<&str, Expected> = BTreeMap::new();
                for c in claims.iter().filter(|c| c.issue_date <= closing) {
                    let ledger = ClaimLedger::from_entries(
                        c.currency,
                        ledgers.get(&c.id).cloned().unwrap_or_default(),
                    );
                    let x = expected.entry(c.currency.code()).or_default();
                    if c.issue_date >= year.from {
                        x.year += ledger.total_of(EntryKind::Invoice, closing).minor();
                    }
                    // Contractual: the agreed due date; legal: 60 days from issue.
                    let due = match reference {
                        ReferenceTerms::Contractual => c.due_date,
                        ReferenceTerms::Legal => c
                            .issue_date
                            .checked_add(jiff::Span::new().days(60))
                            .unwrap(),
                    };
                    let principal = ledger.principal(closing).minor();
                    let (amount, late) = match variant {
                        TermsVariant::Unpaid => {
                            let unpaid = ledger.balance_as_of(closing).minor().min(principal);
                            if unpaid <= 0 {
                                continue;
                            }
                            (unpaid, days(due, closing))
                        }
                        TermsVariant::PaidLate => match settled(&ledger, closing) {
                            Some((d, true)) if d >= year.from && principal > 0 => {
                                (principal, days(due, d))
                            }
                            _ => continue,
                        },
                    };
                    if disputed.contains(&c.id) {
                        x.excluded.0 += 1;
                        x.excluded.1 += amount;
                        continue;
                    }
                    x.invoices[column(late)] += 1;
                    x.amounts[column(late)] += amount;
                }

                let options = TermsOptions {
                    variant,
                    reference,
                    ..TermsOptions::default()
                };
                let report = reports::payment_terms(tx.as_mut(), &book, year, options)
                    .await
                    .unwrap();
                let codes: Vec<&str> = report.tables.iter().map(|t| t.currency.code()).collect();
                assert_eq!(codes, expected.keys().copied().collect::<Vec<_>>());
                for t in &report.tables {
                    let x = &expected[t.currency.code()];
                    let what = format!("{variant} {reference} {}", t.currency.code());
                    assert_eq!(t.invoices, x.invoices, "{what}");
                    assert_eq!(t.amounts.map(|m| m.minor()), x.amounts, "{what}");
                    assert_eq!(t.year_invoices.minor(), x.year, "{what}");
                    assert_eq!(
                        (t.excluded_invoices, t.excluded_amount.minor()),
                        x.excluded,
                        "{what}"
                    );
                    assert_eq!(
                        t.total_invoices,
                        x.invoices[1..].iter().sum::<u64>(),
                        "{what}"
                    );
                    let total: i64 = x.amounts[1..].iter().sum();
                    assert_eq!(t.total_amount.minor(), total, "{what}");
                    for (s, a) in t.shares.iter().zip(x.amounts) {
                        assert_eq!(*s, share(a, x.year), "{what}");
                    }
                    assert_eq!(t.total_share, share(total, x.year), "{what}");
                }
                // The demo's EUR book is rich enough that the comparison means something:
                // late invoices in several brackets, and disputed ones set apart when
                // unpaid.
                let eur = &expected[Currency::EUR.code()];
                assert!(
                    eur.invoices[1..].iter().filter(|n| **n > 0).count() >= 3,
                    "{eur:?}"
                );
                if variant == TermsVariant::Unpaid {
                    assert!(eur.excluded.0 > 0, "{eur:?}");
                }
            }
        }
    });
}

#[test]
fn an_import_lists_the_rows_beyond_the_caps_and_imports_them() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("import.db");
    rt.block_on(async {
        let store = SqliteStore::open(path.to_str().unwrap(), "2026-03-01T00:00:00Z")
            .await
            .unwrap();
        // Line 2: 30 days, lawful. Line 3: 15 Jan → 15 Apr is 90 days, beyond 60 days
        // (16 Mar) and beyond "45 days end of month" read either way (17 Mar, 31 Mar).
        // Line 4: the same 90 days owed by a consumer: the B2B caps do not apply.
        // Line 5: 15 Jan → 31 Mar, 75 days, no term stated: within 45 days end of month by
        // (b), not listed. Line 6: the same dates with "75d" agreed (no end of month): only
        // the 60-day cap applies, 15 days over.
        let csv = "\
invoice_number,debtor_id,debtor_name,debtor_kind,segment,country,issue_date,due_date,amount,currency,payment_terms
F-1,D1,Garage Martin SARL,company,b2b,FR,2025-01-15,2025-02-14,100.00,EUR,
F-2,D1,Garage Martin SARL,company,b2b,FR,2025-01-15,2025-04-15,200.00,EUR,
F-3,D2,Jean Dupont,person,b2c,FR,2025-01-15,2025-04-15,300.00,EUR,
F-4,D1,Garage Martin SARL,company,b2b,FR,2025-01-15,2025-03-31,400.00,EUR,
F-5,D1,Garage Martin SARL,company,b2b,FR,2025-01-15,2025-03-31,500.00,EUR,75d
";
        let report = import_claims(
            &store,
            &FixedClock(Date::new(2026, 3, 1).unwrap()),
            "terms.csv",
            csv.as_bytes(),
            &ImportOptions::default(),
        )
        .await
        .unwrap();
        // Every row is imported…
        assert_eq!(report.claims_created, 5);
        // …and the ones beyond the caps are listed, with the rules and their limits.
        let [w, agreed] = report.terms_warnings.as_slice() else {
            panic!("{:?}", report.terms_warnings)
        };
        assert_eq!((w.line, w.number.as_str()), (3, "F-2"));
        let rules: Vec<TermRule> = w.breaches.iter().map(|b| b.rule).collect();
        assert_eq!(
            rules,
            [
                TermRule::SixtyDaysFromInvoice,
                TermRule::FortyFiveDaysEndOfMonth
            ]
        );
        assert_eq!(w.latest_lawful_due_date, Date::new(2025, 3, 31).unwrap());
        assert!(
            w.text(false).starts_with("line 3, invoice F-2"),
            "{}",
            w.text(false)
        );
        assert!(w.text(true).contains("60 jours"), "{}", w.text(true));
        assert_eq!((agreed.line, agreed.number.as_str()), (6, "F-5"));
        let rules: Vec<TermRule> = agreed.breaches.iter().map(|b| b.rule).collect();
        assert_eq!(rules, [TermRule::SixtyDaysFromInvoice]);
        assert_eq!(agreed.breaches[0].days_over, 15);
        // The stored claim carries the same verdict.
        let mut tx = store.begin().await.unwrap();
        let claim = tx
            .claims(None)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.number.to_string() == "F-2")
            .unwrap();
        let check = recouvre_app::terms::of_claim(tx.as_mut(), &claim)
            .await
            .unwrap()
            .unwrap();
        assert!(!check.compliant);
        assert_eq!(
            Money::from_minor(200_00, Currency::EUR),
            tx.all_ledger_entries(None)
                .await
                .unwrap()
                .iter()
                .find(|(id, _)| *id == claim.id)
                .map(|(_, e)| Money::from_minor(e.amount_minor, Currency::EUR))
                .unwrap()
        );
    });
}
