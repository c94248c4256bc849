//! The outbox: every message an action sends, queued in the transaction that creates the
//! action, then delivered by a worker exactly once as far as we control it.
//!
//! ## Queueing
//! [`enqueue`] writes one [`OutboxEntry`] per channel of an action that sends something:
//! an e-mail or an SMS for the worker, a letter (plain, registered, formal notice) in the
//! print queue (`print`). Phone tasks and internal tasks send nothing. The daily run calls
//! it for the planned actions it inserts, the approval of a draft for the draft; a skipped
//! action's queued entries are cancelled ([`cancel_for_action`]) and the worker re-checks
//! the action before sending. The entry's Message-ID, `<action-42.email@recouvre.DOMAIN>`,
//! is fixed at queueing: it is the SMTP `Message-ID` header and the SMS provider's
//! idempotency key, so every attempt of one message carries the same identity.
//!
//! ## Delivering
//! [`Worker::deliver_due`] claims a batch of due entries with a lease (PostgreSQL:
//! `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint batches; SQLite: one
//! writer). For each entry it composes the message ([`Composer`]), asks the transport to
//! prepare it (SMTP: connect, authenticate, `MAIL FROM`, `RCPT TO`), then **commits**
//! `sending` and a `started` line in the delivery log, and only then lets the message data
//! leave (SMTP `DATA`; the SMS request). The outcome is committed afterwards: `sent`, or a
//! retry with exponential backoff, or `failed` with the reason.
//!
//! ## The guarantee, and its one residual window
//! - A crash before the `started` commit leaves the entry `queued` under an expiring
//!   lease: nothing has left, and a later worker sends it once.
//! - A crash after the `sent` commit: done, never sent again.
//! - A crash between the two (the message data was leaving): the entry is `sending` with
//!   a `started` attempt and no outcome. A worker taking over the expired lease finds it,
//!   marks the attempt `interrupted` and the entry `failed` with a reason that says the
//!   message may have been delivered; it is **not** resent automatically (a person checks
//!   the mail server's log for the Message-ID and runs `recouvre outbox retry ID` if it
//!   never arrived). So no message is ever sent twice by us; the residual window is the
//!   few milliseconds of the data transfer, where a crash leaves a message that needs a
//!   person's look instead of being lost silently or sent twice. A network failure
//!   *during* the data transfer is treated the same way ([`SendError::uncertain`]).
//!
//! Quiet hours: SMS (and calls) are never sent at night, on Sundays or on public
//! holidays, Europe/Paris time ([`QuietHours`]); such entries wait, they do not fail.

use crate::audit::{self, Actor};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{
    ActionStatus, DeliveryAttempt, DeliveryResult, OutboxEntry, OutboxFilter, OutboxStatus, Store,
    StoredAction, Tx,
};
use async_trait::async_trait;
use domain::dunning::Channel;
use domain::{ContactKind, Debtor, Money};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Setting: the domain of Message-IDs (`recouvre.<domain>`), taken from the SMTP sender's
/// address when the SMTP settings are saved; `recouvre.localhost` until then.
pub const MESSAGE_ID_DOMAIN: &str = "message_id_domain";

/// The Message-ID of an action's message on one channel: `<action-42.email@DOMAIN>`.
pub fn message_id(action_id: i64, channel: Channel, domain: &str) -> String {
    format!("<action-{action_id}.{}@{domain}>", channel.as_str())
}

/// The Message-ID domain configured ([`MESSAGE_ID_DOMAIN`]).
pub async fn message_id_domain(tx: &mut dyn Tx) -> AppResult<String> {
    Ok(tx
        .setting(MESSAGE_ID_DOMAIN)
        .await?
        .unwrap_or_else(|| "recouvre.localhost".to_string()))
}

/// What happens to a channel in the outbox.
fn outbox_role(channel: Channel) -> Option<OutboxStatus> {
    match channel {
        Channel::Email | Channel::Sms => Some(OutboxStatus::Queued),
        Channel::Letter | Channel::RegisteredLetter | Channel::FormalNotice => {
            Some(OutboxStatus::Print)
        }
        Channel::PhoneTask | Channel::AgencyHandoff | Channel::LegalReviewTask => None,
    }
}

/// What [`enqueue`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Enqueued {
    /// Entries written (an entry that existed already is left as it was).
    pub written: usize,
    /// The letters refused because they lack what a letter must carry
    /// ([`crate::issuing`]): written `failed` with the reason, never printed.
    pub refused: Vec<(Channel, crate::issuing::Refusal)>,
}

