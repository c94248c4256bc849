//! Lists as screens and APIs show them: filtered, sorted and cut into pages, and the
//! timeline of a debtor. Built on the queries of [`crate::queries`], so the CLI, the API
//! and the UI rank the same debtors the same way.

use crate::error::{AppError, AppResult};
use crate::queries::{self, ClaimFilter, ClaimLine, DebtorFilter, DebtorLine};
use crate::store::{ActionFilter, ActionStatus, Tx};
use domain::aging::Buckets;
use domain::book::Book;
use domain::date::day_number;
use domain::money::{Currency, Totals};
use domain::{ClaimId, Date, Debtor, DebtorId, EntryKind, Money, Segment};
use serde::Serialize;
use std::str::FromStr;

/// One page of a longer list.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
    /// Items in the whole list.
    pub total: usize,
}

impl<T> Page<T> {
    /// Cuts page `page` (1-based) of `per_page` items out of `all`.
    pub fn of(all: Vec<T>, page: usize, per_page: usize) -> Self {
        let total = all.len();
        let page = page.max(1);
        let per_page = per_page.max(1);
        let items = all
            .into_iter()
            .skip((page - 1).saturating_mul(per_page))
            .take(per_page)
            .collect();
        Self {
            items,
            page,
            per_page,
            total,
        }
    }

    /// The number of pages (at least 1).
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }
}

/// How debtors are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DebtorSort {
    /// Largest overdue first (the default).
    #[default]
    Overdue,
    /// Largest open first.
    Open,
    /// By name, A to Z.
    Name,
    /// Oldest overdue claim first.
    DaysLate,
}

impl DebtorSort {
    pub const ALL: [DebtorSort; 4] = [
        DebtorSort::Overdue,
        DebtorSort::Open,
        DebtorSort::Name,
        DebtorSort::DaysLate,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            DebtorSort::Overdue => "overdue",
            DebtorSort::Open => "open",
            DebtorSort::Name => "name",
            DebtorSort::DaysLate => "days_late",
        }
    }
}

impl FromStr for DebtorSort {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        DebtorSort::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                domain::tr!(
                    "{s:?} is not one of: overdue, open, name, days_late",
                    "{s:?} n'est pas parmi : overdue, open, name, days_late"
                )
            })
    }
}

/// Which debtors to list, in which order, which page.
#[derive(Debug, Clone, Default)]
pub struct DebtorQuery {
    pub overdue: bool,
    pub search: Option<String>,
    pub segment: Option<Segment>,
    pub country: Option<String>,
    pub sort: DebtorSort,
    /// Reverse the natural order of `sort`.
    pub reverse: bool,
    pub page: usize,
    pub per_page: usize,
}

fn in_eur(amounts: &[Money]) -> i64 {
    amounts
        .iter()
        .find(|m| m.currency() == Currency::EUR)
        .map_or(0, |m| m.minor())
}

/// Debtors matching the query, sorted, one page of them, cut out of `ranked`: every
/// debtor as of the day, largest overdue first (`BookCache::ranking` keeps it between
/// requests). Only the page's lines are copied.
pub fn debtor_page(ranked: &[DebtorLine], query: &DebtorQuery) -> Page<DebtorLine> {
    let needle = query
        .search
        .as_ref()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let mut lines: Vec<&DebtorLine> = ranked
        .iter()
        .filter(|l| {
            (!query.overdue || l.overdue_claims > 0)
                && needle.as_ref().is_none_or(|n| {
                    l.name.to_lowercase().contains(n) || l.external_id.to_lowercase().contains(n)
                })
                && query.segment.is_none_or(|s| l.segment == s)
                && query
                    .country
                    .as_ref()
                    .is_none_or(|c| l.country.eq_ignore_ascii_case(c))
        })
        .collect();
    // The ranking is by overdue amount already; the other orders re-sort stably.
    match query.sort {
        DebtorSort::Overdue => {}
        DebtorSort::Open => lines.sort_by_key(|l| std::cmp::Reverse(in_eur(&l.open))),
        DebtorSort::Name => lines.sort_by_cached_key(|l| l.name.to_lowercase()),
        DebtorSort::DaysLate => lines.sort_by_key(|l| std::cmp::Reverse(l.oldest_days_late)),
    }
    if query.reverse {
        lines.reverse();
    }
    let page = Page::of(lines, query.page, query.per_page);
    Page {
        items: page.items.into_iter().cloned().collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }
}

