//! Terms of sale and formal notices (migration 0009): stored and read back the same on
//! every backend, imported from the claims CSV, and read by the law engine — the agreed
//! rate replaces the statutory one, and a consumer owes legal-rate interest only from the
//! day after the formal notice is received.

use super::*;
use app::audit::Actor;
use app::contract::{DeliveryUpdate, NoticeInput, NoticeRef};
use app::store::{NoticeFilter, NoticeSender, StoredNotice, StoredTerms, TermsScope};
use domain::law::{ContractTerms, InterestStart, PenaltyRate, RateTables};

fn clock(y: i16, m: i8, day: i8) -> FixedClock {
    FixedClock(d(y, m, day))
}

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

/// Terms per creditor and per claim keep every field; an empty set deletes the row;
/// notices keep every field, one per action of the run, filtered by debtor, action and
/// tracking number.
pub async fn terms_and_notices_round_trip(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = tx.insert_debtor(&sample_debtor(c.id, "A")).await.unwrap();
    let claim = tx
        .insert_claim(&sample_claim(c.id, a, "F1", d(2026, 2, 15)))
        .await
        .unwrap();
    let full = ContractTerms {
        penalty_rate: Some(PenaltyRate::parse("3x legal").unwrap()),
        indemnity: Some("60.50".parse().unwrap()),
        payment_term: Some("45d eom".parse().unwrap()),
        due_date_is_notice: Some(false),
    };
    let creditor_terms = StoredTerms {
        scope: TermsScope::Creditor,
        owner_id: c.id.0,
        terms: full,
        updated_at: NOW.into(),
    };
    tx.set_contract_terms(&creditor_terms).await.unwrap();
    let claim_terms = StoredTerms {
        scope: TermsScope::Claim,
        owner_id: claim.0,
        terms: ContractTerms {
            penalty_rate: Some(PenaltyRate::parse("ecb+7.5").unwrap()),
            ..ContractTerms::default()
        },
        updated_at: NOW.into(),
    };
    tx.set_contract_terms(&claim_terms).await.unwrap();
    // Replacing keeps one row.
    tx.set_contract_terms(&claim_terms).await.unwrap();
    assert_eq!(
        tx.contract_terms(TermsScope::Creditor, None).await.unwrap(),
        vec![creditor_terms.clone()]
    );
    assert_eq!(
        tx.contract_terms(TermsScope::Claim, Some(claim.0))
            .await
            .unwrap(),
        vec![claim_terms.clone()]
    );
    let stored_claim = tx.claim(claim).await.unwrap().unwrap();
    let merged = app::contract::claim_terms(tx.as_mut(), &stored_claim)
        .await
        .unwrap();
    assert_eq!(merged.penalty_rate, claim_terms.terms.penalty_rate);
    assert_eq!(merged.indemnity, full.indemnity);
    tx.set_contract_terms(&StoredTerms {
        terms: ContractTerms::default(),
        ..claim_terms.clone()
    })
    .await
    .unwrap();
    assert!(
        tx.contract_terms(TermsScope::Claim, None)
            .await
            .unwrap()
            .is_empty()
    );

    let notice = StoredNotice {
        id: 0,
        debtor_id: a,
        action_id: None,
        claims: vec![claim],
        sent_by: NoticeSender::Hand,
        sent_on: d(2026, 3, 2),
        tracking_number: Some("1A12345678901".into()),
        presented_on: Some(d(2026, 3, 4)),
        received_on: None,
        returned_on: None,
        proof: Some("ar-1A12345678901.pdf".into()),
        note: Some("« lettre recommandée »".into()),
        recorded_by: "alice".into(),
        recorded_at: NOW.into(),
        updated_at: NOW.into(),
    };
    let id = tx.insert_notice(&notice).await.unwrap().unwrap();
    let stored = StoredNotice {
        id,
        ..notice.clone()
    };
    let by = |filter: NoticeFilter| async move {
        let mut tx = store.begin().await.unwrap();
        tx.notices(&filter).await.unwrap()
    };
    tx.commit().await.unwrap();
    assert_eq!(
        by(NoticeFilter {
            debtor: Some(a),
            ..NoticeFilter::default()
        })
        .await,
        vec![stored.clone()]
    );
    assert_eq!(
        by(NoticeFilter {
            tracking_number: Some("1A12345678901".into()),
            ..NoticeFilter::default()
        })
        .await,
        vec![stored.clone()]
    );
    let mut tx = store.begin().await.unwrap();
    let received = StoredNotice {
        received_on: Some(d(2026, 3, 5)),
        updated_at: "2026-03-06T09:00:00Z".into(),
        ..stored.clone()
    };
    assert!(tx.update_notice(&received).await.unwrap());
    assert!(
        !tx.update_notice(&StoredNotice {
            id: id + 100,
            ..received.clone()
        })
        .await
        .unwrap()
    );
    assert_eq!(
        tx.notices(&NoticeFilter {
            id: Some(id),
            ..NoticeFilter::default()
        })
        .await
        .unwrap(),
        vec![received]
    );
    // Issue 18: a letter returned not collected keeps its day.
    let returned = StoredNotice {
        received_on: None,
        returned_on: Some(d(2026, 3, 20)),
        ..stored.clone()
    };
    assert!(tx.update_notice(&returned).await.unwrap());
    assert_eq!(
        tx.notices(&NoticeFilter {
            id: Some(id),
            ..NoticeFilter::default()
        })
        .await
        .unwrap(),
        vec![returned]
    );
}

