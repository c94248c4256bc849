//! What a letter or an e-mail must carry before Recouvre issues it.
//!
//! A formal notice or any letter is a legal act: a registered letter that does not say who
//! writes (name, postal address, SIREN), where to pay (IBAN) and to whom it goes (postal
//! address) proves nothing and cannot be posted. These requirements are defined here, once,
//! and applied by every path that issues a message: the daily run when it queues a letter
//! for printing ([`crate::outbox::enqueue`]), the composer of every message and the day's
//! letter batch (`comms`), and the pages that offer a letter (the debtor page, the drafts).
//!
//! What each form requires (docs/templates.md, "What a message needs"):
//! - a registered letter or a formal notice: the sender's name and postal address, the
//!   creditor's SIREN when the creditor is French (the identity of the creditor is part
//!   of a formal notice, domain-rules §6), the IBAN to pay to, the recipient's postal
//!   address;
//! - a plain letter: the sender's name and postal address, the recipient's postal address;
//! - an e-mail: the sender's name and an e-mail address it comes from (the letter
//!   sender's, the collector's, or the SMTP sender's).
//!
//! The facts live in the settings: the letter sender (`recouvre letters sender`, keys in
//! [`settings`]), and the company's identity and bank details (`recouvre sepa creditor`,
//! the settings page: [`crate::sepa`]); the sender's name falls back to the creditor's,
//! its address to the company address of the settings page.

use crate::error::AppResult;
use crate::store::Tx;
use domain::dunning::Channel;
use domain::{ContactKind, CreditorId, Debtor};
use serde::Serialize;

/// Settings of the letters' sender, collector and agency (all optional; see
/// docs/templates.md).
pub mod settings {
    pub const SENDER_NAME: &str = "comms_sender_name";
    /// Lines separated by new lines or ", ".
    pub const SENDER_ADDRESS: &str = "comms_sender_address";
    pub const SENDER_CITY: &str = "comms_sender_city";
    pub const SENDER_EMAIL: &str = "comms_sender_email";
    pub const SENDER_PHONE: &str = "comms_sender_phone";
    pub const SENDER_COMPANY_ID: &str = "comms_sender_company_id";
    pub const COLLECTOR_NAME: &str = "comms_collector_name";
    pub const COLLECTOR_EMAIL: &str = "comms_collector_email";
    pub const COLLECTOR_PHONE: &str = "comms_collector_phone";
    pub const AGENCY_NAME: &str = "comms_agency_name";
    pub const AGENCY_ADDRESS: &str = "comms_agency_address";
    pub const AGENCY_EMAIL: &str = "comms_agency_email";
    pub const AGENCY_PHONE: &str = "comms_agency_phone";
    /// Days given to pay in a formal notice (8 when unset: customary, domain-rules §6).
    pub const NOTICE_DAYS: &str = "comms_notice_days";

    /// Every key, for `letters sender` and the documentation.
    pub const ALL: [&str; 14] = [
        SENDER_NAME,
        SENDER_ADDRESS,
        SENDER_CITY,
        SENDER_EMAIL,
        SENDER_PHONE,
        SENDER_COMPANY_ID,
        COLLECTOR_NAME,
        COLLECTOR_EMAIL,
        COLLECTOR_PHONE,
        AGENCY_NAME,
        AGENCY_ADDRESS,
        AGENCY_EMAIL,
        AGENCY_PHONE,
        NOTICE_DAYS,
    ];
}

/// Splits a stored address into lines: new lines, or ", " between parts.
pub fn address_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .flat_map(|l| l.split(", "))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Who writes, as the settings say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sender {
    pub name: String,
    pub address_lines: Vec<String>,
    pub city: String,
    pub email: String,
    pub phone: String,
    /// As typed ("SIREN 552 100 554", "RCS Paris 552 100 554").
    pub company_id: String,
    /// The collector who answers, when set: the reply address of an e-mail.
    pub collector_email: String,
    /// The SMTP sender (`settings smtp --from`), when e-mail is configured.
    pub smtp_from: String,
    /// The account to pay to (the SEPA creditor identity), as stored.
    pub iban: String,
    /// The creditor's country (ISO code): a French creditor states its SIREN.
    pub country: String,
}

