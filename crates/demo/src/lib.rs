//! # recouvre-demo
//!
//! A deterministic generator of realistic collection portfolios, for the demo, simulations
//! and benchmarks. `recouvre demo` loads what [`generate`] builds; the benchmarks stream a
//! million claims through [`Generator::batches`]; the simulation (issue 5) replays the
//! future part of each claim's [`PaymentPlan`].
//!
//! ## Determinism
//!
//! The same [`DemoParams`] always give the same portfolio, on every machine and with every
//! future version of our dependencies: the only source of chance is the SplitMix64
//! generator written out in [`rng`], all arithmetic is on integers, and no hash map's
//! order is ever observed. Each debtor draws from their own streams (profile, identity,
//! dates, claims), so debtor 17 is the same whether the portfolio has 100 debtors or
//! 200,000 — only the number of claims each gets depends on the total.
//!
//! ## What the default portfolio looks like (2,000 debtors, 20,000 claims)
//!
//! One creditor, *Atelier Durand Industrie SAS* (`DURAND`, France), a metalwork and
//! machining firm selling to trade customers and, for custom work, to individuals.
//!
//! Debtors, in per mille of debtors:
//!
//! | origin | share | details |
//! | --- | --- | --- |
//! | French companies | 650 | SAS, SARL, SASU, EURL, SA; 3 % of them public bodies (towns, hospitals, schools) tagged `public_sector` |
//! | French individuals | 200 | common first and last names; not all have an e-mail or a phone |
//! | Germany | 40 | GmbH, GmbH & Co. KG, AG; language `de` |
//! | Belgium | 40 | SRL/SA in Wallonia and Brussels (`fr`), BV/NV in Flanders (`nl`) |
//! | Spain | 25 | S.L., S.A.; `es` |
//! | Italy | 25 | S.r.l., S.p.A.; `it` |
//! | United Kingdom | 20 | Ltd, plc; `en`; 80 % invoiced in GBP, the rest in EUR |
//!
//! Customer size decides the number of invoices: among companies, 55 % are occasional
//! buyers, 25 % regular, 12 % frequent, 6 % large and 2 % key accounts (tagged
//! `key_account`), weighted 1 : 3 : 8 : 25 : 100, each debtor's weight then varied by a
//! factor of 0.4 to 1.6. Every debtor has at least one claim when there are at least as
//! many claims as debtors; the rest are shared in proportion to the weights, so that the
//! total is exactly `claims` (with the defaults: a median of 4 invoices, key accounts
//! about 80 to 300).
//!
//! Behaviours (see [`Behaviour`] for what each does to a claim), in per mille:
//!
//! | behaviour | companies | individuals | public bodies |
//! | --- | --- | --- | --- |
//! | early payer | 170 | 110 | 0 |
//! | on time | 440 | 480 | 400 |
//! | slightly late | 250 | 200 | 400 |
//! | chronic late | 50 | 50 | 200 |
//! | partial payer | 30 | 60 | 0 |
//! | disputer | 40 | 30 | 0 |
//! | defaulter | 20 | 70 | 0 |
//!
//! Over all debtors that is about 155 early payers, 450 on time, 245 slightly late, 55
//! chronic late, 35 partial payers, 38 disputers and 30 defaulters per mille. The shares
//! follow what French surveys of payment delays report: most firms pay within terms or
//! a few weeks late, a few percent very late, and the amounts at stake concentrate on a
//! few large customers.
//!
//! A defaulter is always a small customer (nobody keeps delivering a big account that has
//! stopped paying): their invoices fall in the five months before the day they stopped.
//!
//! Claims are issued on working days over the 18 months before `as_of` (those of the last
//! weeks are not yet due). Invoices are numbered per year in issue order: `FA-2025-000123`
//! for goods and services, `LOY-` for rent, `ECH-` for credit instalments; the number is
//! also the claim's external id. Natures: commercial for companies, consumer for
//! individuals; 4 % of small French companies rent premises from the creditor and 3 % of
//! individuals a flat (`rent`, issued on the 1st, due on the 5th), 9 % of individuals
//! repay a consumer credit (`consumer_credit`, issued on the 1st, debited on the 10th).
//!
//! Payment terms: French companies 30 days net (35 %), 45 days net (10 %), 60 days net
//! (30 %), 45 days end of month (25 %); public bodies 30 days; individuals 15 or 30 days;
//! German customers mostly 30 (some 14 or 60), Spanish and Italian mostly 60, Belgian and
//! British 30 or 60.
//!
//! Amounts are drawn on a logarithmic scale ([`amounts`]): individuals from about €15 to
//! €7,500, typically a few hundred euros; companies around €750 for occasional buyers up
//! to €3,200 for key accounts, a factor of up to ~6 either way, and 1.5 % of business
//! invoices are projects 5 to 30 times larger, capped just under €1,000,000. With the
//! defaults: median invoice about €1,900, 99th percentile about €36,000, some 90 M€
//! invoiced over the 18 months. Rents (€450–1,100 for a flat, €2,400–7,500 for premises)
//! and instalments (€40–400) are fixed per debtor.
//!
//! ## The ledgers
//!
//! Each claim's ledger holds its invoice (dated the issue date) and the settlements of its
//! payment plan dated up to `as_of`, on working days; later ones are the future and are
//! not posted (they stay in [`DemoClaim::plan`]). A claim the plan leaves partly unpaid is
//! written off ("passage en perte") with a probability of 70 %, between 12 and 16 months
//! after its due date, when that date has come by `as_of`. References: `VIR FA-…` for a
//! transfer, `CHQ 1234567` for some individuals' cheques, `PRLV SEPA ECH-…` for direct
//! debits, `AV-FA-…` for credit notes.
//!
//! With the default parameters the aged balance looks like a French SME's: most of the
//! open amount not yet due or 1–30 days late, overdue about a quarter of the open amount,
//! and a tail beyond 180 days made of defaulters, unresolved disputes and unpaid rests.
//!
//! ## Scale
//!
//! [`Generator::new`] draws the skeleton (profiles, claim counts, issue days, invoice
//! numbers: 8 bytes a claim and a few dozen a debtor); debtors, claims and ledgers are
//! then built one account at a time by [`Generator::accounts`] or [`Generator::batches`],
//! so 1,000,000 claims for 200,000 debtors stream through in about 2 seconds and 40 MB
//! (release build, one core). [`generate`] collects everything in memory, which suits the
//! demo's default size; a million claims held at once take a few hundred bytes each.
//!
//! Everything made up here is made so that it cannot reach a real person: e-mail domains
//! end in `.example`, French and British phone numbers come from the blocks the regulators
//! keep for fiction (see [`identity`]).

