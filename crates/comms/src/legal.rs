//! The documents of a *dossier contentieux* (legal file), ready to file or to send:
//!
//! - the *requête en injonction de payer* (CPC 1405 ff.) to the president of a tribunal
//!   judiciaire or a tribunal de commerce, with every item CPC 1407 (and the art. 57 it
//!   refers to) asks of it: the parties, the court, the amount broken down into principal,
//!   interest (with its basis) and accessories, the basis of the claim, the *bordereau des
//!   pièces communiquées*, place, date and signature ([`render_request`]);
//! - the bundle of exhibits: one PDF opening on the numbered *bordereau de pièces*, then
//!   each exhibit on its own pages — tables and texts typeset, PNG and JPEG images scaled to
//!   the page, PDF exhibits placed page by page ([`render_bundle`]) — and the same as a ZIP
//!   of the originals for an e-filing portal or a lawyer ([`bundle_zip`]);
//! - the mandate to a commissaire de justice for the simplified procedure for small claims
//!   (CPCE L125-1, R125-1 ff., principal and interest up to €5,000) ([`render_mandate`]);
//! - the data of Form A of the European order for payment (Regulation (EC) 1896/2006,
//!   Annex I), field by field in English and French, to copy into the e-Justice form
//!   ([`form_a_fields`]).
//!
//! Court documents are in French only: they are filed with French courts and commissaires
//! de justice, whatever the debtor's language. Only Form A's labels are bilingual, and the
//! errors, which a credit manager reads.
//!
//! The inputs are plain structs, filled by the caller from its own legal file: this module
//! decides how a request reads, not which claims go into it nor how interest is computed.
//! Amounts are printed exactly as given (formatted by [`crate::fmt`]); the only sums made
//! here are the totals of the figures given. The documents are typeset by typst from one
//! source, `legal.typ`, which lays out a list of blocks built here; every text a person
//! wrote (a name, a cause, an exhibit title) reaches typst as a JSON string and is set as
//! plain text, never parsed as markup, as in [`crate::pdf`].

use crate::fmt::{Lang, date, long_date, money};
use crate::pdf::{LetterWorld, PdfError, compile};
use domain::money::Totals;
use domain::{Currency, Date, Money};
use serde::Serialize;
use std::io::{Cursor, Write};

/// The typst source of every court document.
const LEGAL_TYP: &str = include_str!("legal.typ");

/// The court an *injonction de payer* is asked of (CPC 1406): the president of the tribunal
/// judiciaire (civil claims, and the juge des contentieux de la protection's matters) or of
/// the tribunal de commerce (claims between traders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CourtKind {
    /// The tribunal judiciaire: civil claims, and claims against non-traders.
    TribunalJudiciaire,
    /// The tribunal de commerce: claims between traders, born of their trade.
    TribunalCommerce,
}

impl CourtKind {
    /// The court's name before its seat: `Tribunal judiciaire`, `Tribunal de commerce`.
    pub fn name(self) -> &'static str {
        match self {
            CourtKind::TribunalJudiciaire => "Tribunal judiciaire",
            CourtKind::TribunalCommerce => "Tribunal de commerce",
        }
    }

    /// The court's full name: `Tribunal de commerce de Lyon`.
    pub fn full_name(self, seat: &str) -> String {
        format!("{} de {seat}", self.name())
    }
}

/// A party to the file: the creditor, the debtor, a representative or a commissaire de
/// justice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// A company's name (*dénomination*), or a person's first names and surname.
    pub name: String,
    /// The registered office or domicile, one line each (street, postcode and city).
    pub address_lines: Vec<String>,
    /// For a company, its legal form and registration as they must appear before the
    /// court: `SAS au capital de 50 000 €, RCS Lyon 552 100 554`. For a person, any
    /// identifier (a lawyer's bar, a commissaire de justice's office).
    pub company_id: Option<String>,
    /// A company (a legal person) rather than a natural person.
    pub company: bool,
    /// E-mail address, printed when given.
    pub email: Option<String>,
    /// Telephone number, printed when given.
    pub phone: Option<String>,
    /// ISO 3166 country code (`FR`, `DE`); the country of the address.
    pub country: Option<String>,
}

/// One invoice claimed, with the figures the caller worked out as of the request's
/// [`RequestDoc::amounts_as_of`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimLine {
    /// The invoice number.
    pub number: String,
    pub issue_date: Date,
    pub due_date: Date,
    /// The invoice amount (TTC).
    pub amount: Money,
    /// What the debtor paid on it.
    pub paid: Money,
    /// The principal still due (normally `amount - paid`).
    pub principal: Money,
    /// Late-payment interest claimed on it.
    pub interest: Money,
    /// How the interest was worked out, as it must read before the court (rate and
    /// period): `taux BCE + 10 points (12,15 %) du 01/12/2025 au 02/03/2026`.
    pub interest_basis: String,
    /// The fixed recovery indemnity (C. com. L441-10: €40 per invoice between traders),
    /// zero when none is due.
    pub indemnity: Money,
}

/// A cost claimed besides the invoices (*frais accessoires*): a registered letter, a
/// commissaire de justice's formal notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostLine {
    pub label: String,
    pub on: Date,
    pub amount: Money,
}

/// A *requête en injonction de payer*, ready to typeset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestDoc {
    /// The file's reference, printed on every page.
    pub reference: String,
    pub court_kind: CourtKind,
    /// The court's seat, as in its name: `Lyon` for the Tribunal de commerce de Lyon.
    pub court_name: String,
    pub creditor: Party,
    /// A lawyer or other agent filing for the creditor (CPC 1407: "par tout mandataire").
    pub representative: Option<Party>,
    pub debtor: Party,
    /// The basis of the claim (*fondement*), one paragraph: what was sold or done, under
    /// which contract or terms, and the formal notice sent.
    pub cause: String,
    pub claims: Vec<ClaimLine>,
    /// The accessories (*frais accessoires*).
    pub accessories: Vec<CostLine>,
    /// The date the interest is counted to.
    pub amounts_as_of: Date,
    /// Where the request is signed ("Fait à Lyon").
    pub city: String,
    pub date: Date,
    /// The titles of the exhibits, in the bundle's order (exhibit 1 first).
    pub exhibits: Vec<String>,
}

