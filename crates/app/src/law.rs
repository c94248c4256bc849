//! The law engine applied to stored claims: which interest regime and indemnity apply to
//! a claim, its late interest as of a date, limitation deadlines across the portfolio, and
//! the legal routes open against a debtor. The rules themselves live in `domain::law`;
//! this module only gathers the facts from the store.

use crate::contract;
use crate::error::{AppError, AppResult};
use crate::limitation_events::{self, EventsByClaim};
use crate::queries;
use crate::store::{StoredLimitationEvent, Tx};
use domain::law::{
    AlertLevel, ContractTerms, Event, EventKind, Indemnity, InterestBreakdown, InterestRequest,
    InterestStart, Jurisdiction, LawError, LimitationDeadline, LimitationKind, LimitationRequest,
    NoticeDelivery, PartPayment, RateTables, Regime, RouteAdvice, RouteRequest, Text,
    advise_routes, fixed_indemnity, interest_start, late_interest, limitation_deadline, regime_for,
};
use domain::matching::allocate::{Breakdown, Imputation, imputation};
use domain::money::{Currency, Money};
use domain::{Claim, ClaimId, ClaimLedger, ClaimStatus, Date, Debtor, DebtorId, EntryKind};
use serde::Serialize;
use std::collections::HashMap;

/// The statutory regime for a claim of a creditor established in `creditor_country` on
/// `debtor`: France B2B (ECB + 10 points), France B2C (legal rate), Germany (base + 9 / + 5),
/// UK commercial (base + 8; none for consumers). `None` where we hold no rule.
pub fn statutory_regime(creditor_country: &str, debtor: &Debtor) -> Option<Regime> {
    regime_for(
        Jurisdiction::from_country(creditor_country)?,
        debtor.segment,
        &ContractTerms::default(),
    )
    .map(|(regime, _)| regime)
}

/// Amounts that reduce the interest base, from the ledger: the part of each payment,
/// credit note and write-off imputed on the principal (C. civ. 1343-1: a payment settles
/// the interest posted before the principal), each from its own date (convention C4 of
/// domain-rules.md).
fn reductions(imputation: &Imputation) -> Vec<PartPayment> {
    imputation
        .principal_reductions()
        .map(|(date, amount)| PartPayment { date, amount })
        .collect()
}

/// What the law allows to claim on one claim as of a date.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimPenalties {
    pub claim_id: ClaimId,
    pub number: String,
    pub open: Money,
    pub regime: Option<&'static str>,
    /// The terms of sale that govern the claim (its creditor's, overridden by its own).
    pub terms: ContractTerms,
    /// The event interest runs from, or why it does not run yet; `None` when no rule
    /// applies.
    pub interest_start: Option<InterestStart>,
    /// The interest breakdown (zero while it does not run yet), or why it cannot be
    /// computed (unknown rate, no rule).
    pub interest: Result<InterestBreakdown, String>,
    pub indemnity: Option<Indemnity>,
    /// What is open on the ledger per bucket (principal, interest and indemnity posted and
    /// not yet paid, fees), payments imputed interest first (C. civ. 1343-1).
    pub open_parts: Breakdown,
    /// The interest and the indemnity already posted to the ledger (claimed), paid or not.
    pub interest_posted: Money,
    pub indemnity_posted: Money,
    /// What the reader should know: terms not applied, and why.
    pub notes: Vec<Text>,
}

impl ClaimPenalties {
    /// The interest total, zero when it could not be computed.
    pub fn interest_total(&self) -> Money {
        self.interest
            .as_ref()
            .map_or(Money::zero(self.open.currency()), |b| b.total)
    }

    /// The interest the law allows and the ledger does not hold yet: the total computed
    /// less what was posted (never below zero).
    pub fn interest_to_post(&self) -> Money {
        let total = self.interest_total();
        Money::from_minor(
            (total.minor() - self.interest_posted.minor()).max(0),
            total.currency(),
        )
    }

    /// The indemnity the law allows and the ledger does not hold yet (zero when none is
    /// due, or when it is in another currency than the claim).
    pub fn indemnity_to_post(&self) -> Money {
        let currency = self.open.currency();
        match &self.indemnity {
            Some(i) if i.amount.currency() == currency => Money::from_minor(
                (i.amount.minor() - self.indemnity_posted.minor()).max(0),
                currency,
            ),
            _ => Money::zero(currency),
        }
    }

