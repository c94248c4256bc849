//! Agency mode (issue 19): a collection agency working for client creditors under written
//! mandates (CPCE R124-1 to R124-7, `shared/domain-rules.md` §5).
//!
//! - [`add_mandate`]: a client's mandate (R124-3) with its fee terms
//!   ([`domain::agency::FeeTerms`]), its remittance terms, the client's account to pay
//!   and the agency's liability insurance reference.
//! - [`place`]: claims placed under a mandate in force ("remise de dossiers"), all or
//!   nothing; [`withdraw`]: a client takes a file back, with its closing report.
//! - [`remit`]: the remittance statements of a period, one per mandate: what was collected
//!   on its files (each ledger entry remitted once), the commission and fees with VAT, what
//!   is remitted, and the SEPA credit transfer (pain.001.001.03) paying it from the
//!   agency's client-funds account, all written in one transaction.
//! - [`notify_clients`]: the notices R124-5 requires: every payment on a placed file, even
//!   partial, unless it follows a plan the client was already told of, and every debtor
//!   proposal (promise, plan); once each.
//! - [`late_remittances`]: collections not remitted a month after (R124-6).
//! - [`client_report`]: what a client sees of its files, by period.

use crate::audit::{self, Actor};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{
    PlacementFilter, PlacementState, Store, StoredClientNotice, StoredMandate, StoredPlacement,
    StoredRemittance, Tx,
};
use domain::agency::{Collection, Commission, FeeTerms, PlacedFile, Statement};
use domain::{ClaimId, Creditor, CreditorId, Currency, Date, EntryKind, Money};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Settings of the agency's client-funds account (R124-2: an account used only for the
/// funds collected for clients): where remittances are paid from.
pub mod settings {
    pub const FUNDS_IBAN: &str = "agency_funds_iban";
    pub const FUNDS_BIC: &str = "agency_funds_bic";
    /// The agency's name on transfers (falls back to the letters' agency name).
    pub const FUNDS_NAME: &str = "agency_funds_name";
    /// The agency's SIREN and VAT number, as its fee invoices must read.
    pub const COMPANY_ID: &str = "agency_company_id";
}

/// Where a debtor pays: (beneficiary, IBAN, BIC). A debtor with a file placed with the
/// agency pays into the agency's client-funds account (R124-2), when it is set; any other
/// pays its creditor, by the creditor's own account where it has one.
pub async fn payee(
    tx: &mut dyn Tx,
    debtor: &domain::Debtor,
) -> AppResult<(String, String, String)> {
    let claims: HashSet<ClaimId> = tx
        .claims_of_debtor(debtor.id)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let placed = tx
        .placements(&PlacementFilter {
            creditor: Some(debtor.creditor_id),
            states: vec![PlacementState::Placed],
            ..PlacementFilter::default()
        })
        .await?
        .iter()
        .any(|p| claims.contains(&p.claim_id));
    if placed && let Ok(a) = funds_account(tx).await {
        return Ok((a.name, a.iban, a.bic.unwrap_or_default()));
    }
    let code = tx
        .creditors()
        .await?
        .into_iter()
        .find(|c| c.id == debtor.creditor_id)
        .map(|c| c.code);
    let code = code.as_deref();
    Ok((
        crate::issuing::setting_of(tx, crate::sepa::CREDITOR_NAME, code).await?,
        crate::issuing::setting_of(tx, crate::sepa::CREDITOR_IBAN, code).await?,
        crate::issuing::setting_of(tx, crate::sepa::CREDITOR_BIC, code).await?,
    ))
}

/// A client's own identity on letters and messages about its claims, and its account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ClientIdentity {
    pub name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// SIREN / RCS, as typed.
    pub company_id: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

/// Sets what is given of client `code`'s identity (the rest unchanged).
pub async fn set_client_identity(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    code: &str,
    id: &ClientIdentity,
) -> AppResult<()> {
    if let Some(iban) = &id.iban
        && formats::iban::Iban::parse(iban).is_err()
    {
        return Err(invalid(domain::tr!(
            "the client's IBAN {iban:?} is not valid",
            "l'IBAN du client {iban:?} n'est pas valide"
        )));
    }
    let mut tx = store.begin().await?;
    let c = creditor_named(tx.as_mut(), code).await?;
    use crate::issuing::settings as s;
    let pairs = [
        (s::SENDER_NAME, &id.name),
        (crate::sepa::CREDITOR_NAME, &id.name),
        (s::SENDER_ADDRESS, &id.address),
        (s::SENDER_CITY, &id.city),
        (s::SENDER_EMAIL, &id.email),
        (s::SENDER_PHONE, &id.phone),
        (s::SENDER_COMPANY_ID, &id.company_id),
        (crate::sepa::CREDITOR_IBAN, &id.iban),
        (crate::sepa::CREDITOR_BIC, &id.bic),
    ];
    for (key, value) in pairs {
        if let Some(v) = value {
            let v = if key == crate::sepa::CREDITOR_IBAN {
                v.split_whitespace().collect::<String>().to_uppercase()
            } else {
                v.trim().to_string()
            };
            tx.set_setting(&crate::issuing::creditor_key(key, &c.code), &v)
                .await?;
        }
    }
    audit::record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "client.identity",
        &format!("creditor:{}", c.code),
        None,
        Some(id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A client's identity as set (`None` where it uses the shared settings).
pub async fn client_identity(tx: &mut dyn Tx, code: &str) -> AppResult<ClientIdentity> {
    use crate::issuing::settings as s;
    let mut get = async |key: &str| -> AppResult<Option<String>> {
        Ok(tx
            .setting(&crate::issuing::creditor_key(key, code))
            .await?
            .filter(|v| !v.trim().is_empty()))
    };
    Ok(ClientIdentity {
        name: get(s::SENDER_NAME).await?,
        address: get(s::SENDER_ADDRESS).await?,
        city: get(s::SENDER_CITY).await?,
        email: get(s::SENDER_EMAIL).await?,
        phone: get(s::SENDER_PHONE).await?,
        company_id: get(s::SENDER_COMPANY_ID).await?,
        iban: get(crate::sepa::CREDITOR_IBAN).await?,
        bic: get(crate::sepa::CREDITOR_BIC).await?,
    })
}

/// What a mandate says beyond its dates (stored as its JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateTerms {
    pub fees: FeeTerms,
    /// Months within which collected funds are remitted (1 by default, R124-6).
    pub remit_months: i8,
    /// The agency's professional liability insurance (insurer and policy), R124-2/R124-3 2°.
    pub insurance: String,
    /// What the mandate covers, as the client wrote it ("all invoices of 2026").
    pub scope: String,
    /// The client's account remittances are paid to.
    pub payee_name: String,
    pub payee_iban: String,
    #[serde(default)]
    pub payee_bic: Option<String>,
}

/// A mandate as read: the stored row and its terms.
#[derive(Debug, Clone, Serialize)]
pub struct Mandate {
    pub id: i64,
    pub creditor: CreditorId,
    pub creditor_code: String,
    pub creditor_name: String,
    pub reference: String,
    pub signed_on: Date,
    pub ends_on: Option<Date>,
    pub currency: Currency,
    pub terms: MandateTerms,
    /// The commission as it reads (`amount:1000=15,*=8`).
    pub commission: String,
}

impl Mandate {
    /// In force on `on`: signed by then and not ended before.
    pub fn in_force(&self, on: Date) -> bool {
        self.signed_on <= on && self.ends_on.is_none_or(|e| on <= e)
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Store(crate::error::StoreError::Corrupt(format!("{what}: {e}")))
}

fn read_mandate(m: StoredMandate, creditors: &[Creditor]) -> AppResult<Mandate> {
    let terms: MandateTerms =
        serde_json::from_str(&m.data).map_err(|e| corrupt("mandates.data", e))?;
    let currency =
        domain::money::parse_currency(&m.currency).map_err(|e| corrupt("mandates.currency", e))?;
    let creditor = creditors.iter().find(|c| c.id == m.creditor_id);
    Ok(Mandate {
        id: m.id,
        creditor: m.creditor_id,
        creditor_code: creditor.map(|c| c.code.clone()).unwrap_or_default(),
        creditor_name: creditor.map(|c| c.name.clone()).unwrap_or_default(),
        commission: terms.fees.commission.describe(currency),
        reference: m.reference,
        signed_on: m.signed_on,
        ends_on: m.ends_on,
        currency,
        terms,
    })
}

/// The mandates (of one creditor with `Some`), by id.
pub async fn mandates(tx: &mut dyn Tx, creditor: Option<CreditorId>) -> AppResult<Vec<Mandate>> {
    let creditors = tx.creditors().await?;
    tx.mandates(creditor)
        .await?
        .into_iter()
        .map(|m| read_mandate(m, &creditors))
        .collect()
}

/// The stored mandate of reference `reference`.
async fn stored_mandate(tx: &mut dyn Tx, reference: &str) -> AppResult<StoredMandate> {
    tx.mandates(None)
        .await?
        .into_iter()
        .find(|m| m.reference == reference.trim())
        .ok_or_else(|| AppError::NotFound {
            what: "mandate",
            id: reference.to_string(),
        })
}

async fn mandate_by_reference(tx: &mut dyn Tx, reference: &str) -> AppResult<Mandate> {
    let stored = stored_mandate(tx, reference).await?;
    let creditors = tx.creditors().await?;
    read_mandate(stored, &creditors)
}

/// A claim by its number or its external id.
pub async fn claim_by_number(tx: &mut dyn Tx, text: &str) -> AppResult<domain::Claim> {
    let text = text.trim();
    tx.claims(None)
        .await?
        .into_iter()
        .find(|c| c.number.as_str() == text || c.external_id == text)
        .ok_or_else(|| AppError::NotFound {
            what: "claim",
            id: text.to_string(),
        })
}

/// A creditor by its code (`ACME`) or its id.
pub async fn creditor_named(tx: &mut dyn Tx, code: &str) -> AppResult<Creditor> {
    let code = code.trim();
    tx.creditors()
        .await?
        .into_iter()
        .find(|c| c.code.eq_ignore_ascii_case(code) || c.id.0.to_string() == code)
        .ok_or_else(|| AppError::NotFound {
            what: "creditor",
            id: code.to_string(),
        })
}

/// A new mandate, as typed.
#[derive(Debug, Clone)]
pub struct NewMandate {
    /// The client creditor's code.
    pub creditor: String,
    pub reference: String,
    pub signed_on: Date,
    pub ends_on: Option<Date>,
    pub currency: Currency,
    pub terms: MandateTerms,
}

fn invalid(en: String) -> AppError {
    AppError::Invalid(en)
}

/// Records a client's mandate. Refused: an empty reference or one already used, an end
/// before the signature, no insurance reference (R124-3 2°), a payee IBAN that is not
/// one, fee amounts in another currency, a remittance period of more than one month
/// without it being agreed (it is the mandate that agrees it: 1 to 12 months accepted).
pub async fn add_mandate(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: NewMandate,
) -> AppResult<Mandate> {
    let reference = new.reference.trim().to_string();
    if reference.is_empty() || reference.len() > 35 {
        return Err(invalid(domain::tr!(
            "a mandate's reference is 1 to 35 characters",
            "la référence d'un mandat fait 1 à 35 caractères"
        )));
    }
    if new.ends_on.is_some_and(|e| e < new.signed_on) {
        return Err(invalid(domain::tr!(
            "the mandate ends before it is signed",
            "le mandat prend fin avant d'être signé"
        )));
    }
    if new.terms.insurance.trim().is_empty() {
        return Err(invalid(domain::tr!(
            "the agency's liability insurance (insurer and policy) is required by R124-3 2°",
            "l'assurance de responsabilité de l'agence (assureur et police) est exigée par R124-3 2°"
        )));
    }
    if !(1..=12).contains(&new.terms.remit_months) {
        return Err(invalid(domain::tr!(
            "funds are remitted within 1 to 12 months",
            "les fonds sont reversés dans un délai de 1 à 12 mois"
        )));
    }
    if formats::iban::Iban::parse(&new.terms.payee_iban).is_err() {
        return Err(invalid(domain::tr!(
            "the client's IBAN {:?} is not valid",
            "l'IBAN du client {:?} n'est pas valide",
            new.terms.payee_iban
        )));
    }
    for m in [
        new.terms.fees.minimum,
        new.terms.fees.file_fee,
        new.terms.fees.success_fee,
    ]
    .into_iter()
    .flatten()
    {
        if m.currency() != new.currency || m.is_negative() {
            return Err(invalid(domain::tr!(
                "fee {m} is not a positive amount in the mandate's currency {}",
                "le frais {m} n'est pas un montant positif dans la devise du mandat {}",
                new.currency
            )));
        }
    }
    new.terms
        .fees
        .commission
        .check()
        .map_err(|e| invalid(e.to_string()))?;
    let mut tx = store.begin().await?;
    let creditor = creditor_named(tx.as_mut(), &new.creditor).await?;
    if tx
        .mandates(None)
        .await?
        .iter()
        .any(|m| m.reference == reference)
    {
        return Err(invalid(domain::tr!(
            "mandate {reference:?} already exists",
            "le mandat {reference:?} existe déjà"
        )));
    }
    let mut stored = StoredMandate {
        id: 0,
        creditor_id: creditor.id,
        reference,
        signed_on: new.signed_on,
        ends_on: new.ends_on,
        currency: new.currency.code().to_string(),
        data: serde_json::to_string(&new.terms).map_err(|e| corrupt("mandate terms", e))?,
        version: 1,
        recorded_by: actor.0.clone(),
        recorded_at: clock.now_rfc3339(),
    };
    stored.id = tx.insert_mandate(&stored).await?;
    audit::record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "mandate.create",
        &format!("mandate:{}", stored.reference),
        None,
        Some(&stored),
    )
    .await?;
    tx.commit().await?;
    read_mandate(stored, &[creditor])
}

/// The step code of the agency's first letter to a debtor, queued at placement.
pub const FIRST_LETTER_STEP: &str = "agency_first_letter";

/// Ends mandate `reference` on `on` (its last day in force): no file is placed under it
/// after that day; the files placed stay until withdrawn or closed, and their collections
/// are remitted as before. Refused: a day before the signature, or a mandate already ended
/// earlier.
pub async fn end_mandate(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    reference: &str,
    on: Date,
) -> AppResult<Mandate> {
    let mut tx = store.begin().await?;
    let stored = stored_mandate(tx.as_mut(), reference).await?;
    if on < stored.signed_on {
        return Err(invalid(domain::tr!(
            "mandate {} was signed on {}: it cannot end before",
            "le mandat {} a été signé le {} : il ne peut prendre fin avant",
            stored.reference,
            stored.signed_on
        )));
    }
    if let Some(end) = stored.ends_on
        && end < on
    {
        return Err(invalid(domain::tr!(
            "mandate {} already ended on {end}",
            "le mandat {} a déjà pris fin le {end}",
            stored.reference
        )));
    }
    let after = StoredMandate {
        ends_on: Some(on),
        version: stored.version + 1,
        ..stored.clone()
    };
    if !tx.update_mandate(&after).await? {
        return Err(invalid(domain::tr!(
            "mandate {} was changed meanwhile; try again",
            "le mandat {} a été modifié entre-temps ; réessayez",
            stored.reference
        )));
    }
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "mandate.end",
        &format!("mandate:{}", stored.reference),
        Some(&stored.ends_on),
        Some(&on),
    )
    .await?;
    let creditors = tx.creditors().await?;
    tx.commit().await?;
    read_mandate(after, &creditors)
}

