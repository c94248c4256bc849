//! The judicial phase of a legal file ("dossier contentieux"): the decision that opens it,
//! the stages of its procedure, and the deadlines the law sets between them.
//!
//! Rules (`shared/domain-rules.md` §4, §7; C. pr. civ. 640–642 for the counting):
//! - **Injonction de payer**: the order must be served within **6 months** of being made
//!   or it lapses (C. pr. civ. 1411); the debtor may oppose within **1 month** of service
//!   (1416); without opposition the order, which bears the formule exécutoire since
//!   1 March 2022, is enforceable.
//! - **European order for payment**: opposition within **30 days** of service (Reg.
//!   1896/2006 art. 16).
//! - **Simplified small-claims procedure**: the debtor has **1 month** from the sending of
//!   the commissaire de justice's invitation to agree; silence is refusal (CPCE R125-1 s.).
//! - **Enforcement title**: enforceable for **10 years** (CPCE L111-4).
//! - **Post-judgment interest**: the legal rate gains **5 points** two months after the
//!   decision became enforceable (C. mon. fin. L313-3) — see [`super::Regime::FranceLegal`].
//!
//! Counting: a period in months ends on the day of the last month with the same number as
//! the starting day, or on the last day of that month when it has none (C. pr. civ. 641);
//! a procedural deadline falling on a Saturday, a Sunday or a public holiday is extended
//! to the next working day (642). The ten-year enforcement period is a limitation period
//! and is not extended (domain-rules.md §12 item 4).
//!
//! Limitation: the stages that interrupt or void an interruption are mapped to limitation
//! events by [`StageKind::limitation_effect`]: the request interrupts (C. civ. 2241) until
//! the end of the proceedings, a withdrawn or rejected request voids that interruption
//! (2243), the enforceable title starts the ten-year period, each enforcement act
//! interrupts again (2244).

use super::routes::Route;
use super::{LawError, Text, add_days, add_months};
use crate::calendar::{is_business_day_fr, next_business_day_fr};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a person decided for a case at the court's door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Go to court by this route.
    Litigate { route: Route },
    /// Not worth it: write the claims off.
    WriteOff,
    /// Keep collecting amicably.
    KeepAmicable,
    /// Sell the claims to a debt buyer.
    Sell,
}

impl Decision {
    /// Stable code: the route's code, or `write_off`, `keep_amicable`, `sell`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Litigate { route } => route.code(),
            Self::WriteOff => "write_off",
            Self::KeepAmicable => "keep_amicable",
            Self::Sell => "sell",
        }
    }

    /// The route, when the decision is to litigate.
    pub fn route(self) -> Option<Route> {
        match self {
            Self::Litigate { route } => Some(route),
            _ => None,
        }
    }

    pub fn name(self) -> Text {
        match self {
            Self::Litigate { route } => route.name(),
            Self::WriteOff => Text::new("write_off", "Passage en perte", "Write-off"),
            Self::KeepAmicable => Text::new(
                "keep_amicable",
                "Poursuite du recouvrement amiable",
                "Keep collecting amicably",
            ),
            Self::Sell => Text::new("sell", "Cession de la créance", "Sell the claims"),
        }
    }

    /// Every decision a person may take, in the order forms list them.
    pub const ALL: [Decision; 8] = [
        Decision::Litigate {
            route: Route::InjonctionDePayer,
        },
        Decision::Litigate {
            route: Route::PetitesCreances,
        },
        Decision::Litigate {
            route: Route::RefereProvision,
        },
        Decision::Litigate {
            route: Route::EuropeanOrderForPayment,
        },
        Decision::Litigate {
            route: Route::EuropeanSmallClaims,
        },
        Decision::WriteOff,
        Decision::KeepAmicable,
        Decision::Sell,
    ];
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Decision {
    type Err = String;

    /// The code, or a short alias (`ip`, `injonction`, `petites_creances`, `refere`,
    /// `eu_order`, `eu_small_claims`, `write_off`, `keep_amicable`, `sell`).
    fn from_str(s: &str) -> Result<Self, String> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        let route = |route| Ok(Self::Litigate { route });
        match key.as_str() {
            "fr.injonction_de_payer" | "injonction_de_payer" | "injonction" | "ip" => {
                route(Route::InjonctionDePayer)
            }
            "fr.petites_creances" | "petites_creances" | "small_claims" => {
                route(Route::PetitesCreances)
            }
            "fr.refere_provision" | "refere_provision" | "refere" => route(Route::RefereProvision),
            "eu.order_for_payment" | "eu_order" | "european_order" => {
                route(Route::EuropeanOrderForPayment)
            }
            "eu.small_claims" | "eu_small_claims" | "european_small_claims" => {
                route(Route::EuropeanSmallClaims)
            }
            "write_off" | "writeoff" | "perte" => Ok(Self::WriteOff),
            "keep_amicable" | "amicable" | "amiable" => Ok(Self::KeepAmicable),
            "sell" | "cession" => Ok(Self::Sell),
            _ => Err(crate::tr!(
                "{s:?} is not one of: injonction_de_payer, petites_creances, refere_provision, eu_order, eu_small_claims, write_off, keep_amicable, sell",
                "{s:?} n'est pas parmi : injonction_de_payer, petites_creances, refere_provision, eu_order, eu_small_claims, write_off, keep_amicable, sell"
            )),
        }
    }
}

