//! Acceptance tests of the dunning engine: day-by-day replays of one case through the
//! shipped scenarios, feeding every decision back as the shell would (done steps, contacts,
//! stage, scenario). Each expected line was worked out by hand from the scenario files and
//! the 2026 calendar; the derivation is in the comments.

use super::*;
use crate::date::Date;
use crate::ids::ClaimId;
use crate::money::{Currency, Money};
use crate::party::Segment;
use jiff::ToSpan;
use jiff::civil::date;
use proptest::prelude::*;

fn d(month: i8, day: i8) -> Date {
    date(2026, month, day)
}

/// A claim of the replayed case.
#[derive(Debug, Clone)]
struct TestClaim {
    id: i64,
    currency: Currency,
    /// Open from this day (its issue or import).
    issued: Date,
    due: Date,
    amount: i64,
    payments: Vec<(Date, i64)>,
    disputed: bool,
}

fn claim(id: i64, due: Date, amount: i64) -> TestClaim {
    TestClaim {
        id,
        currency: Currency::EUR,
        issued: d(1, 1),
        due,
        amount,
        payments: vec![],
        disputed: false,
    }
}

/// One case, its shell-side state, and the log of what the engine decided.
struct World {
    set: ScenarioSet,
    settings: DunningSettings,
    segment: Segment,
    tags: Vec<String>,
    claims: Vec<TestClaim>,
    scenario: Option<String>,
    stage: Stage,
    hold_until: Option<Date>,
    arrangement: Option<Arrangement>,
    /// A payment that may be the debtor's waits in the review queue.
    payment_in_review: bool,
    done: Vec<(String, Date)>,
    contacts: Vec<ContactRecord>,
    /// Payment data imported every morning (the freshness gate passes).
    daily_import: bool,
    log: Vec<(Date, Decision)>,
}

impl World {
    /// A French B2B debtor following the standard scenario.
    fn b2b(claims: Vec<TestClaim>) -> Self {
        Self {
            set: ScenarioSet::defaults().unwrap(),
            settings: DunningSettings::default(),
            segment: Segment::B2b,
            tags: vec![],
            claims,
            scenario: Some("fr_b2b_standard".into()),
            stage: Stage::PreDue,
            hold_until: None,
            arrangement: None,
            payment_in_review: false,
            done: vec![],
            contacts: vec![],
            daily_import: true,
            log: vec![],
        }
    }

    fn open_claims(&self, day: Date) -> Vec<OpenClaim> {
        self.claims
            .iter()
            .filter(|c| c.issued <= day)
            .map(|c| OpenClaim {
                id: ClaimId(c.id),
                currency: c.currency,
                due_date: c.due,
                open_minor: c.amount
                    - c.payments
                        .iter()
                        .filter(|(on, _)| *on <= day)
                        .map(|(_, a)| a)
                        .sum::<i64>(),
                disputed: c.disputed,
            })
            .collect()
    }

    fn last_payment(&self, day: Date) -> Option<Date> {
        self.claims
            .iter()
            .flat_map(|c| c.payments.iter().map(|(on, _)| *on))
            .filter(|on| *on <= day)
            .max()
    }

    /// What the engine decides on `day`, without applying it.
    fn decide_on(&mut self, day: Date) -> Vec<Decision> {
        if self.daily_import {
            self.settings.last_payment_import = Some(day);
        }
        let claims = self.open_claims(day);
        let done: Vec<DoneStep<'_>> = self
            .done
            .iter()
            .map(|(code, on)| DoneStep { code, on: *on })
            .collect();
        let tags = self.tags.clone();
        let input = CaseInput {
            case: CaseId(1),
            debtor: DebtorFacts {
                segment: self.segment,
                country: "FR",
                language: "fr",
                tags: &tags,
                risk_band: None,
            },
            state: CaseState {
                scenario: self.scenario.as_deref(),
                stage: self.stage,
                hold_until: self.hold_until,
                arrangement: self.arrangement,
                last_payment: self.last_payment(day),
                payment_in_review: self.payment_in_review,
            },
            claims: &claims,
            done: &done,
            contacts: &self.contacts,
        };
        decide(&self.set, &self.settings, day, &[input])
    }

    /// Decides `day` and applies the decisions as the shell would.
    fn day(&mut self, day: Date) -> Vec<Decision> {
        let decisions = self.decide_on(day);
        for decision in &decisions {
            match decision {
                Decision::Assign { scenario, .. } => self.scenario = Some(scenario.to_string()),
                Decision::Reopen { stage, .. } => {
                    self.stage = *stage;
                    self.done.clear();
                }
                Decision::Close { reason, .. } => self.stage = Stage::Closed(*reason),
                Decision::Action(a) => {
                    // Several currency actions of one step are one done step.
                    if !self
                        .done
                        .iter()
                        .any(|(c, on)| a.step == c.as_str() && *on == day)
                    {
                        self.done.push((a.step.to_string(), day));
                    }
                    for channel in a.channels.iter().filter(|c| c.reaches_debtor()) {
                        self.contacts.push(ContactRecord { on: day, channel });
                    }
                    self.stage = a.stage_after;
                }
                Decision::Skip(_) => {}
            }
            self.log.push((day, decision.clone()));
        }
        decisions
    }