    /// Interest still owed: posted and unpaid, plus computed and not posted yet.
    pub fn interest_due(&self) -> Money {
        Money::from_minor(
            self.open_parts.interest.minor() + self.interest_to_post().minor(),
            self.open.currency(),
        )
    }

    /// Indemnity still owed: posted and unpaid, plus due and not posted yet.
    pub fn indemnity_due(&self) -> Money {
        Money::from_minor(
            self.open_parts.indemnity.minor() + self.indemnity_to_post().minor(),
            self.open.currency(),
        )
    }

    /// What is still owed on the title itself: principal and fees open on the ledger.
    pub fn principal_due(&self) -> Money {
        Money::from_minor(
            self.open_parts.principal.minor() + self.open_parts.fees.minor(),
            self.open.currency(),
        )
    }
}

/// What the law engine needs beyond the claim and its ledger: the contract's terms and the
/// formal notices that demand the claim.
#[derive(Debug, Clone, Default)]
pub struct ClaimFacts {
    pub terms: ContractTerms,
    pub notices: Vec<NoticeDelivery>,
}

fn penalties_for(
    claim: &Claim,
    debtor: &Debtor,
    creditor_country: &str,
    ledger: &ClaimLedger,
    as_of: Date,
    tables: &RateTables,
    facts: &ClaimFacts,
) -> ClaimPenalties {
    let open = ledger.balance_as_of(as_of);
    let principal = ledger.total_of(EntryKind::Invoice, as_of);
    let imputed = imputation(ledger, as_of);
    let jurisdiction = Jurisdiction::from_country(creditor_country);
    let chosen = jurisdiction.and_then(|j| regime_for(j, debtor.segment, &facts.terms));
    let mut notes = Vec::new();
    let regime = chosen.map(|(regime, note)| {
        notes.extend(note);
        regime
    });
    let interest_start = regime
        .as_ref()
        .map(|r| interest_start(r, claim.due_date, &facts.terms, &facts.notices, as_of));
    let interest = match (&regime, &interest_start) {
        (None, _) | (_, None) => Err(domain::tr!(
            "no statutory interest rule for a {} creditor and a {} debtor",
            "pas de règle d'intérêts légaux pour un créancier {} et un débiteur {}",
            creditor_country,
            debtor.segment
        )),
        (Some(regime), Some(start)) if principal.is_positive() => late_interest(
            &InterestRequest {
                principal,
                // While interest does not run yet, an empty period: zero, and the start
                // says why.
                due_date: start.date().unwrap_or(as_of).max(claim.due_date),
                as_of,
                payments: reductions(&imputed),
                regime: *regime,
            },
            tables,
        )
        .map_err(|e: LawError| e.to_string()),
        (Some(_), Some(_)) => Err(domain::tr!(
            "nothing invoiced on this claim",
            "rien de facturé sur cette créance"
        )),
    };
    let late = matches!(ledger.status(claim, as_of), ClaimStatus::Overdue { .. })
        || (open.is_zero()
            && ledger
                .entries()
                .iter()
                .any(|e| e.kind == EntryKind::Payment && e.date > claim.due_date));
    let indemnity = match jurisdiction {
        Some(j) if late && principal.is_positive() => fixed_indemnity(j, debtor.segment, principal)
            .ok()
            .flatten()
            .map(|statutory| contractual_indemnity(statutory, &facts.terms)),
        _ => None,
    };
    ClaimPenalties {
        claim_id: claim.id,
        number: claim.number.to_string(),
        open,
        regime: regime.as_ref().map(Regime::code),
        terms: facts.terms,
        interest_start,
        interest,
        indemnity,
        open_parts: imputed.open,
        interest_posted: ledger.total_of(EntryKind::Interest, as_of),
        indemnity_posted: ledger.total_of(EntryKind::Indemnity, as_of),
        notes,
    }
}

