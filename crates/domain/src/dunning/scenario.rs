//! Scenarios ("plans de relance") and the rules that assign them, as data: built in code
//! with [`Scenario::new`] or read from the TOML format documented in [`crate::dunning`].
//! Everything is checked when it is built, so the decision pass never meets a scenario with
//! steps out of order, two steps with one code, or a step without a channel.

use super::model::{
    Channel, Channels, Conditions, DebtorFacts, RiskBand, ScenarioCode, Stage, StepCode,
};
use crate::money::{Currency, Money, parse_currency};
use crate::party::Segment;
use serde::Deserialize;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

/// Bounds on `offset_days`: a courtesy reminder up to a year before the due date, a step
/// up to ten years after it (the longest limitation periods are five years).
pub const OFFSET_RANGE: std::ops::RangeInclusive<i32> = -365..=3650;

/// One step of a scenario: what to do, by which channels, how many days from the due date
/// of the oldest overdue claim, and under which conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Stable code: an action is created at most once per (case, step code).
    pub code: StepCode,
    /// Days from the due date of the oldest undisputed open claim; negative or zero for a
    /// reminder before (or on) the due date.
    pub offset_days: i32,
    /// The step is for the case only when these hold; steps with the same offset are
    /// alternatives (see the module documentation of [`crate::dunning`]).
    pub conditions: Conditions,
    /// One step may reach the debtor by several channels at once.
    pub channels: Channels,
    /// The name of the text (e-mail, SMS, letter) or task template to render.
    pub template: Arc<str>,
    /// The stage the case moves to (if later than its current stage). Never `Closed`.
    pub stage: Stage,
    /// Late-payment interest and indemnities are claimed from this step on. Once a step
    /// claims them, every later step does too.
    pub claim_penalties: bool,
    /// After a payment, this step may be done again for the claims still open (see
    /// "Payments and resets" in [`crate::dunning`]).
    pub resets_on_payment: bool,
    /// A legal review step may decide by itself (issue 18): the run opens a legal file on
    /// this route when the routes advisor finds it open for the case, and leaves the review
    /// to a person otherwise.
    pub legal_decision: Option<crate::law::judicial::Decision>,
}

impl Step {
    /// Whether the step comes before (or on) the due date and so covers claims that are
    /// about to fall due rather than overdue ones.
    pub const fn is_pre_due(&self) -> bool {
        self.offset_days <= 0
    }

    /// Whether the step sends the formal notice ("mise en demeure").
    pub const fn is_formal_notice(&self) -> bool {
        self.channels.contains(Channel::FormalNotice)
    }

    /// Whether the step is a legal one: a legal channel (formal notice, registered letter,
    /// legal review, agency hand-off), or a step taking the case to the formal notice or
    /// beyond.
    pub fn is_legal(&self) -> bool {
        self.channels.is_legal() || self.stage.rank() >= Stage::FormalNotice.rank()
    }
}

/// Steps sharing one offset: alternatives, of which at most one is ever done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    pub(crate) offset: i32,
    pub(crate) steps: Range<usize>,
}

/// A named sequence of steps ordered by offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    code: ScenarioCode,
    name_fr: String,
    name_en: String,
    steps: Vec<Step>,
    /// Precomputed runs of equal offsets, in order: the decision pass walks these.
    slots: Vec<Slot>,
    /// Index in `slots` of the first slot after the due date (offset > 0).
    first_post_due_slot: usize,
}

impl Scenario {
    /// Checks and builds a scenario. Steps must be listed in the order they happen (offsets
    /// never decrease), codes must be unique, every step needs a channel and a stage other
    /// than `Closed`, and once a step claims penalties every later step must too.
    pub fn new(
        code: ScenarioCode,
        name_fr: impl Into<String>,
        name_en: impl Into<String>,
        steps: Vec<Step>,
    ) -> Result<Self, ScenarioErrorKind> {
        check_steps(&steps).map_err(|(_, kind)| kind)?;
        Ok(Self::from_checked(
            code,
            name_fr.into(),
            name_en.into(),
            steps,
        ))
    }

