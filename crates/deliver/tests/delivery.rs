//! Delivery with real servers: a real SMTP server (aiosmtpd) and an HTTP server standing
//! in for an SMS provider; the worker runs on a real SQLite store.

#![allow(clippy::unwrap_used)]

mod common;

use recouvre_deliver as deliver;

use app::channels::{Header, Security, SmsSettings, SmtpSettings};
use app::clock::FixedClock;
use app::outbox::{
    Attachment, ComposeError, Composed, Composer, FallbackComposer, Worker, WorkerConfig,
};
use app::store::{
    ActionStatus, DeliveryAttempt, DeliveryResult, OutboxEntry, OutboxFilter, OutboxStatus, Store,
    StoredAction,
};
use common::{Provider, Sink};
use domain::dunning::{Channel, Channels, Stage};
use domain::{
    Claim, ClaimId, ClaimNumber, Contact, ContactKind, Currency, Date, Debtor, DebtorId,
    DebtorKind, EntryKind, LedgerEntry, Money, Nature, Segment,
};
use std::sync::Arc;

const NOW: &str = "2026-11-23T09:00:00Z";

fn day(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).unwrap()
}

/// Unix seconds of a Paris wall-clock time.
fn paris(y: i16, m: i8, d: i8, h: i8) -> i64 {
    jiff::civil::date(y, m, d)
        .at(h, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
        .unwrap()
        .timestamp()
        .as_second()
}

struct Fixture {
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn fresh() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = store_sqlite::SqliteStore::open(path.to_str().unwrap(), NOW)
        .await
        .unwrap();
    Fixture {
        store: Arc::new(store),
        _dir: dir,
    }
}

/// A debtor with one invoice of `amount` due 31 May 2026, and a planned action on
/// `channels` about it, queued in the outbox. Returns the action's id.
async fn debtor_with_action(
    store: &dyn Store,
    ext: &str,
    language: &str,
    country: &str,
    amount_minor: i64,
    channels: Channels,
) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let creditor = match tx.creditor_by_code("ACME").await.unwrap() {
        Some(c) => c,
        None => tx
            .insert_creditor("ACME", "Atelier Durand SAS", "FR")
            .await
            .unwrap(),
    };
    let debtor = Debtor {
        id: DebtorId(0),
        creditor_id: creditor.id,
        external_id: ext.into(),
        name: format!("Client {ext}"),
        kind: DebtorKind::Company,
        segment: Segment::B2b,
        country: country.into(),
        language: language.into(),
        contacts: vec![
            Contact {
                kind: ContactKind::Email,
                value: format!("compta@{}.example", ext.to_lowercase()),
                label: None,
            },
            Contact {
                kind: ContactKind::Phone,
                value: "+33612345678".into(),
                label: None,
            },
        ],
        tags: vec![],
    };
    let debtor_id = tx.insert_debtor(&debtor).await.unwrap();
    let claim = tx
        .insert_claim(&Claim {
            id: ClaimId(0),
            creditor_id: creditor.id,
            debtor_id,
            external_id: format!("F-{ext}"),
            number: ClaimNumber::parse(&format!("F-{ext}")).unwrap(),
            nature: Nature::Commercial,
            issue_date: day(2026, 4, 30),
            due_date: day(2026, 5, 31),
            currency: Currency::EUR,
        })
        .await
        .unwrap();
    tx.append_entries(
        claim,
        &[LedgerEntry {
            seq: 1,
            kind: EntryKind::Invoice,
            amount_minor,
            date: day(2026, 4, 30),
            reverses: None,
            reference: None,
        }],
        NOW,
    )
    .await
    .unwrap();
    let mut action = StoredAction {
        id: 0,
        debtor_id,
        cycle: 1,
        step_code: "d+15_email".into(),
        scenario: "standard".into(),
        channels,
        template: "first_reminder".into(),
        claims: vec![claim],
        amount: Money::from_minor(amount_minor, Currency::EUR),
        claim_penalties: false,
        stage_after: Stage::Amicable,
        status: ActionStatus::Planned,
        created_on: day(2026, 11, 23),
        created_at: NOW.into(),
    };
    action.id = tx.insert_action(&action).await.unwrap().unwrap();
    app::outbox::enqueue_action(tx.as_mut(), &action, NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    action.id
}

fn smtp_settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: Security::Plain,
        user: None,
        password_env: None,
        from: "Atelier Durand <relances@acme.example>".into(),
        reply_to: Some("recouvrement@acme.example".into()),
        ca_file: None,
    }
}

