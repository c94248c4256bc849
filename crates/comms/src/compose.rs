//! Composing a message: the one place where the data of a message is gathered from the
//! store (debtor, claims, the law engine's interest and indemnities, the creditor's bank
//! details and reference), turned into a [`MessageContext`], rendered through the
//! templates and, where the channel is a letter, typeset into a PDF.
//!
//! [`compose_action`] is what the delivery worker calls for a dunning action;
//! [`compose_preview`] is what `recouvre template preview`, the API and the Templates
//! page call for any template and debtor. Both read, never write.

use crate::context::{
    AgencyCtx, ClaimCtx, CollectorCtx, DebtorCtx, InstalmentCtx, LawCtx, MessageContext,
    PaymentCtx, PlanCtx, SenderCtx, TotalsCtx,
};
use crate::fmt::{self, Lang};
use crate::pdf::{self, Block, CLAIMS_MARK, Letter, PAYMENT_MARK, PdfError, Table};
use crate::templates::{LAYOUT, Part, Templates, TemplatesError};
use app::error::AppError;
use app::issuing::{Form, Missing};
use app::store::{AgreementKind, Store, StoredAction, Tx};
use domain::agreements::Plan;
use domain::dunning::{Channel, Channels};
use domain::law::RateTables;
use domain::{ClaimId, ContactKind, Date, Debtor, DebtorId, Money};
use rust_decimal::Decimal;
use serde::Serialize;

/// Settings read by the composer (all optional; see docs/templates.md). They live with
/// the requirements of a letter ([`app::issuing`]), which the run checks too.
pub use app::issuing::settings;
pub use app::issuing::{Refusal, address_lines};

/// What composing a message needs besides the store: the checked templates and the
/// interest rate tables of the law engine.
#[derive(Debug)]
pub struct Comms {
    pub templates: Templates,
    pub rates: RateTables,
}

/// Why a message could not be composed.
#[derive(Debug, thiserror::Error)]
pub enum CommsError {
    #[error(transparent)]
    Templates(#[from] TemplatesError),
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error("action {0} not found / action introuvable")]
    NoAction(i64),
    #[error("{0}")]
    Invalid(String),
    /// The message lacks what it must carry, or a figure it would claim: not issued.
    #[error(transparent)]
    Refused(#[from] Refusal),
}

impl From<app::StoreError> for CommsError {
    fn from(e: app::StoreError) -> Self {
        CommsError::App(AppError::Store(e))
    }
}

/// A file sent with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Who the message goes to, per channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The postal address, one line each (empty when unknown).
    pub address_lines: Vec<String>,
}

/// A message ready to send: every text rendered, the letter PDF attached when one of the
/// action's channels is a letter (plain, registered, or the formal notice).
#[derive(Debug, Clone, Serialize)]
pub struct Composed {
    pub action_id: Option<i64>,
    pub template: String,
    pub lang: Lang,
    /// The action's channels (`email`, `sms`, `formal_notice`...).
    pub channels: Vec<String>,
    /// Our reference, printed on the letter (`<customer ref>-<action id>`).
    pub reference: String,
    /// Everything the message claims (principal + interest + indemnities), formatted.
    pub total_claimed: String,
    pub recipient: Recipient,
    /// The letter's sender (reply-to and the letter head).
    pub sender: Recipient,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub sms: Option<String>,
    /// The body of the letter (the `letter` part, or the text).
    pub letter: String,
    pub attachments: Vec<Attachment>,
    /// Figures that could not be computed (a rate the law engine does not know), or rest
    /// on a rate to confirm.
    pub warnings: Vec<String>,
    /// Why the letter of this message may not be printed (a preview of a message that is
    /// not a letter may still be read): what it lacks.
    #[serde(skip)]
    letter_refusal: Option<Refusal>,
    #[serde(skip)]
    letter_data: Letter,
}

impl Composed {
    /// The letter as a PDF (typeset now; an action with a letter channel has it already
    /// in [`Composed::attachments`]). Refused when the letter lacks what a letter must
    /// carry or a figure it claims ([`app::issuing`]).
    pub fn letter_pdf(&self) -> Result<Vec<u8>, CommsError> {
        if let Some(refusal) = &self.letter_refusal {
            return Err(refusal.clone().into());
        }
        Ok(pdf::render(std::slice::from_ref(&self.letter_data))?)
    }

    /// Why the letter may not be issued, if it may not.
    pub fn letter_refusal(&self) -> Option<&Refusal> {
        self.letter_refusal.as_ref()
    }

    /// The letter's typesetting data, to put several letters in one batch.
    pub fn letter_data(&self) -> &Letter {
        &self.letter_data
    }
}