/// The sums of a request or a mandate: each a total of the figures given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amounts {
    pub principal: Money,
    pub interest: Money,
    pub indemnity: Money,
    pub accessories: Money,
    /// `principal + interest + indemnity + accessories`.
    pub total: Money,
}

impl RequestDoc {
    /// The request's currency: that of its first claim (or first cost), euros when empty.
    pub fn currency(&self) -> Currency {
        currency_of(&self.claims, &self.accessories)
    }

    /// Principal, interest, indemnities, accessories and total, refusing amounts in more
    /// than one currency.
    pub fn amounts(&self) -> Result<Amounts, LegalDocError> {
        amounts_of(&self.claims, &self.accessories)
    }

    /// The total claimed: principal, interest and indemnities of every claim plus the
    /// accessories, in [`RequestDoc::currency`]. On a request mixing currencies (which
    /// [`RequestDoc::amounts`] and [`render_request`] refuse) only the amounts in that
    /// currency are counted.
    pub fn total(&self) -> Money {
        let mut t = Totals::new();
        for c in &self.claims {
            t.add(c.principal);
            t.add(c.interest);
            t.add(c.indemnity);
        }
        for a in &self.accessories {
            t.add(a.amount);
        }
        t.get(self.currency())
    }
}

/// What an exhibit holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExhibitBody {
    /// A table typeset as it is (a statement of account): headers and rows of display
    /// strings. Columns whose cells all read as amounts or numbers are right-aligned.
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Paragraphs of text (a transcript of e-mails, a note).
    Text(Vec<String>),
    /// A PDF file (an invoice, a signed quote), placed page by page.
    Pdf(Vec<u8>),
    /// A PNG image (a scanned delivery note), scaled to the page.
    Png(Vec<u8>),
    /// A JPEG image, scaled to the page.
    Jpeg(Vec<u8>),
}

/// One exhibit (*pièce*) of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExhibitDoc {
    pub title: String,
    /// The exhibit's own date (an invoice's date), shown in the bordereau.
    pub on: Option<Date>,
    pub body: ExhibitBody,
}

/// A bundle of exhibits (*bordereau de pièces* and the pieces), numbered from 1 in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleDoc {
    pub reference: String,
    /// The court's full name (`Tribunal de commerce de Lyon`).
    pub court_name: String,
    pub creditor_name: String,
    pub debtor_name: String,
    pub date: Date,
    pub exhibits: Vec<ExhibitDoc>,
}

/// The small-claims amount ceiling of the simplified procedure (CPCE R125-1, since
/// 1 Jan 2020): €5,000 in principal and interest, in cents.
pub const SMALL_CLAIMS_CEILING_CENTS: i64 = 500_000;

/// A mandate to a commissaire de justice to run the simplified procedure for the recovery
/// of small claims (*procédure simplifiée de recouvrement des petites créances*, CPCE
/// L125-1): principal and interest up to €5,000, contractual or statutory cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateDoc {
    pub reference: String,
    pub creditor: Party,
    /// The commissaire de justice mandated, when already chosen (one of the court-of-appeal
    /// area of the debtor's domicile).
    pub commissaire: Option<Party>,
    pub debtor: Party,
    /// The basis of the claim, one paragraph.
    pub cause: String,
    pub claims: Vec<ClaimLine>,
    /// The date the interest is counted to.
    pub amounts_as_of: Date,
    /// The creditor's instructions (payment terms it would accept, whom to call).
    pub instructions: Vec<String>,
    pub city: String,
    pub date: Date,
}

impl MandateDoc {
    /// The claims' currency (euros when there is none).
    pub fn currency(&self) -> Currency {
        currency_of(&self.claims, &[])
    }

    /// Principal, interest and indemnities claimed (no accessories: the procedure's costs
    /// stay with the creditor, L125-1), refusing amounts in more than one currency.
    pub fn amounts(&self) -> Result<Amounts, LegalDocError> {
        amounts_of(&self.claims, &[])
    }

    /// The total claimed: principal, interest and indemnities, in
    /// [`MandateDoc::currency`] (amounts in another currency are not counted).
    pub fn total(&self) -> Money {
        let mut t = Totals::new();
        for c in &self.claims {
            t.add(c.principal);
            t.add(c.interest);
            t.add(c.indemnity);
        }
        t.get(self.currency())
    }
}

/// One field of Form A of the European order for payment, its value ready to copy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormAField {
    /// The form's section: `1` court, `2` parties, `3` cross-border nature, `4` court
    /// fees, `5` principal, `6` interest, `7` penalties and other costs, `8` evidence,
    /// `10` declaration.
    pub section: String,
    pub label_en: String,
    pub label_fr: String,
    /// Amounts as plain decimals with a point (`1283.32`), the currency in its own field;
    /// dates as `dd/mm/yyyy`; an empty value is one the filer must supply.
    pub value: String,
}

/// Why a court document could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegalDocError {
    /// Amounts in two currencies in one document.
    #[error(
        "amounts in {0} and in {1} in one document / montants en {0} et en {1} dans un même acte"
    )]
    MixedCurrencies(Currency, Currency),
    /// An exhibit's file is not what it says (a PDF that does not open, a PNG that is not
    /// one).
    #[error("exhibit {number} ({title}): {reason} / pièce n° {number} ({title}) : {raison}")]
    BadExhibit {
        number: usize,
        title: String,
        reason: String,
        raison: String,
    },
    /// A mandate whose principal and interest exceed the small-claims ceiling.
    #[error(
        "principal and interest of {amount} exceed the €5,000 ceiling of the simplified small-claims procedure (CPCE R125-1) / le principal et les intérêts ({amount}) dépassent le plafond de 5 000 € de la procédure simplifiée (CPCE R125-1)"
    )]
    OverSmallClaimsCeiling { amount: String },
    /// A mandate in another currency than the euro.
    #[error(
        "the simplified small-claims procedure is for claims in euros, not {0} / la procédure simplifiée vise des créances en euros, pas en {0}"
    )]
    NotInEuros(Currency),
    /// A sum beyond what an amount holds (never with real invoices).
    #[error("the amounts overflow / les montants débordent")]
    AmountOverflow,
    /// The typesetter failed (with our own fixed source, a bug; or an exhibit typst could
    /// not read).
    #[error(transparent)]
    Typeset(#[from] PdfError),
    /// The ZIP could not be written (an extra file named like a numbered exhibit).
    #[error("the ZIP could not be written / le ZIP n'a pas pu être écrit : {0}")]
    Zip(String),
}