    fn from_checked(
        code: ScenarioCode,
        name_fr: String,
        name_en: String,
        steps: Vec<Step>,
    ) -> Self {
        let mut slots: Vec<Slot> = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            match slots.last_mut() {
                Some(slot) if slot.offset == step.offset_days => slot.steps.end = i + 1,
                _ => slots.push(Slot {
                    offset: step.offset_days,
                    steps: i..i + 1,
                }),
            }
        }
        let first_post_due_slot = slots.iter().take_while(|s| s.offset <= 0).count();
        Self {
            code,
            name_fr,
            name_en,
            steps,
            slots,
            first_post_due_slot,
        }
    }

    pub fn code(&self) -> &ScenarioCode {
        &self.code
    }

    pub fn name_fr(&self) -> &str {
        &self.name_fr
    }

    pub fn name_en(&self) -> &str {
        &self.name_en
    }

    /// The name in `language` (ISO 639-1): French for `fr`, English otherwise.
    pub fn name(&self, language: &str) -> &str {
        if language.eq_ignore_ascii_case("fr") {
            &self.name_fr
        } else {
            &self.name_en
        }
    }

    /// The steps, ordered by offset.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The step with this code.
    pub fn step(&self, code: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.code == code)
    }

    /// Slots before or on the due date, then slots after it.
    pub(crate) fn split_slots(&self) -> (&[Slot], &[Slot]) {
        self.slots.split_at(self.first_post_due_slot)
    }
}

/// Which scenario a case follows: the first rule whose conditions hold gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRule {
    /// Conditions on the debtor and on the case's open amount (see [`Conditions`]).
    pub when: Conditions,
    pub scenario: ScenarioCode,
}

/// The scenarios in use and the rules that assign them to cases: the whole dunning
/// configuration of a creditor. Lookups are linear: a configuration has a handful of
/// scenarios, and comparing a few short codes is faster than hashing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSet {
    scenarios: Vec<Scenario>,
    rules: Vec<(AssignmentRule, usize)>,
    default: usize,
}

/// The shipped defaults, one file each, embedded in the binary.
pub const DEFAULT_SCENARIO_FILES: [(&str, &str); 3] = [
    (
        "fr_b2b_standard.toml",
        include_str!("../../scenarios/fr_b2b_standard.toml"),
    ),
    (
        "fr_b2c_gentle.toml",
        include_str!("../../scenarios/fr_b2c_gentle.toml"),
    ),
    (
        "key_accounts.toml",
        include_str!("../../scenarios/key_accounts.toml"),
    ),
];

/// The shipped assignment rules.
pub const DEFAULT_ASSIGNMENT_FILE: (&str, &str) = (
    "assignment.toml",
    include_str!("../../scenarios/assignment.toml"),
);

