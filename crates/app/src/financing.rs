//! Assigned and insured claims: the receivables a creditor has sold to a factor
//! ("affacturage", subrogation) or covered with a credit insurer.
//!
//! A factor or an insurer is a *financing party*; a claim, or a debtor (all its claims), is
//! assigned to one from a date. A claim's own assignment wins over its debtor's. What
//! follows from it:
//!
//! - an assigned claim is paid to the factor: its letters carry the factor's name and bank
//!   details and the mention that only a payment to the factor discharges the debtor
//!   (`comms`), and a payment Recouvre receives on it is to be passed on ([`pass_on`]);
//! - the creditor chooses whether Recouvre still duns an assigned claim (on the factor's
//!   behalf) or leaves it to the factor (`dun` false: the run leaves it out);
//! - an insured claim must be declared to the insurer as a threatened loss within the
//!   policy's days after its due date: the run raises a task [`INSURER_ALERT_DAYS`] days
//!   before that deadline, once ([`InsurerDeadline`]);
//! - the aged balance can be split own / assigned / insured ([`FinancingBook::claim_groups`]).
//!
//! Changes are audited through [`crate::audit`].

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{
    AssignmentScope, FinancingParty, PartyKind, PaymentStatus, StoredAssignment, StoredPayment, Tx,
};
use domain::book::Book;
use domain::date::{date_of_day, day_number};
use domain::{ClaimId, Date, DebtorId, Money};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Setting: how many days before an insurer's declaration deadline the run raises its
/// task (default [`DEFAULT_INSURER_ALERT_DAYS`]).
pub const INSURER_ALERT_DAYS: &str = "insurer_alert_days";
/// Two weeks leave time to gather the file the insurer asks for.
pub const DEFAULT_INSURER_ALERT_DAYS: i64 = 15;
/// The pseudo-scenario of the insurer's declaration tasks (outside the cases' cycles, as
/// the limitation alerts).
pub const INSURER_SCENARIO: &str = "insurer";
/// The longest name or policy reference kept.
const MAX_TEXT: usize = 200;
/// The longest declaration deadline accepted (ten years): beyond, a typing error.
const MAX_DECLARE_DAYS: i64 = 3_650;

/// How a claim is financed, the dimension of the aged balance's `financing` grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Financing {
    /// The creditor's own.
    Own,
    /// Assigned to a factor.
    Assigned,
    /// Covered by a credit insurer.
    Insured,
}

impl Financing {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Own => "own",
            Self::Assigned => "assigned",
            Self::Insured => "insured",
        }
    }
}

/// A factor or an insurer to record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyInput {
    pub name: String,
    /// A factor's account (required for a factor).
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// An insurer's policy reference (required for an insurer).
    pub policy: Option<String>,
    /// An insurer's deadline to declare a threatened loss, in days after the due date
    /// (required for an insurer).
    pub declare_within_days: Option<i64>,
}

fn invalid(text: String) -> AppError {
    AppError::Invalid(text)
}

fn bounded(field: &str, value: &str) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(domain::tr!(
            "{field}: must not be empty",
            "{field} : ne doit pas être vide"
        )));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(invalid(domain::tr!(
            "{field}: at most {MAX_TEXT} characters",
            "{field} : {MAX_TEXT} caractères au plus"
        )));
    }
    Ok(value.to_string())
}

