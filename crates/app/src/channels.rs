//! The settings of the delivery channels, stored in the database (`settings` keys
//! [`SMTP_SETTINGS`] and [`SMS_SETTINGS`], JSON) so that every instance delivers alike.
//!
//! No secret is stored: the SMTP password is read at send time from the environment
//! variable the settings name (`password_env`), and an SMS header value may be written
//! `${VAR}` to be read from the environment the same way. Only variables named for that
//! purpose may be read: their name starts with [`SECRET_ENV_PREFIX`] (`RECOUVRE_SECRET_`),
//! so that a person who may change the settings cannot have the worker send any other
//! variable of its environment (a database URL, a cloud key) to a server of their choice.
//! Other names are refused when the settings are saved and again at send time
//! ([`read_secret`]). Settings shown to people (CLI, API, UI) never include a secret
//! ([`SmtpSettings::redacted`], [`SmsSettings::redacted`]).

use crate::audit::{self, Actor};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{Store, Tx};
use serde::{Deserialize, Serialize};

/// Setting key of the SMTP settings (JSON [`SmtpSettings`]).
pub const SMTP_SETTINGS: &str = "smtp";
/// Setting key of the SMS provider settings (JSON [`SmsSettings`]).
pub const SMS_SETTINGS: &str = "sms";

/// The start of the name of every environment variable the delivery settings may read.
pub const SECRET_ENV_PREFIX: &str = "RECOUVRE_SECRET_";

/// Refuses an environment variable the delivery settings may not read: its name must be
/// [`SECRET_ENV_PREFIX`] followed by capital letters, digits or `_`. `what` names the
/// setting in the message (`smtp: --password-env`).
pub fn check_secret_env(what: &str, var: &str) -> Result<(), String> {
    let rest = var.strip_prefix(SECRET_ENV_PREFIX).unwrap_or("");
    if rest.is_empty()
        || !rest
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(format!(
            "{what}: the environment variable {var:?} may not be read: only a variable whose name starts with {SECRET_ENV_PREFIX} (capital letters, digits, _), e.g. {SECRET_ENV_PREFIX}SMTP_PASSWORD / \
             la variable d'environnement {var:?} ne peut pas être lue : seule une variable dont le nom commence par {SECRET_ENV_PREFIX} (majuscules, chiffres, _) le peut, par exemple {SECRET_ENV_PREFIX}SMTP_PASSWORD"
        ));
    }
    Ok(())
}

/// The variable an SMS header value names when it is exactly `${VAR}`; any other value is
/// sent as written.
pub fn header_env(value: &str) -> Option<&str> {
    value.strip_prefix("${").and_then(|v| v.strip_suffix('}'))
}

/// Reads a secret from the environment at send time, refusing a variable not named for
/// that purpose ([`check_secret_env`]) even if such a setting was stored by other means.
pub fn read_secret(what: &str, var: &str) -> Result<String, String> {
    check_secret_env(what, var)?;
    std::env::var(var).map_err(|_| {
        domain::tr!(
            "{what}: the variable {var} is not set in this process's environment",
            "{what} : la variable {var} est absente de l'environnement de ce processus"
        )
    })
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587); refused if the server cannot.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: for a relay on the same machine or network only.
    Plain,
}

impl Security {
    /// The name the settings, the CLI, the API and the page use.
    pub const fn as_str(self) -> &'static str {
        match self {
            Security::Starttls => "starttls",
            Security::Tls => "tls",
            Security::Plain => "plain",
        }
    }
}

impl std::str::FromStr for Security {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "starttls" => Ok(Security::Starttls),
            "tls" | "ssl" => Ok(Security::Tls),
            "plain" | "none" => Ok(Security::Plain),
            _ => Err(domain::tr!(
                "{s:?} is not one of: starttls, tls, plain",
                "{s:?} n'est pas parmi : starttls, tls, plain"
            )),
        }
    }
}

/// Where and how e-mails are sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The login, when the server wants authentication.
    #[serde(default)]
    pub user: Option<String>,
    /// The environment variable holding the password (never the password itself); its
    /// name starts with [`SECRET_ENV_PREFIX`].
    #[serde(default)]
    pub password_env: Option<String>,
    /// The sender: `Recouvre <relances@example.fr>` or a bare address.
    pub from: String,
    /// `Reply-To` when the case has no collector with an e-mail address.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// A PEM file of certificate authorities to trust besides the public ones: a company
    /// relay whose certificate an internal authority signed.
    #[serde(default)]
    pub ca_file: Option<String>,
}