impl ScenarioSet {
    /// Builds a configuration; rule and default codes must name one of the scenarios, and
    /// scenario codes must be unique.
    pub fn new(
        scenarios: Vec<Scenario>,
        rules: Vec<AssignmentRule>,
        default: &ScenarioCode,
    ) -> Result<Self, ScenarioErrorKind> {
        check_unique_scenarios(&scenarios)?;
        let find = |code: &ScenarioCode| {
            scenarios
                .iter()
                .position(|s| &s.code == code)
                .ok_or_else(|| ScenarioErrorKind::UnknownScenario {
                    code: code.to_string(),
                })
        };
        let default = find(default)?;
        let rules = rules
            .into_iter()
            .map(|r| find(&r.scenario).map(|i| (r, i)))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            scenarios,
            rules,
            default,
        })
    }

    /// Reads a configuration from TOML texts: one per scenario and one for the assignment
    /// rules, each with the name to quote in errors (usually its file name).
    pub fn from_toml(
        scenarios: &[(&str, &str)],
        assignment: (&str, &str),
    ) -> Result<Self, ScenarioError> {
        let parsed = scenarios
            .iter()
            .map(|(origin, text)| parse_scenario(origin, text))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, s) in parsed.iter().enumerate() {
            if parsed[..i].iter().any(|p| p.code == s.code) {
                return Err(ScenarioError {
                    origin: scenarios[i].0.to_string(),
                    line: None,
                    kind: ScenarioErrorKind::DuplicateScenario {
                        code: s.code.to_string(),
                    },
                });
            }
        }
        let (origin, text) = assignment;
        let raw: RawAssignment = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
        let at = |span: Range<usize>, kind| ScenarioError {
            origin: origin.to_string(),
            line: Some(line_of(text, span.start)),
            kind,
        };
        let find = |code: &Spanned<String>| {
            parsed
                .iter()
                .position(|s| s.code == code.get_ref().as_str())
                .ok_or_else(|| {
                    at(
                        code.span(),
                        ScenarioErrorKind::UnknownScenario {
                            code: code.get_ref().clone(),
                        },
                    )
                })
        };
        let default = find(&raw.default)?;
        let mut rules = Vec::with_capacity(raw.rules.len());
        for rule in raw.rules {
            let index = find(&rule.scenario)?;
            let when = match rule.when {
                Some(w) => conditions(w).map_err(|(span, kind)| at(span, kind))?,
                None => Conditions::default(),
            };
            let scenario = parsed[index].code.clone();
            rules.push((AssignmentRule { when, scenario }, index));
        }
        Ok(Self {
            scenarios: parsed,
            rules,
            default,
        })
    }

    /// The three shipped scenarios (French B2B standard, French B2C gentle, key accounts)
    /// and their assignment rules. Tests make sure they parse.
    pub fn defaults() -> Result<Self, ScenarioError> {
        Self::from_toml(&DEFAULT_SCENARIO_FILES, DEFAULT_ASSIGNMENT_FILE)
    }

    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    /// The scenario with this code.
    pub fn get(&self, code: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.code == code)
    }

    pub(crate) fn index_of(&self, code: &str) -> Option<usize> {
        self.scenarios.iter().position(|s| s.code == code)
    }

    pub(crate) fn by_index(&self, index: usize) -> Option<&Scenario> {
        self.scenarios.get(index)
    }

    /// The rules, in the order they are tried.
    pub fn rules(&self) -> impl Iterator<Item = &AssignmentRule> {
        self.rules.iter().map(|(r, _)| r)
    }

    /// The scenario of cases no rule matches.
    pub fn default_scenario(&self) -> &Scenario {
        // `default` was checked against `scenarios` when the set was built.
        &self.scenarios[self.default]
    }

    /// The scenario a case follows: the first rule whose conditions hold, else the default.
    /// `open_in` gives the case's open amount in a currency (minor units).
    pub fn assign(
        &self,
        debtor: &DebtorFacts<'_>,
        stage: Stage,
        open_in: impl Fn(Currency) -> i64,
    ) -> &Scenario {
        &self.scenarios[self.assign_index(debtor, stage, open_in)]
    }

    pub(crate) fn assign_index(
        &self,
        debtor: &DebtorFacts<'_>,
        stage: Stage,
        open_in: impl Fn(Currency) -> i64,
    ) -> usize {
        self.rules
            .iter()
            .find(|(rule, _)| rule.when.holds(debtor, stage, &open_in))
            .map_or(self.default, |(_, index)| *index)
    }
}

/// A configuration that could not be read: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (or other source) the text came from.
    pub origin: String,
    /// 1-based line of the offending value, when known.
    pub line: Option<usize>,
    pub kind: ScenarioErrorKind,
}

impl fmt::Display for ScenarioError {
    /// `fr_b2b_standard.toml:12: unknown channel "fax" in step "d+1_email" (...)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.origin, line, self.kind),
            None => write!(f, "{}: {}", self.origin, self.kind),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// What is wrong with a scenario or an assignment rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioErrorKind {
    /// Not TOML, a missing or misspelt field, a value of the wrong type.
    #[error("{0}")]
    Toml(String),
    #[error("unknown channel {value:?} in step {step:?} (expected one of: {expected})")]
    UnknownChannel {
        step: String,
        value: String,
        expected: String,
    },
    /// A value that does not parse (stage, segment, risk band, amount, code).
    #[error("{field}: {message}")]
    BadValue {
        field: &'static str,
        message: String,
    },
    #[error(
        "step {step:?} has offset_days = {offset}, earlier than the step before it \
         ({previous_step:?}, {previous_offset}): list steps in the order they happen \
         (steps with equal offsets are alternatives)"
    )]
    OffsetsDecrease {
        step: String,
        offset: i32,
        previous_step: String,
        previous_offset: i32,
    },
    #[error("step {step:?}: offset_days = {offset} is outside -365..=3650")]
    OffsetOutOfRange { step: String, offset: i32 },
    #[error("two steps have the code {code:?}: step codes must be unique in a scenario")]
    DuplicateStepCode { code: String },
    #[error("a scenario needs at least one step")]
    NoSteps,
    #[error("step {step:?} has no channel")]
    NoChannels { step: String },
    #[error("step {step:?} lists the channel {channel} twice")]
    DuplicateChannel { step: String, channel: Channel },
    #[error(
        "step {step:?} moves the case to a closed stage: a case closes when it is paid or \
         by a person's decision, never by a reminder step"
    )]
    ClosingStep { step: String },
    #[error(
        "step {step:?} sets claim_penalties = false, but step {since:?} before it already \
         claims them: penalties claimed once are claimed from then on"
    )]
    PenaltiesWithdrawn { step: String, since: String },
    #[error("{context}: min_amount and max_amount must be in the same currency")]
    AmountCurrencies { context: String },
    #[error("{context}: min_amount is above max_amount, so the condition never holds")]
    EmptyAmountRange { context: String },
    #[error("two scenarios have the code {code:?}")]
    DuplicateScenario { code: String },
    #[error("no scenario has the code {code:?}")]
    UnknownScenario { code: String },
}

