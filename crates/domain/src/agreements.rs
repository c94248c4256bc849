//! # Agreements: promises to pay, payment plans, disputes, co-debtors
//!
//! Most debts are settled by agreement. This module holds what was agreed and decides,
//! from the payments actually received, whether it is being kept:
//!
//! - a **promise to pay** ("promesse de paiement"): an amount by a date; kept when the
//!   payments made since the promise reach the amount by the date (plus grace), partly kept
//!   when some arrived, broken when none did;
//! - a **payment plan** ("échéancier"): an optional down payment and instalments. Payments
//!   made since the agreement are counted cumulatively, so a partial instalment carries
//!   over to the next: instalment *k* is met when the payments received by its due date
//!   plus the grace period cover every amount due up to and including *k*. The plan is
//!   broken the day after the grace period of the first instalment not met. A court-granted
//!   schedule ("délais de grâce", C. civ. 1343-5, up to two years) is a plan whose terms
//!   the collector cannot change;
//! - a **dispute** ("litige") on some claims: while it is open, those claims are not
//!   reminded (the dunning pass treats them as disputed) and the others are;
//! - **co-debtors** ("codébiteurs solidaires") and **guarantors** ("cautions") of a claim.
//!   A plan on a claim with co-debtors is a restructuring personal to whoever agrees to it
//!   (C. civ. 1315, 1316, 1350-1; domain-rules §8): it stays a draft until every co-debtor
//!   has consented, and [`missing_consents`] says who has not.
//!
//! Pure: plain data and an `as_of` date in, statuses out. The shell stores the agreements
//! and feeds the payments from the ledger.

use crate::date::{Date, date_of_day, day_number};
use crate::ids::{ClaimId, DebtorId};
use crate::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// Why an agreement cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    #[error("{field}: {why} / {pourquoi}")]
    Invalid {
        field: &'static str,
        why: String,
        pourquoi: String,
    },
}

fn invalid(field: &'static str, why: &str, pourquoi: &str) -> AgreementError {
    AgreementError::Invalid {
        field,
        why: why.to_string(),
        pourquoi: pourquoi.to_string(),
    }
}

// ----------------------------------------------------------------------------- promises

/// Where a promise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStatus {
    /// Not yet due, and not yet fully paid.
    Open,
    Kept,
    /// Some money came, not all, and the date (plus grace) has passed.
    PartlyKept,
    Broken,
    Cancelled,
}

impl PromiseStatus {
    /// Whether the promise still pauses the debtor's reminders.
    pub fn is_live(self) -> bool {
        self == Self::Open
    }
}

/// A debtor's promise to pay `amount` by `due`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    pub debtor_id: DebtorId,
    /// The claims it is for (all the debtor's open claims when empty).
    pub claims: Vec<ClaimId>,
    pub amount: Money,
    pub due: Date,
    /// The day it was made; payments from that day on count.
    pub made_on: Date,
    /// How it was made (phone, e-mail, portal…).
    pub channel: String,
    pub note: String,
    pub status: PromiseStatus,
    /// The day it was found kept, partly kept, broken or cancelled.
    pub closed_on: Option<Date>,
}

/// The status of `promise` as of `as_of`, given `paid`: what was paid on its claims from
/// `made_on` up to `as_of`, and the payments' last day. A promise is judged the day after
/// `due + grace_days`; kept as soon as the amount is reached.
pub fn promise_status(
    promise: &Promise,
    paid: Money,
    as_of: Date,
    grace_days: i32,
) -> PromiseStatus {
    if promise.status == PromiseStatus::Cancelled {
        return PromiseStatus::Cancelled;
    }
    if paid.minor() >= promise.amount.minor() {
        return PromiseStatus::Kept;
    }
    if day_number(as_of) <= day_number(promise.due) + grace_days {
        return PromiseStatus::Open;
    }
    if paid.is_positive() {
        PromiseStatus::PartlyKept
    } else {
        PromiseStatus::Broken
    }
}

// -------------------------------------------------------------------------------- plans

/// How often instalments fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Weekly,
    Fortnightly,
    Monthly,
    Quarterly,
}