/// How a legal file ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Paid in full.
    Paid,
    /// Settled for less, by agreement.
    Settled,
    /// Nothing more can be collected (insolvent, vanished debtor).
    Unrecoverable,
    /// The order lapsed or the procedure was abandoned.
    Abandoned,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Paid,
        Outcome::Settled,
        Outcome::Unrecoverable,
        Outcome::Abandoned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::Settled => "settled",
            Self::Unrecoverable => "unrecoverable",
            Self::Abandoned => "abandoned",
        }
    }

    pub fn name(self) -> Text {
        match self {
            Self::Paid => Text::new("paid", "Payé", "Paid"),
            Self::Settled => Text::new("settled", "Transigé", "Settled"),
            Self::Unrecoverable => Text::new("unrecoverable", "Irrécouvrable", "Unrecoverable"),
            Self::Abandoned => Text::new("abandoned", "Abandonné", "Abandoned"),
        }
    }
}

impl FromStr for Outcome {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                crate::tr!(
                    "{s:?} is not one of: paid, settled, unrecoverable, abandoned",
                    "{s:?} n'est pas parmi : paid, settled, unrecoverable, abandoned"
                )
            })
    }
}

/// A step of the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// The request (requête, assignation, Form A) was lodged with the court.
    RequestFiled,
    /// Small claims: the commissaire de justice sent the debtor the invitation (R125-2).
    InvitationSent,
    /// Small claims: the debtor agreed; the commissaire issues the title.
    DebtorAgreed,
    /// Small claims: the debtor refused, or kept silent for a month.
    DebtorRefused,
    /// The court made the order (or gave judgment).
    OrderMade,
    /// The court rejected the request.
    OrderRejected,
    /// The order was served on the debtor (signification).
    OrderServed,
    /// The debtor opposed the order: ordinary proceedings follow.
    Opposition,
    /// The title is enforceable (no opposition in time, a judgment, the debtor's agreement).
    Enforceable,
    /// A seizure or other enforcement act by a commissaire de justice.
    EnforcementAct,
    /// A payment reached the creditor or its agent during the procedure.
    PaymentReceived,
    /// The creditor withdrew its claim from the court.
    Withdrawn,
    /// The file is closed, with its outcome.
    Closed,
}

