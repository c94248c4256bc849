//! The documents of a legal file, gathered from the store: what [`crate::legal`] typesets,
//! filled with the file's frozen claims, the creditor as the settings describe it, the
//! debtor's address, and the evidence the store holds — the statement of account, each
//! invoice as imported, the formal notices with their delivery, the terms of sale, the
//! exchanges recorded on the case — followed by the documents attached to the file.
//!
//! A court document is a legal act: the request is refused, naming what is missing, when
//! the creditor has no address or no company number, when the debtor has no address, or
//! when the file's route is not an order for payment.

use crate::compose::{Comms, CommsError};
use crate::fmt::{self, Lang};
use crate::legal::{
    BundleDoc, ClaimLine, CostLine, CourtKind, ExhibitBody, ExhibitDoc, LegalDocError, MandateDoc,
    Party, RequestDoc,
};
use app::legal::{self, LegalFile};
use app::store::Store;
use domain::law::routes::Route;
use domain::party::{ContactKind, Debtor, DebtorKind};
use domain::{Date, Money};
use serde::Serialize;

/// Everything the documents of one file are made of.
#[derive(Debug, Clone)]
pub struct FileDocuments {
    pub file: LegalFile,
    pub creditor: Party,
    pub debtor: Party,
    pub city: String,
    pub court_name: String,
    pub court_kind: CourtKind,
    pub claims: Vec<ClaimLine>,
    pub accessories: Vec<CostLine>,
    /// The exhibits in their order: generated ones first, then the attached documents.
    pub exhibits: Vec<Exhibit>,
    pub date: Date,
    /// What the request lacks, each item in English and in French; empty when it can be
    /// issued.
    pub missing: Vec<(String, String)>,
}

/// One exhibit and the name its original takes in the ZIP.
#[derive(Debug, Clone)]
pub struct Exhibit {
    pub doc: ExhibitDoc,
    /// `invoice`, `statement`, `notice`, `terms`, `exchanges` or `attached`.
    pub source: &'static str,
}

fn court_kind(debtor: &Debtor, court: &str) -> CourtKind {
    let lower = court.to_lowercase();
    if lower.contains("commerce") || lower.contains("activités économiques") {
        CourtKind::TribunalCommerce
    } else if lower.contains("judiciaire") {
        CourtKind::TribunalJudiciaire
    } else if debtor.kind == DebtorKind::Company {
        // Between traders the commercial court hears the claim (C. com. L721-3).
        CourtKind::TribunalCommerce
    } else {
        CourtKind::TribunalJudiciaire
    }
}

/// The court's seat (`Lyon`) from what the file records: a seat alone or a full name
/// (`Tribunal de commerce de Lyon`).
fn seat(court: &str) -> String {
    let trimmed = court.trim();
    let lower = trimmed.to_lowercase();
    for prefix in [
        "tribunal des activités économiques de ",
        "tribunal de commerce de ",
        "tribunal judiciaire de ",
        "tribunal de proximité de ",
    ] {
        if lower.starts_with(prefix) {
            return trimmed[prefix.len()..].trim().to_string();
        }
    }
    trimmed.to_string()
}