/// Queues the messages of action `action_id` (one per sending channel) in the caller's
/// transaction. An e-mail or SMS to a debtor without that contact is written `failed`
/// with the reason, so that a person sees it; so is a letter that lacks what the law and
/// the post require (sender, SIREN, IBAN, the debtor's address: [`crate::issuing`]).
pub async fn enqueue(
    tx: &mut dyn Tx,
    action_id: i64,
    action: &StoredAction,
    debtor: &Debtor,
    domain: &str,
    at: &str,
) -> AppResult<Enqueued> {
    let mut out = Enqueued::default();
    // Read only when the action sends a letter.
    let mut sender = None;
    for channel in action.channels.iter() {
        let Some(status) = outbox_role(channel) else {
            continue;
        };
        let contact = match channel {
            Channel::Email => Some(ContactKind::Email),
            Channel::Sms => Some(ContactKind::Phone),
            _ => None,
        };
        let recipient = contact.and_then(|k| debtor.contact(k)).unwrap_or_default();
        let (status, last_error) = match (contact, recipient.is_empty()) {
            (Some(ContactKind::Email), true) => (
                OutboxStatus::Failed,
                Some(
                    "the debtor has no e-mail address / le débiteur n'a pas d'adresse e-mail"
                        .to_string(),
                ),
            ),
            (Some(_), true) => (
                OutboxStatus::Failed,
                Some(
                    "the debtor has no phone number / le débiteur n'a pas de numéro de téléphone"
                        .to_string(),
                ),
            ),
            (None, _) if status == OutboxStatus::Print => {
                let facts = match &sender {
                    Some(s) => s,
                    None => sender.insert(crate::issuing::sender(tx, debtor.creditor_id).await?),
                };
                let form =
                    crate::issuing::Form::of(channel).unwrap_or(crate::issuing::Form::Letter);
                match crate::issuing::check(form, facts, debtor) {
                    Ok(()) => (status, None),
                    Err(refusal) => {
                        // Stored, and read later in either language: both.
                        let reason = format!("{} / {}", refusal.text(false), refusal.text(true));
                        out.refused.push((channel, refusal));
                        (OutboxStatus::Failed, Some(reason))
                    }
                }
            }
            _ => (status, None),
        };
        let entry = OutboxEntry {
            id: 0,
            action_id,
            debtor_id: action.debtor_id,
            channel,
            recipient: recipient.to_string(),
            message_id: message_id(action_id, channel, domain),
            status,
            attempts: 0,
            // Due at once: quiet hours and backoff move it later.
            next_attempt_at: 0,
            lease_owner: None,
            lease_until: None,
            last_error,
            provider_id: None,
            created_at: at.to_string(),
            updated_at: at.to_string(),
        };
        if tx.insert_outbox(&entry).await?.is_some() {
            out.written += 1;
        }
    }
    Ok(out)
}

/// Queues the messages of an action that was just approved (or inserted planned), reading
/// its debtor: the one call the run and the approval share.
pub async fn enqueue_action(tx: &mut dyn Tx, action: &StoredAction, at: &str) -> AppResult<usize> {
    let debtor = tx
        .debtor(action.debtor_id)
        .await?
        .ok_or_else(|| missing("debtor", action.debtor_id))?;
    let domain = message_id_domain(tx).await?;
    Ok(enqueue(tx, action.id, action, &debtor, &domain, at)
        .await?
        .written)
}

