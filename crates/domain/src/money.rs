//! Exact money. An amount is an integer count of the currency's minor unit (cents for EUR,
//! pence for GBP, nothing for JPY) together with its ISO 4217 currency. Amounts in two
//! currencies never add up: every arithmetic operation checks the currency and fails
//! loudly when they differ. Rates and unrounded intermediates (interest) use
//! `rust_decimal::Decimal`; only the final, rounded figure becomes `Money`.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub use iso_currency::Currency;

/// Why an amount could not be built or combined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {0} and {1}: amounts in different currencies never add up")]
    CurrencyMismatch(Currency, Currency),
    #[error("unknown currency code {0:?}")]
    UnknownCurrency(String),
    #[error(
        "{amount:?} is not an amount (expected digits with an optional . or , decimal separator)"
    )]
    NotAnAmount { amount: String },
    #[error("{amount:?} has more decimals than {currency} allows ({allowed})")]
    TooPrecise {
        amount: String,
        currency: Currency,
        allowed: u32,
    },
    #[error("amount overflow")]
    Overflow,
    #[error(
        "{amount:?} is too large: Recouvre takes amounts up to 99 999 999 999.99 (10^13 minor units less one)"
    )]
    TooLarge { amount: String },
}

/// An exact amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// How many decimals the currency's minor unit has (2 for EUR, 0 for JPY).
pub fn minor_digits(currency: Currency) -> u32 {
    currency.exponent().map(u32::from).unwrap_or(0)
}

/// Parses an ISO 4217 code such as `EUR`.
pub fn parse_currency(code: &str) -> Result<Currency, MoneyError> {
    Currency::from_code(code.trim().to_ascii_uppercase().as_str())
        .ok_or_else(|| MoneyError::UnknownCurrency(code.to_string()))
}

impl Money {
    /// The largest amount, in minor units, that [`Money::parse`] accepts (99 999 999 999.99
    /// EUR): far above any invoice, and low enough that no sum of a portfolio's amounts
    /// can overflow (see [`Totals`]).
    pub const MAX_INPUT_MINOR: i64 = 10_i64.pow(13) - 1;

    /// An amount from a count of minor units (`Money::from_minor(12345, EUR)` is 123.45 €).
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Self { minor: 0, currency }
    }

    pub const fn minor(self) -> i64 {
        self.minor
    }

    pub const fn currency(self) -> Currency {
        self.currency
    }

    pub const fn is_zero(self) -> bool {
        self.minor == 0
    }

    pub const fn is_positive(self) -> bool {
        self.minor > 0
    }

    pub const fn is_negative(self) -> bool {
        self.minor < 0
    }

    /// The amount as an exact decimal in major units (123.45).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.minor, minor_digits(self.currency))
    }

    /// Rounds a decimal amount in major units to the currency's minor unit, half away from
    /// zero (convention C1 of domain-rules.md: "rounded once, half-up, to the cent").
    pub fn from_decimal_rounded(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        let digits = minor_digits(currency);
        let rounded = amount.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero);
        let scaled = rounded
            .checked_mul(Decimal::from(10_i64.pow(digits)))
            .ok_or(MoneyError::Overflow)?;
        let minor = i64::try_from(scaled.trunc()).map_err(|_| MoneyError::Overflow)?;
        Ok(Self { minor, currency })
    }

    /// Parses an amount that may name its currency by its ISO code, before or after the
    /// number (`120.50 GBP`, `EUR 1 234,56`), in `default` when it does not; the number
    /// reads as in [`Money::parse`].
    pub fn parse_with_code(text: &str, default: Currency) -> Result<Self, MoneyError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let code = words
            .iter()
            .find(|w| w.len() == 3 && w.chars().all(|c| c.is_ascii_alphabetic()));
        let currency = match code {
            Some(c) => Currency::from_code(&c.to_ascii_uppercase())
                .ok_or_else(|| MoneyError::UnknownCurrency((*c).to_string()))?,
            None => default,
        };
        let number = words
            .iter()
            .filter(|w| Some(*w) != code)
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        Self::parse(&number, currency)
    }

    /// Parses a human amount: `1234.56`, `1234,56`, `1 234,56`, `-12.5`, `1.234,56` (a
    /// thousands dot followed by a decimal comma). More decimals than the currency has is
    /// an error, never a silent rounding.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let not_an_amount = || MoneyError::NotAnAmount {
            amount: text.to_string(),
        };
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
            .collect();
        if cleaned.is_empty() {
            return Err(not_an_amount());
        }
        // When both separators appear, the last one is the decimal separator.
        let normalised = match (cleaned.rfind('.'), cleaned.rfind(',')) {
            (Some(dot), Some(comma)) if comma > dot => cleaned.replace('.', "").replace(',', "."),
            (Some(_), Some(_)) => cleaned.replace(',', ""),
            (None, Some(_)) => cleaned.replace(',', "."),
            _ => cleaned,
        };
        if normalised.matches('.').count() > 1
            || !normalised
                .trim_start_matches(['-', '+'])
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
            || !normalised.chars().any(|c| c.is_ascii_digit())
        {
            return Err(not_an_amount());
        }
        let value = Decimal::from_str(&normalised).map_err(|_| not_an_amount())?;
        let allowed = minor_digits(currency);
        if value.scale() > allowed && value.normalize().scale() > allowed {
            return Err(MoneyError::TooPrecise {
                amount: text.to_string(),
                currency,
                allowed,
            });
        }
        let money =
            Self::from_decimal_rounded(value, currency).map_err(|_| MoneyError::TooLarge {
                amount: text.to_string(),
            })?;
        if money.minor.unsigned_abs() > Self::MAX_INPUT_MINOR.unsigned_abs() {
            return Err(MoneyError::TooLarge {
                amount: text.to_string(),
            });
        }
        Ok(money)
    }

    /// `self + other`, refusing to mix currencies.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            minor,
            currency: self.currency,
        })
    }

    /// `self - other`, refusing to mix currencies.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            minor,
            currency: self.currency,
        })
    }

    /// The opposite amount.
    pub fn negated(self) -> Money {
        Money {
            minor: -self.minor,
            currency: self.currency,
        }
    }

    pub fn abs(self) -> Money {
        Money {
            minor: self.minor.abs(),
            currency: self.currency,
        }
    }

    /// The smaller of two amounts of the same currency.
    pub fn min(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(if other.minor < self.minor {
            other
        } else {
            self
        })
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }

    /// The plain decimal figure, no currency: `-1234.50`.
    pub fn amount_string(self) -> String {
        self.to_decimal().to_string()
    }
}

