//! Conformance cases of personal data (migration 0014): the export of everything held on
//! one debtor, what is due for erasure and when (dates worked by hand from domain rules
//! §10), and the erasure by pseudonymisation — after which no personal value of the
//! debtor is left in any text column of any table (listed from the database's catalogue),
//! while the aged balance and the KPIs stay the same to the cent.

use crate::d;
use app::audit::Actor;
use app::clock::FixedClock;
use app::gdpr::{self, Approval, Blocker};
use app::payments::{StatementOptions, import_statement};
use app::store::{
    ActionStatus, DeliveryAttempt, DeliveryResult, ErasureState, OutboxEntry, OutboxStatus, Store,
    StoredAction,
};
use domain::aging::Buckets;
use domain::dunning::{Channel, Channels, Stage};
use domain::money::Currency;
use domain::{
    Claim, ClaimId, ClaimLedger, ClaimNumber, Contact, ContactKind, CreditorId, Debtor, DebtorId,
    DebtorKind, EntryKind, Money, Nature, Segment,
};

const NAME: &str = "Établissements Zéphyrin Quarteron SARL";
const EMAIL: &str = "zephyrin.quarteron@exemple-gdpr.fr";
const PHONE: &str = "+33 6 98 76 54 32";
const STREET: &str = "17 rue des Glycines";
const CITY: &str = "69003 Lyon";
const LABEL: &str = "Mme Quarteron (DAF)";
const IBAN: &str = "FR1420041010050500013M02606";
const IBAN_GROUPED: &str = "FR14 2004 1010 0505 0001 3M02 606";
const PAYER: &str = "QUARTERON ZEPHYRIN";

/// Every personal value of the rich debtor, as a person would search for it.
const FORMER: &[&str] = &[
    NAME,
    EMAIL,
    PHONE,
    STREET,
    CITY,
    LABEL,
    IBAN,
    IBAN_GROUPED,
    PAYER,
    "Quarteron",
];

/// A payment of 1,200.00 on 2 March 2026 from the debtor's IBAN naming INV-G1.
const STATEMENT: &str = "\
:20:ST-G
:25:FR7630006000011234567890189
:28C:1/1
:60F:C260301EUR0,
:61:2603020302C1200,NTRFNONREF//BK-900
:86:/EREF/E2E-900/NAME/QUARTERON ZEPHYRIN/IBAN/FR1420041010050500013M02606/REMI/Facture INV-G1 Quarteron
:62F:C260302EUR1200,
-";

fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::EUR)
}

fn alice() -> Actor {
    Actor("alice".into())
}

