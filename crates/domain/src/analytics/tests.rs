//! The analytics on a small hand-made ledger, every expected value worked by hand in the
//! comments, and the aged balance's reconciliation to the ledger as a property.

use super::*;
use crate::book::{BookEntry, ClaimHead};
use crate::dunning::{Channel, Channels};
use crate::ids::ClaimId;
use Currency::EUR;
use jiff::civil::date;
use proptest::prelude::*;

fn head(id: i64, debtor: i64, issue: Date, due: Date) -> ClaimHead {
    ClaimHead {
        id: ClaimId(id),
        debtor_id: DebtorId(debtor),
        currency: EUR,
        issue_date: issue,
        due_date: due,
    }
}

fn e(claim: i64, d: Date, kind: EntryKind, amount: i64) -> (ClaimId, BookEntry) {
    (
        ClaimId(claim),
        BookEntry {
            day: day_number(d),
            kind,
            amount_minor: amount,
        },
    )
}

/// The portfolio every test below reasons on (period: March 2026).
///
/// | claim | debtor | issued | due | ledger |
/// | --- | --- | --- | --- | --- |
/// | 1 A | 1 | 2026-01-15 | 2026-02-14 | invoice 1,000.00; paid 400.00 on 03-10 |
/// | 2 B | 1 | 2026-02-20 | 2026-03-22 | invoice 500.00; paid 500.00 on 03-20 (early) |
/// | 3 C | 2 | 2026-03-05 | 2026-03-15 | invoice 300.00; paid 300.00 on 03-25 (10 days late) |
/// | 4 D | 2 | 2026-03-10 | 2026-04-09 | invoice 800.00; fee 15.00 on 03-12 |
/// | 5 E | 1 | 2025-12-01 | 2025-12-31 | invoice 200.00; written off 200.00 on 03-31 |
/// | 6 F | 2 | 2026-03-01 | 2026-03-20 | invoice 100.00; paid 40.00 on 03-28 |
/// | 7 G | 3 | 2026-02-01 | 2026-03-03 | invoice 250.00; paid 250.00 on 03-08 (5 days late) |
fn portfolio() -> Book {
    use EntryKind::{Fee, Invoice, Payment, WriteOff};
    Book::from_sorted(
        vec![
            head(1, 1, date(2026, 1, 15), date(2026, 2, 14)),
            head(2, 1, date(2026, 2, 20), date(2026, 3, 22)),
            head(3, 2, date(2026, 3, 5), date(2026, 3, 15)),
            head(4, 2, date(2026, 3, 10), date(2026, 4, 9)),
            head(5, 1, date(2025, 12, 1), date(2025, 12, 31)),
            head(6, 2, date(2026, 3, 1), date(2026, 3, 20)),
            head(7, 3, date(2026, 2, 1), date(2026, 3, 3)),
        ],
        vec![
            e(1, date(2026, 1, 15), Invoice, 1_000_00),
            e(1, date(2026, 3, 10), Payment, -400_00),
            e(2, date(2026, 2, 20), Invoice, 500_00),
            e(2, date(2026, 3, 20), Payment, -500_00),
            e(3, date(2026, 3, 5), Invoice, 300_00),
            e(3, date(2026, 3, 25), Payment, -300_00),
            e(4, date(2026, 3, 10), Invoice, 800_00),
            e(4, date(2026, 3, 12), Fee, 15_00),
            e(5, date(2025, 12, 1), Invoice, 200_00),
            e(5, date(2026, 3, 31), WriteOff, -200_00),
            e(6, date(2026, 3, 1), Invoice, 100_00),
            e(6, date(2026, 3, 28), Payment, -40_00),
            e(7, date(2026, 2, 1), Invoice, 250_00),
            e(7, date(2026, 3, 8), Payment, -250_00),
        ],
    )
    .unwrap()
}

fn facts() -> HashMap<DebtorId, DebtorFacts> {
    let f =
        |creditor: i64, name: &str, country: &str, segment, collector: Option<&str>| DebtorFacts {
            creditor: CreditorId(creditor),
            creditor_name: format!("Creditor {creditor} SAS"),
            name: name.into(),
            country: country.into(),
            segment,
            collector: collector.map(String::from),
        };
    [
        (
            DebtorId(1),
            f(1, "Alpha SARL", "FR", Segment::B2b, Some("alice")),
        ),
        (DebtorId(2), f(1, "Beta GmbH", "DE", Segment::B2b, None)),
        (
            DebtorId(3),
            f(2, "Gamma", "FR", Segment::B2c, Some("alice")),
        ),
    ]
    .into_iter()
    .collect()
}

