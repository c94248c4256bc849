//! Streams a generated portfolio and prints what a credit manager would look at first: the
//! aged balance, who the debtors are, how they pay, and how long generation took.
//!
//! ```text
//! cargo run -p recouvre-demo --release --example stats -- --debtors 200000 --claims 1000000
//! ```
//!
//! Options: `--debtors N`, `--claims N`, `--seed S`, `--as-of YYYY-MM-DD` (default
//! 2026-03-31), `--sample N` (print the first N accounts in full).

use domain::aging::{AgedBalance, Buckets};
use domain::{ClaimStatus, Currency, EntryKind};
use recouvre_demo::{Behaviour, DemoParams, Generator};
use std::collections::BTreeMap;
use std::time::Instant;

fn main() -> Result<(), String> {
    let mut params =
        DemoParams::new(domain::date::parse_iso("2026-03-31").map_err(|e| e.to_string())?);
    let mut sample = 0usize;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            return Err(format!("{pair:?}: every option takes a value"));
        };
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--debtors" => params.debtors = value.parse().map_err(|e| bad(&e))?,
            "--claims" => params.claims = value.parse().map_err(|e| bad(&e))?,
            "--seed" => params.seed = value.parse().map_err(|e| bad(&e))?,
            "--sample" => sample = value.parse().map_err(|e| bad(&e))?,
            "--as-of" => params.as_of = domain::date::parse_iso(value).map_err(|e| bad(&e))?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }

    let started = Instant::now();
    let generator = Generator::new(&params);
    let skeleton = started.elapsed();
    let buckets = Buckets::default();
    let mut aged = AgedBalance::new(buckets.clone());
    let mut countries: BTreeMap<String, usize> = BTreeMap::new();
    let mut behaviours: BTreeMap<Behaviour, usize> = BTreeMap::new();
    let mut tags: BTreeMap<String, usize> = BTreeMap::new();
    let (mut entries, mut written_off, mut settled, mut invoiced_eur) =
        (0usize, 0usize, 0usize, 0i64);
    // Open and overdue EUR by behaviour.
    let mut amounts: Vec<i64> = Vec::with_capacity(generator.claim_count());
    let mut per_debtor: Vec<usize> = Vec::with_capacity(generator.debtor_count());
    let mut key_accounts: Vec<usize> = Vec::new();
    let mut by_behaviour: BTreeMap<Behaviour, (i64, i64)> = BTreeMap::new();
    for batch in generator.batches(20_000) {
        let first_id = batch.debtors[0].debtor.id.0;
        let mut claims_of: BTreeMap<i64, usize> = BTreeMap::new();
        for c in &batch.claims {
            *claims_of.entry(c.claim.debtor_id.0).or_default() += 1;
        }
        for d in &batch.debtors {
            let count = claims_of.get(&d.debtor.id.0).copied().unwrap_or(0);
            per_debtor.push(count);
            if d.debtor.tags.iter().any(|t| t == "key_account") {
                key_accounts.push(count);
            }
            *countries.entry(d.debtor.country.clone()).or_default() += 1;
            *behaviours.entry(d.behaviour).or_default() += 1;
            for t in &d.debtor.tags {
                *tags.entry(t.clone()).or_default() += 1;
            }
        }
        for c in &batch.claims {
            entries += c.ledger.entries().len();
            if c.claim.currency == Currency::EUR {
                amounts.push(c.ledger.total_of(EntryKind::Invoice, params.as_of).minor());
                invoiced_eur += c.ledger.total_of(EntryKind::Invoice, params.as_of).minor();
            }
            match c.ledger.status(&c.claim, params.as_of) {
                ClaimStatus::WrittenOff => written_off += 1,
                ClaimStatus::Settled => settled += 1,
                _ => {}
            }
            let behaviour = batch.debtors[(c.claim.debtor_id.0 - first_id) as usize].behaviour;
            if c.claim.currency == Currency::EUR {
                let open = c.ledger.balance_as_of(params.as_of).minor();
                let slot = by_behaviour.entry(behaviour).or_default();
                slot.0 += open;
                if c.claim.days_past_due(params.as_of) > 0 {
                    slot.1 += open;
                }
            }
            aged.add(
                c.claim.currency,
                c.claim.days_past_due(params.as_of),
                c.ledger.balance_as_of(params.as_of).minor(),
            );
        }
    }
    let total = started.elapsed();

    println!(
        "{} debtors, {} claims, {entries} ledger entries, seed {}, as of {}",
        generator.debtor_count(),
        generator.claim_count(),
        params.seed,
        params.as_of
    );
    println!("skeleton {skeleton:?}, whole portfolio {total:?}");
    println!(
        "settled {settled}, written off {written_off}, open {}; invoiced {} EUR",
        aged.open_claims(),
        invoiced_eur / 100
    );
    amounts.sort_unstable();
    let at = |per_mille: usize| {
        amounts
            .get(amounts.len() * per_mille / 1000)
            .map_or(0, |m| m / 100)
    };
    println!(
        "EUR invoice amounts: min {}, p10 {}, median {}, p90 {}, p99 {}, max {}",
        at(0),
        at(100),
        at(500),
        at(900),
        at(990),
        amounts.last().map_or(0, |m| m / 100)
    );
    per_debtor.sort_unstable();
    key_accounts.sort_unstable();
    println!(
        "claims per debtor: median {}, p90 {}, max {}; key accounts {:?}",
        per_debtor.get(per_debtor.len() / 2).unwrap_or(&0),
        per_debtor.get(per_debtor.len() * 9 / 10).unwrap_or(&0),
        per_debtor.last().unwrap_or(&0),
        (key_accounts.first(), key_accounts.last())
    );
    let open = aged.total().get(Currency::EUR).minor().max(1);
    println!("\naged balance (EUR)");
    for (i, row) in aged.rows.iter().enumerate() {
        let amount = aged.bucket_amount(i, Currency::EUR).minor();
        println!(
            "  {:>8}  {:>7} claims  {:>14} EUR  {:>3} %",
            row.label,
            row.claims,
            amount / 100,
            amount * 100 / open
        );
    }
    let overdue = aged.overdue().get(Currency::EUR).minor();
    println!("  overdue {} % of the open amount", overdue * 100 / open);
    println!("  GBP open: {}", aged.total().get(Currency::GBP));
    let n = generator.debtor_count().max(1);
    println!("\ncountries (per mille of debtors)");
    for (c, k) in &countries {
        println!("  {c}  {:>4}", k * 1000 / n);
    }
    println!("\nbehaviours (per mille of debtors)");
    for (b, k) in &behaviours {
        println!("  {:<14} {:>4}", b.as_str(), k * 1000 / n);
    }
    println!("\nopen and overdue EUR by behaviour (per cent of the open amount)");
    for (b, (o, late)) in &by_behaviour {
        println!(
            "  {:<14} open {:>3} %  overdue {:>3} %",
            b.as_str(),
            o * 100 / open,
            late * 100 / open
        );
    }
    println!("\ntags");
    for (t, k) in &tags {
        println!("  {t:<14} {k}");
    }
    for account in generator.accounts().take(sample) {
        let d = &account.debtor;
        println!(
            "\n{} {} [{}] {} {} {:?} {:?} {}",
            d.debtor.external_id,
            d.debtor.name,
            d.debtor.tags.join(","),
            d.debtor.country,
            d.debtor.language,
            d.behaviour,
            d.terms,
            account.claims.len()
        );
        for c in &d.debtor.contacts {
            println!(
                "    {:?} {} ({})",
                c.kind,
                c.value,
                c.label.as_deref().unwrap_or("")
            );
        }
        for c in account.claims.iter().take(4) {
            println!(
                "    {} {} {} due {} -> {}",
                c.claim.number,
                c.claim.nature,
                c.claim.issue_date,
                c.claim.due_date,
                c.ledger.status(&c.claim, params.as_of).label()
            );
            for e in c.ledger.entries() {
                println!(
                    "        {} {:<12} {:>12} {}",
                    e.date,
                    e.kind.as_str(),
                    e.amount_minor,
                    e.reference.as_deref().unwrap_or("")
                );
            }
        }
    }
    Ok(())
}