/// The indemnity the terms of sale set, where it is above the statutory one: the law
/// grants the statutory sum as of right and more on justification (L441-10 II), which
/// the terms are; never less.
fn contractual_indemnity(statutory: Indemnity, terms: &ContractTerms) -> Indemnity {
    match terms.indemnity_in(statutory.amount.currency()) {
        Some(agreed) if agreed.minor() > statutory.amount.minor() => Indemnity {
            amount: agreed,
            basis: domain::law::Text {
                code: "terms.contractual_indemnity",
                fr: format!(
                    "Indemnité de recouvrement convenue aux conditions générales ({}), au-delà de \
                     l'indemnité légale de {} (C. com. L441-10 II).",
                    agreed, statutory.amount
                ),
                en: format!(
                    "Recovery indemnity agreed in the terms of sale ({}), beyond the statutory {} \
                     (French Commercial Code L441-10 II).",
                    agreed, statutory.amount
                ),
            },
        },
        _ => statutory,
    }
}

/// What the law engine reads of one debtor's claims beyond their ledgers — the creditor's
/// country and terms, the debtor's formal notices — read once for a letter, a page or a
/// routes advice over several claims; only each claim's own terms are read per claim.
#[derive(Debug)]
pub struct DebtorLaw {
    country: String,
    creditor_terms: ContractTerms,
    notices: Vec<crate::store::StoredNotice>,
}

impl DebtorLaw {
    pub async fn load(tx: &mut dyn Tx, debtor: &Debtor) -> AppResult<Self> {
        let country = tx
            .creditors()
            .await?
            .into_iter()
            .find(|c| c.id == debtor.creditor_id)
            .map_or_else(|| "FR".to_string(), |c| c.country);
        Ok(Self {
            country,
            creditor_terms: contract::creditor_terms(tx, debtor.creditor_id).await?,
            notices: contract::notices(tx, Some(debtor.id)).await?,
        })
    }

    /// The creditor's country (ISO code).
    pub fn country(&self) -> &str {
        &self.country
    }

    /// The terms and notices of one of the debtor's claims.
    pub async fn facts(&self, tx: &mut dyn Tx, claim: &Claim) -> AppResult<ClaimFacts> {
        let own = contract::own_claim_terms(tx, claim.id).await?;
        Ok(ClaimFacts {
            terms: self.creditor_terms.overlaid_by(&own),
            notices: contract::notices_of_claim(&self.notices, claim.id),
        })
    }

    /// Late interest and indemnity of one of the debtor's claims as of a date.
    pub async fn penalties(
        &self,
        tx: &mut dyn Tx,
        detail: &queries::ClaimDetail,
        as_of: Date,
        tables: &RateTables,
    ) -> AppResult<ClaimPenalties> {
        self.penalties_on(
            tx,
            &detail.claim,
            &detail.debtor,
            &detail.ledger,
            as_of,
            tables,
        )
        .await
    }

    /// [`DebtorLaw::penalties`] on a claim and ledger the caller holds already (the
    /// ledger as the caller sees it, postings not yet stored included).
    pub async fn penalties_on(
        &self,
        tx: &mut dyn Tx,
        claim: &Claim,
        debtor: &Debtor,
        ledger: &ClaimLedger,
        as_of: Date,
        tables: &RateTables,
    ) -> AppResult<ClaimPenalties> {
        let facts = self.facts(tx, claim).await?;
        Ok(penalties_for(
            claim,
            debtor,
            &self.country,
            ledger,
            as_of,
            tables,
            &facts,
        ))
    }
}

/// Late interest and indemnity of one claim as of a date.
pub async fn claim_penalties(
    tx: &mut dyn Tx,
    id: ClaimId,
    as_of: Date,
    tables: &RateTables,
) -> AppResult<ClaimPenalties> {
    let detail = queries::claim_detail(tx, id, as_of).await?;
    DebtorLaw::load(tx, &detail.debtor)
        .await?
        .penalties(tx, &detail, as_of, tables)
        .await
}

/// One claim's limitation deadline, for the portfolio list.
#[derive(Debug, Clone, Serialize)]
pub struct LimitationLine {
    pub claim_id: ClaimId,
    pub number: String,
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub open: Money,
    pub deadline: LimitationDeadline,
    pub days_left: i32,
    pub alert: AlertLevel,
}

