//! The decision pass: for each case, as of one day, which step is due and whether it can go
//! today. Pure: the shell loads the cases, calls [`decide`] (or streams them through a
//! [`DecisionPass`]), then persists the decisions in one transaction. The rules are
//! described in the documentation of [`crate::dunning`].

use super::model::{
    CaseId, Channel, Channels, CloseReason, DebtorFacts, ScenarioCode, Stage, StepCode,
};
use super::scenario::{Scenario, ScenarioSet, Slot, Step};
use crate::calendar::is_public_holiday_fr;
use crate::date::{Date, day_number};
use crate::ids::ClaimId;
use crate::money::{Currency, Money};
use crate::party::text_enum;
use jiff::civil::Weekday;
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// One open claim of a case, as the decision pass needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenClaim {
    pub id: ClaimId,
    pub currency: Currency,
    pub due_date: Date,
    /// What is open as of the run day, in minor units. Zero: settled, ignored. Negative: a
    /// credit (an unapplied credit note or overpayment), netted against what is claimed in
    /// the same currency.
    pub open_minor: i64,
    /// Under a live dispute: never claimed, and left out of the case's age.
    pub disputed: bool,
}

/// A step already decided for the case since its last reopening (drafts included: a draft
/// is an action awaiting approval, and is not decided again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneStep<'a> {
    pub code: &'a str,
    /// The day the action was decided.
    pub on: Date,
}

/// A past contact with the debtor: a sent message, a call, whether the engine or a person
/// made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactRecord {
    pub on: Date,
    pub channel: Channel,
}

/// An arrangement the debtor is keeping, during which reminders wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrangement {
    /// A promise to pay by a date ("promesse de paiement").
    Promise,
    /// A payment plan ("échéancier").
    Plan,
}

/// Why a case is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    Promise,
    Plan,
    /// A person put the case on hold until a date.
    Hold,
    /// Every overdue claim is disputed.
    Dispute,
}

text_enum!(Pause {
    Promise => "promise",
    Plan => "plan",
    Hold => "hold",
    Dispute => "dispute",
});

/// Where a case stands, as the store keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseState<'a> {
    /// The scenario the case follows; `None` (or a code no longer configured) asks the pass
    /// to assign one by the rules, which it reports with [`Decision::Assign`].
    pub scenario: Option<&'a str>,
    pub stage: Stage,
    /// On hold up to and including this day.
    pub hold_until: Option<Date>,
    /// A live promise or plan: the shell clears it once kept or broken.
    pub arrangement: Option<Arrangement>,
    /// Value date of the last payment received on the case's claims.
    pub last_payment: Option<Date>,
    /// A bank payment waiting in the review queue may be this debtor's (a suggestion names
    /// them): legal steps wait until a person has applied it or set it aside, because the
    /// payment may settle what the formal notice would demand. Other reminders go on.
    pub payment_in_review: bool,
}

/// Everything the pass reads about one case. All borrowed: the shell keeps claims,
/// contacts and done steps of every case in a few flat vectors and slices them.
#[derive(Debug, Clone, Copy)]
pub struct CaseInput<'a> {
    pub case: CaseId,
    pub debtor: DebtorFacts<'a>,
    pub state: CaseState<'a>,
    /// The claims the case collects. Leave out claims collected elsewhere (transferred to
    /// an agency or a factor, found time-barred): the engine reminds every claim it sees.
    pub claims: &'a [OpenClaim],
    /// Steps decided since the case last (re)opened.
    pub done: &'a [DoneStep<'a>],
    /// Contacts with the debtor; only the last week's matter, older ones may be left out.
    pub contacts: &'a [ContactRecord],
}

/// The settings of a run: limits that protect debtors and data freshness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DunningSettings {
    /// Nothing is claimed below this amount in its currency (a currency not listed has no
    /// minimum).
    pub min_open_amount: Vec<Money>,
    /// At most this many days with a contact in any 7 days (the run day and the 6 before).
    pub max_contacts_per_week: u32,
    /// Time between two contacts, counted in whole days, rounded up: 48 h means a contact
    /// on Monday allows the next on Wednesday.
    pub min_hours_between_contacts: u32,
    /// Days without SMS or calls.
    pub quiet_weekdays: Vec<Weekday>,
    /// No SMS or calls on French public holidays either.
    pub quiet_on_public_holidays: bool,
    /// Refuse to remind anyone when the last payment import is older than this many days
    /// (`None`: no check). Reminding a debtor who has paid is the worst mistake a
    /// collection tool makes.
    pub freshness_limit_days: Option<u32>,
    /// The day of the last import of payment data (bank statement, ledger export).
    pub last_payment_import: Option<Date>,
    /// Actions are drafts a person approves before anything is sent.
    pub review_mode: bool,
}

