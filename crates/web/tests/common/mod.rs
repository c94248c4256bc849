//! Starts the real application on a random port over a real database with a small demo
//! portfolio, one user per role and an API token per role, and talks HTTP to it.

#![allow(dead_code, clippy::unwrap_used)] // test support: a failed unwrap is a failed test

use app::clock::FixedClock;
use app::store::{Role, Store};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use std::collections::HashMap;
use std::sync::Arc;

pub const AS_OF: &str = "2026-06-30";

pub fn password(role: Role) -> String {
    format!("{}-password-1", role.as_str())
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    /// Bearer tokens by role.
    pub tokens: HashMap<Role, String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _guard: Box<dyn std::any::Any + Send>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn clock() -> FixedClock {
    FixedClock(AS_OF.parse().unwrap())
}

/// A fresh SQLite database with the demo portfolio, drafts to review, users and tokens.
pub async fn spawn_sqlite() -> TestApp {
    sqlite(true).await
}

/// An empty SQLite database: no user yet (first run).
pub async fn spawn_empty() -> TestApp {
    sqlite(false).await
}

async fn sqlite(populate: bool) -> TestApp {
    spawn_sqlite_with(populate, recouvre_web::Config::default()).await
}

/// A SQLite database, with the demo portfolio if `populate`, served with `config`.
pub async fn spawn_sqlite_with(populate: bool, config: recouvre_web::Config) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("web.db");
    let store = store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-06-30T12:00:00Z")
        .await
        .unwrap();
    start_with(Arc::new(store), Box::new(dir), populate, config).await
}

/// A SQLite database with the demo portfolio whose writers wait at most `busy` for another
/// writer's lock; also returns the file's path, for a test to lock it from outside.
pub async fn spawn_sqlite_waiting(busy: std::time::Duration) -> (TestApp, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("web.db");
    let store = store_sqlite::SqliteStore::open_waiting(
        path.to_str().unwrap(),
        "2026-06-30T12:00:00Z",
        busy,
    )
    .await
    .unwrap();
    let app = start_with(
        Arc::new(store),
        Box::new(dir),
        true,
        recouvre_web::Config::default(),
    )
    .await;
    (app, path)
}

/// The same on PostgreSQL, in a schema of its own dropped afterwards.
pub async fn spawn_pg() -> TestApp {
    use store_sql::sqlx;
    let url = std::env::var("RECOUVRE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("web_{}", std::process::id());
    let admin = store_pg::PgStore::connect(&url)
        .await
        .expect("PostgreSQL test server reachable (see scripts/test)");
    let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(admin.pool())
        .await
        .unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let store = store_pg::PgStore::open(&scoped, "2026-06-30T12:00:00Z")
        .await
        .unwrap();
    struct Drop_(String, String);
    impl Drop for Drop_ {
        fn drop(&mut self) {
            let (url, schema) = (self.0.clone(), self.1.clone());
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(admin) = store_pg::PgStore::connect(&url).await {
                        let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                        let _ = store_sql::sqlx::raw_sql(store_sql::sqlx::AssertSqlSafe(sql))
                            .execute(admin.pool())
                            .await;
                    }
                });
            })
            .join();
        }
    }
    start(Arc::new(store), Box::new(Drop_(url, schema)), true).await
}

/// A second server on the same store: another instance of Recouvre on the same database
/// (its own memory, nothing shared but the database).
pub async fn spawn_alongside(app: &TestApp) -> TestApp {
    start_with(
        app.store.clone(),
        Box::new(()),
        false,
        recouvre_web::Config::default(),
    )
    .await
}

async fn start(
    store: Arc<dyn Store>,
    guard: Box<dyn std::any::Any + Send>,
    populate: bool,
) -> TestApp {
    start_with(store, guard, populate, recouvre_web::Config::default()).await
}

