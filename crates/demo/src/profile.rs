//! The skeleton of a portfolio, drawn before any name or ledger: each debtor's profile
//! (country, kind, size, behaviour, contract, terms), how many claims each debtor has, on
//! which days they were issued, and the number each invoice gets in its yearly sequence.
//!
//! The skeleton costs a few bytes a claim (about 12 MB for a million claims); everything
//! else is built from it one debtor at a time, which is what lets a million-claim portfolio
//! stream through in constant memory.

use crate::amounts::{amount_in_step, round_to};
use crate::behaviour::Behaviour;
use crate::calendar::{Terms, first_of_month, is_weekend, next_working_day};
use crate::identity::{Country, Party};
use crate::rng::Rng;
use domain::Currency;

/// Independent streams of draws (see [`Rng::derive`]).
pub const STREAM_PROFILE: u64 = 1;
pub const STREAM_IDENTITY: u64 = 2;
pub const STREAM_DATES: u64 = 3;
pub const STREAM_CLAIMS: u64 = 4;

/// How far back the portfolio's invoices go: 18 months of 30.44 days.
pub const WINDOW_DAYS: i32 = 548;
/// Monthly contracts (rent, credit) go back this many months at most.
const WINDOW_MONTHS: i32 = 18;

/// Where debtors come from, in per mille of debtors.
const ORIGINS: &[((Country, bool), u32)] = &[
    ((Country::Fr, false), 650), // French companies (and a few public bodies)
    ((Country::Fr, true), 200),  // French individuals
    ((Country::De, false), 40),
    ((Country::Be, false), 40),
    ((Country::Es, false), 25),
    ((Country::It, false), 25),
    ((Country::Gb, false), 20),
];

/// Share of French organisations that are public bodies, per mille.
const PUBLIC_PER_MILLE: u32 = 30;

/// Size classes and their shares in per mille: the class is a debtor's base weight in the
/// number of invoices. 2 % of companies are key accounts (class 100).
const COMPANY_SIZES: &[(u32, u32)] = &[(1, 550), (3, 250), (8, 120), (25, 60), (100, 20)];
const PUBLIC_SIZES: &[(u32, u32)] = &[(3, 500), (8, 400), (25, 100)];
const PERSON_SIZES: &[(u32, u32)] = &[(1, 850), (3, 150)];
/// The weight of a monthly contract: about a year of monthly claims with the default
/// parameters.
const MONTHLY_SIZE: u32 = 8;
/// The weight of a key account.
pub const KEY_ACCOUNT_SIZE: u32 = 100;

/// Behaviours of business customers, per mille.
pub const B2B_BEHAVIOURS: &[(Behaviour, u32)] = &[
    (Behaviour::EarlyPayer, 170),
    (Behaviour::OnTime, 440),
    (Behaviour::SlightlyLate, 250),
    (Behaviour::ChronicLate, 50),
    (Behaviour::PartialPayer, 30),
    (Behaviour::Disputer, 40),
    (Behaviour::Defaulter, 20),
];
/// Behaviours of individuals, per mille.
pub const B2C_BEHAVIOURS: &[(Behaviour, u32)] = &[
    (Behaviour::EarlyPayer, 110),
    (Behaviour::OnTime, 480),
    (Behaviour::SlightlyLate, 200),
    (Behaviour::ChronicLate, 50),
    (Behaviour::PartialPayer, 60),
    (Behaviour::Disputer, 30),
    (Behaviour::Defaulter, 70),
];
/// Public bodies pay slowly but always pay.
pub const PUBLIC_BEHAVIOURS: &[(Behaviour, u32)] = &[
    (Behaviour::OnTime, 400),
    (Behaviour::SlightlyLate, 400),
    (Behaviour::ChronicLate, 200),
];

/// What the debtor is invoiced for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contract {
    /// Goods and services, invoiced as they are delivered.
    Sales,
    /// Monthly rent of premises (a company) or a flat (a person): issued on the 1st, due
    /// on the 5th.
    Rent,
    /// Monthly instalments of a consumer credit: issued on the 1st, debited on the 10th.
    Credit,
}

/// Everything drawn about a debtor before their name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub country: Country,
    pub party: Party,
    /// Size class: 1, 3, 8, 25 or 100 (a key account); monthly contracts are 8.
    pub size: u32,
    /// Weight in the number of claims: the size class times a factor of 0.4 to 1.6 (in
    /// tenths), so that two customers of a class do not have exactly as many invoices.
    pub weight: u32,
    pub behaviour: Behaviour,
    pub contract: Contract,
    pub currency: Currency,
    pub terms: Terms,
    /// The usual size of an invoice, as a step on the log scale of `amounts`.
    pub base_step: i32,
    /// The amount of each monthly claim (rent, instalment), in minor units.
    pub monthly_minor: i64,
    /// For a defaulter, the day around which they stopped paying and ordering.
    pub stop_day: i32,
}

impl Profile {
    pub fn is_person(&self) -> bool {
        self.party == Party::Person
    }

    pub fn is_key_account(&self) -> bool {
        self.size == KEY_ACCOUNT_SIZE
    }