/// Whether a set of channels sends a letter by post.
pub fn has_letter(channels: Channels) -> bool {
    channels.contains(Channel::Letter)
        || channels.contains(Channel::RegisteredLetter)
        || channels.contains(Channel::FormalNotice)
}

fn registered(channels: Channels) -> bool {
    channels.contains(Channel::RegisteredLetter) || channels.contains(Channel::FormalNotice)
}

/// Composes the message of a stored action, as of a date (`None`: the day the action was
/// decided, so the amounts are those it claimed): the debtor's language, the action's
/// template and claims, interest and indemnities when the step claims penalties, and the
/// letter PDF attached when a channel is a letter or the formal notice.
pub async fn compose_action(
    store: &dyn Store,
    comms: &Comms,
    action_id: i64,
    as_of: Option<Date>,
) -> Result<Composed, CommsError> {
    let mut tx = store.begin_read().await?;
    let action = tx
        .action(action_id)
        .await?
        .ok_or(CommsError::NoAction(action_id))?;
    let as_of = as_of.unwrap_or(action.created_on);
    let mut composed =
        compose_in(tx.as_mut(), comms, Request::Action(&action), None, as_of).await?;
    if has_letter(action.channels) {
        let bytes = composed.letter_pdf()?;
        composed.attachments.push(Attachment {
            filename: format!("{}.pdf", file_stem(&composed)),
            content_type: "application/pdf".into(),
            bytes,
        });
    }
    // Agency mode: the receipt of a payment (R124-6) travels with its e-mail.
    if let Some((claim, seq)) = app::agency::parse_receipt_step(&action.step_code) {
        let receipt = app::agency::receipt(tx.as_mut(), claim, Some(seq)).await?;
        let bytes = crate::receipt::pdf(&receipt).map_err(CommsError::from)?;
        composed.attachments.push(Attachment {
            filename: format!("{}.pdf", receipt.number),
            content_type: "application/pdf".into(),
            bytes,
        });
    }
    Ok(composed)
}

/// Composes template `name` for a debtor as of a date, in `lang` or the debtor's language:
/// the debtor's open claims, penalties when the template is a formal notice or an agency
/// letter. No attachment: call [`Composed::letter_pdf`] for the letter.
pub async fn compose_preview(
    store: &dyn Store,
    comms: &Comms,
    name: &str,
    debtor: DebtorId,
    lang: Option<Lang>,
    as_of: Date,
) -> Result<Composed, CommsError> {
    if !comms.templates.contains(name) {
        return Err(TemplatesError::Unknown(name.to_string()).into());
    }
    let mut tx = store.begin().await?;
    compose_in(
        tx.as_mut(),
        comms,
        Request::Preview { name, debtor },
        lang,
        as_of,
    )
    .await
}