    fn run(&mut self, from: Date, to: Date) {
        let mut day = from;
        while day <= to {
            self.day(day);
            day = day.saturating_add(1.day());
        }
    }

    fn lines(&self) -> Vec<String> {
        self.log.iter().map(|(day, x)| line(*day, x)).collect()
    }

    fn actions(&self) -> Vec<&Action> {
        self.log
            .iter()
            .filter_map(|(_, x)| match x {
                Decision::Action(a) => Some(a),
                _ => None,
            })
            .collect()
    }
}

/// One decision as a line: `2026-03-03 d+1_email 1200.00 EUR [1] amicable`.
fn line(day: Date, decision: &Decision) -> String {
    match decision {
        Decision::Assign { scenario, .. } => format!("{day} assign {scenario}"),
        Decision::Reopen { stage, .. } => format!("{day} reopen {stage}"),
        Decision::Close { reason, .. } => format!("{day} close {reason}"),
        Decision::Action(a) => {
            let ids: Vec<i64> = a.claims.iter().map(|c| c.0).collect();
            format!(
                "{day} {} {} {ids:?} {}{}{}",
                a.step,
                a.amount,
                a.stage_after,
                if a.claim_penalties { " penalties" } else { "" },
                if a.draft { " draft" } else { "" },
            )
        }
        Decision::Skip(s) => {
            let currency = s
                .currency
                .map(|c| format!(" {}", c.code()))
                .unwrap_or_default();
            let reason = match &s.reason {
                SkipReason::BelowMinimum { amount, minimum } => {
                    format!("below_minimum {amount} < {minimum}")
                }
                SkipReason::NothingDue => "nothing_due".into(),
                SkipReason::ContactCap { contacts, per_week } => {
                    format!("contact_cap {contacts}/{per_week}")
                }
                SkipReason::CoolDown { last_contact, .. } => format!("cool_down {last_contact}"),
                SkipReason::QuietDay => "quiet_day".into(),
                SkipReason::StaleData {
                    last_import,
                    limit_days,
                } => format!(
                    "stale_data {} limit {limit_days}",
                    last_import.map(|d| d.to_string()).unwrap_or_default()
                ),
                SkipReason::Paused { pause } => format!("paused {pause}"),
                SkipReason::PaymentInReview => "payment_in_review".into(),
            };
            format!("{day} skip {}{currency} {reason}", s.step)
        }
    }
}

#[test]
fn a_debtor_who_pays_after_the_second_reminder_gets_nothing_more() {
    // €1,200.00 due Monday 2 March 2026, paid in full on 12 March, after the reminder of
    // 3 March (+1) and the call of 10 March (+8).
    let mut c = claim(1, d(3, 2), 1_200_00);
    c.payments.push((d(3, 12), 1_200_00));
    let mut w = World::b2b(vec![c]);
    w.run(d(2, 20), d(6, 30));
    assert_eq!(
        w.lines(),
        [
            // 2 March − 5 = 25 February: courtesy e-mail, claims due within 5 days.
            "2026-02-25 d-5_email 1200.00 EUR [1] pre_due",
            "2026-03-03 d+1_email 1200.00 EUR [1] amicable",
            "2026-03-10 d+8_call 1200.00 EUR [1] amicable",
            // Balance zero: closed; nothing else until the end of June.
            "2026-03-12 close paid",
        ]
    );
}

#[test]
fn a_disputed_claim_is_not_reminded_while_the_others_are() {
    // #1 €1,000.00 due 2 March, disputed; #2 €300.00 due 5 March; #3 €200.00 due 20 March.
    // The age runs from #2, the oldest undisputed claim.
    let mut disputed = claim(1, d(3, 2), 1_000_00);
    disputed.disputed = true;
    let mut w = World::b2b(vec![
        disputed,
        claim(2, d(3, 5), 300_00),
        claim(3, d(3, 20), 200_00),
    ]);
    w.run(d(2, 25), d(4, 25));
    assert_eq!(
        w.lines(),
        [
            // 5 March − 5 = 28 February; the window (28 Feb – 5 Mar) would include #1, but
            // it is disputed.
            "2026-02-28 d-5_email 300.00 EUR [2] pre_due",
            // 3–5 March: only #1 is overdue and it is disputed: the step it would trigger
            // (+1 from 2 March) is held back.
            "2026-03-03 skip d+1_email paused dispute",
            "2026-03-04 skip d+1_email paused dispute",
            "2026-03-05 skip d+1_email paused dispute",
            // 6 March: #2 is 1 day late.
            "2026-03-06 d+1_email 300.00 EUR [2] amicable",
            "2026-03-13 d+8_call 300.00 EUR [2] amicable",
            // 20 March: #3 falls due today, not overdue yet.
            "2026-03-20 d+15_email_statement 300.00 EUR [2] amicable",
            // 4 April (+30): #2 and #3 overdue, €500.00, penalties from now on.
            "2026-04-04 d+30_formal_notice 500.00 EUR [2, 3] formal_notice penalties",
            // 19 April (+45): €500.00 ≥ €500.00, so legal review rather than the agency.
            "2026-04-19 d+45_legal_review 500.00 EUR [2, 3] pre_litigation penalties",
        ]
    );
}

