//! Walks every route of the permission table with every role and signed out, and checks
//! that each is let through or refused exactly as the table says.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::store::Role;
use common::{Browser, TestApp, spawn_sqlite};
use recouvre_web::auth::{Access, PERMISSIONS};

/// The route with its `{id}` filled by something that exists.
async fn concrete(app: &TestApp, path: &str, principal: usize) -> String {
    let id = if path.starts_with("/actions/") || path.starts_with("/api/v1/actions/") {
        // Actions differ between principals; one already approved or skipped answers 422,
        // which is fine: the permission check let the request through.
        let mut tx = app.store.begin().await.unwrap();
        let all = tx.actions(&Default::default()).await.unwrap();
        all[principal % all.len()].id.to_string()
    } else if path.starts_with("/api/v1/cases/") {
        let mut tx = app.store.begin().await.unwrap();
        tx.cases().await.unwrap()[0].debtor_id.0.to_string()
    } else {
        "1".to_string()
    };
    path.replace("{id}", &id)
}

/// A form body good enough to reach the handler.
fn fields(path: &str, who: &str) -> Vec<(String, String)> {
    let f = |k: &str, v: &str| (k.to_string(), v.to_string());
    match path {
        "/login" => vec![
            f("login", "viewer"),
            f("password", &common::password(Role::Viewer)),
        ],
        "/language" => vec![f("lang", "fr"), f("back", "/")],
        "/users" => vec![
            f("login", &format!("walk-{who}")),
            f("role", "viewer"),
            f("language", "fr"),
            f("password", "a-long-password"),
        ],
        "/debtors/{id}/hold" => vec![f("until", "2026-12-31")],
        _ => Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_with_every_role() {
    let app = spawn_sqlite().await;
    let mut principals: Vec<(String, Option<Role>, Browser)> = Vec::new();
    let mut anon = Browser::default();
    app.get(&mut anon, "/login").await;
    principals.push(("anonymous".into(), None, anon));
    for role in Role::ALL {
        principals.push((role.to_string(), Some(role), app.login(role).await));
    }
    let mut checked = 0;
    for rule in PERMISSIONS {
        for (i, (who, role, browser)) in principals.iter_mut().enumerate() {
            let path = concrete(&app, rule.path, i).await;
            // Signing out ends the session, signing in ends it and starts another: use a
            // session of its own (signed out, a copy), so that the principal stays who it
            // is.
            let mut own;
            let b = if rule.path == "/logout" || rule.path == "/login" {
                own = match role {
                    Some(r) => app.login(*r).await,
                    None => browser.clone(),
                };
                &mut own
            } else {
                browser
            };
            let answer = if rule.method == "GET" {
                app.get(b, &path).await
            } else {
                let mut body: Vec<(String, String)> = fields(rule.path, who);
                body.push(("_csrf".into(), b.csrf.clone()));
                let pairs: Vec<(&str, &str)> =
                    body.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                app.send(b, rule.method, &path, &pairs).await
            };
            let to_login = answer.status == 303
                && answer
                    .location
                    .as_deref()
                    .is_some_and(|l| l.starts_with("/login?next="));
            let allowed = match rule.access {
                Access::Public => true,
                Access::Signed(min) => role.is_some_and(|r| r >= min),
            };
            let what = format!(
                "{} {} as {who}: {} {}",
                rule.method,
                path,
                answer.status,
                answer.body.chars().take(200).collect::<String>()
            );
            if allowed {
                assert!(
                    answer.status != 403 && !to_login,
                    "should be allowed: {what}"
                );
                if matches!(rule.access, Access::Signed(_)) {
                    assert_ne!(answer.status, 401, "should be allowed: {what}");
                }
                assert!(answer.status < 500, "server error: {what}");
            } else if role.is_none() {
                let api = rule.path.starts_with("/api/");
                assert!(
                    if api { answer.status == 401 } else { to_login },
                    "should ask to sign in: {what}"
                );
            } else {
                assert_eq!(answer.status, 403, "should be forbidden: {what}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, PERMISSIONS.len() * 5);

    // The API, with each role's bearer token, follows the same table.
    for rule in PERMISSIONS
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
    {
        for role in Role::ALL {
            let path = concrete(&app, rule.path, 6).await;
            let answer = app.api(role, rule.method, &path).await;
            let Access::Signed(min) = rule.access else {
                continue;
            };
            if role >= min {
                assert!(
                    ![401, 403].contains(&answer.status) && answer.status < 500,
                    "{} {path} as {role} token: {} {}",
                    rule.method,
                    answer.status,
                    answer.body
                );
            } else {
                assert_eq!(answer.status, 403, "{} {path} as {role} token", rule.method);
            }
        }
    }
}
