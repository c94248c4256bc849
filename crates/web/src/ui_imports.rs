//! The imports page (managers and administrators): upload a claims CSV or a bank statement
//! (camt.053/054, MT940, CSV with a column mapping); the file goes through the same use
//! cases as `recouvre import claims|statement` in a background task, and the page of the
//! import polls its progress (a `<meta refresh>` while it runs: no script) until the
//! result: counts, or the error with its file, line and field. The use cases parse the
//! whole file before writing and write in one transaction, so a bad file changes nothing.
//!
//! Jobs are kept in memory by the instance that runs them (the last [`Jobs::KEEP`]): the
//! result of an import is in the database and the audit log; the page is its progress.

use crate::AppState;
use crate::api::Params;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::fmt;
use crate::ui::{OrPage, Page, PageResult, finish, parse_id, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The largest file accepted (a year of bank statements, 100,000 claims).
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/imports",
            get(imports)
                .post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/imports/{id}", get(job))
}

/// What is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Claims,
    Statement,
}

/// Where an import stands.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Phase {
    /// Received, reading and writing.
    Running,
    /// Done: the counts to show, `(label key, value)`, and the warnings on rows imported
    /// all the same (payment terms beyond the legal caps), in the importer's language.
    Done {
        counts: Vec<(String, String)>,
        warnings: Vec<String>,
    },
    /// Refused: why (file, line, field); nothing was written.
    Failed { error: String },
}

/// One import.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub bytes: usize,
    pub by: String,
    pub started: Instant,
    pub phase: Phase,
    /// Rows (claims) or transactions (statements) written so far, of how many.
    pub progress: Arc<app::jobs::Progress>,
}

/// The imports of this instance, newest last.
#[derive(Debug, Default)]
pub struct Jobs {
    list: Mutex<VecDeque<Job>>,
    next: Mutex<i64>,
}

impl Jobs {
    pub const KEEP: usize = 50;

    fn start(
        &self,
        kind: ImportKind,
        file_name: &str,
        bytes: usize,
        by: &str,
    ) -> (i64, Arc<app::jobs::Progress>) {
        let progress = Arc::new(app::jobs::Progress::default());
        let id = match self.next.lock() {
            Ok(mut n) => {
                *n += 1;
                *n
            }
            Err(_) => 0,
        };
        if let Ok(mut list) = self.list.lock() {
            list.push_back(Job {
                id,
                kind,
                file_name: file_name.to_string(),
                bytes,
                by: by.to_string(),
                started: Instant::now(),
                phase: Phase::Running,
                progress: progress.clone(),
            });
            while list.len() > Self::KEEP {
                list.pop_front();
            }
        }
        (id, progress)
    }

    fn finish(&self, id: i64, phase: Phase) {
        if let Ok(mut list) = self.list.lock()
            && let Some(job) = list.iter_mut().find(|j| j.id == id)
        {
            job.phase = phase;
        }
    }

    pub fn get(&self, id: i64) -> Option<Job> {
        self.list
            .lock()
            .ok()
            .and_then(|l| l.iter().find(|j| j.id == id).cloned())
    }

    pub fn recent(&self) -> Vec<Job> {
        self.list
            .lock()
            .map(|l| l.iter().rev().cloned().collect())
            .unwrap_or_default()
    }
}

#[derive(Debug)]
struct JobRow {
    id: i64,
    kind: String,
    file_name: String,
    by: String,
    state: String,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    page: Page,
    jobs: Vec<JobRow>,
}

fn kind_text(kind: ImportKind, page: &Page) -> String {
    page.t.get(match kind {
        ImportKind::Claims => "import-claims",
        ImportKind::Statement => "import-statement",
    })
}

fn state_text(phase: &Phase, page: &Page) -> String {
    page.t.get(match phase {
        Phase::Running => "import-running",
        Phase::Done { .. } => "import-done",
        Phase::Failed { .. } => "import-failed",
    })
}

