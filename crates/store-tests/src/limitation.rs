//! Limitation events (migration 0010) and what the law engine makes of them: recorded with
//! their audit line or not at all, fed to the limitation deadlines (per claim, per debtor,
//! through a solidary co-debtor), and the routes advisor's time-barred, disputed and
//! public-body cases. Expected dates worked by hand from shared/domain-rules.md §4.

use super::{NOW, d, sample_claim, sample_debtor};
use app::audit::Actor;
use app::clock::FixedClock;
use app::limitation_events::{EventSubject, NewLimitationEvent};
use app::store::{ClaimParty, LimitationEventKind, Store};
use domain::agreements::PartyRole;
use domain::law::{EventKind, RateTables, RecommendationCode};
use domain::money::Currency;
use domain::{ClaimId, ClaimLedger, CreditorId, Date, DebtorId, EntryKind, Money};

async fn claim_due(
    store: &dyn Store,
    creditor: CreditorId,
    debtor: DebtorId,
    number: &str,
    due: Date,
) -> ClaimId {
    let mut tx = store.begin().await.unwrap();
    let mut claim = sample_claim(creditor, debtor, number, due);
    claim.issue_date = d(due.year(), 1, 1);
    let id = tx.insert_claim(&claim).await.unwrap();
    let mut l = ClaimLedger::new(Currency::EUR);
    l.post(
        EntryKind::Invoice,
        Money::from_minor(1_000_00, Currency::EUR),
        claim.issue_date,
        None,
    )
    .unwrap();
    tx.append_entries(id, l.entries(), NOW).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn event(subject: EventSubject, kind: LimitationEventKind, on: Date) -> NewLimitationEvent {
    NewLimitationEvent {
        subject,
        kind,
        on,
        end: None,
        proof: None,
        note: None,
    }
}

/// Events keep every field and are audited; a bad one (dated in the future, an end on
/// something else than a mediation, an end before the start, an unknown claim) is refused
/// with the field named, and writes neither the event nor an audit line.
pub async fn limitation_events_round_trip(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = tx.insert_debtor(&sample_debtor(c.id, "A")).await.unwrap();
    tx.commit().await.unwrap();
    let claim = claim_due(store, c.id, a, "F-1", d(2019, 9, 30)).await;
    let clock = FixedClock(d(2026, 6, 30));
    let actor = Actor("alice".into());
    let mut mediation = event(
        EventSubject::Claim(claim),
        LimitationEventKind::Mediation,
        d(2024, 1, 15),
    );
    mediation.end = Some(d(2024, 5, 15));
    mediation.proof = Some("  accord-mediation.pdf ".into());
    mediation.note = Some("Médiateur : CMAP".into());
    let stored = app::audit::record_limitation_event(store, &clock, &actor, &mediation)
        .await
        .unwrap();
    let ack = app::audit::record_limitation_event(
        store,
        &clock,
        &actor,
        &event(
            EventSubject::Debtor(a),
            LimitationEventKind::Acknowledgment,
            d(2022, 2, 14),
        ),
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let listed = tx.limitation_events(Some(a)).await.unwrap();
    // By date: the acknowledgment (2022) before the mediation (2024).
    assert_eq!(listed, vec![ack.clone(), stored.clone()]);
    assert_eq!(stored.claim_id, Some(claim));
    assert_eq!(stored.debtor_id, a);
    assert_eq!(stored.proof.as_deref(), Some("accord-mediation.pdf"));
    assert_eq!(stored.end, Some(d(2024, 5, 15)));
    assert_eq!(stored.recorded_by, "alice");
    assert_eq!(ack.claim_id, None);
    let audits = tx.audit_entries(100, None).await.unwrap();
    assert_eq!(
        audits
            .iter()
            .filter(|e| e.action == "limitation_event.add")
            .map(|e| e.subject.as_str())
            .collect::<Vec<_>>(),
        // Newest first.
        vec![format!("debtor:{a}"), format!("claim:{claim}")]
    );
    let audits_before = audits.len();
    drop(tx);

    let bad = [
        (
            event(
                EventSubject::Debtor(a),
                LimitationEventKind::Acknowledgment,
                d(2026, 7, 1),
            ),
            "date: 2026-07-01 is in the future",
        ),
        (
            NewLimitationEvent {
                end: Some(d(2025, 1, 1)),
                ..event(
                    EventSubject::Debtor(a),
                    LimitationEventKind::Judgment,
                    d(2024, 1, 1),
                )
            },
            "end: only a mediation",
        ),
        (
            NewLimitationEvent {
                end: Some(d(2023, 12, 31)),
                ..event(
                    EventSubject::Debtor(a),
                    LimitationEventKind::Mediation,
                    d(2024, 1, 1),
                )
            },
            "end: 2023-12-31 is before the start",
        ),
        (
            event(
                EventSubject::Claim(ClaimId(999_999)),
                LimitationEventKind::CourtClaim,
                d(2024, 1, 1),
            ),
            "claim 999999 not found",
        ),
    ];
    for (new, why) in bad {
        let err = app::audit::record_limitation_event(store, &clock, &actor, &new)
            .await
            .unwrap_err();
        assert!(err.to_string().contains(why), "{err} / {why}");
    }
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.limitation_events(None).await.unwrap().len(), 2);
    assert_eq!(
        tx.audit_entries(100, None).await.unwrap().len(),
        audits_before
    );
}

/// The limitation list uses the recorded events: issue 17's claim due 2019-09-30 and
/// acknowledged in writing on 2022-02-14 runs to 2027-02-14 (5 years from the
/// acknowledgment, C. civ. 2231), not 2024-09-30; an acknowledgment recorded on a solidary
/// co-debtor counts for the claim (2245); a withdrawn court claim does not interrupt
/// (2243); a judgment gives ten years (L111-4).
pub async fn limitation_follows_recorded_events(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = tx.insert_debtor(&sample_debtor(c.id, "A")).await.unwrap();
    let b = tx.insert_debtor(&sample_debtor(c.id, "B")).await.unwrap();
    tx.commit().await.unwrap();
    let acknowledged = claim_due(store, c.id, a, "F-1", d(2019, 9, 30)).await;
    let shared = claim_due(store, c.id, b, "F-2", d(2019, 9, 30)).await;
    let withdrawn = claim_due(store, c.id, b, "F-3", d(2021, 6, 15)).await;
    let judged = claim_due(store, c.id, b, "F-4", d(2021, 6, 15)).await;
    let mut tx = store.begin().await.unwrap();
    tx.add_claim_party(&ClaimParty {
        claim_id: shared,
        debtor_id: a,
        role: PartyRole::CoDebtor,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let clock = FixedClock(d(2024, 10, 1));
    let actor = Actor("cli:test".into());
    let record = |new: NewLimitationEvent| {
        let clock = &clock;
        let actor = &actor;
        async move {
            app::audit::record_limitation_event(store, clock, actor, &new)
                .await
                .unwrap();
        }
    };
    record(event(
        EventSubject::Debtor(a),
        LimitationEventKind::Acknowledgment,
        d(2022, 2, 14),
    ))
    .await;
    // F-3 due 2021-06-15 → 2026-06-15; court claim 2024-03-01 withdrawn 2024-06-03.
    record(event(
        EventSubject::Claim(withdrawn),
        LimitationEventKind::CourtClaim,
        d(2024, 3, 1),
    ))
    .await;
    record(event(
        EventSubject::Claim(withdrawn),
        LimitationEventKind::CourtClaimWithdrawn,
        d(2024, 6, 3),
    ))
    .await;
    // F-4: judgment enforceable 2024-09-02 → 2034-09-02.
    record(event(
        EventSubject::Claim(judged),
        LimitationEventKind::Judgment,
        d(2024, 9, 2),
    ))
    .await;

    let mut tx = store.begin().await.unwrap();
    let lines = app::law::limitation(tx.as_mut(), d(2024, 10, 1), i32::MAX)
        .await
        .unwrap();
    let got: Vec<_> = lines
        .iter()
        .map(|l| (l.claim_id, l.deadline.deadline, l.deadline.runs_from.kind))
        .collect();
    assert_eq!(
        got,
        vec![
            (withdrawn, d(2026, 6, 15), EventKind::Exigibility),
            (acknowledged, d(2027, 2, 14), EventKind::Acknowledgment),
            // B's claim, A a solidary co-debtor: A's acknowledgment interrupts it too.
            (shared, d(2027, 2, 14), EventKind::Acknowledgment),
            (judged, d(2034, 9, 2), EventKind::Judgment),
        ]
    );
    // The same through the few-claims path the daily run uses, and the debtor's view.
    let few = app::law::limitation_of(tx.as_mut(), &[shared], d(2024, 10, 1), i32::MAX)
        .await
        .unwrap();
    assert_eq!(few[0].deadline.deadline, d(2027, 2, 14));
    let of_b = app::law::debtor_limitation(tx.as_mut(), b, d(2024, 10, 1))
        .await
        .unwrap();
    assert_eq!(of_b.lines.len(), 3);
    assert_eq!(of_b.lines[1].deadline.deadline, d(2027, 2, 14));
    // B's own three events and A's debtor-level acknowledgment.
    assert_eq!(of_b.events.len(), 4);
}

/// The routes advisor leaves time-barred claims out and says so, takes an open dispute
/// into account, and advises no civil procedure against a public body.
pub async fn routes_leave_out_time_barred_disputed_and_public(store: &dyn Store) {
    let tables = RateTables::embedded().unwrap();
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let a = tx.insert_debtor(&sample_debtor(c.id, "A")).await.unwrap();
    let mut public = sample_debtor(c.id, "P");
    public.tags = vec!["Public".into()];
    let p = tx.insert_debtor(&public).await.unwrap();
    tx.commit().await.unwrap();
    // As of 2026-06-30: F-OLD due 2021-03-01 lapsed on 2026-03-01 (5 years, L110-4);
    // F-NEW due 2026-03-02 is overdue and alive.
    let old = claim_due(store, c.id, a, "F-OLD", d(2021, 3, 1)).await;
    let new = claim_due(store, c.id, a, "F-NEW", d(2026, 3, 2)).await;
    claim_due(store, c.id, p, "F-PUB", d(2026, 3, 2)).await;
    let as_of = d(2026, 6, 30);
    let mut tx = store.begin().await.unwrap();
    let routes = app::law::debtor_routes(tx.as_mut(), a, as_of, &tables)
        .await
        .unwrap();
    assert_eq!(
        routes
            .time_barred
            .iter()
            .map(|t| (t.claim_id, t.deadline))
            .collect::<Vec<_>>(),
        vec![(old, d(2026, 3, 1))]
    );
    assert_eq!(
        routes.claims.iter().map(|c| c.claim_id).collect::<Vec<_>>(),
        vec![new]
    );
    // Only F-NEW's 1,000 € (with its interest and €40) is litigated, not F-OLD's.
    assert!(routes.advice.total.minor() < 2_000_00);
    assert!(!routes.disputed);
    drop(tx);

    app::agreements::open_dispute(
        store,
        &FixedClock(as_of),
        &app::agreements::DisputeTerms {
            debtor: Some(a),
            claims: vec![new],
            reason: domain::agreements::DisputeReason::Quality,
            note: "colis abîmé".into(),
            attachments: vec![],
            owner: "alice".into(),
            due: None,
        },
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let routes = app::law::debtor_routes(tx.as_mut(), a, as_of, &tables)
        .await
        .unwrap();
    assert!(routes.disputed);
    assert_ne!(
        routes.advice.recommendation.code,
        RecommendationCode::Litigate
    );

    let routes = app::law::debtor_routes(tx.as_mut(), p, as_of, &tables)
        .await
        .unwrap();
    assert!(routes.public_body);
    assert_eq!(
        routes.advice.recommendation.code,
        RecommendationCode::PublicBody
    );
    assert!(routes.advice.routes.iter().all(|r| !r.open));
}