// ---------------------------------------------------------------------------------------
// Sums

fn currency_of(claims: &[ClaimLine], costs: &[CostLine]) -> Currency {
    claims
        .first()
        .map(|c| c.principal.currency())
        .or_else(|| costs.first().map(|c| c.amount.currency()))
        .unwrap_or(Currency::EUR)
}

fn add(a: Money, b: Money) -> Result<Money, LegalDocError> {
    a.checked_add(b).map_err(|e| match e {
        domain::MoneyError::CurrencyMismatch(x, y) => LegalDocError::MixedCurrencies(x, y),
        _ => LegalDocError::AmountOverflow,
    })
}

fn amounts_of(claims: &[ClaimLine], costs: &[CostLine]) -> Result<Amounts, LegalDocError> {
    let zero = Money::zero(currency_of(claims, costs));
    let (mut principal, mut interest, mut indemnity, mut accessories) = (zero, zero, zero, zero);
    for c in claims {
        // The invoice's own figures must be in the request's currency too.
        add(zero, c.amount)?;
        add(zero, c.paid)?;
        principal = add(principal, c.principal)?;
        interest = add(interest, c.interest)?;
        indemnity = add(indemnity, c.indemnity)?;
    }
    for c in costs {
        accessories = add(accessories, c.amount)?;
    }
    let total = add(add(add(principal, interest)?, indemnity)?, accessories)?;
    Ok(Amounts {
        principal,
        interest,
        indemnity,
        accessories,
        total,
    })
}

fn fr(m: Money) -> String {
    money(m, Lang::Fr)
}

// ---------------------------------------------------------------------------------------
// Layout: the blocks legal.typ lays out

#[derive(Debug, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
enum Block {
    Title {
        text: String,
    },
    Subtitle {
        text: String,
    },
    Heading {
        text: String,
    },
    Para {
        text: String,
        strong: bool,
    },
    /// Lines set in the right-hand part of the page (the court addressed).
    Right {
        lines: Vec<String>,
    },
    Lines {
        lines: Vec<String>,
        indent: u32,
    },
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
        totals: Vec<String>,
        numeric: Vec<bool>,
    },
    /// Label and amount pairs, the last in bold (the total).
    Sums {
        rows: Vec<[String; 2]>,
    },
    /// The band opening an exhibit.
    Exhibit {
        text: String,
    },
    /// An image or a page of a PDF, scaled to the rest of the page.
    Image {
        path: String,
        format: &'static str,
        page: Option<usize>,
    },
    Signature {
        lines: Vec<String>,
    },
    Pagebreak,
}

fn para(text: impl Into<String>) -> Block {
    Block::Para {
        text: text.into(),
        strong: false,
    }
}

fn heading(text: impl Into<String>) -> Block {
    Block::Heading { text: text.into() }
}

fn lines(lines: Vec<String>) -> Block {
    Block::Lines { lines, indent: 6 }
}

#[derive(Debug, Serialize)]
struct Layout {
    title: String,
    header: String,
    footer: String,
    blocks: Vec<Block>,
}