#[test]
fn a_consumer_never_gets_penalties_and_no_calls_on_public_holidays() {
    // A consumer with €800.00 due 2 March, never paying. No scenario yet: the rules assign
    // the gentle B2C scenario.
    let mut w = World::b2b(vec![claim(1, d(3, 2), 800_00)]);
    w.segment = Segment::B2c;
    w.scenario = None;
    w.run(d(2, 20), d(6, 30));
    assert_eq!(
        w.lines(),
        [
            "2026-02-20 assign fr_b2c_gentle",
            "2026-02-27 d-3_email 800.00 EUR [1] pre_due",
            "2026-03-05 d+3_email 800.00 EUR [1] amicable",
            "2026-03-12 d+10_sms 800.00 EUR [1] amicable",
            // Sunday 22 March: a letter and an e-mail may go on a Sunday.
            "2026-03-22 d+20_letter 800.00 EUR [1] amicable",
            // 2 March + 35 = 6 April, Easter Monday 2026: no call; Tuesday instead.
            "2026-04-06 skip d+35_call quiet_day",
            "2026-04-07 d+35_call 800.00 EUR [1] amicable",
            "2026-04-21 d+50_formal_notice 800.00 EUR [1] formal_notice",
            "2026-05-16 d+75_review 800.00 EUR [1] pre_litigation",
        ]
    );
    assert!(w.actions().iter().all(|a| !a.claim_penalties));
}

#[test]
fn under_500_euros_at_formal_notice_goes_to_the_agency() {
    // €1,200.00 due 2 March; €800.00 paid on 8 April, after the formal notice (1 April):
    // €400.00 is left at +45 (16 April), under €500.00, so the agency path is taken.
    let mut c = claim(1, d(3, 2), 1_200_00);
    c.payments.push((d(4, 8), 800_00));
    let mut w = World::b2b(vec![c]);
    w.run(d(2, 20), d(5, 31));
    assert_eq!(
        w.lines(),
        [
            "2026-02-25 d-5_email 1200.00 EUR [1] pre_due",
            "2026-03-03 d+1_email 1200.00 EUR [1] amicable",
            "2026-03-10 d+8_call 1200.00 EUR [1] amicable",
            "2026-03-17 d+15_email_statement 1200.00 EUR [1] amicable",
            "2026-04-01 d+30_formal_notice 1200.00 EUR [1] formal_notice penalties",
            // The partial payment re-triggers nothing (the oldest claim is still #1). The
            // agency step keeps the case at the formal-notice stage.
            "2026-04-16 d+45_agency_handoff 400.00 EUR [1] formal_notice penalties",
        ]
    );
    // The same case without the payment goes to legal review (its formal notice sent on
    // 1 April, 15 days before: see `catching_up_never_skips_the_formal_notice`).
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
    w.done.push(("d+30_formal_notice".into(), d(4, 1)));
    w.stage = Stage::FormalNotice;
    w.run(d(4, 16), d(4, 16));
    assert_eq!(
        w.lines(),
        ["2026-04-16 d+45_legal_review 1200.00 EUR [1] pre_litigation penalties"]
    );
}

const THREE_EMAILS: &str = r#"
code = "three_emails"
name_fr = "Trois courriels"
name_en = "Three e-mails"

[[step]]
code = "d+1"
offset_days = 1
channels = ["email"]
template = "t1"
stage = "amicable"

[[step]]
code = "d+3"
offset_days = 3
channels = ["email"]
template = "t3"
stage = "amicable"

[[step]]
code = "d+5"
offset_days = 5
channels = ["email"]
template = "t5"
stage = "amicable"

[[step]]
code = "d+20"
offset_days = 20
channels = ["email"]
template = "t20"
stage = "amicable"
"#;

fn three_emails_world(claims: Vec<TestClaim>) -> World {
    let mut w = World::b2b(claims);
    w.set = ScenarioSet::from_toml(
        &[("three_emails.toml", THREE_EMAILS)],
        ("assignment.toml", "default = \"three_emails\""),
    )
    .unwrap();
    w.scenario = Some("three_emails".into());
    w
}