impl Default for DunningSettings {
    /// €10 minimum, 2 contacts a week, 48 h apart, no SMS or calls on Sundays and public
    /// holidays, payment data at most 4 days old (a long weekend), no review.
    fn default() -> Self {
        Self {
            min_open_amount: vec![Money::from_minor(10_00, Currency::EUR)],
            max_contacts_per_week: 2,
            min_hours_between_contacts: 48,
            quiet_weekdays: vec![Weekday::Sunday],
            quiet_on_public_holidays: true,
            freshness_limit_days: Some(4),
            last_payment_import: None,
            review_mode: false,
        }
    }
}

impl DunningSettings {
    /// The minimum in `currency` (zero when none is set).
    pub fn minimum(&self, currency: Currency) -> Money {
        self.min_open_amount
            .iter()
            .copied()
            .find(|m| m.currency() == currency)
            .unwrap_or(Money::zero(currency))
    }
}

/// What the pass decides for a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// The case had no (known) scenario: it follows this one from now on.
    Assign {
        case: CaseId,
        scenario: ScenarioCode,
    },
    /// A closed case owes something again: it reopens at this stage, and its done steps
    /// are forgotten (a new collection cycle).
    Reopen { case: CaseId, stage: Stage },
    /// Nothing is open any more.
    Close { case: CaseId, reason: CloseReason },
    /// Do a step, in one currency.
    Action(Action),
    /// A step is due but cannot be done today.
    Skip(Skip),
}

impl Decision {
    pub fn case(&self) -> CaseId {
        match self {
            Decision::Assign { case, .. }
            | Decision::Reopen { case, .. }
            | Decision::Close { case, .. } => *case,
            Decision::Action(a) => a.case,
            Decision::Skip(s) => s.case,
        }
    }
}

/// One step to do for one case in one currency: one message covering all the claims due
/// in that currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub case: CaseId,
    pub scenario: ScenarioCode,
    pub step: StepCode,
    pub channels: Channels,
    #[serde(serialize_with = "arc_str")]
    pub template: Arc<str>,
    /// Undisputed claims due in this currency (overdue ones, or for a pre-due step those
    /// falling due within its window), and any undisputed credits in this currency, in the
    /// order of the input.
    pub claims: Vec<ClaimId>,
    /// What is claimed: the open amounts of `claims`, credits deducted. Always positive.
    pub amount: Money,
    /// Claim late-payment interest and indemnities (the law engine says which apply).
    pub claim_penalties: bool,
    /// The case's stage once the action is done.
    pub stage_after: Stage,
    /// Awaits a person's approval (review mode).
    pub draft: bool,
}

/// A step that is due but held back today, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    pub case: CaseId,
    pub step: StepCode,
    /// The currency concerned, when the reason is about one currency's amount.
    pub currency: Option<Currency>,
    pub reason: SkipReason,
}

/// Why a due step is not done today. Only `BelowMinimum` and `NothingDue` are final for the
/// currency concerned; the others are re-examined on the next run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// What is due in the currency is below the configured minimum.
    BelowMinimum {
        amount: Money,
        minimum: Money,
    },
    /// The debtor's credits in the currency cover what is due.
    NothingDue,
    /// The debtor was already contacted this often in the last 7 days.
    ContactCap {
        contacts: u32,
        per_week: u32,
    },
    /// The last contact is too recent.
    CoolDown {
        last_contact: Date,
        min_hours: u32,
    },
    /// The step sends an SMS or makes a call, and today is a quiet day.
    QuietDay,
    /// Payment data is older than the freshness limit: the debtor may have paid.
    StaleData {
        last_import: Option<Date>,
        limit_days: u32,
    },
    Paused {
        pause: Pause,
    },
    /// The step is a legal one and a payment that may be the debtor's waits in the
    /// review queue (see [`CaseState::payment_in_review`]).
    PaymentInReview,
}

fn arc_str<S: Serializer>(value: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(value)
}

/// Per-currency sums of the case being decided: kept in a buffer reused across cases.
#[derive(Debug, Clone, Copy)]
struct Due {
    currency: Currency,
    /// Open amounts of the covered claims, credits deducted.
    net: i64,
}

