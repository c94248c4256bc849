//! Amounts and dates as people read them in each language: `1 234,50 €` and `23/11/2026`
//! in French, `€1,234.50` and `2026-11-23` in English. Integer arithmetic on minor units:
//! an amount is never a float, even on its way to the screen.

use crate::i18n::Lang;
use domain::money::minor_digits;
use domain::{Date, Money};

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

/// Several amounts in different currencies, joined; a dash when there is none.
pub fn amounts(list: &[Money], lang: Lang) -> String {
    if list.is_empty() {
        return "—".into();
    }
    list.iter()
        .map(|m| money(*m, lang))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub fn date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Lang::En => d.to_string(),
    }
}

/// A figure (days, a percentage): `38,1` in French, `38.1` in English.
pub fn decimal(d: rust_decimal::Decimal, lang: Lang) -> String {
    let s = d.to_string();
    match lang {
        Lang::Fr => s.replace('.', ","),
        Lang::En => s,
    }
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
    }
}