impl StageKind {
    pub const ALL: [StageKind; 13] = [
        StageKind::RequestFiled,
        StageKind::InvitationSent,
        StageKind::DebtorAgreed,
        StageKind::DebtorRefused,
        StageKind::OrderMade,
        StageKind::OrderRejected,
        StageKind::OrderServed,
        StageKind::Opposition,
        StageKind::Enforceable,
        StageKind::EnforcementAct,
        StageKind::PaymentReceived,
        StageKind::Withdrawn,
        StageKind::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequestFiled => "request_filed",
            Self::InvitationSent => "invitation_sent",
            Self::DebtorAgreed => "debtor_agreed",
            Self::DebtorRefused => "debtor_refused",
            Self::OrderMade => "order_made",
            Self::OrderRejected => "order_rejected",
            Self::OrderServed => "order_served",
            Self::Opposition => "opposition",
            Self::Enforceable => "enforceable",
            Self::EnforcementAct => "enforcement_act",
            Self::PaymentReceived => "payment_received",
            Self::Withdrawn => "withdrawn",
            Self::Closed => "closed",
        }
    }

    pub fn name(self) -> Text {
        let (fr, en) = match self {
            Self::RequestFiled => ("Requête déposée", "Request filed"),
            Self::InvitationSent => ("Invitation envoyée au débiteur", "Invitation sent"),
            Self::DebtorAgreed => ("Accord du débiteur", "Debtor agreed"),
            Self::DebtorRefused => ("Refus ou silence du débiteur", "Debtor refused"),
            Self::OrderMade => ("Ordonnance rendue", "Order made"),
            Self::OrderRejected => ("Requête rejetée", "Request rejected"),
            Self::OrderServed => ("Ordonnance signifiée", "Order served"),
            Self::Opposition => ("Opposition du débiteur", "Opposition"),
            Self::Enforceable => ("Titre exécutoire", "Enforceable title"),
            Self::EnforcementAct => ("Acte d'exécution", "Enforcement act"),
            Self::PaymentReceived => ("Paiement reçu", "Payment received"),
            Self::Withdrawn => ("Désistement", "Claim withdrawn"),
            Self::Closed => ("Dossier clos", "File closed"),
        };
        Text::new(self.as_str(), fr, en)
    }

    /// What the stage does to the limitation of the file's claims.
    pub fn limitation_effect(self) -> Option<LimitationEffect> {
        match self {
            Self::RequestFiled | Self::InvitationSent => Some(LimitationEffect::CourtClaim),
            Self::OrderRejected => Some(LimitationEffect::Dismissed),
            Self::Withdrawn => Some(LimitationEffect::Withdrawn),
            Self::Enforceable => Some(LimitationEffect::Title),
            Self::EnforcementAct => Some(LimitationEffect::EnforcementAct),
            _ => None,
        }
    }
}

impl FromStr for StageKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == key)
            .ok_or_else(|| {
                let all = Self::ALL.map(StageKind::as_str).join(", ");
                crate::tr!(
                    "{s:?} is not one of: {all}",
                    "{s:?} n'est pas parmi : {all}"
                )
            })
    }
}

/// The limitation event a stage amounts to (C. civ. 2241–2244, CPCE L111-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitationEffect {
    /// A court claim: interrupts until the end of the proceedings (2241, 2242).
    CourtClaim,
    /// The claim was rejected: the interruption is void (2243).
    Dismissed,
    /// The claim was withdrawn: the interruption is void (2243).
    Withdrawn,
    /// An enforceable title: ten years to enforce it (L111-4).
    Title,
    /// An enforcement act: interrupts (2244).
    EnforcementAct,
}

/// A stage as the rules read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub kind: StageKind,
    pub on: Date,
}

/// Why a stage cannot follow the file's stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRefusal(pub String);

impl fmt::Display for StageRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn last_of(stages: &[Stage], kinds: &[StageKind]) -> Option<Stage> {
    stages
        .iter()
        .rev()
        .find(|s| kinds.contains(&s.kind))
        .copied()
}

fn has_since(stages: &[Stage], kind: StageKind, since: Option<Stage>) -> bool {
    let start = since.map_or(0, |s| {
        stages
            .iter()
            .rposition(|x| *x == s)
            .map_or(0, |position| position + 1)
    });
    stages[start..].iter().any(|s| s.kind == kind)
}

