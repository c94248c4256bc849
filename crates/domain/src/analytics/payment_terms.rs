//! The statutory table of payment terms of the management report (C. com. L441-14,
//! D441-6 and the ministerial model of the arrêté du 20 mars 2017): the invoices issued
//! that are unpaid at the closing date, by lateness bracket (variant I of D441-6), or the
//! invoices paid late during the financial year (variant II).
//!
//! Brackets of the model: 0 days (indicative), 1–30, 31–60, 61–90, 91 days and more, and
//! the total of 1 day and more. Per bracket: the number of invoices, their amount and its
//! share of the invoices issued in the financial year (the turnover of variant I, "the
//! total amount of invoices issued in the year" of variant II: the same figure, the
//! invoices of the claims issued between the year's first day and the closing).
//!
//! What Recouvre counts, so that every figure is computable from the ledger:
//! - amounts are TTC: the ledger holds invoices incl. VAT and no VAT split, so an HT
//!   table cannot be computed and is refused ([`AmountBasis`]);
//! - the invoice of a claim is its principal: invoice entries less credit notes; interest,
//!   the recovery indemnity and fees charged later are not invoices of the table;
//! - variant I, "unpaid at closing": a claim issued by the closing on which something is
//!   open at the end of that day; its amount is what is open, at most the principal;
//!   lateness is `closing − reference due date` (convention C3);
//! - variant II, "paid late during the year": a claim whose settlement (the day nothing is
//!   open any more, by a payment that day) falls in the year; its amount is the principal,
//!   its lateness `settlement day − reference due date`;
//! - the reference due date is the agreed one (contractual terms) or, with legal terms,
//!   60 days from the issue date (the cap of C. com. L441-10 I al. 2);
//! - claims under a dispute open at the closing are excluded from the brackets and
//!   counted apart (part B of the model), with the amount they would have shown.
//!
//! Amounts in different currencies are never added: one table per currency.

use super::{percent, period_sales, settlement};
use crate::book::Book;
use crate::date::{Date, day_number};
use crate::ids::ClaimId;
use crate::ledger::EntryKind;
use crate::money::{Currency, Money};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// Which table of D441-6.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermsVariant {
    /// D441-6 I: invoices issued, unpaid at the closing date, past their term.
    #[default]
    Unpaid,
    /// D441-6 II: invoices issued that were paid late during the financial year.
    PaidLate,
}

/// The payment terms lateness is measured from (part C of the model).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceTerms {
    /// Each invoice's agreed due date.
    #[default]
    Contractual,
    /// The legal cap: 60 days from the issue date (C. com. L441-10 I al. 2).
    Legal,
}

/// Whether amounts are incl. or excl. VAT. Only TTC can be computed: the ledger holds
/// invoices incl. VAT and no VAT split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountBasis {
    #[default]
    Ttc,
}

impl TermsVariant {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unpaid => "unpaid",
            Self::PaidLate => "paid-late",
        }
    }
}

impl ReferenceTerms {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Contractual => "contractual",
            Self::Legal => "legal",
        }
    }
}

impl fmt::Display for TermsVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ReferenceTerms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TermsVariant {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "unpaid" | "issued" | "i" => Ok(Self::Unpaid),
            "paid-late" | "paid_late" | "ii" => Ok(Self::PaidLate),
            _ => Err(format!(
                "{s:?} is not a variant: unpaid (D441-6 I, unpaid at the closing) or paid-late (D441-6 II, paid late during the year)"
            )),
        }
    }
}

impl FromStr for ReferenceTerms {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "contractual" => Ok(Self::Contractual),
            "legal" => Ok(Self::Legal),
            _ => Err(format!(
                "{s:?} is not a reference: contractual (each invoice's agreed due date) or legal (60 days from issue)"
            )),
        }
    }
}

