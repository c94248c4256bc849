//! The law on the debtor and claim pages: each open claim's limitation deadline, the event
//! it runs from and what would save it; the limitation events recorded (written
//! acknowledgment, court claim and its outcome, enforcement act, mediation, judgment) and
//! the form to record one (collector or above, audited through
//! `app::audit::record_limitation_event` as the CLI and the API do); on the debtor page,
//! the legal routes advice.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::fmt;
use crate::i18n::Tr;
use crate::ui::{OrPage, PageResult, finish, parse_id, role_of, see_other, with_notice};
use crate::ui_legal::text;
use app::limitation_events::{EventSubject, NewLimitationEvent};
use app::store::{LimitationEventKind, Role, Tx};
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::law::judicial::Decision;
use domain::{ClaimId, Date, DebtorId};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/debtors/{id}/limitation-events", post(add_event))
}

/// One claim's deadline, as shown.
#[derive(Debug)]
pub struct DeadlineRow {
    pub claim_id: i64,
    pub number: String,
    pub deadline: String,
    pub days_left: i32,
    /// `none`, `within90`, `within30`, `expired`: the pill's class.
    pub alert: String,
    pub alert_text: String,
    /// "acknowledgment of debt, 14/02/2022".
    pub runs_from: String,
    pub on_hold: bool,
    pub remedy: String,
}

/// One recorded event, as shown.
#[derive(Debug)]
pub struct EventRow {
    pub date: String,
    pub kind: String,
    /// The claim's number, or "all claims".
    pub claim: String,
    pub end: String,
    pub proof: String,
    pub note: String,
    pub by: String,
}

/// The legal routes advice, as shown.
#[derive(Debug)]
pub struct RoutesView {
    pub recommendation: String,
    /// (route, open, why not)
    pub routes: Vec<(String, bool, String)>,
    /// "F-1 (1 000,00 €), time-barred since 01/03/2026"
    pub time_barred: Vec<String>,
    pub disputed: bool,
    pub public_body: bool,
    /// The decision form's choices: (code, name, open), the advised one first.
    pub decisions: Vec<(&'static str, String, bool)>,
    /// The debtor's legal files: (id, reference, decision, state).
    pub files: Vec<(i64, String, String, String)>,
    /// A manager may decide.
    pub can_decide: bool,
}

/// What the debtor or claim page shows of the law.
#[derive(Debug)]
pub struct LawPanel {
    pub debtor_id: i64,
    /// The claim page's claim: the form records on it, and comes back to it.
    pub claim_id: Option<i64>,
    pub deadlines: Vec<DeadlineRow>,
    pub events: Vec<EventRow>,
    /// The claims the form may name: (id, number).
    pub claims: Vec<(i64, String)>,
    pub kinds: Vec<(&'static str, String)>,
    pub can_record: bool,
    pub today: String,
    pub routes: Option<RoutesView>,
}

/// The panel of `debtor` (with the routes advice) or of one of its claims.
pub async fn panel(
    state: &AppState,
    tx: &mut dyn Tx,
    ctx: &Ctx,
    t: &Tr,
    debtor: DebtorId,
    claim: Option<ClaimId>,
) -> Result<LawPanel, WebError> {
    let today = state.clock.today();
    let lang = t.lang;
    let limitation = app::law::debtor_limitation(tx, debtor, today).await?;
    let numbers: HashMap<ClaimId, String> = tx
        .claims_of_debtor(debtor)
        .await?
        .into_iter()
        .map(|c| (c.id, c.number.to_string()))
        .collect();
    let deadlines = limitation
        .lines
        .iter()
        .filter(|l| claim.is_none_or(|c| c == l.claim_id))
        .map(|l| {
            let d = &l.deadline;
            let alert = serde_json::to_value(l.alert)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            DeadlineRow {
                claim_id: l.claim_id.0,
                number: l.number.clone(),
                deadline: fmt::date(d.deadline, lang),
                days_left: l.days_left,
                alert_text: t.get(&format!("limitation-alert-{alert}")),
                alert,
                runs_from: format!(
                    "{}, {}",
                    text(&d.runs_from.kind.label(), t.lang),
                    fmt::date(d.runs_from.date, lang)
                ),
                on_hold: d.proceedings_pending || d.suspended,
                remedy: text(&d.remedy(), t.lang),
            }
        })
        .collect();
    let events = limitation
        .events
        .iter()
        .filter(|e| claim.is_none_or(|c| e.claim_id.is_none_or(|id| id == c)))
        .map(|e| EventRow {
            date: fmt::date(e.on, lang),
            kind: t.get(&format!("limitation-kind-{}", e.kind.as_str())),
            claim: match e.claim_id {
                Some(c) => numbers.get(&c).cloned().unwrap_or_else(|| c.to_string()),
                None if e.debtor_id == debtor => t.get("limitation-all-claims"),
                None => t.get("limitation-co-debtor"),
            },
            end: e.end.map(|d| fmt::date(d, lang)).unwrap_or_default(),
            proof: e.proof.clone().unwrap_or_default(),
            note: e.note.clone().unwrap_or_default(),
            by: e.recorded_by.clone(),
        })
        .collect();
    let routes = if claim.is_none() {
        let r = app::law::debtor_routes(tx, debtor, today, &state.rates).await?;
        let files = app::legal::list(
            tx,
            &app::store::LegalFileFilter {
                debtor: Some(debtor),
                ..Default::default()
            },
        )
        .await?;
        let advised = r.advice.recommendation.route;
        let mut decisions: Vec<(&'static str, String, bool)> = Decision::ALL
            .iter()
            .map(|d| {
                let open = d
                    .route()
                    .is_none_or(|route| r.advice.routes.iter().any(|x| x.route == route && x.open));
                (d.code(), text(&d.name(), t.lang), open)
            })
            .collect();
        decisions.sort_by_key(|(code, _, open)| {
            (
                advised.is_none_or(|a| Decision::Litigate { route: a }.code() != *code),
                !open,
            )
        });
        Some(RoutesView {
            decisions,
            files: files
                .iter()
                .map(|f| {
                    (
                        f.id,
                        f.reference(),
                        text(&f.data.decision.name(), t.lang),
                        t.get(&format!("legal-state-{}", f.state.as_str())),
                    )
                })
                .collect(),
            can_decide: role_of(ctx) >= Some(Role::Manager),
            recommendation: text(&r.advice.recommendation.text, t.lang),
            routes: r
                .advice
                .routes
                .iter()
                .map(|x| {
                    (
                        text(&x.name, t.lang),
                        x.open,
                        x.blockers
                            .iter()
                            .map(|b| text(b, t.lang))
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                })
                .collect(),
            time_barred: r
                .time_barred
                .iter()
                .map(|b| {
                    t.with(
                        "routes-time-barred-line",
                        &format!(
                            "{} ({}) · {}",
                            b.number,
                            fmt::money(b.open, lang),
                            fmt::date(b.deadline, lang)
                        ),
                    )
                })
                .collect(),
            disputed: r.disputed,
            public_body: r.public_body,
        })
    } else {
        None
    };
    let mut claims: Vec<(i64, String)> = numbers.into_iter().map(|(id, n)| (id.0, n)).collect();
    claims.sort();
    Ok(LawPanel {
        debtor_id: debtor.0,
        claim_id: claim.map(|c| c.0),
        deadlines,
        events,
        claims,
        kinds: LimitationEventKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str(),
                    t.get(&format!("limitation-kind-{}", k.as_str())),
                )
            })
            .collect(),
        can_record: role_of(ctx) >= Some(Role::Collector),
        today: today.to_string(),
        routes,
    })
}

type Fields = HashMap<String, String>;

async fn add_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    finish(&state, add_event_inner(&state, ctx, &id, &form).await)
}