#[test]
fn the_contact_cap_defers_the_third_step_of_a_week() {
    // Due 2 March; steps at +1 (3 March), +3 (5 March), +5 (7 March). On 7 March the
    // 7 days 1–7 March hold 2 contacts (3rd, 5th): capped until 10 March, whose window
    // (4–10 March) holds only the 5th. The +5 step is still the latest due (+20 is far).
    let mut w = three_emails_world(vec![claim(1, d(3, 2), 100_00)]);
    w.run(d(3, 3), d(3, 21));
    assert_eq!(
        w.lines(),
        [
            "2026-03-03 d+1 100.00 EUR [1] amicable",
            "2026-03-05 d+3 100.00 EUR [1] amicable",
            "2026-03-07 skip d+5 contact_cap 2/2",
            "2026-03-08 skip d+5 contact_cap 2/2",
            "2026-03-09 skip d+5 contact_cap 2/2",
            "2026-03-10 d+5 100.00 EUR [1] amicable",
        ]
    );
}

#[test]
fn the_cool_down_waits_48_hours_after_any_contact() {
    // A collector called on 2 March (logged by hand). The +1 step on 3 March is one day
    // later: held back; on 4 March two days have passed.
    let mut w = three_emails_world(vec![claim(1, d(3, 2), 100_00)]);
    w.contacts.push(ContactRecord {
        on: d(3, 2),
        channel: Channel::PhoneTask,
    });
    w.run(d(3, 3), d(3, 4));
    assert_eq!(
        w.lines(),
        [
            "2026-03-03 skip d+1 cool_down 2026-03-02",
            "2026-03-04 d+1 100.00 EUR [1] amicable",
        ]
    );
}

#[test]
fn nothing_is_decided_on_stale_payment_data() {
    // Last payment import 26 February, limit 4 days: on 3 March it is 5 days old.
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
    w.daily_import = false;
    w.settings.last_payment_import = Some(d(2, 26));
    w.run(d(3, 3), d(3, 5));
    // A fresh import on 6 March lets the step go.
    w.settings.last_payment_import = Some(d(3, 6));
    w.run(d(3, 6), d(3, 6));
    assert_eq!(
        w.lines(),
        [
            "2026-03-03 skip d+1_email stale_data 2026-02-26 limit 4",
            "2026-03-04 skip d+1_email stale_data 2026-02-26 limit 4",
            "2026-03-05 skip d+1_email stale_data 2026-02-26 limit 4",
            "2026-03-06 d+1_email 1200.00 EUR [1] amicable",
        ]
    );
    // Never imported at all is stale too.
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
    w.daily_import = false;
    w.run(d(3, 3), d(3, 3));
    assert_eq!(w.lines(), ["2026-03-03 skip d+1_email stale_data  limit 4"]);
}

#[test]
fn review_mode_makes_drafts_and_a_draft_is_not_decided_again() {
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
    w.settings.review_mode = true;
    w.run(d(3, 3), d(3, 9));
    assert_eq!(
        w.lines(),
        ["2026-03-03 d+1_email 1200.00 EUR [1] amicable draft"]
    );
}

#[test]
fn rerunning_the_same_day_decides_nothing_new() {
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00), claim(2, d(3, 20), 50_00)]);
    let first = w.day(d(3, 3));
    assert_eq!(first.len(), 1);
    assert!(w.day(d(3, 3)).is_empty());
    assert!(w.day(d(3, 3)).is_empty());
    // And the preview of 2 March is what 3 March decided.
    let mut fresh = World::b2b(vec![claim(1, d(3, 2), 1_200_00), claim(2, d(3, 20), 50_00)]);
    fresh.settings.last_payment_import = Some(d(3, 2));
    let claims = fresh.open_claims(d(3, 2));
    let input = CaseInput {
        case: CaseId(1),
        debtor: DebtorFacts {
            segment: Segment::B2b,
            country: "FR",
            language: "fr",
            tags: &[],
            risk_band: None,
        },
        state: CaseState {
            scenario: Some("fr_b2b_standard"),
            stage: Stage::PreDue,
            hold_until: None,
            arrangement: None,
            last_payment: None,
            payment_in_review: false,
        },
        claims: &claims,
        done: &[],
        contacts: &[],
    };
    assert_eq!(
        preview(&fresh.set, &fresh.settings, d(3, 2), &[input]),
        first
    );
}

#[test]
fn a_system_off_for_20_days_catches_up_to_the_latest_step_only() {
    // Due 2 March. The run works until 27 February, is off from 28 February to 19 March
    // (20 days), and resumes on 20 March (+18): +1 and +8 were missed, +15 is the latest
    // due step and the only one done; +30 follows on 1 April as usual.
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
    w.run(d(2, 20), d(2, 27));
    w.run(d(3, 20), d(4, 2));
    assert_eq!(
        w.lines(),
        [
            "2026-02-25 d-5_email 1200.00 EUR [1] pre_due",
            "2026-03-20 d+15_email_statement 1200.00 EUR [1] amicable",
            "2026-04-01 d+30_formal_notice 1200.00 EUR [1] formal_notice penalties",
        ]
    );
}

