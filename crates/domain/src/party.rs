//! Creditors and debtors. Whether a debtor is a company (B2B) or a consumer (B2C) decides
//! which law applies: late-payment penalties and the €40 indemnity exist only between
//! professionals, limitation is shorter against consumers.

use crate::ids::{CreditorId, DebtorId};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The business owed. A company has one; a collection agency holds many, each under a
/// written mandate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creditor {
    pub id: CreditorId,
    /// Short stable code (`ACME`), used in imports and URLs.
    pub code: String,
    pub name: String,
    /// ISO 3166-1 alpha-2 country of establishment: the law of the creditor's side.
    pub country: String,
}

/// A company or a natural person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DebtorKind {
    Company,
    Person,
}

/// Business-to-business or business-to-consumer: the law that applies to the relation.
/// Usually follows the kind (a company is B2B), but a sole trader acting for their trade is
/// a person in a B2B relation, so it is kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    B2b,
    B2c,
}

/// The channel a contact is reached through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Email,
    Phone,
    Address,
}

/// One way to reach a debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: String,
    /// Free label: "accounts payable", "CFO", "home".
    pub label: Option<String>,
}

/// Someone who owes a creditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debtor {
    pub id: DebtorId,
    pub creditor_id: CreditorId,
    /// The creditor's own customer reference; unique per creditor, the key of imports.
    pub external_id: String,
    pub name: String,
    pub kind: DebtorKind,
    pub segment: Segment,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// ISO 639-1 language for letters and e-mails (`fr`, `en`).
    pub language: String,
    pub contacts: Vec<Contact>,
    pub tags: Vec<String>,
}

/// The tag that marks a debtor as a public body (State, local authority, public
/// establishment): no civil procedure is advised against it (see `law::routes`).
pub const PUBLIC_BODY_TAG: &str = "public";

/// The other spelling of [`PUBLIC_BODY_TAG`] (the demo portfolio's, and a common one in
/// accounting exports).
pub const PUBLIC_SECTOR_TAG: &str = "public_sector";

impl Debtor {
    /// Whether the debtor carries the [`PUBLIC_BODY_TAG`] or [`PUBLIC_SECTOR_TAG`] tag (any
    /// case).
    pub fn is_public_body(&self) -> bool {
        self.tags.iter().any(|t| {
            let t = t.trim();
            t.eq_ignore_ascii_case(PUBLIC_BODY_TAG) || t.eq_ignore_ascii_case(PUBLIC_SECTOR_TAG)
        })
    }

    /// The first contact of a kind, if any.
    pub fn contact(&self, kind: ContactKind) -> Option<&str> {
        self.contacts
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| c.value.as_str())
    }
}

/// Text forms used in files, the database and the CLI: one spelling each way.
macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                let lower = s.trim().to_ascii_lowercase();
                match lower.as_str() {
                    $($text $(| $alias)* => Ok($ty::$variant),)+
                    _ => Err($crate::tr!(
                        "{s:?} is not one of: {}",
                        "{s:?} n'est pas parmi : {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(DebtorKind { Company => "company" | "societe" | "société" | "entreprise", Person => "person" | "personne" | "particulier" | "individual" });
text_enum!(Segment { B2b => "b2b", B2c => "b2c" });
text_enum!(ContactKind { Email => "email" | "e-mail", Phone => "phone" | "telephone" | "téléphone", Address => "address" | "adresse" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_in_french_and_english() {
        assert_eq!("Company".parse::<DebtorKind>(), Ok(DebtorKind::Company));
        assert_eq!("particulier".parse::<DebtorKind>(), Ok(DebtorKind::Person));
        assert_eq!("B2C".parse::<Segment>(), Ok(Segment::B2c));
        let err = "robot".parse::<DebtorKind>().unwrap_err();
        assert!(err.contains("company, person"), "{err}");
    }

    #[test]
    fn a_public_body_is_tagged_public_or_public_sector() {
        let with = |tags: &[&str]| Debtor {
            id: DebtorId(1),
            creditor_id: CreditorId(1),
            external_id: "C1".into(),
            name: "Lycée professionnel Victor Hugo".into(),
            kind: DebtorKind::Company,
            segment: Segment::B2b,
            country: "FR".into(),
            language: "fr".into(),
            contacts: Vec::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        };
        assert!(with(&["public"]).is_public_body());
        // The demo portfolio tags its public bodies so; the advisor offered them an order
        // for payment before.
        assert!(with(&["key_account", " Public_Sector "]).is_public_body());
        assert!(!with(&["key_account"]).is_public_body());
        assert!(!with(&["public_works"]).is_public_body());
    }
}