/// Claims matching the filter (its `limit` is ignored), one page of them.
pub async fn claim_page(
    tx: &mut dyn Tx,
    as_of: Date,
    filter: &ClaimFilter,
    page: usize,
    per_page: usize,
) -> AppResult<Page<ClaimLine>> {
    let filter = ClaimFilter {
        limit: None,
        ..filter.clone()
    };
    let lines = queries::claims(tx, as_of, &filter).await?;
    Ok(Page::of(lines, page, per_page))
}

/// What happened on a debtor's file, for its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEvent {
    /// A ledger entry of one of its claims.
    Ledger {
        claim_id: ClaimId,
        kind: EntryKind,
        amount: Money,
        reference: Option<String>,
    },
    /// A dunning action decided for the case.
    Action {
        action_id: i64,
        step: String,
        channels: String,
        status: ActionStatus,
        amount: Money,
    },
    /// A promise to pay, a payment plan or a dispute, on the day it was made or opened.
    Agreement {
        agreement_id: i64,
        /// `promise`, `plan` or `dispute`.
        kind: String,
        /// Its status now (`open`, `kept`, `broken`, `active`, `rejected`…).
        status: String,
        /// Promised, or planned in all; zero for a dispute.
        amount: Money,
        /// The reason of a dispute, the instalments of a plan, the due date of a promise.
        detail: String,
    },
    /// A call or note a person logged.
    Note {
        note_id: i64,
        /// `call` or `note`.
        kind: String,
        /// How a call went (`reached`, `no_answer`…), empty for a note.
        outcome: String,
        body: String,
        author: String,
    },
}

/// One dated event of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineItem {
    pub date: Date,
    #[serde(flatten)]
    pub event: TimelineEvent,
}

/// Everything that happened on a debtor's file up to `as_of`, newest first: ledger entries
/// of its claims, the actions of its case, its promises, plans and disputes, and the calls
/// and notes logged on it.
pub async fn debtor_timeline(
    tx: &mut dyn Tx,
    debtor: DebtorId,
    as_of: Date,
) -> AppResult<Vec<TimelineItem>> {
    if tx.debtor(debtor).await?.is_none() {
        return Err(AppError::NotFound {
            what: "debtor",
            id: debtor.to_string(),
        });
    }
    let claims = tx.claims_of_debtor(debtor).await?;
    let currency = |id: ClaimId| {
        claims
            .iter()
            .find(|c| c.id == id)
            .map_or(Currency::EUR, |c| c.currency)
    };
    let mut items: Vec<TimelineItem> = tx
        .ledger_entries_of_debtor(debtor)
        .await?
        .into_iter()
        .filter(|(_, e)| e.date <= as_of)
        .map(|(claim_id, e)| TimelineItem {
            date: e.date,
            event: TimelineEvent::Ledger {
                claim_id,
                kind: e.kind,
                amount: Money::from_minor(e.amount_minor, currency(claim_id)),
                reference: e.reference,
            },
        })
        .collect();
    let actions = tx
        .actions(&ActionFilter {
            debtor: Some(debtor),
            ..ActionFilter::default()
        })
        .await?;
    items.extend(actions.into_iter().map(|a| TimelineItem {
        date: a.created_on,
        event: TimelineEvent::Action {
            action_id: a.id,
            step: a.step_code,
            channels: a.channels.to_string(),
            status: a.status,
            amount: a.amount,
        },
    }));
    let agreements = crate::agreements::of_debtor(tx, debtor).await?;
    for (id, p) in agreements
        .promises
        .iter()
        .filter(|(_, p)| p.made_on <= as_of)
    {
        items.push(TimelineItem {
            date: p.made_on,
            event: TimelineEvent::Agreement {
                agreement_id: *id,
                kind: "promise".into(),
                status: crate::agreements::status_name(p.status),
                amount: p.amount,
                detail: p.due.to_string(),
            },
        });
    }
    for (id, p) in agreements
        .plans
        .iter()
        .filter(|(_, p)| p.agreed_on <= as_of)
    {
        let total = p.instalments.iter().map(|i| i.amount.minor()).sum();
        items.push(TimelineItem {
            date: p.agreed_on,
            event: TimelineEvent::Agreement {
                agreement_id: *id,
                kind: "plan".into(),
                status: crate::agreements::status_name(p.status),
                amount: Money::from_minor(total, p.currency),
                detail: p.instalments.len().to_string(),
            },
        });
    }
    for (id, d) in agreements
        .disputes
        .iter()
        .filter(|(_, d)| d.opened_on <= as_of)
    {
        let cur = d.claims.first().map_or(Currency::EUR, |c| currency(*c));
        let status = match d.resolution {
            None => "open".to_string(),
            Some(r) => crate::agreements::status_name(r),
        };
        items.push(TimelineItem {
            date: d.opened_on,
            event: TimelineEvent::Agreement {
                agreement_id: *id,
                kind: "dispute".into(),
                status,
                amount: Money::from_minor(0, cur),
                detail: d.reason.as_str().to_string(),
            },
        });
    }
    for n in tx
        .notes(Some(debtor))
        .await?
        .into_iter()
        .filter(|n| n.on <= as_of)
    {
        items.push(TimelineItem {
            date: n.on,
            event: TimelineEvent::Note {
                note_id: n.id,
                kind: n.kind.as_str().to_string(),
                outcome: n
                    .outcome
                    .map(|o| o.as_str().to_string())
                    .unwrap_or_default(),
                body: n.body,
                author: n.author,
            },
        });
    }
    // Newest first; on one day, actions (decided after the day's entries) first.
    items.sort_by_key(|i| {
        (
            std::cmp::Reverse(i.date),
            matches!(i.event, TimelineEvent::Ledger { .. }),
        )
    });
    Ok(items)
}