/// Which claims a message covers: the run's rule, and the one every letter composed
/// outside the run (a template preview, the debtor page's letter) applies too, so that no
/// path demands a claim the run would not.
///
/// A claim under an open dispute is never claimed. A step after the due date claims the
/// claims overdue on the day (due before it); a step before the due date ("pre-due", a
/// courtesy reminder) claims those falling due from the day on, up to its lead time.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Claims due on or after this day…
    from_day: i32,
    /// …and on or before this one.
    to_day: i32,
    /// Count disputed claims too (only to tell which step a dispute holds back).
    disputed_too: bool,
}

impl Window {
    fn of(step: &Step, today: i32, disputed_too: bool) -> Self {
        let lead = step.is_pre_due().then_some(-step.offset_days);
        Self::for_day(today, lead, disputed_too)
    }

    fn for_day(today: i32, pre_due_lead: Option<i32>, disputed_too: bool) -> Self {
        match pre_due_lead {
            Some(lead) => Self {
                from_day: today,
                to_day: today.saturating_add(lead.max(0)),
                disputed_too,
            },
            None => Self {
                from_day: i32::MIN,
                to_day: today - 1,
                disputed_too,
            },
        }
    }

    /// The window of a message written on `as_of`: overdue claims, or with
    /// `pre_due_lead = Some(days)` (a step `days` before the due date) the claims falling
    /// due from `as_of` to `days` later. Disputed claims are never covered.
    pub fn message(as_of: Date, pre_due_lead: Option<i32>) -> Self {
        Self::for_day(day_number(as_of), pre_due_lead, false)
    }

    /// Whether a claim with something positive open, due on `due_date` and under an open
    /// dispute or not, is claimed by the message.
    pub fn covers_claim(self, due_date: Date, disputed: bool) -> bool {
        if disputed && !self.disputed_too {
            return false;
        }
        let due = day_number(due_date);
        self.from_day <= due && due <= self.to_day
    }

    /// Whether a claim with something positive open is claimed by the step.
    fn covers(self, c: &OpenClaim) -> bool {
        self.covers_claim(c.due_date, c.disputed)
    }

    /// Whether the claim is part of what the step claims: a covered claim, or a credit.
    fn takes(self, c: &OpenClaim) -> bool {
        match c.open_minor {
            0 => false,
            m if m < 0 => !c.disputed,
            _ => self.covers(c),
        }
    }

    /// Net amount claimed in `currency`; zero when no positive claim is covered there.
    fn net_in(self, claims: &[OpenClaim], currency: Currency) -> i64 {
        let mut covered = false;
        let mut net = 0_i64;
        for c in claims.iter().filter(|c| c.currency == currency) {
            if self.takes(c) {
                covered |= c.open_minor > 0;
                net = net.saturating_add(c.open_minor);
            }
        }
        if covered { net } else { 0 }
    }
}

/// A decision pass for one day. Everything that depends only on the day (quiet day, data
/// freshness) is worked out once; the per-currency buffer is reused from case to case, so
/// deciding a case allocates only the claim list of its actions.
#[derive(Debug)]
pub struct DecisionPass<'s> {
    scenarios: &'s ScenarioSet,
    settings: &'s DunningSettings,
    today: i32,
    quiet_today: bool,
    stale: Option<SkipReason>,
    min_days_between: i32,
    dues: Vec<Due>,
}

impl<'s> DecisionPass<'s> {
    pub fn new(scenarios: &'s ScenarioSet, settings: &'s DunningSettings, as_of: Date) -> Self {
        let today = day_number(as_of);
        let quiet_today = settings.quiet_weekdays.contains(&as_of.weekday())
            || (settings.quiet_on_public_holidays && is_public_holiday_fr(as_of));
        let stale = settings.freshness_limit_days.and_then(|limit| {
            let fresh = settings.last_payment_import.is_some_and(|last| {
                i64::from(today) - i64::from(day_number(last)) <= i64::from(limit)
            });
            (!fresh).then_some(SkipReason::StaleData {
                last_import: settings.last_payment_import,
                limit_days: limit,
            })
        });
        let min_days_between =
            i32::try_from(settings.min_hours_between_contacts.div_ceil(24)).unwrap_or(i32::MAX);
        Self {
            scenarios,
            settings,
            today,
            quiet_today,
            stale,
            min_days_between,
            dues: Vec::new(),
        }
    }