/// Open claims whose limitation deadline falls within `within_days` of `as_of` (or has
/// passed), soonest first. Part payments count as acknowledgments that restart the period;
/// the events people recorded (see [`crate::limitation_events`]) count too.
pub async fn limitation(
    tx: &mut dyn Tx,
    as_of: Date,
    within_days: i32,
) -> AppResult<Vec<LimitationLine>> {
    let facts = LimitationFacts::load(tx).await?;
    let claims = tx.claims(None).await?;
    let mut entries: HashMap<ClaimId, Vec<domain::LedgerEntry>> = HashMap::new();
    for (claim, e) in tx.all_ledger_entries(None).await? {
        entries.entry(claim).or_default().push(e);
    }
    let mut out: Vec<LimitationLine> = claims
        .into_iter()
        .filter_map(|claim| {
            let entries = entries.remove(&claim.id).unwrap_or_default();
            facts.line(claim, entries, as_of, within_days)
        })
        .collect();
    out.sort_by_key(|l| (l.days_left, l.claim_id));
    Ok(out)
}

/// The limitation lines of the claims `ids` (read one by one: for a few candidates among
/// many claims), within `within_days` of `as_of`, soonest first.
pub async fn limitation_of(
    tx: &mut dyn Tx,
    ids: &[ClaimId],
    as_of: Date,
    within_days: i32,
) -> AppResult<Vec<LimitationLine>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let facts = LimitationFacts::load(tx).await?;
    let mut out = Vec::new();
    for id in ids {
        let Some(claim) = tx.claim(*id).await? else {
            continue;
        };
        let entries = tx.ledger_entries(*id).await?;
        out.extend(facts.line(claim, entries, as_of, within_days));
    }
    out.sort_by_key(|l| (l.days_left, l.claim_id));
    Ok(out)
}

/// The limitation deadlines of one debtor's open claims whatever their distance, soonest
/// first, and the events recorded on the debtor, its claims and its co-debtors: for the
/// debtor and claim pages.
#[derive(Debug, Clone, Serialize)]
pub struct DebtorLimitation {
    pub lines: Vec<LimitationLine>,
    pub events: Vec<StoredLimitationEvent>,
}

pub async fn debtor_limitation(
    tx: &mut dyn Tx,
    id: DebtorId,
    as_of: Date,
) -> AppResult<DebtorLimitation> {
    let debtor = tx.debtor(id).await?.ok_or_else(|| AppError::NotFound {
        what: "debtor",
        id: id.to_string(),
    })?;
    let claims = tx.claims_of_debtor(id).await?;
    let facts = LimitationFacts::load_for(tx, debtor, &claims).await?;
    let mut entries: HashMap<ClaimId, Vec<domain::LedgerEntry>> = HashMap::new();
    for (claim, e) in tx.ledger_entries_of_debtor(id).await? {
        entries.entry(claim).or_default().push(e);
    }
    let mut lines: Vec<LimitationLine> = claims
        .into_iter()
        .filter_map(|claim| {
            let entries = entries.remove(&claim.id).unwrap_or_default();
            facts.line(claim, entries, as_of, i32::MAX)
        })
        .collect();
    lines.sort_by_key(|l| (l.days_left, l.claim_id));
    let mut events = facts.recorded;
    events.sort_by_key(|e| (e.on, e.id));
    Ok(DebtorLimitation { lines, events })
}

/// Shortest limitation period there is (2 years, consumer claims), less the 90-day alert
/// and a margin for leap days: a claim whose last event (due date or part payment) is more
/// recent than this cannot be within 90 days of its deadline.
pub const LIMITATION_CANDIDATE_DAYS: i32 = 2 * 365 - 90 - 5;

/// What limitation depends on beyond a claim's own ledger: the creditors' countries, the
/// debtors and the recorded limitation events.
struct LimitationFacts {
    countries: HashMap<domain::CreditorId, String>,
    debtors: HashMap<DebtorId, Debtor>,
    events: EventsByClaim,
    /// The recorded events loaded (for one debtor: its own, its claims' and its
    /// co-debtors').
    recorded: Vec<StoredLimitationEvent>,
}