/// A first run on an imported overdue book (or a run back after weeks off) catches up to
/// the latest due step, except that a legal step never goes before the formal notice of
/// its scenario: the notice goes first, and the legal step follows its own delay after
/// the notice (its offset − the notice's), not the claim's age.
#[test]
fn catching_up_never_skips_the_formal_notice() {
    struct Row {
        what: &'static str,
        segment: Segment,
        tags: &'static [&'static str],
        /// One claim due 2 March 2026.
        amount: i64,
        /// The first run (the case unknown until then, as after an import).
        from: Date,
        to: Date,
        want: &'static [&'static str],
    }
    let rows = [
        Row {
            what: "B2B, €1,200.00, first seen 61 days late (2 May)",
            segment: Segment::B2b,
            tags: &[],
            amount: 1_200_00,
            from: d(5, 2),
            to: d(6, 30),
            // The latest slot is +45 (legal review, ≥ €500.00), but no notice was sent:
            // the notice (+30) goes on 2 May, the review 45 − 30 = 15 days later, 17 May.
            want: &[
                "2026-05-02 reopen amicable",
                "2026-05-02 assign fr_b2b_standard",
                "2026-05-02 d+30_formal_notice 1200.00 EUR [1] formal_notice penalties",
                "2026-05-17 d+45_legal_review 1200.00 EUR [1] pre_litigation penalties",
            ],
        },
        Row {
            what: "B2B, €300.00, first seen 61 days late: the agency hand-off waits too",
            segment: Segment::B2b,
            tags: &[],
            amount: 300_00,
            from: d(5, 2),
            to: d(6, 30),
            // +45 for at most €499.99 is the agency hand-off: notice 2 May, hand-off 17 May.
            want: &[
                "2026-05-02 reopen amicable",
                "2026-05-02 assign fr_b2b_standard",
                "2026-05-02 d+30_formal_notice 300.00 EUR [1] formal_notice penalties",
                "2026-05-17 d+45_agency_handoff 300.00 EUR [1] formal_notice penalties",
            ],
        },
        Row {
            what: "consumer, €800.00, first seen 91 days late (1 June)",
            segment: Segment::B2c,
            tags: &[],
            amount: 800_00,
            from: d(6, 1),
            to: d(7, 31),
            // Gentle B2C: latest slot +75 (review); the notice is +50: notice 1 June, review
            // 75 − 50 = 25 days later, 26 June. No penalties from a consumer.
            want: &[
                "2026-06-01 reopen amicable",
                "2026-06-01 assign fr_b2c_gentle",
                "2026-06-01 d+50_formal_notice 800.00 EUR [1] formal_notice",
                "2026-06-26 d+75_review 800.00 EUR [1] pre_litigation",
            ],
        },
        Row {
            what: "key account, €5,000.00, 61 days late: its scenario has no formal notice",
            segment: Segment::B2b,
            tags: &["key_account"],
            amount: 5_000_00,
            from: d(5, 2),
            to: d(6, 30),
            // Nothing to send first: the review (+40) is the latest step and goes at once.
            want: &[
                "2026-05-02 reopen amicable",
                "2026-05-02 assign key_accounts",
                "2026-05-02 d+40_review 5000.00 EUR [1] amicable",
            ],
        },
        Row {
            what: "B2B, €1,200.00, back after 40 days (11 April), between notice and review",
            segment: Segment::B2b,
            tags: &[],
            amount: 1_200_00,
            from: d(4, 11),
            to: d(5, 31),
            // +40: the latest slot is the notice itself, done at once; at +45 (16 April) the
            // review still waits: 11 April + 15 = 26 April.
            want: &[
                "2026-04-11 reopen amicable",
                "2026-04-11 assign fr_b2b_standard",
                "2026-04-11 d+30_formal_notice 1200.00 EUR [1] formal_notice penalties",
                "2026-04-26 d+45_legal_review 1200.00 EUR [1] pre_litigation penalties",
            ],
        },
    ];
    for row in rows {
        let mut w = World::b2b(vec![claim(1, d(3, 2), row.amount)]);
        w.segment = row.segment;
        w.tags = row.tags.iter().map(|t| t.to_string()).collect();
        w.scenario = None;
        w.stage = Stage::Closed(CloseReason::Paid);
        w.run(row.from, row.to);
        assert_eq!(w.lines(), row.want, "{}", row.what);
    }
}

