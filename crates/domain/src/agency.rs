//! Agency mode: what a collection agency charges its client creditors and what it remits
//! to them (CPCE R124-3, R124-6; `shared/domain-rules.md` §5).
//!
//! A mandate ("mandat de recouvrement", R124-3 3° and 4°) says how the agency's fee is set
//! and when the funds collected are remitted. The fee terms modelled here are the ones
//! agencies' tariffs use:
//!
//! - a **commission**, a percentage of each amount collected: one rate, or a rate chosen
//!   by the **amount placed** of the file (bands of principal) or by the **age** of the
//!   claim when it was placed (days past due). The band is chosen once per file and its
//!   rate applies to the whole of each collection on it (it is not progressive);
//! - a **minimum** commission per collection ("minimum de perception"): a collection
//!   smaller than the minimum's worth pays the minimum, never more than the amount
//!   collected;
//! - a **fixed fee per file** placed ("frais d'ouverture"), charged on the statement of
//!   the period in which the file was placed;
//! - a **success fee** per file recovered in full, charged with the collection that
//!   settles it;
//! - VAT on the agency's fees (20 % in France by default), computed once per statement on
//!   the sum of its fees before tax.
//!
//! Every collection's commission is rounded half away from zero to the cent (convention
//! C1 of domain-rules.md); the VAT is rounded once on the statement. A payment reversed
//! after it was remitted comes back as a negative line whose commission is the negation of
//! the one charged on that payment (a reversal cancels one entry exactly), so the next
//! statement deducts exactly what was paid too much.
//!
//! Everything here is pure: the shell reads the ledger, the placements and the mandates and
//! passes them in.

use crate::date::{Date, days_between};
use crate::money::{Currency, Money, MoneyError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One band of a banded commission: files up to `up_to` (inclusive; `None`: no upper
/// bound) pay `rate` percent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// In minor units for an amount band, in days for an age band.
    pub up_to: Option<i64>,
    /// Percent of the amount collected (`12.5` for 12.5 %).
    pub rate: Decimal,
}

/// How the commission's rate is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Commission {
    /// One rate for every file.
    Flat { rate: Decimal },
    /// By the principal placed (bands in minor units, ascending).
    ByAmount { bands: Vec<Band> },
    /// By the days past due at placement (bands in days, ascending).
    ByAge { bands: Vec<Band> },
}

/// Why fee terms were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Money(#[from] MoneyError),
}

fn invalid(msg: String) -> FeeError {
    FeeError::Invalid(msg)
}

fn parse_rate(text: &str) -> Result<Decimal, FeeError> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let rate: Decimal = t.parse().map_err(|_| {
        invalid(crate::tr!(
            "{text:?} is not a percentage",
            "{text:?} n'est pas un pourcentage"
        ))
    })?;
    if rate < Decimal::ZERO || rate > Decimal::from(100) {
        return Err(invalid(crate::tr!(
            "a rate is between 0 and 100 %, not {rate}",
            "un taux est compris entre 0 et 100 %, pas {rate}"
        )));
    }
    Ok(rate)
}