impl fmt::Display for Money {
    /// `1234.50 EUR`: unambiguous in logs and CLI tables; localised formats live in the UI.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal(), self.currency.code())
    }
}

/// Sums of money per currency: how totals over a portfolio are kept when it holds more
/// than one currency. Adding never fails nor wraps: sums are kept in 128 bits, which no
/// count of 64-bit amounts can overflow. Reading asks for one currency; a sum beyond what
/// one [`Money`] holds (more than 922 337 amounts at the input maximum
/// [`Money::MAX_INPUT_MINOR`]) reads as the largest amount of its sign, never as a wrapped
/// figure of the other sign.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    // A handful of currencies at most: a small vector beats a map.
    by_currency: Vec<(Currency, i128)>,
}

impl Totals {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, amount: Money) {
        self.add_minor(amount.currency(), amount.minor());
    }

    pub fn add_minor(&mut self, currency: Currency, minor: i64) {
        self.add_wide(currency, i128::from(minor));
    }

    fn add_wide(&mut self, currency: Currency, minor: i128) {
        match self.by_currency.iter_mut().find(|(c, _)| *c == currency) {
            Some((_, sum)) => *sum = sum.saturating_add(minor),
            None => self.by_currency.push((currency, minor)),
        }
    }

    pub fn merge(&mut self, other: &Totals) {
        for &(currency, minor) in &other.by_currency {
            self.add_wide(currency, minor);
        }
    }

    /// The total in `currency` (zero when none).
    pub fn get(&self, currency: Currency) -> Money {
        let minor = self
            .by_currency
            .iter()
            .find(|(c, _)| *c == currency)
            .map_or(0, |(_, m)| *m);
        Money::from_minor(narrow(minor), currency)
    }

    /// Every non-empty currency total, sorted by currency code.
    pub fn iter(&self) -> impl Iterator<Item = Money> + '_ {
        let mut v: Vec<Money> = self
            .by_currency
            .iter()
            .map(|&(c, m)| Money::from_minor(narrow(m), c))
            .collect();
        v.sort_by_key(|m| m.currency().code());
        v.into_iter()
    }

    pub fn is_empty(&self) -> bool {
        self.by_currency.iter().all(|(_, m)| *m == 0)
    }
}

/// A 128-bit sum as minor units of one [`Money`], saturated at its bounds.
fn narrow(minor: i128) -> i64 {
    i64::try_from(minor).unwrap_or(if minor < 0 { i64::MIN } else { i64::MAX })
}

