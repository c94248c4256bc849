//! The date forms found in spreadsheet exports.
//!
//! Recouvre writes only `YYYY-MM-DD`, but reads what accounting packages and Excel produce:
//! `15/03/2024`, `15.03.2024` or `15-03-2024` in Europe, `3/15/2024` in the United States.
//! The year always has four digits: `15/03/24` is refused rather than guessed. Which of day
//! and month comes first cannot be read from a date like `04/05/2024`, so it is an option
//! ([`DateOrder`]) of the whole file, never a guess per cell.

use domain::Date;
use std::fmt;
use std::str::FromStr;

/// How the dates of a file are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `YYYY-MM-DD`, or day first (`DD/MM/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY`): the
    /// European habit, and the default. A date that only makes sense month first
    /// (`3/14/2013`) is refused with a hint to choose [`DateOrder::MonthDayYear`].
    #[default]
    Auto,
    /// `YYYY-MM-DD` only (separators `-`, `/` or `.`): for files written by programs.
    Iso,
    /// Day first only: `DD/MM/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY`.
    DayMonthYear,
    /// Month first only: `MM/DD/YYYY` and the like, as in files from the United States.
    MonthDayYear,
}

impl DateOrder {
    pub const ALL: [DateOrder; 4] = [
        DateOrder::Auto,
        DateOrder::Iso,
        DateOrder::DayMonthYear,
        DateOrder::MonthDayYear,
    ];

    /// The short name used on the command line: `auto`, `iso`, `dmy`, `mdy`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Auto => "auto",
            DateOrder::Iso => "iso",
            DateOrder::DayMonthYear => "dmy",
            DateOrder::MonthDayYear => "mdy",
        }
    }
}

impl fmt::Display for DateOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DateOrder {
    type Err = String;

    /// `auto`, `iso` (or `ymd`), `dmy` (or `day-month-year`), `mdy` (or `month-day-year`),
    /// in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(DateOrder::Auto),
            "iso" | "ymd" => Ok(DateOrder::Iso),
            "dmy" | "day-month-year" => Ok(DateOrder::DayMonthYear),
            "mdy" | "month-day-year" => Ok(DateOrder::MonthDayYear),
            _ => Err(format!(
                "{s:?} is not a date order (expected auto, iso, dmy or mdy)"
            )),
        }
    }
}

/// Parses one date written in `order`. The reason of an error is a sentence for the person
/// who will fix the file.
pub fn parse_date(text: &str, order: DateOrder) -> Result<Date, String> {
    let text = text.trim();
    let not_a_date = || {
        let expected = match order {
            DateOrder::Auto => "YYYY-MM-DD or DD/MM/YYYY",
            DateOrder::Iso => "YYYY-MM-DD",
            DateOrder::DayMonthYear => "DD/MM/YYYY",
            DateOrder::MonthDayYear => "MM/DD/YYYY",
        };
        format!("{text:?} is not a date (expected {expected})")
    };
    let separator = text
        .chars()
        .find(|c| matches!(c, '-' | '/' | '.'))
        .ok_or_else(not_a_date)?;
    let mut parts = text.split(separator);
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(not_a_date());
    };
    let number = |s: &str, max_len: usize| -> Result<i16, String> {
        if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_a_date());
        }
        s.parse::<i16>().map_err(|_| not_a_date())
    };
    let year_first = a.len() == 4;
    let (year, month, day) = match (order, year_first) {
        (DateOrder::Auto | DateOrder::Iso, true) => (number(a, 4)?, number(b, 2)?, number(c, 2)?),
        (DateOrder::Auto | DateOrder::DayMonthYear, false) => {
            (number_year(c, &not_a_date)?, number(b, 2)?, number(a, 2)?)
        }
        (DateOrder::MonthDayYear, false) => {
            (number_year(c, &not_a_date)?, number(a, 2)?, number(b, 2)?)
        }
        (DateOrder::Iso | DateOrder::DayMonthYear | DateOrder::MonthDayYear, _) => {
            return Err(not_a_date());
        }
    };
    if !(1..=12).contains(&month) {
        let hint = if !year_first && order == DateOrder::Auto && (1..=12).contains(&day) {
            " (dates are read day first; for a month/day/year file choose the date order mdy)"
        } else {
            ""
        };
        return Err(format!("{text:?}: there is no month {month}{hint}"));
    }
    // Both fit in i8: month is 1..=12 and day has at most two digits.
    let (month, day) = (month as i8, day as i8);
    let first = Date::new(year, month, 1).map_err(|_| not_a_date())?;
    if day < 1 || day > first.days_in_month() {
        return Err(format!(
            "{text:?}: there is no day {day} in {year}-{month:02}, which has {} days",
            first.days_in_month()
        ));
    }
    Date::new(year, month, day).map_err(|_| not_a_date())
}

