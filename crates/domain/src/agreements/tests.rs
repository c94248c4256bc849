//! Expected values worked by hand in the comments.

use super::*;

fn d(y: i16, m: i8, day: i8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

fn request(total: i64) -> ScheduleRequest {
    ScheduleRequest {
        total: eur(total),
        down_payment: None,
        count: None,
        fixed: None,
        every: Frequency::Monthly,
        first: d(2026, 1, 31),
        annual_rate_bp: None,
    }
}

fn dues(s: &[Instalment]) -> Vec<(Date, i64)> {
    s.iter().map(|i| (i.due, i.amount.minor())).collect()
}

#[test]
fn equal_instalments_spread_the_cents_and_keep_the_day_of_month() {
    // 1,000.00 / 3 = 333.33 remainder 0.01: the first instalment takes the cent. Monthly
    // from 31 January: February has no 31st (28 in 2026), March has.
    let s = schedule(&ScheduleRequest {
        count: Some(3),
        ..request(1_000_00)
    })
    .unwrap();
    assert_eq!(
        dues(&s),
        vec![
            (d(2026, 1, 31), 333_34),
            (d(2026, 2, 28), 333_33),
            (d(2026, 3, 31), 333_33)
        ]
    );
}

#[test]
fn down_payment_then_fixed_instalments() {
    // 1,000.00 − 100.00 down = 900.00 in instalments of 400.00: 400, 400, 100; the down
    // payment on the first day, the instalments a month apart after it.
    let s = schedule(&ScheduleRequest {
        down_payment: Some(eur(100_00)),
        fixed: Some(eur(400_00)),
        first: d(2026, 1, 10),
        ..request(1_000_00)
    })
    .unwrap();
    assert_eq!(
        dues(&s),
        vec![
            (d(2026, 1, 10), 100_00),
            (d(2026, 2, 10), 400_00),
            (d(2026, 3, 10), 400_00),
            (d(2026, 4, 10), 100_00)
        ]
    );
}

#[test]
fn interest_on_the_remaining_principal() {
    // 1,200.00 in 2 monthly instalments at 12 % a year, 30/360: first period on 1,200.00:
    // 1,200.00 × 12 % × 30/360 = 12.00 → 612.00; second on 600.00: 6.00 → 606.00.
    let s = schedule(&ScheduleRequest {
        count: Some(2),
        annual_rate_bp: Some(1_200),
        ..request(1_200_00)
    })
    .unwrap();
    assert_eq!(
        s.iter()
            .map(|i| (i.amount.minor(), i.interest.minor()))
            .collect::<Vec<_>>(),
        vec![(612_00, 12_00), (606_00, 6_00)]
    );
}

#[test]
fn bad_requests_are_refused() {
    assert!(
        schedule(&request(1_000_00)).is_err(),
        "neither count nor fixed"
    );
    assert!(
        schedule(&ScheduleRequest {
            count: Some(0),
            ..request(1_000_00)
        })
        .is_err()
    );
    assert!(
        schedule(&ScheduleRequest {
            count: Some(2),
            down_payment: Some(eur(1_000_00)),
            ..request(1_000_00)
        })
        .is_err(),
        "a down payment of the whole total"
    );
}

/// Six monthly instalments of 100.00 from 15 January 2026, 5 days' grace, agreed on
/// 1 January.
fn six_months() -> Plan {
    let instalments = schedule(&ScheduleRequest {
        count: Some(6),
        first: d(2026, 1, 15),
        ..request(600_00)
    })
    .unwrap();
    Plan {
        debtor_id: DebtorId(1),
        claims: vec![ClaimId(1)],
        currency: Currency::EUR,
        instalments,
        grace_days: 5,
        court_ordered: false,
        agreed_on: d(2026, 1, 1),
        channel: "phone".into(),
        agreed_by: "alice".into(),
        mandate: None,
        co_debtors: vec![],
        consents: vec![],
        status: PlanStatus::Active,
        closed_on: None,
    }
}

#[test]
fn a_late_payment_inside_the_grace_period_keeps_the_plan() {
    // February's instalment (due 15 Feb) paid on the 18th: within 5 days of grace.
    let plan = six_months();
    let paid = [
        (d(2026, 1, 15), eur(100_00)),
        (d(2026, 2, 18), eur(100_00)),
        (d(2026, 3, 15), eur(100_00)),
    ];
    let p = plan_progress(&plan, &paid, d(2026, 3, 31));
    assert_eq!(
        (p.status, p.met, p.broken_on),
        (PlanStatus::Active, 3, None)
    );
    assert_eq!(p.next, Some((d(2026, 4, 15), eur(100_00))));
    // April's is missed. On 20 April (15 + 5) the grace runs still; on the 21st the plan
    // is broken, as of that day.
    assert_eq!(
        plan_progress(&plan, &paid, d(2026, 4, 20)).status,
        PlanStatus::Active
    );
    let broken = plan_progress(&plan, &paid, d(2026, 4, 21));
    assert_eq!(
        (broken.status, broken.broken_on),
        (PlanStatus::Broken, Some(d(2026, 4, 21)))
    );
}

#[test]
fn a_partial_instalment_carries_over() {
    // 150.00 on 15 Jan covers January and half of February; 50.00 on 15 Feb completes it:
    // by 20 Feb, 200.00 paid = 2 × 100.00 due. Nothing more: March (due 15, grace to 20)
    // is missed on the 21st.
    let plan = six_months();
    let paid = [(d(2026, 1, 15), eur(150_00)), (d(2026, 2, 15), eur(50_00))];
    let p = plan_progress(&plan, &paid, d(2026, 3, 1));
    assert_eq!((p.status, p.met), (PlanStatus::Active, 2));
    assert_eq!(p.covered[..3], [eur(100_00), eur(100_00), eur(0)]);
    let p = plan_progress(&plan, &paid, d(2026, 3, 21));
    assert_eq!(p.broken_on, Some(d(2026, 3, 21)));
    // Payments before the agreement do not count.
    let early = [(d(2025, 12, 31), eur(600_00))];
    assert_eq!(plan_progress(&plan, &early, d(2026, 1, 2)).paid, eur(0));
}

#[test]
fn a_fully_paid_plan_is_completed() {
    let plan = six_months();
    let paid = [(d(2026, 1, 10), eur(600_00))];
    assert_eq!(
        plan_progress(&plan, &paid, d(2026, 1, 10)).status,
        PlanStatus::Completed
    );
}

#[test]
fn consents_missing_are_named() {
    let mut plan = six_months();
    plan.co_debtors = vec![DebtorId(2), DebtorId(3)];
    plan.consents = vec![Consent {
        debtor_id: DebtorId(3),
        on: d(2026, 1, 2),
        channel: "letter".into(),
    }];
    assert_eq!(missing_consents(&plan), vec![DebtorId(2)]);
}

#[test]
fn promises_are_judged_after_their_day() {
    // 500.00 promised for 10 March, no grace.
    let promise = Promise {
        debtor_id: DebtorId(1),
        claims: vec![],
        amount: eur(500_00),
        due: d(2026, 3, 10),
        made_on: d(2026, 3, 1),
        channel: "phone".into(),
        note: String::new(),
        status: PromiseStatus::Open,
        closed_on: None,
    };
    assert_eq!(
        promise_status(&promise, eur(0), d(2026, 3, 10), 0),
        PromiseStatus::Open
    );
    assert_eq!(
        promise_status(&promise, eur(0), d(2026, 3, 11), 0),
        PromiseStatus::Broken
    );
    assert_eq!(
        promise_status(&promise, eur(200_00), d(2026, 3, 11), 0),
        PromiseStatus::PartlyKept
    );
    assert_eq!(
        promise_status(&promise, eur(500_00), d(2026, 3, 5), 0),
        PromiseStatus::Kept
    );
    // Two days' grace: still open on the 12th.
    assert_eq!(
        promise_status(&promise, eur(0), d(2026, 3, 12), 2),
        PromiseStatus::Open
    );
}

#[test]
fn dispute_reasons_parse_in_both_languages() {
    assert_eq!(
        DisputeReason::parse("not-received"),
        Some(DisputeReason::NotReceived)
    );
    assert_eq!(
        DisputeReason::parse("déjà payé"),
        Some(DisputeReason::AlreadyPaid)
    );
    assert_eq!(DisputeReason::parse("prix"), Some(DisputeReason::Price));
    assert_eq!(DisputeReason::parse("weather"), None);
}