pub mod amounts;
pub mod behaviour;
pub mod calendar;
pub mod identity;
mod profile;
pub mod rng;

pub use behaviour::{Behaviour, ClaimFacts, PaymentPlan, Scheduled, Settlement};
pub use calendar::Terms;
pub use rng::Rng;

use crate::calendar::{date_from_day, next_working_day};
use crate::identity::Party;
use crate::profile::{
    Contract, Profile, STREAM_CLAIMS, STREAM_DATES, STREAM_IDENTITY, STREAM_PROFILE, apportion,
};
use domain::date::day_number;
use domain::{
    Claim, ClaimId, ClaimLedger, ClaimNumber, Creditor, CreditorId, Date, Debtor, DebtorId,
    DebtorKind, EntryKind, Money, Nature, Segment,
};

/// The default size of the demo portfolio.
pub const DEFAULT_DEBTORS: usize = 2_000;
pub const DEFAULT_CLAIMS: usize = 20_000;
/// The default seed (the `recouvre demo` default).
pub const DEFAULT_SEED: u64 = 2026;

/// The creditor of the demo portfolio.
pub const CREDITOR_CODE: &str = "DURAND";
pub const CREDITOR_NAME: &str = "Atelier Durand Industrie SAS";

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoParams {
    /// Number of debtors, exactly.
    pub debtors: usize,
    /// Number of claims, exactly (at most `u32::MAX`; more is treated as `u32::MAX`).
    /// With zero debtors there is nobody to invoice and no claim is generated.
    pub claims: usize,
    /// The same seed gives the same portfolio.
    pub seed: u64,
    /// The day the portfolio is seen from: nothing in it is dated later.
    pub as_of: Date,
}

