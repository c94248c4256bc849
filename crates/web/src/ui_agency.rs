//! Agency mode in the interface (issue 19). Agency staff: `/agency` (mandates, files
//! placed, remittance statements, late remittances; managers record mandates, place and
//! withdraw files and issue a month's remittances) and a statement's page with its
//! pain.001. Clients: `/client`, the client space — its files, what was recovered, its
//! statements and the notices R124-5 requires — bound to the client's own creditor by
//! [`client_scope`], so that nothing of another creditor can be asked for.

use crate::AppState;
use crate::api::Params;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::fmt;
use crate::i18n::Lang;
use crate::ui::{OrPage, PageResult, finish, parse_id, render, see_other, with_notice};
use crate::ui_cases::{Fields, field};
use app::agency::{self, MandateTerms, NewMandate};
use app::store::{PlacementFilter, Role};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::agency::{Commission, FeeTerms};
use domain::{CreditorId, Money};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agency", get(agency_page))
        .route("/agency/mandates", post(mandate_form))
        .route("/agency/mandates/end", post(end_mandate_form))
        .route("/agency/identity", post(identity_form))
        .route("/agency/account", post(account_form))
        .route("/agency/placements", post(place_form))
        .route("/agency/withdraw", post(withdraw_form))
        .route("/agency/remittances", post(remit_form))
        .route("/agency/remittances/{id}", get(remittance_page))
        .route("/agency/remittances/{id}/transfer", get(transfer))
        .route("/agency/receipts/{id}", get(receipt))
        .route("/agency/remittances/{id}/pdf", get(statement_pdf))
        .route("/client/remittances/{id}/pdf", get(client_statement_pdf))
        .route("/client", get(client_page))
        .route("/client/report.csv", get(client_csv))
        .route("/client/report.xlsx", get(client_xlsx))
        .route("/client/remittances/{id}", get(client_remittance))
}

/// The creditor whose client space is asked for: a client's own, always (asking for
/// another is "not found", as if it did not exist); for staff, the one named by `creditor`
/// (its code), else the first with a mandate.
pub(crate) async fn client_scope(
    state: &AppState,
    ctx: &Ctx,
    requested: Option<&str>,
) -> Result<CreditorId, WebError> {
    let user = ctx.user()?;
    let mut tx = state.store.begin_read().await?;
    if user.role == Role::Client {
        let own = user.client_of.ok_or(WebError::Forbidden)?;
        if let Some(code) = requested.filter(|c| !c.trim().is_empty()) {
            let c = tx.creditor_by_code(code.trim()).await?;
            if c.is_none_or(|c| c.id != own) {
                // Nothing echoed, nothing said of whether that creditor exists.
                return Err(WebError::NotFound(
                    "no such client space / espace client introuvable".into(),
                ));
            }
        }
        return Ok(own);
    }
    match requested.filter(|c| !c.trim().is_empty()) {
        Some(code) => Ok(agency::creditor_named(tx.as_mut(), code).await?.id),
        None => agency::mandates(tx.as_mut(), None)
            .await?
            .first()
            .map(|m| m.creditor)
            .ok_or_else(|| WebError::NotFound("no client with a mandate".into())),
    }
}