/// The demo portfolio (60 debtors, 400 claims, seen on 2026-06-30), then one debtor with
/// every kind of personal data: contacts, a call note, a SEPA mandate, an acknowledgment,
/// a formal notice by hand, a payment from its IBAN, a write-off, a message with its
/// delivery log. Both its claims end closed on 2026-03-05.
async fn portfolio(store: &dyn Store) -> (DebtorId, [ClaimId; 2]) {
    let demo = demo::DemoParams {
        debtors: 60,
        claims: 400,
        seed: 7,
        as_of: d(2026, 6, 30),
    };
    app::portfolio::load_demo(
        store,
        &FixedClock(d(2026, 6, 30)),
        &demo,
        &app::portfolio::NoProgress,
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let creditor: CreditorId = tx.creditors().await.unwrap()[0].id;
    let debtor = tx
        .insert_debtor(&Debtor {
            id: DebtorId(0),
            creditor_id: creditor,
            external_id: "GDPR-1".into(),
            name: NAME.into(),
            kind: DebtorKind::Company,
            segment: Segment::B2b,
            country: "FR".into(),
            language: "fr".into(),
            contacts: vec![
                Contact {
                    kind: ContactKind::Email,
                    value: EMAIL.into(),
                    label: Some(LABEL.into()),
                },
                Contact {
                    kind: ContactKind::Phone,
                    value: PHONE.into(),
                    label: None,
                },
                Contact {
                    kind: ContactKind::Address,
                    value: format!("{STREET}\n{CITY}"),
                    label: None,
                },
            ],
            tags: vec![],
        })
        .await
        .unwrap();
    let mut claims = [ClaimId(0); 2];
    for (i, (number, amount)) in [("INV-G1", 1200_00), ("INV-G2", 300_00)]
        .into_iter()
        .enumerate()
    {
        let claim = tx
            .insert_claim(&Claim {
                id: ClaimId(0),
                creditor_id: creditor,
                debtor_id: debtor,
                external_id: number.into(),
                number: ClaimNumber::parse(number).unwrap(),
                nature: Nature::Commercial,
                issue_date: d(2026, 1, 15),
                due_date: d(2026, 2, 14),
                currency: Currency::EUR,
            })
            .await
            .unwrap();
        let mut ledger = ClaimLedger::new(Currency::EUR);
        ledger
            .post(EntryKind::Invoice, eur(amount), d(2026, 1, 15), None)
            .unwrap();
        tx.append_entries(claim, ledger.entries(), "2026-01-15T09:00:00Z")
            .await
            .unwrap();
        claims[i] = claim;
    }
    // A reminder e-mail that went out, with its delivery log.
    let action = tx
        .insert_action(&StoredAction {
            id: 0,
            debtor_id: debtor,
            cycle: 1,
            step_code: "reminder_1".into(),
            scenario: "standard".into(),
            channels: Channels::from_iter([Channel::Email]),
            template: "reminder_1".into(),
            claims: claims.to_vec(),
            amount: eur(1500_00),
            claim_penalties: false,
            stage_after: Stage::Amicable,
            status: ActionStatus::Done,
            created_on: d(2026, 2, 20),
            created_at: "2026-02-20T06:30:00Z".into(),
        })
        .await
        .unwrap()
        .unwrap();
    let outbox = tx
        .insert_outbox(&OutboxEntry {
            id: 0,
            action_id: action,
            debtor_id: debtor,
            channel: Channel::Email,
            recipient: EMAIL.into(),
            message_id: "<gdpr-1@recouvre>".into(),
            status: OutboxStatus::Sent,
            attempts: 1,
            next_attempt_at: 0,
            lease_owner: None,
            lease_until: None,
            last_error: Some(format!("first try: 451 mailbox {EMAIL} busy")),
            provider_id: Some("smtp-42".into()),
            created_at: "2026-02-20T06:30:00Z".into(),
            updated_at: "2026-02-20T06:31:00Z".into(),
        })
        .await
        .unwrap()
        .unwrap();
    tx.insert_delivery(&DeliveryAttempt {
        id: 0,
        outbox_id: outbox,
        attempt: 1,
        worker: "w1".into(),
        started_at: "2026-02-20T06:30:30Z".into(),
        finished_at: Some("2026-02-20T06:31:00Z".into()),
        result: DeliveryResult::Sent,
        provider_id: Some("smtp-42".into()),
        detail: Some(format!("250 accepted for {EMAIL}")),
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let on = |day| FixedClock(d(2026, 2, day));
    app::audit::log_call(
        store,
        &on(18),
        &alice(),
        &app::notes::CallLog {
            debtor,
            outcome: Some(app::store::CallOutcome::Reached),
            note: format!("{LABEL} promet un virement, rappeler au {PHONE}"),
            promise: None,
        },
    )
    .await
    .unwrap();
    app::audit::add_mandate(
        store,
        &on(19),
        &app::audit::Actor("alice".into()),
        &app::sepa::Mandate {
            reference: "RUM-GDPR-1".into(),
            debtor_id: debtor,
            signed_on: d(2026, 2, 19),
            iban: IBAN.into(),
            bic: None,
            b2b: false,
            last_collected: None,
        },
    )
    .await
    .unwrap();
    app::audit::record_limitation_event(
        store,
        &on(20),
        &alice(),
        &app::limitation_events::NewLimitationEvent {
            subject: app::limitation_events::EventSubject::Debtor(debtor),
            kind: app::store::LimitationEventKind::Acknowledgment,
            on: d(2026, 2, 20),
            end: None,
            proof: Some(format!("lettre de {NAME}")),
            note: Some(format!("reçue de {EMAIL}")),
        },
    )
    .await
    .unwrap();
    app::audit::record_notice(
        store,
        &on(21),
        &alice(),
        &app::contract::NoticeInput {
            debtor: Some(debtor),
            claims: vec![],
            sent_by: Some(app::store::NoticeSender::Hand),
            facts: app::contract::DeliveryUpdate {
                sent_on: Some(d(2026, 2, 21)),
                tracking_number: Some("1A23456789012".into()),
                presented_on: None,
                received_on: None,
                returned_on: None,
                proof: Some(format!("AR signé {PAYER}")),
                note: Some(format!("envoyée au {STREET}, {CITY}")),
            },
        },
    )
    .await
    .unwrap();
    // A decision not to litigate, whose reason quotes the debtor (issue 18).
    app::legal::open(
        store,
        &FixedClock(d(2026, 3, 1)),
        &domain::law::RateTables::embedded().unwrap(),
        &alice(),
        &app::legal::OpenRequest {
            debtor: Some(debtor),
            decision: Some(domain::law::judicial::Decision::KeepAmicable),
            claims: vec![],
            court: None,
            agent: None,
            reason: Some(format!("{NAME} promet de payer, écrire à {EMAIL}")),
        },
    )
    .await
    .unwrap();
    let report = import_statement(
        store,
        &FixedClock(d(2026, 3, 4)),
        "st-g.sta",
        STATEMENT.as_bytes(),
        &StatementOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.applied, 1, "{report:?}");
    app::audit::write_off(
        store,
        &FixedClock(d(2026, 3, 5)),
        &alice(),
        claims[1],
        None,
        &format!("{NAME} en liquidation"),
    )
    .await
    .unwrap();
    (debtor, claims)
}

/// What must not change: the aged balance on two days, the KPIs of the demo's last year,
/// the ledger's sums.
async fn figures(store: &dyn Store) -> serde_json::Value {
    let mut tx = store.begin_read().await.unwrap();
    let book = tx.book(None).await.unwrap();
    let period = app::reports::Period {
        from: d(2025, 7, 1),
        to: d(2026, 6, 30),
    };
    let kpis = app::reports::kpis(tx.as_mut(), &book, period)
        .await
        .unwrap();
    let census = tx.census().await.unwrap();
    serde_json::json!({
        "aging_2026": book.aged_balance(d(2026, 6, 30), &Buckets::default()),
        "aging_2037": book.aged_balance(d(2037, 1, 1), &Buckets::default()),
        "kpis": kpis,
        "ledger": census.ledger_minor,
    })
}

/// The export holds the claims, contacts, notes, payments, mandate and audit entries; it
/// is audited `gdpr.export` with who asked, and the audit entry holds none of the data.
pub async fn gdpr_export_holds_everything_and_is_audited(store: &dyn Store) {
    let (debtor, claims) = portfolio(store).await;
    let clock = FixedClock(d(2026, 7, 1));
    let data = gdpr::export(store, &clock, &alice(), debtor).await.unwrap();
    assert_eq!(data.format, gdpr::EXPORT_FORMAT);
    assert_eq!(data.debtor.name, NAME);
    assert_eq!(data.contacts.len(), 3);
    let numbers: Vec<String> = data
        .claims
        .iter()
        .map(|c| c.claim.number.to_string())
        .collect();
    assert_eq!(numbers, ["INV-G1", "INV-G2"]);
    assert_eq!(data.claims[0].claim.id, claims[0]);
    // INV-G1: invoice then the payment; INV-G2: invoice then the write-off.
    assert_eq!(data.claims[0].entries.len(), 2);
    assert_eq!(data.claims[1].entries.len(), 2);
    assert_eq!(data.notes.len(), 1);
    assert_eq!(data.payments.len(), 1);
    assert_eq!(data.payments[0].payment.payer_iban.as_deref(), Some(IBAN));
    assert_eq!(data.messages.len(), 1);
    assert_eq!(data.messages[0].deliveries.len(), 1);
    assert_eq!(data.notices.len(), 1);
    assert_eq!(data.legal_files.len(), 1);
    assert!(
        data.legal_files[0]
            .data
            .reason
            .as_deref()
            .is_some_and(|r| r.contains(NAME))
    );
    assert_eq!(data.limitation_events.len(), 1);
    assert!(data.agreements.iter().any(|a| a.body["iban"] == IBAN));
    let actions: Vec<&str> = data.audit.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "call.log",
        "claim.write_off",
        "notice.record",
        "limitation_event.add",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert!(data.portal_tokens.is_empty());
    let json = serde_json::to_value(&data).unwrap();
    assert_eq!(json["debtor"]["name"], NAME);
    assert_eq!(json["claims"][0]["claim"]["number"], "INV-G1");

    let mut tx = store.begin_read().await.unwrap();
    let log = tx.audit_entries(5, None).await.unwrap();
    let entry = log.iter().find(|e| e.action == "gdpr.export").unwrap();
    assert_eq!(entry.actor, "alice");
    assert_eq!(entry.subject, format!("debtor:{debtor}"));
    let after = entry.after.clone().unwrap();
    for v in FORMER {
        assert!(
            !after.contains(v),
            "{v} in the export's audit entry: {after}"
        );
    }
}

/// Erasure is refused while the debtor is not due, with the reason and nothing written:
/// its last entry is the write-off of 2026-03-05, so the limitation archive runs to
/// 2031-03-05 and the accounting retention to 2036-12-31 (the year closing 2026-12-31 +
/// 10 years): refused on 2036-12-31, due on 2037-01-01. A debtor with an open claim is
/// refused whatever the date.
pub async fn gdpr_erasure_is_refused_when_not_due(store: &dyn Store) {
    let (debtor, _) = portfolio(store).await;
    let before = figures(store).await;
    let late = FixedClock(d(2036, 12, 31));
    let err = gdpr::erase(store, &late, &alice(), debtor)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("2036-12-31"), "{err}");
    let mut tx = store.begin_read().await.unwrap();
    let a = gdpr::assess_one(tx.as_mut(), debtor, d(2036, 12, 31))
        .await
        .unwrap();
    assert_eq!(a.closed_on, Some(d(2026, 3, 5)));
    assert_eq!(a.limitation_until, Some(d(2031, 3, 5)));
    assert_eq!(a.accounting_until, Some(d(2036, 12, 31)));
    assert_eq!(a.due_on, Some(d(2037, 1, 1)));
    assert_eq!(
        a.blockers,
        vec![Blocker::Retained {
            until: d(2036, 12, 31)
        }]
    );
    assert_eq!(tx.debtor(debtor).await.unwrap().unwrap().name, NAME);
    // A debtor of the demo with a claim still open in 2037.
    let all = gdpr::assess_all(tx.as_mut(), d(2037, 1, 1)).await.unwrap();
    let open = all
        .iter()
        .find(|a| {
            a.blockers
                .iter()
                .any(|b| matches!(b, Blocker::OpenClaim { .. }))
        })
        .expect("the demo has open claims");
    assert!(
        tx.erasure_requests(&Default::default())
            .await
            .unwrap()
            .is_empty(),
        "a refusal wrote a request"
    );
    drop(tx);
    let err = gdpr::erase(store, &FixedClock(d(2037, 1, 1)), &alice(), open.debtor)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("is open"), "{err}");
    assert_eq!(figures(store).await, before);
}

/// The erasure test of issue 23: the daily job proposes the debtor on 2037-01-01, an
/// admin approves, and then no personal value of the debtor appears in any text column of
/// any table; the aged balance and the KPIs are unchanged to the cent; the audit log
/// names who erased it, without the erased data.
pub async fn gdpr_erasure_leaves_no_personal_data(store: &dyn Store) {
    let (debtor, claims) = portfolio(store).await;
    // Before: every value is somewhere (the scan finds what it must find); the IBAN in
    // groups of four is looked for after, in case a text printed it so.
    let mut tx = store.begin_read().await.unwrap();
    for v in FORMER.iter().filter(|v| **v != IBAN_GROUPED) {
        assert!(!tx.text_hits(v).await.unwrap().is_empty(), "{v} not stored");
    }
    drop(tx);
    let before = figures(store).await;

    let day = FixedClock(d(2037, 1, 1));
    let job = Actor("job:gdpr".into());
    let proposals = gdpr::propose_due(store, &day, &job).await.unwrap();
    let request = proposals
        .proposed
        .iter()
        .find(|r| r.debtor_id == debtor)
        .expect("the debtor is proposed")
        .clone();
    assert_eq!(request.closed_on, d(2026, 3, 5));
    assert_eq!(request.due_on, d(2037, 1, 1));
    // Proposing again the same day adds nothing.
    let again = gdpr::propose_due(store, &day, &job).await.unwrap();
    assert!(again.proposed.is_empty());

    let Approval::Erased(erasure) = gdpr::approve(store, &day, &alice(), request.id)
        .await
        .unwrap()
    else {
        panic!("not erased")
    };
    assert!(erasure.pseudonym.starts_with(&format!("ERASED-{debtor}-")));

    let mut tx = store.begin_read().await.unwrap();
    for v in FORMER {
        let hits = tx.text_hits(v).await.unwrap();
        assert!(hits.is_empty(), "{v:?} still in {hits:?}");
    }
    let d_after = tx.debtor(debtor).await.unwrap().unwrap();
    assert_eq!(d_after.name, erasure.pseudonym);
    assert!(d_after.contacts.is_empty());
    assert_eq!(d_after.external_id, "GDPR-1");
    // Ids, amounts and dates stay.
    let entries = tx.ledger_entries(claims[0]).await.unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].amount_minor, -1200_00);
    assert_eq!(entries[1].date, d(2026, 3, 2));
    let log = tx.audit_entries(10, None).await.unwrap();
    let entry = log.iter().find(|e| e.action == "gdpr.erase").unwrap();
    assert_eq!(entry.actor, "alice");
    assert_eq!(entry.subject, format!("debtor:{debtor}"));
    let done = tx
        .erasure_requests(&app::store::ErasureFilter {
            debtor: Some(debtor),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(done[0].state, ErasureState::Done);
    assert_eq!(done[0].decided_by.as_deref(), Some("alice"));
    drop(tx);
    assert_eq!(figures(store).await, before, "figures changed");

    // An erased debtor is not due again, and a second approval is refused.
    let mut tx = store.begin_read().await.unwrap();
    let due = gdpr::due(tx.as_mut(), d(2037, 1, 2)).await.unwrap();
    assert!(due.iter().all(|a| a.debtor != debtor));
    drop(tx);
    assert!(
        gdpr::approve(store, &day, &alice(), request.id)
            .await
            .is_err()
    );
}

/// Retention settings: the law's bounds are enforced (nothing written on a refusal),
/// changes are audited, and a shorter archive never makes the accounting period shorter.
pub async fn gdpr_retention_settings(store: &dyn Store) {
    let clock = FixedClock(d(2026, 7, 1));
    let bad = gdpr::RetentionChange {
        accounting_years: Some(9),
        b2b_years: Some(3),
        ..Default::default()
    };
    assert!(
        gdpr::set_retention(store, &clock, &alice(), &bad)
            .await
            .is_err()
    );
    let too_long = gdpr::RetentionChange {
        b2c_years: Some(3),
        ..Default::default()
    };
    assert!(
        gdpr::set_retention(store, &clock, &alice(), &too_long)
            .await
            .is_err()
    );
    let mut tx = store.begin_read().await.unwrap();
    assert_eq!(
        gdpr::retention(tx.as_mut()).await.unwrap(),
        gdpr::Retention::default()
    );
    drop(tx);
    let ok = gdpr::RetentionChange {
        b2b_years: Some(3),
        year_end: Some("06-30".into()),
        ..Default::default()
    };
    let r = gdpr::set_retention(store, &clock, &alice(), &ok)
        .await
        .unwrap();
    assert_eq!(r.b2b_years, 3);
    assert_eq!(r.year_end, (6, 30));
    let mut tx = store.begin_read().await.unwrap();
    assert_eq!(gdpr::retention(tx.as_mut()).await.unwrap(), r);
    let log = tx.audit_entries(5, None).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "gdpr.retention" && e.actor == "alice")
    );
}
