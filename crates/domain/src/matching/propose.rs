//! From evidence to ranked proposals. For each debtor the payment may come from (its own
//! RF reference, learned IBAN, close name, owner of a named claim), readings are built — the named claims paid
//! exactly, partly, or over; a subset of them; the one claim of that amount; a combination
//! of the debtor's claims; the oldest claims first — scored (see `score`), de-duplicated
//! and ranked.

use super::allocate::{OpenClaim, allocate};
use super::candidates::{MatchIndex, NAME_FLOOR, Named, quoted};
use super::normalise::normalise_name;
use super::score::{AmountFit, Reason, RefKind, identity_points};
use super::{IncomingPayment, Proposal};
use crate::ids::{ClaimId, DebtorId};
use crate::money::Money;

/// A combination is searched among this many of the debtor's oldest open claims.
const MAX_COMBINATION_ITEMS: usize = 20;
/// Steps of the subset-sum search before it gives up (and calls the result ambiguous).
const MAX_COMBINATION_STEPS: u32 = 50_000;
/// Debtors taken from the name search.
const MAX_NAMED_DEBTORS: usize = 3;
/// Claims of the same amount proposed one by one.
const MAX_SAME_AMOUNT: usize = 5;
/// Points given when only some allocated claims were named.
const SOME_NAMED_POINTS: i32 = 200;
/// A best proposal whose runner-up comes this close loses twice the difference.
const AMBIGUITY_GAP: i32 = 100;

/// The result of a bounded subset-sum search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Subsets {
    /// Indexes (into the input) of the first combination found.
    pub first: Option<Vec<usize>>,
    /// Combinations found, counting stops at 2.
    pub count: u8,
    /// The step budget ran out: more combinations may exist.
    pub exhausted: bool,
}

impl Subsets {
    pub fn unique(&self) -> Option<&[usize]> {
        (self.count == 1 && !self.exhausted)
            .then_some(self.first.as_deref())
            .flatten()
    }
}

/// Subsets of `amounts` (all positive) summing to `target`: depth-first over the amounts
/// sorted largest first, pruned when the rest cannot reach the target; stops at the second
/// combination or after `max_steps` nodes.
pub(crate) fn subsets_summing_to(amounts: &[i64], target: i64, max_steps: u32) -> Subsets {
    let mut order: Vec<usize> = (0..amounts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(amounts[i]));
    let mut suffix = vec![0i64; order.len() + 1];
    for k in (0..order.len()).rev() {
        suffix[k] = suffix[k + 1].saturating_add(amounts[order[k]]);
    }
    let mut search = Search {
        amounts,
        order: &order,
        suffix: &suffix,
        steps: max_steps,
        picked: Vec::new(),
        out: Subsets {
            first: None,
            count: 0,
            exhausted: false,
        },
    };
    search.dfs(0, target);
    search.out
}

struct Search<'a> {
    amounts: &'a [i64],
    order: &'a [usize],
    suffix: &'a [i64],
    steps: u32,
    picked: Vec<usize>,
    out: Subsets,
}

impl Search<'_> {
    fn dfs(&mut self, k: usize, left: i64) {
        if self.out.count >= 2 || self.out.exhausted {
            return;
        }
        if left == 0 {
            self.out.count += 1;
            if self.out.first.is_none() {
                let mut found = self.picked.clone();
                found.sort_unstable();
                self.out.first = Some(found);
            }
            return;
        }
        if k >= self.order.len() || self.suffix[k] < left {
            return;
        }
        if self.steps == 0 {
            self.out.exhausted = true;
            return;
        }
        self.steps -= 1;
        let i = self.order[k];
        if self.amounts[i] <= left {
            self.picked.push(i);
            self.dfs(k + 1, left - self.amounts[i]);
            self.picked.pop();
        }
        self.dfs(k + 1, left);
    }
}

/// One reading before scoring.
struct Reading {
    claims: Vec<u32>,
    fit: AmountFit,
}

struct Scored {
    raw: i32,
    proposal: Proposal,
}