/// The file name of a message's letter: `<template>-<debtor reference>-<date>`.
fn file_stem(c: &Composed) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|ch| {
                if ch.is_ascii_alphanumeric() || ch == '-' {
                    ch
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!(
        "{}-{}",
        clean(&c.template),
        clean(&c.letter_data.references.join("-"))
    )
}

pub(crate) enum Request<'a> {
    Action(&'a StoredAction),
    Preview { name: &'a str, debtor: DebtorId },
}

/// Templates whose message claims late interest and indemnities when previewed (an
/// action says it itself: its step's `claim_penalties`).
fn claims_penalties(name: &str) -> bool {
    name.starts_with("formal_notice") || name.starts_with("agency_letter")
}

async fn setting(tx: &mut dyn Tx, key: &str) -> Result<String, CommsError> {
    Ok(tx.setting(key).await?.unwrap_or_default())
}

fn rate_text(rates: &[Decimal], lang: Lang) -> String {
    let mut seen: Vec<Decimal> = Vec::new();
    for r in rates {
        if seen.last() != Some(r) {
            seen.push(*r);
        }
    }
    let joined = seen
        .iter()
        .map(|r| {
            let s = r.normalize().to_string();
            match lang {
                Lang::Fr => format!("{}\u{a0}%", s.replace('.', ",")),
                Lang::En => format!("{s}%"),
            }
        })
        .collect::<Vec<_>>();
    joined.join(match lang {
        Lang::Fr => " puis ",
        Lang::En => " then ",
    })
}

pub(crate) async fn compose_in(
    tx: &mut dyn Tx,
    comms: &Comms,
    request: Request<'_>,
    lang: Option<Lang>,
    as_of: Date,
) -> Result<Composed, CommsError> {
    let (name, debtor_id, claim_ids, penalties, channels, action_id) = match &request {
        Request::Action(a) => (
            a.template.clone(),
            a.debtor_id,
            Some(a.claims.clone()),
            a.claim_penalties,
            a.channels,
            Some(a.id),
        ),
        Request::Preview { name, debtor } => (
            (*name).to_string(),
            *debtor,
            None,
            claims_penalties(name),
            Channels::empty(),
            None,
        ),
    };
    let debtor = tx
        .debtor(debtor_id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "debtor",
            id: debtor_id.to_string(),
        })?;
    let lang = lang.unwrap_or_else(|| Lang::for_debtor(&debtor.language, &debtor.country));
    let claim_ids: Vec<ClaimId> = match claim_ids {
        Some(ids) => ids,
        None => preview_claims(tx, &name, debtor_id, as_of).await?,
    };
    let mut ctx = MessageContext {
        lang: lang.code().into(),
        template: name.clone(),
        today: fmt::long_date(as_of, lang),
        as_of: as_of.to_string(),
        reference: match action_id {
            Some(id) => format!("{}-{id}", debtor.external_id),
            None => format!(
                "{}-{}",
                debtor.external_id,
                as_of.to_string().replace('-', "")
            ),
        },
        penalties,
        claims_table: CLAIMS_MARK,
        payment_box: PAYMENT_MARK,
        ..MessageContext::default()
    };
    let facts = app::issuing::sender(tx, debtor.creditor_id).await?;
    ctx.law = LawCtx {
        jurisdiction: match domain::law::Jurisdiction::from_country(&facts.country) {
            Some(domain::law::Jurisdiction::France) => "fr",
            Some(domain::law::Jurisdiction::Germany) => "de",
            Some(domain::law::Jurisdiction::UnitedKingdom) => "uk",
            None => "",
        }
        .to_string(),
    };
    ctx.sender = SenderCtx {
        name: facts.name.clone(),
        address_lines: facts.address_lines.clone(),
        city: facts.city.clone(),
        email: facts.email.clone(),
        phone: facts.phone.clone(),
        company_id: facts.company_id.clone(),
    };
    ctx.collector = CollectorCtx {
        name: setting(tx, settings::COLLECTOR_NAME).await?,
        email: setting(tx, settings::COLLECTOR_EMAIL).await?,
        phone: setting(tx, settings::COLLECTOR_PHONE).await?,
    };
    ctx.agency = AgencyCtx {
        name: setting(tx, settings::AGENCY_NAME).await?,
        address_lines: address_lines(&setting(tx, settings::AGENCY_ADDRESS).await?),
        email: setting(tx, settings::AGENCY_EMAIL).await?,
        phone: setting(tx, settings::AGENCY_PHONE).await?,
    };
    ctx.debtor = DebtorCtx {
        id: debtor.id.0,
        name: debtor.name.clone(),
        reference: debtor.external_id.clone(),
        company: debtor.kind == domain::DebtorKind::Company,
        b2b: debtor.segment == domain::Segment::B2b,
        email: debtor
            .contact(ContactKind::Email)
            .unwrap_or_default()
            .to_string(),
        phone: debtor
            .contact(ContactKind::Phone)
            .unwrap_or_default()
            .to_string(),
        address_lines: address_lines(debtor.contact(ContactKind::Address).unwrap_or_default()),
    };
    let notice_days = setting(tx, settings::NOTICE_DAYS)
        .await?
        .parse::<i64>()
        .unwrap_or(8)
        .clamp(1, 90);
    let deadline = as_of
        .checked_add(jiff::Span::new().days(notice_days))
        .map_err(|e| CommsError::Invalid(e.to_string()))?;
    ctx.deadline = fmt::long_date(deadline, lang);
    ctx.deadline_days = notice_days;

    // The forms the message is issued in, and what each requires (app::issuing): a
    // formal notice previewed is judged as the registered letter it will be.
    let registered_letter = registered(channels) || name.starts_with("formal_notice");
    let mut forms = Vec::new();
    if registered_letter {
        forms.push(Form::RegisteredLetter);
    } else if channels.contains(Channel::Letter) {
        forms.push(Form::Letter);
    }
    if channels.contains(Channel::Email) {
        forms.push(Form::Email);
    }
    // Figures the law engine could not compute (a rate unknown): they refuse an issued
    // message claiming them, and a preview says "not computed". A figure resting on a
    // rate to confirm is marked as such wherever it shows (docs/templates.md).
    let mut uncomputed: Vec<Missing> = Vec::new();
    let mut unconfirmed = false;

    // Claims, with the law engine's figures when this message claims penalties.
    let mut warnings = Vec::new();
    let mut claims = Vec::new();
    let mut rfs = Vec::new();
    let (mut open_t, mut interest_t, mut indemnity_t): (
        Option<Money>,
        Option<Money>,
        Option<Money>,
    ) = (None, None, None);
    let add = |acc: &mut Option<Money>, m: Money| -> Result<(), CommsError> {
        *acc = Some(match acc {
            None => m,
            Some(a) => a
                .checked_add(m)
                .map_err(|e| CommsError::Invalid(e.to_string()))?,
        });
        Ok(())
    };
    // The creditor's country and terms, the debtor's notices: read once for the letter.
    let law = app::law::DebtorLaw::load(tx, &debtor).await?;
    for id in &claim_ids {
        let detail = app::queries::claim_detail(tx, *id, as_of).await?;
        let p = law.penalties(tx, &detail, as_of, &comms.rates).await?;
        // Paid on the title: payments imputed on interest and the indemnity first (C. civ.
        // 1343-1) are not counted here; those charges show what is still due of them.
        let paid = detail
            .principal
            .checked_sub(p.open_parts.principal)
            .map_err(|e| CommsError::Invalid(e.to_string()))?;
        let rf = app::payments::rf_reference(&detail.claim).unwrap_or_default();
        rfs.push(rf.clone());
        // Interest on a consumer's debt runs only from the formal notice's receipt (C. civ.
        // 1344-1): the law engine says when it starts; before that a letter claims none.
        let claim_interest = penalties
            && !matches!(
                p.interest_start,
                None | Some(domain::law::InterestStart::NotYet { .. })
            );
        let interest_since = match (&p.interest_start, claim_interest) {
            (Some(start), true) => start.date().map(|d| fmt::date(d, lang)).unwrap_or_default(),
            _ => String::new(),
        };
        let (interest, interest_rate) = match (&p.interest, claim_interest) {
            (Ok(b), true) => {
                // What is still owed of it: posted and unpaid, plus computed and not posted.
                let due = p.interest_due();
                add(&mut interest_t, due)?;
                let rates: Vec<Decimal> = b.periods.iter().map(|x| x.annual_rate).collect();
                let mut figure = fmt::money(due, lang);
                for w in &b.warnings {
                    let (en, fr) = to_confirm(&detail.claim.number.to_string(), w);
                    warnings.push(domain::lang::tr(&en, &fr));
                }
                if !b.warnings.is_empty() {
                    unconfirmed = true;
                    figure.push_str(match lang {
                        Lang::Fr => " (taux à confirmer)",
                        Lang::En => " (rate to be confirmed)",
                    });
                }
                (figure, rate_text(&rates, lang))
            }
            (Err(why), true) => {
                warnings.push(format!("{}: {why}", detail.claim.number));
                uncomputed.push(Missing::Figure {
                    en: format!(
                        "the late interest of claim {}, which cannot be computed ({why})",
                        detail.claim.number
                    ),
                    fr: format!(
                        "les intérêts de retard de la créance {}, incalculables ({why})",
                        detail.claim.number
                    ),
                });
                (not_computed(lang).to_string(), String::new())
            }
            (_, false) => (String::new(), String::new()),
        };
        let indemnity = match (&p.indemnity, penalties) {
            (Some(i), true) => {
                let due = if i.amount.currency() == p.open.currency() {
                    p.indemnity_due()
                } else {
                    i.amount
                };
                add(&mut indemnity_t, due)?;
                fmt::money(due, lang)
            }
            _ => String::new(),
        };
        // The balance on the title; interest and indemnity posted to the ledger show in
        // their own columns when this message claims them, never twice.
        let open = if penalties {
            let mut open = p.principal_due().minor();
            if !claim_interest || p.interest.is_err() {
                open += p.open_parts.interest.minor();
            }
            if p.indemnity.is_none() {
                open += p.open_parts.indemnity.minor();
            }
            Money::from_minor(open, detail.open.currency())
        } else {
            detail.open
        };
        add(&mut open_t, open)?;
        claims.push(ClaimCtx {
            number: detail.claim.number.to_string(),
            issue_date: fmt::date(detail.claim.issue_date, lang),
            due_date: fmt::date(detail.claim.due_date, lang),
            days_late: detail.claim.days_past_due(as_of),
            amount: fmt::money(detail.principal, lang),
            paid: fmt::money(paid, lang),
            open: fmt::money(open, lang),
            interest,
            interest_rate,
            interest_since,
            indemnity,
            rf,
        });
    }
    let zero = Money::zero(domain::Currency::EUR);
    let open_m = open_t.unwrap_or(zero);
    let interest_m = interest_t.unwrap_or(Money::zero(open_m.currency()));
    let indemnity_m = indemnity_t.unwrap_or(Money::zero(open_m.currency()));
    let mut due_m = open_m;
    for m in [interest_m, indemnity_m] {
        // An indemnity in euros on a claim in another currency cannot be summed: the
        // total then leaves it out, and the table shows it apart.
        if let Ok(sum) = due_m.checked_add(m) {
            due_m = sum;
        }
    }
    ctx.totals = TotalsCtx {
        open: fmt::money(open_m, lang),
        interest: fmt::money(interest_m, lang),
        indemnity: fmt::money(indemnity_m, lang),
        due: fmt::money(due_m, lang),
    };
    if unconfirmed {
        let mark = match lang {
            Lang::Fr => " (taux à confirmer)",
            Lang::En => " (rate to be confirmed)",
        };
        ctx.totals.interest.push_str(mark);
        ctx.totals.due.push_str(mark);
    }
    if !uncomputed.is_empty() {
        // Never a silent zero: the preview says the interest is not computed.
        ctx.totals.interest = not_computed(lang).to_string();
        ctx.totals.due.push_str(match lang {
            Lang::Fr => " (hors intérêts non calculés)",
            Lang::En => " (excluding interest not computed)",
        });
    }

    // Refuse what may not be issued, naming everything it lacks.
    let mut missing: Vec<Missing> = Vec::new();
    for form in &forms {
        for m in app::issuing::missing(*form, &facts, &debtor) {
            if !missing.contains(&m) {
                missing.push(m);
            }
        }
    }
    if registered_letter && claims.is_empty() {
        missing.push(Missing::Claims);
    }
    // What the letter of this message would lack, should it be printed (a preview's PDF).
    let letter_form = if registered_letter {
        Form::RegisteredLetter
    } else {
        Form::Letter
    };
    let letter_missing = {
        let mut m = app::issuing::missing(letter_form, &facts, &debtor);
        if registered_letter && claims.is_empty() {
            m.push(Missing::Claims);
        }
        m.extend(uncomputed.iter().cloned());
        m
    };
    if let Some(form) = forms.first().copied() {
        missing.extend(uncomputed);
        if !missing.is_empty() {
            return Err(Refusal { form, missing }.into());
        }
    }
    ctx.claims = claims;
    ctx.payment = payment(tx, &debtor, &rfs).await?;
    // Claims assigned to a factor are paid to it (`app::financing`).
    if let Some(factor) = app::financing::factor_of_claims(tx, &claim_ids, as_of).await? {
        ctx.payment.pay_factor(&factor, lang);
    }
    ctx.plan = plan(tx, debtor_id, lang).await?;

    // Texts.
    let t = &comms.templates;
    let subject = t
        .render_part(&name, lang, Part::Subject, &ctx)?
        .unwrap_or_default();
    let mut text = t
        .render_part(&name, lang, Part::Text, &ctx)?
        .unwrap_or_default();
    // Agency mode: the first letter's reference and date recalled in every later message
    // (CPCE R124-4).
    let recall = agency_recall(tx, &debtor, action_id, lang).await?;
    if let Some(r) = &recall {
        text = format!("{}\n\n{r}\n", text.trim_end());
    }
    #[derive(Serialize)]
    struct WithBody<'a> {
        #[serde(flatten)]
        ctx: &'a MessageContext,
        subject: &'a str,
        paragraphs: Vec<&'a str>,
    }
    let with_body = WithBody {
        ctx: &ctx,
        subject: &subject,
        paragraphs: paragraphs(&text),
    };
    let html = match t.render_part(&name, lang, Part::Html, &with_body)? {
        Some(h) => h,
        None => t
            .render_part(LAYOUT, lang, Part::Html, &with_body)?
            .unwrap_or_default(),
    };
    let sms = t
        .render_part(&name, lang, Part::Sms, &ctx)?
        .map(|s| match &recall {
            Some(r) => format!("{} {r}", s.trim_end()),
            None => s,
        });
    if channels.contains(Channel::Sms) && sms.is_none() {
        return Err(TemplatesError::MissingPart {
            name,
            lang,
            part: Part::Sms,
        }
        .into());
    }
    let letter = match t.render_part(&name, lang, Part::Letter, &ctx)? {
        Some(l) => match &recall {
            Some(r) => format!("{}\n\n{r}\n", l.trim_end()),
            None => l,
        },
        None => text.clone(),
    };
    let mut letter_data = letter_of(&ctx, lang, &subject, &letter, registered_letter);
    if name.starts_with("agency_letter") && !ctx.agency.name.is_empty() {
        // The agency writes in its own name (CPCE R124-4 1°).
        letter_data.sender = Block {
            name: ctx.agency.name.clone(),
            lines: ctx.agency.address_lines.clone(),
        };
        letter_data.sender_contact = [&ctx.agency.phone, &ctx.agency.email]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
    }
    let recipient = Recipient {
        name: debtor.name.clone(),
        email: debtor.contact(ContactKind::Email).map(str::to_string),
        phone: debtor.contact(ContactKind::Phone).map(str::to_string),
        address_lines: ctx.debtor.address_lines.clone(),
    };
    let sender = Recipient {
        name: ctx.sender.name.clone(),
        email: Some(if ctx.collector.email.is_empty() {
            ctx.sender.email.clone()
        } else {
            ctx.collector.email.clone()
        })
        .filter(|e| !e.is_empty()),
        phone: Some(ctx.sender.phone.clone()).filter(|p| !p.is_empty()),
        address_lines: ctx.sender.address_lines.clone(),
    };
    Ok(Composed {
        action_id,
        template: name,
        lang,
        channels: channels.iter().map(|c| c.as_str().to_string()).collect(),
        reference: ctx.reference.clone(),
        total_claimed: ctx.totals.due.clone(),
        recipient,
        sender,
        subject,
        text,
        html,
        sms,
        letter,
        attachments: Vec::new(),
        warnings,
        letter_refusal: (!letter_missing.is_empty()).then_some(Refusal {
            form: letter_form,
            missing: letter_missing,
        }),
        letter_data,
    })
}

