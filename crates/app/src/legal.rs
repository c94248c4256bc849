//! The judicial phase (issue 18): legal files ("dossiers contentieux"), from the decision
//! at the court's door to the enforceable title, its enforcement and what it recovered.
//!
//! A file is opened by a decision on a debtor's overdue claims: a route among those the
//! routes advisor ([`crate::law::debtor_routes`]) finds open, with the advisor's figures at
//! that moment, or a decision not to litigate (write-off, keep amicable, sell). The claims
//! and their amounts (principal, interest with its basis, indemnities) are frozen as of the
//! opening day; [`amounts`] recomputes them as of any later day, with the post-judgment
//! interest of C. mon. fin. L313-3 once the title is enforceable. While a file is open the
//! daily run leaves its claims alone ([`claims_in_open_files`]) and raises a task before
//! each statutory deadline ([`deadline_tasks`]).
//!
//! Stages follow the rules of `domain::law::judicial`; each stage that interrupts or voids
//! an interruption of limitation records the matching limitation event on every claim of
//! the file, in the same transaction. Costs are entered in the file's currency, each
//! marked recoverable from the debtor or borne by the creditor. A payment collected during
//! the procedure (by a commissaire de justice, a lawyer) is posted to the claims' ledgers,
//! oldest due date first, and kept in the file for the reports.
//!
//! Storage: one row per file (`legal_files`, migration 0015), the content as the JSON of
//! [`FileData`], updated whole under optimistic concurrency (`version`).

use crate::audit::{self, Actor};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::law::{ClaimPenalties, debtor_routes};
use crate::store::{
    ActionStatus, LegalFileFilter, LegalFileState, LimitationEventKind, Store, StoredExhibit,
    StoredLegalFile, Tx,
};
use domain::law::judicial::{
    self, Deadline, Decision, LimitationEffect, Outcome, Stage, StageKind,
};
use domain::law::{
    InterestRequest, LegalRateCategory, PartPayment, RateTables, Regime, Route, late_interest,
};
use domain::money::Currency;
use domain::{ClaimId, ClaimLedger, CreditorId, Date, DebtorId, EntryKind, Money, Segment};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// The largest document attached to a file: 20 MB.
pub const MAX_EXHIBIT_BYTES: usize = 20 * 1024 * 1024;

/// Days before a statutory deadline the run raises its task.
pub const DEADLINE_NOTICE_DAYS: i32 = 14;

/// The pseudo-scenario of the legal deadline tasks.
pub const LEGAL_SCENARIO: &str = "legal";

/// A kind of cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// Court fees (greffe).
    CourtFee,
    /// A commissaire de justice's fees (service, enforcement).
    Commissaire,
    /// A lawyer's fees.
    Lawyer,
    /// Translation (European procedures, foreign debtors).
    Translation,
    /// An amount the court awarded the creditor under article 700 C. pr. civ. (or the
    /// dépens): claimed from the debtor, not a cost borne.
    Article700,
    Other,
}

impl CostKind {
    pub const ALL: [CostKind; 6] = [
        CostKind::CourtFee,
        CostKind::Commissaire,
        CostKind::Lawyer,
        CostKind::Translation,
        CostKind::Article700,
        CostKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CourtFee => "court_fee",
            Self::Commissaire => "commissaire",
            Self::Lawyer => "lawyer",
            Self::Translation => "translation",
            Self::Article700 => "article_700",
            Self::Other => "other",
        }
    }

    /// (English, French) name.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::CourtFee => ("Court fees", "Frais de greffe"),
            Self::Commissaire => ("Commissaire de justice", "Commissaire de justice"),
            Self::Lawyer => ("Lawyer", "Avocat"),
            Self::Translation => ("Translation", "Traduction"),
            Self::Article700 => (
                "Awarded under art. 700 C. pr. civ.",
                "Article 700 du code de procédure civile",
            ),
            Self::Other => ("Other", "Autre"),
        }
    }
}

impl fmt::Display for CostKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CostKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == key)
            .ok_or_else(|| {
                domain::tr!(
                    "{s:?} is not one of: court_fee, commissaire, lawyer, translation, article_700, other",
                    "{s:?} n'est pas parmi : court_fee, commissaire, lawyer, translation, article_700, other"
                )
            })
    }
}

/// The advisor's figures when the decision was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdviceAtDecision {
    /// The recommendation's code (`advice.litigate`...).
    pub recommendation: String,
    pub advised_route: Option<Route>,
    pub text_en: String,
    pub text_fr: String,
    /// Principal + interest + indemnity of the claims litigated.
    pub total: Money,
    pub expected_recovery: Money,
    /// The chosen route's cost estimate and worst-case net, when a route was chosen.
    pub cost_low: Option<Money>,
    pub cost_high: Option<Money>,
    pub expected_net_worst_case: Option<Money>,
}

/// A claim of the file with its amounts as of the opening day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenClaim {
    pub claim_id: ClaimId,
    pub number: String,
    pub issue_date: Date,
    pub due_date: Date,
    /// Invoiced, all taxes included (invoices less credit notes).
    pub amount: Money,
    /// Paid or credited by the opening day.
    pub paid: Money,
    /// Principal (and fees) still due.
    pub principal: Money,
    /// Interest due: posted and unpaid plus computed and not posted.
    pub interest: Money,
    /// How the interest was computed, for the request (English, French).
    pub interest_basis_en: String,
    pub interest_basis_fr: String,
    pub indemnity: Money,
}

impl FrozenClaim {
    pub fn total(&self) -> Money {
        Money::from_minor(
            self.principal.minor() + self.interest.minor() + self.indemnity.minor(),
            self.principal.currency(),
        )
    }
}

/// A stage as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    pub kind: StageKind,
    pub on: Date,
    pub outcome: Option<Outcome>,
    /// The court's or the commissaire's reference (RG number, act number).
    pub reference: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A cost as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostRecord {
    pub kind: CostKind,
    pub on: Date,
    pub amount: Money,
    /// Recoverable from the debtor (dépens, art. 700) rather than borne by the creditor.
    pub recoverable: bool,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A payment collected during the procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub on: Date,
    pub amount: Money,
    /// Who collected it (the commissaire de justice, the lawyer, the creditor).
    pub collected_by: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// The content of a file (the `data` JSON of its row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileData {
    pub decision: Decision,
    /// Why, in the words of the person who decided.
    pub reason: Option<String>,
    pub advice: AdviceAtDecision,
    /// The court seized ("Tribunal de commerce de Lyon").
    pub court: Option<String>,
    /// The lawyer or commissaire de justice handling the file (name, address).
    pub agent: Option<String>,
    pub currency: Currency,
    /// The day the amounts were frozen (the opening day).
    pub frozen_on: Date,
    pub claims: Vec<FrozenClaim>,
    #[serde(default)]
    pub stages: Vec<StageRecord>,
    #[serde(default)]
    pub costs: Vec<CostRecord>,
    #[serde(default)]
    pub payments: Vec<PaymentRecord>,
}

/// A legal file: its row and its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalFile {
    pub id: i64,
    pub debtor_id: DebtorId,
    pub creditor_id: CreditorId,
    pub state: LegalFileState,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    pub next_deadline: Option<Date>,
    pub version: i64,
    pub recorded_by: String,
    pub recorded_at: String,
    pub updated_at: String,
    pub data: FileData,
}

impl LegalFile {
    /// `DOSSIER-12`: how documents name the file.
    pub fn reference(&self) -> String {
        format!("DOSSIER-{}", self.id)
    }

    pub fn route(&self) -> Option<Route> {
        self.data.decision.route()
    }

    pub fn claim_ids(&self) -> Vec<ClaimId> {
        self.data.claims.iter().map(|c| c.claim_id).collect()
    }

    /// The stages as the rules read them.
    pub fn stages(&self) -> Vec<Stage> {
        self.data
            .stages
            .iter()
            .map(|s| Stage {
                kind: s.kind,
                on: s.on,
            })
            .collect()
    }

    /// The last stage recorded, if any.
    pub fn last_stage(&self) -> Option<&StageRecord> {
        self.data.stages.last()
    }

    /// The day the title became enforceable, if it has.
    pub fn title_on(&self) -> Option<Date> {
        self.data
            .stages
            .iter()
            .find(|s| s.kind == StageKind::Enforceable)
            .map(|s| s.on)
    }

    /// The deadlines ahead (none unless the file is open and litigated).
    pub fn deadlines(&self) -> AppResult<Vec<Deadline>> {
        match (self.state, self.route()) {
            (LegalFileState::Open, Some(route)) => judicial::deadlines(route, &self.stages())
                .map_err(|e| AppError::Invalid(e.to_string())),
            _ => Ok(Vec::new()),
        }
    }

    fn sum(&self, amounts: impl Iterator<Item = Money>) -> Money {
        Money::from_minor(amounts.map(|m| m.minor()).sum(), self.data.currency)
    }

    /// The frozen total claimed: principal + interest + indemnities of every claim.
    pub fn frozen_total(&self) -> Money {
        self.sum(self.data.claims.iter().map(FrozenClaim::total))
    }

    /// Costs recoverable from the debtor.
    pub fn costs_recoverable(&self) -> Money {
        self.sum(
            self.data
                .costs
                .iter()
                .filter(|c| c.recoverable)
                .map(|c| c.amount),
        )
    }