impl Commission {
    /// Reads `15` or `15%` (flat), `amount:1000=15,5000=12,*=8` (by principal placed, in
    /// major units of `currency`) or `age:90=10,365=15,*=25` (by days past due). Bands
    /// ascend and end with `*` (everything above).
    pub fn parse(text: &str, currency: Currency) -> Result<Self, FeeError> {
        let text = text.trim();
        let (kind, rest) = match text.split_once(':') {
            Some((k, r)) => (k.trim().to_lowercase(), r),
            None => {
                return Ok(Commission::Flat {
                    rate: parse_rate(text)?,
                });
            }
        };
        let age = match kind.as_str() {
            "amount" | "montant" => false,
            "age" | "âge" => true,
            other => {
                return Err(invalid(crate::tr!(
                    "{other:?}: bands are by `amount` or `age`",
                    "{other:?} : les tranches sont par `amount` (montant) ou `age` (ancienneté)"
                )));
            }
        };
        let mut bands = Vec::new();
        for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (bound, rate) = part.split_once('=').ok_or_else(|| {
                invalid(crate::tr!(
                    "{part:?}: a band reads `up_to=rate` (`1000=15`, `*=8`)",
                    "{part:?} : une tranche s'écrit `plafond=taux` (`1000=15`, `*=8`)"
                ))
            })?;
            let bound = bound.trim();
            let up_to = if bound == "*" {
                None
            } else if age {
                Some(bound.parse::<i64>().map_err(|_| {
                    invalid(crate::tr!(
                        "{bound:?} is not a number of days",
                        "{bound:?} n'est pas un nombre de jours"
                    ))
                })?)
            } else {
                Some(Money::parse(bound, currency)?.minor())
            };
            bands.push(Band {
                up_to,
                rate: parse_rate(rate)?,
            });
        }
        let c = if age {
            Commission::ByAge { bands }
        } else {
            Commission::ByAmount { bands }
        };
        c.check()?;
        Ok(c)
    }

    /// Bands ascending, the last one open (`*`), at least one.
    pub fn check(&self) -> Result<(), FeeError> {
        let bands = match self {
            Commission::Flat { .. } => return Ok(()),
            Commission::ByAmount { bands } | Commission::ByAge { bands } => bands,
        };
        if bands.last().is_none_or(|b| b.up_to.is_some()) {
            return Err(invalid(crate::tr!(
                "the last band must be `*` (everything above the others)",
                "la dernière tranche doit être `*` (tout ce qui dépasse les autres)"
            )));
        }
        let bounds: Vec<i64> = bands.iter().filter_map(|b| b.up_to).collect();
        if bounds.len() + 1 != bands.len() || bounds.windows(2).any(|w| w[0] >= w[1]) {
            return Err(invalid(crate::tr!(
                "bands must ascend, one `*` last",
                "les tranches doivent être croissantes, une seule `*` en dernier"
            )));
        }
        Ok(())
    }

    /// The rate of a file placed with `principal` (minor units) `days_past_due` days after
    /// its due date.
    pub fn rate(&self, principal_minor: i64, days_past_due: i64) -> Decimal {
        let (bands, key) = match self {
            Commission::Flat { rate } => return *rate,
            Commission::ByAmount { bands } => (bands, principal_minor),
            Commission::ByAge { bands } => (bands, days_past_due),
        };
        bands
            .iter()
            .find(|b| b.up_to.is_none_or(|u| key <= u))
            .or(bands.last())
            .map_or(Decimal::ZERO, |b| b.rate)
    }

    /// As [`Commission::parse`] reads it (amounts in major units).
    pub fn describe(&self, currency: Currency) -> String {
        let bands = |prefix: &str, bands: &[Band], money: bool| {
            let parts: Vec<String> = bands
                .iter()
                .map(|b| {
                    let bound = match b.up_to {
                        None => "*".to_string(),
                        Some(v) if money => Money::from_minor(v, currency).amount_string(),
                        Some(v) => v.to_string(),
                    };
                    format!("{bound}={}", b.rate.normalize())
                })
                .collect();
            format!("{prefix}:{}", parts.join(","))
        };
        match self {
            Commission::Flat { rate } => format!("{}%", rate.normalize()),
            Commission::ByAmount { bands: b } => bands("amount", b, true),
            Commission::ByAge { bands: b } => bands("age", b, false),
        }
    }
}

/// How the agency is paid by one client (R124-3 3°).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTerms {
    pub commission: Commission,
    /// The least commission on one collection (never more than the collection).
    pub minimum: Option<Money>,
    /// Charged once per file placed, on the statement of the period it was placed in.
    pub file_fee: Option<Money>,
    /// Charged once per file recovered in full, with the collection that settles it.
    pub success_fee: Option<Money>,
    /// VAT on the fees, percent (20 in France).
    pub vat_rate: Decimal,
}

impl FeeTerms {
    /// The commission on `amount` collected on a file of that rate: rounded to the cent,
    /// at least the minimum but never more than the amount; a negative amount (a payment
    /// reversed after it was remitted) gives the negated commission of its magnitude.
    pub fn commission(&self, rate: Decimal, amount: Money) -> Result<Money, FeeError> {
        if amount.is_negative() {
            return Ok(self.commission(rate, amount.abs())?.negated());
        }
        let raw = amount.to_decimal() * rate / Decimal::from(100);
        let mut c = Money::from_decimal_rounded(raw, amount.currency())?;
        if let Some(min) = self.minimum
            && min.currency() == amount.currency()
            && c.minor() < min.minor()
        {
            c = min;
        }
        Ok(c.min(amount)?)
    }
}

