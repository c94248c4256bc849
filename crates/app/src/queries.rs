//! Read-side use cases: the portfolio summary, debtor and claim lists, one debtor, one
//! claim — every figure derived from the ledger as of the date asked for.

use crate::error::{AppError, AppResult};
use crate::store::{Counts, Tx};
use domain::aging::{AgedBalance, Buckets};
use domain::book::Position;
use domain::date::{Date, day_number};
use domain::money::{Currency, Money, Totals};
use domain::{Claim, ClaimId, ClaimLedger, ClaimStatus, Debtor, DebtorId};
use serde::Serialize;

/// One debtor in a list, with what it owes as of the date.
#[derive(Debug, Clone, Serialize)]
pub struct DebtorLine {
    pub id: DebtorId,
    pub external_id: String,
    pub name: String,
    pub country: String,
    pub segment: domain::Segment,
    pub claims: u32,
    pub open_claims: u32,
    pub overdue_claims: u32,
    pub open: Vec<Money>,
    pub overdue: Vec<Money>,
    pub oldest_days_late: i32,
}

impl DebtorLine {
    fn new(d: &Debtor, p: &Position) -> Self {
        Self {
            id: d.id,
            external_id: d.external_id.clone(),
            name: d.name.clone(),
            country: d.country.clone(),
            segment: d.segment,
            claims: p.claims,
            open_claims: p.open_claims,
            overdue_claims: p.overdue_claims,
            open: p.open.iter().collect(),
            overdue: p.overdue.iter().collect(),
            oldest_days_late: p.oldest_days_late,
        }
    }

    /// The overdue amount in one currency (zero when none).
    pub fn overdue_in(&self, currency: Currency) -> i64 {
        self.overdue
            .iter()
            .find(|m| m.currency() == currency)
            .map_or(0, |m| m.minor())
    }
}

/// Which debtors to list.
#[derive(Debug, Clone, Default)]
pub struct DebtorFilter {
    /// Only debtors with something overdue.
    pub overdue: bool,
    /// Case-insensitive substring of the name or the external id.
    pub search: Option<String>,
    pub limit: Option<usize>,
}

/// Debtors ordered by overdue amount (largest first, per currency), then name.
pub async fn debtors(
    tx: &mut dyn Tx,
    as_of: Date,
    filter: &DebtorFilter,
) -> AppResult<Vec<DebtorLine>> {
    let book = tx.book(None).await?;
    let debtors = tx.debtors(None).await?;
    Ok(debtors_of(&debtors, &book, as_of, filter))
}

/// [`debtors`] from a book and debtors already loaded.
pub fn debtors_of(
    debtors: &[Debtor],
    book: &domain::book::Book,
    as_of: Date,
    filter: &DebtorFilter,
) -> Vec<DebtorLine> {
    let positions = book.positions(as_of);
    let needle = filter.search.as_ref().map(|s| s.to_lowercase());
    let empty = Position::default();
    let mut lines: Vec<DebtorLine> = debtors
        .iter()
        .filter(|d| {
            needle.as_ref().is_none_or(|n| {
                d.name.to_lowercase().contains(n) || d.external_id.to_lowercase().contains(n)
            })
        })
        .map(|d| DebtorLine::new(d, positions.get(&d.id).unwrap_or(&empty)))
        .filter(|l| !filter.overdue || l.overdue_claims > 0)
        .collect();
    sort_by_overdue(&mut lines);
    if let Some(limit) = filter.limit {
        lines.truncate(limit);
    }
    lines
}

/// Largest overdue first. Amounts in different currencies are never added: debtors are
/// ranked by their overdue amount in each currency in turn (EUR first, then others by
/// code), which keeps a single-currency book in plain amount order.
fn sort_by_overdue(lines: &mut [DebtorLine]) {
    let key = |l: &DebtorLine| -> (std::cmp::Reverse<i64>, std::cmp::Reverse<i64>, String) {
        let eur = l.overdue_in(Currency::EUR);
        let other: i64 = l
            .overdue
            .iter()
            .filter(|m| m.currency() != Currency::EUR)
            .map(|m| m.minor())
            .max()
            .unwrap_or(0);
        (
            std::cmp::Reverse(eur),
            std::cmp::Reverse(other),
            l.name.clone(),
        )
    };
    lines.sort_by_cached_key(key);
}