impl DemoParams {
    /// The default demo portfolio (2,000 debtors, 20,000 claims, seed 2026) seen on `as_of`.
    pub fn new(as_of: Date) -> Self {
        Self {
            debtors: DEFAULT_DEBTORS,
            claims: DEFAULT_CLAIMS,
            seed: DEFAULT_SEED,
            as_of,
        }
    }
}

/// A whole generated portfolio, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portfolio {
    pub creditors: Vec<Creditor>,
    /// In id order, ids from 1.
    pub debtors: Vec<DemoDebtor>,
    /// In id order, ids from 1, grouped by debtor and by issue date within a debtor.
    pub claims: Vec<DemoClaim>,
}

/// A debtor and how they pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDebtor {
    pub debtor: Debtor,
    pub behaviour: Behaviour,
    /// The payment terms of the debtor's invoices.
    pub terms: Terms,
}

/// A claim, its ledger as of `as_of`, and the whole plan its debtor follows for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoClaim {
    pub claim: Claim,
    /// Invoice, settlements and write-off dated up to `as_of`.
    pub ledger: ClaimLedger,
    /// Every settlement the debtor will make, including those after `as_of` that are not
    /// in the ledger yet (offsets from the due date; see [`PaymentPlan::amounts`]).
    pub plan: PaymentPlan,
}

/// One debtor with all their claims: the unit the generator builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub debtor: DemoDebtor,
    pub claims: Vec<DemoClaim>,
}

/// Several whole accounts: debtors first, then their claims, so that a store can insert
/// a batch in order without dangling references.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub debtors: Vec<DemoDebtor>,
    pub claims: Vec<DemoClaim>,
}

/// Builds the whole portfolio in memory. For very large portfolios, stream it with
/// [`Generator::batches`] instead.
pub fn generate(params: &DemoParams) -> Portfolio {
    let generator = Generator::new(params);
    let mut debtors = Vec::with_capacity(generator.debtor_count());
    let mut claims = Vec::with_capacity(generator.claim_count());
    for account in generator.accounts() {
        debtors.push(account.debtor);
        claims.extend(account.claims);
    }
    Portfolio {
        creditors: generator.creditors(),
        debtors,
        claims,
    }
}

/// The skeleton of a portfolio, from which accounts are built on demand, in any order and
/// as many times as wanted: account `i` is always the same.
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    as_of: Date,
    as_of_day: i32,
    profiles: Vec<Profile>,
    /// Index of each debtor's first claim; one more entry than debtors.
    first_claim: Vec<u32>,
    /// Issue day of each claim, in claim order.
    issue_days: Vec<i32>,
    /// Each claim's number in its yearly sequence.
    sequence: Vec<u32>,
}

