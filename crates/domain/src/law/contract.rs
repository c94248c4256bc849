//! Terms of sale ("conditions générales de vente"): what a creditor's contract says about
//! late payment, which the law engine applies instead of its defaults.
//!
//! A credit manager states them once per creditor and may override them per claim (an
//! invoice under a special agreement). Each field is optional: what the contract does not
//! say falls back to the law.
//!
//! - **Penalty rate** (C. com. L441-10 II): the agreed annual rate of late penalties, as a
//!   fixed rate ("12 %", "1 % par mois"), as a multiple of the legal rate ("3 fois le taux
//!   d'intérêt légal") or as the ECB rate plus points ("taux BCE + 10 points"). Between
//!   professionals in France it is never below three times the legal rate: the engine
//!   raises it half-year by half-year and says so (see [`super::interest`]).
//! - **Indemnity**: a contractual recovery indemnity above the statutory €40, where the
//!   terms justify it ("indemnisation complémentaire", L441-10 II); never below the
//!   statutory sum, which is due as of right.
//! - **Payment term**: the agreed term (days, or days end of month), checked against the
//!   legal caps by [`super::terms`].
//! - **Due date is the notice** (C. civ. 1344): the contract says that the mere expiry of
//!   the term puts the debtor on notice, so moratory interest at the legal rate runs from
//!   the due date rather than from a formal notice.
//!
//! The text forms parsed here are the ones a person types in a CSV cell, a form or a
//! command line, in French or English; [`PenaltyRate`]'s `Display` writes the canonical
//! one back.

use super::{Jurisdiction, Regime, Text};
use crate::date::Date;
use crate::money::{Currency, Money};
use crate::party::Segment;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The highest rate or points accepted, percent per year: a typing error beyond it (a
/// rate of 1,000 %) is refused rather than claimed.
const MAX_PERCENT: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// How the agreed penalty rate is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PenaltyRate {
    /// A fixed annual rate, percent.
    Fixed { annual_rate: Decimal },
    /// N times the French legal rate ("taux d'intérêt légal", category "all other cases"),
    /// read each half-year.
    LegalMultiple { multiple: Decimal },
    /// The ECB main refinancing rate plus N points, read each half-year as L441-10 II
    /// reads it (the rate in force on 1 January or 1 July).
    EcbPlus { points: Decimal },
}

impl PenaltyRate {
    /// Parses the forms people write: `12%`, `12,5 %`, `1 % par mois`, `1%/month`,
    /// `3x legal`, `3 fois le taux légal`, `3 × taux d'intérêt légal`, `ecb+10`,
    /// `taux BCE + 10 points`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let lower = text.trim().to_lowercase();
        if lower.is_empty() {
            return Err("a penalty rate cannot be empty".into());
        }
        let compact: String = lower
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
            .collect();
        let number = |s: &str| -> Result<Decimal, String> {
            let s = s.trim_end_matches('%').replace(',', ".");
            let d = Decimal::from_str(&s).map_err(|_| {
                format!(
                    "{text:?} is not a penalty rate (write e.g. 12%, 1%/month, 3x legal, ecb+10)"
                )
            })?;
            if d.is_sign_negative() && !d.is_zero() {
                return Err(format!("{text:?}: a penalty rate cannot be negative"));
            }
            if d > MAX_PERCENT {
                return Err(format!(
                    "{text:?}: more than {MAX_PERCENT} % a year is not a plausible penalty rate"
                ));
            }
            Ok(d.normalize())
        };
        // "ECB + N points", "taux BCE + N points", "BCE+N"
        for prefix in ["tauxbce", "tauxdelabce", "bce", "ecbrate", "ecb"] {
            if let Some(rest) = compact.strip_prefix(prefix) {
                let rest = rest
                    .strip_prefix('+')
                    .ok_or_else(|| format!("{text:?}: write the ECB rate as ecb+N (points)"))?;
                let rest = rest
                    .trim_end_matches("points")
                    .trim_end_matches("point")
                    .trim_end_matches("pts")
                    .trim_end_matches("pt");
                return Ok(Self::EcbPlus {
                    points: number(rest)?,
                });
            }
        }
        // "N x legal", "N fois le taux légal", "N × taux d'intérêt légal"
        if compact.contains("legal") || compact.contains("légal") {
            let end = compact
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .unwrap_or(compact.len());
            let (n, rest) = compact.split_at(end);
            let rest_ok = ["x", "×", "*", "fois"]
                .iter()
                .any(|sep| rest.starts_with(sep));
            if n.is_empty() || !rest_ok {
                return Err(format!(
                    "{text:?}: write a multiple of the legal rate as 3x legal (3 fois le taux légal)"
                ));
            }
            return Ok(Self::LegalMultiple {
                multiple: number(n)?,
            });
        }
        // "1 % par mois", "1%/month", "1%/mois": twelve times a year.
        for suffix in ["parmois", "/mois", "/month", "permonth", "/mo"] {
            if let Some(n) = compact.strip_suffix(suffix) {
                let monthly = number(n)?;
                return Ok(Self::Fixed {
                    annual_rate: (monthly * Decimal::from(12)).normalize(),
                });
            }
        }
        let n = compact
            .trim_end_matches("paran")
            .trim_end_matches("/an")
            .trim_end_matches("/year")
            .trim_end_matches("peryear")
            .trim_end_matches("/yr");
        Ok(Self::Fixed {
            annual_rate: number(n)?,
        })
    }

    /// A sentence for letters and pages.
    pub fn describe(self, lang_fr: bool) -> String {
        let n = |d: Decimal| {
            let s = d.normalize().to_string();
            if lang_fr { s.replace('.', ",") } else { s }
        };
        match (self, lang_fr) {
            (Self::Fixed { annual_rate }, true) => format!("{} % l'an", n(annual_rate)),
            (Self::Fixed { annual_rate }, false) => format!("{}% a year", n(annual_rate)),
            (Self::LegalMultiple { multiple }, true) => {
                format!("{} fois le taux d'intérêt légal", n(multiple))
            }
            (Self::LegalMultiple { multiple }, false) => {
                format!("{} times the legal interest rate", n(multiple))
            }
            (Self::EcbPlus { points }, true) => format!("taux BCE + {} points", n(points)),
            (Self::EcbPlus { points }, false) => format!("ECB rate + {} points", n(points)),
        }
    }
}

