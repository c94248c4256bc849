//! Personal data (GDPR): what Recouvre holds on one debtor, how long the law lets it keep
//! it, and its erasure by pseudonymisation once that time has run.
//!
//! - **Export** ([`export`]): everything held on one debtor, for an access request (GDPR
//!   art 15), as one JSON document of a stable structure ([`PersonalData`], format
//!   [`EXPORT_FORMAT`]) that the faces also typeset as a PDF. Audited `gdpr.export`.
//! - **Retention** ([`Retention`]): the active file lasts until the case is closed; then
//!   the intermediate archive for the limitation period (5 years between traders, C. com.
//!   L110-4; 2 years against a consumer, C. consom. L218-2); and the accounting documents
//!   10 years from the close of the financial year (C. com. L123-22). Stored once for the
//!   installation (settings `gdpr_retention_*`): the periods come from the law, not from
//!   a creditor's choice, and B2B/B2C already tells the two limitation periods apart. An
//!   admin may shorten a limitation archive (keeping data no longer than needed, art
//!   5(1)(e)) but never lengthen it beyond the law, nor shorten the accounting retention
//!   (a legal obligation, art 6(1)(c), which art 17(3)(b) puts before erasure).
//! - **What is due** ([`assess_all`], [`due`]): a debtor whose claims are all closed,
//!   with nothing open around them (agreements, legal proceedings, messages in flight, a
//!   credit owed to it, a co-debtor's open claim), once both periods have run as of the
//!   day asked for. The daily job ([`propose_due`]) records each as a `proposed` erasure
//!   request; an admin's approval ([`approve`]) erases it at once.
//! - **Erasure** ([`erase`]): one transaction replaces every personal field of the debtor
//!   by its pseudonym `ERASED-<id>-<8 hex>` or by nothing (see
//!   [`crate::store::DebtorErasure`]), keeping ids, amounts, dates and statuses, so that
//!   the aged balance, the KPIs and the audit trail stay true to the cent. A debtor that
//!   is not due is refused with the reasons: there is no override, because while any
//!   period runs the law requires the data (accounting) or allows keeping it (limitation),
//!   and art 17(3)(b) and (e) then take precedence over a request to erase. Audited
//!   `gdpr.erase`, with no erased value in the entry.

use crate::audit::{self, Actor};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{
    ActionFilter, AgreementFilter, AgreementKind, AuditEntry, CallOutcome, ClaimParty,
    DebtorCredit, DebtorErasure, ErasureFilter, ErasureRequest, ErasureState, LimitationEventKind,
    NoteKind, OutboxFilter, OutboxStatus, PaymentFilter, Store, StoredAction, StoredCase,
    StoredLimitationEvent, StoredNotice, Tx,
};
use domain::date::{date_of_day, day_number};
use domain::lang::{self, Lang};
use domain::{ClaimId, ClaimLedger, Date, Debtor, DebtorId, LedgerEntry, Money, Segment};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The `format` of an export: its structure is stable within a version.
pub const EXPORT_FORMAT: &str = "recouvre.personal-data/1";

/// Settings keys of the retention periods.
pub const B2B_YEARS: &str = "gdpr_retention_b2b_years";
pub const B2C_YEARS: &str = "gdpr_retention_b2c_years";
pub const ACCOUNTING_YEARS: &str = "gdpr_retention_accounting_years";
pub const YEAR_END: &str = "gdpr_financial_year_end";

/// The shortest value a personal value must have to be looked for in free texts: shorter
/// strings (a two-letter label) would match unrelated words.
const MIN_NEEDLE: usize = 4;

/// A text in the language asked, or both ("English / français") when none is.
fn say(lang: Option<Lang>, en: String, fr: String) -> String {
    match lang {
        Some(Lang::En) => en,
        Some(Lang::Fr) => fr,
        None => format!("{en} / {fr}"),
    }
}

// ---------------------------------------------------------------------------------------
// Retention

/// The retention periods in force (domain rules §10), whole years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Retention {
    /// Intermediate archive after closure, business debtors (limitation, C. com. L110-4).
    pub b2b_years: i16,
    /// Intermediate archive after closure, consumers (limitation, C. consom. L218-2).
    pub b2c_years: i16,
    /// Accounting documents, from the close of the financial year (C. com. L123-22).
    pub accounting_years: i16,
    /// The financial year's last day, month and day (`12-31`).
    pub year_end: (i8, i8),
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            b2b_years: 5,
            b2c_years: 2,
            accounting_years: 10,
            year_end: (12, 31),
        }
    }
}

/// The bounds the law puts on each period: at most the limitation period (keeping longer
/// has no basis), at least the accounting obligation.
const B2B_MAX: i16 = 5;
const B2C_MAX: i16 = 2;
const ACCOUNTING_MIN: i16 = 10;
const ACCOUNTING_MAX: i16 = 30;

impl Retention {
    /// The limitation archive of a segment.
    pub fn limitation_years(&self, segment: Segment) -> i16 {
        match segment {
            Segment::B2b => self.b2b_years,
            Segment::B2c => self.b2c_years,
        }
    }

    /// The close of the financial year that holds `day`: the first year end on or after it.
    pub fn year_end_of(&self, day: Date) -> Date {
        let (m, d) = self.year_end;
        let this_year = Date::new(day.year(), m, d)
            .unwrap_or_else(|_| Date::new(day.year(), m, 28).unwrap_or(day));
        if this_year >= day {
            this_year
        } else {
            add_years(this_year, 1)
        }
    }

    /// `MM-DD` of the year end.
    pub fn year_end_text(&self) -> String {
        format!("{:02}-{:02}", self.year_end.0, self.year_end.1)
    }
}

/// `day` plus whole years (29 February becomes 28 February).
fn add_years(day: Date, years: i16) -> Date {
    day.checked_add(jiff::Span::new().years(years))
        .unwrap_or(day)
}

fn next_day(day: Date) -> Date {
    date_of_day(day_number(day) + 1).unwrap_or(day)
}

/// One retention setting as shown: its key, value, bounds and legal basis in both
/// languages.
#[derive(Debug, Clone, Serialize)]
pub struct RetentionRule {
    pub key: &'static str,
    pub value: String,
    pub default: String,
    pub label_en: &'static str,
    pub label_fr: &'static str,
    pub basis_en: &'static str,
    pub basis_fr: &'static str,
}

impl RetentionRule {
    pub fn label(&self, lang: Option<Lang>) -> String {
        say(lang, self.label_en.into(), self.label_fr.into())
    }
    pub fn basis(&self, lang: Option<Lang>) -> String {
        say(lang, self.basis_en.into(), self.basis_fr.into())
    }
}

/// The lawful basis of the active file (not a setting: it lasts until the case closes).
pub const ACTIVE_FILE_EN: &str = "Active file until the case is closed: performance of the contract and legitimate interest in recovering the debt (GDPR art 6(1)(b) and (f)); no consent needed; CNIL délibération 2021-130 (unpaid debts).";
pub const ACTIVE_FILE_FR: &str = "Base active jusqu'à la clôture du dossier : exécution du contrat et intérêt légitime au recouvrement de la créance (RGPD art. 6.1.b et f) ; sans consentement ; CNIL délibération 2021-130 (gestion des impayés).";

