//! How debtors pay: the behaviour model shared by the demo generator and the simulation.
//!
//! Every debtor has one [`Behaviour`]. For each of their claims, [`Behaviour::payment_plan`]
//! draws a [`PaymentPlan`]: the settlements the debtor will make, each dated in days
//! relative to the claim's due date and sized in per mille of the invoiced amount. The plan
//! is the debtor's whole future for that claim; the generator posts the settlements dated
//! up to `as_of` and keeps the rest for a simulation to replay day by day.
//!
//! The model, claim by claim (offsets in days from the due date, negative = before it;
//! each row is drawn with the given probability):
//!
//! | behaviour | what happens to a claim |
//! | --- | --- |
//! | early payer | 94 %: paid in full −10..0; 6 %: −2..+3 |
//! | on time | 88 %: paid in full −2..+3; 9 %: +5..+20; 3 %: +25..+60 (a forgotten invoice) |
//! | slightly late | 8 %: −2..+3; 82 %: +5..+25; 10 %: +26..+45 |
//! | chronic late | 6 %: +10..+29; 84 %: +30..+120; 10 %: +121..+180 |
//! | partial payer | 300–700 ‰ paid 0..+45, then 70 %: the rest +60..+180; 30 %: the rest never |
//! | disputer | 50 %: paid +5..+30; 30 %: contested, then a credit note of 100–1000 ‰ +15..+75 and the rest paid 10–30 days after it; 20 %: contested and never paid |
//! | defaulter | never pays |
//!
//! A settlement is never dated before the invoice (offsets are clamped to −term). Monthly
//! consumer-credit instalments are collected by SEPA direct debit: a payer who would settle
//! around the due date is debited on the due date itself. Whatever the plan leaves unpaid
//! stays open; the generator writes some of it off a year after the due date (see the
//! crate documentation).

use crate::calendar::{date_from_day, next_working_day};
use crate::rng::Rng;
use domain::date::day_number;
use domain::{Date, EntryKind, Nature};
use serde::{Deserialize, Serialize};

/// How a debtor pays their invoices. The shares in brackets are those drawn for the demo
/// portfolio's companies, individuals and public bodies (see the crate documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Behaviour {
    /// Pays before the due date, often as soon as the invoice arrives (B2B 17 %, B2C 11 %).
    EarlyPayer,
    /// Pays on the due date, give or take a bank day or two (B2B 44 %, B2C 48 %, public
    /// bodies 40 %).
    OnTime,
    /// Pays one to four weeks late, without needing much more than a reminder (B2B 25 %,
    /// B2C 20 %, public bodies 40 %).
    SlightlyLate,
    /// Pays one to four months late, every time: the customer who finances themselves on
    /// their suppliers (B2B 5 %, B2C 5 %, public bodies 20 %).
    ChronicLate,
    /// Pays part of each invoice, then the rest much later or never: cash-strapped (B2B 3 %,
    /// B2C 6 %).
    PartialPayer,
    /// Contests a good part of their invoices (quality, delivery, price); some disputes end
    /// with a credit note, some are never resolved (B2B 4 %, B2C 3 %).
    Disputer,
    /// Has stopped paying altogether: insolvent, gone, or unwilling (B2B 2 %, B2C 7 %).
    Defaulter,
}

impl Behaviour {
    pub const ALL: [Behaviour; 7] = [
        Behaviour::EarlyPayer,
        Behaviour::OnTime,
        Behaviour::SlightlyLate,
        Behaviour::ChronicLate,
        Behaviour::PartialPayer,
        Behaviour::Disputer,
        Behaviour::Defaulter,
    ];