/// The fallback text plus a PDF attachment: what the template engine will give.
struct WithPdf(FallbackComposer);

const PDF: &[u8] = b"%PDF-1.7\n% Recouvre test letter\n%%EOF\n";

#[async_trait::async_trait]
impl Composer for WithPdf {
    async fn compose(&self, entry: &OutboxEntry) -> Result<Composed, ComposeError> {
        let mut c = self.0.compose(entry).await?;
        c.attachments.push(Attachment {
            filename: format!("relance-{}.pdf", entry.action_id),
            content_type: "application/pdf".into(),
            bytes: PDF.to_vec(),
        });
        Ok(c)
    }
}

async fn outbox(store: &dyn Store) -> Vec<OutboxEntry> {
    let mut tx = store.begin().await.unwrap();
    let mut all = tx.outbox(&OutboxFilter::default()).await.unwrap();
    all.sort_by_key(|e| e.id);
    all
}

/// Two debtors, one French and one English: each gets one e-mail, in their language, to
/// their address, with the stable Message-ID, the Reply-To and the PDF attached; the
/// outbox says sent, the action done, the log one `sent` attempt. A second pass sends
/// nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emails_reach_a_real_smtp_server_in_the_debtors_language() {
    let sink = Sink::start(0);
    let f = fresh().await;
    let store = f.store.as_ref();
    let clock = FixedClock(day(2026, 11, 23));
    let actor = app::audit::Actor("test".into());
    app::channels::set_smtp(store, &clock, &actor, &smtp_settings(sink.port))
        .await
        .unwrap();
    let email = Channels::empty().with(Channel::Email);
    let fr = debtor_with_action(store, "DUPONT", "fr", "FR", 1_200_50, email).await;
    let en = debtor_with_action(store, "SMITH", "en", "GB", 980_00, email).await;

    let transports = deliver::transports(Some(smtp_settings(sink.port)), None).unwrap();
    let composer = WithPdf(FallbackComposer::new(f.store.clone()));
    let worker = Worker {
        store,
        composer: &composer,
        transports: &transports,
        id: "test-worker".into(),
        config: WorkerConfig::default(),
    };
    let now = || paris(2026, 11, 23, 10);
    let report = worker.drain(&now).await.unwrap();
    assert_eq!((report.claimed, report.sent, report.failed), (2, 2, 0));

    let got = sink.messages();
    assert_eq!(got.len(), 2, "{got:#?}");
    let by_id = |id: i64| {
        let mid = format!("<action-{id}.email@recouvre.acme.example>");
        got.iter()
            .find(|m| m["message_id"] == mid.as_str())
            .unwrap_or_else(|| panic!("no message {mid} in {got:#?}"))
    };
    let m = by_id(fr);
    assert_eq!(m["rcpt_tos"], serde_json::json!(["compta@dupont.example"]));
    assert_eq!(m["mail_from"], "relances@acme.example");
    assert_eq!(m["reply_to"], "recouvrement@acme.example");
    // 1,200.50 EUR written the French way, narrow no-break space before the thousands.
    assert_eq!(
        m["subject"],
        "Atelier Durand SAS : rappel de paiement (1\u{202f}200,50 EUR)"
    );
    let text = m["text"].as_str().unwrap();
    assert!(text.starts_with("Bonjour,"), "{text}");
    assert!(
        text.contains("facture F-DUPONT échue le 31/05/2026 : 1\u{202f}200,50 EUR"),
        "{text}"
    );
    assert!(text.contains("Total dû : 1\u{202f}200,50 EUR"), "{text}");
    let att = &m["attachments"][0];
    assert_eq!(att["filename"], format!("relance-{fr}.pdf").as_str());
    assert_eq!(att["content_type"], "application/pdf");
    let bytes = base64_decode(att["base64"].as_str().unwrap());
    assert_eq!(bytes, PDF);

    let m = by_id(en);
    assert_eq!(m["rcpt_tos"], serde_json::json!(["compta@smith.example"]));
    assert_eq!(
        m["subject"],
        "Atelier Durand SAS: payment reminder (EUR 980.00)"
    );
    let text = m["text"].as_str().unwrap();
    assert!(text.starts_with("Hello,"), "{text}");
    assert!(
        text.contains("invoice F-SMITH due on 2026-05-31: EUR 980.00"),
        "{text}"
    );

    let entries = outbox(store).await;
    assert!(
        entries.iter().all(|e| e.status == OutboxStatus::Sent),
        "{entries:?}"
    );
    let mut tx = store.begin().await.unwrap();
    for e in &entries {
        let log = tx.deliveries(Some(e.id)).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].result, DeliveryResult::Sent);
        assert!(log[0].provider_id.as_deref().unwrap().contains("stored"));
        assert_eq!(
            tx.action(e.action_id).await.unwrap().unwrap().status,
            ActionStatus::Done
        );
    }
    drop(tx);
    // Nothing is sent twice.
    let again = worker.drain(&now).await.unwrap();
    assert_eq!(again.claimed, 0);
    assert_eq!(sink.messages().len(), 2);
}