/// What a placement did.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    pub mandate: String,
    pub placed_on: Date,
    /// (claim number, principal placed).
    pub claims: Vec<(String, Money)>,
    /// The agency's first letters queued (R124-4), one per debtor not yet written to.
    pub first_letters: usize,
}

/// Places claims (by number or external id) of the mandate's client with the agency on
/// `on`. All or nothing: a mandate not in force that day, a claim of another creditor, in
/// another currency, with nothing open, or already placed refuses the whole placement,
/// naming every claim refused.
pub async fn place(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    mandate: &str,
    claims: &[String],
    on: Date,
) -> AppResult<Placed> {
    let mut tx = store.begin().await?;
    let out = place_in(tx.as_mut(), clock, actor, mandate, claims, on).await?;
    tx.commit().await?;
    Ok(out)
}

/// Places the claims of a CSV file (columns `mandate` and `claim`; `claim` alone takes
/// `default_mandate`) in one transaction: every line or none, the refusals named by line.
pub async fn place_csv(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
    default_mandate: Option<&str>,
    on: Date,
) -> AppResult<Vec<Placed>> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        invalid(domain::tr!(
            "{file}: not UTF-8 text",
            "{file} : ce n'est pas du texte UTF-8"
        ))
    })?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(invalid(domain::tr!("{file}: empty", "{file} : vide")));
    };
    let sep = if header.contains(';') { ';' } else { ',' };
    let columns: Vec<String> = header
        .split(sep)
        .map(|c| c.trim().trim_matches('"').to_lowercase())
        .collect();
    let col = |name: &str| columns.iter().position(|c| c == name);
    let claim_col = col("claim").or(col("number")).ok_or_else(|| {
        invalid(domain::tr!(
            "{file}:1: no `claim` column",
            "{file}:1 : pas de colonne `claim`"
        ))
    })?;
    let mandate_col = col("mandate");
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (i, line) in lines {
        let cells: Vec<&str> = line
            .split(sep)
            .map(|c| c.trim().trim_matches('"'))
            .collect();
        let claim = cells.get(claim_col).copied().unwrap_or_default();
        let mandate = mandate_col
            .and_then(|c| cells.get(c).copied())
            .filter(|m| !m.is_empty())
            .or(default_mandate)
            .unwrap_or_default();
        let n = i + 1;
        if claim.is_empty() || mandate.is_empty() {
            return Err(invalid(domain::tr!(
                "{file}:{n}: {} is empty; nothing placed",
                "{file}:{n} : {} est vide ; rien n'est confié",
                if claim.is_empty() { "claim" } else { "mandate" }
            )));
        }
        match groups.iter_mut().find(|(m, _)| m == mandate) {
            Some((_, claims)) => claims.push(claim.to_string()),
            None => groups.push((mandate.to_string(), vec![claim.to_string()])),
        }
    }
    let mut tx = store.begin().await?;
    let mut out = Vec::new();
    for (mandate, claims) in &groups {
        out.push(
            place_in(tx.as_mut(), clock, actor, mandate, claims, on)
                .await
                .map_err(|e| invalid(format!("{file}: {e}")))?,
        );
    }
    tx.commit().await?;
    Ok(out)
}

