//! Agency mode through the real binary (issue 19), as a new user would: the demo agency,
//! a new client with its identity, mandate and files placed by CSV, its month remitted
//! with the statement PDF and the pain.001, its report as CSV and XLSX, a receipt, and
//! the notices R124-5 requires e-mailed to each client once, to a real SMTP server
//! (`scripts/smtp-sink.py`).

#![allow(clippy::unwrap_used)]

#[path = "../../deliver/tests/common/mod.rs"]
mod common;

use common::Sink;
use serde_json::Value;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_recouvre");

fn run(db: &str, day: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["--db", db, "--as-of", day, "--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &str, day: &str, args: &[&str]) -> String {
    let out = run(db, day, args);
    assert!(
        out.status.success(),
        "recouvre {}: {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &str, day: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(db, day, &all)).unwrap()
}

/// Points the database's SMTP settings at the test server.
fn set_smtp(db: &str, day: &str, sink: &Sink) {
    ok(
        db,
        day,
        &[
            "settings",
            "smtp",
            "--host",
            "127.0.0.1",
            "--port",
            &sink.port.to_string(),
            "--security",
            "plain",
            "--from",
            "Cabinet <contact@cabinet.example>",
        ],
    );
}

#[test]
fn an_agency_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agency.db").display().to_string();
    let day = "2026-06-30";
    let out = ok(
        &db,
        day,
        &[
            "demo",
            "--debtors",
            "50",
            "--claims",
            "300",
            "--simulate-days",
            "0",
            "--no-serve",
            "--agency",
        ],
    );
    assert!(out.contains("client-alpha"), "{out}");

    // A new client: its identity, a mandate, two of its claims placed by CSV.
    ok(&db, day, &["creditor", "DELTA", "Delta Distribution SAS"]);
    ok(
        &db,
        day,
        &[
            "client",
            "identity",
            "DELTA",
            "--address",
            "1 rue du Port, 33000 Bordeaux",
            "--email",
            "compta@delta.example",
            "--company-id",
            "SIREN 111 222 333",
        ],
    );
    // Without the insurance R124-3 requires: refused by clap (required) — with an empty
    // one, by the rule.
    let refused = run(
        &db,
        day,
        &[
            "mandate",
            "add",
            "DELTA",
            "M-DELTA",
            "--signed",
            "2026-06-01",
            "--commission",
            "amount:1000=15,*=10",
            "--insurance",
            " ",
            "--iban",
            "FR7630006000011234567890189",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("R124-3"));
    ok(
        &db,
        day,
        &[
            "mandate",
            "add",
            "DELTA",
            "M-DELTA",
            "--signed",
            "2026-06-01",
            "--commission",
            "amount:1000=15,*=10",
            "--minimum",
            "10",
            "--insurance",
            "Assureur, police 7",
            "--iban",
            "FR7630006000011234567890189",
        ],
    );
    // Claims of DELTA: a debtor and two invoices imported as CSV.
    let claims = dir.path().join("delta.csv");
    std::fs::write(
        &claims,
        "creditor,debtor_id,debtor_name,debtor_kind,email,address,invoice_number,issue_date,due_date,amount,currency\n\
         DELTA,DL-1,Épicerie Fine Martin,company,martin@example.com,\"3 rue Neuve, 33000 Bordeaux\",DL-2026-1,2026-03-01,2026-03-31,1200.00,EUR\n\
         DELTA,DL-1,Épicerie Fine Martin,company,martin@example.com,\"3 rue Neuve, 33000 Bordeaux\",DL-2026-2,2026-04-01,2026-04-30,800.00,EUR\n",
    )
    .unwrap();
    ok(
        &db,
        day,
        &[
            "import",
            "claims",
            claims.to_str().unwrap(),
            "--creditor",
            "DELTA",
        ],
    );
    let placement = dir.path().join("remise.csv");
    std::fs::write(
        &placement,
        "mandate;claim\nM-DELTA;DL-2026-1\nM-DELTA;DL-2026-2\n",
    )
    .unwrap();
    let placed = json(
        &db,
        "2026-06-02",
        &["placement", "import", placement.to_str().unwrap()],
    );
    assert_eq!(placed[0]["claims"].as_array().unwrap().len(), 2, "{placed}");
    assert_eq!(placed[0]["first_letters"], 1, "{placed}");

    // Remitting June before any collection: the fee-free statement records nothing owed.
    let june = json(
        &db,
        "2026-07-02",
        &[
            "remittance",
            "run",
            "--period",
            "2026-06",
            "--creditor",
            "DELTA",
        ],
    );
    assert_eq!(june[0]["to_remit"]["minor"], 0, "{june}");

    // The client's report, as CSV and XLSX.
    let csv = dir.path().join("delta-report.csv");
    let xlsx = dir.path().join("delta-report.xlsx");
    ok(
        &db,
        "2026-07-02",
        &[
            "client",
            "report",
            "DELTA",
            "--csv",
            csv.to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains("DL-2026-1") && text.contains("DL-2026-2"),
        "{text}"
    );
    assert!(!text.contains("ALPHA-"), "another client's files: {text}");
    assert_eq!(
        &std::fs::read(&xlsx).unwrap()[..2],
        b"PK",
        "an XLSX is a ZIP"
    );

    // The demo's May statement of ALPHA as PDF, and its transfer.
    let issued = json(&db, day, &["remittance", "run", "--period", "2026-05"]);
    let alpha = issued
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["mandate"].as_str().unwrap().contains("ALPHA"))
        .unwrap();
    let id = alpha["id"].as_i64().unwrap().to_string();
    let pdf = dir.path().join("statement.pdf");
    let xml = dir.path().join("transfer.xml");
    ok(
        &db,
        day,
        &["remittance", "show", &id, "--pdf", pdf.to_str().unwrap()],
    );
    assert_eq!(&std::fs::read(&pdf).unwrap()[..5], b"%PDF-");
    ok(
        &db,
        day,
        &[
            "remittance",
            "transfer",
            &id,
            "--out",
            xml.to_str().unwrap(),
        ],
    );
    let transfer = std::fs::read_to_string(&xml).unwrap();
    assert!(transfer.contains("pain.001.001.03"), "{transfer}");
    let minor = alpha["to_remit"]["minor"].as_i64().unwrap();
    assert!(
        transfer.contains(&format!(
            "<InstdAmt Ccy=\"EUR\">{}.{:02}</InstdAmt>",
            minor / 100,
            minor % 100
        )),
        "{transfer}"
    );

    // The notices, e-mailed once to each client's own address.
    let sink = Sink::start(0);
    set_smtp(&db, day, &sink);
    let first = json(&db, day, &["remittance", "notify", "--send"]);
    let emailed: Vec<&Value> = first["emailed"].as_array().unwrap().iter().collect();
    let sent: Vec<&&Value> = emailed.iter().filter(|e| e["error"].is_null()).collect();
    assert!(sent.len() >= 3, "{first}");
    let got = sink.messages();
    assert_eq!(got.len(), sent.len(), "{got:?}");
    let to: Vec<String> = got
        .iter()
        .map(|m| m["rcpt_tos"][0].as_str().unwrap().to_string())
        .collect();
    assert!(to.contains(&"compta@alpha.example".to_string()), "{to:?}");
    assert!(to.contains(&"compta@delta.example".to_string()), "{to:?}");
    // Again: nothing new to tell, nothing sent.
    let again = json(&db, day, &["remittance", "notify", "--send"]);
    assert!(again["emailed"].as_array().unwrap().is_empty(), "{again}");
    assert_eq!(sink.messages().len(), got.len());

    // A receipt of a payment on a placed file of the demo: its files with something
    // collected, from the client's report.
    let report = json(&db, day, &["client", "report", "ALPHA"]);
    let paid: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["collected"]["minor"].as_i64().unwrap() > 0)
        .map(|f| f["number"].as_str().unwrap().to_string())
        .collect();
    assert!(!paid.is_empty(), "{report}");
    let receipt = dir.path().join("receipt.pdf");
    ok(
        &db,
        day,
        &[
            "placement",
            "receipt",
            &paid[0],
            "--out",
            receipt.to_str().unwrap(),
        ],
    );
    assert_eq!(&std::fs::read(&receipt).unwrap()[..5], b"%PDF-");
}

/// The worker's daily run e-mails the clients their notices (R124-5) by itself, once, to
/// each client's own address.
#[test]
fn the_worker_emails_the_clients_their_notices() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agency.db").display().to_string();
    let day = "2026-06-30";
    ok(
        &db,
        day,
        &[
            "demo",
            "--debtors",
            "30",
            "--claims",
            "120",
            "--simulate-days",
            "0",
            "--no-serve",
            "--agency",
        ],
    );
    let sink = Sink::start(0);
    set_smtp(&db, day, &sink);
    let mut worker = Command::new(BIN)
        .args(["--db", &db, "--as-of", day, "worker"])
        .args(["--run-at", "00:00", "--tick-secs", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let to_clients = || {
        sink.messages()
            .into_iter()
            .filter(|m| {
                m["rcpt_tos"][0]
                    .as_str()
                    .is_some_and(|r| r.starts_with("compta@") && r.ends_with(".example"))
            })
            .count()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while to_clients() < 3 {
        if std::time::Instant::now() > deadline {
            let _ = worker.kill();
            panic!("the clients got {} notice e-mails", to_clients());
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    // A few more rounds: nothing sent twice.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let _ = worker.kill();
    let _ = worker.wait();
    assert_eq!(to_clients(), 3, "one message per client, once");
}