fn check_unique_scenarios(scenarios: &[Scenario]) -> Result<(), ScenarioErrorKind> {
    for (i, s) in scenarios.iter().enumerate() {
        if scenarios[..i].iter().any(|p| p.code == s.code) {
            return Err(ScenarioErrorKind::DuplicateScenario {
                code: s.code.to_string(),
            });
        }
    }
    Ok(())
}

/// The checks of [`Scenario::new`]; on failure, the index of the offending step.
fn check_steps(steps: &[Step]) -> Result<(), (Option<usize>, ScenarioErrorKind)> {
    if steps.is_empty() {
        return Err((None, ScenarioErrorKind::NoSteps));
    }
    let mut penalties_since: Option<&Step> = None;
    for (i, step) in steps.iter().enumerate() {
        let fail = |kind| Err((Some(i), kind));
        let name = || step.code.to_string();
        if !OFFSET_RANGE.contains(&step.offset_days) {
            return fail(ScenarioErrorKind::OffsetOutOfRange {
                step: name(),
                offset: step.offset_days,
            });
        }
        if let Some(previous) = i.checked_sub(1).map(|p| &steps[p])
            && previous.offset_days > step.offset_days
        {
            return fail(ScenarioErrorKind::OffsetsDecrease {
                step: name(),
                offset: step.offset_days,
                previous_step: previous.code.to_string(),
                previous_offset: previous.offset_days,
            });
        }
        if steps[..i].iter().any(|s| s.code == step.code) {
            return fail(ScenarioErrorKind::DuplicateStepCode { code: name() });
        }
        if step.channels.is_empty() {
            return fail(ScenarioErrorKind::NoChannels { step: name() });
        }
        if step.stage.is_closed() {
            return fail(ScenarioErrorKind::ClosingStep { step: name() });
        }
        match (penalties_since, step.claim_penalties) {
            (Some(since), false) => {
                return fail(ScenarioErrorKind::PenaltiesWithdrawn {
                    step: name(),
                    since: since.code.to_string(),
                });
            }
            (None, true) => penalties_since = Some(step),
            _ => {}
        }
        check_amounts(&step.conditions, || {
            format!("step {:?}", step.code.as_str())
        })
        .map_err(|kind| (Some(i), kind))?;
    }
    Ok(())
}

