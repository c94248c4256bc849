//! Limitation ("prescription") and foreclosure ("forclusion") deadlines, French law: the
//! last day a creditor can still bring an action. A claim that lapses is lost whatever its
//! merits, so every open claim carries its deadline and an alert as it nears.
//!
//! Periods (sources in `shared/domain-rules.md` §3–§4):
//! - commercial claims, between traders or trader and non-trader: **5 years** (C. com.
//!   L110-4 I);
//! - civil personal actions: **5 years** (C. civ. 2224);
//! - a professional's action against a consumer for goods or services: **2 years** (C.
//!   consom. L218-2);
//! - consumer credit: the lender's action is foreclosed **2 years** after the first
//!   unregularised payment incident (C. consom. R312-35). Foreclosure is preclusive: it is
//!   not suspended and only a court claim stops it; an acknowledgment does not (domain-rules
//!   §3). A later regularisation moves the first *unregularised* incident: that is the
//!   caller's start date;
//! - enforcement titles (judgments, enforceable acts): **10 years** from the day the title
//!   became enforceable (CPCE L111-4), without the 20-year long-stop.
//!
//! A claim payable at term runs from its term (C. civ. 2233), so the usual start is the due
//! date. An interruption erases the time run and starts **a new period of the same length**
//! (C. civ. 2231): acknowledgment of the debt by the debtor, including a part payment
//! (2240); a court claim, even in référé (2241), whose effect lasts until the proceedings
//! end (2242) and is void if the claim is withdrawn or dismissed (2243); a conservatory or
//! enforcement measure (2244). An event after the deadline revives nothing.
//!
//! A **suspension** stops the clock without erasing the time already run (C. civ. 2230):
//! a mediation or conciliation agreed after a dispute arose (2238). When it ends, the period
//! resumes for whatever was left, but for **at least six months** from the end (2238 al.
//! 1). While it lasts no deadline is known: the one given assumes it ended on its first day
//! (a lower bound) and no alert is raised. Foreclosure is not suspended.
//!
//! A **judgment** (or any enforcement title) that becomes enforceable opens a new period
//! of **10 years** from that day (CPCE L111-4), outside the 20-year long-stop; it ends the
//! proceedings the court claim opened. Later interruptions (an enforcement act, an
//! acknowledgment) restart that 10-year period (2231: a new period of the same length).
//!
//! The **20-year long-stop** (C. civ. 2232) caps the deadline at 20 years from the birth of
//! the right, taken here as the start date. Its second paragraph excludes interruptions by
//! a court claim (2241 al.1) and by an enforcement measure (2244): this exclusion comes from
//! the text of 2232 as known to the maintainer, not from domain-rules.md (⚠ confirm).
//!
//! The deadline is the anniversary date (domain-rules §4: due 2020-03-15 → 2025-03-15),
//! the last month without that day ending on its last day (C. pr. civ. 641); a deadline
//! on a weekend is not extended (domain-rules §4, §12.4).

use super::{Jurisdiction, LawError, Text, add_days, add_months};
use crate::claim::Nature;
use crate::date::{Date, days_between};
use crate::party::Segment;
use serde::{Deserialize, Serialize};

/// The limitation rule a claim falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitationKind {
    /// 5 years, C. com. L110-4 I.
    Commercial,
    /// 5 years, C. civ. 2224.
    Civil,
    /// 2 years, C. consom. L218-2.
    Consumer,
    /// 2 years from the first unregularised default, C. consom. R312-35.
    ConsumerCreditForeclosure,
    /// 10 years, CPCE L111-4.
    EnforcementTitle,
}

impl LimitationKind {
    /// The rule for a claim of this nature and segment, when the two settle it. Rent is
    /// left to the caller: a residential lease has its own 3-year rule (loi 89-462 art
    /// 7-1, not in domain-rules.md) and a commercial one does not. "Other" claims on a
    /// consumer may be civil (5 years) or consumer (2 years) claims: the caller decides.
    pub fn for_claim(nature: Nature, segment: Segment) -> Option<Self> {
        match (nature, segment) {
            (Nature::ConsumerCredit, _) => Some(Self::ConsumerCreditForeclosure),
            (Nature::Consumer, _) | (Nature::Commercial, Segment::B2c) => Some(Self::Consumer),
            (Nature::Commercial, Segment::B2b) | (Nature::Other, Segment::B2b) => {
                Some(Self::Commercial)
            }
            (Nature::Rent, _) | (Nature::Other, Segment::B2c) => None,
        }
    }

    pub fn years(self) -> i32 {
        match self {
            Self::Commercial | Self::Civil => 5,
            Self::Consumer | Self::ConsumerCreditForeclosure => 2,
            Self::EnforcementTitle => 10,
        }
    }

