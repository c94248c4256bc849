//! Agency mode's records (migration 0017) on every backend: mandates under optimistic
//! concurrency and unique references, one placement in force per claim, remittances with
//! the entries they remit (an entry remitted twice, or a second statement for the same
//! mandate and month, refused and nothing written), notices told once, and a user of the
//! role `client` read back bound to its creditor.

use super::NOW;
use app::store::{
    PlacementFilter, PlacementState, Role, Store, StoredClientNotice, StoredMandate,
    StoredPlacement, StoredRemittance, StoredUser,
};
use domain::{ClaimId, Currency, Date, Money};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// `n` claims of one debtor of `creditor`, with no ledger.
async fn seed_claims(store: &dyn Store, creditor: domain::CreditorId, n: usize) -> Vec<ClaimId> {
    let mut tx = store.begin().await.unwrap();
    let debtor = tx
        .insert_debtor(&crate::sample_debtor(creditor, "AGC-D"))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            tx.insert_claim(&crate::sample_claim(
                creditor,
                debtor,
                &format!("AGC-{i}"),
                d("2026-02-01"),
            ))
            .await
            .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    ids
}

pub async fn agency_records_round_trip(store: &dyn Store) {
    let (creditor, claims) = {
        let mut tx = store.begin().await.unwrap();
        let c = tx
            .insert_creditor("AGC", "Agency Client", "FR")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let ids = seed_claims(store, c.id, 2).await;
        (c.id, ids)
    };
    let mut tx = store.begin().await.unwrap();
    let mandate = StoredMandate {
        id: 0,
        creditor_id: creditor,
        reference: "M-1".into(),
        signed_on: d("2026-03-01"),
        ends_on: None,
        currency: "EUR".into(),
        data: "{\"x\":1}".into(),
        version: 1,
        recorded_by: "test".into(),
        recorded_at: NOW.into(),
    };
    let id = tx.insert_mandate(&mandate).await.unwrap();
    let stored = tx.mandates(Some(creditor)).await.unwrap();
    assert_eq!(
        stored,
        vec![StoredMandate {
            id,
            ..mandate.clone()
        }]
    );
    // Optimistic: an update naming a stale version is refused.
    let v2 = StoredMandate {
        id,
        version: 2,
        ends_on: Some(d("2026-12-31")),
        ..mandate.clone()
    };
    assert!(tx.update_mandate(&v2).await.unwrap());
    assert!(!tx.update_mandate(&v2).await.unwrap(), "version 2 again");
    assert_eq!(
        tx.mandates(None).await.unwrap()[0].ends_on,
        Some(d("2026-12-31"))
    );
    let placement = StoredPlacement {
        id: 0,
        mandate_id: id,
        creditor_id: creditor,
        claim_id: claims[0],
        placed_on: d("2026-03-02"),
        principal_minor: 100_00,
        state: PlacementState::Placed,
        ended_on: None,
        end_reason: None,
        recorded_by: "test".into(),
        recorded_at: NOW.into(),
    };
    let p = tx.insert_placement(&placement).await.unwrap();
    tx.commit().await.unwrap();
    // A second placement in force of the same claim: refused by the database itself.
    let mut tx = store.begin().await.unwrap();
    assert!(tx.insert_placement(&placement).await.is_err());
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.end_placement(p, PlacementState::Withdrawn, d("2026-04-01"), "back")
            .await
            .unwrap()
    );
    assert!(
        !tx.end_placement(p, PlacementState::Closed, d("2026-04-02"), "again")
            .await
            .unwrap(),
        "only a placement in force ends"
    );
    // Withdrawn, the claim may be placed again.
    tx.insert_placement(&StoredPlacement {
        placed_on: d("2026-05-01"),
        ..placement.clone()
    })
    .await
    .unwrap();
    let all = tx
        .placements(&PlacementFilter {
            claim: Some(claims[0]),
            ..PlacementFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].state, PlacementState::Withdrawn);
    assert_eq!(all[0].end_reason.as_deref(), Some("back"));
    assert_eq!(
        tx.placements(&PlacementFilter {
            states: vec![PlacementState::Placed],
            ..PlacementFilter::default()
        })
        .await
        .unwrap()
        .len(),
        1
    );
    let remittance = StoredRemittance {
        id: 0,
        mandate_id: id,
        creditor_id: creditor,
        period_start: d("2026-03-01"),
        period_end: d("2026-03-31"),
        issued_on: d("2026-04-02"),
        due_by: Some(d("2026-04-10")),
        collected: Money::from_minor(500_00, Currency::EUR),
        to_remit: Money::from_minor(440_00, Currency::EUR),
        data: "{}".into(),
        transfer_xml: Some("<Document/>".into()),
        message_id: Some("RCV-1-202603".into()),
        recorded_by: "test".into(),
        recorded_at: NOW.into(),
    };
    let r = tx
        .insert_remittance(&remittance, &[(claims[0], 2), (claims[1], 2)])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let read = tx.remittances(Some(creditor), Some(r), true).await.unwrap();
    assert_eq!(
        read,
        vec![StoredRemittance {
            id: r,
            ..remittance.clone()
        }]
    );
    assert_eq!(
        tx.remittances(None, None, false).await.unwrap()[0].transfer_xml,
        None,
        "the XML only when asked"
    );
    let mut remitted = tx.remitted_entries(&claims).await.unwrap();
    remitted.sort();
    assert_eq!(remitted, vec![(claims[0], 2), (claims[1], 2)]);
    drop(tx);
    // An entry remitted twice: the whole statement is refused.
    let mut tx = store.begin().await.unwrap();
    let again = StoredRemittance {
        period_start: d("2026-04-01"),
        period_end: d("2026-04-30"),
        message_id: Some("RCV-1-202604".into()),
        ..remittance.clone()
    };
    assert!(
        tx.insert_remittance(&again, &[(claims[1], 3), (claims[0], 2)])
            .await
            .is_err()
    );
    drop(tx);
    // The same mandate and month twice: refused.
    let mut tx = store.begin().await.unwrap();
    let same_month = StoredRemittance {
        message_id: Some("RCV-1-OTHER".into()),
        ..remittance.clone()
    };
    assert!(tx.insert_remittance(&same_month, &[]).await.is_err());
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.remittances(None, None, false).await.unwrap().len(), 1);
    assert_eq!(tx.remitted_entries(&claims).await.unwrap().len(), 2);
    // Notices: told once per key.
    let notice = StoredClientNotice {
        id: 0,
        creditor_id: creditor,
        key: "payment:1:2".into(),
        kind: "payment".into(),
        claim_id: Some(ClaimId(claims[0].0)),
        created_on: d("2026-03-10"),
        data: "{}".into(),
        recorded_at: NOW.into(),
        emailed_at: None,
    };
    assert!(tx.insert_client_notice(&notice).await.unwrap());
    assert!(!tx.insert_client_notice(&notice).await.unwrap());
    let read = tx.client_notices(Some(creditor), 10).await.unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].emailed_at, None);
    assert_eq!(
        tx.set_client_notices_emailed(&[read[0].id], Some(NOW))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        tx.client_notices(None, 10).await.unwrap()[0]
            .emailed_at
            .as_deref(),
        Some(NOW)
    );
    // A client user is read back as a client of its creditor; staff may not carry one.
    let client = StoredUser {
        id: 0,
        login: "client-agc".into(),
        display_name: "Client".into(),
        role: Role::Client,
        client_of: Some(creditor),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        language: "fr".into(),
        active: true,
        created_at: NOW.into(),
    };
    let uid = tx.insert_user(&client).await.unwrap();
    assert_eq!(
        tx.user(uid).await.unwrap(),
        Some(StoredUser {
            id: uid,
            ..client.clone()
        })
    );
    assert!(
        tx.insert_user(&StoredUser {
            login: "staff-agc".into(),
            role: Role::Viewer,
            ..client.clone()
        })
        .await
        .is_err()
    );
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.insert_user(&StoredUser {
            login: "client-none".into(),
            client_of: None,
            ..client
        })
        .await
        .is_err()
    );
}