impl FromStr for AmountBasis {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ttc" | "incl" => Ok(Self::Ttc),
            "ht" | "excl" => Err(
                "amounts excl. VAT (HT) cannot be computed: the ledger holds invoices incl. VAT (TTC) and no VAT split; use ttc".into(),
            ),
            _ => Err(format!("{s:?} is not an amount basis: ttc")),
        }
    }
}

/// The legal term of the `Legal` reference: 60 days from the issue date.
pub const LEGAL_TERM_DAYS: i32 = 60;

/// Number of columns: 0 days, 1–30, 31–60, 61–90, 91 and more.
pub const BRACKETS: usize = 5;

/// The column of a lateness in days: 0 for none (indicative), then 1–30, 31–60, 61–90,
/// 91 and more.
pub fn bracket(days_late: i32) -> usize {
    match days_late {
        ..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
    }
}

/// What the table is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentTermsQuery {
    /// First day of the financial year.
    pub year_start: Date,
    /// The closing date (last day of the financial year).
    pub closing: Date,
    pub variant: TermsVariant,
    pub reference: ReferenceTerms,
    pub basis: AmountBasis,
    /// Claims under a dispute open at the closing: excluded, counted apart.
    pub disputed: HashSet<ClaimId>,
}

/// One currency's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentTermsTable {
    pub currency: Currency,
    /// Invoices per bracket (0 days, 1–30, 31–60, 61–90, 91+).
    pub invoices: [u64; BRACKETS],
    pub amounts: [Money; BRACKETS],
    /// Share of the year's invoices, in percent to a tenth (`None` without any).
    pub shares: [Option<Decimal>; BRACKETS],
    /// Totals of 1 day and more.
    pub total_invoices: u64,
    pub total_amount: Money,
    pub total_share: Option<Decimal>,
    /// Part B: invoices excluded because disputed.
    pub excluded_invoices: u64,
    pub excluded_amount: Money,
    /// The invoices issued in the financial year: the denominator of the shares.
    pub year_invoices: Money,
}

/// The sums of one currency while the claims are read, in minor units.
#[derive(Default)]
struct Sums {
    invoices: [u64; BRACKETS],
    amounts: [i64; BRACKETS],
    excluded_invoices: u64,
    excluded_amount: i64,
}

impl Sums {
    fn table(self, currency: Currency, year_invoices: Money) -> PaymentTermsTable {
        let money = |minor: i64| Money::from_minor(minor, currency);
        let whole = i128::from(year_invoices.minor());
        let total: i64 = self.amounts[1..].iter().sum();
        PaymentTermsTable {
            currency,
            invoices: self.invoices,
            amounts: self.amounts.map(money),
            shares: self.amounts.map(|a| percent(i128::from(a), whole)),
            total_invoices: self.invoices[1..].iter().sum(),
            total_amount: money(total),
            total_share: percent(i128::from(total), whole),
            excluded_invoices: self.excluded_invoices,
            excluded_amount: money(self.excluded_amount),
            year_invoices,
        }
    }
}

/// The D441-6 table, one per currency (in currency code order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentTermsReport {
    pub variant: TermsVariant,
    pub reference: ReferenceTerms,
    pub basis: AmountBasis,
    pub year_start: Date,
    pub closing: Date,
    pub tables: Vec<PaymentTermsTable>,
}