/// Checks a factor or an insurer: a factor has a valid IBAN (and BIC, if given) and no
/// policy; an insurer a policy reference and a deadline of zero days or more, and no bank
/// details. Nothing is written.
pub fn check_party(kind: PartyKind, input: &PartyInput) -> AppResult<FinancingParty> {
    let name = bounded("name", &input.name)?;
    let mut party = FinancingParty {
        id: 0,
        kind,
        name,
        iban: None,
        bic: None,
        policy: None,
        declare_within_days: None,
        created_at: String::new(),
    };
    match kind {
        PartyKind::Factor => {
            if input.policy.is_some() || input.declare_within_days.is_some() {
                return Err(invalid(
                    "a factor has no policy nor declaration deadline (those are an insurer's) \
                     / un affactureur n'a ni police ni délai de déclaration"
                        .into(),
                ));
            }
            let iban = input.iban.as_deref().ok_or_else(|| {
                invalid(domain::tr!(
                    "iban: a factor's bank account is required",
                    "iban : le compte bancaire d'un factor est obligatoire"
                ))
            })?;
            let iban =
                formats::iban::Iban::parse(iban).map_err(|e| invalid(format!("iban: {e}")))?;
            party.iban = Some(iban.as_str().to_string());
            party.bic = input
                .bic
                .as_deref()
                .filter(|b| !b.trim().is_empty())
                .map(|b| formats::pain008::parse_bic(b).map_err(|e| invalid(format!("bic: {e}"))))
                .transpose()?;
        }
        PartyKind::Insurer => {
            if input.iban.is_some() || input.bic.is_some() {
                return Err(invalid(
                    "an insurer is not paid by the debtor: no IBAN nor BIC \
                     / un assureur n'a pas de coordonnées bancaires ici"
                        .into(),
                ));
            }
            let policy = input.policy.as_deref().ok_or_else(|| {
                invalid(domain::tr!(
                    "policy: an insurer's policy reference is required",
                    "policy : la référence de la police d'un assureur est obligatoire"
                ))
            })?;
            party.policy = Some(bounded("policy", policy)?);
            let days = input.declare_within_days.ok_or_else(|| {
                invalid(domain::tr!(
                    "declare_within_days: the declaration deadline is required",
                    "declare_within_days : le délai de déclaration est obligatoire"
                ))
            })?;
            if !(0..=MAX_DECLARE_DAYS).contains(&days) {
                return Err(invalid(format!(
                    "declare_within_days: {days} is not between 0 and {MAX_DECLARE_DAYS} days \
                     / le délai doit être entre 0 et {MAX_DECLARE_DAYS} jours"
                )));
            }
            party.declare_within_days = Some(days);
        }
    }
    Ok(party)
}

/// Records a factor or an insurer after [`check_party`].
pub async fn add_party_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    kind: PartyKind,
    input: &PartyInput,
) -> AppResult<FinancingParty> {
    let mut party = check_party(kind, input)?;
    party.created_at = clock.now_rfc3339();
    party.id = tx.insert_financing_party(&party).await?;
    Ok(party)
}

/// What an assignment is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Claim(ClaimId),
    Debtor(DebtorId),
}

impl Target {
    pub fn scope(self) -> AssignmentScope {
        match self {
            Self::Claim(_) => AssignmentScope::Claim,
            Self::Debtor(_) => AssignmentScope::Debtor,
        }
    }

    pub fn owner(self) -> i64 {
        match self {
            Self::Claim(c) => c.0,
            Self::Debtor(d) => d.0,
        }
    }

    /// `claim:12` or `debtor:3`, the audit subject.
    pub fn subject(self) -> String {
        format!("{}:{}", self.scope().as_str(), self.owner())
    }

    async fn check_exists(self, tx: &mut dyn Tx) -> AppResult<()> {
        let exists = match self {
            Self::Claim(c) => tx.claim(c).await?.is_some(),
            Self::Debtor(d) => tx.debtor(d).await?.is_some(),
        };
        if exists {
            Ok(())
        } else {
            Err(AppError::NotFound {
                what: self.scope().as_str(),
                id: self.owner().to_string(),
            })
        }
    }
}

/// An assignment to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssignInput {
    pub target: Target,
    pub party: i64,
    /// From when (today when `None`).
    pub since: Option<Date>,
    /// Whether Recouvre keeps dunning a factor's claims; must be true for an insurer.
    pub dun: bool,
}

async fn assignment_of(tx: &mut dyn Tx, target: Target) -> AppResult<Option<StoredAssignment>> {
    Ok(tx
        .assignments()
        .await?
        .into_iter()
        .find(|a| a.scope == target.scope() && a.owner_id == target.owner()))
}