fn check_amounts(c: &Conditions, context: impl Fn() -> String) -> Result<(), ScenarioErrorKind> {
    if let (Some(min), Some(max)) = (c.min_amount, c.max_amount) {
        if min.currency() != max.currency() {
            return Err(ScenarioErrorKind::AmountCurrencies { context: context() });
        }
        if min.minor() > max.minor() {
            return Err(ScenarioErrorKind::EmptyAmountRange { context: context() });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// TOML reading. The raw shapes mirror the file; spans let errors name the line.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    code: Spanned<String>,
    name_fr: String,
    name_en: String,
    #[serde(default, rename = "step")]
    steps: Vec<Spanned<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    code: Spanned<String>,
    offset_days: Spanned<i32>,
    channels: Vec<Spanned<String>>,
    template: String,
    stage: Spanned<String>,
    claim_penalties: Option<Spanned<bool>>,
    #[serde(default)]
    resets_on_payment: bool,
    legal_decision: Option<Spanned<String>>,
    when: Option<RawConditions>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConditions {
    min_amount: Option<Spanned<RawAmount>>,
    max_amount: Option<Spanned<RawAmount>>,
    segment: Option<Spanned<String>>,
    #[serde(default)]
    countries: Vec<String>,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    tags_any: Vec<String>,
    #[serde(default)]
    risk_bands: Vec<Spanned<String>>,
    #[serde(default)]
    stages: Vec<Spanned<String>>,
}

/// `"500 EUR"`, `"1 234,56 EUR"`, `"EUR 500"` or `{ minor = 50000, currency = "EUR" }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawAmount {
    Text(String),
    Minor { minor: i64, currency: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssignment {
    default: Spanned<String>,
    #[serde(default, rename = "rule")]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    scenario: Spanned<String>,
    when: Option<RawConditions>,
}

type Located = (Range<usize>, ScenarioErrorKind);

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn toml_error(origin: &str, text: &str, e: &toml::de::Error) -> ScenarioError {
    ScenarioError {
        origin: origin.to_string(),
        line: e.span().map(|s| line_of(text, s.start)),
        kind: ScenarioErrorKind::Toml(e.message().trim().to_string()),
    }
}

fn bad(field: &'static str, span: Range<usize>, message: String) -> Located {
    (span, ScenarioErrorKind::BadValue { field, message })
}

fn parse_spanned<T: std::str::FromStr<Err = String>>(
    field: &'static str,
    value: &Spanned<String>,
) -> Result<T, Located> {
    value
        .get_ref()
        .parse()
        .map_err(|m| bad(field, value.span(), m))
}

fn amount(field: &'static str, value: &Spanned<RawAmount>) -> Result<Money, Located> {
    let fail = |m: String| bad(field, value.span(), m);
    match value.get_ref() {
        RawAmount::Minor { minor, currency } => parse_currency(currency)
            .map(|c| Money::from_minor(*minor, c))
            .map_err(|e| fail(e.to_string())),
        RawAmount::Text(text) => {
            let trimmed = text.trim();
            let is_code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic());
            let (number, code) = match (
                trimmed.get(..3),
                trimmed.get(trimmed.len().saturating_sub(3)..),
            ) {
                (_, Some(code)) if is_code(code) => (&trimmed[..trimmed.len() - 3], code),
                (Some(code), _) if is_code(code) => (&trimmed[3..], code),
                _ => {
                    return Err(fail(format!(
                        "{text:?} has no currency: write it as \"500.00 EUR\""
                    )));
                }
            };
            let currency = parse_currency(code).map_err(|e| fail(e.to_string()))?;
            Money::parse(number, currency).map_err(|e| fail(e.to_string()))
        }
    }
}

fn conditions(raw: RawConditions) -> Result<Conditions, Located> {
    let min_amount = raw
        .min_amount
        .as_ref()
        .map(|a| amount("min_amount", a))
        .transpose()?;
    let max_amount = raw
        .max_amount
        .as_ref()
        .map(|a| amount("max_amount", a))
        .transpose()?;
    let segment = raw
        .segment
        .as_ref()
        .map(|s| parse_spanned::<Segment>("segment", s))
        .transpose()?;
    let risk_bands = raw
        .risk_bands
        .iter()
        .map(|b| parse_spanned::<RiskBand>("risk_bands", b))
        .collect::<Result<_, _>>()?;
    let stages = raw
        .stages
        .iter()
        .map(|s| parse_spanned::<Stage>("stages", s))
        .collect::<Result<_, _>>()?;
    let c = Conditions {
        min_amount,
        max_amount,
        segment,
        countries: raw.countries,
        languages: raw.languages,
        tags_any: raw.tags_any,
        risk_bands,
        stages,
    };
    let span = raw.min_amount.map(|a| a.span()).unwrap_or(0..0);
    check_amounts(&c, || "when".to_string()).map_err(|kind| (span, kind))?;
    Ok(c)
}

/// Builds one step; `penalties_since` is the first earlier step claiming penalties, which
/// an absent `claim_penalties` inherits from and an explicit `false` contradicts.
fn step(raw: RawStep, penalties_since: Option<&str>) -> Result<Step, Located> {
    let code = StepCode::parse(raw.code.get_ref()).map_err(|m| bad("code", raw.code.span(), m))?;
    let mut channels = Channels::empty();
    for c in &raw.channels {
        let channel: Channel = c.get_ref().parse().map_err(|_| {
            (
                c.span(),
                ScenarioErrorKind::UnknownChannel {
                    step: code.to_string(),
                    value: c.get_ref().clone(),
                    expected: Channel::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            )
        })?;
        if channels.contains(channel) {
            return Err((
                c.span(),
                ScenarioErrorKind::DuplicateChannel {
                    step: code.to_string(),
                    channel,
                },
            ));
        }
        channels = channels.with(channel);
    }
    let stage = parse_spanned::<Stage>("stage", &raw.stage)?;
    let claim_penalties = match (raw.claim_penalties, penalties_since) {
        (Some(flag), Some(since)) if !*flag.get_ref() => {
            return Err((
                flag.span(),
                ScenarioErrorKind::PenaltiesWithdrawn {
                    step: code.to_string(),
                    since: since.to_string(),
                },
            ));
        }
        (Some(flag), _) => *flag.get_ref() || penalties_since.is_some(),
        (None, since) => since.is_some(),
    };
    let legal_decision = match &raw.legal_decision {
        None => None,
        Some(value) => {
            let decision =
                parse_spanned::<crate::law::judicial::Decision>("legal_decision", value)?;
            if decision.route().is_none() {
                return Err(bad(
                    "legal_decision",
                    value.span(),
                    crate::lang::tr(
                        "a scenario may only open a route (injonction_de_payer, petites_creances, refere_provision, eu_order, eu_small_claims); not to litigate is a person's decision",
                        "un scénario ne peut ouvrir qu'une voie (injonction_de_payer, petites_creances, refere_provision, eu_order, eu_small_claims) ; ne pas agir est la décision d'une personne",
                    ),
                ));
            }
            if !channels.contains(Channel::LegalReviewTask) {
                return Err(bad(
                    "legal_decision",
                    value.span(),
                    crate::lang::tr(
                        &format!("step {code:?} needs the legal_review_task channel to decide"),
                        &format!(
                            "l'étape {code:?} doit avoir le canal legal_review_task pour décider"
                        ),
                    ),
                ));
            }
            Some(decision)
        }
    };
    Ok(Step {
        code,
        offset_days: *raw.offset_days.get_ref(),
        conditions: raw.when.map(conditions).transpose()?.unwrap_or_default(),
        channels,
        template: Arc::from(raw.template.as_str()),
        stage,
        claim_penalties,
        resets_on_payment: raw.resets_on_payment,
        legal_decision,
    })
}

/// Reads one scenario from its TOML text; `origin` names it in errors.
pub fn parse_scenario(origin: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let raw: RawScenario = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
    let at = |span: Range<usize>, kind| ScenarioError {
        origin: origin.to_string(),
        line: Some(line_of(text, span.start)),
        kind,
    };
    let code = ScenarioCode::parse(raw.code.get_ref()).map_err(|m| {
        at(
            raw.code.span(),
            ScenarioErrorKind::BadValue {
                field: "code",
                message: m,
            },
        )
    })?;
    let mut steps = Vec::with_capacity(raw.steps.len());
    let mut spans = Vec::with_capacity(raw.steps.len());
    let mut penalties_since: Option<StepCode> = None;
    for raw_step in raw.steps {
        let span = raw_step.span();
        let since = penalties_since.as_ref().map(StepCode::as_str);
        let step = step(raw_step.into_inner(), since).map_err(|(s, k)| at(s, k))?;
        if step.claim_penalties && penalties_since.is_none() {
            penalties_since = Some(step.code.clone());
        }
        steps.push(step);
        spans.push(span);
    }
    if let Err((index, kind)) = check_steps(&steps) {
        let span = index.and_then(|i| spans.get(i).cloned()).unwrap_or(0..0);
        return Err(at(span, kind));
    }
    Ok(Scenario::from_checked(
        code,
        raw.name_fr,
        raw.name_en,
        steps,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::EUR;

    // Line 1 is empty, `[[step]]` is line 6, `channels` line 9, `stage` line 11; the text
    // ends with a newline after line 11.
    const MINIMAL: &str = r#"
code = "mini"
name_fr = "Mini"
name_en = "Mini"

[[step]]
code = "d+1_email"
offset_days = 1
channels = ["email"]
template = "reminder_1"
stage = "amicable"
"#;

    fn err(text: &str) -> ScenarioError {
        parse_scenario("test.toml", text).unwrap_err()
    }

    #[test]
    fn the_shipped_defaults_parse() {
        let set = ScenarioSet::defaults().unwrap();
        let codes: Vec<&str> = set.scenarios().iter().map(|s| s.code().as_str()).collect();
        assert_eq!(codes, ["fr_b2b_standard", "fr_b2c_gentle", "key_accounts"]);
        assert_eq!(set.default_scenario().code().as_str(), "fr_b2b_standard");

        let b2b = set.get("fr_b2b_standard").unwrap();
        let plan: Vec<(&str, i32)> = b2b
            .steps()
            .iter()
            .map(|s| (s.code.as_str(), s.offset_days))
            .collect();
        assert_eq!(
            plan,
            [
                ("d-5_email", -5),
                ("d+1_email", 1),
                ("d+8_call", 8),
                ("d+15_email_statement", 15),
                ("d+30_formal_notice", 30),
                ("d+45_legal_review", 45),
                ("d+45_agency_handoff", 45),
            ]
        );
        let notice = b2b.step("d+30_formal_notice").unwrap();
        assert!(notice.claim_penalties);
        assert_eq!(notice.stage, Stage::FormalNotice);
        assert!(notice.channels.contains(Channel::FormalNotice));
        // Penalties are inherited by the steps after the notice, not before it.
        assert!(b2b.step("d+45_agency_handoff").unwrap().claim_penalties);
        assert!(!b2b.step("d+15_email_statement").unwrap().claim_penalties);
        let legal = b2b.step("d+45_legal_review").unwrap();
        assert_eq!(
            legal.conditions.min_amount,
            Some(Money::from_minor(500_00, EUR))
        );
        assert_eq!(legal.stage, Stage::PreLitigation);
        let agency = b2b.step("d+45_agency_handoff").unwrap();
        assert_eq!(
            agency.conditions.max_amount,
            Some(Money::from_minor(499_99, EUR))
        );

        let b2c = set.get("fr_b2c_gentle").unwrap();
        assert!(b2c.steps().iter().all(|s| !s.claim_penalties));
        let key = set.get("key_accounts").unwrap();
        let first_after_due = key.steps().iter().find(|s| s.offset_days > 0).unwrap();
        assert_eq!(
            first_after_due.channels,
            Channels::empty().with(Channel::PhoneTask)
        );
    }

    #[test]
    fn assignment_rules_first_match_wins() {
        let set = ScenarioSet::defaults().unwrap();
        let none: Vec<String> = vec![];
        let key = vec!["grand_compte".to_string()];
        let facts = |segment, tags| DebtorFacts {
            segment,
            country: "FR",
            language: "fr",
            tags,
            risk_band: None,
        };
        let assign = |f: DebtorFacts<'_>, open: i64| {
            set.assign(&f, Stage::PreDue, |_| open).code().to_string()
        };
        assert_eq!(
            assign(facts(Segment::B2b, &none), 1_000_00),
            "fr_b2b_standard"
        );
        assert_eq!(
            assign(facts(Segment::B2c, &none), 1_000_00),
            "fr_b2c_gentle"
        );
        // The key-account tag comes first, even for a consumer.
        assert_eq!(assign(facts(Segment::B2c, &key), 10_00), "key_accounts");
        // A B2B exposure of €100,000 or more is a key account too.
        assert_eq!(
            assign(facts(Segment::B2b, &none), 100_000_00),
            "key_accounts"
        );
        assert_eq!(
            assign(facts(Segment::B2b, &none), 99_999_99),
            "fr_b2b_standard"
        );
    }

    #[test]
    fn minimal_scenario_and_amount_forms() {
        let s = parse_scenario("t", MINIMAL).unwrap();
        assert_eq!(s.steps().len(), 1);
        assert!(!s.steps()[0].resets_on_payment);
        for (text, minor) in [
            (r#""500 EUR""#, 500_00),
            (r#""1 234,56 EUR""#, 1_234_56),
            (r#""EUR 12.5""#, 12_50),
            (r#"{ minor = 700, currency = "EUR" }"#, 7_00),
        ] {
            let doc = format!("{MINIMAL}when = {{ min_amount = {text} }}\n");
            let s = parse_scenario("t", &doc).unwrap();
            assert_eq!(
                s.steps()[0].conditions.min_amount,
                Some(Money::from_minor(minor, EUR)),
                "{text}"
            );
        }
    }

    #[test]
    fn unknown_channel_is_named_with_its_line() {
        let doc = MINIMAL.replace(r#"["email"]"#, r#"["email", "fax"]"#);
        let e = err(&doc);
        assert_eq!(e.line, Some(9));
        assert!(
            matches!(&e.kind, ScenarioErrorKind::UnknownChannel { value, step, .. }
            if value == "fax" && step == "d+1_email")
        );
        let text = e.to_string();
        assert!(
            text.starts_with("test.toml:9: unknown channel \"fax\""),
            "{text}"
        );
        assert!(text.contains("registered_letter"), "{text}");
    }

    #[test]
    fn offsets_must_not_decrease() {
        let doc = format!(
            "{MINIMAL}\n[[step]]\ncode = \"d-5_email\"\noffset_days = -5\nchannels = [\"email\"]\n\
             template = \"t\"\nstage = \"pre_due\"\n"
        );
        let e = err(&doc);
        // MINIMAL's 11 lines, a blank line 12, the second [[step]] header on line 13.
        assert_eq!(e.line, Some(13));
        assert_eq!(
            e.kind,
            ScenarioErrorKind::OffsetsDecrease {
                step: "d-5_email".into(),
                offset: -5,
                previous_step: "d+1_email".into(),
                previous_offset: 1,
            }
        );
    }

    #[test]
    fn duplicate_step_codes_are_refused() {
        let doc = format!("{MINIMAL}{}", &MINIMAL[MINIMAL.find("[[step]]").unwrap()..]);
        let e = err(&doc);
        assert_eq!(
            e.kind,
            ScenarioErrorKind::DuplicateStepCode {
                code: "d+1_email".into()
            }
        );
        // The second [[step]] follows MINIMAL's line 11 directly: line 12.
        assert_eq!(e.line, Some(12));
    }

    #[test]
    fn other_mistakes_are_explained() {
        // A misspelt field.
        let e = err(&MINIMAL.replace("offset_days", "offset"));
        assert!(
            matches!(&e.kind, ScenarioErrorKind::Toml(m) if m.contains("offset")),
            "{e}"
        );
        // A stage that does not exist.
        let e = err(&MINIMAL.replace("\"amicable\"", "\"angry\""));
        assert!(
            matches!(e.kind, ScenarioErrorKind::BadValue { field: "stage", .. }),
            "{e}"
        );
        assert_eq!(e.line, Some(11));
        // A step that would close the case.
        let e = err(&MINIMAL.replace("\"amicable\"", "\"closed:paid\""));
        assert!(
            matches!(e.kind, ScenarioErrorKind::ClosingStep { .. }),
            "{e}"
        );
        // No channel, a channel twice.
        let e = err(&MINIMAL.replace(r#"["email"]"#, "[]"));
        assert!(
            matches!(e.kind, ScenarioErrorKind::NoChannels { .. }),
            "{e}"
        );
        let e = err(&MINIMAL.replace(r#"["email"]"#, r#"["email", "e-mail"]"#));
        assert!(
            matches!(e.kind, ScenarioErrorKind::DuplicateChannel { .. }),
            "{e}"
        );
        // An amount without a currency, a range that is empty.
        let e = err(&format!("{MINIMAL}when = {{ min_amount = \"500\" }}\n"));
        assert!(
            matches!(
                e.kind,
                ScenarioErrorKind::BadValue {
                    field: "min_amount",
                    ..
                }
            ),
            "{e}"
        );
        let e = err(&format!(
            "{MINIMAL}when = {{ min_amount = \"500 EUR\", max_amount = \"100 EUR\" }}\n"
        ));
        assert!(
            matches!(e.kind, ScenarioErrorKind::EmptyAmountRange { .. }),
            "{e}"
        );
        // No steps at all.
        let e = err("code = \"x\"\nname_fr = \"x\"\nname_en = \"x\"\n");
        assert_eq!(e.kind, ScenarioErrorKind::NoSteps);
        // Not TOML.
        let e = err("code = ");
        assert!(matches!(e.kind, ScenarioErrorKind::Toml(_)));
    }

    #[test]
    fn penalties_cannot_be_withdrawn() {
        let first = MINIMAL.replace(
            "stage = \"amicable\"",
            "stage = \"formal_notice\"\nclaim_penalties = true",
        );
        let doc = format!(
            "{first}\n[[step]]\ncode = \"d+9\"\noffset_days = 9\nchannels = [\"email\"]\n\
             template = \"t\"\nstage = \"formal_notice\"\nclaim_penalties = false\n"
        );
        let e = err(&doc);
        assert_eq!(
            e.kind,
            ScenarioErrorKind::PenaltiesWithdrawn {
                step: "d+9".into(),
                since: "d+1_email".into()
            }
        );
        // 12 lines (the stage line became two), blank 13, [[step]] 14, … the
        // `claim_penalties = false` of the second step on line 20.
        assert_eq!(e.line, Some(20));
    }

    #[test]
    fn assignment_errors() {
        let scen = [("mini.toml", MINIMAL)];
        let e = ScenarioSet::from_toml(&scen, ("a.toml", "default = \"nope\"\n")).unwrap_err();
        assert_eq!(e.to_string(), "a.toml:1: no scenario has the code \"nope\"");
        let rules = "default = \"mini\"\n\n[[rule]]\nscenario = \"other\"\n";
        let e = ScenarioSet::from_toml(&scen, ("a.toml", rules)).unwrap_err();
        assert_eq!(e.line, Some(4));
        let e = ScenarioSet::from_toml(
            &[("a", MINIMAL), ("b", MINIMAL)],
            ("r", "default = \"mini\""),
        )
        .unwrap_err();
        assert_eq!(e.origin, "b");
        assert!(matches!(
            e.kind,
            ScenarioErrorKind::DuplicateScenario { .. }
        ));
    }
}
