//! The "Contentieux / Legal" section: `/legal` lists the legal files by next deadline with
//! the judicial report; `/legal/{id}` shows a file — its decision and the advisor's figures
//! at that moment, the claims frozen and their amounts today, the timeline of stages, the
//! deadlines, the costs and payments, the exhibits and the court documents — with the
//! forms to record a stage, a cost, a payment and the court or agent. The debtor page's
//! routes panel holds the decision form (`POST /debtors/{id}/legal`). Each form reads its
//! fields with the API's parsers (`api_judicial`) and calls the audited use case of
//! `app::legal`, as `recouvre legal` does.

use crate::AppState;
use crate::api::Params;
use crate::api_judicial::{
    cost_input, document_response, load, next_stages, open_request, payment_input, stage_input,
};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::fmt;
use crate::i18n::Lang;
use crate::ui::{OrPage, PageResult, finish, parse_id, render, role_of, see_other, with_notice};
use crate::ui_cases::{Fields, field, optional};
use crate::ui_legal::text;
use app::legal::{self, CostKind};
use app::store::{LegalFileFilter, LegalFileState, Role};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::Money;
use domain::law::judicial::Outcome;

const HERE: &str = "/legal";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(HERE, get(list_page))
        .route("/legal/{id}", get(file_page))
        .route("/legal/{id}/stages", post(stage_form))
        .route("/legal/{id}/costs", post(cost_form))
        .route("/legal/{id}/payments", post(payment_form))
        .route("/legal/{id}/parties", post(parties_form))
        .route(
            "/legal/{id}/exhibits",
            post(exhibit_form).layer(axum::extract::DefaultBodyLimit::max(
                crate::ui_imports::UPLOAD_LIMIT,
            )),
        )
        .route("/legal/{id}/documents/{name}", get(document))
        .route("/debtors/{id}/legal", post(decide_form))
        .route(
            "/legal/answers",
            post(answers_form).layer(axum::extract::DefaultBodyLimit::max(
                crate::ui_imports::UPLOAD_LIMIT,
            )),
        )
}

/// A file in the list, as displayed.
#[derive(Debug)]
struct LineRow {
    id: i64,
    reference: String,
    debtor_id: i64,
    debtor: String,
    decision: String,
    state: String,
    open: bool,
    stage: String,
    opened_on: String,
    deadline: String,
    deadline_due: String,
    claimed: String,
    collected: String,
    costs: String,
}

/// A line of the report (a route, an amount band, all files, amicable collection).
#[derive(Debug)]
struct ReportRow {
    label: String,
    files: usize,
    titles: usize,
    median_days: String,
    claimed: String,
    collected: String,
    costs: String,
    net: String,
    rate: String,
    net_rate: String,
}

fn report_row(label: String, r: &legal::Recovery, lang: Lang) -> ReportRow {
    let pct = |p: Option<String>| p.map_or_else(|| "–".into(), |p| format!("{p} %"));
    ReportRow {
        label,
        files: r.files,
        titles: r.titles,
        median_days: r
            .median_days_to_title
            .map_or_else(String::new, |d| d.to_string()),
        claimed: money(r.claimed(), lang),
        collected: money(r.collected(), lang),
        costs: money(r.costs(), lang),
        net: money(r.net(), lang),
        rate: pct(r.rate()),
        net_rate: pct(r.net_rate()),
    }
}

#[derive(Template)]
#[template(path = "legal_files.html")]
struct ListPage {
    page: crate::ui::Page,
    state: String,
    lines: Vec<LineRow>,
    routes: Vec<ReportRow>,
    bands: Vec<(ReportRow, ReportRow)>,
    totals: Vec<ReportRow>,
    can_record: bool,
}

fn money(m: Money, lang: Lang) -> String {
    fmt::money(m, lang)
}

