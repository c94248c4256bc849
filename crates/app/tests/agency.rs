//! Agency mode on a real SQLite store (issue 19): a placement outside the mandate is
//! refused whole; the client is told of a partial payment and of a plan, but not of an
//! instalment of the plan it knows (R124-5); the month's remittance statement is right to
//! the cent, issued once, with a pain.001 that validates against the official XSD (when
//! the shared corpus is present); a withdrawal gives its closing report.

#![allow(clippy::unwrap_used)]

#[path = "../../formats/tests/common/skipped.rs"]
mod skipped;

use domain::agency::{Commission, FeeTerms};
use domain::agreements::Frequency;
use domain::{
    Claim, ClaimId, ClaimLedger, ClaimNumber, Currency, Date, Debtor, DebtorId, EntryKind, Money,
};
use recouvre_app::agency::{self, MandateTerms, NewMandate};
use recouvre_app::audit::Actor;
use recouvre_app::clock::FixedClock;
use recouvre_app::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;

fn actor() -> Actor {
    Actor("cli:test".into())
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn eur(s: &str) -> Money {
    Money::parse(s, Currency::EUR).unwrap()
}

async fn debtor_with_claim(
    store: &dyn Store,
    creditor: domain::CreditorId,
    code: &str,
    amount: &str,
) -> (DebtorId, ClaimId) {
    let mut tx = store.begin().await.unwrap();
    let debtor = Debtor {
        id: DebtorId(0),
        creditor_id: creditor,
        external_id: format!("D-{code}"),
        name: format!("Débiteur {code}"),
        kind: domain::DebtorKind::Company,
        segment: domain::Segment::B2b,
        country: "FR".into(),
        language: "fr".into(),
        contacts: vec![],
        tags: vec![],
    };
    let debtor_id = tx.insert_debtor(&debtor).await.unwrap();
    let claim = Claim {
        id: ClaimId(0),
        creditor_id: creditor,
        debtor_id,
        external_id: code.into(),
        number: ClaimNumber::parse(code).unwrap(),
        nature: domain::Nature::Commercial,
        issue_date: d("2025-11-01"),
        due_date: d("2025-12-01"),
        currency: Currency::EUR,
    };
    let claim_id = tx.insert_claim(&claim).await.unwrap();
    let mut l = ClaimLedger::new(Currency::EUR);
    l.post(EntryKind::Invoice, eur(amount), d("2025-11-01"), None)
        .unwrap();
    tx.append_entries(claim_id, l.entries(), "2025-11-01T00:00:00Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (debtor_id, claim_id)
}

/// Posts a payment on the claim's ledger, as payment matching does.
async fn pay(store: &dyn Store, claim: ClaimId, amount: &str, on: &str) {
    let mut tx = store.begin().await.unwrap();
    let entries = tx.ledger_entries(claim).await.unwrap();
    let before = entries.len();
    let mut l = ClaimLedger::from_entries(Currency::EUR, entries);
    l.post(
        EntryKind::Payment,
        eur(amount),
        d(on),
        Some("virement".into()),
    )
    .unwrap();
    tx.append_entries(claim, &l.entries()[before..], "2026-03-01T00:00:00Z")
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn terms() -> MandateTerms {
    MandateTerms {
        fees: FeeTerms {
            commission: Commission::parse("amount:1000=15,5000=12,*=8", Currency::EUR).unwrap(),
            minimum: Some(eur("10")),
            file_fee: Some(eur("15")),
            success_fee: Some(eur("50")),
            vat_rate: "20".parse().unwrap(),
        },
        remit_months: 1,
        insurance: "MMA IARD, police 123456".into(),
        scope: "factures 2025".into(),
        payee_name: "Acme SAS".into(),
        payee_iban: "FR7630006000011234567890189".into(),
        payee_bic: None,
    }
}

fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("RECOUVRE_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
    };
    dir.join("pain001/pain.001.001.03.xsd")
        .is_file()
        .then_some(dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_of_agency_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agency.db");
    let store = store_sqlite::SqliteStore::open(path.to_str().unwrap(), "2026-01-01T00:00:00Z")
        .await
        .unwrap();
    let (acme, other) = {
        let mut tx = store.begin().await.unwrap();
        let a = tx.insert_creditor("ACME", "Acme SAS", "FR").await.unwrap();
        let b = tx.insert_creditor("BETA", "Beta SARL", "FR").await.unwrap();
        tx.commit().await.unwrap();
        (a, b)
    };
    let (_, small) = debtor_with_claim(&store, acme.id, "F-800", "800").await;
    let (plan_debtor, mid) = debtor_with_claim(&store, acme.id, "F-4200", "4200").await;
    let (_, big) = debtor_with_claim(&store, acme.id, "F-12000", "12000").await;
    let (_, beta_claim) = debtor_with_claim(&store, other.id, "B-1", "500").await;
    let _ = beta_claim;

    let clock = FixedClock(d("2026-03-02"));
    agency::add_mandate(
        &store,
        &clock,
        &actor(),
        NewMandate {
            creditor: "ACME".into(),
            reference: "M-ACME-1".into(),
            signed_on: d("2026-03-01"),
            ends_on: Some(d("2026-12-31")),
            currency: Currency::EUR,
            terms: terms(),
        },
    )
    .await
    .unwrap();
    // A mandate without the insurance R124-3 requires is refused.
    let mut uninsured = terms();
    uninsured.insurance = " ".into();
    let err = agency::add_mandate(
        &store,
        &clock,
        &actor(),
        NewMandate {
            creditor: "ACME".into(),
            reference: "M-ACME-2".into(),
            signed_on: d("2026-03-01"),
            ends_on: None,
            currency: Currency::EUR,
            terms: uninsured,
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("R124-3"), "{err}");

    // Outside the mandate: before it is signed, or a claim of another creditor; refused
    // whole, nothing placed.
    let before = agency::place(
        &store,
        &FixedClock(d("2026-02-27")),
        &actor(),
        "M-ACME-1",
        &["F-800".into()],
        d("2026-02-27"),
    )
    .await
    .unwrap_err();
    assert!(before.to_string().contains("not in force"), "{before}");
    let foreign = agency::place(
        &store,
        &clock,
        &actor(),
        "M-ACME-1",
        &["F-800".into(), "B-1".into()],
        d("2026-03-02"),
    )
    .await
    .unwrap_err();
    assert!(foreign.to_string().contains("B-1"), "{foreign}");
    {
        let mut tx = store.begin().await.unwrap();
        assert!(
            tx.placements(&Default::default()).await.unwrap().is_empty(),
            "a refused placement places nothing"
        );
    }
    // By CSV: a bad line (line 3, a claim of another creditor) refuses the whole file.
    let bad = agency::place_csv(
        &store,
        &clock,
        &actor(),
        "remise.csv",
        b"mandate;claim\nM-ACME-1;F-800\nM-ACME-1;B-1\n",
        None,
        d("2026-03-02"),
    )
    .await
    .unwrap_err();
    assert!(
        bad.to_string().contains("remise.csv") && bad.to_string().contains("B-1"),
        "{bad}"
    );
    let empty = agency::place_csv(
        &store,
        &clock,
        &actor(),
        "remise.csv",
        b"claim\nF-800\n",
        None,
        d("2026-03-02"),
    )
    .await
    .unwrap_err();
    assert!(empty.to_string().contains("remise.csv:2"), "{empty}");
    {
        let mut tx = store.begin().await.unwrap();
        assert!(tx.placements(&Default::default()).await.unwrap().is_empty());
    }
    let placed = agency::place_csv(
        &store,
        &clock,
        &actor(),
        "remise.csv",
        b"claim\nF-800\nF-4200\nF-12000\n",
        Some("M-ACME-1"),
        d("2026-03-02"),
    )
    .await
    .unwrap()
    .remove(0);
    assert_eq!(placed.claims.len(), 3);
    assert_eq!(placed.first_letters, 3, "one first letter per debtor");
    // Placed again: refused.
    assert!(
        agency::place(
            &store,
            &clock,
            &actor(),
            "M-ACME-1",
            &["F-800".into()],
            d("2026-03-03")
        )
        .await
        .is_err()
    );

    // The debtor of F-4200 agrees a plan of 2 monthly instalments on 5 March; the client
    // is told of the plan, then not of the instalment paid under it.
    recouvre_app::agreements::create_plan(
        &store,
        &FixedClock(d("2026-03-05")),
        plan_debtor,
        &recouvre_app::agreements::PlanTerms {
            claims: vec![mid],
            down_payment: None,
            count: Some(2),
            fixed: None,
            every: Frequency::Monthly,
            first: d("2026-03-10"),
            annual_rate_bp: None,
            grace_days: 5,
            court_ordered: false,
            channel: "phone".into(),
            agreed_by: "alice".into(),
            mandate: None,
        },
    )
    .await
    .unwrap();
    pay(&store, small, "300", "2026-03-10").await; // partial: told
    pay(&store, small, "20", "2026-03-12").await; // partial: told
    pay(&store, small, "480", "2026-03-20").await; // settles F-800
    pay(&store, mid, "1234.56", "2026-03-10").await; // under the known plan: not told
    pay(&store, big, "5000", "2026-03-25").await;

    let told = agency::notify_clients(&store, &FixedClock(d("2026-03-31")), d("2026-03-31"))
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let notices = tx.client_notices(Some(acme.id), 100).await.unwrap();
    drop(tx);
    let kinds: Vec<(String, Option<ClaimId>)> = notices
        .iter()
        .map(|n| (n.kind.clone(), n.claim_id))
        .collect();
    assert_eq!(told, 5, "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|(k, _)| k == "payment").count(),
        4,
        "three on F-800 and one on F-12000: {kinds:?}"
    );
    assert!(
        kinds.contains(&("plan".to_string(), Some(mid))),
        "{kinds:?}"
    );
    assert!(
        !kinds.contains(&("payment".to_string(), Some(mid))),
        "an instalment of a plan the client knows is not reported: {kinds:?}"
    );
    // Every payment's receipt is queued to its debtor by e-mail (R124-6), once: these
    // debtors have no e-mail address, so each entry waits failed, saying why.
    let receipts = |store: &store_sqlite::SqliteStore| {
        let store = store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let actions: Vec<_> = tx
                .actions(&Default::default())
                .await
                .unwrap()
                .into_iter()
                .filter(|a| a.template == "receipt")
                .collect();
            let outbox = tx.outbox(&Default::default()).await.unwrap();
            (actions, outbox)
        }
    };
    let (queued, outbox) = receipts(&store).await;
    assert_eq!(queued.len(), 5, "{queued:?}");
    for r in &queued {
        let entry = outbox.iter().find(|o| o.action_id == r.id).unwrap();
        assert!(
            entry
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("no e-mail address")),
            "{entry:?}"
        );
    }
    // Told once: again, nothing new.
    assert_eq!(
        agency::notify_clients(&store, &FixedClock(d("2026-04-01")), d("2026-04-01"))
            .await
            .unwrap(),
        0
    );

    assert_eq!(receipts(&store).await.0.len(), 5, "receipts queued once");
    // The remittance of March (worked by hand, as domain::agency's test):
    // commissions 45.00 + 10.00 + 72.00 (F-800, 15 %, the 20.00 raised to the minimum)
    // + 148.15 (F-4200, 12 % of 1 234.56 = 148.1472) + 400.00 (F-12000, 8 %) = 675.15;
    // 3 files placed in March × 15.00 = 45.00; F-800 settled: success fee 50.00.
    // Fees before VAT 770.15, VAT 154.03, with VAT 924.18. Collected 7 034.56; remitted
    // 7 034.56 − 924.18 = 6 110.38.
    let as_of = FixedClock(d("2026-04-03"));
    let without_account = agency::remit(
        &store,
        &as_of,
        &actor(),
        d("2026-03-01"),
        d("2026-03-31"),
        d("2026-04-03"),
        None,
    )
    .await
    .unwrap_err();
    assert!(
        without_account.to_string().contains("client-funds"),
        "{without_account}"
    );
    agency::set_funds_account(
        &store,
        &as_of,
        &actor(),
        "Cabinet Recouvre & Associés",
        "FR76 3000 4000 0312 3456 7890 143",
        Some("BNPAFRPP"),
        None,
    )
    .await
    .unwrap();
    let out = agency::remit(
        &store,
        &as_of,
        &actor(),
        d("2026-03-01"),
        d("2026-03-31"),
        d("2026-04-03"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(out.len(), 1, "one mandate");
    let o = &out[0];
    assert!(!o.already_issued);
    assert_eq!(o.collected, eur("7034.56"));
    assert_eq!(o.fees_gross, eur("924.18"));
    assert_eq!(o.to_remit, eur("6110.38"));
    let mut tx = store.begin().await.unwrap();
    let r = agency::remittances(tx.as_mut(), Some(acme.id), o.id)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(r.statement.commission, eur("675.15"));
    assert_eq!(r.statement.file_fees, eur("45"));
    assert_eq!(r.statement.success_fees, eur("50"));
    assert_eq!(r.statement.vat, eur("154.03"));
    assert_eq!(r.due_by, Some(d("2026-04-10")), "a month after 10 March");
    let xml = agency::transfer_xml(tx.as_mut(), r.id, Some(acme.id))
        .await
        .unwrap();
    assert!(
        agency::transfer_xml(tx.as_mut(), r.id, Some(other.id))
            .await
            .is_err(),
        "another client cannot read the transfer"
    );
    drop(tx);
    assert!(
        xml.contains("<InstdAmt Ccy=\"EUR\">6110.38</InstdAmt>"),
        "{xml}"
    );
    assert!(xml.contains("<IBAN>FR7630006000011234567890189</IBAN>"));
    assert!(xml.contains("<IBAN>FR7630004000031234567890143</IBAN>"));

    // Issued once: the same month again changes nothing.
    let again = agency::remit(
        &store,
        &as_of,
        &actor(),
        d("2026-03-01"),
        d("2026-03-31"),
        d("2026-04-03"),
        None,
    )
    .await
    .unwrap();
    assert!(again[0].already_issued);
    assert_eq!(again[0].id, o.id);
    // April: the March collections are not remitted twice; only April's fee-free nothing.
    pay(&store, big, "100", "2026-04-15").await;
    let april = agency::remit(
        &store,
        &FixedClock(d("2026-05-02")),
        &actor(),
        d("2026-04-01"),
        d("2026-04-30"),
        d("2026-05-02"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(april[0].collected, eur("100"), "only April's collection");
    // 8.00 commission raised to the 10.00 minimum, + 2.00 VAT: 88.00 remitted.
    assert_eq!(april[0].to_remit, eur("88"));

    // Nothing is late: everything collected was remitted.
    let mut tx = store.begin().await.unwrap();
    assert!(
        agency::late_remittances(tx.as_mut(), d("2026-06-30"))
            .await
            .unwrap()
            .is_empty()
    );
    drop(tx);

    // A payment in May not remitted by 30 June is late.
    pay(&store, big, "200", "2026-05-05").await;
    let mut tx = store.begin().await.unwrap();
    let late = agency::late_remittances(tx.as_mut(), d("2026-06-30"))
        .await
        .unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].due_by, d("2026-06-05"));
    drop(tx);
    // The daily run raises it as a task on the worklist, once.
    for _ in 0..2 {
        let report = recouvre_app::dunning::run(
            &store,
            &FixedClock(d("2026-06-30")),
            recouvre_app::dunning::RunOptions::default(),
        )
        .await
        .unwrap();
        assert_eq!(report.late_remittances.len(), 1);
    }
    let mut tx = store.begin().await.unwrap();
    let tasks: Vec<_> = tx
        .actions(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.step_code.starts_with("remit:"))
        .collect();
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(tasks[0].template, "remittance_late");
    assert_eq!(tasks[0].claims, vec![big]);
    drop(tx);

    // The client takes F-12000 back: its closing report.
    let report = agency::withdraw(
        &store,
        &FixedClock(d("2026-06-30")),
        &actor(),
        "F-12000",
        d("2026-06-30"),
        "règlement direct négocié",
    )
    .await
    .unwrap();
    assert_eq!(report.collected, eur("5300"));
    assert_eq!(report.open, eur("6700"));
    assert_eq!(report.principal_placed, eur("12000"));

    // The client's report: its files only.
    let mut tx = store.begin().await.unwrap();
    let rep = agency::client_report(tx.as_mut(), acme.id, d("2026-01-01"), d("2026-06-30"))
        .await
        .unwrap();
    assert_eq!(rep.files.len(), 3);
    // F-12000 withdrawn; F-800, paid in full on 20 March, closed by the notices' pass.
    assert_eq!(rep.closed, 2);
    let f800 = rep.files.iter().find(|f| f.number == "F-800").unwrap();
    assert_eq!(f800.state, recouvre_app::store::PlacementState::Closed);
    assert_eq!(f800.ended_on, Some(d("2026-03-20")));
    assert_eq!(f800.end_reason.as_deref(), Some(agency::PAID_IN_FULL));
    assert_eq!(rep.recovered, eur("7334.56"));
    assert!(rep.files.iter().all(|f| f.number != "B-1"));
    let beta = agency::client_report(tx.as_mut(), other.id, d("2026-01-01"), d("2026-06-30"))
        .await
        .unwrap();
    assert!(beta.files.is_empty() && beta.notices.is_empty() && beta.remittances.is_empty());
    drop(tx);

    // The mandate ends on 30 June: not before its signature; nothing placed after.
    assert!(
        agency::end_mandate(&store, &clock, &actor(), "M-ACME-1", d("2026-02-01"))
            .await
            .is_err()
    );
    let ended = agency::end_mandate(&store, &clock, &actor(), "M-ACME-1", d("2026-06-30"))
        .await
        .unwrap();
    assert_eq!(ended.ends_on, Some(d("2026-06-30")));
    let (_, _late_claim) = debtor_with_claim(&store, acme.id, "F-LATE", "100").await;
    let after = agency::place(
        &store,
        &clock,
        &actor(),
        "M-ACME-1",
        &["F-LATE".into()],
        d("2026-07-01"),
    )
    .await
    .unwrap_err();
    assert!(after.to_string().contains("not in force"), "{after}");

    match corpus() {
        Some(dir) => {
            let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("remittance.pain001.xml");
            std::fs::write(&file, &xml).unwrap();
            let out = Command::new("python3")
                .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
                .arg("scripts/xsd-validate.py")
                .arg(dir.join("pain001/pain.001.001.03.xsd"))
                .arg(&file)
                .output()
                .expect("python3 runs scripts/xsd-validate.py");
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        None => skipped::skipped(
            "recouvre-app agency::a_month_of_agency_work (pain.001 against the XSD)",
            "RECOUVRE_CORPUS has no pain001/pain.001.001.03.xsd",
        ),
    }
}
