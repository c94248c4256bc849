//! The claim ledger: an append-only list of dated, signed entries. Every balance Recouvre
//! shows is the sum of the entries in force on a date; nothing is ever overwritten. A
//! mistake is undone by a `Reversal` entry that cancels one earlier entry exactly, so the
//! history that a court or an auditor reads stays whole.
//!
//! Sign convention: a positive amount increases what the debtor owes (invoice, interest,
//! indemnity, fee); a negative one decreases it (credit note, payment allocation,
//! write-off). Callers give magnitudes; the ledger applies the sign of the kind.

use crate::claim::Claim;
use crate::date::{Date, days_between};
use crate::money::{Currency, Money, MoneyError};
use crate::party::text_enum;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// The amount of the title itself (principal).
    Invoice,
    /// A credit note ("avoir") reducing the principal.
    CreditNote,
    /// The part of a received payment allocated to this claim.
    Payment,
    /// Late-payment interest claimed.
    Interest,
    /// Fixed recovery indemnity (€40 in France and Germany).
    Indemnity,
    /// Collection costs or other fees charged to the debtor.
    Fee,
    /// The creditor gives up the rest ("passage en perte").
    WriteOff,
    /// Cancels one earlier entry exactly.
    Reversal,
}

text_enum!(EntryKind {
    Invoice => "invoice",
    CreditNote => "credit_note",
    Payment => "payment",
    Interest => "interest",
    Indemnity => "indemnity",
    Fee => "fee",
    WriteOff => "write_off",
    Reversal => "reversal",
});

impl EntryKind {
    /// +1 for kinds that increase the debt, -1 for those that reduce it. A reversal takes
    /// the opposite sign of the entry it cancels, so it has none of its own.
    pub fn sign(self) -> Option<i64> {
        match self {
            EntryKind::Invoice | EntryKind::Interest | EntryKind::Indemnity | EntryKind::Fee => {
                Some(1)
            }
            EntryKind::CreditNote | EntryKind::Payment | EntryKind::WriteOff => Some(-1),
            EntryKind::Reversal => None,
        }
    }

    /// Kinds that settle part of what is open: they can never take more than is open.
    pub fn is_allocation(self) -> bool {
        matches!(
            self,
            EntryKind::CreditNote | EntryKind::Payment | EntryKind::WriteOff
        )
    }
}

/// One line of a claim's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Position in the claim's ledger, from 1: the entry's identity within the claim.
    pub seq: u32,
    pub kind: EntryKind,
    /// Signed amount in minor units of the ledger's currency.
    pub amount_minor: i64,
    /// The date the entry takes effect (value date of a payment, issue date of an invoice).
    pub date: Date,
    /// For a reversal: the `seq` of the entry it cancels.
    pub reverses: Option<u32>,
    /// Free reference: payment id, credit-note number, import line.
    pub reference: Option<String>,
}

/// Why an entry was refused. The ledger is unchanged after any error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error("an entry amount must be positive (the kind gives the sign), got {0}")]
    NotPositive(Money),
    #[error("{kind} of {amount} exceeds the open balance {open}")]
    ExceedsOpen {
        kind: EntryKind,
        amount: Money,
        open: Money,
    },
    #[error("entry {0} does not exist")]
    NoSuchEntry(u32),
    #[error("entry {0} is already reversed")]
    AlreadyReversed(u32),
    #[error("entry {0} is a reversal; reversals are not reversed")]
    ReversalOfReversal(u32),
    #[error("use reverse() to post a reversal")]
    ReversalNeedsTarget,
}

/// The ledger of one claim, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimLedger {
    currency: Currency,
    entries: Vec<LedgerEntry>,
}

impl ClaimLedger {
    pub fn new(currency: Currency) -> Self {
        Self {
            currency,
            entries: Vec::new(),
        }
    }

