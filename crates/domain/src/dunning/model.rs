//! The nouns of dunning: channels, stages, risk bands, codes and the conditions a step or an
//! assignment rule puts on a case.

use crate::money::{Currency, Money};
use crate::party::{Segment, text_enum};
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// A collection case ("dossier"): one debtor of one creditor. Because a `DebtorId` already
/// belongs to one creditor, the store may use the debtor's id as the case's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CaseId(pub i64);

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Shared, not copied: cloning one into every decision costs a reference count.
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// A code: 1 to 64 characters among ASCII letters, digits and `_ - + .`, so it
            /// reads the same in a file, a URL and a database key.
            pub fn parse(text: &str) -> Result<Self, String> {
                let ok = !text.is_empty()
                    && text.len() <= 64
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'.'));
                if ok {
                    Ok(Self(Arc::from(text)))
                } else {
                    Err(format!(
                        "{text:?} is not a code (1 to 64 ASCII letters, digits, _ - + .)"
                    ))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", &*self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }
    };
}

code_type!(
    /// The stable code of a scenario (`fr_b2b_standard`), kept on each case.
    ScenarioCode
);
code_type!(
    /// The stable code of a step (`d+1_email`). An action is created at most once per
    /// (case, step code): never rename a step that has been used.
    StepCode
);

/// How a step reaches the debtor, or which task it creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    /// A plain letter by post.
    Letter,
    /// A registered letter with acknowledgment of receipt ("lettre recommandée avec accusé
    /// de réception", LRAR): the proof a court will ask for.
    RegisteredLetter,
    /// A task in a collector's worklist: call the debtor.
    PhoneTask,
    /// The formal notice ("mise en demeure", C. civ. 1344): the letter with the legally
    /// expected content (domain-rules §6), sent by registered letter with acknowledgment of
    /// receipt.
    FormalNotice,
    /// Hand the case to a collection agency (amicable collection under mandate, CPCE
    /// R124-1 ff.). Internal: the agency contacts the debtor, not this step.
    AgencyHandoff,
    /// A task for a person: review the file for legal action (injonction de payer,
    /// small-claims procedure, write-off). Internal.
    LegalReviewTask,
}

text_enum!(Channel {
    Email => "email" | "e-mail" | "courriel",
    Sms => "sms",
    Letter => "letter" | "courrier",
    RegisteredLetter => "registered_letter" | "lrar" | "recommande" | "recommandé",
    PhoneTask => "phone_task" | "phone" | "call" | "appel",
    FormalNotice => "formal_notice" | "mise_en_demeure",
    AgencyHandoff => "agency_handoff" | "agency",
    LegalReviewTask => "legal_review_task" | "legal_review",
});

impl Channel {
    /// Whether the channel puts a message or a call in front of the debtor, and so counts
    /// against the contact cap and the cool-down. Agency hand-offs and legal reviews are
    /// internal.
    pub const fn reaches_debtor(self) -> bool {
        !matches!(self, Channel::AgencyHandoff | Channel::LegalReviewTask)
    }

    /// Whether the channel interrupts the debtor at a moment of our choosing (an SMS, a
    /// call): kept off quiet days (Sundays and public holidays by default).
    pub const fn is_intrusive(self) -> bool {
        matches!(self, Channel::Sms | Channel::PhoneTask)
    }

    /// Whether the channel is a legal step, one a person would not want taken while a
    /// payment that may settle the claims waits to be recognised: the formal notice, a
    /// registered letter (the proof a court asks for), a legal review, an agency hand-off.
    pub const fn is_legal(self) -> bool {
        matches!(
            self,
            Channel::FormalNotice
                | Channel::RegisteredLetter
                | Channel::LegalReviewTask
                | Channel::AgencyHandoff
        )
    }

    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// The channels of one step: a small set, copied by value (no allocation per action).
/// Iterates in the order of [`Channel::ALL`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Channels(u16);

impl Channels {
    pub const fn empty() -> Self {
        Self(0)
    }

    /// The set with `channel` added.
    #[must_use]
    pub const fn with(self, channel: Channel) -> Self {
        Self(self.0 | channel.bit())
    }

