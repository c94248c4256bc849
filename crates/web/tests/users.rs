//! Managing users after they are created (issue 23): deactivation, role and password
//! changes, API tokens that expire or are revoked, through the API and the users page.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::clock::FixedClock;
use app::store::Role;
use common::{Browser, TestApp, spawn_sqlite};
use serde_json::{Value, json};

fn body(a: &common::Answer) -> Value {
    serde_json::from_str(&a.body).unwrap_or_else(|_| panic!("not JSON: {}", a.body))
}

/// Signs in with any login and password; returns the browser and the status of the form.
async fn sign_in(app: &TestApp, login: &str, password: &str) -> (Browser, u16) {
    let mut b = Browser::default();
    app.get(&mut b, "/login").await;
    let csrf = b.csrf.clone();
    let r = app
        .post_text(
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
    (b, r.status)
}

/// Whether the browser's session still opens a page (rather than sending to sign in).
async fn signed_in(app: &TestApp, b: &mut Browser, path: &str) -> u16 {
    let a = app.get(b, path).await;
    if a.status == 303 {
        assert!(
            a.location.as_deref().unwrap().starts_with("/login?next="),
            "{:?}",
            a.location
        );
    }
    a.status
}

/// The audit log's newest actions, as `action subject by actor`.
async fn audit(app: &TestApp, n: usize) -> Vec<String> {
    audit_as(app, Role::Admin, n).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_user_is_out_at_once_session_token_and_sign_in() {
    let app = spawn_sqlite().await;
    let mut collector = app.login(Role::Collector).await;
    let session = collector.cookies["rc_session"].clone();
    assert_eq!(signed_in(&app, &mut collector, "/worklist").await, 200);
    assert_eq!(
        app.api(Role::Collector, "GET", "/api/v1/me").await.status,
        200
    );

    let a = app
        .api(Role::Admin, "POST", "/api/v1/users/collector/deactivate")
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(body(&a)["active"], false);

    // The open session and the token stop working on the next request.
    assert_eq!(signed_in(&app, &mut collector, "/worklist").await, 303);
    assert_eq!(
        app.api(Role::Collector, "GET", "/api/v1/me").await.status,
        401
    );
    // Signing in is refused, with the right password.
    let pw = common::password(Role::Collector);
    assert_eq!(sign_in(&app, "collector", &pw).await.1, 401);
    // Their sessions are gone from the database, not only refused.
    let mut tx = app.store.begin().await.unwrap();
    let hash = recouvre_web::auth::hash_token(&session);
    assert_eq!(tx.session(&hash).await.unwrap(), None);
    drop(tx);
    // The list says so.
    let users = body(&app.api(Role::Admin, "GET", "/api/v1/users").await);
    let c = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "collector")
        .unwrap();
    assert_eq!(c["active"], false);

    // Reactivated: the token (neither revoked nor expired) works again, sign-in too.
    let a = app
        .api(Role::Admin, "POST", "/api/v1/users/collector/activate")
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        app.api(Role::Collector, "GET", "/api/v1/me").await.status,
        200
    );
    assert_eq!(sign_in(&app, "collector", &pw).await.1, 303);
    assert_eq!(
        audit(&app, 2).await,
        [
            "user.activate user:collector by admin",
            "user.deactivate user:collector by admin"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_change_ends_the_sessions_and_applies_at_the_next_sign_in() {
    let app = spawn_sqlite().await;
    let mut manager = app.login(Role::Manager).await;
    let session = manager.cookies["rc_session"].clone();
    assert_eq!(signed_in(&app, &mut manager, "/scenarios").await, 200);

    let a = app
        .api_json(
            Role::Admin,
            "PUT",
            "/api/v1/users/manager/role",
            &json!({ "role": "viewer" }),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(body(&a)["role"], "viewer");
    // The session ended: the browser is sent to sign in, and the row is gone.
    let mut stale = Browser::default();
    stale.cookies.insert("rc_session".into(), session.clone());
    assert_eq!(signed_in(&app, &mut stale, "/").await, 303);
    let mut tx = app.store.begin().await.unwrap();
    assert_eq!(
        tx.session(&recouvre_web::auth::hash_token(&session))
            .await
            .unwrap(),
        None
    );
    drop(tx);
    // Signed in again, the manager is a viewer: the scenarios are no longer theirs.
    let (mut again, status) = sign_in(&app, "manager", &common::password(Role::Manager)).await;
    assert_eq!(status, 303);
    assert_eq!(app.get(&mut again, "/scenarios").await.status, 403);
    // Their token acts as a viewer too.
    assert_eq!(
        body(&app.api(Role::Manager, "GET", "/api/v1/me").await)["role"],
        "viewer"
    );
    assert_eq!(audit(&app, 1).await, ["user.role user:manager by admin"]);
    // A role that does not exist names the field; an unknown field is refused.
    let bad = app
        .api_json(
            Role::Admin,
            "PUT",
            "/api/v1/users/manager/role",
            &json!({ "role": "boss" }),
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(body(&bad)["errors"][0]["field"], "role");
    let unknown = app
        .api_json(
            Role::Admin,
            "PUT",
            "/api/v1/users/manager/role",
            &json!({ "role": "admin", "login": "viewer" }),
        )
        .await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert!(unknown.body.contains("unknown field"), "{}", unknown.body);
    let nobody = app
        .api_json(
            Role::Admin,
            "PUT",
            "/api/v1/users/nobody/role",
            &json!({ "role": "admin" }),
        )
        .await;
    assert_eq!(nobody.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_active_admin_stays() {
    let app = spawn_sqlite().await;
    let refused = |a: &common::Answer| {
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(
            a.body.contains("last active administrator")
                && a.body.contains("dernier administrateur actif"),
            "{}",
            a.body
        );
    };
    refused(
        &app.api(Role::Admin, "POST", "/api/v1/users/admin/deactivate")
            .await,
    );
    refused(
        &app.api_json(
            Role::Admin,
            "PUT",
            "/api/v1/users/admin/role",
            &json!({ "role": "manager" }),
        )
        .await,
    );
    // A second admin who is deactivated does not count.
    let promote = app
        .api_json(
            Role::Admin,
            "PUT",
            "/api/v1/users/manager/role",
            &json!({ "role": "admin" }),
        )
        .await;
    assert_eq!(promote.status, 200, "{}", promote.body);
    let off = app
        .api(Role::Admin, "POST", "/api/v1/users/manager/deactivate")
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    refused(
        &app.api_json(
            Role::Admin,
            "PUT",
            "/api/v1/users/admin/role",
            &json!({ "role": "viewer" }),
        )
        .await,
    );
    // Active again, the other admin lets the first one step down.
    assert_eq!(
        app.api(Role::Admin, "POST", "/api/v1/users/manager/activate")
            .await
            .status,
        200
    );
    let down = app
        .api_json(
            Role::Admin,
            "PUT",
            "/api/v1/users/admin/role",
            &json!({ "role": "viewer" }),
        )
        .await;
    assert_eq!(down.status, 200, "{}", down.body);
    // Nothing refused was written: admin still holds the role only until now, and the
    // audit log has no line for the refusals.
    let mut tx = app.store.begin().await.unwrap();
    let admin = tx.user_by_login("admin").await.unwrap().unwrap();
    assert_eq!((admin.role, admin.active), (Role::Viewer, true));
    drop(tx);
    assert_eq!(
        audit_as(&app, Role::Manager, 4).await,
        [
            "user.role user:admin by admin",
            "user.activate user:manager by admin",
            "user.deactivate user:manager by admin",
            "user.role user:manager by admin"
        ]
    );
}

/// The same, read with `role`'s token (an admin's by then).
async fn audit_as(app: &TestApp, role: Role, n: usize) -> Vec<String> {
    let a = app
        .api(role, "GET", &format!("/api/v1/audit?limit={n}"))
        .await;
    body(&a)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} by {}",
                e["action"].as_str().unwrap(),
                e["subject"].as_str().unwrap(),
                e["actor"].as_str().unwrap()
            )
        })
        .collect()
}

/// Calls `/api/v1/me` with a bearer token.
async fn me(app: &TestApp, token: &str) -> u16 {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_and_are_revoked() {
    let app = spawn_sqlite().await;
    // Created through the API for 30 days at the server's clock (2026-06-30 noon UTC).
    let a = app
        .api_json(
            Role::Admin,
            "POST",
            "/api/v1/users/viewer/tokens",
            &json!({ "name": "erp", "expires_days": 30 }),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let created = body(&a);
    assert_eq!(created["expires_at"], "2026-07-30T12:00:00Z");
    let erp = created["token"].as_str().unwrap().to_string();
    let erp_id = created["id"].as_i64().unwrap();
    assert_eq!(me(&app, &erp).await, 200);

    // Two tokens created on 2026-06-01 noon: for 29 days it expires at the server's
    // very instant (refused), for 30 days one day later (accepted).
    let earlier = FixedClock("2026-06-01".parse().unwrap());
    let actor = app::audit::Actor("cli:test".into());
    let mut secrets = Vec::new();
    for days in [29, 30] {
        let secret = recouvre_web::auth::random_token().unwrap();
        let view = app::users::add_api_token(
            app.store.as_ref(),
            &earlier,
            &actor,
            "viewer",
            "old",
            &recouvre_web::auth::hash_token(&secret),
            Some(days),
        )
        .await
        .unwrap();
        assert_eq!(
            view.expires_at.as_deref(),
            Some(if days == 29 {
                "2026-06-30T12:00:00Z"
            } else {
                "2026-07-01T12:00:00Z"
            })
        );
        secrets.push(secret);
    }
    assert_eq!(me(&app, &secrets[0]).await, 401, "expired at this instant");
    assert_eq!(me(&app, &secrets[1]).await, 200, "one day left");

    // Revoked: refused at once; revoking again, or under another user, is refused.
    let path = format!("/api/v1/users/viewer/tokens/{erp_id}/revoke");
    let wrong = format!("/api/v1/users/manager/tokens/{erp_id}/revoke");
    assert_eq!(app.api(Role::Admin, "POST", &wrong).await.status, 404);
    assert_eq!(me(&app, &erp).await, 200);
    let r = app.api(Role::Admin, "POST", &path).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(body(&r)["revoked_at"], "2026-06-30T12:00:00Z");
    assert_eq!(me(&app, &erp).await, 401);
    let again = app.api(Role::Admin, "POST", &path).await;
    assert_eq!(again.status, 422, "{}", again.body);

    // The list: the test token, the ERP's (revoked), the expired one, the valid one.
    let list = body(
        &app.api(Role::Admin, "GET", "/api/v1/users/viewer/tokens")
            .await,
    );
    let rows: Vec<(String, bool, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_string(),
                t["usable"].as_bool().unwrap(),
                t["revoked_at"].is_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("tests".to_string(), true, false),
            ("erp".to_string(), false, true),
            ("old".to_string(), false, false),
            ("old".to_string(), true, false),
        ]
    );
    assert!(!list.to_string().contains("hash"), "never the hash");

    // Bad requests: no days, too many, an unknown field.
    for (bad, status) in [
        (json!({ "expires_days": 0 }), 422),
        (json!({ "expires_days": 3651 }), 422),
        (json!({ "name": "x", "scope": "all" }), 400),
    ] {
        let a = app
            .api_json(Role::Admin, "POST", "/api/v1/users/viewer/tokens", &bad)
            .await;
        assert_eq!(a.status, status, "{bad}: {}", a.body);
    }
    assert!(
        audit(&app, 3)
            .await
            .contains(&"api_token.revoke user:viewer by admin".to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_follows_the_rules_and_ends_the_other_sessions() {
    let app = spawn_sqlite().await;
    let mut collector = app.login(Role::Collector).await;
    let path = "/api/v1/users/collector/password";
    for weak in ["short-1", "password1234"] {
        let a = app
            .api_json(Role::Admin, "PUT", path, &json!({ "password": weak }))
            .await;
        assert_eq!(a.status, 400, "{weak}: {}", a.body);
        assert_eq!(body(&a)["errors"][0]["field"], "password");
    }
    // Nothing changed: the session and the old password still work.
    assert_eq!(signed_in(&app, &mut collector, "/worklist").await, 200);
    let a = app
        .api_json(
            Role::Admin,
            "PUT",
            path,
            &json!({ "password": "tram-velo-metro-42" }),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(signed_in(&app, &mut collector, "/worklist").await, 303);
    let old = common::password(Role::Collector);
    assert_eq!(sign_in(&app, "collector", &old).await.1, 401);
    assert_eq!(
        sign_in(&app, "collector", "tram-velo-metro-42").await.1,
        303
    );
    let entries = app
        .api(Role::Admin, "GET", "/api/v1/audit?limit=1")
        .await
        .body;
    assert!(entries.contains("user.password"), "{entries}");
    assert!(!entries.contains("argon2"), "never the hash: {entries}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_manage_users() {
    let app = spawn_sqlite().await;
    let calls: [(&str, &str, Option<Value>); 8] = [
        ("GET", "/api/v1/users", None),
        ("POST", "/api/v1/users/viewer/deactivate", None),
        ("POST", "/api/v1/users/viewer/activate", None),
        (
            "PUT",
            "/api/v1/users/viewer/role",
            Some(json!({ "role": "admin" })),
        ),
        (
            "PUT",
            "/api/v1/users/viewer/password",
            Some(json!({ "password": "tram-velo-metro-42" })),
        ),
        ("GET", "/api/v1/users/viewer/tokens", None),
        ("POST", "/api/v1/users/viewer/tokens", Some(json!({}))),
        ("POST", "/api/v1/users/viewer/tokens/1/revoke", None),
    ];
    for role in [Role::Viewer, Role::Collector, Role::Manager] {
        for (method, path, json) in &calls {
            let a = match json {
                Some(j) => app.api_json(role, method, path, j).await,
                None => app.api(role, method, path).await,
            };
            assert_eq!(a.status, 403, "{method} {path} as {role}: {}", a.body);
        }
    }
    // Nothing happened to the viewer.
    let mut tx = app.store.begin().await.unwrap();
    let viewer = tx.user_by_login("viewer").await.unwrap().unwrap();
    assert_eq!((viewer.role, viewer.active), (Role::Viewer, true));
    drop(tx);
    // Nor through the pages.
    let mut manager = app.login(Role::Manager).await;
    assert_eq!(app.get(&mut manager, "/users/viewer").await.status, 403);
    let csrf = manager.csrf.clone();
    let a = app
        .post(
            &mut manager,
            "/users/viewer/active",
            &[("_csrf", &csrf), ("active", "0")],
        )
        .await;
    assert_eq!(a.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_users_page_manages_a_user() {
    let app = spawn_sqlite().await;
    let mut admin = app.login(Role::Admin).await;
    let list = app.get(&mut admin, "/users").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("href=\"/users/viewer\""),
        "{}",
        list.body
    );
    let page = app.get(&mut admin, "/users/viewer").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("action=\"/users/viewer/active\""));
    let csrf = admin.csrf.clone();

    // Without the CSRF token, nothing changes.
    let forged = app
        .post(&mut admin, "/users/viewer/active", &[("active", "0")])
        .await;
    assert_eq!(forged.status, 403);
    let mut viewer = app.login(Role::Viewer).await;
    assert_eq!(signed_in(&app, &mut viewer, "/").await, 200);

    // Deactivate: the viewer's session ends at once; the page says deactivated (French).
    let a = app
        .post(
            &mut admin,
            "/users/viewer/active",
            &[("_csrf", &csrf), ("active", "0")],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        a.location.as_deref(),
        Some("/users/viewer?notice=user-deactivated")
    );
    assert_eq!(signed_in(&app, &mut viewer, "/").await, 303);
    let after = app
        .get(&mut admin, "/users/viewer?notice=user-deactivated")
        .await;
    assert!(
        after.body.contains("Utilisateur désactivé"),
        "{}",
        after.body
    );
    assert!(after.body.contains("Réactiver"));
    // Reactivate, then change the role.
    let a = app
        .post(
            &mut admin,
            "/users/viewer/active",
            &[("_csrf", &csrf), ("active", "1")],
        )
        .await;
    assert_eq!(a.status, 303);
    let a = app
        .post(
            &mut admin,
            "/users/viewer/role",
            &[("_csrf", &csrf), ("role", "collector")],
        )
        .await;
    assert_eq!(
        a.location.as_deref(),
        Some("/users/viewer?notice=user-role")
    );
    // The last admin cannot step down here either: the page says why.
    let a = app
        .post(
            &mut admin,
            "/users/admin/role",
            &[("_csrf", &csrf), ("role", "viewer")],
        )
        .await;
    assert_eq!(a.status, 422);
    assert!(
        a.body.contains("dernier administrateur actif"),
        "{}",
        a.body
    );

    // A token with an expiry: shown once on the answer, and it works.
    let a = app
        .post(
            &mut admin,
            "/users/viewer/tokens",
            &[("_csrf", &csrf), ("name", "erp"), ("expires_days", "10")],
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let at = a.body.find("<code>").unwrap() + "<code>".len();
    let secret = a.body[at..at + 64].to_string();
    assert_eq!(me(&app, &secret).await, 200);
    assert!(
        a.body.contains("2026-07-10T12:00:00Z"),
        "its expiry is shown"
    );
    // Revoked from the page: refused from then on.
    let tokens = app::users::api_tokens(
        app.store.as_ref(),
        &FixedClock(common::AS_OF.parse().unwrap()),
        "viewer",
    )
    .await
    .unwrap();
    let id = tokens.iter().find(|t| t.name == "erp").unwrap().id;
    let a = app
        .post(
            &mut admin,
            &format!("/users/viewer/tokens/{id}/revoke"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(
        a.location.as_deref(),
        Some("/users/viewer?notice=token-revoked#tokens")
    );
    assert_eq!(me(&app, &secret).await, 401);

    // The admin's own new password keeps their session; the viewer's sessions end.
    let a = app
        .post(
            &mut admin,
            "/users/admin/password",
            &[("_csrf", &csrf), ("password", "tram-velo-metro-42")],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(signed_in(&app, &mut admin, "/users").await, 200);
    let a = app
        .post(
            &mut admin,
            "/users/admin/password",
            &[("_csrf", &csrf), ("password", "short")],
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.body);

    assert_eq!(
        audit(&app, 5).await,
        [
            "user.password user:admin by admin",
            "api_token.revoke user:viewer by admin",
            "api_token.create user:viewer by admin",
            "user.role user:viewer by admin",
            "user.activate user:viewer by admin",
        ]
    );
}
