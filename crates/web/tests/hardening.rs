//! Issue 23, "hardened web": security headers on every answer, the session renewed at
//! sign-in, bounded metrics labels, local redirects only after sign-in, a sign-in limit
//! per account and client address, password rules, and API bodies refusing unknown fields.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

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
    assert_eq!(
        header(r, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
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
        for bad in [
            "<script",
            "style=\"",
            " onclick=",
            " onload=",
            "javascript:",
        ] {
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
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/claims?overdue=true&per_page=1",
        )
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

// -- 2. the session identifier is renewed at sign-in

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_again_ends_the_previous_session() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Viewer).await;
    let before = b.cookies["rc_session"].clone();
    let before_cookie = format!("rc_session={before}");
    // Signed in, the same browser signs in as someone else (the login form is posted with
    // the session's token).
    let csrf = b.csrf.clone();
    let pw = password(Role::Admin);
    let r = app
        .post(
            &mut b,
            "/login",
            &[
                ("_csrf", &csrf),
                ("login", "admin"),
                ("password", &pw),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = b.cookies["rc_session"].clone();
    assert_ne!(after, before);
    // The earlier session is gone: its cookie leads to the login page, the new one works.
    let r = raw_get(&app, "/debtors", Some(&before_cookie)).await;
    assert_eq!(r.status(), 303);
    assert_eq!(header(&r, "location"), Some("/login?next=/debtors"));
    let r = raw_get(&app, "/users", Some(&format!("rc_session={after}"))).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_gives_a_new_session_and_drops_the_signed_out_token() {
    let app = spawn_sqlite().await;
    let mut first = app.login(Role::Viewer).await;
    let mut second = app.login(Role::Viewer).await;
    // Two sign-ins of the same person: two sessions, each its own identifier and token.
    assert_ne!(first.cookies["rc_session"], second.cookies["rc_session"]);
    assert_ne!(first.csrf, second.csrf);
    assert_eq!(app.get(&mut first, "/debtors").await.status, 200);
    assert_eq!(app.get(&mut second, "/debtors").await.status, 200);
    // The signed-out form token (cookie rc_pre) is dropped at sign-in.
    let mut b = Browser::default();
    app.get(&mut b, "/login").await;
    assert!(b.cookies.contains_key("rc_pre"));
    let csrf = b.csrf.clone();
    let pw = password(Role::Viewer);
    let r = app
        .post(
            &mut b,
            "/login",
            &[("_csrf", &csrf), ("login", "viewer"), ("password", &pw)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(
        r.set_cookies
            .iter()
            .any(|c| c.starts_with("rc_pre=;") && c.contains("Max-Age=0")),
        "{:?}",
        r.set_cookies
    );
    assert!(!b.cookies.contains_key("rc_pre"));
}

// -- 3. metrics labels stay bounded

/// The distinct `method` labels of `/metrics`.
async fn method_labels(app: &TestApp) -> std::collections::BTreeSet<String> {
    let text = raw_get(app, "/metrics", None).await.text().await.unwrap();
    text.lines()
        .filter(|l| l.starts_with("recouvre_http_requests_total{"))
        .filter_map(|l| l.split("method=\"").nth(1)?.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invented_methods_add_one_metrics_label_at_most() {
    let app = spawn_sqlite().await;
    raw_get(&app, "/health", None).await;
    let before = method_labels(&app).await;
    assert!(before.contains("GET"), "{before:?}");
    // 50 methods made of random capitals (a fixed linear congruential sequence).
    let mut seed: u64 = 23;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let mut sent = std::collections::BTreeSet::new();
    for _ in 0..50 {
        let len = 3 + next() % 8;
        let name: String = (0..len)
            .map(|_| char::from(b'A' + u8::try_from(next() % 26).unwrap()))
            .collect();
        let method = reqwest::Method::from_bytes(name.as_bytes()).unwrap();
        let r = app
            .client
            .request(method, app.url("/health"))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{name}: {}", r.status());
        sent.insert(name);
    }
    assert!(sent.len() > 40, "{sent:?}");
    let after = method_labels(&app).await;
    let added: Vec<&String> = after.difference(&before).collect();
    assert_eq!(added, vec!["other"], "{after:?}");
}

// -- 4. after sign-in, local paths only

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_sign_in_only_a_local_path_is_followed() {
    let app = spawn_sqlite().await;
    let pw = password(Role::Viewer);
    for (next, expected) in [
        ("/\t/evil.example", "/"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\\evil", "/"),
        ("/\\/evil.example", "/"),
        ("\u{0}/x", "/"),
        ("/caf\u{e9}", "/"),
        ("/debtors?sort=name", "/debtors?sort=name"),
    ] {
        // The login page keeps a bad `next` out of its form too.
        let mut b = Browser::default();
        let encoded: String = next.bytes().map(|c| format!("%{c:02X}")).collect();
        let page = app.get(&mut b, &format!("/login?next={encoded}")).await;
        assert_eq!(page.status, 200, "{next:?}");
        assert!(!page.body.contains("evil"), "{next:?}: {}", page.body);
        let csrf = b.csrf.clone();
        let r = app
            .post_text(
                &mut b,
                "/login",
                &[
                    ("_csrf", &csrf),
                    ("login", "viewer"),
                    ("password", &pw),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{next:?}: {}", r.body);
        assert_eq!(r.location.as_deref(), Some(expected), "{next:?}");
    }
}

// -- 5. the sign-in limit is per account and client address

/// Signs in through the form with `X-Forwarded-For: forwarded`; the answer's status.
async fn sign_in_from(app: &TestApp, forwarded: &str, login: &str, password: &str) -> u16 {
    let mut b = Browser::default();
    let page = app
        .client
        .get(app.url("/login"))
        .header("x-forwarded-for", forwarded)
        .send()
        .await
        .unwrap();
    let pre = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("rc_pre="))
        .unwrap();
    b.csrf = pre.trim_start_matches("rc_pre=").to_string();
    let body = format!("_csrf={}&login={login}&password={password}", b.csrf);
    app.client
        .post(app.url("/login"))
        .header("x-forwarded-for", forwarded)
        .header("cookie", pre)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_the_trusted_proxy_a_guesser_does_not_lock_the_user_out() {
    let app = spawn_sqlite_with(
        true,
        recouvre_web::Config {
            trusted_proxy: Some("127.0.0.1".parse().unwrap()),
            ..Default::default()
        },
    )
    .await;
    let pw = password(Role::Admin);
    let max = app::users::MAX_SIGN_IN_FAILURES;
    // The proxy appends the address it saw; what the client wrote before it is ignored.
    let attacker = "10.9.9.9, 198.51.100.7";
    for _ in 0..max {
        assert_eq!(
            sign_in_from(&app, attacker, "admin", "guess-guess-guess").await,
            401
        );
    }
    assert_eq!(sign_in_from(&app, attacker, "admin", &pw).await, 429);
    // Writing another address first does not get the guesser out of the limit.
    assert_eq!(
        sign_in_from(&app, "203.0.113.5, 198.51.100.7", "admin", &pw).await,
        429
    );
    // The administrator, from her own address, signs in.
    assert_eq!(sign_in_from(&app, "203.0.113.5", "admin", &pw).await, 303);
    // Another account from the guesser's address too.
    let viewer = password(Role::Viewer);
    assert_eq!(sign_in_from(&app, attacker, "viewer", &viewer).await, 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_trusted_proxy_forwarded_for_is_ignored() {
    let app = spawn_sqlite().await;
    let max = app::users::MAX_SIGN_IN_FAILURES;
    // Each guess claims another address: all come from 127.0.0.1 all the same.
    for i in 0..max {
        let claimed = format!("198.51.100.{i}");
        assert_eq!(
            sign_in_from(&app, &claimed, "admin", "guess-guess-guess").await,
            401
        );
    }
    let pw = password(Role::Admin);
    assert_eq!(sign_in_from(&app, "203.0.113.5", "admin", &pw).await, 429);
}

// -- 6. password rules

/// The text of the page's error (`role="alert"`).
fn alert(html: &str) -> &str {
    let Some(at) = html.find("role=\"alert\">") else {
        return "";
    };
    let rest = &html[at..];
    &rest[..rest.find("</").unwrap_or(rest.len())]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_users_page_refuses_short_and_common_passwords() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Admin).await;
    app.get(&mut b, "/users").await;
    for (password, why) in [
        ("tram-velo-4", "au moins 12 caractères"),
        ("Motdepasse2024!", "plus courants"),
        ("password1234", "most common"),
    ] {
        let csrf = b.csrf.clone();
        let r = app
            .post_text(
                &mut b,
                "/users",
                &[
                    ("_csrf", &csrf),
                    ("login", "newcomer"),
                    ("display_name", "Newcomer"),
                    ("role", "viewer"),
                    ("language", "fr"),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{password}: {}", r.body);
        assert!(alert(&r.body).contains(why), "{password}: {}", r.body);
        let mut tx = app.store.begin().await.unwrap();
        assert!(
            tx.user_by_login("newcomer").await.unwrap().is_none(),
            "{password}"
        );
    }
    let csrf = b.csrf.clone();
    let r = app
        .post_text(
            &mut b,
            "/users",
            &[
                ("_csrf", &csrf),
                ("login", "newcomer"),
                ("display_name", "Newcomer"),
                ("role", "viewer"),
                ("language", "fr"),
                ("password", "tram-velo-42"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.store.begin().await.unwrap();
    assert!(tx.user_by_login("newcomer").await.unwrap().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_administrator_may_not_take_a_common_password() {
    let app = spawn_empty().await;
    let mut b = Browser::default();
    app.get(&mut b, "/setup").await;
    let csrf = b.csrf.clone();
    let r = app
        .post_text(
            &mut b,
            "/setup",
            &[
                ("_csrf", &csrf),
                ("login", "admin"),
                ("display_name", "Admin"),
                ("password", "azertyuiop123"),
                ("password2", "azertyuiop123"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(alert(&r.body).contains("plus courants"), "{}", r.body);
    let mut tx = app.store.begin().await.unwrap();
    assert_eq!(tx.user_count().await.unwrap(), 0);
}

// -- 7. API bodies refuse unknown fields

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misnamed_field_is_refused_and_changes_nothing() {
    let app = spawn_sqlite().await;
    let cases = app
        .api(Role::Viewer, "GET", "/api/v1/cases?per_page=1")
        .await;
    let cases: serde_json::Value = serde_json::from_str(&cases.body).unwrap();
    let id = cases["items"][0]["debtor_id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}/assign");
    let r = app
        .api_json(
            Role::Manager,
            "POST",
            &path,
            &serde_json::json!({ "owner": "collector" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let audit_before = app.api(Role::Admin, "GET", "/api/v1/audit").await.body;
    // `to` instead of `owner`: once read as "nobody", which emptied the case's owner.
    let r = app
        .api_json(
            Role::Manager,
            "POST",
            &path,
            &serde_json::json!({ "to": "manager" }),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("unknown field `to`"), "{}", r.body);
    let case = app
        .api(Role::Viewer, "GET", &format!("/api/v1/cases/{id}"))
        .await;
    let case: serde_json::Value = serde_json::from_str(&case.body).unwrap();
    assert_eq!(case["owner"], "collector", "{case}");
    assert_eq!(
        app.api(Role::Admin, "GET", "/api/v1/audit").await.body,
        audit_before
    );
    // The same on another body: a hold with a misspelt second field.
    let r = app
        .api_json(
            Role::Collector,
            "POST",
            &format!("/api/v1/cases/{id}/hold"),
            &serde_json::json!({ "until": "2026-07-31", "untill": "2026-08-31" }),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
}

// -- 7. the second factor (TOTP) and the sign-in limit shared by instances

/// Signs in through the login form with a code; the status of the answer (303 signed
/// in, 401 refused, 403 must set up a second factor first, 429 rate-limited).
async fn sign_in_with_code(app: &TestApp, login: &str, password: &str, code: &str) -> u16 {
    let mut b = Browser::default();
    app.get(&mut b, "/login").await;
    let csrf = b.csrf.clone();
    app.post(
        &mut b,
        "/login",
        &[
            ("_csrf", &csrf),
            ("login", login),
            ("password", password),
            ("code", code),
            ("next", "/"),
        ],
    )
    .await
    .status
}

/// The code an authenticator app holding `secret` shows at the test clock's instant
/// (AS_OF, noon UTC), `offset` steps later: RFC 6238's algorithm, checked against the
/// RFC's own vectors in `app::totp`.
fn code_at(secret: &str, offset: i64) -> String {
    let noon: jiff::Timestamp = format!("{AS_OF}T12:00:00Z").parse().unwrap();
    let step = app::totp::step_of(noon.as_second()) + offset;
    let key = app::totp::from_base32(secret).unwrap();
    format!("{:06}", app::totp::hotp(&key, step as u64))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_factor_is_set_up_asked_for_used_once_and_can_be_required_of_admins() {
    let app = spawn_sqlite().await;
    let mut admin = app.login(Role::Admin).await;
    let page = app.get(&mut admin, "/account/security").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let secret = {
        let at = page.body.find("id=\"totp-secret\">").unwrap() + "id=\"totp-secret\">".len();
        page.body[at..at + 32].to_string()
    };
    assert!(page.body.contains("otpauth://totp/Recouvre:admin?secret="));

    // A wrong code changes nothing.
    let csrf = admin.csrf.clone();
    let wrong = app
        .post(
            &mut admin,
            "/account/security/totp",
            &[("_csrf", &csrf), ("secret", &secret), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let on = app
        .post(
            &mut admin,
            "/account/security/totp",
            &[
                ("_csrf", &csrf),
                ("secret", &secret),
                ("code", &code_at(&secret, 0)),
            ],
        )
        .await;
    assert_eq!(on.status, 303, "{}", on.body);

    let pw = password(Role::Admin);
    // The password alone no longer signs in; the code used to set up is used already.
    assert_eq!(sign_in_with_code(&app, "admin", &pw, "").await, 401);
    assert_eq!(
        sign_in_with_code(&app, "admin", &pw, &code_at(&secret, 0)).await,
        401
    );
    // The next step's code (clock drift allowed) signs in, once.
    assert_eq!(
        sign_in_with_code(&app, "admin", &pw, &code_at(&secret, 1)).await,
        303
    );
    assert_eq!(
        sign_in_with_code(&app, "admin", &pw, &code_at(&secret, 1)).await,
        401
    );
    // Two steps away: refused.
    assert_eq!(
        sign_in_with_code(&app, "admin", &pw, &code_at(&secret, 3)).await,
        401
    );

    // Mandatory for administrators: the only admin has one, so it is accepted.
    let required = serde_json::json!({ "required_for_admins": true });
    let require = || app.api_json(Role::Admin, "PUT", "/api/v1/settings/security", &required);
    let policy = require().await;
    assert_eq!(policy.status, 200, "{}", policy.body);
    // A lost device: the reset (audited) leaves the admin unable to sign in until a new
    // second factor is set up...
    let reset = app
        .api(Role::Admin, "POST", "/api/v1/users/admin/totp/reset")
        .await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(sign_in_with_code(&app, "admin", &pw, "").await, 403);
    // ...and, now that she has none, requiring it again is refused, naming her.
    let refused = require().await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("admin"), "{}", refused.body);
    // Other roles are not concerned.
    assert_eq!(
        sign_in_with_code(&app, "viewer", &password(Role::Viewer), "").await,
        303
    );

    let mut tx = app.store.begin_read().await.unwrap();
    let actions: Vec<String> = tx
        .audit_entries(50, None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "user.totp_enable",
        "settings.totp_admins",
        "user.totp_disable",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
    }
}

/// "the sign-in rate limit shared across instances on PostgreSQL": failures counted by
/// one instance block the same login from the same address at another.
async fn failures_at_one_instance_block_at_the_other(app: TestApp) {
    let other = spawn_alongside(&app).await;
    let max = app::users::MAX_SIGN_IN_FAILURES;
    for i in 0..max {
        let at = if i % 2 == 0 { &app } else { &other };
        assert_eq!(
            sign_in_with_code(at, "admin", "guess-guess-guess", "").await,
            401
        );
    }
    let pw = password(Role::Admin);
    assert_eq!(sign_in_with_code(&app, "admin", &pw, "").await, 429);
    assert_eq!(sign_in_with_code(&other, "admin", &pw, "").await, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_limit_is_shared_by_instances_on_postgresql() {
    failures_at_one_instance_block_at_the_other(spawn_pg().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_limit_is_shared_by_instances_on_sqlite() {
    failures_at_one_instance_block_at_the_other(spawn_sqlite().await).await;
}
