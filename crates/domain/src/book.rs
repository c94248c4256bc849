//! The book: the whole ledger of a portfolio in a compact, in-memory form — each claim's
//! due date and its dated amounts — from which every portfolio figure is computed (open
//! balances, overdue amounts, the aged balance, debtor positions) as of any date.
//!
//! Computing in memory from the ledger, rather than keeping running balances in the
//! database, is what lets every figure be reconstructed for a past date and reconcile to
//! the cent: a million claims take milliseconds.

use crate::aging::{AgedBalance, Buckets};
use crate::date::{Date, day_number};
use crate::ids::{ClaimId, DebtorId};
use crate::ledger::EntryKind;
use crate::money::{Currency, Totals};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

/// One claim in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookClaim {
    pub id: ClaimId,
    pub debtor_id: DebtorId,
    pub currency: Currency,
    pub issue_day: i32,
    pub due_day: i32,
    entries: Range<u32>,
}

/// One dated amount of a claim's ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookEntry {
    pub day: i32,
    pub kind: EntryKind,
    pub amount_minor: i64,
}

/// A claim's head as the store reads it, before its entries are attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimHead {
    pub id: ClaimId,
    pub debtor_id: DebtorId,
    pub currency: Currency,
    pub issue_date: Date,
    pub due_date: Date,
}

/// The whole ledger of a portfolio, claims in id order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    claims: Vec<BookClaim>,
    entries: Vec<BookEntry>,
}

impl Book {
    /// Builds a book from claims sorted by id and entries sorted by claim id (then seq).
    /// Entries of a claim that is not in `claims` are an error: the two reads disagree.
    pub fn from_sorted(
        heads: Vec<ClaimHead>,
        entries: impl IntoIterator<Item = (ClaimId, BookEntry)>,
    ) -> Result<Self, String> {
        let mut claims: Vec<BookClaim> = heads
            .into_iter()
            .map(|h| BookClaim {
                id: h.id,
                debtor_id: h.debtor_id,
                currency: h.currency,
                issue_day: day_number(h.issue_date),
                due_day: day_number(h.due_date),
                entries: 0..0,
            })
            .collect();
        if claims.windows(2).any(|w| w[0].id >= w[1].id) {
            return Err("claims are not sorted by id".into());
        }
        let mut out = Vec::new();
        let mut ci = 0usize;
        for (claim_id, entry) in entries {
            while ci < claims.len() && claims[ci].id < claim_id {
                ci += 1;
            }
            let Some(claim) = claims.get_mut(ci).filter(|c| c.id == claim_id) else {
                return Err(format!(
                    "ledger entry of unknown or unsorted claim {claim_id}"
                ));
            };
            let at = u32::try_from(out.len()).map_err(|_| "more than 4 billion entries")?;
            if claim.entries.is_empty() {
                claim.entries = at..at;
            }
            claim.entries.end = at + 1;
            out.push(entry);
        }
        Ok(Self {
            claims,
            entries: out,
        })
    }

    /// One claim, by id (claims are in id order: a binary search).
    pub fn claim(&self, id: ClaimId) -> Option<&BookClaim> {
        self.claims
            .binary_search_by_key(&id, |c| c.id)
            .ok()
            .map(|i| &self.claims[i])
    }

    /// The payments posted on `claims`: (day, amount paid), in claim then ledger order.
    pub fn payments_on(&self, claims: &[ClaimId]) -> Vec<(Date, crate::money::Money)> {
        let mut out = Vec::new();
        for c in claims.iter().filter_map(|id| self.claim(*id)) {
            for e in self
                .entries_of(c)
                .iter()
                .filter(|e| e.kind == EntryKind::Payment)
            {
                if let Some(day) = crate::date::date_of_day(e.day) {
                    out.push((
                        day,
                        crate::money::Money::from_minor(e.amount_minor.abs(), c.currency),
                    ));
                }
            }
        }
        out
    }

    pub fn claims(&self) -> &[BookClaim] {
        &self.claims
    }

    pub fn len(&self) -> usize {
        self.claims.len()
    }

    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    pub fn entries_of(&self, claim: &BookClaim) -> &[BookEntry] {
        &self.entries[claim.entries.start as usize..claim.entries.end as usize]
    }

    /// What is open on `claim` at the end of day `as_of_day`.
    pub fn open_minor(&self, claim: &BookClaim, as_of_day: i32) -> i64 {
        self.entries_of(claim)
            .iter()
            .filter(|e| e.day <= as_of_day)
            .map(|e| e.amount_minor)
            .sum()
    }

    /// The aged balance as of a date: every claim with something open, by bucket.
    pub fn aged_balance(&self, as_of: Date, buckets: &Buckets) -> AgedBalance {
        let day = day_number(as_of);
        let mut aged = AgedBalance::new(buckets.clone());
        for c in &self.claims {
            if c.issue_day > day {
                continue;
            }
            aged.add(c.currency, day - c.due_day, self.open_minor(c, day));
        }
        aged
    }

