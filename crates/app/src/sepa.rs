//! SEPA direct debit for payment plans: mandates, the creditor's SEPA identity, and the
//! pain.008 export of the instalments due.
//!
//! [`export`] collects, in one transaction, every instalment due on or before the
//! collection date of an active plan that has a mandate, not yet collected and not yet
//! covered by payments; writes the pain.008 message ([`formats::pain008`]) and marks each
//! instalment with the message id, so that a second export never collects it again. The
//! first debit under a mandate is a `FRST`, the following ones `RCUR`.

use crate::agreements::list;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{AgreementFilter, AgreementKind, Store, StoredAgreement, Tx};
use domain::agreements::{Plan, PlanStatus, plan_progress};
use domain::date::Date;
use domain::{DebtorId, Money};
use formats::pain008::{
    Batch, Creditor, LocalInstrument, PaymentGroup, Remittance, SequenceType, Transaction, Version,
    write,
};
use serde::{Deserialize, Serialize};

/// Settings: the creditor's SEPA identity.
pub const CREDITOR_NAME: &str = "sepa_creditor_name";
pub const CREDITOR_IBAN: &str = "sepa_creditor_iban";
pub const CREDITOR_BIC: &str = "sepa_creditor_bic";
pub const CREDITOR_ID: &str = "sepa_creditor_identifier";
/// Setting: the company's postal address (letters, the settings page), as typed.
pub const COMPANY_ADDRESS: &str = "company_address";
/// Setting: the number of the last message written (message ids are `RCV-YYYYMMDD-N`).
const MESSAGE_SEQ: &str = "sepa_message_seq";

/// A SEPA direct-debit mandate signed by a debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mandate {
    /// The unique mandate reference (RUM, "référence unique du mandat").
    pub reference: String,
    pub debtor_id: DebtorId,
    pub signed_on: Date,
    pub iban: String,
    pub bic: Option<String>,
    /// B2B scheme (business debtors who waived refunds) rather than CORE.
    pub b2b: bool,
    /// The day of its last collection (`None`: the next one is the first).
    pub last_collected: Option<Date>,
}

/// Records a mandate in the caller's transaction (audited by
/// [`crate::audit::add_mandate`]). The IBAN (and BIC) are checked now, not at the first
/// export.
pub async fn add_mandate_in(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    mandate: &Mandate,
) -> AppResult<i64> {
    formats::iban::Iban::parse(&mandate.iban)
        .map_err(|e| AppError::Invalid(format!("iban: {e}")))?;
    if mandate.reference.is_empty() || mandate.reference.len() > 35 {
        return Err(AppError::Invalid(domain::tr!(
            "reference: 1 to 35 characters",
            "reference : 1 à 35 caractères"
        )));
    }
    if tx.debtor(mandate.debtor_id).await?.is_none() {
        return Err(AppError::NotFound {
            what: "debtor",
            id: mandate.debtor_id.to_string(),
        });
    }
    let existing: Vec<(i64, Mandate)> = list(tx, AgreementKind::Mandate, None).await?;
    if existing
        .iter()
        .any(|(_, m)| m.reference == mandate.reference)
    {
        return Err(AppError::Invalid(domain::tr!(
            "reference: mandate {} exists already",
            "reference : le mandat {} existe déjà",
            mandate.reference
        )));
    }
    let body = serde_json::to_string(mandate).map_err(|e| AppError::Invalid(e.to_string()))?;
    let id = tx
        .insert_agreement(&StoredAgreement {
            id: 0,
            kind: AgreementKind::Mandate,
            debtor_id: mandate.debtor_id,
            status: "active".into(),
            body,
            updated_at: clock.now_rfc3339(),
        })
        .await?;
    Ok(id)
}

/// The creditor's SEPA identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditorIdentity {
    pub name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub identifier: String,
}

impl CreditorIdentity {
    /// As typed by a person: IBAN without its spaces, codes in capitals, an empty BIC
    /// absent.
    pub fn normalised(&self) -> Self {
        Self {
            name: self.name.trim().to_string(),
            iban: self
                .iban
                .split_whitespace()
                .collect::<String>()
                .to_uppercase(),
            bic: self
                .bic
                .as_deref()
                .map(|b| b.trim().to_uppercase())
                .filter(|b| !b.is_empty()),
            identifier: self.identifier.trim().to_uppercase(),
        }
    }
}