/// A payment in the review queue that may be the debtor's holds back the legal steps (the
/// payment may settle what they would demand), not the ordinary reminders; the steps go
/// once a person has dealt with the payment.
#[test]
fn a_payment_in_review_holds_back_legal_steps_only() {
    struct Row {
        what: &'static str,
        tags: &'static [&'static str],
        /// The payment waits from the first day to this one included.
        in_review_until: Date,
        from: Date,
        to: Date,
        want: &'static [&'static str],
    }
    let rows = [
        Row {
            what: "an ordinary reminder goes",
            tags: &[],
            in_review_until: d(3, 31),
            from: d(3, 3),
            to: d(3, 3),
            want: &["2026-03-03 d+1_email 1200.00 EUR [1] amicable"],
        },
        Row {
            what: "the formal notice waits for the review",
            tags: &[],
            in_review_until: d(4, 2),
            from: d(4, 1),
            to: d(4, 3),
            // +30 is 1 April; reviewed on 2 April (still waiting that day): notice 3 April.
            want: &[
                "2026-04-01 skip d+30_formal_notice payment_in_review",
                "2026-04-02 skip d+30_formal_notice payment_in_review",
                "2026-04-03 d+30_formal_notice 1200.00 EUR [1] formal_notice penalties",
            ],
        },
        Row {
            what: "a key account's review waits too",
            tags: &["key_account"],
            in_review_until: d(4, 11),
            from: d(4, 11),
            to: d(4, 12),
            // +40 is 11 April.
            want: &[
                "2026-04-11 skip d+40_review payment_in_review",
                "2026-04-12 d+40_review 1200.00 EUR [1] amicable",
            ],
        },
    ];
    for row in rows {
        let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
        w.tags = row.tags.iter().map(|t| t.to_string()).collect();
        if !row.tags.is_empty() {
            w.scenario = Some("key_accounts".into());
        }
        // The earlier steps of the scenario were done on time (the days do not matter
        // here, only that they are done).
        w.stage = Stage::Amicable;
        let mut day = row.from;
        while day <= row.to {
            w.payment_in_review = day <= row.in_review_until;
            w.day(day);
            day = day.saturating_add(1.day());
        }
        let lines: Vec<String> = w
            .lines()
            .into_iter()
            .filter(|l| !l.contains("assign"))
            .collect();
        assert_eq!(lines, row.want, "{}", row.what);
    }
}

#[test]
fn the_pre_due_step_comes_before_the_due_date_for_claims_about_to_fall_due() {
    // #1 due 2 March, #2 due 6 March, #3 due 20 March. On 25 February (2 March − 5) the
    // window is 25 February – 2 March: only #1.
    let mut w = World::b2b(vec![
        claim(1, d(3, 2), 100_00),
        claim(2, d(3, 6), 200_00),
        claim(3, d(3, 20), 300_00),
    ]);
    w.run(d(2, 1), d(3, 2));
    assert_eq!(w.lines(), ["2026-02-25 d-5_email 100.00 EUR [1] pre_due"]);
}

#[test]
fn sms_and_calls_wait_for_a_working_day() {
    // Due Saturday 7 March: the +1 e-mail goes on Sunday 8 March; the +8 call falls on
    // Sunday 15 March and waits until Monday.
    let mut w = World::b2b(vec![claim(1, d(3, 7), 1_000_00)]);
    w.run(d(3, 8), d(3, 16));
    assert_eq!(
        w.lines(),
        [
            "2026-03-08 d+1_email 1000.00 EUR [1] amicable",
            "2026-03-15 skip d+8_call quiet_day",
            "2026-03-16 d+8_call 1000.00 EUR [1] amicable",
        ]
    );
    // Due Monday 6 July: the +8 call falls on 14 July (Bastille Day).
    let mut w = World::b2b(vec![claim(1, date(2026, 7, 6), 1_000_00)]);
    w.run(date(2026, 7, 7), date(2026, 7, 15));
    assert_eq!(
        w.lines(),
        [
            "2026-07-07 d+1_email 1000.00 EUR [1] amicable",
            "2026-07-14 skip d+8_call quiet_day",
            "2026-07-15 d+8_call 1000.00 EUR [1] amicable",
        ]
    );
}

#[test]
fn one_action_per_currency() {
    // €500.00 and £300.00 due 2 March: one e-mail per currency, sorted by code.
    let mut gbp = claim(2, d(3, 2), 300_00);
    gbp.currency = Currency::GBP;
    let mut w = World::b2b(vec![claim(1, d(3, 2), 500_00), gbp]);
    w.run(d(3, 3), d(3, 3));
    assert_eq!(
        w.lines(),
        [
            "2026-03-03 d+1_email 500.00 EUR [1] amicable",
            "2026-03-03 d+1_email 300.00 GBP [2] amicable",
        ]
    );
    // Two actions of one step are one done step; the +8 call follows on 10 March, again
    // once per currency.
    assert_eq!(w.done, [("d+1_email".to_string(), d(3, 3))]);
    w.run(d(3, 4), d(3, 10));
    assert_eq!(
        w.lines()[2..],
        [
            "2026-03-10 d+8_call 500.00 EUR [1] amicable",
            "2026-03-10 d+8_call 300.00 GBP [2] amicable",
        ]
    );

    // £5.00 is below a £10.00 minimum: that currency is skipped, the euros go.
    let mut small = claim(2, d(3, 2), 5_00);
    small.currency = Currency::GBP;
    let mut w = World::b2b(vec![claim(1, d(3, 2), 500_00), small]);
    w.settings
        .min_open_amount
        .push(Money::from_minor(10_00, Currency::GBP));
    w.run(d(3, 3), d(3, 3));
    assert_eq!(
        w.lines(),
        [
            "2026-03-03 d+1_email 500.00 EUR [1] amicable",
            "2026-03-03 skip d+1_email GBP below_minimum 5.00 GBP < 10.00 GBP",
        ]
    );
}