/// The retention settings with their legal basis, for the settings page and the CLI.
pub fn rules(r: &Retention) -> Vec<RetentionRule> {
    let d = Retention::default();
    vec![
        RetentionRule {
            key: "b2b",
            value: r.b2b_years.to_string(),
            default: d.b2b_years.to_string(),
            label_en: "Archive after closure, business debtors (years, at most 5)",
            label_fr: "Archive après clôture, débiteurs professionnels (années, 5 au plus)",
            basis_en: "Intermediate archive for the limitation period of commercial claims, 5 years (C. com. L110-4, C. civ. 2224): legitimate interest in establishing or defending legal claims (GDPR art 6(1)(f)).",
            basis_fr: "Archivage intermédiaire pendant la prescription des créances commerciales, 5 ans (C. com. L110-4, C. civ. 2224) : intérêt légitime à constater ou défendre des droits en justice (RGPD art. 6.1.f).",
        },
        RetentionRule {
            key: "b2c",
            value: r.b2c_years.to_string(),
            default: d.b2c_years.to_string(),
            label_en: "Archive after closure, consumers (years, at most 2)",
            label_fr: "Archive après clôture, consommateurs (années, 2 au plus)",
            basis_en: "Intermediate archive for the limitation period of a professional's action against a consumer, 2 years (C. consom. L218-2): legitimate interest (GDPR art 6(1)(f)).",
            basis_fr: "Archivage intermédiaire pendant la prescription de l'action d'un professionnel contre un consommateur, 2 ans (C. consom. L218-2) : intérêt légitime (RGPD art. 6.1.f).",
        },
        RetentionRule {
            key: "accounting",
            value: r.accounting_years.to_string(),
            default: d.accounting_years.to_string(),
            label_en: "Accounting documents, from the financial year's close (years, at least 10)",
            label_fr: "Pièces comptables, depuis la clôture de l'exercice (années, 10 au moins)",
            basis_en: "Accounting documents are kept 10 years from the close of the financial year (C. com. L123-22): legal obligation (GDPR art 6(1)(c)). After erasure the ledger's amounts and dates stay; only personal fields are pseudonymised.",
            basis_fr: "Les pièces comptables sont conservées 10 ans à compter de la clôture de l'exercice (C. com. L123-22) : obligation légale (RGPD art. 6.1.c). Après l'effacement, les montants et dates du grand livre restent ; seules les données personnelles sont pseudonymisées.",
        },
        RetentionRule {
            key: "year-end",
            value: r.year_end_text(),
            default: d.year_end_text(),
            label_en: "Close of the financial year (MM-DD)",
            label_fr: "Clôture de l'exercice (MM-JJ)",
            basis_en: "The accounting retention runs from the close of the financial year holding the debtor's last ledger entry.",
            basis_fr: "La conservation comptable court depuis la clôture de l'exercice qui contient la dernière écriture du débiteur.",
        },
    ]
}

/// The retention periods stored (the defaults for those never set).
pub async fn retention(tx: &mut dyn Tx) -> AppResult<Retention> {
    let mut r = Retention::default();
    let years = |v: Option<String>, key: &str, default: i16| -> AppResult<i16> {
        v.map_or(Ok(default), |v| {
            v.parse::<i16>()
                .map_err(|_| AppError::Invalid(format!("setting {key}: {v:?} is not a number")))
        })
    };
    r.b2b_years = years(tx.setting(B2B_YEARS).await?, B2B_YEARS, r.b2b_years)?;
    r.b2c_years = years(tx.setting(B2C_YEARS).await?, B2C_YEARS, r.b2c_years)?;
    r.accounting_years = years(
        tx.setting(ACCOUNTING_YEARS).await?,
        ACCOUNTING_YEARS,
        r.accounting_years,
    )?;
    if let Some(v) = tx.setting(YEAR_END).await? {
        r.year_end = parse_year_end(&v)?;
    }
    Ok(r)
}

fn parse_year_end(v: &str) -> AppResult<(i8, i8)> {
    let bad = || {
        AppError::Invalid(domain::tr!(
            "year end: {v:?} is not a month and day (MM-DD, e.g. 12-31)",
            "clôture : {v:?} n'est pas un mois et un jour (MM-JJ, p. ex. 12-31)"
        ))
    };
    let (m, d) = v.trim().split_once('-').ok_or_else(bad)?;
    let m: i8 = m.parse().map_err(|_| bad())?;
    let d: i8 = d.parse().map_err(|_| bad())?;
    // 2001 is not a leap year: 02-29 is refused, as a year end every year must have.
    Date::new(2001, m, d).map_err(|_| bad())?;
    Ok((m, d))
}

/// A change of the retention settings; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RetentionChange {
    pub b2b_years: Option<i16>,
    pub b2c_years: Option<i16>,
    pub accounting_years: Option<i16>,
    /// `MM-DD`.
    pub year_end: Option<String>,
}

impl RetentionChange {
    pub fn is_empty(&self) -> bool {
        self.b2b_years.is_none()
            && self.b2c_years.is_none()
            && self.accounting_years.is_none()
            && self.year_end.is_none()
    }
}