/// Gathers the documents of file `id` as of `date` (the date the documents bear).
pub async fn gather(
    store: &dyn Store,
    comms: &Comms,
    id: i64,
    date: Date,
) -> Result<FileDocuments, CommsError> {
    let mut read = store.begin_read().await?;
    let tx = read.as_mut();
    let file = legal::get(tx, id).await?;
    let sender = app::issuing::sender(tx, file.creditor_id).await?;
    let debtor = tx
        .debtor(file.debtor_id)
        .await?
        .ok_or_else(|| CommsError::Invalid(format!("debtor {} not found", file.debtor_id.0)))?;
    let mut missing = Vec::new();
    if sender.name.trim().is_empty() {
        missing.push(("the creditor's name".into(), "le nom du créancier".into()));
    }
    if sender.address_lines.is_empty() {
        missing.push((
            "the creditor's address (settings: sender address)".into(),
            "l'adresse du créancier (réglages : adresse de l'expéditeur)".into(),
        ));
    }
    if sender.company_id.trim().is_empty() {
        missing.push((
            "the creditor's registration number (settings: company id)".into(),
            "le numéro d'immatriculation du créancier (réglages : identifiant de la société)"
                .into(),
        ));
    }
    let debtor_address = debtor
        .contact(ContactKind::Address)
        .map(app::issuing::address_lines)
        .unwrap_or_default();
    if debtor_address.is_empty() {
        missing.push((
            "the debtor's address".into(),
            "l'adresse du débiteur".into(),
        ));
    }
    if file.route() != Some(Route::InjonctionDePayer) {
        missing.push((
            "an order-for-payment route (the file's decision is another)".into(),
            "la voie de l'injonction de payer (le dossier a pris une autre décision)".into(),
        ));
    }
    let creditor = Party {
        name: sender.name.clone(),
        address_lines: sender.address_lines.clone(),
        company_id: Some(sender.company_id.clone()).filter(|s| !s.trim().is_empty()),
        company: true,
        email: Some(sender.email.clone()).filter(|s| !s.is_empty()),
        phone: Some(sender.phone.clone()).filter(|s| !s.is_empty()),
        country: Some(sender.country.clone()),
    };
    let debtor_party = Party {
        name: debtor.name.clone(),
        address_lines: debtor_address,
        company_id: None,
        company: debtor.kind == DebtorKind::Company,
        email: debtor.contact(ContactKind::Email).map(str::to_string),
        phone: debtor.contact(ContactKind::Phone).map(str::to_string),
        country: Some(debtor.country.clone()),
    };
    let kind = court_kind(&debtor, file.data.court.as_deref().unwrap_or_default());
    let court_name = seat(file.data.court.as_deref().unwrap_or_default());
    if court_name.is_empty() {
        missing.push((
            "the court seized (recouvre legal parties FILE --court SEAT)".into(),
            "la juridiction saisie (recouvre legal parties DOSSIER --court SIÈGE)".into(),
        ));
    }
    let claims: Vec<ClaimLine> = file
        .data
        .claims
        .iter()
        .map(|c| ClaimLine {
            number: c.number.clone(),
            issue_date: c.issue_date,
            due_date: c.due_date,
            amount: c.amount,
            paid: c.paid,
            principal: c.principal,
            interest: c.interest,
            interest_basis: c.interest_basis_fr.clone(),
            indemnity: c.indemnity,
        })
        .collect();
    let accessories: Vec<CostLine> = file
        .data
        .costs
        .iter()
        .filter(|c| c.recoverable)
        .map(|c| CostLine {
            label: c.kind.names().1.to_string(),
            on: c.on,
            amount: c.amount,
        })
        .collect();

    let mut exhibits = Vec::new();
    let fr = Lang::Fr;
    // The statement of account.
    exhibits.push(Exhibit {
        source: "statement",
        doc: ExhibitDoc {
            title: format!(
                "Relevé de compte de {} au {}",
                debtor.name,
                fmt::date(file.data.frozen_on, fr)
            ),
            on: Some(file.data.frozen_on),
            body: ExhibitBody::Table {
                headers: [
                    "Facture",
                    "Émise le",
                    "Échéance",
                    "Montant",
                    "Payé",
                    "Reste dû",
                ]
                .map(str::to_string)
                .to_vec(),
                rows: file
                    .data
                    .claims
                    .iter()
                    .map(|c| {
                        vec![
                            c.number.clone(),
                            fmt::date(c.issue_date, fr),
                            fmt::date(c.due_date, fr),
                            fmt::money(c.amount, fr),
                            fmt::money(c.paid, fr),
                            fmt::money(c.principal, fr),
                        ]
                    })
                    .collect(),
            },
        },
    });
    // Each invoice as imported.
    for c in &file.data.claims {
        let lines = vec![
            format!("Facture n° {}", c.number),
            format!("Émise par : {}", sender.name),
            format!("Adressée à : {}", debtor.name),
            format!("Date d'émission : {}", fmt::date(c.issue_date, fr)),
            format!("Date d'échéance : {}", fmt::date(c.due_date, fr)),
            format!("Montant TTC : {}", fmt::money(c.amount, fr)),
            format!("Déjà réglé : {}", fmt::money(c.paid, fr)),
            "Données de la facture telles qu'importées dans Recouvre depuis la comptabilité du créancier."
                .into(),
        ];
        exhibits.push(Exhibit {
            source: "invoice",
            doc: ExhibitDoc {
                title: format!("Facture n° {}", c.number),
                on: Some(c.issue_date),
                body: ExhibitBody::Text(lines),
            },
        });
    }
    // The formal notices on the file's claims, with their delivery, and the letter itself
    // when the run issued it.
    let ids = file.claim_ids();
    let notices = tx
        .notices(&app::store::NoticeFilter {
            debtor: Some(file.debtor_id),
            ..Default::default()
        })
        .await?;
    let mut notice_actions = Vec::new();
    for n in notices
        .iter()
        .filter(|n| n.claims.iter().any(|c| ids.contains(c)))
    {
        let mut lines = vec![format!(
            "Mise en demeure envoyée le {} ({})",
            fmt::date(n.sent_on, fr),
            match n.sent_by {
                app::store::NoticeSender::Commissaire => "signifiée par commissaire de justice",
                _ => "lettre recommandée avec accusé de réception",
            }
        )];
        if let Some(t) = &n.tracking_number {
            lines.push(format!("Numéro de suivi : {t}"));
        }
        if let Some(p) = n.presented_on {
            lines.push(format!("Première présentation : {}", fmt::date(p, fr)));
        }
        match n.received_on {
            Some(r) => lines.push(format!("Accusé de réception signé le {}", fmt::date(r, fr))),
            None => lines.push("Accusé de réception : non retourné".into()),
        }
        if let Some(p) = &n.proof {
            lines.push(format!("Preuve : {p}"));
        }
        exhibits.push(Exhibit {
            source: "notice",
            doc: ExhibitDoc {
                title: format!(
                    "Mise en demeure du {} et sa remise",
                    fmt::date(n.sent_on, fr)
                ),
                on: Some(n.sent_on),
                body: ExhibitBody::Text(lines),
            },
        });
        if let Some(action) = n.action_id {
            notice_actions.push((action, n.sent_on));
        }
    }
    // The terms of sale.
    let terms = tx
        .contract_terms(app::store::TermsScope::Creditor, Some(file.creditor_id.0))
        .await?;
    if let Some(terms) = terms.into_iter().find(|t| !t.terms.is_empty()) {
        exhibits.push(Exhibit {
            source: "terms",
            doc: ExhibitDoc {
                title: "Conditions générales de vente (clauses de paiement)".into(),
                on: None,
                body: ExhibitBody::Text(terms_lines(&terms.terms)),
            },
        });
    }
    // The exchanges recorded on the case.
    let notes = tx.notes(Some(file.debtor_id)).await?;
    if !notes.is_empty() {
        exhibits.push(Exhibit {
            source: "exchanges",
            doc: ExhibitDoc {
                title: "Historique des échanges avec le débiteur".into(),
                on: None,
                body: ExhibitBody::Table {
                    headers: ["Date", "Nature", "Par", "Contenu"]
                        .map(str::to_string)
                        .to_vec(),
                    rows: notes
                        .iter()
                        .map(|n| {
                            vec![
                                fmt::date(n.on, fr),
                                n.kind.as_str().to_string(),
                                n.author.clone(),
                                n.body.clone(),
                            ]
                        })
                        .collect(),
                },
            },
        });
    }
    // The documents attached to the file.
    for e in tx.exhibits(Some(file.id), true).await? {
        let body = match e.media_type.as_str() {
            "image/png" => ExhibitBody::Png(e.content),
            "image/jpeg" => ExhibitBody::Jpeg(e.content),
            _ => ExhibitBody::Pdf(e.content),
        };
        exhibits.push(Exhibit {
            source: "attached",
            doc: ExhibitDoc {
                title: e.title,
                on: e.dated,
                body,
            },
        });
    }
    drop(read);
    // The formal notice letters as sent: recomposed as of their day (the figures they
    // claimed), inserted after their delivery record.
    for (action, sent_on) in notice_actions {
        if let Ok(composed) = crate::compose::compose_action(store, comms, action, None).await
            && let Some(pdf) = composed
                .attachments
                .into_iter()
                .find(|a| a.content_type == "application/pdf")
        {
            let at = exhibits
                .iter()
                .rposition(|e| e.source == "notice")
                .map_or(exhibits.len(), |i| i + 1);
            exhibits.insert(
                at,
                Exhibit {
                    source: "notice",
                    doc: ExhibitDoc {
                        title: format!("Lettre de mise en demeure du {}", fmt::date(sent_on, fr)),
                        on: Some(sent_on),
                        body: ExhibitBody::Pdf(pdf.bytes),
                    },
                },
            );
        }
    }
    Ok(FileDocuments {
        city: if sender.city.is_empty() {
            sender.address_lines.last().cloned().unwrap_or_default()
        } else {
            sender.city.clone()
        },
        file,
        creditor,
        debtor: debtor_party,
        court_name,
        court_kind: kind,
        claims,
        accessories,
        exhibits,
        date,
        missing,
    })
}

