//! Late-payment interest: how much a late debtor owes on top of the principal.
//!
//! Regimes, with the rule each applies (sources in `shared/domain-rules.md` §1–§3, §9):
//!
//! - **France B2B statutory** (C. com. L441-10 II): ECB main refinancing rate + 10 points,
//!   due without any reminder from the day after the due date. The rate for 1 Jan–30 Jun is
//!   the ECB rate in force on 1 January, for 1 Jul–31 Dec the one in force on 1 July; by
//!   default a late period is split at every half-year and each half-year's rate applies
//!   to its days. A reading that freezes the rate of the due date's half-year exists and is
//!   selectable ([`FrenchRateReading`]).
//! - **France B2B contractual** (L441-10 II): the agreed rate — fixed, a multiple of the
//!   legal rate, or the ECB rate plus points (see [`super::contract`]) — but never below
//!   three times the legal rate of the "all other cases" category, compared half-year by
//!   half-year.
//! - **France legal rate** (C. civ. 1231-6, 1344-1; C. mon. fin. L313-2): moratory interest
//!   from the formal notice ("mise en demeure") — pass its date as the due date. A
//!   professional's claim on a consumer (B2C) uses the "all other cases" category; the
//!   other category is for a creditor who is a natural person not acting for professional
//!   needs. After a money judgment the rate is increased by 5 points once two months have
//!   run from the day the decision became enforceable (L313-3).
//! - **Germany** (BGB §288, §247): base rate + 9 points when no consumer is a party, + 5
//!   otherwise; the base rate changes on 1 January and 1 July.
//! - **UK** (Late Payment of Commercial Debts (Interest) Act 1998, SI 2002/1675): Bank of
//!   England rate + 8 points, the reference rate being the one in force on 31 December
//!   (interest starting January–June) or 30 June (July–December), fixed for the debt.
//! - **Fixed rate**: any agreed rate applied as is.
//!
//! Computation (conventions C1–C4): simple interest (no capitalisation: C. civ. 1343-2
//! needs a full year and a clause or a judge), actual days / 365 even in leap years,
//! interest from the day after the due date up to and including `as_of`, a partial payment
//! lowering the base from the day after its value date. Each period's amount is kept
//! unrounded; the total is divided once and rounded once, half away from zero.

use super::rates::{
    DE_BASE_RATE, ECB_MRO, FR_LEGAL_NATURAL_PERSON, FR_LEGAL_OTHER, HalfYear, RateRow, RateStatus,
    RateTables, UK_BANK_RATE,
};
use super::{LawError, add_months, next_day, previous_day};
use crate::date::{Date, days_between};
use crate::money::{Currency, Money, MoneyError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// `rate (percent) × days / 365` becomes an amount once divided by this.
const DAY_COUNT_DIVISOR: Decimal = Decimal::from_parts(36_500, 0, 0, false, 0);

/// How the French B2B statutory rate follows the half-years of a long delay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrenchRateReading {
    /// Each half-year's days at that half-year's rate (literal reading of L441-10 II).
    #[default]
    PerHalfYear,
    /// The rate of the half-year containing the due date, for the whole delay.
    FrozenAtDueDate,
}

/// The two categories of the French legal rate (C. mon. fin. L313-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalRateCategory {
    /// The creditor is a natural person not acting for professional needs.
    NaturalPersonCreditor,
    /// All other cases: every professional creditor, hence every B2C claim of a business.
    Other,
}

impl LegalRateCategory {
    fn series(self) -> &'static str {
        match self {
            Self::NaturalPersonCreditor => FR_LEGAL_NATURAL_PERSON,
            Self::Other => FR_LEGAL_OTHER,
        }
    }
}