/// Changes the retention settings within the law's bounds, audited `gdpr.retention`.
pub async fn set_retention(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    change: &RetentionChange,
) -> AppResult<Retention> {
    let check = |v: Option<i16>, lo: i16, hi: i16, what_en: &str, what_fr: &str| match v {
        Some(n) if !(lo..=hi).contains(&n) => Err(AppError::Invalid(domain::tr!(
            "{what_en}: {n} years is outside {lo} to {hi} (the law's bounds)",
            "{what_fr} : {n} ans est hors de {lo} à {hi} (les bornes de la loi)"
        ))),
        _ => Ok(()),
    };
    check(
        change.b2b_years,
        0,
        B2B_MAX,
        "business archive",
        "archive professionnels",
    )?;
    check(
        change.b2c_years,
        0,
        B2C_MAX,
        "consumer archive",
        "archive consommateurs",
    )?;
    check(
        change.accounting_years,
        ACCOUNTING_MIN,
        ACCOUNTING_MAX,
        "accounting retention",
        "conservation comptable",
    )?;
    let year_end = change.year_end.as_deref().map(parse_year_end).transpose()?;
    let mut tx = store.begin().await?;
    let before = retention(tx.as_mut()).await?;
    let mut after = before;
    if let Some(n) = change.b2b_years {
        after.b2b_years = n;
        tx.set_setting(B2B_YEARS, &n.to_string()).await?;
    }
    if let Some(n) = change.b2c_years {
        after.b2c_years = n;
        tx.set_setting(B2C_YEARS, &n.to_string()).await?;
    }
    if let Some(n) = change.accounting_years {
        after.accounting_years = n;
        tx.set_setting(ACCOUNTING_YEARS, &n.to_string()).await?;
    }
    if let Some(ye) = year_end {
        after.year_end = ye;
        tx.set_setting(YEAR_END, &after.year_end_text()).await?;
    }
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "gdpr.retention",
        "settings:retention",
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

// ---------------------------------------------------------------------------------------
// What is due for erasure

/// Why a debtor's data cannot be erased yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "blocker", rename_all = "snake_case")]
pub enum Blocker {
    /// No claim: nothing dates the retention.
    NoClaims,
    /// A claim still open (or in credit).
    OpenClaim { claim: ClaimId },
    /// A credit the creditor owes the debtor (an over-payment not refunded).
    CreditOwed { amount: Money },
    /// A promise, plan or dispute still running.
    OpenAgreement { kind: AgreementKind, id: i64 },
    /// The debtor is a co-debtor or guarantor of another debtor's open claim.
    PartyToOpenClaim { claim: ClaimId },
    /// A court claim without its outcome, or a mediation not ended.
    LegalMatter { event: i64 },
    /// A legal file still open (issue 18): the procedure needs the debtor's identity.
    LegalFile { file: i64 },
    /// Messages queued or being sent (e-mail, SMS).
    InFlight { count: usize },
    /// A retention period runs until this day included.
    Retained { until: Date },
    /// Already erased.
    Erased,
}

impl Blocker {
    /// The reason, in `lang` (both languages when `None`).
    pub fn text(&self, lang: Option<Lang>) -> String {
        match self {
            Blocker::NoClaims => say(
                lang,
                "no claim: nothing dates the retention".into(),
                "aucune créance : rien ne date la conservation".into(),
            ),
            Blocker::OpenClaim { claim } => say(
                lang,
                format!("claim {claim} is open"),
                format!("la créance {claim} est ouverte"),
            ),
            Blocker::CreditOwed { amount } => say(
                lang,
                format!("a credit of {amount} is owed to the debtor"),
                format!("un avoir de {amount} est dû au débiteur"),
            ),
            Blocker::OpenAgreement { kind, id } => say(
                lang,
                format!("{} {id} is still open", kind.as_str()),
                format!("{} {id} est encore en cours", kind_fr(*kind)),
            ),
            Blocker::PartyToOpenClaim { claim } => say(
                lang,
                format!("co-debtor or guarantor of open claim {claim}"),
                format!("codébiteur ou caution de la créance ouverte {claim}"),
            ),
            Blocker::LegalMatter { event } => say(
                lang,
                format!("legal proceedings not ended (event {event})"),
                format!("procédure non terminée (événement {event})"),
            ),
            Blocker::LegalFile { file } => say(
                lang,
                format!("legal file {file} is open"),
                format!("le dossier contentieux {file} est ouvert"),
            ),
            Blocker::InFlight { count } => say(
                lang,
                format!("{count} message(s) queued or being sent"),
                format!("{count} message(s) en attente ou en cours d'envoi"),
            ),
            Blocker::Retained { until } => say(
                lang,
                format!("retention runs until {until} included"),
                format!("la conservation court jusqu'au {until} inclus"),
            ),
            Blocker::Erased => say(lang, "already erased".into(), "déjà effacé".into()),
        }
    }
}

fn kind_fr(kind: AgreementKind) -> &'static str {
    match kind {
        AgreementKind::Promise => "la promesse",
        AgreementKind::Plan => "l'échéancier",
        AgreementKind::Dispute => "le litige",
        AgreementKind::Mandate => "le mandat",
    }
}

/// Where one debtor stands against the retention rules on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub debtor: DebtorId,
    pub name: String,
    pub segment: Segment,
    /// The day the case closed: its last ledger entry or status change.
    pub closed_on: Option<Date>,
    /// The last day of the limitation archive (closure + the segment's years).
    pub limitation_until: Option<Date>,
    /// The last day of the accounting retention (the close of the financial year of the
    /// last ledger entry + the accounting years).
    pub accounting_until: Option<Date>,
    /// The first day the erasure is allowed (the day after both periods).
    pub due_on: Option<Date>,
    /// Empty: due.
    pub blockers: Vec<Blocker>,
}

impl Assessment {
    pub fn is_due(&self) -> bool {
        self.blockers.is_empty()
    }