/// A file to download: its type, its name, its bytes.
fn download(content_type: &str, file_name: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn money(m: Money, lang: Lang) -> String {
    fmt::money(m, lang)
}

struct MandateRow {
    reference: String,
    client: String,
    signed_on: String,
    ends_on: String,
    commission: String,
    fees: String,
    insurance: String,
    in_force: bool,
}

struct PlacementRow {
    claim_id: i64,
    number: String,
    client: String,
    placed_on: String,
    amount: String,
    state: String,
    in_force: bool,
    ended: String,
}

struct RemittanceRow {
    id: i64,
    client: String,
    period: String,
    issued_on: String,
    collected: String,
    fees: String,
    to_remit: String,
    client_owes: String,
    has_transfer: bool,
}

struct LateRow {
    mandate: String,
    client: String,
    collected_on: String,
    amount: String,
    due_by: String,
}

#[derive(Template)]
#[template(path = "agency.html")]
struct AgencyPage {
    page: crate::ui::Page,
    mandates: Vec<MandateRow>,
    placements: Vec<PlacementRow>,
    remittances: Vec<RemittanceRow>,
    late: Vec<LateRow>,
    clients: Vec<(String, String)>,
    can_manage: bool,
    /// Administrators set the clients' identities and the client-funds account.
    can_admin: bool,
    today: String,
    last_month: String,
    /// The client-funds account as set: (holder, IBAN).
    account: (String, String),
}

fn remittance_row(r: &agency::Remittance, lang: Lang) -> RemittanceRow {
    RemittanceRow {
        id: r.id,
        client: r.creditor_name.clone(),
        period: format!(
            "{} – {}",
            fmt::date(r.period_start, lang),
            fmt::date(r.period_end, lang)
        ),
        issued_on: fmt::date(r.issued_on, lang),
        collected: money(r.statement.collected, lang),
        fees: money(r.statement.fees_gross, lang),
        to_remit: money(r.statement.to_remit, lang),
        client_owes: if r.statement.client_owes.is_positive() {
            money(r.statement.client_owes, lang)
        } else {
            String::new()
        },
        has_transfer: r.message_id.is_some(),
    }
}

async fn agency_page(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    let result: PageResult = async {
        let lang = ctx.lang;
        let today = state.clock.today();
        let mut tx = state.store.begin_read().await.page(&ctx)?;
        let creditors = tx.creditors().await.page(&ctx)?;
        let mandates = agency::mandates(tx.as_mut(), None).await.page(&ctx)?;
        let placements = tx
            .placements(&PlacementFilter::default())
            .await
            .page(&ctx)?;
        let mut rows = Vec::new();
        let t = crate::i18n::Tr::new(state.i18n.clone(), lang);
        for pl in placements.iter().rev().take(200) {
            let claim = tx.claim(pl.claim_id).await.page(&ctx)?;
            let (number, currency) = claim
                .map(|c| (c.number.as_str().to_string(), c.currency))
                .unwrap_or_else(|| (pl.claim_id.0.to_string(), domain::Currency::EUR));
            rows.push(PlacementRow {
                claim_id: pl.claim_id.0,
                number,
                client: creditors
                    .iter()
                    .find(|c| c.id == pl.creditor_id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                placed_on: fmt::date(pl.placed_on, lang),
                amount: money(Money::from_minor(pl.principal_minor, currency), lang),
                state: t.get(&format!("agency-state-{}", pl.state.as_str())),
                in_force: pl.state == app::store::PlacementState::Placed,
                ended: match (&pl.ended_on, &pl.end_reason) {
                    (Some(d), Some(r)) if r == agency::PAID_IN_FULL => {
                        format!("{} · {}", fmt::date(*d, lang), t.get("agency-paid-in-full"))
                    }
                    (Some(d), Some(r)) => format!("{} · {r}", fmt::date(*d, lang)),
                    (Some(d), None) => fmt::date(*d, lang),
                    _ => String::new(),
                },
            });
        }
        let remittances = agency::remittances(tx.as_mut(), None, None)
            .await
            .page(&ctx)?;
        let late = agency::late_remittances(tx.as_mut(), today)
            .await
            .page(&ctx)?;
        let account = (
            tx.setting(agency::settings::FUNDS_NAME)
                .await
                .page(&ctx)?
                .unwrap_or_default(),
            tx.setting(agency::settings::FUNDS_IBAN)
                .await
                .page(&ctx)?
                .unwrap_or_default(),
        );
        drop(tx);
        let page = crate::ui::Page::new(&state, &ctx, "nav-agency", "/agency").with_notice(&p);
        let last = today
            .first_of_month()
            .yesterday()
            .unwrap_or(today)
            .strftime("%Y-%m")
            .to_string();
        let tpl = AgencyPage {
            mandates: mandates
                .iter()
                .map(|m| {
                    let f = &m.terms.fees;
                    MandateRow {
                        reference: m.reference.clone(),
                        client: m.creditor_name.clone(),
                        signed_on: fmt::date(m.signed_on, lang),
                        ends_on: m.ends_on.map(|d| fmt::date(d, lang)).unwrap_or_default(),
                        commission: format!(
                            "{} · {} {} %",
                            m.commission,
                            page.t.get("agency-vat-amount"),
                            f.vat_rate
                        ),
                        fees: [
                            f.minimum.map(|v| format!("min {}", money(v, lang))),
                            f.file_fee.map(|v| {
                                format!("{} {}", money(v, lang), page.t.get("agency-per-file"))
                            }),
                            f.success_fee.map(|v| {
                                format!("{} {}", money(v, lang), page.t.get("agency-success"))
                            }),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · "),
                        insurance: m.terms.insurance.clone(),
                        in_force: m.in_force(today),
                    }
                })
                .collect(),
            placements: rows,
            remittances: remittances
                .iter()
                .map(|r| remittance_row(r, lang))
                .collect(),
            late: late
                .iter()
                .map(|l| LateRow {
                    mandate: l.mandate.clone(),
                    client: l.creditor.clone(),
                    collected_on: fmt::date(l.collected_on, lang),
                    amount: money(l.amount, lang),
                    due_by: fmt::date(l.due_by, lang),
                })
                .collect(),
            clients: creditors
                .iter()
                .map(|c| (c.code.clone(), c.name.clone()))
                .collect(),
            can_manage: ctx.user.as_ref().is_some_and(|u| u.role >= Role::Manager),
            can_admin: ctx.user.as_ref().is_some_and(|u| u.role >= Role::Admin),
            account,
            today: today.to_string(),
            last_month: last,
            page,
        };
        Ok(render(&tpl))
    }
    .await;
    finish(&state, result)
}

fn optional(form: &Fields, name: &str) -> Option<String> {
    Some(field(form, name).to_string()).filter(|v| !v.is_empty())
}

/// The mandate form's fields read as the CLI reads its options.
pub(crate) fn mandate_from_fields(form: &Fields) -> Result<NewMandate, WebError> {
    let currency = domain::money::parse_currency(match field(form, "currency") {
        "" => "EUR",
        c => c,
    })
    .map_err(|e| WebError::field("currency", e.to_string()))?;
    let date = |name: &str| -> Result<domain::Date, WebError> {
        field(form, name)
            .parse()
            .map_err(|e| WebError::field(name, format!("{:?}: {e}", field(form, name))))
    };
    let amount = |name: &str| -> Result<Option<Money>, WebError> {
        optional(form, name)
            .map(|v| {
                Money::parse_with_code(&v, currency)
                    .map_err(|e| WebError::field(name, format!("{v:?}: {e}")))
            })
            .transpose()
    };
    let commission = Commission::parse(field(form, "commission"), currency)
        .map_err(|e| WebError::field("commission", e.to_string()))?;
    let vat = match field(form, "vat") {
        "" => "20",
        v => v,
    };
    let vat_rate = vat
        .trim_end_matches('%')
        .replace(',', ".")
        .trim()
        .parse()
        .map_err(|_| WebError::field("vat", format!("{vat:?}")))?;
    let remit_months = match field(form, "remit_months") {
        "" => 1,
        v => v
            .parse()
            .map_err(|_| WebError::field("remit_months", format!("{v:?}")))?,
    };
    Ok(NewMandate {
        creditor: field(form, "creditor").to_string(),
        reference: field(form, "reference").to_string(),
        signed_on: date("signed")?,
        ends_on: match field(form, "ends") {
            "" => None,
            _ => Some(date("ends")?),
        },
        currency,
        terms: MandateTerms {
            fees: FeeTerms {
                commission,
                minimum: amount("minimum")?,
                file_fee: amount("file_fee")?,
                success_fee: amount("success_fee")?,
                vat_rate,
            },
            remit_months,
            insurance: field(form, "insurance").to_string(),
            scope: field(form, "scope").to_string(),
            payee_name: field(form, "payee").to_string(),
            payee_iban: field(form, "iban").to_string(),
            payee_bic: optional(form, "bic"),
        },
    })
}

async fn mandate_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Fields>,
) -> Response {
    let result: PageResult = async {
        let actor = ctx.actor().page(&ctx)?;
        let mut new = mandate_from_fields(&form).page(&ctx)?;
        if new.terms.payee_name.trim().is_empty() {
            let mut tx = state.store.begin_read().await.page(&ctx)?;
            new.terms.payee_name = agency::creditor_named(tx.as_mut(), &new.creditor)
                .await
                .page(&ctx)?
                .name;
        }
        agency::add_mandate(state.store.as_ref(), state.clock.as_ref(), &actor, new)
            .await
            .page(&ctx)?;
        Ok(see_other(&with_notice("/agency", "mandate-added")))
    }
    .await;
    finish(&state, result)
}

/// A change of the Agency page by a form: the use case with the signed-in actor, then
/// back to the page with `notice`.
async fn agency_change<F, Fut>(state: &AppState, ctx: Ctx, notice: &str, change: F) -> Response
where
    F: FnOnce(app::audit::Actor) -> Fut,
    Fut: std::future::Future<Output = Result<(), WebError>>,
{
    let result: PageResult = async {
        let actor = ctx.actor().page(&ctx)?;
        change(actor).await.page(&ctx)?;
        Ok(see_other(&with_notice("/agency", notice)))
    }
    .await;
    finish(state, result)
}

async fn end_mandate_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Fields>,
) -> Response {
    let s = &state;
    agency_change(s, ctx, "mandate-ended", |actor| async move {
        agency::end_mandate(
            s.store.as_ref(),
            s.clock.as_ref(),
            &actor,
            field(&form, "reference"),
            s.clock.today(),
        )
        .await?;
        Ok(())
    })
    .await
}

async fn place_form(State(state): State<AppState>, ctx: Ctx, Form(form): Form<Fields>) -> Response {
    let s = &state;
    agency_change(s, ctx, "placed", |actor| async move {
        let claims: Vec<String> = field(&form, "claims")
            .split([',', ' ', '\n', ';'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        agency::place(
            s.store.as_ref(),
            s.clock.as_ref(),
            &actor,
            field(&form, "mandate"),
            &claims,
            s.clock.today(),
        )
        .await?;
        Ok(())
    })
    .await
}

async fn withdraw_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Fields>,
) -> Response {
    let s = &state;
    agency_change(s, ctx, "withdrawn", |actor| async move {
        agency::withdraw(
            s.store.as_ref(),
            s.clock.as_ref(),
            &actor,
            field(&form, "claim"),
            s.clock.today(),
            field(&form, "reason"),
        )
        .await?;
        Ok(())
    })
    .await
}

/// A client's identity, as the CLI's `client identity` sets it: what is left empty stays.
pub(crate) fn identity_from_fields(form: &Fields) -> agency::ClientIdentity {
    agency::ClientIdentity {
        name: optional(form, "name"),
        address: optional(form, "address"),
        city: optional(form, "city"),
        email: optional(form, "email"),
        phone: optional(form, "phone"),
        company_id: optional(form, "company_id"),
        iban: optional(form, "iban"),
        bic: optional(form, "bic"),
    }
}

async fn identity_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Fields>,
) -> Response {
    let s = &state;
    agency_change(s, ctx, "identity-saved", |actor| async move {
        agency::set_client_identity(
            s.store.as_ref(),
            s.clock.as_ref(),
            &actor,
            field(&form, "creditor"),
            &identity_from_fields(&form),
        )
        .await?;
        Ok(())
    })
    .await
}

async fn account_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Fields>,
) -> Response {
    let s = &state;
    agency_change(s, ctx, "account-saved", |actor| async move {
        agency::set_funds_account(
            s.store.as_ref(),
            s.clock.as_ref(),
            &actor,
            field(&form, "name"),
            field(&form, "iban"),
            optional(&form, "bic").as_deref(),
            optional(&form, "company_id").as_deref(),
        )
        .await?;
        Ok(())
    })
    .await
}