fn dec(s: &str) -> Option<Decimal> {
    Some(s.parse().unwrap())
}

#[test]
fn aged_balance_by_debtor_and_collector() {
    let book = portfolio();
    // As of 2026-03-31: A has 600.00 open, 45 days late (02-14 → 03-31: 14 + 31) → 31-60;
    // D 815.00 (800 + 15 fee), not due; F 60.00, 11 days late → 1-30. B, C, E, G are
    // settled (E by its write-off that day).
    let r = aged_by(
        &book,
        &facts(),
        date(2026, 3, 31),
        &Buckets::default(),
        GroupBy::Debtor,
    );
    assert_eq!(
        r.buckets,
        ["not due", "1-30", "31-60", "61-90", "91-180", "> 180"]
    );
    assert_eq!(r.groups.len(), 2);
    // Debtor 2 (815 + 60 = 875.00) comes before debtor 1 (600.00): largest first.
    assert_eq!(r.groups[0].label, "Beta GmbH");
    assert_eq!(r.groups[0].total.minor(), 875_00);
    assert_eq!(r.groups[0].overdue.minor(), 60_00);
    assert_eq!(r.groups[0].claims, [1, 1, 0, 0, 0, 0]);
    assert_eq!(r.groups[1].key, "1");
    assert_eq!(r.groups[1].amounts[2].minor(), 600_00);
    assert_eq!(r.totals[0].total.minor(), 1_475_00);
    // By collector: debtor 1 is alice's, debtor 2 nobody's (key "").
    let c = aged_by(
        &book,
        &facts(),
        date(2026, 3, 31),
        &Buckets::default(),
        GroupBy::Collector,
    );
    let keys: Vec<(&str, i64)> = c
        .groups
        .iter()
        .map(|g| (g.key.as_str(), g.total.minor()))
        .collect();
    assert_eq!(keys, [("", 875_00), ("alice", 600_00)]);
    // As of 2026-02-28 (reconstructed: later entries ignored): A 1,000.00 (14 days late),
    // B 500.00 not due, E 200.00 (59 days late), G 250.00 not due; C, D, F not issued yet.
    let feb = aged_by(
        &book,
        &facts(),
        date(2026, 2, 28),
        &Buckets::parse("30,60").unwrap(),
        GroupBy::Country,
    );
    assert_eq!(feb.buckets, ["not due", "1-30", "31-60", "> 60"]);
    let fr = &feb.groups[0];
    assert_eq!((fr.key.as_str(), fr.total.minor()), ("FR", 1_950_00));
    assert_eq!(
        fr.amounts.iter().map(|m| m.minor()).collect::<Vec<_>>(),
        [750_00, 1_000_00, 200_00, 0]
    );
}

/// Issue 19, "also found": the aged balance by creditor names the creditors (its key stays
/// the id).
#[test]
fn aged_balance_by_creditor_shows_names() {
    let r = aged_by(
        &portfolio(),
        &facts(),
        date(2026, 3, 31),
        &Buckets::default(),
        GroupBy::Creditor,
    );
    assert!(!r.groups.is_empty());
    for g in &r.groups {
        assert_eq!(g.label, format!("Creditor {} SAS", g.key), "{g:?}");
    }
}

