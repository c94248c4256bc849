//! Allocation ("imputation des paiements"): how one received amount is spread over a
//! debtor's claims, and within one claim over its costs, interest and principal.
//!
//! **Between claims** — C. civ. 1342-10 (domain-rules.md §6): the debtor's choice first (the
//! claims the payer named in the reference or the text); failing that, the debts that are
//! due before those that are not, then the one the debtor has most interest to pay, then
//! the oldest, then pro rata. We sort by due date, oldest first (which puts every due claim
//! before every claim not yet due), ties by claim id; "most interest to pay" is a judgement
//! left to the reviewer, and the pro-rata fallback is not needed once ties are broken by id.
//! When the payer named claims, only those receive money.
//!
//! **Over-payment** — what is left after the allocated claims are settled stays a credit on
//! the debtor, returned to the caller; it is never posted as a negative claim (the ledger
//! refuses an allocation above the open balance).
//!
//! **Within a claim** — C. civ. 1343-1 al. 1 (domain-rules.md §6): "le paiement partiel
//! s'impute d'abord sur les intérêts" — interest before principal. We impute costs and fees
//! first, then interest, then the fixed recovery indemnity, then principal, as the
//! product brief (issue 7) asks. Note: domain-rules.md sources only the interest-before-
//! principal step; the costs-first step is the product's choice and rests on no article
//! cited there (and L111-8 CPCE leaves most collection costs with the creditor anyway).
//!
//! **Ledger** — the ledger records a payment as one `EntryKind::Payment` entry. We post one
//! such entry per claim for the claim's whole share and return the {fees, interest,
//! principal} breakdown for display; the breakdown is derived again from the ledger at any
//! time by [`imputation`], which replays the ledger in date order: each payment settles
//! what was open on its own date, so interest posted later is not paid by an earlier payment.

use crate::date::Date;
use crate::ids::ClaimId;
use crate::ledger::{ClaimLedger, EntryKind, LedgerError};
use crate::money::{Money, MoneyError};

/// A claim open for allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenClaim {
    pub id: ClaimId,
    pub due_date: Date,
    pub open: Money,
}

/// A payment spread over claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// Positive amounts, each at most the claim's open amount, in allocation order.
    pub lines: Vec<(ClaimId, Money)>,
    /// What no claim took: a credit on the debtor (zero or positive).
    pub overpayment: Money,
}

/// Why an allocation could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("a payment to allocate must be positive, got {0}")]
    NotPositive(Money),
    #[error("{amount} exceeds what is open on the claim ({open})")]
    ExceedsOpen { amount: Money, open: Money },
}

/// Spreads `payment` over `claims` (C. civ. 1342-10, see the module doc): over the
/// `designated` claims only when the payer named any, otherwise over all; oldest due date
/// first; each claim at most up to its open amount; the rest is the over-payment.
pub fn allocate(
    payment: Money,
    claims: &[OpenClaim],
    designated: &[ClaimId],
) -> Result<Allocation, AllocationError> {
    if !payment.is_positive() {
        return Err(AllocationError::NotPositive(payment));
    }
    let mut order: Vec<&OpenClaim> = claims
        .iter()
        .filter(|c| designated.is_empty() || designated.contains(&c.id))
        .filter(|c| c.open.is_positive())
        .collect();
    order.sort_by_key(|c| (c.due_date, c.id));
    let mut left = payment;
    let mut lines = Vec::new();
    for c in order {
        if left.is_zero() {
            break;
        }
        let take = left.min(c.open)?;
        lines.push((c.id, take));
        left = left.checked_sub(take)?;
    }
    Ok(Allocation {
        lines,
        overpayment: left,
    })
}

/// What is open on a claim, by imputation bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Breakdown {
    /// Collection costs and fees (`EntryKind::Fee`).
    pub fees: Money,
    /// Late-payment interest (`EntryKind::Interest`).
    pub interest: Money,
    /// The fixed recovery indemnity (`EntryKind::Indemnity`).
    pub indemnity: Money,
    /// The title itself: invoices less credit notes.
    pub principal: Money,
}