/// Cancels an action's messages that have not gone out (queued, or waiting to print):
/// a skipped action never sends. Returns how many were cancelled.
pub async fn cancel_for_action(tx: &mut dyn Tx, action_id: i64, at: &str) -> AppResult<usize> {
    let entries = tx
        .outbox(&OutboxFilter {
            statuses: vec![OutboxStatus::Queued, OutboxStatus::Print],
            action: Some(action_id),
            limit: None,
        })
        .await?;
    let mut n = 0;
    for mut e in entries {
        e.status = OutboxStatus::Cancelled;
        e.lease_owner = None;
        e.lease_until = None;
        e.last_error = Some("the action was skipped / l'action a été ignorée".into());
        e.updated_at = at.to_string();
        if tx.update_outbox(&e, None).await? {
            n += 1;
        }
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------------
// Content: the seam with the template engine.

/// One attachment of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A message ready to send: subject, text, optional HTML, attachments. An SMS uses the
/// text only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// Why a message could not be composed: final (the same data gives the same error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ComposeError(pub String);

/// Turns an outbox entry into its message. The template engine (`comms`) implements it;
/// [`FallbackComposer`] is the plain built-in one used when none is plugged.
#[async_trait]
pub trait Composer: Send + Sync {
    /// The message of one outbox entry: subject, text, optional HTML, attachments.
    async fn compose(&self, entry: &OutboxEntry) -> Result<Composed, ComposeError>;
}

/// The data a message is written from, read in one transaction: the action, its debtor,
/// its claims (number, due date, open amount as of the action's day) and the collector.
#[derive(Debug, Clone)]
pub struct MessageContext {
    pub action: StoredAction,
    pub debtor: Debtor,
    pub creditor_name: String,
    pub claims: Vec<ClaimLine>,
}

/// One claim named in a message.
#[derive(Debug, Clone)]
pub struct ClaimLine {
    pub number: String,
    pub due_date: domain::Date,
    pub open: Money,
}

fn missing(what: &'static str, id: impl fmt::Display) -> AppError {
    AppError::NotFound {
        what,
        id: id.to_string(),
    }
}

/// Reads what a message about `entry` says.
pub async fn context(tx: &mut dyn Tx, entry: &OutboxEntry) -> AppResult<MessageContext> {
    let action = tx
        .action(entry.action_id)
        .await?
        .ok_or_else(|| missing("action", entry.action_id))?;
    let debtor = tx
        .debtor(action.debtor_id)
        .await?
        .ok_or_else(|| missing("debtor", action.debtor_id))?;
    let creditor_name = tx
        .creditors()
        .await?
        .into_iter()
        .find(|c| c.id == debtor.creditor_id)
        .map(|c| c.name)
        .unwrap_or_default();
    let mut claims = Vec::new();
    for id in &action.claims {
        let Some(claim) = tx.claim(*id).await? else {
            continue;
        };
        let entries = tx.ledger_entries(*id).await?;
        let open_minor: i64 = entries
            .iter()
            .filter(|e| e.date <= action.created_on)
            .map(|e| e.amount_minor)
            .sum();
        claims.push(ClaimLine {
            number: claim.number.to_string(),
            due_date: claim.due_date,
            open: Money::from_minor(open_minor, claim.currency),
        });
    }
    Ok(MessageContext {
        action,
        debtor,
        creditor_name,
        claims,
    })
}

/// The language of a message: the debtor's (`en`) or French, the default (a debtor in a
/// French-speaking country without a language also gets French).
pub fn language_of(debtor: &Debtor) -> Language {
    match debtor.language.trim().to_lowercase().as_str() {
        "en" => Language::En,
        "fr" => Language::Fr,
        _ => match debtor.country.as_str() {
            "FR" | "BE" | "LU" | "CH" | "MC" | "" => Language::Fr,
            _ => Language::En,
        },
    }
}

/// The two languages messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Fr,
    En,
}

/// `1 234,50 €` (French) or `€1,234.50`-style `EUR 1,234.50` (English).
pub fn format_amount(amount: Money, language: Language) -> String {
    let text = amount.amount_string();
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |rest| ("-", rest));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let sep = match language {
        Language::Fr => '\u{202f}',
        Language::En => ',',
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    let code = amount.currency().code();
    match (language, frac.is_empty()) {
        (Language::Fr, true) => format!("{sign}{grouped} {code}"),
        (Language::Fr, false) => format!("{sign}{grouped},{frac} {code}"),
        (Language::En, true) => format!("{sign}{code} {grouped}"),
        (Language::En, false) => format!("{sign}{code} {grouped}.{frac}"),
    }
}

/// The plain built-in composer: a short, correct, polite message in the debtor's language
/// (French by default) naming the creditor, the claims with their due dates and open
/// amounts, the total claimed and the step (template name). It is the **fallback used
/// when no template engine is plugged**: the template engine (`comms`) replaces it with
/// the user-editable templates and the PDF letters.
#[derive(Debug, Clone)]
pub struct FallbackComposer {
    store: std::sync::Arc<dyn Store>,
}

impl FallbackComposer {
    pub fn new(store: std::sync::Arc<dyn Store>) -> Self {
        Self { store }
    }
}

#[async_trait]
impl Composer for FallbackComposer {
    async fn compose(&self, entry: &OutboxEntry) -> Result<Composed, ComposeError> {
        let mut tx = self
            .store
            .begin()
            .await
            .map_err(|e| ComposeError(e.to_string()))?;
        let ctx = context(tx.as_mut(), entry)
            .await
            .map_err(|e| ComposeError(e.to_string()))?;
        drop(tx);
        Ok(fallback_message(&ctx, entry.channel))
    }
}

/// The fallback text of [`FallbackComposer`], from plain data.
pub fn fallback_message(ctx: &MessageContext, channel: Channel) -> Composed {
    let lang = language_of(&ctx.debtor);
    let total = format_amount(ctx.action.amount, lang);
    let creditor = if ctx.creditor_name.is_empty() {
        match lang {
            Language::Fr => "votre créancier".to_string(),
            Language::En => "your creditor".to_string(),
        }
    } else {
        ctx.creditor_name.clone()
    };
    let reference = format!("{}-{}", ctx.action.template, ctx.action.id);
    let lines: Vec<String> = ctx
        .claims
        .iter()
        .map(|c| match lang {
            Language::Fr => format!(
                "  - facture {} échue le {} : {}",
                c.number,
                c.due_date.strftime("%d/%m/%Y"),
                format_amount(c.open, lang)
            ),
            Language::En => format!(
                "  - invoice {} due on {}: {}",
                c.number,
                c.due_date,
                format_amount(c.open, lang)
            ),
        })
        .collect();
    if channel == Channel::Sms {
        // A plain space in SMS: the narrow no-break space is outside GSM-7 and would
        // make the whole text UCS-2 (70 characters a part instead of 160).
        let total = total.replace('\u{202f}', " ");
        let text = match lang {
            Language::Fr => format!(
                "{creditor} : {total} restent dus sur votre compte. Merci de régulariser ou de nous contacter. Réf. {reference}"
            ),
            Language::En => format!(
                "{creditor}: {total} is still due on your account. Please pay or contact us. Ref. {reference}"
            ),
        };
        return Composed {
            subject: String::new(),
            text,
            html: None,
            attachments: Vec::new(),
        };
    }
    let (subject, text) = match lang {
        Language::Fr => (
            format!("{creditor} : rappel de paiement ({total})"),
            format!(
                "Bonjour,\n\nSauf erreur de notre part, les sommes suivantes dues à {creditor} par {} restent impayées :\n\n{}\n\nTotal dû : {total}\n\nNous vous remercions de bien vouloir procéder à leur règlement dans les meilleurs délais, ou de nous contacter en répondant à ce message si vous pensez qu'il s'agit d'une erreur ou si vous souhaitez convenir d'un échéancier.\n\nSi votre paiement a croisé ce message, merci de ne pas en tenir compte.\n\nCordialement,\n{creditor}\n\nRéférence : {reference}\n",
                ctx.debtor.name,
                lines.join("\n")
            ),
        ),
        Language::En => (
            format!("{creditor}: payment reminder ({total})"),
            format!(
                "Hello,\n\nAccording to our records, the following amounts owed to {creditor} by {} are still unpaid:\n\n{}\n\nTotal due: {total}\n\nWe would be grateful if you could settle them at your earliest convenience, or contact us by replying to this message if you believe this is an error or would like to agree on a payment plan.\n\nIf your payment has crossed this message, please disregard it.\n\nKind regards,\n{creditor}\n\nReference: {reference}\n",
                ctx.debtor.name,
                lines.join("\n")
            ),
        ),
    };
    Composed {
        subject,
        text,
        html: None,
        attachments: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Transports: the seam with SMTP and the SMS provider (`recouvre-deliver`).

/// A message as a transport sends it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub outbox_id: i64,
    pub channel: Channel,
    pub recipient: String,
    /// The stable Message-ID (`<action-42.email@…>`): the SMTP header, the SMS idempotency
    /// key.
    pub message_id: String,
    /// The collector's address for `Reply-To`, when the case has one.
    pub reply_to: Option<String>,
    pub content: Composed,
}

/// Why a send failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// Retrying cannot help (SMTP 5xx, a malformed address, a message too long).
    pub permanent: bool,
    /// The message data had begun to leave when it failed (a broken connection during
    /// `DATA`): it may have been delivered.
    pub uncertain: bool,
}

impl SendError {
    pub fn transient(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: false,
            uncertain: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: true,
            uncertain: false,
        }
    }

    pub fn uncertain(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: false,
            uncertain: true,
        }
    }
}