async fn list_page(State(state): State<AppState>, ctx: Ctx, mut p: Params) -> Response {
    let result: PageResult = async {
        let filter = p.get::<LegalFileState>("state");
        let lang = ctx.lang;
        let mut tx = state.store.begin_read().await.page(&ctx)?;
        let lines = legal::lines(
            tx.as_mut(),
            &LegalFileFilter {
                states: filter.into_iter().collect(),
                ..LegalFileFilter::default()
            },
        )
        .await
        .page(&ctx)?;
        let report = legal::report(tx.as_mut(), state.clock.today())
            .await
            .page(&ctx)?;
        drop(tx);
        let page = crate::ui::Page::new(&state, &ctx, "nav-legal", HERE).with_notice(&p);
        let t = page.t.clone();
        let lines = lines
            .iter()
            .map(|l| LineRow {
                id: l.id,
                reference: l.reference.clone(),
                debtor_id: l.debtor_id.0,
                debtor: l.debtor_name.clone(),
                decision: text(&l.decision.name(), lang),
                state: t.get(&format!("legal-state-{}", l.state.as_str())),
                open: l.state == LegalFileState::Open,
                stage: l.stage.map_or(String::new(), |s| text(&s.name(), lang)),
                opened_on: fmt::date(l.opened_on, lang),
                deadline: l
                    .next_deadline
                    .as_ref()
                    .map_or(String::new(), |d| text(&d.name, lang)),
                deadline_due: l
                    .next_deadline
                    .as_ref()
                    .map_or(String::new(), |d| fmt::date(d.due, lang)),
                claimed: money(l.claimed, lang),
                collected: money(l.collected, lang),
                costs: money(l.costs, lang),
            })
            .collect();
        let routes = report
            .by_route
            .iter()
            .map(|(code, r)| {
                let label = code
                    .parse::<domain::law::judicial::Decision>()
                    .map_or_else(|_| code.clone(), |d| text(&d.name(), lang));
                report_row(label, r, lang)
            })
            .collect();
        let empty = legal::Recovery::default();
        let bands = legal::BANDS
            .iter()
            .map(|(_, band)| band.to_string())
            .filter(|b| report.by_band.contains_key(b) || report.amicable_by_band.contains_key(b))
            .map(|band| {
                (
                    report_row(
                        band.clone(),
                        report.by_band.get(&band).unwrap_or(&empty),
                        lang,
                    ),
                    report_row(
                        band.clone(),
                        report.amicable_by_band.get(&band).unwrap_or(&empty),
                        lang,
                    ),
                )
            })
            .collect();
        let totals = vec![
            report_row(t.get("legal-report-judicial"), &report.judicial, lang),
            report_row(t.get("legal-report-amicable"), &report.amicable, lang),
        ];
        Ok(render(&ListPage {
            state: filter.map_or(String::new(), |s| s.as_str().to_string()),
            lines,
            routes,
            bands,
            totals,
            can_record: role_of(&ctx) >= Some(Role::Collector),
            page,
        }))
    }
    .await;
    finish(&state, result)
}

/// A stage of the timeline, as displayed.
#[derive(Debug)]
struct StageRow {
    date: String,
    name: String,
    outcome: String,
    reference: String,
    note: String,
    by: String,
}

/// A deadline, as displayed.
#[derive(Debug)]
struct DeadlineRow {
    name: String,
    due: String,
    basis: String,
    extended: String,
}

/// A claim of the file: frozen at the decision, and today.
#[derive(Debug)]
struct ClaimRow {
    id: i64,
    number: String,
    due_date: String,
    principal: String,
    interest: String,
    basis: String,
    indemnity: String,
    total: String,
}

/// A cost or a payment, as displayed.
#[derive(Debug)]
struct MoneyRow {
    date: String,
    what: String,
    amount: String,
    note: String,
}

