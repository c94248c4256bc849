//! The readable PDF of a debtor's personal data (the export of `app::gdpr`, for an access
//! request, GDPR art 15): the same content as the JSON export, section by section, in the
//! language asked, typeset by [`crate::pdf::render_document`].

use crate::fmt::{Lang, date, money};
use crate::pdf::{Document, PdfError, Section, Table, render_document};
use app::gdpr::PersonalData;

fn t(lang: Lang, en: &str, fr: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Fr => fr.to_string(),
    }
}

fn opt(v: Option<&str>) -> String {
    v.unwrap_or("—").to_string()
}

fn table(headers: Vec<String>, rows: Vec<Vec<String>>) -> Option<Table> {
    Some(Table {
        headers,
        rows,
        totals: Vec::new(),
    })
}

/// The document of an export, in `lang`.
pub fn document(data: &PersonalData, lang: Lang) -> Document {
    let l = |en: &str, fr: &str| t(lang, en, fr);
    let mut sections = Vec::new();
    let d = &data.debtor;
    sections.push(Section {
        heading: l("Identity", "Identité"),
        lines: vec![
            format!("{} : {}", l("Name", "Nom"), d.name),
            format!(
                "{} : {}",
                l("Customer reference", "Référence client"),
                d.external_id
            ),
            format!("{} : {:?} / {:?}", l("Kind", "Type"), d.kind, d.segment),
            format!(
                "{} : {} / {}",
                l("Country, language", "Pays, langue"),
                d.country,
                d.language
            ),
            format!(
                "{} : {} ({})",
                l("Creditor", "Créancier"),
                data.creditor.name,
                data.creditor.code
            ),
        ],
        table: None,
    });
    sections.push(Section {
        heading: l("Contacts", "Coordonnées"),
        lines: Vec::new(),
        table: table(
            vec![
                l("kind", "type"),
                l("value", "valeur"),
                l("label", "libellé"),
            ],
            data.contacts
                .iter()
                .map(|c| {
                    vec![
                        format!("{:?}", c.kind).to_lowercase(),
                        c.value.clone(),
                        opt(c.label.as_deref()),
                    ]
                })
                .collect(),
        ),
    });
    sections.push(Section {
        heading: l("Claims and ledger", "Créances et grand livre"),
        lines: Vec::new(),
        table: table(
            vec![
                l("claim", "créance"),
                l("date", "date"),
                l("entry", "écriture"),
                l("amount", "montant"),
                l("reference", "référence"),
            ],
            data.claims
                .iter()
                .flat_map(|c| {
                    c.entries.iter().map(move |e| {
                        vec![
                            c.claim.number.to_string(),
                            date(e.date, lang),
                            format!("{:?}", e.kind),
                            money(
                                domain::Money::from_minor(e.amount_minor, c.claim.currency),
                                lang,
                            ),
                            opt(e.reference.as_deref()),
                        ]
                    })
                })
                .collect(),
        ),
    });
    sections.push(Section {
        heading: l(
            "Promises, plans, disputes, mandates",
            "Promesses, échéanciers, litiges, mandats",
        ),
        lines: data
            .agreements
            .iter()
            .map(|a| format!("{} {} ({}) : {}", a.kind.as_str(), a.id, a.status, a.body))
            .collect(),
        table: None,
    });
    sections.push(Section {
        heading: l("Messages", "Messages"),
        lines: Vec::new(),
        table: table(
            vec![
                l("created", "créé"),
                l("channel", "canal"),
                l("recipient", "destinataire"),
                l("template", "modèle"),
                l("status", "statut"),
            ],
            data.messages
                .iter()
                .map(|m| {
                    vec![
                        m.entry.created_at.clone(),
                        format!("{:?}", m.entry.channel).to_lowercase(),
                        m.entry.recipient.clone(),
                        opt(m.template.as_deref()),
                        format!("{:?}", m.entry.status).to_lowercase(),
                    ]
                })
                .collect(),
        ),
    });
    sections.push(Section {
        heading: l("Calls and notes", "Appels et notes"),
        lines: data
            .notes
            .iter()
            .map(|n| format!("{} — {} : {}", date(n.on, lang), n.author, n.body))
            .collect(),
        table: None,
    });
    sections.push(Section {
        heading: l(
            "Formal notices and limitation events",
            "Mises en demeure et événements de prescription",
        ),
        lines: data
            .notices
            .iter()
            .map(|n| {
                format!(
                    "{} {} ({:?}) {} {}",
                    l("Notice sent", "Mise en demeure envoyée le"),
                    date(n.sent_on, lang),
                    n.sent_by,
                    opt(n.tracking_number.as_deref()),
                    opt(n.note.as_deref())
                )
            })
            .chain(data.limitation_events.iter().map(|e| {
                format!(
                    "{} {} : {:?} {}",
                    l("Event of", "Événement du"),
                    date(e.on, lang),
                    e.kind,
                    opt(e.note.as_deref())
                )
            }))
            .collect(),
        table: None,
    });
    sections.push(Section {
        heading: l("Payments", "Paiements"),
        lines: Vec::new(),
        table: table(
            vec![
                l("date", "date"),
                l("amount", "montant"),
                l("payer", "payeur"),
                "IBAN".into(),
                l("remittance", "libellé"),
            ],
            data.payments
                .iter()
                .map(|p| {
                    vec![
                        date(p.payment.value_date, lang),
                        money(p.payment.amount, lang),
                        opt(p.payment.payer_name.as_deref()),
                        opt(p.payment.payer_iban.as_deref()),
                        p.payment.remittance.join(" "),
                    ]
                })
                .collect(),
        ),
    });
    sections.push(Section {
        heading: l("Audit log", "Journal d'audit"),
        lines: Vec::new(),
        table: table(
            vec![
                l("when", "quand"),
                l("who", "qui"),
                l("what", "quoi"),
                l("subject", "objet"),
            ],
            data.audit
                .iter()
                .map(|e| {
                    vec![
                        e.at.clone(),
                        e.actor.clone(),
                        e.action.clone(),
                        e.subject.clone(),
                    ]
                })
                .collect(),
        ),
    });
    let r = &data.retention;
    let app_lang = match lang {
        Lang::En => domain::lang::Lang::En,
        Lang::Fr => domain::lang::Lang::Fr,
    };
    sections.push(Section {
        heading: l("Retention", "Conservation"),
        lines: vec![
            t(lang, app::gdpr::ACTIVE_FILE_EN, app::gdpr::ACTIVE_FILE_FR),
            format!(
                "{} : {}",
                l("Erasure due on", "Effacement possible le"),
                r.due_on.map_or_else(|| "—".into(), |d| date(d, lang))
            ),
            r.reason(Some(app_lang)),
        ],
        table: None,
    });
    Document {
        lang: lang.code().into(),
        title: l("Personal data held", "Données personnelles détenues"),
        subtitle: vec![
            format!("{} — {}", d.name, data.creditor.name),
            format!(
                "{} {} ({}), {} {}",
                l("Export of", "Export du"),
                date(data.as_of, lang),
                data.generated_at,
                l("by", "par"),
                data.generated_by
            ),
        ],
        sections,
        empty: l("None.", "Aucun."),
        footer: format!("Recouvre — {}", data.format),
    }
}

/// The PDF of an export, in `lang`.
pub fn render(data: &PersonalData, lang: Lang) -> Result<Vec<u8>, PdfError> {
    render_document(&document(data, lang))
}