/// The claims a preview of template `name` demands, by the run's rule
/// ([`domain::dunning::Window`]), so that no letter demands what the run would not: open,
/// not under an open dispute, and overdue on the day — or, for a template a step sends
/// before the due date, falling due within that step's lead time.
async fn preview_claims(
    tx: &mut dyn Tx,
    name: &str,
    debtor: DebtorId,
    as_of: Date,
) -> Result<Vec<ClaimId>, CommsError> {
    let scenarios = app::scenarios::current(tx).await?;
    let lead = scenarios
        .scenarios()
        .iter()
        .flat_map(|s| s.steps())
        .filter(|step| step.is_pre_due() && &*step.template == name)
        .map(|step| -step.offset_days)
        .max();
    Ok(app::agreements::demandable_claims(tx, debtor, as_of, lead).await?)
}

/// What an interest figure shows when the law engine could not compute it.
fn not_computed(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "non calculés (taux inconnu)",
        Lang::En => "not computed (rate unknown)",
    }
}

/// A claim's interest resting on a rate whose figure should be confirmed, in English and
/// in French.
fn to_confirm(number: &str, w: &domain::law::RateWarning) -> (String, String) {
    (
        format!(
            "the interest of claim {number} rests on the rate {} from {} ({} %, {}: {}), to confirm (a rates file, --rates-dir)",
            w.series,
            w.from,
            w.rate.normalize(),
            w.status.as_str(),
            w.source
        ),
        format!(
            "les intérêts de la créance {number} reposent sur le taux {} du {} ({} %, {} : {}), à confirmer (fichier de taux, --rates-dir)",
            w.series,
            w.from,
            w.rate.normalize(),
            w.status.as_str(),
            w.source
        ),
    )
}

