//! The web application end to end over HTTP, on a real SQLite database (and once on
//! PostgreSQL): sign-in, CSRF, roles, problem documents, the OpenAPI document.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::store::{ActionStatus, Role};
use common::{Browser, spawn_empty, spawn_pg, spawn_sqlite};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_out() {
    let app = spawn_sqlite().await;
    let mut anon = Browser::default();
    // Signed out, a page sends to the login form, keeping where to come back.
    let r = app.get(&mut anon, "/debtors?search=a").await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location.as_deref(),
        Some("/login?next=/debtors%3Fsearch%3Da")
    );
    let login = app.get(&mut anon, "/login").await;
    assert_eq!(login.status, 200);
    assert!(
        login.body.contains("Connexion"),
        "French from Accept-Language"
    );
    // A wrong password is refused.
    let csrf = anon.csrf.clone();
    let bad = app
        .post(
            &mut anon,
            "/login",
            &[
                ("_csrf", &csrf),
                ("login", "viewer"),
                ("password", "nope-nope-nope"),
            ],
        )
        .await;
    assert_eq!(bad.status, 401);
    assert!(!anon.cookies.contains_key("rc_session"));

    let mut b = app.login(Role::Viewer).await;
    let cookie = app.client.get(app.url("/login")).send().await.unwrap();
    drop(cookie);
    // The session cookie is HttpOnly and SameSite=Lax.
    let mut fresh = Browser::default();
    app.get(&mut fresh, "/login").await;
    let csrf = fresh.csrf.clone();
    let pw = common::password(Role::Viewer);
    let r = app
        .post(
            &mut fresh,
            "/login",
            &[
                ("_csrf", &csrf),
                ("login", "viewer"),
                ("password", &pw),
                ("next", "/worklist"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/worklist"));
    let set = r
        .set_cookies
        .iter()
        .find(|c| c.starts_with("rc_session="))
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "no Secure flag unless configured");

    let home = app.get(&mut b, "/").await;
    assert!(home.body.contains("Tableau de bord"));
    let csrf = b.csrf.clone();
    let out = app.post(&mut b, "/logout", &[("_csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(
        app.get(&mut b, "/").await.status,
        303,
        "the session is gone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_without_the_csrf_token_is_refused() {
    let app = spawn_sqlite().await;
    let draft = app.draft(0).await;
    let mut b = app.login(Role::Manager).await;
    let path = format!("/actions/{draft}/approve");
    let none = app.post(&mut b, &path, &[("back", "/actions")]).await;
    assert_eq!(none.status, 403);
    let wrong = app
        .post(
            &mut b,
            &path,
            &[("_csrf", &"0".repeat(64)), ("back", "/actions")],
        )
        .await;
    assert_eq!(wrong.status, 403);
    assert_eq!(app.action_status(draft).await, ActionStatus::Draft);
    // The same form with the session's token goes through, and is audited.
    let csrf = b.csrf.clone();
    let ok = app
        .post(&mut b, &path, &[("_csrf", &csrf), ("back", "/actions")])
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.location.as_deref(), Some("/actions?notice=approved"));
    assert_eq!(app.action_status(draft).await, ActionStatus::Approved);
    let audit = app.api(Role::Admin, "GET", "/api/v1/audit?limit=5").await;
    let entries: serde_json::Value = serde_json::from_str(&audit.body).unwrap();
    let last = &entries[0];
    assert_eq!(last["actor"], "manager");
    assert_eq!(last["action"], "action.approve");
    assert_eq!(last["subject"], format!("action:{draft}"));
    assert_eq!(last["before"], "\"draft\"");
    assert_eq!(last["after"], "\"approved\"");
    // A login form posted without the visitor's token is refused too.
    let mut anon = Browser::default();
    let r = app
        .post(
            &mut anon,
            "/login",
            &[("login", "admin"), ("password", "admin-password-1")],
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_may_not_approve() {
    let app = spawn_sqlite().await;
    let draft = app.draft(0).await;
    let mut b = app.login(Role::Viewer).await;
    let csrf = b.csrf.clone();
    let r = app
        .post(
            &mut b,
            &format!("/actions/{draft}/approve"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("Accès refusé"), "an error page in French");
    let api = app
        .api(
            Role::Viewer,
            "POST",
            &format!("/api/v1/actions/{draft}/approve"),
        )
        .await;
    assert_eq!(api.status, 403);
    assert_eq!(api.content_type, "application/problem+json");
    assert_eq!(app.action_status(draft).await, ActionStatus::Draft);
    // A collector may skip but not approve; a manager approves through the API.
    let c = app
        .api(
            Role::Collector,
            "POST",
            &format!("/api/v1/actions/{draft}/approve"),
        )
        .await;
    assert_eq!(c.status, 403);
    let m = app
        .api(
            Role::Manager,
            "POST",
            &format!("/api/v1/actions/{draft}/approve"),
        )
        .await;
    assert_eq!(m.status, 200, "{}", m.body);
    let again = app
        .api(
            Role::Manager,
            "POST",
            &format!("/api/v1/actions/{draft}/approve"),
        )
        .await;
    assert_eq!(
        again.status, 422,
        "an approved action cannot be approved again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_query_is_a_problem_document_naming_the_fields() {
    let app = spawn_sqlite().await;
    let r = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/debtors?per_page=0&sort=size&overdue=maybe",
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.content_type, "application/problem+json");
    let p: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(p["status"], 400);
    assert_eq!(p["title"], "Bad Request");
    let mut fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["overdue", "per_page", "sort"]);
    // Unknown ids are 404 problems; no token is 401.
    let nf = app.api(Role::Viewer, "GET", "/api/v1/debtors/999999").await;
    assert_eq!(nf.status, 404);
    assert_eq!(nf.content_type, "application/problem+json");
    let anon = app
        .client
        .get(app.url("/api/v1/debtors"))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status().as_u16(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_lists_filters_sorts_and_pages() {
    let app = spawn_sqlite().await;
    let r = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/debtors?per_page=5&page=2&sort=name",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["page"], 2);
    assert_eq!(page["total"], 60);
    let names: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(names.len(), 5);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    // A claim's detail carries its interest breakdown.
    let claims = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/claims?overdue=true&per_page=1",
        )
        .await;
    let claims: serde_json::Value = serde_json::from_str(&claims.body).unwrap();
    let id = claims["items"][0]["id"].as_i64().unwrap();
    let detail = app
        .api(Role::Viewer, "GET", &format!("/api/v1/claims/{id}"))
        .await;
    assert_eq!(detail.status, 200);
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    assert_eq!(detail["status"], "overdue");
    assert!(detail["interest"]["total"]["amount"].is_string());
    let summary = app.api(Role::Viewer, "GET", "/api/v1/summary").await;
    let summary: serde_json::Value = serde_json::from_str(&summary.body).unwrap();
    assert_eq!(summary["aged_balance"].as_array().unwrap().len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_api_route() {
    let app = spawn_sqlite().await;
    let r = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let doc: serde_json::Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    documented.sort();
    let mut routed: Vec<String> = recouvre_web::auth::PERMISSIONS
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    routed.sort();
    assert_eq!(documented, routed);
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_rate_limited() {
    let app = spawn_sqlite().await;
    let mut b = Browser::default();
    app.get(&mut b, "/login").await;
    let csrf = b.csrf.clone();
    for _ in 0..app::users::MAX_SIGN_IN_FAILURES {
        let r = app
            .post(
                &mut b,
                "/login",
                &[
                    ("_csrf", &csrf),
                    ("login", "admin"),
                    ("password", "guess-guess-guess"),
                ],
            )
            .await;
        assert_eq!(r.status, 401);
    }
    // Now even the right password waits.
    let pw = common::password(Role::Admin);
    let r = app
        .post(
            &mut b,
            "/login",
            &[("_csrf", &csrf), ("login", "admin"), ("password", &pw)],
        )
        .await;
    assert_eq!(r.status, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_creates_the_administrator_once() {
    let app = spawn_empty().await;
    let mut b = Browser::default();
    let r = app.get(&mut b, "/login").await;
    assert_eq!(r.location.as_deref(), Some("/setup"));
    let setup = app.get(&mut b, "/setup").await;
    assert_eq!(setup.status, 200);
    let csrf = b.csrf.clone();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("login", "boss"),
        ("display_name", "Boss"),
        ("password", "a-long-password"),
        ("password2", "a-long-password"),
    ];
    let r = app.post(&mut b, "/setup", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(b.cookies.contains_key("rc_session"), "signed in at once");
    let users = app.get(&mut b, "/users").await;
    assert_eq!(users.status, 200);
    assert!(users.body.contains("boss"));
    // A second administrator cannot be made this way.
    let mut other = Browser::default();
    app.get(&mut other, "/login").await;
    assert_eq!(
        app.get(&mut other, "/setup").await.location.as_deref(),
        Some("/login")
    );
    let csrf = other.csrf.clone();
    let again = [
        ("_csrf", csrf.as_str()),
        ("login", "intruder"),
        ("password", "a-long-password"),
        ("password2", "a-long-password"),
    ];
    assert_eq!(app.post(&mut other, "/setup", &again).await.status, 422);
}

/// What follows `prefix` in the first link of a page starting with it: an id.
fn first_link(html: &str, prefix: &str) -> String {
    let start = format!("href=\"{prefix}");
    let rest = html.split(start.as_str()).nth(1).unwrap();
    rest.split('"').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_in_the_chosen_language() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Collector).await;
    let csrf = b.csrf.clone();
    let r = app
        .post(
            &mut b,
            "/language",
            &[("_csrf", &csrf), ("lang", "en"), ("back", "/debtors")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/debtors"));
    let page = app
        .get(&mut b, "/debtors?sort=days_late&overdue=true")
        .await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("Debtors"));
    // The debtor page, its claim, the worklist and the dashboard all render.
    let id = first_link(&page.body, "/debtors/");
    let debtor = app.get(&mut b, &format!("/debtors/{id}")).await;
    assert_eq!(debtor.status, 200);
    assert!(debtor.body.contains("Timeline"));
    // Switching the language there comes back to the same page.
    let back = format!("name=\"back\" value=\"/debtors/{id}\"");
    assert!(debtor.body.contains(&back), "{}", debtor.body);
    let claim_id = first_link(&debtor.body, "/claims/");
    let claim = app.get(&mut b, &format!("/claims/{claim_id}")).await;
    assert_eq!(claim.status, 200);
    assert!(claim.body.contains("Late-payment interest"));
    let back = format!("name=\"back\" value=\"/claims/{claim_id}\"");
    assert!(claim.body.contains(&back), "{}", claim.body);
    for path in ["/", "/worklist", "/actions"] {
        assert_eq!(app.get(&mut b, path).await.status, 200, "{path}");
    }
    // Putting the case on hold is audited and shows on the page.
    let csrf = b.csrf.clone();
    let hold = app
        .post(
            &mut b,
            &format!("/debtors/{id}/hold"),
            &[("_csrf", &csrf), ("until", "2026-08-01")],
        )
        .await;
    assert_eq!(hold.status, 303, "{}", hold.body);
    let page = app.get(&mut b, &format!("/debtors/{id}?notice=held")).await;
    assert!(
        page.body.contains("On hold until 2026-08-01"),
        "{}",
        page.body
    );
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("route=\"/debtors/{id}\""), "{metrics}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_works_on_postgresql() {
    let app = spawn_pg().await;
    let r = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/debtors?per_page=3&overdue=true",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let mut b = app.login(Role::Manager).await;
    let draft = app.draft(0).await;
    let csrf = b.csrf.clone();
    let ok = app
        .post(
            &mut b,
            &format!("/actions/{draft}/approve"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(app.action_status(draft).await, ActionStatus::Approved);
    let health: serde_json::Value = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["backend"], "postgres");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_see_a_new_payment_at_once() {
    let app = spawn_sqlite().await;
    let top = |body: &str| -> (i64, i64) {
        let s: serde_json::Value = serde_json::from_str(body).unwrap();
        let d = &s["top_overdue"][0];
        (
            d["id"].as_i64().unwrap(),
            d["overdue"][0]["minor"].as_i64().unwrap(),
        )
    };
    let before = app.api(Role::Viewer, "GET", "/api/v1/summary?top=1").await;
    let (debtor, overdue) = top(&before.body);
    // The debtor pays one of its overdue claims in full.
    let claims = app
        .api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/claims?debtor={debtor}&overdue=true&per_page=1"),
        )
        .await;
    let claims: serde_json::Value = serde_json::from_str(&claims.body).unwrap();
    let claim = claims["items"][0]["id"].as_i64().unwrap();
    let open = claims["items"][0]["open"]["minor"].as_i64().unwrap();
    let mut tx = app.store.begin().await.unwrap();
    let entries = tx.ledger_entries(domain::ClaimId(claim)).await.unwrap();
    let seq = entries.iter().map(|e| e.seq).max().unwrap() + 1;
    let payment = domain::LedgerEntry {
        seq,
        kind: domain::EntryKind::Payment,
        amount_minor: -open,
        date: common::AS_OF.parse().unwrap(),
        reverses: None,
        reference: Some("test payment".into()),
    };
    tx.append_entries(domain::ClaimId(claim), &[payment], "2026-06-30T12:00:00Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after = app
        .api(Role::Viewer, "GET", &format!("/api/v1/debtors/{debtor}"))
        .await;
    let after: serde_json::Value = serde_json::from_str(&after.body).unwrap();
    let now = after["overdue"]
        .as_array()
        .unwrap()
        .first()
        .map_or(0, |m| m["minor"].as_i64().unwrap());
    assert_eq!(now, overdue - open);
    // The summary, built from the kept book, sees it too.
    let list = app
        .api(Role::Viewer, "GET", "/api/v1/debtors?per_page=500")
        .await;
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let line = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == debtor)
        .unwrap();
    let listed = line["overdue"]
        .as_array()
        .unwrap()
        .first()
        .map_or(0, |m| m["minor"].as_i64().unwrap());
    assert_eq!(listed, overdue - open);
}

/// A collector records a promise to pay and opens a dispute from the debtor page: both
/// show on its timeline (and in the audit log); a viewer may do neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promises_and_disputes_from_the_debtor_page() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Collector).await;
    let csrf = b.csrf.clone();
    app.post(
        &mut b,
        "/language",
        &[("_csrf", &csrf), ("lang", "en"), ("back", "/debtors")],
    )
    .await;
    let list = app
        .get(&mut b, "/debtors?sort=days_late&overdue=true")
        .await;
    let id = first_link(&list.body, "/debtors/");
    let page = app.get(&mut b, &format!("/debtors/{id}")).await;
    assert!(page.body.contains("id=\"promise-form\""), "{}", page.body);
    let claim = first_link(&page.body, "/claims/");
    let csrf = b.csrf.clone();
    let r = app
        .post(
            &mut b,
            &format!("/debtors/{id}/promises"),
            &[
                ("_csrf", &csrf),
                ("amount", "150.00"),
                ("due", "2026-07-10"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = app
        .post(
            &mut b,
            &format!("/debtors/{id}/disputes"),
            &[("_csrf", &csrf), ("claim", &claim), ("reason", "quality")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app
        .get(&mut b, &format!("/debtors/{id}?notice=promised"))
        .await;
    assert!(
        page.body.contains("class=\"timeline-promise\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Promise to pay by 2026-07-10"));
    assert!(page.body.contains("150.00"));
    assert!(page.body.contains("Dispute: quality"));
    // A date in the past is refused, and nothing is recorded.
    let r = app
        .post(
            &mut b,
            &format!("/debtors/{id}/promises"),
            &[("_csrf", &csrf), ("amount", "10.00"), ("due", "2026-01-01")],
        )
        .await;
    assert_ne!(r.status, 303);

    let mut viewer = app.login(Role::Viewer).await;
    let csrf = viewer.csrf.clone();
    let r = app
        .post(
            &mut viewer,
            &format!("/debtors/{id}/promises"),
            &[
                ("_csrf", &csrf),
                ("amount", "150.00"),
                ("due", "2026-07-10"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
}

/// A credit the matcher cannot place waits on the payments page; a collector applies it on
/// a claim named by id, and it leaves the queue (audited); a viewer sees the page but no
/// button.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_waiting_for_review_is_applied_from_its_page() {
    let app = spawn_sqlite().await;
    // 120.00 received on 29 June with a remittance naming nothing we know.
    let statement = ":20:WEB-1\n:25:FR7630006000011234567890189\n:28C:1/1\n:60F:C260628EUR1000,00\n\
        :61:2606290629C120,NTRFNONREF//WEB-1\n:86:/EREF/E2E-W1/NAME/SOMEONE ELSE/REMI/merci\n\
        :62F:C260629EUR1120,00\n-\n";
    let clock = app::clock::FixedClock(domain::Date::new(2026, 6, 30).unwrap());
    let report = app::payments::import_statement(
        app.store.as_ref(),
        &clock,
        "web.sta",
        statement.as_bytes(),
        &app::payments::StatementOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.to_review, 1, "{report:?}");

    let mut viewer = app.login(Role::Viewer).await;
    let page = app.get(&mut viewer, "/payments").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("SOMEONE ELSE"), "{}", page.body);
    assert!(!page.body.contains("/apply\""));

    let mut b = app.login(Role::Collector).await;
    let list = app
        .get(&mut b, "/debtors?sort=days_late&overdue=true")
        .await;
    let debtor = first_link(&list.body, "/debtors/");
    let page = app.get(&mut b, &format!("/debtors/{debtor}")).await;
    let claim = first_link(&page.body, "/claims/");
    let queue = app.get(&mut b, "/payments").await;
    let id: String = queue
        .body
        .split("action=\"/payments/")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let csrf = b.csrf.clone();
    let r = app
        .post(
            &mut b,
            &format!("/payments/{id}/apply"),
            &[("_csrf", &csrf), ("claims", &claim)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let queue = app.get(&mut b, "/payments").await;
    assert!(!queue.body.contains("SOMEONE ELSE"));
    let mut admin = app.login(Role::Admin).await;
    let audit = app.get(&mut admin, "/audit").await;
    assert!(audit.body.contains("payment.apply"), "{}", audit.body);
}

/// The outbox through the API and the page: approving a draft e-mail queues its message;
/// a manager (not a collector) retries a failed one; the delivery settings are for
/// administrators, and reading them back never shows a secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_and_the_delivery_settings() {
    use app::store::{ActionFilter, ActionStatus, OutboxFilter, OutboxStatus};
    use domain::dunning::Channel;
    let app = spawn_sqlite().await;
    let mut tx = app.store.begin().await.unwrap();
    let draft = tx
        .actions(&ActionFilter {
            statuses: vec![ActionStatus::Draft],
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.channels.contains(Channel::Email))
        .expect("a draft e-mail in the demo");
    drop(tx);
    let r = app
        .api(
            Role::Manager,
            "POST",
            &format!("/api/v1/actions/{}/approve", draft.id),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list = app
        .api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/outbox?action={}", draft.id),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let page: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let email = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["channel"] == "email")
        .expect("the approved e-mail is queued")
        .clone();
    assert_eq!(email["status"], "queued");
    assert_eq!(
        email["message_id"],
        format!("<action-{}.email@recouvre.localhost>", draft.id).as_str()
    );

    // It failed (as the worker would record it): a collector may not retry, a manager may.
    let id = email["id"].as_i64().unwrap();
    let mut tx = app.store.begin().await.unwrap();
    let mut e = tx.outbox_entry(id).await.unwrap().unwrap();
    e.status = OutboxStatus::Failed;
    e.last_error = Some("550 mailbox unavailable".into());
    tx.update_outbox(&e, None).await.unwrap();
    tx.commit().await.unwrap();
    let path = format!("/api/v1/outbox/{id}/retry");
    assert_eq!(app.api(Role::Collector, "POST", &path).await.status, 403);
    let r = app.api(Role::Manager, "POST", &path).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let again: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(again["status"], "queued");
    assert_eq!(
        app.api(Role::Manager, "POST", &path).await.status,
        422,
        "a queued entry is not retried"
    );
    let mut tx = app.store.begin().await.unwrap();
    let queued = tx
        .outbox(&OutboxFilter {
            statuses: vec![OutboxStatus::Queued],
            action: Some(draft.id),
            limit: None,
        })
        .await
        .unwrap();
    assert!(queued.iter().any(|q| q.id == id));
    drop(tx);

    // Settings: administrators only; no secret comes back.
    let smtp = serde_json::json!({
        "host": "smtp.acme.example", "port": 587, "security": "starttls",
        "user": "relances", "password_env": "RECOUVRE_SECRET_SMTP_PASSWORD",
        "from": "Acme <relances@acme.example>", "reply_to": null
    });
    assert_eq!(
        app.api_json(Role::Manager, "PUT", "/api/v1/settings/smtp", &smtp)
            .await
            .status,
        403
    );
    let r = app
        .api_json(Role::Admin, "PUT", "/api/v1/settings/smtp", &smtp)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let bad = serde_json::json!({
        "host": "smtp.acme.example", "port": 587, "security": "ssl3",
        "from": "Acme <relances@acme.example>"
    });
    let r = app
        .api_json(Role::Admin, "PUT", "/api/v1/settings/smtp", &bad)
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("security"), "{}", r.body);
    // Only a variable named for secrets may be read: not the worker's database URL, nor
    // any other variable of its environment, whether for the password or an SMS header.
    let audits = app.api(Role::Admin, "GET", "/api/v1/audit").await.body;
    let mut leak = smtp.clone();
    leak["password_env"] = "RECOUVRE_DATABASE".into();
    let r = app
        .api_json(Role::Admin, "PUT", "/api/v1/settings/smtp", &leak)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("RECOUVRE_SECRET_"), "{}", r.body);
    assert!(r.body.contains("ne peut pas être lue"), "{}", r.body);
    let leak = serde_json::json!({
        "url": "https://sms.example/v1/send", "method": "POST",
        "headers": [{"name": "X-Key", "value": "${HOME}"}],
        "body": "{\"to\":\"{{to}}\",\"text\":\"{{text}}\"}", "success_status": 201
    });
    let r = app
        .api_json(Role::Admin, "PUT", "/api/v1/settings/sms", &leak)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("X-Key"), "{}", r.body);
    assert!(r.body.contains("\\\"HOME\\\""), "{}", r.body);
    assert_eq!(
        app.api(Role::Admin, "GET", "/api/v1/settings/sms")
            .await
            .status,
        404,
        "nothing saved"
    );
    assert_eq!(
        app.api(Role::Admin, "GET", "/api/v1/audit").await.body,
        audits,
        "nothing audited"
    );
    let got = app.api(Role::Admin, "GET", "/api/v1/settings/smtp").await;
    assert_eq!(got.status, 200);
    let got: serde_json::Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(got["password_env"], "RECOUVRE_SECRET_SMTP_PASSWORD");
    assert_eq!(got["host"], "smtp.acme.example");
    let sms = serde_json::json!({
        "url": "https://sms.example/v1/send", "method": "POST",
        "headers": [{"name": "Authorization", "value": "Bearer s3cr3t"},
                    {"name": "X-Key", "value": "${RECOUVRE_SECRET_SMS_KEY}"}],
        "body": "{\"to\":\"{{to}}\",\"text\":\"{{text}}\"}", "success_status": 201,
        "sender": "ACME", "max_parts": 2
    });
    let r = app
        .api_json(Role::Admin, "PUT", "/api/v1/settings/sms", &sms)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("s3cr3t"), "{}", r.body);
    let got = app.api(Role::Admin, "GET", "/api/v1/settings/sms").await;
    assert!(!got.body.contains("s3cr3t"), "{}", got.body);
    let got: serde_json::Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(got["headers"][0]["value"], "***");
    assert_eq!(got["headers"][1]["value"], "${RECOUVRE_SECRET_SMS_KEY}");
    // ...nor the audit log.
    let audit = app.api(Role::Admin, "GET", "/api/v1/audit").await;
    assert!(audit.body.contains("settings.sms"), "{}", audit.body);
    assert!(!audit.body.contains("s3cr3t"));

    // The page, in French: failed entries first, with their reason; only a manager
    // sees the retry button.
    let mut tx = app.store.begin().await.unwrap();
    let mut e = tx.outbox_entry(id).await.unwrap().unwrap();
    e.status = OutboxStatus::Failed;
    e.last_error = Some("550 mailbox unavailable".into());
    tx.update_outbox(&e, None).await.unwrap();
    tx.commit().await.unwrap();
    let mut b = app.login(Role::Viewer).await;
    let page = app.get(&mut b, "/outbox").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Envois"), "the French title");
    assert!(
        page.body.contains("550 mailbox unavailable"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!("/outbox/{id}/retry")));
    let mut m = app.login(Role::Manager).await;
    let page = app.get(&mut m, "/outbox").await;
    assert!(page.body.contains(&format!("/outbox/{id}/retry")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_are_listed_previewed_and_letters_served_as_pdf() {
    let app = spawn_sqlite().await;
    let r = app.api(Role::Viewer, "GET", "/api/v1/templates").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"formal_notice_b2b") && names.contains(&"reminder_1"));

    let claims = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/claims?overdue=true&per_page=1",
        )
        .await;
    let claims: serde_json::Value = serde_json::from_str(&claims.body).unwrap();
    let debtor = claims["items"][0]["debtor_id"].as_i64().unwrap();
    let r = app
        .api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/templates/reminder_1/preview?debtor={debtor}&lang=en"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(p["lang"], "en");
    assert!(
        p["subject"]
            .as_str()
            .unwrap()
            .starts_with("Overdue invoice(s)"),
        "{p}"
    );
    // An unknown template is a 404 problem; a missing debtor a 400 naming the field.
    let r = app
        .api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/templates/nope/preview?debtor={debtor}"),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = app
        .api(Role::Viewer, "GET", "/api/v1/templates/reminder_1/preview")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("debtor"), "{}", r.body);

    // Issue 17: no sender address, SIREN nor IBAN yet — the formal notice is refused with
    // each missing item named, and the debtor page says so under its letter link.
    let letter = format!("/api/v1/debtors/{debtor}/letter.pdf");
    let r = app.api(Role::Viewer, "GET", &letter).await;
    assert_eq!(r.status, 422, "{}", r.body);
    for item in ["postal address", "SIREN", "IBAN"] {
        assert!(r.body.contains(item), "{}", r.body);
    }
    let mut b = app.login(Role::Viewer).await;
    let page = app.get(&mut b, &format!("/debtors/{debtor}")).await;
    assert!(
        page.body.contains("id=\"letter-refused\"") && page.body.contains("SIREN"),
        "{}",
        page.body
    );
    // The company's identity, with its SIREN, set through the API: the letter is served.
    let r = app
        .api_json(
            Role::Admin,
            "PUT",
            "/api/v1/settings/company",
            &serde_json::json!({
                "name": "Acme Industrie SAS",
                "identifier": "DE98ZZZ09999999999",
                "iban": "FR7630006000011234567890189",
                "bic": "AGRIFRPP",
                "address": "8 quai des Forges\n75011 Paris",
                "company_id": "SIREN 552 100 554",
            }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let company: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(company["company_id"], "SIREN 552 100 554");
    let page = app.get(&mut b, &format!("/debtors/{debtor}")).await;
    assert!(
        !page.body.contains("id=\"letter-refused\""),
        "{}",
        page.body
    );
    let r = app.api(Role::Viewer, "GET", &letter).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.starts_with("%PDF-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_through_the_api_and_the_pages() {
    let app = spawn_sqlite().await;
    // The aged balance grouped by debtor adds up to the summary's open amounts (the
    // summary ages the book through another path, `Book::aged_balance`).
    let summary: serde_json::Value =
        serde_json::from_str(&app.api(Role::Viewer, "GET", "/api/v1/summary").await.body).unwrap();
    let r = app
        .api(Role::Viewer, "GET", "/api/v1/reports/aging?group_by=debtor")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let aging: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(aging["report"], "aging");
    assert_eq!(aging["as_of"], "2026-06-30");
    for open in summary["open"].as_array().unwrap() {
        let code = open["currency"].as_str().unwrap();
        let minor: i64 = aging["data"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["currency"] == code)
            .map(|g| g["total"]["minor"].as_i64().unwrap())
            .sum();
        assert_eq!(minor, open["minor"].as_i64().unwrap(), "{code}");
    }
    // The KPIs of the default period: the 90 days ending today, receivables at the end
    // equal to what is open.
    let k: serde_json::Value = serde_json::from_str(
        &app.api(Role::Viewer, "GET", "/api/v1/reports/kpis")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        (k["from"].as_str(), k["to"].as_str()),
        (Some("2026-04-02"), Some("2026-06-30"))
    );
    let eur = &k["data"]["currencies"][0];
    assert_eq!(eur["currency"], "EUR");
    assert_eq!(
        eur["receivables_end"]["minor"], summary["open"][0]["minor"],
        "{eur}"
    );
    let f: serde_json::Value = serde_json::from_str(
        &app.api(
            Role::Viewer,
            "GET",
            "/api/v1/reports/forecast?as_of=2026-06-30",
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(f["data"]["weeks"].as_array().unwrap().len(), 13);
    assert_eq!(f["data"]["weeks"][0]["start"], "2026-07-01");
    let e = app
        .api(Role::Viewer, "GET", "/api/v1/reports/effectiveness")
        .await;
    assert_eq!(e.status, 200, "{}", e.body);
    // Bad parameters are named, all at once, in a problem document.
    let bad = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/reports/aging?group_by=planet&buckets=60,30",
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.content_type.starts_with("application/problem+json"));
    assert!(
        bad.body.contains("group_by") && bad.body.contains("buckets"),
        "{}",
        bad.body
    );
    let reversed = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/reports/kpis?from=2026-06-30&to=2026-06-01",
        )
        .await;
    assert_eq!(reversed.status, 400, "{}", reversed.body);

    // The page: a chart with its title and a table alternative, and downloads.
    let mut b = app.login(Role::Viewer).await;
    let page = app
        .get(&mut b, "/reports?kind=aging&group_by=country")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Balance âgée"));
    assert!(
        page.body.contains("<svg class=\"chart\"")
            && page.body.contains("<title id=\"chart-report\">")
    );
    assert!(page.body.contains("/reports/download?kind=aging"));
    let csv = app
        .get(
            &mut b,
            "/reports/download?kind=aging&group_by=country&format=csv",
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(
        csv.body.starts_with("Groupe;Devise;non échu;1-30"),
        "{}",
        csv.body
    );
    let xlsx = app
        .get(&mut b, "/reports/download?kind=kpis&format=xlsx")
        .await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with("PK"));
    for kind in ["kpis", "effectiveness", "forecast"] {
        let p = app.get(&mut b, &format!("/reports?kind={kind}")).await;
        assert_eq!(p.status, 200, "{kind}: {}", p.body);
    }
    // The dashboard: DSO and collections over 12 months, each chart with its table.
    let home = app.get(&mut b, "/").await;
    assert!(home.body.contains("DSO (90 jours)"), "{}", home.body);
    // The DSO is a number of days, not an amount: "69,5 j", or "… j (EUR) · … j (GBP)".
    assert!(
        home.body.contains(" j</strong>") || home.body.contains(" j (EUR)"),
        "{}",
        home.body
    );
    assert!(home.body.contains("chart-collections"));
    assert_eq!(home.body.matches("<details>").count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_terms_report_through_the_api_and_the_page_in_french_and_english() {
    let app = spawn_sqlite().await;
    // The financial year defaults to the twelve months ending on the closing date.
    let r = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/reports/payment-terms?to=2026-06-30",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["report"], "payment-terms");
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2025-07-01"), Some("2026-06-30"))
    );
    let eur = &v["data"]["tables"][0];
    assert_eq!(eur["currency"], "EUR");
    // The total is the sum of the four late brackets (the 0-day column is indicative).
    let late: i64 = (1..5)
        .map(|i| eur["amounts"][i]["minor"].as_i64().unwrap())
        .sum();
    assert_eq!(
        eur["total_amount"]["minor"].as_i64().unwrap(),
        late,
        "{eur}"
    );
    // Amounts excl. VAT cannot be computed, and an unknown table is named.
    let bad = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/reports/payment-terms?amounts=ht&variant=weekly",
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body.contains("amounts") && bad.body.contains("VAT") && bad.body.contains("variant"),
        "{}",
        bad.body
    );

    // The page in French, then in English.
    let mut b = app.login(Role::Viewer).await;
    let fr = app.get(&mut b, "/reports?kind=payment-terms").await;
    assert_eq!(fr.status, 200, "{}", fr.body);
    for text in [
        "Délais de paiement (D441-6)",
        "1 à 30 jours",
        "91 jours et plus",
        "(B) Nombre des factures exclues",
        "Délais contractuels",
        "Date de clôture",
    ] {
        assert!(fr.body.contains(text), "{text}: {}", fr.body);
    }
    assert!(fr.body.contains("/reports/download?kind=payment-terms"));
    let csv = app
        .get(
            &mut b,
            "/reports/download?kind=payment-terms&format=csv&variant=paid-late",
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body
            .starts_with("Tranche de retard de paiement;Devise;0 jour (indicatif)"),
        "{}",
        csv.body
    );
    let csrf = b.csrf.clone();
    app.post(
        &mut b,
        "/language",
        &[("_csrf", &csrf), ("lang", "en"), ("back", "/reports")],
    )
    .await;
    let en = app
        .get(
            &mut b,
            "/reports?kind=payment-terms&variant=paid-late&reference=legal",
        )
        .await;
    assert_eq!(en.status, 200, "{}", en.body);
    for text in [
        "paid late during the financial year",
        "1 to 30 days",
        "Legal terms: 60 days from the issue date",
        "Share of the total amount of invoices issued in the year",
    ] {
        assert!(en.body.contains(text), "{text}: {}", en.body);
    }
}
