//! # IBAN (ISO 13616)
//!
//! [`Iban::parse`] accepts an IBAN as people write it (`FR76 3000 6000 0112 3456 7890 189`,
//! lower case, dots or dashes between groups, `IBAN` prefix) and keeps it in electronic
//! form (upper case, no spaces). It is valid when the country is in the SWIFT IBAN
//! registry, the length and the BBAN's character classes are those the registry gives
//! for that country, and the mod-97 check (ISO 7064) gives 1. National check digits inside
//! the BBAN (Spain, France's RIB key…) are not checked: the bank will.

use std::fmt;

/// Why a text is not an IBAN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    #[error("{0:?} is not an IBAN: only letters and digits expected")]
    Characters(String),
    #[error("{0:?} is not an IBAN: unknown country code")]
    UnknownCountry(String),
    #[error("{iban:?} is not an IBAN: {country} IBANs have {expected} characters, not {actual}")]
    Length {
        iban: String,
        country: String,
        expected: usize,
        actual: usize,
    },
    #[error(
        "{0:?} is not an IBAN: letters or digits where the country's format does not allow them"
    )]
    Format(String),
    #[error("{0:?} is not an IBAN: wrong check digits (mod 97)")]
    Checksum(String),
}

/// A valid IBAN in electronic form (`FR7630006000011234567890189`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iban(String);

impl Iban {
    /// Parses and validates; see the module documentation.
    pub fn parse(text: &str) -> Result<Iban, IbanError> {
        let trimmed = text.trim();
        let trimmed = trimmed
            .strip_prefix("IBAN")
            .or_else(|| trimmed.strip_prefix("iban"))
            .unwrap_or(trimmed)
            .trim_start_matches(':');
        let compact: String = trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '.' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.len() < 5 || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(IbanError::Characters(text.to_string()));
        }
        let country = &compact[..2];
        let Some(&(_, length, bban)) = REGISTRY.iter().find(|(c, _, _)| *c == country) else {
            return Err(IbanError::UnknownCountry(text.to_string()));
        };
        if compact.len() != length {
            return Err(IbanError::Length {
                iban: text.to_string(),
                country: country.to_string(),
                expected: length,
                actual: compact.len(),
            });
        }
        if !compact[2..4].chars().all(|c| c.is_ascii_digit()) || !bban_matches(&compact[4..], bban)
        {
            return Err(IbanError::Format(text.to_string()));
        }
        if mod97(compact[4..].chars().chain(compact[..4].chars())) != Some(1) {
            return Err(IbanError::Checksum(text.to_string()));
        }
        Ok(Iban(compact))
    }

    /// Electronic form, no spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn country(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for Iban {
    /// Print form: groups of four (`FR76 3000 6000 0112 3456 7890 189`).
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

/// Whether `text` is a valid IBAN.
pub fn is_valid(text: &str) -> bool {
    Iban::parse(text).is_ok()
}

/// ISO 7064 MOD 97-10 of alphanumerics, letters counting A = 10 … Z = 35; `None` on any
/// other character. Shared with [`crate::rf`].
pub(crate) fn mod97(chars: impl Iterator<Item = char>) -> Option<u32> {
    let mut r: u32 = 0;
    for c in chars {
        let v = c.to_digit(36)?;
        r = if v < 10 { r * 10 + v } else { r * 100 + v } % 97;
    }
    Some(r)
}

/// Whether a BBAN matches a SWIFT format such as `4!a6!n8!c` (`n` digits, `a` upper-case
/// letters, `c` letters or digits; `!` = fixed length).
fn bban_matches(bban: &str, format: &str) -> bool {
    let mut chars = bban.chars();
    let mut count = 0_usize;
    for f in format.chars() {
        if let Some(d) = f.to_digit(10) {
            count = count * 10 + d as usize;
            continue;
        }
        let class: fn(char) -> bool = match f {
            '!' => continue,
            'n' => |c: char| c.is_ascii_digit(),
            'a' => |c: char| c.is_ascii_uppercase(),
            'c' => |c: char| c.is_ascii_alphanumeric(),
            _ => return false,
        };
        for _ in 0..count {
            match chars.next() {
                Some(c) if class(c) => {}
                _ => return false,
            }
        }
        count = 0;
    }
    chars.next().is_none()
}

