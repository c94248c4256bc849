//! Issue 23, "also found": a web write during a long CLI import on SQLite waited 10 s,
//! then answered 500. While another connection holds the write lock of the database file
//! (as an import does), a write answers 503 with `Retry-After: 5` once the store's wait
//! runs out (shortened here to 200 ms): problem+json for the API, the error page for the
//! interface; nothing is written, and the same request succeeds once the lock is gone.

#![allow(clippy::unwrap_used)]

mod common;

use app::store::Role;
use common::spawn_sqlite_waiting;
use store_sql::sqlx::{self, Connection};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_while_the_database_is_locked_answers_503_with_retry_after() {
    let (app, path) = spawn_sqlite_waiting(std::time::Duration::from_millis(200)).await;
    let mut admin = app.login(Role::Admin).await;
    let page = app.get(&mut admin, "/settings").await;
    assert_eq!(page.status, 200);
    let smtp = serde_json::json!({
        "host": "smtp.acme.example", "port": 587, "security": "starttls",
        "from": "Acme <relances@acme.example>"
    });

    // Another process (here another connection) holds the write lock, as an import does.
    let mut other =
        sqlx::sqlite::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();

    let r = app
        .api_json(Role::Admin, "PUT", "/api/v1/settings/smtp", &smtp)
        .await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.retry_after.as_deref(), Some("5"));
    assert_eq!(r.content_type, "application/problem+json");
    let problem: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(problem["type"], "/problems/busy");
    assert_eq!(problem["status"], 503);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("try again in a few seconds"),
        "{problem}"
    );

    // The same through the page (a French-speaking administrator): the error page.
    let csrf = admin.csrf.clone();
    let form = [
        ("_csrf", csrf.as_str()),
        ("host", "smtp.acme.example"),
        ("port", "587"),
        ("security", "starttls"),
        ("user", ""),
        ("password_env", ""),
        ("from", "Acme <relances@acme.example>"),
        ("reply_to", ""),
    ];
    let r = app.post_text(&mut admin, "/settings/smtp", &form).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.retry_after.as_deref(), Some("5"));
    assert!(
        r.content_type.starts_with("text/html"),
        "{}",
        r.content_type
    );
    assert!(r.body.contains("La base est occupée"), "{}", r.body);

    // The lock released: the same request goes through; nothing had been written before.
    sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
    let before = app.api(Role::Admin, "GET", "/api/v1/settings/smtp").await;
    assert_eq!(before.status, 404, "{}", before.body);
    let r = app
        .api_json(Role::Admin, "PUT", "/api/v1/settings/smtp", &smtp)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
