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
    use app::store::{ActionFilter, AgreementFilter};
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