    /// Draws the profile of one debtor.
    pub fn draw(rng: &mut Rng, as_of_day: i32) -> Self {
        let (country, person) = rng.pick(ORIGINS);
        let public = country == Country::Fr && !person && rng.chance(PUBLIC_PER_MILLE);
        let mut size = if person {
            rng.pick(PERSON_SIZES)
        } else if public {
            rng.pick(PUBLIC_SIZES)
        } else {
            rng.pick(COMPANY_SIZES)
        };
        let behaviour = if public {
            rng.pick(PUBLIC_BEHAVIOURS)
        } else if person {
            rng.pick(B2C_BEHAVIOURS)
        } else {
            rng.pick(B2B_BEHAVIOURS)
        };
        // Nobody keeps delivering a big account that has stopped paying: defaulters are
        // small customers.
        if behaviour == Behaviour::Defaulter {
            size = size.min(3);
        }
        let party = if person {
            Party::Person
        } else if public {
            Party::PublicBody
        } else {
            Party::Company { big: size >= 25 }
        };
        let contract_draw = rng.below(1000);
        let contract = match (party, contract_draw) {
            (Party::Person, 0..90) => Contract::Credit,
            (Party::Person, 90..120) => Contract::Rent,
            (Party::Company { big: false }, 0..40) if country == Country::Fr => Contract::Rent,
            _ => Contract::Sales,
        };
        if contract != Contract::Sales {
            size = MONTHLY_SIZE;
        }
        let gbp = rng.chance(800);
        let currency = if country == Country::Gb && gbp {
            Currency::GBP
        } else {
            Currency::EUR
        };
        let terms_draw = rng.below(1000);
        let terms = match contract {
            Contract::Rent => Terms::Net(4),
            Contract::Credit => Terms::Net(9),
            Contract::Sales => sales_terms(country, party, terms_draw),
        };
        let jitter = rng.between_i32(-4, 4);
        let base_step = match party {
            Party::Person => 13 + jitter.clamp(-3, 3),
            Party::PublicBody => 19 + jitter.clamp(-3, 3),
            Party::Company { .. } => {
                let by_size = match size {
                    1 => 15,
                    3 => 16,
                    8 => 17,
                    25 => 19,
                    _ => 20,
                };
                by_size + jitter
            }
        };
        let rent_step = rng.between_i32(19, 23);
        let rent_minor = amount_in_step(rng, rent_step);
        let flat_minor = rng.between(45_000, 110_000);
        let instalment_minor = rng.between(4_000, 40_000);
        let monthly_minor = match contract {
            Contract::Sales => 0,
            // Rents are round figures: to the €10 for premises and for flats.
            Contract::Rent if person => round_to(flat_minor, 1_000),
            Contract::Rent => round_to(rent_minor, 1_000),
            Contract::Credit => instalment_minor,
        };
        let stop_day = as_of_day - rng.between_i32(10, WINDOW_DAYS - 30);
        let weight = size * rng.between_i32(4, 16).unsigned_abs();
        Self {
            country,
            party,
            size,
            weight,
            behaviour,
            contract,
            currency,
            terms,
            base_step,
            monthly_minor,
            stop_day,
        }
    }

    /// The issue days of this debtor's `count` claims, ascending.
    pub fn issue_days(&self, rng: &mut Rng, count: usize, as_of_day: i32) -> Vec<i32> {
        let mut days = Vec::with_capacity(count);
        let defaulter = self.behaviour == Behaviour::Defaulter;
        let latest = if defaulter { self.stop_day } else { as_of_day };
        match self.contract {
            Contract::Sales => {
                let first = as_of_day - WINDOW_DAYS + 1;
                // A defaulter's orders stop at their stop day, after a few months of
                // buying without paying.
                let low = if defaulter {
                    (latest - 150).max(first)
                } else {
                    first
                };
                for _ in 0..count {
                    days.push(working_day_between(rng, low, latest));
                }
                days.sort_unstable();
            }
            Contract::Rent | Contract::Credit => {
                // Consecutive months ending with the latest one, within the window; a
                // debtor with more claims than months gets a second claim in some months
                // (a rent adjustment, a rescheduled instalment).
                let first = as_of_day - WINDOW_DAYS + 1;
                let available = (1..WINDOW_MONTHS)
                    .take_while(|&back| first_of_month(latest, -back) >= first)
                    .count() as i32
                    + 1;
                let months = i32::try_from(count).unwrap_or(i32::MAX);
                for k in 0..months {
                    let back = (months - 1 - k) % available;
                    days.push(first_of_month(latest, -back));
                }
                days.sort_unstable();
            }
        }
        days
    }
}