/// The rule that sets the annual rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "regime", rename_all = "snake_case")]
pub enum Regime {
    /// ECB + 10 points (C. com. L441-10 II).
    FranceB2bStatutory { reading: FrenchRateReading },
    /// An agreed rate, floored at 3 × the legal rate "all other cases" (L441-10 II).
    FranceB2bContractual {
        /// Percent per year.
        annual_rate: Decimal,
    },
    /// N times the legal rate "all other cases", read each half-year; floored like any
    /// agreed rate (L441-10 II), which bites only when N is below 3.
    FranceB2bLegalMultiple { multiple: Decimal },
    /// The ECB rate read as for the statutory penalties plus N agreed points, floored at
    /// 3 × the legal rate (L441-10 II).
    FranceB2bEcbPlus { points: Decimal },
    /// The legal rate (C. civ. 1231-6), from the formal notice.
    FranceLegal {
        category: LegalRateCategory,
        /// The day a money judgment became enforceable: the rate gains 5 points two months
        /// later (C. mon. fin. L313-3).
        judgment_enforceable_on: Option<Date>,
    },
    /// Base rate + 9 points (BGB §288(2)).
    GermanyB2b,
    /// Base rate + 5 points (BGB §288(1)).
    GermanyB2c,
    /// Bank Rate on the reference date + 8 points (Late Payment Act 1998).
    UkCommercial,
    /// An agreed rate applied as is.
    FixedRate {
        /// Percent per year.
        annual_rate: Decimal,
    },
}

impl Regime {
    /// French B2B statutory penalties, split per half-year.
    pub fn france_b2b() -> Self {
        Self::FranceB2bStatutory {
            reading: FrenchRateReading::PerHalfYear,
        }
    }

    /// A professional's claim on a consumer: legal rate, "all other cases".
    pub fn france_b2c() -> Self {
        Self::FranceLegal {
            category: LegalRateCategory::Other,
            judgment_enforceable_on: None,
        }
    }

    /// Stable code for programs and files.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FranceB2bStatutory { .. } => "fr_b2b_statutory",
            Self::FranceB2bContractual { .. } => "fr_b2b_contractual",
            Self::FranceB2bLegalMultiple { .. } => "fr_b2b_legal_multiple",
            Self::FranceB2bEcbPlus { .. } => "fr_b2b_ecb_plus",
            Self::FranceLegal { .. } => "fr_legal",
            Self::GermanyB2b => "de_b2b",
            Self::GermanyB2c => "de_b2c",
            Self::UkCommercial => "uk_commercial",
            Self::FixedRate { .. } => "fixed_rate",
        }
    }

    /// Whether the rate is set afresh each half-year, so periods split at 1 Jan / 1 Jul.
    fn splits_at_half_years(&self) -> bool {
        match self {
            Self::FranceB2bStatutory { reading } => *reading == FrenchRateReading::PerHalfYear,
            Self::FranceB2bContractual { .. }
            | Self::FranceB2bLegalMultiple { .. }
            | Self::FranceB2bEcbPlus { .. }
            | Self::FranceLegal { .. }
            | Self::GermanyB2b
            | Self::GermanyB2c => true,
            Self::UkCommercial | Self::FixedRate { .. } => false,
        }
    }
}

/// A payment allocated to the principal. Pass only the part allocated to principal: when
/// a payment is imputed on interest first (C. civ. 1343-1), that part does not lower the
/// base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartPayment {
    /// Value date: the base is lower from the next day (C4).
    pub date: Date,
    pub amount: Money,
}

/// What to compute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestRequest {
    /// The unpaid amount the interest runs on (TTC in France: bpifrance-creation.fr).
    pub principal: Money,
    /// The last day without interest: the due date, or for the legal rate the date of the
    /// formal notice. Interest runs from the next day (C3).
    pub due_date: Date,
    /// The last day counted (the payment date, or today), included.
    pub as_of: Date,
    pub payments: Vec<PartPayment>,
    pub regime: Regime,
}