fn base64_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()) {
        let v = ALPHABET.iter().position(|a| *a == c).unwrap() as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// An entry found `sending` with a `started` attempt after its lease expired (its worker
/// crashed while the data was leaving) is not resent: it fails as uncertain, the attempt
/// is marked interrupted, and the SMTP server receives nothing. `outbox retry` then sends
/// it once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_send_is_never_resent_automatically() {
    let sink = Sink::start(0);
    let f = fresh().await;
    let store = f.store.as_ref();
    let email = Channels::empty().with(Channel::Email);
    debtor_with_action(store, "DUPONT", "fr", "FR", 1_200_50, email).await;
    // The crashed worker's state: claimed, `sending`, a `started` attempt, lease expired.
    let mut tx = store.begin().await.unwrap();
    let mut e = tx
        .claim_outbox("crashed", 100, 200, 10, NOW)
        .await
        .unwrap()
        .remove(0);
    e.status = OutboxStatus::Sending;
    e.attempts = 1;
    tx.update_outbox(&e, Some("crashed")).await.unwrap();
    tx.insert_delivery(&DeliveryAttempt {
        id: 0,
        outbox_id: e.id,
        attempt: 1,
        worker: "crashed".into(),
        started_at: NOW.into(),
        finished_at: None,
        result: DeliveryResult::Started,
        provider_id: None,
        detail: None,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let transports = deliver::transports(Some(smtp_settings(sink.port)), None).unwrap();
    let composer = FallbackComposer::new(f.store.clone());
    let worker = Worker {
        store,
        composer: &composer,
        transports: &transports,
        id: "taker".into(),
        config: WorkerConfig::default(),
    };
    let now = || paris(2026, 11, 23, 10);
    let report = worker.drain(&now).await.unwrap();
    assert_eq!((report.claimed, report.sent, report.failed), (1, 0, 1));
    assert!(sink.messages().is_empty());
    let entry = outbox(store).await.remove(0);
    assert_eq!(entry.status, OutboxStatus::Failed);
    assert!(
        entry
            .last_error
            .as_deref()
            .unwrap()
            .starts_with("uncertain:")
    );
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.deliveries(Some(entry.id)).await.unwrap()[0].result,
        DeliveryResult::Interrupted
    );
    drop(tx);

    // A person checked: it never arrived. Retry sends it, once.
    let clock = FixedClock(day(2026, 11, 23));
    app::outbox::retry(store, &clock, &app::audit::Actor("alice".into()), entry.id)
        .await
        .unwrap();
    let report = worker.drain(&now).await.unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(sink.messages().len(), 1);
    let mut tx = store.begin().await.unwrap();
    let log = tx.deliveries(Some(entry.id)).await.unwrap();
    assert_eq!(
        log.iter()
            .map(|a| (a.attempt, a.result))
            .collect::<Vec<_>>(),
        vec![(1, DeliveryResult::Interrupted), (2, DeliveryResult::Sent)]
    );
}

fn sms_settings(port: u16) -> SmsSettings {
    SmsSettings {
        url: format!("http://127.0.0.1:{port}/v1/sms"),
        method: "POST".into(),
        headers: vec![
            Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            },
            Header {
                name: "Authorization".into(),
                value: "${RECOUVRE_SECRET_TEST_SMS_KEY}".into(),
            },
        ],
        body: r#"{"to":"{{to}}","text":"{{text}}","ref":"{{message_id}}","from":"{{sender}}"}"#
            .into(),
        success_status: 201,
        sender: Some("ACME".into()),
        max_parts: 3,
    }
}

