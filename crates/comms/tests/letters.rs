//! Messages composed from a real SQLite store: the formal notice of a French B2B debtor
//! with three overdue invoices, checked to the cent against figures worked by hand from
//! shared/domain-rules.md, on the text of the PDF itself (pdftotext from Debian's
//! poppler-utils, installed by scripts/test); the e-mail texts in both languages; the
//! day's batch of registered letters and its CSV.

#![allow(clippy::unwrap_used)]

use app::store::{ActionStatus, Store, StoredAction};
use domain::dunning::{Channel, Channels, Stage};
use domain::{
    Claim, ClaimId, ClaimLedger, ClaimNumber, Contact, ContactKind, Currency, Date, Debtor,
    DebtorId, EntryKind, Money,
};
use recouvre_comms::compose::settings;
use recouvre_comms::{Comms, Lang, Templates, compose_action, compose_preview};
use std::path::Path;
use std::process::Command;

fn d(y: i16, m: i8, day: i8) -> Date {
    Date::new(y, m, day).unwrap()
}

/// The day the notice is written.
fn as_of() -> Date {
    d(2026, 3, 2)
}

fn comms() -> Comms {
    Comms {
        templates: Templates::builtin().unwrap(),
        rates: domain::law::RateTables::embedded().unwrap(),
    }
}

/// A French company owing three invoices, all overdue on 2 March 2026:
/// - F-2025-101: €1,200.00 issued 2025-11-01, due 2025-12-01;
/// - F-2025-057: €2,500.00 issued 2025-05-15, due 2025-06-14;
/// - F-2026-004: €480.00 issued 2026-01-05, due 2026-02-04.
async fn setup(store: &dyn Store) -> (DebtorId, Vec<ClaimId>) {
    let (debtor, ids) = setup_bare(store).await;
    let mut tx = store.begin().await.unwrap();
    sender_settings(tx.as_mut()).await;
    tx.commit().await.unwrap();
    (debtor, ids)
}

/// The letter sender and the bank details: everything a registered letter needs.
async fn sender_settings(tx: &mut dyn app::store::Tx) {
    for (key, value) in [
        (settings::SENDER_NAME, "Acme Industrie SAS"),
        (settings::SENDER_ADDRESS, "8 quai des Forges\n75011 Paris"),
        (settings::SENDER_CITY, "Paris"),
        (settings::SENDER_EMAIL, "recouvrement@acme.example"),
        (settings::SENDER_COMPANY_ID, "SIREN 552 100 554"),
        (settings::COLLECTOR_NAME, "Claire Martin"),
        (app::sepa::CREDITOR_NAME, "Acme Industrie SAS"),
        (app::sepa::CREDITOR_IBAN, "FR7630006000011234567890189"),
        (app::sepa::CREDITOR_BIC, "AGRIFRPP"),
    ] {
        tx.set_setting(key, value).await.unwrap();
    }
}