impl Generator {
    /// Draws the skeleton: every debtor's profile, claim count and issue days, and the
    /// invoice numbers. Linear in the number of claims, plus one sort of them.
    pub fn new(params: &DemoParams) -> Self {
        let as_of_day = day_number(params.as_of);
        let profiles: Vec<Profile> = (0..params.debtors)
            .map(|i| {
                Profile::draw(
                    &mut Rng::derive(params.seed, STREAM_PROFILE, i as u64),
                    as_of_day,
                )
            })
            .collect();
        let wanted = u64::try_from(params.claims)
            .unwrap_or(u64::MAX)
            .min(u64::from(u32::MAX));
        let weights: Vec<u32> = profiles.iter().map(|p| p.weight).collect();
        let counts = apportion(&weights, wanted);
        let mut first_claim = Vec::with_capacity(profiles.len() + 1);
        let mut issue_days = Vec::with_capacity(counts.iter().map(|&c| c as usize).sum());
        first_claim.push(0u32);
        for (i, (profile, &count)) in profiles.iter().zip(&counts).enumerate() {
            let mut rng = Rng::derive(params.seed, STREAM_DATES, i as u64);
            issue_days.extend(profile.issue_days(&mut rng, count as usize, as_of_day));
            // The total is at most u32::MAX (see `wanted`).
            first_claim.push(u32::try_from(issue_days.len()).unwrap_or(u32::MAX));
        }
        let sequence = number_claims(&profiles, &first_claim, &issue_days, as_of_day);
        Self {
            seed: params.seed,
            as_of: params.as_of,
            as_of_day,
            profiles,
            first_claim,
            issue_days,
            sequence,
        }
    }

    pub fn debtor_count(&self) -> usize {
        self.profiles.len()
    }

    pub fn claim_count(&self) -> usize {
        self.issue_days.len()
    }

    /// The creditors: one, `DURAND`, with id 1.
    pub fn creditors(&self) -> Vec<Creditor> {
        vec![Creditor {
            id: CreditorId(1),
            code: CREDITOR_CODE.to_string(),
            name: CREDITOR_NAME.to_string(),
            country: "FR".to_string(),
        }]
    }

