//! The generated portfolio as its users see it: exact counts, valid ledgers, nothing dated
//! after `as_of`, a plausible mix of debtors and behaviours, and an aged balance a French
//! credit manager would recognise.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use domain::aging::{AgedBalance, Buckets};
use domain::date::{day_number, days_between};
use domain::{
    ClaimLedger, ClaimStatus, ContactKind, Currency, Date, DebtorKind, EntryKind, Money, Nature,
    Segment,
};
use recouvre_demo::{Behaviour, DemoParams, Generator, Portfolio, generate};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

fn as_of() -> Date {
    Date::new(2026, 3, 31).unwrap()
}

/// The default demo portfolio, built once for the whole file.
fn default_portfolio() -> &'static Portfolio {
    static PORTFOLIO: OnceLock<Portfolio> = OnceLock::new();
    PORTFOLIO.get_or_init(|| generate(&DemoParams::new(as_of())))
}

fn small(seed: u64) -> DemoParams {
    DemoParams {
        debtors: 60,
        claims: 500,
        seed,
        as_of: as_of(),
    }
}

fn per_mille(part: usize, whole: usize) -> usize {
    part * 1000 / whole.max(1)
}

#[test]
fn the_same_seed_gives_the_same_portfolio() {
    let a = generate(&small(7));
    let b = generate(&small(7));
    assert_eq!(a, b);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let c = generate(&small(8));
    assert_ne!(a, c);
    // Not just somewhere: the first debtor and the first claim already differ.
    assert_ne!(a.debtors[0], c.debtors[0]);
    assert_ne!(a.claims[0].ledger, c.claims[0].ledger);
}

#[test]
fn a_debtor_does_not_depend_on_how_many_others_there_are() {
    let few = generate(&small(3));
    let many = generate(&DemoParams {
        debtors: 600,
        ..small(3)
    });
    for (a, b) in few.debtors.iter().zip(&many.debtors) {
        assert_eq!(a, b);
    }
}

#[test]
fn counts_are_exact() {
    let p = default_portfolio();
    assert_eq!(p.debtors.len(), 2_000);
    assert_eq!(p.claims.len(), 20_000);
    assert_eq!(p.creditors.len(), 1);
    assert_eq!(p.creditors[0].code, "DURAND");
    for (i, d) in p.debtors.iter().enumerate() {
        assert_eq!(d.debtor.id.0, i as i64 + 1);
        assert_eq!(d.debtor.external_id, format!("C{:06}", i + 1));
    }
    for (i, c) in p.claims.iter().enumerate() {
        assert_eq!(c.claim.id.0, i as i64 + 1);
    }
    let with_claims: BTreeSet<i64> = p.claims.iter().map(|c| c.claim.debtor_id.0).collect();
    assert_eq!(
        with_claims.len(),
        2_000,
        "every debtor has at least one claim"
    );

    for (debtors, claims) in [(10, 3), (10, 10), (1, 50), (0, 20), (25, 0), (3, 1_000)] {
        let p = generate(&DemoParams {
            debtors,
            claims,
            seed: 1,
            as_of: as_of(),
        });
        assert_eq!(p.debtors.len(), debtors);
        let expected = if debtors == 0 { 0 } else { claims };
        assert_eq!(
            p.claims.len(),
            expected,
            "{debtors} debtors, {claims} claims"
        );
        if claims >= debtors {
            let owing: BTreeSet<i64> = p.claims.iter().map(|c| c.claim.debtor_id.0).collect();
            assert_eq!(owing.len(), debtors);
        }
    }
}