    pub const fn contains(self, channel: Channel) -> bool {
        self.0 & channel.bit() != 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub const fn len(self) -> u32 {
        self.0.count_ones()
    }

    pub fn iter(self) -> impl Iterator<Item = Channel> {
        Channel::ALL
            .iter()
            .copied()
            .filter(move |c| self.contains(*c))
    }

    /// Whether any channel reaches the debtor (see [`Channel::reaches_debtor`]).
    pub fn reaches_debtor(self) -> bool {
        self.iter().any(Channel::reaches_debtor)
    }

    /// Whether any channel is a legal step (see [`Channel::is_legal`]).
    pub fn is_legal(self) -> bool {
        self.iter().any(Channel::is_legal)
    }

    /// Whether any channel is an SMS or a call (see [`Channel::is_intrusive`]).
    pub fn is_intrusive(self) -> bool {
        self.iter().any(Channel::is_intrusive)
    }
}

impl FromIterator<Channel> for Channels {
    fn from_iter<I: IntoIterator<Item = Channel>>(iter: I) -> Self {
        iter.into_iter().fold(Self::empty(), Self::with)
    }
}

impl fmt::Debug for Channels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for Channels {
    /// `email+phone_task`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            f.write_str(c.as_str())?;
        }
        Ok(())
    }
}

impl Serialize for Channels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Why a case was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// Nothing left to pay: the only closure the engine decides on its own.
    Paid,
    /// A settlement ("transaction", C. civ. 2044) ended the dispute over what is owed.
    Settled,
    /// The creditor gave up the rest ("passage en perte").
    WrittenOff,
    /// Time-barred (prescription / forclusion).
    Prescribed,
    /// Sold or handed over for good (factor, debt purchaser).
    Transferred,
}

text_enum!(CloseReason {
    Paid => "paid" | "paye" | "payé",
    Settled => "settled" | "transige" | "transigé",
    WrittenOff => "written_off" | "perte",
    Prescribed => "prescribed" | "prescrit",
    Transferred => "transferred" | "cede" | "cédé",
});

/// Where a case stands in the collection lifecycle (DESIGN.md, "The collection lifecycle").
///
/// Stages are ordered as listed. The engine only moves a case forwards: a step's stage is
/// applied only when it is later than the case's. The one way back is closure and
/// reopening: a closed case that owes something again reopens at `Amicable` (something is
/// overdue) or `PreDue` (nothing is overdue yet).
///
/// Text form (`Display`, `FromStr`, serde): `pre_due`, `amicable`, `formal_notice`,
/// `pre_litigation`, `litigation`, `closed:paid`, `closed:settled`, `closed:written_off`,
/// `closed:prescribed`, `closed:transferred`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Nothing overdue yet: courtesy reminders before the due date.
    PreDue,
    /// Reminders by e-mail, phone, SMS, letter ("recouvrement amiable").
    Amicable,
    /// The formal notice has been sent ("mise en demeure").
    FormalNotice,
    /// A person decides on legal action or an agency hand-off.
    PreLitigation,
    /// In the hands of a lawyer or a commissaire de justice: the engine sends nothing.
    Litigation,
    Closed(CloseReason),
}

impl Stage {
    /// The open stages, in order.
    pub const OPEN: [Stage; 5] = [
        Stage::PreDue,
        Stage::Amicable,
        Stage::FormalNotice,
        Stage::PreLitigation,
        Stage::Litigation,
    ];

    /// Position in the lifecycle: 0 for `PreDue` up to 5 for any `Closed`.
    pub const fn rank(self) -> u8 {
        match self {
            Stage::PreDue => 0,
            Stage::Amicable => 1,
            Stage::FormalNotice => 2,
            Stage::PreLitigation => 3,
            Stage::Litigation => 4,
            Stage::Closed(_) => 5,
        }
    }

    pub const fn is_closed(self) -> bool {
        matches!(self, Stage::Closed(_))
    }

    /// The later of two stages: how a step moves a case (never backwards).
    #[must_use]
    pub const fn advanced_to(self, other: Stage) -> Stage {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    fn open_name(self) -> &'static str {
        match self {
            Stage::PreDue => "pre_due",
            Stage::Amicable => "amicable",
            Stage::FormalNotice => "formal_notice",
            Stage::PreLitigation => "pre_litigation",
            Stage::Litigation => "litigation",
            Stage::Closed(_) => "closed",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Closed(reason) => write!(f, "closed:{reason}"),
            open => f.write_str(open.open_name()),
        }
    }
}

impl Serialize for Stage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for Stage {
    type Err = String;

