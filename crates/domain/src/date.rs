//! Civil dates. Recouvre reasons in calendar days (due dates, days late, limitation
//! periods), never in instants, so the one date type is `jiff::civil::Date`.

pub use jiff::civil::Date;

/// The number of days from 1970-01-01 to `date` (negative before). Day arithmetic on
/// hot paths (ageing a million claims) uses these plain integers.
pub fn day_number(date: Date) -> i32 {
    // 719_468 days separate 0000-03-01 from 1970-01-01 in the proleptic Gregorian
    // calendar; this is the classic days-from-civil algorithm (H. Hinnant).
    let y = i32::from(date.year()) - i32::from(date.month() <= 2);
    let m = i32::from(date.month());
    let d = i32::from(date.day());
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (the inverse of [`day_number`]); `None` outside the years
/// -9999 to 9999 that dates can represent.
pub fn date_of_day(day: i32) -> Option<Date> {
    Date::new(1970, 1, 1)
        .ok()?
        .checked_add(jiff::Span::new().try_days(i64::from(day)).ok()?)
        .ok()
}

/// Whole days from `from` to `to` (positive when `to` is later).
pub fn days_between(from: Date, to: Date) -> i32 {
    day_number(to) - day_number(from)
}

/// Parses `YYYY-MM-DD`, the only date form Recouvre writes.
pub fn parse_iso(s: &str) -> Result<Date, jiff::Error> {
    s.parse::<Date>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_numbers_match_the_unix_epoch() {
        assert_eq!(
            date_of_day(day_number(date(2026, 3, 1))),
            Some(date(2026, 3, 1))
        );
        assert_eq!(date_of_day(-1), Some(date(1969, 12, 31)));
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(1970, 1, 2)), 1);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
        // 2000-03-01: 30 years of 365 days + 7 leap days (72,76,80,84,88,92,96) + Jan 31 + Feb 29
        assert_eq!(day_number(date(2000, 3, 1)), 30 * 365 + 7 + 31 + 29);
    }

    #[test]
    fn days_between_counts_leap_days() {
        assert_eq!(days_between(date(2024, 2, 28), date(2024, 3, 1)), 2);
        assert_eq!(days_between(date(2023, 2, 28), date(2023, 3, 1)), 1);
        assert_eq!(days_between(date(2024, 1, 1), date(2025, 1, 1)), 366);
    }
}