/// Computes the D441-6 table of `book`.
pub fn payment_terms(book: &Book, q: &PaymentTermsQuery) -> PaymentTermsReport {
    let (start, closing) = (day_number(q.year_start), day_number(q.closing));
    let mut sums: BTreeMap<&'static str, (Currency, Sums)> = BTreeMap::new();
    for c in book.claims() {
        if c.issue_day > closing {
            continue;
        }
        let entries = book.entries_of(c);
        let principal: i64 = entries
            .iter()
            .filter(|e| e.day <= closing)
            .filter(|e| matches!(e.kind, EntryKind::Invoice | EntryKind::CreditNote))
            .map(|e| e.amount_minor)
            .sum();
        let (_, s) = sums
            .entry(c.currency.code())
            .or_insert_with(|| (c.currency, Sums::default()));
        let reference_due = match q.reference {
            ReferenceTerms::Contractual => c.due_day,
            ReferenceTerms::Legal => c.issue_day + LEGAL_TERM_DAYS,
        };
        let (amount, days_late) = match q.variant {
            TermsVariant::Unpaid => {
                let unpaid = book.open_minor(c, closing).min(principal);
                if unpaid <= 0 {
                    continue;
                }
                (unpaid, closing - reference_due)
            }
            TermsVariant::PaidLate => match settlement(book, c, closing) {
                Some((day, true)) if day >= start && principal > 0 => {
                    (principal, day - reference_due)
                }
                _ => continue,
            },
        };
        if q.disputed.contains(&c.id) {
            s.excluded_invoices += 1;
            s.excluded_amount += amount;
            continue;
        }
        let b = bracket(days_late);
        s.invoices[b] += 1;
        s.amounts[b] += amount;
    }
    // The denominator: what the KPIs call the credit sales of the year.
    let year = period_sales(book, q.year_start, q.closing);
    let tables = sums
        .into_values()
        .map(|(currency, s)| s.table(currency, year.get(currency)))
        .collect();
    PaymentTermsReport {
        variant: q.variant,
        reference: q.reference,
        basis: q.basis,
        year_start: q.year_start,
        closing: q.closing,
        tables,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failing unwrap is a failing test.
mod tests {
    use super::*;
    use crate::book::{BookEntry, ClaimHead};
    use crate::ids::DebtorId;
    use Currency::EUR;
    use EntryKind::{Interest, Invoice, Payment};
    use jiff::civil::date;

    fn dec(s: &str) -> Option<Decimal> {
        Some(s.parse().unwrap())
    }

    /// The portfolio of the tests, closing 2026-12-31, year from 2026-01-01 (EUR, cents):
    ///
    /// | claim | issued | due | ledger |
    /// | --- | --- | --- | --- |
    /// | 1 | 2026-10-01 | 2026-12-31 | invoice 1,000.00 |
    /// | 2 | 2026-11-01 | 2026-12-01 | invoice 500.00; paid 200.00 on 12-10 |
    /// | 3 | 2026-10-01 | 2026-11-30 | invoice 400.00 |
    /// | 4 | 2026-09-01 | 2026-10-02 | invoice 250.00; interest 10.00 on 12-01 |
    /// | 5 | 2025-06-01 | 2025-07-01 | invoice 2,000.00 |
    /// | 6 | 2026-08-01 | 2026-09-30 | invoice 800.00; paid 800.00 on 11-15 |
    /// | 7 | 2026-03-01 | 2026-03-31 | invoice 600.00 (disputed) |
    /// | 8 | 2026-02-01 | 2026-03-03 | invoice 300.00; paid 300.00 on 03-03 |
    /// | 9 | 2027-01-05 | 2027-02-04 | invoice 999.00 (after the closing) |
    /// | 10 | 2026-12-20 | 2027-02-18 | invoice 150.00 |
    /// | 11 | 2025-01-01 | 2025-01-31 | invoice 100.00; paid 100.00 on 2025-03-01 |
    ///
    /// Invoices issued in 2026: claims 1, 2, 3, 4, 6, 7, 8, 10 = 1,000 + 500 + 400 + 250
    /// + 800 + 600 + 300 + 150 = 4,000.00.
    fn book() -> Book {
        let claims = [
            (1, date(2026, 10, 1), date(2026, 12, 31)),
            (2, date(2026, 11, 1), date(2026, 12, 1)),
            (3, date(2026, 10, 1), date(2026, 11, 30)),
            (4, date(2026, 9, 1), date(2026, 10, 2)),
            (5, date(2025, 6, 1), date(2025, 7, 1)),
            (6, date(2026, 8, 1), date(2026, 9, 30)),
            (7, date(2026, 3, 1), date(2026, 3, 31)),
            (8, date(2026, 2, 1), date(2026, 3, 3)),
            (9, date(2027, 1, 5), date(2027, 2, 4)),
            (10, date(2026, 12, 20), date(2027, 2, 18)),
            (11, date(2025, 1, 1), date(2025, 1, 31)),
        ];
        let heads = claims
            .iter()
            .map(|&(id, issue, due)| ClaimHead {
                id: ClaimId(id),
                debtor_id: DebtorId(1),
                currency: EUR,
                issue_date: issue,
                due_date: due,
            })
            .collect();
        let issue = |id: i64| claims[usize::try_from(id - 1).unwrap()].1;
        let e = |id: i64, d: Date, kind: EntryKind, amount: i64| {
            (
                ClaimId(id),
                BookEntry {
                    day: day_number(d),
                    kind,
                    amount_minor: amount,
                },
            )
        };
        let entries = vec![
            e(1, issue(1), Invoice, 1_000_00),
            e(2, issue(2), Invoice, 500_00),
            e(2, date(2026, 12, 10), Payment, -200_00),
            e(3, issue(3), Invoice, 400_00),
            e(4, issue(4), Invoice, 250_00),
            e(4, date(2026, 12, 1), Interest, 10_00),
            e(5, issue(5), Invoice, 2_000_00),
            e(6, issue(6), Invoice, 800_00),
            e(6, date(2026, 11, 15), Payment, -800_00),
            e(7, issue(7), Invoice, 600_00),
            e(8, issue(8), Invoice, 300_00),
            e(8, date(2026, 3, 3), Payment, -300_00),
            e(9, issue(9), Invoice, 999_00),
            e(10, issue(10), Invoice, 150_00),
            e(11, issue(11), Invoice, 100_00),
            e(11, date(2025, 3, 1), Payment, -100_00),
        ];
        Book::from_sorted(heads, entries).unwrap()
    }

    fn query(variant: TermsVariant, reference: ReferenceTerms) -> PaymentTermsQuery {
        PaymentTermsQuery {
            year_start: date(2026, 1, 1),
            closing: date(2026, 12, 31),
            variant,
            reference,
            basis: AmountBasis::Ttc,
            disputed: HashSet::from([ClaimId(7)]),
        }
    }

    fn eur(minor: [i64; BRACKETS]) -> [Money; BRACKETS] {
        minor.map(|m| Money::from_minor(m, EUR))
    }

    #[test]
    fn brackets_of_the_model() {
        assert_eq!(bracket(-5), 0);
        assert_eq!(bracket(0), 0);
        assert_eq!(bracket(1), 1);
        assert_eq!(bracket(30), 1);
        assert_eq!(bracket(31), 2);
        assert_eq!(bracket(60), 2);
        assert_eq!(bracket(61), 3);
        assert_eq!(bracket(90), 3);
        assert_eq!(bracket(91), 4);
    }

    #[test]
    fn unpaid_at_closing_on_contractual_terms() {
        let r = payment_terms(
            &book(),
            &query(TermsVariant::Unpaid, ReferenceTerms::Contractual),
        );
        let [t] = r.tables.as_slice() else {
            panic!("{r:?}")
        };
        // Lateness = 2026-12-31 − due date:
        // 1: due 12-31 → 0 (indicative column), 1,000.00; 10: due 2027 → not yet due, 150.00;
        // 2: due 12-01 → 30 → 1–30, open 500 − 200 = 300.00;
        // 3: due 11-30 → 31 → 31–60, 400.00;
        // 4: due 10-02 → 29 + 30 + 31 = 90 → 61–90, 250.00 (the 10.00 interest is no invoice);
        // 5: due 2025-07-01 → 365 + 183 = 548 → 91+, 2,000.00;
        // 6, 8, 11 paid; 9 issued after the closing; 7 disputed: part B.
        assert_eq!(t.invoices, [2, 1, 1, 1, 1]);
        assert_eq!(t.amounts, eur([1_150_00, 300_00, 400_00, 250_00, 2_000_00]));
        assert_eq!(t.year_invoices, Money::from_minor(4_000_00, EUR));
        // Shares of 4,000.00: 28.75 → 28.8; 7.5; 10.0; 6.25 → 6.3; 50.0.
        assert_eq!(
            t.shares,
            [
                dec("28.8"),
                dec("7.5"),
                dec("10.0"),
                dec("6.3"),
                dec("50.0")
            ]
        );
        // Total of 1 day and more: 4 invoices, 2,950.00, 73.75 → 73.8 %.
        assert_eq!(t.total_invoices, 4);
        assert_eq!(t.total_amount, Money::from_minor(2_950_00, EUR));
        assert_eq!(t.total_share, dec("73.8"));
        assert_eq!(t.excluded_invoices, 1);
        assert_eq!(t.excluded_amount, Money::from_minor(600_00, EUR));
    }

    #[test]
    fn unpaid_at_closing_on_legal_terms() {
        let r = payment_terms(&book(), &query(TermsVariant::Unpaid, ReferenceTerms::Legal));
        let t = &r.tables[0];
        // Reference = issue + 60 days:
        // 1: 10-01 + 60 = 11-30 → 31 → 31–60 (1,000.00);
        // 2: 11-01 + 60 = 12-31 → 0 (300.00); 10: 2027-02-18 → 0 (150.00);
        // 3: 11-30 → 31 → 31–60 (400.00);
        // 4: 09-01 + 60 = 10-31 → 61 → 61–90 (250.00);
        // 5: 2025-06-01 + 60 = 2025-07-31 → 518 → 91+ (2,000.00).
        assert_eq!(t.invoices, [2, 0, 2, 1, 1]);
        assert_eq!(t.amounts, eur([450_00, 0, 1_400_00, 250_00, 2_000_00]));
        assert_eq!(t.total_amount, Money::from_minor(3_650_00, EUR));
        assert_eq!(r.reference, ReferenceTerms::Legal);
    }

    #[test]
    fn paid_late_during_the_year() {
        let r = payment_terms(
            &book(),
            &query(TermsVariant::PaidLate, ReferenceTerms::Contractual),
        );
        let t = &r.tables[0];
        // Settled by a payment in 2026: 6 on 11-15, due 09-30 → 31 + 15 = 46 → 31–60,
        // 800.00 (20.0 % of 4,000.00); 8 on its due date → 0 days, 300.00 (7.5 %).
        // 2 is only partly paid; 11 was settled in 2025.
        assert_eq!(t.invoices, [1, 0, 1, 0, 0]);
        assert_eq!(t.amounts, eur([300_00, 0, 800_00, 0, 0]));
        assert_eq!(t.shares[2], dec("20.0"));
        assert_eq!(t.shares[0], dec("7.5"));
        assert_eq!(t.total_invoices, 1);
        assert_eq!(t.total_share, dec("20.0"));
        // The disputed claim 7 is unpaid: nothing to exclude here.
        assert_eq!(t.excluded_invoices, 0);
    }

    #[test]
    fn options_parse_and_ht_is_refused() {
        assert_eq!("paid-late".parse(), Ok(TermsVariant::PaidLate));
        assert_eq!("issued".parse(), Ok(TermsVariant::Unpaid));
        assert_eq!("legal".parse(), Ok(ReferenceTerms::Legal));
        assert!("weekly".parse::<TermsVariant>().is_err());
        assert_eq!("TTC".parse(), Ok(AmountBasis::Ttc));
        let e = "ht".parse::<AmountBasis>().unwrap_err();
        assert!(e.contains("no VAT split"), "{e}");
    }
}