impl Breakdown {
    fn zero(currency: crate::money::Currency) -> Self {
        let z = Money::zero(currency);
        Self {
            fees: z,
            interest: z,
            indemnity: z,
            principal: z,
        }
    }

    pub fn total(&self) -> Result<Money, MoneyError> {
        self.fees
            .checked_add(self.interest)?
            .checked_add(self.indemnity)?
            .checked_add(self.principal)
    }

    /// Interest and indemnity together: what the law adds to the title.
    pub fn interest_and_indemnity(&self) -> Money {
        Money::from_minor(
            self.interest.minor() + self.indemnity.minor(),
            self.interest.currency(),
        )
    }
}

/// Takes up to `amount` from the buckets in imputation order (fees, interest, indemnity,
/// principal); returns what was taken from each and what was left over.
fn waterfall(open: Breakdown, amount: i64) -> (Breakdown, i64) {
    let mut left = amount.max(0);
    let mut take = |bucket: Money| {
        let t = left.min(bucket.minor().max(0));
        left -= t;
        Money::from_minor(t, bucket.currency())
    };
    let taken = Breakdown {
        fees: take(open.fees),
        interest: take(open.interest),
        indemnity: take(open.indemnity),
        principal: take(open.principal),
    };
    (taken, left)
}

fn minus(a: Money, b: Money) -> Money {
    Money::from_minor(a.minor() - b.minor(), a.currency())
}

/// A claim's ledger replayed through the imputation order as of a date: what is open per
/// bucket, and how each payment, write-off and credit note was imputed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imputation {
    pub open: Breakdown,
    /// Each settling entry in force (by `seq`), with its date and its imputation.
    pub settled: Vec<(u32, Date, Breakdown)>,
}

impl Imputation {
    /// The part of each settlement that reduced the principal, by date: the base on which
    /// late interest stops running (convention C4 of domain-rules.md).
    pub fn principal_reductions(&self) -> impl Iterator<Item = (Date, Money)> + '_ {
        self.settled
            .iter()
            .filter(|(_, _, b)| b.principal.is_positive())
            .map(|(_, d, b)| (*d, b.principal))
    }
}

/// Replays the claim's ledger as of the end of `as_of`, in date order (then posting order):
/// each charge opens its bucket; each payment and write-off settles fees, then interest,
/// then the indemnity, then principal (C. civ. 1343-1: interest before principal, see the
/// module doc), from what is open *on its date* — interest posted after a payment was not
/// open when it was paid, and is not settled by it. A credit note reduces the principal
/// (it corrects the title), any excess the other buckets. An entry reversed by a reversal
/// in force is left out together with its reversal, as if neither had been posted.
pub fn imputation(ledger: &ClaimLedger, as_of: Date) -> Imputation {
    let currency = ledger.currency();
    let reversed: Vec<u32> = ledger
        .entries()
        .iter()
        .filter(|e| e.date <= as_of)
        .filter_map(|e| e.reverses)
        .collect();
    let mut entries: Vec<_> = ledger
        .entries()
        .iter()
        .filter(|e| e.date <= as_of && e.reverses.is_none() && !reversed.contains(&e.seq))
        .collect();
    entries.sort_by_key(|e| (e.date, e.seq));
    let mut open = Breakdown::zero(currency);
    let mut settled = Vec::new();
    let add = |m: Money, minor: i64| Money::from_minor(m.minor() + minor, currency);
    for e in entries {
        match e.kind {
            EntryKind::Invoice => open.principal = add(open.principal, e.amount_minor),
            EntryKind::Interest => open.interest = add(open.interest, e.amount_minor),
            EntryKind::Indemnity => open.indemnity = add(open.indemnity, e.amount_minor),
            EntryKind::Fee => open.fees = add(open.fees, e.amount_minor),
            EntryKind::CreditNote | EntryKind::Payment | EntryKind::WriteOff => {
                let amount = -e.amount_minor;
                let taken = if e.kind == EntryKind::CreditNote {
                    let on_principal = amount.min(open.principal.minor().max(0));
                    let mut open_rest = open;
                    open_rest.principal = Money::zero(currency);
                    let (mut t, _) = waterfall(open_rest, amount - on_principal);
                    t.principal = Money::from_minor(on_principal, currency);
                    t
                } else {
                    waterfall(open, amount).0
                };
                open = Breakdown {
                    fees: minus(open.fees, taken.fees),
                    interest: minus(open.interest, taken.interest),
                    indemnity: minus(open.indemnity, taken.indemnity),
                    principal: minus(open.principal, taken.principal),
                };
                settled.push((e.seq, e.date, taken));
            }
            EntryKind::Reversal => {}
        }
    }
    Imputation { open, settled }
}