impl fmt::Display for PenaltyRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fixed { annual_rate } => write!(f, "{}%", annual_rate.normalize()),
            Self::LegalMultiple { multiple } => write!(f, "{}x legal", multiple.normalize()),
            Self::EcbPlus { points } => write!(f, "ecb+{}", points.normalize()),
        }
    }
}

impl FromStr for PenaltyRate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

/// The agreed payment term: a number of days from the invoice date, or days end of month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaymentTerm {
    pub days: u16,
    /// "Fin de mois": the term ends at the end of a month (see [`super::terms`] for the
    /// two computations practice tolerates).
    pub end_of_month: bool,
}

impl PaymentTerm {
    /// Parses `60`, `60d`, `60 days`, `60 jours`, `45 eom`, `45 days end of month`,
    /// `45 jours fin de mois`, `45j fdm`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let lower = text.trim().to_lowercase();
        let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        let end = compact
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(compact.len());
        let (n, rest) = compact.split_at(end);
        let bad = || {
            format!(
                "{text:?} is not a payment term (write e.g. 60d, 30 days, 45d eom, 45 jours fin de mois)"
            )
        };
        let days: u16 = n.parse().map_err(|_| bad())?;
        if days == 0 || days > 365 {
            return Err(format!("{text:?}: a payment term is from 1 to 365 days"));
        }
        let rest = ["days", "day", "jours", "jour", "d", "j"]
            .iter()
            .find_map(|unit| rest.strip_prefix(unit))
            .unwrap_or(rest);
        let end_of_month = match rest {
            "" => false,
            "eom" | "endofmonth" | "findemois" | "fdm" | "fm" => true,
            _ => return Err(bad()),
        };
        Ok(Self { days, end_of_month })
    }
}

impl fmt::Display for PaymentTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.end_of_month {
            write!(f, "{}d eom", self.days)
        } else {
            write!(f, "{}d", self.days)
        }
    }
}

impl FromStr for PaymentTerm {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

/// Parses a yes/no cell: `yes`/`no`, `oui`/`non`, `true`/`false`, `1`/`0`.
pub fn parse_flag(text: &str) -> Result<bool, String> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "oui" | "o" | "true" | "vrai" | "1" => Ok(true),
        "no" | "n" | "non" | "false" | "faux" | "0" => Ok(false),
        _ => Err(format!("{text:?} is not yes or no (oui / non)")),
    }
}

