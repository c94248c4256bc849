//! The reports on the default demo portfolio (2,000 debtors, 20,000 claims) stored in
//! SQLite: the aged balance reconciles to the ledger as of three dates, whatever the
//! grouping; the CSV a person downloads carries the same totals; the KPIs and the forecast
//! account for the same receivables.

#![allow(clippy::unwrap_used)]

use domain::aging::Buckets;
use domain::analytics::GroupBy;
use domain::money::Totals;
use domain::{ClaimLedger, Date};
use recouvre_app::clock::FixedClock;
use recouvre_app::portfolio::{NoProgress, load_demo};
use recouvre_app::reports::{self, Period, Report, ReportKind, ReportQuery};
use recouvre_app::store::Store;

const AS_OF: &str = "2026-06-30";

/// The open balances of the ledger as of `day`, summed claim by claim through
/// `ClaimLedger` (the ledger's own balance, not the `Book` the reports use): claims issued
/// by then with something positive open.
fn ledger_open(
    claims: &[domain::Claim],
    entries: &[(domain::ClaimId, domain::LedgerEntry)],
    day: Date,
) -> Totals {
    let mut totals = Totals::new();
    for c in claims.iter().filter(|c| c.issue_date <= day) {
        let own: Vec<_> = entries
            .iter()
            .filter(|(id, _)| *id == c.id)
            .map(|(_, e)| e.clone())
            .collect();
        let open = ClaimLedger::from_entries(c.currency, own).balance_as_of(day);
        if open.is_positive() {
            totals.add(open);
        }
    }
    totals
}

#[test]
fn reports_reconcile_to_the_ledger_on_the_demo_portfolio() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reports.db");
    rt.block_on(async {
        let as_of: Date = AS_OF.parse().unwrap();
        let store = store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-06-30T06:00:00Z")
            .await
            .unwrap();
        let params = demo::DemoParams {
            debtors: 2_000,
            claims: 20_000,
            seed: 2026,
            as_of,
        };
        load_demo(&store, &FixedClock(as_of), &params, &NoProgress)
            .await
            .unwrap();
        let mut tx = store.begin().await.unwrap();
        let book = tx.book(None).await.unwrap();
        let mut claims = tx.claims(None).await.unwrap();
        claims.sort_by_key(|c| c.id);
        let mut entries = tx.all_ledger_entries(None).await.unwrap();
        entries.sort_by_key(|(id, e)| (*id, e.seq));
        // Index entries by claim once (the helper above filters; this keeps it linear).
        let mut by_claim: std::collections::HashMap<domain::ClaimId, Vec<_>> =
            std::collections::HashMap::new();
        for (id, e) in &entries {
            by_claim.entry(*id).or_default().push((*id, e.clone()));
        }

        for day in ["2025-09-30", "2026-03-15", AS_OF] {
            let day: Date = day.parse().unwrap();
            let mut expected = Totals::new();
            for c in &claims {
                let own = by_claim.get(&c.id).cloned().unwrap_or_default();
                expected.merge(&ledger_open(std::slice::from_ref(c), &own, day));
            }
            assert!(!expected.is_empty(), "the demo has something open on {day}");
            for group_by in [GroupBy::Debtor, GroupBy::Country, GroupBy::Collector] {
                let r = reports::aging(tx.as_mut(), &book, day, &Buckets::default(), group_by)
                    .await
                    .unwrap();
                let mut from_groups = Totals::new();
                for g in &r.groups {
                    from_groups.add(g.total);
                }
                assert_eq!(
                    from_groups.iter().collect::<Vec<_>>(),
                    expected.iter().collect::<Vec<_>>(),
                    "{group_by} on {day}"
                );
            }
        }

        // The CSV of `recouvre report aging --format csv --lang en`: its total lines carry
        // the ledger's open amount per currency, as exact decimals.
        let q = ReportQuery {
            terms: Default::default(),
            as_of,
            period: Period::resolve(as_of, None, None).unwrap(),
            buckets: Buckets::default(),
            group_by: GroupBy::Currency,
        };
        let report = reports::report(tx.as_mut(), &book, ReportKind::Aging, &q)
            .await
            .unwrap();
        let sheet = reports::sheet(&report, &|k| k.to_string());
        let csv = String::from_utf8(reports::to_csv(&sheet, false).unwrap()).unwrap();
        let expected = {
            let mut t = Totals::new();
            for c in &claims {
                let own = by_claim.get(&c.id).cloned().unwrap_or_default();
                t.merge(&ledger_open(std::slice::from_ref(c), &own, as_of));
            }
            t
        };
        for m in expected.iter() {
            let line = csv
                .lines()
                .find(|l| l.starts_with(&format!("col-total,{},", m.currency().code())))
                .unwrap_or_else(|| panic!("no total line for {} in\n{csv}", m.currency()));
            // Columns: group, currency, 6 buckets, total, overdue, claims.
            let total = line.split(',').nth(8).unwrap();
            assert_eq!(total, m.amount_string(), "{line}");
        }

        // The KPIs' receivables at the end of the period are the aged balance's total, and
        // the forecast places every open amount somewhere (a week, later, or doubtful).
        let Report::Kpis(k) = reports::report(tx.as_mut(), &book, ReportKind::Kpis, &q)
            .await
            .unwrap()
        else {
            panic!("asked for the KPIs")
        };
        assert_eq!(k.days, 90);
        for c in &k.currencies {
            assert_eq!(c.receivables_end, expected.get(c.currency));
            assert!(c.dso_simple.is_some() && c.dso_countback.is_some());
        }
        let f = reports::forecast(&book, as_of);
        let mut placed = Totals::new();
        for w in &f.weeks {
            w.expected.iter().for_each(|m| placed.add(*m));
        }
        f.later
            .iter()
            .chain(&f.doubtful)
            .for_each(|m| placed.add(*m));
        assert_eq!(
            placed.iter().collect::<Vec<_>>(),
            expected.iter().collect::<Vec<_>>()
        );
    });
}