/// How a period's rate was arrived at, so a letter or a judge can check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateBasis {
    /// The series read: the reference rate (ECB, legal, base, Bank Rate), or for a French
    /// contractual rate the legal rate its floor is three times; `None` for a fixed rate.
    pub series: Option<String>,
    /// The day the series was read.
    pub reference_date: Option<Date>,
    /// The figure read, percent.
    pub reference_rate: Option<Decimal>,
    /// Points added to the reference rate.
    pub points: Decimal,
    /// For a contractual French rate: the legal floor of the half-year (3 × legal rate).
    pub floor: Option<Decimal>,
    /// Whether the floor replaced the agreed rate.
    pub floor_applied: bool,
}

/// One stretch of days with a constant base and rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterestPeriod {
    /// First day of interest, included.
    pub start: Date,
    /// Last day of interest, included.
    pub end: Date,
    pub days: i32,
    /// Percent per year.
    pub annual_rate: Decimal,
    pub base: Money,
    /// `base × annual_rate × days / 36500`, unrounded.
    pub amount: Decimal,
    pub basis: RateBasis,
}

/// A rate row used in the computation whose figure should be confirmed (status
/// `general_knowledge` or `unverified`): shown next to the amount, never hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateWarning {
    pub series: String,
    pub from: Date,
    pub rate: Decimal,
    pub status: RateStatus,
    pub source: String,
}

/// The result: every period, the unrounded sum and the rounded total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterestBreakdown {
    pub regime: Regime,
    pub principal: Money,
    pub due_date: Date,
    pub as_of: Date,
    /// Days of delay, `as_of − due_date` (zero when not late). Days with a zero base
    /// (after full payment) have no period.
    pub days: i32,
    pub periods: Vec<InterestPeriod>,
    /// Sum of the periods before rounding.
    pub total_unrounded: Decimal,
    /// The total rounded once, half away from zero, to the minor unit (C1).
    pub total: Money,
    pub warnings: Vec<RateWarning>,
}

/// Computes late-payment interest. Fails when a rate needed is not in the tables (never a
/// silent zero), when payments are in another currency or exceed the principal, or when
/// an agreed rate is negative.
pub fn late_interest(
    request: &InterestRequest,
    tables: &RateTables,
) -> Result<InterestBreakdown, LawError> {
    let currency = request.principal.currency();
    validate(request, currency)?;

    let mut calc = Calculation {
        request,
        tables,
        warnings: Vec::new(),
    };
    let mut periods = Vec::new();
    let mut numerator_sum = Decimal::ZERO;
    let first_day = next_day(request.due_date)?;

    if request.as_of >= first_day {
        let starts = period_starts(request, first_day)?;
        let starts: Vec<Date> = starts.into_iter().collect();
        for (i, &start) in starts.iter().enumerate() {
            let end = match starts.get(i + 1) {
                Some(&next) => previous_day(next)?,
                None => request.as_of,
            };
            let base = base_on(request, start)?;
            if base.is_zero() {
                continue;
            }
            let (annual_rate, basis) = calc.rate_for(start, first_day)?;
            let days = days_between(start, end) + 1;
            let numerator = base
                .to_decimal()
                .checked_mul(annual_rate)
                .and_then(|x| x.checked_mul(Decimal::from(days)))
                .ok_or(LawError::Money(MoneyError::Overflow))?;
            numerator_sum = numerator_sum
                .checked_add(numerator)
                .ok_or(LawError::Money(MoneyError::Overflow))?;
            periods.push(InterestPeriod {
                start,
                end,
                days,
                annual_rate,
                base,
                amount: numerator / DAY_COUNT_DIVISOR,
                basis,
            });
        }
    }

    // One division of the summed numerators keeps the total as exact as Decimal allows.
    let total_unrounded = numerator_sum / DAY_COUNT_DIVISOR;
    let total = Money::from_decimal_rounded(total_unrounded, currency)?;
    Ok(InterestBreakdown {
        regime: request.regime,
        principal: request.principal,
        due_date: request.due_date,
        as_of: request.as_of,
        days: days_between(request.due_date, request.as_of).max(0),
        periods,
        total_unrounded,
        total,
        warnings: calc.warnings,
    })
}