impl Frequency {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "weekly" | "hebdomadaire" | "week" => Some(Self::Weekly),
            "fortnightly" | "biweekly" | "quinzaine" => Some(Self::Fortnightly),
            "monthly" | "mensuel" | "month" => Some(Self::Monthly),
            "quarterly" | "trimestriel" | "quarter" => Some(Self::Quarterly),
            _ => None,
        }
    }

    /// The `n`-th date from `first` (n = 0 is `first`). Months keep the day of the month,
    /// clamped to the month's last day (31 January → 28 or 29 February → 31 March).
    fn nth(self, first: Date, n: i32) -> Option<Date> {
        let span = match self {
            Self::Weekly => jiff::Span::new().days(i64::from(n) * 7),
            Self::Fortnightly => jiff::Span::new().days(i64::from(n) * 14),
            Self::Monthly => jiff::Span::new().months(i64::from(n)),
            Self::Quarterly => jiff::Span::new().months(i64::from(n) * 3),
        };
        first.checked_add(span).ok()
    }

    /// Days in a period, for interest (a month counts 30 days, a quarter 90: the 30/360
    /// convention, stated in the schedule's notes).
    fn days(self) -> i64 {
        match self {
            Self::Weekly => 7,
            Self::Fortnightly => 14,
            Self::Monthly => 30,
            Self::Quarterly => 90,
        }
    }
}

/// One amount due on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    pub due: Date,
    pub amount: Money,
    /// Of which interest.
    pub interest: Money,
    /// The SEPA direct-debit message it was collected in, once exported.
    #[serde(default)]
    pub collected_in: Option<String>,
}

/// What a schedule is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRequest {
    /// What the plan settles (the debtor's open claims it covers).
    pub total: Money,
    /// Paid on `first`, before the instalments.
    pub down_payment: Option<Money>,
    /// Either a number of instalments…
    pub count: Option<u32>,
    /// …or a fixed instalment amount (the last one is smaller).
    pub fixed: Option<Money>,
    pub every: Frequency,
    /// The first instalment's day (the down payment's, when there is one).
    pub first: Date,
    /// Interest on the remaining principal, in basis points a year (`None`: without).
    pub annual_rate_bp: Option<u32>,
}

/// The longest plan we build: 10 years of weekly instalments.
const MAX_INSTALMENTS: i64 = 520;

/// Builds the schedule: the down payment, then instalments of equal principal (the
/// remainder of the division goes to the first ones, a cent each) or of a fixed amount,
/// each with the interest on the principal still owed over its period (rounded half up to
/// the cent, 30/360). The principal parts add up to `total` exactly.
pub fn schedule(req: &ScheduleRequest) -> Result<Vec<Instalment>, AgreementError> {
    let currency = req.total.currency();
    if !req.total.is_positive() {
        return Err(invalid("total", "nothing to schedule", "rien à échelonner"));
    }
    let mut out = Vec::new();
    let mut remaining = req.total.minor();
    let mut n = 0;
    if let Some(down) = req.down_payment {
        if down.currency() != currency || !down.is_positive() || down.minor() >= remaining {
            return Err(invalid(
                "down_payment",
                "must be positive, in the plan's currency and less than the total",
                "doit être positif, dans la devise du plan et inférieur au total",
            ));
        }
        out.push(instalment(req.first, down.minor(), 0, currency));
        remaining -= down.minor();
        n = 1;
    }
    let principal_parts: Vec<i64> = match (req.count, req.fixed) {
        (Some(count), None) => {
            if count == 0 || i64::from(count) > MAX_INSTALMENTS {
                return Err(invalid(
                    "count",
                    "between 1 and 520 instalments",
                    "entre 1 et 520 échéances",
                ));
            }
            let count = i64::from(count);
            let (base, extra) = (remaining / count, remaining % count);
            (0..count).map(|i| base + i64::from(i < extra)).collect()
        }
        (None, Some(fixed)) => {
            if fixed.currency() != currency || !fixed.is_positive() {
                return Err(invalid(
                    "fixed",
                    "must be positive, in the plan's currency",
                    "doit être positif, dans la devise du plan",
                ));
            }
            let count = (remaining + fixed.minor() - 1) / fixed.minor();
            if count > MAX_INSTALMENTS {
                return Err(invalid(
                    "fixed",
                    "the instalment is too small: more than 520 instalments",
                    "échéance trop faible : plus de 520 échéances",
                ));
            }
            let mut left = remaining;
            (0..count)
                .map(|_| {
                    let part = fixed.minor().min(left);
                    left -= part;
                    part
                })
                .collect()
        }
        _ => {
            return Err(invalid(
                "count",
                "give either a number of instalments or a fixed amount",
                "indiquer soit un nombre d'échéances, soit un montant fixe",
            ));
        }
    };
    let mut owed = remaining;
    for (i, part) in principal_parts.into_iter().enumerate() {
        let index = n + i32::try_from(i).unwrap_or(i32::MAX);
        let due = req.every.nth(req.first, index).ok_or_else(|| {
            invalid(
                "first",
                "the schedule runs past year 9999",
                "l'échéancier dépasse l'an 9999",
            )
        })?;
        let interest = req
            .annual_rate_bp
            .map_or(0, |bp| interest_minor(owed, bp, req.every.days()));
        out.push(instalment(due, part + interest, interest, currency));
        owed -= part;
    }
    Ok(out)
}