/// What is open on the claim at the end of `as_of`, per bucket (see [`imputation`]).
pub fn open_breakdown(ledger: &ClaimLedger, as_of: Date) -> Breakdown {
    imputation(ledger, as_of).open
}

/// How `amount` paid on the claim on `as_of` is imputed (C. civ. 1343-1, see the module
/// doc). Refuses more than is open.
pub fn impute(
    ledger: &ClaimLedger,
    amount: Money,
    as_of: Date,
) -> Result<Breakdown, AllocationError> {
    if amount.currency() != ledger.currency() {
        return Err(MoneyError::CurrencyMismatch(ledger.currency(), amount.currency()).into());
    }
    if !amount.is_positive() {
        return Err(AllocationError::NotPositive(amount));
    }
    let open = open_breakdown(ledger, as_of);
    let (taken, left) = waterfall(open, amount.minor());
    if left > 0 {
        return Err(AllocationError::ExceedsOpen {
            amount,
            open: open.total()?,
        });
    }
    Ok(taken)
}

/// Posts `amount` as one `Payment` entry on the claim and returns its imputation for
/// display. The ledger is unchanged on error.
pub fn post_payment(
    ledger: &mut ClaimLedger,
    amount: Money,
    value_date: Date,
    reference: Option<String>,
) -> Result<Breakdown, AllocationError> {
    let breakdown = impute(ledger, amount, value_date)?;
    ledger.post(EntryKind::Payment, amount, value_date, reference)?;
    Ok(breakdown)
}

/// One claim's share of a payment, with its imputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimShare {
    pub claim: ClaimId,
    pub amount: Money,
    pub breakdown: Breakdown,
}

/// A payment spread over claims and imputed within each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerAllocation {
    pub shares: Vec<ClaimShare>,
    pub overpayment: Money,
}