    /// `early_payer`, `on_time`, ...: the spelling in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Behaviour::EarlyPayer => "early_payer",
            Behaviour::OnTime => "on_time",
            Behaviour::SlightlyLate => "slightly_late",
            Behaviour::ChronicLate => "chronic_late",
            Behaviour::PartialPayer => "partial_payer",
            Behaviour::Disputer => "disputer",
            Behaviour::Defaulter => "defaulter",
        }
    }

    /// Draws what the debtor will do about one claim (see the module documentation for the
    /// model). Pure: the same generator state and facts give the same plan.
    pub fn payment_plan(self, rng: &mut Rng, facts: &ClaimFacts) -> PaymentPlan {
        let mut plan = PaymentPlan::default();
        // One payment of the whole claim, `low..=high` days from the due date.
        let pay_all = |rng: &mut Rng, low: i32, high: i32| {
            let offset = rng.between_i32(low, high);
            vec![facts.settlement(EntryKind::Payment, offset, 1000)]
        };
        plan.settlements = match self {
            Behaviour::EarlyPayer => match rng.below(1000) {
                0..940 => pay_all(rng, -10, 0),
                _ => pay_all(rng, -2, 3),
            },
            Behaviour::OnTime => match rng.below(1000) {
                0..880 => pay_all(rng, -2, 3),
                880..970 => pay_all(rng, 5, 20),
                _ => pay_all(rng, 25, 60),
            },
            Behaviour::SlightlyLate => match rng.below(1000) {
                0..80 => pay_all(rng, -2, 3),
                80..900 => pay_all(rng, 5, 25),
                _ => pay_all(rng, 26, 45),
            },
            Behaviour::ChronicLate => match rng.below(1000) {
                0..60 => pay_all(rng, 10, 29),
                60..900 => pay_all(rng, 30, 120),
                _ => pay_all(rng, 121, 180),
            },
            Behaviour::PartialPayer => {
                let share = rng.between_i32(300, 700);
                let first = rng.between_i32(0, 45);
                let rest_paid = rng.chance(700);
                let rest_at = rng.between_i32(60, 180);
                let mut s = vec![facts.settlement(EntryKind::Payment, first, share)];
                if rest_paid {
                    s.push(facts.settlement(EntryKind::Payment, rest_at, 1000 - share));
                }
                s
            }
            Behaviour::Disputer => {
                let outcome = rng.below(1000);
                let paid_at = rng.between_i32(5, 30);
                let credit = rng.between_i32(100, 1000);
                let credit_at = rng.between_i32(15, 75);
                let rest_after = rng.between_i32(10, 30);
                match outcome {
                    0..500 => vec![facts.settlement(EntryKind::Payment, paid_at, 1000)],
                    500..800 => {
                        let mut s =
                            vec![facts.settlement(EntryKind::CreditNote, credit_at, credit)];
                        if credit < 1000 {
                            s.push(facts.settlement(
                                EntryKind::Payment,
                                credit_at + rest_after,
                                1000 - credit,
                            ));
                        }
                        s
                    }
                    _ => Vec::new(),
                }
            }
            Behaviour::Defaulter => Vec::new(),
        };
        plan
    }
}

impl std::fmt::Display for Behaviour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the behaviour model needs to know about a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimFacts {
    pub nature: Nature,
    /// Days from the issue date to the due date: nothing is paid before the invoice exists.
    pub term_days: i32,
}

impl ClaimFacts {
    fn settlement(&self, kind: EntryKind, offset_days: i32, per_mille: i32) -> Settlement {
        let mut offset = offset_days.max(-self.term_days);
        // A direct debit is collected on the due date, not around it.
        if self.nature == Nature::ConsumerCredit && kind == EntryKind::Payment && offset <= 3 {
            offset = 0;
        }
        Settlement {
            offset_days: offset,
            kind,
            // The callers pass 1..=1000.
            per_mille: per_mille.clamp(0, 1000) as u16,
        }
    }
}

/// One planned settlement of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// Days from the due date (negative: before it). Payments land on the first working
    /// day on or after that day.
    pub offset_days: i32,
    /// [`EntryKind::Payment`] or [`EntryKind::CreditNote`].
    pub kind: EntryKind,
    /// Share of the invoiced amount, in per mille.
    pub per_mille: u16,
}

/// What a debtor will do about one claim: settlements in date order, their shares summing
/// to at most 1000 ‰. Below 1000 ‰, the rest is never paid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentPlan {
    pub settlements: Vec<Settlement>,
}