async fn imports(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    let page = Page::new(&state, &ctx, "nav-imports", "/imports").with_notice(&p);
    let jobs = state
        .imports
        .recent()
        .into_iter()
        .map(|j| JobRow {
            id: j.id,
            kind: kind_text(j.kind, &page),
            file_name: j.file_name,
            by: j.by,
            state: state_text(&j.phase, &page),
        })
        .collect();
    render(&ImportsPage { page, jobs })
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage {
    page: Page,
    kind: String,
    file_name: String,
    size: String,
    running: bool,
    seconds: u64,
    /// Rows or transactions written so far, and how many there are (0: still reading).
    done: u64,
    total: u64,
    counts: Vec<(String, String)>,
    warnings: Vec<String>,
    error: Option<String>,
}

async fn job(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    finish(&state, job_inner(&state, ctx, &id))
}

/// `GET /imports/{id}`: the progress, then the result, of one import.
fn job_inner(state: &AppState, ctx: Ctx, id: &str) -> PageResult {
    let id = parse_id(&ctx, id, "import")?;
    let job = state
        .imports
        .get(id)
        .ok_or_else(|| WebError::NotFound(format!("import {id}")))
        .page(&ctx)?;
    let mut page = Page::new(state, &ctx, "import-title", "/imports");
    page.here = format!("/imports/{id}");
    let (counts, warnings, error) = match &job.phase {
        Phase::Running => (Vec::new(), Vec::new(), None),
        Phase::Done { counts, warnings } => (
            counts
                .iter()
                .map(|(k, v)| (page.t.get(k), v.clone()))
                .collect(),
            warnings.clone(),
            None,
        ),
        Phase::Failed { error } => (Vec::new(), Vec::new(), Some(error.clone())),
    };
    let running = matches!(job.phase, Phase::Running);
    let (done, total) = job.progress.get();
    let mut response = render(&JobPage {
        done,
        total,
        kind: kind_text(job.kind, &page),
        file_name: job.file_name.clone(),
        size: format!("{} kB", job.bytes.div_ceil(1024)),
        running,
        seconds: job.started.elapsed().as_secs(),
        counts,
        warnings,
        error,
        page,
    });
    if running {
        // The page polls: browsers reload it after a second until the import ends.
        response.headers_mut().insert(
            axum::http::header::REFRESH,
            axum::http::HeaderValue::from_static("1"),
        );
    }
    Ok(response)
}

/// The fields of the upload form.
#[derive(Debug, Default)]
struct Upload {
    kind: Option<ImportKind>,
    file_name: String,
    bytes: Vec<u8>,
    format: String,
    mapping: String,
    creditor: String,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, WebError> {
    let mut up = Upload::default();
    let bad = |e: axum::extract::multipart::MultipartError| WebError::field("file", e.body_text());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                up.file_name = field.file_name().unwrap_or("upload").to_string();
                up.bytes = field.bytes().await.map_err(bad)?.to_vec();
            }
            other => {
                let text = field.text().await.map_err(bad)?;
                match other {
                    "kind" => {
                        up.kind = match text.as_str() {
                            "claims" => Some(ImportKind::Claims),
                            "statement" => Some(ImportKind::Statement),
                            _ => None,
                        }
                    }
                    "format" => up.format = text,
                    "mapping" => up.mapping = text,
                    "creditor" => up.creditor = text,
                    _ => {}
                }
            }
        }
    }
    if up.bytes.is_empty() {
        return Err(WebError::field(
            "file",
            "choose a non-empty file / choisir un fichier non vide",
        ));
    }
    Ok(up)
}

async fn upload(State(state): State<AppState>, ctx: Ctx, form: Multipart) -> Response {
    finish(&state, upload_inner(&state, ctx, form).await)
}

