//! # ISO 11649 RF creditor reference
//!
//! The reference a creditor prints on an invoice so that the payment comes back with it,
//! intact, in the bank statement (`RmtInf/Strd/CdtrRefInf/Ref` with type `SCOR`):
//! `RF` + two check digits + 1 to 21 letters or digits (`RF18 5390 0754 7034`). The check
//! digits make a typo detectable (ISO 7064 MOD 97-10, as for IBANs); see
//! `shared/domain-rules.md` §11.5.
//!
//! [`generate`] builds the reference of a claim from its number; [`validate`] checks one
//! read from a statement or typed by a person (spaces and case ignored).

use crate::iban::mod97;
use std::fmt;

/// Why a text is not an RF reference, or cannot become one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RfError {
    #[error("{0:?} does not start with RF")]
    Prefix(String),
    #[error("{0:?}: an RF reference holds 1 to 21 letters or digits after RF and its check digits")]
    Length(String),
    #[error("{0:?}: only letters and digits are allowed")]
    Characters(String),
    #[error("{0:?}: wrong check digits")]
    Checksum(String),
}

/// A valid ISO 11649 reference, electronic form (`RF18539007547034`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RfReference(String);

impl RfReference {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `RF` and the check digits (`539007547034`).
    pub fn base(&self) -> &str {
        &self.0[4..]
    }
}

impl fmt::Display for RfReference {
    /// Print form, groups of four: `RF18 5390 0754 7034`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.0.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The RF reference of `base` (a claim number such as `FA-2024/0012` or an id): separators
/// (`-`, `/`, `.`, `_`, spaces) are dropped, letters upper-cased; what remains must be 1 to
/// 21 letters or digits.
pub fn generate(base: &str) -> Result<RfReference, RfError> {
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '/' | '.' | '_'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if cleaned.is_empty() || cleaned.chars().count() > 21 {
        return Err(RfError::Length(base.to_string()));
    }
    let Some(r) = mod97(cleaned.chars().chain("RF00".chars())) else {
        return Err(RfError::Characters(base.to_string()));
    };
    Ok(RfReference(format!("RF{:02}{cleaned}", 98 - r)))
}

/// Validates a reference as read or typed (spaces and case ignored).
pub fn validate(text: &str) -> Result<RfReference, RfError> {
    let c = compact(text);
    if !c.starts_with("RF") {
        return Err(RfError::Prefix(text.to_string()));
    }
    if c.len() < 5 || c.len() > 25 {
        return Err(RfError::Length(text.to_string()));
    }
    if !c.chars().all(|ch| ch.is_ascii_alphanumeric())
        || !c[2..4].chars().all(|ch| ch.is_ascii_digit())
    {
        return Err(RfError::Characters(text.to_string()));
    }
    if mod97(c[4..].chars().chain(c[..4].chars())) != Some(1) {
        return Err(RfError::Checksum(text.to_string()));
    }
    Ok(RfReference(c))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn domain_rules_examples() {
        // domain-rules.md §11.5 (computed there, matching Odoo and codecrete qrbill).
        for (base, rf) in [
            ("539007547034", "RF18539007547034"),
            ("123456789", "RF18123456789"),
            ("AB2G59X56V543", "RF19AB2G59X56V543"),
            ("7", "RF097"),
        ] {
            assert_eq!(generate(base).unwrap().as_str(), rf, "{base}");
            assert_eq!(validate(rf).unwrap().as_str(), rf);
        }
        assert_eq!(
            generate("5390 0754 7034").unwrap().to_string(),
            "RF18 5390 0754 7034"
        );
    }

    #[test]
    fn by_hand() {
        // "7" + "RF00", letters as numbers (R = 27, F = 15): 7 27 15 0 0, taken mod 97
        // step by step: 7; 727 - 7*97 = 48; 4815 - 49*97 = 62; 620 - 6*97 = 38;
        // 380 - 3*97 = 89. Check digits 98 - 89 = 09: RF097.
        assert_eq!(generate("7").unwrap().as_str(), "RF097");
        assert_eq!(generate("fa-2024/12").unwrap().base(), "FA202412");
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            validate("RF17 5390 0754 7034"),
            Err(RfError::Checksum(_))
        ));
        assert!(matches!(
            validate("XX18539007547034"),
            Err(RfError::Prefix(_))
        ));
        assert!(matches!(validate("RF18"), Err(RfError::Length(_))));
        assert!(matches!(
            validate("RF1853900754703412345678901"),
            Err(RfError::Length(_))
        ));
        assert!(matches!(
            validate("RF18 5390*0754"),
            Err(RfError::Characters(_))
        ));
        assert!(matches!(generate(""), Err(RfError::Length(_))));
        assert!(matches!(
            generate("1234567890123456789012"),
            Err(RfError::Length(_))
        ));
        assert!(matches!(generate("Ä1"), Err(RfError::Characters(_))));
    }
}
