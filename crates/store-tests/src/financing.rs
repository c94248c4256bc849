//! Assigned and insured claims (migration 0011): factors, insurers and assignments stored
//! and read back the same on every backend; bad input refused with nothing written; the
//! run leaving a factor's claims alone and raising the insurer's declaration task once;
//! the aged balance split own / assigned / insured; a payment on an assigned claim to be
//! passed on to the factor.

use super::*;
use app::audit::Actor;
use app::dunning::RunOptions;
use app::financing::{AssignInput, PartyInput, Target};
use app::store::{AssignmentScope, FinancingParty, PartyKind, StoredAssignment, Tx};
use domain::analytics::GroupBy;

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

fn actor() -> Actor {
    Actor("cli:test".into())
}

/// A valid French IBAN (the one of the SEPA examples), as people write it.
const FACTOR_IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";

fn factor_input() -> PartyInput {
    PartyInput {
        name: "Factofrance".into(),
        iban: Some(FACTOR_IBAN.into()),
        bic: Some("agrifrpp".into()),
        ..PartyInput::default()
    }
}

fn insurer_input(days: i64) -> PartyInput {
    PartyInput {
        name: "Allianz Trade".into(),
        policy: Some("POL-42".into()),
        declare_within_days: Some(days),
        ..PartyInput::default()
    }
}

/// A claim of `minor` cents for `debtor`, invoiced 15 January 2026, due `due`.
async fn claim(
    tx: &mut dyn Tx,
    creditor: CreditorId,
    debtor: DebtorId,
    number: &str,
    due: Date,
    minor: i64,
) -> ClaimId {
    let id = tx
        .insert_claim(&sample_claim(creditor, debtor, number, due))
        .await
        .unwrap();
    let mut l = ClaimLedger::new(Currency::EUR);
    l.post(EntryKind::Invoice, eur(minor), d(2026, 1, 15), None)
        .unwrap();
    tx.append_entries(id, l.entries(), NOW).await.unwrap();
    id
}

async fn debtor(tx: &mut dyn Tx, creditor: CreditorId, ext: &str) -> DebtorId {
    let mut debtor = sample_debtor(creditor, ext);
    debtor.tags = vec![];
    tx.insert_debtor(&debtor).await.unwrap()
}

/// Parties keep every field; an assignment per claim and per debtor, replaced in place,
/// deleted once.
pub async fn financing_round_trip(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = debtor(tx.as_mut(), c.id, "A").await;
    let f1 = claim(tx.as_mut(), c.id, a, "F1", d(2026, 5, 1), 100_00).await;
    let factor = FinancingParty {
        id: 0,
        kind: PartyKind::Factor,
        name: "Factofrance".into(),
        iban: Some("FR7630006000011234567890189".into()),
        bic: Some("AGRIFRPP".into()),
        policy: None,
        declare_within_days: None,
        created_at: NOW.into(),
    };
    let insurer = FinancingParty {
        id: 0,
        kind: PartyKind::Insurer,
        name: "Allianz Trade".into(),
        iban: None,
        bic: None,
        policy: Some("POL-42".into()),
        declare_within_days: Some(60),
        created_at: NOW.into(),
    };
    let factor_id = tx.insert_financing_party(&factor).await.unwrap();
    let insurer_id = tx.insert_financing_party(&insurer).await.unwrap();
    assert_ne!(factor_id, insurer_id);
    assert_eq!(
        tx.financing_parties().await.unwrap(),
        vec![
            FinancingParty {
                id: factor_id,
                ..factor
            },
            FinancingParty {
                id: insurer_id,
                ..insurer
            },
        ]
    );
    let on_claim = StoredAssignment {
        scope: AssignmentScope::Claim,
        owner_id: f1.0,
        party_id: factor_id,
        since: d(2026, 3, 1),
        dun: false,
        updated_at: NOW.into(),
    };
    let on_debtor = StoredAssignment {
        scope: AssignmentScope::Debtor,
        owner_id: a.0,
        party_id: insurer_id,
        since: d(2026, 2, 1),
        dun: true,
        updated_at: NOW.into(),
    };
    tx.set_assignment(&on_debtor).await.unwrap();
    tx.set_assignment(&StoredAssignment {
        party_id: insurer_id,
        dun: true,
        ..on_claim.clone()
    })
    .await
    .unwrap();
    // Replacing the claim's assignment keeps one row, with the new party and flag.
    tx.set_assignment(&on_claim).await.unwrap();
    assert_eq!(
        tx.assignments().await.unwrap(),
        vec![on_claim.clone(), on_debtor.clone()]
    );
    assert!(
        tx.delete_assignment(AssignmentScope::Claim, f1.0)
            .await
            .unwrap()
    );
    assert!(
        !tx.delete_assignment(AssignmentScope::Claim, f1.0)
            .await
            .unwrap()
    );
    assert_eq!(tx.assignments().await.unwrap(), vec![on_debtor]);
    tx.commit().await.unwrap();
}