    /// Rebuilds a ledger from stored entries (in `seq` order), trusting them as they are:
    /// they were validated when posted.
    pub fn from_entries(currency: Currency, mut entries: Vec<LedgerEntry>) -> Self {
        entries.sort_by_key(|e| e.seq);
        Self { currency, entries }
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    fn money(&self, minor: i64) -> Money {
        Money::from_minor(minor, self.currency)
    }

    /// The balance with every entry: what is open today if no entry is post-dated.
    pub fn balance(&self) -> Money {
        self.money(self.entries.iter().map(|e| e.amount_minor).sum())
    }

    /// The balance as it stood at the end of `as_of`: entries dated later are ignored.
    pub fn balance_as_of(&self, as_of: Date) -> Money {
        self.money(
            self.entries
                .iter()
                .filter(|e| e.date <= as_of)
                .map(|e| e.amount_minor)
                .sum(),
        )
    }

    /// The sum of the entries of one kind as of a date, reversals of them included.
    pub fn total_of(&self, kind: EntryKind, as_of: Date) -> Money {
        let mut sum = 0;
        for e in self.entries.iter().filter(|e| e.date <= as_of) {
            let effective_kind = match e.reverses {
                Some(target) => self.entry(target).map(|t| t.kind),
                None => Some(e.kind),
            };
            if effective_kind == Some(kind) {
                sum += e.amount_minor;
            }
        }
        self.money(sum)
    }

    pub fn entry(&self, seq: u32) -> Option<&LedgerEntry> {
        // seq is 1-based and dense: direct index, with a scan as fallback for stored data.
        self.entries
            .get((seq as usize).wrapping_sub(1))
            .filter(|e| e.seq == seq)
            .or_else(|| self.entries.iter().find(|e| e.seq == seq))
    }

    fn next_seq(&self) -> u32 {
        self.entries.last().map_or(1, |e| e.seq + 1)
    }

    /// Appends an entry of `kind` for the magnitude `amount`, dated `date`. Allocations
    /// (payments, credit notes, write-offs) may not exceed the open balance: an
    /// over-payment is kept as a credit on the debtor, never as a negative claim.
    pub fn post(
        &mut self,
        kind: EntryKind,
        amount: Money,
        date: Date,
        reference: Option<String>,
    ) -> Result<&LedgerEntry, LedgerError> {
        let sign = kind.sign().ok_or(LedgerError::ReversalNeedsTarget)?;
        if amount.currency() != self.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, amount.currency()).into());
        }
        if !amount.is_positive() {
            return Err(LedgerError::NotPositive(amount));
        }
        if kind.is_allocation() {
            let open = self.balance();
            if amount.minor() > open.minor() {
                return Err(LedgerError::ExceedsOpen { kind, amount, open });
            }
        }
        let seq = self.next_seq();
        self.entries.push(LedgerEntry {
            seq,
            kind,
            amount_minor: sign * amount.minor(),
            date,
            reverses: None,
            reference,
        });
        Ok(self.entries.last().expect("an entry was just pushed"))
    }

    /// Cancels entry `seq` exactly, as of `date`.
    pub fn reverse(
        &mut self,
        seq: u32,
        date: Date,
        reference: Option<String>,
    ) -> Result<&LedgerEntry, LedgerError> {
        let target = self.entry(seq).ok_or(LedgerError::NoSuchEntry(seq))?;
        if target.kind == EntryKind::Reversal {
            return Err(LedgerError::ReversalOfReversal(seq));
        }
        if self.entries.iter().any(|e| e.reverses == Some(seq)) {
            return Err(LedgerError::AlreadyReversed(seq));
        }
        let amount_minor = -target.amount_minor;
        let next = self.next_seq();
        self.entries.push(LedgerEntry {
            seq: next,
            kind: EntryKind::Reversal,
            amount_minor,
            date,
            reverses: Some(seq),
            reference,
        });
        Ok(self.entries.last().expect("an entry was just pushed"))
    }

    /// The principal the title carries now: invoices less credit notes, reversals counted.
    pub fn principal(&self, as_of: Date) -> Money {
        let inv = self.total_of(EntryKind::Invoice, as_of);
        let cn = self.total_of(EntryKind::CreditNote, as_of);
        self.money(inv.minor() + cn.minor())
    }

    /// Where the claim stands at the end of `as_of`.
    pub fn status(&self, claim: &Claim, as_of: Date) -> ClaimStatus {
        let open = self.balance_as_of(as_of).minor();
        if open < 0 {
            return ClaimStatus::Credit;
        }
        if open == 0 {
            let closed_by_write_off = self
                .entries
                .iter()
                .rfind(|e| e.date <= as_of && e.kind.is_allocation())
                .is_some_and(|e| e.kind == EntryKind::WriteOff);
            return if closed_by_write_off {
                ClaimStatus::WrittenOff
            } else {
                ClaimStatus::Settled
            };
        }
        let days = days_between(claim.due_date, as_of);
        if days > 0 {
            ClaimStatus::Overdue { days }
        } else {
            ClaimStatus::NotDue
        }
    }
}