/// Whether `next` may follow `stages` (in the order recorded) on a file going by `route`.
/// `stages` is assumed valid. The refusal names the stage and says why, in the process's
/// language.
pub fn check_next_stage(route: Route, stages: &[Stage], next: Stage) -> Result<(), StageRefusal> {
    let refuse = |en: String, fr: String| Err(StageRefusal(crate::lang::tr(&en, &fr)));
    let name = next.kind.name();
    if let Some(last) = stages.last() {
        if last.kind == StageKind::Closed {
            return refuse(
                "the file is closed: no stage can follow".into(),
                "le dossier est clos : aucune étape ne peut suivre".into(),
            );
        }
        if next.on < last.on {
            let last_name = last.kind.name();
            return refuse(
                format!(
                    "date: {} ({}) is before the previous stage, {} on {}",
                    next.on, name.en, last_name.en, last.on
                ),
                format!(
                    "date : {} ({}) précède l'étape précédente, {} du {}",
                    next.on, name.fr, last_name.fr, last.on
                ),
            );
        }
    }
    // The current request: the last one filed, and what happened to it since.
    let request = last_of(stages, &[StageKind::RequestFiled]);
    let request_ended = has_since(stages, StageKind::Withdrawn, request)
        || has_since(stages, StageKind::OrderRejected, request);
    let pending = request.is_some() && !request_ended;
    let made = pending && has_since(stages, StageKind::OrderMade, request);
    let served = made && has_since(stages, StageKind::OrderServed, request);
    let opposed = served && has_since(stages, StageKind::Opposition, request);
    let enforceable = stages.iter().any(|s| s.kind == StageKind::Enforceable);
    let invitation = last_of(stages, &[StageKind::InvitationSent]);
    let answered = has_since(stages, StageKind::DebtorAgreed, invitation)
        || has_since(stages, StageKind::DebtorRefused, invitation);
    let needs = |what_en: &str, what_fr: &str| {
        refuse(
            format!("{} needs {what_en} first", name.en),
            format!("{} suppose d'abord {what_fr}", name.fr),
        )
    };
    let small_claims = route == Route::PetitesCreances;
    match next.kind {
        StageKind::RequestFiled if small_claims => refuse(
            "the simplified small-claims procedure has no court request: record the invitation sent by the commissaire de justice".into(),
            "la procédure simplifiée de recouvrement des petites créances n'a pas de requête : enregistrez l'invitation envoyée par le commissaire de justice".into(),
        ),
        StageKind::RequestFiled if pending => refuse(
            "a request is already pending: record its outcome or its withdrawal first".into(),
            "une requête est déjà en cours : enregistrez d'abord son issue ou le désistement".into(),
        ),
        StageKind::RequestFiled if enforceable => refuse(
            "the file already has an enforceable title".into(),
            "le dossier a déjà un titre exécutoire".into(),
        ),
        StageKind::InvitationSent if !small_claims => refuse(
            "an invitation belongs to the simplified small-claims procedure only".into(),
            "l'invitation n'existe que dans la procédure simplifiée de recouvrement des petites créances".into(),
        ),
        StageKind::InvitationSent if invitation.is_some() && !answered => refuse(
            "an invitation is already waiting for the debtor's answer".into(),
            "une invitation attend déjà la réponse du débiteur".into(),
        ),
        StageKind::DebtorAgreed | StageKind::DebtorRefused if invitation.is_none() || answered => {
            needs("an invitation waiting for an answer", "une invitation en attente de réponse")
        }
        StageKind::OrderMade | StageKind::OrderRejected if !pending => {
            needs("a pending request", "une requête en cours")
        }
        StageKind::OrderMade | StageKind::OrderRejected if made => refuse(
            "the court has already ruled on the pending request".into(),
            "le juge a déjà statué sur la requête en cours".into(),
        ),
        StageKind::OrderServed if !made => needs("an order made", "une ordonnance rendue"),
        StageKind::OrderServed if served => refuse(
            "the order has already been served".into(),
            "l'ordonnance a déjà été signifiée".into(),
        ),
        StageKind::Opposition
            if !matches!(
                route,
                Route::InjonctionDePayer | Route::EuropeanOrderForPayment
            ) =>
        {
            refuse(
                "opposition belongs to an order for payment only".into(),
                "l'opposition n'existe que contre une injonction de payer".into(),
            )
        }
        StageKind::Opposition if !served => needs("the order served", "la signification de l'ordonnance"),
        StageKind::Opposition if opposed => refuse(
            "the opposition is already recorded".into(),
            "l'opposition est déjà enregistrée".into(),
        ),
        StageKind::Enforceable if enforceable => refuse(
            "the file already has an enforceable title".into(),
            "le dossier a déjà un titre exécutoire".into(),
        ),
        StageKind::Enforceable if small_claims => {
            if invitation.is_some() && has_since(stages, StageKind::DebtorAgreed, invitation) {
                Ok(())
            } else {
                needs("the debtor's agreement", "l'accord du débiteur")
            }
        }
        StageKind::Enforceable if !made => needs("an order or judgment made", "une décision rendue"),
        StageKind::Enforceable
            if !opposed
                && matches!(
                    route,
                    Route::InjonctionDePayer | Route::EuropeanOrderForPayment
                ) =>
        {
            // Without opposition, the order is enforceable once the opposition period
            // after service has run (1416; Reg. 1896/2006 art. 16).
            let Some(service) = last_of(stages, &[StageKind::OrderServed]).filter(|_| served)
            else {
                return needs("the order served", "la signification de l'ordonnance");
            };
            match opposition_deadline(route, service.on) {
                Ok(deadline) if next.on > deadline.due => Ok(()),
                Ok(deadline) => refuse(
                    format!(
                        "the opposition period runs until {} included: the order is enforceable from the next day",
                        deadline.due
                    ),
                    format!(
                        "le délai d'opposition court jusqu'au {} inclus : l'ordonnance est exécutoire le lendemain",
                        deadline.due
                    ),
                ),
                Err(e) => refuse(e.to_string(), e.to_string()),
            }
        }
        StageKind::EnforcementAct if !enforceable => {
            needs("an enforceable title", "un titre exécutoire")
        }
        StageKind::Withdrawn
            if !(pending || (small_claims && invitation.is_some() && !answered)) =>
        {
            needs("a pending request", "une requête en cours")
        }
        StageKind::Withdrawn if enforceable => refuse(
            "the file already has an enforceable title: close it instead".into(),
            "le dossier a déjà un titre exécutoire : clôturez-le plutôt".into(),
        ),
        _ => Ok(()),
    }
}