    /// Every debtor's position as of a date.
    pub fn positions(&self, as_of: Date) -> HashMap<DebtorId, Position> {
        let day = day_number(as_of);
        let mut out: HashMap<DebtorId, Position> = HashMap::new();
        for c in &self.claims {
            if c.issue_day > day {
                continue;
            }
            let open = self.open_minor(c, day);
            let p = out.entry(c.debtor_id).or_default();
            p.claims += 1;
            if open > 0 {
                p.open_claims += 1;
                p.open.add_minor(c.currency, open);
                let late = day - c.due_day;
                if late > 0 {
                    p.overdue_claims += 1;
                    p.overdue.add_minor(c.currency, open);
                    p.oldest_days_late = p.oldest_days_late.max(late);
                }
            }
        }
        out
    }
}

/// What one debtor owes on a date, summed over its claims.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    pub claims: u32,
    pub open_claims: u32,
    pub overdue_claims: u32,
    #[serde(skip)]
    pub open: Totals,
    #[serde(skip)]
    pub overdue: Totals,
    /// Days past due of the oldest overdue claim (0 when none is overdue).
    pub oldest_days_late: i32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::{EUR, GBP};
    use jiff::civil::date;

    fn head(id: i64, debtor: i64, cur: Currency, due: Date) -> ClaimHead {
        ClaimHead {
            id: ClaimId(id),
            debtor_id: DebtorId(debtor),
            currency: cur,
            issue_date: date(2026, 1, 1),
            due_date: due,
        }
    }

    fn e(claim: i64, d: Date, kind: EntryKind, amount: i64) -> (ClaimId, BookEntry) {
        (
            ClaimId(claim),
            BookEntry {
                day: day_number(d),
                kind,
                amount_minor: amount,
            },
        )
    }

    fn sample() -> Book {
        Book::from_sorted(
            vec![
                head(1, 10, EUR, date(2026, 2, 1)),
                head(2, 10, EUR, date(2026, 4, 1)),
                head(3, 11, GBP, date(2026, 1, 15)),
                head(4, 11, EUR, date(2026, 1, 31)),
            ],
            vec![
                e(1, date(2026, 1, 1), EntryKind::Invoice, 100_00),
                e(1, date(2026, 2, 20), EntryKind::Payment, -40_00),
                e(2, date(2026, 1, 1), EntryKind::Invoice, 250_00),
                e(3, date(2026, 1, 1), EntryKind::Invoice, 70_00),
                e(4, date(2026, 1, 1), EntryKind::Invoice, 30_00),
                e(4, date(2026, 2, 10), EntryKind::Payment, -30_00),
            ],
        )
        .unwrap()
    }

    #[test]
    fn aged_balance_as_of_two_dates() {
        let book = sample();
        // As of 2026-02-15: claim 1 is 14 days late with 100.00 open (the payment comes on
        // 02-20); claim 2 not due, 250.00; claim 3 31 days late, 70.00 GBP; claim 4 paid.
        let a = book.aged_balance(date(2026, 2, 15), &Buckets::default());
        assert_eq!(a.rows[0].amount.get(EUR).minor(), 250_00);
        assert_eq!(a.rows[1].amount.get(EUR).minor(), 100_00);
        assert_eq!(a.rows[2].amount.get(GBP).minor(), 70_00);
        assert_eq!(a.open_claims(), 3);
        // As of 2026-03-01: claim 1 has 60.00 open, 28 days late.
        let b = book.aged_balance(date(2026, 3, 1), &Buckets::default());
        assert_eq!(b.rows[1].amount.get(EUR).minor(), 60_00);
        assert_eq!(b.total().get(EUR).minor(), 310_00);
    }

    #[test]
    fn positions_by_debtor() {
        let p = sample().positions(date(2026, 2, 15));
        let d10 = &p[&DebtorId(10)];
        assert_eq!((d10.claims, d10.open_claims, d10.overdue_claims), (2, 2, 1));
        assert_eq!(d10.open.get(EUR).minor(), 350_00);
        assert_eq!(d10.overdue.get(EUR).minor(), 100_00);
        assert_eq!(d10.oldest_days_late, 14);
        let d11 = &p[&DebtorId(11)];
        assert_eq!(d11.open_claims, 1);
        assert_eq!(d11.oldest_days_late, 31);
    }

    #[test]
    fn unsorted_input_is_refused() {
        let err = Book::from_sorted(
            vec![
                head(2, 1, EUR, date(2026, 1, 1)),
                head(1, 1, EUR, date(2026, 1, 1)),
            ],
            vec![],
        );
        assert!(err.is_err());
        let err = Book::from_sorted(
            vec![head(1, 1, EUR, date(2026, 1, 1))],
            vec![e(5, date(2026, 1, 1), EntryKind::Invoice, 1)],
        );
        assert!(err.is_err());
    }
}
