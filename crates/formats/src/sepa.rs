//! # What the SEPA writers share
//!
//! The checks and the XML writing common to the SEPA initiation files this crate writes:
//! direct debits ([`crate::pain008`]) and credit transfers ([`crate::pain001`]). Private
//! to the crate; each writer turns an [`Invalid`] into its own error type, which says
//! where (`at`) and which input field.
//!
//! - The SEPA basic character set, identifiers (refused, never transliterated) and free
//!   text (transliterated, then capped): [`identifier`], [`text`].
//! - IBANs ([`crate::iban`]) and BICs, in the shape of the 2009 schemas' `BICIdentifier`
//!   (the `BIC` element of pain.008.001.02 and pain.001.001.03) or of the 2014
//!   `BICFIDec2014Identifier` (`BICFI`, pain.008.001.08).
//! - Amounts in EUR within the SEPA bounds and control sums, in cents (`i64`), written
//!   with two decimals: never a float.
//! - A small indenting XML writer.

use crate::iban::Iban;
use domain::{Currency, Money};
use jiff::civil::DateTime;

/// A value that cannot be written: where it is, the input field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid {
    /// `message`, `creditor`, `transfer E2E-7 (#2)`…
    pub at: String,
    /// The input field, as its writer's module names it.
    pub field: &'static str,
    pub reason: String,
}

pub(crate) fn invalid(at: &str, field: &'static str, reason: impl Into<String>) -> Invalid {
    Invalid {
        at: at.to_string(),
        field,
        reason: reason.into(),
    }
}

/// The largest amount of one SEPA payment, in cents (999 999 999.99 €, the EPC
/// implementation guidelines' limit on `InstdAmt`, for direct debits and credit transfers).
pub(crate) const MAX_AMOUNT_MINOR: i64 = 999_999_999_99;

/// Control sums are `DecimalNumber`, 18 digits in all: with two decimals, below 10^16 €.
pub(crate) const MAX_SUM_MINOR: i64 = 1_000_000_000_000_000_000 - 1;

/// The SEPA scheme of a file, for the words of its error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    DirectDebit,
    CreditTransfer,
}

impl Scheme {
    fn plural(self) -> &'static str {
        match self {
            Scheme::DirectDebit => "direct debits",
            Scheme::CreditTransfer => "credit transfers",
        }
    }

    fn one(self) -> &'static str {
        match self {
            Scheme::DirectDebit => "debit",
            Scheme::CreditTransfer => "transfer",
        }
    }
}

/// One payment's amount in cents: in EUR, at least 0.01, at most [`MAX_AMOUNT_MINOR`].
pub(crate) fn amount(
    at: &str,
    field: &'static str,
    amount: Money,
    scheme: Scheme,
) -> Result<i64, Invalid> {
    if amount.currency() != Currency::EUR {
        return Err(invalid(
            at,
            field,
            format!("{amount}: SEPA {} are in EUR only", scheme.plural()),
        ));
    }
    if !amount.is_positive() {
        return Err(invalid(
            at,
            field,
            format!("{amount}: a {} must be at least 0.01 EUR", scheme.one()),
        ));
    }
    if amount.minor() > MAX_AMOUNT_MINOR {
        return Err(invalid(
            at,
            field,
            format!(
                "{amount}: a SEPA {} is at most 999999999.99 EUR",
                scheme.one()
            ),
        ));
    }
    Ok(amount.minor())
}

/// Number of payments and their sum in cents (`NbOfTxs`, `CtrlSum`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sums {
    pub count: usize,
    pub minor: i64,
}

impl Sums {
    /// Adds one payment of `minor` cents; refused (field `amount`) when the sum would no
    /// longer fit the schema's `DecimalNumber`.
    pub(crate) fn add(&mut self, minor: i64, at: &str) -> Result<(), Invalid> {
        self.count += 1;
        self.minor = self
            .minor
            .checked_add(minor)
            .filter(|sum| *sum <= MAX_SUM_MINOR)
            .ok_or_else(|| {
                invalid(
                    at,
                    "amount",
                    "the control sum would exceed the 18 digits the schema allows",
                )
            })?;
        Ok(())
    }
}