/// A deadline the law sets on a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Serve the order within six months or it lapses (C. pr. civ. 1411).
    ServeOrder,
    /// The debtor's period to oppose the served order (1416; Reg. 1896/2006 art. 16).
    Opposition,
    /// The debtor's month to answer the small-claims invitation (CPCE R125-1 s.).
    SmallClaimsAnswer,
    /// Legal-rate interest gains five points (C. mon. fin. L313-3).
    RateIncrease,
    /// The ten years to enforce the title (CPCE L111-4).
    EnforceTitle,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ServeOrder => "serve_order",
            Self::Opposition => "opposition",
            Self::SmallClaimsAnswer => "small_claims_answer",
            Self::RateIncrease => "rate_increase",
            Self::EnforceTitle => "enforce_title",
        }
    }

    pub fn basis(self, route: Route) -> &'static str {
        match (self, route) {
            (Self::ServeOrder, _) => "C. pr. civ. 1411",
            (Self::Opposition, Route::EuropeanOrderForPayment) => "Règl. (CE) 1896/2006 art. 16",
            (Self::Opposition, _) => "C. pr. civ. 1416",
            (Self::SmallClaimsAnswer, _) => "CPCE L125-1, R125-1 s.",
            (Self::RateIncrease, _) => "C. mon. fin. L313-3",
            (Self::EnforceTitle, _) => "CPCE L111-4",
        }
    }

    pub fn name(self) -> Text {
        let (fr, en) = match self {
            Self::ServeOrder => (
                "Signifier l'ordonnance (à défaut, elle est non avenue)",
                "Serve the order (or it lapses)",
            ),
            Self::Opposition => ("Fin du délai d'opposition", "End of the opposition period"),
            Self::SmallClaimsAnswer => (
                "Réponse du débiteur à l'invitation (silence = refus)",
                "Debtor's answer to the invitation (silence = refusal)",
            ),
            Self::RateIncrease => (
                "Taux légal majoré de cinq points",
                "Legal rate increased by five points",
            ),
            Self::EnforceTitle => (
                "Fin du délai d'exécution du titre",
                "End of the title's enforcement period",
            ),
        };
        Text::new(self.as_str(), fr, en)
    }
}