#[test]
fn every_ledger_is_valid_and_nothing_is_dated_after_as_of() {
    let p = default_portfolio();
    let debtors: BTreeMap<i64, &recouvre_demo::DemoDebtor> =
        p.debtors.iter().map(|d| (d.debtor.id.0, d)).collect();
    for c in &p.claims {
        let claim = &c.claim;
        assert!(debtors.contains_key(&claim.debtor_id.0), "{claim:?}");
        assert_eq!(claim.creditor_id, p.creditors[0].id);
        assert!(claim.due_date >= claim.issue_date, "{claim:?}");
        assert!(claim.issue_date <= as_of());
        assert_eq!(c.ledger.currency(), claim.currency);
        let entries = c.ledger.entries();
        assert_eq!(entries[0].kind, EntryKind::Invoice);
        assert_eq!(entries[0].date, claim.issue_date);
        assert!(
            entries.windows(2).all(|w| w[0].date <= w[1].date),
            "{entries:?}"
        );
        // Re-posting every entry into a fresh ledger must be accepted and give the same
        // ledger: the generator went through the same checks.
        let mut replay = ClaimLedger::new(claim.currency);
        for e in entries {
            assert!(e.date <= as_of(), "{claim:?}: {e:?} is in the future");
            assert_eq!(e.reverses, None);
            replay
                .post(
                    e.kind,
                    Money::from_minor(e.amount_minor.abs(), claim.currency),
                    e.date,
                    e.reference.clone(),
                )
                .unwrap_or_else(|err| panic!("{claim:?}: {e:?} refused: {err}"));
        }
        assert_eq!(&replay, &c.ledger);
        assert!(c.ledger.balance().minor() >= 0);
    }
}

#[test]
fn the_ledger_is_the_past_of_the_payment_plan() {
    let p = default_portfolio();
    let mut future = 0;
    for c in &p.claims {
        let invoiced = c.ledger.total_of(EntryKind::Invoice, as_of()).minor();
        let schedule = c
            .plan
            .schedule(c.claim.issue_date, c.claim.due_date, invoiced);
        let past: Vec<_> = schedule.iter().filter(|s| s.date <= as_of()).collect();
        let settlements: Vec<_> = c
            .ledger
            .entries()
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Payment | EntryKind::CreditNote))
            .collect();
        assert_eq!(past.len(), settlements.len(), "{c:?}");
        for (s, e) in past.iter().zip(&settlements) {
            assert_eq!(
                (s.date, s.kind, -s.amount_minor),
                (e.date, e.kind, e.amount_minor)
            );
        }
        if schedule.len() > past.len() {
            future += 1;
            // What is still to come settles exactly what is open.
            if c.plan.settles_in_full() {
                let to_come: i64 = schedule[past.len()..].iter().map(|s| s.amount_minor).sum();
                assert_eq!(to_come, c.ledger.balance().minor(), "{c:?}");
            }
        }
    }
    assert!(
        future > 500,
        "only {future} claims have settlements still to come"
    );
}

#[test]
fn write_offs_close_old_unpaid_claims_only() {
    let p = default_portfolio();
    let mut written_off = 0;
    for c in &p.claims {
        let Some(w) = c
            .ledger
            .entries()
            .iter()
            .find(|e| e.kind == EntryKind::WriteOff)
        else {
            continue;
        };
        written_off += 1;
        assert!(!c.plan.settles_in_full());
        assert!(days_between(c.claim.due_date, w.date) >= 365, "{c:?}");
        assert_eq!(c.ledger.status(&c.claim, as_of()), ClaimStatus::WrittenOff);
    }
    assert!(
        (50..=500).contains(&written_off),
        "{written_off} write-offs"
    );
}

#[test]
fn gbp_is_for_british_debtors_only() {
    let p = default_portfolio();
    let country: BTreeMap<i64, &str> = p
        .debtors
        .iter()
        .map(|d| (d.debtor.id.0, d.debtor.country.as_str()))
        .collect();
    let mut gbp = 0;
    let mut uk_claims = 0;
    for c in &p.claims {
        let country = country[&c.claim.debtor_id.0];
        if c.claim.currency == Currency::GBP {
            gbp += 1;
            assert_eq!(country, "GB", "{c:?}");
        } else {
            assert_eq!(c.claim.currency, Currency::EUR);
        }
        if country == "GB" {
            uk_claims += 1;
        }
    }
    assert!(gbp > 0);
    assert!(
        gbp * 2 > uk_claims,
        "most UK claims are in GBP: {gbp} of {uk_claims}"
    );
}