/// A bad IBAN, a negative deadline, an insurer with bank details, an unknown party or
/// claim, or an insurer's claim left alone: refused with a message naming the field, and
/// nothing written (no party, no assignment, no audit line).
pub async fn financing_bad_input_writes_nothing(store: &dyn Store) {
    let clock = FixedClock(d(2026, 6, 1));
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = debtor(tx.as_mut(), c.id, "A").await;
    let f1 = claim(tx.as_mut(), c.id, a, "F1", d(2026, 5, 1), 100_00).await;
    tx.commit().await.unwrap();
    let add = |kind, input: PartyInput| async move {
        app::audit::add_financing_party(store, &clock, &actor(), kind, &input)
            .await
            .unwrap_err()
            .to_string()
    };
    let bad_iban = add(
        PartyKind::Factor,
        PartyInput {
            // The last check digit changed: mod 97 fails.
            iban: Some("FR7630006000011234567890188".into()),
            ..factor_input()
        },
    )
    .await;
    assert!(
        bad_iban.starts_with("iban:") && bad_iban.contains("check digits"),
        "{bad_iban}"
    );
    let bad_bic = add(
        PartyKind::Factor,
        PartyInput {
            bic: Some("AGRI".into()),
            ..factor_input()
        },
    )
    .await;
    assert!(bad_bic.starts_with("bic:"), "{bad_bic}");
    let negative = add(PartyKind::Insurer, insurer_input(-1)).await;
    assert!(
        negative.starts_with("declare_within_days: -1"),
        "{negative}"
    );
    let insurer_iban = add(
        PartyKind::Insurer,
        PartyInput {
            iban: Some(FACTOR_IBAN.into()),
            ..insurer_input(60)
        },
    )
    .await;
    assert!(insurer_iban.contains("no IBAN"), "{insurer_iban}");
    let no_name = add(
        PartyKind::Factor,
        PartyInput {
            name: "  ".into(),
            ..factor_input()
        },
    )
    .await;
    assert!(no_name.starts_with("name:"), "{no_name}");

    let mut tx = store.begin().await.unwrap();
    assert!(tx.financing_parties().await.unwrap().is_empty());
    drop(tx);

    let insurer = app::audit::add_financing_party(
        store,
        &clock,
        &actor(),
        PartyKind::Insurer,
        &insurer_input(60),
    )
    .await
    .unwrap();
    let assign = |input: AssignInput| async move {
        app::audit::assign_financing(store, &clock, &actor(), &input)
            .await
            .unwrap_err()
            .to_string()
    };
    let unknown_party = assign(AssignInput {
        target: Target::Claim(f1),
        party: insurer.id + 100,
        since: None,
        dun: true,
    })
    .await;
    assert_eq!(
        unknown_party,
        format!(
            "financing party {} not found / factor ou assureur {} introuvable",
            insurer.id + 100,
            insurer.id + 100
        )
    );
    let unknown_claim = assign(AssignInput {
        target: Target::Claim(ClaimId(f1.0 + 100)),
        party: insurer.id,
        since: None,
        dun: true,
    })
    .await;
    assert_eq!(
        unknown_claim,
        format!(
            "claim {} not found / créance {} introuvable",
            f1.0 + 100,
            f1.0 + 100
        )
    );
    let insurer_no_dun = assign(AssignInput {
        target: Target::Debtor(a),
        party: insurer.id,
        since: None,
        dun: false,
    })
    .await;
    assert!(insurer_no_dun.contains("is an insurer"), "{insurer_no_dun}");
    let mut tx = store.begin().await.unwrap();
    assert!(tx.assignments().await.unwrap().is_empty());
    let audited: Vec<String> = tx
        .audit_entries(10, None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(audited, vec!["financing.add_party".to_string()]);
    drop(tx);
}

/// The run leaves out the claims of a factor that collects them itself (a debtor with only
/// such claims is not touched: no case, no reminder), keeps reminding the others, and
/// raises the insurer's declaration task once, 15 days (the default) before the deadline.
pub async fn financing_run_leaves_factor_claims_and_raises_insurer_task_once(store: &dyn Store) {
    let clock = FixedClock(d(2026, 5, 2));
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = debtor(tx.as_mut(), c.id, "A").await;
    let own = claim(tx.as_mut(), c.id, a, "A1", d(2026, 4, 1), 300_00).await;
    let sold = claim(tx.as_mut(), c.id, a, "A2", d(2026, 4, 1), 200_00).await;
    let b = debtor(tx.as_mut(), c.id, "B").await;
    claim(tx.as_mut(), c.id, b, "B1", d(2026, 4, 1), 150_00).await;
    let i = debtor(tx.as_mut(), c.id, "I").await;
    let insured = claim(tx.as_mut(), c.id, i, "I1", d(2026, 5, 1), 400_00).await;
    tx.commit().await.unwrap();
    let factor = app::audit::add_financing_party(
        store,
        &clock,
        &actor(),
        PartyKind::Factor,
        &factor_input(),
    )
    .await
    .unwrap();
    let insurer = app::audit::add_financing_party(
        store,
        &clock,
        &actor(),
        PartyKind::Insurer,
        &insurer_input(60),
    )
    .await
    .unwrap();
    for (target, party, dun) in [
        (Target::Claim(sold), factor.id, false),
        (Target::Debtor(b), factor.id, false),
        (Target::Debtor(i), insurer.id, true),
    ] {
        app::audit::assign_financing(
            store,
            &clock,
            &actor(),
            &AssignInput {
                target,
                party,
                since: Some(d(2026, 3, 1)),
                dun,
            },
        )
        .await
        .unwrap();
    }
    // Payment data fresh on the day of each run: its steps are not held back.
    let run = |day: Date| async move {
        let mut tx = store.begin().await.unwrap();
        app::dunning::note_payment_data(tx.as_mut(), day)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        app::dunning::run(store, &FixedClock(day), RunOptions::default())
            .await
            .unwrap()
    };

    // 10 June: A1 and A2 are 70 days overdue. Only A1 is reminded; B is not touched.
    let first = run(d(2026, 6, 10)).await;
    let reminders: Vec<_> = first.actions.iter().filter(|x| x.debtor_id == a).collect();
    assert!(!reminders.is_empty(), "A's own claim is still reminded");
    for r in &reminders {
        assert_eq!(r.claims, vec![own], "{r:?}");
    }
    assert!(first.actions.iter().all(|x| x.debtor_id != b));
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.case(b).await.unwrap().is_none(),
        "B's case is the factor's"
    );
    drop(tx);
    // I1 is due 1 May; the policy gives 60 days: the deadline is 1 May + 60 = 30 June
    // (30 days to 31 May, 30 more to 30 June); the task is due 15 days before, 15 June.
    assert!(first.insurer_alerts.is_empty(), "10 June is before 15 June");

    let raised = run(d(2026, 6, 20)).await;
    let alerts: Vec<_> = raised
        .insurer_alerts
        .iter()
        .map(|x| {
            (
                x.deadline.claim_id,
                x.deadline.insurer.clone(),
                x.deadline.deadline,
                x.deadline.raise_on,
                x.deadline.open,
                x.action_id.is_some(),
            )
        })
        .collect();
    assert_eq!(
        alerts,
        vec![(
            insured,
            "Allianz Trade".to_string(),
            d(2026, 6, 30),
            d(2026, 6, 15),
            eur(400_00),
            true
        )]
    );
    let again = run(d(2026, 6, 21)).await;
    assert_eq!(again.insurer_alerts.len(), 1);
    assert!(again.insurer_alerts[0].action_id.is_none(), "raised once");
    let after = run(d(2026, 7, 1)).await;
    assert!(after.insurer_alerts.is_empty(), "the deadline has passed");

    let mut tx = store.begin().await.unwrap();
    let tasks: Vec<_> = tx
        .actions(&app::store::ActionFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.scenario == app::financing::INSURER_SCENARIO)
        .map(|x| (x.debtor_id, x.claims, x.created_on))
        .collect();
    assert_eq!(tasks, vec![(i, vec![insured], d(2026, 6, 15))]);
    // The worklist says which insurer and by when, in both languages.
    let work = app::dunning::worklist(tx.as_mut(), d(2026, 6, 21), None)
        .await
        .unwrap();
    let task = work
        .iter()
        .find(|w| w.debtor_id == i && w.step.starts_with("insurer_declare:"))
        .unwrap();
    assert!(
        task.reason_en
            .starts_with("declare the threatened loss to the insurer Allianz Trade by 2026-06-30"),
        "{}",
        task.reason_en
    );
    assert!(
        task.reason_fr.starts_with(
            "déclarer la menace de sinistre à l'assureur Allianz Trade avant le 30/06/2026"
        ),
        "{}",
        task.reason_fr
    );
    // 30 June − 21 June = 9 days left.
    assert_eq!(task.urgency_days, 9);
    drop(tx);
}