    /// The event the period first runs from.
    pub fn start_event(self) -> EventKind {
        match self {
            Self::Commercial | Self::Civil | Self::Consumer => EventKind::Exigibility,
            Self::ConsumerCreditForeclosure => EventKind::FirstUnregularisedDefault,
            Self::EnforcementTitle => EventKind::TitleEnforceable,
        }
    }

    fn long_stop_applies(self) -> bool {
        // 2232 caps prescription; foreclosure is not prescription and L111-4 excludes
        // enforcement titles from the cap.
        matches!(self, Self::Commercial | Self::Civil | Self::Consumer)
    }

    pub fn basis(self) -> Text {
        match self {
            Self::Commercial => Text::new(
                "fr.limitation.commercial_5_years",
                "Prescription de 5 ans des obligations nées à l'occasion du commerce (C. com. L110-4 I).",
                "5-year limitation of obligations arising in the course of trade (French Commercial Code L110-4 I).",
            ),
            Self::Civil => Text::new(
                "fr.limitation.civil_5_years",
                "Prescription de 5 ans des actions personnelles (C. civ. 2224).",
                "5-year limitation of personal actions (French Civil Code 2224).",
            ),
            Self::Consumer => Text::new(
                "fr.limitation.consumer_2_years",
                "L'action du professionnel contre le consommateur se prescrit par 2 ans (C. consom. L218-2).",
                "A professional's action against a consumer is time-barred after 2 years (French Consumer Code L218-2).",
            ),
            Self::ConsumerCreditForeclosure => Text::new(
                "fr.limitation.consumer_credit_2_years",
                "Forclusion de l'action du prêteur 2 ans après le premier incident de paiement non régularisé (C. consom. R312-35).",
                "The lender's action is foreclosed 2 years after the first unregularised payment incident (French Consumer Code R312-35).",
            ),
            Self::EnforcementTitle => Text::new(
                "fr.limitation.enforcement_title_10_years",
                "Exécution d'un titre exécutoire pendant 10 ans (CPCE L111-4).",
                "An enforcement title can be enforced for 10 years (French Code of Civil Enforcement L111-4).",
            ),
        }
    }
}

/// What happened to the claim, as far as limitation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The claim fell due (C. civ. 2233).
    Exigibility,
    /// First unregularised payment incident of a consumer credit (R312-35).
    FirstUnregularisedDefault,
    /// A judgment or other title became enforceable (L111-4).
    TitleEnforceable,
    /// The debtor acknowledged the debt, e.g. asked for time (C. civ. 2240).
    Acknowledgment,
    /// A part payment, an acknowledgment by conduct (2240, case law).
    PartPayment,
    /// A court claim, even in référé or before an incompetent court (2241).
    LegalAction,
    /// The proceedings opened by the court claim ended (2242).
    ProceedingsEnded,
    /// The court claim was withdrawn, lapsed or finally dismissed: its interruption is
    /// void (2243).
    LegalActionVoid,
    /// A conservatory measure or an act of enforcement (2244).
    EnforcementMeasure,
    /// A mediation or conciliation began: the clock stops (2230, 2238).
    SuspensionStarted,
    /// The mediation or conciliation ended: the period resumes for what was left, at
    /// least six months (2238).
    SuspensionEnded,
    /// A judgment or other enforcement title became enforceable: a new 10-year period
    /// (CPCE L111-4); it ends pending proceedings.
    Judgment,
}

impl EventKind {
    /// Stable code, as stored and shown.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Exigibility => "exigibility",
            Self::FirstUnregularisedDefault => "first_unregularised_default",
            Self::TitleEnforceable => "title_enforceable",
            Self::Acknowledgment => "acknowledgment",
            Self::PartPayment => "part_payment",
            Self::LegalAction => "legal_action",
            Self::ProceedingsEnded => "proceedings_ended",
            Self::LegalActionVoid => "legal_action_void",
            Self::EnforcementMeasure => "enforcement_measure",
            Self::SuspensionStarted => "suspension_started",
            Self::SuspensionEnded => "suspension_ended",
            Self::Judgment => "judgment",
        }
    }

    /// What the event is, for a person.
    pub fn label(self) -> Text {
        let (fr, en) = match self {
            Self::Exigibility => ("exigibilité", "due date"),
            Self::FirstUnregularisedDefault => (
                "premier incident de paiement non régularisé",
                "first unregularised payment incident",
            ),
            Self::TitleEnforceable => ("titre exécutoire", "enforcement title"),
            Self::Acknowledgment => ("reconnaissance de dette", "acknowledgment of debt"),
            Self::PartPayment => ("paiement partiel", "part payment"),
            Self::LegalAction => ("demande en justice", "court claim"),
            Self::ProceedingsEnded => ("fin de l'instance", "end of proceedings"),
            Self::LegalActionVoid => (
                "demande en justice retirée ou rejetée",
                "court claim withdrawn or dismissed",
            ),
            Self::EnforcementMeasure => ("acte d'exécution", "enforcement act"),
            Self::SuspensionStarted => (
                "début de médiation ou conciliation",
                "mediation or conciliation began",
            ),
            Self::SuspensionEnded => (
                "fin de médiation ou conciliation",
                "mediation or conciliation ended",
            ),
            Self::Judgment => ("jugement exécutoire", "enforceable judgment"),
        };
        Text::new(self.code(), fr, en)
    }
}