impl FileDocuments {
    /// The request for an order for payment, or the refusal naming what it lacks.
    pub fn request(&self) -> Result<RequestDoc, CommsError> {
        if !self.missing.is_empty() {
            let (en, fr): (Vec<String>, Vec<String>) = self.missing.iter().cloned().unzip();
            return Err(CommsError::Invalid(domain::lang::tr(
                &format!("the request cannot be issued, it lacks: {}", en.join("; ")),
                &format!(
                    "impossible d'émettre la requête, il manque : {}",
                    fr.join(" ; ")
                ),
            )));
        }
        Ok(self.request_unchecked())
    }

    fn cause(&self) -> String {
        format!(
            "Fourniture de biens ou de services facturés au débiteur et demeurés impayés malgré mise en demeure : {} facture(s), intérêts de retard et indemnités forfaitaires pour frais de recouvrement (C. com. L441-10).",
            self.claims.len()
        )
    }

    fn request_unchecked(&self) -> RequestDoc {
        RequestDoc {
            reference: self.file.reference(),
            court_kind: self.court_kind,
            court_name: self.court_name.clone(),
            creditor: self.creditor.clone(),
            representative: self.file.data.agent.as_ref().map(|a| Party {
                name: a.clone(),
                ..Party::default()
            }),
            debtor: self.debtor.clone(),
            cause: self.cause(),
            claims: self.claims.clone(),
            accessories: self.accessories.clone(),
            amounts_as_of: self.file.data.frozen_on,
            city: self.city.clone(),
            date: self.date,
            exhibits: self.exhibits.iter().map(|e| e.doc.title.clone()).collect(),
        }
    }

