//! Limitation events a person records: what interrupts or suspends a claim's limitation
//! period beyond the part payments of its ledger — a written acknowledgment, a court claim
//! and its outcome, an enforcement act, a mediation or conciliation, a judgment (issue 17).
//! Stored append-only (`limitation_events`, migration 0010), recorded through
//! [`crate::audit::record_limitation_event`], and fed to `domain::law::limitation` by
//! [`crate::law`].
//!
//! An event is recorded on a claim, or on a debtor for all its claims. Solidary
//! co-debtors: an interruption against one interrupts against all (C. civ. 2245), so a
//! debtor's event also counts for the claims where that debtor is a co-debtor (not a
//! guarantor: a guarantor's own acknowledgment does not bind the principal debtor).

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{ClaimParty, LimitationEventKind, StoredLimitationEvent, Tx};
use domain::agreements::PartyRole;
use domain::law::{Event, EventKind};
use domain::{ClaimId, Date, DebtorId};

/// What the event is about: one claim, or every claim of a debtor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSubject {
    Claim(ClaimId),
    Debtor(DebtorId),
}

impl EventSubject {
    /// `claim:ID` or `debtor:ID`, the audit log's subject.
    pub fn audit_subject(self) -> String {
        match self {
            Self::Claim(id) => format!("claim:{id}"),
            Self::Debtor(id) => format!("debtor:{id}"),
        }
    }
}

/// An event as a person gives it.
#[derive(Debug, Clone)]
pub struct NewLimitationEvent {
    pub subject: EventSubject,
    pub kind: LimitationEventKind,
    pub on: Date,
    /// The end of a mediation or conciliation, if it has ended.
    pub end: Option<Date>,
    pub proof: Option<String>,
    pub note: Option<String>,
}

/// Checks an event and records it inside the caller's transaction. Errors name the field
/// and say why (FR/EN); nothing is written then.
pub async fn record_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    author: &str,
    new: &NewLimitationEvent,
) -> AppResult<StoredLimitationEvent> {
    let today = clock.today();
    let (debtor_id, claim_id) = match new.subject {
        EventSubject::Claim(id) => {
            let claim = tx.claim(id).await?.ok_or_else(|| AppError::NotFound {
                what: "claim",
                id: id.to_string(),
            })?;
            (claim.debtor_id, Some(id))
        }
        EventSubject::Debtor(id) => {
            if tx.debtor(id).await?.is_none() {
                return Err(AppError::NotFound {
                    what: "debtor",
                    id: id.to_string(),
                });
            }
            (id, None)
        }
    };
    if new.on > today {
        return Err(AppError::Invalid(domain::tr!(
            "date: {} is in the future (today is {today})",
            "date : {} est dans le futur (nous sommes le {today})",
            new.on
        )));
    }
    match (new.kind, new.end) {
        (LimitationEventKind::Mediation, Some(end)) if end < new.on => {
            return Err(AppError::Invalid(domain::tr!(
                "end: {end} is before the start {}",
                "end : {end} précède le début {}",
                new.on
            )));
        }
        (LimitationEventKind::Mediation, Some(end)) if end > today => {
            return Err(AppError::Invalid(domain::tr!(
                "end: {end} is in the future; record the end once it has happened",
                "end : {end} est dans le futur ; enregistrez la fin une fois survenue"
            )));
        }
        (LimitationEventKind::Mediation, _) | (_, None) => {}
        (kind, Some(_)) => {
            return Err(AppError::Invalid(domain::tr!(
                "end: only a mediation has an end, not {}",
                "end : seule une médiation a une fin, pas {}",
                kind.as_str()
            )));
        }
    }
    // The same rules as a formal notice's proof and note.
    let proof = crate::contract::clean_text("proof", new.proof.as_ref())?;
    let note = crate::contract::clean_text("note", new.note.as_ref())?;
    let mut event = StoredLimitationEvent {
        id: 0,
        debtor_id,
        claim_id,
        kind: new.kind,
        on: new.on,
        end: new.end,
        proof,
        note,
        recorded_by: author.to_string(),
        recorded_at: clock.now_rfc3339(),
    };
    event.id = tx.insert_limitation_event(&event).await?;
    Ok(event)
}

/// The engine's events for one recorded event known on `as_of` (a mediation whose end
/// is later than `as_of` is still running then).
pub fn law_events(event: &StoredLimitationEvent, as_of: Date) -> Vec<Event> {
    if event.on > as_of {
        return Vec::new();
    }
    let at = |kind| Event {
        kind,
        date: event.on,
    };
    match event.kind {
        LimitationEventKind::Acknowledgment => vec![at(EventKind::Acknowledgment)],
        LimitationEventKind::CourtClaim => vec![at(EventKind::LegalAction)],
        LimitationEventKind::CourtClaimDismissed | LimitationEventKind::CourtClaimWithdrawn => {
            vec![at(EventKind::LegalActionVoid)]
        }
        LimitationEventKind::EnforcementAct => vec![at(EventKind::EnforcementMeasure)],
        LimitationEventKind::Judgment => vec![at(EventKind::Judgment)],
        LimitationEventKind::Mediation => {
            let mut events = vec![at(EventKind::SuspensionStarted)];
            if let Some(end) = event.end.filter(|end| *end <= as_of) {
                events.push(Event {
                    kind: EventKind::SuspensionEnded,
                    date: end,
                });
            }
            events
        }
    }
}

/// Which recorded events count for which claim: the claim's own, its debtor's, and those
/// of its solidary co-debtors recorded on the debtor (C. civ. 2245).
#[derive(Debug, Default)]
pub struct EventsByClaim {
    by_claim: std::collections::HashMap<ClaimId, Vec<StoredLimitationEvent>>,
    by_debtor: std::collections::HashMap<DebtorId, Vec<StoredLimitationEvent>>,
    co_debtors: std::collections::HashMap<ClaimId, Vec<DebtorId>>,
}

impl EventsByClaim {
    pub fn new(events: Vec<StoredLimitationEvent>, parties: &[ClaimParty]) -> Self {
        let mut out = Self::default();
        for event in events {
            match event.claim_id {
                Some(claim) => out.by_claim.entry(claim).or_default().push(event),
                None => out
                    .by_debtor
                    .entry(event.debtor_id)
                    .or_default()
                    .push(event),
            }
        }
        for party in parties.iter().filter(|p| p.role == PartyRole::CoDebtor) {
            out.co_debtors
                .entry(party.claim_id)
                .or_default()
                .push(party.debtor_id);
        }
        out
    }

    /// Every recorded event that counts for a claim of `debtor`.
    pub fn for_claim(&self, claim: ClaimId, debtor: DebtorId) -> Vec<&StoredLimitationEvent> {
        let debtors =
            std::iter::once(&debtor).chain(self.co_debtors.get(&claim).into_iter().flatten());
        self.by_claim
            .get(&claim)
            .into_iter()
            .flatten()
            .chain(debtors.flat_map(|d| self.by_debtor.get(d).into_iter().flatten()))
            .collect()
    }
}
