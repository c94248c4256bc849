//! E-mail over SMTP with lettre's connection API, step by step: the worker records the
//! attempt between `RCPT TO` and `DATA` ([`app::outbox::Transport::prepare`] ends after
//! the recipients are accepted; [`app::outbox::Prepared::send`] sends `DATA` and the
//! message).

use app::channels::{Security, SmtpSettings};
use app::outbox::{Outgoing, Prepared, SendError, Transport};
use async_trait::async_trait;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use std::time::Duration;

/// How long any one SMTP exchange may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The SMTP transport of one set of settings.
#[derive(Debug, Clone)]
pub struct SmtpTransport {
    settings: SmtpSettings,
}

impl SmtpTransport {
    pub fn new(settings: SmtpSettings) -> Self {
        Self { settings }
    }

    /// The message as it goes on the wire.
    pub fn build(&self, m: &Outgoing) -> Result<Message, SendError> {
        let from: Mailbox =
            self.settings.from.parse().map_err(|e| {
                SendError::permanent(format!("sender {:?}: {e}", self.settings.from))
            })?;
        let to: Mailbox = m
            .recipient
            .parse()
            .map_err(|e| SendError::permanent(format!("recipient {:?}: {e}", m.recipient)))?;
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(m.content.subject.clone())
            .message_id(Some(m.message_id.clone()));
        if let Some(reply) = m.reply_to.as_ref().or(self.settings.reply_to.as_ref()) {
            let reply: Mailbox = reply
                .parse()
                .map_err(|e| SendError::permanent(format!("reply-to {reply:?}: {e}")))?;
            builder = builder.reply_to(reply);
        }
        let text = SinglePart::plain(m.content.text.clone());
        let html = m.content.html.clone().map(SinglePart::html);
        let message = match (html, m.content.attachments.is_empty()) {
            (None, true) => builder.singlepart(text),
            (Some(html), true) => {
                builder.multipart(MultiPart::alternative().singlepart(text).singlepart(html))
            }
            (html, false) => {
                let mut mixed = match html {
                    None => MultiPart::mixed().singlepart(text),
                    Some(html) => MultiPart::mixed()
                        .multipart(MultiPart::alternative().singlepart(text).singlepart(html)),
                };
                for a in &m.content.attachments {
                    let kind = ContentType::parse(&a.content_type).map_err(|e| {
                        SendError::permanent(format!(
                            "attachment {}: content type: {e}",
                            a.filename
                        ))
                    })?;
                    mixed = mixed.singlepart(
                        Attachment::new(a.filename.clone()).body(a.bytes.clone(), kind),
                    );
                }
                builder.multipart(mixed)
            }
        };
        message.map_err(|e| SendError::permanent(format!("cannot build the e-mail: {e}")))
    }

    /// The certificate authorities of `ca_file`, trusted besides the public ones. A file
    /// that cannot be read is a setting to fix, not a reason to give the message up.
    fn extra_roots(&self) -> Result<Option<Certificate>, SendError> {
        let Some(path) = &self.settings.ca_file else {
            return Ok(None);
        };
        let pem = std::fs::read(path).map_err(|e| {
            SendError::transient(format!(
                "SMTP certificate authority file {path}: {e} / fichier d'autorité illisible"
            ))
        })?;
        Certificate::from_pem(&pem).map(Some).map_err(|e| {
            SendError::transient(format!(
                "SMTP certificate authority file {path}: {e} / fichier d'autorité invalide"
            ))
        })
    }

    fn password(&self) -> Result<Option<Credentials>, SendError> {
        match (&self.settings.user, &self.settings.password_env) {
            (Some(user), Some(var)) => {
                let password = app::channels::read_secret("SMTP password", var)
                    .map_err(SendError::transient)?;
                Ok(Some(Credentials::new(user.clone(), password)))
            }
            _ => Ok(None),
        }
    }
}

/// A negative SMTP reply or a connection problem, before any data left.
fn before_data(what: &str, e: &lettre::transport::smtp::Error) -> SendError {
    let message = format!("SMTP {what}: {e}");
    if e.is_permanent() {
        SendError::permanent(message)
    } else {
        SendError::transient(message)
    }
}

#[async_trait]
impl Transport for SmtpTransport {
    async fn prepare(&self, m: &Outgoing) -> Result<Box<dyn Prepared>, SendError> {
        let message = self.build(m)?;
        let bytes = message.formatted();
        let envelope = message.envelope().clone();
        let host = self.settings.host.clone();
        let hello = ClientId::Domain(self.settings.message_id_domain());
        let extra_roots = self.extra_roots()?;
        let tls = |host: &str| {
            let mut builder = TlsParameters::builder(host.to_string());
            if let Some(roots) = &extra_roots {
                builder = builder.add_root_certificate(roots.clone());
            }
            builder
                .build_rustls()
                .map_err(|e| SendError::permanent(format!("TLS for {host}: {e}")))
        };
        let wrapper = match self.settings.security {
            Security::Tls => Some(tls(&host)?),
            Security::Starttls | Security::Plain => None,
        };
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            (host.as_str(), self.settings.port),
            Some(TIMEOUT),
            &hello,
            wrapper,
            None,
        )
        .await
        .map_err(|e| before_data(&format!("connection to {host}:{}", self.settings.port), &e))?;
        if self.settings.security == Security::Starttls {
            conn.starttls(tls(&host)?, &hello)
                .await
                .map_err(|e| before_data("STARTTLS", &e))?;
        }
        if let Some(credentials) = self.password()? {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                .await
                .map_err(|e| before_data("authentication", &e))?;
        }
        let mut params = Vec::new();
        if !bytes.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        conn.command(Mail::new(envelope.from().cloned(), params))
            .await
            .map_err(|e| before_data("MAIL FROM", &e))?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![]))
                .await
                .map_err(|e| before_data(&format!("RCPT TO {to}"), &e))?;
        }
        Ok(Box::new(PreparedSmtp { conn, bytes }))
    }
}

struct PreparedSmtp {
    conn: AsyncSmtpConnection,
    bytes: Vec<u8>,
}

#[async_trait]
impl Prepared for PreparedSmtp {
    async fn send(mut self: Box<Self>) -> Result<String, SendError> {
        // A negative reply to DATA: nothing was accepted.
        self.conn
            .command(Data)
            .await
            .map_err(|e| before_data("DATA", &e))?;
        match self.conn.message(&self.bytes).await {
            Ok(reply) => {
                let _ = self.conn.quit().await;
                Ok(reply.message().collect::<Vec<_>>().join(" "))
            }
            // The server answered no to the message: it was not accepted.
            Err(e) if e.is_permanent() => {
                Err(SendError::permanent(format!("SMTP message refused: {e}")))
            }
            Err(e) if e.is_transient() => {
                Err(SendError::transient(format!("SMTP message deferred: {e}")))
            }
            // No answer (connection lost, timeout): the server may have accepted it.
            Err(e) => Err(SendError::uncertain(format!("SMTP message data: {e}"))),
        }
    }
}