    /// The evidence bundle: the numbered list of exhibits, then each exhibit.
    pub fn bundle(&self) -> BundleDoc {
        BundleDoc {
            reference: self.file.reference(),
            court_name: self.court_kind.full_name(&self.court_name),
            creditor_name: self.creditor.name.clone(),
            debtor_name: self.debtor.name.clone(),
            date: self.date,
            exhibits: self.exhibits.iter().map(|e| e.doc.clone()).collect(),
        }
    }

    /// The mandate to a commissaire de justice for the simplified small-claims procedure.
    pub fn mandate(&self) -> MandateDoc {
        MandateDoc {
            reference: self.file.reference(),
            creditor: self.creditor.clone(),
            commissaire: self.file.data.agent.as_ref().map(|a| Party {
                name: a.clone(),
                ..Party::default()
            }),
            debtor: self.debtor.clone(),
            cause: self.cause(),
            claims: self.claims.clone(),
            amounts_as_of: self.file.data.frozen_on,
            instructions: self.file.data.reason.iter().cloned().collect(),
            city: self.city.clone(),
            date: self.date,
        }
    }

    /// Form A's data: a request document whether or not the French request could be
    /// issued (Form A asks for the same facts).
    pub fn form_a(&self) -> Result<Vec<crate::legal::FormAField>, LegalDocError> {
        crate::legal::form_a_fields(&self.request_unchecked())
    }

