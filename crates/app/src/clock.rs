//! The clock is a port: every use case asks it for "today" and "now", and every command
//! accepts `--as-of`, so any day can be replayed and tests never depend on the wall clock.

use domain::Date;

/// Today's date and the current instant, as the use cases see them.
pub trait Clock: Send + Sync {
    /// The business date (Europe/Paris calendar day for a French creditor).
    fn today(&self) -> Date;
    /// The current instant as RFC 3339 text, for `recorded_at` columns. The database
    /// never supplies its own clock.
    fn now_rfc3339(&self) -> String;
    /// Now in Unix seconds, from [`Clock::now_rfc3339`] (noon UTC of a fixed day).
    fn now_unix(&self) -> i64 {
        self.now_rfc3339()
            .parse::<jiff::Timestamp>()
            .map_or(0, jiff::Timestamp::as_second)
    }
}

/// A clock stopped on one date (what `--as-of` gives): "now" is noon that day, UTC.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Date);

impl Clock for FixedClock {
    fn today(&self) -> Date {
        self.0
    }

    fn now_rfc3339(&self) -> String {
        format!("{}T12:00:00Z", self.0)
    }
}