/// [`place`] in the caller's transaction.
pub async fn place_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    actor: &Actor,
    mandate: &str,
    claims: &[String],
    on: Date,
) -> AppResult<Placed> {
    if claims.is_empty() {
        return Err(invalid(domain::tr!(
            "no claim to place",
            "aucune créance à confier"
        )));
    }
    let m = mandate_by_reference(tx, mandate).await?;
    if !m.in_force(on) {
        return Err(invalid(domain::tr!(
            "mandate {} is not in force on {on} (signed {}, ends {}): nothing placed",
            "le mandat {} n'est pas en vigueur le {on} (signé le {}, fin {}) : rien n'est confié",
            m.reference,
            m.signed_on,
            m.ends_on.map_or("-".to_string(), |d| d.to_string())
        )));
    }
    let all = tx.claims(Some(m.creditor)).await?;
    let placed: HashSet<ClaimId> = tx
        .placements(&PlacementFilter {
            creditor: Some(m.creditor),
            states: vec![PlacementState::Placed],
            ..PlacementFilter::default()
        })
        .await?
        .iter()
        .map(|p| p.claim_id)
        .collect();
    let mut problems = Vec::new();
    let mut chosen = Vec::new();
    for wanted in claims {
        let w = wanted.trim();
        let Some(claim) = all
            .iter()
            .find(|c| c.number.as_str() == w || c.external_id == w)
        else {
            problems.push(domain::tr!(
                "{w}: no claim of {} by that number",
                "{w} : aucune créance de {} sous ce numéro",
                m.creditor_code
            ));
            continue;
        };
        if claim.currency != m.currency {
            problems.push(domain::tr!(
                "{w}: in {}, the mandate is in {}",
                "{w} : en {}, le mandat est en {}",
                claim.currency,
                m.currency
            ));
            continue;
        }
        if placed.contains(&claim.id) || chosen.iter().any(|(c, _): &(ClaimId, _)| *c == claim.id) {
            problems.push(domain::tr!("{w}: already placed", "{w} : déjà confiée"));
            continue;
        }
        let detail = crate::queries::claim_detail(tx, claim.id, on).await?;
        if !detail.open.is_positive() {
            problems.push(domain::tr!(
                "{w}: nothing is open on {on}",
                "{w} : rien n'est dû le {on}"
            ));
            continue;
        }
        chosen.push((claim.id, (claim.number.as_str().to_string(), detail.open)));
    }
    if !problems.is_empty() {
        return Err(invalid(problems.join("; ")));
    }
    let now = clock.now_rfc3339();
    for (claim, (_, principal)) in &chosen {
        tx.insert_placement(&StoredPlacement {
            id: 0,
            mandate_id: m.id,
            creditor_id: m.creditor,
            claim_id: *claim,
            placed_on: on,
            principal_minor: principal.minor(),
            state: PlacementState::Placed,
            ended_on: None,
            end_reason: None,
            recorded_by: actor.0.clone(),
            recorded_at: now.clone(),
        })
        .await?;
    }
    // The agency's first letter to each debtor (CPCE R124-4), queued with the placement
    // unless one already went to that debtor: later messages recall its reference and date.
    let mut by_debtor: Vec<(domain::DebtorId, Vec<ClaimId>, i64)> = Vec::new();
    for (claim, (_, principal)) in &chosen {
        let Some(c) = all.iter().find(|c| c.id == *claim) else {
            continue;
        };
        match by_debtor.iter_mut().find(|(d, _, _)| *d == c.debtor_id) {
            Some((_, claims, amount)) => {
                claims.push(*claim);
                *amount += principal.minor();
            }
            None => by_debtor.push((c.debtor_id, vec![*claim], principal.minor())),
        }
    }
    let mut letters = 0;
    for (debtor, claims, amount) in by_debtor {
        let sent = tx
            .actions(&crate::store::ActionFilter {
                debtor: Some(debtor),
                ..Default::default()
            })
            .await?
            .iter()
            .any(|a| {
                a.template.starts_with("agency_letter")
                    && a.status != crate::store::ActionStatus::Skipped
            });
        if sent {
            continue;
        }
        let cycle = tx.case(debtor).await?.map_or(1, |c| c.cycle.max(1));
        let mut action = crate::store::StoredAction {
            id: 0,
            debtor_id: debtor,
            cycle,
            step_code: FIRST_LETTER_STEP.into(),
            scenario: "agency".into(),
            channels: domain::dunning::Channels::empty()
                .with(domain::dunning::Channel::Letter)
                .with(domain::dunning::Channel::Email),
            template: "agency_letter".into(),
            claims,
            amount: Money::from_minor(amount, m.currency),
            claim_penalties: true,
            stage_after: domain::dunning::Stage::Amicable,
            status: crate::store::ActionStatus::Planned,
            created_on: on,
            created_at: now.clone(),
        };
        if let Some(id) = tx.insert_action(&action).await? {
            action.id = id;
            crate::outbox::enqueue_action(tx, &action, &now).await?;
            letters += 1;
        }
    }
    let out = Placed {
        mandate: m.reference.clone(),
        placed_on: on,
        claims: chosen.into_iter().map(|(_, c)| c).collect(),
        first_letters: letters,
    };
    audit::record::<(), _>(
        tx,
        clock,
        actor,
        "placement.create",
        &format!("mandate:{}", m.reference),
        None,
        Some(&out),
    )
    .await?;
    Ok(out)
}

/// The closing report of a file withdrawn or closed.
#[derive(Debug, Clone, Serialize)]
pub struct ClosingReport {
    pub claim: String,
    pub debtor: String,
    pub placed_on: Date,
    pub ended_on: Date,
    pub reason: String,
    pub principal_placed: Money,
    /// Collected between placement and withdrawal.
    pub collected: Money,
    pub open: Money,
    /// Messages issued to the debtor while placed.
    pub actions: usize,
}

/// The client takes a file back on `on`: its placement ends, and the closing report says
/// what was placed, collected and done. Collections already made stay to be remitted.
pub async fn withdraw(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    claim: &str,
    on: Date,
    reason: &str,
) -> AppResult<ClosingReport> {
    let mut tx = store.begin().await?;
    let found = claim_by_number(tx.as_mut(), claim).await?;
    let p = tx
        .placements(&PlacementFilter {
            claim: Some(found.id),
            states: vec![PlacementState::Placed],
            ..PlacementFilter::default()
        })
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            invalid(domain::tr!(
                "claim {claim} is not placed with the agency",
                "la créance {claim} n'est pas confiée à l'agence"
            ))
        })?;
    if on < p.placed_on {
        return Err(invalid(domain::tr!(
            "withdrawn on {on}, before it was placed ({})",
            "retirée le {on}, avant d'avoir été confiée ({})",
            p.placed_on
        )));
    }
    let reason = match reason.trim() {
        "" => domain::tr!("withdrawn by the client", "retirée par le client"),
        r => r.to_string(),
    };
    tx.end_placement(p.id, PlacementState::Withdrawn, on, &reason)
        .await?;
    let report = closing_report(tx.as_mut(), &p, on, &reason).await?;
    audit::record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "placement.withdraw",
        &format!("claim:{}", found.id.0),
        None,
        Some(&report),
    )
    .await?;
    tx.insert_client_notice(&StoredClientNotice {
        id: 0,
        creditor_id: p.creditor_id,
        key: format!("withdrawal:{}", p.id),
        kind: "withdrawal".into(),
        claim_id: Some(p.claim_id),
        created_on: on,
        // The facts without the debtor's name: a notice is kept after the debtor's data
        // is erased (GDPR), the claim's number says which file it was.
        data: serde_json::json!({
            "claim": report.claim,
            "placed_on": report.placed_on,
            "reason": report.reason,
            "collected": report.collected.amount_string(),
            "open": report.open.amount_string(),
            "currency": report.open.currency().code(),
        })
        .to_string(),
        recorded_at: clock.now_rfc3339(),
        emailed_at: None,
    })
    .await?;
    tx.commit().await?;
    Ok(report)
}

async fn closing_report(
    tx: &mut dyn Tx,
    p: &StoredPlacement,
    on: Date,
    reason: &str,
) -> AppResult<ClosingReport> {
    let detail = crate::queries::claim_detail(tx, p.claim_id, on).await?;
    let currency = detail.claim.currency;
    let collected = collected_minor(detail.ledger.entries(), p.placed_on, Some(on), on);
    let debtor = detail.debtor.name.clone();
    let actions = actions_on_file(tx, detail.claim.debtor_id, p, on).await?;
    Ok(ClosingReport {
        claim: detail.claim.number.as_str().to_string(),
        debtor,
        placed_on: p.placed_on,
        ended_on: on,
        reason: reason.to_string(),
        principal_placed: Money::from_minor(p.principal_minor, currency),
        collected: Money::from_minor(collected, currency),
        open: detail.open,
        actions,
    })
}

/// The payments of a claim's ledger dated from `from` to `to` (both included, `to` open
/// when `None`) and not after `until`, with the reversals of such payments: (whether it
/// settles the claim, the entry). Balance before each entry follows the ledger's order.
fn collections_of(
    entries: &[domain::LedgerEntry],
    from: Date,
    to: Option<Date>,
    until: Date,
) -> Vec<(bool, domain::LedgerEntry)> {
    let in_window = |d: Date| d >= from && to.is_none_or(|t| d <= t) && d <= until;
    let mut balance: i64 = 0;
    let mut out = Vec::new();
    let payments: HashMap<u32, &domain::LedgerEntry> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Payment)
        .map(|e| (e.seq, e))
        .collect();
    for e in entries {
        let before = balance;
        balance += e.amount_minor;
        let counted = match e.kind {
            EntryKind::Payment => in_window(e.date),
            EntryKind::Reversal => {
                // A reversal of a payment of the window, itself in or after it.
                e.reverses
                    .and_then(|s| payments.get(&s))
                    .is_some_and(|p| in_window(p.date) && e.date <= until)
            }
            _ => false,
        };
        if counted {
            out.push((
                before > 0 && balance <= 0 && e.kind == EntryKind::Payment,
                e.clone(),
            ));
        }
    }
    out
}

/// What was collected on a file (minor units): [`collections_of`] summed.
fn collected_minor(
    entries: &[domain::LedgerEntry],
    from: Date,
    to: Option<Date>,
    until: Date,
) -> i64 {
    collections_of(entries, from, to, until)
        .iter()
        .map(|(_, e)| -e.amount_minor)
        .sum()
}

/// The messages and tasks that went (or will go) to the debtor about placed file `p`,
/// from its placement to `until`.
async fn actions_on_file(
    tx: &mut dyn Tx,
    debtor: domain::DebtorId,
    p: &StoredPlacement,
    until: Date,
) -> AppResult<usize> {
    Ok(tx
        .actions(&crate::store::ActionFilter {
            debtor: Some(debtor),
            statuses: crate::store::ActionStatus::WENT_OUT.to_vec(),
            limit: None,
        })
        .await?
        .iter()
        .filter(|a| {
            a.claims.contains(&p.claim_id) && a.created_on >= p.placed_on && a.created_on <= until
        })
        .count())
}

/// The creditor named by `code` (its code or id), or every creditor with `None`.
pub async fn creditor_filter(tx: &mut dyn Tx, code: Option<&str>) -> AppResult<Option<CreditorId>> {
    Ok(match code {
        Some(c) => Some(creditor_named(tx, c).await?.id),
        None => None,
    })
}

/// A month (`2026-05`) as its first and last days.
pub fn month(text: &str) -> AppResult<(Date, Date)> {
    let first: Date = format!("{}-01", text.trim()).parse().map_err(|_| {
        invalid(domain::tr!(
            "{text:?} is not a month (YYYY-MM)",
            "{text:?} n'est pas un mois (AAAA-MM)"
        ))
    })?;
    Ok((first, first.last_of_month()))
}

/// What a remittance run did for one mandate.
#[derive(Debug, Clone, Serialize)]
pub struct RemittanceOutcome {
    pub mandate: String,
    pub creditor: String,
    /// The statement's id; `None` when the period was already issued.
    pub id: Option<i64>,
    pub collected: Money,
    pub fees_gross: Money,
    pub to_remit: Money,
    pub client_owes: Money,
    pub already_issued: bool,
}

/// The agency's client-funds account, from the settings; refused when missing, since a
/// remittance with nothing to pay it from cannot be issued.
async fn funds_account(tx: &mut dyn Tx) -> AppResult<formats::pain001::Account> {
    let get = |v: Option<String>| v.unwrap_or_default().trim().to_string();
    let iban = get(tx.setting(settings::FUNDS_IBAN).await?);
    let bic = get(tx.setting(settings::FUNDS_BIC).await?);
    let mut name = get(tx.setting(settings::FUNDS_NAME).await?);
    if name.is_empty() {
        name = get(tx.setting(crate::issuing::settings::AGENCY_NAME).await?);
    }
    if iban.is_empty() || name.is_empty() {
        return Err(invalid(domain::tr!(
            "the agency's client-funds account is not set (recouvre remittance account --name … --iban …)",
            "le compte de fonds clients de l'agence n'est pas renseigné (recouvre remittance account --name … --iban …)"
        )));
    }
    Ok(formats::pain001::Account {
        name,
        iban,
        bic: (!bic.is_empty()).then_some(bic),
    })
}