    /// Decides one case, appending its decisions to `out` (nothing when nothing is due).
    pub fn decide_case(&mut self, input: &CaseInput<'_>, out: &mut Vec<Decision>) {
        let today = self.today;
        let case = input.case;
        let claims = input.claims;

        // Earliest due day of the open claims: undisputed ones, and all of them.
        let mut oldest_undisputed: Option<i32> = None;
        let mut oldest_open: Option<i32> = None;
        for c in claims.iter().filter(|c| c.open_minor > 0) {
            let due = day_number(c.due_date);
            oldest_open = Some(oldest_open.map_or(due, |o| o.min(due)));
            if !c.disputed {
                oldest_undisputed = Some(oldest_undisputed.map_or(due, |o| o.min(due)));
            }
        }
        let mut stage = input.state.stage;
        let mut done = input.done;
        let Some(oldest_open) = oldest_open else {
            if !stage.is_closed() {
                out.push(Decision::Close {
                    case,
                    reason: CloseReason::Paid,
                });
            }
            return;
        };
        if stage.is_closed() {
            stage = if oldest_open < today {
                Stage::Amicable
            } else {
                Stage::PreDue
            };
            out.push(Decision::Reopen { case, stage });
            done = &[];
        }

        let scenarios = self.scenarios;
        let known = input.state.scenario.and_then(|c| scenarios.index_of(c));
        let index = known.unwrap_or_else(|| {
            scenarios.assign_index(&input.debtor, stage, |currency| open_in(claims, currency))
        });
        let Some(scenario) = scenarios.by_index(index) else {
            return;
        };
        if known.is_none() {
            out.push(Decision::Assign {
                case,
                scenario: scenario.code().clone(),
            });
        }
        if stage == Stage::Litigation {
            return;
        }

        // The case's age runs from the oldest undisputed open claim. When every overdue
        // claim is disputed, the step the dispute holds back is found by counting them.
        let overdue = oldest_open < today;
        let all_overdue_disputed = overdue && oldest_undisputed.is_none_or(|d| d >= today);
        let (reference, disputed_too) = if all_overdue_disputed {
            (oldest_open, true)
        } else {
            match oldest_undisputed {
                Some(d) => (d, false),
                None => return,
            }
        };
        let Some(step) = self.due_step(scenario, input, stage, done, reference, disputed_too)
        else {
            return;
        };

        let skip = |reason, currency| {
            Decision::Skip(Skip {
                case,
                step: step.code.clone(),
                currency,
                reason,
            })
        };
        let state = &input.state;
        let held = state.hold_until.is_some_and(|d| day_number(d) >= today);
        let paused = if held {
            Some(Pause::Hold)
        } else if let Some(a) = state.arrangement {
            Some(match a {
                Arrangement::Promise => Pause::Promise,
                Arrangement::Plan => Pause::Plan,
            })
        } else if all_overdue_disputed {
            Some(Pause::Dispute)
        } else {
            None
        };
        if let Some(stale) = &self.stale {
            out.push(skip(stale.clone(), None));
            return;
        }
        if let Some(pause) = paused {
            out.push(skip(SkipReason::Paused { pause }, None));
            return;
        }
        if state.payment_in_review && step.is_legal() {
            out.push(skip(SkipReason::PaymentInReview, None));
            return;
        }

        // What is due, per currency, sorted by currency code.
        let window = Window::of(step, today, false);
        self.dues.clear();
        for c in claims
            .iter()
            .filter(|c| c.open_minor > 0 && window.covers(c))
        {
            match self.dues.iter_mut().find(|d| d.currency == c.currency) {
                Some(d) => d.net = d.net.saturating_add(c.open_minor),
                None => self.dues.push(Due {
                    currency: c.currency,
                    net: c.open_minor,
                }),
            }
        }
        for c in claims.iter().filter(|c| c.open_minor < 0 && !c.disputed) {
            if let Some(d) = self.dues.iter_mut().find(|d| d.currency == c.currency) {
                d.net = d.net.saturating_add(c.open_minor);
            }
        }
        if self.dues.len() > 1 {
            self.dues.sort_unstable_by_key(|d| d.currency.code());
        }
        let settings = self.settings;
        let actionable = |d: &Due| d.net > 0 && d.net >= settings.minimum(d.currency).minor();
        if !self.dues.iter().any(actionable) {
            for d in &self.dues {
                out.push(skip(currency_skip(settings, d), Some(d.currency)));
            }
            return;
        }
        if let Some(reason) = self.contact_gate(step.channels, input.contacts) {
            out.push(skip(reason, None));
            return;
        }
        for d in &self.dues {
            if !actionable(d) {
                out.push(skip(currency_skip(settings, d), Some(d.currency)));
                continue;
            }
            let covered = claims
                .iter()
                .filter(|c| c.currency == d.currency && window.takes(c))
                .map(|c| c.id)
                .collect();
            out.push(Decision::Action(Action {
                case,
                scenario: scenario.code().clone(),
                step: step.code.clone(),
                channels: step.channels,
                template: Arc::clone(&step.template),
                claims: covered,
                amount: Money::from_minor(d.net, d.currency),
                claim_penalties: step.claim_penalties,
                stage_after: stage.advanced_to(step.stage),
                draft: settings.review_mode,
            }));
        }
    }

