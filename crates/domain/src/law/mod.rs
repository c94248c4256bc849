//! # The law engine
//!
//! What the law lets a creditor claim, by when, and through which court: statutory
//! late-payment interest, the fixed recovery indemnity, the legal caps on payment terms,
//! limitation deadlines and the judicial routes open for a claim. Every function here is
//! pure and table-driven: the figures that change (ECB, legal, German and UK reference
//! rates) are data files in `crates/domain/rates/`, each row citing its source; the rules
//! that do not change are code, each citing its article.
//!
//! The legal facts and their sources are collected in `shared/domain-rules.md`; the
//! product conventions it fixes apply throughout:
//!
//! - **C1** interest is computed per period and summed unrounded; the total is rounded once,
//!   half away from zero, to the currency's minor unit;
//! - **C2** day count is actual days / 365 in every year, leap years included;
//! - **C3** interest runs from the day after the due date up to and including the as-of
//!   (payment) date: `days = as_of − due_date`;
//! - **C4** a partial payment reduces the base from the day after its value date.
//!
//! Modules:
//! - [`contract`] — the terms of sale a creditor states (agreed penalty rate, indemnity,
//!   payment term, due date as notice) and when interest starts;
//! - [`rates`] — the rate tables: loading, validation, lookup, listing;
//! - [`interest`] — late-payment interest for France (B2B statutory and contractual, legal
//!   rate), Germany, the UK, and fixed contractual rates;
//! - [`indemnity`] — the fixed recovery indemnity (€40, £40/£70/£100);
//! - [`terms`] — the French caps on B2B payment terms;
//! - [`limitation`] — French limitation (prescription) and foreclosure deadlines;
//! - [`routes`] — which judicial routes are open and whether litigating pays;
//! - [`judicial`] — the legal file's decision, stages and statutory deadlines.

pub mod contract;
pub mod indemnity;
pub mod interest;
pub mod judicial;
pub mod limitation;
pub mod rates;
pub mod routes;
pub mod terms;

#[cfg(test)]
mod interest_examples;
#[cfg(test)]
mod properties;

pub use contract::{
    ContractTerms, InterestStart, NoticeDelivery, PaymentTerm, PenaltyRate, interest_start,
    regime_for,
};
pub use indemnity::{Indemnity, fixed_indemnity};
pub use interest::{
    FrenchRateReading, InterestBreakdown, InterestPeriod, InterestRequest, LegalRateCategory,
    PartPayment, RateBasis, RateWarning, Regime, late_interest,
};
pub use limitation::{
    AlertLevel, Event, EventKind, LimitationDeadline, LimitationKind, LimitationRequest, Period,
    limitation_deadline,
};
pub use rates::{
    HalfYear, HalfYearGap, Periodicity, RateFileError, RateFileProblem, RateRow, RateSeries,
    RateStatus, RateTables,
};
pub use routes::{
    CostEstimate, Recommendation, RecommendationCode, Route, RouteAdvice, RouteAssessment,
    RouteRequest, advise_routes,
};
pub use terms::{
    EndOfMonthLimits, TermAgreement, TermBreach, TermRule, TermSector, TermsCheck, TermsRequest,
    caps_apply, check_claim_term, check_payment_terms,
};

use crate::date::Date;
use crate::money::MoneyError;
use serde::Serialize;
use std::fmt;

/// Why the law engine could not answer. Every variant says what a user needs to fix it:
/// which rate is missing for which date, which input is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LawError {
    #[error(transparent)]
    RateFile(#[from] RateFileError),
    #[error("rate series {0:?} is not loaded (load its .toml file with the other rate tables)")]
    UnknownSeries(String),
    /// A date outside what a rate table covers: never answered with zero or with a stale
    /// figure, because a formal notice claiming a wrong rate is worse than none.
    #[error("no {series} rate is known for {date}: {reason}")]
    RateUnknown {
        series: String,
        date: Date,
        reason: String,
    },
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("{what} is not supported for {jurisdiction}")]
    Unsupported {
        what: &'static str,
        jurisdiction: String,
    },
    #[error("date arithmetic left the supported calendar (years -9999 to 9999)")]
    DateOutOfRange,
}

/// The legal systems the engine knows. Country codes elsewhere in the domain are ISO
/// 3166-1 alpha-2 strings; this is the subset with rules implemented here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    France,
    Germany,
    UnitedKingdom,
}

impl Jurisdiction {
    /// The jurisdiction of an ISO 3166-1 alpha-2 code (`FR`, `DE`, `GB`/`UK`), if known.
    pub fn from_country(code: &str) -> Option<Self> {
        match code.trim().to_ascii_uppercase().as_str() {
            "FR" => Some(Self::France),
            "DE" => Some(Self::Germany),
            "GB" | "UK" => Some(Self::UnitedKingdom),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::France => "FR",
            Self::Germany => "DE",
            Self::UnitedKingdom => "GB",
        }
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A sentence a person reads, with a stable code for programs and both languages Recouvre
/// speaks. Codes never change once published; texts may be reworded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub code: &'static str,
    pub fr: String,
    pub en: String,
}

impl Text {
    /// The text in the language the process speaks ([`crate::lang`]), or both ("en / fr")
    /// where none is set.
    pub fn tr(&self) -> String {
        crate::lang::tr(&self.en, &self.fr)
    }

    pub(crate) fn new(code: &'static str, fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code,
            fr: fr.into(),
            en: en.into(),
        }
    }
}

/// The next day; fails only at the end of the supported calendar.
pub(crate) fn next_day(date: Date) -> Result<Date, LawError> {
    date.tomorrow().map_err(|_| LawError::DateOutOfRange)
}

/// The previous day; fails only at the start of the supported calendar.
pub(crate) fn previous_day(date: Date) -> Result<Date, LawError> {
    date.yesterday().map_err(|_| LawError::DateOutOfRange)
}

/// `date` plus whole months, clamped to the last day of a shorter month: the rule of C.
/// pr. civ. 641 ("à défaut d'un quantième identique, le délai expire le dernier jour du
/// mois"), which jiff applies when adding months.
pub(crate) fn add_months(date: Date, months: i32) -> Result<Date, LawError> {
    jiff::Span::new()
        .try_months(months)
        .and_then(|span| date.checked_add(span))
        .map_err(|_| LawError::DateOutOfRange)
}

/// `date` plus whole days.
pub(crate) fn add_days(date: Date, days: i32) -> Result<Date, LawError> {
    jiff::Span::new()
        .try_days(days)
        .and_then(|span| date.checked_add(span))
        .map_err(|_| LawError::DateOutOfRange)
}