    /// Costs borne by the creditor (excluding art. 700 awards, which are not spent).
    pub fn costs_borne(&self) -> Money {
        self.sum(
            self.data
                .costs
                .iter()
                .filter(|c| !c.recoverable && c.kind != CostKind::Article700)
                .map(|c| c.amount),
        )
    }

    /// Every cost spent by the creditor on the file, recoverable or not (art. 700 awards
    /// are not spent).
    pub fn costs_spent(&self) -> Money {
        self.sum(
            self.data
                .costs
                .iter()
                .filter(|c| c.kind != CostKind::Article700)
                .map(|c| c.amount),
        )
    }

    /// Collected during the procedure.
    pub fn collected(&self) -> Money {
        self.sum(self.data.payments.iter().map(|p| p.amount))
    }

    fn from_stored(row: StoredLegalFile) -> AppResult<Self> {
        let data: FileData = serde_json::from_str(&row.data).map_err(|e| {
            AppError::Invalid(domain::tr!(
                "legal file {}: its stored content cannot be read ({e})",
                "dossier {} : son contenu enregistré est illisible ({e})",
                row.id
            ))
        })?;
        Ok(Self {
            id: row.id,
            debtor_id: row.debtor_id,
            creditor_id: row.creditor_id,
            state: row.state,
            opened_on: row.opened_on,
            closed_on: row.closed_on,
            next_deadline: row.next_deadline,
            version: row.version,
            recorded_by: row.recorded_by,
            recorded_at: row.recorded_at,
            updated_at: row.updated_at,
            data,
        })
    }

    fn to_stored(&self) -> AppResult<StoredLegalFile> {
        Ok(StoredLegalFile {
            id: self.id,
            debtor_id: self.debtor_id,
            creditor_id: self.creditor_id,
            decision: self.data.decision.code().to_string(),
            state: self.state,
            opened_on: self.opened_on,
            closed_on: self.closed_on,
            claims: self.claim_ids(),
            next_deadline: self.next_deadline,
            data: serde_json::to_string(&self.data)
                .map_err(|e| AppError::Invalid(e.to_string()))?,
            version: self.version,
            recorded_by: self.recorded_by.clone(),
            recorded_at: self.recorded_at.clone(),
            updated_at: self.updated_at.clone(),
        })
    }

    /// Recomputes the next deadline column from the stages.
    fn refresh_deadline(&mut self) -> AppResult<()> {
        self.next_deadline = self.deadlines()?.iter().map(|d| d.due).min();
        Ok(())
    }
}

/// Reads one file.
pub async fn get(tx: &mut dyn Tx, id: i64) -> AppResult<LegalFile> {
    let row = tx
        .legal_files(&LegalFileFilter {
            id: Some(id),
            ..LegalFileFilter::default()
        })
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound {
            what: "legal file",
            id: id.to_string(),
        })?;
    LegalFile::from_stored(row)
}

/// Files matching a filter, by id.
pub async fn list(tx: &mut dyn Tx, filter: &LegalFileFilter) -> AppResult<Vec<LegalFile>> {
    tx.legal_files(filter)
        .await?
        .into_iter()
        .map(LegalFile::from_stored)
        .collect()
}

/// The claims in an open file: the daily run leaves them alone.
pub async fn claims_in_open_files(tx: &mut dyn Tx) -> AppResult<HashSet<ClaimId>> {
    Ok(tx
        .legal_files(&LegalFileFilter {
            states: vec![LegalFileState::Open],
            ..LegalFileFilter::default()
        })
        .await?
        .into_iter()
        .flat_map(|f| f.claims)
        .collect())
}

/// Text a person typed: trimmed, at most `max` characters, no control character; `None`
/// when empty.
fn clean(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max || v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::Invalid(domain::tr!(
            "{field}: at most {max} characters, no control character",
            "{field} : {max} caractères au plus, sans caractère de contrôle"
        )));
    }
    Ok(Some(v.to_string()))
}

/// How a decision is asked for.
#[derive(Debug, Clone, Default)]
pub struct OpenRequest {
    pub debtor: Option<DebtorId>,
    pub decision: Option<Decision>,
    /// The claims to litigate; every overdue claim the advisor counts when empty.
    pub claims: Vec<ClaimId>,
    pub court: Option<String>,
    pub agent: Option<String>,
    pub reason: Option<String>,
}

fn regime_names(regime: &Regime) -> (String, String) {
    match regime {
        Regime::FranceB2bStatutory { .. } => (
            "ECB rate + 10 points (C. com. L441-10 II)".into(),
            "taux BCE + 10 points (C. com. L441-10 II)".into(),
        ),
        Regime::FranceB2bContractual { annual_rate } => (
            format!("agreed rate {annual_rate} % (floor 3 × legal rate, C. com. L441-10 II)"),
            format!(
                "taux contractuel {} % (plancher 3 × taux légal, C. com. L441-10 II)",
                annual_rate.to_string().replace('.', ",")
            ),
        ),
        Regime::FranceB2bLegalMultiple { multiple } => (
            format!("{multiple} × the legal rate (C. com. L441-10 II)"),
            format!(
                "{} × le taux légal (C. com. L441-10 II)",
                multiple.to_string().replace('.', ",")
            ),
        ),
        Regime::FranceB2bEcbPlus { points } => (
            format!("ECB rate + {points} points (C. com. L441-10 II)"),
            format!(
                "taux BCE + {} points (C. com. L441-10 II)",
                points.to_string().replace('.', ",")
            ),
        ),
        Regime::FranceLegal { .. } => (
            "legal rate (C. civ. 1231-6, 1344-1)".into(),
            "taux de l'intérêt légal (C. civ. 1231-6, 1344-1)".into(),
        ),
        Regime::GermanyB2b => (
            "base rate + 9 points (BGB §288(2))".into(),
            "taux de base + 9 points (BGB §288(2))".into(),
        ),
        Regime::GermanyB2c => (
            "base rate + 5 points (BGB §288(1))".into(),
            "taux de base + 5 points (BGB §288(1))".into(),
        ),
        Regime::UkCommercial => (
            "Bank Rate + 8 points (Late Payment Act 1998)".into(),
            "taux de la Banque d'Angleterre + 8 points (Late Payment Act 1998)".into(),
        ),
        Regime::FixedRate { annual_rate } => (
            format!("agreed rate {annual_rate} %"),
            format!(
                "taux convenu {} %",
                annual_rate.to_string().replace('.', ",")
            ),
        ),
    }
}

/// The interest basis of a claim's penalties, for the request (English, French).
fn interest_basis(p: &ClaimPenalties) -> (String, String) {
    match &p.interest {
        Ok(b) if b.total.is_positive() => {
            let (en, fr) = regime_names(&b.regime);
            let mut rates: Vec<String> = Vec::new();
            for period in &b.periods {
                let r = period.annual_rate.normalize().to_string();
                if rates.last() != Some(&r) {
                    rates.push(r);
                }
            }
            let first = b.periods.first().map_or(b.due_date, |p| p.start);
            let rates_en = rates
                .iter()
                .map(|r| format!("{r} %"))
                .collect::<Vec<_>>()
                .join(" then ");
            let rates_fr = rates
                .iter()
                .map(|r| format!("{} %", r.replace('.', ",")))
                .collect::<Vec<_>>()
                .join(" puis ");
            (
                format!("{en}, from {first} to {}: {rates_en}", b.as_of),
                format!(
                    "{fr}, du {} au {} : {rates_fr}",
                    crate::legal::fr_date(first),
                    crate::legal::fr_date(b.as_of)
                ),
            )
        }
        Ok(_) => ("no interest".into(), "pas d'intérêts".into()),
        Err(why) => (
            format!("interest not claimed: {why}"),
            format!("intérêts non réclamés : {why}"),
        ),
    }
}