/// The paragraphs of a text: blocks separated by blank lines, lines inside joined.
fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The line that recalls an agency's first letter to the debtor (its reference and date,
/// CPCE R124-4) in every later message; `None` before that letter went out, and for the
/// letter itself.
async fn agency_recall(
    tx: &mut dyn Tx,
    debtor: &Debtor,
    action_id: Option<i64>,
    lang: Lang,
) -> Result<Option<String>, CommsError> {
    let actions = tx
        .actions(&app::store::ActionFilter {
            statuses: app::store::ActionStatus::WENT_OUT.to_vec(),
            debtor: Some(debtor.id),
            limit: None,
        })
        .await?;
    let Some(first) = actions
        .iter()
        .filter(|a| a.template.starts_with("agency_letter"))
        .min_by_key(|a| a.id)
    else {
        return Ok(None);
    };
    if action_id.is_some_and(|id| id <= first.id) {
        return Ok(None);
    }
    let reference = format!("{}-{}", debtor.external_id, first.id);
    let on = fmt::long_date(first.created_on, lang);
    Ok(Some(match lang {
        Lang::En => format!("Our letter of {on}, reference {reference}."),
        Lang::Fr => format!("Rappel : notre courrier du {on}, référence {reference}."),
    }))
}

/// Where to pay: the creditor's account from its SEPA identity, and the reference to
/// quote — the claim's RF reference when the message is about one claim, else an RF
/// reference built from the debtor's customer reference.
async fn payment(
    tx: &mut dyn Tx,
    debtor: &Debtor,
    rfs: &[String],
) -> Result<PaymentCtx, CommsError> {
    let reference = match rfs {
        [one] if !one.is_empty() => one.clone(),
        _ => app::payments::debtor_rf_reference(debtor).unwrap_or_default(),
    };
    // The creditor's account, or the agency's client-funds account for a placed file.
    let (beneficiary, iban, bic) = app::agency::payee(tx, debtor).await?;
    Ok(PaymentCtx {
        beneficiary,
        iban: if iban.is_empty() {
            iban
        } else {
            fmt::grouped(&iban)
        },
        bic,
        reference: fmt::grouped(&reference),
        ..PaymentCtx::default()
    })
}