#[test]
fn debtors_are_mostly_french_with_some_neighbours() {
    let p = default_portfolio();
    let n = p.debtors.len();
    let mut countries: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &p.debtors {
        *countries.entry(d.debtor.country.as_str()).or_default() += 1;
    }
    let share = |c: &str| per_mille(countries.get(c).copied().unwrap_or(0), n);
    // Expected 850 ‰ French; 40, 40, 25, 25 and 20 ‰ for the others. With 2,000 debtors
    // the standard deviation of a 40 ‰ share is about 4.4 ‰.
    assert!((810..=890).contains(&share("FR")), "{countries:?}");
    for (c, low, high) in [
        ("DE", 20, 65),
        ("BE", 20, 65),
        ("ES", 10, 45),
        ("IT", 10, 45),
        ("GB", 8, 40),
    ] {
        assert!((low..=high).contains(&share(c)), "{c}: {countries:?}");
    }
    assert_eq!(countries.len(), 6, "{countries:?}");

    let persons = p
        .debtors
        .iter()
        .filter(|d| d.debtor.kind == DebtorKind::Person)
        .count();
    assert!(
        (160..=240).contains(&per_mille(persons, n)),
        "{persons} individuals"
    );
    for d in &p.debtors {
        let debtor = &d.debtor;
        let b2c = debtor.kind == DebtorKind::Person;
        assert_eq!(debtor.segment == Segment::B2c, b2c);
        if b2c {
            assert_eq!(debtor.country, "FR");
        }
        let expected_language: &[&str] = match debtor.country.as_str() {
            "FR" => &["fr"],
            "BE" => &["fr", "nl"],
            "DE" => &["de"],
            "ES" => &["es"],
            "IT" => &["it"],
            _ => &["en"],
        };
        assert!(
            expected_language.contains(&debtor.language.as_str()),
            "{debtor:?}"
        );
        assert!(debtor.contact(ContactKind::Address).is_some(), "{debtor:?}");
        for c in &debtor.contacts {
            if c.kind == ContactKind::Email {
                assert!(c.value.ends_with(".example"), "{c:?}");
            }
        }
    }
    let persons_without_email = p
        .debtors
        .iter()
        .filter(|d| {
            d.debtor.kind == DebtorKind::Person && d.debtor.contact(ContactKind::Email).is_none()
        })
        .count();
    assert!(
        persons_without_email * 5 > persons,
        "some individuals have only an address"
    );
    let belgian_languages: BTreeSet<&str> = p
        .debtors
        .iter()
        .filter(|d| d.debtor.country == "BE")
        .map(|d| d.debtor.language.as_str())
        .collect();
    assert_eq!(belgian_languages, BTreeSet::from(["fr", "nl"]));
}

#[test]
fn behaviours_span_early_payers_to_defaulters() {
    let p = default_portfolio();
    let n = p.debtors.len();
    let mut counts: BTreeMap<Behaviour, usize> = BTreeMap::new();
    for d in &p.debtors {
        *counts.entry(d.behaviour).or_default() += 1;
    }
    // Expected shares (weighted B2B/B2C/public, see the crate documentation): early 156,
    // on time 447, slightly late 246, chronic late 53, partial 36, disputer 38, defaulter
    // 30 ‰. Bounds are about three standard deviations wide.
    let bounds = [
        (Behaviour::EarlyPayer, 110, 200),
        (Behaviour::OnTime, 400, 500),
        (Behaviour::SlightlyLate, 200, 290),
        (Behaviour::ChronicLate, 30, 80),
        (Behaviour::PartialPayer, 18, 60),
        (Behaviour::Disputer, 20, 60),
        (Behaviour::Defaulter, 15, 50),
    ];
    for (b, low, high) in bounds {
        let share = per_mille(counts.get(&b).copied().unwrap_or(0), n);
        assert!((low..=high).contains(&share), "{b}: {share} ‰ ({counts:?})");
    }
}