/// `dd/mm/yyyy`.
pub fn fr_date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// Opens a legal file on a debtor's overdue claims with a decision, in the caller's
/// transaction. Refused, with the reason, when nothing is overdue, a claim named is not
/// one of the debtor's overdue claims or is already in an open file, the route is not
/// open (the advisor's blockers), or a consumer's claim has no formal notice sent.
pub async fn open_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    tables: &RateTables,
    author: &str,
    request: &OpenRequest,
) -> AppResult<LegalFile> {
    let today = clock.today();
    let debtor_id = request.debtor.ok_or_else(|| {
        AppError::Invalid(domain::tr!("debtor: required", "debtor : obligatoire"))
    })?;
    let decision = request.decision.ok_or_else(|| {
        AppError::Invalid(domain::tr!("decision: required", "decision : obligatoire"))
    })?;
    let debtor = tx
        .debtor(debtor_id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "debtor",
            id: debtor_id.to_string(),
        })?;
    let court = clean("court", request.court.as_deref(), 200)?;
    let agent = clean("agent", request.agent.as_deref(), 500)?;
    let reason = clean("reason", request.reason.as_deref(), 1000)?;
    let routes = debtor_routes(tx, debtor_id, today, tables).await?;
    let in_files = claims_in_open_files(tx).await?;
    let mut chosen: Vec<&ClaimPenalties> = Vec::new();
    if request.claims.is_empty() {
        chosen.extend(
            routes
                .claims
                .iter()
                .filter(|p| !in_files.contains(&p.claim_id)),
        );
    } else {
        for id in &request.claims {
            let Some(p) = routes.claims.iter().find(|p| p.claim_id == *id) else {
                let barred = routes.time_barred.iter().find(|t| t.claim_id == *id);
                return Err(AppError::Invalid(match barred {
                    Some(t) => domain::tr!(
                        "claim {}: time-barred since {} — a court would dismiss it",
                        "créance {} : prescrite depuis le {} — un tribunal la rejetterait",
                        t.number,
                        t.deadline
                    ),
                    None => domain::tr!(
                        "claim {id}: not an overdue claim in euros of debtor {debtor_id}",
                        "créance {id} : pas une créance échue en euros du débiteur {debtor_id}"
                    ),
                }));
            };
            chosen.push(p);
        }
    }
    if let Some(p) = chosen.iter().find(|p| in_files.contains(&p.claim_id)) {
        return Err(AppError::Invalid(domain::tr!(
            "claim {}: already in an open legal file",
            "créance {} : déjà dans un dossier contentieux ouvert",
            p.number
        )));
    }
    if chosen.is_empty() {
        return Err(AppError::Invalid(domain::tr!(
            "debtor {}: no overdue claim left to decide on (paid, not yet due, time-barred or already in a file)",
            "débiteur {} : aucune créance échue à traiter (payée, pas encore échue, prescrite ou déjà dans un dossier)",
            debtor.name
        )));
    }
    let advice = &routes.advice;
    let assessment = decision
        .route()
        .and_then(|r| advice.routes.iter().find(|a| a.route == r));
    if let Some(a) = assessment
        && !a.open
    {
        let why_en = a
            .blockers
            .iter()
            .map(|b| b.en.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let why_fr = a
            .blockers
            .iter()
            .map(|b| b.fr.as_str())
            .collect::<Vec<_>>()
            .join(" ; ");
        return Err(AppError::Invalid(domain::tr!(
            "decision: the route {} is not open for this debtor: {why_en}",
            "decision : la voie {} n'est pas ouverte contre ce débiteur : {why_fr}",
            decision.code()
        )));
    }
    if decision.route().is_some() && debtor.segment == Segment::B2c {
        // A consumer owes legal-rate interest only from a formal notice, and no court
        // route should be taken against one without a prior demand (C. civ. 1231-6,
        // 1344-1; domain-rules.md §3, §6).
        let notices = crate::contract::notices(tx, Some(debtor_id)).await?;
        for p in &chosen {
            if !notices
                .iter()
                .any(|n| n.claims.contains(&p.claim_id) && n.sent_on <= today)
            {
                return Err(AppError::Invalid(domain::tr!(
                    "claim {}: a consumer's claim goes to court only after a formal notice (mise en demeure, C. civ. 1344, 1344-1), and none was sent for it — send one and record it first",
                    "créance {} : la créance d'un consommateur ne va en justice qu'après une mise en demeure (C. civ. 1344, 1344-1), et aucune n'a été envoyée pour elle — envoyez-la et enregistrez-la d'abord",
                    p.number
                )));
            }
        }
    }
    let mut claims = Vec::with_capacity(chosen.len());
    for p in &chosen {
        let claim = tx
            .claim(p.claim_id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: "claim",
                id: p.claim_id.to_string(),
            })?;
        let ledger = ClaimLedger::from_entries(claim.currency, tx.ledger_entries(claim.id).await?);
        let (mut invoiced, mut paid) = (0i64, 0i64);
        for e in ledger.entries().iter().filter(|e| e.date <= today) {
            match e.kind {
                EntryKind::Invoice | EntryKind::CreditNote => invoiced += e.amount_minor,
                EntryKind::Payment => paid -= e.amount_minor,
                _ => {}
            }
        }
        let (basis_en, basis_fr) = interest_basis(p);
        claims.push(FrozenClaim {
            claim_id: claim.id,
            number: claim.number.to_string(),
            issue_date: claim.issue_date,
            due_date: claim.due_date,
            amount: Money::from_minor(invoiced, claim.currency),
            paid: Money::from_minor(paid, claim.currency),
            principal: p.principal_due(),
            interest: p.interest_due(),
            interest_basis_en: basis_en,
            interest_basis_fr: basis_fr,
            indemnity: p.indemnity_due(),
        });
    }
    claims.sort_by_key(|c| (c.due_date, c.claim_id));
    let state = match decision {
        Decision::Litigate { .. } => LegalFileState::Open,
        _ => LegalFileState::Declined,
    };
    if decision == Decision::WriteOff {
        let why = reason.clone().unwrap_or_else(|| "legal review".to_string());
        for c in &claims {
            crate::contract::write_off_in(tx, clock, c.claim_id, None, &why, &clock.now_rfc3339())
                .await?;
        }
    }
    let now = clock.now_rfc3339();
    let mut file = LegalFile {
        id: 0,
        debtor_id,
        creditor_id: debtor.creditor_id,
        state,
        opened_on: today,
        closed_on: (state == LegalFileState::Declined).then_some(today),
        next_deadline: None,
        version: 1,
        recorded_by: author.to_string(),
        recorded_at: now.clone(),
        updated_at: now,
        data: FileData {
            decision,
            reason,
            advice: AdviceAtDecision {
                recommendation: advice.recommendation.code.code().to_string(),
                advised_route: advice.recommendation.route,
                text_en: advice.recommendation.text.en.clone(),
                text_fr: advice.recommendation.text.fr.clone(),
                total: advice.total,
                expected_recovery: advice.expected_recovery,
                cost_low: assessment.map(|a| a.cost.low),
                cost_high: assessment.map(|a| a.cost.high),
                expected_net_worst_case: assessment.map(|a| a.expected_net_worst_case),
            },
            court,
            agent,
            currency: Currency::EUR,
            frozen_on: today,
            claims,
            stages: Vec::new(),
            costs: Vec::new(),
            payments: Vec::new(),
        },
    };
    file.id = tx.insert_legal_file(&file.to_stored()?).await?;
    close_reviews(tx, &file).await?;
    Ok(file)
}