/// The three claims of [`setup`], without any sender setting.
async fn setup_bare(store: &dyn Store) -> (DebtorId, Vec<ClaimId>) {
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .insert_creditor("ACME", "Acme Industrie", "FR")
        .await
        .unwrap();
    let debtor = Debtor {
        id: DebtorId(0),
        creditor_id: c.id,
        external_id: "C0042".into(),
        name: "Boulangerie Dupré SARL".into(),
        kind: domain::DebtorKind::Company,
        segment: domain::Segment::B2b,
        country: "FR".into(),
        language: "fr".into(),
        contacts: vec![
            Contact {
                kind: ContactKind::Email,
                value: "compta@dupre.example".into(),
                label: None,
            },
            Contact {
                kind: ContactKind::Address,
                value: "12 rue des Lilas, 69003 Lyon".into(),
                label: None,
            },
        ],
        tags: vec![],
    };
    let debtor_id = tx.insert_debtor(&debtor).await.unwrap();
    let mut ids = Vec::new();
    for (number, amount, issued, due) in [
        ("F-2025-101", 1_200_00, d(2025, 11, 1), d(2025, 12, 1)),
        ("F-2025-057", 2_500_00, d(2025, 5, 15), d(2025, 6, 14)),
        ("F-2026-004", 480_00, d(2026, 1, 5), d(2026, 2, 4)),
    ] {
        let claim = Claim {
            id: ClaimId(0),
            creditor_id: c.id,
            debtor_id,
            external_id: number.into(),
            number: ClaimNumber::parse(number).unwrap(),
            nature: domain::Nature::Commercial,
            issue_date: issued,
            due_date: due,
            currency: Currency::EUR,
        };
        let id = tx.insert_claim(&claim).await.unwrap();
        let mut l = ClaimLedger::new(Currency::EUR);
        l.post(
            EntryKind::Invoice,
            Money::from_minor(amount, Currency::EUR),
            issued,
            None,
        )
        .unwrap();
        tx.append_entries(id, l.entries(), "2026-01-01T00:00:00Z")
            .await
            .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    (debtor_id, ids)
}

async fn store(dir: &Path) -> store_sqlite::SqliteStore {
    let path = dir.join("t.db");
    store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-01-01T00:00:00Z")
        .await
        .unwrap()
}

/// The text of a PDF, laid out as on the page (pdftotext -layout).
fn pdf_text(pdf: &[u8], dir: &Path) -> String {
    let path = dir.join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is needed: scripts/test installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Normalise the narrow and plain no-break spaces of French amounts to spaces.
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(['\u{202f}', '\u{a0}'], " ")
}

/// Renders the first page to PNG (pdftoppm, 110 dpi) and checks it is an image. With
/// `RECOUVRE_WRITE_DOCS=1` the image replaces docs/letters/formal-notice.png, the picture
/// of a letter the documentation shows.
fn first_page_png(pdf: &[u8], dir: &Path) {
    let path = dir.join("page.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = dir.join("page");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&out)
        .status()
        .expect("pdftoppm (Debian poppler-utils) is needed: scripts/test installs it");
    assert!(status.success());
    let png = std::fs::read(dir.join("page.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    if std::env::var_os("RECOUVRE_WRITE_DOCS").is_some() {
        let target =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/letters/formal-notice.png");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, png).unwrap();
    }
}

/// Whether `text` has a line holding every one of `cells`, in order.
fn has_row(text: &str, cells: &[&str]) -> bool {
    text.lines().any(|line| {
        let mut rest = line;
        cells.iter().all(|c| match rest.find(c) {
            Some(i) => {
                rest = &rest[i + c.len()..];
                true
            }
            None => false,
        })
    })
}

/// The "done when" case of issue 6. Expected values worked by hand (domain-rules §1, §2.2,
/// conventions C1–C3: actual days / 365, simple interest, total rounded once, half-up):
/// French B2B statutory rate = ECB MRO + 10 points: 13.15 % in 2025 S1, 12.15 % in 2025 S2
/// and in 2026 S1. Days = 2026-03-02 − due date.
/// - F-2025-101, €1,200.00 due 2025-12-01: 91 days at 12.15 % →
///   1200 × 0.1215 × 91 / 365 = 36.3501… → **€36.35**;
/// - F-2025-057, €2,500.00 due 2025-06-14: 16 days at 13.15 % (15–30 June) = 14.4109…,
///   then 184 + 61 = 245 days at 12.15 % = 203.8869… → 218.2979… → **€218.30**;
/// - F-2026-004, €480.00 due 2026-02-04: 26 days at 12.15 % →
///   480 × 0.1215 × 26 / 365 = 4.1543… → **€4.15**;
/// - €40 indemnity per invoice (D441-5): **€120.00**;
/// - totals: principal 4,180.00, interest 258.80, claimed 4,180.00 + 258.80 + 120.00 =
///   **€4,558.80**; deadline 8 days later: 10 March 2026.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formal_notice_pdf_shows_each_claim_to_the_cent() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (debtor, claims) = setup(&store).await;
    let comms = comms();

    // The law engine, as `recouvre interest CLAIM` shows it, agrees with the hand figures.
    let mut tx = store.begin().await.unwrap();
    let mut engine = Vec::new();
    for id in &claims {
        let p = app::law::claim_penalties(tx.as_mut(), *id, as_of(), &comms.rates)
            .await
            .unwrap();
        engine.push((
            p.interest_total().minor(),
            p.indemnity.unwrap().amount.minor(),
        ));
    }
    drop(tx);
    assert_eq!(engine, vec![(36_35, 40_00), (218_30, 40_00), (4_15, 40_00)]);

    let composed = compose_preview(&store, &comms, "formal_notice_b2b", debtor, None, as_of())
        .await
        .unwrap();
    assert_eq!(composed.lang, Lang::Fr);
    assert!(composed.warnings.is_empty(), "{:?}", composed.warnings);
    let pdf = composed.letter_pdf().unwrap();
    let text = pdf_text(&pdf, dir.path());
    first_page_png(&pdf, dir.path());

    assert!(
        text.contains("MISE EN DEMEURE") || text.contains("Mise en demeure"),
        "{text}"
    );
    assert!(
        text.contains("LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION"),
        "{text}"
    );
    // One row per invoice: number, issue and due dates, days late, amount, paid, balance,
    // interest, indemnity.
    assert!(
        has_row(
            &text,
            &[
                "F-2025-101",
                "01/11/2025",
                "01/12/2025",
                "91",
                "1 200,00 €",
                "0,00 €",
                "1 200,00 €",
                "36,35 €",
                "40,00 €"
            ]
        ),
        "{text}"
    );
    assert!(
        has_row(
            &text,
            &[
                "F-2025-057",
                "15/05/2025",
                "14/06/2025",
                "261",
                "2 500,00 €",
                "0,00 €",
                "2 500,00 €",
                "218,30 €",
                "40,00 €"
            ]
        ),
        "{text}"
    );
    assert!(
        has_row(
            &text,
            &[
                "F-2026-004",
                "05/01/2026",
                "04/02/2026",
                "26",
                "480,00 €",
                "0,00 €",
                "480,00 €",
                "4,15 €",
                "40,00 €"
            ]
        ),
        "{text}"
    );
    assert!(
        has_row(&text, &["Total", "4 180,00 €", "258,80 €", "120,00 €"]),
        "{text}"
    );
    // The demand: the total, its parts, the precise deadline, the legal bases, what next.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("somme totale de 4 558,80 €"), "{flat}");
    assert!(flat.contains("au plus tard le 10 mars 2026"), "{flat}");
    assert!(
        flat.contains("L441-10") && flat.contains("D441-5"),
        "{flat}"
    );
    assert!(flat.contains("article 1344 du Code civil"), "{flat}");
    assert!(flat.contains("juridiction compétente"), "{flat}");
    // Window envelope: the recipient block and the sender; payment instructions.
    assert!(
        text.contains("Boulangerie Dupré SARL") && text.contains("69003 Lyon"),
        "{text}"
    );
    assert!(text.contains("Paris, le 2 mars 2026"), "{text}");
    assert!(
        flat.contains("IBAN FR76 3000 6000 0112 3456 7890 189"),
        "{flat}"
    );
    // Several claims: the debtor's RF reference, from its customer reference C0042
    // (ISO 11649: "C0042RF00" → 12 0 0 0 4 2 27 15 0 0 → mod 97 … check digits 98 − r).
    let rf = formats::rf::generate("C0042").unwrap();
    assert!(
        flat.contains(&recouvre_comms::fmt::grouped(rf.as_str())),
        "{flat}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_formal_notice_action_attaches_its_pdf_and_the_batch_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (debtor, claims) = setup(&store).await;
    let comms = comms();
    let mut tx = store.begin().await.unwrap();
    let channels = Channels::empty()
        .with(Channel::FormalNotice)
        .with(Channel::Email);
    let action = StoredAction {
        id: 0,
        debtor_id: debtor,
        cycle: 1,
        step_code: "d+30_formal_notice".into(),
        scenario: "fr_b2b_standard".into(),
        channels,
        template: "formal_notice_b2b".into(),
        claims: claims.clone(),
        amount: Money::from_minor(4_180_00, Currency::EUR),
        claim_penalties: true,
        stage_after: Stage::FormalNotice,
        status: ActionStatus::Planned,
        created_on: as_of(),
        created_at: "2026-03-02T06:00:00Z".into(),
    };
    let id = tx.insert_action(&action).await.unwrap().unwrap();
    // A reminder by e-mail the same day: no letter, not in the batch.
    let reminder = StoredAction {
        step_code: "d+1_email".into(),
        channels: Channels::empty().with(Channel::Email),
        template: "reminder_1".into(),
        claim_penalties: false,
        ..action.clone()
    };
    tx.insert_action(&reminder).await.unwrap();
    tx.commit().await.unwrap();

    let composed = compose_action(&store, &comms, id, Some(as_of()))
        .await
        .unwrap();
    assert_eq!(
        composed.recipient.email.as_deref(),
        Some("compta@dupre.example")
    );
    assert_eq!(
        composed.subject,
        "Mise en demeure de payer — 4\u{202f}558,80\u{a0}€"
    );
    assert_eq!(composed.attachments.len(), 1);
    let pdf = &composed.attachments[0];
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    assert!(pdf.filename.ends_with(".pdf"), "{}", pdf.filename);
    // The e-mail copy names each claim with its interest and the total.
    assert!(composed.text.contains("facture F-2025-057 du 15/05/2025, échue le 14/06/2025 : reste dû 2\u{202f}500,00\u{a0}€, pénalités de retard 218,30\u{a0}€"), "{}", composed.text);
    assert!(
        composed
            .text
            .contains("Total réclamé : 4\u{202f}558,80\u{a0}€"),
        "{}",
        composed.text
    );
    assert!(
        composed
            .html
            .contains("<td align=\"right\">218,30\u{a0}€</td>"),
        "{}",
        composed.html
    );

    let batch = recouvre_comms::batch::letters_batch(&store, &comms, as_of(), as_of())
        .await
        .unwrap();
    assert_eq!(batch.lines.len(), 1);
    assert!(batch.pdf.starts_with(b"%PDF-"));
    let csv = batch.csv();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "sequence;service;reference;action_id;debtor_id;template;recipient;address_1;address_2;address_3;address_4;postcode;city;country;amount_claimed"
    );
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "1;LRAR;C0042-{id};{id};{};formal_notice_b2b;Boulangerie Dupré SARL;12 rue des Lilas;;;;69003;Lyon;FR;4\u{202f}558,80\u{a0}€",
            debtor.0
        )
    );
    assert_eq!(lines.next(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_debtors_are_written_to_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (debtor, _) = setup(&store).await;
    let comms = comms();
    let c = compose_preview(
        &store,
        &comms,
        "reminder_1",
        debtor,
        Some(Lang::En),
        as_of(),
    )
    .await
    .unwrap();
    assert_eq!(c.subject, "Overdue invoice(s) — €4,180.00 outstanding");
    assert!(
        c.text
            .contains("- invoice F-2025-101 of 2025-11-01, due on 2025-12-01: €1,200.00"),
        "{}",
        c.text
    );
    // Paragraphs stay apart after a line ending in a condition (`{% endif +%}`).
    assert!(
        c.text
            .contains(".\n\nIf your payment is already on its way"),
        "{}",
        c.text
    );
    // A reminder claims no penalty: no interest column in the e-mail table.
    assert!(!c.html.contains("Interest"), "{}", c.html);
    let sms = c.sms.unwrap();
    assert!(
        sms.starts_with("Acme Industrie SAS: unless we are mistaken, €4,180.00 is outstanding"),
        "{sms}"
    );
}

/// Adds a claim of `amount` minor units to a debtor, invoiced on `issued`.
async fn add_claim(
    store: &dyn Store,
    debtor: DebtorId,
    number: &str,
    amount: i64,
    currency: Currency,
    issued: Date,
    due: Date,
) -> ClaimId {
    let mut tx = store.begin().await.unwrap();
    let d = tx.debtor(debtor).await.unwrap().unwrap();
    let claim = Claim {
        id: ClaimId(0),
        creditor_id: d.creditor_id,
        debtor_id: debtor,
        external_id: number.into(),
        number: ClaimNumber::parse(number).unwrap(),
        nature: domain::Nature::Commercial,
        issue_date: issued,
        due_date: due,
        currency,
    };
    let id = tx.insert_claim(&claim).await.unwrap();
    let mut l = ClaimLedger::new(currency);
    l.post(
        EntryKind::Invoice,
        Money::from_minor(amount, currency),
        issued,
        None,
    )
    .unwrap();
    tx.append_entries(id, l.entries(), "2026-01-01T00:00:00Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A debtor of a creditor established in `country`, with the sender settings, and no
/// claim yet.
async fn debtor_of(
    store: &dyn Store,
    country: &str,
    segment: domain::Segment,
    debtor_country: &str,
    language: &str,
) -> DebtorId {
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .insert_creditor("ACME", "Acme Ltd", country)
        .await
        .unwrap();
    let debtor = Debtor {
        id: DebtorId(0),
        creditor_id: c.id,
        external_id: "D0007".into(),
        name: "Müller Handel GmbH".into(),
        kind: domain::DebtorKind::Company,
        segment,
        country: debtor_country.into(),
        language: language.into(),
        contacts: vec![
            Contact {
                kind: ContactKind::Email,
                value: "buchhaltung@mueller.example".into(),
                label: None,
            },
            Contact {
                kind: ContactKind::Address,
                value: "Hauptstraße 5, 10115 Berlin".into(),
                label: None,
            },
        ],
        tags: vec![],
    };
    let id = tx.insert_debtor(&debtor).await.unwrap();
    sender_settings(tx.as_mut()).await;
    tx.commit().await.unwrap();
    id
}

/// A fresh store holding one debtor ([`debtor_of`]) with one claim: (number, amount in
/// minor units, currency, issue date, due date).
async fn one_claim(
    dir: &Path,
    creditor_country: &str,
    segment: domain::Segment,
    debtor_country: &str,
    language: &str,
    (number, amount, currency, issued, due): (&str, i64, Currency, Date, Date),
) -> (store_sqlite::SqliteStore, DebtorId) {
    let db = store(dir).await;
    let debtor = debtor_of(&db, creditor_country, segment, debtor_country, language).await;
    add_claim(&db, debtor, number, amount, currency, issued, due).await;
    (db, debtor)
}

/// Issue 17, "also found" 1: a letter demands only what the run would — overdue claims
/// not under an open dispute. On 2 March 2026, beside the three overdue invoices of
/// [`setup`]: F-2026-030 falls due on 5 March (not due yet), and F-2026-004 is disputed.
/// The formal notice then claims F-2025-101 and F-2025-057 only: principal 1,200 + 2,500
/// = 3,700.00; interest 36.35 + 218.30 = 254.65 (worked in the test above); indemnities
/// 2 × 40 = 80.00; total 4,034.65. The courtesy reminder sent 5 days before a due date
/// (the shipped step d-5) lists F-2026-030 only, due in 3 days.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn letters_demand_only_overdue_undisputed_claims() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (debtor, claims) = setup(&store).await;
    add_claim(
        &store,
        debtor,
        "F-2026-030",
        300_00,
        Currency::EUR,
        d(2026, 2, 20),
        d(2026, 3, 5),
    )
    .await;
    app::agreements::open_dispute(
        &store,
        &app::FixedClock(as_of()),
        &app::agreements::DisputeTerms {
            debtor: Some(debtor),
            claims: vec![claims[2]],
            reason: domain::agreements::DisputeReason::Quality,
            note: String::new(),
            attachments: vec![],
            owner: String::new(),
            due: None,
        },
    )
    .await
    .unwrap();
    let comms = comms();
    let notice = compose_preview(&store, &comms, "formal_notice_b2b", debtor, None, as_of())
        .await
        .unwrap();
    for text in [&notice.text, &notice.letter] {
        assert!(!text.contains("F-2026-030"), "{text}");
        assert!(!text.contains("F-2026-004"), "{text}");
    }
    assert!(notice.text.contains("F-2025-101") && notice.text.contains("F-2025-057"));
    assert_eq!(
        notice.subject,
        "Mise en demeure de payer — 4\u{202f}034,65\u{a0}€"
    );
    let courtesy = compose_preview(&store, &comms, "courtesy_pre_due", debtor, None, as_of())
        .await
        .unwrap();
    assert!(courtesy.text.contains("F-2026-030"), "{}", courtesy.text);
    for other in ["F-2025-101", "F-2025-057", "F-2026-004"] {
        assert!(!courtesy.text.contains(other), "{}", courtesy.text);
    }
}

/// Issue 17, "also found" 2: without a sender address, SIREN, IBAN or the debtor's
/// address, a formal notice is refused with every missing item named, and the day's
/// batch leaves it out and reports it; an e-mail without a sender address is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_letter_without_sender_siren_iban_or_address_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (debtor, claims) = setup_bare(&store).await;
    let comms = comms();
    let err = compose_preview(&store, &comms, "formal_notice_b2b", debtor, None, as_of())
        .await
        .unwrap_err()
        .to_string();
    for item in ["postal address", "adresse postale", "SIREN", "IBAN"] {
        assert!(err.contains(item), "{err}");
    }
    // The debtor's address is there; the creditor's name stands for the sender's.
    assert!(!err.contains("debtor's postal address"), "{err}");
    assert!(!err.contains("sender's name"), "{err}");

    let mut tx = store.begin().await.unwrap();
    let action = StoredAction {
        id: 0,
        debtor_id: debtor,
        cycle: 1,
        step_code: "d+30_formal_notice".into(),
        scenario: "fr_b2b_standard".into(),
        channels: Channels::empty().with(Channel::FormalNotice),
        template: "formal_notice_b2b".into(),
        claims: claims.clone(),
        amount: Money::from_minor(4_180_00, Currency::EUR),
        claim_penalties: true,
        stage_after: Stage::FormalNotice,
        status: ActionStatus::Planned,
        created_on: as_of(),
        created_at: "2026-03-02T06:00:00Z".into(),
    };
    let id = tx.insert_action(&action).await.unwrap().unwrap();
    let email = StoredAction {
        step_code: "d+1_email".into(),
        channels: Channels::empty().with(Channel::Email),
        template: "reminder_1".into(),
        claim_penalties: false,
        ..action.clone()
    };
    let email_id = tx.insert_action(&email).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let batch = recouvre_comms::batch::letters_batch(&store, &comms, as_of(), as_of())
        .await
        .unwrap();
    assert!(batch.lines.is_empty(), "{:?}", batch.lines);
    assert!(batch.pdf.is_empty());
    assert_eq!(batch.refused.len(), 1);
    assert_eq!(batch.refused[0].action_id, id);
    assert!(batch.refused[0].reason.contains("SIREN"));
    let err = compose_action(&store, &comms, email_id, Some(as_of()))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("e-mail address"), "{err}");
}

/// Issue 17, "also found" 3: a rate the tables do not hold never becomes a silent zero.
/// A British creditor's claim due 15 July 2026 bears interest at the Bank Rate of
/// 30 June 2026 + 8 (domain-rules §9), which the tables do not hold (⚠ unknown): its
/// formal notice is refused and says which claim and why; a preview that is not issued
/// says "not computed" instead of 0.00.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_rate_refuses_the_formal_notice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, debtor) = one_claim(
        dir.path(),
        "GB",
        domain::Segment::B2b,
        "GB",
        "en",
        (
            "UK-2026-7",
            1_000_00,
            Currency::GBP,
            d(2026, 6, 15),
            d(2026, 7, 15),
        ),
    )
    .await;
    let comms = comms();
    let on = d(2026, 8, 1);
    let err = compose_preview(&store, &comms, "formal_notice_b2b", debtor, None, on)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("UK-2026-7") && err.contains("cannot be computed"),
        "{err}"
    );
    let agency = compose_preview(&store, &comms, "agency_letter", debtor, None, on)
        .await
        .unwrap();
    assert!(agency.text.contains("not computed"), "{}", agency.text);
    assert!(!agency.warnings.is_empty());
    assert!(agency.letter_pdf().is_err());
}