    /// The step to do for a case of this age, if any: the first applicable step of the
    /// latest slot (offset ≤ age, on the same side of the due date) that has an applicable
    /// step; `None` when that slot is already done (missed earlier slots are never done).
    ///
    /// One exception to catching up: a legal step is never done before the scenario's
    /// formal notice that precedes it (see [`Self::notice_first`]).
    fn due_step<'a>(
        &self,
        scenario: &'a Scenario,
        input: &CaseInput<'_>,
        stage: Stage,
        done: &[DoneStep<'_>],
        reference: i32,
        disputed_too: bool,
    ) -> Option<&'a Step> {
        let age = self.today - reference;
        let (pre_due, post_due) = scenario.split_slots();
        let slots = if age > 0 { post_due } else { pre_due };
        let reached = slots.partition_point(|s| s.offset <= age);
        let steps = scenario.steps();
        for slot in slots[..reached].iter().rev() {
            let applicable = steps[slot.steps.clone()].iter().find(|step| {
                let window = Window::of(step, self.today, disputed_too);
                step.conditions.holds(&input.debtor, stage, |currency| {
                    window.net_in(input.claims, currency)
                })
            });
            if let Some(step) = applicable {
                if self.slot_done(steps, slot, done, input.state.last_payment, reference) {
                    return None;
                }
                return self.notice_first(scenario, slot, step, input, stage, done, disputed_too);
            }
        }
        None
    }

    /// `step`, a case's latest due step, or the formal notice that must come before it.
    ///
    /// A catching-up run (a book imported 60 days overdue, a run missed for weeks) jumps to
    /// the latest slot; but a legal step (legal review, agency hand-off, a later registered
    /// letter) after a formal-notice step of the scenario presumes the notice was sent. So
    /// when the latest applicable formal notice before `slot` was not done in this cycle,
    /// the notice is the due step; once done on day N, the legal step waits its own delay
    /// after the notice: N + (its offset − the notice's offset), whatever the case's age.
    #[allow(clippy::too_many_arguments)] // the inputs of `due_step`, passed on
    fn notice_first<'a>(
        &self,
        scenario: &'a Scenario,
        slot: &Slot,
        step: &'a Step,
        input: &CaseInput<'_>,
        stage: Stage,
        done: &[DoneStep<'_>],
        disputed_too: bool,
    ) -> Option<&'a Step> {
        if step.is_formal_notice() || !step.is_legal() {
            return Some(step);
        }
        let steps = scenario.steps();
        let (_, post_due) = scenario.split_slots();
        let notice = post_due
            .iter()
            .filter(|s| s.offset < slot.offset)
            .rev()
            .find_map(|s| {
                steps[s.steps.clone()].iter().find(|n| {
                    let window = Window::of(n, self.today, disputed_too);
                    n.is_formal_notice()
                        && n.conditions.holds(&input.debtor, stage, |currency| {
                            window.net_in(input.claims, currency)
                        })
                })
            });
        let Some(notice) = notice else {
            return Some(step);
        };
        // Any formal notice of the cycle counts (an alternative of the same slot, an
        // earlier one), the latest one starting the delay.
        let notices = post_due
            .iter()
            .filter(|s| s.offset < slot.offset)
            .flat_map(|s| steps[s.steps.clone()].iter())
            .filter(|n| n.is_formal_notice());
        let sent = done
            .iter()
            .filter(|d| notices.clone().any(|n| n.code == d.code))
            .map(|d| day_number(d.on))
            .max();
        match sent {
            None => Some(notice),
            Some(on) => {
                let wait = step.offset_days.saturating_sub(notice.offset_days);
                (self.today >= on.saturating_add(wait)).then_some(step)
            }
        }
    }

    /// Whether a step of the slot is done and still counts. A step done on day D at offset
    /// k reached every claim due on or before D − k. It is forgotten — may be done again —
    /// when it resets on payment, a payment came after D, and the oldest claim now open was
    /// due after D − k: that claim never got the step.
    fn slot_done(
        &self,
        steps: &[Step],
        slot: &Slot,
        done: &[DoneStep<'_>],
        last_payment: Option<Date>,
        reference: i32,
    ) -> bool {
        let paid_day = last_payment.map(day_number);
        done.iter().any(|d| {
            steps[slot.steps.clone()]
                .iter()
                .find(|s| s.code == d.code)
                .is_some_and(|step| {
                    let on = day_number(d.on);
                    let forgotten = step.resets_on_payment
                        && paid_day.is_some_and(|p| p > on)
                        && reference > on - step.offset_days;
                    !forgotten
                })
        })
    }

    /// Whether contacting the debtor today would break a quiet day, the cool-down or the
    /// weekly cap. Steps that reach no one (internal tasks) pass.
    fn contact_gate(&self, channels: Channels, contacts: &[ContactRecord]) -> Option<SkipReason> {
        if !channels.reaches_debtor() {
            return None;
        }
        if self.quiet_today && channels.is_intrusive() {
            return Some(SkipReason::QuietDay);
        }
        let today = self.today;
        let mut last: Option<(i32, Date)> = None;
        // Bit n set: a contact n days ago (n = 0..=6).
        let mut week: u8 = 0;
        for c in contacts.iter().filter(|c| c.channel.reaches_debtor()) {
            let day = day_number(c.on);
            if day > today {
                continue;
            }
            if last.is_none_or(|(l, _)| day > l) {
                last = Some((day, c.on));
            }
            if let Ok(ago @ 0..=6) = u32::try_from(today - day) {
                week |= 1 << ago;
            }
        }
        if let Some((day, date)) = last
            && today - day < self.min_days_between
        {
            return Some(SkipReason::CoolDown {
                last_contact: date,
                min_hours: self.settings.min_hours_between_contacts,
            });
        }
        let contacts_this_week = week.count_ones();
        let cap = self.settings.max_contacts_per_week;
        (contacts_this_week >= cap).then_some(SkipReason::ContactCap {
            contacts: contacts_this_week,
            per_week: cap,
        })
    }
}