#[test]
fn credits_are_deducted_from_what_is_claimed() {
    // €100.00 overdue and an unapplied credit note of €40.00: €60.00 is claimed.
    let mut w = World::b2b(vec![claim(1, d(3, 2), 100_00), claim(2, d(2, 1), -40_00)]);
    w.run(d(3, 3), d(3, 3));
    assert_eq!(
        w.lines(),
        ["2026-03-03 d+1_email 60.00 EUR [1, 2] amicable"]
    );
    // A €150.00 credit covers it: nothing is due.
    let mut w = World::b2b(vec![claim(1, d(3, 2), 100_00), claim(2, d(2, 1), -150_00)]);
    w.run(d(3, 3), d(3, 3));
    assert_eq!(w.lines(), ["2026-03-03 skip d+1_email EUR nothing_due"]);
}

#[test]
fn after_a_payment_reset_steps_go_again_for_claims_that_never_got_them() {
    // The example of the module documentation. A €100.00 due 1 March, B €200.00 due
    // 10 March; A is paid on 12 March.
    let mut a = claim(1, d(3, 1), 100_00);
    a.payments.push((d(3, 12), 100_00));
    let mut w = World::b2b(vec![a, claim(2, d(3, 10), 200_00)]);
    w.run(d(3, 2), d(3, 26));
    assert_eq!(
        w.lines(),
        [
            "2026-03-02 d+1_email 100.00 EUR [1] amicable",
            "2026-03-09 d+8_call 100.00 EUR [1] amicable",
            // B is 2 days late; d+1_email (2 March) reached claims due up to 1 March.
            "2026-03-12 d+1_email 200.00 EUR [2] amicable",
            // 10 + 8 = 18 March; d+8_call (9 March) reached claims due up to 1 March.
            "2026-03-18 d+8_call 200.00 EUR [2] amicable",
            "2026-03-25 d+15_email_statement 200.00 EUR [2] amicable",
        ]
    );
}

#[test]
fn the_stage_never_moves_back_and_a_paid_case_reopens() {
    // A €600.00 due 2 March reaches formal notice on 1 April; B €300.00 due 20 May. A is
    // paid on 5 May: B, not yet due, gets the courtesy e-mail on 15 May (the one of
    // 25 February reached claims due up to 2 March), but the case stays at formal notice.
    let mut a = claim(1, d(3, 2), 600_00);
    a.payments.push((d(5, 5), 600_00));
    let mut w = World::b2b(vec![a, claim(2, d(5, 20), 300_00)]);
    w.run(d(2, 20), d(5, 19));
    assert_eq!(
        w.lines(),
        [
            "2026-02-25 d-5_email 600.00 EUR [1] pre_due",
            "2026-03-03 d+1_email 600.00 EUR [1] amicable",
            "2026-03-10 d+8_call 600.00 EUR [1] amicable",
            "2026-03-17 d+15_email_statement 600.00 EUR [1] amicable",
            "2026-04-01 d+30_formal_notice 600.00 EUR [1] formal_notice penalties",
            "2026-04-16 d+45_legal_review 600.00 EUR [1] pre_litigation penalties",
            // 20 May − 5 = 15 May. The courtesy e-mail claims no penalties (it comes
            // before the notice in the scenario) and leaves the stage where it was.
            "2026-05-15 d-5_email 300.00 EUR [2] pre_litigation",
        ]
    );

    // Paid, closed, then a new invoice: the case reopens at pre-due and starts over.
    let mut a = claim(1, d(3, 2), 100_00);
    a.payments.push((d(3, 4), 100_00));
    let mut b = claim(2, d(4, 1), 250_00);
    b.issued = d(3, 10);
    let mut w = World::b2b(vec![a, b]);
    w.run(d(2, 20), d(4, 2));
    assert_eq!(
        w.lines(),
        [
            "2026-02-25 d-5_email 100.00 EUR [1] pre_due",
            "2026-03-03 d+1_email 100.00 EUR [1] amicable",
            "2026-03-04 close paid",
            "2026-03-10 reopen pre_due",
            "2026-03-27 d-5_email 250.00 EUR [2] pre_due",
            "2026-04-02 d+1_email 250.00 EUR [2] amicable",
        ]
    );
}