#[test]
fn kpis_of_march_worked_by_hand() {
    let book = portfolio();
    let actions = [
        (date(2026, 3, 5), Channels::empty().with(Channel::Email)),
        (
            date(2026, 3, 16),
            Channels::empty().with(Channel::Email).with(Channel::Sms),
        ),
        (
            date(2026, 3, 25),
            Channels::empty().with(Channel::PhoneTask),
        ),
        (date(2026, 4, 2), Channels::empty().with(Channel::Letter)), // after the period
    ];
    let k = kpis(
        &book,
        date(2026, 3, 1),
        date(2026, 3, 31),
        &actions,
        &UnitCosts::default(),
    );
    assert_eq!(k.days, 31);
    let m = &k.currencies[0];
    // Receivables at the end of 02-28: A 1,000 + B 500 + E 200 + G 250 = 1,950.00.
    assert_eq!(m.receivables_start.minor(), 1_950_00);
    // Credit sales: claims issued in March, C 300 + D 800 + F 100 = 1,200.00 (the fee is
    // not a sale).
    assert_eq!(m.credit_sales.minor(), 1_200_00);
    // At the end of 03-31: A 600 + D 815 + F 60 = 1,475.00, of which D's 815 not due.
    assert_eq!(m.receivables_end.minor(), 1_475_00);
    assert_eq!(m.current_end.minor(), 815_00);
    // DSO simple: 1,475 / 1,200 × 31 = 38.104… → 38.1 days.
    assert_eq!(m.dso_simple, dec("38.1"));
    // Best possible DSO: 815 / 1,200 × 31 = 21.054… → 21.1.
    assert_eq!(m.best_possible_dso, dec("21.1"));
    // Average days delinquent: (1,475 − 815) / 1,200 × 31 = 17.05 exactly → 17.1 (half up).
    assert_eq!(m.average_days_delinquent, dec("17.1"));
    // Countback: March sales 1,200 < 1,475: 31 days, 275 left; February's sales are
    // B 500 + G 250 = 750 ≥ 275: 275 / 750 × 28 = 10.27 days → 41.266… → 41.3.
    assert_eq!(m.dso_countback, dec("41.3"));
    // CEI: (1,950 + 1,200 − 1,475) / (1,950 + 1,200 − 815) = 1,675 / 2,335 = 71.73… %.
    assert_eq!(m.cei, dec("71.7"));
    // Became overdue in March (due date 02-28 to 03-30): G (due 03-03) 250, C (03-15) 300,
    // F (03-20) 100; B (due 03-22) was paid on 03-20, nothing became overdue: 650.00.
    // Recovered after the due date by 03-31: G 250 + C 300 + F 40 = 590.00 → 90.769… %.
    assert_eq!(m.became_overdue.minor(), 650_00);
    assert_eq!(m.recovered.minor(), 590_00);
    assert_eq!(m.recovery_rate, dec("90.8"));
    // Settled by a payment in March: B on 03-20 (28 days after 02-20, 2 days early),
    // C on 03-25 (20 days, 10 late), G on 03-08 (35 days, 5 late). E (written off) and
    // A, F (still open) are not paid claims.
    assert_eq!((m.paid_claims, m.paid_late), (3, 2));
    assert_eq!(m.share_paid_late, dec("66.7")); // 2 / 3
    assert_eq!(m.average_days_to_collect, dec("27.7")); // (28 + 20 + 35) / 3 = 27.67
    assert_eq!(m.average_days_late, dec("5.0")); // (0 + 10 + 5) / 3
    assert_eq!((m.write_offs.minor(), m.written_off_claims), (200_00, 1));
    // Collected: 400 + 500 + 300 + 40 + 250 = 1,490.00.
    assert_eq!(m.collected.minor(), 1_490_00);
    // Cost: e-mails 2 × 0.10 + SMS 0.08 + call 4.00 = 4.28 € of actions (the letter of
    // 04-02 is outside), + the 15.00 € fee = 19.28 €.
    assert_eq!(k.cost.actions_cost.minor(), 4_28);
    assert_eq!(k.cost.actions_by_channel["email"], 2);
    assert_eq!(k.cost.fees, [Money::from_minor(15_00, EUR)]);
    assert_eq!(k.cost.total, [Money::from_minor(19_28, EUR)]);
}

#[test]
fn simple_dso_over_a_rolling_window() {
    // 90 days ending 03-31 start on 2026-01-01: sales A 1,000 + B 500 + C 300 + D 800 +
    // F 100 + G 250 = 2,950 (E was issued in December); receivables 1,475;
    // 1,475 / 2,950 × 90 = 45.0.
    let d = dso_simple(&portfolio(), date(2026, 3, 31), 90);
    assert_eq!(d[0].credit_sales.minor(), 2_950_00);
    assert_eq!(d[0].days, dec("45.0"));
}