/// Typesets a layout, with the binary files its image blocks name.
fn typeset(layout: &Layout, files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, LegalDocError> {
    let data = serde_json::to_vec(layout).map_err(|e| PdfError(e.to_string()))?;
    let world = files.into_iter().fold(
        LetterWorld::new("/legal.typ", LEGAL_TYP, data),
        |w, (p, b)| w.with_file(&p, b),
    );
    Ok(compile(world)?)
}

// ---------------------------------------------------------------------------------------
// Parties

/// How a party reads in a court document: name, then form and registration (companies,
/// CPC 57: *forme, dénomination, siège social*), seat or domicile, contact details.
fn party_lines(p: &Party) -> Vec<String> {
    let mut out = vec![p.name.clone()];
    match (&p.company_id, p.company) {
        (Some(id), true) => out.push(format!("Forme et immatriculation : {id}")),
        (None, true) => out.push("Forme et immatriculation : non communiquées".into()),
        (Some(id), false) => out.push(format!("Identifiant : {id}")),
        (None, false) => {}
    }
    let mut address = p.address_lines.join(", ");
    if let Some(country) = p.country.as_deref().filter(|c| !c.trim().is_empty()) {
        address = format!("{address} ({country})");
    }
    let seat = if p.company {
        "Siège social"
    } else {
        "Domicile"
    };
    out.push(format!("{seat} : {address}"));
    if p.company {
        out.push(
            "Prise en la personne de son représentant légal domicilié en cette qualité audit siège"
                .into(),
        );
    }
    if let Some(phone) = &p.phone {
        out.push(format!("Téléphone : {phone}"));
    }
    if let Some(email) = &p.email {
        out.push(format!("Courriel : {email}"));
    }
    out
}

// ---------------------------------------------------------------------------------------
// The request

fn court_address(kind: CourtKind, seat: &str) -> String {
    format!("Monsieur le Président du {}", kind.full_name(seat))
}

/// The claims table of a request or a mandate, with its totals row.
fn claims_table(claims: &[ClaimLine], a: &Amounts) -> Block {
    let zero = Money::zero(a.principal.currency());
    let sum = |f: fn(&ClaimLine) -> Money| {
        claims
            .iter()
            .try_fold(zero, |acc, c| add(acc, f(c)))
            .unwrap_or(zero)
    };
    Block::Table {
        headers: [
            "Facture",
            "Date",
            "Échéance",
            "Montant TTC",
            "Réglé",
            "Principal dû",
            "Intérêts",
            "Indemnité",
        ]
        .map(String::from)
        .to_vec(),
        rows: claims
            .iter()
            .map(|c| {
                vec![
                    c.number.clone(),
                    date(c.issue_date, Lang::Fr),
                    date(c.due_date, Lang::Fr),
                    fr(c.amount),
                    fr(c.paid),
                    fr(c.principal),
                    fr(c.interest),
                    fr(c.indemnity),
                ]
            })
            .collect(),
        totals: vec![
            "Total".into(),
            String::new(),
            String::new(),
            fr(sum(|c| c.amount)),
            fr(sum(|c| c.paid)),
            fr(a.principal),
            fr(a.interest),
            fr(a.indemnity),
        ],
        numeric: vec![false, false, false, true, true, true, true, true],
    }
}

/// The basis of each claim's interest, one line per invoice.
fn interest_lines(claims: &[ClaimLine]) -> Vec<String> {
    claims
        .iter()
        .filter(|c| !c.interest.is_zero() || !c.interest_basis.trim().is_empty())
        .map(|c| {
            format!(
                "Facture {} : {} d'intérêts — {}",
                c.number,
                fr(c.interest),
                c.interest_basis
            )
        })
        .collect()
}

/// The blocks of a request, its figures checked.
fn request_layout(r: &RequestDoc) -> Result<Layout, LegalDocError> {
    let a = r.amounts()?;
    let court = r.court_kind.full_name(&r.court_name);
    let as_of = date(r.amounts_as_of, Lang::Fr);
    let mut b = vec![
        Block::Right {
            lines: vec![
                format!("À {}", court_address(r.court_kind, &r.court_name)),
                format!("Greffe du {court}"),
            ],
        },
        Block::Title {
            text: "REQUÊTE EN INJONCTION DE PAYER".into(),
        },
        Block::Subtitle {
            text: "Articles 1405 et suivants du code de procédure civile".into(),
        },
        para(format!("Réf. : {}", r.reference)),
        heading("À LA REQUÊTE DE"),
        lines(party_lines(&r.creditor)),
    ];
    match &r.representative {
        Some(rep) => {
            b.push(para("Représenté(e) par son mandataire :"));
            b.push(lines(party_lines(rep)));
        }
        None if r.creditor.company => b.push(para(
            "Agissant par son représentant légal, sans mandataire.",
        )),
        None => b.push(para("Agissant en personne, sans mandataire.")),
    }
    b.push(heading("CONTRE"));
    b.push(lines(party_lines(&r.debtor)));
    b.push(heading("A L'HONNEUR DE VOUS EXPOSER"));
    b.push(para(format!(
        "Que le requérant est créancier de {} de la somme totale de {}, arrêtée au {}, au titre de la créance ci-après, qui est certaine, liquide et exigible et a une cause contractuelle.",
        r.debtor.name,
        fr(a.total),
        as_of
    )));
    b.push(heading("Fondement de la créance"));
    b.push(para(r.cause.clone()));
    b.push(heading(format!("Décompte de la créance au {as_of}")));
    if !r.claims.is_empty() {
        b.push(claims_table(&r.claims, &a));
    }
    let basis = interest_lines(&r.claims);
    if !basis.is_empty() {
        b.push(para("Base des intérêts réclamés (taux et période) :"));
        b.push(lines(basis));
    }
    if !r.accessories.is_empty() {
        b.push(para("Frais accessoires :"));
        b.push(Block::Table {
            headers: ["Frais", "Date", "Montant"].map(String::from).to_vec(),
            rows: r
                .accessories
                .iter()
                .map(|c| vec![c.label.clone(), date(c.on, Lang::Fr), fr(c.amount)])
                .collect(),
            totals: vec!["Total".into(), String::new(), fr(a.accessories)],
            numeric: vec![false, false, true],
        });
    }
    b.push(Block::Sums {
        rows: vec![
            ["Principal".into(), fr(a.principal)],
            [format!("Intérêts arrêtés au {as_of}"), fr(a.interest)],
            [
                "Indemnités forfaitaires pour frais de recouvrement".into(),
                fr(a.indemnity),
            ],
            ["Frais accessoires".into(), fr(a.accessories)],
            ["TOTAL RÉCLAMÉ".into(), fr(a.total)],
        ],
    });
    b.push(heading("PAR CES MOTIFS"));
    b.push(para(format!(
        "Le requérant vous prie, Monsieur le Président, de bien vouloir, par application des articles 1405 et suivants du code de procédure civile, enjoindre à {} de lui payer la somme de {} en principal, {} au titre des intérêts arrêtés au {}, {} au titre des indemnités forfaitaires pour frais de recouvrement et {} au titre des frais accessoires, soit au total {}, ainsi que les dépens.",
        r.debtor.name,
        fr(a.principal),
        fr(a.interest),
        as_of,
        fr(a.indemnity),
        fr(a.accessories),
        fr(a.total),
    )));
    b.push(para(match r.court_kind {
        CourtKind::TribunalCommerce => {
            "Requête présentée au président du tribunal de commerce, le débiteur étant commerçant et la créance née de son activité commerciale (CPC 1406)."
        }
        CourtKind::TribunalJudiciaire => {
            "Requête présentée au président du tribunal judiciaire, dans le ressort duquel demeure le débiteur (CPC 1406)."
        }
    }));
    b.push(heading("BORDEREAU DES PIÈCES COMMUNIQUÉES"));
    if r.exhibits.is_empty() {
        b.push(para("Aucune pièce."));
    } else {
        b.push(lines(
            r.exhibits
                .iter()
                .enumerate()
                .map(|(i, t)| format!("Pièce n° {} : {t}", i + 1))
                .collect(),
        ));
    }
    let signer = r.representative.as_ref().unwrap_or(&r.creditor);
    b.push(Block::Signature {
        lines: vec![
            format!("Fait à {}, le {}", r.city, long_date(r.date, Lang::Fr)),
            format!("Pour {}", r.creditor.name),
            format!("{} (signature)", signer.name),
        ],
    });
    Ok(Layout {
        title: format!("Requête en injonction de payer — {}", r.reference),
        header: format!(
            "{} c/ {} — requête en injonction de payer — réf. {}",
            r.creditor.name, r.debtor.name, r.reference
        ),
        footer: court,
        blocks: b,
    })
}

/// Typesets the *requête en injonction de payer* (French): the court addressed, the
/// parties, the basis of the claim, the claims table, the basis of interest, the
/// accessories, the sums and total, the request itself, the numbered bordereau of
/// exhibits, place, date and a space to sign.
///
/// Fails with [`LegalDocError::MixedCurrencies`] when the amounts are not all in one
/// currency.
pub fn render_request(request: &RequestDoc) -> Result<Vec<u8>, LegalDocError> {
    typeset(&request_layout(request)?, Vec::new())
}

// ---------------------------------------------------------------------------------------
// The bundle

/// `Pièce n° 3 : Facture F-12 — 05/03/2026`, as the bordereau lists it.
fn bordereau_line(n: usize, e: &ExhibitDoc) -> String {
    match e.on {
        Some(on) => format!("Pièce n° {n} : {} — {}", e.title, date(on, Lang::Fr)),
        None => format!("Pièce n° {n} : {}", e.title),
    }
}

/// The header of an exhibit's first page: `Pièce n° 3 — Facture F-12`.
fn exhibit_header(n: usize, e: &ExhibitDoc) -> String {
    format!("Pièce n° {n} — {}", e.title)
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_MAGIC: &[u8] = b"\xff\xd8\xff";

fn bad(n: usize, e: &ExhibitDoc, reason: &str, raison: &str) -> LegalDocError {
    LegalDocError::BadExhibit {
        number: n,
        title: e.title.clone(),
        reason: reason.into(),
        raison: raison.into(),
    }
}

/// The number of pages of a PDF exhibit, refusing one that does not open.
fn pdf_pages(n: usize, e: &ExhibitDoc, bytes: &[u8]) -> Result<usize, LegalDocError> {
    let pdf = hayro_syntax::Pdf::new(bytes.to_vec()).map_err(|err| match err {
        hayro_syntax::LoadPdfError::Decryption(_) => bad(
            n,
            e,
            "the PDF is encrypted; join a copy without a password",
            "le PDF est chiffré ; joindre une copie sans mot de passe",
        ),
        hayro_syntax::LoadPdfError::Invalid => bad(
            n,
            e,
            "the file is not a readable PDF",
            "le fichier n'est pas un PDF lisible",
        ),
    })?;
    match pdf.pages().len() {
        0 => Err(bad(n, e, "the PDF has no page", "le PDF n'a aucune page")),
        pages => Ok(pages),
    }
}

/// Whether every non-empty cell of a column reads as a number or an amount (right-aligned).
fn numeric_column(rows: &[Vec<String>], col: usize) -> bool {
    let mut any = false;
    for cell in rows.iter().filter_map(|r| r.get(col)) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        any = true;
        let numberish = cell.chars().any(|c| c.is_ascii_digit())
            && cell.chars().all(|c| {
                c.is_ascii_digit()
                    || matches!(
                        c,
                        ' ' | '\u{a0}' | '\u{202f}' | ',' | '.' | '-' | '€' | '£' | '$' | '%'
                    )
            });
        if !numberish {
            return false;
        }
    }
    any
}

/// The blocks of exhibit `n`, from its header on, and the files they read.
fn exhibit_blocks(
    n: usize,
    e: &ExhibitDoc,
    blocks: &mut Vec<Block>,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), LegalDocError> {
    blocks.push(Block::Exhibit {
        text: exhibit_header(n, e),
    });
    if let Some(on) = e.on {
        blocks.push(para(format!("Date : {}", date(on, Lang::Fr))));
    }
    match &e.body {
        ExhibitBody::Table { headers, rows } => {
            let numeric = (0..headers.len())
                .map(|c| numeric_column(rows, c))
                .collect();
            // A short row would shift every following cell: pad or cut to the headers.
            let rows = rows
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    r.resize(headers.len(), String::new());
                    r
                })
                .collect();
            blocks.push(Block::Table {
                headers: headers.clone(),
                rows,
                totals: Vec::new(),
                numeric,
            });
        }
        ExhibitBody::Text(paragraphs) => blocks.extend(paragraphs.iter().map(para)),
        ExhibitBody::Png(bytes) | ExhibitBody::Jpeg(bytes) => {
            let (format, magic, name) = match &e.body {
                ExhibitBody::Png(_) => ("png", PNG_MAGIC, "PNG"),
                _ => ("jpg", JPEG_MAGIC, "JPEG"),
            };
            if !bytes.starts_with(magic) {
                return Err(bad(
                    n,
                    e,
                    &format!("the file is not a {name} image"),
                    &format!("le fichier n'est pas une image {name}"),
                ));
            }
            let path = format!("/exhibits/{n:02}.{format}");
            files.push((path.clone(), bytes.clone()));
            blocks.push(Block::Image {
                path,
                format,
                page: None,
            });
        }
        ExhibitBody::Pdf(bytes) => {
            let pages = pdf_pages(n, e, bytes)?;
            let path = format!("/exhibits/{n:02}.pdf");
            files.push((path.clone(), bytes.clone()));
            for page in 1..=pages {
                if page > 1 {
                    blocks.push(Block::Pagebreak);
                    blocks.push(Block::Exhibit {
                        text: format!("Pièce n° {n} (suite) — page {page} / {pages}"),
                    });
                }
                blocks.push(Block::Image {
                    path: path.clone(),
                    format: "pdf",
                    page: Some(page),
                });
            }
        }
    }
    Ok(())
}