impl SmtpSettings {
    /// Checks what can be checked before the first send.
    pub fn validate(&self) -> AppResult<()> {
        if self.host.trim().is_empty() {
            return Err(AppError::Invalid(domain::tr!(
                "smtp: --host is empty",
                "smtp : --host est vide"
            )));
        }
        if self.port == 0 {
            return Err(AppError::Invalid(domain::tr!(
                "smtp: --port must be 1 to 65535",
                "smtp : --port doit être entre 1 et 65535"
            )));
        }
        let address = |what: &str, v: &str| {
            let addr = v
                .rsplit_once('<')
                .map_or(v, |(_, a)| a.trim_end_matches('>'))
                .trim();
            match addr.split_once('@') {
                Some((local, domain))
                    if !local.is_empty() && domain.contains('.') || domain == "localhost" =>
                {
                    Ok(())
                }
                _ => Err(AppError::Invalid(domain::tr!(
                    "smtp: {what} {v:?} is not an e-mail address",
                    "smtp : {what} {v:?} n'est pas une adresse e-mail"
                ))),
            }
        };
        address("--from", &self.from)?;
        if let Some(r) = &self.reply_to {
            address("--reply-to", r)?;
        }
        if self.user.is_some() != self.password_env.is_some() {
            return Err(AppError::Invalid(domain::tr!(
                "smtp: --user and --password-env go together",
                "smtp : --user et --password-env vont ensemble"
            )));
        }
        if let Some(var) = &self.password_env {
            check_secret_env("smtp: --password-env", var).map_err(AppError::Invalid)?;
        }
        Ok(())
    }

    /// The domain of Message-IDs: `recouvre.<sender's domain>`.
    pub fn message_id_domain(&self) -> String {
        let addr = self
            .from
            .rsplit_once('<')
            .map_or(self.from.as_str(), |(_, a)| a.trim_end_matches('>'))
            .trim();
        let domain = addr.rsplit_once('@').map_or("localhost", |(_, d)| d);
        format!("recouvre.{domain}")
    }

    /// The settings as shown to people: the same (no secret is stored).
    pub fn redacted(&self) -> Self {
        self.clone()
    }
}

/// One HTTP header sent to the SMS provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    /// `${VAR}` (the whole value) is replaced by the environment variable `VAR` at send
    /// time; `VAR` must start with [`SECRET_ENV_PREFIX`].
    pub value: String,
}

/// An HTTP SMS provider: one request per message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsSettings {
    pub url: String,
    /// `POST` (default), `PUT` or `GET`.
    pub method: String,
    #[serde(default)]
    pub headers: Vec<Header>,
    /// The request body, with `{{to}}`, `{{text}}`, `{{message_id}}` and `{{sender}}`
    /// replaced (escaped for JSON when the `Content-Type` header says JSON, for a form
    /// when it says `application/x-www-form-urlencoded`).
    pub body: String,
    /// The status that means "accepted" (e.g. 200 or 201).
    pub success_status: u16,
    /// The sender name or number, for `{{sender}}`.
    #[serde(default)]
    pub sender: Option<String>,
    /// At most this many parts (153 GSM-7 or 67 UCS-2 characters each); longer is refused.
    #[serde(default = "default_max_parts")]
    pub max_parts: u8,
}

fn default_max_parts() -> u8 {
    3
}

impl SmsSettings {
    pub fn validate(&self) -> AppResult<()> {
        if !(self.url.starts_with("https://") || self.url.starts_with("http://")) {
            let url = &self.url;
            return Err(AppError::Invalid(domain::tr!(
                "sms: --url {url:?} must start with https:// (or http:// for a local gateway)",
                "sms : --url {url:?} doit commencer par https:// (ou http:// pour une passerelle locale)"
            )));
        }
        if !matches!(self.method.as_str(), "POST" | "PUT" | "GET") {
            let method = &self.method;
            return Err(AppError::Invalid(domain::tr!(
                "sms: --method {method:?} is not one of POST, PUT, GET",
                "sms : --method {method:?} n'est pas POST, PUT ni GET"
            )));
        }
        if !(100..=599).contains(&self.success_status) {
            return Err(AppError::Invalid(
                "sms: --success-status must be an HTTP status (100 to 599)".into(),
            ));
        }
        if !self.body.contains("{{text}}") || !self.body.contains("{{to}}") {
            return Err(AppError::Invalid(domain::tr!(
                "sms: --body must contain {{to}} and {{text}}",
                "sms : --body doit contenir {{to}} et {{text}}"
            )));
        }
        if self.max_parts == 0 {
            return Err(AppError::Invalid(
                "sms: max parts must be at least 1".into(),
            ));
        }
        for h in &self.headers {
            if let Some(var) = header_env(&h.value) {
                check_secret_env(&format!("sms: --header {}", h.name), var)
                    .map_err(AppError::Invalid)?;
            }
        }
        Ok(())
    }

