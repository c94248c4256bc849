//! The interface of assigned and insured claims: the claim page's and the debtor page's
//! panel (the assignment in force, and for managers the form to assign or end it), and the
//! settings page's factors and insurers (with the forms to add one). Each form calls the
//! audited use case of `app::audit`, as `recouvre financing` and the API do.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::fmt;
use crate::i18n::Tr;
use crate::ui::{OrPage, PageResult, finish, parse_id, see_other, with_notice};
use crate::ui_cases::{Fields, field, optional};
use app::financing::{AssignInput, AssignmentView, PartyInput, Target};
use app::store::{PartyKind, Role, Tx};
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::{ClaimId, Date, DebtorId};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/claims/{id}/financing", post(claim_financing))
        .route("/debtors/{id}/financing", post(debtor_financing))
        .route("/settings/financing", post(add_party))
}

/// The panel of a claim or a debtor page.
#[derive(Debug, Default)]
pub struct FinancingPanel {
    /// The assignment in force, in words (empty: the creditor's own).
    pub summary: String,
    /// The factors and insurers to choose from: (id, label).
    pub parties: Vec<(i64, String)>,
    /// Where the form posts (`/claims/12/financing`).
    pub action: String,
    /// Whether the shown assignment is the page's own (it can then be ended here).
    pub own: bool,
    pub can_assign: bool,
    pub today: String,
}

fn party_label(kind: PartyKind, name: &str, t: &Tr) -> String {
    format!(
        "{name} ({})",
        t.get(&format!("financing-party-{}", kind.as_str()))
    )
}

fn summary(v: &AssignmentView, t: &Tr) -> String {
    let mut s = t.get(&format!("financing-{}", v.financing.as_str()));
    s.push_str(&format!(
        " — {} — {} {}",
        v.party_name,
        t.get("financing-since"),
        fmt::date(v.assignment.since, t.lang)
    ));
    if !v.assignment.dun {
        s.push_str(&format!(" — {}", t.get("financing-not-dunned")));
    }
    s
}

/// The panel of a claim (`claim` given) or of a debtor.
pub async fn panel(
    tx: &mut dyn Tx,
    ctx: &Ctx,
    t: &Tr,
    debtor: DebtorId,
    claim: Option<ClaimId>,
    today: Date,
) -> Result<FinancingPanel, WebError> {
    let (view, own, action) = match claim {
        Some(c) => {
            let v = app::financing::of_claim(tx, c, debtor).await?;
            let own = v
                .as_ref()
                .is_some_and(|v| v.assignment.scope == app::store::AssignmentScope::Claim);
            (v, own, format!("/claims/{c}/financing"))
        }
        None => {
            let v = app::financing::of_debtor(tx, debtor).await?;
            let own = v.is_some();
            (v, own, format!("/debtors/{debtor}/financing"))
        }
    };
    let parties = tx
        .financing_parties()
        .await?
        .into_iter()
        .map(|p| (p.id, party_label(p.kind, &p.name, t)))
        .collect();
    Ok(FinancingPanel {
        summary: view.as_ref().map(|v| summary(v, t)).unwrap_or_default(),
        parties,
        action,
        own,
        can_assign: ctx.user.as_ref().is_some_and(|u| u.role >= Role::Manager),
        today: today.to_string(),
    })
}

/// The form's assignment: `party` empty ends the page's own assignment.
fn form_input(form: &Fields, target: Target) -> Result<Option<AssignInput>, WebError> {
    let Some(party) = optional(form, "party") else {
        return Ok(None);
    };
    let party = party
        .parse::<i64>()
        .map_err(|_| WebError::field("party", "which factor or insurer"))?;
    let since = optional(form, "since")
        .map(|v| {
            v.parse::<Date>()
                .map_err(|_| WebError::field("since", format!("{v:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()?;
    Ok(Some(AssignInput {
        target,
        party,
        since,
        dun: field(form, "dun") != "no",
    }))
}

async fn assign(state: &AppState, ctx: Ctx, target: Target, form: &Fields) -> PageResult {
    let back = match target {
        Target::Claim(c) => format!("/claims/{c}"),
        Target::Debtor(d) => format!("/debtors/{d}"),
    };
    let input = form_input(form, target).page(&ctx)?;
    let actor = ctx.actor().page(&ctx)?;
    match input {
        Some(input) => {
            app::audit::assign_financing(
                state.store.as_ref(),
                state.clock.as_ref(),
                &actor,
                &input,
            )
            .await
            .page(&ctx)?;
        }
        None => {
            app::audit::unassign_financing(
                state.store.as_ref(),
                state.clock.as_ref(),
                &actor,
                target,
            )
            .await
            .page(&ctx)?;
        }
    }
    Ok(see_other(&with_notice(
        &format!("{back}#financing"),
        "settings-saved",
    )))
}

async fn claim_financing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = match parse_id(&ctx, &id, "claim") {
        Ok(id) => assign(&state, ctx, Target::Claim(ClaimId(id)), &form).await,
        Err(e) => Err(e),
    };
    finish(&state, result)
}

async fn debtor_financing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = match parse_id(&ctx, &id, "debtor") {
        Ok(id) => assign(&state, ctx, Target::Debtor(DebtorId(id)), &form).await,
        Err(e) => Err(e),
    };
    finish(&state, result)
}

/// The settings page's factors and insurers: (label, details).
pub async fn parties(tx: &mut dyn Tx, t: &Tr) -> Result<Vec<(String, String)>, WebError> {
    Ok(tx
        .financing_parties()
        .await?
        .into_iter()
        .map(|p| {
            let details = match p.kind {
                PartyKind::Factor => {
                    let mut s = format!("IBAN {}", p.iban.as_deref().unwrap_or("—"));
                    if let Some(bic) = &p.bic {
                        s.push_str(&format!(" — BIC {bic}"));
                    }
                    s
                }
                PartyKind::Insurer => t.with(
                    "financing-insurer-details",
                    &format!(
                        "{} — {}",
                        p.policy.as_deref().unwrap_or("—"),
                        p.declare_within_days.unwrap_or_default()
                    ),
                ),
            };
            (
                format!("#{} {}", p.id, party_label(p.kind, &p.name, t)),
                details,
            )
        })
        .collect())
}

async fn add_party(State(state): State<AppState>, ctx: Ctx, Form(form): Form<Fields>) -> Response {
    finish(&state, add_party_inner(&state, ctx, &form).await)
}

/// `POST /settings/financing`: a factor (name, IBAN, BIC) or an insurer (name, policy,
/// days to declare).
async fn add_party_inner(state: &AppState, ctx: Ctx, form: &Fields) -> PageResult {
    let kind = match field(form, "kind") {
        "factor" => PartyKind::Factor,
        "insurer" => PartyKind::Insurer,
        _ => return Err(WebError::field("kind", "factor or insurer")).page(&ctx),
    };
    let days = optional(form, "declare_within_days")
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                WebError::field(
                    "declare_within_days",
                    format!("{v:?} is not a number of days"),
                )
            })
        })
        .transpose()
        .page(&ctx)?;
    let input = PartyInput {
        name: field(form, "name").to_string(),
        iban: optional(form, "iban"),
        bic: optional(form, "bic"),
        policy: optional(form, "policy"),
        declare_within_days: days,
    };
    let actor = ctx.actor().page(&ctx)?;
    app::audit::add_financing_party(
        state.store.as_ref(),
        state.clock.as_ref(),
        &actor,
        kind,
        &input,
    )
    .await
    .page(&ctx)?;
    Ok(see_other(&with_notice(
        "/settings#financing",
        "settings-saved",
    )))
}