/// Issue 17, "also found" 3: a rate to confirm never reaches a letter silently.
/// The French B2B rate of 2026 S2 is the ECB rate in force on 1 July 2026 + 10 points;
/// that ECB rate (2.40 % from 17 June 2026) is ⚠ unverified (domain-rules §12 item 2).
/// €1,000.00 due 30 June 2026, on 31 July 2026: 31 days at 12.40 % →
/// 1000 × 0.124 × 31 / 365 = 10.5315… → €10.53, shown "(taux à confirmer)" in the formal
/// notice's table and totals, and named in its warnings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_to_confirm_is_marked_in_the_formal_notice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, debtor) = one_claim(
        dir.path(),
        "FR",
        domain::Segment::B2b,
        "FR",
        "fr",
        (
            "F-2026-600",
            1_000_00,
            Currency::EUR,
            d(2026, 5, 31),
            d(2026, 6, 30),
        ),
    )
    .await;
    let comms = comms();
    let on = d(2026, 7, 31);
    let notice = compose_preview(&store, &comms, "formal_notice_b2b", debtor, None, on)
        .await
        .unwrap();
    assert!(
        notice.letter_data().table.as_ref().unwrap().rows[0]
            .contains(&"10,53\u{a0}€ (taux à confirmer)".to_string()),
        "{:?}",
        notice.letter_data().table
    );
    assert!(
        notice
            .letter
            .contains("10,53\u{a0}€ (taux à confirmer) de pénalités de retard"),
        "{}",
        notice.letter
    );
    assert!(
        notice
            .warnings
            .iter()
            .any(|w| w.contains("ecb-mro") && w.contains("2026-06-17") && w.contains("unverified")),
        "{:?}",
        notice.warnings
    );
    assert!(notice.letter_pdf().is_ok());
}