/// Assigns a claim or a debtor to a factor or an insurer (replacing its assignment);
/// returns the assignment before and after. An unknown claim, debtor or party, or
/// `dun` false for an insurer, is refused and nothing is written.
pub async fn assign_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    input: &AssignInput,
) -> AppResult<(Option<StoredAssignment>, StoredAssignment)> {
    input.target.check_exists(tx).await?;
    let party = tx
        .financing_parties()
        .await?
        .into_iter()
        .find(|p| p.id == input.party)
        .ok_or_else(|| AppError::NotFound {
            what: "financing party",
            id: input.party.to_string(),
        })?;
    if party.kind == PartyKind::Insurer && !input.dun {
        return Err(invalid(format!(
            "{} is an insurer: an insured claim is still the creditor's to dun, only a factor's \
             can be left alone / une créance assurée reste à relancer par le créancier",
            party.name
        )));
    }
    let before = assignment_of(tx, input.target).await?;
    let after = StoredAssignment {
        scope: input.target.scope(),
        owner_id: input.target.owner(),
        party_id: party.id,
        since: input.since.unwrap_or_else(|| clock.today()),
        dun: input.dun,
        updated_at: clock.now_rfc3339(),
    };
    tx.set_assignment(&after).await?;
    Ok((before, after))
}

/// Ends the assignment of a claim or a debtor; returns it (an error when there was none).
pub async fn unassign_in(tx: &mut dyn Tx, target: Target) -> AppResult<StoredAssignment> {
    let before = assignment_of(tx, target)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "assignment",
            id: target.subject(),
        })?;
    tx.delete_assignment(target.scope(), target.owner()).await?;
    Ok(before)
}

/// The factors and insurers and every assignment, for `financing list`.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub parties: Vec<FinancingParty>,
    pub assignments: Vec<AssignmentView>,
}

/// An assignment with its party's name and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentView {
    #[serde(flatten)]
    pub assignment: StoredAssignment,
    pub party_name: String,
    pub party_kind: PartyKind,
    pub financing: Financing,
}

fn view(assignment: &StoredAssignment, party: &FinancingParty) -> AssignmentView {
    AssignmentView {
        assignment: assignment.clone(),
        party_name: party.name.clone(),
        party_kind: party.kind,
        financing: financing_of(party.kind),
    }
}

const fn financing_of(kind: PartyKind) -> Financing {
    match kind {
        PartyKind::Factor => Financing::Assigned,
        PartyKind::Insurer => Financing::Insured,
    }
}

/// Every factor and insurer and every assignment.
pub async fn list(tx: &mut dyn Tx) -> AppResult<Listing> {
    let book = FinancingBook::load(tx).await?;
    let mut assignments: Vec<AssignmentView> = book
        .claims
        .values()
        .chain(book.debtors.values())
        .filter_map(|a| Some(view(a, book.parties.get(&a.party_id)?)))
        .collect();
    assignments.sort_by_key(|v| (v.assignment.scope, v.assignment.owner_id));
    let mut parties: Vec<FinancingParty> = book.parties.into_values().collect();
    parties.sort_by_key(|p| p.id);
    Ok(Listing {
        parties,
        assignments,
    })
}

/// The assignment that governs a claim of `debtor` (its own, else its debtor's), with
/// its party; `None` for the creditor's own claim.
pub async fn of_claim(
    tx: &mut dyn Tx,
    claim: ClaimId,
    debtor: DebtorId,
) -> AppResult<Option<AssignmentView>> {
    let book = FinancingBook::load(tx).await?;
    Ok(book.of(claim, debtor).map(|(a, p)| view(a, p)))
}

/// A debtor's own assignment (of all its claims), with its party.
pub async fn of_debtor(tx: &mut dyn Tx, debtor: DebtorId) -> AppResult<Option<AssignmentView>> {
    let book = FinancingBook::load(tx).await?;
    Ok(book
        .debtors
        .get(&debtor)
        .and_then(|a| Some(view(a, book.parties.get(&a.party_id)?))))
}

/// Every party and assignment, read once for a pass over many claims.
#[derive(Debug, Default)]
pub struct FinancingBook {
    parties: HashMap<i64, FinancingParty>,
    claims: HashMap<ClaimId, StoredAssignment>,
    debtors: HashMap<DebtorId, StoredAssignment>,
}