/// `CreDtTm`: the civil date-time to the second, without a time zone
/// (`2026-03-02T09:30:05`).
pub(crate) fn date_time(dt: DateTime) -> String {
    format!(
        "{}T{:02}:{:02}:{:02}",
        dt.date(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// The SEPA basic character set (EPC): Latin letters, digits and `/ - ? : ( ) . , ' +`
/// and space.
pub(crate) fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '/' | '-' | '?' | ':' | '(' | ')' | '.' | ',' | '\'' | '+' | ' '
        )
}

/// An identifier (`Max35Text` of the SEPA character set), refused rather than changed.
pub(crate) fn identifier(at: &str, field: &'static str, value: &str) -> Result<String, Invalid> {
    let len = value.chars().count();
    if len == 0 || len > 35 {
        return Err(invalid(
            at,
            field,
            format!("{value:?} has {len} characters; 1 to 35 expected"),
        ));
    }
    if value.trim() != value {
        return Err(invalid(
            at,
            field,
            format!("{value:?} starts or ends with a space"),
        ));
    }
    if let Some(c) = value.chars().find(|c| !is_sepa_char(*c)) {
        return Err(invalid(
            at,
            field,
            format!(
                "{value:?} contains {c:?}, outside the SEPA character set \
                 (identifiers are not transliterated: they must match exactly)"
            ),
        ));
    }
    if value.starts_with('/') || value.ends_with('/') || value.contains("//") {
        return Err(invalid(
            at,
            field,
            format!("{value:?}: an identifier may not start or end with / nor contain //"),
        ));
    }
    Ok(value.to_string())
}

/// Free text (names, remittance), trimmed and transliterated to the SEPA character set.
pub(crate) fn text(
    at: &str,
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, Invalid> {
    let mut out = String::with_capacity(value.len());
    for c in value.trim().chars() {
        if is_sepa_char(c) {
            out.push(c);
        } else if let Some(t) = transliterate(c) {
            out.push_str(t);
        } else {
            return Err(invalid(
                at,
                field,
                format!(
                    "{value:?} contains {c:?}, which has no equivalent in the SEPA character set"
                ),
            ));
        }
    }
    let len = out.chars().count();
    if len == 0 {
        return Err(invalid(at, field, "empty"));
    }
    if len > max {
        return Err(invalid(
            at,
            field,
            format!("{value:?} has {len} characters once transliterated; at most {max}"),
        ));
    }
    Ok(out)
}

/// The SEPA-set spelling of a Latin letter with a diacritic, a ligature or a common
/// punctuation sign; `None` when there is none.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' => "I",
        'ł' | 'ľ' | 'ĺ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ŕ' | 'ř' => "r",
        'Ŕ' | 'Ř' => "R",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ť' | 'ţ' | 'ț' => "t",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ß' => "ss",
        '&' => "+",
        '_' => "-",
        '‘' | '’' | '`' | '´' | '"' | '“' | '”' | '«' | '»' => "'",
        '–' | '—' => "-",
        ';' => ",",
        '\u{a0}' | '\t' => " ",
        _ => return None,
    })
}

/// An IBAN in electronic form (upper case, no spaces), checked by [`Iban::parse`].
pub(crate) fn iban(at: &str, field: &'static str, value: &str) -> Result<String, Invalid> {
    Iban::parse(value)
        .map(|i| i.as_str().to_string())
        .map_err(|e| invalid(at, field, e.to_string()))
}

/// A BIC as people write it (spaces, lower case) in its normal form, when it has the
/// shape of ISO 9362 (`BICFIDec2014Identifier`: 8 or 11 characters, bank code, country
/// code in letters, location, optional branch).
pub fn parse_bic(value: &str) -> Result<String, String> {
    let b: String = value
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let alnum = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    let letters = |s: &str| s.chars().all(|c| c.is_ascii_uppercase());
    let shape = (b.len() == 8 || b.len() == 11)
        && b.is_ascii()
        && alnum(&b[..4])
        && letters(&b[4..6])
        && alnum(&b[6..]);
    if shape {
        Ok(b)
    } else {
        Err(format!(
            "{value:?} is not a BIC: 8 or 11 characters expected, bank code, \
             country code (letters), location, optional branch"
        ))
    }
}

/// The schema type a BIC must fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BicShape {
    /// `BICFIDec2014Identifier` (`[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?`), the
    /// `BICFI` element of the 2019 messages (pain.008.001.08).
    Bicfi2014,
    /// The 2009 schemas' `BICIdentifier` (`[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?`),
    /// the `BIC` element of pain.008.001.02 and pain.001.001.03: `message` names the
    /// message version in the error, `advice` (may be empty) follows it.
    Identifier2009 {
        message: &'static str,
        advice: &'static str,
    },
}

/// An optional BIC ([`parse_bic`]) in the shape the message's schema allows.
pub(crate) fn bic(
    at: &str,
    field: &'static str,
    value: Option<&str>,
    shape: BicShape,
) -> Result<Option<String>, Invalid> {
    let Some(value) = value else {
        return Ok(None);
    };
    let b = parse_bic(value).map_err(|e| invalid(at, field, e))?;
    if let BicShape::Identifier2009 { message, advice } = shape {
        let bytes = b.as_bytes();
        let letters = |s: &str| s.chars().all(|c| c.is_ascii_uppercase());
        let old = letters(&b[..4])
            && (bytes[6].is_ascii_uppercase() || (b'2'..=b'9').contains(&bytes[6]))
            && bytes[7] != b'O';
        if !old {
            return Err(invalid(
                at,
                field,
                format!(
                    "{value:?} cannot be written in {message}, whose BIC has letters \
                     only in the bank code and no 0 or 1 as 7th nor O as 8th character\
                     {advice}"
                ),
            ));
        }
    }
    Ok(Some(b))
}

