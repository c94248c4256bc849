//! Import of claims from a CSV file: all or nothing, and idempotent.
//!
//! The file is parsed completely before the database is touched; a bad row stops
//! everything with `file:line: field: reason`. Then, in one transaction, every row is
//! compared with what is stored (keyed by the creditor's external ids): a new debtor or
//! claim is inserted, a changed one is updated, an unchanged one is left alone. A changed
//! amount is never overwritten: the live invoice entries are reversed and the new amount
//! posted, so the ledger keeps the history. The same file imported twice is recognised by
//! its SHA-256 fingerprint and changes nothing.

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{ImportRecord, Store, StoredTerms, TermsScope, Tx};
use domain::law::ContractTerms;
use domain::{
    Claim, ClaimId, ClaimLedger, Contact, ContactKind, Creditor, Debtor, DebtorId, EntryKind,
    LedgerEntry,
};
use formats::claims_csv::{ClaimRow, ReadOptions, read_claims};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The code and name of the creditor created when a database has none.
pub const DEFAULT_CREDITOR: (&str, &str, &str) = ("MAIN", "My company", "FR");

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub file_name: String,
    pub fingerprint: String,
    pub rows: usize,
    pub debtors_created: usize,
    pub debtors_updated: usize,
    pub claims_created: usize,
    pub claims_updated: usize,
    pub claims_unchanged: usize,
    pub entries_posted: usize,
    /// Claims on which a settlement the file reports (`paid_date`) was posted.
    pub settlements_posted: usize,
    /// Set when this exact file was imported before: nothing was written.
    pub already_imported_at: Option<String>,
    /// Rows whose term exceeds a French cap on B2B payment terms (French creditor, B2B
    /// debtor), in file order: imported all the same, listed to be put right.
    pub terms_warnings: Vec<crate::terms::TermsWarning>,
}

impl ImportReport {
    pub fn changed_anything(&self) -> bool {
        self.debtors_created + self.debtors_updated + self.claims_created + self.claims_updated > 0
    }
}

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The creditor the rows belong to when the file has no `creditor` column.
    pub creditor: Option<String>,
    pub read: ReadOptions,
    /// Advanced by one for every row written, once the file has been read.
    pub progress: Option<std::sync::Arc<crate::jobs::Progress>>,
    /// Who imports: the import is audited (`import.claims`, its report) in its own
    /// transaction. Every face sets it; only tests leave it out.
    pub actor: Option<crate::audit::Actor>,
}