/// A debtor's erasure (GDPR): the free texts of its legal files — why the decision was
/// taken, the notes of stages, costs and payments — are removed; amounts, dates, stages,
/// references and the agent stay. Returns how many files changed.
pub(crate) async fn erase_texts(tx: &mut dyn Tx, debtor: DebtorId, now: &str) -> AppResult<usize> {
    let files = list(
        tx,
        &LegalFileFilter {
            debtor: Some(debtor),
            ..LegalFileFilter::default()
        },
    )
    .await?;
    let mut changed = 0;
    for mut file in files {
        let before = file.data.clone();
        file.data.reason = None;
        for s in &mut file.data.stages {
            s.note = None;
        }
        for c in &mut file.data.costs {
            c.note = None;
        }
        for p in &mut file.data.payments {
            p.note = None;
        }
        if file.data != before {
            save(tx, &mut file, now).await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The decision answers the debtor's legal review tasks: those of the run waiting for a
/// person leave the worklist (done).
async fn close_reviews(tx: &mut dyn Tx, file: &LegalFile) -> AppResult<()> {
    let pending = tx
        .actions(&crate::store::ActionFilter {
            statuses: vec![
                ActionStatus::Draft,
                ActionStatus::Planned,
                ActionStatus::Approved,
            ],
            debtor: Some(file.debtor_id),
            limit: None,
        })
        .await?;
    for a in pending.iter().filter(|a| {
        a.channels
            .contains(domain::dunning::Channel::LegalReviewTask)
    }) {
        tx.set_action_status(a.id, a.status, ActionStatus::Done)
            .await?;
    }
    Ok(())
}

/// Writes a changed file, failing when another writer changed it since it was read.
async fn save(tx: &mut dyn Tx, file: &mut LegalFile, now: &str) -> AppResult<()> {
    file.refresh_deadline()?;
    file.version += 1;
    file.updated_at = now.to_string();
    if !tx.update_legal_file(&file.to_stored()?).await? {
        return Err(AppError::Invalid(domain::tr!(
            "legal file {}: changed by someone else meanwhile — reload it and try again",
            "dossier {} : modifié par quelqu'un d'autre entre-temps — rechargez-le et recommencez",
            file.id
        )));
    }
    Ok(())
}

fn open_file(file: &LegalFile) -> AppResult<Route> {
    match (file.state, file.route()) {
        (LegalFileState::Open, Some(route)) => Ok(route),
        _ => Err(AppError::Invalid(domain::tr!(
            "legal file {}: not open ({}, {})",
            "dossier {} : pas ouvert ({}, {})",
            file.id,
            file.state.as_str(),
            file.data.decision.code()
        ))),
    }
}

fn not_future(field: &str, on: Date, today: Date) -> AppResult<()> {
    if on > today {
        return Err(AppError::Invalid(domain::tr!(
            "{field}: {on} is in the future (today is {today})",
            "{field} : {on} est dans le futur (nous sommes le {today})"
        )));
    }
    Ok(())
}

fn not_before_opening(field: &str, on: Date, file: &LegalFile) -> AppResult<()> {
    if on < file.opened_on {
        return Err(AppError::Invalid(domain::tr!(
            "{field}: {on} is before the file was opened ({})",
            "{field} : {on} précède l'ouverture du dossier ({})",
            file.opened_on
        )));
    }
    Ok(())
}

/// A stage as a person gives it.
#[derive(Debug, Clone)]
pub struct StageInput {
    pub kind: StageKind,
    pub on: Date,
    pub outcome: Option<Outcome>,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// Records a stage in the caller's transaction: checked against the file's stages (order,
/// dates, what it needs first), with the limitation event it amounts to on every claim of
/// the file. A closing stage needs its outcome and closes the file.
pub async fn record_stage_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    author: &str,
    id: i64,
    input: &StageInput,
) -> AppResult<LegalFile> {
    let mut file = get(tx, id).await?;
    let route = open_file(&file)?;
    let today = clock.today();
    not_future("date", input.on, today)?;
    not_before_opening("date", input.on, &file)?;
    let next = Stage {
        kind: input.kind,
        on: input.on,
    };
    judicial::check_next_stage(route, &file.stages(), next)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    match (input.kind, input.outcome) {
        (StageKind::Closed, None) => {
            return Err(AppError::Invalid(domain::tr!(
                "outcome: closing a file needs its outcome (paid, settled, unrecoverable, abandoned)",
                "outcome : clore un dossier demande son issue (paid, settled, unrecoverable, abandoned)"
            )));
        }
        (StageKind::Closed, Some(_)) | (_, None) => {}
        (kind, Some(_)) => {
            return Err(AppError::Invalid(domain::tr!(
                "outcome: only the closing stage has an outcome, not {}",
                "outcome : seule la clôture a une issue, pas {}",
                kind.as_str()
            )));
        }
    }
    let reference = clean("reference", input.reference.as_deref(), 200)?;
    let note = clean("note", input.note.as_deref(), 2000)?;
    let now = clock.now_rfc3339();
    if let Some(effect) = input.kind.limitation_effect() {
        let kind = match effect {
            LimitationEffect::CourtClaim => LimitationEventKind::CourtClaim,
            LimitationEffect::Dismissed => LimitationEventKind::CourtClaimDismissed,
            LimitationEffect::Withdrawn => LimitationEventKind::CourtClaimWithdrawn,
            LimitationEffect::Title => LimitationEventKind::Judgment,
            LimitationEffect::EnforcementAct => LimitationEventKind::EnforcementAct,
        };
        for claim in file.claim_ids() {
            crate::limitation_events::record_in(
                tx,
                clock,
                author,
                &crate::limitation_events::NewLimitationEvent {
                    subject: crate::limitation_events::EventSubject::Claim(claim),
                    kind,
                    on: input.on,
                    end: None,
                    proof: Some(format!("{} — {}", file.reference(), input.kind.as_str())),
                    note: None,
                },
            )
            .await?;
        }
    }
    file.data.stages.push(StageRecord {
        kind: input.kind,
        on: input.on,
        outcome: input.outcome,
        reference,
        note,
        recorded_by: author.to_string(),
        recorded_at: now.clone(),
    });
    if input.kind == StageKind::Closed {
        file.state = LegalFileState::Closed;
        file.closed_on = Some(input.on);
    }
    save(tx, &mut file, &now).await?;
    Ok(file)
}

/// A cost as a person gives it.
#[derive(Debug, Clone)]
pub struct CostInput {
    pub kind: CostKind,
    pub on: Date,
    pub amount: Money,
    pub recoverable: bool,
    pub note: Option<String>,
}

/// Adds a cost to a file (open or closed: invoices arrive late), in the file's currency.
pub async fn add_cost_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    author: &str,
    id: i64,
    input: &CostInput,
) -> AppResult<LegalFile> {
    let mut file = get(tx, id).await?;
    if file.route().is_none() {
        return Err(AppError::Invalid(domain::tr!(
            "legal file {}: no procedure was decided ({}), so it has no costs",
            "dossier {} : aucune procédure décidée ({}), donc pas de frais",
            file.id,
            file.data.decision.code()
        )));
    }
    if input.amount.currency() != file.data.currency {
        return Err(AppError::Invalid(domain::tr!(
            "amount: {} is in {}, the file is in {}",
            "amount : {} est en {}, le dossier est en {}",
            input.amount,
            input.amount.currency().code(),
            file.data.currency.code()
        )));
    }
    if !input.amount.is_positive() || input.amount.minor() > Money::MAX_INPUT_MINOR {
        return Err(AppError::Invalid(domain::tr!(
            "amount: {} is not a positive amount",
            "amount : {} n'est pas un montant positif",
            input.amount
        )));
    }
    not_future("date", input.on, clock.today())?;
    not_before_opening("date", input.on, &file)?;
    let now = clock.now_rfc3339();
    file.data.costs.push(CostRecord {
        kind: input.kind,
        on: input.on,
        amount: input.amount,
        recoverable: input.recoverable || input.kind == CostKind::Article700,
        note: clean("note", input.note.as_deref(), 2000)?,
        recorded_by: author.to_string(),
        recorded_at: now.clone(),
    });
    save(tx, &mut file, &now).await?;
    Ok(file)
}

/// A payment collected during the procedure, as a person gives it.
#[derive(Debug, Clone)]
pub struct PaymentInput {
    pub on: Date,
    pub amount: Money,
    pub collected_by: Option<String>,
    pub note: Option<String>,
}

/// Records a payment collected during the procedure: posted to the file's claims, the
/// oldest due first, each up to what is open on it; refused above what is open on them.
pub async fn record_payment_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    author: &str,
    id: i64,
    input: &PaymentInput,
) -> AppResult<LegalFile> {
    let mut file = get(tx, id).await?;
    open_file(&file)?;
    if input.amount.currency() != file.data.currency {
        return Err(AppError::Invalid(domain::tr!(
            "amount: {} is in {}, the file is in {}",
            "amount : {} est en {}, le dossier est en {}",
            input.amount,
            input.amount.currency().code(),
            file.data.currency.code()
        )));
    }
    if !input.amount.is_positive() || input.amount.minor() > Money::MAX_INPUT_MINOR {
        return Err(AppError::Invalid(domain::tr!(
            "amount: {} is not a positive amount",
            "amount : {} n'est pas un montant positif",
            input.amount
        )));
    }
    let today = clock.today();
    not_future("date", input.on, today)?;
    not_before_opening("date", input.on, &file)?;
    let now = clock.now_rfc3339();
    let mut ledgers = Vec::new();
    let mut open_total = 0i64;
    for c in &file.data.claims {
        let claim = tx
            .claim(c.claim_id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: "claim",
                id: c.claim_id.to_string(),
            })?;
        let ledger = ClaimLedger::from_entries(claim.currency, tx.ledger_entries(claim.id).await?);
        let open = ledger.balance_as_of(today).minor().max(0);
        open_total += open;
        ledgers.push((claim, ledger, open));
    }
    if input.amount.minor() > open_total {
        return Err(AppError::Invalid(domain::tr!(
            "amount: {} is more than what is open on the file's claims ({})",
            "amount : {} dépasse le reste dû sur les créances du dossier ({})",
            input.amount,
            Money::from_minor(open_total, file.data.currency)
        )));
    }
    let mut left = input.amount.minor();
    let reference = format!("{} — payment collected", file.reference());
    for (claim, mut ledger, open) in ledgers {
        if left == 0 {
            break;
        }
        let part = left.min(open);
        if part == 0 {
            continue;
        }
        let before = ledger.entries().len();
        ledger.post(
            EntryKind::Payment,
            Money::from_minor(part, claim.currency),
            input.on,
            Some(reference.clone()),
        )?;
        tx.append_entries(claim.id, &ledger.entries()[before..], &now)
            .await?;
        left -= part;
    }
    file.data.payments.push(PaymentRecord {
        on: input.on,
        amount: input.amount,
        collected_by: clean("collected_by", input.collected_by.as_deref(), 200)?,
        note: clean("note", input.note.as_deref(), 2000)?,
        recorded_by: author.to_string(),
        recorded_at: now.clone(),
    });
    save(tx, &mut file, &now).await?;
    Ok(file)
}

/// Changes the court or the agent of a file.
pub async fn set_parties_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    id: i64,
    court: Option<&str>,
    agent: Option<&str>,
) -> AppResult<LegalFile> {
    let mut file = get(tx, id).await?;
    if let Some(court) = court {
        file.data.court = clean("court", Some(court), 200)?;
    }
    if let Some(agent) = agent {
        file.data.agent = clean("agent", Some(agent), 500)?;
    }
    save(tx, &mut file, &clock.now_rfc3339()).await?;
    Ok(file)
}

/// The media type of a document by its first bytes: PDF, PNG or JPEG.
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A document as a person attaches it.
#[derive(Debug, Clone)]
pub struct ExhibitInput {
    pub title: String,
    pub dated: Option<Date>,
    pub file_name: String,
    pub content: Vec<u8>,
}