fn instalment(due: Date, amount: i64, interest: i64, currency: Currency) -> Instalment {
    Instalment {
        due,
        amount: Money::from_minor(amount, currency),
        interest: Money::from_minor(interest, currency),
        collected_in: None,
    }
}

/// `owed × bp / 10 000 × days / 360`, rounded half up to the minor unit.
fn interest_minor(owed: i64, bp: u32, days: i64) -> i64 {
    let num = i128::from(owed) * i128::from(bp) * i128::from(days);
    let den: i128 = 10_000 * 360;
    i64::try_from((num * 2 + den) / (den * 2)).unwrap_or(i64::MAX)
}

/// Where a plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Waiting for the consent of every co-debtor.
    Draft,
    Active,
    Broken,
    Completed,
    Cancelled,
}

/// A co-debtor's recorded agreement to a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub debtor_id: DebtorId,
    pub on: Date,
    pub channel: String,
}

/// A payment plan ("échéancier").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub debtor_id: DebtorId,
    pub claims: Vec<ClaimId>,
    pub currency: Currency,
    pub instalments: Vec<Instalment>,
    /// Days after an instalment's due date before it counts as missed.
    pub grace_days: i32,
    /// Granted by a court: the collector cannot change its terms.
    pub court_ordered: bool,
    pub agreed_on: Date,
    pub channel: String,
    /// Who agreed it on the creditor's side.
    pub agreed_by: String,
    /// The SEPA mandate its instalments are collected with, if any.
    #[serde(default)]
    pub mandate: Option<String>,
    /// Everyone whose consent the plan needs besides the debtor (the claims' co-debtors).
    #[serde(default)]
    pub co_debtors: Vec<DebtorId>,
    #[serde(default)]
    pub consents: Vec<Consent>,
    pub status: PlanStatus,
    pub closed_on: Option<Date>,
}

/// The co-debtors whose consent the plan still lacks.
pub fn missing_consents(plan: &Plan) -> Vec<DebtorId> {
    plan.co_debtors
        .iter()
        .copied()
        .filter(|d| !plan.consents.iter().any(|c| c.debtor_id == *d))
        .collect()
}

/// How a plan is being kept as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanProgress {
    /// Paid since the agreement (up to the day).
    pub paid: Money,
    /// For each instalment, what of it is covered by the payments (cumulatively: a
    /// payment first covers the earliest instalments).
    pub covered: Vec<Money>,
    /// Instalments fully covered.
    pub met: usize,
    /// The status the plan has as of the day (a draft or cancelled plan keeps its own).
    pub status: PlanStatus,
    /// The day it broke: the day after the grace period of the first instalment missed.
    pub broken_on: Option<Date>,
    /// The next instalment not fully covered: its day and what is left of it.
    pub next: Option<(Date, Money)>,
}