/// A dated event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    pub date: Date,
}

/// A limitation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub years: i32,
}

/// What to compute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitationRequest {
    pub jurisdiction: Jurisdiction,
    pub kind: LimitationKind,
    /// The day the period first runs from: the due date, the first unregularised default,
    /// the day the title became enforceable (see [`LimitationKind::start_event`]).
    pub start: Date,
    /// Later events, in any order.
    pub events: Vec<Event>,
}

/// The deadline and why it is that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitationDeadline {
    pub kind: LimitationKind,
    /// The last day to act.
    pub deadline: Date,
    /// The event the current period runs from.
    pub runs_from: Event,
    pub period: Period,
    pub basis: Text,
    /// The 20-year long-stop (C. civ. 2232), when it applies to the current period.
    pub long_stop: Option<Date>,
    /// Whether the long-stop brought the deadline forward.
    pub long_stop_applied: bool,
    /// A court claim is pending: the new period starts only when the proceedings end
    /// (2242), so `deadline` is a lower bound and no alert is raised.
    pub proceedings_pending: bool,
    /// A mediation or conciliation is under way (2238): the clock is stopped, `deadline`
    /// assumes it ended on its first day (a lower bound) and no alert is raised.
    pub suspended: bool,
    /// Events that changed nothing, and why.
    pub notes: Vec<Text>,
}

/// How close a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    None,
    Within90,
    Within30,
    Expired,
}

impl LimitationDeadline {
    /// The alert for `as_of`: expired after the deadline, within 30 or 90 days of it
    /// (the deadline itself counts as within 30), none otherwise or while proceedings
    /// are pending.
    pub fn alert_level(&self, as_of: Date) -> AlertLevel {
        if self.proceedings_pending || self.suspended {
            return AlertLevel::None;
        }
        match days_between(as_of, self.deadline) {
            left if left < 0 => AlertLevel::Expired,
            0..=30 => AlertLevel::Within30,
            31..=90 => AlertLevel::Within90,
            _ => AlertLevel::None,
        }
    }
}

impl LimitationDeadline {
    /// Which event, recorded before the deadline, would save the claim: what the 90/30-day
    /// alerts tell the collector to obtain. Foreclosure yields only to a court claim
    /// (R312-35); a title to an enforcement act or an acknowledgment (2244, 2240);
    /// prescription to an acknowledgment, a part payment or a court claim (2240, 2241),
    /// and a mediation agreed in writing suspends it (2238).
    pub fn remedy(&self) -> Text {
        let by = self.deadline;
        match self.kind {
            LimitationKind::ConsumerCreditForeclosure => Text::new(
                "fr.limitation.remedy.court_claim",
                format!(
                    "déposer une demande en justice avant le {by} (seule une demande en justice arrête la forclusion)"
                ),
                format!("file a court claim before {by} (only a court claim stops foreclosure)"),
            ),
            LimitationKind::EnforcementTitle => Text::new(
                "fr.limitation.remedy.enforcement",
                format!(
                    "faire pratiquer un acte d'exécution (commissaire de justice) ou obtenir une reconnaissance de dette écrite avant le {by}"
                ),
                format!(
                    "have an enforcement act served (commissaire de justice) or obtain a written acknowledgment of the debt before {by}"
                ),
            ),
            LimitationKind::Commercial | LimitationKind::Civil | LimitationKind::Consumer => {
                Text::new(
                    "fr.limitation.remedy.interrupt",
                    format!(
                        "obtenir une reconnaissance de dette écrite ou un paiement partiel, ou déposer une demande en justice, avant le {by} ; une médiation ou conciliation convenue par écrit suspend le délai"
                    ),
                    format!(
                        "obtain a written acknowledgment of the debt or a part payment, or file a court claim, before {by}; a mediation or conciliation agreed in writing suspends the period"
                    ),
                )
            }
        }
    }
}