/// Sets the agency's client-funds account (R124-2: used only for clients' funds).
pub async fn set_funds_account(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    name: &str,
    iban: &str,
    bic: Option<&str>,
    company_id: Option<&str>,
) -> AppResult<()> {
    let iban = formats::iban::Iban::parse(iban)
        .map_err(|e| invalid(format!("iban: {e}")))?
        .as_str()
        .to_string();
    if name.trim().is_empty() {
        return Err(invalid(domain::tr!(
            "the account holder's name is required",
            "le nom du titulaire du compte est requis"
        )));
    }
    let mut tx = store.begin().await?;
    tx.set_setting(settings::FUNDS_NAME, name.trim()).await?;
    tx.set_setting(settings::FUNDS_IBAN, &iban).await?;
    tx.set_setting(settings::FUNDS_BIC, bic.unwrap_or("").trim())
        .await?;
    if let Some(id) = company_id {
        tx.set_setting(settings::COMPANY_ID, id.trim()).await?;
    }
    audit::record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "agency.funds_account",
        "settings:agency",
        None,
        Some(&serde_json::json!({ "name": name.trim(), "iban": iban })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The statement of one mandate for the period, computed from the store (nothing written):
/// the statement, the ledger entries it remits.
pub async fn statement_of(
    tx: &mut dyn Tx,
    m: &Mandate,
    start: Date,
    end: Date,
) -> AppResult<(Statement, Vec<(ClaimId, u32)>)> {
    let placements = tx
        .placements(&PlacementFilter {
            mandate: Some(m.id),
            ..PlacementFilter::default()
        })
        .await?;
    let claims: Vec<ClaimId> = placements.iter().map(|p| p.claim_id).collect();
    let remitted: HashSet<(ClaimId, u32)> =
        tx.remitted_entries(&claims).await?.into_iter().collect();
    // The client's claims and ledgers in two reads, not two per file.
    let placed: HashSet<ClaimId> = claims.iter().copied().collect();
    let by_id: HashMap<ClaimId, domain::Claim> = tx
        .claims(Some(m.creditor))
        .await?
        .into_iter()
        .filter(|c| placed.contains(&c.id))
        .map(|c| (c.id, c))
        .collect();
    let mut ledgers: HashMap<ClaimId, Vec<domain::LedgerEntry>> = HashMap::new();
    for (claim, e) in tx.all_ledger_entries(Some(m.creditor)).await? {
        if placed.contains(&claim) {
            ledgers.entry(claim).or_default().push(e);
        }
    }
    let mut files = Vec::new();
    let mut collections = Vec::new();
    let mut placed_in_period = Vec::new();
    for p in placements.iter().filter(|p| p.placed_on <= end) {
        let Some(claim) = by_id.get(&p.claim_id) else {
            continue;
        };
        files.push(PlacedFile {
            claim: p.claim_id,
            placed_on: p.placed_on,
            principal_minor: p.principal_minor,
            due_date: claim.due_date,
        });
        if p.placed_on >= start {
            placed_in_period.push(p.claim_id);
        }
        let entries = ledgers.get(&p.claim_id).map_or(&[][..], Vec::as_slice);
        for (settles, e) in collections_of(entries, p.placed_on, p.ended_on, end) {
            if remitted.contains(&(p.claim_id, e.seq)) {
                continue;
            }
            collections.push(Collection {
                claim: p.claim_id,
                seq: e.seq,
                date: e.date,
                amount: Money::from_minor(-e.amount_minor, claim.currency),
                settles,
            });
        }
    }
    let st = domain::agency::statement(
        &m.terms.fees,
        m.currency,
        &files,
        &collections,
        &placed_in_period,
    )
    .map_err(|e| invalid(e.to_string()))?;
    let entries = collections.iter().map(|c| (c.claim, c.seq)).collect();
    Ok((st, entries))
}

/// Issues the remittance statements of the period `start..=end` for every mandate (of one
/// client with `creditor`), each in its own transaction with its pain.001 and the entries
/// it remits: a mandate whose period was already issued is reported and left alone. The
/// period may not end after `as_of`.
pub async fn remit(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    start: Date,
    end: Date,
    as_of: Date,
    creditor: Option<&str>,
) -> AppResult<Vec<RemittanceOutcome>> {
    if end > as_of || end < start {
        return Err(invalid(domain::tr!(
            "the period {start}..{end} must end by {as_of}",
            "la période {start}..{end} doit se terminer au plus tard le {as_of}"
        )));
    }
    let list = {
        let mut tx = store.begin().await?;
        let only = creditor_filter(tx.as_mut(), creditor).await?;
        mandates(tx.as_mut(), only).await?
    };
    let mut out = Vec::new();
    for m in list {
        if m.signed_on > end {
            continue;
        }
        let mut tx = store.begin().await?;
        let existing = tx
            .remittances(Some(m.creditor), None, false)
            .await?
            .into_iter()
            .find(|r| r.mandate_id == m.id && r.period_start == start);
        if let Some(r) = existing {
            let st: Statement =
                serde_json::from_str(&r.data).map_err(|e| corrupt("remittances.data", e))?;
            out.push(RemittanceOutcome {
                mandate: m.reference.clone(),
                creditor: m.creditor_name.clone(),
                id: Some(r.id),
                collected: st.collected,
                fees_gross: st.fees_gross,
                to_remit: st.to_remit,
                client_owes: st.client_owes,
                already_issued: true,
            });
            continue;
        }
        let (st, entries) = statement_of(tx.as_mut(), &m, start, end).await?;
        if st.lines.is_empty() && st.files_charged.is_empty() {
            continue;
        }
        let message_id = format!("RCV-{}-{}", m.id, start.strftime("%Y%m"));
        let xml = if st.to_remit.is_positive() {
            let debtor = funds_account(tx.as_mut()).await?;
            let batch = formats::pain001::Batch {
                message_id: message_id.clone(),
                created_at: as_of.to_datetime(jiff::civil::time(9, 0, 0, 0)),
                payment_id: message_id.clone(),
                execution_date: as_of,
                debtor,
                transfers: vec![formats::pain001::Transfer {
                    end_to_end_id: message_id.clone(),
                    amount: st.to_remit,
                    creditor: formats::pain001::Account {
                        name: m.terms.payee_name.clone(),
                        iban: m.terms.payee_iban.clone(),
                        bic: m.terms.payee_bic.clone(),
                    },
                    remittance: format!(
                        "Reversement {} {} mandat {}",
                        start.strftime("%Y-%m"),
                        m.creditor_code,
                        m.reference
                    ),
                }],
            };
            Some(formats::pain001::write(&batch).map_err(|e| {
                invalid(domain::tr!(
                    "mandate {}: the transfer cannot be written: {e}",
                    "mandat {} : le virement ne peut être écrit : {e}",
                    m.reference
                ))
            })?)
        } else {
            None
        };
        let due_by = st
            .earliest
            .map(|d| domain::agency::remit_by(d, m.terms.remit_months));
        let stored = StoredRemittance {
            id: 0,
            mandate_id: m.id,
            creditor_id: m.creditor,
            period_start: start,
            period_end: end,
            issued_on: as_of,
            due_by,
            collected: st.collected,
            to_remit: st.to_remit,
            data: serde_json::to_string(&st).map_err(|e| corrupt("statement", e))?,
            message_id: xml.as_ref().map(|_| message_id),
            transfer_xml: xml,
            recorded_by: actor.0.clone(),
            recorded_at: clock.now_rfc3339(),
        };
        let id = tx.insert_remittance(&stored, &entries).await?;
        audit::record::<(), _>(
            tx.as_mut(),
            clock,
            actor,
            "remittance.issue",
            &format!("remittance:{id}"),
            None,
            Some(&serde_json::json!({
                "mandate": m.reference,
                "period": [start, end],
                "collected": st.collected.amount_string(),
                "fees": st.fees_gross.amount_string(),
                "to_remit": st.to_remit.amount_string(),
            })),
        )
        .await?;
        tx.insert_client_notice(&StoredClientNotice {
            id: 0,
            creditor_id: m.creditor,
            key: format!("remittance:{id}"),
            kind: "remittance".into(),
            claim_id: None,
            created_on: as_of,
            data: serde_json::json!({
                "remittance": id,
                "collected": st.collected.amount_string(),
                "to_remit": st.to_remit.amount_string(),
                "currency": m.currency.code(),
            })
            .to_string(),
            recorded_at: clock.now_rfc3339(),
            emailed_at: None,
        })
        .await?;
        tx.commit().await?;
        out.push(RemittanceOutcome {
            mandate: m.reference.clone(),
            creditor: m.creditor_name.clone(),
            id: Some(id),
            collected: st.collected,
            fees_gross: st.fees_gross,
            to_remit: st.to_remit,
            client_owes: st.client_owes,
            already_issued: false,
        });
    }
    Ok(out)
}

/// A remittance statement as read.
#[derive(Debug, Clone, Serialize)]
pub struct Remittance {
    pub id: i64,
    pub mandate: String,
    pub creditor: CreditorId,
    pub creditor_name: String,
    pub period_start: Date,
    pub period_end: Date,
    pub issued_on: Date,
    pub due_by: Option<Date>,
    pub statement: Statement,
    pub message_id: Option<String>,
    /// The claims' numbers, by id, for the lines.
    pub numbers: HashMap<i64, String>,
}

/// Remittance statements (of one client with `Some`), newest first.
pub async fn remittances(
    tx: &mut dyn Tx,
    creditor: Option<CreditorId>,
    id: Option<i64>,
) -> AppResult<Vec<Remittance>> {
    let creditors = tx.creditors().await?;
    let refs: HashMap<i64, String> = tx
        .mandates(creditor)
        .await?
        .into_iter()
        .map(|m| (m.id, m.reference))
        .collect();
    let mut out = Vec::new();
    for r in tx.remittances(creditor, id, false).await? {
        let statement: Statement =
            serde_json::from_str(&r.data).map_err(|e| corrupt("remittances.data", e))?;
        let mut numbers = HashMap::new();
        if id.is_some() {
            for l in &statement.lines {
                if let std::collections::hash_map::Entry::Vacant(v) = numbers.entry(l.claim.0)
                    && let Some(c) = tx.claim(l.claim).await?
                {
                    v.insert(c.number.as_str().to_string());
                }
            }
        }
        out.push(Remittance {
            id: r.id,
            mandate: refs.get(&r.mandate_id).cloned().unwrap_or_default(),
            creditor: r.creditor_id,
            creditor_name: creditors
                .iter()
                .find(|c| c.id == r.creditor_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            period_start: r.period_start,
            period_end: r.period_end,
            issued_on: r.issued_on,
            due_by: r.due_by,
            statement,
            message_id: r.message_id,
            numbers,
        });
    }
    Ok(out)
}

/// One remittance statement with its claims' numbers (of client `creditor` only, with
/// `Some`: another client's is not found).
pub async fn remittance(
    tx: &mut dyn Tx,
    id: i64,
    creditor: Option<CreditorId>,
) -> AppResult<Remittance> {
    remittances(tx, creditor, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound {
            what: "remittance",
            id: id.to_string(),
        })
}

/// The pain.001 of a remittance (of client `creditor` only, with `Some`).
pub async fn transfer_xml(
    tx: &mut dyn Tx,
    id: i64,
    creditor: Option<CreditorId>,
) -> AppResult<String> {
    tx.remittances(creditor, Some(id), true)
        .await?
        .into_iter()
        .next()
        .and_then(|r| r.transfer_xml)
        .ok_or_else(|| AppError::NotFound {
            what: "remittance transfer",
            id: id.to_string(),
        })
}

/// A collection not remitted in time (R124-6).
#[derive(Debug, Clone, Serialize)]
pub struct LateRemittance {
    pub mandate: String,
    pub creditor: String,
    pub debtor: domain::DebtorId,
    pub claim: ClaimId,
    /// The collection's ledger entry.
    pub seq: u32,
    pub collected_on: Date,
    pub amount: Money,
    pub due_by: Date,
}

impl LateRemittance {
    /// `remit:<claim>:<seq>`: the daily run's task for it, raised once under the actions'
    /// unique key.
    pub fn step_code(&self) -> String {
        format!("remit:{}:{}", self.claim.0, self.seq)
    }
}

/// Collections on placed files not remitted by their deadline (a month after collection
/// unless the mandate says otherwise), as of `as_of`.
pub async fn late_remittances(tx: &mut dyn Tx, as_of: Date) -> AppResult<Vec<LateRemittance>> {
    let mut out = Vec::new();
    for m in mandates(tx, None).await? {
        let (st, _) = statement_of(tx, &m, m.signed_on, as_of).await?;
        let late: Vec<_> = st
            .lines
            .iter()
            .filter(|l| l.amount.is_positive())
            .map(|l| (l, domain::agency::remit_by(l.date, m.terms.remit_months)))
            .filter(|(_, due_by)| *due_by < as_of)
            .collect();
        if late.is_empty() {
            continue;
        }
        let debtors: HashMap<ClaimId, domain::DebtorId> = tx
            .claims(Some(m.creditor))
            .await?
            .into_iter()
            .map(|c| (c.id, c.debtor_id))
            .collect();
        for (l, due_by) in late {
            let Some(debtor) = debtors.get(&l.claim) else {
                continue;
            };
            out.push(LateRemittance {
                mandate: m.reference.clone(),
                creditor: m.creditor_name.clone(),
                debtor: *debtor,
                claim: l.claim,
                seq: l.seq,
                collected_on: l.date,
                amount: l.amount,
                due_by,
            });
        }
    }
    Ok(out)
}

/// Tells clients what R124-5 requires, once each (as of `as_of`): every payment on a
/// placed file (even partial) unless it follows a plan the client was already told of, and
/// every promise or plan the debtor made on a placed file. Returns how many notices were
/// written.
pub async fn notify_clients(store: &dyn Store, clock: &dyn Clock, as_of: Date) -> AppResult<usize> {
    let mut tx = store.begin().await?;
    let written = notify_clients_in(tx.as_mut(), &clock.now_rfc3339(), as_of).await?;
    tx.commit().await?;
    Ok(written)
}

/// The step code of the e-mail carrying a payment's receipt: `receipt:<claim>:<seq>`.
pub fn receipt_step(claim: ClaimId, seq: u32) -> String {
    format!("{RECEIPT_STEP_PREFIX}{}:{seq}", claim.0)
}

/// The prefix of [`receipt_step`].
pub const RECEIPT_STEP_PREFIX: &str = "receipt:";

/// The claim and payment of a receipt's step code.
pub fn parse_receipt_step(step: &str) -> Option<(ClaimId, u32)> {
    let (claim, seq) = step.strip_prefix(RECEIPT_STEP_PREFIX)?.split_once(':')?;
    Some((ClaimId(claim.parse().ok()?), seq.parse().ok()?))
}

/// Queues the e-mail that carries the receipt of payment `e` on claim `c` to its debtor
/// (an action dated the day of the payment, under the actions' unique key: once). A
/// debtor without an e-mail address gets an outbox entry that says so.
async fn queue_receipt(
    tx: &mut dyn Tx,
    c: &domain::Claim,
    e: &domain::LedgerEntry,
    stage: domain::dunning::Stage,
    now: &str,
) -> AppResult<()> {
    let mut action = crate::store::StoredAction {
        id: 0,
        debtor_id: c.debtor_id,
        cycle: 0,
        step_code: receipt_step(c.id, e.seq),
        scenario: "agency".into(),
        channels: domain::dunning::Channels::empty().with(domain::dunning::Channel::Email),
        template: "receipt".into(),
        claims: vec![c.id],
        amount: Money::from_minor(-e.amount_minor, c.currency),
        claim_penalties: false,
        stage_after: stage,
        status: crate::store::ActionStatus::Planned,
        created_on: e.date,
        created_at: now.to_string(),
    };
    if let Some(id) = tx.insert_action(&action).await? {
        action.id = id;
        crate::outbox::enqueue_action(tx, &action, now).await?;
    }
    Ok(())
}

/// What a placement's file is called when it is closed because nothing is owed any more.
pub const PAID_IN_FULL: &str = "paid in full / soldée";

/// Why a placement ended, as the reader reads it: [`PAID_IN_FULL`] in the current
/// language, anything else as typed.
pub fn end_reason_text(reason: &str) -> String {
    if reason == PAID_IN_FULL {
        domain::tr!("paid in full", "soldée")
    } else {
        reason.to_string()
    }
}

/// [`notify_clients`] in the caller's transaction (the daily run's); it also closes the
/// placements of files on which nothing is owed any more ([`PAID_IN_FULL`]), on the day
/// of their last entry.
pub async fn notify_clients_in(tx: &mut dyn Tx, now: &str, as_of: Date) -> AppResult<usize> {
    let placements = tx.placements(&PlacementFilter::default()).await?;
    if placements.is_empty() {
        return Ok(0);
    }
    // What was told already, read once: a run writes only what is new.
    let told: HashSet<String> = tx
        .client_notices(None, usize::MAX)
        .await?
        .into_iter()
        .map(|n| n.key)
        .collect();
    let mut by_debtor: HashMap<domain::DebtorId, Vec<(StoredPlacement, domain::Claim)>> =
        HashMap::new();
    for p in placements {
        if let Some(c) = tx.claim(p.claim_id).await? {
            by_debtor.entry(c.debtor_id).or_default().push((p, c));
        }
    }
    let notice = |p: &StoredPlacement,
                  c: &domain::Claim,
                  key: String,
                  kind: &str,
                  on: Date,
                  data: serde_json::Value| StoredClientNotice {
        id: 0,
        creditor_id: p.creditor_id,
        key,
        kind: kind.into(),
        claim_id: Some(c.id),
        created_on: on,
        data: data.to_string(),
        recorded_at: now.to_string(),
        emailed_at: None,
    };
    let mut new = Vec::new();
    for (debtor, files) in by_debtor {
        let agreements = crate::agreements::of_debtor(tx, debtor).await?;
        // Proposals first: a plan told today is known to the client from today.
        let mut known_plans: Vec<(Date, Vec<ClaimId>)> = Vec::new();
        for (id, plan) in &agreements.plans {
            let Some((p, c)) = files
                .iter()
                .find(|(p, c)| plan.claims.contains(&c.id) && plan.agreed_on >= p.placed_on)
            else {
                continue;
            };
            if plan.agreed_on > as_of {
                continue;
            }
            new.push(notice(
                p,
                c,
                format!("proposal:plan:{id}"),
                "plan",
                plan.agreed_on,
                serde_json::json!({
                    "claim": c.number.as_str(),
                    "instalments": plan.instalments.len(),
                    "agreed_on": plan.agreed_on,
                }),
            ));
            known_plans.push((plan.agreed_on, plan.claims.clone()));
        }
        for (id, promise) in &agreements.promises {
            let Some((p, c)) = files.iter().find(|(p, c)| {
                (promise.claims.is_empty() || promise.claims.contains(&c.id))
                    && promise.made_on >= p.placed_on
            }) else {
                continue;
            };
            if promise.made_on > as_of {
                continue;
            }
            new.push(notice(
                p,
                c,
                format!("proposal:promise:{id}"),
                "promise",
                promise.made_on,
                serde_json::json!({
                    "claim": c.number.as_str(),
                    "amount": promise.amount.amount_string(),
                    "currency": promise.amount.currency().code(),
                    "due": promise.due,
                }),
            ));
        }
        // The receipts already queued to this debtor, and its case's stage, read once.
        let receipted: HashSet<String> = tx
            .actions(&crate::store::ActionFilter {
                debtor: Some(debtor),
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|a| a.step_code.starts_with(RECEIPT_STEP_PREFIX))
            .map(|a| a.step_code)
            .collect();
        let stage = tx
            .case(debtor)
            .await?
            .map_or(domain::dunning::Stage::Amicable, |k| k.stage);
        for (p, c) in &files {
            let entries = tx.ledger_entries(c.id).await?;
            let upto: Vec<&domain::LedgerEntry> =
                entries.iter().filter(|e| e.date <= as_of).collect();
            let balance: i64 = upto.iter().map(|e| e.amount_minor).sum();
            if p.state == PlacementState::Placed
                && balance <= 0
                && let Some(last) = upto.iter().map(|e| e.date).max()
            {
                tx.end_placement(
                    p.id,
                    PlacementState::Closed,
                    last.max(p.placed_on),
                    PAID_IN_FULL,
                )
                .await?;
            }
            for (settles, e) in collections_of(&entries, p.placed_on, p.ended_on, as_of) {
                if e.kind != EntryKind::Payment {
                    continue;
                }
                // Every payment gets its receipt by e-mail (R124-6), once.
                if !receipted.contains(&receipt_step(c.id, e.seq)) {
                    queue_receipt(tx, c, &e, stage, now).await?;
                }
                let under_plan = known_plans
                    .iter()
                    .any(|(agreed, claims)| claims.contains(&c.id) && *agreed <= e.date);
                if !domain::agency::must_inform_client(under_plan) {
                    continue;
                }
                new.push(notice(
                    p,
                    c,
                    format!("payment:{}:{}", c.id.0, e.seq),
                    "payment",
                    e.date,
                    serde_json::json!({
                        "claim": c.number.as_str(),
                        "amount": Money::from_minor(-e.amount_minor, c.currency).amount_string(),
                        "currency": c.currency.code(),
                        "settles": settles,
                    }),
                ));
            }
        }
    }
    let mut written = 0;
    for n in new.iter().filter(|n| !told.contains(&n.key)) {
        if tx.insert_client_notice(n).await? {
            written += 1;
        }
    }
    Ok(written)
}

/// One file in a client's report.
#[derive(Debug, Clone, Serialize)]
pub struct ClientFile {
    pub claim: ClaimId,
    pub number: String,
    pub debtor: String,
    pub placed_on: Date,
    pub state: PlacementState,
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
    pub principal_placed: Money,
    pub collected: Money,
    pub open: Money,
    /// Messages and tasks the agency issued on the file while it was placed.
    pub actions: usize,
}

/// What a client sees: its files, what was recovered, its statements and notices.
#[derive(Debug, Clone, Serialize)]
pub struct ClientReport {
    pub creditor: CreditorId,
    pub creditor_name: String,
    pub from: Date,
    pub to: Date,
    pub files: Vec<ClientFile>,
    pub placed: Money,
    pub recovered: Money,
    /// Recovered over placed, percent with one decimal (as text), `None` when nothing was
    /// placed.
    pub recovery_rate: Option<String>,
    pub closed: usize,
    pub remitted: Money,
    pub mandates: Vec<Mandate>,
    pub remittances: Vec<Remittance>,
    pub notices: Vec<StoredClientNotice>,
}

/// The report of client `creditor` for files placed up to `to`, collections from `from`
/// to `to`. Everything in it is that creditor's: the queries are bound to it.
pub async fn client_report(
    tx: &mut dyn Tx,
    creditor: CreditorId,
    from: Date,
    to: Date,
) -> AppResult<ClientReport> {
    let c = tx
        .creditors()
        .await?
        .into_iter()
        .find(|c| c.id == creditor)
        .ok_or_else(|| AppError::NotFound {
            what: "creditor",
            id: creditor.0.to_string(),
        })?;
    let mandates = mandates(tx, Some(creditor)).await?;
    let currency = mandates.first().map_or(Currency::EUR, |m| m.currency);
    let placements = tx
        .placements(&PlacementFilter {
            creditor: Some(creditor),
            ..PlacementFilter::default()
        })
        .await?;
    let mut files = Vec::new();
    let (mut placed, mut recovered) = (0i64, 0i64);
    for p in placements.iter().filter(|p| p.placed_on <= to) {
        // One read of the claim, its debtor and its ledger.
        let detail = crate::queries::claim_detail(tx, p.claim_id, to).await?;
        let claim = &detail.claim;
        if claim.creditor_id != creditor {
            continue;
        }
        let collected = collected_minor(
            detail.ledger.entries(),
            p.placed_on.max(from),
            p.ended_on,
            to,
        );
        let debtor = detail.debtor.name.clone();
        let actions = actions_on_file(tx, claim.debtor_id, p, p.ended_on.unwrap_or(to)).await?;
        placed += p.principal_minor;
        recovered += collected;
        files.push(ClientFile {
            claim: p.claim_id,
            number: claim.number.as_str().to_string(),
            debtor,
            placed_on: p.placed_on,
            state: p.state,
            ended_on: p.ended_on,
            end_reason: p.end_reason.clone(),
            principal_placed: Money::from_minor(p.principal_minor, claim.currency),
            collected: Money::from_minor(collected, claim.currency),
            open: detail.open,
            actions,
        });
    }
    let remittances: Vec<Remittance> = remittances(tx, Some(creditor), None)
        .await?
        .into_iter()
        .filter(|r| r.period_end >= from && r.period_start <= to)
        .collect();
    let remitted: i64 = remittances
        .iter()
        .map(|r| r.statement.to_remit.minor())
        .sum();
    let recovery_rate = (placed > 0).then(|| {
        let rate = rust_decimal::Decimal::from(recovered) * rust_decimal::Decimal::from(100)
            / rust_decimal::Decimal::from(placed);
        format!("{:.1}", rate.round_dp(1))
    });
    Ok(ClientReport {
        creditor,
        creditor_name: c.name,
        from,
        to,
        closed: files
            .iter()
            .filter(|f| f.state != PlacementState::Placed)
            .count(),
        files,
        placed: Money::from_minor(placed, currency),
        recovered: Money::from_minor(recovered, currency),
        recovery_rate,
        remitted: Money::from_minor(remitted, currency),
        mandates,
        remittances,
        notices: {
            let mut n = tx.client_notices(Some(creditor), 200).await?;
            // Newest first by the day it happened (a payment imported late comes in its place).
            n.sort_by(|a, b| b.created_on.cmp(&a.created_on).then(b.id.cmp(&a.id)));
            n
        },
    })
}

/// A client's files as a table (CSV or XLSX, as the client space and the API export
/// them), headers in the current language.
pub fn report_sheet(report: &ClientReport) -> formats::sheet::Sheet {
    use formats::sheet::SheetCell as C;
    formats::sheet::Sheet {
        title: domain::tr!("Files placed", "Dossiers confiés"),
        headers: vec![
            domain::tr!("claim", "créance"),
            domain::tr!("debtor", "débiteur"),
            domain::tr!("placed on", "confiée le"),
            domain::tr!("state", "état"),
            domain::tr!("ended on", "fin le"),
            domain::tr!("reason", "motif"),
            domain::tr!("placed", "confié"),
            domain::tr!("collected", "encaissé"),
            domain::tr!("open", "reste dû"),
            domain::tr!("actions", "actions"),
        ],
        rows: report
            .files
            .iter()
            .map(|f| {
                vec![
                    C::Text(f.number.clone()),
                    C::Text(f.debtor.clone()),
                    C::Text(f.placed_on.to_string()),
                    C::Text(f.state.as_str().to_string()),
                    f.ended_on.map_or(C::Empty, |d| C::Text(d.to_string())),
                    f.end_reason
                        .as_deref()
                        .map_or(C::Empty, |r| C::Text(end_reason_text(r))),
                    C::Amount(f.principal_placed),
                    C::Amount(f.collected),
                    C::Amount(f.open),
                    C::Count(f.actions as u64),
                ]
            })
            .collect(),
    }
}

/// The client's files as CSV.
pub fn report_csv(report: &ClientReport) -> AppResult<Vec<u8>> {
    formats::sheet::to_csv(
        &report_sheet(report),
        domain::lang::current() == Some(domain::lang::Lang::Fr),
    )
    .map_err(|e| invalid(e.to_string()))
}

/// The client's files as an XLSX workbook.
pub fn report_xlsx(report: &ClientReport) -> AppResult<Vec<u8>> {
    formats::sheet::to_xlsx(&[report_sheet(report)]).map_err(|e| invalid(e.to_string()))
}

/// A remittance statement as plain text, in the current language: the lines, then the
/// totals (collected, commission, fees, VAT, remitted).
pub fn statement_text(r: &Remittance) -> String {
    let s = &r.statement;
    let mut out = domain::tr!(
        "Remittance statement {} — {}, mandate {}, {} to {}, issued {}\n",
        "Relevé de reversement {} — {}, mandat {}, du {} au {}, émis le {}\n",
        r.id,
        r.creditor_name,
        r.mandate,
        r.period_start,
        r.period_end,
        r.issued_on
    );
    for l in &s.lines {
        let number = r
            .numbers
            .get(&l.claim.0)
            .cloned()
            .unwrap_or_else(|| l.claim.0.to_string());
        out.push_str(&format!(
            "  {} {number:<20} {:>14} × {:>5} % = {:>12}{}\n",
            l.date,
            l.amount.to_string(),
            l.rate.normalize(),
            l.commission.to_string(),
            l.success_fee
                .map(|f| domain::tr!(" + success {f}", " + succès {f}"))
                .unwrap_or_default()
        ));
    }
    out.push_str(&domain::tr!(
        "Collected {}\nCommission {}\nFile fees {} ({} files)\nSuccess fees {}\nFees before VAT {}\nVAT {}\nFees incl. VAT {}\nRemitted {}\n",
        "Encaissé {}\nCommission {}\nFrais de dossier {} ({} dossiers)\nHonoraires de résultat {}\nHonoraires HT {}\nTVA {}\nHonoraires TTC {}\nReversé {}\n",
        s.collected,
        s.commission,
        s.file_fees,
        s.files_charged.len(),
        s.success_fees,
        s.fees_net,
        s.vat,
        s.fees_gross,
        s.to_remit
    ));
    if s.client_owes.is_positive() {
        out.push_str(&domain::tr!(
            "Owed by the client {}\n",
            "Dû par le client {}\n",
            s.client_owes
        ));
    }
    if let Some(d) = r.due_by {
        out.push_str(&domain::tr!(
            "Funds due by {d} (R124-6)\n",
            "Fonds à reverser avant le {d} (R124-6)\n"
        ));
    }
    out
}

/// What [`seed_demo`] built.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DemoAgency {
    /// (code, name) of each client.
    pub clients: Vec<(String, String)>,
    pub placed: usize,
    pub payments: usize,
    pub remittances: usize,
    pub notices: usize,
}

/// The demo's agency (`recouvre demo --agency`): three client creditors with their own
/// identities, mandates under different fee terms (a flat rate with a minimum, bands by
/// amount with a fee per file, bands by age with a success fee), files placed over the
/// three months before `clock.today()`, payments on them, the notices R124-5 requires and
/// the remittance statements of the months already closed. Fictitious names and figures;
/// the IBANs are valid examples. Deterministic.
pub async fn seed_demo(store: &dyn Store, clock: &dyn Clock) -> AppResult<DemoAgency> {
    let actor = Actor("cli:demo".into());
    let today = clock.today();
    let month0 = today.first_of_month();
    let back = |months: i8, day: i8| -> AppResult<Date> {
        let m = month0
            .checked_sub(jiff::Span::new().months(months))
            .map_err(|e| invalid(e.to_string()))?;
        Ok(m.with().day(day).build().unwrap_or(m))
    };
    set_funds_account(
        store,
        clock,
        &actor,
        "Cabinet Recouvre Démo — compte clients",
        "FR7630004000031234567890143",
        Some("BNPAFRPP"),
        Some("SIREN 900 000 001, TVA FR00 900000001 (fictifs / fictitious)"),
    )
    .await?;
    {
        let mut tx = store.begin().await?;
        use crate::issuing::settings as s;
        for (k, v) in [
            (s::AGENCY_NAME, "Cabinet Recouvre Démo SAS"),
            (s::AGENCY_ADDRESS, "12 rue de la Paix\n69002 Lyon"),
            (s::AGENCY_EMAIL, "contact@cabinet-demo.example"),
            (s::AGENCY_PHONE, "04 72 00 00 00"),
        ] {
            tx.set_setting(k, v).await?;
        }
        tx.commit().await?;
    }
    let clients: [(&str, &str, &str, &str); 3] = [
        (
            "ALPHA",
            "Menuiserie Alpha SARL",
            "5 rue des Artisans\n44000 Nantes",
            "15",
        ),
        (
            "BETA",
            "Transports Bêta SAS",
            "40 avenue du Port\n13002 Marseille",
            "amount:1000=18,5000=12,*=8",
        ),
        (
            "GAMMA",
            "Clinique vétérinaire Gamma",
            "3 place du Marché\n35000 Rennes",
            "age:90=10,365=15,*=25",
        ),
    ];
    let mut out = DemoAgency::default();
    let mut seed: u64 = 0x5eed_a9e4;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let debtor_names = [
        "Boulangerie Martin",
        "Garage des Pins",
        "Hôtel du Lac",
        "Pharmacie Centrale",
        "Atelier Roux",
        "Café de la Gare",
        "Fromagerie Lenoir",
        "Imprimerie Morel",
    ];
    for (ci, (code, name, address, commission)) in clients.iter().enumerate() {
        let creditor = {
            let mut tx = store.begin().await?;
            let c = match tx.creditor_by_code(code).await? {
                Some(c) => c,
                None => tx.insert_creditor(code, name, "FR").await?,
            };
            tx.commit().await?;
            c
        };
        set_client_identity(
            store,
            clock,
            &actor,
            code,
            &ClientIdentity {
                name: Some((*name).to_string()),
                address: Some((*address).to_string()),
                city: address.lines().last().map(|l| l.trim().to_string()),
                email: Some(format!("compta@{}.example", code.to_lowercase())),
                phone: None,
                company_id: Some(format!("SIREN 91{ci} 000 00{ci} (fictif / fictitious)")),
                iban: Some("FR7630006000011234567890189".into()),
                bic: None,
            },
        )
        .await?;
        let fees = FeeTerms {
            commission: Commission::parse(commission, Currency::EUR)
                .map_err(|e| invalid(e.to_string()))?,
            minimum: (ci == 0).then(|| Money::from_minor(15_00, Currency::EUR)),
            file_fee: (ci == 1).then(|| Money::from_minor(25_00, Currency::EUR)),
            success_fee: (ci == 2).then(|| Money::from_minor(40_00, Currency::EUR)),
            vat_rate: rust_decimal::Decimal::from(20),
        };
        let reference = format!("MDT-{code}-{}", back(4, 1)?.year());
        add_mandate(
            store,
            clock,
            &actor,
            NewMandate {
                creditor: (*code).to_string(),
                reference: reference.clone(),
                signed_on: back(4, 1)?,
                ends_on: None,
                currency: Currency::EUR,
                terms: MandateTerms {
                    fees,
                    remit_months: 1,
                    insurance: "Hiscox, police RC Pro n° DEMO-2026-0042".into(),
                    scope: "Factures impayées de plus de 30 jours".into(),
                    payee_name: (*name).to_string(),
                    payee_iban: "FR7630006000011234567890189".into(),
                    payee_bic: Some("AGRIFRPP".into()),
                },
            },
        )
        .await?;
        // Eight debtors, one or two claims each, placed over three months.
        for (di, dname) in debtor_names.iter().enumerate() {
            let placed_on = back(3 - (di % 3) as i8, 3 + di as i8)?;
            let mut numbers = Vec::new();
            let mut claims = Vec::new();
            {
                let mut tx = store.begin().await?;
                let debtor = domain::Debtor {
                    id: domain::DebtorId(0),
                    creditor_id: creditor.id,
                    external_id: format!("{code}-C{di:02}"),
                    name: format!("{dname} ({code})"),
                    kind: domain::DebtorKind::Company,
                    segment: domain::Segment::B2b,
                    country: "FR".into(),
                    language: "fr".into(),
                    contacts: vec![
                        domain::Contact {
                            kind: domain::ContactKind::Email,
                            value: format!("compta{di}@{}.example", code.to_lowercase()),
                            label: None,
                        },
                        domain::Contact {
                            kind: domain::ContactKind::Address,
                            value: format!("{} rue du Commerce\n75011 Paris", 10 + di),
                            label: None,
                        },
                    ],
                    tags: vec![],
                };
                let debtor_id = tx.insert_debtor(&debtor).await?;
                for k in 0..(1 + di % 2) {
                    let amount = 300_00 + next(9_000) as i64 * 100;
                    let issue = placed_on
                        .checked_sub(jiff::Span::new().days(60 + 30 * k as i64 + next(200) as i64))
                        .map_err(|e| invalid(e.to_string()))?;
                    let due = issue
                        .checked_add(jiff::Span::new().days(30))
                        .map_err(|e| invalid(e.to_string()))?;
                    let number = format!("{code}-{}-{di:02}{k}", issue.year());
                    let claim = domain::Claim {
                        id: ClaimId(0),
                        creditor_id: creditor.id,
                        debtor_id,
                        external_id: number.clone(),
                        number: domain::ClaimNumber::parse(&number)
                            .map_err(|e| invalid(e.to_string()))?,
                        nature: domain::Nature::Commercial,
                        issue_date: issue,
                        due_date: due,
                        currency: Currency::EUR,
                    };
                    let id = tx.insert_claim(&claim).await?;
                    let mut l = domain::ClaimLedger::new(Currency::EUR);
                    l.post(
                        EntryKind::Invoice,
                        Money::from_minor(amount, Currency::EUR),
                        issue,
                        None,
                    )
                    .map_err(|e| invalid(e.to_string()))?;
                    tx.append_entries(id, l.entries(), &clock.now_rfc3339())
                        .await?;
                    numbers.push(number);
                    claims.push((id, amount));
                }
                tx.commit().await?;
            }
            let placed = place(store, clock, &actor, &reference, &numbers, placed_on).await?;
            out.placed += placed.claims.len();
            // Payments after placement: some in full, some in part, some nothing yet.
            for (id, amount) in claims {
                let paid = match next(4) {
                    0 => amount,
                    1 => amount / 2,
                    2 => amount / 4,
                    _ => 0,
                };
                if paid == 0 {
                    continue;
                }
                let on = placed_on
                    .checked_add(jiff::Span::new().days(5 + next(25) as i64))
                    .map_err(|e| invalid(e.to_string()))?;
                if on >= today {
                    continue;
                }
                let mut tx = store.begin().await?;
                let entries = tx.ledger_entries(id).await?;
                let before = entries.len();
                let mut l = domain::ClaimLedger::from_entries(Currency::EUR, entries);
                l.post(
                    EntryKind::Payment,
                    Money::from_minor(paid, Currency::EUR),
                    on,
                    Some("virement compte clients".into()),
                )
                .map_err(|e| invalid(e.to_string()))?;
                tx.append_entries(id, &l.entries()[before..], &clock.now_rfc3339())
                    .await?;
                tx.commit().await?;
                out.payments += 1;
            }
        }
        out.clients.push(((*code).to_string(), (*name).to_string()));
    }
    out.notices = notify_clients(store, clock, today).await?;
    // The months already closed are remitted, except the last one, left for the user to
    // issue (the agency page's button).
    for months in [3, 2] {
        let start = back(months, 1)?;
        let end = start.last_of_month();
        // Issued on the 2nd of the next month, as an agency does.
        let issued = end
            .checked_add(jiff::Span::new().days(2))
            .map_err(|e| invalid(e.to_string()))?;
        out.remittances += remit(store, clock, &actor, start, end, issued.min(today), None)
            .await?
            .iter()
            .filter(|o| !o.already_issued)
            .count();
    }
    Ok(out)
}

/// The facts of a receipt ("quittance", R124-6) for one payment on a placed file.
#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    /// `Q-{claim}-{seq}`: one receipt per payment entry.
    pub number: String,
    pub agency_name: String,
    pub agency_address: Vec<String>,
    pub creditor_name: String,
    pub debtor_name: String,
    pub debtor_address: Vec<String>,
    pub claim_number: String,
    pub paid_on: Date,
    pub amount: Money,
    /// What the debtor still owes on the claim after this payment.
    pub balance_after: Money,
    pub mandate: String,
    /// The debtor's language (`fr`, `en`): the receipt's.
    pub language: String,
}

/// The receipt of payment `seq` of claim `claim` (by default its latest payment). Refused:
/// an entry that is not a payment, a claim not placed with the agency when it was paid, an
/// agency without a name (the receipt says who received the money).
pub async fn receipt(tx: &mut dyn Tx, claim: ClaimId, seq: Option<u32>) -> AppResult<Receipt> {
    let c = tx.claim(claim).await?.ok_or_else(|| AppError::NotFound {
        what: "claim",
        id: claim.0.to_string(),
    })?;
    let entries = tx.ledger_entries(claim).await?;
    let seq = match seq {
        Some(s) => s,
        None => entries
            .iter()
            .filter(|e| e.kind == EntryKind::Payment)
            .map(|e| e.seq)
            .max()
            .ok_or_else(|| {
                invalid(domain::tr!(
                    "claim {} has received no payment",
                    "la créance {} n'a reçu aucun paiement",
                    c.number.as_str()
                ))
            })?,
    };
    let entry = entries
        .iter()
        .find(|e| e.seq == seq && e.kind == EntryKind::Payment)
        .ok_or_else(|| AppError::NotFound {
            what: "payment",
            id: format!("{}:{seq}", claim.0),
        })?;
    let placement = tx
        .placements(&PlacementFilter {
            claim: Some(claim),
            ..PlacementFilter::default()
        })
        .await?
        .into_iter()
        .find(|p| p.placed_on <= entry.date && p.ended_on.is_none_or(|e| entry.date <= e))
        .ok_or_else(|| {
            invalid(domain::tr!(
                "claim {} was not placed with the agency on {}: the creditor gives its own receipt",
                "la créance {} n'était pas confiée à l'agence le {} : le créancier délivre lui-même le reçu",
                c.number.as_str(),
                entry.date
            ))
        })?;
    let agency_name = tx
        .setting(crate::issuing::settings::AGENCY_NAME)
        .await?
        .unwrap_or_default();
    if agency_name.trim().is_empty() {
        return Err(invalid(domain::tr!(
            "the agency's name is not set (recouvre letters sender --agency-name …): a receipt says who received the payment",
            "le nom de l'agence n'est pas renseigné (recouvre letters sender --agency-name …) : une quittance dit qui a reçu le paiement"
        )));
    }
    let agency_address = crate::issuing::address_lines(
        &tx.setting(crate::issuing::settings::AGENCY_ADDRESS)
            .await?
            .unwrap_or_default(),
    );
    let balance: i64 = entries
        .iter()
        .filter(|e| e.seq <= seq)
        .map(|e| e.amount_minor)
        .sum();
    let debtor = tx
        .debtor(c.debtor_id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "debtor",
            id: c.debtor_id.0.to_string(),
        })?;
    let sender = crate::issuing::sender(tx, c.creditor_id).await?;
    let mandate = tx
        .mandates(Some(c.creditor_id))
        .await?
        .into_iter()
        .find(|m| m.id == placement.mandate_id)
        .map(|m| m.reference)
        .unwrap_or_default();
    Ok(Receipt {
        number: format!("Q-{}-{seq}", claim.0),
        agency_name,
        agency_address,
        creditor_name: sender.name,
        debtor_address: crate::issuing::address_lines(
            debtor
                .contact(domain::ContactKind::Address)
                .unwrap_or_default(),
        ),
        debtor_name: debtor.name,
        language: debtor.language,
        claim_number: c.number.as_str().to_string(),
        paid_on: entry.date,
        amount: Money::from_minor(-entry.amount_minor, c.currency),
        balance_after: Money::from_minor(balance.max(0), c.currency),
        mandate,
    })
}

/// What the agency's fee invoice for a statement says of the agency and the client.
#[derive(Debug, Clone, Serialize)]
pub struct InvoiceParties {
    pub agency_name: String,
    pub agency_address: Vec<String>,
    /// SIREN and VAT number, as set (`recouvre remittance account --company-id`).
    pub agency_company_id: String,
    pub client_name: String,
    pub client_address: Vec<String>,
}

/// The parties of statement `r`'s fee invoice. Refused when the agency's name, address or
/// company identifiers are not set: an invoice without them is not one (C. com. L441-9).
pub async fn invoice_parties(tx: &mut dyn Tx, r: &Remittance) -> AppResult<InvoiceParties> {
    use crate::issuing::settings as s;
    let get = |v: Option<String>| v.unwrap_or_default().trim().to_string();
    let agency_name = get(tx.setting(s::AGENCY_NAME).await?);
    let agency_address = crate::issuing::address_lines(&get(tx.setting(s::AGENCY_ADDRESS).await?));
    let agency_company_id = get(tx.setting(settings::COMPANY_ID).await?);
    let mut missing = Vec::new();
    if agency_name.is_empty() {
        missing.push(domain::tr!("the agency's name", "le nom de l'agence"));
    }
    if agency_address.is_empty() {
        missing.push(domain::tr!("the agency's address", "l'adresse de l'agence"));
    }
    if agency_company_id.is_empty() {
        missing.push(domain::tr!(
            "the agency's SIREN and VAT number (recouvre remittance account --company-id)",
            "le SIREN et le numéro de TVA de l'agence (recouvre remittance account --company-id)"
        ));
    }
    if !missing.is_empty() {
        return Err(invalid(domain::tr!(
            "the fee invoice cannot be issued without {}",
            "la facture d'honoraires ne peut être émise sans {}",
            missing.join(", ")
        )));
    }
    let client = crate::issuing::sender(tx, r.creditor).await?;
    Ok(InvoiceParties {
        agency_name,
        agency_address,
        agency_company_id,
        client_name: client.name,
        client_address: client.address_lines,
    })
}

/// One notice as a line a client reads, in `lang`, amounts written by `money` (the
/// interface's or the letters' formatting).
pub fn notice_line(
    n: &StoredClientNotice,
    lang: domain::lang::Lang,
    money: &dyn Fn(Money) -> String,
) -> String {
    use domain::lang::Lang;
    let l = |en: &'static str, fr: &'static str| if lang == Lang::En { en } else { fr };
    let v: serde_json::Value = serde_json::from_str(&n.data).unwrap_or_default();
    let s = |k: &str| {
        v.get(k)
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .unwrap_or_default()
    };
    let amount = |k: &str| {
        domain::money::parse_currency(&s("currency"))
            .ok()
            .and_then(|c| Money::parse(&s(k), c).ok())
            .map_or_else(|| s(k), money)
    };
    let claim = format!("{} {}", l("claim", "créance"), s("claim"));
    match n.kind.as_str() {
        "payment" => format!(
            "{} {} — {claim}",
            l("Payment received:", "Paiement reçu :"),
            amount("amount")
        ),
        "plan" => format!(
            "{} — {claim} ({} {})",
            l(
                "Payment plan agreed by the debtor",
                "Échéancier accepté par le débiteur"
            ),
            s("instalments"),
            l("instalments", "échéances")
        ),
        "promise" => format!(
            "{} {} ({}) — {claim}",
            l("Promise to pay:", "Promesse de paiement :"),
            amount("amount"),
            s("due")
        ),
        "withdrawal" => format!(
            "{} — {claim} ({})",
            l("File returned", "Dossier restitué"),
            s("reason")
        ),
        "remittance" => format!(
            "{} #{} — {} {}",
            l("Remittance statement", "Relevé de reversement"),
            s("remittance"),
            l("remitted", "reversé"),
            amount("to_remit")
        ),
        other => other.to_string(),
    }
}

/// What e-mailing the clients' notices did for one client.
#[derive(Debug, Clone, Serialize)]
pub struct NoticesEmailed {
    pub client: String,
    pub recipient: String,
    pub notices: usize,
    /// Why it could not be sent (nothing marked e-mailed then).
    pub error: Option<String>,
}

/// Sends each client, by e-mail to its own address (`recouvre client identity --email`),
/// the notices not yet e-mailed to it (R124-5), as one message; a client without an
/// address is reported and keeps its notices for its space. Each message is prepared
/// (connection, sender, recipient), then its notices are marked e-mailed and committed,
/// then it leaves; if it could not leave, the marks are cleared: a notice is never marked
/// sent without being sent, and goes once.
pub async fn email_client_notices(
    store: &dyn Store,
    clock: &dyn Clock,
    transport: &dyn crate::outbox::Transport,
    money: &(dyn Fn(Money, domain::lang::Lang) -> String + Sync),
) -> AppResult<Vec<NoticesEmailed>> {
    let (creditors, pending, domain) = {
        let mut tx = store.begin_read().await?;
        let pending: Vec<StoredClientNotice> = tx
            .client_notices(None, usize::MAX)
            .await?
            .into_iter()
            .filter(|n| n.emailed_at.is_none())
            .collect();
        (
            tx.creditors().await?,
            pending,
            crate::outbox::message_id_domain(tx.as_mut()).await?,
        )
    };
    let mut out = Vec::new();
    for c in creditors {
        let mut mine: Vec<&StoredClientNotice> =
            pending.iter().filter(|n| n.creditor_id == c.id).collect();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by(|a, b| a.created_on.cmp(&b.created_on).then(a.id.cmp(&b.id)));
        let recipient = {
            let mut tx = store.begin_read().await?;
            client_identity(tx.as_mut(), &c.code)
                .await?
                .email
                .unwrap_or_default()
        };
        let mut report = NoticesEmailed {
            client: c.code.clone(),
            recipient: recipient.clone(),
            notices: 0,
            error: None,
        };
        if recipient.is_empty() {
            report.error = Some(domain::tr!(
                "no e-mail address for this client (recouvre client identity {} --email …): the notices wait in its space",
                "aucune adresse e-mail pour ce client (recouvre client identity {} --email …) : les avis l'attendent dans son espace",
                c.code
            ));
            out.push(report);
            continue;
        }
        // The client's language: French for a French client, English otherwise.
        let lang = if c.country.eq_ignore_ascii_case("FR") {
            domain::lang::Lang::Fr
        } else {
            domain::lang::Lang::En
        };
        let fr = lang == domain::lang::Lang::Fr;
        let lines: Vec<String> = mine
            .iter()
            .map(|n| {
                format!(
                    "- {} · {}",
                    n.created_on,
                    notice_line(n, lang, &|m| money(m, lang))
                )
            })
            .collect();
        let ids: Vec<i64> = mine.iter().map(|n| n.id).collect();
        let outgoing = crate::outbox::Outgoing {
            outbox_id: 0,
            channel: domain::dunning::Channel::Email,
            recipient,
            message_id: format!(
                "<client-notices-{}-{}-{}@{domain}>",
                c.code.to_lowercase(),
                ids.first().copied().unwrap_or_default(),
                ids.last().copied().unwrap_or_default()
            ),
            reply_to: None,
            content: crate::outbox::Composed {
                subject: if fr {
                    format!("{} — {} avis sur vos dossiers", c.name, ids.len())
                } else {
                    format!("{} — {} notices on your files", c.name, ids.len())
                },
                text: if fr {
                    format!(
                        "Bonjour,\n\nVoici les nouvelles de vos dossiers confiés (art. R124-5 du Code des procédures civiles d'exécution) :\n\n{}\n\nLe détail figure dans votre espace client.\n",
                        lines.join("\n")
                    )
                } else {
                    format!(
                        "Hello,\n\nHere is the news of the files you placed with us (art. R124-5 of the French Code of civil enforcement procedures):\n\n{}\n\nThe details are in your client space.\n",
                        lines.join("\n")
                    )
                },
                html: None,
                attachments: Vec::new(),
            },
        };
        let prepared = match transport.prepare(&outgoing).await {
            Ok(p) => p,
            Err(e) => {
                report.error = Some(e.message);
                out.push(report);
                continue;
            }
        };
        {
            let mut tx = store.begin().await?;
            tx.set_client_notices_emailed(&ids, Some(&clock.now_rfc3339()))
                .await?;
            tx.commit().await?;
        }
        match prepared.send().await {
            Ok(_) => report.notices = ids.len(),
            Err(e) => {
                // Not sent, or not surely: a definite failure clears the marks so that the
                // next pass sends them; an uncertain one keeps them (never twice).
                if !e.uncertain {
                    let mut tx = store.begin().await?;
                    tx.set_client_notices_emailed(&ids, None).await?;
                    tx.commit().await?;
                }
                report.error = Some(e.message);
            }
        }
        out.push(report);
    }
    Ok(out)
}