fn bundle_header(b: &BundleDoc) -> String {
    format!(
        "{} c/ {} — {} — réf. {}",
        b.creditor_name, b.debtor_name, b.court_name, b.reference
    )
}

/// Typesets the bundle of exhibits as one PDF: the numbered *bordereau de pièces*
/// ("Pièce n° 1 : title — date"), then each exhibit in order from a new page under the
/// header "Pièce n° N — title". Tables and texts are typeset; PNG and JPEG images are
/// scaled to the page; PDF exhibits are placed page by page, each scaled to the page under
/// the header (typst 0.15 reads PDF images natively: no feature, no extra crate).
///
/// Fails with [`LegalDocError::BadExhibit`] when an image or a PDF does not open.
pub fn render_bundle(bundle: &BundleDoc) -> Result<Vec<u8>, LegalDocError> {
    let mut blocks = vec![
        Block::Title {
            text: "BORDEREAU DE PIÈCES".into(),
        },
        Block::Subtitle {
            text: bundle.court_name.clone(),
        },
        lines(vec![
            format!(
                "Affaire : {} c/ {}",
                bundle.creditor_name, bundle.debtor_name
            ),
            format!("Réf. : {}", bundle.reference),
            format!("Date : {}", long_date(bundle.date, Lang::Fr)),
        ]),
        heading(format!("Pièces communiquées ({})", bundle.exhibits.len())),
    ];
    if bundle.exhibits.is_empty() {
        blocks.push(para("Aucune pièce."));
    } else {
        blocks.push(lines(
            bundle
                .exhibits
                .iter()
                .enumerate()
                .map(|(i, e)| bordereau_line(i + 1, e))
                .collect(),
        ));
    }
    let mut files = Vec::new();
    for (i, e) in bundle.exhibits.iter().enumerate() {
        blocks.push(Block::Pagebreak);
        exhibit_blocks(i + 1, e, &mut blocks, &mut files)?;
    }
    let layout = Layout {
        title: format!("Bordereau de pièces — {}", bundle.reference),
        header: bundle_header(bundle),
        footer: "Bordereau de pièces".into(),
        blocks,
    };
    typeset(&layout, files)
}