#[test]
fn the_aged_balance_looks_like_a_french_smes() {
    let p = default_portfolio();
    let mut aged = AgedBalance::new(Buckets::default());
    for c in &p.claims {
        aged.add(
            c.claim.currency,
            c.claim.days_past_due(as_of()),
            c.ledger.balance_as_of(as_of()).minor(),
        );
    }
    // Some claims in every bucket: not due, 1-30, 31-60, 61-90, 91-180, > 180.
    for row in &aged.rows {
        assert!(row.claims >= 20, "{}: {} claims", row.label, row.claims);
    }
    let open = aged.total().get(Currency::EUR).minor();
    let overdue = aged.overdue().get(Currency::EUR).minor();
    let share = overdue * 100 / open;
    assert!(
        (15..=35).contains(&share),
        "overdue is {share} % of the open amount"
    );
    let current =
        aged.bucket_amount(0, Currency::EUR).minor() + aged.bucket_amount(1, Currency::EUR).minor();
    assert!(
        current * 2 > open,
        "most of the book is not due or 1-30 days late"
    );
    assert!(
        aged.bucket_amount(5, Currency::EUR).is_positive(),
        "a tail over 180 days"
    );
    // Most claims of an 18-month book are settled.
    let open_claims = aged.open_claims() as usize;
    assert!(
        open_claims * 4 < p.claims.len(),
        "{open_claims} open claims"
    );
}

#[test]
fn claims_look_like_invoices() {
    let p = default_portfolio();
    let segment: BTreeMap<i64, Segment> = p
        .debtors
        .iter()
        .map(|d| (d.debtor.id.0, d.debtor.segment))
        .collect();
    let mut natures: BTreeMap<&str, usize> = BTreeMap::new();
    let mut numbers = BTreeSet::new();
    let mut not_due = 0;
    let (mut b2c_max, mut b2b_max, mut smallest) = (0i64, 0i64, i64::MAX);
    for c in &p.claims {
        let claim = &c.claim;
        *natures.entry(claim.nature.as_str()).or_default() += 1;
        assert!(
            numbers.insert(claim.number.as_str().to_string()),
            "duplicate {}",
            claim.number
        );
        assert_eq!(claim.external_id, claim.number.as_str());
        // "FA-2025-000123": series, issue year, six-digit sequence.
        let parts: Vec<&str> = claim.number.as_str().split('-').collect();
        assert!(["FA", "LOY", "ECH"].contains(&parts[0]), "{}", claim.number);
        assert_eq!(parts[1], claim.issue_date.year().to_string());
        assert!(parts[2].len() == 6 && parts[2].chars().all(|c| c.is_ascii_digit()));
        let b2c = segment[&claim.debtor_id.0] == Segment::B2c;
        match claim.nature {
            Nature::Commercial => assert!(!b2c),
            Nature::Consumer | Nature::ConsumerCredit => assert!(b2c),
            Nature::Rent => {}
            Nature::Other => panic!("{claim:?}"),
        }
        // 18 months of invoices, rents and instalments.
        let age = days_between(claim.issue_date, as_of());
        assert!((0..548).contains(&age), "{claim:?}");
        if claim.due_date >= as_of() {
            not_due += 1;
        }
        let terms = days_between(claim.issue_date, claim.due_date);
        // From 4 days (rent) to 60 days end of month (some Italian customers): at most 90.
        assert!((4..=90).contains(&terms), "{claim:?}");
        let amount = c.ledger.total_of(EntryKind::Invoice, as_of()).minor();
        smallest = smallest.min(amount);
        if b2c {
            b2c_max = b2c_max.max(amount);
        } else {
            b2b_max = b2b_max.max(amount);
        }
    }
    assert!(natures["commercial"] > p.claims.len() / 2, "{natures:?}");
    assert!(natures["consumer"] > 200, "{natures:?}");
    assert!(natures.get("rent").is_some_and(|&n| n > 20), "{natures:?}");
    assert!(
        natures.get("consumer_credit").is_some_and(|&n| n > 20),
        "{natures:?}"
    );
    assert!(not_due > 500, "{not_due} claims not yet due");
    // From tens of euros to hundreds of thousands.
    assert!(smallest >= 1_000, "smallest invoice {smallest}");
    assert!(
        b2c_max < 1_000_000,
        "B2C up to a few thousand euros, got {b2c_max}"
    );
    assert!(
        b2b_max > 10_000_000,
        "B2B up to hundreds of thousands, got {b2b_max}"
    );
    assert!(b2b_max < 100_000_000);
}

