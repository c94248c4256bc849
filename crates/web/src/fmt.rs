//! Amounts and dates as people read them in each language: `1 234,50 €` and `23/11/2026`
//! in French, `€1,234.50` and `2026-11-23` in English. Integer arithmetic on minor units:
//! an amount is never a float, even on its way to the screen.

use crate::i18n::Lang;
use domain::{Date, Money};

/// The language of the comms crate's formatting, which every face shares.
fn comms_lang(lang: Lang) -> comms::Lang {
    match lang {
        Lang::Fr => comms::Lang::Fr,
        Lang::En => comms::Lang::En,
    }
}

pub fn money(m: Money, lang: Lang) -> String {
    comms::fmt::money(m, comms_lang(lang))
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
    comms::fmt::date(d, comms_lang(lang))
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

    /// The web formats through comms::fmt (tested there); the languages map one to one.
    #[test]
    fn each_language_formats_its_own_way() {
        let m = Money::from_minor(1_234_50, Currency::EUR);
        assert_eq!(money(m, Lang::Fr), "1\u{202f}234,50\u{a0}€");
        assert_eq!(money(m, Lang::En), "€1,234.50");
        assert_eq!(amounts(&[], Lang::En), "—");
    }
}