async fn plan(tx: &mut dyn Tx, debtor: DebtorId, lang: Lang) -> Result<PlanCtx, CommsError> {
    let rows = tx
        .agreements(&app::store::AgreementFilter {
            kind: Some(AgreementKind::Plan),
            debtor: Some(debtor),
            ..Default::default()
        })
        .await?;
    let Some(row) = rows.iter().max_by_key(|r| r.id) else {
        return Ok(PlanCtx::default());
    };
    let Ok(p) = serde_json::from_str::<Plan>(&row.body) else {
        return Ok(PlanCtx::default());
    };
    let mut total = Money::zero(p.currency);
    for i in &p.instalments {
        total = total
            .checked_add(i.amount)
            .map_err(|e| CommsError::Invalid(e.to_string()))?;
    }
    Ok(PlanCtx {
        exists: true,
        agreed_on: fmt::long_date(p.agreed_on, lang),
        total: fmt::money(total, lang),
        count: p.instalments.len(),
        instalments: p
            .instalments
            .iter()
            .map(|i| InstalmentCtx {
                due: fmt::date(i.due, lang),
                amount: fmt::money(i.amount, lang),
            })
            .collect(),
        status: row.status.clone(),
    })
}

struct Labels {
    headers: [&'static str; 9],
    total: &'static str,
    payment_title: &'static str,
    transfer: &'static str,
    reference: &'static str,
    our_ref: &'static str,
    your_ref: &'static str,
    registered: &'static str,
    subject: &'static str,
    date_prefix: &'static str,
}

const FR: Labels = Labels {
    headers: [
        "Facture",
        "Date",
        "Échéance",
        "Jours de retard",
        "Montant TTC",
        "Réglé",
        "Reste dû",
        "Intérêts",
        "Indemnité",
    ],
    total: "Total",
    payment_title: "Règlement par virement",
    transfer: "Bénéficiaire",
    reference: "Référence à rappeler",
    our_ref: "Nos réf.",
    your_ref: "Votre compte client",
    registered: "Lettre recommandée avec accusé de réception",
    subject: "Objet",
    date_prefix: "le",
};

const EN: Labels = Labels {
    headers: [
        "Invoice",
        "Date",
        "Due",
        "Days late",
        "Amount",
        "Paid",
        "Balance",
        "Interest",
        "Indemnity",
    ],
    total: "Total",
    payment_title: "Payment by bank transfer",
    transfer: "Beneficiary",
    reference: "Reference to quote",
    our_ref: "Our ref.",
    your_ref: "Your customer account",
    registered: "Registered letter with acknowledgment of receipt",
    subject: "Subject",
    date_prefix: "",
};

/// The typesetting data of a message's letter.
fn letter_of(
    ctx: &MessageContext,
    lang: Lang,
    subject: &str,
    body: &str,
    registered: bool,
) -> Letter {
    let l = match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    };
    let dash = || "—".to_string();
    let or_dash = |s: &str| if s.is_empty() { dash() } else { s.to_string() };
    let rows: Vec<Vec<String>> = ctx
        .claims
        .iter()
        .map(|c| {
            vec![
                c.number.clone(),
                c.issue_date.clone(),
                c.due_date.clone(),
                c.days_late.max(0).to_string(),
                c.amount.clone(),
                c.paid.clone(),
                c.open.clone(),
                or_dash(&c.interest),
                or_dash(&c.indemnity),
            ]
        })
        .collect();
    let table = (!rows.is_empty()).then(|| Table {
        headers: l.headers.iter().map(|h| (*h).to_string()).collect(),
        rows,
        totals: vec![
            l.total.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            ctx.totals.open.clone(),
            if ctx.penalties && ctx.debtor.b2b {
                ctx.totals.interest.clone()
            } else {
                dash()
            },
            if ctx.penalties && ctx.debtor.b2b {
                ctx.totals.indemnity.clone()
            } else {
                dash()
            },
        ],
    });
    let mut payment = Vec::new();
    if !ctx.payment.iban.is_empty() {
        let beneficiary = if ctx.payment.beneficiary.is_empty() {
            &ctx.sender.name
        } else {
            &ctx.payment.beneficiary
        };
        payment.push(
            format!("{} : {beneficiary}", l.transfer)
                .replace(" :", if lang == Lang::En { ":" } else { "\u{a0}:" }),
        );
        let mut account = format!("IBAN {}", ctx.payment.iban);
        if !ctx.payment.bic.is_empty() {
            account.push_str(&format!(" — BIC {}", ctx.payment.bic));
        }
        payment.push(account);
    }
    if !ctx.payment.mention.is_empty() {
        payment.push(ctx.payment.mention.clone());
    }
    if !ctx.payment.reference.is_empty() {
        payment.push(match lang {
            Lang::Fr => format!("{}\u{a0}: {}", l.reference, ctx.payment.reference),
            Lang::En => format!("{}: {}", l.reference, ctx.payment.reference),
        });
    }
    let colon = if lang == Lang::Fr { "\u{a0}:" } else { ":" };
    let place = if ctx.sender.city.is_empty() {
        String::new()
    } else {
        format!("{}, ", ctx.sender.city)
    };
    let place_date = match lang {
        Lang::Fr => format!("{place}{} {}", l.date_prefix, ctx.today),
        Lang::En => format!("{place}{}", ctx.today),
    };
    let mut sender_contact = Vec::new();
    for (label, value) in [
        (
            if lang == Lang::Fr { "Tél." } else { "Tel." },
            &ctx.sender.phone,
        ),
        ("", &ctx.sender.email),
        ("", &ctx.sender.company_id),
    ] {
        if !value.is_empty() {
            sender_contact.push(if label.is_empty() {
                value.clone()
            } else {
                format!("{label} {value}")
            });
        }
    }
    let mut footer = ctx.sender.name.clone();
    if !ctx.sender.company_id.is_empty() {
        footer.push_str(&format!(" — {}", ctx.sender.company_id));
    }
    footer.push_str(&format!(" — {} {}", l.our_ref, ctx.reference));
    Letter {
        lang: lang.code().into(),
        sender: Block {
            name: ctx.sender.name.clone(),
            lines: ctx.sender.address_lines.clone(),
        },
        sender_contact,
        recipient: Block {
            name: ctx.debtor.name.clone(),
            lines: ctx.debtor.address_lines.clone(),
        },
        mention: registered.then(|| l.registered.to_string()),
        place_date,
        references: vec![
            format!("{}{colon} {}", l.our_ref, ctx.reference),
            format!("{}{colon} {}", l.your_ref, ctx.debtor.reference),
        ],
        subject: format!("{}{colon} {subject}", l.subject),
        paragraphs: paragraphs(body).into_iter().map(str::to_string).collect(),
        table,
        payment_title: l.payment_title.into(),
        payment,
        footer,
    }
}