    /// Why it is due, or why not, in `lang`.
    pub fn reason(&self, lang: Option<Lang>) -> String {
        if self.is_due() {
            let (Some(closed), Some(lim), Some(acc)) =
                (self.closed_on, self.limitation_until, self.accounting_until)
            else {
                return String::new();
            };
            return say(
                lang,
                format!(
                    "closed on {closed}; limitation archive until {lim}, accounting retention until {acc}"
                ),
                format!(
                    "clos le {closed} ; archive de prescription jusqu'au {lim}, conservation comptable jusqu'au {acc}"
                ),
            );
        }
        self.blockers
            .iter()
            .map(|b| b.text(lang))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// What the store holds around one debtor that decides whether it is due.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub claims: usize,
    /// Claims whose balance is not zero as of the day.
    pub open_claims: Vec<ClaimId>,
    /// The last ledger entry on or before the day.
    pub last_entry: Option<Date>,
    /// The last status change of an agreement or legal event.
    pub last_change: Option<Date>,
    pub credits: Vec<Money>,
    pub open_agreements: Vec<(AgreementKind, i64)>,
    pub party_to_open: Vec<ClaimId>,
    pub legal_matters: Vec<i64>,
    pub legal_files: Vec<i64>,
    pub in_flight: usize,
    pub erased: bool,
}

/// Decides whether a debtor's data may be erased on `as_of` (pure).
pub fn assess(debtor: &Debtor, facts: &Facts, retention: &Retention, as_of: Date) -> Assessment {
    let mut blockers = Vec::new();
    if facts.erased {
        blockers.push(Blocker::Erased);
    }
    if facts.claims == 0 {
        blockers.push(Blocker::NoClaims);
    }
    blockers.extend(
        facts
            .open_claims
            .iter()
            .map(|&claim| Blocker::OpenClaim { claim }),
    );
    blockers.extend(
        facts
            .credits
            .iter()
            .map(|&amount| Blocker::CreditOwed { amount }),
    );
    blockers.extend(
        facts
            .open_agreements
            .iter()
            .map(|&(kind, id)| Blocker::OpenAgreement { kind, id }),
    );
    blockers.extend(
        facts
            .party_to_open
            .iter()
            .map(|&claim| Blocker::PartyToOpenClaim { claim }),
    );
    blockers.extend(
        facts
            .legal_matters
            .iter()
            .map(|&event| Blocker::LegalMatter { event }),
    );
    blockers.extend(
        facts
            .legal_files
            .iter()
            .map(|&file| Blocker::LegalFile { file }),
    );
    if facts.in_flight > 0 {
        blockers.push(Blocker::InFlight {
            count: facts.in_flight,
        });
    }
    let closed_on = facts.last_entry.max(facts.last_change);
    let limitation_until =
        closed_on.map(|c| add_years(c, retention.limitation_years(debtor.segment)));
    let accounting_until = facts
        .last_entry
        .map(|e| add_years(retention.year_end_of(e), retention.accounting_years));
    let until = limitation_until.max(accounting_until);
    let due_on = until.map(next_day);
    if let Some(until) = until
        && as_of <= until
        && facts.open_claims.is_empty()
    {
        blockers.push(Blocker::Retained { until });
    }
    Assessment {
        debtor: debtor.id,
        name: debtor.name.clone(),
        segment: debtor.segment,
        closed_on,
        limitation_until,
        accounting_until,
        due_on,
        blockers,
    }
}

fn date_part(rfc3339: &str) -> Option<Date> {
    rfc3339.get(..10).and_then(|s| s.parse().ok())
}

/// The facts of every debtor (or of one), as of `as_of`, read in the caller's transaction.
pub async fn load_facts(
    tx: &mut dyn Tx,
    as_of: Date,
    only: Option<DebtorId>,
) -> AppResult<HashMap<DebtorId, Facts>> {
    let mut facts: HashMap<DebtorId, Facts> = HashMap::new();
    let keep = |d: DebtorId| only.is_none_or(|o| o == d);
    let book = tx.book(None).await?;
    let day = day_number(as_of);
    let mut open: std::collections::HashSet<ClaimId> = std::collections::HashSet::new();
    for c in book.claims() {
        let balance = book.open_minor(c, day);
        if balance != 0 {
            open.insert(c.id);
        }
        if !keep(c.debtor_id) {
            continue;
        }
        let f = facts.entry(c.debtor_id).or_default();
        f.claims += 1;
        if balance != 0 {
            f.open_claims.push(c.id);
        }
        let last = book
            .entries_of(c)
            .iter()
            .filter(|e| e.day <= day)
            .map(|e| e.day)
            .max()
            .and_then(date_of_day);
        f.last_entry = f.last_entry.max(last);
    }
    let mut credit: BTreeMap<(DebtorId, domain::money::Currency), i64> = BTreeMap::new();
    for c in tx.debtor_credits(only).await? {
        if c.date <= as_of {
            *credit
                .entry((c.debtor_id, c.amount.currency()))
                .or_default() += c.amount.minor();
        }
    }
    for ((d, cur), minor) in credit {
        if minor > 0 && keep(d) {
            facts
                .entry(d)
                .or_default()
                .credits
                .push(Money::from_minor(minor, cur));
        }
    }
    let agreements = tx
        .agreements(&AgreementFilter {
            debtor: only,
            ..AgreementFilter::default()
        })
        .await?;
    for a in agreements {
        let f = facts.entry(a.debtor_id).or_default();
        f.last_change = f.last_change.max(date_part(&a.updated_at));
        if a.kind != AgreementKind::Mandate
            && matches!(a.status.as_str(), "open" | "active" | "draft")
        {
            f.open_agreements.push((a.kind, a.id));
        }
    }
    for p in tx.claim_parties(&[]).await? {
        if open.contains(&p.claim_id) && keep(p.debtor_id) {
            facts
                .entry(p.debtor_id)
                .or_default()
                .party_to_open
                .push(p.claim_id);
        }
    }
    let mut events = tx.limitation_events(only).await?;
    events.sort_by_key(|e| (e.on, e.id));
    let mut pending_court: HashMap<(DebtorId, Option<ClaimId>), i64> = HashMap::new();
    for e in &events {
        let f = facts.entry(e.debtor_id).or_default();
        f.last_change = f.last_change.max(Some(e.on)).max(e.end);
        match e.kind {
            LimitationEventKind::CourtClaim => {
                pending_court.insert((e.debtor_id, e.claim_id), e.id);
            }
            LimitationEventKind::CourtClaimDismissed
            | LimitationEventKind::CourtClaimWithdrawn
            | LimitationEventKind::Judgment => {
                pending_court.remove(&(e.debtor_id, e.claim_id));
            }
            LimitationEventKind::Mediation if e.end.is_none() => f.legal_matters.push(e.id),
            _ => {}
        }
    }
    for ((d, _), id) in pending_court {
        facts.entry(d).or_default().legal_matters.push(id);
    }
    let files = tx
        .legal_files(&crate::store::LegalFileFilter {
            debtor: only,
            states: vec![crate::store::LegalFileState::Open],
            ..Default::default()
        })
        .await?;
    for file in files.into_iter().filter(|f| keep(f.debtor_id)) {
        let f = facts.entry(file.debtor_id).or_default();
        f.last_change = f.last_change.max(date_part(&file.updated_at));
        f.legal_files.push(file.id);
    }
    // Messages queued or being sent still carry the debtor's contacts to a provider. The
    // run's call tasks and stale drafts never go out by themselves: they do not hold an
    // erasure back.
    let queued = tx
        .outbox(&OutboxFilter {
            statuses: vec![OutboxStatus::Queued, OutboxStatus::Sending],
            ..OutboxFilter::default()
        })
        .await?;
    for o in queued.into_iter().filter(|o| keep(o.debtor_id)) {
        facts.entry(o.debtor_id).or_default().in_flight += 1;
    }
    let erased = tx
        .erasure_requests(&ErasureFilter {
            debtor: only,
            states: vec![ErasureState::Done],
            ..ErasureFilter::default()
        })
        .await?;
    for r in erased {
        facts.entry(r.debtor_id).or_default().erased = true;
    }
    for f in facts.values_mut() {
        f.legal_matters.sort_unstable();
        f.open_claims.sort_unstable();
    }
    Ok(facts)
}

/// Every debtor assessed on `as_of`, by id.
pub async fn assess_all(tx: &mut dyn Tx, as_of: Date) -> AppResult<Vec<Assessment>> {
    let retention = retention(tx).await?;
    let facts = load_facts(tx, as_of, None).await?;
    let empty = Facts::default();
    let mut debtors = tx.debtors(None).await?;
    debtors.sort_by_key(|d| d.id);
    Ok(debtors
        .iter()
        .map(|d| assess(d, facts.get(&d.id).unwrap_or(&empty), &retention, as_of))
        .collect())
}

/// One debtor assessed on `as_of`.
pub async fn assess_one(tx: &mut dyn Tx, debtor: DebtorId, as_of: Date) -> AppResult<Assessment> {
    let d = tx.debtor(debtor).await?.ok_or_else(|| not_found(debtor))?;
    let retention = retention(tx).await?;
    let facts = load_facts(tx, as_of, Some(debtor)).await?;
    Ok(assess(
        &d,
        facts.get(&debtor).unwrap_or(&Facts::default()),
        &retention,
        as_of,
    ))
}

/// The debtors due for erasure on `as_of`, by id.
pub async fn due(tx: &mut dyn Tx, as_of: Date) -> AppResult<Vec<Assessment>> {
    Ok(assess_all(tx, as_of)
        .await?
        .into_iter()
        .filter(Assessment::is_due)
        .collect())
}

fn not_found(debtor: DebtorId) -> AppError {
    AppError::NotFound {
        what: "debtor",
        id: debtor.to_string(),
    }
}

/// What the daily job recorded.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Proposals {
    /// Requests proposed today (newly, or again after a withdrawal).
    pub proposed: Vec<ErasureRequest>,
    /// Proposed requests whose debtor is no longer due.
    pub withdrawn: Vec<ErasureRequest>,
    /// Every request waiting for approval after the job.
    pub waiting: usize,
}

