//! The French business calendar: public holidays ("jours fériés", Code du travail L3133-1)
//! and business days. The dunning engine uses it to keep SMS and phone calls off Sundays and
//! public holidays; court deadlines and bank value dates will use it too.
//!
//! The eleven national public holidays are eight fixed dates (1 January, 1 May, 8 May,
//! 14 July, 15 August, 1 November, 11 November, 25 December) and three that follow Easter:
//! Easter Monday (Easter + 1), Ascension Thursday (Easter + 39) and Whit Monday (Easter + 50,
//! "lundi de Pentecôte": still a public holiday in law even where it is worked as the
//! "journée de solidarité"). Easter Sunday itself and Whit Sunday fall on Sundays and are
//! not business days anyway.
//!
//! Not covered: Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle) also keeps Good Friday and
//! 26 December, and the overseas departments their abolition-of-slavery days. A business day
//! here is a day from Monday to Friday that is not a national public holiday.

use crate::date::Date;
use jiff::ToSpan;
use jiff::civil::Weekday;

/// Month and day of Easter Sunday in the Gregorian calendar, by the anonymous Gregorian
/// computus (Meeus/Jones/Butcher). Always between 22 March and 25 April.
fn easter_month_day(year: i32) -> (i32, i32) {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    (n / 31, n % 31 + 1)
}