async fn remit_form(State(state): State<AppState>, ctx: Ctx, Form(form): Form<Fields>) -> Response {
    let s = &state;
    agency_change(s, ctx, "remitted", |actor| async move {
        let (start, end) = agency::month(field(&form, "period"))?;
        agency::remit(
            s.store.as_ref(),
            s.clock.as_ref(),
            &actor,
            start,
            end,
            s.clock.today(),
            optional(&form, "creditor").as_deref(),
        )
        .await?;
        Ok(())
    })
    .await
}

struct LineRow {
    date: String,
    claim: String,
    amount: String,
    rate: String,
    commission: String,
    success_fee: String,
}

#[derive(Template)]
#[template(path = "remittance.html")]
struct RemittancePage {
    page: crate::ui::Page,
    r: RemittanceRow,
    mandate: String,
    lines: Vec<LineRow>,
    commission: String,
    file_fees: String,
    files_charged: usize,
    success_fees: String,
    fees_net: String,
    vat: String,
    due_by: String,
    /// Where the transfer downloads (staff only).
    transfer_href: String,
    /// Where the statement and fee invoice download as a PDF.
    pdf_href: String,
    back: String,
}

async fn remittance_view(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    only: Option<CreditorId>,
    back: &str,
) -> PageResult {
    let id = parse_id(ctx, id, "remittance")?;
    let lang = ctx.lang;
    let mut tx = state.store.begin_read().await.page(ctx)?;
    let r = agency::remittance(tx.as_mut(), id, only).await.page(ctx)?;
    drop(tx);
    let page = crate::ui::Page::new(state, ctx, "agency-statement-title", back);
    let s = &r.statement;
    let tpl = RemittancePage {
        r: remittance_row(&r, lang),
        mandate: r.mandate.clone(),
        lines: s
            .lines
            .iter()
            .map(|l| LineRow {
                date: fmt::date(l.date, lang),
                claim: r
                    .numbers
                    .get(&l.claim.0)
                    .cloned()
                    .unwrap_or_else(|| l.claim.0.to_string()),
                amount: money(l.amount, lang),
                rate: format!("{} %", l.rate.normalize()),
                commission: money(l.commission, lang),
                success_fee: l.success_fee.map(|f| money(f, lang)).unwrap_or_default(),
            })
            .collect(),
        commission: money(s.commission, lang),
        file_fees: money(s.file_fees, lang),
        files_charged: s.files_charged.len(),
        success_fees: money(s.success_fees, lang),
        fees_net: money(s.fees_net, lang),
        vat: money(s.vat, lang),
        due_by: r.due_by.map(|d| fmt::date(d, lang)).unwrap_or_default(),
        transfer_href: if only.is_none() && r.message_id.is_some() {
            format!("/agency/remittances/{id}/transfer")
        } else {
            String::new()
        },
        pdf_href: format!("{back}/remittances/{id}/pdf"),
        back: back.to_string(),
        page,
    };
    Ok(render(&tpl))
}