/// Issue 17, "also found" 4: each creditor's formal notice quotes its own law, and a
/// German debtor (language `de`, which Recouvre does not write) is written to in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_jurisdiction_quotes_its_own_law() {
    let comms = comms();
    let no_french_law = |t: &str| {
        assert!(!t.contains("L441-10"), "{t}");
        assert!(!t.contains("D441-5"), "{t}");
        assert!(!t.contains("1344"), "{t}");
    };
    // Germany, B2B: base rate 1.27 % from 1 January 2026 (domain-rules §9, ✔) + 9 =
    // 10.27 %; €1,000.00 due 15 January 2026, on 2 March 2026: 46 days →
    // 1000 × 0.1027 × 46 / 365 = 12.9430… → €12.94, and the €40 lump sum (§288(5)).
    let dir = tempfile::tempdir().unwrap();
    let (db, debtor) = one_claim(
        dir.path(),
        "DE",
        domain::Segment::B2b,
        "DE",
        "de",
        (
            "R-2026-1",
            1_000_00,
            Currency::EUR,
            d(2025, 12, 16),
            d(2026, 1, 15),
        ),
    )
    .await;
    let c = compose_preview(&db, &comms, "formal_notice_b2b", debtor, None, as_of())
        .await
        .unwrap();
    assert_eq!(c.lang, Lang::En);
    no_french_law(&c.letter);
    let flat = c.letter.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("section 286 of the German Civil Code (BGB)"),
        "{flat}"
    );
    assert!(flat.contains("section 288(2) BGB") && flat.contains("section 288(5) BGB"));
    assert!(flat.contains("€12.94 of late-payment interest"), "{flat}");
    assert!(flat.contains("€40.00 of fixed sums"), "{flat}");

    // United Kingdom, B2B: the 1998 Act and its fixed sums.
    let dir = tempfile::tempdir().unwrap();
    let (db, debtor) = one_claim(
        dir.path(),
        "GB",
        domain::Segment::B2b,
        "GB",
        "en",
        (
            "UK-2026-1",
            500_00,
            Currency::GBP,
            d(2025, 12, 16),
            d(2026, 1, 15),
        ),
    )
    .await;
    let c = compose_preview(&db, &comms, "formal_notice_b2b", debtor, None, as_of())
        .await
        .unwrap();
    no_french_law(&c.letter);
    assert!(
        c.letter
            .contains("Late Payment of Commercial Debts (Interest) Act 1998")
            && c.letter.contains("section 5A"),
        "{}",
        c.letter
    );

    // France, B2C: the Civil Code, no €40 and no Commercial Code.
    let dir = tempfile::tempdir().unwrap();
    let (db, debtor) = one_claim(
        dir.path(),
        "FR",
        domain::Segment::B2c,
        "FR",
        "fr",
        (
            "F-2026-9",
            500_00,
            Currency::EUR,
            d(2025, 12, 16),
            d(2026, 1, 15),
        ),
    )
    .await;
    let c = compose_preview(&db, &comms, "formal_notice_b2c", debtor, None, as_of())
        .await
        .unwrap();
    let flat = c.letter.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("articles 1231-6 et 1344-1 du Code civil")
            && flat.contains("l'article 1344 du Code civil"),
        "{flat}"
    );
    assert!(
        !flat.contains("L441-10") && !flat.contains("40,00"),
        "{flat}"
    );
}