/// The delivery worker's composer ([`app::outbox::Composer`]): the message of an outbox
/// entry is its action's, composed by [`compose_action`] as of the day the action was
/// decided (the amounts the action claimed), in the channel's form: the SMS part for an
/// SMS, subject, text, HTML and the letter PDF for an e-mail.
#[derive(Debug)]
pub struct OutboxComposer {
    pub store: std::sync::Arc<dyn Store>,
    pub comms: Comms,
}

#[async_trait::async_trait]
impl app::outbox::Composer for OutboxComposer {
    async fn compose(
        &self,
        entry: &app::store::OutboxEntry,
    ) -> Result<app::outbox::Composed, app::outbox::ComposeError> {
        let composed = compose_action(self.store.as_ref(), &self.comms, entry.action_id, None)
            .await
            .map_err(|e| app::outbox::ComposeError(e.to_string()))?;
        if entry.channel == Channel::Sms {
            let text = composed.sms.ok_or_else(|| {
                // Stored in the outbox, read later in either language: both.
                app::outbox::ComposeError(format!(
                    "template {} has no SMS part / le modèle {} n'a pas de texte SMS",
                    composed.template, composed.template
                ))
            })?;
            return Ok(app::outbox::Composed {
                subject: composed.subject,
                text,
                html: None,
                attachments: Vec::new(),
            });
        }
        Ok(app::outbox::Composed {
            subject: composed.subject,
            text: composed.text,
            html: Some(composed.html).filter(|h| !h.trim().is_empty()),
            attachments: composed
                .attachments
                .into_iter()
                .map(|a| app::outbox::Attachment {
                    filename: a.filename,
                    content_type: a.content_type,
                    bytes: a.bytes,
                })
                .collect(),
        })
    }
}