/// A file as the fee terms see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedFile {
    pub claim: crate::ClaimId,
    pub placed_on: Date,
    /// The principal placed, minor units.
    pub principal_minor: i64,
    pub due_date: Date,
}

impl PlacedFile {
    pub fn days_past_due(&self) -> i64 {
        i64::from(days_between(self.due_date, self.placed_on)).max(0)
    }
}

/// One amount collected (or given back) on a placed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub claim: crate::ClaimId,
    /// The ledger entry: its `seq` in the claim's ledger.
    pub seq: u32,
    pub date: Date,
    /// Positive: collected; negative: a remitted payment reversed.
    pub amount: Money,
    /// The claim's balance was above zero before this entry and at or below after it.
    pub settles: bool,
}

/// One line of a remittance statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub claim: crate::ClaimId,
    pub seq: u32,
    pub date: Date,
    pub amount: Money,
    pub rate: Decimal,
    pub commission: Money,
    /// The success fee this collection earns (it settled the file).
    pub success_fee: Option<Money>,
}

/// What the agency owes one client for a period, and what the client owes the agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub lines: Vec<StatementLine>,
    /// Files placed in the period, each charged the fixed fee.
    pub files_charged: Vec<crate::ClaimId>,
    pub collected: Money,
    pub commission: Money,
    pub file_fees: Money,
    pub success_fees: Money,
    /// Commission and fees before tax.
    pub fees_net: Money,
    pub vat: Money,
    /// Fees with VAT: the agency's invoice.
    pub fees_gross: Money,
    /// What the agency pays the client (collected minus fees with VAT, never below 0).
    pub to_remit: Money,
    /// What the client owes the agency when the fees exceed what was collected.
    pub client_owes: Money,
    /// The earliest collection of the statement: the funds are due a month after it
    /// (R124-6).
    pub earliest: Option<Date>,
}

/// The statement of `collections` on `files` with the fixed fee charged for
/// `placed_in_period` (claims), under `terms`, in `currency`. Collections in another
/// currency are refused (a mandate is in one currency).
pub fn statement(
    terms: &FeeTerms,
    currency: Currency,
    files: &[PlacedFile],
    collections: &[Collection],
    placed_in_period: &[crate::ClaimId],
) -> Result<Statement, FeeError> {
    let zero = Money::zero(currency);
    let mut lines = Vec::with_capacity(collections.len());
    let (mut collected, mut commission, mut success) = (zero, zero, zero);
    let by_claim: std::collections::HashMap<crate::ClaimId, &PlacedFile> =
        files.iter().map(|f| (f.claim, f)).collect();
    for c in collections {
        if c.amount.currency() != currency {
            return Err(invalid(crate::tr!(
                "a collection in {} on a mandate in {currency}",
                "un encaissement en {} sur un mandat en {currency}",
                c.amount.currency()
            )));
        }
        let file = by_claim.get(&c.claim).ok_or_else(|| {
            invalid(crate::tr!(
                "claim {} is not placed under this mandate",
                "la créance {} n'est pas confiée au titre de ce mandat",
                c.claim.0
            ))
        })?;
        let rate = terms
            .commission
            .rate(file.principal_minor, file.days_past_due());
        let com = terms.commission(rate, c.amount)?;
        let fee = match (c.settles, terms.success_fee) {
            (true, Some(f)) if c.amount.is_positive() => Some(f),
            _ => None,
        };
        collected = collected.checked_add(c.amount)?;
        commission = commission.checked_add(com)?;
        if let Some(f) = fee {
            success = success.checked_add(f)?;
        }
        lines.push(StatementLine {
            claim: c.claim,
            seq: c.seq,
            date: c.date,
            amount: c.amount,
            rate,
            commission: com,
            success_fee: fee,
        });
    }
    let per_file = terms.file_fee.unwrap_or(zero);
    let file_fees = Money::from_minor(
        per_file
            .minor()
            .checked_mul(placed_in_period.len() as i64)
            .ok_or(MoneyError::Overflow)?,
        currency,
    );
    let fees_net = commission.checked_add(file_fees)?.checked_add(success)?;
    let vat = Money::from_decimal_rounded(
        fees_net.to_decimal() * terms.vat_rate / Decimal::from(100),
        currency,
    )?;
    let fees_gross = fees_net.checked_add(vat)?;
    let balance = collected.checked_sub(fees_gross)?;
    let (to_remit, client_owes) = if balance.is_negative() {
        (zero, balance.negated())
    } else {
        (balance, zero)
    };
    Ok(Statement {
        earliest: collections
            .iter()
            .filter(|c| c.amount.is_positive())
            .map(|c| c.date)
            .min(),
        lines,
        files_charged: placed_in_period.to_vec(),
        collected,
        commission,
        file_fees,
        success_fees: success,
        fees_net,
        vat,
        fees_gross,
        to_remit,
        client_owes,
    })
}