/// Parses a contractual indemnity, an amount in the claim's currency (`60`, `60,00`,
/// `150.50`); never negative.
pub fn parse_indemnity(text: &str) -> Result<Decimal, String> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('€')
        .trim_end_matches("eur")
        .trim_end_matches("EUR")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ".");
    let d = Decimal::from_str(&cleaned)
        .map_err(|_| format!("{text:?} is not an amount (write e.g. 60 or 60,00)"))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("{text:?}: an indemnity cannot be negative"));
    }
    if d.scale() > 2 {
        return Err(format!("{text:?}: at most two decimals"));
    }
    Ok(d.normalize())
}

/// What a contract says about late payment; `None` fields fall back to the law (or, for a
/// claim, to its creditor's terms).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractTerms {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty_rate: Option<PenaltyRate>,
    /// A contractual recovery indemnity per invoice, in the claim's currency (major units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indemnity: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_term: Option<PaymentTerm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date_is_notice: Option<bool>,
}

impl ContractTerms {
    /// Whether the contract says nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// These terms, with `over`'s fields replacing them where `over` says something: a
    /// claim's own terms over its creditor's.
    pub fn overlaid_by(&self, over: &ContractTerms) -> ContractTerms {
        ContractTerms {
            penalty_rate: over.penalty_rate.or(self.penalty_rate),
            indemnity: over.indemnity.or(self.indemnity),
            payment_term: over.payment_term.or(self.payment_term),
            due_date_is_notice: over.due_date_is_notice.or(self.due_date_is_notice),
        }
    }

    /// The contractual indemnity as money in `currency`, if any.
    pub fn indemnity_in(&self, currency: Currency) -> Option<Money> {
        self.indemnity
            .and_then(|d| Money::from_decimal_rounded(d, currency).ok())
    }
}

/// The interest regime a claim falls under once its contract is read: the statutory one
/// of [`Regime`] for the creditor's country and the debtor's segment, replaced by the
/// agreed penalty rate where the law lets a contract set it. The note says when terms were
/// not applied, and why.
pub fn regime_for(
    jurisdiction: Jurisdiction,
    segment: Segment,
    terms: &ContractTerms,
) -> Option<(Regime, Option<Text>)> {
    let statutory = match (jurisdiction, segment) {
        (Jurisdiction::France, Segment::B2b) => Regime::france_b2b(),
        (Jurisdiction::France, Segment::B2c) => Regime::france_b2c(),
        (Jurisdiction::Germany, Segment::B2b) => Regime::GermanyB2b,
        (Jurisdiction::Germany, Segment::B2c) => Regime::GermanyB2c,
        (Jurisdiction::UnitedKingdom, Segment::B2b) => Regime::UkCommercial,
        (Jurisdiction::UnitedKingdom, Segment::B2c) => return None,
    };
    let Some(rate) = terms.penalty_rate else {
        return Some((statutory, None));
    };
    match (jurisdiction, segment) {
        (Jurisdiction::France, Segment::B2b) => Some((
            match rate {
                PenaltyRate::Fixed { annual_rate } => Regime::FranceB2bContractual { annual_rate },
                PenaltyRate::LegalMultiple { multiple } => {
                    Regime::FranceB2bLegalMultiple { multiple }
                }
                PenaltyRate::EcbPlus { points } => Regime::FranceB2bEcbPlus { points },
            },
            None,
        )),
        (Jurisdiction::France, Segment::B2c) => Some((
            statutory,
            Some(Text::new(
                "fr.terms.penalty_rate_b2b_only",
                "Le taux de pénalités convenu vaut entre professionnels (C. com. L441-10) ; un \
                 consommateur doit l'intérêt au taux légal à compter de la mise en demeure (C. \
                 civ. 1231-6, 1344-1).",
                "The agreed penalty rate applies between professionals (French Commercial Code \
                 L441-10); a consumer owes interest at the legal rate from the formal notice \
                 (French Civil Code 1231-6, 1344-1).",
            )),
        )),
        _ => Some((
            statutory,
            Some(Text::new(
                "terms.penalty_rate_france_only",
                "Le taux de pénalités convenu n'est appliqué qu'aux créanciers établis en France ; \
                 le taux légal du pays du créancier s'applique.",
                "The agreed penalty rate is applied for creditors established in France only; the \
                 statutory rate of the creditor's country applies.",
            )),
        )),
    }
}

