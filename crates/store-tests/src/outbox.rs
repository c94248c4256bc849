//! Conformance cases of the outbox, the delivery log and the jobs table.

use crate::{NOW, d, sample_claim, sample_debtor};
use app::store::{
    ActionStatus, DeliveryAttempt, DeliveryResult, JobClaim, JobRequest, OutboxFilter,
    OutboxStatus, Store, StoredAction,
};
use domain::dunning::{Channel, Channels, Stage};
use domain::{ClaimId, Currency, DebtorId, Money};

/// What a registered letter needs (app::issuing): the sender's address and SIREN, the
/// IBAN to pay to (the sender's name is the creditor's).
pub(crate) async fn letter_settings(tx: &mut dyn app::store::Tx) {
    for (key, value) in [
        (
            app::issuing::settings::SENDER_ADDRESS,
            "8 quai des Forges, 75011 Paris",
        ),
        (
            app::issuing::settings::SENDER_COMPANY_ID,
            "SIREN 552 100 554",
        ),
        (app::sepa::CREDITOR_IBAN, "FR7630006000011234567890189"),
    ] {
        tx.set_setting(key, value).await.unwrap();
    }
}

/// The sample debtor with a postal address.
fn debtor_with_address(creditor: domain::CreditorId, ext: &str) -> domain::Debtor {
    let mut debtor = sample_debtor(creditor, ext);
    debtor.contacts.push(domain::Contact {
        kind: domain::ContactKind::Address,
        value: "12 rue des Lilas, 69003 Lyon".into(),
        label: None,
    });
    debtor
}