/// Spreads `payment` over claims given with their ledgers (open amounts read from the
/// ledgers as of `value_date`) and imputes each share. Pure: nothing is posted; the caller
/// posts each share with [`post_payment`] in one transaction.
pub fn allocate_on_ledgers(
    payment: Money,
    claims: &[(ClaimId, Date, &ClaimLedger)],
    designated: &[ClaimId],
    value_date: Date,
) -> Result<LedgerAllocation, AllocationError> {
    let open: Vec<OpenClaim> = claims
        .iter()
        .filter(|(_, _, l)| l.currency() == payment.currency())
        .map(|&(id, due_date, l)| OpenClaim {
            id,
            due_date,
            open: l.balance_as_of(value_date),
        })
        .collect();
    let allocation = allocate(payment, &open, designated)?;
    let mut shares = Vec::with_capacity(allocation.lines.len());
    for (id, amount) in allocation.lines {
        // Every allocated id comes from `claims`, so the search always succeeds.
        let Some((_, _, ledger)) = claims.iter().find(|(c, _, _)| *c == id) else {
            continue;
        };
        let breakdown = impute(ledger, amount, value_date)?;
        shares.push(ClaimShare {
            claim: id,
            amount,
            breakdown,
        });
    }
    Ok(LedgerAllocation {
        shares,
        overpayment: allocation.overpayment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency::EUR;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, EUR)
    }

    fn claim(id: i64, due: Date, open: i64) -> OpenClaim {
        OpenClaim {
            id: ClaimId(id),
            due_date: due,
            open: eur(open),
        }
    }

    #[test]
    fn partial_payment_goes_to_the_oldest_due_claim_first() {
        // Claims: #1 due 1 Mar 300.00, #2 due 1 Feb 200.00, #3 due 1 Apr 100.00.
        // 350.00 paid, nothing named: #2 (oldest) takes 200.00, #1 the remaining 150.00.
        let claims = [
            claim(1, date(2026, 3, 1), 300_00),
            claim(2, date(2026, 2, 1), 200_00),
            claim(3, date(2026, 4, 1), 100_00),
        ];
        let a = allocate(eur(350_00), &claims, &[]).unwrap();
        assert_eq!(
            a.lines,
            vec![(ClaimId(2), eur(200_00)), (ClaimId(1), eur(150_00))]
        );
        assert_eq!(a.overpayment, eur(0));
    }

    #[test]
    fn named_claims_come_first_and_alone() {
        // #3 named: it takes its 100.00 although #2 is older; the other 50.00 is a credit.
        let claims = [
            claim(2, date(2026, 2, 1), 200_00),
            claim(3, date(2026, 4, 1), 100_00),
        ];
        let a = allocate(eur(150_00), &claims, &[ClaimId(3)]).unwrap();
        assert_eq!(a.lines, vec![(ClaimId(3), eur(100_00))]);
        assert_eq!(a.overpayment, eur(50_00));
    }

    #[test]
    fn overpayment_stays_a_credit() {
        // 300.00 + 100.00 open, 450.00 paid: both settled, 50.00 credit.
        let claims = [
            claim(1, date(2026, 3, 1), 300_00),
            claim(2, date(2026, 2, 1), 100_00),
        ];
        let a = allocate(eur(450_00), &claims, &[]).unwrap();
        assert_eq!(
            a.lines,
            vec![(ClaimId(2), eur(100_00)), (ClaimId(1), eur(300_00))]
        );
        assert_eq!(a.overpayment, eur(50_00));
        assert!(allocate(eur(0), &claims, &[]).is_err());
    }

    fn ledger() -> ClaimLedger {
        // Invoice 1,000.00, credit note 100.00, interest 12.34, indemnity 40.00, fee 25.00.
        let mut l = ClaimLedger::new(EUR);
        let d = date(2026, 1, 1);
        l.post(EntryKind::Invoice, eur(1_000_00), d, None).unwrap();
        l.post(EntryKind::CreditNote, eur(100_00), d, None).unwrap();
        l.post(EntryKind::Interest, eur(12_34), date(2026, 3, 1), None)
            .unwrap();
        l.post(EntryKind::Indemnity, eur(40_00), date(2026, 3, 1), None)
            .unwrap();
        l.post(EntryKind::Fee, eur(25_00), date(2026, 3, 1), None)
            .unwrap();
        l
    }

    fn parts(b: Breakdown) -> (i64, i64, i64, i64) {
        (
            b.fees.minor(),
            b.interest.minor(),
            b.indemnity.minor(),
            b.principal.minor(),
        )
    }

    #[test]
    fn within_a_claim_fees_then_interest_then_indemnity_then_principal() {
        let mut l = ledger();
        let d = date(2026, 3, 15);
        // Open: fees 25.00, interest 12.34, indemnity 40.00, principal 1,000.00 − 100.00.
        assert_eq!(parts(open_breakdown(&l, d)), (25_00, 12_34, 40_00, 900_00));
        // 60.00 paid: 25.00 fees, 12.34 interest, 60.00 − 37.34 = 22.66 indemnity.
        let b = post_payment(&mut l, eur(60_00), d, Some("P1".into())).unwrap();
        assert_eq!(parts(b), (25_00, 12_34, 22_66, 0));
        // One Payment entry of 60.00 on the ledger.
        assert_eq!(l.entries().last().unwrap().amount_minor, -60_00);
        // The ledger replays it: 40.00 − 22.66 = 17.34 indemnity and 900.00 principal left.
        assert_eq!(parts(open_breakdown(&l, d)), (0, 0, 17_34, 900_00));
        // 100.00 more: 17.34 indemnity, 82.66 principal.
        let b = post_payment(&mut l, eur(100_00), d, None).unwrap();
        assert_eq!(parts(b), (0, 0, 17_34, 82_66));
        // More than is open (900.00 − 82.66 = 817.34) is refused and posts nothing.
        let before = l.clone();
        assert!(matches!(
            post_payment(&mut l, eur(817_35), d, None),
            Err(AllocationError::ExceedsOpen { .. })
        ));
        assert_eq!(l, before);
    }

    #[test]
    fn a_payment_settles_what_was_open_on_its_own_date() {
        // Invoice 500.00 on 1 Jan; 200.00 paid on 1 Feb; interest 7.50 posted on 1 Mar.
        // The February payment found no interest open: all 200.00 on principal. On 1 Mar,
        // 300.00 principal and 7.50 interest are open. (Summing the buckets instead would
        // put 7.50 of the February payment on March's interest.)
        let mut l = ClaimLedger::new(EUR);
        l.post(EntryKind::Invoice, eur(500_00), date(2026, 1, 1), None)
            .unwrap();
        l.post(EntryKind::Payment, eur(200_00), date(2026, 2, 1), None)
            .unwrap();
        l.post(EntryKind::Interest, eur(7_50), date(2026, 3, 1), None)
            .unwrap();
        let i = imputation(&l, date(2026, 3, 1));
        assert_eq!(parts(i.open), (0, 7_50, 0, 300_00));
        assert_eq!(
            i.principal_reductions().collect::<Vec<_>>(),
            vec![(date(2026, 2, 1), eur(200_00))]
        );
        // 100.00 on 2 Mar: 7.50 interest first (1343-1), 92.50 principal.
        l.post(EntryKind::Payment, eur(100_00), date(2026, 3, 2), None)
            .unwrap();
        let i = imputation(&l, date(2026, 3, 2));
        assert_eq!(parts(i.open), (0, 0, 0, 207_50));
        assert_eq!(
            i.principal_reductions().collect::<Vec<_>>(),
            vec![
                (date(2026, 2, 1), eur(200_00)),
                (date(2026, 3, 2), eur(92_50))
            ]
        );
        // As of 1 Feb, the later interest and payment are not there yet.
        assert_eq!(
            parts(open_breakdown(&l, date(2026, 2, 1))),
            (0, 0, 0, 300_00)
        );
    }

    #[test]
    fn a_credit_note_corrects_the_principal_and_a_reversal_undoes_its_entry() {
        // Invoice 100.00, interest 5.00 posted, credit note 30.00: principal 70.00, the
        // interest stays open (a credit note corrects the title, it pays nothing).
        let d = date(2026, 1, 1);
        let mut l = ClaimLedger::new(EUR);
        l.post(EntryKind::Invoice, eur(100_00), d, None).unwrap();
        l.post(EntryKind::Interest, eur(5_00), d, None).unwrap();
        l.post(EntryKind::CreditNote, eur(30_00), d, None).unwrap();
        assert_eq!(parts(open_breakdown(&l, d)), (0, 5_00, 0, 70_00));
        // A payment of 20.00 (5.00 interest, 15.00 principal), reversed the next day: as
        // of that day it is as if never paid.
        let paid = l.post(EntryKind::Payment, eur(20_00), d, None).unwrap().seq;
        assert_eq!(parts(open_breakdown(&l, d)), (0, 0, 0, 55_00));
        let next = date(2026, 1, 2);
        l.reverse(paid, next, None).unwrap();
        assert_eq!(parts(open_breakdown(&l, next)), (0, 5_00, 0, 70_00));
        assert_eq!(parts(open_breakdown(&l, d)), (0, 0, 0, 55_00));
    }

    #[test]
    fn a_payment_over_several_ledgers() {
        // Claim 1 (ledger above, 977.34 open, due 1 Feb); claim 2: invoice 50.00, due 1 Jan.
        let l1 = ledger();
        let mut l2 = ClaimLedger::new(EUR);
        l2.post(EntryKind::Invoice, eur(50_00), date(2025, 12, 1), None)
            .unwrap();
        let claims = [
            (ClaimId(1), date(2026, 2, 1), &l1),
            (ClaimId(2), date(2026, 1, 1), &l2),
        ];
        // 1,100.00: claim 2 first (50.00, all principal), then claim 1 in full (977.34 =
        // 25.00 + 52.34 + 900.00), credit 1,100.00 − 50.00 − 977.34 = 72.66.
        let a = allocate_on_ledgers(eur(1_100_00), &claims, &[], date(2026, 3, 15)).unwrap();
        assert_eq!(a.shares.len(), 2);
        assert_eq!(a.shares[0].claim, ClaimId(2));
        assert_eq!(a.shares[0].breakdown.principal, eur(50_00));
        assert_eq!(a.shares[1].amount, eur(977_34));
        assert_eq!(a.shares[1].breakdown.fees, eur(25_00));
        assert_eq!(a.shares[1].breakdown.interest, eur(12_34));
        assert_eq!(a.shares[1].breakdown.indemnity, eur(40_00));
        assert_eq!(a.overpayment, eur(72_66));
    }

    proptest! {
        #[test]
        fn allocations_are_bounded_and_add_up(
            opens in prop::collection::vec((1i64..1_000_000, 0i16..300), 0..12),
            paid in 1i64..5_000_000,
            named in prop::collection::vec(0usize..12, 0..4),
        ) {
            let claims: Vec<OpenClaim> = opens
                .iter()
                .enumerate()
                .map(|(i, &(open, day))| claim(
                    i64::try_from(i).unwrap(),
                    date(2026, 1, 1) + jiff::Span::new().days(i64::from(day)),
                    open,
                ))
                .collect();
            let designated: Vec<ClaimId> = named
                .iter()
                .filter(|&&i| i < claims.len())
                .map(|&i| claims[i].id)
                .collect();
            let a = allocate(eur(paid), &claims, &designated).unwrap();
            let mut sum = a.overpayment.minor();
            prop_assert!(sum >= 0);
            for (id, m) in &a.lines {
                let c = claims.iter().find(|c| c.id == *id).unwrap();
                prop_assert!(m.is_positive() && m.minor() <= c.open.minor());
                prop_assert!(designated.is_empty() || designated.contains(id));
                sum += m.minor();
            }
            prop_assert_eq!(sum, paid);
        }

        #[test]
        fn imputation_takes_nothing_beyond_a_bucket(
            fee in 0i64..10_000, interest in 0i64..10_000, indemnity in 0i64..5_000,
            principal in 1i64..1_000_000, earlier in 0i64..50_000, paid in 1i64..1_100_000,
        ) {
            let d = date(2026, 1, 1);
            let mut l = ClaimLedger::new(EUR);
            l.post(EntryKind::Invoice, eur(principal), d, None).unwrap();
            if fee > 0 { l.post(EntryKind::Fee, eur(fee), d, None).unwrap(); }
            if interest > 0 { l.post(EntryKind::Interest, eur(interest), d, None).unwrap(); }
            if indemnity > 0 { l.post(EntryKind::Indemnity, eur(indemnity), d, None).unwrap(); }
            if earlier > 0 && earlier <= l.balance().minor() {
                l.post(EntryKind::Payment, eur(earlier), d, None).unwrap();
            }
            let open = open_breakdown(&l, d);
            prop_assert_eq!(open.total().unwrap(), l.balance());
            match impute(&l, eur(paid), d) {
                Ok(b) => {
                    prop_assert_eq!(b.total().unwrap(), eur(paid));
                    prop_assert!(b.fees.minor() <= open.fees.minor());
                    prop_assert!(b.interest.minor() <= open.interest.minor());
                    prop_assert!(b.indemnity.minor() <= open.indemnity.minor());
                    prop_assert!(b.principal.minor() <= open.principal.minor());
                    // Principal is touched only once fees, interest and indemnity are paid.
                    prop_assert!(b.principal.is_zero()
                        || (b.fees == open.fees && b.interest == open.interest
                            && b.indemnity == open.indemnity));
                }
                Err(_) => prop_assert!(paid > l.balance().minor()),
            }
        }
    }
}