/// The consumer case: €1,500.00 due 2025-01-10, no notice, as of 2025-09-10 — no
/// interest (claiming 34.24 € from 2025-01-11 was the overcharge). A notice sent by hand
/// on 2025-03-01 and first presented on 2025-03-03 makes interest run from 2025-03-04, at
/// the legal rate "other cases" (2025 S1 3.71 %, S2 2.76 %):
/// 4 March – 30 June = 28 + 30 + 31 + 30 = 119 days: 1500 × 3.71 × 119 / 36500 = 18.14342;
/// 1 July – 10 September = 31 + 31 + 10 = 72 days: 1500 × 2.76 × 72 / 36500 = 8.16658;
/// total 26.31000 → €26.31.
pub async fn consumer_interest_runs_from_the_formal_notice(store: &dyn Store) {
    let tables = RateTables::embedded().unwrap();
    let csv = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount\n\
               P1;Jeanne Martin;person;F-100;2024-12-10;2025-01-10;1500,00\n";
    let today = clock(2025, 9, 10);
    import_claims(
        store,
        &today,
        "b2c.csv",
        csv.as_bytes(),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    let (debtor, claim) = {
        let mut tx = store.begin().await.unwrap();
        let debtor = tx.debtors(None).await.unwrap()[0].id;
        let claim = tx.claims_of_debtor(debtor).await.unwrap()[0].id;
        (debtor, claim)
    };
    let penalties = |as_of: Date| {
        let tables = &tables;
        async move {
            let mut tx = store.begin().await.unwrap();
            app::law::claim_penalties(tx.as_mut(), claim, as_of, tables)
                .await
                .unwrap()
        }
    };
    let before = penalties(d(2025, 9, 10)).await;
    assert_eq!(before.interest_total(), eur(0));
    assert!(
        matches!(&before.interest_start, Some(InterestStart::NotYet { reason }) if reason.code == "fr.interest.no_notice"),
        "{:?}",
        before.interest_start
    );

    let actor = Actor("alice".into());
    // Bad input changes nothing: a notice sent in the future, or received before it was
    // sent, or naming a claim of nobody.
    let input = NoticeInput {
        debtor: Some(debtor),
        claims: vec![claim],
        sent_by: Some(NoticeSender::Hand),
        facts: DeliveryUpdate {
            sent_on: Some(d(2025, 3, 1)),
            tracking_number: Some("1A00000000042".into()),
            ..DeliveryUpdate::default()
        },
    };
    for bad in [
        NoticeInput {
            facts: DeliveryUpdate {
                sent_on: Some(d(2025, 9, 11)),
                ..input.facts.clone()
            },
            ..input.clone()
        },
        NoticeInput {
            facts: DeliveryUpdate {
                presented_on: Some(d(2025, 2, 28)),
                ..input.facts.clone()
            },
            ..input.clone()
        },
        NoticeInput {
            claims: vec![ClaimId(claim.0 + 99)],
            ..input.clone()
        },
    ] {
        let e = app::audit::record_notice(store, &today, &actor, &bad)
            .await
            .unwrap_err();
        assert!(matches!(e, app::AppError::Invalid(_)), "{e}");
    }
    let notice = app::audit::record_notice(store, &today, &actor, &input)
        .await
        .unwrap();
    // Sent, delivery unknown: still nothing, and the reason says so.
    let sent = penalties(d(2025, 9, 10)).await;
    assert_eq!(sent.interest_total(), eur(0));
    assert!(
        matches!(&sent.interest_start, Some(InterestStart::NotYet { reason }) if reason.code == "fr.interest.notice_not_received")
    );

    // The postal tracking file: a line naming an unknown letter refuses the whole file.
    let bad_file = "tracking_number;presented_on\n1A00000000042;03/03/2025\n9Z999;04/03/2025\n";
    let e = app::audit::import_tracking(store, &today, &actor, "suivi.csv", bad_file.as_bytes())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("suivi.csv: line 3"), "{e}");
    assert_eq!(penalties(d(2025, 9, 10)).await.interest_total(), eur(0));
    let good_file =
        "tracking_number;presented_on;received_on\n1A00000000042;03/03/2025;05/03/2025\n";
    let lines =
        app::audit::import_tracking(store, &today, &actor, "suivi.csv", good_file.as_bytes())
            .await
            .unwrap();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].changed);
    let after = penalties(d(2025, 9, 10)).await;
    assert_eq!(
        after.interest_start,
        Some(InterestStart::FormalNotice {
            notice_id: notice.id,
            date: d(2025, 3, 3)
        })
    );
    assert_eq!(after.interest_total(), eur(26_31));
    // The audit log has the notice and the tracking import.
    let mut tx = store.begin().await.unwrap();
    let audit: Vec<String> = tx
        .audit_entries(10, None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(audit, vec!["notice.tracking_import", "notice.record"]);
}