#[derive(Template)]
#[template(path = "legal_file.html")]
struct FilePage {
    page: crate::ui::Page,
    id: i64,
    debtor_id: i64,
    debtor_name: String,
    decision: String,
    state: String,
    open: bool,
    litigated: bool,
    /// The route's code (`fr.injonction_de_payer`...), empty when not litigated.
    route: String,
    court: String,
    agent: String,
    reason: String,
    advice: String,
    frozen_on: String,
    frozen_total: String,
    claims: Vec<ClaimRow>,
    today: String,
    principal: String,
    interest: String,
    indemnity: String,
    post_judgment: String,
    costs_recoverable: String,
    total: String,
    stages: Vec<StageRow>,
    deadlines: Vec<DeadlineRow>,
    costs: Vec<MoneyRow>,
    costs_borne: String,
    payments: Vec<MoneyRow>,
    collected: String,
    exhibits: Vec<(String, String, String)>,
    next: Vec<(&'static str, String)>,
    outcomes: Vec<(&'static str, String)>,
    cost_kinds: Vec<(&'static str, String)>,
    can_record: bool,
    iso_today: String,
}

async fn file_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> Response {
    let result: PageResult = async {
        let id = parse_id(&ctx, &id, "legal file")?;
        let today = state.clock.today();
        let crate::api_judicial::Loaded {
            file: f,
            exhibits,
            amounts,
            debtor_name,
        } = load(&state, id, today).await.page(&ctx)?;
        let lang = ctx.lang;
        let mut page = crate::ui::Page::new(&state, &ctx, "nav-legal", HERE).with_notice(&p);
        page.here = format!("/legal/{id}");
        page.title = format!(
            "{} · {}",
            f.reference(),
            text(&f.data.decision.name(), lang)
        );
        let t = page.t.clone();
        let deadlines = f.deadlines().page(&ctx)?;
        let a = &f.data.advice;
        let advice = format!(
            "{} — {} {}, {} {}{}",
            match lang {
                Lang::Fr => &a.text_fr,
                Lang::En => &a.text_en,
            },
            t.get("legal-advice-total"),
            money(a.total, lang),
            t.get("legal-advice-expected"),
            money(a.expected_recovery, lang),
            match (a.cost_low, a.cost_high) {
                (Some(l), Some(h)) => format!(
                    ", {} {} – {}",
                    t.get("legal-advice-costs"),
                    money(l, lang),
                    money(h, lang)
                ),
                _ => String::new(),
            }
        );
        let outcome_name = |o: Outcome| text(&o.name(), lang);
        Ok(render(&FilePage {
            id,
            debtor_id: f.debtor_id.0,
            debtor_name,
            decision: text(&f.data.decision.name(), lang),
            state: t.get(&format!("legal-state-{}", f.state.as_str())),
            open: f.state == LegalFileState::Open,
            litigated: f.route().is_some(),
            route: f.route().map_or(String::new(), |r| r.code().to_string()),
            court: f.data.court.clone().unwrap_or_default(),
            agent: f.data.agent.clone().unwrap_or_default(),
            reason: f.data.reason.clone().unwrap_or_default(),
            advice,
            frozen_on: fmt::date(f.data.frozen_on, lang),
            frozen_total: money(f.frozen_total(), lang),
            claims: f
                .data
                .claims
                .iter()
                .map(|c| ClaimRow {
                    id: c.claim_id.0,
                    number: c.number.clone(),
                    due_date: fmt::date(c.due_date, lang),
                    principal: money(c.principal, lang),
                    interest: money(c.interest, lang),
                    basis: match lang {
                        Lang::Fr => c.interest_basis_fr.clone(),
                        Lang::En => c.interest_basis_en.clone(),
                    },
                    indemnity: money(c.indemnity, lang),
                    total: money(c.total(), lang),
                })
                .collect(),
            today: fmt::date(today, lang),
            principal: money(amounts.principal, lang),
            interest: money(amounts.interest, lang),
            indemnity: money(amounts.indemnity, lang),
            post_judgment: amounts
                .post_judgment_interest
                .map_or_else(|| t.get("legal-rate-unknown"), |m| money(m, lang)),
            costs_recoverable: money(amounts.costs_recoverable, lang),
            total: money(amounts.total, lang),
            stages: f
                .data
                .stages
                .iter()
                .map(|s| StageRow {
                    date: fmt::date(s.on, lang),
                    name: text(&s.kind.name(), lang),
                    outcome: s.outcome.map(outcome_name).unwrap_or_default(),
                    reference: s.reference.clone().unwrap_or_default(),
                    note: s.note.clone().unwrap_or_default(),
                    by: s.recorded_by.clone(),
                })
                .collect(),
            deadlines: deadlines
                .iter()
                .map(|d| DeadlineRow {
                    name: text(&d.name, lang),
                    due: fmt::date(d.due, lang),
                    basis: d.basis.to_string(),
                    extended: d
                        .extended_from
                        .map(|x| t.with("legal-extended-from", &fmt::date(x, lang)))
                        .unwrap_or_default(),
                })
                .collect(),
            costs: f
                .data
                .costs
                .iter()
                .map(|c| MoneyRow {
                    date: fmt::date(c.on, lang),
                    what: format!(
                        "{}{}",
                        match lang {
                            Lang::Fr => c.kind.names().1,
                            Lang::En => c.kind.names().0,
                        },
                        if c.recoverable {
                            format!(" ({})", t.get("legal-recoverable"))
                        } else {
                            String::new()
                        }
                    ),
                    amount: money(c.amount, lang),
                    note: c.note.clone().unwrap_or_default(),
                })
                .collect(),
            costs_borne: money(f.costs_borne(), lang),
            payments: f
                .data
                .payments
                .iter()
                .map(|p| MoneyRow {
                    date: fmt::date(p.on, lang),
                    what: p.collected_by.clone().unwrap_or_default(),
                    amount: money(p.amount, lang),
                    note: p.note.clone().unwrap_or_default(),
                })
                .collect(),
            collected: money(f.collected(), lang),
            exhibits: exhibits
                .iter()
                .map(|e| {
                    (
                        e.title.clone(),
                        e.dated.map(|d| fmt::date(d, lang)).unwrap_or_default(),
                        e.file_name.clone(),
                    )
                })
                .collect(),
            next: next_stages(&f)
                .into_iter()
                .map(|k| (k.as_str(), text(&k.name(), lang)))
                .collect(),
            outcomes: Outcome::ALL
                .into_iter()
                .map(|o| (o.as_str(), outcome_name(o)))
                .collect(),
            cost_kinds: CostKind::ALL
                .into_iter()
                .map(|k| {
                    (
                        k.as_str(),
                        match lang {
                            Lang::Fr => k.names().1.to_string(),
                            Lang::En => k.names().0.to_string(),
                        },
                    )
                })
                .collect(),
            can_record: role_of(&ctx) >= Some(Role::Collector),
            iso_today: today.to_string(),
            page,
        }))
    }
    .await;
    finish(&state, result)
}

fn back(id: i64, notice: &str) -> Response {
    see_other(&with_notice(&format!("/legal/{id}"), notice))
}

/// A form of the file page: parses the file's id, runs `change` with it and the signed-in
/// user, and comes back to the file with `notice`.
async fn change_file<F, Fut>(
    state: &AppState,
    ctx: Ctx,
    id: &str,
    notice: &str,
    change: F,
) -> Response
where
    F: FnOnce(i64, app::audit::Actor) -> Fut,
    Fut: std::future::Future<Output = Result<(), WebError>>,
{
    let result: PageResult = async {
        let id = parse_id(&ctx, id, "legal file")?;
        let actor = ctx.actor().page(&ctx)?;
        change(id, actor).await.page(&ctx)?;
        Ok(back(id, notice))
    }
    .await;
    finish(state, result)
}

async fn stage_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let s = &state;
    change_file(s, ctx, &id, "legal-stage", |id, actor| async move {
        let input = stage_input(
            field(&form, "kind"),
            field(&form, "date"),
            optional(&form, "outcome").as_deref(),
            optional(&form, "reference").as_deref(),
            optional(&form, "note").as_deref(),
        )?;
        legal::record_stage(s.store.as_ref(), s.clock.as_ref(), &actor, id, &input).await?;
        Ok(())
    })
    .await
}

async fn cost_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let s = &state;
    change_file(s, ctx, &id, "legal-cost", |id, actor| async move {
        let input = cost_input(
            s,
            id,
            field(&form, "kind"),
            field(&form, "amount"),
            field(&form, "date"),
            optional(&form, "recoverable").is_some(),
            optional(&form, "note").as_deref(),
        )
        .await?;
        legal::add_cost(s.store.as_ref(), s.clock.as_ref(), &actor, id, &input).await?;
        Ok(())
    })
    .await
}

async fn payment_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let s = &state;
    change_file(s, ctx, &id, "legal-payment", |id, actor| async move {
        let input = payment_input(
            s,
            id,
            field(&form, "amount"),
            field(&form, "date"),
            optional(&form, "by").as_deref(),
            optional(&form, "note").as_deref(),
        )
        .await?;
        legal::record_payment(s.store.as_ref(), s.clock.as_ref(), &actor, id, &input).await?;
        Ok(())
    })
    .await
}