/// A transport (SMTP, HTTP SMS): sending is split in two so that the worker can record
/// the attempt durably at the last moment before the message data leaves.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Everything up to the point of no return (SMTP: connect, TLS, authenticate,
    /// `MAIL FROM`, `RCPT TO`; SMS: build and check the request). Nothing is delivered.
    async fn prepare(&self, message: &Outgoing) -> Result<Box<dyn Prepared>, SendError>;
}

/// A prepared send: [`Prepared::send`] lets the message data leave.
#[async_trait]
pub trait Prepared: Send {
    /// Sends the message; returns the provider's id or reply.
    async fn send(self: Box<Self>) -> Result<String, SendError>;
}

/// The transports the worker has: a channel without one waits (its entries stay queued).
#[derive(Default)]
pub struct Transports {
    pub email: Option<Box<dyn Transport>>,
    pub sms: Option<Box<dyn Transport>>,
}

impl fmt::Debug for Transports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transports")
            .field("email", &self.email.is_some())
            .field("sms", &self.sms.is_some())
            .finish()
    }
}

impl Transports {
    fn of(&self, channel: Channel) -> Option<&dyn Transport> {
        match channel {
            Channel::Email => self.email.as_deref(),
            Channel::Sms => self.sms.as_deref(),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Quiet hours.

/// When SMS and calls are not made, in Europe/Paris time: before `start_hour`, from
/// `end_hour`, on Sundays and (if `holidays`) French public holidays. Default: 8:00 to
/// 20:00, Monday to Saturday, not on public holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start_hour: i8,
    pub end_hour: i8,
    pub sundays: bool,
    pub holidays: bool,
}

impl Default for QuietHours {
    fn default() -> Self {
        Self {
            start_hour: 8,
            end_hour: 20,
            sundays: true,
            holidays: true,
        }
    }
}

/// Setting: the quiet hours as JSON ([`QuietHours`]).
pub const QUIET_HOURS: &str = "quiet_hours";

impl QuietHours {
    fn paris() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC)
    }

    fn allowed_day(&self, date: domain::Date) -> bool {
        let quiet_sunday = self.sundays && date.weekday() == jiff::civil::Weekday::Sunday;
        let quiet_holiday = self.holidays && domain::calendar::is_public_holiday_fr(date);
        !(quiet_sunday || quiet_holiday)
    }