/// One debtor (e-mail, phone and address), one claim, and an action on every channel kind
/// that matters: e-mail and SMS (sent), registered letter (printed), phone task (neither).
async fn action_with_channels(store: &dyn Store, status: ActionStatus) -> (i64, DebtorId) {
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    letter_settings(tx.as_mut()).await;
    let debtor = debtor_with_address(c.id, "C001");
    let debtor_id = tx.insert_debtor(&debtor).await.unwrap();
    let claim = tx
        .insert_claim(&sample_claim(c.id, debtor_id, "F-1", d(2026, 5, 31)))
        .await
        .unwrap();
    let action = StoredAction {
        id: 0,
        debtor_id,
        cycle: 1,
        step_code: "d+15_mixed".into(),
        scenario: "standard".into(),
        channels: Channels::empty()
            .with(Channel::Email)
            .with(Channel::Sms)
            .with(Channel::RegisteredLetter)
            .with(Channel::PhoneTask),
        template: "reminder".into(),
        claims: vec![claim],
        amount: Money::from_minor(1_200_50, Currency::EUR),
        claim_penalties: false,
        stage_after: Stage::Amicable,
        status,
        created_on: d(2026, 6, 15),
        created_at: NOW.into(),
    };
    let id = tx.insert_action(&action).await.unwrap().unwrap();
    let mut stored = action.clone();
    stored.id = id;
    if status == ActionStatus::Planned {
        app::outbox::enqueue_action(tx.as_mut(), &stored, NOW)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let _ = ClaimId(0);
    (id, debtor_id)
}

/// Queueing writes one entry per sending channel (e-mail and SMS queued, the registered
/// letter in the print queue, the phone task nowhere) with a stable Message-ID, once;
/// leases keep a second worker off claimed entries until they expire; a worker whose
/// lease was taken over can no longer write; the delivery log round-trips.
pub async fn outbox_queue_claim_and_lease(store: &dyn Store) {
    let (action, debtor) = action_with_channels(store, ActionStatus::Planned).await;
    let mut tx = store.begin().await.unwrap();
    let mut all = tx.outbox(&OutboxFilter::default()).await.unwrap();
    all.sort_by_key(|e| e.channel);
    let summary: Vec<_> = all
        .iter()
        .map(|e| {
            (
                e.channel,
                e.status,
                e.recipient.as_str(),
                e.message_id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                Channel::Email,
                OutboxStatus::Queued,
                "compta@C001.example",
                format!("<action-{action}.email@recouvre.localhost>").as_str()
            ),
            (
                Channel::Sms,
                OutboxStatus::Queued,
                "+33 1 23 45 67 89",
                format!("<action-{action}.sms@recouvre.localhost>").as_str()
            ),
            (
                Channel::RegisteredLetter,
                OutboxStatus::Print,
                "",
                format!("<action-{action}.registered_letter@recouvre.localhost>").as_str()
            ),
        ]
    );
    assert!(
        all.iter()
            .all(|e| e.debtor_id == debtor && e.action_id == action)
    );
    // Queueing the same action again writes nothing.
    let a = tx.action(action).await.unwrap().unwrap();
    assert_eq!(
        app::outbox::enqueue_action(tx.as_mut(), &a, NOW)
            .await
            .unwrap(),
        0
    );
    tx.commit().await.unwrap();

    // Worker w1 claims at t=1000 for 300 s: the two sendable entries, not the letter.
    let mut tx = store.begin().await.unwrap();
    let claimed = tx.claim_outbox("w1", 1_000, 1_300, 10, NOW).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(
        claimed
            .iter()
            .all(|e| e.lease_owner.as_deref() == Some("w1"))
    );
    // w2 at t=1100 finds them leased.
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.claim_outbox("w2", 1_100, 1_400, 10, NOW)
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
    // At t=1300 the lease has expired: w2 takes both over.
    let mut tx = store.begin().await.unwrap();
    let taken = tx.claim_outbox("w2", 1_300, 1_600, 10, NOW).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(taken.len(), 2);
    // w1 can no longer write them; w2 can.
    let mut e = taken[0].clone();
    e.status = OutboxStatus::Sending;
    e.attempts = 1;
    let mut tx = store.begin().await.unwrap();
    assert!(!tx.update_outbox(&e, Some("w1")).await.unwrap());
    assert!(tx.update_outbox(&e, Some("w2")).await.unwrap());
    let mut attempt = DeliveryAttempt {
        id: 0,
        outbox_id: e.id,
        attempt: 1,
        worker: "w2".into(),
        started_at: NOW.into(),
        finished_at: None,
        result: DeliveryResult::Started,
        provider_id: None,
        detail: None,
    };
    attempt.id = tx.insert_delivery(&attempt).await.unwrap();
    attempt.result = DeliveryResult::Sent;
    attempt.finished_at = Some(NOW.into());
    attempt.provider_id = Some("250 OK queued as 42".into());
    tx.finish_delivery(&attempt).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.deliveries(Some(e.id)).await.unwrap(),
        vec![attempt.clone()]
    );
    assert_eq!(tx.deliveries(None).await.unwrap(), vec![attempt]);
    assert_eq!(
        tx.outbox_entry(e.id).await.unwrap().unwrap().status,
        OutboxStatus::Sending
    );
    let counts = tx.outbox_counts().await.unwrap();
    assert_eq!(
        counts,
        vec![
            (OutboxStatus::Queued, 1),
            (OutboxStatus::Sending, 1),
            (OutboxStatus::Print, 1)
        ]
    );
    // A `sending` entry whose lease expired is claimable (the takeover path).
    let again = tx.claim_outbox("w3", 2_000, 2_300, 10, NOW).await.unwrap();
    assert_eq!(again.len(), 2);
    // A queued entry not yet due is not.
    let mut later = again
        .iter()
        .find(|x| x.status == OutboxStatus::Queued)
        .unwrap()
        .clone();
    later.next_attempt_at = 5_000;
    later.lease_owner = None;
    later.lease_until = None;
    assert!(tx.update_outbox(&later, None).await.unwrap());
    // At t=2200 the sending one is still under w3's lease (until 2300) and the queued one
    // waits for t=5000: nothing to claim.
    let none = tx.claim_outbox("w4", 2_200, 2_500, 10, NOW).await.unwrap();
    assert!(none.is_empty(), "{none:?}");
}