/// `POST /imports`: starts the import in the background and shows its page.
async fn upload_inner(state: &AppState, ctx: Ctx, form: Multipart) -> PageResult {
    let up = read_upload(form).await.page(&ctx)?;
    let kind = up
        .kind
        .ok_or_else(|| WebError::field("kind", "claims or statement / créances ou relevé"))
        .page(&ctx)?;
    // Options are read before the job starts: a wrong one is answered at once.
    let options =
        Options::read(kind, &up.format, &up.mapping, Some(up.creditor.clone())).page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    let lang = ctx.lang;
    let (id, progress) = state
        .imports
        .start(kind, &up.file_name, up.bytes.len(), actor.as_str());
    let st = state.clone();
    tokio::spawn(async move {
        let phase = run(&st, &actor, lang, &up, &options.with_progress(progress)).await;
        st.imports.finish(id, phase);
    });
    Ok(see_other(&format!("/imports/{id}")))
}

/// An import's kind and how to read its file: the options of its use case.
#[derive(Debug, Clone)]
pub enum Options {
    Claims(Box<app::import::ImportOptions>),
    Statement(Box<app::payments::StatementOptions>),
}

impl Options {
    /// The options of an import of `kind` from the form or the API: a statement's format,
    /// the mapping text (`key=Header` or `key=value` pairs, by line or comma) of either,
    /// and the creditor of claims when the file has no `creditor` column.
    pub fn read(
        kind: ImportKind,
        format: &str,
        mapping: &str,
        creditor: Option<String>,
    ) -> Result<Self, WebError> {
        Ok(match kind {
            ImportKind::Statement => {
                Options::Statement(Box::new(statement_options(format, mapping)?))
            }
            ImportKind::Claims => Options::Claims(Box::new(app::import::ImportOptions {
                creditor: creditor.filter(|c| !c.trim().is_empty()),
                read: claims_options(mapping)?,
                progress: None,
            })),
        })
    }

    /// The same options, reporting their progress to `progress`.
    pub fn with_progress(mut self, progress: Arc<app::jobs::Progress>) -> Self {
        match &mut self {
            Options::Claims(o) => o.progress = Some(progress),
            Options::Statement(o) => o.progress = Some(progress),
        }
        self
    }
}

/// The options of a claims import: column names (`amount=Montant TTC`), values for
/// missing columns (`default.debtor_kind=company`), `date_order=mdy`, `delimiter=;`.
pub fn claims_options(mapping: &str) -> Result<formats::claims_csv::ReadOptions, WebError> {
    let mut read = formats::claims_csv::ReadOptions::default();
    for pair in mapping.split(['\n', ',']) {
        read.apply_pair(pair)
            .map_err(|e| WebError::field("mapping", e))?;
    }
    Ok(read)
}