fn validate(request: &InterestRequest, currency: Currency) -> Result<(), LawError> {
    if request.principal.is_negative() {
        return Err(LawError::InvalidInput(format!(
            "the principal {} is negative",
            request.principal
        )));
    }
    let mut paid = Money::zero(currency);
    for payment in &request.payments {
        if payment.amount.currency() != currency {
            return Err(MoneyError::CurrencyMismatch(currency, payment.amount.currency()).into());
        }
        if !payment.amount.is_positive() {
            return Err(LawError::InvalidInput(format!(
                "the payment of {} on {} is not positive",
                payment.amount, payment.date
            )));
        }
        paid = paid.checked_add(payment.amount)?;
    }
    if paid.minor() > request.principal.minor() {
        return Err(LawError::InvalidInput(format!(
            "payments of {paid} exceed the principal {}; pass only the part allocated to principal",
            request.principal
        )));
    }
    match request.regime {
        Regime::FranceB2bContractual {
            annual_rate: agreed,
        }
        | Regime::FixedRate {
            annual_rate: agreed,
        }
        | Regime::FranceB2bLegalMultiple { multiple: agreed }
        | Regime::FranceB2bEcbPlus { points: agreed }
            if agreed.is_sign_negative() && !agreed.is_zero() =>
        {
            Err(LawError::InvalidInput(format!(
                "the agreed rate {agreed} is negative"
            )))
        }
        _ => Ok(()),
    }
}

/// Every day a new period starts: the first day of interest, each half-year start when the
/// regime's rate is set per half-year, the day after each payment, the day the L313-3
/// increase starts.
fn period_starts(request: &InterestRequest, first_day: Date) -> Result<BTreeSet<Date>, LawError> {
    let in_range = |d: Date| d > first_day && d <= request.as_of;
    let mut starts = BTreeSet::from([first_day]);
    if request.regime.splits_at_half_years() {
        let mut half = HalfYear::containing(first_day).next();
        while let Some(h) = half {
            if h.start() > request.as_of {
                break;
            }
            starts.insert(h.start());
            half = h.next();
        }
    }
    for payment in &request.payments {
        let effective = next_day(payment.date)?;
        if in_range(effective) {
            starts.insert(effective);
        }
    }
    if let Regime::FranceLegal {
        judgment_enforceable_on: Some(enforceable),
        ..
    } = request.regime
    {
        let increased_from = increase_starts(enforceable)?;
        if in_range(increased_from) {
            starts.insert(increased_from);
        }
    }
    Ok(starts)
}

/// The first day of the 5-point increase of C. mon. fin. L313-3: the two-month period runs
/// from the day the decision became enforceable and ends on the same day number two months
/// later (C. pr. civ. 641, last day of the month when there is none); the increase applies
/// from the day after.
fn increase_starts(enforceable: Date) -> Result<Date, LawError> {
    next_day(add_months(enforceable, 2)?)
}

/// The principal minus the payments whose value date is before `day` (C4).
fn base_on(request: &InterestRequest, day: Date) -> Result<Money, LawError> {
    let mut base = request.principal;
    for payment in request.payments.iter().filter(|p| p.date < day) {
        base = base.checked_sub(payment.amount)?;
    }
    Ok(base)
}

struct Calculation<'a> {
    request: &'a InterestRequest,
    tables: &'a RateTables,
    warnings: Vec<RateWarning>,
}

