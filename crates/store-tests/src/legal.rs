//! Legal files (issue 18, migration 0015): the amounts frozen at opening, the refusals,
//! the stages with their deadlines and limitation events, the costs and payments, the
//! post-judgment interest and the run's tasks. Expected figures worked by hand from
//! shared/domain-rules.md (§1 worked example, §2.1 legal rates, §4, §7).

use super::{NOW, d, sample_claim, sample_debtor};
use app::audit::Actor;
use app::clock::FixedClock;
use app::legal::{CostInput, CostKind, ExhibitInput, OpenRequest, PaymentInput, StageInput};
use app::store::{LegalFileFilter, LegalFileState, Store};
use domain::law::judicial::{DeadlineKind, Decision, Outcome, StageKind};
use domain::law::{EventKind, RateTables, Route};
use domain::money::Currency;
use domain::{ClaimId, ClaimLedger, CreditorId, Date, DebtorId, EntryKind, Money, Segment};

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

async fn invoice(
    store: &dyn Store,
    creditor: CreditorId,
    debtor: DebtorId,
    number: &str,
    issued: Date,
    due: Date,
    amount: i64,
) -> ClaimId {
    let mut tx = store.begin().await.unwrap();
    let mut claim = sample_claim(creditor, debtor, number, due);
    claim.issue_date = issued;
    let id = tx.insert_claim(&claim).await.unwrap();
    let mut l = ClaimLedger::new(Currency::EUR);
    l.post(EntryKind::Invoice, eur(amount), issued, None)
        .unwrap();
    tx.append_entries(id, l.entries(), NOW).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn ip() -> Decision {
    Decision::Litigate {
        route: Route::InjonctionDePayer,
    }
}

fn stage(kind: StageKind, on: Date) -> StageInput {
    StageInput {
        kind,
        on,
        outcome: None,
        reference: None,
        note: None,
    }
}

async fn rows(store: &dyn Store) -> (usize, usize) {
    let mut tx = store.begin_read().await.unwrap();
    let files = tx.legal_files(&LegalFileFilter::default()).await.unwrap();
    let audit = tx.audit_entries(1000, None).await.unwrap();
    (
        files.len(),
        audit
            .iter()
            .filter(|a| a.action.starts_with("legal."))
            .count(),
    )
}

/// A file on the worked example of domain-rules.md §1 (€1,200.00 due 2025-06-20, as of
/// 2025-07-10: €8.32 interest at 13.15 % then 12.15 %, and €40) freezes exactly those
/// amounts with their basis; a consumer's claim without a formal notice is refused with
/// the reason and writes nothing; a claim already in an open file cannot be taken twice.
pub async fn legal_file_freezes_the_amounts_and_refuses_without_notice(store: &dyn Store) {
    let tables = RateTables::embedded().unwrap();
    let actor = Actor("cli:test".into());
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let b2b = tx.insert_debtor(&sample_debtor(c.id, "A")).await.unwrap();
    let mut consumer = sample_debtor(c.id, "P");
    consumer.segment = Segment::B2c;
    consumer.kind = domain::DebtorKind::Person;
    consumer.tags.clear();
    let consumer = tx.insert_debtor(&consumer).await.unwrap();
    tx.commit().await.unwrap();
    let claim = invoice(
        store,
        c.id,
        b2b,
        "F-1200",
        d(2025, 5, 21),
        d(2025, 6, 20),
        1_200_00,
    )
    .await;
    let consumer_claim = invoice(
        store,
        c.id,
        consumer,
        "F-C1",
        d(2025, 5, 1),
        d(2025, 6, 1),
        300_00,
    )
    .await;
    let clock = FixedClock(d(2025, 7, 10));

    // The consumer: refused, nothing written.
    let err = app::legal::open(
        store,
        &clock,
        &tables,
        &actor,
        &OpenRequest {
            debtor: Some(consumer),
            decision: Some(ip()),
            claims: vec![consumer_claim],
            ..OpenRequest::default()
        },
    )
    .await
    .expect_err("a consumer's claim without a formal notice");
    let text = err.to_string();
    assert!(
        text.contains("formal notice") && text.contains("F-C1"),
        "{text}"
    );
    assert_eq!(rows(store).await, (0, 0));

    let file = app::legal::open(
        store,
        &clock,
        &tables,
        &actor,
        &OpenRequest {
            debtor: Some(b2b),
            decision: Some(ip()),
            court: Some("Tribunal de commerce de Lyon".into()),
            ..OpenRequest::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(file.state, LegalFileState::Open);
    assert_eq!(file.data.frozen_on, d(2025, 7, 10));
    let frozen = &file.data.claims[0];
    assert_eq!(frozen.claim_id, claim);
    assert_eq!(frozen.principal, eur(1_200_00));
    assert_eq!(frozen.interest, eur(832));
    assert_eq!(frozen.indemnity, eur(40_00));
    assert_eq!(file.frozen_total(), eur(124_832));
    assert!(
        frozen.interest_basis_fr.contains("13,15 % puis 12,15 %"),
        "{}",
        frozen.interest_basis_fr
    );
    assert!(frozen.interest_basis_fr.contains("L441-10"));
    // The advisor's figures at that moment are kept.
    assert_eq!(file.data.advice.total, eur(124_832));
    assert!(file.data.advice.cost_high.is_some());
    assert_eq!(rows(store).await, (1, 1));

    // Recomputed as of a later day, the interest grows; the frozen figures do not.
    let mut tx = store.begin_read().await.unwrap();
    let later = app::legal::amounts(tx.as_mut(), &file, d(2025, 7, 20), &tables)
        .await
        .unwrap();
    // 30 days: 10 at 13.15 % (4.32329) + 20 at 12.15 % (7.98904) = 12.31233 → €12.31.
    assert_eq!(later.interest, eur(12_31));
    let stored = app::legal::get(tx.as_mut(), file.id).await.unwrap();
    assert_eq!(stored.data.claims[0].interest, eur(832));
    drop(tx);

    // The same claim cannot enter a second open file.
    let err = app::legal::open(
        store,
        &clock,
        &tables,
        &actor,
        &OpenRequest {
            debtor: Some(b2b),
            decision: Some(ip()),
            claims: vec![claim],
            ..OpenRequest::default()
        },
    )
    .await
    .expect_err("already in a file");
    assert!(
        err.to_string().contains("already in an open legal file"),
        "{err}"
    );
    assert_eq!(rows(store).await, (1, 1));
}

/// Stages: the service and opposition deadlines follow the order, bad stages and costs are
/// refused with nothing written, a request interrupts limitation and its withdrawal
/// cancels the interruption (C. civ. 2241, 2243), payments are posted to the ledger.
pub async fn legal_stages_deadlines_and_limitation(store: &dyn Store) {
    let tables = RateTables::embedded().unwrap();
    let actor = Actor("cli:test".into());
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = tx.insert_debtor(&sample_debtor(c.id, "A")).await.unwrap();
    tx.commit().await.unwrap();
    // Due 2021-06-15: commercial limitation 5 years → 2026-06-15 (§4).
    let claim = invoice(
        store,
        c.id,
        a,
        "F-9",
        d(2021, 5, 15),
        d(2021, 6, 15),
        2_000_00,
    )
    .await;
    let at = |y, m, dd| FixedClock(d(y, m, dd));
    let file = app::legal::open(
        store,
        &at(2024, 2, 1),
        &tables,
        &actor,
        &OpenRequest {
            debtor: Some(a),
            decision: Some(ip()),
            ..OpenRequest::default()
        },
    )
    .await
    .unwrap();
    let deadline_of = |when: Date| async move {
        let mut tx = store.begin_read().await.unwrap();
        app::law::limitation_of(tx.as_mut(), &[claim], when, i32::MAX)
            .await
            .unwrap()
            .into_iter()
            .next()
            .map(|l| (l.deadline.deadline, l.deadline.runs_from.kind))
    };
    assert_eq!(
        deadline_of(d(2024, 2, 1)).await,
        Some((d(2026, 6, 15), EventKind::Exigibility))
    );
    app::legal::record_stage(
        store,
        &at(2024, 3, 1),
        &actor,
        file.id,
        &stage(StageKind::RequestFiled, d(2024, 3, 1)),
    )
    .await
    .unwrap();
    let during = deadline_of(d(2024, 3, 2)).await;
    assert_ne!(
        during,
        Some((d(2026, 6, 15), EventKind::Exigibility)),
        "the request interrupts limitation"
    );
    // A stage dated before the previous one: refused, the file unchanged.
    let before = {
        let mut tx = store.begin_read().await.unwrap();
        app::legal::get(tx.as_mut(), file.id).await.unwrap()
    };
    let err = app::legal::record_stage(
        store,
        &at(2024, 3, 5),
        &actor,
        file.id,
        &stage(StageKind::OrderMade, d(2024, 2, 20)),
    )
    .await
    .expect_err("before the request");
    assert!(err.to_string().contains("2024-02-20"), "{err}");
    // A cost in another currency: refused.
    let err = app::legal::add_cost(
        store,
        &at(2024, 3, 5),
        &actor,
        file.id,
        &CostInput {
            kind: CostKind::CourtFee,
            on: d(2024, 3, 1),
            amount: Money::from_minor(35_00, Currency::USD),
            recoverable: true,
            note: None,
        },
    )
    .await
    .expect_err("USD cost on a EUR file");
    assert!(err.to_string().contains("USD"), "{err}");
    // An exhibit that is neither a PDF nor an image: refused.
    let err = app::legal::attach(
        store,
        &at(2024, 3, 5),
        &actor,
        file.id,
        &ExhibitInput {
            title: "Facture".into(),
            dated: None,
            file_name: "facture.docx".into(),
            content: b"PK\x03\x04 not a pdf".to_vec(),
        },
    )
    .await
    .expect_err("a docx");
    assert!(err.to_string().contains("facture.docx"), "{err}");
    {
        let mut tx = store.begin_read().await.unwrap();
        let after = app::legal::get(tx.as_mut(), file.id).await.unwrap();
        assert_eq!(after, before, "refusals write nothing");
        assert!(tx.exhibits(Some(file.id), false).await.unwrap().is_empty());
    }

    // Withdrawn: the interruption is void, the deadline is back to 2026-06-15.
    app::legal::record_stage(
        store,
        &at(2024, 6, 3),
        &actor,
        file.id,
        &stage(StageKind::Withdrawn, d(2024, 6, 3)),
    )
    .await
    .unwrap();
    assert_eq!(
        deadline_of(d(2024, 6, 4)).await,
        Some((d(2026, 6, 15), EventKind::Exigibility))
    );

    // A new request, the order, its service: the deadlines follow.
    for (kind, on) in [
        (StageKind::RequestFiled, d(2024, 7, 1)),
        (StageKind::OrderMade, d(2024, 8, 30)),
    ] {
        app::legal::record_stage(store, &FixedClock(on), &actor, file.id, &stage(kind, on))
            .await
            .unwrap();
    }
    let file_now = |id| async move {
        let mut tx = store.begin_read().await.unwrap();
        app::legal::get(tx.as_mut(), id).await.unwrap()
    };
    // Order made 2024-08-30 → serve by 2025-02-28 (a Friday).
    let f = file_now(file.id).await;
    let dl = f.deadlines().unwrap();
    assert_eq!(dl[0].kind, DeadlineKind::ServeOrder);
    assert_eq!(dl[0].due, d(2025, 2, 28));
    assert_eq!(f.next_deadline, Some(d(2025, 2, 28)));
    // The run raises the task once, 14 days before.
    let run = app::dunning::run(store, &at(2025, 2, 20), Default::default())
        .await
        .unwrap();
    assert_eq!(run.legal_alerts.len(), 1, "{:?}", run.legal_alerts);
    assert!(run.legal_alerts[0].action_id.is_some());
    let again = app::dunning::run(store, &at(2025, 2, 21), Default::default())
        .await
        .unwrap();
    assert_eq!(again.legal_alerts.len(), 1);
    assert!(again.legal_alerts[0].action_id.is_none(), "raised once");
    // The run sends no amicable reminder on a claim in an open file.
    assert!(
        run.actions
            .iter()
            .chain(&again.actions)
            .all(|a| !a.claims.contains(&claim) || a.scenario == app::legal::LEGAL_SCENARIO),
        "{:?}",
        run.actions
    );
    // Served 2025-02-27 → opposition until 2025-03-27 (Thursday).
    app::legal::record_stage(
        store,
        &at(2025, 2, 27),
        &actor,
        file.id,
        &stage(StageKind::OrderServed, d(2025, 2, 27)),
    )
    .await
    .unwrap();
    let f = file_now(file.id).await;
    let dl = f.deadlines().unwrap();
    assert_eq!(
        dl.iter().map(|d| (d.kind, d.due)).collect::<Vec<_>>(),
        [(DeadlineKind::Opposition, d(2025, 3, 27))]
    );
    // A payment collected: posted to the claim's ledger.
    app::legal::record_payment(
        store,
        &at(2025, 3, 10),
        &actor,
        file.id,
        &PaymentInput {
            on: d(2025, 3, 10),
            amount: eur(500_00),
            collected_by: Some("SCP Martin, commissaires de justice".into()),
            note: None,
        },
    )
    .await
    .unwrap();
    let mut tx = store.begin_read().await.unwrap();
    let ledger = ClaimLedger::from_entries(Currency::EUR, tx.ledger_entries(claim).await.unwrap());
    assert_eq!(ledger.balance_as_of(d(2025, 3, 10)), eur(1_500_00));
    drop(tx);
    // More than what is open: refused.
    let err = app::legal::record_payment(
        store,
        &at(2025, 3, 11),
        &actor,
        file.id,
        &PaymentInput {
            on: d(2025, 3, 11),
            amount: eur(1_500_01),
            collected_by: None,
            note: None,
        },
    )
    .await
    .expect_err("too much");
    assert!(err.to_string().contains("1500.00"), "{err}");
    // Enforceable the day after the opposition period; closing needs an outcome.
    app::legal::record_stage(
        store,
        &at(2025, 3, 28),
        &actor,
        file.id,
        &stage(StageKind::Enforceable, d(2025, 3, 28)),
    )
    .await
    .unwrap();
    let err = app::legal::record_stage(
        store,
        &at(2025, 4, 1),
        &actor,
        file.id,
        &stage(StageKind::Closed, d(2025, 4, 1)),
    )
    .await
    .expect_err("no outcome");
    assert!(err.to_string().contains("outcome"), "{err}");
    let mut closing = stage(StageKind::Closed, d(2025, 4, 1));
    closing.outcome = Some(Outcome::Settled);
    let f = app::legal::record_stage(store, &at(2025, 4, 1), &actor, file.id, &closing)
        .await
        .unwrap();
    assert_eq!(f.state, LegalFileState::Closed);
    assert!(f.deadlines().unwrap().is_empty());
    // The title restarted limitation for ten years (CPCE L111-4).
    assert_eq!(
        deadline_of(d(2025, 4, 1)).await.map(|(d, _)| d),
        Some(d(2035, 3, 28))
    );
}

/// After the title, the unpaid principal bears the legal rate, increased by five points
/// the day after two months have run from the day it became enforceable (C. mon. fin.
/// L313-3). €1,000.00, enforceable 2025-09-02, as of 2025-12-31: 61 days (09-03 to 11-02)
/// at 2.76 % = 4.61260 and 59 days (11-03 to 12-31) at 7.76 % = 12.54356 → €17.16.
pub async fn legal_post_judgment_interest(store: &dyn Store) {
    let tables = RateTables::embedded().unwrap();
    let actor = Actor("cli:test".into());
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = tx.insert_debtor(&sample_debtor(c.id, "A")).await.unwrap();
    tx.commit().await.unwrap();
    invoice(
        store,
        c.id,
        a,
        "F-1000",
        d(2025, 1, 10),
        d(2025, 2, 10),
        1_000_00,
    )
    .await;
    let file = app::legal::open(
        store,
        &FixedClock(d(2025, 6, 2)),
        &tables,
        &actor,
        &OpenRequest {
            debtor: Some(a),
            decision: Some(ip()),
            ..OpenRequest::default()
        },
    )
    .await
    .unwrap();
    for (kind, on) in [
        (StageKind::RequestFiled, d(2025, 6, 2)),
        (StageKind::OrderMade, d(2025, 7, 15)),
        // Served 2025-07-31 → one month ends 2025-08-31, a Sunday → Monday 1 September.
        (StageKind::OrderServed, d(2025, 7, 31)),
        (StageKind::Enforceable, d(2025, 9, 2)),
    ] {
        app::legal::record_stage(store, &FixedClock(on), &actor, file.id, &stage(kind, on))
            .await
            .unwrap();
    }
    let mut tx = store.begin_read().await.unwrap();
    let file = app::legal::get(tx.as_mut(), file.id).await.unwrap();
    let amounts = app::legal::amounts(tx.as_mut(), &file, d(2025, 12, 31), &tables)
        .await
        .unwrap();
    assert_eq!(amounts.post_judgment_interest, Some(eur(1716)));
    assert_eq!(amounts.principal, eur(1_000_00));
    // Before the two months: the legal rate alone. As of 2025-11-02, 61 days at 2.76 %
    // = 4.61260 → €4.61.
    let amounts = app::legal::amounts(tx.as_mut(), &file, d(2025, 11, 2), &tables)
        .await
        .unwrap();
    assert_eq!(amounts.post_judgment_interest, Some(eur(4_61)));
    // The deadlines: the increase on 2025-11-02 and ten years to enforce.
    let dl = file.deadlines().unwrap();
    assert_eq!(
        dl.iter().map(|d| (d.kind, d.due)).collect::<Vec<_>>(),
        [
            (DeadlineKind::RateIncrease, d(2025, 11, 2)),
            (DeadlineKind::EnforceTitle, d(2035, 9, 2)),
        ]
    );
}

/// A legal review step that decides by itself (`legal_decision`): on 2026-03-02 a French
/// company's €2,000 invoice due 2026-01-05 is 56 days late, past the step's 45 days; the
/// run opens an order-for-payment file on it in its own transaction and the review is
/// done. A Belgian debtor's review stays for a person (the French order needs a debtor in
/// France), and the report says why.
pub async fn legal_file_opened_by_a_scenario_step(store: &dyn Store) {
    use app::scenarios::{self, ScenarioFiles};
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let fr = tx.insert_debtor(&sample_debtor(c.id, "FR1")).await.unwrap();
    let mut be = sample_debtor(c.id, "BE1");
    be.country = "BE".into();
    let be = tx.insert_debtor(&be).await.unwrap();
    tx.commit().await.unwrap();
    let claim = invoice(
        store,
        c.id,
        fr,
        "F-2000",
        d(2025, 12, 6),
        d(2026, 1, 5),
        2_000_00,
    )
    .await;
    invoice(
        store,
        c.id,
        be,
        "F-BE",
        d(2025, 12, 6),
        d(2026, 1, 5),
        2_000_00,
    )
    .await;
    let review = r#"
code = "review"
name_fr = "Revue"
name_en = "Review"

[[step]]
code = "d+45_legal_review"
offset_days = 45
channels = ["legal_review_task"]
template = "legal_review"
stage = "pre_litigation"
legal_decision = "injonction_de_payer"
"#;
    let files = ScenarioFiles {
        scenarios: vec![("review.toml".into(), review.into())],
        assignment: ("assignment.toml".into(), "default = \"review\"\n".into()),
        shipped: false,
    };
    // Deciding not to litigate is a person's decision: refused in a scenario.
    let declined = ScenarioFiles {
        scenarios: vec![(
            "review.toml".into(),
            review.replace("injonction_de_payer", "write_off"),
        )],
        ..files.clone()
    };
    let mut tx = store.begin().await.unwrap();
    let err = scenarios::load(tx.as_mut(), &declined)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("legal_decision"), "{err}");
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    scenarios::load(tx.as_mut(), &files).await.unwrap();
    // Payment data refreshed that morning: the run may take legal steps.
    tx.set_setting(app::dunning::PAYMENT_DATA_AS_OF, "2026-03-02")
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let report = app::dunning::run(
        store,
        &FixedClock(d(2026, 3, 2)),
        app::dunning::RunOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        report.scenario_decisions.len(),
        2,
        "{:?} {:?} {:?}",
        report.scenario_decisions,
        report.actions,
        report.skips_by_reason
    );
    let opened = report
        .scenario_decisions
        .iter()
        .find(|s| s.debtor_id == fr)
        .unwrap();
    let refused = report
        .scenario_decisions
        .iter()
        .find(|s| s.debtor_id == be)
        .unwrap();
    assert!(
        opened.file_id.is_some() && opened.refused.is_none(),
        "{opened:?}"
    );
    assert!(
        refused.file_id.is_none() && refused.refused.is_some(),
        "{refused:?}"
    );

    let mut tx = store.begin().await.unwrap();
    let files = app::legal::list(tx.as_mut(), &LegalFileFilter::default())
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].debtor_id, fr);
    assert_eq!(files[0].claim_ids(), vec![claim]);
    assert_eq!(files[0].route(), Some(Route::InjonctionDePayer));
    assert_eq!(files[0].opened_on, d(2026, 3, 2));
    // The French review is done; the Belgian one waits for a person.
    assert!(
        report
            .actions
            .iter()
            .any(|a| a.id == Some(opened.action_id) && a.debtor_id == fr)
    );
    let fr_action = tx.action(opened.action_id).await.unwrap().unwrap();
    let be_action = tx.action(refused.action_id).await.unwrap().unwrap();
    assert_eq!(fr_action.status, app::store::ActionStatus::Done);
    assert_eq!(be_action.status, app::store::ActionStatus::Planned);
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    scenarios::reset(tx.as_mut()).await.unwrap();
    tx.commit().await.unwrap();
}