#[test]
fn effectiveness_against_the_baseline() {
    let book = portfolio();
    let fact = |debtor: i64, step: &str, claim: i64, d: Date| ActionFact {
        debtor: DebtorId(debtor),
        scenario: "standard".into(),
        step: step.into(),
        template: format!("{step}-mail"),
        channels: Channels::empty().with(Channel::Email),
        claims: vec![ClaimId(claim)],
        day: d,
    };
    let actions = [
        // On A (1,000 open on 03-05): 400 paid on 03-10, within 7 days: partly, both times.
        fact(1, "r1", 1, date(2026, 3, 5)),
        // On C (300 open on 03-16): nothing by 03-23; paid in full on 03-25, within 30.
        fact(2, "r1", 3, date(2026, 3, 16)),
        // On F (100 open on 03-25): 40 on 03-28: partly within 7 and 30.
        fact(2, "call", 6, date(2026, 3, 25)),
    ];
    let r = effectiveness(
        &book,
        &actions,
        date(2026, 3, 1),
        date(2026, 3, 31),
        date(2026, 4, 30),
    );
    let call = &r.rows[0];
    assert_eq!(call.step.as_deref(), Some("call"));
    assert_eq!((call.paid_fully_7, call.paid_partly_7), (0, 1));
    assert_eq!(call.recovered_30, [Money::from_minor(40_00, EUR)]);
    let r1 = &r.rows[1];
    assert_eq!((r1.actions, r1.cases), (2, 2));
    assert_eq!(
        (r1.observed_7, r1.paid_fully_7, r1.paid_partly_7),
        (2, 0, 1)
    );
    assert_eq!(
        (r1.observed_30, r1.paid_fully_30, r1.paid_partly_30),
        (2, 1, 1)
    );
    assert_eq!(r1.recovered_7, [Money::from_minor(400_00, EUR)]);
    assert_eq!(r1.recovered_30, [Money::from_minor(700_00, EUR)]);
    assert_eq!(r1.fully_rate_30, dec("50.0"));
    assert_eq!(r1.any_rate_30, dec("100.0"));
    // Baseline: claims that became overdue in March with no action on their debtor within
    // 30 days either side: only G (debtor 3, due 03-03, 250 paid on 03-08). B, C, F belong
    // to debtors reminded in March.
    let b = &r.baseline;
    assert_eq!((b.actions, b.observed_7, b.paid_fully_7), (1, 1, 1));
    assert_eq!(b.recovered_30, [Money::from_minor(250_00, EUR)]);
    // Outcomes not yet known are not counted: as of 03-31, C's 30 days (to 04-15) are
    // not over.
    let early = effectiveness(
        &book,
        &actions,
        date(2026, 3, 1),
        date(2026, 3, 31),
        date(2026, 3, 31),
    );
    assert_eq!(early.rows[1].observed_30, 0);
    assert_eq!(early.rows[1].observed_7, 2); // 03-05 + 7 and 03-16 + 7 are past
}

#[test]
fn forecast_from_observed_delays() {
    // Delays (settlement − due) of claims paid by 03-31: debtor 1 B −2; debtor 2 C +10;
    // debtor 3 G +5; portfolio median of [−2, 5, 10] is 5.
    // A (debtor 1, due 02-14, 600): expected 02-12, 47 days ago (≤ 90) → week 1.
    // F (debtor 2, due 03-20, 60): expected 03-30, yesterday → week 1.
    // D (debtor 2, due 04-09, 815): expected 04-19, 19 days ahead → week 3 (04-15..04-21).
    let f = forecast(&portfolio(), date(2026, 3, 31));
    assert_eq!(f.portfolio_delay_days, Some(5));
    assert_eq!(f.weeks.len(), 13);
    assert_eq!(f.weeks[0].start, date(2026, 4, 1));
    assert_eq!(f.weeks[0].expected, [Money::from_minor(660_00, EUR)]);
    assert!(f.weeks[1].expected.is_empty());
    assert_eq!(
        (f.weeks[2].start, f.weeks[2].end),
        (date(2026, 4, 15), date(2026, 4, 21))
    );
    assert_eq!(f.weeks[2].expected, [Money::from_minor(815_00, EUR)]);
    assert!(f.doubtful.is_empty() && f.later.is_empty());
    // A year later nothing was paid: A is 400 days past its expected day → doubtful.
    let late = forecast(&portfolio(), date(2027, 3, 31));
    assert_eq!(late.doubtful, [Money::from_minor(1_475_00, EUR)]);
}

#[test]
fn collections_month_by_month() {
    // Payments: March 400 + 500 + 300 + 40 + 250 = 1,490; none in February.
    let m = collections_by_month(&portfolio(), date(2026, 3, 31), 2);
    assert_eq!(m[0], (date(2026, 2, 1), vec![]));
    assert_eq!(
        m[1],
        (date(2026, 3, 1), vec![Money::from_minor(1_490_00, EUR)])
    );
}