    /// Every account in id order.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts {
            generator: self,
            next: 0,
        }
    }

    /// Every account in id order, grouped in batches of about `claims_per_batch` claims:
    /// accounts are added to a batch until it holds that many claims or more. A debtor's
    /// claims are never split, so a batch may exceed the figure by one account.
    pub fn batches(&self, claims_per_batch: usize) -> Batches<'_> {
        Batches {
            accounts: self.accounts(),
            claims_per_batch: claims_per_batch.max(1),
        }
    }

    /// Account `index` (debtor id `index + 1`), or `None` past the last debtor.
    pub fn account(&self, index: usize) -> Option<Account> {
        let profile = self.profiles.get(index)?;
        let debtor_id = DebtorId(index as i64 + 1);
        let mut rng = Rng::derive(self.seed, STREAM_IDENTITY, index as u64);
        let identity = identity::identity(&mut rng, profile.country, profile.party);
        let mut tags = Vec::new();
        if profile.is_key_account() {
            tags.push("key_account".to_string());
        }
        if profile.party == Party::PublicBody {
            tags.push("public_sector".to_string());
        }
        let debtor = Debtor {
            id: debtor_id,
            creditor_id: CreditorId(1),
            external_id: format!("C{:06}", index + 1),
            name: identity.name,
            kind: if profile.is_person() {
                DebtorKind::Person
            } else {
                DebtorKind::Company
            },
            segment: if profile.is_person() {
                Segment::B2c
            } else {
                Segment::B2b
            },
            country: profile.country.code().to_string(),
            language: identity.language.to_string(),
            contacts: identity.contacts,
            tags,
        };
        let first = self.first_claim[index] as usize;
        let last = self.first_claim[index + 1] as usize;
        let mut rng = Rng::derive(self.seed, STREAM_CLAIMS, index as u64);
        let claims = (first..last)
            .map(|g| self.claim(&mut rng, profile, debtor_id, g))
            .collect();
        Some(Account {
            debtor: DemoDebtor {
                debtor,
                behaviour: profile.behaviour,
                terms: profile.terms,
            },
            claims,
        })
    }

    /// Builds claim `g` (id `g + 1`) of a debtor, drawing from the debtor's claim stream.
    fn claim(&self, rng: &mut Rng, profile: &Profile, debtor_id: DebtorId, g: usize) -> DemoClaim {
        let issue_day = self.issue_days[g];
        let due_day = profile.terms.due_day(issue_day);
        let nature = match profile.contract {
            Contract::Sales if profile.is_person() => Nature::Consumer,
            Contract::Sales => Nature::Commercial,
            Contract::Rent => Nature::Rent,
            Contract::Credit => Nature::ConsumerCredit,
        };
        let amount_minor = match profile.contract {
            Contract::Sales => sales_amount(rng, profile),
            Contract::Rent | Contract::Credit => profile.monthly_minor,
        };
        let facts = ClaimFacts {
            nature,
            term_days: due_day - issue_day,
        };
        let plan = profile.behaviour.payment_plan(rng, &facts);
        // Drawn for every claim, whatever `as_of`, so that the draws of a claim never
        // depend on the day the portfolio is seen from.
        let by_cheque = rng.chance(300);
        let cheque_number = rng.between(1_000_000, 9_999_999);
        let write_off_after = rng.between_i32(365, 485);
        let written_off = rng.chance(700);

        let issue_date = date_from_day(issue_day);
        let number = format!(
            "{}-{}-{:06}",
            series_prefix(profile.contract),
            issue_date.year(),
            self.sequence[g]
        );
        let currency = profile.currency;
        let money = |minor: i64| Money::from_minor(minor, currency);
        let mut ledger = ClaimLedger::new(currency);
        post(
            &mut ledger,
            EntryKind::Invoice,
            money(amount_minor),
            issue_date,
            None,
        );
        let due_date = date_from_day(due_day);
        let mut last_day = issue_day;
        let mut all_posted = true;
        for s in plan.schedule(issue_date, due_date, amount_minor) {
            if s.date > self.as_of {
                all_posted = false;
                break;
            }
            let reference = match s.kind {
                EntryKind::CreditNote => format!("AV-{number}"),
                _ if nature == Nature::ConsumerCredit => format!("PRLV SEPA {number}"),
                _ if profile.is_person() && by_cheque => format!("CHQ {cheque_number}"),
                _ => format!("VIR {number}"),
            };
            last_day = day_number(s.date);
            post(
                &mut ledger,
                s.kind,
                money(s.amount_minor),
                s.date,
                Some(reference),
            );
        }
        let open = ledger.balance().minor();
        let write_off_day = next_working_day(due_day + write_off_after);
        if written_off
            && all_posted
            && open > 0
            && !plan.settles_in_full()
            && write_off_day <= self.as_of_day
            && write_off_day >= last_day
        {
            post(
                &mut ledger,
                EntryKind::WriteOff,
                money(open),
                date_from_day(write_off_day),
                Some("créance irrécouvrable".to_string()),
            );
        }
        DemoClaim {
            claim: Claim {
                id: ClaimId(g as i64 + 1),
                creditor_id: CreditorId(1),
                debtor_id,
                external_id: number.clone(),
                number: claim_number(number),
                nature,
                issue_date,
                due_date,
                currency,
            },
            ledger,
            plan,
        }
    }
}

/// The accounts of a [`Generator`], in id order.
#[derive(Debug, Clone)]
pub struct Accounts<'a> {
    generator: &'a Generator,
    next: usize,
}

impl Iterator for Accounts<'_> {
    type Item = Account;

    fn next(&mut self) -> Option<Account> {
        let account = self.generator.account(self.next)?;
        self.next += 1;
        Some(account)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.generator.debtor_count().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Accounts<'_> {}

/// The batches of a [`Generator`], in id order.
#[derive(Debug, Clone)]
pub struct Batches<'a> {
    accounts: Accounts<'a>,
    claims_per_batch: usize,
}

impl Iterator for Batches<'_> {
    type Item = Batch;

    fn next(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        while batch.claims.len() < self.claims_per_batch {
            let Some(account) = self.accounts.next() else {
                break;
            };
            batch.debtors.push(account.debtor);
            batch.claims.extend(account.claims);
        }
        (!batch.debtors.is_empty()).then_some(batch)
    }
}