/// Computes the limitation deadline of a claim from its start and its later events.
pub fn limitation_deadline(request: &LimitationRequest) -> Result<LimitationDeadline, LawError> {
    if request.jurisdiction != Jurisdiction::France {
        return Err(LawError::Unsupported {
            what: "limitation deadlines",
            jurisdiction: request.jurisdiction.to_string(),
        });
    }
    let mut kind = request.kind;
    // A judgment turns the period into the title's 10 years (L111-4).
    let mut years = kind.years();
    let plus_period = |date: Date, years: i32| add_months(date, years * 12);

    let mut runs_from = Event {
        kind: kind.start_event(),
        date: request.start,
    };
    let mut deadline = plus_period(request.start, years)?;
    let mut pending = false;
    // What the period was before a court claim, restored if the claim is void (2243).
    let mut before_action: Option<(Event, Date)> = None;
    // The day a mediation began and the days then left, while it lasts (2230).
    let mut suspension: Option<(Date, i32)> = None;
    let mut notes = Vec::new();

    let mut events = request.events.clone();
    events.sort_by_key(|e| e.date);
    for event in events {
        if matches!(
            event.kind,
            EventKind::Exigibility
                | EventKind::FirstUnregularisedDefault
                | EventKind::TitleEnforceable
        ) {
            return Err(LawError::InvalidInput(format!(
                "{:?} on {} is a starting point: give it as the request's start",
                event.kind, event.date
            )));
        }
        if event.date < request.start {
            notes.push(note(
                "fr.limitation.event_before_start",
                &event,
                "antérieur au point de départ, sans effet",
                "before the starting point, no effect",
            ));
            continue;
        }
        if !pending && suspension.is_none() && event.date > deadline {
            notes.push(note(
                "fr.limitation.event_after_expiry",
                &event,
                "postérieur à l'expiration du délai : il ne fait pas revivre la créance",
                "after the deadline: it does not revive the claim",
            ));
            continue;
        }
        // An interruption or a judgment during a mediation ends the suspension's effect:
        // the new period it opens runs in full from its own date.
        if suspension.is_some()
            && matches!(
                event.kind,
                EventKind::Acknowledgment
                    | EventKind::PartPayment
                    | EventKind::EnforcementMeasure
                    | EventKind::LegalAction
                    | EventKind::Judgment
            )
            && kind != LimitationKind::ConsumerCreditForeclosure
        {
            suspension = None;
        }
        match event.kind {
            EventKind::SuspensionStarted | EventKind::SuspensionEnded
                if kind == LimitationKind::ConsumerCreditForeclosure =>
            {
                notes.push(note(
                    "fr.limitation.foreclosure_not_suspended",
                    &event,
                    "la forclusion (R312-35) n'est pas suspendue",
                    "foreclosure (R312-35) is not suspended",
                ));
            }
            EventKind::SuspensionStarted if pending => {
                notes.push(note(
                    "fr.limitation.already_interrupted",
                    &event,
                    "une instance est en cours : la prescription est déjà interrompue",
                    "proceedings are pending: limitation is already interrupted",
                ));
            }
            EventKind::SuspensionStarted if suspension.is_some() => {
                notes.push(note(
                    "fr.limitation.already_suspended",
                    &event,
                    "une médiation ou conciliation est déjà en cours",
                    "a mediation or conciliation is already under way",
                ));
            }
            EventKind::SuspensionStarted => {
                // 2230: the time already run is kept; what is left waits for the end.
                let left = days_between(event.date, deadline);
                suspension = Some((event.date, left));
                runs_from = event;
                deadline = resume(event.date, left)?;
            }
            EventKind::SuspensionEnded => match suspension.take() {
                Some((_, left)) => {
                    runs_from = event;
                    deadline = resume(event.date, left)?;
                }
                None => notes.push(note(
                    "fr.limitation.no_suspension",
                    &event,
                    "aucune médiation ou conciliation en cours, sans effet",
                    "no mediation or conciliation under way, no effect",
                )),
            },
            EventKind::Judgment => {
                // L111-4: the title runs 10 years from the day it is enforceable, and it
                // ends the proceedings the court claim opened (2242).
                pending = false;
                before_action = None;
                kind = LimitationKind::EnforcementTitle;
                years = kind.years();
                runs_from = event;
                deadline = plus_period(event.date, years)?;
            }
            EventKind::Acknowledgment | EventKind::PartPayment | EventKind::EnforcementMeasure
                if kind == LimitationKind::ConsumerCreditForeclosure =>
            {
                notes.push(note(
                    "fr.limitation.foreclosure_not_interrupted",
                    &event,
                    "la forclusion (R312-35) n'est interrompue que par une demande en justice",
                    "foreclosure (R312-35) is stopped only by a court claim",
                ));
            }
            EventKind::Acknowledgment | EventKind::PartPayment | EventKind::EnforcementMeasure => {
                if pending {
                    notes.push(note(
                        "fr.limitation.already_interrupted",
                        &event,
                        "une instance est en cours : la prescription est déjà interrompue",
                        "proceedings are pending: limitation is already interrupted",
                    ));
                } else {
                    runs_from = event;
                    deadline = plus_period(event.date, years)?;
                }
            }
            EventKind::LegalAction => {
                if pending {
                    notes.push(note(
                        "fr.limitation.already_interrupted",
                        &event,
                        "une instance est déjà en cours",
                        "proceedings are already pending",
                    ));
                } else {
                    before_action = Some((runs_from, deadline));
                    pending = true;
                    runs_from = event;
                    deadline = plus_period(event.date, years)?;
                }
            }
            EventKind::ProceedingsEnded | EventKind::LegalActionVoid if !pending => {
                notes.push(note(
                    "fr.limitation.no_pending_action",
                    &event,
                    "aucune demande en justice en cours, sans effet",
                    "no court claim pending, no effect",
                ));
            }
            EventKind::ProceedingsEnded => {
                pending = false;
                before_action = None;
                runs_from = event;
                deadline = plus_period(event.date, years)?;
            }
            EventKind::LegalActionVoid => {
                pending = false;
                if let Some((from, until)) = before_action.take() {
                    runs_from = from;
                    deadline = until;
                }
            }
            EventKind::Exigibility
            | EventKind::FirstUnregularisedDefault
            | EventKind::TitleEnforceable => {}
        }
    }

    // 2232 al.2: periods opened by a court claim or an enforcement measure escape the cap.
    let capped_event = !matches!(
        runs_from.kind,
        EventKind::LegalAction
            | EventKind::ProceedingsEnded
            | EventKind::EnforcementMeasure
            | EventKind::Judgment
    );
    let long_stop = if kind.long_stop_applies() && capped_event {
        Some(add_months(request.start, 20 * 12)?)
    } else {
        None
    };
    let long_stop_applied = long_stop.is_some_and(|cap| cap < deadline);
    if let Some(cap) = long_stop {
        deadline = deadline.min(cap);
    }

    Ok(LimitationDeadline {
        kind,
        deadline,
        runs_from,
        period: Period { years },
        basis: kind.basis(),
        long_stop,
        long_stop_applied,
        proceedings_pending: pending,
        suspended: suspension.is_some(),
        notes,
    })
}