/// Country, IBAN length and BBAN format, from the SWIFT IBAN registry (as published in
/// php-iban's `registry.txt`; `tests/iban_rf.rs` checks this table against that file).
/// Covers the EU/EEA, CH, GB and every other registry country, with the French overseas
/// territories that use FR's format.
pub const REGISTRY: &[(&str, usize, &str)] = &[
    ("AL", 28, "8!n16!c"),
    ("DZ", 24, "20!n"),
    ("AD", 24, "4!n4!n12!c"),
    ("AO", 25, "21!n"),
    ("AT", 20, "5!n11!n"),
    ("AZ", 28, "4!a20!c"),
    ("BH", 22, "4!a14!c"),
    ("BE", 16, "3!n7!n2!n"),
    ("BJ", 28, "1!a23!n"),
    ("BA", 20, "3!n3!n8!n2!n"),
    ("BR", 29, "8!n5!n10!n1!a1!c"),
    ("VG", 24, "4!a16!n"),
    ("BG", 22, "4!a4!n2!n8!c"),
    ("BF", 27, "23!n"),
    ("BI", 16, "12!n"),
    ("BY", 28, "4!c4!n16!c"),
    ("CM", 27, "23!n"),
    ("CV", 25, "21!n"),
    ("CF", 27, "5!n5!n11!n2!n"),
    ("TD", 27, "5!n5!n11!n2!n"),
    // The registry file says 13!n here, against its own regex and length: 11 digits.
    ("KM", 27, "5!n5!n11!n2!n"),
    ("CG", 27, "5!n5!n11!n2!n"),
    ("CR", 22, "4!n14!n"),
    ("CI", 28, "1!a23!n"),
    ("HR", 21, "7!n10!n"),
    ("CY", 28, "3!n5!n16!c"),
    ("CZ", 24, "4!n6!n10!n"),
    ("DK", 18, "4!n9!n1!n"),
    ("FO", 18, "4!n9!n1!n"),
    ("GL", 18, "4!n9!n1!n"),
    // As KM: the registry file says 13!n, its regex and length say 11 digits.
    ("DJ", 27, "5!n5!n11!n2!n"),
    ("DO", 28, "4!c20!n"),
    ("EG", 29, "4!n4!n17!n"),
    ("SV", 28, "4!a20!n"),
    ("GQ", 27, "5!n5!n11!n2!n"),
    ("EE", 20, "2!n2!n11!n1!n"),
    ("FI", 18, "6!n7!n1!n"),
    ("AX", 18, "6!n7!n1!n"),
    ("FR", 27, "5!n5!n11!c2!n"),
    ("GF", 27, "5!n5!n11!c2!n"),
    ("PF", 27, "5!n5!n11!c2!n"),
    ("TF", 27, "5!n5!n11!c2!n"),
    ("GP", 27, "5!n5!n11!c2!n"),
    ("MQ", 27, "5!n5!n11!c2!n"),
    ("YT", 27, "5!n5!n11!c2!n"),
    ("NC", 27, "5!n5!n11!c2!n"),
    ("RE", 27, "5!n5!n11!c2!n"),
    ("BL", 27, "5!n5!n11!c2!n"),
    ("MF", 27, "5!n5!n11!c2!n"),
    ("PM", 27, "5!n5!n11!c2!n"),
    ("WF", 27, "5!n5!n11!c2!n"),
    ("GA", 27, "5!n5!n11!n2!n"),
    ("GE", 22, "2!a16!n"),
    ("DE", 22, "8!n10!n"),
    ("GI", 23, "4!a15!c"),
    ("GR", 27, "3!n4!n16!c"),
    ("GT", 28, "4!c20!c"),
    ("GW", 25, "2!c2!n4!n11!n2!n"),
    ("HN", 28, "4!a20!n"),
    ("HU", 28, "3!n4!n1!n15!n1!n"),
    ("IS", 26, "4!n2!n6!n10!n"),
    ("IR", 26, "22!n"),
    ("IQ", 23, "4!a3!n12!n"),
    ("IE", 22, "4!a6!n8!n"),
    ("IL", 23, "3!n3!n13!n"),
    ("IT", 27, "1!a5!n5!n12!c"),
    ("JO", 30, "4!a4!n18!c"),
    ("KZ", 20, "3!n13!c"),
    ("XK", 20, "4!n10!n2!n"),
    ("KW", 30, "4!a22!c"),
    ("LV", 21, "4!a13!c"),
    ("LB", 28, "4!n20!c"),
    ("LI", 21, "5!n12!c"),
    ("LT", 20, "5!n11!n"),
    ("LU", 20, "3!n13!c"),
    ("MK", 19, "3!n10!c2!n"),
    ("MG", 27, "23!n"),
    ("ML", 28, "1!a23!n"),
    ("MT", 31, "4!a5!n18!c"),
    ("MR", 27, "5!n5!n11!n2!n"),
    ("MU", 30, "4!a2!n2!n12!n3!n3!a"),
    ("MD", 24, "2!c18!c"),
    ("MC", 27, "5!n5!n11!c2!n"),
    ("ME", 22, "3!n13!n2!n"),
    ("MA", 28, "3!n5!n14!n2!n"),
    ("MZ", 25, "21!n"),
    ("NL", 18, "4!a10!n"),
    // The registry file says 28!n; its regex, example and IBAN format say 4 letters + 24 digits.
    ("NI", 32, "4!a24!n"),
    ("NE", 28, "2!a3!n5!n12!n2!n"),
    ("NO", 15, "4!n6!n1!n"),
    ("PK", 24, "4!a16!c"),
    ("PS", 29, "4!a21!c"),
    ("PL", 28, "8!n16!n"),
    ("PT", 25, "4!n4!n11!n2!n"),
    ("QA", 29, "4!a4!n17!c"),
    ("RO", 24, "4!a16!c"),
    ("LC", 32, "4!a24!c"),
    ("SM", 27, "1!a5!n5!n12!c"),
    ("ST", 25, "8!n11!n2!n"),
    ("SA", 24, "2!n18!c"),
    ("SN", 28, "1!a23!n"),
    ("RS", 22, "3!n13!n2!n"),
    ("SC", 31, "4!a2!n2!n16!n3!a"),
    ("SK", 24, "4!n6!n10!n"),
    ("SI", 19, "5!n8!n2!n"),
    ("ES", 24, "4!n4!n1!n1!n10!n"),
    ("SE", 24, "3!n16!n1!n"),
    ("CH", 21, "5!n12!c"),
    ("TL", 23, "3!n14!n2!n"),
    ("TG", 28, "2!a3!n5!n12!n2!n"),
    ("TN", 24, "2!n3!n13!n2!n"),
    ("TR", 26, "5!n1!n16!c"),
    ("UA", 29, "6!n19!c"),
    ("AE", 23, "3!n16!n"),
    ("GB", 22, "4!a6!n8!n"),
];

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn domain_rules_example() {
        // domain-rules.md §11.5: FR7630006000011234567890189 is valid.
        let iban = Iban::parse("fr76 3000 6000 0112 3456 7890 189").unwrap();
        assert_eq!(iban.as_str(), "FR7630006000011234567890189");
        assert_eq!(iban.to_string(), "FR76 3000 6000 0112 3456 7890 189");
        // One digit changed: 189 -> 188.
        assert!(matches!(
            Iban::parse("FR7630006000011234567890188"),
            Err(IbanError::Checksum(_))
        ));
    }

    #[test]
    fn length_format_country() {
        assert!(matches!(
            Iban::parse("FR763000600001123456789018"),
            Err(IbanError::Length {
                expected: 27,
                actual: 26,
                ..
            })
        ));
        assert!(matches!(
            Iban::parse("QQ931234567"),
            Err(IbanError::UnknownCountry(_))
        ));
        assert!(matches!(
            Iban::parse("FR76 3000"),
            Err(IbanError::Length { .. })
        ));
        assert!(matches!(
            Iban::parse("FR76/3000"),
            Err(IbanError::Characters(_))
        ));
        assert!(matches!(Iban::parse(""), Err(IbanError::Characters(_))));
        // GB is 4!a14!n: digits where the bank code letters go.
        assert!(matches!(
            Iban::parse("GB29 1234 6016 1331 9268 19"),
            Err(IbanError::Format(_))
        ));
        assert!(Iban::parse("GB29 NWBK 6016 1331 9268 19").is_ok());
        assert!(Iban::parse("IBAN: CH93 0076 2011 6238 5295 7").is_ok());
    }

    #[test]
    fn mod97_by_hand() {
        // "1" -> 1; "97" -> 0; "A" -> 10; "98" -> 1.
        assert_eq!(mod97("1".chars()), Some(1));
        assert_eq!(mod97("97".chars()), Some(0));
        assert_eq!(mod97("A".chars()), Some(10));
        assert_eq!(mod97("98".chars()), Some(1));
        assert_eq!(mod97("a-".chars()), None);
    }
}
