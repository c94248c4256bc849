//! The store conformance suite on a real PostgreSQL server: each case gets its own schema,
//! dropped afterwards. The server is `RECOUVRE_TEST_PG` (default: the local one on
//! 127.0.0.1:5432, database `test`); `.ci/run` makes sure it is up. There is no silent
//! skip: without a server these tests fail.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use app::Store;
use recouvre_store_pg::PgStore;
use std::sync::atomic::{AtomicU32, Ordering};

fn server_url() -> String {
    std::env::var("RECOUVRE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Drops the test's schema when the test ends.
struct SchemaGuard {
    url: String,
    schema: String,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let (url, schema) = (self.url.clone(), self.schema.clone());
        // Drop runs inside the test's runtime: clean up on a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(admin) = PgStore::connect(&url).await {
                    let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(admin.pool())
                        .await;
                }
            });
        })
        .join();
    }
}

async fn fresh() -> (Box<dyn Store>, SchemaGuard) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let url = server_url();
    let schema = format!(
        "rt_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let admin = PgStore::connect(&url)
        .await
        .expect("PostgreSQL test server reachable (see .ci/run)");
    let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(admin.pool())
        .await
        .expect("create test schema");
    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let store = PgStore::open(&scoped, "2026-01-01T00:00:00Z")
        .await
        .expect("open PostgreSQL store");
    (Box::new(store), SchemaGuard { url, schema })
}

store_tests::conformance_suite!(fresh);