/// One claim in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimLine {
    pub id: ClaimId,
    pub number: String,
    pub debtor_id: DebtorId,
    pub debtor_name: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub open: Money,
    pub status: ClaimStatus,
}

/// Which claims to list.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub overdue: bool,
    pub debtor: Option<DebtorId>,
    /// Only claims with at least this much open (in the claim's currency).
    pub min_open_minor: Option<i64>,
    /// Include settled and written-off claims.
    pub include_closed: bool,
    pub limit: Option<usize>,
}

/// Claims matching the filter, most overdue first.
pub async fn claims(
    tx: &mut dyn Tx,
    as_of: Date,
    filter: &ClaimFilter,
) -> AppResult<Vec<ClaimLine>> {
    let (claims, ledgers, names) = match filter.debtor {
        Some(id) => {
            let debtor = tx.debtor(id).await?.ok_or_else(|| AppError::NotFound {
                what: "debtor",
                id: id.to_string(),
            })?;
            let claims = tx.claims_of_debtor(id).await?;
            let entries = tx.ledger_entries_of_debtor(id).await?;
            (claims, entries, vec![(debtor.id, debtor.name)])
        }
        None => {
            let claims = tx.claims(None).await?;
            let entries = tx.all_ledger_entries(None).await?;
            let names = tx
                .debtors(None)
                .await?
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect();
            (claims, entries, names)
        }
    };
    let names: std::collections::HashMap<DebtorId, String> = names.into_iter().collect();
    let mut lines = Vec::new();
    let mut entries = ledgers.into_iter().peekable();
    for claim in claims {
        let mut own = Vec::new();
        while let Some((cid, _)) = entries.peek() {
            if *cid < claim.id {
                entries.next();
            } else if *cid == claim.id {
                own.push(entries.next().map(|(_, e)| e).expect("peeked"));
            } else {
                break;
            }
        }
        if claim.issue_date > as_of {
            continue;
        }
        let ledger = ClaimLedger::from_entries(claim.currency, own);
        let status = ledger.status(&claim, as_of);
        let open = ledger.balance_as_of(as_of);
        let keep = (filter.include_closed || status.is_open())
            && (!filter.overdue || matches!(status, ClaimStatus::Overdue { .. }))
            && filter.min_open_minor.is_none_or(|m| open.minor() >= m);
        if keep {
            lines.push(claim_line(
                &claim,
                names.get(&claim.debtor_id).cloned().unwrap_or_default(),
                open,
                status,
            ));
        }
    }
    lines.sort_by_key(|l| (l.due_date, l.id));
    if let Some(limit) = filter.limit {
        lines.truncate(limit);
    }
    Ok(lines)
}

fn claim_line(c: &Claim, debtor_name: String, open: Money, status: ClaimStatus) -> ClaimLine {
    ClaimLine {
        id: c.id,
        number: c.number.to_string(),
        debtor_id: c.debtor_id,
        debtor_name,
        issue_date: c.issue_date,
        due_date: c.due_date,
        open,
        status,
    }
}

/// Everything about one debtor as of a date.
#[derive(Debug, Clone, Serialize)]
pub struct DebtorDetail {
    pub debtor: Debtor,
    pub line: DebtorLine,
    pub claims: Vec<ClaimLine>,
}

pub async fn debtor_detail(tx: &mut dyn Tx, id: DebtorId, as_of: Date) -> AppResult<DebtorDetail> {
    let debtor = tx.debtor(id).await?.ok_or_else(|| AppError::NotFound {
        what: "debtor",
        id: id.to_string(),
    })?;
    let filter = ClaimFilter {
        debtor: Some(id),
        include_closed: true,
        ..ClaimFilter::default()
    };
    let claims = claims(tx, as_of, &filter).await?;
    let mut position = Position::default();
    let day = day_number(as_of);
    for c in &claims {
        position.claims += 1;
        if c.open.is_positive() {
            position.open_claims += 1;
            position.open.add(c.open);
            if let ClaimStatus::Overdue { days } = c.status {
                position.overdue_claims += 1;
                position.overdue.add(c.open);
                position.oldest_days_late = position.oldest_days_late.max(days);
            }
        }
        debug_assert!(day_number(c.issue_date) <= day);
    }
    let line = DebtorLine::new(&debtor, &position);
    Ok(DebtorDetail {
        debtor,
        line,
        claims,
    })
}