/// All proposals for the payment, best first, de-duplicated, ambiguity applied.
pub(crate) fn proposals(index: &MatchIndex, payment: &IncomingPayment) -> Vec<Proposal> {
    let amount = payment.amount;
    if !amount.is_positive() {
        return Vec::new();
    }
    let currency = amount.currency();
    let iban_debtor = payment
        .payer_iban
        .as_deref()
        .and_then(|i| index.debtor_of_iban(i));
    let payer = payment
        .payer_name
        .as_deref()
        .map(normalise_name)
        .filter(|n| !n.is_empty());
    // The name is searched only when the IBAN does not already say who pays.
    let iban_confirmed_by_name = match (iban_debtor, payer.as_deref()) {
        (Some(d), Some(p)) => index
            .name_similarity_to(d, p)
            .is_some_and(|s| s >= NAME_FLOOR),
        _ => false,
    };
    let named_debtors: Vec<(DebtorId, u16)> = match payer.as_deref() {
        Some(p) if !iban_confirmed_by_name => index.debtors_named(p),
        _ => Vec::new(),
    };

    let quoted = quoted(index, payment);
    // The debtor's own RF reference (a letter about several claims) says who pays.
    let reference_debtors = quoted.debtors;
    let mut debtors: Vec<DebtorId> = reference_debtors.clone();
    debtors.extend(iban_debtor);
    debtors.extend(
        named_debtors
            .iter()
            .take(MAX_NAMED_DEBTORS)
            .map(|&(d, _)| d),
    );

    // A number cut short names its claim only if the debtor or the amount agrees.
    let named: Vec<Named> = quoted
        .items
        .into_iter()
        .filter(|n| {
            let item = index.item(n.item);
            item.currency == currency
                && (n.kind != RefKind::Truncated
                    || debtors.contains(&item.debtor_id)
                    || item.open_minor == amount.minor())
        })
        .collect();
    for n in &named {
        debtors.push(index.item(n.item).debtor_id);
    }
    let mut seen = Vec::with_capacity(debtors.len());
    debtors.retain(|d| {
        let new = !seen.contains(d);
        seen.push(*d);
        new
    });

    let mut scored: Vec<Scored> = Vec::new();
    for debtor in debtors {
        let similarity = payer
            .as_deref()
            .and_then(|p| index.name_similarity_to(debtor, p));
        let known = iban_debtor == Some(debtor);
        let referenced = reference_debtors.contains(&debtor);
        let (identity, identity_reasons) = identity_points(
            referenced,
            known,
            iban_debtor.is_some() && !known,
            similarity,
        );
        let identified = referenced || known || similarity.is_some_and(|s| s >= NAME_FLOOR);
        let mine: Vec<Named> = named
            .iter()
            .copied()
            .filter(|n| index.item(n.item).debtor_id == debtor)
            .collect();
        if !identified && mine.is_empty() {
            continue;
        }
        let exact_elsewhere = index
            .items_of_amount(debtor, amount.minor())
            .any(|i| index.item(i).currency == currency && mine.iter().all(|n| n.item != i));
        let context = Context {
            debtor,
            amount,
            mine: &mine,
            identity,
            identity_reasons: &identity_reasons,
            exact_elsewhere,
        };
        for reading in readings(index, debtor, amount, &mine) {
            if let Some(s) = score(index, &context, reading) {
                scored.push(s);
            }
        }
    }
    rank(scored)
}