/// A B2B claim imported with `penalty_rate = 12%` is charged 12 % as is (above the 2026
/// S1 floor of 3 × 2.62 = 7.86 %): €1,000.00 due 2026-01-31, as of 2026-03-02, 30 days:
/// 1000 × 12 × 30 / 36500 = 9.86301 → €9.86; with the creditor's terms at 5 % and nothing
/// on the claim, the floor 7.86 %: 1000 × 7.86 × 30 / 36500 = 6.46027 → €6.46. A second
/// file without the column keeps the claim's own rate; the indemnity agreed at €60 replaces
/// the €40.
pub async fn agreed_terms_reach_the_law_engine(store: &dyn Store) {
    let tables = RateTables::embedded().unwrap();
    let today = clock(2026, 3, 2);
    let csv = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount;penalty_rate;indemnity\n\
               B1;Transports Blanc SAS;company;F-1;2026-01-01;2026-01-31;1000,00;12 %;60\n\
               B1;Transports Blanc SAS;company;F-2;2026-01-01;2026-01-31;1000,00;;\n";
    import_claims(
        store,
        &today,
        "b2b.csv",
        csv.as_bytes(),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let creditor = tx.creditors().await.unwrap()[0].id;
    let claims = tx.claims(None).await.unwrap();
    drop(tx);
    let id = |n: &str| claims.iter().find(|c| c.number.as_str() == n).unwrap().id;
    app::audit::set_terms(
        store,
        &today,
        &Actor("cli:test".into()),
        TermsScope::Creditor,
        creditor.0,
        &ContractTerms {
            penalty_rate: Some(PenaltyRate::parse("5%").unwrap()),
            ..ContractTerms::default()
        },
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let own = app::law::claim_penalties(tx.as_mut(), id("F-1"), d(2026, 3, 2), &tables)
        .await
        .unwrap();
    assert_eq!(own.regime, Some("fr_b2b_contractual"));
    assert_eq!(own.interest_total(), eur(9_86));
    assert_eq!(own.indemnity.as_ref().unwrap().amount, eur(60_00));
    let creditors = app::law::claim_penalties(tx.as_mut(), id("F-2"), d(2026, 3, 2), &tables)
        .await
        .unwrap();
    assert_eq!(creditors.interest_total(), eur(6_46));
    assert!(
        creditors.interest.as_ref().unwrap().periods[0]
            .basis
            .floor_applied
    );
    assert_eq!(creditors.indemnity.as_ref().unwrap().amount, eur(40_00));
    drop(tx);

    // The same rows without the terms columns: the claim's own terms stay.
    let again = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount\n\
                 B1;Transports Blanc SAS;company;F-1;2026-01-01;2026-01-31;1000,00\n";
    import_claims(
        store,
        &today,
        "b2b-2.csv",
        again.as_bytes(),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let own = app::law::claim_penalties(tx.as_mut(), id("F-1"), d(2026, 3, 2), &tables)
        .await
        .unwrap();
    assert_eq!(own.interest_total(), eur(9_86));
}

/// The formal notice the run decides is listed from its action until its delivery is
/// recorded, which stores it (once), and a skipped action is no notice.
pub async fn run_notices_are_listed_and_take_their_delivery(store: &dyn Store) {
    use crate::dunning_cases::*;
    let p = build(store, Some(as_of())).await;
    run(store, as_of(), app::dunning::RunOptions::default()).await;
    let listed = {
        let mut tx = store.begin().await.unwrap();
        app::contract::notices(tx.as_mut(), Some(p.debtors["B"]))
            .await
            .unwrap()
    };
    assert_eq!(listed.len(), 1, "{listed:?}");
    let action = listed[0].action_id.unwrap();
    assert_eq!(listed[0].id, 0);
    assert_eq!(listed[0].sent_by, NoticeSender::Run);
    assert_eq!(listed[0].sent_on, as_of());
    assert_eq!(listed[0].claims, vec![p.claims["B1"], p.claims["B2"]]);

    let later = clock(2026, 6, 15);
    let actor = Actor("bob".into());
    let update = DeliveryUpdate {
        tracking_number: Some("1A55".into()),
        presented_on: Some(d(2026, 6, 12)),
        ..DeliveryUpdate::default()
    };
    let stored =
        app::audit::update_notice(store, &later, &actor, NoticeRef::Action(action), &update)
            .await
            .unwrap();
    assert!(stored.id > 0);
    let again = app::audit::update_notice(
        store,
        &later,
        &actor,
        NoticeRef::Action(action),
        &DeliveryUpdate {
            received_on: Some(d(2026, 6, 13)),
            ..DeliveryUpdate::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(again.id, stored.id);
    assert_eq!(again.presented_on, Some(d(2026, 6, 12)));
    assert_eq!(again.received_on, Some(d(2026, 6, 13)));
    // A letter whose receipt is signed was not returned: refused, nothing changed.
    let refused = app::audit::update_notice(
        store,
        &later,
        &actor,
        NoticeRef::Id(stored.id),
        &DeliveryUpdate {
            returned_on: Some(d(2026, 6, 14)),
            ..DeliveryUpdate::default()
        },
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(refused.contains("returned_on"), "{refused}");
    // A presentation in the future is refused and changes nothing.
    assert!(
        app::audit::update_notice(
            store,
            &later,
            &actor,
            NoticeRef::Id(stored.id),
            &DeliveryUpdate {
                presented_on: Some(d(2026, 6, 16)),
                ..DeliveryUpdate::default()
            },
        )
        .await
        .is_err()
    );
    let mut tx = store.begin().await.unwrap();
    let listed = app::contract::notices(tx.as_mut(), Some(p.debtors["B"]))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, stored.id);
    assert_eq!(listed[0].presented_on, Some(d(2026, 6, 12)));
}

/// A write-off keeps its reason in the ledger and the audit log; it never writes off more
/// than is open, and bad input writes nothing. €1,000.00 open: 300.00 written off leaves
/// 700.00; 800.00 more is refused; the rest (700.00) closes the claim as written off.
pub async fn write_offs_keep_their_reason(store: &dyn Store) {
    let today = clock(2026, 3, 2);
    let csv = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount\n\
               W1;Transports Weber SARL;company;F-9;2026-01-01;2026-01-31;1000,00\n";
    import_claims(
        store,
        &today,
        "w.csv",
        csv.as_bytes(),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    let claim = {
        let mut tx = store.begin().await.unwrap();
        tx.claims(None).await.unwrap()[0].id
    };
    let actor = Actor("manager".into());
    let open = || async {
        let mut tx = store.begin().await.unwrap();
        let entries = tx.ledger_entries(claim).await.unwrap();
        ClaimLedger::from_entries(Currency::EUR, entries).balance_as_of(d(2026, 3, 2))
    };
    let written = app::audit::write_off(
        store,
        &today,
        &actor,
        claim,
        Some(eur(300_00)),
        " debtor insolvent ",
    )
    .await
    .unwrap();
    assert_eq!(written, eur(300_00));
    assert_eq!(open().await, eur(700_00));
    for (amount, reason) in [
        (Some(eur(800_00)), "too much"),
        (None, "  "),
        (Some(eur(0)), "zero"),
    ] {
        assert!(
            app::audit::write_off(store, &today, &actor, claim, amount, reason)
                .await
                .is_err(),
            "{amount:?} {reason:?}"
        );
    }
    assert_eq!(open().await, eur(700_00), "refusals wrote nothing");
    let rest = app::audit::write_off(store, &today, &actor, claim, None, "settlement agreed")
        .await
        .unwrap();
    assert_eq!(rest, eur(700_00));
    let mut tx = store.begin().await.unwrap();
    let c = tx.claim(claim).await.unwrap().unwrap();
    let ledger = ClaimLedger::from_entries(Currency::EUR, tx.ledger_entries(claim).await.unwrap());
    assert_eq!(
        ledger.status(&c, d(2026, 3, 2)),
        domain::ClaimStatus::WrittenOff
    );
    let offs: Vec<(i64, Option<String>)> = ledger
        .entries()
        .iter()
        .filter(|e| e.kind == EntryKind::WriteOff)
        .map(|e| (e.amount_minor, e.reference.clone()))
        .collect();
    assert_eq!(
        offs,
        vec![
            (-300_00, Some("write-off: debtor insolvent".into())),
            (-700_00, Some("write-off: settlement agreed".into())),
        ]
    );
    let audit: Vec<String> = tx
        .audit_entries(10, None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(audit, vec!["claim.write_off", "claim.write_off"]);
    drop(tx);
    // Nothing left: a third write-off is refused.
    assert!(
        app::audit::write_off(store, &today, &actor, claim, None, "again")
            .await
            .is_err()
    );
}

/// Interest and indemnity claimed by hand enter the ledger once; a later partial payment
/// settles them before the principal (C. civ. 1343-1), and the interest then runs on the
/// principal left, not on the principal less the whole payment. A consumer owes nothing
/// before the formal notice: posting is refused and nothing is written.
///
/// Worked by hand (domain-rules.md §3, C1–C4; B2B France 2026 S1 = ECB 2.15 + 10 =
/// 12.15 %): €1,000.00 due 2026-01-31.
/// - As of 2026-03-02, 30 days: 1000 × 12.15 × 30 / 36500 = 9.98630 → €9.99, and €40.
/// - 500.00 paid 2026-03-12: 9.99 interest, 40.00 indemnity, 450.01 principal; 549.99 open.
/// - As of 2026-04-01: 1000 × 12.15 × 40 / 36500 = 13.31507 (to 12 March) + 549.99 ×
///   12.15 × 20 / 36500 = 3.66158 → €16.98 in all; 16.98 − 9.99 posted = €6.99 still to
///   claim. (Had the payment gone all on principal, 500 × 12.15 × 20 / 36500 = 3.32877 →
///   €16.64.)
pub async fn charges_are_posted_once_and_paid_first(store: &dyn Store) {
    let tables = RateTables::embedded().unwrap();
    let today = clock(2026, 3, 2);
    let csv = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount\n\
               P1;Menuiserie Petit SARL;company;F-1;2026-01-01;2026-01-31;1000,00\n\
               C1;Claire Dubois;person;F-2;2026-01-01;2026-01-31;1000,00\n";
    import_claims(
        store,
        &today,
        "c.csv",
        csv.as_bytes(),
        &ImportOptions::default(),
    )
    .await
    .unwrap();
    let claims = {
        let mut tx = store.begin().await.unwrap();
        tx.claims(None).await.unwrap()
    };
    let id = |n: &str| claims.iter().find(|c| c.number.as_str() == n).unwrap().id;
    let actor = Actor("manager".into());
    let entries = |claim| async move {
        let mut tx = store.begin().await.unwrap();
        tx.ledger_entries(claim).await.unwrap()
    };

    let posted = app::audit::post_charges(store, &today, &actor, id("F-1"), &tables)
        .await
        .unwrap();
    assert_eq!((posted.interest, posted.indemnity), (eur(9_99), eur(40_00)));
    let ledger = ClaimLedger::from_entries(Currency::EUR, entries(id("F-1")).await);
    assert_eq!(ledger.balance_as_of(d(2026, 3, 2)), eur(1_049_99));
    // Claimed once: the same day, nothing more to post, nothing written.
    let again = app::audit::post_charges(store, &today, &actor, id("F-1"), &tables).await;
    assert!(again.is_err());
    assert_eq!(entries(id("F-1")).await.len(), 3);

    // 500.00 paid on 12 March: interest and indemnity first.
    let mut tx = store.begin().await.unwrap();
    let mut ledger =
        ClaimLedger::from_entries(Currency::EUR, tx.ledger_entries(id("F-1")).await.unwrap());
    let before = ledger.entries().len();
    let b =
        domain::matching::allocate::post_payment(&mut ledger, eur(500_00), d(2026, 3, 12), None)
            .unwrap();
    assert_eq!(
        (b.interest, b.indemnity, b.principal),
        (eur(9_99), eur(40_00), eur(450_01))
    );
    tx.append_entries(id("F-1"), &ledger.entries()[before..], NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let p = app::law::claim_penalties(tx.as_mut(), id("F-1"), d(2026, 4, 1), &tables)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(p.interest_total(), eur(16_98));
    assert_eq!(p.interest_posted, eur(9_99));
    assert_eq!(p.interest_to_post(), eur(6_99));
    assert_eq!(p.indemnity_to_post(), eur(0));
    assert_eq!(
        (p.principal_due(), p.interest_due(), p.indemnity_due()),
        (eur(549_99), eur(6_99), eur(0))
    );

    // The consumer, no formal notice: no interest yet, no indemnity (B2C): refused.
    let e = app::audit::post_charges(store, &today, &actor, id("F-2"), &tables)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("F-2"), "{e}");
    assert_eq!(entries(id("F-2")).await.len(), 1);
}