/// The aged balance split own / assigned / insured, as of 30 June 2026 (buckets: not
/// due, 1-30, 31-60, 61-90, 91-180, > 180 days past due):
///
/// | claim | financing                                      | open   | due        | days | bucket  |
/// |-------|------------------------------------------------|--------|------------|------|---------|
/// | A1    | own                                            | 300.00 | 2026-05-01 | 60   | 31-60   |
/// | A2    | assigned (the claim)                           | 200.00 | 2026-06-20 | 10   | 1-30    |
/// | B1    | assigned (its debtor)                          | 150.00 | 2026-07-15 | −15  | not due |
/// | I1    | insured (its debtor)                           | 400.00 | 2026-05-01 | 60   | 31-60   |
/// | D1    | own (assigned only from 5 July)                | 100.00 | 2026-03-01 | 121  | 91-180  |
///
/// own = 300 + 100 = 400.00 (2 claims), assigned = 200 + 150 = 350.00, insured = 400.00;
/// total 1,150.00.
pub async fn financing_aged_balance_split(store: &dyn Store) {
    let clock = FixedClock(d(2026, 6, 30));
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = debtor(tx.as_mut(), c.id, "A").await;
    claim(tx.as_mut(), c.id, a, "A1", d(2026, 5, 1), 300_00).await;
    let a2 = claim(tx.as_mut(), c.id, a, "A2", d(2026, 6, 20), 200_00).await;
    let b = debtor(tx.as_mut(), c.id, "B").await;
    claim(tx.as_mut(), c.id, b, "B1", d(2026, 7, 15), 150_00).await;
    let i = debtor(tx.as_mut(), c.id, "I").await;
    claim(tx.as_mut(), c.id, i, "I1", d(2026, 5, 1), 400_00).await;
    let late = debtor(tx.as_mut(), c.id, "D").await;
    claim(tx.as_mut(), c.id, late, "D1", d(2026, 3, 1), 100_00).await;
    tx.commit().await.unwrap();
    let factor = app::audit::add_financing_party(
        store,
        &clock,
        &actor(),
        PartyKind::Factor,
        &factor_input(),
    )
    .await
    .unwrap();
    let insurer = app::audit::add_financing_party(
        store,
        &clock,
        &actor(),
        PartyKind::Insurer,
        &insurer_input(90),
    )
    .await
    .unwrap();
    for (target, party, since) in [
        (Target::Claim(a2), factor.id, d(2026, 6, 1)),
        (Target::Debtor(b), factor.id, d(2026, 6, 1)),
        (Target::Debtor(i), insurer.id, d(2026, 1, 1)),
        (Target::Debtor(late), factor.id, d(2026, 7, 5)),
    ] {
        app::audit::assign_financing(
            store,
            &clock,
            &actor(),
            &AssignInput {
                target,
                party,
                since: Some(since),
                dun: true,
            },
        )
        .await
        .unwrap();
    }
    let mut tx = store.begin().await.unwrap();
    let book = tx.book(None).await.unwrap();
    let report = app::reports::aging(
        tx.as_mut(),
        &book,
        d(2026, 6, 30),
        &Buckets::default(),
        GroupBy::Financing,
    )
    .await
    .unwrap();
    let groups: Vec<(String, Vec<i64>, i64, u64)> = report
        .groups
        .iter()
        .map(|g| {
            (
                g.key.clone(),
                g.amounts.iter().map(|m| m.minor()).collect(),
                g.total.minor(),
                g.claims.iter().sum(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            // Largest total first; equal totals by key.
            (
                "insured".to_string(),
                vec![0, 0, 400_00, 0, 0, 0],
                400_00,
                1
            ),
            (
                "own".to_string(),
                vec![0, 0, 300_00, 0, 100_00, 0],
                400_00,
                2
            ),
            (
                "assigned".to_string(),
                vec![150_00, 200_00, 0, 0, 0, 0],
                350_00,
                2
            ),
        ]
    );
    assert_eq!(report.totals[0].total, eur(1150_00));
    drop(tx);
}

/// A payment applied on a claim assigned to the factor (since before the payment) is to
/// be passed on to it; before the claim is assigned, nothing is flagged.
pub async fn financing_payment_to_pass_on(store: &dyn Store) {
    let (debtor_id, claim_id) = crate::payments::one_claim(store).await;
    let clock = FixedClock(d(2026, 3, 1));
    let factor = app::audit::add_financing_party(
        store,
        &clock,
        &actor(),
        PartyKind::Factor,
        &factor_input(),
    )
    .await
    .unwrap();
    crate::payments::import(store, "st1.sta", crate::payments::ST1).await;
    let mut tx = store.begin().await.unwrap();
    let payments = tx
        .payments(&app::store::PaymentFilter::default())
        .await
        .unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].debtor_id, Some(debtor_id));
    assert!(
        app::financing::pass_on(tx.as_mut(), &payments)
            .await
            .unwrap()
            .is_empty(),
        "the claim is the creditor's own"
    );
    drop(tx);
    // Assigned from 1 March; the payment's value date is 2 March.
    app::audit::assign_financing(
        store,
        &clock,
        &actor(),
        &AssignInput {
            target: Target::Claim(claim_id),
            party: factor.id,
            since: Some(d(2026, 3, 1)),
            dun: true,
        },
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let flagged = app::financing::pass_on(tx.as_mut(), &payments)
        .await
        .unwrap();
    assert_eq!(
        flagged.get(&payments[0].id).map(String::as_str),
        Some("Factofrance")
    );
    drop(tx);
}