/// `migrate-data` from a SQLite demo database (300 debtors, 3,000 claims, a daily run,
/// promises, plans and disputes) into PostgreSQL: equal counts and balances (the copy
/// checks them itself), and the collection state — cases, actions with their ids,
/// agreements — carried over, so that the next run on PostgreSQL creates nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_data_from_a_sqlite_demo() {
    use app::clock::FixedClock;
    use app::store::{ActionFilter, AgreementFilter, PaymentFilter};
    let day = domain::Date::new(2026, 11, 23).unwrap();
    let clock = FixedClock(day);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let sqlite = store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-11-23T06:00:00Z")
        .await
        .unwrap();
    let params = demo::DemoParams {
        debtors: 300,
        claims: 3_000,
        seed: 11,
        as_of: day,
    };
    app::portfolio::load_demo(&sqlite, &clock, &params, &app::portfolio::NoProgress)
        .await
        .unwrap();
    let seeded = app::agreements::seed_demo(&sqlite, &clock, 50)
        .await
        .unwrap();
    assert!(seeded.promises + seeded.plans + seeded.disputes > 0);
    let run = app::dunning::run(&sqlite, &clock, app::dunning::RunOptions::default())
        .await
        .unwrap();
    assert!(!run.actions.is_empty());
    // A bank statement: one credit paying the oldest open claim in full by its number (applied,
    // allocated, its payer IBAN learned) and one naming nothing (left for review).
    let (number, debtor_name, open) = {
        let mut tx = sqlite.begin().await.unwrap();
        let book = tx.book(None).await.unwrap();
        let today = domain::date::day_number(day);
        let open_of = |id| book.claim(id).map_or(0, |c| book.open_minor(c, today));
        let claim = tx
            .claims(None)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| open_of(c.id) > 0 && c.currency.code() == "EUR")
            .min_by_key(|c| c.due_date)
            .unwrap();
        let open = open_of(claim.id);
        let debtor = tx.debtor(claim.debtor_id).await.unwrap().unwrap();
        (claim.number.as_str().to_string(), debtor.name, open)
    };
    let amount = format!("{},{:02}", open / 100, open % 100);
    // The closing balance closes: 0 + the claim's open amount + 12.34.
    let closing = open + 12_34;
    let closing = format!("{},{:02}", closing / 100, closing % 100);
    let statement = format!(
        ":20:ST-COPY\n:25:FR7630006000011234567890189\n:28C:1/1\n:60F:C261120EUR0,\n\
         :61:2611201120C{amount}NTRFNONREF//BK-1\n\
         :86:/EREF/E2E-1/NAME/{debtor_name}/IBAN/DE89370400440532013000/REMI/Facture {number}\n\
         :61:2611201120C12,34NTRFNONREF//BK-2\n:86:/EREF/E2E-2/NAME/NOBODY/REMI/Virement\n\
         :62F:C261120EUR{closing}\n-"
    );
    let imported = app::payments::import_statement(
        &sqlite,
        &clock,
        "copy.sta",
        statement.as_bytes(),
        &app::payments::StatementOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(imported.applied + imported.to_review, 2, "{imported:?}");
    // A user with an API token: both audited.
    let actor = app::audit::Actor("cli:test".into());
    app::users::add(
        &sqlite,
        &clock,
        &actor,
        app::users::NewUser {
            login: "alice".into(),
            display_name: "Alice".into(),
            role: app::store::Role::Manager,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
            language: "fr".into(),
        },
    )
    .await
    .unwrap();
    app::users::add_api_token(
        &sqlite,
        &clock,
        &actor,
        "alice",
        "erp",
        "0123abcd",
        Some(30),
    )
    .await
    .unwrap();

    let (pg, _guard) = fresh().await;
    let report = app::copy::copy_all(&sqlite, pg.as_ref(), &clock)
        .await
        .unwrap();
    assert_eq!(report.source, report.target);
    assert_eq!(report.source_open, report.target_open);
    assert_eq!(report.source.claims, 3_000);

    let mut a = sqlite.begin().await.unwrap();
    let mut b = pg.begin().await.unwrap();
    let mut cases_a = a.cases().await.unwrap();
    let mut cases_b = b.cases().await.unwrap();
    cases_a.sort_by_key(|c| c.debtor_id);
    cases_b.sort_by_key(|c| c.debtor_id);
    assert_eq!(cases_a, cases_b);
    let actions_a = a.actions(&ActionFilter::default()).await.unwrap();
    let actions_b = b.actions(&ActionFilter::default()).await.unwrap();
    assert_eq!(actions_a, actions_b, "actions, ids included");
    let agreements_a = a.agreements(&AgreementFilter::default()).await.unwrap();
    let agreements_b = b.agreements(&AgreementFilter::default()).await.unwrap();
    assert_eq!(agreements_a, agreements_b);
    let settings_a = a.settings().await.unwrap();
    assert!(
        settings_a
            .iter()
            .any(|(k, _)| k == app::dunning::PAYMENT_DATA_AS_OF),
        "the demo load records its payment data: {settings_a:?}"
    );
    assert_eq!(settings_a, b.settings().await.unwrap());
    // The bank side, people and the audit log, compared row by row.
    let payments_a = a.payments(&PaymentFilter::default()).await.unwrap();
    assert_eq!(payments_a.len(), 2);
    assert_eq!(
        payments_a,
        b.payments(&PaymentFilter::default()).await.unwrap()
    );
    let mut allocated = 0;
    for p in &payments_a {
        let allocations = a.allocations(p.id).await.unwrap();
        allocated += allocations.len();
        assert_eq!(allocations, b.allocations(p.id).await.unwrap());
    }
    assert_eq!(
        allocated, imported.applied,
        "one allocation per applied payment"
    );
    assert_eq!(a.statements().await.unwrap(), b.statements().await.unwrap());
    assert_eq!(
        a.payer_ibans().await.unwrap(),
        b.payer_ibans().await.unwrap()
    );
    assert_eq!(
        a.debtor_credits(None).await.unwrap(),
        b.debtor_credits(None).await.unwrap()
    );
    let users_a = a.users().await.unwrap();
    assert_eq!(users_a.len(), 1);
    assert_eq!(users_a, b.users().await.unwrap());
    let copied = b.user_by_login("alice").await.unwrap().unwrap();
    assert_eq!(
        copied.password_hash, users_a[0].password_hash,
        "she signs in with the same password"
    );
    assert_eq!(
        b.api_token_user("0123abcd").await.unwrap().map(|u| u.login),
        Some("alice".to_string()),
        "the ERP's token still works"
    );
    let expiry = |tokens: Vec<app::store::StoredApiToken>| {
        tokens
            .into_iter()
            .map(|t| (t.name, t.expires_at, t.revoked_at))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        expiry(b.api_tokens().await.unwrap()),
        expiry(a.api_tokens().await.unwrap()),
        "and expires when it did"
    );
    let audit_a = a.audit_entries(100, None).await.unwrap();
    assert_eq!(audit_a.len(), 2, "user.create and api_token.create");
    assert_eq!(audit_a, b.audit_entries(100, None).await.unwrap());
    // The outbox the run queued, and its delivery log, come along (same ids here: the
    // target was empty).
    let outbox_a = a
        .outbox(&app::store::OutboxFilter::default())
        .await
        .unwrap();
    assert!(!outbox_a.is_empty(), "the run queued messages");
    assert_eq!(
        outbox_a,
        b.outbox(&app::store::OutboxFilter::default())
            .await
            .unwrap()
    );
    assert_eq!(
        a.deliveries(None).await.unwrap(),
        b.deliveries(None).await.unwrap()
    );
    drop((a, b));
    // The same day's run on the copy: everything due was done on SQLite.
    let again = app::dunning::run(pg.as_ref(), &clock, app::dunning::RunOptions::default())
        .await
        .unwrap();
    assert!(again.actions.is_empty(), "{:?}", again.actions.first());
}
