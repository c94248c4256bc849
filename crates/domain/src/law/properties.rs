//! Property tests of the interest calculator: zero until the due date, never decreasing
//! with time, additive over split periods.

#![allow(clippy::unwrap_used)] // Test code: a failing unwrap is a failing test.

use super::interest::{
    FrenchRateReading, InterestRequest, LegalRateCategory, PartPayment, Regime, late_interest,
};
use super::rates::RateTables;
use crate::date::Date;
use crate::money::{Currency, Money};
use jiff::civil::date;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Every table covers 2015-01-01 to 2026-06-30: day offsets from the first.
const LAST_OFFSET: i32 = 4198;

fn day(offset: i32) -> Date {
    date(2015, 1, 1)
        .checked_add(jiff::Span::new().days(offset))
        .unwrap()
}

/// Regimes whose rate for a day does not depend on when the delay began.
fn additive_regime() -> impl Strategy<Value = Regime> {
    prop_oneof![
        Just(Regime::france_b2b()),
        Just(Regime::france_b2c()),
        Just(Regime::FranceLegal {
            category: LegalRateCategory::NaturalPersonCreditor,
            judgment_enforceable_on: None,
        }),
        (0..LAST_OFFSET).prop_map(|o| Regime::FranceLegal {
            category: LegalRateCategory::Other,
            judgment_enforceable_on: Some(day(o)),
        }),
        Just(Regime::GermanyB2b),
        Just(Regime::GermanyB2c),
        (0..3000_i64).prop_map(|bp| Regime::FranceB2bContractual {
            annual_rate: Decimal::new(bp, 2)
        }),
        (0..3000_i64).prop_map(|bp| Regime::FixedRate {
            annual_rate: Decimal::new(bp, 2)
        }),
    ]
}

/// Every regime, including those fixed by the start of the delay.
fn any_regime() -> impl Strategy<Value = Regime> {
    prop_oneof![
        additive_regime(),
        Just(Regime::UkCommercial),
        Just(Regime::FranceB2bStatutory {
            reading: FrenchRateReading::FrozenAtDueDate
        }),
    ]
}

fn request(regime: Regime, principal: i64, due: Date, as_of: Date) -> InterestRequest {
    // The UK rate is in pounds; the currency does not change the arithmetic.
    let currency = if regime == Regime::UkCommercial {
        Currency::GBP
    } else {
        Currency::EUR
    };
    InterestRequest {
        principal: Money::from_minor(principal, currency),
        due_date: due,
        as_of,
        payments: vec![],
        regime,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn zero_up_to_the_due_date(
        regime in any_regime(),
        principal in 1..10_000_000_i64,
        due in 0..=LAST_OFFSET,
        back in 0..400_i32,
    ) {
        let tables = RateTables::embedded().unwrap();
        let due = day(due);
        let as_of = due.checked_sub(jiff::Span::new().days(back)).unwrap();
        let r = late_interest(&request(regime, principal, due, as_of), &tables).unwrap();
        prop_assert!(r.periods.is_empty());
        prop_assert_eq!(r.total_unrounded, Decimal::ZERO);
        prop_assert!(r.total.is_zero());
    }

    #[test]
    fn never_decreases_with_time(
        regime in any_regime(),
        principal in 1..10_000_000_i64,
        due in 0..LAST_OFFSET,
        a in 0..=LAST_OFFSET,
        b in 0..=LAST_OFFSET,
    ) {
        let tables = RateTables::embedded().unwrap();
        let (earlier, later) = (a.min(b), a.max(b));
        let first = late_interest(&request(regime, principal, day(due), day(earlier)), &tables).unwrap();
        let second = late_interest(&request(regime, principal, day(due), day(later)), &tables).unwrap();
        prop_assert!(first.total_unrounded <= second.total_unrounded,
            "{} then {}", first.total_unrounded, second.total_unrounded);
        prop_assert!(first.total.minor() <= second.total.minor());
    }

    #[test]
    fn additive_over_split_periods(
        regime in additive_regime(),
        principal in 100..10_000_000_i64,
        mut points in proptest::collection::vec(0..=LAST_OFFSET, 3),
        payment in proptest::option::of((0..=LAST_OFFSET, 1..100_i64)),
    ) {
        points.sort_unstable();
        let (due, split, end) = (day(points[0]), day(points[1]), day(points[2]));
        let payments: Vec<PartPayment> = payment
            .map(|(when, share)| PartPayment {
                date: day(when),
                amount: Money::from_minor(principal * share / 100, Currency::EUR),
            })
            .filter(|p| p.amount.is_positive())
            .into_iter()
            .collect();
        let tables = RateTables::embedded().unwrap();
        let run = |from: Date, to: Date| {
            let mut r = request(regime, principal, from, to);
            r.payments = payments.clone();
            late_interest(&r, &tables).unwrap().total_unrounded
        };
        let whole = run(due, end);
        let parts = run(due, split) + run(split, end);
        // Equal up to Decimal's 28 significant digits (a division by 365 never terminates).
        prop_assert!((whole - parts).abs() < Decimal::new(1, 15), "{whole} vs {parts}");
    }
}

#[test]
fn splitting_at_a_half_year_adds_up_exactly_here() {
    // A concrete instance of additivity: the domain-rules example split on 30 June.
    // 1200 × 13.15 × 10 / 36500 + 1200 × 12.15 × 10 / 36500 = 8.3178082…
    let tables = RateTables::embedded().unwrap();
    let run = |from, to| {
        late_interest(&request(Regime::france_b2b(), 120_000, from, to), &tables)
            .unwrap()
            .total_unrounded
    };
    let whole = run(date(2025, 6, 20), date(2025, 7, 10));
    let parts =
        run(date(2025, 6, 20), date(2025, 6, 30)) + run(date(2025, 6, 30), date(2025, 7, 10));
    assert!((whole - parts).abs() < Decimal::new(1, 20));
    assert_eq!(whole.round_dp(2), Decimal::new(832, 2));
}