async fn parties_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let s = &state;
    change_file(s, ctx, &id, "legal-parties", |id, actor| async move {
        legal::set_parties(
            s.store.as_ref(),
            s.clock.as_ref(),
            &actor,
            id,
            form.get("court").cloned(),
            form.get("agent").cloned(),
        )
        .await?;
        Ok(())
    })
    .await
}

/// `POST /legal/{id}/exhibits`: the file page's upload of an exhibit (multipart: `file`,
/// `title`, `dated`).
async fn exhibit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: axum::extract::Multipart,
) -> Response {
    let s = &state;
    change_file(s, ctx, &id, "legal-exhibit", |id, actor| async move {
        let mut form = form;
        let bad =
            |e: axum::extract::multipart::MultipartError| WebError::field("file", e.body_text());
        let mut input = app::legal::ExhibitInput {
            title: String::new(),
            dated: None,
            file_name: String::new(),
            content: Vec::new(),
        };
        while let Some(field) = form.next_field().await.map_err(bad)? {
            match field.name().unwrap_or_default() {
                "file" => {
                    input.file_name = field.file_name().unwrap_or("document").to_string();
                    input.content = field.bytes().await.map_err(bad)?.to_vec();
                }
                "title" => input.title = field.text().await.map_err(bad)?,
                "dated" => {
                    let text = field.text().await.map_err(bad)?;
                    if !text.trim().is_empty() {
                        input.dated = Some(
                            text.trim()
                                .parse()
                                .map_err(|e| WebError::field("dated", format!("{text:?}: {e}")))?,
                        );
                    }
                }
                _ => {}
            }
        }
        legal::attach(s.store.as_ref(), s.clock.as_ref(), &actor, id, &input).await?;
        Ok(())
    })
    .await
}