/// The options of a statement import: its format (`auto` or empty: detected) and the
/// column mapping of a CSV export (`key=Header`, by line or comma).
pub fn statement_options(
    format: &str,
    mapping: &str,
) -> Result<app::payments::StatementOptions, WebError> {
    let format = match format.trim() {
        "" | "auto" => None,
        f => Some(
            f.parse::<app::payments::StatementFormat>()
                .map_err(|e| WebError::field("format", e))?,
        ),
    };
    let mut options = app::payments::StatementOptions {
        format,
        ..Default::default()
    };
    let pairs: Vec<String> = mapping
        .split(['\n', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if !pairs.is_empty() {
        options.csv = Some(
            app::payments::csv_mapping(&pairs)
                .map_err(|e| WebError::field("mapping", e.to_string()))?,
        );
    }
    Ok(options)
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Report {
    Claims(app::import::ImportReport),
    Statement(app::payments::StatementReport),
}

/// Imports a file through the use case of its kind and audits it (`import.claims`,
/// `import.statement`). The use case writes all or nothing.
pub async fn import_and_audit(
    state: &AppState,
    actor: &app::audit::Actor,
    file_name: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<Report, app::AppError> {
    let (store, clock) = (state.store.as_ref(), state.clock.as_ref());
    // Under the file's lease, as `recouvre import` takes it: two instances given the same
    // file at once import it once.
    let key = app::jobs::import_key(bytes);
    let owner = app::jobs::instance_id();
    let lease = app::jobs::import_lease(&key, &owner, app::jobs::unix_now(Some(clock.today())));
    let import = async {
        Ok(match options {
            Options::Statement(o) => {
                // The interest a payment may pay is computed on the server's rate tables.
                let mut o = o.as_ref().clone();
                o.rates = Some(std::sync::Arc::new(state.rates.clone()));
                Report::Statement(
                    app::payments::import_statement(store, clock, file_name, bytes, &o).await?,
                )
            }
            Options::Claims(o) => {
                Report::Claims(app::import::import_claims(store, clock, file_name, bytes, o).await?)
            }
        })
    };
    let summary = |r: &Report| match r {
        Report::Claims(r) => format!("{} rows", r.rows),
        Report::Statement(r) => format!("{} transactions", r.details),
    };
    let report = match app::jobs::under_lease(store, clock, lease, summary, import).await? {
        app::jobs::Leased::Ran { report } => report,
        app::jobs::Leased::Held { owner, .. } => {
            return Err(app::AppError::Invalid(format!(
                "{file_name} is being imported by {owner}: nothing done here / {file_name} est en cours d'import sur {owner} : rien fait ici"
            )));
        }
    };
    let what = match report {
        Report::Claims(_) => "import.claims",
        Report::Statement(_) => "import.statement",
    };
    if let Err(e) = audit_import(state, actor, what, file_name, &report).await {
        tracing::error!(
            "import {file_name}: audit failed: {}",
            domain::redact::redact(&e.to_string())
        );
    }
    Ok(report)
}

/// Runs one import of the page to its end.
async fn run(
    state: &AppState,
    actor: &app::audit::Actor,
    lang: crate::i18n::Lang,
    up: &Upload,
    options: &Options,
) -> Phase {
    let result = import_and_audit(state, actor, &up.file_name, &up.bytes, options).await;
    let warnings = match &result {
        Ok(Report::Claims(r)) => r
            .terms_warnings
            .iter()
            .map(|w| w.text(lang == crate::i18n::Lang::Fr))
            .collect(),
        _ => Vec::new(),
    };
    let (again, mut counts) = match result {
        Err(e) => {
            return Phase::Failed {
                error: e.to_string(),
            };
        }
        Ok(Report::Statement(r)) => (
            r.already_imported_at.clone(),
            vec![
                ("import-format", r.format.clone()),
                ("import-details", r.details.to_string()),
                ("import-new", r.new.to_string()),
                ("import-duplicates", r.duplicates.to_string()),
                ("import-applied", r.applied.to_string()),
                ("import-to-review", r.to_review.to_string()),
                (
                    "import-amount-applied",
                    fmt::amounts(&r.amount_applied, lang),
                ),
            ],
        ),
        Ok(Report::Claims(r)) => (
            r.already_imported_at.clone(),
            vec![
                ("import-rows", r.rows.to_string()),
                ("import-debtors-created", r.debtors_created.to_string()),
                ("import-debtors-updated", r.debtors_updated.to_string()),
                ("import-claims-created", r.claims_created.to_string()),
                ("import-claims-updated", r.claims_updated.to_string()),
                ("import-claims-unchanged", r.claims_unchanged.to_string()),
                ("import-settlements", r.settlements_posted.to_string()),
            ],
        ),
    };
    if let Some(at) = again {
        counts.insert(0, ("import-already", at));
    }
    Phase::Done {
        counts: counts
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        warnings,
    }
}

async fn audit_import(
    state: &AppState,
    actor: &app::audit::Actor,
    what: &str,
    file_name: &str,
    report: &Report,
) -> Result<(), app::AppError> {
    let mut tx = state.store.begin().await?;
    app::audit::record(
        tx.as_mut(),
        state.clock.as_ref(),
        actor,
        what,
        &format!("file:{file_name}"),
        None::<&()>,
        Some(report),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