/// The progress of `plan` as of `as_of`, from `payments`: (day, amount) of the payments
/// on its claims, any day (those before `agreed_on` or after `as_of` are ignored).
pub fn plan_progress(plan: &Plan, payments: &[(Date, Money)], as_of: Date) -> PlanProgress {
    let today = day_number(as_of);
    let agreed = day_number(plan.agreed_on);
    let mut dated: Vec<(i32, i64)> = payments
        .iter()
        .map(|(d, m)| (day_number(*d), m.minor()))
        .filter(|(d, _)| *d >= agreed && *d <= today)
        .collect();
    dated.sort_unstable();
    let paid_by = |day: i32| -> i64 {
        dated
            .iter()
            .take_while(|(d, _)| *d <= day)
            .map(|(_, m)| m)
            .sum()
    };
    let paid = paid_by(today);
    let mut covered = Vec::with_capacity(plan.instalments.len());
    let mut left = paid;
    let mut met = 0;
    let mut next = None;
    let mut broken_on = None;
    let mut due_so_far = 0_i64;
    for inst in &plan.instalments {
        let part = left.min(inst.amount.minor()).max(0);
        left -= part;
        covered.push(Money::from_minor(part, plan.currency));
        if part == inst.amount.minor() {
            met += 1;
        } else if next.is_none() {
            next = Some((
                inst.due,
                Money::from_minor(inst.amount.minor() - part, plan.currency),
            ));
        }
        due_so_far += inst.amount.minor();
        // Missed: the grace period is over and what was paid by its end does not cover
        // everything due up to this instalment.
        let deadline = day_number(inst.due) + plan.grace_days;
        if broken_on.is_none() && deadline < today && paid_by(deadline) < due_so_far {
            broken_on = date_of_day(deadline + 1);
        }
    }
    let status = match plan.status {
        PlanStatus::Draft | PlanStatus::Cancelled | PlanStatus::Broken => plan.status,
        PlanStatus::Active | PlanStatus::Completed => {
            if met == plan.instalments.len() {
                PlanStatus::Completed
            } else if broken_on.is_some() {
                PlanStatus::Broken
            } else {
                PlanStatus::Active
            }
        }
    };
    PlanProgress {
        paid: Money::from_minor(paid, plan.currency),
        covered,
        met,
        status,
        broken_on,
        next,
    }
}

// ----------------------------------------------------------------------------- disputes

/// Why a debtor disputes a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeReason {
    Quality,
    Price,
    Delivery,
    NotReceived,
    AlreadyPaid,
    Other,
}

impl DisputeReason {
    pub const ALL: [Self; 6] = [
        Self::Quality,
        Self::Price,
        Self::Delivery,
        Self::NotReceived,
        Self::AlreadyPaid,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quality => "quality",
            Self::Price => "price",
            Self::Delivery => "delivery",
            Self::NotReceived => "not_received",
            Self::AlreadyPaid => "already_paid",
            Self::Other => "other",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Quality => "qualité",
            Self::Price => "prix",
            Self::Delivery => "livraison",
            Self::NotReceived => "facture non reçue",
            Self::AlreadyPaid => "déjà payé",
            Self::Other => "autre",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|r| {
            r.as_str() == t
                || r.label_fr().replace(' ', "_") == t
                || (t == "qualite" && *r == Self::Quality)
        })
    }
}

/// How a dispute ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Resolution {
    /// The creditor agreed: a credit note of this amount (the whole claim, or part).
    CreditNote { amount: Money },
    /// Agreement on part: a credit note for the part conceded, collection resumes for the
    /// rest.
    PartialAgreement { amount: Money },
    /// The dispute was unfounded: collection resumes.
    Rejected,
}

/// A dispute on some claims of a debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub debtor_id: DebtorId,
    pub claims: Vec<ClaimId>,
    pub reason: DisputeReason,
    pub note: String,
    /// References of attachments (file names, document ids).
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Who handles it.
    pub owner: String,
    /// When it should be settled by.
    pub due: Option<Date>,
    pub opened_on: Date,
    pub resolution: Option<Resolution>,
    pub resolved_on: Option<Date>,
}

impl Dispute {
    pub fn is_open(&self) -> bool {
        self.resolution.is_none()
    }

    /// Days it has been open as of `as_of` (until its resolution when resolved).
    pub fn age_days(&self, as_of: Date) -> i32 {
        let end = self.resolved_on.unwrap_or(as_of);
        day_number(end) - day_number(self.opened_on)
    }

    /// Open past its due date.
    pub fn overdue(&self, as_of: Date) -> bool {
        self.is_open() && self.due.is_some_and(|d| d < as_of)
    }
}

// --------------------------------------------------------------------------- co-debtors

/// How a party other than the claim's debtor is bound to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// Jointly and severally liable ("codébiteur solidaire", C. civ. 1313).
    CoDebtor,
    /// Guarantor ("caution", C. civ. 2288).
    Guarantor,
}

impl PartyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CoDebtor => "co_debtor",
            Self::Guarantor => "guarantor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "co_debtor" | "codebtor" | "codebiteur" | "codébiteur" => Some(Self::CoDebtor),
            "guarantor" | "caution" => Some(Self::Guarantor),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