/// The PDF of one typeset exhibit alone (a table or a text), for the ZIP.
fn render_exhibit(bundle: &BundleDoc, n: usize, e: &ExhibitDoc) -> Result<Vec<u8>, LegalDocError> {
    let mut blocks = Vec::new();
    let mut files = Vec::new();
    exhibit_blocks(n, e, &mut blocks, &mut files)?;
    let layout = Layout {
        title: exhibit_header(n, e),
        header: bundle_header(bundle),
        footer: format!("Pièce n° {n}"),
        blocks,
    };
    typeset(&layout, files)
}

/// A file name from a title: lowercase ASCII letters and digits, accents dropped, words
/// joined by `-`, at most 48 characters (`Facture F-2025/101 (copie)` → `facture-f-2025-101-copie`).
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' | 'ý' => 'y',
            'œ' => {
                out.push('o');
                'e'
            }
            'æ' => {
                out.push('a');
                'e'
            }
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(48).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "piece".into() } else { out }
}

/// The name exhibit `n` has in the ZIP: `03-facture-f-12.pdf`.
pub fn exhibit_file_name(n: usize, e: &ExhibitDoc) -> String {
    let ext = match e.body {
        ExhibitBody::Png(_) => "png",
        ExhibitBody::Jpeg(_) => "jpg",
        ExhibitBody::Pdf(_) | ExhibitBody::Table { .. } | ExhibitBody::Text(_) => "pdf",
    };
    format!("{n:02}-{}.{ext}", slug(&e.title))
}