/// Stores the creditor's SEPA identity after checking it, in the caller's transaction
/// (audited by [`crate::audit::set_sepa_creditor`] and [`crate::audit::set_company`]).
pub async fn set_creditor_in(tx: &mut dyn Tx, identity: &CreditorIdentity) -> AppResult<()> {
    if identity.name.trim().is_empty() {
        return Err(AppError::Invalid(domain::tr!(
            "name: required",
            "name : raison sociale obligatoire"
        )));
    }
    formats::iban::Iban::parse(&identity.iban)
        .map_err(|e| AppError::Invalid(format!("iban: {e}")))?;
    formats::pain008::check_creditor_identifier(&identity.identifier).map_err(|e| {
        AppError::Invalid(domain::tr!(
            "creditor identifier: {e}",
            "identifiant créancier SEPA (ICS) : {e}"
        ))
    })?;
    if let Some(bic) = identity.bic.as_deref()
        && !(bic.len() == 8 || bic.len() == 11)
    {
        return Err(AppError::Invalid(domain::tr!(
            "bic: {bic:?} has 8 or 11 characters",
            "bic : {bic:?} doit avoir 8 ou 11 caractères"
        )));
    }
    tx.set_setting(CREDITOR_NAME, identity.name.trim()).await?;
    tx.set_setting(CREDITOR_IBAN, &identity.iban).await?;
    tx.set_setting(CREDITOR_BIC, identity.bic.as_deref().unwrap_or(""))
        .await?;
    tx.set_setting(CREDITOR_ID, &identity.identifier).await?;
    Ok(())
}

/// The company's identity as stored (possibly incomplete: nothing is checked here), and
/// its postal address.
pub async fn identity(tx: &mut dyn Tx) -> AppResult<(CreditorIdentity, String)> {
    let mut get =
        async |key: &str| -> AppResult<String> { Ok(tx.setting(key).await?.unwrap_or_default()) };
    let identity = CreditorIdentity {
        name: get(CREDITOR_NAME).await?,
        iban: get(CREDITOR_IBAN).await?,
        bic: Some(get(CREDITOR_BIC).await?).filter(|b| !b.is_empty()),
        identifier: get(CREDITOR_ID).await?,
    };
    Ok((identity, get(COMPANY_ADDRESS).await?))
}

async fn creditor(tx: &mut dyn Tx) -> AppResult<Creditor> {
    let mut get =
        async |key: &str| -> AppResult<String> { Ok(tx.setting(key).await?.unwrap_or_default()) };
    let name = get(CREDITOR_NAME).await?;
    let iban = get(CREDITOR_IBAN).await?;
    let bic = get(CREDITOR_BIC).await?;
    let identifier = get(CREDITOR_ID).await?;
    if name.is_empty() || iban.is_empty() || identifier.is_empty() {
        return Err(AppError::Invalid(domain::tr!(
            "the creditor's SEPA identity is not set: recouvre sepa creditor --name N --iban I --ics ID",
            "l'identité SEPA du créancier n'est pas renseignée : recouvre sepa creditor --name N --iban I --ics ID"
        )));
    }
    Ok(Creditor {
        name,
        iban,
        bic: (!bic.is_empty()).then_some(bic),
        creditor_identifier: identifier,
    })
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    pub message_id: String,
    pub transactions: usize,
    pub total: Money,
    /// The XML, `None` when nothing was due.
    #[serde(skip)]
    pub xml: Option<String>,
}

