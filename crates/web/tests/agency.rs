//! Agency mode over HTTP (issue 19). The isolation test: a user of the role `client`,
//! bound to creditor A, walks every route of the permission table — pages, API by session
//! and by bearer token, exports, statements — with ids of A's and B's records, and finds
//! nothing of B nor of the agency's other creditor; it does find its own files, so the walk
//! can fail. Then agency staff issue a remittance through the page.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::agency::{self, MandateTerms, NewMandate};
use app::audit::Actor;
use app::clock::FixedClock;
use app::store::{Role, Store};
use common::{Browser, TestApp, spawn_sqlite};
use domain::agency::{Commission, FeeTerms};
use domain::{
    Claim, ClaimId, ClaimLedger, ClaimNumber, Currency, Date, Debtor, DebtorId, EntryKind, Money,
};
use recouvre_web::auth::{Access, PERMISSIONS};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse(s, Currency::EUR).unwrap()
}

struct Seeded {
    debtor: DebtorId,
    claim: ClaimId,
    remittance: i64,
}

/// A client creditor `code` with one debtor named `marker` owing a claim numbered
/// `marker-1`, placed under a mandate on 2 March, half paid on 10 March, remitted for March.
async fn seed(store: &dyn Store, code: &str, marker: &str) -> Seeded {
    let clock = FixedClock(d("2026-03-02"));
    let actor = Actor("test".into());
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .insert_creditor(code, &format!("{marker} SAS"), "FR")
        .await
        .unwrap();
    let debtor = tx
        .insert_debtor(&Debtor {
            id: DebtorId(0),
            creditor_id: c.id,
            external_id: format!("{marker}-D"),
            name: format!("{marker} Debiteur"),
            kind: domain::DebtorKind::Company,
            segment: domain::Segment::B2b,
            country: "FR".into(),
            language: "fr".into(),
            contacts: vec![],
            tags: vec![],
        })
        .await
        .unwrap();
    let number = format!("{marker}-1");
    let claim = tx
        .insert_claim(&Claim {
            id: ClaimId(0),
            creditor_id: c.id,
            debtor_id: debtor,
            external_id: number.clone(),
            number: ClaimNumber::parse(&number).unwrap(),
            nature: domain::Nature::Commercial,
            issue_date: d("2025-12-01"),
            due_date: d("2026-01-01"),
            currency: Currency::EUR,
        })
        .await
        .unwrap();
    let mut l = ClaimLedger::new(Currency::EUR);
    l.post(EntryKind::Invoice, eur("1000"), d("2025-12-01"), None)
        .unwrap();
    tx.append_entries(claim, l.entries(), "2025-12-01T00:00:00Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    agency::add_mandate(
        store,
        &clock,
        &actor,
        NewMandate {
            creditor: code.into(),
            reference: format!("M-{marker}"),
            signed_on: d("2026-03-01"),
            ends_on: None,
            currency: Currency::EUR,
            terms: MandateTerms {
                fees: FeeTerms {
                    commission: Commission::Flat {
                        rate: "10".parse().unwrap(),
                    },
                    minimum: None,
                    file_fee: None,
                    success_fee: None,
                    vat_rate: "20".parse().unwrap(),
                },
                remit_months: 1,
                insurance: "Assureur, police 1".into(),
                scope: String::new(),
                payee_name: format!("{marker} SAS"),
                payee_iban: "FR7630006000011234567890189".into(),
                payee_bic: None,
            },
        },
    )
    .await
    .unwrap();
    agency::place(
        store,
        &clock,
        &actor,
        &format!("M-{marker}"),
        std::slice::from_ref(&number),
        d("2026-03-02"),
    )
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let entries = tx.ledger_entries(claim).await.unwrap();
    let mut l = ClaimLedger::from_entries(Currency::EUR, entries);
    l.post(EntryKind::Payment, eur("500"), d("2026-03-10"), None)
        .unwrap();
    tx.append_entries(claim, &l.entries()[1..], "2026-03-10T00:00:00Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    agency::notify_clients(store, &FixedClock(d("2026-03-31")), d("2026-03-31"))
        .await
        .unwrap();
    let out = agency::remit(
        store,
        &FixedClock(d("2026-04-02")),
        &actor,
        d("2026-03-01"),
        d("2026-03-31"),
        d("2026-04-02"),
        Some(code),
    )
    .await
    .unwrap();
    Seeded {
        debtor,
        claim,
        remittance: out[0].id.unwrap(),
    }
}

const CLIENT_PASSWORD: &str = "client-password-1";

async fn sign_in(app: &TestApp, login: &str, password: &str) -> Browser {
    let mut b = Browser::default();
    app.get(&mut b, "/login").await;
    let csrf = b.csrf.clone();
    let r = app
        .post(
            &mut b,
            "/login",
            &[
                ("_csrf", &csrf),
                ("login", login),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "login as {login}: {}", r.body);
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_of_a_reads_nothing_of_b() {
    let app = spawn_sqlite().await;
    let store = app.store.as_ref();
    let clock = FixedClock(d("2026-04-02"));
    let actor = Actor("test".into());
    agency::set_funds_account(
        store,
        &clock,
        &actor,
        "Cabinet Test",
        "FR7630004000031234567890143",
        None,
        None,
    )
    .await
    .unwrap();
    let demo_name = {
        let mut tx = store.begin().await.unwrap();
        tx.creditors().await.unwrap()[0].name.clone()
    };
    let a = seed(store, "ALPHA", "Alphaclient").await;
    let b = seed(store, "BRAVO", "Bravosecret").await;
    let alpha = {
        let mut tx = store.begin().await.unwrap();
        tx.creditor_by_code("ALPHA").await.unwrap().unwrap().id
    };
    app::users::add_client(
        store,
        &clock,
        &actor,
        app::users::NewUser {
            login: "alpha-client".into(),
            display_name: "Client Alpha".into(),
            role: Role::Client,
            password_hash: recouvre_web::auth::hash_password(CLIENT_PASSWORD).unwrap(),
            language: "fr".into(),
        },
        alpha,
    )
    .await
    .unwrap();
    let token = recouvre_web::auth::random_token().unwrap();
    app::users::add_api_token(
        store,
        &clock,
        &actor,
        "alpha-client",
        "tests",
        &recouvre_web::auth::hash_token(&token),
        None,
    )
    .await
    .unwrap();

    let mut browser = sign_in(&app, "alpha-client", CLIENT_PASSWORD).await;
    // Home sends the client to its space, which shows its own file (so the walk below
    // would see B's, were it shown).
    let home = app.get(&mut browser, "/").await;
    assert_eq!(home.location.as_deref(), Some("/client"));
    let space = app.get(&mut browser, "/client").await;
    assert_eq!(space.status, 200, "{}", space.body);
    assert!(space.body.contains("Alphaclient-1"), "{}", space.body);
    assert!(space.body.contains("Alphaclient Debiteur"));
    let csv = app.get(&mut browser, "/client/report.csv").await;
    assert!(csv.body.contains("Alphaclient-1"), "{}", csv.body);
    let own = app
        .get(
            &mut browser,
            &format!("/client/remittances/{}", a.remittance),
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);

    let markers = ["Bravosecret", "BRAVO", demo_name.as_str()];
    let leaks = |body: &str| -> Vec<&str> {
        markers
            .iter()
            .copied()
            .filter(|m| body.contains(m))
            .collect()
    };
    // Every record id of B (and of A, the demo's first ones), for every `{id}`.
    let ids = [
        b.remittance,
        b.claim.0,
        b.debtor.0,
        a.remittance,
        a.claim.0,
        a.debtor.0,
        1,
    ];
    let queries = ["", "?creditor=BRAVO", "?creditor=DEMO"];
    let mut walked = 0;
    for rule in PERMISSIONS {
        if matches!(rule.path, "/logout" | "/login" | "/setup") {
            continue;
        }
        let paths: Vec<String> = if rule.path.contains("{id}") {
            ids.iter()
                .map(|id| rule.path.replace("{id}", &id.to_string()))
                .collect()
        } else {
            vec![rule.path.to_string()]
        };
        for path in paths {
            for q in queries {
                let url = format!("{path}{q}");
                let answer = if rule.method == "GET" {
                    app.get(&mut browser, &url).await
                } else {
                    let csrf = browser.csrf.clone();
                    app.send(&mut browser, rule.method, &url, &[("_csrf", &csrf)])
                        .await
                };
                assert!(
                    leaks(&answer.body).is_empty(),
                    "{} {url} as a client of A shows {:?}: {}",
                    rule.method,
                    leaks(&answer.body),
                    answer.body.chars().take(400).collect::<String>()
                );
                assert!(
                    answer.status < 500,
                    "{} {url}: {}",
                    rule.method,
                    answer.status
                );
                // Only the client's own routes let it in.
                if rule.access == Access::Signed(Role::Client) || rule.access == Access::Public {
                    assert_ne!(answer.status, 403, "{} {url}", rule.method);
                } else {
                    assert_eq!(answer.status, 403, "{} {url} lets a client in", rule.method);
                }
                if url.starts_with("/api/") {
                    let r = app
                        .client
                        .request(
                            reqwest::Method::from_bytes(rule.method.as_bytes()).unwrap(),
                            app.url(&url),
                        )
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    let status = r.status().as_u16();
                    let body = r.text().await.unwrap();
                    assert!(
                        leaks(&body).is_empty(),
                        "{} {url} by token shows {:?}",
                        rule.method,
                        leaks(&body)
                    );
                    if !matches!(rule.access, Access::Public | Access::Signed(Role::Client)) {
                        assert_eq!(status, 403, "{} {url} by token", rule.method);
                    }
                }
                walked += 1;
            }
        }
    }
    assert!(walked > PERMISSIONS.len(), "{walked}");
    // B's statement by its id in the client space: not found, not shown.
    let theirs = app
        .get(
            &mut browser,
            &format!("/client/remittances/{}", b.remittance),
        )
        .await;
    assert_eq!(theirs.status, 404);
    // The client's report through the API is A's.
    let r = app
        .client
        .get(app.url("/api/v1/client/report?creditor=ALPHA"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let report: serde_json::Value = r.json().await.unwrap();
    assert_eq!(report["files"][0]["number"], "Alphaclient-1", "{report}");
    assert_eq!(report["recovered"]["amount"], "500.00", "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_record_a_mandate_place_and_remit_through_the_pages() {
    let app = spawn_sqlite().await;
    let store = app.store.as_ref();
    agency::set_funds_account(
        store,
        &FixedClock(d("2026-06-30")),
        &Actor("test".into()),
        "Cabinet Test",
        "FR7630004000031234567890143",
        None,
        None,
    )
    .await
    .unwrap();
    let (code, claim) = {
        let mut tx = store.begin().await.unwrap();
        let c = tx.creditors().await.unwrap().remove(0);
        let claims = tx.claims(Some(c.id)).await.unwrap();
        // An open claim to place.
        let mut pick = None;
        for cl in claims {
            let detail = app::queries::claim_detail(tx.as_mut(), cl.id, d("2026-06-01"))
                .await
                .unwrap();
            if detail.open.is_positive() && cl.currency == Currency::EUR {
                pick = Some(cl.number.as_str().to_string());
                break;
            }
        }
        (c.code, pick.unwrap())
    };
    let mut manager = app.login(Role::Manager).await;
    let page = app.get(&mut manager, "/agency").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = manager.csrf.clone();
    let r = app
        .post(
            &mut manager,
            "/agency/mandates",
            &[
                ("_csrf", &csrf),
                ("creditor", &code),
                ("reference", "M-WEB-1"),
                ("signed", "2026-05-01"),
                ("commission", "12"),
                ("vat", "20"),
                ("insurance", "Assureur+police+9"),
                ("iban", "FR7630006000011234567890189"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // A placement refused: a claim that does not exist; nothing placed, the reason shown.
    let csrf = manager.csrf.clone();
    let bad = app
        .post(
            &mut manager,
            "/agency/placements",
            &[
                ("_csrf", &csrf),
                ("mandate", "M-WEB-1"),
                ("claims", "NOPE-404"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("NOPE-404"));
    let csrf = manager.csrf.clone();
    let ok = app
        .post(
            &mut manager,
            "/agency/placements",
            &[("_csrf", &csrf), ("mandate", "M-WEB-1"), ("claims", &claim)],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let csrf = manager.csrf.clone();
    let remit = app
        .post(
            &mut manager,
            "/agency/remittances",
            &[("_csrf", &csrf), ("period", "2026-06")],
        )
        .await;
    assert_eq!(remit.status, 303, "{}", remit.body);
    let page = app.get(&mut manager, "/agency").await;
    assert!(page.body.contains("M-WEB-1"));
    assert!(page.body.contains(&claim));
    // June's statement records the file placed that month: nothing collected, no fee per
    // file in this mandate, so nothing remitted and no transfer; the API lists it.
    let list = app.api(Role::Viewer, "GET", "/api/v1/remittances").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let june = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["mandate"] == "M-WEB-1")
        .unwrap_or_else(|| panic!("no statement of M-WEB-1: {list}"));
    assert_eq!(june["period_start"], "2026-06-01");
    assert_eq!(june["collected"]["minor"], 0);
    assert_eq!(june["to_remit"]["minor"], 0);
    assert!(june["message_id"].is_null(), "nothing to transfer: {june}");
    let mandates = app.api(Role::Viewer, "GET", "/api/v1/mandates").await;
    assert!(mandates.body.contains("M-WEB-1"), "{}", mandates.body);
    // An administrator creates a client user bound to the creditor; it lands in its space.
    let mut admin = app.login(Role::Admin).await;
    app.get(&mut admin, "/users").await;
    let csrf = admin.csrf.clone();
    let created = app
        .post(
            &mut admin,
            "/users",
            &[
                ("_csrf", &csrf),
                ("login", "client-web"),
                ("display_name", "Client"),
                ("role", "client"),
                ("creditor", &code),
                ("language", "fr"),
                ("password", "client-web-password-1"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let csrf = admin.csrf.clone();
    let unbound = app
        .post(
            &mut admin,
            "/users",
            &[
                ("_csrf", &csrf),
                ("login", "client-none"),
                ("role", "client"),
                ("creditor", ""),
                ("language", "fr"),
                ("password", "client-web-password-1"),
            ],
        )
        .await;
    assert_ne!(
        unbound.status, 303,
        "a client without a creditor is refused"
    );
    // The client's identity on its letters, from the Agency page and the API.
    app.get(&mut admin, "/agency").await;
    let csrf = admin.csrf.clone();
    let saved = app
        .post(
            &mut admin,
            "/agency/identity",
            &[
                ("_csrf", &csrf),
                ("creditor", &code),
                ("name", "Identite+Propre+SAS"),
                ("company_id", "SIREN+999+888+777"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let put = app
        .api_json(
            Role::Admin,
            "PUT",
            &format!("/api/v1/clients/{code}/identity"),
            &serde_json::json!({ "email": "compta@client.example" }),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let now: serde_json::Value = serde_json::from_str(&put.body).unwrap();
    assert_eq!(now["name"], "Identite Propre SAS", "{now}");
    assert_eq!(now["email"], "compta@client.example");
    let mut tx = app.store.begin().await.unwrap();
    let creditor = tx.creditor_by_code(&code).await.unwrap().unwrap().id;
    let sender = app::issuing::sender(tx.as_mut(), creditor).await.unwrap();
    assert_eq!(
        sender.name, "Identite Propre SAS",
        "letters name the client"
    );
    assert_eq!(sender.company_id, "SIREN 999 888 777");
    drop(tx);
    let viewer_put = app
        .api_json(
            Role::Viewer,
            "PUT",
            &format!("/api/v1/clients/{code}/identity"),
            &serde_json::json!({ "email": "x@y.example" }),
        )
        .await;
    assert_eq!(viewer_put.status, 403);
    let mut client = sign_in(&app, "client-web", "client-web-password-1").await;
    let space = app.get(&mut client, "/client").await;
    assert_eq!(space.status, 200, "{}", space.body);
    assert!(space.body.contains(&claim), "its placed file is listed");
    // A viewer cannot place.
    let mut viewer = app.login(Role::Viewer).await;
    let csrf = viewer.csrf.clone();
    let refused = app
        .post(
            &mut viewer,
            "/agency/placements",
            &[("_csrf", &csrf), ("mandate", "M-WEB-1"), ("claims", &claim)],
        )
        .await;
    assert_eq!(refused.status, 403);
}