#[test]
fn holds_promises_and_litigation() {
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
    w.hold_until = Some(d(3, 4));
    w.run(d(3, 3), d(3, 5));
    assert_eq!(
        w.lines(),
        [
            "2026-03-03 skip d+1_email paused hold",
            "2026-03-04 skip d+1_email paused hold",
            "2026-03-05 d+1_email 1200.00 EUR [1] amicable",
        ]
    );
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
    w.arrangement = Some(Arrangement::Plan);
    w.run(d(3, 3), d(3, 3));
    assert_eq!(w.lines(), ["2026-03-03 skip d+1_email paused plan"]);
    let mut w = World::b2b(vec![claim(1, d(3, 2), 1_200_00)]);
    w.stage = Stage::Litigation;
    w.run(d(3, 3), d(6, 30));
    assert!(w.lines().is_empty());
}

#[test]
fn key_accounts_are_called_first() {
    let mut w = World::b2b(vec![claim(1, d(3, 2), 5_000_00)]);
    w.tags = vec!["grand_compte".into()];
    w.scenario = None;
    w.run(d(2, 20), d(3, 10));
    assert_eq!(
        w.lines(),
        [
            "2026-02-20 assign key_accounts",
            // 2 March − 7 = 23 February (Monday): check the invoice was received.
            "2026-02-23 d-7_call 5000.00 EUR [1] pre_due",
            "2026-03-04 d+2_call 5000.00 EUR [1] amicable",
            "2026-03-09 d+7_email 5000.00 EUR [1] amicable",
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Properties

fn arb_claims() -> impl Strategy<Value = Vec<(i32, i64, bool, bool)>> {
    // (due day offset from 1 March, amount, disputed, in GBP)
    prop::collection::vec(
        (
            -60..60_i32,
            -5_000..200_000_i64,
            any::<bool>(),
            any::<bool>(),
        ),
        0..6,
    )
}

proptest! {
    /// Whatever the case, deciding a day, applying it, and deciding the same day again
    /// creates no new action: exactly once per (case, step).
    #[test]
    fn a_day_decided_twice_acts_once(
        raw in arb_claims(),
        run_from in 0..40_i64,
        run_days in 1..90_i64,
        stage_closed in any::<bool>(),
    ) {
        let claims = raw.iter().enumerate().map(|(i, (due, amount, disputed, gbp))| TestClaim {
            id: i64::try_from(i).unwrap() + 1,
            currency: if *gbp { Currency::GBP } else { Currency::EUR },
            issued: d(1, 1),
            due: d(3, 1).saturating_add(i64::from(*due).days()),
            amount: *amount,
            payments: vec![],
            disputed: *disputed,
        }).collect();
        let mut w = World::b2b(claims);
        if stage_closed {
            w.stage = Stage::Closed(CloseReason::Paid);
        }
        let mut day = d(2, 1).saturating_add(run_from.days());
        for _ in 0..run_days {
            let first = w.day(day);
            // At most one step per day, whatever the number of currencies.
            let steps: Vec<&str> = first.iter().filter_map(|x| match x {
                Decision::Action(a) => Some(a.step.as_str()),
                _ => None,
            }).collect();
            prop_assert!(steps.windows(2).all(|p| p[0] == p[1]), "{steps:?}");
            let again = w.day(day);
            prop_assert!(
                again.iter().all(|x| matches!(x, Decision::Skip(_))),
                "{day}: {again:?}"
            );
            day = day.saturating_add(1.day());
        }
        // A step is never done twice in one cycle of a case whose claims never change.
        let mut codes: Vec<&str> = w.done.iter().map(|(c, _)| c.as_str()).collect();
        codes.sort_unstable();
        let len = codes.len();
        codes.dedup();
        prop_assert_eq!(codes.len(), len);
    }
}

/// The window every message outside the run applies (issue 17): on 2 March 2026 a claim
/// due the day before is overdue and claimed, one due that day is not yet late; a disputed
/// claim never is; a step 5 days before the due date claims those due from 2 to 7 March.
#[test]
fn a_message_window_claims_overdue_undisputed_claims_or_the_pre_due_lead() {
    let today = date(2026, 3, 2);
    let late = Window::message(today, None);
    assert!(late.covers_claim(date(2026, 3, 1), false));
    assert!(!late.covers_claim(date(2026, 3, 2), false));
    assert!(!late.covers_claim(date(2026, 3, 1), true));
    let pre = Window::message(today, Some(5));
    assert!(pre.covers_claim(date(2026, 3, 2), false));
    assert!(pre.covers_claim(date(2026, 3, 7), false));
    assert!(!pre.covers_claim(date(2026, 3, 8), false));
    assert!(!pre.covers_claim(date(2026, 3, 1), false));
    assert!(!pre.covers_claim(date(2026, 3, 4), true));
}