/// The amount of a goods-and-services invoice: around the debtor's usual invoice on the log
/// scale, now and then a much larger project.
fn sales_amount(rng: &mut Rng, profile: &Profile) -> i64 {
    let spread = amounts::spread(rng, 3);
    let project = rng.chance(15);
    let boost = rng.between_i32(6, 12);
    let mut step = profile.base_step + spread;
    if profile.is_person() {
        step = step.clamp(1, 22);
    } else {
        if project {
            step += boost;
        }
        step = step.clamp(8, amounts::MAX_STEP);
    }
    amounts::amount_in_step(rng, step)
}

fn series_prefix(contract: Contract) -> &'static str {
    match contract {
        Contract::Sales => "FA",
        Contract::Rent => "LOY",
        Contract::Credit => "ECH",
    }
}

/// Numbers every claim within its series and year, in issue order (ties in claim order),
/// as an invoicing system does. The window starts in the middle of a year whose earlier
/// invoices are not in the portfolio, so that year's sequence starts where the creditor's
/// would have reached by then at the same pace: with the window opening on 30 September,
/// the first invoice in it is numbered about three quarters of a year's invoices in.
fn number_claims(
    profiles: &[Profile],
    first_claim: &[u32],
    issue_days: &[i32],
    as_of_day: i32,
) -> Vec<u32> {
    let mut order: Vec<(u8, i32, u32)> = Vec::with_capacity(issue_days.len());
    let mut per_series = [0u64; 3];
    for (i, profile) in profiles.iter().enumerate() {
        let series = profile.contract as u8;
        for g in first_claim[i]..first_claim[i + 1] {
            order.push((series, issue_days[g as usize], g));
        }
        per_series[usize::from(series)] += u64::from(first_claim[i + 1] - first_claim[i]);
    }
    order.sort_unstable();
    let window_start = as_of_day - profile::WINDOW_DAYS + 1;
    let first_year = date_from_day(window_start).year();
    let elapsed = u64::try_from(window_start - first_of_year(window_start)).unwrap_or(0);
    let mut sequence = vec![0u32; issue_days.len()];
    let mut current: Option<(u8, i16)> = None;
    let mut year_of_day: Option<(i32, i16)> = None;
    let mut counter = 0u32;
    for (series, day, g) in order {
        let year = match year_of_day {
            Some((d, y)) if d == day => y,
            _ => {
                let y = date_from_day(day).year();
                year_of_day = Some((day, y));
                y
            }
        };
        if current != Some((series, year)) {
            current = Some((series, year));
            counter = if year == first_year {
                let before =
                    per_series[usize::from(series)] * elapsed / profile::WINDOW_DAYS as u64;
                u32::try_from(before).unwrap_or(0)
            } else {
                0
            };
        }
        counter += 1;
        sequence[g as usize] = counter;
    }
    sequence
}

/// The day number of 1 January of the year holding day `n`.
fn first_of_year(n: i32) -> i32 {
    let d = date_from_day(n);
    calendar::first_of_month(n, 1 - i32::from(d.month()))
}

fn post(
    ledger: &mut ClaimLedger,
    kind: EntryKind,
    amount: Money,
    date: Date,
    reference: Option<String>,
) {
    // Every amount is positive and in the ledger's currency, and settlements never exceed
    // what is open (the plan's shares sum to at most 1000 ‰ of the invoice, and the
    // write-off takes exactly the open balance), so the ledger cannot refuse an entry.
    if let Err(e) = ledger.post(kind, amount, date, reference) {
        unreachable!("the demo generator posted an invalid {kind} entry: {e}");
    }
}

fn claim_number(number: String) -> ClaimNumber {
    // "FA-2025-000123": never empty, far below 64 characters.
    match ClaimNumber::parse(&number) {
        Ok(n) => n,
        Err(e) => unreachable!("the demo generator built an invalid claim number: {e}"),
    }
}