    /// Accepts the text forms of the `Display` impl and the French names
    /// (`mise_en_demeure`, `precontentieux`, `contentieux`, `amiable`); `closed` alone means
    /// `closed:paid`.
    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.trim().to_ascii_lowercase();
        let stage = match lower.as_str() {
            "pre_due" | "pre-due" | "predue" | "preventif" | "préventif" => Stage::PreDue,
            "amicable" | "amiable" => Stage::Amicable,
            "formal_notice" | "mise_en_demeure" => Stage::FormalNotice,
            "pre_litigation" | "precontentieux" | "précontentieux" => Stage::PreLitigation,
            "litigation" | "contentieux" => Stage::Litigation,
            "closed" => Stage::Closed(CloseReason::Paid),
            other => match other.strip_prefix("closed:") {
                Some(reason) => Stage::Closed(reason.parse()?),
                None => {
                    return Err(format!(
                        "{s:?} is not one of: pre_due, amicable, formal_notice, \
                         pre_litigation, litigation, closed:<reason>"
                    ));
                }
            },
        };
        Ok(stage)
    }
}

/// The credit manager's judgement of a debtor's risk (from a score, a credit insurer's
/// grade or experience): scenarios and rules may depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskBand {
    Low,
    Medium,
    High,
}

text_enum!(RiskBand {
    Low => "low" | "faible",
    Medium => "medium" | "moyen",
    High => "high" | "eleve" | "élevé",
});

/// What a condition needs to know about a debtor. Borrowed from the caller's data: building
/// one allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebtorFacts<'a> {
    pub segment: Segment,
    /// ISO 3166-1 alpha-2 (`FR`).
    pub country: &'a str,
    /// ISO 639-1 (`fr`).
    pub language: &'a str,
    pub tags: &'a [String],
    pub risk_band: Option<RiskBand>,
}

/// Conditions on a case, all of which must hold; an empty list or an absent value does not
/// constrain. Used by steps (is this step for this case?) and by assignment rules (which
/// scenario does this case follow?).
///
/// Amounts are compared in the condition's currency, with both bounds inclusive. For a
/// step, the amount is what the step would claim: the case's overdue, undisputed open
/// amount in that currency (for a pre-due step, the amount about to fall due). For an
/// assignment rule, it is the case's whole open amount in that currency. A case that owes
/// nothing in that currency counts as owing zero there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    pub min_amount: Option<Money>,
    pub max_amount: Option<Money>,
    pub segment: Option<Segment>,
    /// ISO 3166-1 alpha-2, compared without regard to case.
    pub countries: Vec<String>,
    /// ISO 639-1, compared without regard to case.
    pub languages: Vec<String>,
    /// At least one of these tags (compared without regard to case).
    pub tags_any: Vec<String>,
    /// The debtor's risk band is one of these (a debtor without a band matches none).
    pub risk_bands: Vec<RiskBand>,
    /// The case is at one of these stages.
    pub stages: Vec<Stage>,
}

