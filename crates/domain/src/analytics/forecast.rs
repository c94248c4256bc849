//! The cash forecast: receipts expected week by week over the next 13 weeks.
//!
//! Estimator: each open claim is expected on its due date shifted by its debtor's
//! observed payment delay — the median of (settlement day − due day) over the debtor's
//! claims settled by a payment up to `as_of` (negative for an early payer). A debtor
//! without such history gets the portfolio's median. A claim whose expected day has
//! passed is expected in the first week if it is at most [`DOUBTFUL_AFTER`] days past its
//! expected day, and counted as doubtful (not expected) beyond that. The median, not the
//! mean, so one claim paid two years late does not shift a good payer's every invoice.

use super::{date_of, settlement};
use crate::book::Book;
use crate::date::{Date, day_number};
use crate::ids::DebtorId;
use crate::money::{Money, Totals};
use serde::Serialize;
use std::collections::HashMap;

/// Weeks forecast.
pub const FORECAST_WEEKS: usize = 13;

/// Days past its expected day after which an open claim is no longer expected.
const DOUBTFUL_AFTER: i32 = 90;

/// One week of the forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForecastWeek {
    /// First and last day (the first week starts the day after `as_of`).
    pub start: Date,
    pub end: Date,
    pub expected: Vec<Money>,
}

/// Receipts expected after `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    pub as_of: Date,
    pub weeks: Vec<ForecastWeek>,
    /// Expected after the 13 weeks.
    pub later: Vec<Money>,
    /// Open but more than 90 days past the expected day: not forecast.
    pub doubtful: Vec<Money>,
    /// The portfolio's median delay (days after the due date), used for debtors without
    /// history; `None` when nothing was ever paid.
    pub portfolio_delay_days: Option<i32>,
}

fn median(v: &mut [i32]) -> Option<i32> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    // The lower median: a whole number of days, no rounding to argue about.
    Some(v[(v.len() - 1) / 2])
}

/// The forecast as of `as_of` (see the module documentation for the estimator).
pub fn forecast(book: &Book, as_of: Date) -> Forecast {
    let now = day_number(as_of);
    // (debtor, delay) of every claim settled by a payment; sorted, each debtor's run gives
    // its median (no map of vectors for 200,000 debtors).
    let mut delays: Vec<(DebtorId, i32)> = Vec::new();
    let mut open: Vec<(usize, i64)> = Vec::new();
    for (i, c) in book.claims().iter().enumerate() {
        if c.issue_day > now {
            continue;
        }
        let o = book.open_minor(c, now);
        if o > 0 {
            open.push((i, o));
        } else if let Some((day, true)) = settlement(book, c, now) {
            delays.push((c.debtor_id, day - c.due_day));
        }
    }
    delays.sort_unstable();
    let mut per_debtor: HashMap<DebtorId, i32> = HashMap::new();
    for run in delays.chunk_by(|a, b| a.0 == b.0) {
        // Sorted by delay within the debtor: the lower median.
        per_debtor.insert(run[0].0, run[(run.len() - 1) / 2].1);
    }
    let mut all: Vec<i32> = delays.iter().map(|(_, d)| *d).collect();
    let portfolio = median(&mut all);
    let mut weeks = vec![Totals::new(); FORECAST_WEEKS];
    let (mut later, mut doubtful) = (Totals::new(), Totals::new());
    let horizon = i32::try_from(FORECAST_WEEKS).unwrap_or(13) * 7;
    for (i, amount) in open {
        let c = &book.claims()[i];
        let delay = per_debtor
            .get(&c.debtor_id)
            .copied()
            .or(portfolio)
            .unwrap_or(0);
        let expected = c.due_day + delay;
        let ahead = expected - now; // 1 = tomorrow
        if ahead < -DOUBTFUL_AFTER {
            doubtful.add_minor(c.currency, amount);
        } else if ahead > horizon {
            later.add_minor(c.currency, amount);
        } else {
            let w = usize::try_from((ahead.max(1) - 1) / 7).unwrap_or(0);
            weeks[w].add_minor(c.currency, amount);
        }
    }
    Forecast {
        as_of,
        weeks: weeks
            .into_iter()
            .enumerate()
            .map(|(w, t)| {
                let start = now + 1 + 7 * i32::try_from(w).unwrap_or(0);
                ForecastWeek {
                    start: date_of(start),
                    end: date_of(start + 6),
                    expected: t.iter().collect(),
                }
            })
            .collect(),
        later: later.iter().collect(),
        doubtful: doubtful.iter().collect(),
        portfolio_delay_days: portfolio,
    }
}