/// Attaches a document to a file. Refused unless it is a PDF, a PNG or a JPEG (by its
/// first bytes, whatever its name says), at most [`MAX_EXHIBIT_BYTES`], with a title;
/// attaching the same content twice is refused too.
pub async fn attach_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    author: &str,
    id: i64,
    input: &ExhibitInput,
) -> AppResult<StoredExhibit> {
    let file = get(tx, id).await?;
    let name = input.file_name.trim();
    let Some(media_type) = media_type(&input.content) else {
        let head: String = input
            .content
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" ");
        return Err(AppError::Invalid(domain::tr!(
            "{name}: not a PDF, PNG or JPEG document (it starts with {head}); scan or export it to one of those",
            "{name} : ni un PDF, ni un PNG, ni un JPEG (il commence par {head}) ; numérisez-le ou exportez-le dans l'un de ces formats"
        )));
    };
    if input.content.len() > MAX_EXHIBIT_BYTES {
        return Err(AppError::Invalid(domain::tr!(
            "{name}: {} bytes, more than the {MAX_EXHIBIT_BYTES} allowed",
            "{name} : {} octets, plus que les {MAX_EXHIBIT_BYTES} permis",
            input.content.len()
        )));
    }
    let title = clean("title", Some(&input.title), 200)?.ok_or_else(|| {
        AppError::Invalid(domain::tr!(
            "title: an exhibit needs its title",
            "title : une pièce a besoin d'un intitulé"
        ))
    })?;
    if let Some(d) = input.dated {
        not_future("dated", d, clock.today())?;
    }
    use sha2::Digest;
    let sha256 = sha2::Sha256::digest(&input.content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let mut exhibit = StoredExhibit {
        id: 0,
        file_id: file.id,
        title,
        dated: input.dated,
        media_type: media_type.to_string(),
        file_name: clean("file_name", Some(name), 200)?.unwrap_or_else(|| "document".into()),
        sha256,
        content: input.content.clone(),
        added_by: author.to_string(),
        added_at: clock.now_rfc3339(),
    };
    exhibit.id = tx.insert_exhibit(&exhibit).await?.ok_or_else(|| {
        AppError::Invalid(domain::tr!(
            "{name}: this document is already attached to legal file {}",
            "{name} : ce document est déjà joint au dossier {}",
            file.id
        ))
    })?;
    Ok(exhibit)
}

/// One claim's amounts as of a day.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimAmounts {
    pub claim_id: ClaimId,
    pub number: String,
    pub principal: Money,
    /// Interest under the claim's own regime (up to the title, when there is one).
    pub interest: Money,
    pub indemnity: Money,
    /// Legal-rate interest since the title (C. mon. fin. L313-3), or why it is unknown.
    pub post_judgment_interest: Result<Money, String>,
}

/// What a file claims as of a day.
#[derive(Debug, Clone, Serialize)]
pub struct FileAmounts {
    pub as_of: Date,
    pub claims: Vec<ClaimAmounts>,
    pub principal: Money,
    pub interest: Money,
    pub indemnity: Money,
    /// Post-judgment interest; `None` when a rate it needs is unknown.
    pub post_judgment_interest: Option<Money>,
    pub costs_recoverable: Money,
    /// Everything claimed (post-judgment interest counted when known).
    pub total: Money,
}

/// The file's amounts as of `as_of`: the claims' principal, interest and indemnity as the
/// law engine computes them that day — frozen at the title's day once the title is
/// enforceable, after which the unpaid principal bears the legal rate, increased by five
/// points two months after the title became enforceable (C. mon. fin. L313-3) — and the
/// recoverable costs.
pub async fn amounts(
    tx: &mut dyn Tx,
    file: &LegalFile,
    as_of: Date,
    tables: &RateTables,
) -> AppResult<FileAmounts> {
    let currency = file.data.currency;
    let title = file.title_on().filter(|t| *t <= as_of);
    let mut out = FileAmounts {
        as_of,
        claims: Vec::new(),
        principal: Money::zero(currency),
        interest: Money::zero(currency),
        indemnity: Money::zero(currency),
        post_judgment_interest: Some(Money::zero(currency)),
        costs_recoverable: Money::zero(currency),
        total: Money::zero(currency),
    };
    let add = |a: Money, b: Money| Money::from_minor(a.minor() + b.minor(), currency);
    for c in &file.data.claims {
        let p = crate::law::claim_penalties(tx, c.claim_id, title.unwrap_or(as_of), tables).await?;
        let post =
            match title {
                None => Ok(Money::zero(currency)),
                Some(title) => {
                    let now = crate::law::claim_penalties(tx, c.claim_id, as_of, tables).await?;
                    let base = p.principal_due();
                    let ledger =
                        ClaimLedger::from_entries(currency, tx.ledger_entries(c.claim_id).await?);
                    let mut paid_left = base.minor() - now.principal_due().minor();
                    let mut payments = Vec::new();
                    for e in ledger.entries().iter().filter(|e| {
                        e.kind == EntryKind::Payment && e.date > title && e.date <= as_of
                    }) {
                        let part = (-e.amount_minor).min(paid_left.max(0));
                        if part > 0 {
                            payments.push(PartPayment {
                                date: e.date,
                                amount: Money::from_minor(part, currency),
                            });
                            paid_left -= part;
                        }
                    }
                    if base.is_positive() {
                        late_interest(
                            &InterestRequest {
                                principal: base,
                                due_date: title,
                                as_of,
                                payments,
                                regime: Regime::FranceLegal {
                                    category: LegalRateCategory::Other,
                                    judgment_enforceable_on: Some(title),
                                },
                            },
                            tables,
                        )
                        .map(|b| b.total)
                        .map_err(|e| e.to_string())
                    } else {
                        Ok(Money::zero(currency))
                    }
                }
            };
        let principal = if title.is_some() {
            crate::law::claim_penalties(tx, c.claim_id, as_of, tables)
                .await?
                .principal_due()
        } else {
            p.principal_due()
        };
        out.principal = add(out.principal, principal);
        out.interest = add(out.interest, p.interest_due());
        out.indemnity = add(out.indemnity, p.indemnity_due());
        out.post_judgment_interest = match (&out.post_judgment_interest, &post) {
            (Some(total), Ok(m)) => Some(add(*total, *m)),
            _ => None,
        };
        out.claims.push(ClaimAmounts {
            claim_id: c.claim_id,
            number: c.number.clone(),
            principal,
            interest: p.interest_due(),
            indemnity: p.indemnity_due(),
            post_judgment_interest: post,
        });
    }
    out.costs_recoverable = file.costs_recoverable();
    out.total = [
        out.principal,
        out.interest,
        out.indemnity,
        out.post_judgment_interest.unwrap_or(Money::zero(currency)),
        out.costs_recoverable,
    ]
    .into_iter()
    .fold(Money::zero(currency), add);
    Ok(out)
}

/// A deadline of an open file that calls for a task.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineTask {
    pub file_id: i64,
    pub debtor_id: DebtorId,
    pub claim_id: ClaimId,
    pub open: Money,
    pub deadline: Deadline,
    /// The day the task is due to be raised ([`DEADLINE_NOTICE_DAYS`] before the
    /// deadline).
    pub raise_on: Date,
}

impl DeadlineTask {
    /// `legal:<file>:<deadline>:<due>`: under the actions' unique key, each deadline gets
    /// its task once.
    pub fn step_code(&self) -> String {
        format!(
            "legal:{}:{}:{}",
            self.file_id,
            self.deadline.kind.as_str(),
            self.deadline.due
        )
    }
}

/// The deadline tasks due as of `today`: one per deadline of an open file coming within
/// [`DEADLINE_NOTICE_DAYS`] (the ten-year enforcement period: within a year), not yet
/// past by more than the notice period. The rate increase is information, not a task.
pub async fn deadline_tasks(tx: &mut dyn Tx, today: Date) -> AppResult<Vec<DeadlineTask>> {
    let mut out = Vec::new();
    for file in list(
        tx,
        &LegalFileFilter {
            states: vec![LegalFileState::Open],
            ..LegalFileFilter::default()
        },
    )
    .await?
    {
        let Some(first) = file.data.claims.first() else {
            continue;
        };
        for deadline in file.deadlines()? {
            let notice = match deadline.kind {
                judicial::DeadlineKind::RateIncrease => continue,
                judicial::DeadlineKind::EnforceTitle => 365,
                _ => DEADLINE_NOTICE_DAYS,
            };
            let days_left = domain::date::days_between(today, deadline.due);
            if days_left > notice || days_left < -DEADLINE_NOTICE_DAYS {
                continue;
            }
            let raise_on = deadline
                .due
                .checked_sub(jiff::Span::new().days(i64::from(notice)))
                .unwrap_or(deadline.due)
                .max(file.opened_on);
            out.push(DeadlineTask {
                file_id: file.id,
                debtor_id: file.debtor_id,
                claim_id: first.claim_id,
                open: file.frozen_total(),
                raise_on: raise_on.min(today),
                deadline,
            });
        }
    }
    Ok(out)
}

/// One line of the files list.
#[derive(Debug, Clone, Serialize)]
pub struct FileLine {
    pub id: i64,
    pub reference: String,
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub decision: Decision,
    pub state: LegalFileState,
    pub stage: Option<StageKind>,
    pub opened_on: Date,
    pub next_deadline: Option<Deadline>,
    pub claimed: Money,
    pub collected: Money,
    pub costs: Money,
}

/// Every file with what a list shows, the open ones by next deadline first.
pub async fn lines(tx: &mut dyn Tx, filter: &LegalFileFilter) -> AppResult<Vec<FileLine>> {
    let files = list(tx, filter).await?;
    let names: HashMap<DebtorId, String> = tx
        .debtors(None)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        out.push(FileLine {
            id: f.id,
            reference: f.reference(),
            debtor_id: f.debtor_id,
            debtor_name: names.get(&f.debtor_id).cloned().unwrap_or_default(),
            decision: f.data.decision,
            state: f.state,
            stage: f.last_stage().map(|s| s.kind),
            opened_on: f.opened_on,
            next_deadline: f.deadlines()?.into_iter().next(),
            claimed: f.frozen_total(),
            collected: f.collected(),
            costs: f.costs_spent(),
        });
    }
    out.sort_by_key(|l| {
        (
            l.state != LegalFileState::Open,
            l.next_deadline.as_ref().map(|d| d.due),
            std::cmp::Reverse(l.id),
        )
    });
    Ok(out)
}