/// An approved draft queues its messages; a skipped action cancels its unsent ones.
pub async fn outbox_follows_approval_and_skip(store: &dyn Store) {
    let (draft, _) = action_with_channels(store, ActionStatus::Draft).await;
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.outbox(&OutboxFilter::default())
            .await
            .unwrap()
            .is_empty(),
        "a draft sends nothing"
    );
    drop(tx);
    app::dunning::approve(store, draft).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.outbox(&OutboxFilter::default()).await.unwrap().len(), 3);
    drop(tx);
    app::dunning::skip(store, draft).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let all = tx.outbox(&OutboxFilter::default()).await.unwrap();
    assert!(
        all.iter().all(|e| e.status == OutboxStatus::Cancelled),
        "{all:?}"
    );
    assert!(
        tx.claim_outbox("w", i64::MAX / 2, i64::MAX / 2, 10, NOW)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Issue 17, "also found" 2: the run never prints a letter that lacks what a letter must
/// carry. A debtor (B2B standard scenario) whose invoice is 35 days late on 10 June 2026
/// gets the formal notice of step d+30; with no sender address, SIREN, IBAN nor debtor
/// address, the run reports it refused, and its letter is `failed` in the outbox with the
/// reason naming each item (the e-mail copy is queued). With those facts set, the next
/// debtor's letter waits in the print queue.
pub async fn outbox_refuses_a_letter_it_cannot_issue(store: &dyn Store) {
    let day = d(2026, 6, 10);
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    let mut bare = sample_debtor(c.id, "N01");
    bare.tags.clear();
    let bare = tx.insert_debtor(&bare).await.unwrap();
    let claim = tx
        .insert_claim(&sample_claim(c.id, bare, "F-N1", d(2026, 5, 6)))
        .await
        .unwrap();
    let mut l = domain::ClaimLedger::new(Currency::EUR);
    l.post(
        domain::EntryKind::Invoice,
        Money::from_minor(1_200_00, Currency::EUR),
        d(2026, 4, 6),
        None,
    )
    .unwrap();
    tx.append_entries(claim, l.entries(), NOW).await.unwrap();
    tx.commit().await.unwrap();

    let report = crate::run_on(store, day).await;
    let notice = report.actions.iter().find(|a| a.debtor_id == bare).unwrap();
    assert_eq!(notice.step, "d+30_formal_notice");
    assert_eq!(
        report.letters_refused.len(),
        1,
        "{:?}",
        report.letters_refused
    );
    let refused = &report.letters_refused[0];
    assert_eq!(refused.action_id, notice.id);
    assert_eq!(
        refused.refusal.missing,
        vec![
            app::issuing::Missing::SenderAddress,
            app::issuing::Missing::Siren,
            app::issuing::Missing::Iban,
            app::issuing::Missing::RecipientAddress,
        ]
    );
    let mut tx = store.begin().await.unwrap();
    let entries = tx
        .outbox(&OutboxFilter {
            action: notice.id,
            ..OutboxFilter::default()
        })
        .await
        .unwrap();
    let letter = entries
        .iter()
        .find(|e| e.channel == Channel::FormalNotice)
        .unwrap();
    assert_eq!(letter.status, OutboxStatus::Failed);
    let why = letter.last_error.clone().unwrap_or_default();
    assert!(why.contains("SIREN") && why.contains("IBAN"), "{why}");
    assert!(why.contains("adresse postale du débiteur"), "{why}");
    let email = entries
        .iter()
        .find(|e| e.channel == Channel::Email)
        .unwrap();
    assert_eq!(email.status, OutboxStatus::Queued);

    // The facts set, a second debtor's notice is printed.
    letter_settings(tx.as_mut()).await;
    let mut ok = debtor_with_address(c.id, "N02");
    ok.tags.clear();
    let ok = tx.insert_debtor(&ok).await.unwrap();
    let claim = tx
        .insert_claim(&sample_claim(c.id, ok, "F-N2", d(2026, 5, 6)))
        .await
        .unwrap();
    tx.append_entries(claim, l.entries(), NOW).await.unwrap();
    tx.commit().await.unwrap();
    let report = crate::run_on(store, day).await;
    assert!(
        report.letters_refused.is_empty(),
        "{:?}",
        report.letters_refused
    );
    let id = report
        .actions
        .iter()
        .find(|a| a.debtor_id == ok)
        .and_then(|a| a.id)
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let entries = tx
        .outbox(&OutboxFilter {
            action: Some(id),
            ..OutboxFilter::default()
        })
        .await
        .unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.channel == Channel::FormalNotice && e.status == OutboxStatus::Print),
        "{entries:?}"
    );
    // Issue 18: once its tracking number is recorded, the letter is no longer "to print"
    // for ever: it is sent, under that number.
    app::contract::update_delivery_in(
        tx.as_mut(),
        &app::clock::FixedClock(day),
        app::contract::NoticeRef::Action(id),
        &app::contract::DeliveryUpdate {
            tracking_number: Some("1A00112233445".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let entries = tx
        .outbox(&OutboxFilter {
            action: Some(id),
            ..OutboxFilter::default()
        })
        .await
        .unwrap();
    let letter = entries
        .iter()
        .find(|e| e.channel == Channel::FormalNotice)
        .unwrap();
    assert_eq!(letter.status, OutboxStatus::Sent, "{entries:?}");
    assert_eq!(letter.provider_id.as_deref(), Some("1A00112233445"));
}

fn job(
    key: &'static str,
    owner: &'static str,
    now: i64,
    until: i64,
    again: bool,
) -> JobRequest<'static> {
    JobRequest {
        key,
        kind: "run",
        owner,
        now,
        lease_until: until,
        again,
        take_over: None,
        at: NOW,
    }
}

/// A job's lease: one holder at a time, taken over when it expires, done once unless
/// asked again.
pub async fn jobs_are_leased(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.claim_job(&job("run:2026-06-30", "a", 100, 200, false))
            .await
            .unwrap(),
        JobClaim::Acquired { attempts: 1 }
    );
    assert_eq!(
        tx.claim_job(&job("run:2026-06-30", "b", 150, 250, false))
            .await
            .unwrap(),
        JobClaim::Held {
            owner: "a".into(),
            until: 200
        }
    );
    // b cannot finish a's job.
    assert!(
        !tx.finish_job("run:2026-06-30", "b", true, "x", NOW)
            .await
            .unwrap()
    );
    assert!(
        tx.finish_job("run:2026-06-30", "a", true, "12 actions", NOW)
            .await
            .unwrap()
    );
    assert_eq!(
        tx.claim_job(&job("run:2026-06-30", "b", 160, 260, false))
            .await
            .unwrap(),
        JobClaim::Done {
            finished_at: Some(NOW.into()),
            result: Some("12 actions".into())
        }
    );
    assert_eq!(
        tx.claim_job(&job("run:2026-06-30", "b", 160, 260, true))
            .await
            .unwrap(),
        JobClaim::Acquired { attempts: 2 }
    );
    // b crashes; at 300 its lease (until 260) has expired: c takes over.
    assert_eq!(
        tx.claim_job(&job("run:2026-06-30", "c", 300, 400, false))
            .await
            .unwrap(),
        JobClaim::Acquired { attempts: 3 }
    );
    tx.commit().await.unwrap();
}