/// The readings of the payment as coming from `debtor`.
fn readings(index: &MatchIndex, debtor: DebtorId, amount: Money, mine: &[Named]) -> Vec<Reading> {
    let currency = amount.currency();
    let target = amount.minor();
    let mut out = Vec::new();
    let mut named_ix: Vec<u32> = mine.iter().map(|n| n.item).collect();
    named_ix.sort_unstable();
    if !named_ix.is_empty() {
        let sum: i64 = named_ix.iter().map(|&i| index.item(i).open_minor).sum();
        if sum == target {
            out.push(Reading {
                claims: named_ix.clone(),
                fit: AmountFit::NamedExact,
            });
        } else {
            if named_ix.len() >= 2 && sum > target {
                let amounts: Vec<i64> = named_ix
                    .iter()
                    .take(MAX_COMBINATION_ITEMS)
                    .map(|&i| index.item(i).open_minor)
                    .collect();
                let found = subsets_summing_to(&amounts, target, MAX_COMBINATION_STEPS);
                if let Some(subset) = found.unique() {
                    out.push(Reading {
                        claims: subset.iter().map(|&k| named_ix[k]).collect(),
                        fit: AmountFit::NamedSubset,
                    });
                }
            }
            out.push(Reading {
                claims: named_ix.clone(),
                fit: if target < sum {
                    AmountFit::NamedPartial
                } else {
                    AmountFit::Overpayment
                },
            });
        }
    }

    let all: Vec<u32> = index
        .debtor_items(debtor)
        .filter(|&i| index.item(i).currency == currency)
        .collect();
    let same: Vec<u32> = index
        .items_of_amount(debtor, target)
        .filter(|&i| index.item(i).currency == currency)
        .collect();
    match same.len() {
        0 => {}
        1 => out.push(Reading {
            claims: same,
            fit: AmountFit::OneClaim,
        }),
        n => {
            let count = u16::try_from(n).unwrap_or(u16::MAX);
            for &i in same.iter().take(MAX_SAME_AMOUNT) {
                out.push(Reading {
                    claims: vec![i],
                    fit: AmountFit::SeveralClaims { count },
                });
            }
        }
    }
    let mut combined = false;
    if out.iter().all(|r| r.fit != AmountFit::OneClaim) && all.len() >= 2 {
        let oldest: Vec<u32> = all.iter().copied().take(MAX_COMBINATION_ITEMS).collect();
        let amounts: Vec<i64> = oldest.iter().map(|&i| index.item(i).open_minor).collect();
        let found = subsets_summing_to(&amounts, target, MAX_COMBINATION_STEPS);
        if let Some(first) = &found.first
            && first.len() >= 2
        {
            combined = true;
            let count = u16::try_from(first.len()).unwrap_or(u16::MAX);
            out.push(Reading {
                claims: first.iter().map(|&k| oldest[k]).collect(),
                fit: if found.unique().is_some() {
                    AmountFit::Combination { count }
                } else {
                    AmountFit::SeveralCombinations
                },
            });
        }
    }
    if named_ix.is_empty() && !combined && out.is_empty() && !all.is_empty() {
        let total: i64 = all.iter().map(|&i| index.item(i).open_minor).sum();
        out.push(Reading {
            claims: all,
            fit: if target <= total {
                AmountFit::OldestFirst
            } else {
                AmountFit::Overpayment
            },
        });
    }
    out
}

/// What a debtor's readings share.
struct Context<'a> {
    debtor: DebtorId,
    amount: Money,
    mine: &'a [Named],
    identity: i32,
    identity_reasons: &'a [Reason],
    /// An unnamed claim of the debtor is open for exactly the amount.
    exact_elsewhere: bool,
}

/// Points taken from named claims paid partly or over when the amount is exactly another
/// claim of the debtor.
const TYPO_PENALTY: i32 = 400;

