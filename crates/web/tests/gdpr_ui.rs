//! The personal data page for administrators (issue 23): retention settings with their
//! legal basis, the debtors due for erasure, the erasure requests, and the forms that call
//! the same audited use cases as the API.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::store::Role;
use common::spawn_sqlite;

#[tokio::test]
async fn the_personal_data_page_shows_and_changes_retention_and_proposes() {
    let app = spawn_sqlite().await;

    // A viewer is refused, as on the other admin pages.
    let mut viewer = app.login(Role::Viewer).await;
    assert_eq!(app.get(&mut viewer, "/personal-data").await.status, 403);

    let mut admin = app.login(Role::Admin).await;
    let page = app.get(&mut admin, "/personal-data").await;
    assert_eq!(page.status, 200, "{}", page.body);
    // The legal basis of each setting, in the browser's language (French here).
    assert!(page.body.contains("C. com. L110-4"), "{}", page.body);
    assert!(page.body.contains("RGPD art. 6.1.c"), "{}", page.body);
    assert!(page.body.contains("/personal-data/propose"));
    assert!(page.body.contains("href=\"/personal-data\""), "nav entry");
    let csrf = admin.csrf.clone();

    // A change within the law's bounds is saved and shown.
    let a = app
        .post(
            &mut admin,
            "/personal-data/retention",
            &[("_csrf", &csrf), ("b2b_years", "3"), ("b2c_years", "")],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        a.location.as_deref(),
        Some("/personal-data?notice=gdpr-retention")
    );
    let mut tx = app.store.begin_read().await.unwrap();
    let r = app::gdpr::retention(tx.as_mut()).await.unwrap();
    drop(tx);
    assert_eq!((r.b2b_years, r.b2c_years), (3, 2));
    let page = app
        .get(&mut admin, "/personal-data?notice=gdpr-retention")
        .await;
    assert!(
        page.body.contains("name=\"b2b_years\" value=\"3\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Durées de conservation enregistrées"));

    // Beyond the law: refused with the reason, nothing changed.
    let a = app
        .post(
            &mut admin,
            "/personal-data/retention",
            &[
                ("_csrf", &csrf),
                ("b2b_years", "4"),
                ("accounting_years", "9"),
            ],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    let mut tx = app.store.begin_read().await.unwrap();
    let after = app::gdpr::retention(tx.as_mut()).await.unwrap();
    drop(tx);
    assert_eq!(
        (after.b2b_years, after.accounting_years),
        (3, r.accounting_years)
    );
    // Not a number: refused too.
    let a = app
        .post(
            &mut admin,
            "/personal-data/retention",
            &[("_csrf", &csrf), ("b2b_years", "five")],
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.body);

    // The daily job by hand.
    let a = app
        .post(&mut admin, "/personal-data/propose", &[("_csrf", &csrf)])
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        a.location.as_deref(),
        Some("/personal-data?notice=gdpr-proposed")
    );
    let page = app
        .get(&mut admin, "/personal-data?notice=gdpr-proposed")
        .await;
    assert_eq!(page.status, 200);
    // The audit trail holds the change made through the form.
    let audit = app.api(Role::Admin, "GET", "/api/v1/audit").await;
    assert!(audit.body.contains("gdpr.retention"), "{}", audit.body);

    // Without the CSRF field a form is refused.
    let a = app.post(&mut admin, "/personal-data/propose", &[]).await;
    assert_eq!(a.status, 403);
    // A viewer cannot post either.
    let vcsrf = viewer.csrf.clone();
    let a = app
        .post(&mut viewer, "/personal-data/propose", &[("_csrf", &vcsrf)])
        .await;
    assert_eq!(a.status, 403);
}