    /// The structured description of the file a lawyer or a commissaire de justice
    /// imports: parties, claims, amounts, stages, costs, payments and exhibits.
    pub fn dossier_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct ClaimJson<'a> {
            number: &'a str,
            issue_date: Date,
            due_date: Date,
            amount: Money,
            paid: Money,
            principal: Money,
            interest: Money,
            interest_basis: &'a str,
            indemnity: Money,
        }
        serde_json::json!({
            "reference": self.file.reference(),
            "file_id": self.file.id,
            "decision": self.file.data.decision,
            "court": self.court_kind.full_name(&self.court_name),
            "agent": self.file.data.agent,
            "frozen_on": self.file.data.frozen_on,
            "creditor": party_json(&self.creditor),
            "debtor": party_json(&self.debtor),
            "claims": self.claims.iter().map(|c| ClaimJson {
                number: &c.number,
                issue_date: c.issue_date,
                due_date: c.due_date,
                amount: c.amount,
                paid: c.paid,
                principal: c.principal,
                interest: c.interest,
                interest_basis: &c.interest_basis,
                indemnity: c.indemnity,
            }).collect::<Vec<_>>(),
            "total_claimed": self.file.frozen_total(),
            "stages": self.file.data.stages,
            "costs": self.file.data.costs,
            "payments": self.file.data.payments,
            "exhibits": self.exhibits.iter().enumerate().map(|(i, e)| serde_json::json!({
                "number": i + 1,
                "title": e.doc.title,
                "date": e.doc.on,
                "source": e.source,
            })).collect::<Vec<_>>(),
        })
    }

    /// The hand-off ZIP: the bundle, each original numbered alike, and `dossier.json`.
    pub fn export_zip(&self) -> Result<Vec<u8>, LegalDocError> {
        let json = serde_json::to_vec_pretty(&self.dossier_json()).unwrap_or_default();
        crate::legal::bundle_zip(&self.bundle(), &[("dossier.json".to_string(), json)])
    }
}

fn party_json(p: &Party) -> serde_json::Value {
    serde_json::json!({
        "name": p.name,
        "address": p.address_lines,
        "company_id": p.company_id,
        "company": p.company,
        "email": p.email,
        "phone": p.phone,
        "country": p.country,
    })
}

/// The payment clauses of terms of sale, in French.
fn terms_lines(t: &domain::law::ContractTerms) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(term) = t.payment_term {
        lines.push(format!(
            "Délai de paiement : {} jours{}",
            term.days,
            if term.end_of_month {
                " fin de mois"
            } else {
                ""
            }
        ));
    }
    if let Some(rate) = t.penalty_rate {
        lines.push(format!("Pénalités de retard : {}", rate.describe(true)));
    }
    if let Some(indemnity) = t.indemnity {
        lines.push(format!(
            "Indemnité forfaitaire pour frais de recouvrement : {} € par facture",
            indemnity.to_string().replace('.', ",")
        ));
    }
    if t.due_date_is_notice == Some(true) {
        lines.push("L'échéance vaut mise en demeure, sans autre formalité.".into());
    }
    lines
}