/// SHA-256 of a file's bytes, hex.
pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Imports claims from `bytes` (the content of `file_name`).
pub async fn import_claims(
    store: &dyn Store,
    clock: &dyn Clock,
    file_name: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> AppResult<ImportReport> {
    let rows = read_claims(file_name, bytes, &options.read)?;
    // A settlement is a fact of the past: one dated after today is a typing error.
    let today = clock.today();
    if let Some((row, paid)) = rows
        .iter()
        .find_map(|r| r.paid.filter(|p| p.date > today).map(|p| (r, p)))
    {
        let (line, paid) = (row.line, paid.date);
        return Err(AppError::Invalid(domain::tr!(
            "{file_name}:{line}: paid_date: {paid} is after today ({today}): a settlement cannot be in the future",
            "{file_name}:{line} : paid_date : {paid} est après aujourd'hui ({today}) : un règlement ne peut pas être dans le futur"
        )));
    }
    if let Some(p) = &options.progress {
        p.start(rows.len());
    }
    let mut report = ImportReport {
        file_name: file_name.to_string(),
        fingerprint: fingerprint(bytes),
        rows: rows.len(),
        ..ImportReport::default()
    };
    let mut tx = store.begin().await?;
    if let Some(previous) = tx.import_by_fingerprint(&report.fingerprint).await? {
        report.already_imported_at = Some(previous.imported_at);
        return Ok(report);
    }
    let now = clock.now_rfc3339();

    // Rows grouped by creditor, in file order.
    let mut by_creditor: Vec<(Creditor, Vec<&ClaimRow>)> = Vec::new();
    for row in &rows {
        let creditor =
            resolve_creditor(tx.as_mut(), file_name, row, options.creditor.as_deref()).await?;
        match by_creditor.iter_mut().find(|(c, _)| c.id == creditor.id) {
            Some((_, list)) => list.push(row),
            None => by_creditor.push((creditor, vec![row])),
        }
    }

    for (creditor, rows) in &by_creditor {
        let terms = crate::contract::creditor_terms(tx.as_mut(), creditor.id).await?;
        report.terms_warnings.extend(
            rows.iter()
                .filter_map(|row| terms_warning(creditor, &terms, row)),
        );
    }
    report.terms_warnings.sort_by_key(|w| w.line);

    for (creditor, rows) in by_creditor {
        let pass = Pass {
            file: file_name,
            today,
            now: &now,
            progress: options.progress.as_ref(),
        };
        apply_rows(tx.as_mut(), &pass, &creditor, &rows, &mut report).await?;
    }

    if report.changed_anything() {
        tx.record_import(&ImportRecord {
            kind: "claims".into(),
            file_name: file_name.to_string(),
            fingerprint: report.fingerprint.clone(),
            rows: i64::try_from(report.rows).unwrap_or(i64::MAX),
            created: i64::try_from(report.claims_created).unwrap_or(i64::MAX),
            updated: i64::try_from(report.claims_updated).unwrap_or(i64::MAX),
            imported_at: now,
        })
        .await?;
        // Besides statement imports, a claims import that changed something is
        // the payment-data refresh the dunning run checks for freshness.
        crate::dunning::note_payment_data(tx.as_mut(), today).await?;
        crate::audit::record_import(
            tx.as_mut(),
            clock,
            options.actor.as_ref(),
            "import.claims",
            file_name,
            &report,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(report)
}

/// The warning of a row whose term breaks a cap, if it does; the payment term agreed is
/// the row's own, else its creditor's (`creditor_terms`).
fn terms_warning(
    creditor: &Creditor,
    creditor_terms: &domain::law::ContractTerms,
    row: &ClaimRow,
) -> Option<crate::terms::TermsWarning> {
    let stipulated = creditor_terms.overlaid_by(&row.terms).payment_term;
    let check = crate::terms::check(
        &creditor.country,
        row.segment,
        row.issue_date,
        row.due_date,
        stipulated,
    )?;
    (!check.compliant).then(|| crate::terms::TermsWarning {
        line: row.line,
        external_id: row.external_id.clone(),
        number: row.invoice_number.to_string(),
        issue_date: row.issue_date,
        due_date: row.due_date,
        latest_lawful_due_date: check.latest_lawful_due_date,
        breaches: check.breaches,
    })
}

async fn resolve_creditor(
    tx: &mut dyn Tx,
    file: &str,
    row: &ClaimRow,
    default: Option<&str>,
) -> AppResult<Creditor> {
    let code = row.creditor.as_deref().or(default);
    if let Some(code) = code {
        return tx.creditor_by_code(code).await?.ok_or_else(|| {
            let line = row.line;
            AppError::Invalid(domain::tr!(
                "{file}:{line}: creditor: unknown creditor {code:?} (create it with `recouvre creditor {code} NAME`)",
                "{file}:{line} : creditor : créancier {code:?} inconnu (créez-le avec `recouvre creditor {code} NOM`)"
            ))
        });
    }
    let all = tx.creditors().await?;
    match all.as_slice() {
        [] => {
            let (code, name, country) = DEFAULT_CREDITOR;
            Ok(tx.insert_creditor(code, name, country).await?)
        }
        [only] => Ok(only.clone()),
        _ => {
            let line = row.line;
            Err(AppError::Invalid(domain::tr!(
                "{file}:{line}: creditor: the database holds several creditors; add a `creditor` column or pass --creditor CODE",
                "{file}:{line} : creditor : la base contient plusieurs créanciers ; ajoutez une colonne `creditor` ou passez --creditor CODE"
            )))
        }
    }
}

fn debtor_from_row(row: &ClaimRow, creditor: &Creditor, id: DebtorId) -> Debtor {
    let mut contacts = Vec::new();
    for (kind, value) in [
        (ContactKind::Email, &row.email),
        (ContactKind::Phone, &row.phone),
        (ContactKind::Address, &row.address),
    ] {
        if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
            contacts.push(Contact {
                kind,
                value: v.clone(),
                label: None,
            });
        }
    }
    Debtor {
        id,
        creditor_id: creditor.id,
        external_id: row.debtor_id.clone(),
        name: row.debtor_name.clone(),
        kind: row.debtor_kind,
        segment: row.segment,
        country: row.country.clone(),
        language: row.language.clone(),
        contacts,
        tags: row.tags.clone(),
    }
}

/// What every row of one import shares.
struct Pass<'a> {
    file: &'a str,
    today: domain::Date,
    now: &'a str,
    progress: Option<&'a std::sync::Arc<crate::jobs::Progress>>,
}

async fn apply_rows(
    tx: &mut dyn Tx,
    pass: &Pass<'_>,
    creditor: &Creditor,
    rows: &[&ClaimRow],
    report: &mut ImportReport,
) -> AppResult<()> {
    let (file, today, now, progress) = (pass.file, pass.today, pass.now, pass.progress);
    let mut debtors: HashMap<String, Debtor> = tx
        .debtors(Some(creditor.id))
        .await?
        .into_iter()
        .map(|d| (d.external_id.clone(), d))
        .collect();
    let mut claims: HashMap<String, Claim> = tx
        .claims(Some(creditor.id))
        .await?
        .into_iter()
        .map(|c| (c.external_id.clone(), c))
        .collect();
    let mut entries: HashMap<ClaimId, Vec<LedgerEntry>> = HashMap::new();
    for (claim, entry) in tx.all_ledger_entries(Some(creditor.id)).await? {
        entries.entry(claim).or_default().push(entry);
    }
    let mut debtor_seen: HashMap<String, u64> = HashMap::new();
    let mut claim_seen: HashMap<String, u64> = HashMap::new();
    // Claims' own terms of sale, read only when the file states some.
    let mut stated_terms: Option<HashMap<ClaimId, ContractTerms>> = None;

    for row in rows {
        crate::jobs::advance(progress);
        // The first row of a debtor in the file states its details.
        let debtor_id = match debtor_seen.get(&row.debtor_id) {
            Some(_) => debtors[&row.debtor_id].id,
            None => {
                debtor_seen.insert(row.debtor_id.clone(), row.line);
                match debtors.get(&row.debtor_id) {
                    Some(existing) => {
                        let wanted = debtor_from_row(row, creditor, existing.id);
                        if &wanted != existing {
                            tx.update_debtor(&wanted).await?;
                            report.debtors_updated += 1;
                            debtors.insert(wanted.external_id.clone(), wanted);
                        }
                        debtors[&row.debtor_id].id
                    }
                    None => {
                        let mut d = debtor_from_row(row, creditor, DebtorId(0));
                        d.id = tx.insert_debtor(&d).await?;
                        report.debtors_created += 1;
                        let id = d.id;
                        debtors.insert(d.external_id.clone(), d);
                        id
                    }
                }
            }
        };

        if let Some(first) = claim_seen.insert(row.external_id.clone(), row.line) {
            let (line, id) = (row.line, &row.external_id);
            return Err(AppError::Invalid(domain::tr!(
                "{file}:{line}: external_id: {id:?} already appears on line {first}",
                "{file}:{line} : external_id : {id:?} figure déjà à la ligne {first}"
            )));
        }
        let wanted = Claim {
            id: ClaimId(0),
            creditor_id: creditor.id,
            debtor_id,
            external_id: row.external_id.clone(),
            number: row.invoice_number.clone(),
            nature: row.nature,
            issue_date: row.issue_date,
            due_date: row.due_date,
            currency: row.amount.currency(),
        };
        match claims.get(&row.external_id) {
            None => {
                let id = tx.insert_claim(&wanted).await?;
                let mut ledger = ClaimLedger::new(wanted.currency);
                ledger.post(
                    EntryKind::Invoice,
                    row.amount,
                    row.issue_date,
                    Some(format!("{file}:{}", row.line)),
                )?;
                if settle(&mut ledger, file, row)? {
                    report.settlements_posted += 1;
                }
                tx.append_entries(id, ledger.entries(), now).await?;
                if !row.terms.is_empty() {
                    set_row_terms(tx, id, &row.terms, now).await?;
                }
                report.claims_created += 1;
                report.entries_posted += ledger.entries().len();
            }
            Some(existing) => {
                if existing.currency != wanted.currency {
                    let (line, id, currency) =
                        (row.line, &row.external_id, existing.currency.code());
                    return Err(AppError::Invalid(domain::tr!(
                        "{file}:{line}: currency: claim {id:?} is in {currency}; a claim's currency cannot change",
                        "{file}:{line} : currency : la créance {id:?} est en {currency} ; la devise d'une créance ne change pas"
                    )));
                }
                let wanted = Claim {
                    id: existing.id,
                    ..wanted
                };
                let mut changed = false;
                if &wanted != existing {
                    tx.update_claim(&wanted).await?;
                    changed = true;
                }
                let mut ledger = ClaimLedger::from_entries(
                    existing.currency,
                    entries.remove(&existing.id).unwrap_or_default(),
                );
                let posted_before = ledger.entries().len();
                let principal = ledger.total_of(EntryKind::Invoice, domain::Date::MAX);
                if principal != row.amount {
                    // Never overwrite: cancel the live invoice entries, post the new amount.
                    let when = today.max(row.issue_date);
                    let reference = Some(format!("{file}:{}", row.line));
                    let live: Vec<u32> = ledger
                        .entries()
                        .iter()
                        .filter(|e| e.kind == EntryKind::Invoice)
                        .filter(|e| !ledger.entries().iter().any(|r| r.reverses == Some(e.seq)))
                        .map(|e| e.seq)
                        .collect();
                    for seq in live {
                        ledger.reverse(seq, when, reference.clone())?;
                    }
                    ledger.post(EntryKind::Invoice, row.amount, when, reference)?;
                }
                if settle(&mut ledger, file, row)? {
                    report.settlements_posted += 1;
                }
                if ledger.entries().len() > posted_before {
                    tx.append_entries(existing.id, &ledger.entries()[posted_before..], now)
                        .await?;
                    report.entries_posted += ledger.entries().len() - posted_before;
                    changed = true;
                }
                if !row.terms.is_empty() {
                    // A file states only the fields it has: the others keep what was set
                    // before (through the API, or an earlier file).
                    if stated_terms.is_none() {
                        stated_terms = Some(
                            tx.contract_terms(TermsScope::Claim, None)
                                .await?
                                .into_iter()
                                .map(|t| (ClaimId(t.owner_id), t.terms))
                                .collect(),
                        );
                    }
                    let before = stated_terms
                        .as_ref()
                        .and_then(|m| m.get(&existing.id))
                        .copied()
                        .unwrap_or_default();
                    let after = before.overlaid_by(&row.terms);
                    if after != before {
                        set_row_terms(tx, existing.id, &after, now).await?;
                        changed = true;
                    }
                }
                if changed {
                    report.claims_updated += 1;
                    claims.insert(wanted.external_id.clone(), wanted);
                } else {
                    report.claims_unchanged += 1;
                }
            }
        }
    }
    Ok(())
}

async fn set_row_terms(
    tx: &mut dyn Tx,
    claim: ClaimId,
    terms: &ContractTerms,
    now: &str,
) -> AppResult<()> {
    tx.set_contract_terms(&StoredTerms {
        scope: TermsScope::Claim,
        owner_id: claim.0,
        terms: *terms,
        updated_at: now.to_string(),
    })
    .await?;
    Ok(())
}

/// Posts what the row says was settled (`paid_date`, `paid_amount`) and the ledger does
/// not hold yet: the payments already on the claim (from an earlier import, or matched
/// from the bank) count towards it, so importing the same history again posts nothing, and
/// a settlement is never taken back by a later file. Capped at what is open. Returns
/// whether an entry was posted.
fn settle(ledger: &mut ClaimLedger, file: &str, row: &ClaimRow) -> AppResult<bool> {
    let Some(paid) = row.paid else {
        return Ok(false);
    };
    let already = -ledger
        .total_of(EntryKind::Payment, domain::Date::MAX)
        .minor();
    let open = ledger.balance().minor();
    let missing = (paid.amount.minor() - already).min(open);
    if missing <= 0 {
        return Ok(false);
    }
    ledger.post(
        EntryKind::Payment,
        domain::Money::from_minor(missing, ledger.currency()),
        paid.date,
        Some(format!("{file}:{}", row.line)),
    )?;
    Ok(true)
}