async fn remittance_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    let result = remittance_view(&state, &ctx, &id, None, "/agency").await;
    finish(&state, result)
}

async fn transfer(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result: PageResult = async {
        let id = parse_id(&ctx, &id, "remittance")?;
        let mut tx = state.store.begin_read().await.page(&ctx)?;
        let xml = agency::transfer_xml(tx.as_mut(), id, None)
            .await
            .page(&ctx)?;
        Ok(download(
            "application/xml",
            &format!("remittance-{id}.pain001.xml"),
            xml,
        ))
    }
    .await;
    finish(&state, result)
}

/// The statement and fee invoice of remittance `id` as a PDF, in the reader's language
/// (of client `only`'s statements with `Some`).
async fn statement_pdf_of(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    only: Option<CreditorId>,
) -> PageResult {
    let id = parse_id(ctx, id, "remittance")?;
    let mut tx = state.store.begin_read().await.page(ctx)?;
    let r = agency::remittance(tx.as_mut(), id, only).await.page(ctx)?;
    let parties = agency::invoice_parties(tx.as_mut(), &r).await.page(ctx)?;
    drop(tx);
    let lang = match ctx.lang {
        Lang::En => comms::fmt::Lang::En,
        Lang::Fr => comms::fmt::Lang::Fr,
    };
    let pdf = comms::remittance::pdf(&r, &parties, lang)
        .map_err(|e| WebError::Internal(e.to_string()))
        .page(ctx)?;
    Ok(download(
        "application/pdf",
        &format!("remittance-R-{id:06}.pdf"),
        pdf,
    ))
}