/// The daily job: records a `proposed` erasure request for each debtor due today that has
/// none waiting, and withdraws the proposals no longer due; audited `gdpr.propose` when it
/// changed anything. Nothing is erased before an admin approves.
pub async fn propose_due(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
) -> AppResult<Proposals> {
    let today = clock.today();
    let mut tx = store.begin().await?;
    let all = assess_all(tx.as_mut(), today).await?;
    let requests: HashMap<DebtorId, ErasureRequest> = tx
        .erasure_requests(&ErasureFilter::default())
        .await?
        .into_iter()
        .map(|r| (r.debtor_id, r))
        .collect();
    let mut out = Proposals::default();
    for a in &all {
        let existing = requests.get(&a.debtor);
        let state = existing.map(|r| r.state);
        match (a.is_due(), state) {
            (true, None | Some(ErasureState::Withdrawn)) => {
                let (Some(closed_on), Some(due_on)) = (a.closed_on, a.due_on) else {
                    continue;
                };
                let mut r = ErasureRequest {
                    id: 0,
                    debtor_id: a.debtor,
                    state: ErasureState::Proposed,
                    closed_on,
                    due_on,
                    proposed_on: today,
                    proposed_by: actor.as_str().to_string(),
                    decided_by: None,
                    decided_at: None,
                    pseudonym: None,
                };
                r.id = tx.save_erasure_request(&r).await?;
                out.proposed.push(r);
            }
            (false, Some(ErasureState::Proposed)) => {
                if let Some(r) = existing {
                    let r = withdrawn(r, actor, clock);
                    tx.save_erasure_request(&r).await?;
                    out.withdrawn.push(r);
                }
            }
            _ => {}
        }
    }
    out.waiting = tx
        .erasure_requests(&ErasureFilter {
            states: vec![ErasureState::Proposed],
            ..ErasureFilter::default()
        })
        .await?
        .len();
    if !out.proposed.is_empty() || !out.withdrawn.is_empty() {
        #[derive(Serialize)]
        struct Summary {
            proposed: Vec<DebtorId>,
            withdrawn: Vec<DebtorId>,
        }
        audit::record(
            tx.as_mut(),
            clock,
            actor,
            "gdpr.propose",
            &format!("run:{today}"),
            None::<&()>,
            Some(&Summary {
                proposed: out.proposed.iter().map(|r| r.debtor_id).collect(),
                withdrawn: out.withdrawn.iter().map(|r| r.debtor_id).collect(),
            }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(out)
}

fn withdrawn(r: &ErasureRequest, actor: &Actor, clock: &dyn Clock) -> ErasureRequest {
    ErasureRequest {
        state: ErasureState::Withdrawn,
        decided_by: Some(actor.as_str().to_string()),
        decided_at: Some(clock.now_rfc3339()),
        ..r.clone()
    }
}

/// The erasure requests in a state (all when `None`), by id.
pub async fn requests(
    tx: &mut dyn Tx,
    state: Option<ErasureState>,
) -> AppResult<Vec<ErasureRequest>> {
    Ok(tx
        .erasure_requests(&ErasureFilter {
            states: state.into_iter().collect(),
            ..ErasureFilter::default()
        })
        .await?)
}

/// What an approval did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Approval {
    /// Erased.
    Erased(Erasure),
    /// The debtor was no longer due: the request is withdrawn, with the reasons.
    Withdrawn {
        request: ErasureRequest,
        blockers: Vec<Blocker>,
    },
}

/// Approves a proposed erasure request: the debtor is assessed again today and erased at
/// once if still due (one transaction, audited `gdpr.erase`); otherwise the request is
/// withdrawn (audited `gdpr.withdraw`) and the reasons returned.
pub async fn approve(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> AppResult<Approval> {
    let mut tx = store.begin().await?;
    let request = tx
        .erasure_requests(&ErasureFilter {
            id: Some(id),
            ..ErasureFilter::default()
        })
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound {
            what: "erasure request",
            id: id.to_string(),
        })?;
    if request.state != ErasureState::Proposed {
        return Err(AppError::Invalid(domain::tr!(
            "erasure request {id} is {}, not proposed",
            "la demande d'effacement {id} est {}, pas proposée",
            request.state
        )));
    }
    let assessment = assess_one(tx.as_mut(), request.debtor_id, clock.today()).await?;
    if !assessment.is_due() {
        let r = withdrawn(&request, actor, clock);
        tx.save_erasure_request(&r).await?;
        audit::record(
            tx.as_mut(),
            clock,
            actor,
            "gdpr.withdraw",
            &format!("debtor:{}", r.debtor_id),
            Some(&request.state),
            Some(&assessment.blockers),
        )
        .await?;
        tx.commit().await?;
        return Ok(Approval::Withdrawn {
            request: r,
            blockers: assessment.blockers,
        });
    }
    let erasure = erase_in(tx.as_mut(), clock, actor, &assessment, Some(request)).await?;
    tx.commit().await?;
    Ok(Approval::Erased(erasure))
}

/// Approves every proposed request, each in its own transaction.
pub async fn approve_all(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
) -> AppResult<Vec<Approval>> {
    let ids: Vec<i64> = {
        let mut tx = store.begin_read().await?;
        requests(tx.as_mut(), Some(ErasureState::Proposed))
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(approve(store, clock, actor, id).await?);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Erasure

/// What an erasure did (never the erased values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erasure {
    pub debtor: DebtorId,
    pub request: i64,
    pub pseudonym: String,
    pub closed_on: Date,
    pub due_on: Date,
    /// Rows the pseudonymisation changed or deleted.
    pub rows: u64,
    pub erased_by: String,
    pub erased_at: String,
}

/// Erases one debtor now, without waiting for the daily job, if it is due; refused with
/// the reasons otherwise (nothing written).
pub async fn erase(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    debtor: DebtorId,
) -> AppResult<Erasure> {
    let mut tx = store.begin().await?;
    let assessment = assess_one(tx.as_mut(), debtor, clock.today()).await?;
    if !assessment.is_due() {
        return Err(AppError::Invalid(domain::tr!(
            "debtor {debtor} cannot be erased on {}: {}",
            "le débiteur {debtor} ne peut pas être effacé le {} : {}",
            clock.today(),
            assessment.reason(lang::current())
        )));
    }
    let existing = tx
        .erasure_requests(&ErasureFilter {
            debtor: Some(debtor),
            ..ErasureFilter::default()
        })
        .await?
        .into_iter()
        .next();
    let erasure = erase_in(tx.as_mut(), clock, actor, &assessment, existing).await?;
    tx.commit().await?;
    Ok(erasure)
}

/// The pseudonym of a debtor erased at `at` by `actor`: its id and 8 hex digits of a hash
/// of the id, the instant and the actor — nothing of the erased data, so the pseudonym
/// cannot be recomputed from a name.
pub fn pseudonym(debtor: DebtorId, at: &str, actor: &str) -> String {
    let digest = Sha256::digest(format!("{debtor}|{at}|{actor}").as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("ERASED-{debtor}-{hex}")
}

async fn erase_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    actor: &Actor,
    assessment: &Assessment,
    request: Option<ErasureRequest>,
) -> AppResult<Erasure> {
    let debtor = assessment.debtor;
    let (Some(closed_on), Some(due_on)) = (assessment.closed_on, assessment.due_on) else {
        return Err(AppError::Invalid(Blocker::NoClaims.text(lang::current())));
    };
    let held = gather(tx, debtor, clock.today(), actor).await?;
    let now = clock.now_rfc3339();
    let pseudonym = pseudonym(debtor, &now, actor.as_str());
    let plan = DebtorErasure {
        debtor,
        pseudonym: pseudonym.clone(),
        ibans: held.ibans(),
        needles: held.needles(),
        subjects: held.subjects(),
    };
    let rows = tx.pseudonymise_debtor(&plan).await?;
    crate::legal::erase_texts(tx, debtor, &now).await?;
    let mut r = request.unwrap_or(ErasureRequest {
        id: 0,
        debtor_id: debtor,
        state: ErasureState::Proposed,
        closed_on,
        due_on,
        proposed_on: clock.today(),
        proposed_by: actor.as_str().to_string(),
        decided_by: None,
        decided_at: None,
        pseudonym: None,
    });
    r.state = ErasureState::Done;
    r.decided_by = Some(actor.as_str().to_string());
    r.decided_at = Some(now.clone());
    r.pseudonym = Some(pseudonym.clone());
    r.id = tx.save_erasure_request(&r).await?;
    let erasure = Erasure {
        debtor,
        request: r.id,
        pseudonym,
        closed_on,
        due_on,
        rows,
        erased_by: actor.as_str().to_string(),
        erased_at: now,
    };
    audit::record(
        tx,
        clock,
        actor,
        "gdpr.erase",
        &format!("debtor:{debtor}"),
        None::<&()>,
        Some(&erasure),
    )
    .await?;
    Ok(erasure)
}

// ---------------------------------------------------------------------------------------
// Export

/// Everything Recouvre holds on one debtor (format [`EXPORT_FORMAT`]). Field names and
/// nesting are stable within the format's version; a field added later is optional for
/// readers. Amounts are `Money` (`{"minor": 123456, "currency": "EUR"}` as `Money`
/// serialises), dates ISO `YYYY-MM-DD`, instants RFC 3339.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalData {
    pub format: &'static str,
    pub generated_at: String,
    pub generated_by: String,
    pub as_of: Date,
    /// The creditor (the controller, or the agency's principal).
    pub creditor: CreditorPart,
    pub debtor: DebtorPart,
    /// E-mail addresses, phone numbers and postal addresses, with their labels.
    pub contacts: Vec<domain::Contact>,
    /// Its claims, each with its ledger.
    pub claims: Vec<ClaimPart>,
    /// Other debtors' claims it is bound to (co-debtor, guarantor).
    pub bound_to: Vec<ClaimParty>,
    pub case: Option<StoredCase>,
    /// Promises, payment plans, disputes and SEPA mandates (with their IBAN), as stored.
    pub agreements: Vec<AgreementPart>,
    /// What the daily runs decided (reminders, calls, letters).
    pub actions: Vec<StoredAction>,
    /// The messages sent or queued (e-mail, SMS, letters), with their recipient and
    /// delivery log. Their texts are rendered from the templates at delivery and not
    /// stored; `template` names the one used.
    pub messages: Vec<MessagePart>,
    /// Calls and notes logged on its file.
    pub notes: Vec<NotePart>,
    pub notices: Vec<StoredNotice>,
    pub limitation_events: Vec<StoredLimitationEvent>,
    /// Its legal files (decision, frozen claims, stages, costs, payments) and the documents
    /// attached to them (described, not their bytes).
    pub legal_files: Vec<crate::legal::LegalFile>,
    pub legal_exhibits: Vec<crate::store::StoredExhibit>,
    /// Bank payments applied to it or made from its accounts, with their allocations.
    pub payments: Vec<PaymentPart>,
    pub credits: Vec<DebtorCredit>,
    /// The audit-log entries about it and what is its own.
    pub audit: Vec<AuditEntry>,
    /// Access tokens of a debtor portal: Recouvre has no debtor portal, so none; secrets
    /// (tokens, passwords) are never exported, only their existence would be.
    pub portal_tokens: Vec<String>,
    pub erasure: Option<ErasureRequest>,
    /// Where it stands against the retention rules on `as_of`.
    pub retention: Assessment,
}

#[derive(Debug, Clone, Serialize)]
pub struct CreditorPart {
    pub code: String,
    pub name: String,
    pub country: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DebtorPart {
    pub id: DebtorId,
    pub external_id: String,
    pub name: String,
    pub kind: domain::DebtorKind,
    pub segment: Segment,
    pub country: String,
    pub language: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimPart {
    pub claim: domain::Claim,
    pub status: domain::ClaimStatus,
    pub open: Money,
    pub entries: Vec<LedgerEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgreementPart {
    pub id: i64,
    pub kind: AgreementKind,
    pub status: String,
    pub updated_at: String,
    pub body: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessagePart {
    #[serde(flatten)]
    pub entry: crate::store::OutboxEntry,
    pub template: Option<String>,
    pub deliveries: Vec<crate::store::DeliveryAttempt>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotePart {
    pub id: i64,
    pub kind: NoteKind,
    pub outcome: Option<CallOutcome>,
    pub body: String,
    pub author: String,
    pub on: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentPart {
    #[serde(flatten)]
    pub payment: crate::store::StoredPayment,
    pub allocations: Vec<crate::store::StoredAllocation>,
}

/// Reads everything held on one debtor in the caller's transaction.
pub async fn gather(
    tx: &mut dyn Tx,
    debtor: DebtorId,
    as_of: Date,
    actor: &Actor,
) -> AppResult<PersonalData> {
    let d = tx.debtor(debtor).await?.ok_or_else(|| not_found(debtor))?;
    let creditor = tx
        .creditors()
        .await?
        .into_iter()
        .find(|c| c.id == d.creditor_id)
        .map(|c| CreditorPart {
            code: c.code,
            name: c.name,
            country: c.country,
        })
        .ok_or_else(|| AppError::NotFound {
            what: "creditor",
            id: d.creditor_id.to_string(),
        })?;
    let mut claims = Vec::new();
    for c in tx.claims_of_debtor(debtor).await? {
        let entries = tx.ledger_entries(c.id).await?;
        let ledger = ClaimLedger::from_entries(c.currency, entries.clone());
        claims.push(ClaimPart {
            status: ledger.status(&c, as_of),
            open: ledger.balance_as_of(as_of),
            claim: c,
            entries,
        });
    }
    let bound_to: Vec<ClaimParty> = tx
        .claim_parties(&[])
        .await?
        .into_iter()
        .filter(|p| p.debtor_id == debtor)
        .collect();
    let agreements = tx
        .agreements(&AgreementFilter {
            debtor: Some(debtor),
            ..AgreementFilter::default()
        })
        .await?
        .into_iter()
        .map(|a| AgreementPart {
            id: a.id,
            kind: a.kind,
            status: a.status,
            updated_at: a.updated_at,
            body: serde_json::from_str(&a.body).unwrap_or(serde_json::Value::String(a.body)),
        })
        .collect();
    let actions = tx
        .actions(&ActionFilter {
            debtor: Some(debtor),
            ..ActionFilter::default()
        })
        .await?;
    let templates: HashMap<i64, String> =
        actions.iter().map(|a| (a.id, a.template.clone())).collect();
    let mut messages = Vec::new();
    for entry in tx.outbox(&OutboxFilter::default()).await? {
        if entry.debtor_id != debtor {
            continue;
        }
        let deliveries = tx.deliveries(Some(entry.id)).await?;
        messages.push(MessagePart {
            template: templates.get(&entry.action_id).cloned(),
            entry,
            deliveries,
        });
    }
    messages.sort_by_key(|m| m.entry.id);
    let notes = tx
        .notes(Some(debtor))
        .await?
        .into_iter()
        .map(|n| NotePart {
            id: n.id,
            kind: n.kind,
            outcome: n.outcome,
            body: n.body,
            author: n.author,
            on: n.on,
        })
        .collect();
    let notices = tx
        .notices(&crate::store::NoticeFilter {
            debtor: Some(debtor),
            ..crate::store::NoticeFilter::default()
        })
        .await?;
    let limitation_events = tx.limitation_events(Some(debtor)).await?;
    let mandate_ibans: Vec<String> = tx
        .agreements(&AgreementFilter {
            debtor: Some(debtor),
            kind: Some(AgreementKind::Mandate),
            ..AgreementFilter::default()
        })
        .await?
        .iter()
        .filter_map(|a| serde_json::from_str::<crate::sepa::Mandate>(&a.body).ok())
        .map(|m| normalize_iban(&m.iban))
        .collect();
    let mut payments = Vec::new();
    for p in tx.payments(&PaymentFilter::default()).await? {
        let from_its_account = p
            .payer_iban
            .as_deref()
            .is_some_and(|i| mandate_ibans.contains(&normalize_iban(i)));
        if p.debtor_id != Some(debtor) && !from_its_account {
            continue;
        }
        let allocations = tx.allocations(p.id).await?;
        payments.push(PaymentPart {
            payment: p,
            allocations,
        });
    }
    payments.sort_by_key(|p| p.payment.id);
    let credits = tx.debtor_credits(Some(debtor)).await?;
    let case = tx.case(debtor).await?;
    let legal_files = crate::legal::list(
        tx,
        &crate::store::LegalFileFilter {
            debtor: Some(debtor),
            ..Default::default()
        },
    )
    .await?;
    let mut legal_exhibits = Vec::new();
    for f in &legal_files {
        legal_exhibits.extend(tx.exhibits(Some(f.id), false).await?);
    }
    let erasure = tx
        .erasure_requests(&ErasureFilter {
            debtor: Some(debtor),
            ..ErasureFilter::default()
        })
        .await?
        .into_iter()
        .next();
    let mut data = PersonalData {
        format: EXPORT_FORMAT,
        generated_at: String::new(),
        generated_by: actor.as_str().to_string(),
        as_of,
        creditor,
        debtor: DebtorPart {
            id: d.id,
            external_id: d.external_id.clone(),
            name: d.name.clone(),
            kind: d.kind,
            segment: d.segment,
            country: d.country.clone(),
            language: d.language.clone(),
            tags: d.tags.clone(),
        },
        contacts: d.contacts.clone(),
        claims,
        bound_to,
        case,
        agreements,
        actions,
        messages,
        notes,
        notices,
        limitation_events,
        legal_files,
        legal_exhibits,
        payments,
        credits,
        audit: Vec::new(),
        portal_tokens: Vec::new(),
        erasure,
        retention: Assessment {
            debtor,
            name: d.name.clone(),
            segment: d.segment,
            closed_on: None,
            limitation_until: None,
            accounting_until: None,
            due_on: None,
            blockers: Vec::new(),
        },
    };
    data.audit = tx.audit_entries_about(&data.subjects()).await?;
    data.retention = assess_one(tx, debtor, as_of).await?;
    Ok(data)
}

fn normalize_iban(iban: &str) -> String {
    iban.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// An IBAN in groups of four, as printed.
fn grouped_iban(iban: &str) -> String {
    iban.chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

impl PersonalData {
    /// The audit subjects of the debtor and of what is its own.
    pub fn subjects(&self) -> Vec<String> {
        let mut s = vec![format!("debtor:{}", self.debtor.id)];
        s.extend(self.claims.iter().map(|c| format!("claim:{}", c.claim.id)));
        s.extend(self.actions.iter().map(|a| format!("action:{}", a.id)));
        s.extend(self.agreements.iter().map(|a| {
            let prefix = match a.kind {
                AgreementKind::Promise => "promise",
                AgreementKind::Plan => "plan",
                AgreementKind::Dispute => "dispute",
                AgreementKind::Mandate => "mandate",
            };
            format!("{prefix}:{}", a.id)
        }));
        s.extend(
            self.payments
                .iter()
                .map(|p| format!("payment:{}", p.payment.id)),
        );
        s.extend(self.notices.iter().map(|n| format!("notice:{}", n.id)));
        s.extend(
            self.messages
                .iter()
                .map(|m| format!("outbox:{}", m.entry.id)),
        );
        s
    }

    /// Every IBAN known as the debtor's, normalized.
    pub fn ibans(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .payments
            .iter()
            .filter_map(|p| p.payment.payer_iban.as_deref())
            .chain(self.agreements.iter().filter_map(|a| {
                (a.kind == AgreementKind::Mandate)
                    .then(|| a.body.get("iban").and_then(|v| v.as_str()))
                    .flatten()
            }))
            .map(normalize_iban)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The personal values to look for in free texts: the name, the contacts, the IBANs
    /// (as stored and in groups of four), the payers' names and remittances, the notes'
    /// and disputes' texts, the proofs and notes of notices and legal events, the
    /// messages' recipients; each line of a multi-line value too; in raw and JSON-escaped
    /// forms; at least [`MIN_NEEDLE`] characters; longest first.
    pub fn needles(&self) -> Vec<String> {
        let mut raw: Vec<String> = vec![self.debtor.name.clone()];
        // Contact labels ("accounts payable") are not looked for: generic words would
        // match other debtors' texts; the contact rows holding them are deleted.
        for c in &self.contacts {
            raw.push(c.value.clone());
        }
        for iban in self.ibans() {
            raw.push(grouped_iban(&iban));
            raw.push(iban);
        }
        for p in &self.payments {
            raw.extend(p.payment.payer_name.clone());
            raw.extend(p.payment.remittance.iter().cloned());
        }
        for n in &self.notes {
            raw.push(n.body.clone());
        }
        for a in &self.agreements {
            if a.kind == AgreementKind::Dispute {
                raw.extend(
                    a.body
                        .get("note")
                        .and_then(|v| v.as_str())
                        .map(String::from),
                );
                if let Some(list) = a.body.get("attachments").and_then(|v| v.as_array()) {
                    raw.extend(list.iter().filter_map(|v| v.as_str()).map(String::from));
                }
            }
        }
        for n in &self.notices {
            raw.extend(n.tracking_number.clone());
            raw.extend(n.proof.clone());
            raw.extend(n.note.clone());
        }
        for e in &self.limitation_events {
            raw.extend(e.proof.clone());
            raw.extend(e.note.clone());
        }
        for f in &self.legal_files {
            raw.extend(f.data.reason.clone());
            raw.extend(f.data.stages.iter().filter_map(|s| s.note.clone()));
            raw.extend(f.data.costs.iter().filter_map(|c| c.note.clone()));
            raw.extend(f.data.payments.iter().filter_map(|p| p.note.clone()));
        }
        for m in &self.messages {
            raw.push(m.entry.recipient.clone());
        }
        let mut all: Vec<String> = Vec::new();
        for v in raw {
            let lines: Vec<String> = v
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            if lines.len() > 1 {
                all.extend(lines);
            }
            let trimmed = v.trim().to_string();
            if let Ok(json) = serde_json::to_string(&trimmed) {
                all.push(json[1..json.len() - 1].to_string());
            }
            all.push(trimmed);
        }
        all.retain(|n| n.chars().count() >= MIN_NEEDLE);
        all.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        all.dedup();
        all
    }
}

/// Exports everything held on one debtor as of today, audited `gdpr.export` (who asked,
/// and how much was exported — never the data itself).
pub async fn export(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    debtor: DebtorId,
) -> AppResult<PersonalData> {
    let mut tx = store.begin().await?;
    let mut data = gather(tx.as_mut(), debtor, clock.today(), actor).await?;
    data.generated_at = clock.now_rfc3339();
    #[derive(Serialize)]
    struct Exported<'a> {
        format: &'a str,
        claims: usize,
        contacts: usize,
        messages: usize,
        payments: usize,
        audit_entries: usize,
    }
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "gdpr.export",
        &format!("debtor:{debtor}"),
        None::<&()>,
        Some(&Exported {
            format: EXPORT_FORMAT,
            claims: data.claims.len(),
            contacts: data.contacts.len(),
            messages: data.messages.len(),
            payments: data.payments.len(),
            audit_entries: data.audit.len(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{CreditorId, DebtorKind};

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn debtor(segment: Segment) -> Debtor {
        Debtor {
            id: DebtorId(7),
            creditor_id: CreditorId(1),
            external_id: "C7".into(),
            name: "Dupont".into(),
            kind: DebtorKind::Company,
            segment,
            country: "FR".into(),
            language: "fr".into(),
            contacts: Vec::new(),
            tags: Vec::new(),
        }
    }

    fn closed(last: Date) -> Facts {
        Facts {
            claims: 1,
            last_entry: Some(last),
            ..Facts::default()
        }
    }

    /// B2B, last entry (the payment) 2014-06-10: the limitation archive runs 5 years to
    /// 2019-06-10; the financial year closes 2014-12-31 and the accounting retention runs
    /// 10 years to 2024-12-31. The later wins: due from 2025-01-01, not on 2024-12-31.
    #[test]
    fn business_debtor_is_due_the_day_after_the_accounting_retention() {
        let r = Retention::default();
        let f = closed(d(2014, 6, 10));
        let a = assess(&debtor(Segment::B2b), &f, &r, d(2024, 12, 31));
        assert_eq!(a.limitation_until, Some(d(2019, 6, 10)));
        assert_eq!(a.accounting_until, Some(d(2024, 12, 31)));
        assert_eq!(a.due_on, Some(d(2025, 1, 1)));
        assert_eq!(
            a.blockers,
            vec![Blocker::Retained {
                until: d(2024, 12, 31)
            }]
        );
        assert!(assess(&debtor(Segment::B2b), &f, &r, d(2025, 1, 1)).is_due());
    }

    /// B2C, last entry 2015-03-01 with the financial year closing on 30 June: limitation
    /// 2 years to 2017-03-01; the year holding 2015-03-01 closes 2015-06-30, accounting
    /// to 2025-06-30; due from 2025-07-01.
    #[test]
    fn consumer_with_a_june_year_end() {
        let r = Retention {
            year_end: (6, 30),
            ..Retention::default()
        };
        let a = assess(
            &debtor(Segment::B2c),
            &closed(d(2015, 3, 1)),
            &r,
            d(2025, 6, 30),
        );
        assert_eq!(a.limitation_until, Some(d(2017, 3, 1)));
        assert_eq!(a.accounting_until, Some(d(2025, 6, 30)));
        assert_eq!(a.due_on, Some(d(2025, 7, 1)));
        assert!(!a.is_due());
    }

    /// A dispute resolved after the last entry moves the closure, hence the limitation
    /// archive, but not the accounting retention: last entry 2014-06-10, dispute closed
    /// 2020-02-03 → limitation to 2025-02-03 (later than accounting 2024-12-31): due from
    /// 2025-02-04.
    #[test]
    fn a_later_status_change_moves_the_limitation_archive() {
        let f = Facts {
            last_change: Some(d(2020, 2, 3)),
            ..closed(d(2014, 6, 10))
        };
        let a = assess(
            &debtor(Segment::B2b),
            &f,
            &Retention::default(),
            d(2025, 2, 3),
        );
        assert_eq!(a.closed_on, Some(d(2020, 2, 3)));
        assert_eq!(a.due_on, Some(d(2025, 2, 4)));
        assert!(!a.is_due());
    }

    #[test]
    fn open_things_block_whatever_the_date() {
        let f = Facts {
            open_claims: vec![ClaimId(3)],
            open_agreements: vec![(AgreementKind::Dispute, 9)],
            legal_matters: vec![4],
            legal_files: vec![12],
            in_flight: 2,
            ..closed(d(2000, 1, 1))
        };
        let a = assess(
            &debtor(Segment::B2b),
            &f,
            &Retention::default(),
            d(2030, 1, 1),
        );
        assert_eq!(
            a.blockers,
            vec![
                Blocker::OpenClaim { claim: ClaimId(3) },
                Blocker::OpenAgreement {
                    kind: AgreementKind::Dispute,
                    id: 9
                },
                Blocker::LegalMatter { event: 4 },
                Blocker::LegalFile { file: 12 },
                Blocker::InFlight { count: 2 },
            ]
        );
        let none = assess(
            &debtor(Segment::B2b),
            &Facts::default(),
            &Retention::default(),
            d(2030, 1, 1),
        );
        assert_eq!(none.blockers, vec![Blocker::NoClaims]);
    }

    #[test]
    fn year_end_is_parsed_and_checked() {
        assert_eq!(parse_year_end("06-30").unwrap(), (6, 30));
        assert!(parse_year_end("02-29").is_err());
        assert!(parse_year_end("13-01").is_err());
        assert!(parse_year_end("1231").is_err());
    }

    #[test]
    fn pseudonym_has_the_id_and_eight_hex_digits() {
        let p = pseudonym(DebtorId(42), "2030-01-01T00:00:00Z", "alice");
        assert!(p.starts_with("ERASED-42-"), "{p}");
        assert_eq!(p.len(), "ERASED-42-".len() + 8);
        assert_ne!(p, pseudonym(DebtorId(42), "2030-01-01T00:00:01Z", "alice"));
    }
}