/// A claim assigned to a factor ("affacturage"): the letter's payment box names the
/// factor and its account instead of the creditor's, and carries the mention that only a
/// payment to the factor discharges the debtor; the e-mail says the same, in the debtor's
/// language.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assigned_claims_letter_is_paid_to_the_factor() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (debtor, claims) = setup(&store).await;
    let comms = comms();
    let clock = app::FixedClock(d(2026, 2, 1));
    let actor = app::audit::Actor("cli:test".into());
    let factor = app::audit::add_financing_party(
        &store,
        &clock,
        &actor,
        app::store::PartyKind::Factor,
        &app::financing::PartyInput {
            name: "Factofrance".into(),
            // The German IBAN of the ECBS examples, as people write it.
            iban: Some("de89 3704 0044 0532 0130 00".into()),
            bic: Some("COBADEFFXXX".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app::audit::assign_financing(
        &store,
        &clock,
        &actor,
        &app::financing::AssignInput {
            target: app::financing::Target::Claim(claims[0]),
            party: factor.id,
            since: None,
            dun: true,
        },
    )
    .await
    .unwrap();

    let composed = compose_preview(&store, &comms, "formal_notice_b2b", debtor, None, as_of())
        .await
        .unwrap();
    let payment = &composed.letter_data().payment;
    assert_eq!(
        payment[..3],
        [
            "Bénéficiaire\u{a0}: Factofrance".to_string(),
            "IBAN DE89 3704 0044 0532 0130 00 — BIC COBADEFFXXX".to_string(),
            "Cette créance a été cédée à Factofrance (affacturage)\u{a0}; seul un paiement à \
             Factofrance est libératoire."
                .to_string(),
        ],
        "{payment:?}"
    );
    assert!(
        payment[3].starts_with("Référence à rappeler"),
        "{payment:?}"
    );
    let text = pdf_text(&composed.letter_pdf().unwrap(), dir.path());
    assert!(text.contains("Factofrance"), "{text}");
    assert!(
        !text.contains("FR76 3000 6000"),
        "the creditor's account: {text}"
    );

    let en = compose_preview(
        &store,
        &comms,
        "reminder_1",
        debtor,
        Some(Lang::En),
        as_of(),
    )
    .await
    .unwrap();
    assert!(
        en.text
            .contains("IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, reference RF")
            && en.text.contains(
                "This claim has been assigned to Factofrance (factoring); only a payment to \
             Factofrance discharges the debt."
            ),
        "{}",
        en.text
    );
    assert!(
        en.html.contains("only a payment to Factofrance"),
        "{}",
        en.html
    );
}

/// Interest and indemnity posted to the ledger are claimed once: the formal notice of
/// [`formal_notice_pdf_shows_each_claim_to_the_cent`] after F-2025-101's €36.35 and €40
/// were posted (as of the same day) shows the same rows and the same total, €4,558.80
/// (4,180.00 + 258.80 + 120.00), not €4,635.15 (posted charges counted in the balance and
/// again in their columns).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posted_charges_are_not_claimed_twice() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (debtor, claims) = setup(&store).await;
    let comms = comms();
    let mut tx = store.begin().await.unwrap();
    let posted = app::charges::claim_in(tx.as_mut(), claims[0], as_of(), &comms.rates, "now")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        (posted.interest.minor(), posted.indemnity.minor()),
        (36_35, 40_00)
    );
    let composed = compose_preview(&store, &comms, "formal_notice_b2b", debtor, None, as_of())
        .await
        .unwrap();
    let text = pdf_text(&composed.letter_pdf().unwrap(), dir.path());
    assert!(
        has_row(
            &text,
            &[
                "F-2025-101",
                "1 200,00 €",
                "0,00 €",
                "1 200,00 €",
                "36,35 €",
                "40,00 €"
            ]
        ),
        "{text}"
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("somme totale de 4 558,80 €"), "{flat}");
}