    /// The settings as shown to people: header values hidden unless they only name an
    /// environment variable (`${VAR}`).
    pub fn redacted(&self) -> Self {
        let mut out = self.clone();
        for h in &mut out.headers {
            if header_env(&h.value).is_none() {
                h.value = "***".into();
            }
        }
        out
    }
}

/// The stored SMTP settings, if any.
pub async fn smtp(tx: &mut dyn Tx) -> AppResult<Option<SmtpSettings>> {
    read(tx, SMTP_SETTINGS).await
}

/// The stored SMS settings, if any.
pub async fn sms(tx: &mut dyn Tx) -> AppResult<Option<SmsSettings>> {
    read(tx, SMS_SETTINGS).await
}

async fn read<T: for<'de> Deserialize<'de>>(tx: &mut dyn Tx, key: &str) -> AppResult<Option<T>> {
    tx.setting(key)
        .await?
        .map(|text| {
            serde_json::from_str(&text)
                .map_err(|e| AppError::Invalid(format!("setting {key}: {e}")))
        })
        .transpose()
}

/// Saves the SMTP settings (validated, audited); the Message-ID domain follows the
/// sender's.
pub async fn set_smtp(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    settings: &SmtpSettings,
) -> AppResult<()> {
    settings.validate()?;
    let mut tx = store.begin().await?;
    let before = smtp(tx.as_mut()).await?;
    write(tx.as_mut(), SMTP_SETTINGS, settings).await?;
    tx.set_setting(
        crate::outbox::MESSAGE_ID_DOMAIN,
        &settings.message_id_domain(),
    )
    .await?;
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "settings.smtp",
        "settings:smtp",
        before.map(|b| b.redacted()).as_ref(),
        Some(&settings.redacted()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Saves the SMS provider settings (validated, audited, header values redacted in the
/// audit log).
pub async fn set_sms(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    settings: &SmsSettings,
) -> AppResult<()> {
    settings.validate()?;
    let mut tx = store.begin().await?;
    let before = sms(tx.as_mut()).await?;
    write(tx.as_mut(), SMS_SETTINGS, settings).await?;
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "settings.sms",
        "settings:sms",
        before.map(|b| b.redacted()).as_ref(),
        Some(&settings.redacted()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn write<T: Serialize>(tx: &mut dyn Tx, key: &str, value: &T) -> AppResult<()> {
    let text = serde_json::to_string(value).map_err(|e| AppError::Invalid(e.to_string()))?;
    tx.set_setting(key, &text).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(password_env: &str) -> SmtpSettings {
        SmtpSettings {
            host: "smtp.acme.example".into(),
            port: 587,
            security: Security::Starttls,
            user: Some("relances".into()),
            password_env: Some(password_env.into()),
            from: "relances@acme.example".into(),
            reply_to: None,
            ca_file: None,
        }
    }

    fn sms(value: &str) -> SmsSettings {
        SmsSettings {
            url: "https://sms.example/send".into(),
            method: "POST".into(),
            headers: vec![Header {
                name: "Authorization".into(),
                value: value.into(),
            }],
            body: "{{to}} {{text}}".into(),
            success_status: 200,
            sender: None,
            max_parts: 1,
        }
    }

    /// Only variables named for secrets may be named by the settings: the prefix and at
    /// least one capital letter, digit or `_` after it.
    #[test]
    fn only_secret_variables_may_be_named() {
        assert!(smtp("RECOUVRE_SECRET_SMTP_PASSWORD").validate().is_ok());
        for var in [
            "DATABASE_URL",
            "RECOUVRE_DATABASE",
            "RECOUVRE_SECRET_",
            "recouvre_secret_x",
            "RECOUVRE_SECRET_x",
            "RECOUVRE_SECRET_A-B",
            "XRECOUVRE_SECRET_A",
        ] {
            let e = smtp(var).validate().unwrap_err().to_string();
            assert!(e.contains("smtp: --password-env"), "{var}: {e}");
            assert!(e.contains("may not be read"), "{var}: {e}");
            assert!(e.contains("ne peut pas être lue"), "{var}: {e}");
        }
        assert!(sms("${RECOUVRE_SECRET_SMS_TOKEN}").validate().is_ok());
        assert!(sms("Bearer abc").validate().is_ok());
        let e = sms("${AWS_SECRET_ACCESS_KEY}")
            .validate()
            .unwrap_err()
            .to_string();
        assert!(e.contains("sms: --header Authorization"), "{e}");
        assert!(e.contains("\"AWS_SECRET_ACCESS_KEY\""), "{e}");
        // Read at send time: refused whatever the environment holds.
        assert!(
            read_secret("SMTP password", "PATH")
                .unwrap_err()
                .contains("may not be read")
        );
    }
}