/// A four-digit year written last.
fn number_year(s: &str, not_a_date: &dyn Fn() -> String) -> Result<i16, String> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
            format!("{}: the year must have four digits", not_a_date())
        } else {
            not_a_date()
        });
    }
    s.parse::<i16>().map_err(|_| not_a_date())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn auto_reads_iso_and_day_first() {
        let ok = |s| parse_date(s, DateOrder::Auto).unwrap();
        assert_eq!(ok("2024-03-15"), date(2024, 3, 15));
        assert_eq!(ok("15/03/2024"), date(2024, 3, 15));
        assert_eq!(ok("15.03.2024"), date(2024, 3, 15));
        assert_eq!(ok("15-03-2024"), date(2024, 3, 15));
        assert_eq!(ok(" 1/2/2024 "), date(2024, 2, 1));
        assert_eq!(ok("29/02/2024"), date(2024, 2, 29));
    }

    #[test]
    fn month_first_only_when_asked() {
        assert_eq!(
            parse_date("3/14/2013", DateOrder::MonthDayYear).unwrap(),
            date(2013, 3, 14)
        );
        let err = parse_date("3/14/2013", DateOrder::Auto).unwrap_err();
        assert!(err.contains("no month 14") && err.contains("mdy"), "{err}");
        // Neither 14 nor 13 is a month: no order would read it, so no hint.
        let err = parse_date("14/13/2013", DateOrder::Auto).unwrap_err();
        assert!(!err.contains("mdy"), "{err}");
    }

    #[test]
    fn explicit_orders_accept_their_form_only() {
        assert!(parse_date("15/03/2024", DateOrder::Iso).is_err());
        assert!(parse_date("2024-03-15", DateOrder::DayMonthYear).is_err());
        assert!(parse_date("2024-03-15", DateOrder::MonthDayYear).is_err());
        assert_eq!(
            parse_date("2024/03/15", DateOrder::Iso).unwrap(),
            date(2024, 3, 15)
        );
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for bad in [
            "",
            "15/03",
            "15/03/2024/1",
            "15/03-2024",
            "2024-3-15x",
            "15/03/24",
            "yesterday",
            "1e/03/2024",
            "15/03/2024 10:00",
            "+1/03/2024",
        ] {
            assert!(
                parse_date(bad, DateOrder::Auto).is_err(),
                "{bad:?} was accepted"
            );
        }
        let err = parse_date("31/02/2024", DateOrder::Auto).unwrap_err();
        // February 2024 has 29 days (2024 is a leap year).
        assert!(
            err.contains("no day 31 in 2024-02, which has 29 days"),
            "{err}"
        );
        let err = parse_date("15/03/24", DateOrder::Auto).unwrap_err();
        assert!(err.contains("four digits"), "{err}");
    }

    #[test]
    fn order_names_round_trip() {
        for order in DateOrder::ALL {
            assert_eq!(order.as_str().parse::<DateOrder>(), Ok(order));
        }
        assert_eq!("MDY".parse::<DateOrder>(), Ok(DateOrder::MonthDayYear));
        assert!("us".parse::<DateOrder>().is_err());
    }
}