/// Exports the instalments due on or before `collection_date` (see the module doc). With
/// nothing due, writes nothing and returns no XML. `save` receives the XML before the
/// transaction commits: when it fails (the file cannot be written), nothing is marked
/// collected.
pub async fn export(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &crate::audit::Actor,
    collection_date: Date,
    version: Version,
    save: impl FnOnce(&str) -> AppResult<()> + Send,
) -> AppResult<Export> {
    let today = clock.today();
    let mut tx = store.begin().await?;
    let creditor = creditor(tx.as_mut()).await?;
    let mandates: Vec<(i64, Mandate)> = list(tx.as_mut(), AgreementKind::Mandate, None).await?;
    let plans = tx
        .agreements(&AgreementFilter {
            kind: Some(AgreementKind::Plan),
            statuses: vec!["active".into()],
            ..AgreementFilter::default()
        })
        .await?;
    let book = tx.book(None).await?;
    let seq = tx
        .setting(MESSAGE_SEQ)
        .await?
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0)
        + 1;
    let message_id = format!("RCV-{}-{seq}", collection_date.strftime("%Y%m%d"));

    let mut first = Vec::new();
    let mut recurring = Vec::new();
    let mut used: Vec<i64> = Vec::new();
    let mut total = 0_i64;
    let mut changed_plans = Vec::new();
    for row in plans {
        let mut plan: Plan = serde_json::from_str(&row.body)
            .map_err(|e| AppError::Invalid(format!("stored plan {}: {e}", row.id)))?;
        let Some(reference) = plan.mandate.clone() else {
            continue;
        };
        let Some((mandate_id, mandate)) = mandates
            .iter()
            .find(|(_, m)| m.reference == reference && m.debtor_id == plan.debtor_id)
        else {
            return Err(AppError::Invalid(domain::tr!(
                "plan {}: mandate {reference} not found for debtor {}",
                "échéancier {} : mandat {reference} introuvable pour le débiteur {}",
                row.id,
                plan.debtor_id
            )));
        };
        let progress = plan_progress(&plan, &book.payments_on(&plan.claims), today);
        if progress.status != PlanStatus::Active {
            continue;
        }
        let count = plan.instalments.len();
        let mut touched = false;
        for (k, inst) in plan.instalments.iter_mut().enumerate() {
            let left = inst.amount.minor() - progress.covered[k].minor();
            if inst.due > collection_date || inst.collected_in.is_some() || left <= 0 {
                continue;
            }
            let tx_in = Transaction {
                end_to_end_id: format!("P{}-{}", row.id, k + 1),
                amount: Money::from_minor(left, inst.amount.currency()),
                mandate_id: mandate.reference.clone(),
                mandate_signed_on: mandate.signed_on,
                debtor_name: String::new(),
                debtor_iban: mandate.iban.clone(),
                debtor_bic: mandate.bic.clone(),
                remittance: Some(Remittance::Unstructured(format!(
                    "Echeancier {} echeance {}/{count}",
                    row.id,
                    k + 1
                ))),
            };
            let first_use = mandate.last_collected.is_none() && !used.contains(mandate_id);
            if first_use {
                first.push((mandate.debtor_id, tx_in));
            } else {
                recurring.push((mandate.debtor_id, tx_in));
            }
            if !used.contains(mandate_id) {
                used.push(*mandate_id);
            }
            inst.collected_in = Some(message_id.clone());
            total += left;
            touched = true;
        }
        if touched {
            changed_plans.push((row, plan));
        }
    }
    let transactions = first.len() + recurring.len();
    if transactions == 0 {
        return Ok(Export {
            message_id,
            transactions: 0,
            total: Money::from_minor(0, domain::Currency::EUR),
            xml: None,
        });
    }
    let mut groups = Vec::new();
    for (suffix, sequence, list) in [
        ("FRST", SequenceType::First, first),
        ("RCUR", SequenceType::Recurring, recurring),
    ] {
        if list.is_empty() {
            continue;
        }
        let mut out = Vec::with_capacity(list.len());
        for (debtor_id, mut t) in list {
            t.debtor_name = tx
                .debtor(debtor_id)
                .await?
                .map(|d| d.name)
                .unwrap_or_default();
            out.push(t);
        }
        groups.push(PaymentGroup {
            id: format!("{message_id}-{suffix}"),
            collection_date,
            local_instrument: LocalInstrument::Core,
            sequence_type: sequence,
            transactions: out,
        });
    }
    let created_at = clock
        .now_rfc3339()
        .parse::<jiff::Timestamp>()
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).datetime())
        .unwrap_or_else(|_| today.at(12, 0, 0, 0));
    let xml = write(
        &Batch {
            message_id: message_id.clone(),
            created_at,
            creditor,
            groups,
        },
        version,
    )
    .map_err(|e| AppError::Invalid(e.to_string()))?;

    // Mark what was collected, in the same transaction.
    let now = clock.now_rfc3339();
    for (mut row, plan) in changed_plans {
        row.body = serde_json::to_string(&plan).map_err(|e| AppError::Invalid(e.to_string()))?;
        row.updated_at.clone_from(&now);
        tx.update_agreement(&row).await?;
    }
    for (id, mut mandate) in mandates.into_iter().filter(|(id, _)| used.contains(id)) {
        mandate.last_collected = Some(collection_date);
        tx.update_agreement(&StoredAgreement {
            id,
            kind: AgreementKind::Mandate,
            debtor_id: mandate.debtor_id,
            status: "active".into(),
            body: serde_json::to_string(&mandate).map_err(|e| AppError::Invalid(e.to_string()))?,
            updated_at: now.clone(),
        })
        .await?;
    }
    tx.set_setting(MESSAGE_SEQ, &seq.to_string()).await?;
    let export = Export {
        message_id,
        transactions,
        total: Money::from_minor(total, domain::Currency::EUR),
        xml: None,
    };
    crate::audit::record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "sepa.export",
        &format!("sepa:{}", export.message_id),
        None,
        Some(&serde_json::json!({
            "collection_date": collection_date,
            "transactions": export.transactions,
            "total": export.total,
        })),
    )
    .await?;
    save(&xml)?;
    tx.commit().await?;
    Ok(Export {
        xml: Some(xml),
        ..export
    })
}
