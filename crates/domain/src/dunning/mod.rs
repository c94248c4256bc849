//! # Dunning ("relances"): scenarios, and the daily decision of who is reminded of what
//!
//! A **scenario** ("plan de relance") is a list of **steps**, each done a number of days
//! from the due date — a courtesy e-mail five days before, an e-mail the day after, a call
//! a week later, a formal notice at thirty days. **Assignment rules** pick the scenario a
//! **case** follows (one case per debtor of a creditor). Every day the **decision pass**
//! looks at each case and says which step to do, or why not today. It is a pure function
//! of the cases and the day: the shell persists what it decides, sends the messages, and
//! runs the same pass for `run --preview` with tomorrow's date ([`preview`]).
//!
//! It is built against what users of ERP dunning modules complain about (DESIGN.md,
//! "Lessons from the tools our users leave behind"): the same reminder sent twice, a burst
//! of missed reminders after an outage, reminders to customers who already paid, one
//! channel per level, harassment.
//!
//! ## The scenario file
//!
//! One TOML file per scenario. The three shipped defaults are in `crates/domain/scenarios/`
//! ([`ScenarioSet::defaults`]); a creditor may write its own.
//!
//! ```toml
//! code = "fr_b2b_standard"                 # stable: cases keep it
//! name_fr = "Relance B2B standard (France)"
//! name_en = "Standard B2B dunning (France)"
//!
//! [[step]]
//! code = "d-5_email"          # stable: an action is created once per (case, step code)
//! offset_days = -5            # days from the due date of the oldest open claim
//! channels = ["email"]        # one or more channels
//! template = "courtesy_pre_due"
//! stage = "pre_due"           # the stage the case moves to
//! resets_on_payment = true    # may be done again after a payment (see below)
//!
//! [[step]]
//! code = "d+30_formal_notice"
//! offset_days = 30
//! channels = ["formal_notice", "email"]
//! template = "formal_notice_b2b"
//! stage = "formal_notice"
//! claim_penalties = true      # late interest and indemnities from this step on
//!
//! [[step]]                    # two steps with the same offset are alternatives:
//! code = "d+45_legal_review"  # the first whose conditions hold is taken
//! offset_days = 45
//! channels = ["legal_review_task"]
//! template = "legal_review"
//! stage = "pre_litigation"
//! when = { min_amount = "500.00 EUR" }
//!
//! [[step]]
//! code = "d+45_agency_handoff"
//! offset_days = 45
//! channels = ["agency_handoff"]
//! template = "agency_handoff"
//! stage = "formal_notice"
//! when = { max_amount = "499.99 EUR" }
//! ```
//!
//! | step field | meaning |
//! | --- | --- |
//! | `code` | 1–64 characters among letters, digits, `_ - + .`; unique in the scenario; never rename one in use |
//! | `offset_days` | −365 to 3650; steps are listed in the order they happen (offsets never decrease); **0 or less is a pre-due step** |
//! | `channels` | `email`, `sms`, `letter`, `registered_letter`, `phone_task`, `formal_notice` (the mise en demeure, by registered letter), `agency_handoff`, `legal_review_task` (French aliases: `courriel`, `courrier`, `lrar`, `appel`, `mise_en_demeure`) |
//! | `template` | the text or task template to render |
//! | `stage` | `pre_due`, `amicable`, `formal_notice`, `pre_litigation`, `litigation` (never `closed`) |
//! | `claim_penalties` | optional; absent inherits from the step before; once `true`, later steps cannot say `false` |
//! | `resets_on_payment` | optional, default `false` |
//! | `legal_decision` | optional, on a `legal_review_task` step only: a route (`injonction_de_payer`, `petites_creances`, `refere_provision`, `eu_order`, `eu_small_claims`) the run then opens a legal file on, by itself, when the routes advisor finds it open for the case; otherwise the review stays a person's task |
//! | `when` | optional conditions, all of which must hold (below) |
//!
//! Conditions (`when`, for steps and assignment rules), each optional: `min_amount` and
//! `max_amount` (inclusive; `"500.00 EUR"`, `"1 234,56 EUR"` or
//! `{ minor = 50000, currency = "EUR" }`; both in one currency), `segment` (`b2b`/`b2c`),
//! `countries`, `languages`, `tags_any` (at least one), `risk_bands` (`low`, `medium`,
//! `high`), `stages`. For a step the amount is what the step would claim in that currency;
//! for a rule, the case's whole open amount there (see [`Conditions`]).
//!
//! Errors name the file, the line and what is wrong: an unknown channel, offsets out of
//! order, a duplicate step code, a misspelt field ([`ScenarioError`]).
//!
//! The assignment file lists rules tried in order, first match wins, and a default:
//!
//! ```toml
//! default = "fr_b2b_standard"
//!
//! [[rule]]
//! scenario = "key_accounts"
//! when = { tags_any = ["key_account", "grand_compte"] }
//!
//! [[rule]]
//! scenario = "fr_b2c_gentle"
//! when = { segment = "b2c" }
//! ```
//!
//! ## How the pass decides, case by case
//!
//! 1. **Closure and reopening.** A case with nothing open (no claim with a positive open
//!    amount) is closed as paid ([`Decision::Close`]). A closed case that owes again
//!    reopens — at `amicable` if something is overdue, else `pre_due` — and starts a new
//!    cycle: its done steps are forgotten ([`Decision::Reopen`]). A case in `litigation`
//!    gets nothing from the engine but its closure.
//! 2. **Scenario.** The case's own, or the one the rules give ([`Decision::Assign`]).
//! 3. **Age.** Days since the due date of the oldest *undisputed* open claim (negative
//!    before it). A claim is overdue from the day after its due date.
//! 4. **Which step.** Only steps on the same side of the due date as the age count
//!    (pre-due steps while nothing undisputed is overdue, later steps after). Steps with the
//!    same offset form a *slot* of alternatives. The pass takes the latest slot whose offset
//!    is at most the age and which has a step whose conditions hold (a slot with none is
//!    skipped over, as if absent). If a step of that slot is already done, nothing is due;
//!    otherwise its first applicable step is. So a run that was off for 20 days does only
//!    the latest step due, never the ones it missed, and a step is decided **once per
//!    (case, step code)**: the shell passes the steps done since the case last reopened.
//!    One exception: a *legal* step (a legal channel — formal notice, registered letter,
//!    legal review, agency hand-off — or a stage from the formal notice on) never goes
//!    before the scenario's formal-notice step that precedes it. A first run on an imported
//!    overdue book sends the formal notice rather than jumping to the legal review, and the
//!    legal step then waits its own delay counted from the notice (its offset minus the
//!    notice's), whatever the claim's age; a task text may then say a notice was sent.
//! 5. **Holds.** Nothing goes while payment data is stale (the last payment import is older
//!    than the freshness limit), the case is on hold, a promise or plan is live, or every
//!    overdue claim is disputed: a [`Skip`] says which, naming the step held back. A legal
//!    step also waits while a bank payment that may be the debtor's is in the review queue
//!    ([`SkipReason::PaymentInReview`]): ordinary reminders still go.
//! 6. **Per currency.** One action per currency, covering the undisputed claims due there
//!    (overdue ones; for a pre-due step at offset −k, those falling due in the next k
//!    days), minus undisputed credits in that currency. A currency whose credits cover it
//!    is skipped (`NothingDue`), one below the minimum too (`BelowMinimum`); a debtor owing
//!    in EUR and GBP gets two actions.
//! 7. **Contacts.** A step reaching the debtor (not agency hand-offs or legal reviews)
//!    waits for the cool-down (48 h = 2 days after the last contact), the weekly cap (at
//!    most 2 days with a contact in the 7 days ending today) and, for SMS and calls, a day
//!    that is not a Sunday or a French public holiday. The whole step waits: its channels
//!    go together or not at all. It is tried again on the next run — unless a later step
//!    has become due meanwhile, which replaces it.
//! 8. **Action.** The step's channels and template, the claims and the amount, whether to
//!    claim penalties, the stage after (the later of the case's and the step's: a stage
//!    never moves backwards), and `draft` in review mode.
//!
//! ## Payments and resets
//!
//! A payment that clears everything closes the case (1.). A payment that leaves something
//! open changes nothing by itself: the age still runs from the oldest claim still open, so
//! a partial payment never re-triggers the step just sent. What a payment can do is let
//! `resets_on_payment` steps be done again **for claims that never got them**. Precisely:
//! a step done on day D at offset k reached every claim due on or before D − k; it is
//! forgotten when it resets on payment, a payment came after D, and the oldest undisputed
//! claim now open was due after D − k. Example: invoice A due 1 March gets `d+1_email` on
//! 2 March and `d+8_call` on 9 March; A is paid on 12 March while invoice B, due 10 March,
//! stays open. B's age on 12 March is 2: `d+1_email` (done 2 March, reached claims due up
//! to 1 March) is forgotten and goes again for B. Steps without the flag — a formal notice —
//! stay done until the case closes.

mod decide;
mod model;
mod priority;
mod scenario;

#[cfg(test)]
mod tests;

pub use decide::{
    Action, Arrangement, CaseInput, CaseState, ContactRecord, Decision, DecisionPass, DoneStep,
    DunningSettings, OpenClaim, Pause, Skip, SkipReason, Window, decide, preview,
};
pub use model::{
    CaseId, Channel, Channels, CloseReason, Conditions, DebtorFacts, RiskBand, ScenarioCode, Stage,
    StepCode,
};
pub use priority::{
    PaymentHistory, priority, priority_reasons, recovery_likelihood_per_mille, urgency_per_mille,
};
pub use scenario::{
    AssignmentRule, DEFAULT_ASSIGNMENT_FILE, DEFAULT_SCENARIO_FILES, OFFSET_RANGE, Scenario,
    ScenarioError, ScenarioErrorKind, ScenarioSet, Step, parse_scenario,
};