#[test]
fn tenths_round_half_away_from_zero() {
    assert_eq!(tenths(1, 20), dec("0.1")); // 0.05
    assert_eq!(tenths(-1, 20), dec("-0.1"));
    assert_eq!(tenths(1, 30), dec("0.0")); // 0.033
    assert_eq!(tenths(5, 0), None);
    assert_eq!(percent(2, 3), dec("66.7"));
}

#[test]
fn group_by_parses_its_names() {
    for g in GroupBy::ALL {
        assert_eq!(g.as_str().parse::<GroupBy>().unwrap(), g);
    }
    assert!("region".parse::<GroupBy>().is_err());
}

/// A generated claim: debtor, currency, issue day, days to due, dated signed amounts.
type GenClaim = (i64, bool, i32, i32, Vec<(i32, i64)>);

fn arb_claims() -> impl Strategy<Value = Vec<GenClaim>> {
    prop::collection::vec(
        (
            1..6i64,
            any::<bool>(),
            0..400i32,
            0..90i32,
            prop::collection::vec((0..500i32, -50_000..100_000i64), 0..5),
        ),
        0..60,
    )
}

proptest! {
    /// However the book is grouped, the aged balance's totals equal the sum of the claims'
    /// positive open balances computed straight from the generated entries, currency by
    /// currency, to the cent; and every group's buckets add up to its total.
    #[test]
    fn aged_balance_reconciles_to_the_ledger(
        claims in arb_claims(),
        as_of_offset in 0..500i32,
    ) {
        let base = day_number(date(2025, 1, 1));
        let currency = |gbp: bool| if gbp { Currency::GBP } else { EUR };
        let heads: Vec<ClaimHead> = claims
            .iter()
            .enumerate()
            .map(|(i, (debtor, gbp, issue, due, _))| ClaimHead {
                id: ClaimId(i as i64 + 1),
                debtor_id: DebtorId(*debtor),
                currency: currency(*gbp),
                issue_date: date_of(base + issue),
                due_date: date_of(base + issue + due),
            })
            .collect();
        let entries: Vec<(ClaimId, BookEntry)> = claims
            .iter()
            .enumerate()
            .flat_map(|(i, (_, _, issue, _, es))| {
                let first = (ClaimId(i as i64 + 1), BookEntry {
                    day: base + issue,
                    kind: EntryKind::Invoice,
                    amount_minor: 10_000,
                });
                std::iter::once(first).chain(es.iter().map(move |(d, a)| {
                    (ClaimId(i as i64 + 1), BookEntry {
                        day: base + issue + d,
                        kind: if *a < 0 { EntryKind::Payment } else { EntryKind::Fee },
                        amount_minor: *a,
                    })
                }))
            })
            .collect();
        let book = Book::from_sorted(heads, entries).unwrap();
        let as_of = base + as_of_offset;
        // The ledger, summed by hand: claims issued by then, entries dated by then.
        let mut expected = Totals::new();
        for (_, gbp, issue, _, es) in &claims {
            if *issue > as_of_offset {
                continue;
            }
            let open: i64 = 10_000 + es.iter().filter(|(d, _)| issue + d <= as_of_offset).map(|(_, a)| a).sum::<i64>();
            if open > 0 {
                expected.add_minor(currency(*gbp), open);
            }
        }
        let facts: HashMap<DebtorId, DebtorFacts> = (1..4i64)
            .map(|d| (DebtorId(d), DebtorFacts {
                creditor: CreditorId(d % 2),
                creditor_name: String::new(),
                name: format!("d{d}"),
                country: if d == 1 { "FR".into() } else { "DE".into() },
                segment: Segment::B2b,
                collector: (d == 2).then(|| "bob".to_string()),
            }))
            .collect(); // debtors 4 and 5 have no facts: grouped under "?"
        for g in GroupBy::ALL {
            let r = aged_by(&book, &facts, date_of(as_of), &Buckets::default(), g);
            let mut from_groups = Totals::new();
            for grp in &r.groups {
                let sum: i64 = grp.amounts.iter().map(|m| m.minor()).sum();
                prop_assert_eq!(sum, grp.total.minor());
                from_groups.add(grp.total);
            }
            let mut from_totals = Totals::new();
            for t in &r.totals {
                from_totals.add(t.total);
            }
            prop_assert_eq!(from_groups.iter().collect::<Vec<_>>(), expected.iter().collect::<Vec<_>>());
            prop_assert_eq!(from_totals.iter().collect::<Vec<_>>(), expected.iter().collect::<Vec<_>>());
        }
    }
}