/// The deadline when a suspended period resumes on `from` with `left` days to run: what
/// was left, but at least six months (C. civ. 2238 al. 1).
fn resume(from: Date, left: i32) -> Result<Date, LawError> {
    let six_months = add_months(from, 6)?;
    Ok(add_days(from, left.max(0))?.max(six_months))
}

fn note(code: &'static str, event: &Event, fr: &str, en: &str) -> Text {
    Text::new(
        code,
        format!("{} du {} : {fr}.", event.kind.label().fr, event.date),
        format!("{} on {}: {en}.", event.kind.label().en, event.date),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failing unwrap is a failing test.
mod tests {
    use super::*;
    use jiff::civil::date;

    fn france(
        kind: LimitationKind,
        start: Date,
        events: &[(EventKind, Date)],
    ) -> LimitationDeadline {
        limitation_deadline(&LimitationRequest {
            jurisdiction: Jurisdiction::France,
            kind,
            start,
            events: events
                .iter()
                .map(|&(kind, date)| Event { kind, date })
                .collect(),
        })
        .unwrap()
    }

    #[test]
    fn worked_example_of_domain_rules() {
        // domain-rules §4: "invoice due 2020-03-15, commercial → deadline 2025-03-15;
        // debtor acknowledges 2023-06-01 → new deadline 2028-06-01 (≤ 20-year cap)".
        let d = france(LimitationKind::Commercial, date(2020, 3, 15), &[]);
        assert_eq!(d.deadline, date(2025, 3, 15));
        assert_eq!(
            d.runs_from,
            Event {
                kind: EventKind::Exigibility,
                date: date(2020, 3, 15)
            }
        );
        assert_eq!(d.period.years, 5);
        assert!(d.basis.fr.contains("L110-4"));

        let d = france(
            LimitationKind::Commercial,
            date(2020, 3, 15),
            &[(EventKind::Acknowledgment, date(2023, 6, 1))],
        );
        assert_eq!(d.deadline, date(2028, 6, 1));
        assert_eq!(d.runs_from.kind, EventKind::Acknowledgment);
        assert_eq!(d.long_stop, Some(date(2040, 3, 15)));
        assert!(!d.long_stop_applied);
    }

    #[test]
    fn periods_by_kind() {
        let start = date(2024, 2, 29);
        // 2 years from 29 Feb 2024: no 29 Feb 2026, so the last day of February (C. pr. civ. 641).
        assert_eq!(
            france(LimitationKind::Consumer, start, &[]).deadline,
            date(2026, 2, 28)
        );
        let credit = france(LimitationKind::ConsumerCreditForeclosure, start, &[]);
        assert_eq!(credit.deadline, date(2026, 2, 28));
        assert_eq!(credit.runs_from.kind, EventKind::FirstUnregularisedDefault);
        assert_eq!(
            france(LimitationKind::Civil, start, &[]).deadline,
            date(2029, 2, 28)
        );
        let title = france(LimitationKind::EnforcementTitle, date(2021, 6, 10), &[]);
        assert_eq!(title.deadline, date(2031, 6, 10));
        assert_eq!(title.long_stop, None);
    }

    #[test]
    fn claim_natures_map_to_rules() {
        use LimitationKind as K;
        assert_eq!(
            K::for_claim(Nature::Commercial, Segment::B2b),
            Some(K::Commercial)
        );
        assert_eq!(
            K::for_claim(Nature::Commercial, Segment::B2c),
            Some(K::Consumer)
        );
        assert_eq!(
            K::for_claim(Nature::Consumer, Segment::B2c),
            Some(K::Consumer)
        );
        assert_eq!(
            K::for_claim(Nature::ConsumerCredit, Segment::B2c),
            Some(K::ConsumerCreditForeclosure)
        );
        assert_eq!(K::for_claim(Nature::Rent, Segment::B2c), None);
        assert_eq!(K::for_claim(Nature::Other, Segment::B2c), None);
    }

    #[test]
    fn part_payments_and_enforcement_restart_a_full_period() {
        // Consumer claim due 2024-01-10: 2 years → 2026-01-10; part payment 2025-05-20
        // restarts 2 years → 2027-05-20.
        let d = france(
            LimitationKind::Consumer,
            date(2024, 1, 10),
            &[(EventKind::PartPayment, date(2025, 5, 20))],
        );
        assert_eq!(d.deadline, date(2027, 5, 20));
        // A title enforceable 2015-04-01 → 2025-04-01; seizure 2024-09-30 → 2034-09-30.
        let d = france(
            LimitationKind::EnforcementTitle,
            date(2015, 4, 1),
            &[(EventKind::EnforcementMeasure, date(2024, 9, 30))],
        );
        assert_eq!(d.deadline, date(2034, 9, 30));
    }

    #[test]
    fn an_event_after_expiry_revives_nothing() {
        let d = france(
            LimitationKind::Consumer,
            date(2020, 1, 10),
            &[(EventKind::PartPayment, date(2022, 1, 11))],
        );
        assert_eq!(d.deadline, date(2022, 1, 10));
        assert_eq!(d.notes[0].code, "fr.limitation.event_after_expiry");
        assert_eq!(d.alert_level(date(2022, 1, 11)), AlertLevel::Expired);
    }

    #[test]
    fn foreclosure_ignores_acknowledgments_but_not_court_claims() {
        let d = france(
            LimitationKind::ConsumerCreditForeclosure,
            date(2024, 3, 1),
            &[(EventKind::Acknowledgment, date(2025, 1, 1))],
        );
        assert_eq!(d.deadline, date(2026, 3, 1));
        assert_eq!(d.notes[0].code, "fr.limitation.foreclosure_not_interrupted");
        let d = france(
            LimitationKind::ConsumerCreditForeclosure,
            date(2024, 3, 1),
            &[(EventKind::LegalAction, date(2025, 1, 1))],
        );
        assert!(d.proceedings_pending);
        assert_eq!(d.alert_level(date(2027, 6, 1)), AlertLevel::None);
    }

    #[test]
    fn court_claims_last_until_the_end_of_proceedings_or_are_void() {
        let start = date(2020, 3, 15);
        // Claim filed 2024-11-01, judgment 2025-06-30: new 5 years from the end.
        let d = france(
            LimitationKind::Commercial,
            start,
            &[
                (EventKind::LegalAction, date(2024, 11, 1)),
                (EventKind::ProceedingsEnded, date(2025, 6, 30)),
            ],
        );
        assert_eq!(d.deadline, date(2030, 6, 30));
        assert!(!d.proceedings_pending);
        assert_eq!(d.long_stop, None, "2232 al.2: no cap after a court claim");
        // The claim is withdrawn: as if never filed, the original 2025-03-15 stands.
        let d = france(
            LimitationKind::Commercial,
            start,
            &[
                (EventKind::LegalAction, date(2024, 11, 1)),
                (EventKind::LegalActionVoid, date(2025, 6, 30)),
            ],
        );
        assert_eq!(d.deadline, date(2025, 3, 15));
        assert_eq!(d.runs_from.kind, EventKind::Exigibility);
        assert_eq!(d.alert_level(date(2025, 7, 1)), AlertLevel::Expired);
    }

    #[test]
    fn the_long_stop_caps_repeated_acknowledgments() {
        // Due 2005-01-01; acknowledgments every 4 years keep it alive until the 20-year
        // cap on 2025-01-01, although the last one (2022-06-01) would run to 2027-06-01.
        let d = france(
            LimitationKind::Civil,
            date(2005, 1, 1),
            &[
                (EventKind::Acknowledgment, date(2009, 1, 1)),
                (EventKind::Acknowledgment, date(2013, 1, 1)),
                (EventKind::Acknowledgment, date(2017, 1, 1)),
                (EventKind::Acknowledgment, date(2021, 1, 1)),
                (EventKind::Acknowledgment, date(2022, 6, 1)),
            ],
        );
        assert_eq!(d.deadline, date(2025, 1, 1));
        assert!(d.long_stop_applied);
    }

    #[test]
    fn alert_levels() {
        let d = france(LimitationKind::Commercial, date(2020, 3, 15), &[]);
        // Deadline 2025-03-15.
        assert_eq!(d.alert_level(date(2024, 12, 14)), AlertLevel::None); // 91 days left
        assert_eq!(d.alert_level(date(2024, 12, 15)), AlertLevel::Within90); // 90 days
        assert_eq!(d.alert_level(date(2025, 2, 12)), AlertLevel::Within90); // 31 days
        assert_eq!(d.alert_level(date(2025, 2, 13)), AlertLevel::Within30); // 30 days
        assert_eq!(d.alert_level(date(2025, 3, 15)), AlertLevel::Within30); // last day
        assert_eq!(d.alert_level(date(2025, 3, 16)), AlertLevel::Expired);
    }

    #[test]
    fn a_written_acknowledgment_restarts_five_years_from_its_date() {
        // Issue 17: commercial claim due 2019-09-30 → 5 years (L110-4) → 2024-09-30;
        // acknowledged in writing 2022-02-14 (before that deadline) → 2231: a new 5-year
        // period from the acknowledgment → 2027-02-14, not "prescribed in 2024".
        let d = france(
            LimitationKind::Commercial,
            date(2019, 9, 30),
            &[(EventKind::Acknowledgment, date(2022, 2, 14))],
        );
        assert_eq!(d.deadline, date(2027, 2, 14));
        assert_eq!(
            d.runs_from,
            Event {
                kind: EventKind::Acknowledgment,
                date: date(2022, 2, 14)
            }
        );
        assert_eq!(d.alert_level(date(2024, 10, 1)), AlertLevel::None);
    }

    #[test]
    fn a_withdrawn_or_dismissed_court_claim_does_not_interrupt() {
        // Due 2019-09-30 → 2024-09-30. Court claim 2024-06-03, withdrawn 2024-12-02:
        // 2243, the interruption is void, so the claim lapsed on 2024-09-30 as if no
        // claim had been filed.
        let d = france(
            LimitationKind::Commercial,
            date(2019, 9, 30),
            &[
                (EventKind::LegalAction, date(2024, 6, 3)),
                (EventKind::LegalActionVoid, date(2024, 12, 2)),
            ],
        );
        assert_eq!(d.deadline, date(2024, 9, 30));
        assert_eq!(d.runs_from.kind, EventKind::Exigibility);
        assert!(!d.proceedings_pending);
        assert_eq!(d.alert_level(date(2024, 12, 2)), AlertLevel::Expired);
    }

    #[test]
    fn a_mediation_stops_the_clock_and_it_resumes_for_what_was_left() {
        // Due 2020-03-15 → 2025-03-15. Mediation 2024-01-15 to 2024-05-15 (121 days:
        // 16 + 29 + 31 + 30 + 15). At its start 425 days were left (2024-01-15 →
        // 2025-01-15 = 366, leap year; → 2025-03-15 = 31 + 28). 2230: the 425 days resume
        // on 2024-05-15 → 2025-05-15 (365) + 60 → 2025-07-14, i.e. 2025-03-15 + 121
        // days. More than six months, so 2238's floor changes nothing.
        let d = france(
            LimitationKind::Commercial,
            date(2020, 3, 15),
            &[
                (EventKind::SuspensionStarted, date(2024, 1, 15)),
                (EventKind::SuspensionEnded, date(2024, 5, 15)),
            ],
        );
        assert_eq!(d.deadline, date(2025, 7, 14));
        assert_eq!(d.runs_from.kind, EventKind::SuspensionEnded);
        assert!(!d.suspended);
        assert_eq!(d.long_stop, Some(date(2040, 3, 15)));
    }

    #[test]
    fn a_mediation_leaves_at_least_six_months() {
        // Due 2020-03-15 → 2025-03-15. Mediation from 2025-02-13 (30 days left: 15 in
        // February + 15 in March) to 2025-04-30. What was left would end 2025-05-30, but
        // 2238 gives at least six months from the end: 2025-10-30.
        let events = [
            (EventKind::SuspensionStarted, date(2025, 2, 13)),
            (EventKind::SuspensionEnded, date(2025, 4, 30)),
        ];
        let d = france(LimitationKind::Commercial, date(2020, 3, 15), &events);
        assert_eq!(d.deadline, date(2025, 10, 30));
        assert_eq!(d.alert_level(date(2025, 5, 1)), AlertLevel::None);
        // While it lasts the clock is stopped: no alert although 2025-03-15 has passed;
        // the deadline shown assumes it ended on its first day (2025-02-13 + 6 months).
        let d = france(LimitationKind::Commercial, date(2020, 3, 15), &events[..1]);
        assert!(d.suspended);
        assert_eq!(d.deadline, date(2025, 8, 13));
        assert_eq!(d.alert_level(date(2025, 3, 20)), AlertLevel::None);
        // A mediation begun after the deadline revives nothing.
        let d = france(
            LimitationKind::Commercial,
            date(2020, 3, 15),
            &[(EventKind::SuspensionStarted, date(2025, 3, 16))],
        );
        assert_eq!(d.deadline, date(2025, 3, 15));
        assert!(!d.suspended);
        assert_eq!(d.notes[0].code, "fr.limitation.event_after_expiry");
    }

    #[test]
    fn foreclosure_is_not_suspended() {
        // Consumer credit, first unregularised default 2024-03-01 → foreclosed 2026-03-01
        // whatever the mediation (R312-35 is preclusive).
        let d = france(
            LimitationKind::ConsumerCreditForeclosure,
            date(2024, 3, 1),
            &[
                (EventKind::SuspensionStarted, date(2025, 1, 6)),
                (EventKind::SuspensionEnded, date(2025, 6, 2)),
            ],
        );
        assert_eq!(d.deadline, date(2026, 3, 1));
        assert_eq!(d.notes[0].code, "fr.limitation.foreclosure_not_suspended");
        assert_eq!(
            d.notes[0].en,
            "mediation or conciliation began on 2025-01-06: foreclosure (R312-35) is not suspended."
        );
    }

    #[test]
    fn a_judgment_gives_ten_years_outside_the_long_stop() {
        // Due 2020-03-15; court claim 2024-11-01; judgment enforceable 2025-06-30 →
        // L111-4: 10 years → 2035-06-30, as an enforcement title, no 2232 cap.
        let d = france(
            LimitationKind::Commercial,
            date(2020, 3, 15),
            &[
                (EventKind::LegalAction, date(2024, 11, 1)),
                (EventKind::Judgment, date(2025, 6, 30)),
            ],
        );
        assert_eq!(d.deadline, date(2035, 6, 30));
        assert_eq!(d.kind, LimitationKind::EnforcementTitle);
        assert_eq!(d.period.years, 10);
        assert!(!d.proceedings_pending);
        assert_eq!(d.long_stop, None);
        // An enforcement act 2031-02-03 restarts the title's 10 years (2231): 2041-02-03.
        let d = france(
            LimitationKind::Consumer,
            date(2020, 3, 15),
            &[
                (EventKind::Judgment, date(2021, 9, 1)),
                (EventKind::EnforcementMeasure, date(2031, 2, 3)),
            ],
        );
        assert_eq!(d.deadline, date(2041, 2, 3));
        // Civil claim due 2005-01-01, acknowledged 2009-01-01, judgment 2013-06-01 →
        // 2023-06-01; an acknowledgment 2022-01-10 restarts the title's 10 years →
        // 2032-01-10, past the 20-year cap of 2025-01-01 that L111-4 sets aside.
        let d = france(
            LimitationKind::Civil,
            date(2005, 1, 1),
            &[
                (EventKind::Acknowledgment, date(2009, 1, 1)),
                (EventKind::Judgment, date(2013, 6, 1)),
                (EventKind::Acknowledgment, date(2022, 1, 10)),
            ],
        );
        assert_eq!(d.deadline, date(2032, 1, 10));
        assert!(!d.long_stop_applied);
    }

    #[test]
    fn alerts_say_which_event_would_save_the_claim() {
        // Commercial, due 2020-03-15 → 2025-03-15: an acknowledgment or a court claim
        // before that day (2240, 2241).
        let d = france(LimitationKind::Commercial, date(2020, 3, 15), &[]);
        let r = d.remedy();
        assert!(r.en.contains("written acknowledgment") && r.en.contains("court claim"));
        assert!(r.en.contains("before 2025-03-15"), "{}", r.en);
        assert!(r.fr.contains("reconnaissance de dette") && r.fr.contains("2025-03-15"));
        // Consumer credit: only a court claim (R312-35), never an acknowledgment.
        let d = france(
            LimitationKind::ConsumerCreditForeclosure,
            date(2024, 3, 1),
            &[],
        );
        let r = d.remedy();
        assert!(r.en.starts_with("file a court claim before 2026-03-01"));
        assert!(!r.en.contains("acknowledgment"));
        // After a judgment: an enforcement act (2244).
        let d = france(
            LimitationKind::Commercial,
            date(2020, 3, 15),
            &[(EventKind::Judgment, date(2021, 1, 4))],
        );
        assert!(d.remedy().en.contains("enforcement act"));
        assert!(d.remedy().en.contains("2031-01-04"));
    }

    #[test]
    fn other_jurisdictions_are_not_guessed() {
        let err = limitation_deadline(&LimitationRequest {
            jurisdiction: Jurisdiction::Germany,
            kind: LimitationKind::Commercial,
            start: date(2020, 1, 1),
            events: vec![],
        })
        .unwrap_err();
        assert!(matches!(err, LawError::Unsupported { .. }));
    }
}