/// The amount bands of the reports, in euros: up to 1,500, up to 5,000 (the small-claims
/// ceilings), up to 10,000 (no lawyer needed before the tribunal judiciaire, C. pr. civ.
/// 761), above.
pub const BANDS: [(i64, &str); 4] = [
    (150_000, "≤ 1 500"),
    (500_000, "1 500 – 5 000"),
    (1_000_000, "5 000 – 10 000"),
    (i64::MAX, "> 10 000"),
];

fn band(amount: Money) -> &'static str {
    BANDS
        .iter()
        .find(|(ceiling, _)| amount.minor() <= *ceiling)
        .map_or(BANDS[3].1, |(_, name)| name)
}

/// Recovery figures of a group of files (or of amicable collection).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recovery {
    pub files: usize,
    pub closed: usize,
    /// Files with an enforceable title, and the median days from opening to it.
    pub titles: usize,
    pub median_days_to_title: Option<i32>,
    /// Claimed (frozen totals), collected, costs spent (minor units of EUR).
    pub claimed_minor: i64,
    pub collected_minor: i64,
    pub costs_minor: i64,
}

impl Recovery {
    pub fn claimed(&self) -> Money {
        Money::from_minor(self.claimed_minor, Currency::EUR)
    }
    pub fn collected(&self) -> Money {
        Money::from_minor(self.collected_minor, Currency::EUR)
    }
    pub fn costs(&self) -> Money {
        Money::from_minor(self.costs_minor, Currency::EUR)
    }
    /// Collected − costs.
    pub fn net(&self) -> Money {
        Money::from_minor(self.collected_minor - self.costs_minor, Currency::EUR)
    }
    /// Collected ÷ claimed, in percent with one decimal, as text (`None` when nothing was
    /// claimed).
    pub fn rate(&self) -> Option<String> {
        percent(self.collected_minor, self.claimed_minor)
    }
    /// Net ÷ claimed, in percent.
    pub fn net_rate(&self) -> Option<String> {
        percent(self.collected_minor - self.costs_minor, self.claimed_minor)
    }
}

fn percent(part: i64, whole: i64) -> Option<String> {
    (whole > 0).then(|| {
        let tenths = (i128::from(part) * 1000 + i128::from(whole) / 2) / i128::from(whole);
        let sign = if tenths < 0 { "-" } else { "" };
        format!("{sign}{}.{}", tenths.abs() / 10, tenths.abs() % 10)
    })
}

fn median(mut days: Vec<i32>) -> Option<i32> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let mid = days.len() / 2;
    Some(if days.len() % 2 == 1 {
        days[mid]
    } else {
        (days[mid - 1] + days[mid]) / 2
    })
}

/// The judicial phase measured: files by route and stage, time to title, recovery and net
/// recovery per route and amount band, and amicable collection on the same portfolio.
#[derive(Debug, Clone, Serialize)]
pub struct JudicialReport {
    pub as_of: Date,
    /// (route code, stage code or `none`) → files.
    pub by_stage: BTreeMap<String, BTreeMap<String, usize>>,
    pub by_route: BTreeMap<String, Recovery>,
    /// (band) → judicial recovery.
    pub by_band: BTreeMap<String, Recovery>,
    /// The claims that went past due and never entered a legal file: what amicable
    /// collection recovered of them, by the same bands (per claim). Amicable costs are
    /// not recorded: its net is its gross.
    pub amicable_by_band: BTreeMap<String, Recovery>,
    pub amicable: Recovery,
    pub judicial: Recovery,
    /// Decisions not to litigate, by code.
    pub declined: BTreeMap<String, usize>,
}

/// Computes the judicial report as of `as_of` (EUR files and claims).
pub async fn report(tx: &mut dyn Tx, as_of: Date) -> AppResult<JudicialReport> {
    let files = list(tx, &LegalFileFilter::default()).await?;
    let mut by_stage: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut by_route: BTreeMap<String, (Recovery, Vec<i32>)> = BTreeMap::new();
    let mut by_band: BTreeMap<String, (Recovery, Vec<i32>)> = BTreeMap::new();
    let mut judicial: (Recovery, Vec<i32>) = Default::default();
    let mut declined = BTreeMap::new();
    let mut litigated: HashSet<ClaimId> = HashSet::new();
    for f in files.iter().filter(|f| f.opened_on <= as_of) {
        let Some(route) = f.route() else {
            *declined
                .entry(f.data.decision.code().to_string())
                .or_insert(0) += 1;
            continue;
        };
        litigated.extend(f.claim_ids());
        let stage = f
            .data
            .stages
            .iter()
            .rev()
            .find(|s| s.on <= as_of)
            .map_or("none", |s| s.kind.as_str());
        *by_stage
            .entry(route.code().to_string())
            .or_default()
            .entry(stage.to_string())
            .or_insert(0) += 1;
        let claimed = f.frozen_total().minor();
        let collected: i64 = f
            .data
            .payments
            .iter()
            .filter(|p| p.on <= as_of)
            .map(|p| p.amount.minor())
            .sum();
        let costs: i64 = f
            .data
            .costs
            .iter()
            .filter(|c| c.on <= as_of && c.kind != CostKind::Article700)
            .map(|c| c.amount.minor())
            .sum();
        let closed = f.closed_on.is_some_and(|d| d <= as_of);
        let to_title = f
            .title_on()
            .filter(|t| *t <= as_of)
            .map(|t| domain::date::days_between(f.opened_on, t));
        for (r, days) in [
            by_route.entry(route.code().to_string()).or_default(),
            by_band
                .entry(band(f.frozen_total()).to_string())
                .or_default(),
            &mut judicial,
        ] {
            r.files += 1;
            r.closed += usize::from(closed);
            r.claimed_minor += claimed;
            r.collected_minor += collected;
            r.costs_minor += costs;
            if let Some(d) = to_title {
                r.titles += 1;
                days.push(d);
            }
        }
    }
    let finish = |(mut r, days): (Recovery, Vec<i32>)| {
        r.median_days_to_title = median(days);
        r
    };
    // Amicable: every EUR claim past due by `as_of` that no legal file took, measured on
    // its own ledger (invoiced principal, payments received by `as_of`).
    let mut amicable_by_band: BTreeMap<String, Recovery> = BTreeMap::new();
    let mut amicable = Recovery::default();
    let claims: HashMap<ClaimId, domain::Claim> = tx
        .claims(None)
        .await?
        .into_iter()
        .filter(|c| c.currency == Currency::EUR && c.due_date < as_of && !litigated.contains(&c.id))
        .map(|c| (c.id, c))
        .collect();
    let mut per_claim: HashMap<ClaimId, (i64, i64, bool)> = HashMap::new();
    for (claim, e) in tx.all_ledger_entries(None).await? {
        let Some(c) = claims.get(&claim) else {
            continue;
        };
        if e.date > as_of {
            continue;
        }
        let entry = per_claim.entry(claim).or_default();
        match e.kind {
            EntryKind::Invoice | EntryKind::CreditNote => entry.0 += e.amount_minor,
            EntryKind::Payment => {
                entry.1 -= e.amount_minor;
                // Late if any payment came after the due date.
                entry.2 |= e.date > c.due_date;
            }
            _ => {}
        }
    }
    for (_, (invoiced, paid, paid_late)) in per_claim {
        // Past due: not fully paid by its due date (paid late, or still open).
        if invoiced <= 0 || (paid >= invoiced && !paid_late) {
            continue;
        }
        let b = band(Money::from_minor(invoiced, Currency::EUR));
        for r in [
            amicable_by_band.entry(b.to_string()).or_default(),
            &mut amicable,
        ] {
            r.files += 1;
            r.closed += usize::from(paid >= invoiced);
            r.claimed_minor += invoiced;
            r.collected_minor += paid.min(invoiced).max(0);
        }
    }
    Ok(JudicialReport {
        as_of,
        by_stage,
        by_route: by_route.into_iter().map(|(k, v)| (k, finish(v))).collect(),
        by_band: by_band.into_iter().map(|(k, v)| (k, finish(v))).collect(),
        amicable_by_band,
        amicable,
        judicial: finish(judicial),
        declined,
    })
}

// -- audited use cases: one transaction each, with the audit line.