async fn statement_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Response {
    let result = statement_pdf_of(&state, &ctx, &id, None).await;
    finish(&state, result)
}

async fn client_statement_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> Response {
    in_client_scope(&state, &ctx, &p, |c| {
        statement_pdf_of(&state, &ctx, &id, Some(c))
    })
    .await
}

/// `GET /agency/receipts/{claim}?seq=`: the receipt (R124-6) of a payment on a placed
/// file, by default its latest, as a PDF in the debtor's language.
async fn receipt(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut p: Params,
) -> Response {
    let result: PageResult = async {
        let claim = domain::ClaimId(parse_id(&ctx, &id, "claim")?);
        let seq = p.get::<u32>("seq");
        let mut tx = state.store.begin_read().await.page(&ctx)?;
        let r = agency::receipt(tx.as_mut(), claim, seq).await.page(&ctx)?;
        drop(tx);
        let pdf = comms::receipt::pdf(&r)
            .map_err(|e| WebError::Internal(e.to_string()))
            .page(&ctx)?;
        Ok(download(
            "application/pdf",
            &format!("{}.pdf", r.number),
            pdf,
        ))
    }
    .await;
    finish(&state, result)
}

struct FileRow {
    actions: usize,
    number: String,
    debtor: String,
    placed_on: String,
    state: String,
    reason: String,
    placed: String,
    collected: String,
    open: String,
}

