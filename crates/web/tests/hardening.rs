//! Issue 23, "hardened web": security headers on every answer, the session renewed at
//! sign-in, bounded metrics labels, local redirects only after sign-in, a sign-in limit
//! per account and client address, password rules, and API bodies refusing unknown fields.

mod common;

use app::store::Role;
use common::*;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// A GET with an optional session cookie; the raw answer, headers included.
async fn raw_get(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.unwrap()
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    r.headers().get(name).map(|v| v.to_str().unwrap())
}

fn assert_security_headers(r: &reqwest::Response, what: &str, hsts: bool) {
    assert_eq!(header(r, "content-security-policy"), Some(CSP), "{what}");
    assert_eq!(header(r, "x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(header(r, "x-content-type-options"), Some("nosniff"), "{what}");
    assert_eq!(header(r, "referrer-policy"), Some("same-origin"), "{what}");
    assert_eq!(
        header(r, "strict-transport-security"),
        hsts.then_some("max-age=31536000"),
        "{what}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_sqlite().await;
    let b = app.login(Role::Viewer).await;
    let cookie = b.cookie_header();
    // A page, an API answer, the style sheet, a 404 page, a 404 API problem, the login
    // page signed out and the redirect to it.
    for (path, status) in [
        ("/debtors", 200),
        ("/nope", 404),
        ("/api/v1/debtors/999999", 404),
        ("/assets/app.css", 200),
    ] {
        let r = raw_get(&app, path, Some(&cookie)).await;
        assert_eq!(r.status().as_u16(), status, "{path}");
        assert_security_headers(&r, path, false);
    }
    let r = app
        .client
        .get(app.url("/api/v1/summary"))
        .bearer_auth(&app.tokens[&Role::Viewer])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_security_headers(&r, "/api/v1/summary", false);
    for (path, status) in [("/login", 200), ("/debtors", 303)] {
        let r = raw_get(&app, path, None).await;
        assert_eq!(r.status().as_u16(), status, "{path}");
        assert_security_headers(&r, path, false);
    }
    // The pages hold no script and no inline style for the policy to block.
    for path in ["/", "/debtors", "/worklist", "/reports", "/templates"] {
        let r = raw_get(&app, path, Some(&cookie)).await;
        let body = r.text().await.unwrap();
        for bad in ["<script", "style=\"", " onclick=", " onload=", "javascript:"] {
            assert!(!body.contains(bad), "{path} holds {bad}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_answers_also_demand_https() {
    let app = spawn_sqlite_with(
        true,
        recouvre_web::Config {
            secure_cookies: true,
            ..Default::default()
        },
    )
    .await;
    for path in ["/login", "/assets/app.css", "/nope", "/health"] {
        let r = raw_get(&app, path, None).await;
        assert_security_headers(&r, path, true);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_message_preview_has_its_own_policy_and_is_framed_by_the_templates_page() {
    let app = spawn_sqlite().await;
    let b = app.login(Role::Viewer).await;
    let cookie = b.cookie_header();
    let claims = app
        .api(Role::Viewer, "GET", "/api/v1/claims?overdue=true&per_page=1")
        .await;
    let claims: serde_json::Value = serde_json::from_str(&claims.body).unwrap();
    let debtor = claims["items"][0]["debtor_id"].as_i64().unwrap();
    let r = raw_get(
        &app,
        &format!("/templates?name=reminder_1&debtor={debtor}&lang=en"),
        Some(&cookie),
    )
    .await;
    let page = r.text().await.unwrap();
    let src = format!("src=\"/templates/preview?name=reminder_1&#38;debtor={debtor}&#38;lang=en\"");
    assert!(page.contains(&src), "{page}");
    let r = raw_get(
        &app,
        &format!("/templates/preview?name=reminder_1&debtor={debtor}&lang=en"),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        header(&r, "content-security-policy"),
        Some(recouvre_web::PREVIEW_CSP)
    );
    assert_eq!(header(&r, "x-frame-options"), Some("SAMEORIGIN"));
    assert_eq!(header(&r, "x-content-type-options"), Some("nosniff"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<html") && html.contains("style="), "{html}");
    // Signed out: to the login page, like every page.
    let r = raw_get(&app, &format!("/templates/preview?debtor={debtor}"), None).await;
    assert_eq!(r.status(), 303);
}