/// The bundle as a ZIP: `00-bordereau.pdf` (the whole bundle, [`render_bundle`]), each
/// exhibit's original as `NN-slug.ext` numbered as in the bordereau (tables and texts as
/// their own typeset PDF, see [`exhibit_file_name`]), then the `extra` files (name,
/// content) as given, such as `dossier.json`.
///
/// Fails with [`LegalDocError::Zip`] when an extra file's name is already taken.
pub fn bundle_zip(
    bundle: &BundleDoc,
    extra: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, LegalDocError> {
    // The `zip` crate rather than stored entries written by hand: `formats` already builds
    // it with these very features (for rust_xlsxwriter), so it costs no compile time, and
    // it gets the ZIP64 and name-encoding corners right. PDFs and images are already
    // compressed: they are stored; the extra files (JSON, CSV) are deflated.
    let zip_err = |e: zip::result::ZipError| LegalDocError::Zip(e.to_string());
    let when = zip::DateTime::from_date_and_time(
        u16::try_from(bundle.date.year()).unwrap_or(1980),
        u8::try_from(bundle.date.month()).unwrap_or(1),
        u8::try_from(bundle.date.day()).unwrap_or(1),
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(when);
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let put = |w: &mut zip::ZipWriter<Cursor<Vec<u8>>>,
               name: &str,
               options: zip::write::SimpleFileOptions,
               bytes: &[u8]|
     -> Result<(), LegalDocError> {
        w.start_file(name, options).map_err(zip_err)?;
        w.write_all(bytes)
            .map_err(|e| LegalDocError::Zip(e.to_string()))
    };
    put(&mut w, "00-bordereau.pdf", stored, &render_bundle(bundle)?)?;
    for (i, e) in bundle.exhibits.iter().enumerate() {
        let n = i + 1;
        let name = exhibit_file_name(n, e);
        match &e.body {
            ExhibitBody::Pdf(b) | ExhibitBody::Png(b) | ExhibitBody::Jpeg(b) => {
                put(&mut w, &name, stored, b)?;
            }
            ExhibitBody::Table { .. } | ExhibitBody::Text(_) => {
                put(&mut w, &name, stored, &render_exhibit(bundle, n, e)?)?;
            }
        }
    }
    for (name, bytes) in extra {
        put(&mut w, name, deflated, bytes)?;
    }
    Ok(w.finish().map_err(zip_err)?.into_inner())
}

// ---------------------------------------------------------------------------------------
// The mandate

/// Typesets the mandate to a commissaire de justice for the simplified small-claims
/// procedure (French): the parties, the claims and their total, the basis of the claim,
/// the creditor's instructions, what the procedure entails (the debtor's month to accept,
/// silence as refusal, the costs on the creditor), place, date and a space to sign.
///
/// Fails with [`LegalDocError::NotInEuros`] or
/// [`LegalDocError::OverSmallClaimsCeiling`] when the claim is not one the procedure
/// takes (principal and interest over €5,000, CPCE R125-1).
pub fn render_mandate(mandate: &MandateDoc) -> Result<Vec<u8>, LegalDocError> {
    let a = mandate.amounts()?;
    if a.total.currency() != Currency::EUR {
        return Err(LegalDocError::NotInEuros(a.total.currency()));
    }
    let capped = add(a.principal, a.interest)?;
    if capped.minor() > SMALL_CLAIMS_CEILING_CENTS {
        return Err(LegalDocError::OverSmallClaimsCeiling {
            amount: money(capped, Lang::En),
        });
    }
    let as_of = date(mandate.amounts_as_of, Lang::Fr);
    let mut b = vec![
        Block::Title {
            text: "MANDAT DE RECOUVREMENT".into(),
        },
        Block::Subtitle {
            text: "Procédure simplifiée de recouvrement des petites créances — articles L125-1 et R125-1 et suivants du code des procédures civiles d'exécution".into(),
        },
        para(format!("Réf. : {}", mandate.reference)),
        heading("LE CRÉANCIER MANDANT"),
        lines(party_lines(&mandate.creditor)),
        heading("DONNE MANDAT À"),
    ];
    match &mandate.commissaire {
        Some(c) => b.push(lines(party_lines(c))),
        None => b.push(para(
            "Maître ……………………………………, commissaire de justice, dans le ressort de la cour d'appel du domicile du débiteur",
        )),
    }
    b.push(para(format!(
        "de mettre en œuvre la procédure simplifiée de recouvrement des petites créances à l'encontre du débiteur ci-dessous, pour la somme totale de {}, arrêtée au {as_of}.",
        fr(a.total)
    )));
    b.push(heading("LE DÉBITEUR"));
    b.push(lines(party_lines(&mandate.debtor)));
    b.push(heading("Fondement de la créance"));
    b.push(para(mandate.cause.clone()));
    b.push(heading(format!("Décompte de la créance au {as_of}")));
    if !mandate.claims.is_empty() {
        b.push(claims_table(&mandate.claims, &a));
    }
    let basis = interest_lines(&mandate.claims);
    if !basis.is_empty() {
        b.push(para("Base des intérêts réclamés (taux et période) :"));
        b.push(lines(basis));
    }
    b.push(Block::Sums {
        rows: vec![
            ["Principal".into(), fr(a.principal)],
            [format!("Intérêts arrêtés au {as_of}"), fr(a.interest)],
            [
                "Principal et intérêts (plafond : 5 000,00 €)".into(),
                fr(capped),
            ],
            [
                "Indemnités forfaitaires pour frais de recouvrement".into(),
                fr(a.indemnity),
            ],
            ["TOTAL".into(), fr(a.total)],
        ],
    });
    if !mandate.instructions.is_empty() {
        b.push(heading("Instructions du créancier"));
        b.extend(mandate.instructions.iter().map(para));
    }
    b.push(heading("Le créancier déclare avoir été informé"));
    b.push(lines(vec![
        "— que le commissaire de justice invite le débiteur, par lettre recommandée avec accusé de réception ou par voie électronique, à participer à la procédure (CPCE R125-2) ;".into(),
        "— que le débiteur dispose d'un mois à compter de l'envoi pour accepter ; son silence vaut refus ;".into(),
        "— qu'en cas d'accord sur le montant et les modalités de paiement, le commissaire de justice délivre un titre exécutoire ;".into(),
        "— que les frais de toute nature de la procédure sont à la charge du créancier (CPCE L125-1).".into(),
    ]));
    b.push(Block::Signature {
        lines: vec![
            format!(
                "Fait à {}, le {}",
                mandate.city,
                long_date(mandate.date, Lang::Fr)
            ),
            format!("Pour {}", mandate.creditor.name),
            "Signature du créancier, précédée de la mention « Bon pour mandat »".into(),
        ],
    });
    let layout = Layout {
        title: format!("Mandat de recouvrement — {}", mandate.reference),
        header: format!(
            "{} c/ {} — procédure simplifiée — réf. {}",
            mandate.creditor.name, mandate.debtor.name, mandate.reference
        ),
        footer: "Mandat — procédure simplifiée de recouvrement des petites créances".into(),
        blocks: b,
    };
    typeset(&layout, Vec::new())
}

// ---------------------------------------------------------------------------------------
// Form A

/// A plain decimal with a point, as the e-Justice form takes it: `1283.32`.
fn plain(m: Money) -> String {
    m.amount_string()
}

fn field(section: &str, en: &str, fr: &str, value: impl Into<String>) -> FormAField {
    FormAField {
        section: section.into(),
        label_en: en.into(),
        label_fr: fr.into(),
        value: value.into(),
    }
}

fn party_fields(out: &mut Vec<FormAField>, code: &str, role_en: &str, role_fr: &str, p: &Party) {
    let f = |en: &str, fr: &str, v: String| {
        field(
            "2",
            &format!("{role_en} ({code}) — {en}"),
            &format!("{role_fr} ({code}) — {fr}"),
            v,
        )
    };
    out.push(f(
        "Surname, first name / name of company or organisation",
        "Nom, prénom / nom de la société ou de l'organisation",
        p.name.clone(),
    ));
    out.push(f(
        "National identification number / registration number",
        "Numéro d'identification national / d'immatriculation",
        p.company_id.clone().unwrap_or_default(),
    ));
    out.push(f("Address", "Adresse", p.address_lines.join(", ")));
    out.push(f("Country", "Pays", p.country.clone().unwrap_or_default()));
    out.push(f(
        "Telephone",
        "Téléphone",
        p.phone.clone().unwrap_or_default(),
    ));
    out.push(f("E-mail", "Courriel", p.email.clone().unwrap_or_default()));
}

/// The data of Form A, the application for a European order for payment (Regulation (EC)
/// 1896/2006, Annex I as replaced in 2017), from a request: 1 the court, 2 the parties
/// (codes 01 claimant, 02 defendant, 03 claimant's representative), 3 the cross-border
/// nature (the countries), 4 the payment of court fees (left for the filer), 5 the
/// principal, claim by claim, and the total claimed, 6 the interest and its basis, 7 the
/// penalties and other costs (recovery indemnities, accessories), 8 the evidence (the
/// exhibits), 10 the declaration, place, date and signatory.
///
/// Fails with [`LegalDocError::MixedCurrencies`] when the amounts are not all in one
/// currency.
pub fn form_a_fields(request: &RequestDoc) -> Result<Vec<FormAField>, LegalDocError> {
    let a = request.amounts()?;
    let mut out = vec![
        field(
            "1",
            "Court — name",
            "Juridiction — nom",
            request.court_kind.full_name(&request.court_name),
        ),
        field("1", "Court — country", "Juridiction — pays", "FR"),
    ];
    party_fields(&mut out, "01", "Claimant", "Demandeur", &request.creditor);
    party_fields(&mut out, "02", "Defendant", "Défendeur", &request.debtor);
    if let Some(rep) = &request.representative {
        party_fields(
            &mut out,
            "03",
            "Claimant's representative",
            "Représentant du demandeur",
            rep,
        );
    }
    let country = |p: &Party| p.country.clone().unwrap_or_default();
    out.push(field(
        "3",
        "Claimant's country of domicile or habitual residence",
        "Pays du domicile ou de la résidence habituelle du demandeur",
        country(&request.creditor),
    ));
    out.push(field(
        "3",
        "Defendant's country of domicile or habitual residence",
        "Pays du domicile ou de la résidence habituelle du défendeur",
        country(&request.debtor),
    ));
    out.push(field(
        "3",
        "Country of the court",
        "Pays de la juridiction",
        "FR",
    ));
    out.push(field(
        "4",
        "Method of payment of the court fees (to be chosen by the filer)",
        "Mode de paiement des frais de justice (à choisir par le déposant)",
        "",
    ));
    let currency = a.total.currency().code();
    out.push(field("5", "Currency", "Monnaie", currency));
    for (i, c) in request.claims.iter().enumerate() {
        out.push(field(
            "5",
            &format!("Claim {} — description (invoice, date, due date)", i + 1),
            &format!("Créance {} — description (facture, date, échéance)", i + 1),
            format!(
                "Invoice / facture {} of / du {}, due / échue le {} — {}",
                c.number,
                date(c.issue_date, Lang::Fr),
                date(c.due_date, Lang::Fr),
                request.cause
            ),
        ));
        out.push(field(
            "5",
            &format!("Claim {} — principal amount", i + 1),
            &format!("Créance {} — montant du principal", i + 1),
            plain(c.principal),
        ));
    }
    out.push(field(
        "5",
        "Principal — total",
        "Principal — total",
        plain(a.principal),
    ));
    for (i, c) in request.claims.iter().enumerate() {
        out.push(field(
            "6",
            &format!("Claim {} — interest: rate and period", i + 1),
            &format!("Créance {} — intérêts : taux et période", i + 1),
            c.interest_basis.clone(),
        ));
        out.push(field(
            "6",
            &format!(
                "Claim {} — interest amount as of {}",
                i + 1,
                date(request.amounts_as_of, Lang::Fr)
            ),
            &format!(
                "Créance {} — intérêts arrêtés au {}",
                i + 1,
                date(request.amounts_as_of, Lang::Fr)
            ),
            plain(c.interest),
        ));
    }
    out.push(field(
        "6",
        "Interest — total",
        "Intérêts — total",
        plain(a.interest),
    ));
    if !a.indemnity.is_zero() {
        out.push(field(
            "7",
            "Other costs — fixed compensation for recovery costs (Directive 2011/7/EU art. 6)",
            "Autres frais — indemnités forfaitaires pour frais de recouvrement (directive 2011/7/UE art. 6)",
            plain(a.indemnity),
        ));
    }
    for c in &request.accessories {
        out.push(field(
            "7",
            &format!("Other costs — {} ({})", c.label, date(c.on, Lang::Fr)),
            &format!("Autres frais — {} ({})", c.label, date(c.on, Lang::Fr)),
            plain(c.amount),
        ));
    }
    out.push(field(
        "7",
        "Total claimed (principal, interest, penalties and costs)",
        "Total réclamé (principal, intérêts, pénalités et frais)",
        plain(a.total),
    ));
    for (i, t) in request.exhibits.iter().enumerate() {
        out.push(field(
            "8",
            &format!("Evidence {} — written evidence", i + 1),
            &format!("Preuve {} — preuve écrite", i + 1),
            t.clone(),
        ));
    }
    out.push(field(
        "10",
        "Declaration: I hereby request that the court order the defendant(s) to pay the claimant the amount stated above; I declare that the information provided is true to the best of my knowledge and belief",
        "Déclaration : je demande à la juridiction d'enjoindre au(x) défendeur(s) de payer au demandeur le montant indiqué ci-dessus ; je déclare que les informations fournies sont, à ma connaissance, exactes",
        "",
    ));
    out.push(field("10", "Place", "Lieu", request.city.clone()));
    out.push(field("10", "Date", "Date", date(request.date, Lang::Fr)));
    out.push(field(
        "10",
        "Signature — name",
        "Signature — nom",
        request
            .representative
            .as_ref()
            .unwrap_or(&request.creditor)
            .name
            .clone(),
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(
            slug("Facture F-2025/101 (copie)"),
            "facture-f-2025-101-copie"
        );
        assert_eq!(slug("Relevé de compte à date"), "releve-de-compte-a-date");
        assert_eq!(slug("Œuvre — « bon »"), "oeuvre-bon");
        assert_eq!(slug("***"), "piece");
    }

    #[test]
    fn numeric_columns_are_found() {
        let rows = vec![
            vec!["F-1".to_string(), "1\u{202f}200,00\u{a0}€".to_string()],
            vec!["F-2".to_string(), String::new()],
        ];
        assert!(!numeric_column(&rows, 0));
        assert!(numeric_column(&rows, 1));
    }
}