/// Opens a file (see [`open_in`]), audited `legal.open`.
pub async fn open(
    store: &dyn Store,
    clock: &dyn Clock,
    tables: &RateTables,
    actor: &Actor,
    request: &OpenRequest,
) -> AppResult<LegalFile> {
    let mut tx = store.begin().await?;
    let file = open_in(tx.as_mut(), clock, tables, actor.as_str(), request).await?;
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "legal.open",
        &format!("legal_file:{}", file.id),
        None::<&()>,
        Some(&serde_json::json!({
            "debtor": file.debtor_id,
            "decision": file.data.decision.code(),
            "claims": file.claim_ids(),
            "total": file.frozen_total(),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(file)
}

/// Audits a change to file `id` and commits the transaction it was made in.
async fn commit_audited(
    mut tx: Box<dyn Tx>,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    action: &str,
    what: &serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        action,
        &format!("legal_file:{id}"),
        None::<&()>,
        Some(what),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a stage (see [`record_stage_in`]), audited `legal.stage`.
pub async fn record_stage(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &StageInput,
) -> AppResult<LegalFile> {
    let what = serde_json::json!({
        "stage": input.kind.as_str(),
        "on": input.on,
        "outcome": input.outcome.map(Outcome::as_str),
    });
    let mut tx = store.begin().await?;
    let file = record_stage_in(tx.as_mut(), clock, actor.as_str(), id, input).await?;
    commit_audited(tx, clock, actor, id, "legal.stage", &what).await?;
    Ok(file)
}

/// Adds a cost (see [`add_cost_in`]), audited `legal.cost`.
pub async fn add_cost(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &CostInput,
) -> AppResult<LegalFile> {
    let what = serde_json::json!({
        "kind": input.kind.as_str(),
        "on": input.on,
        "amount": input.amount,
        "recoverable": input.recoverable,
    });
    let mut tx = store.begin().await?;
    let file = add_cost_in(tx.as_mut(), clock, actor.as_str(), id, input).await?;
    commit_audited(tx, clock, actor, id, "legal.cost", &what).await?;
    Ok(file)
}

/// Records a payment collected (see [`record_payment_in`]), audited `legal.payment`.
pub async fn record_payment(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &PaymentInput,
) -> AppResult<LegalFile> {
    let what = serde_json::json!({ "on": input.on, "amount": input.amount });
    let mut tx = store.begin().await?;
    let file = record_payment_in(tx.as_mut(), clock, actor.as_str(), id, input).await?;
    commit_audited(tx, clock, actor, id, "legal.payment", &what).await?;
    Ok(file)
}

/// Changes the court or the agent (see [`set_parties_in`]), audited `legal.parties`.
pub async fn set_parties(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    court: Option<String>,
    agent: Option<String>,
) -> AppResult<LegalFile> {
    let what = serde_json::json!({ "court": court, "agent": agent });
    let mut tx = store.begin().await?;
    let file = set_parties_in(tx.as_mut(), clock, id, court.as_deref(), agent.as_deref()).await?;
    commit_audited(tx, clock, actor, id, "legal.parties", &what).await?;
    Ok(file)
}

/// Attaches a document (see [`attach_in`]), audited `legal.attach` (title, name, size and
/// digest; not the content).
pub async fn attach(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &ExhibitInput,
) -> AppResult<StoredExhibit> {
    let mut tx = store.begin().await?;
    let exhibit = attach_in(tx.as_mut(), clock, actor.as_str(), id, input).await?;
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "legal.attach",
        &format!("legal_file:{id}"),
        None::<&()>,
        Some(&serde_json::json!({
            "exhibit": exhibit.id,
            "title": exhibit.title,
            "file_name": exhibit.file_name,
            "bytes": exhibit.content.len(),
            "sha256": exhibit.sha256,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(exhibit)
}

/// What an answers file changed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AnswersReport {
    pub file_name: String,
    pub stages: usize,
    pub costs: usize,
    pub payments: usize,
    /// The files changed.
    pub files: Vec<i64>,
}

/// The columns of an answers file: the answers of a lawyer or a commissaire de justice.
pub const ANSWER_COLUMNS: [&str; 9] = [
    "file",
    "date",
    "kind",
    "value",
    "amount",
    "recoverable",
    "outcome",
    "reference",
    "note",
];

/// Imports the answers of a lawyer or a commissaire de justice: a CSV (`,` or `;`) with
/// the header [`ANSWER_COLUMNS`], one line per answer — `kind` is `stage` (`value` = the
/// stage, `outcome` for a closing), `cost` (`value` = the cost kind, `amount`,
/// `recoverable` yes/no) or `payment` (`amount`, `value` = who collected it). All or
/// nothing, in one transaction, audited `legal.answers`: the first bad line is reported
/// with its line number, field and why, and nothing is written.
pub async fn import_answers(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<AnswersReport> {
    let text =
        formats::text::decode(bytes).map_err(|e| AppError::Invalid(format!("{file_name}: {e}")))?;
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let bad = |line: u64, field: &str, why: String| {
        AppError::Invalid(domain::tr!(
            "{file_name} line {line}, field {field}: {why}",
            "{file_name} ligne {line}, champ {field} : {why}"
        ))
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(1, "header", e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    for required in ["file", "date", "kind"] {
        if column(required).is_none() {
            return Err(bad(
                1,
                required,
                domain::tr!(
                    "missing column (expected: {})",
                    "colonne absente (attendues : {})",
                    ANSWER_COLUMNS.join(", ")
                ),
            ));
        }
    }
    let mut report = AnswersReport {
        file_name: file_name.to_string(),
        ..AnswersReport::default()
    };
    let mut tx = store.begin().await?;
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| bad(line, "line", e.to_string()))?;
        let get = |name: &str| {
            column(name)
                .and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let file_id: i64 = get("file")
            .ok_or_else(|| bad(line, "file", "empty".into()))?
            .trim_start_matches("DOSSIER-")
            .parse()
            .map_err(|e| bad(line, "file", format!("{e}")))?;
        let on = get("date")
            .ok_or_else(|| bad(line, "date", "empty".into()))
            .and_then(|v| {
                domain::date::parse_iso(v).map_err(|e| bad(line, "date", format!("{v:?}: {e}")))
            })?;
        let note = get("note").map(str::to_string);
        let amount = |currency| {
            let v = get("amount").ok_or_else(|| bad(line, "amount", "empty".into()))?;
            Money::parse(v, currency).map_err(|e| bad(line, "amount", format!("{v:?}: {e}")))
        };
        let kind = get("kind").unwrap_or_default().to_ascii_lowercase();
        // Legal files are in euros (the routes advisor litigates euro claims only).
        let currency = Currency::EUR;
        let result = match kind.as_str() {
            "stage" => {
                let stage: StageKind = get("value")
                    .ok_or_else(|| bad(line, "value", "empty".into()))?
                    .parse()
                    .map_err(|e: String| bad(line, "value", e))?;
                let outcome = get("outcome")
                    .map(|o| o.parse::<Outcome>().map_err(|e| bad(line, "outcome", e)))
                    .transpose()?;
                report.stages += 1;
                record_stage_in(
                    tx.as_mut(),
                    clock,
                    actor.as_str(),
                    file_id,
                    &StageInput {
                        kind: stage,
                        on,
                        outcome,
                        reference: get("reference").map(str::to_string),
                        note,
                    },
                )
                .await
            }
            "cost" => {
                let cost: CostKind = get("value")
                    .ok_or_else(|| bad(line, "value", "empty".into()))?
                    .parse()
                    .map_err(|e: String| bad(line, "value", e))?;
                let recoverable = match get("recoverable").map(str::to_ascii_lowercase).as_deref() {
                    None | Some("no" | "non" | "false" | "0") => false,
                    Some("yes" | "oui" | "true" | "1") => true,
                    Some(other) => {
                        return Err(bad(
                            line,
                            "recoverable",
                            domain::tr!(
                                "{other:?} is not yes or no",
                                "{other:?} n'est ni oui ni non"
                            ),
                        ));
                    }
                };
                let amount = amount(currency)?;
                report.costs += 1;
                add_cost_in(
                    tx.as_mut(),
                    clock,
                    actor.as_str(),
                    file_id,
                    &CostInput {
                        kind: cost,
                        on,
                        amount,
                        recoverable,
                        note,
                    },
                )
                .await
            }
            "payment" => {
                let amount = amount(currency)?;
                report.payments += 1;
                record_payment_in(
                    tx.as_mut(),
                    clock,
                    actor.as_str(),
                    file_id,
                    &PaymentInput {
                        on,
                        amount,
                        collected_by: get("value").map(str::to_string),
                        note,
                    },
                )
                .await
            }
            other => {
                return Err(bad(
                    line,
                    "kind",
                    domain::tr!(
                        "{other:?} is not one of: stage, cost, payment",
                        "{other:?} n'est pas parmi : stage, cost, payment"
                    ),
                ));
            }
        };
        result.map_err(|e| bad(line, &kind, e.to_string()))?;
        if !report.files.contains(&file_id) {
            report.files.push(file_id);
        }
    }
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "legal.answers",
        &format!("file:{file_name}"),
        None::<&()>,
        Some(&report),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

// -- the demo's judicial history

/// What [`seed_demo`] made.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SeededFiles {
    /// Orders for payment won and paid.
    pub won: usize,
    /// Orders opposed by the debtor (the file goes on).
    pub opposed: usize,
    /// Titles obtained, enforcement failed: closed unrecoverable.
    pub unrecoverable: usize,
    /// Recent files, the order not served yet.
    pub pending: usize,
    /// Small claims agreed through a commissaire de justice.
    pub small_claims: usize,
    /// Decisions not to litigate.
    pub declined: usize,
}

impl SeededFiles {
    pub fn total(&self) -> usize {
        self.won
            + self.opposed
            + self.unrecoverable
            + self.pending
            + self.small_claims
            + self.declined
    }
}

/// One demo file's script: what happens, in days after its opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Won,
    Opposed,
    Unrecoverable,
    Pending,
    SmallClaims,
    Declined,
}

/// Gives the demo a judicial history as of `clock`'s day: French companies whose claims
/// went unpaid from ten months ago (opened then, on the advisor's routes): some orders for
/// payment won and paid, some opposed, some titles that enforcement could not turn into
/// money, some recent files waiting for service, a small claim agreed, and decisions not to
/// litigate. Each step is the audited-free use case a person would call (`open_in`,
/// `record_stage_in`, `add_cost_in`, `record_payment_in`) on its own day; a step the rules
/// refuse for a debtor ends that debtor's script without failing the demo. Debtors with a
/// demo agreement (ids ≡ 7, 17, 27 mod 40) are left out.
pub async fn seed_demo(
    store: &dyn Store,
    clock: &dyn Clock,
    tables: &RateTables,
) -> AppResult<SeededFiles> {
    use domain::date::{date_of_day, day_number};
    const SCRIPTS: [(Script, usize, i32); 6] = [
        // (script, how many, days before today the file opens)
        (Script::Won, 4, 300),
        (Script::Opposed, 2, 260),
        (Script::Unrecoverable, 2, 300),
        (Script::Pending, 3, 40),
        (Script::SmallClaims, 1, 200),
        (Script::Declined, 2, 150),
    ];
    let today = clock.today();
    let day = day_number(today);
    let mut tx = store.begin().await?;
    let book = tx.book(None).await?;
    let debtors = tx.debtors(None).await?;
    drop(tx);
    let eligible: HashMap<DebtorId, &domain::Debtor> = debtors
        .iter()
        .filter(|d| {
            d.kind == domain::DebtorKind::Company
                && d.country == "FR"
                && !d.is_public_body()
                && ![7, 17, 27].contains(&(d.id.0 % 40))
        })
        .map(|d| (d.id, d))
        .collect();
    let mut seeded = SeededFiles::default();
    let mut used: HashSet<DebtorId> = HashSet::new();
    for (script, count, back) in SCRIPTS {
        let opened = day - back;
        let Some(opened_on) = date_of_day(opened) else {
            continue;
        };
        // The debtors whose EUR claims were overdue by a month on the opening day and have
        // not moved since (nothing paid after): (debtor, claims, open total).
        let mut candidates: BTreeMap<DebtorId, (Vec<ClaimId>, i64)> = BTreeMap::new();
        for c in book.claims() {
            if !eligible.contains_key(&c.debtor_id)
                || used.contains(&c.debtor_id)
                || c.currency != Currency::EUR
                || c.due_day + 30 > opened
            {
                continue;
            }
            let then = book.open_minor(c, opened);
            if then > 0 && book.open_minor(c, day) == then {
                let e = candidates.entry(c.debtor_id).or_default();
                e.0.push(c.id);
                e.1 += then;
            }
        }
        let mut made = 0;
        for (debtor, (claims, open)) in candidates {
            if made == count {
                break;
            }
            // Small claims: principal and interest within €5,000; the others above €1,500.
            let fits = match script {
                Script::SmallClaims => open <= 400_000,
                Script::Declined => open <= 150_000,
                _ => open > 150_000,
            };
            if !fits {
                continue;
            }
            if play(
                store, clock, tables, script, debtor, claims, opened_on, today,
            )
            .await
            .is_some()
            {
                used.insert(debtor);
                made += 1;
                match script {
                    Script::Won => seeded.won += 1,
                    Script::Opposed => seeded.opposed += 1,
                    Script::Unrecoverable => seeded.unrecoverable += 1,
                    Script::Pending => seeded.pending += 1,
                    Script::SmallClaims => seeded.small_claims += 1,
                    Script::Declined => seeded.declined += 1,
                }
            }
        }
    }
    Ok(seeded)
}

/// Plays one debtor's script in one transaction; `None` (nothing written) when a step is
/// refused.
#[allow(clippy::too_many_arguments)]
async fn play(
    store: &dyn Store,
    clock: &dyn Clock,
    tables: &RateTables,
    script: Script,
    debtor: DebtorId,
    claims: Vec<ClaimId>,
    opened_on: Date,
    today: Date,
) -> Option<()> {
    use crate::clock::FixedClock;
    let on = |days: i64| {
        opened_on
            .checked_add(jiff::Span::new().days(days))
            .ok()
            .filter(|d| *d <= today)
    };
    let author = "demo";
    let mut tx = store.begin().await.ok()?;
    let decision = match script {
        Script::SmallClaims => Decision::Litigate {
            route: Route::PetitesCreances,
        },
        Script::Declined if debtor.0 % 2 == 0 => Decision::KeepAmicable,
        Script::Declined => Decision::WriteOff,
        _ => Decision::Litigate {
            route: Route::InjonctionDePayer,
        },
    };
    let court = (script != Script::Declined).then(|| "Tribunal de commerce de Lyon".to_string());
    let file = open_in(
        tx.as_mut(),
        &FixedClock(opened_on),
        tables,
        author,
        &OpenRequest {
            debtor: Some(debtor),
            decision: Some(decision),
            claims,
            court,
            agent: match script {
                Script::Won | Script::Unrecoverable | Script::SmallClaims => {
                    Some("SCP Martin & Associés, commissaires de justice, Lyon".into())
                }
                Script::Opposed => Some("Maître Claire Dubois, avocate au barreau de Lyon".into()),
                _ => None,
            },
            reason: Some(match script {
                Script::Declined => domain::tr!(
                    "Demo: the amount does not justify the costs",
                    "Démo : le montant ne justifie pas les frais"
                ),
                _ => domain::tr!(
                    "Demo: no answer to the formal notice",
                    "Démo : aucune réponse à la mise en demeure"
                ),
            }),
        },
    )
    .await
    .ok()?;
    let id = file.id;
    let eur = |minor: i64| Money::from_minor(minor, Currency::EUR);
    let stage = |kind: StageKind, days: i64, outcome: Option<Outcome>| {
        on(days).map(|d| StageInput {
            kind,
            on: d,
            outcome,
            reference: (kind == StageKind::OrderMade).then(|| format!("RG 2026/{:05}", 100 + id)),
            note: None,
        })
    };
    let cost = |kind: CostKind, days: i64, minor: i64, recoverable: bool| {
        on(days).map(|d| CostInput {
            kind,
            on: d,
            amount: eur(minor),
            recoverable,
            note: None,
        })
    };
    let steps: Vec<(Option<StageInput>, Option<CostInput>)> = match script {
        Script::Declined => Vec::new(),
        Script::SmallClaims => vec![
            (
                stage(StageKind::InvitationSent, 5, None),
                cost(CostKind::Commissaire, 5, 7_000, false),
            ),
            (stage(StageKind::DebtorAgreed, 25, None), None),
            (stage(StageKind::Enforceable, 26, None), None),
        ],
        Script::Pending => vec![
            (
                stage(StageKind::RequestFiled, 3, None),
                cost(CostKind::CourtFee, 3, 3_347, true),
            ),
            (stage(StageKind::OrderMade, 24, None), None),
        ],
        _ => {
            let mut v = vec![
                (
                    stage(StageKind::RequestFiled, 7, None),
                    cost(CostKind::CourtFee, 7, 3_347, true),
                ),
                (stage(StageKind::OrderMade, 35, None), None),
                (
                    stage(StageKind::OrderServed, 50, None),
                    cost(CostKind::Commissaire, 50, 14_500, true),
                ),
            ];
            if script == Script::Opposed {
                v.push((
                    stage(StageKind::Opposition, 70, None),
                    cost(CostKind::Lawyer, 75, 120_000, false),
                ));
            } else {
                v.push((stage(StageKind::Enforceable, 85, None), None));
            }
            if script == Script::Unrecoverable {
                v.push((
                    stage(StageKind::EnforcementAct, 110, None),
                    cost(CostKind::Commissaire, 110, 18_000, false),
                ));
            }
            v
        }
    };
    for (s, c) in steps {
        if let Some(s) = s {
            record_stage_in(tx.as_mut(), clock, author, id, &s)
                .await
                .ok()?;
        }
        if let Some(c) = c {
            add_cost_in(tx.as_mut(), clock, author, id, &c).await.ok()?;
        }
    }
    // What was collected: the won files and the small claim in full (principal), then
    // closed paid; the unrecoverable ones closed so.
    let close = |days: i64, outcome: Outcome| stage(StageKind::Closed, days, Some(outcome));
    match script {
        Script::Won | Script::SmallClaims => {
            let file = get(tx.as_mut(), id).await.ok()?;
            let mut open = 0;
            for c in &file.data.claims {
                let ledger = ClaimLedger::from_entries(
                    Currency::EUR,
                    tx.ledger_entries(c.claim_id).await.ok()?,
                );
                open += ledger.balance_as_of(today).minor();
            }
            let paid_on = if script == Script::Won { 120 } else { 40 };
            let pay = PaymentInput {
                on: on(paid_on)?,
                amount: eur(open),
                collected_by: Some("SCP Martin & Associés".into()),
                note: None,
            };
            record_payment_in(tx.as_mut(), clock, author, id, &pay)
                .await
                .ok()?;
            record_stage_in(
                tx.as_mut(),
                clock,
                author,
                id,
                &close(paid_on + 5, Outcome::Paid)?,
            )
            .await
            .ok()?;
        }
        Script::Unrecoverable => {
            record_stage_in(
                tx.as_mut(),
                clock,
                author,
                id,
                &close(200, Outcome::Unrecoverable)?,
            )
            .await
            .ok()?;
        }
        _ => {}
    }
    tx.commit().await.ok()
}