/// The day funds collected on `collected_on` must have been remitted: `months` months
/// later (one by default, R124-6), the last day of the month when the day does not exist.
pub fn remit_by(collected_on: Date, months: i8) -> Date {
    collected_on
        .checked_add(jiff::Span::new().months(months))
        .unwrap_or(collected_on)
}

/// Whether a payment must be reported to the client (R124-5): every payment, even
/// partial, except one that follows a payment plan the client already knows.
pub fn must_inform_client(under_known_plan: bool) -> bool {
    !under_known_plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClaimId;

    fn eur(s: &str) -> Money {
        Money::parse(s, Currency::EUR).unwrap()
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn bands_parse_and_choose_the_file_band() {
        let c = Commission::parse("amount:1000=15,5000=12,*=8", Currency::EUR).unwrap();
        // 1 000.00 is in the first band (inclusive), 1 000.01 in the second.
        assert_eq!(c.rate(100_000, 0), dec("15"));
        assert_eq!(c.rate(100_001, 0), dec("12"));
        assert_eq!(c.rate(500_000, 0), dec("12"));
        assert_eq!(c.rate(1_200_000, 0), dec("8"));
        assert_eq!(
            c.describe(Currency::EUR),
            "amount:1000.00=15,5000.00=12,*=8"
        );
        let a = Commission::parse("age:90=10,365=15,*=25", Currency::EUR).unwrap();
        assert_eq!(a.rate(1, 90), dec("10"));
        assert_eq!(a.rate(1, 91), dec("15"));
        assert_eq!(a.rate(1, 400), dec("25"));
        assert_eq!(
            Commission::parse("12,5 %", Currency::EUR).unwrap(),
            Commission::Flat { rate: dec("12.5") }
        );
        assert!(Commission::parse("amount:1000=15,500=12,*=8", Currency::EUR).is_err());
        assert!(Commission::parse("amount:1000=15", Currency::EUR).is_err());
        assert!(Commission::parse("age:90=110,*=5", Currency::EUR).is_err());
        assert!(Commission::parse("weight:9=1,*=2", Currency::EUR).is_err());
    }

    /// Worked by hand: bands 15 % up to €1,000, 12 % up to €5,000, 8 % above; minimum
    /// €10 per collection; €15 per file placed; €50 per file recovered in full; VAT 20 %.
    ///
    /// - file 1, €800 placed: €300.00 → 15 % = 45.00; then €20.00 → 3.00, raised to the
    ///   minimum 10.00; then €480.00 settling it → 72.00 and the success fee 50.00;
    /// - file 2, €4,200 placed: €1,234.56 → 12 % = 148.1472 → 148.15;
    /// - file 3, €12,000 placed: €5,000.00 → 8 % = 400.00; then the reversal of an earlier
    ///   remitted payment of €5.00, whose commission was 0.40 raised to the minimum and
    ///   capped at the €5.00 collected: −5.00 given back;
    /// - files 2 and 3 placed in the period: 2 × 15.00 = 30.00.
    ///
    /// Collected 300 + 20 + 480 + 1 234.56 + 5 000 − 5 = 7 029.56. Commission
    /// 45 + 10 + 72 + 148.15 + 400 − 5 = 670.15. Fees before tax 670.15 + 30 + 50 = 750.15;
    /// VAT 20 % of it 150.03; with VAT 900.18. To remit 7 029.56 − 900.18 = 6 129.38.
    #[test]
    fn a_statement_to_the_cent() {
        let terms = FeeTerms {
            commission: Commission::parse("amount:1000=15,5000=12,*=8", Currency::EUR).unwrap(),
            minimum: Some(eur("10")),
            file_fee: Some(eur("15")),
            success_fee: Some(eur("50")),
            vat_rate: dec("20"),
        };
        let file = |id, principal: &str| PlacedFile {
            claim: ClaimId(id),
            placed_on: d("2026-03-02"),
            principal_minor: eur(principal).minor(),
            due_date: d("2026-01-15"),
        };
        let files = [file(1, "800"), file(2, "4200"), file(3, "12000")];
        let col = |id, seq, amount: &str, settles| Collection {
            claim: ClaimId(id),
            seq,
            date: d("2026-03-10"),
            amount: eur(amount),
            settles,
        };
        let collections = [
            col(1, 2, "300", false),
            col(1, 3, "20", false),
            col(1, 4, "480", true),
            col(2, 2, "1234.56", false),
            col(3, 2, "5000", false),
            col(3, 5, "-5", false),
        ];
        let s = statement(
            &terms,
            Currency::EUR,
            &files,
            &collections,
            &[ClaimId(2), ClaimId(3)],
        )
        .unwrap();
        let commissions: Vec<String> = s
            .lines
            .iter()
            .map(|l| l.commission.amount_string())
            .collect();
        assert_eq!(
            commissions,
            ["45.00", "10.00", "72.00", "148.15", "400.00", "-5.00"]
        );
        assert_eq!(s.collected, eur("7029.56"));
        assert_eq!(s.commission, eur("670.15"));
        assert_eq!(s.file_fees, eur("30"));
        assert_eq!(s.success_fees, eur("50"));
        assert_eq!(s.fees_net, eur("750.15"));
        assert_eq!(s.vat, eur("150.03"));
        assert_eq!(s.fees_gross, eur("900.18"));
        assert_eq!(s.to_remit, eur("6129.38"));
        assert_eq!(s.client_owes, eur("0"));
        assert_eq!(s.earliest, Some(d("2026-03-10")));
    }

    /// Fees above what was collected: nothing to remit, the client owes the difference.
    /// €30 collected at 15 % = 4.50, minimum 10.00; file fee 25.00; fees 35.00 + VAT 7.00
    /// = 42.00; the client owes 12.00.
    #[test]
    fn fees_above_the_collections_are_owed_by_the_client() {
        let terms = FeeTerms {
            commission: Commission::Flat { rate: dec("15") },
            minimum: Some(eur("10")),
            file_fee: Some(eur("25")),
            success_fee: None,
            vat_rate: dec("20"),
        };
        let files = [PlacedFile {
            claim: ClaimId(7),
            placed_on: d("2026-03-02"),
            principal_minor: 50_000,
            due_date: d("2026-02-01"),
        }];
        let s = statement(
            &terms,
            Currency::EUR,
            &files,
            &[Collection {
                claim: ClaimId(7),
                seq: 2,
                date: d("2026-03-20"),
                amount: eur("30"),
                settles: false,
            }],
            &[ClaimId(7)],
        )
        .unwrap();
        assert_eq!(s.fees_gross, eur("42"));
        assert_eq!(s.to_remit, eur("0"));
        assert_eq!(s.client_owes, eur("12"));
        // The minimum is never more than the collection: €4 collected pays €4.
        assert_eq!(
            terms.commission(dec("15"), eur("4")).unwrap(),
            eur("4"),
            "a minimum above the collection takes the collection, not more"
        );
    }

    #[test]
    fn a_collection_outside_the_mandate_or_in_another_currency_is_refused() {
        let terms = FeeTerms {
            commission: Commission::Flat { rate: dec("10") },
            minimum: None,
            file_fee: None,
            success_fee: None,
            vat_rate: dec("20"),
        };
        let c = Collection {
            claim: ClaimId(9),
            seq: 1,
            date: d("2026-03-20"),
            amount: eur("30"),
            settles: false,
        };
        assert!(statement(&terms, Currency::EUR, &[], std::slice::from_ref(&c), &[]).is_err());
        let gbp = Collection {
            amount: Money::parse("30", Currency::GBP).unwrap(),
            ..c
        };
        assert!(statement(&terms, Currency::EUR, &[], &[gbp], &[]).is_err());
    }

    #[test]
    fn funds_are_due_a_month_after_collection() {
        assert_eq!(remit_by(d("2026-03-10"), 1), d("2026-04-10"));
        assert_eq!(remit_by(d("2026-01-31"), 1), d("2026-02-28"));
        assert!(must_inform_client(false));
        assert!(!must_inform_client(true));
    }
}