/// Why a currency's amount gets no action.
fn currency_skip(settings: &DunningSettings, d: &Due) -> SkipReason {
    if d.net <= 0 {
        SkipReason::NothingDue
    } else {
        SkipReason::BelowMinimum {
            amount: Money::from_minor(d.net, d.currency),
            minimum: settings.minimum(d.currency),
        }
    }
}

/// The whole open amount of the case in a currency (assignment rules compare it).
fn open_in(claims: &[OpenClaim], currency: Currency) -> i64 {
    claims
        .iter()
        .filter(|c| c.currency == currency && c.open_minor > 0)
        .fold(0_i64, |sum, c| sum.saturating_add(c.open_minor))
}

/// Decides every case as of `as_of`. The order of the decisions follows the order of the
/// cases; within a case: reopening, assignment, closure, then actions and skips by
/// currency code.
pub fn decide(
    scenarios: &ScenarioSet,
    settings: &DunningSettings,
    as_of: Date,
    cases: &[CaseInput<'_>],
) -> Vec<Decision> {
    let mut pass = DecisionPass::new(scenarios, settings, as_of);
    // Most days most cases decide nothing; a busy day about one decision per case.
    let mut out = Vec::with_capacity(cases.len() / 4);
    for case in cases {
        pass.decide_case(case, &mut out);
    }
    out
}

/// What tomorrow's run would decide from today's data: the same pass, as of the day after
/// `as_of` (`run --preview`).
pub fn preview(
    scenarios: &ScenarioSet,
    settings: &DunningSettings,
    as_of: Date,
    cases: &[CaseInput<'_>],
) -> Vec<Decision> {
    match as_of.tomorrow() {
        Ok(tomorrow) => decide(scenarios, settings, tomorrow, cases),
        // 9999-12-31 has no tomorrow to preview.
        Err(_) => Vec::new(),
    }
}