async fn start_with(
    store: Arc<dyn Store>,
    guard: Box<dyn std::any::Any + Send>,
    populate: bool,
    config: recouvre_web::Config,
) -> TestApp {
    let clock = clock();
    let mut tokens = HashMap::new();
    if populate {
        let params = demo::DemoParams {
            debtors: 60,
            claims: 500,
            seed: 7,
            as_of: AS_OF.parse().unwrap(),
        };
        app::portfolio::load_demo(store.as_ref(), &clock, &params, &app::portfolio::NoProgress)
            .await
            .unwrap();
        // Review mode: the run creates drafts for people to approve.
        app::dunning::run(
            store.as_ref(),
            &clock,
            app::dunning::RunOptions {
                review_mode: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let actor = app::audit::Actor("test".into());
        for role in Role::ALL {
            app::users::add(
                store.as_ref(),
                &clock,
                &actor,
                app::users::NewUser {
                    login: role.as_str().into(),
                    display_name: format!("Test {role}"),
                    role,
                    password_hash: recouvre_web::auth::hash_password(&password(role)).unwrap(),
                    language: "fr".into(),
                },
            )
            .await
            .unwrap();
            let token = recouvre_web::auth::random_token().unwrap();
            app::users::add_api_token(
                store.as_ref(),
                &clock,
                &actor,
                role.as_str(),
                "tests",
                &recouvre_web::auth::hash_token(&token),
                None,
            )
            .await
            .unwrap();
            tokens.insert(role, token);
        }
    }
    let state = recouvre_web::AppState::new(store.clone(), Arc::new(clock), config).unwrap();
    let listener = recouvre_web::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        recouvre_web::serve(state, listener, async move {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        store,
        tokens,
        shutdown: Some(tx),
        _guard: guard,
    }
}

/// A browser: its cookies and the CSRF token of the last page it read.
#[derive(Debug, Clone, Default)]
pub struct Browser {
    pub cookies: HashMap<String, String>,
    pub csrf: String,
}

impl Browser {
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn absorb(&mut self, r: &reqwest::Response) {
        for v in r.headers().get_all(SET_COOKIE) {
            let text = v.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
    }
}

/// The CSRF token of the first form of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    html.get(at..at + 64).map(str::to_string)
}

pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: String,
    pub set_cookies: Vec<String>,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
    pub body: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A GET as the browser; reads the page's CSRF token.
    pub async fn get(&self, b: &mut Browser, path: &str) -> Answer {
        let r = self
            .client
            .get(self.url(path))
            .header(COOKIE, b.cookie_header())
            .header("accept-language", "fr-FR,fr;q=0.9")
            .send()
            .await
            .unwrap();
        let a = self.answer(b, r).await;
        if let Some(t) = csrf_of(&a.body) {
            b.csrf = t;
        }
        a
    }

    /// A form POST as the browser, `fields` url-encoded (values are plain ASCII here).
    pub async fn post(&self, b: &mut Browser, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.send(b, "POST", path, fields).await
    }

    /// A request with `method` (POST, PUT...) carrying `fields` url-encoded.
    pub async fn send(
        &self,
        b: &mut Browser,
        method: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Answer {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = self
            .client
            .request(method, self.url(path))
            .header(COOKIE, b.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        self.answer(b, r).await
    }

    async fn answer(&self, b: &mut Browser, r: reqwest::Response) -> Answer {
        b.absorb(&r);
        Answer {
            status: r.status().as_u16(),
            location: r
                .headers()
                .get(LOCATION)
                .map(|v| v.to_str().unwrap().to_string()),
            content_type: r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default(),
            set_cookies: r
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .map(|v| v.to_str().unwrap().to_string())
                .collect(),
            retry_after: r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string()),
            body: r.text().await.unwrap(),
        }
    }

    /// Signs in through the login form; the browser then holds the session and its token.
    pub async fn login(&self, role: Role) -> Browser {
        let mut b = Browser::default();
        let page = self.get(&mut b, "/login").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let pw = password(role);
        let csrf = b.csrf.clone();
        let r = self
            .post(
                &mut b,
                "/login",
                &[
                    ("_csrf", &csrf),
                    ("login", role.as_str()),
                    ("password", &pw),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "login as {role}: {}", r.body);
        assert!(b.cookies.contains_key("rc_session"));
        let home = self.get(&mut b, "/").await;
        assert_eq!(home.status, 200);
        b
    }

    /// An API call with a role's bearer token.
    pub async fn api(&self, role: Role, method: &str, path: &str) -> Answer {
        let req = match method {
            "POST" => self.client.post(self.url(path)),
            "PUT" => self.client.put(self.url(path)),
            "DELETE" => self.client.delete(self.url(path)),
            _ => self.client.get(self.url(path)),
        };
        let r = req.bearer_auth(&self.tokens[&role]).send().await.unwrap();
        let mut b = Browser::default();
        self.answer(&mut b, r).await
    }

    /// An API call with a role's bearer token and a JSON body.
    pub async fn api_json(
        &self,
        role: Role,
        method: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = self
            .client
            .request(method, self.url(path))
            .bearer_auth(&self.tokens[&role])
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let mut b = Browser::default();
        self.answer(&mut b, r).await
    }

    /// A form POST whose values may hold any text (percent-encoded here).
    pub async fn post_text(&self, b: &mut Browser, path: &str, fields: &[(&str, &str)]) -> Answer {
        let enc = |s: &str| {
            s.bytes()
                .map(|c| match c {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (c as char).to_string()
                    }
                    _ => format!("%{c:02X}"),
                })
                .collect::<String>()
        };
        let encoded: Vec<(String, String)> = fields.iter().map(|(k, v)| (enc(k), enc(v))).collect();
        let pairs: Vec<(&str, &str)> = encoded
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(b, path, &pairs).await
    }

    /// A draft action's id (the run was in review mode), skipping `skip` of them.
    pub async fn draft(&self, skip: usize) -> i64 {
        let mut tx = self.store.begin().await.unwrap();
        let drafts = tx
            .actions(&app::store::ActionFilter {
                statuses: vec![app::store::ActionStatus::Draft],
                ..Default::default()
            })
            .await
            .unwrap();
        drafts[skip].id
    }

    pub async fn action_status(&self, id: i64) -> app::store::ActionStatus {
        let mut tx = self.store.begin().await.unwrap();
        tx.action(id).await.unwrap().unwrap().status
    }
}