impl Calculation<'_> {
    /// Reads a rate row and remembers it when its figure needs confirming.
    fn read(&mut self, series: &str, date: Date) -> Result<RateRow, LawError> {
        let row = self.tables.rate_on(series, date)?.clone();
        if row.status.needs_confirmation()
            && !self
                .warnings
                .iter()
                .any(|w| w.series == series && w.from == row.from)
        {
            self.warnings.push(RateWarning {
                series: series.to_string(),
                from: row.from,
                rate: row.rate,
                status: row.status,
                source: row.source.clone(),
            });
        }
        Ok(row)
    }

    /// Reference rate + points, with its basis.
    fn reference_plus(
        &mut self,
        series: &str,
        reference_date: Date,
        points: Decimal,
    ) -> Result<(Decimal, RateBasis), LawError> {
        let row = self.read(series, reference_date)?;
        Ok((
            row.rate + points,
            RateBasis {
                series: Some(series.to_string()),
                reference_date: Some(reference_date),
                reference_rate: Some(row.rate),
                points,
                floor: None,
                floor_applied: false,
            },
        ))
    }

    /// An agreed French B2B rate for a half-year, raised to its floor of three times the
    /// legal rate "all other cases" of that half-year (L441-10 II). `reference` names the
    /// series the agreed rate itself was read from (the ECB rate), if any.
    fn floored(
        &mut self,
        half: HalfYear,
        agreed: Decimal,
        points: Decimal,
        reference: Option<(&str, Decimal)>,
    ) -> Result<(Decimal, RateBasis), LawError> {
        let legal = self.read(FR_LEGAL_OTHER, half.start())?;
        let floor = legal.rate * Decimal::from(3);
        let floor_applied = floor > agreed;
        let (series, reference_rate) = reference.unwrap_or((FR_LEGAL_OTHER, legal.rate));
        Ok((
            agreed.max(floor),
            RateBasis {
                series: Some(series.to_string()),
                reference_date: Some(half.start()),
                reference_rate: Some(reference_rate),
                points,
                floor: Some(floor),
                floor_applied,
            },
        ))
    }

    /// The annual rate (percent) for the period starting on `start`.
    fn rate_for(&mut self, start: Date, first_day: Date) -> Result<(Decimal, RateBasis), LawError> {
        let half = HalfYear::containing(start);
        match self.request.regime {
            Regime::FranceB2bStatutory { reading } => {
                let reference = match reading {
                    FrenchRateReading::PerHalfYear => half.start(),
                    FrenchRateReading::FrozenAtDueDate => {
                        HalfYear::containing(self.request.due_date).start()
                    }
                };
                self.reference_plus(ECB_MRO, reference, Decimal::TEN)
            }
            Regime::FranceB2bContractual { annual_rate } => {
                self.floored(half, annual_rate, Decimal::ZERO, None)
            }
            Regime::FranceB2bLegalMultiple { multiple } => {
                let legal = self.read(FR_LEGAL_OTHER, half.start())?;
                self.floored(half, legal.rate * multiple, Decimal::ZERO, None)
            }
            Regime::FranceB2bEcbPlus { points } => {
                let ecb = self.read(ECB_MRO, half.start())?;
                self.floored(half, ecb.rate + points, points, Some((ECB_MRO, ecb.rate)))
            }
            Regime::FranceLegal {
                category,
                judgment_enforceable_on,
            } => {
                let increased = match judgment_enforceable_on {
                    Some(enforceable) => start >= increase_starts(enforceable)?,
                    None => false,
                };
                let points = if increased {
                    Decimal::from(5)
                } else {
                    Decimal::ZERO
                };
                self.reference_plus(category.series(), half.start(), points)
            }
            Regime::GermanyB2b => self.reference_plus(DE_BASE_RATE, half.start(), Decimal::from(9)),
            Regime::GermanyB2c => self.reference_plus(DE_BASE_RATE, half.start(), Decimal::from(5)),
            Regime::UkCommercial => {
                // Fixed for the debt by the half-year in which interest starts.
                let first_half = HalfYear::containing(first_day);
                let reference = previous_day(first_half.start())?;
                self.reference_plus(UK_BANK_RATE, reference, Decimal::from(8))
            }
            Regime::FixedRate { annual_rate } => Ok((
                annual_rate,
                RateBasis {
                    series: None,
                    reference_date: None,
                    reference_rate: None,
                    points: Decimal::ZERO,
                    floor: None,
                    floor_applied: false,
                },
            )),
        }
    }
}
