//! Terms of sale and formal notices through the API and the pages, over HTTP on a real
//! SQLite database: a consumer's interest waits for the formal notice's receipt, the
//! delivery recorded on the debtor page moves the interest start, agreed terms reach the
//! claim's interest, and every change is refused to a role that may not make it.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::store::Role;
use common::{TestApp, spawn_sqlite};
use domain::{ClaimLedger, Segment};
use serde_json::{Value, json};

fn body(a: &common::Answer) -> Value {
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

/// A debtor of `segment` with an overdue EUR claim due before 2026-06-01: (debtor, claim).
async fn overdue_claim(app: &TestApp, segment: Segment) -> (i64, i64) {
    let as_of: domain::Date = common::AS_OF.parse().unwrap();
    let mut tx = app.store.begin().await.unwrap();
    for d in tx.debtors(None).await.unwrap() {
        if d.segment != segment {
            continue;
        }
        for c in tx.claims_of_debtor(d.id).await.unwrap() {
            let ledger =
                ClaimLedger::from_entries(c.currency, tx.ledger_entries(c.id).await.unwrap());
            if c.currency == domain::Currency::EUR
                && c.due_date < "2026-06-01".parse().unwrap()
                && ledger.balance_as_of(as_of).is_positive()
            {
                return (d.id.0, c.id.0);
            }
        }
    }
    panic!("no overdue {segment:?} claim in the demo portfolio");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_notice_delivery_starts_the_interest() {
    let app = spawn_sqlite().await;
    let (debtor, claim) = overdue_claim(&app, Segment::B2c).await;
    let interest = |r: &common::Answer| body(r)["interest"].clone();
    let before = app
        .api(Role::Viewer, "GET", &format!("/api/v1/claims/{claim}"))
        .await;
    assert_eq!(before.status, 200, "{}", before.body);
    let i = interest(&before);
    // No formal notice received yet (the review-mode run only made drafts): nothing.
    assert_eq!(i["start_event"], "not_yet", "{i}");
    assert_eq!(i["total"]["minor"], 0);
    assert!(
        i["start_reason"]
            .as_str()
            .unwrap()
            .contains("formal notice")
    );

    // A viewer may not record a notice; a collector may; a date in the future is refused.
    let request =
        json!({ "sent_by": "hand", "sent_on": "2026-06-10", "tracking_number": "1A2B3C" });
    let path = format!("/api/v1/debtors/{debtor}/notices");
    assert_eq!(
        app.api_json(Role::Viewer, "POST", &path, &request)
            .await
            .status,
        403
    );
    let future = json!({ "sent_by": "hand", "sent_on": "2026-07-10" });
    assert_eq!(
        app.api_json(Role::Collector, "POST", &path, &future)
            .await
            .status,
        422
    );
    let unknown = json!({ "sent_by": "hand", "sent_on": "2026-06-10", "to": "x" });
    assert_eq!(
        app.api_json(Role::Collector, "POST", &path, &unknown)
            .await
            .status,
        400,
        "unknown fields are refused"
    );
    let created = app.api_json(Role::Collector, "POST", &path, &request).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let notice = body(&created);
    let id = notice["id"].as_i64().unwrap();
    assert!(
        notice["claim_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(claim))
    );

    // The delivery, recorded on the debtor page by a collector signed in.
    let mut b = app.login(Role::Collector).await;
    let page = app.get(&mut b, &format!("/debtors/{debtor}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"notices\""), "the notices panel");
    assert!(page.body.contains("1A2B3C"));
    let csrf = b.csrf.clone();
    let posted = app
        .post(
            &mut b,
            &format!("/debtors/{debtor}/notices/delivery"),
            &[
                ("_csrf", &csrf),
                ("notice", &id.to_string()),
                ("action", "0"),
                ("presented_on", "2026-06-12"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    // The notice is in the query, before the fragment (after it, the page would not see it).
    assert_eq!(
        posted.location.as_deref(),
        Some(format!("/debtors/{debtor}?notice=fn-delivery#notices").as_str())
    );
    let after = app
        .api(Role::Viewer, "GET", &format!("/api/v1/claims/{claim}"))
        .await;
    let i = interest(&after);
    assert_eq!(i["start_event"], "formal_notice", "{i}");
    assert_eq!(i["start_date"], "2026-06-12");
    assert_eq!(i["start_notice_id"], id);
    // 13 June – 30 June 2026: 18 days at the 2026 S1 legal rate "other cases", 2.62 %.
    let periods = i["periods"].as_array().unwrap();
    assert_eq!(periods[0]["start"], "2026-06-13");
    assert_eq!(periods[0]["days"], 18);
    assert_eq!(periods[0]["annual_rate"], "2.62");
    let claim_page = app.get(&mut b, &format!("/claims/{claim}")).await;
    assert!(
        claim_page.body.contains("id=\"interest-start\""),
        "{}",
        claim_page.body
    );
    assert!(claim_page.body.contains("réception de la mise en demeure"));

    // The audit log has both changes, by their authors.
    let audit = body(&app.api(Role::Admin, "GET", "/api/v1/audit?limit=2").await);
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["notice.delivery", "notice.record"]);

    // A tracking file naming a letter we never sent changes nothing.
    let r = app
        .client
        .post(app.url("/api/v1/imports/tracking?name=suivi.csv"))
        .bearer_auth(&app.tokens[&Role::Manager])
        .header("content-type", "text/csv")
        .body("tracking_number;received_on\n9Z9Z;2026-06-14\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("suivi.csv: line 2"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creditor_and_claim_terms_through_the_api() {
    let app = spawn_sqlite().await;
    let (_, claim) = overdue_claim(&app, Segment::B2b).await;
    let path = "/api/v1/creditors/1/terms";
    let terms = json!({ "penalty_rate": "12 %", "indemnity": "60", "payment_terms": "45 jours fin de mois", "due_date_is_notice": null });
    assert_eq!(
        app.api_json(Role::Manager, "PUT", path, &terms)
            .await
            .status,
        403,
        "a creditor's terms are the administrators'"
    );
    let bad = app
        .api_json(Role::Admin, "PUT", path, &json!({ "penalty_rate": "-5%" }))
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("penalty_rate"), "{}", bad.body);
    let saved = app.api_json(Role::Admin, "PUT", path, &terms).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(
        body(&saved),
        json!({ "penalty_rate": "12%", "indemnity": "60", "payment_terms": "45d eom", "due_date_is_notice": null })
    );
    let c = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/claims/{claim}"))
            .await,
    );
    assert_eq!(c["interest"]["regime"], "fr_b2b_contractual");
    assert_eq!(c["interest"]["start_event"], "due_date");
    assert_eq!(c["interest"]["indemnity"]["minor"], 60_00);
    assert_eq!(c["interest"]["terms"]["penalty_rate"], "12%");

    // The claim's own rate overrides the creditor's; the rest stays the creditor's.
    let own = app
        .api_json(
            Role::Manager,
            "PUT",
            &format!("/api/v1/claims/{claim}/terms"),
            &json!({ "penalty_rate": "3x legal" }),
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    let own = body(&own);
    assert_eq!(own["own"]["penalty_rate"], "3x legal");
    assert_eq!(own["effective"]["penalty_rate"], "3x legal");
    assert_eq!(own["effective"]["indemnity"], "60");
    let c = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/claims/{claim}"))
            .await,
    );
    assert_eq!(c["interest"]["regime"], "fr_b2b_legal_multiple");

    // The settings page shows each creditor's terms to an administrator.
    let mut b = app.login(Role::Admin).await;
    let page = app.get(&mut b, "/settings").await;
    assert!(page.body.contains("id=\"terms\""));
    assert!(page.body.contains("value=\"12%\""), "{}", page.body);
    let csrf = b.csrf.clone();
    let posted = app
        .post(
            &mut b,
            "/settings/terms",
            &[
                ("_csrf", &csrf),
                ("creditor", "1"),
                ("penalty_rate", "ecb%2B10"),
                ("indemnity", ""),
                ("payment_terms", ""),
                ("due_date_is_notice", ""),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let t = body(&app.api(Role::Viewer, "GET", path).await);
    assert_eq!(t["penalty_rate"], "ecb+10");
    assert_eq!(t["indemnity"], Value::Null);
}

/// A write-off through the API (managers only, unknown fields refused) and the claim
/// page's form: what is open falls by the amount, to the cent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_is_written_off_with_its_reason() {
    let app = spawn_sqlite().await;
    let (_, claim) = overdue_claim(&app, Segment::B2b).await;
    let open = |c: &Value| c["open"]["minor"].as_i64().unwrap();
    let before = open(&body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/claims/{claim}"))
            .await,
    ));
    let path = format!("/api/v1/claims/{claim}/write-off");
    let request = json!({ "reason": "débiteur insolvable", "amount": "10.00" });
    assert_eq!(
        app.api_json(Role::Collector, "POST", &path, &request)
            .await
            .status,
        403
    );
    assert_eq!(
        app.api_json(
            Role::Manager,
            "POST",
            &path,
            &json!({ "reason": "x", "to": 1 })
        )
        .await
        .status,
        400
    );
    let done = app.api_json(Role::Manager, "POST", &path, &request).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(body(&done)["written_off"]["minor"], 10_00);
    let after = open(&body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/claims/{claim}"))
            .await,
    ));
    assert_eq!(after, before - 10_00);

    let mut b = app.login(Role::Manager).await;
    let page = app.get(&mut b, &format!("/claims/{claim}")).await;
    assert!(page.body.contains("id=\"write-off-form\""));
    let csrf = b.csrf.clone();
    let posted = app
        .post(
            &mut b,
            &format!("/claims/{claim}/write-off"),
            &[("_csrf", &csrf), ("reason", "geste"), ("amount", "1.00")],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let last = open(&body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/claims/{claim}"))
            .await,
    ));
    assert_eq!(last, after - 1_00);
}

/// Interest and indemnity posted to the ledger from the claim page (managers only): the
/// balance grows by what the API said was to post, nothing is left to post, and a second
/// posting through the API is refused (422) — claimed once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interest_and_indemnity_are_posted_once() {
    let app = spawn_sqlite().await;
    let (_, claim) = overdue_claim(&app, Segment::B2b).await;
    let claim_path = format!("/api/v1/claims/{claim}");
    let get = || app.api(Role::Viewer, "GET", &claim_path);
    let before = body(&get().await);
    let i = &before["interest"];
    let to_post = i["interest_to_post"]["minor"].as_i64().unwrap();
    let indemnity = i["indemnity_to_post"]["minor"].as_i64().unwrap();
    assert!(to_post > 0, "{i}");
    assert_eq!(indemnity, i["indemnity"]["minor"].as_i64().unwrap());
    assert_eq!(i["interest_posted"]["minor"], 0);
    let path = format!("/api/v1/claims/{claim}/charges");
    assert_eq!(app.api(Role::Collector, "POST", &path).await.status, 403);

    let mut b = app.login(Role::Manager).await;
    let page = app.get(&mut b, &format!("/claims/{claim}")).await;
    assert!(page.body.contains("id=\"charges-form\""), "{}", page.body);
    let csrf = b.csrf.clone();
    let posted = app
        .post(
            &mut b,
            &format!("/claims/{claim}/charges"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let after = body(&get().await);
    let open = |c: &Value| c["open"]["minor"].as_i64().unwrap();
    assert_eq!(open(&after), open(&before) + to_post + indemnity);
    let i = &after["interest"];
    assert_eq!(i["interest_posted"]["minor"].as_i64().unwrap(), to_post);
    assert_eq!(i["interest_to_post"]["minor"], 0);
    assert_eq!(i["indemnity_to_post"]["minor"], 0);
    assert_eq!(
        i["interest_due"]["minor"].as_i64().unwrap(),
        i["total"]["minor"].as_i64().unwrap()
    );
    let page = app.get(&mut b, &format!("/claims/{claim}")).await;
    assert!(!page.body.contains("id=\"charges-form\""));
    assert_eq!(app.api(Role::Manager, "POST", &path).await.status, 422);
}