impl LimitationFacts {
    async fn load(tx: &mut dyn Tx) -> AppResult<Self> {
        let countries = Self::countries(tx).await?;
        let debtors = tx
            .debtors(None)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
        let recorded = tx.limitation_events(None).await?;
        let parties = if recorded.is_empty() {
            Vec::new()
        } else {
            tx.claim_parties(&[]).await?
        };
        Ok(Self {
            countries,
            debtors,
            events: EventsByClaim::new(recorded.clone(), &parties),
            recorded,
        })
    }

    /// The facts for one debtor's claims only.
    async fn load_for(tx: &mut dyn Tx, debtor: Debtor, claims: &[Claim]) -> AppResult<Self> {
        let countries = Self::countries(tx).await?;
        let ids: Vec<ClaimId> = claims.iter().map(|c| c.id).collect();
        let parties = if ids.is_empty() {
            Vec::new()
        } else {
            tx.claim_parties(&ids).await?
        };
        let mut recorded = tx.limitation_events(Some(debtor.id)).await?;
        let mut co_debtors: Vec<DebtorId> = parties
            .iter()
            .filter(|p| p.role == domain::agreements::PartyRole::CoDebtor)
            .map(|p| p.debtor_id)
            .filter(|d| *d != debtor.id)
            .collect();
        co_debtors.sort();
        co_debtors.dedup();
        for co in co_debtors {
            recorded.extend(
                tx.limitation_events(Some(co))
                    .await?
                    .into_iter()
                    .filter(|e| e.claim_id.is_none()),
            );
        }
        Ok(Self {
            countries,
            debtors: HashMap::from([(debtor.id, debtor)]),
            events: EventsByClaim::new(recorded.clone(), &parties),
            recorded,
        })
    }

    async fn countries(tx: &mut dyn Tx) -> AppResult<HashMap<domain::CreditorId, String>> {
        Ok(tx
            .creditors()
            .await?
            .into_iter()
            .map(|c| (c.id, c.country))
            .collect())
    }

    /// The claim's deadline as of `as_of` when its rule is known: from its due date, its
    /// part payments and the events recorded for it.
    fn deadline(
        &self,
        claim: &Claim,
        debtor: &Debtor,
        ledger: &ClaimLedger,
        as_of: Date,
    ) -> Option<LimitationDeadline> {
        let country = self
            .countries
            .get(&claim.creditor_id)
            .map_or("FR", String::as_str);
        let jurisdiction = Jurisdiction::from_country(country)?;
        let kind = LimitationKind::for_claim(claim.nature, debtor.segment)?;
        let events = ledger
            .entries()
            .iter()
            .filter(|e| e.kind == EntryKind::Payment && e.date <= as_of)
            .map(|e| Event {
                kind: EventKind::PartPayment,
                date: e.date,
            })
            .chain(
                self.events
                    .for_claim(claim.id, claim.debtor_id)
                    .into_iter()
                    .flat_map(|e| limitation_events::law_events(e, as_of)),
            )
            .collect();
        limitation_deadline(&LimitationRequest {
            jurisdiction,
            kind,
            start: claim.due_date,
            events,
        })
        .ok()
    }

    /// The claim's line when it is open, its rule is known and its deadline is within
    /// `within_days` of `as_of` (or passed).
    fn line(
        &self,
        claim: Claim,
        entries: Vec<domain::LedgerEntry>,
        as_of: Date,
        within_days: i32,
    ) -> Option<LimitationLine> {
        let debtor = self.debtors.get(&claim.debtor_id)?;
        let ledger = ClaimLedger::from_entries(claim.currency, entries);
        let open = ledger.balance_as_of(as_of);
        if !open.is_positive() || claim.issue_date > as_of {
            return None;
        }
        let deadline = self.deadline(&claim, debtor, &ledger, as_of)?;
        let days_left = domain::date::days_between(as_of, deadline.deadline);
        if days_left > within_days {
            return None;
        }
        Some(LimitationLine {
            claim_id: claim.id,
            number: claim.number.to_string(),
            debtor_id: debtor.id,
            debtor_name: debtor.name.clone(),
            open,
            alert: deadline.alert_level(as_of),
            deadline,
            days_left,
        })
    }
}

