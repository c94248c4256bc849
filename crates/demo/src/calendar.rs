//! Day arithmetic for the generator, and payment terms. The generator reasons in day
//! numbers (days since 1970-01-01, as `domain::date::day_number` counts them): a million
//! claims need dates drawn, shifted and compared millions of times, and plain integers make
//! that cheap. Dates are built once, when a claim is written out.

use domain::Date;
use serde::{Deserialize, Serialize};

/// The date of day number `n`: the inverse of `domain::date::day_number` (H. Hinnant's
/// civil-from-days algorithm). Days beyond the range of `Date` (years -9999 to 9999)
/// saturate to its ends.
pub fn date_from_day(n: i32) -> Date {
    let z = i64::from(n) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if year < -9999 {
        return Date::MIN;
    }
    if year > 9999 {
        return Date::MAX;
    }
    // The year is checked above, the month is 1..=12 and the day 1..=31 valid for it.
    Date::new(year as i16, month as i8, day as i8).unwrap_or(Date::MIN)
}

/// Day of the week of day number `n`: 0 for Monday through 6 for Sunday (day 0,
/// 1970-01-01, was a Thursday).
pub fn weekday(n: i32) -> i32 {
    (n + 3).rem_euclid(7)
}

/// The first working day (Monday to Friday) on or after day `n`: when money lands on a
/// bank account. Public holidays are not modelled.
pub fn next_working_day(n: i32) -> i32 {
    match weekday(n) {
        5 => n + 2,
        6 => n + 1,
        _ => n,
    }
}

/// Whether day `n` falls on a Saturday or Sunday.
pub fn is_weekend(n: i32) -> bool {
    weekday(n) >= 5
}

/// The day number of the last day of the month holding day `n`.
pub fn end_of_month(n: i32) -> i32 {
    let d = date_from_day(n);
    n + i32::from(d.days_in_month() - d.day())
}

/// The day number of the first day of the month `months` months after the month holding
/// day `n` (negative `months` go back).
pub fn first_of_month(n: i32, months: i32) -> i32 {
    let d = date_from_day(n);
    let index = i32::from(d.year()) * 12 + i32::from(d.month()) - 1 + months;
    let year = index.div_euclid(12);
    let month = index.rem_euclid(12) + 1;
    match Date::new(
        year.clamp(-9999, 9999) as i16,
        // 1..=12 by construction.
        month as i8,
        1,
    ) {
        Ok(first) => domain::date::day_number(first),
        Err(_) => n,
    }
}

/// Payment terms agreed with a customer: when an invoice issued on a day falls due.
///
/// French B2B terms may not exceed 60 days from the invoice date, or 45 days end of month
/// (C. com. L441-10); between those the demo uses what French businesses write on their
/// invoices. "45 jours fin de mois" is read the way the DGCCRF accepts and most ERPs
/// compute it: 45 days from the invoice date, then the end of that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Terms {
    /// Due `n` days after the invoice date ("à 30 jours net").
    Net(u16),
    /// Due at the end of the month in which the date `n` days after the invoice falls
    /// ("45 jours fin de mois").
    NetThenEndOfMonth(u16),
}

impl Terms {
    /// The due day of an invoice issued on day `issue_day`.
    pub fn due_day(self, issue_day: i32) -> i32 {
        match self {
            Terms::Net(days) => issue_day + i32::from(days),
            Terms::NetThenEndOfMonth(days) => end_of_month(issue_day + i32::from(days)),
        }
    }

    /// The due date of an invoice issued on `issue`.
    pub fn due_date(self, issue: Date) -> Date {
        date_from_day(self.due_day(domain::date::day_number(issue)))
    }

    /// How the terms read on an invoice, in French: `30 jours net`, `45 jours fin de mois`.
    pub fn label_fr(self) -> String {
        match self {
            Terms::Net(0) => "comptant".to_string(),
            Terms::Net(days) => format!("{days} jours net"),
            Terms::NetThenEndOfMonth(days) => format!("{days} jours fin de mois"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;
    use domain::date::day_number;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn day_numbers_round_trip() {
        for n in (-800_000..800_000).step_by(997) {
            assert_eq!(day_number(date_from_day(n)), n, "day {n}");
        }
        for n in 19_000..21_000 {
            assert_eq!(day_number(date_from_day(n)), n, "day {n}");
        }
        assert_eq!(date_from_day(0), d(1970, 1, 1));
        assert_eq!(date_from_day(i32::MAX), Date::MAX);
        assert_eq!(date_from_day(i32::MIN), Date::MIN);
    }

    #[test]
    fn weekdays_and_working_days() {
        // 2026-01-01 is a Thursday, 2026-01-03 a Saturday, 2026-01-05 a Monday.
        let thu = day_number(d(2026, 1, 1));
        assert_eq!(weekday(thu), 3);
        assert_eq!(next_working_day(thu), thu);
        assert_eq!(next_working_day(thu + 2), thu + 4);
        assert_eq!(next_working_day(thu + 3), thu + 4);
        assert!(is_weekend(thu + 2) && is_weekend(thu + 3) && !is_weekend(thu + 4));
        for n in thu..thu + 400 {
            assert_eq!(
                i32::from(date_from_day(n).weekday().to_monday_zero_offset()),
                weekday(n)
            );
        }
    }

    #[test]
    fn terms_give_the_due_dates_a_french_accountant_expects() {
        // 60 days net from 10 Jan 2026: 21 days to 31 Jan, 28 more to 28 Feb (49), 11 more
        // is 11 March.
        assert_eq!(Terms::Net(60).due_date(d(2026, 1, 10)), d(2026, 3, 11));
        // 45 days end of month from 10 Jan 2026: 10 Jan + 45 days = 24 Feb, end of month 28 Feb.
        assert_eq!(
            Terms::NetThenEndOfMonth(45).due_date(d(2026, 1, 10)),
            d(2026, 2, 28)
        );
        // From 20 Jan 2024: + 45 days = 5 March (2024 is a leap year: 11 + 29 + 5), end of
        // month 31 March.
        assert_eq!(
            Terms::NetThenEndOfMonth(45).due_date(d(2024, 1, 20)),
            d(2024, 3, 31)
        );
        assert_eq!(Terms::Net(30).due_date(d(2025, 12, 15)), d(2026, 1, 14));
        assert_eq!(
            Terms::NetThenEndOfMonth(45).label_fr(),
            "45 jours fin de mois"
        );
    }

    #[test]
    fn months_step_across_years() {
        let mid_jan = day_number(d(2026, 1, 15));
        assert_eq!(date_from_day(first_of_month(mid_jan, 0)), d(2026, 1, 1));
        assert_eq!(date_from_day(first_of_month(mid_jan, -1)), d(2025, 12, 1));
        assert_eq!(date_from_day(first_of_month(mid_jan, -13)), d(2024, 12, 1));
        assert_eq!(date_from_day(first_of_month(mid_jan, 11)), d(2026, 12, 1));
        assert_eq!(date_from_day(end_of_month(mid_jan)), d(2026, 1, 31));
        assert_eq!(
            date_from_day(end_of_month(day_number(d(2024, 2, 3)))),
            d(2024, 2, 29)
        );
    }
}