    /// `None` when an SMS may go out at `now` (Unix seconds); otherwise the first instant
    /// it may.
    pub fn next_allowed(&self, now: i64) -> Option<i64> {
        let tz = Self::paris();
        let ts = jiff::Timestamp::from_second(now).ok()?;
        let local = ts.to_zoned(tz.clone());
        let hour = local.hour();
        if self.allowed_day(local.date()) && hour >= self.start_hour && hour < self.end_hour {
            return None;
        }
        // The next day at start_hour that is allowed (today if before the start).
        let mut day = local.date();
        if hour >= self.start_hour {
            day = day.tomorrow().ok()?;
        }
        for _ in 0..14 {
            if self.allowed_day(day) {
                let at = day
                    .at(self.start_hour, 0, 0, 0)
                    .to_zoned(tz.clone())
                    .ok()?
                    .timestamp()
                    .as_second();
                return Some(at);
            }
            day = day.tomorrow().ok()?;
        }
        None
    }
}

// ---------------------------------------------------------------------------------------
// The worker.

/// How the worker behaves.
#[derive(Debug, Clone, Copy)]
pub struct WorkerConfig {
    /// Entries claimed at once.
    pub batch: usize,
    /// How long a claim lasts (seconds): longer than the slowest send (SMTP timeouts).
    pub lease_secs: i64,
    /// Attempts before an entry fails for good.
    pub max_attempts: i64,
    /// The first retry waits this long (seconds); each next one twice as long.
    pub backoff_base_secs: i64,
    /// No retry waits longer than this (seconds).
    pub backoff_cap_secs: i64,
    pub quiet: QuietHours,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            batch: 20,
            lease_secs: 300,
            max_attempts: 8,
            backoff_base_secs: 60,
            backoff_cap_secs: 6 * 3600,
            quiet: QuietHours::default(),
        }
    }
}

/// The wait before attempt `attempts + 1` after `attempts` failed ones: base × 2^(n−1),
/// capped. Worked: base 60 s → 60, 120, 240, 480 s…
pub fn backoff_secs(config: &WorkerConfig, attempts: i64) -> i64 {
    let exp = u32::try_from((attempts - 1).clamp(0, 30)).unwrap_or(30);
    config
        .backoff_base_secs
        .saturating_mul(1_i64 << exp)
        .min(config.backoff_cap_secs)
}

/// What one pass of the worker did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BatchReport {
    pub claimed: usize,
    pub sent: usize,
    /// Failed for now, retried later.
    pub retried: usize,
    /// Failed for good (including interrupted attempts not resent).
    pub failed: usize,
    /// Waiting for quiet hours to end, or for a transport to be configured.
    pub deferred: usize,
    pub cancelled: usize,
    /// Claims lost to another worker (their lease expired under us).
    pub lost: usize,
}

impl BatchReport {
    fn add(&mut self, other: &BatchReport) {
        self.claimed += other.claimed;
        self.sent += other.sent;
        self.retried += other.retried;
        self.failed += other.failed;
        self.deferred += other.deferred;
        self.cancelled += other.cancelled;
        self.lost += other.lost;
    }
}

/// The delivery worker: claims due outbox entries and sends them.
pub struct Worker<'a> {
    pub store: &'a dyn Store,
    pub composer: &'a dyn Composer,
    pub transports: &'a Transports,
    /// This worker's name in leases and the delivery log (host and process id by default).
    pub id: String,
    pub config: WorkerConfig,
}

impl fmt::Debug for Worker<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Worker")
            .field("id", &self.id)
            .field("config", &self.config)
            .finish()
    }
}

/// An RFC 3339 text of a Unix instant, for the log columns.
fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| secs.to_string())
}

enum Outcome {
    Sent,
    Retried,
    Failed,
    Deferred,
    Cancelled,
    Lost,
}