/// `POST /debtors/{id}/limitation-events`: records an event on the debtor, or on one of
/// its claims (`claim`), and comes back to the debtor's page or the claim's (`back`).
async fn add_event_inner(state: &AppState, ctx: Ctx, id: &str, form: &Fields) -> PageResult {
    let debtor = DebtorId(parse_id(&ctx, id, "debtor")?);
    let field = |name: &str| form.get(name).map_or("", |s| s.trim());
    let date = |name: &'static str| -> Result<Option<Date>, WebError> {
        match field(name) {
            "" => Ok(None),
            v => v
                .parse::<Date>()
                .map(Some)
                .map_err(|_| WebError::field(name, format!("{v:?} is not a date (YYYY-MM-DD)"))),
        }
    };
    let subject = match field("claim") {
        "" | "all" => EventSubject::Debtor(debtor),
        v => {
            let claim = v
                .parse::<i64>()
                .map(ClaimId)
                .map_err(|_| WebError::field("claim", format!("{v:?} is not a claim id")))
                .page(&ctx)?;
            // The claim must be this debtor's: the form belongs to its page.
            let mut tx = state.store.begin_read().await.page(&ctx)?;
            let owner = tx.claim(claim).await.page(&ctx)?.map(|c| c.debtor_id);
            if owner != Some(debtor) {
                return Err(WebError::field(
                    "claim",
                    format!("claim {claim} is not debtor {debtor}'s / n'est pas une créance de ce débiteur"),
                ))
                .page(&ctx);
            }
            EventSubject::Claim(claim)
        }
    };
    let kind = field("kind")
        .parse::<LimitationEventKind>()
        .map_err(|e| WebError::field("kind", e))
        .page(&ctx)?;
    let on = date("date")
        .page(&ctx)?
        .ok_or_else(|| WebError::field("date", "the date is missing / date manquante"))
        .page(&ctx)?;
    let new = NewLimitationEvent {
        subject,
        kind,
        on,
        end: date("end").page(&ctx)?,
        proof: Some(field("proof").to_string()),
        note: Some(field("note").to_string()),
    };
    let actor = ctx.actor().page(&ctx)?;
    app::audit::record_limitation_event(state.store.as_ref(), state.clock.as_ref(), &actor, &new)
        .await
        .page(&ctx)?;
    let back = match (field("back"), subject) {
        ("claim", EventSubject::Claim(c)) => format!("/claims/{c}"),
        _ => format!("/debtors/{debtor}"),
    };
    Ok(see_other(&with_notice(&back, "limitation-event-added")))
}