impl FinancingBook {
    pub async fn load(tx: &mut dyn Tx) -> AppResult<Self> {
        let parties = tx
            .financing_parties()
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut book = Self {
            parties,
            ..Self::default()
        };
        for a in tx.assignments().await? {
            match a.scope {
                AssignmentScope::Claim => book.claims.insert(ClaimId(a.owner_id), a),
                AssignmentScope::Debtor => book.debtors.insert(DebtorId(a.owner_id), a),
            };
        }
        Ok(book)
    }

    /// Nothing is assigned nor insured.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty() && self.debtors.is_empty()
    }

    /// The assignment governing a claim of `debtor` and its party: the claim's own, else
    /// its debtor's.
    pub fn of(
        &self,
        claim: ClaimId,
        debtor: DebtorId,
    ) -> Option<(&StoredAssignment, &FinancingParty)> {
        let a = self
            .claims
            .get(&claim)
            .or_else(|| self.debtors.get(&debtor))?;
        Some((a, self.parties.get(&a.party_id)?))
    }

    /// The same, only when in force on `day` (assigned since that day or earlier).
    fn in_force(
        &self,
        claim: ClaimId,
        debtor: DebtorId,
        day: Date,
    ) -> Option<(&StoredAssignment, &FinancingParty)> {
        self.of(claim, debtor).filter(|(a, _)| a.since <= day)
    }

    /// The claims the run leaves alone on `day`: assigned to a factor that collects them
    /// itself (`dun` false).
    pub fn not_dunned(&self, book: &Book, day: Date) -> HashSet<ClaimId> {
        if self.is_empty() {
            return HashSet::new();
        }
        book.claims()
            .iter()
            .filter(|c| {
                self.in_force(c.id, c.debtor_id, day)
                    .is_some_and(|(a, p)| p.kind == PartyKind::Factor && !a.dun)
            })
            .map(|c| c.id)
            .collect()
    }

    /// Each assigned or insured claim's group in the aged balance as of `day`
    /// ([`Financing::as_str`]); claims not listed are the creditor's own.
    pub fn claim_groups(&self, book: &Book, day: Date) -> HashMap<ClaimId, String> {
        if self.is_empty() {
            return HashMap::new();
        }
        book.claims()
            .iter()
            .filter_map(|c| {
                let (_, p) = self.in_force(c.id, c.debtor_id, day)?;
                Some((c.id, financing_of(p.kind).as_str().to_string()))
            })
            .collect()
    }

    /// The insured claims open on `today` whose declaration deadline (due date + the
    /// policy's days) is at most `lead_days` away and not passed: the tasks the run
    /// raises, each dated the day it fell due ([`InsurerDeadline::raise_on`]).
    pub fn insurer_deadlines(
        &self,
        book: &Book,
        today: Date,
        lead_days: i64,
    ) -> Vec<InsurerDeadline> {
        if self.is_empty() {
            return Vec::new();
        }
        let day = day_number(today);
        let lead = i32::try_from(lead_days).unwrap_or(i32::MAX);
        let mut out = Vec::new();
        for c in book.claims() {
            if c.issue_day > day {
                continue;
            }
            let Some((_, p)) = self.in_force(c.id, c.debtor_id, today) else {
                continue;
            };
            let Some(days) = p
                .declare_within_days
                .filter(|_| p.kind == PartyKind::Insurer)
            else {
                continue;
            };
            let deadline_day = c
                .due_day
                .saturating_add(i32::try_from(days).unwrap_or(i32::MAX));
            let raise_day = deadline_day.saturating_sub(lead);
            if day < raise_day || day > deadline_day {
                continue;
            }
            let open = book.open_minor(c, day);
            if open <= 0 {
                continue;
            }
            let (Some(deadline), Some(raise_on)) =
                (date_of_day(deadline_day), date_of_day(raise_day))
            else {
                continue;
            };
            out.push(InsurerDeadline {
                claim_id: c.id,
                debtor_id: c.debtor_id,
                insurer_id: p.id,
                insurer: p.name.clone(),
                policy: p.policy.clone().unwrap_or_default(),
                deadline,
                raise_on,
                open: Money::from_minor(open, c.currency),
            });
        }
        out
    }
}