fn sales_terms(country: Country, party: Party, draw: u64) -> Terms {
    use Terms::{Net, NetThenEndOfMonth};
    match (country, party) {
        // The State and local authorities must pay within 30 days (C. commande publique
        // R2192-10).
        (_, Party::PublicBody) => Net(30),
        (_, Party::Person) => match draw {
            0..500 => Net(15),
            _ => Net(30),
        },
        (Country::Fr, _) => match draw {
            0..350 => Net(30),
            350..450 => Net(45),
            450..750 => Net(60),
            _ => NetThenEndOfMonth(45),
        },
        (Country::De, _) => match draw {
            0..250 => Net(14),
            250..850 => Net(30),
            _ => Net(60),
        },
        (Country::Be, _) => match draw {
            0..600 => Net(30),
            _ => Net(60),
        },
        (Country::Es, _) => match draw {
            0..300 => Net(30),
            _ => Net(60),
        },
        (Country::It, _) => match draw {
            0..200 => Net(30),
            200..700 => Net(60),
            _ => NetThenEndOfMonth(60),
        },
        (Country::Gb, _) => match draw {
            0..800 => Net(30),
            _ => Net(60),
        },
    }
}

/// A uniformly drawn working day in `low..=high` (invoices are issued Monday to Friday).
fn working_day_between(rng: &mut Rng, low: i32, high: i32) -> i32 {
    for _ in 0..16 {
        let d = rng.between_i32(low, high);
        if !is_weekend(d) {
            return d;
        }
    }
    // Only reached when the range holds no working day at all, or with a probability of
    // (2/7)^16 otherwise: fall back to the nearest working day, never after `high`.
    let d = next_working_day(low);
    if d <= high { d } else { low }
}

/// How many claims each debtor gets: every debtor at least one when there are enough
/// claims, the rest shared in proportion to the debtors' weights, exactly `claims` in all.
/// The share of debtor i is the difference of ⌊rest × W(i) / W⌋ between consecutive
/// cumulative weights W(i), so the counts always sum to the total, with no rounding drift.
pub fn apportion(weights: &[u32], claims: u64) -> Vec<u32> {
    if weights.is_empty() {
        return Vec::new();
    }
    let n = weights.len() as u64;
    let (base, rest) = if claims >= n {
        (1u64, claims - n)
    } else {
        (0, claims)
    };
    let total: u128 = weights.iter().map(|&w| u128::from(w.max(1))).sum();
    let mut cumulative: u128 = 0;
    let mut given: u64 = 0;
    weights
        .iter()
        .map(|&w| {
            cumulative += u128::from(w.max(1));
            // At most `rest`, which fits in u64.
            let upto = (u128::from(rest) * cumulative / total) as u64;
            let count = base + (upto - given);
            given = upto;
            u32::try_from(count).unwrap_or(u32::MAX)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact_and_proportional() {
        assert_eq!(apportion(&[1, 1, 1], 3), [1, 1, 1]);
        // 3 debtors, 13 claims: 1 each, the other 10 shared 1:1:8 → ⌊10×1/10⌋ = 1,
        // ⌊10×2/10⌋ − 1 = 1, 10 − 2 = 8.
        assert_eq!(apportion(&[1, 1, 8], 13), [2, 2, 9]);
        // Fewer claims than debtors: some debtors get none, the total is still exact.
        let few = apportion(&[1, 3, 1, 3, 1], 2);
        assert_eq!(few.iter().sum::<u32>(), 2);
        assert!(few.iter().all(|&c| c <= 1));
        assert_eq!(apportion(&[], 10), Vec::<u32>::new());
        assert_eq!(apportion(&[5, 5], 0), [0, 0]);
        let big = apportion(&[1, 100, 7, 3, 25], 1_000_003);
        assert_eq!(big.iter().map(|&c| u64::from(c)).sum::<u64>(), 1_000_003);
        assert!(big[1] > big[4] && big[4] > big[2] && big[2] > big[3] && big[3] > big[0]);
    }

    #[test]
    fn issue_days_are_working_days_in_the_window() {
        let as_of = 20_500; // 2026-02-16, a Monday
        let mut rng = Rng::new(8);
        for _ in 0..200 {
            let p = Profile::draw(&mut rng, as_of);
            let days = p.issue_days(&mut rng, 30, as_of);
            assert_eq!(days.len(), 30);
            assert!(days.windows(2).all(|w| w[0] <= w[1]));
            for &d in &days {
                assert!(d <= as_of && d > as_of - WINDOW_DAYS, "{p:?} {d}");
                if p.contract == Contract::Sales {
                    assert!(!is_weekend(d));
                } else {
                    assert_eq!(crate::calendar::date_from_day(d).day(), 1);
                }
            }
        }
    }

    #[test]
    fn defaulters_are_small_and_public_bodies_pay() {
        let mut rng = Rng::new(4);
        for _ in 0..5_000 {
            let p = Profile::draw(&mut rng, 20_000);
            if p.behaviour == Behaviour::Defaulter {
                assert!(p.size <= 3 || p.contract != Contract::Sales, "{p:?}");
            }
            if p.party == Party::PublicBody {
                assert!(matches!(
                    p.behaviour,
                    Behaviour::OnTime | Behaviour::SlightlyLate | Behaviour::ChronicLate
                ));
            }
            if p.currency == Currency::GBP {
                assert_eq!(p.country, Country::Gb);
            }
        }
    }
}