#[test]
fn invoice_numbers_follow_the_issue_dates() {
    let p = default_portfolio();
    let mut by_series: BTreeMap<(String, String), Vec<(Date, u32)>> = BTreeMap::new();
    for c in &p.claims {
        let parts: Vec<&str> = c.claim.number.as_str().split('-').collect();
        by_series
            .entry((parts[0].to_string(), parts[1].to_string()))
            .or_default()
            .push((c.claim.issue_date, parts[2].parse().unwrap()));
    }
    for ((series, year), mut numbers) in by_series {
        numbers.sort_by_key(|&(_, n)| n);
        // Consecutive numbers, and never an earlier date after a later one.
        assert!(
            numbers.windows(2).all(|w| w[1].1 == w[0].1 + 1),
            "{series}-{year}"
        );
        assert!(
            numbers.windows(2).all(|w| w[0].0 <= w[1].0),
            "{series}-{year}"
        );
        let first = numbers[0].1;
        if year == "2024" {
            // The window opens on 30 September 2024: about 272 days of the year's invoices
            // came before it, some three quarters of a year's numbers.
            let per_year = numbers.len() as u32 * 365 / 92;
            assert!(first > per_year / 2, "{series}-{year} starts at {first}");
        } else {
            assert_eq!(first, 1, "{series}-{year}");
        }
    }
}

#[test]
fn a_few_customers_have_many_invoices() {
    let p = default_portfolio();
    let mut per_debtor: BTreeMap<i64, usize> = BTreeMap::new();
    for c in &p.claims {
        *per_debtor.entry(c.claim.debtor_id.0).or_default() += 1;
    }
    let mut counts: Vec<usize> = per_debtor.values().copied().collect();
    counts.sort_unstable();
    let median = counts[counts.len() / 2];
    let max = counts[counts.len() - 1];
    assert!(max >= 20 * median, "max {max}, median {median}");
    let key: Vec<_> = p
        .debtors
        .iter()
        .filter(|d| d.debtor.tags.iter().any(|t| t == "key_account"))
        .collect();
    // 2 % of companies: about 30 of 2,000 debtors.
    assert!((10..=60).contains(&key.len()), "{} key accounts", key.len());
    for d in &key {
        assert!(per_debtor[&d.debtor.id.0] > median * 5, "{d:?}");
        assert_eq!(d.debtor.kind, DebtorKind::Company);
    }
    let public = p
        .debtors
        .iter()
        .filter(|d| d.debtor.tags.iter().any(|t| t == "public_sector"))
        .count();
    assert!((10..=80).contains(&public), "{public} public bodies");
}

#[test]
fn streaming_gives_the_same_portfolio_in_bounded_batches() {
    let params = DemoParams {
        debtors: 300,
        claims: 3_000,
        seed: 11,
        as_of: as_of(),
    };
    let whole = generate(&params);
    let generator = Generator::new(&params);
    assert_eq!(generator.debtor_count(), 300);
    assert_eq!(generator.claim_count(), 3_000);
    let mut debtors = Vec::new();
    let mut claims = Vec::new();
    for batch in generator.batches(500) {
        let ids: BTreeSet<i64> = batch.debtors.iter().map(|d| d.debtor.id.0).collect();
        assert!(
            batch
                .claims
                .iter()
                .all(|c| ids.contains(&c.claim.debtor_id.0)),
            "a batch holds whole accounts"
        );
        debtors.extend(batch.debtors);
        claims.extend(batch.claims);
    }
    assert_eq!(debtors, whole.debtors);
    assert_eq!(claims, whole.claims);
    // Any account can be built on its own, as often as wanted.
    let account = generator.account(123).unwrap();
    assert_eq!(account.debtor, whole.debtors[123]);
    assert_eq!(generator.account(123).unwrap(), account);
    assert!(generator.account(300).is_none());
}

#[test]
fn nothing_is_dated_after_as_of_whatever_the_day() {
    // Whatever day the demo is run, nothing is dated after it, including on a Sunday.
    for as_of in [
        Date::new(2026, 3, 29).unwrap(),
        Date::new(2024, 2, 29).unwrap(),
    ] {
        let p = generate(&DemoParams { as_of, ..small(5) });
        for c in &p.claims {
            assert!(c.claim.issue_date <= as_of);
            assert!(c.ledger.entries().iter().all(|e| e.date <= as_of));
        }
        assert!(
            p.claims
                .iter()
                .any(|c| day_number(c.claim.due_date) > day_number(as_of))
        );
    }
}