impl Worker<'_> {
    /// Delivers everything due at `now()` (Unix seconds, asked again for every entry so
    /// that leases and retries follow real time), batch after batch, until nothing due is
    /// left: what `recouvre deliver --once` does.
    pub async fn drain(&self, now: &(dyn Fn() -> i64 + Send + Sync)) -> AppResult<BatchReport> {
        let mut total = BatchReport::default();
        loop {
            let report = self.deliver_due(now).await?;
            total.add(&report);
            // Entries deferred or retried are due later, not now: a batch that sent
            // nothing new and claimed nothing means the queue is drained for now.
            if report.claimed == 0 || report.claimed == report.deferred + report.retried {
                return Ok(total);
            }
        }
    }

    /// Claims one batch due at `now()` and delivers it.
    pub async fn deliver_due(
        &self,
        now: &(dyn Fn() -> i64 + Send + Sync),
    ) -> AppResult<BatchReport> {
        let start = now();
        let mut tx = self.store.begin().await?;
        let batch = tx
            .claim_outbox(
                &self.id,
                start,
                start + self.config.lease_secs,
                self.config.batch,
                &rfc3339(start),
            )
            .await?;
        tx.commit().await?;
        let mut report = BatchReport {
            claimed: batch.len(),
            ..BatchReport::default()
        };
        for entry in batch {
            match self.deliver_one(entry, now).await? {
                Outcome::Sent => report.sent += 1,
                Outcome::Retried => report.retried += 1,
                Outcome::Failed => report.failed += 1,
                Outcome::Deferred => report.deferred += 1,
                Outcome::Cancelled => report.cancelled += 1,
                Outcome::Lost => report.lost += 1,
            }
        }
        Ok(report)
    }

    /// Writes `entry` if this worker still holds its lease; `Lost` otherwise.
    async fn save(&self, tx: &mut dyn Tx, entry: &OutboxEntry) -> AppResult<bool> {
        Ok(tx.update_outbox(entry, Some(&self.id)).await?)
    }

    async fn finish(
        &self,
        mut entry: OutboxEntry,
        status: OutboxStatus,
        error: Option<String>,
        next_attempt_at: Option<i64>,
        now: i64,
    ) -> AppResult<Outcome> {
        entry.status = status;
        entry.last_error = error;
        if let Some(at) = next_attempt_at {
            entry.next_attempt_at = at;
        }
        entry.lease_owner = None;
        entry.lease_until = None;
        entry.updated_at = rfc3339(now);
        let mut tx = self.store.begin().await?;
        if !self.save(tx.as_mut(), &entry).await? {
            return Ok(Outcome::Lost);
        }
        tx.commit().await?;
        Ok(match status {
            OutboxStatus::Cancelled => Outcome::Cancelled,
            OutboxStatus::Failed => Outcome::Failed,
            OutboxStatus::Queued if next_attempt_at.is_some() => Outcome::Deferred,
            _ => Outcome::Retried,
        })
    }

    async fn deliver_one(
        &self,
        entry: OutboxEntry,
        now: &(dyn Fn() -> i64 + Send + Sync),
    ) -> AppResult<Outcome> {
        let t = now();
        let mut tx = self.store.begin().await?;
        let action = tx.action(entry.action_id).await?;
        let log = tx.deliveries(Some(entry.id)).await?;
        drop(tx);

        // A skipped action never sends.
        if action
            .as_ref()
            .is_none_or(|a| a.status == ActionStatus::Skipped)
        {
            return self
                .finish(
                    entry,
                    OutboxStatus::Cancelled,
                    Some("the action was skipped / l'action a été ignorée".into()),
                    None,
                    t,
                )
                .await;
        }

        // Taken over from a worker that crashed while the message data may have been
        // leaving: never resend automatically.
        if let Some(open) = log
            .iter()
            .rev()
            .find(|a| a.result == DeliveryResult::Started)
        {
            let reason = format!(
                "uncertain: attempt {} by {} was interrupted while the message was being sent; it may have been delivered (Message-ID {}), so it is not resent automatically: check, then `recouvre outbox retry {}` / envoi interrompu, peut-être reçu : non renvoyé automatiquement",
                open.attempt, open.worker, entry.message_id, entry.id
            );
            let mut closed = open.clone();
            closed.result = DeliveryResult::Interrupted;
            closed.finished_at = Some(rfc3339(t));
            closed.detail = Some(format!("taken over by {}", self.id));
            let mut failed = entry.clone();
            failed.status = OutboxStatus::Failed;
            failed.last_error = Some(reason);
            failed.lease_owner = None;
            failed.lease_until = None;
            failed.updated_at = rfc3339(t);
            let mut tx = self.store.begin().await?;
            if !self.save(tx.as_mut(), &failed).await? {
                return Ok(Outcome::Lost);
            }
            tx.finish_delivery(&closed).await?;
            tx.commit().await?;
            return Ok(Outcome::Failed);
        }

        // Quiet hours: SMS wait.
        if entry.channel == Channel::Sms
            && let Some(at) = self.config.quiet.next_allowed(t)
        {
            return self
                .finish(entry, OutboxStatus::Queued, None, Some(at), t)
                .await;
        }

        let Some(transport) = self.transports.of(entry.channel) else {
            let what = match entry.channel {
                Channel::Sms => {
                    "SMS provider not configured (recouvre settings sms) / fournisseur SMS non configuré"
                }
                _ => "SMTP not configured (recouvre settings smtp) / SMTP non configuré",
            };
            let later = t + self.config.backoff_base_secs;
            return self
                .finish(
                    entry,
                    OutboxStatus::Queued,
                    Some(what.into()),
                    Some(later),
                    t,
                )
                .await;
        };

        let content = match self.composer.compose(&entry).await {
            Ok(c) => c,
            Err(e) => {
                return self
                    .finish(
                        entry,
                        OutboxStatus::Failed,
                        Some(format!("cannot compose the message: {e}")),
                        None,
                        t,
                    )
                    .await;
            }
        };
        let reply_to = match &action {
            Some(a) => self.reply_to(a).await?,
            None => None,
        };
        let outgoing = Outgoing {
            outbox_id: entry.id,
            channel: entry.channel,
            recipient: entry.recipient.clone(),
            message_id: entry.message_id.clone(),
            reply_to,
            content,
        };
        let attempt_no = i64::try_from(log.len()).unwrap_or(i64::MAX) + 1;
        let prepared = match transport.prepare(&outgoing).await {
            Ok(p) => p,
            Err(e) => return self.failed_attempt(entry, None, attempt_no, e, now()).await,
        };

        // The point of no return: record the attempt durably, then let the data leave.
        let t = now();
        let mut sending = entry.clone();
        sending.status = OutboxStatus::Sending;
        sending.attempts += 1;
        sending.updated_at = rfc3339(t);
        let mut attempt = DeliveryAttempt {
            id: 0,
            outbox_id: entry.id,
            attempt: attempt_no,
            worker: self.id.clone(),
            started_at: rfc3339(t),
            finished_at: None,
            result: DeliveryResult::Started,
            provider_id: None,
            detail: None,
        };
        let mut tx = self.store.begin().await?;
        if !self.save(tx.as_mut(), &sending).await? {
            return Ok(Outcome::Lost);
        }
        attempt.id = tx.insert_delivery(&attempt).await?;
        tx.commit().await?;

        match prepared.send().await {
            Ok(provider_id) => {
                let t = now();
                let mut sent = sending;
                sent.status = OutboxStatus::Sent;
                sent.provider_id = Some(provider_id.clone());
                sent.last_error = None;
                sent.lease_owner = None;
                sent.lease_until = None;
                sent.updated_at = rfc3339(t);
                attempt.result = DeliveryResult::Sent;
                attempt.finished_at = Some(rfc3339(t));
                attempt.provider_id = Some(provider_id);
                let mut tx = self.store.begin().await?;
                // Even if the lease was lost meanwhile, the message went out: record it
                // (the taker sees `sent` or, until this commits, a `started` attempt).
                tx.update_outbox(&sent, None).await?;
                tx.finish_delivery(&attempt).await?;
                mark_action_done(tx.as_mut(), sent.action_id).await?;
                tx.commit().await?;
                Ok(Outcome::Sent)
            }
            Err(e) => {
                self.failed_attempt(sending, Some(attempt), attempt_no, e, now())
                    .await
            }
        }
    }

    /// The collector's e-mail for `Reply-To`: the case owner's login when it is an
    /// address.
    async fn reply_to(&self, action: &StoredAction) -> AppResult<Option<String>> {
        let mut tx = self.store.begin().await?;
        let owner = tx.case(action.debtor_id).await?.and_then(|c| c.owner);
        Ok(owner.filter(|o| o.contains('@')))
    }

    async fn failed_attempt(
        &self,
        mut entry: OutboxEntry,
        attempt: Option<DeliveryAttempt>,
        attempt_no: i64,
        error: SendError,
        t: i64,
    ) -> AppResult<Outcome> {
        let mut tx = self.store.begin().await?;
        if let Some(mut a) = attempt {
            a.result = if error.uncertain {
                DeliveryResult::Interrupted
            } else {
                DeliveryResult::Failed
            };
            a.finished_at = Some(rfc3339(t));
            a.detail = Some(error.message.clone());
            tx.finish_delivery(&a).await?;
        } else {
            // Failed before the data left (connection, authentication, recipient refused):
            // logged as its own attempt.
            entry.attempts += 1;
            tx.insert_delivery(&DeliveryAttempt {
                id: 0,
                outbox_id: entry.id,
                attempt: attempt_no,
                worker: self.id.clone(),
                started_at: rfc3339(t),
                finished_at: Some(rfc3339(t)),
                result: DeliveryResult::Failed,
                provider_id: None,
                detail: Some(error.message.clone()),
            })
            .await?;
        }
        let (status, outcome, message) = if error.uncertain {
            (
                OutboxStatus::Failed,
                Outcome::Failed,
                format!(
                    "uncertain: the connection failed while the message was being sent ({}); it may have been delivered (Message-ID {}), so it is not resent automatically: check, then `recouvre outbox retry {}`",
                    error.message, entry.message_id, entry.id
                ),
            )
        } else if error.permanent {
            (OutboxStatus::Failed, Outcome::Failed, error.message.clone())
        } else if entry.attempts >= self.config.max_attempts {
            (
                OutboxStatus::Failed,
                Outcome::Failed,
                format!(
                    "gave up after {} attempts / abandon après {} tentatives: {}",
                    entry.attempts, entry.attempts, error.message
                ),
            )
        } else {
            entry.next_attempt_at = t + backoff_secs(&self.config, entry.attempts);
            (
                OutboxStatus::Queued,
                Outcome::Retried,
                error.message.clone(),
            )
        };
        entry.status = status;
        entry.last_error = Some(message);
        entry.lease_owner = None;
        entry.lease_until = None;
        entry.updated_at = rfc3339(t);
        if !self.save(tx.as_mut(), &entry).await? {
            return Ok(Outcome::Lost);
        }
        tx.commit().await?;
        Ok(outcome)
    }
}