impl fmt::Display for Totals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.iter().map(|m| m.to_string()).collect();
        if parts.is_empty() {
            write!(f, "0")
        } else {
            write!(f, "{}", parts.join(" + "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::{EUR, GBP, JPY};

    #[test]
    fn parses_french_and_english_amounts() {
        assert_eq!(Money::parse("1234.56", EUR).unwrap().minor(), 123_456);
        // A currency code before or after the number wins over the default.
        let gbp = Money::parse_with_code("120,50 gbp", EUR).unwrap();
        assert_eq!((gbp.minor(), gbp.currency().code()), (12_050, "GBP"));
        let eur = Money::parse_with_code("EUR 1 234,56", Currency::GBP).unwrap();
        assert_eq!((eur.minor(), eur.currency().code()), (123_456, "EUR"));
        assert_eq!(
            Money::parse_with_code("33.47", Currency::GBP)
                .unwrap()
                .currency(),
            Currency::GBP
        );
        assert!(matches!(
            Money::parse_with_code("10 XYZ", EUR),
            Err(MoneyError::UnknownCurrency(_))
        ));
        assert_eq!(Money::parse("1234,56", EUR).unwrap().minor(), 123_456);
        assert_eq!(Money::parse("1 234,5", EUR).unwrap().minor(), 123_450);
        assert_eq!(Money::parse("1.234,56", EUR).unwrap().minor(), 123_456);
        assert_eq!(Money::parse("1,234.56", EUR).unwrap().minor(), 123_456);
        assert_eq!(Money::parse("-40", EUR).unwrap().minor(), -4_000);
        assert_eq!(Money::parse("1500", JPY).unwrap().minor(), 1_500);
        assert_eq!(Money::parse("12.50", EUR).unwrap().minor(), 1_250);
    }

    #[test]
    fn refuses_an_amount_above_the_input_maximum_and_totals_never_wrap() {
        // 99 999 999 999.99 is the largest amount taken; one cent more is refused.
        assert_eq!(
            Money::parse("99999999999.99", EUR).unwrap().minor(),
            9_999_999_999_999
        );
        for text in ["100000000000", "-100000000000.00", "92233720368547758.07"] {
            assert!(
                matches!(Money::parse(text, EUR), Err(MoneyError::TooLarge { .. })),
                "{text}"
            );
        }
        assert!(Money::parse("100000000000000", JPY).is_err());
        // Two of the largest 64-bit amounts: the sum was wrapping to a negative figure.
        let mut t = Totals::new();
        t.add_minor(EUR, i64::MAX);
        t.add_minor(EUR, i64::MAX);
        assert_eq!(t.get(EUR).minor(), i64::MAX);
        // ...and an exact sum once amounts of the other sign bring it back in range.
        t.add_minor(EUR, -i64::MAX);
        t.add_minor(EUR, -i64::MAX);
        t.add_minor(EUR, 5);
        assert_eq!(t.get(EUR).minor(), 5);
        let mut other = Totals::new();
        other.add_minor(EUR, i64::MIN);
        other.merge(&other.clone());
        assert_eq!(other.get(EUR).minor(), i64::MIN);
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for bad in ["", "abc", "12.3.4", "1,2,3", "--5", "12e3", "."] {
            assert!(Money::parse(bad, EUR).is_err(), "{bad:?} should be refused");
        }
        assert!(matches!(
            Money::parse("1.234", EUR),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(matches!(
            Money::parse("10.5", JPY),
            Err(MoneyError::TooPrecise { .. })
        ));
    }

    #[test]
    fn never_adds_two_currencies() {
        let e = Money::from_minor(100, EUR);
        let g = Money::from_minor(100, GBP);
        assert_eq!(
            e.checked_add(g),
            Err(MoneyError::CurrencyMismatch(EUR, GBP))
        );
        assert_eq!(e.checked_add(e).unwrap().minor(), 200);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        use rust_decimal_macros_free::dec;
        assert_eq!(
            Money::from_decimal_rounded(dec("0.005"), EUR)
                .unwrap()
                .minor(),
            1
        );
        assert_eq!(
            Money::from_decimal_rounded(dec("0.0049"), EUR)
                .unwrap()
                .minor(),
            0
        );
        assert_eq!(
            Money::from_decimal_rounded(dec("-0.005"), EUR)
                .unwrap()
                .minor(),
            -1
        );
        assert_eq!(
            Money::from_decimal_rounded(dec("12.345"), EUR)
                .unwrap()
                .minor(),
            1235
        );
    }

    mod rust_decimal_macros_free {
        pub fn dec(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap()
        }
    }

    #[test]
    fn totals_keep_currencies_apart() {
        let mut t = Totals::new();
        t.add(Money::from_minor(100, EUR));
        t.add(Money::from_minor(50, GBP));
        t.add(Money::from_minor(25, EUR));
        assert_eq!(t.get(EUR).minor(), 125);
        assert_eq!(t.get(GBP).minor(), 50);
        assert_eq!(t.to_string(), "1.25 EUR + 0.50 GBP");
    }
}