/// Cents as a decimal with two places: 112355 → `1123.55`, 10 → `0.10`.
pub(crate) fn decimal(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// A small indenting XML writer: elements, text (escaped by quick-xml) and one attribute.
#[derive(Debug)]
pub(crate) struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    /// The XML declaration and the opening `Document` element of the given namespace;
    /// what follows is indented under it.
    pub(crate) fn document(namespace: &str, capacity: usize) -> Xml {
        let mut out = String::with_capacity(capacity);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str("<Document xmlns=\"");
        out.push_str(&quick_xml::escape::escape(namespace));
        out.push_str("\">\n");
        Xml { out, depth: 1 }
    }

    /// Closes `Document` and returns the text.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</Document>\n");
        self.out
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    pub(crate) fn open(&mut self, tag: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    pub(crate) fn close(&mut self, tag: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    pub(crate) fn leaf(&mut self, tag: &str, text: &str) {
        self.leaf_with(tag, None, text);
    }

    pub(crate) fn leaf_with(&mut self, tag: &str, attribute: Option<(&str, &str)>, text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        if let Some((name, value)) = attribute {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&quick_xml::escape::escape(value));
            self.out.push('"');
        }
        self.out.push('>');
        // Text needs only `&`, `<` and `>` escaped; quotes stay readable.
        self.out.push_str(&quick_xml::escape::partial_escape(text));
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    /// `FinInstnId` with the BIC in `bic_element` (`BIC` or `BICFI`), or
    /// `Othr/Id = NOTPROVIDED` (the SEPA way of saying that the IBAN alone identifies the
    /// account).
    pub(crate) fn agent(&mut self, tag: &str, bic: Option<&str>, bic_element: &str) {
        self.open(tag);
        self.open("FinInstnId");
        match bic {
            Some(b) => self.leaf(bic_element, b),
            None => {
                self.open("Othr");
                self.leaf("Id", "NOTPROVIDED");
                self.close("Othr");
            }
        }
        self.close("FinInstnId");
        self.close(tag);
    }

    /// An account identified by its IBAN (`Id/IBAN`).
    pub(crate) fn iban_account(&mut self, tag: &str, iban: &str) {
        self.open(tag);
        self.open("Id");
        self.leaf("IBAN", iban);
        self.close("Id");
        self.close(tag);
    }

    /// A party identified by its name only (`Nm`).
    pub(crate) fn party(&mut self, tag: &str, name: &str) {
        self.open(tag);
        self.leaf("Nm", name);
        self.close(tag);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn decimals_from_cents() {
        assert_eq!(decimal(112_355), "1123.55");
        assert_eq!(decimal(10), "0.10");
        assert_eq!(decimal(1), "0.01");
        assert_eq!(decimal(100_000), "1000.00");
        assert_eq!(decimal(MAX_AMOUNT_MINOR), "999999999.99");
    }

    #[test]
    fn identifiers_are_refused_not_changed() {
        assert_eq!(identifier("m", "f", "A-1/2 (b)").unwrap(), "A-1/2 (b)");
        for bad in [
            "",
            " A",
            "A ",
            "A_1",
            "é",
            "/A",
            "A/",
            "A//B",
            &"9".repeat(36),
        ] {
            assert!(identifier("m", "f", bad).is_err(), "{bad:?}");
        }
        assert!(identifier("m", "f", &"9".repeat(35)).is_ok());
    }

    #[test]
    fn free_text_is_transliterated() {
        assert_eq!(
            text("m", "f", "  Œuvre « Ça & Là » ; Straße_1 ", 140).unwrap(),
            "OEuvre ' Ca + La ' , Strasse-1"
        );
        assert!(text("m", "f", "a@b", 140).is_err());
        assert!(text("m", "f", "Ωmega", 140).is_err());
        assert!(text("m", "f", "   ", 140).is_err());
        // "ß" becomes two characters: 70 of them make 140, 71 make 142.
        assert!(text("m", "f", &"ß".repeat(70), 140).is_ok());
        assert!(text("m", "f", &"ß".repeat(71), 140).is_err());
    }

    #[test]
    fn amounts_in_cents_within_the_sepa_bounds() {
        let eur = |minor| Money::from_minor(minor, Currency::EUR);
        let s = Scheme::CreditTransfer;
        assert_eq!(amount("m", "f", eur(1), s).unwrap(), 1);
        assert_eq!(
            amount("m", "f", eur(MAX_AMOUNT_MINOR), s).unwrap(),
            MAX_AMOUNT_MINOR
        );
        for bad in [
            eur(0),
            eur(-1),
            eur(MAX_AMOUNT_MINOR + 1),
            Money::from_minor(100, Currency::CHF),
        ] {
            assert!(amount("m", "f", bad, s).is_err(), "{bad}");
        }
    }

    #[test]
    fn sums_stop_at_the_schema_digits() {
        let mut sums = Sums::default();
        sums.add(MAX_SUM_MINOR - 1, "m").unwrap();
        sums.add(1, "m").unwrap();
        assert_eq!((sums.count, sums.minor), (2, MAX_SUM_MINOR));
        assert_eq!(sums.add(1, "m").unwrap_err().field, "amount");
    }
}