/// Marks an action done once none of its messages is waiting any more (all sent, or
/// printed later: letters do not hold it back).
async fn mark_action_done(tx: &mut dyn Tx, action_id: i64) -> AppResult<()> {
    let pending = tx
        .outbox(&OutboxFilter {
            statuses: vec![OutboxStatus::Queued, OutboxStatus::Sending],
            action: Some(action_id),
            limit: Some(1),
        })
        .await?;
    if pending.is_empty()
        && let Some(a) = tx.action(action_id).await?
        && matches!(a.status, ActionStatus::Planned | ActionStatus::Approved)
    {
        // Not done if someone skipped it meanwhile (compare-and-set).
        tx.set_action_status(action_id, a.status, ActionStatus::Done)
            .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What people do with the outbox.

/// Outbox entries, newest first.
pub async fn list(tx: &mut dyn Tx, filter: &OutboxFilter) -> AppResult<Vec<OutboxEntry>> {
    Ok(tx.outbox(filter).await?)
}

/// One entry with its delivery log.
#[derive(Debug, Clone, Serialize)]
pub struct EntryDetail {
    pub entry: OutboxEntry,
    pub deliveries: Vec<DeliveryAttempt>,
}

pub async fn show(tx: &mut dyn Tx, id: i64) -> AppResult<EntryDetail> {
    let entry = tx
        .outbox_entry(id)
        .await?
        .ok_or_else(|| missing("outbox entry", id))?;
    let deliveries = tx.deliveries(Some(id)).await?;
    Ok(EntryDetail { entry, deliveries })
}

/// Status counts, every status listed (zero when none).
pub async fn counts(tx: &mut dyn Tx) -> AppResult<Vec<(OutboxStatus, i64)>> {
    let stored = tx.outbox_counts().await?;
    Ok(OutboxStatus::ALL
        .iter()
        .map(|s| {
            (
                *s,
                stored.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n),
            )
        })
        .collect())
}

/// Queues a failed (or cancelled) entry again, due at once, audited. A person does this
/// after checking that an interrupted message never arrived, or after fixing an address.
pub async fn retry(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> AppResult<OutboxEntry> {
    let mut tx = store.begin().await?;
    let before = tx
        .outbox_entry(id)
        .await?
        .ok_or_else(|| missing("outbox entry", id))?;
    if !matches!(
        before.status,
        OutboxStatus::Failed | OutboxStatus::Cancelled
    ) {
        return Err(AppError::Invalid(domain::tr!(
            "outbox entry {id} is {}: only failed or cancelled entries can be retried",
            "l'envoi {id} est {} : seuls les envois en échec ou annulés peuvent être relancés",
            before.status
        )));
    }
    if before.recipient.is_empty() {
        return Err(AppError::Invalid(domain::tr!(
            "outbox entry {id} has no recipient: add the debtor's contact first",
            "l'envoi {id} n'a pas de destinataire : ajoutez d'abord le contact du débiteur"
        )));
    }
    let mut after = before.clone();
    after.status = OutboxStatus::Queued;
    after.attempts = 0;
    after.next_attempt_at = 0;
    after.lease_owner = None;
    after.lease_until = None;
    after.updated_at = clock.now_rfc3339();
    tx.update_outbox(&after, None).await?;
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "outbox.retry",
        &format!("outbox:{id}"),
        Some(&before.status),
        Some(&after.status),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-23 is a Monday. In November Paris is UTC+1.
    fn paris(y: i16, m: i8, d: i8, h: i8, min: i8) -> i64 {
        jiff::civil::date(y, m, d)
            .at(h, min, 0, 0)
            .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
            .unwrap()
            .timestamp()
            .as_second()
    }

    #[test]
    fn quiet_hours_defer_to_the_next_allowed_morning() {
        let q = QuietHours::default();
        // Monday 10:00: allowed.
        assert_eq!(q.next_allowed(paris(2026, 11, 23, 10, 0)), None);
        // Monday 19:59 allowed, 20:00 not: next is Tuesday 08:00.
        assert_eq!(q.next_allowed(paris(2026, 11, 23, 19, 59)), None);
        assert_eq!(
            q.next_allowed(paris(2026, 11, 23, 20, 0)),
            Some(paris(2026, 11, 24, 8, 0))
        );
        // Tuesday 06:30: the same day at 08:00.
        assert_eq!(
            q.next_allowed(paris(2026, 11, 24, 6, 30)),
            Some(paris(2026, 11, 24, 8, 0))
        );
        // Saturday 21:00 → Sunday is quiet → Monday 08:00.
        assert_eq!(
            q.next_allowed(paris(2026, 11, 28, 21, 0)),
            Some(paris(2026, 11, 30, 8, 0))
        );
        // 24 December 2026 (Thursday) 22:00 → 25th is a holiday → Saturday 26th 08:00.
        assert_eq!(
            q.next_allowed(paris(2026, 12, 24, 22, 0)),
            Some(paris(2026, 12, 26, 8, 0))
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let c = WorkerConfig::default();
        // base 60 s: 60, 120, 240, 480; cap 6 h = 21,600 s reached at 2^9 × 60 = 30,720.
        assert_eq!(backoff_secs(&c, 1), 60);
        assert_eq!(backoff_secs(&c, 2), 120);
        assert_eq!(backoff_secs(&c, 4), 480);
        assert_eq!(backoff_secs(&c, 10), 21_600);
    }

    #[test]
    fn amounts_in_each_language() {
        let m = Money::from_minor(1_234_50, domain::money::Currency::EUR);
        assert_eq!(format_amount(m, Language::Fr), "1\u{202f}234,50 EUR");
        assert_eq!(format_amount(m, Language::En), "EUR 1,234.50");
    }
}