impl PaymentPlan {
    /// The share of the claim the plan settles, in per mille.
    pub fn share(&self) -> u32 {
        self.settlements
            .iter()
            .map(|s| u32::from(s.per_mille))
            .sum()
    }

    /// Whether the plan settles the whole claim.
    pub fn settles_in_full(&self) -> bool {
        self.share() >= 1000
    }

    /// The settlements with exact amounts for a claim of `total_minor`: each share is
    /// rounded down to the minor unit and, when the plan settles the whole claim, the last
    /// settlement takes what rounding left, so the claim closes to the cent. Settlements
    /// that round to nothing are left out (a ledger entry is never zero).
    pub fn amounts(&self, total_minor: i64) -> Vec<(Settlement, i64)> {
        let full = self.settles_in_full();
        let last = self.settlements.len().saturating_sub(1);
        let mut given = 0i64;
        let mut out = Vec::with_capacity(self.settlements.len());
        for (i, s) in self.settlements.iter().enumerate() {
            let amount = if full && i == last {
                total_minor - given
            } else {
                // At most total × 1000 / 1000: the product fits in i128 and the result in i64.
                (i128::from(total_minor) * i128::from(s.per_mille) / 1000) as i64
            };
            let amount = amount.min(total_minor - given);
            if amount > 0 {
                given += amount;
                out.push((*s, amount));
            }
        }
        out
    }

    /// The settlements with their dates and exact amounts, for a claim of `total_minor`
    /// issued on `issue_date` and due on `due_date`: each lands on the first working day on
    /// or after its due date plus offset, never before the invoice nor before the previous
    /// settlement. This is the one rule by which the generator posts the past and a
    /// simulation replays the future.
    pub fn schedule(&self, issue_date: Date, due_date: Date, total_minor: i64) -> Vec<Scheduled> {
        let due_day = day_number(due_date);
        let mut previous = day_number(issue_date);
        self.amounts(total_minor)
            .into_iter()
            .map(|(s, amount_minor)| {
                let day = next_working_day((due_day + s.offset_days).max(previous));
                previous = day;
                Scheduled {
                    date: date_from_day(day),
                    kind: s.kind,
                    amount_minor,
                }
            })
            .collect()
    }
}