/// A deadline, computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    /// The last day, included, after any extension to a working day.
    pub due: Date,
    /// The day the period itself ends (C. pr. civ. 641), when it was extended (642).
    pub extended_from: Option<Date>,
    /// The day that started the period.
    pub from: Date,
    pub basis: &'static str,
    pub name: Text,
}

/// The last day of a procedural period: the day the period ends, extended to the next
/// working day when it is not one (C. pr. civ. 642).
fn procedural(kind: DeadlineKind, route: Route, from: Date, end: Date) -> Deadline {
    let (due, extended_from) = if is_business_day_fr(end) {
        (end, None)
    } else {
        (next_business_day_fr(end), Some(end))
    };
    Deadline {
        kind,
        due,
        extended_from,
        from,
        basis: kind.basis(route),
        name: kind.name(),
    }
}

/// The opposition period after service: one month (1416), thirty days for the European
/// order (art. 16).
pub fn opposition_deadline(route: Route, served_on: Date) -> Result<Deadline, LawError> {
    let end = match route {
        Route::EuropeanOrderForPayment => add_days(served_on, 30)?,
        _ => add_months(served_on, 1)?,
    };
    Ok(procedural(DeadlineKind::Opposition, route, served_on, end))
}

/// The deadlines still ahead of a file (those a later stage has not met), in date order.
/// A closed or withdrawn file has none.
pub fn deadlines(route: Route, stages: &[Stage]) -> Result<Vec<Deadline>, LawError> {
    let mut out = Vec::new();
    let ended = stages
        .iter()
        .rev()
        .find(|s| s.kind != StageKind::PaymentReceived);
    if ended.is_some_and(|s| {
        matches!(
            s.kind,
            StageKind::Closed | StageKind::Withdrawn | StageKind::OrderRejected
        )
    }) {
        return Ok(out);
    }
    let after = |stage: Stage, kind: StageKind| {
        stages
            .iter()
            .skip_while(|s| **s != stage)
            .skip(1)
            .any(|s| s.kind == kind)
    };
    let enforceable = last_of(stages, &[StageKind::Enforceable]);
    if let Some(title) = enforceable {
        let increase = add_months(title.on, 2)?;
        out.push(Deadline {
            kind: DeadlineKind::RateIncrease,
            due: increase,
            extended_from: None,
            from: title.on,
            basis: DeadlineKind::RateIncrease.basis(route),
            name: DeadlineKind::RateIncrease.name(),
        });
        out.push(Deadline {
            kind: DeadlineKind::EnforceTitle,
            due: add_months(title.on, 120)?,
            extended_from: None,
            from: title.on,
            basis: DeadlineKind::EnforceTitle.basis(route),
            name: DeadlineKind::EnforceTitle.name(),
        });
    } else if let Some(made) = last_of(stages, &[StageKind::OrderMade]) {
        let orders = matches!(
            route,
            Route::InjonctionDePayer | Route::EuropeanOrderForPayment
        );
        match last_of(stages, &[StageKind::OrderServed]).filter(|s| s.on >= made.on) {
            None if route == Route::InjonctionDePayer => {
                let end = add_months(made.on, 6)?;
                out.push(procedural(DeadlineKind::ServeOrder, route, made.on, end));
            }
            Some(served) if orders && !after(served, StageKind::Opposition) => {
                out.push(opposition_deadline(route, served.on)?);
            }
            _ => {}
        }
    } else if let Some(sent) = last_of(stages, &[StageKind::InvitationSent])
        && !after(sent, StageKind::DebtorAgreed)
        && !after(sent, StageKind::DebtorRefused)
    {
        let end = add_months(sent.on, 1)?;
        out.push(procedural(
            DeadlineKind::SmallClaimsAnswer,
            route,
            sent.on,
            end,
        ));
    }
    out.sort_by_key(|d| d.due);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn stage(kind: StageKind, on: Date) -> Stage {
        Stage { kind, on }
    }

    const IP: Route = Route::InjonctionDePayer;

    #[test]
    fn six_months_to_serve_at_a_month_end() {
        // Order made 31 August 2026: six months later is 28 February 2027 (no 31st in
        // February, C. pr. civ. 641), a Sunday → extended to Monday 1 March 2027 (642).
        let stages = [
            stage(StageKind::RequestFiled, date(2026, 8, 3)),
            stage(StageKind::OrderMade, date(2026, 8, 31)),
        ];
        let d = deadlines(IP, &stages).expect("deadlines");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, DeadlineKind::ServeOrder);
        assert_eq!(d[0].extended_from, Some(date(2027, 2, 28)));
        assert_eq!(d[0].due, date(2027, 3, 1));
        assert_eq!(d[0].basis, "C. pr. civ. 1411");
        // Made 15 January 2027: 15 July 2027, a Thursday — no extension.
        let stages = [
            stage(StageKind::RequestFiled, date(2027, 1, 4)),
            stage(StageKind::OrderMade, date(2027, 1, 15)),
        ];
        let d = deadlines(IP, &stages).expect("deadlines");
        assert_eq!((d[0].due, d[0].extended_from), (date(2027, 7, 15), None));
    }

    #[test]
    fn one_month_to_oppose_at_a_month_end_and_over_a_holiday() {
        // Served 31 January 2027: one month → 28 February 2027 (641), a Sunday → Monday
        // 1 March.
        let served = [
            stage(StageKind::RequestFiled, date(2026, 11, 2)),
            stage(StageKind::OrderMade, date(2026, 12, 1)),
            stage(StageKind::OrderServed, date(2027, 1, 31)),
        ];
        let d = deadlines(IP, &served).expect("deadlines");
        assert_eq!(d.len(), 1, "service ends the service deadline: {d:?}");
        assert_eq!(d[0].kind, DeadlineKind::Opposition);
        assert_eq!(d[0].due, date(2027, 3, 1));
        // Served 14 October 2026: 14 November 2026 is a Saturday → Monday 16 November.
        let d = opposition_deadline(IP, date(2026, 10, 14)).expect("deadline");
        assert_eq!(
            (d.due, d.extended_from),
            (date(2026, 11, 16), Some(date(2026, 11, 14)))
        );
        // Served 1 April 2027: 1 May 2027 is Labour Day (Saturday) → Monday 3 May.
        let d = opposition_deadline(IP, date(2027, 4, 1)).expect("deadline");
        assert_eq!(d.due, date(2027, 5, 3));
        // Served 30 March 2027: 30 April 2027, a Friday.
        let d = opposition_deadline(IP, date(2027, 3, 30)).expect("deadline");
        assert_eq!((d.due, d.extended_from), (date(2027, 4, 30), None));
        // The European order: 30 days. Served 2 November 2026 → 2 December 2026 (Wed).
        let d = opposition_deadline(Route::EuropeanOrderForPayment, date(2026, 11, 2))
            .expect("deadline");
        assert_eq!(d.due, date(2026, 12, 2));
        assert_eq!(d.basis, "Règl. (CE) 1896/2006 art. 16");
    }

    #[test]
    fn the_title_brings_the_rate_increase_and_ten_years() {
        let stages = [
            stage(StageKind::RequestFiled, date(2026, 1, 5)),
            stage(StageKind::OrderMade, date(2026, 2, 2)),
            stage(StageKind::OrderServed, date(2026, 2, 16)),
            stage(StageKind::Enforceable, date(2026, 3, 17)),
        ];
        let d = deadlines(IP, &stages).expect("deadlines");
        let kinds: Vec<_> = d.iter().map(|d| (d.kind, d.due)).collect();
        assert_eq!(
            kinds,
            [
                (DeadlineKind::RateIncrease, date(2026, 5, 17)),
                (DeadlineKind::EnforceTitle, date(2036, 3, 17)),
            ]
        );
    }

    #[test]
    fn small_claims_month_to_answer() {
        let stages = [stage(StageKind::InvitationSent, date(2026, 12, 1))];
        let d = deadlines(Route::PetitesCreances, &stages).expect("deadlines");
        // 1 January 2027 is a public holiday (Friday) → Monday 4 January.
        assert_eq!(d[0].kind, DeadlineKind::SmallClaimsAnswer);
        assert_eq!(d[0].due, date(2027, 1, 4));
        let answered = [
            stage(StageKind::InvitationSent, date(2026, 12, 1)),
            stage(StageKind::DebtorRefused, date(2026, 12, 20)),
        ];
        assert!(
            deadlines(Route::PetitesCreances, &answered)
                .expect("deadlines")
                .is_empty()
        );
    }

    #[test]
    fn stages_must_follow_each_other() {
        let filed = [stage(StageKind::RequestFiled, date(2026, 5, 4))];
        // A date before the previous stage.
        let err = check_next_stage(IP, &filed, stage(StageKind::OrderMade, date(2026, 5, 1)))
            .expect_err("earlier date");
        assert!(err.0.contains("2026-05-01"), "{err}");
        assert!(err.0.contains("2026-05-04"), "{err}");
        // Service before an order.
        assert!(
            check_next_stage(IP, &filed, stage(StageKind::OrderServed, date(2026, 5, 5))).is_err()
        );
        assert!(
            check_next_stage(IP, &filed, stage(StageKind::OrderMade, date(2026, 5, 20))).is_ok()
        );
        // Enforceable only once the opposition period has run: served 1 June 2026 →
        // period ends 1 July 2026 (Wednesday) included.
        let served = [
            stage(StageKind::RequestFiled, date(2026, 5, 4)),
            stage(StageKind::OrderMade, date(2026, 5, 20)),
            stage(StageKind::OrderServed, date(2026, 6, 1)),
        ];
        let early = stage(StageKind::Enforceable, date(2026, 7, 1));
        let err = check_next_stage(IP, &served, early).expect_err("too early");
        assert!(err.0.contains("2026-07-01"), "{err}");
        assert!(
            check_next_stage(IP, &served, stage(StageKind::Enforceable, date(2026, 7, 2))).is_ok()
        );
        // Nothing after closure.
        let closed = [
            stage(StageKind::RequestFiled, date(2026, 5, 4)),
            stage(StageKind::Closed, date(2026, 6, 4)),
        ];
        assert!(
            check_next_stage(
                IP,
                &closed,
                stage(StageKind::PaymentReceived, date(2026, 7, 1))
            )
            .is_err()
        );
        // Small claims have no request, ordinary orders no invitation.
        assert!(
            check_next_stage(
                Route::PetitesCreances,
                &[],
                stage(StageKind::RequestFiled, date(2026, 5, 4))
            )
            .is_err()
        );
        assert!(
            check_next_stage(IP, &[], stage(StageKind::InvitationSent, date(2026, 5, 4))).is_err()
        );
    }

    #[test]
    fn withdrawal_and_rejection_end_the_request() {
        let withdrawn = [
            stage(StageKind::RequestFiled, date(2026, 5, 4)),
            stage(StageKind::Withdrawn, date(2026, 5, 10)),
        ];
        assert!(deadlines(IP, &withdrawn).expect("deadlines").is_empty());
        // A new request may follow a withdrawal.
        assert!(
            check_next_stage(
                IP,
                &withdrawn,
                stage(StageKind::RequestFiled, date(2026, 6, 1))
            )
            .is_ok()
        );
        assert_eq!(
            StageKind::Withdrawn.limitation_effect(),
            Some(LimitationEffect::Withdrawn)
        );
        assert_eq!(
            StageKind::RequestFiled.limitation_effect(),
            Some(LimitationEffect::CourtClaim)
        );
    }

    #[test]
    fn decisions_parse_from_their_codes_and_aliases() {
        for d in Decision::ALL {
            assert_eq!(d.code().parse::<Decision>(), Ok(d));
        }
        assert_eq!(
            "ip".parse::<Decision>(),
            Ok(Decision::Litigate {
                route: Route::InjonctionDePayer
            })
        );
        assert!("court".parse::<Decision>().is_err());
    }
}