/// Payments received from `from` to `to` (both included), per currency: the cash collected.
pub fn cash_collected(book: &Book, from: Date, to: Date) -> Totals {
    let (from, to) = (day_number(from), day_number(to));
    let mut totals = Totals::new();
    for c in book.claims() {
        for e in book.entries_of(c) {
            if e.kind == EntryKind::Payment && (from..=to).contains(&e.day) {
                totals.add_minor(c.currency, -e.amount_minor);
            }
        }
    }
    totals
}

/// The whole-portfolio `Book` and the debtors, kept in memory between requests of a
/// server: loading them is most of the time of a portfolio-wide page (see
/// docs/benchmarks.md).
///
/// What is kept is used while the portfolio's table counts (`Counts::portfolio`) are
/// unchanged and it is younger than `max_age`. Claims and ledger entries are only ever added, except a claim's
/// dates and number or a debtor's name, which an import may change without adding a row:
/// `max_age` bounds how long such a change can go unseen by the lists (detail pages always
/// read the database). Counting the tables is itself a scan on PostgreSQL (about 0.1 s on
/// 1,000,000 claims): within `recheck` of the last check, what is kept is used without
/// counting, so a write from another process may go unseen that long (a server calls
/// [`BookCache::invalidate`] after its own writes). One request loads at a time; the others wait for its result
/// instead of loading the same portfolio beside it. Only a transaction that wrote nothing
/// should ask: its view is committed data.
#[derive(Debug)]
pub struct BookCache {
    kept: std::sync::Mutex<Option<Kept>>,
    loading: tokio::sync::Mutex<()>,
    max_age: std::time::Duration,
    recheck: std::time::Duration,
}

#[derive(Debug, Clone)]
struct Kept {
    counts: crate::store::Counts,
    at: std::time::Instant,
    /// When the counts were last found unchanged.
    checked: std::time::Instant,
    book: std::sync::Arc<Book>,
    /// Loaded on first demand: most pages need the book only.
    debtors: Option<std::sync::Arc<Vec<Debtor>>>,
    /// The debtor lists' ranking for one day, computed on first demand.
    ranking: Option<(Date, std::sync::Arc<Vec<DebtorLine>>)>,
}

impl BookCache {
    /// `recheck` zero: the counts are compared on every use (exact, as tests want).
    pub fn new(max_age: std::time::Duration, recheck: std::time::Duration) -> Self {
        Self {
            kept: std::sync::Mutex::new(None),
            loading: tokio::sync::Mutex::new(()),
            max_age,
            recheck,
        }
    }