/// The state of a claim on a date, derived from its ledger and due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Open, due date not passed.
    NotDue,
    /// Open and `days` days past the due date (1 on the day after it).
    Overdue { days: i32 },
    /// Nothing open: paid or credited in full.
    Settled,
    /// Nothing open, the last settling entry a write-off.
    WrittenOff,
    /// More was credited than owed (only through reversals); to be refunded or reallocated.
    Credit,
}

impl ClaimStatus {
    pub fn is_open(self) -> bool {
        matches!(self, ClaimStatus::NotDue | ClaimStatus::Overdue { .. })
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::NotDue => "not_due",
            ClaimStatus::Overdue { .. } => "overdue",
            ClaimStatus::Settled => "settled",
            ClaimStatus::WrittenOff => "written_off",
            ClaimStatus::Credit => "credit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::{ClaimNumber, Nature};
    use crate::ids::{ClaimId, CreditorId, DebtorId};
    use Currency::EUR;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, EUR)
    }

    fn claim(due: Date) -> Claim {
        Claim {
            id: ClaimId(1),
            creditor_id: CreditorId(1),
            debtor_id: DebtorId(1),
            external_id: "F1".into(),
            number: ClaimNumber::parse("F1").unwrap(),
            nature: Nature::Commercial,
            issue_date: date(2026, 1, 1),
            due_date: due,
            currency: EUR,
        }
    }

    #[test]
    fn a_payment_cannot_take_more_than_is_open() {
        let mut l = ClaimLedger::new(EUR);
        l.post(EntryKind::Invoice, eur(10_000), date(2026, 1, 1), None)
            .unwrap();
        l.post(EntryKind::Payment, eur(4_000), date(2026, 2, 1), None)
            .unwrap();
        let before = l.clone();
        let err = l
            .post(EntryKind::Payment, eur(6_001), date(2026, 2, 2), None)
            .unwrap_err();
        assert!(matches!(err, LedgerError::ExceedsOpen { .. }));
        assert_eq!(l, before, "a refused entry leaves the ledger unchanged");
        l.post(EntryKind::Payment, eur(6_000), date(2026, 2, 2), None)
            .unwrap();
        assert_eq!(l.balance(), eur(0));
    }

    #[test]
    fn status_follows_the_ledger_and_the_date() {
        let c = claim(date(2026, 3, 31));
        let mut l = ClaimLedger::new(EUR);
        l.post(EntryKind::Invoice, eur(50_000), date(2026, 3, 1), None)
            .unwrap();
        assert_eq!(l.status(&c, date(2026, 3, 31)), ClaimStatus::NotDue);
        assert_eq!(
            l.status(&c, date(2026, 4, 1)),
            ClaimStatus::Overdue { days: 1 }
        );
        l.post(EntryKind::Payment, eur(20_000), date(2026, 4, 10), None)
            .unwrap();
        l.post(EntryKind::WriteOff, eur(30_000), date(2026, 6, 1), None)
            .unwrap();
        assert_eq!(
            l.status(&c, date(2026, 5, 1)),
            ClaimStatus::Overdue { days: 31 }
        ); // Apr 1 = day 1, Apr 30 = day 30, May 1 = day 31
        assert_eq!(l.status(&c, date(2026, 6, 1)), ClaimStatus::WrittenOff);
        assert_eq!(l.balance_as_of(date(2026, 4, 30)), eur(30_000));
    }

    #[test]
    fn reversals_cancel_once_and_are_not_reversed() {
        let mut l = ClaimLedger::new(EUR);
        l.post(EntryKind::Invoice, eur(1_000), date(2026, 1, 1), None)
            .unwrap();
        l.post(EntryKind::Fee, eur(500), date(2026, 1, 2), None)
            .unwrap();
        l.reverse(2, date(2026, 1, 3), None).unwrap();
        assert_eq!(l.balance(), eur(1_000));
        assert_eq!(
            l.reverse(2, date(2026, 1, 3), None).unwrap_err(),
            LedgerError::AlreadyReversed(2)
        );
        assert_eq!(
            l.reverse(3, date(2026, 1, 3), None).unwrap_err(),
            LedgerError::ReversalOfReversal(3)
        );
        assert_eq!(
            l.reverse(9, date(2026, 1, 3), None).unwrap_err(),
            LedgerError::NoSuchEntry(9)
        );
        assert_eq!(l.total_of(EntryKind::Fee, date(2026, 1, 3)), eur(0));
    }

    #[test]
    fn currencies_never_mix_in_a_ledger() {
        let mut l = ClaimLedger::new(EUR);
        let err = l
            .post(
                EntryKind::Invoice,
                Money::from_minor(100, Currency::GBP),
                date(2026, 1, 1),
                None,
            )
            .unwrap_err();
        assert!(matches!(
            err,
            LedgerError::Money(MoneyError::CurrencyMismatch(..))
        ));
    }

    /// A random operation on a ledger: kind index, magnitude, day offset, reversal target.
    fn op() -> impl Strategy<Value = (u8, i64, i16, u8)> {
        (0u8..8, 1i64..1_000_000, 0i16..400, 0u8..20)
    }

    const KINDS: [EntryKind; 7] = [
        EntryKind::Invoice,
        EntryKind::CreditNote,
        EntryKind::Payment,
        EntryKind::Interest,
        EntryKind::Indemnity,
        EntryKind::Fee,
        EntryKind::WriteOff,
    ];

    fn apply(l: &mut ClaimLedger, (k, amount, day, target): (u8, i64, i16, u8)) -> bool {
        let d = date(2025, 1, 1) + jiff::Span::new().days(i64::from(day));
        if usize::from(k) == KINDS.len() {
            l.reverse(u32::from(target) + 1, d, None).is_ok()
        } else {
            l.post(KINDS[usize::from(k)], eur(amount), d, None).is_ok()
        }
    }

    proptest! {
        #[test]
        fn balance_is_the_sum_of_the_entries(ops in prop::collection::vec(op(), 0..60)) {
            let mut l = ClaimLedger::new(EUR);
            for o in ops { apply(&mut l, o); }
            let sum: i64 = l.entries().iter().map(|e| e.amount_minor).sum();
            prop_assert_eq!(l.balance().minor(), sum);
        }

        #[test]
        fn allocations_never_exceed_what_is_open(ops in prop::collection::vec(op(), 0..60)) {
            let mut l = ClaimLedger::new(EUR);
            for o in ops {
                let open_before = l.balance().minor();
                let len_before = l.entries().len();
                if apply(&mut l, o) {
                    let e = &l.entries()[len_before];
                    if e.kind.is_allocation() {
                        prop_assert!(-e.amount_minor <= open_before);
                        prop_assert!(l.balance().minor() >= 0 || open_before < 0);
                    }
                } else {
                    prop_assert_eq!(l.entries().len(), len_before);
                }
            }
        }

        #[test]
        fn a_reversal_restores_the_previous_state(
            ops in prop::collection::vec(op(), 1..40),
            extra in op(),
        ) {
            let mut l = ClaimLedger::new(EUR);
            for o in ops { apply(&mut l, o); }
            let before = l.balance();
            let before_by_kind: Vec<Money> =
                KINDS.iter().map(|&k| l.total_of(k, date(2030, 1, 1))).collect();
            let (k, amount, day, _) = extra;
            let k = k % KINDS.len() as u8;
            if apply(&mut l, (k, amount, day, 0)) {
                let seq = l.entries().last().unwrap().seq;
                l.reverse(seq, date(2026, 6, 1), None).unwrap();
                prop_assert_eq!(l.balance(), before);
                let after_by_kind: Vec<Money> =
                    KINDS.iter().map(|&k| l.total_of(k, date(2030, 1, 1))).collect();
                prop_assert_eq!(after_by_kind, before_by_kind);
            }
        }

        #[test]
        fn balance_as_of_a_past_date_ignores_later_entries(
            ops in prop::collection::vec(op(), 0..40),
            later in prop::collection::vec(op(), 0..20),
            cut in 0i16..400,
        ) {
            let mut l = ClaimLedger::new(EUR);
            for o in ops { apply(&mut l, o); }
            let cut_date = date(2025, 1, 1) + jiff::Span::new().days(i64::from(cut));
            let before = l.balance_as_of(cut_date);
            // Entries dated after the cut change nothing as of the cut.
            let last_day = 400i16;
            for (k, amount, day, t) in later {
                let day = last_day + 1 + day.rem_euclid(100);
                apply(&mut l, (k, amount, day, t));
            }
            prop_assert_eq!(l.balance_as_of(cut_date), before);
        }
    }
}