/// `POST /legal/answers`: a lawyer's or commissaire de justice's answers as CSV (multipart
/// `file`), all lines or none, as `recouvre legal answers`.
async fn answers_form(
    State(state): State<AppState>,
    ctx: Ctx,
    mut form: axum::extract::Multipart,
) -> Response {
    let result: PageResult = async {
        let bad =
            |e: axum::extract::multipart::MultipartError| WebError::field("file", e.body_text());
        let mut upload: Option<(String, Vec<u8>)> = None;
        while let Some(field) = form.next_field().await.map_err(bad).page(&ctx)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or("answers.csv").to_string();
                let bytes = field.bytes().await.map_err(bad).page(&ctx)?.to_vec();
                upload = Some((name, bytes));
            }
        }
        let (name, bytes) = upload
            .filter(|(_, b)| !b.is_empty())
            .ok_or_else(|| {
                WebError::field(
                    "file",
                    "choose a non-empty file / choisir un fichier non vide",
                )
            })
            .page(&ctx)?;
        let actor = ctx.actor().page(&ctx)?;
        legal::import_answers(
            state.store.as_ref(),
            state.clock.as_ref(),
            &actor,
            &name,
            &bytes,
        )
        .await
        .page(&ctx)?;
        Ok(see_other(&with_notice(HERE, "legal-answers")))
    }
    .await;
    finish(&state, result)
}

async fn document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, name)): Path<(String, String)>,
) -> Response {
    let result: PageResult = async {
        let id = parse_id(&ctx, &id, "legal file")?;
        document_response(&state, id, &name).await.page(&ctx)
    }
    .await;
    finish(&state, result)
}

/// `POST /debtors/{id}/legal`: the decision form of the debtor page (managers).
async fn decide_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result: PageResult = async {
        let debtor = parse_id(&ctx, &id, "debtor")?;
        let claims: Vec<String> = optional(&form, "claims").into_iter().collect();
        let request = open_request(
            debtor,
            field(&form, "decision"),
            &claims,
            optional(&form, "court").as_deref(),
            optional(&form, "agent").as_deref(),
            optional(&form, "reason").as_deref(),
        )
        .page(&ctx)?;
        let actor = ctx.actor().page(&ctx)?;
        let f = legal::open(
            state.store.as_ref(),
            state.clock.as_ref(),
            &state.rates,
            &actor,
            &request,
        )
        .await
        .page(&ctx)?;
        Ok(back(f.id, "legal-opened"))
    }
    .await;
    finish(&state, result)
}