/// Issue 23, "also found": on PostgreSQL, approving and skipping the same draft at once
/// both succeeded and the e-mail went out. A change of an action's status is a
/// compare-and-set: of two changes that both read the draft, one wins and the other is
/// refused having written nothing (no outbox entry, no audit line). Eight rounds, each on
/// a fresh draft, with the approval and the skip started together (alternately first).
///
/// Both may succeed only one after the other: an approval that committed before the skip
/// read the action, the skip then cancelling the queued messages. So the audit log of
/// each action must be a chain (the first change leaves from `draft`, the next from what
/// the first left), and messages wait in the outbox exactly when the action ends approved.
pub async fn approve_and_skip_race_one_wins(store: &dyn Store) {
    let clock = app::FixedClock(d(2026, 6, 15));
    let manager = app::audit::Actor("manon".into());
    let collector = app::audit::Actor("colin".into());
    let mut tx = store.begin().await.unwrap();
    let c = tx.insert_creditor("ACME", "Acme", "FR").await.unwrap();
    tx.commit().await.unwrap();
    for round in 0..8 {
        let mut tx = store.begin().await.unwrap();
        let debtor = tx
            .insert_debtor(&debtor_with_address(c.id, &format!("R{round:02}")))
            .await
            .unwrap();
        let claim = tx
            .insert_claim(&sample_claim(
                c.id,
                debtor,
                &format!("F-R{round}"),
                d(2026, 5, 31),
            ))
            .await
            .unwrap();
        let draft = StoredAction {
            id: 0,
            debtor_id: debtor,
            cycle: 1,
            step_code: "d+15_reminder".into(),
            scenario: "standard".into(),
            channels: Channels::empty().with(Channel::Email).with(Channel::Sms),
            template: "reminder".into(),
            claims: vec![claim],
            amount: Money::from_minor(1_200_50, Currency::EUR),
            claim_penalties: false,
            stage_after: Stage::Amicable,
            status: ActionStatus::Draft,
            created_on: d(2026, 6, 15),
            created_at: NOW.into(),
        };
        let id = tx.insert_action(&draft).await.unwrap().unwrap();
        tx.commit().await.unwrap();

        let approve = app::audit::approve_action(store, &clock, &manager, id);
        let skip = app::audit::skip_action(store, &clock, &collector, id);
        let (approved, skipped) = if round % 2 == 0 {
            tokio::join!(approve, skip)
        } else {
            let (s, a) = tokio::join!(skip, approve);
            (a, s)
        };
        assert!(
            approved.is_ok() || skipped.is_ok(),
            "round {round}: one of them wins: {approved:?} {skipped:?}"
        );
        for lost in [&approved, &skipped]
            .into_iter()
            .filter_map(|r| r.as_ref().err())
        {
            let message = lost.to_string();
            assert!(matches!(lost, app::AppError::Invalid(_)), "{message}");
            assert!(message.contains(&format!("action {id}")), "{message}");
        }

        let mut tx = store.begin().await.unwrap();
        let status = tx.action(id).await.unwrap().unwrap().status;
        let entries = tx
            .outbox(&OutboxFilter {
                action: Some(id),
                ..OutboxFilter::default()
            })
            .await
            .unwrap();
        let mut chain: Vec<(String, Option<String>, Option<String>)> = tx
            .audit_entries(100, None)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.subject == format!("action:{id}"))
            .map(|e| (e.action, e.before, e.after))
            .collect();
        chain.reverse();
        drop(tx);
        let successes = usize::from(approved.is_ok()) + usize::from(skipped.is_ok());
        assert_eq!(
            chain.len(),
            successes,
            "round {round}: the loser audits nothing: {chain:?}"
        );
        let mut from = "\"draft\"".to_string();
        for (what, before, after) in &chain {
            assert_eq!(
                before.as_deref(),
                Some(from.as_str()),
                "round {round}: {what} changed a status it did not see: {chain:?}"
            );
            from = after.clone().unwrap();
        }
        let live: Vec<_> = entries
            .iter()
            .filter(|e| e.status != OutboxStatus::Cancelled)
            .collect();
        match status {
            ActionStatus::Approved => {
                assert!(
                    skipped.is_err(),
                    "round {round}: approved although the skip succeeded"
                );
                assert_eq!(
                    live.len(),
                    2,
                    "round {round}: e-mail and SMS queued: {entries:?}"
                );
            }
            ActionStatus::Skipped => {
                assert!(
                    live.is_empty(),
                    "round {round}: skipped but sends: {live:?}"
                );
                if approved.is_err() {
                    assert!(
                        entries.is_empty(),
                        "round {round}: the refused approval queued {entries:?}"
                    );
                }
            }
            other => panic!("round {round}: ends {other}"),
        }
    }
}