/// An insured claim whose threatened loss must be declared to the insurer by `deadline`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InsurerDeadline {
    pub claim_id: ClaimId,
    pub debtor_id: DebtorId,
    pub insurer_id: i64,
    pub insurer: String,
    pub policy: String,
    pub deadline: Date,
    /// The day the task fell due (`deadline` − the alert days): its date, so that the
    /// actions' unique key makes it once whatever day a run first sees it.
    pub raise_on: Date,
    pub open: Money,
}

impl InsurerDeadline {
    /// The task's step code: `insurer_declare:<claim>:<insurer>:<deadline>` — the
    /// worklist reads the insurer and the deadline back from it.
    pub fn step_code(&self) -> String {
        format!(
            "insurer_declare:{}:{}:{}",
            self.claim_id.0, self.insurer_id, self.deadline
        )
    }
}

/// The insurer and deadline of an insurer task's step code (see
/// [`InsurerDeadline::step_code`]).
pub fn parse_step(step: &str) -> Option<(i64, Date)> {
    let mut parts = step.strip_prefix("insurer_declare:")?.split(':');
    let _claim = parts.next()?;
    let insurer = parts.next()?.parse().ok()?;
    let deadline = parts.next()?.parse().ok()?;
    Some((insurer, deadline))
}

/// The reason of an insurer task in the worklist, in French or English.
pub fn task_reason(insurer: &str, deadline: Date, lang: &str) -> String {
    match lang {
        "fr" => format!(
            "déclarer la menace de sinistre à l'assureur {insurer} avant le {} ; ",
            deadline.strftime("%d/%m/%Y")
        ),
        _ => format!("declare the threatened loss to the insurer {insurer} by {deadline}; "),
    }
}

/// The days of warning before an insurer's deadline, from the settings.
pub async fn alert_days(tx: &mut dyn Tx) -> AppResult<i64> {
    match tx.setting(INSURER_ALERT_DAYS).await? {
        None => Ok(DEFAULT_INSURER_ALERT_DAYS),
        Some(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=MAX_DECLARE_DAYS).contains(d))
            .ok_or_else(|| {
                invalid(format!(
                    "setting {INSURER_ALERT_DAYS}: {text:?} is not a number of days from 0 to {MAX_DECLARE_DAYS}"
                ))
            }),
    }
}

/// The factor to pay for a letter about `claims` on `day`: the party of the first of them
/// assigned to a factor, if any.
pub async fn factor_of_claims(
    tx: &mut dyn Tx,
    claims: &[ClaimId],
    day: Date,
) -> AppResult<Option<FinancingParty>> {
    let book = FinancingBook::load(tx).await?;
    if book.is_empty() {
        return Ok(None);
    }
    for id in claims {
        let Some(claim) = tx.claim(*id).await? else {
            continue;
        };
        if let Some((_, p)) = book.in_force(claim.id, claim.debtor_id, day)
            && p.kind == PartyKind::Factor
        {
            return Ok(Some(p.clone()));
        }
    }
    Ok(None)
}

/// The applied payments among `payments` to pass on to a factor, with the factor's name:
/// those with an allocation on a claim assigned to a factor by the payment's value date.
pub async fn pass_on(
    tx: &mut dyn Tx,
    payments: &[StoredPayment],
) -> AppResult<HashMap<i64, String>> {
    let book = FinancingBook::load(tx).await?;
    let mut out = HashMap::new();
    if book.is_empty() {
        return Ok(out);
    }
    let mut debtor_of: HashMap<ClaimId, Option<DebtorId>> = HashMap::new();
    for p in payments
        .iter()
        .filter(|p| p.status == PaymentStatus::Applied)
    {
        for alloc in tx.allocations(p.id).await? {
            let debtor = match debtor_of.get(&alloc.claim_id) {
                Some(d) => *d,
                None => {
                    let d = tx.claim(alloc.claim_id).await?.map(|c| c.debtor_id);
                    debtor_of.insert(alloc.claim_id, d);
                    d
                }
            };
            let factor = debtor
                .and_then(|d| book.in_force(alloc.claim_id, d, p.value_date))
                .filter(|(_, party)| party.kind == PartyKind::Factor);
            if let Some((_, party)) = factor {
                out.insert(p.id, party.name.clone());
                break;
            }
        }
    }
    Ok(out)
}
