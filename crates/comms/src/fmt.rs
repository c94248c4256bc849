//! Amounts and dates as a debtor reads them in each language: `1 234,50 €`, `23/11/2026`
//! and `23 novembre 2026` in French; `€1,234.50`, `2026-11-23` and `23 November 2026` in
//! English. Integer arithmetic on minor units: an amount is never a float, even on its way
//! to a letter. The web interface formats with these functions too, so a figure reads the
//! same on the screen, in an e-mail and on paper.

use domain::money::minor_digits;
use domain::{Date, Money};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The languages Recouvre writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub const fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language of a stored code (`fr`, `FR-be`, `en_GB`...), `None` when we do not
    /// write it.
    pub fn from_code(code: &str) -> Option<Lang> {
        let lower = code.trim().to_ascii_lowercase();
        match lower.get(..2) {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The language a debtor is written to: the stored language when we write it, else
    /// French for a debtor in a French-speaking country, else English.
    pub fn for_debtor(language: &str, country: &str) -> Lang {
        Lang::from_code(language).unwrap_or_else(|| {
            match country.trim().to_ascii_uppercase().as_str() {
                "FR" | "BE" | "LU" | "MC" | "CH" | "" => Lang::Fr,
                _ => Lang::En,
            }
        })
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Lang::from_code(s).ok_or_else(|| format!("{s:?} is not a language we write: fr, en"))
    }
}

fn symbol(code: &str) -> Option<&'static str> {
    match code {
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "USD" => Some("$"),
        _ => None,
    }
}

/// Groups the digits of `n` by three with `sep`.
fn group(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// An amount with its currency sign, in the language's convention.
pub fn money(m: Money, lang: Lang) -> String {
    let digits = minor_digits(m.currency());
    let scale = 10_u64.pow(digits);
    let abs = m.minor().unsigned_abs();
    let (int, frac) = (abs / scale, abs % scale);
    let sign = if m.minor() < 0 { "-" } else { "" };
    let code = m.currency().code();
    let (thousands, point) = match lang {
        Lang::Fr => ("\u{202f}", ","),
        Lang::En => (",", "."),
    };
    let mut number = group(int, thousands);
    if digits > 0 {
        number = format!("{number}{point}{frac:0width$}", width = digits as usize);
    }
    match (lang, symbol(code)) {
        (Lang::Fr, Some(s)) => format!("{sign}{number}\u{a0}{s}"),
        (Lang::En, Some(s)) => format!("{sign}{s}{number}"),
        (_, None) => format!("{sign}{number}\u{a0}{code}"),
    }
}

/// A date in a list or a table.
pub fn date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Lang::En => d.to_string(),
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in running text: `1er décembre 2026`, `1 December 2026`.
pub fn long_date(d: Date, lang: Lang) -> String {
    let month = usize::try_from(d.month() - 1).unwrap_or(0);
    match lang {
        Lang::Fr if d.day() == 1 => format!("1er {} {}", MONTHS_FR[month], d.year()),
        Lang::Fr => format!("{} {} {}", d.day(), MONTHS_FR[month], d.year()),
        Lang::En => format!("{} {} {}", d.day(), MONTHS_EN[month], d.year()),
    }
}

/// An IBAN printed in groups of four, as on a bank statement.
pub fn grouped(code: &str) -> String {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Currency;

    #[test]
    fn money_in_each_language() {
        let m = Money::from_minor(1_234_567_89, Currency::EUR);
        assert_eq!(money(m, Lang::Fr), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(money(m, Lang::En), "€1,234,567.89");
        let neg = Money::from_minor(-5, Currency::GBP);
        assert_eq!(money(neg, Lang::En), "-£0.05");
        let yen = Money::from_minor(1000, Currency::JPY);
        assert_eq!(money(yen, Lang::En), "1,000\u{a0}JPY");
    }

    #[test]
    fn dates_in_each_language() {
        let d = Date::new(2026, 3, 5).unwrap();
        assert_eq!(date(d, Lang::Fr), "05/03/2026");
        assert_eq!(date(d, Lang::En), "2026-03-05");
        assert_eq!(long_date(d, Lang::Fr), "5 mars 2026");
        assert_eq!(long_date(d, Lang::En), "5 March 2026");
        let first = Date::new(2026, 12, 1).unwrap();
        assert_eq!(long_date(first, Lang::Fr), "1er décembre 2026");
    }

    #[test]
    fn language_of_a_debtor() {
        assert_eq!(Lang::for_debtor("en", "FR"), Lang::En);
        assert_eq!(Lang::for_debtor("", "FR"), Lang::Fr);
        assert_eq!(Lang::for_debtor("de", "DE"), Lang::En);
        assert_eq!(Lang::for_debtor("FR-be", "BE"), Lang::Fr);
        assert_eq!(
            grouped("FR7630006000011234567890189"),
            "FR76 3000 6000 0112 3456 7890 189"
        );
    }
}