/// A settlement of a [`PaymentPlan`] placed on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheduled {
    pub date: Date,
    /// [`EntryKind::Payment`] or [`EntryKind::CreditNote`].
    pub kind: EntryKind,
    /// The exact amount, in minor units of the claim's currency.
    pub amount_minor: i64,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    fn facts(term_days: i32) -> ClaimFacts {
        ClaimFacts {
            nature: Nature::Commercial,
            term_days,
        }
    }

    fn plans(b: Behaviour, n: usize) -> Vec<PaymentPlan> {
        let mut rng = Rng::new(2026);
        (0..n)
            .map(|_| b.payment_plan(&mut rng, &facts(30)))
            .collect()
    }

    #[test]
    fn plans_are_ordered_and_never_settle_more_than_the_claim() {
        for b in Behaviour::ALL {
            for p in plans(b, 2_000) {
                assert!(p.share() <= 1000, "{b}: {p:?}");
                assert!(
                    p.settlements
                        .windows(2)
                        .all(|w| w[0].offset_days <= w[1].offset_days),
                    "{b}: {p:?}"
                );
                assert!(p.settlements.iter().all(|s| s.offset_days >= -30));
                assert!(
                    p.settlements
                        .iter()
                        .all(|s| matches!(s.kind, EntryKind::Payment | EntryKind::CreditNote))
                );
            }
        }
    }

    #[test]
    fn each_behaviour_pays_when_it_says() {
        let last_offset = |p: &PaymentPlan| p.settlements.last().map(|s| s.offset_days);
        for p in plans(Behaviour::EarlyPayer, 1_000) {
            assert!(p.settles_in_full());
            assert!((-10..=3).contains(&last_offset(&p).unwrap()));
        }
        for p in plans(Behaviour::OnTime, 1_000) {
            assert!(p.settles_in_full());
            assert!((-2..=60).contains(&last_offset(&p).unwrap()));
        }
        for p in plans(Behaviour::SlightlyLate, 1_000) {
            assert!((-2..=45).contains(&last_offset(&p).unwrap()));
        }
        for p in plans(Behaviour::ChronicLate, 1_000) {
            assert!((10..=180).contains(&last_offset(&p).unwrap()));
        }
        for p in plans(Behaviour::Defaulter, 100) {
            assert!(p.settlements.is_empty());
        }
        let partial = plans(Behaviour::PartialPayer, 2_000);
        assert!(partial.iter().all(|p| {
            let first = p.settlements[0];
            (300..=700).contains(&first.per_mille) && (0..=45).contains(&first.offset_days)
        }));
        let never = partial.iter().filter(|p| !p.settles_in_full()).count();
        // 30 % expected: 600 of 2,000, standard deviation about 20.
        assert!((520..=680).contains(&never), "{never}");
        let disputes = plans(Behaviour::Disputer, 2_000);
        let credited = disputes
            .iter()
            .filter(|p| {
                p.settlements
                    .iter()
                    .any(|s| s.kind == EntryKind::CreditNote)
            })
            .count();
        let unpaid = disputes.iter().filter(|p| p.settlements.is_empty()).count();
        // 30 % and 20 % expected: 600 and 400 of 2,000 (standard deviations 20 and 18).
        assert!((520..=680).contains(&credited), "{credited}");
        assert!((330..=470).contains(&unpaid), "{unpaid}");
    }

    #[test]
    fn nothing_is_paid_before_the_invoice_exists() {
        let mut rng = Rng::new(1);
        for _ in 0..500 {
            let p = Behaviour::EarlyPayer.payment_plan(&mut rng, &facts(4));
            assert!(p.settlements[0].offset_days >= -4);
        }
    }

    #[test]
    fn direct_debits_are_collected_on_the_due_date() {
        let mut rng = Rng::new(1);
        let f = ClaimFacts {
            nature: Nature::ConsumerCredit,
            term_days: 9,
        };
        for _ in 0..200 {
            let p = Behaviour::OnTime.payment_plan(&mut rng, &f);
            let o = p.settlements[0].offset_days;
            assert!(o == 0 || o >= 5, "{o}");
        }
    }

    #[test]
    fn amounts_close_the_claim_to_the_cent() {
        let plan = PaymentPlan {
            settlements: vec![
                Settlement {
                    offset_days: 0,
                    kind: EntryKind::CreditNote,
                    per_mille: 333,
                },
                Settlement {
                    offset_days: 20,
                    kind: EntryKind::Payment,
                    per_mille: 667,
                },
            ],
        };
        // 1,001 cents: 333 ‰ is 333.333 rounded down to 333; the payment takes the other 668.
        let a = plan.amounts(1_001);
        assert_eq!(a.iter().map(|(_, m)| *m).collect::<Vec<_>>(), [333, 668]);
        // Without the last settlement, the plan leaves the rest open.
        let partial = PaymentPlan {
            settlements: plan.settlements[..1].to_vec(),
        };
        assert_eq!(partial.amounts(1_001)[0].1, 333);
        // A share of a tiny claim that rounds to nothing is left out.
        assert_eq!(partial.amounts(2).len(), 0);
    }

    #[test]
    fn schedules_land_on_working_days() {
        let d = |m, day| Date::new(2026, m, day).unwrap();
        let plan = PaymentPlan {
            settlements: vec![
                Settlement {
                    offset_days: -40,
                    kind: EntryKind::Payment,
                    per_mille: 500,
                },
                Settlement {
                    offset_days: 3,
                    kind: EntryKind::Payment,
                    per_mille: 500,
                },
            ],
        };
        // Issued Tuesday 3 March 2026, due Thursday 2 April. The first payment (due − 40
        // = 21 February) cannot precede the invoice: 3 March. The second: 2 April + 3 =
        // Sunday 5 April, so Monday 6 April.
        let s = plan.schedule(d(3, 3), d(4, 2), 10_001);
        assert_eq!(s[0].date, d(3, 3));
        assert_eq!(s[1].date, d(4, 6));
        assert_eq!(s[0].amount_minor + s[1].amount_minor, 10_001);
    }
}