/// Everything about one claim as of a date.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimDetail {
    pub claim: Claim,
    pub debtor: Debtor,
    pub ledger: ClaimLedger,
    pub open: Money,
    pub principal: Money,
    pub status: ClaimStatus,
    /// Its term (issue → due date) against the French caps on B2B payment terms; `None`
    /// when they do not govern it (see `crate::terms`).
    pub terms: Option<domain::law::TermsCheck>,
}

impl ClaimDetail {
    /// The claim as one line of a list.
    pub fn line(&self) -> ClaimLine {
        claim_line(
            &self.claim,
            self.debtor.name.clone(),
            self.open,
            self.status,
        )
    }
}

pub async fn claim_detail(tx: &mut dyn Tx, id: ClaimId, as_of: Date) -> AppResult<ClaimDetail> {
    let claim = tx.claim(id).await?.ok_or_else(|| AppError::NotFound {
        what: "claim",
        id: id.to_string(),
    })?;
    let debtor = tx
        .debtor(claim.debtor_id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "debtor",
            id: claim.debtor_id.to_string(),
        })?;
    let ledger = ClaimLedger::from_entries(claim.currency, tx.ledger_entries(id).await?);
    let open = ledger.balance_as_of(as_of);
    let principal = ledger.principal(as_of);
    let status = ledger.status(&claim, as_of);
    let terms = crate::terms::of_claim(tx, &claim).await?;
    Ok(ClaimDetail {
        claim,
        debtor,
        ledger,
        open,
        principal,
        status,
        terms,
    })
}

/// The front page of a portfolio: counts, the aged balance, the largest overdue debtors.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub as_of: Date,
    pub counts: Counts,
    pub aged: AgedBalance,
    pub open: Vec<Money>,
    pub overdue: Vec<Money>,
    pub top_overdue: Vec<DebtorLine>,
}

pub async fn summary(
    tx: &mut dyn Tx,
    as_of: Date,
    buckets: &Buckets,
    top: usize,
) -> AppResult<Summary> {
    let book = tx.book(None).await?;
    summary_of(tx, &book, as_of, buckets, top).await
}

/// The summary of a book already loaded (the dashboard computes more from the same book).
pub async fn summary_of(
    tx: &mut dyn Tx,
    book: &domain::book::Book,
    as_of: Date,
    buckets: &Buckets,
    top: usize,
) -> AppResult<Summary> {
    let counts = tx.counts().await?;
    let aged = book.aged_balance(as_of, buckets);
    // Rank positions first, then load only the debtors that make the list: a portfolio
    // of 200,000 debtors is not read to name ten of them.
    let mut ranked: Vec<(DebtorId, Position)> = book
        .positions(as_of)
        .into_iter()
        .filter(|(_, p)| p.overdue_claims > 0)
        .collect();
    ranked.sort_by_cached_key(|(id, p)| {
        let eur = p.overdue.get(Currency::EUR).minor();
        let other = p
            .overdue
            .iter()
            .filter(|m| m.currency() != Currency::EUR)
            .map(|m| m.minor())
            .max()
            .unwrap_or(0);
        (std::cmp::Reverse(eur), std::cmp::Reverse(other), *id)
    });
    let mut lines = Vec::new();
    for (id, p) in ranked.iter().take(top) {
        if let Some(d) = tx.debtor(*id).await? {
            lines.push(DebtorLine::new(&d, p));
        }
    }
    sort_by_overdue(&mut lines);
    let open: Totals = aged.total();
    let overdue: Totals = aged.overdue();
    Ok(Summary {
        as_of,
        counts,
        open: open.iter().collect(),
        overdue: overdue.iter().collect(),
        aged,
        top_overdue: lines,
    })
}