async fn setting(tx: &mut dyn Tx, key: &str) -> AppResult<String> {
    Ok(tx.setting(key).await?.unwrap_or_default())
}

/// The key of a creditor's own value of setting `key` (agency mode: each client has its
/// identity, `recouvre client identity`): `key@CODE`.
pub fn creditor_key(key: &str, code: &str) -> String {
    format!("{key}@{code}")
}

/// The creditor's own value of `key` when it has one, else the shared one.
pub(crate) async fn setting_of(
    tx: &mut dyn Tx,
    key: &str,
    code: Option<&str>,
) -> AppResult<String> {
    if let Some(code) = code
        && let Some(v) = tx.setting(&creditor_key(key, code)).await?
        && !v.trim().is_empty()
    {
        return Ok(v);
    }
    setting(tx, key).await
}

/// The keys a client's identity may set for itself (`recouvre client identity`).
pub const CREDITOR_KEYS: [&str; 9] = [
    settings::SENDER_NAME,
    settings::SENDER_ADDRESS,
    settings::SENDER_CITY,
    settings::SENDER_EMAIL,
    settings::SENDER_PHONE,
    settings::SENDER_COMPANY_ID,
    crate::sepa::CREDITOR_NAME,
    crate::sepa::CREDITOR_IBAN,
    crate::sepa::CREDITOR_BIC,
];

/// The sender of the messages of creditor `creditor`'s debtors: the creditor's own
/// identity where it has one (a client of an agency), else the shared settings.
pub async fn sender(tx: &mut dyn Tx, creditor: CreditorId) -> AppResult<Sender> {
    let creditor = tx.creditors().await?.into_iter().find(|c| c.id == creditor);
    let code = creditor.as_ref().map(|c| c.code.clone());
    let code = code.as_deref();
    let mut name = setting_of(tx, settings::SENDER_NAME, code).await?;
    if name.is_empty() {
        name = creditor
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default();
    }
    let mut address = setting_of(tx, settings::SENDER_ADDRESS, code).await?;
    if address.trim().is_empty() {
        // The company address typed on the settings page.
        address = setting(tx, crate::sepa::COMPANY_ADDRESS).await?;
    }
    Ok(Sender {
        name,
        address_lines: address_lines(&address),
        city: setting_of(tx, settings::SENDER_CITY, code).await?,
        email: setting_of(tx, settings::SENDER_EMAIL, code).await?,
        phone: setting_of(tx, settings::SENDER_PHONE, code).await?,
        company_id: setting_of(tx, settings::SENDER_COMPANY_ID, code).await?,
        collector_email: setting(tx, settings::COLLECTOR_EMAIL).await?,
        smtp_from: crate::channels::smtp(tx)
            .await?
            .map(|s| s.from)
            .unwrap_or_default(),
        iban: setting_of(tx, crate::sepa::CREDITOR_IBAN, code).await?,
        country: creditor.map_or_else(|| "FR".to_string(), |c| c.country),
    })
}

/// The form of a message, as far as its requirements go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// A registered letter or a formal notice.
    RegisteredLetter,
    /// A plain letter.
    Letter,
    Email,
}

impl Form {
    /// The form a channel issues; `None` for what is not checked here (SMS, tasks).
    pub fn of(channel: Channel) -> Option<Self> {
        match channel {
            Channel::RegisteredLetter | Channel::FormalNotice => Some(Self::RegisteredLetter),
            Channel::Letter => Some(Self::Letter),
            Channel::Email => Some(Self::Email),
            Channel::Sms
            | Channel::PhoneTask
            | Channel::AgencyHandoff
            | Channel::LegalReviewTask => None,
        }
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::RegisteredLetter => (
                "registered letter or formal notice",
                "la lettre recommandée ou la mise en demeure",
            ),
            Self::Letter => ("letter", "le courrier"),
            Self::Email => ("e-mail", "le courriel"),
        }
    }
}

/// Something a message lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "missing", rename_all = "snake_case")]
pub enum Missing {
    SenderName,
    SenderAddress,
    /// The SIREN of a French creditor.
    Siren,
    Iban,
    RecipientAddress,
    SenderEmail,
    /// No claim the message may demand (overdue and undisputed).
    Claims,
    /// A figure the law engine could not compute, or rests on a rate to confirm.
    Figure {
        en: String,
        fr: String,
    },
}