struct NoticeRow {
    date: String,
    text: String,
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientPage {
    page: crate::ui::Page,
    creditor: String,
    code: String,
    from: String,
    to: String,
    placed: String,
    recovered: String,
    rate: String,
    remitted: String,
    closed: usize,
    files: Vec<FileRow>,
    remittances: Vec<RemittanceRow>,
    notices: Vec<NoticeRow>,
    /// Staff may switch client: (code, name).
    clients: Vec<(String, String)>,
}

/// The period of a client's report: `from`/`to` parameters, by default the year to date.
fn period(p: &mut Params, today: domain::Date) -> (domain::Date, domain::Date) {
    let to = p.get::<domain::Date>("to").unwrap_or(today);
    let from = p.get::<domain::Date>("from").unwrap_or(to.first_of_year());
    (from, to)
}

async fn client_page(State(state): State<AppState>, ctx: Ctx, mut p: Params) -> Response {
    let result: PageResult = async {
        let lang = ctx.lang;
        let requested = p.raw("creditor").map(str::to_string);
        let creditor = client_scope(&state, &ctx, requested.as_deref())
            .await
            .page(&ctx)?;
        let (from, to) = period(&mut p, state.clock.today());
        let mut tx = state.store.begin_read().await.page(&ctx)?;
        let report = agency::client_report(tx.as_mut(), creditor, from, to)
            .await
            .page(&ctx)?;
        let code = tx
            .creditors()
            .await
            .page(&ctx)?
            .into_iter()
            .find(|c| c.id == creditor)
            .map(|c| c.code)
            .unwrap_or_default();
        let is_client = ctx.user.as_ref().is_some_and(|u| u.role == Role::Client);
        let clients = if is_client {
            Vec::new()
        } else {
            let mandates = agency::mandates(tx.as_mut(), None).await.page(&ctx)?;
            let mut seen: Vec<(String, String)> = Vec::new();
            for m in mandates {
                if !seen.iter().any(|(c, _)| *c == m.creditor_code) {
                    seen.push((m.creditor_code, m.creditor_name));
                }
            }
            seen
        };
        drop(tx);
        let page = crate::ui::Page::new(&state, &ctx, "nav-client", "/client");
        let t = page.t.clone();
        let tpl = ClientPage {
            creditor: report.creditor_name.clone(),
            code,
            from: from.to_string(),
            to: to.to_string(),
            placed: money(report.placed, lang),
            recovered: money(report.recovered, lang),
            rate: report
                .recovery_rate
                .clone()
                .map(|r| format!("{r} %"))
                .unwrap_or_else(|| "—".into()),
            remitted: money(report.remitted, lang),
            closed: report.closed,
            files: report
                .files
                .iter()
                .map(|f| FileRow {
                    actions: f.actions,
                    number: f.number.clone(),
                    debtor: f.debtor.clone(),
                    placed_on: fmt::date(f.placed_on, lang),
                    state: t.get(&format!("agency-state-{}", f.state.as_str())),
                    reason: match f.end_reason.as_deref() {
                        Some(agency::PAID_IN_FULL) => t.get("agency-paid-in-full"),
                        other => other.unwrap_or_default().to_string(),
                    },
                    placed: money(f.principal_placed, lang),
                    collected: money(f.collected, lang),
                    open: money(f.open, lang),
                })
                .collect(),
            remittances: report
                .remittances
                .iter()
                .map(|r| remittance_row(r, lang))
                .collect(),
            notices: report
                .notices
                .iter()
                .map(|n| NoticeRow {
                    date: fmt::date(n.created_on, lang),
                    text: agency::notice_line(
                        n,
                        match lang {
                            Lang::En => domain::lang::Lang::En,
                            Lang::Fr => domain::lang::Lang::Fr,
                        },
                        &|m| money(m, lang),
                    ),
                })
                .collect(),
            clients,
            page,
        };
        Ok(render(&tpl))
    }
    .await;
    finish(&state, result)
}

async fn client_csv(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    client_export(&state, ctx, p, false).await
}

async fn client_xlsx(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    client_export(&state, ctx, p, true).await
}

/// The client's files as CSV or XLSX, for the period asked.
async fn client_export(state: &AppState, ctx: Ctx, mut p: Params, xlsx: bool) -> Response {
    let result: PageResult = async {
        let requested = p.raw("creditor").map(str::to_string);
        let creditor = client_scope(state, &ctx, requested.as_deref())
            .await
            .page(&ctx)?;
        let (from, to) = period(&mut p, state.clock.today());
        let mut tx = state.store.begin_read().await.page(&ctx)?;
        let report = agency::client_report(tx.as_mut(), creditor, from, to)
            .await
            .page(&ctx)?;
        Ok(if xlsx {
            download(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("client-report-{from}-{to}.xlsx"),
                agency::report_xlsx(&report).page(&ctx)?,
            )
        } else {
            download(
                "text/csv; charset=utf-8",
                &format!("client-report-{from}-{to}.csv"),
                agency::report_csv(&report).page(&ctx)?,
            )
        })
    }
    .await;
    finish(state, result)
}

async fn client_remittance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    p: Params,
) -> Response {
    in_client_scope(&state, &ctx, &p, |c| {
        remittance_view(&state, &ctx, &id, Some(c), "/client")
    })
    .await
}

/// Renders `view` for the creditor of the client space ([`client_scope`]).
async fn in_client_scope<F, Fut>(state: &AppState, ctx: &Ctx, p: &Params, view: F) -> Response
where
    F: FnOnce(CreditorId) -> Fut,
    Fut: std::future::Future<Output = PageResult>,
{
    let result = match client_scope(state, ctx, p.raw("creditor")).await.page(ctx) {
        Ok(creditor) => view(creditor).await,
        Err(e) => Err(e),
    };
    finish(state, result)
}