/// Issue 18: the request and the evidence bundle of a legal file opened on the three claims
/// of [`setup`] on 2 March 2026, read back from the PDFs. The request's amounts are the
/// figures worked by hand for the formal notice above (interest €36.35, €218.30, €4.15;
/// €40 indemnity each; total €4,558.80); the bundle lists every exhibit, numbered, in the
/// order of the request's list, then shows each one in that order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legal_file_request_and_bundle_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (debtor, claims) = setup(&store).await;
    let comms = comms();
    let clock = app::clock::FixedClock(as_of());
    let file = app::legal::open(
        &store,
        &clock,
        &comms.rates,
        &app::audit::Actor("cli:test".into()),
        &app::legal::OpenRequest {
            debtor: Some(debtor),
            decision: Some("injonction_de_payer".parse().unwrap()),
            claims: claims.clone(),
            court: Some("Tribunal de commerce de Lyon".into()),
            agent: None,
            reason: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        file.frozen_total(),
        Money::from_minor(4_558_80, Currency::EUR)
    );

    let docs = recouvre_comms::legal_file::gather(&store, &comms, file.id, as_of())
        .await
        .unwrap();
    assert!(docs.missing.is_empty(), "{:?}", docs.missing);
    let request = recouvre_comms::legal::render_request(&docs.request().unwrap()).unwrap();
    let text = pdf_text(&request, dir.path());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "REQUÊTE EN INJONCTION DE PAYER",
        "Tribunal de commerce de Lyon",
        "Acme Industrie SAS",
        "Boulangerie Dupré SARL",
        "12 rue des Lilas",
        "Principal 4 180,00 €",
        "258,80 €",
        "Indemnités forfaitaires pour frais de recouvrement 120,00 €",
        "TOTAL RÉCLAMÉ 4 558,80 €",
        "Fait à Paris, le 2 mars 2026",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for (number, principal, interest) in [
        ("F-2025-101", "1 200,00 €", "36,35 €"),
        ("F-2025-057", "2 500,00 €", "218,30 €"),
        ("F-2026-004", "480,00 €", "4,15 €"),
    ] {
        assert!(
            has_row(&text, &[number, principal, interest]),
            "no row {number} {principal} {interest} in:\n{text}"
        );
    }
    assert!(!flat.contains("Tribunal judiciaire"));

    // The bundle: the list, then each exhibit, in the same order as the request's list.
    let titles: Vec<String> = docs.exhibits.iter().map(|e| e.doc.title.clone()).collect();
    assert!(titles.len() >= 4, "{titles:?}"); // the statement and one text per invoice
    let bundle = recouvre_comms::legal::render_bundle(&docs.bundle()).unwrap();
    let text = pdf_text(&bundle, dir.path());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut at = 0;
    for (i, title) in titles.iter().enumerate() {
        let listed = format!("Pièce n° {} : {}", i + 1, title);
        let found = flat[at..]
            .find(&listed)
            .unwrap_or_else(|| panic!("{listed:?} missing or out of order in:\n{flat}"));
        at += found + listed.len();
    }
    for (i, title) in titles.iter().enumerate() {
        let header = format!("Pièce n° {} — {}", i + 1, title);
        let found = flat[at..]
            .find(&header)
            .unwrap_or_else(|| panic!("{header:?} missing or out of order in:\n{flat}"));
        at += found + header.len();
    }
    // The statement of account shows each invoice's balance.
    assert!(flat.contains("2 500,00 €") && flat.contains("480,00 €"));
    let request_flat = pdf_text(&request, dir.path())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for (i, title) in titles.iter().enumerate() {
        let listed = format!("Pièce n° {} : {}", i + 1, title);
        assert!(request_flat.contains(&listed), "request lacks {listed:?}");
    }
}