/// Easter Sunday of `year` (Gregorian). `None` only outside the years `jiff` can represent.
pub fn easter_sunday(year: i16) -> Option<Date> {
    let (month, day) = easter_month_day(i32::from(year));
    // Month is 3 or 4 and day 1..=31, as the computus guarantees: the conversions hold.
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// Day of the year (1 = 1 January) of Easter Sunday in the year of `date`.
fn easter_day_of_year(date: Date) -> i32 {
    let (month, day) = easter_month_day(i32::from(date.year()));
    let january_and_february = if date.in_leap_year() { 60 } else { 59 };
    let march = if month == 4 { 31 } else { 0 };
    january_and_february + march + day
}

/// Whether `date` is a French national public holiday.
pub fn is_public_holiday_fr(date: Date) -> bool {
    let fixed = matches!(
        (date.month(), date.day()),
        (1, 1) | (5, 1) | (5, 8) | (7, 14) | (8, 15) | (11, 1) | (11, 11) | (12, 25)
    );
    if fixed {
        return true;
    }
    // Easter-based holidays fall between 23 March (earliest Easter Monday) and 14 June
    // (latest Whit Monday): no need to run the computus on other days.
    if !(3..=6).contains(&date.month()) {
        return false;
    }
    let after_easter = i32::from(date.day_of_year()) - easter_day_of_year(date);
    matches!(after_easter, 1 | 39 | 50)
}

/// Whether `date` is a working day in France: Monday to Friday and not a public holiday.
pub fn is_business_day_fr(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_public_holiday_fr(date)
}

/// The first business day strictly after `date` (the Friday before Easter gives the
/// Tuesday after it). At the very end of the representable calendar, the last date.
pub fn next_business_day_fr(date: Date) -> Date {
    let mut day = date.saturating_add(1.day());
    // At most three non-business days follow one another (a weekend next to a holiday);
    // the bound only guards the end of the calendar, where `saturating_add` stops moving.
    for _ in 0..10 {
        if is_business_day_fr(day) {
            return day;
        }
        day = day.saturating_add(1.day());
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_sundays_worked_by_hand() {
        // 2024, computus: a=10 b=20 c=24 d=5 e=0 f=1 g=6 h=4 i=6 k=0 l=5 m=0,
        // h+l-7m+114 = 123 → month 123/31 = 3, day 123%31+1 = 31: 31 March.
        assert_eq!(easter_sunday(2024), Some(date(2024, 3, 31)));
        // 2025: a=11 h=(209+20-5-6+15)%30=23 i=6 k=1 l=(32+0+12-23-1)%7=6 m=(11+253+132)/451=0,
        // 23+6+114 = 143 → month 4, day 143%31+1 = 20: 20 April.
        assert_eq!(easter_sunday(2025), Some(date(2025, 4, 20)));
        // 2026: a=12 h=(228+24)%30=12 i=6 k=2 l=(32+12-12-2)%7=2 m=0, 12+2+114=128 → 5 April.
        assert_eq!(easter_sunday(2026), Some(date(2026, 4, 5)));
        // 2027: a=13 h=(247+24)%30=1 i=6 k=3 l=(32+12-1-3)%7=5 m=0, 1+5+114=120 → 28 March.
        assert_eq!(easter_sunday(2027), Some(date(2027, 3, 28)));
    }

    #[test]
    fn movable_holidays_2024_to_2027() {
        // (Easter Monday = Easter + 1, Ascension = + 39, Whit Monday = + 50), by hand from the
        // Easter dates above, e.g. 2026: 5 April + 39 = 14 May, + 50 = 25 May.
        let table = [
            (date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20)),
            (date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)),
            (date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)),
            (date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17)),
        ];
        for (monday, ascension, whit_monday) in table {
            assert!(is_public_holiday_fr(monday), "{monday}");
            assert!(is_public_holiday_fr(ascension), "{ascension}");
            assert!(is_public_holiday_fr(whit_monday), "{whit_monday}");
            assert_eq!(monday.weekday(), Weekday::Monday);
            assert_eq!(ascension.weekday(), Weekday::Thursday);
            assert_eq!(whit_monday.weekday(), Weekday::Monday);
            // The day after each is an ordinary day. (The day before Ascension 2024 is not:
            // it is 8 May.)
            assert!(!is_public_holiday_fr(monday.saturating_add(1.day())));
            assert!(!is_public_holiday_fr(ascension.saturating_add(1.day())));
            assert!(!is_public_holiday_fr(whit_monday.saturating_add(1.day())));
        }
        // Good Friday is not a national holiday (Alsace-Moselle only).
        assert!(!is_public_holiday_fr(date(2026, 4, 3)));
    }

    #[test]
    fn fixed_holidays() {
        for (m, d) in [
            (1, 1),
            (5, 1),
            (5, 8),
            (7, 14),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
        ] {
            assert!(is_public_holiday_fr(date(2026, m, d)), "2026-{m}-{d}");
        }
        assert!(!is_public_holiday_fr(date(2026, 12, 26)));
        assert!(!is_public_holiday_fr(date(2026, 7, 13)));
        // 2026 has 11 holidays; count them over the whole year.
        let mut day = date(2026, 1, 1);
        let mut count = 0;
        while day.year() == 2026 {
            count += usize::from(is_public_holiday_fr(day));
            day = day.saturating_add(1.day());
        }
        assert_eq!(count, 11);
    }

    #[test]
    fn business_days() {
        // 2026-07-14 is a Tuesday holiday; 2026-07-11/12 a weekend.
        assert!(!is_business_day_fr(date(2026, 7, 14)));
        assert!(!is_business_day_fr(date(2026, 7, 11)));
        assert!(is_business_day_fr(date(2026, 7, 13)));
        // Friday 2026-04-03 → Saturday, Sunday (Easter), Monday (Easter Monday) → Tuesday 7.
        assert_eq!(next_business_day_fr(date(2026, 4, 3)), date(2026, 4, 7));
        // Wednesday 2026-05-13 → Thursday 14 is Ascension → Friday 15.
        assert_eq!(next_business_day_fr(date(2026, 5, 13)), date(2026, 5, 15));
        // An ordinary Monday → Tuesday.
        assert_eq!(next_business_day_fr(date(2026, 3, 2)), date(2026, 3, 3));
        // Thursday 2026-12-24 → 25 holiday, weekend → Monday 28.
        assert_eq!(next_business_day_fr(date(2026, 12, 24)), date(2026, 12, 28));
    }
}