/// How a formal notice ("mise en demeure") reached the debtor, as far as interest cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDelivery {
    /// The notice's id in the store.
    pub id: i64,
    pub sent_on: Date,
    /// Served by a commissaire de justice: received the day it is served.
    pub served: bool,
    /// First presentation of a registered letter.
    pub presented_on: Option<Date>,
    /// The day the acknowledgment of receipt was signed.
    pub received_on: Option<Date>,
}

impl NoticeDelivery {
    /// The day the notice counts as received: served that day, else its first
    /// presentation, else the signed acknowledgment.
    pub fn received(&self) -> Option<Date> {
        if self.served {
            Some(self.sent_on)
        } else {
            self.presented_on.or(self.received_on)
        }
    }
}

/// The event interest runs from (the day after it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum InterestStart {
    /// Late penalties run from the due date without any reminder (L441-10 II; BGB §288;
    /// Late Payment Act 1998).
    DueDate { date: Date },
    /// The contract says the due date alone is the notice (C. civ. 1344).
    DueDateIsNotice { date: Date },
    /// Legal-rate interest from the formal notice's receipt (C. civ. 1344-1, 1231-6).
    FormalNotice { notice_id: i64, date: Date },
    /// No interest yet, and why.
    NotYet { reason: Text },
}

impl InterestStart {
    /// The last day without interest, when interest runs.
    pub fn date(&self) -> Option<Date> {
        match self {
            Self::DueDate { date }
            | Self::DueDateIsNotice { date }
            | Self::FormalNotice { date, .. } => Some(*date),
            Self::NotYet { .. } => None,
        }
    }

    /// A stable code for programs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DueDate { .. } => "due_date",
            Self::DueDateIsNotice { .. } => "due_date_is_notice",
            Self::FormalNotice { .. } => "formal_notice",
            Self::NotYet { .. } => "not_yet",
        }
    }
}