/// Issue 19: the agency letter of the demo agency (`app::agency::seed_demo`) to a debtor of
/// client ALPHA carries each mention of CPCE R124-4, read on the text of its PDF: the
/// agency's name and address and that it collects amicably (1°), the creditor's own name and
/// address — its identity, not another client's (2°), the basis and the amount broken into
/// principal, interest and accessories (3°), the demand to pay and how: the agency's
/// client-funds account (4°), paragraphs 2 and 3 of L111-8 (5°), and its reference and
/// date. A later message recalls that reference and date. The receipt of a payment reads
/// the amount, the client and R124-6.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_agency_letter_carries_every_r124_4_mention() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let today = d(2026, 6, 30);
    let clock = app::clock::FixedClock(today);
    let built = app::agency::seed_demo(&store, &clock).await.unwrap();
    assert_eq!(built.clients.len(), 3);
    let (debtor, claim, paid) = {
        let mut tx = store.begin().await.unwrap();
        let alpha = tx.creditor_by_code("ALPHA").await.unwrap().unwrap();
        // A debtor of ALPHA with a claim still open, and one of its payments.
        let mut found = None;
        for c in tx.claims(Some(alpha.id)).await.unwrap() {
            let entries = tx.ledger_entries(c.id).await.unwrap();
            let balance: i64 = entries.iter().map(|e| e.amount_minor).sum();
            let payment = entries.iter().find(|e| e.kind == EntryKind::Payment);
            if balance > 0
                && let Some(p) = payment
            {
                found = Some((c.debtor_id, c.id, p.seq));
                break;
            }
        }
        found.expect("a debtor of ALPHA partly paid")
    };
    let comms = comms();
    let letter = compose_preview(&store, &comms, "agency_letter", debtor, None, today)
        .await
        .unwrap();
    let text = pdf_text(&letter.letter_pdf().unwrap(), dir.path());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (mention, needle) in [
        ("1° the agency's name", "Cabinet Recouvre Démo SAS"),
        ("1° the agency's address", "69002 Lyon"),
        ("1° amicable collection", "recouvrement amiable"),
        ("2° the creditor's name", "Menuiserie Alpha SARL"),
        ("2° the creditor's address", "44000 Nantes"),
        ("3° the basis", "factures"),
        ("3° principal", "principal"),
        ("3° interest", "intérêts de retard"),
        ("3° accessories", "indemnités forfaitaires"),
        ("4° the demand to pay", "au plus tard le"),
        (
            "4° how: the client-funds account",
            "FR76 3000 4000 0312 3456 7890 143",
        ),
        (
            "5° L111-8 paragraph 2",
            "Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier",
        ),
        (
            "5° L111-8 paragraph 3",
            "à la charge du débiteur de mauvaise foi",
        ),
        ("the reference", &letter.reference),
        ("the date", "30 juin 2026"),
    ] {
        assert!(
            flat.contains(needle),
            "{mention}: {needle:?} not in:\n{text}"
        );
    }
    for other in ["Transports Bêta", "Clinique vétérinaire Gamma"] {
        assert!(!flat.contains(other), "another client named: {other}");
    }
    assert!(!flat.to_lowercase().contains("huissier"));

    // The placement queued the agency's first letter to the debtor; a later reminder
    // recalls its reference and date.
    let (first, debtor_ref) = {
        let mut tx = store.begin().await.unwrap();
        let actions = tx
            .actions(&app::store::ActionFilter {
                debtor: Some(debtor),
                ..Default::default()
            })
            .await
            .unwrap();
        let first: Vec<&StoredAction> = actions
            .iter()
            .filter(|a| a.template == "agency_letter")
            .collect();
        assert_eq!(first.len(), 1, "one first letter per debtor: {actions:?}");
        assert_eq!(first[0].step_code, app::agency::FIRST_LETTER_STEP);
        assert_eq!(first[0].status, ActionStatus::Planned);
        (
            first[0].clone(),
            tx.debtor(debtor).await.unwrap().unwrap().external_id,
        )
    };
    let later = compose_preview(&store, &comms, "reminder_1", debtor, None, today)
        .await
        .unwrap();
    let on = recouvre_comms::fmt::long_date(first.created_on, Lang::Fr);
    let recall = format!(
        "notre courrier du {on}, référence {debtor_ref}-{}",
        first.id
    );
    assert!(
        later.text.contains(&recall),
        "{recall:?} not in {}",
        later.text
    );
    // The first letter itself does not recall itself.
    let own = compose_action(&store, &comms, first.id, Some(today))
        .await
        .unwrap();
    assert!(!own.text.contains("notre courrier du"), "{}", own.text);

    // The receipt of the payment went to the debtor by e-mail, the PDF attached.
    let receipt_action = {
        let mut tx = store.begin().await.unwrap();
        tx.actions(&app::store::ActionFilter {
            debtor: Some(debtor),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.step_code == app::agency::receipt_step(claim, paid))
        .expect("the payment's receipt is queued")
    };
    let mail = compose_action(&store, &comms, receipt_action.id, None)
        .await
        .unwrap();
    assert!(mail.text.contains("quittance"), "{}", mail.text);
    assert!(mail.text.contains("Menuiserie Alpha SARL"), "{}", mail.text);
    assert_eq!(mail.attachments.len(), 1);
    assert_eq!(
        mail.attachments[0].filename,
        format!("Q-{}-{paid}.pdf", claim.0)
    );
    assert_eq!(&mail.attachments[0].bytes[..5], b"%PDF-");

    // The statement and fee invoice of ALPHA's first month.
    let mut tx = store.begin().await.unwrap();
    let alpha = tx.creditor_by_code("ALPHA").await.unwrap().unwrap().id;
    let first = app::agency::remittances(tx.as_mut(), Some(alpha), None)
        .await
        .unwrap()
        .pop()
        .unwrap();
    let r = app::agency::remittances(tx.as_mut(), Some(alpha), Some(first.id))
        .await
        .unwrap()
        .remove(0);
    let parties = app::agency::invoice_parties(tx.as_mut(), &r).await.unwrap();
    drop(tx);
    let text = pdf_text(
        &recouvre_comms::remittance::pdf(&r, &parties, Lang::Fr).unwrap(),
        dir.path(),
    );
    let flat_invoice = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let fr = |m: domain::Money| {
        recouvre_comms::fmt::money(m, Lang::Fr).replace(['\u{202f}', '\u{a0}'], " ")
    };
    for needle in [
        "Relevé de reversement et facture d'honoraires".to_string(),
        "Menuiserie Alpha SARL".to_string(),
        "SIREN 900 000 001".to_string(),
        format!("Honoraires HT {}", fr(r.statement.fees_net)),
        format!("TVA {}", fr(r.statement.vat)),
        format!("Honoraires TTC {}", fr(r.statement.fees_gross)),
        format!("Reversé {}", fr(r.statement.to_remit)),
        "R124-6".to_string(),
    ] {
        assert!(flat_invoice.contains(&needle), "{needle:?} not in {text}");
    }
    assert!(!flat_invoice.contains("Transports Bêta"));

    // The receipt of the payment.
    let mut tx = store.begin().await.unwrap();
    let receipt = app::agency::receipt(tx.as_mut(), claim, Some(paid))
        .await
        .unwrap();
    drop(tx);
    let text = pdf_text(&recouvre_comms::receipt::pdf(&receipt).unwrap(), dir.path());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Quittance"), "{text}");
    assert!(flat.contains("Menuiserie Alpha SARL"), "{text}");
    assert!(flat.contains("R124-6"), "{text}");
    let amount =
        recouvre_comms::fmt::money(receipt.amount, Lang::Fr).replace(['\u{202f}', '\u{a0}'], " ");
    assert!(flat.contains(&amount), "{amount} not in {text}");
}
