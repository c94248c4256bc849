//! The aged balance ("balance âgée"): open amounts split by how late they are. Buckets are
//! configurable; the default is the one credit managers use in France: not due, 1-30, 31-60,
//! 61-90, 91-180 and over 180 days past due.

use crate::money::{Currency, Money, Totals};
use serde::Serialize;

/// Upper bounds (inclusive, in days past due) of the overdue buckets, ascending; a last
/// open-ended bucket follows them. "Not due" (zero or fewer days) always comes first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buckets {
    bounds: Vec<i32>,
}

impl Default for Buckets {
    fn default() -> Self {
        Self {
            bounds: vec![30, 60, 90, 180],
        }
    }
}

impl Buckets {
    /// Buckets ending at the given days past due, e.g. `[30, 60, 90]` gives not due, 1-30,
    /// 31-60, 61-90, > 90. Bounds must be positive and strictly increasing.
    pub fn new(bounds: Vec<i32>) -> Result<Self, String> {
        if bounds.is_empty() {
            return Err("at least one bucket bound is needed".into());
        }
        if bounds[0] < 1 || bounds.windows(2).any(|w| w[0] >= w[1]) {
            return Err(format!(
                "bucket bounds must be positive and increasing, got {bounds:?}"
            ));
        }
        Ok(Self { bounds })
    }

    /// Parses `30,60,90,180`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bounds = text
            .split(',')
            .map(|p| {
                p.trim()
                    .parse::<i32>()
                    .map_err(|_| format!("{p:?} is not a number of days"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(bounds)
    }

    /// How many buckets there are, "not due" included.
    pub fn len(&self) -> usize {
        self.bounds.len() + 2
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The bucket of a claim `days_past_due` days late (zero or less: not due).
    pub fn index(&self, days_past_due: i32) -> usize {
        if days_past_due <= 0 {
            return 0;
        }
        // A handful of bounds: a linear scan beats a binary search.
        1 + self
            .bounds
            .iter()
            .take_while(|&&b| days_past_due > b)
            .count()
    }

    /// Labels: `not due`, `1-30`, …, `> 180` (language-neutral; the UI translates "not due").
    pub fn labels(&self) -> Vec<String> {
        let mut labels = vec!["not due".to_string()];
        let mut low = 1;
        for &b in &self.bounds {
            labels.push(format!("{low}-{b}"));
            low = b + 1;
        }
        labels.push(format!("> {}", low - 1));
        labels
    }
}

/// One bucket's count of open claims and open amounts per currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BucketTotal {
    pub label: String,
    pub claims: u64,
    #[serde(serialize_with = "serialize_totals")]
    pub amount: Totals,
}

fn serialize_totals<S: serde::Serializer>(t: &Totals, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(None)?;
    for m in t.iter() {
        map.serialize_entry(m.currency().code(), &m.amount_string())?;
    }
    map.end()
}

/// An aged balance being accumulated claim by claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgedBalance {
    #[serde(skip)]
    buckets: Buckets,
    pub rows: Vec<BucketTotal>,
}

impl AgedBalance {
    pub fn new(buckets: Buckets) -> Self {
        let rows = buckets
            .labels()
            .into_iter()
            .map(|label| BucketTotal {
                label,
                ..BucketTotal::default()
            })
            .collect();
        Self { buckets, rows }
    }

    /// Adds one claim with `open_minor` open, `days_past_due` late. Claims with nothing
    /// open (settled, or in credit) are not part of an aged balance.
    pub fn add(&mut self, currency: Currency, days_past_due: i32, open_minor: i64) {
        if open_minor <= 0 {
            return;
        }
        let row = &mut self.rows[self.buckets.index(days_past_due)];
        row.claims += 1;
        row.amount.add_minor(currency, open_minor);
    }

    /// Adds another aged balance with the same buckets (for parallel accumulation).
    pub fn merge(&mut self, other: &AgedBalance) {
        for (a, b) in self.rows.iter_mut().zip(&other.rows) {
            a.claims += b.claims;
            a.amount.merge(&b.amount);
        }
    }

    /// Everything open, every bucket.
    pub fn total(&self) -> Totals {
        let mut t = Totals::new();
        for r in &self.rows {
            t.merge(&r.amount);
        }
        t
    }

    /// Everything open and past due (every bucket but "not due").
    pub fn overdue(&self) -> Totals {
        let mut t = Totals::new();
        for r in &self.rows[1..] {
            t.merge(&r.amount);
        }
        t
    }

    pub fn open_claims(&self) -> u64 {
        self.rows.iter().map(|r| r.claims).sum()
    }

    pub fn overdue_claims(&self) -> u64 {
        self.rows[1..].iter().map(|r| r.claims).sum()
    }

    /// The total in one currency for bucket `i`.
    pub fn bucket_amount(&self, i: usize, currency: Currency) -> Money {
        self.rows[i].amount.get(currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::{EUR, GBP};

    #[test]
    fn default_buckets_match_french_practice() {
        let b = Buckets::default();
        assert_eq!(
            b.labels(),
            ["not due", "1-30", "31-60", "61-90", "91-180", "> 180"]
        );
        let cases = [
            (-5, 0),
            (0, 0),
            (1, 1),
            (30, 1),
            (31, 2),
            (60, 2),
            (61, 3),
            (90, 3),
            (91, 4),
            (180, 4),
            (181, 5),
            (4000, 5),
        ];
        for (days, idx) in cases {
            assert_eq!(b.index(days), idx, "{days} days");
        }
    }

    #[test]
    fn bad_bounds_are_refused() {
        assert!(Buckets::parse("30,30").is_err());
        assert!(Buckets::parse("0,30").is_err());
        assert!(Buckets::parse("a").is_err());
        assert_eq!(
            Buckets::parse("15, 45").unwrap().labels(),
            ["not due", "1-15", "16-45", "> 45"]
        );
    }

    #[test]
    fn totals_by_bucket_and_currency() {
        let mut a = AgedBalance::new(Buckets::default());
        a.add(EUR, -3, 1_000);
        a.add(EUR, 45, 2_500);
        a.add(GBP, 45, 700);
        a.add(EUR, 200, 10);
        a.add(EUR, 200, 0); // settled: not counted
        assert_eq!(a.open_claims(), 4);
        assert_eq!(a.overdue_claims(), 3);
        assert_eq!(a.total().get(EUR).minor(), 3_510);
        assert_eq!(a.overdue().get(EUR).minor(), 2_510);
        assert_eq!(a.bucket_amount(2, GBP).minor(), 700);
    }
}