/// The legal routes open against a debtor for its overdue claims, with the amounts the
/// law allows (principal, interest, indemnities) and a recommendation. Time-barred claims
/// (limitation deadline passed) are left out of the amounts and listed apart; a claim
/// under an open dispute makes the case disputed; a debtor tagged as a public body
/// ([`domain::party::PUBLIC_BODY_TAG`]) gets no civil procedure.
#[derive(Debug, Clone, Serialize)]
pub struct DebtorRoutes {
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub claims: Vec<ClaimPenalties>,
    /// Overdue claims left out because their limitation deadline has passed.
    pub time_barred: Vec<TimeBarred>,
    /// An open dispute covers one of the claims litigated.
    pub disputed: bool,
    pub public_body: bool,
    pub advice: RouteAdvice,
}

/// An overdue claim whose limitation deadline has passed.
#[derive(Debug, Clone, Serialize)]
pub struct TimeBarred {
    pub claim_id: ClaimId,
    pub number: String,
    pub open: Money,
    pub deadline: Date,
}

pub async fn debtor_routes(
    tx: &mut dyn Tx,
    id: DebtorId,
    as_of: Date,
    tables: &RateTables,
) -> AppResult<DebtorRoutes> {
    let debtor = tx.debtor(id).await?.ok_or_else(|| AppError::NotFound {
        what: "debtor",
        id: id.to_string(),
    })?;
    let law = DebtorLaw::load(tx, &debtor).await?;
    let country = law.country().to_string();
    let claims = tx.claims_of_debtor(id).await?;
    let limits = LimitationFacts::load_for(tx, debtor.clone(), &claims).await?;
    let disputed_claims: std::collections::HashSet<ClaimId> = crate::agreements::of_debtor(tx, id)
        .await?
        .disputes
        .into_iter()
        .filter(|(_, d)| d.is_open() && d.opened_on <= as_of)
        .flat_map(|(_, d)| d.claims)
        .collect();
    let mut entries: HashMap<ClaimId, Vec<domain::LedgerEntry>> = HashMap::new();
    for (claim, e) in tx.ledger_entries_of_debtor(id).await? {
        entries.entry(claim).or_default().push(e);
    }
    let zero = Money::zero(Currency::EUR);
    let (mut principal, mut interest, mut indemnity, mut barred) = (zero, zero, zero, zero);
    let mut lines = Vec::new();
    let mut time_barred = Vec::new();
    let mut disputed = false;
    for claim in claims.iter().filter(|c| c.currency == Currency::EUR) {
        let ledger = ClaimLedger::from_entries(
            claim.currency,
            entries.remove(&claim.id).unwrap_or_default(),
        );
        if !matches!(ledger.status(claim, as_of), ClaimStatus::Overdue { .. }) {
            continue;
        }
        // A court would dismiss a time-barred claim: it is not litigated.
        if let Some(deadline) = limits
            .deadline(claim, &debtor, &ledger, as_of)
            .filter(|d| d.alert_level(as_of) == AlertLevel::Expired)
        {
            let open = ledger.balance_as_of(as_of);
            barred = barred
                .checked_add(open)
                .map_err(|e| AppError::Invalid(e.to_string()))?;
            time_barred.push(TimeBarred {
                claim_id: claim.id,
                number: claim.number.to_string(),
                open,
                deadline: deadline.deadline,
            });
            continue;
        }
        disputed |= disputed_claims.contains(&claim.id);
        let facts = law.facts(tx, claim).await?;
        let p = penalties_for(claim, &debtor, &country, &ledger, as_of, tables, &facts);
        principal = principal
            .checked_add(p.open)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        interest = interest
            .checked_add(p.interest_total())
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        if let Some(i) = &p.indemnity {
            indemnity = indemnity
                .checked_add(i.amount)
                .map_err(|e| AppError::Invalid(e.to_string()))?;
        }
        lines.push(p);
    }
    let public_body = debtor.is_public_body();
    let advice = advise_routes(&RouteRequest {
        principal,
        interest,
        indemnity,
        segment: debtor.segment,
        creditor_country: country,
        debtor_country: debtor.country.clone(),
        disputed,
        recovery_odds: None,
        public_body,
        time_barred: Some(barred),
    })
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    Ok(DebtorRoutes {
        debtor_id: id,
        debtor_name: debtor.name,
        claims: lines,
        time_barred,
        disputed,
        public_body,
        advice,
    })
}