impl Missing {
    /// What is missing and where to set it, in English and in French.
    pub fn describe(&self) -> (String, String) {
        let (en, fr) = match self {
            Self::SenderName => (
                "the sender's name (recouvre letters sender --name)",
                "le nom de l'expéditeur (recouvre letters sender --name)",
            ),
            Self::SenderAddress => (
                "the sender's postal address (recouvre letters sender --address, or the company address on the settings page)",
                "l'adresse postale de l'expéditeur (recouvre letters sender --address, ou l'adresse de la société dans les réglages)",
            ),
            Self::Siren => (
                "the creditor's SIREN (recouvre letters sender --company-id \"SIREN …\")",
                "le SIREN du créancier (recouvre letters sender --company-id \"SIREN …\")",
            ),
            Self::Iban => (
                "the IBAN to pay to (recouvre sepa creditor --iban, or the settings page)",
                "l'IBAN où payer (recouvre sepa creditor --iban, ou les réglages)",
            ),
            Self::RecipientAddress => (
                "the debtor's postal address",
                "l'adresse postale du débiteur",
            ),
            Self::SenderEmail => (
                "the sender's e-mail address (recouvre letters sender --email or --collector-email, or settings smtp --from)",
                "l'adresse e-mail de l'expéditeur (recouvre letters sender --email ou --collector-email, ou settings smtp --from)",
            ),
            Self::Claims => (
                "an overdue, undisputed claim to demand",
                "une créance échue et non contestée à réclamer",
            ),
            Self::Figure { en, fr } => return (en.clone(), fr.clone()),
        };
        (en.to_string(), fr.to_string())
    }
}

/// Why a message is not issued: its form and everything it lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.message())]
pub struct Refusal {
    pub form: Form,
    pub missing: Vec<Missing>,
}

impl Refusal {
    /// One sentence naming every missing item, in the language the process speaks
    /// (`domain::lang`; both, English then French, where none is set).
    pub fn message(&self) -> String {
        domain::lang::tr(&self.text(false), &self.text(true))
    }

    /// The sentence in one language (a page shows one at a time).
    pub fn text(&self, french: bool) -> String {
        let (form_en, form_fr) = self.form.names();
        let (en, fr): (Vec<String>, Vec<String>) =
            self.missing.iter().map(Missing::describe).unzip();
        if french {
            format!(
                "impossible d'émettre {form_fr}, il manque : {}",
                fr.join(" ; ")
            )
        } else {
            format!(
                "the {form_en} cannot be issued, it lacks: {}",
                en.join("; ")
            )
        }
    }
}

/// Whether a company identifier holds a SIREN: nine digits (a SIRET's fourteen start with
/// it), spaces and the words around them ignored.
fn holds_siren(company_id: &str) -> bool {
    company_id.chars().filter(char::is_ascii_digit).count() >= 9
}

/// What a message of `form` from `sender` to `debtor` lacks (empty: it may be issued).
pub fn missing(form: Form, sender: &Sender, debtor: &Debtor) -> Vec<Missing> {
    let mut out = Vec::new();
    if sender.name.trim().is_empty() {
        out.push(Missing::SenderName);
    }
    match form {
        Form::Email => {
            if [&sender.email, &sender.collector_email, &sender.smtp_from]
                .iter()
                .all(|e| e.trim().is_empty())
            {
                out.push(Missing::SenderEmail);
            }
        }
        Form::Letter | Form::RegisteredLetter => {
            if sender.address_lines.is_empty() {
                out.push(Missing::SenderAddress);
            }
            if form == Form::RegisteredLetter {
                if sender.country.eq_ignore_ascii_case("FR") && !holds_siren(&sender.company_id) {
                    out.push(Missing::Siren);
                }
                if sender.iban.trim().is_empty() {
                    out.push(Missing::Iban);
                }
            }
            let address = debtor.contact(ContactKind::Address).unwrap_or_default();
            if address_lines(address).is_empty() {
                out.push(Missing::RecipientAddress);
            }
        }
    }
    out
}