/// When interest starts on a claim due `due_date` under `regime`, as of `as_of`. Only the
/// French legal rate waits for a formal notice; the other regimes run from the due date.
/// The notice counted is the earliest one received by `as_of` (never before the due date:
/// a debt not yet due cannot be demanded).
pub fn interest_start(
    regime: &Regime,
    due_date: Date,
    terms: &ContractTerms,
    notices: &[NoticeDelivery],
    as_of: Date,
) -> InterestStart {
    if !matches!(regime, Regime::FranceLegal { .. }) {
        return InterestStart::DueDate { date: due_date };
    }
    if terms.due_date_is_notice == Some(true) {
        return InterestStart::DueDateIsNotice { date: due_date };
    }
    let received = notices
        .iter()
        .filter_map(|n| Some((n.received()?, n.id)))
        .filter(|(d, _)| *d <= as_of)
        .min();
    if let Some((date, notice_id)) = received {
        return InterestStart::FormalNotice {
            notice_id,
            date: date.max(due_date),
        };
    }
    let reason = match notices.iter().min_by_key(|n| n.sent_on) {
        Some(n) if n.sent_on <= as_of => Text::new(
            "fr.interest.notice_not_received",
            format!(
                "Mise en demeure envoyée le {} : sa date de première présentation n'est pas \
                 enregistrée ; les intérêts au taux légal courent du lendemain de sa réception \
                 (C. civ. 1344-1).",
                n.sent_on.strftime("%d/%m/%Y")
            ),
            format!(
                "Formal notice sent on {}: its first-presentation date is not recorded; \
                 legal-rate interest runs from the day after it is received (French Civil \
                 Code 1344-1).",
                n.sent_on
            ),
        ),
        _ => Text::new(
            "fr.interest.no_notice",
            "Aucune mise en demeure : les intérêts au taux légal ne courent qu'à compter de la \
             mise en demeure (C. civ. 1344-1, 1231-6), sauf clause faisant de l'échéance la \
             mise en demeure (C. civ. 1344).",
            "No formal notice: legal-rate interest runs only from the formal notice (French \
             Civil Code 1344-1, 1231-6), unless the contract makes the due date the notice \
             (art. 1344).",
        ),
    };
    InterestStart::NotYet { reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn penalty_rates_parse_in_french_and_english() {
        let fixed = |s| PenaltyRate::Fixed {
            annual_rate: dec(s),
        };
        let cases = [
            ("12%", fixed("12")),
            ("12", fixed("12")),
            ("12,5 %", fixed("12.5")),
            ("10.5% per year", fixed("10.5")),
            // 1 % a month is 12 % a year (simple interest, no capitalisation).
            ("1 % par mois", fixed("12")),
            ("1%/month", fixed("12")),
            ("1,5%/mois", fixed("18")),
            (
                "3x legal",
                PenaltyRate::LegalMultiple { multiple: dec("3") },
            ),
            (
                "3 fois le taux d'intérêt légal",
                PenaltyRate::LegalMultiple { multiple: dec("3") },
            ),
            (
                "3 × taux légal",
                PenaltyRate::LegalMultiple { multiple: dec("3") },
            ),
            ("ecb+10", PenaltyRate::EcbPlus { points: dec("10") }),
            (
                "taux BCE + 10 points",
                PenaltyRate::EcbPlus { points: dec("10") },
            ),
            ("BCE + 7,5", PenaltyRate::EcbPlus { points: dec("7.5") }),
        ];
        for (text, want) in cases {
            assert_eq!(PenaltyRate::parse(text), Ok(want), "{text}");
            // The canonical form reads back to the same rate.
            assert_eq!(PenaltyRate::parse(&want.to_string()), Ok(want), "{text}");
        }
    }

    #[test]
    fn bad_penalty_rates_say_why() {
        for (text, why) in [
            ("-5%", "negative"),
            ("", "empty"),
            ("douze", "not a penalty rate"),
            ("ecb 10", "ecb+N"),
            ("legal x 3", "3x legal"),
            ("150%", "plausible"),
        ] {
            let err = PenaltyRate::parse(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn payment_terms_parse() {
        let t = |days, end_of_month| PaymentTerm { days, end_of_month };
        for (text, want) in [
            ("60", t(60, false)),
            ("60d", t(60, false)),
            ("30 days", t(30, false)),
            ("30 jours", t(30, false)),
            ("45d eom", t(45, true)),
            ("45 jours fin de mois", t(45, true)),
            ("45 days end of month", t(45, true)),
            ("45j fdm", t(45, true)),
        ] {
            assert_eq!(PaymentTerm::parse(text), Ok(want), "{text}");
            assert_eq!(PaymentTerm::parse(&want.to_string()), Ok(want), "{text}");
        }
        assert!(PaymentTerm::parse("0").is_err());
        assert!(PaymentTerm::parse("sixty").is_err());
        assert!(PaymentTerm::parse("45 weeks").is_err());
    }

    #[test]
    fn claim_terms_override_the_creditors_field_by_field() {
        let creditor = ContractTerms {
            penalty_rate: Some(PenaltyRate::LegalMultiple { multiple: dec("3") }),
            indemnity: Some(dec("40")),
            payment_term: Some(PaymentTerm {
                days: 30,
                end_of_month: false,
            }),
            due_date_is_notice: Some(false),
        };
        let claim = ContractTerms {
            penalty_rate: Some(PenaltyRate::Fixed {
                annual_rate: dec("12"),
            }),
            ..ContractTerms::default()
        };
        let merged = creditor.overlaid_by(&claim);
        assert_eq!(merged.penalty_rate, claim.penalty_rate);
        assert_eq!(merged.indemnity, creditor.indemnity);
        assert_eq!(merged.payment_term, creditor.payment_term);
        assert_eq!(merged.due_date_is_notice, Some(false));
    }

    #[test]
    fn indemnities_and_flags_parse() {
        assert_eq!(parse_indemnity("60"), Ok(dec("60")));
        assert_eq!(parse_indemnity("150,50 €"), Ok(dec("150.5")));
        assert!(parse_indemnity("-1").unwrap_err().contains("negative"));
        assert!(
            parse_indemnity("1.234")
                .unwrap_err()
                .contains("two decimals")
        );
        assert_eq!(parse_flag("oui"), Ok(true));
        assert_eq!(parse_flag("No"), Ok(false));
        assert!(parse_flag("maybe").is_err());
    }

    // ---- The hand-worked cases (rates from shared/domain-rules.md §2). ----

    use crate::law::{InterestRequest, RateTables, late_interest};
    use crate::money::Money;
    use jiff::civil::date;

    fn eur(s: &str) -> Money {
        Money::parse(s, Currency::EUR).unwrap()
    }

    /// Interest on `principal` for a claim due `due`, under the terms, as of `as_of`.
    fn interest(
        segment: Segment,
        terms: &ContractTerms,
        principal: &str,
        due: Date,
        notices: &[NoticeDelivery],
        as_of: Date,
    ) -> (InterestStart, Option<Money>) {
        let tables = RateTables::embedded().unwrap();
        let (regime, _) = regime_for(Jurisdiction::France, segment, terms).unwrap();
        let start = interest_start(&regime, due, terms, notices, as_of);
        let total = start.date().map(|from| {
            late_interest(
                &InterestRequest {
                    principal: eur(principal),
                    due_date: from,
                    as_of,
                    payments: Vec::new(),
                    regime,
                },
                &tables,
            )
            .unwrap()
            .total
        });
        (start, total)
    }

    #[test]
    fn a_consumer_without_formal_notice_owes_no_interest() {
        // The case: B2C claim due 2025-01-10, no notice, paid 2025-09-10. Interest at
        // the legal rate runs only from the notice (C. civ. 1344-1): nothing.
        let (start, total) = interest(
            Segment::B2c,
            &ContractTerms::default(),
            "1000.00",
            date(2025, 1, 10),
            &[],
            date(2025, 9, 10),
        );
        assert_eq!(total, None);
        let InterestStart::NotYet { reason } = start else {
            panic!("{start:?}")
        };
        assert_eq!(reason.code, "fr.interest.no_notice");
    }

    #[test]
    fn a_consumer_owes_legal_interest_from_the_day_after_the_notice_is_received() {
        // domain-rules §3: €1,000.00, notice received 2026-02-02, paid 2026-03-04: 30 days
        // (3 Feb – 4 Mar) at the 2026 S1 legal rate "other cases" 2.62 %:
        // 1000 × 2.62 × 30 / 36500 = 2.15342 → €2.15.
        let notice = NoticeDelivery {
            id: 7,
            sent_on: date(2026, 1, 30),
            served: false,
            presented_on: Some(date(2026, 2, 2)),
            received_on: Some(date(2026, 2, 5)),
        };
        let (start, total) = interest(
            Segment::B2c,
            &ContractTerms::default(),
            "1000.00",
            date(2026, 1, 10),
            &[notice],
            date(2026, 3, 4),
        );
        assert_eq!(
            start,
            InterestStart::FormalNotice {
                notice_id: 7,
                date: date(2026, 2, 2)
            }
        );
        assert_eq!(total, Some(eur("2.15")));
        // Sent but its delivery not recorded: still nothing, and the reason says so.
        let unknown = NoticeDelivery {
            presented_on: None,
            received_on: None,
            ..notice
        };
        let (start, total) = interest(
            Segment::B2c,
            &ContractTerms::default(),
            "1000.00",
            date(2026, 1, 10),
            &[unknown],
            date(2026, 3, 4),
        );
        assert_eq!(total, None);
        assert!(
            matches!(start, InterestStart::NotYet { ref reason } if reason.code == "fr.interest.notice_not_received")
        );
        // A French sentence writes the date the French way.
        if let InterestStart::NotYet { reason } = start {
            assert!(reason.fr.contains("envoyée le 30/01/2026"), "{}", reason.fr);
            assert!(reason.en.contains("sent on 2026-01-30"), "{}", reason.en);
        }
    }

    #[test]
    fn due_date_as_notice_makes_consumer_interest_run_from_the_due_date() {
        // Terms: "the due date is the notice" (C. civ. 1344). Due 2026-01-10, as of
        // 2026-02-09: 30 days at 2.62 % on €1,000 = 2.15342 → €2.15.
        let terms = ContractTerms {
            due_date_is_notice: Some(true),
            ..ContractTerms::default()
        };
        let (start, total) = interest(
            Segment::B2c,
            &terms,
            "1000.00",
            date(2026, 1, 10),
            &[],
            date(2026, 2, 9),
        );
        assert_eq!(
            start,
            InterestStart::DueDateIsNotice {
                date: date(2026, 1, 10)
            }
        );
        assert_eq!(total, Some(eur("2.15")));
    }

    #[test]
    fn an_agreed_rate_of_12_percent_applies_as_is() {
        // Due 2026-01-31, as of 2026-03-02: 30 days. 12 % is above the 2026 S1 floor
        // (3 × 2.62 = 7.86 %): 1000 × 12 × 30 / 36500 = 9.86301 → €9.86.
        let terms = ContractTerms {
            penalty_rate: Some(PenaltyRate::parse("12%").unwrap()),
            ..ContractTerms::default()
        };
        let (start, total) = interest(
            Segment::B2b,
            &terms,
            "1000.00",
            date(2026, 1, 31),
            &[],
            date(2026, 3, 2),
        );
        assert_eq!(
            start,
            InterestStart::DueDate {
                date: date(2026, 1, 31)
            }
        );
        assert_eq!(total, Some(eur("9.86")));
    }

    #[test]
    fn an_agreed_rate_of_5_percent_is_raised_to_three_times_the_legal_rate_each_half_year() {
        // Due 2025-06-20, as of 2025-07-10: 10 days in 2025 S1 (21–30 June) at the floor
        // 3 × 3.71 = 11.13 %, 10 days in 2025 S2 (1–10 July) at 3 × 2.76 = 8.28 %:
        // 1000 × 11.13 × 10 / 36500 = 3.04932; 1000 × 8.28 × 10 / 36500 = 2.26849;
        // total 5.31781 → €5.32.
        let terms = ContractTerms {
            penalty_rate: Some(PenaltyRate::parse("5%").unwrap()),
            ..ContractTerms::default()
        };
        let tables = RateTables::embedded().unwrap();
        let (regime, _) = regime_for(Jurisdiction::France, Segment::B2b, &terms).unwrap();
        let b = late_interest(
            &InterestRequest {
                principal: eur("1000.00"),
                due_date: date(2025, 6, 20),
                as_of: date(2025, 7, 10),
                payments: Vec::new(),
                regime,
            },
            &tables,
        )
        .unwrap();
        assert_eq!(b.total, eur("5.32"));
        let rates: Vec<_> = b
            .periods
            .iter()
            .map(|p| (p.annual_rate, p.basis.floor_applied))
            .collect();
        assert_eq!(
            rates,
            vec![
                (Decimal::from_str("11.13").unwrap(), true),
                (Decimal::from_str("8.28").unwrap(), true)
            ]
        );
    }

    #[test]
    fn multiples_of_the_legal_rate_and_ecb_plus_points_follow_the_half_years() {
        // "3x legal" is exactly the floor: the same €5.32 as above.
        let three = ContractTerms {
            penalty_rate: Some(PenaltyRate::parse("3 fois le taux légal").unwrap()),
            ..ContractTerms::default()
        };
        let (_, total) = interest(
            Segment::B2b,
            &three,
            "1000.00",
            date(2025, 6, 20),
            &[],
            date(2025, 7, 10),
        );
        assert_eq!(total, Some(eur("5.32")));
        // "ECB + 10 points" is the statutory rate: domain-rules §1's worked example, €1,200
        // due 2025-06-20 paid 2025-07-10: 10 days at 13.15 % = 4.32329, 10 days at
        // 12.15 % = 3.99452 → €8.32.
        let ecb = ContractTerms {
            penalty_rate: Some(PenaltyRate::parse("taux BCE + 10 points").unwrap()),
            ..ContractTerms::default()
        };
        let (_, total) = interest(
            Segment::B2b,
            &ecb,
            "1200.00",
            date(2025, 6, 20),
            &[],
            date(2025, 7, 10),
        );
        assert_eq!(total, Some(eur("8.32")));
        // "ECB + 5 points" falls under the floor in 2025 S1 (3.15 + 5 = 8.15 < 11.13) but not
        // in 2025 S2 (2.15 + 5 = 7.15 < 8.28: floor too): 5.32 on €1,000 as above.
        let low = ContractTerms {
            penalty_rate: Some(PenaltyRate::parse("ecb+5").unwrap()),
            ..ContractTerms::default()
        };
        let (_, total) = interest(
            Segment::B2b,
            &low,
            "1000.00",
            date(2025, 6, 20),
            &[],
            date(2025, 7, 10),
        );
        assert_eq!(total, Some(eur("5.32")));
    }

    #[test]
    fn an_agreed_penalty_rate_is_not_applied_to_a_consumer() {
        let terms = ContractTerms {
            penalty_rate: Some(PenaltyRate::parse("12%").unwrap()),
            ..ContractTerms::default()
        };
        let (regime, note) = regime_for(Jurisdiction::France, Segment::B2c, &terms).unwrap();
        assert_eq!(regime, Regime::france_b2c());
        assert_eq!(note.unwrap().code, "fr.terms.penalty_rate_b2b_only");
    }
}