fn score(index: &MatchIndex, cx: &Context<'_>, reading: Reading) -> Option<Scored> {
    let Context {
        debtor,
        amount,
        mine,
        identity,
        identity_reasons,
        exact_elsewhere,
    } = *cx;
    let open: Vec<OpenClaim> = reading
        .claims
        .iter()
        .map(|&i| {
            let item = index.item(i);
            OpenClaim {
                id: item.claim_id,
                due_date: item.due_date,
                open: Money::from_minor(item.open_minor, item.currency),
            }
        })
        .collect();
    let allocation = allocate(amount, &open, &[]).ok()?;
    let mut reasons = Vec::new();
    let allocated: Vec<ClaimId> = allocation.lines.iter().map(|(c, _)| *c).collect();
    let kinds: Vec<Option<RefKind>> = allocated
        .iter()
        .map(|c| {
            mine.iter()
                .find(|n| index.item(n.item).claim_id == *c)
                .map(|n| n.kind)
        })
        .collect();
    let reference = if !kinds.is_empty() && kinds.iter().all(Option::is_some) {
        let weakest = kinds
            .iter()
            .flatten()
            .min()
            .copied()
            .unwrap_or(RefKind::Truncated);
        reasons.push(Reason::Reference { kind: weakest });
        weakest.points()
    } else if kinds.iter().any(Option::is_some) {
        reasons.push(Reason::SomeClaimsNamed);
        SOME_NAMED_POINTS
    } else {
        0
    };
    reasons.extend_from_slice(identity_reasons);
    reasons.push(Reason::Amount { fit: reading.fit });
    if reading.fit != AmountFit::Overpayment && allocation.overpayment.is_positive() {
        reasons.push(Reason::Amount {
            fit: AmountFit::Overpayment,
        });
    }
    let mut raw = reference + identity + reading.fit.points();
    if exact_elsewhere
        && matches!(
            reading.fit,
            AmountFit::NamedPartial | AmountFit::Overpayment
        )
    {
        reasons.push(Reason::AmountFitsAnotherClaim);
        raw -= TYPO_PENALTY;
    }
    Some(Scored {
        raw,
        proposal: Proposal {
            debtor,
            allocations: allocation.lines,
            score: 0,
            reasons,
            overpayment: allocation.overpayment,
        },
    })
}

fn clamp(raw: i32) -> u16 {
    u16::try_from(raw.clamp(0, 1000)).unwrap_or(0)
}

/// Sorts best first, keeps the best reading of each allocation, clamps the scores and
/// penalises a best proposal that its runner-up comes within [`AMBIGUITY_GAP`] of.
fn rank(mut scored: Vec<Scored>) -> Vec<Proposal> {
    scored.sort_by(|a, b| {
        b.raw
            .cmp(&a.raw)
            .then(a.proposal.debtor.cmp(&b.proposal.debtor))
            .then(
                a.proposal
                    .allocations
                    .len()
                    .cmp(&b.proposal.allocations.len()),
            )
            .then_with(|| {
                let ka: Vec<ClaimId> = a.proposal.allocations.iter().map(|x| x.0).collect();
                let kb: Vec<ClaimId> = b.proposal.allocations.iter().map(|x| x.0).collect();
                ka.cmp(&kb)
            })
    });
    let mut out: Vec<Proposal> = Vec::with_capacity(scored.len());
    for s in scored {
        if out
            .iter()
            .any(|p| p.debtor == s.proposal.debtor && p.allocations == s.proposal.allocations)
        {
            continue;
        }
        let mut p = s.proposal;
        p.score = clamp(s.raw);
        out.push(p);
    }
    if out.len() >= 2 {
        let gap = i32::from(out[0].score) - i32::from(out[1].score);
        if gap < AMBIGUITY_GAP {
            let penalty = 2 * (AMBIGUITY_GAP - gap);
            let runner_up = out[1].score;
            for p in out.iter_mut().take(2) {
                p.score = clamp(i32::from(p.score) - penalty);
            }
            out[0].reasons.push(Reason::Ambiguous { runner_up });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_sum_finds_unique_and_ambiguous_combinations() {
        // 100 + 250 = 350, and no other pair or triple: unique.
        let s = subsets_summing_to(&[100, 250, 400, 1000], 350, 1_000);
        assert_eq!(s.unique(), Some(&[0, 1][..]));
        // 300 = 100 + 200 = 300 alone: two combinations.
        let s = subsets_summing_to(&[100, 200, 300], 300, 1_000);
        assert_eq!(s.count, 2);
        assert_eq!(s.unique(), None);
        assert_eq!(subsets_summing_to(&[100, 200], 50, 1_000).count, 0);
        // Budget exhausted: never called unique.
        let many: Vec<i64> = (1..=20).map(|i| i * 7).collect();
        let s = subsets_summing_to(&many, 7 * 105, 10);
        assert!(s.exhausted);
        assert_eq!(s.unique(), None);
    }
}