/// SMS go to the HTTP provider as configured (method, path, headers with the key read
/// from the environment, JSON body, idempotency key); a 503 is retried after the backoff
/// (60 s) with the same idempotency key; at night and on Sundays the SMS waits without an attempt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_reach_the_http_provider_with_retries_and_quiet_hours() {
    let provider = Provider::start(vec![503, 201]).await;
    let f = fresh().await;
    let store = f.store.as_ref();
    let sms = Channels::empty().with(Channel::Sms);
    let action = debtor_with_action(store, "DUPONT", "fr", "FR", 1_200_50, sms).await;
    let transports = deliver::transports(None, Some(sms_settings(provider.port))).unwrap();
    let composer = FallbackComposer::new(f.store.clone());
    let worker = Worker {
        store,
        composer: &composer,
        transports: &transports,
        id: "w".into(),
        config: WorkerConfig::default(),
    };

    // Sunday 29 November 2026, 11:00: quiet day, waits for Monday 08:00, no request.
    let sunday = || paris(2026, 11, 29, 11);
    let r = worker.drain(&sunday).await.unwrap();
    assert_eq!((r.claimed, r.deferred), (1, 1));
    assert!(provider.received.lock().unwrap().is_empty());
    let e = outbox(store).await.remove(0);
    assert_eq!(e.status, OutboxStatus::Queued);
    assert_eq!(e.attempts, 0);
    assert_eq!(e.next_attempt_at, paris(2026, 11, 30, 8));

    // Monday 10:00: the provider answers 503 → retried 60 s later.
    let monday = paris(2026, 11, 30, 10);
    let r = worker.drain(&|| monday).await.unwrap();
    assert_eq!(r.retried, 1);
    let e = outbox(store).await.remove(0);
    assert_eq!((e.status, e.attempts), (OutboxStatus::Queued, 1));
    assert_eq!(e.next_attempt_at, monday + 60);
    // Not due 59 s later; sent at 60 s.
    assert_eq!(worker.drain(&|| monday + 59).await.unwrap().claimed, 0);
    let r = worker.drain(&|| monday + 60).await.unwrap();
    assert_eq!(r.sent, 1);
    let e = outbox(store).await.remove(0);
    assert_eq!(e.status, OutboxStatus::Sent);
    assert_eq!(e.provider_id.as_deref(), Some(r#"{"id":"sms-2"}"#));

    let got = provider.received.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    let mid = format!("<action-{action}.sms@recouvre.localhost>");
    for req in &got {
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/v1/sms");
        // The key stood for by a variable the test runner sets
        // (`${RECOUVRE_SECRET_TEST_SMS_KEY}`, `.cargo/config.toml`): read from the
        // environment at send time, never stored.
        assert_eq!(
            req.header("authorization"),
            Some(env!("RECOUVRE_SECRET_TEST_SMS_KEY"))
        );
        assert_eq!(req.header("idempotency-key"), Some(mid.as_str()));
        let body: serde_json::Value = serde_json::from_str(&req.body).unwrap();
        assert_eq!(body["to"], "+33612345678");
        assert_eq!(body["ref"], mid.as_str());
        assert_eq!(body["from"], "ACME");
        let text = body["text"].as_str().unwrap();
        assert!(
            text.starts_with("Atelier Durand SAS : 1 200,50 EUR restent dus"),
            "{text}"
        );
        // Plain GSM-7 (the French é included): one part of at most 160.
        let length = deliver::sms_length(text);
        assert!(length.gsm7 && length.parts == 1, "{length:?}: {text}");
    }
}