/// `Ok` when a message of `form` may be issued, else the refusal naming what it lacks.
pub fn check(form: Form, sender: &Sender, debtor: &Debtor) -> Result<(), Refusal> {
    let missing = missing(form, sender, debtor);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Refusal { form, missing })
    }
}

/// The refusal of the postal letter an action's channels would issue, if any (the
/// registered form when it sends both): what the run, the drafts and the letter batch say.
pub fn letter_refusal(
    channels: domain::dunning::Channels,
    sender: &Sender,
    debtor: &Debtor,
) -> Option<Refusal> {
    let form = channels
        .iter()
        .filter_map(Form::of)
        .filter(|f| *f != Form::Email)
        .min_by_key(|f| match f {
            Form::RegisteredLetter => 0,
            _ => 1,
        })?;
    check(form, sender, debtor).err()
}

/// The senders of a run, read once per creditor.
#[derive(Debug, Default)]
pub struct Senders(std::collections::HashMap<CreditorId, Sender>);

impl Senders {
    /// The refusal of the letter of an action with `channels` to `debtor`, if any.
    pub async fn letter_refusal(
        &mut self,
        tx: &mut dyn Tx,
        channels: domain::dunning::Channels,
        debtor: &Debtor,
    ) -> AppResult<Option<Refusal>> {
        if !channels
            .iter()
            .any(|c| Form::of(c).is_some_and(|f| f != Form::Email))
        {
            return Ok(None);
        }
        let facts = match self.0.entry(debtor.creditor_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(sender(tx, debtor.creditor_id).await?)
            }
        };
        Ok(letter_refusal(channels, facts, debtor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Contact, DebtorId};

    fn debtor(address: Option<&str>) -> Debtor {
        Debtor {
            id: DebtorId(1),
            creditor_id: CreditorId(1),
            external_id: "C1".into(),
            name: "Dupré SARL".into(),
            kind: domain::DebtorKind::Company,
            segment: domain::Segment::B2b,
            country: "FR".into(),
            language: "fr".into(),
            contacts: address
                .map(|a| Contact {
                    kind: ContactKind::Address,
                    value: a.into(),
                    label: None,
                })
                .into_iter()
                .collect(),
            tags: vec![],
        }
    }

    fn complete() -> Sender {
        Sender {
            name: "Acme SAS".into(),
            address_lines: vec!["8 quai des Forges".into(), "75011 Paris".into()],
            email: "recouvrement@acme.example".into(),
            company_id: "SIREN 552 100 554".into(),
            iban: "FR7630006000011234567890189".into(),
            country: "FR".into(),
            ..Sender::default()
        }
    }

    #[test]
    fn a_registered_letter_needs_every_fact_and_names_each_missing_one() {
        let d = debtor(Some("12 rue des Lilas, 69003 Lyon"));
        assert_eq!(missing(Form::RegisteredLetter, &complete(), &d), vec![]);
        // Nothing set but the creditor's name: four items missing, each named.
        let bare = Sender {
            name: "Acme SAS".into(),
            country: "FR".into(),
            ..Sender::default()
        };
        let r = check(Form::RegisteredLetter, &bare, &debtor(None)).unwrap_err();
        assert_eq!(
            r.missing,
            vec![
                Missing::SenderAddress,
                Missing::Siren,
                Missing::Iban,
                Missing::RecipientAddress
            ]
        );
        let m = r.message();
        assert!(
            m.contains("postal address") && m.contains("adresse postale"),
            "{m}"
        );
        assert!(m.contains("SIREN") && m.contains("IBAN"), "{m}");
        // A plain letter needs the addresses only; an e-mail a reply address.
        assert_eq!(
            missing(Form::Letter, &bare, &d),
            vec![Missing::SenderAddress]
        );
        assert_eq!(missing(Form::Email, &bare, &d), vec![Missing::SenderEmail]);
        // "RCS 552" is not a SIREN (3 digits); a British creditor states none.
        let short = Sender {
            company_id: "RCS 552".into(),
            ..complete()
        };
        assert_eq!(
            missing(Form::RegisteredLetter, &short, &d),
            vec![Missing::Siren]
        );
        let uk = Sender {
            company_id: String::new(),
            country: "GB".into(),
            ..complete()
        };
        assert_eq!(missing(Form::RegisteredLetter, &uk, &d), vec![]);
    }
}