impl Conditions {
    /// The conditions in a line (`≥ 5,000.00 EUR, b2b, countries: FR|BE`), amounts written
    /// by `money` (each face formats money its own way); empty when there are none.
    pub fn describe(&self, money: impl Fn(Money) -> String) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(m) = self.min_amount {
            parts.push(format!("≥ {}", money(m)));
        }
        if let Some(m) = self.max_amount {
            parts.push(format!("≤ {}", money(m)));
        }
        if let Some(s) = self.segment {
            parts.push(s.to_string());
        }
        for (name, list) in [
            ("countries", &self.countries),
            ("languages", &self.languages),
            ("tags", &self.tags_any),
        ] {
            if !list.is_empty() {
                parts.push(format!("{name}: {}", list.join("|")));
            }
        }
        if !self.risk_bands.is_empty() {
            let bands: Vec<&str> = self.risk_bands.iter().map(|b| b.as_str()).collect();
            parts.push(format!("risk: {}", bands.join("|")));
        }
        if !self.stages.is_empty() {
            let stages: Vec<String> = self.stages.iter().map(|s| s.to_string()).collect();
            parts.push(format!("stages: {}", stages.join("|")));
        }
        parts.join(", ")
    }

    /// The currency of the amount bounds, if there are any.
    pub fn amount_currency(&self) -> Option<Currency> {
        self.min_amount.or(self.max_amount).map(Money::currency)
    }

    /// Whether the conditions hold. `amount_in` gives the amount to compare in a currency;
    /// it is only called when there are amount bounds.
    pub fn holds(
        &self,
        debtor: &DebtorFacts<'_>,
        stage: Stage,
        amount_in: impl FnOnce(Currency) -> i64,
    ) -> bool {
        if self.segment.is_some_and(|s| s != debtor.segment) {
            return false;
        }
        if !self.countries.is_empty()
            && !self
                .countries
                .iter()
                .any(|c| c.eq_ignore_ascii_case(debtor.country))
        {
            return false;
        }
        if !self.languages.is_empty()
            && !self
                .languages
                .iter()
                .any(|l| l.eq_ignore_ascii_case(debtor.language))
        {
            return false;
        }
        if !self.tags_any.is_empty()
            && !self
                .tags_any
                .iter()
                .any(|t| debtor.tags.iter().any(|d| d.eq_ignore_ascii_case(t)))
        {
            return false;
        }
        if !self.risk_bands.is_empty()
            && !debtor
                .risk_band
                .is_some_and(|band| self.risk_bands.contains(&band))
        {
            return false;
        }
        if !self.stages.is_empty() && !self.stages.contains(&stage) {
            return false;
        }
        if let Some(currency) = self.amount_currency() {
            let amount = amount_in(currency);
            if self.min_amount.is_some_and(|m| amount < m.minor())
                || self.max_amount.is_some_and(|m| amount > m.minor())
            {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::EUR;

    #[test]
    fn stages_only_move_forwards() {
        assert_eq!(
            Stage::Amicable.advanced_to(Stage::FormalNotice),
            Stage::FormalNotice
        );
        assert_eq!(
            Stage::FormalNotice.advanced_to(Stage::Amicable),
            Stage::FormalNotice
        );
        assert_eq!(Stage::PreDue.advanced_to(Stage::PreDue), Stage::PreDue);
    }

    #[test]
    fn stage_text_round_trips() {
        for s in Stage::OPEN
            .into_iter()
            .chain(CloseReason::ALL.iter().map(|r| Stage::Closed(*r)))
        {
            assert_eq!(s.to_string().parse::<Stage>(), Ok(s));
        }
        assert_eq!("mise_en_demeure".parse(), Ok(Stage::FormalNotice));
        assert!("shouting".parse::<Stage>().is_err());
        assert!("closed:forgotten".parse::<Stage>().is_err());
    }

    #[test]
    fn channel_sets() {
        let set: Channels = [Channel::PhoneTask, Channel::Email, Channel::Email]
            .into_iter()
            .collect();
        assert_eq!(set.len(), 2);
        assert_eq!(set.to_string(), "email+phone_task");
        assert!(set.is_intrusive() && set.reaches_debtor());
        let internal = Channels::empty().with(Channel::LegalReviewTask);
        assert!(!internal.reaches_debtor() && !internal.is_intrusive());
        assert_eq!("LRAR".parse(), Ok(Channel::RegisteredLetter));
    }

    #[test]
    fn codes_are_checked() {
        assert!(StepCode::parse("d+1_email").is_ok());
        assert!(StepCode::parse("d-5.courtesy").is_ok());
        assert!(StepCode::parse("").is_err());
        assert!(StepCode::parse("d 1").is_err());
        assert!(StepCode::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn conditions() {
        let tags = vec!["Key_Account".to_string()];
        let debtor = DebtorFacts {
            segment: Segment::B2b,
            country: "fr",
            language: "fr",
            tags: &tags,
            risk_band: None,
        };
        let mut c = Conditions {
            countries: vec!["FR".into()],
            tags_any: vec!["key_account".into(), "vip".into()],
            min_amount: Some(Money::from_minor(500_00, EUR)),
            ..Conditions::default()
        };
        assert!(c.holds(&debtor, Stage::Amicable, |_| 500_00));
        assert!(!c.holds(&debtor, Stage::Amicable, |_| 499_99));
        c.risk_bands = vec![RiskBand::High];
        // No band: a band condition does not hold.
        assert!(!c.holds(&debtor, Stage::Amicable, |_| 900_00));
        let c = Conditions {
            stages: vec![Stage::FormalNotice],
            segment: Some(Segment::B2c),
            ..Conditions::default()
        };
        assert!(!c.holds(&debtor, Stage::FormalNotice, |_| 0));
    }
}