    /// Forgets what is kept: the next use loads afresh (after a write of this process).
    pub fn invalidate(&self) {
        if let Ok(mut kept) = self.kept.lock() {
            *kept = None;
        }
    }

    /// What is kept, without counting, when it was checked less than `recheck` ago.
    fn recent(&self, debtors: bool) -> Option<Kept> {
        if self.recheck.is_zero() {
            return None;
        }
        let kept = self.kept.lock().ok()?;
        kept.as_ref()
            .filter(|k| {
                k.checked.elapsed() < self.recheck
                    && k.at.elapsed() < self.max_age
                    && (!debtors || k.debtors.is_some())
            })
            .cloned()
    }

    /// The book as `tx` sees it, from memory when nothing has changed.
    pub async fn get(&self, tx: &mut dyn Tx) -> AppResult<std::sync::Arc<Book>> {
        Ok(self.load(tx, false).await?.book)
    }

    /// Every debtor with what it owes as of `as_of`, largest overdue first, as `tx` sees
    /// the portfolio: computed once per kept portfolio and day, then only filtered and cut
    /// into pages by the lists.
    pub async fn ranking(
        &self,
        tx: &mut dyn Tx,
        as_of: Date,
    ) -> AppResult<std::sync::Arc<Vec<DebtorLine>>> {
        let kept = self.load(tx, true).await?;
        if let Some((day, lines)) = &kept.ranking
            && *day == as_of
        {
            return Ok(lines.clone());
        }
        let debtors = kept
            .debtors
            .ok_or_else(|| AppError::Invalid("the debtors were asked for but not loaded".into()))?;
        let lines = std::sync::Arc::new(queries::debtors_of(
            &debtors,
            &kept.book,
            as_of,
            &DebtorFilter::default(),
        ));
        if let Ok(mut slot) = self.kept.lock()
            && let Some(k) = slot.as_mut()
            && std::sync::Arc::ptr_eq(&k.book, &kept.book)
        {
            k.ranking = Some((as_of, lines.clone()));
        }
        Ok(lines)
    }

    fn fresh(&self, counts: &crate::store::Counts, debtors: bool) -> Option<Kept> {
        let mut kept = self.kept.lock().ok()?;
        kept.as_mut()
            .filter(|k| {
                k.counts.portfolio() == counts.portfolio()
                    && k.at.elapsed() < self.max_age
                    && (!debtors || k.debtors.is_some())
            })
            .map(|k| {
                k.checked = std::time::Instant::now();
                k.clone()
            })
    }

    async fn load(&self, tx: &mut dyn Tx, debtors: bool) -> AppResult<Kept> {
        if let Some(kept) = self.recent(debtors) {
            return Ok(kept);
        }
        let counts = tx.counts().await?;
        if let Some(kept) = self.fresh(&counts, debtors) {
            return Ok(kept);
        }
        let _one_at_a_time = self.loading.lock().await;
        if let Some(kept) = self.fresh(&counts, debtors) {
            return Ok(kept);
        }
        // The book may still be fresh with only the debtors missing.
        let book = match self.fresh(&counts, false) {
            Some(k) => k.book,
            None => std::sync::Arc::new(tx.book(None).await?),
        };
        let debtors = if debtors {
            Some(std::sync::Arc::new(tx.debtors(None).await?))
        } else {
            None
        };
        let kept = Kept {
            counts,
            at: std::time::Instant::now(),
            checked: std::time::Instant::now(),
            book,
            debtors,
            ranking: None,
        };
        if let Ok(mut slot) = self.kept.lock() {
            *slot = Some(kept.clone());
        }
        Ok(kept)
    }
}

/// The dashboard: the portfolio summary and the cash collected since the first of the
/// month, from one load of the book.
pub async fn dashboard(
    tx: &mut dyn Tx,
    book: &Book,
    as_of: Date,
    buckets: &Buckets,
    top: usize,
) -> AppResult<(queries::Summary, Totals)> {
    let summary = queries::summary_of(tx, book, as_of, buckets, top).await?;
    let cash = cash_collected(book, as_of.first_of_month(), as_of);
    Ok((summary, cash))
}
